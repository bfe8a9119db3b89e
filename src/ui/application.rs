//! One application: its data, documents, deadlines with their explanation, history, and the
//! actions the user's role allows.

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::Ctx;
use super::i18n::Tr;
use super::intake::channel_name;
use super::theme::Theme;
use super::widgets;
use crate::domain::calendar::Calendar;
use crate::domain::deadline::Step;
use crate::domain::documents::DocumentType;
use crate::domain::kind::ApplicationKind;
use crate::domain::roles::Action;
use crate::domain::status::ApplicationStatus;
use crate::service::Session;
use crate::service::applications::ApplicationFile;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ViewAction {
    Forward,
    Withdraw(String),
    SetReceived(DocumentType, bool),
    Attach(DocumentType),
    OpenFile {
        sha256: String,
        file_name: String,
    },
    Close,
    /// The akimat's decision (R§11, R§12, A2.5).
    Decide(crate::service::certificates::Decision),
    /// A certificate to PDF: preview (not a copy) or print (a recorded copy).
    PrintCertificate {
        number: String,
        duplicate: bool,
        preview: bool,
        form_serial: String,
    },
    PrintApplication,
    PrintRefusal,
    /// R§21: revocation on a control body's act.
    Revoke {
        certificate: i64,
        act: crate::service::certificates::ControlAct,
        grounds: String,
    },
    /// R§18, R§20: a notice of the holder.
    Notice {
        certificate: i64,
        notice: crate::service::certificates::Notice,
    },
    /// Chapter 3: a complaint about the application.
    Complaint(crate::service::complaints::NewComplaint),
    CloseComplaint {
        id: i64,
        outcome: crate::service::complaints::ComplaintOutcome,
        text: String,
    },
    /// A spoiled printed form, written off with a reason.
    Spoil {
        copy: i64,
        reason: String,
    },
    /// Draw the certificate in the window (a sample, not a copy).
    Preview {
        number: String,
        duplicate: bool,
    },
    /// Attach the file at a typed path (when the file dialog could not open).
    AttachPath(DocumentType, String),
    /// Correct the application's data in the intake form (before the decision).
    Correct,
    /// A new extension, reissue or duplicate of this certificate, filled from it.
    StartFrom {
        kind: ApplicationKind,
        number: String,
    },
    /// R§13: open the signing dialog for these results (the signatory).
    OpenSign {
        targets: Vec<crate::service::eds::Target>,
        names: Vec<String>,
    },
    /// Save a signed PDF and its .cms (by the signing's id) for upload to the portal.
    SaveSigned(i64),
}

/// The forms of the certificate's life and of complaints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LifeForm {
    /// The certificate the open form is about, and which form.
    pub open: Option<(i64, LifeFormKind)>,
    pub act_body: String,
    pub act_number: String,
    pub act_date: String,
    pub grounds: String,
    pub employer_change: bool,
    pub event_date: String,
    pub received_on: String,
    pub complaint_open: bool,
    pub to_reviewing_body: bool,
    pub received_at: String,
    pub subject: String,
    pub error: Option<String>,
    /// The printed copy being written off, and why.
    pub spoil: Option<i64>,
    pub spoil_reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifeFormKind {
    Revoke,
    Notice,
}

/// The decision form (R§11, R§12): issue with a validity the rule allows, or refuse with a ground.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecisionForm {
    pub refuse: bool,
    pub valid_to: String,
    pub basis: String,
    pub ground: Option<crate::domain::RefusalGround>,
    pub motivation: String,
    pub form_serial: String,
    /// Why the last «Записать отказ» did not go (no ground, no motivation); stays until fixed.
    pub refuse_error: Option<String>,
    /// The officer confirms refusing where the commission recommended issuing (R§11).
    pub against_recommendation: bool,
    /// Why the last «Записать решение о выдаче» did not go (a validity date that cannot be read).
    pub issue_error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApplicationScreen {
    pub file: ApplicationFile,
    pub related49: Vec<(String, String)>,
    pub message: Option<(bool, String)>,
    pub withdraw_reason: String,
    pub confirm_withdraw: bool,
    pub decision: DecisionForm,
    pub life: LifeForm,
    pub complaints: Vec<crate::service::complaints::ComplaintRow>,
    /// The certificate drawn in the window before printing.
    pub preview: Option<crate::print::certificate::CertificateSheet>,
    /// A decisive action (issue, refuse, revoke, write off a form) waiting for the officer to
    /// confirm it, with the question that names what will happen (issue 14).
    pub pending: Option<(String, ViewAction)>,
    /// The checklist item whose scan is attached by a typed path, and the path: offered when
    /// the file dialog did not give a file (issue 14: with no desktop portal it never opens).
    pub attach_path: Option<(DocumentType, String)>,
    /// The results signed with EDS, newest first (R§13).
    pub signed: Vec<crate::service::eds::SignedDocument>,
}

impl ApplicationScreen {
    pub fn new(file: ApplicationFile, related49: Vec<(String, String)>) -> Self {
        Self {
            file,
            related49,
            message: None,
            withdraw_reason: String::new(),
            confirm_withdraw: false,
            decision: DecisionForm::default(),
            life: LifeForm::default(),
            complaints: Vec::new(),
            preview: None,
            pending: None,
            attach_path: None,
            signed: Vec::new(),
        }
    }

