//! The commission (R§6, R§9, R§10): members, meetings, attendance, conflicts of interest, the
//! agenda, scores and recommendations.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::applications::{load_application, transition};
use super::{Missing, Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, write_tx};
use crate::domain::refusal::RefusalGround;
use crate::domain::roles::Action;
use crate::domain::scoring::{self, Score, ScoreInput};
use crate::domain::status::{ApplicationEvent, ApplicationStatus};
use crate::store::{Store, reference};

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

/// Adds a member, or changes one (`id` set).
pub fn save_member(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    member: &Member,
) -> Result<i64> {
    session.require(Action::ManageCommission)?;
    if member.full_name.trim().is_empty() || member.organisation.trim().is_empty() {
        return Err(RuleError::Missing(if member.full_name.trim().is_empty() {
            Missing::MemberName
        } else {
            Missing::MemberOrganisation
        })
        .into()); // R§6
    }
    if member.end_date.is_some_and(|end| end < member.start_date) {
        return Err(RuleError::MemberDates.into());
    }
    let tx = write_tx(store.conn_mut())?;
    let (start, end) = (
        member.start_date.to_string(),
        member.end_date.map(|d| d.to_string()),
    );
    // One set of values for both statements; an insert ignores :id.
    let values = rusqlite::named_params! {
        ":id": member.id,
        ":full_name": member.full_name.trim(),
        ":organisation": member.organisation.trim(),
        ":position": member.position.trim(),
        ":group": member.group.code(),
        ":role": member.role.code(),
        ":active": member.active,
        ":start": start,
        ":end": end,
    };
    let id = if member.id > 0 {
        let changed = tx.execute(
            "UPDATE commission_members SET full_name = :full_name, organisation = :organisation, position = :position,
                 member_group = :group, member_role = :role, active = :active, start_date = :start, end_date = :end
             WHERE id = :id",
            values,
        )?;
        if changed == 0 {
            return Err(ServiceError::NotFound {
                what: "member",
                id: member.id.to_string(),
            });
        }
        member.id
    } else {
        tx.execute(
            "INSERT INTO commission_members (full_name, organisation, position, member_group, member_role, active, start_date, end_date)
             VALUES (:full_name, :organisation, :position, :group, :role, :active, :start, :end)",
            &values[1..],
        )?;
        tx.last_insert_rowid()
    };
    legacy_audit(
        &tx,
        session,
        now,
        "save_member",
        &format!("member:{id}"),
        &format!("{} ({})", member.full_name.trim(), member.group.code()),
    )?;
    tx.commit()?;
    Ok(id)
}

pub fn members(store: &Store) -> Result<Vec<Member>> {
    let mut stmt = store.conn().prepare(
        "SELECT id, full_name, organisation, position, member_group, member_role, active, start_date, end_date
         FROM commission_members ORDER BY active DESC, full_name",
    )?;
    let raws = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(
            |(id, full_name, organisation, position, group, role, active, start, end)| {
                Ok(Member {
                    id,
                    full_name,
                    organisation,
                    position,
                    group: MemberGroup::from_code(&group).unwrap_or(MemberGroup::LocalExecutive),
                    role: MemberRole::from_code(&role).unwrap_or(MemberRole::Member),
                    active,
                    start_date: super::parse_date(&start)?,
                    end_date: end.as_deref().map(super::parse_date).transpose()?,
                })
            },
        )
        .collect()
}

/// Creates a meeting; its agenda is the given applications, which must be with the commission.
pub fn create_meeting(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    held_on: NaiveDate,
    place: &str,
    agenda: &[i64],
) -> Result<i64> {
    session.require(Action::ManageCommission)?;
    if place.trim().is_empty() {
        return Err(RuleError::Missing(Missing::MeetingPlace).into()); // R§9
    }
    let tx = write_tx(store.conn_mut())?;
    tx.execute(
        "INSERT INTO meetings (held_on, place, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            held_on.to_string(),
            place.trim(),
            session.user_id,
            fmt_time(now)
        ],
    )?;
    let id = tx.last_insert_rowid();
    for (position, application_id) in agenda.iter().enumerate() {
        let app = load_application(&tx, *application_id)?;
        if app.status != ApplicationStatus::WithCommission {
            return Err(RuleError::NotWithCommission(app.number).into());
        }
        tx.execute(
            "INSERT INTO agenda_items (meeting_id, application_id, position) VALUES (?1, ?2, ?3)",
            params![id, application_id, position as i64],
        )?;
    }
    legacy_audit(
        &tx,
        session,
        now,
        "create_meeting",
        &format!("meeting:{id}"),
        &format!("{held_on} {} applications", agenda.len()),
    )?;
    tx.commit()?;
    Ok(id)
}

