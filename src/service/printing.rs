//! Printed documents from stored records, each print recorded (SPEC §6), and the verification of
//! a certificate's signed QR code.
//!
//! The QR payload is `S2|key|number|initials|issued|from|to|signature` (see [`qr_code`]); the
//! printed code is the link `https://<the body's verification page>/#<payload>` once the body
//! has set the page's address (issue 19, `domain::verifier`).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, NaiveDateTime};
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};

use super::certificates::{CertificateRecord, CopyKind, record_print_in};
use super::{Result, RuleError, ServiceError, Session, audit, profession};
use crate::domain::kind::ApplicationKind;
use crate::domain::refusal::RefusalGround;
use crate::domain::roles::Action;
use crate::domain::status::CertificateStatus;
use crate::domain::validity;
use crate::domain::verifier;
use crate::print::certificate::{CertificateBatch, CertificateSheet, certificate_pdf, render};
use crate::print::documents::{ApplicationSheet, RefusalSheet, application_pdf, refusal_pdf};
use crate::print::protocol::{ProtocolItem, ProtocolMember, ProtocolSheet, protocol_pdf};
use crate::store::applicants::{self, full_name};
use crate::store::commission::{self, Member, MemberRole, Recommendation};
use crate::store::decisions::{self, Outcome};
use crate::store::keys;
use crate::store::reference;
use crate::store::{Store, Tx, applications, body, certificates as certs, documents};

impl From<crate::print::PrintError> for ServiceError {
    fn from(e: crate::print::PrintError) -> Self {
        RuleError::Invalid(e.to_string()).into()
    }
}

/// A public key that verifies certificates' QR codes, for the administrator's screen and for
/// publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    /// The first 16 hex digits of the SHA-256 of the key: what a QR code names it by.
    pub fingerprint: String,
    pub hex: String,
    /// The signatory's full name; `None` for the body's key of the versions before 12.
    pub holder: Option<String>,
    pub created_on: NaiveDate,
    /// When and why it stopped signing.
    pub retired: Option<(NaiveDate, String)>,
}

/// The public keys that verify certificates, current and retired, newest first.
pub fn public_keys(store: &Store) -> Result<Vec<PublicKeyInfo>> {
    let keys = store.read(keys::public_keys)?;
    Ok(keys
        .into_iter()
        .map(|k| PublicKeyInfo {
            fingerprint: super::keys::fingerprint(&k.public),
            hex: crate::store::to_hex(&k.public),
            holder: (!k.holder.is_empty()).then_some(k.holder),
            created_on: k.created_at.date(),
            retired: k.retired_at.map(|at| (at.date(), k.retired_why)),
        })
        .collect())
}

/// "Қ.А.Н." — the holder's initials, all that the QR code says about the person.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .fold(String::new(), |mut out, c| {
            out.push(c);
            out.push('.');
            out
        })
}

/// What a certificate's QR code says, before the key and the signature: number, the holder's
/// initials, issue date, validity.
fn code_fields(c: &CertificateRecord, holder: &str) -> String {
    format!(
        "{}|{}|{}|{}|{}",
        c.number,
        initials(holder),
        c.issued_on,
        c.valid_from,
        c.valid_to
    )
}

/// The code kept for a certificate, if a signatory's key signed one for these printed fields.
fn kept_code(tx: &Tx<'_>, c: &CertificateRecord, fields: &str) -> Result<Option<String>> {
    Ok(certs::qr_code(tx, c.id)?.filter(|stored| {
        stored
            .rsplit_once('|')
            .and_then(|(signed, _)| signed.strip_prefix("S2|"))
            .and_then(|rest| rest.split_once('|'))
            .is_some_and(|(key, stored_fields)| !key.is_empty() && stored_fields == fields)
    }))
}