    #[allow(clippy::too_many_lines)]
    pub fn ui(&mut self, ui: &mut Ui, ctx: &Ctx<'_>) -> Option<ViewAction> {
        let Ctx {
            tr,
            theme,
            session,
            calendar,
            today,
        } = *ctx;
        let mut action = None;
        let Self {
            file,
            related49,
            message: _,
            withdraw_reason,
            confirm_withdraw,
            decision,
            life,
            complaints,
            preview,
            pending,
            attach_path,
            signed,
        } = self;
        let app = &file.application;
        let person = &file.applicant.input;
        ui.horizontal(|ui| {
            ui.heading(tr.f("view.title", &[&app.number]));
            ui.label(RichText::new(widgets::status(tr, app.status)).strong());
            ui.add_space(20.0);
            if ui.button(tr.t("view.close")).clicked() {
                action = Some(ViewAction::Close);
            }
        });
        // The view's message goes to the window's status bar (issue 14: it pushed «Направить
        // в комиссию» to where «Заявление (PDF)» had been).
        // The actions this role may take in this status.
        ui.horizontal(|ui| {
            let complete = file.documents.iter().all(|d| d.received);
            if app.kind == ApplicationKind::Issue
                && app.status == ApplicationStatus::Registered
                && session.may(Action::ForwardToCommission)
            {
                let button = ui.add_enabled(complete, egui::Button::new(tr.t("view.forward")));
                if button.clicked() {
                    action = Some(ViewAction::Forward);
                }
            }
            if !app.status.is_final()
                && session.may(Action::EditApplication)
                && ui.button(tr.t("view.withdraw")).clicked()
            {
                *confirm_withdraw = true;
            }
            if session.may(Action::EditApplication) {
                if app.status.is_correctable() {
                    if ui.button(tr.t("edit.button")).clicked() {
                        action = Some(ViewAction::Correct);
                    }
                } else if app.status != ApplicationStatus::Withdrawn {
                    // R§22: after the decision the data changes only through a reissue.
                    ui.label(RichText::new(tr.t("edit.decided")).color(theme.muted_colour()));
                }
            }
        });
        if let Some(more) = decision_ui(ui, tr, theme, session, file, decision, calendar, today) {
            action = Some(more);
        }
        if let Some(more) = print_ui(ui, tr, session, file, decision) {
            action = Some(more);
        }
        if let Some(more) = eds_ui(ui, tr, theme, session, file, signed) {
            action = Some(more);
        }
        if let Some(more) = life_ui(ui, tr, theme, session, file, life, complaints, today) {
            action = Some(more);
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.columns(2, |columns| {
                    let ui = &mut columns[0];
                    ui.label(RichText::new(tr.t("intake.applicant")).strong());
                    egui::Grid::new("applicant_grid")
                        .max_col_width(ui.available_width() / 2.0 - 8.0)
                        .num_columns(2)
                        .striped(true)
                        .show(ui, |ui| {
                            let mut row = |label: &str, value: &str| {
                                ui.label(label);
                                ui.add(
                                    egui::Label::new(if value.is_empty() { "—" } else { value })
                                        .wrap(),
                                );
                                ui.end_row();
                            };
                            row(tr.t("view.full_name"), &file.applicant.full_name());
                            // A country of the list in the interface's language, free text
                            // as stored.
                            row(
                                tr.t("field.citizenship"),
                                crate::service::lists::countries().display(
                                    &person.citizenship,
                                    person.stateless,
                                    tr.lang == super::i18n::Lang::Kk,
                                ),
                            );
                            row(
                                tr.t("field.birth_date"),
                                &person.birth_date.map(widgets::date).unwrap_or_default(),
                            );
                            row(tr.t("field.iin"), &person.iin);
                            row(
                                tr.t("view.document"),
                                &format!(
                                    "{} {} {}",
                                    person.doc_type, person.doc_series, person.doc_number
                                ),
                            );
                            row(
                                tr.t("field.doc_issued_on"),
                                &person.doc_issued_on.map(widgets::date).unwrap_or_default(),
                            );
                            row(tr.t("field.address"), &person.address);
                            row(tr.t("field.phone"), &person.phone);
                            row(tr.t("field.email"), &person.email);
                            row(tr.t("field.residence_abroad"), &person.residence_abroad);
                            row(
                                tr.t("field.representative_name"),
                                &person.representative_name,
                            );
                        });
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr.t("intake.application")).strong());
                    egui::Grid::new("application_grid")
                        .max_col_width(ui.available_width() / 2.0 - 8.0)
                        .num_columns(2)
                        .striped(true)
                        .show(ui, |ui| {
                            let mut row = |label: &str, value: &str| {
                                ui.label(label);
                                ui.add(
                                    egui::Label::new(if value.is_empty() { "—" } else { value })
                                        .wrap(),
                                );
                                ui.end_row();
                            };
                            row(tr.t("col.kind"), widgets::kind(tr, app.kind));
                            row(tr.t("field.profession"), &file.profession.name);
                            row(
                                tr.t("view.sector"),
                                &format!(
                                    "{} / {}",
                                    file.profession.sector, file.profession.activity
                                ),
                            );
                            row(tr.t("field.employer_name"), &app.employer_name);
                            row(tr.t("field.employer_id"), &app.employer_id);
                            row(tr.t("field.channel"), channel_name(tr, app.channel));
                            row(
                                tr.t("field.filed_at"),
                                &app.filed_at.format("%d.%m.%Y %H:%M").to_string(),
                            );
                            row(
                                tr.t("field.consent"),
                                if app.consent {
                                    tr.t("view.yes")
                                } else {
                                    tr.t("view.no")
                                },
                            );
                        });
                    if !related49.is_empty() {
                        ui.add_space(8.0);
                        ui.label(RichText::new(tr.t("view.order49")).strong());
                        for (code, name) in related49.iter() {
                            ui.label(format!("{code} {name}"));
                        }
                    }

                    let ui = &mut columns[1];
                    ui.label(RichText::new(tr.t("intake.checklist")).strong());
                    let may_edit = session.may(Action::ManageDocuments) && !app.status.is_final();
                    for doc in &file.documents {
                        let mut received = doc.received;
                        let checkbox =
                            egui::Checkbox::new(&mut received, widgets::document(tr, doc.doc_type));
                        if ui.add_enabled(may_edit, checkbox).changed() {
                            action = Some(ViewAction::SetReceived(doc.doc_type, received));
                        }
                        if may_edit {
                            ui.horizontal(|ui| {
                                ui.add_space(24.0);
                                if ui.small_button(tr.t("intake.attach")).clicked() {
                                    action = Some(ViewAction::Attach(doc.doc_type));
                                }
                                // Issue 14: an item marked received with no scan says so.
                                if doc.files.is_empty() {
                                    let key = if doc.received {
                                        "view.no_file_received"
                                    } else {
                                        "view.no_file"
                                    };
                                    ui.label(RichText::new(tr.t(key)).small().color(
                                        if doc.received {
                                            theme.urgency_colour(super::theme::Urgency::DueSoon)
                                        } else {
                                            theme.muted_colour()
                                        },
                                    ));
                                }
                            });
                            // The path field, when the file dialog gave nothing for this item.
                            if let Some((for_doc, path)) = attach_path.as_mut()
                                && *for_doc == doc.doc_type
                            {
                                ui.horizontal(|ui| {
                                    ui.add_space(24.0);
                                    let label = ui.label(tr.t("view.attach_path"));
                                    ui.add(egui::TextEdit::singleline(path).desired_width(320.0))
                                        .labelled_by(label.id);
                                    if ui.small_button(tr.t("view.attach_path_go")).clicked()
                                        && !path.trim().is_empty()
                                    {
                                        action = Some(ViewAction::AttachPath(
                                            doc.doc_type,
                                            path.trim().to_string(),
                                        ));
                                    }
                                });
                            }
                        } else if doc.received && doc.files.is_empty() {
                            ui.label(
                                RichText::new(tr.t("view.no_file_received"))
                                    .small()
                                    .color(theme.muted_colour()),
                            );
                        }
                        for f in &doc.files {
                            ui.horizontal(|ui| {
                                ui.label(
                                    RichText::new(format!(
                                        "    • {} · {} {} · SHA-256 {}…",
                                        f.file_name,
                                        f.size / 1024,
                                        tr.t("unit.kb"),
                                        &f.sha256[..16]
                                    ))
                                    .small(),
                                );
                                if ui.small_button(tr.t("view.open_file")).clicked() {
                                    action = Some(ViewAction::OpenFile {
                                        sha256: f.sha256.clone(),
                                        file_name: f.file_name.clone(),
                                    });
                                }
                            });
                        }
                    }
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr.t("intake.deadlines")).strong());
                    ui.label(tr.f("deadlines.registered", &[&widgets::date(app.registered_on)]));
                    if let Some(forward) = app.forward_by {
                        ui.label(tr.f("deadlines.forward_by", &[&widgets::date(forward)]))
                            .on_hover_ui(|ui| {
                                ui.label(widgets::step_limit(tr, Step::ForwardToCommission));
                            });
                    }
                    if let Some(commission) = app.commission_by {
                        ui.label(tr.f("deadlines.commission_by", &[&widgets::date(commission)]))
                            .on_hover_ui(|ui| {
                                ui.label(widgets::step_limit(tr, Step::CommissionDecision));
                            });
                    }
                    ui.label(tr.f("deadlines.decision_by", &[&widgets::date(app.decision_by)]))
                        .on_hover_ui(|ui| {
                            ui.label(widgets::step_limit(tr, Step::decision_for(app.kind)));
                        });
                    ui.horizontal(|ui| {
                        ui.label(tr.t("col.deadline"));
                        ui.label(widgets::deadline_text(
                            tr,
                            theme,
                            calendar,
                            today,
                            app.next_deadline,
                        ))
                        .on_hover_ui(|ui| {
                            ui.label(widgets::deadline_hover(tr, app.kind, app.status));
                        });
                    });
                    egui::CollapsingHeader::new(tr.t("deadlines.why"))
                        .id_salt("view_why")
                        .show(ui, |ui| {
                            for line in &file.deadlines.explain {
                                ui.label(RichText::new(widgets::explain(tr, line)).small());
                            }
                            if let Some(commission) = &file.commission_deadline {
                                for line in &commission.explain {
                                    ui.label(RichText::new(widgets::explain(tr, line)).small());
                                }
                            }
                        });
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr.t("view.outcome")).strong());
                    let outcome = &file.outcome;
                    if let Some(total) = outcome.score_total {
                        ui.label(tr.f("view.score", &[&total.to_string()]));
                    }
                    if let Some((code, ground, motivation)) = &outcome.recommendation {
                        let text =
                            join(&[outcome_word(tr, code), &ground_text(*ground), motivation]);
                        ui.label(tr.f("view.recommendation", &[&text]));
                    }
                    if let Some((code, ground, motivation, on)) = &outcome.decision {
                        let text =
                            join(&[outcome_word(tr, code), &ground_text(*ground), motivation]);
                        let on = widgets::parse_date(on).map_or_else(|| on.clone(), widgets::date);
                        ui.label(tr.f("view.decision", &[&text, &on]));
                    }
                    if outcome.recommendation.is_none() && outcome.decision.is_none() {
                        ui.label(tr.t("view.no_outcome"));
                    }
                    for c in &file.certificates {
                        let kind = if c.duplicate_of.is_some() {
                            tr.t("view.duplicate_copy")
                        } else {
                            ""
                        };
                        ui.label(tr.f(
                            "view.certificate",
                            &[
                                &c.number,
                                kind,
                                &widgets::date(c.valid_from),
                                &widgets::date(c.valid_to),
                                widgets::certificate_status(tr, c.status),
                            ],
                        ));
                    }
                    for (id, lines) in &file.lineages {
                        let number = file
                            .certificates
                            .iter()
                            .find(|c| c.id == *id)
                            .map(|c| c.number.clone())
                            .unwrap_or_default();
                        egui::CollapsingHeader::new(tr.f("view.lineage", &[&number]))
                            .id_salt(("lineage", *id))
                            .show(ui, |ui| {
                                for line in lines {
                                    ui.horizontal_wrapped(|ui| {
                                        ui.label(
                                            RichText::new(format!(
                                                "{} · {} · {}",
                                                line.date,
                                                life_event(tr, &line.event),
                                                line.detail
                                            ))
                                            .small(),
                                        );
                                        if let Some(copy) = line.copy_id
                                            && session.may(Action::Print)
                                            && ui.small_button(tr.t("life.spoil_button")).clicked()
                                        {
                                            life.spoil = Some(copy);
                                        }
                                    });
                                }
                            });
                    }
                    ui.add_space(8.0);
                    ui.label(RichText::new(tr.t("view.history")).strong());
                    if file.history.is_empty() {
                        ui.label(tr.t("view.no_history"));
                    }
                    for h in &file.history {
                        let summary = if h.action == "update_application" {
                            correction_summary(tr, &h.summary)
                        } else {
                            history_summary(tr, &h.action, &h.summary)
                        };
                        let at = chrono::NaiveDateTime::parse_from_str(
                            h.at.get(..16).unwrap_or(&h.at),
                            "%Y-%m-%dT%H:%M",
                        )
                        .map_or_else(
                            |_| h.at.replace('T', " "),
                            |t| t.format("%d.%m.%Y %H:%M").to_string(),
                        );
                        ui.label(
                            RichText::new(format!(
                                "{at} · {} · {} {}",
                                h.user,
                                history_action(tr, &h.action),
                                summary.as_deref().unwrap_or(&h.summary)
                            ))
                            .small(),
                        );
                    }
                });
            });
        if let Some(sheet) = preview.clone() {
            let modal =
                egui::Modal::new(egui::Id::unique("certificate_preview")).show(ui.ctx(), |ui| {
                    egui::ScrollArea::vertical()
                        .max_height(ui.ctx().content_rect().height() * 0.85)
                        .show(ui, |ui| {
                            super::preview::certificate_ui(ui, &sheet, 520.0);
                        });
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("print.preview_pdf")).clicked() {
                            action = Some(ViewAction::PrintCertificate {
                                number: sheet.number.clone(),
                                duplicate: sheet.duplicate,
                                preview: true,
                                form_serial: String::new(),
                            });
                        }
                        if ui.button(tr.t("view.close")).clicked() {
                            *preview = None;
                        }
                    });
                });
            if modal.should_close() {
                *preview = None;
            }
        }
        if *confirm_withdraw {
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_withdraw")).show(ui.ctx(), |ui| {
                    ui.label(tr.t("view.withdraw_reason"));
                    ui.text_edit_singleline(withdraw_reason);
                    ui.horizontal(|ui| {
                        if ui
                            .add_enabled(
                                !withdraw_reason.trim().is_empty(),
                                egui::Button::new(tr.t("view.withdraw")),
                            )
                            .clicked()
                        {
                            action = Some(ViewAction::Withdraw(withdraw_reason.clone()));
                            *confirm_withdraw = false;
                        }
                        if ui.button(tr.t("dialog.cancel")).clicked() {
                            *confirm_withdraw = false;
                        }
                    });
                });
            if modal.should_close() {
                *confirm_withdraw = false;
            }
        }
        // A decisive action is asked once more, naming what it does; only «yes» applies it.
        if let Some(chosen) = action.take() {
            match confirmation(tr, file, &chosen) {
                Some(question) => *pending = Some((question, chosen)),
                None => action = Some(chosen),
            }
        }
        if let Some((question, chosen)) = pending.clone() {
            let mut answer = None;
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_decisive")).show(ui.ctx(), |ui| {
                    ui.set_max_width(560.0);
                    ui.label(question.as_str());
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("confirm.yes")).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(tr.t("confirm.back")).clicked() {
                            answer = Some(false);
                        }
                    });
                });
            if modal.should_close() && answer.is_none() {
                answer = Some(false);
            }
            match answer {
                Some(true) => {
                    *pending = None;
                    action = Some(chosen);
                }
                Some(false) => *pending = None,
                None => {}
            }
        }
        action
    }
}

