//! Shared set-up for the integration tests: a database in a temporary folder with a body, an
//! administrator, an officer, a secretary and a member.

#![allow(dead_code)]

pub mod pg;

use chrono::{NaiveDate, NaiveDateTime};
use spravka::domain::ApplicationKind;
use spravka::domain::documents::{DocumentType, required_documents};
use spravka::domain::forms::{ApplicantInput, ApplicationInput, Channel};
use spravka::domain::roles::Role;
use spravka::service::Session;
use spravka::service::applications::{self, Registered};
use spravka::service::setup::{self, Body};
use spravka::store::Store;

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{s}: {e}"))
}

pub struct World {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub admin: Session,
    pub officer: Session,
    pub secretary: Session,
    pub member: Session,
    /// Signs the certificates' QR codes with their own key (issue 12).
    pub signatory: Session,
}

pub fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
    r.unwrap_or_else(|e| panic!("{e}"))
}

/// The engine the tests of this thread run on (see [`engines!`]); SQLite unless a test asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

thread_local! {
    static ENGINE: std::cell::Cell<Engine> = const { std::cell::Cell::new(Engine::Sqlite) };
}

/// The engine of this test.
pub fn engine() -> Engine {
    ENGINE.with(std::cell::Cell::get)
}

/// Runs `case` on `engine`: on PostgreSQL a new database on the test server, or — where
/// PostgreSQL is missing — a loud SKIPPED line and nothing else.
pub fn on(engine: Engine, case: fn()) {
    if engine == Engine::Postgres && pg::server().is_none() {
        return;
    }
    ENGINE.with(|e| e.set(engine));
    case();
}

/// A new empty database of this test's engine: a file in `dir`, or a database on the test
/// server (its URL as the path, as `--db` takes it).
pub fn new_database(dir: &std::path::Path) -> std::path::PathBuf {
    match engine() {
        Engine::Sqlite => dir.join("spravka.db"),
        Engine::Postgres => pg::database_url()
            .unwrap_or_else(|| panic!("no PostgreSQL test server"))
            .into(),
    }
}

/// Tests that run once per engine: `engines!(a, b, c);` after `fn a() {…}` … makes the tests
/// `sqlite::a` and `postgres::a` …
#[macro_export]
macro_rules! engines {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[test]
                fn $case() {
                    $crate::common::on($crate::common::Engine::Sqlite, super::$case);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $case() {
                    $crate::common::on($crate::common::Engine::Postgres, super::$case);
                }
            )*
        }
    };
}

/// One number from raw SQL, on either engine, for tests that look below the services.
pub fn count(store: &Store, sql: &str) -> i64 {
    ok(store.query_i64_raw(sql))
}

/// A text value of [`Store::rows_raw`].
pub fn text(value: &spravka::store::db::Value) -> String {
    match value {
        spravka::store::db::Value::Text(t) => t.clone(),
        other => panic!("expected text, found {other:?}"),
    }
}

pub fn world() -> World {
    let dir = ok(tempfile::tempdir());
    let path = new_database(dir.path());
    let mut store = ok(Store::open(&path));
    let now = at("2026-11-02 09:00");
    let body = Body::new(
        "Управление занятости и социальных программ города Алматы",
        "Алматы қаласының жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
        "г. Алматы",
        "Сейткалиев Нурлан Асетович",
        "Руководитель управления",
    );
    let admin = ok(setup::set_up(
        &mut store,
        &body,
        "admin",
        "Администратор",
        "admin-password",
        now,
    ));
    let mut user = |name: &str, full: &str, role: Role| {
        ok(setup::create_user(
            &mut store,
            &admin,
            name,
            full,
            "password-123",
            &[role],
            now,
        ));
        ok(setup::sign_in(&mut store, name, "password-123", now))
    };
    let officer = user("officer", "Ахметова Айгерім Қайратқызы", Role::Officer);
    let secretary = user("secretary", "Ким Ольга Викторовна", Role::Secretary);
    let member = user("member", "Ержанов Бақыт", Role::Member);
    let signatory = user("signatory", "Сейткалиев Нурлан Асетович", Role::Signatory);
    World {
        dir,
        store,
        admin,
        officer,
        secretary,
        member,
        signatory,
    }
}

pub fn applicant(surname: &str) -> ApplicantInput {
    ApplicantInput {
        surname: surname.into(),
        given_name: "Айгүл".into(),
        patronymic: String::new(),
        citizenship: "Кыргызстан".into(),
        birth_date: Some(date("1987-10-08")),
        iin: "871008401427".into(),
        doc_type: "паспорт".into(),
        doc_series: "AC".into(),
        doc_number: "1234567".into(),
        address: "г. Алматы, ул. Абая, 1".into(),
        phone: "+7 701 000 00 00".into(),
        ..ApplicantInput::default()
    }
}

pub fn profession_id(w: &World) -> i64 {
    let list = ok(applications::professions(&w.store));
    list[0].id
}

