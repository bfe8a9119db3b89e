//! The administrator's reference lists (SPEC §7): the versions of the priority list (Order 236,
//! Appendix 2) and of the Order 49 list, each with the order that approved it, and a new
//! version from a file, compared with the version in force before it is put in force.

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets::{self, text_field_ui};
use crate::domain::list_update::{ApprovingOrder, ListEntry, ListKind, ListProblem, order_number};
use crate::domain::reference::ListError;
use crate::service::reference_lists::{ListVersion, Proposal};

/// What the section asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListsAction {
    /// Choose a file with a new version of the list shown.
    PickFile,
    /// Put the file's version in force, approved by this order.
    PutInForce(ApprovingOrder),
}

/// A file read as a new version, with the order typed for it.
#[derive(Debug, Clone)]
pub struct Pending {
    pub file_name: String,
    pub proposal: Proposal,
    pub number: String,
    pub date: String,
    pub title: String,
}

impl Pending {
    /// The order's fields start from what a JSON file says; a CSV file says nothing.
    pub fn new(file_name: String, proposal: Proposal) -> Self {
        let approved_by = proposal.list.approved_by().to_string();
        let from_file = !approved_by.is_empty();
        Self {
            file_name,
            number: order_number(&approved_by).unwrap_or_default().to_string(),
            date: if from_file {
                widgets::date(proposal.list.version())
            } else {
                String::new()
            },
            title: approved_by,
            proposal,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReferenceListsScreen {
    pub kind: ListKind,
    pub versions: Vec<ListVersion>,
    pub pending: Option<Pending>,
    /// (ok, text) of the last action: App::collect_messages moves it to the status bar.
    pub message: Option<(bool, String)>,
}

impl ReferenceListsScreen {
    pub fn new(versions: Vec<ListVersion>) -> Self {
        Self {
            kind: ListKind::Priority,
            versions,
            pending: None,
            message: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<ListsAction> {
        let Self {
            kind,
            versions,
            pending,
            message,
        } = self;
        let mut action = None;
        ui.label(RichText::new(tr.t("lists.title")).strong());
        ui.horizontal(|ui| {
            for k in ListKind::ALL {
                if ui.selectable_label(*kind == k, list_name(tr, k)).clicked() && *kind != k {
                    *kind = k;
                    *pending = None;
                    *message = None;
                }
            }
        });
        ui.label(RichText::new(tr.t("lists.keep_version")).color(theme.muted_colour()));
        ui.add_space(Theme::SPACING);
        // The message goes to the status bar (App::collect_messages), so nothing here moves.
        if pending.is_none() && ui.button(tr.t("lists.load")).clicked() {
            action = Some(ListsAction::PickFile);
        }
        if let Some(p) = pending.as_mut() {
            let mut cancel = false;
            pending_ui(ui, tr, theme, p, &mut action, &mut cancel, message);
            if cancel {
                *pending = None;
                *message = None;
            }
        } else {
            ui.label(RichText::new(tr.t("lists.formats")).color(theme.muted_colour()));
        }
        ui.add_space(Theme::SPACING);
        ui.label(RichText::new(tr.t("lists.versions")).strong());
        for (i, v) in versions.iter().filter(|v| v.kind == *kind).enumerate() {
            version_ui(ui, tr, theme, v, i == 0);
        }
        action
    }
}

fn list_name(tr: &Tr, kind: ListKind) -> &str {
    match kind {
        ListKind::Priority => tr.t("lists.priority"),
        ListKind::Order49 => tr.t("lists.order49"),
    }
}

fn version_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, v: &ListVersion, in_force: bool) {
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let number = order_number(&v.approved_by).unwrap_or("—");
            ui.label(
                RichText::new(tr.f("lists.version", &[&widgets::date(v.version), number])).strong(),
            );
            if in_force {
                ui.label(RichText::new(tr.t("lists.in_force")).color(theme.ok_colour()));
            } else {
                ui.label(RichText::new(tr.t("lists.earlier")).color(theme.muted_colour()));
            }
        });
        ui.label(RichText::new(&v.approved_by).small());
        let loaded = v.loaded_at.format("%d.%m.%Y %H:%M").to_string();
        // Applications name a profession of the priority list; the Order 49 list is read beside
        // it and is not filed under.
        let counts = match v.kind {
            ListKind::Priority => tr.f(
                "lists.counts",
                &[&v.entries.to_string(), &v.applications.to_string(), &loaded],
            ),
            ListKind::Order49 => tr.f("lists.counts_order49", &[&v.entries.to_string(), &loaded]),
        };
        ui.label(RichText::new(counts).color(theme.muted_colour()));
    });
}

