-- spravka schema, version 1. Append-only: a change is a new numbered migration.
-- Dates are ISO text (YYYY-MM-DD), times ISO text (YYYY-MM-DDTHH:MM:SS) in the body's local time.

-- The local executive body that runs the service (one per database).
CREATE TABLE body (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    name_ru           TEXT NOT NULL,
    name_kk           TEXT NOT NULL,
    region            TEXT NOT NULL,
    signatory_name    TEXT NOT NULL,
    signatory_position TEXT NOT NULL,
    work_start        TEXT NOT NULL DEFAULT '09:00',
    work_end          TEXT NOT NULL DEFAULT '18:30',
    -- Certificate number pattern: {seq} or {seq:0N} and {year}.
    number_pattern    TEXT NOT NULL DEFAULT '{seq:05}/{year}',
    number_per_year   INTEGER NOT NULL DEFAULT 1 CHECK (number_per_year IN (0, 1)),
    number_start      INTEGER NOT NULL DEFAULT 1 CHECK (number_start >= 1),
    idle_lock_minutes INTEGER NOT NULL DEFAULT 15 CHECK (idle_lock_minutes >= 1),
    print_folder      TEXT,
    updated_at        TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
);

-- SPEC §1.
CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL CHECK (role IN ('officer', 'secretary', 'member', 'signatory', 'admin')),
    PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

-- Reference lists, versioned by the order that approved each version (SPEC §7).
CREATE TABLE reference_lists (
    id          INTEGER PRIMARY KEY,
    list        TEXT NOT NULL CHECK (list IN ('order-236-appendix-2', 'order-49')),
    version     TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    content     TEXT NOT NULL,
    loaded_at   TEXT NOT NULL,
    UNIQUE (list, version)
);

-- One row per profession of a priority-list version; an application keeps the exact entry.
CREATE TABLE professions (
    id                   INTEGER PRIMARY KEY,
    list_id              INTEGER NOT NULL REFERENCES reference_lists (id),
    key                  TEXT NOT NULL,
    sector_number        INTEGER NOT NULL,
    sector               TEXT NOT NULL,
    activity             TEXT NOT NULL,
    number               INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    qualification_levels TEXT NOT NULL DEFAULT '',
    UNIQUE (list_id, key)
);

CREATE TABLE order49_professions (
    id      INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES reference_lists (id),
    code    TEXT NOT NULL,
    area    TEXT NOT NULL,
    name    TEXT NOT NULL,
    UNIQUE (list_id, code)
);

-- R§10 points and the A2.9.2 threshold (SPEC §4).
CREATE TABLE scoring_schemes (
    version    TEXT PRIMARY KEY,
    valid_from TEXT NOT NULL,
    content    TEXT NOT NULL
) WITHOUT ROWID;

-- Per-year calendar data (SPEC §3): shipped rows have source 'assets', the administrator's 'admin'.
CREATE TABLE calendar_years (
    year                INTEGER PRIMARY KEY,
    kurban_ait          TEXT,
    kurban_ait_expected INTEGER NOT NULL DEFAULT 0 CHECK (kurban_ait_expected IN (0, 1)),
    source              TEXT NOT NULL
);

CREATE TABLE calendar_overrides (
    date    TEXT PRIMARY KEY,
    working INTEGER NOT NULL CHECK (working IN (0, 1)),
    note    TEXT NOT NULL DEFAULT '',
    source  TEXT NOT NULL
) WITHOUT ROWID;

