//! Dates that follow one another on the same file: what rests on a step cannot be dated before
//! that step.

use chrono::NaiveDate;

/// The akimat decides on the commission's recommendation (R§11): the decision cannot be dated
/// before the meeting that recommended, or the certificate's basis would cite a protocol from
/// its future.
pub fn decision_follows_recommendation(decided_on: NaiveDate, meeting_held_on: NaiveDate) -> bool {
    decided_on >= meeting_held_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decision_is_not_dated_before_its_recommendation() {
        // R§11; issue 14: «протокол № 1 от 29.11.2026» on a certificate of 22.11.2026.
        let meeting = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let before = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        assert!(!decision_follows_recommendation(before, meeting));
        assert!(decision_follows_recommendation(meeting, meeting));
    }
}
