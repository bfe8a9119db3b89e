//! Applications: the `applications` table, its typed record, status changes with their version.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, params};

use super::rows::{date, fmt_time, opt_date, time, unknown};
use super::{StoreError, Tx};
use crate::domain::documents::ReissueReason;
use crate::domain::forms::Channel;
use crate::domain::kind::ApplicationKind;
use crate::domain::status::ApplicationStatus;

/// What the store keeps of an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub id: i64,
    pub number: String,
    pub applicant_id: i64,
    pub kind: ApplicationKind,
    pub reissue_reason: Option<ReissueReason>,
    pub profession_id: i64,
    pub certificate_id: Option<i64>,
    pub employer_name: String,
    pub employer_id: String,
    pub contract_end: Option<NaiveDate>,
    pub consent: bool,
    pub channel: Channel,
    pub filed_at: NaiveDateTime,
    pub registered_on: NaiveDate,
    pub forward_by: Option<NaiveDate>,
    pub decision_by: NaiveDate,
    pub forwarded_on: Option<NaiveDate>,
    pub commission_by: Option<NaiveDate>,
    pub next_deadline: Option<NaiveDate>,
    pub status: ApplicationStatus,
    pub row_version: i64,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

const APPLICATION_COLUMNS: &str = "a.id, a.number, a.applicant_id, a.kind, a.reissue_reason, a.profession_id, a.certificate_id,
    coalesce(a.employer_name, ''), coalesce(a.employer_id, ''), a.contract_end, a.consent, a.channel, a.filed_at,
    a.registered_on, a.forward_by, a.decision_by, a.forwarded_on, a.commission_by, a.next_deadline, a.status,
    a.row_version, coalesce(u.full_name, u.username), a.updated_at";

pub(crate) fn reissue_code(reason: ReissueReason) -> &'static str {
    match reason {
        ReissueReason::NameChanged => "name_changed",
        ReissueReason::IdentityDocumentChanged => "identity_document_changed",
        ReissueReason::EmployerChanged => "employer_changed",
    }
}

fn reissue_from_code(code: &str) -> Option<ReissueReason> {
    [
        ReissueReason::NameChanged,
        ReissueReason::IdentityDocumentChanged,
        ReissueReason::EmployerChanged,
    ]
    .into_iter()
    .find(|r| reissue_code(*r) == code)
}

type RawApplication = (
    (
        i64,
        String,
        i64,
        String,
        Option<String>,
        i64,
        Option<i64>,
        String,
    ),
    (
        String,
        Option<String>,
        bool,
        String,
        String,
        String,
        Option<String>,
        String,
    ),
    (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        i64,
        String,
        String,
    ),
);

fn raw_application(r: &Row<'_>) -> rusqlite::Result<RawApplication> {
    Ok((
        (
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ),
        (
            r.get(8)?,
            r.get(9)?,
            r.get(10)?,
            r.get(11)?,
            r.get(12)?,
            r.get(13)?,
            r.get(14)?,
            r.get(15)?,
        ),
        (
            r.get(16)?,
            r.get(17)?,
            r.get(18)?,
            r.get(19)?,
            r.get(20)?,
            r.get::<_, Option<String>>(21)?.unwrap_or_default(),
            r.get(22)?,
        ),
    ))
}

fn application_from_raw(raw: RawApplication) -> Result<ApplicationRecord, StoreError> {
    let (
        (id, number, applicant_id, kind, reissue, profession_id, certificate_id, employer_name),
        second,
        third,
    ) = raw;
    let (
        employer_id,
        contract_end,
        consent,
        channel,
        filed_at,
        registered_on,
        forward_by,
        decision_by,
    ) = second;
    let (forwarded_on, commission_by, next_deadline, status, row_version, updated_by, updated_at) =
        third;
    Ok(ApplicationRecord {
        id,
        number,
        applicant_id,
        kind: kind.parse().map_err(|_| unknown("kind", &kind))?,
        reissue_reason: reissue.as_deref().and_then(reissue_from_code),
        profession_id,
        certificate_id,
        employer_name,
        employer_id,
        contract_end: opt_date(contract_end.as_deref())?,
        consent,
        channel: Channel::from_code(&channel).ok_or_else(|| unknown("channel", &channel))?,
        filed_at: time(&filed_at)?,
        registered_on: date(&registered_on)?,
        forward_by: opt_date(forward_by.as_deref())?,
        decision_by: date(&decision_by)?,
        forwarded_on: opt_date(forwarded_on.as_deref())?,
        commission_by: opt_date(commission_by.as_deref())?,
        next_deadline: opt_date(next_deadline.as_deref())?,
        status: ApplicationStatus::from_code(&status).ok_or_else(|| unknown("status", &status))?,
        row_version,
        updated_by,
        updated_at: time(&updated_at)?,
    })
}

/// Reads an application (without auditing: the service records openings).
pub fn load(tx: &Tx<'_>, id: i64) -> Result<ApplicationRecord, StoreError> {
    let conn = tx.sqlite();
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications a LEFT JOIN users u ON u.id = a.updated_by WHERE a.id = ?1"
    );
    let raw = conn.query_row(&sql, [id], raw_application).optional()?;
    let Some(raw) = raw else {
        return Err(StoreError::NotFound {
            what: "application",
            id: id.to_string(),
        });
    };
    application_from_raw(raw)
}

/// Writes an application's new status, next deadline, closing day and commission dates, and
/// raises its row version; the caller has applied the transition to `app` already.
pub fn write_status(
    tx: &Tx<'_>,
    app: &ApplicationRecord,
    closed_on: Option<NaiveDate>,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    tx.sqlite().execute(
        "UPDATE applications SET status = ?2, next_deadline = ?3, closed_on = coalesce(?4, closed_on), forwarded_on = ?5,
                commission_by = ?6, row_version = row_version + 1, updated_by = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            app.id,
            app.status.code(),
            app.next_deadline.map(|d| d.to_string()),
            closed_on.map(|d| d.to_string()),
            app.forwarded_on.map(|d| d.to_string()),
            app.commission_by.map(|d| d.to_string()),
            user_id,
            fmt_time(now),
        ],
    )?;
    Ok(())
}