pub fn issue_application(w: &World, filed: &str) -> ApplicationInput {
    ApplicationInput {
        kind: ApplicationKind::Issue,
        reissue_reason: None,
        profession_id: Some(profession_id(w)),
        certificate_id: None,
        employer_name: String::new(),
        employer_id: String::new(),
        contract_end: None,
        consent: true,
        channel: Channel::Egov,
        filed_at: at(filed),
    }
}

/// Registers an application of kind issue with every document received.
pub fn register(w: &mut World, surname: &str, filed: &str) -> Registered {
    let app = issue_application(w, filed);
    let docs: Vec<DocumentType> = required_documents(ApplicationKind::Issue, None);
    let officer = w.officer.clone();
    ok(applications::register_application(
        &mut w.store,
        &officer,
        at(filed),
        None,
        &applicant(surname),
        &app,
        &docs,
    ))
}

/// Registers an application of kind issue, forwards it, puts it on a new meeting's agenda,
/// scores it with `input` and records the commission's recommendation to issue.
pub fn recommended(
    w: &mut World,
    surname: &str,
    input: &spravka::domain::scoring::ScoreInput,
) -> Registered {
    use spravka::service::commission::{self, Recommendation};
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let reg = register(w, surname, "2026-11-23 09:00");
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
    ok(commission::score(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:00"),
        meeting,
        reg.id,
        None,
        input,
    ));
    ok(commission::recommend(
        &mut w.store,
        &secretary,
        at("2026-11-24 10:30"),
        Some(meeting),
        reg.id,
        &Recommendation::Issue,
    ));
    reg
}

/// Higher education and eleven years of experience (2015–2025): above the threshold (R§10).
pub fn passing_score() -> spravka::domain::scoring::ScoreInput {
    spravka::domain::scoring::ScoreInput {
        higher_education: true,
        periods: vec![ok(spravka::domain::scoring::WorkPeriod::new(
            date("2015-01-01"),
            date("2025-12-31"),
        ))],
        ..spravka::domain::scoring::ScoreInput::default()
    }
}

/// [`recommended`] with [`passing_score`], then the akimat's decision to issue on 25 November
/// 2026: the application's id and the certificate's number. No one has printed it yet, so its
/// QR code is not signed (issue 12).
pub fn issued_unsigned(w: &mut World, surname: &str) -> (i64, String) {
    use spravka::service::certificates::{self, Decision};
    let reg = recommended(w, surname, &passing_score());
    let officer = w.officer.clone();
    let out = ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:00"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    (reg.id, out.number.unwrap_or_default())
}

/// [`issued_unsigned`], and the signatory signs its QR code (issue 12): from then on anyone
/// may print it.
pub fn issued(w: &mut World, surname: &str) -> (i64, String) {
    let (id, number) = issued_unsigned(w, surname);
    let signatory = w.signatory.clone();
    ok(spravka::service::printing::qr_payload(
        &mut w.store,
        &signatory,
        at("2026-11-25 10:05"),
        &number,
    ));
    (id, number)
}

/// The real window on the world's database at `now`, with no file dialog, after the start-up
/// check, driven through AccessKit.
pub fn window(w: &World, now: &str) -> egui_kittest::Harness<'static, spravka::ui::App> {
    let mut app = spravka::ui::App::new(
        w.store.path(),
        Box::new(spravka::service::FixedClock(at(now))),
    );
    app.set_file_picker(Box::new(|| None));
    app.wait_for_check();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1500.0, 1400.0))
        .build_ui_state(|ui, app: &mut spravka::ui::App| app.ui(ui), app);
    h.run();
    h
}

/// Clicks the field labelled `label` and types `text` into it.
pub fn type_into(
    h: &mut egui_kittest::Harness<'static, spravka::ui::App>,
    label: &str,
    text: &str,
) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Signs `user` of the world in (password `password-123`).
pub fn sign_in(h: &mut egui_kittest::Harness<'static, spravka::ui::App>, user: &str) {
    use egui_kittest::kittest::Queryable;
    type_into(h, "Имя пользователя", user);
    type_into(h, "Пароль", "password-123");
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_some(), "{user} is signed in");
}

/// Another workstation on the database of `location` (a file or a server URL), signed in as
/// the users [`world`] created: what a second desk sees and does.
pub fn seat(location: &std::path::Path) -> World {
    let mut store = ok(Store::open(location));
    let now = at("2026-11-02 09:00");
    let mut sign_in =
        |name: &str, password: &str| ok(setup::sign_in(&mut store, name, password, now));
    let admin = sign_in("admin", "admin-password");
    let officer = sign_in("officer", "password-123");
    let secretary = sign_in("secretary", "password-123");
    let member = sign_in("member", "password-123");
    let signatory = sign_in("signatory", "password-123");
    World {
        dir: ok(tempfile::tempdir()),
        store,
        admin,
        officer,
        secretary,
        member,
        signatory,
    }
}
