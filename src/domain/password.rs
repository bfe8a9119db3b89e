//! Passwords and signing in: the minimum length and the lock after repeated failures.
//!
//! The lock: after [`MAX_FAILED_ATTEMPTS`] wrong passwords in a row the account is locked for
//! [`LOCKOUT_MINUTES`] minutes, or until the administrator unlocks it sooner. The SPEC says
//! nothing on this; a lock that runs out by itself was chosen because an akimat often has one
//! administrator, who may be away: a permanent lock would stop an officer's work for a day,
//! while five guesses per quarter of an hour keep guessing a password of 8 characters hopeless.
//! A right password typed during the lock is refused too, so guessing does not go on.

use chrono::{Duration, NaiveDateTime};

/// The shortest password accepted.
pub const MIN_LENGTH: usize = 8;

/// Wrong passwords in a row that lock the account.
pub const MAX_FAILED_ATTEMPTS: u32 = 5;

/// How long the lock lasts unless the administrator lifts it.
pub const LOCKOUT_MINUTES: i64 = 15;

/// Whether a password is long enough.
pub fn is_strong_enough(password: &str) -> bool {
    password.chars().count() >= MIN_LENGTH
}

/// Whether an account locked until `locked_until` is still locked at `now`.
pub fn is_locked(locked_until: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    locked_until.is_some_and(|until| now < until)
}

/// The count of failures and the lock after one more wrong password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterFailure {
    pub failed_attempts: u32,
    pub locked_until: Option<NaiveDateTime>,
}

/// One more wrong password after `failed_attempts` in a row: the last of
/// [`MAX_FAILED_ATTEMPTS`] locks the account and starts the count again.
pub fn after_failure(failed_attempts: u32, now: NaiveDateTime) -> AfterFailure {
    let failed = failed_attempts.saturating_add(1);
    if failed >= MAX_FAILED_ATTEMPTS {
        AfterFailure {
            failed_attempts: 0,
            locked_until: Some(now + Duration::minutes(LOCKOUT_MINUTES)),
        }
    } else {
        AfterFailure {
            failed_attempts: failed,
            locked_until: None,
        }
    }
}

/// How long the next sign-in waits after `failures` wrong passwords in a row at one place (a
/// window, a command): none after the first, then 1, 2, 4, 8… seconds, at most
/// [`MAX_RETRY_SECONDS`]. It slows guessing across user names, which the per-account lockout
/// above does not.
pub fn retry_delay(failures: u32) -> std::time::Duration {
    let seconds = match failures {
        0 | 1 => 0,
        n => 1u64 << (n - 2).min(5),
    };
    std::time::Duration::from_secs(seconds.min(MAX_RETRY_SECONDS))
}

/// The longest wait between two sign-in attempts.
pub const MAX_RETRY_SECONDS: u64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let now = at("2026-11-23 10:00");
        let mut failed = 0;
        for expected in 1..MAX_FAILED_ATTEMPTS {
            let next = after_failure(failed, now);
            assert_eq!(next.failed_attempts, expected);
            assert_eq!(next.locked_until, None);
            failed = next.failed_attempts;
        }
        let locked = after_failure(failed, now);
        assert_eq!(locked.locked_until, Some(at("2026-11-23 10:15")));
        assert_eq!(locked.failed_attempts, 0);
    }

    #[test]
    fn the_lock_runs_out_after_fifteen_minutes() {
        let until = Some(at("2026-11-23 10:15"));
        assert!(is_locked(until, at("2026-11-23 10:14")));
        assert!(!is_locked(until, at("2026-11-23 10:15")));
        assert!(!is_locked(None, at("2026-11-23 10:14")));
    }

    #[test]
    fn eight_characters_are_enough_seven_are_not() {
        assert!(is_strong_enough("абвгдеёж"));
        assert!(!is_strong_enough("1234567"));
    }

    #[test]
    fn each_wrong_password_after_the_first_doubles_the_wait() {
        // Issue 12 (sign-in slowed): 0, 0, 1, 2, 4, 8, 16, then 30 s at most.
        let waits: Vec<u64> = (0..10).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 1, 2, 4, 8, 16, 30, 30, 30]);
    }
}
