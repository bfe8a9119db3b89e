//! The reference lists in the administrator's hands (SPEC §7) and citizenship picked from the
//! countries at intake, driven through the real window with egui_kittest.

mod common;

use common::{at, date, ok, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::domain::list_update::{ApprovingOrder, ListKind, ReferenceList};
use spravka::service::applications;
use spravka::service::reference_lists;
use spravka::service::{FixedClock, RuleError, ServiceError};
use spravka::ui::{App, Tab};

fn app(w: &common::World, list_file: Option<std::path::PathBuf>) -> App {
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-23 10:00"))));
    app.set_file_picker(Box::new(|| None));
    app.set_list_file_picker(Box::new(move || list_file.clone()));
    app.wait_for_check();
    app
}

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 1400.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app)
}

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn sign_in(h: &mut Harness<'static, App>, user: &str, password: &str) {
    h.run();
    type_into(h, "Имя пользователя", user);
    type_into(h, "Пароль", password);
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_some(), "{user} is signed in");
}

fn query<T: rusqlite::types::FromSql>(w: &common::World, sql: &str) -> T {
    let conn = ok(rusqlite::Connection::open(w.dir.path().join("spravka.db")));
    ok(conn.query_row(sql, [], |r| r.get(0)))
}

/// The shipped priority list as a later order would amend it: one profession renamed, one added.
fn amended_priority_file(w: &common::World) -> std::path::PathBuf {
    let mut list: serde_json::Value =
        ok(serde_json::from_str(spravka::assets::PRIORITY_PROFESSIONS));
    list["approved_by"] = "Приказ Министра труда и социальной защиты населения Республики Казахстан от 30 декабря 2025 года № 426".into();
    list["version"] = "2025-12-30".into();
    list["sectors"][0]["activities"][0]["professions"][0]["name"] = "Учитель (педагог)".into();
    let professions = &mut list["sectors"][2]["activities"][0]["professions"];
    let next = professions.as_array().map_or(0, Vec::len) + 1;
    if let Some(array) = professions.as_array_mut() {
        array.push(serde_json::json!({
            "number": next,
            "name": "Инженер по данным",
            "qualification_levels": [6, 7],
            "recommended_positions": []
        }));
    }
    let path = w.dir.path().join("priority-2025.json");
    ok(std::fs::write(
        &path,
        ok(serde_json::to_string_pretty(&list)),
    ));
    path
}

