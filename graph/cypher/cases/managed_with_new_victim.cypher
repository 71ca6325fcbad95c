// name: managed_with_new_victim
// title: Managed MAPPA+ perpetrators with a new victim since their last review
// description: Managed MAPPA+ Category 4 cases whose subject has a victim (as DOMAIN.md defines
//   one: a victim in a DA-related incident where he is suspect or offender, or a person
//   protected by an order he is subject of) whose first offence with him (offence date, else
//   reported date; for an order, its issued date) falls after the case's last review (the
//   meeting that set its level) and on or before `as_of`.
// audience: caseworker, mappa_panel
// mode: read
// scope: population
// param as_of: date = today -- the day the list is drawn up for
// returns: one row per case: case_id, identity_id, record_keys, name, level, last_review,
//   new_victims (list of {identity_id, first_date}, earliest first); most new victims first.
MATCH (c:Case {status: 'managed'})-[:ABOUT]->(i:Identity)
WITH c, i, coalesce(c.last_review, date(c.managed_since)) AS since
CALL (i) {
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUSPECT_IN|OFFENDER_IN]->(inc:Incident)
        <-[:VICTIM_IN]-(:Person)-[:RESOLVES_TO]->(v:Identity)
  WHERE inc.da_related AND v <> i
  RETURN v, inc.event_date AS d
  UNION
  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(o:Order)-[:PROTECTS]->(:Person)
        -[:RESOLVES_TO]->(v:Identity)
  WHERE v <> i
  RETURN v, o.issued_date AS d
}
WITH c, i, since, v, min(d) AS first_date
WHERE first_date > since AND first_date <= $as_of
WITH c, i, since, v, first_date ORDER BY first_date, v.identity_id
WITH c, i, since, collect({identity_id: v.identity_id, first_date: first_date}) AS new_victims
RETURN c.case_id AS case_id, i.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) WHERE r.full_name IS NOT NULL
                 RETURN r.full_name ORDER BY r.person_key }[0] AS name,
       c.level AS level, since AS last_review, new_victims
ORDER BY size(new_victims) DESC, case_id
