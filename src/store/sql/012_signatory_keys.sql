-- spravka schema, version 12: each signatory's own key for the certificates' QR codes (issue 12).
--
-- Before, one key of the body signed every QR code, its private half a plain BLOB in this file
-- and in every backup: whoever had a copy could sign. Now each signatory has a key whose
-- private half is stored only sealed (XChaCha20-Poly1305 under a key derived from the
-- signatory's password with Argon2id), opened at that signatory's sign-in. The body's old key
-- is kept as a retired public key, so that certificates printed under it still verify; its
-- secret is overwritten in place before the table is rebuilt without the column.
UPDATE signing_keys SET secret = zeroblob(32);
CREATE TABLE signing_keys_sealed (
    id          INTEGER PRIMARY KEY,
    -- The signatory who holds it; NULL for the body's key of the versions before this one.
    user_id     INTEGER REFERENCES users (id),
    public      BLOB NOT NULL UNIQUE CHECK (length(public) = 32),
    -- Argon2id salt and nonce || ciphertext of the 32-byte secret; NULL once retired.
    salt        BLOB CHECK (salt IS NULL OR length(salt) = 16),
    sealed      BLOB CHECK (sealed IS NULL OR length(sealed) = 72),
    created_at  TEXT NOT NULL,
    retired_at  TEXT,
    retired_why TEXT,
    CHECK ((sealed IS NULL) = (retired_at IS NOT NULL))
);
INSERT INTO signing_keys_sealed (id, user_id, public, salt, sealed, created_at, retired_at, retired_why)
    SELECT id, NULL, public, NULL, NULL, created_at, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'),
           'ключ органа до версии 12: закрытая часть хранилась открыто и удалена'
    FROM signing_keys;
DROP TABLE signing_keys;
ALTER TABLE signing_keys_sealed RENAME TO signing_keys;
-- One key in use per signatory.
CREATE UNIQUE INDEX signing_keys_in_use ON signing_keys (user_id) WHERE retired_at IS NULL;
-- The signed QR code of a certificate, kept once a signatory's key signed it, so that anyone
-- may print the certificate again without the key (the code is re-signed only when the printed
-- fields change, as after an extension).
ALTER TABLE certificates ADD COLUMN qr_code TEXT;
