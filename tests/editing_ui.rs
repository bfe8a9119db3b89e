//! Issue 15, items 6 and 7 in the window: the officer corrects an application (and cannot once
//! it is decided), starts an extension from a certificate, the secretary moves and cancels a
//! meeting and edits a member.

mod common;

use common::{at, ok, register, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::domain::ApplicationKind;
use spravka::service::FixedClock;
use spravka::service::applications;
use spravka::service::certificates::{self, Decision};
use spravka::service::commission::{self, Member, MemberGroup, MemberRole};
use spravka::ui::{App, Tab};

fn harness(w: &common::World, now: &str) -> Harness<'static, App> {
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at(now))));
    app.set_file_picker(Box::new(|| None));
    app.wait_for_check();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1400.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    h
}

fn click(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Replaces what a text field holds (select all, then type).
fn replace_text(h: &mut Harness<'static, App>, label: &str, text: &str) {
    let input = egui::accesskit::Role::TextInput;
    h.get_by_role_and_label(input, label).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_role_and_label(input, label).type_text(text);
    h.run();
}

fn sign_in(h: &mut Harness<'static, App>, user: &str) {
    type_into(h, "Имя пользователя", user);
    type_into(h, "Пароль", "password-123");
    click(h, "Войти");
    assert!(h.state().session.is_some(), "{user} is signed in");
}

/// Opens the first application the registry finds for `query`.
fn open(h: &mut Harness<'static, App>, query: &str) {
    replace_text(h, "Поиск", query);
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().tab, Tab::Application);
}

fn count(w: &common::World, sql: &str) -> i64 {
    let conn = ok(rusqlite::Connection::open(w.dir.path().join("spravka.db")));
    ok(conn.query_row(sql, [], |r| r.get(0)))
}

fn message(h: &Harness<'static, App>) -> String {
    h.state()
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .or_else(|| {
            h.state()
                .view
                .as_ref()
                .and_then(|v| v.message.clone())
                .map(|(_, m)| m)
        })
        .or_else(|| h.state().intake.as_ref().and_then(|i| i.message.clone()))
        .unwrap_or_default()
}

#[test]
fn the_officer_corrects_an_application_with_the_reason() {
    let mut w = world();
    register(&mut w, "Сидоров", "2026-11-23 09:00");
    let mut h = harness(&w, "2026-11-23 10:00");
    sign_in(&mut h, "officer");
    open(&mut h, "сидоров");
    click(&mut h, "Исправить данные…");
    assert_eq!(h.state().tab, Tab::Intake);
    assert!(
        h.query_by_label("Исправление заявления 2026-000001: Выдача")
            .is_some()
    );
    // The form holds the stored data; only what changed is typed.
    assert_eq!(
        h.state()
            .intake
            .as_ref()
            .map(|i| i.applicant.surname.clone()),
        Some("Сидоров".into())
    );
    replace_text(&mut h, "Телефон", "+7 702 555 44 33");
    // No reason: nothing is written and the form keeps what was typed.
    click(&mut h, "Сохранить (Ctrl+S)");
    assert!(
        h.query_by_label("Укажите причину исправления").is_some(),
        "{}",
        message(&h)
    );
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM audit WHERE action = 'update_application'"
        ),
        0
    );
    assert_eq!(
        h.state().intake.as_ref().map(|i| i.applicant.phone.clone()),
        Some("+7 702 555 44 33".into())
    );
    type_into(&mut h, "Причина исправления", "заявитель сменил телефон");
    click(&mut h, "Сохранить (Ctrl+S)");
    assert_eq!(h.state().tab, Tab::Application, "{}", message(&h));
    assert!(h.query_by_label("Исправления сохранены").is_some());
    assert!(
        h.query_by_label_contains("причина: заявитель сменил телефон; изменено: Телефон")
            .is_some()
    );
    assert!(h.state().intake.is_none());
}

#[test]
fn a_decision_taken_while_the_form_is_open_refuses_the_correction() {
    let mut w = world();
    let input = spravka::domain::scoring::ScoreInput {
        higher_education: true,
        periods: vec![ok(spravka::domain::scoring::WorkPeriod::new(
            common::date("2015-01-01"),
            common::date("2025-12-31"),
        ))],
        ..Default::default()
    };
    let reg = common::recommended(&mut w, "Жақсылықов", &input);
    let mut h = harness(&w, "2026-11-25 10:00");
    sign_in(&mut h, "officer");
    open(&mut h, "жақсылық");
    click(&mut h, "Исправить данные…");
    replace_text(&mut h, "Телефон", "+7 702 555 44 33");
    type_into(&mut h, "Причина исправления", "сменил телефон");
    // Another officer records the decision in the meantime.
    let officer = w.officer.clone();
    ok(certificates::decide(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        reg.id,
        &Decision::Issue {
            valid_to: None,
            basis: String::new(),
        },
    ));
    click(&mut h, "Сохранить (Ctrl+S)");
    assert_eq!(h.state().tab, Tab::Intake);
    assert!(
        h.query_by_label_contains("данные меняются только переоформлением справки (п. 22 Правил)")
            .is_some(),
        "{}",
        message(&h)
    );
    // Reopened, the decided application offers no correction, only the reissue.
    click(&mut h, "Закрыть без сохранения");
    click(&mut h, "Не сохранять");
    open(&mut h, "жақсылық");
    assert!(h.query_by_label("Исправить данные…").is_none());
    assert!(
        h.query_by_label("Решение принято: данные меняются только переоформлением (п. 22 Правил)")
            .is_some()
    );
    assert!(h.query_by_label("Переоформить № 00001/2026…").is_some());
}