-- SPEC §2. Personal data: read through the service only, each opening audited.
CREATE TABLE applicants (
    id                  INTEGER PRIMARY KEY,
    surname             TEXT NOT NULL,
    given_name          TEXT NOT NULL,
    patronymic          TEXT,
    citizenship         TEXT,            -- NULL: stateless
    birth_date          TEXT NOT NULL,
    iin                 TEXT,
    doc_type            TEXT NOT NULL,
    doc_series          TEXT,
    doc_number          TEXT NOT NULL,
    doc_issued_on       TEXT,
    doc_issued_by       TEXT,
    address             TEXT,
    phone               TEXT,
    fax                 TEXT,
    residence_abroad    TEXT,
    residence_phone     TEXT,
    email               TEXT,
    representative_name TEXT,
    representative_poa  TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX applicants_iin ON applicants (iin);
CREATE INDEX applicants_doc ON applicants (doc_number);

CREATE TABLE applications (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    applicant_id   INTEGER NOT NULL REFERENCES applicants (id),
    kind           TEXT NOT NULL CHECK (kind IN ('issue', 'extend', 'reissue', 'duplicate')),
    reissue_reason TEXT CHECK (reissue_reason IN ('name_changed', 'identity_document_changed', 'employer_changed')),
    profession_id  INTEGER NOT NULL REFERENCES professions (id),
    certificate_id INTEGER REFERENCES certificates (id), -- the certificate an extend/reissue/duplicate concerns
    employer_name  TEXT,
    employer_id    TEXT,
    contract_end   TEXT,
    consent        INTEGER NOT NULL CHECK (consent = 1),
    channel        TEXT NOT NULL CHECK (channel IN ('egov', 'elicense', 'migration', 'paper')),
    filed_at       TEXT NOT NULL,
    registered_on  TEXT NOT NULL,
    forward_by     TEXT,
    decision_by    TEXT NOT NULL,
    forwarded_on   TEXT,
    commission_by  TEXT,
    next_deadline  TEXT,             -- the deadline of the current step; NULL once closed
    status         TEXT NOT NULL CHECK (status IN ('registered', 'documents_incomplete', 'with_commission', 'recommended', 'issued', 'refused', 'withdrawn')),
    closed_on      TEXT,
    row_version    INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    updated_by     INTEGER NOT NULL REFERENCES users (id),
    updated_at     TEXT NOT NULL
);
CREATE INDEX applications_applicant ON applications (applicant_id);
CREATE INDEX applications_status_deadline ON applications (status, next_deadline);
CREATE INDEX applications_next_deadline ON applications (next_deadline);
CREATE INDEX applications_registered ON applications (registered_on);

-- The A2.8 checklist of an application: one row per required document.
CREATE TABLE documents (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    doc_type       TEXT NOT NULL,
    received       INTEGER NOT NULL DEFAULT 0 CHECK (received IN (0, 1)),
    UNIQUE (application_id, doc_type)
);

-- Scans, content-addressed by SHA-256, stored inside the database so that a backup is one file.
CREATE TABLE files (
    sha256  TEXT PRIMARY KEY,
    size    INTEGER NOT NULL,
    mime    TEXT NOT NULL CHECK (mime IN ('application/pdf', 'image/jpeg', 'image/png')),
    content BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE document_files (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id),
    sha256      TEXT NOT NULL REFERENCES files (sha256),
    file_name   TEXT NOT NULL,
    attached_by INTEGER NOT NULL REFERENCES users (id),
    attached_at TEXT NOT NULL,
    removed_by  INTEGER REFERENCES users (id),
    removed_at  TEXT
);
CREATE INDEX document_files_document ON document_files (document_id);

-- The commission (R§6).
CREATE TABLE commission_members (
    id           INTEGER PRIMARY KEY,
    full_name    TEXT NOT NULL,
    organisation TEXT NOT NULL,
    position     TEXT NOT NULL,
    member_group TEXT NOT NULL CHECK (member_group IN ('local_executive', 'education', 'internal_affairs', 'industrial_innovation', 'atameken', 'associations', 'sector_bodies')),
    member_role  TEXT NOT NULL CHECK (member_role IN ('chair', 'secretary', 'member')),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    start_date   TEXT NOT NULL,
    end_date     TEXT,
    user_id      INTEGER REFERENCES users (id)
);

CREATE TABLE meetings (
    id         INTEGER PRIMARY KEY,
    held_on    TEXT NOT NULL,
    place      TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    member_id  INTEGER NOT NULL REFERENCES commission_members (id),
    present    INTEGER NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;

CREATE TABLE agenda_items (
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
    application_id INTEGER NOT NULL REFERENCES applications (id),
    position       INTEGER NOT NULL,
    PRIMARY KEY (meeting_id, application_id)
) WITHOUT ROWID;

-- A conflicted member's score is not recorded for that application (R§9, SPEC §5).
CREATE TABLE conflicts (
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
    member_id      INTEGER NOT NULL REFERENCES commission_members (id),
    application_id INTEGER NOT NULL REFERENCES applications (id),
    note           TEXT NOT NULL DEFAULT '',
    declared_at    TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id, application_id)
) WITHOUT ROWID;

-- R§10 scores, with the scheme version they were given under (SPEC §4).
CREATE TABLE scores (
    id                  INTEGER PRIMARY KEY,
    application_id      INTEGER NOT NULL REFERENCES applications (id),
    meeting_id          INTEGER REFERENCES meetings (id),
    scheme_version      TEXT NOT NULL REFERENCES scoring_schemes (version),
    higher_education    INTEGER NOT NULL CHECK (higher_education IN (0, 1)),
    academic_degree     INTEGER NOT NULL CHECK (academic_degree IN (0, 1)),
    english_certificate INTEGER NOT NULL CHECK (english_certificate IN (0, 1)),
    periods             TEXT NOT NULL, -- JSON [{from, to}]
    education_points    INTEGER NOT NULL,
    experience_years    INTEGER NOT NULL,
    experience_points   INTEGER NOT NULL,
    total               INTEGER NOT NULL,
    passed              INTEGER NOT NULL CHECK (passed IN (0, 1)),
    scored_by           INTEGER NOT NULL REFERENCES users (id),
    scored_at           TEXT NOT NULL
);
CREATE INDEX scores_application ON scores (application_id);

-- The commission's recommendation (R§9) and the akimat's decision (R§11, R§12, A2.5).
CREATE TABLE recommendations (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    meeting_id     INTEGER REFERENCES meetings (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('issue', 'refuse')),
    ground         INTEGER CHECK (ground IN (1, 2, 3)),
    motivation     TEXT NOT NULL DEFAULT '',
    recorded_by    INTEGER NOT NULL REFERENCES users (id),
    recorded_at    TEXT NOT NULL,
    CHECK ((outcome = 'issue' AND ground IS NULL) OR (outcome = 'refuse' AND ground IS NOT NULL AND motivation <> ''))
);

CREATE TABLE decisions (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('issue', 'refuse')),
    ground         INTEGER CHECK (ground IN (1, 2, 3)),
    motivation     TEXT NOT NULL DEFAULT '',
    decided_on     TEXT NOT NULL,
    past_deadline  INTEGER NOT NULL CHECK (past_deadline IN (0, 1)),
    decided_by     INTEGER NOT NULL REFERENCES users (id),
    decided_at     TEXT NOT NULL,
    CHECK ((outcome = 'issue' AND ground IS NULL) OR (outcome = 'refuse' AND ground IS NOT NULL AND motivation <> ''))
);

