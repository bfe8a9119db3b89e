//! The application shell: start-up, sign-in, the idle lock, the top bar and the tabs. Each tab's
//! actions are applied in a module of its own below; this one only routes.

mod admin;
mod application;
mod audit_log;
mod backups;
mod calendar;
mod commission;
mod eds;
mod files;
mod intake;
mod reference_lists;
mod registry;
mod reports;
mod start;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use super::admin::AdminScreen;
use super::application::ApplicationScreen;
use super::audit_log::AuditScreen;
use super::backups::BackupsScreen;
use super::commission::CommissionScreen;
use super::help::Topic;
use super::i18n::{Lang, Tr};
use super::intake::IntakeScreen;
use super::registry::RegistryScreen;
use super::start::{ChangePasswordScreen, FirstRunScreen, SignInScreen, StoreErrorScreen};
use super::theme::Theme;
use super::{theme, verify, widgets};
use crate::domain::calendar::Calendar;
use crate::domain::deadline::WorkingHours;
use crate::domain::roles::Action;
use crate::service::applications::{self, ProfessionRow};
use crate::service::maintenance::{OpenError, Store};
use crate::service::{Clock, Session, lists};

/// Which main screen is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Registry,
    Intake,
    Application,
    Commission,
    Verify,
    Admin,
    /// The audit log, a tab of its own for the signatory (the administrator has it as a
    /// section of the administrator's tab).
    Audit,
    /// The report for a period, with charts (officer, signatory, administrator).
    Reports,
}

/// A message of a screen (a result, or an error in words), shown in the status bar at the
/// bottom (issue 14: status lines in the top bar pushed every control down 20–30 px). It
/// belongs to the screen on view when it first shows: it goes when the user leaves that screen,
/// signs out, or after [`STATUS_SECONDS`].
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
    /// The screen (`None`: the sign-in screen) and the time it was first shown (set by the
    /// status bar).
    shown: Option<(Option<Tab>, f64)>,
}

/// How long a status message stays, in seconds (an error a little longer).
pub const STATUS_SECONDS: f64 = 8.0;

/// Picks a file to attach (the system dialog; tests replace it).
pub type FilePicker = Box<dyn FnMut() -> Option<PathBuf>>;

/// What is loaded once per session: the calendar, the hours, the professions.
struct Lists {
    calendar: Calendar,
    hours: WorkingHours,
    professions: Vec<ProfessionRow>,
    body_name: String,
    idle_minutes: u32,
    /// Where printed documents are written (the temporary folder when unset).
    print_folder: Option<String>,
    /// The scoring scheme in force (R§10), read once per session, not per frame.
    scheme: crate::domain::scoring::Scheme,
}

/// Removes the files this run wrote for viewing (its private temporary folder).
pub(crate) fn remove_private_files() {
    files::remove_private_dir();
}

