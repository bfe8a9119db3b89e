//! The application on the form of Appendix 1 (for the applicant to sign) and the motivated
//! refusal (R§12, A2.5, A2.9).

use chrono::NaiveDate;

use super::{Align, Layout, PrintError, Weight, long_date_ru, long_date_ru_year};

/// The captions of Appendix 1, word for word (the order leaves some brackets unclosed; the
/// print closes the profession's, which ends the form's sentence there).
pub const A1_BODY: &str = "(наименование местного исполнительного органа областей, городов республиканского значения, столицы)";
pub const A1_APPLICANT: &str = "(фамилия, имя, отчество (при его наличии)";
pub const A1_DOCUMENT: &str =
    "(№ паспорта (документа удостоверяющего личность), дата и орган выдачи)";
pub const A1_ADDRESS: &str = "адрес, телефон, факс";
pub const A1_RESIDENCE: &str = "местонахождение в стране резидентства, телефон";
pub const A1_PROFESSION: &str = "(указывается профессия, отрасль экономики (вид экономической деятельности) согласно перечню, утвержденному приказом уполномоченным органом по вопросам миграции населения)";
pub const A1_EMPLOYER_LEAD: &str = "Сведения о работодателе (при продлении справки):";
pub const A1_EMPLOYER: &str = "(наименование работодателя, бизнес идентификационный номер или индивидуальный идентификационный номер работодателя)";

/// The fields of Appendix 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationSheet {
    pub body_name: String,
    pub applicant: String,
    pub identity_document: String,
    pub address_phone: String,
    pub residence_abroad: String,
    /// "выдать справку", "продлить справку", "переоформить справку", "выдать дубликат справки".
    pub request: String,
    pub profession: String,
    pub employer: String,
    pub documents: Vec<String>,
    pub filed_on: NaiveDate,
    pub number: String,
}

pub fn application_pdf(a: &ApplicationSheet) -> Result<Vec<u8>, PrintError> {
    let mut layout = Layout::new(&format!("Заявление {}", a.number))?;
    let left = layout.margin_left;
    let width = layout.width();
    let column = left + width * 0.45;
    let column_width = width * 0.55;
    for (text, caption) in [
        (a.body_name.as_str(), A1_BODY),
        (&format!("от {}", a.applicant), A1_APPLICANT),
        (a.identity_document.as_str(), A1_DOCUMENT),
        (a.address_phone.as_str(), A1_ADDRESS),
        (a.residence_abroad.as_str(), A1_RESIDENCE),
    ] {
        layout.paragraph_in(
            text,
            11.0,
            Weight::Regular,
            Align::Left,
            column,
            column_width,
        );
        let y = layout.y + 0.8;
        layout.hline(column, column + column_width, y);
        layout.space(1.0);
        layout.paragraph_in(
            caption,
            8.0,
            Weight::Regular,
            Align::Center,
            column,
            column_width,
        );
        layout.space(2.0);
    }
    layout.space(8.0);
    layout.paragraph("Заявление", 14.0, Weight::Bold, Align::Center);
    layout.space(4.0);
    layout.paragraph(
        &format!(
            "Прошу {} о соответствии квалификации для самостоятельного трудоустройства по профессии",
            a.request
        ),
        12.0,
        Weight::Regular,
        Align::Left,
    );
    // The profession and the employer, each on its line over the order's caption.
    let captioned = |layout: &mut Layout, text: &str, caption: &str| {
        let (left, width) = (layout.margin_left, layout.width());
        layout.paragraph(text, 12.0, Weight::Regular, Align::Left);
        let y = layout.y + 0.8;
        layout.hline(left, left + width, y);
        layout.space(1.0);
        layout.paragraph_in(caption, 8.0, Weight::Regular, Align::Center, left, width);
    };
    captioned(&mut layout, &a.profession, A1_PROFESSION);
    layout.space(3.0);
    layout.paragraph(A1_EMPLOYER_LEAD, 12.0, Weight::Regular, Align::Left);
    captioned(
        &mut layout,
        if a.employer.is_empty() {
            "—"
        } else {
            &a.employer
        },
        A1_EMPLOYER,
    );
    layout.space(3.0);
    layout.paragraph(
        "Даю согласие на сбор и обработку моих персональных данных, необходимых для выдачи справки о соответствии квалификации для самостоятельного трудоустройства.",
        12.0,
        Weight::Regular,
        Align::Left,
    );
    layout.space(3.0);
    layout.paragraph(
        "К заявлению прилагается:",
        12.0,
        Weight::Regular,
        Align::Left,
    );
    for (i, doc) in a.documents.iter().enumerate() {
        layout.paragraph(
            &format!("{}) {doc}", i + 1),
            12.0,
            Weight::Regular,
            Align::Left,
        );
    }
    layout.space(6.0);
    layout.paragraph(
        &format!("Дата подачи заявления: {}", long_date_ru_year(a.filed_on)),
        12.0,
        Weight::Regular,
        Align::Left,
    );
    layout.space(8.0);
    let y = layout.y + 6.0;
    layout.text_at("Подпись заявителя", left, y, 12.0, Weight::Regular);
    layout.hline(left + 45.0, left + 110.0, y + 1.0);
    layout.space(14.0);
    layout.paragraph(
        &format!("Регистрационный номер заявления: {}", a.number),
        9.0,
        Weight::Regular,
        Align::Left,
    );
    layout.finish()
}

