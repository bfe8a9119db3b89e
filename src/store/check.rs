//! `check`: integrity, foreign keys and the audit chain of a database, read-only. The report
//! and the refusal of a restore are the same whichever engine is below; the checks themselves
//! are the engine's (`sqlite::check`, `sqlite::restore`).

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{StoreError, audit, sqlite};

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub schema_version: i64,
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    pub audit: Vec<audit::Problem>,
    /// The newest signed anchor of the audit chain that holds, if any.
    pub anchor: Option<audit::AnchorStatus>,
    pub audit_rows: i64,
    pub applications: i64,
    pub certificates: i64,
    pub not_spravka: bool,
    pub newer: bool,
    /// The PostgreSQL server's version, when the database is on a server.
    pub server: Option<String>,
}

impl Report {
    /// The audit chain against `recorded`, its anchors and the counts, on either engine.
    pub(crate) fn check_records(
        &mut self,
        tx: &super::Tx<'_>,
        recorded: Option<&audit::Head>,
    ) -> Result<(), StoreError> {
        self.audit = audit::verify_against(tx, &recorded.cloned())?;
        let (anchor, broken) = audit::anchors(tx)?;
        self.anchor = anchor;
        self.audit.extend(broken);
        self.audit_rows = audit::count(tx)?;
        self.applications = super::lookup::count_applications(tx)?;
        self.certificates = super::lookup::count_certificates(tx)?;
        Ok(())
    }

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
        if let Some(server) = &self.server {
            writeln!(f, "PostgreSQL server: {server}")?;
        }
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
            // The check stops at a damaged file: nothing after it was read.
            writeln!(
                f,
                "foreign keys and audit chain: not checked (the file is damaged)"
            )?;
            return write!(f, "PROBLEMS FOUND");
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
        match &self.anchor {
            Some(anchor) => writeln!(
                f,
                "audit anchor: verified up to row {} by the anchor of {} signed by {}; {} rows after it are not anchored yet",
                anchor.audit_id,
                anchor.signed_at.replace('T', " "),
                anchor.by,
                anchor.after
            )?,
            None => writeln!(
                f,
                "audit anchor: none yet (a signatory's sign-in or print signs the chain's head)"
            )?,
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

/// Checks the database file at `path` without writing to it.
pub fn check_file(path: &Path) -> Result<Report, StoreError> {
    sqlite::check::check_file(path)
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

/// Replaces the database at `db` by the backup `from`, if `from` passes the check. The current
/// file is kept beside it as `<name>.replaced-<time>` — never deleted, even if damaged.
pub fn restore(
    db: &Path,
    from: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>, RestoreError> {
    sqlite::restore::restore(db, from, now)
}

/// Replaces the server database's content by the `pg_dump` file `from` if the result passes the
/// check. The current content is first dumped beside `from` as `<name>.replaced-<time>` and
/// put back if the restored one fails the check; that dump's path is returned.
pub fn restore_server(
    url: &str,
    from: &Path,
    now: NaiveDateTime,
) -> Result<Option<PathBuf>, RestoreError> {
    if !from.is_file() {
        return Err(RestoreError::Unreadable {
            path: from.into(),
            source: StoreError::Invalid("not a file".into()),
        });
    }
    let kept = PathBuf::from(format!(
        "{}.replaced-{}",
        from.display(),
        now.format("%Y%m%d-%H%M%S")
    ));
    super::pg::dump(url, &kept)?;
    super::pg::restore(url, from).map_err(|source| RestoreError::Unreadable {
        path: from.into(),
        source,
    })?;
    let report = super::Store::open(Path::new(url))
        .map_err(|e| StoreError::Backend(e.to_string()))?
        .check()?;
    if !report.is_clean() {
        super::pg::restore(url, &kept)?;
        return Err(RestoreError::Unclean {
            path: from.into(),
            report: Box::new(report),
        });
    }
    Ok(Some(kept))
}