/// The whole application state.
// The flags are independent states of the window (locked, checked, fonts, shared screen).
#[allow(clippy::struct_excessive_bools)]
pub struct App {
    /// The first start's question: this computer or the akimat's server (issue 11).
    database_choice: Option<crate::ui::database_choice::DatabaseChoiceScreen>,
    pub tr: Tr,
    pub theme: Theme,
    clock: Box<dyn Clock>,
    db_path: PathBuf,
    store: Option<Store>,
    pub session: Option<Session>,
    store_error: Option<StoreErrorScreen>,
    first_run: Option<FirstRunScreen>,
    pub sign_in: SignInScreen,
    /// Changing one's own password: forced after a reset, or opened from the top bar.
    pub change_password: Option<ChangePasswordScreen>,
    pub tab: Tab,
    pub registry: RegistryScreen,
    pub intake: Option<IntakeScreen>,
    pub view: Option<ApplicationScreen>,
    pub admin: Option<AdminScreen>,
    /// The administrator's backups section, shown instead of the users while open.
    pub backups: Option<BackupsScreen>,
    /// The administrator's calendar section, shown instead of the users while open.
    pub calendar: Option<crate::ui::calendar::CalendarScreen>,
    /// The audit log viewer, opened from the administrator's tab or the signatory's «Журнал».
    pub audit: Option<AuditScreen>,
    /// The report for a period, opened from the «Отчёты» tab.
    pub reports: Option<crate::ui::reports::ReportsScreen>,
    /// The administrator's reference lists section, shown instead of the users while open.
    pub reference_lists: Option<crate::ui::reference_lists::ReferenceListsScreen>,
    pub commission: CommissionScreen,
    pub verify: verify::VerifyScreen,
    /// The wait before the next sign-in after n wrong passwords in a row (tests set none).
    sign_in_delay: fn(u32) -> std::time::Duration,
    /// The help pages (F1) and whether the panel is open.
    help: crate::ui::help::Help,
    pub help_open: bool,
    /// The scoring scheme the help panel shows before sign-in (read once).
    help_scheme: Option<crate::domain::scoring::Scheme>,
    /// The type size of the shared screen, set by the operator.
    pub shared_scale: f32,
    /// The shared screen was switched on or off: apply its visuals and full screen next frame.
    shared_changed: bool,
    lists: Option<Lists>,
    last_activity: Instant,
    /// When the window last asked the database whether another desk changed it.
    last_change_poll: Instant,
    pub locked: bool,
    fonts_installed: bool,
    pick_file: FilePicker,
    /// Picks a reference-list file (JSON or CSV).
    pick_list_file: FilePicker,
    /// The status bar's message, if any.
    pub status: Option<Status>,
    /// Sign-out was asked while the intake form holds unsaved data: the question is open.
    pub confirm_sign_out: bool,
    /// The EDS signing dialog (R§13), opened from an application or the registry.
    pub sign_form: crate::ui::eds::SignForm,
    /// A signing running on another thread, and its (done, total).
    signing: Option<std::sync::mpsc::Receiver<eds::SignEvent>>,
    pub signing_progress: Option<(usize, usize)>,
    /// Picks a PKCS#12 key file.
    pick_key_file: FilePicker,
    /// Picks a root certificate (PEM or DER) for checking EDS signatures.
    pick_cert_file: FilePicker,
    /// A batch print running on another thread: (done, total) and the result.
    batch: Option<std::sync::mpsc::Receiver<BatchEvent>>,
    /// The audit log's check running on another thread (it reads the whole log and recomputes
    /// every application's record: tens of seconds at 10⁶).
    audit_check: Option<std::sync::mpsc::Receiver<Option<crate::service::audit_log::ChainCheck>>>,
    pub batch_progress: Option<(usize, usize)>,
    /// The integrity check and the daily backup, running on another thread after start-up.
    background: Option<std::sync::mpsc::Receiver<Background>>,
    /// The integrity check passed: writing (signing in, set-up) is allowed.
    pub checked: bool,
    /// The settings file where the language chosen is remembered (the window started by
    /// `ui::run`; none in tests).
    pub settings_file: Option<PathBuf>,
}

/// What a batch print reports.
#[derive(Debug)]
enum BatchEvent {
    Progress(usize, usize),
    Done(Result<(Vec<u8>, usize, Vec<crate::service::printing::Skipped>), String>),
}

/// What the start-up thread reports.
#[derive(Debug)]
enum Background {
    Checked(Result<(), OpenError>),
    BackedUp(Result<Option<PathBuf>, crate::service::ServiceError>),
}

impl App {
    /// Opens the database at `db_path` (creating it when new). A failure becomes the error
    /// screen, never a panic.
    pub fn new(db_path: &Path, clock: Box<dyn Clock>) -> Self {
        Self::in_language(db_path, clock, Lang::Ru)
    }

