//! `demo`: a realistic, deterministic data set for demonstrations, screenshots and benchmarks.
//!
//! Names in Russian, Kazakh and Latin script; all four kinds and every status; scores,
//! recommendations and decisions; meetings with members present; certificates valid, expired,
//! superseded, revoked and duplicated; some applications overdue. The same seed and the same
//! end date give the same data.
//!
//! It writes in large batches, one transaction and one audit row per batch: going through a
//! use case per application would make 10⁶ applications take hours of fsyncs. It writes
//! through the repository functions the services use, so the rows are the ones the services
//! write (already decided, where a use case would move them step by step), and `check` passes
//! on the result.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::calendar::Calendar;
use crate::domain::deadline::{
    self, Deadlines, Step, WorkingHours, application_deadlines, current_deadline,
};
use crate::domain::documents::{ReissueReason, required_documents};
use crate::domain::forms::{ApplicantInput, Channel};
use crate::domain::ident::check_digit;
use crate::domain::kind::ApplicationKind;
use crate::domain::numbering::{application_number, format_number};
use crate::domain::refusal::{Recommended, RefusalGround, refusal_motivation};
use crate::domain::roles::Role;
use crate::domain::scoring::{self, Scheme, ScoreInput, WorkPeriod};
use crate::domain::sequence;
use crate::domain::status::{ApplicationStatus, CertificateStatus};
use crate::domain::validity;
use crate::service::setup::{self, Body};
use crate::service::{Result, RuleError, Session, audit};
use crate::store::applications::{self, NewApplication};
use crate::store::certificates::{self, ControlAct, NewCertificate, NewEvent};
use crate::store::commission::{
    self, Member, MemberGroup, MemberRole, NewMeeting, NewScore, Recommendation,
};
use crate::store::decisions::{self, NewDecision, Outcome};
use crate::store::{Store, Tx, applicants, body, calendar, documents, reference, search, users};

/// Applications on one meeting's agenda at most; a busy day has several meetings.
const MEETING_SIZE: usize = 20;

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

/// A certificate the generator may extend, reissue or duplicate later.
#[derive(Clone)]
struct Held {
    id: i64,
    number: String,
    applicant_id: i64,
    profession_id: i64,
    /// The day the certificate (or its reissue) was issued: nothing about it is filed before.
    issued_on: NaiveDate,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    basis: String,
    live: bool,
}

struct Generator {
    rng: ChaCha8Rng,
    calendar: Calendar,
    hours: WorkingHours,
    until: NaiveDate,
    start: NaiveDate,
    professions: Vec<i64>,
    scheme: Scheme,
    officer: i64,
    secretary: i64,
    pattern: String,
    number_start: u32,
    per_year: bool,
    /// The certificate number sequences used in the current batch: key and last value given.
    sequences: HashMap<i32, i64>,
    /// The meeting of a day and the last agenda position used.
    meetings: HashMap<NaiveDate, (i64, usize)>,
    held: Vec<Held>,
    members: Vec<i64>,
    report: DemoReport,
}

/// What the generator reads of the database before it writes.
struct Setting {
    officer: i64,
    secretary: i64,
    calendar: Calendar,
    body: Body,
    professions: Vec<i64>,
    scheme: Scheme,
}

