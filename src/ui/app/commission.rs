//! The commission tab and the shared screen: meetings, attendance, conflicts, scoring.

use egui::Ui;

use super::App;
use crate::domain::roles::Action;
use crate::service::ServiceError;
use crate::ui::commission::{self, CommissionAction, View as CommissionView};
use crate::ui::theme;
use crate::ui::{Ctx, widgets};

impl App {
    pub(super) fn refresh_commission(&mut self) {
        let (Some(store), Some(session)) = (&self.store, &self.session) else {
            return;
        };
        let screen = &mut self.commission;
        if session.may(Action::ManageCommission) {
            screen.candidates =
                crate::service::commission::candidates(store, session).unwrap_or_default();
            screen.members = crate::service::commission::members(store).unwrap_or_default();
        }
        screen.meetings =
            crate::service::commission::meetings(store, session, 200).unwrap_or_default();
        if let Some(id) = screen.detail.as_ref().map(|d| d.id) {
            screen.detail = crate::service::commission::meeting_detail(store, session, id)
                .ok()
                .map(std::rc::Rc::new);
            let current = screen.current;
            screen.select(current);
        }
        if screen.new_date.is_empty() {
            screen.new_date = widgets::date(self.clock.now().date());
        }
    }

    pub(super) fn commission_ui(&mut self, ui: &mut Ui) {
        let now = self.now();
        let (Some(session), Some(lists)) = (&self.session, &self.lists) else {
            return;
        };
        let scheme = &lists.scheme;
        if !session.may(Action::ManageCommission) {
            // A member sees the shared screen of the latest meeting, read-only.
            if self.commission.detail.is_none()
                && let (Some(store), Some(latest)) = (&self.store, self.commission.meetings.first())
            {
                self.commission.detail =
                    crate::service::commission::meeting_detail(store, session, latest.id)
                        .ok()
                        .map(std::rc::Rc::new);
            }
            let theme = theme::Theme {
                dark: self.theme.dark,
                scale: self.shared_scale,
            };
            let _ = self
                .commission
                .shared_ui(ui, &self.tr, &theme, scheme, true);
            return;
        }
        let ctx = Ctx {
            tr: &self.tr,
            theme: &self.theme,
            session,
            calendar: &lists.calendar,
            today: now.date(),
        };
        let Some(action) = self.commission.ui(ui, &ctx, scheme) else {
            return;
        };
        self.commission_action(action);
    }

