//! The administrator's calendar section: the year's data saved through the service, which
//! recomputes the open deadlines and names those that moved.

use chrono::Datelike;
use egui::Ui;

use super::App;
use crate::service::{calendar, lists};
use crate::ui::calendar::{CalendarAction, CalendarScreen, MovedRow};
use crate::ui::widgets;

impl App {
    pub(super) fn open_calendar(&mut self) {
        let Some(store) = &self.store else { return };
        let stored = lists::calendar(store)
            .map(|c| c.year_data().cloned().collect())
            .unwrap_or_default();
        self.calendar = Some(CalendarScreen::new(stored, self.now().year()));
    }

    pub(super) fn calendar_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let Some(screen) = &mut self.calendar else {
            return;
        };
        let action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| screen.ui(ui, &self.tr, &self.theme))
            .inner;
        let Some(CalendarAction::Save(data)) = action else {
            return;
        };
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        match calendar::set_year(store, session, now, &data) {
            Ok(moved) => {
                let stored = lists::calendar(store)
                    .map(|c| c.year_data().cloned().collect())
                    .unwrap_or_default();
                let message = if moved.is_empty() {
                    self.tr.t("calendar.none_moved").to_string()
                } else {
                    self.tr.f("calendar.moved", &[&moved.len().to_string()])
                };
                screen.stored = stored;
                screen.select(data.year);
                screen.message = Some((true, message));
                screen.moved = moved
                    .into_iter()
                    .map(|m| MovedRow {
                        number: m.number,
                        old: m.old_next,
                        new: m.new_next,
                    })
                    .collect();
                // The registry's deadlines are computed with the calendar: read it again.
                self.lists = None;
            }
            Err(e) => {
                screen.message = Some((false, widgets::service_error(&self.tr, &e)));
                screen.moved.clear();
            }
        }
    }
}