/// Records who is present at a meeting.
pub fn set_attendance(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
    member_id: i64,
    present: bool,
) -> Result<()> {
    session.require(Action::ManageCommission)?;
    let tx = write_tx(store.conn_mut())?;
    tx.execute(
        "INSERT INTO attendance (meeting_id, member_id, present) VALUES (?1, ?2, ?3)
         ON CONFLICT (meeting_id, member_id) DO UPDATE SET present = excluded.present",
        params![meeting_id, member_id, present],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "set_attendance",
        &format!("meeting:{meeting_id}"),
        &format!("member {member_id} present {present}"),
    )?;
    tx.commit()?;
    Ok(())
}

/// A member declares a conflict of interest for an application (R§9, SPEC §5).
pub fn declare_conflict(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
    member_id: i64,
    application_id: i64,
    note: &str,
) -> Result<()> {
    session.require(Action::ManageCommission)?;
    let tx = write_tx(store.conn_mut())?;
    let on_agenda: Option<i64> = tx
        .query_row(
            "SELECT position FROM agenda_items WHERE meeting_id = ?1 AND application_id = ?2",
            params![meeting_id, application_id],
            |r| r.get(0),
        )
        .optional()?;
    if on_agenda.is_none() {
        return Err(RuleError::NotOnAgenda.into());
    }
    tx.execute(
        "INSERT OR REPLACE INTO conflicts (meeting_id, member_id, application_id, note, declared_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![meeting_id, member_id, application_id, note.trim(), fmt_time(now)],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "declare_conflict",
        &format!("application:{application_id}"),
        &format!("member {member_id} at meeting {meeting_id}"),
    )?;
    tx.commit()?;
    Ok(())
}

/// Scores an application at a meeting with the scheme in force (R§10, SPEC §4). `scoring_member`
/// is the member whose assessment this is, if the secretary records one member's score; a
/// member with a declared conflict is refused (R§9).
pub fn score(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
    application_id: i64,
    scoring_member: Option<i64>,
    input: &ScoreInput,
) -> Result<Score> {
    session.require(Action::Score)?;
    let tx = write_tx(store.conn_mut())?;
    let on_agenda: Option<i64> = tx
        .query_row(
            "SELECT position FROM agenda_items WHERE meeting_id = ?1 AND application_id = ?2",
            params![meeting_id, application_id],
            |r| r.get(0),
        )
        .optional()?;
    if on_agenda.is_none() {
        return Err(RuleError::NotOnAgenda.into());
    }
    if let Some(member) = scoring_member {
        let conflicted: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM conflicts WHERE meeting_id = ?1 AND member_id = ?2 AND application_id = ?3",
                params![meeting_id, member, application_id],
                |r| r.get(0),
            )
            .optional()?;
        if conflicted.is_some() {
            return Err(RuleError::Conflicted.into());
        }
    }
    let app = load_application(&tx, application_id)?;
    if app.status != ApplicationStatus::WithCommission {
        return Err(RuleError::NotWithCommission(app.number).into());
    }
    let scheme = reference::scheme_on(&crate::store::Tx::wrap(&tx), now.date())?;
    let result = scoring::score(&scheme, input);
    let periods =
        serde_json::to_string(&input.periods).map_err(|e| RuleError::Invalid(e.to_string()))?;
    tx.execute(
        "INSERT INTO scores (application_id, meeting_id, scheme_version, higher_education, academic_degree, english_certificate,
             periods, education_points, experience_years, experience_points, total, passed, scored_by, scored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            application_id,
            meeting_id,
            result.scheme,
            input.higher_education,
            input.academic_degree,
            input.english_certificate,
            periods,
            result.education_points,
            result.experience_years,
            result.experience_points,
            result.total,
            result.passed,
            session.user_id,
            fmt_time(now),
        ],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "score",
        &format!("application:{application_id}"),
        &format!(
            "total {} of threshold {} (scheme {})",
            result.total, result.threshold, result.scheme
        ),
    )?;
    tx.commit()?;
    Ok(result)
}

