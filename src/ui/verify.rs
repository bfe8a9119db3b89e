//! Verification of a certificate: the QR code's signature and the certificate's status now;
//! and of a PDF signed with EDS (R§13), chosen with the file dialog.

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets;
use crate::service::printing::{CodeField, Verification};

#[derive(Debug, Clone, Default)]
pub struct VerifyScreen {
    pub input: String,
    pub result: Option<Verification>,
    /// The last signed PDF checked: its file name and the check (or why it could not be read).
    pub pdf: Option<(String, Result<crate::service::eds::PdfCheck, String>)>,
}

/// What the screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyAction {
    /// Check the typed QR payload or number.
    Check,
    /// Choose a signed PDF and check its EDS signatures.
    ChoosePdf,
}

impl VerifyScreen {
    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<VerifyAction> {
        let mut action = None;
        ui.heading(tr.t("tab.verify"));
        ui.horizontal(|ui| {
            let label = ui.label(tr.t("verify.input"));
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.input).desired_width(700.0))
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.button(tr.t("verify.button")).clicked() || enter {
                action = Some(VerifyAction::Check);
            }
        });
        ui.horizontal(|ui| {
            if ui.button(tr.t("eds.verify_pdf")).clicked() {
                action = Some(VerifyAction::ChoosePdf);
            }
            ui.label(RichText::new(tr.t("eds.verify_pdf_hint")).small());
        });
        if let Some((name, check)) = &self.pdf {
            ui.add_space(6.0);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(RichText::new(name).strong());
                match check {
                    Ok(check) => super::eds::check_ui(ui, tr, theme, check),
                    Err(e) => {
                        ui.label(RichText::new(e).color(theme.error_colour()));
                    }
                }
            });
        }
        self.result_ui(ui, tr, theme);
        action
    }

    fn result_ui(&self, ui: &mut Ui, tr: &Tr, theme: &Theme) {
        let Some(v) = &self.result else { return };
        ui.add_space(8.0);
        match v.authentic {
            Some(true) => {
                ui.label(
                    RichText::new(tr.t("verify.authentic"))
                        .color(theme.ok_colour())
                        .strong(),
                );
                if let Some(key) = &v.key {
                    let holder = v
                        .key_holder
                        .clone()
                        .unwrap_or_else(|| tr.t("admin.body_key").to_string());
                    let key = format!("{key} — {holder}");
                    ui.label(
                        RichText::new(tr.f("verify.key", &[&key]))
                            .small()
                            .color(theme.muted_colour()),
                    );
                }
            }
            Some(false) => {
                // Nothing after "forged" may read like "valid": the register's facts are not
                // shown for a code that proves nothing.
                ui.label(
                    RichText::new(tr.t("verify.forged"))
                        .color(theme.error_colour())
                        .strong(),
                );
                ui.label(tr.f("verify.do_not_rely", &[&v.number]));
                return;
            }
            None => {
                ui.label(tr.t("verify.number_only"));
            }
        }
        if !v.found {
            ui.label(tr.f("verify.not_found", &[&v.number]));
            return;
        }
        let status = v
            .status
            .map(|s| widgets::certificate_status(tr, s).to_string())
            .unwrap_or_default();
        let from = v.valid_from.map(widgets::date).unwrap_or_default();
        let to = v.valid_to.map(widgets::date).unwrap_or_default();
        ui.label(RichText::new(tr.f("verify.status", &[&v.number, &status, &from, &to])).strong());
        if let Some(next) = &v.superseded_by {
            ui.label(tr.f("verify.superseded", &[next]));
        }
        if let Some(act) = &v.revoked_by {
            ui.label(RichText::new(tr.f("verify.revoked", &[act])).color(theme.error_colour()));
        }
        if !v.differences.is_empty() {
            ui.label(
                RichText::new(tr.t("verify.differences"))
                    .color(theme.error_colour())
                    .strong(),
            );
            for d in &v.differences {
                let field = match d.field {
                    CodeField::Initials => tr.t("verify.field_initials"),
                    CodeField::IssuedOn => tr.t("verify.field_issued"),
                    CodeField::ValidFrom => tr.t("verify.field_from"),
                    CodeField::ValidTo => tr.t("verify.field_to"),
                };
                let show = |text: &str| {
                    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map_or_else(|_| text.to_string(), widgets::date)
                };
                ui.label(
                    RichText::new(tr.f(
                        "verify.difference",
                        &[field, &show(&d.in_code), &show(&d.in_register)],
                    ))
                    .color(theme.error_colour()),
                );
            }
        }
    }
}
