//! The commission's points (R§10) and the threshold (A2.9.2), as a versioned scheme (SPEC §4).
//!
//! The points are data ([`Scheme`], shipped in `assets/scoring-schemes.json`): an amended order
//! adds a new version instead of changing this code, and a scored application keeps the version
//! it was scored with.
//!
//! **Decision (SPEC §4):** education points are summed over the items that apply; exactly one
//! experience bracket applies. Experience is the union of the work periods in the specialty
//! (both dates inclusive, overlaps counted once), in full years; less than one full year gives 0,
//! and 3 years and some months count as 3 years. **Decision (ours):** each merged period is
//! measured in calendar years, months and days (one period of 3 years, 11 months and 30 days is
//! 3 full years); the parts of separate periods are added with 30 days to a month and 12 months
//! to a year, as a labour record (стаж) is usually summed.

use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// An education criterion of R§10.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EducationCriterion {
    /// Higher education in a specialty matching a priority-list profession.
    HigherEducation,
    /// An academic degree in such a specialty.
    AcademicDegree,
    /// A certificate for teaching English.
    EnglishCertificate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EducationPoints {
    pub criterion: EducationCriterion,
    pub points: u32,
    pub reference: String,
}

/// An experience bracket of R§10.2: `min_years..=max_years` full years give `points`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExperienceBracket {
    pub min_years: u32,
    pub max_years: Option<u32>,
    pub points: u32,
    pub reference: String,
}

impl ExperienceBracket {
    fn contains(&self, years: u32) -> bool {
        years >= self.min_years && self.max_years.is_none_or(|max| years <= max)
    }
}

/// One version of the points and the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub version: String,
    pub approved_by: String,
    pub valid_from: NaiveDate,
    pub education: Vec<EducationPoints>,
    pub experience: Vec<ExperienceBracket>,
    /// A2.9.2: a total of `threshold` or more passes.
    pub threshold: u32,
}

/// A scheme that cannot be used: its brackets overlap, leave a gap, or it lacks a criterion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemeError {
    #[error(
        "scheme {version}: experience brackets must start at 1 year and follow each other without gaps or overlaps"
    )]
    Brackets { version: String },
    #[error("scheme {version}: criterion {criterion:?} is listed {count} times")]
    Criterion {
        version: String,
        criterion: EducationCriterion,
        count: usize,
    },
}

impl Scheme {
    /// Checks that exactly one bracket applies to any number of full years of 1 or more, and
    /// that each education criterion has exactly one entry (SPEC §4).
    pub fn validate(&self) -> Result<(), SchemeError> {
        let mut expected_min = 1;
        let mut open_ended = false;
        for bracket in &self.experience {
            if open_ended || bracket.min_years != expected_min {
                return Err(SchemeError::Brackets {
                    version: self.version.clone(),
                });
            }
            match bracket.max_years {
                Some(max) if max >= bracket.min_years => expected_min = max + 1,
                Some(_) => {
                    return Err(SchemeError::Brackets {
                        version: self.version.clone(),
                    });
                }
                None => open_ended = true,
            }
        }
        if !open_ended {
            return Err(SchemeError::Brackets {
                version: self.version.clone(),
            });
        }
        for criterion in [
            EducationCriterion::HigherEducation,
            EducationCriterion::AcademicDegree,
            EducationCriterion::EnglishCertificate,
        ] {
            let count = self
                .education
                .iter()
                .filter(|e| e.criterion == criterion)
                .count();
            if count != 1 {
                return Err(SchemeError::Criterion {
                    version: self.version.clone(),
                    criterion,
                    count,
                });
            }
        }
        Ok(())
    }

    pub fn education_points(&self, criterion: EducationCriterion) -> u32 {
        self.education
            .iter()
            .find(|e| e.criterion == criterion)
            .map_or(0, |e| e.points)
    }

    /// The points of the one bracket that applies; 0 below the first bracket. R§10.2.
    pub fn experience_points(&self, years: u32) -> u32 {
        self.experience
            .iter()
            .find(|b| b.contains(years))
            .map_or(0, |b| b.points)
    }
}

/// A period of work in the specialty, both dates inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The period ends before it starts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the work period ends ({to}) before it starts ({from})")]
pub struct PeriodError {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl WorkPeriod {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, PeriodError> {
        if to < from {
            return Err(PeriodError { from, to });
        }
        Ok(Self { from, to })
    }
}

/// A length of service in years, months and days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} y {} m {} d", self.years, self.months, self.days)
    }
}

/// The largest `k` with `from + k*step months <= until`, and the date it reaches.
fn whole_steps(from: NaiveDate, until: NaiveDate, step_months: u32) -> (u32, NaiveDate) {
    let mut count = 0;
    let mut reached = from;
    while let Some(next) = from.checked_add_months(Months::new(step_months * (count + 1))) {
        if next > until {
            break;
        }
        count += 1;
        reached = next;
    }
    (count, reached)
}

