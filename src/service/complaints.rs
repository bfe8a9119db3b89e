//! Complaints (chapter 3 of the Rules, R§24–R§26) and their deadlines.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Missing, Result, RuleError, Session, audit};
use crate::domain::deadline::{self, Step, WorkingHours, registration_day};
use crate::domain::roles::Action;
use crate::store::complaints::{self, NewComplaintRow};
pub use crate::store::complaints::{AddressedTo, ComplaintOutcome, ComplaintRow};
use crate::store::{Store, body, reference};

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
    super::free_text(Missing::ComplaintSubject, subject)?;
    store.write(|tx| {
        let calendar = reference::calendar(tx)?;
        let hours: WorkingHours = body::working_hours(tx)?;
        let registered_on = registration_day(received_at, hours, &calendar).value;
        let (forward_by, answer_by) = match addressed_to {
            AddressedTo::LocalBody => (
                Some(deadline::deadline(&calendar, Step::ComplaintForward, registered_on).value),
                deadline::deadline(&calendar, Step::ComplaintLocalBody, registered_on).value,
            ),
            AddressedTo::ReviewingBody => (
                None,
                deadline::deadline(&calendar, Step::ComplaintReviewingBody, registered_on).value,
            ),
        };
        let id = complaints::insert(
            tx,
            &NewComplaintRow {
                application_id: *application_id,
                certificate_id: *certificate_id,
                addressed_to,
                received_at,
                registered_on,
                forward_by,
                answer_by,
                subject: subject.trim(),
            },
            session.user_id,
        )?;
        audit(
            tx,
            session,
            now,
            "register_complaint",
            &format!("complaint:{id}"),
            &format!("{} answer by {answer_by}", addressed_to.code()),
        )?;
        Ok(ComplaintDates {
            id,
            registered_on,
            forward_by,
            answer_by,
        })
    })
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
    store.write(|tx| {
        complaints::close(tx, complaint_id, outcome, now.date(), text.trim())?;
        audit(
            tx,
            session,
            now,
            "close_complaint",
            &format!("complaint:{complaint_id}"),
            outcome.code(),
        )
    })
}

/// The complaints about an application, oldest first.
pub fn complaints_of(
    store: &Store,
    session: &Session,
    application_id: i64,
) -> Result<Vec<ComplaintRow>> {
    session.require(Action::Complaints)?;
    Ok(store.read(|tx| complaints::of_application(tx, application_id))?)
}
