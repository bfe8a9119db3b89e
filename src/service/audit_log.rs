//! The audit log viewer: the log filtered by user, date, action and record, newest first; the
//! chain check; the export of the filtered rows to CSV.
//!
//! Who may read it: the administrator, and the signatory for their body's records. A database
//! holds one body, so the signatory sees the same rows as the administrator.
//!
//! Reading a page of the log is not itself recorded: it changes nothing and would fill the log
//! with rows about the log. The export is recorded (`export_audit`, with the filter): it takes
//! a copy of who opened which applicant's file out of the program, which is an access to
//! personal data in its own right.

use std::path::Path;

use chrono::NaiveDateTime;

pub use crate::store::audit::{Filter, LogRow, Problem as AuditProblem};

use super::exchange::csv_cell;
use super::{Result, RuleError, Session, audit};
use crate::domain::roles::Action;
use crate::store::{Store, StoreError, audit as log};

/// The actions that open an applicant's file: «who opened the file and when».
pub const OPENINGS: [&str; 2] = ["open_application", "open_applicant"];

/// The filter of «who opened the file»: both ways of opening, on `record` if given.
pub fn openings(record: Option<String>) -> Filter {
    Filter {
        any_of: OPENINGS.iter().map(ToString::to_string).collect(),
        record,
        ..Filter::default()
    }
}

/// One page of the filtered log and the number of rows that pass the filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub rows: Vec<LogRow>,
    pub total: i64,
}

/// The rows passing `filter`, newest first, `limit` of them from `offset`.
pub fn page(
    store: &Store,
    session: &Session,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Page> {
    session.require(Action::ViewAudit)?;
    store.read(|tx| {
        Ok(Page {
            rows: log::rows(tx, filter, offset, limit)?,
            total: log::count_filtered(tx, filter)?,
        })
    })
}

/// The actions and users found in the log, for the filter pickers.
pub fn pickers(store: &Store, session: &Session) -> Result<(Vec<String>, Vec<String>)> {
    session.require(Action::ViewAudit)?;
    store.read(|tx| Ok(log::actions_and_users(tx)?))
}

/// What the check of the audit chain found: its breaks (none: whole) and the newest signed
/// anchor that holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChainCheck {
    pub problems: Vec<AuditProblem>,
    pub anchor: Option<log::AnchorStatus>,
}

/// The check of the audit chain, its records' hashes and its signed anchors (it reads the whole
/// log: call it when the viewer opens).
pub fn check_chain(store: &Store, session: &Session) -> Result<ChainCheck> {
    session.require(Action::ViewAudit)?;
    store.read(|tx| {
        let mut problems = log::verify(tx)?;
        let (anchor, broken) = log::anchors(tx)?;
        problems.extend(broken);
        Ok(ChainCheck { problems, anchor })
    })
}

/// The CSV header of an export.
pub const CSV_HEADER: [&str; 6] = ["id", "at", "user", "action", "record", "summary"];

/// Writes every row passing `filter` (newest first) to `out` as CSV and records the export;
/// returns the number of rows.
pub fn export_csv(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    filter: &Filter,
    out: &Path,
) -> Result<usize> {
    session.require(Action::ViewAudit)?;
    let rows = store.read(|tx| log::rows(tx, filter, 0, i64::MAX))?;
    let io = |e: csv::Error| RuleError::Invalid(format!("cannot write {}: {e}", out.display()));
    let partial = out.with_extension("partial");
    let mut writer = csv::Writer::from_path(&partial).map_err(io)?;
    writer.write_record(CSV_HEADER).map_err(io)?;
    for row in &rows {
        writer
            // Summaries hold typed text: a formula in it is written as text.
            .write_record([
                &row.id.to_string(),
                &row.at,
                &*csv_cell(&row.user),
                &row.action,
                &*csv_cell(&row.record),
                &*csv_cell(&row.summary),
            ])
            .map_err(io)?;
    }
    writer.flush().map_err(|e| io(e.into()))?;
    drop(writer);
    crate::platform::retry::rename(&partial, out).map_err(StoreError::from)?;
    store.write(|tx| {
        audit(
            tx,
            session,
            now,
            "export_audit",
            "audit",
            &format!("{} rows; filter {}", rows.len(), describe(filter)),
        )
    })?;
    Ok(rows.len())
}

/// The filter in one line for the export's audit row.
fn describe(filter: &Filter) -> String {
    let parts = [
        ("user", filter.user.clone()),
        ("from", filter.from.map(|d| d.to_string())),
        ("to", filter.to.map(|d| d.to_string())),
        ("action", filter.action.clone()),
        (
            "actions",
            Some(filter.any_of.join("|")).filter(|a| !a.is_empty()),
        ),
        ("record", filter.record.clone()),
    ];
    let set: Vec<String> = parts
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if set.is_empty() {
        "none".to_string()
    } else {
        set.join(", ")
    }
}
