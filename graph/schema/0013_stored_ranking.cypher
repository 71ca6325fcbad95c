// The stored RFGV ranking (graph/ranking.py): each perpetrator's score for the ranking's date,
// read by rfgv_ranking in score order for that date (and counted, to know it is complete);
// one Ranking node per stored ranking. A graph loaded before this migration ranks from the
// next `serialwatch cases follow-up` (after a load or resolution, and daily).
CREATE CONSTRAINT ranking_name IF NOT EXISTS FOR (n:Ranking) REQUIRE n.name IS UNIQUE;
CREATE INDEX identity_rfgv IF NOT EXISTS FOR (n:Identity) ON (n.rfgv_as_of, n.rfgv_score);
