//! The application window: start-up, sign-in, navigation by role, and the screens.
//!
//! Screens draw and return an action; [`App`] applies it after drawing (the service call, the
//! switch of screen). Nothing here writes SQL or decides a rule.

pub mod admin;
pub mod application;
pub mod commission;
pub mod i18n;
pub mod intake;
pub mod preview;
pub mod registry;
pub mod start;
pub mod theme;
pub mod verify;
pub mod widgets;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use self::admin::{AdminAction, AdminScreen};
use self::application::{ApplicationScreen, ViewAction};
use self::commission::{CommissionAction, CommissionScreen, View as CommissionView};
use self::i18n::{Lang, Tr};
use self::intake::{IntakeAction, IntakeScreen};
use self::registry::{RegistryAction, RegistryScreen};
use self::start::{FirstRunScreen, SignInScreen, StartAction, StoreErrorScreen};
use self::theme::Theme;
use crate::domain::calendar::Calendar;
use crate::domain::deadline::WorkingHours;
use crate::domain::roles::Action;
use crate::service::applications::{self, ProfessionRow};
use crate::service::{Clock, ServiceError, Session, setup};
use crate::store::{OpenError, Store, backup, check, reference};

/// Which main screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Registry,
    Intake,
    Application,
    Commission,
    Verify,
    Admin,
}

/// Picks a file to attach (the system dialog; tests replace it).
pub type FilePicker = Box<dyn FnMut() -> Option<PathBuf>>;

/// What is loaded once per session: the calendar, the hours, the professions.
struct Lists {
    calendar: Calendar,
    hours: WorkingHours,
    professions: Vec<ProfessionRow>,
    body_name: String,
    idle_minutes: u32,
    /// The scoring scheme in force (R§10), read once per session, not per frame.
    scheme: crate::domain::scoring::Scheme,
}

/// The whole application state.
// The flags are independent states of the window (locked, checked, fonts, shared screen).
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    pub tr: Tr,
    pub theme: Theme,
    clock: Box<dyn Clock>,
    db_path: PathBuf,
    store: Option<Store>,
    pub session: Option<Session>,
    store_error: Option<StoreErrorScreen>,
    first_run: Option<FirstRunScreen>,
    pub sign_in: SignInScreen,
    pub tab: Tab,
    pub registry: RegistryScreen,
    pub intake: Option<IntakeScreen>,
    pub view: Option<ApplicationScreen>,
    pub admin: Option<AdminScreen>,
    pub commission: CommissionScreen,
    pub verify: verify::VerifyScreen,
    /// The type size of the shared screen, set by the operator.
    pub shared_scale: f32,
    /// The shared screen was switched on or off: apply its visuals and full screen next frame.
    shared_changed: bool,
    lists: Option<Lists>,
    last_activity: Instant,
    pub locked: bool,
    fonts_installed: bool,
    pick_file: FilePicker,
    status_line: Option<String>,
    /// A batch print running on another thread: (done, total) and the result.
    batch: Option<std::sync::mpsc::Receiver<BatchEvent>>,
    pub batch_progress: Option<(usize, usize)>,
    /// The integrity check and the daily backup, running on another thread after start-up.
    background: Option<std::sync::mpsc::Receiver<Background>>,
    /// The integrity check passed: writing (signing in, set-up) is allowed.
    pub checked: bool,
}

/// What a batch print reports.
#[derive(Debug)]
enum BatchEvent {
    Progress(usize, usize),
    Done(Result<(Vec<u8>, usize), String>),
}

/// What the start-up thread reports.
#[derive(Debug)]
enum Background {
    Checked(Result<(), OpenError>),
    BackedUp(Result<Option<PathBuf>, crate::store::StoreError>),
}

impl App {
    /// Opens the database at `db_path` (creating it when new). A failure becomes the error
    /// screen, never a panic.
    pub fn new(db_path: &Path, clock: Box<dyn Clock>) -> Self {
        let mut app = Self {
            tr: Tr::new(Lang::Ru),
            theme: Theme::default(),
            clock,
            db_path: db_path.to_path_buf(),
            store: None,
            session: None,
            store_error: None,
            first_run: None,
            sign_in: SignInScreen::default(),
            tab: Tab::Registry,
            registry: RegistryScreen::default(),
            intake: None,
            view: None,
            admin: None,
            commission: CommissionScreen::default(),
            verify: verify::VerifyScreen::default(),
            shared_scale: 1.5,
            shared_changed: false,
            lists: None,
            last_activity: Instant::now(),
            locked: false,
            fonts_installed: false,
            background: None,
            batch: None,
            batch_progress: None,
            checked: false,
            pick_file: Box::new(|| {
                rfd::FileDialog::new()
                    .add_filter("PDF, JPEG, PNG", &["pdf", "jpg", "jpeg", "png"])
                    .pick_file()
            }),
            status_line: None,
        };
        app.open_store();
        app
    }

