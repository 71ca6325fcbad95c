// name: neighbourhood
// title: Neighbourhood of a person (link chart)
// description: Everything within `hops` relationships of a person for the explorer's link
//   chart, starting from his identity and every record resolved into it (hop 0). Filters: a
//   date range (dated nodes and relationships outside it are left out), node labels and
//   relationship types (from a fixed allow-list, matched by list membership on `labels(n)` and
//   `type(r)`), and forces (records supplied by other agencies are left out). Agencies are never
//   walked through.
// audience: analyst, caseworker, mappa_panel
// mode: read
// scope: person
// param person: string -- the centre: an identity id or any person key resolved to it
// param hops: int = 1 -- how far to walk from his records
// range hops: 1..3
// param date_from: date = null -- leave out what is dated before this day
// param date_to: date = null -- leave out what is dated after this day
// param labels: list<string> = null -- node labels to keep (none: all)
// choices labels: Person, Identity, Address, Incident, Order, Breach, Notification
// param rel_types: list<string> = null -- relationship types to walk (none: all)
// choices rel_types: RESOLVES_TO, SUSPECT_IN, OFFENDER_IN, VICTIM_IN, WITNESS_IN, RESIDED_AT, SUBJECT_OF, PROTECTS, BREACH_OF, NOTIFIED, INTIMATE_PARTNER, EX_PARTNER, FAMILY, ASSOCIATE, OCCURRED_AT
// param forces: list<string> = null -- agency codes whose records to keep (none: all)
// param limit: int = 300 -- most nodes returned, nearest first
// range limit: 1..5000
// returns: one row per node, nearest first: key, label, caption, hops, date, agency_code,
//   identity_id and record_keys (persons and identities, else null), da_related (incidents,
//   else null), and links (list of {type, to}: the walked relationships from this node to
//   other returned nodes).
CALL () {
  MATCH (i:Identity {identity_id: $person})
  RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity)
  RETURN i
}
CALL (i) {
  MATCH (i)<-[r:RESOLVES_TO]-(p:Person)
  WITH collect(p) AS ps, collect(r) AS rs
  RETURN [i] + ps AS start, rs AS rels0
}
WITH start AS seen, start AS frontier, rels0 AS walked,
     [n IN start | {node: n, hops: 0}] AS placed
CALL (seen, frontier) {
  WITH seen, frontier WHERE $hops >= 1
  UNWIND frontier AS x
  MATCH (x)-[r:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|BREACH_OF|NOTIFIED|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
  WHERE ($rel_types IS NULL OR type(r) IN $rel_types)
    AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
    AND ($forces IS NULL OR n.agency_code IS NULL OR n.agency_code IN $forces)
    AND ($date_from IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                        n.notified_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                      n.notified_date, $date_to) <= $date_to)
    AND ($date_from IS NULL OR coalesce(r.to_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(r.from_date, $date_to) <= $date_to)
  RETURN collect(DISTINCT r) AS rels, collect(DISTINCT n) AS found
}
WITH [n IN found WHERE NOT n IN seen] AS fresh, seen, walked + rels AS walked, placed
WITH seen + fresh AS seen, fresh AS frontier, walked,
     placed + [n IN fresh | {node: n, hops: 1}] AS placed
CALL (seen, frontier) {
  WITH seen, frontier WHERE $hops >= 2
  UNWIND frontier AS x
  MATCH (x)-[r:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|BREACH_OF|NOTIFIED|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
  WHERE ($rel_types IS NULL OR type(r) IN $rel_types)
    AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
    AND ($forces IS NULL OR n.agency_code IS NULL OR n.agency_code IN $forces)
    AND ($date_from IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                        n.notified_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                      n.notified_date, $date_to) <= $date_to)
    AND ($date_from IS NULL OR coalesce(r.to_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(r.from_date, $date_to) <= $date_to)
  RETURN collect(DISTINCT r) AS rels, collect(DISTINCT n) AS found
}
WITH [n IN found WHERE NOT n IN seen] AS fresh, seen, walked + rels AS walked, placed
WITH seen + fresh AS seen, fresh AS frontier, walked,
     placed + [n IN fresh | {node: n, hops: 2}] AS placed
CALL (seen, frontier) {
  WITH seen, frontier WHERE $hops >= 3
  UNWIND frontier AS x
  MATCH (x)-[r:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|BREACH_OF|NOTIFIED|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
  WHERE ($rel_types IS NULL OR type(r) IN $rel_types)
    AND ($labels IS NULL OR any(l IN labels(n) WHERE l IN $labels))
    AND ($forces IS NULL OR n.agency_code IS NULL OR n.agency_code IN $forces)
    AND ($date_from IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                        n.notified_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(n.event_date, n.issued_date, n.breach_date,
                                      n.notified_date, $date_to) <= $date_to)
    AND ($date_from IS NULL OR coalesce(r.to_date, $date_from) >= $date_from)
    AND ($date_to IS NULL OR coalesce(r.from_date, $date_to) <= $date_to)
  RETURN collect(DISTINCT r) AS rels, collect(DISTINCT n) AS found
}
WITH [n IN found WHERE NOT n IN seen] AS fresh, seen, walked + rels AS walked, placed
WITH seen + fresh AS seen, fresh AS frontier, walked,
     placed + [n IN fresh | {node: n, hops: 3}] AS placed
UNWIND placed AS pl
WITH walked, pl.node AS n, pl.hops AS hops
ORDER BY hops, elementId(n)
LIMIT $limit
WITH walked, collect({n: n, hops: hops}) AS kept
WITH walked, kept, [x IN kept | x.n] AS nodes
UNWIND kept AS x
WITH walked, nodes, x.n AS n, x.hops AS hops
WITH walked, nodes, n, hops,
     CASE WHEN n:Identity THEN n
          WHEN n:Person THEN COLLECT { MATCH (n)-[:RESOLVES_TO]->(y:Identity) RETURN y }[0]
     END AS ident
RETURN coalesce(n.identity_id, n.person_key, n.incident_key, n.order_key, n.address_key,
                n.breach_key, n.notification_key) AS key,
       labels(n)[0] AS label,
       coalesce(n.full_name, n.offence, n.order_type, n.postcode, n.type, n.identity_id)
         AS caption,
       hops,
       coalesce(n.event_date, n.issued_date, n.breach_date, n.notified_date) AS date,
       n.agency_code AS agency_code,
       n.da_related AS da_related,
       ident.identity_id AS identity_id,
       CASE WHEN ident IS NULL THEN null
            ELSE COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(ident)
                           RETURN q.person_key ORDER BY q.person_key } END AS record_keys,
       [r IN walked WHERE startNode(r) = n AND endNode(r) IN nodes |
         {type: type(r), to: coalesce(endNode(r).identity_id, endNode(r).person_key,
                                      endNode(r).incident_key, endNode(r).order_key,
                                      endNode(r).address_key, endNode(r).breach_key,
                                      endNode(r).notification_key)}] AS links
ORDER BY hops, label, key
