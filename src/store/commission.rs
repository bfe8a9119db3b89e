//! The commission (R§6, R§9, R§10): its members (`commission_members`), meetings (`meetings`,
//! `agenda_items`, `attendance`), conflicts of interest (`conflicts`), scores (`scores`) and
//! recommendations (`recommendations`).

use super::db::{Row, args};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::rows::{date, fmt_time, from_json, opt_date, unknown};
use super::{StoreError, Tx};
use crate::domain::refusal::RefusalGround;
use crate::domain::scoring::{Score, ScoreInput};

/// The groups of R§6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberGroup {
    LocalExecutive,
    Education,
    InternalAffairs,
    IndustrialInnovation,
    Atameken,
    Associations,
    SectorBodies,
}

impl MemberGroup {
    pub const ALL: [Self; 7] = [
        Self::LocalExecutive,
        Self::Education,
        Self::InternalAffairs,
        Self::IndustrialInnovation,
        Self::Atameken,
        Self::Associations,
        Self::SectorBodies,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LocalExecutive => "local_executive",
            Self::Education => "education",
            Self::InternalAffairs => "internal_affairs",
            Self::IndustrialInnovation => "industrial_innovation",
            Self::Atameken => "atameken",
            Self::Associations => "associations",
            Self::SectorBodies => "sector_bodies",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Chair,
    Secretary,
    Member,
}

impl MemberRole {
    pub fn code(self) -> &'static str {
        match self {
            Self::Chair => "chair",
            Self::Secretary => "secretary",
            Self::Member => "member",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Chair, Self::Secretary, Self::Member]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// A member of the commission (R§6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub full_name: String,
    pub organisation: String,
    pub position: String,
    pub group: MemberGroup,
    pub role: MemberRole,
    pub active: bool,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// The commission's recommendation (R§9): issue, or refuse with a ground and a motivation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recommendation {
    Issue,
    Refuse {
        ground: RefusalGround,
        motivation: String,
    },
}

/// A meeting in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub items: i64,
}

/// A meeting to create.
#[derive(Debug, Clone, Copy)]
pub struct NewMeeting<'a> {
    pub held_on: NaiveDate,
    pub place: &'a str,
    pub created_by: i64,
}

/// A meeting's day and place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
}

/// An application with the commission that is on no meeting's agenda yet (R§7 → R§9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: i64,
    pub number: String,
    pub applicant: String,
    pub profession: String,
    pub commission_by: Option<NaiveDate>,
}

/// A score to record: what was marked and what the scheme gave for it.
#[derive(Debug, Clone, Copy)]
pub struct NewScore<'a> {
    pub application_id: i64,
    pub meeting_id: i64,
    pub input: &'a ScoreInput,
    pub score: &'a Score,
    pub scored_by: i64,
}

/// A stored score (the length of service is not stored: it follows from the periods).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRecord {
    pub input: ScoreInput,
    pub education_points: u32,
    pub experience_years: u32,
    pub experience_points: u32,
    pub total: u32,
    pub passed: bool,
    pub scheme_version: String,
}

const MEMBER_COLUMNS: &str = "m.id, m.full_name, m.organisation, m.position, m.member_group, m.member_role, m.active, m.start_date, m.end_date";

/// A member from the columns of [`MEMBER_COLUMNS`], with its dates still as stored.
fn member_row(r: &Row<'_>) -> Result<(Member, String, Option<String>), StoreError> {
    let group: String = r.get(4)?;
    let role: String = r.get(5)?;
    Ok((
        Member {
            id: r.get(0)?,
            full_name: r.get(1)?,
            organisation: r.get(2)?,
            position: r.get(3)?,
            group: MemberGroup::from_code(&group).unwrap_or(MemberGroup::LocalExecutive),
            role: MemberRole::from_code(&role).unwrap_or(MemberRole::Member),
            active: r.get(6)?,
            start_date: NaiveDate::MIN,
            end_date: None,
        },
        r.get(7)?,
        r.get(8)?,
    ))
}

