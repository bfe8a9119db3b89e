//! Documents that cannot contradict themselves (issue 14, the first rules): experience that has
//! not happened yet is not scored, and an act of revocation is dated between the certificate's
//! issue and today, with its grounds.

mod common;

use common::{at, date, ok, register, world};
use spravka::domain::scoring::{ScoreInput, WorkPeriod};
use spravka::domain::status::CertificateStatus;
use spravka::service::applications;
use spravka::service::commission;
use spravka::service::{RuleError, ServiceError};

#[test]
fn a_work_period_ending_after_the_day_of_scoring_is_refused() {
    // R§10: a period to 31.12.2027 scored on 24.11.2026 counted as experience before.
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Әлиева", "2026-11-23 09:00");
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
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
    let future = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(date("2016-01-01"), date("2027-12-31")))],
        ..ScoreInput::default()
    };
    let refused = commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        meeting,
        reg.id,
        None,
        &future,
    );
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::PeriodInFuture { to })) if to == date("2027-12-31")
        ),
        "{refused:?}"
    );
    let honest = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(date("2016-01-01"), date("2026-11-24")))],
        ..ScoreInput::default()
    };
    let score = ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        meeting,
        reg.id,
        None,
        &honest,
    ));
    assert_eq!(
        score.total,
        3 + 4,
        "10 full years: the 4–10 bracket, 4 points"
    );
}

#[test]
fn the_last_administrator_cannot_switch_themself_off() {
    // Issue 14: the only administrator could untick «Администратор» or «Активен» and lock
    // everyone out.
    use spravka::domain::roles::Role;
    use spravka::service::setup;
    let mut w = world();
    let admin = w.admin.clone();
    let now = at("2026-11-23 10:00");
    for (roles, active) in [(vec![Role::Officer], true), (vec![Role::Admin], false)] {
        let refused =
            setup::set_user_roles(&mut w.store, &admin, admin.user_id, &roles, active, now);
        assert!(
            matches!(
                refused,
                Err(ServiceError::Rule(RuleError::LastAdministrator))
            ),
            "{refused:?}"
        );
    }
    let second = ok(setup::create_user(
        &mut w.store,
        &admin,
        "admin2",
        "Второй Администратор",
        "password-123",
        &[Role::Admin],
        now,
    ));
    assert!(second > 0);
    ok(setup::set_user_roles(
        &mut w.store,
        &admin,
        admin.user_id,
        &[Role::Officer],
        true,
        now,
    ));
}

#[test]
fn a_decision_is_not_dated_before_the_meeting_that_recommended() {
    // R§11; issue 14: a certificate of 22.11 cited «протокол № 1 от 29.11».
    use spravka::service::certificates::{self, Decision};
    let mut w = world();
    let input = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(date("2015-01-01"), date("2025-12-31")))],
        ..ScoreInput::default()
    };
    // Registered 23.11, recommended at the meeting of 24.11.
    let reg = common::recommended(&mut w, "Әлиева", &input);
    let officer = w.officer.clone();
    let issue = Decision::Issue {
        valid_to: None,
        basis: String::new(),
    };
    let refused = certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-23 17:00"),
        reg.id,
        &issue,
    );
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::DecisionBeforeRecommendation { held_on }))
                if held_on == date("2026-11-24")
        ),
        "{refused:?}"
    );
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-24 17:00"),
        reg.id,
        &issue,
    ));
}

#[test]
fn a_duplicate_is_not_filed_before_its_certificate() {
    // R§22-1; issue 14: extensions and reissues filed before the certificate they concern.
    use spravka::domain::kind::ApplicationKind;
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Әлиева");
    assert!(application_id > 0);
    let certificate = ok(spravka::service::certificates::find_certificate(
        &w.store, &number,
    ));
    let officer = w.officer.clone();
    let person = common::applicant("Әлиева");
    let docs = spravka::domain::documents::required_documents(ApplicationKind::Duplicate, None);
    for (filed, allowed) in [("2026-11-24 10:00", false), ("2026-11-26 10:00", true)] {
        let mut duplicate = common::issue_application(&w, filed);
        duplicate.kind = ApplicationKind::Duplicate;
        duplicate.certificate_id = Some(certificate.id);
        let result = applications::register_application(
            &mut w.store,
            &officer,
            at(filed),
            Some(certificate.applicant_id),
            &person,
            &duplicate,
            &docs,
        );
        if allowed {
            ok(result);
        } else {
            assert!(
                matches!(
                    result,
                    Err(ServiceError::Rule(RuleError::FiledBeforeCertificate { issued_on }))
                        if issued_on == date("2026-11-25")
                ),
                "{result:?}"
            );
        }
    }
}

