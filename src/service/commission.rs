//! The commission (R§6, R§9, R§10): members, meetings, attendance, conflicts of interest, the
//! agenda, scores and recommendations.

use chrono::{NaiveDate, NaiveDateTime};

use super::lifecycle::transition;
use super::{Missing, Result, RuleError, ServiceError, Session, audit, profession};
use crate::domain::roles::Action;
use crate::domain::scoring::{self, Score, ScoreInput};
use crate::domain::sequence;
use crate::domain::status::{ApplicationEvent, ApplicationStatus};
use crate::store::applications as stored_applications;
use crate::store::commission::{self as stored, NewMeeting, NewScore};
pub use crate::store::commission::{
    Candidate, MeetingRow, Member, MemberGroup, MemberRole, Recommendation,
};
use crate::store::{Store, StoreError, Tx, applicants, documents, reference};

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
    store.write(|tx| {
        let before = if member.id > 0 {
            let Some(before) = stored::members(tx)?.into_iter().find(|m| m.id == member.id) else {
                return Err(ServiceError::NotFound {
                    what: "member",
                    id: member.id.to_string(),
                });
            };
            Some(before)
        } else {
            None
        };
        let id = stored::save_member(tx, member)?;
        let summary = match &before {
            Some(before) => {
                let changes = member_changes(before, member);
                if changes.is_empty() {
                    return Err(RuleError::NothingChanged.into());
                }
                serde_json::json!({ "member": member.full_name.trim(), "changes": changes })
                    .to_string()
            }
            None => format!("{} ({})", member.full_name.trim(), member.group.code()),
        };
        audit(
            tx,
            session,
            now,
            "save_member",
            &format!("member:{id}"),
            &summary,
        )?;
        Ok(id)
    })
}

/// The fields of a member that an edit changes, `{"position": {"before": …, "after": …}}`.
fn member_changes(before: &Member, after: &Member) -> serde_json::Map<String, serde_json::Value> {
    let text = |m: &Member| {
        [
            ("full_name", m.full_name.trim().to_string()),
            ("organisation", m.organisation.trim().to_string()),
            ("position", m.position.trim().to_string()),
            ("group", m.group.code().to_string()),
            ("role", m.role.code().to_string()),
            ("active", m.active.to_string()),
            ("start_date", m.start_date.to_string()),
            (
                "end_date",
                m.end_date.map(|d| d.to_string()).unwrap_or_default(),
            ),
        ]
    };
    let mut changes = serde_json::Map::new();
    for ((field, old), (_, new)) in text(before).into_iter().zip(text(after)) {
        if old != new {
            changes.insert(
                field.to_string(),
                serde_json::json!({ "before": old, "after": new }),
            );
        }
    }
    changes
}

pub fn members(store: &Store) -> Result<Vec<Member>> {
    Ok(store.read(stored::members)?)
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
    store.write(|tx| {
        // A meeting is held on a working day of the calendar (R§9, A2.7), as a moved one is.
        if !sequence::meeting_day_allowed(&reference::calendar(tx)?, held_on) {
            return Err(RuleError::NotWorkingDay { date: held_on }.into());
        }
        let meeting = NewMeeting {
            held_on,
            place,
            created_by: session.user_id,
        };
        let id = stored::insert_meeting(tx, &meeting, now)?;
        for (position, application_id) in agenda.iter().enumerate() {
            let app = stored_applications::load(tx, *application_id)?;
            if app.status != ApplicationStatus::WithCommission {
                return Err(RuleError::NotWithCommission(app.number).into());
            }
            // R§7, R§9: the commission reviews documents it has received.
            if !sequence::meeting_follows_forwarding(held_on, app.forwarded_on) {
                return Err(RuleError::MeetingBeforeForwarding {
                    forwarded_on: app.forwarded_on.unwrap_or(held_on),
                    number: app.number,
                }
                .into());
            }
            stored::add_to_agenda(tx, id, *application_id, position)?;
        }
        audit(
            tx,
            session,
            now,
            "create_meeting",
            &format!("meeting:{id}"),
            &format!("{held_on} {} applications", agenda.len()),
        )?;
        Ok(id)
    })
}

