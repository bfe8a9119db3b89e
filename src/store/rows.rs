//! Reading stored text back into typed values: dates, times, codes and JSON documents as the
//! schema keeps them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use crate::domain::kind::ApplicationKind;
use crate::domain::status::{ApplicationStatus, CertificateStatus};

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

/// An application's stored kind.
pub fn application_kind(code: &str) -> Result<ApplicationKind, StoreError> {
    code.parse().map_err(|_| unknown("kind", code))
}

/// An application's stored status.
pub fn application_status(code: &str) -> Result<ApplicationStatus, StoreError> {
    ApplicationStatus::from_code(code).ok_or_else(|| unknown("status", code))
}

/// A certificate's stored status.
pub fn certificate_status(code: &str) -> Result<CertificateStatus, StoreError> {
    CertificateStatus::from_code(code).ok_or_else(|| unknown("certificate status", code))
}

/// Text the user left blank is stored as NULL.
pub fn non_empty(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A value kept as a JSON document (lists, schemes, periods).
pub fn to_json(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// A stored JSON document read back.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Invalid(e.to_string()))
}
