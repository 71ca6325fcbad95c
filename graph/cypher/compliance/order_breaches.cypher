// name: order_breaches
// title: Breaches of orders
// description: Every recorded breach of an order or notice, with the order, its subject and the
//   persons it protects, optionally limited to a date range and order types.
// audience: caseworker, analyst, police
// mode: read
// scope: population
// param from: date = null -- earliest breach date (none: no lower bound)
// param to: date = null -- latest breach date (none: no upper bound)
// param order_types: list<string> = null -- only these order types (none: all)
// choices order_types: DVPN, DVPO, DAPN, DAPO, SPO, ISPO, RO, NMO, CBO, VOO
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per breach: breach_key, breach_date, outcome, reported_by (agency name),
//   order_key, order_type, issued_date, identity_id and record_keys (the subject's), name,
//   protected (list of {identity_id, record_keys}), breaches_of_order (count); newest first.
MATCH (b:Breach)-[:BREACH_OF]->(o:Order)
WHERE ($from IS NULL OR b.breach_date >= $from)
  AND ($to IS NULL OR b.breach_date <= $to)
  AND ($order_types IS NULL OR o.order_type IN $order_types)
MATCH (o)<-[:SUBJECT_OF]-(:Person)-[:RESOLVES_TO]->(i:Identity)
WITH DISTINCT b, o, i
// The page first, by what orders it, then the names and lists of its rows only.
WITH b, o, i, b.breach_date AS breach_date, b.breach_key AS breach_key
ORDER BY breach_date DESC, breach_key
LIMIT coalesce($limit, 1000000000)
RETURN breach_key, breach_date, b.outcome AS outcome,
       COLLECT { MATCH (b)-[:SUPPLIED_BY]->(a:Agency) RETURN a.name }[0] AS reported_by,
       o.order_key AS order_key, o.order_type AS order_type, o.issued_date AS issued_date,
       i.identity_id AS identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       COLLECT { MATCH (o)-[:PROTECTS]->(:Person)-[:RESOLVES_TO]->(v:Identity)
                 WITH DISTINCT v ORDER BY v.identity_id
                 RETURN {identity_id: v.identity_id,
                         record_keys: COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(v)
                                                RETURN q.person_key ORDER BY q.person_key }} }
         AS protected,
       COUNT { (:Breach)-[:BREACH_OF]->(o) } AS breaches_of_order
ORDER BY breach_date DESC, breach_key
