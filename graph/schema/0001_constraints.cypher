// Uniqueness on every record key of the extract format, and on resolved identities.
CREATE CONSTRAINT schema_migration_id IF NOT EXISTS FOR (m:SchemaMigration) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT agency_code IF NOT EXISTS FOR (n:Agency) REQUIRE n.agency_code IS UNIQUE;
CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.person_key IS UNIQUE;
CREATE CONSTRAINT identity_id IF NOT EXISTS FOR (n:Identity) REQUIRE n.identity_id IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.address_key IS UNIQUE;
CREATE CONSTRAINT incident_key IF NOT EXISTS FOR (n:Incident) REQUIRE n.incident_key IS UNIQUE;
CREATE CONSTRAINT order_key IF NOT EXISTS FOR (n:Order) REQUIRE n.order_key IS UNIQUE;
CREATE CONSTRAINT breach_key IF NOT EXISTS FOR (n:Breach) REQUIRE n.breach_key IS UNIQUE;
CREATE CONSTRAINT notification_key IF NOT EXISTS FOR (n:Notification) REQUIRE n.notification_key IS UNIQUE;
