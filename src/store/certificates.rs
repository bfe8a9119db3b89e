//! Certificates (Appendix 3): the `certificates` table, their numbers, events and printed copies.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::rows::{date, unknown};
use super::{StoreError, Tx};
use crate::domain::status::CertificateStatus;

/// A certificate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRecord {
    pub id: i64,
    pub number: String,
    pub application_id: i64,
    pub applicant_id: i64,
    pub profession_id: i64,
    pub issued_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub basis: String,
    pub status: CertificateStatus,
    pub supersedes: Option<i64>,
    pub superseded_by: Option<i64>,
    pub duplicate_of: Option<i64>,
}

/// Reads a certificate.
pub fn load(tx: &Tx<'_>, id: i64) -> Result<CertificateRecord, StoreError> {
    let row = tx
        .sqlite()
        .query_row(
            "SELECT id, number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis, status,
                    supersedes, superseded_by, duplicate_of FROM certificates WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    (r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, i64>(4)?),
                    (r.get::<_, String>(5)?, r.get::<_, String>(6)?, r.get::<_, String>(7)?, r.get::<_, String>(8)?, r.get::<_, String>(9)?),
                    (r.get::<_, Option<i64>>(10)?, r.get::<_, Option<i64>>(11)?, r.get::<_, Option<i64>>(12)?),
                ))
            },
        )
        .optional()?;
    let Some((
        (id, number, application_id, applicant_id, profession_id),
        (issued, from, to, basis, status),
        (supersedes, superseded_by, duplicate_of),
    )) = row
    else {
        return Err(StoreError::NotFound {
            what: "certificate",
            id: id.to_string(),
        });
    };
    Ok(CertificateRecord {
        id,
        number,
        application_id,
        applicant_id,
        profession_id,
        issued_on: date(&issued)?,
        valid_from: date(&from)?,
        valid_to: date(&to)?,
        basis,
        status: CertificateStatus::from_code(&status)
            .ok_or_else(|| unknown("certificate status", &status))?,
        supersedes,
        superseded_by,
        duplicate_of,
    })
}
