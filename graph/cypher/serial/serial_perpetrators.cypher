// name: serial_perpetrators
// title: Serial perpetrators (MAPPA+ Category 4)
// description: The proposal's serial definition. Tier `serial`: two or more victims (distinct
//   resolved identities, from DA-related incidents where he is suspect or offender, or protected
//   by an order he is subject of) and at least one qualifying outcome (conviction, caution or
//   acquittal on such an incident) or qualifying order. Tier `at_risk`: the victims without the
//   outcome or order (reports alone, or police notices only).
// audience: caseworker, analyst, mappa_panel
// mode: read
// scope: population
// param tiers: list<string> = ["serial", "at_risk"] -- tiers to list
// choices tiers: serial, at_risk
// param min_victims: int = 2 -- victims needed (distinct identities)
// range min_victims: 1..1000
// param qualifying_outcomes: list<string> = ["conviction", "caution", "acquittal"] -- outcomes of a DA-related incident that qualify
// param qualifying_orders: list<string> = ["DVPO", "DAPO", "SPO", "ISPO", "RO", "NMO", "CBO", "VOO"] -- order types that qualify (notices do not)
// returns: one row per perpetrator: identity_id, record_keys, name, tier, victims,
//   qualifying_outcomes (count), outcome_types, qualifying_orders (count), order_types, notices,
//   forces (police forces holding his records, DA incidents or orders); serial tier first, then
//   most victims.
CALL () {
  MATCH (i:Identity)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
        <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
  WHERE inc.da_related AND v <> i
  RETURN i, v
  UNION
  MATCH (i:Identity)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order)-[:PROTECTS]->(:Person)
        -[:RESOLVES_TO]->(v:Identity)
  WHERE v <> i
  RETURN i, v
}
WITH i, count(v) AS victims
WHERE victims >= $min_victims
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
  WHERE inc.da_related AND inc.outcome IN $qualifying_outcomes
  WITH DISTINCT inc
  RETURN count(inc) AS outcomes, collect(DISTINCT inc.outcome) AS kinds
}
CALL (i) {
  OPTIONAL MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)
  WITH DISTINCT o
  RETURN count(CASE WHEN o.order_type IN $qualifying_orders THEN o END) AS orders,
         collect(DISTINCT CASE WHEN o.order_type IN $qualifying_orders THEN o.order_type END)
           AS order_types,
         collect(DISTINCT CASE WHEN o.is_notice THEN o.order_type END) AS notices
}
WITH i, victims, outcomes, kinds, orders, order_types, notices,
     CASE WHEN outcomes > 0 OR orders > 0 THEN 'serial' ELSE 'at_risk' END AS tier
WHERE tier IN $tiers
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(p:Person)
  CALL (p) {
    MATCH (p)-[:SUPPLIED_BY]->(a:Agency) RETURN a
    UNION
    MATCH (p)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)-[:SUPPLIED_BY]->(a:Agency)
    WHERE inc.da_related
    RETURN a
    UNION
    MATCH (p)-[:SUBJECT_OF]->(:Order)-[:SUPPLIED_BY]->(a:Agency)
    RETURN a
  }
  WITH DISTINCT a WHERE a.is_police
  WITH a ORDER BY a.name
  RETURN collect(a.name) AS forces
}
RETURN i.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.full_name ORDER BY r.person_key }[0]
         AS name,
       tier, victims, outcomes AS qualifying_outcomes,
       COLLECT { UNWIND kinds AS k RETURN k ORDER BY k } AS outcome_types,
       orders AS qualifying_orders,
       COLLECT { UNWIND order_types AS k RETURN k ORDER BY k } AS order_types,
       COLLECT { UNWIND notices AS k RETURN k ORDER BY k } AS notices,
       forces
ORDER BY tier DESC, victims DESC, identity_id
