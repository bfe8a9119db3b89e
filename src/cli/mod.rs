//! The command-line interface: `spravka <command>`. Without a command the window opens.

pub mod admin;
pub mod rules;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "spravka",
    version,
    about = "Certificates of qualification for self-employment (Order No. 236)"
)]
pub struct Cli {
    /// The database file (default: the OS data directory, e.g. ~/.local/share/spravka/spravka.db).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Sign in as this user for the commands that show or change applicants' data (export,
    /// import, print, report, restore; demo into a database that has data). The password is
    /// asked on the terminal, or read from SPRAVKA_PASSWORD.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// The window's renderer: wgpu (the default; DX12, Vulkan or OpenGL) or glow (OpenGL).
    /// Overrides the settings file. If it cannot start, the program starts again with the other
    /// one and remembers it.
    #[arg(long, value_name = "RENDERER")]
    pub renderer: Option<crate::platform::settings::RendererName>,
    /// Given by the program to itself when it starts again after this renderer failed: the
    /// new process does not try a third time, and remembers the renderer that worked.
    #[arg(long, hide = true, value_name = "RENDERER")]
    pub fallback_from: Option<crate::platform::settings::RendererName>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The rules of the order: scores, deadlines, validity, identifiers, the calendar.
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    #[command(flatten)]
    Admin(admin::AdminCommand),
}

/// Exit code for bad input: the message is on stderr and nothing is on stdout.
pub const EXIT_USAGE: u8 = 2;

/// Parses the arguments; on an error prints one line to stderr.
pub fn parse(args: impl IntoIterator<Item = std::ffi::OsString>) -> Result<Cli, ExitCode> {
    match Cli::try_parse_from(args) {
        Ok(cli) => Ok(cli),
        Err(error) if !error.use_stderr() => {
            // --help and --version: not an error.
            let _ = error.print();
            Err(ExitCode::SUCCESS)
        }
        Err(error) => {
            eprintln!("{}", one_line(&error.to_string()));
            Err(ExitCode::from(EXIT_USAGE))
        }
    }
}

/// The message of a clap error without its usage block, on one line.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with("Usage:"))
        .filter(|line| !line.is_empty() && !line.starts_with("For more information"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The database file: `--db`, or the default in the OS data directory.
pub fn db_path(db: Option<PathBuf>) -> Option<PathBuf> {
    db.or_else(crate::service::maintenance::default_path)
}

/// Runs a command-line command and returns the process's exit code.
pub fn run(db: Option<PathBuf>, user: Option<&str>, command: Command) -> ExitCode {
    match command {
        Command::Admin(command) => {
            let Some(db) = db_path(db) else {
                eprintln!("error: no data directory is known for this user: give --db PATH");
                return ExitCode::from(EXIT_USAGE);
            };
            match admin::run(&db, user, command) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(e) => {
                    log::error!("a command failed: {e:#}");
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Rules { command } => match rules::run(command) {
            Ok(value) => {
                let mut stdout = std::io::stdout().lock();
                let written = serde_json::to_writer_pretty(&mut stdout, &value)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(stdout));
                match written {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("error: cannot write the answer: {e}");
                        ExitCode::FAILURE
                    }
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_USAGE)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_become_one_line() {
        let text = "error: the following required arguments were not provided:\n  --kind <KIND>\n\nUsage: spravka rules deadlines --kind <KIND>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(text),
            "error: the following required arguments were not provided: --kind <KIND>"
        );
    }
}
