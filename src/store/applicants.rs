//! Applicants: the people who apply (the `applicants` table), kept once and found again by
//! identity number.

use super::db::args;
use chrono::NaiveDateTime;

use super::rows::{date, fmt_time, non_empty, opt_date};
use super::{StoreError, Tx};
use crate::domain::forms::ApplicantInput;

/// The applicant as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantRecord {
    pub id: i64,
    pub input: ApplicantInput,
}

impl ApplicantRecord {
    pub fn full_name(&self) -> String {
        full_name(
            &self.input.surname,
            &self.input.given_name,
            &self.input.patronymic,
        )
    }
}

pub fn full_name(surname: &str, given: &str, patronymic: &str) -> String {
    [surname, given, patronymic]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads an applicant.
pub fn load(tx: &Tx<'_>, id: i64) -> Result<ApplicantRecord, StoreError> {
    let row = tx.query_opt("SELECT surname, given_name, coalesce(patronymic, ''), coalesce(citizenship, ''), birth_date, coalesce(iin, ''), doc_type,
                    coalesce(doc_series, ''), doc_number, doc_issued_on, coalesce(doc_issued_by, ''), coalesce(address, ''),
                    coalesce(phone, ''), coalesce(fax, ''), coalesce(residence_abroad, ''), coalesce(residence_phone, ''),
                    coalesce(email, ''), coalesce(representative_name, ''), coalesce(representative_poa, '')
             FROM applicants WHERE id = ?1", args![id],
            |r| {
                Ok((
                    ApplicantInput {
                        surname: r.get(0)?,
                        given_name: r.get(1)?,
                        patronymic: r.get(2)?,
                        citizenship: r.get(3)?,
                        stateless: r.get::<String>(3)?.is_empty(),
                        birth_date: None,
                        iin: r.get(5)?,
                        doc_type: r.get(6)?,
                        doc_series: r.get(7)?,
                        doc_number: r.get(8)?,
                        doc_issued_on: None,
                        doc_issued_by: r.get(10)?,
                        address: r.get(11)?,
                        phone: r.get(12)?,
                        fax: r.get(13)?,
                        residence_abroad: r.get(14)?,
                        residence_phone: r.get(15)?,
                        email: r.get(16)?,
                        representative_name: r.get(17)?,
                        representative_poa: r.get(18)?,
                    },
                    r.get::<String>(4)?,
                    r.get::<Option<String>>(9)?,
                ))
            },)?;
    let Some((mut input, birth, issued)) = row else {
        return Err(StoreError::NotFound {
            what: "applicant",
            id: id.to_string(),
        });
    };
    input.birth_date = Some(date(&birth)?);
    input.doc_issued_on = opt_date(issued.as_deref())?;
    Ok(ApplicantRecord { id, input })
}

/// The stored form of an applicant's fields, in column order (blank text is NULL; a stateless
/// applicant has no citizenship).
fn columns(a: &ApplicantInput) -> [Option<String>; 19] {
    [
        non_empty(&a.surname),
        non_empty(&a.given_name),
        non_empty(&a.patronymic),
        if a.stateless {
            None
        } else {
            non_empty(&a.citizenship)
        },
        a.birth_date.map(|d| d.to_string()),
        non_empty(&a.iin),
        non_empty(&a.doc_type),
        non_empty(&a.doc_series),
        non_empty(&a.doc_number),
        a.doc_issued_on.map(|d| d.to_string()),
        non_empty(&a.doc_issued_by),
        non_empty(&a.address),
        non_empty(&a.phone),
        non_empty(&a.fax),
        non_empty(&a.residence_abroad),
        non_empty(&a.residence_phone),
        non_empty(&a.email),
        non_empty(&a.representative_name),
        non_empty(&a.representative_poa),
    ]
}

/// Stores a new applicant and returns its id.
pub fn insert(tx: &Tx<'_>, a: &ApplicantInput, now: NaiveDateTime) -> Result<i64, StoreError> {
    let p = columns(a);
    let id = tx.query_row("INSERT INTO applicants (surname, given_name, patronymic, citizenship, birth_date, iin, doc_type, doc_series, doc_number,
             doc_issued_on, doc_issued_by, address, phone, fax, residence_abroad, residence_phone, email,
             representative_name, representative_poa, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
         RETURNING id", args![p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18], fmt_time(now)],
        |r| r.get(0),)?;
    Ok(id)
}

/// Overwrites an applicant's fields.
pub fn update(tx: &Tx<'_>, id: i64, a: &ApplicantInput) -> Result<(), StoreError> {
    let p = columns(a);
    tx.execute(
        "UPDATE applicants SET surname = ?2, given_name = ?3, patronymic = ?4, citizenship = ?5, birth_date = ?6, iin = ?7,
             doc_type = ?8, doc_series = ?9, doc_number = ?10, doc_issued_on = ?11, doc_issued_by = ?12, address = ?13,
             phone = ?14, fax = ?15, residence_abroad = ?16, residence_phone = ?17, email = ?18,
             representative_name = ?19, representative_poa = ?20 WHERE id = ?1",
        args![id, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15], p[16], p[17], p[18]],
    )?;
    Ok(())
}

/// An applicant found by IIN or identity-document number (for intake: reuse, or warn of a
/// probable duplicate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantMatch {
    pub id: i64,
    pub full_name: String,
    pub birth_date: String,
    pub applications: i64,
}

/// The first 20 applicants with this IIN or this identity-document number (a blank one matches
/// nothing), oldest first, with how many applications each has.
pub fn find(tx: &Tx<'_>, iin: &str, doc_number: &str) -> Result<Vec<ApplicantMatch>, StoreError> {
    let rows = tx.query_map("SELECT p.id, p.surname, p.given_name, coalesce(p.patronymic, ''), p.birth_date,
                (SELECT count(*) FROM applications a WHERE a.applicant_id = p.id)
         FROM applicants p WHERE (?1 <> '' AND p.iin = ?1) OR (?2 <> '' AND p.doc_number = ?2) ORDER BY p.id LIMIT 20", args![iin.trim(), doc_number.trim()], |r| {
            Ok(ApplicantMatch {
                id: r.get(0)?,
                full_name: full_name(
                    &r.get::<String>(1)?,
                    &r.get::<String>(2)?,
                    &r.get::<String>(3)?,
                ),
                birth_date: r.get(4)?,
                applications: r.get(5)?,
            })
        })?;
    Ok(rows)
}
