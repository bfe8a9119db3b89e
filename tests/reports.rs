//! The report for a period over a small database with known facts: three applications for
//! issue registered on Monday 2 November 2026 (deadline Monday 9 November, R§11), one issued on
//! time, one refused on ground 2 on the deadline, one issued two working days late; two
//! citizens of Kyrgyzstan and one stateless person. Every figure is checked in the report
//! itself, in its JSON, in the XLSX read back and in the PDF's text.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{applicant, at, date, issue_application, ok, world};
use spravka::domain::RefusalGround;
use spravka::domain::documents::required_documents;
use spravka::domain::kind::ApplicationKind;
use spravka::domain::scoring::{ScoreInput, WorkPeriod};
use spravka::service::certificates::{self, Decision};
use spravka::service::commission::{self, Recommendation};
use spravka::service::reports::{self, Format, Period, Report};
use spravka::service::{ServiceError, applications};

struct Facts {
    world: common::World,
    late_number: String,
}

fn facts() -> Facts {
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let docs = required_documents(ApplicationKind::Issue, None);
    let mut ids = Vec::new();
    let mut numbers = Vec::new();
    for (surname, stateless) in [("Әлиева", false), ("Осмонов", false), ("Petrov", true)]
    {
        let mut person = applicant(surname);
        if stateless {
            person.citizenship = String::new();
            person.stateless = true;
        }
        let app = issue_application(&w, "2026-11-02 09:00");
        let reg = ok(applications::register_application(
            &mut w.store,
            &officer,
            at("2026-11-02 09:00"),
            None,
            &person,
            &app,
            &docs,
        ));
        ok(applications::forward_to_commission(
            &mut w.store,
            &officer,
            at("2026-11-02 11:00"),
            reg.id,
        ));
        ids.push(reg.id);
        numbers.push(reg.number);
    }
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-03 10:00"),
        date("2026-11-03"),
        "каб. 305",
        &ids,
    ));
    // Scores 9, 3 and 7: the second is below the threshold (A2.9.2).
    let period = |from, to| ok(WorkPeriod::new(date(from), date(to)));
    let inputs = [
        ScoreInput {
            higher_education: true,
            periods: vec![period("2015-01-01", "2025-12-31")],
            ..ScoreInput::default()
        },
        ScoreInput {
            higher_education: true,
            ..ScoreInput::default()
        },
        ScoreInput {
            higher_education: true,
            periods: vec![period("2019-01-01", "2025-12-31")],
            ..ScoreInput::default()
        },
    ];
    for (id, input) in ids.iter().zip(&inputs) {
        ok(commission::score(
            &mut w.store,
            &secretary,
            at("2026-11-03 10:30"),
            meeting,
            *id,
            None,
            input,
        ));
    }
    let refuse = Recommendation::Refuse {
        ground: RefusalGround::BelowThreshold,
        motivation: "Набрано 3 балла при пороге 6".into(),
    };
    for (id, recommendation) in
        ids.iter()
            .zip([Recommendation::Issue, refuse.clone(), Recommendation::Issue])
    {
        ok(commission::recommend(
            &mut w.store,
            &secretary,
            at("2026-11-03 11:00"),
            Some(meeting),
            *id,
            &recommendation,
        ));
    }
    let issue = Decision::Issue {
        valid_to: None,
        basis: String::new(),
    };
    let decisions = [
        ("2026-11-06 10:00", issue.clone()),
        (
            "2026-11-09 10:00",
            Decision::Refuse {
                ground: RefusalGround::BelowThreshold,
                motivation: "Набрано 3 балла при пороге 6 (пп. 10, 12 Правил)".into(),
                against_recommendation: false,
            },
        ),
        ("2026-11-11 10:00", issue),
    ];
    for (id, (when, decision)) in ids.iter().zip(decisions) {
        ok(certificates::decide(
            &mut w.store,
            &officer,
            at(when),
            *id,
            &decision,
        ));
    }
    Facts {
        world: w,
        late_number: numbers[2].clone(),
    }
}

