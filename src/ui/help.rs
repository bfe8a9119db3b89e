//! The help panel (F1): for each screen, the steps in order and the rules the screen applies with
//! the paragraph each comes from, in Russian and Kazakh.
//!
//! The texts are `assets/help/ru.json` and `assets/help/kk.json`, one page per [`Topic`]. A
//! number that a rule fixes is never written into the text: `{forward}`, `{threshold}`,
//! `{education_points}`… are filled from `domain` (the deadline table, the scoring scheme in
//! force, the password policy), so the help cannot say 2 days where the program counts 3.

use std::collections::BTreeMap;

use egui::{RichText, Ui};
use serde::Deserialize;

use super::i18n::{Lang, Tr};
use super::theme::Theme;
use crate::domain::deadline::Step;
use crate::domain::scoring::{EducationCriterion, Scheme};
use crate::domain::{password, validity};

const RU: &str = include_str!("../../assets/help/ru.json");
const KK: &str = include_str!("../../assets/help/kk.json");

/// The screens that have a help page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    SignIn,
    Password,
    Registry,
    Intake,
    Application,
    Commission,
    SharedScreen,
    Verify,
    Users,
    Backups,
    Calendar,
    AuditLog,
    Reports,
    ReferenceLists,
}

impl Topic {
    pub const ALL: [Self; 14] = [
        Self::SignIn,
        Self::Password,
        Self::Registry,
        Self::Intake,
        Self::Application,
        Self::Commission,
        Self::SharedScreen,
        Self::Verify,
        Self::Users,
        Self::Backups,
        Self::Calendar,
        Self::AuditLog,
        Self::Reports,
        Self::ReferenceLists,
    ];

    fn key(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::Password => "password",
            Self::Registry => "registry",
            Self::Intake => "intake",
            Self::Application => "application",
            Self::Commission => "commission",
            Self::SharedScreen => "shared_screen",
            Self::Verify => "verify",
            Self::Users => "users",
            Self::Backups => "backups",
            Self::Calendar => "calendar",
            Self::AuditLog => "audit_log",
            Self::Reports => "reports",
            Self::ReferenceLists => "reference_lists",
        }
    }
}

/// One help page as written in the file, with its placeholders.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Page {
    pub title: String,
    pub steps: Vec<String>,
    pub rules: Vec<String>,
}

fn parse(text: &str) -> BTreeMap<String, Page> {
    serde_json::from_str(text).unwrap_or_else(|e| {
        log::error!("a help file cannot be read: {e}");
        BTreeMap::new()
    })
}

/// What a filled page was made for: the language, the screen, the scoring scheme's version.
type Shown = (Lang, Topic, String);

/// The help pages of both languages, read once.
pub struct Help {
    ru: BTreeMap<String, Page>,
    kk: BTreeMap<String, Page>,
    /// The page on screen with its numbers filled in, and what it was filled for (language,
    /// screen, scheme version): the panel is drawn every frame, the page is made once.
    shown: std::cell::RefCell<Option<(Shown, Page)>>,
}

impl Default for Help {
    fn default() -> Self {
        Self {
            ru: parse(RU),
            kk: parse(KK),
            shown: std::cell::RefCell::new(None),
        }
    }
}

impl std::fmt::Debug for Help {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Help").finish_non_exhaustive()
    }
}

impl Help {
    /// The page of `topic` in the current language with every number filled in from the rules.
    pub fn page(&self, tr: &Tr, topic: Topic, scheme: &Scheme) -> Option<Page> {
        let table = match tr.lang {
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
        };
        let page = table.get(topic.key())?;
        let values = values(tr, scheme);
        let fill = |text: &String| fill(text, &values);
        Some(Page {
            title: page.title.clone(),
            steps: page.steps.iter().map(fill).collect(),
            rules: page.rules.iter().map(fill).collect(),
        })
    }

    /// Draws the page of `topic`; returns true when the panel is to be closed.
    pub fn ui(&self, ui: &mut Ui, tr: &Tr, theme: &Theme, topic: Topic, scheme: &Scheme) -> bool {
        let mut close = false;
        ui.horizontal(|ui| {
            ui.heading(tr.t("help.title"));
            if ui.button(tr.t("help.close")).clicked() {
                close = true;
            }
        });
        let key = (tr.lang, topic, scheme.version.clone());
        let stale = self.shown.borrow().as_ref().is_none_or(|(k, _)| *k != key);
        if stale {
            let Some(page) = self.page(tr, topic, scheme) else {
                ui.label(tr.t("help.none"));
                return close;
            };
            *self.shown.borrow_mut() = Some((key, page));
        }
        let shown = self.shown.borrow();
        let Some((_, page)) = shown.as_ref() else {
            return close;
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.label(RichText::new(&page.title).strong().size(18.0));
                ui.add_space(6.0);
                ui.label(RichText::new(tr.t("help.steps")).strong());
                for (n, step) in page.steps.iter().enumerate() {
                    ui.label(format!("{}. {step}", n + 1));
                }
                ui.add_space(6.0);
                ui.label(RichText::new(tr.t("help.rules")).strong());
                for rule in &page.rules {
                    ui.label(format!("• {rule}"));
                }
                ui.add_space(6.0);
                ui.label(
                    RichText::new(tr.t("help.source"))
                        .small()
                        .color(theme.muted_colour()),
                );
            });
        close
    }
}

