//! Registration day and the deadlines of each step, in working days (A2.7, SPEC §3).
//!
//! **Decision (counting, SPEC §3):** a limit of N working days from day D ends at the end of the
//! N-th working day after D; D itself is not counted. **Decision (hours):** a filing at or after
//! the end of the body's working day, or on a day off, is registered on the next working day; a
//! filing on a working day before the start of the working day is registered that day (A2.7
//! moves only filings "after the end of working time").
//!
//! Every computed date carries its explanation, so that an officer can defend it.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, DayInfo, YearKnowledge};
use super::kind::ApplicationKind;
use super::status::ApplicationStatus;

/// The body's working hours (SPEC §3, a setting of the body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for WorkingHours {
    /// 09:00–18:30, the default of SPEC §3.
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN),
            end: NaiveTime::from_hms_opt(18, 30, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

/// One line of the explanation of a computed date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explain {
    /// The filing arrived at or after the end of the working day.
    AfterHours {
        filed: NaiveDateTime,
        end: NaiveTime,
    },
    /// A day that is not working, passed over.
    Skipped(DayInfo),
    /// The registration day (A2.7).
    Registered(NaiveDate),
    /// A deadline: N working days from a day, ending on a date.
    Deadline {
        step: Step,
        from: NaiveDate,
        days: u32,
        date: NaiveDate,
    },
    /// The count crosses a year whose calendar is not fixed yet.
    Uncertain { year: i32, knowledge: YearKnowledge },
}

impl fmt::Display for Explain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AfterHours { filed, end } => write!(
                f,
                "filed {} at {}, at or after the end of the working day ({}): counts for the next working day (A2.7)",
                filed.date(),
                filed.time().format("%H:%M"),
                end.format("%H:%M")
            ),
            Self::Skipped(info) => write!(f, "{} skipped: {}", info.date, info.reason),
            Self::Registered(date) => write!(f, "registered {date} (A2.7)"),
            Self::Deadline {
                step,
                from,
                days,
                date,
            } => write!(
                f,
                "{}: {days} working days from {from} ({}), {from} not counted: ends {date}",
                step.name_en(),
                step.reference()
            ),
            Self::Uncertain {
                year,
                knowledge: YearKnowledge::Expected,
            } => write!(
                f,
                "the calendar of {year} is not final (Kurban Ait date expected): the date may change"
            ),
            Self::Uncertain { year, .. } => write!(
                f,
                "the calendar of {year} has no Kurban Ait date or decree transfers yet: the date may change"
            ),
        }
    }
}

/// A date with the lines that explain it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained<T> {
    pub value: T,
    pub explain: Vec<Explain>,
}

/// The steps with a time limit in working days (SPEC §3). The table of limits is
/// [`Step::limit`]; nothing else in the program knows these numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The officer forwards complete documents to the commission. R§7.
    ForwardToCommission,
    /// The commission decides on each applicant, from receiving the documents. R§9.
    CommissionDecision,
    /// The akimat decides on an application of kind issue. R§11, A2.3.
    DecisionIssue,
    /// The akimat extends the certificate. R§16, A2.3.
    DecisionExtend,
    /// The akimat reissues the certificate with a new number. R§22, A2.3.
    DecisionReissue,
    /// The akimat issues a duplicate. R§22-1, A2.3.
    DecisionDuplicate,
    /// The applicant files for extension after signing the employment contract. R§17.
    ApplicantFilesExtension,
    /// The applicant notifies a change of employer. R§18.
    ApplicantNotifiesEmployerChange,
    /// The applicant notifies the end of the employment contract. R§20.
    ApplicantNotifiesContractEnd,
    /// The applicant files for reissue after a change of name, document or employer. R§22.
    ApplicantFilesReissue,
    /// The applicant files for a duplicate after the loss or damage. R§22-1.
    ApplicantFilesDuplicate,
    /// The body complained against forwards the complaint unless it satisfies it. R§24.
    ComplaintForward,
    /// A complaint to the local executive body. R§25.
    ComplaintLocalBody,
    /// A complaint to the service-quality body or the reviewing body. R§26.
    ComplaintReviewingBody,
}

