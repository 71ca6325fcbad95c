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
// returns: one row per tier with any perpetrator: tier (serial, at_risk), perpetrators
//   (count); serial first.
MATCH (i:Identity)
WHERE i.victim_count >= $min_victims
  AND ($forces IS NULL OR any(f IN i.forces WHERE f IN $forces))
WITH CASE WHEN any(x IN i.da_outcomes WHERE x IN $qualifying_outcomes)
            OR any(t IN i.order_types WHERE t IN $qualifying_orders)
       THEN 'serial' ELSE 'at_risk' END AS tier
RETURN tier, count(*) AS perpetrators
ORDER BY tier DESC
