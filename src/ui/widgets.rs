//! Small widgets and the words for domain values, in the user's language.

use chrono::{Datelike, NaiveDate, Weekday};
use egui::{Response, RichText, Ui};

use super::i18n::Tr;
use super::theme::{Theme, Urgency};
use crate::domain::calendar::{Calendar, DayReason, Holiday};
use crate::domain::deadline::{Explain, Step};
use crate::domain::documents::DocumentType;
use crate::domain::forms::{Field, FieldError, Hidden, Problem};
use crate::domain::kind::ApplicationKind;
use crate::domain::status::{ApplicationStatus, CertificateStatus};
use crate::service::ServiceError;

/// `23.11.2026`, as dates are written on Kazakh forms.
pub fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Reads `23.11.2026` or `2026-11-23`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
}

pub fn kind(tr: &Tr, kind: ApplicationKind) -> &str {
    match kind {
        ApplicationKind::Issue => tr.t("kind.issue"),
        ApplicationKind::Extend => tr.t("kind.extend"),
        ApplicationKind::Reissue => tr.t("kind.reissue"),
        ApplicationKind::Duplicate => tr.t("kind.duplicate"),
    }
}

pub fn status(tr: &Tr, status: ApplicationStatus) -> &str {
    match status {
        ApplicationStatus::Registered => tr.t("status.registered"),
        ApplicationStatus::DocumentsIncomplete => tr.t("status.documents_incomplete"),
        ApplicationStatus::WithCommission => tr.t("status.with_commission"),
        ApplicationStatus::Recommended => tr.t("status.recommended"),
        ApplicationStatus::Issued => tr.t("status.issued"),
        ApplicationStatus::Refused => tr.t("status.refused"),
        ApplicationStatus::Withdrawn => tr.t("status.withdrawn"),
    }
}

pub fn certificate_status(tr: &Tr, status: CertificateStatus) -> &str {
    match status {
        CertificateStatus::Valid => tr.t("certificate.valid"),
        CertificateStatus::Expired => tr.t("certificate.expired"),
        CertificateStatus::Superseded => tr.t("certificate.superseded"),
        CertificateStatus::Revoked => tr.t("certificate.revoked"),
    }
}

/// The words of an export (CSV, XLSX) in the user's language (issue 14: raw codes under
/// Russian headers).
impl crate::service::exchange::ExportWords for Tr {
    fn header(&self, register: crate::service::exchange::Register) -> Vec<String> {
        use crate::service::exchange::Register;
        let keys: &[&str] = match register {
            Register::Applications => &[
                "export.app.number",
                "export.app.kind",
                "export.app.status",
                "export.app.filed",
                "export.app.registered",
                "export.app.decision_by",
                "export.app.applicant",
                "export.app.citizenship",
                "export.app.profession",
                "export.app.sector",
                "export.app.employer",
            ],
            Register::Certificates => &[
                "export.cert.number",
                "export.cert.issued",
                "export.cert.from",
                "export.cert.to",
                "export.cert.status",
                "export.cert.holder",
                "export.cert.profession",
                "export.cert.basis",
            ],
        };
        keys.iter().map(|k| self.t(k).to_string()).collect()
    }

    fn kind(&self, k: ApplicationKind) -> String {
        kind(self, k).to_string()
    }

    fn status(&self, s: ApplicationStatus) -> String {
        status(self, s).to_string()
    }

    fn certificate_status(&self, s: CertificateStatus) -> String {
        certificate_status(self, s).to_string()
    }

    fn stateless(&self) -> String {
        self.t("export.stateless").to_string()
    }

    fn duplicate(&self, number: &str) -> String {
        self.f("export.duplicate", &[number])
    }
}

pub fn document(tr: &Tr, doc: DocumentType) -> &str {
    match doc {
        DocumentType::Application => tr.t("doc.application"),
        DocumentType::IdentityDocument => tr.t("doc.identity_document"),
        DocumentType::EducationOrEnglishCertificate => tr.t("doc.education_or_english_certificate"),
        DocumentType::WorkActivity => tr.t("doc.work_activity"),
        DocumentType::PreviousCertificate => tr.t("doc.previous_certificate"),
        DocumentType::EmploymentContract => tr.t("doc.employment_contract"),
        DocumentType::ChangedIdentityDocument => tr.t("doc.changed_identity_document"),
    }
}

