// name: active_orders
// title: Active orders and notices
// description: Orders and notices in force on `as_of` with this person as subject, over every
//   record resolved into his identity: started (start date, else issued date) on or before
//   `as_of` and not ended before it (no end date means until further order).
// audience: caseworker, police, disclosure_officer
// mode: read
// scope: person
// param person: string -- the subject: an identity id or any person key resolved to it
// param as_of: date = today -- the day the orders must be in force
// returns: one row per order: identity_id, record_keys (the subject's), order_key, order_type,
//   is_notice, qualifying, issued_date, start_date, end_date, issuing_body, conditions, agency,
//   protected (list of {identity_id, record_keys}), breaches (count), last_breach; newest first.
CALL () {
  MATCH (i:Identity {identity_id: $person})
  RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
WHERE coalesce(o.start_date, o.issued_date) <= $as_of
  AND (o.end_date IS NULL OR o.end_date >= $as_of)
WITH DISTINCT i, o
RETURN i.identity_id AS identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       o.order_key AS order_key, o.order_type AS order_type, o.is_notice AS is_notice,
       o.qualifying AS qualifying, o.issued_date AS issued_date, o.start_date AS start_date,
       o.end_date AS end_date, o.issuing_body AS issuing_body, o.conditions AS conditions,
       COLLECT { MATCH (o)-[:SUPPLIED_BY]->(a:Agency) RETURN a.name }[0] AS agency,
       COLLECT { MATCH (o)-[:PROTECTS]->(:Person)-[:RESOLVES_TO]->(v:Identity)
                 WITH DISTINCT v ORDER BY v.identity_id
                 RETURN {identity_id: v.identity_id,
                         record_keys: COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(v)
                                                RETURN q.person_key ORDER BY q.person_key }} }
         AS protected,
       COUNT { (:Breach)-[:BREACH_OF]->(o) } AS breaches,
       COLLECT { MATCH (b:Breach)-[:BREACH_OF]->(o) RETURN b.breach_date AS d ORDER BY d DESC
                 LIMIT 1 }[0] AS last_breach
ORDER BY issued_date DESC, order_key
