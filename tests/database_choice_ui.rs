//! The first start on a computer asks where the data lives (issue 11): a server that cannot be
//! reached is said on the same screen with what was typed kept; this computer creates the file
//! and keeps the choice in the settings file.

mod common;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::service::FixedClock;
use spravka::ui::App;

#[test]
fn the_first_start_asks_where_the_data_lives_and_keeps_the_answer() {
    let dir = common::ok(tempfile::tempdir());
    let db = dir.path().join("spravka.db");
    let settings = dir.path().join("settings.json");
    let mut app = App::choosing(&db, Box::new(FixedClock(common::at("2026-11-23 09:00"))));
    app.settings_file = Some(settings.clone());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    assert!(h.query_by_label("Где будут храниться данные?").is_some());
    assert!(!db.exists(), "nothing is created before the answer");
    // The server: a name that never resolves (RFC 2606 `.invalid`).
    h.get_by_label("На сервере акимата (PostgreSQL)").click();
    h.run();
    common::type_into(&mut h, "Сервер", "akimat.invalid");
    h.get_by_label("Продолжить").click();
    h.run();
    assert!(
        h.query_by_label_contains("Не удалось подключиться к серверу")
            .is_some(),
        "the refusal is said"
    );
    assert_eq!(
        h.get_by_label("Сервер").value().as_deref(),
        Some("akimat.invalid"),
        "what was typed is kept"
    );
    assert!(!settings.exists(), "a failed choice is not remembered");
    // This computer.
    h.get_by_label("На этом компьютере").click();
    h.run();
    h.get_by_label("Продолжить").click();
    h.run();
    h.run();
    assert!(db.exists(), "the file is created");
    assert!(h.query_by_label("Где будут храниться данные?").is_none());
    let kept = common::ok(std::fs::read_to_string(&settings));
    assert!(kept.contains("spravka.db"), "{kept}");
}

/// A server that cannot be reached is said in the language the user chose, with its password
/// hidden, and in a server's words: no file, no backups to offer.
#[test]
fn an_unreachable_server_is_said_in_the_user_s_language_without_its_password() {
    let app = App::in_language(
        std::path::Path::new("postgres://spravka:s3cret@akimat.invalid:5432/spravka"),
        Box::new(FixedClock(common::at("2026-11-23 09:00"))),
        spravka::ui::i18n::Lang::Kk,
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    assert!(
        h.query_by_label_contains("серверіне қосылу мүмкін болмады")
            .is_some()
    );
    assert!(h.query_by_label("Дерекқор сервері").is_some());
    assert!(h.query_by_label_contains("s3cret").is_none());
    assert!(h.query_by_label("Сақтық көшірмелер табылмады.").is_none());
}