/// The merged periods: overlapping or adjacent periods become one (SPEC §4).
pub fn merge_periods(periods: &[WorkPeriod]) -> Vec<WorkPeriod> {
    let mut sorted = periods.to_vec();
    sorted.sort_by_key(|p| (p.from, p.to));
    let mut merged: Vec<WorkPeriod> = Vec::new();
    for period in sorted {
        if let Some(last) = merged.last_mut() {
            let adjacent = last
                .to
                .checked_add_days(Days::new(1))
                .is_some_and(|d| period.from <= d);
            if adjacent {
                last.to = last.to.max(period.to);
                continue;
            }
        }
        merged.push(period);
    }
    merged
}

/// The length of service of the periods: overlaps once, both dates inclusive. SPEC §4.
pub fn length_of_service(periods: &[WorkPeriod]) -> Service {
    let merged = merge_periods(periods);
    let mut total = Service::default();
    for period in &merged {
        // The day after the last day: a period 2020-01-01..2023-12-31 reaches 2024-01-01.
        let end = period
            .to
            .checked_add_days(Days::new(1))
            .unwrap_or(period.to);
        let (years, after_years) = whole_steps(period.from, end, 12);
        let (months, after_months) = whole_steps(after_years, end, 1);
        let days = (end - after_months).num_days() as u32;
        total.years += years;
        total.months += months;
        total.days += days;
    }
    if merged.len() < 2 {
        // One period is measured on the calendar only: 3 years, 11 months and 30 days stay
        // short of 4 years.
        return total;
    }
    total.months += total.days / 30;
    total.days %= 30;
    total.years += total.months / 12;
    total.months %= 12;
    total
}

/// What the commission marked for an applicant (R§10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreInput {
    pub higher_education: bool,
    pub academic_degree: bool,
    pub english_certificate: bool,
    pub periods: Vec<WorkPeriod>,
}

impl ScoreInput {
    /// The first work period that ends after `day`, the day the commission scores (R§10:
    /// experience the applicant has, not experience a contract promises): such a period is
    /// refused, not counted.
    pub fn period_after(&self, day: NaiveDate) -> Option<WorkPeriod> {
        self.periods.iter().find(|p| p.to > day).copied()
    }
}

/// The points, the total and the verdict against the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub education_points: u32,
    pub service: Service,
    pub experience_years: u32,
    pub experience_points: u32,
    pub total: u32,
    pub threshold: u32,
    /// A2.9.2: below the threshold is a ground for refusal.
    pub passed: bool,
    pub scheme: String,
}

