// name: cross_force_perpetrators
// title: Cross-force perpetrators
// description: Perpetrators (suspect or offender in a DA-related incident, or subject of an
//   order) whose person records, DA-related incidents as suspect or offender, or orders as
//   subject come from two or more police forces; with each force's first and last dated event.
//   Read from the per-identity facts of graph/facts.py (candidates by `force_count`, the
//   per-force counts and dates from `force_codes` ... `force_last_dates`), kept fresh by every
//   load and resolution.
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param min_forces: int = 2 -- police forces needed
// range min_forces: 1..100
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per perpetrator: identity_id, record_keys, name, force_count, forces (sorted
//   names), and per force a map {agency_code, name, records, incidents, orders, first_date,
//   last_date (ISO dates)} in `by_force`; most forces first.
MATCH (i:Identity)
WHERE i.force_count >= $min_forces
// The page first, by what orders it, then the names and per-force lists of its rows only.
WITH i, i.force_count AS force_count, i.identity_id AS identity_id
ORDER BY force_count DESC, identity_id
LIMIT coalesce($limit, 1000000000)
WITH i, identity_id, i.forces AS names, i.force_codes AS codes, i.force_records AS records,
     i.force_incidents AS incidents, i.force_orders AS orders, i.force_first_dates AS firsts,
     i.force_last_dates AS lasts
RETURN identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       size(names) AS force_count,
       names AS forces,
       [k IN range(0, size(names) - 1) |
         {agency_code: codes[k], name: names[k], records: records[k], incidents: incidents[k],
          orders: orders[k],
          first_date: CASE firsts[k] WHEN '' THEN null ELSE firsts[k] END,
          last_date: CASE lasts[k] WHEN '' THEN null ELSE lasts[k] END}] AS by_force
ORDER BY force_count DESC, identity_id
