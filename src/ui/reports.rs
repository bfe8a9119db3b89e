//! The report for a period on screen: the period (this month by default; quick picks for the
//! month, the quarter and the year), the key figures, and charts (`egui_plot`), each with the
//! table it draws beside it. Aggregates only: no person is named on this screen.

use chrono::NaiveDate;
use egui::{Color32, RichText, Ui};
use egui_plot::{Bar, BarChart, Corner, Legend, Line, Plot, PlotPoints, Points};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets;
use crate::domain::report::{Period, Report, share};

/// What the screen asks the application to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportsAction {
    Show(Period),
    Export(ExportFormat),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Pdf,
    Json,
}

#[derive(Debug, Clone)]
pub struct ReportsScreen {
    pub from: String,
    pub to: String,
    pub report: Option<Report>,
    /// (ok, text) of the last action: App::collect_messages moves it to the status bar.
    pub message: Option<(bool, String)>,
}

impl ReportsScreen {
    /// The screen with this month's period, to be shown at once.
    pub fn new(today: NaiveDate) -> Self {
        let period = Period::month_of(today);
        Self {
            from: widgets::date(period.from),
            to: widgets::date(period.to),
            report: None,
            message: None,
        }
    }

    fn set(&mut self, period: Period) -> ReportsAction {
        self.from = widgets::date(period.from);
        self.to = widgets::date(period.to);
        ReportsAction::Show(period)
    }

    /// The period typed, or the message that says what is wrong.
    fn period(&self, tr: &Tr) -> Result<Period, String> {
        let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%d.%m.%Y").ok();
        match (parse(&self.from), parse(&self.to)) {
            (Some(from), Some(to)) => {
                Period::new(from, to).ok_or_else(|| tr.t("reports.bad_order").to_string())
            }
            _ => Err(tr.t("reports.bad_dates").to_string()),
        }
    }

    #[allow(clippy::too_many_lines)]
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        today: NaiveDate,
    ) -> Option<ReportsAction> {
        let mut action = None;
        ui.heading(tr.t("reports.title"));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("reports.from"));
            ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(110.0))
                .labelled_by(label.id);
            let label = ui.label(tr.t("reports.to"));
            ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(110.0))
                .labelled_by(label.id);
            if ui.button(tr.t("reports.show")).clicked() {
                match self.period(tr) {
                    Ok(p) => action = Some(ReportsAction::Show(p)),
                    Err(e) => self.message = Some((false, e)),
                }
            }
            ui.separator();
            if ui.button(tr.t("reports.this_month")).clicked() {
                action = Some(self.set(Period::month_of(today)));
            }
            if ui.button(tr.t("reports.this_quarter")).clicked() {
                action = Some(self.set(Period::quarter_of(today)));
            }
            if ui.button(tr.t("reports.this_year")).clicked() {
                action = Some(self.set(Period::year_of(today)));
            }
            ui.separator();
            if self.report.is_some() {
                for (label, format) in [
                    ("reports.xlsx", ExportFormat::Xlsx),
                    ("reports.pdf", ExportFormat::Pdf),
                    ("reports.json", ExportFormat::Json),
                ] {
                    if ui.button(tr.t(label)).clicked() {
                        action = Some(ReportsAction::Export(format));
                    }
                }
            }
        });
        ui.separator();
        let Some(report) = &self.report else {
            return action;
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| report_ui(ui, tr, theme, report));
        action
    }
}

fn count(n: u64) -> String {
    n.to_string()
}

fn percent(s: Option<f64>) -> String {
    s.map_or_else(|| "—".into(), |s| format!("{:.1} %", s * 100.0))
}

/// A two-column table of label and value.
fn figures(ui: &mut Ui, id: &str, rows: &[(String, String)]) {
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        for (label, value) in rows {
            ui.label(label);
            ui.label(RichText::new(value).strong());
            ui.end_row();
        }
    });
}

