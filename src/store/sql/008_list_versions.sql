-- The applications filed under each version of the priority list (SPEC §7), counted in the
-- administrator's reference lists without reading every application.
CREATE INDEX applications_profession ON applications (profession_id);
