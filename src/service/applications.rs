//! Applications: register, update, open (audited), the A2.8 checklist and its scans, forward to
//! the commission, withdraw, and the registry's queries.

use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

pub(crate) use super::lifecycle::next_deadline;
use super::lifecycle::transition;
use super::{Result, RuleError, ServiceError, Session, audit, profession};
use crate::domain::deadline::{self, Deadlines, Step, application_deadlines};
use crate::domain::documents::{DocumentType, required_documents};
use crate::domain::forms::{ApplicantInput, ApplicationInput};
use crate::domain::numbering;
use crate::domain::roles::Action;
use crate::domain::status::{ApplicationEvent, ApplicationStatus};
pub use crate::store::applicants::{ApplicantMatch, ApplicantRecord, full_name};
use crate::store::applications::{ApplicationChange, NewApplication};
pub use crate::store::applications::{ApplicationRecord, Outcome};
pub use crate::store::audit::HistoryRow;
pub use crate::store::documents::{DocumentRow, FileRow};
pub use crate::store::reference::ProfessionRow;
pub use crate::store::registry::{
    RegistryFilter, RegistryKey, RegistryRow, RegistrySort, RegistryStart, SEARCH_CAP,
};
use crate::store::{
    Store, StoreError, Tx, applicants, applications, body, certificates, documents, reference,
    registry, search,
};

/// The largest scan accepted (A2.8 documents are a few pages).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// A newly registered application.
#[derive(Debug, Clone)]
pub struct Registered {
    pub id: i64,
    pub number: String,
    pub status: ApplicationStatus,
    pub deadlines: Deadlines,
}

/// Checks both parts of the form and the stored references they name.
fn validate(
    tx: &Tx<'_>,
    applicant: &ApplicantInput,
    app: &ApplicationInput,
    now: NaiveDateTime,
) -> Result<()> {
    let mut errors = applicant.validate(app.channel, now.date());
    errors.extend(app.validate(now));
    if !errors.is_empty() {
        return Err(ServiceError::Fields(errors));
    }
    if let Some(profession_id) = app.profession_id {
        profession(tx, profession_id)?;
    }
    if let Some(certificate_id) = app.certificate_id {
        let certificate = certificates::load(tx, certificate_id)?;
        // R§16, R§22, R§22-1: an extension, a reissue or a duplicate concerns a certificate
        // already issued; it is not filed before that certificate's day.
        if !crate::domain::sequence::filing_follows_certificate(
            app.filed_at.date(),
            certificate.issued_on,
        ) {
            return Err(RuleError::FiledBeforeCertificate {
                issued_on: certificate.issued_on,
            }
            .into());
        }
    }
    Ok(())
}

/// Registers an application (A2.7): the registration day and deadlines from the calendar, the
/// A2.8 checklist, the applicant (new, or an existing one by id), the audit row, the index.
pub fn register_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    existing_applicant: Option<i64>,
    applicant: &ApplicantInput,
    app: &ApplicationInput,
    received: &[DocumentType],
) -> Result<Registered> {
    session.require(Action::RegisterApplication)?;
    store.write(|tx| {
        register_in(
            tx,
            session,
            now,
            existing_applicant,
            applicant,
            app,
            received,
        )
    })
}