    /// Starts a session without the sign-in screen (benchmarks and tests that are not about
    /// signing in).
    pub fn start_session(&mut self, session: Session) {
        self.session = Some(session);
        self.locked = false;
        self.tab = Tab::Registry;
    }

    /// Opens an application as a double click in the registry would.
    pub fn open(&mut self, id: i64) {
        self.open_application(id);
    }

    /// Replaces the file dialog (tests never open a real one).
    pub fn set_file_picker(&mut self, picker: FilePicker) {
        self.pick_file = picker;
    }

    fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    fn open_store(&mut self) {
        // The whole-file integrity check reads every page (seconds at 10^6 applications): it
        // runs on another thread, and nothing is written until it passes.
        match Store::open_deferred_check(&self.db_path) {
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
                    let checked = crate::store::quick_check(&path);
                    let ok = checked.is_ok();
                    let _ = sender.send(Background::Checked(checked));
                    if ok && set_up {
                        let _ = sender.send(Background::BackedUp(backup::daily_backup(&path, now)));
                    }
                });
                self.background = Some(receiver);
            }
            Err(error) => self.show_store_error(&error),
        }
    }

    fn show_store_error(&mut self, error: &OpenError) {
        let last_backup = error
            .last_backup()
            .map(Path::to_path_buf)
            .or_else(|| backup::last_backup(&self.db_path));
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
    fn poll_background(&mut self, ctx: &egui::Context) {
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
                    self.status_line = Some(format!("{}: {e}", self.tr.t("backup.failed")));
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
            && let Err(e) = backup::automatic_backup(store.conn(), &self.db_path, self.now())
        {
            eprintln!("spravka: the backup on exit failed: {e}");
        }
    }

    fn load_lists(&mut self) {
        let Some(store) = &self.store else { return };
        let calendar =
            reference::calendar(&crate::store::Tx::wrap(store.conn())).unwrap_or_default();
        let body = setup::body(store.conn()).ok().flatten();
        let hours = body
            .as_ref()
            .map_or_else(WorkingHours::default, |b| b.hours);
        let professions = applications::professions(store).unwrap_or_default();
        let scheme = self.scheme();
        self.lists = Some(Lists {
            scheme,
            calendar,
            hours,
            professions,
            body_name: body.as_ref().map(|b| b.name_ru.clone()).unwrap_or_default(),
            idle_minutes: body.map_or(15, |b| b.idle_lock_minutes),
        });
    }

    /// Draws one frame of the whole application.
    pub fn ui(&mut self, ui: &mut Ui) {
        if !self.fonts_installed {
            theme::install_fonts(ui.ctx());
            self.theme.apply(ui.ctx());
            self.fonts_installed = true;
        }
        self.poll_background(ui.ctx());
        self.poll_batch(ui.ctx());
        if ui.input(|i| !i.events.is_empty() || i.pointer.is_moving()) {
            self.last_activity = Instant::now();
        }
        if let (Some(session), Some(lists)) = (&self.session, &self.lists)
            && !self.locked
            && self.last_activity.elapsed().as_secs() >= u64::from(lists.idle_minutes) * 60
        {
            self.locked = true;
            self.sign_in = SignInScreen {
                locked_user: Some(session.username.clone()),
                ..SignInScreen::default()
            };
        }
        if self.shared_changed {
            self.shared_changed = false;
            let on = self.commission.shared;
            // High contrast on the projector: dark visuals, full screen; back to the desk's theme after.
            let theme = if on {
                theme::Theme {
                    dark: true,
                    scale: 1.0,
                }
            } else {
                self.theme
            };
            theme.apply(ui.ctx());
            ui.ctx()
                .send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
        }
        if self.commission.shared && self.session.is_some() && !self.locked {
            egui::CentralPanel::default().show(ui, |ui| self.shared_ui(ui));
            return;
        }
        self.top_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new(self.tr.t("app.title")).strong());
                if let Some(session) = self.session.clone()
                    && !self.locked
                {
                    ui.separator();
                    let registry = self.tr.t("tab.registry").to_string();
                    if session.may(Action::ViewRegistry)
                        && ui
                            .selectable_label(self.tab == Tab::Registry, registry)
                            .clicked()
                    {
                        self.tab = Tab::Registry;
                    }
                    if let Some(intake) = &self.intake {
                        let title = format!(
                            "{}{}",
                            self.tr.t("tab.intake"),
                            if intake.dirty { " *" } else { "" }
                        );
                        if ui
                            .selectable_label(self.tab == Tab::Intake, title)
                            .clicked()
                        {
                            self.tab = Tab::Intake;
                        }
                    }
                    if let Some(view) = &self.view {
                        let title = view.file.application.number.clone();
                        if ui
                            .selectable_label(self.tab == Tab::Application, title)
                            .clicked()
                        {
                            self.tab = Tab::Application;
                        }
                    }
                    if (session.may(Action::ManageCommission)
                        || session.may(Action::ViewSharedScreen))
                        && ui
                            .selectable_label(
                                self.tab == Tab::Commission,
                                self.tr.t("tab.commission"),
                            )
                            .clicked()
                    {
                        self.tab = Tab::Commission;
                        self.refresh_commission();
                    }
                    if (session.may(Action::Print) || session.may(Action::ViewRegistry))
                        && ui
                            .selectable_label(self.tab == Tab::Verify, self.tr.t("tab.verify"))
                            .clicked()
                    {
                        self.tab = Tab::Verify;
                    }
                    if session.may(Action::ManageUsers)
                        && ui
                            .selectable_label(self.tab == Tab::Admin, self.tr.t("tab.admin"))
                            .clicked()
                    {
                        self.tab = Tab::Admin;
                        self.open_admin();
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(session) = self.session.clone()
                        && !self.locked
                        && ui.button(self.tr.t("top.sign_out")).clicked()
                    {
                        self.sign_out(&session);
                    }
                    if let Some(session) = &self.session {
                        ui.label(&session.full_name);
                    }
                    let theme_label = if self.theme.dark {
                        self.tr.t("top.light")
                    } else {
                        self.tr.t("top.dark")
                    };
                    if ui.button(theme_label).clicked() {
                        self.theme.dark = !self.theme.dark;
                        self.theme.apply(ui.ctx());
                    }
                    for (lang, label) in [(Lang::Kk, "Қазақша"), (Lang::Ru, "Русский")]
                    {
                        if ui.selectable_label(self.tr.lang == lang, label).clicked() {
                            self.tr.lang = lang;
                        }
                    }
                });
            });
            if let Some((done, total)) = self.batch_progress {
                let fraction = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(egui::ProgressBar::new(fraction).text(self.tr.f(
                    "registry.printing",
                    &[&done.to_string(), &total.to_string()],
                )));
            }
            if let Some(line) = &self.status_line {
                ui.label(RichText::new(line).small().color(self.theme.muted_colour()));
            }
        });
    }

    fn sign_out(&mut self, session: &Session) {
        let _ = session;
        self.session = None;
        self.intake = None;
        self.view = None;
        self.admin = None;
        self.registry = RegistryScreen::default();
        self.sign_in = SignInScreen::default();
        self.tab = Tab::Registry;
    }

    fn central(&mut self, ui: &mut Ui) {
        if let Some(screen) = &mut self.store_error {
            if let Some(action) = screen.ui(ui, &self.tr, &self.theme) {
                self.start_action(action);
            }
            return;
        }
        if let Some(screen) = &mut self.first_run {
            if let Some(action) = screen.ui(ui, &self.tr, &self.theme) {
                self.start_action(action);
            }
            return;
        }
        if self.lists.is_none() {
            self.load_lists();
        }
        if self.session.is_none() || self.locked {
            self.sign_in.checking = !self.checked;
            let body_name = self
                .lists
                .as_ref()
                .map(|l| l.body_name.clone())
                .unwrap_or_default();
            if let Some(action) = self.sign_in.ui(ui, &self.tr, &self.theme, &body_name) {
                self.start_action(action);
            }
            return;
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
            self.tab = Tab::Registry;
            self.registry.focus_search = true;
        }
        match self.tab {
            Tab::Registry => self.registry_ui(ui),
            Tab::Intake => self.intake_ui(ui),
            Tab::Application => self.view_ui(ui),
            Tab::Commission => self.commission_ui(ui),
            Tab::Verify => {
                if self.verify.ui(ui, &self.tr, &self.theme)
                    && let Some(store) = &self.store
                {
                    match crate::service::printing::verify(store, &self.verify.input) {
                        Ok(v) => self.verify.result = Some(v),
                        Err(e) => self.status_line = Some(widgets::service_error(&self.tr, &e)),
                    }
                }
            }
            Tab::Admin => self.admin_ui(ui),
        }
    }

    fn start_action(&mut self, action: StartAction) {
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
            StartAction::Restore(from) => match check::restore(&self.db_path, &from, now) {
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
                            self.intake = None;
                            self.view = None;
                            self.registry = RegistryScreen::default();
                        }
                        self.tab = if same_user {
                            self.tab
                        } else if session.may(Action::ViewRegistry) {
                            Tab::Registry
                        } else if session.may(Action::ManageUsers) {
                            Tab::Admin
                        } else {
                            Tab::Registry
                        };
                        self.session = Some(session);
                        self.locked = false;
                        self.last_activity = Instant::now();
                        self.sign_in = SignInScreen::default();
                        if self.tab == Tab::Admin {
                            self.open_admin();
                        }
                    }
                    Err(e) => self.sign_in.error = Some(widgets::service_error(&self.tr, &e)),
                }
            }
        }
    }

    fn registry_ui(&mut self, ui: &mut Ui) {
        let (Some(store), Some(session), Some(lists)) = (&self.store, &self.session, &self.lists)
        else {
            return;
        };
        if !session.may(Action::ViewRegistry) {
            ui.label(self.tr.t("registry.no_access"));
            return;
        }
        let today = self.clock.now().date();
        let action = self.registry.ui(
            ui,
            &self.tr,
            &self.theme,
            store,
            session,
            &lists.calendar,
            today,
        );
        match action {
            Some(RegistryAction::Open(id)) => self.open_application(id),
            Some(RegistryAction::PrintChosen) => self.print_chosen(),
            Some(RegistryAction::New(kind)) => {
                if self.intake.as_ref().is_some_and(|i| i.dirty) {
                    self.status_line = Some(self.tr.t("intake.finish_first").into());
                } else {
                    self.intake = Some(IntakeScreen::new(kind, self.now()));
                }
                self.tab = Tab::Intake;
            }
            None => {}
        }
    }

    fn open_application(&mut self, id: i64) {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match applications::open_application(store, session, now, id) {
            Ok(file) => {
                let related =
                    applications::related_order49(store, &file.profession).unwrap_or_default();
                let complaints = crate::service::complaints::complaints_of(store, session, id)
                    .unwrap_or_default();
                let mut screen = ApplicationScreen::new(file, related);
                screen.complaints = complaints;
                self.view = Some(screen);
                self.tab = Tab::Application;
            }
            Err(e) => self.status_line = Some(widgets::service_error(&self.tr, &e)),
        }
    }

    fn intake_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(intake), Some(lists)) = (&mut self.intake, &self.lists) else {
            self.tab = Tab::Registry;
            return;
        };
        let action = intake.ui(
            ui,
            &self.tr,
            &self.theme,
            &lists.professions,
            &lists.calendar,
            lists.hours,
            now,
        );
        if intake.pending_lookup {
            intake.pending_lookup = false;
            if let (Some(store), Some(session)) = (&self.store, &self.session) {
                let (iin, doc) = intake.looked_up.clone();
                intake.matches =
                    applications::find_applicants(store, session, &iin, &doc).unwrap_or_default();
            }
        }
        let Some(action) = action else { return };
        match action {
            IntakeAction::Cancel => {
                self.intake = None;
                self.tab = Tab::Registry;
            }
            IntakeAction::Save => self.save_intake(),
            IntakeAction::UseApplicant(id) => {
                let (Some(store), Some(session), Some(intake)) =
                    (&mut self.store, &self.session, &mut self.intake)
                else {
                    return;
                };
                match applications::open_applicant(store, session, now, id) {
                    Ok(record) => intake.use_applicant(id, record.input),
                    Err(e) => intake.message = Some(widgets::service_error(&self.tr, &e)),
                }
            }
            IntakeAction::PickFile(doc) => {
                let Some(path) = (self.pick_file)() else {
                    return;
                };
                let Some(intake) = &mut self.intake else {
                    return;
                };
                match std::fs::read(&path) {
                    Ok(bytes) => {
                        let name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        intake.add_file(&self.tr, doc, name, bytes);
                    }
                    Err(e) => {
                        intake.message = Some(format!("{}: {e}", self.tr.t("error.read_file")));
                    }
                }
            }
        }
    }

    /// Saves the intake form: on any error the form stays as typed, with the messages.
    fn save_intake(&mut self) {
        let now = self.now();
        let (Some(store), Some(session), Some(intake)) =
            (&mut self.store, &self.session, &mut self.intake)
        else {
            return;
        };
        intake.attempted = true;
        let errors = intake.errors(now);
        if !errors.is_empty() {
            intake.message = Some(self.tr.f("intake.fix_errors", &[&errors.len().to_string()]));
            return;
        }
        let certificate_id = if intake.kind == crate::domain::kind::ApplicationKind::Issue {
            None
        } else {
            let Ok(certificate) =
                crate::service::certificates::find_certificate(store, &intake.certificate_number)
            else {
                intake.message = Some(self.tr.t("intake.certificate_not_found").into());
                return;
            };
            Some(certificate.id)
        };
        let applicant = intake.applicant_input();
        let application = intake.application_input(certificate_id, now);
        match applications::register_application(
            store,
            session,
            now,
            intake.existing_applicant,
            &applicant,
            &application,
            &intake.received,
        ) {
            Ok(registered) => {
                let mut failures = Vec::new();
                for file in &intake.files {
                    if let Err(e) = applications::attach_document(
                        store,
                        session,
                        now,
                        registered.id,
                        file.doc_type,
                        &file.file_name,
                        &file.bytes,
                    ) {
                        failures.push(format!(
                            "{}: {}",
                            file.file_name,
                            widgets::service_error(&self.tr, &e)
                        ));
                    }
                }
                self.intake = None;
                self.registry.invalidate();
                self.open_application(registered.id);
                let text = if failures.is_empty() {
                    self.tr.f("intake.saved", &[&registered.number])
                } else {
                    format!(
                        "{} {}",
                        self.tr.f("intake.saved", &[&registered.number]),
                        failures.join("; ")
                    )
                };
                if let Some(view) = &mut self.view {
                    view.message = Some((failures.is_empty(), text));
                }
            }
            Err(e) => {
                if let ServiceError::Fields(errors) = &e {
                    intake.server_errors.clone_from(errors);
                }
                intake.message = Some(widgets::service_error(&self.tr, &e));
            }
        }
    }

    fn view_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(view), Some(session), Some(lists)) = (&mut self.view, &self.session, &self.lists)
        else {
            self.tab = Tab::Registry;
            return;
        };
        let Some(action) = view.ui(
            ui,
            &self.tr,
            &self.theme,
            session,
            &lists.calendar,
            now.date(),
        ) else {
            return;
        };
        let id = view.file.application.id;
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        let result: Result<Option<String>, ServiceError> = match action {
            ViewAction::Close => {
                self.view = None;
                self.tab = Tab::Registry;
                return;
            }
            ViewAction::Forward => applications::forward_to_commission(store, session, now, id)
                .map(|by| Some(self.tr.f("view.forwarded", &[&widgets::date(by)]))),
            ViewAction::Withdraw(reason) => {
                applications::withdraw(store, session, now, id, &reason).map(|()| None)
            }
            ViewAction::SetReceived(doc, received) => {
                applications::set_document_received(store, session, now, id, doc, received)
                    .map(|_| None)
            }
            ViewAction::Attach(doc) => match (self.pick_file)() {
                None => Ok(None),
                Some(path) => match std::fs::read(&path) {
                    Ok(bytes) => {
                        let name = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        applications::attach_document(store, session, now, id, doc, &name, &bytes)
                            .map(|sha| Some(format!("SHA-256 {sha}")))
                    }
                    Err(e) => Ok(Some(format!("{}: {e}", self.tr.t("error.read_file")))),
                },
            },
            ViewAction::Decide(decision) => crate::service::certificates::decide(
                store, session, now, id, &decision,
            )
            .map(|out| {
                let late = if out.past_deadline {
                    self.tr
                        .f("decision.recorded_late", &[&widgets::date(out.decision_by)])
                } else {
                    String::new()
                };
                Some(match out.number {
                    Some(number) => format!("{} {late}", self.tr.f("decision.issued", &[&number])),
                    None => format!("{} {late}", self.tr.t("decision.refused")),
                })
            }),
            ViewAction::PrintCertificate {
                number,
                duplicate,
                preview,
                form_serial,
            } => {
                let serial = Some(form_serial.as_str()).filter(|s| !s.trim().is_empty());
                crate::service::printing::print_certificate(
                    store, session, now, &number, duplicate, preview, serial,
                )
                .map(|pdf| {
                    let kind = if preview {
                        "preview"
                    } else if duplicate {
                        "duplicate"
                    } else {
                        "certificate"
                    };
                    Some(write_and_open(
                        &self.tr,
                        store,
                        &format!("{kind}-{}.pdf", number.replace('/', "-")),
                        &pdf,
                    ))
                })
            }
            ViewAction::Revoke {
                certificate,
                act,
                grounds,
            } => crate::service::certificates::revoke(
                store,
                session,
                now,
                certificate,
                &act,
                &grounds,
            )
            .map(|()| Some(self.tr.t("life.revoked").to_string())),
            ViewAction::Notice {
                certificate,
                notice,
            } => crate::service::certificates::record_notice(
                store,
                session,
                now,
                certificate,
                &notice,
            )
            .map(|in_time| {
                Some(
                    if in_time {
                        self.tr.t("life.notice_in_time")
                    } else {
                        self.tr.t("life.notice_late")
                    }
                    .to_string(),
                )
            }),
            ViewAction::Complaint(complaint) => crate::service::complaints::register_complaint(
                store, session, now, &complaint,
            )
            .map(|d| {
                Some(
                    self.tr
                        .f("complaint.registered", &[&widgets::date(d.answer_by)]),
                )
            }),
            ViewAction::CloseComplaint {
                id: complaint,
                outcome,
                text,
            } => crate::service::complaints::close_complaint(
                store, session, now, complaint, outcome, &text,
            )
            .map(|()| None),
            ViewAction::Preview { number, duplicate } => {
                match crate::service::printing::certificate_sheet(
                    store, session, now, &number, duplicate,
                ) {
                    Ok(sheet) => {
                        if let Some(view) = &mut self.view {
                            view.preview = Some(sheet);
                        }
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
            ViewAction::Spoil { copy, reason } => {
                crate::service::certificates::spoil_copy(store, session, now, copy, &reason)
                    .map(|()| Some(self.tr.t("life.spoiled_done").to_string()))
            }
            ViewAction::PrintApplication => {
                crate::service::printing::print_application(store, session, now, id).map(|pdf| {
                    Some(write_and_open(
                        &self.tr,
                        store,
                        &format!("application-{id}.pdf"),
                        &pdf,
                    ))
                })
            }
            ViewAction::PrintRefusal => {
                crate::service::printing::print_refusal(store, session, now, id).map(|pdf| {
                    Some(write_and_open(
                        &self.tr,
                        store,
                        &format!("refusal-{id}.pdf"),
                        &pdf,
                    ))
                })
            }
            ViewAction::OpenFile { sha256, file_name } => {
                applications::file_content(store, session, now, id, &sha256).map(|bytes| {
                    let path = std::env::temp_dir().join(format!(
                        "spravka-{}-{}",
                        &sha256[..12],
                        file_name.replace(['/', '\\'], "_")
                    ));
                    match std::fs::write(&path, bytes)
                        .map_err(|e| e.to_string())
                        .and_then(|()| open::that_detached(&path).map_err(|e| e.to_string()))
                    {
                        Ok(()) => None,
                        Err(e) => Some(format!("{}: {e}", self.tr.t("error.open_file"))),
                    }
                })
            }
        };
        self.registry.invalidate();
        let message = match result {
            Ok(text) => text.map(|t| (true, t)),
            Err(e) => Some((false, widgets::service_error(&self.tr, &e))),
        };
        // Reload the file so the screen shows what is stored now.
        match applications::open_application(store, session, now, id) {
            Ok(file) => {
                let complaints = crate::service::complaints::complaints_of(store, session, id)
                    .unwrap_or_default();
                if let Some(view) = &mut self.view {
                    view.file = file;
                    view.message = message;
                    view.complaints = complaints;
                }
            }
            Err(e) => self.status_line = Some(widgets::service_error(&self.tr, &e)),
        }
    }

    fn open_admin(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let users = setup::list_users(store, session).unwrap_or_default();
        let body = setup::body(store.conn()).ok().flatten();
        if let Some(body) = body {
            let mut screen = AdminScreen::new(users, body);
            screen.public_keys = crate::service::printing::public_keys(store).unwrap_or_default();
            self.admin = Some(screen);
        }
    }

    fn admin_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        if self.admin.is_none() {
            self.open_admin();
        }
        let Some(screen) = &mut self.admin else {
            return;
        };
        let Some(action) = screen.ui(ui, &self.tr, &self.theme) else {
            return;
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
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
        };
        let message = match result {
            Ok(()) => (true, self.tr.t("admin.saved").to_string()),
            Err(e) => (false, widgets::service_error(&self.tr, &e)),
        };
        self.lists = None;
        self.open_admin();
        if let Some(screen) = &mut self.admin {
            screen.message = Some(message);
        }
    }
}

