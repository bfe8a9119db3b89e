//! Documents that cannot contradict themselves (issue 14, the first rules): experience that has
//! not happened yet is not scored, and an act of revocation is dated between the certificate's
//! issue and today, with its grounds.

mod common;

use common::{at, date, ok, register, world};
use spravka::domain::scoring::{ScoreInput, WorkPeriod};
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
