//! Set-up, users and roles (SPEC §1), and the body's requisites.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Missing, Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, write_tx};
use crate::domain::deadline::WorkingHours;
use crate::domain::numbering;
use crate::domain::roles::{Action, Role};
use crate::store::Store;
pub use crate::store::body::Body;

/// TRANSITION: the body's requisites for code that still holds a raw connection.
pub fn body(conn: &Connection) -> Result<Option<Body>> {
    Ok(crate::store::body::load(&crate::store::Tx::wrap(conn))?)
}

/// TRANSITION: the body's working hours for code that still holds a raw connection.
pub fn working_hours(conn: &Connection) -> Result<WorkingHours> {
    Ok(crate::store::body::working_hours(&crate::store::Tx::wrap(
        conn,
    ))?)
}

fn write_body(conn: &Connection, body: &Body, now: NaiveDateTime) -> Result<()> {
    Ok(crate::store::body::write(
        &crate::store::Tx::wrap(conn),
        body,
        now,
    )?)
}

impl Body {
    fn validate(&self) -> Result<()> {
        for (value, what) in [
            (&self.name_ru, Missing::BodyNameRu),
            (&self.name_kk, Missing::BodyNameKk),
            (&self.region, Missing::BodyRegion),
            (&self.signatory_name, Missing::BodySignatory),
        ] {
            if value.trim().is_empty() {
                return Err(RuleError::Missing(what).into());
            }
        }
        if self.hours.end <= self.hours.start {
            return Err(RuleError::HoursOrder.into());
        }
        numbering::format_number(&self.number_pattern, 1, 2026)
            .map_err(|e| RuleError::NumberPattern(e.to_string()))?;
        Ok(())
    }
}

const SYSTEM_USER: &str = "system";

/// Whether the first administrator and the body's requisites exist.
pub fn is_set_up(store: &Store) -> Result<bool> {
    let body: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM body", [], |r| r.get(0))?;
    Ok(body > 0)
}

fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < 8 {
        return Err(RuleError::WeakPassword.into());
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| RuleError::Invalid(format!("cannot hash the password: {e}")).into())
}

fn insert_user(
    conn: &Connection,
    username: &str,
    full_name: &str,
    hash: &str,
    roles: &[Role],
    now: NaiveDateTime,
) -> Result<i64> {
    let taken: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [username],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Err(RuleError::UsernameTaken.into());
    }
    conn.execute(
        "INSERT INTO users (username, full_name, password_hash, active, created_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![username, full_name, hash, fmt_time(now)],
    )?;
    let id = conn.last_insert_rowid();
    for role in roles {
        conn.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
            params![id, role.code()],
        )?;
    }
    Ok(id)
}

/// The first run: the body's requisites and the first administrator, in one transaction.
pub fn set_up(
    store: &mut Store,
    body: &Body,
    admin_username: &str,
    admin_full_name: &str,
    admin_password: &str,
    now: NaiveDateTime,
) -> Result<Session> {
    body.validate()?;
    if admin_username.trim().is_empty() || admin_full_name.trim().is_empty() {
        return Err(RuleError::Missing(if admin_username.trim().is_empty() {
            Missing::Username
        } else {
            Missing::FullName
        })
        .into());
    }
    let hash = hash_password(admin_password)?;
    let tx = write_tx(store.conn_mut())?;
    let existing: i64 = tx.query_row("SELECT count(*) FROM body", [], |r| r.get(0))?;
    if existing > 0 {
        return Err(RuleError::AlreadySetUp.into());
    }
    write_body(&tx, body, now)?;
    let id = insert_user(
        &tx,
        admin_username.trim(),
        admin_full_name.trim(),
        &hash,
        &[Role::Admin],
        now,
    )?;
    let session = Session {
        user_id: id,
        username: admin_username.trim().into(),
        full_name: admin_full_name.trim().into(),
        roles: vec![Role::Admin],
    };
    legacy_audit(
        &tx,
        &session,
        now,
        "set_up",
        "body",
        &format!(
            "body '{}', administrator '{}'",
            body.name_ru, session.username
        ),
    )?;
    tx.commit()?;
    Ok(session)
}

/// Changes the body's requisites (administrator).
pub fn update_body(
    store: &mut Store,
    session: &Session,
    body: &Body,
    now: NaiveDateTime,
) -> Result<()> {
    session.require(Action::ManageBody)?;
    body.validate()?;
    let tx = write_tx(store.conn_mut())?;
    write_body(&tx, body, now)?;
    legacy_audit(
        &tx,
        session,
        now,
        "update_body",
        "body",
        &format!("requisites of '{}'", body.name_ru),
    )?;
    tx.commit()?;
    Ok(())
}

