//! Printed documents from stored records, each print recorded (SPEC §6), and the verification of
//! a certificate's signed QR code.
//!
//! The QR payload is `S1|number|initials|issued|from|to|signature`, the signature an ed25519
//! signature (by the body's key, created on first use and kept in the database) of everything
//! before the last `|`, in URL-safe base64.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{NaiveDate, NaiveDateTime};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};

use super::applications::{
    full_name, load_applicant, load_application, load_documents, load_profession,
};
use super::certificates::{CertificateRecord, CopyKind, load_certificate};
use super::{Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, write_tx};
use crate::domain::kind::ApplicationKind;
use crate::domain::refusal::RefusalGround;
use crate::domain::roles::Action;
use crate::domain::status::CertificateStatus;
use crate::print::certificate::{CertificateSheet, certificate_pdf, certificates_pdf};
use crate::print::documents::{ApplicationSheet, RefusalSheet, application_pdf, refusal_pdf};
use crate::print::protocol::{ProtocolItem, ProtocolMember, ProtocolSheet, protocol_pdf};
use crate::store::Store;

impl From<crate::print::PrintError> for ServiceError {
    fn from(e: crate::print::PrintError) -> Self {
        RuleError::Invalid(e.to_string()).into()
    }
}

/// A stored score as the protocol reads it: the three education marks, experience years and
/// points, total, education points, scheme version.
type StoredScore = (bool, bool, bool, u32, u32, u32, u32, String);

/// The body's signing key; created (and audited) the first time it is needed.
pub(crate) fn signing_key(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
) -> Result<SigningKey> {
    let secret: Option<Vec<u8>> = conn
        .query_row(
            "SELECT secret FROM signing_keys ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(secret) = secret {
        let bytes: [u8; 32] = secret
            .try_into()
            .map_err(|_| RuleError::Invalid("the stored signing key is damaged".into()))?;
        return Ok(SigningKey::from_bytes(&bytes));
    }
    let mut bytes = [0u8; 32];
    argon2::password_hash::rand_core::RngCore::fill_bytes(
        &mut argon2::password_hash::rand_core::OsRng,
        &mut bytes,
    );
    let key = SigningKey::from_bytes(&bytes);
    conn.execute(
        "INSERT INTO signing_keys (secret, public, created_at) VALUES (?1, ?2, ?3)",
        params![
            bytes.to_vec(),
            key.verifying_key().to_bytes().to_vec(),
            fmt_time(now)
        ],
    )?;
    legacy_audit(
        conn,
        session,
        now,
        "create_signing_key",
        "signing_keys",
        &crate::store::to_hex(&key.verifying_key().to_bytes()),
    )?;
    Ok(key)
}

