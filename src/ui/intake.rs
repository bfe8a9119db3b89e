//! Intake: a new application of one of the four kinds, with every field of Appendix 1, the
//! A2.8 checklist with scans, and the deadlines it will get.

use chrono::NaiveDateTime;
use egui::{RichText, Ui};

use super::Ctx;
use super::i18n::{Lang, Tr};
use super::theme::Theme;
use super::widgets::{self, text_field_ui};
use crate::domain::calendar::Calendar;
use crate::domain::country::{Citizenship, Countries};
use crate::domain::deadline::{WorkingHours, application_deadlines};
use crate::domain::documents::{
    DocumentType, ReissueReason, employer_required, required_documents,
};
use crate::domain::forms::{ApplicantInput, ApplicationInput, Channel, Field, FieldError, Problem};
use crate::domain::kind::ApplicationKind;
use crate::service::applications::{
    ApplicantMatch, ApplicationFile, CertificateStart, ProfessionRow, sha256_hex, sniff_mime,
};

/// A scan chosen at intake, attached when the application is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFile {
    pub doc_type: DocumentType,
    pub file_name: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntakeAction {
    Save,
    Cancel,
    UseApplicant(i64),
    PickFile(DocumentType),
    /// Fill the holder, profession and employer from the certificate typed in its field.
    FromCertificate,
}

/// The form corrects a registered application instead of registering a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub application_id: i64,
    pub number: String,
    /// The row version the form was loaded with (a save in between is refused).
    pub version: i64,
    /// Why the data is corrected: recorded in the audit log with the changes.
    pub reason: String,
}

/// The form's state: everything typed, kept until saved or cancelled.
// The flags mirror the form's own checkboxes and states; an enum would hide that.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone)]
pub struct IntakeScreen {
    pub kind: ApplicationKind,
    pub applicant: ApplicantInput,
    pub existing_applicant: Option<i64>,
    pub birth_date: String,
    pub doc_issued_on: String,
    pub reissue_reason: Option<ReissueReason>,
    pub certificate_number: String,
    pub profession_id: Option<i64>,
    pub profession_filter: String,
    pub employer_name: String,
    pub employer_id: String,
    pub contract_end: String,
    pub consent: bool,
    pub channel: Channel,
    pub filed_at: String,
    pub received: Vec<DocumentType>,
    pub files: Vec<PendingFile>,
    pub matches: Vec<ApplicantMatch>,
    /// The IIN/document the matches were looked up for.
    pub looked_up: (String, String),
    /// Set after the first save attempt: "required" errors are shown from then on.
    pub attempted: bool,
    pub dirty: bool,
    /// The form's error (one that belongs to no field): App::collect_messages moves it to
    /// the status bar.
    pub message: Option<String>,
    pub confirm_cancel: bool,
    /// Errors reported by the service on save, by field.
    pub server_errors: Vec<FieldError>,
    /// The IIN or document number was completed: look the person up after this frame.
    pub pending_lookup: bool,
    /// Set when the form corrects a registered application (no checklist, a reason).
    pub correction: Option<Correction>,
    /// The certificate the form was filled from (said above the fields it filled).
    pub started_from: Option<String>,
    /// What is typed in the citizenship box; `applicant.citizenship` is what it stands for.
    pub citizenship_text: String,
    /// The citizenship stored for an existing applicant, kept as it is while the box shows it,
    /// even when it is not in the list (free text from before the list or from an import).
    pub citizenship_kept: Option<String>,
    /// The box names a country of the list, «лицо без гражданства» or the kept value.
    pub citizenship_known: bool,
}

impl IntakeScreen {
    pub fn new(kind: ApplicationKind, now: NaiveDateTime) -> Self {
        Self {
            kind,
            applicant: ApplicantInput {
                doc_type: "паспорт".into(),
                ..ApplicantInput::default()
            },
            existing_applicant: None,
            birth_date: String::new(),
            doc_issued_on: String::new(),
            reissue_reason: (kind == ApplicationKind::Reissue)
                .then_some(ReissueReason::NameChanged),
            certificate_number: String::new(),
            profession_id: None,
            profession_filter: String::new(),
            employer_name: String::new(),
            employer_id: String::new(),
            contract_end: String::new(),
            consent: false,
            channel: Channel::Egov,
            filed_at: now.format("%d.%m.%Y %H:%M").to_string(),
            received: vec![DocumentType::Application],
            files: Vec::new(),
            matches: Vec::new(),
            looked_up: (String::new(), String::new()),
            attempted: false,
            dirty: false,
            message: None,
            confirm_cancel: false,
            server_errors: Vec::new(),
            pending_lookup: false,
            correction: None,
            started_from: None,
            citizenship_text: String::new(),
            citizenship_kept: None,
            citizenship_known: true,
        }
    }

