//! Printed documents: every field of the forms in the text of the PDF (read back with printpdf's
//! own parser), the font subset, the signed QR code, the protocol.

mod common;

use common::{applicant, at, date, ok, register, world};
use printpdf::{PdfDocument, PdfParseOptions};
use spravka::domain::scoring::{ScoreInput, WorkPeriod};
use spravka::service::applications;
use spravka::service::certificates::{self, Decision};
use spravka::service::commission::{self, Member, MemberGroup, MemberRole, Recommendation};
use spravka::service::printing;

/// The text of a PDF: every word of every page, separated by single spaces (so that a phrase
/// wrapped over two lines is still found), and the number of pages.
fn pdf_text(bytes: &[u8]) -> (String, usize) {
    let mut warnings = Vec::new();
    let doc = PdfDocument::parse(bytes, &PdfParseOptions::default(), &mut warnings)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut words = Vec::new();
    for page in &doc.pages {
        for line in page.extract_text_boxes(&doc.resources).lines {
            for word in line.words {
                words.push(word.text);
            }
        }
    }
    (
        words
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        doc.pages.len(),
    )
}

#[test]
fn the_certificate_has_every_field_of_appendix_3() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let pdf = ok(printing::print_certificate(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        &number,
        false,
        false,
        Some("А 000117"),
    ));
    let (text, pages) = pdf_text(&pdf);
    assert_eq!(pages, 1);
    for field in [
        "Управление занятости и социальных программ города Алматы",
        "Справка о соответствии квалификации для самостоятельного трудоустройства",
        "№ 00001/2026 от «25» ноября 2026 г.",
        "Выдана Қасымқызы Айгүл",
        "в том, что он (она) соответствует требованиям квалификации и уровню образования для самостоятельного трудоустройства в Республике Казахстан по следующей профессии, востребованной в приоритетных отраслях экономики:",
        "Учитель, отрасль: Образование",
        "Основание для выдачи справки Рекомендация комиссии, протокол № 1 от 24.11.2026",
        "Срок действия справки: с «25» ноября 2026 г. по «24» февраля 2027 г.",
        "М.П.",
        "Сейткалиев Нурлан Асетович",
        "(подпись)",
    ] {
        assert!(text.contains(field), "missing «{field}» in:\n{text}");
    }
    assert!(!text.contains("ОБРАЗЕЦ"));
    // The font is embedded as a subset, not whole (Liberation Serif is ~400 KB).
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("+LiberationSerif"),
        "a subset font has a tag like ABCDEF+LiberationSerif"
    );
    assert!(pdf.len() < 120_000, "{} bytes", pdf.len());
    // The print is recorded as a copy with the form's serial.
    let copies: i64 = ok(w.store.conn().query_row(
        "SELECT count(*) FROM printed_copies WHERE form_serial = 'А 000117'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(copies, 1);
}

#[test]
fn preview_and_duplicate_are_marked() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let preview = ok(printing::print_certificate(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        &number,
        false,
        true,
        None,
    ));
    assert!(pdf_text(&preview).0.contains("ОБРАЗЕЦ — не действителен"));
    let copies: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM printed_copies", [], |r| r.get(0)));
    assert_eq!(copies, 0, "a preview is not a printed copy");
    // R§22-1: a duplicate, printed as "ДУБЛИКАТ".
    let certificate = ok(certificates::find_certificate(&w.store, &number));
    let mut duplicate = common::issue_application(&w, "2026-12-01 10:00");
    duplicate.kind = spravka::domain::ApplicationKind::Duplicate;
    duplicate.certificate_id = Some(certificate.id);
    let docs = spravka::domain::documents::required_documents(
        spravka::domain::ApplicationKind::Duplicate,
        None,
    );
    let reg = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-12-01 10:00"),
        Some(certificate.applicant_id),
        &applicant("Қасымқызы"),
        &duplicate,
        &docs,
    ));
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-12-01 11:00"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    // The duplicate's own code is signed by the signatory, who prints it first (issue 12).
    let signatory = w.signatory.clone();
    let pdf = ok(printing::print_certificate(
        &mut w.store,
        &signatory,
        at("2026-12-01 11:05"),
        &number,
        true,
        false,
        None,
    ));
    let (text, _) = pdf_text(&pdf);
    assert!(
        text.contains("ДУБЛИКАТ") && text.contains(&format!("№ {number}")),
        "{text}"
    );
}

