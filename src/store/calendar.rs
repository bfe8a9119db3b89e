//! The working calendar as data (SPEC §3): `calendar_years` (a year's Kurban Ait) and
//! `calendar_overrides` (the decree's days off and working days), and the recomputed deadlines
//! of the open applications when they change. The shipped years are seeded by
//! [`super::reference::seed`].

use super::db::args;

use super::applications::ApplicationRecord;
use super::rows::{date, opt_date};
use super::{StoreError, Tx};
use crate::domain::calendar::{Calendar, DatedNote, YearData};

/// The per-year calendar data stored in the database.
pub fn calendar_years(tx: &Tx<'_>) -> Result<Vec<YearData>, StoreError> {
    let mut years: Vec<YearData> = Vec::new();
    let rows = tx.query_map(
        "SELECT year, kurban_ait, kurban_ait_expected FROM calendar_years ORDER BY year",
        args![],
        |r| {
            Ok((
                r.get::<i32>(0)?,
                r.get::<Option<String>>(1)?,
                r.get::<bool>(2)?,
            ))
        },
    )?;
    for row in rows {
        let (year, kurban, expected) = row;
        let mut data = YearData::empty(year);
        data.kurban_ait = opt_date(kurban.as_deref())?;
        data.kurban_ait_expected = expected;
        years.push(data);
    }
    let rows = tx.query_map(
        "SELECT date, working, note FROM calendar_overrides ORDER BY date",
        args![],
        |r| Ok((r.get::<String>(0)?, r.get::<bool>(1)?, r.get::<String>(2)?)),
    )?;
    for row in rows {
        let (day, working, note) = row;
        let date = date(&day)?;
        let year = chrono::Datelike::year(&date);
        let index = if let Some(index) = years.iter().position(|y| y.year == year) {
            index
        } else {
            years.push(YearData::empty(year));
            years.len() - 1
        };
        let entry = DatedNote { date, note };
        if working {
            years[index].working_days.push(entry);
        } else {
            years[index].days_off.push(entry);
        }
    }
    Ok(years)
}

/// The working calendar as the database has it.
pub fn calendar(tx: &Tx<'_>) -> Result<Calendar, StoreError> {
    Ok(Calendar::new(calendar_years(tx)?))
}

/// Replaces one year's data as the administrator entered it: its Kurban Ait and every override
/// dated in that year.
pub fn write_year(tx: &Tx<'_>, data: &YearData) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'admin')
         ON CONFLICT (year) DO UPDATE SET kurban_ait = excluded.kurban_ait, kurban_ait_expected = excluded.kurban_ait_expected, source = 'admin'",
        args![data.year, data.kurban_ait.map(|d| d.to_string()), data.kurban_ait_expected],
    )?;
    tx.execute(
        "DELETE FROM calendar_overrides WHERE date >= ?1 AND date <= ?2",
        args![
            format!("{}-01-01", data.year),
            format!("{}-12-31", data.year)
        ],
    )?;
    for (entries, working) in [(&data.days_off, false), (&data.working_days, true)] {
        for entry in entries {
            tx.execute("INSERT INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'admin')
         ON CONFLICT (date) DO UPDATE SET working = excluded.working, note = excluded.note, source = excluded.source", args![entry.date.to_string(), working, entry.note])?;
        }
    }
    Ok(())
}

/// The ids of the applications not yet closed (issued, refused or withdrawn), whose deadlines
/// follow the calendar.
pub fn open_applications(tx: &Tx<'_>) -> Result<Vec<i64>, StoreError> {
    let ids = tx.query_map(
        "SELECT id FROM applications WHERE status NOT IN ('issued', 'refused', 'withdrawn')",
        args![],
        |r| r.get(0),
    )?;
    Ok(ids)
}

/// Writes an application's deadlines recomputed for a new calendar: registration day, the
/// forwarding, commission and decision deadlines and the next one (and the R§9 deadline kept
/// with its recommendation, if one was given). The row version stays: the
/// application's content did not change.
pub fn write_deadlines(tx: &Tx<'_>, app: &ApplicationRecord) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE applications SET registered_on = ?2, forward_by = ?3, decision_by = ?4, commission_by = ?5, next_deadline = ?6 WHERE id = ?1",
        args![
            app.id,
            app.registered_on.to_string(),
            app.forward_by.map(|d| d.to_string()),
            app.decision_by.to_string(),
            app.commission_by.map(|d| d.to_string()),
            app.next_deadline.map(|d| d.to_string())
        ],
    )?;
    // A recommendation already given keeps the R§9 deadline of its application (for reports).
    tx.execute(
        "UPDATE recommendations SET commission_by = ?2 WHERE application_id = ?1",
        args![app.id, app.commission_by.map(|d| d.to_string())],
    )?;
    Ok(())
}
