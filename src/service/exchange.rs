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
//! Every record is validated (the same checks as the window's form, `domain::forms`: lengths,
//! refused characters, a letter in a name); if any fails, nothing is imported and the report
//! names each failing record by its position. The same applicant twice in one file (the same
//! IIN, or the same document series and number when a record has no IIN) is an error of the
//! later record. `citizenship` is kept as the portal sends it (free text, not
//! checked against `assets/countries.json`); the window shows a name of that list in the
//! interface's language and anything else as stored. `profession` is a key of the version of the
//! priority list in force.
//!
//! ## The export
//!
//! A cell that a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) is written to CSV with a leading `'` (the OWASP advice on CSV
//! injection), so Excel shows `=HYPERLINK(…)` as text. XLSX cells are always written as strings,
//! never as formulas, and one longer than Excel's 32 767 characters is cut and ends with
//! «…[обрезано, всего N симв.]».

use std::borrow::Cow;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;

use super::applications::register_in;
use super::{Result, RuleError, ServiceError, Session, audit};
use crate::domain::documents::{DocumentType, ReissueReason};
use crate::domain::forms::{ApplicantInput, ApplicationInput, Channel, Hidden};
use crate::domain::kind::ApplicationKind;
use crate::domain::roles::Action;
use crate::domain::status::{ApplicationStatus, CertificateStatus};
use crate::store::exchange::{self as stored, ApplicationExportRow, CertificateExportRow};
use crate::store::{Store, StoreError, Tx, certificates, reference};

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
    let outcome = store.write(|tx| import_all(tx, session, now, values));
    match outcome {
        Ok(numbers) => Ok(ImportReport::Imported {
            count: numbers.len(),
            numbers,
        }),
        Err(ImportFailure::Records(errors)) => Ok(ImportReport::Refused { errors }),
        Err(ImportFailure::Service(e)) => Err(e),
    }
}

/// Why an import wrote nothing (the transaction is rolled back): some records are wrong, or the
/// use case itself failed.
enum ImportFailure {
    Records(Vec<RecordError>),
    Service(ServiceError),
}

impl From<ServiceError> for ImportFailure {
    fn from(e: ServiceError) -> Self {
        Self::Service(e)
    }
}

impl From<StoreError> for ImportFailure {
    fn from(e: StoreError) -> Self {
        Self::Service(e.into())
    }
}

/// Registers every record, each in a savepoint; the numbers given, or every failing record.
fn import_all(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    values: Vec<serde_json::Value>,
) -> std::result::Result<Vec<String>, ImportFailure> {
    let (list_id, _) = reference::current_priority_list(tx)?;
    let mut errors = Vec::new();
    let mut numbers = Vec::new();
    let mut people: Vec<(usize, Person)> = Vec::new();
    for (index, value) in values.into_iter().enumerate() {
        let record = index + 1;
        let parsed: ImportRecord = match serde_json::from_value(value) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(RecordError {
                    record,
                    message: report_text(&e.to_string()),
                });
                continue;
            }
        };
        let person = Person::of(&parsed.applicant);
        if let Some((earlier, by)) = people
            .iter()
            .find_map(|(r, p)| Some((*r, p.same(&person)?)))
        {
            errors.push(RecordError {
                record,
                message: format!("the same applicant as record {earlier} ({by})"),
            });
            continue;
        }
        people.push((record, person));
        match stored::savepoint(tx, |tx| import_one(tx, session, now, list_id, parsed))? {
            Ok(number) => numbers.push(number),
            Err(e) => errors.push(RecordError {
                record,
                message: report_text(&e.to_string()),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ImportFailure::Records(errors));
    }
    audit(
        tx,
        session,
        now,
        "import_applications",
        "applications",
        &format!("{} applications imported", numbers.len()),
    )?;
    Ok(numbers)
}

/// The longest message of a record's report, in characters.
const REPORT_MAX: usize = 2000;

/// A message of the report that is safe to print on a terminal: the values it quotes from the
/// file show their control, bidi and invisible characters as `\u{1b}`, and a long message is
/// cut (a megabyte of a refused name is not printed back).
fn report_text(message: &str) -> String {
    let mut out = String::new();
    for (n, c) in message.chars().enumerate() {
        if n == REPORT_MAX {
            out.push('…');
            break;
        }
        if Hidden::of(c).is_some() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// Who a record is about, to find the same applicant twice in one file.
struct Person {
    iin: String,
    /// The document's series and number, without spaces, in capitals.
    document: String,
}

impl Person {
    fn of(a: &ImportApplicant) -> Self {
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_uppercase)
                .collect()
        };
        Self {
            iin: a.iin.trim().to_string(),
            document: format!(
                "{}|{}",
                squeeze(&a.document.series),
                squeeze(&a.document.number)
            ),
        }
    }

    /// Why `other` is the same person: the same IIN, or (when one of them has none) the same
    /// document.
    fn same(&self, other: &Self) -> Option<&'static str> {
        if !self.iin.is_empty() && self.iin == other.iin {
            return Some("same IIN");
        }
        let no_iin = self.iin.is_empty() || other.iin.is_empty();
        let has_number = !self.document.ends_with('|');
        (no_iin && has_number && self.document == other.document)
            .then_some("same document series and number")
    }
}

