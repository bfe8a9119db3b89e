//! `spravka`: the window, and the command-line commands (`spravka --help`).
//!
//! On Windows a release build is a GUI program (`windows_subsystem = "windows"`): the officer
//! starting it from the Start menu sees no console window. Its messages go to the log file and,
//! before the window, to a message box (`launch`). The command-line commands are
//! `spravka-cli.exe` there (see `src/bin/spravka-cli.rs` for why a second program). Debug
//! builds keep the console, for developers.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    spravka::launch::main()
}
