//! The fields of an application (Appendix 1, SPEC §2) and their validation, before saving.
//!
//! Validation returns every problem at once, each tied to its field, so that the form can show
//! it next to the field in the user's language and keep everything that was typed.
//!
//! The limits on what a text may hold live here, in one place ([`Field::text_rule`] and
//! [`FREE_TEXT`]): a length per field, and the characters no field needs — control characters
//! (C0 and C1, with NUL and ESC), the marks that turn text around (bidi overrides and isolates:
//! a `U+202E` shows «авокиС» for «Сикова») and the invisible ones (zero-width spaces and
//! joiners, the byte order mark, Hangul fillers). A name must hold a letter. The window's forms
//! and the import of a file both validate here (issue 12, item 8).

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
    Patronymic,
    Citizenship,
    BirthDate,
    Iin,
    DocType,
    DocSeries,
    DocNumber,
    DocIssuedOn,
    DocIssuedBy,
    Address,
    Phone,
    Fax,
    ResidenceAbroad,
    ResidencePhone,
    Email,
    RepresentativeName,
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
    /// Longer than the field allows, in characters.
    TooLong {
        max: usize,
    },
    /// A character no field needs, at `position` (counted in characters from 1); `code` is
    /// its code point, shown as `U+202E`.
    Hidden {
        class: Hidden,
        position: usize,
        code: u32,
    },
    /// A name without a single letter (only marks, digits or punctuation).
    NoLetter,
    /// A date that cannot be read as a day of the calendar («8 окт 1987», «31.02.2020»): said,
    /// never taken as empty.
    NotADate,
}

/// The kinds of characters refused in text fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// C0 and C1 control characters (NUL, ESC, …), DEL, and the line and paragraph
    /// separators in a one-line field.
    Control,
    /// Marks that change the direction of text: U+061C, U+200E, U+200F, U+202A–U+202E,
    /// U+2066–U+2069.
    Bidi,
    /// Characters that show nothing: U+200B–U+200D, U+2060–U+2064, U+FEFF, the soft hyphen,
    /// variation selectors, Hangul fillers and the like.
    Invisible,
}

impl Hidden {
    /// The class of `c`, if it is one of the refused characters.
    pub fn of(c: char) -> Option<Self> {
        match c {
            '\u{2028}' | '\u{2029}' => Some(Self::Control),
            c if c.is_control() => Some(Self::Control),
            '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => Some(Self::Bidi),
            '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E0FFF}' => Some(Self::Invisible),
            _ => None,
        }
    }
}

/// What a text field may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A person's name: one line, no refused character, at least one letter.
    Name,
    /// One line of anything else (numbers, addresses, the employer): no refused character.
    Line,
    /// Free text of several lines (reasons, motivations, complaints): line breaks and tabs are
    /// allowed, invisible characters pasted from a document too; other control characters
    /// and bidi marks are not.
    Paragraph,
}

/// The limit of a text field: its kind and its length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub kind: TextKind,
    pub max: usize,
}

/// Names of people (surname, given name, patronymic, the representative).
pub const NAME: TextRule = TextRule {
    kind: TextKind::Name,
    max: 100,
};
/// Numbers and codes: IIN and BIN, document series and number, phones.
pub const NUMBER: TextRule = TextRule {
    kind: TextKind::Line,
    max: 30,
};
/// Short lines: citizenship, the type of document.
pub const SHORT_LINE: TextRule = TextRule {
    kind: TextKind::Line,
    max: 100,
};
/// Longer lines: who issued the document, the power of attorney, the employer's name.
pub const LINE: TextRule = TextRule {
    kind: TextKind::Line,
    max: 200,
};
/// Addresses, here and abroad.
pub const ADDRESS: TextRule = TextRule {
    kind: TextKind::Line,
    max: 300,
};
/// An e-mail address (RFC 5321 allows 254 characters).
pub const EMAIL: TextRule = TextRule {
    kind: TextKind::Line,
    max: 254,
};
/// Reasons and motivations: of a refusal, a correction, a spoiled blank, a complaint.
pub const FREE_TEXT: TextRule = TextRule {
    kind: TextKind::Paragraph,
    max: 4000,
};

