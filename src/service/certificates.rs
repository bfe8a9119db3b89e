//! The akimat's decision (R§11, R§12, A2.5), the certificate and everything that happens to it
//! (SPEC §6): numbers, extension, reissue, duplicate, notices, revocation, expiry, printed copies.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

use super::applications::{load_application, transition};
use super::{
    Missing, Result, RuleError, ServiceError, Session, fmt_time, legacy_audit, parse_date, write_tx,
};
use crate::domain::deadline::{self, Step};
use crate::domain::kind::ApplicationKind;
use crate::domain::numbering;
use crate::domain::refusal::RefusalGround;
use crate::domain::roles::Action;
use crate::domain::status::{
    ApplicationEvent, ApplicationStatus, CertificateEvent, CertificateStatus,
};
use crate::domain::validity;
pub use crate::store::certificates::CertificateRecord;
use crate::store::{Store, reference, search};

/// TRANSITION: the store's loader for service code that still holds a raw connection.
pub(crate) fn load_certificate(conn: &Connection, id: i64) -> Result<CertificateRecord> {
    Ok(crate::store::certificates::load(
        &crate::store::Tx::wrap(conn),
        id,
    )?)
}

/// The akimat's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Issue (or extend, reissue, duplicate). `valid_to` is proposed by the domain rule when
    /// `None`, and never allowed past it (R§15, R§16).
    Issue {
        valid_to: Option<NaiveDate>,
        basis: String,
    },
    /// Refuse with a ground of A2.9 and a motivation (R§12, A2.5).
    Refuse {
        ground: RefusalGround,
        motivation: String,
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
    let id: Option<i64> = store
        .conn()
        .query_row(
            "SELECT id FROM certificates WHERE number = ?1 AND duplicate_of IS NULL",
            [number.trim()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else {
        return Err(ServiceError::NotFound {
            what: "certificate",
            id: number.into(),
        });
    };
    load_certificate(store.conn(), id)
}

/// Allocates the next certificate number in the caller's transaction: unique, never reused.
pub(crate) fn allocate_number(conn: &Connection, on: NaiveDate) -> Result<String> {
    let body = super::setup::body(conn)?.ok_or(RuleError::BodyNotSetUp)?;
    let key = if body.number_per_year { on.year() } else { 0 };
    let last: Option<i64> = conn
        .query_row(
            "SELECT last_value FROM certificate_sequences WHERE year = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    let mut next = last.map_or(i64::from(body.number_start), |l| l + 1);
    loop {
        let number = numbering::format_number(&body.number_pattern, next as u64, on.year())
            .map_err(|e| RuleError::NumberPattern(e.to_string()))?;
        let taken: Option<i64> = conn
            .query_row(
                "SELECT id FROM certificates WHERE number = ?1",
                [&number],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_none() {
            conn.execute(
                "INSERT INTO certificate_sequences (year, last_value) VALUES (?1, ?2)
                 ON CONFLICT (year) DO UPDATE SET last_value = excluded.last_value",
                params![key, next],
            )?;
            return Ok(number);
        }
        next += 1;
    }
}

struct NewCertificate<'a> {
    number: &'a str,
    application_id: i64,
    applicant_id: i64,
    profession_id: i64,
    issued_on: NaiveDate,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    basis: &'a str,
    supersedes: Option<i64>,
    duplicate_of: Option<i64>,
}

fn insert_certificate(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
    c: &NewCertificate<'_>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO certificates (number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis,
             status, supersedes, duplicate_of, created_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'valid', ?9, ?10, ?11, ?12)",
        params![
            c.number,
            c.application_id,
            c.applicant_id,
            c.profession_id,
            c.issued_on.to_string(),
            c.valid_from.to_string(),
            c.valid_to.to_string(),
            c.basis,
            c.supersedes,
            c.duplicate_of,
            session.user_id,
            fmt_time(now),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
fn record_event(
    conn: &Connection,
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
    conn.execute(
        "INSERT INTO certificate_events (certificate_id, event, event_date, grounds, application_id, related_id, old_valid_to, new_valid_to,
             recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            certificate_id,
            event,
            date.to_string(),
            grounds,
            application_id,
            related_id,
            valid_to.0.map(|d| d.to_string()),
            valid_to.1.map(|d| d.to_string()),
            session.user_id,
            fmt_time(now)
        ],
    )?;
    Ok(())
}

fn set_certificate_status(conn: &Connection, id: i64, status: CertificateStatus) -> Result<()> {
    conn.execute(
        "UPDATE certificates SET status = ?2, row_version = row_version + 1 WHERE id = ?1",
        params![id, status.code()],
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
    let tx = write_tx(store.conn_mut())?;
    let mut app = load_application(&tx, application_id)?;
    let today = now.date();
    // R§11, A2.3: a decision after the deadline is still recorded, marked as late.
    let past_deadline = today > app.decision_by;
    let mut outcome = DecisionOutcome {
        certificate_id: None,
        number: None,
        past_deadline,
        decision_by: app.decision_by,
    };
    let (code, ground, motivation) = match decision {
        Decision::Refuse { ground, motivation } => {
            if motivation.trim().is_empty() {
                return Err(RuleError::MotivationRequired.into());
            }
            transition(
                &crate::store::Tx::wrap(&tx),
                session,
                now,
                &mut app,
                ApplicationEvent::DecideRefuse,
            )?;
            (
                "refuse",
                Some(ground.number()),
                motivation.trim().to_string(),
            )
        }
        Decision::Issue { valid_to, basis } => {
            transition(
                &crate::store::Tx::wrap(&tx),
                session,
                now,
                &mut app,
                ApplicationEvent::DecideIssue,
            )?;
            if app.kind == ApplicationKind::Issue {
                let recommended: Option<String> = tx
                    .query_row(
                        "SELECT outcome FROM recommendations WHERE application_id = ?1",
                        [application_id],
                        |r| r.get(0),
                    )
                    .optional()?;
                if recommended.is_none() {
                    return Err(RuleError::NoRecommendation.into());
                }
            }
            let (id, number) = issue_for_kind(&tx, session, now, &app, *valid_to, basis)?;
            outcome.certificate_id = Some(id);
            outcome.number = Some(number);
            ("issue", None, String::new())
        }
    };
    tx.execute(
        "INSERT INTO decisions (application_id, outcome, ground, motivation, decided_on, past_deadline, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![application_id, code, ground, motivation, today.to_string(), past_deadline, session.user_id, fmt_time(now)],
    )?;
    search::index_application(&crate::store::Tx::wrap(&tx), application_id)?;
    legacy_audit(
        &tx,
        session,
        now,
        "decide",
        &format!("application:{application_id}"),
        &format!(
            "{code}{}{}{}",
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
    tx.commit()?;
    Ok(outcome)
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

fn related_certificate(
    conn: &Connection,
    app: &super::applications::ApplicationRecord,
) -> Result<super::certificates::CertificateRecord> {
    let Some(id) = app.certificate_id else {
        return Err(ServiceError::NotFound {
            what: "certificate of the application",
            id: app.number.clone(),
        });
    };
    let certificate = load_certificate(conn, id)?;
    if certificate.applicant_id != app.applicant_id {
        return Err(RuleError::OtherHolder.into());
    }
    Ok(certificate)
}

fn issue_for_kind(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
    app: &super::applications::ApplicationRecord,
    proposed: Option<NaiveDate>,
    basis: &str,
) -> Result<(i64, String)> {
    let today = now.date();
    match app.kind {
        ApplicationKind::Issue => {
            let latest = validity::issue_valid_to(today)
                .ok_or(RuleError::ValidToBeforeFrom { from: today })?; // R§15
            let valid_to = check_valid_to(today, proposed, latest)?;
            let number = allocate_number(conn, today)?;
            let basis = if basis.trim().is_empty() {
                default_basis(conn, app.id)?
            } else {
                basis.trim().to_string()
            };
            let id = insert_certificate(
                conn,
                session,
                now,
                &NewCertificate {
                    number: &number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: app.profession_id,
                    issued_on: today,
                    valid_from: today,
                    valid_to,
                    basis: &basis,
                    supersedes: None,
                    duplicate_of: None,
                },
            )?;
            record_event(
                conn,
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
            let certificate = related_certificate(conn, app)?;
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
            conn.execute(
                "UPDATE certificates SET valid_to = ?2, status = ?3, row_version = row_version + 1 WHERE id = ?1",
                params![certificate.id, valid_to.to_string(), status.code()],
            )?;
            record_event(
                conn,
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
            let old = related_certificate(conn, app)?;
            let status = old.status.apply(CertificateEvent::Reissue)?; // R§22
            let number = allocate_number(conn, today)?;
            let valid_to = check_valid_to(today, proposed, old.valid_to)?;
            let basis = if basis.trim().is_empty() {
                format!("Переоформление справки № {}", old.number)
            } else {
                basis.trim().to_string()
            };
            let id = insert_certificate(
                conn,
                session,
                now,
                &NewCertificate {
                    number: &number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: old.profession_id,
                    issued_on: today,
                    valid_from: today,
                    valid_to,
                    basis: &basis,
                    supersedes: Some(old.id),
                    duplicate_of: None,
                },
            )?;
            conn.execute(
                "UPDATE certificates SET superseded_by = ?2 WHERE id = ?1",
                params![old.id, id],
            )?;
            set_certificate_status(conn, old.id, status)?;
            record_event(
                conn,
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
            let original = related_certificate(conn, app)?;
            original.status.apply(CertificateEvent::Duplicate)?; // R§22-1
            let id = insert_certificate(
                conn,
                session,
                now,
                &NewCertificate {
                    number: &original.number,
                    application_id: app.id,
                    applicant_id: app.applicant_id,
                    profession_id: original.profession_id,
                    issued_on: today,
                    valid_from: original.valid_from,
                    valid_to: original.valid_to,
                    basis: &original.basis,
                    supersedes: None,
                    duplicate_of: Some(original.id),
                },
            )?;
            record_event(
                conn,
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
fn default_basis(conn: &Connection, application_id: i64) -> Result<String> {
    let meeting: Option<(i64, String)> = conn
        .query_row(
            "SELECT m.id, m.held_on FROM recommendations r JOIN meetings m ON m.id = r.meeting_id WHERE r.application_id = ?1",
            [application_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match meeting {
        Some((id, held_on)) => {
            let date = parse_date(&held_on)?;
            format!(
                "Рекомендация комиссии, протокол № {id} от {}",
                date.format("%d.%m.%Y")
            )
        }
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
    let tx = write_tx(store.conn_mut())?;
    let certificate = load_certificate(&tx, certificate_id)?;
    certificate.status.apply(CertificateEvent::Notice)?;
    let calendar = reference::calendar(&crate::store::Tx::wrap(&tx))?;
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
        &tx,
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
    legacy_audit(
        &tx,
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
    tx.commit()?;
    Ok(in_time)
}

/// The act of a state control body on which a certificate is revoked (R§21).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlAct {
    pub body: String,
    pub number: String,
    pub date: NaiveDate,
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
    let tx = write_tx(store.conn_mut())?;
    let certificate = load_certificate(&tx, certificate_id)?;
    let status = certificate.status.apply(CertificateEvent::Revoke)?;
    set_certificate_status(&tx, certificate_id, status)?;
    tx.execute(
        "INSERT INTO certificate_events (certificate_id, event, event_date, grounds, act_body, act_number, act_date, recorded_by, recorded_at)
         VALUES (?1, 'revoke', ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![certificate_id, now.date().to_string(), grounds.trim(), act.body.trim(), act.number.trim(), act.date.to_string(), session.user_id, fmt_time(now)],
    )?;
    legacy_audit(
        &tx,
        session,
        now,
        "revoke",
        &format!("certificate:{certificate_id}"),
        &format!(
            "{} on act {} of {}",
            certificate.number,
            act.number.trim(),
            act.date
        ),
    )?;
    tx.commit()?;
    Ok(())
}

/// Marks valid certificates whose validity ended before `today` as expired (R§23.1).
pub fn expire_certificates(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
) -> Result<usize> {
    let tx = write_tx(store.conn_mut())?;
    let ids: Vec<i64> = {
        let mut stmt = tx.prepare("SELECT id FROM certificates WHERE status = 'valid' AND duplicate_of IS NULL AND valid_to < ?1")?;
        stmt.query_map([now.date().to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    for id in &ids {
        let certificate = load_certificate(&tx, *id)?;
        let status = certificate.status.apply(CertificateEvent::Expire)?;
        set_certificate_status(&tx, *id, status)?;
        record_event(
            &tx,
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
    if !ids.is_empty() {
        legacy_audit(
            &tx,
            session,
            now,
            "expire_certificates",
            "certificates",
            &format!("{} expired", ids.len()),
        )?;
    }
    tx.commit()?;
    Ok(ids.len())
}

/// A printed copy of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    Original,
    Duplicate,
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
    let tx = write_tx(store.conn_mut())?;
    let certificate = load_certificate(&tx, certificate_id)?;
    let id = record_print_in(&tx, session, now, &certificate, kind, form_serial)?;
    tx.commit()?;
    Ok(id)
}

/// Records a printed copy inside the caller's transaction (with the print itself).
pub(crate) fn record_print_in(
    conn: &Connection,
    session: &Session,
    now: NaiveDateTime,
    certificate: &CertificateRecord,
    kind: CopyKind,
    form_serial: Option<&str>,
) -> Result<i64> {
    let code = match kind {
        CopyKind::Original => "original",
        CopyKind::Duplicate => "duplicate",
    };
    conn.execute(
        "INSERT INTO printed_copies (certificate_id, copy_kind, form_serial, printed_by, printed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![certificate.id, code, form_serial.map(str::trim).filter(|s| !s.is_empty()), session.user_id, fmt_time(now)],
    )?;
    let id = conn.last_insert_rowid();
    legacy_audit(
        conn,
        session,
        now,
        "print",
        &format!("certificate:{}", certificate.id),
        &format!("{} {code} copy {id}", certificate.number),
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
    let tx = write_tx(store.conn_mut())?;
    let changed = tx.execute(
        "UPDATE printed_copies SET spoiled_reason = ?2, written_off_by = ?3, written_off_at = ?4 WHERE id = ?1 AND spoiled_reason IS NULL",
        params![copy_id, reason.trim(), session.user_id, fmt_time(now)],
    )?;
    if changed == 0 {
        return Err(ServiceError::NotFound {
            what: "printed copy",
            id: copy_id.to_string(),
        });
    }
    legacy_audit(
        &tx,
        session,
        now,
        "spoil_copy",
        &format!("copy:{copy_id}"),
        reason.trim(),
    )?;
    tx.commit()?;
    Ok(())
}

/// The certificates an application's applicant holds (for extend, reissue, duplicate).
pub fn certificates_of_applicant(
    store: &Store,
    applicant_id: i64,
) -> Result<Vec<CertificateRecord>> {
    let ids: Vec<i64> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM certificates WHERE applicant_id = ?1 ORDER BY id")?;
        stmt.query_map([applicant_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    ids.into_iter()
        .map(|id| load_certificate(store.conn(), id))
        .collect()
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
    let conn = store.conn();
    // Walk back to the first certificate of the chain, then forward.
    let mut first = load_certificate(conn, certificate_id)?;
    while let Some(previous) = first.supersedes {
        first = load_certificate(conn, previous)?;
    }
    let mut chain = vec![first.clone()];
    let mut current = first;
    while let Some(next) = current.superseded_by {
        current = load_certificate(conn, next)?;
        chain.push(current.clone());
    }
    let mut lines = Vec::new();
    for c in &chain {
        let mut stmt = conn.prepare_cached(
            "SELECT event_date, event, grounds, coalesce(new_valid_to, ''), coalesce(act_body || ', № ' || act_number || ' от ' || act_date, '')
             FROM certificate_events WHERE certificate_id = ?1 ORDER BY id",
        )?;
        let events = stmt
            .query_map([c.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (date, event, grounds, valid_to, act) in events {
            let detail = [
                format!("№ {}", c.number),
                grounds,
                if valid_to.is_empty() {
                    String::new()
                } else {
                    format!("→ {valid_to}")
                },
                act,
            ]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
            lines.push(LifeLine {
                date,
                event,
                detail,
                copy_id: None,
            });
        }
        let mut stmt = conn.prepare_cached(
            "SELECT p.printed_at, p.copy_kind, coalesce(p.form_serial, ''), coalesce(u.full_name, u.username), coalesce(p.spoiled_reason, ''), p.id
             FROM printed_copies p JOIN certificates c ON c.id = p.certificate_id LEFT JOIN users u ON u.id = p.printed_by
             WHERE c.id = ?1 OR c.duplicate_of = ?1 ORDER BY p.id",
        )?;
        let copies = stmt
            .query_map([c.id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (at, kind, serial, by, spoiled, copy_id) in copies {
            let in_use = spoiled.is_empty();
            let event = if in_use { "print" } else { "spoiled" };
            let detail = [format!("№ {}", c.number), kind, serial, by, spoiled]
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            lines.push(LifeLine {
                date: at.replace('T', " "),
                event: event.into(),
                detail,
                copy_id: in_use.then_some(copy_id),
            });
        }
    }
    lines.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(lines)
}
