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
pub mod copy;
pub mod db;
pub mod decisions;
pub mod documents;
pub mod exchange;
pub mod keys;
pub mod lookup;
pub mod migrations;
pub mod pg;
pub mod pg_search;
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
use rusqlite::{Connection, TransactionBehavior};

use db::args;

pub use sqlite::{APPLICATION_ID, configure, quick_check};
use sqlite::{Found, inspect};

/// A database that is open, checked and at the current schema version: a SQLite file (the
/// default, one seat) or the akimat's PostgreSQL server (several workstations).
pub struct Store {
    backend: Backend,
    /// SQLite's `data_version` when [`Store::changed_elsewhere`] last looked.
    seen_version: std::cell::Cell<Option<i64>>,
    /// The file, or the server's URL kept as given (see [`Store::location`] for showing it).
    path: PathBuf,
}

enum Backend {
    Sqlite(Connection),
    Postgres(Box<pg::PgConn>),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location())
            .finish_non_exhaustive()
    }
}

/// The server URL a `--db` value names, if it names one (`postgres://…`, `postgresql://…`)
/// rather than a file.
pub fn server_url(path: &Path) -> Option<&str> {
    let text = path.to_str()?;
    (text.starts_with("postgres://") || text.starts_with("postgresql://")).then_some(text)
}

/// A database location as it may be shown or logged: a file's path, or a server URL with its
/// password replaced by `***`.
pub fn display_location(path: &Path) -> String {
    match server_url(path) {
        Some(url) => pg::redact(url),
        None => path.display().to_string(),
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
    /// The server could not be reached or refused the connection (`location` has no password).
    #[error("cannot connect to {location}: {detail}")]
    Server { location: String, detail: String },
    /// The server's database holds tables that are not spravka's; nothing was changed.
    #[error("{location} holds other tables and no spravka schema; it was left untouched")]
    ServerNotSpravka { location: String },
    /// The server's schema is newer than this program.
    #[error(
        "{location} was set up by a newer spravka (schema {found}, this program knows {known}); it was left untouched"
    )]
    ServerNewer {
        location: String,
        found: i64,
        known: i64,
    },
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
    conn: db::Conn<'a>,
}

impl fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("engine", &self.conn.engine())
            .finish_non_exhaustive()
    }
}