fn member_dated(
    (member, start, end): (Member, String, Option<String>),
) -> Result<Member, StoreError> {
    Ok(Member {
        start_date: date(&start)?,
        end_date: opt_date(end.as_deref())?,
        ..member
    })
}

/// Adds a member (`id` 0) or changes one, with one set of values for both; the member's id.
pub fn save_member(tx: &Tx<'_>, member: &Member) -> Result<i64, StoreError> {
    let (start, end) = (
        member.start_date.to_string(),
        member.end_date.map(|d| d.to_string()),
    );
    // ?1 is the id: an update's; an insert takes the rest.
    let values = args![
        member.id,
        member.full_name.trim(),
        member.organisation.trim(),
        member.position.trim(),
        member.group.code(),
        member.role.code(),
        member.active,
        start,
        end,
    ];
    if member.id > 0 {
        let changed = tx.execute(
            "UPDATE commission_members SET full_name = ?2, organisation = ?3, position = ?4,
                 member_group = ?5, member_role = ?6, active = ?7, start_date = ?8, end_date = ?9
             WHERE id = ?1",
            values,
        )?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: "member",
                id: member.id.to_string(),
            });
        }
        Ok(member.id)
    } else {
        Ok(tx.query_row(
            "INSERT INTO commission_members (full_name, organisation, position, member_group, member_role, active, start_date, end_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
            &values[1..],
            |r| r.get(0),
        )?)
    }
}

/// Every member, the active ones first, by name.
pub fn members(tx: &Tx<'_>) -> Result<Vec<Member>, StoreError> {
    let raws = tx.query_map(
        &format!(
            "SELECT {MEMBER_COLUMNS} FROM commission_members m ORDER BY m.active DESC, m.full_name"
        ),
        args![],
        member_row,
    )?;
    raws.into_iter().map(member_dated).collect()
}

/// Creates a meeting with no agenda yet; its id.
pub fn insert_meeting(
    tx: &Tx<'_>,
    meeting: &NewMeeting<'_>,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    tx.query_row("INSERT INTO meetings (held_on, place, created_by, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id", args![
            meeting.held_on.to_string(),
            meeting.place.trim(),
            meeting.created_by,
            fmt_time(now)
        ],
        |r| r.get(0),)
}

/// Puts an application on a meeting's agenda at `position` (from 0).
pub fn add_to_agenda(
    tx: &Tx<'_>,
    meeting_id: i64,
    application_id: i64,
    position: usize,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO agenda_items (meeting_id, application_id, position) VALUES (?1, ?2, ?3)",
        args![meeting_id, application_id, position as i64],
    )?;
    Ok(())
}

/// Whether an application is on a meeting's agenda.
pub fn on_agenda(tx: &Tx<'_>, meeting_id: i64, application_id: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = tx.query_opt(
        "SELECT position FROM agenda_items WHERE meeting_id = ?1 AND application_id = ?2",
        args![meeting_id, application_id],
        |r| r.get(0),
    )?;
    Ok(found.is_some())
}

/// The applications on a meeting's agenda, in order.
pub fn agenda(tx: &Tx<'_>, meeting_id: i64) -> Result<Vec<i64>, StoreError> {
    let ids = tx.query_map(
        "SELECT application_id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position",
        args![meeting_id],
        |r| r.get(0),
    )?;
    Ok(ids)
}

/// Marks a member present or absent at a meeting.
pub fn set_attendance(
    tx: &Tx<'_>,
    meeting_id: i64,
    member_id: i64,
    present: bool,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO attendance (meeting_id, member_id, present) VALUES (?1, ?2, ?3)
             ON CONFLICT (meeting_id, member_id) DO UPDATE SET present = excluded.present",
        args![meeting_id, member_id, present],
    )?;
    Ok(())
}

