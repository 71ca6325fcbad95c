// MAPPA+ case work (graph/cases.py): cases about an identity, their screening assessments,
// meetings and their hearings, risk management plan actions, imposed obligations, and every
// change made to a case.
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.case_id IS UNIQUE;
CREATE CONSTRAINT assessment_id IF NOT EXISTS FOR (n:Assessment) REQUIRE n.assessment_id IS UNIQUE;
CREATE CONSTRAINT meeting_id IF NOT EXISTS FOR (n:Meeting) REQUIRE n.meeting_id IS UNIQUE;
CREATE CONSTRAINT hearing_id IF NOT EXISTS FOR (n:Hearing) REQUIRE n.hearing_id IS UNIQUE;
CREATE CONSTRAINT action_id IF NOT EXISTS FOR (n:Action) REQUIRE n.action_id IS UNIQUE;
CREATE CONSTRAINT obligation_id IF NOT EXISTS FOR (n:Obligation) REQUIRE n.obligation_id IS UNIQUE;
CREATE INDEX case_status IF NOT EXISTS FOR (n:Case) ON (n.status);
CREATE INDEX case_review_due IF NOT EXISTS FOR (n:Case) ON (n.review_due);
CREATE INDEX action_due IF NOT EXISTS FOR (n:Action) ON (n.due_date);
CREATE INDEX case_change_case IF NOT EXISTS FOR (n:CaseChange) ON (n.case_id);
