//! The use cases on a real database file: each success path and each refusal.

mod common;

use common::{applicant, at, date, issue_application, ok, register, world};
use spravka::domain::ApplicationKind;
use spravka::domain::calendar::{DatedNote, YearData};
use spravka::domain::documents::{DocumentType, ReissueReason};
use spravka::domain::forms::{Field, Problem};
use spravka::domain::refusal::RefusalGround;
use spravka::domain::roles::Action;
use spravka::domain::scoring::{ScoreInput, WorkPeriod};
use spravka::domain::status::{ApplicationStatus, CertificateStatus};
use spravka::service::applications::{self, RegistryFilter, RegistrySort};
use spravka::service::certificates::{self, ControlAct, CopyKind, Decision, Notice, NoticeKind};
use spravka::service::commission::{self, Member, MemberGroup, MemberRole, Recommendation};
use spravka::service::complaints::{self, AddressedTo, NewComplaint};
use spravka::service::{RuleError, ServiceError, calendar, setup};

fn period(from: &str, to: &str) -> WorkPeriod {
    ok(WorkPeriod::new(date(from), date(to)))
}

/// Takes an application through the commission to a recommendation to issue.
fn recommend_issue(w: &mut common::World, application_id: i64, now: &str) -> i64 {
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at(now),
        application_id,
    ));
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at(now),
        at(now).date(),
        "г. Алматы, каб. 301",
        &[application_id],
    ));
    let input = ScoreInput {
        higher_education: true,
        periods: vec![period("2018-01-01", "2023-12-31")],
        ..ScoreInput::default()
    };
    let score = ok(commission::score(
        &mut w.store,
        &secretary,
        at(now),
        meeting,
        application_id,
        None,
        &input,
    ));
    assert_eq!(score.total, 7);
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at(now),
        Some(meeting),
        application_id,
        &Recommendation::Issue,
    ));
    meeting
}

fn register_computes_deadlines_and_audits() {
    // A2.7, R§7, R§11: filed Monday 23 November 2026 at 10:00.
    let mut w = world();
    let reg = register(&mut w, "Қасымқызы", "2026-11-23 10:00");
    assert_eq!(reg.deadlines.registered, date("2026-11-23"));
    assert_eq!(reg.deadlines.forward_by, Some(date("2026-11-25")));
    assert_eq!(reg.deadlines.decision_by, date("2026-11-30"));
    assert_eq!(reg.status, ApplicationStatus::Registered);
    let officer = w.officer.clone();
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-23 11:00"),
        reg.id,
    ));
    assert_eq!(file.application.next_deadline, Some(date("2026-11-25")));
    assert_eq!(file.documents.len(), 4);
    assert_eq!(
        file.history.first().map(|h| h.action.as_str()),
        Some("register_application")
    );
    // SPEC §10: opening the file is an audit row.
    let opens = common::count(
        &w.store,
        "SELECT count(*) FROM audit WHERE action = 'open_application'",
    );
    assert_eq!(opens, 1);
    // Audit summaries carry no identity-document numbers.
    let leaks = common::count(
        &w.store,
        "SELECT count(*) FROM audit WHERE summary LIKE '%1234567%' OR summary LIKE '%871008401427%'",
    );
    assert_eq!(leaks, 0);
}

fn incomplete_documents_hold_the_application() {
    // A2.8: a missing document: documents incomplete; it cannot be forwarded (R§7).
    let mut w = world();
    let officer = w.officer.clone();
    let app = issue_application(&w, "2026-11-23 10:00");
    let reg = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &applicant("Иванов"),
        &app,
        &[DocumentType::Application],
    ));
    assert_eq!(reg.status, ApplicationStatus::DocumentsIncomplete);
    let refused =
        applications::forward_to_commission(&mut w.store, &officer, at("2026-11-23 12:00"), reg.id);
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::DocumentsMissing(_)))
        ),
        "{refused:?}"
    );
    let pdf = b"%PDF-1.4 scan".to_vec();
    for doc in [
        DocumentType::IdentityDocument,
        DocumentType::EducationOrEnglishCertificate,
    ] {
        ok(applications::set_document_received(
            &mut w.store,
            &officer,
            at("2026-11-23 12:00"),
            reg.id,
            doc,
            true,
        ));
    }
    let sha = ok(applications::attach_document(
        &mut w.store,
        &officer,
        at("2026-11-23 12:05"),
        reg.id,
        DocumentType::WorkActivity,
        "trud.pdf",
        &pdf,
    ));
    assert_eq!(sha.len(), 64);
    let bytes = ok(applications::file_content(
        &mut w.store,
        &officer,
        at("2026-11-23 12:06"),
        reg.id,
        &sha,
    ));
    assert_eq!(bytes, pdf);
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-23 12:10"),
        reg.id,
    ));
    assert_eq!(file.application.status, ApplicationStatus::Registered);
    // Not a PDF, JPEG or PNG.
    let refused = applications::attach_document(
        &mut w.store,
        &officer,
        at("2026-11-23 12:05"),
        reg.id,
        DocumentType::WorkActivity,
        "x.exe",
        b"MZ",
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::FileType))
    ));
}

