"""What the pages need beyond single service calls, built only from service calls (so every
read is role-checked, redacted for partners and audited): a subject's briefing (profile,
victim chain, key facts), the timeline's events, and networkx measures of a chart on screen."""

from __future__ import annotations

from typing import Any

import networkx as nx

from app.errors import ApiError
from app.security.roles import Perm
from app.services import library, network, people
from app.services.door import Access, exported, named_identities
from dashboards.components import people_chart
from dashboards.components.briefing import meeting_pack, pack


def briefing(access: Access, person: str) -> dict[str, Any]:
    """Profile, victim chain and key facts for one subject (MAPPA+ meeting, PDF pack)."""
    prof = people.profile(access, person)
    ident = prof["identity_id"]
    chain = network.victim_story(access, ident)
    agencies = library.run(access, "agencies_involved", {"person": ident})["rows"]
    missed = _missed(access, ident)
    orders = [o for o in prof.get("orders", []) if o.get("role") == "subject"]
    names = [r.get("full_name") for r in prof.get("records", []) if r.get("full_name")]
    facts = {
        "Victims": len(chain),
        "Escalating": sum(1 for v in chain if v.get("escalation")),
        "Orders (as subject)": len(orders),
        "Breaches of orders": sum(int(o.get("breaches") or 0) for o in orders),
        "Missed or late notifications": missed,
        "Incidents": len(prof.get("incidents", [])),
        "Agencies involved": len(agencies),
    }
    return {
        "identity_id": ident,
        "name": names[0] if names else ident,
        "profile": prof,
        "chain": chain,
        "agencies": [a.get("name") or a.get("agency_code") for a in agencies],
        "facts": facts,
    }


def presented(access: Access, person: str) -> dict[str, Any]:
    """What meeting mode, the subject page and the PDF pack show of one subject: the briefing,
    his dated events and his people chart (closed groups), each read through the door."""
    brief = briefing(access, person)
    ident = brief["identity_id"]
    chart = network.neighbourhood(access, ident, hops=2, limit=400)
    brief["events"] = events(brief["profile"])
    numbers = {v["identity_id"]: v["n"] for v in brief["chain"] if v.get("identity_id")}
    brief["elements"] = people_chart.view(people_chart.elements(chart, ident, None, numbers), [])
    return brief


def briefing_pdf(access: Access, brief: dict[str, Any]) -> bytes:
    """The PDF pack of the briefing on screen (already read, redacted and audited through the
    door); the export is audited too, naming the subject and everyone the pack shows."""
    body = pack(brief, brief.get("elements", []), access.user.name, access.user.role.value)
    subject = str(brief["identity_id"])
    exported(access, Perm.export, "briefing.pdf", {"person": subject},
             named_identities(brief) | {subject})  # fmt: skip
    return body


def meeting_pdf(access: Access, meeting: dict[str, Any], minutes: bool) -> bytes:
    """The agenda or minutes PDF of a meeting read through the door (cases.meeting), so
    redacted for the caller's role; the export is audited with everyone it shows."""
    body = meeting_pack(meeting, access.user.name, access.user.role.value, minutes)
    seen = {str(h["identity_id"]) for h in meeting["agenda"]}
    exported(access, Perm.export, "minutes.pdf" if minutes else "agenda.pdf",
             {"meeting": meeting["meeting_id"]}, seen)  # fmt: skip
    return body


def _missed(access: Access, ident: str) -> int | str:
    try:
        rows = library.run(access, "obligation_compliance", {"ids": [ident]})["rows"]
    except ApiError:
        return "not available to this role"
    return len(rows)


def events(prof: dict[str, Any]) -> list[dict[str, Any]]:
    """The subject's dated history as timeline rows: kind, what, start, end."""
    out: list[dict[str, Any]] = []
    for i in prof.get("incidents", []):
        day = i.get("offence_date") or i.get("reported_date")
        if day:
            what = f"{i.get('offence') or i.get('category')} ({i.get('role')})"
            out.append({"kind": "Incident", "what": what, "start": day, "end": day})
    for o in prof.get("orders", []):
        if o.get("issued_date"):
            out.append(
                {
                    "kind": "Order",
                    "what": f"{o.get('order_type')} ({o.get('role')})",
                    "start": o["issued_date"],
                    "end": o.get("end_date") or o["issued_date"],
                }
            )
    for r in prof.get("relationships", []):
        if r.get("from_date"):
            what = f"{r.get('type', '').replace('_', ' ')}: {r.get('name')}"
            end = r.get("to_date") or r["from_date"]
            out.append({"kind": "Relationship", "what": what, "start": r["from_date"], "end": end})
    for a in prof.get("addresses", []):
        if a.get("from_date"):
            end = a.get("to_date") or a["from_date"]
            what = f"lived at {a.get('postcode')}"
            out.append({"kind": "Residence", "what": what, "start": a["from_date"], "end": end})
    for n in prof.get("notifications", []):
        if n.get("notified_date"):
            day = n["notified_date"]
            out.append({"kind": "Notification", "what": n.get("type"), "start": day, "end": day})
    return sorted(out, key=lambda e: str(e["start"]))


def measures(els: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Degree, betweenness, community and bridge-ness of each node of the displayed chart
    (undirected, as i2 analysts read a chart)."""
    g = nx.Graph()
    for e in els:
        d = e["data"]
        if "source" in d:
            g.add_edge(d["source"], d["target"])
        elif "hidden" not in e.get("classes", ""):
            g.add_node(d["id"])
    if not g:
        return {}
    degree = nx.degree_centrality(g)
    between = nx.betweenness_centrality(g, k=min(len(g), 300), seed=1)
    comms = nx.community.louvain_communities(g, seed=1)
    community = {n: i + 1 for i, c in enumerate(comms) for n in c}
    bridge_nodes = {n for edge in nx.bridges(g) for n in edge if g.degree(n) > 1}
    return {
        n: {
            "degree": round(degree[n], 4),
            "betweenness": round(between[n], 4),
            "community": community[n],
            "bridge": n in bridge_nodes,
        }
        for n in g
    }
