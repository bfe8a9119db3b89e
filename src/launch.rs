//! Start-up, shared by `spravka` and `spravka-cli`: the arguments, the settings file, the log,
//! which database, and then a command-line command or the window.
//!
//! The window: the renderer is `--renderer`, else the settings' one, else wgpu. If it cannot
//! start (no adapter, no GL context: an error or a panic before the first frame), the program
//! starts itself again with the other renderer and `--fallback-from` (winit allows one event
//! loop per process, so the second try needs a new process; the child never starts a third).
//! When the fallback's window has drawn its first frame, its renderer is written to the
//! settings, so the next start goes straight to it. A failure before the window — no data
//! folder, a database on a network share, a server URL, neither renderer — is shown in a
//! native message box in the language last chosen, and written to the log.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{self, Cli};
use crate::platform::netpath;
use crate::platform::paths::{self, DefaultDb};
use crate::platform::settings::{DatabaseLocation, RendererName, Settings};
use crate::platform::{logfile, settings};
use crate::ui::i18n::{Lang, Tr};
use crate::ui::{self, WindowError, WindowOptions};

/// The program: parses the arguments and runs a command or the window.
pub fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let data_dir = paths::data_dir();
    // The window echoes its warnings to stderr too (a terminal, if any); the command line
    // prints its own messages and only logs them.
    let logging = data_dir
        .as_deref()
        .is_some_and(|dir| logfile::init(dir, cli.command.is_none()));
    let settings_file = data_dir.as_ref().map(|d| d.join(settings::FILE_NAME));
    let settings = match settings_file.as_deref().map(Settings::load) {
        Some(Ok(settings)) => settings,
        Some(Err(e)) => {
            log::warn!("the settings are not used: {e}");
            Settings::default()
        }
        None => Settings::default(),
    };
    if cli.command.is_some() {
        return command(cli, &settings);
    }
    window(&cli, &settings, settings_file, logging)
}

/// Why no database can be opened.
#[derive(Debug)]
enum DbProblem {
    NoDataDir,
    NetworkShare { path: PathBuf, share: String },
}

impl DbProblem {
    /// The message of the command line and the log (English, like the other command-line
    /// messages).
    fn english(&self) -> String {
        match self {
            Self::NoDataDir => "no data directory is known for this user: give --db PATH".into(),
            Self::NetworkShare { path, share } => format!(
                "{} is on a network share ({share}): a SQLite database there is damaged when several computers open it; keep it on a local disk of this computer (one register for several workstations needs a database server, see README «Several workstations»)",
                path.display()
            ),
        }
    }

    /// The message of the window's message box.
    fn translated(&self, tr: &Tr) -> String {
        match self {
            Self::NoDataDir => tr.t("startup.no_data_dir").to_string(),
            Self::NetworkShare { path, share } => tr.f(
                "startup.network_share",
                &[&path.display().to_string(), share],
            ),
        }
    }
}

/// The database named by `--db` or the settings: a file, or a server's URL kept as the path
/// (`Store::open` connects to it). `None`: neither names one.
fn named_database(db: Option<PathBuf>, settings: &Settings) -> Option<PathBuf> {
    let named = match db {
        Some(path) => Some(DatabaseLocation::parse(&path.to_string_lossy())),
        None => settings.database(),
    };
    match named? {
        DatabaseLocation::Server(url) => Some(PathBuf::from(url)),
        DatabaseLocation::File(path) => Some(path),
    }
}

/// Refuses a file on a network share (a server's URL is not a file: it passes).
fn local(path: PathBuf) -> Result<PathBuf, DbProblem> {
    if crate::service::maintenance::server_url(&path).is_some() {
        return Ok(path);
    }
    match netpath::network_share(&path) {
        Some(share) => Err(DbProblem::NetworkShare { path, share }),
        None => Ok(path),
    }
}

/// A command-line command, on the database of `--db`, the settings, or the default.
fn command(cli: Cli, settings: &Settings) -> ExitCode {
    let Cli {
        db, user, command, ..
    } = cli;
    let Some(command) = command else {
        return ExitCode::FAILURE;
    };
    let needs_db = matches!(command, cli::Command::Admin(_));
    let db = if needs_db {
        let resolved = match named_database(db, settings) {
            Some(path) => local(path),
            None => match default_plan() {
                None => Err(DbProblem::NoDataDir),
                Some(DefaultDb::Machine(path)) => local(path),
                Some(DefaultDb::OfferMove { from, to }) => {
                    eprintln!(
                        "note: the database is still in this user's folder, {}; start the window once to move it to {}",
                        from.display(),
                        to.display()
                    );
                    local(from)
                }
            },
        };
        match resolved {
            Ok(path) => Some(path),
            Err(problem) => {
                let text = problem.english();
                log::error!("{text}");
                eprintln!("error: {text}");
                return ExitCode::from(cli::EXIT_USAGE);
            }
        }
    } else {
        db
    };
    cli::run(db, user.as_deref(), command)
}

