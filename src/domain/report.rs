//! The report for a period (how the service is doing): what counts as on time, how days late
//! and days to a decision are counted, and how figures are summed, shared and ranked.
//!
//! The figures come from the database as grouped facts (one row per distinct combination, with
//! its count); this module turns them into the report. Nothing here names a person: the report
//! holds counts, codes and application numbers only.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::calendar::Calendar;

/// A period of whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period, or `None` when it ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<Self> {
        (from <= to).then_some(Self { from, to })
    }

    /// The calendar month of `day`.
    pub fn month_of(day: NaiveDate) -> Self {
        let from = day.with_day(1).unwrap_or(day);
        let to = from
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        Self { from, to }
    }

    /// The calendar quarter of `day`.
    pub fn quarter_of(day: NaiveDate) -> Self {
        let first_month = (day.month0() / 3) * 3 + 1;
        let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let to = from
            .checked_add_months(chrono::Months::new(3))
            .and_then(|d| d.pred_opt())
            .unwrap_or(day);
        Self { from, to }
    }

    /// The calendar year of `day`.
    pub fn year_of(day: NaiveDate) -> Self {
        Self {
            from: NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
            to: NaiveDate::from_ymd_opt(day.year(), 12, 31).unwrap_or(day),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The months the period touches, as "YYYY-MM", in order.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut month = self.from.with_day(1).unwrap_or(self.from);
        while month <= self.to {
            out.push(month.format("%Y-%m").to_string());
            match month.checked_add_months(chrono::Months::new(1)) {
                Some(next) => month = next,
                None => break,
            }
        }
        out
    }
}

/// Working days after `from` up to and including `to`: the count the deadlines use (SPEC §3,
/// "Decision (counting)": the day a period starts from is not counted). Zero when `to` is not
/// after `from`.
pub fn working_days_after(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = from;
    while day < to {
        let Some(next) = day.checked_add_days(Days::new(1)) else {
            break;
        };
        day = next;
        if calendar.is_working(day) {
            count += 1;
        }
    }
    count
}

/// A decision is on time when it is dated no later than the last day of its limit: 5 working
/// days for an issue (R§11, A2.3), 3 for an extension, a reissue or a duplicate (R§16, R§22,
/// R§22-1); the deadline itself was computed when the application was registered.
pub fn on_time(decided_on: NaiveDate, deadline: NaiveDate) -> bool {
    decided_on <= deadline
}

/// `part` of `whole` as a fraction, none of nothing.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The median of values given with their counts (the mean of the two middle values when the
/// total count is even); none of nothing.
pub fn weighted_median(values: &BTreeMap<u32, u64>) -> Option<f64> {
    let total: u64 = values.values().sum();
    if total == 0 {
        return None;
    }
    let value_at = |rank: u64| {
        let mut seen = 0;
        for (value, count) in values {
            seen += count;
            if seen > rank {
                return f64::from(*value);
            }
        }
        0.0
    };
    if total % 2 == 1 {
        Some(value_at(total / 2))
    } else {
        Some(f64::midpoint(value_at(total / 2 - 1), value_at(total / 2)))
    }
}

/// The `n` largest counts by name (ties by name), and the sum of the rest.
pub fn top_n(mut counts: Vec<(String, u64)>, n: usize) -> (Vec<(String, u64)>, u64) {
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rest = counts.iter().skip(n).map(|(_, c)| c).sum();
    counts.truncate(n);
    (counts, rest)
}

/// Decisions of one kind, deadline and day, as the database groups them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFact {
    pub kind: String,
    pub registered_on: NaiveDate,
    pub decision_by: NaiveDate,
    pub decided_on: NaiveDate,
    /// "issue" or "refuse".
    pub outcome: String,
    /// A2.9 sub-paragraph of a refusal.
    pub ground: Option<u8>,
    pub count: u64,
}

/// A decision taken after its deadline, listed by the application's number (not personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LateDecision {
    pub number: String,
    pub kind: String,
    pub decision_by: NaiveDate,
    pub decided_on: NaiveDate,
    /// Working days after the deadline up to the decision.
    pub working_days_late: u32,
}

/// How quickly the akimat decided (R§11, R§16, R§22, R§22-1).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeliness {
    pub decided: u64,
    pub on_time: u64,
    pub late: u64,
    pub on_time_share: Option<f64>,
    /// Working days from registration to the decision.
    pub median_working_days: Option<f64>,
    pub max_working_days: Option<u32>,
    pub late_decisions: Vec<LateDecision>,
    /// More late decisions than listed.
    pub late_list_truncated: bool,
    /// Applications forwarded to the commission in the period, and of them within R§7.
    pub forwarded: u64,
    pub forwarded_on_time: u64,
    /// Recommendations given at meetings held in the period, and of them within R§9.
    pub commission_decided: u64,
    pub commission_on_time: u64,
}

