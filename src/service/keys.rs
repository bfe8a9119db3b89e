//! Each signatory's QR signing key (issue 12): made at the signatory's first sign-in, its private
//! half stored only sealed — XChaCha20-Poly1305 under a key derived from the signatory's password
//! with Argon2id — opened at sign-in and held in the session, sealed anew when the password
//! changes, retired when the administrator resets the password (what it signed still verifies).
//! A copy of the database file, or a backup, holds no usable private key.

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::NaiveDateTime;
use ed25519_dalek::{Signer, SigningKey};

use super::{Result, RuleError, Session, audit};
use crate::store::{Tx, keys};

const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;

/// A signatory's key, open for this session.
#[derive(Clone)]
pub struct SessionKey {
    pub id: i64,
    /// The first 8 bytes of the public key's SHA-256, in hex: what a QR code names its key by.
    pub fingerprint: String,
    pub key: SigningKey,
}

impl std::fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("SessionKey")
            .field("id", &self.id)
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

impl PartialEq for SessionKey {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for SessionKey {}

/// The first 8 bytes of a public key's SHA-256, in hex.
pub fn fingerprint(public: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    Sha256::digest(public)
        .iter()
        .take(8)
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

fn derive(password: &str, salt: &[u8]) -> Option<[u8; 32]> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .ok()?;
    Some(key)
}

/// Seals a secret under a password: a fresh salt, and nonce || ciphertext.
fn seal(password: &str, secret: &[u8; 32]) -> Result<(Vec<u8>, Vec<u8>)> {
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let failed = || RuleError::Invalid("a signing key could not be sealed".into());
    let key = derive(password, &salt).ok_or_else(failed)?;
    let cipher = XChaCha20Poly1305::new(&key.into());
    let ciphertext = cipher
        .encrypt(XNonce::from_slice(&nonce), secret.as_slice())
        .map_err(|_| failed())?;
    let mut sealed = nonce.to_vec();
    sealed.extend(ciphertext);
    Ok((salt.to_vec(), sealed))
}

/// Opens a sealed secret; `None` for another password or a damaged seal.
fn unseal(password: &str, salt: &[u8], sealed: &[u8]) -> Option<[u8; 32]> {
    if sealed.len() <= NONCE_LEN {
        return None;
    }
    let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
    let key = derive(password, salt)?;
    let cipher = XChaCha20Poly1305::new(&key.into());
    let secret = cipher.decrypt(XNonce::from_slice(nonce), ciphertext).ok()?;
    secret.try_into().ok()
}

/// At a signatory's sign-in (the password already checked): opens their key, or makes one if
/// they have none in use. `None` when the stored key does not open with this password (a
/// damaged seal): the sign-in goes on, and printing says that the key is not available.
pub(crate) fn open_at_sign_in(
    tx: &Tx<'_>,
    session: &Session,
    password: &str,
    now: NaiveDateTime,
) -> Result<Option<SessionKey>> {
    if let Some(stored) = keys::in_use(tx, session.user_id)? {
        let Some(secret) = unseal(password, &stored.salt, &stored.sealed) else {
            audit(
                tx,
                session,
                now,
                "signing_key_unavailable",
                &format!("signing_key:{}", stored.id),
                "the key does not open with the password",
            )?;
            return Ok(None);
        };
        return Ok(Some(SessionKey {
            id: stored.id,
            fingerprint: fingerprint(&stored.public),
            key: SigningKey::from_bytes(&secret),
        }));
    }
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut secret);
    let key = SigningKey::from_bytes(&secret);
    let public = key.verifying_key().to_bytes();
    let (salt, sealed) = seal(password, &secret)?;
    let id = keys::insert(tx, session.user_id, &public, &salt, &sealed, now)?;
    audit(
        tx,
        session,
        now,
        "create_signing_key",
        &format!("signing_key:{id}"),
        &crate::store::to_hex(&public),
    )?;
    Ok(Some(SessionKey {
        id,
        fingerprint: fingerprint(&public),
        key,
    }))
}

/// The signatory changed their own password: their key is sealed under the new one. A key that
/// does not open with the old password is retired (a new one is made at the next sign-in).
pub(crate) fn reseal_for_new_password(
    tx: &Tx<'_>,
    user_id: i64,
    current: &str,
    new: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(stored) = keys::in_use(tx, user_id)? else {
        return Ok(());
    };
    match unseal(current, &stored.salt, &stored.sealed) {
        Some(secret) => {
            let (salt, sealed) = seal(new, &secret)?;
            keys::reseal(tx, stored.id, &salt, &sealed)?;
        }
        None => {
            keys::retire(tx, user_id, "не открывается паролем при его смене", now)?;
        }
    }
    Ok(())
}

/// The administrator reset the password: the key sealed under the old one cannot be opened any
/// more and is retired; the signatory gets a new key at the next sign-in.
pub(crate) fn retire_at_reset(tx: &Tx<'_>, user_id: i64, now: NaiveDateTime) -> Result<()> {
    keys::retire(tx, user_id, "пароль сброшен администратором", now)?;
    Ok(())
}

/// Signs the audit chain's head with an open key (issue 12, item 3): from then on the rows up to
/// it cannot be rewritten or deleted without `check` saying so, since a copy of the file holds
/// no key to sign a new anchor. Nothing to do before the first row.
pub(crate) fn anchor(tx: &Tx<'_>, key: &SessionKey, now: NaiveDateTime) -> Result<()> {
    let Some(head) = crate::store::audit::head(tx)? else {
        return Ok(());
    };
    let Some(hash) = head.last_hash else {
        return Ok(());
    };
    let signed_at = crate::store::rows::fmt_time(now);
    let message = crate::store::audit::anchor_message(head.last_id, &hash, &signed_at);
    let signature = key.key.sign(message.as_bytes()).to_bytes();
    crate::store::audit::insert_anchor(tx, head.last_id, &hash, key.id, &signed_at, &signature)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_only_with_its_password_and_intact() {
        let secret = [7u8; 32];
        let (salt, sealed) = seal("пароль-подписанта", &secret).expect("seal");
        assert_eq!((salt.len(), sealed.len()), (SALT_LEN, 72));
        // The secret is not in the sealed bytes.
        assert!(!sealed.windows(32).any(|w| w == secret));
        assert_eq!(unseal("пароль-подписанта", &salt, &sealed), Some(secret));
        assert_eq!(unseal("другой пароль", &salt, &sealed), None);
        let mut tampered = sealed.clone();
        tampered[40] ^= 1;
        assert_eq!(unseal("пароль-подписанта", &salt, &tampered), None);
        // Sealed twice, the same secret looks different (fresh salt and nonce).
        let (_, again) = seal("пароль-подписанта", &secret).expect("seal");
        assert_ne!(sealed, again);
    }
}