/// The members marked at a meeting and whether present: the chair, the secretary, then the
/// members by name (the protocol's order).
pub fn attendance(tx: &Tx<'_>, meeting_id: i64) -> Result<Vec<(Member, bool)>, StoreError> {
    let raws = tx.query_map(&format!(
        "SELECT {MEMBER_COLUMNS}, a.present FROM attendance a JOIN commission_members m ON m.id = a.member_id
         WHERE a.meeting_id = ?1
         ORDER BY m.member_role <> 'chair', m.member_role <> 'secretary', m.full_name"
    ), args![meeting_id], |r| Ok((member_row(r)?, r.get::<bool>(9)?)))?;
    raws.into_iter()
        .map(|(raw, present)| Ok((member_dated(raw)?, present)))
        .collect()
}

/// Records a member's conflict of interest for an application at a meeting (a second
/// declaration replaces the note).
pub fn declare_conflict(
    tx: &Tx<'_>,
    meeting_id: i64,
    member_id: i64,
    application_id: i64,
    note: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO conflicts (meeting_id, member_id, application_id, note, declared_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (meeting_id, member_id, application_id) DO UPDATE SET note = excluded.note, declared_at = excluded.declared_at",
        args![meeting_id, member_id, application_id, note.trim(), fmt_time(now)],
    )?;
    Ok(())
}

/// Removes a declared conflict of interest.
pub fn withdraw_conflict(
    tx: &Tx<'_>,
    meeting_id: i64,
    member_id: i64,
    application_id: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "DELETE FROM conflicts WHERE meeting_id = ?1 AND member_id = ?2 AND application_id = ?3",
        args![meeting_id, member_id, application_id],
    )?;
    Ok(())
}

/// Whether a member declared a conflict of interest for an application at a meeting.
pub fn is_conflicted(
    tx: &Tx<'_>,
    meeting_id: i64,
    member_id: i64,
    application_id: i64,
) -> Result<bool, StoreError> {
    let found: Option<i64> = tx.query_opt(
        "SELECT 1 FROM conflicts WHERE meeting_id = ?1 AND member_id = ?2 AND application_id = ?3",
        args![meeting_id, member_id, application_id],
        |r| r.get(0),
    )?;
    Ok(found.is_some())
}

/// The ids of the members conflicted on an application at a meeting.
pub fn conflicted_members(
    tx: &Tx<'_>,
    meeting_id: i64,
    application_id: i64,
) -> Result<Vec<i64>, StoreError> {
    let ids = tx.query_map(
        "SELECT member_id FROM conflicts WHERE meeting_id = ?1 AND application_id = ?2",
        args![meeting_id, application_id],
        |r| r.get(0),
    )?;
    Ok(ids)
}

/// Records a score; its id.
pub fn insert_score(
    tx: &Tx<'_>,
    new: &NewScore<'_>,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let periods = serde_json::to_string(&new.input.periods)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    tx.query_row("INSERT INTO scores (application_id, meeting_id, scheme_version, higher_education, academic_degree, english_certificate,
             periods, education_points, experience_years, experience_points, total, passed, scored_by, scored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) RETURNING id", args![
            new.application_id,
            new.meeting_id,
            new.score.scheme,
            new.input.higher_education,
            new.input.academic_degree,
            new.input.english_certificate,
            periods,
            new.score.education_points,
            new.score.experience_years,
            new.score.experience_points,
            new.score.total,
            new.score.passed,
            new.scored_by,
            fmt_time(now),
        ],
        |r| r.get(0),)
}

const SCORE_COLUMNS: &str = "higher_education, academic_degree, english_certificate, periods, education_points, experience_years,
    experience_points, total, passed, scheme_version";

type RawScore = (ScoreRecord, String);

fn raw_score(r: &Row<'_>) -> Result<RawScore, StoreError> {
    Ok((
        ScoreRecord {
            input: ScoreInput {
                higher_education: r.get(0)?,
                academic_degree: r.get(1)?,
                english_certificate: r.get(2)?,
                periods: Vec::new(),
            },
            education_points: r.get(4)?,
            experience_years: r.get(5)?,
            experience_points: r.get(6)?,
            total: r.get(7)?,
            passed: r.get(8)?,
            scheme_version: r.get(9)?,
        },
        r.get(3)?,
    ))
}

