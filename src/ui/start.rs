//! Before the work starts: a database that cannot be opened, the first run, signing in.

use std::path::PathBuf;

use chrono::NaiveTime;
use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets::{self, text_field_ui};
use crate::domain::deadline::WorkingHours;
use crate::service::setup::Body;

/// What a start screen asks the application to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartAction {
    Restore(PathBuf),
    Retry,
    SetUp {
        body: Box<Body>,
        username: String,
        full_name: String,
        password: String,
    },
    SignIn {
        username: String,
        password: String,
    },
}

/// The database could not be opened: what, where, and the last backup to restore.
#[derive(Debug, Clone)]
pub struct StoreErrorScreen {
    pub path: PathBuf,
    pub message: String,
    pub last_backup: Option<PathBuf>,
    pub restore_message: Option<String>,
}

impl StoreErrorScreen {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<StartAction> {
        let Self {
            path,
            message,
            last_backup,
            restore_message,
        } = self;
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(tr.t("store_error.title"));
        });
        ui.add_space(16.0);
        // A server is not a file: its own words, and no backups beside it to offer.
        let server = crate::service::maintenance::server_url(path).is_some();
        let (what, untouched) = if server {
            ("store_error.server_at", "store_error.server_untouched")
        } else {
            ("store_error.file", "store_error.untouched")
        };
        ui.label(RichText::new(tr.t(what)).strong());
        ui.label(crate::service::maintenance::display_location(path));
        ui.add_space(8.0);
        ui.label(RichText::new(message.as_str()).color(theme.error_colour()));
        ui.add_space(8.0);
        ui.label(tr.t(untouched));
        ui.add_space(8.0);
        match last_backup {
            Some(backup) => {
                ui.label(tr.f("store_error.last_backup", &[&backup.display().to_string()]));
                if ui.button(tr.t("store_error.restore")).clicked() {
                    action = Some(StartAction::Restore(backup.clone()));
                }
            }
            None if !server => {
                ui.label(tr.t("store_error.no_backup"));
            }
            None => {}
        }
        if ui.button(tr.t("store_error.retry")).clicked() {
            action = Some(StartAction::Retry);
        }
        if let Some(text) = restore_message {
            ui.label(text.as_str());
        }
        action
    }
}

/// The first run: the body's requisites and the first administrator.
#[derive(Debug, Clone, Default)]
pub struct FirstRunScreen {
    pub name_ru: String,
    pub name_kk: String,
    pub region: String,
    pub signatory_name: String,
    pub signatory_position: String,
    pub work_start: String,
    pub work_end: String,
    pub username: String,
    pub full_name: String,
    pub password: String,
    pub password_again: String,
    pub error: Option<String>,
}

impl FirstRunScreen {
    pub fn new() -> Self {
        Self {
            work_start: "09:00".into(),
            work_end: "18:30".into(),
            username: "admin".into(),
            ..Self::default()
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<StartAction> {
        let mut action = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(tr.t("first_run.title"));
            ui.label(tr.t("first_run.intro"));
            ui.add_space(8.0);
            ui.label(RichText::new(tr.t("first_run.body")).strong());
            text_field_ui(ui, tr.t("body.name_ru"), &mut self.name_ru, None, theme);
            text_field_ui(ui, tr.t("body.name_kk"), &mut self.name_kk, None, theme);
            text_field_ui(ui, tr.t("body.region"), &mut self.region, None, theme);
            text_field_ui(
                ui,
                tr.t("body.signatory_name"),
                &mut self.signatory_name,
                None,
                theme,
            );
            text_field_ui(
                ui,
                tr.t("body.signatory_position"),
                &mut self.signatory_position,
                None,
                theme,
            );
            text_field_ui(
                ui,
                tr.t("body.work_start"),
                &mut self.work_start,
                None,
                theme,
            );
            text_field_ui(ui, tr.t("body.work_end"), &mut self.work_end, None, theme);
            ui.add_space(8.0);
            ui.label(RichText::new(tr.t("first_run.admin")).strong());
            text_field_ui(ui, tr.t("user.username"), &mut self.username, None, theme);
            text_field_ui(ui, tr.t("user.full_name"), &mut self.full_name, None, theme);
            password_ui(ui, tr.t("user.password"), &mut self.password);
            password_ui(ui, tr.t("user.password_again"), &mut self.password_again);
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(theme.error_colour()));
            }
            if ui.button(tr.t("first_run.create")).clicked() {
                let parse = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
                if self.password != self.password_again {
                    self.error = Some(tr.t("first_run.passwords_differ").into());
                } else if let (Some(start), Some(end)) =
                    (parse(&self.work_start), parse(&self.work_end))
                {
                    let mut body = Body::new(
                        &self.name_ru,
                        &self.name_kk,
                        &self.region,
                        &self.signatory_name,
                        &self.signatory_position,
                    );
                    body.hours = WorkingHours { start, end };
                    action = Some(StartAction::SetUp {
                        body: Box::new(body),
                        username: self.username.clone(),
                        full_name: self.full_name.clone(),
                        password: self.password.clone(),
                    });
                } else {
                    self.error = Some(tr.t("first_run.bad_hours").into());
                }
            }
        });
        action
    }
}

