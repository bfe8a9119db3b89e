//! A window that holds still (issue 14): status messages in a fixed bar at the bottom that
//! never moves the rows under the pointer, and that belong to the screen that raised them; and
//! sign-out asks before it drops an unsaved application.

mod common;

use common::{sign_in, type_into, window, world};
use egui_kittest::kittest::Queryable;
use spravka::ui::Tab;

#[test]
fn a_status_message_does_not_move_the_registry_rows_and_goes_at_sign_out() {
    let mut w = world();
    common::issued(&mut w, "Әлиева");
    let mut h = window(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    let before = h.get_by_label("Әлиева Айгүл").rect();
    h.state_mut().say("Напечатано справок: 1", false);
    h.run();
    assert!(h.query_by_label("Напечатано справок: 1").is_some());
    assert_eq!(
        h.get_by_label("Әлиева Айгүл").rect(),
        before,
        "the row held still"
    );
    // Gone again: the row is where it was.
    h.state_mut().status = None;
    h.run();
    assert_eq!(h.get_by_label("Әлиева Айгүл").rect(), before);
    // A message belongs to its screen: it does not follow the user to another tab.
    h.state_mut().say("Ошибка на реестре", true);
    h.run();
    assert!(h.query_by_label("Ошибка на реестре").is_some());
    h.get_by_label("Проверка справки").click();
    h.run();
    h.run();
    assert!(h.query_by_label("Ошибка на реестре").is_none());
    assert!(h.state().status.is_none());
    // Nor through sign-out onto the sign-in screen.
    h.get_by_label("Реестр").click();
    h.run();
    h.state_mut().say("Справка напечатана", false);
    h.run();
    assert!(h.query_by_label("Справка напечатана").is_some());
    h.get_by_label("Выйти").click();
    h.run();
    h.run();
    assert!(h.state().session.is_none());
    assert!(h.query_by_label("Справка напечатана").is_none());
    assert!(h.query_by_label("Имя пользователя").is_some());
}

#[test]
fn sign_out_with_an_unsaved_application_asks() {
    // Issue 14: sign-out dropped an unsaved application without asking.
    let w = world();
    let mut h = window(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    h.get_by_label("Новое заявление…").click();
    h.run();
    h.get_by_label("Выдача").click();
    h.run();
    type_into(&mut h, "Фамилия", "Қасымқызы");
    h.get_by_label("Выйти").click();
    h.run();
    assert!(h.state().session.is_some(), "not signed out yet");
    assert!(
        h.query_by_label_contains("Заявление не сохранено")
            .is_some()
    );
    h.get_by_label("Вернуться к заявлению").click();
    h.run();
    assert!(h.state().session.is_some());
    assert_eq!(h.state().tab, Tab::Intake);
    assert!(
        h.query_by_label_contains("Заявление не сохранено")
            .is_none()
    );
    assert_eq!(
        h.state()
            .intake
            .as_ref()
            .map(|i| i.applicant.surname.clone()),
        Some("Қасымқызы".to_string())
    );
    h.get_by_label("Выйти").click();
    h.run();
    h.get_by_label("Выйти без сохранения").click();
    h.run();
    assert!(h.state().session.is_none());
    assert!(h.state().intake.is_none());
}

#[test]
fn a_batch_print_asks_first_and_names_what_it_skipped() {
    // Issue 14: bulk print says which chosen certificates it skipped and why.
    let mut w = world();
    let reg = common::register(&mut w, "Ким", "2026-11-25 09:00");
    let mut h = window(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    let before = h.get_by_label("Ким Айгүл").rect();
    h.get_by_label("Ким Айгүл")
        .click_modifiers(egui::Modifiers::COMMAND);
    h.run();
    // Choosing did not move the row: the line of the chosen ones was there already.
    assert_eq!(h.get_by_label("Ким Айгүл").rect(), before);
    h.get_by_label("Печать их справок одним файлом…").click();
    h.run();
    assert!(
        h.query_by_label_contains("Напечатать действующие справки 1 выбранного заявления")
            .is_some()
    );
    assert!(
        h.state().batch_progress.is_none(),
        "nothing printed before «yes»"
    );
    h.get_by_label("Напечатать").click();
    h.run();
    for _ in 0..200 {
        if h.state().status.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.run();
    }
    let said = h
        .state()
        .status
        .as_ref()
        .map(|s| (s.error, s.text.clone()))
        .unwrap_or_default();
    assert!(said.0, "a skip is said as a warning: {said:?}");
    assert!(
        said.1.contains(&format!(
            "Не напечатаны: {} — справка не выдана (статус: Зарегистрировано)",
            reg.number
        )),
        "{said:?}"
    );
}

#[test]
fn with_no_file_dialog_a_scan_is_attached_by_its_path() {
    // Issue 14: the file dialog did not open (no desktop portal) and nothing was said; the
    // checklist could be ticked with no scan.
    let mut w = world();
    let reg = common::register(&mut w, "Ким", "2026-11-25 09:00");
    let scan = w.dir.path().join("паспорт.pdf");
    std::fs::write(&scan, b"%PDF-1.4\n%scan\n").unwrap_or_else(|e| panic!("{e}"));
    // `window` gives a file dialog that returns nothing, as rfd does with no portal.
    let mut h = window(&w, "2026-11-26 10:00");
    sign_in(&mut h, "officer");
    h.state_mut().open(reg.id);
    h.run();
    // Every item of this application is marked received, none has a scan: said.
    assert!(
        h.query_all_by_label("отмечен как полученный, но файл скана не приложен")
            .count()
            >= 2
    );
    h.get_all_by_label("Прикрепить…")
        .next()
        .unwrap_or_else(|| panic!("no attach button"))
        .click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("Окно выбора файла не открылось или было закрыто")
            .is_some()
    );
    type_into(&mut h, "Путь к файлу", &scan.display().to_string());
    h.get_by_label("Приложить файл").click();
    h.run();
    h.run();
    assert!(
        h.query_by_label_contains("Файл «паспорт.pdf» приложен")
            .is_some(),
        "{:?}",
        h.state().status
    );
    assert!(h.query_by_label_contains("паспорт.pdf · 0").is_some());
    assert!(
        h.state()
            .view
            .as_ref()
            .is_some_and(|v| v.attach_path.is_none())
    );
}

/// The status bar's text and whether it is an error.
fn status(h: &egui_kittest::Harness<'static, spravka::ui::App>) -> Option<(String, bool)> {
    h.state().status.as_ref().map(|s| (s.text.clone(), s.error))
}

#[test]
fn the_reports_and_intake_messages_go_to_the_status_bar_and_move_nothing() {
    // Issue 14: the report's and the intake form's messages stood above their content and
    // pushed it down when they came and went.
    let w = world();
    let mut h = window(&w, "2026-11-30 12:00");
    sign_in(&mut h, "officer");
    h.get_by_label("Отчёты").click();
    h.run();
    let period = "Период: с 01.11.2026 по 30.11.2026. Только сводные цифры: персональных данных в отчёте нет.";
    let before = h.get_by_label(period).rect();
    if let Some(reports) = h.state_mut().reports.as_mut() {
        reports.from = "32.13.2026".into();
    }
    h.get_by_label("Показать").click();
    h.run();
    assert_eq!(
        status(&h),
        Some(("Укажите обе даты периода как ДД.ММ.ГГГГ".into(), true))
    );
    assert!(
        h.query_by_label("Укажите обе даты периода как ДД.ММ.ГГГГ")
            .is_some()
    );
    assert_eq!(
        h.get_by_label(period).rect(),
        before,
        "the report held still"
    );

    // The intake form: saved empty, its error is said below, the fields stay where they were.
    h.get_by_label("Реестр").click();
    h.run();
    h.get_by_label("Новое заявление…").click();
    h.run();
    h.get_by_label("Выдача").click();
    h.run();
    let field = h.get_by_label("Фамилия").rect();
    h.get_by_label("Сохранить (Ctrl+S)").click();
    h.run();
    let said = status(&h);
    assert!(
        said.as_ref()
            .is_some_and(|(text, error)| *error && text.starts_with("Исправьте ошибки в форме: ")),
        "{said:?}"
    );
    assert_eq!(
        h.get_by_label("Фамилия").rect(),
        field,
        "the form held still"
    );
}

#[test]
fn the_administrators_screens_say_their_results_in_the_status_bar() {
    // Backups, the audit log and the calendar: the result or the error goes to the status
    // bar, and what is below the buttons does not move.
    let w = world();
    let mut h = window(&w, "2026-11-26 10:00");
    common::type_into(&mut h, "Имя пользователя", "admin");
    common::type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();

    h.get_by_label("Резервные копии").click();
    h.run();
    let button = h.get_by_label("Создать копию сейчас").rect();
    h.get_by_label("Создать копию сейчас").click();
    h.run();
    let said = status(&h);
    assert!(
        said.as_ref()
            .is_some_and(|(text, error)| !*error && text.starts_with("Копия создана: ")),
        "{said:?}"
    );
    assert_eq!(h.get_by_label("Создать копию сейчас").rect(), button);
    let first_check = h.get_all_by_label("Проверить").next().map(|n| n.rect());
    h.state_mut().say("Копия создана: ещё одна", false);
    h.run();
    assert_eq!(
        h.get_all_by_label("Проверить").next().map(|n| n.rect()),
        first_check,
        "the list of copies held still"
    );

    h.get_by_label("Журнал").click();
    h.run();
    h.state_mut().wait_for_audit_check();
    h.run();
    let show = h.get_by_label("Показать").rect();
    if let Some(audit) = h.state_mut().audit.as_mut() {
        audit.from = "31.02.2026".into();
    }
    h.get_by_label("Показать").click();
    h.run();
    assert_eq!(
        status(&h),
        Some(("Дата не распознана (ДД.ММ.ГГГГ): 31.02.2026".into(), true))
    );
    assert_eq!(h.get_by_label("Показать").rect(), show);
    assert!(
        h.query_all_by_label("Дата не распознана (ДД.ММ.ГГГГ): 31.02.2026")
            .count()
            == 1,
        "said once, in the status bar"
    );
}

#[test]
fn the_members_table_fits_a_1280_px_window_in_both_languages() {
    // Issue 14: «Вывести из состава» was cut at the right edge; the Kazakh texts are longer.
    use spravka::service::commission::{self, Member, MemberGroup, MemberRole};
    let mut w = world();
    let secretary = w.secretary.clone();
    for (name, organisation) in [
        (
            "Нұрғалиева Әйгерім Бекқызы",
            "Управление занятости и социальных программ города Алматы",
        ),
        (
            "Петренко Игорь Николаевич",
            "Департамент полиции города Алматы, управление миграционной службы",
        ),
    ] {
        let member = Member {
            id: 0,
            full_name: name.into(),
            organisation: organisation.into(),
            position: "начальник отдела миграционной службы".into(),
            group: MemberGroup::SectorBodies,
            role: MemberRole::Member,
            active: true,
            start_date: common::date("2026-01-01"),
            end_date: None,
        };
        common::ok(commission::save_member(
            &mut w.store,
            &secretary,
            common::at("2026-11-02 10:00"),
            &member,
        ));
    }
    let mut h = window(&w, "2026-11-26 10:00");
    h.set_size(egui::vec2(1280.0, 900.0));
    h.run();
    sign_in(&mut h, "secretary");
    for (language, members, leave) in [
        ("Русский", "Члены комиссии", "Вывести из состава: "),
        ("Қазақша", "Комиссия мүшелері", "Құрамнан шығару: "),
    ] {
        h.get_by_label(language).click();
        h.run();
        if h.state().tab != Tab::Commission {
            h.get_by_label("Комиссия").click();
            h.run();
        }
        h.get_by_label(members).click();
        h.run();
        let buttons: Vec<egui::Rect> = h
            .query_all_by_label_contains(leave)
            .map(|n| n.rect())
            .collect();
        assert_eq!(buttons.len(), 2, "{language}");
        for rect in buttons {
            assert!(rect.max.x <= 1280.0, "{language}: {rect:?}");
        }
        for header in ["Срок полномочий", "Өкілеттік мерзімі"] {
            if let Some(node) = h.query_by_label(header) {
                assert!(node.rect().max.x <= 1280.0, "{header}: {:?}", node.rect());
            }
        }
    }
}
