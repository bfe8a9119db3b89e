//! The report for a period as an A4 PDF: the body's name, the period, the tables, and the
//! charts drawn as vectors (bars and a line), each chart next to the table it draws.

use super::{Align, Layout, PAGE_H, PT_PER_MM, PrintError, Weight, long_date_ru};
use crate::domain::report::{Report, share};

/// Kind and channel codes in the words of the order.
pub fn kind_ru(code: &str) -> &str {
    match code {
        "issue" => "выдача",
        "extend" => "продление",
        "reissue" => "переоформление",
        "duplicate" => "дубликат",
        other => other,
    }
}

pub fn channel_ru(code: &str) -> &str {
    match code {
        "egov" => "портал «электронного правительства»",
        "elicense" => "elicense.kz",
        "migration" => "миграционный портал",
        "paper" => "бумажное заявление",
        other => other,
    }
}

/// The A2.9 grounds of refusal, as the report names them.
pub const GROUNDS_RU: [&str; 3] = [
    "п. 9.1: квалификация не соответствует перечню",
    "п. 9.2: ниже порогового значения",
    "п. 9.3: недостоверные документы",
];

const SIZE: f32 = 10.0;

fn percent(s: Option<f64>) -> String {
    s.map_or_else(|| "—".to_string(), |s| format!("{:.1} %", s * 100.0))
}

impl Layout {
    /// A filled rectangle in `level` grey (0 black, 1 white), top-left at (`x`, `y`) mm.
    fn grey_rect(&mut self, x: f32, y: f32, w: f32, h: f32, level: f32) {
        let ops = self.ops();
        super::pdf::push_number(ops, level);
        ops.extend_from_slice(b" g\n");
        self.rect(x, y, w, h);
        self.ops().extend_from_slice(b"0 g\n");
    }

    /// A polyline through `points` (mm from the page's top-left corner), `thickness` pt wide.
    fn polyline(&mut self, points: &[(f32, f32)], thickness: f32) {
        if points.len() < 2 {
            return;
        }
        let ops = self.ops();
        super::pdf::push_number(ops, thickness);
        ops.extend_from_slice(b" w\n");
        for (i, (x, y)) in points.iter().enumerate() {
            super::pdf::push_number(ops, x * PT_PER_MM);
            ops.push(b' ');
            super::pdf::push_number(ops, (PAGE_H - y) * PT_PER_MM);
            ops.extend_from_slice(if i == 0 { b" m\n" } else { b" l\n" });
        }
        ops.extend_from_slice(b"S\n");
    }

    /// A line of a two-column table: the label on the left, the value at the right edge.
    fn figure(&mut self, label: &str, value: &str) {
        let width = self.width();
        let value_w = self.text_width(value, SIZE, Weight::Regular);
        let lines = self.wrap(label, SIZE, Weight::Regular, width - 30.0);
        let height = lines.len() as f32 * SIZE * 0.45;
        self.keep(height);
        let (x, y) = (self.margin_left, self.y);
        for (i, line) in lines.iter().enumerate() {
            self.text_at(
                line,
                x,
                y + 3.5 + i as f32 * SIZE * 0.45,
                SIZE,
                Weight::Regular,
            );
        }
        self.text_at(value, x + width - value_w, y + 3.5, SIZE, Weight::Regular);
        self.y += height;
    }

    fn heading(&mut self, text: &str) {
        self.keep(20.0);
        self.space(3.0);
        self.paragraph(text, 11.5, Weight::Bold, Align::Left);
        self.space(1.0);
    }

    /// Horizontal bars: one per (label, value), the label at the left, the value after the bar.
    fn hbars(&mut self, rows: &[(String, u64)]) {
        let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f32;
        let label_w = 70.0;
        let bar_max = self.width() - label_w - 18.0;
        for (label, value) in rows {
            let lines = self.wrap(label, 8.5, Weight::Regular, label_w - 2.0);
            let height = (lines.len() as f32 * 3.6).max(5.0) + 1.0;
            self.keep(height);
            let (x, y) = (self.margin_left, self.y);
            for (i, line) in lines.iter().enumerate() {
                self.text_at(line, x, y + 3.2 + i as f32 * 3.6, 8.5, Weight::Regular);
            }
            let w = bar_max * (*value as f32 / max);
            self.grey_rect(x + label_w, y + 0.6, w.max(0.3), 3.8, 0.45);
            self.text_at(
                &value.to_string(),
                x + label_w + w + 1.5,
                y + 3.4,
                8.5,
                Weight::Regular,
            );
            self.y += height;
        }
    }

