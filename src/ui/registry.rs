//! The registry: every application in one table, searched as the officer types, filtered and
//! sorted. A change of filter or order loads the count of matches; the table then loads only
//! the rows on screen and a margin around them, in one query each time: paging on from the
//! rows already loaded when the officer scrolls, by position when the scrollbar jumps.

use chrono::NaiveDate;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use super::Ctx;
use super::i18n::{Lang, Tr};
use super::theme::Theme;
use super::widgets;
use crate::domain::calendar::YearKnowledge;
use crate::domain::kind::ApplicationKind;
use crate::domain::status::ApplicationStatus;
use crate::service::Session;
use crate::service::applications::{
    self, RegistryFilter, RegistryRow, RegistrySort, RegistryStart,
};
use crate::service::maintenance::Store;

/// Rows loaded around the visible ones, so that scrolling a little needs no query.
const WINDOW_MARGIN: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryAction {
    Open(i64),
    New(ApplicationKind),
    /// Print the certificates of the chosen applications as one PDF.
    PrintChosen,
    /// R§13: sign the results of the chosen applications with EDS, in one session.
    SignChosen,
}

#[derive(Debug, Default)]
pub struct RegistryScreen {
    pub text: String,
    pub status: Option<ApplicationStatus>,
    pub kind: Option<ApplicationKind>,
    pub overdue: bool,
    pub from: String,
    pub to: String,
    pub sort: RegistrySort,
    /// How many applications match, or `None` when it must be reloaded.
    count: Option<usize>,
    /// The filter the count and the rows were loaded for.
    loaded_filter: RegistryFilter,
    /// The loaded rows: a window of the list starting at `window_start`.
    window_start: usize,
    window: Vec<RegistryRow>,
    pub selected: Option<usize>,
    pub focus_search: bool,
    pub error: Option<String>,
    /// Whether the database has any application at all (for the empty state).
    total: Option<usize>,
    /// Applications chosen with Ctrl+click, for printing their certificates together.
    pub chosen: std::collections::BTreeSet<i64>,
    /// The batch print asks first, naming what it does (issue 14).
    pub confirm_print: bool,
    /// The widths of the status and deadline columns for a language and a type size.
    column_widths: Option<(Lang, f32, ColumnWidths)>,
}

/// The widths of the columns whose texts are not cut: the longest status and the longest
/// deadline in the language shown (issue 14: «Рекомендация комисс…» at 1400 px; the Kazakh
/// texts are longer, and a deadline's noun now has its plural form).
#[derive(Debug, Clone, Copy)]
struct ColumnWidths {
    status: f32,
    deadline: f32,
}

impl ColumnWidths {
    fn measure(ui: &Ui, tr: &Tr) -> Self {
        use crate::domain::status::CertificateStatus;
        let width = |text: &str| widgets::text_width(ui, text);
        let mut status = ApplicationStatus::ALL
            .iter()
            .map(|s| width(widgets::status(tr, *s)))
            .fold(width(tr.t("col.status")), f32::max);
        for certificate in CertificateStatus::ALL {
            status = status.max(width(&format!(
                "{} — {}",
                widgets::status(tr, ApplicationStatus::Issued),
                widgets::certificate_status(tr, certificate)
            )));
        }
        // The widest date, and the numbers whose nouns are longest in either language.
        let day = widgets::date(NaiveDate::from_ymd_opt(2026, 8, 28).unwrap_or_default());
        let mut deadline = width(&tr.f("deadline.expired", &[&day]));
        for n in ["22", "25", "21", "108"] {
            for key in ["deadline.overdue", "deadline.left"] {
                deadline = deadline.max(width(&tr.f(key, &[&day, n])));
            }
        }
        // Room for the «(!)» of a year without calendar data.
        deadline += width("(!)") + ui.spacing().item_spacing.x;
        Self { status, deadline }
    }
}

impl RegistryScreen {
    /// Forget the loaded count and rows (after a change in the data or the filter).
    pub fn invalidate(&mut self) {
        self.count = None;
        self.window.clear();
        self.total = None;
    }

    pub fn match_count(&self) -> usize {
        self.count.unwrap_or(0)
    }

    fn filter(&self, today: NaiveDate) -> RegistryFilter {
        RegistryFilter {
            text: self.text.clone(),
            status: self.status,
            kind: self.kind,
            overdue_on: self.overdue.then_some(today),
            registered_from: widgets::parse_date(&self.from),
            registered_to: widgets::parse_date(&self.to),
        }
    }

