//! The results of the service signed with EDS (R§13): the signed PDFs and detached CMS files,
//! content-addressed (`signed_files`), one row per signing (`signed_documents`: re-signing adds
//! a row, the history stays), and the root certificates trusted for checking (`trusted_roots`).

use super::db::{Row, ToValue, args};
use chrono::NaiveDateTime;

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
    tx.execute(
        "INSERT INTO signed_files (sha256, size, mime, content) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (sha256) DO NOTHING",
        args![sha256, bytes.len() as i64, mime, bytes],
    )?;
    Ok(())
}

/// A stored signed file's content.
pub fn file(tx: &Tx<'_>, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
    tx.query_opt(
        "SELECT content FROM signed_files WHERE sha256 = ?1",
        args![sha256],
        |r| r.get(0),
    )
}

/// Records a signing; its id.
pub fn insert(tx: &Tx<'_>, s: &NewSigned<'_>) -> Result<i64, StoreError> {
    let id = tx.query_row(
        "INSERT INTO signed_documents (kind, application_id, certificate_id, number, pdf_sha256,
             cms_sha256, signer_name, signer_iin, cert_serial, cert_issuer, cert_not_before,
             cert_not_after, algorithm, method, signed_at, signed_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
             ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         RETURNING id",
        args![
            s.kind.code(),
            s.application_id,
            s.certificate_id,
            s.number,
            s.pdf_sha256,
            s.cms_sha256,
            s.signer_name,
            s.signer_iin,
            s.cert_serial,
            s.cert_issuer,
            fmt_time(s.cert_not_before),
            fmt_time(s.cert_not_after),
            algorithm_code(s.algorithm),
            s.method,
            fmt_time(s.signed_at),
            s.signed_by
        ],
        |r| r.get(0),
    )?;
    Ok(id)
}

const SELECT: &str = "SELECT s.id, s.kind, s.application_id, s.certificate_id, s.number,
        s.pdf_sha256, s.cms_sha256, s.signer_name, s.signer_iin, s.cert_serial, s.cert_issuer,
        s.cert_not_before, s.cert_not_after, s.algorithm, s.method, s.signed_at, u.username
    FROM signed_documents s JOIN users u ON u.id = s.signed_by";

/// A row as stored, before its codes and times are read.
struct Raw {
    id: i64,
    kind: String,
    application_id: i64,
    certificate_id: Option<i64>,
    number: String,
    pdf_sha256: String,
    cms_sha256: String,
    signer_name: String,
    signer_iin: Option<String>,
    cert_serial: String,
    cert_issuer: String,
    cert_not_before: String,
    cert_not_after: String,
    algorithm: String,
    method: String,
    signed_at: String,
    signed_by: String,
}

fn from_row(r: &Row<'_>) -> Result<Raw, StoreError> {
    Ok(Raw {
        id: r.get(0)?,
        kind: r.get(1)?,
        application_id: r.get(2)?,
        certificate_id: r.get(3)?,
        number: r.get(4)?,
        pdf_sha256: r.get(5)?,
        cms_sha256: r.get(6)?,
        signer_name: r.get(7)?,
        signer_iin: r.get(8)?,
        cert_serial: r.get(9)?,
        cert_issuer: r.get(10)?,
        cert_not_before: r.get(11)?,
        cert_not_after: r.get(12)?,
        algorithm: r.get(13)?,
        method: r.get(14)?,
        signed_at: r.get(15)?,
        signed_by: r.get(16)?,
    })
}

impl Raw {
    fn typed(self) -> Result<SignedRow, StoreError> {
        Ok(SignedRow {
            id: self.id,
            kind: SignedKind::from_code(&self.kind)
                .ok_or_else(|| unknown("signed document kind", &self.kind))?,
            application_id: self.application_id,
            certificate_id: self.certificate_id,
            number: self.number,
            pdf_sha256: self.pdf_sha256,
            cms_sha256: self.cms_sha256,
            signer_name: self.signer_name,
            signer_iin: self.signer_iin,
            cert_serial: self.cert_serial,
            cert_issuer: self.cert_issuer,
            cert_not_before: time(&self.cert_not_before)?,
            cert_not_after: time(&self.cert_not_after)?,
            algorithm: algorithm(&self.algorithm)?,
            method: self.method,
            signed_at: time(&self.signed_at)?,
            signed_by: self.signed_by,
        })
    }
}