/// The demo users, the calendar, the body, the current professions and the scheme in force.
fn read_setting(tx: &Tx<'_>, until: NaiveDate) -> Result<Setting> {
    let user = |name: &str| -> Result<i64> {
        users::find_id(tx, name)?
            .ok_or_else(|| RuleError::Invalid(format!("the demo needs a user '{name}'")).into())
    };
    let (list_id, _) = reference::current_priority_list(tx)?;
    Ok(Setting {
        officer: user("officer").or_else(|_| user("admin"))?,
        secretary: user("secretary").or_else(|_| user("admin"))?,
        calendar: calendar::calendar(tx)?,
        body: body::load(tx)?.ok_or(RuleError::BodyNotSetUp)?,
        professions: reference::professions_of_list(tx, list_id)?
            .into_iter()
            .map(|p| p.id)
            .collect(),
        scheme: reference::scheme_on(tx, until)?,
    })
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
    let members = store.write(|tx| ensure_members(tx, until))?;
    let setting = store.read(|tx| read_setting(tx, until))?;
    let mut generator = Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        calendar: setting.calendar,
        hours: setting.body.hours,
        until,
        start: until.checked_sub_days(Days::new(1240)).unwrap_or(until),
        professions: setting.professions,
        scheme: setting.scheme,
        officer: setting.officer,
        secretary: setting.secretary,
        pattern: setting.body.number_pattern,
        number_start: setting.body.number_start,
        per_year: setting.body.number_per_year,
        sequences: HashMap::new(),
        meetings: HashMap::new(),
        held: Vec::new(),
        members,
        report: DemoReport::default(),
    };
    let system = Session {
        user_id: setting.officer,
        username: "demo".into(),
        full_name: "demo".into(),
        roles: vec![],
        must_change_password: false,
        signing_key: None,
    };
    let mut written = 0;
    while written < count {
        let n = BATCH.min(count - written);
        store.write(|tx| {
            let mut ids = Vec::with_capacity(n);
            for i in 0..n {
                ids.push(generator.application(tx, written + i, count)?);
            }
            // The search rows last: FTS5 writes its pending terms out at every statement that
            // may need undoing on its own (each INSERT ... RETURNING), so indexing every
            // application between its inserts would make one segment per application.
            for id in ids {
                search::index_application(tx, id)?;
            }
            generator.flush_sequences(tx)?;
            audit(
                tx,
                &system,
                now,
                "demo",
                "applications",
                &format!("generated applications {}..{}", written + 1, written + n),
            )
        })?;
        written += n;
        progress(written);
    }
    // Merge the full-text index once, as a long-lived database's automerge would over time:
    // searches at 10^6 applications read fewer segments.
    store.write(search::compact)?;
    Ok(generator.report)
}

/// The active commission members by id, after adding a demo commission if there is none.
fn ensure_members(tx: &Tx<'_>, until: NaiveDate) -> Result<Vec<i64>> {
    let mut existing: Vec<i64> = commission::members(tx)?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| m.id)
        .collect();
    if !existing.is_empty() {
        existing.sort_unstable();
        return Ok(existing);
    }
    let start_date = until.checked_sub_days(Days::new(1500)).unwrap_or(until);
    let people = [
        (
            "Жумабаев Ерлан Маратович",
            "Управление занятости и социальных программ",
            "заместитель руководителя",
            MemberGroup::LocalExecutive,
            MemberRole::Chair,
        ),
        (
            "Ким Ольга Викторовна",
            "Управление занятости и социальных программ",
            "главный специалист",
            MemberGroup::LocalExecutive,
            MemberRole::Secretary,
        ),
        (
            "Омарова Сауле Кайратовна",
            "Управление образования",
            "руководитель отдела",
            MemberGroup::Education,
            MemberRole::Member,
        ),
        (
            "Петренко Игорь Николаевич",
            "Департамент полиции",
            "начальник отдела миграционной службы",
            MemberGroup::InternalAffairs,
            MemberRole::Member,
        ),
        (
            "Нұрғалиева Әйгерім Бекқызы",
            "Палата предпринимателей «Атамекен»",
            "эксперт",
            MemberGroup::Atameken,
            MemberRole::Member,
        ),
        (
            "Исаев Тимур Ренатович",
            "Ассоциация IT-компаний",
            "исполнительный директор",
            MemberGroup::Associations,
            MemberRole::Member,
        ),
        (
            "Сәтбаев Арман Өмірзақұлы",
            "Управление здравоохранения",
            "главный специалист",
            MemberGroup::SectorBodies,
            MemberRole::Member,
        ),
    ];
    let mut ids = Vec::new();
    for (full_name, organisation, position, group, role) in people {
        let member = Member {
            id: 0,
            full_name: full_name.into(),
            organisation: organisation.into(),
            position: position.into(),
            group,
            role,
            active: true,
            start_date,
            end_date: None,
        };
        ids.push(commission::save_member(tx, &member)?);
    }
    Ok(ids)
}

