"""The service layer's own Cypher (personal data): values only as $parameters, read-only.

The saved query library covers the analytic questions; what is here serves the API's own
resources (search, profile) and the partner redaction (who is a victim, in which order).
"""

from __future__ import annotations

from typing import LiteralString

_IDENTITY: LiteralString = """
CALL () {
  MATCH (i:Identity {identity_id: $id})
  RETURN i
  UNION
  MATCH (:Person {person_key: $id})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
"""

_PERPETRATOR: LiteralString = """(
  EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident)
           WHERE n.da_related }
  OR EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order) })"""

NAMED_IDENTITIES: LiteralString = """
UNWIND $values AS value
CALL (value) {
  MATCH (i:Identity {identity_id: value})
  RETURN i
  UNION
  MATCH (:Person {person_key: value})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
RETURN DISTINCT i.identity_id AS identity_id
"""

RESOLVE: LiteralString = (
    _IDENTITY + "RETURN i.identity_id AS identity_id, " + _PERPETRATOR + (" AS perpetrator")
)

SEARCH: LiteralString = (
    """
CALL () {
  WITH 1 AS one WHERE $lucene IS NOT NULL
  CALL db.index.fulltext.queryNodes('person_names', $lucene, {limit: 1000})
    YIELD node, score
  RETURN node AS p, score
  UNION
  WITH 1 AS one WHERE $lucene IS NULL AND $record_key IS NOT NULL
  MATCH (p:Person {person_key: $record_key})
  RETURN p, 1.0 AS score
  UNION
  WITH 1 AS one WHERE $lucene IS NULL AND $record_key IS NULL AND $dob IS NOT NULL
  MATCH (p:Person {date_of_birth: $dob})
  RETURN p, 1.0 AS score
  UNION
  WITH 1 AS one
  WHERE $lucene IS NULL AND $record_key IS NULL AND $dob IS NULL AND $postcode IS NOT NULL
  MATCH (:Address {postcode: $postcode})<-[:RESIDED_AT]-(p:Person)
  RETURN p, 1.0 AS score
}
MATCH (p)-[:RESOLVES_TO]->(i:Identity)
WITH i, max(score) AS score
WHERE ($dob IS NULL OR EXISTS { (i)<-[:RESOLVES_TO]-(q:Person) WHERE q.date_of_birth = $dob })
  AND ($record_key IS NULL OR EXISTS { (i)<-[:RESOLVES_TO]-(:Person {person_key: $record_key}) })
  AND ($postcode IS NULL OR EXISTS {
        (i)<-[:RESOLVES_TO]-(:Person)-[:RESIDED_AT]->(:Address {postcode: $postcode}) })
  AND (NOT $perpetrators_only OR """
    + _PERPETRATOR
    + """)
WITH i, score ORDER BY score DESC, i.identity_id LIMIT $limit
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  WITH p ORDER BY p.person_key
  RETURN collect(p.person_key) AS record_keys, collect(DISTINCT p.full_name) AS names,
         collect(DISTINCT p.date_of_birth) AS dates_of_birth,
         collect(DISTINCT p.agency_code) AS agencies
}
RETURN i.identity_id AS identity_id, record_keys, names, dates_of_birth, agencies,
       size(COLLECT { MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
                      WHERE coalesce(o.start_date, o.issued_date) <= date()
                        AND (o.end_date IS NULL OR o.end_date >= date())
                      RETURN DISTINCT o.order_key }) AS active_orders,
       round(score, 3) AS score
ORDER BY score DESC, identity_id
"""
)