    /// The form filled with a registered application, to correct it (R§11: before the
    /// decision; the service refuses after it).
    pub fn for_correction(
        file: &ApplicationFile,
        certificate_number: String,
        countries: &Countries,
        kazakh: bool,
    ) -> Self {
        let app = &file.application;
        let mut screen = Self::new(app.kind, app.filed_at);
        screen.use_applicant(
            file.applicant.id,
            file.applicant.input.clone(),
            countries,
            kazakh,
        );
        screen.reissue_reason = app.reissue_reason;
        screen.certificate_number = certificate_number;
        screen.profession_id = Some(app.profession_id);
        screen.employer_name.clone_from(&app.employer_name);
        screen.employer_id.clone_from(&app.employer_id);
        screen.contract_end = app.contract_end.map(widgets::date).unwrap_or_default();
        screen.consent = app.consent;
        screen.channel = app.channel;
        screen.received = file
            .documents
            .iter()
            .filter(|d| d.received)
            .map(|d| d.doc_type)
            .collect();
        screen.correction = Some(Correction {
            application_id: app.id,
            number: app.number.clone(),
            version: app.row_version,
            reason: String::new(),
        });
        screen
    }

    /// Fills the form from a certificate: its holder (the stored card is reused), profession
    /// and employer; the officer then types only what changed.
    pub fn start_from(&mut self, start: CertificateStart, countries: &Countries, kazakh: bool) {
        self.use_applicant(start.applicant_id, start.applicant, countries, kazakh);
        self.started_from = Some(start.certificate.number.clone());
        self.certificate_number = start.certificate.number;
        self.profession_id = Some(start.profession_id);
        self.employer_name = start.employer_name;
        self.employer_id = start.employer_id;
        self.message = None;
    }

