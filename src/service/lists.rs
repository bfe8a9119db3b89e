//! What the window reads once per session and keeps: the body's requisites, the working
//! calendar and hours, the scoring scheme in force. None of it is personal data, and the
//! sign-in screen shows the body's name before anyone signs in, so there is no role check.

use chrono::NaiveDate;

use super::Result;
use crate::domain::calendar::Calendar;
use crate::domain::country::Countries;
use crate::domain::deadline::WorkingHours;
use crate::domain::scoring::Scheme;
use crate::store::{Store, body, reference};

pub use crate::store::body::Body;

/// The body's requisites, if set up.
pub fn body(store: &Store) -> Result<Option<Body>> {
    Ok(store.read(body::load)?)
}

/// The body's working hours, or the default of SPEC §3 before set-up.
pub fn working_hours(store: &Store) -> Result<WorkingHours> {
    Ok(store.read(body::working_hours)?)
}

/// The working calendar as the database has it (SPEC §3).
pub fn calendar(store: &Store) -> Result<Calendar> {
    Ok(store.read(reference::calendar)?)
}

/// The scoring scheme in force on a day (R§10, SPEC §4).
pub fn scheme_on(store: &Store, day: NaiveDate) -> Result<Scheme> {
    Ok(store.read(|tx| reference::scheme_on(tx, day))?)
}

/// The countries for citizenship (ISO 3166-1 in Russian and Kazakh, SPEC §2), shipped with the
/// program and read once; none if the data cannot be read.
pub fn countries() -> &'static Countries {
    static COUNTRIES: std::sync::OnceLock<Countries> = std::sync::OnceLock::new();
    COUNTRIES.get_or_init(|| {
        crate::assets::countries().unwrap_or_else(|e| {
            log::error!("{e}");
            Countries::default()
        })
    })
}
