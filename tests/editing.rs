//! Issue 15, items 6 and 7: correcting an application after registration, moving and
//! cancelling a meeting, editing a member, starting an extension, reissue or duplicate from a
//! certificate, and finding an application by its certificate's number.

mod common;

use common::{at, date, issue_application, ok, register, world};
use spravka::domain::ApplicationKind;
use spravka::service::applications::{self, RegistryFilter, RegistrySort};
use spravka::service::certificates::{self, ControlAct};
use spravka::service::commission::{self, MemberGroup, MemberRole};
use spravka::service::{Missing, RuleError, ServiceError};

fn audit_summaries(w: &common::World, action: &str) -> Vec<String> {
    let conn = ok(rusqlite::Connection::open(w.dir.path().join("spravka.db")));
    let mut stmt = ok(conn.prepare("SELECT summary FROM audit WHERE action = ?1 ORDER BY id"));
    let rows = ok(stmt.query_map([action], |r| r.get::<_, String>(0)));
    rows.map(ok).collect()
}

#[test]
fn a_correction_needs_a_reason_and_records_the_fields_before_and_after() {
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
    person.surname = "Сидорова".into();
    person.doc_number = "7654321".into();
    let app = issue_application(&w, "2026-11-23 10:00");

    // No reason: refused, nothing written.
    let refused = applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:40"),
        reg.id,
        version,
        &person,
        &app,
        "  ",
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::Missing(
            Missing::CorrectionReason
        )))
    ));
    // The wrong role: the secretary does not correct applications.
    let secretary = w.secretary.clone();
    let refused = applications::update_application(
        &mut w.store,
        &secretary,
        at("2026-11-23 10:40"),
        reg.id,
        version,
        &person,
        &app,
        "опечатка",
    );
    assert!(matches!(refused, Err(ServiceError::Forbidden(_))));

    ok(applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:41"),
        reg.id,
        version,
        &person,
        &app,
        "опечатка в фамилии",
    ));
    let summaries = audit_summaries(&w, "update_application");
    assert_eq!(summaries.len(), 1);
    let entry: serde_json::Value = ok(serde_json::from_str(&summaries[0]));
    assert_eq!(entry["reason"], "опечатка в фамилии");
    assert_eq!(entry["changes"]["applicant.surname"]["before"], "Сидоров");
    assert_eq!(entry["changes"]["applicant.surname"]["after"], "Сидорова");
    // SPEC §10: the identity document number is recorded as changed, never its value.
    assert_eq!(entry["changes"]["applicant.doc_number"]["changed"], true);
    assert!(!summaries[0].contains("7654321") && !summaries[0].contains("1234567"));
    assert_eq!(
        entry["changes"].as_object().map(serde_json::Map::len),
        Some(2)
    );

    // The same data again: nothing to record.
    let again = applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:42"),
        reg.id,
        version + 1,
        &person,
        &app,
        "ещё раз",
    );
    assert!(matches!(
        again,
        Err(ServiceError::Rule(RuleError::NothingChanged))
    ));
}

#[test]
fn a_decided_application_is_corrected_only_through_a_reissue() {
    // R§22: after the decision the data changes only through a reissue.
    let mut w = world();
    let (id, _) = common::issued(&mut w, "Ғабитов");
    let officer = w.officer.clone();
    let file = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        id,
    ));
    let mut person = file.applicant.input.clone();
    person.phone = "+7 777 000 00 00".into();
    let app = issue_application(&w, "2026-11-23 09:00");
    let refused = applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-25 11:05"),
        id,
        file.application.row_version,
        &person,
        &app,
        "новый телефон",
    );
    match refused {
        Err(ServiceError::Rule(RuleError::DecidedUseReissue(number))) => {
            assert_eq!(number, file.application.number);
        }
        other => panic!("{other:?}"),
    }
    assert!(audit_summaries(&w, "update_application").is_empty());
}

