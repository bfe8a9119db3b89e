//! Signing with EDS in the window (R§13): the dialog that chooses NCALayer or a key file, the
//! "signed by … on …" lines of an application, and the result of checking a signed PDF.

use std::path::PathBuf;

use egui::{RichText, Ui};

use super::i18n::Tr;
use super::theme::Theme;
use super::widgets;
use crate::domain::eds::{Chain, SignedKind, Verdict};
use crate::service::eds::{PdfCheck, SignedDocument, Stored, Target};

/// How the official signs, as chosen in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignWith {
    NcaLayer { url: String },
    KeyFile { path: PathBuf, password: String },
}

/// A signing the dialog asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRequest {
    pub targets: Vec<Target>,
    pub with: SignWith,
}

/// What the dialog asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogAction {
    Sign(SignRequest),
    /// Choose the key file with the system dialog.
    PickKey,
}

/// The signing dialog's state: kept while open, so that nothing typed is lost on an error.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignForm {
    pub open: bool,
    pub targets: Vec<Target>,
    /// The documents' names for the dialog («справка № 00001/2026»).
    pub names: Vec<String>,
    pub key_file: bool,
    pub url: String,
    pub key_path: Option<PathBuf>,
    pub password: String,
    pub error: Option<String>,
}

impl SignForm {
    pub fn open_for(&mut self, targets: Vec<Target>, names: Vec<String>, url: &str) {
        self.open = true;
        self.targets = targets;
        self.names = names;
        if self.url.is_empty() {
            self.url = url.to_string();
        }
        self.error = None;
    }

    /// The modal dialog, while open.
    pub fn ui(&mut self, ui: &mut Ui, tr: &Tr, theme: &Theme) -> Option<DialogAction> {
        if !self.open {
            return None;
        }
        let mut action = None;
        let modal = egui::Modal::new(egui::Id::unique("eds_sign_dialog")).show(ui.ctx(), |ui| {
            ui.set_max_width(620.0);
            ui.heading(tr.t("eds.dialog_title"));
            ui.label(tr.f("eds.dialog_documents", &[&self.names.len().to_string()]));
            for name in self.names.iter().take(8) {
                ui.label(RichText::new(format!("• {name}")).small());
            }
            if self.names.len() > 8 {
                ui.label(RichText::new("…").small());
            }
            ui.add_space(6.0);
            ui.radio_value(&mut self.key_file, false, tr.t("eds.with_ncalayer"));
            ui.radio_value(&mut self.key_file, true, tr.t("eds.with_key_file"));
            ui.add_space(4.0);
            if self.key_file {
                ui.horizontal(|ui| {
                    if ui.button(tr.t("eds.choose_key")).clicked() {
                        action = Some(DialogAction::PickKey);
                    }
                    let shown = self.key_path.as_ref().map_or_else(
                        || tr.t("eds.no_key_chosen").to_string(),
                        |p| p.display().to_string(),
                    );
                    ui.label(RichText::new(shown).small());
                });
                ui.horizontal(|ui| {
                    let label = ui.label(tr.t("eds.key_password"));
                    ui.add(egui::TextEdit::singleline(&mut self.password).password(true))
                        .labelled_by(label.id);
                });
            } else {
                ui.label(RichText::new(tr.t("eds.ncalayer_hint")).small());
                ui.horizontal(|ui| {
                    let label = ui.label(tr.t("eds.ncalayer_url"));
                    ui.add(egui::TextEdit::singleline(&mut self.url).desired_width(260.0))
                        .labelled_by(label.id);
                });
            }
            if let Some(error) = &self.error {
                ui.label(RichText::new(error).color(theme.error_colour()));
            }
            ui.horizontal(|ui| {
                if ui.button(tr.t("eds.sign_button")).clicked() {
                    let with = if self.key_file {
                        if let Some(path) = &self.key_path {
                            Some(SignWith::KeyFile {
                                path: path.clone(),
                                password: self.password.clone(),
                            })
                        } else {
                            self.error = Some(tr.t("eds.no_key_chosen").into());
                            None
                        }
                    } else {
                        Some(SignWith::NcaLayer {
                            url: self.url.trim().to_string(),
                        })
                    };
                    if let Some(with) = with {
                        action = Some(DialogAction::Sign(SignRequest {
                            targets: self.targets.clone(),
                            with,
                        }));
                    }
                }
                if ui.button(tr.t("dialog.cancel")).clicked() {
                    self.open = false;
                    self.password.clear();
                }
            });
        });
        if modal.should_close() {
            self.open = false;
        }
        action
    }
}

fn kind_word(tr: &Tr, kind: SignedKind) -> &str {
    match kind {
        SignedKind::Certificate => tr.t("eds.kind_certificate"),
        SignedKind::Refusal => tr.t("eds.kind_refusal"),
    }
}

