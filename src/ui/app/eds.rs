//! Signing with EDS from the window (R§13): the dialog, the signing on another thread (NCALayer
//! waits for the official's password in its own window; the window stays responsive and shows
//! the progress), saving the signed files, and checking a signed PDF.

use super::files;
use super::{App, Tab};
use crate::service::ServiceError;
use crate::service::eds::{self, EdsError, Signed, SignerSpec, Target};
use crate::service::maintenance::Store;
use crate::ui::eds::{DialogAction, SignRequest, SignWith};
use crate::ui::i18n::Lang;
use crate::ui::widgets;

/// What the signing thread reports.
#[derive(Debug)]
pub(super) enum SignEvent {
    Progress(usize, usize),
    Done(Result<Vec<Signed>, ServiceError>),
}

impl App {
    /// Opens the signing dialog for these results.
    pub(super) fn open_sign(&mut self, targets: Vec<Target>, names: Vec<String>) {
        if targets.is_empty() {
            let text = self.tr.t("eds.nothing_to_sign").to_string();
            self.say(text, false);
            return;
        }
        self.sign_form
            .open_for(targets, names, &eds::ncalayer_url());
    }

    /// Opens the signing dialog for the results of these applications (their valid
    /// certificates and refusals); `say_if_none`: say so when there is nothing to sign.
    pub(super) fn sign_results_of(&mut self, application_ids: &[i64], say_if_none: bool) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let found = match eds::targets_of(store, session, application_ids) {
            Ok(found) => found,
            Err(e) => {
                self.say(widgets::service_error(&self.tr, &e), true);
                return;
            }
        };
        if found.is_empty() && !say_if_none {
            return;
        }
        let (targets, names): (Vec<_>, Vec<_>) = found
            .into_iter()
            .map(|(target, number)| {
                let name = match &target {
                    Target::Certificate(_) => self.tr.f("eds.certificate_name", &[&number]),
                    Target::Refusal(_) => self.tr.f("eds.refusal_name", &[&number]),
                };
                (target, name)
            })
            .unzip();
        self.open_sign(targets, names);
    }

    /// Draws the signing dialog when open and applies what it asks.
    pub(super) fn sign_dialog_ui(&mut self, ui: &mut egui::Ui) {
        if self.signing.is_some() {
            // The dialog stays closed while a signing runs; the progress is in the top bar.
            return;
        }
        match self.sign_form.ui(ui, &self.tr, &self.theme) {
            Some(DialogAction::PickKey) => {
                if let Some(path) = (self.pick_key_file)() {
                    self.sign_form.key_path = Some(path);
                }
            }
            Some(DialogAction::Sign(request)) => self.start_signing(request),
            None => {}
        }
    }

    /// Signs on another thread with its own connection.
    fn start_signing(&mut self, request: SignRequest) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let path = self.db_path.clone();
        let now = self.now();
        let locale = match self.tr.lang {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = (|| -> Result<Vec<Signed>, ServiceError> {
                let spec = match &request.with {
                    SignWith::NcaLayer { url } => SignerSpec::NcaLayer {
                        url: url.clone(),
                        locale: locale.to_string(),
                    },
                    SignWith::KeyFile { path, password } => SignerSpec::KeyFile {
                        bytes: std::fs::read(path).map_err(|e| EdsError::KeyFile(e.to_string()))?,
                        password: password.clone(),
                    },
                };
                let (mut signer, method) = eds::open_signer(&spec)?;
                let mut store = Store::open_deferred_check(&path).map_err(|e| {
                    ServiceError::Store(crate::service::StoreError::Invalid(e.to_string()))
                })?;
                eds::sign_documents(
                    &mut store,
                    &session,
                    now,
                    &request.targets,
                    signer.as_mut(),
                    method,
                    |done, total| {
                        let _ = sender.send(SignEvent::Progress(done, total));
                    },
                )
            })();
            let _ = sender.send(SignEvent::Done(result));
        });
        self.signing = Some(receiver);
        self.signing_progress = Some((0, 0));
    }

    pub(super) fn poll_signing(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.signing else {
            return;
        };
        let mut done = None;
        while let Ok(event) = receiver.try_recv() {
            match event {
                SignEvent::Progress(n, total) => self.signing_progress = Some((n, total)),
                SignEvent::Done(result) => done = Some(result),
            }
        }
        let Some(result) = done else {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
            return;
        };
        self.signing = None;
        self.signing_progress = None;
        match result {
            Ok(signed) => {
                // Done: the dialog closes and forgets the password.
                self.sign_form.open = false;
                self.sign_form.password.clear();
                self.sign_form.error = None;
                self.registry.chosen.clear();
                self.registry.invalidate();
                let who = signed
                    .first()
                    .map(|s| s.row.signer_name.clone())
                    .unwrap_or_default();
                let done = self
                    .tr
                    .f("eds.signed_done", &[&signed.len().to_string(), &who]);
                self.say(done, false);
                if let Some(view) = &self.view {
                    let id = view.file.application.id;
                    self.reload_view_signed(id);
                }
            }
            // The dialog stays open with what was chosen and typed, and says why.
            Err(e) => self.sign_form.error = Some(widgets::service_error(&self.tr, &e)),
        }
    }

    /// Reloads the signings shown in the open application.
    pub(super) fn reload_view_signed(&mut self, id: i64) {
        let (Some(store), Some(session), Some(view)) = (&self.store, &self.session, &mut self.view)
        else {
            return;
        };
        if view.file.application.id == id {
            view.signed = eds::signed_documents(store, session, id).unwrap_or_default();
        }
    }

    /// Saves a signed PDF and its .cms to the print folder (or the temporary one) and opens
    /// the PDF: the pair to upload to the portal.
    pub(super) fn save_signed(
        &mut self,
        application_id: i64,
        signing: i64,
    ) -> Result<Option<String>, ServiceError> {
        let now = self.now();
        let folder = self.lists.as_ref().and_then(|l| l.print_folder.clone());
        let Some(row) = self
            .view
            .as_ref()
            .and_then(|v| v.signed.iter().find(|r| r.id == signing).cloned())
        else {
            return Ok(None);
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return Ok(None);
        };
        let pdf = eds::signed_file(store, session, now, application_id, &row.pdf_sha256)?;
        let cms = eds::signed_file(store, session, now, application_id, &row.cms_sha256)?;
        let name = format!(
            "{}-{}-signed.pdf",
            row.kind.code(),
            row.number.replace('/', "-")
        );
        Ok(Some(files::write_signed_pair(
            &self.tr,
            folder.as_deref(),
            &name,
            &pdf,
            &cms,
        )))
    }

    /// «Проверка справки»: a signed PDF chosen with the file dialog, checked.
    pub(super) fn verify_picked_pdf(&mut self) {
        let Some(path) = (self.pick_file)() else {
            return;
        };
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.say(format!("{}: {e}", self.tr.t("error.read_file")), true);
                return;
            }
        };
        let Some(store) = &self.store else { return };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match eds::verify_pdf(store, &bytes, &[]) {
            Ok(check) => {
                self.verify.pdf = Some((name, Ok(check)));
            }
            Err(e) => {
                self.verify.pdf = Some((name, Err(widgets::service_error(&self.tr, &e))));
            }
        }
        self.tab = Tab::Verify;
    }
}
