//! The numbered, append-only migrations, tracked by `PRAGMA user_version`.

use rusqlite_migration::{M, Migrations};

const STEPS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_indexes.sql"),
    include_str!("sql/003_signing_keys.sql"),
    include_str!("sql/004_registry.sql"),
    include_str!("sql/005_audit_head.sql"),
    include_str!("sql/006_passwords.sql"),
    include_str!("sql/007_reports.sql"),
    include_str!("sql/008_list_versions.sql"),
    include_str!("sql/009_certificates_issued.sql"),
    include_str!("sql/010_search_folded.sql"),
    include_str!("sql/011_report_citizenship.sql"),
    include_str!("sql/012_signatory_keys.sql"),
    include_str!("sql/013_audit_evidence.sql"),
    include_str!("sql/014_signed_documents.sql"),
    include_str!("sql/015_verifier.sql"),
];

/// Steps whose SQL is followed by work in Rust, by number.
const SEARCH_REBUILT: usize = 10;

pub fn migrations() -> Migrations<'static> {
    Migrations::new(
        STEPS
            .iter()
            .enumerate()
            .map(|(i, sql)| match i + 1 {
                // The index's new columns are filled with the folding written in Rust.
                SEARCH_REBUILT => M::up_with_hook(sql, |tx: &rusqlite::Transaction| {
                    super::sqlite::fts::rebuild(tx)
                        .map_err(|e| rusqlite_migration::HookError::Hook(e.to_string()))
                }),
                _ => M::up(sql),
            })
            .collect(),
    )
}

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    STEPS.len() as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    #[test]
    fn migrations_are_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn data_written_at_version_1_survives_the_later_migrations() {
        // A database of the first version with a certificate in it, migrated to the latest.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("v1.db");
        let mut conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.pragma_update(None, "foreign_keys", "ON")
            .unwrap_or_else(|e| panic!("{e}"));
        migrations()
            .to_version(&mut conn, 1)
            .unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES (1, 'u', 'U', '!', '2026-01-01T00:00:00');
             INSERT INTO reference_lists (id, list, version, approved_by, content, loaded_at) VALUES (1, 'order-236-appendix-2', 'v', 'a', '{}', 'x');
             INSERT INTO professions (id, list_id, key, sector_number, sector, activity, number, name) VALUES (1, 1, '1.1.1', 1, 's', 'a', 1, 'Учитель');
             INSERT INTO applicants (id, surname, given_name, birth_date, doc_type, doc_number, created_at) VALUES (1, 'Қасымқызы', 'Айгерім', '1990-01-01', 'паспорт', '1', 'x');
             INSERT INTO applications (id, number, applicant_id, kind, profession_id, consent, channel, filed_at, registered_on, decision_by, status, created_by, created_at, updated_by, updated_at)
                 VALUES (1, '2026-000001', 1, 'issue', 1, 1, 'egov', '2026-11-23T10:00:00', '2026-11-23', '2026-11-30', 'issued', 1, 'x', 1, 'x');
             INSERT INTO certificates (id, number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis, status, created_by, created_at)
                 VALUES (1, '00001/2026', 1, 1, 1, '2026-11-25', '2026-11-25', '2027-02-24', 'b', 'valid', 1, 'x');",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        // At version 11 the body's one key signed the QR codes, its secret stored in the clear.
        migrations()
            .to_version(&mut conn, 11)
            .unwrap_or_else(|e| panic!("{e}"));
        let secret = [42u8; 32];
        let key = ed25519_dalek::SigningKey::from_bytes(&secret);
        conn.execute(
            "INSERT INTO signing_keys (secret, public, created_at) VALUES (?1, ?2, '2026-01-01T00:00:00')",
            rusqlite::params![secret.as_slice(), key.verifying_key().to_bytes().as_slice()],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let signed = "S1|00001/2026|Қ.А.|2026-11-25|2026-11-25|2027-02-24";
        let code = {
            use base64::Engine;
            use ed25519_dalek::Signer;
            let signature = key.sign(signed.as_bytes()).to_bytes();
            format!(
                "{signed}|{}",
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(signature)
            )
        };
        migrations()
            .to_latest(&mut conn)
            .unwrap_or_else(|e| panic!("{e}"));
        // Version 12: the secret is gone (issue 12), the public half kept, retired.
        let secret_column: i64 = conn
            .query_row(
                "SELECT count(*) FROM pragma_table_info('signing_keys') WHERE name = 'secret'",
                [],
                |r| r.get(0),
            )
            .unwrap_or(-1);
        assert_eq!(secret_column, 0);
        let retired: i64 = conn
            .query_row(
                "SELECT count(*) FROM signing_keys WHERE retired_at IS NOT NULL AND sealed IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap_or(-1);
        assert_eq!(retired, 1);
        let number: String = conn
            .query_row(
                "SELECT number FROM certificates WHERE application_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap_or_default();
        assert_eq!(number, "00001/2026");
        let surname: String = conn
            .query_row("SELECT surname FROM applicants WHERE id = 1", [], |r| {
                r.get(0)
            })
            .unwrap_or_default();
        assert_eq!(surname, "Қасымқызы");
        let fk: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap_or(-1);
        assert_eq!(fk, 0);
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap_or(0);
        assert_eq!(version, latest_version());
        conn.pragma_update(None, "application_id", crate::store::sqlite::APPLICATION_ID)
            .unwrap_or_else(|e| panic!("{e}"));
        drop(conn);
        // The secret's bytes are nowhere in the file, and what the old key signed verifies.
        let bytes = std::fs::read(&path).unwrap_or_default();
        assert!(!bytes.windows(32).any(|w| w == secret));
        let store = crate::store::Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let v = crate::service::printing::verify(&store, &code).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.authentic, Some(true));
        assert!(v.key.is_some());
        assert_eq!(v.key_holder, None, "the body's key of before version 12");
    }

    #[test]
    fn each_migration_applies_from_the_previous_version() {
        // From an empty file, step by step, each version is reached and the schema is sound.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("steps.db");
        for version in 1..=STEPS.len() {
            let mut conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
            migrations()
                .to_version(&mut conn, version)
                .unwrap_or_else(|e| panic!("to {version}: {e}"));
            let found: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap_or(-1);
            assert_eq!(found, version as i64);
            let check: String = conn
                .pragma_query_value(None, "quick_check", |r| r.get(0))
                .unwrap_or_default();
            assert_eq!(check, "ok");
            let fk: i64 = conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .unwrap_or(-1);
            assert_eq!(fk, 0);
        }
        assert_eq!(latest_version(), STEPS.len() as i64);
    }

    #[test]
    fn the_audit_head_is_filled_from_the_chain_and_keeps_a_deleted_tail() {
        let before = STEPS
            .iter()
            .position(|sql| sql.contains("CREATE TABLE audit_head"))
            .unwrap_or_else(|| panic!("no audit_head migration"));
        for (rows, deleted, head) in [
            (0, false, (0, GENESIS_HASH.to_string())),
            (3, false, (3, "h3".to_string())),
            (3, true, (3, "h2".to_string())),
        ] {
            let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
            migrations()
                .to_version(&mut conn, before)
                .unwrap_or_else(|e| panic!("{e}"));
            for id in 1..=rows {
                conn.execute(
                    "INSERT INTO audit (id, at, username, action, record, summary, prev_hash, hash) VALUES (?1, 'x', 'u', 'a', 'r', 's', 'p', 'h' || ?1)",
                    [id],
                )
                .unwrap_or_else(|e| panic!("{e}"));
            }
            if deleted {
                conn.execute("DELETE FROM audit WHERE id = ?1", [rows])
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            migrations()
                .to_latest(&mut conn)
                .unwrap_or_else(|e| panic!("{e}"));
            let found: (i64, String) = conn
                .query_row(
                    "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(found, head, "{rows} rows, deleted: {deleted}");
        }
    }

    const GENESIS_HASH: &str = crate::store::audit::GENESIS;

    #[test]
    fn users_of_version_5_get_no_lock_and_no_forced_change() {
        let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        migrations()
            .to_version(&mut conn, 5)
            .unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch(
            "INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES (1, 'u', 'U', '!', '2026-01-01T00:00:00');",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        migrations()
            .to_version(&mut conn, 6)
            .unwrap_or_else(|e| panic!("{e}"));
        let row: (bool, i64, Option<String>) = conn
            .query_row(
                "SELECT must_change_password, failed_attempts, locked_until FROM users WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(row, (false, 0, None));
    }

    #[test]
    fn applications_per_list_version_are_counted_from_an_index() {
        let mut conn = Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        migrations()
            .to_version(&mut conn, 8)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan: Vec<String> = conn
            .prepare("EXPLAIN QUERY PLAN SELECT count(*) FROM applications WHERE profession_id = 1")
            .and_then(|mut s| {
                s.query_map([], |r| r.get::<_, String>(3))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            plan.iter().any(|p| p.contains("applications_profession")),
            "{plan:?}"
        );
    }

    #[test]
    fn the_certificates_of_a_period_are_found_by_their_date_of_issue() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut conn =
            Connection::open(dir.path().join("plan.db")).unwrap_or_else(|e| panic!("{e}"));
        migrations()
            .to_latest(&mut conn)
            .unwrap_or_else(|e| panic!("{e}"));
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM certificates WHERE issued_on BETWEEN ?1 AND ?2 \
                 AND duplicate_of IS NULL AND status = 'valid' ORDER BY id",
            )
            .and_then(|mut stmt| {
                stmt.query_map(["2026-01-01", "2026-12-31"], |r| r.get::<_, String>(3))?
                    .collect()
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            plan.iter()
                .any(|step| step.contains("certificates_valid_issued")),
            "{plan:?}"
        );
    }
}
