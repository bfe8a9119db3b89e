//! Where the data lives.
//!
//! | | Windows | Linux |
//! | --- | --- | --- |
//! | data folder | `%ProgramData%\spravka` (one per PC, shared by every Windows account) | `~/.local/share/spravka` (`$XDG_DATA_HOME/spravka`) |
//! | database | `spravka.db` in it | the same |
//! | settings, log | `settings.json`, `spravka.log` in it | the same |
//! | earlier versions' database | `%APPDATA%\spravka\spravka\data\spravka.db` (roaming, per user) | the data folder itself |
//!
//! ProgramData and not the roaming profile: every officer who signs in to the PC with their own
//! account works with the one register of the PC, and a roaming profile would copy a
//! multi-gigabyte file to the domain's server at every sign-out.

use std::path::PathBuf;

/// The database's file name in the data folder.
pub const DB_FILE: &str = "spravka.db";

/// The data folder (see the module's table); `None` if the system names none.
pub fn data_dir() -> Option<PathBuf> {
    #[cfg(windows)]
    if let Some(program_data) = std::env::var_os("ProgramData").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(program_data).join("spravka"));
    }
    per_user_data_dir()
}

/// The per-user data folder, where versions before issue 17 kept the database (on Linux the
/// data folder itself).
pub fn per_user_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("kz", "spravka", "spravka").map(|d| d.data_dir().to_path_buf())
}

/// The default database file.
pub fn default_db() -> Option<PathBuf> {
    data_dir().map(|d| d.join(DB_FILE))
}

/// The per-user database of earlier versions.
pub fn per_user_db() -> Option<PathBuf> {
    per_user_data_dir().map(|d| d.join(DB_FILE))
}

/// What to do at start when no database was named (no `--db`, nothing in the settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultDb {
    /// Open (or create) the machine-wide database.
    Machine(PathBuf),
    /// The machine-wide database does not exist but this user's earlier one does: ask whether
    /// to move it (the window), or go on with it where it is (the command line).
    OfferMove { from: PathBuf, to: PathBuf },
}

/// Decides between the machine-wide database and a per-user one left by an earlier version.
pub fn default_db_plan(
    machine: PathBuf,
    per_user: Option<PathBuf>,
    exists: impl Fn(&std::path::Path) -> bool,
) -> DefaultDb {
    match per_user {
        Some(from) if from != machine && !exists(&machine) && exists(&from) => {
            DefaultDb::OfferMove { from, to: machine }
        }
        _ => DefaultDb::Machine(machine),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn an_earlier_per_user_database_is_offered_for_moving_once() {
        let machine = PathBuf::from(r"C:\ProgramData\spravka\spravka.db");
        let user =
            PathBuf::from(r"C:\Users\officer\AppData\Roaming\spravka\spravka\data\spravka.db");
        let only_user = |p: &Path| p == user;
        assert_eq!(
            default_db_plan(machine.clone(), Some(user.clone()), only_user),
            DefaultDb::OfferMove {
                from: user.clone(),
                to: machine.clone()
            }
        );
        // Once the machine-wide one exists (moved, or made by another account), it is used.
        assert_eq!(
            default_db_plan(machine.clone(), Some(user.clone()), |_| true),
            DefaultDb::Machine(machine.clone())
        );
        // No earlier database, or the same folder (Linux): nothing to move.
        assert_eq!(
            default_db_plan(machine.clone(), Some(user), |_| false),
            DefaultDb::Machine(machine.clone())
        );
        assert_eq!(
            default_db_plan(machine.clone(), Some(machine.clone()), |_| true),
            DefaultDb::Machine(machine.clone())
        );
        assert_eq!(
            default_db_plan(machine.clone(), None, |_| true),
            DefaultDb::Machine(machine)
        );
    }

    #[cfg(not(windows))]
    #[test]
    fn off_windows_the_data_folder_is_the_users_own() {
        assert_eq!(data_dir(), per_user_data_dir());
    }
}