/// The signed QR code of a certificate: `S2|key|number|initials|issued|from|to|signature`, the
/// key named by its fingerprint, the signature an ed25519 signature (URL-safe base64) of
/// everything before the last `|`. A code signed earlier is kept with the certificate and used
/// again while the printed fields are the same, so that anyone may print it again; a new code
/// needs the key of a signatory signed in ([`Session::signing_key`]). A preview without a key
/// carries an unsigned code marked as a sample.
fn qr_code(
    tx: &Tx<'_>,
    session: &Session,
    c: &CertificateRecord,
    holder: &str,
    preview: bool,
) -> Result<String> {
    let fields = code_fields(c, holder);
    if let Some(stored) = kept_code(tx, c, &fields)? {
        return Ok(stored);
    }
    let Some(key) = &session.signing_key else {
        if preview {
            return Ok(format!("S2|-|{fields}|ОБРАЗЕЦ"));
        }
        return Err(RuleError::NoSigningKey {
            number: c.number.clone(),
        }
        .into());
    };
    let signed = format!("S2|{}|{fields}", key.fingerprint);
    let signature = URL_SAFE_NO_PAD.encode(key.key.sign(signed.as_bytes()).to_bytes());
    let code = format!("{signed}|{signature}");
    if !preview {
        certs::set_qr_code(tx, c.id, &code)?;
    }
    Ok(code)
}

fn sheet(
    tx: &Tx<'_>,
    session: &Session,
    c: &CertificateRecord,
    preview: bool,
) -> Result<CertificateSheet> {
    let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let profession = profession(tx, c.profession_id)?;
    sheet_of(tx, session, &body, &profession, c, preview)
}

/// A certificate's sheet with its signed QR code ([`qr_code`]).
fn sheet_of(
    tx: &Tx<'_>,
    session: &Session,
    body: &body::Body,
    profession: &reference::ProfessionRow,
    c: &CertificateRecord,
    preview: bool,
) -> Result<CertificateSheet> {
    let applicant = applicants::load(tx, c.applicant_id)?;
    let holder = applicant.full_name();
    let term = printed_term(tx, c)?;
    let code = qr_code(tx, session, c, &holder, preview)?;
    Ok(CertificateSheet {
        body_name: body.name_ru.clone(),
        number: c.number.clone(),
        issued_on: c.issued_on,
        qr: verifier::qr_text(body.verify_address.as_deref(), &code),
        verify_page: body.verify_address.as_deref().map(verifier::page_url),
        holder,
        profession: profession.name.clone(),
        sector: profession.sector.clone(),
        basis: term.basis,
        valid_from: term.from,
        valid_to: term.to,
        signatory_name: body.signatory_name.clone(),
        signatory_position: body.signatory_position.clone(),
        duplicate: c.duplicate_of.is_some(),
        preview,
    })
}

/// The basis and period the paper shows (R§16, `domain::validity::printed_term`): an extended
/// certificate prints its latest extension. A duplicate is a copy of its original as it stood
/// on the day the duplicate was issued.
fn printed_term(tx: &Tx<'_>, c: &CertificateRecord) -> Result<validity::PrintedTerm> {
    let original = match c.duplicate_of {
        Some(id) => certs::load(tx, id)?,
        None => c.clone(),
    };
    let extensions: Vec<validity::Extension> = certs::events(tx, original.id)?
        .into_iter()
        .filter(|e| e.event == "extend" && (c.duplicate_of.is_none() || e.date <= c.issued_on))
        .filter_map(|e| {
            e.new_valid_to.map(|valid_to| validity::Extension {
                decided_on: e.date,
                valid_to,
            })
        })
        .collect();
    Ok(validity::printed_term(
        original.issued_on,
        c.valid_from,
        c.valid_to,
        &original.basis,
        &extensions,
    ))
}

/// Signs the payload in the sheet's QR code and appends the signature.
/// The certificate to print for `number`: the original, or its newest duplicate.
fn find(tx: &Tx<'_>, number: &str, duplicate: bool) -> Result<CertificateRecord> {
    let number = number.trim();
    let found = if duplicate {
        certs::find_newest_duplicate(tx, number)?
    } else {
        certs::find_original(tx, number)?
    };
    found.ok_or_else(|| ServiceError::NotFound {
        what: "certificate",
        id: number.into(),
    })
}