#[test]
fn the_administrator_puts_a_new_priority_list_in_force_and_old_applications_keep_theirs() {
    let mut w = world();
    let filed = common::register(&mut w, "Иванов", "2026-11-20 10:00");
    let file = amended_priority_file(&w);
    let mut h = harness(app(&w, Some(file)));
    sign_in(&mut h, "admin", "admin-password");
    assert_eq!(h.state().tab, Tab::Admin);
    h.get_by_label("Справочники").click();
    h.run();
    assert!(
        h.query_by_label("Версия от 22.06.2023, приказ № 236")
            .is_some()
    );
    assert!(h.query_by_label("действует").is_some());
    assert!(
        h.query_by_label_contains("заявлений по этой версии: 1")
            .is_some()
    );

    // The file is read and compared; nothing is in force yet.
    h.get_by_label("Загрузить новую версию из файла…").click();
    h.run();
    assert!(
        h.query_by_label("Добавлено: 1 · исключено: 0 · изменено: 1 · без изменений: 90")
            .is_some()
            || h.query_by_label_contains("Добавлено: 1 · исключено: 0 · изменено: 1")
                .is_some(),
        "the summary of the comparison"
    );
    assert!(h.query_by_label_contains("Инженер по данным").is_some());
    assert!(h.query_by_label_contains("Учитель (педагог)").is_some());
    let pending = h
        .state()
        .reference_lists
        .as_ref()
        .and_then(|s| s.pending.clone());
    let Some(pending) = pending else {
        panic!("the file is shown before it takes effect")
    };
    assert_eq!(pending.number, "426");
    assert_eq!(pending.date, "30.12.2025");
    let versions: i64 = query(
        &w,
        "SELECT count(*) FROM reference_lists WHERE list = 'order-236-appendix-2'",
    );
    assert_eq!(versions, 1);

    // An order dated before the version in force is refused; the form keeps what was typed.
    if let Some(p) = h
        .state_mut()
        .reference_lists
        .as_mut()
        .and_then(|s| s.pending.as_mut())
    {
        p.date.clear();
    }
    h.run();
    type_into(&mut h, "Дата приказа (ДД.ММ.ГГГГ)", "01.01.2020");
    h.get_by_label("Ввести в действие").click();
    h.run();
    assert!(
        h.query_by_label_contains("позже действующей версии (22.06.2023)")
            .is_some()
    );
    let kept = h
        .state()
        .reference_lists
        .as_ref()
        .and_then(|s| s.pending.as_ref())
        .map(|p| (p.number.clone(), p.date.clone()));
    assert_eq!(kept, Some(("426".into(), "01.01.2020".into())));
    // A date that does not parse: a message, nothing sent.
    type_into(&mut h, "Дата приказа (ДД.ММ.ГГГГ)", "x");
    h.get_by_label("Ввести в действие").click();
    h.run();
    assert!(
        h.query_by_label_contains("Дата приказа не распознана")
            .is_some()
    );
    assert_eq!(
        query::<i64>(
            &w,
            "SELECT count(*) FROM reference_lists WHERE list = 'order-236-appendix-2'"
        ),
        1
    );

    // The right date: in force.
    if let Some(p) = h
        .state_mut()
        .reference_lists
        .as_mut()
        .and_then(|s| s.pending.as_mut())
    {
        p.date.clear();
    }
    h.run();
    type_into(&mut h, "Дата приказа (ДД.ММ.ГГГГ)", "30.12.2025");
    h.get_by_label("Ввести в действие").click();
    h.run();
    assert!(
        h.query_by_label("Версия от 30.12.2025 (приказ № 426) введена в действие")
            .is_some()
    );
    assert!(
        h.query_by_label("Версия от 30.12.2025, приказ № 426")
            .is_some()
    );
    assert!(h.query_by_label("прежняя").is_some());
    let versions: i64 = query(
        &w,
        "SELECT count(*) FROM reference_lists WHERE list = 'order-236-appendix-2'",
    );
    assert_eq!(versions, 2);
    let action: String = query(&w, "SELECT action FROM audit ORDER BY id DESC LIMIT 1");
    assert_eq!(action, "load_reference_list");

    // The application filed before keeps the version it was filed under; new ones get the new.
    let filed_under: String = query(
        &w,
        &format!(
            "SELECT r.version FROM applications a JOIN professions p ON p.id = a.profession_id
             JOIN reference_lists r ON r.id = p.list_id WHERE a.id = {}",
            filed.id
        ),
    );
    assert_eq!(filed_under, "2023-06-22");
    let current = ok(applications::professions(&w.store));
    assert!(current.iter().any(|p| p.name == "Инженер по данным"));
    assert!(current.iter().any(|p| p.name == "Учитель (педагог)"));
}

#[test]
fn a_bad_list_file_is_refused_with_the_reason_and_nothing_changes() {
    let w = world();
    let path = w.dir.path().join("order49.csv");
    ok(std::fs::write(
        &path,
        "code;area;name\n2512-1-07;Информационные технологии;Программист\n",
    ));
    let mut h = harness(app(&w, Some(path)));
    sign_in(&mut h, "admin", "admin-password");
    h.get_by_label("Справочники").click();
    h.run();
    h.get_by_label("Перечень приказа № 49").click();
    h.run();
    assert!(
        h.query_by_label("Версия от 03.05.2024, приказ № 134")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Записей: 51 · загружена")
            .is_some()
    );
    h.get_by_label("Загрузить новую версию из файла…").click();
    h.run();
    assert!(
        h.query_by_label_contains("Код НКЗ «2512-1-07» не соответствует")
            .is_some()
    );
    assert!(
        h.state()
            .reference_lists
            .as_ref()
            .is_some_and(|s| s.pending.is_none())
    );
    assert_eq!(query::<i64>(&w, "SELECT count(*) FROM reference_lists"), 2);
}

