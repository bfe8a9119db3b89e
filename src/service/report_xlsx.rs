//! The report as an Excel workbook: one sheet per table, numbers as numbers, dates as dates,
//! and native Excel charts beside the tables they draw (`rust_xlsxwriter`). Headings are in
//! Russian, the language of the body's reports to the ministry.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Chart, ChartType, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::exchange::xlsx_cell;
use super::{Result, RuleError};
use crate::domain::report::Report;
use crate::print::report::{GROUNDS_RU, channel_ru, kind_ru};

#[allow(clippy::needless_pass_by_value)] // the shape `map_err` wants
fn err(e: XlsxError) -> super::ServiceError {
    RuleError::Invalid(format!("XLSX: {e}")).into()
}

struct Sheet<'a> {
    cells: &'a mut Worksheet,
    bold: Format,
    date: Format,
    percent: Format,
}

impl Sheet<'_> {
    fn header(&mut self, row: u32, titles: &[&str]) -> Result<()> {
        for (col, title) in titles.iter().enumerate() {
            self.cells
                .write_with_format(row, col as u16, *title, &self.bold)
                .map_err(err)?;
        }
        Ok(())
    }

    fn text(&mut self, row: u32, col: u16, text: &str) -> Result<()> {
        // Within Excel's limit on a cell, like the registers' export.
        self.cells
            .write_string(row, col, xlsx_cell(text))
            .map_err(err)?;
        Ok(())
    }

    fn number(&mut self, row: u32, col: u16, n: f64) -> Result<()> {
        self.cells.write_number(row, col, n).map_err(err)?;
        Ok(())
    }

    fn share(&mut self, row: u32, col: u16, share: Option<f64>) -> Result<()> {
        match share {
            Some(s) => {
                self.cells
                    .write_number_with_format(row, col, s, &self.percent)
                    .map_err(err)?;
            }
            None => self.text(row, col, "—")?,
        }
        Ok(())
    }

    fn date(&mut self, row: u32, col: u16, d: NaiveDate) -> Result<()> {
        let excel = ExcelDateTime::from_ymd(
            u16::try_from(d.year()).unwrap_or(1900),
            d.month() as u8,
            d.day() as u8,
        )
        .map_err(err)?;
        self.cells
            .write_datetime_with_format(row, col, &excel, &self.date)
            .map_err(err)?;
        Ok(())
    }

    /// A two-column table of names and counts from `row`; returns the row after it.
    fn pairs(&mut self, row: u32, titles: [&str; 2], pairs: &[(String, u64)]) -> Result<u32> {
        self.header(row, &titles)?;
        for (i, (name, n)) in pairs.iter().enumerate() {
            let r = row + 1 + i as u32;
            self.text(r, 0, name)?;
            self.number(r, 1, *n as f64)?;
        }
        Ok(row + 1 + pairs.len() as u32)
    }
}

fn sheet<'a>(book: &'a mut Workbook, name: &str) -> Result<Sheet<'a>> {
    let sheet = book.add_worksheet();
    sheet.set_name(name).map_err(err)?;
    Ok(Sheet {
        cells: sheet,
        bold: Format::new().set_bold(),
        date: Format::new().set_num_format("dd.mm.yyyy"),
        percent: Format::new().set_num_format("0.0%"),
    })
}

/// A bar chart of `rows` rows of column B against column A of `sheet_name`, from `first`.
fn bars(sheet_name: &str, title: &str, first: u32, rows: u32, kind: ChartType) -> Chart {
    let mut chart = Chart::new(kind);
    chart.title().set_name(title);
    chart
        .add_series()
        .set_name(title)
        .set_categories((sheet_name, first, 0, first + rows.max(1) - 1, 0))
        .set_values((sheet_name, first, 1, first + rows.max(1) - 1, 1));
    chart.legend().set_hidden();
    chart
}

