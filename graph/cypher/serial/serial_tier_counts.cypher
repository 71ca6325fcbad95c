// name: serial_tier_counts
// title: How many serial perpetrators, by tier
// description: The totals of serial_perpetrators' answer for the same parameters, one row per
//   tier: what a list cut at a page cannot say (the national or a force's count). The tier
//   rule is serial_perpetrators' (tests/graph/test_query_params.py holds the two together).
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param min_victims: int = 2 -- victims needed (distinct identities)
// range min_victims: 1..1000
// param qualifying_outcomes: list<string> = ["conviction", "caution", "acquittal"] -- outcomes of a DA-related incident that qualify
// param qualifying_orders: list<string> = ["DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"] -- order types that qualify (notices do not)
// param forces: list<string> = null -- only perpetrators some of whose records, DA incidents or orders these police forces hold (their names, as in `forces`; none: all)
// param by_force: bool = false -- one row per police force and tier: a perpetrator counts in every force holding his records, DA incidents or orders (the forces a force filter offers)
// returns: one row per tier with any perpetrator (per force and tier when `by_force`): force
//   (its name when `by_force`, else null), tier (serial, at_risk), perpetrators (count); by
//   force, serial first.
MATCH (i:Identity)
WHERE i.victim_count >= $min_victims
  AND ($forces IS NULL OR any(f IN i.forces WHERE f IN $forces))
WITH i, CASE WHEN any(x IN i.da_outcomes WHERE x IN $qualifying_outcomes)
            OR any(t IN i.order_types WHERE t IN $qualifying_orders)
       THEN 'serial' ELSE 'at_risk' END AS tier
UNWIND CASE WHEN $by_force THEN i.forces ELSE [null] END AS force
WITH force, tier WHERE $forces IS NULL OR force IS NULL OR force IN $forces
RETURN force, tier, count(*) AS perpetrators
ORDER BY force, tier DESC
