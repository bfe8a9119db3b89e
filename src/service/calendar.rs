//! The working calendar as data (SPEC §3): the administrator sets a year's Kurban Ait and the
//! decree's transfers, and the deadlines of open applications are recomputed.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::lifecycle::next_deadline;
use super::{Result, RuleError, Session, audit};
use crate::domain::calendar::YearData;
use crate::domain::deadline::{self, Step, application_deadlines};
use crate::domain::roles::Action;
use crate::store::{Store, applications, body, calendar as stored};

/// An open application whose deadlines moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub application_id: i64,
    pub number: String,
    pub old_next: Option<NaiveDate>,
    pub new_next: Option<NaiveDate>,
}

/// Replaces the data of one year and recomputes the deadlines of every open application;
/// returns the applications whose deadline changed.
pub fn set_year(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    data: &YearData,
) -> Result<Vec<Moved>> {
    session.require(Action::ManageCalendar)?;
    let in_year = |d: &NaiveDate| d.year() == data.year;
    if !data.kurban_ait.as_ref().is_none_or(in_year)
        || !data.days_off.iter().all(|e| in_year(&e.date))
        || !data.working_days.iter().all(|e| in_year(&e.date))
    {
        return Err(RuleError::Invalid(format!("every date must be in {}", data.year)).into());
    }
    store.write(|tx| {
        stored::write_year(tx, data)?;
        let calendar = stored::calendar(tx)?;
        let hours = body::working_hours(tx)?;
        let mut moved = Vec::new();
        for id in stored::open_applications(tx)? {
            let mut app = applications::load(tx, id)?;
            let old_next = app.next_deadline;
            let dl = application_deadlines(app.kind, app.filed_at, hours, &calendar);
            app.registered_on = dl.registered;
            app.forward_by = dl.forward_by;
            app.decision_by = dl.decision_by;
            app.commission_by = app
                .forwarded_on
                .map(|d| deadline::deadline(&calendar, Step::CommissionDecision, d).value);
            app.next_deadline = next_deadline(&app);
            stored::write_deadlines(tx, &app)?;
            if app.next_deadline != old_next {
                moved.push(Moved {
                    application_id: id,
                    number: app.number,
                    old_next,
                    new_next: app.next_deadline,
                });
            }
        }
        audit(
            tx,
            session,
            now,
            "set_calendar_year",
            &format!("calendar:{}", data.year),
            &format!(
                "Kurban Ait {:?}, {} days off, {} working days; {} deadlines moved",
                data.kurban_ait,
                data.days_off.len(),
                data.working_days.len(),
                moved.len()
            ),
        )?;
        Ok(moved)
    })
}
