//! The administrator's reference lists section: a file read and compared through the service,
//! then put in force; the intake's professions are read again afterwards.

use egui::Ui;

use super::App;
use crate::service::reference_lists;
use crate::ui::reference_lists::{ListsAction, Pending, ReferenceListsScreen};
use crate::ui::widgets;

impl App {
    pub(super) fn open_reference_lists(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let mut screen = ReferenceListsScreen::new(Vec::new());
        match reference_lists::versions(store, session) {
            Ok(versions) => screen.versions = versions,
            Err(e) => screen.message = Some((false, widgets::service_error(&self.tr, &e))),
        }
        self.reference_lists = Some(screen);
    }

    pub(super) fn reference_lists_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let Some(screen) = &mut self.reference_lists else {
            return;
        };
        let action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| screen.ui(ui, &self.tr, &self.theme))
            .inner;
        let Some(action) = action else { return };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match action {
            ListsAction::PickFile => {
                let Some(path) = (self.pick_list_file)() else {
                    return;
                };
                let (name, bytes) = match super::files::read_picked(&path) {
                    Ok(file) => file,
                    Err(e) => {
                        screen.message =
                            Some((false, format!("{}: {e}", self.tr.t("error.read_file"))));
                        return;
                    }
                };
                match reference_lists::preview(
                    store,
                    session,
                    now.date(),
                    screen.kind,
                    &name,
                    &bytes,
                ) {
                    Ok(proposal) => {
                        screen.pending = Some(Pending::new(name, proposal));
                        Self::clear_error(&mut self.status);
                    }
                    Err(e) => {
                        screen.message = Some((
                            false,
                            format!("{name}: {}", widgets::service_error(&self.tr, &e)),
                        ));
                    }
                }
            }
            ListsAction::PutInForce(order) => {
                let Some(pending) = &screen.pending else {
                    return;
                };
                match reference_lists::put_in_force(
                    store,
                    session,
                    now,
                    &pending.proposal.list,
                    &order,
                ) {
                    Ok(_) => {
                        let kind = screen.kind;
                        let text = self.tr.f(
                            "lists.in_force_now",
                            &[&widgets::date(order.date), order.number.trim()],
                        );
                        self.open_reference_lists();
                        if let Some(screen) = &mut self.reference_lists {
                            screen.kind = kind;
                            screen.message = Some((true, text));
                        }
                        // New applications are filed under the new version.
                        self.lists = None;
                    }
                    // The form keeps what was typed.
                    Err(e) => screen.message = Some((false, widgets::service_error(&self.tr, &e))),
                }
            }
        }
    }
}
