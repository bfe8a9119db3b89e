//! The audit log: one row per write and per opening of an applicant's file, in the same
//! transaction as the change. Each row carries the SHA-256 of the previous row and of its own
//! content, so that an edited or deleted row breaks the chain. `audit_head` (one row) records
//! the id and hash of the newest row, written with it, so that deleting the newest rows is
//! found too. Owns the tables `audit` and `audit_head`.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::rows::fmt_time;
use super::{StoreError, Tx};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did what to which record. The summary never holds passport numbers (SPEC §10).
#[derive(Debug, Clone)]
pub struct Entry<'a> {
    pub user_id: Option<i64>,
    pub username: &'a str,
    pub action: &'a str,
    pub record: &'a str,
    pub summary: &'a str,
}

fn row_hash(id: i64, at: &str, entry: &Entry<'_>, prev: &str) -> String {
    let mut hasher = Sha256::new();
    let user_id = entry.user_id.map(|u| u.to_string()).unwrap_or_default();
    for part in [
        &id.to_string(),
        at,
        &user_id,
        entry.username,
        entry.action,
        entry.record,
        entry.summary,
        prev,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0x1f]);
    }
    super::to_hex(&hasher.finalize())
}

/// Where the chain ends, as recorded in `audit_head` by each [`append`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The id of the newest row ever written.
    pub last_id: i64,
    /// Its hash; `None` where only an id counter is known (a file before `audit_head`).
    pub last_hash: Option<String>,
}

/// The recorded head of the chain, if any row was ever written.
pub fn head(tx: &Tx<'_>) -> Result<Option<Head>, StoreError> {
    Ok(tx
        .sqlite()
        .query_row(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
            [],
            |r| {
                Ok(Head {
                    last_id: r.get(0)?,
                    last_hash: Some(r.get(1)?),
                })
            },
        )
        .optional()?)
}

/// The number of rows in the log.
pub fn count(tx: &Tx<'_>) -> Result<i64, StoreError> {
    Ok(tx
        .sqlite()
        .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))?)
}

/// Appends a row; call it inside the transaction of the change it records (which holds the
/// write lock). The id follows both the newest row and the recorded head, so an id of deleted
/// rows is never given again and the deletion stays visible to [`verify`].
pub fn append(tx: &Tx<'_>, at: NaiveDateTime, entry: &Entry<'_>) -> Result<(), StoreError> {
    let conn = tx.sqlite();
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let recorded = head(tx)?.map_or(0, |h| h.last_id);
    let (last_id, prev) = last.unwrap_or((0, GENESIS.to_string()));
    let id = last_id.max(recorded) + 1;
    let at = fmt_time(at);
    let hash = row_hash(id, &at, entry, &prev);
    conn.prepare_cached(
        "INSERT INTO audit (id, at, user_id, username, action, record, summary, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        id,
        at,
        entry.user_id,
        entry.username,
        entry.action,
        entry.record,
        entry.summary,
        prev,
        hash
    ])?;
    conn.prepare_cached(
        "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
    )?
    .execute(params![id, hash])?;
    Ok(())
}

/// A break in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The row's content does not match its hash: it was edited.
    Edited { id: i64 },
    /// Rows before this one are missing or out of order.
    Gap { after: i64, id: i64 },
    /// The newest rows were deleted (the recorded head is ahead of the last row).
    TailDeleted { last: i64, counter: i64 },
    /// Rows after the recorded head were added without it: not written by spravka.
    NotRecorded { head: i64, last: i64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Edited { id } => write!(f, "audit row {id} was changed after it was written"),
            Self::Gap { after, id } => write!(f, "audit rows between {after} and {id} are missing"),
            Self::TailDeleted { last, counter } => {
                write!(f, "audit rows after {last} (up to {counter}) were deleted")
            }
            Self::NotRecorded { head, last } => {
                write!(
                    f,
                    "audit rows after {head} (up to {last}) were not written by spravka"
                )
            }
        }
    }
}

/// Walks the chain, compares its end with the recorded head and reports every break.
pub fn verify(tx: &Tx<'_>) -> Result<Vec<Problem>, StoreError> {
    verify_against(tx, &head(tx)?)
}

/// Walks the chain and reports every break, comparing its end with `recorded` (for a file
/// older than `audit_head`, the engine's own id counter).
pub fn verify_against(tx: &Tx<'_>, recorded: &Option<Head>) -> Result<Vec<Problem>, StoreError> {
    let mut problems = Vec::new();
    let mut stmt = tx.sqlite().prepare(
        "SELECT id, at, user_id, username, action, record, summary, prev_hash, hash FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev_id = 0;
    let mut prev_hash = GENESIS.to_string();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let at: String = row.get(1)?;
        let username: String = row.get(3)?;
        let action: String = row.get(4)?;
        let record: String = row.get(5)?;
        let summary: String = row.get(6)?;
        let stored_prev: String = row.get(7)?;
        let stored_hash: String = row.get(8)?;
        let entry = Entry {
            user_id: row.get(2)?,
            username: &username,
            action: &action,
            record: &record,
            summary: &summary,
        };
        if id != prev_id + 1 || stored_prev != prev_hash {
            problems.push(Problem::Gap { after: prev_id, id });
        }
        if row_hash(id, &at, &entry, &stored_prev) != stored_hash {
            problems.push(Problem::Edited { id });
        }
        prev_id = id;
        prev_hash = stored_hash;
    }
    let Some(recorded) = recorded else {
        return Ok(problems);
    };
    if recorded.last_id > prev_id {
        problems.push(Problem::TailDeleted {
            last: prev_id,
            counter: recorded.last_id,
        });
    } else if recorded.last_id < prev_id {
        problems.push(Problem::NotRecorded {
            head: recorded.last_id,
            last: prev_id,
        });
    } else if recorded
        .last_hash
        .as_ref()
        .is_some_and(|hash| *hash != prev_hash)
        && !problems.contains(&Problem::Edited { id: prev_id })
    {
        // The newest row was rewritten with a hash of its own.
        problems.push(Problem::Edited { id: prev_id });
    }
    Ok(problems)
}