/// Every date of one query's rows, as text, turned into dates (or date-times cut to the day).
fn day_of(text: &str) -> chrono::NaiveDate {
    date(&text[..10])
}

fn rows(store: &spravka::store::Store, sql: &str, width: usize) -> Vec<Vec<String>> {
    let conn = store.conn();
    let mut stmt = ok(conn.prepare(sql));
    let found = ok(stmt.query_map([], |r| {
        (0..width)
            .map(|i| {
                r.get::<_, Option<rusqlite::types::Value>>(i)
                    .map(|v| match v {
                        Some(rusqlite::types::Value::Text(t)) => t,
                        Some(rusqlite::types::Value::Integer(n)) => n.to_string(),
                        _ => String::new(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()
    }));
    found.map(ok).collect()
}

#[test]
fn the_demo_writes_only_consistent_histories() {
    // Issue 14: «протокол № 1 от 29.11.2026» on a certificate of 22.11.2026; 17 of 182
    // extensions, reissues and duplicates filed before their certificate; a refusal letter
    // with a placeholder motivation. Every date order of the rules, walked over a demo.
    use spravka::domain::sequence;
    let dir = ok(tempfile::tempdir());
    let mut store = ok(spravka::store::Store::open(&dir.path().join("demo.db")));
    let until = date("2026-11-20");
    let now = until.and_hms_opt(18, 0, 0).unwrap_or_default();
    ok(spravka::demo::generate(&mut store, 1500, 7, until, |_| {}));
    let calendar = ok(store.read(spravka::store::calendar::calendar));
    let mut problems = Vec::new();

    // A2.7, R§9: meetings on working days; R§9, R§10: nothing scored before the meeting's day
    // or after now.
    for m in rows(&store, "SELECT id, held_on FROM meetings", 2) {
        if !sequence::meeting_day_allowed(&calendar, day_of(&m[1])) {
            problems.push(format!("meeting {} on a day off {}", m[0], m[1]));
        }
    }
    for s in rows(
        &store,
        "SELECT s.application_id, m.held_on, s.scored_at, s.periods FROM scores s
         JOIN meetings m ON m.id = s.meeting_id",
        4,
    ) {
        let scored = day_of(&s[2]);
        if !sequence::meeting_has_taken_place(day_of(&s[1]), scored) || scored > until {
            problems.push(format!(
                "application {} scored {} at a meeting of {}",
                s[0], s[2], s[1]
            ));
        }
        // R§10: no experience after the day of scoring.
        let periods: serde_json::Value = ok(serde_json::from_str(&s[3]));
        for p in periods.as_array().into_iter().flatten() {
            let to = p["to"].as_str().map(day_of);
            if to.is_some_and(|to| to > scored) {
                problems.push(format!("application {} experience to {to:?}", s[0]));
            }
        }
    }
    // R§7, R§9: forwarded after registration; the meeting after forwarding.
    for a in rows(
        &store,
        "SELECT a.number, a.filed_at, a.registered_on, a.forwarded_on, m.held_on
         FROM applications a LEFT JOIN agenda_items i ON i.application_id = a.id
         LEFT JOIN meetings m ON m.id = i.meeting_id",
        5,
    ) {
        if a[1].as_str() > now.format("%Y-%m-%dT%H:%M:%S").to_string().as_str() {
            problems.push(format!("{} filed in the future {}", a[0], a[1]));
        }
        let forwarded = (!a[3].is_empty()).then(|| day_of(&a[3]));
        if forwarded.is_some_and(|f| f < day_of(&a[2]) || f > until) {
            problems.push(format!("{} forwarded {} registered {}", a[0], a[3], a[2]));
        }
        if !a[4].is_empty() && !sequence::meeting_follows_forwarding(day_of(&a[4]), forwarded) {
            problems.push(format!(
                "{} at a meeting of {} forwarded {}",
                a[0], a[4], a[3]
            ));
        }
    }
    // R§11: a decision follows its registration and the meeting that recommended; not after now.
    for d in rows(
        &store,
        "SELECT a.number, a.registered_on, d.decided_on, m.held_on, d.decided_at
         FROM decisions d JOIN applications a ON a.id = d.application_id
         LEFT JOIN recommendations r ON r.application_id = d.application_id
         LEFT JOIN meetings m ON m.id = r.meeting_id",
        5,
    ) {
        let decided = day_of(&d[2]);
        if decided < day_of(&d[1]) || decided > until || day_of(&d[4]) != decided {
            problems.push(format!("{} decided {} registered {}", d[0], d[2], d[1]));
        }
        if !d[3].is_empty() && !sequence::decision_follows_recommendation(decided, day_of(&d[3])) {
            problems.push(format!(
                "{} decided {} before its meeting {}",
                d[0], d[2], d[3]
            ));
        }
    }
    // R§9, R§12: the refusal letter carries the commission's reason, never a placeholder.
    let mut refusals = 0;
    for r in rows(
        &store,
        "SELECT a.number, d.motivation, r.outcome, r.motivation FROM decisions d
         JOIN applications a ON a.id = d.application_id
         LEFT JOIN recommendations r ON r.application_id = d.application_id
         WHERE d.outcome = 'refuse'",
        4,
    ) {
        refusals += 1;
        if r[1].contains("Мотивированный отказ по рекомендации") {
            problems.push(format!("{} placeholder motivation", r[0]));
        }
        if r[2] == "refuse" && !r[1].contains(r[3].as_str()) {
            problems.push(format!("{} letter «{}» lacks «{}»", r[0], r[1], r[3]));
        }
    }
    // R§11: the basis of an issued certificate cites a protocol dated no later than the issue.
    let mut cited = 0;
    for c in rows(
        &store,
        "SELECT c.number, c.issued_on, c.basis, m.id, m.held_on FROM certificates c
         JOIN applications a ON a.id = c.application_id
         LEFT JOIN recommendations r ON r.application_id = a.id
         LEFT JOIN meetings m ON m.id = r.meeting_id
         WHERE a.kind = 'issue'",
        5,
    ) {
        let issued = day_of(&c[1]);
        if issued > until {
            problems.push(format!(
                "certificate {} issued in the future {}",
                c[0], c[1]
            ));
        }
        if c[3].is_empty() {
            problems.push(format!("certificate {} issued with no meeting", c[0]));
            continue;
        }
        let held = day_of(&c[4]);
        let protocol = format!("протокол № {} от {}", c[3], held.format("%d.%m.%Y"));
        if !c[2].contains(&protocol) || held > issued {
            problems.push(format!("certificate {} of {}: «{}»", c[0], c[1], c[2]));
        }
        cited += 1;
    }
    // R§16, R§22, R§22-1: an extension, reissue or duplicate is filed after the certificate it
    // concerns was issued, and a reissued certificate is not dated before the one it replaces.
    let mut later = 0;
    for a in rows(
        &store,
        "SELECT a.number, a.kind, a.filed_at, c.issued_on FROM applications a
         JOIN certificates c ON c.id = a.certificate_id",
        4,
    ) {
        later += 1;
        if !sequence::filing_follows_certificate(day_of(&a[2]), day_of(&a[3])) {
            problems.push(format!("{} {} filed {} before {}", a[0], a[1], a[2], a[3]));
        }
    }
    for c in rows(
        &store,
        "SELECT n.number, n.issued_on, o.number, o.issued_on FROM certificates n
         JOIN certificates o ON o.id = n.supersedes",
        4,
    ) {
        if day_of(&c[1]) < day_of(&c[3]) {
            problems.push(format!(
                "{} of {} replaces {} of {}",
                c[0], c[1], c[2], c[3]
            ));
        }
    }
    // R§21 and every event: dated between the certificate's issue and now, recorded no earlier.
    for e in rows(
        &store,
        "SELECT c.number, e.event, e.event_date, c.issued_on, e.act_date, e.recorded_at
         FROM certificate_events e JOIN certificates c ON c.id = e.certificate_id",
        6,
    ) {
        let (on, issued) = (day_of(&e[2]), day_of(&e[3]));
        if on < issued || on > until || day_of(&e[5]) < on {
            problems.push(format!(
                "{} {} dated {} (issued {})",
                e[0], e[1], e[2], e[3]
            ));
        }
        if !e[4].is_empty() {
            let act = day_of(&e[4]);
            if spravka::domain::revocation::check_act(act, issued, until, "акт").is_err() {
                problems.push(format!("{} act of {} (issued {})", e[0], e[4], e[3]));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems, the first: {:#?}",
        problems.len(),
        &problems[..problems.len().min(20)]
    );
    // The walk saw what it checks.
    assert!(refusals > 10, "{refusals} refusals");
    assert!(cited > 100, "{cited} certificates issued");
    assert!(later > 20, "{later} extensions, reissues and duplicates");
}

#[test]
fn a_meeting_records_nothing_before_its_day_nor_precedes_the_documents() {
    // R§9, R§10: a meeting may be planned ahead, but scores and recommendations are given at
    // it; R§7, R§9: it is not dated before the documents reached the commission.
    use spravka::service::commission::Recommendation;
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Әлиева", "2026-11-23 09:00");
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-24 10:00"),
        reg.id,
    ));
    let early = commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 11:00"),
        date("2026-11-23"),
        "каб. 305",
        &[reg.id],
    );
    assert!(
        matches!(
            early,
            Err(ServiceError::Rule(RuleError::MeetingBeforeForwarding { forwarded_on, .. }))
                if forwarded_on == date("2026-11-24")
        ),
        "{early:?}"
    );
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 11:00"),
        date("2026-11-26"),
        "каб. 305",
        &[reg.id],
    ));
    let input = ScoreInput {
        higher_education: true,
        english_certificate: true,
        ..ScoreInput::default()
    };
    let before = commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-25 10:00"),
        meeting,
        reg.id,
        None,
        &input,
    );
    assert!(
        matches!(
            before,
            Err(ServiceError::Rule(RuleError::MeetingNotYetHeld { held_on }))
                if held_on == date("2026-11-26")
        ),
        "{before:?}"
    );
    let recommended = commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-25 10:00"),
        Some(meeting),
        reg.id,
        &Recommendation::Issue,
    );
    assert!(
        matches!(
            recommended,
            Err(ServiceError::Rule(RuleError::MeetingNotYetHeld { .. }))
        ),
        "{recommended:?}"
    );
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-26 10:00"),
        meeting,
        reg.id,
        None,
        &input,
    ));
}

