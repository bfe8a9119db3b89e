//! The registry tab: the table, opening an application, the batch print of chosen certificates.

use egui::Ui;

use super::BatchEvent;
use super::files::write_and_open;
use super::{App, Tab};
use crate::domain::roles::Action;
use crate::service::maintenance::Store;
use crate::ui::Ctx;
use crate::ui::intake::IntakeScreen;
use crate::ui::registry::RegistryAction;

impl App {
    pub(super) fn registry_ui(&mut self, ui: &mut Ui) {
        let (Some(store), Some(session), Some(lists)) = (&self.store, &self.session, &self.lists)
        else {
            return;
        };
        if !session.may(Action::ViewRegistry) {
            ui.label(self.tr.t("registry.no_access"));
            return;
        }
        let today = self.clock.now().date();
        let ctx = Ctx {
            tr: &self.tr,
            theme: &self.theme,
            session,
            calendar: &lists.calendar,
            today,
        };
        let action = self.registry.ui(ui, &ctx, store);
        match action {
            Some(RegistryAction::Open(id)) => self.open_application(id),
            Some(RegistryAction::PrintChosen) => self.print_chosen(),
            Some(RegistryAction::SignChosen) => self.sign_chosen(),
            Some(RegistryAction::New(kind)) => {
                if self.intake.as_ref().is_some_and(|i| i.dirty) {
                    self.say(self.tr.t("intake.finish_first").to_string(), true);
                } else {
                    self.intake = Some(IntakeScreen::new(kind, self.now()));
                }
                self.tab = Tab::Intake;
            }
            None => {}
        }
    }

    /// Prints the certificates of the applications chosen in the registry, on another thread
    /// with its own connection, so that the window stays responsive and shows the progress.
    pub(super) fn print_chosen(&mut self) {
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

    /// R§13: the signing dialog for the results of the chosen applications: the valid
    /// certificates and the refusals among them, signed in one NCALayer or key-file session.
    fn sign_chosen(&mut self) {
        let ids: Vec<i64> = self.registry.chosen.iter().copied().collect();
        self.sign_results_of(&ids, true);
    }

    pub(super) fn poll_batch(&mut self, ctx: &egui::Context) {
        let Some(receiver) = &self.batch else { return };
        let mut done = None;
        while let Ok(event) = receiver.try_recv() {
            match event {
                BatchEvent::Progress(n, total) => self.batch_progress = Some((n, total)),
                BatchEvent::Done(result) => done = Some(result),
            }
        }
        match done {
            Some(Ok((pdf, count, skipped))) => {
                self.batch = None;
                self.batch_progress = None;
                self.registry.chosen.clear();
                let folder = self.lists.as_ref().and_then(|l| l.print_folder.as_deref());
                let mut printed = self.tr.f("registry.printed", &[&count.to_string()]);
                // Issue 14: the chosen applications whose certificate was not printed, and why.
                if !skipped.is_empty() {
                    printed.push(' ');
                    printed.push_str(&skipped_text(&self.tr, &skipped));
                }
                let opened = if count == 0 {
                    Ok(String::new())
                } else {
                    write_and_open(&self.tr, folder, "certificates.pdf", &pdf)
                };
                match opened {
                    Ok(text) => self.say(format!("{printed} {text}"), !skipped.is_empty()),
                    Err(text) => self.say(format!("{printed} {text}"), true),
                }
            }
            Some(Err(e)) => {
                self.batch = None;
                self.batch_progress = None;
                self.say(e, true);
            }
            None => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
        }
    }
}

/// «Не напечатаны: 2026-000003 — отказано; 2026-000004 — справка не действует».
pub(crate) fn skipped_text(
    tr: &crate::ui::i18n::Tr,
    skipped: &[crate::service::printing::Skipped],
) -> String {
    use crate::domain::status::ApplicationStatus;
    let items: Vec<String> = skipped
        .iter()
        .map(|s| {
            let why = if s.unsigned {
                tr.t("registry.skipped_unsigned").to_string()
            } else if s.status == ApplicationStatus::Issued {
                tr.t("registry.skipped_not_valid").to_string()
            } else {
                tr.f(
                    "registry.skipped_not_issued",
                    &[crate::ui::widgets::status(tr, s.status)],
                )
            };
            format!("{} — {why}", s.number)
        })
        .collect();
    tr.f("registry.skipped", &[&items.join("; ")])
}
