//! The registry: the applications the officer scrolls through, filtered and sorted, read one
//! window at a time (`applications` with `applicants` and `professions`). Nothing here loads
//! every matching id: the count is one `count(*)`, a window is one statement — keyset paging
//! (after or before a row already on screen) when the officer scrolls on, `LIMIT/OFFSET` on the
//! indexed order when the scrollbar jumps. Each order has its index (`004_registry.sql`).

use super::db::{Row, ToValue, Value, args};
use chrono::NaiveDate;

use super::rows::{application_kind, application_status, certificate_status, date, opt_date};
use super::{StoreError, Tx, search};
use crate::domain::kind::ApplicationKind;
use crate::domain::status::{ApplicationStatus, CertificateStatus};

/// At most this many matches of a text search are listed (the newest); the registry says so.
/// A query of one letter matches a large part of 10^6 applications, and the search index hands
/// out the newest without reading the rest.
pub const SEARCH_CAP: usize = 300;

/// A line of the registry: what the list shows, without identity numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub id: i64,
    pub number: String,
    pub applicant: String,
    pub kind: ApplicationKind,
    pub profession: String,
    pub status: ApplicationStatus,
    pub registered_on: NaiveDate,
    pub next_deadline: Option<NaiveDate>,
    /// The status of the certificate issued on it (not a duplicate), if any: an issued
    /// application whose certificate was revoked, reissued or expired says so (issue 14).
    pub certificate: Option<CertificateStatus>,
}

impl RegistryRow {
    /// Where this row stands in every sort order, to page on from it.
    pub fn key(&self) -> RegistryKey {
        RegistryKey {
            id: self.id,
            number: self.number.clone(),
            next_deadline: self.next_deadline,
        }
    }
}

/// Filters of the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFilter {
    pub text: String,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    /// Only open applications whose current deadline is before this day.
    pub overdue_on: Option<NaiveDate>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
}

/// Registry sort orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RegistrySort {
    #[default]
    Newest,
    Oldest,
    Deadline,
    Number,
}

/// The sort keys of a row (see [`RegistryRow::key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryKey {
    pub id: i64,
    pub number: String,
    pub next_deadline: Option<NaiveDate>,
}

/// Where a window of the registry starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryStart {
    /// At this position of the list (a jump).
    Offset(usize),
    /// Right after this row, going down.
    After(RegistryKey),
    /// Right before this row, going up (the window still comes in display order).
    Before(RegistryKey),
}

/// The columns of a [`RegistryRow`], from `applications a` and [`REGISTRY_JOINS`].
const REGISTRY_COLUMNS: &str = "a.id, a.number, p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), a.kind, pr.name,
        a.status, a.registered_on, a.next_deadline,
        (SELECT c.status FROM certificates c WHERE c.application_id = a.id AND c.duplicate_of IS NULL ORDER BY c.id DESC LIMIT 1)";
const REGISTRY_JOINS: &str =
    "JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id";

/// The deadline order: open applications by their deadline, closed ones (no deadline) last.
/// The same expression as the index `applications_deadline_order`, so that it is used.
const DEADLINE_KEY: &str = "coalesce(a.next_deadline, '9999-12-31')";
/// [`DEADLINE_KEY`] of a row without a deadline.
const NO_DEADLINE: &str = "9999-12-31";

/// The conditions of a query and their values, in order.
#[derive(Default, Clone)]
struct Conditions {
    sql: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    fn push(&mut self, sql: impl Into<String>, values: impl IntoIterator<Item = Value>) {
        self.sql.push(sql.into());
        self.values.extend(values);
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.sql.join(" AND "))
        }
    }
}

