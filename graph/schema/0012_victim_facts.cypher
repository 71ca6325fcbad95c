// Facts for matac_serial (graph/facts.py): each perpetrator's (DA incident, victim) pairs with
// the victim's earliest date of birth, so the rule reads them instead of walking every
// incident's victims and their records. No index: the query seeks by `da_victim_count`. A
// graph loaded before this migration gets them from the full refresh that follows it
// (graph/schema/migrate.py).