/// Where an application stands at the end of the generated period.
struct Course {
    status: ApplicationStatus,
    decided_on: NaiveDate,
    late: bool,
    forwarded_on: Option<NaiveDate>,
}

impl Generator {
    /// Writes the last values of the number sequences used in this batch.
    fn flush_sequences(&mut self, tx: &Tx<'_>) -> Result<()> {
        for (key, value) in self.sequences.drain() {
            certificates::set_sequence_value(tx, key, value)?;
        }
        Ok(())
    }

    fn working_days_after(&self, from: NaiveDate, days: u32) -> NaiveDate {
        deadline::add_working_days(&self.calendar, from, days).0
    }

    /// The meeting of day `on` with a free place on its agenda, created (with its attendance)
    /// when the day has none or its agenda is full; the meeting's id and the place.
    fn meeting(&mut self, tx: &Tx<'_>, on: NaiveDate) -> Result<(i64, usize)> {
        if let Some((id, position)) = self.meetings.get_mut(&on)
            && *position + 1 < MEETING_SIZE
        {
            *position += 1;
            return Ok((*id, *position));
        }
        let held = on.and_time(NaiveTime::from_hms_opt(15, 0, 0).unwrap_or_default());
        let id = commission::insert_meeting(
            tx,
            &NewMeeting {
                held_on: on,
                place: "г. Алматы, пр. Абылай хана, 91, зал заседаний 305",
                created_by: self.secretary,
            },
            held,
        )?;
        for (i, member) in self.members.iter().enumerate() {
            let present = i < 2 || self.rng.random_bool(0.85);
            commission::set_attendance(tx, id, *member, present)?;
        }
        self.meetings.insert(on, (id, 0));
        self.report.meetings += 1;
        Ok((id, 0))
    }

    /// The next certificate number of the body's sequence for day `on`.
    fn next_number(&mut self, tx: &Tx<'_>, on: NaiveDate) -> Result<String> {
        let key = if self.per_year { on.year() } else { 0 };
        if !self.sequences.contains_key(&key) {
            let last = certificates::last_sequence_value(tx, key)?
                .unwrap_or(i64::from(self.number_start) - 1);
            self.sequences.insert(key, last);
        }
        let seq = self.sequences.entry(key).or_default();
        *seq += 1;
        format_number(&self.pattern, *seq as u64, on.year())
            .map_err(|e| RuleError::NumberPattern(e).into())
    }

    /// Draws how far an application of `kind` with these deadlines has gone by the end of the
    /// period: its status, when it was decided (late or not) and when it was forwarded.
    fn course(&mut self, kind: ApplicationKind, deadlines: &Deadlines) -> Course {
        let rng = &mut self.rng;
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
                (ApplicationKind::Issue, 0..=1) => ApplicationStatus::DocumentsIncomplete,
                (ApplicationKind::Issue, 2..=3) => ApplicationStatus::Registered,
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
        let mut forwarded_on = commission.then(|| self.working_days_after(deadlines.registered, 1));
        let mut status = status;
        // Nothing happens after the end of the period: an application forwarded later is still
        // registered, one whose meeting would come later still waits for it (R§7, R§9).
        if forwarded_on.is_some_and(|f| f > self.until) {
            forwarded_on = None;
            status = ApplicationStatus::Registered;
        } else if status == ApplicationStatus::Recommended
            && forwarded_on.is_some_and(|f| self.working_days_after(f, 1) > self.until)
        {
            status = ApplicationStatus::WithCommission;
        }
        Course {
            status,
            decided_on,
            late,
            forwarded_on,
        }
    }

