//! Dates that follow one another on the same file: what rests on a step cannot be dated before
//! that step.

use chrono::NaiveDate;

/// The akimat decides on the commission's recommendation (R§11): the decision cannot be dated
/// before the meeting that recommended, or the certificate's basis would cite a protocol from
/// its future.
pub fn decision_follows_recommendation(decided_on: NaiveDate, meeting_held_on: NaiveDate) -> bool {
    decided_on >= meeting_held_on
}

/// An extension, a reissue or a duplicate concerns a certificate already issued (R§16, R§22,
/// R§22-1): it is filed on or after the day that certificate was issued.
pub fn filing_follows_certificate(filed_on: NaiveDate, issued_on: NaiveDate) -> bool {
    filed_on >= issued_on
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_is_not_filed_before_its_certificate() {
        // R§16, R§22, R§22-1; issue 14: 17 of 182 in the demo were.
        let issued = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
        let day_before = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default();
        assert!(!filing_follows_certificate(day_before, issued));
        assert!(filing_follows_certificate(issued, issued));
    }

    #[test]
    fn a_decision_is_not_dated_before_its_recommendation() {
        // R§11; issue 14: «протокол № 1 от 29.11.2026» on a certificate of 22.11.2026.
        let meeting = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let before = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        assert!(!decision_follows_recommendation(before, meeting));
        assert!(decision_follows_recommendation(meeting, meeting));
    }
}
