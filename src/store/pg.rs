//! What only PostgreSQL has: the connection to the akimat's server, its statements prepared
//! once per connection, and the conversion of the neutral values to and from its types.

use std::cell::RefCell;
use std::error::Error as StdError;
use std::path::{Path, PathBuf};

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls};

use super::StoreError;
use super::db::{StatementCache, ToValue, ValueRef, dollar_placeholders};

/// The schema of a new server database: SQLite's migrations 001–014 as one step (the engine
/// came at version 14), then one step per later SQLite migration, each in step with it (the
/// schema comparison of `tests/engines.rs` holds them together).
const SCHEMA: &str = include_str!("sql/postgres/014_schema.sql");
const STEPS: [(i64, &str); 1] = [(15, include_str!("sql/postgres/015_verifier.sql"))];

/// The schema version this program sets up on a server: the same as on SQLite.
fn schema_version() -> i64 {
    let version = STEPS.last().map_or(14, |(v, _)| *v);
    debug_assert_eq!(version, super::migrations::latest_version());
    version
}

/// Brings the server's schema from `from` (0: nothing yet) to [`schema_version`], inside the
/// caller's transaction.
pub(crate) fn migrate(conn: &PgConn, from: i64) -> Result<(), StoreError> {
    if from < 14 {
        conn.batch(SCHEMA)?;
    }
    for (version, sql) in STEPS {
        if version > from.max(14) {
            conn.batch(sql)?;
            conn.batch(&format!(
                "UPDATE spravka_schema SET version = {version} WHERE id = 1"
            ))?;
        }
    }
    Ok(())
}

/// The advisory lock every write transaction takes first (an arbitrary constant, `spravka`'s
/// own): writers go one at a time, as `BEGIN IMMEDIATE` makes them on SQLite, so certificate
/// and application numbers and the audit chain stay gap-free and linear; readers are never
/// blocked. Chosen over SERIALIZABLE with retries: a retry would run a use case twice, and the
/// window's use cases are not all safe to repeat (files, printing, the user's confirmation).
const WRITE_LOCK: i64 = 0x0073_7072_6176_6b61; // "spravka"

/// One connection to the server, used by one thread.
pub struct PgConn {
    client: RefCell<Client>,
    statements: StatementCache,
    in_transaction: std::cell::Cell<bool>,
    /// How many cursors of `for_each` are open (their nesting depth).
    cursors: std::cell::Cell<usize>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn").finish_non_exhaustive()
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        use postgres::error::SqlState;
        match e.code() {
            Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE => Self::Busy,
            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => Self::Busy,
            Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED => Self::Busy,
            _ => Self::Backend(match e.as_db_error() {
                Some(db) => db.message().to_string(),
                // "error connecting to server" alone says nothing: give the cause too.
                None => match std::error::Error::source(&e) {
                    Some(cause) => format!("{e}: {cause}"),
                    None => e.to_string(),
                },
            }),
        }
    }
}

