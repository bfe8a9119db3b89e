//! `demo`: a realistic, deterministic data set for demonstrations, screenshots and benchmarks.
//!
//! Names in Russian, Kazakh and Latin script; all four kinds and every status; scores,
//! recommendations and decisions; meetings with members present; certificates valid, expired,
//! superseded, revoked and duplicated; some applications overdue. The same seed and the same
//! end date give the same data.
//!
//! It writes rows in large batches straight into the store (one audit row per batch): going
//! through a use case per application would make 10⁶ applications take hours of fsyncs. The
//! rows are the ones the services write, and `check` passes on the result.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, Statement, params};

use crate::domain::calendar::Calendar;
use crate::domain::deadline::{self, Step, WorkingHours, application_deadlines, current_deadline};
use crate::domain::documents::{ReissueReason, required_documents};
use crate::domain::ident::check_digit;
use crate::domain::kind::ApplicationKind;
use crate::domain::numbering::format_number;
use crate::domain::roles::Role;
use crate::domain::status::ApplicationStatus;
use crate::domain::validity;
use crate::service::setup::{self, Body};
use crate::service::{Result, RuleError, Session, legacy_audit};
use crate::store::{Store, reference};

/// Applications on one meeting's agenda at most; a busy day has several meetings.
const MEETING_SIZE: i64 = 20;

/// Applications written per transaction.
const BATCH: usize = 20_000;

/// The password of the demo users (a demo database only).
pub const DEMO_PASSWORD: &str = "demo-password";

/// What `demo` made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub applications: usize,
    pub certificates: usize,
    pub meetings: usize,
}

const SURNAMES_RU: &[&str] = &[
    "Иванов",
    "Смирнова",
    "Кузнецов",
    "Попова",
    "Васильев",
    "Петрова",
    "Соколов",
    "Михайлова",
    "Новиков",
    "Фёдорова",
    "Морозов",
    "Волкова",
    "Алексеев",
    "Лебедева",
    "Семёнов",
    "Егорова",
    "Павлов",
    "Козлова",
    "Степанов",
    "Николаева",
];
const SURNAMES_KK: &[&str] = &[
    "Қасымов",
    "Қасымқызы",
    "Әбдіраманова",
    "Нұрланұлы",
    "Серікқызы",
    "Жақсылықов",
    "Өтегенова",
    "Ұлықбекова",
    "Үсенов",
    "Ғабитов",
    "Іргебаев",
    "Оспанова",
    "Бейсенов",
    "Төлеубаева",
    "Сәрсенбаев",
    "Құрманғали",
    "Ермеков",
    "Әлиева",
];
const SURNAMES_LATIN: &[&str] = &[
    "Kasymov", "Smith", "Müller", "Nguyen", "Garcia", "Kim", "Lee", "Ahmed", "Yilmaz", "Rossi",
    "Kowalski", "Wang", "Singh", "Tanaka", "Dubois", "O'Connor", "Park", "Chen",
];
const GIVEN_RU: &[&str] = &[
    "Алексей",
    "Мария",
    "Дмитрий",
    "Анна",
    "Сергей",
    "Елена",
    "Андрей",
    "Ольга",
    "Иван",
    "Наталья",
];
const GIVEN_KK: &[&str] = &[
    "Айгерім",
    "Нұрлан",
    "Әсем",
    "Ерлан",
    "Гүлнұр",
    "Бауыржан",
    "Жансая",
    "Қуаныш",
    "Динара",
    "Өркен",
];
const GIVEN_LATIN: &[&str] = &[
    "John", "Maria", "Wei", "Ahmet", "Anna", "Raj", "Yuki", "Pierre", "Min-jun", "Fatima",
];
const PATRONYMICS_RU: &[&str] = &[
    "Сергеевич",
    "Ивановна",
    "Николаевич",
    "Викторовна",
    "Андреевич",
    "Петровна",
];
const PATRONYMICS_KK: &[&str] = &[
    "Ерланқызы",
    "Асанұлы",
    "Нұрланұлы",
    "Серікқызы",
    "Бекұлы",
    "Әлімқызы",
];
const CITIZENSHIPS: &[&str] = &[
    "Узбекистан",
    "Кыргызстан",
    "Россия",
    "Китай",
    "Турция",
    "Индия",
    "Беларусь",
    "Республика Корея",
    "Германия",
    "Таджикистан",
];
const EMPLOYERS: &[(&str, &str)] = &[
    ("ТОО «Алма Тех»", "940140000385"),
    ("АО «Қазақстан темір жолы»", "070941024691"),
];

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// A valid IIN for a birth date and sex (SPEC §8).
fn make_iin(rng: &mut ChaCha8Rng, birth: NaiveDate, female: bool) -> String {
    let century = match birth.year() {
        ..1900 => 1,
        1900..2000 => 3,
        _ => 5,
    } + u8::from(female);
    loop {
        let serial: u32 = rng.random_range(0..10_000);
        let text = format!(
            "{:02}{:02}{:02}{century}{serial:04}",
            birth.year() % 100,
            birth.month(),
            birth.day()
        );
        let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        if let Some(check) = check_digit(&digits) {
            return format!("{text}{check}");
        }
    }
}

