//! Applications: register, update, open (audited), the A2.8 checklist and its scans, forward to
//! the commission, withdraw, and the registry's queries.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};
use sha2::{Digest, Sha256};

use super::{
    Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, parse_date, write_tx,
};
use crate::domain::deadline::{self, Deadlines, Step, application_deadlines};
use crate::domain::documents::{DocumentType, required_documents};
use crate::domain::forms::{ApplicantInput, ApplicationInput};
use crate::domain::kind::ApplicationKind;
use crate::domain::roles::Action;
use crate::domain::status::{ApplicationEvent, ApplicationStatus};
pub use crate::store::applicants::{ApplicantRecord, full_name};
pub use crate::store::applications::ApplicationRecord;
use crate::store::applications::reissue_code;
pub use crate::store::documents::{DocumentRow, FileRow};
pub use crate::store::reference::ProfessionRow;
use crate::store::{Store, Tx, reference, search};

/// TRANSITION: the store's loaders for service code that still holds a raw connection.
pub(crate) fn load_application(conn: &Connection, id: i64) -> Result<ApplicationRecord> {
    Ok(crate::store::applications::load(&Tx::wrap(conn), id)?)
}
pub(crate) fn load_applicant(conn: &Connection, id: i64) -> Result<ApplicantRecord> {
    Ok(crate::store::applicants::load(&Tx::wrap(conn), id)?)
}
pub(crate) fn load_documents(conn: &Connection, id: i64) -> Result<Vec<DocumentRow>> {
    Ok(crate::store::documents::for_application(
        &Tx::wrap(conn),
        id,
    )?)
}
pub(crate) fn load_profession(conn: &Connection, id: i64) -> Result<ProfessionRow> {
    crate::store::reference::profession(&Tx::wrap(conn), id).map_err(|e| match e {
        crate::store::StoreError::NotFound { .. } => ServiceError::UnknownProfession,
        other => other.into(),
    })
}
#[allow(clippy::unnecessary_wraps)] // TRANSITION: keeps the call sites as they were
fn last_change(conn: &Connection, table: &str, id: i64) -> Result<ServiceError> {
    Ok(crate::store::conflict(&Tx::wrap(conn), table, id).into())
}

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

/// The deadline of the step the application is at (SPEC §3), or none once it is closed.
pub(crate) fn next_deadline(app: &ApplicationRecord) -> Option<NaiveDate> {
    deadline::current_deadline(
        app.kind,
        app.status,
        app.forward_by,
        app.commission_by,
        app.decision_by,
    )
}

/// Moves an application to its next status and writes status, next deadline and version.
pub(crate) fn transition(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
    app: &mut ApplicationRecord,
    event: ApplicationEvent,
) -> Result<()> {
    app.status = app.status.apply(app.kind, event)?;
    app.next_deadline = next_deadline(app);
    let closed = app.status.is_final().then(|| now.date());
    crate::store::applications::write_status(&Tx::wrap(conn), app, closed, session.user_id, now)?;
    #[cfg(any())]
    conn.execute(
        "UPDATE applications SET status = ?2, next_deadline = ?3, closed_on = coalesce(?4, closed_on), forwarded_on = ?5,
                commission_by = ?6, row_version = row_version + 1, updated_by = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            app.id,
            app.status.code(),
            app.next_deadline.map(|d| d.to_string()),
            closed,
            app.forwarded_on.map(|d| d.to_string()),
            app.commission_by.map(|d| d.to_string()),
            session.user_id,
            fmt_time(now),
        ],
    )?;
    app.row_version += 1;
    Ok(())
}

fn applicant_params(a: &ApplicantInput) -> [Option<String>; 19] {
    let opt = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    [
        opt(&a.surname),
        opt(&a.given_name),
        opt(&a.patronymic),
        if a.stateless {
            None
        } else {
            opt(&a.citizenship)
        },
        a.birth_date.map(|d| d.to_string()),
        opt(&a.iin),
        opt(&a.doc_type),
        opt(&a.doc_series),
        opt(&a.doc_number),
        a.doc_issued_on.map(|d| d.to_string()),
        opt(&a.doc_issued_by),
        opt(&a.address),
        opt(&a.phone),
        opt(&a.fax),
        opt(&a.residence_abroad),
        opt(&a.residence_phone),
        opt(&a.email),
        opt(&a.representative_name),
        opt(&a.representative_poa),
    ]
}

