//! The administrator's tab publishes the verification page (issue 19): the page's address is a
//! requisite, «Опубликовать страницу проверки» writes the folder, and the tab says when the list
//! was signed and last published.

mod common;

use common::{at, ok, type_into, world};
use egui_kittest::kittest::Queryable;
use spravka::service::{printing, verifier};

const ADDRESS: &str = "Адрес страницы проверки на сайте органа (например akimat.kz/spravka; пусто — QR-код без ссылки)";
const FOLDER: &str = "Папка для файлов страницы (пусто — папка PDF/verifier)";

#[test]
fn the_administrator_sets_the_address_publishes_and_sees_when() {
    let mut w = world();
    // A certificate printed before the address is set keeps its bare code.
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let sheet = ok(printing::certificate_sheet(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        &number,
        false,
    ));
    assert!(sheet.qr.starts_with("S2|"), "{}", sheet.qr);
    assert_eq!(sheet.verify_page, None);

    let site = ok(tempfile::tempdir());
    let folder = site.path().join("page");
    // A window tall enough for the whole administrator's page (its buttons are clicked where
    // they are drawn).
    let mut app = spravka::ui::App::new(
        &w.dir.path().join("spravka.db"),
        Box::new(spravka::service::FixedClock(at("2026-11-27 10:00"))),
    );
    app.set_file_picker(Box::new(|| None));
    app.wait_for_check();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1500.0, 3000.0))
        .build_ui_state(|ui, app: &mut spravka::ui::App| app.ui(ui), app);
    h.run();
    type_into(&mut h, "Имя пользователя", "admin");
    type_into(&mut h, "Пароль", "admin-password");
    h.get_by_label("Войти").click();
    h.run();
    // The list was signed at the signatory's sign-in of the world; never published yet.
    let status = h
        .state()
        .admin
        .as_ref()
        .and_then(|s| s.verifier.clone())
        .unwrap_or_else(|| panic!("the page's state on the admin tab"));
    assert!(status.list.is_some());
    assert_eq!(status.last_published, None);
    assert!(
        h.query_by_label("Страница проверки ещё не публиковалась")
            .is_some()
    );

    // An http address is refused with the reason, in Russian.
    type_into(&mut h, ADDRESS, "http://akimat.almaty.gov.kz/spravka");
    h.get_by_label("Сохранить реквизиты").click();
    h.run();
    let said = h
        .state()
        .status
        .clone()
        .unwrap_or_else(|| panic!("a message"));
    assert!(said.error, "{}", said.text);
    assert!(
        said.text.contains("защищённому соединению"),
        "{}",
        said.text
    );
    let typed = h
        .state()
        .admin
        .as_ref()
        .map(|s| s.verify_address.clone())
        .unwrap_or_default();
    assert_eq!(typed, "http://akimat.almaty.gov.kz/spravka");

    // https is kept, without the scheme.
    h.get_by_label(ADDRESS).click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label(ADDRESS)
        .type_text("https://akimat.almaty.gov.kz/spravka/");
    h.run();
    h.get_by_label("Сохранить реквизиты").click();
    h.run();
    let said = h
        .state()
        .status
        .clone()
        .unwrap_or_else(|| panic!("a message"));
    assert!(!said.error, "{}", said.text);
    let body = ok(spravka::service::lists::body(&w.store)).unwrap_or_else(|| panic!("body"));
    assert_eq!(
        body.verify_address.as_deref(),
        Some("akimat.almaty.gov.kz/spravka")
    );

    // Publish into a folder typed on the tab.
    type_into(&mut h, FOLDER, &folder.display().to_string());
    h.get_by_label("Опубликовать страницу проверки").click();
    h.run();
    let said = h
        .state()
        .status
        .clone()
        .unwrap_or_else(|| panic!("a message"));
    assert!(!said.error, "{}", said.text);
    assert!(
        said.text.contains("https://akimat.almaty.gov.kz/spravka/"),
        "{}",
        said.text
    );
    for file in [
        "index.html",
        "verify.js",
        "noble-ed25519.js",
        "noble-ed25519.LICENSE",
        "data.js",
        "list.json",
        "list.sig",
        "sw.js",
    ] {
        assert!(folder.join(file).is_file(), "{file}");
    }
    // The tab says when and where it was published.
    let published = h
        .state()
        .admin
        .as_ref()
        .and_then(|s| s.verifier.clone())
        .and_then(|v| v.last_published)
        .unwrap_or_else(|| panic!("the publication is shown"));
    assert_eq!(published.published_at, at("2026-11-27 10:00"));
    assert_eq!(published.folder, folder.display().to_string());
    assert!(
        h.query_by_label_contains("Последняя публикация: 27.11.2026 10:00")
            .is_some()
    );
    // The same as the service reads it.
    let status = ok(verifier::status(&w.store, &w.admin, at("2026-11-27 10:00")));
    assert_eq!(
        status.page.as_deref(),
        Some("https://akimat.almaty.gov.kz/spravka/")
    );

    // From now on a print carries the link, the kept signature unchanged inside it.
    let linked = ok(printing::certificate_sheet(
        &mut w.store,
        &officer,
        at("2026-11-27 11:00"),
        &number,
        false,
    ));
    assert_eq!(
        linked.qr,
        spravka::domain::verifier::qr_text(Some("akimat.almaty.gov.kz/spravka"), &sheet.qr)
    );
    assert_eq!(
        linked.verify_page.as_deref(),
        Some("https://akimat.almaty.gov.kz/spravka/")
    );
    // The window's verification reads the link.
    let v = ok(printing::verify(&w.store, &linked.qr));
    assert_eq!(v.authentic, Some(true));
}
