//! Restoring a backup over the database file: the backup must pass the check, and the file it
//! replaces (with its `-wal` and `-shm`) is kept beside it, never deleted.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::backup::backup_file;
use super::check::check_file;
use crate::store::StoreError;
use crate::store::check::RestoreError;

/// Replaces the database at `db` by the backup `from`, if `from` passes the check. The current
/// file is kept beside it as `<name>.replaced-<time>` — never deleted, even if damaged.
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
    let mut kept = None;
    if db.exists() {
        let aside = db.with_extension(format!("replaced-{}", now.format("%Y%m%d-%H%M%S")));
        crate::platform::retry::rename(db, &aside).map_err(StoreError::from)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                let side_aside = PathBuf::from(format!("{}{suffix}", aside.display()));
                crate::platform::retry::rename(&side, &side_aside).map_err(StoreError::from)?;
            }
        }
        kept = Some(aside);
    }
    backup_file(from, db)?;
    Ok(kept)
}