fn insert_applicant(conn: &Connection, a: &ApplicantInput, now: NaiveDateTime) -> Result<i64> {
    let p = applicant_params(a);
    conn.execute(
        "INSERT INTO applicants (surname, given_name, patronymic, citizenship, birth_date, iin, doc_type, doc_series, doc_number,
             doc_issued_on, doc_issued_by, address, phone, fax, residence_abroad, residence_phone, email,
             representative_name, representative_poa, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], fmt_time(now)],
    )?;
    Ok(conn.last_insert_rowid())
}

fn update_applicant(conn: &Connection, id: i64, a: &ApplicantInput) -> Result<()> {
    let p = applicant_params(a);
    conn.execute(
        "UPDATE applicants SET surname = ?2, given_name = ?3, patronymic = ?4, citizenship = ?5, birth_date = ?6, iin = ?7,
             doc_type = ?8, doc_series = ?9, doc_number = ?10, doc_issued_on = ?11, doc_issued_by = ?12, address = ?13,
             phone = ?14, fax = ?15, residence_abroad = ?16, residence_phone = ?17, email = ?18,
             representative_name = ?19, representative_poa = ?20 WHERE id = ?1",
        params![id, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18]],
    )?;
    Ok(())
}

/// Checks both parts of the form and the stored references they name.
fn validate(
    conn: &Connection,
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
        let known: Option<i64> = conn
            .query_row(
                "SELECT id FROM professions WHERE id = ?1",
                [profession_id],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_none() {
            return Err(ServiceError::UnknownProfession);
        }
    }
    if let Some(certificate_id) = app.certificate_id {
        let known: Option<i64> = conn
            .query_row(
                "SELECT id FROM certificates WHERE id = ?1",
                [certificate_id],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_none() {
            return Err(ServiceError::NotFound {
                what: "certificate",
                id: certificate_id.to_string(),
            });
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
    let tx = write_tx(store.conn_mut())?;
    let registered = register_in(
        &tx,
        session,
        now,
        existing_applicant,
        applicant,
        app,
        received,
    )?;
    tx.commit()?;
    Ok(registered)
}

/// The work of [`register_application`] inside the caller's transaction (also used by import,
/// which registers a whole file in one transaction).
pub(crate) fn register_in(
    tx: &Connection,
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
    let calendar = reference::calendar(&crate::store::Tx::wrap(tx))?;
    let hours = super::setup::working_hours(tx)?;
    let deadlines = application_deadlines(app.kind, app.filed_at, hours, &calendar);
    let applicant_id = match existing_applicant {
        Some(id) => {
            update_applicant(tx, id, applicant)?;
            id
        }
        None => insert_applicant(tx, applicant, now)?,
    };
    let id: i64 = tx.query_row(
        "SELECT coalesce(max(id), 0) + 1 FROM applications",
        [],
        |r| r.get(0),
    )?;
    let number = format!("{}-{id:06}", deadlines.registered.format("%Y"));
    let required = required_documents(app.kind, app.reissue_reason);
    let complete = required.iter().all(|d| received.contains(d));
    let status = if complete {
        ApplicationStatus::Registered
    } else {
        ApplicationStatus::DocumentsIncomplete
    };
    let mut record = ApplicationRecord {
        id,
        number: number.clone(),
        applicant_id,
        kind: app.kind,
        reissue_reason: app.reissue_reason,
        profession_id,
        certificate_id: app.certificate_id,
        employer_name: app.employer_name.trim().into(),
        employer_id: app.employer_id.trim().into(),
        contract_end: app.contract_end,
        consent: app.consent,
        channel: app.channel,
        filed_at: app.filed_at,
        registered_on: deadlines.registered,
        forward_by: deadlines.forward_by,
        decision_by: deadlines.decision_by,
        forwarded_on: None,
        commission_by: None,
        next_deadline: None,
        status,
        row_version: 1,
        updated_by: session.full_name.clone(),
        updated_at: now,
    };
    record.next_deadline = next_deadline(&record);
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    tx.execute(
        "INSERT INTO applications (id, number, applicant_id, kind, reissue_reason, profession_id, certificate_id, employer_name,
             employer_id, contract_end, consent, channel, filed_at, registered_on, forward_by, decision_by, next_deadline, status,
             row_version, created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, 1, ?19, ?20, ?19, ?20)",
        params![
            id,
            number,
            applicant_id,
            app.kind.code(),
            app.reissue_reason.map(reissue_code),
            profession_id,
            app.certificate_id,
            opt(&record.employer_name),
            opt(&record.employer_id),
            app.contract_end.map(|d| d.to_string()),
            app.consent,
            app.channel.code(),
            fmt_time(app.filed_at),
            deadlines.registered.to_string(),
            deadlines.forward_by.map(|d| d.to_string()),
            deadlines.decision_by.to_string(),
            record.next_deadline.map(|d| d.to_string()),
            status.code(),
            session.user_id,
            fmt_time(now),
        ],
    )?;
    let mut insert_doc = tx.prepare(
        "INSERT INTO documents (application_id, doc_type, received) VALUES (?1, ?2, ?3)",
    )?;
    for doc in &required {
        insert_doc.execute(params![id, doc.code(), received.contains(doc)])?;
    }
    drop(insert_doc);
    search::index_application(tx, id)?;
    legacy_audit(
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

/// Changes an application and its applicant. `expected_version` is the row version the form was
/// loaded with: if someone saved in between, the change is refused with who and when.
pub fn update_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    id: i64,
    expected_version: i64,
    applicant: &ApplicantInput,
    app: &ApplicationInput,
) -> Result<ApplicationRecord> {
    session.require(Action::EditApplication)?;
    let tx = write_tx(store.conn_mut())?;
    let current = load_application(&tx, id)?;
    if current.row_version != expected_version {
        return Err(last_change(&tx, "applications", id)?);
    }
    if current.status.is_final() {
        return Err(crate::domain::status::TransitionError {
            subject: format!("an application ({})", current.kind),
            from: current.status.to_string(),
            event: "editing".into(),
        }
        .into());
    }
    validate(&tx, applicant, app, now)?;
    let Some(profession_id) = app.profession_id else {
        return Err(ServiceError::UnknownProfession);
    };
    // The registration day follows the filing time; the kind may not change after registration.
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
    let hours = super::setup::working_hours(&tx)?;
    let deadlines = application_deadlines(current.kind, app.filed_at, hours, &calendar);
    let mut next = current.clone();
    next.registered_on = deadlines.registered;
    next.forward_by = deadlines.forward_by;
    next.decision_by = deadlines.decision_by;
    next.next_deadline = next_deadline(&next);
    let opt = |s: &str| {
        let t = s.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    let changed = tx.execute(
        "UPDATE applications SET reissue_reason = ?3, profession_id = ?4, certificate_id = ?5, employer_name = ?6, employer_id = ?7,
             contract_end = ?8, consent = ?9, channel = ?10, filed_at = ?11, registered_on = ?12, forward_by = ?13,
             decision_by = ?14, next_deadline = ?15, row_version = row_version + 1, updated_by = ?16, updated_at = ?17
         WHERE id = ?1 AND row_version = ?2",
        params![
            id,
            expected_version,
            app.reissue_reason.map(reissue_code),
            profession_id,
            app.certificate_id,
            opt(&app.employer_name),
            opt(&app.employer_id),
            app.contract_end.map(|d| d.to_string()),
            app.consent,
            app.channel.code(),
            fmt_time(app.filed_at),
            next.registered_on.to_string(),
            next.forward_by.map(|d| d.to_string()),
            next.decision_by.to_string(),
            next.next_deadline.map(|d| d.to_string()),
            session.user_id,
            fmt_time(now),
        ],
    )?;
    if changed == 0 {
        return Err(last_change(&tx, "applications", id)?);
    }
    update_applicant(&tx, current.applicant_id, applicant)?;
    search::index_application(&tx, id)?;
    legacy_audit(
        &tx,
        session,
        now,
        "update_application",
        &format!("application:{id}"),
        &format!("{} version {}", current.number, expected_version + 1),
    )?;
    let updated = load_application(&tx, id)?;
    tx.commit()?;
    Ok(updated)
}

/// One line of the application's history, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub at: String,
    pub user: String,
    pub action: String,
    pub summary: String,
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

/// The recommendation and the decision on an application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub score_total: Option<i64>,
    pub recommendation: Option<(String, Option<u8>, String)>,
    pub decision: Option<(String, Option<u8>, String, String)>,
}

fn load_outcome(conn: &Connection, id: i64) -> Result<Outcome> {
    let score_total = conn
        .query_row(
            "SELECT total FROM scores WHERE application_id = ?1 ORDER BY id DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let recommendation = conn
        .query_row(
            "SELECT outcome, ground, motivation FROM recommendations WHERE application_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let decision = conn
        .query_row("SELECT outcome, ground, motivation, decided_on FROM decisions WHERE application_id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    Ok(Outcome {
        score_total,
        recommendation,
        decision,
    })
}

/// The professions of the newest priority list, in list order (for pickers).
pub fn professions(store: &Store) -> Result<Vec<ProfessionRow>> {
    let conn = store.conn();
    let (list_id, _) = reference::current_priority_list(&crate::store::Tx::wrap(conn))?;
    let mut stmt = conn.prepare(
        "SELECT id, key, sector_number, sector, activity, number, name, qualification_levels FROM professions WHERE list_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([list_id], |r| {
            Ok(ProfessionRow {
                id: r.get(0)?,
                key: r.get(1)?,
                sector_number: r.get(2)?,
                sector: r.get(3)?,
                activity: r.get(4)?,
                number: r.get(5)?,
                name: r.get(6)?,
                qualification_levels: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Opens an application's file: every opening is an audit row (SPEC §10).
pub fn open_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    id: i64,
) -> Result<ApplicationFile> {
    session.require(Action::ViewPersonalData)?;
    let tx = write_tx(store.conn_mut())?;
    let application = load_application(&tx, id)?;
    let applicant = load_applicant(&tx, application.applicant_id)?;
    let profession = load_profession(&tx, application.profession_id)?;
    let documents = load_documents(&tx, id)?;
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
    let hours = super::setup::working_hours(&tx)?;
    let deadlines = application_deadlines(application.kind, application.filed_at, hours, &calendar);
    let commission_deadline = application
        .forwarded_on
        .map(|d| deadline::deadline(&calendar, Step::CommissionDecision, d));
    legacy_audit(
        &tx,
        session,
        now,
        "open_application",
        &format!("application:{id}"),
        &application.number,
    )?;
    let history = history(&tx, id)?;
    let outcome = load_outcome(&tx, id)?;
    let certificate_ids: Vec<i64> = {
        let mut stmt = tx.prepare_cached("SELECT id FROM certificates WHERE application_id = ?1 OR applicant_id = ?2 ORDER BY id")?;
        stmt.query_map(params![id, application.applicant_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let certificates = certificate_ids
        .into_iter()
        .map(|c| super::certificates::load_certificate(&tx, c))
        .collect::<Result<Vec<_>>>()?;
    tx.commit()?;
    let lineages = certificates
        .iter()
        .filter(|c| c.duplicate_of.is_none())
        .map(|c| Ok((c.id, super::certificates::lineage(store, session, c.id)?)))
        .collect::<Result<Vec<_>>>()?;
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
        lineages,
    })
}

fn history(conn: &Connection, id: i64) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, username, action, summary FROM audit WHERE record = ?1 AND action <> 'open_application' ORDER BY id",
    )?;
    let rows = stmt
        .query_map([format!("application:{id}")], |r| {
            Ok(HistoryRow {
                at: r.get(0)?,
                user: r.get(1)?,
                action: r.get(2)?,
                summary: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
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
    let tx = write_tx(store.conn_mut())?;
    let mut app = load_application(&tx, application_id)?;
    if app.status.is_final() {
        return Err(crate::domain::status::TransitionError {
            subject: format!("an application ({})", app.kind),
            from: app.status.to_string(),
            event: "changing the checklist".into(),
        }
        .into());
    }
    let changed = tx.execute(
        "UPDATE documents SET received = ?3 WHERE application_id = ?1 AND doc_type = ?2",
        params![application_id, doc_type.code(), received],
    )?;
    if changed == 0 {
        return Err(RuleError::NotOnChecklist.into());
    }
    let missing: i64 = tx.query_row(
        "SELECT count(*) FROM documents WHERE application_id = ?1 AND received = 0",
        [application_id],
        |r| r.get(0),
    )?;
    match (app.status, missing) {
        (ApplicationStatus::Registered, 1..) => transition(
            &tx,
            session,
            now,
            &mut app,
            ApplicationEvent::ChecklistIncomplete,
        )?,
        (ApplicationStatus::DocumentsIncomplete, 0) => transition(
            &tx,
            session,
            now,
            &mut app,
            ApplicationEvent::ChecklistComplete,
        )?,
        _ => {
            tx.execute(
                "UPDATE applications SET row_version = row_version + 1, updated_by = ?2, updated_at = ?3 WHERE id = ?1",
                params![application_id, session.user_id, fmt_time(now)],
            )?;
        }
    }
    legacy_audit(
        &tx,
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
    tx.commit()?;
    Ok(app.status)
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
    {
        let tx = write_tx(store.conn_mut())?;
        let document_id: Option<i64> = tx
            .query_row(
                "SELECT id FROM documents WHERE application_id = ?1 AND doc_type = ?2",
                params![application_id, doc_type.code()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(document_id) = document_id else {
            return Err(RuleError::NotOnChecklist.into());
        };
        tx.execute(
            "INSERT OR IGNORE INTO files (sha256, size, mime, content) VALUES (?1, ?2, ?3, ?4)",
            params![sha, bytes.len() as i64, mime, bytes],
        )?;
        tx.execute(
            "INSERT INTO document_files (document_id, sha256, file_name, attached_by, attached_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![document_id, sha, file_name, session.user_id, fmt_time(now)],
        )?;
        legacy_audit(
            &tx,
            session,
            now,
            "attach_document",
            &format!("application:{application_id}"),
            &format!("{} sha256 {sha} {} bytes", doc_type.code(), bytes.len()),
        )?;
        tx.commit()?;
    }
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
    let tx = write_tx(store.conn_mut())?;
    let changed = tx.execute(
        "UPDATE document_files SET removed_by = ?3, removed_at = ?4
         WHERE id = ?2 AND removed_at IS NULL AND document_id IN (SELECT id FROM documents WHERE application_id = ?1)",
        params![application_id, document_file_id, session.user_id, fmt_time(now)],
    )?;
    if changed == 0 {
        return Err(ServiceError::NotFound {
            what: "attached file",
            id: document_file_id.to_string(),
        });
    }
    legacy_audit(
        &tx,
        session,
        now,
        "remove_document_file",
        &format!("application:{application_id}"),
        &format!("file link {document_file_id}"),
    )?;
    tx.commit()?;
    Ok(())
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
    let tx = write_tx(store.conn_mut())?;
    let content: Option<Vec<u8>> = tx
        .query_row(
            "SELECT f.content FROM files f JOIN document_files df ON df.sha256 = f.sha256 JOIN documents d ON d.id = df.document_id
             WHERE d.application_id = ?1 AND f.sha256 = ?2 LIMIT 1",
            params![application_id, sha256],
            |r| r.get(0),
        )
        .optional()?;
    let Some(content) = content else {
        return Err(ServiceError::NotFound {
            what: "file",
            id: sha256.into(),
        });
    };
    legacy_audit(
        &tx,
        session,
        now,
        "open_file",
        &format!("application:{application_id}"),
        &format!("sha256 {sha256}"),
    )?;
    tx.commit()?;
    Ok(content)
}

/// Forwards complete documents to the commission (R§7); the commission's 3 days start (R§9).
pub fn forward_to_commission(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
) -> Result<NaiveDate> {
    session.require(Action::ForwardToCommission)?;
    let tx = write_tx(store.conn_mut())?;
    let mut app = load_application(&tx, application_id)?;
    let missing: Vec<DocumentType> = load_documents(&tx, application_id)?
        .into_iter()
        .filter(|d| !d.received)
        .map(|d| d.doc_type)
        .collect();
    if !missing.is_empty() {
        return Err(RuleError::DocumentsMissing(missing).into());
    }
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
    let (today, _) = calendar.next_working_on_or_after(now.date());
    app.forwarded_on = Some(today);
    app.commission_by = Some(deadline::deadline(&calendar, Step::CommissionDecision, today).value);
    transition(
        &tx,
        session,
        now,
        &mut app,
        ApplicationEvent::ForwardToCommission,
    )?;
    let late = app.forward_by.is_some_and(|by| today > by);
    legacy_audit(
        &tx,
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
    tx.commit()?;
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
    let tx = write_tx(store.conn_mut())?;
    let mut app = load_application(&tx, application_id)?;
    transition(&tx, session, now, &mut app, ApplicationEvent::Withdraw)?;
    legacy_audit(
        &tx,
        session,
        now,
        "withdraw",
        &format!("application:{application_id}"),
        reason,
    )?;
    tx.commit()?;
    Ok(())
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
    let mut stmt = store.conn().prepare_cached(
        "SELECT code, name FROM order49_professions WHERE list_id = (SELECT max(id) FROM reference_lists WHERE list = 'order-49') ORDER BY code",
    )?;
    let all = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
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
    let tx = write_tx(store.conn_mut())?;
    let applicant = load_applicant(&tx, id)?;
    legacy_audit(
        &tx,
        session,
        now,
        "open_applicant",
        &format!("applicant:{id}"),
        "",
    )?;
    tx.commit()?;
    Ok(applicant)
}

/// An applicant found by IIN or identity-document number (for intake: reuse, or warn of a
/// probable duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantMatch {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub applications: i64,
}

pub fn find_applicants(
    store: &Store,
    session: &Session,
    iin: &str,
    doc_number: &str,
) -> Result<Vec<ApplicantMatch>> {
    session.require(Action::ViewPersonalData)?;
    let mut stmt = store.conn().prepare_cached(
        "SELECT p.id, p.surname, p.given_name, coalesce(p.patronymic, ''), p.birth_date,
                (SELECT count(*) FROM applications a WHERE a.applicant_id = p.id)
         FROM applicants p WHERE (?1 <> '' AND p.iin = ?1) OR (?2 <> '' AND p.doc_number = ?2) ORDER BY p.id LIMIT 20",
    )?;
    let rows = stmt
        .query_map(params![iin.trim(), doc_number.trim()], |r| {
            Ok(ApplicantMatch {
                id: r.get(0)?,
                full_name: full_name(
                    &r.get::<_, String>(1)?,
                    &r.get::<_, String>(2)?,
                    &r.get::<_, String>(3)?,
                ),
                birth_date: r.get(4)?,
                applications: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A line of the registry: what the list shows, without identity numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    pub id: i64,
    pub number: String,
    pub applicant: String,
    pub kind: ApplicationKind,
    pub profession: String,
    pub status: ApplicationStatus,
    pub registered_on: NaiveDate,
    pub next_deadline: Option<NaiveDate>,
}

/// Filters of the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistryFilter {
    pub text: String,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    /// Only open applications whose current deadline is before this day.
    pub overdue_on: Option<NaiveDate>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
}

/// Registry sort orders.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RegistrySort {
    #[default]
    Newest,
    Oldest,
    Deadline,
    Number,
}

const REGISTRY_SELECT: &str = "SELECT a.id, a.number, p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), a.kind, pr.name,
        a.status, a.registered_on, a.next_deadline
    FROM applications a JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id";

type RawRegistryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

fn registry_row(r: &Row<'_>) -> rusqlite::Result<RawRegistryRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn to_registry_row(raw: RawRegistryRow) -> Result<RegistryRow> {
    let (id, number, applicant, kind, profession, status, registered_on, next) = raw;
    Ok(RegistryRow {
        id,
        number,
        applicant,
        kind: kind
            .parse()
            .map_err(|_| crate::store::rows::unknown("kind", &kind))?,
        profession,
        status: ApplicationStatus::from_code(&status)
            .ok_or_else(|| crate::store::rows::unknown("status", &status))?,
        registered_on: parse_date(&registered_on)?,
        next_deadline: crate::store::rows::opt_date(next.as_deref())?,
    })
}

fn registry_where(filter: &RegistryFilter) -> (String, Vec<rusqlite::types::Value>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(query) = search::fts_query(&filter.text) {
        conditions.push("a.id IN (SELECT rowid FROM search WHERE search MATCH ?)".into());
        values.push(query.into());
    }
    if let Some(status) = filter.status {
        conditions.push("a.status = ?".into());
        values.push(status.code().to_string().into());
    }
    if let Some(kind) = filter.kind {
        conditions.push("a.kind = ?".into());
        values.push(kind.code().to_string().into());
    }
    if let Some(day) = filter.overdue_on {
        conditions.push("a.next_deadline < ?".into());
        values.push(day.to_string().into());
    }
    if let Some(from) = filter.registered_from {
        conditions.push("a.registered_on >= ?".into());
        values.push(from.to_string().into());
    }
    if let Some(to) = filter.registered_to {
        conditions.push("a.registered_on <= ?".into());
        values.push(to.to_string().into());
    }
    let where_clause = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (where_clause, values)
}

fn registry_order(sort: RegistrySort) -> &'static str {
    match sort {
        RegistrySort::Newest => "a.id DESC",
        RegistrySort::Oldest => "a.id ASC",
        RegistrySort::Deadline => "a.next_deadline IS NULL, a.next_deadline, a.id",
        RegistrySort::Number => "a.number",
    }
}

/// One page of the registry.
pub fn registry_page(
    store: &Store,
    session: &Session,
    filter: &RegistryFilter,
    sort: RegistrySort,
    offset: usize,
    limit: usize,
) -> Result<Vec<RegistryRow>> {
    session.require(Action::ViewRegistry)?;
    let (where_clause, mut values) = registry_where(filter);
    let sql = format!(
        "{REGISTRY_SELECT}{where_clause} ORDER BY {} LIMIT ? OFFSET ?",
        registry_order(sort)
    );
    values.push((limit as i64).into());
    values.push((offset as i64).into());
    let mut stmt = store.conn().prepare_cached(&sql)?;
    let raws = stmt
        .query_map(rusqlite::params_from_iter(values), registry_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(to_registry_row).collect()
}

/// At most this many matches of a text search are listed (the newest); the registry says so.
pub const SEARCH_CAP: usize = 300;

/// The ids of every application matching `filter`, in display order: the registry keeps them
/// and loads only the rows on screen. A text search lists the newest [`SEARCH_CAP`] matches:
/// a query of one letter matches a large part of 10^6 applications, and the full-text index
/// hands them out newest first without reading the rest.
pub fn registry_ids(
    store: &Store,
    session: &Session,
    filter: &RegistryFilter,
    sort: RegistrySort,
) -> Result<Vec<i64>> {
    session.require(Action::ViewRegistry)?;
    let text = search::fts_query(&filter.text);
    let rest = RegistryFilter {
        text: String::new(),
        ..filter.clone()
    };
    let (where_clause, mut values) = registry_where(&rest);
    let sql = match &text {
        Some(query) => {
            values.insert(0, query.clone().into());
            format!(
                "SELECT a.id FROM (SELECT rowid AS id FROM search WHERE search MATCH ? ORDER BY rowid DESC LIMIT {SEARCH_CAP}) s
                 JOIN applications a ON a.id = s.id{where_clause} ORDER BY {}",
                registry_order(sort)
            )
        }
        None => format!(
            "SELECT a.id FROM applications a{where_clause} ORDER BY {}",
            registry_order(sort)
        ),
    };
    let mut stmt = store.conn().prepare_cached(&sql)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(values), |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// The registry rows of the given ids, in the same order.
pub fn registry_rows(store: &Store, session: &Session, ids: &[i64]) -> Result<Vec<RegistryRow>> {
    session.require(Action::ViewRegistry)?;
    let mut stmt = store
        .conn()
        .prepare_cached(&format!("{REGISTRY_SELECT} WHERE a.id = ?1"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let raw = stmt.query_row([id], registry_row)?;
        out.push(to_registry_row(raw)?);
    }
    Ok(out)
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
    let conn = store.conn();
    let ids = search::search(conn, typed, offset, limit)?;
    let mut stmt = conn.prepare_cached(&format!("{REGISTRY_SELECT} WHERE a.id = ?1"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let raw = stmt.query_row([id], registry_row)?;
        out.push(to_registry_row(raw)?);
    }
    Ok(out)
}