/// The certificate's PDF as it is delivered electronically (R§13): the original, in force,
/// with its signed QR code. Nothing is recorded here: the signing records itself.
pub(crate) fn certificate_document(
    tx: &Tx<'_>,
    session: &Session,
    _now: NaiveDateTime,
    number: &str,
) -> Result<(CertificateRecord, Vec<u8>)> {
    let certificate = find(tx, number, false)?;
    if let Err(crate::domain::eds::NotSignable::NotValid(status)) =
        crate::domain::eds::certificate_signable(certificate.status)
    {
        return Err(RuleError::NotPrintable {
            number: certificate.number,
            status: status.code().into(),
        }
        .into());
    }
    let sheet = sheet(tx, session, &certificate, false)?;
    let pdf = certificate_pdf(&sheet)?;
    Ok((certificate, pdf))
}

/// Prints a certificate (Appendix 3). A preview is marked "ОБРАЗЕЦ — не действителен" and is
/// not a printed copy; a real print is recorded with the blank form's serial.
pub fn print_certificate(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    number: &str,
    duplicate: bool,
    preview: bool,
    form_serial: Option<&str>,
) -> Result<Vec<u8>> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let certificate = find(tx, number, duplicate)?;
        if !preview
            && certificate.status != CertificateStatus::Valid
            && certificate.duplicate_of.is_none()
        {
            return Err(RuleError::NotPrintable {
                number: certificate.number,
                status: certificate.status.code().into(),
            }
            .into());
        }
        let sheet = sheet(tx, session, &certificate, preview)?;
        let pdf = certificate_pdf(&sheet)?;
        if preview {
            audit(
                tx,
                session,
                now,
                "preview_certificate",
                &format!("certificate:{}", certificate.id),
                &certificate.number,
            )?;
        } else {
            let kind = if duplicate {
                CopyKind::Duplicate
            } else {
                CopyKind::Original
            };
            record_print_in(tx, session, now, &certificate, kind, form_serial)?;
            // A signatory's print signs the audit chain's head too (issue 12, item 3).
            if let Some(key) = &session.signing_key {
                super::keys::anchor(tx, key, now)?;
            }
        }
        Ok(pdf)
    })
}

/// Prints every valid certificate issued in a period as one PDF, each recorded as a copy.
/// `progress` is called with (done, total).
pub fn print_certificates_batch(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    from: NaiveDate,
    to: NaiveDate,
    progress: impl FnMut(usize, usize),
) -> Result<(Vec<u8>, usize)> {
    print_certificates_batch_into(store, session, now, from, to, Vec::new(), progress)
}

/// [`print_certificates_batch`] written into `out` page by page (a file: memory then holds
/// one chunk of pages, whatever the size of the batch). Nothing is recorded if writing fails.
pub fn print_certificates_batch_into<W: Write>(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    from: NaiveDate,
    to: NaiveDate,
    out: W,
    progress: impl FnMut(usize, usize),
) -> Result<(W, usize)> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let ids = certs::valid_issued_between(tx, from, to)?;
        print_certificate_ids(tx, session, now, &ids, out, progress)
    })
}

/// Prints the valid certificates issued on the given applications (a selection in the registry)
/// as one PDF, each recorded as a copy.
pub fn print_certificates_of(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_ids: &[i64],
    progress: impl FnMut(usize, usize),
) -> Result<(Vec<u8>, usize, Vec<Skipped>)> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let mut ids = Vec::new();
        let mut skipped = Vec::new();
        for application in application_ids {
            let valid = certs::valid_of_application(tx, *application)?;
            if valid.is_empty() {
                let app = applications::load(tx, *application)?;
                skipped.push(Skipped {
                    number: app.number,
                    status: app.status,
                    unsigned: false,
                });
            }
            for id in valid {
                // Without a signatory's key, a certificate whose QR code no signatory has
                // signed yet is skipped and named, not the whole batch refused (issue 12).
                if session.signing_key.is_none() {
                    let c = certs::load(tx, id)?;
                    let holder = applicants::load(tx, c.applicant_id)?.full_name();
                    if kept_code(tx, &c, &code_fields(&c, &holder))?.is_none() {
                        let app = applications::load(tx, *application)?;
                        skipped.push(Skipped {
                            number: app.number,
                            status: app.status,
                            unsigned: true,
                        });
                        continue;
                    }
                }
                ids.push(id);
            }
        }
        let (pdf, count) = print_certificate_ids(tx, session, now, &ids, Vec::new(), progress)?;
        Ok((pdf, count, skipped))
    })
}

