//! Signing in is slowed after wrong passwords and every failure is in the log, an unknown user
//! name included (issue 12, item 7).

mod common;

use common::{at, ok, type_into, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::service::{FixedClock, ServiceError, setup};
use spravka::ui::App;

#[test]
fn the_window_waits_longer_after_each_wrong_password() {
    let w = world();
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-23 10:00"))));
    app.wait_for_check();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    type_into(&mut h, "Имя пользователя", "officer");
    // The first wrong password costs nothing; the second makes the next attempt wait 1 s.
    for _ in 0..2 {
        type_into(&mut h, "Пароль", "wrong-password");
        h.get_by_label("Войти").click();
        h.run();
    }
    assert_eq!(h.state().sign_in.failures, 2);
    assert!(
        h.query_by_label("Подождите 1 секунду перед следующей попыткой")
            .is_some()
    );
    // While it waits, Enter and the button do nothing, and what was typed stays.
    type_into(&mut h, "Пароль", "password-123");
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_none());
    assert_eq!(h.state().sign_in.username, "officer");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    h.run();
    h.get_by_label("Войти").click();
    h.run();
    assert!(
        h.state().session.is_some(),
        "after the wait the right password works"
    );
}

#[test]
fn an_unknown_user_name_is_recorded_without_the_password() {
    let mut w = world();
    let refused = setup::sign_in(
        &mut w.store,
        "админ\u{1b}[2J",
        "Secret-123",
        at("2026-11-23 10:00"),
    );
    assert!(matches!(refused, Err(ServiceError::BadCredentials)));
    let (user, record, summary): (String, String, String) = ok(w.store.conn().query_row(
        "SELECT username, record, summary FROM audit WHERE action = 'sign_in_failed' ORDER BY id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    ));
    assert_eq!(user, "админ[2J", "control characters are dropped");
    assert_eq!(record, "user:unknown");
    assert!(!summary.contains("Secret"));
    let leaked: i64 = ok(w.store.conn().query_row(
        "SELECT count(*) FROM audit WHERE summary LIKE '%Secret-123%' OR username LIKE '%Secret-123%'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(leaked, 0);
}

#[test]
fn looking_an_applicant_up_by_iin_is_recorded_without_the_number() {
    use spravka::service::applications;
    let mut w = world();
    let reg = common::register(&mut w, "Әлиева", "2026-11-23 09:00");
    let officer = w.officer.clone();
    let found = ok(applications::find_applicants(
        &mut w.store,
        &officer,
        at("2026-11-23 11:00"),
        "871008401427",
        "",
    ));
    assert_eq!(found.len(), 1);
    let (record, summary): (String, String) = ok(w.store.conn().query_row(
        "SELECT record, summary FROM audit WHERE action = 'lookup_applicant'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ));
    let applicant: i64 = ok(w.store.conn().query_row(
        "SELECT applicant_id FROM applications WHERE id = ?1",
        [reg.id],
        |r| r.get(0),
    ));
    assert_eq!(record, format!("applicant:{applicant}"));
    assert_eq!(summary, "1 found by IIN");
    // Nobody found: nothing to record.
    ok(applications::find_applicants(
        &mut w.store,
        &officer,
        at("2026-11-23 11:01"),
        "760212350620",
        "",
    ));
    let lookups: i64 = ok(w.store.conn().query_row(
        "SELECT count(*) FROM audit WHERE action = 'lookup_applicant'",
        [],
        |r| r.get(0),
    ));
    assert_eq!(lookups, 1);
}

#[test]
fn a_busy_database_keeps_the_typed_password_and_says_so_in_russian() {
    // Issue 12, items 4 and 9: another program holds the write lock (an import, say) longer
    // than the 10 s busy timeout; the sign-in is not judged, the password stays typed, and the
    // message is the program's own words, not «database is locked».
    let w = world();
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-23 10:00"))));
    app.wait_for_check();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    type_into(&mut h, "Имя пользователя", "officer");
    type_into(&mut h, "Пароль", "password-123");
    let blocker = ok(rusqlite::Connection::open(&path));
    ok(blocker.execute_batch("BEGIN IMMEDIATE"));
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_none());
    assert_eq!(h.state().sign_in.password, "password-123");
    assert_eq!(
        h.state().sign_in.failures,
        0,
        "not counted as a wrong password"
    );
    assert!(h.query_by_label_contains("База данных занята").is_some());
    ok(blocker.execute_batch("ROLLBACK"));
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_some());
}