pub fn field(tr: &Tr, field: Field) -> &str {
    match field {
        Field::Surname => tr.t("field.surname"),
        Field::GivenName => tr.t("field.given_name"),
        Field::Patronymic => tr.t("field.patronymic"),
        Field::Citizenship => tr.t("field.citizenship"),
        Field::BirthDate => tr.t("field.birth_date"),
        Field::Iin => tr.t("field.iin"),
        Field::DocType => tr.t("field.doc_type"),
        Field::DocSeries => tr.t("field.doc_series"),
        Field::DocNumber => tr.t("field.doc_number"),
        Field::DocIssuedOn => tr.t("field.doc_issued_on"),
        Field::DocIssuedBy => tr.t("field.doc_issued_by"),
        Field::Address => tr.t("field.address"),
        Field::Phone => tr.t("field.phone"),
        Field::Fax => tr.t("field.fax"),
        Field::ResidenceAbroad => tr.t("field.residence_abroad"),
        Field::ResidencePhone => tr.t("field.residence_phone"),
        Field::Email => tr.t("field.email"),
        Field::RepresentativeName => tr.t("field.representative_name"),
        Field::RepresentativePoa => tr.t("field.representative_poa"),
        Field::Profession => tr.t("field.profession"),
        Field::ReissueReason => tr.t("field.reissue_reason"),
        Field::Certificate => tr.t("field.certificate"),
        Field::EmployerName => tr.t("field.employer_name"),
        Field::EmployerId => tr.t("field.employer_id"),
        Field::ContractEnd => tr.t("field.contract_end"),
        Field::Consent => tr.t("field.consent"),
        Field::FiledAt => tr.t("field.filed_at"),
    }
}

pub fn problem(tr: &Tr, problem: Problem) -> String {
    use crate::domain::ident::IdError;
    match problem {
        Problem::Required => tr.t("problem.required").into(),
        Problem::InvalidId(IdError::NotTwelveDigits) => tr.t("problem.id_not_12_digits").into(),
        Problem::InvalidId(IdError::CheckDigit | IdError::Uncomputable) => {
            tr.t("problem.id_check_digit").into()
        }
        Problem::InvalidId(IdError::BirthDate | IdError::CenturySex) => {
            tr.t("problem.iin_structure").into()
        }
        Problem::InvalidId(IdError::Month | IdError::EntityType | IdError::Unit) => {
            tr.t("problem.bin_structure").into()
        }
        Problem::IinBirthDateMismatch => tr.t("problem.iin_birth_date").into(),
        Problem::NotAnEmail => tr.t("problem.email").into(),
        Problem::InTheFuture => tr.t("problem.future").into(),
        Problem::BeforeBirth => tr.t("problem.before_birth").into(),
        Problem::ConsentMissing => tr.t("problem.consent").into(),
        Problem::NotInList => tr.t("problem.not_in_list").into(),
        Problem::TooLong { max } => tr.f("problem.too_long", &[&max.to_string()]),
        Problem::Hidden {
            class,
            position,
            code,
        } => {
            let key = match class {
                Hidden::Control => "problem.hidden_control",
                Hidden::Bidi => "problem.hidden_bidi",
                Hidden::Invisible => "problem.hidden_invisible",
            };
            tr.f(key, &[&format!("U+{code:04X}"), &position.to_string()])
        }
        Problem::NoLetter => tr.t("problem.no_letter").into(),
        Problem::NotADate => tr.t("problem.not_a_date").into(),
    }
}

pub fn field_error(tr: &Tr, error: &FieldError) -> String {
    format!("{}: {}", field(tr, error.field), problem(tr, error.problem))
}