impl<'a> Tx<'a> {
    /// The SQLite connection under the transaction, for what only SQLite has (FTS5, PRAGMAs);
    /// `None` on PostgreSQL.
    pub(in crate::store) fn sqlite(&self) -> Option<&'a Connection> {
        match self.conn {
            db::Conn::Sqlite(c) => Some(c),
            db::Conn::Postgres(_) => None,
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub(in crate::store) fn execute(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
    ) -> Result<usize, StoreError> {
        self.conn.execute(sql, args)
    }

    /// Runs statements without parameters.
    pub(in crate::store) fn execute_batch(&self, sql: &str) -> Result<(), StoreError> {
        self.conn.execute_batch(sql)
    }

    /// The first row of the result read by `f`, or [`StoreError::NotFound`].
    pub(in crate::store) fn query_row<T>(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
        f: impl FnOnce(&db::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn
            .query_opt(sql, args, f)?
            .ok_or_else(|| StoreError::NotFound {
                what: "row",
                id: String::new(),
            })
    }

    /// The first row of the result read by `f`, if there is one.
    pub(in crate::store) fn query_opt<T>(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
        f: impl FnOnce(&db::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        self.conn.query_opt(sql, args, f)
    }

    /// Every row of the result, each read by `f`.
    pub(in crate::store) fn query_map<T>(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
        mut f: impl FnMut(&db::Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        self.conn.for_each(sql, args, |row| {
            out.push(f(row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Calls `f` on every row of the result without keeping them (exports, checks).
    pub(in crate::store) fn for_each(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
        f: impl FnMut(&db::Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.conn.for_each(sql, args, f)
    }

    /// Whether the statement returns a row.
    pub(in crate::store) fn exists(
        &self,
        sql: &str,
        args: &[&dyn db::ToValue],
    ) -> Result<bool, StoreError> {
        Ok(self.conn.query_opt(sql, args, |_| Ok(()))?.is_some())
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
        if let Some(url) = server_url(path) {
            return Self::open_server(url);
        }
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
            backend: Backend::Sqlite(conn),
            seen_version: std::cell::Cell::new(None),
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
            backend: Backend::Sqlite(conn),
            seen_version: std::cell::Cell::new(None),
            path: PathBuf::from(":memory:"),
        };
        store.set_up()?;
        Ok(store)
    }

    /// Connects to the akimat's server at `url`: sets up an empty database (schema and reference
    /// lists), refuses a database with other tables or a newer schema, untouched.
    fn open_server(url: &str) -> Result<Self, OpenError> {
        let location = pg::redact(url);
        let conn = pg::PgConn::connect(url).map_err(|e| OpenError::Server {
            location: location.clone(),
            detail: e.to_string(),
        })?;
        match pg::set_up_schema(&conn).map_err(|e| OpenError::Server {
            location: location.clone(),
            detail: e.to_string(),
        })? {
            pg::Schema::Current => {}
            pg::Schema::Foreign => return Err(OpenError::ServerNotSpravka { location }),
            pg::Schema::Newer(found) => {
                return Err(OpenError::ServerNewer {
                    location,
                    found,
                    known: migrations::latest_version(),
                });
            }
        }
        let mut store = Self {
            backend: Backend::Postgres(Box::new(conn)),
            seen_version: std::cell::Cell::new(None),
            path: PathBuf::from(url),
        };
        store.seed().map_err(|e| OpenError::Server {
            location,
            detail: e.to_string(),
        })?;
        // The notifications of this store's own setting up are not another desk's changes.
        let _ = store.changed_elsewhere();
        Ok(store)
    }

    fn set_up(&mut self) -> Result<(), StoreError> {
        if let Backend::Sqlite(conn) = &mut self.backend {
            configure(conn)?;
            sqlite::stamp(conn)?;
            migrations::migrations().to_latest(conn)?;
        }
        self.seed()?;
        // What others commit from now on is a change (see `changed_elsewhere`).
        self.changed_elsewhere()?;
        Ok(())
    }

    /// Adds the shipped reference data the database lacks (reading first: no write lock when
    /// nothing is missing).
    fn seed(&mut self) -> Result<(), StoreError> {
        if self.read(reference::missing)? {
            // IMMEDIATE: a second window opening the same file waits instead of failing to
            // upgrade a lock.
            self.write(|tx| reference::seed(tx, chrono::Local::now().naive_local()))?;
        }
        Ok(())
    }

    /// The file, or the server's URL as given (with its password: never show or log it; see
    /// [`Store::location`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the database is, as it may be shown or logged (a server URL without its password).
    pub fn location(&self) -> String {
        display_location(&self.path)
    }

    /// Whether another connection (another desk, or a thread of this one) committed a change
    /// since the last call: SQLite's `PRAGMA data_version`, PostgreSQL's `LISTEN`. Cheap and
    /// never waits: the window asks about once a second to refresh what it shows.
    pub fn changed_elsewhere(&self) -> Result<bool, StoreError> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                let version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
                let before = self.seen_version.replace(Some(version));
                Ok(before.is_some_and(|b| b != version))
            }
            Backend::Postgres(conn) => conn.changed(),
        }
    }

    /// Which engine holds the data.
    pub fn engine(&self) -> db::Engine {
        match self.backend {
            Backend::Sqlite(_) => db::Engine::Sqlite,
            Backend::Postgres(_) => db::Engine::Postgres,
        }
    }

    /// Runs `f` in one read transaction: every query in it sees the same snapshot. Inside a
    /// transaction already open on this store, `f` joins it.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &self.backend {
            Backend::Sqlite(conn) => {
                if !conn.is_autocommit() {
                    return f(&Tx {
                        conn: db::Conn::Sqlite(conn),
                    });
                }
                let tx = conn.unchecked_transaction().map_err(StoreError::from)?;
                let out = f(&Tx {
                    conn: db::Conn::Sqlite(&tx),
                })?;
                // A read changes nothing: ending it either way releases the snapshot.
                tx.finish().map_err(StoreError::from)?;
                Ok(out)
            }
            Backend::Postgres(conn) => conn.read(|| {
                f(&Tx {
                    conn: db::Conn::Postgres(conn),
                })
            }),
        }
    }

    /// Runs `f` in one write transaction that takes the write lock at once (no upgrade deadlock
    /// between two windows) and commits only if `f` succeeds: a failed use case changes nothing.
    /// On PostgreSQL the write lock is `pg_advisory_xact_lock` (see [`pg::PgConn::write`]).
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        match &mut self.backend {
            Backend::Sqlite(conn) => {
                let tx = conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)
                    .map_err(StoreError::from)?;
                let out = f(&Tx {
                    conn: db::Conn::Sqlite(&tx),
                })?;
                tx.commit().map_err(StoreError::from)?;
                Ok(out)
            }
            Backend::Postgres(conn) => {
                let conn = &*conn;
                conn.write(|| {
                    f(&Tx {
                        conn: db::Conn::Postgres(conn),
                    })
                })
            }
        }
    }

    /// A consistent copy of the database into the new file `out` while it stays open (and
    /// other workstations keep writing).
    pub fn backup_to(&self, out: &Path) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(conn) => sqlite::backup::backup_connection(conn, out),
            Backend::Postgres(_) => pg::dump(&self.path.to_string_lossy(), out),
        }
    }

