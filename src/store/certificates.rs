//! Certificates (Appendix 3): the `certificates` table, their numbers (`certificate_sequences`),
//! their events (`certificate_events`) and printed copies (`printed_copies`).

use super::db::{ToValue, args};
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{certificate_status, date, fmt_time, opt_date, time};
use super::{StoreError, Tx};
use crate::domain::status::CertificateStatus;

/// A certificate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    pub id: i64,
    pub number: String,
    pub application_id: i64,
    pub applicant_id: i64,
    pub profession_id: i64,
    pub issued_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub basis: String,
    pub status: CertificateStatus,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    pub duplicate_of: Option<i64>,
}

/// Reads a certificate.
pub fn load(tx: &Tx<'_>, id: i64) -> Result<CertificateRecord, StoreError> {
    let row = tx.query_opt("SELECT id, number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis, status,
                    supersedes, superseded_by, duplicate_of FROM certificates WHERE id = ?1", args![id],
            |r| {
                Ok((
                    (r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?, r.get::<i64>(3)?, r.get::<i64>(4)?),
                    (r.get::<String>(5)?, r.get::<String>(6)?, r.get::<String>(7)?, r.get::<String>(8)?, r.get::<String>(9)?),
                    (r.get::<Option<i64>>(10)?, r.get::<Option<i64>>(11)?, r.get::<Option<i64>>(12)?),
                ))
            },)?;
    let Some((
        (id, number, application_id, applicant_id, profession_id),
        (issued, from, to, basis, status),
        (supersedes, superseded_by, duplicate_of),
    )) = row
    else {
        return Err(StoreError::NotFound {
            what: "certificate",
            id: id.to_string(),
        });
    };
    Ok(CertificateRecord {
        id,
        number,
        application_id,
        applicant_id,
        profession_id,
        issued_on: date(&issued)?,
        valid_from: date(&from)?,
        valid_to: date(&to)?,
        basis,
        status: certificate_status(&status)?,
        supersedes,
        superseded_by,
        duplicate_of,
    })
}

/// A printed copy of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    Original,
    Duplicate,
}

impl CopyKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Duplicate => "duplicate",
        }
    }
}

/// The act of a state control body on which a certificate is revoked (R§21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlAct {
    pub body: String,
    pub number: String,
    pub date: NaiveDate,
}

/// The original certificate (not a duplicate) with this number.
pub fn find_original(tx: &Tx<'_>, number: &str) -> Result<Option<CertificateRecord>, StoreError> {
    let id: Option<i64> = tx.query_opt(
        "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NULL",
        args![number],
        |r| r.get(0),
    )?;
    id.map(|id| load(tx, id)).transpose()
}

/// The newest duplicate issued for the certificate with this number.
pub fn find_newest_duplicate(
    tx: &Tx<'_>,
    number: &str,
) -> Result<Option<CertificateRecord>, StoreError> {
    let id: Option<i64> = tx.query_opt(
            "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NOT NULL ORDER BY id DESC LIMIT 1",
            args![number],
            |r| r.get(0),
        )?;
    id.map(|id| load(tx, id)).transpose()
}

/// Whether any certificate (original or duplicate) carries this number.
pub fn number_taken(tx: &Tx<'_>, number: &str) -> Result<bool, StoreError> {
    let id: Option<i64> = tx.query_opt(
        "SELECT id FROM certificates WHERE number = ?1 LIMIT 1",
        args![number],
        |r| r.get(0),
    )?;
    Ok(id.is_some())
}

/// The last value given out by the number sequence `key` (a year, or 0 for continuous numbering).
pub fn last_sequence_value(tx: &Tx<'_>, key: i32) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "SELECT last_value FROM certificate_sequences WHERE year = ?1",
        args![key],
        |r| r.get(0),
    )
}

/// Records `value` as the last value given out by the number sequence `key`.
pub fn set_sequence_value(tx: &Tx<'_>, key: i32, value: i64) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO certificate_sequences (year, last_value) VALUES (?1, ?2)
             ON CONFLICT (year) DO UPDATE SET last_value = excluded.last_value",
        args![key, value],
    )?;
    Ok(())
}

/// A certificate to create. A decision creates it `valid`; the demo data set stores
/// certificates already expired, superseded or revoked.
#[derive(Debug, Clone)]
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub application_id: i64,
    pub applicant_id: i64,
    pub profession_id: i64,
    pub issued_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub basis: &'a str,
    pub status: CertificateStatus,
    pub supersedes: Option<i64>,
    pub duplicate_of: Option<i64>,
}

/// Creates a certificate and returns its id.
pub fn insert(
    tx: &Tx<'_>,
    c: &NewCertificate<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    tx.query_row("INSERT INTO certificates (number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis,
             status, supersedes, duplicate_of, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
             ?9, ?10, ?11, ?12, ?13)
         RETURNING id", args![c.number, c.application_id, c.applicant_id, c.profession_id, c.issued_on.to_string(), c.valid_from.to_string(), c.valid_to.to_string(), c.basis, c.status.code(), c.supersedes, c.duplicate_of, user_id, fmt_time(now)],
        |r| r.get(0),)
}