/// A chosen application whose certificate a batch did not print: not issued (its status says
/// where it stands), issued with no valid certificate left (expired, revoked, reissued), or
/// with a QR code no signatory has signed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub number: String,
    pub status: crate::domain::status::ApplicationStatus,
    /// Issued and valid, but no signatory has signed its QR code yet (issue 12).
    pub unsigned: bool,
}

/// Certificates read, recorded and laid out at a time: enough to keep every core busy, few
/// enough that memory holds little of a large batch.
const BATCH_CHUNK: usize = 128;

/// Prints the certificates `ids` in the caller's transaction (one for the whole batch), each
/// recorded as an original copy, into `out`.
///
/// The body, the signing key and each profession are read once; the records are read and the
/// copies recorded a chunk at a time, and each chunk's QR codes are signed, drawn and written
/// on the available cores ([`render`]) while the next chunk is read.
fn print_certificate_ids<W: Write>(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    ids: &[i64],
    out: W,
    mut progress: impl FnMut(usize, usize),
) -> Result<(W, usize)> {
    let mut batch = CertificateBatch::new(out)?;
    if ids.is_empty() {
        return Ok((batch.finish()?, 0));
    }
    let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
    // The codes are signed (or taken as kept) while reading: nothing is left to do per sheet.
    let prepare = |_: &mut CertificateSheet| {};
    let mut professions = HashMap::new();
    let mut done = 0;
    let mut page_done = || {
        done += 1;
        progress(done, ids.len());
    };
    // While one chunk is signed and drawn on the other cores, the next is read and recorded.
    std::thread::scope(|scope| -> Result<()> {
        let mut drawing = None;
        for chunk in ids.chunks(BATCH_CHUNK) {
            let mut sheets = Vec::with_capacity(chunk.len());
            for id in chunk {
                let certificate = certs::load(tx, *id)?;
                let profession = match professions.entry(certificate.profession_id) {
                    Entry::Occupied(found) => found.into_mut(),
                    Entry::Vacant(slot) => slot.insert(profession(tx, certificate.profession_id)?),
                };
                sheets.push(sheet_of(
                    tx,
                    session,
                    &body,
                    profession,
                    &certificate,
                    false,
                )?);
                record_print_in(tx, session, now, &certificate, CopyKind::Original, None)?;
            }
            if let Some(previous) = drawing.replace(scope.spawn(|| render(sheets, &prepare))) {
                batch.write(joined(previous), &mut page_done)?;
            }
        }
        if let Some(last) = drawing {
            batch.write(joined(last), &mut page_done)?;
        }
        Ok(())
    })?;
    if let Some(key) = &session.signing_key {
        super::keys::anchor(tx, key, now)?;
    }
    Ok((batch.finish()?, ids.len()))
}

/// The result of a drawing thread (its panic goes on in this one).
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// What the applicant asks for, with «справка» in the case the verb takes (Appendix 1):
/// «выдать справку», but «выдать дубликат справки».
fn request_word(kind: ApplicationKind) -> &'static str {
    match kind {
        ApplicationKind::Issue => "выдать справку",
        ApplicationKind::Extend => "продлить справку",
        ApplicationKind::Reissue => "переоформить справку",
        ApplicationKind::Duplicate => "выдать дубликат справки",
    }
}

