//! The administrator's screen: users and roles, and the body's requisites.

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::start::password_ui;
use super::theme::Theme;
use super::widgets::text_field_ui;
use crate::domain::roles::Role;
use crate::service::setup::{Body, UserRow};

/// The width of the roles in the list of users.
const ROLES_WIDTH: f32 = 460.0;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminAction {
    CreateUser {
        username: String,
        full_name: String,
        password: String,
        roles: Vec<Role>,
    },
    SetRoles {
        user_id: i64,
        roles: Vec<Role>,
        active: bool,
    },
    SaveBody(Box<Body>),
    ResetPassword {
        user_id: i64,
        temporary: String,
    },
    Unlock {
        user_id: i64,
    },
    /// Add NCA RK root certificates for checking EDS signatures (R§13), from a file.
    AddTrustedRoot,
    /// Write the verification page and the newest signed list into a folder (issue 19).
    PublishVerifier {
        folder: String,
    },
}

/// The administrator's reset of a user's password: the temporary password being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetForm {
    pub user_id: i64,
    pub username: String,
    pub temporary: String,
}

#[derive(Debug, Clone)]
pub struct AdminScreen {
    pub users: Vec<UserRow>,
    pub body: Body,
    pub idle_minutes: String,
    pub number_start: String,
    pub print_folder: String,
    /// The verification page's address as typed (issue 19).
    pub verify_address: String,
    pub new_username: String,
    pub new_full_name: String,
    pub new_password: String,
    pub new_roles: Vec<Role>,
    pub message: Option<(bool, String)>,
    /// The public keys that verify the certificates' QR codes (hex).
    pub public_keys: Vec<crate::service::printing::PublicKeyInfo>,
    /// A password reset being typed, under the list of users.
    pub reset: Option<ResetForm>,
    /// The root certificates EDS signatures are checked against: subject, added on.
    pub trusted_roots: Vec<(String, String)>,
    /// The verification page: its address, the signed list and the last publication.
    pub verifier: Option<crate::service::verifier::VerifierStatus>,
    /// The folder the page is written into.
    pub publish_folder: String,
}

pub fn role_name(tr: &Tr, role: Role) -> &str {
    match role {
        Role::Officer => tr.t("role.officer"),
        Role::Secretary => tr.t("role.secretary"),
        Role::Member => tr.t("role.member"),
        Role::Signatory => tr.t("role.signatory"),
        Role::Admin => tr.t("role.admin"),
    }
}