fn wrong_role_is_refused() {
    // SPEC §1: the secretary does not register; the member sees no personal data; the officer does not score.
    let mut w = world();
    let reg = register(&mut w, "Петров", "2026-11-23 10:00");
    let secretary = w.secretary.clone();
    let member = w.member.clone();
    let app = issue_application(&w, "2026-11-23 10:00");
    let refused = applications::register_application(
        &mut w.store,
        &secretary,
        at("2026-11-23 10:00"),
        None,
        &applicant("X"),
        &app,
        &[],
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Forbidden(Action::RegisterApplication))
    ));
    let refused =
        applications::open_application(&mut w.store, &member, at("2026-11-23 10:00"), reg.id);
    assert!(matches!(
        refused,
        Err(ServiceError::Forbidden(Action::ViewPersonalData))
    ));
    let officer = w.officer.clone();
    let refused = commission::score(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        1,
        reg.id,
        None,
        &ScoreInput::default(),
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Forbidden(Action::Score))
    ));
    let admin = w.admin.clone();
    let refused = applications::registry_page(
        &w.store,
        &admin,
        &RegistryFilter::default(),
        RegistrySort::Newest,
        0,
        10,
    );
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));
}

fn missing_consent_unknown_profession_and_bad_identifiers_are_refused() {
    let mut w = world();
    let officer = w.officer.clone();
    // Appendix 1: no consent, no save.
    let mut app = issue_application(&w, "2026-11-23 10:00");
    app.consent = false;
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &applicant("A"),
        &app,
        &[],
    );
    match refused {
        Err(ServiceError::Fields(errors)) => assert_eq!(errors[0].problem, Problem::ConsentMissing),
        other => panic!("{other:?}"),
    }
    // R§8: the profession must be in the priority list.
    let mut app = issue_application(&w, "2026-11-23 10:00");
    app.profession_id = Some(999_999);
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &applicant("A"),
        &app,
        &[],
    );
    assert!(
        matches!(refused, Err(ServiceError::UnknownProfession)),
        "{refused:?}"
    );
    // SPEC §8: an IIN with a wrong check digit.
    let mut person = applicant("A");
    person.iin = "871008401428".into();
    let app = issue_application(&w, "2026-11-23 10:00");
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &person,
        &app,
        &[],
    );
    match refused {
        Err(ServiceError::Fields(errors)) => assert_eq!(errors[0].field, Field::Iin),
        other => panic!("{other:?}"),
    }
    // SPEC §8: an employer's BIN with a wrong check digit.
    let mut app = issue_application(&w, "2026-11-23 10:00");
    app.employer_id = "940140000386".into();
    app.employer_name = "ТОО Ромашка".into();
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &applicant("A"),
        &app,
        &[],
    );
    match refused {
        Err(ServiceError::Fields(errors)) => assert_eq!(errors[0].field, Field::EmployerId),
        other => panic!("{other:?}"),
    }
    // Nothing was written by the refusals.
    let count = common::count(&w.store, "SELECT count(*) FROM applications");
    assert_eq!(count, 0);
}

fn a_stale_version_is_refused_with_who_and_when() {
    let mut w = world();
    let reg = register(&mut w, "Сидоров", "2026-11-23 10:00");
    let officer = w.officer.clone();
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:30"),
        reg.id,
    ));
    let version = file.application.row_version;
    let mut person = file.applicant.input.clone();
    person.phone = "+7 702 111 11 11".into();
    let app = issue_application(&w, "2026-11-23 10:00");
    ok(applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:40"),
        reg.id,
        version,
        &person,
        &app,
        "телефон изменился",
    ));
    person.phone = "+7 703 222 22 22".into();
    let refused = applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:45"),
        reg.id,
        version,
        &person,
        &app,
        "телефон изменился",
    );
    match refused {
        Err(ServiceError::Stale { by, at }) => {
            assert_eq!(by, "Ахметова Айгерім Қайратқызы");
            assert_eq!(at, "2026-11-23T10:40:00");
        }
        other => panic!("{other:?}"),
    }
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:50"),
        reg.id,
    ));
    assert_eq!(file.applicant.input.phone, "+7 702 111 11 11");
}

