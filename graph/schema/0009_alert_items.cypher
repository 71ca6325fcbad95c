// The inbox (graph/alert_items.py): items are looked up by id when grouped, ranked and moved,
// and filtered by status on every inbox read. Without these, ranking N items scanned every
// item N times (955 items at 1,000,000 people: 912,025 rows for one ranking).
CREATE CONSTRAINT alert_item_id IF NOT EXISTS FOR (n:AlertItem) REQUIRE n.item_id IS UNIQUE;
CREATE INDEX alert_item_status IF NOT EXISTS FOR (n:AlertItem) ON (n.status);
