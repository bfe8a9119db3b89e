//! The real screens driven through AccessKit with egui_kittest (no GPU, no display).

mod common;

use common::{at, ok, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::domain::roles::Role;
use spravka::service::FixedClock;
use spravka::service::setup;
use spravka::ui::{App, Tab};

fn app(w: &common::World) -> App {
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-23 10:00"))));
    app.set_file_picker(Box::new(|| None));
    app.wait_for_check();
    app
}

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1500.0, 1400.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app)
}

fn sign_in(h: &mut Harness<'static, App>, user: &str) {
    h.get_by_label("Имя пользователя").click();
    h.run();
    h.get_by_label("Имя пользователя").type_text(user);
    h.get_by_label("Пароль").click();
    h.run();
    h.get_by_label("Пароль").type_text("password-123");
    h.run();
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_some(), "{user} is signed in");
}

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn applications(w: &common::World) -> i64 {
    let path = w.dir.path().join("spravka.db");
    let conn = ok(rusqlite::Connection::open(path));
    ok(conn.query_row("SELECT count(*) FROM applications", [], |r| r.get(0)))
}

#[test]
fn wrong_password_is_refused_with_a_message() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    type_into(&mut h, "Имя пользователя", "officer");
    type_into(&mut h, "Пароль", "wrong-password");
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_none());
    assert!(
        h.query_by_label("Неверное имя пользователя или пароль")
            .is_some()
    );
}

#[test]
fn intake_search_open_and_language() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    assert!(
        h.query_by_label(
            "Заявлений пока нет. Нажмите «Новое заявление…», чтобы зарегистрировать первое."
        )
        .is_some()
    );

    // A new application of kind issue.
    h.get_by_label("Новое заявление…").click();
    h.run();
    h.get_by_label("Выдача").click();
    h.run();
    assert_eq!(h.state().tab, Tab::Intake);
    type_into(&mut h, "Фамилия", "Қасымқызы");
    type_into(&mut h, "Имя", "Айгерім");
    type_into(&mut h, "Отчество (при наличии)", "Нұрланқызы");
    type_into(&mut h, "Гражданство", "Кыргызстан");
    type_into(&mut h, "Дата рождения (ДД.ММ.ГГГГ)", "08.10.1987");
    type_into(&mut h, "ИИН", "871008401428");
    type_into(&mut h, "Серия документа", "AC");
    type_into(&mut h, "Номер документа", "7654321");
    type_into(&mut h, "Дата выдачи документа", "10.01.2020");
    type_into(&mut h, "Кем выдан", "МВД КР");
    type_into(&mut h, "Адрес", "г. Алматы, ул. Абая, 10");
    type_into(&mut h, "Телефон", "+7 701 111 22 33");
    type_into(&mut h, "Электронная почта", "aigerim@mail.kz");
    type_into(
        &mut h,
        "Место жительства в стране резидентства",
        "г. Бишкек",
    );
    type_into(&mut h, "Профессия", "програм");
    h.get_by_label_contains("Программист (компьютерный)")
        .click();
    h.run();
    h.get_by_label("Согласие на сбор и обработку персональных данных получено")
        .click();
    h.run();
    for doc in [
        "Электронная копия документа, удостоверяющего личность",
        "Нотариальный перевод документов об образовании или сертификата преподавания английского",
        "Нотариальная копия документа о трудовой деятельности с переводом",
    ] {
        h.get_by_label(doc).click();
        h.run();
    }
    // The wrong IIN is shown at the field before saving, and saving writes nothing.
    assert!(h.query_by_label("неверная контрольная цифра").is_some());
    h.get_by_label("Сохранить (Ctrl+S)").click();
    h.run();
    assert_eq!(applications(&w), 0);
    assert_eq!(h.state().tab, Tab::Intake);
    assert!(
        h.query_by_label_contains("Исправьте ошибки в форме")
            .is_some()
    );
    // Nothing typed is lost: fix the IIN and save.
    h.get_by_label("ИИН").click();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label("ИИН").type_text("7");
    h.run();
    assert!(h.query_by_label("неверная контрольная цифра").is_none());
    h.get_by_label("Сохранить (Ctrl+S)").click();
    h.run();
    let message = h.state().intake.as_ref().and_then(|i| i.message.clone());
    let errors = h
        .state()
        .intake
        .as_ref()
        .map(|i| i.errors(at("2026-11-23 10:00")));
    assert_eq!(applications(&w), 1, "{message:?} {errors:?}");
    assert_eq!(h.state().tab, Tab::Application);
    assert!(
        h.query_by_label("Заявление 2026-000001 зарегистрировано")
            .is_some()
    );

    // Find it in the registry by part of the Kazakh surname, and open it.
    h.get_by_label("Реестр").click();
    h.run();
    type_into(&mut h, "Поиск", "қасым");
    assert!(h.query_by_label("Найдено: 1").is_some());
    assert!(h.query_by_label("Қасымқызы Айгерім Нұрланқызы").is_some());
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().tab, Tab::Application);
    assert!(
        h.query_by_label("Направить в комиссию").is_some(),
        "the officer may forward"
    );

    // Switch the language at run time.
    h.get_by_label("Қазақша").click();
    h.run();
    assert!(h.query_by_label("Комиссияға жіберу").is_some());
    assert!(h.query_by_label("Тізілім").is_some());
    h.get_by_label("Тізілім").click();
    h.run();
    assert!(h.query_by_label("Өтініштер тізілімі").is_some());
}

