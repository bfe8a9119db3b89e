//! The statements' way to either engine: one SQL text, positional `?N` parameters, values bound
//! and read back through the engine-neutral [`ValueRef`]. A repository function calls
//! [`Tx::execute`], [`Tx::query_row`], [`Tx::query_opt`] or [`Tx::query_map`] with [`args!`]
//! and reads columns with [`Row::get`]; it never sees `rusqlite` or `postgres` types.
//!
//! Why not a query builder (sea-query) or an ORM (diesel): sea-query-rusqlite pins another
//! rusqlite and diesel's PostgreSQL driver links libpq (STACK.md, "Two engines"); the
//! statements are plain SQL that both engines read alike (`RETURNING`, `ON CONFLICT`,
//! `coalesce`, `CAST`), and the few that differ branch on [`Tx::engine`].
//!
//! Values are kept as the SQLite schema has always kept them: integers (booleans as 0/1),
//! text (dates `YYYY-MM-DD`, moments `YYYY-MM-DDTHH:MM:SS`), blobs. The PostgreSQL schema uses
//! `BIGINT`, `TEXT` and `BYTEA` for them, so the same text compares and sorts the same.

use std::cell::RefCell;
use std::collections::HashMap;

use super::StoreError;

/// Which engine a transaction runs on, for the few statements written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A value bound to a statement or read from a row, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// What can be bound to a statement's parameter.
pub trait ToValue {
    fn to_value(&self) -> ValueRef<'_>;
}

/// The parameters of a statement, in `?1, ?2, …` order: `args![a, b, c]`.
macro_rules! args {
    () => {
        &[] as &[&dyn $crate::store::db::ToValue]
    };
    ($($x:expr),+ $(,)?) => {
        &[$(&$x as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue]
    };
}
pub(crate) use args;

macro_rules! integer_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> ValueRef<'_> {
                ValueRef::Integer(i64::from(*self))
            }
        }
    )*};
}
integer_to_value!(i64, i32, u32, u16, u8, i16, bool);

impl ToValue for usize {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToValue for String {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Text(self)
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl<const N: usize> ToValue for [u8; N] {
    fn to_value(&self) -> ValueRef<'_> {
        ValueRef::Blob(self)
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> ValueRef<'_> {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> ValueRef<'_> {
        match self {
            Some(v) => v.to_value(),
            None => ValueRef::Null,
        }
    }
}

/// An owned value, for parameter lists built at run time (the registry's filters).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

impl ToValue for Value {
    fn to_value(&self) -> ValueRef<'_> {
        match self {
            Value::Null => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

/// What a column can be read as.
pub trait FromValue: Sized {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError>;
}

fn wrong_type(want: &str, got: ValueRef<'_>) -> StoreError {
    StoreError::Invalid(format!("expected {want}, found {got:?}"))
}

impl FromValue for i64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        match value {
            ValueRef::Integer(i) => Ok(i),
            other => Err(wrong_type("an integer", other)),
        }
    }
}

macro_rules! narrow_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
                let wide = i64::from_value(value)?;
                <$t>::try_from(wide).map_err(|_| {
                    StoreError::Invalid(format!("{wide} is out of range for {}", stringify!($t)))
                })
            }
        }
    )*};
}
narrow_from_value!(i32, u32, u16, u8, usize, u64);

impl FromValue for bool {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        Ok(i64::from_value(value)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        match value {
            ValueRef::Real(f) => Ok(f),
            ValueRef::Integer(i) => Ok(i as f64),
            other => Err(wrong_type("a number", other)),
        }
    }
}

