//! The keys that sign certificates' QR codes (`signing_keys`): each signatory's own, the private
//! half stored only sealed under the signatory's password (the sealing is the service's), and
//! the retired ones, kept public so that what they signed still verifies.

use super::db::args;
use chrono::NaiveDateTime;

use super::rows::{fmt_time, time};
use super::{StoreError, Tx};

/// A signatory's key in use, as stored: the private half sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKey {
    pub id: i64,
    pub public: Vec<u8>,
    pub salt: Vec<u8>,
    pub sealed: Vec<u8>,
}

/// The key `user_id` signs with, if they have one in use.
pub fn in_use(tx: &Tx<'_>, user_id: i64) -> Result<Option<SealedKey>, StoreError> {
    tx.query_opt(
            "SELECT id, public, salt, sealed FROM signing_keys WHERE user_id = ?1 AND retired_at IS NULL",
            args![user_id],
            |r| {
                Ok(SealedKey {
                    id: r.get(0)?,
                    public: r.get(1)?,
                    salt: r.get(2)?,
                    sealed: r.get(3)?,
                })
            },
        )
}

/// Stores a signatory's new key; it is the one they sign with from now on.
pub fn insert(
    tx: &Tx<'_>,
    user_id: i64,
    public: &[u8; 32],
    salt: &[u8],
    sealed: &[u8],
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    tx.query_row(
        "INSERT INTO signing_keys (user_id, public, salt, sealed, created_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![user_id, public.as_slice(), salt, sealed, fmt_time(now)],
        |r| r.get(0),
    )
}

/// Replaces the sealing of a key in use (the signatory's password changed).
pub fn reseal(tx: &Tx<'_>, id: i64, salt: &[u8], sealed: &[u8]) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE signing_keys SET salt = ?2, sealed = ?3 WHERE id = ?1 AND retired_at IS NULL",
        args![id, salt, sealed],
    )?;
    Ok(())
}

/// Retires the key `user_id` signs with, if any: its sealed private half is dropped, its public
/// half stays for verification. Returns the retired key's id.
pub fn retire(
    tx: &Tx<'_>,
    user_id: i64,
    why: &str,
    now: NaiveDateTime,
) -> Result<Option<i64>, StoreError> {
    tx.query_opt(
        "UPDATE signing_keys SET salt = NULL, sealed = NULL, retired_at = ?2, retired_why = ?3
             WHERE user_id = ?1 AND retired_at IS NULL RETURNING id",
        args![user_id, fmt_time(now), why],
        |r| r.get(0),
    )
}

/// A public key, whose it is and when it was in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub id: i64,
    pub public: Vec<u8>,
    /// The signatory's full name; empty for the body's key of the versions before 12.
    pub holder: String,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
    pub retired_why: String,
}

/// Every public key, in use and retired, newest first.
pub fn public_keys(tx: &Tx<'_>) -> Result<Vec<PublicKey>, StoreError> {
    let rows = tx.query_map("SELECT k.id, k.public, coalesce(u.full_name, ''), k.created_at, k.retired_at, coalesce(k.retired_why, '')
         FROM signing_keys k LEFT JOIN users u ON u.id = k.user_id ORDER BY k.id DESC", args![], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<Vec<u8>>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<String>(5)?,
            ))
        })?;
    rows.into_iter()
        .map(|(id, public, holder, created, retired, why)| {
            Ok(PublicKey {
                id,
                public,
                holder,
                created_at: time(&created)?,
                retired_at: retired.as_deref().map(time).transpose()?,
                retired_why: why,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn one_key_in_use_per_signatory_and_every_key_stays_public() {
        let mut store = Store::open_in_memory().expect("store");
        let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time");
        store
            .write(|tx| {
                tx.execute(
                    "INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES (7, 's', 'С. Подписант', '!', 'x')",
                    args![],
                )?;
                assert_eq!(in_use(tx, 7)?, None);
                let first = insert(tx, 7, &[2; 32], &[1; 16], &[3; 72], now)?;
                // A second key in use for the same signatory is refused by the schema.
                assert!(insert(tx, 7, &[4; 32], &[1; 16], &[3; 72], now).is_err());
                assert_eq!(retire(tx, 7, "сброс пароля", now)?, Some(first));
                assert_eq!(in_use(tx, 7)?, None);
                let second = insert(tx, 7, &[4; 32], &[5; 16], &[6; 72], now)?;
                reseal(tx, second, &[8; 16], &[9; 72])?;
                let key = in_use(tx, 7)?.expect("in use");
                assert_eq!((key.salt, key.sealed), (vec![8; 16], vec![9; 72]));
                let all = public_keys(tx)?;
                assert_eq!(all.len(), 2);
                assert_eq!(all[0].public, vec![4; 32]);
                assert_eq!(all[1].retired_why, "сброс пароля");
                assert_eq!(all[1].holder, "С. Подписант");
                Ok::<_, StoreError>(())
            })
            .expect("write");
    }
}
