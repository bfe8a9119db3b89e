//! The use cases. Each function checks the user's role, validates through `domain`, writes in one
//! transaction together with its audit row, and returns a typed error. The GUI and the CLI call
//! these and nothing below them.

/// The store's engine-neutral error, which [`ServiceError::Store`] carries to the screens.
pub use crate::store::StoreError;

pub mod applications;
pub mod audit_log;
pub mod calendar;
pub mod certificates;
pub mod commission;
pub mod complaints;
pub mod eds;
pub mod exchange;
pub mod keys;
mod lifecycle;
pub mod lists;
pub mod lookup;
pub mod maintenance;
pub mod printing;
pub mod reference_lists;
pub(crate) mod report_xlsx;
pub mod reports;
pub mod setup;
pub mod verifier;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::documents::DocumentType;
use crate::domain::forms::{FREE_TEXT, FieldError, Problem};
use crate::domain::roles::{Action, Role};
use crate::domain::status::TransitionError;
use crate::store::reference::{self, ProfessionRow};
use crate::store::{Tx, audit};

/// "Now", injected so that tests can fix it.
pub trait Clock {
    fn now(&self) -> NaiveDateTime;
}

/// The computer's local time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        chrono::Local::now().naive_local()
    }
}

/// A clock that says what it is told.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub NaiveDateTime);

impl Clock for FixedClock {
    fn now(&self) -> NaiveDateTime {
        self.0
    }
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// The administrator set a temporary password: the window asks for a new one before
    /// anything else.
    pub must_change_password: bool,
    /// A signatory's QR signing key, opened at sign-in with their password ([`keys`]).
    pub signing_key: Option<keys::SessionKey>,
}

impl Session {
    pub fn may(&self, action: Action) -> bool {
        self.roles.iter().any(|r| r.may(action))
    }

    pub fn require(&self, action: Action) -> Result<(), ServiceError> {
        if self.may(action) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(action))
        }
    }
}

/// A rule of the order or of the service that the request breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("a refusal needs a ground of A2.9 and a written motivation (R§9, R§12)")]
    MotivationRequired,
    #[error("the act is dated {date}, after today (R§21)")]
    ActInFuture { date: chrono::NaiveDate },
    #[error("the act is dated before the certificate was issued on {issued_on} (R§21)")]
    ActBeforeIssue { issued_on: chrono::NaiveDate },
    #[error("a revocation needs its grounds written out (R§21)")]
    GroundsRequired,
    #[error("the commission recommended on {held_on}: the decision cannot be dated before (R§11)")]
    DecisionBeforeRecommendation { held_on: chrono::NaiveDate },
    #[error(
        "the certificate was issued on {issued_on}: nothing about it is filed before (R§16, R§22, R§22-1)"
    )]
    FiledBeforeCertificate { issued_on: chrono::NaiveDate },
    #[error("the last active administrator cannot lose the role or be switched off")]
    LastAdministrator,
    #[error("a work period ends on {to}, after the day it is scored (R§10)")]
    PeriodInFuture { to: chrono::NaiveDate },
    #[error("the certificate cannot be valid past {latest} (R§15, R§16)")]
    ValidToTooLate { latest: NaiveDate },
    #[error("the certificate cannot be valid before it is issued ({from})")]
    ValidToBeforeFrom { from: NaiveDate },
    #[error("documents of the checklist are missing (A2.8): {}", .0.iter().map(|d| d.code()).collect::<Vec<_>>().join(", "))]
    DocumentsMissing(Vec<DocumentType>),
    #[error("a member who declared a conflict of interest cannot score this application (R§9)")]
    Conflicted,
    #[error("the application is not on the agenda of this meeting")]
    NotOnAgenda,
    #[error("the application has no score yet (R§10)")]
    NotScored,
    #[error("the commission has not recommended on this application (R§11)")]
    NoRecommendation,
    #[error("the certificate number pattern is wrong: {0}")]
    NumberPattern(crate::domain::numbering::PatternError),
    #[error("the file is larger than {limit} bytes")]
    FileTooLarge { limit: usize },
    #[error("only PDF, JPEG and PNG files can be attached")]
    FileType,
    #[error("this document is not on the checklist of the application (A2.8)")]
    NotOnChecklist,
    #[error("the act of the control body needs its body, number and date (R§21)")]
    ActRequired,
    #[error("the certificate was issued for another applicant")]
    OtherHolder,
    #[error("the database is already set up")]
    AlreadySetUp,
    #[error("the password must have at least 8 characters")]
    WeakPassword,
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the new password is the same as the current one")]
    SamePassword,
    #[error("the username is taken")]
    UsernameTaken,
    #[error("{0:?} is required")]
    Missing(Missing),
    #[error("working hours end before they start")]
    HoursOrder,
    #[error("a member's end date is before the start date")]
    MemberDates,
    #[error("application {0} is not with the commission (R§7)")]
    NotWithCommission(String),
    #[error("certificate {number} is {status}: it is not printed again")]
    NotPrintable { number: String, status: String },
    #[error(
        "certificate {number} has no signed QR code yet: a signatory signed in with their own key prints it first"
    )]
    NoSigningKey { number: String },
    #[error("application {0} was not refused")]
    NotRefused(String),
    #[error("the body's requisites are not set up")]
    BodyNotSetUp,
    #[error("not a certificate code")]
    NotACode,
    #[error(
        "no signatory has signed the verification list yet: it is signed at a signatory's sign-in"
    )]
    NoVerifierList,
    #[error("the verification page's address: {0}")]
    VerifyAddress(crate::domain::verifier::AddressProblem),
    #[error(
        "the employment contract ends ({contract_end}) before the extension would start (R§16)"
    )]
    ContractEndsBeforeStart { contract_end: NaiveDate },
    #[error("the profession is from an earlier version of the priority list: choose it again")]
    ProfessionNotInForce,
    /// A new version of a reference list that cannot be used (SPEC §7).
    #[error(transparent)]
    List(#[from] crate::domain::list_update::ListProblem),
    /// For the command line's own inputs (import files, calendar data); the window never
    /// shows these.
    #[error("{0}")]
    Invalid(String),
    #[error("application {0} is decided or closed: its data changes only through a reissue (R§22)")]
    DecidedUseReissue(String),
    #[error("nothing was changed")]
    NothingChanged,
    #[error("{date} is not a working day")]
    NotWorkingDay { date: NaiveDate },
    #[error("the meeting has scores or recommendations: it took place")]
    MeetingHeld,
    #[error("the meeting is set for {held_on}: nothing is recorded at it before that day (R§9)")]
    MeetingNotYetHeld { held_on: NaiveDate },
    #[error(
        "application {number} was forwarded to the commission on {forwarded_on}: the meeting cannot be earlier (R§7, R§9)"
    )]
    MeetingBeforeForwarding {
        number: String,
        forwarded_on: NaiveDate,
    },
    #[error("the notice is dated {received_on}, after today (R§18, R§20)")]
    NoticeInFuture { received_on: NaiveDate },
    #[error("the notice reports a change of {event_date}, after the notice itself (R§18, R§20)")]
    NoticeBeforeEvent { event_date: NaiveDate },
    #[error(
        "the commission recommended issuing: a refusal against it must be confirmed, with its reason (R§11, R§12)"
    )]
    RefusalAgainstRecommendation,
    #[error(
        "the applicant holds certificate {certificate}: a new name or identity document is a reissue (R§22)"
    )]
    HolderUseReissue { certificate: String },
    /// A typed reason or motivation outside the limits of `domain::forms::FREE_TEXT`.
    #[error("{field:?}: {problem}")]
    Text { field: Missing, problem: Problem },
}