impl FromValue for String {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        match value {
            ValueRef::Text(s) => Ok(s.to_string()),
            other => Err(wrong_type("text", other)),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        match value {
            ValueRef::Blob(b) => Ok(b.to_vec()),
            other => Err(wrong_type("bytes", other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        match value {
            ValueRef::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl FromValue for Value {
    fn from_value(value: ValueRef<'_>) -> Result<Self, StoreError> {
        Ok(match value {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(s) => Value::Text(s.to_string()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        })
    }
}

/// One row of a result, on either engine.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    /// The column `index` (from 0) as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T, StoreError> {
        T::from_value(self.value(index)?)
    }

    /// The column `index` as it is stored.
    pub fn value(&self, index: usize) -> Result<ValueRef<'_>, StoreError> {
        match &self.inner {
            RowInner::Sqlite(row) => Ok(match row.get_ref(index)? {
                rusqlite::types::ValueRef::Null => ValueRef::Null,
                rusqlite::types::ValueRef::Integer(i) => ValueRef::Integer(i),
                rusqlite::types::ValueRef::Real(f) => ValueRef::Real(f),
                rusqlite::types::ValueRef::Text(t) => ValueRef::Text(
                    std::str::from_utf8(t).map_err(|e| StoreError::Invalid(e.to_string()))?,
                ),
                rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
            }),
            RowInner::Postgres(row) => super::pg::value(row, index),
        }
    }

    /// How many columns the row has.
    pub fn len(&self) -> usize {
        match &self.inner {
            RowInner::Sqlite(row) => row.as_ref().column_count(),
            RowInner::Postgres(row) => row.len(),
        }
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct Bind<'a>(ValueRef<'a>);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef as R};
        Ok(ToSqlOutput::Borrowed(match self.0 {
            ValueRef::Null => R::Null,
            ValueRef::Integer(i) => R::Integer(i),
            ValueRef::Real(f) => R::Real(f),
            ValueRef::Text(s) => R::Text(s.as_bytes()),
            ValueRef::Blob(b) => R::Blob(b),
        }))
    }
}

fn sqlite_params<'a>(
    args: &'a [&'a dyn ToValue],
) -> rusqlite::ParamsFromIter<impl Iterator<Item = Bind<'a>>> {
    rusqlite::params_from_iter(args.iter().map(|a| Bind(a.to_value())))
}

/// The connection a [`Tx`](super::Tx) runs on.
#[derive(Clone, Copy)]
pub(crate) enum Conn<'a> {
    Sqlite(&'a rusqlite::Connection),
    Postgres(&'a super::pg::PgConn),
}

impl Conn<'_> {
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    pub(crate) fn execute(&self, sql: &str, args: &[&dyn ToValue]) -> Result<usize, StoreError> {
        match self {
            Conn::Sqlite(c) => Ok(c.prepare_cached(sql)?.execute(sqlite_params(args))?),
            Conn::Postgres(c) => c.execute(sql, args),
        }
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(c) => c.batch(sql),
        }
    }

    /// The first row of the result, if any, read by `f`.
    pub(crate) fn query_opt<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        f: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(sqlite_params(args))?;
                match rows.next()? {
                    Some(row) => f(&Row {
                        inner: RowInner::Sqlite(row),
                    })
                    .map(Some),
                    None => Ok(None),
                }
            }
            Conn::Postgres(c) => match c.query(sql, args)?.first() {
                Some(row) => f(&Row {
                    inner: RowInner::Postgres(row),
                })
                .map(Some),
                None => Ok(None),
            },
        }
    }

    /// Calls `f` on every row of the result, in order, without keeping them.
    pub(crate) fn for_each(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        mut f: impl FnMut(&Row<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(sqlite_params(args))?;
                while let Some(row) = rows.next()? {
                    f(&Row {
                        inner: RowInner::Sqlite(row),
                    })?;
                }
                Ok(())
            }
            Conn::Postgres(c) => c.for_each(sql, args, |row| {
                f(&Row {
                    inner: RowInner::Postgres(row),
                })
            }),
        }
    }
}

/// A prepared-statement cache keyed by the statement's text, for the PostgreSQL connection
/// (rusqlite has its own).
pub(crate) type StatementCache = RefCell<HashMap<String, postgres::Statement>>;

/// `?N` placeholders as PostgreSQL's `$N`, and bare `?` numbered in order, outside quoted text.
pub(crate) fn dollar_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut bare = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                out.push(c);
            }
            None => match c {
                '\'' | '"' => {
                    quote = Some(c);
                    out.push(c);
                }
                '?' => {
                    out.push('$');
                    if !chars.peek().is_some_and(char::is_ascii_digit) {
                        bare += 1;
                        out.push_str(&bare.to_string());
                    }
                }
                _ => out.push(c),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_quotes() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = '?2' AND d = ?12"),
            "SELECT a FROM t WHERE b = $1 AND c = '?2' AND d = $12"
        );
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b IN (?, ?) LIMIT ?"),
            "SELECT a FROM t WHERE b IN ($1, $2) LIMIT $3"
        );
    }
}
