//! The fields of an application (Appendix 1, SPEC §2) and their validation, before saving.
//!
//! Validation returns every problem at once, each tied to its field, so that the form can show
//! it next to the field in the user's language and keep everything that was typed.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::documents::{ReissueReason, employer_required};
use super::ident::{self, IdError};
use super::kind::ApplicationKind;

/// How the application arrived (SPEC §2, A2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The e-government portal egov.kz.
    Egov,
    Elicense,
    /// The migration portal migration.enbek.kz.
    Migration,
    Paper,
}

impl Channel {
    pub const ALL: [Self; 4] = [Self::Egov, Self::Elicense, Self::Migration, Self::Paper];

    pub fn code(self) -> &'static str {
        match self {
            Self::Egov => "egov",
            Self::Elicense => "elicense",
            Self::Migration => "migration",
            Self::Paper => "paper",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// A2.10.2: filing through a portal needs an IIN (for the digital signature).
    pub fn needs_iin(self) -> bool {
        self != Self::Paper
    }
}

/// The applicant (R§3, Appendix 1, SPEC §2). Empty strings are absent values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantInput {
    pub surname: String,
    pub given_name: String,
    pub patronymic: String,
    /// Empty with `stateless` set for a stateless person.
    pub citizenship: String,
    pub stateless: bool,
    pub birth_date: Option<NaiveDate>,
    pub iin: String,
    pub doc_type: String,
    pub doc_series: String,
    pub doc_number: String,
    pub doc_issued_on: Option<NaiveDate>,
    pub doc_issued_by: String,
    pub address: String,
    pub phone: String,
    pub fax: String,
    pub residence_abroad: String,
    pub residence_phone: String,
    pub email: String,
    pub representative_name: String,
    pub representative_poa: String,
}

/// The application itself (Appendix 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationInput {
    pub kind: ApplicationKind,
    pub reissue_reason: Option<ReissueReason>,
    /// The chosen entry of the priority list (R§8), by its stored id.
    pub profession_id: Option<i64>,
    /// The certificate an extension, reissue or duplicate concerns.
    pub certificate_id: Option<i64>,
    pub employer_name: String,
    pub employer_id: String,
    pub contract_end: Option<NaiveDate>,
    /// Consent to the processing of personal data (Appendix 1; Law No. 94-V).
    pub consent: bool,
    pub channel: Channel,
    pub filed_at: NaiveDateTime,
}

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Surname,
    GivenName,
    Citizenship,
    BirthDate,
    Iin,
    DocType,
    DocNumber,
    DocIssuedOn,
    Email,
    RepresentativePoa,
    Profession,
    ReissueReason,
    Certificate,
    EmployerName,
    EmployerId,
    ContractEnd,
    Consent,
    FiledAt,
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    InvalidId(IdError),
    /// The IIN's birth date differs from the date of birth entered.
    IinBirthDateMismatch,
    NotAnEmail,
    InTheFuture,
    BeforeBirth,
    /// Without consent the application cannot be saved (Appendix 1).
    ConsentMissing,
    /// Not an entry of the list the field is chosen from (citizenship: the countries).
    NotInList,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = format!("{:?}", self.field);
        match self.problem {
            Problem::Required => write!(f, "{field}: required"),
            Problem::InvalidId(e) => write!(f, "{field}: {e}"),
            Problem::IinBirthDateMismatch => {
                write!(f, "{field}: the IIN encodes another date of birth")
            }
            Problem::NotAnEmail => write!(f, "{field}: not an e-mail address"),
            Problem::InTheFuture => write!(f, "{field}: in the future"),
            Problem::BeforeBirth => write!(f, "{field}: before the date of birth"),
            Problem::NotInList => write!(f, "{field}: not in the list"),
            Problem::ConsentMissing => {
                write!(
                    f,
                    "{field}: without consent to the processing of personal data the application cannot be saved"
                )
            }
        }
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl ApplicantInput {
    /// Every problem of the applicant's fields, for a filing by `channel` on `today`.
    pub fn validate(&self, channel: Channel, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field, problem| errors.push(FieldError { field, problem });
        if blank(&self.surname) {
            push(Field::Surname, Problem::Required);
        }
        if blank(&self.given_name) {
            push(Field::GivenName, Problem::Required);
        }
        if blank(&self.citizenship) && !self.stateless {
            push(Field::Citizenship, Problem::Required);
        }
        match self.birth_date {
            None => push(Field::BirthDate, Problem::Required),
            Some(birth) if birth > today => push(Field::BirthDate, Problem::InTheFuture),
            Some(_) => {}
        }
        if blank(&self.iin) {
            if channel.needs_iin() {
                push(Field::Iin, Problem::Required); // A2.10.2
            }
        } else {
            match ident::parse_iin(self.iin.trim()) {
                Err(e) => push(Field::Iin, Problem::InvalidId(e)),
                Ok(iin) if self.birth_date.is_some_and(|b| b != iin.birth_date) => {
                    push(Field::Iin, Problem::IinBirthDateMismatch);
                }
                Ok(_) => {}
            }
        }
        if blank(&self.doc_type) {
            push(Field::DocType, Problem::Required);
        }
        if blank(&self.doc_number) {
            push(Field::DocNumber, Problem::Required);
        }
        if let Some(issued) = self.doc_issued_on {
            if issued > today {
                push(Field::DocIssuedOn, Problem::InTheFuture);
            } else if self.birth_date.is_some_and(|b| issued < b) {
                push(Field::DocIssuedOn, Problem::BeforeBirth);
            }
        }
        let email = self.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            push(Field::Email, Problem::NotAnEmail);
        }
        if !blank(&self.representative_name) && blank(&self.representative_poa) {
            push(Field::RepresentativePoa, Problem::Required);
        }
        errors
    }
}