fn november() -> Period {
    Period::new(date("2026-11-01"), date("2026-11-30")).unwrap_or_else(|| panic!("period"))
}

fn check(report: &Report, late_number: &str) {
    // Received: three applications for issue through the portal.
    assert_eq!(report.received.total, 3);
    assert_eq!(report.received.by_kind[0], ("issue".to_string(), 3));
    assert_eq!(report.received.by_channel[0], ("egov".to_string(), 3));
    // R§11: deadline Monday 9 November; decided on 6 (4 working days), 9 (5) and 11 (7).
    let t = &report.timeliness;
    assert_eq!((t.decided, t.on_time, t.late), (3, 2, 1));
    assert_eq!(t.on_time_share, Some(2.0 / 3.0));
    assert_eq!(t.median_working_days, Some(5.0));
    assert_eq!(t.max_working_days, Some(7));
    assert_eq!(t.late_decisions.len(), 1);
    assert_eq!(t.late_decisions[0].number, late_number);
    assert_eq!(t.late_decisions[0].working_days_late, 2);
    // R§7: forwarded the day of registration; R§9: the meeting the next day.
    assert_eq!((t.forwarded, t.forwarded_on_time), (3, 3));
    assert_eq!((t.commission_decided, t.commission_on_time), (3, 3));
    // Outcomes (A2.9.2 for the refusal).
    let o = &report.outcomes;
    assert_eq!(
        (o.issued, o.refused, o.refused_by_ground),
        (2, 1, [0, 1, 0])
    );
    assert_eq!(o.withdrawn, 0);
    // R§15: both certificates are valid on 30 November.
    let c = &report.certificates;
    assert_eq!((c.valid, c.expired, c.revoked, c.superseded), (2, 0, 0, 0));
    assert_eq!((c.issued, c.extended, c.revocations), (2, 0, 0));
    // Citizenship: two of Kyrgyzstan, one stateless ("").
    assert_eq!(
        report.by_citizenship,
        vec![("Кыргызстан".to_string(), 2), (String::new(), 1)]
    );
    assert_eq!(report.other_citizenships, 0);
    assert_eq!(report.by_sector.iter().map(|s| s.1).sum::<u64>(), 3);
    assert_eq!(report.by_profession.len(), 1);
    assert_eq!(
        (
            report.by_profession[0].received,
            report.by_profession[0].issued,
            report.by_profession[0].refused
        ),
        (3, 2, 1)
    );
    // The commission: one meeting, three scored (9 + 3 + 7) / 3.
    assert_eq!(report.commission.meetings, 1);
    assert_eq!(report.commission.scored, 3);
    assert_eq!(report.commission.average_score, Some(19.0 / 3.0));
    assert_eq!(report.complaints.received, 0);
    let november = report
        .months
        .iter()
        .find(|m| m.month == "2026-11")
        .unwrap_or_else(|| panic!("November"));
    assert_eq!(
        (november.received, november.decided, november.on_time),
        (3, 3, 2)
    );
}

#[test]
fn every_figure_of_the_report_matches_the_known_facts() {
    let f = facts();
    let report = ok(reports::report(
        &f.world.store,
        &f.world.officer,
        november(),
        date("2026-11-30"),
    ));
    check(&report, &f.late_number);
    // The month before has nothing.
    let october = ok(reports::report(
        &f.world.store,
        &f.world.officer,
        Period::new(date("2026-10-01"), date("2026-10-31")).unwrap_or_else(|| panic!()),
        date("2026-11-30"),
    ));
    assert_eq!(october.received.total, 0);
    assert_eq!(october.timeliness.decided, 0);
    assert_eq!(october.timeliness.on_time_share, None);
    // A period that ends after today counts the certificates as they stand today.
    let year = ok(reports::report(
        &f.world.store,
        &f.world.officer,
        Period::year_of(date("2026-11-30")),
        date("2026-11-30"),
    ));
    assert_eq!(year.certificates.at, Some(date("2026-11-30")));
    assert_eq!(year.certificates.valid, 2);
}

