//! Properties of the working-day count (SPEC §3, A2.7) for random dates.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
use proptest::prelude::*;
use spravka::assets;
use spravka::domain::ApplicationKind;
use spravka::domain::calendar::Calendar;
use spravka::domain::deadline::{WorkingHours, add_working_days, application_deadlines};

fn calendar() -> Calendar {
    Calendar::new(assets::calendar_years().unwrap_or_else(|e| panic!("{e}")))
}

fn date() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
    (0u64..(365 * 6))
        .prop_map(move |offset| start.checked_add_days(Days::new(offset)).unwrap_or(start))
}

proptest! {
    #[test]
    fn deadlines_are_working_days_not_before_registration(
        day in date(),
        minutes in 0u32..(24 * 60),
        kind in prop::sample::select(ApplicationKind::ALL.to_vec()),
    ) {
        // A2.7, R§7, R§11, R§16, R§22, R§22-1.
        let cal = calendar();
        let time = NaiveTime::from_num_seconds_from_midnight_opt(minutes * 60, 0).unwrap_or_default();
        let dl = application_deadlines(kind, NaiveDateTime::new(day, time), WorkingHours::default(), &cal);
        prop_assert!(cal.is_working(dl.registered));
        prop_assert!(dl.registered >= day);
        prop_assert!(cal.is_working(dl.decision_by));
        prop_assert!(dl.decision_by > dl.registered);
        if let Some(forward_by) = dl.forward_by {
            prop_assert!(cal.is_working(forward_by));
            prop_assert!(forward_by > dl.registered && forward_by < dl.decision_by);
        }
    }

    #[test]
    fn adding_n_then_n_equals_adding_2n(day in date(), n in 0u32..40) {
        // SPEC §3: the count of working days is additive.
        let cal = calendar();
        let (once, _) = add_working_days(&cal, day, n);
        let (twice, _) = add_working_days(&cal, once, n);
        let (double, _) = add_working_days(&cal, day, 2 * n);
        prop_assert_eq!(twice, double);
    }
}