    /// Paired columns per month (received light, decided dark) and the on-time share as a line
    /// against the 100 % mark, with the months under the axis.
    fn month_chart(&mut self, report: &Report) {
        let months = &report.months;
        if months.is_empty() {
            return;
        }
        let height = 55.0;
        self.keep(height + 16.0);
        let left = self.margin_left + 10.0;
        let width = self.width() - 12.0;
        let top = self.y + 4.0;
        let bottom = top + height;
        let max = months
            .iter()
            .map(|m| m.received.max(m.decided))
            .max()
            .unwrap_or(0)
            .max(1) as f32;
        self.text_at(
            &format!("{}", max as u64),
            self.margin_left,
            top + 2.0,
            7.0,
            Weight::Regular,
        );
        self.text_at("0", self.margin_left + 4.0, bottom, 7.0, Weight::Regular);
        self.hline(left, left + width, bottom);
        let slot = width / months.len() as f32;
        let bar = (slot * 0.38).min(8.0);
        let mut line = Vec::new();
        for (i, m) in months.iter().enumerate() {
            let x = left + i as f32 * slot + slot * 0.1;
            let h_received = height * m.received as f32 / max;
            let h_decided = height * m.decided as f32 / max;
            self.grey_rect(x, bottom - h_received, bar, h_received, 0.7);
            self.grey_rect(x + bar, bottom - h_decided, bar, h_decided, 0.3);
            if let Some(s) = share(m.on_time, m.decided) {
                line.push((x + bar, bottom - height * s as f32));
            }
            let label = m.month.get(2..).unwrap_or(&m.month).replace('-', ".");
            let label = label.split('.').rev().collect::<Vec<_>>().join(".");
            self.text_at(&label, x, bottom + 3.5, 6.5, Weight::Regular);
        }
        // The 100 % mark of the on-time line is the top of the chart.
        self.hline(left, left + width, top);
        self.text_at("100 %", left + width - 9.0, top - 1.0, 7.0, Weight::Regular);
        self.polyline(&line, 1.4);
        self.y = bottom + 6.0;
        self.paragraph(
            "Светлые столбцы — поступило, тёмные — принято решений; линия — доля решений в срок (верхняя граница — 100 %).",
            8.0,
            Weight::Regular,
            Align::Left,
        );
    }
}