fn default_plan() -> Option<DefaultDb> {
    let machine = paths::default_db()?;
    Some(paths::default_db_plan(
        machine,
        paths::per_user_db(),
        Path::exists,
    ))
}

fn language(settings: &Settings) -> Lang {
    match settings.language.as_deref() {
        Some("kk") => Lang::Kk,
        _ => Lang::Ru,
    }
}

/// The window, with the fallback to the other renderer.
fn window(
    cli: &Cli,
    settings: &Settings,
    settings_file: Option<PathBuf>,
    logging: bool,
) -> ExitCode {
    let tr = Tr::new(language(settings));
    let db = match window_database(cli.db.clone(), settings, settings_file.as_deref(), &tr) {
        Ok(db) => db,
        Err(problem) => {
            log::error!("{}", problem.english());
            return fatal(&tr, &problem.translated(&tr), logging);
        }
    };
    let chosen = cli.renderer.or(settings.renderer).unwrap_or_default();
    let renderer = if ui::renderer_built(chosen) {
        chosen
    } else {
        chosen.other()
    };
    let fallback_from = cli.fallback_from;
    let remember = settings_file.clone().filter(|_| fallback_from.is_some());
    let on_started = move || {
        if let (Some(failed), Some(path)) = (fallback_from, remember) {
            log::warn!(
                "the {failed} renderer could not start; the window opened with {renderer}, which the settings now keep"
            );
            if let Err(e) = Settings::update(&path, |s| s.renderer = Some(renderer)) {
                log::warn!("the renderer cannot be remembered: {e}");
            }
        }
    };
    // A computer where nothing names a database and none exists yet: the window asks whether
    // the data lives here or on the akimat's server (issue 11).
    let choose_database = cli.db.is_none() && settings.database.is_none() && !db.exists();
    let options = WindowOptions {
        renderer,
        lang: tr.lang,
        choose_database,
        settings_file,
        on_started: Some(Box::new(on_started)),
    };
    match ui::run(&db, options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(WindowError::Failed(message)) => {
            log::error!("the window failed: {message}");
            ExitCode::FAILURE
        }
        Err(error @ WindowError::NotStarted { .. }) => {
            log::error!("{error}");
            let other = renderer.other();
            if fallback_from.is_none() && ui::renderer_built(other) {
                log::warn!("starting again with the {other} renderer");
                match start_again(&db, other, renderer) {
                    Ok(code) => code,
                    Err(e) => {
                        log::error!("the program cannot start itself again: {e}");
                        fatal(
                            &tr,
                            &tr.f("startup.window_failed", &[&error.to_string()]),
                            logging,
                        )
                    }
                }
            } else {
                fatal(
                    &tr,
                    &tr.f("startup.window_failed", &[&error.to_string()]),
                    logging,
                )
            }
        }
    }
}

/// The database of the window: `--db`, the settings, or the default — where a database left
/// in this user's folder by an earlier version is moved to the machine-wide folder if the user
/// agrees.
fn window_database(
    db: Option<PathBuf>,
    settings: &Settings,
    settings_file: Option<&Path>,
    tr: &Tr,
) -> Result<PathBuf, DbProblem> {
    if let Some(path) = named_database(db, settings) {
        return local(path);
    }
    match default_plan() {
        None => Err(DbProblem::NoDataDir),
        Some(DefaultDb::Machine(path)) => local(path),
        Some(DefaultDb::OfferMove { from, to }) => local(offer_move(from, to, settings_file, tr)),
    }
}

/// Asks whether to move `from` to `to`; returns the database to open.
fn offer_move(from: PathBuf, to: PathBuf, settings_file: Option<&Path>, tr: &Tr) -> PathBuf {
    let answer = rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Info)
        .set_title(tr.t("startup.move_title"))
        .set_description(tr.f(
            "startup.move_question",
            &[&from.display().to_string(), &to.display().to_string()],
        ))
        .set_buttons(rfd::MessageButtons::YesNo)
        .show();
    match answer {
        rfd::MessageDialogResult::Yes => {
            let now = chrono::Local::now().naive_local();
            match crate::service::maintenance::move_database(&from, &to, now) {
                Ok(aside) => {
                    log::warn!(
                        "the database was moved from {} to {}; the old file is kept as {}",
                        from.display(),
                        to.display(),
                        aside.display()
                    );
                    to
                }
                Err(e) => {
                    log::error!("the database cannot be moved to {}: {e}", to.display());
                    rfd::MessageDialog::new()
                        .set_level(rfd::MessageLevel::Warning)
                        .set_title(tr.t("startup.move_title"))
                        .set_description(tr.f(
                            "startup.move_failed",
                            &[&e.to_string(), &from.display().to_string()],
                        ))
                        .set_buttons(rfd::MessageButtons::Ok)
                        .show();
                    from
                }
            }
        }
        rfd::MessageDialogResult::No => {
            // Keep working with the file where it is, and do not ask again.
            if let Some(path) = settings_file
                && let Err(e) = Settings::update(path, |s| {
                    s.database = Some(from.display().to_string());
                })
            {
                log::warn!("the choice to keep the database in place cannot be remembered: {e}");
            }
            from
        }
        // Closed without an answer: this time from where it is; asked again next time.
        _ => from,
    }
}