/// The question a decisive action asks before it is applied, naming what will happen; `None`
/// for the actions that apply at once.
fn confirmation(tr: &Tr, file: &ApplicationFile, action: &ViewAction) -> Option<String> {
    use crate::service::certificates::Decision;
    let app = &file.application;
    let holder = file.applicant.full_name();
    match action {
        ViewAction::Decide(Decision::Issue { valid_to, .. }) => {
            let until = valid_to.map_or_else(|| tr.t("confirm.latest").to_string(), widgets::date);
            let key = match app.kind {
                ApplicationKind::Issue => "confirm.issue",
                ApplicationKind::Extend => "confirm.extend",
                ApplicationKind::Reissue => "confirm.reissue",
                ApplicationKind::Duplicate => "confirm.duplicate",
            };
            Some(tr.f(key, &[&app.number, &holder, &until]))
        }
        ViewAction::Decide(Decision::Refuse { ground, .. }) => Some(tr.f(
            "confirm.refuse",
            &[&app.number, &holder, ground.reference()],
        )),
        ViewAction::Revoke {
            certificate, act, ..
        } => {
            let number = file
                .certificates
                .iter()
                .find(|c| c.id == *certificate)
                .map(|c| c.number.clone())
                .unwrap_or_default();
            Some(tr.f(
                "confirm.revoke",
                &[&number, &holder, &act.number, &widgets::date(act.date)],
            ))
        }
        ViewAction::Spoil { reason, .. } => Some(tr.f("confirm.spoil", &[reason.trim()])),
        _ => None,
    }
}