impl AdminScreen {
    pub fn new(users: Vec<UserRow>, body: Body) -> Self {
        let idle_minutes = body.idle_lock_minutes.to_string();
        let number_start = body.number_start.to_string();
        let print_folder = body.print_folder.clone().unwrap_or_default();
        let verify_address = body.verify_address.clone().unwrap_or_default();
        Self {
            users,
            body,
            idle_minutes,
            number_start,
            print_folder,
            verify_address,
            new_username: String::new(),
            new_full_name: String::new(),
            new_password: String::new(),
            new_roles: vec![Role::Officer],
            message: None,
            public_keys: Vec::new(),
            reset: None,
            trusted_roots: Vec::new(),
            verifier: None,
            publish_folder: String::new(),
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<AdminAction> {
        let mut action = None;
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.heading(tr.t("admin.title"));
                // The screen's message goes to the window's status bar, in sight wherever the
                // page is scrolled (issue 14: errors at the top of a long page, out of sight).
                ui.label(RichText::new(tr.t("admin.users")).strong());
                let mut reset = None;
                egui::Grid::new("users")
                    .num_columns(5)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong(tr.t("user.username"));
                        ui.strong(tr.t("user.full_name"));
                        ui.strong(tr.t("admin.roles"));
                        ui.strong(tr.t("admin.active"));
                        ui.label("");
                        ui.end_row();
                        for user in &mut self.users {
                            ui.label(&user.username);
                            ui.label(&user.full_name);
                            let mut changed = false;
                            // The roles wrap onto two lines so that the password actions fit
                            // the window's default width.
                            ui.horizontal_wrapped(|ui| {
                                ui.set_max_width(ROLES_WIDTH);
                                for role in Role::ALL {
                                    let mut has = user.roles.contains(&role);
                                    if ui.checkbox(&mut has, role_name(tr, role)).changed() {
                                        changed = true;
                                        if has {
                                            user.roles.push(role);
                                        } else {
                                            user.roles.retain(|r| *r != role);
                                        }
                                    }
                                }
                            });
                            changed |= ui
                                .checkbox(&mut user.active, tr.t("admin.active"))
                                .changed();
                            if changed {
                                action = Some(AdminAction::SetRoles {
                                    user_id: user.id,
                                    roles: user.roles.clone(),
                                    active: user.active,
                                });
                            }
                            ui.horizontal(|ui| {
                                if ui.button(tr.t("admin.reset_password")).clicked() {
                                    reset = Some(ResetForm {
                                        user_id: user.id,
                                        username: user.username.clone(),
                                        temporary: String::new(),
                                    });
                                }
                                if user.locked_until.is_some() {
                                    ui.label(
                                        RichText::new(tr.t("admin.locked"))
                                            .color(theme.error_colour()),
                                    );
                                    if ui.button(tr.t("admin.unlock")).clicked() {
                                        action = Some(AdminAction::Unlock { user_id: user.id });
                                    }
                                }
                            });
                            ui.end_row();
                        }
                    });
                if reset.is_some() {
                    self.reset = reset;
                }
                if let Some(form) = &mut self.reset {
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr.f("admin.reset_for", &[&form.username])).strong());
                    password_ui(ui, tr.t("admin.temporary_password"), &mut form.temporary);
                    let mut close = false;
                    ui.horizontal(|ui| {
                        ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
                        if ui.button(tr.t("admin.reset")).clicked() {
                            action = Some(AdminAction::ResetPassword {
                                user_id: form.user_id,
                                temporary: form.temporary.clone(),
                            });
                        }
                        close = ui.button(tr.t("password.cancel")).clicked();
                    });
                    if close {
                        self.reset = None;
                    }
                }
                ui.add_space(8.0);
                ui.label(RichText::new(tr.t("admin.new_user")).strong());
                text_field_ui(
                    ui,
                    tr.t("user.username"),
                    &mut self.new_username,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("user.full_name"),
                    &mut self.new_full_name,
                    None,
                    theme,
                );
                password_ui(ui, tr.t("user.password"), &mut self.new_password);
                ui.horizontal(|ui| {
                    ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
                    for role in Role::ALL {
                        let mut has = self.new_roles.contains(&role);
                        if ui.checkbox(&mut has, role_name(tr, role)).changed() {
                            if has {
                                self.new_roles.push(role);
                            } else {
                                self.new_roles.retain(|r| *r != role);
                            }
                        }
                    }
                });
                if ui.button(tr.t("admin.create_user")).clicked() {
                    action = Some(AdminAction::CreateUser {
                        username: self.new_username.clone(),
                        full_name: self.new_full_name.clone(),
                        password: std::mem::take(&mut self.new_password),
                        roles: self.new_roles.clone(),
                    });
                }
                ui.add_space(12.0);
                ui.label(RichText::new(tr.t("admin.body")).strong());
                let body = &mut self.body;
                text_field_ui(ui, tr.t("body.name_ru"), &mut body.name_ru, None, theme);
                text_field_ui(ui, tr.t("body.name_kk"), &mut body.name_kk, None, theme);
                text_field_ui(ui, tr.t("body.region"), &mut body.region, None, theme);
                text_field_ui(
                    ui,
                    tr.t("body.signatory_name"),
                    &mut body.signatory_name,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("body.signatory_position"),
                    &mut body.signatory_position,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("body.number_pattern"),
                    &mut body.number_pattern,
                    None,
                    theme,
                );
                ui.checkbox(&mut body.number_per_year, tr.t("body.number_per_year"));
                text_field_ui(
                    ui,
                    tr.t("body.number_start"),
                    &mut self.number_start,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("body.print_folder"),
                    &mut self.print_folder,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("verifier.address"),
                    &mut self.verify_address,
                    None,
                    theme,
                );
                text_field_ui(
                    ui,
                    tr.t("body.idle_minutes"),
                    &mut self.idle_minutes,
                    None,
                    theme,
                );
                ui.add_space(8.0);
                ui.label(RichText::new(tr.t("admin.public_key")).strong());
                if self.public_keys.is_empty() {
                    ui.label(tr.t("admin.no_key"));
                }
                for key in &self.public_keys {
                    let holder = key
                        .holder
                        .clone()
                        .unwrap_or_else(|| tr.t("admin.body_key").to_string());
                    let since = key.created_on.format("%d.%m.%Y").to_string();
                    let period = match &key.retired {
                        Some((until, why)) => tr.f(
                            "admin.key_retired",
                            &[&since, &until.format("%d.%m.%Y").to_string(), why],
                        ),
                        None => tr.f("admin.key_since", &[&since]),
                    };
                    ui.label(
                        RichText::new(format!(
                            "{} — {} — {holder}, {period}",
                            key.fingerprint, key.hex
                        ))
                        .monospace(),
                    );
                }
                ui.add_space(8.0);
                ui.label(RichText::new(tr.t("eds.roots_title")).strong());
                if self.trusted_roots.is_empty() {
                    ui.label(tr.t("eds.roots_none"));
                }
                for (subject, added) in &self.trusted_roots {
                    ui.label(format!("{subject} · {added}"));
                }
                if ui.button(tr.t("eds.add_root")).clicked() {
                    action = Some(AdminAction::AddTrustedRoot);
                }
                ui.add_space(8.0);
                if let Some(publish) = self.verifier_ui(ui, tr, theme) {
                    action = Some(publish);
                }
                ui.add_space(8.0);
                if ui.button(tr.t("admin.save_body")).clicked() {
                    let mut body = self.body.clone();
                    let folder = self.print_folder.trim();
                    body.print_folder = (!folder.is_empty()).then(|| folder.to_string());
                    let address = self.verify_address.trim();
                    body.verify_address = (!address.is_empty()).then(|| address.to_string());
                    match (
                        self.idle_minutes.trim().parse::<u32>(),
                        self.number_start.trim().parse::<u32>(),
                    ) {
                        (Ok(minutes), Ok(start)) if minutes >= 1 && start >= 1 => {
                            body.idle_lock_minutes = minutes;
                            body.number_start = start;
                            action = Some(AdminAction::SaveBody(Box::new(body)));
                        }
                        _ => self.message = Some((false, tr.t("admin.bad_minutes").into())),
                    }
                }
            });
        action
    }

    /// The verification page (issue 19): where it is, how old the signed list is, when it was
    /// last published, and the action that writes it into a folder.
    fn verifier_ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<AdminAction> {
        let mut action = None;
        ui.label(RichText::new(tr.t("verifier.title")).strong());
        let Some(status) = &self.verifier else {
            return None;
        };
        let time = |t: &chrono::NaiveDateTime| t.format("%d.%m.%Y %H:%M").to_string();
        match &status.page {
            Some(page) => ui.label(tr.f("verifier.page_at", &[page])),
            None => ui.label(tr.t("verifier.no_address")),
        };
        match &status.list {
            Some(list) => {
                ui.label(tr.f(
                    "verifier.list_signed",
                    &[
                        &time(&list.signed_at),
                        &list.signed_by,
                        &list.withdrawn.to_string(),
                    ],
                ));
                if list.changes_since > 0 {
                    ui.label(
                        RichText::new(
                            tr.f("verifier.changes_since", &[&list.changes_since.to_string()]),
                        )
                        .color(theme.error_colour()),
                    );
                }
            }
            None => {
                ui.label(RichText::new(tr.t("verifier.no_list")).color(theme.error_colour()));
            }
        }
        match &status.last_published {
            Some(p) => ui.label(tr.f(
                "verifier.last_published",
                &[
                    &time(&p.published_at),
                    &p.published_by,
                    &p.folder,
                    &time(&p.list_signed_at),
                ],
            )),
            None => ui.label(tr.t("verifier.never_published")),
        };
        text_field_ui(
            ui,
            tr.t("verifier.folder"),
            &mut self.publish_folder,
            None,
            theme,
        );
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            if ui.button(tr.t("verifier.publish")).clicked() {
                action = Some(AdminAction::PublishVerifier {
                    folder: self.publish_folder.trim().to_string(),
                });
            }
        });
        action
    }
}
