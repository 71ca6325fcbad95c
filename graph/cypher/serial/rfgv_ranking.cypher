// name: rfgv_ranking
// title: RFGV ranking (Recency, Frequency, Gravity, Victims)
// description: Ranks every perpetrator (suspect or offender in a DA-related incident, or subject
//   of an order) by four components scored 0-10 from the documented bands of
//   `graph/cypher/rfgv.toml` (sliding between band edges, so that the top of the list is
//   distinct), and their weighted total. Gravity uses serialwatch's own harm-days
//   table, an approximation in the spirit of the Cambridge Crime Harm Index. Computed from
//   the per-identity facts of graph/facts.py (his dated incidents, orders and breaches).
//   For today and the default bands it reads the scores graph/ranking.py stores, when they
//   are complete, to find the best `limit`; the answer is the same either way.
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param as_of: date = today -- the ranking date (recency is measured to it, the window ends on it)
// param rfgv: map = @rfgv.toml -- bands, weights and harm table (see rfgv.toml)
// param limit: int = 100 -- how many perpetrators to return, best first
// param ids: list<string> = [] -- only these identities (every perpetrator when empty)
// param forces: list<string> = null -- only perpetrators some of whose records, DA incidents or orders these police forces hold (their names, as in `forces`; none: all)
// range limit: 1..100000
// returns: one row per perpetrator: identity_id, record_keys, name, last_date, recency_days,
//   recency, incidents, frequency, harm_days, gravity, victims_count, victims, score (the
//   weighted total, 0-10); highest score first.
CALL () {
  // The scores graph/ranking.py stores stand in for scoring every perpetrator when every one
  // of them holds one for this date and these bands: then the best `limit` by it, and any tied
  // with the last, are the only candidates, scored again below as any other would be.
  // Otherwise every perpetrator (or each of `ids`) is a candidate.
  OPTIONAL MATCH (r:Ranking {name: 'rfgv'})
    WHERE size($ids) = 0 AND r.as_of = $as_of AND r.config = $rfgv_key
  RETURN CASE WHEN r IS NULL THEN false
    ELSE COUNT { MATCH (s:Identity) WHERE s.rfgv_as_of = $as_of AND s.rfgv_score IS NOT NULL }
         = COUNT { MATCH (e:Identity) WHERE e.first_event_date <= $as_of } END AS stored
}
CALL (stored) {
  WITH stored WHERE stored
  CALL () {
    MATCH (t:Identity) WHERE t.rfgv_as_of = $as_of AND t.rfgv_score IS NOT NULL
      AND ($forces IS NULL OR any(f IN t.forces WHERE f IN $forces))
    WITH t ORDER BY t.rfgv_score DESC LIMIT $limit
    RETURN min(t.rfgv_score) AS cut
  }
  MATCH (i:Identity) WHERE i.rfgv_as_of = $as_of AND i.rfgv_score >= cut
  RETURN i
  UNION
  WITH stored WHERE NOT stored AND size($ids) = 0
  MATCH (i:Identity) WHERE i.first_event_date <= $as_of
  RETURN i
  UNION
  WITH stored WHERE NOT stored
  UNWIND $ids AS id
  MATCH (i:Identity {identity_id: id}) WHERE i.first_event_date <= $as_of
  RETURN i
}
WITH i WHERE $forces IS NULL OR any(f IN i.forces WHERE f IN $forces)
// Each fact read once into a variable: indexing `i.da_dates[k]` in a loop reads the whole
// list property again for every k.
WITH i, $as_of AS as_of, $as_of - duration({years: $rfgv.window_years}) AS low, $rfgv AS cfg,
     i.da_dates AS dates, i.da_offences AS offences, i.order_dates AS order_dates,
     i.breach_dates AS breach_dates, i.breach_order_dates AS breach_order_dates,
     i.victim_count AS victims_count
WITH i, as_of, low, cfg, offences, breach_dates, breach_order_dates, victims_count,
     [k IN range(0, size(dates) - 1) WHERE low < dates[k] <= as_of] AS window,
     [d IN dates WHERE d <= as_of][-1] AS last_incident,
     [d IN order_dates WHERE d <= as_of][-1] AS last_order
WITH i, as_of, cfg, last_incident, last_order, size(window) AS incidents, victims_count,
     reduce(h = 0, k IN window |
       h + coalesce(cfg.gravity.harm[offences[k]], cfg.gravity.default_days))
       AS incident_harm,
     size([k IN range(0, size(breach_dates) - 1)
           WHERE breach_order_dates[k] <= as_of AND low < breach_dates[k] <= as_of])
       AS breaches
WITH i, as_of, cfg, incidents, incident_harm + breaches * cfg.gravity.breach_days AS harm,
     CASE WHEN last_order IS NULL OR last_incident >= last_order THEN last_incident
          ELSE last_order END AS last_date, victims_count
WITH i, cfg, last_date, duration.inDays(last_date, as_of).days AS recency_days, incidents, harm,
     victims_count
// Each component's points: the band its value falls in (the first whose `upto` the value does
// not exceed); with `interpolate`, sliding linearly from the band before's points at its `upto`
// to this band's at its own, and the last band's points beyond it.
WITH i, cfg, last_date, recency_days, incidents, harm, victims_count,
     coalesce(cfg.interpolate, false) AS slide,
     [c IN [[cfg.recency.bands, recency_days], [cfg.frequency.bands, incidents],
            [cfg.gravity.bands, harm], [cfg.victims.bands, victims_count]] |
       [c[0], c[1], head([k IN range(0, size(c[0]) - 1) WHERE c[1] <= c[0][k].upto])]] AS found
WITH i, cfg, last_date, recency_days, incidents, harm, victims_count,
     [c IN found |
       CASE WHEN size(c[0]) = 0 THEN 0
            WHEN c[2] IS NULL THEN CASE WHEN slide THEN last(c[0]).points ELSE 0 END
            WHEN NOT slide OR c[2] = 0 THEN c[0][c[2]].points
            ELSE c[0][c[2] - 1].points + (c[0][c[2]].points - c[0][c[2] - 1].points)
                 * toFloat(c[1] - c[0][c[2] - 1].upto) / (c[0][c[2]].upto - c[0][c[2] - 1].upto)
       END] AS pts
WITH i, last_date, recency_days, incidents, harm, victims_count,
     pts[0] AS r, pts[1] AS f, pts[2] AS g, pts[3] AS v,
     round(pts[0] * cfg.recency.weight + pts[1] * cfg.frequency.weight
           + pts[2] * cfg.gravity.weight + pts[3] * cfg.victims.weight, 2) AS score
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
