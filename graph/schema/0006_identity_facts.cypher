// Per-identity facts (graph/facts.py): the whole-population queries seek their candidates by
// these instead of scanning every identity. serial_perpetrators: victims; matac_serial: victims
// from DA incidents; cross_force_perpetrators: police forces; rfgv_ranking: earliest event.
CREATE INDEX identity_victim_count IF NOT EXISTS FOR (n:Identity) ON (n.victim_count);
CREATE INDEX identity_da_victim_count IF NOT EXISTS FOR (n:Identity) ON (n.da_victim_count);
CREATE INDEX identity_force_count IF NOT EXISTS FOR (n:Identity) ON (n.force_count);
CREATE INDEX identity_first_event_date IF NOT EXISTS FOR (n:Identity) ON (n.first_event_date);
