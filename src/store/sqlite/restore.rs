//! Restoring a backup over the database file: the backup must pass the check, and the file it
//! replaces (with its `-wal` and `-shm`) is kept beside it, never deleted.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::backup::backup_file;
use super::check::check_file;
use crate::store::StoreError;
use crate::store::check::RestoreError;

/// Replaces the database at `db` by the backup `from`, if `from` passes the check. The current
/// database is first copied beside it as `<name>.replaced-<time>` — never deleted, even if
/// damaged.
///
/// The backup is written into the database through SQLite (the backup API, in one step under
/// the write lock), not by renaming files: every connection still open on the database, in this
/// process or on another workstation, sees the restored content at its next transaction, and
/// what it writes afterwards goes into the restored database. (Renaming the file under a live
/// writer let that writer go on committing into the renamed file: 1 184 commits made after a
/// restore were lost, issue 12.) Only a file SQLite cannot open as a database is moved aside by
/// name, as before.
pub fn restore(
    db: &Path,
    from: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>, RestoreError> {
    let report = check_file(from).map_err(|source| RestoreError::Unreadable {
        path: from.into(),
        source,
    })?;
    if !report.is_clean() {
        return Err(RestoreError::Unclean {
            path: from.into(),
            report: Box::new(report),
        });
    }
    if !db.exists() {
        backup_file(from, db)?;
        return Ok(None);
    }
    let aside = db.with_extension(format!("replaced-{}", now.format("%Y%m%d-%H%M%S")));
    if super::quick_check(db).is_ok() {
        // A consistent copy of the database as it stands, then the backup into it.
        backup_file(db, &aside)?;
        restore_into(from, db)?;
    } else {
        // Not a database SQLite can copy: kept by name, with its -wal and -shm.
        crate::platform::retry::rename(db, &aside).map_err(StoreError::from)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                let side_aside = PathBuf::from(format!("{}{suffix}", aside.display()));
                crate::platform::retry::rename(&side, &side_aside).map_err(StoreError::from)?;
            }
        }
        backup_file(from, db)?;
    }
    Ok(Some(aside))
}

/// Writes the database `from` over the open database `db` through SQLite, every page in one
/// step; waits while another connection holds the write lock (up to a minute).
fn restore_into(from: &Path, db: &Path) -> Result<(), StoreError> {
    let source = super::open_read_only(from)?;
    let mut dest = rusqlite::Connection::open(db)?;
    dest.busy_timeout(std::time::Duration::from_secs(10))?;
    // Another workstation's write transaction: wait for it, up to a minute.
    super::backup::copy_pages(&source, &mut dest, 3000)
}
