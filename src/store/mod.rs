//! The one door to the database: every SQL statement of the program is in this module and its
//! children. A use case runs in [`Store::write`] (one transaction that holds the write lock
//! from its first statement and commits only if the use case succeeds) or [`Store::read`] (one
//! snapshot), and calls the repository functions of each aggregate with the [`Tx`] it is given:
//! `applications`, `applicants`, `documents`, `commission`, `decisions`, `certificates`, `keys`,
//! `complaints`, `users`, `body`, `reference`, `calendar`, `audit`, `search`, `registry`
//! (plus `exchange` and `lookup`, read-only views across tables). Errors come back as the
//! engine-neutral [`StoreError`]; ids come from `RETURNING`, upserts are `ON CONFLICT`. What only
//! SQLite has (PRAGMAs, FTS5, the backup API, the integrity checks) is in [`sqlite`], so that a
//! second engine implements the same functions beside it.
//!
//! **Durability:** `synchronous = FULL`. In WAL mode NORMAL may lose the last transactions on a
//! power cut (never corrupts); these rows are people's legal status and a certificate number
//! once given must stay given, so each commit is synced. The cost is one fsync per commit,
//! invisible at an officer's pace; the `demo` generator batches many rows per commit.
//!
//! **Scans** are stored inside the database (`files`, keyed by SHA-256): a backup or a copy of
//! the one file carries everything, nothing beside it can go missing, and the content address
//! still stores a file attached twice once.

pub mod applicants;
pub mod applications;
pub mod audit;
pub mod backup;
pub mod body;
pub mod calendar;
pub mod certificates;
pub mod check;
pub mod commission;
pub mod complaints;
pub mod decisions;
pub mod documents;
pub mod exchange;
pub mod keys;
pub mod lookup;
pub mod migrations;
pub mod reference;
pub mod registry;
pub mod reports;
pub mod rows;
pub mod search;
pub mod signed;
pub mod sqlite;
pub mod users;
pub mod verifier;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

pub use sqlite::{APPLICATION_ID, configure, quick_check};
use sqlite::{Found, inspect};

/// A database that is open, checked and at the current schema version.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Why a database could not be opened. The file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path} is not a spravka database; it was left untouched.{}", last_backup_text(.last_backup.as_deref()))]
    NotSpravka {
        path: PathBuf,
        last_backup: Option<PathBuf>,
    },
    #[error("{path} is damaged ({detail}); it was left untouched.{}", last_backup_text(.last_backup.as_deref()))]
    Damaged {
        path: PathBuf,
        detail: String,
        last_backup: Option<PathBuf>,
    },
    #[error("{path} was written by a newer spravka (schema {found}, this program knows {known}); it was left untouched.{}", last_backup_text(.last_backup.as_deref()))]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
        last_backup: Option<PathBuf>,
    },
    #[error("cannot open {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("cannot set up {path}: {source}")]
    Setup { path: PathBuf, source: StoreError },
    #[error(
        "{path} is an empty file; it was left untouched (`spravka init` makes it a new database)"
    )]
    Empty { path: PathBuf },
    #[error("{path} is read-only: changes cannot be saved; it was left untouched")]
    ReadOnly { path: PathBuf },
    #[error("{path} is a folder, not a database file")]
    Directory { path: PathBuf },
}

impl OpenError {
    /// The newest backup of the file, to offer for restoring.
    pub fn last_backup(&self) -> Option<&Path> {
        match self {
            Self::NotSpravka { last_backup, .. }
            | Self::Damaged { last_backup, .. }
            | Self::Newer { last_backup, .. } => last_backup.as_deref(),
            _ => None,
        }
    }
}

fn last_backup_text(backup: Option<&Path>) -> String {
    match backup {
        Some(path) => format!(" Last backup: {}", path.display()),
        None => " No backup was found.".to_string(),
    }
}

/// An error of the store, the same whichever engine is below: a service matches on these and
/// never on an engine's own error type.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    /// The row changed since the caller read it (optimistic locking): who changed it and when.
    #[error("changed by {by} at {at}")]
    Conflict { by: String, at: String },
    /// Another connection holds the write lock longer than the busy timeout.
    #[error("the database is busy: another workstation is writing; try again")]
    Busy,
    /// Stored data that cannot be read back, or a value the schema refuses.
    #[error("stored data cannot be read: {0}")]
    Invalid(String),
    /// Anything else the engine reported.
    #[error("database error: {0}")]
    Backend(String),
    #[error(transparent)]
    Assets(#[from] crate::assets::AssetError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match &e {
            rusqlite::Error::SqliteFailure(code, _)
                if matches!(
                    code.code,
                    ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked
                ) =>
            {
                Self::Busy
            }
            rusqlite::Error::QueryReturnedNoRows => Self::NotFound {
                what: "row",
                id: String::new(),
            },
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => Self::Invalid(e.to_string()),
            _ => Self::Backend(e.to_string()),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        Self::Backend(e.to_string())
    }
}

/// A transaction on the database, the one handle every repository function takes. Inside
/// [`Store::write`] it holds the write lock from its first statement (`BEGIN IMMEDIATE`); inside
/// [`Store::read`] it reads one consistent snapshot. Only `store` sees what is below it.
pub struct Tx<'a> {
    conn: &'a Connection,
}

