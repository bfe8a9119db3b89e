//! The protocol of a commission meeting (R§9): each applicant considered separately, with the
//! points of every criterion, the total, the recommendation and its grounds, the conflicts of
//! interest declared, and a signature line for each member present.

use chrono::NaiveDate;

use super::{Align, Layout, PrintError, Weight, long_date_ru};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolMember {
    pub name: String,
    pub organisation: String,
    pub position: String,
    pub role: String,
}

/// One applicant's block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolItem {
    pub applicant: String,
    pub citizenship: String,
    pub application_number: String,
    pub profession: String,
    pub sector: String,
    /// (criterion, points) in the order of R§10.
    pub points: Vec<(String, u32)>,
    pub experience_years: Option<u32>,
    pub total: Option<u32>,
    pub threshold: u32,
    pub scheme: String,
    /// "Выдать справку" or "Отказать в выдаче справки".
    pub recommendation: String,
    pub ground: String,
    pub motivation: String,
    /// Members who declared a conflict of interest for this applicant.
    pub conflicts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolSheet {
    pub body_name: String,
    pub meeting_id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub present: Vec<ProtocolMember>,
    pub absent: Vec<String>,
    pub items: Vec<ProtocolItem>,
}

fn item_text(i: usize, item: &ProtocolItem) -> Vec<(String, Weight)> {
    let mut lines = vec![(
        format!(
            "{}. {} ({}), заявление № {}",
            i + 1,
            item.applicant,
            item.citizenship,
            item.application_number
        ),
        Weight::Bold,
    )];
    lines.push((
        format!("Профессия: {}; отрасль: {}", item.profession, item.sector),
        Weight::Regular,
    ));
    if item.total.is_some() {
        let mut points: Vec<String> = item
            .points
            .iter()
            .map(|(name, p)| format!("{name} — {p}"))
            .collect();
        if let Some(years) = item.experience_years {
            points.push(format!("полных лет стажа по специальности — {years}"));
        }
        lines.push((
            format!(
                "Баллы (пункт 10 Правил, схема {}): {}",
                item.scheme,
                points.join("; ")
            ),
            Weight::Regular,
        ));
        lines.push((
            {
                let total = item.total.unwrap_or(0);
                format!(
                    "Итого: {total} {} при пороговом значении {}",
                    super::ru_plural(i64::from(total), "балл", "балла", "баллов"),
                    item.threshold
                )
            },
            Weight::Bold,
        ));
    } else {
        lines.push(("Оценка не проводилась".to_string(), Weight::Regular));
    }
    if !item.conflicts.is_empty() {
        lines.push((
            format!(
                "Заявлен конфликт интересов: {} — в оценке данного заявителя не участвовал(и)",
                item.conflicts.join(", ")
            ),
            Weight::Regular,
        ));
    }
    lines.push((
        format!("Рекомендация: {}", item.recommendation),
        Weight::Bold,
    ));
    if !item.ground.is_empty() {
        lines.push((format!("Основание: {}", item.ground), Weight::Regular));
    }
    if !item.motivation.is_empty() {
        lines.push((format!("Мотивировка: {}", item.motivation), Weight::Regular));
    }
    lines
}

pub fn protocol_pdf(p: &ProtocolSheet) -> Result<Vec<u8>, PrintError> {
    let mut layout = Layout::new(&format!("Протокол № {}", p.meeting_id))?;
    layout.number_pages("стр. {page} из {pages}");
    let width = layout.width();
    let size = 11.0;
    layout.paragraph(&p.body_name, 12.0, Weight::Bold, Align::Center);
    layout.space(4.0);
    layout.paragraph(
        &format!("ПРОТОКОЛ № {}", p.meeting_id),
        14.0,
        Weight::Bold,
        Align::Center,
    );
    layout.paragraph(
        "заседания комиссии по проведению оценки соответствия иностранца или лица без гражданства требованиям к квалификации и уровню образования",
        size,
        Weight::Regular,
        Align::Center,
    );
    layout.space(4.0);
    layout.paragraph(
        &format!("Дата: {}; место: {}", long_date_ru(p.held_on), p.place),
        size,
        Weight::Regular,
        Align::Left,
    );
    layout.space(3.0);
    layout.paragraph(
        "Присутствовали члены комиссии:",
        size,
        Weight::Bold,
        Align::Left,
    );
    for m in &p.present {
        layout.paragraph(
            // An empty organisation or position leaves no stray comma (issue 14).
            &format!(
                "{} — {} ({})",
                m.name,
                [m.organisation.trim(), m.position.trim()]
                    .into_iter()
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join(", "),
                m.role
            ),
            size,
            Weight::Regular,
            Align::Left,
        );
    }
    if !p.absent.is_empty() {
        layout.paragraph(
            &format!("Отсутствовали: {}", p.absent.join(", ")),
            size,
            Weight::Regular,
            Align::Left,
        );
    }
    layout.space(3.0);
    layout.paragraph(
        "Комиссия рассмотрела документы каждого заявителя отдельно (пункт 9 Правил) и начислила баллы по критериям пункта 10 Правил:",
        size,
        Weight::Regular,
        Align::Left,
    );
    for (i, item) in p.items.iter().enumerate() {
        let lines = item_text(i, item);
        // An applicant's block is never cut across pages.
        let height: f32 = lines
            .iter()
            .map(|(t, w)| layout.paragraph_height(t, size, *w, width))
            .sum::<f32>()
            + 4.0;
        layout.keep(height);
        layout.space(3.0);
        for (text, weight) in lines {
            layout.paragraph(&text, size, weight, Align::Left);
        }
    }
    layout.space(6.0);
    layout.keep(12.0 + p.present.len() as f32 * 9.0);
    layout.paragraph(
        "Подписи членов комиссии, присутствовавших на заседании:",
        size,
        Weight::Bold,
        Align::Left,
    );
    let left = layout.margin_left;
    for m in &p.present {
        layout.space(8.0);
        let y = layout.y;
        layout.text_at(&m.name, left, y, size, Weight::Regular);
        layout.hline(left + 110.0, left + width, y + 0.8);
    }
    layout.finish()
}
