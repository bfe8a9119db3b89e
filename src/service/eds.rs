//! The result of the service as an electronic document signed with EDS (R§13).
//!
//! Signing a certificate or a refusal: the PDF is drawn as for print, signed in place (PAdES,
//! `adbe.pkcs7.detached`), and the signed file is signed once more as a whole into a detached
//! `.cms` — the pair an official uploads to the portal and that Kazakh checkers (ezsigner)
//! read. Both are stored content-addressed with the signer's name, IIN, certificate serial and
//! validity and the time, with an audit row; signing again adds a row and keeps the history.
//!
//! The official's key is used between two transactions: NCALayer may wait minutes for a
//! password, and the database is not held locked meanwhile.

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

use super::printing::{certificate_document, refusal_document};
use super::{Result, ServiceError, Session, audit};
use crate::domain::eds::{self as rules, Findings, SignedKind, Verdict};
use crate::domain::roles::Action;
use crate::eds::{SignerCert, cms, pades};
use crate::store::signed::{self, NewSigned, SignedRow};
use crate::store::{Store, to_hex};

pub use crate::eds::ncalayer::DEFAULT_URL as NCALAYER_URL;
pub use crate::eds::{EdsError, Signer};
pub use crate::store::signed::SignedRow as SignedDocument;

/// How the official will sign: NCALayer at an address, or a key file's bytes and password.
#[derive(Clone, PartialEq, Eq)]
pub enum SignerSpec {
    NcaLayer {
        url: String,
        /// NCALayer's window language: `ru` or `kk`.
        locale: String,
    },
    KeyFile {
        bytes: Vec<u8>,
        password: String,
    },
}

impl std::fmt::Debug for SignerSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NcaLayer { url, locale } => write!(f, "NcaLayer({url}, {locale})"),
            Self::KeyFile { bytes, .. } => write!(f, "KeyFile({} bytes)", bytes.len()),
        }
    }
}

/// NCALayer's address: `SPRAVKA_NCALAYER_URL` when set (a workstation where NCALayer listens
/// elsewhere on this computer), else `wss://127.0.0.1:13579`.
pub fn ncalayer_url() -> String {
    std::env::var("SPRAVKA_NCALAYER_URL")
        .ok()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| NCALAYER_URL.to_string())
}

/// Opens the signer: checks NCALayer's address (this computer only), or opens the key file
/// with its password (a wrong password is said at once, before anything is drawn).
pub fn open_signer(spec: &SignerSpec) -> Result<(Box<dyn Signer + Send>, Method)> {
    match spec {
        SignerSpec::NcaLayer { url, locale } => Ok((
            Box::new(crate::eds::ncalayer::NcaLayer::new(url, locale)?),
            Method::NcaLayer,
        )),
        SignerSpec::KeyFile { bytes, password } => Ok((
            Box::new(crate::eds::pkcs12::Pkcs12Signer::open(bytes, password)?),
            Method::Pkcs12,
        )),
    }
}

/// A document just signed: its record and the two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    pub row: SignedRow,
    pub pdf: Vec<u8>,
    pub cms: Vec<u8>,
}

/// A result of the service to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A certificate by its number (the original).
    Certificate(String),
    /// The motivated refusal of an application, by the application's id.
    Refusal(i64),
}

/// How the official signs: recorded with the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    NcaLayer,
    Pkcs12,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Self::NcaLayer => "ncalayer",
            Self::Pkcs12 => "pkcs12",
        }
    }
}

impl From<EdsError> for ServiceError {
    fn from(e: EdsError) -> Self {
        ServiceError::Eds(e)
    }
}

