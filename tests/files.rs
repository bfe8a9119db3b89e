//! The database file's odd states are named, never mistaken for damage, and nothing is
//! silently made of them; what holds applicants' data is owner-only (issue 12, item 5).

use spravka::service::maintenance::{self, OpenError};
use spravka::store::Store;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_empty_file_is_refused_unless_init_was_asked_for() {
    let d = dir();
    let db = d.path().join("spravka.db");
    std::fs::write(&db, b"").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(Store::open(&db), Err(OpenError::Empty { .. })));
    assert_eq!(
        std::fs::metadata(&db).map_or(1, |m| m.len()),
        0,
        "left untouched"
    );
    let store = maintenance::open_or_init(&db).unwrap_or_else(|e| panic!("{e}"));
    drop(store);
    assert!(Store::open(&db).is_ok(), "init made it a database");
}

#[test]
fn a_folder_is_named_as_a_folder() {
    let d = dir();
    let folder = d.path().join("spravka.db");
    std::fs::create_dir(&folder).unwrap_or_else(|e| panic!("{e}"));
    let refused = Store::open(&folder);
    assert!(
        matches!(refused, Err(OpenError::Directory { .. })),
        "{refused:?}"
    );
    // `check` too says «folder», not SQLite's «disk I/O error».
    let refused = spravka::store::check::check_file(&folder).map(|_| ());
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.to_string().contains("is a folder, not a database file")),
        "{refused:?}"
    );
}

#[test]
fn a_read_only_file_is_read_only_not_damaged() {
    let d = dir();
    let db = d.path().join("spravka.db");
    drop(Store::open(&db).unwrap_or_else(|e| panic!("{e}")));
    let mut permissions = std::fs::metadata(&db)
        .unwrap_or_else(|e| panic!("{e}"))
        .permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&db, permissions).unwrap_or_else(|e| panic!("{e}"));
    let refused = Store::open(&db);
    assert!(
        matches!(refused, Err(OpenError::ReadOnly { .. })),
        "{refused:?}"
    );
    assert!(
        refused
            .err()
            .is_some_and(|e| e.to_string().contains("read-only: changes cannot be saved"))
    );
}

#[cfg(unix)]
#[test]
fn the_database_its_journal_and_its_backups_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let d = dir();
    let db = d.path().join("spravka.db");
    let mut store = Store::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    let session =
        spravka::service::setup::system_session(&mut store, now).unwrap_or_else(|e| panic!("{e}"));
    let copy = d.path().join("copy.db");
    maintenance::backup(&store, &session, &copy).unwrap_or_else(|e| panic!("{e}"));
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p).map_or_else(
            |e| panic!("{}: {e}", p.display()),
            |m| m.permissions().mode() & 0o777,
        )
    };
    assert_eq!(mode(&db), 0o600, "the database");
    let wal = d.path().join("spravka.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600, "its write-ahead log");
    }
    assert_eq!(mode(&copy), 0o600, "the backup");
}