fn illegal_transitions_are_refused() {
    // R§11: no decision before the commission's recommendation.
    let mut w = world();
    let reg = register(&mut w, "Орлов", "2026-11-23 10:00");
    let officer = w.officer.clone();
    let refused = certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-24 10:00"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    );
    assert!(
        matches!(refused, Err(ServiceError::Transition(_))),
        "{refused:?}"
    );
    ok(applications::withdraw(
        &mut w.store,
        &officer,
        at("2026-11-24 10:00"),
        reg.id,
        "по заявлению",
    ));
    let refused =
        applications::forward_to_commission(&mut w.store, &officer, at("2026-11-24 10:00"), reg.id);
    assert!(
        matches!(refused, Err(ServiceError::Transition(_))),
        "{refused:?}"
    );
}

fn the_whole_life_of_a_certificate() {
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Абдуллаев", "2026-11-23 10:00");
    ok(commission::save_member(
        &mut w.store,
        &secretary,
        at("2026-11-23 10:00"),
        &Member {
            id: 0,
            full_name: "Нургалиева Сауле".into(),
            organisation: "НПП «Атамекен»".into(),
            position: "эксперт".into(),
            group: MemberGroup::Atameken,
            role: MemberRole::Member,
            active: true,
            start_date: date("2026-01-01"),
            end_date: None,
        },
    ));
    let meeting = recommend_issue(&mut w, reg.id, "2026-11-24 10:00");
    assert!(meeting > 0);
    // R§11, R§15: issued on 25 November, valid through 24 February; number from the pattern.
    let outcome = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    assert_eq!(outcome.number.as_deref(), Some("00001/2026"));
    assert!(!outcome.past_deadline);
    let certificate_id = outcome.certificate_id.unwrap_or_default();
    let cert = ok(certificates::find_certificate(&w.store, "00001/2026"));
    assert_eq!(cert.valid_to, date("2027-02-24"));
    assert!(cert.basis.contains("протокол"), "{}", cert.basis);
    // R§15: never past three months.
    let reg2 = register(&mut w, "Бекова", "2026-11-23 11:00");
    recommend_issue(&mut w, reg2.id, "2026-11-24 11:00");
    let refused = certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        reg2.id,
        &Decision::Issue {
            valid_to: Some(date("2027-02-25")),
            basis: String::new(),
        },
    );
    assert!(
        matches!(
            refused,
            Err(ServiceError::Rule(RuleError::ValidToTooLate { .. }))
        ),
        "{refused:?}"
    );

    // R§16: extension to the contract's end.
    let person = applicant("Абдуллаев");
    let mut extend = issue_application(&w, "2026-12-01 10:00");
    extend.kind = ApplicationKind::Extend;
    extend.certificate_id = Some(certificate_id);
    extend.employer_name = "ТОО «Алма»".into();
    extend.employer_id = "940140000385".into();
    extend.contract_end = Some(date("2027-11-30"));
    let docs = spravka::domain::documents::required_documents(ApplicationKind::Extend, None);
    let applicant_id = cert.applicant_id;
    let ext = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-12-01 10:00"),
        Some(applicant_id),
        &person,
        &extend,
        &docs,
    ));
    assert_eq!(ext.deadlines.decision_by, date("2026-12-04"));
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-12-02 10:00"),
        ext.id,
        &Decision::Issue {
            valid_to: None,
            basis: "Трудовой договор № 5".into(),
        },
    ));
    let cert = ok(certificates::find_certificate(&w.store, "00001/2026"));
    assert_eq!(cert.valid_to, date("2027-11-30"));

    // R§18: a notice of a change of employer within 5 working days.
    let in_time = ok(certificates::record_notice(
        &mut w.store,
        &officer,
        at("2026-12-10 10:00"),
        certificate_id,
        &Notice {
            kind: NoticeKind::EmployerChange,
            event_date: date("2026-12-07"),
            received_on: date("2026-12-10"),
            grounds: "ТОО «Береке»".into(),
        },
    ));
    assert!(in_time);

    // R§22: reissue gives a new number; the old one is superseded and points to it.
    let mut reissue = issue_application(&w, "2026-12-14 10:00");
    reissue.kind = ApplicationKind::Reissue;
    reissue.reissue_reason = Some(ReissueReason::NameChanged);
    reissue.certificate_id = Some(certificate_id);
    let docs = spravka::domain::documents::required_documents(
        ApplicationKind::Reissue,
        Some(ReissueReason::NameChanged),
    );
    let re = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-12-14 10:00"),
        Some(applicant_id),
        &person,
        &reissue,
        &docs,
    ));
    let out = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-12-15 10:00"),
        re.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    assert_eq!(out.number.as_deref(), Some("00002/2026"));
    let old = ok(certificates::find_certificate(&w.store, "00001/2026"));
    assert_eq!(old.status, CertificateStatus::Superseded);
    assert_eq!(old.superseded_by, out.certificate_id);
    let new_id = out.certificate_id.unwrap_or_default();

    // R§22-1: a duplicate keeps the number.
    let mut duplicate = issue_application(&w, "2026-12-16 10:00");
    duplicate.kind = ApplicationKind::Duplicate;
    duplicate.certificate_id = Some(new_id);
    let docs = spravka::domain::documents::required_documents(ApplicationKind::Duplicate, None);
    let du = ok(applications::register_application(
        &mut w.store,
        &officer,
        at("2026-12-16 10:00"),
        Some(applicant_id),
        &person,
        &duplicate,
        &docs,
    ));
    let out = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-12-16 11:00"),
        du.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    assert_eq!(out.number.as_deref(), Some("00002/2026"));
    let copy = ok(certificates::record_print(
        &mut w.store,
        &officer,
        at("2026-12-16 11:05"),
        out.certificate_id.unwrap_or_default(),
        CopyKind::Duplicate,
        Some("А 000123"),
    ));
    ok(certificates::spoil_copy(
        &mut w.store,
        &officer,
        at("2026-12-16 11:06"),
        copy,
        "замятие бланка",
    ));

    // R§21: revocation needs the control body's act.
    let no_act = ControlAct {
        body: String::new(),
        number: "12".into(),
        date: date("2026-12-20"),
    };
    let refused = certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-21 10:00"),
        new_id,
        &no_act,
        "",
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::ActRequired))
    ));
    let act = ControlAct {
        body: "Департамент миграционной службы".into(),
        number: "12".into(),
        date: date("2026-12-20"),
    };
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-21 10:00"),
        new_id,
        &act,
        "работа не по профессии",
    ));
    let revoked = ok(certificates::find_certificate(&w.store, "00002/2026"));
    assert_eq!(revoked.status, CertificateStatus::Revoked);
    // R§23: a revoked certificate cannot be revoked again.
    let refused = certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-12-22 10:00"),
        new_id,
        &act,
        "",
    );
    assert!(matches!(refused, Err(ServiceError::Transition(_))));

    // Complaints (R§25): 5 working days.
    let c = ok(complaints::register_complaint(
        &mut w.store,
        &officer,
        at("2026-12-21 10:00"),
        &NewComplaint {
            application_id: Some(reg.id),
            certificate_id: None,
            addressed_to: AddressedTo::LocalBody,
            received_at: at("2026-12-21 09:30"),
            subject: "несогласие".into(),
        },
    ));
    assert_eq!(c.forward_by, Some(date("2026-12-24")));
    assert_eq!(c.answer_by, date("2026-12-28"));

    let report = ok(w.store.check());
    assert!(report.is_clean(), "{report}");
}

