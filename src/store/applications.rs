//! Applications: the `applications` table, its typed record, registration, edits and status
//! changes with their version; and what an opened application shows of the commission's and
//! the akimat's work on it (their repositories' reads of scores, recommendations and decisions,
//! and the ids in `certificates`).

use super::db::{Row, args};
use chrono::{NaiveDate, NaiveDateTime};

use super::commission::{self, Recommendation};
use super::rows::{
    application_kind, application_status, date, fmt_time, non_empty, opt_date, time, unknown,
};
use super::{StoreError, Tx, decisions};
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

fn raw_application(r: &Row<'_>) -> Result<RawApplication, StoreError> {
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
            r.get::<Option<String>>(21)?.unwrap_or_default(),
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
        kind: application_kind(&kind)?,
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
        status: application_status(&status)?,
        row_version,
        updated_by,
        updated_at: time(&updated_at)?,
    })
}

/// Reads an application (without auditing: the service records openings).
pub fn load(tx: &Tx<'_>, id: i64) -> Result<ApplicationRecord, StoreError> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM applications a LEFT JOIN users u ON u.id = a.updated_by WHERE a.id = ?1"
    );
    let raw = tx.query_opt(&sql, args![id], raw_application)?;
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
    tx.execute(
        "UPDATE applications SET status = ?2, next_deadline = ?3, closed_on = coalesce(?4, closed_on), forwarded_on = ?5,
                commission_by = ?6, row_version = row_version + 1, updated_by = ?7, updated_at = ?8 WHERE id = ?1",
        args![
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

/// A new application, as registration computed it. Registration leaves `forwarded_on`,
/// `commission_by` and `closed_on` empty; the demo data set stores applications already
/// forwarded or decided with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
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
    pub next_deadline: Option<NaiveDate>,
    pub status: ApplicationStatus,
    /// The day it went to the commission (R§7), if it has.
    pub forwarded_on: Option<NaiveDate>,
    /// The commission's deadline, once forwarded.
    pub commission_by: Option<NaiveDate>,
    /// The day it was closed (issued, refused or withdrawn), if it is.
    pub closed_on: Option<NaiveDate>,
}

/// The number a row carries between its insert and [`insert`]'s update (never committed).
const NUMBER_PENDING: &str = "pending";

/// Stores a new application at version 1 and gives it the number `number_of` makes of its id
/// (in the same transaction: the number exists once the id does). Returns id and number.
pub fn insert(
    tx: &Tx<'_>,
    new: &NewApplication,
    user_id: i64,
    now: NaiveDateTime,
    number_of: impl FnOnce(i64) -> String,
) -> Result<(i64, String), StoreError> {
    let id: i64 = tx.query_row("INSERT INTO applications (number, applicant_id, kind, reissue_reason, profession_id, certificate_id, employer_name,
                 employer_id, contract_end, consent, channel, filed_at, registered_on, forward_by, decision_by, forwarded_on,
                 commission_by, next_deadline, status, closed_on, row_version, created_by, created_at, updated_by, updated_at,
                 citizenship)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 1, ?21, ?22, ?21, ?22,
                     (SELECT p.citizenship FROM applicants p WHERE p.id = ?2))
             RETURNING id", args![
                NUMBER_PENDING,
                new.applicant_id,
                new.kind.code(),
                new.reissue_reason.map(reissue_code),
                new.profession_id,
                new.certificate_id,
                non_empty(&new.employer_name),
                non_empty(&new.employer_id),
                new.contract_end.map(|d| d.to_string()),
                new.consent,
                new.channel.code(),
                fmt_time(new.filed_at),
                new.registered_on.to_string(),
                new.forward_by.map(|d| d.to_string()),
                new.decision_by.to_string(),
                new.forwarded_on.map(|d| d.to_string()),
                new.commission_by.map(|d| d.to_string()),
                new.next_deadline.map(|d| d.to_string()),
                new.status.code(),
                new.closed_on.map(|d| d.to_string()),
                user_id,
                fmt_time(now),
            ],
            |r| r.get(0),)?;
    let number = number_of(id);
    tx.execute(
        "UPDATE applications SET number = ?2 WHERE id = ?1",
        args![id, number],
    )?;
    Ok((id, number))
}