/// The report's PDF bytes.
#[allow(clippy::too_many_lines)]
pub fn pdf(report: &Report) -> Result<Vec<u8>, PrintError> {
    let mut page = Layout::new("Отчёт об оказании государственной услуги")?;
    page.number_pages("стр. {page} из {pages}");
    let timing = &report.timeliness;
    let outcome = &report.outcomes;
    let certs = &report.certificates;
    page.paragraph(&report.body, 12.0, Weight::Bold, Align::Center);
    page.space(3.0);
    page.paragraph("ОТЧЁТ", 14.0, Weight::Bold, Align::Center);
    page.paragraph(
        "об оказании государственной услуги «Выдача или продление справки иностранцу или лицу без гражданства о соответствии квалификации для самостоятельного трудоустройства»",
        SIZE,
        Weight::Regular,
        Align::Center,
    );
    page.paragraph(
        &format!(
            "за период с {} по {}",
            long_date_ru(report.period.from),
            long_date_ru(report.period.to)
        ),
        SIZE,
        Weight::Regular,
        Align::Center,
    );

    page.heading("1. Поступило заявлений");
    page.figure("Всего", &report.received.total.to_string());
    for (kind, n) in &report.received.by_kind {
        page.figure(&format!("  {}", kind_ru(kind)), &n.to_string());
    }
    for (channel, n) in &report.received.by_channel {
        page.figure(&format!("  через: {}", channel_ru(channel)), &n.to_string());
    }

    page.heading("2. Сроки (пп. 7, 9, 11, 16, 22, 22-1 Правил)");
    page.figure("Принято решений", &timing.decided.to_string());
    page.figure("  в срок", &timing.on_time.to_string());
    page.figure("  с нарушением срока", &timing.late.to_string());
    page.figure("Доля решений в срок", &percent(timing.on_time_share));
    page.figure(
        "Медиана рабочих дней от регистрации до решения",
        &timing
            .median_working_days
            .map_or_else(|| "—".into(), |m| format!("{m:.1}")),
    );
    page.figure(
        "Максимум рабочих дней от регистрации до решения",
        &timing
            .max_working_days
            .map_or_else(|| "—".into(), |m| m.to_string()),
    );
    page.figure(
        "Направлено в комиссию / из них в срок (п. 7 Правил)",
        &format!("{} / {}", timing.forwarded, timing.forwarded_on_time),
    );
    page.figure(
        "Рекомендаций комиссии / из них в срок (п. 9 Правил)",
        &format!(
            "{} / {}",
            timing.commission_decided, timing.commission_on_time
        ),
    );
    page.month_chart(report);

    page.heading("3. Итоги решений (пп. 11, 12 Правил; приложение 2, строка 9)");
    let mut outcomes = vec![("Выдано".to_string(), outcome.issued)];
    outcomes.extend(
        GROUNDS_RU
            .iter()
            .zip(outcome.refused_by_ground)
            .map(|(g, n)| (format!("Отказ, {g}"), n)),
    );
    outcomes.push(("Отозвано заявителем".into(), outcome.withdrawn));
    page.hbars(&outcomes);

    page.heading(&format!(
        "4. Справки на {} и события за период",
        long_date_ru(certs.at.unwrap_or(report.period.to))
    ));
    page.hbars(&[
        ("Действуют".into(), certs.valid),
        ("Срок истёк".into(), certs.expired),
        ("Отозваны (п. 21 Правил)".into(), certs.revoked),
        ("Переоформлены (п. 22 Правил)".into(), certs.superseded),
    ]);
    page.space(2.0);
    for (label, n) in [
        ("Выдано справок", certs.issued),
        ("Продлено (п. 16 Правил)", certs.extended),
        ("Переоформлено (п. 22 Правил)", certs.reissued),
        ("Выдано дубликатов (п. 22-1 Правил)", certs.duplicates),
        (
            "Уведомлений о смене работодателя (п. 18 Правил)",
            certs.notices_employer_change,
        ),
        (
            "Уведомлений о прекращении договора (п. 20 Правил)",
            certs.notices_contract_end,
        ),
        ("Отозвано (п. 21 Правил)", certs.revocations),
    ] {
        page.figure(label, &n.to_string());
    }

    page.heading("5. По отраслям (приложение 2 к Приказу)");
    page.hbars(&report.by_sector);

    page.heading("6. По гражданству");
    let mut citizenships: Vec<(String, u64)> = report
        .by_citizenship
        .iter()
        .map(|(name, n)| {
            let name = if name.is_empty() {
                "лицо без гражданства".to_string()
            } else {
                name.clone()
            };
            (name, *n)
        })
        .collect();
    if report.other_citizenships > 0 {
        citizenships.push(("остальные".into(), report.other_citizenships));
    }
    page.hbars(&citizenships);

    page.heading("7. Комиссия (пп. 9, 10 Правил)");
    page.figure("Заседаний", &report.commission.meetings.to_string());
    page.figure("Оценено заявителей", &report.commission.scored.to_string());
    page.figure(
        "Средний балл",
        &report
            .commission
            .average_score
            .map_or_else(|| "—".into(), |a| format!("{a:.1}")),
    );
    page.figure(
        "Заявлено конфликтов интересов",
        &report.commission.conflicts.to_string(),
    );

    page.heading("8. Жалобы (глава 3 Правил)");
    let k = &report.complaints;
    for (label, n) in [
        ("Поступило", k.received),
        ("Удовлетворено", k.satisfied),
        ("Отказано", k.rejected),
        ("На рассмотрении", k.pending),
        ("Отвечено в срок (пп. 24–26 Правил)", k.answered_in_time),
        ("Отвечено с нарушением срока", k.answered_late),
    ] {
        page.figure(label, &n.to_string());
    }

    page.heading("9. По профессиям: поступило / выдано / отказано");
    for p in &report.by_profession {
        page.figure(
            &format!("{} ({})", p.profession, p.sector),
            &format!("{} / {} / {}", p.received, p.issued, p.refused),
        );
    }

    page.heading("10. Решения с нарушением срока");
    if timing.late_decisions.is_empty() {
        page.paragraph("Нет.", SIZE, Weight::Regular, Align::Left);
    }
    for d in &timing.late_decisions {
        page.figure(
            &format!(
                "{} ({}): срок {}, решение {}",
                d.number,
                kind_ru(&d.kind),
                d.decision_by.format("%d.%m.%Y"),
                d.decided_on.format("%d.%m.%Y")
            ),
            &format!(
                "{} {}",
                d.working_days_late,
                super::ru_plural(
                    i64::from(d.working_days_late),
                    "рабочий день",
                    "рабочих дня",
                    "рабочих дней"
                )
            ),
        );
    }
    if timing.late_list_truncated {
        page.paragraph(
            &format!(
                "Показаны первые {} из {}.",
                timing.late_decisions.len(),
                timing.late
            ),
            SIZE,
            Weight::Regular,
            Align::Left,
        );
    }
    page.finish()
}
