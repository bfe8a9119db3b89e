//! The audit log: one row per write and per opening of an applicant's file, in the same
//! transaction as the change. Each row carries the SHA-256 of the previous row and of its own
//! content, so that an edited or deleted row breaks the chain.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};
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

/// Appends a row; call it inside the transaction of the change it records.
pub fn append(tx: &Tx<'_>, at: NaiveDateTime, entry: &Entry<'_>) -> Result<(), StoreError> {
    let conn = tx.sqlite();
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let sequence: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let (last_id, prev) = last.unwrap_or((0, GENESIS.to_string()));
    let id = last_id.max(sequence.unwrap_or(0)) + 1;
    let at = fmt_time(at);
    let hash = row_hash(id, &at, entry, &prev);
    conn.execute(
        "INSERT INTO audit (id, at, user_id, username, action, record, summary, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            at,
            entry.user_id,
            entry.username,
            entry.action,
            entry.record,
            entry.summary,
            prev,
            hash
        ],
    )?;
    Ok(())
}

/// A break in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The row's content does not match its hash: it was edited.
    Edited { id: i64 },
    /// Rows before this one are missing or out of order.
    Gap { after: i64, id: i64 },
    /// The newest rows were deleted (the id counter is ahead of the last row).
    TailDeleted { last: i64, counter: i64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Edited { id } => write!(f, "audit row {id} was changed after it was written"),
            Self::Gap { after, id } => write!(f, "audit rows between {after} and {id} are missing"),
            Self::TailDeleted { last, counter } => {
                write!(f, "audit rows after {last} (up to {counter}) were deleted")
            }
        }
    }
}

/// Walks the chain and reports every break.
pub fn verify(conn: &Connection) -> rusqlite::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(
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
    let counter: Option<i64> = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(counter) = counter
        && counter > prev_id
    {
        problems.push(Problem::TailDeleted {
            last: prev_id,
            counter,
        });
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
