//! The grounds for refusal (A2.9; R§12), with the order's own words.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A ground for refusing the service (A2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// A2.9.1: qualification or education does not match the priority-list professions.
    QualificationMismatch,
    /// A2.9.2: the score is below the threshold of 6.
    BelowThreshold,
    /// A2.9.3: documents or data found unreliable.
    UnreliableDocuments,
}

impl RefusalGround {
    pub const ALL: [Self; 3] = [
        Self::QualificationMismatch,
        Self::BelowThreshold,
        Self::UnreliableDocuments,
    ];

    /// The number of the ground in A2.9.
    pub fn number(self) -> u8 {
        match self {
            Self::QualificationMismatch => 1,
            Self::BelowThreshold => 2,
            Self::UnreliableDocuments => 3,
        }
    }

    pub fn from_number(number: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.number() == number)
    }

    pub fn reference(self) -> &'static str {
        match self {
            Self::QualificationMismatch => "A2.9.1",
            Self::BelowThreshold => "A2.9.2",
            Self::UnreliableDocuments => "A2.9.3",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::QualificationMismatch => "qualification_mismatch",
            Self::BelowThreshold => "below_threshold",
            Self::UnreliableDocuments => "unreliable_documents",
        }
    }

    /// The ground in the words of Appendix 2, row 9 (Russian original).
    pub fn legal_wording_ru(self) -> &'static str {
        match self {
            Self::QualificationMismatch => {
                "Несоответствие требованиям к квалификации и уровню образования к профессиям, востребованным в приоритетных отраслях экономики (видах экономической деятельности) предусмотренным перечнем приоритетных отраслей (видов экономической деятельности) и востребованных в них профессий для самостоятельного трудоустройства иностранцев и лиц без гражданства."
            }
            Self::BelowThreshold => {
                "Недостижение порогового значения результата оценки иностранца или лица без гражданства, составляющего шесть баллов."
            }
            Self::UnreliableDocuments => {
                "Установление недостоверности документов, представленных услугополучателем для получения государственной услуги, и (или) данных (сведений), содержащихся в них."
            }
        }
    }
}

/// The ground proposed for a score (A2.9.2): below the threshold, "score below 6"; the
/// commission may still choose another ground.
pub fn proposed_ground(score: &crate::domain::scoring::Score) -> Option<RefusalGround> {
    (!score.passed).then_some(RefusalGround::BelowThreshold)
}

/// What the commission recommended on an application, as the akimat's refusal sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recommended<'a> {
    /// No recommendation: an extension, a reissue or a duplicate goes without the commission.
    Nothing,
    Issue,
    Refuse {
        motivation: &'a str,
    },
}

/// Why a refusal cannot be recorded as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalProblem {
    /// A refusal is motivated (R§12, A2.5) and nothing was written, nor recommended.
    NoMotivation,
    /// The commission recommended issuing; refusing against it is a decision of its own that
    /// is confirmed and says why (R§11, R§12).
    AgainstRecommendation,
}

/// The motivation a refusal letter carries (R§9, R§11, R§12, A2.5). The akimat refuses on the
/// commission's recommendation, and the commission's own reason (e.g. «Набрано 5 баллов при
/// пороговом значении 6») is what the applicant reads: it stands first, the officer's words,
/// if they add something, after it. Refusing where the commission recommended issuing needs
/// `confirmed_against` and a reason of the officer's own.
pub fn refusal_motivation(
    recommended: Recommended<'_>,
    typed: &str,
    confirmed_against: bool,
) -> Result<String, RefusalProblem> {
    let typed = typed.trim();
    match recommended {
        Recommended::Refuse { motivation } => {
            let commission = motivation.trim();
            let text = if commission.is_empty() || typed.contains(commission) {
                typed.to_string()
            } else if typed.is_empty() {
                commission.to_string()
            } else {
                format!("{commission}. {typed}")
            };
            if text.is_empty() {
                Err(RefusalProblem::NoMotivation)
            } else {
                Ok(text)
            }
        }
        Recommended::Issue if !confirmed_against || typed.is_empty() => {
            Err(RefusalProblem::AgainstRecommendation)
        }
        Recommended::Issue | Recommended::Nothing if !typed.is_empty() => Ok(typed.to_string()),
        Recommended::Issue | Recommended::Nothing => Err(RefusalProblem::NoMotivation),
    }
}

