"""The link chart (a person's neighbourhood), shortest paths, and the chart's exports.

Both come from the saved query library (`neighbourhood`, `shortest_path`); this module turns
rows into nodes and edges and renders them as JSON, GraphML or i2 ANX (`chart_formats`), always
from rows that have already been through the door (so a partner's export is redacted like his
screen).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from neo4j import Driver

from app.errors import ApiError, BadRequest
from app.security.roles import Perm
from app.services import chart_formats, library
from app.services.door import Access, guard
from graph.registry import get_library

NODE_FIELDS = ("label", "caption", "hops", "date", "agency_code", "identity_id", "record_keys")


def _params(
    person: str,
    hops: int,
    date_from: date | None,
    date_to: date | None,
    labels: list[str] | None,
    rel_types: list[str] | None,
    forces: list[str] | None,
    limit: int,
) -> dict[str, Any]:
    return {
        "person": person,
        "hops": hops,
        "date_from": date_from,
        "date_to": date_to,
        "labels": labels or None,
        "rel_types": rel_types or None,
        "forces": forces or None,
        "limit": limit,
    }


def neighbourhood(
    access: Access,
    person: str,
    *,
    hops: int = 1,
    date_from: date | None = None,
    date_to: date | None = None,
    labels: list[str] | None = None,
    rel_types: list[str] | None = None,
    forces: list[str] | None = None,
    limit: int = 300,
    action: str = "read",
    driver: Driver | None = None,
    keep_rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The link chart around a person: nodes (nearest first) and the edges between them
    (and the query's rows in `keep_rows`, when given)."""
    params = _params(person, hops, date_from, date_to, labels, rel_types, forces, limit)
    result = library.run(
        access, "neighbourhood", params, perm=Perm.network, action=action, driver=driver
    )
    if keep_rows is not None:
        keep_rows.extend(result["rows"])
    return {"centre": person, **chart(result["rows"]), "truncated": len(result["rows"]) >= limit}


def people_chart(
    access: Access, person: str, driver: Driver | None = None, **filters: Any
) -> dict[str, Any]:
    """The explorer's link chart: `neighbourhood` with his victims' numbers in his chain
    (`numbers`: {identity_id: n}, as `victim_story` numbers them) and his identity id
    (`perpetrator`, when he has victims). When the chart holds his whole history (no filter,
    two steps or more, nothing cut off) the numbers are read from its own incidents and
    orders: one query and one audit entry. Otherwise, and for a partner (whose rows carry
    opaque keys), they come from his chain; a role without the chain gets none."""
    rows: list[dict[str, Any]] = []
    whole = _whole_history(access, filters)
    data = neighbourhood(access, person, driver=driver, keep_rows=rows, **filters)
    if whole and not data["truncated"]:
        chain = chain_order(rows)
    else:
        try:
            chain = [
                (str(v["identity_id"]), str(v["perpetrator_id"]))
                for v in victim_story(access, person, driver=driver)
                if v.get("identity_id")
            ]
        except ApiError:
            chain = []
    numbers = {v: n for n, (v, _) in enumerate(chain, 1)}
    return {**data, "numbers": numbers, "perpetrator": chain[0][1] if chain else None}


WHOLE_HISTORY_HOPS = 2  # his records, his incidents and orders, the people in them


def _whole_history(access: Access, filters: dict[str, Any]) -> bool:
    narrowed = ("date_from", "date_to", "labels", "rel_types", "forces")
    return (
        not access.partner
        and int(filters.get("hops", 1)) >= WHOLE_HISTORY_HOPS
        and not any(filters.get(k) for k in narrowed)
    )


PERPETRATOR_EDGES = ("SUSPECT_IN", "OFFENDER_IN")


