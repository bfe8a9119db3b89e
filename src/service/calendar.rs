//! The working calendar as data (SPEC §3): the administrator sets a year's Kurban Ait and the
//! decree's transfers, and the deadlines of open applications are recomputed.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::params;

use super::applications::{load_application, next_deadline};
use super::{Result, RuleError, Session, legacy_audit, write_tx};
use crate::domain::calendar::YearData;
use crate::domain::deadline::{self, Step, application_deadlines};
use crate::domain::roles::Action;
use crate::store::{Store, reference};

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
    let tx = write_tx(store.conn_mut())?;
    tx.execute(
        "INSERT INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'admin')
         ON CONFLICT (year) DO UPDATE SET kurban_ait = excluded.kurban_ait, kurban_ait_expected = excluded.kurban_ait_expected, source = 'admin'",
        params![data.year, data.kurban_ait.map(|d| d.to_string()), data.kurban_ait_expected],
    )?;
    tx.execute(
        "DELETE FROM calendar_overrides WHERE date >= ?1 AND date <= ?2",
        params![
            format!("{}-01-01", data.year),
            format!("{}-12-31", data.year)
        ],
    )?;
    for (entries, working) in [(&data.days_off, false), (&data.working_days, true)] {
        for entry in entries {
            tx.execute(
                "INSERT OR REPLACE INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'admin')",
                params![entry.date.to_string(), working, entry.note],
            )?;
        }
    }
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
    let hours = super::setup::working_hours(&tx)?;
    let open: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT id FROM applications WHERE status NOT IN ('issued', 'refused', 'withdrawn')",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut moved = Vec::new();
    for id in open {
        let mut app = load_application(&tx, id)?;
        let old_next = app.next_deadline;
        let dl = application_deadlines(app.kind, app.filed_at, hours, &calendar);
        app.registered_on = dl.registered;
        app.forward_by = dl.forward_by;
        app.decision_by = dl.decision_by;
        app.commission_by = app
            .forwarded_on
            .map(|d| deadline::deadline(&calendar, Step::CommissionDecision, d).value);
        app.next_deadline = next_deadline(&app);
        tx.execute(
            "UPDATE applications SET registered_on = ?2, forward_by = ?3, decision_by = ?4, commission_by = ?5, next_deadline = ?6 WHERE id = ?1",
            params![
                id,
                app.registered_on.to_string(),
                app.forward_by.map(|d| d.to_string()),
                app.decision_by.to_string(),
                app.commission_by.map(|d| d.to_string()),
                app.next_deadline.map(|d| d.to_string())
            ],
        )?;
        if app.next_deadline != old_next {
            moved.push(Moved {
                application_id: id,
                number: app.number,
                old_next,
                new_next: app.next_deadline,
            });
        }
    }
    legacy_audit(
        &tx,
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
    tx.commit()?;
    Ok(moved)
}