fn document_name(doc: crate::domain::documents::DocumentType) -> &'static str {
    use crate::domain::documents::DocumentType as D;
    match doc {
        D::Application => "заявление",
        D::IdentityDocument => "электронная копия документа, удостоверяющего личность",
        D::EducationOrEnglishCertificate => {
            "нотариально засвидетельствованный перевод документов об образовании (сертификата для преподавания английского языка)"
        }
        D::WorkActivity => {
            "нотариально засвидетельствованная копия документа, подтверждающего трудовую деятельность, с переводом"
        }
        D::PreviousCertificate => "ранее выданная справка",
        D::EmploymentContract => "копия трудового договора",
        D::ChangedIdentityDocument => {
            "копия документа с изменениями фамилии, имени, отчества, номера и серии документа"
        }
    }
}

/// The pre-filled application (Appendix 1) for the applicant to sign.
pub fn print_application(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
) -> Result<Vec<u8>> {
    session.require(Action::ViewPersonalData)?;
    store.write(|tx| {
        let app = applications::load(tx, application_id)?;
        let applicant = applicants::load(tx, app.applicant_id)?;
        let profession = profession(tx, app.profession_id)?;
        let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
        let a = &applicant.input;
        let documents = documents::for_application(tx, application_id)?
            .into_iter()
            .filter(|d| d.received)
            .map(|d| document_name(d.doc_type).to_string())
            .collect();
        let sheet = ApplicationSheet {
            body_name: body.name_ru,
            applicant: applicant.full_name(),
            identity_document: format!(
                "{} {} {}{}{}",
                a.doc_type,
                a.doc_series,
                a.doc_number,
                a.doc_issued_on
                    .map(|d| format!(", выдан {}", d.format("%d.%m.%Y")))
                    .unwrap_or_default(),
                if a.doc_issued_by.is_empty() {
                    String::new()
                } else {
                    format!(", {}", a.doc_issued_by)
                }
            ),
            address_phone: [a.address.as_str(), a.phone.as_str(), a.fax.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            residence_abroad: [a.residence_abroad.as_str(), a.residence_phone.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            request: request_word(app.kind).into(),
            profession: format!(
                "{}, {} ({})",
                profession.name, profession.sector, profession.activity
            ),
            employer: [app.employer_name.as_str(), app.employer_id.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(", БИН/ИИН "),
            documents,
            filed_on: app.filed_at.date(),
            number: app.number.clone(),
        };
        let pdf = application_pdf(&sheet)?;
        audit(
            tx,
            session,
            now,
            "print_application",
            &format!("application:{application_id}"),
            &app.number,
        )?;
        Ok(pdf)
    })
}

/// The motivated refusal of a refused application.
pub fn print_refusal(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
) -> Result<Vec<u8>> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let (number, pdf) = refusal_document(tx, application_id)?;
        audit(
            tx,
            session,
            now,
            "print_refusal",
            &format!("application:{application_id}"),
            &number,
        )?;
        Ok(pdf)
    })
}

/// The refusal's PDF and the application's number; nothing recorded.
pub(crate) fn refusal_document(tx: &Tx<'_>, application_id: i64) -> Result<(String, Vec<u8>)> {
    let app = applications::load(tx, application_id)?;
    let decision = decisions::of_application(tx, application_id)?;
    let Some(decision) = decision.filter(|d| d.outcome == Outcome::Refuse) else {
        return Err(RuleError::NotRefused(app.number.clone()).into());
    };
    let Some(ground) = decision.ground else {
        return Err(RuleError::NotRefused(app.number.clone()).into());
    };
    let ground = RefusalGround::from_number(ground)
        .ok_or_else(|| RuleError::Invalid("unknown refusal ground".into()))?;
    let applicant = applicants::load(tx, app.applicant_id)?;
    let profession = profession(tx, app.profession_id)?;
    let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let sheet = RefusalSheet {
        body_name: body.name_ru,
        applicant: applicant.full_name(),
        application_number: app.number.clone(),
        filed_on: app.filed_at.date(),
        decided_on: decision.decided_on,
        profession: profession.name,
        ground_reference: format!(
            "подпункт {} пункта 9 Перечня основных требований к оказанию государственной услуги (приложение 2 к Правилам)",
            ground.number()
        ),
        ground_wording: ground.legal_wording_ru().into(),
        motivation: decision.motivation,
        signatory_name: body.signatory_name,
        signatory_position: body.signatory_position,
    };
    Ok((app.number, refusal_pdf(&sheet)?))
}