/// What an edit of an application may change (the kind and the applicant stay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationChange {
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
    pub next_deadline: Option<NaiveDate>,
}

/// Writes an edit if the application is still at `expected_version`, and raises the version;
/// otherwise [`StoreError::Conflict`] with who changed it and when.
pub fn update(
    tx: &Tx<'_>,
    id: i64,
    expected_version: i64,
    change: &ApplicationChange,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE applications SET reissue_reason = ?3, profession_id = ?4, certificate_id = ?5, employer_name = ?6, employer_id = ?7,
             contract_end = ?8, consent = ?9, channel = ?10, filed_at = ?11, registered_on = ?12, forward_by = ?13,
             decision_by = ?14, next_deadline = ?15, row_version = row_version + 1, updated_by = ?16, updated_at = ?17,
             citizenship = (SELECT p.citizenship FROM applicants p WHERE p.id = applications.applicant_id)
         WHERE id = ?1 AND row_version = ?2",
        args![
            id,
            expected_version,
            change.reissue_reason.map(reissue_code),
            change.profession_id,
            change.certificate_id,
            non_empty(&change.employer_name),
            non_empty(&change.employer_id),
            change.contract_end.map(|d| d.to_string()),
            change.consent,
            change.channel.code(),
            fmt_time(change.filed_at),
            change.registered_on.to_string(),
            change.forward_by.map(|d| d.to_string()),
            change.decision_by.to_string(),
            change.next_deadline.map(|d| d.to_string()),
            user_id,
            fmt_time(now),
        ],
    )?;
    if changed == 0 {
        return Err(super::conflict(tx, "applications", id));
    }
    Ok(())
}

/// Records that an application changed (its checklist) without a change of status: a new
/// version, by whom and when.
pub fn touch(tx: &Tx<'_>, id: i64, user_id: i64, now: NaiveDateTime) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE applications SET row_version = row_version + 1, updated_by = ?2, updated_at = ?3 WHERE id = ?1",
        args![id, user_id, fmt_time(now)],
    )?;
    Ok(())
}

/// The recommendation and the decision on an application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub score_total: Option<i64>,
    pub recommendation: Option<(String, Option<u8>, String)>,
    pub decision: Option<(String, Option<u8>, String, String)>,
}

/// The newest score, the commission's recommendation and the akimat's decision, as stored
/// (read through their own repositories).
pub fn outcome(tx: &Tx<'_>, id: i64) -> Result<Outcome, StoreError> {
    let score_total = commission::latest_score(tx, id)?.map(|s| i64::from(s.total));
    let recommendation = commission::recommendation(tx, id)?.map(|r| match r.recommendation {
        Recommendation::Issue => (
            decisions::Outcome::Issue.code().to_string(),
            None,
            String::new(),
        ),
        Recommendation::Refuse { ground, motivation } => (
            decisions::Outcome::Refuse.code().to_string(),
            Some(ground.number()),
            motivation,
        ),
    });
    let decision = decisions::of_application(tx, id)?.map(|d| {
        (
            d.outcome.code().to_string(),
            d.ground,
            d.motivation,
            d.decided_on.to_string(),
        )
    });
    Ok(Outcome {
        score_total,
        recommendation,
        decision,
    })
}

/// The ids of the certificates issued on this application or to its applicant, oldest first.
pub fn certificate_ids(
    tx: &Tx<'_>,
    application_id: i64,
    applicant_id: i64,
) -> Result<Vec<i64>, StoreError> {
    let ids = tx.query_map(
        "SELECT id FROM certificates WHERE application_id = ?1 OR applicant_id = ?2 ORDER BY id",
        args![application_id, applicant_id],
        |r| r.get(0),
    )?;
    Ok(ids)
}