/// A service error in the user's language.
pub fn service_error(tr: &Tr, error: &ServiceError) -> String {
    match error {
        ServiceError::Forbidden(_) => tr.t("error.forbidden").into(),
        ServiceError::Fields(errors) => errors
            .iter()
            .map(|e| field_error(tr, e))
            .collect::<Vec<_>>()
            .join("; "),
        ServiceError::Stale { by, at } => tr.f("error.stale", &[by, at]),
        ServiceError::NotFound { .. } => tr.t("error.not_found").into(),
        ServiceError::UnknownProfession => tr.t("error.unknown_profession").into(),
        ServiceError::BadCredentials => tr.t("error.bad_credentials").into(),
        ServiceError::Locked { until } => {
            tr.f("error.locked", &[&until.format("%H:%M").to_string()])
        }
        ServiceError::Transition(_) => tr.t("error.transition").into(),
        ServiceError::Rule(rule) => rule_error(tr, rule),
        ServiceError::Store(e) => store_error(tr, e),
        ServiceError::Eds(e) => eds_error(tr, e),
    }
}

/// A signing or checking error in the user's language (R§13).
pub fn eds_error(tr: &Tr, error: &crate::service::eds::EdsError) -> String {
    use crate::service::eds::EdsError as E;
    match error {
        E::NcaLayerUnreachable { url } => tr.f("eds.ncalayer_unreachable", &[url]),
        E::NcaLayerProtocol { url, .. } => {
            eprintln!("spravka: {error}");
            tr.f("eds.ncalayer_protocol", &[url])
        }
        E::Cancelled => tr.t("eds.cancelled").into(),
        E::NcaLayerRefused { code, message } => {
            tr.f("eds.ncalayer_refused", &[&format!("{code} {message}")])
        }
        E::NotLocal(url) => tr.f("eds.not_local", &[url]),
        E::KeyFile(_) => {
            eprintln!("spravka: {error}");
            tr.t("eds.key_file").into()
        }
        E::WrongPassword => tr.t("eds.wrong_password").into(),
        E::NoKey => tr.t("eds.no_key").into(),
        E::UnsupportedKey => tr.t("eds.unsupported_key").into(),
        E::Malformed(_) | E::NoSignerCertificate => {
            eprintln!("spravka: {error}");
            tr.t("eds.malformed").into()
        }
        E::SignatureMismatch => tr.t("eds.mismatch").into(),
        E::Pdf(_) => {
            eprintln!("spravka: {error}");
            tr.t("eds.pdf").into()
        }
        E::NoSignature => tr.t("eds.no_signature").into(),
        E::TrustFile(_) => {
            eprintln!("spravka: {error}");
            tr.t("eds.trust_file").into()
        }
    }
}

/// A database or file error in the user's language; the engine's own words (English) go to
/// stderr for the administrator, never onto the screen (issue 12, item 9).
fn store_error(tr: &Tr, error: &crate::service::StoreError) -> String {
    use crate::service::StoreError as E;
    use std::io::ErrorKind as K;
    match error {
        E::Busy => tr.t("error.busy").into(),
        E::NotFound { .. } => tr.t("error.not_found").into(),
        E::Conflict { by, at } => tr.f("error.stale", &[by, at]),
        E::Io(e) => {
            let key = match e.kind() {
                K::NotFound => "error.io_not_found",
                K::PermissionDenied | K::ReadOnlyFilesystem => "error.io_denied",
                K::AlreadyExists => "error.io_exists",
                K::IsADirectory => "error.io_directory",
                K::StorageFull | K::QuotaExceeded => "error.io_full",
                _ => "error.io_other",
            };
            log::error!("{e}");
            tr.t(key).into()
        }
        E::Invalid(_) | E::Backend(_) | E::Assets(_) => {
            log::error!("{error}");
            tr.t("error.store").into()
        }
    }
}

