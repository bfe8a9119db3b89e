-- spravka schema, version 11: the yearly report at 10⁶ applications (issue 16).
--
-- An application keeps the citizenship it states (the applicant's at filing, or as corrected
-- in that application), so that the report counts applications by citizenship from one
-- covering index instead of a look-up of the applicant per application.
ALTER TABLE applications ADD COLUMN citizenship TEXT;
UPDATE applications SET citizenship = (SELECT p.citizenship FROM applicants p WHERE p.id = applications.applicant_id);
CREATE INDEX applications_citizenship ON applications (registered_on, citizenship);
-- The certificates whose validity covers a day, counted from the index alone.
CREATE INDEX certificates_validity ON certificates (valid_to, valid_from, issued_on) WHERE duplicate_of IS NULL;
-- A recommendation keeps the R§9 deadline it was given against (the application's, which does
-- not move once the application is with the commission), so that "decided by the commission
-- in time" is counted from one covering index, without a look-up of each application.
ALTER TABLE recommendations ADD COLUMN commission_by TEXT;
UPDATE recommendations SET commission_by = (SELECT a.commission_by FROM applications a WHERE a.id = recommendations.application_id);
DROP INDEX recommendations_meeting;
CREATE INDEX recommendations_meeting ON recommendations (meeting_id, commission_by);
-- The commission's figures (scores given, their sum) from the index alone.
DROP INDEX scores_meeting;
CREATE INDEX scores_meeting ON scores (meeting_id, total);
