//! The administrator's backups: the list with date, size and the result of a check made on
//! demand, «back up now», and a restore behind a confirmation that names what it replaces.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use crate::service::maintenance::BackupInfo;

/// What the backups section asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupsAction {
    BackUpNow,
    /// Check the backup in this row (reads the whole file).
    Check(usize),
    /// Replace the database by this backup (confirmed).
    Restore(PathBuf),
}

/// One row: the backup and, once checked, the result (`Err` carries why it failed).
#[derive(Debug, Clone)]
pub struct BackupRow {
    pub info: BackupInfo,
    pub checked: Option<Result<(), String>>,
}

#[derive(Debug, Clone)]
pub struct BackupsScreen {
    /// The database file a restore would replace.
    pub db_path: PathBuf,
    /// The folder the backups are in.
    pub folder: PathBuf,
    pub rows: Vec<BackupRow>,
    /// The row whose restore waits for confirmation.
    pub confirm: Option<usize>,
    /// (ok, text) of the last action: App::collect_messages moves it to the status bar.
    pub message: Option<(bool, String)>,
}

impl BackupsScreen {
    pub fn new(db_path: &Path, folder: PathBuf, list: Vec<BackupInfo>) -> Self {
        Self {
            db_path: db_path.to_path_buf(),
            folder,
            rows: list
                .into_iter()
                .map(|info| BackupRow {
                    info,
                    checked: None,
                })
                .collect(),
            confirm: None,
            message: None,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<BackupsAction> {
        let Self {
            db_path,
            folder,
            rows,
            confirm,
            message: _,
        } = self;
        let mut action = None;
        ui.label(RichText::new(tr.t("backups.title")).strong());
        let location = crate::service::maintenance::display_location(db_path);
        ui.label(tr.f("backups.database", &[&location]));
        if crate::service::maintenance::server_url(db_path).is_some() {
            // A server is backed up by its administrator with pg_dump (README, «Several
            // workstations»); the window's backups are the SQLite file's.
            ui.label(tr.t("backups.server"));
            return None;
        }
        ui.label(tr.f("backups.folder", &[&folder.display().to_string()]));
        // The message goes to the status bar (App::collect_messages), so nothing here moves.
        if ui.button(tr.t("backups.now")).clicked() {
            action = Some(BackupsAction::BackUpNow);
        }
        ui.add_space(Theme::SPACING);
        if rows.is_empty() {
            ui.label(tr.t("backups.none"));
        }
        egui::Grid::new("backups")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                ui.strong(tr.t("backups.taken_at"));
                ui.strong(tr.t("backups.file"));
                ui.strong(tr.t("backups.size"));
                ui.label("");
                ui.strong(tr.t("backups.check"));
                ui.end_row();
                for (i, row) in rows.iter().enumerate() {
                    ui.label(
                        row.info
                            .taken_at
                            .map(|t| t.format("%d.%m.%Y %H:%M:%S").to_string())
                            .unwrap_or_default(),
                    );
                    ui.label(file_name(&row.info.path));
                    ui.label(size_text(tr, row.info.size));
                    // The buttons come before the result, which may be long.
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("backups.check_one")).clicked() {
                            action = Some(BackupsAction::Check(i));
                        }
                        if ui.button(tr.t("backups.restore")).clicked() {
                            *confirm = Some(i);
                        }
                    });
                    match &row.checked {
                        None => ui.label(
                            RichText::new(tr.t("backups.unchecked")).color(theme.muted_colour()),
                        ),
                        Some(Ok(())) => {
                            ui.label(RichText::new(tr.t("backups.ok")).color(theme.ok_colour()))
                        }
                        Some(Err(why)) => ui.label(
                            RichText::new(tr.f("backups.failed", &[why]))
                                .color(theme.error_colour()),
                        ),
                    };
                    ui.end_row();
                }
            });
        if let Some(i) = *confirm {
            let Some(row) = rows.get(i) else {
                *confirm = None;
                return action;
            };
            let db = db_path.display().to_string();
            let from = row.info.path.display().to_string();
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_restore")).show(ui.ctx(), |ui| {
                    ui.set_max_width(640.0);
                    ui.heading(tr.t("backups.confirm_title"));
                    ui.label(tr.f("backups.confirm_text", &[&db, &from, &stem(db_path)]));
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("backups.confirm")).clicked() {
                            action = Some(BackupsAction::Restore(row.info.path.clone()));
                            *confirm = None;
                        }
                        if ui.button(tr.t("backups.cancel")).clicked() {
                            *confirm = None;
                        }
                    });
                });
            if modal.should_close() {
                *confirm = None;
            }
        }
        action
    }
}

/// The name the replaced file keeps before `.replaced-TIME` (the store's naming).
fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The size in megabytes with one decimal (kilobytes below one megabyte).
fn size_text(tr: &Tr, bytes: u64) -> String {
    // Sizes of a database file are far below 2^52: the conversion is exact enough to show.
    #[allow(clippy::cast_precision_loss)]
    let bytes = bytes as f64;
    if bytes < 1024.0 * 1024.0 {
        tr.f("backups.kb", &[&format!("{:.0}", bytes / 1024.0)])
    } else {
        tr.f("backups.mb", &[&format!("{:.1}", bytes / 1024.0 / 1024.0)])
    }
}
