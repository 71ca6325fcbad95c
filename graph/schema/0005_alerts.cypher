// Alerts, watches, and the relationship-row keys alert rules look up.
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (n:Alert) REQUIRE n.alert_id IS UNIQUE;
CREATE CONSTRAINT watch_id IF NOT EXISTS FOR (n:Watch) REQUIRE n.watch_id IS UNIQUE;
CREATE INDEX alert_status IF NOT EXISTS FOR (n:Alert) ON (n.status);
