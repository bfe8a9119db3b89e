//! Start-up and sign-in: opening the database, the integrity check and daily backup on another
//! thread, the error screen with its restore, first-run set-up, signing in and unlocking.

use std::path::Path;
use std::time::Instant;

use super::{App, Background, Tab};
use crate::domain::roles::Action;
use crate::service::maintenance::{self, OpenError};
use crate::service::{ServiceError, setup};
use crate::ui::registry::RegistryScreen;
use crate::ui::start::{
    FirstRunScreen, PasswordAction, SignInScreen, StartAction, StoreErrorScreen,
};
use crate::ui::widgets;

impl App {
    pub(super) fn open_store(&mut self) {
        // The whole-file integrity check reads every page (seconds at 10^6 applications): it
        // runs on another thread, and nothing is written until it passes.
        match maintenance::open_deferred_check(&self.db_path) {
            Ok(store) => {
                let set_up = setup::is_set_up(&store).unwrap_or(false);
                self.first_run = (!set_up).then(FirstRunScreen::new);
                self.store_error = None;
                self.store = Some(store);
                self.checked = false;
                let (sender, receiver) = std::sync::mpsc::channel();
                let path = self.db_path.clone();
                let now = self.now();
                std::thread::spawn(move || {
                    let checked = maintenance::startup_check(&path);
                    let ok = checked.is_ok();
                    let _ = sender.send(Background::Checked(checked));
                    if ok && set_up {
                        let _ = sender
                            .send(Background::BackedUp(maintenance::daily_backup(&path, now)));
                    }
                });
                self.background = Some(receiver);
            }
            Err(error) => self.show_store_error(&error),
        }
    }

    pub(super) fn show_store_error(&mut self, error: &OpenError) {
        let last_backup = error
            .last_backup()
            .map(Path::to_path_buf)
            .or_else(|| maintenance::last_backup(&self.db_path));
        self.store = None;
        self.session = None;
        self.store_error = Some(StoreErrorScreen {
            path: self.db_path.clone(),
            message: open_error_text(&self.tr, error),
            last_backup,
            restore_message: None,
        });
    }