    /// An automatic backup into `backups/` beside the file, named by `now`; the newest
    /// [`backup::KEEP`] are kept. Returns the backup's path.
    ///
    /// For the SQLite file only: a server is backed up by the akimat's administrator (README,
    /// «Several workstations»), and the window's backups there are refused.
    pub fn automatic_backup(&self, now: NaiveDateTime) -> Result<PathBuf, StoreError> {
        if let Backend::Postgres(_) = self.backend {
            return Err(StoreError::Invalid(
                "the window's automatic backups are for a SQLite file; a server is backed up with pg_dump".into(),
            ));
        }
        backup::automatic(&self.path, now, |out| self.backup_to(out))
    }

    /// The whole check (integrity, foreign keys, the audit chain), read-only.
    pub fn check(&self) -> Result<check::Report, StoreError> {
        match &self.backend {
            Backend::Sqlite(conn) => sqlite::check::check_connection(conn),
            Backend::Postgres(conn) => pg::check(conn),
        }
    }

    /// The SQLite connection, for tests that look below the services (`test-support` only: a
    /// release build has no way around the repository functions).
    ///
    /// # Panics
    /// On a PostgreSQL store: these tests are the SQLite engine's own.
    #[cfg(feature = "test-support")]
    pub fn conn(&self) -> &Connection {
        match &self.backend {
            Backend::Sqlite(conn) => conn,
            Backend::Postgres(_) => {
                panic!("conn() is the SQLite connection; this store is on PostgreSQL")
            }
        }
    }

    /// The SQLite connection, writable, for tests (`test-support` only).
    ///
    /// # Panics
    /// On a PostgreSQL store.
    #[cfg(feature = "test-support")]
    pub fn conn_mut(&mut self) -> &mut Connection {
        match &mut self.backend {
            Backend::Sqlite(conn) => conn,
            Backend::Postgres(_) => {
                panic!("conn_mut() is the SQLite connection; this store is on PostgreSQL")
            }
        }
    }

    /// The SQLite connection, for the store's own unit tests.
    #[cfg(test)]
    pub(crate) fn sqlite_connection(&self) -> &Connection {
        match &self.backend {
            Backend::Sqlite(conn) => conn,
            Backend::Postgres(_) => panic!("not a SQLite store"),
        }
    }

    /// The one integer raw SQL returns, on either engine, for tests that look below the
    /// services (`test-support` only).
    #[cfg(feature = "test-support")]
    pub fn query_i64_raw(&self, sql: &str) -> Result<i64, StoreError> {
        self.read(|tx| tx.query_row(sql, args![], |r| r.get(0)))
    }

    /// Every row raw SQL returns, on either engine, for tests that look below the services
    /// (`test-support` only).
    #[cfg(feature = "test-support")]
    pub fn rows_raw(&self, sql: &str) -> Result<Vec<Vec<db::Value>>, StoreError> {
        self.read(|tx| {
            tx.query_map(sql, args![], |r| {
                (0..r.len()).map(|i| r.get::<db::Value>(i)).collect()
            })
        })
    }

    /// Runs raw SQL with no parameters on either engine, for tests that tamper with the data
    /// below the services (`test-support` only).
    #[cfg(feature = "test-support")]
    pub fn execute_raw(&self, sql: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Backend::Postgres(conn) => conn.batch(sql),
        }
    }
}

/// The refusal of a stale write: who last changed the row `id` of `table` and when, or
/// [`StoreError::NotFound`] if it is gone. `table` is one of the program's own table names.
pub(crate) fn conflict(tx: &Tx<'_>, table: &str, id: i64) -> StoreError {
    let sql = format!(
        "SELECT coalesce(u.full_name, u.username), t.updated_at FROM {table} t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ?1"
    );
    let found = tx.query_opt(&sql, args![id], |r| Ok((r.get(0)?, r.get(1)?)));
    match found {
        Ok(Some((by, at))) => StoreError::Conflict { by, at },
        Ok(None) => StoreError::NotFound {
            what: "record",
            id: id.to_string(),
        },
        Err(e) => e,
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
