//! The working calendar of the Republic of Kazakhstan (SPEC §3, A2.7).
//!
//! Working days are Monday to Friday except public holidays and days off moved by government
//! decree. The statutory holidays are the law (Law "On holidays" No. 267-II Art. 5, Labour Code
//! Art. 84–85) and live in [`STATUTORY_HOLIDAYS`]; the per-year data (the first day of Kurban
//! Ait, the decree's transfers) is [`YearData`], shipped in `assets/calendar.json` and extended by
//! the administrator without code. [`Calendar`] answers whether a date is a working day and why.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A public holiday of Law No. 267-II Art. 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    NewYear,
    OrthodoxChristmas,
    WomensDay,
    Nauryz,
    UnityDay,
    DefenderDay,
    VictoryDay,
    CapitalDay,
    ConstitutionDay,
    RepublicDay,
    IndependenceDay,
    KurbanAit,
}

impl Holiday {
    /// The English name, as `spravka rules working-day` prints it.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year",
            Self::OrthodoxChristmas => "Orthodox Christmas",
            Self::WomensDay => "International Women's Day",
            Self::Nauryz => "Nauryz",
            Self::UnityDay => "Unity Day of the People of Kazakhstan",
            Self::DefenderDay => "Defender of the Fatherland Day",
            Self::VictoryDay => "Victory Day",
            Self::CapitalDay => "Capital Day",
            Self::ConstitutionDay => "Constitution Day",
            Self::RepublicDay => "Republic Day",
            Self::IndependenceDay => "Independence Day",
            Self::KurbanAit => "Kurban Ait",
        }
    }

    /// Religious holidays do not move off a weekend (Labour Code Art. 85; SPEC §3).
    pub fn moves_off_weekend(self) -> bool {
        !matches!(self, Self::OrthodoxChristmas | Self::KurbanAit)
    }
}

/// One fixed-date statutory holiday and the years in which the law has it.
#[derive(Debug, Clone, Copy)]
pub struct StatutoryHoliday {
    pub holiday: Holiday,
    pub month: u32,
    pub day: u32,
    /// First year the holiday applies, if it was introduced within the supported range.
    pub from_year: Option<i32>,
    /// Last year the holiday applies, if it was abolished.
    pub until_year: Option<i32>,
}

const fn fixed(holiday: Holiday, month: u32, day: u32) -> StatutoryHoliday {
    StatutoryHoliday {
        holiday,
        month,
        day,
        from_year: None,
        until_year: None,
    }
}

/// The fixed-date public holidays (Law No. 267-II Art. 5; SPEC §3). Kurban Ait has no fixed
/// date and comes from [`YearData::kurban_ait`].
pub const STATUTORY_HOLIDAYS: &[StatutoryHoliday] = &[
    fixed(Holiday::NewYear, 1, 1),
    fixed(Holiday::NewYear, 1, 2),
    fixed(Holiday::OrthodoxChristmas, 1, 7),
    fixed(Holiday::WomensDay, 3, 8),
    // Constitution Day of the 2026 Constitution, from 2027.
    StatutoryHoliday {
        from_year: Some(2027),
        ..fixed(Holiday::ConstitutionDay, 3, 15)
    },
    fixed(Holiday::Nauryz, 3, 21),
    fixed(Holiday::Nauryz, 3, 22),
    fixed(Holiday::Nauryz, 3, 23),
    fixed(Holiday::UnityDay, 5, 1),
    fixed(Holiday::DefenderDay, 5, 7),
    fixed(Holiday::VictoryDay, 5, 9),
    fixed(Holiday::CapitalDay, 7, 6),
    // Constitution Day of the 1995 Constitution, until 2025.
    StatutoryHoliday {
        until_year: Some(2025),
        ..fixed(Holiday::ConstitutionDay, 8, 30)
    },
    StatutoryHoliday {
        from_year: Some(2022),
        ..fixed(Holiday::RepublicDay, 10, 25)
    },
    fixed(Holiday::IndependenceDay, 12, 16),
];

impl StatutoryHoliday {
    fn applies_in(&self, year: i32) -> bool {
        self.from_year.is_none_or(|from| year >= from)
            && self.until_year.is_none_or(|until| year <= until)
    }
}

/// A dated entry of the per-year data, with the decree or note that justifies it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedNote {
    pub date: NaiveDate,
    #[serde(default)]
    pub note: String,
}

