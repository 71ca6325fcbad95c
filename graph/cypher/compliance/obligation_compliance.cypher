// name: obligation_compliance
// title: Missed and late notifications
// description: Non-compliance with the notification duties of the orders that carry them, found
//   from the graph itself. While such an order runs, an event that any agency recorded must be
//   notified within `window_days` either side: the names and home address when the order
//   starts, a new home (a residence starting after the order did), a new intimate partner (a
//   relationship starting then). With no notification of the right type in that window, and
//   none naming that event date, the event is `missed` once its due date has passed. A
//   notification of any type (travel abroad, treatment attendance, name change included) given
//   more than `window_days` after the event it names is `late`. Each perpetrator's
//   notifications are read once, from his facts, and checked against every event.
// audience: caseworker, police, offender_manager
// mode: read
// scope: population
// param as_of: date = today -- the day compliance is judged on
// param window_days: int = 3 -- days allowed to notify (3 where the law sets one)
// range window_days: 0..365
// param duty_orders: list<string> = ["DAPO", "SPO", "ISPO", "VOO"] -- order types that carry notification duties
// choices duty_orders: DVPN, DVPO, DAPN, DAPO, SPO, ISPO, RO, NMO, CBO, VOO
// param ids: list<string> = [] -- only these identities (every one when empty)
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per missed or late notification: identity_id, record_keys, name, obligation
//   (initial, address_change, new_relationship, name_change, travel_abroad,
//   treatment_attendance), status (missed, late), event_date, due_date, notified_date,
//   days_late, detected_by (agency name), source_key, order_key; oldest first.
CALL () {
  WITH 1 AS one WHERE size($ids) = 0
  MATCH (o:Order)
  WHERE o.order_type IN $duty_orders AND coalesce(o.start_date, o.issued_date) <= $as_of
  MATCH (o)<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  RETURN i, o
  UNION
  UNWIND $ids AS id
  MATCH (i:Identity {identity_id: id})<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
  WHERE o.order_type IN $duty_orders AND coalesce(o.start_date, o.issued_date) <= $as_of
  RETURN i, o
}
WITH DISTINCT i, o
WITH i, collect({key: o.order_key, a: coalesce(o.start_date, o.issued_date),
                 b: CASE WHEN o.end_date IS NULL OR o.end_date > $as_of THEN $as_of
                         ELSE o.end_date END, agency: o.agency_code}) AS duties,
     min(coalesce(o.start_date, o.issued_date)) AS since, duration({days: $window_days}) AS w
// His notifications, from his facts (graph/facts.py), as parallel lists.
WITH i, duties, since, w, i.told_keys AS keys, i.told_types AS types, i.told_events AS events,
     i.told_dates AS dates, i.told_agencies AS agencies
CALL (duties, w, keys, types, events, dates, agencies) {
  UNWIND range(0, size(coalesce(keys, [])) - 1) AS k
  WITH duties, w, keys[k] AS key, types[k] AS type, events[k] AS event, dates[k] AS notified,
       agencies[k] AS agency
  WHERE event > date('0001-01-01') AND notified <= $as_of AND notified > event + w
  WITH key, type, event, notified, agency, w,
       [du IN duties WHERE du.a <= event <= du.b] AS owed
  WHERE size(owed) > 0
  RETURN collect({obligation: CASE WHEN type = 'address_change'
                                        AND any(du IN owed WHERE du.a = event)
                                   THEN 'initial' ELSE type END,
                  status: 'late', event_date: event, due_date: event + w,
                  notified_date: notified, source: key,
                  agency: CASE WHEN agency <> '' THEN agency END,
                  order_key: owed[0].key}) AS late
}
// Every row of a duty holder is dated on or after his first duty began (`since`). When the
// late notices alone fill the page by some date, no one whose duties began after that date can
// reach the page, so only those before it are walked for missed notifications.
UNWIND range(0, CASE WHEN size(late) = 0 THEN 0 ELSE size(late) - 1 END) AS n
WITH i, duties, since, w, types, events, dates, late, n, late[n].event_date AS d
ORDER BY d
WITH collect(CASE WHEN n = 0 THEN {i: i, duties: duties, since: since, types: types,
                                  events: events, dates: dates, late: late} END) AS held,
     collect(d) AS firsts
UNWIND [h IN held WHERE $limit IS NULL OR size(firsts) < $limit
                        OR h.since <= firsts[$limit - 1]] AS h
// (grouped, so that each row below holds h alone, not the lists above it)
WITH h, count(*) AS once
WITH h.i AS i, h.duties AS duties, duration({days: $window_days}) AS w, h.types AS types,
     h.events AS events, h.dates AS dates, h.late AS late
// His records' homes and partners in one walk of each record's relationships.
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)-[r:RESIDED_AT|INTIMATE_PARTNER]-(x)
  WITH DISTINCT r, x
  RETURN collect(CASE WHEN x:Address THEN [r.from_date, x.address_key, r.agency_code] END)
           AS homes,
         collect(CASE WHEN r:INTIMATE_PARTNER THEN [r, x] END) AS partners
}
CALL (i, duties, w, types, events, dates, homes, partners) {
  CALL (i, duties, homes, partners) {
    UNWIND duties AS du
    RETURN 'initial' AS obligation, 'address_change' AS needs, du.a AS d, du.key AS source,
           du.agency AS agency, du.key AS order_key
    UNION
    UNWIND homes AS h
    UNWIND duties AS du
    WITH h, du WHERE du.a < h[0] <= du.b
    RETURN 'address_change' AS obligation, 'address_change' AS needs, h[0] AS d,
           h[1] AS source, h[2] AS agency, du.key AS order_key
    UNION
    UNWIND partners AS pr
    UNWIND duties AS du
    WITH pr[0] AS r, pr[1] AS q, du WHERE du.a < pr[0].from_date <= du.b
    MATCH (q)-[:RESOLVES_TO]->(v:Identity)
    WHERE v <> i
    RETURN 'new_relationship' AS obligation, 'new_relationship' AS needs, r.from_date AS d,
           v.identity_id AS source, r.agency_code AS agency, du.key AS order_key
  }
  WITH obligation, needs, d, source, min(agency) AS agency, min(order_key) AS order_key
  WHERE d + w < $as_of
    AND NOT any(k IN range(0, size(coalesce(types, [])) - 1)
                WHERE types[k] = needs AND (events[k] = d OR d - w <= dates[k] <= d + w))
  RETURN collect({obligation: obligation, status: 'missed', event_date: d, due_date: d + w,
                  notified_date: null, source: source, agency: agency,
                  order_key: order_key}) AS missed
}
UNWIND missed + late AS row
// The page first, by what orders it, then the names of its rows only.
WITH i, row, row.event_date AS event_date, i.identity_id AS identity_id,
     row.obligation AS obligation, row.source AS source_key
ORDER BY event_date, identity_id, obligation, source_key
LIMIT coalesce($limit, 1000000000)
RETURN identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       obligation, row.status AS status, event_date,
       row.due_date AS due_date, row.notified_date AS notified_date,
       CASE WHEN row.notified_date IS NULL THEN duration.inDays(row.due_date, $as_of).days
            ELSE duration.inDays(row.due_date, row.notified_date).days END AS days_late,
       COLLECT { MATCH (a:Agency {agency_code: row.agency}) RETURN a.name }[0] AS detected_by,
       source_key, row.order_key AS order_key
ORDER BY event_date, identity_id, obligation, source_key
