//! The audit log viewer: the chain check at the top, the filters (user, dates, action,
//! record), a quick filter for «who opened the file», the rows newest first, a page at a time,
//! and the export of the filtered rows to CSV. The rows are loaded by the app when a filter is
//! applied, never per frame.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets;
use crate::service::audit_log::{AuditProblem, Filter, LogRow, OPENINGS};

/// Rows per page.
pub const PAGE: i64 = 500;

/// What the viewer asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditAction {
    /// Load the page at this offset with this filter.
    Load { filter: Filter, offset: i64 },
    /// Write the rows passing this filter to a CSV file.
    Export(Filter),
}

#[derive(Debug, Clone, Default)]
pub struct AuditScreen {
    /// The chain check made when the viewer opened; `None` if it could not run.
    pub chain: Option<crate::service::audit_log::ChainCheck>,
    /// The check is still running (on another thread).
    pub checking: bool,
    pub actions: Vec<String>,
    pub users: Vec<String>,
    /// The filter as typed.
    pub user: String,
    pub action: String,
    /// «Кто открывал дело»: both opening actions (the action picker is then empty).
    pub openings: bool,
    pub record: String,
    pub from: String,
    pub to: String,
    /// The filter of the rows shown.
    pub loaded: Filter,
    pub offset: i64,
    pub rows: Vec<LogRow>,
    pub total: i64,
    /// (ok, text) of the last action: App::collect_messages moves it to the status bar.
    pub message: Option<(bool, String)>,
    /// The file of the last export.
    pub exported: Option<std::path::PathBuf>,
}

impl AuditScreen {
    /// The filter typed, or the message of what is wrong with it (the text stays as typed).
    fn filter(&self, tr: &Tr) -> Result<Filter, String> {
        let day = |text: &str| -> Result<Option<chrono::NaiveDate>, String> {
            if text.trim().is_empty() {
                return Ok(None);
            }
            widgets::parse_date(text)
                .map(Some)
                .ok_or_else(|| tr.f("audit.bad_date", &[text.trim()]))
        };
        let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(Filter {
            user: text(&self.user),
            from: day(&self.from)?,
            to: day(&self.to)?,
            action: text(&self.action),
            any_of: if self.openings {
                OPENINGS.iter().map(ToString::to_string).collect()
            } else {
                Vec::new()
            },
            record: text(&self.record),
        })
    }

