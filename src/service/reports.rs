//! The report for a period: how many applications, decided on time or late, issued or refused
//! and why, the certificates at the period's end, sectors, professions and citizenships, the
//! commission's work and the complaints — for the akimat, the ministry and the prosecutor.
//!
//! Who may read it: the officer, the signatory and the administrator (`ViewReports`). It holds
//! aggregates only: counts, codes, list names and application numbers, never a person's name or
//! identity number, so reading it is not recorded as an access to personal data; writing it out
//! of the program (XLSX, PDF, JSON) is recorded with the period.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Session, audit};
pub use crate::domain::report::{
    Certificates, Commission, Complaints, Month, Outcomes, Period, ProfessionLine, Received,
    Report, Timeliness,
};

use crate::domain::report as rules;
use crate::domain::roles::Action;
use crate::store::{Store, reference, reports as q};

/// How many late decisions the report lists by number.
pub const LATE_LIST_LIMIT: usize = 200;
/// How many citizenships the report names before «the rest».
pub const TOP_CITIZENSHIPS: usize = 10;

const KINDS: [&str; 4] = ["issue", "extend", "reissue", "duplicate"];
const CHANNELS: [&str; 4] = ["egov", "elicense", "migration", "paper"];

/// The report for `period`, read in one snapshot. The certificates are counted as they stood
/// at the period's end, or `today` when the period ends later (a state in the future would be
/// a guess).
pub fn report(
    store: &Store,
    session: &Session,
    period: Period,
    today: NaiveDate,
) -> Result<Report> {
    session.require(Action::ViewReports)?;
    let report = store.read(|tx| -> Result<Report> {
        let calendar = reference::calendar(tx)?;
        let body = crate::store::body::load(tx)?.map_or_else(String::new, |b| b.name_ru);

        let groups = q::application_groups(tx, period)?;
        let sum_where = |codes: &[&str], pick: &dyn Fn(&q::ApplicationGroup) -> &str| {
            codes
                .iter()
                .map(|code| {
                    let n = groups
                        .iter()
                        .filter(|g| pick(g) == *code)
                        .map(|g| g.count)
                        .sum();
                    ((*code).to_string(), n)
                })
                .collect::<Vec<_>>()
        };
        let received = Received {
            total: groups.iter().map(|g| g.count).sum(),
            by_kind: sum_where(&KINDS, &|g| g.kind.as_str()),
            by_channel: sum_where(&CHANNELS, &|g| g.channel.as_str()),
        };
        let mut received_by_month: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_profession_id: BTreeMap<i64, (u64, u64, u64)> = BTreeMap::new();
        for g in &groups {
            *received_by_month.entry(g.month.clone()).or_default() += g.count;
            let line = by_profession_id.entry(g.profession_id).or_default();
            line.0 += g.count;
            match g.status.as_str() {
                "issued" => line.1 += g.count,
                "refused" => line.2 += g.count,
                _ => {}
            }
        }

        let facts = q::decision_facts(tx, period)?;
        let late = q::late_decisions(tx, period, LATE_LIST_LIMIT + 1)?;
        let (mut timeliness, mut outcomes, decided_by_month) =
            rules::decisions(&calendar, &facts, late, LATE_LIST_LIMIT);
        (timeliness.forwarded, timeliness.forwarded_on_time) = q::forwarded(tx, period)?;
        (timeliness.commission_decided, timeliness.commission_on_time) =
            q::commission_decided(tx, period)?;
        outcomes.withdrawn = q::withdrawn(tx, period)?;

        let at = period.to.min(today);
        let (valid, expired, revoked, superseded) = q::certificates_at(tx, at)?;
        let events: BTreeMap<String, u64> = q::events(tx, period)?.into_iter().collect();
        let event = |code: &str| events.get(code).copied().unwrap_or(0);
        let certificates = Certificates {
            at: Some(at),
            valid,
            expired,
            revoked,
            superseded,
            issued: event("issue"),
            extended: event("extend"),
            reissued: event("reissue"),
            duplicates: event("duplicate"),
            notices_employer_change: event("notice_employer_change"),
            notices_contract_end: event("notice_contract_end"),
            revocations: event("revoke"),
        };

        let places = q::profession_places(tx)?;
        let mut sectors: BTreeMap<(u32, String), u64> = BTreeMap::new();
        let mut by_profession: Vec<ProfessionLine> = Vec::new();
        for (id, (received, issued, refused)) in by_profession_id {
            let (number, sector, activity, profession) =
                places.get(&id).cloned().unwrap_or_default();
            *sectors.entry((number, sector.clone())).or_default() += received;
            by_profession.push(ProfessionLine {
                sector,
                activity,
                profession,
                received,
                issued,
                refused,
            });
        }
        by_profession.sort_by(|a, b| {
            b.received
                .cmp(&a.received)
                .then_with(|| a.profession.cmp(&b.profession))
        });
        let (by_citizenship, other_citizenships) =
            rules::top_n(q::by_citizenship(tx, period)?, TOP_CITIZENSHIPS);

        let (meetings, scored, points, conflicts) = q::commission(tx, period)?;
        let commission = Commission {
            meetings,
            scored,
            average_score: (scored > 0).then(|| points as f64 / scored as f64),
            conflicts,
        };
        let [received_c, satisfied, rejected, pending, in_time, late_c] =
            q::complaints(tx, period)?;
        let complaints = Complaints {
            received: received_c,
            satisfied,
            rejected,
            pending,
            answered_in_time: in_time,
            answered_late: late_c,
        };

        let months = period
            .months()
            .into_iter()
            .map(|month| {
                let (decided, on_time) = decided_by_month.get(&month).copied().unwrap_or((0, 0));
                Month {
                    received: received_by_month.get(&month).copied().unwrap_or(0),
                    decided,
                    on_time,
                    month,
                }
            })
            .collect();

        Ok(Report {
            body,
            period,
            received,
            timeliness,
            outcomes,
            certificates,
            by_sector: sectors.into_iter().map(|((_, s), n)| (s, n)).collect(),
            by_profession,
            by_citizenship,
            other_citizenships,
            commission,
            complaints,
            months,
        })
    })?;
    Ok(report)
}

/// The formats a report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xlsx,
    Pdf,
}

/// The report as pretty-printed JSON.
pub fn to_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// Writes the report to `out` in `format`, recorded in the log with the period.
pub fn write(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    report: &Report,
    format: Format,
    out: &Path,
) -> Result<()> {
    session.require(Action::ViewReports)?;
    let bytes = match format {
        Format::Json => to_json(report).into_bytes(),
        Format::Xlsx => super::report_xlsx::workbook(report)?,
        Format::Pdf => crate::print::report::pdf(report)?,
    };
    let partial = out.with_extension("partial");
    std::fs::write(&partial, bytes).map_err(crate::store::StoreError::from)?;
    std::fs::rename(&partial, out).map_err(crate::store::StoreError::from)?;
    let summary = format!(
        "{} {}..{}",
        match format {
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        },
        report.period.from,
        report.period.to
    );
    store.write(|tx| audit(tx, session, now, "export_report", "report", &summary))?;
    Ok(())
}
