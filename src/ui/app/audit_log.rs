//! The audit log viewer's applier: opening (the chain check and the pickers, once), loading a
//! page when a filter is applied, and the CSV export to the body's print folder (or the
//! temporary folder).

use std::path::PathBuf;

use egui::Ui;

use super::App;
use crate::service::audit_log::{self, Filter};
use crate::ui::audit_log::{AuditAction, AuditScreen, PAGE};
use crate::ui::widgets;

impl App {
    /// Opens the viewer: starts the check of the chain on another thread, on a connection of its
    /// own (it reads the whole log and recomputes every application's record, so only here), and
    /// loads the newest page.
    pub(super) fn open_audit(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let (sender, receiver) = std::sync::mpsc::channel();
        let path = store.path().to_path_buf();
        let checker = session.clone();
        std::thread::spawn(move || {
            let result = crate::service::maintenance::open(&path)
                .ok()
                .and_then(|store| audit_log::check_chain(&store, &checker).ok());
            let _ = sender.send(result);
        });
        self.audit_check = Some(receiver);
        let mut screen = AuditScreen {
            checking: true,
            ..AuditScreen::default()
        };
        if let Ok((actions, users)) = audit_log::pickers(store, session) {
            screen.actions = actions;
            screen.users = users;
        }
        self.audit = Some(screen);
        self.load_audit(Filter::default(), 0);
    }

    fn load_audit(&mut self, filter: Filter, offset: i64) {
        let (Some(store), Some(session), Some(screen)) =
            (&self.store, &self.session, &mut self.audit)
        else {
            return;
        };
        match audit_log::page(store, session, &filter, offset, PAGE) {
            Ok(page) => {
                screen.rows = page.rows;
                screen.total = page.total;
                screen.offset = offset;
                screen.loaded = filter;
                Self::clear_error(&mut self.status);
            }
            Err(e) => screen.message = Some((false, widgets::service_error(&self.tr, &e))),
        }
    }

    /// Waits for the audit log's check to finish and shows it (for tests).
    pub fn wait_for_audit_check(&mut self) {
        if let Some(receiver) = self.audit_check.take() {
            let result = receiver.recv().ok().flatten();
            if let Some(screen) = &mut self.audit {
                screen.chain = result;
                screen.checking = false;
            }
        }
    }

    /// Takes the check's result when it has come.
    fn poll_audit_check(&mut self, ui: &Ui) {
        let Some(receiver) = &self.audit_check else {
            return;
        };
        let result = match receiver.try_recv() {
            Ok(result) => result,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(200));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
        };
        self.audit_check = None;
        if let Some(screen) = &mut self.audit {
            screen.chain = result;
            screen.checking = false;
        }
    }

    pub(super) fn audit_ui(&mut self, ui: &mut Ui) {
        if self.audit.is_none() {
            self.open_audit();
        }
        self.poll_audit_check(ui);
        let Some(screen) = &mut self.audit else {
            return;
        };
        let Some(action) = screen.ui(ui, &self.tr, &self.theme) else {
            return;
        };
        match action {
            AuditAction::Load { filter, offset } => self.load_audit(filter, offset),
            AuditAction::Export(filter) => self.export_audit(&filter),
        }
    }

    fn export_audit(&mut self, filter: &Filter) {
        let now = self.now();
        let folder = self
            .lists
            .as_ref()
            .and_then(|l| l.print_folder.clone())
            .map_or_else(std::env::temp_dir, PathBuf::from);
        let path = folder.join(format!("audit-{}.csv", now.format("%Y%m%d-%H%M%S")));
        let (Some(store), Some(session), Some(screen)) =
            (&mut self.store, &self.session, &mut self.audit)
        else {
            return;
        };
        screen.message = Some(
            match audit_log::export_csv(store, session, now, filter, &path) {
                Ok(n) => {
                    screen.exported = Some(path.clone());
                    (
                        true,
                        self.tr.f(
                            "audit.exported",
                            &[&n.to_string(), &path.display().to_string()],
                        ),
                    )
                }
                Err(e) => (false, widgets::service_error(&self.tr, &e)),
            },
        );
    }
}
