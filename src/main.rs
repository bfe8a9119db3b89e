use std::process::ExitCode;

use spravka::cli;

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if let Some(command) = cli.command {
        return cli::run(cli.db, cli.user.as_deref(), command);
    }
    let Some(db) = cli::db_path(cli.db) else {
        eprintln!("error: no data directory is known for this user: give --db PATH");
        return ExitCode::from(cli::EXIT_USAGE);
    };
    match spravka::ui::run(&db) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the window cannot be opened: {e}");
            ExitCode::FAILURE
        }
    }
}
