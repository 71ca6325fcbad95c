// name: alert_new_victim_or_partner
// title: Alert: known perpetrator with a new victim or partner
// description: Evaluated on every ingest over what the delivery changed. A perpetrator who, with
//   this delivery counted, has two or more victims (tier serial or at risk) or is subject of an
//   order in force on `as_of`, appears with a victim or intimate partner that no record outside
//   this delivery links him to: consider a Right to Know disclosure.
// audience: caseworker, police
// mode: read
// scope: population
// param incident_keys: list<string> = [] -- incidents this delivery created or changed
// param order_keys: list<string> = [] -- orders this delivery created or changed
// param relationship_keys: list<string> = [] -- relationship rows this delivery created or changed (row keys)
// param as_of: date = today -- the day an order must be in force
// returns: one row per perpetrator and new person: identity_id, record_keys, other (the new
//   victim's or partner's identity id), kinds (victim, partner), evidence (record keys), owner.
CALL () {
  UNWIND $incident_keys AS k
  MATCH (inc:Incident {incident_key: k}) USING INDEX inc:Incident(incident_key)
  WHERE inc.da_related
  MATCH (inc)<-[:SUSPECT_IN|OFFENDER_IN]-(:Person)-[:RESOLVES_TO]->(p:Identity)
  MATCH (inc)<-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity) WHERE v <> p
  RETURN p, v, inc.incident_key AS evidence, 'victim' AS kind, inc.agency_code AS owner
  UNION
  UNWIND $order_keys AS k
  MATCH (o:Order {order_key: k})<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(p:Identity)
  USING INDEX o:Order(order_key)
  MATCH (o)-[:PROTECTS]->(:Person)-[:RESOLVES_TO]->(v:Identity) WHERE v <> p
  RETURN p, v, o.order_key AS evidence, 'victim' AS kind, o.agency_code AS owner
  UNION
  UNWIND $relationship_keys AS k
  WITH k, split(k, '|') AS part WHERE part[1] = 'intimate_partner'
  MATCH (a:Person {person_key: part[0]})-[r:INTIMATE_PARTNER]->(b:Person {person_key: part[2]})
  USING INDEX a:Person(person_key)
  WHERE r.row_key = k
  MATCH (a)-[:RESOLVES_TO]->(x:Identity), (b)-[:RESOLVES_TO]->(y:Identity)
  WHERE x <> y
  UNWIND [[x, y], [y, x]] AS ends2
  WITH ends2[0] AS p, ends2[1] AS v, r
  RETURN p, v, r.row_key AS evidence, 'partner' AS kind, r.agency_code AS owner
}
WITH p, v, collect(DISTINCT evidence) AS evidence, collect(DISTINCT kind) AS kinds,
     min(owner) AS owner
WHERE NOT EXISTS {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(i2:Incident)
          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v)
    WHERE i2.da_related AND NOT i2.incident_key IN $incident_keys
  }
  AND NOT EXISTS {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o2:Order)-[:PROTECTS]->(:Person)
          -[:RESOLVES_TO]->(v)
    WHERE NOT o2.order_key IN $order_keys
  }
  AND NOT EXISTS {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[r2:INTIMATE_PARTNER|EX_PARTNER]-(:Person)
          -[:RESOLVES_TO]->(v)
    WHERE NOT r2.row_key IN $relationship_keys
  }
CALL (p) {
  CALL (p) {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(i3:Incident)
          <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(w:Identity)
    WHERE i3.da_related AND w <> p
    RETURN w
    UNION
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order)-[:PROTECTS]->(:Person)
          -[:RESOLVES_TO]->(w:Identity)
    WHERE w <> p
    RETURN w
  }
  RETURN count(w) AS victims
}
WITH p, v, evidence, kinds, owner, victims,
     EXISTS {
       MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
       WHERE NOT o.is_notice AND coalesce(o.start_date, o.issued_date) <= $as_of
         AND (o.end_date IS NULL OR o.end_date >= $as_of)
     } AS under_order
WHERE victims >= 2 OR under_order
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       v.identity_id AS other,
       COLLECT { UNWIND kinds AS k RETURN k ORDER BY k } AS kinds,
       COLLECT { UNWIND evidence AS e RETURN e ORDER BY e } AS evidence,
       owner
ORDER BY identity_id, other
