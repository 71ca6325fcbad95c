// Indexes the saved query library plans with (graph/cypher): MATAC seeks DA-related incidents
// by date range, order_breaches filters breaches by date, rfgv_ranking and the explorer's date
// filters read orders by issued date.
CREATE INDEX incident_da_event_date IF NOT EXISTS FOR (n:Incident) ON (n.da_related, n.event_date);
CREATE INDEX breach_date IF NOT EXISTS FOR (n:Breach) ON (n.breach_date);
CREATE INDEX order_issued_date IF NOT EXISTS FOR (n:Order) ON (n.issued_date);
