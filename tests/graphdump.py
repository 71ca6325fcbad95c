"""A canonical dump of the whole graph, to prove two loads produced the same graph."""

from __future__ import annotations

import json
from typing import Any

from neo4j import Driver

from graph import ranking
from graph.driver import read

_KEYS = [
    "agency_code",
    "person_key",
    "identity_id",
    "address_key",
    "incident_key",
    "order_key",
    "breach_key",
    "notification_key",
    "id",
]


def _canon(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_canon(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def dump(driver: Driver) -> dict[str, list[str]]:
    """Every node (labels, properties) and relationship (type, endpoint keys, properties).

    Alerts, inbox items, the cases the follow-up opens and the RFGV ranking it stores
    (graph/ranking.py) are left out: they are derived and dated; `alert_ids` compares the
    alerts."""
    nodes = read(
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:Alert AND NOT n:AlertItem "
        "AND NOT n:Case AND NOT n:CaseChange AND NOT n:Ranking "
        "RETURN labels(n) AS labels, properties(n) AS props",
        driver=driver,
    )
    for n in nodes:
        for name in ranking.PROPERTIES:
            n["props"].pop(name, None)
    rels = read(
        "MATCH (a)-[r]->(b) WHERE NOT a:Alert AND NOT a:AlertItem "
        "AND NOT a:Case AND NOT a:CaseChange "
        "RETURN type(r) AS type, properties(r) AS props, "
        "[k IN $keys WHERE a[k] IS NOT NULL | a[k]][0] AS a, "
        "[k IN $keys WHERE b[k] IS NOT NULL | b[k]][0] AS b",
        {"keys": _KEYS},
        driver=driver,
    )
    return {
        "nodes": sorted(json.dumps(_canon(n), sort_keys=True) for n in nodes),
        "rels": sorted(json.dumps(_canon(r), sort_keys=True) for r in rels),
    }


def count_label(driver: Driver, label: str) -> int:
    rows = read(
        "MATCH (n) WHERE $label IN labels(n) RETURN count(n) AS c", {"label": label}, driver=driver
    )
    return int(rows[0]["c"])


def count_type(driver: Driver, rel_type: str) -> int:
    rows = read(
        "MATCH ()-[r]->() WHERE type(r) = $t RETURN count(r) AS c", {"t": rel_type}, driver=driver
    )
    return int(rows[0]["c"])


def alert_ids(driver: Driver) -> list[str]:
    rows = read("MATCH (a:Alert) RETURN a.alert_id AS id ORDER BY id", driver=driver)
    return [r["id"] for r in rows]