impl App {
    /// Prints the certificates of the applications chosen in the registry, on another thread
    /// with its own connection, so that the window stays responsive and shows the progress.
    fn print_chosen(&mut self) {
        let (Some(session), true) = (self.session.clone(), self.batch.is_none()) else {
            return;
        };
        let ids: Vec<i64> = self.registry.chosen.iter().copied().collect();
        let path = self.db_path.clone();
        let now = self.now();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = Store::open_deferred_check(&path)
                .map_err(|e| e.to_string())
                .and_then(|mut store| {
                    crate::service::printing::print_certificates_of(
                        &mut store,
                        &session,
                        now,
                        &ids,
                        |done, total| {
                            let _ = sender.send(BatchEvent::Progress(done, total));
                        },
                    )
                    .map_err(|e| e.to_string())
                });
            let _ = sender.send(BatchEvent::Done(result));
        });
        self.batch = Some(receiver);
        self.batch_progress = Some((0, 0));
    }

    fn poll_batch(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.batch else { return };
        let mut done = None;
        while let Ok(event) = receiver.try_recv() {
            match event {
                BatchEvent::Progress(n, total) => self.batch_progress = Some((n, total)),
                BatchEvent::Done(result) => done = Some(result),
            }
        }
        match done {
            Some(Ok((pdf, count))) => {
                self.batch = None;
                self.batch_progress = None;
                self.registry.chosen.clear();
                let text = match &self.store {
                    Some(store) => write_and_open(&self.tr, store, "certificates.pdf", &pdf),
                    None => String::new(),
                };
                self.status_line = Some(format!(
                    "{} {text}",
                    self.tr.f("registry.printed", &[&count.to_string()])
                ));
            }
            Some(Err(e)) => {
                self.batch = None;
                self.batch_progress = None;
                self.status_line = Some(e);
            }
            None => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
        }
    }

    fn refresh_commission(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let screen = &mut self.commission;
        if session.may(Action::ManageCommission) {
            screen.candidates =
                crate::service::commission::candidates(store, session).unwrap_or_default();
            screen.members = crate::service::commission::members(store).unwrap_or_default();
        }
        screen.meetings =
            crate::service::commission::meetings(store, session, 200).unwrap_or_default();
        if let Some(id) = screen.detail.as_ref().map(|d| d.id) {
            screen.detail = crate::service::commission::meeting_detail(store, session, id)
                .ok()
                .map(std::rc::Rc::new);
            let current = screen.current;
            screen.select(current);
        }
        if screen.new_date.is_empty() {
            screen.new_date = widgets::date(self.clock.now().date());
        }
    }

    fn scheme(&self) -> crate::domain::scoring::Scheme {
        self.store
            .as_ref()
            .and_then(|s| {
                reference::scheme_on(&crate::store::Tx::wrap(s.conn()), self.clock.now().date())
                    .ok()
            })
            .or_else(|| {
                crate::assets::scoring_schemes()
                    .ok()
                    .and_then(|v| v.last().cloned())
            })
            .unwrap_or_else(|| crate::domain::scoring::Scheme {
                version: String::new(),
                approved_by: String::new(),
                valid_from: self.clock.now().date(),
                education: Vec::new(),
                experience: Vec::new(),
                threshold: 6,
            })
    }

    fn commission_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(session), Some(lists)) = (&self.session, &self.lists) else {
            return;
        };
        let scheme = &lists.scheme;
        if !session.may(Action::ManageCommission) {
            // A member sees the shared screen of the latest meeting, read-only.
            if self.commission.detail.is_none()
                && let (Some(store), Some(latest)) = (&self.store, self.commission.meetings.first())
            {
                self.commission.detail =
                    crate::service::commission::meeting_detail(store, session, latest.id)
                        .ok()
                        .map(std::rc::Rc::new);
            }
            let theme = theme::Theme {
                dark: self.theme.dark,
                scale: self.shared_scale,
            };
            let _ = self.commission.shared_ui(ui, &self.tr, &theme, scheme);
            return;
        }
        let Some(action) = self.commission.ui(
            ui,
            &self.tr,
            &self.theme,
            scheme,
            &lists.calendar,
            now.date(),
        ) else {
            return;
        };
        self.commission_action(action);
    }

    fn shared_ui(&mut self, ui: &mut Ui) {
        let Some(lists) = &self.lists else { return };
        ui.horizontal(|ui| {
            if ui.small_button("A−").clicked() {
                self.shared_scale = (self.shared_scale - 0.25).max(0.75);
            }
            if ui.small_button("A+").clicked() {
                self.shared_scale = (self.shared_scale + 0.25).min(3.0);
            }
        });
        let theme = theme::Theme {
            dark: true,
            scale: self.shared_scale,
        };
        if let Some(action) = self
            .commission
            .shared_ui(ui, &self.tr, &theme, &lists.scheme)
        {
            self.commission_action(action);
        }
    }

    #[allow(clippy::too_many_lines)]
    fn commission_action(&mut self, action: CommissionAction) {
        use crate::service::commission as c;
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        let meeting = self.commission.detail.as_ref().map(|d| d.id);
        let result: Result<Option<String>, ServiceError> = match action {
            CommissionAction::Refresh => Ok(None),
            CommissionAction::OpenMeeting(id) => {
                self.commission.detail = c::meeting_detail(store, session, id)
                    .ok()
                    .map(std::rc::Rc::new);
                self.commission.view = CommissionView::Meeting;
                self.commission.select(0);
                Ok(None)
            }
            CommissionAction::CreateMeeting {
                held_on,
                place,
                agenda,
            } => c::create_meeting(store, session, now, held_on, &place, &agenda).map(|id| {
                self.commission.detail = c::meeting_detail(store, session, id)
                    .ok()
                    .map(std::rc::Rc::new);
                self.commission.view = CommissionView::Meeting;
                self.commission.chosen.clear();
                self.commission.select(0);
                Some(self.tr.f("commission.created", &[&id.to_string()]))
            }),
            CommissionAction::SetAttendance { member, present } => match meeting {
                Some(m) => {
                    c::set_attendance(store, session, now, m, member, present).map(|()| None)
                }
                None => Ok(None),
            },
            CommissionAction::Conflict {
                member,
                application,
                declared,
            } => match meeting {
                Some(m) if declared => {
                    c::declare_conflict(store, session, now, m, member, application, "")
                        .map(|()| None)
                }
                Some(m) => {
                    c::withdraw_conflict(store, session, now, m, member, application).map(|()| None)
                }
                None => Ok(None),
            },
            CommissionAction::Save {
                application,
                input,
                recommendation,
            } => match meeting {
                Some(m) => {
                    c::score(store, session, now, m, application, None, &input).and_then(|s| {
                        c::recommend(store, session, now, Some(m), application, &recommendation)
                            .map(|()| Some(self.tr.f("commission.saved", &[&s.total.to_string()])))
                    })
                }
                None => Ok(None),
            },
            CommissionAction::SaveMember(member) => c::save_member(store, session, now, &member)
                .map(|_| {
                    self.commission.new_member = commission::MemberForm::default();
                    Some(self.tr.t("admin.saved").to_string())
                }),
            CommissionAction::PrintProtocol(id) => {
                crate::service::printing::print_protocol(store, session, now, id).map(|pdf| {
                    let path = std::env::temp_dir().join(format!("protocol-{id}.pdf"));
                    match std::fs::write(&path, pdf)
                        .map_err(|e| e.to_string())
                        .and_then(|()| open::that_detached(&path).map_err(|e| e.to_string()))
                    {
                        Ok(()) => Some(self.tr.f(
                            "commission.protocol_written",
                            &[&path.display().to_string()],
                        )),
                        Err(e) => Some(format!("{}: {e}", self.tr.t("error.open_file"))),
                    }
                })
            }
            CommissionAction::SharedScreen(on) => {
                self.commission.shared = on;
                self.shared_changed = true;
                Ok(None)
            }
        };
        self.commission.message = match result {
            Ok(Some(text)) => Some((true, text)),
            Ok(None) => None,
            Err(e) => Some((false, widgets::service_error(&self.tr, &e))),
        };
        self.registry.invalidate();
        self.refresh_commission();
    }
}