/// The decision panel, for the roles that decide, when the application awaits a decision.
#[allow(clippy::too_many_arguments)]
fn decision_ui(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    session: &Session,
    file: &ApplicationFile,
    form: &mut DecisionForm,
    calendar: &Calendar,
    today: NaiveDate,
) -> Option<ViewAction> {
    use crate::domain::validity;
    use crate::service::certificates::Decision;
    let app = &file.application;
    let awaiting = match app.kind {
        ApplicationKind::Issue => app.status == ApplicationStatus::Recommended,
        _ => app.status == ApplicationStatus::Registered,
    };
    if !awaiting || !session.may(Action::Decide) {
        return None;
    }
    let mut action = None;
    ui.separator();
    ui.label(RichText::new(tr.t("decision.title")).strong());
    // R§11, A2.3: a decision after the deadline is recorded, with a warning and the reason of the date.
    if today > app.decision_by {
        ui.label(
            RichText::new(tr.f("decision.late", &[&widgets::date(app.decision_by)]))
                .color(theme.error_colour()),
        );
        egui::CollapsingHeader::new(tr.t("deadlines.why"))
            .id_salt("decision_why")
            .show(ui, |ui| {
                for line in &file.deadlines.explain {
                    ui.label(RichText::new(widgets::explain(tr, line)).small());
                }
            });
    } else {
        let _ = calendar;
        ui.label(tr.f("decision.due", &[&widgets::date(app.decision_by)]));
    }
    // The latest valid-to the rule allows (R§15, R§16); a reissue keeps the old end date.
    let latest = match app.kind {
        ApplicationKind::Issue => validity::issue_valid_to(today),
        ApplicationKind::Extend => app
            .contract_end
            .and_then(|end| validity::extend_valid_to(today, end).ok()),
        ApplicationKind::Reissue | ApplicationKind::Duplicate => file
            .certificates
            .iter()
            .find(|c| Some(c.id) == app.certificate_id)
            .map(|c| c.valid_to),
    };
    if form.valid_to.is_empty()
        && let Some(latest) = latest
    {
        form.valid_to = widgets::date(latest);
    }
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.refuse, false, tr.t("decision.issue"));
        ui.radio_value(&mut form.refuse, true, tr.t("decision.refuse"));
    });
    if form.refuse {
        // R§9, R§11: what the commission recommended stands above the refusal; its ground and
        // reason are proposed, and its reason reaches the letter.
        let recommended = file.outcome.recommendation.as_ref();
        let recommended_issue = recommended.is_some_and(|(code, _, _)| code == "issue");
        if let Some((_, ground, motivation)) = recommended.filter(|_| !recommended_issue) {
            if form.ground.is_none() {
                form.ground = ground.and_then(crate::domain::RefusalGround::from_number);
            }
            ui.label(
                RichText::new(tr.f("decision.commission_reason", &[motivation]))
                    .color(theme.muted_colour()),
            );
        }
        for g in crate::domain::RefusalGround::ALL {
            ui.radio_value(
                &mut form.ground,
                Some(g),
                super::commission::ground_name(tr, g),
            );
        }
        if recommended_issue {
            ui.label(
                RichText::new(tr.t("decision.against_recommendation"))
                    .color(theme.urgency_colour(super::theme::Urgency::DueSoon)),
            );
            ui.checkbox(
                &mut form.against_recommendation,
                tr.t("decision.against_confirm"),
            );
        }
        let label = ui.label(if recommended_issue || recommended.is_none() {
            tr.t("score.motivation")
        } else {
            tr.t("decision.motivation_more")
        });
        ui.add(egui::TextEdit::multiline(&mut form.motivation).desired_rows(2))
            .labelled_by(label.id);
        if ui.button(tr.t("decision.save_refuse")).clicked() {
            // R§12, A2.9: a refusal names its ground and says why; what is missing is said and
            // stays on screen until it is given.
            let reason_given =
                !form.motivation.trim().is_empty() || (recommended.is_some() && !recommended_issue);
            match form.ground {
                Some(_) if recommended_issue && !form.against_recommendation => {
                    form.refuse_error = Some(tr.t("decision.against_needs_confirm").into());
                }
                Some(ground) if reason_given => {
                    form.refuse_error = None;
                    action = Some(ViewAction::Decide(Decision::Refuse {
                        ground,
                        motivation: form.motivation.clone(),
                        against_recommendation: form.against_recommendation,
                    }));
                }
                None => form.refuse_error = Some(tr.t("score.ground_needed").into()),
                Some(_) => form.refuse_error = Some(tr.t("score.motivation_needed").into()),
            }
        }
        if let Some(error) = &form.refuse_error {
            ui.label(RichText::new(error).color(theme.error_colour()));
        }
    } else {
        if app.kind != ApplicationKind::Duplicate {
            widgets::text_field_ui(
                ui,
                tr.t("decision.valid_to"),
                &mut form.valid_to,
                None,
                theme,
            );
            if let Some(latest) = latest {
                ui.label(RichText::new(tr.f("decision.latest", &[&widgets::date(latest)])).small());
            }
        }
        widgets::text_field_ui(ui, tr.t("decision.basis"), &mut form.basis, None, theme);
        if ui.button(tr.t("decision.save_issue")).clicked() {
            // A validity that cannot be read is said, not replaced by the latest the rule allows
            // (issue 14: «21.03.202721.02.2027» issued silently); an empty one means the latest.
            let typed = form.valid_to.trim();
            let valid_to = if app.kind == ApplicationKind::Duplicate || typed.is_empty() {
                Ok(None)
            } else {
                widgets::parse_date(typed).map(Some).ok_or(())
            };
            match valid_to {
                Ok(valid_to) => {
                    form.issue_error = None;
                    action = Some(ViewAction::Decide(Decision::Issue {
                        valid_to,
                        basis: form.basis.clone(),
                    }));
                }
                Err(()) => {
                    form.issue_error = Some(tr.f("decision.bad_valid_to", &[typed]));
                }
            }
        }
        if let Some(error) = &form.issue_error {
            ui.label(RichText::new(error).color(theme.error_colour()));
        }
    }
    action
}

