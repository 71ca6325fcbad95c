// Facts for obligation_compliance (graph/facts.py): each perpetrator's notifications (key, type,
// event named, date notified, agency), so the query reads who told what from his facts, and
// walks his homes and partners only where a row can reach the page. No index. A graph loaded
// before this migration gets them from the full refresh that follows it (graph/schema/migrate.py).