/// The latest score of an application.
pub fn latest_score(store: &Store, application_id: i64) -> Result<Option<(Score, ScoreInput)>> {
    let row = store
        .conn()
        .query_row(
            "SELECT higher_education, academic_degree, english_certificate, periods, education_points, experience_years,
                    experience_points, total, passed, scheme_version FROM scores WHERE application_id = ?1 ORDER BY id DESC LIMIT 1",
            [application_id],
            |r| {
                Ok((
                    r.get::<_, bool>(0)?,
                    r.get::<_, bool>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, u32>(6)?,
                    r.get::<_, u32>(7)?,
                    r.get::<_, bool>(8)?,
                    r.get::<_, String>(9)?,
                ))
            },
        )
        .optional()?;
    let Some((higher, degree, english, periods, edu, years, exp, total, passed, version)) = row
    else {
        return Ok(None);
    };
    let periods = serde_json::from_str(&periods).map_err(|e| RuleError::Invalid(e.to_string()))?;
    let scheme: crate::domain::scoring::Scheme = {
        let content: String = store.conn().query_row(
            "SELECT content FROM scoring_schemes WHERE version = ?1",
            [&version],
            |r| r.get(0),
        )?;
        serde_json::from_str(&content).map_err(|e| RuleError::Invalid(e.to_string()))?
    };
    let input = ScoreInput {
        higher_education: higher,
        academic_degree: degree,
        english_certificate: english,
        periods,
    };
    let stored = Score {
        education_points: edu,
        service: scoring::length_of_service(&input.periods),
        experience_years: years,
        experience_points: exp,
        total,
        threshold: scheme.threshold,
        passed,
        scheme: version,
    };
    Ok(Some((stored, input)))
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

/// Records the recommendation; the application moves to "recommended" (R§9).
pub fn recommend(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: Option<i64>,
    application_id: i64,
    recommendation: &Recommendation,
) -> Result<()> {
    session.require(Action::Recommend)?;
    let tx = write_tx(store.conn_mut())?;
    let scored: Option<i64> = tx
        .query_row(
            "SELECT id FROM scores WHERE application_id = ?1 LIMIT 1",
            [application_id],
            |r| r.get(0),
        )
        .optional()?;
    let (outcome, ground, motivation) = match recommendation {
        Recommendation::Issue => {
            if scored.is_none() {
                return Err(RuleError::NotScored.into());
            }
            ("issue", None, String::new())
        }
        Recommendation::Refuse { ground, motivation } => {
            if motivation.trim().is_empty() {
                return Err(RuleError::MotivationRequired.into());
            }
            (
                "refuse",
                Some(ground.number()),
                motivation.trim().to_string(),
            )
        }
    };
    let mut app = load_application(&tx, application_id)?;
    transition(
        &crate::store::Tx::wrap(&tx),
        session,
        now,
        &mut app,
        ApplicationEvent::Recommend,
    )?;
    tx.execute(
        "INSERT OR REPLACE INTO recommendations (application_id, meeting_id, outcome, ground, motivation, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![application_id, meeting_id, outcome, ground, motivation, session.user_id, fmt_time(now)],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "recommend",
        &format!("application:{application_id}"),
        &format!(
            "{outcome}{}",
            ground
                .map(|g| format!(" ground A2.9.{g}"))
                .unwrap_or_default()
        ),
    )?;
    tx.commit()?;
    Ok(())
}

/// The stored recommendation of an application.
pub fn recommendation(store: &Store, application_id: i64) -> Result<Option<Recommendation>> {
    let row: Option<(String, Option<u8>, String)> = store
        .conn()
        .query_row(
            "SELECT outcome, ground, motivation FROM recommendations WHERE application_id = ?1",
            [application_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(outcome, ground, motivation)| {
        match (
            outcome.as_str(),
            ground.and_then(RefusalGround::from_number),
        ) {
            ("refuse", Some(ground)) => Recommendation::Refuse { ground, motivation },
            _ => Recommendation::Issue,
        }
    }))
}

/// A meeting in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRow {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    pub items: i64,
}

/// The meetings, newest first.
pub fn meetings(store: &Store, session: &Session, limit: usize) -> Result<Vec<MeetingRow>> {
    if !(session.may(Action::ManageCommission) || session.may(Action::ViewSharedScreen)) {
        return Err(ServiceError::Forbidden(Action::ManageCommission));
    }
    let mut stmt = store.conn().prepare(
        "SELECT m.id, m.held_on, m.place, (SELECT count(*) FROM agenda_items a WHERE a.meeting_id = m.id)
         FROM meetings m ORDER BY m.held_on DESC, m.id DESC LIMIT ?1",
    )?;
    let raws = stmt
        .query_map([limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter()
        .map(|(id, held_on, place, items)| {
            Ok(MeetingRow {
                id,
                held_on: super::parse_date(&held_on)?,
                place,
                items,
            })
        })
        .collect()
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

/// Applications forwarded to the commission and not yet on an agenda, nearest deadline first.
pub fn candidates(store: &Store, session: &Session) -> Result<Vec<Candidate>> {
    session.require(Action::ManageCommission)?;
    let mut stmt = store.conn().prepare(
        "SELECT a.id, a.number, p.surname || ' ' || p.given_name || coalesce(' ' || p.patronymic, ''), pr.name, a.commission_by
         FROM applications a JOIN applicants p ON p.id = a.applicant_id JOIN professions pr ON pr.id = a.profession_id
         WHERE a.status = 'with_commission' AND NOT EXISTS (SELECT 1 FROM agenda_items i WHERE i.application_id = a.id)
         ORDER BY a.commission_by, a.id LIMIT 500",
    )?;
    let raws = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, Option<String>)>>>()?;
    raws.into_iter()
        .map(|(id, number, applicant, profession, by)| {
            Ok(Candidate {
                id,
                number,
                applicant,
                profession,
                commission_by: by.as_deref().map(super::parse_date).transpose()?,
            })
        })
        .collect()
}

/// One applicant on a meeting's agenda, with what the shared screen may show (no identity
/// numbers, addresses, phones or e-mails: SPEC §10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub application_id: i64,
    pub number: String,
    pub applicant: String,
    pub citizenship: String,
    pub profession: String,
    pub sector: String,
    pub status: crate::domain::status::ApplicationStatus,
    pub commission_by: Option<NaiveDate>,
    /// The checklist items about education and work, received or not.
    pub documents: Vec<(crate::domain::documents::DocumentType, bool)>,
    pub score: Option<(Score, ScoreInput)>,
    pub recommendation: Option<Recommendation>,
    pub conflicted_members: Vec<i64>,
}

/// A meeting with its attendance and agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetail {
    pub id: i64,
    pub held_on: NaiveDate,
    pub place: String,
    /// Active members with whether they are marked present.
    pub attendance: Vec<(Member, bool)>,
    pub items: Vec<AgendaItem>,
}