impl fmt::Display for RefusalGround {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.reference(), self.legal_wording_ru())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown refusal ground '{0}': expected 1, 2 or 3 (A2.9)")]
pub struct UnknownGround(pub String);

impl FromStr for RefusalGround {
    type Err = UnknownGround;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|g| g.code() == s || s.parse::<u8>().ok() == Some(g.number()))
            .ok_or_else(|| UnknownGround(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORDER: &str =
        include_str!("../../assets/legal/order-236-self-employment-certificate-rules.txt");

    #[test]
    fn a_score_below_six_proposes_ground_2() {
        // A2.9.2: below the threshold of 6 is a ground for refusal.
        use crate::domain::scoring::{ScoreInput, score, tests::r10};
        let five = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                academic_degree: false,
                english_certificate: false,
                periods: vec![],
            },
        );
        assert_eq!(proposed_ground(&five), Some(RefusalGround::BelowThreshold));
        let six = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                english_certificate: true,
                ..ScoreInput::default()
            },
        );
        assert_eq!(proposed_ground(&six), None);
    }

    #[test]
    fn three_grounds_in_the_orders_words() {
        // A2.9: each ground's wording stands in the order as written here.
        assert_eq!(RefusalGround::ALL.len(), 3);
        for ground in RefusalGround::ALL {
            let line = format!("{}. {}", ground.number(), ground.legal_wording_ru());
            assert!(ORDER.contains(&line), "{}", ground.reference());
            assert_eq!(RefusalGround::from_number(ground.number()), Some(ground));
            assert_eq!(ground.code().parse::<RefusalGround>(), Ok(ground));
        }
        assert_eq!(RefusalGround::BelowThreshold.reference(), "A2.9.2");
    }

    #[test]
    fn the_refusal_letter_carries_the_commissions_own_reason() {
        // R§9, R§11, R§12, A2.5; issue 14: the demo's letter read «Мотивированный отказ по
        // рекомендации комиссии» instead of the commission's reason.
        let commission = Recommended::Refuse {
            motivation: "Набрано 5 баллов при пороговом значении 6",
        };
        assert_eq!(
            refusal_motivation(commission, "", false).as_deref(),
            Ok("Набрано 5 баллов при пороговом значении 6")
        );
        assert_eq!(
            refusal_motivation(commission, "Стаж менее трёх лет", false).as_deref(),
            Ok("Набрано 5 баллов при пороговом значении 6. Стаж менее трёх лет")
        );
        assert_eq!(
            refusal_motivation(
                commission,
                "Набрано 5 баллов при пороговом значении 6 (протокол № 3)",
                false
            )
            .as_deref(),
            Ok("Набрано 5 баллов при пороговом значении 6 (протокол № 3)")
        );
    }

    #[test]
    fn refusing_against_a_recommendation_to_issue_is_confirmed_with_a_reason() {
        // R§11, R§12: the akimat decides on the recommendation; going against it is said.
        assert_eq!(
            refusal_motivation(
                Recommended::Issue,
                "Паспорт признан недействительным",
                false
            ),
            Err(RefusalProblem::AgainstRecommendation)
        );
        assert_eq!(
            refusal_motivation(Recommended::Issue, " ", true),
            Err(RefusalProblem::AgainstRecommendation)
        );
        assert_eq!(
            refusal_motivation(Recommended::Issue, "Паспорт признан недействительным", true)
                .as_deref(),
            Ok("Паспорт признан недействительным")
        );
        // R§12: an extension refused with no commission still says why.
        assert_eq!(
            refusal_motivation(Recommended::Nothing, "", true),
            Err(RefusalProblem::NoMotivation)
        );
    }
}
