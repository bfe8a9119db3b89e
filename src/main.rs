use std::process::ExitCode;

use spravka::cli;

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if let Some(command) = cli.command {
        return cli::run(cli.db, command);
    }
    eprintln!(
        "spravka: the application window is not built yet. Use `spravka rules --help` for the rules of the order."
    );
    ExitCode::from(cli::EXIT_USAGE)
}