/// Outcomes of the decisions of the period (R§11, R§12, A2.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcomes {
    pub issued: u64,
    pub refused: u64,
    /// Refusals by A2.9 sub-paragraph 1, 2, 3.
    pub refused_by_ground: [u64; 3],
    pub withdrawn: u64,
}

/// One month of the charts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Month {
    /// "YYYY-MM".
    pub month: String,
    pub received: u64,
    pub decided: u64,
    pub on_time: u64,
}

/// Sums the decision facts of a period: timeliness, outcomes and the decisions per month.
/// `late` are the late decisions the database listed (at most `late_limit`).
pub fn decisions(
    calendar: &Calendar,
    facts: &[DecisionFact],
    late: Vec<(String, String, NaiveDate, NaiveDate)>,
    late_limit: usize,
) -> (Timeliness, Outcomes, BTreeMap<String, (u64, u64)>) {
    let mut t = Timeliness::default();
    let mut o = Outcomes::default();
    let mut days: BTreeMap<u32, u64> = BTreeMap::new();
    let mut months: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for f in facts {
        t.decided += f.count;
        let in_time = on_time(f.decided_on, f.decision_by);
        if in_time {
            t.on_time += f.count;
        } else {
            t.late += f.count;
        }
        let taken = working_days_after(calendar, f.registered_on, f.decided_on);
        *days.entry(taken).or_default() += f.count;
        let month = months
            .entry(f.decided_on.format("%Y-%m").to_string())
            .or_default();
        month.0 += f.count;
        if in_time {
            month.1 += f.count;
        }
        if f.outcome == "issue" {
            o.issued += f.count;
        } else {
            o.refused += f.count;
            if let Some(g) = f.ground.filter(|g| (1..=3).contains(g)) {
                o.refused_by_ground[usize::from(g - 1)] += f.count;
            }
        }
    }
    t.on_time_share = share(t.on_time, t.decided);
    t.median_working_days = weighted_median(&days);
    t.max_working_days = days.keys().next_back().copied();
    t.late_list_truncated = late.len() > late_limit || t.late > late.len() as u64;
    t.late_decisions = late
        .into_iter()
        .take(late_limit)
        .map(|(number, kind, decision_by, decided_on)| LateDecision {
            working_days_late: working_days_after(calendar, decision_by, decided_on),
            number,
            kind,
            decision_by,
            decided_on,
        })
        .collect();
    (t, o, months)
}

/// Applications received in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Received {
    pub total: u64,
    /// By kind code (issue, extend, reissue, duplicate), in that order.
    pub by_kind: Vec<(String, u64)>,
    /// By channel code (egov, elicense, migration, paper), in that order.
    pub by_channel: Vec<(String, u64)>,
}

/// The certificates at the end of the period, and their events during it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Certificates {
    pub at: Option<NaiveDate>,
    pub valid: u64,
    pub expired: u64,
    pub revoked: u64,
    pub superseded: u64,
    /// Events recorded in the period (R§16, R§22, R§22-1, R§18, R§20, R§21).
    pub issued: u64,
    pub extended: u64,
    pub reissued: u64,
    pub duplicates: u64,
    pub notices_employer_change: u64,
    pub notices_contract_end: u64,
    pub revocations: u64,
}

/// One line of the table by profession.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProfessionLine {
    pub sector: String,
    pub activity: String,
    pub profession: String,
    pub received: u64,
    pub issued: u64,
    pub refused: u64,
}

/// The commission's work in the period (R§9, R§10).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Commission {
    pub meetings: u64,
    pub scored: u64,
    pub average_score: Option<f64>,
    pub conflicts: u64,
}

/// Complaints registered in the period (chapter 3, R§24–R§26).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Complaints {
    pub received: u64,
    pub satisfied: u64,
    pub rejected: u64,
    pub pending: u64,
    pub answered_in_time: u64,
    pub answered_late: u64,
}