#[test]
fn the_refusal_letter_says_the_commissions_reason() {
    // R§9, R§12, A2.5; issue 14: the letter carried «Мотивированный отказ по рекомендации
    // комиссии» instead of the commission's own words.
    use spravka::domain::RefusalGround;
    use spravka::service::certificates::{self, Decision};
    use spravka::service::commission::Recommendation;
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Нұрланұлы", "2026-11-23 09:00");
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        reg.id,
    ));
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-23 11:00"),
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
            periods: vec![ok(WorkPeriod::new(date("2024-01-01"), date("2025-06-30")))],
            ..ScoreInput::default()
        },
    ));
    let reason = "Набрано баллов: 5 при пороговом значении 6";
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        Some(meeting),
        reg.id,
        &Recommendation::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: reason.into(),
        },
    ));
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &Decision::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: String::new(),
            against_recommendation: false,
        },
    ));
    let pdf = ok(spravka::service::printing::print_refusal(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        reg.id,
    ));
    let text = pdf_words(&pdf);
    assert!(text.contains(reason), "{text}");
}

#[test]
fn refusing_against_a_recommendation_to_issue_is_confirmed_and_motivated() {
    // R§11, R§12: the akimat may refuse where the commission recommended issuing, but says so.
    use spravka::domain::RefusalGround;
    use spravka::service::certificates::{self, Decision};
    let mut w = world();
    let officer = w.officer.clone();
    let reg = common::recommended(
        &mut w,
        "Жақсылықов",
        &ScoreInput {
            higher_education: true,
            english_certificate: true,
            ..ScoreInput::default()
        },
    );
    let refuse = |motivation: &str, against_recommendation| Decision::Refuse {
        ground: RefusalGround::UnreliableDocuments,
        motivation: motivation.into(),
        against_recommendation,
    };
    for unconfirmed in [
        refuse("Перевод диплома не заверен", false),
        refuse("", true),
    ] {
        let result = certificates::decide(
            &mut w.store,
            &officer,
            at("2026-11-25 10:00"),
            reg.id,
            &unconfirmed,
        );
        assert!(
            matches!(
                result,
                Err(ServiceError::Rule(RuleError::RefusalAgainstRecommendation))
            ),
            "{result:?}"
        );
    }
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &refuse("Перевод диплома не заверен", true),
    ));
}