/// Sets a certificate's status.
pub fn set_status(tx: &Tx<'_>, id: i64, status: CertificateStatus) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE certificates SET status = ?2, row_version = row_version + 1 WHERE id = ?1",
        args![id, status.code()],
    )?;
    Ok(())
}

/// Moves a certificate's end of validity (an extension, R§16) and sets its status.
pub fn extend(
    tx: &Tx<'_>,
    id: i64,
    valid_to: NaiveDate,
    status: CertificateStatus,
) -> Result<(), StoreError> {
    tx.execute("UPDATE certificates SET valid_to = ?2, status = ?3, row_version = row_version + 1 WHERE id = ?1", args![id, valid_to.to_string(), status.code()])?;
    Ok(())
}

/// Links a reissued certificate to the one that replaces it (R§22).
pub fn set_superseded_by(tx: &Tx<'_>, old: i64, new: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE certificates SET superseded_by = ?2 WHERE id = ?1",
        args![old, new],
    )?;
    Ok(())
}

/// An event in a certificate's life to record.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub certificate_id: i64,
    /// "issue", "extend", "reissue", "duplicate", "notice_employer_change",
    /// "notice_contract_end", "revoke" or "expire".
    pub event: &'a str,
    pub date: NaiveDate,
    pub grounds: &'a str,
    pub application_id: Option<i64>,
    pub related_id: Option<i64>,
    pub old_valid_to: Option<NaiveDate>,
    pub new_valid_to: Option<NaiveDate>,
    /// The act of the control body, for a revocation.
    pub act: Option<&'a ControlAct>,
}

/// Records an event of a certificate.
pub fn insert_event(
    tx: &Tx<'_>,
    e: &NewEvent<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    tx.execute("INSERT INTO certificate_events (certificate_id, event, event_date, grounds, application_id, related_id, old_valid_to,
             new_valid_to, act_body, act_number, act_date, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
             ?8, ?9, ?10, ?11, ?12, ?13)", args![e.certificate_id, e.event, e.date.to_string(), e.grounds, e.application_id, e.related_id, e.old_valid_to.map(|d| d.to_string()), e.new_valid_to.map(|d| d.to_string()), e.act.map(|a| a.body.as_str()), e.act.map(|a| a.number.as_str()), e.act.map(|a| a.date.to_string()), user_id, fmt_time(now)],)?;
    Ok(())
}

/// An event as the lineage shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub date: NaiveDate,
    pub event: String,
    pub grounds: String,
    pub new_valid_to: Option<NaiveDate>,
    pub act: Option<ControlAct>,
}

/// The events of a certificate, oldest first.
pub fn events(tx: &Tx<'_>, certificate_id: i64) -> Result<Vec<EventRow>, StoreError> {
    let raws = tx.query_map(
        "SELECT event_date, event, grounds, new_valid_to, act_body, act_number, act_date
         FROM certificate_events WHERE certificate_id = ?1 ORDER BY id",
        args![certificate_id],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
                (
                    r.get::<Option<String>>(4)?,
                    r.get::<Option<String>>(5)?,
                    r.get::<Option<String>>(6)?,
                ),
            ))
        },
    )?;
    raws.into_iter()
        .map(|(event_date, event, grounds, new_valid_to, act)| {
            Ok(EventRow {
                date: date(&event_date)?,
                event,
                grounds,
                new_valid_to: opt_date(new_valid_to.as_deref())?,
                act: control_act(act)?,
            })
        })
        .collect()
}

fn control_act(
    (body, number, act_date): (Option<String>, Option<String>, Option<String>),
) -> Result<Option<ControlAct>, StoreError> {
    let (Some(body), Some(number), Some(act_date)) = (body, number, act_date) else {
        return Ok(None);
    };
    Ok(Some(ControlAct {
        body,
        number,
        date: date(&act_date)?,
    }))
}