    /// [`App::new`] in `lang` from the start, so that a database that cannot be opened is
    /// said in the user's language.
    pub fn in_language(db_path: &Path, clock: Box<dyn Clock>, lang: Lang) -> Self {
        let mut app = Self::build(db_path, clock);
        app.tr.lang = lang;
        app.open_store();
        app
    }

    /// The window of a computer's first start: it asks where the data lives before it opens
    /// anything; `db_path` is this computer's default file, used if the user chooses it.
    pub fn choosing(db_path: &Path, clock: Box<dyn Clock>) -> Self {
        let mut app = Self::build(db_path, clock);
        app.database_choice = Some(crate::ui::database_choice::DatabaseChoiceScreen::new(
            db_path.display().to_string(),
        ));
        app
    }

    fn build(db_path: &Path, clock: Box<dyn Clock>) -> Self {
        Self {
            database_choice: None,
            tr: Tr::new(Lang::Ru),
            theme: Theme::default(),
            clock,
            db_path: db_path.to_path_buf(),
            store: None,
            session: None,
            store_error: None,
            first_run: None,
            sign_in: SignInScreen::default(),
            change_password: None,
            tab: Tab::Registry,
            registry: RegistryScreen::default(),
            intake: None,
            view: None,
            admin: None,
            backups: None,
            calendar: None,
            audit: None,
            reports: None,
            reference_lists: None,
            commission: CommissionScreen::default(),
            verify: verify::VerifyScreen::default(),
            sign_in_delay: crate::domain::password::retry_delay,
            help: crate::ui::help::Help::default(),
            help_open: false,
            help_scheme: None,
            shared_scale: 1.5,
            shared_changed: false,
            lists: None,
            last_activity: Instant::now(),
            last_change_poll: Instant::now(),
            locked: false,
            fonts_installed: false,
            background: None,
            batch: None,
            audit_check: None,
            batch_progress: None,
            sign_form: crate::ui::eds::SignForm::default(),
            signing: None,
            signing_progress: None,
            pick_key_file: Box::new(|| {
                rfd::FileDialog::new()
                    .add_filter("PKCS#12 (.p12, .pfx)", &["p12", "pfx"])
                    .pick_file()
            }),
            pick_cert_file: Box::new(|| {
                rfd::FileDialog::new()
                    .add_filter(
                        "PEM, DER (.pem, .crt, .cer, .der)",
                        &["pem", "crt", "cer", "der"],
                    )
                    .pick_file()
            }),
            checked: false,
            settings_file: None,
            pick_file: Box::new(|| {
                rfd::FileDialog::new()
                    .add_filter("PDF, JPEG, PNG", &["pdf", "jpg", "jpeg", "png"])
                    .pick_file()
            }),
            pick_list_file: Box::new(|| {
                rfd::FileDialog::new()
                    .add_filter("JSON, CSV", &["json", "csv"])
                    .pick_file()
            }),
            status: None,
            confirm_sign_out: false,
        }
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
    /// Replaces the wait between wrong passwords (tests that are not about it set none).
    pub fn set_sign_in_delay(&mut self, delay: fn(u32) -> std::time::Duration) {
        self.sign_in_delay = delay;
    }

    pub fn set_file_picker(&mut self, picker: FilePicker) {
        self.pick_file = picker;
    }

    /// Replaces the key-file dialog of EDS signing (tests never open a real one).
    pub fn set_key_file_picker(&mut self, picker: FilePicker) {
        self.pick_key_file = picker;
    }

    /// Replaces the root-certificate dialog of the administrator (tests never open a real one).
    pub fn set_cert_file_picker(&mut self, picker: FilePicker) {
        self.pick_cert_file = picker;
    }

    /// Replaces the reference-list file dialog (tests never open a real one).
    pub fn set_list_file_picker(&mut self, picker: FilePicker) {
        self.pick_list_file = picker;
    }

    fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    fn load_lists(&mut self) {
        let Some(store) = &self.store else { return };
        let calendar = lists::calendar(store).unwrap_or_default();
        let body = lists::body(store).ok().flatten();
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
            print_folder: body.as_ref().and_then(|b| b.print_folder.clone()),
            idle_minutes: body.map_or(15, |b| b.idle_lock_minutes),
        });
    }

    /// What another desk commits appears here by itself within about a second (issue 11): the
    /// registry reloads its rows and an open application its file. Only what the screens show
    /// is read again; what the user is typing (forms, the intake) is kept as it is.
    fn poll_other_desks(&mut self, ctx: &egui::Context) {
        const EVERY: std::time::Duration = std::time::Duration::from_secs(1);
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        if self.locked {
            return;
        }
        ctx.request_repaint_after(EVERY);
        if self.last_change_poll.elapsed() < EVERY {
            return;
        }
        self.last_change_poll = Instant::now();
        match store.changed_elsewhere() {
            Ok(true) => {
                self.registry.invalidate();
                if let Some(view) = &mut self.view {
                    let id = view.file.application.id;
                    match crate::service::applications::refresh_application(store, session, id) {
                        Ok(file) => view.file = file,
                        Err(e) => log::warn!("the open application could not be read again: {e}"),
                    }
                    if let Ok(signed) = crate::service::eds::signed_documents(store, session, id) {
                        view.signed = signed;
                    }
                    if let Ok(complaints) =
                        crate::service::complaints::complaints_of(store, session, id)
                    {
                        view.complaints = complaints;
                    }
                }
                ctx.request_repaint();
            }
            Ok(false) => {}
            Err(e) => log::warn!("cannot ask the database for changes: {e}"),
        }
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
        self.poll_signing(ui.ctx());
        self.poll_other_desks(ui.ctx());
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
        if self.session.is_some() {
            self.projector_window(ui.ctx());
        }
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F1)) {
            self.help_open = !self.help_open;
        }
        if self.commission.shared && self.session.is_some() && !self.locked {
            self.help_panel(ui);
            egui::CentralPanel::default().show(ui, |ui| self.shared_ui(ui));
            return;
        }
        self.top_bar(ui);
        self.collect_messages();
        self.status_bar(ui);
        self.help_panel(ui);
        egui::CentralPanel::default().show(ui, |ui| self.central(ui));
        self.sign_out_question(ui);
        // A message raised while the screen was drawn shows in the next frame, at once.
        if self.collect_messages() {
            ui.ctx().request_repaint();
        }
    }

    /// Moves the messages the screens raised into the status bar, before anything is drawn
    /// (and again after, for what was raised while drawing); whether there was one. No screen
    /// draws its own message: one that appeared or went would move the controls below it.
    fn collect_messages(&mut self) -> bool {
        let raised = [
            self.view.as_mut().and_then(|v| v.message.take()),
            self.commission.message.take(),
            self.admin.as_mut().and_then(|a| a.message.take()),
            self.backups.as_mut().and_then(|b| b.message.take()),
            self.calendar.as_mut().and_then(|c| c.message.take()),
            self.audit.as_mut().and_then(|a| a.message.take()),
            self.reports.as_mut().and_then(|r| r.message.take()),
            self.reference_lists.as_mut().and_then(|l| l.message.take()),
            // The intake form's message is always an error (its fields have their own).
            self.intake
                .as_mut()
                .and_then(|i| i.message.take())
                .map(|text| (false, text)),
        ];
        let mut any = false;
        for (ok, text) in raised.into_iter().flatten() {
            self.say(text, !ok);
            any = true;
        }
        any
    }

    /// An action that went through takes away the error an earlier try left in the status
    /// bar (a result said there stays).
    fn clear_error(status: &mut Option<Status>) {
        if status.as_ref().is_some_and(|s| s.error) {
            *status = None;
        }
    }

    /// Says `text` in the status bar (an error in the error colour).
    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
            shown: None,
        });
    }

    /// The status bar: one line of fixed height at the bottom, always there, so that a message
    /// appearing or going never moves anything (issue 14). A message shows on the screen it
    /// belongs to and goes after a while, when that screen is left, or at sign-out.
    fn status_bar(&mut self, ui: &mut Ui) {
        let now = ui.input(|i| i.time);
        let screen = (self.session.is_some() && !self.locked).then_some(self.tab);
        if let Some(status) = &mut self.status {
            let (tab, since) = *status.shown.get_or_insert((screen, now));
            let limit = if status.error {
                STATUS_SECONDS * 1.5
            } else {
                STATUS_SECONDS
            };
            if screen != tab || now - since > limit {
                self.status = None;
            } else {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs_f64(
                        limit - (now - since),
                    ));
            }
        }
        let height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        egui::Panel::bottom("status_bar")
            .exact_size(height)
            .show(ui, |ui| {
                ui.horizontal_centered(|ui| {
                    if let Some(status) = &self.status {
                        let colour = if status.error {
                            self.theme.error_colour()
                        } else {
                            self.theme.ok_colour()
                        };
                        let label = ui.add(
                            egui::Label::new(RichText::new(&status.text).color(colour)).truncate(),
                        );
                        label.on_hover_text(&status.text);
                    }
                });
            });
    }

    /// Sign-out with an unsaved intake form asks first (issue 14: the draft was dropped).
    fn sign_out_question(&mut self, ui: &mut Ui) {
        if !self.confirm_sign_out {
            return;
        }
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm_sign_out")).show(ui.ctx(), |ui| {
            ui.label(self.tr.t("sign_out.unsaved"));
            ui.horizontal(|ui| {
                if ui.button(self.tr.t("sign_out.discard")).clicked() {
                    answer = Some(true);
                }
                if ui.button(self.tr.t("sign_out.back")).clicked() {
                    answer = Some(false);
                }
            });
        });
        if modal.should_close() && answer.is_none() {
            answer = Some(false);
        }
        match answer {
            Some(true) => {
                self.confirm_sign_out = false;
                if let Some(session) = self.session.clone() {
                    self.sign_out(&session);
                }
            }
            Some(false) => {
                self.confirm_sign_out = false;
                self.tab = Tab::Intake;
            }
            None => {}
        }
    }

    /// The screen the help panel explains: the one on screen now.
    pub fn help_topic(&self) -> Topic {
        let signed_in = self.session.is_some() && !self.locked;
        if !signed_in {
            return Topic::SignIn;
        }
        if self.change_password.is_some() {
            return Topic::Password;
        }
        if self.commission.shared {
            return Topic::SharedScreen;
        }
        match self.tab {
            Tab::Registry => Topic::Registry,
            Tab::Intake => Topic::Intake,
            Tab::Application => Topic::Application,
            Tab::Commission
                if !self
                    .session
                    .as_ref()
                    .is_some_and(|s| s.may(Action::ManageCommission)) =>
            {
                Topic::SharedScreen
            }
            Tab::Commission => Topic::Commission,
            Tab::Verify => Topic::Verify,
            Tab::Audit => Topic::AuditLog,
            Tab::Reports => Topic::Reports,
            Tab::Admin if self.calendar.is_some() => Topic::Calendar,
            Tab::Admin if self.reference_lists.is_some() => Topic::ReferenceLists,
            Tab::Admin if self.audit.is_some() => Topic::AuditLog,
            Tab::Admin if self.backups.is_some() => Topic::Backups,
            Tab::Admin => Topic::Users,
        }
    }

    /// The help panel at the right, opened with F1 or the top bar's button.
    fn help_panel(&mut self, ui: &mut Ui) {
        if !self.help_open {
            return;
        }
        let topic = self.help_topic();
        // The scheme of the session; before sign-in, the one in force read for the panel.
        // Before sign-in there are no session lists: the scheme in force is read once for the
        // panel and kept, not read from the database every frame.
        if self.lists.is_none() && self.help_scheme.is_none() {
            self.help_scheme = Some(self.scheme());
        }
        let scheme = match (&self.lists, &self.help_scheme) {
            (Some(lists), _) => &lists.scheme,
            (None, Some(scheme)) => scheme,
            (None, None) => return,
        };
        let mut close = false;
        egui::Panel::right("help")
            .resizable(true)
            .default_size(420.0)
            .min_size(260.0)
            .show(ui, |ui| {
                close = self.help.ui(ui, &self.tr, &self.theme, topic, scheme);
            });
        if close {
            self.help_open = false;
        }
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            let right_id = egui::Id::unique("top_bar_right_width");
            let right_width: f32 = ui.data(|d| d.get_temp(right_id)).unwrap_or(0.0);
            let mut wrapped = false;
            ui.horizontal(|ui| {
                ui.label(RichText::new(self.tr.t("app.title")).strong());
                if let Some(session) = self.session.clone()
                    && !self.locked
                    && !session.must_change_password
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
                            if intake.correction.is_some() {
                                self.tr.t("tab.correction")
                            } else {
                                self.tr.t("tab.intake")
                            },
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
                    if session.may(Action::ViewAudit)
                        && !session.may(Action::ManageUsers)
                        && ui
                            .selectable_label(self.tab == Tab::Audit, self.tr.t("audit.tab"))
                            .clicked()
                    {
                        self.tab = Tab::Audit;
                        self.open_audit();
                    }
                    if session.may(Action::ViewReports)
                        && ui
                            .selectable_label(self.tab == Tab::Reports, self.tr.t("reports.tab"))
                            .clicked()
                    {
                        self.tab = Tab::Reports;
                        if self.reports.is_none() {
                            self.open_reports();
                        }
                    }
                }
                // The right-hand group moves to a line of its own when the tabs leave no room
                // for it (a narrow window, or the longer Kazakh labels), instead of overlapping.
                if ui.available_width() >= right_width {
                    self.top_bar_right(ui, right_id);
                } else {
                    wrapped = true;
                }
            });
            if wrapped {
                ui.horizontal(|ui| self.top_bar_right(ui, right_id));
            }
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
            if let Some((done, total)) = self.signing_progress {
                let fraction = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(egui::ProgressBar::new(fraction).text(self.tr.f(
                    "eds.signing_progress",
                    &[&done.to_string(), &total.to_string()],
                )));
            }
        });
    }

    /// The top bar's right-hand group: help, language, theme, the user, password, sign-out.
    /// Remembers its width so that the next frame knows whether it fits beside the tabs.
    fn top_bar_right(&mut self, ui: &mut Ui, width_id: egui::Id) {
        let used = ui
            .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(session) = self.session.clone()
                    && !self.locked
                    && ui.button(self.tr.t("top.sign_out")).clicked()
                {
                    if self.intake.as_ref().is_some_and(|i| i.dirty) {
                        self.confirm_sign_out = true;
                    } else {
                        self.sign_out(&session);
                    }
                }
                if self.session.is_some()
                    && !self.locked
                    && self.change_password.is_none()
                    && ui.button(self.tr.t("top.change_password")).clicked()
                {
                    self.change_password = Some(ChangePasswordScreen::default());
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
                for (lang, label) in [(Lang::Kk, "Қазақша"), (Lang::Ru, "Русский")] {
                    if ui.selectable_label(self.tr.lang == lang, label).clicked() {
                        self.tr.lang = lang;
                        self.remember_language();
                    }
                }
                if ui
                    .selectable_label(self.help_open, self.tr.t("top.help"))
                    .clicked()
                {
                    self.help_open = !self.help_open;
                }
                ui.min_rect().width()
            })
            .inner;
        let spacing = ui.spacing().item_spacing.x;
        ui.data_mut(|d| d.insert_temp(width_id, used + spacing));
    }

    fn sign_out(&mut self, session: &Session) {
        let _ = session;
        self.session = None;
        self.status = None;
        self.confirm_sign_out = false;
        self.intake = None;
        self.view = None;
        self.admin = None;
        self.backups = None;
        self.calendar = None;
        self.audit = None;
        self.reports = None;
        self.reference_lists = None;
        self.registry = RegistryScreen::default();
        self.sign_in = SignInScreen::default();
        self.change_password = None;
        self.tab = Tab::Registry;
    }

    fn central(&mut self, ui: &mut Ui) {
        if let Some(screen) = &mut self.database_choice {
            if let Some(action) = screen.ui(ui, &self.tr, &self.theme) {
                self.choose_database(action);
            }
            return;
        }
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
        if self
            .session
            .as_ref()
            .is_some_and(|s| s.must_change_password)
            && self.change_password.is_none()
        {
            self.change_password = Some(ChangePasswordScreen {
                forced: true,
                ..ChangePasswordScreen::default()
            });
        }
        if let Some(screen) = &mut self.change_password {
            if let Some(action) = screen.ui(ui, &self.tr, &self.theme) {
                self.password_action(action);
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
            Tab::Verify => match self.verify.ui(ui, &self.tr, &self.theme) {
                Some(verify::VerifyAction::Check) => {
                    if let Some(store) = &self.store {
                        match crate::service::printing::verify(store, &self.verify.input) {
                            Ok(v) => self.verify.result = Some(v),
                            Err(e) => self.say(widgets::service_error(&self.tr, &e), true),
                        }
                    }
                }
                Some(verify::VerifyAction::ChoosePdf) => self.verify_picked_pdf(),
                None => {}
            },
            Tab::Admin => self.admin_ui(ui),
            Tab::Reports => self.reports_ui(ui),
            Tab::Audit => self.audit_ui(ui),
        }
        self.sign_dialog_ui(ui);
    }
}