fn refusal_needs_a_motivation_and_records_the_ground() {
    // R§12, A2.9: refusal on a ground with a motivation.
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Ли", "2026-11-23 10:00");
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
        "каб. 1",
        &[reg.id],
    ));
    let score = ok(commission::score(
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
    assert!(!score.passed);
    let refused = commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        Some(meeting),
        reg.id,
        &Recommendation::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: " ".into(),
        },
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::MotivationRequired))
    ));
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        Some(meeting),
        reg.id,
        &Recommendation::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: "3 балла из 6".into(),
        },
    ));
    let out = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-12-01 10:00"),
        reg.id,
        &Decision::Refuse {
            ground: RefusalGround::BelowThreshold,
            motivation: "Набрано 3 балла из 6".into(),
            against_recommendation: false,
        },
    ));
    // R§11: the decision after 30 November is recorded as past the deadline.
    assert!(out.past_deadline);
    assert_eq!(out.certificate_id, None);
}

fn a_conflicted_member_cannot_score() {
    // R§9, SPEC §5.
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(&mut w, "Ким", "2026-11-23 10:00");
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 12:00"),
        reg.id,
    ));
    let member_id = ok(commission::save_member(
        &mut w.store,
        &secretary,
        at("2026-11-23 10:00"),
        &Member {
            id: 0,
            full_name: "Омаров Серик".into(),
            organisation: "Управление образования".into(),
            position: "главный специалист".into(),
            group: MemberGroup::Education,
            role: MemberRole::Member,
            active: true,
            start_date: date("2026-01-01"),
            end_date: None,
        },
    ));
    let meeting = ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        date("2026-11-24"),
        "каб. 1",
        &[reg.id],
    ));
    ok(commission::set_attendance(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        meeting,
        member_id,
        true,
    ));
    ok(commission::declare_conflict(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        meeting,
        member_id,
        reg.id,
        "родственник",
    ));
    let refused = commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:05"),
        meeting,
        reg.id,
        Some(member_id),
        &ScoreInput::default(),
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::Conflicted))
    ));
}