#[test]
fn a_role_that_may_not_forward_does_not_see_the_action() {
    let mut w = world();
    let reg = common::register(&mut w, "Қасымов", "2026-11-23 09:30");
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "secretary");
    type_into(&mut h, "Поиск", "қасымов");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(h.state().tab, Tab::Application);
    assert!(
        h.query_by_label(&format!("Заявление {}", reg.number))
            .is_some()
    );
    assert!(h.query_by_label("Направить в комиссию").is_none());
}

#[test]
fn the_administrator_adds_a_user() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    h.get_by_label("Имя пользователя").click();
    h.run();
    h.get_by_label("Имя пользователя").type_text("admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    assert_eq!(h.state().tab, Tab::Admin);
    assert!(
        h.query_by_label("Реестр").is_none(),
        "the administrator sees no registry of people"
    );
    // A too-short password refuses the new user and keeps its name (issue 14).
    // The users' table has columns of the same names: the form's fields are the last ones.
    for (label, text) in [
        ("Имя пользователя", "ivanova"),
        ("ФИО", "Иванова Анна Сергеевна"),
        ("Пароль", "short"),
    ] {
        h.query_all_by_label(label)
            .last()
            .unwrap_or_else(|| panic!("{label}"))
            .click();
        h.run();
        h.query_all_by_label(label)
            .last()
            .unwrap_or_else(|| panic!("{label}"))
            .type_text(text);
        h.run();
    }
    h.get_by_label("Создать пользователя").click();
    h.run();
    let screen = h
        .state()
        .admin
        .clone()
        .unwrap_or_else(|| panic!("the admin screen"));
    // The error is in the status bar, in sight wherever the page is scrolled (issue 14).
    assert_eq!(h.state().status.as_ref().map(|s| s.error), Some(true));
    assert_eq!(screen.new_username, "ivanova");
    assert_eq!(screen.new_full_name, "Иванова Анна Сергеевна");
    let _ = Role::Officer;
    let _ = setup::Body::new("a", "b", "c", "d", "e");
}

#[test]
fn a_damaged_database_is_a_screen_with_the_backup_to_restore() {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("spravka.db");
    {
        let w_store = ok(spravka::store::Store::open(&path));
        ok(w_store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"));
        ok(w_store.automatic_backup(at("2026-11-20 18:00")));
    }
    let mut bytes = ok(std::fs::read(&path));
    for b in &mut bytes[20_000..36_000] {
        *b = 0xA5;
    }
    ok(std::fs::write(&path, &bytes));
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-23 10:00"))));
    app.wait_for_check();
    let mut h = harness(app);
    h.run();
    assert!(h.query_by_label("Базу данных не удалось открыть").is_some());
    assert!(h.query_by_label(&path.display().to_string()).is_some());
    assert!(
        h.query_by_label_contains("spravka-20261120-180000.db")
            .is_some()
    );
    assert_eq!(
        ok(std::fs::read(&path)),
        bytes,
        "the damaged file is left as it was"
    );
    h.get_by_label("Восстановить из этой копии…").click();
    h.run();
    h.state_mut().wait_for_check();
    h.run();
    assert!(h.query_by_label("Базу данных не удалось открыть").is_none());
    assert!(
        h.query_by_label("Настройка").is_some(),
        "the restored (empty) database asks for set-up"
    );
    let kept: Vec<_> = ok(std::fs::read_dir(dir.path()))
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("replaced"))
        .collect();
    assert!(
        !kept.is_empty(),
        "the damaged file is kept beside the restored one"
    );
}