/// The public keys that verify certificates, newest first, as hex (for the administrator's
/// screen and `spravka verify`).
pub fn public_keys(store: &Store) -> Result<Vec<String>> {
    let mut stmt = store
        .conn()
        .prepare("SELECT public FROM signing_keys ORDER BY id DESC")?;
    let keys = stmt
        .query_map([], |r| r.get::<_, Vec<u8>>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(keys.iter().map(|k| crate::store::to_hex(k)).collect())
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

fn payload(c: &CertificateRecord, holder: &str) -> String {
    format!(
        "S1|{}|{}|{}|{}|{}",
        c.number,
        initials(holder),
        c.issued_on,
        c.valid_from,
        c.valid_to
    )
}

fn sheet(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
    c: &CertificateRecord,
    preview: bool,
) -> Result<CertificateSheet> {
    let body = super::setup::body(conn)?.ok_or(RuleError::BodyNotSetUp)?;
    let applicant = load_applicant(conn, c.applicant_id)?;
    let profession = load_profession(conn, c.profession_id)?;
    let holder = applicant.full_name();
    let text = payload(c, &holder);
    let key = signing_key(conn, session, now)?;
    let signature = URL_SAFE_NO_PAD.encode(key.sign(text.as_bytes()).to_bytes());
    Ok(CertificateSheet {
        body_name: body.name_ru,
        number: c.number.clone(),
        issued_on: c.issued_on,
        holder,
        profession: profession.name,
        sector: profession.sector,
        basis: c.basis.clone(),
        valid_from: c.valid_from,
        valid_to: c.valid_to,
        signatory_name: body.signatory_name,
        signatory_position: body.signatory_position,
        qr: format!("{text}|{signature}"),
        duplicate: c.duplicate_of.is_some(),
        preview,
    })
}

/// The certificate to print for `number`: the original, or its newest duplicate.
fn find(conn: &Connection, number: &str, duplicate: bool) -> Result<CertificateRecord> {
    let sql = if duplicate {
        "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NOT NULL ORDER BY id DESC LIMIT 1"
    } else {
        "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NULL"
    };
    let id: Option<i64> = conn
        .query_row(sql, [number.trim()], |r| r.get(0))
        .optional()?;
    let Some(id) = id else {
        return Err(ServiceError::NotFound {
            what: "certificate",
            id: number.trim().into(),
        });
    };
    load_certificate(conn, id)
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
    let tx = write_tx(store.conn_mut())?;
    let certificate = find(&tx, number, duplicate)?;
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
    let sheet = sheet(&tx, session, now, &certificate, preview)?;
    let pdf = certificate_pdf(&sheet)?;
    if preview {
        legacy_audit(
            &tx,
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
        super::certificates::record_print_in(&tx, session, now, &certificate, kind, form_serial)?;
    }
    tx.commit()?;
    Ok(pdf)
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
    session.require(Action::Print)?;
    let ids: Vec<i64> = {
        let mut stmt = store.conn().prepare(
            "SELECT id FROM certificates WHERE issued_on BETWEEN ?1 AND ?2 AND duplicate_of IS NULL AND status = 'valid' ORDER BY id",
        )?;
        stmt.query_map(params![from.to_string(), to.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    print_certificate_ids(store, session, now, &ids, progress)
}

/// Prints the valid certificates issued on the given applications (a selection in the registry)
/// as one PDF, each recorded as a copy.
pub fn print_certificates_of(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_ids: &[i64],
    progress: impl FnMut(usize, usize),
) -> Result<(Vec<u8>, usize)> {
    session.require(Action::Print)?;
    let mut ids = Vec::new();
    {
        let mut stmt = store.conn().prepare_cached(
            "SELECT id FROM certificates WHERE application_id = ?1 AND duplicate_of IS NULL AND status = 'valid' ORDER BY id",
        )?;
        for application in application_ids {
            let found = stmt
                .query_map([application], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            ids.extend(found);
        }
    }
    print_certificate_ids(store, session, now, &ids, progress)
}

fn print_certificate_ids(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    ids: &[i64],
    mut progress: impl FnMut(usize, usize),
) -> Result<(Vec<u8>, usize)> {
    let tx = write_tx(store.conn_mut())?;
    let mut sheets = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let certificate = load_certificate(&tx, *id)?;
        sheets.push(sheet(&tx, session, now, &certificate, false)?);
        super::certificates::record_print_in(
            &tx,
            session,
            now,
            &certificate,
            CopyKind::Original,
            None,
        )?;
        progress(i + 1, ids.len());
    }
    let pdf = certificates_pdf(&sheets)?;
    tx.commit()?;
    Ok((pdf, sheets.len()))
}

fn request_word(kind: ApplicationKind) -> &'static str {
    match kind {
        ApplicationKind::Issue => "выдать",
        ApplicationKind::Extend => "продлить",
        ApplicationKind::Reissue => "переоформить",
        ApplicationKind::Duplicate => "выдать дубликат",
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
    let tx = write_tx(store.conn_mut())?;
    let app = load_application(&tx, application_id)?;
    let applicant = load_applicant(&tx, app.applicant_id)?;
    let profession = load_profession(&tx, app.profession_id)?;
    let body = super::setup::body(&tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let a = &applicant.input;
    let documents = load_documents(&tx, application_id)?
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
    legacy_audit(
        &tx,
        session,
        now,
        "print_application",
        &format!("application:{application_id}"),
        &app.number,
    )?;
    tx.commit()?;
    Ok(pdf)
}

/// The motivated refusal of a refused application.
pub fn print_refusal(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
) -> Result<Vec<u8>> {
    session.require(Action::Print)?;
    let tx = write_tx(store.conn_mut())?;
    let app = load_application(&tx, application_id)?;
    let decision: Option<(String, Option<u8>, String, String)> = tx
        .query_row("SELECT outcome, ground, motivation, decided_on FROM decisions WHERE application_id = ?1", [application_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let Some((outcome, Some(ground), motivation, decided_on)) = decision else {
        return Err(RuleError::NotRefused(app.number.clone()).into());
    };
    if outcome != "refuse" {
        return Err(RuleError::NotRefused(app.number.clone()).into());
    }
    let ground = RefusalGround::from_number(ground)
        .ok_or_else(|| RuleError::Invalid("unknown refusal ground".into()))?;
    let applicant = load_applicant(&tx, app.applicant_id)?;
    let profession = load_profession(&tx, app.profession_id)?;
    let body = super::setup::body(&tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let sheet = RefusalSheet {
        body_name: body.name_ru,
        applicant: applicant.full_name(),
        application_number: app.number.clone(),
        filed_on: app.filed_at.date(),
        decided_on: super::parse_date(&decided_on)?,
        profession: profession.name,
        ground_reference: format!(
            "подпункт {} пункта 9 Перечня основных требований к оказанию государственной услуги (приложение 2 к Правилам)",
            ground.number()
        ),
        ground_wording: ground.legal_wording_ru().into(),
        motivation,
        signatory_name: body.signatory_name,
        signatory_position: body.signatory_position,
    };
    let pdf = refusal_pdf(&sheet)?;
    legacy_audit(
        &tx,
        session,
        now,
        "print_refusal",
        &format!("application:{application_id}"),
        &app.number,
    )?;
    tx.commit()?;
    Ok(pdf)
}

fn role_word(role: &str) -> &'static str {
    match role {
        "chair" => "председатель",
        "secretary" => "секретарь",
        _ => "член комиссии",
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
    let tx = write_tx(store.conn_mut())?;
    let meeting: Option<(String, String)> = tx
        .query_row(
            "SELECT held_on, place FROM meetings WHERE id = ?1",
            [meeting_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((held_on, place)) = meeting else {
        return Err(ServiceError::NotFound {
            what: "meeting",
            id: meeting_id.to_string(),
        });
    };
    let body = super::setup::body(&tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let mut present = Vec::new();
    let mut absent = Vec::new();
    {
        let mut stmt = tx.prepare(
            "SELECT m.full_name, m.organisation, m.position, m.member_role, a.present FROM attendance a
             JOIN commission_members m ON m.id = a.member_id WHERE a.meeting_id = ?1 ORDER BY m.member_role <> 'chair', m.member_role <> 'secretary', m.full_name",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        for row in rows {
            let (name, organisation, position, role, is_present) = row?;
            if is_present {
                present.push(ProtocolMember {
                    name,
                    organisation,
                    position,
                    role: role_word(&role).into(),
                });
            } else {
                absent.push(name);
            }
        }
    }
    let agenda: Vec<i64> = {
        let mut stmt = tx.prepare(
            "SELECT application_id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position",
        )?;
        stmt.query_map([meeting_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut items = Vec::new();
    for application_id in agenda {
        let app = load_application(&tx, application_id)?;
        let applicant = load_applicant(&tx, app.applicant_id)?;
        let profession = load_profession(&tx, app.profession_id)?;
        let stored: Option<StoredScore> = tx
            .query_row(
                "SELECT higher_education, academic_degree, english_certificate, experience_years, experience_points, total, education_points, scheme_version
                 FROM scores WHERE application_id = ?1 AND meeting_id = ?2 ORDER BY id DESC LIMIT 1",
                params![application_id, meeting_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
            )
            .optional()?;
        let scheme = match &stored {
            Some(s) => {
                let content: String = tx.query_row(
                    "SELECT content FROM scoring_schemes WHERE version = ?1",
                    [&s.7],
                    |r| r.get(0),
                )?;
                Some(
                    serde_json::from_str::<crate::domain::scoring::Scheme>(&content)
                        .map_err(|e| RuleError::Invalid(e.to_string()))?,
                )
            }
            None => None,
        };
        let mut points = Vec::new();
        if let (Some((higher, degree, english, _, experience_points, _, _, _)), Some(scheme)) =
            (&stored, &scheme)
        {
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
                p(*higher, C::HigherEducation),
            ));
            points.push(("ученая степень".to_string(), p(*degree, C::AcademicDegree)));
            points.push((
                "сертификат для преподавания английского языка".to_string(),
                p(*english, C::EnglishCertificate),
            ));
            points.push((
                "стаж работы по специальности".to_string(),
                *experience_points,
            ));
        }
        let recommendation: Option<(String, Option<u8>, String)> = tx
            .query_row(
                "SELECT outcome, ground, motivation FROM recommendations WHERE application_id = ?1",
                [application_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (recommendation, ground, motivation) = match recommendation {
            Some((outcome, ground, motivation)) if outcome == "refuse" => (
                "Отказать в выдаче справки".to_string(),
                ground
                    .and_then(RefusalGround::from_number)
                    .map(|g| {
                        format!(
                            "подпункт {} пункта 9 приложения 2 к Правилам: {}",
                            g.number(),
                            g.legal_wording_ru()
                        )
                    })
                    .unwrap_or_default(),
                motivation,
            ),
            Some(_) => ("Выдать справку".to_string(), String::new(), String::new()),
            None => ("Не принята".to_string(), String::new(), String::new()),
        };
        let conflicts: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT m.full_name FROM conflicts c JOIN commission_members m ON m.id = c.member_id WHERE c.meeting_id = ?1 AND c.application_id = ?2 ORDER BY m.full_name",
            )?;
            stmt.query_map(params![meeting_id, application_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        items.push(ProtocolItem {
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
            experience_years: stored.as_ref().map(|s| s.3),
            total: stored.as_ref().map(|s| s.5),
            threshold: scheme.as_ref().map_or(6, |s| s.threshold),
            scheme: stored.as_ref().map(|s| s.7.clone()).unwrap_or_default(),
            recommendation,
            ground,
            motivation,
            conflicts,
        });
    }
    let sheet = ProtocolSheet {
        body_name: body.name_ru,
        meeting_id,
        held_on: super::parse_date(&held_on)?,
        place,
        present,
        absent,
        items,
    };
    let pdf = protocol_pdf(&sheet)?;
    legacy_audit(
        &tx,
        session,
        now,
        "print_protocol",
        &format!("meeting:{meeting_id}"),
        "",
    )?;
    tx.commit()?;
    Ok(pdf)
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
    let tx = write_tx(store.conn_mut())?;
    let certificate = find(&tx, number, duplicate)?;
    let sheet = sheet(&tx, session, now, &certificate, true)?;
    legacy_audit(
        &tx,
        session,
        now,
        "preview_certificate",
        &format!("certificate:{}", certificate.id),
        &certificate.number,
    )?;
    tx.commit()?;
    Ok(sheet)
}

/// The signed text of a certificate's QR code (as printed on it).
pub fn qr_payload(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    number: &str,
) -> Result<String> {
    session.require(Action::Print)?;
    let tx = write_tx(store.conn_mut())?;
    let certificate = find(&tx, number, false)?;
    let sheet = sheet(&tx, session, now, &certificate, true)?;
    tx.commit()?;
    Ok(sheet.qr)
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
}

/// Checks a QR payload (or looks up a number) and reports the certificate's current status.
pub fn verify(store: &Store, text: &str) -> Result<Verification> {
    let text = text.trim();
    let mut authentic = None;
    let number = if text.starts_with("S1|") {
        let Some((signed, signature)) = text.rsplit_once('|') else {
            return Err(RuleError::NotACode.into());
        };
        let parts: Vec<&str> = signed.split('|').collect();
        let ok = match URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
        {
            Some(signature) => {
                let mut stmt = store.conn().prepare("SELECT public FROM signing_keys")?;
                let keys = stmt
                    .query_map([], |r| r.get::<_, Vec<u8>>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                keys.iter().any(|k| {
                    <[u8; 32]>::try_from(k.as_slice())
                        .ok()
                        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
                        .is_some_and(|key| key.verify(signed.as_bytes(), &signature).is_ok())
                })
            }
            None => false,
        };
        authentic = Some(ok && parts.len() == 6);
        parts.get(1).copied().unwrap_or_default().to_string()
    } else {
        text.to_string()
    };
    let id: Option<i64> = store
        .conn()
        .query_row(
            "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NULL",
            [&number],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Ok(Verification {
            authentic,
            number,
            found: false,
            status: None,
            valid_from: None,
            valid_to: None,
            superseded_by: None,
            revoked_by: None,
        });
    };
    let c = load_certificate(store.conn(), id)?;
    let superseded_by = match c.superseded_by {
        Some(next) => Some(load_certificate(store.conn(), next)?.number),
        None => None,
    };
    let revoked_by: Option<String> = store
        .conn()
        .query_row(
            "SELECT act_body || ', акт № ' || act_number || ' от ' || act_date FROM certificate_events WHERE certificate_id = ?1 AND event = 'revoke' ORDER BY id DESC LIMIT 1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(Verification {
        authentic,
        number: c.number,
        found: true,
        status: Some(c.status),
        valid_from: Some(c.valid_from),
        valid_to: Some(c.valid_to),
        superseded_by,
        revoked_by,
    })
}

/// The holder's full name of a certificate (for the GUI's lists).
pub fn holder_name(store: &Store, c: &CertificateRecord) -> Result<String> {
    let a = load_applicant(store.conn(), c.applicant_id)?;
    Ok(full_name(
        &a.input.surname,
        &a.input.given_name,
        &a.input.patronymic,
    ))
}