/// The part of a year's calendar that no rule can generate: the first day of Kurban Ait and
/// the government decree's transfers (SPEC §3). The administrator adds it each year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearData {
    pub year: i32,
    /// First day of Kurban Ait, a day off that does not move.
    pub kurban_ait: Option<NaiveDate>,
    /// The date is announced but not yet fixed by the government.
    #[serde(default)]
    pub kurban_ait_expected: bool,
    /// Days off by decree (a transfer, or an extra day off set by the administrator).
    #[serde(default)]
    pub days_off: Vec<DatedNote>,
    /// Saturdays or Sundays made working by decree.
    #[serde(default)]
    pub working_days: Vec<DatedNote>,
}

impl YearData {
    pub fn empty(year: i32) -> Self {
        Self {
            year,
            kurban_ait: None,
            kurban_ait_expected: false,
            days_off: Vec::new(),
            working_days: Vec::new(),
        }
    }
}

/// Why a date is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayReason {
    /// A weekday with nothing special.
    Weekday,
    /// Saturday or Sunday.
    Weekend(Weekday),
    /// A public holiday (it may also be a weekend day).
    Holiday { holiday: Holiday, expected: bool },
    /// The day off that a holiday on a weekend moved to (SPEC §3).
    MovedHoliday { from: NaiveDate, holiday: Holiday },
    /// A day off by government decree or by the administrator's override.
    DecreeDayOff { note: String },
    /// A Saturday or Sunday made working by decree.
    DecreeWorkingDay { weekday: Weekday, note: String },
}

/// The answer to "is this date a working day, and why".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub working: bool,
    pub reason: DayReason,
}

impl DayReason {
    /// The decree or note behind a transfer, if one was entered.
    pub fn note(&self) -> Option<&str> {
        match self {
            Self::DecreeDayOff { note } | Self::DecreeWorkingDay { note, .. }
                if !note.is_empty() =>
            {
                Some(note)
            }
            _ => None,
        }
    }
}

impl fmt::Display for DayReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Weekday => f.write_str("working day"),
            Self::Weekend(_) => f.write_str("weekend"),
            Self::Holiday {
                holiday,
                expected: false,
            } => f.write_str(holiday.name_en()),
            Self::Holiday {
                holiday,
                expected: true,
            } => {
                write!(f, "{} (expected date, not yet fixed)", holiday.name_en())
            }
            Self::MovedHoliday { from, holiday } => write!(
                f,
                "moved from {} {} ({})",
                weekday_en(from.weekday()),
                day_month_en(*from),
                holiday.name_en()
            ),
            Self::DecreeDayOff { .. } => f.write_str("decree transfer"),
            Self::DecreeWorkingDay { weekday, .. } => {
                write!(f, "working {} by decree", weekday_en(*weekday))
            }
        }
    }
}

pub fn weekday_en(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn day_month_en(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {}", date.day(), MONTHS[date.month0() as usize])
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// What the calendar knows about a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearKnowledge {
    /// The year's data is entered and fixed.
    Known,
    /// The year has data, but the Kurban Ait date is only expected.
    Expected,
    /// No data for the year: Kurban Ait and the decree's transfers are unknown.
    Missing,
}

/// Every day off of one year that is not a plain weekend, with its reason.
#[derive(Debug, Clone, Default)]
struct YearDays {
    off: BTreeMap<NaiveDate, DayReason>,
    working: BTreeMap<NaiveDate, DayReason>,
}

/// The working calendar: statutory rules plus per-year data. Build it once and ask it.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    data: BTreeMap<i32, YearData>,
    days: BTreeMap<i32, YearDays>,
}

/// The first and last year a calendar computes; outside it every weekday counts as working.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

impl Calendar {
    /// A calendar from per-year data. Later entries for the same year are merged into earlier
    /// ones, so that shipped data can be overridden by the administrator's: a later Kurban Ait
    /// date replaces the earlier one, transfers are added.
    pub fn new(years: impl IntoIterator<Item = YearData>) -> Self {
        let mut data: BTreeMap<i32, YearData> = BTreeMap::new();
        for year in years {
            match data.get_mut(&year.year) {
                Some(existing) => merge_year(existing, year),
                None => {
                    data.insert(year.year, year);
                }
            }
        }
        let mut calendar = Self {
            data,
            days: BTreeMap::new(),
        };
        let years: Vec<i32> = (FIRST_YEAR..=LAST_YEAR).collect();
        for year in years {
            let days = calendar.compute_year(year);
            calendar.days.insert(year, days);
        }
        calendar
    }

