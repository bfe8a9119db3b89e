//! Moving a body from one seat to a server: every table of a SQLite file copied verbatim (ids,
//! scans, the audit chain, certificate numbers and their counters) into an empty PostgreSQL
//! database, in one transaction, then checked there (row counts, the audit chain).

use std::fmt::Write as _;
use std::io::Write as _;

use super::db::{Engine, ValueRef, args};
use super::{Store, StoreError, pg, pg_search};

/// Every table spravka keeps, in an order where each row's references come before it (the
/// few that point forward — an application's certificate, a certificate's successor — are
/// checked at commit). The search index is not copied: the server builds its own.
pub const TABLES: [&str; 31] = [
    "body",
    "users",
    "user_roles",
    "reference_lists",
    "professions",
    "order49_professions",
    "scoring_schemes",
    "calendar_years",
    "calendar_overrides",
    "applicants",
    "applications",
    "documents",
    "files",
    "document_files",
    "commission_members",
    "meetings",
    "attendance",
    "agenda_items",
    "conflicts",
    "scores",
    "recommendations",
    "decisions",
    "certificate_sequences",
    "certificates",
    "certificate_events",
    "printed_copies",
    "complaints",
    "audit",
    "audit_head",
    "signing_keys",
    "audit_anchors",
];

/// The tables of the signed EDS documents (migration 014) and of the verification page
/// (migration 015), after the others.
const EDS_TABLES: [&str; 5] = [
    "signed_files",
    "signed_documents",
    "trusted_roots",
    "verifier_list",
    "verifier_publications",
];

/// What was copied: rows per table, the same on both sides.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, i64)>,
    pub applications: i64,
    pub audit_rows: i64,
}

fn all_tables() -> impl Iterator<Item = &'static str> {
    TABLES.iter().chain(EDS_TABLES.iter()).copied()
}

/// A value in PostgreSQL's COPY text format.
fn copy_text(value: ValueRef<'_>, out: &mut String) {
    match value {
        ValueRef::Null => out.push_str("\\N"),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Real(f) => {
            let _ = write!(out, "{f}");
        }
        ValueRef::Text(t) => {
            for c in t.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        ValueRef::Blob(b) => {
            // bytea's hex form, its backslash escaped for COPY.
            out.push_str("\\\\x");
            out.push_str(&super::to_hex(b));
        }
    }
}

/// Copies the SQLite database `from` into the empty server database at `url`, and checks the
/// copy there. A target that holds any table is refused untouched.
pub fn copy_to_server(from: &Store, url: &str) -> Result<CopyReport, StoreError> {
    if from.engine() != Engine::Sqlite {
        return Err(StoreError::Invalid(
            "copy-to copies a SQLite file to a server".into(),
        ));
    }
    let target = pg::PgConn::connect(url)?;
    let tables_there: i64 = {
        let rows = target.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )?;
        rows[0]
            .try_get(0)
            .map_err(|e| StoreError::Invalid(e.to_string()))?
    };
    if tables_there > 0 {
        return Err(StoreError::Invalid(format!(
            "{} is not empty ({tables_there} tables): copy-to writes only into an empty database",
            pg::redact(url)
        )));
    }
    let mut counts: Vec<(String, i64)> = Vec::new();
    target.write(|| -> Result<(), StoreError> {
        pg::migrate(&target, 0)?;
        // The schema's own version row is the file's too.
        target.batch("SET CONSTRAINTS ALL DEFERRED")?;
        from.read(|tx| -> Result<(), StoreError> {
            for table in all_tables() {
                let columns: Vec<String> = tx.query_map(
                    "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
                    args![table],
                    |r| r.get(0),
                )?;
                let list = columns.join(", ");
                let mut n = 0i64;
                target.copy_in(&format!("COPY {table} ({list}) FROM STDIN"), |writer| {
                    let mut line = String::new();
                    tx.for_each(&format!("SELECT {list} FROM {table}"), args![], |row| {
                        line.clear();
                        for i in 0..columns.len() {
                            if i > 0 {
                                line.push('\t');
                            }
                            copy_text(row.value(i)?, &mut line);
                        }
                        line.push('\n');
                        writer.write_all(line.as_bytes())?;
                        n += 1;
                        Ok(())
                    })
                })?;
                counts.push((table.to_string(), n));
            }
            Ok(())
        })?;
        // The identity counters continue after the copied ids.
        let identities: Vec<String> = target
            .query(
                "SELECT table_name::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
                &[],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        for table in identities {
            target.batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
            ))?;
        }
        Ok(())
    })?;
    // The server's search index, from the copied rows.
    let mut store =
        Store::open(std::path::Path::new(url)).map_err(|e| StoreError::Backend(e.to_string()))?;
    store.write(|tx| -> Result<(), StoreError> {
        let ids: Vec<i64> =
            tx.query_map("SELECT id FROM applications ORDER BY id", args![], |r| {
                r.get(0)
            })?;
        for id in ids {
            pg_search::index_application(tx, id)?;
        }
        Ok(())
    })?;
    // The copy, checked where it now is.
    let mut report = CopyReport::default();
    for (table, n) in &counts {
        let there: i64 = store.read(|tx| {
            tx.query_row(&format!("SELECT count(*) FROM {table}"), args![], |r| {
                r.get(0)
            })
        })?;
        if there != *n {
            return Err(StoreError::Invalid(format!(
                "{table}: {n} rows in the file, {there} on the server"
            )));
        }
    }
    let check = store.check()?;
    if !check.audit.is_empty() {
        return Err(StoreError::Invalid(format!(
            "the audit chain does not verify on the server: {check}"
        )));
    }
    report.tables = counts;
    report.applications = check.applications;
    report.audit_rows = check.audit_rows;
    Ok(report)
}
