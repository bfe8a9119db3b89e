//! The akimat's decision (R§11, R§12, A2.5), the certificate and everything that happens to it
//! (SPEC §6): numbers, extension, reissue, duplicate, notices, revocation, expiry, printed copies.

use crate::domain::revocation::ActProblem;
use crate::domain::sequence::NoticeProblem;
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::lifecycle::transition;
use super::{Missing, Result, RuleError, ServiceError, Session, audit};
use crate::domain::deadline::{self, Step};
use crate::domain::kind::ApplicationKind;
use crate::domain::numbering;
use crate::domain::refusal::{Recommended, RefusalGround, RefusalProblem, refusal_motivation};
use crate::domain::roles::Action;
use crate::domain::status::{
    ApplicationEvent, ApplicationStatus, CertificateEvent, CertificateStatus,
};
use crate::domain::validity;
use crate::store::applications::ApplicationRecord;
use crate::store::certificates::{self as certs, NewCertificate, NewEvent};
pub use crate::store::certificates::{CertificateRecord, ControlAct, CopyKind};
use crate::store::decisions::{self, NewDecision, Outcome};
use crate::store::{Store, Tx, body, commission, reference};

/// The akimat's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Issue (or extend, reissue, duplicate). `valid_to` is proposed by the domain rule when
    /// `None`, and never allowed past it (R§15, R§16).
    Issue {
        valid_to: Option<NaiveDate>,
        basis: String,
    },
    /// Refuse with a ground of A2.9 and a motivation (R§12, A2.5). Where the commission
    /// recommended refusing, its own reason heads the motivation (an empty `motivation` takes
    /// it as it is); where it recommended issuing, `against_recommendation` confirms that the
    /// akimat goes against it, and `motivation` says why (R§11).
    Refuse {
        ground: RefusalGround,
        motivation: String,
        against_recommendation: bool,
    },
}

/// What a decision produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionOutcome {
    pub certificate_id: Option<i64>,
    pub number: Option<String>,
    /// The decision came after the deadline of A2.3 (it is recorded anyway, with this flag).
    pub past_deadline: bool,
    pub decision_by: NaiveDate,
}

/// Finds a certificate by its number (the original, not a duplicate).
pub fn find_certificate(store: &Store, number: &str) -> Result<CertificateRecord> {
    store.read(|tx| {
        certs::find_original(tx, number.trim())?.ok_or_else(|| ServiceError::NotFound {
            what: "certificate",
            id: number.into(),
        })
    })
}

/// Allocates the next certificate number in the caller's transaction: unique, never reused.
pub(crate) fn allocate_number(tx: &Tx<'_>, on: NaiveDate) -> Result<String> {
    let body = body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?;
    let key = if body.number_per_year { on.year() } else { 0 };
    let last = certs::last_sequence_value(tx, key)?;
    let mut next = last.map_or(i64::from(body.number_start), |l| l + 1);
    loop {
        let number = numbering::format_number(&body.number_pattern, next as u64, on.year())
            .map_err(RuleError::NumberPattern)?;
        if !certs::number_taken(tx, &number)? {
            certs::set_sequence_value(tx, key, next)?;
            return Ok(number);
        }
        next += 1;
    }
}

