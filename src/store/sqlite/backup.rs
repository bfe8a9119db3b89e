//! The online backup API: a consistent copy of a database that may be open and written to by
//! another workstation while it runs.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::open_read_only;
use crate::store::StoreError;

/// Copies the database file at `db` into `out` on a read-only connection of its own.
pub fn backup_file(db: &Path, out: &Path) -> Result<(), StoreError> {
    let source = open_read_only(db)?;
    backup_connection(&source, out)
}

/// Copies an open database into `out` (a new file; an existing one is refused). The copy is
/// written as `<out>.partial` and renamed when complete, so `out` is never half a database.
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
    // A backup holds the applicants' data: owner-only, like the database.
    super::create_owner_only(&partial)?;
    {
        let mut dest = Connection::open(&partial)?;
        let backup = rusqlite::backup::Backup::new(source, &mut dest)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
    }
    // The copy is complete and closed: give it its name.
    std::fs::rename(&partial, out)?;
    Ok(())
}
