//! Reading stored text back into typed values: dates, times and codes as the schema keeps them.

use chrono::{NaiveDate, NaiveDateTime};

use super::StoreError;

/// The stored form of a moment: `YYYY-MM-DDTHH:MM:SS`, local time.
pub fn fmt_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub fn date(text: &str) -> Result<NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Invalid(format!("bad date '{text}'")))
}

pub fn opt_date(text: Option<&str>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(date).transpose()
}

pub fn time(text: &str) -> Result<NaiveDateTime, StoreError> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| StoreError::Invalid(format!("bad time '{text}'")))
}

/// A stored code this program does not know.
pub fn unknown(what: &str, value: &str) -> StoreError {
    StoreError::Invalid(format!("unknown {what} '{value}'"))
}

/// Text the user left blank is stored as NULL.
pub fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}
