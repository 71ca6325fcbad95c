// name: victim_chain
// title: Victim chain
// description: His victims (distinct resolved identities) numbered in order of his first
//   offence against each: the earliest DA-related incident with him as suspect or offender
//   (offence date, else reported date; ties by incident key), or for a victim known only from an
//   order, its issued date. With each victim: dates, forces, offences, outcomes, orders
//   protecting her, the gravity (highest harm days of his offences against her, from
//   rfgv.toml) and `escalation` when that gravity is higher than for the victim before.
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: person
// param person: string -- the perpetrator: an identity id or any person key resolved to it
// param rfgv: map = @rfgv.toml -- the harm table used for gravity (section `gravity`)
// returns: one row per victim, in chain order: n, perpetrator_id, identity_id, record_keys, name,
//   first_date, first_key, last_date, incidents, forces, offences, outcomes, orders, gravity,
//   escalation.
CALL () {
  MATCH (i:Identity {identity_id: $person})
  RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
        <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
  WHERE inc.da_related AND v <> i
  RETURN v
  UNION
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order)-[:PROTECTS]->(:Person)
        -[:RESOLVES_TO]->(v:Identity)
  WHERE v <> i
  RETURN v
}
CALL (i, v) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
                 <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v)
  WHERE inc.da_related
  WITH DISTINCT inc
  ORDER BY inc.event_date, inc.incident_key
  RETURN collect(inc) AS incs
}
CALL (i, v) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
                 -[:RESOLVES_TO]->(v)
  WITH DISTINCT o
  ORDER BY o.issued_date, o.order_key
  RETURN collect(o) AS ords
}
WITH i, v, incs, ords,
     CASE WHEN size(incs) > 0 THEN incs[0].event_date ELSE ords[0].issued_date END AS first_date,
     CASE WHEN size(incs) > 0 THEN incs[0].incident_key ELSE ords[0].order_key END AS first_key,
     reduce(g = 0, x IN incs |
       CASE WHEN coalesce($rfgv.gravity.harm[coalesce(x.offence, '')],
                         $rfgv.gravity.default_days) > g
            THEN coalesce($rfgv.gravity.harm[coalesce(x.offence, '')],
                          $rfgv.gravity.default_days)
            ELSE g END) AS gravity
ORDER BY first_date, first_key, v.identity_id
WITH i, collect({v: v, incs: incs, ords: ords, first_date: first_date, first_key: first_key,
                 gravity: gravity}) AS chain
UNWIND range(0, size(chain) - 1) AS k
WITH i, chain[k] AS c, k, CASE WHEN k = 0 THEN false ELSE chain[k].gravity > chain[k - 1].gravity
                          END AS escalation
WITH i, c.v AS v, c.incs AS incs, c.ords AS ords, c.first_date AS first_date,
     c.first_key AS first_key, c.gravity AS gravity, k, escalation
RETURN k + 1 AS n,
       i.identity_id AS perpetrator_id,
       v.identity_id AS identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(v) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(v) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       first_date, first_key,
       COLLECT { UNWIND incs + ords AS x RETURN coalesce(x.event_date, x.issued_date) AS d
                 ORDER BY d DESC LIMIT 1 }[0] AS last_date,
       size(incs) AS incidents,
       COLLECT { UNWIND incs + ords AS x MATCH (x)-[:SUPPLIED_BY]->(a:Agency)
                 WHERE a.is_police RETURN DISTINCT a.name AS f ORDER BY f } AS forces,
       [x IN incs | x.offence] AS offences,
       [x IN incs | x.outcome] AS outcomes,
       [o IN ords | o.order_type] AS orders,
       gravity, escalation
ORDER BY n