#[test]
fn the_officer_records_the_decision_and_sees_the_certificate() {
    use spravka::domain::scoring::{ScoreInput, WorkPeriod};

    let mut w = world();
    let _officer = w.officer.clone();
    let _secretary = w.secretary.clone();
    let input = ScoreInput {
        higher_education: true,
        periods: vec![ok(WorkPeriod::new(
            common::date("2015-01-01"),
            common::date("2025-12-31"),
        ))],
        ..ScoreInput::default()
    };
    common::recommended(&mut w, "Жақсылықов", &input);
    // Decided on 2 December: after the 30 November deadline (R§11), recorded with a warning.
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-12-02 10:00"))));
    app.set_file_picker(Box::new(|| None));
    app.wait_for_check();
    let mut h = harness(app);
    h.run();
    sign_in(&mut h, "officer");
    type_into(&mut h, "Поиск", "жақсылық");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Решение акимата (п. 11 Правил)").is_some());
    assert!(
        h.query_by_label_contains("Срок решения истёк 30.11.2026")
            .is_some()
    );
    // R§15: the proposed validity is the latest the rule allows.
    assert!(
        h.query_by_label("Не позднее 01.03.2027 (пп. 15–16 Правил)")
            .is_some()
    );
    // «Записать отказ» without a ground says so, and the message stays (issue 14).
    h.get_by_label("Отказать").click();
    h.run();
    h.get_by_label("Записать отказ").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label("Выберите основание отказа (A2.9)")
            .is_some()
    );
    h.get_by_label("Выдать справку").click();
    h.run();
    // A validity that cannot be read is said, and nothing is issued (issue 14).
    type_into(&mut h, "Действует по (ДД.ММ.ГГГГ)", "21.02.2027");
    h.get_by_label("Записать решение о выдаче").click();
    h.run();
    assert!(
        h.query_by_label_contains("«01.03.202721.02.2027» не читается как дата")
            .is_some()
    );
    h.get_by_label("Действует по (ДД.ММ.ГГГГ)").click();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..10 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_label("Записать решение о выдаче").click();
    h.run();
    // Issue 14: the decision asks first, naming what will happen; nothing is issued before.
    assert!(
        h.query_by_label_contains(
            "Выдать справку по заявлению 2026-000001 (Жақсылықов Айгүл) сроком по 01.03.2027?"
        )
        .is_some()
    );
    let conn = ok(rusqlite::Connection::open(&path));
    let none: i64 = ok(conn.query_row("SELECT count(*) FROM certificates", [], |r| r.get(0)));
    assert_eq!(none, 0);
    h.get_by_label("Да, записать").click();
    h.run();
    assert!(
        h.query_by_label_contains("Справка № 00001/2026 выдана")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("(после срока 30.11.2026)")
            .is_some()
    );
    assert!(h.query_by_label("Печать справки № 00001/2026…").is_some());
    // The sample drawn in the window: not a printed copy.
    h.get_by_label("Образец № 00001/2026").click();
    h.run();
    assert!(
        h.state()
            .view
            .as_ref()
            .is_some_and(|v| v.preview.as_ref().is_some_and(|s| s.number == "00001/2026"))
    );
    assert!(h.query_by_label("Открыть PDF-образец…").is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().view.as_ref().is_some_and(|v| v.preview.is_none()));
    let conn = ok(rusqlite::Connection::open(&path));
    let (valid_to, late): (String, bool) =
        ok(conn.query_row("SELECT c.valid_to, d.past_deadline FROM certificates c JOIN decisions d ON d.application_id = c.application_id", [], |r| Ok((r.get(0)?, r.get(1)?))));
    assert_eq!(valid_to, "2027-03-01");
    assert!(late);
}

