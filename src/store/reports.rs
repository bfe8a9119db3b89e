//! What the report for a period reads: counts grouped in SQL, so that a year of a million
//! applications is summed by the engine through the indexes of migration 007 and only the
//! distinct combinations reach Rust. It owns no table and returns no personal data (counts,
//! codes, list names and application numbers only).

use super::db::args;
use chrono::NaiveDate;

use super::rows::date;
use super::{StoreError, Tx};
use crate::domain::report::{DecisionFact, Period};

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Applications registered in the period, counted by day, kind, channel, status and profession
/// in one pass over the covering index `applications_report`, in its order (no sort); each
/// group carries its month ("YYYY-MM"), and the caller sums the days of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationGroup {
    pub kind: String,
    pub channel: String,
    pub status: String,
    pub profession_id: i64,
    pub month: String,
    pub count: u64,
}

pub fn application_groups(tx: &Tx<'_>, p: Period) -> Result<Vec<ApplicationGroup>, StoreError> {
    let rows = tx.query_map(
        "SELECT kind, channel, status, profession_id, substr(registered_on, 1, 7), count(*)
         FROM applications WHERE registered_on BETWEEN ?1 AND ?2
         GROUP BY registered_on, kind, channel, status, profession_id",
        args![day(p.from), day(p.to)],
        |r| {
            Ok(ApplicationGroup {
                kind: r.get(0)?,
                channel: r.get(1)?,
                status: r.get(2)?,
                profession_id: r.get(3)?,
                month: r.get(4)?,
                count: r.get::<i64>(5)?.unsigned_abs(),
            })
        },
    )?;
    Ok(rows)
}

/// Where a profession stands in its list: (sector number, sector, activity, name).
pub type Place = (u32, String, String, String);

/// Where each profession of every list version stands, by id.
pub fn profession_places(tx: &Tx<'_>) -> Result<std::collections::HashMap<i64, Place>, StoreError> {
    let rows = tx.query_map(
        "SELECT id, sector_number, sector, activity, name FROM professions",
        args![],
        |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))),
    )?;
    Ok(rows.into_iter().collect())
}

/// The decisions dated in the period, grouped by kind, registration day, deadline, day,
/// outcome and ground.
pub fn decision_facts(tx: &Tx<'_>, p: Period) -> Result<Vec<DecisionFact>, StoreError> {
    let raws = tx.query_map(
        "SELECT kind, registered_on, decision_by, decided_on, outcome, ground, count(*)
         FROM decisions WHERE decided_on BETWEEN ?1 AND ?2
         GROUP BY decided_on, kind, registered_on, decision_by, outcome, ground",
        args![day(p.from), day(p.to)],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<Option<u8>>(5)?,
                r.get::<i64>(6)?,
            ))
        },
    )?;
    raws.into_iter()
        .map(|(kind, registered, by, decided, outcome, ground, count)| {
            Ok(DecisionFact {
                kind,
                registered_on: date(&registered)?,
                decision_by: date(&by)?,
                decided_on: date(&decided)?,
                outcome,
                ground,
                count: count.unsigned_abs(),
            })
        })
        .collect()
}

/// Up to `limit` decisions of the period taken after their deadline, in the order of the
/// decision: (application number, kind, deadline, decided on).
pub fn late_decisions(
    tx: &Tx<'_>,
    p: Period,
    limit: usize,
) -> Result<Vec<(String, String, NaiveDate, NaiveDate)>, StoreError> {
    let raws = tx.query_map(
        "SELECT a.number, d.kind, d.decision_by, d.decided_on
         FROM decisions d JOIN applications a ON a.id = d.application_id
         WHERE d.decided_on BETWEEN ?1 AND ?2 AND d.decided_on > d.decision_by
         ORDER BY d.decided_on, a.number LIMIT ?3",
        args![
            day(p.from),
            day(p.to),
            i64::try_from(limit).unwrap_or(i64::MAX)
        ],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
            ))
        },
    )?;
    raws.into_iter()
        .map(|(number, kind, by, decided)| Ok((number, kind, date(&by)?, date(&decided)?)))
        .collect()
}

