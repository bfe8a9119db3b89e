//! Read-only queries that gather a printed document from the commission's tables (`meetings`,
//! `attendance`, `commission_members`, `agenda_items`, `scores`, `conflicts`,
//! `scoring_schemes`). This module writes nothing; the commission's own repository owns the rows.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::rows::date;
use super::{StoreError, Tx};
use crate::domain::scoring::Scheme;

/// A meeting as its protocol heads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingHead {
    pub held_on: NaiveDate,
    pub place: String,
}

/// When and where a meeting was held.
pub fn meeting(tx: &Tx<'_>, meeting_id: i64) -> Result<MeetingHead, StoreError> {
    let raw: Option<(String, String)> = tx
        .sqlite()
        .query_row(
            "SELECT held_on, place FROM meetings WHERE id = ?1",
            [meeting_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((held_on, place)) = raw else {
        return Err(StoreError::NotFound {
            what: "meeting",
            id: meeting_id.to_string(),
        });
    };
    Ok(MeetingHead {
        held_on: date(&held_on)?,
        place,
    })
}

/// A member on a meeting's attendance list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub name: String,
    pub organisation: String,
    pub position: String,
    /// "chair", "secretary" or "member".
    pub role: String,
    pub present: bool,
}

/// A meeting's attendance list: the chair, the secretary, then the members by name.
pub fn attendance(tx: &Tx<'_>, meeting_id: i64) -> Result<Vec<AttendanceRow>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT m.full_name, m.organisation, m.position, m.member_role, a.present FROM attendance a
         JOIN commission_members m ON m.id = a.member_id WHERE a.meeting_id = ?1
         ORDER BY m.member_role <> 'chair', m.member_role <> 'secretary', m.full_name",
    )?;
    let rows = stmt
        .query_map([meeting_id], |r| {
            Ok(AttendanceRow {
                name: r.get(0)?,
                organisation: r.get(1)?,
                position: r.get(2)?,
                role: r.get(3)?,
                present: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The applications on a meeting's agenda, in order.
pub fn agenda(tx: &Tx<'_>, meeting_id: i64) -> Result<Vec<i64>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT application_id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let ids = stmt
        .query_map([meeting_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// A stored score as the protocol reads it (R§10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolScore {
    pub higher_education: bool,
    pub academic_degree: bool,
    pub english_certificate: bool,
    pub experience_years: u32,
    pub experience_points: u32,
    pub total: u32,
    pub education_points: u32,
    pub scheme_version: String,
}

/// The latest score an application was given at a meeting.
pub fn score(
    tx: &Tx<'_>,
    application_id: i64,
    meeting_id: i64,
) -> Result<Option<ProtocolScore>, StoreError> {
    Ok(tx
        .sqlite()
        .query_row(
            "SELECT higher_education, academic_degree, english_certificate, experience_years, experience_points, total,
                    education_points, scheme_version
             FROM scores WHERE application_id = ?1 AND meeting_id = ?2 ORDER BY id DESC LIMIT 1",
            params![application_id, meeting_id],
            |r| {
                Ok(ProtocolScore {
                    higher_education: r.get(0)?,
                    academic_degree: r.get(1)?,
                    english_certificate: r.get(2)?,
                    experience_years: r.get(3)?,
                    experience_points: r.get(4)?,
                    total: r.get(5)?,
                    education_points: r.get(6)?,
                    scheme_version: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// The scoring scheme of a version (the one a score was given under).
pub fn scheme(tx: &Tx<'_>, version: &str) -> Result<Scheme, StoreError> {
    let content: Option<String> = tx
        .sqlite()
        .query_row(
            "SELECT content FROM scoring_schemes WHERE version = ?1",
            [version],
            |r| r.get(0),
        )
        .optional()?;
    let Some(content) = content else {
        return Err(StoreError::NotFound {
            what: "scoring scheme",
            id: version.into(),
        });
    };
    serde_json::from_str(&content).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// The members who declared a conflict of interest on an application at a meeting, by name.
pub fn conflicted_members(
    tx: &Tx<'_>,
    meeting_id: i64,
    application_id: i64,
) -> Result<Vec<String>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT m.full_name FROM conflicts c JOIN commission_members m ON m.id = c.member_id
         WHERE c.meeting_id = ?1 AND c.application_id = ?2 ORDER BY m.full_name",
    )?;
    let names = stmt
        .query_map(params![meeting_id, application_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(names)
}
