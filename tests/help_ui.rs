//! The help panel (F1) driven through AccessKit: it explains the screen on view, in the
//! language chosen, with the numbers the program counts by (issue 15, item 9).

mod common;

use common::{sign_in, type_into, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::ui::App;

fn harness(w: &common::World) -> Harness<'static, App> {
    common::window(w, "2026-11-23 10:00")
}

#[test]
fn f1_explains_the_screen_on_view_in_its_language() {
    let w = world();
    let mut h = harness(&w);

    // Before signing in: the sign-in page.
    h.key_press(egui::Key::F1);
    h.run();
    assert!(h.state().help_open);
    assert!(h.query_by_label("Вход").is_some());
    h.key_press(egui::Key::F1);
    h.run();
    assert!(!h.state().help_open);

    sign_in(&mut h, "officer");
    h.get_by_label("Помощь (F1)").click();
    h.run();
    // The screen's own title and the page's.
    assert_eq!(h.query_all_by_label("Реестр заявлений").count(), 2);
    // R§7, R§11: the limits are the program's own.
    assert!(
        h.query_by_label_contains("передать в комиссию — 2 рабочих дня (п. 7 Правил)")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("решение акимата — 5 рабочих дней с регистрации")
            .is_some()
    );

    // The same page in Kazakh.
    h.get_by_label("Қазақша").click();
    h.run();
    assert_eq!(h.query_all_by_label("Өтініштер тізілімі").count(), 2);
    assert!(
        h.query_by_label_contains("комиссияға жіберу — 2 жұмыс күні (Қағидалардың 7-т.)")
            .is_some()
    );
    assert!(h.query_by_label_contains("Реестр заявлений").is_none());

    // Closing from the panel's own button.
    h.get_by_label("Жабу (F1)").click();
    h.run();
    assert!(!h.state().help_open);
}

#[test]
fn the_secretary_reads_the_scoring_rules_on_the_commission_tab() {
    let w = world();
    let mut h = harness(&w);
    sign_in(&mut h, "secretary");
    h.get_by_label("Комиссия").click();
    h.run();
    h.key_press(egui::Key::F1);
    h.run();
    // R§10, A2.9: the points and the threshold of the scheme in force.
    assert!(h.query_by_label_contains("Порог — 6 баллов").is_some());
    assert!(
        h.query_by_label_contains("Ученая степень по специальности (+4)")
            .is_some()
    );
    assert!(h.query_by_label_contains("11 лет и более — 6").is_some());
}

#[test]
fn a_deadline_figure_says_which_step_and_paragraph_it_counts() {
    // R§7 behind the deadline of an application for issue at intake, R§11 behind it.
    let mut w = world();
    common::register(&mut w, "Әлиева", "2026-11-23 09:00");
    let mut h = harness(&w);
    sign_in(&mut h, "officer");
    h.get_by_label_contains(" · осталось ").hover();
    h.run();
    assert!(
        h.query_by_label_contains("Направление в комиссию: 2 рабочих дня (R§7)")
            .is_some()
    );
    assert!(h.query_by_label_contains("Ближайший из сроков:").is_some());
}

#[test]
fn a_registry_date_that_cannot_be_read_is_said() {
    // Issue 14: the registry's period filter ignored «32.13.2026» without a word.
    let w = world();
    let mut h = harness(&w);
    sign_in(&mut h, "officer");
    type_into(&mut h, "с", "32.13.2026");
    assert!(
        h.query_by_label("дата периода не читается (ДД.ММ.ГГГГ): по ней не отобрано")
            .is_some()
    );
}
