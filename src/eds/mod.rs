//! Electronic signatures with EDS (ЭЦП) of NCA RK keys (R§13): a PDF signed in place (PAdES,
//! [`pades`]), a detached CMS beside it ([`cms`]), and the two ways an official signs, behind
//! one [`Signer`]: NCALayer ([`ncalayer`]) or a PKCS#12 key file ([`pkcs12`]).
//!
//! The rules (who signs, what a check amounts to) are in `crate::domain::eds`; this module
//! only computes.

pub mod cms;
pub mod ncalayer;
pub mod pades;
pub mod pkcs12;

use chrono::NaiveDateTime;
use x509_cert::Certificate;
use x509_cert::der::{Decode, DecodePem};

use crate::domain::eds::{Algorithm, iin_from_serial_number};

/// Signs bytes: each item in, one detached CMS (DER) out, in the same order. Several items go
/// in one call so that a batch costs the official one password, not one per document.
pub trait Signer {
    fn sign(&mut self, items: &[&[u8]]) -> Result<Vec<Vec<u8>>, EdsError>;
}

/// Why signing or reading a signature failed. Each is shown in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EdsError {
    /// Nothing answers at the NCALayer address: not installed, or not started.
    #[error("NCALayer does not answer at {url}: it is not installed or not running")]
    NcaLayerUnreachable { url: String },
    /// Something answers there, but not as NCALayer does.
    #[error("the program at {url} does not answer as NCALayer: {detail}")]
    NcaLayerProtocol { url: String, detail: String },
    /// The official closed NCALayer's window or pressed «Отмена».
    #[error("signing was cancelled in NCALayer")]
    Cancelled,
    /// NCALayer refused, with its own code and message.
    #[error("NCALayer refused: {code} {message}")]
    NcaLayerRefused { code: String, message: String },
    /// The NCALayer address must be this computer.
    #[error("the NCALayer address must be on this computer: {0}")]
    NotLocal(String),
    #[error("the key file cannot be read: {0}")]
    KeyFile(String),
    #[error("wrong password for the key file")]
    WrongPassword,
    #[error("the key file holds no key with its certificate")]
    NoKey,
    /// A GOST (or other non-RSA) key in a file: only NCALayer signs with those here.
    #[error("this build signs key files with RSA keys only; sign GOST keys through NCALayer")]
    UnsupportedKey,
    #[error("the signature is malformed: {0}")]
    Malformed(String),
    #[error("the CMS does not carry the signer's certificate")]
    NoSignerCertificate,
    /// What came back does not verify against what was sent (a wrong answer, another document).
    #[error("the returned signature does not match the document")]
    SignatureMismatch,
    #[error("the PDF cannot be signed or read: {0}")]
    Pdf(String),
    #[error("the file has no signature")]
    NoSignature,
    #[error("a certificate file cannot be read: {0}")]
    TrustFile(String),
}

/// The signer's certificate as stored and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerCert {
    /// CN, with the given name (patronymic) when the certificate has one: «ҚАСЫМОВ АЙДАР
    /// СЕРІКҰЛЫ».
    pub name: String,
    /// From the subject's serialNumber `IIN…` (NCA RK).
    pub iin: Option<String>,
    /// The certificate's serial number in hex.
    pub serial: String,
    pub not_before: NaiveDateTime,
    pub not_after: NaiveDateTime,
    pub algorithm: Algorithm,
    /// The issuer's CN.
    pub issuer: String,
}

const CN: &str = "2.5.4.3";
const SERIAL_NUMBER: &str = "2.5.4.5";
const GIVEN_NAME: &str = "2.5.4.42";

/// The first value of an attribute of a name, as text.
fn name_part(name: &x509_cert::name::Name, oid: &str) -> Option<String> {
    name.0.iter().flat_map(|rdn| rdn.0.iter()).find_map(|atv| {
        (atv.oid.to_string() == oid)
            .then(|| String::from_utf8_lossy(atv.value.value()).into_owned())
    })
}

impl SignerCert {
    pub fn from_certificate(cert: &Certificate) -> Self {
        let tbs = &cert.tbs_certificate;
        let cn = name_part(&tbs.subject, CN).unwrap_or_default();
        let name = match name_part(&tbs.subject, GIVEN_NAME) {
            Some(given) if !given.is_empty() && !cn.contains(&given) => format!("{cn} {given}"),
            _ => cn,
        };
        let iin = name_part(&tbs.subject, SERIAL_NUMBER)
            .as_deref()
            .and_then(iin_from_serial_number)
            .map(str::to_string);
        let validity = &tbs.validity;
        let algorithm = match tbs.subject_public_key_info.algorithm.oid.to_string() {
            oid if oid == "1.2.840.113549.1.1.1" => Algorithm::Rsa,
            oid if oid.starts_with("1.2.643.") || oid.starts_with("1.2.398.3.10.") => {
                Algorithm::Gost
            }
            _ => Algorithm::Other,
        };
        Self {
            name,
            iin,
            serial: crate::store::to_hex(tbs.serial_number.as_bytes()),
            not_before: cms::utc(validity.not_before.to_unix_duration()).unwrap_or_default(),
            not_after: cms::utc(validity.not_after.to_unix_duration()).unwrap_or_default(),
            algorithm,
            issuer: name_part(&tbs.issuer, CN).unwrap_or_default(),
        }
    }
}

/// Certificates from a PEM (one or several) or DER file: the roots an administrator trusts.
pub fn read_certificates(bytes: &[u8]) -> Result<Vec<Certificate>, EdsError> {
    if let Ok(text) = std::str::from_utf8(bytes)
        && text.contains("-----BEGIN CERTIFICATE-----")
    {
        let mut out = Vec::new();
        for block in text.split_inclusive("-----END CERTIFICATE-----") {
            let Some(start) = block.find("-----BEGIN CERTIFICATE-----") else {
                continue;
            };
            let cert = Certificate::from_pem(&block[start..])
                .map_err(|e| EdsError::TrustFile(e.to_string()))?;
            out.push(cert);
        }
        return Ok(out);
    }
    Certificate::from_der(bytes)
        .map(|c| vec![c])
        .map_err(|e| EdsError::TrustFile(e.to_string()))
}