/// Every rule error in the user's language (no wildcard: a new rule error must get its words).
fn rule_error(tr: &Tr, rule: &crate::service::RuleError) -> String {
    use crate::service::RuleError as R;
    match rule {
        R::MotivationRequired => tr.t("rule.motivation").into(),
        R::ActInFuture { date: d } => tr.f("rule.act_in_future", &[&date(*d)]),
        R::ActBeforeIssue { issued_on } => tr.f("rule.act_before_issue", &[&date(*issued_on)]),
        R::GroundsRequired => tr.t("rule.grounds_required").into(),
        R::FiledBeforeCertificate { issued_on } => {
            tr.f("rule.filed_before_certificate", &[&date(*issued_on)])
        }
        R::DecisionBeforeRecommendation { held_on } => {
            tr.f("rule.decision_before_recommendation", &[&date(*held_on)])
        }
        R::LastAdministrator => tr.t("rule.last_admin").into(),
        R::PeriodInFuture { to } => tr.f("rule.period_in_future", &[&date(*to)]),
        R::ValidToTooLate { latest } => tr.f("rule.valid_to_late", &[&date(*latest)]),
        R::ValidToBeforeFrom { from } => tr.f("rule.valid_to_early", &[&date(*from)]),
        R::DocumentsMissing(docs) => {
            let names: Vec<&str> = docs.iter().map(|d| document(tr, *d)).collect();
            tr.f("error.documents_missing", &[&names.join(", ")])
        }
        R::Conflicted => tr.t("rule.conflicted").into(),
        R::NotOnAgenda => tr.t("rule.not_on_agenda").into(),
        R::NotScored => tr.t("rule.not_scored").into(),
        R::NoRecommendation => tr.t("rule.no_recommendation").into(),
        R::NumberPattern(problem) => {
            use crate::domain::numbering::PatternError as P;
            let detail = match problem {
                P::NoSequence => tr.t("pattern.no_sequence").to_string(),
                P::Unknown(name) => tr.f("pattern.unknown", &[name]),
                P::Unclosed => tr.t("pattern.unclosed").to_string(),
            };
            tr.f("rule.number_pattern", &[&detail])
        }
        R::FileTooLarge { .. } => tr.t("error.file_too_large").into(),
        R::FileType => tr.t("error.file_type").into(),
        R::NotOnChecklist => tr.t("rule.not_on_checklist").into(),
        R::ActRequired => tr.t("life.act_required").into(),
        R::OtherHolder => tr.t("rule.other_holder").into(),
        R::AlreadySetUp => tr.t("rule.already_set_up").into(),
        R::WeakPassword => tr.t("error.weak_password").into(),
        R::WrongCurrentPassword => tr.t("error.wrong_current_password").into(),
        R::SamePassword => tr.t("error.same_password").into(),
        R::UsernameTaken => tr.t("error.username_taken").into(),
        R::Missing(what) => format!("{}: {}", request_field(tr, *what), tr.t("problem.required")),
        R::Text { field, problem: p } => {
            format!("{}: {}", request_field(tr, *field), problem(tr, *p))
        }
        R::HoursOrder => tr.t("rule.hours_order").into(),
        R::MemberDates => tr.t("rule.member_dates").into(),
        R::NotWithCommission(number) => tr.f("rule.not_with_commission", &[number]),
        R::NotPrintable { number, .. } => tr.f("rule.not_printable", &[number]),
        R::NoSigningKey { number } => tr.f("rule.no_signing_key", &[number]),
        R::NotRefused(number) => tr.f("rule.not_refused", &[number]),
        R::BodyNotSetUp => tr.t("rule.body_not_set_up").into(),
        R::NotACode => tr.t("rule.not_a_code").into(),
        R::NoVerifierList => tr.t("verifier.no_list").into(),
        R::VerifyAddress(problem) => tr.f(
            "verifier.bad_address",
            &[tr.t(match problem {
                crate::domain::verifier::AddressProblem::NotHttps => "verifier.address_https",
                crate::domain::verifier::AddressProblem::BadCharacter => {
                    "verifier.address_character"
                }
                crate::domain::verifier::AddressProblem::NoHost => "verifier.address_host",
            })],
        ),
        R::ContractEndsBeforeStart { contract_end } => {
            tr.f("rule.contract_before", &[&date(*contract_end)])
        }
        R::ProfessionNotInForce => tr.t("rule.profession_not_in_force").into(),
        R::List(problem) => super::reference_lists::problem_text(tr, problem),
        R::Invalid(text) => format!("{}: {text}", tr.t("error.rule")),
        R::DecidedUseReissue(number) => tr.f("rule.decided_use_reissue", &[number]),
        R::NothingChanged => tr.t("rule.nothing_changed").into(),
        R::NotWorkingDay { date: day } => tr.f("rule.not_working_day", &[&date(*day)]),
        R::MeetingHeld => tr.t("rule.meeting_held").into(),
        R::MeetingNotYetHeld { held_on } => tr.f("rule.meeting_not_yet_held", &[&date(*held_on)]),
        R::MeetingBeforeForwarding {
            number,
            forwarded_on,
        } => tr.f(
            "rule.meeting_before_forwarding",
            &[number, &date(*forwarded_on)],
        ),
        R::NoticeInFuture { received_on } => tr.f("rule.notice_in_future", &[&date(*received_on)]),
        R::NoticeBeforeEvent { event_date } => {
            tr.f("rule.notice_before_event", &[&date(*event_date)])
        }
        R::RefusalAgainstRecommendation => tr.t("rule.refusal_against_recommendation").into(),
        R::HolderUseReissue { certificate } => tr.f("rule.holder_use_reissue", &[certificate]),
    }
}