/// A field of a request, named when it is left empty or its text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    BodyNameRu,
    BodyNameKk,
    BodyRegion,
    BodySignatory,
    Username,
    FullName,
    MemberName,
    MemberOrganisation,
    MeetingPlace,
    SpoilReason,
    ComplaintSubject,
    ContractEnd,
    CorrectionReason,
    Motivation,
    WithdrawalReason,
    RevocationGrounds,
}

/// Checks a typed reason or motivation against the limits of free text (its length; no control
/// character but line breaks and tabs, no bidi mark).
pub(crate) fn free_text(field: Missing, text: &str) -> Result<(), RuleError> {
    match FREE_TEXT.check(text) {
        Some(problem) => Err(RuleError::Text { field, problem }),
        None => Ok(()),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("your role does not allow this ({0:?})")]
    Forbidden(Action),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("changed by {by} at {at}: reopen it and make the change again")]
    Stale { by: String, at: String },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("the profession is not in the priority list")]
    UnknownProfession,
    #[error("wrong username or password")]
    BadCredentials,
    #[error("the account is locked after repeated wrong passwords until {until}")]
    Locked { until: NaiveDateTime },
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error(transparent)]
    Store(StoreError),
    /// Signing with EDS or reading a signature (R§13).
    #[error(transparent)]
    Eds(crate::eds::EdsError),
}

impl From<StoreError> for ServiceError {
    /// A missing row and a stale version are the service's own errors; the rest stays the
    /// store's.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what, id } => Self::NotFound { what, id },
            StoreError::Conflict { by, at } => Self::Stale { by, at },
            other => Self::Store(other),
        }
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// A profession by id; a missing one is [`ServiceError::UnknownProfession`].
pub(crate) fn profession(tx: &Tx<'_>, id: i64) -> Result<ProfessionRow> {
    reference::profession(tx, id).map_err(|e| match e {
        StoreError::NotFound { .. } => ServiceError::UnknownProfession,
        other => other.into(),
    })
}

/// Records an audit row inside the transaction of the change.
pub(crate) fn audit(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    action: &str,
    record: &str,
    summary: &str,
) -> Result<()> {
    audit::append(
        tx,
        now,
        &audit::Entry {
            user_id: Some(session.user_id),
            username: &session.username,
            action,
            record,
            summary,
        },
    )?;
    Ok(())
}
