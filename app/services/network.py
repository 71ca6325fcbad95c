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

from app.errors import BadRequest
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
) -> dict[str, Any]:
    """The link chart around a person: nodes (nearest first) and the edges between them."""
    params = _params(person, hops, date_from, date_to, labels, rel_types, forces, limit)
    result = library.run(
        access, "neighbourhood", params, perm=Perm.network, action=action, driver=driver
    )
    return {"centre": person, **chart(result["rows"]), "truncated": len(result["rows"]) >= limit}


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
