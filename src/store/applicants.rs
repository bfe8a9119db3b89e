//! Applicants: the people who apply, kept once and found again by name or identity number.

use rusqlite::OptionalExtension;

use super::rows::{date, opt_date};
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
    let row = tx
        .sqlite()
        .query_row(
            "SELECT surname, given_name, coalesce(patronymic, ''), coalesce(citizenship, ''), birth_date, coalesce(iin, ''), doc_type,
                    coalesce(doc_series, ''), doc_number, doc_issued_on, coalesce(doc_issued_by, ''), coalesce(address, ''),
                    coalesce(phone, ''), coalesce(fax, ''), coalesce(residence_abroad, ''), coalesce(residence_phone, ''),
                    coalesce(email, ''), coalesce(representative_name, ''), coalesce(representative_poa, '')
             FROM applicants WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    ApplicantInput {
                        surname: r.get(0)?,
                        given_name: r.get(1)?,
                        patronymic: r.get(2)?,
                        citizenship: r.get(3)?,
                        stateless: r.get::<_, String>(3)?.is_empty(),
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
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(9)?,
                ))
            },
        )
        .optional()?;
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