impl fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx").finish_non_exhaustive()
    }
}

impl<'a> Tx<'a> {
    /// The SQLite connection under the transaction, for the repository modules.
    pub(in crate::store) fn sqlite(&self) -> &'a Connection {
        self.conn
    }
}

impl Store {
    /// Opens the database at `path`: creates, migrates and fills a new file; checks an existing
    /// one and refuses it, untouched, if it is not spravka's, is damaged, or is newer.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        Self::open_with(path, true, false)
    }

    /// Opens like [`Store::open`], and makes an empty file (zero bytes) a new database: what
    /// `spravka init` asks for. Every other refusal stays.
    pub fn open_or_init(path: &Path) -> Result<Self, OpenError> {
        Self::open_with(path, true, true)
    }

    /// Opens like [`Store::open`] but without the whole-file `quick_check`, for a window that
    /// must show its first frame at once: the caller runs [`quick_check`] in the background and
    /// writes nothing until it passes. Every other refusal (foreign file, newer schema, a file
    /// SQLite cannot read) still happens here.
    pub fn open_deferred_check(path: &Path) -> Result<Self, OpenError> {
        Self::open_with(path, false, false)
    }

    fn open_with(path: &Path, full_check: bool, allow_empty: bool) -> Result<Self, OpenError> {
        let found = inspect(path, full_check, allow_empty)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| OpenError::Io {
                path: path.into(),
                source,
            })?;
        }
        if matches!(found, Found::Nothing) {
            // A new database holds personal data from its first row: owner-only from birth.
            sqlite::create_owner_only(path).map_err(|source| OpenError::Io {
                path: path.into(),
                source,
            })?;
        }
        if let Found::Spravka { version } = found
            && version < migrations::latest_version()
        {
            // An upgrade: keep the file as it was before the migration.
            sqlite::backup::backup_file(
                path,
                &backup::new_backup_path(path, chrono::Local::now().naive_local()),
            )
            .map_err(|source| OpenError::Setup {
                path: path.into(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| OpenError::Sqlite {
            path: path.into(),
            source,
        })?;
        let mut store = Self {
            conn,
            path: path.to_path_buf(),
        };
        store.set_up().map_err(|source| OpenError::Setup {
            path: path.into(),
            source,
        })?;
        Ok(store)
    }

    /// An in-memory database for tests and benchmarks, migrated and filled.
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        let mut store = Self {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.set_up()?;
        Ok(store)
    }

    fn set_up(&mut self) -> Result<(), StoreError> {
        configure(&self.conn)?;
        sqlite::stamp(&self.conn)?;
        migrations::migrations().to_latest(&mut self.conn)?;
        reference::seed(&mut self.conn, chrono::Local::now().naive_local())?;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in one read transaction: every query in it sees the same snapshot. Inside a
    /// transaction already open on this store, `f` joins it.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        if !self.conn.is_autocommit() {
            return f(&Tx { conn: &self.conn });
        }
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        // A read changes nothing: ending it either way releases the snapshot.
        tx.finish().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one write transaction that takes the write lock at once (no upgrade deadlock
    /// between two windows) and commits only if `f` succeeds: a failed use case changes nothing.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// A consistent copy of the database into the new file `out` while it stays open (and
    /// other workstations keep writing).
    pub fn backup_to(&self, out: &Path) -> Result<(), StoreError> {
        sqlite::backup::backup_connection(&self.conn, out)
    }

    /// An automatic backup into `backups/` beside the file, named by `now`; the newest
    /// [`backup::KEEP`] are kept. Returns the backup's path.
    pub fn automatic_backup(&self, now: NaiveDateTime) -> Result<PathBuf, StoreError> {
        backup::automatic(&self.path, now, |out| self.backup_to(out))
    }

    /// The whole check (integrity, foreign keys, the audit chain), read-only.
    pub fn check(&self) -> Result<check::Report, StoreError> {
        sqlite::check::check_connection(&self.conn)
    }

    /// The SQLite connection, for tests that look below the services (`test-support` only: a
    /// release build has no way around the repository functions).
    #[cfg(feature = "test-support")]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The SQLite connection, writable, for tests (`test-support` only).
    #[cfg(feature = "test-support")]
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

/// The refusal of a stale write: who last changed the row `id` of `table` and when, or
/// [`StoreError::NotFound`] if it is gone. `table` is one of the program's own table names.
pub(crate) fn conflict(tx: &Tx<'_>, table: &str, id: i64) -> StoreError {
    let sql = format!(
        "SELECT coalesce(u.full_name, u.username), t.updated_at FROM {table} t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ?1"
    );
    let found = tx
        .sqlite()
        .query_row(&sql, [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional();
    match found {
        Ok(Some((by, at))) => StoreError::Conflict { by, at },
        Ok(None) => StoreError::NotFound {
            what: "record",
            id: id.to_string(),
        },
        Err(e) => e.into(),
    }
}

/// Lower-case hexadecimal of a hash.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// The default database file in the data folder (on Linux `~/.local/share/spravka/spravka.db`,
/// on Windows `%ProgramData%\spravka\spravka.db`): see `platform::paths`.
pub fn default_path() -> Option<PathBuf> {
    crate::platform::paths::default_db()
}