/// The work of [`register_application`] inside the caller's transaction (also used by import,
/// which registers a whole file in one transaction).
pub(crate) fn register_in(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    existing_applicant: Option<i64>,
    applicant: &ApplicantInput,
    app: &ApplicationInput,
    received: &[DocumentType],
) -> Result<Registered> {
    session.require(Action::RegisterApplication)?;
    validate(tx, applicant, app, now)?;
    let Some(profession_id) = app.profession_id else {
        return Err(ServiceError::UnknownProfession);
    };
    // R§8, SPEC §7: a new application is filed under the version of the list in force.
    if !reference::profession_in_force(tx, profession_id)? {
        return Err(RuleError::ProfessionNotInForce.into());
    }
    let calendar = reference::calendar(tx)?;
    let hours = body::working_hours(tx)?;
    let deadlines = application_deadlines(app.kind, app.filed_at, hours, &calendar);
    let applicant_id = match existing_applicant {
        Some(id) => {
            applicants::update(tx, id, applicant)?;
            id
        }
        None => applicants::insert(tx, applicant, now)?,
    };
    let required = required_documents(app.kind, app.reissue_reason);
    let complete = required.iter().all(|d| received.contains(d));
    let status = if complete {
        ApplicationStatus::Registered
    } else {
        ApplicationStatus::DocumentsIncomplete
    };
    let new = NewApplication {
        applicant_id,
        kind: app.kind,
        reissue_reason: app.reissue_reason,
        profession_id,
        certificate_id: app.certificate_id,
        employer_name: app.employer_name.clone(),
        employer_id: app.employer_id.clone(),
        contract_end: app.contract_end,
        consent: app.consent,
        channel: app.channel,
        filed_at: app.filed_at,
        registered_on: deadlines.registered,
        forward_by: deadlines.forward_by,
        decision_by: deadlines.decision_by,
        next_deadline: deadline::current_deadline(
            app.kind,
            status,
            deadlines.forward_by,
            None,
            deadlines.decision_by,
        ),
        status,
        forwarded_on: None,
        commission_by: None,
        closed_on: None,
    };
    let (id, number) = applications::insert(tx, &new, session.user_id, now, |id| {
        numbering::application_number(deadlines.registered, id)
    })?;
    for doc in &required {
        documents::add_item(tx, id, *doc, received.contains(doc))?;
    }
    search::index_application(tx, id)?;
    audit(
        tx,
        session,
        now,
        "register_application",
        &format!("application:{id}"),
        &format!(
            "{number} kind {} registered {} decision by {} status {}",
            app.kind, deadlines.registered, deadlines.decision_by, status
        ),
    )?;
    Ok(Registered {
        id,
        number,
        status,
        deadlines,
    })
}

/// Corrects a registered application and its applicant, with the reason. Allowed until the
/// decision ([`ApplicationStatus::is_correctable`]); after it the data changes only through a
/// reissue (R§22). `expected_version` is the row version the form was loaded with: if someone
/// saved in between, the change is refused with who and when. The audit row holds the reason
/// and the changed fields before and after (identity numbers only as changed, SPEC §10).
#[allow(clippy::too_many_arguments)]
pub fn update_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    id: i64,
    expected_version: i64,
    applicant: &ApplicantInput,
    app: &ApplicationInput,
    reason: &str,
) -> Result<ApplicationRecord> {
    session.require(Action::EditApplication)?;
    if reason.trim().is_empty() {
        return Err(RuleError::Missing(super::Missing::CorrectionReason).into());
    }
    super::free_text(super::Missing::CorrectionReason, reason)?;
    store.write(|tx| {
        let current = applications::load(tx, id)?;
        // Decided in the meantime: the rule says more than "changed by someone".
        if !current.status.is_correctable() {
            return Err(RuleError::DecidedUseReissue(current.number).into());
        }
        if current.row_version != expected_version {
            return Err(crate::store::conflict(tx, "applications", id).into());
        }
        // The kind may not change after registration.
        let app = &ApplicationInput {
            kind: current.kind,
            ..app.clone()
        };
        validate(tx, applicant, app, now)?;
        let Some(profession_id) = app.profession_id else {
            return Err(ServiceError::UnknownProfession);
        };
        let person = applicants::load(tx, current.applicant_id)?;
        // R§22: the holder of a certificate changes name or document through a reissue (the
        // reissue application itself is where the new data is typed).
        if current.kind != crate::domain::kind::ApplicationKind::Reissue
            && crate::domain::documents::reissue_ground(&person.input, applicant).is_some()
            && let Some(held) = certificates::of_applicant(tx, current.applicant_id)?.first()
        {
            return Err(RuleError::HolderUseReissue {
                certificate: held.number.clone(),
            }
            .into());
        }
        let changes = correction_changes(&person.input, applicant, &current, app);
        if changes.is_empty() {
            return Err(RuleError::NothingChanged.into());
        }
        // The registration day follows the filing time.
        let calendar = reference::calendar(tx)?;
        let hours = body::working_hours(tx)?;
        let deadlines = application_deadlines(current.kind, app.filed_at, hours, &calendar);
        let mut next = current.clone();
        next.registered_on = deadlines.registered;
        next.forward_by = deadlines.forward_by;
        next.decision_by = deadlines.decision_by;
        next.next_deadline = next_deadline(&next);
        let change = ApplicationChange {
            reissue_reason: app.reissue_reason,
            profession_id,
            certificate_id: app.certificate_id,
            employer_name: app.employer_name.clone(),
            employer_id: app.employer_id.clone(),
            contract_end: app.contract_end,
            consent: app.consent,
            channel: app.channel,
            filed_at: app.filed_at,
            registered_on: next.registered_on,
            forward_by: next.forward_by,
            decision_by: next.decision_by,
            next_deadline: next.next_deadline,
        };
        // The applicant first: the application keeps the citizenship it states (for reports).
        applicants::update(tx, current.applicant_id, applicant)?;
        applications::update(tx, id, expected_version, &change, session.user_id, now)?;
        search::index_application(tx, id)?;
        let summary = serde_json::json!({
            "number": current.number,
            "version": expected_version + 1,
            "reason": reason.trim(),
            "changes": changes,
        });
        audit(
            tx,
            session,
            now,
            "update_application",
            &format!("application:{id}"),
            &summary.to_string(),
        )?;
        Ok(applications::load(tx, id)?)
    })
}

