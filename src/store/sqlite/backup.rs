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
        // Busy or locked only while a checkpoint holds the file: up to 10 s.
        copy_pages(source, &mut dest, 500)?;
        // The copy is checked before it gets its name.
        let check: String = dest.pragma_query_value(None, "quick_check", |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::Invalid(format!(
                "the copy failed its check: {check}"
            )));
        }
    }
    // The copy is complete and closed: give it its name.
    crate::platform::retry::rename(&partial, out)?;
    Ok(())
}

/// Copies every page of `source` into `dest` with the backup API in one step, under one read
/// transaction of the source: in WAL mode the other workstations go on writing meanwhile, and
/// none of their commits can restart the copy. (In steps of a few pages, a writer committing
/// every 10 ms restarted it for ever and a 300 MB file never finished: issue 12.) While the
/// source or the destination is busy or locked, waits 20 ms and tries again, `max_waits` times.
pub(super) fn copy_pages(
    source: &Connection,
    dest: &mut Connection,
    max_waits: u32,
) -> Result<(), StoreError> {
    let backup = rusqlite::backup::Backup::new(source, dest)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            rusqlite::backup::StepResult::More => {}
            _ if waits < max_waits => {
                waits += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => return Err(StoreError::Busy),
        }
    }
}
