// name: cases_due_review
// title: MAPPA+ cases due for review
// description: Managed MAPPA+ Category 4 cases whose next review (set from the MAPPA level at
//   their last meeting: cases.toml, by default every 16 weeks at level 2 and 8 at level 3)
//   falls on or before `as_of` plus `within_days`; overdue ones (due before `as_of`) first.
// audience: caseworker, mappa_panel
// mode: read
// scope: population
// param as_of: date = today -- the day the list is drawn up for
// param within_days: int = 14 -- also list reviews due this many days after `as_of`
// range within_days: 0..366
// returns: one row per case: case_id, identity_id, record_keys, name, level, last_review,
//   review_due, overdue (bool), days_overdue, caseworker, area; soonest due first.
MATCH (c:Case {status: 'managed'})
WHERE c.review_due <= $as_of + duration({days: $within_days})
MATCH (c)-[:ABOUT]->(i:Identity)
RETURN c.case_id AS case_id, i.identity_id AS identity_id,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) RETURN r.person_key ORDER BY r.person_key }
         AS record_keys,
       COLLECT { MATCH (r:Person)-[:RESOLVES_TO]->(i) WHERE r.full_name IS NOT NULL
                 RETURN r.full_name ORDER BY r.person_key }[0] AS name,
       c.level AS level, c.last_review AS last_review, c.review_due AS review_due,
       c.review_due < $as_of AS overdue,
       CASE WHEN c.review_due < $as_of THEN duration.inDays(c.review_due, $as_of).days ELSE 0 END
         AS days_overdue,
       c.caseworker AS caseworker, c.area AS area
ORDER BY review_due, case_id
