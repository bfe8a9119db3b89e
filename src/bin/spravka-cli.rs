//! `spravka-cli`: the same program as `spravka`, built as a console program, for the
//! command-line commands on Windows (`spravka-cli init`, `spravka-cli --user admin backup …`).
//!
//! Why a second program rather than `AttachConsole(ATTACH_PARENT_PROCESS)` in the GUI one: a
//! GUI-subsystem program is not waited for by `cmd.exe`, so the prompt comes back at once, the
//! output lands after it, `%ERRORLEVEL%` is not the command's, and the password prompt (`--user`
//! reads the password from the console) would compete with `cmd.exe` for the keyboard. A
//! console program has none of these problems and needs no Windows-only code, which cannot be
//! compiled on the Linux machines that build this project. On Linux the two programs are the
//! same; the `.deb` installs `spravka` only.
//!
//! Without a command it opens the window like `spravka`, with a console beside it for the
//! messages (useful on a PC where the window does not start).

fn main() -> std::process::ExitCode {
    spravka::launch::main()
}
