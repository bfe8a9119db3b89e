//! The act on which a certificate is revoked (R§21): an act of a state control body (labour or
//! migration inspection), with its body, number and date, and the grounds written out.

use chrono::NaiveDate;

/// Why an act cannot revoke a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActProblem {
    /// The act is dated after today: nothing is dated in the future except what the law dates
    /// ahead (validity, deadlines).
    InFuture { date: NaiveDate },
    /// The act is dated before the certificate was issued, so it cannot concern it.
    BeforeIssue { issued_on: NaiveDate },
    /// The grounds are empty: a revocation says why (R§21).
    NoGrounds,
}

/// Checks the act of a revocation against the certificate's issue day and today. R§21
pub fn check_act(
    act_date: NaiveDate,
    issued_on: NaiveDate,
    today: NaiveDate,
    grounds: &str,
) -> Result<(), ActProblem> {
    if act_date > today {
        return Err(ActProblem::InFuture { date: act_date });
    }
    if act_date < issued_on {
        return Err(ActProblem::BeforeIssue { issued_on });
    }
    if grounds.trim().is_empty() {
        return Err(ActProblem::NoGrounds);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn an_act_is_dated_between_the_issue_and_today_and_says_why() {
        // R§21; issue 14: an act dated 01.01.2027 with an empty basis was accepted.
        let (issued, today) = (d("2026-08-01"), d("2026-11-23"));
        assert_eq!(
            check_act(d("2026-11-20"), issued, today, "акт проверки"),
            Ok(())
        );
        assert_eq!(
            check_act(d("2026-11-23"), issued, today, "акт проверки"),
            Ok(())
        );
        assert_eq!(
            check_act(d("2027-01-01"), issued, today, "акт проверки"),
            Err(ActProblem::InFuture {
                date: d("2027-01-01")
            })
        );
        assert_eq!(
            check_act(d("2026-07-31"), issued, today, "акт проверки"),
            Err(ActProblem::BeforeIssue { issued_on: issued })
        );
        assert_eq!(
            check_act(d("2026-11-20"), issued, today, "  "),
            Err(ActProblem::NoGrounds)
        );
    }
}
