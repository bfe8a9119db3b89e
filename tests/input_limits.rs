//! Trust and safety of input (issue 12, item 8): a file from the portal goes through the same
//! checks as the window's form, all or nothing, and what is exported cannot run in a
//! spreadsheet.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{applicant, at, issue_application, ok, register, world};
use serde_json::{Value, json};
use spravka::domain::documents::required_documents;
use spravka::domain::forms::{Field, Hidden, Problem};
use spravka::domain::kind::ApplicationKind;
use spravka::service::exchange::{self, Format, ImportReport, Register};
use spravka::service::{Missing, RuleError, ServiceError, applications};

/// A valid record of the portal, for `surname` with `iin` (empty for a paper filing) and the
/// document `number`.
fn record(surname: &str, iin: &str, number: &str) -> Value {
    let (channel, birth) = if iin.is_empty() {
        ("paper", "1980-01-01")
    } else {
        ("egov", "1987-10-08")
    };
    json!({
        "kind": "issue", "filed_at": "2026-11-20T10:15", "channel": channel, "consent": true,
        "applicant": {
            "surname": surname, "given_name": "Айгерім", "citizenship": "Кыргызстан",
            "birth_date": birth, "iin": iin,
            "document": {"type": "паспорт", "series": "AC", "number": number}
        },
        "profession": "3.1.2",
        "documents": ["application", "identity_document"]
    })
}

#[test]
fn a_file_with_bad_input_is_refused_whole() {
    let mut w = world();
    let now = at("2026-11-22 12:00");
    let mut given_name_of_a_megabyte = record("Сейтова", "", "5000001");
    given_name_of_a_megabyte["applicant"]["given_name"] = json!("Ж".repeat(1 << 20));
    let file = json!([
        record("Қасымқызы", "871008401427", "1234567"),
        record("Қас\u{0}ымқызы", "", "2000001"),
        record("Сикова", "", "30\u{202E}00001"),
        given_name_of_a_megabyte,
        record("\u{200B}\u{200B}", "", "6000001"),
        record("\u{0301}\u{0301}", "", "7000001"),
        // The same person as record 1 (the same IIN), and as record 9 (the same document).
        record("Қасымқызы", "871008401427", "7654321"),
        record("Смит", "", "AB 123456"),
        record("Смит", "", "ab123456"),
    ]);
    let report = ok(exchange::import_applications(
        &mut w.store,
        &w.officer,
        now,
        &file.to_string(),
    ));
    let ImportReport::Refused { errors } = report else {
        panic!("imported: {report:?}");
    };
    let said = |record: usize| -> String {
        errors
            .iter()
            .filter(|e| e.record == record)
            .map(|e| e.message.clone())
            .collect()
    };
    assert_eq!(said(1), "", "a good record has no error");
    assert_eq!(
        said(8),
        "",
        "the first of two records of one person is fine"
    );
    assert!(
        said(2).contains("Surname: a control character U+0000 at position 4"),
        "{}",
        said(2)
    );
    assert!(
        said(3).contains("DocNumber: a text direction mark U+202E at position 3"),
        "{}",
        said(3)
    );
    assert!(
        said(4).contains("GivenName: longer than 100 characters"),
        "{}",
        &said(4)[..said(4).len().min(200)]
    );
    assert!(
        said(5).contains("Surname: an invisible character U+200B at position 1"),
        "{}",
        said(5)
    );
    assert!(said(6).contains("Surname: has no letter"), "{}", said(6));
    assert_eq!(said(7), "the same applicant as record 1 (same IIN)");
    assert_eq!(
        said(9),
        "the same applicant as record 8 (same document series and number)"
    );
    // The message never repeats the megabyte.
    assert!(said(4).len() < 200);
    // Nothing was imported, not even the good records.
    let out = w.dir.path().join("applications.csv");
    let count = ok(exchange::export(
        &mut w.store,
        &w.officer,
        now,
        Register::Applications,
        Format::Csv,
        &out,
        &spravka::ui::i18n::Tr::default(),
    ));
    assert_eq!(count, 0);
    // The good records alone go in.
    let good = json!([
        record("Қасымқызы", "871008401427", "1234567"),
        record("Смит", "", "AB 123456"),
    ]);
    let report = ok(exchange::import_applications(
        &mut w.store,
        &w.officer,
        now,
        &good.to_string(),
    ));
    assert!(
        matches!(report, ImportReport::Imported { count: 2, .. }),
        "{report:?}"
    );
}

