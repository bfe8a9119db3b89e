//! The printed forms in the order's own words (issue 14): every caption of Appendix 1 (the
//! application) and Appendix 3 (the certificate) read back with poppler's `pdftotext`, as an
//! official holding the paper against the order would read it.

mod common;

use common::{at, ok, register, world};
use spravka::service::printing;

/// The text `pdftotext` reads from a PDF, with every run of white space made one space (so a
/// caption wrapped over two lines is still found). Fails if poppler-utils is missing: the test
/// is about what that reader sees.
fn pdftotext(pdf: &[u8]) -> String {
    let dir = ok(tempfile::tempdir());
    let path = dir.path().join("form.pdf");
    ok(std::fs::write(&path, pdf));
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext (poppler-utils) is needed: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The order's text, with white space made single spaces.
fn order() -> String {
    include_str!("../assets/legal/order-236-self-employment-certificate-rules.txt")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn count(text: &str, phrase: &str) -> usize {
    text.matches(phrase).count()
}

#[test]
fn the_certificate_carries_every_caption_of_appendix_3() {
    let mut w = world();
    let (_, number) = common::issued(&mut w, "Қасымқызы");
    let officer = w.officer.clone();
    let pdf = ok(printing::print_certificate(
        &mut w.store,
        &officer,
        at("2026-11-25 11:00"),
        &number,
        false,
        false,
        None,
    ));
    let text = pdftotext(&pdf);
    let order = order();
    // Appendix 3, word for word as the order has them.
    for caption in [
        "(наименование местного исполнительного органа)",
        "Справка о соответствии квалификации для самостоятельного трудоустройства",
        "(фамилия, имя, отчество (при его наличии)",
        "в том, что он (она) соответствует требованиям квалификации и уровню образования для самостоятельного трудоустройства в Республике Казахстан по следующей профессии, востребованной в приоритетных отраслях экономики:",
        "(указывается профессия, востребованная в приоритетных отраслях экономики, отрасль согласно перечню приоритетных отраслей и востребованных в них профессий для самостоятельного трудоустройства иностранцев и лиц без гражданства утверждаемым уполномоченным органом по вопросам миграции населения",
        "Основание для выдачи справки",
        "Срок действия справки: с",
        "(число, месяц, год)",
        "М.П.",
        "(фамилия, имя, отчество (при его наличии) (подпись)",
    ] {
        assert!(
            order.contains(caption),
            "not the order's words: «{caption}»"
        );
        assert!(text.contains(caption), "missing «{caption}» in:\n{text}");
    }
    // Both validity dates stand over their own caption.
    assert_eq!(count(&text, "(число, месяц, год)"), 2, "{text}");
    assert!(text.contains("«25» ноября 2026 г."), "{text}");
    assert!(text.contains("«24» февраля 2027 г."), "{text}");
    // Not the shortened captions of before.
    assert!(!text.contains("отрасль согласно перечню)"), "{text}");
    assert!(!text.contains("(при его наличии))"), "{text}");
}

#[test]
fn the_application_carries_every_caption_of_appendix_1() {
    let mut w = world();
    let officer = w.officer.clone();
    let reg = register(&mut w, "Нұрланұлы", "2026-11-23 10:00");
    let pdf = ok(printing::print_application(
        &mut w.store,
        &officer,
        at("2026-11-23 10:05"),
        reg.id,
    ));
    let text = pdftotext(&pdf);
    let order = order();
    for caption in [
        "(наименование местного исполнительного органа областей, городов республиканского значения, столицы)",
        "(фамилия, имя, отчество (при его наличии)",
        "(№ паспорта (документа удостоверяющего личность), дата и орган выдачи)",
        "адрес, телефон, факс",
        "местонахождение в стране резидентства, телефон",
        "Заявление",
        "о соответствии квалификации для самостоятельного трудоустройства по профессии",
        "(указывается профессия, отрасль экономики (вид экономической деятельности) согласно перечню, утвержденному приказом уполномоченным органом по вопросам миграции населения",
        "Сведения о работодателе (при продлении справки):",
        "(наименование работодателя, бизнес идентификационный номер или индивидуальный идентификационный номер работодателя)",
        "Даю согласие на сбор и обработку моих персональных данных, необходимых для выдачи справки о соответствии квалификации для самостоятельного трудоустройства.",
        "К заявлению прилагается:",
        "Дата подачи заявления:",
        "Подпись заявителя",
    ] {
        assert!(
            order.contains(caption),
            "not the order's words: «{caption}»"
        );
        assert!(text.contains(caption), "missing «{caption}» in:\n{text}");
    }
    // «20 _ года», not «г.».
    assert!(
        text.contains("Дата подачи заявления: «23» ноября 2026 года"),
        "{text}"
    );
    assert!(!text.contains("2026 г."), "{text}");
}