/// Writes a printed document to the body's print folder (or the temporary folder) and opens it
/// with the system viewer; returns the message for the screen.
fn write_and_open(tr: &Tr, store: &Store, name: &str, pdf: &[u8]) -> String {
    let folder = setup::body(store.conn())
        .ok()
        .flatten()
        .and_then(|b| b.print_folder)
        .map_or_else(std::env::temp_dir, PathBuf::from);
    let path = folder.join(name);
    match std::fs::write(&path, pdf)
        .map_err(|e| e.to_string())
        .and_then(|()| open::that_detached(&path).map_err(|e| e.to_string()))
    {
        Ok(()) => tr.f("print.written", &[&path.display().to_string()]),
        Err(e) => format!("{}: {e} ({})", tr.t("error.open_file"), path.display()),
    }
}

fn open_error_text(tr: &Tr, error: &OpenError) -> String {
    match error {
        OpenError::NotSpravka { .. } => tr.t("store_error.not_spravka").into(),
        OpenError::Damaged { detail, .. } => tr.f("store_error.damaged", &[detail]),
        OpenError::Newer { found, known, .. } => tr.f(
            "store_error.newer",
            &[&found.to_string(), &known.to_string()],
        ),
        other => other.to_string(),
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.backup_on_exit();
    }
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
    eframe::run_native(
        "spravka",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(App::new(
                &db_path,
                Box::new(crate::service::SystemClock),
            )))
        }),
    )
}
