//! The administrator's tab: users, roles and the body's requisites.

use egui::Ui;

use super::App;
use crate::service::setup;
use crate::ui::admin::{AdminAction, AdminScreen};
use crate::ui::widgets;

impl App {
    pub(super) fn open_admin(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let users = setup::list_users(store, session).unwrap_or_default();
        let body = crate::service::lists::body(store).ok().flatten();
        if let Some(body) = body {
            let mut screen = AdminScreen::new(users, body);
            screen.public_keys = crate::service::printing::public_keys(store).unwrap_or_default();
            screen.trusted_roots = crate::service::eds::trusted_roots(store, session)
                .unwrap_or_default()
                .into_iter()
                .map(|(subject, at)| (subject, widgets::date(at.date())))
                .collect();
            let now = self.clock.now();
            screen.verifier = crate::service::verifier::status(store, session, now).ok();
            screen.publish_folder = self
                .admin
                .as_ref()
                .map(|s| s.publish_folder.clone())
                .filter(|f| !f.is_empty())
                .or_else(|| {
                    screen
                        .verifier
                        .as_ref()
                        .and_then(|v| v.last_published.as_ref())
                        .map(|p| p.folder.clone())
                })
                .unwrap_or_default();
            self.admin = Some(screen);
        }
    }

    pub(super) fn admin_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        if self.admin.is_none() {
            self.open_admin();
        }
        if self.admin_sections_ui(ui) {
            return;
        }
        let Some(screen) = &mut self.admin else {
            return;
        };
        let Some(action) = screen.ui(ui, &self.tr, &self.theme) else {
            return;
        };
        if action == AdminAction::AddTrustedRoot {
            self.add_trusted_root();
            return;
        }
        if let AdminAction::PublishVerifier { folder } = &action {
            let folder = folder.clone();
            self.publish_verifier(&folder);
            return;
        }
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        let reset = match &action {
            AdminAction::ResetPassword { .. } => screen.reset.clone(),
            _ => None,
        };
        // What was typed on the forms, to put back if the action is refused: a refused new user
        // keeps its name and roles (issue 14), a refused save of the requisites keeps them.
        let typed = (
            screen.new_username.clone(),
            screen.new_full_name.clone(),
            screen.new_roles.clone(),
            screen.body.clone(),
            screen.idle_minutes.clone(),
            screen.number_start.clone(),
            screen.print_folder.clone(),
            screen.verify_address.clone(),
        );
        let done = match &action {
            AdminAction::ResetPassword { .. } => "admin.reset_done",
            AdminAction::Unlock { .. } => "admin.unlocked",
            _ => "admin.saved",
        };
        let result = match action {
            AdminAction::CreateUser {
                username,
                full_name,
                password,
                roles,
            } => setup::create_user(
                store, session, &username, &full_name, &password, &roles, now,
            )
            .map(|_| ()),
            AdminAction::SetRoles {
                user_id,
                roles,
                active,
            } => setup::set_user_roles(store, session, user_id, &roles, active, now),
            AdminAction::SaveBody(body) => setup::update_body(store, session, &body, now),
            AdminAction::ResetPassword { user_id, temporary } => {
                setup::reset_password(store, session, user_id, &temporary, now)
            }
            AdminAction::Unlock { user_id } => setup::unlock_user(store, session, user_id, now),
            AdminAction::AddTrustedRoot | AdminAction::PublishVerifier { .. } => Ok(()),
        };
        let failed = result.is_err();
        let message = match result {
            Ok(()) => (true, self.tr.t(done).to_string()),
            Err(e) => (false, widgets::service_error(&self.tr, &e)),
        };
        self.lists = None;
        self.open_admin();
        if let Some(screen) = &mut self.admin {
            screen.message = Some(message);
            // A refused action keeps what was typed (the password of a new user is typed again).
            if failed {
                screen.reset = reset;
                (
                    screen.new_username,
                    screen.new_full_name,
                    screen.new_roles,
                    screen.body,
                    screen.idle_minutes,
                    screen.number_start,
                    screen.print_folder,
                    screen.verify_address,
                ) = typed;
            }
        }
    }

    /// Writes the verification page into `folder` (issue 19): the folder typed, or the body's
    /// print folder's `verifier` when none is.
    fn publish_verifier(&mut self, folder: &str) {
        let now = self.now();
        let folder = if folder.is_empty() {
            let base = self
                .lists
                .as_ref()
                .and_then(|l| l.print_folder.clone())
                .map_or_else(std::env::temp_dir, std::path::PathBuf::from);
            base.join("verifier")
        } else {
            std::path::PathBuf::from(folder)
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        let message = match crate::service::verifier::publish(store, session, now, &folder) {
            Ok(published) => (
                true,
                match &published.page {
                    Some(page) => self.tr.f(
                        "verifier.published",
                        &[&published.folder.display().to_string(), page],
                    ),
                    None => self.tr.f(
                        "verifier.published_no_address",
                        &[&published.folder.display().to_string()],
                    ),
                },
            ),
            Err(e) => (false, widgets::service_error(&self.tr, &e)),
        };
        let typed = self.admin.as_ref().map(|s| s.publish_folder.clone());
        self.open_admin();
        if let Some(screen) = &mut self.admin {
            screen.message = Some(message);
            if let Some(typed) = typed {
                screen.publish_folder = typed;
            }
        }
    }

    /// Adds the NCA RK root certificates of a file the administrator picks (R§13).
    fn add_trusted_root(&mut self) {
        let now = self.now();
        let Some(path) = (self.pick_cert_file)() else {
            return;
        };
        let message = match std::fs::read(&path) {
            Err(e) => (false, format!("{}: {e}", self.tr.t("error.read_file"))),
            Ok(bytes) => {
                let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
                    return;
                };
                match crate::service::eds::add_trusted_roots(store, session, now, &bytes) {
                    Ok(n) => (true, self.tr.f("eds.roots_added", &[&n.to_string()])),
                    Err(e) => (false, widgets::service_error(&self.tr, &e)),
                }
            }
        };
        self.open_admin();
        if let Some(screen) = &mut self.admin {
            screen.message = Some(message);
        }
    }
}