fn search_finds_names_in_any_script_and_numbers() {
    // SPEC §9–10: Cyrillic, Kazakh and Latin, case-insensitive, by prefix.
    let mut w = world();
    let a = register(&mut w, "Қасымқызы", "2026-11-23 10:00");
    let b = register(&mut w, "KASYMOV", "2026-11-23 10:05");
    register(&mut w, "Иванова", "2026-11-23 10:10");
    let officer = w.officer.clone();
    let ids = |w: &common::World, q: &str| -> Vec<i64> {
        ok(applications::search_applications(
            &w.store, &officer, q, 0, 50,
        ))
        .iter()
        .map(|r| r.id)
        .collect()
    };
    assert_eq!(ids(&w, "қасым"), vec![a.id]);
    assert_eq!(ids(&w, "ҚАСЫМҚЫЗЫ"), vec![a.id]);
    assert_eq!(ids(&w, "kasym"), vec![b.id]);
    assert_eq!(ids(&w, "Kasymov"), vec![b.id]);
    assert_eq!(ids(&w, &a.number).len(), 1);
    assert_eq!(ids(&w, "8710084"), ids(&w, "871008401427"));
    assert_eq!(ids(&w, "8710084").len(), 3);
    // The registry's filtered page goes through the same index.
    let page = ok(applications::registry_page(
        &w.store,
        &officer,
        &RegistryFilter {
            text: "kas".into(),
            ..RegistryFilter::default()
        },
        RegistrySort::Newest,
        0,
        10,
    ));
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].applicant, "KASYMOV Айгүл");
}

fn search_folds_kazakh_letters_on_both_sides_with_exact_matches_first() {
    // Issue 14: «Асем» finds «Әсем» and «әсем» finds «Асем»; the spelling typed comes first.
    let mut w = world();
    let kazakh = register(&mut w, "Әсемова", "2026-11-23 10:00");
    let russian = register(&mut w, "Асемова", "2026-11-23 10:05");
    register(&mut w, "Иванова", "2026-11-23 10:10");
    let officer = w.officer.clone();
    let ranked = |w: &common::World, q: &str| -> Vec<i64> {
        ok(applications::search_applications(
            &w.store, &officer, q, 0, 50,
        ))
        .iter()
        .map(|r| r.id)
        .collect()
    };
    assert_eq!(ranked(&w, "Асемова"), vec![russian.id, kazakh.id]);
    assert_eq!(ranked(&w, "әсемова"), vec![kazakh.id, russian.id]);
    assert_eq!(ranked(&w, "асем"), vec![russian.id, kazakh.id]);
    // The given name «Айгүл» of every applicant here, typed without its Kazakh letter.
    assert_eq!(ranked(&w, "айгул").len(), 3);
    // The registry's filter: the same matches.
    let registry = |w: &common::World, q: &str| -> Vec<i64> {
        let page = ok(applications::registry_page(
            &w.store,
            &officer,
            &RegistryFilter {
                text: q.into(),
                ..RegistryFilter::default()
            },
            RegistrySort::Newest,
            0,
            10,
        ));
        page.iter().map(|r| r.id).collect()
    };
    assert_eq!(registry(&w, "Асем"), vec![russian.id, kazakh.id]);
    assert_eq!(registry(&w, "ӘСЕМ"), vec![russian.id, kazakh.id]);
    assert_eq!(registry(&w, "Иван").len(), 1);
}

fn editing_the_calendar_recomputes_open_deadlines() {
    // SPEC §3: a decree adds a day off; the deadlines of open applications move.
    let mut w = world();
    let reg = register(&mut w, "Нурланов", "2026-11-23 10:00");
    let admin = w.admin.clone();
    let year = YearData {
        year: 2026,
        kurban_ait: Some(date("2026-05-27")),
        kurban_ait_expected: false,
        days_off: vec![DatedNote {
            date: date("2026-11-24"),
            note: "постановление №1".into(),
        }],
        working_days: vec![],
    };
    let moved = ok(calendar::set_year(
        &mut w.store,
        &admin,
        at("2026-11-23 12:00"),
        &year,
    ));
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0].application_id, reg.id);
    assert_eq!(moved[0].old_next, Some(date("2026-11-25")));
    assert_eq!(moved[0].new_next, Some(date("2026-11-26")));
    let officer = w.officer.clone();
    let refused = calendar::set_year(&mut w.store, &officer, at("2026-11-23 12:00"), &year);
    assert!(matches!(
        refused,
        Err(ServiceError::Forbidden(Action::ManageCalendar))
    ));
}

