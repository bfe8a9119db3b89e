//! Detached CMS (RFC 5652) signatures: made with an RSA key (the PKCS#12 signer) and checked
//! (any signer: this program's, NCALayer's, another system's).

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use cms::builder::{SignedDataBuilder, SignerInfoBuilder, create_signing_time_attribute};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo};
use rsa::pkcs1v15::{Pkcs1v15Sign, SigningKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::der::asn1::{ObjectIdentifier as Oid, OctetString, SetOfVec};
use x509_cert::der::oid::db::rfc5911::{
    ID_CONTENT_TYPE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME,
};
use x509_cert::der::{Any, Decode, Encode};
use x509_cert::spki::AlgorithmIdentifierOwned;

use super::{EdsError, SignerCert};
use crate::domain::eds::{Algorithm, Chain};

pub(crate) const SHA256: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: Oid = Oid::new_unwrap("2.16.840.1.101.3.4.2.3");
const RSA_ENCRYPTION: Oid = Oid::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: Oid = Oid::new_unwrap("1.2.840.113549.1.1.13");
/// id-aa-signingCertificateV2 (RFC 5035), which CAdES asks for.
const SIGNING_CERTIFICATE_V2: Oid = Oid::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// The hash functions this build can compute, by OID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    fn from_oid(oid: Oid) -> Option<Self> {
        match oid {
            o if o == SHA256 => Some(Self::Sha256),
            o if o == SHA384 => Some(Self::Sha384),
            o if o == SHA512 => Some(Self::Sha512),
            _ => None,
        }
    }

    fn from_rsa_signature(oid: Oid) -> Option<Self> {
        match oid {
            o if o == SHA256_WITH_RSA => Some(Self::Sha256),
            o if o == SHA384_WITH_RSA => Some(Self::Sha384),
            o if o == SHA512_WITH_RSA => Some(Self::Sha512),
            _ => None,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => Sha256::digest(data).to_vec(),
            Self::Sha384 => Sha384::digest(data).to_vec(),
            Self::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn padding(self) -> Pkcs1v15Sign {
        match self {
            Self::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Self::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Self::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

/// GOST R 34.10/34.11 (Russian and Kazakh OIDs): NCA keys since 2024.
fn is_gost(oid: &Oid) -> bool {
    let text = oid.to_string();
    text.starts_with("1.2.643.") || text.starts_with("1.2.398.3.10.")
}

fn algorithm_of(oid: &Oid) -> Algorithm {
    if *oid == RSA_ENCRYPTION || Hash::from_rsa_signature(*oid).is_some() {
        Algorithm::Rsa
    } else if is_gost(oid) {
        Algorithm::Gost
    } else {
        Algorithm::Other
    }
}

fn der_error(e: impl std::fmt::Display) -> EdsError {
    EdsError::Malformed(e.to_string())
}

/// A detached CMS over `content`: SHA-256, RSA PKCS#1 v1.5, with contentType, messageDigest,
/// signingTime and signingCertificateV2 signed, and the signer's certificate (and the chain
/// the key file carries) included.
pub fn sign_detached(
    key: &RsaPrivateKey,
    certificate: &Certificate,
    chain: &[Certificate],
    content: &[u8],
) -> Result<Vec<u8>, EdsError> {
    let digest = Sha256::digest(content);
    let signer = SigningKey::<Sha256>::new(key.clone());
    let content_info = EncapsulatedContentInfo {
        econtent_type: ID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: certificate.tbs_certificate.issuer.clone(),
        serial_number: certificate.tbs_certificate.serial_number.clone(),
    });
    let digest_algorithm = AlgorithmIdentifierOwned {
        oid: SHA256,
        parameters: None,
    };
    let mut info = SignerInfoBuilder::new(
        &signer,
        sid,
        digest_algorithm.clone(),
        &content_info,
        Some(&digest),
    )
    .map_err(der_error)?;
    // The signing time is the computer's clock: the moment of the signature, which a checker
    // compares with the certificate's validity (the service's own date is stored beside it).
    info.add_signed_attribute(create_signing_time_attribute().map_err(der_error)?)
        .map_err(der_error)?;
    info.add_signed_attribute(signing_certificate_v2(certificate)?)
        .map_err(der_error)?;
    let mut builder = SignedDataBuilder::new(&content_info);
    builder
        .add_digest_algorithm(digest_algorithm)
        .map_err(der_error)?
        .add_certificate(CertificateChoices::Certificate(certificate.clone()))
        .map_err(der_error)?;
    for extra in chain {
        builder
            .add_certificate(CertificateChoices::Certificate(extra.clone()))
            .map_err(der_error)?;
    }
    builder
        .add_signer_info::<_, rsa::pkcs1v15::Signature>(info)
        .map_err(der_error)?;
    builder
        .build()
        .map_err(der_error)?
        .to_der()
        .map_err(der_error)
}

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 } with one ESSCertIDv2
/// { certHash OCTET STRING } (hashAlgorithm left at its default, SHA-256).
fn signing_certificate_v2(certificate: &Certificate) -> Result<Attribute, EdsError> {
    let hash = Sha256::digest(certificate.to_der().map_err(der_error)?);
    let mut der = vec![0x30, 38, 0x30, 36, 0x30, 34, 0x04, 32];
    der.extend_from_slice(&hash);
    let value = Any::from_der(&der).map_err(der_error)?;
    let mut values = SetOfVec::new();
    values.insert(value).map_err(der_error)?;
    Ok(Attribute {
        oid: SIGNING_CERTIFICATE_V2,
        values,
    })
}

/// A parsed detached CMS: its signer and what is needed to check it.
pub struct Parsed {
    signed_data: SignedData,
    signer_info: SignerInfo,
    /// The signer's certificate, found in the CMS by the signer identifier.
    pub certificate: Certificate,
}

/// Reads a CMS SignedData with one signer whose certificate it carries.
pub fn parse(der: &[u8]) -> Result<Parsed, EdsError> {
    // A /Contents placeholder is zero-padded after the DER.
    let info = ContentInfo::from_der(trim_padding(der)?).map_err(der_error)?;
    if info.content_type != ID_SIGNED_DATA {
        return Err(EdsError::Malformed("not a CMS SignedData".into()));
    }
    let signed_data: SignedData = info.content.decode_as().map_err(der_error)?;
    let signer_info = signed_data
        .signer_infos
        .0
        .iter()
        .next()
        .cloned()
        .ok_or_else(|| EdsError::Malformed("the CMS has no signer".into()))?;
    let certificate = certificates(&signed_data)
        .into_iter()
        .find(|c| identifies(&signer_info.sid, c))
        .ok_or(EdsError::NoSignerCertificate)?;
    Ok(Parsed {
        signed_data,
        signer_info,
        certificate,
    })
}

/// The DER value at the start of `bytes` (its header says how long it is).
fn trim_padding(bytes: &[u8]) -> Result<&[u8], EdsError> {
    let mut reader = x509_cert::der::SliceReader::new(bytes).map_err(der_error)?;
    let header = x509_cert::der::Header::decode(&mut reader).map_err(der_error)?;
    let header_len = usize::try_from(header.encoded_len().map_err(der_error)?).unwrap_or(0);
    let body_len = usize::try_from(header.length).unwrap_or(usize::MAX);
    let end = header_len.saturating_add(body_len);
    bytes
        .get(..end)
        .ok_or_else(|| EdsError::Malformed("the CMS is cut short".into()))
}

fn certificates(signed_data: &SignedData) -> Vec<Certificate> {
    signed_data
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    CertificateChoices::Certificate(cert) => Some(cert.clone()),
                    CertificateChoices::Other(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

fn identifies(sid: &SignerIdentifier, cert: &Certificate) -> bool {
    match sid {
        SignerIdentifier::IssuerAndSerialNumber(isn) => {
            isn.issuer == cert.tbs_certificate.issuer
                && isn.serial_number == cert.tbs_certificate.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => {
            use x509_cert::ext::pkix::SubjectKeyIdentifier;
            cert.tbs_certificate
                .extensions
                .iter()
                .flatten()
                .filter(|e| {
                    e.extn_id == x509_cert::der::oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER
                })
                .filter_map(|e| SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).ok())
                .any(|found| found == *ski)
        }
    }
}

/// What a check of a detached CMS against its content found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub signer: SignerCert,
    pub algorithm: Algorithm,
    pub digest_matches: Option<bool>,
    pub signature_verifies: Option<bool>,
    pub chain: Chain,
    pub signing_time: Option<NaiveDateTime>,
    pub within_validity: bool,
}

impl Parsed {
    /// The signer's certificate as the program shows it.
    pub fn signer(&self) -> SignerCert {
        SignerCert::from_certificate(&self.certificate)
    }

    fn attribute(&self, oid: Oid) -> Option<&Any> {
        self.signer_info
            .signed_attrs
            .as_ref()?
            .iter()
            .find(|a| a.oid == oid)?
            .values
            .iter()
            .next()
    }

    /// The signing time the signer put into the signed attributes (UTC).
    pub fn signing_time(&self) -> Option<NaiveDateTime> {
        let any = self.attribute(ID_SIGNING_TIME)?;
        let time = x509_cert::time::Time::from_der(&any.to_der().ok()?).ok()?;
        utc(time.to_unix_duration())
    }

    /// Checks the signature over `content` and the signer's chain against `trusted` roots.
    pub fn check(&self, content: &[u8], trusted: &[Certificate]) -> Checked {
        let signer = self.signer();
        let key_algorithm = algorithm_of(
            &self
                .certificate
                .tbs_certificate
                .subject_public_key_info
                .algorithm
                .oid,
        );
        let algorithm = match key_algorithm {
            Algorithm::Rsa => algorithm_of(&self.signer_info.signature_algorithm.oid),
            other => other,
        };
        let hash = Hash::from_oid(self.signer_info.digest_alg.oid);
        let digest_matches = hash.and_then(|hash| {
            let expected = self.attribute(ID_MESSAGE_DIGEST)?;
            let expected = OctetString::from_der(&expected.to_der().ok()?).ok()?;
            Some(expected.as_bytes() == hash.digest(content).as_slice())
        });
        let content_type_ok = self
            .attribute(ID_CONTENT_TYPE)
            .and_then(|a| Oid::from_der(&a.to_der().ok()?).ok())
            .is_some_and(|oid| oid == self.signed_data.encap_content_info.econtent_type);
        let signature_verifies = match (algorithm, hash) {
            (Algorithm::Rsa, Some(hash)) => self
                .verify_signed_attributes(hash)
                .map(|ok| ok && content_type_ok),
            _ => None,
        };
        let signing_time = self.signing_time();
        let within_validity =
            signing_time.is_none_or(|t| signer.not_before <= t && t <= signer.not_after);
        let chain = chain_status(&self.certificate, &certificates(&self.signed_data), trusted);
        Checked {
            signer,
            algorithm,
            digest_matches,
            signature_verifies,
            chain,
            signing_time,
            within_validity,
        }
    }

    fn verify_signed_attributes(&self, hash: Hash) -> Option<bool> {
        let attrs = self.signer_info.signed_attrs.as_ref()?;
        let message = attrs.to_der().ok()?;
        let key = public_key(&self.certificate)?;
        Some(
            key.verify(
                hash.padding(),
                &hash.digest(&message),
                self.signer_info.signature.as_bytes(),
            )
            .is_ok(),
        )
    }
}

fn public_key(cert: &Certificate) -> Option<RsaPublicKey> {
    let spki = cert.tbs_certificate.subject_public_key_info.to_der().ok()?;
    RsaPublicKey::from_public_key_der(&spki).ok()
}

/// Whether `issuer` signed `cert` (RSA with SHA-2 only; `None`: cannot check).
fn signed_by(cert: &Certificate, issuer: &Certificate) -> Option<bool> {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return Some(false);
    }
    let hash = Hash::from_rsa_signature(cert.signature_algorithm.oid)?;
    let key = public_key(issuer)?;
    let tbs = cert.tbs_certificate.to_der().ok()?;
    let signature = cert.signature.as_bytes()?;
    Some(
        key.verify(hash.padding(), &hash.digest(&tbs), signature)
            .is_ok(),
    )
}

/// Walks from the signer's certificate through the certificates the CMS carries to one of the
/// trusted roots (at most 8 links).
fn chain_status(leaf: &Certificate, carried: &[Certificate], trusted: &[Certificate]) -> Chain {
    let mut current = leaf.clone();
    let mut cannot_check = false;
    for _ in 0..8 {
        for root in trusted {
            if *root == current {
                return Chain::Trusted;
            }
            match signed_by(&current, root) {
                Some(true) => return Chain::Trusted,
                Some(false) => {}
                None => cannot_check = true,
            }
        }
        let next = carried
            .iter()
            .find(|c| **c != current && signed_by(&current, c) == Some(true));
        match next {
            Some(next) => current = next.clone(),
            None => break,
        }
    }
    if cannot_check || !matches!(algorithm_of(&leaf.signature_algorithm.oid), Algorithm::Rsa) {
        Chain::CannotCheck
    } else {
        Chain::NotTrusted
    }
}

pub(crate) fn utc(since_epoch: Duration) -> Option<NaiveDateTime> {
    let secs = i64::try_from(since_epoch.as_secs()).ok()?;
    DateTime::<Utc>::from_timestamp(secs, 0).map(|t| t.naive_utc())
}