#[test]
fn the_member_and_the_secretary_may_not_read_it() {
    let f = facts();
    for session in [&f.world.member, &f.world.secretary] {
        assert!(matches!(
            reports::report(&f.world.store, session, november(), date("2026-11-30")),
            Err(ServiceError::Forbidden(_))
        ));
    }
    assert!(
        reports::report(
            &f.world.store,
            &f.world.admin,
            november(),
            date("2026-11-30")
        )
        .is_ok()
    );
}

#[test]
fn the_json_holds_every_figure_and_the_export_is_recorded() {
    let mut f = facts();
    let officer = f.world.officer.clone();
    let report = ok(reports::report(
        &f.world.store,
        &officer,
        november(),
        date("2026-11-30"),
    ));
    let out = f.world.dir.path().join("report.json");
    ok(reports::write(
        &mut f.world.store,
        &officer,
        at("2026-11-30 12:00"),
        &report,
        Format::Json,
        &out,
    ));
    let text = ok(std::fs::read_to_string(&out));
    let json: serde_json::Value = ok(serde_json::from_str(&text));
    assert_eq!(json["received"]["total"], 3);
    assert_eq!(json["timeliness"]["on_time"], 2);
    assert_eq!(json["timeliness"]["late"], 1);
    assert_eq!(json["timeliness"]["median_working_days"], 5.0);
    assert_eq!(
        json["timeliness"]["late_decisions"][0]["number"],
        f.late_number
    );
    assert_eq!(
        json["timeliness"]["late_decisions"][0]["working_days_late"],
        2
    );
    assert_eq!(json["outcomes"]["refused_by_ground"][1], 1);
    assert_eq!(json["certificates"]["valid"], 2);
    assert_eq!(json["by_citizenship"][0][0], "Кыргызстан");
    assert_eq!(json["by_citizenship"][0][1], 2);
    assert_eq!(json["period"]["from"], "2026-11-01");
    // No personal data: no name, no IIN.
    for secret in ["Әлиева", "Осмонов", "Petrov", "871008401427", "1234567"] {
        assert!(!text.contains(secret), "{secret} in the report");
    }
    let recorded: i64 = ok(f.world.store.conn().query_row(
        "SELECT count(*) FROM audit WHERE action = 'export_report'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(recorded, 1);
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    range
        .get((row, col))
        .cloned()
        .unwrap_or_else(|| panic!("no cell {row},{col}"))
}

/// The value beside `label` in column A of a sheet.
fn figure(range: &calamine::Range<Data>, label: &str) -> Data {
    let row = (0..range.height())
        .find(|r| cell(range, *r, 0) == Data::String(label.to_string()))
        .unwrap_or_else(|| panic!("no row «{label}»"));
    cell(range, row, 1)
}

#[test]
fn the_xlsx_has_numbers_as_numbers_dates_as_dates_and_charts() {
    let mut f = facts();
    let officer = f.world.officer.clone();
    let report = ok(reports::report(
        &f.world.store,
        &officer,
        november(),
        date("2026-11-30"),
    ));
    let out = f.world.dir.path().join("report.xlsx");
    ok(reports::write(
        &mut f.world.store,
        &officer,
        at("2026-11-30 12:00"),
        &report,
        Format::Xlsx,
        &out,
    ));
    let mut book: Xlsx<_> = ok(calamine::open_workbook(&out));
    let summary = ok(book.worksheet_range("Сводка"));
    assert_eq!(figure(&summary, "Поступило заявлений"), Data::Float(3.0));
    assert_eq!(
        figure(&summary, "  в срок (пп. 11, 16, 22, 22-1 Правил)"),
        Data::Float(2.0)
    );
    assert_eq!(figure(&summary, "  с нарушением срока"), Data::Float(1.0));
    assert_eq!(
        figure(&summary, "Медиана рабочих дней от регистрации до решения"),
        Data::Float(5.0)
    );
    assert_eq!(figure(&summary, "Отказано"), Data::Float(1.0));
    assert!(matches!(figure(&summary, "Период с"), Data::DateTime(_)));
    let late = ok(book.worksheet_range("Просрочки"));
    assert_eq!(cell(&late, 1, 0), Data::String(f.late_number.clone()));
    assert!(matches!(cell(&late, 1, 2), Data::DateTime(_)));
    assert_eq!(cell(&late, 1, 4), Data::Float(2.0));
    let outcomes = ok(book.worksheet_range("Итоги"));
    assert_eq!(
        figure(&outcomes, "Отказ, п. 9.2: ниже порогового значения"),
        Data::Float(1.0)
    );
    let citizenship = ok(book.worksheet_range("Гражданство"));
    assert_eq!(figure(&citizenship, "Кыргызстан"), Data::Float(2.0));
    assert_eq!(
        figure(&citizenship, "лицо без гражданства"),
        Data::Float(1.0)
    );
    // Native charts: the workbook carries chart parts.
    let zip = ok(std::fs::read(&out));
    let has = |needle: &[u8]| zip.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"xl/charts/chart1.xml"), "no chart in the workbook");
}

