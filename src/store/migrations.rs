//! The numbered, append-only migrations, tracked by `PRAGMA user_version`.

use rusqlite_migration::{M, Migrations};

const STEPS: &[&str] = &[
    include_str!("sql/001_initial.sql"),
    include_str!("sql/002_indexes.sql"),
    include_str!("sql/003_signing_keys.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect())
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
}
