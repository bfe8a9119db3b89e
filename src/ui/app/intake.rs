//! The intake tab: the form, the applicant lookup, picking scans, saving.

use egui::Ui;

use super::{App, Tab};
use crate::domain::forms::{ApplicantInput, ApplicationInput};
use crate::domain::kind::ApplicationKind;
use crate::service::ServiceError;
use crate::service::{applications, lists};
use crate::ui::intake::{IntakeAction, IntakeScreen};
use crate::ui::{Ctx, widgets};

impl App {
    pub(super) fn intake_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(intake), Some(lists), Some(session)) =
            (&mut self.intake, &self.lists, &self.session)
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
        let action = intake.ui(
            ui,
            &ctx,
            &lists.professions,
            crate::service::lists::countries(),
            lists.hours,
            now,
        );
        if intake.pending_lookup {
            intake.pending_lookup = false;
            if let (Some(store), Some(session)) = (&mut self.store, &self.session) {
                let (iin, doc) = intake.looked_up.clone();
                intake.matches = applications::find_applicants(store, session, now, &iin, &doc)
                    .unwrap_or_default();
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
                let kazakh = self.tr.lang == crate::ui::i18n::Lang::Kk;
                match applications::open_applicant(store, session, now, id) {
                    Ok(record) => {
                        intake.use_applicant(id, record.input, lists::countries(), kazakh);
                    }
                    Err(e) => intake.message = Some(widgets::service_error(&self.tr, &e)),
                }
            }
            IntakeAction::FromCertificate => self.intake_from_certificate(),
            IntakeAction::PickFile(doc) => {
                let Some(path) = (self.pick_file)() else {
                    return;
                };
                let Some(intake) = &mut self.intake else {
                    return;
                };
                match super::files::read_picked(&path) {
                    Ok((name, bytes)) => intake.add_file(&self.tr, doc, name, bytes),
                    Err(e) => {
                        intake.message = Some(format!("{}: {e}", self.tr.t("error.read_file")));
                    }
                }
            }
        }
    }

    /// Fills the open form from the certificate typed in its field (its holder, profession and
    /// employer); a certificate that cannot start this kind is refused with the reason.
    pub(super) fn intake_from_certificate(&mut self) {
        let now = self.now();
        let kazakh = self.tr.lang == crate::ui::i18n::Lang::Kk;
        let (Some(store), Some(session), Some(intake)) =
            (&mut self.store, &self.session, &mut self.intake)
        else {
            return;
        };
        let number = intake.certificate_number.trim().to_string();
        match applications::start_from_certificate(store, session, now, intake.kind, &number) {
            Ok(start) => {
                intake.start_from(start, lists::countries(), kazakh);
                Self::clear_error(&mut self.status);
            }
            Err(ServiceError::NotFound { .. }) => {
                intake.message = Some(self.tr.t("intake.certificate_not_found").into());
            }
            // R§23: an expired, superseded or revoked certificate starts nothing.
            Err(ServiceError::Transition(_)) => {
                intake.message = Some(self.tr.f("start.not_valid", &[&number]));
            }
            Err(e) => intake.message = Some(widgets::service_error(&self.tr, &e)),
        }
    }

    /// Opens the intake form for an extension, reissue or duplicate of a certificate, filled
    /// from it; a form being typed is not replaced.
    pub(super) fn start_from_certificate(&mut self, kind: ApplicationKind, number: &str) {
        if self.intake.as_ref().is_some_and(|i| i.dirty) {
            self.tab = Tab::Intake;
            self.say(self.tr.t("intake.finish_first").to_string(), true);
            return;
        }
        let mut intake = IntakeScreen::new(kind, self.now());
        intake.certificate_number = number.to_string();
        self.intake = Some(intake);
        self.tab = Tab::Intake;
        self.intake_from_certificate();
    }

    /// Opens the form to correct the application open in the view.
    pub(super) fn correct_application(&mut self) {
        let Some(view) = &self.view else { return };
        if self.intake.as_ref().is_some_and(|i| i.dirty) {
            self.tab = Tab::Intake;
            self.say(self.tr.t("intake.finish_first").to_string(), true);
            return;
        }
        let file = &view.file;
        let number = file
            .certificates
            .iter()
            .find(|c| Some(c.id) == file.application.certificate_id)
            .map(|c| c.number.clone())
            .unwrap_or_default();
        self.intake = Some(IntakeScreen::for_correction(
            file,
            number,
            lists::countries(),
            self.tr.lang == crate::ui::i18n::Lang::Kk,
        ));
        self.tab = Tab::Intake;
    }

    /// Saves the intake form: on any error the form stays as typed, with the messages.
    pub(super) fn save_intake(&mut self) {
        if self.intake.as_ref().is_some_and(|i| i.correction.is_some()) {
            self.save_correction();
            return;
        }
        let now = self.now();
        let (Some(store), Some(session), Some(intake)) =
            (&mut self.store, &self.session, &mut self.intake)
        else {
            return;
        };
        let Some((applicant, application)) = form_inputs(intake, store, &self.tr, now) else {
            return;
        };
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
                // A new version of the list was put in force meanwhile: read it again.
                if matches!(
                    e,
                    ServiceError::Rule(crate::service::RuleError::ProfessionNotInForce)
                ) {
                    intake.profession_id = None;
                    self.lists = None;
                }
                intake.message = Some(widgets::service_error(&self.tr, &e));
            }
        }
    }
}

impl App {
    /// Saves a correction with its reason; on any error the form stays as typed.
    fn save_correction(&mut self) {
        let now = self.now();
        let (Some(store), Some(session), Some(intake)) =
            (&mut self.store, &self.session, &mut self.intake)
        else {
            return;
        };
        let Some(correction) = intake.correction.clone() else {
            return;
        };
        let Some((applicant, application)) = form_inputs(intake, store, &self.tr, now) else {
            return;
        };
        if correction.reason.trim().is_empty() {
            intake.message = Some(self.tr.t("edit.reason_needed").into());
            return;
        }
        match applications::update_application(
            store,
            session,
            now,
            correction.application_id,
            correction.version,
            &applicant,
            &application,
            &correction.reason,
        ) {
            Ok(_) => {
                self.intake = None;
                self.registry.invalidate();
                self.open_application(correction.application_id);
                if let Some(view) = &mut self.view {
                    view.message = Some((true, self.tr.t("edit.saved").into()));
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
}

/// The form's data ready to save, shared by registering and correcting: the problems found
/// without the database are counted in the form's message, and the certificate an extension,
/// reissue or duplicate concerns is found by its number. `None` when the form already says
/// what stops the save; nothing typed is changed either way.
fn form_inputs(
    intake: &mut IntakeScreen,
    store: &crate::service::maintenance::Store,
    tr: &crate::ui::i18n::Tr,
    now: chrono::NaiveDateTime,
) -> Option<(ApplicantInput, ApplicationInput)> {
    intake.attempted = true;
    let errors = intake.errors(now);
    if !errors.is_empty() {
        intake.message = Some(tr.f("intake.fix_errors", &[&errors.len().to_string()]));
        return None;
    }
    let certificate_id = if intake.kind == ApplicationKind::Issue {
        None
    } else {
        let Ok(certificate) =
            crate::service::certificates::find_certificate(store, &intake.certificate_number)
        else {
            intake.message = Some(tr.t("intake.certificate_not_found").into());
            return None;
        };
        Some(certificate.id)
    };
    Some((
        intake.applicant_input(),
        intake.application_input(certificate_id, now),
    ))
}