/// A meeting moved to another day: the numbers of the agenda's applications whose R§9 limit
/// (3 working days from forwarding) the new day passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rescheduled {
    pub held_on: NaiveDate,
    pub past_limit: Vec<String>,
}

/// Moves a meeting that has not taken place to another working day (the calendar decides,
/// A2.7); the applications whose R§9 limit the new day passes are named, not refused: the
/// commission may still meet late, and the warning says so.
pub fn reschedule_meeting(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
    held_on: NaiveDate,
) -> Result<Rescheduled> {
    session.require(Action::ManageCommission)?;
    store.write(|tx| {
        let meeting = stored::meeting(tx, meeting_id)?;
        if stored::meeting_has_records(tx, meeting_id)? {
            return Err(RuleError::MeetingHeld.into());
        }
        let calendar = reference::calendar(tx)?;
        if !sequence::meeting_day_allowed(&calendar, held_on) {
            return Err(RuleError::NotWorkingDay { date: held_on }.into());
        }
        if held_on == meeting.held_on {
            return Err(RuleError::NothingChanged.into());
        }
        let mut past_limit = Vec::new();
        for id in stored::agenda(tx, meeting_id)? {
            let app = stored_applications::load(tx, id)?;
            if app.status != ApplicationStatus::WithCommission {
                continue;
            }
            if !sequence::meeting_follows_forwarding(held_on, app.forwarded_on) {
                return Err(RuleError::MeetingBeforeForwarding {
                    forwarded_on: app.forwarded_on.unwrap_or(held_on),
                    number: app.number,
                }
                .into());
            }
            if sequence::meeting_past_commission_limit(held_on, app.commission_by) {
                past_limit.push(app.number);
            }
        }
        stored::reschedule_meeting(tx, meeting_id, held_on)?;
        let summary = serde_json::json!({
            "changes": {"held_on": {"before": meeting.held_on.to_string(), "after": held_on.to_string()}},
            "past_r9_limit": past_limit,
        });
        audit(
            tx,
            session,
            now,
            "reschedule_meeting",
            &format!("meeting:{meeting_id}"),
            &summary.to_string(),
        )?;
        Ok(Rescheduled {
            held_on,
            past_limit,
        })
    })
}