fn role_word(role: MemberRole) -> &'static str {
    match role {
        MemberRole::Chair => "председатель",
        MemberRole::Secretary => "секретарь",
        MemberRole::Member => "член комиссии",
    }
}

/// The protocol of a meeting (R§9); printing it again gives the same content.
pub fn print_protocol(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
) -> Result<Vec<u8>> {
    if !(session.may(Action::ManageCommission) || session.may(Action::Print)) {
        return Err(ServiceError::Forbidden(Action::ManageCommission));
    }
    store.write(|tx| {
        let meeting = commission::meeting(tx, meeting_id)?;
        let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
        let mut present = Vec::new();
        let mut absent = Vec::new();
        for (member, is_present) in commission::attendance(tx, meeting_id)? {
            if is_present {
                present.push(ProtocolMember {
                    role: role_word(member.role).into(),
                    name: member.full_name,
                    organisation: member.organisation,
                    position: member.position,
                });
            } else {
                absent.push(member.full_name);
            }
        }
        let members = commission::members(tx)?;
        let mut items = Vec::new();
        for application_id in commission::agenda(tx, meeting_id)? {
            items.push(protocol_item(tx, &members, meeting_id, application_id)?);
        }
        let sheet = ProtocolSheet {
            body_name: body.name_ru,
            meeting_id,
            held_on: meeting.held_on,
            place: meeting.place,
            present,
            absent,
            items,
        };
        let pdf = protocol_pdf(&sheet)?;
        audit(
            tx,
            session,
            now,
            "print_protocol",
            &format!("meeting:{meeting_id}"),
            "",
        )?;
        Ok(pdf)
    })
}

/// One application of a protocol: its score under the scheme it was given under, the
/// recommendation and the members who stood aside (by name, from `members`).
fn protocol_item(
    tx: &Tx<'_>,
    members: &[Member],
    meeting_id: i64,
    application_id: i64,
) -> Result<ProtocolItem> {
    let app = applications::load(tx, application_id)?;
    let applicant = applicants::load(tx, app.applicant_id)?;
    let profession = profession(tx, app.profession_id)?;
    let stored = commission::score_at(tx, application_id, meeting_id)?;
    let scheme = match &stored {
        Some(s) => Some(reference::scheme_version(tx, &s.scheme_version)?),
        None => None,
    };
    let mut points = Vec::new();
    if let (Some(score), Some(scheme)) = (&stored, &scheme) {
        use crate::domain::scoring::EducationCriterion as C;
        let p = |applies: bool, c| {
            if applies {
                scheme.education_points(c)
            } else {
                0
            }
        };
        points.push((
            "высшее образование по специальности".to_string(),
            p(score.input.higher_education, C::HigherEducation),
        ));
        points.push((
            "ученая степень".to_string(),
            p(score.input.academic_degree, C::AcademicDegree),
        ));
        points.push((
            "сертификат для преподавания английского языка".to_string(),
            p(score.input.english_certificate, C::EnglishCertificate),
        ));
        points.push((
            "стаж работы по специальности".to_string(),
            score.experience_points,
        ));
    }
    let recommended = commission::recommendation(tx, application_id)?.map(|r| r.recommendation);
    let (recommendation, ground, motivation) = match recommended {
        Some(Recommendation::Refuse { ground, motivation }) => (
            "Отказать в выдаче справки".to_string(),
            format!(
                "подпункт {} пункта 9 приложения 2 к Правилам: {}",
                ground.number(),
                ground.legal_wording_ru()
            ),
            motivation,
        ),
        Some(Recommendation::Issue) => ("Выдать справку".to_string(), String::new(), String::new()),
        None => ("Не принята".to_string(), String::new(), String::new()),
    };
    let mut conflicts: Vec<String> =
        commission::conflicted_members(tx, meeting_id, application_id)?
            .into_iter()
            .filter_map(|id| members.iter().find(|m| m.id == id))
            .map(|m| m.full_name.clone())
            .collect();
    conflicts.sort();
    Ok(ProtocolItem {
        applicant: applicant.full_name(),
        citizenship: if applicant.input.citizenship.is_empty() {
            "лицо без гражданства".into()
        } else {
            applicant.input.citizenship.clone()
        },
        application_number: app.number.clone(),
        profession: profession.name,
        sector: profession.sector,
        points,
        experience_years: stored.as_ref().map(|s| s.experience_years),
        total: stored.as_ref().map(|s| s.total),
        threshold: scheme.as_ref().map_or(6, |s| s.threshold),
        scheme: stored.map(|s| s.scheme_version).unwrap_or_default(),
        recommendation,
        ground,
        motivation,
        conflicts,
    })
}