/// A meeting for the secretary's screen and the shared screen.
pub fn meeting_detail(store: &Store, session: &Session, meeting_id: i64) -> Result<MeetingDetail> {
    if !(session.may(Action::ManageCommission) || session.may(Action::ViewSharedScreen)) {
        return Err(ServiceError::Forbidden(Action::ManageCommission));
    }
    let conn = store.conn();
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT held_on, place FROM meetings WHERE id = ?1",
            [meeting_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((held_on, place)) = row else {
        return Err(ServiceError::NotFound {
            what: "meeting",
            id: meeting_id.to_string(),
        });
    };
    let present: Vec<(i64, bool)> = {
        let mut stmt =
            conn.prepare("SELECT member_id, present FROM attendance WHERE meeting_id = ?1")?;
        stmt.query_map([meeting_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let attendance = members(store)?
        .into_iter()
        .filter(|m| m.active || present.iter().any(|(id, _)| *id == m.id))
        .map(|m| {
            let is_present = present
                .iter()
                .find(|(id, _)| *id == m.id)
                .is_some_and(|(_, p)| *p);
            (m, is_present)
        })
        .collect();
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare(
            "SELECT application_id FROM agenda_items WHERE meeting_id = ?1 ORDER BY position",
        )?;
        stmt.query_map([meeting_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut items = Vec::new();
    for id in ids {
        let app = load_application(conn, id)?;
        let applicant = super::applications::load_applicant(conn, app.applicant_id)?;
        let profession = super::applications::load_profession(conn, app.profession_id)?;
        let documents = super::applications::load_documents(conn, id)?
            .into_iter()
            .filter(|d| {
                matches!(
                    d.doc_type,
                    crate::domain::documents::DocumentType::EducationOrEnglishCertificate
                        | crate::domain::documents::DocumentType::WorkActivity
                )
            })
            .map(|d| (d.doc_type, d.received))
            .collect();
        let conflicted_members = {
            let mut stmt = conn.prepare(
                "SELECT member_id FROM conflicts WHERE meeting_id = ?1 AND application_id = ?2",
            )?;
            stmt.query_map(params![meeting_id, id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?
        };
        items.push(AgendaItem {
            application_id: id,
            number: app.number.clone(),
            applicant: applicant.full_name(),
            citizenship: if applicant.input.citizenship.is_empty() {
                String::new()
            } else {
                applicant.input.citizenship.clone()
            },
            profession: profession.name,
            sector: profession.sector,
            status: app.status,
            commission_by: app.commission_by,
            documents,
            score: latest_score(store, id)?,
            recommendation: recommendation(store, id)?,
            conflicted_members,
        });
    }
    Ok(MeetingDetail {
        id: meeting_id,
        held_on: super::parse_date(&held_on)?,
        place,
        attendance,
        items,
    })
}

/// Withdraws a conflict of interest declared by mistake.
pub fn withdraw_conflict(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
    member_id: i64,
    application_id: i64,
) -> Result<()> {
    session.require(Action::ManageCommission)?;
    let tx = write_tx(store.conn_mut())?;
    tx.execute(
        "DELETE FROM conflicts WHERE meeting_id = ?1 AND member_id = ?2 AND application_id = ?3",
        params![meeting_id, member_id, application_id],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "withdraw_conflict",
        &format!("application:{application_id}"),
        &format!("member {member_id} at meeting {meeting_id}"),
    )?;
    tx.commit()?;
    Ok(())
}