/// Applications forwarded to the commission in the period, and of them those forwarded by their
/// R§7 deadline.
pub fn forwarded(tx: &Tx<'_>, p: Period) -> Result<(u64, u64), StoreError> {
    let (all, in_time): (i64, i64) = tx.query_row(
        "SELECT count(*), coalesce(sum(forward_by IS NULL OR forwarded_on <= forward_by), 0)
         FROM applications WHERE forwarded_on BETWEEN ?1 AND ?2",
        args![day(p.from), day(p.to)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((all.unsigned_abs(), in_time.unsigned_abs()))
}

/// Recommendations given at meetings held in the period, and of them those by the application's
/// R§9 deadline.
pub fn commission_decided(tx: &Tx<'_>, p: Period) -> Result<(u64, u64), StoreError> {
    let (all, in_time): (i64, i64) = tx.query_row(
        "SELECT count(*), coalesce(sum(r.commission_by IS NULL OR m.held_on <= r.commission_by), 0)
         FROM meetings m
         JOIN recommendations r ON r.meeting_id = m.id
         WHERE m.held_on BETWEEN ?1 AND ?2",
        args![day(p.from), day(p.to)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((all.unsigned_abs(), in_time.unsigned_abs()))
}

/// Applications withdrawn (closed as withdrawn) in the period.
pub fn withdrawn(tx: &Tx<'_>, p: Period) -> Result<u64, StoreError> {
    let n: i64 = tx.query_row(
        "SELECT count(*) FROM applications
         WHERE status = 'withdrawn' AND closed_on BETWEEN ?1 AND ?2",
        args![day(p.from), day(p.to)],
        |r| r.get(0),
    )?;
    Ok(n.unsigned_abs())
}

/// The certificates as they stood at the end of `at`: (valid, expired, revoked, superseded).
/// Duplicates share their original's number and are not counted again. A certificate revoked
/// or reissued by then is counted as such; of the rest, one whose validity covers `at` is
/// valid, and one issued by then whose validity ended is expired.
pub fn certificates_at(tx: &Tx<'_>, at: NaiveDate) -> Result<(u64, u64, u64, u64), StoreError> {
    let at = day(at);
    let issued: i64 = tx.query_row(
        "SELECT count(*) FROM certificates WHERE issued_on <= ?1 AND duplicate_of IS NULL",
        args![&at],
        |r| r.get(0),
    )?;
    let ended = |event: &str| -> Result<i64, StoreError> {
        tx.query_row(
            "SELECT count(DISTINCT certificate_id) FROM certificate_events
             WHERE event = ?1 AND event_date <= ?2",
            args![event, &at],
            |r| r.get(0),
        )
    };
    let revoked = ended("revoke")?;
    let superseded = ended("reissue")?;
    // Those whose validity covers the day (one index range), less those of them revoked or
    // reissued by then (few: a look-up each).
    let covering: i64 = tx.query_row(
        "SELECT count(*) FROM certificates INDEXED BY certificates_validity
         WHERE valid_to >= ?1 AND valid_from <= ?1 AND issued_on <= ?1 AND duplicate_of IS NULL",
        args![&at],
        |r| r.get(0),
    )?;
    let covering_ended: i64 = tx.query_row(
        "SELECT count(DISTINCT c.id) FROM certificate_events e JOIN certificates c ON c.id = e.certificate_id
         WHERE e.event IN ('revoke', 'reissue') AND e.event_date <= ?1
           AND c.valid_to >= ?1 AND c.valid_from <= ?1 AND c.issued_on <= ?1 AND c.duplicate_of IS NULL",
        args![&at],
        |r| r.get(0),
    )?;
    let valid = covering - covering_ended;
    let expired = (issued - valid - revoked - superseded).max(0);
    Ok((
        valid.unsigned_abs(),
        expired.unsigned_abs(),
        revoked.unsigned_abs(),
        superseded.unsigned_abs(),
    ))
}

/// The lifecycle events recorded in the period, by event code.
pub fn events(tx: &Tx<'_>, p: Period) -> Result<Vec<(String, u64)>, StoreError> {
    let rows = tx.query_map(
        "SELECT event, count(*) FROM certificate_events
         WHERE event_date BETWEEN ?1 AND ?2 GROUP BY event",
        args![day(p.from), day(p.to)],
        |r| Ok((r.get(0)?, r.get::<i64>(1)?.unsigned_abs())),
    )?;
    Ok(rows)
}

/// Applications registered in the period by the citizenship they state ("" for stateless).
pub fn by_citizenship(tx: &Tx<'_>, p: Period) -> Result<Vec<(String, u64)>, StoreError> {
    let rows = tx.query_map(
        "SELECT coalesce(citizenship, ''), count(*)
         FROM applications WHERE registered_on BETWEEN ?1 AND ?2 GROUP BY 1",
        args![day(p.from), day(p.to)],
        |r| Ok((r.get(0)?, r.get::<i64>(1)?.unsigned_abs())),
    )?;
    Ok(rows)
}

/// The commission's work in the period: meetings held, applicants scored, the sum of their
/// totals, conflicts declared.
pub fn commission(tx: &Tx<'_>, p: Period) -> Result<(u64, u64, u64, u64), StoreError> {
    let (meetings, scored, points, conflicts): (i64, i64, i64, i64) = tx.query_row(
        "SELECT
           (SELECT count(*) FROM meetings WHERE held_on BETWEEN ?1 AND ?2),
           (SELECT count(*) FROM meetings m JOIN scores s ON s.meeting_id = m.id
             WHERE m.held_on BETWEEN ?1 AND ?2),
           (SELECT coalesce(sum(s.total), 0) FROM meetings m JOIN scores s ON s.meeting_id = m.id
             WHERE m.held_on BETWEEN ?1 AND ?2),
           (SELECT count(*) FROM meetings m JOIN conflicts c ON c.meeting_id = m.id
             WHERE m.held_on BETWEEN ?1 AND ?2)",
        args![day(p.from), day(p.to)],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok((
        meetings.unsigned_abs(),
        scored.unsigned_abs(),
        points.unsigned_abs(),
        conflicts.unsigned_abs(),
    ))
}

/// Complaints registered in the period: (received, satisfied, rejected, still open or
/// forwarded, answered by their deadline, answered after it).
pub fn complaints(tx: &Tx<'_>, p: Period) -> Result<[u64; 6], StoreError> {
    let row: [i64; 6] = tx.query_row(
        "SELECT count(*),
                coalesce(sum(status = 'satisfied'), 0),
                coalesce(sum(status = 'rejected'), 0),
                coalesce(sum(status IN ('open', 'forwarded')), 0),
                coalesce(sum(closed_on IS NOT NULL AND closed_on <= answer_by), 0),
                coalesce(sum(closed_on IS NOT NULL AND closed_on > answer_by), 0)
         FROM complaints WHERE registered_on BETWEEN ?1 AND ?2",
        args![day(p.from), day(p.to)],
        |r| {
            Ok([
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ])
        },
    )?;
    Ok(row.map(i64::unsigned_abs))
}