fn the_registry_count_and_total_need_the_registry_role() {
    let mut w = world();
    register(&mut w, "Нурланов", "2026-11-23 10:00");
    let member = w.member.clone();
    assert!(matches!(
        applications::registry_count(&w.store, &member, &RegistryFilter::default()),
        Err(ServiceError::Forbidden(Action::ViewRegistry))
    ));
    assert!(matches!(
        applications::registry_total(&w.store, &member),
        Err(ServiceError::Forbidden(Action::ViewRegistry))
    ));
    assert!(matches!(
        applications::registry_first(
            &w.store,
            &member,
            &RegistryFilter::default(),
            RegistrySort::Newest,
            10
        ),
        Err(ServiceError::Forbidden(Action::ViewRegistry))
    ));
    let officer = w.officer.clone();
    assert_eq!(
        ok(applications::registry_count(
            &w.store,
            &officer,
            &RegistryFilter::default()
        )),
        1
    );
    assert_eq!(ok(applications::registry_total(&w.store, &officer)), 1);
}

fn paging_through_the_registry_gives_the_rows_of_one_query_in_every_order() {
    use applications::{RegistryRow, RegistryStart};
    let mut w = world();
    let officer = w.officer.clone();
    // Several applications a day (equal deadlines, told apart by id), some closed (no deadline).
    for i in 0..36 {
        let filed = format!("2026-11-{} {:02}:{:02}", 23 + i % 4, 9 + i / 12, i % 60);
        let reg = register(&mut w, &format!("Тестов{i}"), &filed);
        if i % 7 == 3 {
            ok(applications::withdraw(
                &mut w.store,
                &officer,
                at("2026-11-27 12:00"),
                reg.id,
                "отозвано",
            ));
        }
    }
    let ids = |rows: &[RegistryRow]| rows.iter().map(|r| r.id).collect::<Vec<_>>();
    let filters = [
        RegistryFilter::default(),
        RegistryFilter {
            status: Some(ApplicationStatus::Registered),
            ..RegistryFilter::default()
        },
        RegistryFilter {
            text: "тестов".into(),
            ..RegistryFilter::default()
        },
    ];
    for filter in &filters {
        for sort in [
            RegistrySort::Newest,
            RegistrySort::Oldest,
            RegistrySort::Deadline,
            RegistrySort::Number,
        ] {
            let window = |start: RegistryStart, limit: usize| {
                ok(applications::registry_window(
                    &w.store, &officer, filter, sort, &start, limit,
                ))
            };
            let all = window(RegistryStart::Offset(0), 1000);
            let count = ok(applications::registry_count(&w.store, &officer, filter));
            assert_eq!(all.len(), count, "{sort:?} {filter:?}");
            assert!(count >= 20, "{sort:?} {filter:?}");
            // The order itself, as the registry always had it.
            let mut expected = all.clone();
            match sort {
                RegistrySort::Newest => expected.sort_by_key(|r| std::cmp::Reverse(r.id)),
                RegistrySort::Oldest => expected.sort_by_key(|r| r.id),
                RegistrySort::Deadline => {
                    expected.sort_by_key(|r| (r.next_deadline.is_none(), r.next_deadline, r.id));
                }
                RegistrySort::Number => expected.sort_by(|a, b| a.number.cmp(&b.number)),
            }
            assert_eq!(ids(&all), ids(&expected), "{sort:?} {filter:?}");
            // Down, page after page from the last row loaded.
            let mut down = window(RegistryStart::Offset(0), 5);
            while let Some(last) = down.last() {
                let next = window(RegistryStart::After(last.key()), 5);
                if next.is_empty() {
                    break;
                }
                down.extend(next);
            }
            assert_eq!(ids(&down), ids(&all), "down {sort:?} {filter:?}");
            // Up, from a jump to the end.
            let mut up = window(RegistryStart::Offset(count - 5), 5);
            while let Some(first) = up.first() {
                let before = window(RegistryStart::Before(first.key()), 5);
                if before.is_empty() {
                    break;
                }
                up.splice(0..0, before);
            }
            assert_eq!(ids(&up), ids(&all), "up {sort:?} {filter:?}");
            // A change of filter: the count and the first rows in one call, as separately.
            for limit in [5, count, count + 10] {
                let (first_count, first) = ok(applications::registry_first(
                    &w.store, &officer, filter, sort, limit,
                ));
                assert_eq!(first_count, count, "first {limit} {sort:?} {filter:?}");
                assert_eq!(
                    ids(&first),
                    ids(&all[..limit.min(count)]),
                    "first {limit} {sort:?} {filter:?}"
                );
            }
            // A jump lands where the whole list has the same rows.
            for offset in [0, 7, count / 2, count - 3] {
                let page = ok(applications::registry_page(
                    &w.store, &officer, filter, sort, offset, 6,
                ));
                assert_eq!(
                    ids(&page),
                    ids(&all[offset..(offset + 6).min(count)]),
                    "jump {offset} {sort:?} {filter:?}"
                );
            }
        }
    }
}

// Passwords (issue 15, item 3): the lock after wrong passwords, unlocking, a reset that forces
// a change, changing one's own.

fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let mut w = world();
    let now = at("2026-11-23 10:00");
    for _ in 0..4 {
        let refused = setup::sign_in(&mut w.store, "officer", "wrong-password", now);
        assert!(matches!(refused, Err(ServiceError::BadCredentials)));
    }
    let fifth = setup::sign_in(&mut w.store, "officer", "wrong-password", now);
    assert!(
        matches!(fifth, Err(ServiceError::Locked { until }) if until == at("2026-11-23 10:15"))
    );
    let right = setup::sign_in(
        &mut w.store,
        "officer",
        "password-123",
        at("2026-11-23 10:10"),
    );
    assert!(matches!(right, Err(ServiceError::Locked { .. })));
    // The lock runs out by itself after 15 minutes.
    ok(setup::sign_in(
        &mut w.store,
        "officer",
        "password-123",
        at("2026-11-23 10:15"),
    ));
}

fn the_administrator_unlocks_and_only_the_administrator() {
    let mut w = world();
    let now = at("2026-11-23 10:00");
    for _ in 0..5 {
        let _ = setup::sign_in(&mut w.store, "officer", "wrong-password", now);
    }
    let officer_id = w.officer.user_id;
    let users = ok(setup::list_users(&w.store, &w.admin));
    let row = users.iter().find(|u| u.id == officer_id);
    assert!(row.is_some_and(|u| u.locked_until.is_some()));
    let by_secretary = setup::unlock_user(&mut w.store, &w.secretary, officer_id, now);
    assert!(matches!(
        by_secretary,
        Err(ServiceError::Forbidden(Action::ManageUsers))
    ));
    let by_officer =
        setup::reset_password(&mut w.store, &w.officer, officer_id, "temporary-1", now);
    assert!(matches!(
        by_officer,
        Err(ServiceError::Forbidden(Action::ManageUsers))
    ));
    ok(setup::unlock_user(&mut w.store, &w.admin, officer_id, now));
    let session = ok(setup::sign_in(&mut w.store, "officer", "password-123", now));
    assert!(!session.must_change_password);
}

fn a_reset_password_must_be_changed_at_the_next_sign_in() {
    let mut w = world();
    let now = at("2026-11-23 10:00");
    let id = w.officer.user_id;
    let short = setup::reset_password(&mut w.store, &w.admin, id, "short", now);
    assert!(matches!(
        short,
        Err(ServiceError::Rule(RuleError::WeakPassword))
    ));
    ok(setup::reset_password(
        &mut w.store,
        &w.admin,
        id,
        "temporary-1",
        now,
    ));
    assert!(setup::sign_in(&mut w.store, "officer", "password-123", now).is_err());
    let session = ok(setup::sign_in(&mut w.store, "officer", "temporary-1", now));
    assert!(session.must_change_password);
    let same =
        setup::change_own_password(&mut w.store, &session, "temporary-1", "temporary-1", now);
    assert!(matches!(
        same,
        Err(ServiceError::Rule(RuleError::SamePassword))
    ));
    ok(setup::change_own_password(
        &mut w.store,
        &session,
        "temporary-1",
        "my-own-password",
        now,
    ));
    let again = ok(setup::sign_in(
        &mut w.store,
        "officer",
        "my-own-password",
        now,
    ));
    assert!(!again.must_change_password);
    let actions: Vec<(String, String)> = ok(w.store.rows_raw(
        "SELECT action, summary FROM audit WHERE action IN ('reset_password', 'change_password') ORDER BY id",
    ))
    .into_iter()
    .map(|row| (common::text(&row[0]), common::text(&row[1])))
    .collect();
    assert_eq!(actions.len(), 2);
    assert!(
        actions
            .iter()
            .all(|(_, summary)| !summary.contains("temporary-1")
                && !summary.contains("my-own-password")
                && !summary.contains("argon2"))
    );
}

fn changing_one_s_own_password_needs_the_current_one() {
    let mut w = world();
    let now = at("2026-11-23 10:00");
    let session = w.officer.clone();
    let wrong = setup::change_own_password(
        &mut w.store,
        &session,
        "not-my-password",
        "new-password-1",
        now,
    );
    assert!(matches!(
        wrong,
        Err(ServiceError::Rule(RuleError::WrongCurrentPassword))
    ));
    let weak = setup::change_own_password(&mut w.store, &session, "password-123", "short", now);
    assert!(matches!(
        weak,
        Err(ServiceError::Rule(RuleError::WeakPassword))
    ));
    ok(setup::change_own_password(
        &mut w.store,
        &session,
        "password-123",
        "new-password-1",
        now,
    ));
    ok(setup::sign_in(
        &mut w.store,
        "officer",
        "new-password-1",
        now,
    ));
}

