// name: matac_serial
// title: Serial perpetrators by the MATAC rule (Northumbria)
// description: A suspect or offender on more than one DA-related incident dated (offence date,
//   else reported date) in the rolling window up to `as_of`, against two or more different
//   victims aged 16+ on the incident date. A victim's age comes from the earliest date of birth
//   on her records; with none recorded she counts as 16+. Candidates come from the
//   per-identity facts of graph/facts.py (two or more DA victims, two or more DA incidents in
//   the window); the rule itself is then evaluated on the graph.
// audience: caseworker, analyst
// mode: read
// scope: population
// param as_of: date = today -- the day the rule is evaluated on (the window ends here)
// param years: int = 3 -- length of the rolling window in years
// range years: 1..50
// param min_age: int = 16 -- victims younger than this on the incident date do not count
// range min_age: 0..120
// param ids: list<string> = [] -- only these identities (every one when empty)
// param forces: list<string> = null -- only perpetrators some of whose records, DA incidents or orders these police forces hold (their names, as in `forces`; none: all)
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per perpetrator: identity_id, record_keys, name, incidents (in the window),
//   victims (distinct, of age), first_date and last_date of those incidents, as_of; most victims
//   first.
MATCH (i:Identity)
WHERE i.da_victim_count >= 2 AND (size($ids) = 0 OR i.identity_id IN $ids)
  AND ($forces IS NULL OR any(f IN i.forces WHERE f IN $forces))
WITH i, $as_of AS as_of, $as_of - duration({years: $years}) AS low
WHERE size([d IN i.da_dates WHERE d > low AND d <= as_of]) > 1
MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
WHERE inc.da_related AND inc.event_date > low AND inc.event_date <= as_of
WITH DISTINCT as_of, i, inc
CALL (i, inc) {
  OPTIONAL MATCH (inc)<-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
  WHERE v <> i
  WITH DISTINCT v
  WHERE v IS NOT NULL
  WITH v, COLLECT { MATCH (vr:Person)-[:RESOLVES_TO]->(v) RETURN min(vr.date_of_birth) }[0]
          AS dob
  WHERE dob IS NULL OR dob + duration({years: $min_age}) <= inc.event_date
  RETURN collect(v) AS adults
}
WITH as_of, i, count(inc) AS incidents, min(inc.event_date) AS first_date,
     max(inc.event_date) AS last_date, collect(adults) AS per_incident
WHERE incidents > 1
WITH as_of, i, incidents, first_date, last_date,
     size(COLLECT { UNWIND per_incident AS vs UNWIND vs AS v RETURN DISTINCT v }) AS victims
WHERE victims >= 2
// The page first, by what orders it, then the names of its rows only.
WITH as_of, i, incidents, victims, first_date, last_date, i.identity_id AS identity_id
ORDER BY victims DESC, incidents DESC, identity_id
LIMIT coalesce($limit, 1000000000)
RETURN identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.full_name ORDER BY r.person_key }[0]
         AS name,
       incidents, victims, first_date, last_date, as_of
ORDER BY victims DESC, incidents DESC, identity_id