/// One `@` with text on both sides and a dot in the domain: enough to catch a typo without
/// refusing an unusual but real address.
fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    }
}

impl ApplicationInput {
    /// Every problem of the application's fields at `now`.
    pub fn validate(&self, now: NaiveDateTime) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut push = |field, problem| errors.push(FieldError { field, problem });
        if !self.consent {
            push(Field::Consent, Problem::ConsentMissing); // Appendix 1
        }
        if self.profession_id.is_none() {
            push(Field::Profession, Problem::Required); // R§8
        }
        if self.kind == ApplicationKind::Reissue && self.reissue_reason.is_none() {
            push(Field::ReissueReason, Problem::Required); // R§22
        }
        if self.kind != ApplicationKind::Issue && self.certificate_id.is_none() {
            push(Field::Certificate, Problem::Required); // R§16, R§22, R§22-1
        }
        if employer_required(self.kind, self.reissue_reason) {
            if blank(&self.employer_name) {
                push(Field::EmployerName, Problem::Required);
            }
            if blank(&self.employer_id) {
                push(Field::EmployerId, Problem::Required);
            }
        }
        if !blank(&self.employer_id)
            && let Err(e) = ident::check_bin_or_iin(self.employer_id.trim())
        {
            push(Field::EmployerId, Problem::InvalidId(e));
        }
        if self.kind == ApplicationKind::Extend && self.contract_end.is_none() {
            push(Field::ContractEnd, Problem::Required); // R§16
        }
        if self.filed_at > now {
            push(Field::FiledAt, Problem::InTheFuture);
        }
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::d;
    use super::*;

    fn applicant() -> ApplicantInput {
        ApplicantInput {
            surname: "Қасымов".into(),
            given_name: "Ержан".into(),
            citizenship: "Узбекистан".into(),
            birth_date: Some(d("1987-10-08")),
            iin: "871008401427".into(),
            doc_type: "паспорт".into(),
            doc_number: "FA1234567".into(),
            ..ApplicantInput::default()
        }
    }

    fn application(kind: ApplicationKind) -> ApplicationInput {
        ApplicationInput {
            kind,
            reissue_reason: None,
            profession_id: Some(1),
            certificate_id: None,
            employer_name: String::new(),
            employer_id: String::new(),
            contract_end: None,
            consent: true,
            channel: Channel::Egov,
            filed_at: d("2026-11-20").and_hms_opt(10, 0, 0).unwrap_or_default(),
        }
    }

    fn now() -> NaiveDateTime {
        d("2026-11-22").and_hms_opt(12, 0, 0).unwrap_or_default()
    }

    #[test]
    fn a_complete_applicant_passes() {
        assert_eq!(applicant().validate(Channel::Egov, d("2026-11-22")), vec![]);
    }

    #[test]
    fn iin_required_for_portals_and_checked() {
        // A2.10.2: a portal filing needs an IIN; SPEC §8: the check digit.
        let mut a = applicant();
        a.iin = String::new();
        assert_eq!(a.validate(Channel::Paper, d("2026-11-22")), vec![]);
        assert_eq!(
            a.validate(Channel::Egov, d("2026-11-22")),
            vec![FieldError {
                field: Field::Iin,
                problem: Problem::Required
            }]
        );
        a.iin = "871008401428".into();
        let errors = a.validate(Channel::Egov, d("2026-11-22"));
        assert_eq!(errors.len(), 1);
        assert!(matches!(errors[0].problem, Problem::InvalidId(_)));
        a.iin = "760212350620".into();
        assert_eq!(
            a.validate(Channel::Egov, d("2026-11-22"))[0].problem,
            Problem::IinBirthDateMismatch
        );
    }

    #[test]
    fn consent_is_required() {
        // Appendix 1: without consent the application cannot be saved.
        let mut app = application(ApplicationKind::Issue);
        app.consent = false;
        assert_eq!(
            app.validate(now()),
            vec![FieldError {
                field: Field::Consent,
                problem: Problem::ConsentMissing
            }]
        );
    }

    #[test]
    fn extension_needs_employer_contract_and_certificate() {
        // Appendix 1 and R§16: employer with BIN/IIN, the contract's end, the certificate.
        let app = application(ApplicationKind::Extend);
        let fields: Vec<Field> = app.validate(now()).iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Certificate,
                Field::EmployerName,
                Field::EmployerId,
                Field::ContractEnd
            ]
        );
        let mut bad_bin = application(ApplicationKind::Issue);
        bad_bin.employer_id = "940140000386".into();
        assert_eq!(bad_bin.validate(now())[0].field, Field::EmployerId);
    }

    #[test]
    fn everything_wrong_is_reported_at_once() {
        let empty = ApplicantInput::default();
        let fields: Vec<Field> = empty
            .validate(Channel::Egov, d("2026-11-22"))
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                Field::Surname,
                Field::GivenName,
                Field::Citizenship,
                Field::BirthDate,
                Field::Iin,
                Field::DocType,
                Field::DocNumber
            ]
        );
        let mut future = application(ApplicationKind::Issue);
        future.filed_at = d("2026-11-23").and_hms_opt(9, 0, 0).unwrap_or_default();
        assert_eq!(future.validate(now())[0].problem, Problem::InTheFuture);
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("a.b@mail.kz"));
        assert!(!looks_like_email("a.b@mail"));
        assert!(!looks_like_email("@mail.kz"));
        assert!(!looks_like_email("a@b@mail.kz"));
    }
}
