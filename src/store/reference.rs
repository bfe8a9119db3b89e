//! The reference data every database carries: the lists of SPEC §7, the scoring schemes of
//! SPEC §4 and the calendar data of SPEC §3, loaded from `assets/` when missing.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::rows::{fmt_time, from_json, to_json};
use super::{StoreError, Tx};
use crate::assets;
use crate::domain::reference::PriorityList;
use crate::domain::scoring::Scheme;

/// The calendar moved to [`super::calendar`]; kept here for the callers that read it from here.
pub use super::calendar::{calendar, calendar_years};

/// Adds the shipped list versions, schemes and calendar years that the database lacks. What the
/// administrator has entered is kept.
pub fn seed(conn: &mut Connection, now: NaiveDateTime) -> Result<(), StoreError> {
    let priority = assets::priority_list()?;
    let order49 = assets::order49_list()?;
    let schemes = assets::scoring_schemes()?;
    let years = assets::calendar_years()?;
    // IMMEDIATE: a second window opening the same file waits instead of failing to upgrade a lock.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let at = fmt_time(now);
    let priority_version = priority.version.to_string();
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM reference_lists WHERE list = ?1 AND version = ?2",
            params![priority.list, priority_version],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        let content = to_json(&priority)?;
        let list_id: i64 = tx.query_row(
            "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![priority.list, priority_version, priority.approved_by, content, at],
            |r| r.get(0),
        )?;
        let mut insert = tx.prepare(
            "INSERT INTO professions (list_id, key, sector_number, sector, activity, number, name, qualification_levels)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for entry in priority.professions() {
            let levels: Vec<String> = entry
                .profession
                .qualification_levels
                .iter()
                .map(ToString::to_string)
                .collect();
            insert.execute(params![
                list_id,
                entry.key(),
                entry.sector.number,
                entry.sector.name,
                entry.activity.name,
                entry.profession.number,
                entry.profession.name,
                levels.join("–"),
            ])?;
        }
    }
    let order49_version = order49.version.to_string();
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM reference_lists WHERE list = ?1 AND version = ?2",
            params![order49.list, order49_version],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        let content = to_json(&order49)?;
        let list_id: i64 = tx.query_row(
            "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            params![order49.list, order49_version, order49.approved_by, content, at],
            |r| r.get(0),
        )?;
        let mut insert = tx.prepare(
            "INSERT INTO order49_professions (list_id, code, area, name) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (area, profession) in order49.professions() {
            insert.execute(params![
                list_id,
                profession.code,
                area.name,
                profession.name
            ])?;
        }
    }
    for scheme in &schemes {
        let content = to_json(scheme)?;
        tx.execute(
            "INSERT INTO scoring_schemes (version, valid_from, content) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![scheme.version, scheme.valid_from.to_string(), content],
        )?;
    }
    for year in &years {
        let inserted = tx.execute(
            "INSERT INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'assets') ON CONFLICT DO NOTHING",
            params![year.year, year.kurban_ait.map(|d| d.to_string()), year.kurban_ait_expected],
        )?;
        if inserted == 0 {
            continue;
        }
        for (entries, working) in [(&year.days_off, false), (&year.working_days, true)] {
            for entry in entries {
                tx.execute(
                    "INSERT INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'assets') ON CONFLICT DO NOTHING",
                    params![entry.date.to_string(), working, entry.note],
                )?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// The scheme in force on a date, as stored.
pub fn scheme_on(tx: &Tx<'_>, date: chrono::NaiveDate) -> Result<Scheme, StoreError> {
    let conn = tx.sqlite();
    let content: Option<String> = conn
        .query_row(
            "SELECT content FROM scoring_schemes WHERE valid_from <= ?1 ORDER BY valid_from DESC LIMIT 1",
            [date.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    let content = match content {
        Some(content) => content,
        None => conn.query_row(
            "SELECT content FROM scoring_schemes ORDER BY valid_from LIMIT 1",
            [],
            |r| r.get(0),
        )?,
    };
    from_json(&content)
}

/// The newest version of the priority list.
pub fn current_priority_list(tx: &Tx<'_>) -> Result<(i64, PriorityList), StoreError> {
    let (id, content): (i64, String) = tx.sqlite().query_row(
        "SELECT id, content FROM reference_lists WHERE list = 'order-236-appendix-2' ORDER BY version DESC, id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let list = from_json(&content)?;
    Ok((id, list))
}

/// A priority-list entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfessionRow {
    pub id: i64,
    pub key: String,
    pub sector_number: i64,
    pub sector: String,
    pub activity: String,
    pub number: i64,
    pub name: String,
    pub qualification_levels: String,
}

const PROFESSION_COLUMNS: &str =
    "id, key, sector_number, sector, activity, number, name, qualification_levels";

fn profession_row(r: &Row<'_>) -> rusqlite::Result<ProfessionRow> {
    Ok(ProfessionRow {
        id: r.get(0)?,
        key: r.get(1)?,
        sector_number: r.get(2)?,
        sector: r.get(3)?,
        activity: r.get(4)?,
        number: r.get(5)?,
        name: r.get(6)?,
        qualification_levels: r.get(7)?,
    })
}

/// A profession of any list version, by id.
pub fn profession(tx: &Tx<'_>, id: i64) -> Result<ProfessionRow, StoreError> {
    tx.sqlite()
        .query_row(
            &format!("SELECT {PROFESSION_COLUMNS} FROM professions WHERE id = ?1"),
            [id],
            profession_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "profession",
            id: id.to_string(),
        })
}

// Professions for pickers and the Order 49 list (applications).

/// The professions of one priority-list version, in list order.
pub fn professions_of_list(tx: &Tx<'_>, list_id: i64) -> Result<Vec<ProfessionRow>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(&format!(
        "SELECT {PROFESSION_COLUMNS} FROM professions WHERE list_id = ?1 ORDER BY id"
    ))?;
    let rows = stmt
        .query_map([list_id], profession_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Code and name of every profession of the newest Order 49 list, by code.
pub fn order49_professions(tx: &Tx<'_>) -> Result<Vec<(String, String)>, StoreError> {
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT code, name FROM order49_professions WHERE list_id = (SELECT max(id) FROM reference_lists WHERE list = 'order-49') ORDER BY code",
    )?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

// Repository functions added with the commission, calendar and exchange use cases.

/// A scoring scheme by its version.
pub fn scheme_version(tx: &Tx<'_>, version: &str) -> Result<Scheme, StoreError> {
    let content: Option<String> = tx
        .sqlite()
        .query_row(
            "SELECT content FROM scoring_schemes WHERE version = ?1",
            [version],
            |r| r.get(0),
        )
        .optional()?;
    let Some(content) = content else {
        return Err(StoreError::NotFound {
            what: "scoring scheme",
            id: version.to_string(),
        });
    };
    from_json(&content)
}

/// The id of a profession of one list version by its key (`sector.activity.number`).
pub fn profession_by_key(tx: &Tx<'_>, list_id: i64, key: &str) -> Result<Option<i64>, StoreError> {
    Ok(tx
        .sqlite()
        .query_row(
            "SELECT id FROM professions WHERE list_id = ?1 AND key = ?2",
            params![list_id, key],
            |r| r.get(0),
        )
        .optional()?)
}
