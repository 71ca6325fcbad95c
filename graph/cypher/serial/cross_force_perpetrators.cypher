// name: cross_force_perpetrators
// title: Cross-force perpetrators
// description: Perpetrators (suspect or offender in a DA-related incident, or subject of an
//   order) whose person records, DA-related incidents as suspect or offender, or orders as
//   subject come from two or more police forces; with each force's first and last dated event.
//   Candidates by the per-identity fact `force_count` (graph/facts.py).
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param min_forces: int = 2 -- police forces needed
// range min_forces: 1..100
// returns: one row per perpetrator: identity_id, record_keys, name, force_count, forces (sorted
//   names), and per force a map {agency_code, name, records, incidents, orders, first_date,
//   last_date} in `by_force`; most forces first.
MATCH (i:Identity)
WHERE i.force_count >= $min_forces
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  CALL (p) {
    MATCH (p)-[:SUPPLIED_BY]->(a:Agency)
    WHERE a.is_police
    RETURN a, p.person_key AS record, null AS incident, null AS order, null AS d
    UNION
    MATCH (p)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)-[:SUPPLIED_BY]->(a:Agency)
    WHERE inc.da_related AND a.is_police
    RETURN a, null AS record, inc.incident_key AS incident, null AS order, inc.event_date AS d
    UNION
    MATCH (p)-[:SUBJECT_OF]->(o:Order)-[:SUPPLIED_BY]->(a:Agency)
    WHERE a.is_police
    RETURN a, null AS record, null AS incident, o.order_key AS order, o.issued_date AS d
  }
  WITH a, count(DISTINCT record) AS records, count(DISTINCT incident) AS incidents,
       count(DISTINCT order) AS orders, min(d) AS first_date, max(d) AS last_date
  ORDER BY a.name
  RETURN collect({agency_code: a.agency_code, name: a.name, records: records,
                  incidents: incidents, orders: orders, first_date: first_date,
                  last_date: last_date}) AS by_force
}
WITH i, by_force
WHERE size(by_force) >= $min_forces
RETURN i.identity_id AS identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       size(by_force) AS force_count,
       [f IN by_force | f.name] AS forces,
       by_force
ORDER BY force_count DESC, identity_id
