//! The application window: start-up, sign-in, navigation by role, and the screens.
//!
//! Screens draw and return an action; [`App`] applies it after drawing (the service call, the
//! switch of screen). Nothing here writes SQL or decides a rule.

pub mod admin;
mod app;
pub mod application;
pub mod audit_log;
pub mod backups;
pub mod calendar;
pub mod commission;
pub mod eds;
pub mod help;
pub mod i18n;
pub mod intake;
pub mod preview;
pub mod reference_lists;
pub mod registry;
pub mod reports;
pub mod start;
pub mod theme;
pub mod verify;
pub mod widgets;

use std::path::Path;

pub use self::app::{App, FilePicker, Tab};

/// What every screen draws with, passed as one value instead of five arguments: the language,
/// the theme, who is signed in, the working calendar and today.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub tr: &'a i18n::Tr,
    pub theme: &'a theme::Theme,
    pub session: &'a crate::service::Session,
    pub calendar: &'a crate::domain::calendar::Calendar,
    pub today: chrono::NaiveDate,
}

/// Opens the window.
pub fn run(db_path: &Path) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([1400.0, 900.0])
            .with_title("spravka"),
        ..eframe::NativeOptions::default()
    };
    let db_path = db_path.to_path_buf();
    let result = eframe::run_native(
        "spravka",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(App::new(
                &db_path,
                Box::new(crate::service::SystemClock),
            )))
        }),
    );
    // Scans and documents opened for viewing do not outlive the window.
    app::remove_private_files();
    result
}
