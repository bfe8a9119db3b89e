//! The audit log: one row per write and per opening of an applicant's file, in the same
//! transaction as the change. Each row carries the SHA-256 of the previous row and of its own
//! content, so that an edited or deleted row breaks the chain. `audit_head` (one row) records
//! the id and hash of the newest row, written with it, so that deleting the newest rows is
//! found too. Owns the tables `audit` and `audit_head`.

use super::db::{ToValue, Value, ValueRef, args};
use chrono::NaiveDateTime;
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

/// A row's hash: its content, the previous row's hash, and its dossiers (`id:hash;…`, from
/// version 13; rows without one hash as before).
fn row_hash(id: i64, at: &str, entry: &Entry<'_>, prev: &str, dossier: &str) -> String {
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
    if !dossier.is_empty() {
        hasher.update(b"dossier");
        hasher.update([0x1f]);
        hasher.update(dossier.as_bytes());
        hasher.update([0x1f]);
    }
    super::to_hex(&hasher.finalize())
}

/// The applications whose legal record an audit row about `record` vouches for: for
/// `application:12…`, 12 and, for an extension, reissue or duplicate, the application of the
/// certificate it concerns (whose certificate the change touched); for `certificate:7…`, the
/// application certificate 7 was issued on.
fn applications_of(tx: &Tx<'_>, record: &str) -> Result<Vec<i64>, StoreError> {
    let mut parts = record.split(':');
    let (Some(kind), Some(id)) = (
        parts.next(),
        parts.next().and_then(|p| p.parse::<i64>().ok()),
    ) else {
        return Ok(Vec::new());
    };
    let of_certificate = |certificate: i64| -> Result<Option<i64>, StoreError> {
        tx.query_opt(
            "SELECT application_id FROM certificates WHERE id = ?1",
            args![certificate],
            |r| r.get(0),
        )
    };
    match kind {
        "application" => {
            let concerned: Option<i64> = tx
                .query_opt(
                    "SELECT certificate_id FROM applications WHERE id = ?1",
                    args![id],
                    |r| r.get(0),
                )?
                .flatten();
            let mut ids = vec![id];
            if let Some(certificate) = concerned
                && let Some(other) = of_certificate(certificate)?
                && other != id
            {
                ids.push(other);
            }
            Ok(ids)
        }
        "certificate" => Ok(of_certificate(id)?.into_iter().collect()),
        _ => Ok(Vec::new()),
    }
}

/// The SHA-256 of an application's legal record as it stands: the application (number,
/// applicant, kind, profession, status, the certificate it concerns), its scores, the
/// commission's recommendation, the akimat's decision and the certificates issued on it (number,
/// dates, basis, status, links). Deadlines, which a new calendar moves, and the kept QR code are
/// not in it. `None` for an application that does not exist.
pub fn dossier_hash(tx: &Tx<'_>, application_id: i64) -> Result<Option<String>, StoreError> {
    const PARTS: [(&str, &str); 5] = [
        (
            "application",
            "SELECT number, applicant_id, kind, profession_id, status, certificate_id FROM applications WHERE id = ?1",
        ),
        (
            "scores",
            "SELECT id, meeting_id, scheme_version, education_points, experience_points, total, passed FROM scores WHERE application_id = ?1 ORDER BY id",
        ),
        (
            "recommendation",
            "SELECT meeting_id, outcome, ground, motivation FROM recommendations WHERE application_id = ?1",
        ),
        (
            "decision",
            "SELECT outcome, ground, motivation, decided_on FROM decisions WHERE application_id = ?1",
        ),
        (
            "certificates",
            "SELECT id, number, issued_on, valid_from, valid_to, basis, status, supersedes, superseded_by, duplicate_of
             FROM certificates WHERE application_id = ?1 ORDER BY id",
        ),
    ];
    let mut hasher = Sha256::new();
    let mut found = false;
    for (name, sql) in PARTS {
        hasher.update(name.as_bytes());
        hasher.update([0x1e]);
        tx.for_each(sql, args![application_id], |row| {
            found |= name == "application";
            for i in 0..row.len() {
                let text = match row.value(i)? {
                    ValueRef::Null => b"\0".to_vec(),
                    ValueRef::Integer(n) => n.to_string().into_bytes(),
                    ValueRef::Real(x) => x.to_string().into_bytes(),
                    ValueRef::Text(t) => t.as_bytes().to_vec(),
                    ValueRef::Blob(t) => t.to_vec(),
                };
                hasher.update(&text);
                hasher.update([0x1f]);
            }
            hasher.update([0x1d]);
            Ok(())
        })?;
    }
    Ok(found.then(|| super::to_hex(&hasher.finalize())))
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
    tx.query_opt(
        "SELECT last_id, last_hash FROM audit_head WHERE id = 1",
        args![],
        |r| {
            Ok(Head {
                last_id: r.get(0)?,
                last_hash: Some(r.get(1)?),
            })
        },
    )
}