    /// The per-year data this calendar was built from, in year order.
    pub fn year_data(&self) -> impl Iterator<Item = &YearData> {
        self.data.values()
    }

    pub fn knowledge(&self, year: i32) -> YearKnowledge {
        match self.data.get(&year) {
            Some(YearData {
                kurban_ait: Some(_),
                kurban_ait_expected: false,
                ..
            }) => YearKnowledge::Known,
            Some(YearData {
                kurban_ait: Some(_),
                kurban_ait_expected: true,
                ..
            }) => YearKnowledge::Expected,
            _ => YearKnowledge::Missing,
        }
    }

    /// Holidays of a year, generated by the statutory rules and the year's data. SPEC §3.
    fn holidays(&self, year: i32) -> Vec<(NaiveDate, Holiday, bool)> {
        let mut holidays: Vec<(NaiveDate, Holiday, bool)> = STATUTORY_HOLIDAYS
            .iter()
            .filter(|h| h.applies_in(year))
            .filter_map(|h| {
                Some((
                    NaiveDate::from_ymd_opt(year, h.month, h.day)?,
                    h.holiday,
                    false,
                ))
            })
            .collect();
        if let Some(data) = self.data.get(&year)
            && let Some(date) = data.kurban_ait
        {
            holidays.push((date, Holiday::KurbanAit, data.kurban_ait_expected));
        }
        holidays.sort_by_key(|(date, _, _)| *date);
        holidays
    }

    fn compute_year(&self, year: i32) -> YearDays {
        let mut days = YearDays::default();
        let holidays = self.holidays(year);
        for (date, holiday, expected) in &holidays {
            days.off.insert(
                *date,
                DayReason::Holiday {
                    holiday: *holiday,
                    expected: *expected,
                },
            );
        }
        // SPEC §3: a holiday that moves and falls on a Saturday or Sunday makes the next working
        // day a day off; the rule chains over consecutive holidays and earlier moved days.
        for (date, holiday, _) in &holidays {
            if !holiday.moves_off_weekend() || !is_weekend(*date) {
                continue;
            }
            let mut candidate = *date;
            while let Some(next) = candidate.checked_add_days(Days::new(1)) {
                candidate = next;
                if candidate.year() != year {
                    // No holiday moves past 31 December (none falls on 30–31 December).
                    break;
                }
                if !is_weekend(candidate) && !days.off.contains_key(&candidate) {
                    days.off.insert(
                        candidate,
                        DayReason::MovedHoliday {
                            from: *date,
                            holiday: *holiday,
                        },
                    );
                    break;
                }
            }
        }
        if let Some(data) = self.data.get(&year) {
            for entry in &data.days_off {
                days.off.insert(
                    entry.date,
                    DayReason::DecreeDayOff {
                        note: entry.note.clone(),
                    },
                );
            }
            for entry in &data.working_days {
                days.off.remove(&entry.date);
                days.working.insert(
                    entry.date,
                    DayReason::DecreeWorkingDay {
                        weekday: entry.date.weekday(),
                        note: entry.note.clone(),
                    },
                );
            }
        }
        days
    }

    /// Is `date` a working day, and why. A2.7, SPEC §3.
    pub fn day(&self, date: NaiveDate) -> DayInfo {
        if let Some(days) = self.days.get(&date.year()) {
            if let Some(reason) = days.working.get(&date) {
                return DayInfo {
                    date,
                    working: true,
                    reason: reason.clone(),
                };
            }
            if let Some(reason) = days.off.get(&date) {
                return DayInfo {
                    date,
                    working: false,
                    reason: reason.clone(),
                };
            }
        }
        if is_weekend(date) {
            DayInfo {
                date,
                working: false,
                reason: DayReason::Weekend(date.weekday()),
            }
        } else {
            DayInfo {
                date,
                working: true,
                reason: DayReason::Weekday,
            }
        }
    }

    pub fn is_working(&self, date: NaiveDate) -> bool {
        self.day(date).working
    }

