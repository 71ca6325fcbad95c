// Facts for obligations_register (graph/facts.py): each perpetrator's orders' keys and the
// dates they are in force from and until, beside their dates and types, so the register reads
// which duty orders are in force instead of walking every subject's records and orders. No
// index. A graph loaded before this migration gets them from the full refresh that follows it
// (graph/schema/migrate.py).
