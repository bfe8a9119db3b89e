//! The working calendar as data (SPEC §3): `calendar_years` (a year's Kurban Ait) and
//! `calendar_overrides` (the decree's days off and working days), and the recomputed deadlines
//! of the open applications when they change. The shipped years are seeded by
//! [`super::reference::seed`].

use rusqlite::params;

use super::applications::ApplicationRecord;
use super::rows::{date, opt_date};
use super::{StoreError, Tx};
use crate::domain::calendar::{Calendar, DatedNote, YearData};

/// The per-year calendar data stored in the database.
pub fn calendar_years(tx: &Tx<'_>) -> Result<Vec<YearData>, StoreError> {
    let conn = tx.sqlite();
    let mut years: Vec<YearData> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT year, kurban_ait, kurban_ait_expected FROM calendar_years ORDER BY year",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, bool>(2)?,
        ))
    })?;
    for row in rows {
        let (year, kurban, expected) = row?;
        let mut data = YearData::empty(year);
        data.kurban_ait = opt_date(kurban.as_deref())?;
        data.kurban_ait_expected = expected;
        years.push(data);
    }
    let mut stmt =
        conn.prepare("SELECT date, working, note FROM calendar_overrides ORDER BY date")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, bool>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (day, working, note) = row?;
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
    let conn = tx.sqlite();
    conn.execute(
        "INSERT INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'admin')
         ON CONFLICT (year) DO UPDATE SET kurban_ait = excluded.kurban_ait, kurban_ait_expected = excluded.kurban_ait_expected, source = 'admin'",
        params![data.year, data.kurban_ait.map(|d| d.to_string()), data.kurban_ait_expected],
    )?;
    conn.execute(
        "DELETE FROM calendar_overrides WHERE date >= ?1 AND date <= ?2",
        params![
            format!("{}-01-01", data.year),
            format!("{}-12-31", data.year)
        ],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'admin')
         ON CONFLICT (date) DO UPDATE SET working = excluded.working, note = excluded.note, source = excluded.source",
    )?;
    for (entries, working) in [(&data.days_off, false), (&data.working_days, true)] {
        for entry in entries {
            insert.execute(params![entry.date.to_string(), working, entry.note])?;
        }
    }
    Ok(())
}

/// The ids of the applications not yet closed (issued, refused or withdrawn), whose deadlines
/// follow the calendar.
pub fn open_applications(tx: &Tx<'_>) -> Result<Vec<i64>, StoreError> {
    let mut stmt = tx.sqlite().prepare(
        "SELECT id FROM applications WHERE status NOT IN ('issued', 'refused', 'withdrawn')",
    )?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// Writes an application's deadlines recomputed for a new calendar: registration day, the
/// forwarding, commission and decision deadlines and the next one (and the R§9 deadline kept
/// with its recommendation, if one was given). The row version stays: the
/// application's content did not change.
pub fn write_deadlines(tx: &Tx<'_>, app: &ApplicationRecord) -> Result<(), StoreError> {
    tx.sqlite().execute(
        "UPDATE applications SET registered_on = ?2, forward_by = ?3, decision_by = ?4, commission_by = ?5, next_deadline = ?6 WHERE id = ?1",
        params![
            app.id,
            app.registered_on.to_string(),
            app.forward_by.map(|d| d.to_string()),
            app.decision_by.to_string(),
            app.commission_by.map(|d| d.to_string()),
            app.next_deadline.map(|d| d.to_string())
        ],
    )?;
    // A recommendation already given keeps the R§9 deadline of its application (for reports).
    tx.sqlite().execute(
        "UPDATE recommendations SET commission_by = ?2 WHERE application_id = ?1",
        params![app.id, app.commission_by.map(|d| d.to_string())],
    )?;
    Ok(())
}
