"""Build small graphs straight from Python dicts, shaped exactly as docs/model.md says.

Tests of the saved queries use this instead of the loader so that each test states its graph in a
few lines. Every person gets a singleton identity `ID:<person_key>` unless the row names an
`identity` (how a test says "these records are one resolved human").
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph.driver import write
from graph.facts import refresh_all

DA = {"domestic_abuse", "stalking", "harassment", "coercive_control"}
NOTICES = {"DVPN", "DAPN"}
QUALIFYING = {"DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"}
ROLE = {
    "suspect": "SUSPECT_IN",
    "offender": "OFFENDER_IN",
    "victim": "VICTIM_IN",
    "witness": "WITNESS_IN",
}
KIND = {
    "intimate_partner": "INTIMATE_PARTNER",
    "ex_partner": "EX_PARTNER",
    "family": "FAMILY",
    "associate": "ASSOCIATE",
}

_AGENCIES = """
UNWIND $rows AS r
CREATE (:Agency {agency_code: r.agency_code, name: r.name, type: r.type,
                 is_police: r.type = 'police_force'})
"""
_PERSONS = """
UNWIND $rows AS r
MATCH (a:Agency {agency_code: r.agency_code})
CREATE (p:Person {person_key: r.person_key, agency_code: r.agency_code, surname: r.surname,
                  forename: r.forename, gender: r.gender,
                  full_name: r.forename + ' ' + r.surname,
                  date_of_birth: CASE WHEN r.dob IS NULL THEN null ELSE date(r.dob) END})
CREATE (p)-[:SUPPLIED_BY]->(a)
MERGE (i:Identity {identity_id: coalesce(r.identity, 'ID:' + r.person_key)})
CREATE (p)-[:RESOLVES_TO {method: 'initial'}]->(i)
"""
_ADDRESSES = """
UNWIND $rows AS r
CREATE (:Address {address_key: r.address_key, postcode: r.postcode, line1: r.line1,
                  town: r.town})
"""
_INCIDENTS = """
UNWIND $rows AS r
MATCH (a:Agency {agency_code: r.agency_code})
CREATE (n:Incident {incident_key: r.incident_key, agency_code: r.agency_code,
  reported_date: date(r.reported_date), category: r.category, offence: r.offence,
  outcome: r.outcome, da_related: r.category IN $da,
  offence_date: CASE WHEN r.offence_date IS NULL THEN null ELSE date(r.offence_date) END,
  event_date: date(coalesce(r.offence_date, r.reported_date)),
  outcome_date: CASE WHEN r.outcome_date IS NULL THEN null ELSE date(r.outcome_date) END})
CREATE (n)-[:SUPPLIED_BY]->(a)
WITH n, r
CALL (n, r) {
  MATCH (ad:Address {address_key: r.address_key})
  CREATE (n)-[:OCCURRED_AT]->(ad)
}
"""
_PARTIES = """
UNWIND $rows AS r
MATCH (p:Person {person_key: r.person_key}), (n:Incident {incident_key: r.incident_key})
CALL (p, n, r) {
  WITH p, n WHERE r.rel = 'SUSPECT_IN' CREATE (p)-[:SUSPECT_IN]->(n)
  UNION WITH p, n WHERE r.rel = 'OFFENDER_IN' CREATE (p)-[:OFFENDER_IN]->(n)
  UNION WITH p, n WHERE r.rel = 'VICTIM_IN' CREATE (p)-[:VICTIM_IN]->(n)
  UNION WITH p, n WHERE r.rel = 'WITNESS_IN' CREATE (p)-[:WITNESS_IN]->(n)
}
"""
_ORDERS = """
UNWIND $rows AS r
MATCH (s:Person {person_key: r.subject_key}), (a:Agency {agency_code: r.agency_code})
CREATE (o:Order {order_key: r.order_key, order_type: r.order_type, agency_code: r.agency_code,
  is_notice: r.order_type IN $notices, qualifying: r.order_type IN $qualifying,
  issued_date: date(r.issued_date), start_date: date(coalesce(r.start_date, r.issued_date)),
  end_date: CASE WHEN r.end_date IS NULL THEN null ELSE date(r.end_date) END,
  issuing_body: r.issuing_body, conditions: r.conditions})
CREATE (s)-[:SUBJECT_OF]->(o), (o)-[:SUPPLIED_BY]->(a)
WITH o, r
UNWIND r.protected AS k
MATCH (p:Person {person_key: k})
CREATE (o)-[:PROTECTS]->(p)
"""
_BREACHES = """
UNWIND $rows AS r
MATCH (o:Order {order_key: r.order_key}), (a:Agency {agency_code: r.agency_code})
CREATE (b:Breach {breach_key: r.breach_key, breach_date: date(r.breach_date),
                  outcome: r.outcome, agency_code: r.agency_code})
