//! `check`: integrity, foreign keys and the audit chain of a database file, read-only.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, StoreError, audit, backup, migrations};

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub schema_version: i64,
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    pub audit: Vec<audit::Problem>,
    pub audit_rows: i64,
    pub applications: i64,
    pub certificates: i64,
    pub not_spravka: bool,
    pub newer: bool,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        !self.not_spravka
            && !self.newer
            && self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.audit.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.not_spravka {
            return writeln!(f, "not a spravka database");
        }
        writeln!(
            f,
            "schema version: {}{}",
            self.schema_version,
            if self.newer {
                " (newer than this program)"
            } else {
                ""
            }
        )?;
        writeln!(
            f,
            "applications: {}, certificates: {}, audit rows: {}",
            self.applications, self.certificates, self.audit_rows
        )?;
        if self.integrity.is_empty() {
            writeln!(f, "integrity: ok")?;
        } else {
            for line in &self.integrity {
                writeln!(f, "integrity: {line}")?;
            }
        }
        if self.foreign_keys.is_empty() {
            writeln!(f, "foreign keys: ok")?;
        } else {
            for line in &self.foreign_keys {
                writeln!(f, "foreign keys: {line}")?;
            }
        }
        if self.audit.is_empty() {
            writeln!(f, "audit chain: ok")?;
        } else {
            for problem in &self.audit {
                writeln!(f, "audit chain: {problem}")?;
            }
        }
        write!(
            f,
            "{}",
            if self.is_clean() {
                "clean"
            } else {
                "PROBLEMS FOUND"
            }
        )
    }
}

/// Checks the database at `path` without writing to it.
pub fn check_file(path: &Path) -> Result<Report, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    check_connection(&conn)
}

/// Checks an open database.
pub fn check_connection(conn: &Connection) -> Result<Report, StoreError> {
    let mut report = Report::default();
    let app_id: i32 = match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
        Ok(id) => id,
        Err(e) => {
            report.integrity.push(e.to_string());
            return Ok(report);
        }
    };
    if app_id != APPLICATION_ID {
        report.not_spravka = true;
        return Ok(report);
    }
    report.schema_version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    report.newer = report.schema_version > migrations::latest_version();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for line in lines {
        let line = line?;
        if line != "ok" {
            report.integrity.push(line);
        }
    }
    if !report.integrity.is_empty() {
        return Ok(report);
    }
    let mut stmt = conn.prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "{} row {} points to a missing {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or(0),
            r.get::<_, String>(2)?
        ))
    })?;
    for row in rows {
        report.foreign_keys.push(row?);
    }
    report.audit = audit::verify(conn)?;
    report.audit_rows = conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?;
    report.applications = conn.query_row("SELECT count(*) FROM applications", [], |r| r.get(0))?;
    report.certificates = conn.query_row("SELECT count(*) FROM certificates", [], |r| r.get(0))?;
    Ok(report)
}

/// Why a restore was refused.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{path} fails the check and was not restored:\n{report}")]
    Unclean { path: PathBuf, report: Box<Report> },
    #[error("cannot read {path}: {source}")]
    Unreadable { path: PathBuf, source: StoreError },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Replaces the database at `db` by the backup `from`, if `from` passes `check`. The current
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
        std::fs::rename(db, &aside).map_err(StoreError::from)?;
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db.display()));
            if side.exists() {
                let side_aside = PathBuf::from(format!("{}{suffix}", aside.display()));
                std::fs::rename(&side, side_aside).map_err(StoreError::from)?;
            }
        }
        kept = Some(aside);
    }
    backup::backup_to(from, db)?;
    Ok(kept)
}