#[test]
fn the_verification_screen_tells_authentic_from_forged() {
    use spravka::service::printing;
    let mut w = world();
    let officer = w.officer.clone();
    let _secretary = w.secretary.clone();
    common::issued(&mut w, "Ұлықбекова");
    let code = ok(printing::qr_payload(
        &mut w.store,
        &officer,
        at("2026-11-25 10:05"),
        "00001/2026",
    ));
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    h.get_by_label("Проверка справки").click();
    h.run();
    type_into(&mut h, "Код с QR или номер справки", &code);
    h.get_by_label("Проверить").click();
    h.run();
    assert!(
        h.query_by_label("Подпись подлинная: код подписан ключом этого органа")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Справка № 00001/2026: Действует")
            .is_some()
    );
    // One character changed.
    h.get_by_label("Код с QR или номер справки").click();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label("Код с QR или номер справки").type_text("x");
    h.run();
    h.get_by_label("Проверить").click();
    h.run();
    assert!(
        h.query_by_label("ПОДДЕЛКА: код не подписан этим органом или изменён")
            .is_some()
    );
    // Nothing after «forged» reads like «valid» (issue 12, item 2).
    assert!(h.query_by_label_contains("Действует").is_none());
    assert!(
        h.query_by_label_contains("Не полагайтесь на эту бумагу")
            .is_some()
    );
}

#[test]
fn revocation_needs_the_act_and_complaints_get_their_deadline() {
    use spravka::service::certificates::{self};

    let mut w = world();
    let _officer = w.officer.clone();
    let _secretary = w.secretary.clone();
    common::issued(&mut w, "Ғабитов");
    // Issued on 25 November; the revocation comes later, on Monday 30 November.
    let path = w.dir.path().join("spravka.db");
    let mut later = App::new(&path, Box::new(FixedClock(at("2026-11-30 10:00"))));
    later.set_file_picker(Box::new(|| None));
    later.wait_for_check();
    let mut h = harness(later);
    h.run();
    sign_in(&mut h, "officer");
    type_into(&mut h, "Поиск", "ғабитов");
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Отозвать № 00001/2026…").click();
    h.run();
    h.get_by_label("Отозвать справку").click();
    h.run();
    assert!(
        h.query_by_label("Нужны орган, номер и дата акта (п. 21 Правил)")
            .is_some()
    );
    type_into(
        &mut h,
        "Орган, вынесший акт",
        "Департамент миграционной службы",
    );
    type_into(&mut h, "Номер акта", "17");
    // R§21: an act dated after today is refused, and so are empty grounds.
    type_into(&mut h, "Дата акта (ДД.ММ.ГГГГ)", "01.01.2027");
    h.get_by_label("Отозвать справку").click();
    h.run();
    assert!(
        h.query_by_label("Акт датирован 01.01.2027 — позже сегодняшнего дня (п. 21 Правил)")
            .is_some()
    );
    h.get_by_label("Дата акта (ДД.ММ.ГГГГ)").click();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..10 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_label("Дата акта (ДД.ММ.ГГГГ)")
        .type_text("27.11.2026");
    h.run();
    h.get_by_label("Отозвать справку").click();
    h.run();
    assert!(
        h.query_by_label("Укажите основание отзыва (п. 21 Правил)")
            .is_some()
    );
    type_into(&mut h, "Основание, пояснение", "работа не по профессии");
    h.get_by_label("Отозвать справку").click();
    h.run();
    // Issue 14: asked first, naming the certificate and the act.
    assert!(
        h.query_by_label_contains(
            "Отозвать справку № 00001/2026 (Ғабитов Айгүл) на основании акта № 17 от 27.11.2026?"
        )
        .is_some()
    );
    h.get_by_label("Да, записать").click();
    h.run();
    assert!(h.query_by_label("Справка отозвана").is_some());
    assert_eq!(
        ok(certificates::find_certificate(&w.store, "00001/2026")).status,
        spravka::domain::status::CertificateStatus::Revoked
    );
    // A complaint to the body itself: 5 working days from 30 November (R§25).
    h.get_by_label("Жалоба…").click();
    h.run();
    type_into(&mut h, "Суть жалобы", "Не согласен с отзывом");
    h.get_by_label("Зарегистрировать жалобу").click();
    h.run();
    // R§25: 5 working days from Monday 30 November.
    assert!(
        h.query_by_label("Жалоба зарегистрирована, ответ до 07.12.2026")
            .is_some()
    );
}

