"""Screening: an assessment freezes the evidence about a case's subject as it stood (serial
tier and why, MATAC, RFGV components, victims, orders, breaches, missed notifications, forces)
with the caseworker's notes and decision; `changed_since` compares two assessments.

The evidence comes from the saved queries (serial_perpetrators, matac_serial, rfgv_ranking,
disclosure_check) run for this one identity, so a frozen assessment says exactly what the
library said on the day.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from neo4j import Driver

from graph.cases import CaseError, CaseNotFound, change
from graph.driver import read, write
from graph.runner import run

DECISIONS = ("accept", "not_accept", "defer")
# The frozen lists, compared item by item by `changed_since`.
LISTS = ("tier_why", "victims", "orders", "breaches", "missed", "forces")
FIGURES = ("tier", "matac", "matac_incidents", "rfgv_score", "rfgv_recency", "rfgv_frequency",
           "rfgv_gravity", "rfgv_victims")  # fmt: skip


def evidence(identity_id: str, as_of: date, driver: Driver | None = None) -> dict[str, Any]:
    """The evidence about one identity today, as the saved queries give it."""
    ids = [identity_id]
    serial = run("serial_perpetrators", {"ids": ids}, driver=driver).rows
    matac = run("matac_serial", {"ids": ids, "as_of": as_of}, driver=driver).rows
    rfgv = run("rfgv_ranking", {"ids": ids, "as_of": as_of, "limit": 1}, driver=driver).rows
    check = run("disclosure_check", {"person": identity_id, "as_of": as_of}, driver=driver).rows
    missed = read(
        "MATCH (a:Alert {rule: 'missed_notification'})-[:ABOUT]->(:Identity {identity_id: $id}) "
        "WHERE a.status <> 'dismissed' RETURN a.alert_id AS id ORDER BY id",
        {"id": identity_id},
        driver=driver,
    )
    s = serial[0] if serial else {}
    r = rfgv[0] if rfgv else {}
    c = check[0] if check else {}
    why = [f"{s['victims']} victims"] if s else []
    why += [f"outcome {x}" for x in s.get("outcome_types", [])]
    why += [f"order {x}" for x in s.get("order_types", [])]
    why += [f"notice {x}" for x in s.get("notices", [])]
    return {
        "tier": s.get("tier", "none"),
        "tier_why": why,
        "matac": bool(matac),
        "matac_incidents": int(matac[0]["incidents"]) if matac else 0,
        "rfgv_score": float(r.get("score", 0.0)),
        "rfgv_recency": float(r.get("recency", 0.0)),
        "rfgv_frequency": float(r.get("frequency", 0.0)),
        "rfgv_gravity": float(r.get("gravity", 0.0)),
        "rfgv_victims": float(r.get("victims", 0.0)),
        "victims": sorted(v["identity_id"] for v in c.get("victims", [])),
        "orders": sorted(f"{o['order_key']} {o['order_type']}" for o in c.get("orders", [])),
        "breaches": sorted(b["breach_key"] for b in c.get("breaches", [])),
        "missed": [m["id"] for m in missed],
        "forces": sorted(c.get("forces", [])),
    }


def assess(
    case_id: str,
    version: int,
    by: str,
    *,
    notes: str,
    decision: str,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Freeze the evidence with the caseworker's notes and decision (the case must be in
    screening, or accepted or managed for a later look); bumps the case's version."""
    if decision not in DECISIONS:
        raise CaseError(f"decision must be one of {', '.join(DECISIONS)}")
    rows = read(
        "MATCH (:Case {case_id: $id})-[:ABOUT]->(i:Identity) RETURN i.identity_id AS id",
        {"id": case_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no case {case_id}")
    frozen = evidence(rows[0]["id"], date.today(), driver)
    new_version = change(
        case_id, version, by, {}, allowed_from=("screening", "accepted", "managed"),
        driver=driver,
    )  # fmt: skip
    assessment_id = f"ASM-{secrets.token_hex(6)}"
    write(
        "MATCH (c:Case {case_id: $case}) "
        "CREATE (a:Assessment {assessment_id: $id, case_id: $case, at: datetime(), by: $by, "
        "  version: $version, "
        "  identity_id: c.identity_id, notes: $notes, decision: $decision}) "
        "SET a += $frozen "
        "CREATE (a)-[:OF]->(c) "
        "CREATE (:CaseChange {case_id: $case, at: datetime(), by: $by, "
        "  what: 'assessment ' + $id, field: 'assessment', version: $version, "
        "  after_text: $decision})-[:OF]->(c)",
        {"case": case_id, "id": assessment_id, "by": by, "notes": notes.strip(),
         "decision": decision, "frozen": frozen, "version": new_version},  # fmt: skip
        driver=driver,
    )
    return {"assessment_id": assessment_id, "case_version": new_version}


def assessment(assessment_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """One frozen assessment; victims as identity references (so the door can redact them)."""
    rows = read(
        "MATCH (a:Assessment {assessment_id: $id})-[:OF]->(c:Case) "
        "RETURN properties(a) AS a, toString(a.at) AS at, c.identity_id AS subject",
        {"id": assessment_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no assessment {assessment_id}")
    a = dict(rows[0]["a"])
    a["at"] = rows[0]["at"]
    a["identity_id"] = rows[0]["subject"]
    a["victims"] = [{"identity_id": v} for v in a.get("victims", [])]
    return a


def changed_since(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """What changed from one assessment to a later one: each figure that differs (before,
    after) and each list's items added and removed."""
    def plain(values: list[Any]) -> list[Any]:
        return [v["identity_id"] if isinstance(v, dict) else v for v in values]

    figures = {k: {"before": earlier.get(k), "after": later.get(k)}
               for k in FIGURES if earlier.get(k) != later.get(k)}  # fmt: skip
    lists: dict[str, dict[str, list[Any]]] = {}
    for k in LISTS:
        before, after = plain(earlier.get(k, [])), plain(later.get(k, []))
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        if added or removed:
            lists[k] = {"added": added, "removed": removed}
    for k in ("victims",):  # identity references again, for the door
        if k in lists:
            lists[k] = {d: [{"identity_id": v} for v in vs] for d, vs in lists[k].items()}
    return {"from": earlier["assessment_id"], "to": later["assessment_id"],
            "figures": figures, "lists": lists}  # fmt: skip