    pub fn filed_at(&self) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(self.filed_at.trim(), "%d.%m.%Y %H:%M").ok()
    }

    /// The application part of the form; `certificate_id` is resolved by the caller.
    pub fn application_input(
        &self,
        certificate_id: Option<i64>,
        now: NaiveDateTime,
    ) -> ApplicationInput {
        ApplicationInput {
            kind: self.kind,
            reissue_reason: self
                .reissue_reason
                .filter(|_| self.kind == ApplicationKind::Reissue),
            profession_id: self.profession_id,
            certificate_id,
            employer_name: self.employer_name.clone(),
            employer_id: self.employer_id.clone(),
            contract_end: widgets::parse_date(&self.contract_end),
            consent: self.consent,
            channel: self.channel,
            filed_at: self.filed_at().unwrap_or(now),
        }
    }

    pub fn applicant_input(&self) -> ApplicantInput {
        let mut applicant = self.applicant.clone();
        applicant.birth_date = widgets::parse_date(&self.birth_date);
        applicant.doc_issued_on = widgets::parse_date(&self.doc_issued_on);
        applicant
    }

    /// Every problem found without the database, plus unparsable dates and those the service
    /// reported on the last save.
    pub fn errors(&self, now: NaiveDateTime) -> Vec<FieldError> {
        let mut errors = self.applicant_input().validate(self.channel, now.date());
        errors.extend(self.application_input(Some(0), now).validate(now));
        // A date that cannot be read gets its own message, never «обязательное поле» and never
        // a silent empty value (issue 14: «8 окт 1987», «31.02.2020»).
        let bad_date = |text: &str| !text.trim().is_empty() && widgets::parse_date(text).is_none();
        for (text, field) in [
            (&self.birth_date, Field::BirthDate),
            (&self.doc_issued_on, Field::DocIssuedOn),
            (&self.contract_end, Field::ContractEnd),
        ] {
            if bad_date(text) {
                errors.retain(|e| e.field != field);
                errors.push(FieldError {
                    field,
                    problem: Problem::NotADate,
                });
            }
        }
        if !self.citizenship_known {
            errors.retain(|e| e.field != Field::Citizenship);
            errors.push(FieldError {
                field: Field::Citizenship,
                problem: Problem::NotInList,
            });
        }
        if self.filed_at().is_none() {
            errors.push(FieldError {
                field: Field::FiledAt,
                problem: Problem::Required,
            });
        }
        if self.kind != ApplicationKind::Issue && self.certificate_number.trim().is_empty() {
            errors.push(FieldError {
                field: Field::Certificate,
                problem: Problem::Required,
            });
        }
        for e in &self.server_errors {
            if !errors.contains(e) {
                errors.push(*e);
            }
        }
        errors
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        ctx: &Ctx<'_>,
        professions: &[ProfessionRow],
        countries: &Countries,
        hours: WorkingHours,
        now: NaiveDateTime,
    ) -> Option<IntakeAction> {
        let Ctx {
            tr,
            theme,
            calendar,
            ..
        } = *ctx;
        let mut action = None;
        let errors = self.errors(now);
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::S)) {
            action = Some(IntakeAction::Save);
        }
        ui.horizontal(|ui| {
            match &self.correction {
                Some(c) => {
                    ui.heading(tr.f("edit.title", &[&c.number, widgets::kind(tr, self.kind)]))
                }
                None => ui.heading(tr.f("intake.title", &[widgets::kind(tr, self.kind)])),
            };
            ui.add_space(20.0);
            if ui.button(tr.t("intake.save")).clicked() {
                action = Some(IntakeAction::Save);
            }
            if ui.button(tr.t("intake.cancel")).clicked() {
                if self.dirty {
                    self.confirm_cancel = true;
                } else {
                    action = Some(IntakeAction::Cancel);
                }
            }
        });
        let attempted = self.attempted;
        if let Some(correction) = &mut self.correction {
            ui.label(RichText::new(tr.t("edit.note")).color(theme.muted_colour()));
            // Wider than the other fields: the reason is a sentence.
            ui.horizontal(|ui| {
                let label = widgets::form_label(ui, tr.t("edit.reason"));
                ui.add(egui::TextEdit::singleline(&mut correction.reason).desired_width(640.0))
                    .labelled_by(label.id);
            });
            if attempted && correction.reason.trim().is_empty() {
                ui.horizontal(|ui| {
                    ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
                    ui.label(
                        RichText::new(tr.t("problem.required"))
                            .color(theme.error_colour())
                            .small(),
                    );
                });
            }
        }
        let before = self.fingerprint();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.columns(2, |columns| {
                    self.applicant_ui(&mut columns[0], tr, theme, &errors, countries, &mut action);
                    self.application_ui(
                        &mut columns[1],
                        tr,
                        theme,
                        &errors,
                        professions,
                        &mut action,
                    );
                    if self.correction.is_none() {
                        self.checklist_ui(&mut columns[1], tr, theme, &mut action);
                    }
                    self.deadlines_ui(&mut columns[1], tr, calendar, hours);
                });
            });
        if self.fingerprint() != before {
            self.dirty = true;
            self.server_errors.clear();
        }
        if self.confirm_cancel {
            let modal =
                egui::Modal::new(egui::Id::unique("confirm_cancel_intake")).show(ui.ctx(), |ui| {
                    ui.label(tr.t("intake.unsaved"));
                    ui.horizontal(|ui| {
                        if ui.button(tr.t("intake.discard")).clicked() {
                            action = Some(IntakeAction::Cancel);
                            self.confirm_cancel = false;
                        }
                        if ui.button(tr.t("intake.keep_editing")).clicked() {
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

    /// A cheap summary of what was typed, to notice changes.
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        format!(
            "{:?}{}{}{}{:?}{}{}{}{}{}{:?}{}{:?}{:?}",
            self.applicant,
            self.birth_date,
            self.doc_issued_on,
            self.certificate_number,
            self.profession_id,
            self.employer_name,
            self.employer_id,
            self.contract_end,
            self.consent,
            self.filed_at,
            self.received,
            self.files.len(),
            self.reissue_reason,
            self.correction.as_ref().map(|c| &c.reason),
        )
        .hash(&mut h);
        h.finish()
    }

    fn applicant_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        errors: &[FieldError],
        countries: &Countries,
        action: &mut Option<IntakeAction>,
    ) {
        ui.label(RichText::new(tr.t("intake.applicant")).strong());
        let a = &mut self.applicant;
        let e = |f| self_error(errors, f, self.attempted, tr);
        text_field_ui(
            ui,
            tr.t("field.surname"),
            &mut a.surname,
            e(Field::Surname),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.given_name"),
            &mut a.given_name,
            e(Field::GivenName),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.patronymic"),
            &mut a.patronymic,
            e(Field::Patronymic),
            theme,
        );
        citizenship_ui(
            ui,
            tr,
            theme,
            countries,
            &mut CitizenshipBox {
                text: &mut self.citizenship_text,
                kept: self.citizenship_kept.as_deref(),
                known: &mut self.citizenship_known,
                citizenship: &mut a.citizenship,
                stateless: &mut a.stateless,
            },
            e(Field::Citizenship),
        );
        text_field_ui(
            ui,
            tr.t("field.birth_date"),
            &mut self.birth_date,
            e(Field::BirthDate),
            theme,
        );
        let iin = text_field_ui(ui, tr.t("field.iin"), &mut a.iin, e(Field::Iin), theme);
        text_field_ui(
            ui,
            tr.t("field.doc_type"),
            &mut a.doc_type,
            e(Field::DocType),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.doc_series"),
            &mut a.doc_series,
            e(Field::DocSeries),
            theme,
        );
        let doc = text_field_ui(
            ui,
            tr.t("field.doc_number"),
            &mut a.doc_number,
            e(Field::DocNumber),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.doc_issued_on"),
            &mut self.doc_issued_on,
            e(Field::DocIssuedOn),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.doc_issued_by"),
            &mut a.doc_issued_by,
            e(Field::DocIssuedBy),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.address"),
            &mut a.address,
            e(Field::Address),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.phone"),
            &mut a.phone,
            e(Field::Phone),
            theme,
        );
        text_field_ui(ui, tr.t("field.fax"), &mut a.fax, e(Field::Fax), theme);
        text_field_ui(
            ui,
            tr.t("field.residence_abroad"),
            &mut a.residence_abroad,
            e(Field::ResidenceAbroad),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.residence_phone"),
            &mut a.residence_phone,
            e(Field::ResidencePhone),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.email"),
            &mut a.email,
            e(Field::Email),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.representative_name"),
            &mut a.representative_name,
            e(Field::RepresentativeName),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.representative_poa"),
            &mut a.representative_poa,
            e(Field::RepresentativePoa),
            theme,
        );
        // Look the person up when the IIN or the document number is complete.
        let key = (a.iin.trim().to_string(), a.doc_number.trim().to_string());
        if (iin.lost_focus() || doc.lost_focus())
            && key != self.looked_up
            && (key.0.len() == 12 || key.1.len() >= 5)
        {
            self.looked_up = key;
            // Not an action: it must not replace a click on Save in the same frame.
            self.pending_lookup = true;
        }
        if self.correction.is_some() {
            // Correcting: the card is the application's own.
        } else if let Some(id) = self.existing_applicant {
            ui.label(
                RichText::new(tr.f("intake.existing_applicant", &[&id.to_string()]))
                    .color(theme.ok_colour()),
            );
        } else if !self.matches.is_empty() {
            ui.label(
                RichText::new(tr.t("intake.duplicate_warning"))
                    .color(theme.urgency_colour(super::theme::Urgency::DueSoon)),
            );
            for m in &self.matches {
                ui.horizontal(|ui| {
                    ui.label(tr.f(
                        "intake.match",
                        &[&m.full_name, &m.birth_date, &m.applications.to_string()],
                    ));
                    if ui.button(tr.t("intake.use_applicant")).clicked() {
                        *action = Some(IntakeAction::UseApplicant(m.id));
                    }
                });
            }
        }
    }

    fn application_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        errors: &[FieldError],
        professions: &[ProfessionRow],
        action: &mut Option<IntakeAction>,
    ) {
        let e = |f| self_error(errors, f, self.attempted, tr);
        ui.label(RichText::new(tr.t("intake.application")).strong());
        if self.kind == ApplicationKind::Reissue {
            ui.horizontal(|ui| {
                widgets::form_label(ui, tr.t("field.reissue_reason"));
                for (reason, key) in [
                    (ReissueReason::NameChanged, "reissue.name"),
                    (ReissueReason::IdentityDocumentChanged, "reissue.document"),
                    (ReissueReason::EmployerChanged, "reissue.employer"),
                ] {
                    ui.radio_value(&mut self.reissue_reason, Some(reason), tr.t(key));
                }
            });
        }
        if self.kind != ApplicationKind::Issue {
            text_field_ui(
                ui,
                tr.t("field.certificate"),
                &mut self.certificate_number,
                e(Field::Certificate),
                theme,
            );
            if self.correction.is_none() {
                ui.horizontal(|ui| {
                    ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
                    let button = ui.add_enabled(
                        !self.certificate_number.trim().is_empty(),
                        egui::Button::new(tr.t("start.fill")),
                    );
                    if button.clicked() {
                        *action = Some(IntakeAction::FromCertificate);
                    }
                });
                if let Some(number) = &self.started_from {
                    ui.label(
                        RichText::new(tr.f("start.filled", &[number])).color(theme.ok_colour()),
                    );
                }
            }
        }
        // R§8: sector → activity → profession, filtered by what is typed.
        ui.horizontal(|ui| {
            let label = widgets::form_label(ui, tr.t("field.profession"));
            ui.add(
                egui::TextEdit::singleline(&mut self.profession_filter)
                    .hint_text(tr.t("intake.profession_filter"))
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
        });
        if let Some(error) = e(Field::Profession) {
            ui.label(RichText::new(error).color(theme.error_colour()).small());
        }
        if let Some(chosen) = self
            .profession_id
            .and_then(|id| professions.iter().find(|p| p.id == id))
        {
            ui.label(
                RichText::new(format!(
                    "• {} — {} / {}",
                    chosen.name, chosen.sector, chosen.activity
                ))
                .color(theme.ok_colour()),
            );
        }
        let filter = self.profession_filter.to_lowercase();
        egui::ScrollArea::vertical()
            .id_salt("professions")
            .max_height(170.0)
            .show(ui, |ui| {
                let mut last_sector = "";
                let mut last_activity = "";
                let mut shown = 0;
                for p in professions.iter().filter(|p| {
                    filter.is_empty()
                        || p.name.to_lowercase().contains(&filter)
                        || p.sector.to_lowercase().contains(&filter)
                        || p.activity.to_lowercase().contains(&filter)
                }) {
                    shown += 1;
                    if p.sector != last_sector {
                        ui.label(
                            RichText::new(format!("{}. {}", p.sector_number, p.sector)).strong(),
                        );
                        last_sector = &p.sector;
                        last_activity = "";
                    }
                    if p.activity != last_activity {
                        ui.label(RichText::new(&p.activity).italics());
                        last_activity = &p.activity;
                    }
                    let text = if p.qualification_levels.is_empty() {
                        format!("{}. {}", p.number, p.name)
                    } else {
                        format!(
                            "{}. {} ({} {})",
                            p.number,
                            p.name,
                            tr.t("intake.nqf"),
                            p.qualification_levels
                        )
                    };
                    ui.radio_value(&mut self.profession_id, Some(p.id), text);
                }
                if shown == 0 {
                    ui.label(
                        RichText::new(tr.t("intake.no_profession")).color(theme.muted_colour()),
                    );
                }
            });
        let employer_needed = employer_required(self.kind, self.reissue_reason);
        let employer_label = if employer_needed {
            tr.t("field.employer_name_required")
        } else {
            tr.t("field.employer_name")
        };
        text_field_ui(
            ui,
            employer_label,
            &mut self.employer_name,
            e(Field::EmployerName),
            theme,
        );
        text_field_ui(
            ui,
            tr.t("field.employer_id"),
            &mut self.employer_id,
            e(Field::EmployerId),
            theme,
        );
        if self.kind == ApplicationKind::Extend {
            text_field_ui(
                ui,
                tr.t("field.contract_end"),
                &mut self.contract_end,
                e(Field::ContractEnd),
                theme,
            );
        }
        ui.horizontal(|ui| {
            let label = widgets::form_label(ui, tr.t("field.channel"));
            egui::ComboBox::from_id_salt("channel")
                .selected_text(channel_name(tr, self.channel))
                .show_ui(ui, |ui| {
                    for channel in Channel::ALL {
                        ui.selectable_value(&mut self.channel, channel, channel_name(tr, channel));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        text_field_ui(
            ui,
            tr.t("field.filed_at"),
            &mut self.filed_at,
            e(Field::FiledAt),
            theme,
        );
        // On its own line: the legal wording is long and must wrap, not run off the screen.
        ui.checkbox(&mut self.consent, tr.t("field.consent"));
        if let Some(error) = e(Field::Consent) {
            ui.label(RichText::new(error).color(theme.error_colour()).small());
        }
    }

    fn checklist_ui(
        &mut self,
        ui: &mut Ui,
        tr: &Tr,
        theme: &Theme,
        action: &mut Option<IntakeAction>,
    ) {
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("intake.checklist")).strong());
        for doc in required_documents(self.kind, self.reissue_reason) {
            // The checkbox on its own line, so that a long name wraps within the column.
            let mut received = self.received.contains(&doc);
            if ui
                .checkbox(&mut received, widgets::document(tr, doc))
                .changed()
            {
                if received {
                    self.received.push(doc);
                } else {
                    self.received.retain(|d| *d != doc);
                }
            }
            ui.horizontal(|ui| {
                ui.add_space(24.0);
                if ui.small_button(tr.t("intake.attach")).clicked() {
                    *action = Some(IntakeAction::PickFile(doc));
                }
            });
            for file in self.files.iter().filter(|f| f.doc_type == doc) {
                ui.label(
                    RichText::new(format!(
                        "    • {} · SHA-256 {}…",
                        file.file_name,
                        &file.sha256[..16]
                    ))
                    .small()
                    .color(theme.muted_colour()),
                );
            }
        }
    }

    fn deadlines_ui(&self, ui: &mut Ui, tr: &Tr, calendar: &Calendar, hours: WorkingHours) {
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("intake.deadlines")).strong());
        let Some(filed) = self.filed_at() else {
            ui.label(tr.t("intake.deadlines_need_time"));
            return;
        };
        let dl = application_deadlines(self.kind, filed, hours, calendar);
        ui.label(tr.f("deadlines.registered", &[&widgets::date(dl.registered)]));
        if let Some(forward) = dl.forward_by {
            ui.label(tr.f("deadlines.forward_by", &[&widgets::date(forward)]));
        }
        ui.label(tr.f("deadlines.decision_by", &[&widgets::date(dl.decision_by)]));
        egui::CollapsingHeader::new(tr.t("deadlines.why"))
            .id_salt("intake_why")
            .show(ui, |ui| {
                for line in &dl.explain {
                    ui.label(RichText::new(widgets::explain(tr, line)).small());
                }
            });
    }

    /// Adds a scan read from disk, if it is a PDF, JPEG or PNG within the size limit.
    pub fn add_file(&mut self, tr: &Tr, doc_type: DocumentType, file_name: String, bytes: Vec<u8>) {
        if bytes.len() > crate::service::applications::MAX_FILE_BYTES {
            self.message = Some(tr.t("error.file_too_large").into());
            return;
        }
        if sniff_mime(&bytes).is_none() {
            self.message = Some(tr.t("error.file_type").into());
            return;
        }
        self.message = None;
        let sha256 = sha256_hex(&bytes);
        if !self.received.contains(&doc_type) {
            self.received.push(doc_type);
        }
        self.files.push(PendingFile {
            doc_type,
            file_name,
            sha256,
            bytes,
        });
    }

    /// Fills the applicant from a stored record.
    /// The form takes an existing applicant's data; a stored citizenship that is not in the
    /// list is shown and kept as it is.
    pub fn use_applicant(
        &mut self,
        id: i64,
        applicant: ApplicantInput,
        countries: &Countries,
        kazakh: bool,
    ) {
        self.citizenship_text = countries
            .display(&applicant.citizenship, applicant.stateless, kazakh)
            .to_string();
        self.citizenship_kept = (!applicant.stateless).then(|| applicant.citizenship.clone());
        self.citizenship_known = true;
        self.birth_date = applicant.birth_date.map(widgets::date).unwrap_or_default();
        self.doc_issued_on = applicant
            .doc_issued_on
            .map(widgets::date)
            .unwrap_or_default();
        self.applicant = applicant;
        self.existing_applicant = Some(id);
        self.matches.clear();
    }
}

/// The citizenship box and what it sets.
struct CitizenshipBox<'a> {
    text: &'a mut String,
    kept: Option<&'a str>,
    known: &'a mut bool,
    citizenship: &'a mut String,
    stateless: &'a mut bool,
}

impl CitizenshipBox<'_> {
    /// Sets the applicant's citizenship from what the box says: a country of the list by its
    /// Russian name, «лицо без гражданства» as the stateless flag, the kept value as it is.
    fn resolve(&mut self, countries: &Countries) {
        let text = self.text.trim();
        *self.known = true;
        match countries.find(text) {
            _ if self.kept.is_some_and(|k| k.trim() == text) => {
                *self.stateless = false;
                *self.citizenship = self.kept.unwrap_or_default().to_string();
            }
            Some(Citizenship::Stateless) => {
                *self.stateless = true;
                self.citizenship.clear();
            }
            Some(Citizenship::Country(c)) => {
                *self.stateless = false;
                self.citizenship.clone_from(&c.ru);
            }
            None => {
                *self.stateless = false;
                *self.citizenship = text.to_string();
                *self.known = text.is_empty();
            }
        }
    }
}

/// Citizenship (Appendix 1): type to search the countries in either language, pick one or
/// «лицо без гражданства».
fn citizenship_ui(
    ui: &mut Ui,
    tr: &Tr,
    theme: &Theme,
    countries: &Countries,
    field: &mut CitizenshipBox<'_>,
    error: Option<String>,
) {
    let kazakh = tr.lang == Lang::Kk;
    let response = ui
        .horizontal(|ui| {
            let label = widgets::form_label(ui, tr.t("field.citizenship"));
            ui.add(
                egui::TextEdit::singleline(field.text)
                    .hint_text(tr.t("field.citizenship_hint"))
                    .desired_width(320.0),
            )
            .labelled_by(label.id)
        })
        .inner;
    if response.changed() {
        field.resolve(countries);
    }
    let note = |ui: &mut Ui, text: RichText| {
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            ui.label(text);
        });
    };
    if let Some(error) = error {
        note(ui, RichText::new(error).color(theme.error_colour()).small());
    }
    let typed = field.text.trim().to_string();
    let exact = countries.find(&typed).is_some();
    if !exact && field.kept.is_some_and(|k| k.trim() == typed) && !typed.is_empty() {
        note(
            ui,
            RichText::new(tr.t("intake.citizenship_kept"))
                .color(theme.muted_colour())
                .small(),
        );
        return;
    }
    if exact || typed.is_empty() {
        return;
    }
    let mut chosen = None;
    for found in countries.search(&typed, 8) {
        let name = match found {
            Citizenship::Stateless if kazakh => countries.stateless.kk.as_str(),
            Citizenship::Stateless => countries.stateless.ru.as_str(),
            Citizenship::Country(c) => c.name(kazakh),
        };
        ui.horizontal(|ui| {
            ui.add_space(Theme::FORM_LABEL_WIDTH + Theme::SPACING);
            if ui.selectable_label(false, name).clicked() {
                chosen = Some(name.to_string());
            }
        });
    }
    if let Some(name) = chosen {
        *field.text = name;
        field.resolve(countries);
    }
}

