"""An alert's evidence as an officer reads it: each record that triggered it, with its date,
what it is and the people it names (their record and identity, name, date of birth, role).

Evidence keys are record keys (incidents, orders, breaches, notifications, person records) or
row keys of relationships (`person|type|other|from`) and residences (`person|address|from`).
The people and addresses are given as maps with their keys, so the service layer's redaction
can recognise a victim and replace her by a pseudonym for a partner agency.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from graph.driver import read
from graph.runner import plain

_PERSON = (
    "{person_key: q.person_key, identity_id: qi.identity_id, name: q.full_name, "
    "date_of_birth: toString(q.date_of_birth), agency_code: q.agency_code, role: role}"
)

EVIDENCE = (
    """
MATCH (al:Alert {alert_id: $id})
UNWIND range(0, size(al.evidence) - 1) AS n
WITH al.evidence[n] AS k, n
CALL (k) {
  MATCH (x:Incident {incident_key: k})
  RETURN {kind: 'incident', key: k, agency_code: x.agency_code,
          date: toString(coalesce(x.offence_date, x.reported_date)),
          what: x.category + coalesce(': ' + x.offence, '') + coalesce(', ' + x.outcome, ''),
          people: COLLECT {
            MATCH (x)<-[t:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]-(q:Person)
                  -[:RESOLVES_TO]->(qi:Identity)
            WITH q, qi, toLower(replace(type(t), '_IN', '')) AS role
            RETURN """
    + _PERSON
    + """ ORDER BY q.person_key }} AS item
  UNION
  MATCH (x:Order {order_key: k})
  RETURN {kind: 'order', key: k, agency_code: x.agency_code, date: toString(x.issued_date),
          what: x.order_type + coalesce(' until ' + toString(x.end_date), ''),
          people: COLLECT {
            MATCH (x)-[t:PROTECTS]-(q:Person)-[:RESOLVES_TO]->(qi:Identity)
            WITH q, qi, 'protected' AS role
            RETURN """
    + _PERSON
    + """ ORDER BY q.person_key } + COLLECT {
            MATCH (x)<-[t:SUBJECT_OF]-(q:Person)-[:RESOLVES_TO]->(qi:Identity)
            WITH q, qi, 'subject' AS role
            RETURN """
    + _PERSON
    + """ ORDER BY q.person_key }} AS item
  UNION
  MATCH (x:Breach {breach_key: k})-[:BREACH_OF]->(o:Order)
  RETURN {kind: 'breach', key: k, agency_code: x.agency_code, date: toString(x.breach_date),
          what: 'breach of ' + o.order_type + ' ' + o.order_key
                + coalesce(', ' + x.outcome, ''), people: []} AS item
  UNION
  MATCH (x:Notification {notification_key: k})
  RETURN {kind: 'notification', key: k, agency_code: x.agency_code,
          date: toString(x.notified_date),
          what: x.type + coalesce(' of ' + toString(x.event_date), ''), people: []} AS item
  UNION
  MATCH (q:Person {person_key: k})-[:RESOLVES_TO]->(qi:Identity)
  WITH k, q, qi, 'record' AS role
  RETURN {kind: 'record', key: k, agency_code: q.agency_code, date: null,
          what: 'person record', people: ["""
    + _PERSON
    + """]} AS item
  UNION
  WITH k, split(k, '|') AS part WHERE size(part) = 4
  MATCH (a:Person {person_key: part[0]})-[r {row_key: k}]->(b:Person {person_key: part[2]})
  MATCH (a)-[:RESOLVES_TO]->(ai:Identity), (b)-[:RESOLVES_TO]->(bi:Identity)
  WITH k, r, [[a, ai, 'person'], [b, bi, part[1]]] AS ends
  RETURN {kind: 'relationship', key: k, agency_code: r.agency_code,
          date: toString(r.from_date), what: replace(type(r), '_', ' '),
          people: [e IN ends | {person_key: e[0].person_key, identity_id: e[1].identity_id,
                   name: e[0].full_name, date_of_birth: toString(e[0].date_of_birth),
                   agency_code: e[0].agency_code, role: e[2]}]} AS item
  UNION
  WITH k, split(k, '|') AS part WHERE size(part) = 3
  MATCH (q:Person {person_key: part[0]})-[r:RESIDED_AT {row_key: k}]->(ad:Address)
  MATCH (q)-[:RESOLVES_TO]->(qi:Identity)
  WITH k, r, ad, q, qi, 'resident' AS role
  RETURN {kind: 'residence', key: k, agency_code: r.agency_code, date: toString(r.from_date),
          what: 'moved to an address',
          address: {address_key: ad.address_key, line1: ad.line1, town: ad.town,
                    postcode: ad.postcode},
          people: ["""
    + _PERSON
    + """]} AS item
}
RETURN item ORDER BY n
"""
)


def evidence(alert_id: str, driver: Driver | None = None) -> list[dict[str, Any]]:
    """The alert's evidence records in the alert's order (a record deleted since is left out)."""
    return [plain(r["item"]) for r in read(EVIDENCE, {"id": alert_id}, driver=driver)]
