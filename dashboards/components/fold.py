"""A chart of people and what happened between them, folded from the service's chart of records.

The service (`network.neighbourhood`) answers with source records: an identity and each person
record resolved into it, incidents, orders, breaches, addresses. An analyst reads people: here
every resolved identity becomes one person node (its record keys kept for the detail panel), and
each non-person item joins the group of the person it links the subject to (a victim's
incidents, orders and breaches with him fold into her group, shown as her node with a count
badge until it is opened). Names are those the server sent (a partner's "Victim 3"): nothing
here computes a name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from app.services.chart_formats import PEOPLE, owner_of, person_roles

VICTIM_EDGES = {"VICTIM_IN", "PROTECTS"}
OWN = "grp:own"  # the subject's records that involve nobody else on the chart
KIND_WORDS = {
    "Incident": ("incident", "incidents"),
    "Order": ("order", "orders"),
    "Breach": ("breach", "breaches"),
    "Notification": ("notification", "notifications"),
    "Address": ("address", "addresses"),
}
# the edge type drawn for a pair of nodes when several relationships fold into one line
EDGE_RANK = ["SUSPECT_IN", "OFFENDER_IN", "SUBJECT_OF", "BREACH_OF", "PROTECTS", "VICTIM_IN",
             "INTIMATE_PARTNER", "EX_PARTNER", "FAMILY", "ASSOCIATE", "WITNESS_IN", "NOTIFIED",
             "RESIDED_AT", "OCCURRED_AT"]  # fmt: skip


def group_of(owner: str) -> str:
    return "grp:" + owner


def fold(
    data: dict[str, Any], subject: str | None, known: dict[str, str] | None = None
) -> dict[str, Any]:
    """People, items and links from a service chart: {"subject", "people", "items", "links"}.

    people: id (identity, or the record key of an unresolved record), name, role, records,
    agencies; items: id, kind, caption, date, agency_code, group; links: source, target, types
    (between people and items, record links mapped to their person, RESOLVES_TO gone).
    `known`: roles read elsewhere (his victim chain), for people whose incidents and orders
    the filters leave off the chart."""
    nodes = {n["id"]: n for n in data.get("nodes", [])}
    owner = {k: owner_of(n) for k, n in nodes.items() if n["label"] in PEOPLE}
    centre = _centre(nodes, owner, subject)
    role = {**(known or {}), **person_roles(data.get("edges", []), owner)}
    people: dict[str, dict[str, Any]] = {}
    for key in sorted(owner, key=lambda k: (nodes[k]["label"] != "Person", k)):
        n, who = nodes[key], owner[key]
        p = people.setdefault(
            who, {"id": who, "name": None, "role": role.get(who, ""), "records": [],
                  "agencies": []},
        )  # fmt: skip
        if n["label"] == "Person":
            p["records"].append(key)
            p["name"] = p["name"] or n.get("caption")
            if n.get("agency_code") and n["agency_code"] not in p["agencies"]:
                p["agencies"].append(n["agency_code"])
        for k in n.get("record_keys") or []:
            if k not in p["records"]:
                p["records"].append(k)
    for p in people.values():
        p["name"] = p["name"] or _identity_caption(nodes.get(p["id"]))
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for e in data.get("edges", []):
        if e["type"] == "RESOLVES_TO":
            continue
        a, b = owner.get(e["source"], e["source"]), owner.get(e["target"], e["target"])
        if a != b and a in nodes.keys() | people.keys() and b in nodes.keys() | people.keys():
            links[(a, b)].add(e["type"])
    items = _items(nodes, owner, links, centre, role)
    return {
        "subject": centre,
        "people": list(people.values()),
        "items": items,
        "links": [{"source": a, "target": b, "types": sorted(t)} for (a, b), t in links.items()],
    }


def _identity_caption(n: dict[str, Any] | None) -> str:
    """An identity with no record on the chart: its caption unless that is only its key."""
    caption = str((n or {}).get("caption") or "")
    return "Person (no record shown)" if not caption or caption == (n or {}).get("id") else caption


def _centre(nodes: dict[str, Any], owner: dict[str, str], subject: str | None) -> str | None:
    if not subject:
        return None
    for k, n in nodes.items():
        if subject in (k, n.get("identity_id")) or subject in (n.get("record_keys") or []):
            return owner.get(k, k)
    return None


def _items(
    nodes: dict[str, Any],
    owner: dict[str, str],
    links: dict[tuple[str, str], set[str]],
    centre: str | None,
    role: dict[str, str],
) -> list[dict[str, Any]]:
    """Each non-person node with the group it folds into: the person it links the subject to
    (a victim before anyone else), else the one person it touches, else the subject's own."""
    people = set(owner.values())
    touch: dict[str, set[str]] = defaultdict(set)
    for a, b in links:
        if a in people and b not in people:
            touch[b].add(a)
        elif b in people and a not in people:
            touch[a].add(b)
    # a breach belongs with the order it breaches (no person links to a breach directly)
    for a, b in list(links):
        if b in nodes and nodes[b]["label"] == "Order" and a not in people:
            touch[a] |= touch[b]
    out = []
    for key, n in sorted(nodes.items()):
        if n["label"] in PEOPLE:
            continue
        others = sorted(touch[key] - {centre}, key=lambda p: (role.get(p) != "victim", p))
        group = group_of(others[0]) if others else OWN
        out.append(
            {
                "id": key,
                "kind": n["label"],
                "caption": n.get("caption") or n["label"],
                "date": n.get("date"),
                "agency_code": n.get("agency_code"),
                "group": group,
            }
        )
    return out


def counts(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Per group, how many items of each kind."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for it in items:
        out[it["group"]][it["kind"]] += 1
    return out


def summary(kinds: dict[str, int]) -> str:
    """'3 incidents · 1 order' for a group's counts (kinds in a fixed order)."""
    parts = []
    for kind, (one, many) in KIND_WORDS.items():
        n = kinds.get(kind, 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return " · ".join(parts)


def strongest(types: list[str] | set[str]) -> str:
    """The relationship type a folded line is drawn as."""
    return min(types, key=lambda t: EDGE_RANK.index(t) if t in EDGE_RANK else len(EDGE_RANK))