/// Identity numbers: recorded as changed, never with their values (SPEC §10).
const MASKED_FIELDS: [&str; 3] = ["iin", "doc_series", "doc_number"];

/// The fields a correction changes, `{"applicant.phone": {"before": …, "after": …}}`, in form
/// order; identity numbers masked.
fn correction_changes(
    before_person: &ApplicantInput,
    after_person: &ApplicantInput,
    current: &ApplicationRecord,
    after_app: &ApplicationInput,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{Value, json};
    let before_app = ApplicationInput {
        kind: current.kind,
        reissue_reason: current.reissue_reason,
        profession_id: Some(current.profession_id),
        certificate_id: current.certificate_id,
        employer_name: current.employer_name.clone(),
        employer_id: current.employer_id.clone(),
        contract_end: current.contract_end,
        consent: current.consent,
        channel: current.channel,
        filed_at: current.filed_at,
    };
    let mut changes = serde_json::Map::new();
    let pairs = [
        (
            "applicant",
            serde_json::to_value(before_person),
            serde_json::to_value(after_person),
        ),
        (
            "application",
            serde_json::to_value(&before_app),
            serde_json::to_value(after_app),
        ),
    ];
    for (part, before, after) in pairs {
        let (Ok(Value::Object(before)), Ok(Value::Object(after))) = (before, after) else {
            continue;
        };
        for (field, old) in &before {
            let new = after.get(field).unwrap_or(&Value::Null);
            if old == new {
                continue;
            }
            let entry = if MASKED_FIELDS.contains(&field.as_str()) {
                json!({"changed": true})
            } else {
                json!({"before": old, "after": new})
            };
            changes.insert(format!("{part}.{field}"), entry);
        }
    }
    changes
}

/// An application's whole file, as the officer opens it.
#[derive(Debug, Clone)]
pub struct ApplicationFile {
    pub application: ApplicationRecord,
    pub applicant: ApplicantRecord,
    pub profession: ProfessionRow,
    pub documents: Vec<DocumentRow>,
    /// The deadlines recomputed from today's calendar, with their explanation.
    pub deadlines: Deadlines,
    pub commission_deadline: Option<crate::domain::deadline::Explained<NaiveDate>>,
    pub history: Vec<HistoryRow>,
    /// The commission's recommendation and the akimat's decision, as stored texts.
    pub outcome: Outcome,
    /// Certificates issued on this application or to this applicant.
    pub certificates: Vec<super::certificates::CertificateRecord>,
    /// The life of each of those certificates (events and printed copies), by certificate id.
    pub lineages: Vec<(i64, Vec<super::certificates::LifeLine>)>,
}