impl PgConn {
    /// Connects to `url` (`postgres://…` or `postgresql:///db?host=/dir&port=N&user=U`, or the
    /// key=value form). `sslmode=require` refuses a server that does not offer TLS: this build
    /// has no TLS connector, so such a connection is refused rather than made in the clear.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let (url, root_file) = take_parameter(url, "sslrootcert");
        let config: postgres::Config = url.parse()?;
        // A Unix socket is local and PostgreSQL never encrypts it (and there is no server name
        // to check a certificate against).
        let local = config
            .get_hosts()
            .iter()
            .all(|h| !matches!(h, postgres::config::Host::Tcp(_)));
        let mut client = match config.get_ssl_mode() {
            postgres::config::SslMode::Disable => config.connect(NoTls)?,
            _ if local => config.connect(NoTls)?,
            // `prefer` (the default) encrypts when the server offers TLS; `require` refuses a
            // server that does not, or whose certificate no trusted root signed.
            _ => config.connect(tls(root_file.as_deref())?)?,
        };
        // As SQLite's busy timeout: a writer waits up to 10 s for another desk's write, then
        // the user is told the database is busy.
        // LISTEN: what other desks commit is announced on `spravka_changes` (see `write`).
        // Custom plans always: a generic plan of the search would pick one way for every
        // typed text — reading the whole table backwards for a rare name (measured: 65 ms at
        // 10^5 instead of 2–12 ms); planning each statement costs a fraction of a millisecond.
        client.batch_execute(
            "SET lock_timeout = '10s'; SET TIME ZONE 'UTC'; SET plan_cache_mode = force_custom_plan;
             LISTEN spravka_changes",
        )?;
        Ok(Self {
            client: RefCell::new(client),
            statements: StatementCache::default(),
            in_transaction: std::cell::Cell::new(false),
            cursors: std::cell::Cell::new(0),
        })
    }

    /// Runs `f` in one read-only snapshot (`REPEATABLE READ`); inside a transaction already open
    /// on this connection, `f` joins it.
    pub(crate) fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if self.in_transaction.get() {
            return f();
        }
        self.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", f)
    }

    /// Runs `f` in one write transaction that holds [`WRITE_LOCK`] from its start and commits
    /// only if `f` succeeds.
    pub(crate) fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        self.transaction(
            &format!(
                "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
            ),
            f,
        )
    }

    fn transaction<T, E: From<StoreError>>(
        &self,
        begin: &str,
        f: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        if let Err(e) = self.batch(begin) {
            // A failed BEGIN (a lock timeout) leaves the transaction aborted: end it.
            let _ = self.batch("ROLLBACK");
            return Err(e.into());
        }
        self.in_transaction.set(true);
        let out = f();
        self.in_transaction.set(false);
        match out {
            Ok(value) => {
                if begin.contains("pg_advisory_xact_lock") {
                    // Delivered to every listening desk when (and only if) this commits.
                    self.batch("NOTIFY spravka_changes; COMMIT")?;
                } else {
                    self.batch("COMMIT")?;
                }
                Ok(value)
            }
            Err(e) => {
                // The use case's error is what the user needs; a failed rollback (a broken
                // connection) ends the transaction on the server anyway.
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn prepared(&self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(&dollar_placeholders(sql))
            .map_err(|e| match StoreError::from(e) {
                // Which statement the server refused (its text holds no values: they are bound).
                StoreError::Backend(message) => {
                    StoreError::Backend(format!("{message} (in: {})", one_line(sql)))
                }
                other => other,
            })?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }

    pub(crate) fn execute(&self, sql: &str, args: &[&dyn ToValue]) -> Result<usize, StoreError> {
        let stmt = self.prepared(sql)?;
        let binds: Vec<PgArg<'_>> = args.iter().map(|a| PgArg(a.to_value())).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        let n = self.client.borrow_mut().execute(&stmt, &refs)?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(crate) fn query(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
    ) -> Result<Vec<postgres::Row>, StoreError> {
        let stmt = self.prepared(sql)?;
        let binds: Vec<PgArg<'_>> = args.iter().map(|a| PgArg(a.to_value())).collect();
        let refs: Vec<&(dyn ToSql + Sync)> =
            binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect();
        Ok(self.client.borrow_mut().query(&stmt, &refs)?)
    }

    /// Whether a desk committed a change since the last call (a `spravka_changes`
    /// notification arrived); never waits.
    pub(crate) fn changed(&self) -> Result<bool, StoreError> {
        let mut client = self.client.borrow_mut();
        let mut notifications = client.notifications();
        // A wait of a millisecond lets the client's runtime read the socket: the non-blocking
        // `iter` alone only sees what an earlier statement happened to read.
        let mut waited = notifications.timeout_iter(std::time::Duration::from_millis(1));
        let mut any = false;
        while postgres::fallible_iterator::FallibleIterator::next(&mut waited)?.is_some() {
            any = true;
        }
        Ok(any)
    }

    /// `COPY … FROM STDIN`: `f` writes the rows in COPY's text format.
    pub(crate) fn copy_in(
        &self,
        sql: &str,
        f: impl FnOnce(&mut postgres::CopyInWriter<'_>) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut client = self.client.borrow_mut();
        let mut writer = client.copy_in(sql)?;
        f(&mut writer)?;
        Ok(writer.finish()?)
    }

    /// Calls `f` on every row of `sql`, a thousand rows fetched at a time through a cursor, so
    /// that a walk over a large table (the audit chain's check) never holds it whole; `f` may
    /// run statements of its own on this connection between two fetches. Inside a transaction
    /// (every `Tx` is).
    pub(crate) fn for_each(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        mut f: impl FnMut(&postgres::Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        const BATCH: usize = 1000;
        // One name per nesting depth: a cursor walked inside another's rows gets its own.
        let depth = self.cursors.get();
        let name = format!("spravka_rows_{depth}");
        self.execute(&format!("DECLARE {name} NO SCROLL CURSOR FOR {sql}"), args)?;
        self.cursors.set(depth + 1);
        let fetch = format!("FETCH {BATCH} FROM {name}");
        let walked = (|| {
            loop {
                // Not from the statement cache: a FETCH's columns are its cursor's, which
                // differ from one walk to the next under the same text.
                let rows = self.client.borrow_mut().query(fetch.as_str(), &[])?;
                for row in &rows {
                    f(row)?;
                }
                if rows.len() < BATCH {
                    return Ok(());
                }
            }
        })();
        self.cursors.set(depth);
        let closed = self.batch(&format!("CLOSE {name}"));
        walked.and(closed)
    }

    /// Statements without parameters, several at once (schema, `BEGIN`, `COMMIT`).
    pub(crate) fn batch(&self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }
}

/// A neutral value bound to a PostgreSQL parameter of whatever type the server inferred: an
/// integer goes into `BIGINT`, `INTEGER`, `SMALLINT`, `BOOLEAN`, `DOUBLE PRECISION` or text.
#[derive(Debug)]
struct PgArg<'a>(ValueRef<'a>);

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for PgArg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self.0 {
            ValueRef::Null => Ok(IsNull::Yes),
            ValueRef::Integer(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::FLOAT4 => (i as f32).to_sql(ty, out),
                _ => i.to_string().to_sql(&Type::TEXT, out),
            },
            ValueRef::Real(f) => match *ty {
                Type::FLOAT4 => (f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                _ => f.to_string().to_sql(&Type::TEXT, out),
            },
            ValueRef::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                _ => s.to_sql(&Type::TEXT, out),
            },
            ValueRef::Blob(b) => b.to_sql(&Type::BYTEA, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// The column `index` of a PostgreSQL row as a neutral value.
pub(crate) fn value(row: &postgres::Row, index: usize) -> Result<ValueRef<'_>, StoreError> {
    let Some(column) = row.columns().get(index) else {
        return Err(StoreError::Invalid(format!("no column {index}")));
    };
    let ty = column.type_().clone();
    let got = |e: postgres::Error| StoreError::Invalid(e.to_string());
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, ValueRef::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, |v| ValueRef::Integer(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, |v| ValueRef::Integer(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, |v| ValueRef::Integer(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, ValueRef::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, |v| ValueRef::Real(v.into())),
        Type::BYTEA => row
            .try_get::<_, Option<&[u8]>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, ValueRef::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => row
            .try_get::<_, Option<&str>>(index)
            .map_err(got)?
            .map_or(ValueRef::Null, ValueRef::Text),
        other => {
            return Err(StoreError::Invalid(format!(
                "column {} has the type {other}, which the store does not read (CAST it)",
                column.name()
            )));
        }
    })
}

/// The TLS of the connection: rustls with the Mozilla roots (`webpki-roots`) and the akimat's
/// own CA from `sslrootcert=FILE.pem` (libpq's parameter), the certificate checked against the
/// server's name.
fn tls(root_file: Option<&str>) -> Result<tokio_postgres_rustls::MakeRustlsConnect, StoreError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = root_file {
        let unreadable =
            |e: &dyn std::fmt::Display| StoreError::Invalid(format!("sslrootcert {path}: {e}"));
        for cert in CertificateDer::pem_file_iter(path).map_err(|e| unreadable(&e))? {
            roots
                .add(cert.map_err(|e| unreadable(&e))?)
                .map_err(|e| unreadable(&e))?;
        }
    }
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| StoreError::Backend(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// `url` without the query parameter `name`, and its value (percent-decoding is not needed
/// for a file path without spaces; one with spaces is written `%20` and decoded here).
fn take_parameter(url: &str, name: &str) -> (String, Option<String>) {
    let Some((base, query)) = url.split_once('?') else {
        return (url.to_string(), None);
    };
    let mut value = None;
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| match pair.split_once('=') {
            Some((key, v)) if key == name => {
                value = Some(v.replace("%20", " ").replace("%2F", "/"));
                false
            }
            _ => true,
        })
        .collect();
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    (url, value)
}

/// A statement's text on one line, shortened, for an error message.
fn one_line(sql: &str) -> String {
    let line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(160) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

/// `url` with its password replaced by `***`, for messages and logs.
pub fn redact(url: &str) -> String {
    // postgres://user:password@host/db — the password is between the first ':' after the
    // scheme and the '@'.
    let Some(rest_at) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let rest = &url[rest_at..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = match authority.rfind('@') {
        Some(at) => match authority[..at].find(':') {
            Some(colon) => format!(
                "{}{}:***{}",
                &url[..rest_at],
                &authority[..colon],
                &rest[at..]
            ),
            None => url.to_string(),
        },
        None => url.to_string(),
    };
    // The libpq form may carry it as a parameter: ?password=…
    if let Some(i) = out.find("password=") {
        let end = out[i..].find('&').map_or(out.len(), |e| i + e);
        out.replace_range(i..end, "password=***");
    }
    out
}

/// Creates the database `name` on the server of `admin_url` (a URL of its `postgres`
/// database) unless it exists; whether it was created. For the benchmark and the tests.
pub fn create_database(admin_url: &str, name: &str) -> Result<bool, StoreError> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Invalid(format!(
            "{name} is not a plain database name"
        )));
    }
    let admin = PgConn::connect(admin_url)?;
    let exists = !admin
        .query("SELECT 1 FROM pg_database WHERE datname = ?1", &[&name])?
        .is_empty();
    if !exists {
        admin.batch(&format!("CREATE DATABASE {name}"))?;
    }
    Ok(!exists)
}

/// What [`set_up_schema`] found on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    /// spravka's schema at this program's version (set up now if the database was empty).
    Current,
    /// Other tables and no spravka schema: left untouched.
    Foreign,
    /// A newer spravka's schema: left untouched.
    Newer(i64),
}

/// Sets up spravka's schema in an empty database, under the write lock so that two desks
/// starting at once on a new server do not both create it; checks an existing one.
pub fn set_up_schema(conn: &PgConn) -> Result<Schema, StoreError> {
    // Read first: a database already at this version (every opening but the first) takes no
    // write lock, so a desk opening does not wait behind another desk's long write.
    let version: Option<i64> = conn.read(|| {
        let rows = conn.query(
            "SELECT version FROM spravka_schema WHERE id = 1 AND to_regclass('spravka_schema') IS NOT NULL",
            &[],
        );
        match rows {
            Ok(rows) => Ok::<_, StoreError>(rows.first().and_then(|r| r.try_get(0).ok())),
            // No such table yet: set up below.
            Err(_) => Ok(None),
        }
    })?;
    if version == Some(schema_version()) {
        return Ok(Schema::Current);
    }
    conn.write(|| {
        let has_schema: bool = conn
            .query("SELECT to_regclass('spravka_schema') IS NOT NULL", &[])?[0]
            .try_get(0)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if has_schema {
            let version: i64 = conn
                .query("SELECT version FROM spravka_schema WHERE id = 1", &[])?[0]
                .try_get(0)
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            if version > schema_version() {
                return Ok(Schema::Newer(version));
            }
            migrate(conn, version)?;
            return Ok(Schema::Current);
        }
        let tables: i64 = conn.query(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            &[],
        )?[0]
            .try_get(0)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if tables > 0 {
            return Ok(Schema::Foreign);
        }
        migrate(conn, 0)?;
        Ok(Schema::Current)
    })
}

/// The server's version string (`check`).
pub fn server_version(conn: &PgConn) -> Result<String, StoreError> {
    let rows = conn.query("SHOW server_version", &[])?;
    rows[0]
        .try_get::<_, String>(0)
        .map_err(|e| StoreError::Invalid(e.to_string()))
}

/// `check` on the server: the schema version, the audit chain and its anchors, and the counts.
/// Integrity and foreign keys are the server's to keep (it enforces every constraint); the
/// report names the server's version instead.
pub fn check(conn: &PgConn) -> Result<super::check::Report, StoreError> {
    use super::{Tx, audit, db};
    conn.read(|| {
        let tx = Tx {
            conn: db::Conn::Postgres(conn),
        };
        let mut report = super::check::Report {
            schema_version: tx.query_row(
                "SELECT version FROM spravka_schema WHERE id = 1",
                super::db::args![],
                |r| r.get(0),
            )?,
            server: Some(server_version(conn)?),
            ..Default::default()
        };
        report.newer = report.schema_version > schema_version();
        report.check_records(&tx, audit::head(&tx)?.as_ref())?;
        Ok(report)
    })
}

/// `check` of the server database at `url`, changing nothing: an empty database (or one with
/// other tables) is reported as not spravka's instead of being set up as `Store::open` would.
pub fn check_url(url: &str) -> Result<super::check::Report, StoreError> {
    let conn = PgConn::connect(url)?;
    let has_schema: bool = conn.query("SELECT to_regclass('spravka_schema') IS NOT NULL", &[])?[0]
        .try_get(0)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    if !has_schema {
        return Ok(super::check::Report {
            not_spravka: true,
            server: Some(server_version(&conn)?),
            ..Default::default()
        });
    }
    check(&conn)
}

/// `url` without its password, and the password: the client tools get the password through
/// `PGPASSWORD`, never on their command line (which other users of the computer can see).
fn split_password(url: &str) -> (String, Option<String>) {
    let password = url.parse::<postgres::Config>().ok().and_then(|c| {
        c.get_password()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    });
    let mut bare = url.to_string();
    if password.is_some() {
        if let Some(start) = bare.find("://").map(|i| i + 3) {
            let end = bare[start..]
                .find(['/', '?'])
                .map_or(bare.len(), |e| start + e);
            if let Some(at) = bare[start..end].rfind('@').map(|a| start + a)
                && let Some(colon) = bare[start..at].find(':').map(|c| start + c)
            {
                bare.replace_range(colon..at, "");
            }
        }
        if let Some(i) = bare.find("password=") {
            let end = bare[i..].find('&').map_or(bare.len(), |e| i + e + 1);
            bare.replace_range(i..end, "");
        }
        bare = bare.trim_end_matches(['&', '?']).to_string();
    }
    (bare, password)
}

/// The PostgreSQL client program `name` (`pg_dump`, `pg_restore`): on the PATH, or in the
/// Debian package's folder.
fn client_program(name: &str) -> Result<PathBuf, StoreError> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    let debian = || {
        let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin").join(name)))
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        found.pop()
    };
    on_path.or_else(debian).ok_or_else(|| {
        StoreError::Invalid(format!(
            "{name} is not installed: a PostgreSQL database is backed up and restored with PostgreSQL's client programs (Debian: apt install postgresql-client; Windows: the PostgreSQL installer's «Command Line Tools»)"
        ))
    })
}

fn run_client(program: &str, args: &[&std::ffi::OsStr], url: &str) -> Result<(), StoreError> {
    let (bare, password) = split_password(url);
    let mut command = std::process::Command::new(client_program(program)?);
    command.args(args).arg(format!("--dbname={bare}"));
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let out = command
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| StoreError::Backend(format!("{program}: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(StoreError::Backend(format!(
            "{program} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

/// A backup of the server's database into the new file `out`: `pg_dump` in its custom format
/// (consistent while the desks keep writing; `pg_restore` reads it).
pub fn dump(url: &str, out: &Path) -> Result<(), StoreError> {
    if out.exists() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", out.display()),
        )));
    }
    run_client(
        "pg_dump",
        &[
            "--format=custom".as_ref(),
            "--file".as_ref(),
            out.as_os_str(),
        ],
        url,
    )
}