#[test]
fn ctrl_click_chooses_applications_to_print_together() {
    let mut w = world();
    common::issued(&mut w, "Әлиева");
    common::issued(&mut w, "Smith");
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    h.get_by_label("Әлиева Айгүл")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    h.get_by_label("Smith Айгүл")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    assert_eq!(h.state().registry.chosen.len(), 2);
    assert!(
        h.query_by_label("Печать их справок одним файлом…")
            .is_some()
    );
    h.get_by_label("Снять выбор").click();
    h.run();
    assert!(h.state().registry.chosen.is_empty());
}

#[test]
fn a_new_filter_in_the_registry_shows_its_first_matches_not_the_old_scroll_position() {
    use spravka::service::applications::{self, RegistryFilter, RegistrySort};
    let w = world();
    let path = w.dir.path().join("registry.db");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
    let now = at("2026-11-20 12:00");
    let (session, newest) = {
        let mut store = ok(spravka::service::maintenance::open(&path));
        ok(spravka::demo::generate(&mut store, 300, 1, today, |_| {}));
        let session = ok(setup::sign_in(
            &mut store,
            "officer",
            spravka::demo::DEMO_PASSWORD,
            now,
        ));
        let (_, first) = ok(applications::registry_first(
            &store,
            &session,
            &RegistryFilter::default(),
            RegistrySort::Newest,
            1,
        ));
        (session, first[0].number.clone())
    };
    let mut app = App::new(&path, Box::new(FixedClock(now)));
    app.wait_for_check();
    app.start_session(session);
    let mut h = harness(app);
    h.run();
    assert!(
        h.query_by_label(&newest).is_some(),
        "the newest row is on screen"
    );
    // Far down the list: the newest row is no longer drawn.
    h.hover_at(egui::pos2(700.0, 700.0));
    for _ in 0..10 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -2000.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        // The scroll animates: several frames.
        h.run_steps(10);
    }
    assert!(h.query_by_label(&newest).is_none(), "scrolled away");
    // A text that matches most of the list, the newest application among them.
    let year = newest.get(..4).unwrap_or_default().to_string();
    type_into(&mut h, "Поиск", &year);
    h.run_steps(10);
    assert!(
        h.query_by_label(&newest).is_some(),
        "the first match of the new filter is on screen"
    );
}

#[test]
fn the_administrator_backs_up_checks_and_cannot_restore_a_damaged_copy() {
    use spravka::service::maintenance;
    let w = world();
    let path = w.dir.path().join("spravka.db");
    let app = app(&w);
    // The daily backup is made on the start-up thread after the check: wait for it.
    for _ in 0..500 {
        if !maintenance::backups(&path).is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut h = harness(app);
    h.run();
    h.get_by_label("Имя пользователя").click();
    h.run();
    h.get_by_label("Имя пользователя").type_text("admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    h.get_by_label("Резервные копии").click();
    h.run();
    let before = maintenance::backups(&path).len();
    assert_eq!(h.query_all_by_label("Проверить").count(), before);

    h.get_by_label("Создать копию сейчас").click();
    h.run();
    assert_eq!(maintenance::backups(&path).len(), before + 1);
    assert_eq!(h.query_all_by_label("Проверить").count(), before + 1);
    let newest = maintenance::backup_list(&path)[0].path.clone();
    assert!(newest.exists());
    assert!(h.query_by_label_contains("Копия создана").is_some());

    // Checked on demand: the newest row, first in the list.
    assert!(h.query_by_label("в порядке").is_none());
    ok(h.get_all_by_label("Проверить").next().ok_or("no button")).click();
    h.run();
    assert!(h.query_by_label("в порядке").is_some());

    // A damaged copy is refused, with the reason, and the database is left as it was.
    let mut bytes = ok(std::fs::read(&newest));
    let half = bytes.len() / 2;
    for b in &mut bytes[half..] {
        *b = 0xA5;
    }
    ok(std::fs::write(&newest, &bytes));
    ok(h.get_all_by_label("Восстановить…")
        .next()
        .ok_or("no button"))
    .click();
    h.run();
    assert!(
        h.query_by_label_contains(&format!("{} будет заменена копией", path.display()))
            .is_some(),
        "the confirmation names the database it replaces"
    );
    h.get_by_label("Заменить базу данных").click();
    h.run();
    assert!(
        h.query_by_label_contains("Копия не восстановлена")
            .is_some()
    );
    assert!(h.state().session.is_some());
    let replaced = ok(std::fs::read_dir(w.dir.path()))
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("replaced"));
    assert!(!replaced, "nothing was replaced");
}

#[test]
fn an_officer_has_neither_the_backups_nor_the_calendar_section() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    for label in [
        "Резервные копии",
        "Создать копию сейчас",
        "Календарь",
        "Добавить перенос",
    ] {
        assert!(h.query_by_label(label).is_none(), "{label}");
    }
}

