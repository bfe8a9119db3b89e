//! The first start on a computer: where the data lives — in a file on this computer (one
//! seat), or on the akimat's PostgreSQL server, shared by the officer, the commission's
//! secretary and the signatory at their own desks (issue 11). The choice is kept in the
//! settings file; a server that cannot be reached is said here, with what was typed kept.

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::start::password_ui;
use super::theme::Theme;
use super::widgets::text_field_ui;

/// What the screen asks the application to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceAction {
    /// The database file in this computer's data folder.
    ThisComputer,
    /// The server at this URL (it carries the password: never shown or logged).
    Server(String),
}

/// The choice and the server's requisites as typed.
#[derive(Debug, Clone)]
pub struct DatabaseChoiceScreen {
    pub server: bool,
    pub host: String,
    pub port: String,
    pub database: String,
    pub user: String,
    pub password: String,
    /// Why the last try failed, in the user's language.
    pub message: Option<String>,
    /// Where the file goes when this computer is chosen (shown to the user).
    pub file: String,
}

impl DatabaseChoiceScreen {
    pub fn new(file: String) -> Self {
        Self {
            server: false,
            host: String::new(),
            port: "5432".into(),
            database: "spravka".into(),
            user: "spravka".into(),
            password: String::new(),
            message: None,
            file,
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<ChoiceAction> {
        let mut action = None;
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading(tr.t("choice.title"));
        });
        ui.add_space(16.0);
        let margin = ((ui.available_width() - 640.0) / 2.0).max(0.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                ui.set_max_width(640.0);
                ui.radio_value(&mut self.server, false, tr.t("choice.this_computer"));
                ui.label(
                    RichText::new(tr.f("choice.this_computer_hint", &[&self.file]))
                        .color(theme.muted_colour()),
                );
                ui.add_space(12.0);
                ui.radio_value(&mut self.server, true, tr.t("choice.server"));
                ui.label(RichText::new(tr.t("choice.server_hint")).color(theme.muted_colour()));
                ui.add_space(8.0);
                let mut problems = Vec::new();
                if self.server {
                    let host_error = self
                        .host
                        .trim()
                        .is_empty()
                        .then(|| tr.t("choice.host_missing").to_string());
                    let port_error = port(&self.port)
                        .is_none()
                        .then(|| tr.t("choice.port_invalid").to_string());
                    let database_error = self
                        .database
                        .trim()
                        .is_empty()
                        .then(|| tr.t("choice.database_missing").to_string());
                    text_field_ui(ui, tr.t("choice.host"), &mut self.host, None, theme);
                    text_field_ui(ui, tr.t("choice.port"), &mut self.port, None, theme);
                    text_field_ui(ui, tr.t("choice.database"), &mut self.database, None, theme);
                    text_field_ui(ui, tr.t("choice.user"), &mut self.user, None, theme);
                    password_ui(ui, tr.t("choice.password"), &mut self.password);
                    problems.extend(host_error);
                    problems.extend(port_error);
                    problems.extend(database_error);
                }
                ui.add_space(8.0);
                if let Some(message) = &self.message {
                    ui.label(RichText::new(message).color(theme.error_colour()));
                }
                if ui.button(tr.t("choice.continue")).clicked() {
                    if !self.server {
                        action = Some(ChoiceAction::ThisComputer);
                    } else if problems.is_empty() {
                        self.message = None;
                        action = Some(ChoiceAction::Server(self.url()));
                    } else {
                        self.message = Some(problems.join("; "));
                    }
                }
                ui.add_space(8.0);
                ui.label(
                    RichText::new(tr.t("choice.kept"))
                        .color(theme.muted_colour())
                        .small(),
                );
            });
        });
        action
    }

    /// The server's URL from the fields: `postgres://user:password@host:port/database`.
    pub fn url(&self) -> String {
        let credentials = match (self.user.trim(), self.password.as_str()) {
            ("", _) => String::new(),
            (user, "") => format!("{}@", encode(user)),
            (user, password) => format!("{}:{}@", encode(user), encode(password)),
        };
        // A server that does not answer is said after 10 s, not after the system's TCP timeout.
        format!(
            "postgres://{credentials}{}:{}/{}?connect_timeout=10",
            self.host.trim(),
            port(&self.port).unwrap_or(5432),
            encode(self.database.trim())
        )
    }
}

fn port(text: &str) -> Option<u16> {
    text.trim().parse::<u16>().ok().filter(|p| *p > 0)
}

/// Percent-encoding of a URL's user, password or database name: every byte but the unreserved
/// ones (RFC 3986 §2.3). Written here for these three fields rather than adding a crate: the
/// rule is one line and the test below holds it.
fn encode(text: &str) -> String {
    use std::fmt::Write;
    text.bytes().fold(String::new(), |mut out, b| {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_make_a_url_the_server_reads() {
        let mut screen = DatabaseChoiceScreen::new(String::new());
        screen.host = " akimat-srv ".into();
        screen.password = "p@ss:w/rd ә".into();
        assert_eq!(
            screen.url(),
            "postgres://spravka:p%40ss%3Aw%2Frd%20%D3%99@akimat-srv:5432/spravka?connect_timeout=10"
        );
        screen.password.clear();
        screen.port = "6543".into();
        assert_eq!(
            screen.url(),
            "postgres://spravka@akimat-srv:6543/spravka?connect_timeout=10"
        );
        assert_eq!(port("0"), None);
        assert_eq!(port("70000"), None);
    }
}