/// Replaces the server database's content by the dump `from` in one transaction
/// (`pg_restore --clean --single-transaction`): if anything fails, nothing changed.
pub fn restore(url: &str, from: &Path) -> Result<(), StoreError> {
    run_client(
        "pg_restore",
        &[
            "--clean".as_ref(),
            "--if-exists".as_ref(),
            "--no-owner".as_ref(),
            "--single-transaction".as_ref(),
            from.as_os_str(),
        ],
        url,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_password_never_reaches_the_log_or_the_screen() {
        assert_eq!(
            redact("postgres://spravka:s3cret@akimat-srv:5432/spravka"),
            "postgres://spravka:***@akimat-srv:5432/spravka"
        );
        assert_eq!(
            redact("postgres://spravka@akimat-srv/spravka"),
            "postgres://spravka@akimat-srv/spravka"
        );
        assert_eq!(
            redact("postgresql:///spravka?host=/run/postgresql&password=s3cret&user=u"),
            "postgresql:///spravka?host=/run/postgresql&password=***&user=u"
        );
    }

    #[test]
    fn the_ca_file_is_taken_out_of_the_url() {
        assert_eq!(
            take_parameter(
                "postgres://u@h/db?sslmode=require&sslrootcert=/etc/akimat-ca.pem&connect_timeout=5",
                "sslrootcert"
            ),
            (
                "postgres://u@h/db?sslmode=require&connect_timeout=5".to_string(),
                Some("/etc/akimat-ca.pem".to_string())
            )
        );
        assert_eq!(
            take_parameter("postgres://u@h/db?sslrootcert=ca.pem", "sslrootcert"),
            ("postgres://u@h/db".to_string(), Some("ca.pem".to_string()))
        );
        assert_eq!(
            take_parameter("postgres://u@h/db", "sslrootcert"),
            ("postgres://u@h/db".to_string(), None)
        );
    }

    #[test]
    fn the_client_programs_get_the_password_apart_from_the_url() {
        assert_eq!(
            split_password("postgres://spravka:s3cret@akimat-srv:5432/spravka"),
            (
                "postgres://spravka@akimat-srv:5432/spravka".to_string(),
                Some("s3cret".to_string())
            )
        );
        assert_eq!(
            split_password("postgresql:///spravka?host=/run/postgresql&password=s3cret&user=u"),
            (
                "postgresql:///spravka?host=/run/postgresql&user=u".to_string(),
                Some("s3cret".to_string())
            )
        );
        assert_eq!(
            split_password("postgresql:///spravka?host=/tmp"),
            ("postgresql:///spravka?host=/tmp".to_string(), None)
        );
    }
}
