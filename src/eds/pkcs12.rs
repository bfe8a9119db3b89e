//! Signing with a PKCS#12 key file as NCA RK issues them (`RSA256_….p12`): the legacy format
//! with a 3DES key bag, an RC2-40 certificate bag and a SHA-1 MAC loads as well as AES ones.
//!
//! The `rsa` crate carries advisory RUSTSEC-2023-0071 (a timing side channel in decryption and
//! signing): acceptable here, where the key signs on the official's own computer and nobody
//! else can time it over a network. README says so.

use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use rsa::RsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::Certificate;
use x509_cert::der::Decode;

use super::{EdsError, Signer, SignerCert, cms};

/// An RSA key and its certificate from a key file, held while the official signs.
pub struct Pkcs12Signer {
    key: RsaPrivateKey,
    certificate: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for Pkcs12Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkcs12Signer")
            .field("certificate", &self.signer().name)
            .finish_non_exhaustive()
    }
}

impl Pkcs12Signer {
    /// Opens the key file with its password.
    pub fn open(bytes: &[u8], password: &str) -> Result<Self, EdsError> {
        let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).map_err(
            |e| match e {
                // A wrong password fails the MAC, or shows as bad padding of the decrypted bags.
                p12_keystore::error::Error::MacError(_)
                | p12_keystore::error::Error::UnpadError => EdsError::WrongPassword,
                other => EdsError::KeyFile(other.to_string()),
            },
        )?;
        let Some((_, chain)) = store.private_key_chain() else {
            return Err(EdsError::NoKey);
        };
        let mut certs = chain.certs().iter().map(|c| {
            Certificate::from_der(c.as_der()).map_err(|e| EdsError::KeyFile(e.to_string()))
        });
        let certificate = certs.next().ok_or(EdsError::NoKey)??;
        let rest = certs.collect::<Result<Vec<_>, _>>()?;
        let key = RsaPrivateKey::from_pkcs8_der(chain.key().as_der())
            .map_err(|_| EdsError::UnsupportedKey)?;
        Ok(Self {
            key,
            certificate,
            chain: rest,
        })
    }

    /// Whose key this is.
    pub fn signer(&self) -> SignerCert {
        SignerCert::from_certificate(&self.certificate)
    }
}

impl Signer for Pkcs12Signer {
    fn sign(&mut self, items: &[&[u8]]) -> Result<Vec<Vec<u8>>, EdsError> {
        items
            .iter()
            .map(|item| cms::sign_detached(&self.key, &self.certificate, &self.chain, item))
            .collect()
    }
}