    pub(super) fn shared_ui(&mut self, ui: &mut Ui) {
        let Some(lists) = &self.lists else { return };
        ui.horizontal(|ui| {
            if ui.small_button("A−").clicked() {
                self.shared_scale = (self.shared_scale - 0.25).max(0.75);
            }
            if ui.small_button("A+").clicked() {
                self.shared_scale = (self.shared_scale + 0.25).min(3.0);
            }
        });
        let theme = theme::Theme {
            dark: true,
            scale: self.shared_scale,
        };
        // Large type scrolls instead of pushing «Итого» and the navigation off the screen
        // (issue 14: A+ twice did).
        let action = egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.commission
                    .shared_ui(ui, &self.tr, &theme, &lists.scheme, true)
            })
            .inner;
        if let Some(action) = action {
            self.commission_action(action);
        }
    }

    /// The projector's window: a second OS window (an egui viewport) with the shared screen of
    /// the open meeting, which the secretary drags to the projector while this window keeps the
    /// scoring panel. It follows the applicant chosen here and the score as it is typed; F11
    /// puts it full screen on the display it is on. Where the platform has one window only
    /// (and in tests) it is a window inside this one.
    pub(super) fn projector_window(&mut self, ctx: &egui::Context) {
        if !self.commission.projector || self.locked || self.commission.detail.is_none() {
            return;
        }
        let Some(lists) = &self.lists else { return };
        let builder = egui::ViewportBuilder::default()
            .with_title(self.tr.t("commission.projector_title"))
            .with_inner_size([1024.0, 768.0]);
        let (tr, scheme, screen, scale) = (
            &self.tr,
            &lists.scheme,
            &mut self.commission,
            &mut self.shared_scale,
        );
        let id = egui::ViewportId::from_hash_of("spravka-projector");
        let closed = ctx.show_viewport_immediate(id, builder, |ui, class| {
            // The projector is dark whatever the desk's theme is (high contrast on a wall).
            ui.style_mut().visuals = egui::Visuals::dark();
            let fill = ui.visuals().panel_fill;
            let mut draw = |ui: &mut Ui| {
                ui.horizontal(|ui| {
                    if ui.small_button("A−").clicked() {
                        *scale = (*scale - 0.25).max(0.75);
                    }
                    if ui.small_button("A+").clicked() {
                        *scale = (*scale + 0.25).min(3.0);
                    }
                    ui.label(
                        egui::RichText::new(tr.t("commission.projector_keys"))
                            .small()
                            .color(ui.visuals().weak_text_color()),
                    );
                });
                let theme = theme::Theme {
                    dark: true,
                    scale: *scale,
                };
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        let _ = screen.shared_ui(ui, tr, &theme, scheme, false);
                    });
            };
            if class == egui::ViewportClass::EmbeddedWindow {
                draw(ui);
                return false;
            }
            egui::CentralPanel::default()
                .frame(egui::Frame::new().fill(fill).inner_margin(24.0))
                .show(ui, |ui| draw(ui));
            let (close, f11) = ui.input(|i| {
                (
                    i.viewport().close_requested(),
                    i.key_pressed(egui::Key::F11),
                )
            });
            if f11 {
                let fullscreen = ui.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ui.ctx()
                    .send_viewport_cmd(egui::ViewportCommand::Fullscreen(!fullscreen));
            }
            close
        });
        if closed {
            self.commission.projector = false;
        }
    }

    #[allow(clippy::too_many_lines)]
    pub(super) fn commission_action(&mut self, action: CommissionAction) {
        use crate::service::commission as c;
        let now = self.now();
        let (Some(store), Some(session)) = (&mut self.store, &self.session) else {
            return;
        };
        let meeting = self.commission.detail.as_ref().map(|d| d.id);
        // The protocol was written but the viewer did not open: said as an error, in words.
        let mut viewer_error = None;
        let result: Result<Option<String>, ServiceError> = match action {
            CommissionAction::Refresh => Ok(None),
            CommissionAction::OpenMeeting(id) => {
                self.commission.detail = c::meeting_detail(store, session, id)
                    .ok()
                    .map(std::rc::Rc::new);
                self.commission.view = CommissionView::Meeting;
                self.commission.select(0);
                Ok(None)
            }
            CommissionAction::CreateMeeting {
                held_on,
                place,
                agenda,
            } => c::create_meeting(store, session, now, held_on, &place, &agenda).map(|id| {
                self.commission.detail = c::meeting_detail(store, session, id)
                    .ok()
                    .map(std::rc::Rc::new);
                self.commission.view = CommissionView::Meeting;
                self.commission.chosen.clear();
                self.commission.select(0);
                Some(self.tr.f("commission.created", &[&id.to_string()]))
            }),
            CommissionAction::SetAttendance { member, present } => match meeting {
                Some(m) => {
                    c::set_attendance(store, session, now, m, member, present).map(|()| None)
                }
                None => Ok(None),
            },
            CommissionAction::Conflict {
                member,
                application,
                declared,
            } => match meeting {
                Some(m) if declared => {
                    c::declare_conflict(store, session, now, m, member, application, "")
                        .map(|()| None)
                }
                Some(m) => {
                    c::withdraw_conflict(store, session, now, m, member, application).map(|()| None)
                }
                None => Ok(None),
            },
            CommissionAction::Save {
                application,
                input,
                recommendation,
            } => match meeting {
                Some(m) => {
                    c::score(store, session, now, m, application, None, &input).and_then(|s| {
                        c::recommend(store, session, now, Some(m), application, &recommendation)
                            .map(|()| Some(self.tr.f("commission.saved", &[&s.total.to_string()])))
                    })
                }
                None => Ok(None),
            },
            CommissionAction::SaveMember(member) => c::save_member(store, session, now, &member)
                .map(|_| {
                    self.commission.new_member = commission::MemberForm::default();
                    Some(self.tr.t("admin.saved").to_string())
                }),
            CommissionAction::Reschedule { meeting, held_on } => {
                c::reschedule_meeting(store, session, now, meeting, held_on).map(|moved| {
                    self.commission.reschedule = None;
                    let day = widgets::date(moved.held_on);
                    Some(if moved.past_limit.is_empty() {
                        self.tr.f("meeting.rescheduled", &[&day])
                    } else {
                        self.tr.f(
                            "meeting.rescheduled_late",
                            &[&day, &moved.past_limit.join(", ")],
                        )
                    })
                })
            }
            CommissionAction::CancelMeeting(id) => {
                c::cancel_meeting(store, session, now, id).map(|returned| {
                    self.commission.detail = None;
                    self.commission.view = CommissionView::Meetings;
                    Some(self.tr.f(
                        "meeting.cancelled",
                        &[&id.to_string(), &returned.len().to_string()],
                    ))
                })
            }
            CommissionAction::PrintProtocol(id) => {
                crate::service::printing::print_protocol(store, session, now, id).map(|pdf| {
                    match super::files::open_temp(&self.tr, &format!("protocol-{id}.pdf"), &pdf) {
                        Ok(path) => Some(self.tr.f(
                            "commission.protocol_written",
                            &[&path.display().to_string()],
                        )),
                        Err(text) => {
                            viewer_error = Some(text);
                            None
                        }
                    }
                })
            }
            CommissionAction::SharedScreen(on) => {
                self.commission.shared = on;
                self.shared_changed = true;
                Ok(None)
            }
            CommissionAction::Projector(on) => {
                self.commission.projector = on;
                Ok(None)
            }
        };
        self.commission.message = match result {
            Ok(Some(text)) => Some((true, text)),
            Ok(None) => viewer_error.map(|text| (false, text)),
            Err(e) => Some((false, widgets::service_error(&self.tr, &e))),
        };
        self.registry.invalidate();
        self.refresh_commission();
    }
}
