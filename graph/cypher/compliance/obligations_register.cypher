// name: obligations_register
// title: Register of obligations (MAPPA+ Category 4 and orders with notification duties)
// description: For each managed perpetrator - subject of an order with notification duties in
//   force on `as_of`, serial under the MAPPA+ definition, or managed on a MAPPA+ case whose
//   meeting imposed obligations - the obligations that apply (the orders' duty to notify names
//   and home address and their changes; for Category 4 the proposed positive obligations:
//   treatment, change of name, move, travel abroad, new relationship), the notifications
//   received, open missed-notification alerts, the compliance status and the next due date (the
//   earliest due date of an unanswered missed event). Victims, outcomes and orders come from the
//   per-identity facts of graph/facts.py (serial candidates by `victim_count`, as
//   serial_perpetrators), kept fresh by every load and resolution.
// audience: caseworker, mappa_panel, offender_manager
// mode: read
// scope: population
// param as_of: date = today -- the day the register is drawn up for
// param duty_orders: list<string> = ["DAPO", "SPO", "ISPO", "VOO"] -- orders that carry notification duties
// param qualifying_outcomes: list<string> = ["conviction", "caution", "acquittal"] -- outcomes that qualify for Category 4
// param qualifying_orders: list<string> = ["DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"] -- orders that qualify for Category 4
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per managed perpetrator: identity_id, record_keys, name, category4 (bool),
//   duty_orders (keys in force), obligations, imposed (the positive obligations a MAPPA+
//   meeting imposed on his managed case: graph/cases.py), notifications (count), last_notified,
//   notified_types, open_missed (count), status (compliant, non_compliant), next_due.
CALL () {
  MATCH (o:Order)<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(i:Identity)
  WHERE o.order_type IN $duty_orders AND coalesce(o.start_date, o.issued_date) <= $as_of
    AND (o.end_date IS NULL OR o.end_date >= $as_of)
  RETURN i, null AS alert, null AS managed
  UNION
  MATCH (i:Identity)
  WHERE i.victim_count >= 2
  RETURN i, null AS alert, null AS managed
  UNION
  MATCH (i:Identity)<-[:ABOUT]-(:Case {status: 'managed'})<-[:FOR]-(:Obligation)
  RETURN i, null AS alert, true AS managed
  UNION
  MATCH (alert:Alert {rule: 'missed_notification'})-[:ABOUT]->(i:Identity)
  WHERE alert.status IN ['new', 'acknowledged']
  RETURN i, alert, null AS managed
}
// The register's order first (open alerts counted from the alerts' side), then, in that order,
// who is on it: each candidate is judged only until the page is full. An open alert alone puts
// no one on the register: the filter below asks for a duty order, Category 4 or a managed case.
WITH i, count(alert) AS open_missed, count(managed) > 0 AS managed
WITH i, open_missed, managed, i.identity_id AS identity_id
ORDER BY open_missed DESC, identity_id
// His duty orders in force on the day, read from his stored orders (graph/facts.py) when he
// is the subject of any of a duty type; their keys, sorted, for the page's rows only (below).
OPTIONAL CALL (i) {
  WITH i, i.order_types AS types WHERE any(t IN types WHERE t IN $duty_orders)
  WITH types, i.order_starts AS starts, i.order_ends AS ends
  WITH types, [k IN range(0, size(types) - 1)
               WHERE types[k] IN $duty_orders AND starts[k] <= $as_of AND ends[k] >= $as_of]
              AS in_force
  RETURN in_force, [k IN in_force | types[k]] AS duty_types
}
WITH i, open_missed, managed, identity_id, coalesce(in_force, []) AS in_force,
     coalesce(duty_types, []) AS duty_types
WITH i, open_missed, managed, identity_id, in_force, duty_types,
     coalesce(i.victim_count, 0) >= 2
     AND (any(x IN coalesce(i.da_outcomes, []) WHERE x <> '' AND x IN $qualifying_outcomes)
          OR any(t IN coalesce(i.order_types, []) WHERE t IN $qualifying_orders)) AS category4
WITH i, open_missed, managed, identity_id, in_force, duty_types, category4
WHERE category4 OR size(in_force) > 0 OR managed
WITH i, in_force, duty_types, category4, managed, open_missed, identity_id
ORDER BY open_missed DESC, identity_id
LIMIT coalesce($limit, 1000000000)
WITH i, duty_types, category4, managed, open_missed, identity_id,
     COLLECT { WITH i.order_keys AS keys UNWIND in_force AS k RETURN keys[k] AS key ORDER BY key }
       AS duty_orders,
     CASE WHEN managed
          THEN COLLECT { MATCH (i)<-[:ABOUT]-(c:Case {status: 'managed'})<-[:FOR]-(ob:Obligation)
                         RETURN DISTINCT ob.type AS t ORDER BY t }
          ELSE [] END AS imposed
// (one row per man: the types are collected, then sorted; a subquery over `n` beside the
// counts made `n` a grouping key, one row per notification type)
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:NOTIFIED]->(n:Notification)
  WHERE n.notified_date <= $as_of
  RETURN count(DISTINCT n) AS notifications, max(n.notified_date) AS last_notified,
         collect(DISTINCT n.type) AS types
}
WITH *, COLLECT { UNWIND types AS t RETURN t ORDER BY t } AS notified_types
CALL (i) {
  OPTIONAL MATCH (a:Alert {rule: 'missed_notification'})-[:ABOUT]->(i)
  WHERE a.status IN ['new', 'acknowledged']
  WITH a, split(a.summary, ' not notified by ') AS part
  RETURN min(part[1]) AS next_due
}
WITH i, identity_id, duty_orders, duty_types, category4, imposed, notifications, last_notified,
     notified_types, open_missed, next_due,
     (CASE WHEN size(duty_orders) > 0
        THEN ['notify names and home address within 3 days, and any change within 3 days']
        ELSE [] END) +
     (CASE WHEN 'VOO' IN duty_types
        THEN ['notify date of birth and national insurance number'] ELSE [] END) +
     (CASE WHEN category4
        THEN ['attend a treatment programme', 'notify a change of name', 'notify a move',
              'notify travel abroad', 'notify a new relationship'] ELSE [] END) AS obligations
RETURN identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.full_name ORDER BY r.person_key }[0]
         AS name,
       category4, duty_orders, obligations, imposed, notifications, last_notified, notified_types,
       open_missed, CASE WHEN open_missed > 0 THEN 'non_compliant' ELSE 'compliant' END AS status,
       next_due
ORDER BY open_missed DESC, identity_id
