// Facts for the population queries (graph/facts.py): each perpetrator's per-force counts and
// dates (cross_force_perpetrators reads them instead of walking his records), and on each
// address where two or more identities lived how many did and how many are perpetrators
// (shared_addresses seeks its candidates by these). A graph loaded before this migration gets
// them from the full refresh that follows it (graph/schema/migrate.py).
CREATE INDEX address_perpetrator_count IF NOT EXISTS FOR (n:Address) ON (n.perpetrator_count);
CREATE INDEX address_resident_count IF NOT EXISTS FOR (n:Address) ON (n.resident_count);
