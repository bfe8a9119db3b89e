//! The log file: warnings and errors of the program and of the libraries under it (eframe,
//! wgpu, the file dialogs), kept in `spravka.log` in the data folder, so that what went wrong
//! on an officer's PC — where the window has no console — can be read afterwards.
//!
//! A logger of its own, about sixty lines, instead of `tracing-appender`: that one rotates by
//! time (a new file each day or hour) and would bring `tracing`, `tracing-subscriber` and a
//! bridge from `log` (which eframe and wgpu write to); here the file rotates by size, which bounds
//! the disk it takes however long the program runs: at [`MAX_BYTES`] `spravka.log` becomes
//! `spravka.log.1`, the old `.1` becomes `.2`, and the old `.2` goes. The file is created at the
//! first warning, not before. No personal data is written to it: the program's own messages name
//! files and steps, never applicants.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file name in the data folder.
pub const FILE_NAME: &str = "spravka.log";
/// The size at which the file is rotated.
pub const MAX_BYTES: u64 = 1024 * 1024;
/// How many rotated files are kept beside the current one.
pub const KEEP: usize = 2;

/// Writes warnings and errors to a file, rotating it by size; optionally also to stderr.
pub struct FileLogger {
    path: PathBuf,
    max_bytes: u64,
    echo: bool,
    file: Mutex<Option<(File, u64)>>,
}

impl FileLogger {
    /// A logger writing to `path`; with `echo`, each line goes to stderr as well.
    pub fn new(path: PathBuf, max_bytes: u64, echo: bool) -> Self {
        Self {
            path,
            max_bytes,
            echo,
            file: Mutex::new(None),
        }
    }

    fn write_line(&self, line: &str) -> std::io::Result<()> {
        let Ok(mut guard) = self.file.lock() else {
            return Ok(());
        };
        if guard.is_none() {
            if let Some(dir) = self.path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)?;
            let len = file.metadata().map_or(0, |m| m.len());
            *guard = Some((file, len));
        }
        let Some((file, len)) = guard.as_mut() else {
            return Ok(());
        };
        file.write_all(line.as_bytes())?;
        *len += line.len() as u64;
        if *len >= self.max_bytes {
            *guard = None;
            rotate(&self.path, KEEP);
        }
        Ok(())
    }
}

/// `name` → `name.1` → `name.2` …, the oldest beyond `keep` dropped.
fn rotate(path: &Path, keep: usize) {
    let numbered = |n: usize| PathBuf::from(format!("{}.{n}", path.display()));
    for n in (1..keep).rev() {
        let _ = super::retry::rename(&numbered(n), &numbered(n + 1));
    }
    if keep > 0 {
        let _ = super::retry::rename(path, &numbered(1));
    } else {
        let _ = std::fs::remove_file(path);
    }
}

impl log::Log for FileLogger {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S%:z");
        let line = format!(
            "{now} {} [{}] {}\n",
            record.level(),
            record.target(),
            record.args()
        );
        if self.echo {
            eprintln!("spravka: {}", record.args());
        }
        if let Err(e) = self.write_line(&line) {
            // The log cannot be written (a read-only folder): the console is all there is.
            eprintln!(
                "spravka: the log {} cannot be written: {e}",
                self.path.display()
            );
        }
    }

    fn flush(&self) {
        if let Ok(mut guard) = self.file.lock()
            && let Some((file, _)) = guard.as_mut()
        {
            let _ = file.flush();
        }
    }
}

/// Makes the log file in `dir` the program's logger (warnings and errors). With `echo` the
/// messages go to stderr as well (the window; the command line prints its own). Logs a panic
/// before the usual message. Returns false if a logger was already set.
pub fn init(dir: &Path, echo: bool) -> bool {
    let logger = FileLogger::new(dir.join(FILE_NAME), MAX_BYTES, echo);
    if log::set_boxed_logger(Box::new(logger)).is_err() {
        return false;
    }
    log::set_max_level(log::LevelFilter::Warn);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        log::error!("the program stopped on an internal error: {info}");
        log::logger().flush();
        default_hook(info);
    }));
    true
}

#[cfg(test)]
mod tests {
    use log::Log;

    use super::*;

    fn record(logger: &FileLogger, level: log::Level, text: &str) {
        logger.log(
            &log::Record::builder()
                .level(level)
                .target("spravka::test")
                .args(format_args!("{text}"))
                .build(),
        );
    }

    #[test]
    fn warnings_and_errors_are_kept_and_the_rest_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("logs").join(FILE_NAME);
        let logger = FileLogger::new(path.clone(), MAX_BYTES, false);
        record(&logger, log::Level::Info, "an info line");
        assert!(!path.exists(), "the file is created at the first warning");
        record(&logger, log::Level::Warn, "the backup on exit failed");
        record(&logger, log::Level::Error, "the window cannot be opened");
        record(&logger, log::Level::Debug, "a debug line");
        logger.flush();
        let text = std::fs::read_to_string(&path).expect("log");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].ends_with("WARN [spravka::test] the backup on exit failed"),
            "{text}"
        );
        assert!(lines[1].contains("ERROR [spravka::test] the window cannot be opened"));
    }

    #[test]
    fn the_file_rotates_by_size_and_keeps_two_old_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE_NAME);
        let logger = FileLogger::new(path.clone(), 200, false);
        for i in 0..40 {
            record(
                &logger,
                log::Level::Warn,
                &format!("line {i:02} {}", "x".repeat(40)),
            );
        }
        logger.flush();
        let old1 = dir.path().join(format!("{FILE_NAME}.1"));
        let old2 = dir.path().join(format!("{FILE_NAME}.2"));
        let old3 = dir.path().join(format!("{FILE_NAME}.3"));
        assert!(old1.exists() && old2.exists());
        assert!(!old3.exists(), "only two rotated files are kept");
        for file in [&path, &old1, &old2] {
            let size = std::fs::metadata(file).map_or(0, |m| m.len());
            assert!(size < 200 + 120, "{}: {size} bytes", file.display());
        }
        // The newest line is in the current file (or, just rotated, in .1); the oldest are gone.
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        let previous = std::fs::read_to_string(&old1).expect("old 1");
        assert!(current.contains("line 39") || previous.contains("line 39"));
        let all = [
            current,
            previous,
            std::fs::read_to_string(&old2).expect("old 2"),
        ]
        .concat();
        assert!(!all.contains("line 00"));
    }
}
