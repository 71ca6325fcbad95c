// name: shared_addresses
// title: Shared addresses
// description: Addresses where several resolved people have lived, at least `min_perpetrators`
//   of them perpetrators (suspect or offender in a DA-related incident, or subject of an order):
//   where a serial perpetrator lived with successive partners, or two perpetrators are linked.
//   Candidates by the per-address facts of graph/facts.py (`perpetrator_count`,
//   `resident_count`, kept fresh by every load and resolution); a resident is a perpetrator when
//   his identity holds the per-identity facts (present exactly for perpetrators).
// audience: analyst, caseworker
// mode: read
// scope: population
// param min_identities: int = 2 -- distinct residents needed
// range min_identities: 2..1000
// param min_perpetrators: int = 1 -- perpetrators among them needed
// range min_perpetrators: 0..1000
// param limit: int = 1000 -- most addresses returned
// range limit: 1..100000
// returns: one row per address: address_key, postcode, town, line1, identities, perpetrators,
//   incidents (recorded there), residents (list of {identity_id, record_keys, name, from_date,
//   to_date, perpetrator}); most perpetrators, then most residents first.
MATCH (a:Address)
WHERE a.perpetrator_count >= $min_perpetrators AND a.resident_count >= $min_identities
WITH a ORDER BY a.perpetrator_count DESC, a.resident_count DESC, a.address_key
LIMIT $limit
MATCH (a)<-[r:RESIDED_AT]-(:Person)-[:RESOLVES_TO]->(i:Identity)
WITH a, i, min(r.from_date) AS from_date,
     CASE WHEN count(r) > count(r.to_date) THEN null ELSE max(r.to_date) END AS to_date
WITH a, collect({i: i, from_date: from_date, to_date: to_date,
                 perpetrator: i.first_event_date IS NOT NULL}) AS people
WITH a, people, size([x IN people WHERE x.perpetrator]) AS perpetrators
CALL (a, people) {
  UNWIND people AS x
  WITH x.i AS i, x.from_date AS from_date, x.to_date AS to_date, x.perpetrator AS perpetrator
  ORDER BY from_date, i.identity_id
  RETURN collect({identity_id: i.identity_id, from_date: from_date, to_date: to_date,
                  perpetrator: perpetrator,
                  record_keys: COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i)
                                         RETURN p.person_key ORDER BY p.person_key },
                  name: COLLECT { MATCH (p:Person)-[:RESOLVES_TO]->(i)
                                  RETURN p.full_name ORDER BY p.person_key }[0]}) AS residents
}
RETURN a.address_key AS address_key, a.postcode AS postcode, a.town AS town, a.line1 AS line1,
       size(residents) AS identities, perpetrators,
       COUNT { (a)<-[:OCCURRED_AT]-(:Incident) } AS incidents, residents
ORDER BY perpetrators DESC, identities DESC, address_key