fn import_one(
    tx: &Tx<'_>,
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
    let Some(profession_id) = reference::profession_by_key(tx, list_id, &r.profession)? else {
        return Err(ServiceError::UnknownProfession);
    };
    let certificate =
        match &r.certificate_number {
            Some(number) => Some(certificates::find_original(tx, number.trim())?.ok_or_else(
                || ServiceError::NotFound {
                    what: "certificate",
                    id: number.clone(),
                },
            )?),
            None => None,
        };
    let certificate_id = certificate.as_ref().map(|c| c.id);
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
    let existing = certificate.map(|c| c.applicant_id);
    Ok(register_in(
        tx,
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

/// The words of an export in its reader's language: the column headers, the kinds and the
/// statuses (issue 14: `issue`, `with_commission` under Russian headers). The shell gives them
/// from its translation tables, so the service writes no interface text of its own.
pub trait ExportWords {
    /// The column headers of `register`, in the order of the cells.
    fn header(&self, register: Register) -> Vec<String>;
    fn kind(&self, kind: ApplicationKind) -> String;
    fn status(&self, status: ApplicationStatus) -> String;
    fn certificate_status(&self, status: CertificateStatus) -> String;
    /// The citizenship column of a stateless applicant.
    fn stateless(&self) -> String;
    /// The number column of a duplicate: the number and a mark.
    fn duplicate(&self, number: &str) -> String;
}

/// One cell of an export: text, or a date that a spreadsheet reads as a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    Text(String),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

impl Cell {
    /// As a CSV writes it: dates as `23.11.2026` and `23.11.2026 10:15`, the way both
    /// languages of the interface write them.
    fn text(&self) -> Cow<'_, str> {
        match self {
            Self::Text(text) => Cow::Borrowed(text),
            Self::Date(date) => Cow::Owned(date.format("%d.%m.%Y").to_string()),
            Self::Time(time) => Cow::Owned(time.format("%d.%m.%Y %H:%M").to_string()),
        }
    }
}

/// Writes a register to `out` and records the export in the audit (personal data leaves the
/// program: identity numbers are not exported). Headers, kinds and statuses are in `words`'
/// language; XLSX dates are date cells.
pub fn export(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    register: Register,
    format: Format,
    out: &Path,
    words: &dyn ExportWords,
) -> Result<usize> {
    session.require(Action::ViewPersonalData)?;
    let rows: Vec<Vec<Cell>> = store.read(|tx| {
        Ok::<_, StoreError>(match register {
            Register::Applications => stored::applications(tx)?
                .into_iter()
                .map(|row| application_cells(row, words))
                .collect(),
            Register::Certificates => stored::certificates(tx)?
                .into_iter()
                .map(|row| certificate_cells(row, words))
                .collect(),
        })
    })?;
    let header = words.header(register);
    let partial = out.with_extension("partial");
    match format {
        Format::Csv => write_csv(&partial, &header, &rows)?,
        Format::Xlsx => write_xlsx(&partial, &header, &rows)?,
    }
    crate::platform::retry::rename(&partial, out).map_err(crate::store::StoreError::from)?;
    store.write(|tx| {
        audit(
            tx,
            session,
            now,
            "export",
            &format!("{register:?}").to_lowercase(),
            &format!("{} rows to {format:?}", rows.len()),
        )
    })?;
    Ok(rows.len())
}

/// The cells of an application's line, under [`ExportWords::header`].
fn application_cells(row: ApplicationExportRow, words: &dyn ExportWords) -> Vec<Cell> {
    vec![
        Cell::Text(row.number),
        Cell::Text(words.kind(row.kind)),
        Cell::Text(words.status(row.status)),
        Cell::Time(row.filed_at),
        Cell::Date(row.registered_on),
        Cell::Date(row.decision_by),
        Cell::Text(row.applicant),
        Cell::Text(row.citizenship.unwrap_or_else(|| words.stateless())),
        Cell::Text(row.profession),
        Cell::Text(row.sector),
        Cell::Text(row.employer),
    ]
}

/// The cells of a certificate's line, under [`ExportWords::header`].
fn certificate_cells(row: CertificateExportRow, words: &dyn ExportWords) -> Vec<Cell> {
    vec![
        Cell::Text(if row.duplicate {
            words.duplicate(&row.number)
        } else {
            row.number
        }),
        Cell::Date(row.issued_on),
        Cell::Date(row.valid_from),
        Cell::Date(row.valid_to),
        Cell::Text(words.certificate_status(row.status)),
        Cell::Text(row.holder),
        Cell::Text(row.profession),
        Cell::Text(row.basis),
    ]
}

fn write_csv(out: &Path, header: &[String], rows: &[Vec<Cell>]) -> Result<()> {
    let io = |e: csv::Error| RuleError::Invalid(format!("cannot write {}: {e}", out.display()));
    let mut writer = csv::Writer::from_path(out).map_err(io)?;
    writer.write_record(header).map_err(io)?;
    for row in rows {
        writer
            .write_record(row.iter().map(|cell| csv_cell(&cell.text()).into_owned()))
            .map_err(io)?;
    }
    writer
        .flush()
        .map_err(|e| RuleError::Invalid(format!("cannot write {}: {e}", out.display())))?;
    Ok(())
}

fn write_xlsx(out: &Path, header: &[String], rows: &[Vec<Cell>]) -> Result<()> {
    let io = |e: rust_xlsxwriter::XlsxError| {
        RuleError::Invalid(format!("cannot write {}: {e}", out.display()))
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, title) in header.iter().enumerate() {
        sheet
            .write_with_format(0, col as u16, title.as_str(), &bold)
            .map_err(io)?;
    }
    let day = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let minute = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy hh:mm");
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let col = col as u16;
            match cell {
                // Text is always a string: a value is never written as a formula.
                Cell::Text(value) => {
                    sheet.write_string(r, col, xlsx_cell(value)).map_err(io)?;
                }
                // Dates are date cells with a date format (issue 14: they were text).
                Cell::Date(date) => {
                    sheet
                        .write_datetime_with_format(r, col, excel_date(*date, None)?, &day)
                        .map_err(io)?;
                }
                Cell::Time(time) => {
                    let value = excel_date(time.date(), Some(time.time()))?;
                    sheet
                        .write_datetime_with_format(r, col, value, &minute)
                        .map_err(io)?;
                }
            }
        }
    }
    sheet.autofit();
    book.save(out).map_err(io)?;
    Ok(())
}