#[test]
fn only_the_administrator_manages_the_lists() {
    let mut w = world();
    // The officer's window has no such section, and the service refuses the officer.
    let mut h = harness(app(&w, None));
    sign_in(&mut h, "officer", "password-123");
    assert!(h.query_by_label("Справочники").is_none());
    assert!(matches!(
        reference_lists::versions(&w.store, &w.officer),
        Err(ServiceError::Forbidden(_))
    ));
    let file = amended_priority_file(&w);
    let bytes = ok(std::fs::read(&file));
    assert!(matches!(
        reference_lists::preview(
            &w.store,
            &w.officer,
            date("2026-11-23"),
            ListKind::Priority,
            "a.json",
            &bytes
        ),
        Err(ServiceError::Forbidden(_))
    ));
    let proposal = ok(reference_lists::preview(
        &w.store,
        &w.admin,
        date("2026-11-23"),
        ListKind::Priority,
        "a.json",
        &bytes,
    ));
    assert!(matches!(proposal.list, ReferenceList::Priority(_)));
    let order = ApprovingOrder {
        number: "426".into(),
        date: date("2025-12-30"),
        title: String::new(),
    };
    let officer = w.officer.clone();
    assert!(matches!(
        reference_lists::put_in_force(
            &mut w.store,
            &officer,
            at("2026-11-23 10:00"),
            &proposal.list,
            &order
        ),
        Err(ServiceError::Forbidden(_))
    ));
    // The administrator may; the same order a second time is refused.
    let old_profession = common::profession_id(&w);
    let old_application = common::issue_application(&w, "2026-11-23 09:00");
    let admin = w.admin.clone();
    ok(reference_lists::put_in_force(
        &mut w.store,
        &admin,
        at("2026-11-23 10:00"),
        &proposal.list,
        &order,
    ));
    assert!(
        reference_lists::put_in_force(
            &mut w.store,
            &admin,
            at("2026-11-23 10:00"),
            &proposal.list,
            &order,
        )
        .is_err()
    );
    // R§8: a new application is filed under the version in force, not an earlier one.
    let refused = applications::register_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:00"),
        None,
        &common::applicant("Петров"),
        &old_application,
        &[],
    );
    assert!(matches!(
        refused,
        Err(ServiceError::Rule(RuleError::ProfessionNotInForce))
    ));
    assert_ne!(common::profession_id(&w), old_profession);
    common::register(&mut w, "Петров", "2026-11-23 10:00");
    let versions = ok(reference_lists::versions(&w.store, &w.admin));
    let stored: Vec<_> = versions
        .iter()
        .filter(|v| v.kind == ListKind::Priority)
        .map(|v| (v.version, v.approved_by.ends_with("№ 426")))
        .collect();
    assert_eq!(
        stored,
        [(date("2025-12-30"), true), (date("2023-06-22"), false)]
    );
}

#[test]
fn citizenship_is_picked_from_the_countries_by_typing() {
    let w = world();
    let mut h = harness(app(&w, None));
    sign_in(&mut h, "officer", "password-123");
    h.get_by_label("Новое заявление…").click();
    h.run();
    h.get_by_label("Выдача").click();
    h.run();
    type_into(&mut h, "Гражданство", "кырг");
    h.get_by_label("Кыргызстан").click();
    h.run();
    let chosen = h
        .state()
        .intake
        .as_ref()
        .map(|i| (i.applicant.citizenship.clone(), i.citizenship_text.clone()));
    assert_eq!(
        chosen,
        Some(("Кыргызстан".to_string(), "Кыргызстан".to_string()))
    );

    // «лицо без гражданства» is an entry of the list and sets the stateless flag.
    if let Some(intake) = &mut h.state_mut().intake {
        intake.citizenship_text.clear();
    }
    h.run();
    type_into(&mut h, "Гражданство", "без гр");
    h.get_by_label("лицо без гражданства").click();
    h.run();
    let stateless = h
        .state()
        .intake
        .as_ref()
        .map(|i| (i.applicant.stateless, i.applicant.citizenship.clone()));
    assert_eq!(stateless, Some((true, String::new())));

    // A name that is not a country: the field says so and the text stays.
    if let Some(intake) = &mut h.state_mut().intake {
        intake.citizenship_text.clear();
    }
    h.run();
    type_into(&mut h, "Гражданство", "Атлантида");
    // Said at the field once saving is tried, not while typing.
    assert!(
        h.query_by_label("выберите страну из списка или «лицо без гражданства»")
            .is_none()
    );
    h.get_by_label("Сохранить (Ctrl+S)").click();
    h.run();
    assert!(
        h.query_by_label("выберите страну из списка или «лицо без гражданства»")
            .is_some()
    );
    let text = h
        .state()
        .intake
        .as_ref()
        .map(|i| i.citizenship_text.clone());
    assert_eq!(text.as_deref(), Some("Атлантида"));
}