/// Scores an applicant with `scheme` (R§10, A2.9.2).
pub fn score(scheme: &Scheme, input: &ScoreInput) -> Score {
    let education_points = [
        (input.higher_education, EducationCriterion::HigherEducation),
        (input.academic_degree, EducationCriterion::AcademicDegree),
        (
            input.english_certificate,
            EducationCriterion::EnglishCertificate,
        ),
    ]
    .into_iter()
    .filter(|(applies, _)| *applies)
    .map(|(_, criterion)| scheme.education_points(criterion))
    .sum::<u32>();
    let service = length_of_service(&input.periods);
    let experience_points = scheme.experience_points(service.years);
    let total = education_points + experience_points;
    Score {
        education_points,
        service,
        experience_years: service.years,
        experience_points,
        total,
        threshold: scheme.threshold,
        passed: total >= scheme.threshold,
        scheme: scheme.version.clone(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::calendar::tests::d;
    use super::*;

    /// The R§10 scheme written out, independent of the asset file (which has its own test).
    pub(crate) fn r10() -> Scheme {
        let edu = |criterion, points| EducationPoints {
            criterion,
            points,
            reference: "R§10.1".into(),
        };
        let bracket = |min_years, max_years, points| ExperienceBracket {
            min_years,
            max_years,
            points,
            reference: "R§10.2".into(),
        };
        Scheme {
            version: "236-2023".into(),
            approved_by: "Order 236".into(),
            valid_from: d("2023-07-01"),
            education: vec![
                edu(EducationCriterion::HigherEducation, 3),
                edu(EducationCriterion::AcademicDegree, 4),
                edu(EducationCriterion::EnglishCertificate, 3),
            ],
            experience: vec![
                bracket(1, Some(3), 2),
                bracket(4, Some(10), 4),
                bracket(11, None, 6),
            ],
            threshold: 6,
        }
    }

    fn period(from: &str, to: &str) -> WorkPeriod {
        WorkPeriod::new(d(from), d(to)).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A single period of exactly `years` full years ending 2025-12-31.
    fn years(n: i32) -> Vec<WorkPeriod> {
        if n == 0 {
            return vec![];
        }
        vec![period(&format!("{}-01-01", 2026 - n), "2025-12-31")]
    }

    fn experience_only(periods: Vec<WorkPeriod>) -> Score {
        score(
            &r10(),
            &ScoreInput {
                periods,
                ..ScoreInput::default()
            },
        )
    }

    #[test]
    fn both_dates_are_inclusive() {
        // SPEC §4: 2020-01-01 to 2023-12-31 is 4 full years.
        let s = length_of_service(&[period("2020-01-01", "2023-12-31")]);
        assert_eq!(
            s,
            Service {
                years: 4,
                months: 0,
                days: 0
            }
        );
        let short = length_of_service(&[period("2020-01-01", "2023-12-30")]);
        assert_eq!(short.years, 3);
    }

    #[test]
    fn experience_brackets_at_their_edges() {
        // R§10.2: less than 1 year 0; 1–3 years 2; 4–10 years 4; 11 and more 6.
        for (n, points) in [(0, 0), (1, 2), (3, 2), (4, 4), (10, 4), (11, 6), (30, 6)] {
            let s = experience_only(years(n));
            assert_eq!(s.experience_years, n as u32, "{n} years");
            assert_eq!(s.experience_points, points, "{n} years");
        }
    }

    #[test]
    fn less_than_a_year_gives_nothing_and_three_years_and_a_half_counts_three() {
        // SPEC §4: less than one full year gives 0; between 3 and 4 counts as 3.
        assert_eq!(
            experience_only(vec![period("2025-01-02", "2025-12-31")]).experience_points,
            0
        );
        let s = experience_only(vec![period("2020-01-01", "2023-06-30")]);
        assert_eq!(s.experience_years, 3);
        assert_eq!(s.experience_points, 2);
    }

    #[test]
    fn overlapping_periods_count_once() {
        // SPEC §4: overlapping periods counted once.
        let s = experience_only(vec![
            period("2020-01-01", "2021-12-31"),
            period("2021-01-01", "2022-12-31"),
        ]);
        assert_eq!(
            s.service,
            Service {
                years: 3,
                months: 0,
                days: 0
            }
        );
        let nested = experience_only(vec![
            period("2015-01-01", "2025-12-31"),
            period("2018-03-01", "2019-02-28"),
        ]);
        assert_eq!(nested.experience_years, 11);
        assert_eq!(nested.experience_points, 6);
    }

    #[test]
    fn separate_part_years_add_up() {
        // SPEC §4 with our decision: two half-years in separate periods make one year.
        let s = experience_only(vec![
            period("2020-01-01", "2020-06-30"),
            period("2022-01-01", "2022-06-30"),
        ]);
        assert_eq!(
            s.service,
            Service {
                years: 1,
                months: 0,
                days: 0
            }
        );
        assert_eq!(s.experience_points, 2);
        // Adjacent periods merge: no day is lost or counted twice.
        let adjacent = length_of_service(&[
            period("2020-01-01", "2020-12-31"),
            period("2021-01-01", "2021-12-31"),
        ]);
        assert_eq!(
            adjacent,
            Service {
                years: 2,
                months: 0,
                days: 0
            }
        );
    }

    #[test]
    fn education_points_are_summed() {
        // R§10.1 and SPEC §4: 3 + 4 + 3.
        let all = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                academic_degree: true,
                english_certificate: true,
                periods: vec![],
            },
        );
        assert_eq!(all.education_points, 10);
        let higher = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                ..ScoreInput::default()
            },
        );
        assert_eq!(higher.education_points, 3);
    }

    #[test]
    fn exactly_six_points_passes_and_five_fails() {
        // A2.9.2: a total of 6 or more passes; below 6 is a ground for refusal.
        let six = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                english_certificate: true,
                ..ScoreInput::default()
            },
        );
        assert_eq!(six.total, 6);
        assert!(six.passed);
        let five = score(
            &r10(),
            &ScoreInput {
                higher_education: true,
                periods: years(1),
                ..ScoreInput::default()
            },
        );
        assert_eq!(five.total, 5);
        assert!(!five.passed);
        assert_eq!(five.scheme, "236-2023");
    }

    #[test]
    fn scheme_validation_rejects_gaps_and_overlaps() {
        // SPEC §4: exactly one experience bracket applies.
        assert_eq!(r10().validate(), Ok(()));
        let mut gap = r10();
        gap.experience[1].min_years = 5;
        assert!(gap.validate().is_err());
        let mut closed = r10();
        closed.experience[2].max_years = Some(40);
        assert!(closed.validate().is_err());
        let mut twice = r10();
        twice.education.push(twice.education[0].clone());
        assert!(twice.validate().is_err());
    }

    #[test]
    fn a_period_ending_before_it_starts_is_an_error() {
        assert!(WorkPeriod::new(d("2021-01-02"), d("2021-01-01")).is_err());
        assert!(WorkPeriod::new(d("2021-01-01"), d("2021-01-01")).is_ok());
    }

    #[test]
    fn experience_ends_at_the_day_it_is_scored() {
        // R§10: a period ending 31.12.2027, scored on 24.11.2026, is not experience yet.
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        let period = |from: (i32, u32, u32), to: (i32, u32, u32)| WorkPeriod {
            from: NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(to.0, to.1, to.2).unwrap_or_default(),
        };
        let mut input = ScoreInput {
            periods: vec![period((2015, 1, 1), (2026, 11, 24))],
            ..ScoreInput::default()
        };
        assert_eq!(
            input.period_after(day),
            None,
            "ending on the day itself counts"
        );
        input.periods.push(period((2027, 1, 1), (2027, 12, 31)));
        assert_eq!(input.period_after(day), Some(input.periods[1]));
    }
}
