-- spravka schema, version 7: the report for a period reads its figures through these indexes,
-- most of them covering (the figures come from the index alone, not from the rows), so that a
-- year at 10⁶ applications is summed without visiting every row.
CREATE INDEX applications_report ON applications (registered_on, kind, channel, status, profession_id, applicant_id);
CREATE INDEX applications_forwarded_on ON applications (forwarded_on, forward_by);
CREATE INDEX applications_closed ON applications (status, closed_on);
-- A decision keeps what it was judged against: the application's kind, registration day and
-- deadline at the moment of the decision (a decided application changes no more), so that the
-- report counts decisions on time from one covering index, without a look-up per decision.
ALTER TABLE decisions ADD COLUMN kind TEXT;
ALTER TABLE decisions ADD COLUMN registered_on TEXT;
ALTER TABLE decisions ADD COLUMN decision_by TEXT;
UPDATE decisions SET
    kind = (SELECT a.kind FROM applications a WHERE a.id = decisions.application_id),
    registered_on = (SELECT a.registered_on FROM applications a WHERE a.id = decisions.application_id),
    decision_by = (SELECT a.decision_by FROM applications a WHERE a.id = decisions.application_id);
CREATE INDEX decisions_facts ON decisions (decided_on, kind, registered_on, decision_by, outcome, ground);
CREATE INDEX certificate_events_date ON certificate_events (event_date, event);
CREATE INDEX certificate_events_kind ON certificate_events (event, event_date, certificate_id);
CREATE INDEX certificates_issued_on ON certificates (issued_on) WHERE duplicate_of IS NULL;
CREATE INDEX certificates_valid_to ON certificates (valid_to);
CREATE INDEX meetings_held_on ON meetings (held_on);
CREATE INDEX scores_meeting ON scores (meeting_id);
CREATE INDEX recommendations_meeting ON recommendations (meeting_id);
CREATE INDEX complaints_registered_on ON complaints (registered_on);