/// Starts this program again with `renderer`, marked as the fallback from `failed`, and waits
/// for it; its exit code is this one's.
fn start_again(
    db: &Path,
    renderer: RendererName,
    failed: RendererName,
) -> std::io::Result<ExitCode> {
    let exe = std::env::current_exe()?;
    let status = std::process::Command::new(exe)
        .args(fallback_args(db, renderer, failed))
        .status()?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

/// The arguments of the second try: the same database (already chosen, so no question is
/// asked twice), the other renderer, the mark.
fn fallback_args(
    db: &Path,
    renderer: RendererName,
    failed: RendererName,
) -> Vec<std::ffi::OsString> {
    vec![
        "--db".into(),
        db.as_os_str().to_owned(),
        "--renderer".into(),
        renderer.code().into(),
        "--fallback-from".into(),
        failed.code().into(),
    ]
}

/// A failure before the window: a native message box in the user's language (the window
/// has no console on Windows), and the log.
fn fatal(tr: &Tr, text: &str, logging: bool) -> ExitCode {
    if !logging {
        eprintln!("spravka: {text}");
    }
    let mut description = text.to_string();
    if let Some(dir) = paths::data_dir() {
        description.push_str("\n\n");
        description.push_str(&tr.f(
            "startup.log_at",
            &[&dir.join(logfile::FILE_NAME).display().to_string()],
        ));
    }
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(tr.t("startup.title"))
        .set_description(description)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_second_try_names_the_database_the_other_renderer_and_the_mark() {
        let args = fallback_args(
            Path::new("/data/spravka.db"),
            RendererName::Glow,
            RendererName::Wgpu,
        );
        let args: Vec<String> = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args,
            [
                "--db",
                "/data/spravka.db",
                "--renderer",
                "glow",
                "--fallback-from",
                "wgpu"
            ]
        );
        let parsed =
            cli::parse(std::iter::once("spravka".into()).chain(args.iter().map(Into::into)))
                .expect("the child parses its arguments");
        assert_eq!(parsed.renderer, Some(RendererName::Glow));
        assert_eq!(parsed.fallback_from, Some(RendererName::Wgpu));
        assert!(parsed.command.is_none());
    }

    #[test]
    fn a_database_named_in_the_settings_or_by_db_is_used_and_a_server_refused() {
        let settings = Settings {
            database: Some("/srv/local/spravka.db".into()),
            ..Settings::default()
        };
        assert_eq!(
            named_database(None, &settings),
            Some(PathBuf::from("/srv/local/spravka.db"))
        );
        assert_eq!(
            named_database(Some("/tmp/x.db".into()), &settings),
            Some(PathBuf::from("/tmp/x.db")),
            "--db wins over the settings"
        );
        assert_eq!(
            named_database(Some("postgres://h/db".into()), &settings),
            Some(PathBuf::from("postgres://h/db")),
            "a server's URL is kept as the path"
        );
        assert_eq!(named_database(None, &Settings::default()), None);
    }

    #[test]
    fn every_start_up_message_is_in_both_languages_and_names_postgresql() {
        let problem = DbProblem::NetworkShare {
            path: PathBuf::from(r"\\akimat-srv\spravka\spravka.db"),
            share: r"\\akimat-srv\spravka".into(),
        };
        for lang in [Lang::Ru, Lang::Kk] {
            let tr = Tr::new(lang);
            let text = problem.translated(&tr);
            assert!(text.contains(r"\\akimat-srv\spravka\spravka.db"), "{text}");
            assert!(text.contains("PostgreSQL"), "{text}");
            for key in [
                "startup.title",
                "startup.no_data_dir",
                "startup.network_share",
                "startup.window_failed",
                "startup.move_title",
                "startup.move_question",
                "startup.move_failed",
                "startup.log_at",
            ] {
                assert_ne!(tr.t(key), key, "{key} in {lang:?}");
            }
        }
        assert!(problem.english().contains("network share"));
    }
}