struct Drawn {
    kind: SignedKind,
    application_id: i64,
    certificate_id: Option<i64>,
    number: String,
    pdf: Vec<u8>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// The reason written into the signature dictionary.
fn reason(kind: SignedKind, number: &str) -> String {
    match kind {
        SignedKind::Certificate => format!("Справка № {number}"),
        SignedKind::Refusal => format!("Мотивированный отказ по заявлению № {number}"),
    }
}

/// Checks that a signature just made signs `content` and names its signer.
fn made_for(content: &[u8], signature: &[u8]) -> Result<SignerCert, EdsError> {
    let parsed = cms::parse(signature)?;
    let checked = parsed.check(content, &[]);
    if checked.digest_matches == Some(false) || checked.signature_verifies == Some(false) {
        return Err(EdsError::SignatureMismatch);
    }
    Ok(checked.signer)
}

/// Signs the given results with one signer (one NCALayer session or one opened key file):
/// every PDF in one call, then every detached CMS in a second. `progress` gets (done, total)
/// as documents are drawn and stored. R§13: the signatory only.
pub fn sign_documents(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    targets: &[Target],
    signer: &mut dyn Signer,
    method: Method,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Signed>> {
    session.require(Action::SignElectronically)?;
    if !rules::may_sign(&session.roles) {
        return Err(ServiceError::Forbidden(Action::SignElectronically));
    }
    let total = targets.len() * 2;
    progress(0, total);
    // 1. Draw the documents (the QR code's key may be created on first use: a write).
    let drawn: Vec<Drawn> = store.write(|tx| {
        targets
            .iter()
            .map(|target| match target {
                Target::Certificate(number) => {
                    let (certificate, pdf) = certificate_document(tx, session, now, number)?;
                    Ok(Drawn {
                        kind: SignedKind::Certificate,
                        application_id: certificate.application_id,
                        certificate_id: Some(certificate.id),
                        number: certificate.number,
                        pdf,
                    })
                }
                Target::Refusal(application_id) => {
                    let (number, pdf) = refusal_document(tx, *application_id)?;
                    Ok(Drawn {
                        kind: SignedKind::Refusal,
                        application_id: *application_id,
                        certificate_id: None,
                        number,
                        pdf,
                    })
                }
            })
            .collect::<Result<Vec<_>>>()
    })?;
    // 2. The signature fields, then one signing of every PDF.
    let prepared = drawn
        .iter()
        .map(|d| pades::prepare(&d.pdf, &reason(d.kind, &d.number), now))
        .collect::<Result<Vec<_>, _>>()?;
    let covered: Vec<Vec<u8>> = prepared.iter().map(pades::Prepared::covered).collect();
    let refs: Vec<&[u8]> = covered.iter().map(Vec::as_slice).collect();
    let signatures = signer.sign(&refs)?;
    if signatures.len() != drawn.len() {
        return Err(EdsError::SignatureMismatch.into());
    }
    let mut signed_pdfs = Vec::with_capacity(drawn.len());
    let mut signers = Vec::with_capacity(drawn.len());
    for (i, (prepared, signature)) in prepared.into_iter().zip(&signatures).enumerate() {
        signers.push(made_for(&covered[i], signature)?);
        signed_pdfs.push(pades::embed(prepared, signature)?);
        progress(i + 1, total);
    }
    // 3. The detached CMS of each whole signed file.
    let refs: Vec<&[u8]> = signed_pdfs.iter().map(Vec::as_slice).collect();
    let detached = signer.sign(&refs)?;
    if detached.len() != drawn.len() {
        return Err(EdsError::SignatureMismatch.into());
    }
    for ((pdf, cms_bytes), first) in signed_pdfs.iter().zip(&detached).zip(&signers) {
        let second = made_for(pdf, cms_bytes)?;
        if second.serial != first.serial || second.issuer != first.issuer {
            return Err(EdsError::SignatureMismatch.into());
        }
    }
    // 4. Store and record.
    let rows = store.write(|tx| {
        let mut rows = Vec::with_capacity(drawn.len());
        for (i, d) in drawn.iter().enumerate() {
            let pdf_sha = sha256_hex(&signed_pdfs[i]);
            let cms_sha = sha256_hex(&detached[i]);
            signed::store_file(tx, &pdf_sha, "application/pdf", &signed_pdfs[i])?;
            signed::store_file(tx, &cms_sha, "application/pkcs7-signature", &detached[i])?;
            let s = &signers[i];
            let id = signed::insert(
                tx,
                &NewSigned {
                    kind: d.kind,
                    application_id: d.application_id,
                    certificate_id: d.certificate_id,
                    number: &d.number,
                    pdf_sha256: &pdf_sha,
                    cms_sha256: &cms_sha,
                    signer_name: &s.name,
                    signer_iin: s.iin.as_deref(),
                    cert_serial: &s.serial,
                    cert_issuer: &s.issuer,
                    cert_not_before: s.not_before,
                    cert_not_after: s.not_after,
                    algorithm: s.algorithm,
                    method: method.code(),
                    signed_at: now,
                    signed_by: session.user_id,
                },
            )?;
            let record = match d.certificate_id {
                Some(certificate_id) => format!("certificate:{certificate_id}"),
                None => format!("application:{}", d.application_id),
            };
            // Personal data last: the signer's name; the IIN is not logged.
            audit(
                tx,
                session,
                now,
                match d.kind {
                    SignedKind::Certificate => "sign_certificate",
                    SignedKind::Refusal => "sign_refusal",
                },
                &record,
                &format!(
                    "{} {} serial {} pdf sha256 {pdf_sha} cms sha256 {cms_sha} signer {}",
                    d.number,
                    method.code(),
                    s.serial,
                    s.name
                ),
            )?;
            rows.push(id);
            progress(drawn.len() + i + 1, total);
        }
        let mut out = Vec::with_capacity(rows.len());
        for (d, id) in drawn.iter().zip(&rows) {
            let found = signed::of_application(tx, d.application_id)?;
            if let Some(row) = found.into_iter().find(|r| r.id == *id) {
                out.push(row);
            }
        }
        Ok::<_, ServiceError>(out)
    })?;
    Ok(rows
        .into_iter()
        .zip(signed_pdfs)
        .zip(detached)
        .map(|((row, pdf), cms)| Signed { row, pdf, cms })
        .collect())
}

/// The signings of an application's results, newest first (the application view).
pub fn signed_documents(
    store: &Store,
    session: &Session,
    application_id: i64,
) -> Result<Vec<SignedRow>> {
    session.require(Action::ViewPersonalData)?;
    store.read(|tx| Ok(signed::of_application(tx, application_id)?))
}

/// A stored signed PDF or CMS of an application, to save for upload to the portal; recorded.
pub fn signed_file(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    sha256: &str,
) -> Result<Vec<u8>> {
    session.require(Action::ViewPersonalData)?;
    store.write(|tx| {
        let belongs = signed::of_application(tx, application_id)?
            .iter()
            .any(|r| r.pdf_sha256 == sha256 || r.cms_sha256 == sha256);
        let content = if belongs {
            signed::file(tx, sha256)?
        } else {
            None
        };
        let Some(content) = content else {
            return Err(ServiceError::NotFound {
                what: "signed file",
                id: sha256.into(),
            });
        };
        audit(
            tx,
            session,
            now,
            "save_signed_file",
            &format!("application:{application_id}"),
            &format!("sha256 {sha256}"),
        )?;
        Ok(content)
    })
}

/// Adds a root certificate (an NCA RK root) to those a signature is checked against.
/// Returns how many certificates of the file were new.
pub fn add_trusted_roots(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    file: &[u8],
) -> Result<usize> {
    session.require(Action::ManageBody)?;
    let certificates = crate::eds::read_certificates(file)?;
    store.write(|tx| {
        let mut added = 0;
        for cert in &certificates {
            let der = cert
                .to_der()
                .map_err(|e| EdsError::TrustFile(e.to_string()))?;
            let sha = sha256_hex(&der);
            let subject = cert.tbs_certificate.subject.to_string();
            if signed::add_root(tx, &sha, &subject, &der, session.user_id, now)? {
                audit(
                    tx,
                    session,
                    now,
                    "add_trusted_root",
                    "trusted_roots",
                    &format!("{subject} sha256 {sha}"),
                )?;
                added += 1;
            }
        }
        Ok(added)
    })
}

/// The root certificates signatures are checked against: subject and when added.
pub fn trusted_roots(store: &Store, session: &Session) -> Result<Vec<(String, NaiveDateTime)>> {
    session.require(Action::ManageBody)?;
    store.read(|tx| Ok(signed::root_subjects(tx)?))
}

/// Whether a checked PDF is the one stored for its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    /// The newest signed document of this number, as stored.
    Current {
        kind: SignedKind,
        number: String,
        signed_at: NaiveDateTime,
    },
    /// Stored, but signed again since: the newer one is in force.
    Older {
        kind: SignedKind,
        number: String,
        newer_at: NaiveDateTime,
    },
    /// Not a file this database signed (changed, or signed elsewhere).
    NotStored,
}

/// One signature of a checked PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    pub verdict: Verdict,
    pub findings: Findings,
    pub signer: SignerCert,
    pub signing_time: Option<NaiveDateTime>,
}

