//! What only SQLite has: the set-up of a connection (PRAGMAs), the read-only look at a file
//! before it is opened (header, `application_id`, `quick_check`, `user_version`), the online
//! backup, the integrity check (`integrity_check`, `foreign_key_check`) and restoring a file.
//! The FTS5 statements of the search index are in `fts`. A second engine has its own module
//! beside this one; nothing outside `store` names it.

pub mod backup;
pub mod check;
pub mod fts;
pub mod restore;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{OpenError, StoreError, migrations};

/// `PRAGMA application_id` of a spravka database ("SPRV").
pub const APPLICATION_ID: i32 = 0x5350_5256;

/// Sets up a connection: WAL, foreign keys, a busy timeout, `synchronous = FULL`, temporary
/// storage in memory.
///
/// `temp_store = MEMORY` keeps statement journals off the disk: every `INSERT ... RETURNING`
/// runs with one, and once a long transaction has filled the page cache each dirty page it
/// evicts is copied there first. In a temporary file that is two writes per page: the demo's
/// 10⁵ applications took 1.3× as long.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Marks the file as spravka's (`PRAGMA application_id`), once, before the first migration.
pub(in crate::store) fn stamp(conn: &Connection) -> Result<(), StoreError> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

/// A connection that cannot write to the file at `path` (checks, backups from a file).
pub(in crate::store) fn open_read_only(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
}

/// What is in the file at `path` before anything is written to it.
pub(in crate::store) enum Found {
    Nothing,
    Spravka { version: i64 },
}

fn sqlite_header(path: &Path) -> Result<bool, std::io::Error> {
    let mut header = [0u8; 16];
    let mut file = std::fs::File::open(path)?;
    let mut read = 0;
    while read < header.len() {
        let n = file.read(&mut header[read..])?;
        if n == 0 {
            break;
        }
        read += n;
    }
    Ok(read == 16 && &header == b"SQLite format 3\0")
}

/// Looks at an existing file read-only: is it ours, intact (with `full_check`, `PRAGMA
/// quick_check`, which reads the whole file), and not from a newer program?
///
/// A directory, an empty file (unless `allow_empty`: `spravka init` was asked for) and a file
/// this user may not write are refused by name, not as "damaged", so that nobody restores a
/// backup over a file that was merely read-only.
pub(in crate::store) fn inspect(
    path: &Path,
    full_check: bool,
    allow_empty: bool,
) -> Result<Found, OpenError> {
    let last_backup = || super::backup::last_backup(path);
    let meta = std::fs::metadata(path);
    match meta {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(source) => {
            return Err(OpenError::Io {
                path: path.into(),
                source,
            });
        }
        Ok(meta) if meta.is_dir() => return Err(OpenError::Directory { path: path.into() }),
        Ok(meta) if meta.len() == 0 && allow_empty => return Ok(Found::Nothing),
        Ok(meta) if meta.len() == 0 => return Err(OpenError::Empty { path: path.into() }),
        Ok(_) => {}
    }
    // Read-only by its permissions (which even an administrator's account should respect:
    // someone made it so) or because this user cannot open it for writing.
    let marked_read_only = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
    let not_writable = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .is_err_and(|e| {
            matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            )
        });
    if marked_read_only || not_writable {
        return Err(OpenError::ReadOnly { path: path.into() });
    }
    let is_sqlite = sqlite_header(path).map_err(|source| OpenError::Io {
        path: path.into(),
        source,
    })?;
    if !is_sqlite {
        return Err(OpenError::NotSpravka {
            path: path.into(),
            last_backup: last_backup(),
        });
    }
    let damaged = |detail: String| OpenError::Damaged {
        path: path.into(),
        detail,
        last_backup: last_backup(),
    };
    let conn = open_read_only(path).map_err(|e| damaged(e.to_string()))?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if app_id != APPLICATION_ID {
        return Err(OpenError::NotSpravka {
            path: path.into(),
            last_backup: last_backup(),
        });
    }
    if full_check {
        let check: String = conn
            .pragma_query_value(None, "quick_check", |r| r.get(0))
            .map_err(|e| damaged(e.to_string()))?;
        if check != "ok" {
            return Err(damaged(check));
        }
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    let known = migrations::latest_version();
    if version > known {
        return Err(OpenError::Newer {
            path: path.into(),
            found: version,
            known,
            last_backup: last_backup(),
        });
    }
    Ok(Found::Spravka { version })
}

/// `PRAGMA quick_check` of the file at `path` on a read-only connection of its own (it may run
/// on another thread while the window starts).
pub fn quick_check(path: &Path) -> Result<(), OpenError> {
    let damaged = |detail: String| OpenError::Damaged {
        path: path.into(),
        detail,
        last_backup: super::backup::last_backup(path),
    };
    let conn = open_read_only(path).map_err(|e| damaged(e.to_string()))?;
    let check: String = conn
        .pragma_query_value(None, "quick_check", |r| r.get(0))
        .map_err(|e| damaged(e.to_string()))?;
    if check == "ok" {
        Ok(())
    } else {
        Err(damaged(check))
    }
}

/// Creates `path` as an empty file that only its owner may read and write (0600 on Unix), so
/// that SQLite, which gives its -wal and -shm files the database's permissions, keeps them
/// private too; an existing file is left as it is. On Windows the file inherits the data
/// folder's access list (per-user or ProgramData), which is where the protection lives there.
pub(in crate::store) fn create_owner_only(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