fn query(tx: &Tx<'_>, filter: &str, value: &dyn ToValue) -> Result<Vec<SignedRow>, StoreError> {
    let sql = format!("{SELECT} WHERE {filter} ORDER BY s.signed_at DESC, s.id DESC");
    let raw = tx.query_map(&sql, args![value], from_row)?;
    raw.into_iter().map(Raw::typed).collect()
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
    let n = tx.execute(
        "INSERT INTO trusted_roots (sha256, subject, der, added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (sha256) DO NOTHING",
        args![sha256, subject, der, user_id, fmt_time(now)],
    )?;
    Ok(n == 1)
}

/// The trusted roots' subjects and when they were added, oldest first.
pub fn root_subjects(tx: &Tx<'_>) -> Result<Vec<(String, NaiveDateTime)>, StoreError> {
    let rows = tx.query_map(
        "SELECT subject, added_at FROM trusted_roots ORDER BY added_at, subject",
        args![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )?;
    rows.into_iter()
        .map(|(subject, at)| Ok((subject, time(&at)?)))
        .collect()
}

/// The trusted roots' DER.
pub fn roots(tx: &Tx<'_>) -> Result<Vec<Vec<u8>>, StoreError> {
    let rows = tx.query_map(
        "SELECT der FROM trusted_roots ORDER BY added_at",
        args![],
        |r| r.get(0),
    )?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    #[test]
    fn a_signing_is_stored_and_read_back_and_the_kind_matches_the_certificate() {
        let mut store = Store::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        let result: Result<(), StoreError> = store.write(|tx| {
            tx.execute_batch(
                "INSERT INTO users (id, username, full_name, password_hash, created_at) VALUES (1, 'boss', 'B', '!', 'x');
                 INSERT INTO reference_lists (id, list, version, approved_by, content, loaded_at) VALUES (901, 'order-236-appendix-2', 'test', 'a', '{}', 'x');
                 INSERT INTO professions (id, list_id, key, sector_number, sector, activity, number, name) VALUES (901, 901, '9.9.9', 1, 's', 'a', 1, 'Учитель');
                 INSERT INTO applicants (id, surname, given_name, birth_date, doc_type, doc_number, created_at) VALUES (1, 'Қасымқызы', 'Айгерім', '1990-01-01', 'паспорт', '1', 'x');
                 INSERT INTO applications (id, number, applicant_id, kind, profession_id, consent, channel, filed_at, registered_on, decision_by, status, created_by, created_at, updated_by, updated_at)
                     VALUES (1, '2026-000001', 1, 'issue', 901, 1, 'egov', '2026-11-23T10:00:00', '2026-11-23', '2026-11-30', 'refused', 1, 'x', 1, 'x');",
            )?;
            store_file(tx, "aa", "application/pdf", b"%PDF")?;
            store_file(tx, "bb", "application/pkcs7-signature", b"0")?;
            store_file(tx, "aa", "application/pdf", b"%PDF")?;
            let mut new = NewSigned {
                kind: SignedKind::Refusal,
                application_id: 1,
                certificate_id: None,
                number: "2026-000001",
                pdf_sha256: "aa",
                cms_sha256: "bb",
                signer_name: "СЕЙТКАЛИЕВ НУРЛАН",
                signer_iin: Some("871008401427"),
                cert_serial: "01",
                cert_issuer: "ҰКО",
                cert_not_before: at("2026-01-01 00:00"),
                cert_not_after: at("2027-01-01 00:00"),
                algorithm: Algorithm::Gost,
                method: "ncalayer",
                signed_at: at("2026-11-25 12:00"),
                signed_by: 1,
            };
            insert(tx, &new)?;
            let rows = of_application(tx, 1)?;
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].kind, SignedKind::Refusal);
            assert_eq!(rows[0].algorithm, Algorithm::Gost);
            assert_eq!(rows[0].signed_by, "boss");
            assert_eq!(rows[0].signer_iin.as_deref(), Some("871008401427"));
            assert_eq!(file(tx, "aa")?, Some(b"%PDF".to_vec()));
            assert_eq!(by_pdf(tx, "aa")?.len(), 1);
            // A certificate's signing names its certificate; a refusal's does not.
            new.kind = SignedKind::Certificate;
            assert!(insert(tx, &new).is_err());
            Ok(())
        });
        result.unwrap_or_else(|e| panic!("{e}"));
    }
}