/// Cancels a meeting that has not taken place: its agenda goes back to the applications
/// awaiting a meeting. Returns the numbers of the applications returned.
pub fn cancel_meeting(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    meeting_id: i64,
) -> Result<Vec<String>> {
    session.require(Action::ManageCommission)?;
    store.write(|tx| {
        let meeting = stored::meeting(tx, meeting_id)?;
        if stored::meeting_has_records(tx, meeting_id)? {
            return Err(RuleError::MeetingHeld.into());
        }
        let returned = stored::agenda(tx, meeting_id)?
            .into_iter()
            .map(|id| stored_applications::load(tx, id).map(|a| a.number))
            .collect::<Result<Vec<_>, StoreError>>()?;
        stored::delete_meeting(tx, meeting_id)?;
        let summary = serde_json::json!({
            "held_on": meeting.held_on.to_string(),
            "place": meeting.place,
            "agenda_returned": returned,
        });
        audit(
            tx,
            session,
            now,
            "cancel_meeting",
            &format!("meeting:{meeting_id}"),
            &summary.to_string(),
        )?;
        Ok(returned)
    })
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
    store.write(|tx| {
        stored::set_attendance(tx, meeting_id, member_id, present)?;
        audit(
            tx,
            session,
            now,
            "set_attendance",
            &format!("meeting:{meeting_id}"),
            &format!("member {member_id} present {present}"),
        )
    })
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
    store.write(|tx| {
        if !stored::on_agenda(tx, meeting_id, application_id)? {
            return Err(RuleError::NotOnAgenda.into());
        }
        stored::declare_conflict(tx, meeting_id, member_id, application_id, note, now)?;
        audit(
            tx,
            session,
            now,
            "declare_conflict",
            &format!("application:{application_id}"),
            &format!("member {member_id} at meeting {meeting_id}"),
        )
    })
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
    store.write(|tx| {
        if !stored::on_agenda(tx, meeting_id, application_id)? {
            return Err(RuleError::NotOnAgenda.into());
        }
        if let Some(member) = scoring_member
            && stored::is_conflicted(tx, meeting_id, member, application_id)?
        {
            return Err(RuleError::Conflicted.into());
        }
        let app = stored_applications::load(tx, application_id)?;
        if app.status != ApplicationStatus::WithCommission {
            return Err(RuleError::NotWithCommission(app.number).into());
        }
        // R§9, R§10: scores are given at the meeting, not before its day.
        let held_on = stored::meeting(tx, meeting_id)?.held_on;
        if !sequence::meeting_has_taken_place(held_on, now.date()) {
            return Err(RuleError::MeetingNotYetHeld { held_on }.into());
        }
        // R§10: experience up to the day it is scored, not beyond.
        if let Some(period) = input.period_after(now.date()) {
            return Err(RuleError::PeriodInFuture { to: period.to }.into());
        }
        let scheme = reference::scheme_on(tx, now.date())?;
        let result = scoring::score(&scheme, input);
        let new = NewScore {
            application_id,
            meeting_id,
            input,
            score: &result,
            scored_by: session.user_id,
        };
        stored::insert_score(tx, &new, now)?;
        audit(
            tx,
            session,
            now,
            "score",
            &format!("application:{application_id}"),
            &format!(
                "total {} of threshold {} (scheme {})",
                result.total, result.threshold, result.scheme
            ),
        )?;
        Ok(result)
    })
}

/// The latest score of an application.
pub fn latest_score(store: &Store, application_id: i64) -> Result<Option<(Score, ScoreInput)>> {
    Ok(store.read(|tx| latest_score_in(tx, application_id))?)
}

fn latest_score_in(
    tx: &Tx<'_>,
    application_id: i64,
) -> Result<Option<(Score, ScoreInput)>, StoreError> {
    let Some(stored) = stored::latest_score(tx, application_id)? else {
        return Ok(None);
    };
    let scheme = reference::scheme_version(tx, &stored.scheme_version)?;
    let score = Score {
        education_points: stored.education_points,
        service: scoring::length_of_service(&stored.input.periods),
        experience_years: stored.experience_years,
        experience_points: stored.experience_points,
        total: stored.total,
        threshold: scheme.threshold,
        passed: stored.passed,
        scheme: stored.scheme_version,
    };
    Ok(Some((score, stored.input)))
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
    store.write(|tx| {
        // R§9: the recommendation is the meeting's, not given before its day.
        if let Some(meeting_id) = meeting_id {
            let held_on = stored::meeting(tx, meeting_id)?.held_on;
            if !sequence::meeting_has_taken_place(held_on, now.date()) {
                return Err(RuleError::MeetingNotYetHeld { held_on }.into());
            }
        }
        let scored = stored::is_scored(tx, application_id)?;
        let recorded = match recommendation {
            Recommendation::Issue => {
                if !scored {
                    return Err(RuleError::NotScored.into());
                }
                Recommendation::Issue
            }
            Recommendation::Refuse { ground, motivation } => {
                if motivation.trim().is_empty() {
                    return Err(RuleError::MotivationRequired.into());
                }
                super::free_text(Missing::Motivation, motivation)?;
                Recommendation::Refuse {
                    ground: *ground,
                    motivation: motivation.trim().to_string(),
                }
            }
        };
        let mut app = stored_applications::load(tx, application_id)?;
        transition(tx, session, now, &mut app, ApplicationEvent::Recommend)?;
        stored::write_recommendation(
            tx,
            application_id,
            meeting_id,
            &recorded,
            session.user_id,
            now,
        )?;
        let summary = match &recorded {
            Recommendation::Issue => "issue".to_string(),
            Recommendation::Refuse { ground, .. } => {
                format!("refuse ground A2.9.{}", ground.number())
            }
        };
        audit(
            tx,
            session,
            now,
            "recommend",
            &format!("application:{application_id}"),
            &summary,
        )
    })
}

