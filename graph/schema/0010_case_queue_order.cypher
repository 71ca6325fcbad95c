// The caseworker's queue reads a page in the order each case keeps as `queue_order`
// (graph/cases.py: its status's place in STATUSES times 100, less its RFGV), from this index,
// instead of sorting every open case (920 at 1,000,000 people in bench/cases.py, thousands in
// a national service) on every read.
CREATE INDEX case_queue_order IF NOT EXISTS FOR (n:Case) ON (n.queue_order);
// Cases opened before this migration: their order as graph/cases.py computes it.
MATCH (c:Case) WHERE c.queue_order IS NULL
SET c.queue_order = CASE c.status WHEN 'candidate' THEN 0 WHEN 'screening' THEN 1
                    WHEN 'accepted' THEN 2 WHEN 'not_accepted' THEN 3 WHEN 'managed' THEN 4
                    ELSE 5 END * 100.0 - coalesce(c.rfgv, 0.0);