#[test]
fn a_notice_is_not_dated_ahead_nor_before_what_it_reports() {
    // R§18, R§20: the holder writes after the new contract or the end of the old one.
    use spravka::service::certificates::{self, Notice, NoticeKind};
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Ахметов");
    let certificate = ok(certificates::find_certificate(&w.store, &number));
    let officer = w.officer.clone();
    let notice = |event: &str, received: &str| Notice {
        kind: NoticeKind::EmployerChange,
        event_date: date(event),
        received_on: date(received),
        grounds: "новый трудовой договор".into(),
    };
    let now = at("2026-11-27 10:00");
    let ahead = certificates::record_notice(
        &mut w.store,
        &officer,
        now,
        certificate.id,
        &notice("2026-11-26", "2026-11-30"),
    );
    assert!(
        matches!(
            ahead,
            Err(ServiceError::Rule(RuleError::NoticeInFuture { .. }))
        ),
        "{ahead:?}"
    );
    let before = certificates::record_notice(
        &mut w.store,
        &officer,
        now,
        certificate.id,
        &notice("2026-11-27", "2026-11-26"),
    );
    assert!(
        matches!(
            before,
            Err(ServiceError::Rule(RuleError::NoticeBeforeEvent { .. }))
        ),
        "{before:?}"
    );
    assert!(ok(certificates::record_notice(
        &mut w.store,
        &officer,
        now,
        certificate.id,
        &notice("2026-11-26", "2026-11-27"),
    )));
}