fn score_from_raw(raw: Option<RawScore>) -> Result<Option<ScoreRecord>, StoreError> {
    let Some((mut record, periods)) = raw else {
        return Ok(None);
    };
    record.input.periods = from_json(&periods)?;
    Ok(Some(record))
}

/// The latest score of an application, at any meeting.
pub fn latest_score(tx: &Tx<'_>, application_id: i64) -> Result<Option<ScoreRecord>, StoreError> {
    let raw = tx.query_opt(
        &format!(
            "SELECT {SCORE_COLUMNS} FROM scores WHERE application_id = ?1 ORDER BY id DESC LIMIT 1"
        ),
        args![application_id],
        raw_score,
    )?;
    score_from_raw(raw)
}

/// The latest score an application was given at a meeting.
pub fn score_at(
    tx: &Tx<'_>,
    application_id: i64,
    meeting_id: i64,
) -> Result<Option<ScoreRecord>, StoreError> {
    let raw = tx.query_opt(
            &format!(
                "SELECT {SCORE_COLUMNS} FROM scores WHERE application_id = ?1 AND meeting_id = ?2 ORDER BY id DESC LIMIT 1"
            ),
            args![application_id, meeting_id],
            raw_score,
        )?;
    score_from_raw(raw)
}

/// Whether an application has been scored at all.
pub fn is_scored(tx: &Tx<'_>, application_id: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = tx.query_opt(
        "SELECT id FROM scores WHERE application_id = ?1 LIMIT 1",
        args![application_id],
        |r| r.get(0),
    )?;
    Ok(found.is_some())
}

/// Records the commission's recommendation on an application, replacing an earlier one.
pub fn write_recommendation(
    tx: &Tx<'_>,
    application_id: i64,
    meeting_id: Option<i64>,
    recommendation: &Recommendation,
    recorded_by: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let (outcome, ground, motivation) = match recommendation {
        Recommendation::Issue => ("issue", None, ""),
        Recommendation::Refuse { ground, motivation } => {
            ("refuse", Some(ground.number()), motivation.as_str())
        }
    };
    tx.execute("INSERT INTO recommendations (application_id, meeting_id, outcome, ground, motivation, recorded_by, recorded_at,
             commission_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT a.commission_by FROM applications a WHERE a.id = ?1))
         ON CONFLICT (application_id) DO UPDATE SET meeting_id = excluded.meeting_id, outcome = excluded.outcome,
             ground = excluded.ground, motivation = excluded.motivation, recorded_by = excluded.recorded_by,
             recorded_at = excluded.recorded_at, commission_by = excluded.commission_by", args![application_id, meeting_id, outcome, ground, motivation, recorded_by, fmt_time(now)],)?;
    Ok(())
}

/// The commission's recommendation as stored, with the meeting that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecommendationRow {
    pub recommendation: Recommendation,
    pub meeting_id: Option<i64>,
    pub held_on: Option<NaiveDate>,
}

/// outcome, ground, motivation, meeting id, meeting day
type RawRecommendation = (String, Option<u8>, String, Option<i64>, Option<String>);