fn self_error(errors: &[FieldError], field: Field, attempted: bool, tr: &Tr) -> Option<String> {
    errors
        .iter()
        .find(|e| {
            e.field == field
                && (attempted
                    || !matches!(
                        e.problem,
                        Problem::Required | Problem::ConsentMissing | Problem::NotInList
                    ))
        })
        .map(|e| widgets::problem(tr, e.problem))
}

pub fn channel_name(tr: &Tr, channel: Channel) -> &str {
    match channel {
        Channel::Egov => tr.t("channel.egov"),
        Channel::Elicense => tr.t("channel.elicense"),
        Channel::Migration => tr.t("channel.migration"),
        Channel::Paper => tr.t("channel.paper"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn countries() -> Countries {
        crate::assets::countries().unwrap_or_else(|e| panic!("{e}"))
    }

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2026-11-23 10:00", "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn a_date_that_cannot_be_read_is_said_not_taken_as_empty() {
        // Issue 14: «8 окт 1987» said «обязательное поле»; «31.02.2020» was saved as «—».
        let mut screen = IntakeScreen::new(ApplicationKind::Issue, now());
        screen.birth_date = "8 окт 1987".into();
        screen.doc_issued_on = "31.02.2020".into();
        let errors = screen.errors(now());
        for field in [Field::BirthDate, Field::DocIssuedOn] {
            assert!(
                errors.contains(&FieldError {
                    field,
                    problem: Problem::NotADate
                }),
                "{field:?}: {errors:?}"
            );
        }
        screen.doc_issued_on = "28.02.2020".into();
        assert!(
            !screen
                .errors(now())
                .iter()
                .any(|e| e.field == Field::DocIssuedOn)
        );
    }

    fn existing(citizenship: &str, stateless: bool) -> ApplicantInput {
        ApplicantInput {
            citizenship: citizenship.into(),
            stateless,
            ..ApplicantInput::default()
        }
    }

    fn type_citizenship(screen: &mut IntakeScreen, text: &str, countries: &Countries) {
        screen.citizenship_text = text.into();
        CitizenshipBox {
            text: &mut screen.citizenship_text,
            kept: screen.citizenship_kept.as_deref(),
            known: &mut screen.citizenship_known,
            citizenship: &mut screen.applicant.citizenship,
            stateless: &mut screen.applicant.stateless,
        }
        .resolve(countries);
    }

    fn citizenship_errors(screen: &IntakeScreen) -> Vec<Problem> {
        screen
            .errors(now())
            .into_iter()
            .filter(|e| e.field == Field::Citizenship)
            .map(|e| e.problem)
            .collect()
    }

    #[test]
    fn a_stored_free_text_citizenship_is_shown_and_kept_as_it_is() {
        let countries = countries();
        let mut screen = IntakeScreen::new(ApplicationKind::Issue, now());
        screen.use_applicant(7, existing("Киргизская ССР", false), &countries, true);
        assert_eq!(screen.citizenship_text, "Киргизская ССР");
        assert_eq!(screen.applicant_input().citizenship, "Киргизская ССР");
        assert!(citizenship_errors(&screen).is_empty());
        // Typed away and back: still the stored text.
        type_citizenship(&mut screen, "Кирг", &countries);
        assert_eq!(citizenship_errors(&screen), [Problem::NotInList]);
        type_citizenship(&mut screen, "Киргизская ССР", &countries);
        assert_eq!(screen.applicant_input().citizenship, "Киргизская ССР");
        assert!(citizenship_errors(&screen).is_empty());
    }

    #[test]
    fn a_country_is_stored_by_its_russian_name_and_stateless_is_the_flag() {
        let countries = countries();
        let mut screen = IntakeScreen::new(ApplicationKind::Issue, now());
        // A stored country shows in the interface's language and stays as stored.
        screen.use_applicant(7, existing("Узбекистан", false), &countries, true);
        assert_eq!(screen.citizenship_text, "Өзбекстан");
        type_citizenship(&mut screen, "Қырғызстан", &countries);
        assert_eq!(screen.applicant.citizenship, "Кыргызстан");
        assert!(!screen.applicant.stateless);
        type_citizenship(&mut screen, "лицо без гражданства", &countries);
        assert!(screen.applicant.stateless);
        assert!(screen.applicant.citizenship.is_empty());
        assert!(citizenship_errors(&screen).is_empty());
        type_citizenship(&mut screen, "Атлантида", &countries);
        assert_eq!(citizenship_errors(&screen), [Problem::NotInList]);
        type_citizenship(&mut screen, "", &countries);
        assert!(
            screen
                .errors(now())
                .iter()
                .all(|e| e.problem != Problem::NotInList)
        );
    }
}
