//! The body's requisites: one row (`body`, id 1) with the names, the signatory, working hours,
//! numbering and the print folder.

use super::db::args;
use chrono::{NaiveDateTime, NaiveTime};

use super::rows::fmt_time;
use super::{StoreError, Tx};
use crate::domain::deadline::WorkingHours;

/// The body's requisites (SPEC §1, §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub name_ru: String,
    pub name_kk: String,
    pub region: String,
    pub signatory_name: String,
    pub signatory_position: String,
    pub hours: WorkingHours,
    /// `{seq}`/`{seq:0N}` and `{year}`, e.g. `{seq:05}/{year}`.
    pub number_pattern: String,
    /// The sequence starts again each year.
    pub number_per_year: bool,
    /// The first number, for a body that continues from paper.
    pub number_start: u32,
    pub idle_lock_minutes: u32,
    pub print_folder: Option<String>,
    /// Where the body publishes the verification page (issue 19), without the scheme:
    /// `akimat.kz/spravka`. Set, the QR codes are links to it; `None` keeps the bare code.
    pub verify_address: Option<String>,
}

impl Body {
    /// A body with the defaults of SPEC §3 and §6 for the given names.
    pub fn new(
        name_ru: &str,
        name_kk: &str,
        region: &str,
        signatory_name: &str,
        signatory_position: &str,
    ) -> Self {
        Self {
            name_ru: name_ru.into(),
            name_kk: name_kk.into(),
            region: region.into(),
            signatory_name: signatory_name.into(),
            signatory_position: signatory_position.into(),
            hours: WorkingHours::default(),
            number_pattern: "{seq:05}/{year}".into(),
            number_per_year: true,
            number_start: 1,
            idle_lock_minutes: 15,
            print_folder: None,
            verify_address: None,
        }
    }
}

/// Writes the requisites (one row, created at set-up).
pub fn write(tx: &Tx<'_>, body: &Body, now: NaiveDateTime) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO body (id, name_ru, name_kk, region, signatory_name, signatory_position, work_start, work_end,
                           number_pattern, number_per_year, number_start, idle_lock_minutes, print_folder, updated_at, verify_address)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
         ON CONFLICT (id) DO UPDATE SET name_ru = excluded.name_ru, name_kk = excluded.name_kk, region = excluded.region,
             signatory_name = excluded.signatory_name, signatory_position = excluded.signatory_position,
             work_start = excluded.work_start, work_end = excluded.work_end, number_pattern = excluded.number_pattern,
             number_per_year = excluded.number_per_year, number_start = excluded.number_start,
             idle_lock_minutes = excluded.idle_lock_minutes, print_folder = excluded.print_folder, updated_at = excluded.updated_at,
             verify_address = excluded.verify_address",
        args![
            body.name_ru.trim(),
            body.name_kk.trim(),
            body.region.trim(),
            body.signatory_name.trim(),
            body.signatory_position.trim(),
            body.hours.start.format("%H:%M").to_string(),
            body.hours.end.format("%H:%M").to_string(),
            body.number_pattern,
            body.number_per_year,
            body.number_start,
            body.idle_lock_minutes,
            body.print_folder,
            fmt_time(now),
            body.verify_address,
        ],
    )?;
    Ok(())
}

/// The body's requisites, if set up.
pub fn load(tx: &Tx<'_>) -> Result<Option<Body>, StoreError> {
    let row = tx.query_opt(
            "SELECT name_ru, name_kk, region, signatory_name, signatory_position, work_start, work_end,
                    number_pattern, number_per_year, number_start, idle_lock_minutes, print_folder, verify_address FROM body WHERE id = 1",
            args![],
            |r| {
                Ok((
                    Body {
                        name_ru: r.get(0)?,
                        name_kk: r.get(1)?,
                        region: r.get(2)?,
                        signatory_name: r.get(3)?,
                        signatory_position: r.get(4)?,
                        hours: WorkingHours::default(),
                        number_pattern: r.get(7)?,
                        number_per_year: r.get(8)?,
                        number_start: r.get(9)?,
                        idle_lock_minutes: r.get(10)?,
                        print_folder: r.get(11)?,
                        verify_address: r.get(12)?,
                    },
                    r.get::<String>(5)?,
                    r.get::<String>(6)?,
                ))
            },
        )?;
    let Some((mut body, start, end)) = row else {
        return Ok(None);
    };
    let parse = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").ok();
    if let (Some(start), Some(end)) = (parse(&start), parse(&end)) {
        body.hours = WorkingHours { start, end };
    }
    Ok(Some(body))
}

/// The body's working hours, or the default of SPEC §3 before set-up.
pub fn working_hours(tx: &Tx<'_>) -> Result<WorkingHours, StoreError> {
    Ok(load(tx)?.map_or_else(WorkingHours::default, |b| b.hours))
}

/// Whether the requisites have been written (the database is set up).
pub fn exists(tx: &Tx<'_>) -> Result<bool, StoreError> {
    let count: i64 = tx.query_row("SELECT count(*) FROM body", args![], |r| r.get(0))?;
    Ok(count > 0)
}