#[test]
fn a_reset_password_is_changed_before_the_registry_opens() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    type_into(&mut h, "Имя пользователя", "admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    assert_eq!(h.state().tab, Tab::Admin);
    // Users by username: admin, member, officer, secretary, signatory.
    let buttons = h.get_all_by_label("Сбросить пароль…").count();
    assert_eq!(buttons, 5);
    h.get_all_by_label("Сбросить пароль…")
        .nth(2)
        .unwrap_or_else(|| panic!("the officer's reset"))
        .click();
    h.run();
    assert!(h.query_by_label("Временный пароль для officer").is_some());
    type_into(&mut h, "Временный пароль", "short");
    h.get_by_label("Сбросить").click();
    h.run();
    assert!(
        h.query_by_label("Пароль должен быть не короче 8 символов")
            .is_some()
    );
    type_into(&mut h, "Временный пароль", "-and-longer");
    h.get_by_label("Сбросить").click();
    h.run();
    assert!(
        h.query_by_label("Пароль сброшен: пользователь сменит его при следующем входе")
            .is_some()
    );
    h.get_by_label("Выйти").click();
    h.run();

    type_into(&mut h, "Имя пользователя", "officer");
    type_into(&mut h, "Пароль", "short-and-longer");
    h.get_by_label("Войти").click();
    h.run();
    assert!(
        h.state()
            .session
            .as_ref()
            .is_some_and(|s| s.must_change_password)
    );
    assert!(h.query_by_label("Смена пароля").is_some());
    assert!(
        h.query_by_label("Реестр").is_none(),
        "no work before the change"
    );
    type_into(&mut h, "Текущий пароль", "short-and-longer");
    type_into(&mut h, "Новый пароль", "officer-own-1");
    type_into(&mut h, "Новый пароль ещё раз", "officer-own-2");
    h.get_by_label("Сменить пароль").click();
    h.run();
    assert!(h.query_by_label("Новые пароли не совпадают").is_some());
    h.get_by_label("Новый пароль ещё раз").click();
    h.run();
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label("Новый пароль ещё раз").type_text("1");
    h.run();
    h.get_by_label("Сменить пароль").click();
    h.run();
    assert!(
        h.state()
            .session
            .as_ref()
            .is_some_and(|s| !s.must_change_password)
    );
    assert!(h.query_by_label("Реестр").is_some());
    assert_eq!(h.state().tab, Tab::Registry);
    let mut store = ok(spravka::store::Store::open(
        &w.dir.path().join("spravka.db"),
    ));
    let session = ok(setup::sign_in(
        &mut store,
        "officer",
        "officer-own-1",
        at("2026-11-23 10:05"),
    ));
    assert!(!session.must_change_password);
}

#[test]
fn the_fifth_wrong_password_locks_with_a_message_that_says_until_when() {
    let w = world();
    let mut app = app(&w);
    // The growing wait between attempts is tested on its own (tests/sign_in.rs).
    app.set_sign_in_delay(|_| std::time::Duration::ZERO);
    let mut h = harness(app);
    h.run();
    type_into(&mut h, "Имя пользователя", "officer");
    for _ in 0..5 {
        type_into(&mut h, "Пароль", "wrong-password");
        h.get_by_label("Войти").click();
        h.run();
    }
    assert!(h.state().session.is_none());
    let message = "После нескольких неверных паролей вход заблокирован до 10:15. Обратитесь к администратору, чтобы разблокировать раньше";
    assert!(h.query_by_label(message).is_some());
    type_into(&mut h, "Пароль", "password-123");
    h.get_by_label("Войти").click();
    h.run();
    assert!(h.state().session.is_none(), "the right password waits too");
}