/// An event of a certificate with no act, recorded by the session's user.
#[allow(clippy::too_many_arguments)]
fn record_event(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    certificate_id: i64,
    event: &str,
    date: NaiveDate,
    grounds: &str,
    application_id: Option<i64>,
    related_id: Option<i64>,
    valid_to: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<()> {
    certs::insert_event(
        tx,
        &NewEvent {
            certificate_id,
            event,
            date,
            grounds,
            application_id,
            related_id,
            old_valid_to: valid_to.0,
            new_valid_to: valid_to.1,
            act: None,
        },
        session.user_id,
        now,
    )?;
    Ok(())
}

/// Records the akimat's decision on an application (R§11, R§12, R§16, R§22, R§22-1, A2.5). For
/// issue the certificate and its number are created in the same transaction.
pub fn decide(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    application_id: i64,
    decision: &Decision,
) -> Result<DecisionOutcome> {
    session.require(Action::Decide)?;
    store.write(|tx| {
        let mut app = crate::store::applications::load(tx, application_id)?;
        let today = now.date();
        // R§11, A2.3: a decision after the deadline is still recorded, marked as late.
        let past_deadline = today > app.decision_by;
        let mut outcome = DecisionOutcome {
            certificate_id: None,
            number: None,
            past_deadline,
            decision_by: app.decision_by,
        };
        // R§11: a decision rests on the commission's recommendation and is not dated before
        // the meeting that gave it.
        if let Some(held_on) =
            commission::recommendation(tx, application_id)?.and_then(|r| r.held_on)
            && !crate::domain::sequence::decision_follows_recommendation(today, held_on)
        {
            return Err(RuleError::DecisionBeforeRecommendation { held_on }.into());
        }
        let (code, ground, motivation) = match decision {
            Decision::Refuse {
                ground,
                motivation,
                against_recommendation,
            } => {
                let recommended = commission::recommendation(tx, application_id)?;
                let recommended = match &recommended {
                    None => Recommended::Nothing,
                    Some(r) => match &r.recommendation {
                        commission::Recommendation::Issue => Recommended::Issue,
                        commission::Recommendation::Refuse { motivation, .. } => {
                            Recommended::Refuse { motivation }
                        }
                    },
                };
                // R§9, R§11, R§12: the commission's reason reaches the letter; going against
                // its recommendation to issue is confirmed and motivated.
                let motivation =
                    refusal_motivation(recommended, motivation, *against_recommendation).map_err(
                        |p| match p {
                            RefusalProblem::NoMotivation => RuleError::MotivationRequired,
                            RefusalProblem::AgainstRecommendation => {
                                RuleError::RefusalAgainstRecommendation
                            }
                        },
                    )?;
                super::free_text(Missing::Motivation, &motivation)?;
                transition(tx, session, now, &mut app, ApplicationEvent::DecideRefuse)?;
                (Outcome::Refuse, Some(ground.number()), motivation)
            }
            Decision::Issue { valid_to, basis } => {
                transition(tx, session, now, &mut app, ApplicationEvent::DecideIssue)?;
                if app.kind == ApplicationKind::Issue
                    && commission::recommendation(tx, application_id)?.is_none()
                {
                    return Err(RuleError::NoRecommendation.into());
                }
                let (id, number) = issue_for_kind(tx, session, now, &app, *valid_to, basis)?;
                outcome.certificate_id = Some(id);
                outcome.number = Some(number);
                (Outcome::Issue, None, String::new())
            }
        };
        decisions::insert(
            tx,
            &NewDecision {
                application_id,
                outcome: code,
                ground,
                motivation: &motivation,
                decided_on: today,
                past_deadline,
            },
            session.user_id,
            now,
        )?;
        crate::store::search::index_application(tx, application_id)?;
        audit(
            tx,
            session,
            now,
            "decide",
            &format!("application:{application_id}"),
            &format!(
                "{}{}{}{}",
                code.code(),
                ground
                    .map(|g| format!(" ground A2.9.{g}"))
                    .unwrap_or_default(),
                outcome
                    .number
                    .as_ref()
                    .map(|n| format!(" certificate {n}"))
                    .unwrap_or_default(),
                if past_deadline {
                    format!(" after the deadline {}", app.decision_by)
                } else {
                    String::new()
                }
            ),
        )?;
        Ok(outcome)
    })
}

fn check_valid_to(
    from: NaiveDate,
    proposed: Option<NaiveDate>,
    latest: NaiveDate,
) -> Result<NaiveDate> {
    let valid_to = proposed.unwrap_or(latest);
    if valid_to > latest {
        return Err(RuleError::ValidToTooLate { latest }.into());
    }
    if valid_to < from {
        return Err(RuleError::ValidToBeforeFrom { from }.into());
    }
    Ok(valid_to)
}

fn related_certificate(tx: &Tx<'_>, app: &ApplicationRecord) -> Result<CertificateRecord> {
    let Some(id) = app.certificate_id else {
        return Err(ServiceError::NotFound {
            what: "certificate of the application",
            id: app.number.clone(),
        });
    };
    let certificate = certs::load(tx, id)?;
    if certificate.applicant_id != app.applicant_id {
        return Err(RuleError::OtherHolder.into());
    }
    Ok(certificate)
}

fn issue_for_kind(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    app: &ApplicationRecord,
    proposed: Option<NaiveDate>,
    basis: &str,
) -> Result<(i64, String)> {
    let today = now.date();
    match app.kind {
        ApplicationKind::Issue => {
            let latest = validity::issue_valid_to(today)
                .ok_or(RuleError::ValidToBeforeFrom { from: today })?; // R§15
            let valid_to = check_valid_to(today, proposed, latest)?;
            let number = allocate_number(tx, today)?;
            let basis = if basis.trim().is_empty() {
                default_basis(tx, app.id)?
            } else {
                basis.trim().to_string()
            };
            let id = certs::insert(
                tx,
                &NewCertificate {
                    number: &number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: app.profession_id,
                    issued_on: today,
                    valid_from: today,
                    valid_to,
                    basis: &basis,
                    status: CertificateStatus::Valid,
                    supersedes: None,
                    duplicate_of: None,
                },
                session.user_id,
                now,
            )?;
            record_event(
                tx,
                session,
                now,
                id,
                "issue",
                today,
                &basis,
                Some(app.id),
                None,
                (None, Some(valid_to)),
            )?;
            Ok((id, number))
        }
        ApplicationKind::Extend => {
            let certificate = related_certificate(tx, app)?;
            let status = certificate.status.apply(CertificateEvent::Extend)?; // R§16
            let contract_end = app
                .contract_end
                .ok_or(RuleError::Missing(Missing::ContractEnd))?;
            let latest = validity::extend_valid_to(today, contract_end).map_err(|e| {
                RuleError::ContractEndsBeforeStart {
                    contract_end: e.contract_end,
                }
            })?;
            let valid_to = check_valid_to(today, proposed, latest)?;
            certs::extend(tx, certificate.id, valid_to, status)?;
            record_event(
                tx,
                session,
                now,
                certificate.id,
                "extend",
                today,
                basis,
                Some(app.id),
                None,
                (Some(certificate.valid_to), Some(valid_to)),
            )?;
            Ok((certificate.id, certificate.number))
        }
        ApplicationKind::Reissue => {
            let old = related_certificate(tx, app)?;
            let status = old.status.apply(CertificateEvent::Reissue)?; // R§22
            let number = allocate_number(tx, today)?;
            let valid_to = check_valid_to(today, proposed, old.valid_to)?;
            let basis = if basis.trim().is_empty() {
                format!("Переоформление справки № {}", old.number)
            } else {
                basis.trim().to_string()
            };
            let id = certs::insert(
                tx,
                &NewCertificate {
                    number: &number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: old.profession_id,
                    issued_on: today,
                    valid_from: today,
                    valid_to,
                    basis: &basis,
                    status: CertificateStatus::Valid,
                    supersedes: Some(old.id),
                    duplicate_of: None,
                },
                session.user_id,
                now,
            )?;
            certs::set_superseded_by(tx, old.id, id)?;
            certs::set_status(tx, old.id, status)?;
            record_event(
                tx,
                session,
                now,
                old.id,
                "reissue",
                today,
                &basis,
                Some(app.id),
                Some(id),
                (None, None),
            )?;
            Ok((id, number))
        }
        ApplicationKind::Duplicate => {
            let original = related_certificate(tx, app)?;
            original.status.apply(CertificateEvent::Duplicate)?; // R§22-1
            let id = certs::insert(
                tx,
                &NewCertificate {
                    number: &original.number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: original.profession_id,
                    issued_on: today,
                    valid_from: original.valid_from,
                    valid_to: original.valid_to,
                    basis: &original.basis,
                    status: CertificateStatus::Valid,
                    supersedes: None,
                    duplicate_of: Some(original.id),
                },
                session.user_id,
                now,
            )?;
            record_event(
                tx,
                session,
                now,
                original.id,
                "duplicate",
                today,
                basis,
                Some(app.id),
                Some(id),
                (None, None),
            )?;
            Ok((id, original.number))
        }
    }
}

/// "Протокол заседания комиссии от …" as the basis of issuance, when the officer gives none.
fn default_basis(tx: &Tx<'_>, application_id: i64) -> Result<String> {
    let meeting =
        commission::recommendation(tx, application_id)?.and_then(|r| r.meeting_id.zip(r.held_on));
    Ok(match meeting {
        Some((id, held_on)) => format!(
            "Рекомендация комиссии, протокол № {id} от {}",
            held_on.format("%d.%m.%Y")
        ),
        None => "Рекомендация комиссии (пункт 11 Правил)".to_string(),
    })
}

/// A notice of the holder (R§18 change of employer, R§20 end of contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    EmployerChange,
    ContractEnd,
}

