//! Set-up, users and roles (SPEC §1), and the body's requisites.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use chrono::NaiveDateTime;

use super::{Missing, Result, RuleError, ServiceError, Session, audit};
use crate::domain::numbering;
use crate::domain::password;
use crate::domain::roles::{Action, Role};
pub use crate::store::body::Body;
pub use crate::store::users::UserRow;
use crate::store::users::{self, NewUser};
use crate::store::{Store, Tx, body as stored_body};

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
            .map_err(RuleError::NumberPattern)?;
        Ok(())
    }

    /// The requisites as stored: the verification address without its scheme (issue 19).
    fn normalised(&self) -> Result<Self> {
        let verify_address = crate::domain::verifier::normalise_address(
            self.verify_address.as_deref().unwrap_or_default(),
        )
        .map_err(RuleError::VerifyAddress)?;
        Ok(Self {
            verify_address,
            ..self.clone()
        })
    }
}

/// Whether the first administrator and the body's requisites exist.
pub fn is_set_up(store: &Store) -> Result<bool> {
    store.read(|tx| Ok(stored_body::exists(tx)?))
}

fn hash_password(password: &str) -> Result<String> {
    if !password::is_strong_enough(password) {
        return Err(RuleError::WeakPassword.into());
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| RuleError::Invalid(format!("cannot hash the password: {e}")).into())
}

/// Creates an active user, refusing a username that is taken.
fn insert_user(
    tx: &Tx<'_>,
    username: &str,
    full_name: &str,
    hash: &str,
    roles: &[Role],
    now: NaiveDateTime,
) -> Result<i64> {
    if users::find_id(tx, username)?.is_some() {
        return Err(RuleError::UsernameTaken.into());
    }
    let user = NewUser {
        username,
        full_name,
        password_hash: hash,
        active: true,
    };
    Ok(users::create(tx, &user, roles, now)?)
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
    let body = &body.normalised()?;
    if admin_username.trim().is_empty() || admin_full_name.trim().is_empty() {
        return Err(RuleError::Missing(if admin_username.trim().is_empty() {
            Missing::Username
        } else {
            Missing::FullName
        })
        .into());
    }
    let hash = hash_password(admin_password)?;
    store.write(|tx| {
        if stored_body::exists(tx)? {
            return Err(RuleError::AlreadySetUp.into());
        }
        stored_body::write(tx, body, now)?;
        let id = insert_user(
            tx,
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
            must_change_password: false,
            signing_key: None,
        };
        audit(
            tx,
            &session,
            now,
            "set_up",
            "body",
            &format!(
                "body '{}', administrator '{}'",
                body.name_ru, session.username
            ),
        )?;
        Ok(session)
    })
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
    let body = &body.normalised()?;
    store.write(|tx| {
        stored_body::write(tx, body, now)?;
        audit(
            tx,
            session,
            now,
            "update_body",
            "body",
            &format!("requisites of '{}'", body.name_ru),
        )
    })
}

/// Whether `password` matches the stored Argon2 hash.
fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).ok().is_some_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Checks a username and password; the session of an active user, which says whether the
/// password must be changed first. A wrong password is counted, and the last of
/// [`password::MAX_FAILED_ATTEMPTS`] in a row locks the account ([`ServiceError::Locked`]);
/// a locked account is refused even with the right password.
pub fn sign_in(
    store: &mut Store,
    username: &str,
    password_text: &str,
    now: NaiveDateTime,
) -> Result<Session> {
    let found = store.read(|tx| users::credentials(tx, username.trim()))?;
    let Some(user) = found else {
        // An unknown name is recorded too, so that guessing shows in the log (the name as
        // typed, cut short and without control characters; never the password).
        let typed: String = username
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(64)
            .collect();
        store.write(|tx| {
            crate::store::audit::append(
                tx,
                now,
                &crate::store::audit::Entry {
                    user_id: None,
                    username: &typed,
                    action: "sign_in_failed",
                    record: "user:unknown",
                    summary: "unknown user name",
                },
            )
        })?;
        return Err(ServiceError::BadCredentials);
    };
    if password::is_locked(user.locked_until, now)
        && let Some(until) = user.locked_until
    {
        return Err(ServiceError::Locked { until });
    }
    let session = Session {
        user_id: user.id,
        username: username.trim().into(),
        full_name: user.full_name.clone(),
        roles: Vec::new(),
        must_change_password: user.must_change_password,
        signing_key: None,
    };
    if !verify_password(&user.password_hash, password_text) {
        let next = password::after_failure(user.failed_attempts, now);
        store.write(|tx| {
            users::record_failure(tx, user.id, next.failed_attempts, next.locked_until)?;
            let summary = match next.locked_until {
                Some(until) => format!("locked until {}", until.format("%Y-%m-%d %H:%M")),
                None => format!("failed attempts {}", next.failed_attempts),
            };
            audit(
                tx,
                &session,
                now,
                "sign_in_failed",
                &format!("user:{}", user.id),
                &summary,
            )
        })?;
        return Err(match next.locked_until {
            Some(until) => ServiceError::Locked { until },
            None => ServiceError::BadCredentials,
        });
    }
    if !user.active {
        return Err(ServiceError::BadCredentials);
    }
    let mut session = Session {
        roles: store.read(|tx| users::roles(tx, user.id))?,
        ..session
    };
    let signatory = session.roles.contains(&Role::Signatory);
    session.signing_key = store.write(|tx| -> Result<Option<super::keys::SessionKey>> {
        if user.failed_attempts > 0 || user.locked_until.is_some() {
            users::unlock(tx, user.id)?;
        }
        audit(
            tx,
            &session,
            now,
            "sign_in",
            &format!("user:{}", user.id),
            "",
        )?;
        // A signatory's QR signing key opens with the password just checked (issue 12).
        if signatory {
            let key = super::keys::open_at_sign_in(tx, &session, password_text, now)?;
            // ... and signs the audit chain's head (item 3).
            if let Some(key) = &key {
                // The list the verification page checks statuses against (issue 19); its audit
                // row comes before the anchor, so that the anchor covers it.
                super::verifier::sign_list(tx, &session, key, now)?;
                super::keys::anchor(tx, key, now)?;
            }
            Ok(key)
        } else {
            Ok(None)
        }
    })?;
    Ok(session)
}