    /// Writes application number `index` of `count` (without its search row); its id.
    fn application(&mut self, tx: &Tx<'_>, index: usize, count: usize) -> Result<i64> {
        let rng = &mut self.rng;
        let span = (self.until - self.start).num_minutes().max(1);
        let offset = span * index as i64 / count.max(1) as i64;
        let filed_day = self.start.and_time(NaiveTime::MIN) + chrono::Duration::minutes(offset);
        // Nothing is filed after the end of the generated period («now», 18:00 of `until`).
        let filed_at: NaiveDateTime = filed_day
            .date()
            .and_time(
                NaiveTime::from_hms_opt(rng.random_range(8..20), rng.random_range(0..60), 0)
                    .unwrap_or_default(),
            )
            .min(
                self.until
                    .and_time(NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default()),
            );
        // Who: a new person, or the holder of an earlier certificate for the other kinds.
        let roll: f64 = rng.random();
        let held_index =
            (!self.held.is_empty() && roll < 0.3).then(|| rng.random_range(0..self.held.len()));
        // R§16, R§22, R§22-1: filed about a certificate already issued, and valid long enough
        // to be decided on while it still is (a decision comes within a few working days).
        let held = held_index.map(|i| self.held[i].clone()).filter(|h| {
            h.live
                && sequence::filing_follows_certificate(filed_at.date(), h.issued_on)
                && h.valid_to >= filed_at.date() + Days::new(21)
        });
        let kind = match (&held, roll) {
            (Some(_), r) if r < 0.15 => ApplicationKind::Extend,
            (Some(_), r) if r < 0.23 => ApplicationKind::Reissue,
            (Some(_), _) => ApplicationKind::Duplicate,
            (None, _) => ApplicationKind::Issue,
        };
        let deadlines = application_deadlines(kind, filed_at, self.hours, &self.calendar);
        let applicant_id = match &held {
            Some(h) => h.applicant_id,
            None => self.new_applicant(tx, index, filed_at)?,
        };
        let rng = &mut self.rng;
        let profession_id = held.as_ref().map_or_else(
            || self.professions[rng.random_range(0..self.professions.len())],
            |h| h.profession_id,
        );
        let Course {
            status,
            decided_on,
            late,
            forwarded_on,
        } = self.course(kind, &deadlines);
        let commission_by = forwarded_on
            .map(|d| deadline::deadline(&self.calendar, Step::CommissionDecision, d).value);
        let rng = &mut self.rng;
        let (employer_name, employer_id, contract_end) = if kind == ApplicationKind::Extend
            || rng.random_bool(0.2)
        {
            let (name, bin) = EMPLOYERS[rng.random_range(0..EMPLOYERS.len())];
            let months = rng.random_range(6..40);
            (
                name,
                bin,
                (kind == ApplicationKind::Extend).then(|| decided_on + chrono::Months::new(months)),
            )
        } else {
            ("", "", None)
        };
        let reissue_reason =
            (kind == ApplicationKind::Reissue).then_some(ReissueReason::NameChanged);
        let channel = [
            Channel::Egov,
            Channel::Egov,
            Channel::Elicense,
            Channel::Migration,
            Channel::Paper,
        ][rng.random_range(0..5)];
        let new = NewApplication {
            applicant_id,
            kind,
            reissue_reason,
            profession_id,
            certificate_id: held.as_ref().map(|h| h.id),
            employer_name: employer_name.into(),
            employer_id: employer_id.into(),
            contract_end,
            consent: true,
            channel,
            filed_at,
            registered_on: deadlines.registered,
            forward_by: deadlines.forward_by,
            decision_by: deadlines.decision_by,
            next_deadline: current_deadline(
                kind,
                status,
                deadlines.forward_by,
                commission_by,
                deadlines.decision_by,
            ),
            status,
            forwarded_on,
            commission_by,
            closed_on: status.is_final().then_some(decided_on),
        };
        let (id, _) = applications::insert(tx, &new, self.officer, filed_at, |id| {
            application_number(deadlines.registered, id)
        })?;
        let incomplete = status == ApplicationStatus::DocumentsIncomplete;
        for (i, doc) in required_documents(kind, reissue_reason).iter().enumerate() {
            documents::add_item(tx, id, *doc, !(incomplete && i == 1))?;
        }
        // The commission: agenda, score and recommendation.
        let mut recommended_issue = status == ApplicationStatus::Issued;
        let mut recommended_ground = RefusalGround::BelowThreshold;
        // The commission's own words, for the refusal letter (R§9, R§12).
        let mut commission_motivation = String::new();
        // The protocol the certificate's basis cites (R§11).
        let mut protocol: Option<(i64, NaiveDate)> = None;
        if let Some(forwarded) = forwarded_on
            && status != ApplicationStatus::WithCommission
        {
            let meeting_day = self.working_days_after(forwarded, 1);
            let (meeting, position) = self.meeting(tx, meeting_day)?;
            protocol = Some((meeting, meeting_day));
            commission::add_to_agenda(tx, meeting, id, position)?;
            let input = self.score_input(status, filed_at.date());
            let score = scoring::score(&self.scheme, &input);
            let at = meeting_day.and_time(NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default());
            commission::insert_score(
                tx,
                &NewScore {
                    application_id: id,
                    meeting_id: meeting,
                    input: &input,
                    score: &score,
                    scored_by: self.secretary,
                },
                at,
            )?;
            recommended_issue =
                score.passed && (status != ApplicationStatus::Refused || self.rng.random_bool(0.2));
            let recommendation = if recommended_issue {
                Recommendation::Issue
            } else if score.passed {
                recommended_ground = RefusalGround::QualificationMismatch;
                commission_motivation =
                    "Специальность по диплому не соответствует профессии перечня".to_string();
                Recommendation::Refuse {
                    ground: recommended_ground,
                    motivation: commission_motivation.clone(),
                }
            } else {
                commission_motivation = format!(
                    "Набрано баллов: {} при пороговом значении {}",
                    score.total, score.threshold
                );
                Recommendation::Refuse {
                    ground: recommended_ground,
                    motivation: commission_motivation.clone(),
                }
            };
            commission::write_recommendation(
                tx,
                id,
                Some(meeting),
                &recommendation,
                self.secretary,
                at,
            )?;
        }
        let decided_at = decided_on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default());
        let decision = |outcome, ground: Option<RefusalGround>, motivation| NewDecision {
            application_id: id,
            outcome,
            ground: ground.map(RefusalGround::number),
            motivation,
            decided_on,
            past_deadline: late,
        };
        match status {
            ApplicationStatus::Refused => {
                // R§11, R§12: on the commission's recommendation its reason reaches the
                // letter; against a recommendation to issue, the akimat's own reason.
                let (ground, recommended, typed) = if recommended_issue {
                    (
                        RefusalGround::UnreliableDocuments,
                        Recommended::Issue,
                        "Перевод диплома не заверен нотариально: документ признан недостоверным",
                    )
                } else {
                    (
                        recommended_ground,
                        Recommended::Refuse {
                            motivation: &commission_motivation,
                        },
                        "",
                    )
                };
                let motivation = refusal_motivation(recommended, typed, true)
                    .map_err(|p| RuleError::Invalid(format!("demo refusal: {p:?}")))?;
                decisions::insert(
                    tx,
                    &decision(Outcome::Refuse, Some(ground), &motivation),
                    self.officer,
                    decided_at,
                )?;
            }
            ApplicationStatus::Issued => {
                decisions::insert(
                    tx,
                    &decision(Outcome::Issue, None, ""),
                    self.officer,
                    decided_at,
                )?;
                self.issue(
                    tx,
                    &Issued {
                        application_id: id,
                        kind,
                        applicant_id,
                        profession_id,
                        held_index,
                        on: decided_on,
                        contract_end,
                        protocol,
                    },
                )?;
            }
            _ => {}
        }
        self.report.applications += 1;
        Ok(id)
    }

    /// What the commission marked: a passing applicant has higher education and 4 years or
    /// more of service, a failing one less than 3.
    fn score_input(&mut self, status: ApplicationStatus, filed_on: NaiveDate) -> ScoreInput {
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
        let from = filed_on
            .checked_sub_days(Days::new(u64::from(years) * 366 + 30))
            .unwrap_or(filed_on);
        let to = filed_on.checked_sub_days(Days::new(20)).unwrap_or(from);
        ScoreInput {
            higher_education: higher || (pass && !degree),
            academic_degree: degree,
            english_certificate: english,
            periods: WorkPeriod::new(from, to).into_iter().collect(),
        }
    }

    /// A new applicant filing at `filed_at`; its id.
    fn new_applicant(&mut self, tx: &Tx<'_>, index: usize, filed_at: NaiveDateTime) -> Result<i64> {
        let rng = &mut self.rng;
        let script = rng.random_range(0..10);
        let (surname, given) = match script {
            0..=3 => (pick(rng, SURNAMES_RU), pick(rng, GIVEN_RU)),
            4..=6 => (pick(rng, SURNAMES_KK), pick(rng, GIVEN_KK)),
            _ => (pick(rng, SURNAMES_LATIN), pick(rng, GIVEN_LATIN)),
        };
        let patronymic = match script {
            0..=3 if rng.random_bool(0.7) => pick(rng, PATRONYMICS_RU),
            4..=6 if rng.random_bool(0.5) => pick(rng, PATRONYMICS_KK),
            _ => "",
        };
        let stateless = rng.random_bool(0.02);
        let citizenship = if stateless {
            ""
        } else {
            pick(rng, CITIZENSHIPS)
        };
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
        let phone = format!(
            "+7 7{:02} {:03} {:02} {:02}",
            rng.random_range(0..100),
            rng.random_range(0..1000),
            rng.random_range(0..100),
            rng.random_range(0..100)
        );
        let email = if rng.random_bool(0.5) {
            format!("applicant{}@mail.example", index + 1)
        } else {
            String::new()
        };
        let address = format!(
            "г. Алматы, ул. Абая, д. {}, кв. {}",
            rng.random_range(1..200),
            rng.random_range(1..300)
        );
        let applicant = ApplicantInput {
            surname: surname.into(),
            given_name: given.into(),
            patronymic: patronymic.into(),
            citizenship: citizenship.into(),
            stateless,
            birth_date: Some(birth),
            iin,
            doc_type: "паспорт".into(),
            doc_series: series.into(),
            doc_number,
            doc_issued_on: Some(issued),
            address,
            phone,
            email,
            ..ApplicantInput::default()
        };
        Ok(applicants::insert(tx, &applicant, filed_at)?)
    }

    /// The certificate of an issued application: a new one, the held one extended, reissued
    /// or duplicated.
    fn issue(&mut self, tx: &Tx<'_>, app: &Issued) -> Result<()> {
        let on = app.on;
        let at = on.and_time(NaiveTime::from_hms_opt(11, 0, 0).unwrap_or_default());
        let until = self.until;
        let status_on = |valid_to: NaiveDate| {
            if valid_to < until {
                CertificateStatus::Expired
            } else {
                CertificateStatus::Valid
            }
        };
        let event = |certificate_id, event, grounds, related_id| NewEvent {
            certificate_id,
            event,
            date: on,
            grounds,
            application_id: Some(app.application_id),
            related_id,
            old_valid_to: None,
            new_valid_to: None,
            act: None,
        };
        match (app.kind, app.held_index) {
            (ApplicationKind::Extend, Some(i)) => {
                let h = self.held[i].clone();
                let Some(end) = app.contract_end else {
                    return Ok(());
                };
                let valid_to = validity::extend_valid_to(on, end.max(on)).unwrap_or(h.valid_to);
                certificates::extend(tx, h.id, valid_to, status_on(valid_to))?;
                let extended = NewEvent {
                    old_valid_to: Some(h.valid_to),
                    new_valid_to: Some(valid_to),
                    ..event(h.id, "extend", "Трудовой договор", None)
                };
                certificates::insert_event(tx, &extended, self.officer, at)?;
                self.held[i].valid_to = valid_to;
            }
            (ApplicationKind::Reissue, Some(i)) => {
                let h = self.held[i].clone();
                let number = self.next_number(tx, on)?;
                let basis = format!("Переоформление справки № {}", h.number);
                let valid_to = h.valid_to.max(on);
                let id = certificates::insert(
                    tx,
                    &NewCertificate {
                        number: &number,
                        application_id: app.application_id,
                        applicant_id: app.applicant_id,
                        profession_id: h.profession_id,
                        issued_on: on,
                        valid_from: on,
                        valid_to,
                        basis: &basis,
                        status: status_on(valid_to),
                        supersedes: Some(h.id),
                        duplicate_of: None,
                    },
                    self.officer,
                    at,
                )?;
                certificates::set_superseded_by(tx, h.id, id)?;
                certificates::set_status(tx, h.id, CertificateStatus::Superseded)?;
                certificates::insert_event(
                    tx,
                    &event(h.id, "reissue", &basis, Some(id)),
                    self.officer,
                    at,
                )?;
                self.held[i].live = false;
                self.held.push(Held {
                    id,
                    number,
                    applicant_id: app.applicant_id,
                    profession_id: h.profession_id,
                    issued_on: on,
                    valid_from: on,
                    valid_to,
                    basis,
                    live: true,
                });
                self.report.certificates += 1;
            }
            (ApplicationKind::Duplicate, Some(i)) => {
                let h = self.held[i].clone();
                let id = certificates::insert(
                    tx,
                    &NewCertificate {
                        number: &h.number,
                        application_id: app.application_id,
                        applicant_id: app.applicant_id,
                        profession_id: h.profession_id,
                        issued_on: on,
                        valid_from: h.valid_from,
                        valid_to: h.valid_to,
                        basis: &h.basis,
                        status: status_on(h.valid_to),
                        supersedes: None,
                        duplicate_of: Some(h.id),
                    },
                    self.officer,
                    at,
                )?;
                certificates::insert_event(
                    tx,
                    &event(h.id, "duplicate", "Утеря справки", Some(id)),
                    self.officer,
                    at,
                )?;
                self.report.certificates += 1;
            }
            _ => {
                let number = self.next_number(tx, on)?;
                let valid_to = validity::issue_valid_to(on).unwrap_or(on);
                // R§11: the basis cites the protocol of the meeting that recommended.
                let basis = match app.protocol {
                    Some((meeting, held_on)) => format!(
                        "Рекомендация комиссии, протокол № {meeting} от {}",
                        held_on.format("%d.%m.%Y")
                    ),
                    None => "Рекомендация комиссии (пункт 11 Правил)".to_string(),
                };
                // R§21: an act dated between the issue and today; none yet if it would be later.
                let act_date = on.checked_add_days(Days::new(30)).unwrap_or(on);
                let revoked = self.rng.random_bool(0.01) && act_date <= until;
                let id = certificates::insert(
                    tx,
                    &NewCertificate {
                        number: &number,
                        application_id: app.application_id,
                        applicant_id: app.applicant_id,
                        profession_id: app.profession_id,
                        issued_on: on,
                        valid_from: on,
                        valid_to,
                        basis: &basis,
                        status: if revoked {
                            CertificateStatus::Revoked
                        } else {
                            status_on(valid_to)
                        },
                        supersedes: None,
                        duplicate_of: None,
                    },
                    self.officer,
                    at,
                )?;
                let issued = NewEvent {
                    new_valid_to: Some(valid_to),
                    ..event(id, "issue", &basis, None)
                };
                certificates::insert_event(tx, &issued, self.officer, at)?;
                if revoked {
                    let act = ControlAct {
                        body: "Департамент миграционной службы".into(),
                        number: "ПР-17".into(),
                        date: act_date,
                    };
                    let revocation = NewEvent {
                        date: act.date,
                        application_id: None,
                        act: Some(&act),
                        ..event(
                            id,
                            "revoke",
                            "Трудовая деятельность не по профессии справки",
                            None,
                        )
                    };
                    let recorded =
                        act_date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
                    certificates::insert_event(tx, &revocation, self.officer, recorded)?;
                }
                self.held.push(Held {
                    id,
                    number,
                    applicant_id: app.applicant_id,
                    profession_id: app.profession_id,
                    issued_on: on,
                    valid_from: on,
                    valid_to,
                    basis,
                    live: !revoked,
                });
                self.report.certificates += 1;
            }
        }
        Ok(())
    }
}

/// An application decided "issue", as [`Generator::issue`] needs it.
struct Issued {
    application_id: i64,
    kind: ApplicationKind,
    applicant_id: i64,
    profession_id: i64,
    /// The certificate held, for an extension, reissue or duplicate.
    held_index: Option<usize>,
    on: NaiveDate,
    contract_end: Option<NaiveDate>,
    /// The meeting that recommended issuing (R§11): its number and day.
    protocol: Option<(i64, NaiveDate)>,
}
