// name: serial_perpetrators
// title: Serial perpetrators (MAPPA+ Category 4)
// description: The proposal's serial definition. Tier `serial`: two or more victims (distinct
//   resolved identities, from DA-related incidents where he is suspect or offender, or protected
//   by an order he is subject of) and at least one qualifying outcome (conviction, caution or
//   acquittal on such an incident) or qualifying order. Tier `at_risk`: the victims without the
//   outcome or order (reports alone, or police notices only). Reads the per-identity facts
//   of graph/facts.py (candidates by `victim_count`), kept fresh by every load and resolution.
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param tiers: list<string> = ["serial", "at_risk"] -- tiers to list
// choices tiers: serial, at_risk
// param min_victims: int = 2 -- victims needed (distinct identities)
// range min_victims: 1..1000
// param qualifying_outcomes: list<string> = ["conviction", "caution", "acquittal"] -- outcomes of a DA-related incident that qualify
// param qualifying_orders: list<string> = ["DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"] -- order types that qualify (notices do not)
// param ids: list<string> = [] -- only these identities (every one when empty)
// param forces: list<string> = null -- only perpetrators some of whose records, DA incidents or orders these police forces hold (their names, as in `forces`; none: all)
// param limit: int = null -- most rows, in the order listed (none: the caller's row cap)
// range limit: 1..
// returns: one row per perpetrator: identity_id, record_keys, name, tier, victims,
//   qualifying_outcomes (count), outcome_types, qualifying_orders (count), order_types, notices,
//   forces (police forces holding his records, DA incidents or orders); serial tier first, then
//   most victims.
MATCH (i:Identity)
WHERE i.victim_count >= $min_victims AND (size($ids) = 0 OR i.identity_id IN $ids)
  AND ($forces IS NULL OR any(f IN i.forces WHERE f IN $forces))
WITH i, i.victim_count AS victims,
     [x IN i.da_outcomes WHERE x IN $qualifying_outcomes] AS outcomes,
     [t IN i.order_types WHERE t IN $qualifying_orders] AS orders
WITH i, victims, outcomes, orders,
     CASE WHEN size(outcomes) > 0 OR size(orders) > 0 THEN 'serial' ELSE 'at_risk' END AS tier
WHERE tier IN $tiers
// The page first, by what orders it, then the names and lists of its rows only.
WITH i, victims, outcomes, orders, tier, i.identity_id AS identity_id
ORDER BY tier DESC, victims DESC, identity_id
LIMIT coalesce($limit, 1000000000)
RETURN identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.full_name ORDER BY r.person_key }[0]
         AS name,
       tier, victims, size(outcomes) AS qualifying_outcomes,
       COLLECT { UNWIND outcomes AS k RETURN DISTINCT k ORDER BY k } AS outcome_types,
       size(orders) AS qualifying_orders,
       COLLECT { UNWIND orders AS k RETURN DISTINCT k ORDER BY k } AS order_types,
       i.notice_types AS notices,
       i.forces AS forces
ORDER BY tier DESC, victims DESC, identity_id