/// The documents this role may print for this application.
fn print_ui(
    ui: &mut Ui,
    tr: &Tr,
    session: &Session,
    file: &ApplicationFile,
    form: &mut DecisionForm,
) -> Option<ViewAction> {
    let mut action = None;
    ui.horizontal_wrapped(|ui| {
        if session.may(Action::ViewPersonalData) && ui.button(tr.t("print.application")).clicked() {
            action = Some(ViewAction::PrintApplication);
        }
        if file.application.status == ApplicationStatus::Refused
            && session.may(Action::Print)
            && ui.button(tr.t("print.refusal")).clicked()
        {
            action = Some(ViewAction::PrintRefusal);
        }
        if !session.may(Action::Print) {
            return;
        }
        for c in &file.certificates {
            if c.status != crate::domain::status::CertificateStatus::Valid {
                continue;
            }
            let duplicate = c.duplicate_of.is_some();
            if ui.button(tr.f("print.preview", &[&c.number])).clicked() {
                action = Some(ViewAction::Preview {
                    number: c.number.clone(),
                    duplicate,
                });
            }
            let key = if duplicate {
                "print.duplicate"
            } else {
                "print.certificate"
            };
            if ui.button(tr.f(key, &[&c.number])).clicked() {
                action = Some(ViewAction::PrintCertificate {
                    number: c.number.clone(),
                    duplicate,
                    preview: false,
                    form_serial: form.form_serial.clone(),
                });
            }
        }
        if file
            .certificates
            .iter()
            .any(|c| c.status == crate::domain::status::CertificateStatus::Valid)
        {
            let label = ui.label(tr.t("print.form_serial"));
            ui.add(egui::TextEdit::singleline(&mut form.form_serial).desired_width(110.0))
                .labelled_by(label.id);
        }
    });
    action
}

/// R§13: the signatory signs the certificate or the refusal with EDS; everyone who sees the
/// file sees who signed and when, and can save the signed files for the portal.
fn eds_ui(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    session: &Session,
    file: &ApplicationFile,
    signed: &[crate::service::eds::SignedDocument],
) -> Option<ViewAction> {
    use crate::service::eds::Target;
    let mut action = None;
    let app = &file.application;
    let mut targets = Vec::new();
    for c in &file.certificates {
        if c.duplicate_of.is_none() && c.status == crate::domain::status::CertificateStatus::Valid {
            targets.push((
                Target::Certificate(c.number.clone()),
                tr.f("eds.certificate_name", &[&c.number]),
            ));
        }
    }
    if app.status == ApplicationStatus::Refused {
        targets.push((
            Target::Refusal(app.id),
            tr.f("eds.refusal_name", &[&app.number]),
        ));
    }
    let may_sign = crate::domain::eds::may_sign(&session.roles);
    if signed.is_empty() && (!may_sign || targets.is_empty()) {
        return None;
    }
    ui.separator();
    ui.label(RichText::new(tr.t("eds.section")).strong());
    if may_sign {
        ui.horizontal_wrapped(|ui| {
            for (target, name) in &targets {
                if ui.button(tr.f("eds.sign_one", &[name])).clicked() {
                    action = Some(ViewAction::OpenSign {
                        targets: vec![target.clone()],
                        names: vec![name.clone()],
                    });
                }
            }
        });
    }
    if signed.is_empty() {
        ui.label(RichText::new(tr.t("eds.not_signed_yet")).color(theme.muted_colour()));
    } else if let Some(id) = super::eds::signed_ui(ui, tr, theme, signed) {
        action = Some(ViewAction::SaveSigned(id));
    }
    action
}

