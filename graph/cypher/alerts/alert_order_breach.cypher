// name: alert_order_breach
// title: Alert: order breach, or contact with a protected person while an order is in force
// description: Evaluated on every ingest. A breach this delivery recorded; or an incident it
//   recorded where the subject of an order is suspect or offender and a person the order
//   protects is also a party, on a date the order was in force (started, not ended).
// audience: caseworker, police
// mode: read
// scope: population
// param breach_keys: list<string> = [] -- breaches this delivery created or changed
// param incident_keys: list<string> = [] -- incidents this delivery created or changed
// returns: one row per breach or contact: identity_id (the order's subject), record_keys, kind
//   (breach, contact), order_key, order_type, date, evidence (record keys), owner.
CALL () {
  UNWIND $breach_keys AS k
  MATCH (b:Breach {breach_key: k})-[:BREACH_OF]->(o:Order)<-[:SUBJECT_OF]-(:Person)
        -[:RESOLVES_TO]->(p:Identity)
  USING INDEX b:Breach(breach_key)
  RETURN p, 'breach' AS kind, o, b.breach_date AS date, [b.breach_key, o.order_key] AS evidence,
         b.agency_code AS owner
  UNION
  UNWIND $incident_keys AS k
  MATCH (inc:Incident {incident_key: k})<-[:SUSPECT_IN|OFFENDER_IN]-(:Person)
        -[:RESOLVES_TO]->(p:Identity)
  USING INDEX inc:Incident(incident_key)
  MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
        -[:RESOLVES_TO]->(v:Identity)
  WHERE v <> p AND coalesce(o.start_date, o.issued_date) <= inc.event_date
    AND EXISTS {
      (v)<-[:RESOLVES_TO]-(:Person)-[:VICTIM_IN|WITNESS_IN|SUSPECT_IN|OFFENDER_IN]->(inc)
    }
    AND (o.end_date IS NULL OR o.end_date >= inc.event_date)
  RETURN DISTINCT p, 'contact' AS kind, o, inc.event_date AS date,
         [inc.incident_key, o.order_key] AS evidence, inc.agency_code AS owner
}
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       kind, o.order_key AS order_key, o.order_type AS order_type, date, evidence, owner
ORDER BY identity_id, date, order_key