/// The check of a PDF: each signature, and the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfCheck {
    pub signatures: Vec<SignatureCheck>,
    pub stored: Stored,
}

impl PdfCheck {
    /// The verdict of the signature that covers the whole file (the last one), or `Invalid`
    /// when none does.
    pub fn verdict(&self) -> Verdict {
        self.signatures
            .iter()
            .rev()
            .find(|s| s.findings.covers_whole_file)
            .map_or(Verdict::Invalid, |s| s.verdict)
    }
}

/// Checks the signatures of a PDF against the trusted roots of the database and `extra_roots`
/// (PEM or DER files' contents), and whether it is the document stored for its number. Needs
/// no sign-in: anyone may check a document (like `verify`).
pub fn verify_pdf(store: &Store, pdf: &[u8], extra_roots: &[Vec<u8>]) -> Result<PdfCheck> {
    let found = pades::signatures(pdf);
    if found.is_empty() {
        return Err(EdsError::NoSignature.into());
    }
    let mut trusted: Vec<Certificate> = Vec::new();
    for file in extra_roots {
        trusted.extend(crate::eds::read_certificates(file)?);
    }
    let sha = sha256_hex(pdf);
    let (stored_roots, same) = store.read(|tx| {
        let roots = signed::roots(tx)?;
        let same = signed::by_pdf(tx, &sha)?;
        Ok::<_, ServiceError>((roots, same))
    })?;
    for der in stored_roots {
        if let Ok(cert) = Certificate::from_der(&der) {
            trusted.push(cert);
        }
    }
    let mut signatures = Vec::with_capacity(found.len());
    for f in &found {
        let parsed = cms::parse(&f.cms)?;
        let checked = parsed.check(&f.covered(pdf), &trusted);
        let findings = Findings {
            covers_whole_file: f.covers_whole_file,
            algorithm: checked.algorithm,
            digest_matches: checked.digest_matches,
            signature_verifies: checked.signature_verifies,
            chain: checked.chain,
            within_validity: checked.within_validity,
        };
        signatures.push(SignatureCheck {
            verdict: rules::verdict(&findings),
            findings,
            signer: checked.signer,
            signing_time: checked.signing_time,
        });
    }
    let stored = match same.first() {
        None => Stored::NotStored,
        Some(row) => {
            let newest =
                store.read(|tx| Ok::<_, ServiceError>(signed::by_number(tx, &row.number)?))?;
            match newest.first() {
                Some(n) if n.pdf_sha256 != row.pdf_sha256 && n.kind == row.kind => Stored::Older {
                    kind: row.kind,
                    number: row.number.clone(),
                    newer_at: n.signed_at,
                },
                _ => Stored::Current {
                    kind: row.kind,
                    number: row.number.clone(),
                    signed_at: row.signed_at,
                },
            }
        }
    };
    Ok(PdfCheck { signatures, stored })
}

/// The results of the given applications that can be signed (R§13): each application's valid
/// original certificates and, for a refused one, its refusal; with the number to name it by.
pub fn targets_of(
    store: &Store,
    session: &Session,
    application_ids: &[i64],
) -> Result<Vec<(Target, String)>> {
    session.require(Action::SignElectronically)?;
    store.read(|tx| {
        let mut out = Vec::new();
        for id in application_ids {
            for certificate in crate::store::certificates::valid_of_application(tx, *id)? {
                let record = crate::store::certificates::load(tx, certificate)?;
                if record.duplicate_of.is_none() {
                    out.push((Target::Certificate(record.number.clone()), record.number));
                }
            }
            let refused = crate::store::decisions::of_application(tx, *id)?
                .is_some_and(|d| d.outcome == crate::store::decisions::Outcome::Refuse);
            if refused {
                let app = crate::store::applications::load(tx, *id)?;
                out.push((Target::Refusal(*id), app.number));
            }
        }
        Ok(out)
    })
}