/// Revocation, notices and complaints: forms opened by a button, one at a time.
#[allow(clippy::too_many_arguments, clippy::too_many_lines)]
fn life_ui(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    session: &Session,
    file: &ApplicationFile,
    form: &mut LifeForm,
    complaints: &[crate::service::complaints::ComplaintRow],
    today: NaiveDate,
) -> Option<ViewAction> {
    use crate::service::certificates::{ControlAct, Notice, NoticeKind};
    use crate::service::complaints::{AddressedTo, ComplaintOutcome, NewComplaint};
    let mut action = None;
    let lifecycle = session.may(Action::CertificateLifecycle);
    ui.horizontal_wrapped(|ui| {
        if lifecycle && session.may(Action::RegisterApplication) {
            for c in file.certificates.iter().filter(|c| {
                c.duplicate_of.is_none()
                    && c.status == crate::domain::status::CertificateStatus::Valid
            }) {
                for (kind, key) in [
                    (ApplicationKind::Extend, "start.extend"),
                    (ApplicationKind::Reissue, "start.reissue"),
                    (ApplicationKind::Duplicate, "start.duplicate"),
                ] {
                    if ui.button(tr.f(key, &[&c.number])).clicked() {
                        action = Some(ViewAction::StartFrom {
                            kind,
                            number: c.number.clone(),
                        });
                    }
                }
            }
        }
        if lifecycle {
            for c in file.certificates.iter().filter(|c| {
                c.duplicate_of.is_none()
                    && c.status == crate::domain::status::CertificateStatus::Valid
            }) {
                if ui
                    .button(tr.f("life.revoke_button", &[&c.number]))
                    .clicked()
                {
                    form.open = Some((c.id, LifeFormKind::Revoke));
                    form.error = None;
                }
                if ui
                    .button(tr.f("life.notice_button", &[&c.number]))
                    .clicked()
                {
                    form.open = Some((c.id, LifeFormKind::Notice));
                    form.error = None;
                }
            }
        }
        if session.may(Action::Complaints) && ui.button(tr.t("complaint.button")).clicked() {
            form.complaint_open = true;
            form.error = None;
            if form.received_at.is_empty() {
                form.received_at = format!("{} 10:00", widgets::date(today));
            }
        }
    });
    if let Some(error) = &form.error {
        ui.label(RichText::new(error).color(theme.error_colour()));
    }
    match form.open {
        Some((certificate, LifeFormKind::Revoke)) => {
            ui.label(RichText::new(tr.t("life.revoke_title")).strong());
            widgets::text_field_ui(ui, tr.t("life.act_body"), &mut form.act_body, None, theme);
            widgets::text_field_ui(
                ui,
                tr.t("life.act_number"),
                &mut form.act_number,
                None,
                theme,
            );
            widgets::text_field_ui(ui, tr.t("life.act_date"), &mut form.act_date, None, theme);
            widgets::text_field_ui(ui, tr.t("life.grounds"), &mut form.grounds, None, theme);
            ui.horizontal(|ui| {
                if ui.button(tr.t("life.revoke_save")).clicked() {
                    match widgets::parse_date(&form.act_date) {
                        Some(date)
                            if !form.act_body.trim().is_empty()
                                && !form.act_number.trim().is_empty() =>
                        {
                            let act = ControlAct {
                                body: form.act_body.clone(),
                                number: form.act_number.clone(),
                                date,
                            };
                            // R§21 before the confirmation is asked: an act dated ahead or
                            // before the issue, or no grounds, is said at once (the service
                            // checks again). The form keeps what was typed.
                            let issued_on = file
                                .certificates
                                .iter()
                                .find(|c| c.id == certificate)
                                .map_or(date, |c| c.issued_on);
                            match crate::domain::revocation::check_act(
                                date,
                                issued_on,
                                today,
                                &form.grounds,
                            ) {
                                Ok(()) => {
                                    action = Some(ViewAction::Revoke {
                                        certificate,
                                        act,
                                        grounds: form.grounds.clone(),
                                    });
                                }
                                Err(problem) => {
                                    use crate::domain::revocation::ActProblem as P;
                                    form.error = Some(match problem {
                                        P::InFuture { date } => {
                                            tr.f("rule.act_in_future", &[&widgets::date(date)])
                                        }
                                        P::BeforeIssue { issued_on } => tr.f(
                                            "rule.act_before_issue",
                                            &[&widgets::date(issued_on)],
                                        ),
                                        P::NoGrounds => tr.t("rule.grounds_required").into(),
                                    });
                                }
                            }
                        }
                        _ => form.error = Some(tr.t("life.act_required").into()),
                    }
                }
                if ui.button(tr.t("dialog.cancel")).clicked() {
                    form.open = None;
                }
            });
        }
        Some((certificate, LifeFormKind::Notice)) => {
            ui.label(RichText::new(tr.t("life.notice_title")).strong());
            ui.horizontal(|ui| {
                ui.radio_value(
                    &mut form.employer_change,
                    true,
                    tr.t("life.notice_employer"),
                );
                ui.radio_value(
                    &mut form.employer_change,
                    false,
                    tr.t("life.notice_contract"),
                );
            });
            widgets::text_field_ui(
                ui,
                tr.t("life.event_date"),
                &mut form.event_date,
                None,
                theme,
            );
            widgets::text_field_ui(
                ui,
                tr.t("life.received_on"),
                &mut form.received_on,
                None,
                theme,
            );
            widgets::text_field_ui(ui, tr.t("life.grounds"), &mut form.grounds, None, theme);
            ui.horizontal(|ui| {
                if ui.button(tr.t("life.notice_save")).clicked() {
                    match (
                        widgets::parse_date(&form.event_date),
                        widgets::parse_date(&form.received_on),
                    ) {
                        (Some(event_date), Some(received_on)) => {
                            let kind = if form.employer_change {
                                NoticeKind::EmployerChange
                            } else {
                                NoticeKind::ContractEnd
                            };
                            let notice = Notice {
                                kind,
                                event_date,
                                received_on,
                                grounds: form.grounds.clone(),
                            };
                            action = Some(ViewAction::Notice {
                                certificate,
                                notice,
                            });
                            form.open = None;
                        }
                        _ => form.error = Some(tr.t("life.dates_required").into()),
                    }
                }
                if ui.button(tr.t("dialog.cancel")).clicked() {
                    form.open = None;
                }
            });
        }
        None => {}
    }
    if form.complaint_open {
        ui.label(RichText::new(tr.t("complaint.title")).strong());
        ui.horizontal(|ui| {
            ui.radio_value(&mut form.to_reviewing_body, false, tr.t("complaint.local"));
            ui.radio_value(
                &mut form.to_reviewing_body,
                true,
                tr.t("complaint.reviewing"),
            );
        });
        widgets::text_field_ui(
            ui,
            tr.t("complaint.received_at"),
            &mut form.received_at,
            None,
            theme,
        );
        // Several lines: a complaint keeps its line breaks (issue 14).
        let label = ui.label(tr.t("complaint.subject"));
        ui.add(
            egui::TextEdit::multiline(&mut form.subject)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal(|ui| {
            if ui.button(tr.t("complaint.save")).clicked() {
                let received = chrono::NaiveDateTime::parse_from_str(
                    form.received_at.trim(),
                    "%d.%m.%Y %H:%M",
                )
                .ok();
                match received {
                    Some(received_at) if !form.subject.trim().is_empty() => {
                        let addressed_to = if form.to_reviewing_body {
                            AddressedTo::ReviewingBody
                        } else {
                            AddressedTo::LocalBody
                        };
                        action = Some(ViewAction::Complaint(NewComplaint {
                            application_id: Some(file.application.id),
                            certificate_id: None,
                            addressed_to,
                            received_at,
                            subject: form.subject.clone(),
                        }));
                        form.complaint_open = false;
                    }
                    _ => form.error = Some(tr.t("complaint.needs").into()),
                }
            }
            if ui.button(tr.t("dialog.cancel")).clicked() {
                form.complaint_open = false;
            }
        });
    }
    if let Some(copy) = form.spoil {
        ui.horizontal(|ui| {
            let label = ui.label(tr.t("life.spoil_reason"));
            ui.add(egui::TextEdit::singleline(&mut form.spoil_reason).desired_width(300.0))
                .labelled_by(label.id);
            if ui.button(tr.t("life.spoil_save")).clicked() {
                if form.spoil_reason.trim().is_empty() {
                    form.error = Some(tr.t("life.spoil_needs").into());
                } else {
                    action = Some(ViewAction::Spoil {
                        copy,
                        reason: std::mem::take(&mut form.spoil_reason),
                    });
                    form.spoil = None;
                }
            }
            if ui.button(tr.t("dialog.cancel")).clicked() {
                form.spoil = None;
            }
        });
    }
    for c in complaints {
        ui.horizontal_wrapped(|ui| {
            let to = if c.addressed_to == AddressedTo::LocalBody {
                tr.t("complaint.local")
            } else {
                tr.t("complaint.reviewing")
            };
            let forward = c
                .forward_by
                .map(|d| tr.f("complaint.forward_by", &[&widgets::date(d)]))
                .unwrap_or_default();
            ui.label(tr.f(
                "complaint.row",
                &[
                    &widgets::date(c.registered_on),
                    to,
                    &c.subject,
                    &widgets::date(c.answer_by),
                    &forward,
                    complaint_status(tr, &c.status),
                ],
            ));
            if c.status == "open" {
                for (outcome, key) in [
                    (ComplaintOutcome::Satisfied, "complaint.satisfied"),
                    (ComplaintOutcome::Rejected, "complaint.rejected"),
                    (ComplaintOutcome::Forwarded, "complaint.forwarded"),
                ] {
                    if ui.small_button(tr.t(key)).clicked() {
                        action = Some(ViewAction::CloseComplaint {
                            id: c.id,
                            outcome,
                            text: String::new(),
                        });
                    }
                }
            }
        });
    }
    action
}

fn complaint_status<'a>(tr: &'a Tr, status: &'a str) -> &'a str {
    match status {
        "open" => tr.t("complaint.open"),
        "satisfied" => tr.t("complaint.satisfied"),
        "rejected" => tr.t("complaint.rejected"),
        "forwarded" => tr.t("complaint.forwarded"),
        other => other,
    }
}

fn life_event<'a>(tr: &'a Tr, event: &'a str) -> &'a str {
    match event {
        "issue" => tr.t("life.issue"),
        "extend" => tr.t("life.extend"),
        "reissue" => tr.t("life.reissue"),
        "duplicate" => tr.t("life.duplicate"),
        "notice_employer_change" => tr.t("life.notice_employer"),
        "notice_contract_end" => tr.t("life.notice_contract"),
        "revoke" => tr.t("life.revoke"),
        "expire" => tr.t("life.expire"),
        "print" => tr.t("life.print"),
        "spoiled" => tr.t("life.spoiled"),
        other => other,
    }
}

fn outcome_word<'a>(tr: &'a Tr, code: &str) -> &'a str {
    if code == "issue" {
        tr.t("view.outcome_issue")
    } else {
        tr.t("view.outcome_refuse")
    }
}