/// The name of a field of a request, for its messages.
fn request_field(tr: &Tr, what: crate::service::Missing) -> &str {
    use crate::service::Missing as M;
    match what {
        M::BodyNameRu => tr.t("body.name_ru"),
        M::BodyNameKk => tr.t("body.name_kk"),
        M::BodyRegion => tr.t("body.region"),
        M::BodySignatory => tr.t("body.signatory_name"),
        M::Username => tr.t("user.username"),
        M::FullName | M::MemberName => tr.t("user.full_name"),
        M::MemberOrganisation => tr.t("member.organisation"),
        M::MeetingPlace => tr.t("commission.place"),
        M::SpoilReason => tr.t("life.spoil_reason"),
        M::ComplaintSubject => tr.t("complaint.subject"),
        M::ContractEnd => tr.t("field.contract_end"),
        M::CorrectionReason => tr.t("edit.reason"),
        M::Motivation => tr.t("field.motivation"),
        M::WithdrawalReason => tr.t("field.withdraw_reason"),
        M::RevocationGrounds => tr.t("life.grounds"),
    }
}

fn weekday(tr: &Tr, day: Weekday) -> &str {
    match day {
        Weekday::Mon => tr.t("weekday.mon"),
        Weekday::Tue => tr.t("weekday.tue"),
        Weekday::Wed => tr.t("weekday.wed"),
        Weekday::Thu => tr.t("weekday.thu"),
        Weekday::Fri => tr.t("weekday.fri"),
        Weekday::Sat => tr.t("weekday.sat"),
        Weekday::Sun => tr.t("weekday.sun"),
    }
}

fn holiday(tr: &Tr, h: Holiday) -> &str {
    match h {
        Holiday::NewYear => tr.t("holiday.new_year"),
        Holiday::OrthodoxChristmas => tr.t("holiday.christmas"),
        Holiday::WomensDay => tr.t("holiday.womens_day"),
        Holiday::Nauryz => tr.t("holiday.nauryz"),
        Holiday::UnityDay => tr.t("holiday.unity_day"),
        Holiday::DefenderDay => tr.t("holiday.defender_day"),
        Holiday::VictoryDay => tr.t("holiday.victory_day"),
        Holiday::CapitalDay => tr.t("holiday.capital_day"),
        Holiday::ConstitutionDay => tr.t("holiday.constitution_day"),
        Holiday::RepublicDay => tr.t("holiday.republic_day"),
        Holiday::IndependenceDay => tr.t("holiday.independence_day"),
        Holiday::KurbanAit => tr.t("holiday.kurban_ait"),
    }
}

pub fn day_reason(tr: &Tr, reason: &DayReason) -> String {
    match reason {
        DayReason::Weekday => tr.t("reason.weekday").into(),
        DayReason::Weekend(day) => tr.f("reason.weekend", &[weekday(tr, *day)]),
        DayReason::Holiday {
            holiday: h,
            expected: false,
        } => holiday(tr, *h).into(),
        DayReason::Holiday {
            holiday: h,
            expected: true,
        } => tr.f("reason.expected", &[holiday(tr, *h)]),
        DayReason::MovedHoliday { from, holiday: h } => tr.f(
            "reason.moved",
            &[weekday(tr, from.weekday()), &date(*from), holiday(tr, *h)],
        ),
        DayReason::DecreeDayOff { note } => tr.f("reason.decree_off", &[note]),
        DayReason::DecreeWorkingDay { weekday: day, note } => {
            tr.f("reason.decree_working", &[weekday(tr, *day), note])
        }
    }
}