    fn load(&mut self, tr: &Tr, offset: i64) -> Option<AuditAction> {
        match self.filter(tr) {
            Ok(filter) => Some(AuditAction::Load { filter, offset }),
            Err(message) => {
                self.message = Some((false, message));
                None
            }
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<AuditAction> {
        let mut action = None;
        ui.label(RichText::new(tr.t("audit.title")).strong());
        match &self.chain {
            _ if self.checking => {
                ui.label(RichText::new(tr.t("audit.chain_checking")).color(theme.muted_colour()));
            }
            Some(check) if check.problems.is_empty() => {
                ui.label(RichText::new(tr.t("audit.chain_ok")).color(theme.ok_colour()));
            }
            Some(check) => {
                ui.label(RichText::new(tr.t("audit.chain_broken")).color(theme.error_colour()));
                for problem in &check.problems {
                    ui.label(RichText::new(problem_text(tr, problem)).color(theme.error_colour()));
                }
            }
            None => {
                ui.label(RichText::new(tr.t("audit.chain_unknown")).color(theme.error_colour()));
            }
        }
        if let Some(check) = &self.chain {
            match &check.anchor {
                Some(anchor) => {
                    let row = anchor.audit_id.to_string();
                    let at = chrono::NaiveDateTime::parse_from_str(
                        &anchor.signed_at,
                        "%Y-%m-%dT%H:%M:%S",
                    )
                    .map_or_else(
                        |_| anchor.signed_at.clone(),
                        |t| t.format("%d.%m.%Y %H:%M").to_string(),
                    );
                    let after = anchor.after.to_string();
                    ui.label(tr.f("audit.anchor", &[&row, &at, &anchor.by, &after]));
                }
                None => {
                    ui.label(tr.t("audit.no_anchor"));
                }
            }
        }
        ui.separator();
        let mut apply = false;
        ui.horizontal_wrapped(|ui| {
            apply |= picker_ui(
                ui,
                tr.t("audit.user"),
                &mut self.user,
                &self.users,
                tr,
                None,
            );
            let openings = self.openings.then(|| tr.t("audit.openings"));
            if picker_ui(
                ui,
                tr.t("audit.action"),
                &mut self.action,
                &self.actions,
                tr,
                openings,
            ) {
                self.openings = false;
                apply = true;
            }
            for (key, value, width) in [
                ("audit.record", &mut self.record, 140.0),
                ("audit.from", &mut self.from, 90.0),
                ("audit.to", &mut self.to, 90.0),
            ] {
                let label = ui.label(tr.t(key));
                let field = ui
                    .add(egui::TextEdit::singleline(value).desired_width(width))
                    .labelled_by(label.id);
                apply |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            }
        });
        ui.horizontal(|ui| {
            apply |= ui.button(tr.t("audit.show")).clicked();
            if ui.button(tr.t("audit.openings")).clicked() {
                self.action.clear();
                self.openings = true;
                apply = true;
            }
            if ui.button(tr.t("audit.clear")).clicked() {
                for field in [
                    &mut self.user,
                    &mut self.action,
                    &mut self.record,
                    &mut self.from,
                    &mut self.to,
                ] {
                    field.clear();
                }
                self.openings = false;
                apply = true;
            }
            if ui.button(tr.t("audit.export")).clicked() {
                match self.filter(tr) {
                    Ok(filter) => action = Some(AuditAction::Export(filter)),
                    Err(message) => self.message = Some((false, message)),
                }
            }
        });
        if apply {
            action = self.load(tr, 0);
        }
        // The count and the pages stay on one line above the table; the message goes to the
        // status bar (App::collect_messages).
        ui.horizontal(|ui| {
            let last = (self.offset + self.rows.len() as i64).min(self.total);
            let first = if self.rows.is_empty() {
                0
            } else {
                self.offset + 1
            };
            ui.label(tr.f(
                "audit.shown",
                &[
                    &first.to_string(),
                    &last.to_string(),
                    &self.total.to_string(),
                ],
            ));
            if ui
                .add_enabled(self.offset > 0, egui::Button::new(tr.t("audit.newer")))
                .clicked()
            {
                let offset = (self.offset - PAGE).max(0);
                action = Some(AuditAction::Load {
                    filter: self.loaded.clone(),
                    offset,
                });
            }
            if ui
                .add_enabled(last < self.total, egui::Button::new(tr.t("audit.older")))
                .clicked()
            {
                action = Some(AuditAction::Load {
                    filter: self.loaded.clone(),
                    offset: self.offset + PAGE,
                });
            }
        });
        self.table_ui(ui, tr);
        action
    }

    fn table_ui(&self, ui: &mut Ui, tr: &Tr) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(150.0))
            .column(Column::exact(110.0))
            .column(Column::initial(170.0).at_least(100.0).clip(true))
            .column(Column::initial(150.0).at_least(100.0).clip(true))
            .column(Column::remainder().at_least(160.0).clip(true))
            .header(row_height, |mut header| {
                for key in [
                    "audit.col_at",
                    "audit.user",
                    "audit.action",
                    "audit.record",
                    "audit.col_summary",
                ] {
                    header.col(|ui| {
                        ui.strong(tr.t(key));
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.rows.len(), |mut row| {
                    let Some(entry) = self.rows.get(row.index()) else {
                        return;
                    };
                    for text in [
                        entry.at.replace('T', " "),
                        entry.user.clone(),
                        entry.action.clone(),
                        entry.record.clone(),
                        entry.summary.clone(),
                    ] {
                        row.col(|ui| {
                            ui.label(text);
                        });
                    }
                });
            });
    }
}

/// A choice among the values found in the log, or any; returns whether it changed. `special`
/// names a choice made elsewhere (the quick filter) while `value` is empty.
fn picker_ui(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    choices: &[String],
    tr: &Tr,
    special: Option<&str>,
) -> bool {
    let label = ui.label(label);
    let shown = if let Some(special) = special.filter(|_| value.is_empty()) {
        special.to_string()
    } else if value.is_empty() {
        tr.t("audit.any").to_string()
    } else {
        value.clone()
    };
    let mut chosen = false;
    egui::ComboBox::from_id_salt(label.id)
        .selected_text(shown)
        .width(170.0)
        .show_ui(ui, |ui| {
            chosen |= ui
                .selectable_value(value, String::new(), tr.t("audit.any"))
                .clicked();
            for choice in choices {
                chosen |= ui.selectable_value(value, choice.clone(), choice).clicked();
            }
        })
        .response
        .labelled_by(label.id);
    chosen
}

/// A break of the audit chain in the user's language.
pub(crate) fn problem_text(tr: &Tr, problem: &AuditProblem) -> String {
    match problem {
        AuditProblem::Edited { id } => tr.f("audit.problem_edited", &[&id.to_string()]),
        AuditProblem::Gap { after, id } => {
            tr.f("audit.problem_gap", &[&after.to_string(), &id.to_string()])
        }
        AuditProblem::TailDeleted { last, counter } => tr.f(
            "audit.problem_tail_deleted",
            &[&last.to_string(), &counter.to_string()],
        ),
        AuditProblem::NotRecorded { head, last } => tr.f(
            "audit.problem_not_recorded",
            &[&head.to_string(), &last.to_string()],
        ),
        AuditProblem::RecordChanged {
            application,
            audit_id,
        } => tr.f(
            "audit.problem_record_changed",
            &[application, &audit_id.to_string()],
        ),
        AuditProblem::AnchorBroken {
            anchor_id,
            audit_id,
        } => tr.f(
            "audit.problem_anchor_broken",
            &[&anchor_id.to_string(), &audit_id.to_string()],
        ),
    }
}