#[test]
fn the_qr_code_verifies_and_a_changed_one_does_not() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let code = ok(printing::qr_payload(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        &number,
    ));
    // Issue 12: the code names the signatory's key that signed it.
    let fingerprint = w
        .signatory
        .signing_key
        .as_ref()
        .map(|k| k.fingerprint.clone())
        .unwrap_or_default();
    assert_eq!(fingerprint.len(), 16);
    assert!(
        code.starts_with(&format!(
            "S2|{fingerprint}|00001/2026|Қ.А.|2026-11-25|2026-11-25|2027-02-24|"
        )),
        "{code}"
    );
    let v = ok(printing::verify(&w.store, &code));
    assert_eq!(v.authentic, Some(true));
    assert_eq!(
        v.status,
        Some(spravka::domain::status::CertificateStatus::Valid)
    );
    // One character changed: the validity extended by hand.
    let forged = code.replacen("2027-02-24", "2027-02-28", 1);
    assert_eq!(
        ok(printing::verify(&w.store, &forged)).authentic,
        Some(false)
    );
    let mut chars: Vec<char> = code.chars().collect();
    let last = chars.len() - 3;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    assert_eq!(
        ok(printing::verify(
            &w.store,
            &chars.iter().collect::<String>()
        ))
        .authentic,
        Some(false)
    );
    // A number alone: the status, no signature.
    assert_eq!(ok(printing::verify(&w.store, &number)).authentic, None);
    // R§21: after revocation the check says so.
    let certificate = ok(certificates::find_certificate(&w.store, &number));
    let act = certificates::ControlAct {
        body: "Департамент миграционной службы".into(),
        number: "17".into(),
        date: date("2026-12-10"),
    };
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-11 10:00"),
        certificate.id,
        &act,
        "не по профессии",
    ));
    let v = ok(printing::verify(&w.store, &code));
    assert_eq!(
        v.status,
        Some(spravka::domain::status::CertificateStatus::Revoked)
    );
    assert!(v.revoked_by.unwrap_or_default().contains("акт № 17"));
}

#[test]
fn application_and_refusal_letters() {
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Нұрланұлы", "2026-11-23 10:00");
    let pdf = ok(printing::print_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:05"),
        reg.id,
    ));
    let (text, _) = pdf_text(&pdf);
    for field in [
        "Заявление",
        "от Нұрланұлы Айгүл",
        "Прошу выдать справку",
        "Учитель",
        "Даю согласие на сбор и обработку моих персональных данных",
        "паспорт AC 1234567",
        &reg.number,
    ] {
        assert!(text.contains(field), "missing «{field}» in:\n{text}");
    }
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 12:00"),
        reg.id,
    ));
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        date("2026-11-24"),
        "каб. 305",
        &[reg.id],
    ));
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        meeting,
        reg.id,
        None,
        &ScoreInput {
            higher_education: true,
            ..ScoreInput::default()
        },
    ));
    let refuse = Recommendation::Refuse {
        ground: spravka::domain::RefusalGround::BelowThreshold,
        motivation: "Набрано 3 балла".into(),
    };
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        Some(meeting),
        reg.id,
        &refuse,
    ));
    let decision = Decision::Refuse {
        ground: spravka::domain::RefusalGround::BelowThreshold,
        motivation: "Набрано 3 балла из 6 необходимых".into(),
        against_recommendation: false,
    };
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &decision,
    ));
    let pdf = ok(printing::print_refusal(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        reg.id,
    ));
    let (text, _) = pdf_text(&pdf);
    for field in [
        "Мотивированный ответ об отказе в оказании государственной услуги",
        "Нұрланұлы Айгүл",
        spravka::domain::RefusalGround::BelowThreshold.legal_wording_ru(),
        "Набрано 3 балла из 6 необходимых",
        "подпункт 2 пункта 9",
    ] {
        assert!(text.contains(field), "missing «{field}» in:\n{text}");
    }
}

fn member(
    w: &mut common::World,
    name: &str,
    organisation: &str,
    group: MemberGroup,
    role: MemberRole,
) -> i64 {
    let secretary = w.secretary.clone();
    ok(commission::save_member(
        &mut w.store,
        &secretary,
        at("2026-11-20 10:00"),
        &Member {
            id: 0,
            full_name: name.into(),
            organisation: organisation.into(),
            position: "представитель".into(),
            group,
            role,
            active: true,
            start_date: date("2026-01-01"),
            end_date: None,
        },
    ))
}

