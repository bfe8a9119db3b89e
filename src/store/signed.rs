//! The results of the service signed with EDS (R§13): the signed PDFs and detached CMS files,
//! content-addressed (`signed_files`), one row per signing (`signed_documents`: re-signing adds
//! a row, the history stays), and the root certificates trusted for checking (`trusted_roots`).

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};

use super::rows::{fmt_time, time, unknown};
use super::{StoreError, Tx};
use crate::domain::eds::{Algorithm, SignedKind};

/// A signing to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSigned<'a> {
    pub kind: SignedKind,
    pub application_id: i64,
    pub certificate_id: Option<i64>,
    pub number: &'a str,
    pub pdf_sha256: &'a str,
    pub cms_sha256: &'a str,
    pub signer_name: &'a str,
    pub signer_iin: Option<&'a str>,
    pub cert_serial: &'a str,
    pub cert_issuer: &'a str,
    pub cert_not_before: NaiveDateTime,
    pub cert_not_after: NaiveDateTime,
    pub algorithm: Algorithm,
    pub method: &'a str,
    pub signed_at: NaiveDateTime,
    pub signed_by: i64,
}

/// A recorded signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRow {
    pub id: i64,
    pub kind: SignedKind,
    pub application_id: i64,
    pub certificate_id: Option<i64>,
    pub number: String,
    pub pdf_sha256: String,
    pub cms_sha256: String,
    pub signer_name: String,
    pub signer_iin: Option<String>,
    pub cert_serial: String,
    pub cert_issuer: String,
    pub cert_not_before: NaiveDateTime,
    pub cert_not_after: NaiveDateTime,
    pub algorithm: Algorithm,
    pub method: String,
    pub signed_at: NaiveDateTime,
    /// The user who signed (their username).
    pub signed_by: String,
}

fn algorithm_code(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Rsa => "rsa",
        Algorithm::Gost => "gost",
        Algorithm::Other => "other",
    }
}

fn algorithm(code: &str) -> Result<Algorithm, StoreError> {
    match code {
        "rsa" => Ok(Algorithm::Rsa),
        "gost" => Ok(Algorithm::Gost),
        "other" => Ok(Algorithm::Other),
        other => Err(unknown("signature algorithm", other)),
    }
}

/// Stores a file once under its SHA-256.
pub fn store_file(tx: &Tx<'_>, sha256: &str, mime: &str, bytes: &[u8]) -> Result<(), StoreError> {
    tx.sqlite().execute(
        "INSERT INTO signed_files (sha256, size, mime, content) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha256, bytes.len() as i64, mime, bytes],
    )?;
    Ok(())
}

/// A stored signed file's content.
pub fn file(tx: &Tx<'_>, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(tx
        .sqlite()
        .query_row(
            "SELECT content FROM signed_files WHERE sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// Records a signing; its id.
pub fn insert(tx: &Tx<'_>, s: &NewSigned<'_>) -> Result<i64, StoreError> {
    let id = tx.sqlite().query_row(
        "INSERT INTO signed_documents (kind, application_id, certificate_id, number, pdf_sha256,
             cms_sha256, signer_name, signer_iin, cert_serial, cert_issuer, cert_not_before,
             cert_not_after, algorithm, method, signed_at, signed_by)
         VALUES (:kind, :application_id, :certificate_id, :number, :pdf, :cms, :name, :iin,
             :serial, :issuer, :not_before, :not_after, :algorithm, :method, :signed_at, :signed_by)
         RETURNING id",
        rusqlite::named_params! {
            ":kind": s.kind.code(),
            ":application_id": s.application_id,
            ":certificate_id": s.certificate_id,
            ":number": s.number,
            ":pdf": s.pdf_sha256,
            ":cms": s.cms_sha256,
            ":name": s.signer_name,
            ":iin": s.signer_iin,
            ":serial": s.cert_serial,
            ":issuer": s.cert_issuer,
            ":not_before": fmt_time(s.cert_not_before),
            ":not_after": fmt_time(s.cert_not_after),
            ":algorithm": algorithm_code(s.algorithm),
            ":method": s.method,
            ":signed_at": fmt_time(s.signed_at),
            ":signed_by": s.signed_by,
        },
        |r| r.get(0),
    )?;
    Ok(id)
}

const SELECT: &str = "SELECT s.id, s.kind, s.application_id, s.certificate_id, s.number,
        s.pdf_sha256, s.cms_sha256, s.signer_name, s.signer_iin, s.cert_serial, s.cert_issuer,
        s.cert_not_before, s.cert_not_after, s.algorithm, s.method, s.signed_at, u.username
    FROM signed_documents s JOIN users u ON u.id = s.signed_by";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<String>; 17]> {
    let mut out: [Option<String>; 17] = Default::default();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = match r.get_ref(i)? {
            rusqlite::types::ValueRef::Null => None,
            rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
            value => Some(value.as_str()?.to_string()),
        };
    }
    Ok(out)
}