#[test]
fn the_pdf_says_every_figure_in_its_text() {
    let mut f = facts();
    let officer = f.world.officer.clone();
    let report = ok(reports::report(
        &f.world.store,
        &officer,
        november(),
        date("2026-11-30"),
    ));
    let out = f.world.dir.path().join("report.pdf");
    ok(reports::write(
        &mut f.world.store,
        &officer,
        at("2026-11-30 12:00"),
        &report,
        Format::Pdf,
        &out,
    ));
    let Ok(run) = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&out)
        .arg("-")
        .output()
    else {
        eprintln!(
            "SKIPPED the PDF text check: pdftotext (Debian package poppler-utils) is not installed"
        );
        return;
    };
    let text = String::from_utf8_lossy(&run.stdout);
    // pdftotext drops some spaces between words set apart by position, so the comparison
    // ignores white space.
    let bare = |t: &str| t.split_whitespace().collect::<String>();
    let squeezed = bare(&text);
    for expected in [
        "Управление занятости и социальных программ города Алматы",
        "за период с «01» ноября 2026 г. по «30» ноября 2026 г.",
        "Всего 3",
        "Принято решений 3",
        "в срок 2",
        "с нарушением срока 1",
        "Доля решений в срок 66.7 %",
        "Медиана рабочих дней от регистрации до решения 5.0",
        "Максимум рабочих дней от регистрации до решения 7",
        "Направлено в комиссию / из них в срок (п. 7 Правил) 3 / 3",
        "Выдано 2",
        "Действуют 2",
        "Средний балл 6.3",
        &format!(
            "{} (выдача): срок 09.11.2026, решение 11.11.2026 2 рабочих дня",
            f.late_number
        ),
    ] {
        assert!(
            squeezed.contains(&bare(expected)),
            "«{expected}» not in:\n{text}"
        );
    }
    assert!(squeezed.contains(&bare("Кыргызстан 2")), "{text}");
}

mod screen {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use spravka::ui::{App, Tab};