fn pending_ui(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    p: &mut Pending,
    action: &mut Option<ListsAction>,
    cancel: &mut bool,
    message: &mut Option<(bool, String)>,
) {
    let diff = &p.proposal.diff;
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        ui.label(
            RichText::new(tr.f(
                "lists.new_from",
                &[&p.file_name, &p.proposal.list.entries().len().to_string()],
            ))
            .strong(),
        );
        text_field_ui(ui, tr.t("lists.order_number"), &mut p.number, None, theme);
        text_field_ui(ui, tr.t("lists.order_date"), &mut p.date, None, theme);
        text_field_ui(ui, tr.t("lists.order_title"), &mut p.title, None, theme);
        ui.add_space(Theme::SPACING);
        ui.label(
            RichText::new(tr.f("lists.compared", &[&widgets::date(p.proposal.current)])).strong(),
        );
        ui.label(tr.f(
            "lists.summary",
            &[
                &diff.added.len().to_string(),
                &diff.removed.len().to_string(),
                &diff.changed.len().to_string(),
                &diff.unchanged.to_string(),
            ],
        ));
        if diff.is_empty() {
            ui.label(RichText::new(tr.t("lists.no_changes")).color(theme.muted_colour()));
        }
        egui::ScrollArea::vertical()
            .id_salt("list_diff")
            .max_height(320.0)
            .show(ui, |ui| {
                if !diff.added.is_empty() {
                    ui.label(RichText::new(tr.t("lists.added")).strong());
                    for e in &diff.added {
                        ui.label(RichText::new(format!("+ {}", entry(e))).color(theme.ok_colour()));
                    }
                }
                if !diff.removed.is_empty() {
                    ui.label(RichText::new(tr.t("lists.removed")).strong());
                    for e in &diff.removed {
                        ui.label(
                            RichText::new(format!("− {}", entry(e))).color(theme.error_colour()),
                        );
                    }
                }
                if !diff.changed.is_empty() {
                    ui.label(RichText::new(tr.t("lists.changed")).strong());
                    for (before, after) in &diff.changed {
                        ui.label(format!(
                            "{}: {} {}",
                            tr.t("lists.before"),
                            before.key,
                            before.name
                        ));
                        ui.label(
                            RichText::new(format!(
                                "{}: {}",
                                tr.t("lists.after"),
                                change(before, after)
                            ))
                            .color(theme.ok_colour()),
                        );
                        ui.add_space(2.0);
                    }
                }
            });
        ui.horizontal(|ui| {
            if ui.button(tr.t("lists.put_in_force")).clicked() {
                match widgets::parse_date(&p.date) {
                    Some(date) => {
                        *action = Some(ListsAction::PutInForce(ApprovingOrder {
                            number: p.number.trim().to_string(),
                            date,
                            title: p.title.trim().to_string(),
                        }));
                    }
                    None => {
                        *message = Some((false, tr.f("lists.bad_date", &[p.date.trim()])));
                    }
                }
            }
            if ui.button(tr.t("lists.cancel")).clicked() {
                *cancel = true;
            }
        });
    });
}

/// `3.1.2 Программист — 3. Информационные технологии / … (НРК 6)`.
fn entry(e: &ListEntry) -> String {
    if e.detail.is_empty() {
        format!("{} {} — {}", e.key, e.name, e.group)
    } else {
        format!("{} {} — {} ({})", e.key, e.name, e.group, e.detail)
    }
}

/// What differs in the entry after the change: its key and name, then its place and details
/// only where they changed.
fn change(before: &ListEntry, after: &ListEntry) -> String {
    let group = if after.group == before.group {
        String::new()
    } else {
        format!(" — {}", after.group)
    };
    let detail = if after.detail == before.detail {
        String::new()
    } else {
        format!(" ({})", after.detail)
    };
    format!("{} {}{group}{detail}", after.key, after.name)
}

/// Why a new version cannot be used, in the user's language (the file's parser speaks its own
/// words for the details).
pub fn problem_text(tr: &Tr, problem: &ListProblem) -> String {
    match problem {
        ListProblem::FileFormat(detail) => tr.f("lists.problem.file", &[detail]),
        ListProblem::WrongList { found, .. } => tr.f("lists.problem.wrong_list", &[found]),
        ListProblem::Empty => tr.t("lists.problem.empty").into(),
        ListProblem::Invalid(e) => match e {
            ListError::EmptyName { place, .. } => tr.f("lists.problem.empty_name", &[place]),
            ListError::MixedScript { word, place, .. } => {
                tr.f("lists.problem.mixed_script", &[word, place])
            }
            ListError::BadCode { code, .. } => tr.f("lists.problem.bad_code", &[code]),
            ListError::Duplicate { key, .. } => tr.f("lists.problem.duplicate", &[key]),
        },
        ListProblem::OrderNumberMissing => tr.t("lists.problem.number").into(),
        ListProblem::OrderDateInFuture => tr.t("lists.problem.future").into(),
        ListProblem::OrderDateNotAfter { current } => {
            tr.f("lists.problem.not_after", &[&widgets::date(*current)])
        }
    }
}
