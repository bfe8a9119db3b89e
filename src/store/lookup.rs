//! Small read-only look-ups across tables (`applications`, `applicants`, `certificates`): an
//! application by its number for the command line, the counts of the check report, and the
//! samples the benchmark (`spravka-bench`) draws its queries from.

use super::db::args;
use chrono::NaiveDate;

use super::rows::date;
use super::{StoreError, Tx};

/// The id of the application with the register number `number`, if there is one.
pub fn application_id_by_number(tx: &Tx<'_>, number: &str) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "SELECT id FROM applications WHERE number = ?1",
        args![number],
        |r| r.get(0),
    )
}

/// The number of applications.
pub fn count_applications(tx: &Tx<'_>) -> Result<i64, StoreError> {
    tx.query_row("SELECT count(*) FROM applications", args![], |r| r.get(0))
}

/// The number of certificates (every status, duplicates included).
pub fn count_certificates(tx: &Tx<'_>) -> Result<i64, StoreError> {
    tx.query_row("SELECT count(*) FROM certificates", args![], |r| r.get(0))
}

/// What the benchmark searches an application by: the holder's IIN (empty if none), the
/// application number and its certificate's number (empty if none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchSample {
    pub iin: String,
    pub number: String,
    pub certificate: String,
}

/// For the benchmark: up to `limit` applications spread evenly over the ids up to `count`.
pub fn search_samples(
    tx: &Tx<'_>,
    count: i64,
    limit: i64,
) -> Result<Vec<SearchSample>, StoreError> {
    let step = (count / limit.max(1)).max(1);
    let rows = tx.query_map("SELECT p.iin, a.number, coalesce(c.number, '') FROM applications a JOIN applicants p ON p.id = a.applicant_id
         LEFT JOIN certificates c ON c.application_id = a.id WHERE a.id % ?1 = 0 LIMIT ?2", args![step, limit], |r| {
        Ok(SearchSample {
            iin: r.get::<Option<String>>(0)?.unwrap_or_default(),
            number: r.get(1)?,
            certificate: r.get(2)?,
        })
    })?;
    Ok(rows)
}

/// For the benchmark: the numbers of the newest `limit` valid certificates (no duplicates).
pub fn newest_valid_certificates(tx: &Tx<'_>, limit: i64) -> Result<Vec<String>, StoreError> {
    let rows = tx.query_map("SELECT number FROM certificates WHERE status = 'valid' AND duplicate_of IS NULL ORDER BY id DESC LIMIT ?1", args![limit], |r| r.get(0))?;
    Ok(rows)
}

/// For the benchmark: the issue date of the `n`-th (from 1) most recently issued valid
/// certificate (no duplicates), if there are that many.
pub fn nth_newest_valid_issue_date(tx: &Tx<'_>, n: i64) -> Result<Option<NaiveDate>, StoreError> {
    let issued: Option<String> = tx.query_opt(
            "SELECT issued_on FROM certificates WHERE status = 'valid' AND duplicate_of IS NULL ORDER BY issued_on DESC LIMIT 1 OFFSET ?1",
            args![n - 1],
            |r| r.get(0),
        )?;
    issued.as_deref().map(date).transpose()
}
