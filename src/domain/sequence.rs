//! Dates that follow one another on the same file: what rests on a step cannot be dated before
//! that step.

use chrono::NaiveDate;

use crate::domain::calendar::Calendar;

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

/// The commission meets on a working day of the calendar (R§9 counts its limit in working days;
/// A2.7 names the days off, the calendar holds them).
pub fn meeting_day_allowed(calendar: &Calendar, held_on: NaiveDate) -> bool {
    calendar.is_working(held_on)
}

/// The commission decides within 3 working days of receiving the documents (R§9): a meeting
/// held after `commission_by` is late for that application. It may still be held (the
/// applications cannot wait for ever); the secretary is told which ones it is late for.
pub fn meeting_past_commission_limit(held_on: NaiveDate, commission_by: Option<NaiveDate>) -> bool {
    commission_by.is_some_and(|by| held_on > by)
}

/// The commission reviews documents it has received (R§7, R§9): a meeting is not dated before
/// the day an application on its agenda was forwarded to it.
pub fn meeting_follows_forwarding(held_on: NaiveDate, forwarded_on: Option<NaiveDate>) -> bool {
    forwarded_on.is_none_or(|f| held_on >= f)
}

/// Scores and recommendations are given at the meeting (R§9, R§10): they are not recorded for
/// a meeting whose day has not come yet. A meeting may be planned ahead; what happens at it
/// is not dated in the future.
pub fn meeting_has_taken_place(held_on: NaiveDate, today: NaiveDate) -> bool {
    held_on <= today
}

/// Why a holder's notice (R§18 change of employer, R§20 end of the contract) cannot be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeProblem {
    /// The notice is dated after today.
    ReceivedInFuture { received_on: NaiveDate },
    /// The notice reports a change that comes after the notice itself: R§18 and R§20 have the
    /// holder write within 5 working days after the new contract or the end of the old one.
    EventAfterNotice { event_date: NaiveDate },
}

/// A notice reports what has already happened (R§18, R§20) and is not dated after today.
pub fn check_notice(
    event_date: NaiveDate,
    received_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), NoticeProblem> {
    if received_on > today {
        return Err(NoticeProblem::ReceivedInFuture { received_on });
    }
    if event_date > received_on {
        return Err(NoticeProblem::EventAfterNotice { event_date });
    }
    Ok(())
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

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_meeting_after_the_commission_limit_is_late_for_that_application() {
        // R§9: 3 working days from receiving the documents; the limit day itself is in time.
        let by = Some(d("2026-11-26"));
        assert!(!meeting_past_commission_limit(d("2026-11-26"), by));
        assert!(meeting_past_commission_limit(d("2026-11-27"), by));
        assert!(!meeting_past_commission_limit(d("2027-01-01"), None));
    }

    #[test]
    fn a_meeting_is_on_a_working_day_after_the_documents_came() {
        // R§9, A2.7: a Sunday is refused; R§7, R§9: not before the day of forwarding.
        let calendar = Calendar::new([]);
        assert!(!meeting_day_allowed(&calendar, d("2026-11-22")));
        assert!(meeting_day_allowed(&calendar, d("2026-11-23")));
        // A2.7: Independence Day, 16.12.2026, a Wednesday.
        assert!(!meeting_day_allowed(&calendar, d("2026-12-16")));
        assert!(!meeting_follows_forwarding(
            d("2026-11-23"),
            Some(d("2026-11-24"))
        ));
        assert!(meeting_follows_forwarding(
            d("2026-11-24"),
            Some(d("2026-11-24"))
        ));
    }

    #[test]
    fn nothing_is_scored_at_a_meeting_that_has_not_taken_place() {
        // R§9, R§10: a meeting planned for 27.11 records nothing on 24.11.
        assert!(!meeting_has_taken_place(d("2026-11-27"), d("2026-11-24")));
        assert!(meeting_has_taken_place(d("2026-11-24"), d("2026-11-24")));
    }

    #[test]
    fn a_notice_reports_what_happened_and_is_not_dated_ahead() {
        // R§18, R§20: the holder writes after the new contract or the end of the old one.
        let today = d("2026-11-24");
        assert_eq!(
            check_notice(d("2026-11-20"), d("2026-11-23"), today),
            Ok(())
        );
        assert_eq!(
            check_notice(d("2026-11-20"), d("2026-11-25"), today),
            Err(NoticeProblem::ReceivedInFuture {
                received_on: d("2026-11-25")
            })
        );
        assert_eq!(
            check_notice(d("2026-11-24"), d("2026-11-23"), today),
            Err(NoticeProblem::EventAfterNotice {
                event_date: d("2026-11-24")
            })
        );
    }
}
