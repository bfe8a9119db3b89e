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
    /// Opens the viewer: checks the chain (it reads the whole log, so only here) and loads the
    /// newest page.
    pub(super) fn open_audit(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let mut screen = AuditScreen {
            chain: audit_log::check_chain(store, session).ok(),
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
                screen.message = None;
            }
            Err(e) => screen.message = Some((false, widgets::service_error(&self.tr, &e))),
        }
    }

    pub(super) fn audit_ui(&mut self, ui: &mut Ui) {
        if self.audit.is_none() {
            self.open_audit();
        }
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