/// A notice as received: what happened and when, and when the notice arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    /// The day of the change of employer or of the end of the contract.
    pub event_date: NaiveDate,
    pub received_on: NaiveDate,
    pub grounds: String,
}

/// Records a notice against a certificate; says whether it came within 5 working days.
pub fn record_notice(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    certificate_id: i64,
    notice: &Notice,
) -> Result<bool> {
    session.require(Action::CertificateLifecycle)?;
    let Notice {
        kind,
        event_date,
        received_on,
        grounds,
    } = notice;
    let (kind, event_date, received_on) = (*kind, *event_date, *received_on);
    // R§18, R§20: a notice reports what has happened, and is not dated after today.
    crate::domain::sequence::check_notice(event_date, received_on, now.date()).map_err(
        |p| match p {
            NoticeProblem::ReceivedInFuture { received_on } => {
                RuleError::NoticeInFuture { received_on }
            }
            NoticeProblem::EventAfterNotice { event_date } => {
                RuleError::NoticeBeforeEvent { event_date }
            }
        },
    )?;
    store.write(|tx| {
        let certificate = certs::load(tx, certificate_id)?;
        certificate.status.apply(CertificateEvent::Notice)?;
        let calendar = reference::calendar(tx)?;
        let step = match kind {
            NoticeKind::EmployerChange => Step::ApplicantNotifiesEmployerChange,
            NoticeKind::ContractEnd => Step::ApplicantNotifiesContractEnd,
        };
        let due = deadline::deadline(&calendar, step, event_date).value;
        let in_time = received_on <= due;
        let code = match kind {
            NoticeKind::EmployerChange => "notice_employer_change",
            NoticeKind::ContractEnd => "notice_contract_end",
        };
        let text = format!(
            "{}; received {received_on}, due {due} ({})",
            grounds.trim(),
            step.reference()
        );
        record_event(
            tx,
            session,
            now,
            certificate_id,
            code,
            event_date,
            &text,
            None,
            None,
            (None, None),
        )?;
        audit(
            tx,
            session,
            now,
            code,
            &format!("certificate:{certificate_id}"),
            &format!(
                "{} {}",
                certificate.number,
                if in_time { "in time" } else { "late" }
            ),
        )?;
        Ok(in_time)
    })
}

