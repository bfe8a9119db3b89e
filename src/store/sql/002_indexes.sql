-- spravka schema, version 2: indexes for opening an application (its certificates and its
-- history) without scanning whole tables at 10^6 applications.
CREATE INDEX certificates_application ON certificates (application_id);
CREATE INDEX audit_record ON audit (record);