impl Step {
    /// The limit in working days.
    // One arm per step, each citing its paragraph, even where the numbers coincide.
    #[allow(clippy::match_same_arms)]
    pub fn limit(self) -> u32 {
        match self {
            Self::ForwardToCommission => 2,             // R§7
            Self::CommissionDecision => 3,              // R§9
            Self::DecisionIssue => 5,                   // R§11, A2.3
            Self::DecisionExtend => 3,                  // R§16, A2.3
            Self::DecisionReissue => 3,                 // R§22, A2.3
            Self::DecisionDuplicate => 3,               // R§22-1, A2.3
            Self::ApplicantFilesExtension => 5,         // R§17
            Self::ApplicantNotifiesEmployerChange => 5, // R§18
            Self::ApplicantNotifiesContractEnd => 5,    // R§20
            Self::ApplicantFilesReissue => 5,           // R§22
            Self::ApplicantFilesDuplicate => 5,         // R§22-1
            Self::ComplaintForward => 3,                // R§24
            Self::ComplaintLocalBody => 5,              // R§25
            Self::ComplaintReviewingBody => 15,         // R§26
        }
    }

    pub fn reference(self) -> &'static str {
        match self {
            Self::ForwardToCommission => "R§7",
            Self::CommissionDecision => "R§9",
            Self::DecisionIssue => "R§11, A2.3",
            Self::DecisionExtend => "R§16, A2.3",
            Self::DecisionReissue => "R§22, A2.3",
            Self::DecisionDuplicate => "R§22-1, A2.3",
            Self::ApplicantFilesExtension => "R§17",
            Self::ApplicantNotifiesEmployerChange => "R§18",
            Self::ApplicantNotifiesContractEnd => "R§20",
            Self::ApplicantFilesReissue => "R§22",
            Self::ApplicantFilesDuplicate => "R§22-1",
            Self::ComplaintForward => "R§24",
            Self::ComplaintLocalBody => "R§25",
            Self::ComplaintReviewingBody => "R§26",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Self::ForwardToCommission => "forward to the commission",
            Self::CommissionDecision => "commission decision",
            Self::DecisionIssue => "decision to issue or refuse",
            Self::DecisionExtend => "extension",
            Self::DecisionReissue => "reissue",
            Self::DecisionDuplicate => "duplicate",
            Self::ApplicantFilesExtension => "applicant files for extension",
            Self::ApplicantNotifiesEmployerChange => "applicant notifies change of employer",
            Self::ApplicantNotifiesContractEnd => "applicant notifies end of contract",
            Self::ApplicantFilesReissue => "applicant files for reissue",
            Self::ApplicantFilesDuplicate => "applicant files for a duplicate",
            Self::ComplaintForward => "forward the complaint",
            Self::ComplaintLocalBody => "complaint to the local executive body",
            Self::ComplaintReviewingBody => "complaint to the reviewing body",
        }
    }

    /// The step that ends the service for an application of `kind` (A2.3).
    pub fn decision_for(kind: ApplicationKind) -> Self {
        match kind {
            ApplicationKind::Issue => Self::DecisionIssue,
            ApplicationKind::Extend => Self::DecisionExtend,
            ApplicationKind::Reissue => Self::DecisionReissue,
            ApplicationKind::Duplicate => Self::DecisionDuplicate,
        }
    }
}

/// The registration day of a filing (A2.7, SPEC §3 "Decision (hours)").
pub fn registration_day(
    filed: NaiveDateTime,
    hours: WorkingHours,
    calendar: &Calendar,
) -> Explained<NaiveDate> {
    let mut explain = Vec::new();
    let mut day = filed.date();
    if calendar.is_working(day) && filed.time() >= hours.end {
        explain.push(Explain::AfterHours {
            filed,
            end: hours.end,
        });
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
    }
    let (registered, skipped) = calendar.next_working_on_or_after(day);
    explain.extend(skipped.into_iter().map(Explain::Skipped));
    explain.push(Explain::Registered(registered));
    note_uncertain_years(calendar, filed.date(), registered, &mut explain);
    Explained {
        value: registered,
        explain,
    }
}