/// Revokes a certificate on an act of a control body (R§21, R§23.2).
pub fn revoke(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    certificate_id: i64,
    act: &ControlAct,
    grounds: &str,
) -> Result<()> {
    session.require(Action::CertificateLifecycle)?;
    if act.body.trim().is_empty() || act.number.trim().is_empty() {
        return Err(RuleError::ActRequired.into());
    }
    super::free_text(Missing::RevocationGrounds, grounds)?;
    let act = ControlAct {
        body: act.body.trim().to_string(),
        number: act.number.trim().to_string(),
        date: act.date,
    };
    store.write(|tx| {
        let certificate = certs::load(tx, certificate_id)?;
        let status = certificate.status.apply(CertificateEvent::Revoke)?;
        // R§21: an act between the certificate's issue and today, with its grounds.
        crate::domain::revocation::check_act(act.date, certificate.issued_on, now.date(), grounds)
            .map_err(|problem| match problem {
                ActProblem::InFuture { date } => RuleError::ActInFuture { date },
                ActProblem::BeforeIssue { issued_on } => RuleError::ActBeforeIssue { issued_on },
                ActProblem::NoGrounds => RuleError::GroundsRequired,
            })?;
        certs::set_status(tx, certificate_id, status)?;
        certs::insert_event(
            tx,
            &NewEvent {
                certificate_id,
                event: "revoke",
                date: now.date(),
                grounds: grounds.trim(),
                application_id: None,
                related_id: None,
                old_valid_to: None,
                new_valid_to: None,
                act: Some(&act),
            },
            session.user_id,
            now,
        )?;
        audit(
            tx,
            session,
            now,
            "revoke",
            &format!("certificate:{certificate_id}"),
            &format!(
                "{} on act {} of {}",
                certificate.number, act.number, act.date
            ),
        )?;
        Ok(())
    })
}

/// Marks valid certificates whose validity ended before `today` as expired (R§23.1).
pub fn expire_certificates(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
) -> Result<usize> {
    store.write(|tx| {
        let ids = certs::expired_by(tx, now.date())?;
        for id in &ids {
            let certificate = certs::load(tx, *id)?;
            let status = certificate.status.apply(CertificateEvent::Expire)?;
            certs::set_status(tx, *id, status)?;
            record_event(
                tx,
                session,
                now,
                *id,
                "expire",
                certificate.valid_to,
                "R§23.1",
                None,
                None,
                (None, None),
            )?;
        }
        // One row per certificate: each vouches for its record as expired (issue 12, item 3).
        for id in &ids {
            audit(
                tx,
                session,
                now,
                "expire",
                &format!("certificate:{id}"),
                "R§23.1",
            )?;
        }
        Ok(ids.len())
    })
}

