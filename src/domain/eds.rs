//! The result of the service as an electronic document signed with EDS (R§13): who may sign,
//! what may be signed, what an NCA certificate says about its holder, and how a check of a
//! signature is summed up. No cryptography here: `crate::eds` computes, this module judges.

use super::roles::{Action, Role};
use super::status::CertificateStatus;

/// R§13: the result goes to the applicant "signed with the EDS of the authorised person of the
/// local executive body" — the signatory, whose name stands on the certificate. Nobody else
/// signs, not even the officer who issued it.
pub fn may_sign(roles: &[Role]) -> bool {
    roles.iter().any(|r| r.may(Action::SignElectronically))
}

/// What is signed: the two results of the service (R§13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignedKind {
    /// The certificate (Appendix 3).
    Certificate,
    /// The motivated refusal (R§12, A2.9).
    Refusal,
}

impl SignedKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Certificate => "certificate",
            Self::Refusal => "refusal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "certificate" => Some(Self::Certificate),
            "refusal" => Some(Self::Refusal),
            _ => None,
        }
    }
}

/// Why a certificate cannot be signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSignable {
    /// Revoked, expired or superseded: it is no longer the result of the service (R§13, R§21).
    NotValid(CertificateStatus),
}

/// R§13: only a certificate in force is a result to deliver; a revoked, expired or superseded
/// one is not signed (a duplicate is signed as its own document, like its print).
pub fn certificate_signable(status: CertificateStatus) -> Result<(), NotSignable> {
    match status {
        CertificateStatus::Valid => Ok(()),
        other => Err(NotSignable::NotValid(other)),
    }
}

/// The IIN that NCA RK puts into a certificate's subject serialNumber (`IIN` and 12 digits);
/// `None` for anything else (a BIN of an organisation's key is `BIN…` in OU).
pub fn iin_from_serial_number(serial_number: &str) -> Option<&str> {
    let digits = serial_number.trim().strip_prefix("IIN")?;
    (digits.len() == 12 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The key algorithm family of a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Rsa,
    /// GOST 34.10 (NCA keys since 2024): this build cannot check it.
    Gost,
    Other,
}

/// Whether the signer's certificate leads to a root the administrator trusts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chain {
    Trusted,
    NotTrusted,
    /// A link of the chain uses an algorithm this build cannot check.
    CannotCheck,
}

/// What a check of one signature found (filled by `crate::eds::verify`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// The signed byte ranges cover the whole file except the signature itself.
    pub covers_whole_file: bool,
    pub algorithm: Algorithm,
    /// The digest of the covered bytes equals the signed messageDigest (`None`: not checked).
    pub digest_matches: Option<bool>,
    /// The signature over the signed attributes verifies with the signer's key.
    pub signature_verifies: Option<bool>,
    pub chain: Chain,
    /// The signing time lies within the signer certificate's validity.
    pub within_validity: bool,
}

/// The verdict a person reads first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Intact, covers the file, signed within validity by a certificate of a trusted root.
    Valid,
    /// Intact and within validity, but the root is not trusted here.
    ValidNotTrusted,
    /// An algorithm this build cannot check (GOST): neither valid nor invalid.
    CannotCheck,
    /// Changed after signing, partly covered, or a signature that does not verify.
    Invalid,
}

/// R§13 and the "never reported valid" rule: a signature is valid only when every
/// check was made and passed; what could not be checked is never valid.
pub fn verdict(f: &Findings) -> Verdict {
    if f.digest_matches == Some(false) || f.signature_verifies == Some(false) {
        return Verdict::Invalid;
    }
    if !f.covers_whole_file || !f.within_validity {
        return Verdict::Invalid;
    }
    if f.algorithm != Algorithm::Rsa
        || f.digest_matches.is_none()
        || f.signature_verifies.is_none()
        || f.chain == Chain::CannotCheck
    {
        return Verdict::CannotCheck;
    }
    match f.chain {
        Chain::Trusted => Verdict::Valid,
        Chain::NotTrusted | Chain::CannotCheck => Verdict::ValidNotTrusted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Findings {
        Findings {
            covers_whole_file: true,
            algorithm: Algorithm::Rsa,
            digest_matches: Some(true),
            signature_verifies: Some(true),
            chain: Chain::Trusted,
            within_validity: true,
        }
    }

    #[test]
    fn only_the_signatory_signs() {
        // R§13: the EDS of the authorised person of the local executive body.
        assert!(may_sign(&[Role::Signatory]));
        for role in [Role::Officer, Role::Secretary, Role::Member, Role::Admin] {
            assert!(!may_sign(&[role]), "{role}");
        }
        assert!(may_sign(&[Role::Officer, Role::Signatory]));
    }

    #[test]
    fn only_a_certificate_in_force_is_signed() {
        // R§13: the result delivered is the certificate in force; R§21: a revoked one is not.
        assert_eq!(certificate_signable(CertificateStatus::Valid), Ok(()));
        assert_eq!(
            certificate_signable(CertificateStatus::Revoked),
            Err(NotSignable::NotValid(CertificateStatus::Revoked))
        );
    }

    #[test]
    fn the_iin_comes_from_the_subject_serial_number() {
        // R§13: the signer is named with the IIN that NCA RK writes as `IIN…`.
        assert_eq!(
            iin_from_serial_number("IIN871008401427"),
            Some("871008401427")
        );
        assert_eq!(iin_from_serial_number("BIN123456789012"), None);
        assert_eq!(iin_from_serial_number("IIN8710"), None);
        assert_eq!(iin_from_serial_number("IIN87100840142X"), None);
    }

    #[test]
    fn gost_is_never_valid() {
        // R§13 as built here: an algorithm this build cannot check is said as such.
        let gost = Findings {
            algorithm: Algorithm::Gost,
            digest_matches: None,
            signature_verifies: None,
            chain: Chain::CannotCheck,
            ..good()
        };
        assert_eq!(verdict(&gost), Verdict::CannotCheck);
        assert_eq!(verdict(&good()), Verdict::Valid);
    }

    #[test]
    fn one_failed_check_makes_it_invalid_or_untrusted() {
        // R§13: a changed document or a partial signature is not the signed result.
        let changed = Findings {
            digest_matches: Some(false),
            ..good()
        };
        assert_eq!(verdict(&changed), Verdict::Invalid);
        let partial = Findings {
            covers_whole_file: false,
            ..good()
        };
        assert_eq!(verdict(&partial), Verdict::Invalid);
        let untrusted = Findings {
            chain: Chain::NotTrusted,
            ..good()
        };
        assert_eq!(verdict(&untrusted), Verdict::ValidNotTrusted);
        let expired = Findings {
            within_validity: false,
            ..good()
        };
        assert_eq!(verdict(&expired), Verdict::Invalid);
    }
}