/// The number of rows in the log.
pub fn count(tx: &Tx<'_>) -> Result<i64, StoreError> {
    tx.query_row("SELECT count(*) FROM audit", args![], |r| r.get(0))
}

/// Appends a row; call it inside the transaction of the change it records (which holds the
/// write lock). The id follows both the newest row and the recorded head, so an id of deleted
/// rows is never given again and the deletion stays visible to [`verify`].
pub fn append(tx: &Tx<'_>, at: NaiveDateTime, entry: &Entry<'_>) -> Result<(), StoreError> {
    let last: Option<(i64, String)> = tx.query_opt(
        "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let recorded = head(tx)?.map_or(0, |h| h.last_id);
    let (last_id, prev) = last.unwrap_or((0, GENESIS.to_string()));
    let id = last_id.max(recorded) + 1;
    let at = fmt_time(at);
    // The record's legal content after the change, inside the chain (version 13).
    let mut dossiers = Vec::new();
    for application in applications_of(tx, entry.record)? {
        if let Some(hash) = dossier_hash(tx, application)? {
            dossiers.push(format!("{application}:{hash}"));
        }
    }
    let dossier = dossiers.join(";");
    let hash = row_hash(id, &at, entry, &prev, &dossier);
    tx.execute("INSERT INTO audit (id, at, user_id, username, action, record, summary, prev_hash, hash, dossier)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", args![
        id,
        at,
        entry.user_id,
        entry.username,
        entry.action,
        entry.record,
        entry.summary,
        prev,
        hash,
        dossier
    ])?;
    tx.execute(
        "INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET last_id = excluded.last_id, last_hash = excluded.last_hash",
        args![id, hash],
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
    /// The newest rows were deleted (the recorded head is ahead of the last row).
    TailDeleted { last: i64, counter: i64 },
    /// Rows after the recorded head were added without it: not written by spravka.
    NotRecorded { head: i64, last: i64 },
    /// An application's legal record (or a certificate issued on it) is not what the newest
    /// audit row about it recorded: it was changed outside spravka.
    RecordChanged { application: String, audit_id: i64 },
    /// A signed anchor of the chain does not hold: its signature, or the row it signed, was
    /// changed (the history up to it was rewritten).
    AnchorBroken { anchor_id: i64, audit_id: i64 },
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
            Self::RecordChanged {
                application,
                audit_id,
            } => write!(
                f,
                "application {application} (its scores, decision or certificates) was changed outside spravka after audit row {audit_id}"
            ),
            Self::AnchorBroken {
                anchor_id,
                audit_id,
            } => write!(
                f,
                "signed anchor {anchor_id} of audit row {audit_id} does not hold: the history up to it was rewritten"
            ),
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
    // A file older than version 13 has no dossiers (the migration checks it before adding them).
    let has_dossier = match tx.sqlite() {
        Some(_) => tx.query_row(
            "SELECT count(*) > 0 FROM pragma_table_info('audit') WHERE name = 'dossier'",
            args![],
            |r| r.get(0),
        )?,
        None => true,
    };
    let sql = if has_dossier {
        "SELECT id, at, user_id, username, action, record, summary, prev_hash, hash, dossier FROM audit ORDER BY id"
    } else {
        "SELECT id, at, user_id, username, action, record, summary, prev_hash, hash, '' FROM audit ORDER BY id"
    };
    let mut prev_id = 0;
    let mut prev_hash = GENESIS.to_string();
    // The newest recorded content of each application: (audit row, hash).
    let mut dossiers: std::collections::HashMap<i64, (i64, String)> =
        std::collections::HashMap::new();
    tx.for_each(sql, args![], |row| {
        let id: i64 = row.get(0)?;
        let at: String = row.get(1)?;
        let username: String = row.get(3)?;
        let action: String = row.get(4)?;
        let record: String = row.get(5)?;
        let summary: String = row.get(6)?;
        let stored_prev: String = row.get(7)?;
        let stored_hash: String = row.get(8)?;
        let dossier: String = row.get(9)?;
        for one in dossier.split(';') {
            if let Some((application, hash)) = one.split_once(':')
                && let Ok(application) = application.parse::<i64>()
            {
                dossiers.insert(application, (id, hash.to_string()));
            }
        }
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
        if row_hash(id, &at, &entry, &stored_prev, &dossier) != stored_hash {
            problems.push(Problem::Edited { id });
        }
        prev_id = id;
        prev_hash = stored_hash;
        Ok(())
    })?;
    // The live records against what the log recorded last (in application order).
    let mut recorded_dossiers: Vec<(i64, (i64, String))> = dossiers.into_iter().collect();
    recorded_dossiers.sort_unstable();
    for (application, (audit_id, hash)) in recorded_dossiers {
        if dossier_hash(tx, application)?.as_deref() != Some(hash.as_str()) {
            let number: Option<String> = tx.query_opt(
                "SELECT number FROM applications WHERE id = ?1",
                args![application],
                |r| r.get(0),
            )?;
            problems.push(Problem::RecordChanged {
                application: number.unwrap_or_else(|| format!("id {application}")),
                audit_id,
            });
        }
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
    let rows = tx.query_map("SELECT at, username, action, summary FROM audit WHERE record = ?1 AND action <> ?2 ORDER BY id", args![record, hidden], |r| {
            Ok(HistoryRow {
                at: r.get(0)?,
                user: r.get(1)?,
                action: r.get(2)?,
                summary: r.get(3)?,
            })
        })?;
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

/// The `WHERE` clause of `filter` and its parameters, numbered from `?1`: only the conditions
/// the filter sets, so that every engine plans them alike.
fn filter_where(filter: &Filter) -> (String, Vec<Value>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let param = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        format!("?{}", values.len())
    };
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    if let Some(user) = &filter.user {
        let p = param(&mut values, user.clone().into());
        conditions.push(format!("username = {p}"));
    }
    if let Some(from) = filter.from {
        let p = param(&mut values, day(from).into());
        conditions.push(format!("substr(at, 1, 10) >= {p}"));
    }
    if let Some(to) = filter.to {
        let p = param(&mut values, day(to).into());
        conditions.push(format!("substr(at, 1, 10) <= {p}"));
    }
    if let Some(action) = &filter.action {
        let p = param(&mut values, action.clone().into());
        conditions.push(format!("action = {p}"));
    }
    if !filter.any_of.is_empty() {
        let list: Vec<String> = filter
            .any_of
            .iter()
            .map(|code| param(&mut values, code.clone().into()))
            .collect();
        conditions.push(format!("action IN ({})", list.join(", ")));
    }
    if let Some(record) = &filter.record {
        // The record itself and those below it (`application:12:…`), never `application:120`.
        let exact = param(&mut values, record.clone().into());
        let below = param(&mut values, format!("{record}:").into());
        let len = param(
            &mut values,
            Value::Integer(record.chars().count() as i64 + 1),
        );
        conditions.push(format!(
            "(record = {exact} OR substr(record, 1, {len}) = {below})"
        ));
    }
    if conditions.is_empty() {
        (String::new(), values)
    } else {
        (format!("WHERE {}", conditions.join(" AND ")), values)
    }
}

/// The rows that pass `filter`, newest first, `limit` of them from `offset`.
pub fn rows(
    tx: &Tx<'_>,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> Result<Vec<LogRow>, StoreError> {
    let (clause, mut values) = filter_where(filter);
    let n = values.len();
    values.push(Value::Integer(limit));
    values.push(Value::Integer(offset));
    let sql = format!(
        "SELECT id, at, username, action, record, summary FROM audit {clause}
         ORDER BY id DESC LIMIT ?{} OFFSET ?{}",
        n + 1,
        n + 2
    );
    let binds: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
    tx.query_map(&sql, &binds, |r| {
        Ok(LogRow {
            id: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            record: r.get(4)?,
            summary: r.get(5)?,
        })
    })
}

/// How many rows pass `filter`.
pub fn count_filtered(tx: &Tx<'_>, filter: &Filter) -> Result<i64, StoreError> {
    let (clause, values) = filter_where(filter);
    let sql = format!("SELECT count(*) FROM audit {clause}");
    let binds: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
    tx.query_row(&sql, &binds, |r| r.get(0))
}

/// The distinct actions and usernames in the log, sorted, for the viewer's pickers.
pub fn actions_and_users(tx: &Tx<'_>) -> Result<(Vec<String>, Vec<String>), StoreError> {
    let distinct = |column: &str| -> Result<Vec<String>, StoreError> {
        let sql = format!("SELECT DISTINCT {column} FROM audit ORDER BY {column}");
        tx.query_map(&sql, args![], |r| r.get(0))
    };
    Ok((distinct("action")?, distinct("username")?))
}

/// What a signed anchor says: the chain is as it stands up to row `audit_id`, whose hash is
/// `audit_hash`, as of `signed_at`.
pub fn anchor_message(audit_id: i64, audit_hash: &str, signed_at: &str) -> String {
    format!("spravka-audit-anchor|{audit_id}|{audit_hash}|{signed_at}")
}

/// Stores an anchor of the chain's head signed by `key_id`.
pub fn insert_anchor(
    tx: &Tx<'_>,
    audit_id: i64,
    audit_hash: &str,
    key_id: i64,
    signed_at: &str,
    signature: &[u8],
) -> Result<(), StoreError> {
    tx.execute("INSERT INTO audit_anchors (audit_id, audit_hash, key_id, signed_at, signature) VALUES (?1, ?2, ?3, ?4, ?5)", args![audit_id, audit_hash, key_id, signed_at, signature])?;
    Ok(())
}

/// The newest anchor that holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorStatus {
    pub audit_id: i64,
    pub signed_at: String,
    /// The signatory whose key signed it.
    pub by: String,
    /// Rows written after it, not anchored yet.
    pub after: i64,
}

/// Checks every signed anchor (newest first): its signature by the key it names, and that the
/// row it signed is still there with the same hash. Returns the newest anchor that holds and
/// the anchors that do not. A file before version 13 has none.
pub fn anchors(tx: &Tx<'_>) -> Result<(Option<AnchorStatus>, Vec<Problem>), StoreError> {
    use ed25519_dalek::{Signature, Verifier, VerifyingKey};
    // A SQLite file before version 13 has no anchors (PostgreSQL starts at the latest schema).
    let exists = match tx.sqlite() {
        Some(_) => tx.query_row(
            "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'audit_anchors'",
            args![],
            |r| r.get(0),
        )?,
        None => true,
    };
    if !exists {
        return Ok((None, Vec::new()));
    }
    let last: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM audit", args![], |r| {
        r.get(0)
    })?;
    let sql = "SELECT a.id, a.audit_id, a.audit_hash, a.signed_at, a.signature, k.public, coalesce(u.full_name, ''),
                (SELECT hash FROM audit WHERE id = a.audit_id)
         FROM audit_anchors a JOIN signing_keys k ON k.id = a.key_id LEFT JOIN users u ON u.id = k.user_id
         ORDER BY a.id DESC";
    let mut newest = None;
    let mut broken = Vec::new();
    tx.for_each(sql, args![], |row| {
        let anchor_id: i64 = row.get(0)?;
        let audit_id: i64 = row.get(1)?;
        let audit_hash: String = row.get(2)?;
        let signed_at: String = row.get(3)?;
        let signature: Vec<u8> = row.get(4)?;
        let public: Vec<u8> = row.get(5)?;
        let by: String = row.get(6)?;
        let row_hash: Option<String> = row.get(7)?;
        let message = anchor_message(audit_id, &audit_hash, &signed_at);
        let signed = <[u8; 32]>::try_from(public.as_slice())
            .ok()
            .and_then(|b| VerifyingKey::from_bytes(&b).ok())
            .zip(Signature::from_slice(&signature).ok())
            .is_some_and(|(key, sig)| key.verify(message.as_bytes(), &sig).is_ok());
        if !signed || row_hash.as_deref() != Some(audit_hash.as_str()) {
            broken.push(Problem::AnchorBroken {
                anchor_id,
                audit_id,
            });
        } else if newest.is_none() {
            newest = Some(AnchorStatus {
                audit_id,
                signed_at,
                by,
                after: last - audit_id,
            });
        }
        Ok(())
    })?;
    Ok((newest, broken))
}