#[test]
fn an_extension_starts_from_the_certificate_with_the_holder_filled_in() {
    let mut w = world();
    let (id, number) = common::issued(&mut w, "Жақсылықов");
    let officer = w.officer.clone();
    let start = ok(applications::start_from_certificate(
        &mut w.store,
        &officer,
        at("2026-11-26 10:00"),
        ApplicationKind::Extend,
        &format!(" {number} "),
    ));
    assert_eq!(start.certificate.number, number);
    assert_eq!(start.certificate.application_id, id);
    assert_eq!(start.applicant.surname, "Жақсылықов");
    assert_eq!(start.applicant.iin, "871008401427");
    assert_eq!(start.profession_id, common::profession_id(&w));
    // Reading the holder's file is an audited opening (SPEC §10).
    assert!(
        audit_summaries(&w, "open_applicant")
            .iter()
            .any(|s| s == &format!("extend from certificate {number}"))
    );
    // The secretary registers nothing.
    let secretary = w.secretary.clone();
    assert!(matches!(
        applications::start_from_certificate(
            &mut w.store,
            &secretary,
            at("2026-11-26 10:00"),
            ApplicationKind::Extend,
            &number,
        ),
        Err(ServiceError::Forbidden(_))
    ));
    // An unknown number.
    assert!(matches!(
        applications::start_from_certificate(
            &mut w.store,
            &officer,
            at("2026-11-26 10:00"),
            ApplicationKind::Duplicate,
            "99999/2026",
        ),
        Err(ServiceError::NotFound { .. })
    ));
    // R§23: a revoked certificate is not extended.
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-11-26 11:00"),
        start.certificate.id,
        &ControlAct {
            body: "Инспекция труда".into(),
            number: "5".into(),
            date: date("2026-11-25"),
        },
        "не по профессии",
    ));
    assert!(matches!(
        applications::start_from_certificate(
            &mut w.store,
            &officer,
            at("2026-11-26 12:00"),
            ApplicationKind::Extend,
            &number,
        ),
        Err(ServiceError::Transition(_))
    ));
}

#[test]
fn the_registry_finds_an_application_by_its_certificate_number() {
    let mut w = world();
    let (id, number) = common::issued(&mut w, "Ахметов");
    assert_eq!(number, "00001/2026");
    // Application 10 is numbered 2026-000010: its parts begin with "00001" and "2026" too.
    for i in 0..9 {
        register(&mut w, &format!("Петров{i}"), "2026-11-23 11:00");
    }
    let officer = w.officer.clone();
    for typed in ["00001/2026", "00001/20", " 00001/2026 "] {
        let (count, rows) = ok(applications::registry_first(
            &w.store,
            &officer,
            &RegistryFilter {
                text: typed.into(),
                ..RegistryFilter::default()
            },
            RegistrySort::Newest,
            50,
        ));
        assert_eq!(count, 1, "{typed}");
        assert_eq!(rows[0].id, id, "{typed}");
    }
    let found = ok(applications::search_applications(
        &w.store,
        &officer,
        "00001/2026",
        0,
        50,
    ));
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id]);
    // The application number still finds its application.
    let (count, rows) = ok(applications::registry_first(
        &w.store,
        &officer,
        &RegistryFilter {
            text: "2026-000010".into(),
            ..RegistryFilter::default()
        },
        RegistrySort::Newest,
        50,
    ));
    assert_eq!((count, rows[0].number.as_str()), (1, "2026-000010"));
}

/// An application forwarded on 23 November 2026 (the commission's R§9 limit: 26 November) and
/// a meeting on 24 November with it on the agenda.
fn meeting_with_one(w: &mut common::World) -> (i64, i64, String) {
    let reg = register(w, "Ким", "2026-11-23 09:00");
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
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
    (meeting, reg.id, reg.number)
}

#[test]
fn a_meeting_moves_to_a_working_day_with_a_warning_past_the_r9_limit() {
    let mut w = world();
    let (meeting, _, number) = meeting_with_one(&mut w);
    let secretary = w.secretary.clone();
    let officer = w.officer.clone();
    let now = at("2026-11-23 12:00");
    // A new meeting on a Sunday is refused like a moved one.
    assert!(matches!(
        commission::create_meeting(
            &mut w.store,
            &secretary,
            now,
            date("2026-11-29"),
            "каб. 305",
            &[]
        ),
        Err(ServiceError::Rule(RuleError::NotWorkingDay { .. }))
    ));
    // A Saturday is not a working day (A2.7).
    assert!(matches!(
        commission::reschedule_meeting(&mut w.store, &secretary, now, meeting, date("2026-11-28")),
        Err(ServiceError::Rule(RuleError::NotWorkingDay { .. }))
    ));
    // The officer does not manage meetings.
    assert!(matches!(
        commission::reschedule_meeting(&mut w.store, &officer, now, meeting, date("2026-11-25")),
        Err(ServiceError::Forbidden(_))
    ));
    // Within the limit.
    let moved = ok(commission::reschedule_meeting(
        &mut w.store,
        &secretary,
        now,
        meeting,
        date("2026-11-25"),
    ));
    assert!(moved.past_limit.is_empty());
    // R§9: Monday 30 November is past the 26 November limit: moved, with the warning.
    let moved = ok(commission::reschedule_meeting(
        &mut w.store,
        &secretary,
        now,
        meeting,
        date("2026-11-30"),
    ));
    assert_eq!(moved.past_limit, vec![number]);
    let detail = ok(commission::meeting_detail(&w.store, &secretary, meeting));
    assert_eq!(detail.held_on, date("2026-11-30"));
    let summaries = audit_summaries(&w, "reschedule_meeting");
    let last: serde_json::Value = ok(serde_json::from_str(&summaries[1]));
    assert_eq!(last["changes"]["held_on"]["before"], "2026-11-25");
    assert_eq!(last["changes"]["held_on"]["after"], "2026-11-30");
}

