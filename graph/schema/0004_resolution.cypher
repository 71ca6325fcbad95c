// Identity resolution: the review queue of record pairs the model was unsure about, and the
// analysts' decisions on them (kept across re-runs).
CREATE CONSTRAINT review_pair_id IF NOT EXISTS FOR (n:ReviewPair) REQUIRE n.pair_id IS UNIQUE;
CREATE INDEX review_pair_status IF NOT EXISTS FOR (n:ReviewPair) ON (n.status, n.probability);
