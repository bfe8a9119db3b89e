//! The administrator's backups section: the list, «back up now», the check of one backup and
//! the restore, which closes the store, replaces the file and asks to sign in again.

use egui::Ui;

use super::{App, Tab};
use crate::domain::roles::Action;
use crate::service::maintenance::{self, Report, RestoreError};
use crate::ui::backups::{BackupsAction, BackupsScreen};
use crate::ui::i18n::Tr;
use crate::ui::registry::RegistryScreen;
use crate::ui::widgets;

impl App {
    /// The choice between the users and the backups at the top of the administrator's tab;
    /// draws the backups section when it is chosen and returns whether it did.
    pub(super) fn admin_sections_ui(&mut self, ui: &mut Ui) -> bool {
        if !self.session.as_ref().is_some_and(|s| s.may(Action::Backup)) {
            return false;
        }
        ui.horizontal(|ui| {
            let users = self.backups.is_none()
                && self.calendar.is_none()
                && self.audit.is_none()
                && self.reference_lists.is_none();
            if ui
                .selectable_label(users, self.tr.t("admin.section_users"))
                .clicked()
            {
                self.backups = None;
                self.calendar = None;
                self.audit = None;
                self.reference_lists = None;
            }
            if ui
                .selectable_label(self.backups.is_some(), self.tr.t("backups.title"))
                .clicked()
                && self.backups.is_none()
            {
                self.calendar = None;
                self.audit = None;
                self.reference_lists = None;
                self.open_backups();
            }
            if self
                .session
                .as_ref()
                .is_some_and(|s| s.may(Action::ManageCalendar))
                && ui
                    .selectable_label(self.calendar.is_some(), self.tr.t("calendar.title"))
                    .clicked()
                && self.calendar.is_none()
            {
                self.backups = None;
                self.audit = None;
                self.reference_lists = None;
                self.open_calendar();
            }
            if ui
                .selectable_label(self.audit.is_some(), self.tr.t("audit.tab"))
                .clicked()
                && self.audit.is_none()
            {
                self.backups = None;
                self.calendar = None;
                self.reference_lists = None;
                self.open_audit();
            }
            if self
                .session
                .as_ref()
                .is_some_and(|s| s.may(Action::ManageReferenceLists))
                && ui
                    .selectable_label(self.reference_lists.is_some(), self.tr.t("lists.title"))
                    .clicked()
                && self.reference_lists.is_none()
            {
                self.backups = None;
                self.calendar = None;
                self.audit = None;
                self.open_reference_lists();
            }
        });
        ui.separator();
        if self.calendar.is_some() {
            self.calendar_ui(ui);
            return true;
        }
        if self.audit.is_some() {
            self.audit_ui(ui);
            return true;
        }
        if self.reference_lists.is_some() {
            self.reference_lists_ui(ui);
            return true;
        }
        if self.backups.is_none() {
            return false;
        }
        self.backups_ui(ui);
        true
    }

    fn open_backups(&mut self) {
        self.backups = Some(BackupsScreen::new(
            &self.db_path,
            maintenance::backup_folder(&self.db_path),
            maintenance::backup_list(&self.db_path),
        ));
    }

    fn backups_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let Some(screen) = &mut self.backups else {
            return;
        };
        let action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| screen.ui(ui, &self.tr, &self.theme))
            .inner;
        let Some(action) = action else { return };
        match action {
            BackupsAction::BackUpNow => {
                let (Some(store), Some(session)) = (&self.store, &self.session) else {
                    return;
                };
                let message = match maintenance::backup_now(store, session, now) {
                    Ok(path) => (
                        true,
                        self.tr.f("backups.made", &[&path.display().to_string()]),
                    ),
                    Err(e) => (false, widgets::service_error(&self.tr, &e)),
                };
                // The checks already made stay with their rows.
                let checked: Vec<_> = screen
                    .rows
                    .iter()
                    .filter_map(|r| Some((r.info.path.clone(), r.checked.clone()?)))
                    .collect();
                self.open_backups();
                if let Some(screen) = &mut self.backups {
                    for row in &mut screen.rows {
                        row.checked = checked
                            .iter()
                            .find(|(path, _)| *path == row.info.path)
                            .map(|(_, c)| c.clone());
                    }
                    screen.message = Some(message);
                }
            }
            BackupsAction::Check(i) => {
                let Some(row) = screen.rows.get_mut(i) else {
                    return;
                };
                row.checked = Some(match maintenance::check_file(&row.info.path) {
                    Ok(report) if report.is_clean() => Ok(()),
                    Ok(report) => Err(problems(&self.tr, &report)),
                    Err(e) => Err(e.to_string()),
                });
            }
            BackupsAction::Restore(from) => self.restore_backup(&from),
        }
    }

    /// Closes the store, replaces the file by `from` (the service refuses a backup that fails
    /// the check) and opens it again; after a restore everyone signs in again.
    fn restore_backup(&mut self, from: &std::path::Path) {
        let now = self.now();
        self.store = None;
        match maintenance::restore(&self.db_path, from, now) {
            Ok(kept) => {
                self.session = None;
                self.intake = None;
                self.view = None;
                self.admin = None;
                self.backups = None;
                self.registry = RegistryScreen::default();
                self.lists = None;
                self.tab = Tab::Registry;
                self.open_store();
                let text = self.tr.f(
                    "backups.restored",
                    &[
                        &from.display().to_string(),
                        &kept.map(|k| k.display().to_string()).unwrap_or_default(),
                    ],
                );
                self.say(text, false);
            }
            Err(e) => {
                let why = match &e {
                    RestoreError::Unclean { report, .. } => problems(&self.tr, report),
                    other => other.to_string(),
                };
                self.open_store();
                if let Some(screen) = &mut self.backups {
                    screen.message = Some((false, self.tr.f("backups.refused", &[&why])));
                }
            }
        }
    }
}

/// What a check found, one problem per line (the engine's own words for the details).
fn problems(tr: &Tr, report: &Report) -> String {
    if report.not_spravka {
        return tr.t("backups.not_spravka").into();
    }
    if report.newer {
        return tr.t("backups.newer").into();
    }
    report
        .integrity
        .iter()
        .chain(&report.foreign_keys)
        .cloned()
        .chain(
            report
                .audit
                .iter()
                .map(|p| crate::ui::audit_log::problem_text(tr, p)),
        )
        .collect::<Vec<_>>()
        .join("; ")
}
