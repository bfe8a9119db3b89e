//! The upkeep of the database file, for the window and the command line: the start-up check,
//! the automatic (daily, on exit) and manual backups, the check report, restoring a backup,
//! and the list of backups. Nothing here needs to know which engine is below.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

pub use crate::store::audit::Problem as AuditProblem;
pub use crate::store::backup::KEEP as BACKUPS_KEPT;
pub use crate::store::check::{Report, RestoreError};
pub use crate::store::{OpenError, Store, StoreError, default_path, display_location, server_url};

use super::{Result, Session};
use crate::domain::roles::Action;

/// Opens the database at `path` (see [`Store::open`]).
pub fn open(path: &Path) -> Result<Store, OpenError> {
    Store::open(path)
}

/// Opens the database at `path` for `spravka init`: an empty file becomes a new database;
/// every other file is treated as by [`open`].
pub fn open_or_init(path: &Path) -> Result<Store, OpenError> {
    Store::open_or_init(path)
}

/// Opens the database at `path` without the whole-file check, which the caller then runs with
/// [`startup_check`] (see [`Store::open_deferred_check`]).
pub fn open_deferred_check(path: &Path) -> Result<Store, OpenError> {
    Store::open_deferred_check(path)
}

/// The whole-file integrity check run at start-up, on a connection of its own (it may run on
/// another thread while the window starts). A damaged file names its last backup.
pub fn startup_check(path: &Path) -> Result<(), OpenError> {
    if crate::store::server_url(path).is_some() {
        // A server keeps its own files whole; connecting already checked the schema.
        return Ok(());
    }
    crate::store::quick_check(path)
}

/// The daily backup of the file at `path` on a connection of its own (for a background
/// thread), if none was made on the day of `now`. Returns the new backup's path.
pub fn daily_backup(path: &Path, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    if crate::store::server_url(path).is_some() {
        // The daily backup is the SQLite file's: a server is backed up by its administrator.
        return Ok(None);
    }
    Ok(crate::store::backup::daily_backup(path, now)?)
}

/// An automatic backup of the open database (the window makes one when it closes); the newest
/// [`BACKUPS_KEPT`] are kept. Returns the backup's path.
pub fn automatic_backup(store: &Store, now: NaiveDateTime) -> Result<Option<PathBuf>> {
    if store.engine() == crate::store::db::Engine::Postgres {
        return Ok(None);
    }
    Ok(Some(store.automatic_backup(now)?))
}

/// A backup made by the administrator into the new file `out` (an existing file is refused),
/// consistent while other workstations keep writing.
pub fn backup(store: &Store, session: &Session, out: &Path) -> Result<()> {
    session.require(Action::Backup)?;
    store.backup_to(out)?;
    Ok(())
}

/// The administrator's «back up now»: a backup into `backups/` beside the file, named by
/// `now` (a second one in the same second gets a suffix), counted among the newest
/// [`BACKUPS_KEPT`]. Returns the backup's path.
pub fn backup_now(store: &Store, session: &Session, now: NaiveDateTime) -> Result<PathBuf> {
    session.require(Action::Backup)?;
    let out = crate::store::backup::free_backup_path(store.path(), now);
    store.backup_to(&out)?;
    Ok(out)
}

/// Copies the open SQLite database into the empty server database at `url` and checks the
/// copy there (see [`crate::store::copy`]); the administrator's.
pub fn copy_to_server(
    store: &Store,
    session: &Session,
    url: &str,
) -> Result<crate::store::copy::CopyReport> {
    session.require(Action::Backup)?;
    Ok(crate::store::copy::copy_to_server(store, url)?)
}

/// The check of the open database: integrity, foreign keys, the audit chain.
pub fn check(store: &Store) -> Result<Report> {
    Ok(store.check()?)
}

/// The check of the database file at `path`, read-only (it may be one that cannot be opened),
/// or of the server database a URL names (an empty one is reported, not set up).
pub fn check_file(path: &Path) -> Result<Report> {
    if let Some(url) = crate::store::server_url(path) {
        return Ok(crate::store::pg::check_url(url)?);
    }
    Ok(crate::store::check::check_file(path)?)
}

/// Replaces the database file at `db` by the backup `from` if `from` passes the check; the
/// replaced file is kept beside it and its path returned. The database must not be open here.
pub fn restore(
    db: &Path,
    from: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>, RestoreError> {
    if let Some(url) = crate::store::server_url(db) {
        return crate::store::check::restore_server(url, from, now);
    }
    crate::store::check::restore(db, from, now)
}

/// Moves the database file `from` to the new file `to` (see
/// [`crate::store::backup::move_database`]); the old file is kept aside and its path returned.
pub fn move_database(from: &Path, to: &Path, now: NaiveDateTime) -> Result<PathBuf> {
    Ok(crate::store::backup::move_database(from, to, now)?)
}

/// The backups of the database file at `db`, oldest first.
pub fn backups(db: &Path) -> Vec<PathBuf> {
    crate::store::backup::list_backups(db)
}

/// One backup in the administrator's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    /// When it was taken, from its name (`None` for a name this program did not give).
    pub taken_at: Option<NaiveDateTime>,
    /// Its size in bytes.
    pub size: u64,
}

/// The backups of the database file at `db` with their time and size, newest first. Reads
/// the folder and the files' metadata only; checking a backup is [`check_file`], on demand.
pub fn backup_list(db: &Path) -> Vec<BackupInfo> {
    let mut list: Vec<BackupInfo> = backups(db)
        .into_iter()
        .map(|path| BackupInfo {
            taken_at: crate::store::backup::taken_at(db, &path),
            size: std::fs::metadata(&path).map_or(0, |m| m.len()),
            path,
        })
        .collect();
    // A suffixed name (a second backup in the same second) is the later one.
    list.sort_by(|a, b| {
        let key = |i: &BackupInfo| (i.taken_at, i.path.as_os_str().len(), i.path.clone());
        key(b).cmp(&key(a))
    });
    list
}

/// The folder the backups of the database file at `db` are in.
pub fn backup_folder(db: &Path) -> PathBuf {
    crate::store::backup::backup_dir(db)
}

/// The newest backup of the database file at `db`, to offer for restoring.
pub fn last_backup(db: &Path) -> Option<PathBuf> {
    crate::store::backup::last_backup(db)
}

/// Whether a backup of `db` was made on the day of `now`.
pub fn backed_up_today(db: &Path, now: NaiveDateTime) -> bool {
    crate::store::backup::backed_up_today(db, now)
}