#[test]
fn the_secretary_may_not_correct_or_start_from_a_certificate() {
    let mut w = world();
    common::issued(&mut w, "Ұлықбекова");
    register(&mut w, "Петров", "2026-11-25 09:00");
    let mut h = harness(&w, "2026-11-25 10:00");
    sign_in(&mut h, "secretary");
    open(&mut h, "петров");
    assert!(h.query_by_label("Исправить данные…").is_none());
    click(&mut h, "Закрыть");
    open(&mut h, "ұлықбекова");
    assert!(h.query_by_label("Продлить № 00001/2026…").is_none());
    assert!(h.query_by_label("Дубликат № 00001/2026…").is_none());
}

#[test]
fn an_extension_starts_from_the_certificate_and_only_what_changed_is_typed() {
    let mut w = world();
    common::issued(&mut w, "Ғабитов");
    let mut h = harness(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    // The registry finds the application by the certificate's number.
    open(&mut h, "00001/2026");
    click(&mut h, "Продлить № 00001/2026…");
    assert_eq!(h.state().tab, Tab::Intake);
    let intake = h.state().intake.clone();
    let Some(intake) = intake else {
        panic!("no intake form")
    };
    assert_eq!(intake.kind, ApplicationKind::Extend);
    assert_eq!(intake.certificate_number, "00001/2026");
    assert_eq!(intake.applicant.surname, "Ғабитов");
    assert_eq!(intake.birth_date, "08.10.1987");
    assert!(intake.existing_applicant.is_some());
    assert!(intake.profession_id.is_some());
    // What changed: the employment contract (R§16–17).
    type_into(&mut h, "Работодатель (обязательно)", "ТОО «Алатау»");
    type_into(&mut h, "БИН/ИИН работодателя", "940140000385");
    type_into(
        &mut h,
        "Окончание трудового договора (ДД.ММ.ГГГГ)",
        "31.12.2027",
    );
    click(
        &mut h,
        "Согласие на сбор и обработку персональных данных получено",
    );
    click(&mut h, "Сохранить (Ctrl+S)");
    assert_eq!(h.state().tab, Tab::Application, "{}", message(&h));
    assert_eq!(count(&w, "SELECT count(*) FROM applicants"), 1);
    assert_eq!(
        count(
            &w,
            "SELECT count(*) FROM applications WHERE kind = 'extend' AND certificate_id = 1"
        ),
        1
    );
}

#[test]
fn a_new_duplicate_is_filled_from_a_typed_certificate_number() {
    let mut w = world();
    common::issued(&mut w, "Әлиева");
    let mut h = harness(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    click(&mut h, "Новое заявление…");
    click(&mut h, "Дубликат");
    // A number that does not exist: said so, nothing filled.
    type_into(&mut h, "Номер ранее выданной справки", "99999/2026");
    click(&mut h, "Заполнить по справке");
    assert!(
        h.query_by_label("Справка с таким номером не найдена")
            .is_some()
    );
    assert_eq!(
        h.state()
            .intake
            .as_ref()
            .map(|i| i.applicant.surname.clone()),
        Some(String::new())
    );
    replace_text(&mut h, "Номер ранее выданной справки", "00001/2026");
    click(&mut h, "Заполнить по справке");
    assert_eq!(
        h.state()
            .intake
            .as_ref()
            .map(|i| i.applicant.surname.clone()),
        Some("Әлиева".into())
    );
    assert!(
        h.query_by_label("Справка с таким номером не найдена")
            .is_none()
    );
}

/// An application forwarded on 23 November 2026 (R§9 limit: 26 November) on meeting 1 of 24
/// November, and one member.
fn meeting(w: &mut common::World) -> i64 {
    let reg = register(w, "Ким", "2026-11-23 09:00");
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    ok(applications::forward_to_commission(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        reg.id,
    ));
    ok(commission::create_meeting(
        &mut w.store,
        &secretary,
        at("2026-11-23 11:00"),
        common::date("2026-11-24"),
        "каб. 305",
        &[reg.id],
    ));
    let member = Member {
        id: 0,
        full_name: "Омарова Сауле".into(),
        organisation: "Управление образования".into(),
        position: "специалист".into(),
        group: MemberGroup::Education,
        role: MemberRole::Member,
        active: true,
        start_date: common::date("2026-01-01"),
        end_date: None,
    };
    ok(commission::save_member(
        &mut w.store,
        &secretary,
        at("2026-11-23 11:00"),
        &member,
    ));
    reg.id
}

#[test]
fn the_secretary_moves_a_meeting_then_cancels_it() {
    let mut w = world();
    let id = meeting(&mut w);
    let mut h = harness(&w, "2026-11-23 12:00");
    sign_in(&mut h, "secretary");
    click(&mut h, "Комиссия");
    h.get_by_label_contains("№ 1 · 24.11.2026").click();
    h.run();
    click(&mut h, "Перенести…");
    // A Saturday: the calendar says why, and the move is refused.
    replace_text(&mut h, "Новая дата (ДД.ММ.ГГГГ)", "28.11.2026");
    assert!(
        h.query_by_label_contains("28.11.2026 — нерабочий день")
            .is_some()
    );
    click(&mut h, "Перенести заседание");
    assert!(h.query_by_label("28.11.2026 — не рабочий день").is_some());
    // Monday 30 November: past the R§9 limit, warned before and after saving.
    replace_text(&mut h, "Новая дата (ДД.ММ.ГГГГ)", "30.11.2026");
    // R§9: the warning explains the limit and that the meeting may still be held.
    assert!(
        h.query_by_label_contains(
            "Заседание 30.11.2026 позже этого срока для: 2026-000001. Его можно провести"
        )
        .is_some()
    );
    click(&mut h, "Перенести заседание");
    assert!(
        h.query_by_label(
            "Заседание перенесено на 30.11.2026; позже срока п. 9 Правил для: 2026-000001"
        )
        .is_some()
    );
    assert!(
        h.query_by_label_contains("Заседание № 1 от 30.11.2026")
            .is_some()
    );
    // Cancelled: the agenda goes back to the candidates.
    click(&mut h, "Отменить заседание…");
    click(&mut h, "Отменить заседание");
    assert!(
        h.query_by_label("Заседание № 1 отменено; заявлений возвращено: 1")
            .is_some()
    );
    assert!(h.state().commission.candidates.iter().any(|c| c.id == id));
    assert_eq!(count(&w, "SELECT count(*) FROM meetings"), 0);
}

#[test]
fn the_secretary_edits_a_member() {
    let mut w = world();
    meeting(&mut w);
    let mut h = harness(&w, "2026-11-23 12:00");
    sign_in(&mut h, "secretary");
    click(&mut h, "Комиссия");
    click(&mut h, "Члены комиссии");
    click(&mut h, "Изменить…");
    assert!(
        h.query_by_label("Изменение данных: Омарова Сауле")
            .is_some()
    );
    replace_text(&mut h, "Должность", "главный специалист");
    click(&mut h, "Сохранить изменения");
    let members = ok(commission::members(&w.store));
    assert_eq!(members[0].position, "главный специалист");
    assert_eq!(members[0].full_name, "Омарова Сауле");
    // An empty name is refused and the form keeps what was typed.
    click(&mut h, "Изменить…");
    replace_text(&mut h, "ФИО", "");
    click(&mut h, "Сохранить изменения");
    assert!(h.query_by_label("ФИО: обязательное поле").is_some());
    assert_eq!(
        ok(commission::members(&w.store))[0].full_name,
        "Омарова Сауле"
    );
}

#[test]
fn a_revoked_certificate_starts_nothing() {
    use spravka::service::certificates::ControlAct;
    let mut w = world();
    common::issued(&mut w, "Смит");
    let officer = w.officer.clone();
    let certificate = ok(certificates::find_certificate(&w.store, "00001/2026"));
    ok(certificates::revoke(
        &mut w.store,
        &officer,
        at("2026-11-26 09:00"),
        certificate.id,
        &ControlAct {
            body: "Инспекция труда".into(),
            number: "5".into(),
            date: common::date("2026-11-25"),
        },
        "не по профессии",
    ));
    let mut h = harness(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    click(&mut h, "Новое заявление…");
    click(&mut h, "Продление");
    type_into(&mut h, "Номер ранее выданной справки", "00001/2026");
    click(&mut h, "Заполнить по справке");
    // R§23: the reason, and nothing filled.
    assert!(
        h.query_by_label_contains("Справка № 00001/2026 не действует (п. 23 Правил)")
            .is_some(),
        "{}",
        message(&h)
    );
    assert!(
        h.state()
            .intake
            .as_ref()
            .is_some_and(|i| i.existing_applicant.is_none())
    );
}
