// name: shortest_path
// title: Shortest link between two people
// description: The shortest chain of records linking two people (identity ids or person keys),
//   at most `max_hops` relationships long, through identities, person records, incidents (any
//   role), addresses, orders and recorded relationships; never through the agencies that supplied
//   the records. The search is breadth-first from both ends at once, one step at a time from
//   the end whose frontier has fewer relationships; the two frontiers first meeting gives the
//   length, and the path of that length is then drawn (Cypher's shortestPath). Its work is
//   bounded: a step that would take the relationships walked past `budget` is not taken, and
//   the answer is then one row saying no path exists within the steps searched (`searched`).
// audience: analyst, mappa_panel
// mode: read
// scope: pair
// param a: string -- one person: an identity id or a person key
// param b: string -- the other person: an identity id or a person key
// param max_hops: int = 8 -- the longest path considered, in relationships
// range max_hops: 1..12
// param budget: int = 200000 -- most relationships the search may walk, both ends together
// range budget: 1..100000000
// returns: one row per node along the path, from a to b: step (0 = a), length (of the whole
//   path), searched (= length), label, key, caption, identity_id and record_keys (persons and
//   identities), via (the relationship type reaching this node) and direction (`->` along the
//   path, `<-` against it). No row: no path within `max_hops`. One row with `step` null: the
//   budget ran out; there is no path within `searched` steps (fewer than `max_hops`), and
//   `caption` says so.
CALL () {
  MATCH (a:Identity {identity_id: $a})
  RETURN a
  UNION
  MATCH (:Person {person_key: $a})-[:RESOLVES_TO]->(a:Identity)
  RETURN a
}
CALL () {
  MATCH (b:Identity {identity_id: $b})
  RETURN b
  UNION
  MATCH (:Person {person_key: $b})-[:RESOLVES_TO]->(b:Identity)
  RETURN b
}
// The search state: each end's frontier (the nodes at its last step) and the step before it
// (in an undirected graph a frontier's neighbours lie at the step before, the same step or the
// next), the steps taken (both ends together), the relationships walked; one block per step.
WITH a, b, {front_a: [a], prev_a: [], front_b: [b], prev_b: [], hops: 0, walked: 0,
            found: a = b, stopped: false} AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
OPTIONAL CALL (s) {
  WITH s
  WHERE NOT s.found AND NOT s.stopped AND s.hops < $max_hops
    AND size(s.front_a) > 0 AND size(s.front_b) > 0
  CALL (s) {
    UNWIND s.front_a AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_a
  }
  CALL (s) {
    UNWIND s.front_b AS x
    RETURN sum(COUNT { (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-() }) AS cost_b
  }
  WITH s, cost_a <= cost_b AS on_a,
       CASE WHEN cost_a <= cost_b THEN cost_a ELSE cost_b END AS cost
  WITH s, on_a, cost, s.walked + cost > $budget AS over,
       CASE WHEN on_a THEN s.front_a ELSE s.front_b END AS front,
       CASE WHEN on_a THEN s.prev_a ELSE s.prev_b END AS prev
  CALL (over, front, prev) {
    UNWIND CASE WHEN over THEN [] ELSE front END AS x
    MATCH (x)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT]-(n)
    WITH DISTINCT n
    WHERE NOT n IN front AND NOT n IN prev
    RETURN collect(n) AS fresh
  }
  RETURN CASE WHEN over THEN s{.*, stopped: true}
              WHEN on_a THEN s{.*, prev_a: front, front_a: fresh, hops: s.hops + 1,
                               walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_b)}
              ELSE s{.*, prev_b: front, front_b: fresh, hops: s.hops + 1,
                     walked: s.walked + cost, found: any(n IN fresh WHERE n IN s.front_a)}
         END AS next
}
WITH a, b, coalesce(next, s) AS s
CALL (a, b, s) {
  WITH a, b, s
  WHERE s.found AND a = b
  MATCH p = (a)
  RETURN p
  UNION
  WITH a, b, s
  WHERE s.found AND a <> b
  MATCH p = shortestPath((a)-[:RESOLVES_TO|SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN|RESIDED_AT|SUBJECT_OF|PROTECTS|INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE|OCCURRED_AT*..12]-(b))
  RETURN p
  UNION
  WITH a, b, s
  WHERE s.stopped
  RETURN null AS p
}
CALL (p, s) {
  WITH p, s WHERE p IS NULL
  RETURN null AS step, null AS length, s.hops AS searched, null AS label, null AS key,
         'no path within ' + s.hops + CASE s.hops WHEN 1 THEN ' step' ELSE ' steps' END
           + ' (the search stopped after walking ' + s.walked + ' relationships)' AS caption,
         null AS identity_id, null AS record_keys, null AS via, null AS direction
  UNION
  WITH p WHERE p IS NOT NULL
  WITH p, nodes(p) AS ns, relationships(p) AS rs
  UNWIND range(0, size(ns) - 1) AS k
  WITH p, ns[k] AS n, k, CASE WHEN k = 0 THEN null ELSE rs[k - 1] END AS r,
       CASE WHEN k = 0 THEN null ELSE ns[k - 1] END AS prev
  WITH p, n, k, r, prev,
       CASE WHEN n:Identity THEN n
            WHEN n:Person THEN COLLECT { MATCH (n)-[:RESOLVES_TO]->(x:Identity) RETURN x }[0]
       END AS ident
  RETURN k AS step, length(p) AS length, length(p) AS searched, labels(n)[0] AS label,
         coalesce(n.identity_id, n.person_key, n.incident_key, n.order_key, n.address_key,
                  n.breach_key, n.notification_key, n.agency_code) AS key,
         coalesce(n.full_name, n.offence, n.order_type, n.postcode, n.identity_id) AS caption,
         ident.identity_id AS identity_id,
         CASE WHEN ident IS NULL THEN null
              ELSE COLLECT { MATCH (q:Person)-[:RESOLVES_TO]->(ident)
                             RETURN q.person_key ORDER BY q.person_key } END AS record_keys,
         type(r) AS via,
         CASE WHEN r IS NULL THEN null WHEN startNode(r) = prev THEN '->' ELSE '<-' END
           AS direction
}
RETURN step, length, searched, label, key, caption, identity_id, record_keys, via, direction
ORDER BY step
