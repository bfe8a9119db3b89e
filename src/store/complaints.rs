//! Complaints (chapter 3 of the Rules, R§24–R§26): the `complaints` table.

use super::db::args;
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{date, fmt_time, opt_date};
use super::{StoreError, Tx};

/// To whom the complaint is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressedTo {
    /// The local executive body itself: 5 working days (R§25); it forwards within 3 unless it
    /// satisfies the complaint (R§24).
    LocalBody,
    /// The service-quality body or the reviewing body: 15 working days (R§26).
    ReviewingBody,
}

impl AddressedTo {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::LocalBody => "local_body",
            Self::ReviewingBody => "reviewing_body",
        }
    }
}

/// How a complaint ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintOutcome {
    /// Sent to the reviewing body (R§24).
    Forwarded,
    Satisfied,
    Rejected,
}

impl ComplaintOutcome {
    /// The stored status of a complaint closed this way.
    pub fn code(self) -> &'static str {
        match self {
            Self::Forwarded => "forwarded",
            Self::Satisfied => "satisfied",
            Self::Rejected => "rejected",
        }
    }
}

/// A complaint to register, with its computed deadlines.
#[derive(Debug, Clone)]
pub struct NewComplaintRow<'a> {
    pub application_id: Option<i64>,
    pub certificate_id: Option<i64>,
    pub addressed_to: AddressedTo,
    pub received_at: NaiveDateTime,
    pub registered_on: NaiveDate,
    pub forward_by: Option<NaiveDate>,
    pub answer_by: NaiveDate,
    pub subject: &'a str,
}

/// Registers an open complaint and returns its id.
pub fn insert(tx: &Tx<'_>, c: &NewComplaintRow<'_>, user_id: i64) -> Result<i64, StoreError> {
    tx.query_row(
        "INSERT INTO complaints (application_id, certificate_id, addressed_to, received_at, registered_on, forward_by, answer_by,
             subject, status, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,
             ?8, 'open', ?9)
         RETURNING id",
        args![c.application_id, c.certificate_id, c.addressed_to.code(), fmt_time(c.received_at), c.registered_on.to_string(), c.forward_by.map(|d| d.to_string()), c.answer_by.to_string(), c.subject, user_id],
        |r| r.get(0),
    )
}

/// Closes (or forwards) an open complaint; a complaint that is not open is not found.
pub fn close(
    tx: &Tx<'_>,
    complaint_id: i64,
    outcome: ComplaintOutcome,
    closed_on: NaiveDate,
    text: &str,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE complaints SET status = ?2, closed_on = ?3, outcome = ?4 WHERE id = ?1 AND status = 'open'",
        args![complaint_id, outcome.code(), closed_on.to_string(), text],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "open complaint",
            id: complaint_id.to_string(),
        });
    }
    Ok(())
}

/// A complaint as listed on its application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintRow {
    pub id: i64,
    pub addressed_to: AddressedTo,
    pub registered_on: NaiveDate,
    pub forward_by: Option<NaiveDate>,
    pub answer_by: NaiveDate,
    pub subject: String,
    pub status: String,
}

/// The complaints about an application, oldest first.
pub fn of_application(tx: &Tx<'_>, application_id: i64) -> Result<Vec<ComplaintRow>, StoreError> {
    let raws = tx.query_map(
        "SELECT id, addressed_to, registered_on, forward_by, answer_by, subject, status
         FROM complaints WHERE application_id = ?1 ORDER BY id",
        args![application_id],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
                r.get::<String>(4)?,
                r.get::<String>(5)?,
                r.get::<String>(6)?,
            ))
        },
    )?;
    raws.into_iter()
        .map(|(id, to, registered, forward, answer, subject, status)| {
            Ok(ComplaintRow {
                id,
                addressed_to: if to == AddressedTo::LocalBody.code() {
                    AddressedTo::LocalBody
                } else {
                    AddressedTo::ReviewingBody
                },
                registered_on: date(&registered)?,
                forward_by: opt_date(forward.as_deref())?,
                answer_by: date(&answer)?,
                subject,
                status,
            })
        })
        .collect()
}