    fn harness(w: &common::World) -> Harness<'static, App> {
        common::window(w, "2026-11-30 12:00")
    }

    use common::sign_in;

    #[test]
    fn the_officer_reads_this_month_picks_a_period_and_exports() {
        let f = facts();
        let mut h = harness(&f.world);
        sign_in(&mut h, "officer");
        h.get_by_label("Отчёты").click();
        h.run();
        assert_eq!(h.state().tab, Tab::Reports);
        // This month (November 2026) by default: the known facts.
        assert!(h.query_by_label("Период: с 01.11.2026 по 30.11.2026. Только сводные цифры: персональных данных в отчёте нет.").is_some());
        // The share in the figures and in the month table.
        assert_eq!(h.query_all_by_label("66.7 %").count(), 2);
        assert!(h.query_by_label(&f.late_number).is_some());
        assert!(
            h.query_by_label("срок 09.11.2026, решение 11.11.2026: просрочено на 2 рабочих дня")
                .is_some()
        );
        assert!(
            h.query_by_label_contains("Әлиева").is_none(),
            "a name on the report screen"
        );

        // A period that ends before it starts is refused; what was typed stays.
        h.get_by_label("с").click();
        h.run();
        h.key_press(egui::Key::End);
        h.run();
        for _ in 0..10 {
            h.key_press(egui::Key::Backspace);
        }
        h.run();
        h.get_by_label("с").type_text("01.12.2026");
        h.run();
        h.get_by_label("Показать").click();
        h.run();
        assert!(
            h.query_by_label("Период заканчивается раньше, чем начинается")
                .is_some()
        );
        assert_eq!(
            h.state().reports.as_ref().map(|r| r.from.clone()),
            Some("01.12.2026".into())
        );

        // The year: the same figures (nothing else happened in 2026).
        h.get_by_label("Год").click();
        h.run();
        assert!(h.query_by_label("Период: с 01.01.2026 по 31.12.2026. Только сводные цифры: персональных данных в отчёте нет.").is_some());

        // Out to Excel, into the print folder (the temporary folder here), recorded.
        h.get_by_label("В Excel (XLSX)…").click();
        h.run();
        // The result is said in the status bar, not on the screen (issue 14).
        let message = h.state().status.clone();
        let Some(text) = message
            .as_ref()
            .filter(|s| !s.error)
            .map(|s| s.text.clone())
        else {
            panic!("{message:?}");
        };
        assert!(h.query_by_label(&text).is_some(), "{text}");
        let path = text.trim_start_matches("Отчёт сохранён: ").to_string();
        assert!(std::path::Path::new(&path).is_file(), "{path}");
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn the_secretary_and_the_member_have_no_reports_tab() {
        let f = facts();
        for user in ["secretary", "member"] {
            let mut h = harness(&f.world);
            sign_in(&mut h, user);
            assert!(h.query_by_label("Отчёты").is_none(), "{user}");
        }
    }
}

#[test]
fn an_application_counts_under_the_citizenship_it_states_as_corrected() {
    // Issue 16: by citizenship. The figure follows a correction of the application (before the
    // decision, R§11), and a second application of the same person states its own.
    let mut w = world();
    let officer = w.officer.clone();
    let docs = required_documents(ApplicationKind::Issue, None);
    let person = applicant("Осмонов");
    let app = issue_application(&w, "2026-11-02 09:00");
    let first = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-02 09:00"),
        None,
        &person,
        &app,
        &docs,
    ));
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-02 09:30"),
        first.id,
    ));
    let mut corrected = file.applicant.input.clone();
    corrected.citizenship = "Узбекистан".into();
    ok(applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-02 09:40"),
        first.id,
        file.application.row_version,
        &corrected,
        &app,
        "гражданство указано неверно",
    ));
    let by = |w: &common::World| {
        ok(reports::report(
            &w.store,
            &officer,
            november(),
            date("2026-11-30"),
        ))
        .by_citizenship
    };
    assert_eq!(by(&w), vec![("Узбекистан".to_string(), 1)]);
    // The same person files again, now a citizen of Tajikistan: each application its own.
    let mut later = corrected.clone();
    later.citizenship = "Таджикистан".into();
    let app = issue_application(&w, "2026-11-03 09:00");
    ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-03 09:00"),
        Some(file.application.applicant_id),
        &later,
        &app,
        &docs,
    ));
    let mut counted = by(&w);
    counted.sort();
    assert_eq!(
        counted,
        vec![
            ("Таджикистан".to_string(), 1),
            ("Узбекистан".to_string(), 1)
        ]
    );
}