/// The limit behind a deadline figure, for its tooltip: the step, its working days and the
/// paragraph (SPEC §3).
pub fn step_limit(tr: &Tr, s: Step) -> String {
    tr.f(
        "deadline.hover_one",
        &[step(tr, s), &s.limit().to_string(), s.reference()],
    )
}

/// The tooltip of the deadline shown for an application: the step (or the steps, whichever
/// ends first) it stands for, each with its limit and paragraph.
pub fn deadline_hover(tr: &Tr, kind: ApplicationKind, status: ApplicationStatus) -> String {
    let steps = crate::domain::deadline::current_steps(kind, status);
    let lines: Vec<String> = steps.iter().map(|s| step_limit(tr, *s)).collect();
    match lines.len() {
        0 => tr.t("deadline.hover_closed").to_string(),
        1 => lines.concat(),
        _ => format!("{}\n• {}", tr.t("deadline.hover_many"), lines.join("\n• ")),
    }
}

pub fn step(tr: &Tr, step: Step) -> &str {
    match step {
        Step::ForwardToCommission => tr.t("step.forward"),
        Step::CommissionDecision => tr.t("step.commission"),
        Step::DecisionIssue => tr.t("step.decision_issue"),
        Step::DecisionExtend => tr.t("step.decision_extend"),
        Step::DecisionReissue => tr.t("step.decision_reissue"),
        Step::DecisionDuplicate => tr.t("step.decision_duplicate"),
        Step::ApplicantFilesExtension => tr.t("step.applicant_extension"),
        Step::ApplicantNotifiesEmployerChange => tr.t("step.applicant_employer"),
        Step::ApplicantNotifiesContractEnd => tr.t("step.applicant_contract_end"),
        Step::ApplicantFilesReissue => tr.t("step.applicant_reissue"),
        Step::ApplicantFilesDuplicate => tr.t("step.applicant_duplicate"),
        Step::ComplaintForward => tr.t("step.complaint_forward"),
        Step::ComplaintLocalBody => tr.t("step.complaint_local"),
        Step::ComplaintReviewingBody => tr.t("step.complaint_reviewing"),
    }
}

/// One line of a deadline's explanation.
pub fn explain(tr: &Tr, line: &Explain) -> String {
    match line {
        Explain::AfterHours { filed, end } => tr.f(
            "explain.after_hours",
            &[
                &date(filed.date()),
                &filed.time().format("%H:%M").to_string(),
                &end.format("%H:%M").to_string(),
            ],
        ),
        Explain::Skipped(info) => tr.f(
            "explain.skipped",
            &[&date(info.date), &day_reason(tr, &info.reason)],
        ),
        Explain::Registered(d) => tr.f("explain.registered", &[&date(*d)]),
        Explain::Deadline {
            step: s,
            from,
            days,
            date: d,
        } => tr.f(
            "explain.deadline",
            &[
                step(tr, *s),
                &days.to_string(),
                &date(*from),
                s.reference(),
                &date(*d),
            ],
        ),
        Explain::Uncertain { year, .. } => tr.f("explain.uncertain", &[&year.to_string()]),
    }
}

/// How urgent a deadline is on `today` (SPEC §3: due within one working day is urgent).
pub fn urgency(
    calendar: &Calendar,
    today: NaiveDate,
    deadline: Option<NaiveDate>,
) -> (Urgency, i64) {
    let Some(deadline) = deadline else {
        return (Urgency::Closed, 0);
    };
    if deadline < today {
        let late = -working_days_between(calendar, deadline, today);
        return (Urgency::Overdue, late);
    }
    let left = working_days_between(calendar, today, deadline);
    (
        if left <= 1 {
            Urgency::DueSoon
        } else {
            Urgency::OnTime
        },
        left,
    )
}

/// Working days after `from` up to and including `to`.
pub fn working_days_between(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut count = 0;
    let mut day = from;
    while day < to {
        let Some(next) = day.succ_opt() else { break };
        day = next;
        if calendar.is_working(day) {
            count += 1;
        }
        if count > 400 {
            break;
        }
    }
    count
}

/// The width of `text` on one line in the body font (to size a column or a field to its text).
pub fn text_width(ui: &Ui, text: &str) -> f32 {
    egui::WidgetText::from(text)
        .into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        )
        .size()
        .x
}