    /// Takes what the start-up thread reported.
    pub(super) fn poll_background(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.background else {
            return;
        };
        let mut events = Vec::new();
        while let Ok(event) = receiver.try_recv() {
            events.push(event);
        }
        for event in events {
            match event {
                Background::Checked(Ok(())) => self.checked = true,
                Background::Checked(Err(error)) => {
                    self.background = None;
                    self.show_store_error(&error);
                    return;
                }
                Background::BackedUp(Ok(_)) => self.background = None,
                Background::BackedUp(Err(e)) => {
                    self.background = None;
                    self.say(format!("{}: {e}", self.tr.t("backup.failed")), true);
                }
            }
        }
        if self.background.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// Waits for the start-up integrity check (tests and benchmarks).
    pub fn wait_for_check(&mut self) {
        while let Some(receiver) = &self.background {
            match receiver.recv() {
                Ok(Background::Checked(Ok(()))) => {
                    self.checked = true;
                    return;
                }
                Ok(Background::Checked(Err(error))) => {
                    self.background = None;
                    self.show_store_error(&error);
                    return;
                }
                Ok(_) => {}
                Err(_) => {
                    self.background = None;
                    return;
                }
            }
        }
    }

    /// The backup made when the window closes.
    pub fn backup_on_exit(&self) {
        if let Some(store) = &self.store
            && self.session.is_some()
            && let Err(e) = maintenance::automatic_backup(store, self.now())
        {
            log::error!("the backup on exit failed: {e}");
        }
    }

    pub(super) fn start_action(&mut self, action: StartAction) {
        let now = self.now();
        let writes = matches!(
            action,
            StartAction::SignIn { .. } | StartAction::SetUp { .. }
        );
        if writes && !self.checked {
            self.wait_for_check();
            if self.store_error.is_some() {
                return;
            }
        }
        match action {
            StartAction::Retry => self.open_store(),
            StartAction::Restore(from) => match maintenance::restore(&self.db_path, &from, now) {
                Ok(_) => self.open_store(),
                Err(e) => {
                    if let Some(screen) = &mut self.store_error {
                        screen.restore_message =
                            Some(format!("{}: {e}", self.tr.t("store_error.restore_failed")));
                    }
                }
            },
            StartAction::SetUp {
                body,
                username,
                full_name,
                password,
            } => {
                let Some(store) = &mut self.store else { return };
                match setup::set_up(store, &body, &username, &full_name, &password, now) {
                    Ok(session) => {
                        self.first_run = None;
                        self.session = Some(session);
                        self.lists = None;
                        self.tab = Tab::Admin;
                        self.open_admin();
                    }
                    Err(e) => {
                        if let Some(screen) = &mut self.first_run {
                            screen.error = Some(widgets::service_error(&self.tr, &e));
                        }
                    }
                }
            }
            StartAction::SignIn { username, password } => {
                let Some(store) = &mut self.store else { return };
                match setup::sign_in(store, &username, &password, now) {
                    Ok(session) => {
                        let same_user = self
                            .session
                            .as_ref()
                            .is_some_and(|s| s.user_id == session.user_id);
                        if !same_user {
                            // Nothing another user had open stays on screen.
                            self.intake = None;
                            self.view = None;
                            self.admin = None;
                            self.backups = None;
                            self.calendar = None;
                            self.audit = None;
                            self.reports = None;
                            self.reference_lists = None;
                            self.registry = RegistryScreen::default();
                        }
                        self.tab = if same_user {
                            self.tab
                        } else if session.may(Action::ViewRegistry) {
                            Tab::Registry
                        } else if session.may(Action::ManageUsers) {
                            Tab::Admin
                        } else if session.may(Action::ViewSharedScreen) {
                            // A commission member has the shared screen only: straight to it.
                            Tab::Commission
                        } else {
                            Tab::Registry
                        };
                        self.session = Some(session);
                        self.change_password = None;
                        self.locked = false;
                        self.last_activity = Instant::now();
                        self.sign_in = SignInScreen::default();
                        if self.tab == Tab::Admin {
                            self.open_admin();
                        }
                        if self.tab == Tab::Commission {
                            self.refresh_commission();
                        }
                    }
                    Err(e) => {
                        if matches!(
                            e,
                            ServiceError::BadCredentials | ServiceError::Locked { .. }
                        ) {
                            self.sign_in.failures += 1;
                            self.sign_in.retry_at =
                                Some(Instant::now() + (self.sign_in_delay)(self.sign_in.failures));
                        } else {
                            // The database was busy or failed: the password was not judged,
                            // so it stays typed for the next try (issue 12, item 4).
                            self.sign_in.password = password;
                        }
                        self.sign_in.error = Some(widgets::service_error(&self.tr, &e));
                    }
                }
            }
        }
    }
}

impl App {
    /// Applies the change-password form: the service checks the current password; on success
    /// the forced change is over and the work opens.
    pub(super) fn password_action(&mut self, action: PasswordAction) {
        let now = self.now();
        match action {
            PasswordAction::Cancel => self.change_password = None,
            PasswordAction::Change { current, new } => {
                let (Some(store), Some(session)) = (&mut self.store, &mut self.session) else {
                    return;
                };
                match setup::change_own_password(store, session, &current, &new, now) {
                    Ok(()) => {
                        session.must_change_password = false;
                        self.change_password = None;
                        self.say(self.tr.t("password.changed").to_string(), false);
                        if self.tab == Tab::Admin {
                            self.open_admin();
                        }
                    }
                    Err(e) => {
                        if let Some(screen) = &mut self.change_password {
                            screen.error = Some(widgets::service_error(&self.tr, &e));
                        }
                    }
                }
            }
        }
    }
}

/// The error screen's text for a database that cannot be opened, in the user's language.
pub(super) fn open_error_text(tr: &crate::ui::i18n::Tr, error: &OpenError) -> String {
    match error {
        OpenError::NotSpravka { .. } => tr.t("store_error.not_spravka").into(),
        OpenError::Damaged { detail, .. } => tr.f("store_error.damaged", &[detail]),
        OpenError::Newer { found, known, .. } | OpenError::ServerNewer { found, known, .. } => tr
            .f(
                "store_error.newer",
                &[&found.to_string(), &known.to_string()],
            ),
        OpenError::Empty { .. } => tr.t("store_error.empty").into(),
        OpenError::ReadOnly { .. } => tr.t("store_error.read_only").into(),
        OpenError::Directory { .. } => tr.t("store_error.directory").into(),
        OpenError::Server { location, detail } => tr.f("store_error.server", &[location, detail]),
        OpenError::ServerNotSpravka { location } => tr.f("store_error.server_foreign", &[location]),
        other => other.to_string(),
    }
}