/// The conditions of `filter`, or `None` when its text matches nothing.
fn conditions(tx: &Tx<'_>, filter: &RegistryFilter) -> Result<Option<Conditions>, StoreError> {
    let mut c = Conditions::default();
    if let Some(ids) = search::newest(tx, &filter.text, SEARCH_CAP)? {
        if ids.is_empty() {
            return Ok(None);
        }
        c.push(
            format!("a.id IN ({})", vec!["?"; ids.len()].join(", ")),
            ids.into_iter().map(Value::from),
        );
    }
    if let Some(status) = filter.status {
        c.push("a.status = ?", [Value::from(status.code().to_string())]);
    }
    if let Some(kind) = filter.kind {
        c.push("a.kind = ?", [Value::from(kind.code().to_string())]);
    }
    if let Some(day) = filter.overdue_on {
        c.push("a.next_deadline < ?", [Value::from(day.to_string())]);
    }
    if let Some(from) = filter.registered_from {
        c.push("a.registered_on >= ?", [Value::from(from.to_string())]);
    }
    if let Some(to) = filter.registered_to {
        c.push("a.registered_on <= ?", [Value::from(to.to_string())]);
    }
    Ok(Some(c))
}

/// `ORDER BY` of a sort, in display order (`forward`) or the reverse.
fn order(sort: RegistrySort, forward: bool) -> String {
    let (asc, desc) = if forward {
        ("ASC", "DESC")
    } else {
        ("DESC", "ASC")
    };
    match sort {
        RegistrySort::Newest => format!("a.id {desc}"),
        RegistrySort::Oldest => format!("a.id {asc}"),
        RegistrySort::Deadline => format!("{DEADLINE_KEY} {asc}, a.id {asc}"),
        RegistrySort::Number => format!("a.number {asc}"),
    }
}

/// The condition "after `key` in display order" (`forward`), or "before" it.
fn beyond(c: &mut Conditions, sort: RegistrySort, key: &RegistryKey, forward: bool) {
    let (later, earlier) = if forward { (">", "<") } else { ("<", ">") };
    match sort {
        RegistrySort::Newest => c.push(format!("a.id {earlier} ?"), [Value::from(key.id)]),
        RegistrySort::Oldest => c.push(format!("a.id {later} ?"), [Value::from(key.id)]),
        // The number is unique: it orders on its own.
        RegistrySort::Number => c.push(
            format!("a.number {later} ?"),
            [Value::from(key.number.clone())],
        ),
        // (deadline, id) beyond the key, written so that the index serves it as a range.
        RegistrySort::Deadline => {
            let deadline = key
                .next_deadline
                .map_or_else(|| NO_DEADLINE.to_string(), |d| d.to_string());
            c.push(
                format!(
                    "{DEADLINE_KEY} {later}= ? AND ({DEADLINE_KEY} {later} ? OR a.id {later} ?)"
                ),
                [
                    Value::from(deadline.clone()),
                    Value::from(deadline),
                    Value::from(key.id),
                ],
            );
        }
    }
}

type RawRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn raw_row(r: &Row<'_>) -> Result<RawRow, StoreError> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn to_row(raw: RawRow) -> Result<RegistryRow, StoreError> {
    let (id, number, applicant, kind, profession, status, registered_on, next, certificate) = raw;
    Ok(RegistryRow {
        id,
        number,
        applicant,
        kind: application_kind(&kind)?,
        profession,
        status: application_status(&status)?,
        registered_on: date(&registered_on)?,
        next_deadline: opt_date(next.as_deref())?,
        certificate: certificate.as_deref().map(certificate_status).transpose()?,
    })
}

fn query_rows(tx: &Tx<'_>, sql: &str, values: &[Value]) -> Result<Vec<RegistryRow>, StoreError> {
    let binds: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
    let raws = tx.query_map(sql, &binds, raw_row)?;
    raws.into_iter().map(to_row).collect()
}

/// How many applications match `filter` (a text search: at most [`SEARCH_CAP`]).
pub fn count(tx: &Tx<'_>, filter: &RegistryFilter) -> Result<usize, StoreError> {
    match conditions(tx, filter)? {
        Some(c) => count_of(tx, &c),
        None => Ok(0),
    }
}