/// The signed-in user changes their own password: the current one must match, the new one
/// must be long enough and differ from it. Clears a forced change.
pub fn change_own_password(
    store: &mut Store,
    session: &Session,
    current: &str,
    new: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let found = store.read(|tx| users::credentials(tx, &session.username))?;
    let Some(user) = found.filter(|u| u.id == session.user_id) else {
        return Err(ServiceError::NotFound {
            what: "user",
            id: session.user_id.to_string(),
        });
    };
    if !verify_password(&user.password_hash, current) {
        return Err(RuleError::WrongCurrentPassword.into());
    }
    if current == new {
        return Err(RuleError::SamePassword.into());
    }
    let hash = hash_password(new)?;
    store.write(|tx| {
        users::set_password(tx, user.id, &hash, false)?;
        super::keys::reseal_for_new_password(tx, user.id, current, new, now)?;
        audit(
            tx,
            session,
            now,
            "change_password",
            &format!("user:{}", user.id),
            "own password changed",
        )
    })
}

/// The administrator gives a user a temporary password, which must be changed at the next
/// sign-in; the lock, if any, is lifted.
pub fn reset_password(
    store: &mut Store,
    session: &Session,
    user_id: i64,
    temporary: &str,
    now: NaiveDateTime,
) -> Result<()> {
    session.require(Action::ManageUsers)?;
    let hash = hash_password(temporary)?;
    store.write(|tx| {
        users::set_password(tx, user_id, &hash, true)?;
        super::keys::retire_at_reset(tx, user_id, now)?;
        audit(
            tx,
            session,
            now,
            "reset_password",
            &format!("user:{user_id}"),
            "temporary password, change required",
        )
    })
}

/// The administrator lifts the lock of a user locked after wrong passwords.
pub fn unlock_user(
    store: &mut Store,
    session: &Session,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<()> {
    session.require(Action::ManageUsers)?;
    store.write(|tx| {
        users::unlock(tx, user_id)?;
        audit(
            tx,
            session,
            now,
            "unlock_user",
            &format!("user:{user_id}"),
            "",
        )
    })
}

pub fn list_users(store: &Store, session: &Session) -> Result<Vec<UserRow>> {
    session.require(Action::ManageUsers)?;
    Ok(store.read(users::list)?)
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
    store.write(|tx| {
        let id = insert_user(tx, username.trim(), full_name.trim(), &hash, roles, now)?;
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        audit(
            tx,
            session,
            now,
            "create_user",
            &format!("user:{id}"),
            &format!("'{}' roles {}", username.trim(), codes.join(",")),
        )?;
        Ok(id)
    })
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
    store.write(|tx| {
        let stays_admin = active && roles.contains(&Role::Admin);
        if !crate::domain::roles::keeps_an_administrator(
            stays_admin,
            users::other_active_admins(tx, user_id)?,
        ) {
            return Err(RuleError::LastAdministrator.into());
        }
        users::set_roles(tx, user_id, roles, active)?;
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        audit(
            tx,
            session,
            now,
            "set_roles",
            &format!("user:{user_id}"),
            &format!("roles {} active {active}", codes.join(",")),
        )
    })
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
    store.write(|tx| {
        users::set_password(tx, user_id, &hash, false)?;
        audit(
            tx,
            session,
            now,
            "set_password",
            &format!("user:{user_id}"),
            "",
        )
    })
}

/// The session of the command line: the operating-system user who can read the file acts with
/// every role, recorded in the audit as `system` with the OS user's name.
pub fn system_session(store: &mut Store, now: NaiveDateTime) -> Result<Session> {
    const FULL_NAME: &str = "Командная строка";
    let os_user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let id = store.write(|tx| users::system_user(tx, FULL_NAME, now))?;
    Ok(Session {
        user_id: id,
        username: format!("{}:{os_user}", users::SYSTEM),
        full_name: FULL_NAME.into(),
        roles: Role::ALL.to_vec(),
        must_change_password: false,
        signing_key: None,
    })
}