/// The professions of the newest priority list, in list order (for pickers).
pub fn professions(store: &Store) -> Result<Vec<ProfessionRow>> {
    store.read(|tx| {
        let (list_id, _) = reference::current_priority_list(tx)?;
        Ok(reference::professions_of_list(tx, list_id)?)
    })
}

/// Opens an application's file: every opening is an audit row (SPEC §10).
pub fn open_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    id: i64,
) -> Result<ApplicationFile> {
    session.require(Action::ViewPersonalData)?;
    let file = store.write(|tx| {
        let file = read_file(tx, id)?;
        audit(
            tx,
            session,
            now,
            "open_application",
            &format!("application:{id}"),
            &file.application.number,
        )?;
        Ok::<_, ServiceError>(file)
    })?;
    with_lineages(store, session, file)
}

/// The application already open on this desk, read again because another desk changed the
/// database (issue 11): the same file as [`open_application`] gives, without a new opening in
/// the log (the officer did not open anything; the view was logged when it was opened).
pub fn refresh_application(store: &Store, session: &Session, id: i64) -> Result<ApplicationFile> {
    session.require(Action::ViewPersonalData)?;
    let file = store.read(|tx| read_file(tx, id))?;
    with_lineages(store, session, file)
}

/// An application's file as it stands, without the certificates' lineages.
fn read_file(tx: &crate::store::Tx<'_>, id: i64) -> Result<ApplicationFile> {
    let application = applications::load(tx, id)?;
    let applicant = applicants::load(tx, application.applicant_id)?;
    let profession = profession(tx, application.profession_id)?;
    let documents = documents::for_application(tx, id)?;
    let calendar = reference::calendar(tx)?;
    let hours = body::working_hours(tx)?;
    let deadlines = application_deadlines(application.kind, application.filed_at, hours, &calendar);
    let commission_deadline = application
        .forwarded_on
        .map(|d| deadline::deadline(&calendar, Step::CommissionDecision, d));
    let history =
        crate::store::audit::history(tx, &format!("application:{id}"), "open_application")?;
    let outcome = applications::outcome(tx, id)?;
    let certificates = applications::certificate_ids(tx, id, application.applicant_id)?
        .into_iter()
        .map(|c| certificates::load(tx, c))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(ApplicationFile {
        application,
        applicant,
        profession,
        documents,
        deadlines,
        commission_deadline,
        history,
        outcome,
        certificates,
        lineages: Vec::new(),
    })
}