#[test]
fn an_extended_certificate_prints_its_extension() {
    // R§16 (README, «Decision»): the term in force and the extension in the basis.
    use spravka::domain::ApplicationKind;
    use spravka::domain::documents::required_documents;
    use spravka::domain::forms::{ApplicationInput, Channel};
    use spravka::service::certificates::{self, Decision};
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Ахметов");
    let officer = w.officer.clone();
    let certificate = ok(certificates::find_certificate(&w.store, &number));
    let holder = ok(applications::open_applicant(
        &mut w.store,
        &officer,
        at("2026-11-26 09:00"),
        certificate.applicant_id,
    ));
    let extension = ApplicationInput {
        kind: ApplicationKind::Extend,
        reissue_reason: None,
        profession_id: Some(certificate.profession_id),
        certificate_id: Some(certificate.id),
        employer_name: "ТОО «Алатау»".into(),
        employer_id: "940140000385".into(),
        contract_end: Some(date("2027-12-31")),
        consent: true,
        channel: Channel::Egov,
        filed_at: at("2026-11-26 10:00"),
    };
    let reg = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        Some(certificate.applicant_id),
        &holder.input,
        &extension,
        &required_documents(ApplicationKind::Extend, None),
    ));
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-27 10:00"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    // The printed dates changed: the signatory signs the new QR code (issue 12).
    let signatory = w.signatory.clone();
    let pdf = ok(spravka::service::printing::print_certificate(
        &mut w.store,
        &signatory,
        at("2026-11-27 11:00"),
        &number,
        false,
        false,
        None,
    ));
    let text = pdf_words(&pdf);
    for part in [
        "продление справки на срок действия трудового договора (пункт 16 Правил), решение от 27.11.2026; справка выдана 25.11.2026 на основании: Рекомендация комиссии, протокол № 1 от 24.11.2026",
        "Срок действия справки: с «27» ноября 2026 г. по «31» декабря 2027 г.",
    ] {
        assert!(text.contains(part), "missing «{part}» in {text}");
    }
}

/// The words of a PDF as `pdftotext` reads them, single-spaced.
fn pdf_words(pdf: &[u8]) -> String {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("x.pdf");
    ok(std::fs::write(&path, pdf));
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils) is needed: {e}"));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_registry_says_when_an_issued_application_s_certificate_was_revoked() {
    // Issue 14: after a revocation (R§21) the registry showed the application as «Выдано» only.
    let mut w = world();
    let (application_id, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let row = |w: &common::World| {
        let page = ok(applications::registry_page(
            &w.store,
            &officer,
            &applications::RegistryFilter::default(),
            applications::RegistrySort::Newest,
            0,
            10,
        ));
        page.into_iter()
            .find(|r| r.id == application_id)
            .unwrap_or_else(|| panic!("the application is in the registry"))
    };
    assert_eq!(row(&w).certificate, Some(CertificateStatus::Valid));
    let certificate = ok(spravka::service::certificates::find_certificate(
        &w.store, &number,
    ));
    ok(spravka::service::certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-11 10:00"),
        certificate.id,
        &spravka::service::certificates::ControlAct {
            body: "Департамент миграционной службы".into(),
            number: "17".into(),
            date: date("2026-12-10"),
        },
        "не по профессии",
    ));
    assert_eq!(row(&w).certificate, Some(CertificateStatus::Revoked));
}
