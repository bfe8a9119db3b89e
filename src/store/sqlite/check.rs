//! The whole check of a database, read-only: SQLite's `integrity_check` and
//! `foreign_key_check`, then the audit chain ([`audit::verify`]) and the counts of the report.

use std::path::Path;

use rusqlite::Connection;

use super::{APPLICATION_ID, open_read_only};
use crate::store::check::Report;
use crate::store::{StoreError, Tx, audit, migrations};

/// Checks the database file at `path` without writing to it.
pub fn check_file(path: &Path) -> Result<Report, StoreError> {
    // SQLite says «disk I/O error» of a folder: say what it is.
    if path.is_dir() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            format!("{} is a folder, not a database file", path.display()),
        )));
    }
    let conn = open_read_only(path)?;
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
    let tx = Tx {
        conn: crate::store::db::Conn::Sqlite(conn),
    };
    report.check_records(&tx, recorded_head(conn)?.as_ref())?;
    Ok(report)
}

/// Where the audit chain should end. A file older than the `audit_head` table (a backup made
/// before an upgrade) has only SQLite's own id counter of the table, `sqlite_sequence`.
fn recorded_head(conn: &Connection) -> Result<Option<audit::Head>, StoreError> {
    let has_head: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'",
        [],
        |r| r.get(0),
    )?;
    if has_head {
        return audit::head(&Tx {
            conn: crate::store::db::Conn::Sqlite(conn),
        });
    }
    let mut stmt = conn.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'")?;
    let counter: Option<i64> = stmt.query_map([], |r| r.get(0))?.next().transpose()?;
    Ok(counter.map(|last_id| audit::Head {
        last_id,
        last_hash: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn append(store: &mut Store, n: usize) {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
            .and_then(|d| d.and_hms_opt(10, 0, 0))
            .unwrap_or_default();
        for _ in 0..n {
            store
                .write(|tx| {
                    audit::append(
                        tx,
                        at,
                        &audit::Entry {
                            user_id: None,
                            username: "u",
                            action: "a",
                            record: "r",
                            summary: "s",
                        },
                    )
                })
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn a_file_before_the_audit_head_is_checked_against_the_id_counter() {
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        append(&mut store, 3);
        let conn = store.sqlite_connection();
        conn.execute_batch("DROP TABLE audit_head")
            .unwrap_or_else(|e| panic!("{e}"));
        let report = check_connection(conn).unwrap_or_else(|e| panic!("{e}"));
        assert!(report.is_clean(), "{report}");
        conn.execute_batch("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)")
            .unwrap_or_else(|e| panic!("{e}"));
        let report = check_connection(conn).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            report
                .audit
                .iter()
                .any(|p| matches!(p, audit::Problem::TailDeleted { .. })),
            "{report}"
        );
    }
}