/// A password field tied to its label.
pub fn password_ui(ui: &mut Ui, label: &str, value: &mut String) -> egui::Response {
    ui.horizontal(|ui| {
        let label = widgets::form_label(ui, label);
        ui.add(
            egui::TextEdit::singleline(value)
                .password(true)
                .desired_width(320.0),
        )
        .labelled_by(label.id)
    })
    .inner
}

/// Signing in, or unlocking after the idle time.
#[derive(Debug, Clone, Default)]
pub struct SignInScreen {
    pub username: String,
    pub password: String,
    pub error: Option<String>,
    /// Set when the window was locked for inactivity: the same user signs in again.
    pub locked_user: Option<String>,
    pub focused_once: bool,
    /// The start-up integrity check is still running (shown under the form).
    pub checking: bool,
    /// Wrong passwords in a row at this window, and when the next attempt may go: each failure
    /// after the first makes the wait longer (`domain::password::retry_delay`).
    pub failures: u32,
    pub retry_at: Option<std::time::Instant>,
}

impl SignInScreen {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        body_name: &str,
    ) -> Option<StartAction> {
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(tr.t("app.title"));
            ui.label(body_name);
            ui.add_space(20.0);
            if self.locked_user.is_some() {
                ui.label(tr.t("sign_in.locked"));
            }
        });
        ui.add_space(8.0);
        let margin = ((ui.available_width() - 560.0) / 2.0).max(0.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| self.form_ui(ui, tr, theme, &mut action));
        });
        action
    }

    fn form_ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme, action: &mut Option<StartAction>) {
        if let Some(user) = &self.locked_user {
            self.username.clone_from(user);
        }
        let name = text_field_ui(ui, tr.t("user.username"), &mut self.username, None, theme);
        if !self.focused_once {
            // The cursor starts in the first field, once; after that the user moves it.
            name.request_focus();
            self.focused_once = true;
        }
        let pass = password_ui(ui, tr.t("user.password"), &mut self.password);
        let enter = pass.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if let Some(error) = &self.error {
            ui.label(RichText::new(error).color(theme.error_colour()));
        }
        let wait = self
            .retry_at
            .and_then(|at| at.checked_duration_since(std::time::Instant::now()))
            .filter(|w| !w.is_zero());
        if let Some(wait) = wait {
            ui.label(
                RichText::new(tr.f("sign_in.wait", &[&(wait.as_secs() + 1).to_string()]))
                    .color(theme.muted_colour()),
            );
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(250));
        }
        let clicked = ui
            .add_enabled(wait.is_none(), egui::Button::new(tr.t("sign_in.button")))
            .clicked();
        if (clicked || enter) && wait.is_none() {
            *action = Some(StartAction::SignIn {
                username: self.username.clone(),
                password: std::mem::take(&mut self.password),
            });
        }
        if self.checking {
            ui.label(
                RichText::new(tr.t("start.checking"))
                    .small()
                    .color(theme.muted_colour()),
            );
        }
    }
}

/// What the change-password form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordAction {
    Change { current: String, new: String },
    Cancel,
}

/// Changing one's own password: forced after the administrator's reset, or asked for from the
/// top bar.
#[derive(Debug, Clone, Default)]
pub struct ChangePasswordScreen {
    pub current: String,
    pub new: String,
    pub again: String,
    pub error: Option<String>,
    /// After a reset: no way back to the work until the password is changed.
    pub forced: bool,
}

impl ChangePasswordScreen {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<PasswordAction> {
        let Self {
            current,
            new,
            again,
            error,
            forced,
        } = self;
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(tr.t("password.title"));
            if *forced {
                ui.label(tr.t("password.forced"));
            }
        });
        ui.add_space(12.0);
        let margin = ((ui.available_width() - 560.0) / 2.0).max(0.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                password_ui(ui, tr.t("password.current"), current);
                password_ui(ui, tr.t("password.new"), new);
                password_ui(ui, tr.t("password.again"), again);
                ui.horizontal(|ui| {
                    if ui.button(tr.t("password.change")).clicked() {
                        if new == again {
                            action = Some(PasswordAction::Change {
                                current: current.clone(),
                                new: new.clone(),
                            });
                        } else {
                            *error = Some(tr.t("password.differ").into());
                        }
                    }
                    if !*forced && ui.button(tr.t("password.cancel")).clicked() {
                        action = Some(PasswordAction::Cancel);
                    }
                });
                // Under the button, so that the message does not move it.
                if let Some(text) = error {
                    ui.label(RichText::new(text.as_str()).color(theme.error_colour()));
                }
            });
        });
        action
    }
}
