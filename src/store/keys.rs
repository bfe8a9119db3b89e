//! The body's signing keys (`signing_keys`): the ed25519 keys that sign certificates' QR codes.
//! The newest key signs; every key still verifies.

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::rows::fmt_time;
use super::{StoreError, Tx};

/// The secret of the newest key, as stored (32 bytes when intact).
pub fn newest_secret(tx: &Tx<'_>) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(tx
        .sqlite()
        .query_row(
            "SELECT secret FROM signing_keys ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

/// Stores a new key pair; it becomes the newest.
pub fn insert(
    tx: &Tx<'_>,
    secret: &[u8; 32],
    public: &[u8; 32],
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    tx.sqlite().execute(
        "INSERT INTO signing_keys (secret, public, created_at) VALUES (?1, ?2, ?3)",
        params![secret.as_slice(), public.as_slice(), fmt_time(now)],
    )?;
    Ok(())
}

/// Every public key, newest first.
pub fn public_keys(tx: &Tx<'_>) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut stmt = tx
        .sqlite()
        .prepare_cached("SELECT public FROM signing_keys ORDER BY id DESC")?;
    let keys = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_newest_key_signs_and_every_key_verifies() {
        let mut store = Store::open_in_memory().expect("store");
        let now = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time");
        store
            .write(|tx| {
                assert_eq!(newest_secret(tx)?, None);
                insert(tx, &[1; 32], &[2; 32], now)?;
                insert(tx, &[3; 32], &[4; 32], now)?;
                assert_eq!(newest_secret(tx)?, Some(vec![3; 32]));
                assert_eq!(public_keys(tx)?, vec![vec![4; 32], vec![2; 32]]);
                Ok::<_, StoreError>(())
            })
            .expect("write");
    }
}
