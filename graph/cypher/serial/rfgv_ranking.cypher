// name: rfgv_ranking
// title: RFGV ranking (Recency, Frequency, Gravity, Victims)
// description: Ranks every perpetrator (suspect or offender in a DA-related incident, or subject
//   of an order) by four components scored 0-10 from the documented bands of
//   `graph/cypher/rfgv.toml`, and their weighted total. Gravity uses serialwatch's own harm-days
//   table, an approximation in the spirit of the Cambridge Crime Harm Index. Computed from
//   the per-identity facts of graph/facts.py (his dated incidents, orders and breaches).
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param as_of: date = today -- the ranking date (recency is measured to it, the window ends on it)
// param rfgv: map = @rfgv.toml -- bands, weights and harm table (see rfgv.toml)
// param limit: int = 100 -- how many perpetrators to return, best first
// param ids: list<string> = [] -- only these identities (every perpetrator when empty)
// range limit: 1..100000
// returns: one row per perpetrator: identity_id, record_keys, name, last_date, recency_days,
//   recency, incidents, frequency, harm_days, gravity, victims_count, victims, score (the
//   weighted total, 0-10); highest score first.
MATCH (i:Identity)
WHERE i.first_event_date <= $as_of AND (size($ids) = 0 OR i.identity_id IN $ids)
WITH i, $as_of AS as_of, $as_of - duration({years: $rfgv.window_years}) AS low, $rfgv AS cfg
WITH i, as_of, low, cfg,
     [k IN range(0, size(i.da_dates) - 1) WHERE low < i.da_dates[k] <= as_of] AS window,
     [d IN i.da_dates WHERE d <= as_of][-1] AS last_incident,
     [d IN i.order_dates WHERE d <= as_of][-1] AS last_order
WITH i, as_of, cfg, last_incident, last_order, size(window) AS incidents,
     reduce(h = 0, k IN window |
       h + coalesce(cfg.gravity.harm[i.da_offences[k]], cfg.gravity.default_days))
       AS incident_harm,
     size([k IN range(0, size(i.breach_dates) - 1)
           WHERE i.breach_order_dates[k] <= as_of AND low < i.breach_dates[k] <= as_of])
       AS breaches
WITH i, as_of, cfg, incidents, incident_harm + breaches * cfg.gravity.breach_days AS harm,
     CASE WHEN last_order IS NULL OR last_incident >= last_order THEN last_incident
          ELSE last_order END AS last_date, i.victim_count AS victims_count
WITH i, cfg, last_date, duration.inDays(last_date, as_of).days AS recency_days, incidents, harm,
     victims_count
WITH i, cfg, last_date, recency_days, incidents, harm, victims_count,
     coalesce(head([b IN cfg.recency.bands WHERE recency_days <= b.upto | b.points]), 0) AS r,
     coalesce(head([b IN cfg.frequency.bands WHERE incidents <= b.upto | b.points]), 0) AS f,
     coalesce(head([b IN cfg.gravity.bands WHERE harm <= b.upto | b.points]), 0) AS g,
     coalesce(head([b IN cfg.victims.bands WHERE victims_count <= b.upto | b.points]), 0) AS v
WITH i, last_date, recency_days, incidents, harm, victims_count, r, f, g, v,
     round(r * cfg.recency.weight + f * cfg.frequency.weight + g * cfg.gravity.weight
           + v * cfg.victims.weight, 2) AS score
ORDER BY score DESC, i.identity_id
LIMIT $limit
RETURN i.identity_id AS identity_id,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.person_key ORDER BY p.person_key }
         AS record_keys,
       COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i) RETURN p.full_name ORDER BY p.person_key }[0]
         AS name,
       last_date, recency_days, r AS recency, incidents, f AS frequency, harm AS harm_days,
       g AS gravity, victims_count, v AS victims, score
ORDER BY score DESC, identity_id
