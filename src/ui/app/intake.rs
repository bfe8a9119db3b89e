//! The intake tab: the form, the applicant lookup, picking scans, saving.

use egui::Ui;

use super::{App, Tab};
use crate::service::ServiceError;
use crate::service::{applications, lists};
use crate::ui::intake::IntakeAction;
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
                let kazakh = self.tr.lang == crate::ui::i18n::Lang::Kk;
                match applications::open_applicant(store, session, now, id) {
                    Ok(record) => {
                        intake.use_applicant(id, record.input, lists::countries(), kazakh);
                    }
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
                match super::files::read_picked(&path) {
                    Ok((name, bytes)) => intake.add_file(&self.tr, doc, name, bytes),
                    Err(e) => {
                        intake.message = Some(format!("{}: {e}", self.tr.t("error.read_file")));
                    }
                }
            }
        }
    }

    /// Saves the intake form: on any error the form stays as typed, with the messages.
    pub(super) fn save_intake(&mut self) {
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