    fn load_count(&mut self, tr: &Tr, store: &Store, session: &Session, today: NaiveDate) {
        let filter = self.filter(today);
        self.window.clear();
        self.window_start = 0;
        self.selected = None;
        match applications::registry_first(store, session, &filter, self.sort, 2 * WINDOW_MARGIN) {
            Ok((count, rows)) => {
                if self.total.is_none() {
                    let total = if filter == RegistryFilter::default() {
                        Ok(count)
                    } else {
                        applications::registry_total(store, session)
                    };
                    self.total = Some(total.unwrap_or(0));
                }
                self.count = Some(count);
                self.window = rows;
                self.error = None;
            }
            Err(e) => {
                self.count = Some(0);
                self.error = Some(widgets::service_error(tr, &e));
            }
        }
        self.loaded_filter = filter;
    }

    /// Makes sure rows `first..last` are loaded, with a margin, in one query: the rows just
    /// after (or before) the loaded window when the wanted ones join it, else by position.
    fn ensure_rows(
        &mut self,
        tr: &Tr,
        store: &Store,
        session: &Session,
        first: usize,
        last: usize,
    ) {
        let count = self.match_count();
        let window_end = self.window_start + self.window.len();
        let loaded = first >= self.window_start && last <= window_end;
        if loaded || count == 0 {
            return;
        }
        let want_start = first.saturating_sub(WINDOW_MARGIN);
        let want_end = (last + WINDOW_MARGIN).min(count);
        let (start, limit) = match (self.window.first(), self.window.last()) {
            // Scrolled down past the end of the window: the rows after its last one.
            (_, Some(last_row)) if (self.window_start..=window_end).contains(&first) => (
                RegistryStart::After(last_row.key()),
                want_end.saturating_sub(window_end),
            ),
            // Scrolled up past its start: the rows before its first one.
            (Some(first_row), _) if (self.window_start..=window_end).contains(&last) => (
                RegistryStart::Before(first_row.key()),
                self.window_start.saturating_sub(want_start),
            ),
            // A jump: by position.
            _ => (
                RegistryStart::Offset(want_start),
                want_end.saturating_sub(want_start),
            ),
        };
        let rows = match applications::registry_window(
            store,
            session,
            &self.loaded_filter,
            self.sort,
            &start,
            limit,
        ) {
            Ok(rows) => rows,
            Err(e) => {
                self.error = Some(widgets::service_error(tr, &e));
                return;
            }
        };
        match start {
            RegistryStart::After(_) => {
                self.window.extend(rows);
                // Keep the margin above the visible rows, drop what is further up.
                let drop = want_start
                    .saturating_sub(self.window_start)
                    .min(self.window.len());
                self.window.drain(..drop);
                self.window_start += drop;
            }
            RegistryStart::Before(_) => {
                self.window_start = self.window_start.saturating_sub(rows.len());
                self.window.splice(0..0, rows);
                self.window
                    .truncate(want_end.saturating_sub(self.window_start));
            }
            RegistryStart::Offset(_) => {
                self.window_start = want_start;
                self.window = rows;
            }
        }
    }