def chain_order(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """His victims (identity id, and his) in the order of the saved `victim_chain` query,
    from the rows of an unfiltered chart of two steps or more: a victim is an identity, not
    his, with a record that is victim in a DA-related incident in which one of his records
    is suspect or offender, or protected by an order one of his records is subject of. Her
    first offence: her earliest such incident (date, then key), else her earliest order
    (issued date, then key); victims in order of that date (missing dates last), key, id."""
    by_key = {r["key"]: r for r in rows}
    him = next((r["key"] for r in rows if r["hops"] == 0 and r["label"] == "Identity"), None)
    if him is None:
        return []
    mine = {r["key"] for r in rows if r["label"] == "Person" and r.get("identity_id") == him}
    offences: set[str] = set()
    victims_of: dict[str, set[str]] = {}  # incident or order key -> victims' identity ids
    for r in rows:
        for link in r.get("links") or []:
            target = by_key.get(link["to"])
            if target is None:
                continue
            if r["key"] in mine and (
                (link["type"] in PERPETRATOR_EDGES and target.get("da_related"))
                or link["type"] == "SUBJECT_OF"
            ):
                offences.add(target["key"])
            elif r["label"] == "Person" and link["type"] == "VICTIM_IN":
                victims_of.setdefault(target["key"], set()).add(r.get("identity_id") or "")
            elif target["label"] == "Person" and link["type"] == "PROTECTS":
                victims_of.setdefault(r["key"], set()).add(target.get("identity_id") or "")
    firsts: dict[str, tuple[int, Any, str]] = {}
    for key in offences:
        rank = 0 if by_key[key]["label"] == "Incident" else 1
        when = (rank, by_key[key].get("date"), key)
        for v in victims_of.get(key, set()) - {"", him}:
            if v not in firsts or _earlier(when, firsts[v]):
                firsts[v] = when
    ordered = sorted(firsts, key=lambda v: (_date_key(firsts[v][1]), firsts[v][2], v))
    return [(v, him) for v in ordered]


def _date_key(d: Any) -> tuple[bool, str]:
    return (d is None, str(d or ""))


def _earlier(a: tuple[int, Any, str], b: tuple[int, Any, str]) -> bool:
    """Her first offence: any incident before any order, else the earlier (date, key)."""
    return (a[0], _date_key(a[1]), a[2]) < (b[0], _date_key(b[1]), b[2])


def chart(rows: list[dict[str, Any]]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    for r in rows:
        nodes.setdefault(r["key"], {"id": r["key"], **{f: r.get(f) for f in NODE_FIELDS}})
    seen: set[tuple[str, str, str]] = set()
    for r in rows:
        for link in r.get("links") or []:
            edge = (r["key"], link["to"], link["type"])
            if link["to"] in nodes and edge not in seen:
                seen.add(edge)
                edges.append({"source": edge[0], "target": edge[1], "type": edge[2]})
    return {"nodes": list(nodes.values()), "edges": edges}


def path(
    access: Access,
    a: str,
    b: str,
    max_hops: int = 8,
    driver: Driver | None = None,
    budget: int | None = None,
) -> dict[str, Any]:
    """The shortest chain of records between two people, step by step; `budget` bounds the
    relationships the search walks (the query's default when None)."""
    params: dict[str, Any] = {"a": a, "b": b, "max_hops": max_hops}
    if budget is not None:
        params["budget"] = budget
    result = library.run(
        access,
        "shortest_path",
        params,
        perm=Perm.network,
        driver=driver,
    )
    rows = result["rows"]
    stopped = len(rows) == 1 and rows[0]["step"] is None  # the search's budget ran out
    if rows and not stopped:  # the ends as the door left them (a partner sees a pseudonym)
        a, b = rows[0].get("identity_id") or a, rows[-1].get("identity_id") or b
    searched = rows[0]["searched"] if rows else max_hops
    return {
        "a": a,
        "b": b,
        "found": bool(rows) and not stopped,
        "length": None if stopped or not rows else rows[0]["length"],
        "searched": searched,
        "note": None
        if rows and not stopped
        else f"no path within {searched} step{'s' * (searched != 1)}"
        + (" (the search stopped at its budget)" if stopped else ""),
        "steps": [] if stopped else rows,
    }


FORMATS = ("json", "graphml", "anx")
# The chart a person's link chart opens on (the explorer's first view; its exports use the same)
OPENING: dict[str, Any] = {"hops": 2, "limit": 1000}


def export_chart(
    access: Access,
    person: str,
    fmt: str,
    driver: Driver | None = None,
    positions: dict[str, dict[str, float]] | None = None,
    **filters: Any,
) -> str:
    """The link chart as JSON, GraphML or i2 ANX, audited as an export; `positions` (by node
    id) are the screen's, where the explorer sends them."""
    if fmt not in FORMATS:
        raise BadRequest(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    guard(access, Perm.export, "query:neighbourhood", {"person": person, **filters}, "export")
    data = neighbourhood(access, person, action="export", driver=driver, **filters)
    if fmt == "graphml":
        return chart_formats.graphml(data, positions)
    if fmt == "anx":
        return chart_formats.anx(data, positions)
    return json.dumps(data, ensure_ascii=False, indent=1)


def export_opening_chart(
    access: Access,
    person: str,
    fmt: str,
    driver: Driver | None = None,
    positions: dict[str, dict[str, float]] | None = None,
) -> str:
    """The chart a person's link chart opens on (`OPENING`), in `fmt`, through the same door."""
    return export_chart(access, person, fmt, driver=driver, positions=positions, **OPENING)


def victim_story(access: Access, person: str, driver: Driver | None = None) -> list[dict[str, Any]]:
    """His victim chain (the saved `victim_chain` query, through the door), each victim with
    her gravest offence by the same harm table the chain's gravity and escalation use."""
    rows = library.run(access, "victim_chain", {"person": person}, driver=driver)["rows"]
    harm = _harm()
    for r in rows:
        offences = [o for o in r.get("offences") or [] if o]
        r["gravest"] = max(offences, key=lambda o: harm.get(o, 0), default=None)
    return rows


def _harm() -> dict[str, int]:
    param = get_library().get("victim_chain").param("rfgv")
    table = (param.default if param else None) or {}
    return dict(table.get("gravity", {}).get("harm", {}))
