//! Backups of the database file: where they live (`backups/` beside the file), how they are
//! named (by time), which are kept (the newest 14) and when the daily one is due. The copy
//! itself is the engine's (`sqlite::backup`: the online backup API, consistent while the
//! application is writing).

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{StoreError, sqlite};

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

/// A backup file name for `db` at `now` that no file has yet: a second backup in the same
/// second gets `-2`, `-3`… after the time.
pub fn free_backup_path(db: &Path, now: NaiveDateTime) -> PathBuf {
    let first = new_backup_path(db, now);
    let mut n = 2;
    let mut out = first.clone();
    while out.exists() {
        out = backup_dir(db).join(format!(
            "{}-{}-{n}.db",
            stem(db),
            now.format("%Y%m%d-%H%M%S")
        ));
        n += 1;
    }
    out
}

/// When the backup `file` of `db` was taken, read from its name (`NAME-YYYYMMDD-HHMMSS…`).
pub fn taken_at(db: &Path, file: &Path) -> Option<NaiveDateTime> {
    let name = file.file_name()?.to_str()?;
    let time = name.strip_prefix(&format!("{}-", stem(db)))?.get(..15)?;
    NaiveDateTime::parse_from_str(time, "%Y%m%d-%H%M%S").ok()
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

/// Copies the database file at `db` into `out` (a new file) with a connection of its own.
pub fn backup_to(db: &Path, out: &Path) -> Result<(), StoreError> {
    sqlite::backup::backup_file(db, out)
}

/// Moves the database file `from` to `to` (which must not exist): a copy with the online backup
/// API, checked before it gets its name, then `from` with its `-wal` and `-shm` set aside as
/// `<name>.moved-<time>` — never deleted — so that nothing opens it by mistake again. Returns
/// the set-aside path. (The first start on Windows moves a per-user database to ProgramData.)
pub fn move_database(from: &Path, to: &Path, now: NaiveDateTime) -> Result<PathBuf, StoreError> {
    sqlite::backup::backup_file(from, to)?;
    let aside = from.with_extension(format!("moved-{}", now.format("%Y%m%d-%H%M%S")));
    crate::platform::retry::rename(from, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", from.display()));
        if side.exists() {
            let side_aside = PathBuf::from(format!("{}{suffix}", aside.display()));
            crate::platform::retry::rename(&side, &side_aside)?;
        }
    }
    Ok(aside)
}

/// Makes an automatic backup of `db` at `now` with `copy` (unless one of that second exists)
/// and keeps the newest [`KEEP`]. Returns the backup's path.
pub(in crate::store) fn automatic(
    db: &Path,
    now: NaiveDateTime,
    copy: impl FnOnce(&Path) -> Result<(), StoreError>,
) -> Result<PathBuf, StoreError> {
    let out = new_backup_path(db, now);
    if !out.exists() {
        copy(&out)?;
    }
    let backups = list_backups(db);
    if backups.len() > KEEP {
        for old in &backups[..backups.len() - KEEP] {
            crate::platform::retry::remove_file(old)?;
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
    automatic(db, now, |out| sqlite::backup::backup_file(db, out)).map(Some)
}

/// Whether a backup was made on the day of `now` (the daily backup).
pub fn backed_up_today(db: &Path, now: NaiveDateTime) -> bool {
    let today = format!("{}-{}", stem(db), now.format("%Y%m%d"));
    list_backups(db)
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
        .any(|n| n.starts_with(&today))
}
