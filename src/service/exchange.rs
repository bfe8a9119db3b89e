//! Import of applications as they arrive from the e-government portal, and export of the
//! registers to CSV or XLSX.
//!
//! ## The import format
//!
//! A JSON array; each element is one application:
//!
//! ```json
//! {
//!   "kind": "issue",                       // issue | extend | reissue | duplicate
//!   "filed_at": "2026-11-20T10:15",        // local time of the body
//!   "channel": "egov",                     // egov | elicense | migration | paper
//!   "consent": true,                       // consent to the processing of personal data
//!   "applicant": {
//!     "surname": "Қасымқызы", "given_name": "Айгерім", "patronymic": "",
//!     "citizenship": "Кыргызстан", "stateless": false, "birth_date": "1990-05-01",
//!     "iin": "900501400123",
//!     "document": { "type": "паспорт", "series": "AC", "number": "1234567",
//!                   "issued_on": "2020-01-10", "issued_by": "МВД КР" },
//!     "address": "", "phone": "", "fax": "", "residence_abroad": "", "residence_phone": "",
//!     "email": "", "representative_name": "", "representative_poa": ""
//!   },
//!   "profession": "3.1.2",                 // sector.activity.number in the priority list
//!   "employer": { "name": "ТОО «Алма»", "id": "940140000385" },   // optional
//!   "contract_end": "2027-11-30",          // extension only
//!   "certificate_number": "00001/2026",    // extend, reissue, duplicate
//!   "reissue_reason": "name_changed",      // reissue only
//!   "documents": ["application", "identity_document"]   // items received (A2.8 codes)
//! }
//! ```
//!
//! Every record is validated; if any fails, nothing is imported and the report names each
//! failing record by its position.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::OptionalExtension;
use serde::Deserialize;