/// A deadline with its days left, coloured by urgency.
pub fn deadline_text(
    tr: &Tr,
    theme: &Theme,
    calendar: &Calendar,
    today: NaiveDate,
    deadline: Option<NaiveDate>,
) -> RichText {
    let (u, days) = urgency(calendar, today, deadline);
    let text = match (u, deadline) {
        (Urgency::Closed, _) | (_, None) => "—".to_string(),
        (Urgency::Overdue, Some(d)) if days == 0 => tr.f("deadline.expired", &[&date(d)]),
        (Urgency::Overdue, Some(d)) => {
            tr.f("deadline.overdue", &[&date(d), &days.abs().to_string()])
        }
        (_, Some(d)) => tr.f("deadline.left", &[&date(d), &days.to_string()]),
    };
    RichText::new(text).color(theme.urgency_colour(u))
}

/// A form label of the fixed label width, left-aligned; a longer one goes on to a second line
/// rather than losing its end (issue 14: «Документ, удостоверяющий личн…», and the Kazakh
/// labels are longer still).
pub fn form_label(ui: &mut Ui, text: &str) -> Response {
    ui.allocate_ui_with_layout(
        egui::vec2(Theme::FORM_LABEL_WIDTH, 20.0),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_width(Theme::FORM_LABEL_WIDTH);
            ui.add(egui::Label::new(text).wrap())
        },
    )
    .inner
}