/// The act on which a certificate was last revoked (R§21), if it was.
pub fn revoking_act(tx: &Tx<'_>, certificate_id: i64) -> Result<Option<ControlAct>, StoreError> {
    let act = tx.query_opt(
        "SELECT act_body, act_number, act_date FROM certificate_events
             WHERE certificate_id = ?1 AND event = 'revoke' ORDER BY id DESC LIMIT 1",
        args![certificate_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(match act {
        Some(act) => control_act(act)?,
        None => None,
    })
}

/// The valid originals whose validity ended before `today` (R§23.1).
pub fn expired_by(tx: &Tx<'_>, today: NaiveDate) -> Result<Vec<i64>, StoreError> {
    ids(
        tx,
        "SELECT id FROM certificates WHERE status = 'valid' AND duplicate_of IS NULL AND valid_to < ?1 ORDER BY id",
        &[&today.to_string()],
    )
}

/// The certificates an applicant holds, oldest first.
pub fn of_applicant(tx: &Tx<'_>, applicant_id: i64) -> Result<Vec<CertificateRecord>, StoreError> {
    ids(
        tx,
        "SELECT id FROM certificates WHERE applicant_id = ?1 ORDER BY id",
        &[&applicant_id],
    )?
    .into_iter()
    .map(|id| load(tx, id))
    .collect()
}

/// The valid originals issued in a period, in order of issue.
pub fn valid_issued_between(
    tx: &Tx<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<i64>, StoreError> {
    ids(
        tx,
        "SELECT id FROM certificates WHERE issued_on BETWEEN ?1 AND ?2 AND duplicate_of IS NULL AND status = 'valid' ORDER BY id",
        &[&from.to_string(), &to.to_string()],
    )
}

/// The valid originals issued on an application.
pub fn valid_of_application(tx: &Tx<'_>, application_id: i64) -> Result<Vec<i64>, StoreError> {
    ids(
        tx,
        "SELECT id FROM certificates WHERE application_id = ?1 AND duplicate_of IS NULL AND status = 'valid' ORDER BY id",
        &[&application_id],
    )
}

fn ids(tx: &Tx<'_>, sql: &str, args: &[&dyn ToValue]) -> Result<Vec<i64>, StoreError> {
    tx.query_map(sql, args, |r| r.get(0))
}

/// Records a printed copy (who, when, the blank form's serial) and returns its id.
pub fn insert_copy(
    tx: &Tx<'_>,
    certificate_id: i64,
    kind: CopyKind,
    form_serial: Option<&str>,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    tx.query_row("INSERT INTO printed_copies (certificate_id, copy_kind, form_serial, printed_by, printed_at)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id", args![
            certificate_id,
            kind.code(),
            form_serial,
            user_id,
            fmt_time(now)
        ],
        |r| r.get(0),)
}

/// Writes off a printed copy that is still in use, with the reason; a copy already written off
/// is not found.
pub fn spoil_copy(
    tx: &Tx<'_>,
    copy_id: i64,
    reason: &str,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE printed_copies SET spoiled_reason = ?2, written_off_by = ?3, written_off_at = ?4
         WHERE id = ?1 AND spoiled_reason IS NULL",
        args![copy_id, reason, user_id, fmt_time(now)],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "printed copy",
            id: copy_id.to_string(),
        });
    }
    Ok(())
}

/// A printed copy as the lineage shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRow {
    pub id: i64,
    pub printed_at: NaiveDateTime,
    /// "original" or "duplicate".
    pub kind: String,
    pub form_serial: Option<String>,
    pub printed_by: String,
    pub spoiled_reason: Option<String>,
}

/// The printed copies of a certificate and of its duplicates, oldest first.
pub fn copies(tx: &Tx<'_>, certificate_id: i64) -> Result<Vec<CopyRow>, StoreError> {
    let raws = tx.query_map("SELECT p.id, p.printed_at, p.copy_kind, p.form_serial, coalesce(u.full_name, u.username), p.spoiled_reason
         FROM printed_copies p JOIN certificates c ON c.id = p.certificate_id LEFT JOIN users u ON u.id = p.printed_by
         WHERE c.id = ?1 OR c.duplicate_of = ?1 ORDER BY p.id", args![certificate_id], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<Option<String>>(5)?,
            ))
        })?;
    raws.into_iter()
        .map(|(id, at, kind, form_serial, by, spoiled_reason)| {
            Ok(CopyRow {
                id,
                printed_at: time(&at)?,
                kind,
                form_serial,
                printed_by: by.unwrap_or_default(),
                spoiled_reason,
            })
        })
        .collect()
}

/// The signed QR code kept for a certificate, if a signatory's key signed one.
pub fn qr_code(tx: &Tx<'_>, id: i64) -> Result<Option<String>, StoreError> {
    Ok(tx
        .query_opt(
            "SELECT qr_code FROM certificates WHERE id = ?1",
            args![id],
            |r| r.get(0),
        )?
        .flatten())
}

/// Keeps the signed QR code of a certificate (replacing an older one).
pub fn set_qr_code(tx: &Tx<'_>, id: i64, code: &str) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE certificates SET qr_code = ?2 WHERE id = ?1",
        args![id, code],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_sequence_is_created_then_moved_on() {
        let mut store = Store::open_in_memory().expect("store");
        store
            .write(|tx| {
                assert_eq!(last_sequence_value(tx, 2026)?, None);
                set_sequence_value(tx, 2026, 1)?;
                set_sequence_value(tx, 2026, 2)?;
                set_sequence_value(tx, 0, 7)?;
                assert_eq!(last_sequence_value(tx, 2026)?, Some(2));
                assert_eq!(last_sequence_value(tx, 0)?, Some(7));
                assert!(!number_taken(tx, "00001/2026")?);
                Ok::<_, StoreError>(())
            })
            .expect("write");
    }
}
