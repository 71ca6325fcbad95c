// name: alert_new_category4
// title: Alert: perpetrator crosses the serial threshold (new Category 4 candidate)
// description: Evaluated on every ingest. A perpetrator touched by this delivery who now meets
//   the serial definition (two or more victims and a qualifying outcome or order) and did not
//   without the incidents and orders this delivery created or changed.
// audience: caseworker, police
// mode: read
// scope: population
// param incident_keys: list<string> = [] -- incidents this delivery created or changed
// param order_keys: list<string> = [] -- orders this delivery created or changed
// param qualifying_outcomes: list<string> = ["conviction", "caution", "acquittal"] -- outcomes that qualify
// param qualifying_orders: list<string> = ["DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"] -- orders that qualify
// returns: one row per perpetrator: identity_id, record_keys, victims_before, victims_now,
//   evidence (the delivery's incident and order keys that tipped him over), owner.
CALL () {
  UNWIND $incident_keys AS k
  MATCH (inc:Incident {incident_key: k})<-[:SUSPECT_IN|OFFENDER_IN]-(:Person)
        -[:RESOLVES_TO]->(p:Identity)
  USING INDEX inc:Incident(incident_key)
  WHERE inc.da_related
  RETURN p, inc.incident_key AS evidence, inc.agency_code AS owner
  UNION
  UNWIND $order_keys AS k
  MATCH (o:Order {order_key: k})<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(p:Identity)
  USING INDEX o:Order(order_key)
  RETURN p, o.order_key AS evidence, o.agency_code AS owner
}
WITH p, collect(DISTINCT evidence) AS evidence, min(owner) AS owner
CALL (p) {
  CALL (p) {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(i:Incident)
          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(w:Identity)
    WHERE i.da_related AND w <> p
    RETURN w, i.incident_key IN $incident_keys AS fresh
    UNION
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
          -[:RESOLVES_TO]->(w:Identity)
    WHERE w <> p
    RETURN w, o.order_key IN $order_keys AS fresh
  }
  WITH w, min(CASE WHEN fresh THEN 1 ELSE 0 END) AS only_fresh
  RETURN count(w) AS victims_now, count(CASE WHEN only_fresh = 0 THEN w END) AS victims_before
}
CALL (p) {
  OPTIONAL MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(i:Incident)
  WHERE i.da_related AND i.outcome IN $qualifying_outcomes
  WITH collect(DISTINCT i.incident_key IN $incident_keys) AS outcome_fresh
  OPTIONAL MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
  WHERE o.order_type IN $qualifying_orders
  WITH outcome_fresh, collect(DISTINCT o.order_key IN $order_keys) AS order_fresh
  RETURN size(outcome_fresh) + size(order_fresh) > 0 AS qualified_now,
         false IN outcome_fresh OR false IN order_fresh AS qualified_before
}
WITH p, evidence, owner, victims_now, victims_before, qualified_now, qualified_before
WHERE victims_now >= 2 AND qualified_now AND NOT (victims_before >= 2 AND qualified_before)
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       victims_before, victims_now,
       COLLECT { UNWIND evidence AS e RETURN e ORDER BY e } AS evidence,
       owner
ORDER BY identity_id