/// The non-empty parts, separated by " · ".
fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "A2.9.2" for a refusal ground, empty for issue.
fn ground_text(ground: Option<u8>) -> String {
    ground.map(|g| format!("A2.9.{g}")).unwrap_or_default()
}

/// A correction's audit summary in words: the reason and the fields it changed (the values
/// stay in the audit log).
fn correction_summary(tr: &Tr, summary: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(summary).ok()?;
    let reason = value.get("reason")?.as_str()?;
    let fields: Vec<&str> = value
        .get("changes")?
        .as_object()?
        .keys()
        .filter_map(|k| k.split_once('.').map(|(_, field)| field))
        .map(|field| match field {
            "profession_id" => tr.t("field.profession"),
            "certificate_id" => tr.t("field.certificate"),
            other => FIELD_KEYS
                .iter()
                .find(|k| k.strip_prefix("field.") == Some(other))
                .map_or(other, |k| tr.t(k)),
        })
        .collect();
    Some(tr.f("edit.history", &[reason, &fields.join(", ")]))
}

/// The translation keys of the form's fields, by the field's name after `field.`.
const FIELD_KEYS: [&str; 27] = [
    "field.surname",
    "field.given_name",
    "field.patronymic",
    "field.citizenship",
    "field.stateless",
    "field.birth_date",
    "field.iin",
    "field.doc_type",
    "field.doc_series",
    "field.doc_number",
    "field.doc_issued_on",
    "field.doc_issued_by",
    "field.address",
    "field.phone",
    "field.fax",
    "field.residence_abroad",
    "field.residence_phone",
    "field.email",
    "field.representative_name",
    "field.representative_poa",
    "field.reissue_reason",
    "field.employer_name",
    "field.employer_id",
    "field.contract_end",
    "field.consent",
    "field.channel",
    "field.filed_at",
];

