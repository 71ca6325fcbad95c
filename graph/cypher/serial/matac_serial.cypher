// name: matac_serial
// title: Serial perpetrators by the MATAC rule (Northumbria)
// description: A suspect or offender on more than one DA-related incident dated (offence date,
//   else reported date) in the rolling window up to `as_of`, against two or more different
//   victims aged 16+ on the incident date. A victim's age comes from the earliest date of birth
//   on her records; with none recorded she counts as 16+. Evaluated on the per-identity facts
//   of graph/facts.py: candidates by their DA victims (two or more), then his DA incident dates
//   and his (incident, victim, her earliest DOB) pairs, kept fresh by every write path.
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
WITH i, $as_of AS as_of, $as_of - duration({years: $years}) AS low,
     duration({years: $min_age}) AS age
WITH i, as_of, low, age, [d IN i.da_dates WHERE low < d <= as_of] AS window
WHERE size(window) > 1
// His (DA incident, victim) pairs with her earliest DOB (0001-01-01 when none: she counts)
WITH i, as_of, low, age, window, i.da_victim_dates AS dated, i.da_victim_ids AS who,
     i.da_victim_dobs AS born
WITH i, as_of, size(window) AS incidents, window[0] AS first_date, window[-1] AS last_date,
     size(COLLECT { UNWIND range(0, size(dated) - 1) AS k
                    WITH k WHERE low < dated[k] <= as_of AND born[k] + age <= dated[k]
                    RETURN DISTINCT who[k] }) AS victims
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