fn with_lineages(
    store: &Store,
    session: &Session,
    file: ApplicationFile,
) -> Result<ApplicationFile> {
    let lineages = file
        .certificates
        .iter()
        .filter(|c| c.duplicate_of.is_none())
        .map(|c| Ok((c.id, super::certificates::lineage(store, session, c.id)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(ApplicationFile { lineages, ..file })
}

/// Marks a checklist item received or missing (A2.8); the status follows the checklist.
pub fn set_document_received(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    doc_type: DocumentType,
    received: bool,
) -> Result<ApplicationStatus> {
    session.require(Action::ManageDocuments)?;
    store.write(|tx| {
        let mut app = applications::load(tx, application_id)?;
        if app.status.is_final() {
            return Err(crate::domain::status::TransitionError {
                subject: format!("an application ({})", app.kind),
                from: app.status.to_string(),
                event: "changing the checklist".into(),
            }
            .into());
        }
        if !documents::set_received(tx, application_id, doc_type, received)? {
            return Err(RuleError::NotOnChecklist.into());
        }
        let missing = documents::missing_count(tx, application_id)?;
        match (app.status, missing) {
            (ApplicationStatus::Registered, 1..) => transition(
                tx,
                session,
                now,
                &mut app,
                ApplicationEvent::ChecklistIncomplete,
            )?,
            (ApplicationStatus::DocumentsIncomplete, 0) => transition(
                tx,
                session,
                now,
                &mut app,
                ApplicationEvent::ChecklistComplete,
            )?,
            _ => applications::touch(tx, application_id, session.user_id, now)?,
        }
        audit(
            tx,
            session,
            now,
            "set_document_received",
            &format!("application:{application_id}"),
            &format!(
                "{} {}",
                doc_type.code(),
                if received { "received" } else { "missing" }
            ),
        )?;
        Ok(app.status)
    })
}

/// The kind of a scan from its first bytes: PDF, JPEG or PNG, nothing else.
pub fn sniff_mime(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else {
        None
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::store::to_hex(&Sha256::digest(bytes))
}

/// Attaches a scan to a checklist item and marks it received. Returns the file's SHA-256.
pub fn attach_document(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    doc_type: DocumentType,
    file_name: &str,
    bytes: &[u8],
) -> Result<String> {
    session.require(Action::ManageDocuments)?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(RuleError::FileTooLarge {
            limit: MAX_FILE_BYTES,
        }
        .into());
    }
    let Some(mime) = sniff_mime(bytes) else {
        return Err(RuleError::FileType.into());
    };
    let sha = sha256_hex(bytes);
    store.write(|tx| {
        let Some(document_id) = documents::item_id(tx, application_id, doc_type)? else {
            return Err(RuleError::NotOnChecklist.into());
        };
        documents::store_file(tx, &sha, mime, bytes)?;
        documents::attach_file(tx, document_id, &sha, file_name, session.user_id, now)?;
        audit(
            tx,
            session,
            now,
            "attach_document",
            &format!("application:{application_id}"),
            &format!("{} sha256 {sha} {} bytes", doc_type.code(), bytes.len()),
        )
    })?;
    set_document_received(store, session, now, application_id, doc_type, true)?;
    Ok(sha)
}

/// Detaches a scan (the file stays in the database for the record; the link is marked removed).
pub fn remove_document_file(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    document_file_id: i64,
) -> Result<()> {
    session.require(Action::ManageDocuments)?;
    store.write(|tx| {
        documents::remove_file(tx, application_id, document_file_id, session.user_id, now)?;
        audit(
            tx,
            session,
            now,
            "remove_document_file",
            &format!("application:{application_id}"),
            &format!("file link {document_file_id}"),
        )
    })
}

/// The bytes of a stored scan, to open with the system viewer (an audited read).
pub fn file_content(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    sha256: &str,
) -> Result<Vec<u8>> {
    session.require(Action::ViewPersonalData)?;
    store.write(|tx| {
        let content = documents::file_content(tx, application_id, sha256)?;
        audit(
            tx,
            session,
            now,
            "open_file",
            &format!("application:{application_id}"),
            &format!("sha256 {sha256}"),
        )?;
        Ok(content)
    })
}

/// Forwards complete documents to the commission (R§7); the commission's 3 days start (R§9).
pub fn forward_to_commission(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
) -> Result<NaiveDate> {
    session.require(Action::ForwardToCommission)?;
    let app = store.write(|tx| {
        let mut app = applications::load(tx, application_id)?;
        let missing: Vec<DocumentType> = documents::for_application(tx, application_id)?
            .into_iter()
            .filter(|d| !d.received)
            .map(|d| d.doc_type)
            .collect();
        if !missing.is_empty() {
            return Err(RuleError::DocumentsMissing(missing).into());
        }
        let calendar = reference::calendar(tx)?;
        let (today, _) = calendar.next_working_on_or_after(now.date());
        app.forwarded_on = Some(today);
        app.commission_by =
            Some(deadline::deadline(&calendar, Step::CommissionDecision, today).value);
        transition(
            tx,
            session,
            now,
            &mut app,
            ApplicationEvent::ForwardToCommission,
        )?;
        let late = app.forward_by.is_some_and(|by| today > by);
        audit(
            tx,
            session,
            now,
            "forward_to_commission",
            &format!("application:{application_id}"),
            &format!(
                "{} forwarded {today}{}",
                app.number,
                if late { " after the R§7 deadline" } else { "" }
            ),
        )?;
        Ok::<_, ServiceError>(app)
    })?;
    app.commission_by.ok_or(ServiceError::NotFound {
        what: "deadline",
        id: application_id.to_string(),
    })
}

/// The applicant withdraws the application.
pub fn withdraw(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    reason: &str,
) -> Result<()> {
    session.require(Action::EditApplication)?;
    super::free_text(super::Missing::WithdrawalReason, reason)?;
    store.write(|tx| {
        let mut app = applications::load(tx, application_id)?;
        transition(tx, session, now, &mut app, ApplicationEvent::Withdraw)?;
        audit(
            tx,
            session,
            now,
            "withdraw",
            &format!("application:{application_id}"),
            reason,
        )
    })
}

/// Order 49 professions whose name matches the priority-list profession (SPEC §7: the holder
/// may later seek permanent residence through that list). The lists have no official
/// correspondence table, so this compares the names' first words; it finds candidates for the
/// officer to read, not a legal match.
pub fn related_order49(store: &Store, profession: &ProfessionRow) -> Result<Vec<(String, String)>> {
    let base = profession
        .name
        .split(['(', ','])
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    let words: Vec<&str> = base
        .split_whitespace()
        .filter(|w| w.chars().count() > 3)
        .take(2)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let all = store.read(reference::order49_professions)?;
    Ok(all
        .into_iter()
        .filter(|(_, name)| {
            let n = name.to_lowercase();
            words.iter().all(|w| n.contains(w))
        })
        .collect())
}

/// Opens an applicant's record to reuse it at intake (an audited read, SPEC §10).
pub fn open_applicant(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    id: i64,
) -> Result<ApplicantRecord> {
    session.require(Action::ViewPersonalData)?;
    store.write(|tx| {
        let applicant = applicants::load(tx, id)?;
        audit(
            tx,
            session,
            now,
            "open_applicant",
            &format!("applicant:{id}"),
            "",
        )?;
        Ok(applicant)
    })
}

/// What a new extension, reissue or duplicate starts from: the certificate, its holder and the
/// data of the application it was issued on.
#[derive(Debug, Clone)]
pub struct CertificateStart {
    pub certificate: super::certificates::CertificateRecord,
    pub applicant_id: i64,
    pub applicant: ApplicantInput,
    pub profession_id: i64,
    pub employer_name: String,
    pub employer_id: String,
}

/// Starts an application of `kind` from a certificate's number: the holder's data, the
/// profession and the employer, so that the officer types only what changed. Only a valid
/// certificate can be extended, reissued or duplicated (R§16, R§22, R§22-1, R§23); the holder's
/// file is opened (an audited read, SPEC §10).
pub fn start_from_certificate(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    kind: crate::domain::kind::ApplicationKind,
    number: &str,
) -> Result<CertificateStart> {
    use crate::domain::kind::ApplicationKind as K;
    use crate::domain::status::CertificateEvent as E;
    session.require(Action::RegisterApplication)?;
    session.require(Action::ViewPersonalData)?;
    let event = match kind {
        K::Extend => E::Extend,
        K::Reissue => E::Reissue,
        K::Duplicate => E::Duplicate,
        K::Issue => {
            return Err(ServiceError::NotFound {
                what: "certificate of the application",
                id: number.into(),
            });
        }
    };
    store.write(|tx| {
        let Some(certificate) = certificates::find_original(tx, number.trim())? else {
            return Err(ServiceError::NotFound {
                what: "certificate",
                id: number.trim().into(),
            });
        };
        certificate.status.apply(event)?;
        let applicant = applicants::load(tx, certificate.applicant_id)?;
        let issued_on = applications::load(tx, certificate.application_id)?;
        audit(
            tx,
            session,
            now,
            "open_applicant",
            &format!("applicant:{}", certificate.applicant_id),
            &format!("{kind} from certificate {}", certificate.number),
        )?;
        Ok(CertificateStart {
            applicant_id: certificate.applicant_id,
            applicant: applicant.input,
            profession_id: certificate.profession_id,
            employer_name: issued_on.employer_name,
            employer_id: issued_on.employer_id,
            certificate,
        })
    })
}

/// Applicants with this IIN or this identity-document number (intake: reuse, or warn of a
/// probable duplicate).
///
/// A lookup that finds someone is recorded (`lookup_applicant`, with the ids found; never the
/// number typed, SPEC §10): it tells whether a person is known to the body.
pub fn find_applicants(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    iin: &str,
    doc_number: &str,
) -> Result<Vec<ApplicantMatch>> {
    session.require(Action::ViewPersonalData)?;
    let found = store.read(|tx| applicants::find(tx, iin, doc_number))?;
    if !found.is_empty() {
        let ids: Vec<String> = found.iter().map(|m| m.id.to_string()).collect();
        let by = match (iin.trim().is_empty(), doc_number.trim().is_empty()) {
            (false, false) => "by IIN or document number",
            (false, true) => "by IIN",
            _ => "by document number",
        };
        store.write(|tx| {
            audit(
                tx,
                session,
                now,
                "lookup_applicant",
                &format!("applicant:{}", ids.join(",")),
                &format!("{} found {by}", found.len()),
            )
        })?;
    }
    Ok(found)
}

/// How many applications match `filter` (a text search counts its newest [`SEARCH_CAP`]
/// matches at most): the registry's count and the length of its scrollbar.
pub fn registry_count(store: &Store, session: &Session, filter: &RegistryFilter) -> Result<usize> {
    session.require(Action::ViewRegistry)?;
    Ok(store.read(|tx| registry::count(tx, filter))?)
}

/// How many applications the database holds (the registry's empty state).
pub fn registry_total(store: &Store, session: &Session) -> Result<usize> {
    session.require(Action::ViewRegistry)?;
    Ok(store.read(registry::total)?)
}

/// The rows of the registry from `start` (a position, or a row already on screen to page on
/// from), at most `limit`, in display order: what the table shows, read in one statement.
pub fn registry_window(
    store: &Store,
    session: &Session,
    filter: &RegistryFilter,
    sort: RegistrySort,
    start: &RegistryStart,
    limit: usize,
) -> Result<Vec<RegistryRow>> {
    session.require(Action::ViewRegistry)?;
    Ok(store.read(|tx| registry::window(tx, filter, sort, start, limit))?)
}

/// How many applications match `filter` and the first `limit` rows in the order `sort`: what
/// the registry shows when the filter changes, in one snapshot and one text search.
pub fn registry_first(
    store: &Store,
    session: &Session,
    filter: &RegistryFilter,
    sort: RegistrySort,
    limit: usize,
) -> Result<(usize, Vec<RegistryRow>)> {
    session.require(Action::ViewRegistry)?;
    Ok(store.read(|tx| registry::first_window(tx, filter, sort, limit))?)
}

/// One page of the registry, by position.
pub fn registry_page(
    store: &Store,
    session: &Session,
    filter: &RegistryFilter,
    sort: RegistrySort,
    offset: usize,
    limit: usize,
) -> Result<Vec<RegistryRow>> {
    registry_window(
        store,
        session,
        filter,
        sort,
        &RegistryStart::Offset(offset),
        limit,
    )
}

/// Search ranked by relevance, one page (SPEC: FTS5 over names, IIN, documents, certificates,
/// employer).
pub fn search_applications(
    store: &Store,
    session: &Session,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<RegistryRow>> {
    session.require(Action::ViewRegistry)?;
    Ok(store.read(|tx| {
        let ids = search::ranked(tx, typed, offset, limit)?;
        registry::rows(tx, &ids)
    })?)
}