#[test]
fn a_cancelled_meeting_returns_its_agenda_and_a_held_one_stays() {
    let mut w = world();
    let (meeting, id, number) = meeting_with_one(&mut w);
    let secretary = w.secretary.clone();
    let now = at("2026-11-23 12:00");
    assert!(
        ok(commission::candidates(&w.store, &secretary))
            .iter()
            .all(|c| c.id != id)
    );
    let returned = ok(commission::cancel_meeting(
        &mut w.store,
        &secretary,
        now,
        meeting,
    ));
    assert_eq!(returned, vec![number]);
    assert!(
        ok(commission::candidates(&w.store, &secretary))
            .iter()
            .any(|c| c.id == id)
    );
    assert!(matches!(
        commission::meeting_detail(&w.store, &secretary, meeting),
        Err(ServiceError::NotFound { .. })
    ));
    assert_eq!(audit_summaries(&w, "cancel_meeting").len(), 1);
    // A meeting with a score took place: neither moved nor cancelled.
    let input = spravka::domain::scoring::ScoreInput {
        higher_education: true,
        ..Default::default()
    };
    common::recommended(&mut w, "Ли", &input);
    let held = ok(commission::meetings(&w.store, &secretary, 10))[0].id;
    assert!(matches!(
        commission::cancel_meeting(&mut w.store, &secretary, now, held),
        Err(ServiceError::Rule(RuleError::MeetingHeld))
    ));
    assert!(matches!(
        commission::reschedule_meeting(&mut w.store, &secretary, now, held, date("2026-11-26")),
        Err(ServiceError::Rule(RuleError::MeetingHeld))
    ));
}

#[test]
fn a_member_s_data_is_edited_with_before_and_after() {
    let mut w = world();
    let secretary = w.secretary.clone();
    let now = at("2026-11-23 12:00");
    let member = commission::Member {
        id: 0,
        full_name: "Нұрланов Ерлан".into(),
        organisation: "Атамекен".into(),
        position: "эксперт".into(),
        group: MemberGroup::Atameken,
        role: MemberRole::Member,
        active: true,
        start_date: date("2026-01-01"),
        end_date: None,
    };
    let id = ok(commission::save_member(
        &mut w.store,
        &secretary,
        now,
        &member,
    ));
    let edited = commission::Member {
        id,
        position: "главный эксперт".into(),
        ..member.clone()
    };
    ok(commission::save_member(
        &mut w.store,
        &secretary,
        now,
        &edited,
    ));
    let stored = ok(commission::members(&w.store));
    assert_eq!(stored[0].position, "главный эксперт");
    let summaries = audit_summaries(&w, "save_member");
    let last: serde_json::Value = ok(serde_json::from_str(&summaries[1]));
    assert_eq!(last["changes"]["position"]["before"], "эксперт");
    assert_eq!(last["changes"]["position"]["after"], "главный эксперт");
    assert!(matches!(
        commission::save_member(&mut w.store, &secretary, now, &edited),
        Err(ServiceError::Rule(RuleError::NothingChanged))
    ));
    let officer = w.officer.clone();
    assert!(matches!(
        commission::save_member(&mut w.store, &officer, now, &edited),
        Err(ServiceError::Forbidden(_))
    ));
}

#[test]
fn a_holder_s_new_name_is_a_reissue_not_a_correction() {
    use spravka::domain::documents::required_documents;
    use spravka::domain::forms::{ApplicationInput, Channel};
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
    let version = ok(applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-26 10:10"),
        reg.id,
    ))
    .application
    .row_version;
    // R§22: the holder's new surname goes through a reissue.
    let mut renamed = holder.input.clone();
    renamed.surname = "Ахметова".into();
    match applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-26 10:20"),
        reg.id,
        version,
        &renamed,
        &extension,
        "сменила фамилию",
    ) {
        Err(ServiceError::Rule(RuleError::HolderUseReissue { certificate })) => {
            assert_eq!(certificate, number);
        }
        other => panic!("{other:?}"),
    }
    // A new phone is a correction.
    let mut phoned = holder.input.clone();
    phoned.phone = "+7 705 000 11 22".into();
    ok(applications::update_application(
        &mut w.store,
        &officer,
        at("2026-11-26 10:25"),
        reg.id,
        version,
        &phoned,
        &extension,
        "новый телефон",
    ));
}