/// Horizontal bars of (label, count), highest at the top, and their table beside them.
fn bars_with_table(ui: &mut Ui, id: &str, tr: &Tr, rows: &[(String, u64)], colour: Color32) {
    ui.columns(2, |cols| {
        let n = rows.len();
        let bars: Vec<Bar> = rows
            .iter()
            .enumerate()
            .map(|(i, (label, value))| {
                Bar::new((n - i) as f64, *value as f64)
                    .name(label)
                    .fill(colour)
                    .width(0.7)
            })
            .collect();
        Plot::new(id)
            .height((n as f32 * 26.0).clamp(90.0, 320.0))
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .show_x(false)
            .y_axis_formatter(|_, _| String::new())
            .show(&mut cols[0], |plot| {
                plot.bar_chart(BarChart::new(tr.t("reports.count"), bars).horizontal());
            });
        egui::Grid::new(format!("{id}_table"))
            .striped(true)
            .show(&mut cols[1], |ui| {
                for (label, value) in rows {
                    ui.label(label);
                    ui.label(RichText::new(count(*value)).strong());
                    ui.end_row();
                }
            });
    });
}

#[allow(clippy::too_many_lines)]
fn report_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, r: &Report) {
    let timing = &r.timeliness;
    let outcome = &r.outcomes;
    let certs = &r.certificates;
    let section = |ui: &mut Ui, key: &str| {
        ui.add_space(10.0);
        ui.label(RichText::new(tr.t(key)).strong().size(16.0));
    };
    ui.label(tr.f(
        "reports.period",
        &[&widgets::date(r.period.from), &widgets::date(r.period.to)],
    ));

    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        section(ui, "reports.received");
        let mut rows = vec![(tr.t("reports.total").to_string(), count(r.received.total))];
        for (kind, n) in &r.received.by_kind {
            rows.push((format!("  {}", kind_name(tr, kind)), count(*n)));
        }
        for (channel, n) in &r.received.by_channel {
            rows.push((format!("  {}", channel_name(tr, channel)), count(*n)));
        }
        figures(ui, "reports_received", &rows);
        let ui = &mut cols[1];
        section(ui, "reports.timeliness");
        timeliness_figures(ui, tr, timing);
    });

    section(ui, "reports.by_month");
    ui.columns(2, |cols| {
        let received: Vec<Bar> = r
            .months
            .iter()
            .enumerate()
            .map(|(i, m)| Bar::new(i as f64 - 0.18, m.received as f64).width(0.35))
            .collect();
        let decided: Vec<Bar> = r
            .months
            .iter()
            .enumerate()
            .map(|(i, m)| Bar::new(i as f64 + 0.18, m.decided as f64).width(0.35))
            .collect();
        let labels: Vec<String> = r.months.iter().map(|m| month_label(&m.month)).collect();
        let axis = labels.clone();
        Plot::new("reports_months")
            .height(220.0)
            .legend(Legend::default())
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .include_y(0.0)
            .x_axis_formatter(move |mark, _| {
                let i = mark.value.round();
                if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                    axis.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .show(&mut cols[0], |plot| {
                plot.bar_chart(
                    BarChart::new(tr.t("reports.col_received"), received)
                        .color(Color32::from_rgb(120, 160, 210)),
                );
                plot.bar_chart(
                    BarChart::new(tr.t("reports.col_decided"), decided)
                        .color(Color32::from_rgb(40, 90, 160)),
                );
            });
        let share_points: Vec<[f64; 2]> = r
            .months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| share(m.on_time, m.decided).map(|s| [i as f64, s * 100.0]))
            .collect();
        let last = r.months.len().saturating_sub(1) as f64;
        let axis = labels.clone();
        Plot::new("reports_on_time")
            .height(160.0)
            .legend(Legend::default().position(Corner::LeftBottom))
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .include_y(0.0)
            .include_y(105.0)
            .x_axis_formatter(move |mark, _| {
                let i = mark.value.round();
                if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                    axis.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .show(&mut cols[0], |plot| {
                plot.line(
                    Line::new(
                        "100 %",
                        PlotPoints::from(vec![[-0.5, 100.0], [last + 0.5, 100.0]]),
                    )
                    .color(theme.muted_colour()),
                );
                // Points as well as the line: a period of one month has one point.
                plot.points(
                    Points::new(
                        tr.t("reports.on_time_share"),
                        PlotPoints::from(share_points.clone()),
                    )
                    .color(theme.ok_colour())
                    .radius(3.5),
                );
                plot.line(
                    Line::new(
                        tr.t("reports.on_time_share"),
                        PlotPoints::from(share_points),
                    )
                    .color(theme.ok_colour())
                    .width(2.0),
                );
            });
        egui::Grid::new("reports_months_table")
            .striped(true)
            .show(&mut cols[1], |ui| {
                for key in [
                    "reports.col_month",
                    "reports.col_received",
                    "reports.col_decided",
                    "reports.col_on_time",
                ] {
                    ui.label(RichText::new(tr.t(key)).strong());
                }
                ui.end_row();
                for (m, label) in r.months.iter().zip(&labels) {
                    ui.label(label);
                    ui.label(count(m.received));
                    ui.label(count(m.decided));
                    ui.label(percent(share(m.on_time, m.decided)));
                    ui.end_row();
                }
            });
    });

    section(ui, "reports.outcomes");
    let mut rows = vec![(tr.t("reports.issued").to_string(), outcome.issued)];
    for (i, n) in outcome.refused_by_ground.iter().enumerate() {
        rows.push((tr.f("reports.refused_ground", &[&(i + 1).to_string()]), *n));
    }
    rows.push((tr.t("reports.withdrawn").to_string(), outcome.withdrawn));
    bars_with_table(ui, "reports_outcomes", tr, &rows, theme.ok_colour());

    section(ui, "reports.certificates");
    let at = certs.at.unwrap_or(r.period.to);
    ui.label(tr.f("reports.certificates_at", &[&widgets::date(at)]));
    bars_with_table(
        ui,
        "reports_certificates",
        tr,
        &[
            (tr.t("reports.valid").into(), certs.valid),
            (tr.t("reports.expired").into(), certs.expired),
            (tr.t("reports.revoked").into(), certs.revoked),
            (tr.t("reports.superseded").into(), certs.superseded),
        ],
        Color32::from_rgb(40, 90, 160),
    );
    figures(
        ui,
        "reports_events",
        &[
            (tr.t("reports.ev_issued").into(), count(certs.issued)),
            (tr.t("reports.ev_extended").into(), count(certs.extended)),
            (tr.t("reports.ev_reissued").into(), count(certs.reissued)),
            (
                tr.t("reports.ev_duplicates").into(),
                count(certs.duplicates),
            ),
            (
                tr.t("reports.ev_employer").into(),
                count(certs.notices_employer_change),
            ),
            (
                tr.t("reports.ev_contract").into(),
                count(certs.notices_contract_end),
            ),
            (tr.t("reports.ev_revoked").into(), count(certs.revocations)),
        ],
    );

    section(ui, "reports.sectors");
    bars_with_table(
        ui,
        "reports_sectors",
        tr,
        &r.by_sector,
        Color32::from_rgb(120, 160, 210),
    );

    section(ui, "reports.citizenship");
    let mut rows: Vec<(String, u64)> = r
        .by_citizenship
        .iter()
        .map(|(c, n)| {
            let c = if c.is_empty() {
                tr.t("field.stateless").to_string()
            } else {
                c.clone()
            };
            (c, *n)
        })
        .collect();
    if r.other_citizenships > 0 {
        rows.push((tr.t("reports.others").into(), r.other_citizenships));
    }
    bars_with_table(
        ui,
        "reports_citizenship",
        tr,
        &rows,
        Color32::from_rgb(120, 160, 210),
    );

    ui.columns(2, |cols| {
        let ui = &mut cols[0];
        section(ui, "reports.commission");
        figures(
            ui,
            "reports_commission",
            &[
                (
                    tr.t("reports.meetings").into(),
                    count(r.commission.meetings),
                ),
                (tr.t("reports.scored").into(), count(r.commission.scored)),
                (
                    tr.t("reports.average").into(),
                    r.commission
                        .average_score
                        .map_or_else(|| "—".into(), |a| format!("{a:.1}")),
                ),
                (
                    tr.t("reports.conflicts").into(),
                    count(r.commission.conflicts),
                ),
            ],
        );

        let ui = &mut cols[1];
        section(ui, "reports.complaints");
        let k = &r.complaints;
        figures(
            ui,
            "reports_complaints",
            &[
                (tr.t("reports.total").into(), count(k.received)),
                (tr.t("reports.satisfied").into(), count(k.satisfied)),
                (tr.t("reports.rejected").into(), count(k.rejected)),
                (tr.t("reports.pending").into(), count(k.pending)),
                (
                    tr.t("reports.answered_in_time").into(),
                    count(k.answered_in_time),
                ),
                (tr.t("reports.answered_late").into(), count(k.answered_late)),
            ],
        );
    });

    section(ui, "reports.professions");
    egui::Grid::new("reports_professions")
        .striped(true)
        .show(ui, |ui| {
            for key in [
                "reports.col_profession",
                "reports.col_sector",
                "reports.col_received",
                "reports.issued",
                "reports.col_refused",
            ] {
                ui.label(RichText::new(tr.t(key)).strong());
            }
            ui.end_row();
            for p in &r.by_profession {
                ui.label(&p.profession);
                ui.label(&p.sector);
                ui.label(count(p.received));
                ui.label(count(p.issued));
                ui.label(count(p.refused));
                ui.end_row();
            }
        });

    section(ui, "reports.late_list");
    if timing.late_decisions.is_empty() {
        ui.label(tr.t("reports.none"));
    }
    egui::Grid::new("reports_late")
        .striped(true)
        .show(ui, |ui| {
            for d in &timing.late_decisions {
                ui.label(&d.number);
                ui.label(kind_name(tr, &d.kind));
                ui.label(tr.f(
                    "reports.late_line",
                    &[
                        &widgets::date(d.decision_by),
                        &widgets::date(d.decided_on),
                        &d.working_days_late.to_string(),
                    ],
                ));
                ui.end_row();
            }
        });
    if timing.late_list_truncated {
        ui.label(tr.f(
            "reports.late_truncated",
            &[
                &timing.late_decisions.len().to_string(),
                &timing.late.to_string(),
            ],
        ));
    }
}

fn timeliness_figures(ui: &mut Ui, tr: &Tr, timing: &crate::domain::report::Timeliness) {
    figures(
        ui,
        "reports_timeliness",
        &[
            (tr.t("reports.decided").into(), count(timing.decided)),
            (tr.t("reports.on_time").into(), count(timing.on_time)),
            (tr.t("reports.late").into(), count(timing.late)),
            (
                tr.t("reports.on_time_share").into(),
                percent(timing.on_time_share),
            ),
            (
                tr.t("reports.median_days").into(),
                timing
                    .median_working_days
                    .map_or_else(|| "—".into(), |m| format!("{m:.1}")),
            ),
            (
                tr.t("reports.max_days").into(),
                timing
                    .max_working_days
                    .map_or_else(|| "—".into(), |m| m.to_string()),
            ),
            (
                tr.t("reports.forwarded").into(),
                format!("{} / {}", timing.forwarded, timing.forwarded_on_time),
            ),
            (
                tr.t("reports.commission_in_time").into(),
                format!(
                    "{} / {}",
                    timing.commission_decided, timing.commission_on_time
                ),
            ),
        ],
    );
}

/// "2026-11" as "11.2026".
fn month_label(month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!("{m}.{y}"),
        None => month.to_string(),
    }
}

fn kind_name<'a>(tr: &'a Tr, code: &'a str) -> &'a str {
    code.parse::<crate::domain::kind::ApplicationKind>()
        .map_or(code, |k| widgets::kind(tr, k))
}

fn channel_name<'a>(tr: &'a Tr, code: &'a str) -> &'a str {
    match code {
        "egov" => tr.t("reports.channel_egov"),
        "elicense" => tr.t("reports.channel_elicense"),
        "migration" => tr.t("reports.channel_migration"),
        "paper" => tr.t("reports.channel_paper"),
        other => other,
    }
}
