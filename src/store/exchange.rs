//! What the exchange with other systems reads: the rows of the exported registers (applications
//! and certificates, joined with their applicant and profession) and the look-ups of an import.
//! It owns no table.

use super::db::{Row, args};
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{application_kind, application_status, certificate_status, date, time};
use super::{StoreError, Tx};
use crate::domain::kind::ApplicationKind;
use crate::domain::status::{ApplicationStatus, CertificateStatus};

/// A line of the exported register of applications (no identity numbers: SPEC §10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationExportRow {
    pub number: String,
    pub kind: ApplicationKind,
    pub status: ApplicationStatus,
    pub filed_at: NaiveDateTime,
    pub registered_on: NaiveDate,
    pub decision_by: NaiveDate,
    /// Surname, given name and patronymic.
    pub applicant: String,
    /// `None` for a stateless applicant.
    pub citizenship: Option<String>,
    pub profession: String,
    pub sector: String,
    /// Empty when none was given.
    pub employer: String,
}

/// A line of the exported register of certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateExportRow {
    pub number: String,
    pub duplicate: bool,
    pub issued_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub status: CertificateStatus,
    /// Surname, given name and patronymic.
    pub holder: String,
    pub profession: String,
    pub basis: String,
}

/// Every application in the order of registration, for the export.
pub fn applications(tx: &Tx<'_>) -> Result<Vec<ApplicationExportRow>, StoreError> {
    let raws = tx.query_map("SELECT a.number, a.kind, a.status, a.filed_at, a.registered_on, a.decision_by,
                p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), p.citizenship,
                pr.name, pr.sector, coalesce(a.employer_name, '')
         FROM applications a JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id
         ORDER BY a.id", args![], |r| {
            Ok((
                [
                    r.get::<String>(1)?,
                    r.get::<String>(2)?,
                    r.get::<String>(3)?,
                    r.get::<String>(4)?,
                    r.get::<String>(5)?,
                ],
                ApplicationExportRow {
                    number: r.get(0)?,
                    kind: ApplicationKind::Issue,
                    status: ApplicationStatus::Registered,
                    filed_at: NaiveDateTime::MIN,
                    registered_on: NaiveDate::MIN,
                    decision_by: NaiveDate::MIN,
                    applicant: r.get(6)?,
                    citizenship: r.get(7)?,
                    profession: r.get(8)?,
                    sector: r.get(9)?,
                    employer: r.get(10)?,
                },
            ))
        })?;
    raws.into_iter()
        .map(
            |([kind, status, filed_at, registered_on, decision_by], row)| {
                Ok(ApplicationExportRow {
                    kind: application_kind(&kind)?,
                    status: application_status(&status)?,
                    filed_at: time(&filed_at)?,
                    registered_on: date(&registered_on)?,
                    decision_by: date(&decision_by)?,
                    ..row
                })
            },
        )
        .collect()
}

fn raw_certificate(r: &Row<'_>) -> Result<([String; 4], CertificateExportRow), StoreError> {
    Ok((
        [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
        CertificateExportRow {
            number: r.get(0)?,
            duplicate: r.get(1)?,
            issued_on: NaiveDate::MIN,
            valid_from: NaiveDate::MIN,
            valid_to: NaiveDate::MIN,
            status: CertificateStatus::Valid,
            holder: r.get(6)?,
            profession: r.get(7)?,
            basis: r.get(8)?,
        },
    ))
}

/// Every certificate and duplicate in the order of issue, for the export.
pub fn certificates(tx: &Tx<'_>) -> Result<Vec<CertificateExportRow>, StoreError> {
    let raws = tx.query_map("SELECT c.number, c.duplicate_of IS NOT NULL, c.issued_on, c.valid_from, c.valid_to, c.status,
                p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), pr.name, c.basis
         FROM certificates c JOIN applicants p ON p.id = c.applicant_id JOIN professions pr ON pr.id = c.profession_id
         ORDER BY c.id", args![], raw_certificate)?;
    raws.into_iter()
        .map(|([issued_on, valid_from, valid_to, status], row)| {
            Ok(CertificateExportRow {
                issued_on: date(&issued_on)?,
                valid_from: date(&valid_from)?,
                valid_to: date(&valid_to)?,
                status: certificate_status(&status)?,
                ..row
            })
        })
        .collect()
}

/// Runs `f` inside a savepoint of the transaction: if `f` fails, what it wrote is undone and
/// the transaction goes on (an import checks every record, keeping none of a failed one). The
/// outer error is the savepoint's own; the inner result is `f`'s.
pub fn savepoint<T, E>(
    tx: &Tx<'_>,
    f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
) -> Result<Result<T, E>, StoreError> {
    tx.execute_batch("SAVEPOINT record")?;
    let out = f(tx);
    if out.is_ok() {
        tx.execute_batch("RELEASE record")?;
    } else {
        tx.execute_batch("ROLLBACK TO record; RELEASE record")?;
    }
    Ok(out)
}