/// A labelled one-line text field with its error under it. The label is tied to the field for
/// screen readers and tests.
pub fn text_field_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    error: Option<String>,
    theme: &Theme,
) -> Response {
    let response = ui
        .horizontal(|ui| {
            let label = form_label(ui, label);
            ui.add(egui::TextEdit::singleline(value).desired_width(320.0))
                .labelled_by(label.id)
        })
        .inner;
    if let Some(error) = error {
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            ui.label(RichText::new(error).color(theme.error_colour()).small());
        });
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Missing, RuleError};

    #[test]
    fn database_and_file_errors_reach_the_window_without_the_engine_s_english() {
        // Issue 12, item 9: «database is locked», «Is a directory (os error 21)» stay out.
        use crate::service::StoreError as E;
        use std::io::{Error, ErrorKind};
        for lang in [crate::ui::i18n::Lang::Ru, crate::ui::i18n::Lang::Kk] {
            let tr = Tr::new(lang);
            for error in [
                E::Busy,
                E::Backend("database is locked".into()),
                E::Invalid("bad date 'x'".into()),
                E::Io(Error::new(
                    ErrorKind::IsADirectory,
                    "Is a directory (os error 21)",
                )),
                E::Io(Error::new(ErrorKind::PermissionDenied, "Permission denied")),
                E::Io(Error::other("something")),
            ] {
                let text = service_error(&tr, &ServiceError::Store(error));
                assert!(
                    !text.chars().any(|c| c.is_ascii_alphabetic()),
                    "{lang:?}: {text}"
                );
            }
        }
        let tr = Tr::new(crate::ui::i18n::Lang::Ru);
        assert!(service_error(&tr, &ServiceError::Store(E::Busy)).contains("занята"));
    }

    #[test]
    fn rule_errors_speak_the_users_language() {
        // Bad input gets a message in Russian or Kazakh, never the service's English.
        let day = NaiveDate::from_ymd_opt(2027, 2, 24).unwrap_or_default();
        let errors = [
            RuleError::MotivationRequired,
            RuleError::ValidToTooLate { latest: day },
            RuleError::ValidToBeforeFrom { from: day },
            RuleError::Conflicted,
            RuleError::NotOnAgenda,
            RuleError::NotScored,
            RuleError::NoRecommendation,
            RuleError::NotOnChecklist,
            RuleError::ActRequired,
            RuleError::OtherHolder,
            RuleError::AlreadySetUp,
            RuleError::Missing(Missing::MeetingPlace),
            RuleError::Missing(Missing::BodyNameKk),
            RuleError::HoursOrder,
            RuleError::MemberDates,
            RuleError::NotWithCommission("2026-000001".into()),
            RuleError::NotPrintable {
                number: "00001/2026".into(),
                status: "revoked".into(),
            },
            RuleError::NoSigningKey {
                number: "00001/2026".into(),
            },
            RuleError::NotRefused("2026-000001".into()),
            RuleError::BodyNotSetUp,
            RuleError::NotACode,
            RuleError::NoVerifierList,
            RuleError::VerifyAddress(crate::domain::verifier::AddressProblem::NotHttps),
            RuleError::ContractEndsBeforeStart { contract_end: day },
            RuleError::MeetingNotYetHeld { held_on: day },
            RuleError::MeetingBeforeForwarding {
                number: "2026-000001".into(),
                forwarded_on: day,
            },
            RuleError::NoticeInFuture { received_on: day },
            RuleError::NoticeBeforeEvent { event_date: day },
            RuleError::RefusalAgainstRecommendation,
            RuleError::NumberPattern(crate::domain::numbering::PatternError::Unclosed),
        ];
        for lang in [super::super::i18n::Lang::Ru, super::super::i18n::Lang::Kk] {
            let tr = Tr::new(lang);
            for error in &errors {
                let text = rule_error(&tr, error);
                let latin: String = text.chars().filter(char::is_ascii_alphabetic).collect();
                // "A" of A2.9 and "R" references are allowed; no English words.
                assert!(latin.len() <= 2, "{lang:?} {error:?}: {text}");
            }
        }
        let tr = Tr::new(super::super::i18n::Lang::Ru);
        assert_eq!(
            rule_error(&tr, &RuleError::Missing(Missing::MeetingPlace)),
            "Место заседания: обязательное поле"
        );
        // Issue 14: the number pattern's error was English; only the placeholders the
        // administrator types stay in Latin letters.
        assert_eq!(
            rule_error(
                &tr,
                &RuleError::NumberPattern(crate::domain::numbering::PatternError::Unknown(
                    "god".into()
                ))
            ),
            "Шаблон номера справки неверен: неизвестная вставка «{god}»: допустимы {seq}, {seq:05} и {year}"
        );
        let kk = Tr::new(super::super::i18n::Lang::Kk);
        let text = rule_error(
            &kk,
            &RuleError::NumberPattern(crate::domain::numbering::PatternError::NoSequence),
        );
        assert!(text.contains("реттік нөмірге"), "{text}");
        assert!(!text.contains("must"), "{text}");
    }

    #[test]
    fn input_limits_speak_the_users_language_with_the_position() {
        // Issue 12, item 8: the refused character is named with its place in the field.
        use crate::domain::forms::{Hidden, Problem};
        let bidi = FieldError {
            field: Field::Surname,
            problem: Problem::Hidden {
                class: Hidden::Bidi,
                position: 3,
                code: 0x202E,
            },
        };
        let ru = Tr::new(super::super::i18n::Lang::Ru);
        let kk = Tr::new(super::super::i18n::Lang::Kk);
        assert_eq!(
            field_error(&ru, &bidi),
            "Фамилия: скрытый знак направления текста U+202E в позиции 3"
        );
        assert!(field_error(&kk, &bidi).contains("3-орында"));
        assert!(field_error(&kk, &bidi).contains("U+202E"));
        for problem in [
            Problem::TooLong { max: 100 },
            Problem::NoLetter,
            Problem::Hidden {
                class: Hidden::Control,
                position: 1,
                code: 0,
            },
            Problem::Hidden {
                class: Hidden::Invisible,
                position: 2,
                code: 0x200B,
            },
        ] {
            for tr in [&ru, &kk] {
                let text = super::problem(tr, problem);
                // No English words; the code point is the only Latin text.
                let words = text.replace("U+0000", "").replace("U+200B", "");
                let latin = words.chars().filter(char::is_ascii_alphabetic).count();
                assert_eq!(latin, 0, "{problem:?}: {text}");
            }
        }
        assert_eq!(
            super::problem(&ru, Problem::TooLong { max: 100 }),
            "слишком длинно: не более 100 символов"
        );
        let motivation = RuleError::Text {
            field: Missing::Motivation,
            problem: Problem::TooLong { max: 4000 },
        };
        assert_eq!(
            rule_error(&ru, &motivation),
            "Мотивировка: слишком длинно: не более 4000 символов"
        );
        assert_eq!(
            rule_error(&kk, &motivation),
            "Дәлелдеме: тым ұзын: 4000 таңбадан аспауы керек"
        );
    }
}
