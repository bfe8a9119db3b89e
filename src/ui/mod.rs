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
pub mod database_choice;
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

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::platform::settings::RendererName;

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

/// How the window is opened (see `launch`).
pub struct WindowOptions {
    pub renderer: RendererName,
    pub lang: i18n::Lang,
    /// Where the language chosen is remembered.
    pub settings_file: Option<PathBuf>,
    /// Ask first whether the data lives on this computer or on the akimat's server (the first
    /// start on a computer); the database path is then this computer's default.
    pub choose_database: bool,
    /// Called once, when the first frame is drawn: the renderer works.
    pub on_started: Option<Box<dyn FnOnce()>>,
}

/// Why the window ended with an error.
#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    /// The renderer could not start: no frame was drawn. Another renderer may do.
    #[error("the {renderer} renderer cannot start: {message}")]
    NotStarted {
        renderer: RendererName,
        message: String,
    },
    /// The window was open and then failed.
    #[error("the window failed: {0}")]
    Failed(String),
}

/// The application's icon (also in the `.deb` and the Windows installer).
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon/spravka-256.png");

/// The app id: the Wayland app id and the X11 WM_CLASS, matching `spravka.desktop`.
pub const APP_ID: &str = "spravka";

/// Whether this build has `renderer` (both are in the default build).
pub fn renderer_built(renderer: RendererName) -> bool {
    match renderer {
        RendererName::Wgpu => cfg!(feature = "wgpu"),
        RendererName::Glow => cfg!(feature = "glow"),
    }
}

fn eframe_renderer(renderer: RendererName) -> eframe::Renderer {
    match renderer {
        #[cfg(feature = "wgpu")]
        RendererName::Wgpu => eframe::Renderer::Wgpu,
        #[cfg(feature = "glow")]
        RendererName::Glow => eframe::Renderer::Glow,
        // A build with one renderer only: the one it has.
        #[allow(unreachable_patterns)]
        _ => eframe::Renderer::default(),
    }
}

/// The window's state with a watch on the first frame.
struct Window {
    app: App,
    started: Arc<AtomicBool>,
    on_started: Option<Box<dyn FnOnce()>>,
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if !self.started.swap(true, Ordering::SeqCst)
            && let Some(on_started) = self.on_started.take()
        {
            on_started();
        }
        eframe::App::ui(&mut self.app, ui, frame);
    }

    #[cfg(feature = "glow")]
    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        eframe::App::on_exit(&mut self.app, gl);
    }

    #[cfg(not(feature = "glow"))]
    fn on_exit(&mut self) {
        eframe::App::on_exit(&mut self.app);
    }
}

/// Opens the window with the renderer of `options`. A renderer that cannot start (an error or
/// a panic before the first frame) is reported as [`WindowError::NotStarted`]: one event loop
/// per process, so trying the other one is for a new process (`launch`).
pub fn run(db_path: &Path, options: WindowOptions) -> Result<(), WindowError> {
    let WindowOptions {
        renderer,
        lang,
        settings_file,
        choose_database,
        on_started,
    } = options;
    let mut viewport = egui::ViewportBuilder::default()
        .with_inner_size([1400.0, 900.0])
        .with_title("spravka")
        .with_app_id(APP_ID);
    match eframe::icon_data::from_png_bytes(ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(e) => log::warn!("the window icon cannot be read: {e}"),
    }
    let native = eframe::NativeOptions {
        viewport,
        renderer: eframe_renderer(renderer),
        ..eframe::NativeOptions::default()
    };
    let db_path = db_path.to_path_buf();
    let started = Arc::new(AtomicBool::new(false));
    let watch = Arc::clone(&started);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            "spravka",
            native,
            Box::new(move |_cc| {
                let clock = Box::new(crate::service::SystemClock);
                let mut app = if choose_database {
                    App::choosing(&db_path, clock)
                } else {
                    App::in_language(&db_path, clock, lang)
                };
                app.tr.lang = lang;
                app.settings_file = settings_file;
                Ok(Box::new(Window {
                    app,
                    started: watch,
                    on_started,
                }))
            }),
        )
    }));
    // Scans and documents opened for viewing do not outlive the window.
    app::remove_private_files();
    let message = match result {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => e.to_string(),
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string()),
    };
    if started.load(Ordering::SeqCst) {
        Err(WindowError::Failed(message))
    } else {
        Err(WindowError::NotStarted { renderer, message })
    }
}