impl App {
    /// The first start's answer: opens the database chosen and keeps the choice in the
    /// settings file. A server that cannot be reached or refuses is said on the same screen,
    /// with what was typed kept.
    fn choose_database(&mut self, action: crate::ui::database_choice::ChoiceAction) {
        use crate::ui::database_choice::ChoiceAction;
        let chosen = match action {
            ChoiceAction::ThisComputer => self.db_path.clone(),
            ChoiceAction::Server(url) => {
                let path = PathBuf::from(url);
                if let Err(e) = crate::service::maintenance::open(&path) {
                    log::warn!("the server chosen at the first start cannot be used: {e}");
                    if let Some(screen) = &mut self.database_choice {
                        screen.message = Some(start::open_error_text(&self.tr, &e));
                    }
                    return;
                }
                path
            }
        };
        if let Some(settings) = &self.settings_file
            && let Err(e) = crate::platform::settings::Settings::update(settings, |s| {
                s.database = Some(chosen.to_string_lossy().into_owned());
            })
        {
            log::warn!("the database chosen cannot be remembered: {e}");
        }
        self.db_path = chosen;
        self.database_choice = None;
        self.open_store();
    }

    /// Keeps the language chosen in the settings file: the next start, and the messages shown
    /// before the window opens, are in it.
    fn remember_language(&self) {
        let Some(path) = &self.settings_file else {
            return;
        };
        let code = self.tr.lang.code();
        if let Err(e) = crate::platform::settings::Settings::update(path, |s| {
            s.language = Some(code.to_string());
        }) {
            log::warn!("the language chosen cannot be remembered: {e}");
        }
    }

    fn scheme(&self) -> crate::domain::scoring::Scheme {
        self.store
            .as_ref()
            .and_then(|s| lists::scheme_on(s, self.clock.now().date()).ok())
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
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }

    // eframe passes the GL context only when built with glow; the signature follows the feature
    // so that a build with one renderer only compiles as well.
    #[cfg(feature = "glow")]
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.backup_on_exit();
    }

    #[cfg(not(feature = "glow"))]
    fn on_exit(&mut self) {
        self.backup_on_exit();
    }
}