/// The end of the `days`-th working day after `from` (SPEC §3 "Decision (counting)"), with the
/// days off passed on the way.
pub fn add_working_days(
    calendar: &Calendar,
    from: NaiveDate,
    days: u32,
) -> (NaiveDate, Vec<DayInfo>) {
    let mut skipped = Vec::new();
    let mut date = from;
    let mut counted = 0;
    while counted < days {
        let Some(next) = date.checked_add_days(Days::new(1)) else {
            break;
        };
        date = next;
        let info = calendar.day(date);
        if info.working {
            counted += 1;
        } else {
            skipped.push(info);
        }
    }
    (date, skipped)
}

/// The last day of `step`, counted from `from`.
pub fn deadline(calendar: &Calendar, step: Step, from: NaiveDate) -> Explained<NaiveDate> {
    let (date, skipped) = add_working_days(calendar, from, step.limit());
    let mut explain: Vec<Explain> = skipped.into_iter().map(Explain::Skipped).collect();
    explain.push(Explain::Deadline {
        step,
        from,
        days: step.limit(),
        date,
    });
    note_uncertain_years(calendar, from, date, &mut explain);
    Explained {
        value: date,
        explain,
    }
}

fn note_uncertain_years(
    calendar: &Calendar,
    from: NaiveDate,
    to: NaiveDate,
    explain: &mut Vec<Explain>,
) {
    for year in from.year()..=to.year() {
        let knowledge = calendar.knowledge(year);
        let already = explain
            .iter()
            .any(|e| matches!(e, Explain::Uncertain { year: y, .. } if *y == year));
        if knowledge != YearKnowledge::Known && !already {
            explain.push(Explain::Uncertain { year, knowledge });
        }
    }
}

/// The steps whose limit the application's current deadline is (SPEC §3): forwarding for an
/// application for issue still at intake (R§7, and the decision's R§11 when it was not
/// forwarded in time), the commission's or the decision's, whichever ends first, for one with
/// the commission (R§9, R§11), the decision's otherwise (A2.3); none once it is closed.
pub fn current_steps(kind: ApplicationKind, status: ApplicationStatus) -> Vec<Step> {
    use ApplicationStatus as S;
    let decision = Step::decision_for(kind);
    match status {
        S::Issued | S::Refused | S::Withdrawn => Vec::new(),
        S::Registered | S::DocumentsIncomplete if kind == ApplicationKind::Issue => {
            vec![Step::ForwardToCommission, decision]
        }
        S::WithCommission => vec![Step::CommissionDecision, decision],
        _ => vec![decision],
    }
}

/// The deadline of the step an application is at: the earliest end of its
/// [`current_steps`] whose date is known; none once the application is closed.
pub fn current_deadline(
    kind: ApplicationKind,
    status: ApplicationStatus,
    forward_by: Option<NaiveDate>,
    commission_by: Option<NaiveDate>,
    decision_by: NaiveDate,
) -> Option<NaiveDate> {
    current_steps(kind, status)
        .into_iter()
        .filter_map(|step| match step {
            Step::ForwardToCommission => forward_by,
            Step::CommissionDecision => commission_by,
            _ => Some(decision_by),
        })
        .min()
}

/// The dates the office works to for one application (SPEC §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlines {
    pub kind: ApplicationKind,
    pub filed: NaiveDateTime,
    pub registered: NaiveDate,
    /// R§7: only an application for issue goes to the commission.
    pub forward_by: Option<NaiveDate>,
    /// R§11 for issue; R§16, R§22, R§22-1 for the others (A2.3).
    pub decision_by: NaiveDate,
    pub explain: Vec<Explain>,
}

/// The registration day and the deadlines of an application of `kind` filed at `filed`.
pub fn application_deadlines(
    kind: ApplicationKind,
    filed: NaiveDateTime,
    hours: WorkingHours,
    calendar: &Calendar,
) -> Deadlines {
    let registered = registration_day(filed, hours, calendar);
    let mut explain = registered.explain;
    let forward_by = (kind == ApplicationKind::Issue).then(|| {
        let forward = deadline(calendar, Step::ForwardToCommission, registered.value);
        append_new(&mut explain, forward.explain);
        forward.value
    });
    let decision = deadline(calendar, Step::decision_for(kind), registered.value);
    append_new(&mut explain, decision.explain);
    Deadlines {
        kind,
        filed,
        registered: registered.value,
        forward_by,
        decision_by: decision.value,
        explain,
    }
}

