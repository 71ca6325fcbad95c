// name: alert_missed_notification
// title: Alert: a new address or partner in another agency's records with no notification
// description: Evaluated on every ingest. For a residence or intimate relationship this delivery
//   recorded, starting while the person was subject of an order with notification duties, no
//   notification of the matching type (address_change, new_relationship) names that event or
//   was given within `window_days` of it, and the due date has passed by `as_of`.
// audience: caseworker, police, offender_manager
// mode: read
// scope: population
// param residence_keys: list<string> = [] -- residence rows this delivery created or changed (row keys)
// param relationship_keys: list<string> = [] -- relationship rows this delivery created or changed (row keys)
// param as_of: date = today -- the day compliance is judged on
// param window_days: int = 3 -- days allowed to notify
// range window_days: 0..365
// param duty_orders: list<string> = ["DAPO", "SPO", "ISPO", "VOO"] -- orders that carry notification duties
// returns: one row per missed notification: identity_id, record_keys, obligation
//   (address_change, new_relationship), event_date, due_date, order_key, evidence, owner.
CALL () {
  UNWIND $residence_keys AS k
  WITH k, split(k, '|') AS part
  MATCH (a:Person {person_key: part[0]})-[r:RESIDED_AT]->(:Address {address_key: part[1]})
  USING INDEX a:Person(person_key)
  WHERE r.row_key = k
  RETURN a, 'address_change' AS obligation, r.from_date AS event_date, k AS evidence,
         r.agency_code AS owner
  UNION
  UNWIND $relationship_keys AS k
  WITH k, split(k, '|') AS part WHERE part[1] = 'intimate_partner'
  MATCH (a:Person {person_key: part[0]})-[r:INTIMATE_PARTNER]->(:Person {person_key: part[2]})
  USING INDEX a:Person(person_key)
  WHERE r.row_key = k AND r.from_date IS NOT NULL
  RETURN a, 'new_relationship' AS obligation, r.from_date AS event_date, k AS evidence,
         r.agency_code AS owner
}
MATCH (a)-[:RESOLVES_TO]->(p:Identity)
WITH p, obligation, event_date, evidence, owner, event_date + duration({days: $window_days}) AS due
WHERE due < $as_of
MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
WHERE o.order_type IN $duty_orders AND coalesce(o.start_date, o.issued_date) < event_date
  AND (o.end_date IS NULL OR o.end_date >= event_date)
WITH p, obligation, event_date, evidence, owner, due, min(o.order_key) AS order_key
WHERE NOT EXISTS {
  MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:NOTIFIED]->(n:Notification {type: obligation})
  WHERE n.event_date = event_date
     OR (n.notified_date >= event_date - duration({days: $window_days}) AND n.notified_date <= due)
}
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       obligation, event_date, due AS due_date, order_key, [evidence, order_key] AS evidence, owner
ORDER BY identity_id, event_date
