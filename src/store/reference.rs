//! The reference data every database carries: the lists of SPEC §7, the scoring schemes of
//! SPEC §4 and the calendar data of SPEC §3, loaded from `assets/` when missing.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::{StoreError, Tx};
use crate::assets;
use crate::domain::calendar::{Calendar, DatedNote, YearData};
use crate::domain::reference::PriorityList;
use crate::domain::scoring::Scheme;

/// Adds the shipped list versions, schemes and calendar years that the database lacks. What the
/// administrator has entered is kept.
pub fn seed(conn: &mut Connection, now: NaiveDateTime) -> Result<(), StoreError> {
    let priority = assets::priority_list()?;
    let order49 = assets::order49_list()?;
    let schemes = assets::scoring_schemes()?;
    let years = assets::calendar_years()?;
    // IMMEDIATE: a second window opening the same file waits instead of failing to upgrade a lock.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let at = now.format("%Y-%m-%dT%H:%M:%S").to_string();
    let priority_version = priority.version.to_string();
    let exists: Option<i64> = tx
        .query_row(
            "SELECT id FROM reference_lists WHERE list = ?1 AND version = ?2",
            params![priority.list, priority_version],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        let content =
            serde_json::to_string(&priority).map_err(|e| StoreError::Invalid(e.to_string()))?;
        tx.execute(
            "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![priority.list, priority_version, priority.approved_by, content, at],
        )?;
        let list_id = tx.last_insert_rowid();
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
        let content =
            serde_json::to_string(&order49).map_err(|e| StoreError::Invalid(e.to_string()))?;
        tx.execute(
            "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![order49.list, order49_version, order49.approved_by, content, at],
        )?;
        let list_id = tx.last_insert_rowid();
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
        let content =
            serde_json::to_string(scheme).map_err(|e| StoreError::Invalid(e.to_string()))?;
        tx.execute(
            "INSERT OR IGNORE INTO scoring_schemes (version, valid_from, content) VALUES (?1, ?2, ?3)",
            params![scheme.version, scheme.valid_from.to_string(), content],
        )?;
    }
    for year in &years {
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'assets')",
            params![year.year, year.kurban_ait.map(|d| d.to_string()), year.kurban_ait_expected],
        )?;
        if inserted == 0 {
            continue;
        }
        for (entries, working) in [(&year.days_off, false), (&year.working_days, true)] {
            for entry in entries {
                tx.execute(
                    "INSERT OR IGNORE INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'assets')",
                    params![entry.date.to_string(), working, entry.note],
                )?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Invalid(format!("bad date '{text}'")))
}

/// The per-year calendar data stored in the database.
pub fn calendar_years(tx: &Tx<'_>) -> Result<Vec<YearData>, StoreError> {
    let conn = tx.sqlite();
    let mut years: Vec<YearData> = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT year, kurban_ait, kurban_ait_expected FROM calendar_years ORDER BY year",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i32>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, bool>(2)?,
        ))
    })?;
    for row in rows {
        let (year, kurban, expected) = row?;
        let mut data = YearData::empty(year);
        data.kurban_ait = kurban.as_deref().map(parse_date).transpose()?;
        data.kurban_ait_expected = expected;
        years.push(data);
    }
    let mut stmt =
        conn.prepare("SELECT date, working, note FROM calendar_overrides ORDER BY date")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, bool>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (date, working, note) = row?;
        let date = parse_date(&date)?;
        let year = chrono::Datelike::year(&date);
        let index = if let Some(index) = years.iter().position(|y| y.year == year) {
            index
        } else {
            years.push(YearData::empty(year));
            years.len() - 1
        };
        let entry = DatedNote { date, note };
        if working {
            years[index].working_days.push(entry);
        } else {
            years[index].days_off.push(entry);
        }
    }
    Ok(years)
}

/// The working calendar as the database has it.
pub fn calendar(tx: &Tx<'_>) -> Result<Calendar, StoreError> {
    Ok(Calendar::new(calendar_years(tx)?))
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
    serde_json::from_str(&content).map_err(|e| StoreError::Invalid(e.to_string()))
}

/// The newest version of the priority list.
pub fn current_priority_list(tx: &Tx<'_>) -> Result<(i64, PriorityList), StoreError> {
    let (id, content): (i64, String) = tx.sqlite().query_row(
        "SELECT id, content FROM reference_lists WHERE list = 'order-236-appendix-2' ORDER BY version DESC, id DESC LIMIT 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let list = serde_json::from_str(&content).map_err(|e| StoreError::Invalid(e.to_string()))?;
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

/// A profession of any list version, by id.
pub fn profession(tx: &Tx<'_>, id: i64) -> Result<ProfessionRow, StoreError> {
    tx.sqlite().query_row(
        "SELECT id, key, sector_number, sector, activity, number, name, qualification_levels FROM professions WHERE id = ?1",
        [id],
        |r| {
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
        },
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
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT id, key, sector_number, sector, activity, number, name, qualification_levels FROM professions WHERE list_id = ?1 ORDER BY id",
    )?;
    let rows = stmt
        .query_map([list_id], |r| {
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
        })?
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