#[test]
fn a_formula_surname_is_exported_as_text() {
    // Issue 12, item 8: a surname `=HYPERLINK(…)` went into the CSV as is, and Excel ran it.
    let mut w = world();
    let now = at("2026-11-22 12:00");
    let surname = "=HYPERLINK(\"http://evil.example\";\"Сикова\")";
    let file = json!([record(surname, "871008401427", "1234567")]);
    let report = ok(exchange::import_applications(
        &mut w.store,
        &w.officer,
        now,
        &file.to_string(),
    ));
    assert!(matches!(report, ImportReport::Imported { count: 1, .. }));
    let csv = w.dir.path().join("applications.csv");
    ok(exchange::export(
        &mut w.store,
        &w.officer,
        now,
        Register::Applications,
        Format::Csv,
        &csv,
        &spravka::ui::i18n::Tr::default(),
    ));
    let mut reader = ok(csv::Reader::from_path(&csv));
    let row = ok(reader.records().next().unwrap_or_else(|| panic!("no row")));
    let applicant = row.get(6).unwrap_or_default();
    assert!(
        applicant.starts_with("'=HYPERLINK("),
        "the CSV cell is text: {applicant}"
    );
    let xlsx = w.dir.path().join("applications.xlsx");
    ok(exchange::export(
        &mut w.store,
        &w.officer,
        now,
        Register::Applications,
        Format::Xlsx,
        &xlsx,
        &spravka::ui::i18n::Tr::default(),
    ));
    let mut book: Xlsx<_> = ok(open_workbook(&xlsx));
    let sheet = book
        .worksheet_range_at(0)
        .and_then(Result::ok)
        .unwrap_or_default();
    let Some(Data::String(cell)) = sheet.get((1, 6)) else {
        panic!("no applicant cell: {:?}", sheet.get((1, 6)));
    };
    assert!(cell.starts_with("=HYPERLINK("), "{cell}");
    let name = book.sheet_names()[0].clone();
    let formulas = ok(book.worksheet_formula(&name));
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
}

#[test]
fn the_window_path_refuses_the_same_input() {
    // Issue 12, item 8: the form's save goes through the same domain checks as the import.
    let mut w = world();
    let officer = w.officer.clone();
    let app = issue_application(&w, "2026-11-20 10:15");
    let docs = required_documents(ApplicationKind::Issue, None);
    let mut person = applicant("Сикова");
    person.surname = "\u{202E}авокиС".into();
    person.phone = "+7 701\u{1b}[2J".into();
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-20 10:15"),
        None,
        &person,
        &app,
        &docs,
    );
    let Err(ServiceError::Fields(errors)) = refused else {
        panic!("saved: {refused:?}");
    };
    let found: Vec<(Field, Problem)> = errors.iter().map(|e| (e.field, e.problem)).collect();
    assert_eq!(
        found,
        [
            (
                Field::Surname,
                Problem::Hidden {
                    class: Hidden::Bidi,
                    position: 1,
                    code: 0x202E
                }
            ),
            (
                Field::Phone,
                Problem::Hidden {
                    class: Hidden::Control,
                    position: 7,
                    code: 0x1B
                }
            ),
        ]
    );
}

#[test]
fn reasons_and_motivations_have_their_limits() {
    // Issue 12, item 8: free text (a correction's reason, a withdrawal's reason) is at most
    // 4 000 characters, with line breaks but no control character or bidi mark.
    let mut w = world();
    let officer = w.officer.clone();
    let registered = register(&mut w, "Сикова", "2026-11-20 10:15");
    let now = at("2026-11-22 12:00");
    let refused = applications::withdraw(
        &mut w.store,
        &officer,
        now,
        registered.id,
        &"заявление ".repeat(401),
    );
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::Text {
                field: Missing::WithdrawalReason,
                problem: Problem::TooLong { max: 4000 }
            }))
        ),
        "{refused:?}"
    );
    let refused = applications::withdraw(
        &mut w.store,
        &officer,
        now,
        registered.id,
        "по заявлению\u{202E}",
    );
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::Text {
                problem: Problem::Hidden {
                    class: Hidden::Bidi,
                    position: 13,
                    ..
                },
                ..
            }))
        ),
        "{refused:?}"
    );
    ok(applications::withdraw(
        &mut w.store,
        &officer,
        now,
        registered.id,
        "По заявлению заявителя\nот 22.11.2026",
    ));
}