/// What a certificate would print, for the preview drawn inside the window (an audited read;
/// marked as a sample, not a copy).
pub fn certificate_sheet(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    number: &str,
    duplicate: bool,
) -> Result<CertificateSheet> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let certificate = find(tx, number, duplicate)?;
        let sheet = sheet(tx, session, &certificate, true)?;
        audit(
            tx,
            session,
            now,
            "preview_certificate",
            &format!("certificate:{}", certificate.id),
            &certificate.number,
        )?;
        Ok(sheet)
    })
}

/// The signed text of a certificate's QR code (as printed on it): the one kept, or one signed
/// now with the signatory's key of this session.
pub fn qr_payload(
    store: &mut Store,
    session: &Session,
    _now: NaiveDateTime,
    number: &str,
) -> Result<String> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let certificate = find(tx, number, false)?;
        let holder = applicants::load(tx, certificate.applicant_id)?.full_name();
        qr_code(tx, session, &certificate, &holder, false)
    })
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// `Some(true)` when a QR payload's signature is the body's; `Some(false)` when forged;
    /// `None` when only a number was given.
    pub authentic: Option<bool>,
    pub number: String,
    pub found: bool,
    pub status: Option<CertificateStatus>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub superseded_by: Option<String>,
    pub revoked_by: Option<String>,
    /// For an authentic code: the fields where the code and the register differ (an extended
    /// certificate's older paper, a holder whose name was changed, or a code that should not
    /// exist); empty when they agree.
    pub differences: Vec<Difference>,
    /// The fingerprint of the key that signed an authentic code (the first 16 hex digits of the
    /// SHA-256 of the public key, as the administrator's screen shows it).
    pub key: Option<String>,
    /// Whose that key is: the signatory's full name; `None` for the body's key of the versions
    /// before 12 (or no authentic code).
    pub key_holder: Option<String>,
}

/// One field where a certificate's code and the register disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: CodeField,
    pub in_code: String,
    pub in_register: String,
}

/// The fields a certificate's code carries besides its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeField {
    Initials,
    IssuedOn,
    ValidFrom,
    ValidTo,
}

impl CodeField {
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Initials => "holder's initials",
            Self::IssuedOn => "issued on",
            Self::ValidFrom => "valid from",
            Self::ValidTo => "valid to",
        }
    }
}

