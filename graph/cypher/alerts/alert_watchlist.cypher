// name: alert_watchlist
// title: Alert: a new record touches a followed identity
// description: Evaluated on every ingest. Any record this delivery created or changed that
//   belongs to, or names, an identity a caseworker follows: a person record, an incident he is a
//   party to, an order he is subject of or protected by, a residence, relationship or
//   notification of his.
// audience: caseworker
// mode: read
// scope: population
// param person_keys: list<string> = [] -- person records this delivery created or changed
// param incident_keys: list<string> = [] -- incidents this delivery created or changed
// param order_keys: list<string> = [] -- orders this delivery created or changed
// param notification_keys: list<string> = [] -- notifications this delivery created or changed
// param row_person_keys: list<string> = [] -- persons named by new residence or relationship rows
// returns: one row per watch and identity: identity_id, record_keys, watcher, evidence, owner,
//   other (the watcher again: each follower gets his own alert).
CALL () {
  UNWIND $person_keys + $row_person_keys AS k
  MATCH (r:Person {person_key: k})-[:RESOLVES_TO]->(p:Identity) USING INDEX r:Person(person_key)
  RETURN p, k AS evidence
  UNION
  UNWIND $incident_keys AS k
  MATCH (inc:Incident {incident_key: k})<-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]-(:Person)
        -[:RESOLVES_TO]->(p:Identity)
  USING INDEX inc:Incident(incident_key)
  RETURN p, k AS evidence
  UNION
  UNWIND $order_keys AS k
  MATCH (o:Order {order_key: k}) USING INDEX o:Order(order_key)
  MATCH (o)<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(p:Identity)
  RETURN p, k AS evidence
  UNION
  UNWIND $order_keys AS k
  MATCH (o:Order {order_key: k})-[:PROTECTS]->(:Person)-[:RESOLVES_TO]->(p:Identity)
  USING INDEX o:Order(order_key)
  RETURN p, k AS evidence
  UNION
  UNWIND $notification_keys AS k
  MATCH (n:Notification {notification_key: k})<-[:NOTIFIED]-(:Person)-[:RESOLVES_TO]->(p:Identity)
  USING INDEX n:Notification(notification_key)
  RETURN p, k AS evidence
}
MATCH (w:Watch)-[:FOLLOWS]->(p)
WITH p, w, collect(DISTINCT evidence) AS evidence
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       w.watcher AS watcher,
       COLLECT { UNWIND evidence AS e RETURN e ORDER BY e } AS evidence,
       w.watcher AS owner,
       w.watcher AS other
ORDER BY identity_id, watcher
