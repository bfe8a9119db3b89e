//! The verification page (issue 19): the certificates it lists as revoked or superseded, the
//! signed list (`verifier_list`, one row) and its publications (`verifier_publications`).

use super::db::args;
use chrono::{NaiveDate, NaiveDateTime};

use super::certificates::ControlAct;
use super::rows::{date, fmt_time, time};
use super::{StoreError, Tx};

/// A certificate revoked or superseded, as the page lists it: its number and what happened, no
/// holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawnRow {
    pub number: String,
    pub revoked: bool,
    /// The day of the revocation or the reissue.
    pub date: NaiveDate,
    /// Superseded: the new certificate's number.
    pub superseded_by: Option<String>,
    /// Revoked: the control body's act.
    pub act: Option<ControlAct>,
}

/// Every original certificate that is revoked or superseded, by number.
pub fn withdrawn(tx: &Tx<'_>) -> Result<Vec<WithdrawnRow>, StoreError> {
    let rows = tx.query_map(
        "SELECT c.number, c.status, n.number, e.event_date, e.act_body, e.act_number, e.act_date
         FROM certificates c
         LEFT JOIN certificates n ON n.id = c.superseded_by
         LEFT JOIN certificate_events e ON e.id = (
             SELECT max(x.id) FROM certificate_events x
             WHERE x.certificate_id = c.id
               AND x.event = CASE c.status WHEN 'revoked' THEN 'revoke' ELSE 'reissue' END)
         WHERE c.status IN ('revoked', 'superseded') AND c.duplicate_of IS NULL
         ORDER BY c.number",
        args![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
                r.get::<Option<String>>(3)?,
                (
                    r.get::<Option<String>>(4)?,
                    r.get::<Option<String>>(5)?,
                    r.get::<Option<String>>(6)?,
                ),
            ))
        },
    )?;
    rows.into_iter()
        .map(|(number, status, by, day, act)| {
            let act = match act {
                (Some(body), Some(number), Some(day)) => Some(ControlAct {
                    body,
                    number,
                    date: date(&day)?,
                }),
                _ => None,
            };
            let Some(day) = day.or_else(|| act.as_ref().map(|a| a.date.to_string())) else {
                return Err(StoreError::NotFound {
                    what: "event of withdrawn certificate",
                    id: number,
                });
            };
            Ok(WithdrawnRow {
                number,
                revoked: status == "revoked",
                date: date(&day)?,
                superseded_by: by,
                act,
            })
        })
        .collect()
}

/// The signed list as stored: its exact text, the signature, and the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedList {
    pub content: String,
    pub signature: Vec<u8>,
    pub key_id: i64,
    pub public: Vec<u8>,
    /// The signatory's full name.
    pub holder: String,
    pub signed_at: NaiveDateTime,
}

/// Keeps a newly signed list in place of the one before.
pub fn save_list(
    tx: &Tx<'_>,
    content: &str,
    signature: &[u8],
    key_id: i64,
    signed_at: NaiveDateTime,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO verifier_list (id, content, signature, key_id, signed_at) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET content = excluded.content, signature = excluded.signature,
             key_id = excluded.key_id, signed_at = excluded.signed_at",
        args![content, signature, key_id, fmt_time(signed_at)],
    )?;
    Ok(())
}

/// The newest signed list, if a signatory has signed one.
pub fn list(tx: &Tx<'_>) -> Result<Option<SignedList>, StoreError> {
    let row = tx.query_opt(
        "SELECT l.content, l.signature, l.key_id, k.public, coalesce(u.full_name, ''), l.signed_at
             FROM verifier_list l JOIN signing_keys k ON k.id = l.key_id
             LEFT JOIN users u ON u.id = k.user_id WHERE l.id = 1",
        args![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<Vec<u8>>(1)?,
                r.get::<i64>(2)?,
                r.get::<Vec<u8>>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
            ))
        },
    )?;
    row.map(|(content, signature, key_id, public, holder, at)| {
        Ok(SignedList {
            content,
            signature,
            key_id,
            public,
            holder,
            signed_at: time(&at)?,
        })
    })
    .transpose()
}

/// A publication of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub published_at: NaiveDateTime,
    /// The administrator's full name.
    pub published_by: String,
    pub folder: String,
    pub list_signed_at: NaiveDateTime,
    pub entries: i64,
}

/// Records a publication.
pub fn record_publication(
    tx: &Tx<'_>,
    published_at: NaiveDateTime,
    user_id: i64,
    folder: &str,
    list_signed_at: NaiveDateTime,
    entries: usize,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO verifier_publications (published_at, published_by, folder, list_signed_at, entries)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        args![
            fmt_time(published_at),
            user_id,
            folder,
            fmt_time(list_signed_at),
            i64::try_from(entries).unwrap_or(i64::MAX)
        ],
    )?;
    Ok(())
}

/// The newest publication, if any.
pub fn last_publication(tx: &Tx<'_>) -> Result<Option<Publication>, StoreError> {
    let row = tx.query_opt(
        "SELECT p.published_at, coalesce(u.full_name, ''), p.folder, p.list_signed_at, p.entries
             FROM verifier_publications p LEFT JOIN users u ON u.id = p.published_by
             ORDER BY p.id DESC LIMIT 1",
        args![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<i64>(4)?,
            ))
        },
    )?;
    row.map(|(at, by, folder, signed, entries)| {
        Ok(Publication {
            published_at: time(&at)?,
            published_by: by,
            folder,
            list_signed_at: time(&signed)?,
            entries,
        })
    })
    .transpose()
}
