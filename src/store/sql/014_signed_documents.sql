-- spravka schema: the results of the service signed with EDS (R§13). The signed PDF and the
-- detached CMS beside it are kept content-addressed (by SHA-256), like the scans, in their own
-- table because `files` admits only scans' types. A document signed again gets a new row: the
-- history stays, the newest row is the one in force.
CREATE TABLE signed_files (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL CHECK (mime IN ('application/pdf', 'application/pkcs7-signature')),
    content BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE signed_documents (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('certificate', 'refusal')),
    application_id  INTEGER NOT NULL REFERENCES applications (id),
    certificate_id  INTEGER REFERENCES certificates (id),
    -- The certificate's number or the application's number, as printed on the document.
    number          TEXT NOT NULL,
    pdf_sha256      TEXT NOT NULL REFERENCES signed_files (sha256),
    cms_sha256      TEXT NOT NULL REFERENCES signed_files (sha256),
    signer_name     TEXT NOT NULL,
    signer_iin      TEXT,
    cert_serial     TEXT NOT NULL,
    cert_issuer     TEXT NOT NULL,
    cert_not_before TEXT NOT NULL,
    cert_not_after  TEXT NOT NULL,
    algorithm       TEXT NOT NULL CHECK (algorithm IN ('rsa', 'gost', 'other')),
    -- How it was signed: 'ncalayer' or 'pkcs12'.
    method          TEXT NOT NULL CHECK (method IN ('ncalayer', 'pkcs12')),
    signed_at       TEXT NOT NULL,
    signed_by       INTEGER NOT NULL REFERENCES users (id),
    CHECK ((kind = 'certificate') = (certificate_id IS NOT NULL))
);
CREATE INDEX signed_documents_application ON signed_documents (application_id);
CREATE INDEX signed_documents_certificate ON signed_documents (certificate_id);
CREATE INDEX signed_documents_pdf ON signed_documents (pdf_sha256);

-- Root certificates the administrator trusts for checking signatures (the NCA RK roots).
CREATE TABLE trusted_roots (
    sha256   TEXT PRIMARY KEY,
    subject  TEXT NOT NULL,
    der      BLOB NOT NULL,
    added_by INTEGER NOT NULL REFERENCES users (id),
    added_at TEXT NOT NULL
) WITHOUT ROWID;