/// The numbers a help text may name, taken from the rules themselves.
fn values(tr: &Tr, scheme: &Scheme) -> Vec<(&'static str, String)> {
    let education = [
        ("score.higher", EducationCriterion::HigherEducation),
        ("score.degree", EducationCriterion::AcademicDegree),
        ("score.english", EducationCriterion::EnglishCertificate),
    ]
    .into_iter()
    .map(|(key, c)| tr.f(key, &[&scheme.education_points(c).to_string()]))
    .collect::<Vec<_>>()
    .join(", ");
    let experience = scheme
        .experience
        .iter()
        .map(|b| match b.max_years {
            Some(max) => tr.f(
                "help.bracket",
                &[
                    &b.min_years.to_string(),
                    &max.to_string(),
                    &b.points.to_string(),
                ],
            ),
            None => tr.f(
                "help.bracket_open",
                &[&b.min_years.to_string(), &b.points.to_string()],
            ),
        })
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        ("forward", Step::ForwardToCommission.limit().to_string()),
        ("commission", Step::CommissionDecision.limit().to_string()),
        ("decision_issue", Step::DecisionIssue.limit().to_string()),
        ("decision_extend", Step::DecisionExtend.limit().to_string()),
        (
            "notice",
            Step::ApplicantNotifiesEmployerChange.limit().to_string(),
        ),
        ("issue_months", validity::ISSUE_MONTHS.to_string()),
        ("extend_years", (validity::EXTEND_MONTHS / 12).to_string()),
        ("password_min", password::MIN_LENGTH.to_string()),
        ("failures", password::MAX_FAILED_ATTEMPTS.to_string()),
        ("lockout", password::LOCKOUT_MINUTES.to_string()),
        ("threshold", scheme.threshold.to_string()),
        ("education_points", education),
        ("experience_points", experience),
    ]
}

fn fill(text: &str, values: &[(&'static str, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::mixed_script_word;

    fn scheme() -> Scheme {
        crate::assets::scoring_schemes()
            .ok()
            .and_then(|s| s.into_iter().last())
            .unwrap_or_else(|| panic!("the shipped scoring scheme"))
    }

    #[test]
    fn every_screen_has_a_page_in_both_languages_with_the_same_shape() {
        let help = Help::default();
        for topic in Topic::ALL {
            let ru = help.ru.get(topic.key());
            let kk = help.kk.get(topic.key());
            let (Some(ru), Some(kk)) = (ru, kk) else {
                panic!("{topic:?}: no page in ru or kk");
            };
            assert!(!ru.steps.is_empty() && !ru.rules.is_empty(), "{topic:?}");
            assert_eq!(ru.steps.len(), kk.steps.len(), "{topic:?} steps");
            assert_eq!(ru.rules.len(), kk.rules.len(), "{topic:?} rules");
            // The same numbers are named in both languages.
            for (r, k) in ru.rules.iter().zip(&kk.rules) {
                let names = |t: &str| {
                    let mut v: Vec<String> = t
                        .split('{')
                        .skip(1)
                        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string()))
                        .collect();
                    v.sort();
                    v
                };
                assert_eq!(names(r), names(k), "{topic:?}: {r}");
            }
        }
        assert_eq!(help.ru.len(), Topic::ALL.len(), "a page without a screen");
        assert_eq!(help.kk.len(), Topic::ALL.len(), "a page without a screen");
    }

    #[test]
    fn every_rule_names_its_source_and_every_number_is_filled_in() {
        // SPEC: the software states its reading of the order in its help text, with the
        // paragraph; a placeholder left unfilled would show as {name}.
        let scheme = scheme();
        let help = Help::default();
        for (lang, sources) in [
            (
                Lang::Ru,
                ["Правил", "приложени", "Закон", "кодекс", "Приказ"],
            ),
            (Lang::Kk, ["Қағида", "қосымша", "Заң", "кодекс", "Бұйрық"]),
        ] {
            let tr = Tr::new(lang);
            for topic in Topic::ALL {
                let Some(page) = help.page(&tr, topic, &scheme) else {
                    panic!("{topic:?} {lang:?}");
                };
                for rule in &page.rules {
                    assert!(
                        sources.iter().any(|s| rule.contains(s)),
                        "{lang:?} {topic:?}: a rule without its paragraph: {rule}"
                    );
                }
                for text in page.steps.iter().chain(&page.rules).chain([&page.title]) {
                    assert!(!text.contains('{'), "{lang:?} {topic:?}: {text}");
                    assert_eq!(mixed_script_word(text), None, "{lang:?} {topic:?}: {text}");
                    assert!(!text.contains('\u{0259}'), "Latin schwa: {text}");
                }
            }
        }
    }

    #[test]
    fn the_numbers_come_from_the_rules() {
        // R§7, R§9, R§11, R§10, A2.9: the help says what the program counts.
        let scheme = scheme();
        let help = Help::default();
        let tr = Tr::new(Lang::Ru);
        let registry = help
            .page(&tr, Topic::Registry, &scheme)
            .unwrap_or_default()
            .rules
            .join(" ");
        assert!(
            registry.contains("передать в комиссию — 2 рабочих дня"),
            "{registry}"
        );
        assert!(
            registry.contains("решение акимата — 5 рабочих дней"),
            "{registry}"
        );
        let commission = help
            .page(&tr, Topic::Commission, &scheme)
            .unwrap_or_default()
            .rules
            .join(" ");
        assert!(commission.contains("Порог — 6 баллов"), "{commission}");
        assert!(commission.contains("(+4)"), "{commission}");
        assert!(commission.contains("11 лет и более — 6"), "{commission}");
        // A scheme with another threshold changes the text.
        let mut amended = scheme.clone();
        amended.threshold = 7;
        let text = help
            .page(&tr, Topic::Commission, &amended)
            .unwrap_or_default()
            .rules
            .join(" ");
        assert!(text.contains("Порог — 7 баллов"), "{text}");
    }
}