CREATE (b)-[:BREACH_OF]->(o), (b)-[:SUPPLIED_BY]->(a)
"""
_RESIDENCES = """
UNWIND $rows AS r
MATCH (p:Person {person_key: r.person_key}), (a:Address {address_key: r.address_key})
CREATE (p)-[:RESIDED_AT {from_date: date(r.from_date), agency_code: r.agency_code,
  to_date: CASE WHEN r.to_date IS NULL THEN null ELSE date(r.to_date) END}]->(a)
"""
_RELATIONSHIPS = """
UNWIND $rows AS r
MATCH (p:Person {person_key: r.person_key}), (q:Person {person_key: r.other_key})
CALL (p, q, r) {
  WITH p, q WHERE r.rel = 'INTIMATE_PARTNER' CREATE (p)-[x:INTIMATE_PARTNER]->(q) RETURN x
  UNION WITH p, q WHERE r.rel = 'EX_PARTNER' CREATE (p)-[x:EX_PARTNER]->(q) RETURN x
  UNION WITH p, q WHERE r.rel = 'FAMILY' CREATE (p)-[x:FAMILY]->(q) RETURN x
  UNION WITH p, q WHERE r.rel = 'ASSOCIATE' CREATE (p)-[x:ASSOCIATE]->(q) RETURN x
}
SET x.from_date = CASE WHEN r.from_date IS NULL THEN null ELSE date(r.from_date) END,
    x.to_date = CASE WHEN r.to_date IS NULL THEN null ELSE date(r.to_date) END,
    x.agency_code = r.agency_code
"""
_NOTIFICATIONS = """
UNWIND $rows AS r
MATCH (p:Person {person_key: r.person_key}), (a:Agency {agency_code: r.agency_code})
CREATE (n:Notification {notification_key: r.notification_key, type: r.type,
  notified_date: date(r.notified_date), agency_code: r.agency_code, details: r.details,
  event_date: CASE WHEN r.event_date IS NULL THEN null ELSE date(r.event_date) END})
CREATE (p)-[:NOTIFIED]->(n), (n)-[:SUPPLIED_BY]->(a)
"""


def _fill(rows: list[dict[str, Any]], defaults: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**defaults, **r} for r in rows]


def build(driver: Driver, g: dict[str, list[dict[str, Any]]]) -> None:
    """Create the graph `g` (keys: agencies, persons, addresses, incidents, orders, breaches,
    residences, relationships, notifications); an incident lists `parties` as (key, role)."""

    def run(cypher: Any, rows: list[dict[str, Any]], **extra: Any) -> None:
        if rows:
            write(cypher, {"rows": rows, **extra}, driver=driver)

    run(_AGENCIES, _fill(g.get("agencies", []), {"type": "police_force", "name": None}))
    run(
        _PERSONS,
        _fill(
            g.get("persons", []),
            {
                "surname": "Testperson",
                "forename": "Alex",
                "gender": "U",
                "dob": None,
                "identity": None,
            },
        ),
    )
    run(
        _ADDRESSES,
        _fill(g.get("addresses", []), {"postcode": "ZZ1 1ZZ", "line1": None, "town": None}),
    )
    incidents = _fill(
        g.get("incidents", []),
        {
            "offence_date": None,
            "category": "domestic_abuse",
            "offence": "Common assault",
            "outcome": "open",
            "outcome_date": None,
            "address_key": None,
            "parties": [],
        },
    )
    run(_INCIDENTS, incidents, da=sorted(DA))
    parties = [
        {"incident_key": i["incident_key"], "person_key": k, "rel": ROLE[role]}
        for i in incidents
        for k, role in i["parties"]
    ]
    run(_PARTIES, parties)
    run(
        _ORDERS,
        _fill(
            g.get("orders", []),
            {
                "start_date": None,
                "end_date": None,
                "protected": [],
                "issuing_body": None,
                "conditions": None,
            },
        ),
        notices=sorted(NOTICES),
        qualifying=sorted(QUALIFYING),
    )
    run(_BREACHES, _fill(g.get("breaches", []), {"outcome": None}))
    run(_RESIDENCES, _fill(g.get("residences", []), {"to_date": None, "agency_code": None}))
    rels = [
        {**r, "rel": KIND[r["type"]]}
        for r in _fill(
            g.get("relationships", []), {"from_date": None, "to_date": None, "agency_code": None}
        )
    ]
    run(_RELATIONSHIPS, rels)
    run(_NOTIFICATIONS, _fill(g.get("notifications", []), {"event_date": None, "details": None}))
    refresh_all(driver)  # as a bulk load does: the per-identity facts the queries seek by