/// The commission's recommendation on an application, if there is one.
pub fn recommendation(
    tx: &Tx<'_>,
    application_id: i64,
) -> Result<Option<RecommendationRow>, StoreError> {
    let raw: Option<RawRecommendation> = tx.query_opt(
            "SELECT r.outcome, r.ground, r.motivation, m.id, m.held_on
             FROM recommendations r LEFT JOIN meetings m ON m.id = r.meeting_id WHERE r.application_id = ?1",
            args![application_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    raw.map(|(outcome, ground, motivation, meeting_id, held_on)| {
        let recommendation = match (outcome.as_str(), ground) {
            ("issue", _) => Recommendation::Issue,
            ("refuse", Some(number)) => Recommendation::Refuse {
                ground: RefusalGround::from_number(number)
                    .ok_or_else(|| unknown("refusal ground", &number.to_string()))?,
                motivation,
            },
            _ => return Err(unknown("recommendation", &outcome)),
        };
        Ok(RecommendationRow {
            recommendation,
            meeting_id,
            held_on: opt_date(held_on.as_deref())?,
        })
    })
    .transpose()
}

/// The meetings, newest first, with the length of their agendas.
pub fn meetings(tx: &Tx<'_>, limit: usize) -> Result<Vec<MeetingRow>, StoreError> {
    let raws = tx.query_map("SELECT m.id, m.held_on, m.place, (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = m.id)
         FROM meetings m ORDER BY m.held_on DESC, m.id DESC LIMIT ?1", args![limit as i64], |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<i64>(3)?,
            ))
        })?;
    raws.into_iter()
        .map(|(id, held_on, place, items)| {
            Ok(MeetingRow {
                id,
                held_on: date(&held_on)?,
                place,
                items,
            })
        })
        .collect()
}

/// A meeting's day and place; [`StoreError::NotFound`] if there is no such meeting.
pub fn meeting(tx: &Tx<'_>, id: i64) -> Result<Meeting, StoreError> {
    let row: Option<(String, String)> = tx.query_opt(
        "SELECT held_on, place FROM meetings WHERE id = ?1",
        args![id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let Some((held_on, place)) = row else {
        return Err(StoreError::NotFound {
            what: "meeting",
            id: id.to_string(),
        });
    };
    Ok(Meeting {
        id,
        held_on: date(&held_on)?,
        place,
    })
}

/// Moves a meeting to another day.
pub fn reschedule_meeting(tx: &Tx<'_>, id: i64, held_on: NaiveDate) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE meetings SET held_on = ?2 WHERE id = ?1",
        args![id, held_on.to_string()],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound {
            what: "meeting",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Whether a score or a recommendation was recorded at this meeting (it took place).
pub fn meeting_has_records(tx: &Tx<'_>, id: i64) -> Result<bool, StoreError> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM scores WHERE meeting_id = ?1)
             OR EXISTS (SELECT 1 FROM recommendations WHERE meeting_id = ?1)",
        args![id],
        |r| r.get(0),
    )
}

/// Removes a meeting that did not take place, with its attendance, conflicts and agenda: the
/// applications on it are candidates again.
pub fn delete_meeting(tx: &Tx<'_>, id: i64) -> Result<(), StoreError> {
    for table in ["conflicts", "attendance", "agenda_items"] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE meeting_id = ?1"),
            args![id],
        )?;
    }
    if tx.execute("DELETE FROM meetings WHERE id = ?1", args![id])? == 0 {
        return Err(StoreError::NotFound {
            what: "meeting",
            id: id.to_string(),
        });
    }
    Ok(())
}

/// Applications with the commission and on no agenda yet, nearest deadline first (at most 500).
pub fn candidates(tx: &Tx<'_>) -> Result<Vec<Candidate>, StoreError> {
    let raws = tx.query_map("SELECT a.id, a.number, p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), pr.name, a.commission_by
         FROM applications a JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id
         WHERE a.status = 'with_commission' AND NOT EXISTS (SELECT 1 FROM agenda_items i WHERE i.application_id = a.id)
         ORDER BY a.commission_by, a.id LIMIT 500", args![], |r| {
            Ok((
                Candidate {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    applicant: r.get(2)?,
                    profession: r.get(3)?,
                    commission_by: None,
                },
                r.get::<Option<String>>(4)?,
            ))
        })?;
    raws.into_iter()
        .map(|(candidate, by)| {
            Ok(Candidate {
                commission_by: opt_date(by.as_deref())?,
                ..candidate
            })
        })
        .collect()
}
