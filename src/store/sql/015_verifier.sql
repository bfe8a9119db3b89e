-- spravka schema: the static verification page the body publishes (issue 19).
-- The address of the page on the body's website, without the scheme (`akimat.kz/spravka`): the
-- certificates' QR codes become links `https://<address>/#<payload>` once it is set.
ALTER TABLE body ADD COLUMN verify_address TEXT;

-- The list the page checks statuses against: the body's public keys and the certificates
-- revoked or superseded, as canonical JSON, signed by a signatory's key at their sign-in. One
-- row, replaced at each signing; the exact signed bytes are kept, so the administrator publishes
-- what the signatory signed.
CREATE TABLE verifier_list (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    content   TEXT NOT NULL,
    signature BLOB NOT NULL,
    key_id    INTEGER NOT NULL REFERENCES signing_keys (id),
    signed_at TEXT NOT NULL
);

-- Each publication of the page: when, by whom, into which folder, and which list it carried.
CREATE TABLE verifier_publications (
    id             INTEGER PRIMARY KEY,
    published_at   TEXT NOT NULL,
    published_by   INTEGER NOT NULL REFERENCES users (id),
    folder         TEXT NOT NULL,
    list_signed_at TEXT NOT NULL,
    entries        INTEGER NOT NULL
);

-- The certificates the list names, found without a scan of every certificate.
CREATE INDEX certificates_withdrawn ON certificates (number)
    WHERE status IN ('revoked', 'superseded') AND duplicate_of IS NULL;