#[test]
fn the_protocol_lists_members_applicants_points_and_signatures() {
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let chair = member(
        &mut w,
        "Жумабаев Ерлан",
        "Управление занятости",
        MemberGroup::LocalExecutive,
        MemberRole::Chair,
    );
    let omarova = member(
        &mut w,
        "Омарова Сауле",
        "Управление образования",
        MemberGroup::Education,
        MemberRole::Member,
    );
    let absent = member(
        &mut w,
        "Петренко Игорь",
        "Департамент полиции",
        MemberGroup::InternalAffairs,
        MemberRole::Member,
    );
    let mut ids = Vec::new();
    for surname in ["Әлиева", "Smith", "Өтегенов"] {
        let reg = register(&mut w, surname, "2026-11-23 10:00");
        ok(applications::forward_to_commission(
            &mut w.store,
            &officer,
            at("2026-11-23 12:00"),
            reg.id,
        ));
        ids.push(reg.id);
    }
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        date("2026-11-24"),
        "г. Алматы, каб. 305",
        &ids,
    ));
    for (m, present) in [(chair, true), (omarova, true), (absent, false)] {
        ok(commission::set_attendance(
            &mut w.store,
            &secretary,
            at("2026-11-24 10:00"),
            meeting,
            m,
            present,
        ));
    }
    ok(commission::declare_conflict(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:01"),
        meeting,
        omarova,
        ids[2],
        "родственница",
    ));
    let seven = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(date("2019-01-01"), date("2025-12-31")))],
        ..ScoreInput::default()
    };
    let five = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(date("2024-01-01"), date("2025-12-31")))],
        ..ScoreInput::default()
    };
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:10"),
        meeting,
        ids[0],
        None,
        &seven,
    ));
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:11"),
        Some(meeting),
        ids[0],
        &Recommendation::Issue,
    ));
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:20"),
        meeting,
        ids[1],
        None,
        &five,
    ));
    let refuse = Recommendation::Refuse {
        ground: spravka::domain::RefusalGround::BelowThreshold,
        motivation: "5 баллов из 6".into(),
    };
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:21"),
        Some(meeting),
        ids[1],
        &refuse,
    ));
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        meeting,
        ids[2],
        Some(chair),
        &seven,
    ));
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:31"),
        Some(meeting),
        ids[2],
        &Recommendation::Issue,
    ));
    let pdf = ok(printing::print_protocol(
        &mut w.store,
        &secretary,
        at("2026-11-24 12:00"),
        meeting,
    ));
    let (text, pages) = pdf_text(&pdf);
    for field in [
        "ПРОТОКОЛ № 1",
        "«24» ноября 2026 г.",
        "г. Алматы, каб. 305",
        "Жумабаев Ерлан — Управление занятости",
        "Омарова Сауле — Управление образования",
        "Отсутствовали: Петренко Игорь",
        "Әлиева Айгүл",
        "Smith Айгүл",
        "Өтегенов Айгүл",
        "высшее образование по специальности — 3",
        "стаж работы по специальности — 4",
        "стаж работы по специальности — 2",
        "Итого: 7 баллов при пороговом значении 6",
        "Итого: 5 баллов при пороговом значении 6",
        "Рекомендация: Выдать справку",
        "Рекомендация: Отказать в выдаче справки",
        "подпункт 2 пункта 9",
        "5 баллов из 6",
        "Заявлен конфликт интересов: Омарова Сауле",
        "Подписи членов комиссии",
        &format!("стр. 1 из {pages}"),
    ] {
        assert!(text.contains(field), "missing «{field}» in:\n{text}");
    }
    // Printing again gives the same content.
    let again = ok(printing::print_protocol(
        &mut w.store,
        &secretary,
        at("2026-12-01 12:00"),
        meeting,
    ));
    assert_eq!(pdf_text(&again).0, text);
}