/// The stored recommendation of an application.
pub fn recommendation(store: &Store, application_id: i64) -> Result<Option<Recommendation>> {
    let row = store.read(|tx| stored::recommendation(tx, application_id))?;
    Ok(row.map(|r| r.recommendation))
}

/// The meetings, newest first.
pub fn meetings(store: &Store, session: &Session, limit: usize) -> Result<Vec<MeetingRow>> {
    if !(session.may(Action::ManageCommission) || session.may(Action::ViewSharedScreen)) {
        return Err(ServiceError::Forbidden(Action::ManageCommission));
    }
    Ok(store.read(|tx| stored::meetings(tx, limit))?)
}

/// Applications forwarded to the commission and not yet on an agenda, nearest deadline first.
pub fn candidates(store: &Store, session: &Session) -> Result<Vec<Candidate>> {
    session.require(Action::ManageCommission)?;
    Ok(store.read(stored::candidates)?)
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
    store.read(|tx| {
        let meeting = stored::meeting(tx, meeting_id)?;
        let marked = stored::attendance(tx, meeting_id)?;
        let attendance = stored::members(tx)?
            .into_iter()
            .filter(|m| m.active || marked.iter().any(|(marked, _)| marked.id == m.id))
            .map(|m| {
                let is_present = marked
                    .iter()
                    .find(|(marked, _)| marked.id == m.id)
                    .is_some_and(|(_, p)| *p);
                (m, is_present)
            })
            .collect();
        let mut items = Vec::new();
        for id in stored::agenda(tx, meeting_id)? {
            items.push(agenda_item(tx, meeting_id, id)?);
        }
        Ok(MeetingDetail {
            id: meeting_id,
            held_on: meeting.held_on,
            place: meeting.place,
            attendance,
            items,
        })
    })
}

fn agenda_item(tx: &Tx<'_>, meeting_id: i64, id: i64) -> Result<AgendaItem> {
    use crate::domain::documents::DocumentType;
    let app = stored_applications::load(tx, id)?;
    let applicant = applicants::load(tx, app.applicant_id)?;
    let profession = profession(tx, app.profession_id)?;
    let documents = documents::for_application(tx, id)?
        .into_iter()
        .filter(|d| {
            matches!(
                d.doc_type,
                DocumentType::EducationOrEnglishCertificate | DocumentType::WorkActivity
            )
        })
        .map(|d| (d.doc_type, d.received))
        .collect();
    Ok(AgendaItem {
        application_id: id,
        number: app.number.clone(),
        applicant: applicant.full_name(),
        citizenship: applicant.input.citizenship.clone(),
        profession: profession.name,
        sector: profession.sector,
        status: app.status,
        commission_by: app.commission_by,
        documents,
        score: latest_score_in(tx, id)?,
        recommendation: stored::recommendation(tx, id)?.map(|r| r.recommendation),
        conflicted_members: stored::conflicted_members(tx, meeting_id, id)?,
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
    store.write(|tx| {
        stored::withdraw_conflict(tx, meeting_id, member_id, application_id)?;
        audit(
            tx,
            session,
            now,
            "withdraw_conflict",
            &format!("application:{application_id}"),
            &format!("member {member_id} at meeting {meeting_id}"),
        )
    })
}
