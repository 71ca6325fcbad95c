// name: alert_same_person_new_force
// title: Alert: the same person found in a new force
// description: Evaluated after identity resolution, over the records it re-linked. Records from
//   a police force joined an identity that held no record from that force before. "Before" is
//   the identity they joined: of the groups of records that came together (a group: records
//   that shared one identity before the run, as `previous` says), the one that kept the
//   identity's id, else the one with most records, else the one with the least former id.
//   Only for identities a MAPPA+ chair manages: perpetrators (suspect or offender in a
//   DA-related incident, or subject of an order) and identities on a watchlist; a victim or
//   witness found in a second force raises nothing. A split, or a record that only changes
//   its identity's id, raises nothing. One alert per identity and new force; the evidence is
//   the newly linked records from that force and the identity's earlier records.
// audience: caseworker, police
// mode: read
// scope: population
// param previous: map = {} -- re-linked record key -> the identity id it resolved to before the run
// returns: one row per identity and new force: identity_id, record_keys, force, joined (the
//   newly linked records), known_forces (police forces of the earlier records), evidence
//   (joined and earlier record keys), owner (the new force).
UNWIND keys($previous) AS k
MATCH (r0:Person {person_key: k})-[:RESOLVES_TO]->(p:Identity) USING INDEX r0:Person(person_key)
WITH DISTINCT p
WHERE EXISTS {
    MATCH (p)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(i:Incident)
    WHERE i.da_related
  }
  OR EXISTS { (p)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(:Order) }
  OR EXISTS { (:Watch)-[:FOLLOWS]->(p) }
MATCH (p)<-[:RESOLVES_TO]-(r:Person)
OPTIONAL MATCH (r)-[:SUPPLIED_BY]->(ag:Agency {type: 'police_force'})
WITH p, coalesce($previous[r.person_key], p.identity_id) AS before,
     collect({key: r.person_key, force: ag.agency_code}) AS records
WITH p, collect({before: before, records: records}) AS groups
WHERE size(groups) > 1
CALL (p, groups) {
  UNWIND groups AS g
  RETURN g AS host
  ORDER BY size(g.records) DESC, CASE WHEN g.before = p.identity_id THEN 0 ELSE 1 END, g.before
  LIMIT 1
}
WITH p, groups, host, [x IN host.records WHERE x.force IS NOT NULL | x.force] AS known
UNWIND groups AS g
WITH p, host, known, g WHERE g.before <> host.before
UNWIND g.records AS x
WITH p, host, known, x WHERE x.force IS NOT NULL AND NOT x.force IN known
WITH p, host, known, x.force AS force, collect(x.key) AS joined
RETURN p.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(p) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       force,
       COLLECT { UNWIND joined AS j RETURN j ORDER BY j } AS joined,
       COLLECT { UNWIND known AS f RETURN DISTINCT f ORDER BY f } AS known_forces,
       COLLECT { UNWIND joined + [x IN host.records | x.key] AS e RETURN e ORDER BY e }
         AS evidence,
       force AS owner
ORDER BY identity_id, force