#[test]
fn the_top_bar_changes_one_s_own_password_and_refuses_a_wrong_current_one() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    h.get_by_label("Сменить пароль…").click();
    h.run();
    type_into(&mut h, "Текущий пароль", "not-my-password");
    type_into(&mut h, "Новый пароль", "officer-own-1");
    type_into(&mut h, "Новый пароль ещё раз", "officer-own-1");
    h.get_by_label("Сменить пароль").click();
    h.run();
    assert!(h.query_by_label("Текущий пароль указан неверно").is_some());
    assert!(h.state().change_password.is_some(), "the form stays open");
    h.get_by_label("Отмена").click();
    h.run();
    assert!(h.state().change_password.is_none());
    assert!(h.query_by_label("Реестр").is_some());
}

#[test]
fn the_administrator_adds_a_day_off_and_sees_the_deadlines_that_moved() {
    let mut w = world();
    let registered = common::register(&mut w, "Иванов", "2026-11-20 10:00");
    let mut h = harness(app(&w));
    h.run();
    h.get_by_label("Имя пользователя").click();
    h.run();
    h.get_by_label("Имя пользователя").type_text("admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    h.get_by_label("Календарь").click();
    h.run();
    assert!(
        h.query_by_label("Декабрь").is_some(),
        "the month grid is shown"
    );

    // A date that does not exist: a message, and the text stays.
    type_into(&mut h, "Дата переноса (ДД.ММ.ГГГГ)", "31.02.2026");
    h.get_by_label("Добавить перенос").click();
    h.run();
    assert!(h.query_by_label_contains("Дата не распознана").is_some());
    let screen = h.state().calendar.as_ref().map(|c| c.new_date.clone());
    assert_eq!(screen.as_deref(), Some("31.02.2026"));

    // A Kurban Ait date that does not parse is kept with its message; nothing is saved.
    type_into(&mut h, "Курбан айт (ДД.ММ.ГГГГ)", "xx");
    h.get_by_label("Сохранить").click();
    h.run();
    assert!(h.query_all_by_label_contains("Дата не распознана").count() >= 2);
    let kurban = h.state().calendar.as_ref().map(|c| c.kurban.clone());
    assert!(kurban.is_some_and(|k| k.ends_with("xx")));
    assert!(h.query_by_label_contains("Календарь сохранён").is_none());

    // A day off by decree on Tuesday 24 November moves the open deadline.
    if let Some(c) = &mut h.state_mut().calendar {
        c.new_date.clear();
        c.kurban = c.kurban.trim_end_matches("xx").to_string();
        c.new_working = false;
    }
    h.run();
    type_into(&mut h, "Дата переноса (ДД.ММ.ГГГГ)", "24.11.2026");
    type_into(
        &mut h,
        "Постановление (номер и дата)",
        "Постановление № 1 от 01.11.2026",
    );
    h.get_by_label("Добавить перенос").click();
    h.run();
    assert!(
        h.query_by_label("Постановление № 1 от 01.11.2026")
            .is_some()
    );
    h.get_by_label("Сохранить").click();
    h.run();
    assert!(
        h.query_by_label_contains("изменились сроки заявлений — 1")
            .is_some(),
        "the message counts the moved deadline"
    );
    assert!(
        h.query_by_label_contains(&format!("{}:", registered.number))
            .is_some(),
        "the moved application is named"
    );
}

#[test]
fn the_administrator_reads_filters_and_exports_the_audit_log() {
    let mut w = world();
    let reg = common::register(&mut w, "Қасымқызы", "2026-11-23 09:30");
    let officer = w.officer.clone();
    ok(spravka::service::applications::open_application(
        &mut w.store,
        &officer,
        at("2026-11-23 09:40"),
        reg.id,
    ));
    let mut h = harness(app(&w));
    h.run();
    h.get_by_label("Имя пользователя").click();
    h.run();
    h.get_by_label("Имя пользователя").type_text("admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    h.get_by_label("Журнал").click();
    h.run();
    // The check runs on another thread: first said as running, then its result.
    assert!(
        h.query_by_label("Проверяется цепочка журнала…").is_some()
            || h.state().audit.as_ref().is_some_and(|a| !a.checking)
    );
    h.state_mut().wait_for_audit_check();
    h.run();
    assert!(h.query_by_label("Цепочка журнала цела").is_some());
    let rows = h.state().audit.as_ref().map_or(0, |a| a.rows.len());
    assert!(rows > 2, "the log shows its rows: {rows}");

    // «Who opened the file»: only the openings are left.
    h.get_by_label("Кто открывал дело").click();
    h.run();
    let screen = ok(h.state().audit.as_ref().ok_or("no audit screen"));
    assert_eq!(screen.loaded.action, None);
    assert_eq!(screen.loaded.any_of, ["open_application", "open_applicant"]);
    assert_eq!(screen.rows.len(), 1);
    assert_eq!(screen.rows[0].user, "officer");
    assert_eq!(screen.rows[0].record, format!("application:{}", reg.id));

    // A date that cannot be read is refused and stays as typed.
    type_into(&mut h, "С", "31.02.2026");
    h.get_by_label("Показать").click();
    h.run();
    assert!(h.query_by_label_contains("Дата не распознана").is_some());
    assert_eq!(
        h.state().audit.as_ref().map(|a| a.from.as_str()),
        Some("31.02.2026")
    );
    h.get_by_label("Сбросить фильтр").click();
    h.run();
    h.get_by_label("Кто открывал дело").click();
    h.run();

    h.get_by_label("Выгрузить в CSV").click();
    h.run();
    let file = ok(h
        .state()
        .audit
        .as_ref()
        .and_then(|a| a.exported.clone())
        .ok_or("nothing exported"));
    let text = ok(std::fs::read_to_string(&file));
    assert!(text.starts_with("id,at,user,action,record,summary"));
    assert_eq!(text.lines().count(), 2);
    assert!(h.query_by_label_contains("Выгружено строк: 1").is_some());
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_signatory_has_the_audit_log_and_the_officer_has_not() {
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "signatory");
    h.get_by_label("Журнал").click();
    h.run();
    assert_eq!(h.state().tab, Tab::Audit);
    h.state_mut().wait_for_audit_check();
    h.run();
    assert!(h.query_by_label("Цепочка журнала цела").is_some());
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    assert!(h.query_by_label("Журнал").is_none());
}

#[test]
fn the_form_names_a_hidden_character_and_keeps_what_was_typed() {
    // Issue 12, item 8: a bidi override in a surname is refused at the field, with its place,
    // in Russian and in Kazakh; saving writes nothing and the text stays in the form.
    let w = world();
    let mut h = harness(app(&w));
    h.run();
    sign_in(&mut h, "officer");
    h.get_by_label("Новое заявление…").click();
    h.run();
    h.get_by_label("Выдача").click();
    h.run();
    type_into(&mut h, "Фамилия", "Си\u{202E}кова");
    type_into(&mut h, "Отчество (при наличии)", "123");
    assert!(
        h.query_by_label("скрытый знак направления текста U+202E в позиции 3")
            .is_some()
    );
    assert!(
        h.query_by_label("должно содержать хотя бы одну букву")
            .is_some()
    );
    h.get_by_label("Сохранить (Ctrl+S)").click();
    h.run();
    assert_eq!(applications(&w), 0);
    assert_eq!(
        h.state()
            .intake
            .as_ref()
            .map(|i| i.applicant.surname.clone()),
        Some("Си\u{202E}кова".to_string())
    );
    h.get_by_label("Қазақша").click();
    h.run();
    assert!(
        h.query_by_label("3-орында мәтін бағытының жасырын белгісі U+202E")
            .is_some()
    );
}

#[test]
fn the_language_chosen_is_remembered_in_the_settings_file() {
    // Issue 17: the next start, and a message box before the window, speak the same language.
    use spravka::platform::settings::Settings;
    let w = world();
    let file = w.dir.path().join("settings.json");
    let mut app = app(&w);
    app.settings_file = Some(file.clone());
    let mut h = harness(app);
    h.run();
    assert!(
        !file.exists(),
        "nothing is written until the language is switched"
    );
    h.get_by_label("Қазақша").click();
    h.run();
    assert_eq!(ok(Settings::load(&file)).language.as_deref(), Some("kk"));
    h.get_by_label("Русский").click();
    h.run();
    assert_eq!(ok(Settings::load(&file)).language.as_deref(), Some("ru"));
}