/// The signings of an application, newest first: returns the one whose files to save.
pub fn signed_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, rows: &[SignedDocument]) -> Option<i64> {
    let mut save = None;
    let mut seen: Vec<(SignedKind, &str)> = Vec::new();
    for row in rows {
        // The newest signing of each document is in force; earlier ones are history.
        let current = !seen.contains(&(row.kind, row.number.as_str()));
        seen.push((row.kind, row.number.as_str()));
        ui.horizontal_wrapped(|ui| {
            let iin = row
                .signer_iin
                .as_deref()
                .map(|iin| tr.f("eds.iin", &[iin]))
                .unwrap_or_default();
            let text = tr.f(
                "eds.signed_by",
                &[
                    &format!("{} № {}", kind_word(tr, row.kind), row.number),
                    &format!("{}{iin}", row.signer_name),
                    &row.signed_at.format("%d.%m.%Y %H:%M").to_string(),
                ],
            );
            let colour = if current {
                theme.ok_colour()
            } else {
                theme.muted_colour()
            };
            ui.label(RichText::new(text).color(colour))
                .on_hover_text(tr.f(
                    "eds.cert_details",
                    &[
                        &row.cert_serial,
                        &row.cert_issuer,
                        &widgets::date(row.cert_not_before.date()),
                        &widgets::date(row.cert_not_after.date()),
                    ],
                ));
            if !current {
                ui.label(RichText::new(tr.t("eds.superseded")).small());
            }
            if ui.small_button(tr.t("eds.save_files")).clicked() {
                save = Some(row.id);
            }
        });
    }
    save
}

/// The result of checking a signed PDF, for the «Проверка справки» screen.
pub fn check_ui(ui: &mut Ui, tr: &Tr, theme: &Theme, check: &PdfCheck) {
    let verdict = check.verdict();
    let (key, colour) = match verdict {
        Verdict::Valid => ("eds.verdict_valid", theme.ok_colour()),
        Verdict::ValidNotTrusted => ("eds.verdict_untrusted", theme.error_colour()),
        Verdict::CannotCheck => ("eds.verdict_cannot", theme.error_colour()),
        Verdict::Invalid => ("eds.verdict_invalid", theme.error_colour()),
    };
    ui.label(RichText::new(tr.t(key)).color(colour).strong());
    for (i, s) in check.signatures.iter().enumerate() {
        ui.add_space(4.0);
        ui.label(RichText::new(tr.f("eds.signature_n", &[&(i + 1).to_string()])).strong());
        let iin = s
            .signer
            .iin
            .as_deref()
            .map(|iin| tr.f("eds.iin", &[iin]))
            .unwrap_or_default();
        ui.label(tr.f("eds.signer", &[&format!("{}{iin}", s.signer.name)]));
        ui.label(
            RichText::new(tr.f(
                "eds.cert_details",
                &[
                    &s.signer.serial,
                    &s.signer.issuer,
                    &widgets::date(s.signer.not_before.date()),
                    &widgets::date(s.signer.not_after.date()),
                ],
            ))
            .small(),
        );
        if let Some(t) = s.signing_time {
            ui.label(tr.f(
                "eds.signing_time",
                &[&t.format("%d.%m.%Y %H:%M:%S").to_string()],
            ));
        }
        let line = |ui: &mut Ui, good: Option<bool>, yes: &str, no: &str| {
            let (text, colour) = match good {
                Some(true) => (tr.t(yes), theme.ok_colour()),
                Some(false) => (tr.t(no), theme.error_colour()),
                None => (tr.t("eds.cannot_check"), theme.error_colour()),
            };
            ui.label(RichText::new(text).color(colour));
        };
        let f = &s.findings;
        line(
            ui,
            Some(f.covers_whole_file),
            "eds.covers_whole",
            "eds.covers_part",
        );
        line(ui, f.digest_matches, "eds.digest_ok", "eds.digest_bad");
        line(
            ui,
            f.signature_verifies,
            "eds.signature_ok",
            "eds.signature_bad",
        );
        line(
            ui,
            match f.chain {
                Chain::Trusted => Some(true),
                Chain::NotTrusted => Some(false),
                Chain::CannotCheck => None,
            },
            "eds.trusted",
            "eds.not_trusted",
        );
    }
    ui.add_space(4.0);
    let stored = match &check.stored {
        Stored::Current {
            kind,
            number,
            signed_at,
        } => tr.f(
            "eds.stored_current",
            &[
                &format!("{} № {number}", kind_word(tr, *kind)),
                &signed_at.format("%d.%m.%Y %H:%M").to_string(),
            ],
        ),
        Stored::Older {
            kind,
            number,
            newer_at,
        } => tr.f(
            "eds.stored_older",
            &[
                &format!("{} № {number}", kind_word(tr, *kind)),
                &newer_at.format("%d.%m.%Y %H:%M").to_string(),
            ],
        ),
        Stored::NotStored => tr.t("eds.stored_none").to_string(),
    };
    ui.label(RichText::new(stored).strong());
}
