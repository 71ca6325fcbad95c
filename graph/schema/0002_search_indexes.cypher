// Search by name, date of birth, postcode and PNC id; a full-text index over names and aliases.
CREATE INDEX person_surname IF NOT EXISTS FOR (n:Person) ON (n.surname, n.forename);
CREATE INDEX person_dob IF NOT EXISTS FOR (n:Person) ON (n.date_of_birth);
CREATE INDEX person_pnc IF NOT EXISTS FOR (n:Person) ON (n.pnc_id);
CREATE INDEX address_postcode IF NOT EXISTS FOR (n:Address) ON (n.postcode);
CREATE INDEX incident_event_date IF NOT EXISTS FOR (n:Incident) ON (n.event_date);
CREATE INDEX order_type IF NOT EXISTS FOR (n:Order) ON (n.order_type);
CREATE FULLTEXT INDEX person_names IF NOT EXISTS FOR (n:Person) ON EACH [n.full_name, n.alias_text];