struct Statements<'c> {
    applicant: Statement<'c>,
    application: Statement<'c>,
    document: Statement<'c>,
    search: Statement<'c>,
    agenda: Statement<'c>,
    score: Statement<'c>,
    recommendation: Statement<'c>,
    decision: Statement<'c>,
    certificate: Statement<'c>,
    event: Statement<'c>,
    update_certificate: Statement<'c>,
}

fn prepare(conn: &Connection) -> rusqlite::Result<Statements<'_>> {
    Ok(Statements {
        applicant: conn.prepare(
            "INSERT INTO applicants (id, surname, given_name, patronymic, citizenship, birth_date, iin, doc_type, doc_series, doc_number,
                 doc_issued_on, address, phone, email, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'паспорт', ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?,
        application: conn.prepare(
            "INSERT INTO applications (id, number, applicant_id, kind, reissue_reason, profession_id, certificate_id, employer_name,
                 employer_id, contract_end, consent, channel, filed_at, registered_on, forward_by, decision_by, forwarded_on,
                 commission_by, next_deadline, status, closed_on, row_version, created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 1, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 1, ?21, ?12, ?21, ?12)",
        )?,
        document: conn.prepare("INSERT INTO documents (application_id, doc_type, received) VALUES (?1, ?2, ?3)")?,
        search: conn.prepare("INSERT INTO search (rowid, names, ids, certificates, employer) VALUES (?1, ?2, ?3, ?4, ?5)")?,
        agenda: conn.prepare("INSERT INTO agenda_items (meeting_id, application_id, position) VALUES (?1, ?2, ?3)")?,
        score: conn.prepare(
            "INSERT INTO scores (application_id, meeting_id, scheme_version, higher_education, academic_degree, english_certificate,
                 periods, education_points, experience_years, experience_points, total, passed, scored_by, scored_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?,
        recommendation: conn.prepare(
            "INSERT INTO recommendations (application_id, meeting_id, outcome, ground, motivation, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?,
        decision: conn.prepare(
            "INSERT INTO decisions (application_id, outcome, ground, motivation, decided_on, past_deadline, decided_by, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?,
        certificate: conn.prepare(
            "INSERT INTO certificates (id, number, application_id, applicant_id, profession_id, issued_on, valid_from, valid_to, basis,
                 status, supersedes, duplicate_of, created_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?,
        event: conn.prepare(
            "INSERT INTO certificate_events (certificate_id, event, event_date, grounds, application_id, related_id, new_valid_to,
                 act_body, act_number, act_date, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?,
        update_certificate: conn.prepare(
            "UPDATE certificates SET status = ?2, valid_to = ?3, superseded_by = coalesce(?4, superseded_by) WHERE id = ?1",
        )?,
    })
}

/// A certificate the generator may extend, reissue or duplicate later.
#[derive(Clone)]
struct Held {
    id: i64,
    number: String,
    applicant_id: i64,
    profession_id: i64,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    basis: String,
    name: String,
    ids: String,
    live: bool,
}

struct Generator<'a> {
    rng: ChaCha8Rng,
    calendar: Calendar,
    hours: WorkingHours,
    until: NaiveDate,
    start: NaiveDate,
    professions: Vec<i64>,
    scheme: String,
    officer: i64,
    secretary: i64,
    pattern: String,
    number_start: u32,
    per_year: bool,
    next_application: i64,
    next_applicant: i64,
    next_certificate: i64,
    next_meeting: i64,
    sequences: HashMap<i32, i64>,
    meetings: HashMap<NaiveDate, (i64, i64)>,
    held: Vec<Held>,
    members: &'a [i64],
    report: DemoReport,
}

/// Adds `count` applications to the database, setting up a demo body and demo users first if
/// the database has none. Calls `progress` with the number written so far.
pub fn generate(
    store: &mut Store,
    count: usize,
    seed: u64,
    until: NaiveDate,
    mut progress: impl FnMut(usize),
) -> Result<DemoReport> {
    let now = until.and_time(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default());
    if !setup::is_set_up(store)? {
        let body = Body::new(
            "Управление занятости и социальных программ города Алматы",
            "Алматы қаласының жұмыспен қамту және әлеуметтік бағдарламалар басқармасы",
            "г. Алматы",
            "Сейткалиев Нурлан Асетович",
            "Руководитель управления",
        );
        let admin = setup::set_up(
            store,
            &body,
            "admin",
            "Администратор системы",
            DEMO_PASSWORD,
            now,
        )?;
        for (username, name, role) in [
            ("officer", "Ахметова Айгерім Қайратқызы", Role::Officer),
            ("secretary", "Ким Ольга Викторовна", Role::Secretary),
            ("member", "Ержанов Бақыт Серікұлы", Role::Member),
            ("signatory", "Сейткалиев Нурлан Асетович", Role::Signatory),
        ] {
            setup::create_user(store, &admin, username, name, DEMO_PASSWORD, &[role], now)?;
        }
    }
    let conn = store.conn_mut();
    let user = |name: &str| -> Result<i64> {
        conn.query_row("SELECT id FROM users WHERE username = ?1", [name], |r| {
            r.get(0)
        })
        .map_err(|_| RuleError::Invalid(format!("the demo needs a user '{name}'")).into())
    };
    let officer = user("officer").or_else(|_| user("admin"))?;
    let secretary = user("secretary").or_else(|_| user("admin"))?;
    let members = ensure_members(conn, until)?;
    let calendar = reference::calendar(&crate::store::Tx::wrap(conn))?;
    let hours = setup::working_hours(conn)?;
    let body =
        setup::body(conn)?.ok_or_else(|| RuleError::Invalid("the body is not set up".into()))?;
    let (list_id, _) = reference::current_priority_list(&crate::store::Tx::wrap(conn))?;
    let professions: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM professions WHERE list_id = ?1 ORDER BY id")?;
        stmt.query_map([list_id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let scheme = reference::scheme_on(&crate::store::Tx::wrap(conn), until)?.version;
    let max = |sql: &str| -> rusqlite::Result<i64> { conn.query_row(sql, [], |r| r.get(0)) };
    let mut generator = Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        calendar,
        hours,
        until,
        start: until.checked_sub_days(Days::new(1240)).unwrap_or(until),
        professions,
        scheme,
        officer,
        secretary,
        pattern: body.number_pattern.clone(),
        number_start: body.number_start,
        per_year: body.number_per_year,
        next_application: max("SELECT coalesce(max(id), 0) + 1 FROM applications")?,
        next_applicant: max("SELECT coalesce(max(id), 0) + 1 FROM applicants")?,
        next_certificate: max("SELECT coalesce(max(id), 0) + 1 FROM certificates")?,
        next_meeting: max("SELECT coalesce(max(id), 0) + 1 FROM meetings")?,
        sequences: {
            let mut stmt = conn.prepare("SELECT year, last_value FROM certificate_sequences")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<HashMap<i32, i64>>>()?
        },
        meetings: HashMap::new(),
        held: Vec::new(),
        members: &members,
        report: DemoReport::default(),
    };
    let system = Session {
        user_id: officer,
        username: "demo".into(),
        full_name: "demo".into(),
        roles: vec![],
    };
    let mut written = 0;
    while written < count {
        let n = BATCH.min(count - written);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut statements = prepare(&tx)?;
            for i in 0..n {
                generator.application(&tx, &mut statements, written + i, count)?;
            }
        }
        generator.flush_sequences(&tx)?;
        legacy_audit(
            &tx,
            &system,
            now,
            "demo",
            "applications",
            &format!("generated applications {}..{}", written + 1, written + n),
        )?;
        tx.commit()?;
        written += n;
        progress(written);
    }
    // Merge the full-text index's segments once, as a long-lived database's automerge would
    // over time: searches at 10^6 applications read fewer segments.
    conn.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    Ok(generator.report)
}

fn ensure_members(conn: &Connection, until: NaiveDate) -> Result<Vec<i64>> {
    let existing: Vec<i64> = {
        let mut stmt =
            conn.prepare("SELECT id FROM commission_members WHERE active = 1 ORDER BY id")?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    if !existing.is_empty() {
        return Ok(existing);
    }
    let start = until
        .checked_sub_days(Days::new(1500))
        .unwrap_or(until)
        .to_string();
    let people = [
        (
            "Жумабаев Ерлан Маратович",
            "Управление занятости и социальных программ",
            "заместитель руководителя",
            "local_executive",
            "chair",
        ),
        (
            "Ким Ольга Викторовна",
            "Управление занятости и социальных программ",
            "главный специалист",
            "local_executive",
            "secretary",
        ),
        (
            "Омарова Сауле Кайратовна",
            "Управление образования",
            "руководитель отдела",
            "education",
            "member",
        ),
        (
            "Петренко Игорь Николаевич",
            "Департамент полиции",
            "начальник отдела миграционной службы",
            "internal_affairs",
            "member",
        ),
        (
            "Нұрғалиева Әйгерім Бекқызы",
            "Палата предпринимателей «Атамекен»",
            "эксперт",
            "atameken",
            "member",
        ),
        (
            "Исаев Тимур Ренатович",
            "Ассоциация IT-компаний",
            "исполнительный директор",
            "associations",
            "member",
        ),
        (
            "Сәтбаев Арман Өмірзақұлы",
            "Управление здравоохранения",
            "главный специалист",
            "sector_bodies",
            "member",
        ),
    ];
    let mut ids = Vec::new();
    for (name, organisation, position, group, role) in people {
        conn.execute(
            "INSERT INTO commission_members (full_name, organisation, position, member_group, member_role, active, start_date)
             VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)",
            params![name, organisation, position, group, role, start],
        )?;
        ids.push(conn.last_insert_rowid());
    }
    Ok(ids)
}

impl Generator<'_> {
    fn flush_sequences(&self, conn: &Connection) -> rusqlite::Result<()> {
        for (year, value) in &self.sequences {
            conn.execute(
                "INSERT INTO certificate_sequences (year, last_value) VALUES (?1, ?2)
                 ON CONFLICT (year) DO UPDATE SET last_value = max(last_value, excluded.last_value)",
                params![year, value],
            )?;
        }
        Ok(())
    }

    fn working_days_after(&self, from: NaiveDate, days: u32) -> NaiveDate {
        deadline::add_working_days(&self.calendar, from, days).0
    }

    fn meeting(&mut self, conn: &Connection, on: NaiveDate) -> Result<(i64, i64)> {
        if let Some((id, position)) = self.meetings.get_mut(&on)
            && *position + 1 < MEETING_SIZE
        {
            *position += 1;
            return Ok((*id, *position));
        }
        let id = self.next_meeting;
        self.next_meeting += 1;
        let held = on.and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default());
        conn.execute(
            "INSERT INTO meetings (id, held_on, place, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, on.to_string(), "г. Алматы, пр. Абылай хана, 91, зал заседаний 305", self.secretary, crate::service::fmt_time(held)],
        )?;
        for (i, member) in self.members.iter().enumerate() {
            let present = i < 2 || self.rng.random_bool(0.85);
            conn.execute(
                "INSERT INTO attendance (meeting_id, member_id, present) VALUES (?1, ?2, ?3)",
                params![id, member, present],
            )?;
        }
        self.meetings.insert(on, (id, 0));
        self.report.meetings += 1;
        Ok((id, 0))
    }

    fn next_number(&mut self, on: NaiveDate) -> Result<String> {
        let start = i64::from(self.number_start) - 1;
        let key = if self.per_year { on.year() } else { 0 };
        let seq = self.sequences.entry(key).or_insert(start);
        *seq += 1;
        format_number(&self.pattern, *seq as u64, on.year())
            .map_err(|e| RuleError::NumberPattern(e.to_string()).into())
    }

    #[allow(clippy::too_many_lines)]
    fn application(
        &mut self,
        conn: &Connection,
        st: &mut Statements<'_>,
        index: usize,
        count: usize,
    ) -> Result<()> {
        let rng = &mut self.rng;
        let span = (self.until - self.start).num_minutes().max(1);
        let offset = span * index as i64 / count.max(1) as i64;
        let filed_day = self.start.and_time(NaiveTime::MIN) + chrono::Duration::minutes(offset);
        let filed_at: NaiveDateTime = filed_day.date().and_time(
            NaiveTime::from_hms_opt(rng.random_range(8..20), rng.random_range(0..60), 0)
                .unwrap_or_default(),
        );
        // Who: a new person, or the holder of an earlier certificate for the other kinds.
        let roll: f64 = rng.random();
        let held_index =
            (!self.held.is_empty() && roll < 0.3).then(|| rng.random_range(0..self.held.len()));
        let held = held_index
            .map(|i| self.held[i].clone())
            .filter(|h| h.live && h.valid_to >= filed_at.date());
        let kind = match (&held, roll) {
            (Some(_), r) if r < 0.15 => ApplicationKind::Extend,
            (Some(_), r) if r < 0.23 => ApplicationKind::Reissue,
            (Some(_), _) => ApplicationKind::Duplicate,
            (None, _) => ApplicationKind::Issue,
        };
        let id = self.next_application;
        self.next_application += 1;
        let deadlines = application_deadlines(kind, filed_at, self.hours, &self.calendar);
        let number = format!("{}-{id:06}", deadlines.registered.format("%Y"));
        let (applicant_id, name, ids) = if let Some(h) = &held {
            (h.applicant_id, h.name.clone(), h.ids.clone())
        } else {
            self.new_applicant(st, filed_at)?
        };
        let rng = &mut self.rng;
        let profession_id = held.as_ref().map_or_else(
            || self.professions[rng.random_range(0..self.professions.len())],
            |h| h.profession_id,
        );
        let late = rng.random_bool(0.03);
        let decided_on = if late {
            deadline::add_working_days(&self.calendar, deadlines.decision_by, 1).0
        } else {
            let days = if kind == ApplicationKind::Issue { 4 } else { 2 };
            deadline::add_working_days(&self.calendar, deadlines.registered, days).0
        };
        let age = (self.until - deadlines.registered).num_days();
        // Open applications are the recent ones, and a few old ones left overdue.
        // Nothing is decided after the end of the generated period.
        let open = age < 0
            || decided_on > self.until
            || (age < 12 && rng.random_bool(0.7))
            || rng.random_bool(0.0005);
        let status = if open {
            match (kind, rng.random_range(0..10)) {
                (ApplicationKind::Issue, 0) => ApplicationStatus::DocumentsIncomplete,
                (ApplicationKind::Issue, 1..=3) => ApplicationStatus::Registered,
                (ApplicationKind::Issue, 4..=6) => ApplicationStatus::WithCommission,
                (ApplicationKind::Issue, _) => ApplicationStatus::Recommended,
                (_, 0) => ApplicationStatus::DocumentsIncomplete,
                _ => ApplicationStatus::Registered,
            }
        } else {
            match rng.random_range(0..100) {
                0..=3 => ApplicationStatus::Withdrawn,
                4..=15 if kind == ApplicationKind::Issue => ApplicationStatus::Refused,
                _ => ApplicationStatus::Issued,
            }
        };
        let withdrawn_early = status == ApplicationStatus::Withdrawn && rng.random_bool(0.5);
        let commission = kind == ApplicationKind::Issue
            && !withdrawn_early
            && !matches!(
                status,
                ApplicationStatus::Registered | ApplicationStatus::DocumentsIncomplete
            );
        let forwarded_on = commission.then(|| self.working_days_after(deadlines.registered, 1));
        let commission_by = forwarded_on
            .map(|d| deadline::deadline(&self.calendar, Step::CommissionDecision, d).value);
        let next = current_deadline(
            kind,
            status,
            deadlines.forward_by,
            commission_by,
            deadlines.decision_by,
        );
        let closed = status.is_final().then(|| decided_on.to_string());
        let rng = &mut self.rng;
        let (employer_name, employer_id, contract_end) = if kind == ApplicationKind::Extend
            || rng.random_bool(0.2)
        {
            let (name, bin) = EMPLOYERS[rng.random_range(0..EMPLOYERS.len())];
            let months = rng.random_range(6..40);
            (
                Some(name),
                Some(bin),
                (kind == ApplicationKind::Extend).then(|| decided_on + chrono::Months::new(months)),
            )
        } else {
            (None, None, None)
        };
        let reissue_reason =
            (kind == ApplicationKind::Reissue).then_some(ReissueReason::NameChanged);
        let channel = ["egov", "egov", "elicense", "migration", "paper"][rng.random_range(0..5)];
        st.application.execute(params![
            id,
            number,
            applicant_id,
            kind.code(),
            reissue_reason.map(|_| "name_changed"),
            profession_id,
            held.as_ref().map(|h| h.id),
            employer_name,
            employer_id,
            contract_end.map(|d| d.to_string()),
            channel,
            crate::service::fmt_time(filed_at),
            deadlines.registered.to_string(),
            deadlines.forward_by.map(|d| d.to_string()),
            deadlines.decision_by.to_string(),
            forwarded_on.map(|d| d.to_string()),
            commission_by.map(|d| d.to_string()),
            next.map(|d| d.to_string()),
            status.code(),
            closed,
            self.officer,
        ])?;
        let incomplete = status == ApplicationStatus::DocumentsIncomplete;
        for (i, doc) in required_documents(kind, reissue_reason).iter().enumerate() {
            st.document
                .execute(params![id, doc.code(), !(incomplete && i == 1)])?;
        }
        // The commission: agenda, score and recommendation.
        let mut recommended_issue = status == ApplicationStatus::Issued;
        let mut recommended_ground = 2;
        if let Some(forwarded) = forwarded_on
            && status != ApplicationStatus::WithCommission
        {
            let meeting_day = self.working_days_after(forwarded, 1);
            let (meeting, position) = self.meeting(conn, meeting_day)?;
            st.agenda.execute(params![meeting, id, position])?;
            let rng = &mut self.rng;
            let pass = status == ApplicationStatus::Issued
                || (status != ApplicationStatus::Refused && rng.random_bool(0.8));
            let higher = rng.random_bool(0.85);
            let degree = rng.random_bool(0.15);
            let english = rng.random_bool(0.1);
            let years: u32 = if pass {
                rng.random_range(4..20)
            } else {
                rng.random_range(0..3)
            };
            let higher = higher || (pass && !degree);
            let education = 3 * u32::from(higher) + 4 * u32::from(degree) + 3 * u32::from(english);
            let experience = match years {
                0 => 0,
                1..=3 => 2,
                4..=10 => 4,
                _ => 6,
            };
            let total = education + experience;
            let passed = total >= 6;
            let from = filed_at
                .date()
                .checked_sub_days(Days::new(u64::from(years) * 366 + 30))
                .unwrap_or(filed_at.date());
            let periods = format!(
                r#"[{{"from":"{from}","to":"{}"}}]"#,
                filed_at
                    .date()
                    .checked_sub_days(Days::new(20))
                    .unwrap_or(from)
            );
            let at = crate::service::fmt_time(
                meeting_day.and_time(NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default()),
            );
            st.score.execute(params![
                id,
                meeting,
                self.scheme,
                higher,
                degree,
                english,
                periods,
                education,
                years,
                experience,
                total,
                passed,
                self.secretary,
                at
            ])?;
            recommended_issue = passed && status != ApplicationStatus::Refused;
            let (outcome, ground, motivation) = if recommended_issue {
                ("issue", None, String::new())
            } else if passed {
                recommended_ground = 1;
                (
                    "refuse",
                    Some(1),
                    "Квалификация не соответствует профессии перечня".to_string(),
                )
            } else {
                (
                    "refuse",
                    Some(2),
                    format!("Набрано {total} баллов при пороговом значении 6"),
                )
            };
            st.recommendation.execute(params![
                id,
                meeting,
                outcome,
                ground,
                motivation,
                self.secretary,
                at
            ])?;
        }
        let decided_at = crate::service::fmt_time(
            decided_on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default()),
        );
        let mut certificate_numbers = String::new();
        match status {
            ApplicationStatus::Refused => {
                let ground = if recommended_issue {
                    3
                } else {
                    recommended_ground
                };
                st.decision.execute(params![
                    id,
                    "refuse",
                    ground,
                    "Мотивированный отказ по рекомендации комиссии",
                    decided_on.to_string(),
                    late,
                    self.officer,
                    decided_at
                ])?;
            }
            ApplicationStatus::Issued => {
                st.decision.execute(params![
                    id,
                    "issue",
                    None::<i64>,
                    "",
                    decided_on.to_string(),
                    late,
                    self.officer,
                    decided_at
                ])?;
                certificate_numbers = self.issue(
                    st,
                    id,
                    kind,
                    applicant_id,
                    profession_id,
                    &name,
                    &ids,
                    held_index,
                    decided_on,
                    contract_end,
                )?;
            }
            _ => {}
        }
        let employer = format!(
            "{} {}",
            employer_name.unwrap_or_default(),
            employer_id.unwrap_or_default()
        );
        let held_numbers = held.as_ref().map(|h| h.number.clone()).unwrap_or_default();
        st.search.execute(params![
            id,
            name,
            format!("{ids} {number}"),
            format!("{held_numbers} {certificate_numbers}"),
            employer
        ])?;
        self.report.applications += 1;
        Ok(())
    }

    fn new_applicant(
        &mut self,
        st: &mut Statements<'_>,
        filed_at: NaiveDateTime,
    ) -> Result<(i64, String, String)> {
        let rng = &mut self.rng;
        let script = rng.random_range(0..10);
        let (surname, given) = match script {
            0..=3 => (pick(rng, SURNAMES_RU), pick(rng, GIVEN_RU)),
            4..=6 => (pick(rng, SURNAMES_KK), pick(rng, GIVEN_KK)),
            _ => (pick(rng, SURNAMES_LATIN), pick(rng, GIVEN_LATIN)),
        };
        let patronymic = match script {
            0..=3 if rng.random_bool(0.7) => Some(pick(rng, PATRONYMICS_RU)),
            4..=6 if rng.random_bool(0.5) => Some(pick(rng, PATRONYMICS_KK)),
            _ => None,
        };
        let stateless = rng.random_bool(0.02);
        let citizenship = (!stateless).then(|| pick(rng, CITIZENSHIPS));
        let birth = NaiveDate::from_ymd_opt(
            rng.random_range(1960..2002),
            rng.random_range(1..13),
            rng.random_range(1..29),
        )
        .unwrap_or(self.start);
        let female = rng.random_bool(0.45);
        let iin = make_iin(rng, birth, female);
        let series = ["AC", "FA", "N", "E", "P"][rng.random_range(0..5)];
        let doc_number = format!("{:07}", rng.random_range(0..10_000_000));
        let issued = birth
            .checked_add_days(Days::new(rng.random_range(6000..9000)))
            .unwrap_or(birth)
            .min(filed_at.date());
        let id = self.next_applicant;
        self.next_applicant += 1;
        let phone = format!(
            "+7 7{:02} {:03} {:02} {:02}",
            rng.random_range(0..100),
            rng.random_range(0..1000),
            rng.random_range(0..100),
            rng.random_range(0..100)
        );
        let email = (rng.random_bool(0.5)).then(|| format!("applicant{id}@mail.example"));
        st.applicant.execute(params![
            id,
            surname,
            given,
            patronymic,
            citizenship,
            birth.to_string(),
            iin,
            series,
            doc_number,
            issued.to_string(),
            format!(
                "г. Алматы, ул. Абая, д. {}, кв. {}",
                rng.random_range(1..200),
                rng.random_range(1..300)
            ),
            phone,
            email,
            crate::service::fmt_time(filed_at),
        ])?;
        let name = [surname, given, patronymic.unwrap_or_default()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        Ok((id, name, format!("{iin} {series} {doc_number}")))
    }

    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        st: &mut Statements<'_>,
        application_id: i64,
        kind: ApplicationKind,
        applicant_id: i64,
        profession_id: i64,
        name: &str,
        ids: &str,
        held_index: Option<usize>,
        on: NaiveDate,
        contract_end: Option<NaiveDate>,
    ) -> Result<String> {
        let at = crate::service::fmt_time(
            on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default()),
        );
        let status_on = |valid_to: NaiveDate, until: NaiveDate| {
            if valid_to < until { "expired" } else { "valid" }
        };
        match (kind, held_index) {
            (ApplicationKind::Extend, Some(i)) => {
                let h = self.held[i].clone();
                let Some(end) = contract_end else {
                    return Ok(String::new());
                };
                let valid_to = validity::extend_valid_to(on, end.max(on)).unwrap_or(h.valid_to);
                st.update_certificate.execute(params![
                    h.id,
                    status_on(valid_to, self.until),
                    valid_to.to_string(),
                    None::<i64>
                ])?;
                st.event.execute(params![
                    h.id,
                    "extend",
                    on.to_string(),
                    "Трудовой договор",
                    application_id,
                    None::<i64>,
                    valid_to.to_string(),
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    self.officer,
                    at
                ])?;
                self.held[i].valid_to = valid_to;
                Ok(h.number)
            }
            (ApplicationKind::Reissue, Some(i)) => {
                let h = self.held[i].clone();
                let number = self.next_number(on)?;
                let id = self.next_certificate;
                self.next_certificate += 1;
                let basis = format!("Переоформление справки № {}", h.number);
                st.certificate.execute(params![
                    id,
                    number,
                    application_id,
                    applicant_id,
                    h.profession_id,
                    on.to_string(),
                    on.to_string(),
                    h.valid_to.max(on).to_string(),
                    basis,
                    status_on(h.valid_to.max(on), self.until),
                    h.id,
                    None::<i64>,
                    self.officer,
                    at
                ])?;
                st.update_certificate.execute(params![
                    h.id,
                    "superseded",
                    h.valid_to.to_string(),
                    id
                ])?;
                st.event.execute(params![
                    h.id,
                    "reissue",
                    on.to_string(),
                    basis,
                    application_id,
                    id,
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    self.officer,
                    at
                ])?;
                self.held[i].live = false;
                self.held.push(Held {
                    id,
                    number: number.clone(),
                    applicant_id,
                    profession_id: h.profession_id,
                    valid_from: on,
                    valid_to: h.valid_to.max(on),
                    basis,
                    name: name.into(),
                    ids: ids.into(),
                    live: true,
                });
                self.report.certificates += 1;
                Ok(number)
            }
            (ApplicationKind::Duplicate, Some(i)) => {
                let h = self.held[i].clone();
                let id = self.next_certificate;
                self.next_certificate += 1;
                st.certificate.execute(params![
                    id,
                    h.number,
                    application_id,
                    applicant_id,
                    h.profession_id,
                    on.to_string(),
                    h.valid_from.to_string(),
                    h.valid_to.to_string(),
                    h.basis,
                    status_on(h.valid_to, self.until),
                    None::<i64>,
                    h.id,
                    self.officer,
                    at
                ])?;
                st.event.execute(params![
                    h.id,
                    "duplicate",
                    on.to_string(),
                    "Утеря справки",
                    application_id,
                    id,
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    self.officer,
                    at
                ])?;
                self.report.certificates += 1;
                Ok(h.number)
            }
            _ => {
                let number = self.next_number(on)?;
                let id = self.next_certificate;
                self.next_certificate += 1;
                let valid_to = validity::issue_valid_to(on).unwrap_or(on);
                let basis = format!("Рекомендация комиссии от {}", on.format("%d.%m.%Y"));
                let revoked = self.rng.random_bool(0.01);
                let status = if revoked {
                    "revoked"
                } else {
                    status_on(valid_to, self.until)
                };
                st.certificate.execute(params![
                    id,
                    number,
                    application_id,
                    applicant_id,
                    profession_id,
                    on.to_string(),
                    on.to_string(),
                    valid_to.to_string(),
                    basis,
                    status,
                    None::<i64>,
                    None::<i64>,
                    self.officer,
                    at
                ])?;
                st.event.execute(params![
                    id,
                    "issue",
                    on.to_string(),
                    basis,
                    application_id,
                    None::<i64>,
                    valid_to.to_string(),
                    None::<String>,
                    None::<String>,
                    None::<String>,
                    self.officer,
                    at
                ])?;
                if revoked {
                    let act_date = on.checked_add_days(Days::new(30)).unwrap_or(on).to_string();
                    st.event.execute(params![
                        id,
                        "revoke",
                        act_date,
                        "Трудовая деятельность не по профессии справки",
                        None::<i64>,
                        None::<i64>,
                        None::<String>,
                        "Департамент миграционной службы",
                        "ПР-17",
                        act_date,
                        self.officer,
                        at
                    ])?;
                }
                self.held.push(Held {
                    id,
                    number: number.clone(),
                    applicant_id,
                    profession_id,
                    valid_from: on,
                    valid_to,
                    basis,
                    name: name.into(),
                    ids: ids.into(),
                    live: !revoked,
                });
                self.report.certificates += 1;
                Ok(number)
            }
        }
    }
}