impl TextRule {
    /// The first problem of `text` under this rule: too long, then the first refused
    /// character, then (for a name that is not blank) no letter.
    pub fn check(self, text: &str) -> Option<Problem> {
        // Counting stops past the limit: a megabyte is not walked twice.
        if text.chars().take(self.max + 1).count() > self.max {
            return Some(Problem::TooLong { max: self.max });
        }
        let mut letter = false;
        for (index, c) in text.chars().enumerate() {
            let class = match Hidden::of(c) {
                Some(Hidden::Control)
                    if self.kind == TextKind::Paragraph && matches!(c, '\n' | '\r' | '\t') =>
                {
                    None
                }
                Some(Hidden::Invisible) if self.kind == TextKind::Paragraph => None,
                other => other,
            };
            if let Some(class) = class {
                return Some(Problem::Hidden {
                    class,
                    position: index + 1,
                    code: u32::from(c),
                });
            }
            letter |= c.is_alphabetic();
        }
        (self.kind == TextKind::Name && !letter && !blank(text)).then_some(Problem::NoLetter)
    }
}

impl Field {
    /// The limit of a text field; `None` for the fields that are not typed text (dates, lists,
    /// the consent).
    pub fn text_rule(self) -> Option<TextRule> {
        match self {
            Self::Surname | Self::GivenName | Self::Patronymic | Self::RepresentativeName => {
                Some(NAME)
            }
            Self::Iin
            | Self::DocSeries
            | Self::DocNumber
            | Self::Phone
            | Self::Fax
            | Self::ResidencePhone
            | Self::EmployerId => Some(NUMBER),
            Self::Citizenship | Self::DocType => Some(SHORT_LINE),
            Self::DocIssuedBy | Self::RepresentativePoa | Self::EmployerName => Some(LINE),
            Self::Address | Self::ResidenceAbroad => Some(ADDRESS),
            Self::Email => Some(EMAIL),
            Self::BirthDate
            | Self::DocIssuedOn
            | Self::Profession
            | Self::ReissueReason
            | Self::Certificate
            | Self::ContractEnd
            | Self::Consent
            | Self::FiledAt => None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => write!(f, "required"),
            Self::InvalidId(e) => write!(f, "{e}"),
            Self::IinBirthDateMismatch => write!(f, "the IIN encodes another date of birth"),
            Self::NotAnEmail => write!(f, "not an e-mail address"),
            Self::InTheFuture => write!(f, "in the future"),
            Self::BeforeBirth => write!(f, "before the date of birth"),
            Self::NotInList => write!(f, "not in the list"),
            Self::ConsentMissing => write!(
                f,
                "without consent to the processing of personal data the application cannot be saved"
            ),
            Self::TooLong { max } => write!(f, "longer than {max} characters"),
            Self::Hidden {
                class,
                position,
                code,
            } => {
                let what = match class {
                    Hidden::Control => "a control character",
                    Hidden::Bidi => "a text direction mark",
                    Hidden::Invisible => "an invisible character",
                };
                write!(f, "{what} U+{code:04X} at position {position}")
            }
            Self::NoLetter => write!(f, "has no letter"),
            Self::NotADate => write!(f, "not a date (DD.MM.YYYY)"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.field, self.problem)
    }
}

/// Every text problem of `fields`, at most one per field.
fn text_errors<'a>(fields: impl IntoIterator<Item = (Field, &'a str)>) -> Vec<FieldError> {
    fields
        .into_iter()
        .filter_map(|(field, text)| {
            let problem = field.text_rule()?.check(text)?;
            Some(FieldError { field, problem })
        })
        .collect()
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl ApplicantInput {
    /// Every problem of the applicant's fields, for a filing by `channel` on `today`.
    pub fn validate(&self, channel: Channel, today: NaiveDate) -> Vec<FieldError> {
        let mut errors = text_errors([
            (Field::Surname, self.surname.as_str()),
            (Field::GivenName, &self.given_name),
            (Field::Patronymic, &self.patronymic),
            (Field::Citizenship, &self.citizenship),
            (Field::Iin, &self.iin),
            (Field::DocType, &self.doc_type),
            (Field::DocSeries, &self.doc_series),
            (Field::DocNumber, &self.doc_number),
            (Field::DocIssuedBy, &self.doc_issued_by),
            (Field::Address, &self.address),
            (Field::Phone, &self.phone),
            (Field::Fax, &self.fax),
            (Field::ResidenceAbroad, &self.residence_abroad),
            (Field::ResidencePhone, &self.residence_phone),
            (Field::Email, &self.email),
            (Field::RepresentativeName, &self.representative_name),
            (Field::RepresentativePoa, &self.representative_poa),
        ]);
        // A field with a text problem gets no other message.
        let bad: Vec<Field> = errors.iter().map(|e| e.field).collect();
        let ok = |field| !bad.contains(&field);
        let mut push = |field, problem| {
            if ok(field) {
                errors.push(FieldError { field, problem });
            }
        };
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
        let mut errors = text_errors([
            (Field::EmployerName, self.employer_name.as_str()),
            (Field::EmployerId, &self.employer_id),
        ]);
        let bad: Vec<Field> = errors.iter().map(|e| e.field).collect();
        let ok = |field| !bad.contains(&field);
        let mut push = |field, problem| {
            if ok(field) {
                errors.push(FieldError { field, problem });
            }
        };
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
            && ok(Field::EmployerId)
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

    fn problem_of(field: Field, edit: impl FnOnce(&mut ApplicantInput)) -> Vec<Problem> {
        let mut a = applicant();
        edit(&mut a);
        a.validate(Channel::Egov, d("2026-11-22"))
            .into_iter()
            .filter(|e| e.field == field)
            .map(|e| e.problem)
            .collect()
    }

    #[test]
    fn a_megabyte_name_is_too_long() {
        // Issue 12, item 8: an import accepted a name of 1 MB; names stop at 100 characters.
        assert_eq!(
            problem_of(Field::Surname, |a| a.surname = "Я".repeat(1 << 20)),
            [Problem::TooLong { max: 100 }]
        );
        assert_eq!(
            problem_of(Field::Surname, |a| a.surname = "Я".repeat(100)),
            []
        );
        assert_eq!(
            problem_of(Field::DocNumber, |a| a.doc_number = "1".repeat(31)),
            [Problem::TooLong { max: 30 }]
        );
        assert_eq!(
            problem_of(Field::Address, |a| a.address = "а".repeat(301)),
            [Problem::TooLong { max: 300 }]
        );
        assert_eq!(
            problem_of(Field::Email, |a| a.email =
                format!("{}@mail.kz", "a".repeat(250))),
            [Problem::TooLong { max: 254 }]
        );
    }

    #[test]
    fn control_characters_are_refused_with_their_position() {
        // Issue 12, item 8: NUL and ANSI escapes were imported into names.
        assert_eq!(
            problem_of(Field::Surname, |a| a.surname = "Қас\0ымов".into()),
            [Problem::Hidden {
                class: Hidden::Control,
                position: 4,
                code: 0
            }]
        );
        assert_eq!(
            problem_of(Field::GivenName, |a| a.given_name =
                "\u{1b}[31mЕржан".into()),
            [Problem::Hidden {
                class: Hidden::Control,
                position: 1,
                code: 0x1B
            }]
        );
        // C1 (U+0085) and a line break in a one-line field.
        assert_eq!(
            problem_of(Field::Address, |a| a.address = "Алматы\u{85}".into())[0],
            Problem::Hidden {
                class: Hidden::Control,
                position: 7,
                code: 0x85
            }
        );
        assert!(matches!(
            problem_of(Field::DocNumber, |a| a.doc_number = "FA12\n34567".into())[..],
            [Problem::Hidden {
                class: Hidden::Control,
                position: 5,
                ..
            }]
        ));
    }

    #[test]
    fn bidi_marks_are_refused_in_names_and_numbers() {
        // Issue 12, item 8: U+202E turns «Сикова» into «авокиС» on screen and on paper.
        assert_eq!(
            problem_of(Field::Surname, |a| a.surname = "\u{202E}авокиС".into()),
            [Problem::Hidden {
                class: Hidden::Bidi,
                position: 1,
                code: 0x202E
            }]
        );
        for mark in [
            '\u{202A}', '\u{202D}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let problems = problem_of(Field::DocNumber, |a| {
                a.doc_number = format!("FA{mark}1234567");
            });
            assert_eq!(
                problems,
                [Problem::Hidden {
                    class: Hidden::Bidi,
                    position: 3,
                    code: u32::from(mark)
                }],
                "{:04X}",
                u32::from(mark)
            );
        }
        // The IIN is checked for hidden characters before its digits.
        assert_eq!(
            problem_of(Field::Iin, |a| a.iin = "8710084\u{202E}01427".into()),
            [Problem::Hidden {
                class: Hidden::Bidi,
                position: 8,
                code: 0x202E
            }]
        );
    }

    #[test]
    fn zero_width_characters_are_refused() {
        // Issue 12, item 8: two «Ержан» that differ by an invisible character are two people.
        for mark in ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'] {
            assert_eq!(
                problem_of(Field::GivenName, |a| a.given_name = format!("Ер{mark}жан")),
                [Problem::Hidden {
                    class: Hidden::Invisible,
                    position: 3,
                    code: u32::from(mark)
                }]
            );
        }
        let mut app = application(ApplicationKind::Issue);
        app.employer_id = "\u{FEFF}940140000385".into();
        assert!(matches!(
            app.validate(now())[..],
            [FieldError {
                field: Field::EmployerId,
                problem: Problem::Hidden {
                    class: Hidden::Invisible,
                    position: 1,
                    ..
                }
            }]
        ));
    }

    #[test]
    fn a_name_needs_a_letter() {
        // Issue 12, item 8: names made only of invisible marks were accepted.
        assert_eq!(
            problem_of(Field::Surname, |a| a.surname = "\u{0301}\u{0301}".into()),
            [Problem::NoLetter]
        );
        assert_eq!(
            problem_of(Field::Patronymic, |a| a.patronymic = "-.-".into()),
            [Problem::NoLetter]
        );
        assert_eq!(
            problem_of(Field::RepresentativeName, |a| {
                a.representative_name = "123".into();
                a.representative_poa = "№ 5".into();
            }),
            [Problem::NoLetter]
        );
        // A Hangul filler looks like a letter to Unicode but shows nothing.
        assert!(matches!(
            problem_of(Field::Surname, |a| a.surname = "\u{3164}".into())[..],
            [Problem::Hidden {
                class: Hidden::Invisible,
                ..
            }]
        ));
        // Real names of every script pass; an empty patronymic is no problem.
        for name in ["O'Connor", "Ким Ен Хо", "Әбілқайыр-Ұлы", "Müller", "李"]
        {
            assert_eq!(problem_of(Field::Surname, |a| a.surname = name.into()), []);
        }
    }

    #[test]
    fn free_text_keeps_its_line_breaks() {
        // Reasons and motivations are paragraphs: line breaks and tabs are text there.
        assert_eq!(FREE_TEXT.check("Основание:\n\tпункт 9"), None);
        assert_eq!(FREE_TEXT.check("ZWSP\u{200B} из документа"), None);
        assert!(matches!(
            FREE_TEXT.check("отказ\u{202E}"),
            Some(Problem::Hidden {
                class: Hidden::Bidi,
                position: 6,
                ..
            })
        ));
        assert_eq!(
            FREE_TEXT.check(&"а".repeat(4001)),
            Some(Problem::TooLong { max: 4000 })
        );
    }

    #[test]
    fn the_message_names_the_character_and_its_place() {
        let error = FieldError {
            field: Field::Surname,
            problem: Problem::Hidden {
                class: Hidden::Bidi,
                position: 1,
                code: 0x202E,
            },
        };
        assert_eq!(
            error.to_string(),
            "Surname: a text direction mark U+202E at position 1"
        );
    }

    #[test]
    fn emails() {
        assert!(looks_like_email("a.b@mail.kz"));
        assert!(!looks_like_email("a.b@mail"));
        assert!(!looks_like_email("@mail.kz"));
        assert!(!looks_like_email("a@b@mail.kz"));
    }
}