use super::applications::register_in;
use super::{Result, RuleError, ServiceError, Session, legacy_audit, write_tx};
use crate::domain::documents::{DocumentType, ReissueReason};
use crate::domain::forms::{ApplicantInput, ApplicationInput, Channel};
use crate::domain::kind::ApplicationKind;
use crate::domain::roles::Action;
use crate::store::{Store, reference};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportDocument {
    #[serde(rename = "type")]
    doc_type: String,
    #[serde(default)]
    series: String,
    number: String,
    #[serde(default)]
    issued_on: Option<NaiveDate>,
    #[serde(default)]
    issued_by: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportApplicant {
    surname: String,
    given_name: String,
    #[serde(default)]
    patronymic: String,
    #[serde(default)]
    citizenship: String,
    #[serde(default)]
    stateless: bool,
    birth_date: Option<NaiveDate>,
    #[serde(default)]
    iin: String,
    document: ImportDocument,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    fax: String,
    #[serde(default)]
    residence_abroad: String,
    #[serde(default)]
    residence_phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    representative_name: String,
    #[serde(default)]
    representative_poa: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportEmployer {
    name: String,
    id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportRecord {
    kind: ApplicationKind,
    filed_at: String,
    channel: String,
    consent: bool,
    applicant: ImportApplicant,
    profession: String,
    #[serde(default)]
    employer: Option<ImportEmployer>,
    #[serde(default)]
    contract_end: Option<NaiveDate>,
    #[serde(default)]
    certificate_number: Option<String>,
    #[serde(default)]
    reissue_reason: Option<ReissueReason>,
    #[serde(default)]
    documents: Vec<String>,
}

/// One record that cannot be imported: its position (from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub record: usize,
    pub message: String,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportReport {
    Imported { count: usize, numbers: Vec<String> },
    Refused { errors: Vec<RecordError> },
}

/// Imports a file of applications, all or nothing.
pub fn import_applications(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    text: &str,
) -> Result<ImportReport> {
    session.require(Action::RegisterApplication)?;
    let values: Vec<serde_json::Value> = serde_json::from_str(text).map_err(|e| {
        RuleError::Invalid(format!("the file is not a JSON array of applications: {e}"))
    })?;
    let mut tx = write_tx(store.conn_mut())?;
    let (list_id, _) = reference::current_priority_list(&crate::store::Tx::wrap(&tx))?;
    let mut errors = Vec::new();
    let mut numbers = Vec::new();
    for (index, value) in values.into_iter().enumerate() {
        let record = index + 1;
        let parsed: ImportRecord = match serde_json::from_value(value) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(RecordError {
                    record,
                    message: e.to_string(),
                });
                continue;
            }
        };
        let mut savepoint = tx.savepoint()?;
        match import_one(&savepoint, session, now, list_id, parsed) {
            Ok(number) => {
                savepoint.commit()?;
                numbers.push(number);
            }
            Err(e) => {
                savepoint.rollback()?;
                errors.push(RecordError {
                    record,
                    message: e.to_string(),
                });
            }
        }
    }
    if !errors.is_empty() {
        tx.rollback()?;
        return Ok(ImportReport::Refused { errors });
    }
    legacy_audit(
        &tx,
        session,
        now,
        "import_applications",
        "applications",
        &format!("{} applications imported", numbers.len()),
    )?;
    tx.commit()?;
    Ok(ImportReport::Imported {
        count: numbers.len(),
        numbers,
    })
}

fn import_one(
    conn: &rusqlite::Connection,
    session: &Session,
    now: NaiveDateTime,
    list_id: i64,
    r: ImportRecord,
) -> Result<String> {
    let filed_at = NaiveDateTime::parse_from_str(&r.filed_at, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&r.filed_at, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| {
            RuleError::Invalid(format!("filed_at '{}' is not YYYY-MM-DDTHH:MM", r.filed_at))
        })?;
    let channel = Channel::from_code(&r.channel)
        .ok_or_else(|| RuleError::Invalid(format!("unknown channel '{}'", r.channel)))?;
    let profession_id: Option<i64> = conn
        .query_row(
            "SELECT id FROM professions WHERE list_id = ?1 AND key = ?2",
            rusqlite::params![list_id, r.profession],
            |row| row.get(0),
        )
        .optional()?;
    let Some(profession_id) = profession_id else {
        return Err(ServiceError::UnknownProfession);
    };
    let certificate_id = match &r.certificate_number {
        Some(number) => {
            let id: Option<i64> = conn
                .query_row(
                    "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NULL",
                    [number.trim()],
                    |row| row.get(0),
                )
                .optional()?;
            Some(id.ok_or_else(|| ServiceError::NotFound {
                what: "certificate",
                id: number.clone(),
            })?)
        }
        None => None,
    };
    let mut received = Vec::new();
    for code in &r.documents {
        received.push(
            DocumentType::from_code(code)
                .ok_or_else(|| RuleError::Invalid(format!("unknown document '{code}'")))?,
        );
    }
    let a = r.applicant;
    let applicant = ApplicantInput {
        surname: a.surname,
        given_name: a.given_name,
        patronymic: a.patronymic,
        citizenship: a.citizenship,
        stateless: a.stateless,
        birth_date: a.birth_date,
        iin: a.iin,
        doc_type: a.document.doc_type,
        doc_series: a.document.series,
        doc_number: a.document.number,
        doc_issued_on: a.document.issued_on,
        doc_issued_by: a.document.issued_by,
        address: a.address,
        phone: a.phone,
        fax: a.fax,
        residence_abroad: a.residence_abroad,
        residence_phone: a.residence_phone,
        email: a.email,
        representative_name: a.representative_name,
        representative_poa: a.representative_poa,
    };
    let (employer_name, employer_id) = r.employer.map(|e| (e.name, e.id)).unwrap_or_default();
    let application = ApplicationInput {
        kind: r.kind,
        reissue_reason: r.reissue_reason,
        profession_id: Some(profession_id),
        certificate_id,
        employer_name,
        employer_id,
        contract_end: r.contract_end,
        consent: r.consent,
        channel,
        filed_at,
    };
    // The holder of the certificate is the same person: reuse the applicant.
    let existing: Option<i64> = match certificate_id {
        Some(id) => conn
            .query_row(
                "SELECT applicant_id FROM certificates WHERE id = ?1",
                [id],
                |row| row.get(0),
            )
            .optional()?,
        None => None,
    };
    Ok(register_in(
        &crate::store::Tx::wrap(conn),
        session,
        now,
        existing,
        &applicant,
        &application,
        &received,
    )?
    .number)
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Applications,
    Certificates,
}

const APPLICATION_HEADER: [&str; 11] = [
    "Номер",
    "Вид",
    "Статус",
    "Подано",
    "Зарегистрировано",
    "Срок решения",
    "Заявитель",
    "Гражданство",
    "Профессия",
    "Отрасль",
    "Работодатель",
];

const CERTIFICATE_HEADER: [&str; 8] = [
    "Номер справки",
    "Дата выдачи",
    "Действует с",
    "Действует по",
    "Статус",
    "Владелец",
    "Профессия",
    "Основание",
];

/// Writes a register to `out` and records the export in the audit (personal data leaves the
/// program: identity numbers are not exported).
pub fn export(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    register: Register,
    format: Format,
    out: &Path,
) -> Result<usize> {
    session.require(Action::ViewPersonalData)?;
    let rows = {
        let conn = store.conn();
        let sql = match register {
            Register::Applications => {
                "SELECT a.number, a.kind, a.status, a.filed_at, a.registered_on, a.decision_by,
                        p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), coalesce(p.citizenship, 'без гражданства'),
                        pr.name, pr.sector, coalesce(a.employer_name, '')
                 FROM applications a JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id
                 ORDER BY a.id"
            }
            Register::Certificates => {
                "SELECT c.number || CASE WHEN c.duplicate_of IS NULL THEN '' ELSE ' (дубликат)' END, c.issued_on, c.valid_from, c.valid_to,
                        c.status, p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), pr.name, c.basis
                 FROM certificates c JOIN applicants p ON p.id = c.applicant_id JOIN professions pr ON pr.id = c.profession_id
                 ORDER BY c.id"
            }
        };
        let width = match register {
            Register::Applications => APPLICATION_HEADER.len(),
            Register::Certificates => CERTIFICATE_HEADER.len(),
        };
        let mut stmt = conn.prepare(sql)?;
        stmt.query_map([], |r| {
            (0..width)
                .map(|i| r.get::<_, String>(i))
                .collect::<rusqlite::Result<Vec<String>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let header: &[&str] = match register {
        Register::Applications => &APPLICATION_HEADER,
        Register::Certificates => &CERTIFICATE_HEADER,
    };
    let partial = out.with_extension("partial");
    match format {
        Format::Csv => write_csv(&partial, header, &rows)?,
        Format::Xlsx => write_xlsx(&partial, header, &rows)?,
    }
    std::fs::rename(&partial, out).map_err(crate::store::StoreError::from)?;
    let tx = write_tx(store.conn_mut())?;
    legacy_audit(
        &tx,
        session,
        now,
        "export",
        &format!("{register:?}").to_lowercase(),
        &format!("{} rows to {format:?}", rows.len()),
    )?;
    tx.commit()?;
    Ok(rows.len())
}

fn write_csv(out: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let io = |e: csv::Error| RuleError::Invalid(format!("cannot write {}: {e}", out.display()));
    let mut writer = csv::Writer::from_path(out).map_err(io)?;
    writer.write_record(header).map_err(io)?;
    for row in rows {
        writer.write_record(row).map_err(io)?;
    }
    writer
        .flush()
        .map_err(|e| RuleError::Invalid(format!("cannot write {}: {e}", out.display())))?;
    Ok(())
}

fn write_xlsx(out: &Path, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let io = |e: rust_xlsxwriter::XlsxError| {
        RuleError::Invalid(format!("cannot write {}: {e}", out.display()))
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, title) in header.iter().enumerate() {
        sheet
            .write_with_format(0, col as u16, *title, &bold)
            .map_err(io)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, value) in row.iter().enumerate() {
            sheet
                .write(r as u32 + 1, col as u16, value.as_str())
                .map_err(io)?;
        }
    }
    sheet.autofit();
    book.save(out).map_err(io)?;
    Ok(())
}