fn typed(raw: [Option<String>; 17]) -> Result<SignedRow, StoreError> {
    let [
        id,
        kind,
        application_id,
        certificate_id,
        number,
        pdf,
        cms,
        name,
        iin,
        serial,
        issuer,
        not_before,
        not_after,
        algo,
        method,
        signed_at,
        signed_by,
    ] = raw;
    let int = |v: Option<String>| -> Result<i64, StoreError> {
        v.as_deref()
            .and_then(|t| t.parse().ok())
            .ok_or_else(|| unknown("id", v.as_deref().unwrap_or_default()))
    };
    let kind_code = kind.unwrap_or_default();
    Ok(SignedRow {
        id: int(id)?,
        kind: SignedKind::from_code(&kind_code)
            .ok_or_else(|| unknown("signed kind", &kind_code))?,
        application_id: int(application_id)?,
        certificate_id: certificate_id.and_then(|t| t.parse().ok()),
        number: number.unwrap_or_default(),
        pdf_sha256: pdf.unwrap_or_default(),
        cms_sha256: cms.unwrap_or_default(),
        signer_name: name.unwrap_or_default(),
        signer_iin: iin,
        cert_serial: serial.unwrap_or_default(),
        cert_issuer: issuer.unwrap_or_default(),
        cert_not_before: time(&not_before.unwrap_or_default())?,
        cert_not_after: time(&not_after.unwrap_or_default())?,
        algorithm: algorithm(&algo.unwrap_or_default())?,
        method: method.unwrap_or_default(),
        signed_at: time(&signed_at.unwrap_or_default())?,
        signed_by: signed_by.unwrap_or_default(),
    })
}

fn query(
    tx: &Tx<'_>,
    filter: &str,
    value: &dyn rusqlite::ToSql,
) -> Result<Vec<SignedRow>, StoreError> {
    let sql = format!("{SELECT} WHERE {filter} ORDER BY s.signed_at DESC, s.id DESC");
    let mut stmt = tx.sqlite().prepare(&sql)?;
    let raw = stmt
        .query_map([value], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raw.into_iter().map(typed).collect()
}

/// Every signing of an application's results, newest first.
pub fn of_application(tx: &Tx<'_>, application_id: i64) -> Result<Vec<SignedRow>, StoreError> {
    query(tx, "s.application_id = ?1", &application_id)
}

/// The signings whose PDF has this SHA-256 (a document checked against the record).
pub fn by_pdf(tx: &Tx<'_>, sha256: &str) -> Result<Vec<SignedRow>, StoreError> {
    query(tx, "s.pdf_sha256 = ?1", &sha256)
}

/// The signings of documents with this number (certificate or application), newest first.
pub fn by_number(tx: &Tx<'_>, number: &str) -> Result<Vec<SignedRow>, StoreError> {
    query(tx, "s.number = ?1", &number)
}

/// Adds a trusted root (once per certificate).
pub fn add_root(
    tx: &Tx<'_>,
    sha256: &str,
    subject: &str,
    der: &[u8],
    user_id: i64,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = tx.sqlite().execute(
        "INSERT INTO trusted_roots (sha256, subject, der, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
        params![sha256, subject, der, user_id, fmt_time(now)],
    )?;
    Ok(n == 1)
}

/// The trusted roots' subjects and when they were added, oldest first.
pub fn root_subjects(tx: &Tx<'_>) -> Result<Vec<(String, NaiveDateTime)>, StoreError> {
    let mut stmt = tx
        .sqlite()
        .prepare("SELECT subject, added_at FROM trusted_roots ORDER BY added_at, subject")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(subject, at)| Ok((subject, time(&at)?)))
        .collect()
}

/// The trusted roots' DER.
pub fn roots(tx: &Tx<'_>) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut stmt = tx
        .sqlite()
        .prepare("SELECT der FROM trusted_roots ORDER BY added_at")?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
