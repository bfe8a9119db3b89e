//! The commission's screens driven through AccessKit: a meeting from three forwarded
//! applications, attendance, scores of 7 and 5, a conflicted member, and the shared screen.

mod common;

use common::{at, ok, register, world};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use spravka::domain::RefusalGround;
use spravka::domain::status::ApplicationStatus;
use spravka::service::FixedClock;
use spravka::service::applications;
use spravka::service::commission::{self, Member, MemberGroup, MemberRole, Recommendation};
use spravka::ui::App;

fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn click(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label(label).click();
    h.run();
}

fn status(w: &common::World, id: i64) -> ApplicationStatus {
    let path = w.dir.path().join("spravka.db");
    let conn = ok(rusqlite::Connection::open(path));
    let code: String = ok(conn.query_row(
        "SELECT status FROM applications WHERE id = ?1",
        [id],
        |r| r.get(0),
    ));
    ApplicationStatus::from_code(&code).unwrap_or(ApplicationStatus::Registered)
}

#[test]
fn a_meeting_scores_recommends_and_shows_the_shared_screen() {
    let mut w = world();
    let officer = w.officer.clone();
    let secretary = w.secretary.clone();
    let mut ids = Vec::new();
    for surname in ["Әлиева", "Smith", "Өтегенов"] {
        let reg = register(&mut w, surname, "2026-11-23 09:00");
        ok(applications::forward_to_commission(
            &mut w.store,
            &officer,
            at("2026-11-23 09:30"),
            reg.id,
        ));
        ids.push(reg);
    }
    for (name, group, role) in [
        (
            "Жумабаев Ерлан",
            MemberGroup::LocalExecutive,
            MemberRole::Chair,
        ),
        ("Омарова Сауле", MemberGroup::Education, MemberRole::Member),
    ] {
        let member = Member {
            id: 0,
            full_name: name.into(),
            organisation: "Управление".into(),
            position: "специалист".into(),
            group,
            role,
            active: true,
            start_date: common::date("2026-01-01"),
            end_date: None,
        };
        ok(commission::save_member(
            &mut w.store,
            &secretary,
            at("2026-11-23 09:40"),
            &member,
        ));
    }
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-24 10:00"))));
    app.wait_for_check();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1400.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    type_into(&mut h, "Имя пользователя", "secretary");
    type_into(&mut h, "Пароль", "password-123");
    click(&mut h, "Войти");
    click(&mut h, "Комиссия");

    // A meeting from the three forwarded applications.
    for reg in &ids {
        h.get_by_label_contains(&reg.number).click();
        h.run();
    }
    type_into(&mut h, "Место заседания", "г. Алматы, каб. 305");
    click(&mut h, "Создать заседание");
    assert!(h.query_by_label("Заседание № 1 создано").is_some());
    click(&mut h, "Жумабаев Ерлан — Управление (председатель)");
    click(&mut h, "Омарова Сауле — Управление (член комиссии)");

    // First: higher education and 7 years of work: 3 + 4 = 7, recommend issue.
    click(&mut h, "Высшее образование по специальности (+3)");
    click(&mut h, "Добавить период работы");
    type_into(&mut h, "с", "01.01.2019");
    type_into(&mut h, "по", "31.12.2025");
    assert!(h.query_by_label("Итого: 7 из порога 6").is_some());
    click(&mut h, "Сохранить оценку и рекомендацию");
    let message = h.state().commission.message.clone();
    assert!(
        h.query_by_label("Оценка и рекомендация сохранены: 7 баллов")
            .is_some(),
        "{message:?}"
    );

    // Second: 3 + 2 = 5, below the threshold: ground 2 is proposed (A2.9.2).
    h.get_by_label_contains("2. Smith").click();
    h.run();
    click(&mut h, "Высшее образование по специальности (+3)");
    click(&mut h, "Добавить период работы");
    type_into(&mut h, "с", "01.01.2024");
    type_into(&mut h, "по", "31.12.2025");
    assert!(h.query_by_label("Итого: 5 из порога 6").is_some());
    assert_eq!(
        h.state().commission.form.ground,
        Some(RefusalGround::BelowThreshold)
    );
    assert!(!h.state().commission.form.issue);
    // Without a motivation the refusal is not saved.
    click(&mut h, "Сохранить оценку и рекомендацию");
    assert_eq!(status(&w, ids[1].id), ApplicationStatus::WithCommission);
    type_into(
        &mut h,
        "Мотивировка (обязательна при отказе)",
        "Набрано 5 баллов при пороге 6",
    );
    click(&mut h, "Сохранить оценку и рекомендацию");

    // Third: a member declares a conflict of interest, then the score.
    h.get_by_label_contains("3. Өтегенов").click();
    h.run();
    click(&mut h, "Конфликт интересов: Омарова Сауле");
    click(&mut h, "Высшее образование по специальности (+3)");
    click(&mut h, "Сертификат для преподавания английского языка (+3)");
    click(&mut h, "Сохранить оценку и рекомендацию");

    for reg in &ids {
        assert_eq!(
            status(&w, reg.id),
            ApplicationStatus::Recommended,
            "{}",
            reg.number
        );
    }
    let store = ok(spravka::store::Store::open(&path));
    assert_eq!(
        ok(commission::recommendation(&store, ids[0].id)),
        Some(Recommendation::Issue)
    );
    match ok(commission::recommendation(&store, ids[1].id)) {
        Some(Recommendation::Refuse { ground, .. }) => {
            assert_eq!(ground, RefusalGround::BelowThreshold);
        }
        other => panic!("{other:?}"),
    }
    let conflicts: i64 = ok(store
        .conn()
        .query_row("SELECT count(*) FROM conflicts", [], |r| r.get(0)));
    assert_eq!(conflicts, 1);

    // The shared screen: names and professions, never IIN, document numbers, addresses, phones.
    click(&mut h, "Общий экран");
    assert!(h.query_by_label("Заявитель 3 из 3").is_some());
    assert!(h.query_by_label_contains("Өтегенов Айгүл").is_some());
    for index in 0..3 {
        for secret in [
            "871008401427",
            "1234567",
            "+7 701 000 00 00",
            "ул. Абая",
            "паспорт",
        ] {
            assert_eq!(
                h.query_all_by_label_contains(secret).count(),
                0,
                "«{secret}» on the shared screen (applicant {index})"
            );
        }
        h.key_press(egui::Key::ArrowLeft);
        h.run();
    }
    assert!(h.query_by_label("Заявитель 1 из 3").is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().commission.shared);

    // The projector's window: the shared screen beside the scoring panel, following the
    // applicant chosen in the agenda (issue 15, item 8). In the test it is a window inside.
    click(&mut h, "Окно для проектора");
    assert!(h.state().commission.projector);
    assert!(h.query_by_label("Заявитель 1 из 3").is_some());
    assert!(h.query_by_label_contains("Сохранить оценку").is_some());
    // The embedded window lies over the agenda here; a real projector window does not.
    h.get_by_label_contains("3. Өтегенов").click_accesskit();
    h.run();
    assert!(h.query_by_label("Заявитель 3 из 3").is_some());
    assert_eq!(h.query_all_by_label_contains("871008401427").count(), 0);
    // No navigation buttons on the projector: the secretary leads from the agenda.
    assert_eq!(h.query_all_by_label("Далее").count(), 0);
    h.get_by_label("Окно для проектора").click_accesskit();
    h.run();
    assert!(!h.state().commission.projector);
    assert!(h.query_by_label("Заявитель 3 из 3").is_none());

    // A member leaves the commission: inactive, with an end date, still in past protocols.
    click(&mut h, "Члены комиссии");
    click(&mut h, "Вывести из состава: Омарова Сауле");
    let store = ok(spravka::store::Store::open(&path));
    let (active, end): (bool, Option<String>) = ok(store.conn().query_row(
        "SELECT active, end_date FROM commission_members WHERE full_name = 'Омарова Сауле'",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ));
    assert!(!active);
    assert!(end.is_some());
}

#[test]
fn a_commission_member_lands_on_the_shared_screen() {
    // Issue 15, item 8: the member role has the shared screen only, so sign-in opens it.
    let w = world();
    let path = w.dir.path().join("spravka.db");
    let mut app = App::new(&path, Box::new(FixedClock(at("2026-11-24 10:00"))));
    app.wait_for_check();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run();
    type_into(&mut h, "Имя пользователя", "member");
    type_into(&mut h, "Пароль", "password-123");
    click(&mut h, "Войти");
    assert_eq!(h.state().tab, spravka::ui::Tab::Commission);
    assert!(h.query_by_label("В повестке нет заявителей").is_some());
    assert!(h.query_by_label("Реестр").is_none());
}