/// A date (and time) as Excel stores it.
fn excel_date(
    date: NaiveDate,
    time: Option<chrono::NaiveTime>,
) -> Result<rust_xlsxwriter::ExcelDateTime> {
    use chrono::{Datelike, Timelike};
    let bad = |e: rust_xlsxwriter::XlsxError| RuleError::Invalid(format!("{date}: {e}"));
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(
        date.year() as u16,
        date.month() as u8,
        date.day() as u8,
    )
    .map_err(bad)?;
    match time {
        None => Ok(day),
        Some(t) => Ok(day
            .and_hms(t.hour() as u16, t.minute() as u8, f64::from(t.second()))
            .map_err(bad)?),
    }
}

/// A CSV cell that a spreadsheet cannot run: one that starts like a formula (`=`, `+`, `-`,
/// `@`, their full-width forms, a tab or a carriage return) gets a leading `'`, the OWASP advice
/// on CSV injection; Excel then shows the text as typed.
pub(crate) fn csv_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{text}"))
        }
        _ => Cow::Borrowed(text),
    }
}

/// Excel's limit on the text of a cell, in UTF-16 units.
pub(crate) const XLSX_CELL_MAX: usize = 32_767;

/// An XLSX cell within Excel's limit: a longer text is cut and ends with a mark that says so and
/// gives its whole length.
pub(crate) fn xlsx_cell(text: &str) -> Cow<'_, str> {
    if text.encode_utf16().count() <= XLSX_CELL_MAX {
        return Cow::Borrowed(text);
    }
    let mark = format!("…[обрезано, всего {} симв.]", text.chars().count());
    let room = XLSX_CELL_MAX - mark.encode_utf16().count();
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        used += c.len_utf16();
        if used > room {
            break;
        }
        kept.push(c);
    }
    kept.push_str(&mark);
    Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx, open_workbook};

    use super::*;

    fn rows(cells: &[&str]) -> Vec<Vec<Cell>> {
        vec![cells.iter().map(|c| Cell::Text((*c).to_string())).collect()]
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn dates_are_date_cells_with_a_date_format() {
        // Issue 14: XLSX dates were text ('2023-07-01T10:12:00'); the CSV writes them as read.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("d.xlsx");
        let day = NaiveDate::from_ymd_opt(2023, 7, 1).unwrap_or_default();
        let time = day.and_hms_opt(10, 12, 0).unwrap_or_default();
        let row = vec![vec![Cell::Date(day), Cell::Time(time)]];
        write_xlsx(&out, &header(&["Дата", "Время"]), &row).unwrap_or_else(|e| panic!("{e}"));
        let mut book: Xlsx<_> = open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        let sheet = book
            .worksheet_range_at(0)
            .and_then(Result::ok)
            .unwrap_or_default();
        let Some(Data::DateTime(d)) = sheet.get((1, 0)) else {
            panic!("not a date cell: {:?}", sheet.get((1, 0)));
        };
        // Excel's serial day of 1 July 2023.
        assert!(d.is_datetime());
        assert!((d.as_f64() - 45108.0).abs() < 1e-9, "{}", d.as_f64());
        let Some(Data::DateTime(t)) = sheet.get((1, 1)) else {
            panic!("not a date cell: {:?}", sheet.get((1, 1)));
        };
        assert!(
            (t.as_f64() - (45108.0 + 612.0 / 1440.0)).abs() < 1e-6,
            "{}",
            t.as_f64()
        );
        assert_eq!(Cell::Date(day).text(), "01.07.2023");
        assert_eq!(Cell::Time(time).text(), "01.07.2023 10:12");
    }

    #[test]
    fn the_report_quotes_no_escape_sequence() {
        // Issue 12, item 8: a value of the file quoted in the report cannot drive the terminal.
        assert_eq!(
            report_text("unknown channel '\u{1b}[2Jegov'"),
            "unknown channel '\\u{1b}[2Jegov'"
        );
        let long = report_text(&"x".repeat(1 << 20));
        assert_eq!(long.chars().count(), REPORT_MAX + 1);
    }

    #[test]
    fn a_formula_in_a_csv_cell_stays_text() {
        // Issue 12, item 8: a surname `=HYPERLINK(…)` went into the CSV as is, and Excel ran it.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("x.csv");
        let hyperlink = "=HYPERLINK(\"http://evil.example\",\"Нажмите\")";
        let cells = [
            hyperlink,
            "+7 701 000 00 00",
            "-1",
            "@SUM(A1)",
            "\tтаб",
            "Қасымов",
        ];
        write_csv(
            &out,
            &header(&["a", "b", "c", "d", "e", "f"]),
            &rows(&cells),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut reader = csv::Reader::from_path(&out).unwrap_or_else(|e| panic!("{e}"));
        let written: Vec<String> = reader
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        assert_eq!(
            written,
            [
                format!("'{hyperlink}"),
                "'+7 701 000 00 00".into(),
                "'-1".into(),
                "'@SUM(A1)".into(),
                "'\tтаб".into(),
                "Қасымов".into()
            ]
        );
        // The header is written as it is.
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        assert!(text.starts_with("a,b,c"));
    }

    #[test]
    fn an_xlsx_cell_is_a_string_never_a_formula() {
        // Issue 12, item 8: the same surname in XLSX is a text cell, with no formula anywhere.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("x.xlsx");
        let hyperlink = "=HYPERLINK(\"http://evil.example\",\"Нажмите\")";
        write_xlsx(&out, &header(&["Заявитель"]), &rows(&[hyperlink]))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut book: Xlsx<_> = open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        let sheet = book
            .worksheet_range_at(0)
            .and_then(Result::ok)
            .unwrap_or_default();
        assert_eq!(sheet.get((1, 0)), Some(&Data::String(hyperlink.into())));
        let formulas = book
            .worksheet_formula(&book.sheet_names()[0].clone())
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formula is written"
        );
    }

    #[test]
    fn a_40000_character_value_does_not_break_the_xlsx() {
        // Issue 12, item 8: a 40 000-character name made the whole XLSX export fail. The
        // services refuse such a name now; the writer still must not fail on any text.
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("x.xlsx");
        let long = "Я".repeat(40_000);
        write_xlsx(
            &out,
            &header(&["Заявитель", "Номер"]),
            &rows(&[&long, "2026-000001"]),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut book: Xlsx<_> = open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        let sheet = book
            .worksheet_range_at(0)
            .and_then(Result::ok)
            .unwrap_or_default();
        let Some(Data::String(cell)) = sheet.get((1, 0)) else {
            panic!("the long cell is missing");
        };
        assert_eq!(cell.encode_utf16().count(), XLSX_CELL_MAX);
        assert!(cell.starts_with("ЯЯЯ"));
        assert!(
            cell.ends_with("…[обрезано, всего 40000 симв.]"),
            "visible mark"
        );
        assert_eq!(sheet.get((1, 1)), Some(&Data::String("2026-000001".into())));
        // Characters outside the BMP count twice for Excel and are never split.
        let emoji = xlsx_cell(&"😀".repeat(20_000)).into_owned();
        assert!(emoji.encode_utf16().count() <= XLSX_CELL_MAX);
        assert_eq!(xlsx_cell("short"), "short");
    }
}