    fn row(&self, index: usize) -> Option<&RegistryRow> {
        index
            .checked_sub(self.window_start)
            .and_then(|i| self.window.get(i))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(&mut self, ui: &mut Ui, ctx: &Ctx<'_>, store: &Store) -> Option<RegistryAction> {
        let Ctx {
            tr,
            theme,
            session,
            calendar,
            today,
        } = *ctx;
        let mut action = None;
        let mut changed = false;
        ui.horizontal(|ui| {
            ui.heading(tr.t("registry.title"));
            ui.add_space(16.0);
            if session.may(crate::domain::roles::Action::RegisterApplication) {
                ui.menu_button(tr.t("registry.new"), |ui| {
                    for kind in ApplicationKind::ALL {
                        if ui.button(widgets::kind(tr, kind)).clicked() {
                            action = Some(RegistryAction::New(kind));
                        }
                    }
                });
            }
        });
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr.t("registry.search"));
            let search = ui.add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text(tr.t("registry.search_hint"))
                    .desired_width(300.0),
            );
            let search = search.labelled_by(label.id);
            if self.focus_search {
                search.request_focus();
                self.focus_search = false;
            }
            changed |= search.changed();
            let label = ui.label(tr.t("col.status"));
            egui::ComboBox::from_id_salt("status_filter")
                .selected_text(
                    self.status
                        .map_or(tr.t("registry.all_statuses"), |s| widgets::status(tr, s)),
                )
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut self.status, None, tr.t("registry.all_statuses"))
                        .changed();
                    for status in ApplicationStatus::ALL {
                        changed |= ui
                            .selectable_value(
                                &mut self.status,
                                Some(status),
                                widgets::status(tr, status),
                            )
                            .changed();
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label(tr.t("col.kind"));
            egui::ComboBox::from_id_salt("kind_filter")
                .selected_text(
                    self.kind
                        .map_or(tr.t("registry.all_kinds"), |k| widgets::kind(tr, k)),
                )
                .show_ui(ui, |ui| {
                    changed |= ui
                        .selectable_value(&mut self.kind, None, tr.t("registry.all_kinds"))
                        .changed();
                    for kind in ApplicationKind::ALL {
                        changed |= ui
                            .selectable_value(&mut self.kind, Some(kind), widgets::kind(tr, kind))
                            .changed();
                    }
                })
                .response
                .labelled_by(label.id);
            changed |= ui
                .checkbox(&mut self.overdue, tr.t("registry.overdue"))
                .changed();
            // The hint «ДД.ММ.ГГГГ» whole (it was cut to «ДД.ММ…»).
            let date_width = widgets::text_width(ui, tr.t("hint.date")) + 20.0;
            let from_label = ui.label(tr.t("registry.from"));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.from)
                        .hint_text(tr.t("hint.date"))
                        .desired_width(date_width),
                )
                .labelled_by(from_label.id)
                .changed();
            let to_label = ui.label(tr.t("registry.to"));
            changed |= ui
                .add(
                    egui::TextEdit::singleline(&mut self.to)
                        .hint_text(tr.t("hint.date"))
                        .desired_width(date_width),
                )
                .labelled_by(to_label.id)
                .changed();
            // A bound that cannot be read is said, not silently dropped (issue 14).
            let unreadable = |t: &str| !t.trim().is_empty() && widgets::parse_date(t).is_none();
            if unreadable(&self.from) || unreadable(&self.to) {
                ui.label(RichText::new(tr.t("registry.bad_date")).color(theme.error_colour()));
            }
            let label = ui.label(tr.t("registry.sort"));
            egui::ComboBox::from_id_salt("sort")
                .selected_text(sort_name(tr, self.sort))
                .show_ui(ui, |ui| {
                    for sort in [
                        RegistrySort::Newest,
                        RegistrySort::Oldest,
                        RegistrySort::Deadline,
                        RegistrySort::Number,
                    ] {
                        changed |= ui
                            .selectable_value(&mut self.sort, sort, sort_name(tr, sort))
                            .changed();
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if changed {
            self.count = None;
        }
        // A new filter shows its first matches, not the old scroll position.
        let to_top = changed;
        if self.count.is_none() {
            self.load_count(tr, store, session, today);
        }
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme.error_colour()));
        }
        // The line of the chosen applications is always there (a hint when none is chosen),
        // so that choosing the first one does not move the rows under the next Ctrl+click
        // (issue 14: the second Ctrl+click landed on another row).
        let line_height = ui.spacing().interact_size.y;
        ui.allocate_ui_with_layout(
            egui::vec2(ui.available_width(), line_height),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_min_height(line_height);
                if self.chosen.is_empty() {
                    ui.label(
                        RichText::new(tr.t("registry.choose_hint")).color(theme.muted_colour()),
                    );
                    return;
                }
                ui.label(tr.f("registry.chosen", &[&self.chosen.len().to_string()]));
                if session.may(crate::domain::roles::Action::Print)
                    && ui.button(tr.t("registry.print_chosen")).clicked()
                {
                    self.confirm_print = true;
                }
                if crate::domain::eds::may_sign(&session.roles)
                    && ui.button(tr.t("eds.sign_chosen")).clicked()
                {
                    action = Some(RegistryAction::SignChosen);
                }
                if ui.button(tr.t("registry.clear_chosen")).clicked() {
                    self.chosen.clear();
                }
            },
        );
        if self.confirm_print {
            let mut answer = None;
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_batch_print")).show(ui.ctx(), |ui| {
                    ui.set_max_width(560.0);
                    ui.label(tr.f("registry.print_confirm", &[&self.chosen.len().to_string()]));
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("registry.print_yes")).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(tr.t("confirm.back")).clicked() {
                            answer = Some(false);
                        }
                    });
                });
            if modal.should_close() && answer.is_none() {
                answer = Some(false);
            }
            if let Some(yes) = answer {
                self.confirm_print = false;
                if yes {
                    action = Some(RegistryAction::PrintChosen);
                }
            }
        }
        let count = self.match_count();
        let capped = !self.text.trim().is_empty() && count >= applications::SEARCH_CAP;
        let count_text = if capped {
            tr.f("registry.count_capped", &[&count.to_string()])
        } else {
            tr.f("registry.count", &[&count.to_string()])
        };
        ui.label(RichText::new(count_text).small());
        if count == 0 {
            ui.add_space(30.0);
            ui.vertical_centered(|ui| {
                if self.total == Some(0) {
                    ui.label(tr.t("registry.empty"));
                } else {
                    ui.label(tr.t("registry.no_match"));
                }
            });
            return action;
        }
        // Keyboard: arrows move the selection, Enter opens it.
        let (up, down, enter) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Enter),
            )
        });
        let mut scroll_to = None;
        if down || up {
            let current = self.selected.unwrap_or(0);
            let next = if down {
                (current + 1).min(count - 1)
            } else {
                current.saturating_sub(1)
            };
            self.selected = Some(next);
            scroll_to = Some(next);
        }
        if enter
            && let Some(index) = self.selected
            && let Some(row) = self.row(index)
        {
            action = Some(RegistryAction::Open(row.id));
        }
        // The visible range comes from the table; the rows are loaded before drawing them.
        let row_height = Theme::ROW_HEIGHT * theme.scale;
        let visible = (ui.available_height() / row_height).ceil() as usize + 2;
        let offset_id = ui.scope_id().with("registry_offset");
        let first_guess: usize = ui.data(|d| d.get_temp(offset_id).unwrap_or(0));
        let first_guess = if to_top {
            0
        } else {
            scroll_to.map_or(first_guess, |s| s.saturating_sub(visible / 2))
        };
        self.ensure_rows(
            tr,
            store,
            session,
            first_guess.min(count),
            (first_guess + visible).min(count),
        );
        let ui_modifiers = ui.input(|i| i.modifiers);
        let mut first_drawn = usize::MAX;
        let mut sort_clicked = None;
        let mut missing = false;
        // Cells are not selectable text: a click selects the row, a double click opens it.
        ui.style_mut().interaction.selectable_labels = false;
        let size = ui.text_style_height(&egui::TextStyle::Body);
        let widths = match self.column_widths {
            Some((lang, at, widths)) if lang == tr.lang && (at - size).abs() < 0.01 => widths,
            _ => {
                let widths = ColumnWidths::measure(ui, tr);
                self.column_widths = Some((tr.lang, size, widths));
                widths
            }
        };
        let mut table = TableBuilder::new(ui)
            .striped(true)
            .sense(egui::Sense::click())
            .column(Column::exact(110.0))
            // The name and the profession share what is left, cut with «…» if need be.
            .column(Column::remainder().at_least(120.0).clip(true))
            .column(Column::exact(110.0))
            .column(Column::remainder().at_least(120.0).clip(true))
            // Every status and the «Зарегистрировано» header whole (issue 14: «Зарегист…»,
            // «Рекомендация комисс…» were cut).
            .column(Column::exact(widths.status))
            .column(Column::exact(165.0))
            .column(Column::exact(widths.deadline));
        if let Some(row) = scroll_to {
            table = table.scroll_to_row(row, None);
        } else if to_top {
            table = table.vertical_scroll_offset(0.0);
        }
        table
            .header(row_height, |mut header| {
                // A click on a sortable column's title sorts by it (again: the other way, for the date).
                let sort = self.sort;
                for (key, by) in [
                    ("col.number", Some(RegistrySort::Number)),
                    ("col.applicant", None),
                    ("col.kind", None),
                    ("col.profession", None),
                    ("col.status", None),
                    (
                        "col.registered",
                        Some(if sort == RegistrySort::Newest {
                            RegistrySort::Oldest
                        } else {
                            RegistrySort::Newest
                        }),
                    ),
                    ("col.deadline", Some(RegistrySort::Deadline)),
                ] {
                    header.col(|ui| match by {
                        Some(by) => {
                            let active = match key {
                                "col.registered" => {
                                    matches!(sort, RegistrySort::Newest | RegistrySort::Oldest)
                                }
                                _ => sort == by,
                            };
                            if ui
                                .selectable_label(active, RichText::new(tr.t(key)).strong())
                                .clicked()
                            {
                                sort_clicked = Some(by);
                            }
                        }
                        None => {
                            ui.strong(tr.t(key));
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, count, |mut row| {
                    let index = row.index();
                    first_drawn = first_drawn.min(index);
                    row.set_selected(
                        self.selected == Some(index)
                            || self.row(index).is_some_and(|r| self.chosen.contains(&r.id)),
                    );
                    let Some(data) = self.row(index) else {
                        missing = true;
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    let id = data.id;
                    row.col(|ui| {
                        ui.label(&data.number);
                    });
                    row.col(|ui| {
                        ui.label(&data.applicant);
                    });
                    row.col(|ui| {
                        ui.label(widgets::kind(tr, data.kind));
                    });
                    row.col(|ui| {
                        ui.label(&data.profession);
                    });
                    row.col(|ui| {
                        // An issued application whose certificate no longer holds says so.
                        match data.certificate.filter(|c| {
                            data.status == crate::domain::status::ApplicationStatus::Issued
                                && *c != crate::domain::status::CertificateStatus::Valid
                        }) {
                            Some(certificate) => ui.label(format!(
                                "{} — {}",
                                widgets::status(tr, data.status),
                                widgets::certificate_status(tr, certificate)
                            )),
                            None => ui.label(widgets::status(tr, data.status)),
                        };
                    });
                    row.col(|ui| {
                        ui.label(widgets::date(data.registered_on));
                    });
                    row.col(|ui| {
                        ui.label(widgets::deadline_text(
                            tr,
                            theme,
                            calendar,
                            today,
                            data.next_deadline,
                        ))
                        // Built only when the tooltip shows, not every frame for every row.
                        .on_hover_ui(|ui| {
                            ui.label(widgets::deadline_hover(tr, data.kind, data.status));
                        });
                        // A deadline in a year without calendar data ignores the decree's
                        // transfers and Kurban Ait (SPEC §3).
                        if let Some(year) = data.next_deadline.map(|d| chrono::Datelike::year(&d))
                            && calendar.knowledge(year) == YearKnowledge::Missing
                        {
                            ui.label(RichText::new("(!)").strong().color(theme.error_colour()))
                                .on_hover_text(tr.f("calendar.no_data", &[&year.to_string()]));
                        }
                    });
                    let response = row.response();
                    if response.clicked() {
                        self.selected = Some(index);
                        // Ctrl+click adds to (or removes from) the set to print together.
                        if ui_modifiers.command && !self.chosen.remove(&id) {
                            self.chosen.insert(id);
                        }
                    }
                    if response.double_clicked() {
                        action = Some(RegistryAction::Open(id));
                    }
                });
            });
        if let Some(sort) = sort_clicked {
            self.sort = sort;
            self.count = None;
        }
        if first_drawn != usize::MAX {
            ui.data_mut(|d| d.insert_temp(offset_id, first_drawn));
        }
        if missing {
            // Rows scrolled into view that are not loaded yet: load them for the next frame.
            ui.ctx().request_repaint();
        }
        action
    }
}

fn sort_name(tr: &Tr, sort: RegistrySort) -> &str {
    match sort {
        RegistrySort::Newest => tr.t("sort.newest"),
        RegistrySort::Oldest => tr.t("sort.oldest"),
        RegistrySort::Deadline => tr.t("sort.deadline"),
        RegistrySort::Number => tr.t("sort.number"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::setup;
    use crate::ui::i18n::Lang;

    #[test]
    fn scrolling_and_jumping_show_the_rows_of_the_whole_list() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let now = today.and_hms_opt(12, 0, 0).unwrap_or_default();
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        crate::demo::generate(&mut store, 300, 1, today, |_| {}).unwrap_or_else(|e| panic!("{e}"));
        let session = setup::sign_in(&mut store, "officer", crate::demo::DEMO_PASSWORD, now)
            .unwrap_or_else(|e| panic!("{e}"));
        let tr = Tr::new(Lang::Ru);
        let visible = 25;
        for sort in [
            RegistrySort::Newest,
            RegistrySort::Oldest,
            RegistrySort::Deadline,
            RegistrySort::Number,
        ] {
            let mut screen = RegistryScreen {
                sort,
                ..RegistryScreen::default()
            };
            screen.load_count(&tr, &store, &session, today);
            let count = screen.match_count();
            assert!(count > 200, "{sort:?}");
            let all = applications::registry_page(
                &store,
                &session,
                &RegistryFilter::default(),
                sort,
                0,
                count,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let mut show = |first: usize| {
                let last = (first + visible).min(count);
                screen.ensure_rows(&tr, &store, &session, first, last);
                for (index, row) in all.iter().enumerate().take(last).skip(first) {
                    assert_eq!(
                        screen.row(index).map(|r| r.id),
                        Some(row.id),
                        "{sort:?} row {index}"
                    );
                }
                assert!(screen.window.len() <= visible + 2 * WINDOW_MARGIN);
                assert!(screen.error.is_none());
            };
            // Down a few rows at a time, back up, then jumps of the scrollbar.
            for first in (0..count - visible).step_by(7) {
                show(first);
            }
            for first in (0..count - visible).rev().step_by(11) {
                show(first);
            }
            for first in [count / 2, 3, count - visible, 100, 90, 160] {
                show(first);
            }
        }
    }
}