/// The workbook's bytes.
#[allow(clippy::too_many_lines)]
pub fn workbook(report: &Report) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let timing = &report.timeliness;
    let outcome = &report.outcomes;
    let certs = &report.certificates;

    {
        let mut sh = sheet(&mut book, "Сводка")?;
        sh.text(0, 0, &report.body)?;
        sh.text(1, 0, "Период с")?;
        sh.date(1, 1, report.period.from)?;
        sh.text(2, 0, "по")?;
        sh.date(2, 1, report.period.to)?;
        let lines: Vec<(&str, Option<f64>)> = vec![
            ("Поступило заявлений", Some(report.received.total as f64)),
            ("Принято решений", Some(timing.decided as f64)),
            (
                "  в срок (пп. 11, 16, 22, 22-1 Правил)",
                Some(timing.on_time as f64),
            ),
            ("  с нарушением срока", Some(timing.late as f64)),
            (
                "Медиана рабочих дней от регистрации до решения",
                timing.median_working_days,
            ),
            (
                "Максимум рабочих дней от регистрации до решения",
                timing.max_working_days.map(f64::from),
            ),
            ("Направлено в комиссию", Some(timing.forwarded as f64)),
            (
                "  в срок (п. 7 Правил)",
                Some(timing.forwarded_on_time as f64),
            ),
            (
                "Рекомендаций комиссии",
                Some(timing.commission_decided as f64),
            ),
            (
                "  в срок (п. 9 Правил)",
                Some(timing.commission_on_time as f64),
            ),
            ("Выдано", Some(outcome.issued as f64)),
            ("Отказано", Some(outcome.refused as f64)),
            ("Отозвано заявителем", Some(outcome.withdrawn as f64)),
            (
                "Заседаний комиссии",
                Some(report.commission.meetings as f64),
            ),
            ("Оценено заявителей", Some(report.commission.scored as f64)),
            ("Средний балл", report.commission.average_score),
            (
                "Заявлено конфликтов интересов",
                Some(report.commission.conflicts as f64),
            ),
            ("Жалоб поступило", Some(report.complaints.received as f64)),
            ("  удовлетворено", Some(report.complaints.satisfied as f64)),
            ("  отказано", Some(report.complaints.rejected as f64)),
            ("  на рассмотрении", Some(report.complaints.pending as f64)),
            (
                "  отвечено в срок",
                Some(report.complaints.answered_in_time as f64),
            ),
            (
                "  отвечено с нарушением срока",
                Some(report.complaints.answered_late as f64),
            ),
        ];
        sh.header(4, &["Показатель", "Значение"])?;
        for (i, (name, value)) in lines.iter().enumerate() {
            let r = 5 + i as u32;
            sh.text(r, 0, name)?;
            match value {
                Some(v) => sh.number(r, 1, *v)?,
                None => sh.text(r, 1, "—")?,
            }
        }
        let r = 5 + lines.len() as u32;
        sh.text(r, 0, "Доля решений в срок")?;
        sh.share(r, 1, timing.on_time_share)?;
        sh.cells.set_column_width(0, 52).map_err(err)?;
        sh.cells.set_column_width(1, 14).map_err(err)?;
    }

    {
        let mut sh = sheet(&mut book, "Поступление")?;
        let kinds: Vec<(String, u64)> = report
            .received
            .by_kind
            .iter()
            .map(|(k, n)| (kind_ru(k).to_string(), *n))
            .collect();
        let next = sh.pairs(0, ["Вид", "Заявлений"], &kinds)?;
        let channels: Vec<(String, u64)> = report
            .received
            .by_channel
            .iter()
            .map(|(k, n)| (channel_ru(k).to_string(), *n))
            .collect();
        sh.pairs(next + 1, ["Канал", "Заявлений"], &channels)?;
        sh.cells.set_column_width(0, 36).map_err(err)?;
    }

    {
        let name = "По месяцам";
        let mut sh = sheet(&mut book, name)?;
        sh.header(
            0,
            &["Месяц", "Поступило", "Решений", "В срок", "Доля в срок"],
        )?;
        for (i, m) in report.months.iter().enumerate() {
            let r = 1 + i as u32;
            sh.text(r, 0, &m.month)?;
            sh.number(r, 1, m.received as f64)?;
            sh.number(r, 2, m.decided as f64)?;
            sh.number(r, 3, m.on_time as f64)?;
            sh.share(r, 4, crate::domain::report::share(m.on_time, m.decided))?;
        }
        let last = report.months.len().max(1) as u32;
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Заявления и решения по месяцам");
        chart
            .add_series()
            .set_name("Поступило")
            .set_categories((name, 1, 0, last, 0))
            .set_values((name, 1, 1, last, 1));
        chart
            .add_series()
            .set_name("Решений")
            .set_categories((name, 1, 0, last, 0))
            .set_values((name, 1, 2, last, 2));
        sh.cells.insert_chart(1, 6, &chart).map_err(err)?;
        let mut line = Chart::new(ChartType::Line);
        line.title().set_name("Доля решений в срок");
        line.add_series()
            .set_name("Доля в срок")
            .set_categories((name, 1, 0, last, 0))
            .set_values((name, 1, 4, last, 4));
        line.y_axis().set_min(0).set_max(1).set_num_format("0%");
        line.legend().set_hidden();
        sh.cells.insert_chart(17, 6, &line).map_err(err)?;
    }

    {
        let name = "Итоги";
        let mut sh = sheet(&mut book, name)?;
        let mut rows = vec![("Выдано".to_string(), outcome.issued)];
        rows.extend(
            GROUNDS_RU
                .iter()
                .zip(outcome.refused_by_ground)
                .map(|(g, n)| (format!("Отказ, {g}"), n)),
        );
        rows.push(("Отозвано заявителем".into(), outcome.withdrawn));
        sh.pairs(0, ["Итог", "Заявлений"], &rows)?;
        sh.cells.set_column_width(0, 56).map_err(err)?;
        let chart = bars(name, "Итоги решений", 1, rows.len() as u32, ChartType::Bar);
        sh.cells.insert_chart(1, 3, &chart).map_err(err)?;
    }

    {
        let name = "Справки";
        let mut sh = sheet(&mut book, name)?;
        let rows = vec![
            ("Действуют".to_string(), certs.valid),
            ("Срок истёк".to_string(), certs.expired),
            ("Отозваны (п. 21 Правил)".to_string(), certs.revoked),
            ("Переоформлены (п. 22 Правил)".to_string(), certs.superseded),
        ];
        sh.text(0, 0, "Справки по состоянию на")?;
        sh.date(0, 1, certs.at.unwrap_or(report.period.to))?;
        let next = sh.pairs(1, ["Состояние", "Справок"], &rows)?;
        let events = vec![
            ("Выдано".to_string(), certs.issued),
            ("Продлено (п. 16 Правил)".to_string(), certs.extended),
            ("Переоформлено (п. 22 Правил)".to_string(), certs.reissued),
            ("Дубликатов (п. 22-1 Правил)".to_string(), certs.duplicates),
            (
                "Уведомлений о смене работодателя (п. 18 Правил)".to_string(),
                certs.notices_employer_change,
            ),
            (
                "Уведомлений о прекращении договора (п. 20 Правил)".to_string(),
                certs.notices_contract_end,
            ),
            ("Отзывов (п. 21 Правил)".to_string(), certs.revocations),
        ];
        sh.text(next + 1, 0, "События за период")?;
        sh.pairs(next + 2, ["Событие", "Количество"], &events)?;
        sh.cells.set_column_width(0, 50).map_err(err)?;
        let chart = bars(name, "Справки по состоянию на дату", 2, 4, ChartType::Bar);
        sh.cells.insert_chart(1, 3, &chart).map_err(err)?;
    }

    {
        let name = "Отрасли";
        let mut sh = sheet(&mut book, name)?;
        sh.pairs(0, ["Отрасль", "Заявлений"], &report.by_sector)?;
        sh.cells.set_column_width(0, 60).map_err(err)?;
        let chart = bars(
            name,
            "Заявления по отраслям",
            1,
            report.by_sector.len() as u32,
            ChartType::Bar,
        );
        sh.cells.insert_chart(1, 3, &chart).map_err(err)?;
    }

    {
        let mut sh = sheet(&mut book, "Профессии")?;
        sh.header(
            0,
            &[
                "Отрасль",
                "Вид деятельности",
                "Профессия",
                "Поступило",
                "Выдано",
                "Отказано",
            ],
        )?;
        for (i, p) in report.by_profession.iter().enumerate() {
            let r = 1 + i as u32;
            sh.text(r, 0, &p.sector)?;
            sh.text(r, 1, &p.activity)?;
            sh.text(r, 2, &p.profession)?;
            sh.number(r, 3, p.received as f64)?;
            sh.number(r, 4, p.issued as f64)?;
            sh.number(r, 5, p.refused as f64)?;
        }
        sh.cells.set_column_width(0, 30).map_err(err)?;
        sh.cells.set_column_width(1, 30).map_err(err)?;
        sh.cells.set_column_width(2, 40).map_err(err)?;
    }

    {
        let name = "Гражданство";
        let mut sh = sheet(&mut book, name)?;
        let mut rows: Vec<(String, u64)> = report
            .by_citizenship
            .iter()
            .map(|(c, n)| {
                let c = if c.is_empty() {
                    "лицо без гражданства".to_string()
                } else {
                    c.clone()
                };
                (c, *n)
            })
            .collect();
        if report.other_citizenships > 0 {
            rows.push(("остальные".into(), report.other_citizenships));
        }
        sh.pairs(0, ["Гражданство", "Заявлений"], &rows)?;
        sh.cells.set_column_width(0, 30).map_err(err)?;
        let chart = bars(
            name,
            "Заявления по гражданству",
            1,
            rows.len() as u32,
            ChartType::Bar,
        );
        sh.cells.insert_chart(1, 3, &chart).map_err(err)?;
    }

    {
        let mut sh = sheet(&mut book, "Просрочки")?;
        sh.header(
            0,
            &[
                "Номер заявления",
                "Вид",
                "Срок решения",
                "Дата решения",
                "Рабочих дней просрочки",
            ],
        )?;
        for (i, l) in timing.late_decisions.iter().enumerate() {
            let r = 1 + i as u32;
            sh.text(r, 0, &l.number)?;
            sh.text(r, 1, kind_ru(&l.kind))?;
            sh.date(r, 2, l.decision_by)?;
            sh.date(r, 3, l.decided_on)?;
            sh.number(r, 4, f64::from(l.working_days_late))?;
        }
        if timing.late_list_truncated {
            let r = 1 + timing.late_decisions.len() as u32;
            sh.text(
                r,
                0,
                &format!(
                    "показаны первые {} из {}",
                    timing.late_decisions.len(),
                    timing.late
                ),
            )?;
        }
        for col in 0..5 {
            sh.cells.set_column_width(col, 18).map_err(err)?;
        }
    }

    book.save_to_buffer().map_err(err)
}