/// Appends the lines not already present (the deadlines of one application share skipped days).
fn append_new(explain: &mut Vec<Explain>, more: Vec<Explain>) {
    for line in more {
        if !explain.contains(&line) {
            explain.push(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::{d, spec_calendar};
    use super::*;

    fn at(date: &str, time: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M")
            .unwrap_or_else(|e| panic!("{date} {time}: {e}"))
    }

    #[test]
    fn filing_within_hours_registers_the_same_day() {
        // A2.7: a filing during working hours is registered that day.
        let cal = spec_calendar();
        let reg = registration_day(at("2026-11-23", "18:29"), WorkingHours::default(), &cal);
        assert_eq!(reg.value, d("2026-11-23"));
    }

    #[test]
    fn filing_at_the_end_of_hours_registers_the_next_working_day() {
        // A2.7, SPEC §3 Decision (hours): at or after 18:30 counts for the next working day.
        let cal = spec_calendar();
        let reg = registration_day(at("2026-11-23", "18:30"), WorkingHours::default(), &cal);
        assert_eq!(reg.value, d("2026-11-24"));
        assert!(matches!(reg.explain[0], Explain::AfterHours { .. }));
        // Friday evening: Saturday and Sunday are skipped.
        let friday = registration_day(at("2026-11-27", "19:00"), WorkingHours::default(), &cal);
        assert_eq!(friday.value, d("2026-11-30"));
        let skipped: Vec<String> = friday.explain.iter().map(ToString::to_string).collect();
        assert!(
            skipped.contains(&"2026-11-28 skipped: weekend".to_string()),
            "{skipped:?}"
        );
    }

    #[test]
    fn filing_on_a_holiday_registers_after_the_moved_days_off() {
        // A2.7: a filing on a holiday is registered on the next working day; Nauryz 2026 runs
        // 21–25 March with the moved days (SPEC §3).
        let cal = spec_calendar();
        let reg = registration_day(at("2026-03-21", "10:00"), WorkingHours::default(), &cal);
        assert_eq!(reg.value, d("2026-03-26"));
        let lines: Vec<String> = reg.explain.iter().map(ToString::to_string).collect();
        assert!(
            lines.contains(&"2026-03-24 skipped: moved from Saturday 21 March (Nauryz)".into())
        );
    }

    #[test]
    fn working_hours_are_a_setting() {
        // SPEC §3: working hours are a setting of the body.
        let cal = spec_calendar();
        let hours = WorkingHours {
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default(),
        };
        assert_eq!(
            registration_day(at("2026-11-23", "17:00"), hours, &cal).value,
            d("2026-11-24")
        );
    }

    #[test]
    fn issue_deadlines_count_from_the_day_after_registration() {
        // R§7: 2 working days to forward; R§11: 5 working days to decide (SPEC §3: D not counted).
        let cal = spec_calendar();
        let dl = application_deadlines(
            ApplicationKind::Issue,
            at("2026-11-23", "10:00"),
            WorkingHours::default(),
            &cal,
        );
        assert_eq!(dl.registered, d("2026-11-23"));
        assert_eq!(dl.forward_by, Some(d("2026-11-25")));
        assert_eq!(dl.decision_by, d("2026-11-30"));
    }

    #[test]
    fn other_kinds_have_three_days_and_no_commission() {
        // R§16, R§22, R§22-1, A2.3: 3 working days; no forwarding to the commission.
        let cal = spec_calendar();
        for kind in [
            ApplicationKind::Extend,
            ApplicationKind::Reissue,
            ApplicationKind::Duplicate,
        ] {
            let dl = application_deadlines(
                kind,
                at("2026-11-23", "10:00"),
                WorkingHours::default(),
                &cal,
            );
            assert_eq!(dl.forward_by, None);
            assert_eq!(dl.decision_by, d("2026-11-26"), "{kind:?}");
        }
    }

    #[test]
    fn deadline_over_nauryz_2026_skips_five_days() {
        // R§11 with SPEC §3: registered Friday 20 March 2026; 21–25 March are off.
        let cal = spec_calendar();
        let dl = deadline(&cal, Step::DecisionIssue, d("2026-03-20"));
        assert_eq!(dl.value, d("2026-04-01"));
        let skipped = dl
            .explain
            .iter()
            .filter(|e| matches!(e, Explain::Skipped(_)))
            .count();
        assert_eq!(skipped, 5 + 2, "21–25 March and the weekend of 28–29 March");
    }

    #[test]
    fn the_current_deadline_follows_the_step() {
        // R§7 at intake, R§9 with the commission, R§11 after; none once closed.
        let (f, c, dl) = (
            Some(d("2026-11-25")),
            Some(d("2026-11-27")),
            d("2026-11-30"),
        );
        let k = ApplicationKind::Issue;
        assert_eq!(
            current_deadline(k, ApplicationStatus::Registered, f, None, dl),
            f
        );
        assert_eq!(
            current_deadline(k, ApplicationStatus::WithCommission, f, c, dl),
            c
        );
        assert_eq!(
            current_deadline(k, ApplicationStatus::Recommended, f, c, dl),
            Some(dl)
        );
        assert_eq!(
            current_deadline(k, ApplicationStatus::Issued, f, c, dl),
            None
        );
        assert_eq!(
            current_deadline(
                ApplicationKind::Extend,
                ApplicationStatus::Registered,
                None,
                None,
                dl
            ),
            Some(dl)
        );
    }

    #[test]
    fn the_steps_a_deadline_stands_for() {
        // R§7 (and R§11 behind it) at intake; R§9 and the decision's limit with the commission,
        // whichever ends first; A2.3 for the other kinds; nothing once closed.
        use ApplicationStatus as S;
        let issue = ApplicationKind::Issue;
        assert_eq!(
            current_steps(issue, S::Registered),
            [Step::ForwardToCommission, Step::DecisionIssue]
        );
        assert_eq!(
            current_steps(issue, S::WithCommission),
            [Step::CommissionDecision, Step::DecisionIssue]
        );
        assert_eq!(current_steps(issue, S::Recommended), [Step::DecisionIssue]);
        assert_eq!(
            current_steps(ApplicationKind::Duplicate, S::Registered),
            [Step::DecisionDuplicate]
        );
        assert!(current_steps(issue, S::Refused).is_empty());
        // The commission's limit ending after the decision's: the decision's date is shown.
        assert_eq!(
            current_deadline(
                issue,
                S::WithCommission,
                None,
                Some(d("2026-12-02")),
                d("2026-11-30")
            ),
            Some(d("2026-11-30"))
        );
    }

    #[test]
    fn complaint_limits() {
        // R§24: 3, R§25: 5, R§26: 15 working days.
        let cal = spec_calendar();
        assert_eq!(
            deadline(&cal, Step::ComplaintForward, d("2026-11-23")).value,
            d("2026-11-26")
        );
        assert_eq!(
            deadline(&cal, Step::ComplaintLocalBody, d("2026-11-23")).value,
            d("2026-11-30")
        );
        // 15 working days from Monday 23 November 2026: 14 December, before Independence Day.
        assert_eq!(
            deadline(&cal, Step::ComplaintReviewingBody, d("2026-11-23")).value,
            d("2026-12-14")
        );
    }

    #[test]
    fn applicant_limits_are_five_days() {
        // R§17, R§18, R§20, R§22, R§22-1: 5 working days.
        for step in [
            Step::ApplicantFilesExtension,
            Step::ApplicantNotifiesEmployerChange,
            Step::ApplicantNotifiesContractEnd,
            Step::ApplicantFilesReissue,
            Step::ApplicantFilesDuplicate,
        ] {
            assert_eq!(step.limit(), 5, "{step:?}");
        }
        assert_eq!(Step::CommissionDecision.limit(), 3); // R§9
    }

    #[test]
    fn a_count_into_an_unknown_year_says_so() {
        // SPEC §3: a date the calendar cannot know yet is shown as expected, not as certain.
        let cal = spec_calendar();
        let dl = deadline(&cal, Step::DecisionIssue, d("2027-12-28"));
        assert!(
            dl.explain
                .iter()
                .any(|e| matches!(e, Explain::Uncertain { year: 2028, .. }))
        );
        assert!(
            dl.explain
                .iter()
                .any(|e| matches!(e, Explain::Uncertain { year: 2027, .. }))
        );
    }
}