/// One line of a record's history, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub at: String,
    pub user: String,
    pub action: String,
    pub summary: String,
}

/// The audit rows of one record (`application:12`), oldest first, without those of `hidden`
/// (an action that would crowd the history, such as each opening).
pub fn history(tx: &Tx<'_>, record: &str, hidden: &str) -> Result<Vec<HistoryRow>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT at, username, action, summary FROM audit WHERE record = ?1 AND action <> ?2 ORDER BY id",
    )?;
    let rows = stmt
        .query_map(params![record, hidden], |r| {
            Ok(HistoryRow {
                at: r.get(0)?,
                user: r.get(1)?,
                action: r.get(2)?,
                summary: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What the log viewer asks for; an empty field does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The username, exactly.
    pub user: Option<String>,
    /// The first and last day, both inclusive.
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// The action code (`open_application`), exactly.
    pub action: Option<String>,
    /// Any of these action codes (none: any action), such as both ways of opening a file.
    pub any_of: Vec<String>,
    /// A record (`application:12`) or its kind (`application`): the record itself and those
    /// below it (`application:12:…`), never `application:120`.
    pub record: Option<String>,
}

/// One row of the log as the viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub id: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub record: String,
    pub summary: String,
}

const FILTER_WHERE: &str = "WHERE (:user IS NULL OR username = :user)
       AND (:from IS NULL OR substr(at, 1, 10) >= :from)
       AND (:to IS NULL OR substr(at, 1, 10) <= :to)
       AND (:action IS NULL OR action = :action)
       AND (:any_of IS NULL OR instr(:any_of, char(31) || action || char(31)) > 0)
       AND (:record IS NULL OR record = :record
            OR substr(record, 1, length(:record) + 1) = :record || ':')";

fn filter_params(filter: &Filter) -> [(&'static str, Option<String>); 6] {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    // The codes between unit separators, so that `instr` matches whole codes only.
    let any_of = (!filter.any_of.is_empty()).then(|| {
        let mut codes = String::from('\u{1f}');
        for code in &filter.any_of {
            codes.push_str(code);
            codes.push('\u{1f}');
        }
        codes
    });
    [
        (":user", filter.user.clone()),
        (":from", day(filter.from)),
        (":to", day(filter.to)),
        (":action", filter.action.clone()),
        (":any_of", any_of),
        (":record", filter.record.clone()),
    ]
}

/// The rows that pass `filter`, newest first, `limit` of them from `offset`.
pub fn rows(
    tx: &Tx<'_>,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Vec<LogRow>, StoreError> {
    let sql = format!(
        "SELECT id, at, username, action, record, summary FROM audit {FILTER_WHERE}
         ORDER BY id DESC LIMIT :limit OFFSET :offset"
    );
    let mut stmt = tx.sqlite().prepare_cached(&sql)?;
    let values = filter_params(filter);
    let mut named: Vec<(&str, &dyn rusqlite::ToSql)> = values
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect();
    named.push((":limit", &limit));
    named.push((":offset", &offset));
    let rows = stmt
        .query_map(named.as_slice(), |r| {
            Ok(LogRow {
                id: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                action: r.get(3)?,
                record: r.get(4)?,
                summary: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// How many rows pass `filter`.
pub fn count_filtered(tx: &Tx<'_>, filter: &Filter) -> Result<i64, StoreError> {
    let sql = format!("SELECT count(*) FROM audit {FILTER_WHERE}");
    let values = filter_params(filter);
    let named: Vec<(&str, &dyn rusqlite::ToSql)> = values
        .iter()
        .map(|(k, v)| (*k, v as &dyn rusqlite::ToSql))
        .collect();
    Ok(tx
        .sqlite()
        .prepare_cached(&sql)?
        .query_row(named.as_slice(), |r| r.get(0))?)
}

/// The distinct actions and usernames in the log, sorted, for the viewer's pickers.
pub fn actions_and_users(tx: &Tx<'_>) -> Result<(Vec<String>, Vec<String>), StoreError> {
    let distinct = |column: &str| -> Result<Vec<String>, StoreError> {
        let sql = format!("SELECT DISTINCT {column} FROM audit ORDER BY {column}");
        let mut stmt = tx.sqlite().prepare(&sql)?;
        let values = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(values)
    };
    Ok((distinct("action")?, distinct("username")?))
}