fn the_audit_log_is_for_the_administrator_filters_and_exports() {
    use spravka::service::audit_log::{self, Filter};
    let mut w = world();
    let first = register(&mut w, "Қасымқызы", "2026-11-23 10:00");
    let second = register(&mut w, "Иванова", "2026-11-23 10:30");
    let officer = w.officer.clone();
    for (id, when) in [
        (first.id, "2026-11-23 11:00"),
        (second.id, "2026-11-24 11:00"),
    ] {
        ok(applications::open_application(
            &mut w.store,
            &officer,
            at(when),
            id,
        ));
    }
    // The officer does not read the log.
    assert!(matches!(
        audit_log::page(&w.store, &officer, &Filter::default(), 0, 50),
        Err(ServiceError::Forbidden(Action::ViewAudit))
    ));
    let path = w.dir.path().join("audit.csv");
    assert!(matches!(
        audit_log::export_csv(
            &mut w.store,
            &officer,
            at("2026-11-25 09:00"),
            &Filter::default(),
            &path
        ),
        Err(ServiceError::Forbidden(Action::ViewAudit))
    ));
    let admin = w.admin.clone();
    // Who opened the first applicant's file, and when.
    let opened = Filter {
        action: Some("open_application".into()),
        record: Some(format!("application:{}", first.id)),
        ..Filter::default()
    };
    let page = ok(audit_log::page(&w.store, &admin, &opened, 0, 50));
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].user, "officer");
    assert!(page.rows[0].at.starts_with("2026-11-23T11:00"));
    // A date range and the pickers.
    let on_24th = Filter {
        from: Some(date("2026-11-24")),
        to: Some(date("2026-11-24")),
        ..Filter::default()
    };
    let page = ok(audit_log::page(&w.store, &admin, &on_24th, 0, 50));
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].record, format!("application:{}", second.id));
    let (actions, users) = ok(audit_log::pickers(&w.store, &admin));
    assert!(actions.contains(&"open_application".to_string()));
    assert!(users.contains(&"officer".to_string()));
    // Newest first, paged, with the total.
    let all = ok(audit_log::page(&w.store, &admin, &Filter::default(), 0, 2));
    assert_eq!(all.rows.len(), 2);
    assert!(all.total > 2);
    assert!(all.rows[0].id > all.rows[1].id);
    assert!(
        ok(audit_log::check_chain(&w.store, &admin))
            .problems
            .is_empty()
    );
    // «Who opened the file» counts both ways of opening.
    ok(applications::open_applicant(
        &mut w.store,
        &officer,
        at("2026-11-24 12:00"),
        1,
    ));
    let page = ok(audit_log::page(
        &w.store,
        &admin,
        &audit_log::openings(None),
        0,
        50,
    ));
    assert_eq!(page.total, 3);
    assert_eq!(page.rows[0].action, "open_applicant");
    let page = ok(audit_log::page(
        &w.store,
        &admin,
        &audit_log::openings(Some("applicant".into())),
        0,
        50,
    ));
    assert_eq!(page.total, 1);
    // The export writes the header and the filtered rows, and is itself recorded.
    let opens = Filter {
        action: Some("open_application".into()),
        ..Filter::default()
    };
    let n = ok(audit_log::export_csv(
        &mut w.store,
        &admin,
        at("2026-11-25 09:00"),
        &opens,
        &path,
    ));
    assert_eq!(n, 2);
    let text = ok(std::fs::read_to_string(&path));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id,at,user,action,record,summary");
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains(",officer,open_application,application:"))
    );
    let exports = Filter {
        action: Some("export_audit".into()),
        ..Filter::default()
    };
    assert_eq!(
        ok(audit_log::page(&w.store, &admin, &exports, 0, 50)).total,
        1
    );
}

engines!(
    register_computes_deadlines_and_audits,
    incomplete_documents_hold_the_application,
    wrong_role_is_refused,
    missing_consent_unknown_profession_and_bad_identifiers_are_refused,
    a_stale_version_is_refused_with_who_and_when,
    illegal_transitions_are_refused,
    the_whole_life_of_a_certificate,
    refusal_needs_a_motivation_and_records_the_ground,
    a_conflicted_member_cannot_score,
    search_finds_names_in_any_script_and_numbers,
    search_folds_kazakh_letters_on_both_sides_with_exact_matches_first,
    editing_the_calendar_recomputes_open_deadlines,
    the_registry_count_and_total_need_the_registry_role,
    paging_through_the_registry_gives_the_rows_of_one_query_in_every_order,
    five_wrong_passwords_lock_the_account_even_against_the_right_one,
    the_administrator_unlocks_and_only_the_administrator,
    a_reset_password_must_be_changed_at_the_next_sign_in,
    changing_one_s_own_password_needs_the_current_one,
    the_audit_log_is_for_the_administrator_filters_and_exports,
);
