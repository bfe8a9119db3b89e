//! The akimat's decision on an application (R§11, R§12, A2.5): the `decisions` table. The
//! commission's recommendation it follows is read from [`super::commission`].

use super::db::args;
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{date, fmt_time, unknown};
use super::{StoreError, Tx};

/// What was decided or recommended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Issue,
    Refuse,
}

impl Outcome {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Refuse => "refuse",
        }
    }

    fn from_code(code: &str) -> Result<Self, StoreError> {
        match code {
            "issue" => Ok(Self::Issue),
            "refuse" => Ok(Self::Refuse),
            other => Err(unknown("outcome", other)),
        }
    }
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub application_id: i64,
    pub outcome: Outcome,
    /// The ground of A2.9 of a refusal.
    pub ground: Option<u8>,
    pub motivation: &'a str,
    pub decided_on: NaiveDate,
    pub past_deadline: bool,
}

/// Records the decision on an application, with the application's kind, registration day and
/// deadline as they stand at the decision (what the decision was judged against).
pub fn insert(
    tx: &Tx<'_>,
    d: &NewDecision<'_>,
    user_id: i64,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let inserted = tx.execute("INSERT INTO decisions (application_id, outcome, ground, motivation, decided_on, past_deadline, decided_by, decided_at,
                                kind, registered_on, decision_by)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                a.kind, a.registered_on, a.decision_by
         FROM applications a WHERE a.id = ?1", args![d.application_id, d.outcome.code(), d.ground, d.motivation, d.decided_on.to_string(), d.past_deadline, user_id, fmt_time(now)],)?;
    if inserted == 0 {
        return Err(StoreError::NotFound {
            what: "application",
            id: d.application_id.to_string(),
        });
    }
    Ok(())
}

/// A decision as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub outcome: Outcome,
    pub ground: Option<u8>,
    pub motivation: String,
    pub decided_on: NaiveDate,
}

/// The decision on an application, if there is one.
pub fn of_application(tx: &Tx<'_>, application_id: i64) -> Result<Option<DecisionRow>, StoreError> {
    let raw: Option<(String, Option<u8>, String, String)> = tx.query_opt(
        "SELECT outcome, ground, motivation, decided_on FROM decisions WHERE application_id = ?1",
        args![application_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    raw.map(|(outcome, ground, motivation, decided_on)| {
        Ok(DecisionRow {
            outcome: Outcome::from_code(&outcome)?,
            ground,
            motivation,
            decided_on: date(&decided_on)?,
        })
    })
    .transpose()
}
