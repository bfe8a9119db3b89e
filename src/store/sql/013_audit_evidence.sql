-- spravka schema, version 13: evidence that cannot be rewritten quietly (issue 12, item 3).
--
-- Each audit row that names an application or a certificate carries the SHA-256 of that
-- application's legal record as it stood after the change ("id:hash": the application, its
-- scores, recommendation, decision and certificates; "id:hash;id:hash" when an extension,
-- reissue or duplicate touched the certificate of another application), inside the row's hash; `check`
-- recomputes the live records against the newest such row, so a direct UPDATE is named.
ALTER TABLE audit ADD COLUMN dossier TEXT NOT NULL DEFAULT '';
-- The chain's head signed by a signatory's key (at their sign-in and when they print): a copy of
-- the file holds no key, so rows up to an anchor cannot be rewritten, nor deleted, unseen.
CREATE TABLE audit_anchors (
    id         INTEGER PRIMARY KEY,
    audit_id   INTEGER NOT NULL,
    audit_hash TEXT NOT NULL,
    key_id     INTEGER NOT NULL REFERENCES signing_keys (id),
    signed_at  TEXT NOT NULL,
    signature  BLOB NOT NULL CHECK (length(signature) = 64)
);