/// Checks a username and password; the session of an active user.
pub fn sign_in(
    store: &mut Store,
    username: &str,
    password: &str,
    now: NaiveDateTime,
) -> Result<Session> {
    let row: Option<(i64, String, String, bool)> = store
        .conn()
        .query_row(
            "SELECT id, full_name, password_hash, active FROM users WHERE username = ?1 AND username <> ?2",
            params![username.trim(), SYSTEM_USER],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((id, full_name, hash, active)) = row else {
        return Err(ServiceError::BadCredentials);
    };
    let verified = PasswordHash::new(&hash).ok().is_some_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    if !verified || !active {
        return Err(ServiceError::BadCredentials);
    }
    let session = Session {
        user_id: id,
        username: username.trim().into(),
        full_name,
        roles: roles_of(store.conn(), id)?,
    };
    let tx = write_tx(store.conn_mut())?;
    legacy_audit(&tx, &session, now, "sign_in", &format!("user:{id}"), "")?;
    tx.commit()?;
    Ok(session)
}

fn roles_of(conn: &Connection, user_id: i64) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare("SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role")?;
    let codes = stmt
        .query_map([user_id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(codes.iter().filter_map(|c| c.parse().ok()).collect())
}

/// A user as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub active: bool,
    pub roles: Vec<Role>,
}

pub fn list_users(store: &Store, session: &Session) -> Result<Vec<UserRow>> {
    session.require(Action::ManageUsers)?;
    let conn = store.conn();
    let mut stmt = conn.prepare(
        "SELECT id, username, full_name, active FROM users WHERE username <> ?1 ORDER BY username",
    )?;
    let rows = stmt
        .query_map([SYSTEM_USER], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, bool)>>>()?;
    rows.into_iter()
        .map(|(id, username, full_name, active)| {
            Ok(UserRow {
                id,
                username,
                full_name,
                active,
                roles: roles_of(conn, id)?,
            })
        })
        .collect()
}

/// Creates a user with roles (administrator).
pub fn create_user(
    store: &mut Store,
    session: &Session,
    username: &str,
    full_name: &str,
    password: &str,
    roles: &[Role],
    now: NaiveDateTime,
) -> Result<i64> {
    session.require(Action::ManageUsers)?;
    if username.trim().is_empty() || full_name.trim().is_empty() {
        return Err(RuleError::Missing(if username.trim().is_empty() {
            Missing::Username
        } else {
            Missing::FullName
        })
        .into());
    }
    let hash = hash_password(password)?;
    let tx = write_tx(store.conn_mut())?;
    let id = insert_user(&tx, username.trim(), full_name.trim(), &hash, roles, now)?;
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    legacy_audit(
        &tx,
        session,
        now,
        "create_user",
        &format!("user:{id}"),
        &format!("'{}' roles {}", username.trim(), codes.join(",")),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Replaces a user's roles and active flag (administrator).
pub fn set_user_roles(
    store: &mut Store,
    session: &Session,
    user_id: i64,
    roles: &[Role],
    active: bool,
    now: NaiveDateTime,
) -> Result<()> {
    session.require(Action::ManageUsers)?;
    let tx = write_tx(store.conn_mut())?;
    let changed = tx.execute(
        "UPDATE users SET active = ?2 WHERE id = ?1 AND username <> ?3",
        params![user_id, active, SYSTEM_USER],
    )?;
    if changed == 0 {
        return Err(ServiceError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    tx.execute("DELETE FROM user_roles WHERE user_id = ?1", [user_id])?;
    for role in roles {
        tx.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
            params![user_id, role.code()],
        )?;
    }
    let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
    legacy_audit(
        &tx,
        session,
        now,
        "set_roles",
        &format!("user:{user_id}"),
        &format!("roles {} active {active}", codes.join(",")),
    )?;
    tx.commit()?;
    Ok(())
}

/// Sets a new password for a user (administrator, or the user for themself).
pub fn set_password(
    store: &mut Store,
    session: &Session,
    user_id: i64,
    password: &str,
    now: NaiveDateTime,
) -> Result<()> {
    if session.user_id != user_id {
        session.require(Action::ManageUsers)?;
    }
    let hash = hash_password(password)?;
    let tx = write_tx(store.conn_mut())?;
    tx.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, hash],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "set_password",
        &format!("user:{user_id}"),
        "",
    )?;
    tx.commit()?;
    Ok(())
}

/// The session of the command line: the operating-system user who can read the file acts with
/// every role, recorded in the audit as `system` with the OS user's name.
pub fn system_session(store: &mut Store, now: NaiveDateTime) -> Result<Session> {
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let conn = store.conn();
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [SYSTEM_USER],
            |r| r.get(0),
        )
        .optional()?;
    let id = if let Some(id) = id {
        id
    } else {
        conn.execute(
                "INSERT INTO users (username, full_name, password_hash, active, created_at) VALUES (?1, ?2, '!', 0, ?3)",
                params![SYSTEM_USER, "Командная строка", fmt_time(now)],
            )?;
        conn.last_insert_rowid()
    };
    Ok(Session {
        user_id: id,
        username: format!("{SYSTEM_USER}:{os_user}"),
        full_name: "Командная строка".into(),
        roles: Role::ALL.to_vec(),
    })
}
