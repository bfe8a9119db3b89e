//! Renaming and replacing files on Windows while an antivirus scanner (or the search indexer, or
//! a backup agent) holds the file that was just written: the call fails with a sharing violation
//! for a few hundred milliseconds and then succeeds. Every rename of the program's own files
//! (the backup's `.partial` → its name, the backups' rotation, the file a restore sets aside,
//! the exports, the settings) goes through [`rename`] or [`remove_file`] here.

use std::io;
use std::path::Path;
use std::time::Duration;

/// The waits between attempts: about 1.5 s in all, longer than a scan of a new file usually
/// holds it, short enough that a real refusal (a file open in another program) is reported
/// while the user still waits for it.
pub const BACKOFF_MS: [u64; 6] = [20, 50, 100, 200, 400, 700];

/// ERROR_ACCESS_DENIED (5), ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33): what
/// MoveFileEx and DeleteFile return while another process has the file open without
/// FILE_SHARE_DELETE, or a rename races a scanner.
pub const WINDOWS_SHARING_ERRORS: [i32; 3] = [5, 32, 33];

/// Whether `error`, read as a Windows error code, is one that goes away once the other
/// process lets the file go. (The numbers mean other things elsewhere: 5 is EIO on Linux.)
pub fn is_windows_sharing_violation(error: &io::Error) -> bool {
    error
        .raw_os_error()
        .is_some_and(|code| WINDOWS_SHARING_ERRORS.contains(&code))
}

/// Runs `op`; while it fails with an error that `transient` accepts, waits the next of `waits`
/// (by `sleep`) and runs it again. Returns the first success or the last error.
pub fn retry_with<T>(
    mut op: impl FnMut() -> io::Result<T>,
    transient: impl Fn(&io::Error) -> bool,
    waits: &[Duration],
    mut sleep: impl FnMut(Duration),
) -> io::Result<T> {
    let mut waits = waits.iter();
    loop {
        match op() {
            Ok(value) => return Ok(value),
            Err(error) if transient(&error) => match waits.next() {
                Some(wait) => {
                    log::warn!("a file is held by another program, trying again: {error}");
                    sleep(*wait);
                }
                None => return Err(error),
            },
            Err(error) => return Err(error),
        }
    }
}

/// Runs a file operation, retried on Windows while it meets a sharing violation; elsewhere
/// once.
pub fn retry_io<T>(op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let waits = BACKOFF_MS.map(Duration::from_millis);
    retry_with(
        op,
        |e| cfg!(windows) && is_windows_sharing_violation(e),
        &waits,
        std::thread::sleep,
    )
}

/// `std::fs::rename`, retried on Windows sharing violations.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    retry_io(|| std::fs::rename(from, to))
}

/// `std::fs::remove_file`, retried on Windows sharing violations.
pub fn remove_file(path: &Path) -> io::Result<()> {
    retry_io(|| std::fs::remove_file(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waits() -> Vec<Duration> {
        BACKOFF_MS
            .iter()
            .map(|ms| Duration::from_millis(*ms))
            .collect()
    }

    #[test]
    fn a_sharing_violation_is_retried_until_the_file_is_free() {
        let mut calls = 0;
        let mut slept = Vec::new();
        let result = retry_with(
            || {
                calls += 1;
                if calls < 3 {
                    Err(io::Error::from_raw_os_error(32))
                } else {
                    Ok("renamed")
                }
            },
            is_windows_sharing_violation,
            &waits(),
            |d| slept.push(d),
        );
        assert_eq!(result.expect("third attempt"), "renamed");
        assert_eq!(calls, 3);
        assert_eq!(slept, waits()[..2].to_vec());
    }

    #[test]
    fn access_denied_and_lock_violation_are_retried_too() {
        for code in [5, 33] {
            let mut calls = 0;
            let result = retry_with(
                || {
                    calls += 1;
                    if calls == 1 {
                        Err(io::Error::from_raw_os_error(code))
                    } else {
                        Ok(())
                    }
                },
                is_windows_sharing_violation,
                &waits(),
                |_| {},
            );
            assert!(result.is_ok(), "code {code}");
            assert_eq!(calls, 2, "code {code}");
        }
    }

    #[test]
    fn a_file_that_stays_held_gives_the_last_error_after_every_wait() {
        let mut calls = 0;
        let mut slept = Duration::ZERO;
        let result: io::Result<()> = retry_with(
            || {
                calls += 1;
                Err(io::Error::from_raw_os_error(32))
            },
            is_windows_sharing_violation,
            &waits(),
            |d| slept += d,
        );
        assert_eq!(result.expect_err("held").raw_os_error(), Some(32));
        assert_eq!(calls, BACKOFF_MS.len() + 1);
        assert_eq!(slept, Duration::from_millis(BACKOFF_MS.iter().sum()));
    }

    #[test]
    fn other_errors_are_not_retried() {
        let mut calls = 0;
        let result: io::Result<()> = retry_with(
            || {
                calls += 1;
                Err(io::Error::new(io::ErrorKind::NotFound, "gone"))
            },
            is_windows_sharing_violation,
            &waits(),
            |_| panic!("no wait for a missing file"),
        );
        assert_eq!(result.expect_err("missing").kind(), io::ErrorKind::NotFound);
        assert_eq!(calls, 1);
    }

    #[test]
    fn off_windows_the_same_numbers_are_not_sharing_violations() {
        // 5 is EIO on Linux: a real failure, reported at once.
        let mut calls = 0;
        let result: io::Result<()> = retry_io(|| {
            calls += 1;
            Err(io::Error::from_raw_os_error(5))
        });
        assert!(result.is_err());
        assert_eq!(
            calls,
            if cfg!(windows) {
                BACKOFF_MS.len() + 1
            } else {
                1
            }
        );
    }

    #[test]
    fn rename_moves_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let from = dir.path().join("a.partial");
        let to = dir.path().join("a.db");
        std::fs::write(&from, b"x").expect("write");
        rename(&from, &to).expect("rename");
        assert!(!from.exists());
        assert_eq!(std::fs::read(&to).expect("read"), b"x");
        remove_file(&to).expect("remove");
        assert!(!to.exists());
    }
}
