//! Backups with SQLite's online backup API: consistent while the application is writing.
//! They live in `backups/` beside the database file, named by time, the newest 14 kept.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::StoreError;

/// How many automatic backups are kept.
pub const KEEP: usize = 14;

/// The folder of backups of the database at `db`.
pub fn backup_dir(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

fn stem(db: &Path) -> String {
    db.file_stem().map_or_else(
        || "spravka".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// A new backup file name for `db` at `now`.
pub fn new_backup_path(db: &Path, now: NaiveDateTime) -> PathBuf {
    backup_dir(db).join(format!("{}-{}.db", stem(db), now.format("%Y%m%d-%H%M%S")))
}

/// The backups of `db`, oldest first.
pub fn list_backups(db: &Path) -> Vec<PathBuf> {
    let prefix = format!("{}-", stem(db));
    let Ok(entries) = std::fs::read_dir(backup_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with(&prefix)
                    && Path::new(n)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("db"))
            })
        })
        .collect();
    found.sort();
    found
}

/// The newest backup of `db`, if any.
pub fn last_backup(db: &Path) -> Option<PathBuf> {
    list_backups(db).pop()
}

/// Copies the database at `db` into `out` with the online backup API.
pub fn backup_to(db: &Path, out: &Path) -> Result<(), StoreError> {
    let source = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    backup_connection(&source, out)
}

/// Copies an open database into `out` (a new file; an existing one is refused).
pub fn backup_connection(source: &Connection, out: &Path) -> Result<(), StoreError> {
    if out.exists() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", out.display()),
        )));
    }
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let partial = out.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    {
        let mut dest = Connection::open(&partial)?;
        let backup = rusqlite::backup::Backup::new(source, &mut dest)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
    }
    // The copy is complete and closed: give it its name.
    std::fs::rename(&partial, out)?;
    Ok(())
}

/// Makes an automatic backup and keeps the newest [`KEEP`].
pub fn automatic_backup(
    source: &Connection,
    db: &Path,
    now: NaiveDateTime,
) -> Result<PathBuf, StoreError> {
    let out = new_backup_path(db, now);
    if !out.exists() {
        backup_connection(source, &out)?;
    }
    let backups = list_backups(db);
    if backups.len() > KEEP {
        for old in &backups[..backups.len() - KEEP] {
            std::fs::remove_file(old)?;
        }
    }
    Ok(out)
}

/// The daily backup of the file at `db` on a connection of its own (for a background thread),
/// if none was made today. Returns the new backup's path.
pub fn daily_backup(db: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>, StoreError> {
    if backed_up_today(db, now) {
        return Ok(None);
    }
    let source = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    automatic_backup(&source, db, now).map(Some)
}

/// Whether a backup was made on the day of `now` (the daily backup).
pub fn backed_up_today(db: &Path, now: NaiveDateTime) -> bool {
    let today = format!("{}-{}", stem(db), now.format("%Y%m%d"));
    list_backups(db)
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .any(|n| n.starts_with(&today))
}
