//! Users and their roles: the `users` and `user_roles` tables. The command line acts as the
//! user [`SYSTEM`], which cannot sign in and is not listed.

use super::db::args;
use chrono::NaiveDateTime;

use super::rows::{self, fmt_time};
use super::{StoreError, Tx};
use crate::domain::roles::Role;

/// The username of the command line's own account.
pub const SYSTEM: &str = "system";

/// A user to create.
#[derive(Debug, Clone, Copy)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub password_hash: &'a str,
    pub active: bool,
}

/// What signing in checks: the stored hash, whether the account is active, the failures in a
/// row and the lock, and whether the password must be changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub id: i64,
    pub full_name: String,
    pub password_hash: String,
    pub active: bool,
    pub must_change_password: bool,
    pub failed_attempts: u32,
    pub locked_until: Option<NaiveDateTime>,
}

/// A user as the administrator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub active: bool,
    pub roles: Vec<Role>,
    /// Set while the account is locked after wrong passwords (a lock that has run out stays
    /// until the next sign-in clears it).
    pub locked_until: Option<NaiveDateTime>,
}

/// The id of the user with this username, if any (the system user included).
pub fn find_id(tx: &Tx<'_>, username: &str) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "SELECT id FROM users WHERE username = ?1",
        args![username],
        |r| r.get(0),
    )
}

/// Creates a user with roles; its id.
pub fn create(
    tx: &Tx<'_>,
    user: &NewUser<'_>,
    roles: &[Role],
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let id: i64 = tx.query_row(
        "INSERT INTO users (username, full_name, password_hash, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![user.username, user.full_name, user.password_hash, user.active, fmt_time(now)],
        |r| r.get(0),
    )?;
    add_roles(tx, id, roles)?;
    Ok(id)
}

fn add_roles(tx: &Tx<'_>, user_id: i64, roles: &[Role]) -> Result<(), StoreError> {
    for role in roles {
        tx.execute(
            "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
            args![user_id, role.code()],
        )?;
    }
    Ok(())
}

/// The credentials of a user who may sign in (never the system user).
pub fn credentials(tx: &Tx<'_>, username: &str) -> Result<Option<Credentials>, StoreError> {
    let found = tx.query_opt(
            "SELECT id, full_name, password_hash, active, must_change_password, failed_attempts, locked_until
               FROM users WHERE username = ?1 AND username <> ?2",
            args![username, SYSTEM],
            |r| {
                Ok((
                    Credentials {
                        id: r.get(0)?,
                        full_name: r.get(1)?,
                        password_hash: r.get(2)?,
                        active: r.get(3)?,
                        must_change_password: r.get(4)?,
                        failed_attempts: r.get(5)?,
                        locked_until: None,
                    },
                    r.get::<Option<String>>(6)?,
                ))
            },
        )?;
    found
        .map(|(credentials, locked_until)| {
            Ok(Credentials {
                locked_until: locked_until.as_deref().map(rows::time).transpose()?,
                ..credentials
            })
        })
        .transpose()
}

/// Records a wrong password: the failures in a row and the lock, if one starts.
pub fn record_failure(
    tx: &Tx<'_>,
    user_id: i64,
    failed_attempts: u32,
    locked_until: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE users SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        args![user_id, failed_attempts, locked_until.map(fmt_time)],
    )?;
    Ok(())
}

/// Clears the failures in a row and the lock; [`StoreError::NotFound`] for an unknown user or
/// the system user.
pub fn unlock(tx: &Tx<'_>, user_id: i64) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?1 AND username <> ?2",
        args![user_id, SYSTEM],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    Ok(())
}

/// A user's roles; codes this program does not know are left out.
pub fn roles(tx: &Tx<'_>, user_id: i64) -> Result<Vec<Role>, StoreError> {
    let codes = tx.query_map(
        "SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role",
        args![user_id],
        |r| r.get::<String>(0),
    )?;
    Ok(codes.iter().filter_map(|c| c.parse().ok()).collect())
}

/// Every user but the system user, by username, with their roles.
pub fn list(tx: &Tx<'_>) -> Result<Vec<UserRow>, StoreError> {
    let found = tx.query_map("SELECT id, username, full_name, active, locked_until FROM users WHERE username <> ?1 ORDER BY username", args![SYSTEM], |r| {
            Ok((
                UserRow {
                    id: r.get(0)?,
                    username: r.get(1)?,
                    full_name: r.get(2)?,
                    active: r.get(3)?,
                    roles: Vec::new(),
                    locked_until: None,
                },
                r.get::<Option<String>>(4)?,
            ))
        })?;
    found
        .into_iter()
        .map(|(row, locked_until)| {
            Ok(UserRow {
                roles: roles(tx, row.id)?,
                locked_until: locked_until.as_deref().map(rows::time).transpose()?,
                ..row
            })
        })
        .collect()
}

/// Replaces a user's roles and active flag; [`StoreError::NotFound`] for an unknown user or
/// the system user.
pub fn set_roles(
    tx: &Tx<'_>,
    user_id: i64,
    roles: &[Role],
    active: bool,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE users SET active = ?2 WHERE id = ?1 AND username <> ?3",
        args![user_id, active, SYSTEM],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    tx.execute("DELETE FROM user_roles WHERE user_id = ?1", args![user_id])?;
    add_roles(tx, user_id, roles)
}

/// Stores a new password hash for a user, whether it must be changed at the next sign-in, and
/// clears the failures and the lock; [`StoreError::NotFound`] for an unknown user or the
/// system user.
pub fn set_password(
    tx: &Tx<'_>,
    user_id: i64,
    password_hash: &str,
    must_change: bool,
) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE users SET password_hash = ?2, must_change_password = ?3, failed_attempts = 0, locked_until = NULL
          WHERE id = ?1 AND username <> ?4",
        args![user_id, password_hash, must_change, SYSTEM],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "user",
            id: user_id.to_string(),
        });
    }
    Ok(())
}

/// The id of the system user, created inactive (no password can match `!`) on first use.
pub fn system_user(tx: &Tx<'_>, full_name: &str, now: NaiveDateTime) -> Result<i64, StoreError> {
    if let Some(id) = find_id(tx, SYSTEM)? {
        return Ok(id);
    }
    create(
        tx,
        &NewUser {
            username: SYSTEM,
            full_name,
            password_hash: "!",
            active: false,
        },
        &[],
        now,
    )
}

/// How many active administrators there are besides `user_id` (the command line's system user
/// is not one).
pub fn other_active_admins(tx: &Tx<'_>, user_id: i64) -> Result<i64, StoreError> {
    tx.query_row(
        "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin'
         WHERE u.active = 1 AND u.id <> ?1 AND u.username <> ?2",
        args![user_id, SYSTEM],
        |r| r.get(0),
    )
}