-- Certificate numbers: one counter per year (year 0 when the numbering is continuous).
CREATE TABLE certificate_sequences (
    year       INTEGER PRIMARY KEY,
    last_value INTEGER NOT NULL
);

CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    applicant_id   INTEGER NOT NULL REFERENCES applicants (id),
    profession_id  INTEGER NOT NULL REFERENCES professions (id),
    issued_on      TEXT NOT NULL,
    valid_from     TEXT NOT NULL,
    valid_to       TEXT NOT NULL,
    basis          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('valid', 'expired', 'superseded', 'revoked')),
    supersedes     INTEGER REFERENCES certificates (id),
    superseded_by  INTEGER REFERENCES certificates (id),
    duplicate_of   INTEGER REFERENCES certificates (id),
    row_version    INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    CHECK (valid_to >= valid_from)
);
-- Unique per body and never reused; a duplicate carries the number of its original.
CREATE UNIQUE INDEX certificates_number ON certificates (number) WHERE duplicate_of IS NULL;
CREATE INDEX certificates_applicant ON certificates (applicant_id);
CREATE TRIGGER certificates_never_deleted BEFORE DELETE ON certificates
BEGIN
    SELECT RAISE(ABORT, 'certificates are never deleted');
END;

-- Lifecycle events (SPEC §6).
CREATE TABLE certificate_events (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    event          TEXT NOT NULL CHECK (event IN ('issue', 'extend', 'reissue', 'duplicate', 'notice_employer_change', 'notice_contract_end', 'revoke', 'expire')),
    event_date     TEXT NOT NULL,
    grounds        TEXT NOT NULL DEFAULT '',
    application_id INTEGER REFERENCES applications (id),
    related_id     INTEGER REFERENCES certificates (id),
    old_valid_to   TEXT,
    new_valid_to   TEXT,
    act_body       TEXT,
    act_number     TEXT,
    act_date       TEXT,
    recorded_by    INTEGER NOT NULL REFERENCES users (id),
    recorded_at    TEXT NOT NULL,
    CHECK (event <> 'revoke' OR (act_body IS NOT NULL AND act_number IS NOT NULL AND act_date IS NOT NULL))
);
CREATE INDEX certificate_events_certificate ON certificate_events (certificate_id);

CREATE TABLE printed_copies (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    copy_kind      TEXT NOT NULL CHECK (copy_kind IN ('original', 'duplicate')),
    form_serial    TEXT,
    printed_by     INTEGER NOT NULL REFERENCES users (id),
    printed_at     TEXT NOT NULL,
    spoiled_reason TEXT,
    written_off_by INTEGER REFERENCES users (id),
    written_off_at TEXT
);
CREATE INDEX printed_copies_certificate ON printed_copies (certificate_id);

-- Complaints (chapter 3, R§24–26).
CREATE TABLE complaints (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER REFERENCES applications (id),
    certificate_id INTEGER REFERENCES certificates (id),
    addressed_to   TEXT NOT NULL CHECK (addressed_to IN ('local_body', 'reviewing_body')),
    received_at    TEXT NOT NULL,
    registered_on  TEXT NOT NULL,
    forward_by     TEXT,
    answer_by      TEXT NOT NULL,
    subject        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('open', 'forwarded', 'satisfied', 'rejected')),
    closed_on      TEXT,
    outcome        TEXT,
    recorded_by    INTEGER NOT NULL REFERENCES users (id)
);

-- The audit log: a hash chain, so that `check` finds an edited or deleted row.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    user_id   INTEGER,
    username  TEXT NOT NULL,
    action    TEXT NOT NULL,
    record    TEXT NOT NULL,
    summary   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- Search (SPEC §10 keeps personal data inside; the index holds what the officer searches by).
CREATE VIRTUAL TABLE search USING fts5 (
    names, ids, certificates, employer,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);
