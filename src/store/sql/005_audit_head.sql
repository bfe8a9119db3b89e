-- The head of the audit chain: the id and hash of the newest row, written in the transaction
-- of each append. `check` compares it with the chain, so that deleting the newest rows (and
-- giving their ids again) is found without an engine's own id counter (`sqlite_sequence`).
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_id   INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);

-- Filled from the chain as it stands. Where SQLite's counter is already ahead of the newest
-- row (rows deleted before this version), the head keeps the counter: the deletion stays
-- visible.
INSERT INTO audit_head (id, last_id, last_hash)
SELECT 1,
       max(coalesce((SELECT max(id) FROM audit), 0),
           coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0)),
       coalesce((SELECT hash FROM audit ORDER BY id DESC LIMIT 1),
                '0000000000000000000000000000000000000000000000000000000000000000');
