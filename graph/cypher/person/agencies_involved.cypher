// name: agencies_involved
// title: Agencies involved with a person
// description: Every agency that holds a record of this person or supplied an incident, order,
//   residence or notification about him, over every record resolved into his identity: the
//   table a MAPPA+ meeting needs to know whom to invite.
// audience: caseworker, mappa_panel
// mode: read
// scope: person
// param person: string -- an identity id or any person key resolved to it
// returns: one row per agency: identity_id, record_keys, agency_code, name, type, is_police,
//   records (his person keys held there), incidents, orders, notifications, first_date and
//   last_date of the dated items it supplied; police first, then by name.
CALL () {
  MATCH (i:Identity {identity_id: $person})
  RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
MATCH (i)<-[:RESOLVES_TO]-(p:Person)
CALL (p) {
  MATCH (p)-[:SUPPLIED_BY]->(a:Agency)
  RETURN a, p.person_key AS record, null AS item, null AS kind, null AS d
  UNION
  MATCH (p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(n:Incident)-[:SUPPLIED_BY]->(a:Agency)
  RETURN a, null AS record, n.incident_key AS item, 'incident' AS kind, n.event_date AS d
  UNION
  MATCH (p)-[:SUBJECT_OF]->(n:Order)-[:SUPPLIED_BY]->(a:Agency)
  RETURN a, null AS record, n.order_key AS item, 'order' AS kind, n.issued_date AS d
  UNION
  MATCH (p)-[:NOTIFIED]->(n:Notification)-[:SUPPLIED_BY]->(a:Agency)
  RETURN a, null AS record, n.notification_key AS item, 'notification' AS kind,
         n.notified_date AS d
  UNION
  MATCH (p)-[r:RESIDED_AT]->(:Address)
  MATCH (a:Agency {agency_code: r.agency_code})
  RETURN a, null AS record, null AS item, 'residence' AS kind, r.from_date AS d
}
WITH i, a, collect(DISTINCT record) AS records,
     count(DISTINCT CASE WHEN kind = 'incident' THEN item END) AS incidents,
     count(DISTINCT CASE WHEN kind = 'order' THEN item END) AS orders,
     count(DISTINCT CASE WHEN kind = 'notification' THEN item END) AS notifications,
     min(d) AS first_date, max(d) AS last_date
RETURN i.identity_id AS identity_id,
       COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(i) RETURN q.person_key ORDER BY q.person_key }
         AS record_keys,
       a.agency_code AS agency_code, a.name AS name, a.type AS type, a.is_police AS is_police,
       COLLECT { UNWIND records AS r RETURN r ORDER BY r } AS records,
       incidents, orders, notifications, first_date, last_date
ORDER BY is_police DESC, name, agency_code
