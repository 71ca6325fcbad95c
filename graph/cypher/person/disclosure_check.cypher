// name: disclosure_check
// title: Disclosure check (Clare's Law / DVDS)
// description: The Right to Ask / Right to Know picture for one person over every record
//   resolved into his identity, in every force: prior victims, convictions, cautions,
//   acquittals, orders (active and past on `as_of`), breaches, and the agencies and forces
//   holding his records. Victim locations are never part of the answer.
// audience: caseworker, disclosure_officer
// mode: read
// scope: person
// param person: string -- the subject: an identity id or any person key resolved to it
// param as_of: date = today -- the day orders are judged active or past
// returns: one row: identity_id, record_keys, names, dates_of_birth, victims (list of
//   {identity_id, record_keys, first_date}), convictions, cautions, acquittals (lists of
//   {incident_key, date, offence, category, da_related, force}), orders (list of {order_key,
//   order_type, issued_date, end_date, active, agency, breaches}), active_orders (count),
//   breaches (list of {breach_key, breach_date, order_key, order_type, outcome}), forces,
//   agencies.
CALL () {
  MATCH (i:Identity {identity_id: $person})
  RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  WITH p ORDER BY p.person_key
  RETURN collect(p) AS recs
}
CALL (i) {
  CALL (i) {
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
    WHERE inc.da_related AND v <> i
    RETURN v, inc.event_date AS d
    UNION
    MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
          -[:RESOLVES_TO]->(v:Identity)
    WHERE v <> i
    RETURN v, o.issued_date AS d
  }
  WITH v, min(d) AS first_date
  ORDER BY first_date, v.identity_id
  RETURN collect({identity_id: v.identity_id, first_date: first_date,
                  record_keys: COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(v)
                                         RETURN q.person_key ORDER BY q.person_key }}) AS victims
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
  WHERE inc.outcome IN ['conviction', 'caution', 'acquittal']
  WITH DISTINCT inc
  ORDER BY inc.event_date, inc.incident_key
  WITH inc, {incident_key: inc.incident_key, date: coalesce(inc.outcome_date, inc.event_date),
             offence: inc.offence, category: inc.category, da_related: inc.da_related,
             force: COLLECT { MATCH (inc)-[:SUPPLIED_BY]->(a:Agency) RETURN a.name }[0]} AS m
  RETURN collect(CASE WHEN inc.outcome = 'conviction' THEN m END) AS convictions,
         collect(CASE WHEN inc.outcome = 'caution' THEN m END) AS cautions,
         collect(CASE WHEN inc.outcome = 'acquittal' THEN m END) AS acquittals
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
  WITH DISTINCT o
  ORDER BY o.issued_date, o.order_key
  WITH o, coalesce(o.start_date, o.issued_date) <= $as_of
          AND (o.end_date IS NULL OR o.end_date >= $as_of) AS active
  RETURN collect(CASE WHEN o IS NOT NULL THEN {
           order_key: o.order_key, order_type: o.order_type, issued_date: o.issued_date,
           end_date: o.end_date, active: active,
           agency: COLLECT { MATCH (o)-[:SUPPLIED_BY]->(a:Agency) RETURN a.name }[0],
           breaches: COUNT { (:Breach)-[:BREACH_OF]->(o) }} END) AS orders,
         count(CASE WHEN active THEN o END) AS active_orders
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)<-[:BREACH_OF]-(b:Breach)
  WITH DISTINCT b, o
  ORDER BY b.breach_date, b.breach_key
  RETURN collect(CASE WHEN b IS NOT NULL THEN {
           breach_key: b.breach_key, breach_date: b.breach_date, order_key: o.order_key,
           order_type: o.order_type, outcome: b.outcome} END) AS breaches
}
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  CALL (p) {
    MATCH (p)-[:SUPPLIED_BY]->(a:Agency) RETURN a
    UNION
    MATCH (p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(:Incident)-[:SUPPLIED_BY]->(a:Agency)
    RETURN a
    UNION
    MATCH (p)-[:SUBJECT_OF]->(:Order)-[:SUPPLIED_BY]->(a:Agency)
    RETURN a
  }
  WITH DISTINCT a
  ORDER BY a.name
  RETURN collect(a.name) AS agencies, collect(CASE WHEN a.is_police THEN a.name END) AS forces
}
RETURN i.identity_id AS identity_id,
       [p IN recs | p.person_key] AS record_keys,
       COLLECT { UNWIND recs AS p UNWIND [p.full_name] + coalesce(p.aliases, []) AS n
                 WITH DISTINCT n WHERE n IS NOT NULL RETURN n ORDER BY n } AS names,
       COLLECT { UNWIND recs AS p WITH DISTINCT p.date_of_birth AS d WHERE d IS NOT NULL
                 RETURN d ORDER BY d } AS dates_of_birth,
       victims, convictions, cautions, acquittals, orders, active_orders, breaches, forces,
       agencies