/// The motivated refusal (R§12, A2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusalSheet {
    pub body_name: String,
    pub applicant: String,
    pub application_number: String,
    pub filed_on: NaiveDate,
    pub decided_on: NaiveDate,
    pub profession: String,
    /// "пункт 9 Перечня …, подпункт 2".
    pub ground_reference: String,
    /// The ground in the order's own words.
    pub ground_wording: String,
    pub motivation: String,
    pub signatory_name: String,
    pub signatory_position: String,
}

pub fn refusal_pdf(r: &RefusalSheet) -> Result<Vec<u8>, PrintError> {
    let mut layout = Layout::new(&format!("Мотивированный отказ {}", r.application_number))?;
    let left = layout.margin_left;
    let width = layout.width();
    layout.paragraph(&r.body_name, 13.0, Weight::Bold, Align::Center);
    layout.space(10.0);
    layout.paragraph_in(
        &format!("Кому: {}", r.applicant),
        12.0,
        Weight::Regular,
        Align::Left,
        left + width * 0.5,
        width * 0.5,
    );
    layout.space(8.0);
    layout.paragraph(
        "Мотивированный ответ об отказе в оказании государственной услуги",
        14.0,
        Weight::Bold,
        Align::Center,
    );
    layout.space(6.0);
    layout.paragraph(
        &format!(
            "Рассмотрев Ваше заявление № {} от {} о выдаче справки о соответствии квалификации для самостоятельного трудоустройства по профессии «{}», местный исполнительный орган {} принял решение об отказе в оказании государственной услуги.",
            r.application_number,
            long_date_ru(r.filed_on),
            r.profession,
            long_date_ru(r.decided_on)
        ),
        12.0,
        Weight::Regular,
        Align::Left,
    );
    layout.space(4.0);
    layout.paragraph(
        &format!("Основание отказа ({}):", r.ground_reference),
        12.0,
        Weight::Bold,
        Align::Left,
    );
    layout.paragraph(&r.ground_wording, 12.0, Weight::Regular, Align::Left);
    layout.space(4.0);
    layout.paragraph("Мотивировка:", 12.0, Weight::Bold, Align::Left);
    layout.paragraph(&r.motivation, 12.0, Weight::Regular, Align::Left);
    layout.space(4.0);
    layout.paragraph(
        "Решение может быть обжаловано в порядке, установленном главой 3 Правил (пункты 24–28): жалоба рассматривается местным исполнительным органом в течение 5 рабочих дней, органом по оценке и контролю за качеством оказания государственных услуг — в течение 15 рабочих дней со дня ее регистрации.",
        11.0,
        Weight::Regular,
        Align::Left,
    );
    layout.space(16.0);
    layout.paragraph(&r.signatory_position, 12.0, Weight::Regular, Align::Left);
    let y = layout.y + 7.0;
    layout.text_at(&r.signatory_name, left, y, 12.0, Weight::Regular);
    layout.hline(left + 110.0, left + width, y + 1.0);
    layout.finish()
}
