// name: shortest_path
// title: Shortest link between two people
// description: The shortest chain of records linking two people (identity ids or person keys),
//   at most `max_hops` relationships long, through identities, person records, incidents (any
//   role), addresses, orders and recorded relationships; never through the agencies that supplied
//   the records. Cypher takes no parameter as a path-length bound, so the query holds one branch
//   per bound (2, 4, ... 12) and keeps the path only when it is within `max_hops`.
// audience: analyst, mappa_panel
// mode: read
// scope: pair
// param a: string -- one person: an identity id or a person key
// param b: string -- the other person: an identity id or a person key
// param max_hops: int = 8 -- the longest path considered, in relationships
// range max_hops: 1..12
// returns: one row per node along the path, from a to b: step (0 = a), length (of the whole
//   path), label, key, caption, identity_id and record_keys (persons and identities), via (the
//   relationship type reaching this node) and direction (`->` along the path, `<-` against it).
CALL () {
  MATCH (a:Identity {identity_id: $a})
  RETURN a
  UNION
  MATCH (:Person {person_key: $a})-[:RESOLVES_TO]->(a:Identity)
  RETURN a
}
CALL () {
  MATCH (b:Identity {identity_id: $b})
  RETURN b
  UNION
  MATCH (:Person {person_key: $b})-[:RESOLVES_TO]->(b:Identity)
  RETURN b
}
CALL (a, b) {
  MATCH p = (a)
  WHERE a = b
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 1 AND $max_hops <= 2
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..2]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 3 AND $max_hops <= 4
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..4]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 5 AND $max_hops <= 6
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..6]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 7 AND $max_hops <= 8
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..8]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 9 AND $max_hops <= 10
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..10]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
  UNION ALL
  WITH a, b
  WHERE a <> b AND $max_hops >= 11 AND $max_hops <= 12
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..12]-(b))
  WHERE length(p) <= $max_hops
  RETURN p
}
WITH p, nodes(p) AS ns, relationships(p) AS rs
UNWIND range(0, size(ns) - 1) AS k
WITH p, ns[k] AS n, k, CASE WHEN k = 0 THEN null ELSE rs[k - 1] END AS r,
     CASE WHEN k = 0 THEN null ELSE ns[k - 1] END AS prev
WITH p, n, k, r, prev,
     CASE WHEN n:Identity THEN n
          WHEN n:Person THEN COLLECT { MATCH (n)-[:RESOLVES_TO]->(x:Identity) RETURN x }[0]
     END AS ident
RETURN k AS step, length(p) AS length, labels(n)[0] AS label,
       coalesce(n.identity_id, n.person_key, n.incident_key, n.order_key, n.address_key,
                n.breach_key, n.notification_key, n.agency_code) AS key,
       coalesce(n.full_name, n.offence, n.order_type, n.postcode, n.identity_id) AS caption,
       ident.identity_id AS identity_id,
       CASE WHEN ident IS NULL THEN null
            ELSE COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(ident)
                           RETURN q.person_key ORDER BY q.person_key } END AS record_keys,
       type(r) AS via,
       CASE WHEN r IS NULL THEN null WHEN startNode(r) = prev THEN '->' ELSE '<-' END AS direction
ORDER BY step