/// The whole report. Its JSON form is documented in README ("Reports").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub body: String,
    pub period: Period,
    pub received: Received,
    pub timeliness: Timeliness,
    pub outcomes: Outcomes,
    pub certificates: Certificates,
    /// (sector, applications received), by the sector's number.
    pub by_sector: Vec<(String, u64)>,
    pub by_profession: Vec<ProfessionLine>,
    /// The most frequent citizenships ("" is stateless) and the sum of the others.
    pub by_citizenship: Vec<(String, u64)>,
    pub other_citizenships: u64,
    pub commission: Commission,
    pub complaints: Complaints,
    /// Every month the period touches, for the charts.
    pub months: Vec<Month>,
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::{d, spec_calendar as calendar};
    use super::*;

    #[test]
    fn working_days_are_counted_as_the_deadlines_count_them() {
        // SPEC §3: the start day is not counted. Monday 23 Nov 2026 → Monday 30 Nov: 5.
        let cal = calendar();
        assert_eq!(
            working_days_after(&cal, d("2026-11-23"), d("2026-11-30")),
            5
        );
        assert_eq!(
            working_days_after(&cal, d("2026-11-23"), d("2026-11-23")),
            0
        );
        assert_eq!(
            working_days_after(&cal, d("2026-11-30"), d("2026-11-23")),
            0
        );
        // Independence Day, Wednesday 16 December 2026, is not a working day.
        assert_eq!(
            working_days_after(&cal, d("2026-12-15"), d("2026-12-17")),
            1
        );
    }

    #[test]
    fn a_decision_on_its_deadline_is_on_time_and_the_day_after_is_late() {
        // R§11, A2.3: the limit ends at the end of its last day.
        assert!(on_time(d("2026-11-30"), d("2026-11-30")));
        assert!(!on_time(d("2026-12-01"), d("2026-11-30")));
    }

    #[test]
    fn the_median_of_counted_values() {
        let mut v = BTreeMap::new();
        assert_eq!(weighted_median(&v), None);
        v.insert(2, 1);
        v.insert(5, 2);
        assert_eq!(weighted_median(&v), Some(5.0));
        v.insert(9, 1);
        assert_eq!(weighted_median(&v), Some(5.0));
        v.insert(1, 2);
        // 1 1 2 5 5 9: the middle two are 2 and 5.
        assert_eq!(weighted_median(&v), Some(3.5));
    }

    #[test]
    fn the_largest_counts_and_the_rest() {
        let counts = vec![
            ("Узбекистан".to_string(), 5),
            ("Китай".to_string(), 9),
            ("Россия".to_string(), 5),
            ("Турция".to_string(), 1),
        ];
        let (top, rest) = top_n(counts, 2);
        assert_eq!(
            top,
            vec![("Китай".to_string(), 9), ("Россия".to_string(), 5)]
        );
        assert_eq!(rest, 6);
    }

    #[test]
    fn periods_of_a_month_a_quarter_and_a_year() {
        assert_eq!(
            Period::month_of(d("2024-02-10")),
            Period {
                from: d("2024-02-01"),
                to: d("2024-02-29")
            }
        );
        assert_eq!(
            Period::quarter_of(d("2026-11-22")),
            Period {
                from: d("2026-10-01"),
                to: d("2026-12-31")
            }
        );
        assert_eq!(Period::year_of(d("2026-11-22")).from, d("2026-01-01"));
        assert_eq!(Period::new(d("2026-02-01"), d("2026-01-01")), None);
        let p = Period::new(d("2026-11-20"), d("2027-01-05")).unwrap_or_else(|| panic!());
        assert_eq!(p.months(), ["2026-11", "2026-12", "2027-01"]);
    }

    #[test]
    fn decisions_are_summed_into_timeliness_and_outcomes() {
        // R§11: registered Mon 23 Nov 2026, due Mon 30 Nov. Two on the deadline (5 working
        // days), one refused on ground 2 the day after (6 days, 1 late).
        let cal = calendar();
        let fact = |decided: &str, outcome: &str, ground, count| DecisionFact {
            kind: "issue".into(),
            registered_on: d("2026-11-23"),
            decision_by: d("2026-11-30"),
            decided_on: d(decided),
            outcome: outcome.into(),
            ground,
            count,
        };
        let facts = [
            fact("2026-11-30", "issue", None, 2),
            fact("2026-12-01", "refuse", Some(2), 1),
        ];
        let late = vec![(
            "2026-000007".to_string(),
            "issue".to_string(),
            d("2026-11-30"),
            d("2026-12-01"),
        )];
        let (t, o, months) = decisions(&cal, &facts, late, 100);
        assert_eq!((t.decided, t.on_time, t.late), (3, 2, 1));
        assert_eq!(t.on_time_share, Some(2.0 / 3.0));
        assert_eq!(t.median_working_days, Some(5.0));
        assert_eq!(t.max_working_days, Some(6));
        assert_eq!(t.late_decisions.len(), 1);
        assert_eq!(t.late_decisions[0].working_days_late, 1);
        assert!(!t.late_list_truncated);
        assert_eq!(
            (o.issued, o.refused, o.refused_by_ground),
            (2, 1, [0, 1, 0])
        );
        assert_eq!(months.get("2026-11"), Some(&(2, 2)));
        assert_eq!(months.get("2026-12"), Some(&(1, 0)));
    }
}
