//! Complaints (chapter 3 of the Rules, R§24–R§26) and their deadlines.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::{Missing, Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, write_tx};
use crate::domain::deadline::{self, Step, WorkingHours, registration_day};
use crate::domain::roles::Action;
use crate::store::{Store, reference};

/// To whom the complaint is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressedTo {
    /// The local executive body itself: 5 working days (R§25); it forwards within 3 unless it
    /// satisfies the complaint (R§24).
    LocalBody,
    /// The service-quality body or the reviewing body: 15 working days (R§26).
    ReviewingBody,
}

/// A registered complaint's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintDates {
    pub id: i64,
    pub registered_on: NaiveDate,
    pub forward_by: Option<NaiveDate>,
    pub answer_by: NaiveDate,
}

/// A complaint as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComplaint {
    pub application_id: Option<i64>,
    pub certificate_id: Option<i64>,
    pub addressed_to: AddressedTo,
    pub received_at: NaiveDateTime,
    pub subject: String,
}

/// Registers a complaint and computes its deadlines.
pub fn register_complaint(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    complaint: &NewComplaint,
) -> Result<ComplaintDates> {
    session.require(Action::Complaints)?;
    let NewComplaint {
        application_id,
        certificate_id,
        addressed_to,
        received_at,
        subject,
    } = complaint;
    let (addressed_to, received_at) = (*addressed_to, *received_at);
    if subject.trim().is_empty() {
        return Err(RuleError::Missing(Missing::ComplaintSubject).into());
    }
    let tx = write_tx(store.conn_mut())?;
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
    let hours: WorkingHours = super::setup::working_hours(&tx)?;
    let registered_on = registration_day(received_at, hours, &calendar).value;
    let (forward_by, answer_by, code) = match addressed_to {
        AddressedTo::LocalBody => (
            Some(deadline::deadline(&calendar, Step::ComplaintForward, registered_on).value),
            deadline::deadline(&calendar, Step::ComplaintLocalBody, registered_on).value,
            "local_body",
        ),
        AddressedTo::ReviewingBody => (
            None,
            deadline::deadline(&calendar, Step::ComplaintReviewingBody, registered_on).value,
            "reviewing_body",
        ),
    };
    tx.execute(
        "INSERT INTO complaints (application_id, certificate_id, addressed_to, received_at, registered_on, forward_by, answer_by, subject, status, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9)",
        params![
            application_id,
            certificate_id,
            code,
            fmt_time(received_at),
            registered_on.to_string(),
            forward_by.map(|d| d.to_string()),
            answer_by.to_string(),
            subject.trim(),
            session.user_id
        ],
    )?;
    let id = tx.last_insert_rowid();
    legacy_audit(
        &tx,
        session,
        now,
        "register_complaint",
        &format!("complaint:{id}"),
        &format!("{code} answer by {answer_by}"),
    )?;
    tx.commit()?;
    Ok(ComplaintDates {
        id,
        registered_on,
        forward_by,
        answer_by,
    })
}

/// How a complaint ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintOutcome {
    /// Sent to the reviewing body (R§24).
    Forwarded,
    Satisfied,
    Rejected,
}

/// Closes or forwards a complaint.
pub fn close_complaint(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    complaint_id: i64,
    outcome: ComplaintOutcome,
    text: &str,
) -> Result<()> {
    session.require(Action::Complaints)?;
    let code = match outcome {
        ComplaintOutcome::Forwarded => "forwarded",
        ComplaintOutcome::Satisfied => "satisfied",
        ComplaintOutcome::Rejected => "rejected",
    };
    let tx = write_tx(store.conn_mut())?;
    let changed = tx.execute(
        "UPDATE complaints SET status = ?2, closed_on = ?3, outcome = ?4 WHERE id = ?1 AND status = 'open'",
        params![complaint_id, code, now.date().to_string(), text.trim()],
    )?;
    if changed == 0 {
        return Err(ServiceError::NotFound {
            what: "open complaint",
            id: complaint_id.to_string(),
        });
    }
    legacy_audit(
        &tx,
        session,
        now,
        "close_complaint",
        &format!("complaint:{complaint_id}"),
        code,
    )?;
    tx.commit()?;
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
pub fn complaints_of(
    store: &Store,
    session: &Session,
    application_id: i64,
) -> Result<Vec<ComplaintRow>> {
    session.require(Action::Complaints)?;
    let mut stmt = store.conn().prepare(
        "SELECT id, addressed_to, registered_on, forward_by, answer_by, subject, status FROM complaints WHERE application_id = ?1 ORDER BY id",
    )?;
    let raws = stmt
        .query_map([application_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(id, to, registered, forward, answer, subject, status)| {
            Ok(ComplaintRow {
                id,
                addressed_to: if to == "local_body" {
                    AddressedTo::LocalBody
                } else {
                    AddressedTo::ReviewingBody
                },
                registered_on: super::parse_date(&registered)?,
                forward_by: forward.as_deref().map(super::parse_date).transpose()?,
                answer_by: super::parse_date(&answer)?,
                subject,
                status,
            })
        })
        .collect()
}