    /// The first working day on or after `date`, with the days off passed on the way.
    pub fn next_working_on_or_after(&self, date: NaiveDate) -> (NaiveDate, Vec<DayInfo>) {
        let mut skipped = Vec::new();
        let mut day = date;
        loop {
            let info = self.day(day);
            if info.working {
                return (day, skipped);
            }
            skipped.push(info);
            let Some(next) = day.checked_add_days(Days::new(1)) else {
                return (day, skipped);
            };
            day = next;
        }
    }
}

fn merge_year(existing: &mut YearData, later: YearData) {
    if later.kurban_ait.is_some() {
        existing.kurban_ait = later.kurban_ait;
        existing.kurban_ait_expected = later.kurban_ait_expected;
    }
    for entry in later.days_off {
        existing.working_days.retain(|w| w.date != entry.date);
        existing.days_off.retain(|d| d.date != entry.date);
        existing.days_off.push(entry);
    }
    for entry in later.working_days {
        existing.days_off.retain(|d| d.date != entry.date);
        existing.working_days.retain(|w| w.date != entry.date);
        existing.working_days.push(entry);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn note(date: &str) -> DatedNote {
        DatedNote {
            date: d(date),
            note: String::new(),
        }
    }

    /// The shipped data of SPEC §3, written out here so that the tests do not depend on the
    /// asset file (the asset file has its own test).
    pub(crate) fn spec_calendar() -> Calendar {
        let year =
            |y: i32, kurban: &str, expected: bool, off: &[&str], working: &[&str]| YearData {
                year: y,
                kurban_ait: Some(d(kurban)),
                kurban_ait_expected: expected,
                days_off: off.iter().map(|s| note(s)).collect(),
                working_days: working.iter().map(|s| note(s)).collect(),
            };
        Calendar::new([
            year(2023, "2023-06-28", false, &["2023-07-07"], &["2023-07-01"]),
            year(2024, "2024-06-16", false, &["2024-05-08"], &["2024-05-04"]),
            year(2025, "2025-06-06", false, &["2025-01-03"], &["2025-01-05"]),
            year(2026, "2026-05-27", false, &[], &[]),
            year(2027, "2027-05-16", true, &[], &[]),
        ])
    }

    #[test]
    fn nauryz_2026_moves_two_days_off_the_weekend() {
        // SPEC §3: 21–23 March 2026 are Sat–Mon, so 24 and 25 March are days off too.
        let cal = spec_calendar();
        for date in ["2026-03-21", "2026-03-22", "2026-03-23"] {
            let info = cal.day(d(date));
            assert!(!info.working, "{date}");
            assert_eq!(info.reason.to_string(), "Nauryz");
        }
        let tue = cal.day(d("2026-03-24"));
        assert!(!tue.working);
        assert_eq!(
            tue.reason.to_string(),
            "moved from Saturday 21 March (Nauryz)"
        );
        let wed = cal.day(d("2026-03-25"));
        assert!(!wed.working);
        assert_eq!(
            wed.reason.to_string(),
            "moved from Sunday 22 March (Nauryz)"
        );
        assert!(cal.is_working(d("2026-03-26")));
    }

    #[test]
    fn working_sunday_by_decree_2025() {
        // SPEC §3: in 2025, 3 January off and Sunday 5 January working.
        let cal = spec_calendar();
        let sunday = cal.day(d("2025-01-05"));
        assert!(sunday.working);
        assert_eq!(sunday.reason.to_string(), "working Sunday by decree");
        let friday = cal.day(d("2025-01-03"));
        assert!(!friday.working);
        assert_eq!(friday.reason.to_string(), "decree transfer");
    }

    #[test]
    fn decree_transfers_2023_and_2024() {
        // SPEC §3: 2023 7 July off, Saturday 1 July working; 2024 8 May off, Saturday 4 May working.
        let cal = spec_calendar();
        assert!(!cal.is_working(d("2023-07-07")));
        assert!(cal.is_working(d("2023-07-01")));
        assert!(!cal.is_working(d("2024-05-08")));
        assert!(cal.is_working(d("2024-05-04")));
    }

    #[test]
    fn kurban_ait_on_a_sunday_does_not_move() {
        // SPEC §3: Kurban Ait 2024 fell on Sunday 16 June; religious holidays do not move.
        let cal = spec_calendar();
        let info = cal.day(d("2024-06-16"));
        assert!(!info.working);
        assert_eq!(info.reason.to_string(), "Kurban Ait");
        assert!(cal.is_working(d("2024-06-17")));
    }

    #[test]
    fn orthodox_christmas_on_a_weekend_does_not_move() {
        // SPEC §3: 7 January does not move. 7 January 2024 was a Sunday.
        let cal = spec_calendar();
        assert!(!cal.is_working(d("2024-01-07")));
        assert!(cal.is_working(d("2024-01-08")));
    }

    #[test]
    fn constitution_day_moves_from_august_to_march() {
        // SPEC §3: 30 August until 2025 only; 15 March from 2027.
        let cal = spec_calendar();
        assert!(!cal.is_working(d("2024-08-30")));
        assert_eq!(
            cal.day(d("2024-08-30")).reason.to_string(),
            "Constitution Day"
        );
        let aug_2026 = cal.day(d("2026-08-31")); // a Monday; 30 August 2026 is a Sunday
        assert!(
            aug_2026.working,
            "30 August 2026 is no holiday, so nothing moves to 31 August"
        );
        assert_eq!(
            cal.day(d("2026-08-30")).reason,
            DayReason::Weekend(Weekday::Sun)
        );
        assert!(
            cal.is_working(d("2026-03-16")),
            "15 March 2026 is not yet a holiday"
        );
        let march_2027 = cal.day(d("2027-03-15"));
        assert!(!march_2027.working);
        assert_eq!(march_2027.reason.to_string(), "Constitution Day");
    }

    #[test]
    fn republic_day_from_2022() {
        // SPEC §3: Republic Day, 25 October, since 2022.
        let cal = spec_calendar();
        assert!(cal.is_working(d("2021-10-25")));
        assert!(!cal.is_working(d("2022-10-25")));
        // 25 October 2025 was a Saturday: Monday 27 October is the moved day off.
        assert_eq!(
            cal.day(d("2025-10-27")).reason.to_string(),
            "moved from Saturday 25 October (Republic Day)"
        );
    }

    #[test]
    fn new_year_chain_over_a_weekend() {
        // SPEC §3: 1–2 January 2022 were Sat–Sun, so Monday 3 and Tuesday 4 January are off.
        let cal = spec_calendar();
        assert!(!cal.is_working(d("2022-01-03")));
        assert!(!cal.is_working(d("2022-01-04")));
        assert!(cal.is_working(d("2022-01-05")));
    }

    #[test]
    fn expected_kurban_ait_is_marked_as_expected() {
        // SPEC §3: a date the calendar cannot know yet is shown as expected, not as certain.
        let cal = spec_calendar();
        let info = cal.day(d("2027-05-16"));
        assert!(!info.working);
        assert_eq!(
            info.reason,
            DayReason::Holiday {
                holiday: Holiday::KurbanAit,
                expected: true
            }
        );
        assert_eq!(cal.knowledge(2027), YearKnowledge::Expected);
        assert_eq!(cal.knowledge(2026), YearKnowledge::Known);
        assert_eq!(cal.knowledge(2028), YearKnowledge::Missing);
    }

    #[test]
    fn administrator_override_adds_a_day_off_and_a_working_saturday() {
        // SPEC §3: the administrator adds a year's transfers without code.
        let override_2026 = YearData {
            year: 2026,
            kurban_ait: None,
            kurban_ait_expected: false,
            days_off: vec![DatedNote {
                date: d("2026-12-31"),
                note: "decree 1".into(),
            }],
            working_days: vec![DatedNote {
                date: d("2026-12-26"),
                note: "decree 1".into(),
            }],
        };
        let base = spec_calendar();
        let cal = Calendar::new(base.year_data().cloned().chain([override_2026]));
        assert_eq!(
            cal.day(d("2026-12-31")).reason.to_string(),
            "decree transfer"
        );
        assert_eq!(cal.day(d("2026-12-31")).reason.note(), Some("decree 1"));
        assert!(cal.is_working(d("2026-12-26")));
        assert_eq!(
            cal.day(d("2026-12-26")).reason.to_string(),
            "working Saturday by decree"
        );
        // The Kurban Ait date of the shipped data stays.
        assert!(!cal.is_working(d("2026-05-27")));
    }
}