/// A history line's details in words (issue 14: «kind issue registered … status
/// documents_incomplete»), read from the audit summaries the services write; `None` keeps the
/// stored text (a reason typed by a user, or a summary of another shape).
fn history_summary(tr: &Tr, action: &str, summary: &str) -> Option<String> {
    use crate::domain::status::ApplicationStatus;
    let words: Vec<&str> = summary.split_whitespace().collect();
    let day = |text: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .map(widgets::date)
    };
    let after = |key: &str| {
        words
            .iter()
            .position(|w| *w == key)
            .and_then(|i| words.get(i + 1).copied())
    };
    match action {
        // "{number} kind {kind} registered {date} decision by {date} status {status}"
        "register_application" => {
            let kind = after("kind")?.parse::<ApplicationKind>().ok()?;
            let status = ApplicationStatus::from_code(after("status")?)?;
            Some(tr.f(
                "history.s.register",
                &[
                    widgets::kind(tr, kind),
                    &day(after("registered")?)?,
                    &day(after("by")?)?,
                    widgets::status(tr, status),
                ],
            ))
        }
        // "{doc} received|missing"
        "set_document_received" => {
            let doc = DocumentType::from_code(words.first()?)?;
            let key = if words.get(1) == Some(&"received") {
                "history.s.received"
            } else {
                "history.s.missing"
            };
            Some(tr.f(key, &[widgets::document(tr, doc)]))
        }
        // "{doc} sha256 {hash} {n} bytes"
        "attach_document" => {
            let doc = DocumentType::from_code(words.first()?)?;
            Some(tr.f(
                "history.s.attached",
                &[widgets::document(tr, doc), words.get(3)?],
            ))
        }
        "open_file" | "remove_document_file" => Some(String::new()),
        // "{number} forwarded {date}[ after the R§7 deadline]"
        "forward_to_commission" => {
            let late = summary.contains("after the");
            Some(tr.f(
                if late {
                    "history.s.forwarded_late"
                } else {
                    "history.s.forwarded"
                },
                &[&day(after("forwarded")?)?],
            ))
        }
        // "total {t} of threshold {th} (scheme {v})"
        "score" => Some(tr.f("history.s.score", &[after("total")?, after("threshold")?])),
        // "issue" | "refuse ground A2.9.n"
        "recommend" | "decide" => {
            let mut text = match *words.first()? {
                "issue" => tr.t("history.s.issue").to_string(),
                "refuse" => tr.f("history.s.refuse", &[after("ground").unwrap_or("")]),
                _ => return None,
            };
            if let Some(number) = after("certificate") {
                text.push_str(&tr.f("history.s.certificate", &[number]));
            }
            if let Some(by) = after("deadline").and_then(day) {
                text.push_str(&tr.f("history.s.late", &[&by]));
            }
            Some(text)
        }
        _ => None,
    }
}

fn history_action<'a>(tr: &'a Tr, action: &'a str) -> &'a str {
    match action {
        "register_application" => tr.t("history.register"),
        "update_application" => tr.t("history.update"),
        "set_document_received" => tr.t("history.document"),
        "attach_document" => tr.t("history.attach"),
        "remove_document_file" => tr.t("history.detach"),
        "open_file" => tr.t("history.open_file"),
        "forward_to_commission" => tr.t("history.forward"),
        "score" => tr.t("history.score"),
        "recommend" => tr.t("history.recommend"),
        "decide" => tr.t("history.decide"),
        "withdraw" => tr.t("history.withdraw"),
        "sign_certificate" | "sign_refusal" => tr.t("history.signed_eds"),
        "save_signed_file" => tr.t("history.saved_signed"),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::i18n::Lang;

    #[test]
    fn history_lines_are_words_not_codes() {
        // Issue 14: «kind issue registered … status documents_incomplete» in the history.
        let ru = Tr::new(Lang::Ru);
        let line = history_summary(
            &ru,
            "register_application",
            "2026-000001 kind issue registered 2026-11-23 decision by 2026-11-30 status documents_incomplete",
        );
        assert_eq!(
            line.as_deref(),
            Some(
                "Выдача, зарегистрировано 23.11.2026, решение до 30.11.2026, статус «Не хватает документов»"
            )
        );
        let decided = history_summary(
            &ru,
            "decide",
            "issue certificate 00001/2026 after the deadline 2026-11-30",
        );
        assert_eq!(
            decided.as_deref(),
            Some("выдать справку, справка № 00001/2026, после срока 30.11.2026")
        );
        let kk = Tr::new(Lang::Kk);
        for (action, summary) in [
            (
                "register_application",
                "2026-000001 kind extend registered 2026-11-23 decision by 2026-11-26 status registered",
            ),
            ("set_document_received", "identity_document missing"),
            (
                "forward_to_commission",
                "2026-000001 forwarded 2026-11-24 after the R§7 deadline",
            ),
            ("score", "total 7 of threshold 6 (scheme r10-2023)"),
            ("recommend", "refuse ground A2.9.2"),
        ] {
            for tr in [&ru, &kk] {
                let text = history_summary(tr, action, summary)
                    .unwrap_or_else(|| panic!("{action}: {summary}"));
                for code in [
                    "issue",
                    "extend",
                    "registered",
                    "missing",
                    "forwarded",
                    "total",
                    "refuse",
                    "identity_document",
                ] {
                    assert!(!text.contains(code), "{action}: {text}");
                }
            }
        }
    }
}
