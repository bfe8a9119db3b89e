//! The commission (R§6, R§9, R§10): members, meetings and their agenda, attendance and
//! conflicts, the secretary's scoring panel, and the shared screen for the members.
//!
//! **The shared screen** is the same window switched to large type, one applicant at a time:
//! a projector in a meeting room usually mirrors the secretary's laptop, so one window that
//! changes mode works on one projector and one laptop alike, and the operator moves with the
//! arrow keys. It never shows identity numbers, addresses, phones or e-mails (SPEC §10).

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::Ctx;
use super::i18n::Tr;
use super::theme::{Theme, Urgency};
use super::widgets::{self, text_field_ui};
use crate::domain::calendar::Calendar;
use crate::domain::refusal::{RefusalGround, proposed_ground};
use crate::domain::scoring::{
    EducationCriterion as C, Scheme, Score, ScoreInput, WorkPeriod, score,
};
use crate::domain::sequence;
use crate::domain::status::ApplicationStatus;
use crate::service::commission::{
    Candidate, MeetingDetail, MeetingRow, Member, MemberGroup, MemberRole, Recommendation,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommissionAction {
    Refresh,
    OpenMeeting(i64),
    CreateMeeting {
        held_on: NaiveDate,
        place: String,
        agenda: Vec<i64>,
    },
    SetAttendance {
        member: i64,
        present: bool,
    },
    Conflict {
        member: i64,
        application: i64,
        declared: bool,
    },
    Save {
        application: i64,
        input: ScoreInput,
        recommendation: Recommendation,
    },
    SaveMember(Box<Member>),
    /// Move a meeting that has not taken place to another working day.
    Reschedule {
        meeting: i64,
        held_on: NaiveDate,
    },
    /// Cancel a meeting that has not taken place; its agenda returns to the candidates.
    CancelMeeting(i64),
    PrintProtocol(i64),
    SharedScreen(bool),
    /// Opens or closes the projector's window (a second OS window with the shared screen).
    Projector(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Meetings,
    Meeting,
    Members,
}

/// The scoring panel's form for the current applicant.
// The flags are the panel's own checkboxes and radio buttons.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScoreForm {
    pub application: i64,
    pub higher: bool,
    pub degree: bool,
    pub english: bool,
    pub periods: Vec<(String, String)>,
    pub issue: bool,
    pub ground: Option<RefusalGround>,
    pub motivation: String,
    /// The refusal on ground 2 was proposed by the score, not chosen by the commission: it
    /// goes away when the score reaches the threshold again.
    pub proposed: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CommissionScreen {
    pub view: View,
    pub meetings: Vec<MeetingRow>,
    pub candidates: Vec<Candidate>,
    pub members: Vec<Member>,
    pub new_date: String,
    pub new_place: String,
    pub chosen: Vec<i64>,
    /// Shared: the meeting screen takes a handle each frame instead of copying the meeting.
    pub detail: Option<std::rc::Rc<MeetingDetail>>,
    pub current: usize,
    pub form: ScoreForm,
    pub new_member: MemberForm,
    pub shared: bool,
    /// The shared screen is also shown in a window of its own, for the projector, while this
    /// window keeps the scoring panel.
    pub projector: bool,
    pub message: Option<(bool, String)>,
    /// The new day typed for the open meeting (`Some` while the form is open).
    pub reschedule: Option<String>,
    pub confirm_cancel: bool,
}

#[derive(Debug, Clone, Default)]
pub struct MemberForm {
    /// The member being edited (the form changes it instead of adding one).
    pub editing: Option<Member>,
    pub full_name: String,
    pub organisation: String,
    pub position: String,
    pub group: Option<MemberGroup>,
    pub role: Option<MemberRole>,
}

fn group_name(tr: &Tr, g: MemberGroup) -> &str {
    match g {
        MemberGroup::LocalExecutive => tr.t("group.local_executive"),
        MemberGroup::Education => tr.t("group.education"),
        MemberGroup::InternalAffairs => tr.t("group.internal_affairs"),
        MemberGroup::IndustrialInnovation => tr.t("group.industrial_innovation"),
        MemberGroup::Atameken => tr.t("group.atameken"),
        MemberGroup::Associations => tr.t("group.associations"),
        MemberGroup::SectorBodies => tr.t("group.sector_bodies"),
    }
}

fn member_role_name(tr: &Tr, r: MemberRole) -> &str {
    match r {
        MemberRole::Chair => tr.t("member_role.chair"),
        MemberRole::Secretary => tr.t("member_role.secretary"),
        MemberRole::Member => tr.t("member_role.member"),
    }
}

pub fn ground_name(tr: &Tr, g: RefusalGround) -> &str {
    match g {
        RefusalGround::QualificationMismatch => tr.t("ground.1"),
        RefusalGround::BelowThreshold => tr.t("ground.2"),
        RefusalGround::UnreliableDocuments => tr.t("ground.3"),
    }
}

impl ScoreForm {
    /// The form for an agenda item: its stored score and recommendation, or empty.
    pub fn for_item(item: &crate::service::commission::AgendaItem) -> Self {
        let mut form = Self {
            application: item.application_id,
            issue: true,
            ..Self::default()
        };
        if let Some((_, input)) = &item.score {
            form.higher = input.higher_education;
            form.degree = input.academic_degree;
            form.english = input.english_certificate;
            form.periods = input
                .periods
                .iter()
                .map(|p| (widgets::date(p.from), widgets::date(p.to)))
                .collect();
        }
        match &item.recommendation {
            Some(Recommendation::Refuse { ground, motivation }) => {
                form.issue = false;
                form.ground = Some(*ground);
                form.motivation.clone_from(motivation);
            }
            Some(Recommendation::Issue) | None => {}
        }
        form
    }

    /// The periods that parse; `None` if any is wrong (shown next to it).
    pub fn input(&self) -> Option<ScoreInput> {
        let mut periods = Vec::new();
        for (from, to) in &self.periods {
            let (Some(from), Some(to)) = (widgets::parse_date(from), widgets::parse_date(to))
            else {
                return None;
            };
            periods.push(WorkPeriod::new(from, to).ok()?);
        }
        Some(ScoreInput {
            higher_education: self.higher,
            academic_degree: self.degree,
            english_certificate: self.english,
            periods,
        })
    }
}

impl CommissionScreen {
    fn current_item(&self) -> Option<&crate::service::commission::AgendaItem> {
        self.detail.as_ref().and_then(|d| d.items.get(self.current))
    }

    /// Moves to agenda item `index` and loads its form.
    pub fn select(&mut self, index: usize) {
        if let Some(item) = self.detail.as_ref().and_then(|d| d.items.get(index)) {
            self.current = index;
            self.form = ScoreForm::for_item(item);
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(&mut self, ui: &mut Ui, ctx: &Ctx<'_>, scheme: &Scheme) -> Option<CommissionAction> {
        let Ctx {
            tr,
            theme,
            calendar,
            today,
            ..
        } = *ctx;
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr.t("commission.title"));
            ui.add_space(16.0);
            for (view, key) in [
                (View::Meetings, "commission.meetings"),
                (View::Members, "commission.members"),
            ] {
                if ui.selectable_label(self.view == view, tr.t(key)).clicked() {
                    self.view = view;
                    action = Some(CommissionAction::Refresh);
                }
            }
            if let Some(detail) = &self.detail
                && ui
                    .selectable_label(
                        self.view == View::Meeting,
                        tr.f("commission.meeting_tab", &[&detail.id.to_string()]),
                    )
                    .clicked()
            {
                self.view = View::Meeting;
            }
        });
        // The screen's message goes to the window's status bar (issue 14), not here.
        ui.separator();
        let more = match self.view {
            View::Meetings => self.meetings_ui(ui, tr, theme, calendar, today),
            View::Members => self.members_ui(ui, tr, theme),
            View::Meeting => self.meeting_ui(ui, tr, theme, scheme, calendar, today),
        };
        more.or(action)
    }

    fn meetings_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> Option<CommissionAction> {
        let mut action = None;
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            ui.label(RichText::new(tr.t("commission.new_meeting")).strong());
            text_field_ui(ui, tr.t("commission.date"), &mut self.new_date, None, theme);
            text_field_ui(
                ui,
                tr.t("commission.place"),
                &mut self.new_place,
                None,
                theme,
            );
            ui.label(tr.t("commission.candidates"));
            if self.candidates.is_empty() {
                ui.label(
                    RichText::new(tr.t("commission.no_candidates")).color(theme.muted_colour()),
                );
            }
            egui::ScrollArea::vertical()
                .id_salt("candidates")
                .max_height(320.0)
                .show(ui, |ui| {
                    for c in &self.candidates {
                        let mut chosen = self.chosen.contains(&c.id);
                        if ui
                            .checkbox(&mut chosen, format!("{} {}", c.number, c.applicant))
                            .changed()
                        {
                            if chosen {
                                self.chosen.push(c.id);
                            } else {
                                self.chosen.retain(|id| *id != c.id);
                            }
                        }
                        ui.horizontal(|ui| {
                            ui.add_space(24.0);
                            ui.add(
                                egui::Label::new(RichText::new(&c.profession).small()).truncate(),
                            );
                        });
                        ui.horizontal(|ui| {
                            ui.add_space(24.0);
                            ui.label(
                                widgets::deadline_text(tr, theme, calendar, today, c.commission_by)
                                    .small(),
                            );
                        });
                    }
                });
            if !self.chosen.is_empty() {
                ui.label(tr.t("commission.order"));
                let mut swap = None;
                for (i, id) in self.chosen.iter().enumerate() {
                    let name = self
                        .candidates
                        .iter()
                        .find(|c| c.id == *id)
                        .map(|c| c.applicant.clone())
                        .unwrap_or_default();
                    ui.horizontal(|ui| {
                        ui.label(format!("{}. {name}", i + 1));
                        if i > 0 && ui.small_button(tr.t("commission.up")).clicked() {
                            swap = Some((i - 1, i));
                        }
                    });
                }
                if let Some((a, b)) = swap {
                    self.chosen.swap(a, b);
                }
            }
            if ui.button(tr.t("commission.create")).clicked() {
                match widgets::parse_date(&self.new_date) {
                    Some(held_on)
                        if !self.new_place.trim().is_empty() && !self.chosen.is_empty() =>
                    {
                        action = Some(CommissionAction::CreateMeeting {
                            held_on,
                            place: self.new_place.clone(),
                            agenda: self.chosen.clone(),
                        });
                    }
                    _ => self.message = Some((false, tr.t("commission.create_needs").into())),
                }
            }
            // Below the button, so that the button does not move while the date is typed
            // (issue 14). R§9, A2.7: a day off is said before saving (the service refuses it),
            // and the chosen applications whose 3-working-day limit the day passes are named.
            if let Some(held_on) = widgets::parse_date(&self.new_date) {
                let late: Vec<&str> = self
                    .candidates
                    .iter()
                    .filter(|c| {
                        self.chosen.contains(&c.id)
                            && sequence::meeting_past_commission_limit(held_on, c.commission_by)
                    })
                    .map(|c| c.number.as_str())
                    .collect();
                meeting_day_warnings(ui, tr, theme, calendar, held_on, &late);
            }
            let ui = &mut columns[1];
            ui.label(RichText::new(tr.t("commission.past_meetings")).strong());
            if self.meetings.is_empty() {
                ui.label(RichText::new(tr.t("commission.no_meetings")).color(theme.muted_colour()));
            }
            egui::ScrollArea::vertical()
                .id_salt("meetings")
                .show(ui, |ui| {
                    for m in &self.meetings {
                        let text = tr.f(
                            "commission.meeting_row",
                            &[
                                &m.id.to_string(),
                                &widgets::date(m.held_on),
                                &m.place,
                                &m.items.to_string(),
                            ],
                        );
                        if ui.button(text).clicked() {
                            action = Some(CommissionAction::OpenMeeting(m.id));
                        }
                    }
                });
        });
        action
    }

    fn members_ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<CommissionAction> {
        let mut action = None;
        // The table fits the window (issue 14: «Вывести из состава» was cut at the right edge):
        // both buttons stand first, beside the name, and the long texts wrap in their columns.
        let spacing = ui.spacing().item_spacing.x;
        let buttons = [tr.t("member.edit"), tr.t("member.leave_button")]
            .iter()
            .map(|t| widgets::text_width(ui, t) + 2.0 * ui.spacing().button_padding.x)
            .fold(0.0, f32::max);
        let column = ((ui.available_width() - buttons - 7.0 * spacing) / 6.0).max(110.0);
        egui::Grid::new("members")
            .striped(true)
            .num_columns(7)
            .max_col_width(column.max(buttons))
            .show(ui, |ui| {
                ui.label("");
                for key in [
                    "user.full_name",
                    "member.organisation",
                    "member.position",
                    "member.group",
                    "member.role",
                    "member.term",
                ] {
                    ui.strong(tr.t(key));
                }
                ui.end_row();
                for m in &self.members {
                    ui.vertical(|ui| {
                        if ui.small_button(tr.t("member.edit")).clicked() {
                            self.new_member = MemberForm {
                                editing: Some(m.clone()),
                                full_name: m.full_name.clone(),
                                organisation: m.organisation.clone(),
                                position: m.position.clone(),
                                group: Some(m.group),
                                role: Some(m.role),
                            };
                        }
                        // Leaving the commission: inactive from today, kept in past protocols.
                        // The button names the member for a screen reader (and the tests).
                        if m.active {
                            let named = tr.f("member.leave", &[&m.full_name]);
                            let leave = ui.small_button(tr.t("member.leave_button"));
                            leave.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &named)
                            });
                            if leave.on_hover_text(&named).clicked() {
                                let mut left = m.clone();
                                left.active = false;
                                left.end_date =
                                    Some(chrono::Local::now().date_naive().max(m.start_date));
                                action = Some(CommissionAction::SaveMember(Box::new(left)));
                            }
                        }
                    });
                    ui.label(&m.full_name);
                    ui.label(&m.organisation);
                    ui.label(&m.position);
                    ui.label(group_name(tr, m.group));
                    ui.label(member_role_name(tr, m.role));
                    let term = match m.end_date {
                        Some(end) => tr.f(
                            "member.term_ended",
                            &[&widgets::date(m.start_date), &widgets::date(end)],
                        ),
                        None => tr.f("member.term_open", &[&widgets::date(m.start_date)]),
                    };
                    ui.label(term);
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        let f = &mut self.new_member;
        match &f.editing {
            Some(m) => ui.label(RichText::new(tr.f("member.editing", &[&m.full_name])).strong()),
            None => ui.label(RichText::new(tr.t("member.new")).strong()),
        };
        text_field_ui(ui, tr.t("user.full_name"), &mut f.full_name, None, theme);
        text_field_ui(
            ui,
            tr.t("member.organisation"),
            &mut f.organisation,
            None,
            theme,
        );
        text_field_ui(ui, tr.t("member.position"), &mut f.position, None, theme);
        ui.horizontal(|ui| {
            let label = widgets::form_label(ui, tr.t("member.group"));
            egui::ComboBox::from_id_salt("member_group")
                .selected_text(f.group.map_or("—", |g| group_name(tr, g)))
                .show_ui(ui, |ui| {
                    for g in MemberGroup::ALL {
                        ui.selectable_value(&mut f.group, Some(g), group_name(tr, g));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = widgets::form_label(ui, tr.t("member.role"));
            egui::ComboBox::from_id_salt("member_role")
                .selected_text(f.role.map_or("—", |r| member_role_name(tr, r)))
                .show_ui(ui, |ui| {
                    for r in [MemberRole::Chair, MemberRole::Secretary, MemberRole::Member] {
                        ui.selectable_value(&mut f.role, Some(r), member_role_name(tr, r));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if let Some(editing) = f.editing.clone() {
            ui.horizontal(|ui| {
                if ui.button(tr.t("member.save_changes")).clicked() {
                    let member = Member {
                        full_name: f.full_name.clone(),
                        organisation: f.organisation.clone(),
                        position: f.position.clone(),
                        group: f.group.unwrap_or(editing.group),
                        role: f.role.unwrap_or(editing.role),
                        ..editing
                    };
                    action = Some(CommissionAction::SaveMember(Box::new(member)));
                }
                if ui.button(tr.t("dialog.cancel")).clicked() {
                    *f = MemberForm::default();
                }
            });
        } else if ui.button(tr.t("member.add")).clicked() {
            let member = Member {
                id: 0,
                full_name: f.full_name.clone(),
                organisation: f.organisation.clone(),
                position: f.position.clone(),
                group: f.group.unwrap_or(MemberGroup::LocalExecutive),
                role: f.role.unwrap_or(MemberRole::Member),
                active: true,
                start_date: chrono::Local::now().date_naive(),
                end_date: None,
            };
            action = Some(CommissionAction::SaveMember(Box::new(member)));
        }
        action
    }

    /// The new day of a meeting and the cancellation's confirmation. The day must be a working
    /// day of the calendar; a day past an applicant's R§9 limit is warned of before saving.
    fn reschedule_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        detail: &MeetingDetail,
        calendar: &Calendar,
    ) -> Option<CommissionAction> {
        let mut action = None;
        if let Some(day) = &mut self.reschedule {
            text_field_ui(ui, tr.t("meeting.new_date"), day, None, theme);
            let parsed = widgets::parse_date(day);
            let mut close = false;
            ui.horizontal(|ui| {
                if ui.button(tr.t("meeting.reschedule_save")).clicked() {
                    match parsed {
                        Some(held_on) => {
                            action = Some(CommissionAction::Reschedule {
                                meeting: detail.id,
                                held_on,
                            });
                        }
                        None => {
                            self.message = Some((false, tr.t("meeting.date_needed").into()));
                        }
                    }
                }
                if ui.button(tr.t("dialog.cancel")).clicked() {
                    close = true;
                }
            });
            // Below the buttons, so that they do not move while the date is typed.
            if let Some(held_on) = parsed {
                let late: Vec<&str> = detail
                    .items
                    .iter()
                    .filter(|i| {
                        i.status == ApplicationStatus::WithCommission
                            && sequence::meeting_past_commission_limit(held_on, i.commission_by)
                    })
                    .map(|i| i.number.as_str())
                    .collect();
                meeting_day_warnings(ui, tr, theme, calendar, held_on, &late);
            }
            if close {
                self.reschedule = None;
            }
        }
        if self.confirm_cancel {
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_cancel_meeting")).show(ui.ctx(), |ui| {
                    ui.label(tr.f(
                        "meeting.cancel_confirm",
                        &[
                            &detail.id.to_string(),
                            &widgets::date(detail.held_on),
                            &detail.items.len().to_string(),
                        ],
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("meeting.cancel_yes")).clicked() {
                            action = Some(CommissionAction::CancelMeeting(detail.id));
                            self.confirm_cancel = false;
                        }
                        if ui.button(tr.t("meeting.cancel_no")).clicked() {
                            self.confirm_cancel = false;
                        }
                    });
                });
            if modal.should_close() {
                self.confirm_cancel = false;
            }
        }
        action
    }

    #[allow(clippy::too_many_lines)]
    fn meeting_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        scheme: &Scheme,
        calendar: &Calendar,
        today: NaiveDate,
    ) -> Option<CommissionAction> {
        let mut action = None;
        let detail = self.detail.clone()?;
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(tr.f(
                    "commission.meeting_header",
                    &[
                        &detail.id.to_string(),
                        &widgets::date(detail.held_on),
                        &detail.place,
                    ],
                ))
                .strong(),
            );
            if ui.button(tr.t("commission.shared_on")).clicked() {
                action = Some(CommissionAction::SharedScreen(true));
            }
            if ui
                .selectable_label(self.projector, tr.t("commission.projector"))
                .on_hover_text(tr.t("commission.projector_hint"))
                .clicked()
            {
                action = Some(CommissionAction::Projector(!self.projector));
            }
            if ui.button(tr.t("commission.protocol")).clicked() {
                action = Some(CommissionAction::PrintProtocol(detail.id));
            }
            if ui.button(tr.t("meeting.reschedule")).clicked() {
                self.reschedule = Some(widgets::date(detail.held_on));
            }
            if ui.button(tr.t("meeting.cancel")).clicked() {
                self.confirm_cancel = true;
            }
        });
        if let Some(more) = self.reschedule_ui(ui, tr, theme, &detail, calendar) {
            action = Some(more);
        }
        ui.columns(2, |columns| {
            let ui = &mut columns[0];
            ui.label(RichText::new(tr.t("commission.attendance")).strong());
            for (member, present) in &detail.attendance {
                let mut p = *present;
                let text = format!(
                    "{} — {} ({})",
                    member.full_name,
                    member.organisation,
                    member_role_name(tr, member.role)
                );
                if ui.checkbox(&mut p, text).changed() {
                    action = Some(CommissionAction::SetAttendance {
                        member: member.id,
                        present: p,
                    });
                }
            }
            ui.add_space(8.0);
            ui.label(RichText::new(tr.t("commission.agenda")).strong());
            for (i, item) in detail.items.iter().enumerate() {
                let (urgency, _) = widgets::urgency(calendar, today, item.commission_by);
                let done = item.status != ApplicationStatus::WithCommission;
                let due = matches!(urgency, Urgency::Overdue | Urgency::DueSoon) && !done;
                let status = widgets::status(tr, item.status);
                let mut text = RichText::new(format!(
                    "{}. {} — {} · {}",
                    i + 1,
                    item.applicant,
                    item.profession,
                    status
                ));
                if due {
                    text = text.color(theme.error_colour());
                }
                if ui.selectable_label(self.current == i, text).clicked() {
                    self.select(i);
                }
                if !done {
                    ui.label(
                        RichText::new(tr.f(
                            "commission.due",
                            &[&item.commission_by.map(widgets::date).unwrap_or_default()],
                        ))
                        .small(),
                    );
                }
            }

            let ui = &mut columns[1];
            let Some(item) = detail.items.get(self.current) else {
                return;
            };
            if self.form.application != item.application_id {
                self.form = ScoreForm::for_item(item);
            }
            ui.label(RichText::new(tr.f("commission.scoring", &[&item.applicant])).strong());
            ui.label(format!("{} · {}", item.profession, item.sector));
            for (doc, received) in &item.documents {
                let mark = if *received {
                    tr.t("commission.received")
                } else {
                    tr.t("commission.missing")
                };
                ui.label(
                    RichText::new(format!("{} — {mark}", widgets::document(tr, *doc))).small(),
                );
            }
            ui.add_space(4.0);
            let f = &mut self.form;
            let p = |c| scheme.education_points(c);
            ui.checkbox(
                &mut f.higher,
                tr.f("score.higher", &[&p(C::HigherEducation).to_string()]),
            );
            ui.checkbox(
                &mut f.degree,
                tr.f("score.degree", &[&p(C::AcademicDegree).to_string()]),
            );
            ui.checkbox(
                &mut f.english,
                tr.f("score.english", &[&p(C::EnglishCertificate).to_string()]),
            );
            ui.label(tr.t("score.periods"));
            let mut remove = None;
            for (i, (from, to)) in f.periods.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    let l1 = ui.label(tr.t("score.from"));
                    ui.add(egui::TextEdit::singleline(from).desired_width(100.0))
                        .labelled_by(l1.id);
                    let l2 = ui.label(tr.t("score.to"));
                    ui.add(egui::TextEdit::singleline(to).desired_width(100.0))
                        .labelled_by(l2.id);
                    if ui.small_button(tr.t("score.remove")).clicked() {
                        remove = Some(i);
                    }
                });
            }
            if let Some(i) = remove {
                f.periods.remove(i);
            }
            if ui.button(tr.t("score.add_period")).clicked() {
                f.periods.push((String::new(), String::new()));
            }
            let input = f.input();
            let result: Option<Score> = input.as_ref().map(|i| score(scheme, i));
            match &result {
                Some(s) => {
                    ui.label(tr.f(
                        "score.experience",
                        &[
                            &s.service.years.to_string(),
                            &s.service.months.to_string(),
                            &s.service.days.to_string(),
                            &s.experience_points.to_string(),
                        ],
                    ));
                    let colour = if s.passed {
                        theme.ok_colour()
                    } else {
                        theme.error_colour()
                    };
                    ui.label(
                        RichText::new(tr.f(
                            "score.total",
                            &[&s.total.to_string(), &s.threshold.to_string()],
                        ))
                        .strong()
                        .color(colour),
                    );
                }
                None => {
                    ui.label(RichText::new(tr.t("score.bad_period")).color(theme.error_colour()));
                }
            }
            // A score below the threshold proposes ground 2 (A2.9.2); the commission may choose another.
            match result.as_ref().map(proposed_ground) {
                Some(Some(proposed)) if f.ground.is_none() => {
                    f.issue = false;
                    f.ground = Some(proposed);
                    f.proposed = true;
                }
                Some(None) if f.proposed => {
                    f.issue = true;
                    f.ground = None;
                    f.proposed = false;
                }
                _ => {}
            }
            ui.horizontal(|ui| {
                let a = ui
                    .radio_value(&mut f.issue, true, tr.t("score.recommend_issue"))
                    .clicked();
                let b = ui
                    .radio_value(&mut f.issue, false, tr.t("score.recommend_refuse"))
                    .clicked();
                if a || b {
                    f.proposed = false;
                }
            });
            if !f.issue {
                for g in RefusalGround::ALL {
                    if ui
                        .radio_value(&mut f.ground, Some(g), ground_name(tr, g))
                        .clicked()
                    {
                        f.proposed = false;
                    }
                }
                if let Some(g) = f.ground {
                    ui.label(RichText::new(g.legal_wording_ru()).small().italics());
                }
                let label = ui.label(tr.t("score.motivation"));
                ui.add(egui::TextEdit::multiline(&mut f.motivation).desired_rows(3))
                    .labelled_by(label.id);
            }
            // Conflicts of interest of the members present (R§9).
            ui.label(RichText::new(tr.t("commission.conflicts")).strong());
            for (member, present) in &detail.attendance {
                if !present {
                    continue;
                }
                let mut declared = item.conflicted_members.contains(&member.id);
                if ui
                    .checkbox(
                        &mut declared,
                        tr.f("commission.conflict_of", &[&member.full_name]),
                    )
                    .changed()
                {
                    action = Some(CommissionAction::Conflict {
                        member: member.id,
                        application: item.application_id,
                        declared,
                    });
                }
            }
            let can_save = item.status == ApplicationStatus::WithCommission;
            if ui
                .add_enabled(can_save, egui::Button::new(tr.t("score.save")))
                .clicked()
            {
                match (input, f.issue, f.ground) {
                    (None, _, _) => self.message = Some((false, tr.t("score.bad_period").into())),
                    (Some(input), true, _) => {
                        action = Some(CommissionAction::Save {
                            application: item.application_id,
                            input,
                            recommendation: Recommendation::Issue,
                        });
                    }
                    (Some(_), false, None) => {
                        self.message = Some((false, tr.t("score.ground_needed").into()));
                    }
                    (Some(_), false, Some(_)) if f.motivation.trim().is_empty() => {
                        self.message = Some((false, tr.t("score.motivation_needed").into()));
                    }
                    (Some(input), false, Some(ground)) => {
                        let recommendation = Recommendation::Refuse {
                            ground,
                            motivation: f.motivation.clone(),
                        };
                        action = Some(CommissionAction::Save {
                            application: item.application_id,
                            input,
                            recommendation,
                        });
                    }
                }
            }
        });
        action
    }

    /// The shared screen: one applicant, large type, nothing that identifies the person beyond
    /// the name (SPEC §10). Arrows move; Esc leaves. Without `controls` (the projector's window,
    /// led from the scoring panel) it has no buttons and Esc is left to the window.
    pub fn shared_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        scheme: &Scheme,
        controls: bool,
    ) -> Option<CommissionAction> {
        let mut action = None;
        let count = self.detail.as_ref().map_or(0, |d| d.items.len());
        let (left, right, escape) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowLeft),
                i.key_pressed(egui::Key::ArrowRight),
                i.key_pressed(egui::Key::Escape),
            )
        });
        if right && self.current + 1 < count {
            self.select(self.current + 1);
        }
        if left && self.current > 0 {
            self.select(self.current - 1);
        }
        if escape && controls {
            action = Some(CommissionAction::SharedScreen(false));
        }
        let Some(item) = self.current_item().cloned() else {
            ui.heading(tr.t("shared.empty"));
            return action;
        };
        let big = |text: String, size: f32| RichText::new(text).size(size * theme.scale);
        ui.label(
            big(
                tr.f(
                    "shared.progress",
                    &[&(self.current + 1).to_string(), &count.to_string()],
                ),
                20.0,
            )
            .color(theme.muted_colour()),
        );
        ui.add_space(10.0);
        ui.label(big(item.applicant.clone(), 44.0).strong());
        let citizenship = if item.citizenship.is_empty() {
            tr.t("field.stateless").to_string()
        } else {
            item.citizenship.clone()
        };
        ui.label(big(citizenship, 26.0));
        ui.add_space(12.0);
        ui.label(big(item.profession.clone(), 30.0).strong());
        ui.label(big(item.sector.clone(), 22.0));
        ui.add_space(12.0);
        for (doc, received) in &item.documents {
            let mark = if *received {
                tr.t("commission.received")
            } else {
                tr.t("commission.missing")
            };
            ui.label(big(
                format!("{} — {mark}", widgets::document(tr, *doc)),
                20.0,
            ));
        }
        let input = if self.form.application == item.application_id {
            self.form.input()
        } else {
            item.score.as_ref().map(|(_, i)| i.clone())
        };
        if let Some(input) = input {
            let s = score(scheme, &input);
            let mut marks = Vec::new();
            if input.higher_education {
                marks.push(tr.t("shared.higher"));
            }
            if input.academic_degree {
                marks.push(tr.t("shared.degree"));
            }
            if input.english_certificate {
                marks.push(tr.t("shared.english"));
            }
            if !marks.is_empty() {
                ui.label(big(marks.join(" · "), 22.0));
            }
            for p in &input.periods {
                ui.label(big(
                    tr.f(
                        "shared.period",
                        &[&widgets::date(p.from), &widgets::date(p.to)],
                    ),
                    20.0,
                ));
            }
            ui.add_space(12.0);
            let colour = if s.passed {
                theme.ok_colour()
            } else {
                theme.error_colour()
            };
            ui.label(
                big(
                    tr.f(
                        "score.total",
                        &[&s.total.to_string(), &s.threshold.to_string()],
                    ),
                    40.0,
                )
                .strong()
                .color(colour),
            );
        }
        if let Some(by) = item.commission_by {
            ui.label(
                big(tr.f("commission.due", &[&widgets::date(by)]), 18.0)
                    .color(theme.muted_colour()),
            );
        }
        if !controls {
            return action;
        }
        ui.add_space(20.0);
        ui.horizontal(|ui| {
            if ui.button(tr.t("shared.previous")).clicked() && self.current > 0 {
                self.select(self.current - 1);
            }
            if ui.button(tr.t("shared.next")).clicked() && self.current + 1 < count {
                self.select(self.current + 1);
            }
            if ui.button(tr.t("shared.exit")).clicked() {
                action = Some(CommissionAction::SharedScreen(false));
            }
        });
        action
    }
}

/// R§9, A2.7: what is said about a meeting's day before it is saved, for a new meeting and a
/// moved one alike: a day off (the service refuses it), and the applications on the agenda whose
/// 3-working-day limit the day passes (`late`, allowed but explained).
fn meeting_day_warnings(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    calendar: &Calendar,
    held_on: chrono::NaiveDate,
    late: &[&str],
) {
    if !sequence::meeting_day_allowed(calendar, held_on) {
        let info = calendar.day(held_on);
        ui.label(
            RichText::new(tr.f(
                "meeting.day_off",
                &[
                    &widgets::date(held_on),
                    &widgets::day_reason(tr, &info.reason),
                ],
            ))
            .color(theme.error_colour()),
        );
    }
    if !late.is_empty() {
        ui.label(
            RichText::new(tr.f(
                "meeting.past_limit_explain",
                &[&widgets::date(held_on), &late.join(", ")],
            ))
            .color(theme.urgency_colour(Urgency::DueSoon)),
        );
    }
}
