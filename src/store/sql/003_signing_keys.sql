-- spravka schema, version 3: the body's key that signs the QR code of each certificate.
-- The private key stays in the database (SPEC: the database stays on the body's machines);
-- the public key is shown on the administrator's screen and printed by `spravka verify`.
CREATE TABLE signing_keys (
    id         INTEGER PRIMARY KEY,
    secret     BLOB NOT NULL CHECK (length(secret) = 32),
    public     BLOB NOT NULL CHECK (length(public) = 32),
    created_at TEXT NOT NULL
);
