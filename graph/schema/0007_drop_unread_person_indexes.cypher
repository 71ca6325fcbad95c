// Drop the two person indexes nothing reads: search finds names through the full-text
// `person_names`, name frequencies read toLower(surname) (which no index serves), and no
// query filters on pnc_id in the graph (resolution compares it in DuckDB). Each cost every
// person write an index update. `person_dob` stays: search by date of birth seeks it.
DROP INDEX person_surname IF EXISTS;
DROP INDEX person_pnc IF EXISTS;
