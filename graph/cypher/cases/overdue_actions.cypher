// name: overdue_actions
// title: Overdue risk management plan actions
// description: Actions of MAPPA+ risk management plans (supervision; monitoring and control;
//   interventions and treatment; victim safety planning) still open or in progress after their
//   due date, with the owning agency and person and the case they belong to.
// audience: caseworker, mappa_panel
// mode: read
// scope: population
// param as_of: date = today -- an action due before this day and not done is overdue
// param agency: string = null -- only this owning agency's actions (none: every agency)
// param headings: list<string> = null -- only these headings (none: all four)
// choices headings: supervision, monitoring_and_control, interventions_and_treatment, victim_safety_planning
// returns: one row per action: action_id, case_id, identity_id, record_keys, name, heading,
//   title, agency, owner, status, due_date, days_overdue; longest overdue first.
MATCH (x:Action)
WHERE x.due_date < $as_of AND x.status IN ['open', 'in_progress']
  AND ($agency IS NULL OR x.agency = $agency)
  AND ($headings IS NULL OR x.heading IN $headings)
MATCH (x)-[:FOR]->(c:Case)-[:ABOUT]->(i:Identity)
RETURN x.action_id AS action_id, c.case_id AS case_id, i.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) WHERE r.full_name IS NOT NULL
                 RETURN r.full_name ORDER BY r.person_key }[0] AS name,
       x.heading AS heading, x.title AS title, x.agency AS agency, x.owner AS owner,
       x.status AS status, x.due_date AS due_date,
       duration.inDays(x.due_date, $as_of).days AS days_overdue
ORDER BY days_overdue DESC, action_id