fn count_of(tx: &Tx<'_>, c: &Conditions) -> Result<usize, StoreError> {
    let sql = format!("SELECT count(*) FROM applications a{}", c.where_clause());
    let binds: Vec<&dyn ToValue> = c.values.iter().map(|v| v as &dyn ToValue).collect();
    let n: i64 = tx.query_row(&sql, &binds, |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// How many applications match `filter` and the first `limit` of them in the order `sort`:
/// what a change of filter shows, with the text search run once for both.
pub fn first_window(
    tx: &Tx<'_>,
    filter: &RegistryFilter,
    sort: RegistrySort,
    limit: usize,
) -> Result<(usize, Vec<RegistryRow>), StoreError> {
    let Some(c) = conditions(tx, filter)? else {
        return Ok((0, Vec::new()));
    };
    let rows = window_of(tx, c.clone(), sort, &RegistryStart::Offset(0), limit)?;
    let count = if rows.len() < limit {
        rows.len()
    } else {
        count_of(tx, &c)?
    };
    Ok((count, rows))
}

/// How many applications the database holds.
pub fn total(tx: &Tx<'_>) -> Result<usize, StoreError> {
    let n: i64 = tx.query_row("SELECT count(*) FROM applications", args![], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// Up to `limit` rows matching `filter` in the order `sort`, from `start`, in display order,
/// in one statement.
pub fn window(
    tx: &Tx<'_>,
    filter: &RegistryFilter,
    sort: RegistrySort,
    start: &RegistryStart,
    limit: usize,
) -> Result<Vec<RegistryRow>, StoreError> {
    match conditions(tx, filter)? {
        Some(c) => window_of(tx, c, sort, start, limit),
        None => Ok(Vec::new()),
    }
}

fn window_of(
    tx: &Tx<'_>,
    mut c: Conditions,
    sort: RegistrySort,
    start: &RegistryStart,
    limit: usize,
) -> Result<Vec<RegistryRow>, StoreError> {
    let forward = !matches!(start, RegistryStart::Before(_));
    match start {
        RegistryStart::Offset(_) => {}
        RegistryStart::After(key) | RegistryStart::Before(key) => {
            beyond(&mut c, sort, key, forward);
        }
    }
    // The window's ids come from the index alone (an offset skips index entries, not joined
    // rows); then their rows are joined.
    let order = order(sort, forward);
    let where_clause = c.where_clause();
    let mut values = c.values;
    values.push(Value::from(i64::try_from(limit).unwrap_or(i64::MAX)));
    let offset = if let RegistryStart::Offset(offset) = start {
        values.push(Value::from(i64::try_from(*offset).unwrap_or(i64::MAX)));
        " OFFSET ?"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {REGISTRY_COLUMNS}
         FROM (SELECT a.id FROM applications a{where_clause} ORDER BY {order} LIMIT ?{offset}) w
         JOIN applications a ON a.id = w.id {REGISTRY_JOINS}
         ORDER BY {order}"
    );
    let mut rows = query_rows(tx, &sql, &values)?;
    if !forward {
        rows.reverse();
    }
    Ok(rows)
}

/// The registry rows of the given applications, in the order of `ids` (one statement; ids
/// that do not exist are left out).
pub fn rows(tx: &Tx<'_>, ids: &[i64]) -> Result<Vec<RegistryRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {REGISTRY_COLUMNS} FROM applications a {REGISTRY_JOINS} WHERE a.id IN ({})",
        vec!["?"; ids.len()].join(", ")
    );
    let values: Vec<Value> = ids.iter().map(|id| Value::from(*id)).collect();
    let mut found = query_rows(tx, &sql, &values)?;
    let position = |id: i64| ids.iter().position(|i| *i == id).unwrap_or(usize::MAX);
    found.sort_by_key(|r| position(r.id));
    Ok(found)
}