PROFILE: LiteralString = (
    _IDENTITY
    + """
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  WITH p ORDER BY p.person_key
  RETURN collect({person_key: p.person_key, agency_code: p.agency_code,
                  full_name: p.full_name, surname: p.surname, forename: p.forename,
                  middle_names: p.middle_names, date_of_birth: p.date_of_birth,
                  gender: p.gender, pnc_id: p.pnc_id, aliases: coalesce(p.aliases, [])})
         AS records
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[r:RESIDED_AT]->(a:Address)
  WITH r, a ORDER BY r.from_date, a.address_key
  RETURN collect(CASE WHEN a IS NOT NULL THEN {
           address_key: a.address_key, line1: a.line1, line2: a.line2, town: a.town,
           postcode: a.postcode, from_date: r.from_date, to_date: r.to_date,
           agency_code: r.agency_code} END) AS addresses
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(p:Person)-[r:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]
                 ->(n:Incident)
  WITH DISTINCT n, toLower(replace(type(r), '_IN', '')) AS role
  ORDER BY n.event_date, n.incident_key
  RETURN collect(CASE WHEN n IS NOT NULL THEN {
           incident_key: n.incident_key, role: role, category: n.category,
           offence: n.offence, reported_date: n.reported_date, offence_date: n.offence_date,
           outcome: n.outcome, outcome_date: n.outcome_date, agency_code: n.agency_code,
           da_related: n.da_related,
           parties: COLLECT { MATCH (n)<-[q]-(o:Person)-[:RESOLVES_TO]->(j:Identity)
                              WHERE j <> i AND type(q) IN ['SUSPECT_IN', 'OFFENDER_IN',
                                                           'VICTIM_IN', 'WITNESS_IN']
                              RETURN DISTINCT {identity_id: j.identity_id, name: o.full_name,
                                      role: toLower(replace(type(q), '_IN', ''))} }} END)
         AS incidents
}
CALL (i) {
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
    RETURN o, 'subject' AS role
    UNION
    MATCH (i)<-[:RESOLVES_TO]-(:Person)<-[:PROTECTS]-(o:Order)
    RETURN o, 'protected' AS role
  }
  WITH o, role ORDER BY o.issued_date, o.order_key
  RETURN collect({order_key: o.order_key, order_type: o.order_type, role: role,
                  issued_date: o.issued_date, start_date: o.start_date, end_date: o.end_date,
                  issuing_body: o.issuing_body, conditions: o.conditions,
                  agency_code: o.agency_code, breaches: COUNT { (:Breach)-[:BREACH_OF]->(o) },
                  subject: COLLECT { MATCH (o)<-[:SUBJECT_OF]-(s:Person)-[:RESOLVES_TO]->(j)
                                     RETURN {identity_id: j.identity_id, name: s.full_name} }[0],
                  protected: COLLECT { MATCH (o)-[:PROTECTS]->(s:Person)-[:RESOLVES_TO]->(j)
                                       RETURN {identity_id: j.identity_id,
                                               name: s.full_name} }}) AS orders
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:NOTIFIED]->(n:Notification)
  WITH n ORDER BY n.notified_date, n.notification_key
  RETURN collect(CASE WHEN n IS NOT NULL THEN {
           notification_key: n.notification_key, type: n.type, notified_date: n.notified_date,
           event_date: n.event_date, details: n.details, agency_code: n.agency_code} END)
         AS notifications
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[r:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]
                 -(o:Person)-[:RESOLVES_TO]->(j:Identity)
  WHERE j <> i
  WITH r, o, j ORDER BY r.from_date, j.identity_id
  RETURN collect(CASE WHEN r IS NOT NULL THEN {
           type: toLower(type(r)), identity_id: j.identity_id, name: o.full_name,
           from_date: r.from_date, to_date: r.to_date, agency_code: r.agency_code} END)
         AS relationships
}
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  CALL (p) {
    MATCH (p)-[:SUPPLIED_BY]->(a:Agency) RETURN a
    UNION
    MATCH (p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|SUBJECT_OF|NOTIFIED]->()
          -[:SUPPLIED_BY]->(a:Agency)
    RETURN a
  }
  WITH DISTINCT a ORDER BY a.name
  RETURN collect({agency_code: a.agency_code, name: a.name, type: a.type}) AS agencies
}
RETURN i.identity_id AS identity_id, [r IN records | r.person_key] AS record_keys,
       COLLECT { UNWIND records AS r UNWIND r.aliases AS a WITH DISTINCT a RETURN a ORDER BY a }
         AS aliases,
       """
    + _PERPETRATOR
    + """ AS perpetrator,
       records, addresses, incidents, orders, notifications, relationships, agencies
"""
)