/// Checks a QR payload (or looks up a number) and reports the certificate's current status.
pub fn verify(store: &Store, text: &str) -> Result<Verification> {
    // A scanner reads the link to the verification page: its fragment is the payload (issue 19).
    let scanned = verifier::payload_from_scan(text);
    let text = scanned.as_str();
    store.read(|tx| {
        let mut authentic = None;
        let mut key = None;
        let mut key_holder = None;
        let mut code_fields: Vec<String> = Vec::new();
        // S1 (before version 12): `S1|number|…`, signed by the body's key. S2: `S2|key|number|…`,
        // signed by the signatory's key it names.
        let version = if text.starts_with("S1|") {
            Some(1)
        } else if text.starts_with("S2|") {
            Some(2)
        } else {
            None
        };
        let number = if let Some(version) = version {
            let Some((signed, signature)) = text.rsplit_once('|') else {
                return Err(RuleError::NotACode.into());
            };
            let parts: Vec<&str> = signed.split('|').collect();
            let (named, fields) = if version == 1 {
                (None, parts.get(1..).unwrap_or_default())
            } else {
                (parts.get(1).copied(), parts.get(2..).unwrap_or_default())
            };
            let signing_key = match URL_SAFE_NO_PAD
                .decode(signature)
                .ok()
                .and_then(|b| Signature::from_slice(&b).ok())
            {
                Some(signature) => keys::public_keys(tx)?.into_iter().find(|k| {
                    named.is_none_or(|fp| super::keys::fingerprint(&k.public) == fp)
                        && <[u8; 32]>::try_from(k.public.as_slice())
                            .ok()
                            .and_then(|b| VerifyingKey::from_bytes(&b).ok())
                            .is_some_and(|key| key.verify(signed.as_bytes(), &signature).is_ok())
                }),
                None => None,
            };
            let ok = signing_key.is_some() && fields.len() == 5;
            authentic = Some(ok);
            if let Some(k) = signing_key.filter(|_| ok) {
                key = Some(super::keys::fingerprint(&k.public));
                key_holder = (!k.holder.is_empty()).then_some(k.holder);
                code_fields = fields.iter().skip(1).map(ToString::to_string).collect();
            }
            fields.first().copied().unwrap_or_default().to_string()
        } else {
            text.to_string()
        };
        let Some(c) = certs::find_original(tx, &number)? else {
            return Ok(Verification {
                authentic,
                number,
                found: false,
                status: None,
                valid_from: None,
                valid_to: None,
                superseded_by: None,
                revoked_by: None,
                differences: Vec::new(),
                key,
                key_holder,
            });
        };
        // An authentic code is compared with the register field by field: the code says what
        // was printed; the register says what holds now.
        let mut differences = Vec::new();
        if code_fields.len() == 4 {
            let holder = applicants::load(tx, c.applicant_id)?;
            let registered = [
                (CodeField::Initials, initials(&holder.full_name())),
                (CodeField::IssuedOn, c.issued_on.to_string()),
                (CodeField::ValidFrom, c.valid_from.to_string()),
                (CodeField::ValidTo, c.valid_to.to_string()),
            ];
            for ((field, in_register), in_code) in registered.into_iter().zip(&code_fields) {
                if *in_code != in_register {
                    differences.push(Difference {
                        field,
                        in_code: in_code.clone(),
                        in_register,
                    });
                }
            }
        }
        let superseded_by = match c.superseded_by {
            Some(next) => Some(certs::load(tx, next)?.number),
            None => None,
        };
        let revoked_by = certs::revoking_act(tx, c.id)?
            .map(|act| format!("{}, акт № {} от {}", act.body, act.number, act.date));
        Ok(Verification {
            authentic,
            number: c.number,
            found: true,
            status: Some(c.status),
            valid_from: Some(c.valid_from),
            valid_to: Some(c.valid_to),
            superseded_by,
            revoked_by,
            differences,
            key,
            key_holder,
        })
    })
}

/// The holder's full name of a certificate (for the GUI's lists).
pub fn holder_name(store: &Store, c: &CertificateRecord) -> Result<String> {
    let a = store.read(|tx| applicants::load(tx, c.applicant_id))?;
    Ok(full_name(
        &a.input.surname,
        &a.input.given_name,
        &a.input.patronymic,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_of_appendix_1_is_grammatical_for_every_kind() {
        // Appendix 1; issue 14: «Прошу выдать дубликат справку».
        let sentence = |kind| format!("Прошу {} о соответствии квалификации", request_word(kind));
        assert_eq!(
            sentence(ApplicationKind::Duplicate),
            "Прошу выдать дубликат справки о соответствии квалификации"
        );
        assert_eq!(
            sentence(ApplicationKind::Issue),
            "Прошу выдать справку о соответствии квалификации"
        );
    }
}
