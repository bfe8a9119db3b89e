//! The application tab: opening a file and applying what its screen asks for. The screen draws
//! and returns a [`ViewAction`]; the action is applied here after the frame, grouped by what it
//! does (the file's own steps, the certificate's life, printing), and the file is reloaded so the
//! screen shows what is stored now.

use egui::Ui;

use super::files;
use super::{App, Tab};
use crate::service::applications;
use crate::service::{ServiceError, certificates, complaints, printing};
use crate::ui::application::{ApplicationScreen, ViewAction};
use crate::ui::{Ctx, widgets};

/// What applying an action produced: a message for the screen, or none.
type Applied = Result<Option<String>, ServiceError>;

impl App {
    pub(super) fn open_application(&mut self, id: i64) {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match applications::open_application(store, session, now, id) {
            Ok(file) => {
                let related =
                    applications::related_order49(store, &file.profession).unwrap_or_default();
                let complaints = complaints::complaints_of(store, session, id).unwrap_or_default();
                let mut screen = ApplicationScreen::new(file, related);
                screen.complaints = complaints;
                screen.signed =
                    crate::service::eds::signed_documents(store, session, id).unwrap_or_default();
                self.view = Some(screen);
                self.tab = Tab::Application;
            }
            Err(e) => self.say(widgets::service_error(&self.tr, &e), true),
        }
    }