# Each perpetrator's victims in chain order (as the saved query `victim_chain` numbers them).
CHAINS: LiteralString = """
UNWIND $perps AS pid
MATCH (i:Identity {identity_id: pid})
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
        <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
  WHERE inc.da_related AND v <> i
  RETURN v, 0 AS kind, inc.event_date AS d, inc.incident_key AS k
  UNION
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
        -[:RESOLVES_TO]->(v:Identity)
  WHERE v <> i
  RETURN v, 1 AS kind, o.issued_date AS d, o.order_key AS k
}
WITH i, v, kind, d, k ORDER BY kind, d, k
WITH i, v, head(collect([d, k])) AS first
ORDER BY first[0], first[1], v.identity_id
RETURN i.identity_id AS perpetrator, collect(v.identity_id) AS victims
"""

# Identities a partner may not see among the given keys (identities, person records, or the
# addresses, incidents and orders that lead to them), with what could name or locate them:
# victims (of any incident or protected by any order), and partners who are not perpetrators.
HIDDEN: LiteralString = (
    """
CALL () {
  UNWIND $keys AS k MATCH (i:Identity {identity_id: k}) RETURN i
  UNION
  UNWIND $keys AS k MATCH (:Person {person_key: k})-[:RESOLVES_TO]->(i:Identity) RETURN i
  UNION
  UNWIND $keys AS k MATCH (:Address {address_key: k})<-[:RESIDED_AT]-(:Person)
                          -[:RESOLVES_TO]->(i:Identity) RETURN i
  UNION
  UNWIND $keys AS k MATCH (:Address {address_key: k})<-[:OCCURRED_AT]-(:Incident)
                          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(i:Identity) RETURN i
  UNION
  UNWIND $keys AS k MATCH (:Incident {incident_key: k})<-[:VICTIM_IN]-(:Person)
                          -[:RESOLVES_TO]->(i:Identity) RETURN i
  UNION
  UNWIND $keys AS k MATCH (:Order {order_key: k})-[:PROTECTS]->(:Person)
                          -[:RESOLVES_TO]->(i:Identity) RETURN i
}
WITH DISTINCT i
WITH i,
     EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:VICTIM_IN]->(:Incident) }
     OR EXISTS { (i)<-[:RESOLVES_TO]-(:Person)<-[:PROTECTS]-(:Order) } AS victim,
     EXISTS { (i)<-[:RESOLVES_TO]-(:Person)-[:INTIMATE_PARTNER|EX_PARTNER]-(:Person) } AS partner
WHERE victim OR (partner AND NOT """
    + _PERPETRATOR
    + """)
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  RETURN collect(p.person_key) AS person_keys,
         [n IN collect(p.full_name) + reduce(a = [], x IN collect(coalesce(p.aliases, [])) | a + x)
          WHERE n IS NOT NULL] AS names,
         [d IN collect(DISTINCT p.date_of_birth) | toString(d)] AS dobs
}
CALL (i) {
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:RESIDED_AT]->(a:Address) RETURN a
    UNION
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:VICTIM_IN]->(:Incident)-[:OCCURRED_AT]->(a:Address)
    RETURN a
  }
  RETURN collect(a.address_key) AS address_keys, collect(DISTINCT a.postcode) AS postcodes,
         [l IN collect(DISTINCT a.line1) WHERE l IS NOT NULL] AS lines
}
RETURN i.identity_id AS identity_id, victim, person_keys, names, dobs, address_keys,
       postcodes, lines
"""
)

REVIEW_STATUS: LiteralString = """
MATCH (r:ReviewPair {pair_id: $id})
RETURN r.status AS status, r.decided_by AS decided_by
"""