/// Records a printed copy (who, when, the blank form's serial).
pub fn record_print(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    certificate_id: i64,
    kind: CopyKind,
    form_serial: Option<&str>,
) -> Result<i64> {
    session.require(Action::Print)?;
    store.write(|tx| {
        let certificate = certs::load(tx, certificate_id)?;
        record_print_in(tx, session, now, &certificate, kind, form_serial)
    })
}

/// Records a printed copy inside the caller's transaction (with the print itself).
pub(crate) fn record_print_in(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    certificate: &CertificateRecord,
    kind: CopyKind,
    form_serial: Option<&str>,
) -> Result<i64> {
    let serial = form_serial.map(str::trim).filter(|s| !s.is_empty());
    let id = certs::insert_copy(tx, certificate.id, kind, serial, session.user_id, now)?;
    audit(
        tx,
        session,
        now,
        "print",
        &format!("certificate:{}", certificate.id),
        &format!("{} {} copy {id}", certificate.number, kind.code()),
    )?;
    Ok(id)
}

/// Writes off a spoiled printed form with a reason.
pub fn spoil_copy(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    copy_id: i64,
    reason: &str,
) -> Result<()> {
    session.require(Action::Print)?;
    if reason.trim().is_empty() {
        return Err(RuleError::Missing(Missing::SpoilReason).into());
    }
    super::free_text(Missing::SpoilReason, reason)?;
    store.write(|tx| {
        certs::spoil_copy(tx, copy_id, reason.trim(), session.user_id, now)?;
        audit(
            tx,
            session,
            now,
            "spoil_copy",
            &format!("copy:{copy_id}"),
            reason.trim(),
        )
    })
}

/// The certificates an application's applicant holds (for extend, reissue, duplicate).
pub fn certificates_of_applicant(
    store: &Store,
    applicant_id: i64,
) -> Result<Vec<CertificateRecord>> {
    Ok(store.read(|tx| certs::of_applicant(tx, applicant_id))?)
}

/// Whether an application is decided.
pub fn is_decided(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Issued | ApplicationStatus::Refused
    )
}

/// One line of a certificate's life: an event or a printed copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifeLine {
    pub date: String,
    /// "issue", "extend", "reissue", "duplicate", "notice_employer_change",
    /// "notice_contract_end", "revoke", "expire", or "print" / "spoiled".
    pub event: String,
    pub detail: String,
    /// The printed copy this line is about, if it is one (to write it off).
    pub copy_id: Option<i64>,
}

/// The whole lineage of a certificate, oldest first: the certificates it supersedes, its own
/// events and printed copies, and the certificate that superseded it (SPEC §6).
pub fn lineage(store: &Store, session: &Session, certificate_id: i64) -> Result<Vec<LifeLine>> {
    session.require(Action::ViewPersonalData)?;
    store.read(|tx| {
        // Walk back to the first certificate of the chain, then forward.
        let mut first = certs::load(tx, certificate_id)?;
        while let Some(previous) = first.supersedes {
            first = certs::load(tx, previous)?;
        }
        let mut chain = vec![first.clone()];
        let mut current = first;
        while let Some(next) = current.superseded_by {
            current = certs::load(tx, next)?;
            chain.push(current.clone());
        }
        let mut lines = Vec::new();
        for c in &chain {
            for e in certs::events(tx, c.id)? {
                let detail = [
                    format!("№ {}", c.number),
                    e.grounds,
                    e.new_valid_to.map(|d| format!("→ {d}")).unwrap_or_default(),
                    e.act
                        .map(|a| format!("{}, № {} от {}", a.body, a.number, a.date))
                        .unwrap_or_default(),
                ]
                .into_iter()
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                lines.push(LifeLine {
                    date: e.date.to_string(),
                    event: e.event,
                    detail,
                    copy_id: None,
                });
            }
            for copy in certs::copies(tx, c.id)? {
                let in_use = copy.spoiled_reason.is_none();
                let event = if in_use { "print" } else { "spoiled" };
                let detail = [
                    format!("№ {}", c.number),
                    copy.kind,
                    copy.form_serial.unwrap_or_default(),
                    copy.printed_by,
                    copy.spoiled_reason.unwrap_or_default(),
                ]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
                lines.push(LifeLine {
                    date: copy.printed_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    event: event.into(),
                    detail,
                    copy_id: in_use.then_some(copy.id),
                });
            }
        }
        lines.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(lines)
    })
}