    pub(super) fn view_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(view), Some(session), Some(lists)) = (&mut self.view, &self.session, &self.lists)
        else {
            self.tab = Tab::Registry;
            return;
        };
        let ctx = Ctx {
            tr: &self.tr,
            theme: &self.theme,
            session,
            calendar: &lists.calendar,
            today: now.date(),
        };
        let Some(action) = view.ui(ui, &ctx) else {
            return;
        };
        let id = view.file.application.id;
        let decided = matches!(action, ViewAction::Decide(_));
        let result = match action {
            ViewAction::Close => {
                self.view = None;
                self.tab = Tab::Registry;
                return;
            }
            ViewAction::Preview { number, duplicate } => {
                self.preview_certificate(&number, duplicate);
                return;
            }
            ViewAction::Correct => {
                self.correct_application();
                return;
            }
            ViewAction::StartFrom { kind, number } => {
                self.start_from_certificate(kind, &number);
                return;
            }
            ViewAction::OpenSign { targets, names } => {
                self.open_sign(targets, names);
                return;
            }
            ViewAction::SaveSigned(signing) => self.save_signed(id, signing),
            ViewAction::Attach(doc) => self.attach_picked(id, doc),
            ViewAction::AttachPath(doc, path) => self.attach_path(id, doc, &path),
            ViewAction::OpenFile { sha256, file_name } => self.open_scan(id, &sha256, &file_name),
            action @ (ViewAction::PrintCertificate { .. }
            | ViewAction::PrintApplication
            | ViewAction::PrintRefusal) => self.print_from_view(id, action),
            action @ (ViewAction::Decide(_)
            | ViewAction::Revoke { .. }
            | ViewAction::Notice { .. }
            | ViewAction::Spoil { .. }) => self.certificate_action(id, action),
            action => self.file_action(id, action),
        };
        let recorded = result.is_ok();
        self.registry.invalidate();
        self.reload_view(id, result);
        if decided && recorded {
            self.offer_signing(id);
        }
    }

    /// R§13: right after the signatory records a decision, the signing dialog opens for its
    /// result (the certificate issued or the refusal); closing it leaves the result unsigned.
    fn offer_signing(&mut self, id: i64) {
        if self
            .session
            .as_ref()
            .is_some_and(|s| crate::domain::eds::may_sign(&s.roles))
        {
            self.sign_results_of(&[id], false);
        }
    }

    /// Steps on the application itself: forwarding, withdrawal, the checklist, complaints.
    fn file_action(&mut self, id: i64, action: ViewAction) -> Applied {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let tr = &self.tr;
        match action {
            ViewAction::Forward => applications::forward_to_commission(store, session, now, id)
                .map(|by| Some(tr.f("view.forwarded", &[&widgets::date(by)]))),
            ViewAction::Withdraw(reason) => {
                applications::withdraw(store, session, now, id, &reason).map(|()| None)
            }
            ViewAction::SetReceived(doc, received) => {
                applications::set_document_received(store, session, now, id, doc, received)
                    .map(|_| None)
            }
            ViewAction::Complaint(complaint) => {
                complaints::register_complaint(store, session, now, &complaint)
                    .map(|d| Some(tr.f("complaint.registered", &[&widgets::date(d.answer_by)])))
            }
            ViewAction::CloseComplaint {
                id: complaint,
                outcome,
                text,
            } => complaints::close_complaint(store, session, now, complaint, outcome, &text)
                .map(|()| None),
            _ => Ok(None),
        }
    }

    /// The decision and the certificate's life: revocation, notices, spoiled forms.
    fn certificate_action(&mut self, id: i64, action: ViewAction) -> Applied {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let tr = &self.tr;
        match action {
            ViewAction::Decide(decision) => {
                certificates::decide(store, session, now, id, &decision).map(|out| {
                    let late = if out.past_deadline {
                        tr.f("decision.recorded_late", &[&widgets::date(out.decision_by)])
                    } else {
                        String::new()
                    };
                    Some(match out.number {
                        Some(number) => format!("{} {late}", tr.f("decision.issued", &[&number])),
                        None => format!("{} {late}", tr.t("decision.refused")),
                    })
                })
            }
            ViewAction::Revoke {
                certificate,
                act,
                grounds,
            } => certificates::revoke(store, session, now, certificate, &act, &grounds)
                .map(|()| Some(tr.t("life.revoked").to_string())),
            ViewAction::Notice {
                certificate,
                notice,
            } => certificates::record_notice(store, session, now, certificate, &notice).map(
                |in_time| {
                    let key = if in_time {
                        "life.notice_in_time"
                    } else {
                        "life.notice_late"
                    };
                    Some(tr.t(key).to_string())
                },
            ),
            ViewAction::Spoil { copy, reason } => {
                certificates::spoil_copy(store, session, now, copy, &reason)
                    .map(|()| Some(tr.t("life.spoiled_done").to_string()))
            }
            _ => Ok(None),
        }
    }

    /// Printing from the file: the certificate (or its duplicate or preview), the application
    /// and the refusal, written to the print folder and opened.
    fn print_from_view(&mut self, id: i64, action: ViewAction) -> Applied {
        let now = self.now();
        let folder = self.lists.as_ref().and_then(|l| l.print_folder.clone());
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let (name, pdf) = match action {
            ViewAction::PrintCertificate {
                number,
                duplicate,
                preview,
                form_serial,
            } => {
                let serial = Some(form_serial.as_str()).filter(|s| !s.trim().is_empty());
                let pdf = printing::print_certificate(
                    store, session, now, &number, duplicate, preview, serial,
                )?;
                let kind = if preview {
                    "preview"
                } else if duplicate {
                    "duplicate"
                } else {
                    "certificate"
                };
                (format!("{kind}-{}.pdf", number.replace('/', "-")), pdf)
            }
            ViewAction::PrintApplication => (
                format!("application-{id}.pdf"),
                printing::print_application(store, session, now, id)?,
            ),
            ViewAction::PrintRefusal => (
                format!("refusal-{id}.pdf"),
                printing::print_refusal(store, session, now, id)?,
            ),
            _ => return Ok(None),
        };
        match files::write_and_open(&self.tr, folder.as_deref(), &name, &pdf) {
            Ok(text) => Ok(Some(text)),
            Err(text) => {
                self.say(text, true);
                Ok(None)
            }
        }
    }

    /// The certificate drawn inside the window before printing.
    fn preview_certificate(&mut self, number: &str, duplicate: bool) {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match printing::certificate_sheet(store, session, now, number, duplicate) {
            Ok(sheet) => {
                if let Some(view) = &mut self.view {
                    view.preview = Some(sheet);
                }
            }
            Err(e) => {
                if let Some(view) = &mut self.view {
                    view.message = Some((false, widgets::service_error(&self.tr, &e)));
                }
            }
        }
    }

    /// Attaches a scan the officer picks with the system dialog. When the dialog gives no file
    /// (closed, or it could not open: with no desktop portal rfd returns at once), the view
    /// says so and offers a field for the file's path (issue 14: nothing was said).
    fn attach_picked(&mut self, id: i64, doc: crate::domain::documents::DocumentType) -> Applied {
        let Some(path) = (self.pick_file)() else {
            if let Some(view) = &mut self.view {
                view.attach_path = Some((doc, String::new()));
            }
            self.say(self.tr.t("view.no_dialog").to_string(), true);
            return Ok(None);
        };
        self.attach_from(id, doc, &path)
    }

    /// Attaches the scan at a path the officer typed.
    fn attach_path(
        &mut self,
        id: i64,
        doc: crate::domain::documents::DocumentType,
        path: &str,
    ) -> Applied {
        let path = std::path::PathBuf::from(path);
        let attached = self.attach_from(id, doc, &path);
        if matches!(attached, Ok(Some(_)))
            && let Some(view) = &mut self.view
        {
            view.attach_path = None;
        }
        attached
    }

    fn attach_from(
        &mut self,
        id: i64,
        doc: crate::domain::documents::DocumentType,
        path: &std::path::Path,
    ) -> Applied {
        let now = self.now();
        let (name, bytes) = match files::read_picked(path) {
            Ok(read) => read,
            Err(e) => {
                eprintln!("spravka: {}: {e}", path.display());
                let text = self
                    .tr
                    .f("error.read_picked", &[&path.display().to_string()]);
                self.say(text, true);
                return Ok(None);
            }
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let tr = &self.tr;
        applications::attach_document(store, session, now, id, doc, &name, &bytes)
            .map(|sha| Some(tr.f("view.attached", &[&name, sha.get(..16).unwrap_or(&sha)])))
    }

    /// Opens a stored scan with the system viewer (the opening is audited by the service).
    fn open_scan(&mut self, id: i64, sha256: &str, file_name: &str) -> Applied {
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let bytes = applications::file_content(store, session, now, id, sha256)?;
        if let Err(text) = files::open_scan(&self.tr, sha256, file_name, &bytes) {
            self.say(text, true);
        }
        Ok(None)
    }

    /// Reloads the open file after an action and shows the action's message on it.
    fn reload_view(&mut self, id: i64, result: Applied) {
        let now = self.now();
        let message = match result {
            Ok(text) => text.map(|t| (true, t)),
            Err(e) => Some((false, widgets::service_error(&self.tr, &e))),
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match applications::open_application(store, session, now, id) {
            Ok(file) => {
                let complaints = complaints::complaints_of(store, session, id).unwrap_or_default();
                let signed =
                    crate::service::eds::signed_documents(store, session, id).unwrap_or_default();
                if let Some(view) = &mut self.view {
                    view.file = file;
                    view.signed = signed;
                    // A lifecycle form closes once its action was recorded; after a refusal it
                    // stays open with what was typed.
                    if matches!(message, Some((true, _))) {
                        view.life.open = None;
                    }
                    view.message = message;
                    view.complaints = complaints;
                }
            }
            Err(e) => self.say(widgets::service_error(&self.tr, &e), true),
        }
    }
}