#[test]
fn the_certificates_of_chosen_applications_print_as_one_file() {
    let mut w = world();
    let (first, _) = common::issued(&mut w, "Әлиева");
    let (second, _) = common::issued(&mut w, "Smith");
    // Issue 14: a chosen application with no certificate is skipped and named, with why.
    let pending = register(&mut w, "Ким", "2026-11-25 09:00");
    let officer = w.officer.clone();
    let mut seen = Vec::new();
    let (pdf, count, skipped) = ok(printing::print_certificates_of(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        &[first, pending.id, second],
        |done, total| {
            seen.push((done, total));
        },
    ));
    assert_eq!(count, 2);
    assert_eq!(
        skipped,
        vec![printing::Skipped {
            number: pending.number.clone(),
            status: spravka::domain::status::ApplicationStatus::Registered,
            unsigned: false,
        }]
    );
    assert_eq!(seen, vec![(1, 2), (2, 2)]);
    let (text, pages) = pdf_text(&pdf);
    assert_eq!(pages, 2);
    assert!(
        text.contains("Выдана Әлиева Айгүл") && text.contains("Выдана Smith Айгүл"),
        "{text}"
    );
    let copies: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM printed_copies", [], |r| r.get(0)));
    assert_eq!(copies, 2);
}

/// The text of each page of a PDF, words separated by single spaces.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let mut warnings = Vec::new();
    let doc = PdfDocument::parse(bytes, &PdfParseOptions::default(), &mut warnings)
        .unwrap_or_else(|e| panic!("{e}"));
    doc.pages
        .iter()
        .map(|page| {
            let mut words = Vec::new();
            for line in page.extract_text_boxes(&doc.resources).lines {
                for word in line.words {
                    words.push(word.text);
                }
            }
            words
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_batch_of_fifty_prints_what_fifty_single_prints_do() {
    let dir = ok(tempfile::tempdir());
    let mut store = ok(spravka::store::Store::open(&dir.path().join("demo.db")));
    let until = date("2026-11-20");
    ok(spravka::demo::generate(&mut store, 700, 3, until, |_| {}));
    let now = at("2026-11-20 12:00");
    // The signatory: the demo's certificates have no signed QR code yet (issue 12).
    let officer = ok(spravka::service::setup::sign_in(
        &mut store,
        "signatory",
        spravka::demo::DEMO_PASSWORD,
        now,
    ));
    let chosen: Vec<(i64, String)> = {
        let conn = store.conn();
        let mut stmt = ok(conn.prepare(
            "SELECT application_id, number FROM certificates
             WHERE duplicate_of IS NULL AND status = 'valid' ORDER BY id LIMIT 50",
        ));
        let rows = ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))));
        rows.map(ok).collect()
    };
    assert_eq!(chosen.len(), 50, "the demo has fewer valid certificates");
    let applications: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
    let mut seen = Vec::new();
    let (batch, count, skipped) = ok(printing::print_certificates_of(
        &mut store,
        &officer,
        now,
        &applications,
        |done, total| seen.push((done, total)),
    ));
    assert_eq!(count, 50);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(seen, (1..=50).map(|n| (n, 50)).collect::<Vec<_>>());
    let pages = page_texts(&batch);
    assert_eq!(pages.len(), 50);
    for ((_, number), page) in chosen.iter().zip(&pages) {
        let single = ok(printing::print_certificate(
            &mut store, &officer, now, number, false, false, None,
        ));
        let single = page_texts(&single);
        assert_eq!(single.len(), 1);
        assert!(page.contains(number.as_str()), "{page}");
        assert_eq!(&single[0], page, "certificate {number}");
    }
    // Every print is a recorded copy: fifty in the batch's transaction, fifty alone.
    let copies: i64 = ok(store
        .conn()
        .query_row("SELECT count(*) FROM printed_copies", [], |r| r.get(0)));
    assert_eq!(copies, 100);
}

#[test]
fn a_batch_with_nothing_to_print_is_one_blank_page_and_no_copy() {
    let mut w = world();
    let officer = w.officer.clone();
    let (pdf, count) = ok(printing::print_certificates_batch(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        date("2020-01-01"),
        date("2020-12-31"),
        |_, _| {},
    ));
    assert_eq!(count, 0);
    assert_eq!(page_texts(&pdf), vec![String::new()]);
    let copies: i64 =
        ok(w.store
            .conn()
            .query_row("SELECT count(*) FROM printed_copies", [], |r| r.get(0)));
    assert_eq!(copies, 0);
}
