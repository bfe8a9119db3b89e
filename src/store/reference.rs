//! The reference data every database carries: the lists of SPEC §7, the scoring schemes of
//! SPEC §4 and the calendar data of SPEC §3, loaded from `assets/` when missing.

use super::db::{Row, args};
use chrono::{NaiveDate, NaiveDateTime};

use super::rows::{date, fmt_time, from_json, time, to_json, unknown};
use super::{StoreError, Tx};
use crate::assets;
use crate::domain::list_update::{ListKind, ReferenceList};
use crate::domain::reference::{Order49List, PriorityList};
use crate::domain::scoring::Scheme;

/// The calendar moved to [`super::calendar`]; kept here for the callers that read it from here.
pub use super::calendar::{calendar, calendar_years};

/// The shipped reference data, read from `assets/` once per call.
struct Shipped {
    priority: PriorityList,
    order49: Order49List,
    schemes: Vec<Scheme>,
    years: Vec<crate::domain::calendar::YearData>,
}

fn shipped() -> Result<Shipped, StoreError> {
    Ok(Shipped {
        priority: assets::priority_list()?,
        order49: assets::order49_list()?,
        schemes: assets::scoring_schemes()?,
        years: assets::calendar_years()?,
    })
}

/// Whether the database lacks a shipped list version, scheme or calendar year: read in a read
/// transaction first, so that opening a complete database (every opening but the first after
/// an update) takes no write lock and does not wait behind a long import elsewhere (issue 12,
/// item 4).
pub fn missing(tx: &Tx<'_>) -> Result<bool, StoreError> {
    let shipped = shipped()?;
    let mut missing = !version_exists(tx, &shipped.priority.list, shipped.priority.version)?
        || !version_exists(tx, &shipped.order49.list, shipped.order49.version)?;
    for scheme in &shipped.schemes {
        missing |= !tx.exists(
            "SELECT 1 FROM scoring_schemes WHERE version = ?1",
            args![scheme.version],
        )?;
    }
    for year in &shipped.years {
        missing |= !tx.exists(
            "SELECT 1 FROM calendar_years WHERE year = ?1",
            args![year.year],
        )?;
    }
    Ok(missing)
}

/// Adds the shipped list versions, schemes and calendar years that the database lacks, in the
/// caller's write transaction. What the administrator has entered is kept.
pub fn seed(tx: &Tx<'_>, now: NaiveDateTime) -> Result<(), StoreError> {
    let Shipped {
        priority,
        order49,
        schemes,
        years,
    } = shipped()?;
    let at = fmt_time(now);
    if !version_exists(tx, &priority.list, priority.version)? {
        insert_priority(tx, &priority, &at)?;
    }
    if !version_exists(tx, &order49.list, order49.version)? {
        insert_order49(tx, &order49, &at)?;
    }
    for scheme in &schemes {
        let content = to_json(scheme)?;
        tx.execute(
            "INSERT INTO scoring_schemes (version, valid_from, content) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            args![scheme.version, scheme.valid_from.to_string(), content],
        )?;
    }
    for year in &years {
        let inserted = tx.execute(
            "INSERT INTO calendar_years (year, kurban_ait, kurban_ait_expected, source) VALUES (?1, ?2, ?3, 'assets') ON CONFLICT DO NOTHING",
            args![year.year, year.kurban_ait.map(|d| d.to_string()), year.kurban_ait_expected],
        )?;
        if inserted == 0 {
            continue;
        }
        for (entries, working) in [(&year.days_off, false), (&year.working_days, true)] {
            for entry in entries {
                tx.execute(
                    "INSERT INTO calendar_overrides (date, working, note, source) VALUES (?1, ?2, ?3, 'assets') ON CONFLICT DO NOTHING",
                    args![entry.date.to_string(), working, entry.note],
                )?;
            }
        }
    }
    Ok(())
}

fn version_exists(tx: &Tx<'_>, list: &str, version: NaiveDate) -> Result<bool, StoreError> {
    let exists: Option<i64> = tx.query_opt(
        "SELECT id FROM reference_lists WHERE list = ?1 AND version = ?2",
        args![list, version.to_string()],
        |r| r.get(0),
    )?;
    Ok(exists.is_some())
}

/// Stores a version of the priority list with one row per profession; returns its id.
fn insert_priority(tx: &Tx<'_>, list: &PriorityList, at: &str) -> Result<i64, StoreError> {
    let content = to_json(list)?;
    let list_id: i64 = tx.query_row(
        "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![list.list, list.version.to_string(), list.approved_by, content, at],
        |r| r.get(0),
    )?;
    for entry in list.professions() {
        let levels: Vec<String> = entry
            .profession
            .qualification_levels
            .iter()
            .map(ToString::to_string)
            .collect();
        tx.execute("INSERT INTO professions (list_id, key, sector_number, sector, activity, number, name, qualification_levels)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", args![
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
    Ok(list_id)
}

/// Stores a version of the Order 49 list with one row per profession; returns its id.
fn insert_order49(tx: &Tx<'_>, list: &Order49List, at: &str) -> Result<i64, StoreError> {
    let content = to_json(list)?;
    let list_id: i64 = tx.query_row(
        "INSERT INTO reference_lists (list, version, approved_by, content, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![list.list, list.version.to_string(), list.approved_by, content, at],
        |r| r.get(0),
    )?;
    for (area, profession) in list.professions() {
        tx.execute(
            "INSERT INTO order49_professions (list_id, code, area, name) VALUES (?1, ?2, ?3, ?4)",
            args![list_id, profession.code, area.name, profession.name],
        )?;
    }
    Ok(list_id)
}

/// Adds a version of a list loaded by the administrator; returns its id. The versions already
/// stored, and the professions applications point to, are not touched.
pub fn add_version(
    tx: &Tx<'_>,
    list: &ReferenceList,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let at = fmt_time(now);
    if version_exists(tx, list.kind().code(), list.version())? {
        return Err(StoreError::Invalid(format!(
            "{} {} is already stored",
            list.kind().code(),
            list.version()
        )));
    }
    match list {
        ReferenceList::Priority(l) => insert_priority(tx, l, &at),
        ReferenceList::Order49(l) => insert_order49(tx, l, &at),
    }
}

/// The version in force of a list (the newest), as stored.
pub fn current_list(tx: &Tx<'_>, kind: ListKind) -> Result<(i64, ReferenceList), StoreError> {
    let (id, content): (i64, String) = tx.query_row(
        "SELECT id, content FROM reference_lists WHERE list = ?1 ORDER BY version DESC, id DESC LIMIT 1",
        args![kind.code()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let list = match kind {
        ListKind::Priority => ReferenceList::Priority(from_json(&content)?),
        ListKind::Order49 => ReferenceList::Order49(from_json(&content)?),
    };
    Ok((id, list))
}

/// Whether a profession belongs to the priority list's version in force.
pub fn profession_in_force(tx: &Tx<'_>, profession_id: i64) -> Result<bool, StoreError> {
    tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM professions WHERE id = ?1 AND list_id =
            (SELECT id FROM reference_lists WHERE list = 'order-236-appendix-2' ORDER BY version DESC, id DESC LIMIT 1))",
        args![profession_id],
        |r| r.get(0),
    )
}

/// One stored version of a list, with how many entries it has and how many applications were
/// filed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListVersionRow {
    pub id: i64,
    pub kind: ListKind,
    pub version: NaiveDate,
    pub approved_by: String,
    pub loaded_at: NaiveDateTime,
    pub entries: i64,
    pub applications: i64,
}

/// Every stored version of every list, the newest of each list first.
pub fn list_versions(tx: &Tx<'_>) -> Result<Vec<ListVersionRow>, StoreError> {
    // Per profession from the index of migration 7, summed by version.
    let mut filed = std::collections::HashMap::new();
    {
        let rows = tx.query_map("SELECT p.list_id, count(*) FROM professions p JOIN applications a ON a.profession_id = p.id GROUP BY p.list_id", args![], |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?)))?;
        for row in rows {
            let (id, n) = row;
            filed.insert(id, n);
        }
    }
    let raw = tx.query_map(
        "SELECT r.id, r.list, r.version, r.approved_by, r.loaded_at,
                (SELECT count(*) FROM professions p WHERE p.list_id = r.id)
                  + (SELECT count(*) FROM order49_professions o WHERE o.list_id = r.id)
         FROM reference_lists r ORDER BY r.list DESC, r.version DESC, r.id DESC",
        args![],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<String>(4)?,
                r.get::<i64>(5)?,
            ))
        },
    )?;
    raw.into_iter()
        .map(|(id, list, version, approved_by, loaded_at, entries)| {
            Ok(ListVersionRow {
                id,
                kind: ListKind::from_code(&list).ok_or_else(|| unknown("list", &list))?,
                version: date(&version)?,
                approved_by,
                loaded_at: time(&loaded_at)?,
                entries,
                applications: filed.get(&id).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// The scheme in force on a date, as stored.
pub fn scheme_on(tx: &Tx<'_>, date: chrono::NaiveDate) -> Result<Scheme, StoreError> {
    let content: Option<String> = tx.query_opt(
            "SELECT content FROM scoring_schemes WHERE valid_from <= ?1 ORDER BY valid_from DESC LIMIT 1",
            args![date.to_string()],
            |r| r.get(0),
        )?;
    let content = match content {
        Some(content) => content,
        None => tx.query_row(
            "SELECT content FROM scoring_schemes ORDER BY valid_from LIMIT 1",
            args![],
            |r| r.get(0),
        )?,
    };
    from_json(&content)
}

/// The newest version of the priority list.
pub fn current_priority_list(tx: &Tx<'_>) -> Result<(i64, PriorityList), StoreError> {
    let (id, content): (i64, String) = tx.query_row(
        "SELECT id, content FROM reference_lists WHERE list = 'order-236-appendix-2' ORDER BY version DESC, id DESC LIMIT 1",
        args![],
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

fn profession_row(r: &Row<'_>) -> Result<ProfessionRow, StoreError> {
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
    tx.query_opt(
        &format!("SELECT {PROFESSION_COLUMNS} FROM professions WHERE id = ?1"),
        args![id],
        profession_row,
    )?
    .ok_or_else(|| StoreError::NotFound {
        what: "profession",
        id: id.to_string(),
    })
}

// Professions for pickers and the Order 49 list (applications).

/// The professions of one priority-list version, in list order.
pub fn professions_of_list(tx: &Tx<'_>, list_id: i64) -> Result<Vec<ProfessionRow>, StoreError> {
    let rows = tx.query_map(
        &format!("SELECT {PROFESSION_COLUMNS} FROM professions WHERE list_id = ?1 ORDER BY id"),
        args![list_id],
        profession_row,
    )?;
    Ok(rows)
}

/// Code and name of every profession of the newest Order 49 list, by code.
pub fn order49_professions(tx: &Tx<'_>) -> Result<Vec<(String, String)>, StoreError> {
    let rows = tx.query_map("SELECT code, name FROM order49_professions WHERE list_id = (SELECT id FROM reference_lists WHERE list = 'order-49' ORDER BY version DESC, id DESC LIMIT 1) ORDER BY code", args![], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
    Ok(rows)
}

// Repository functions added with the commission, calendar and exchange use cases.

/// A scoring scheme by its version.
pub fn scheme_version(tx: &Tx<'_>, version: &str) -> Result<Scheme, StoreError> {
    let content: Option<String> = tx.query_opt(
        "SELECT content FROM scoring_schemes WHERE version = ?1",
        args![version],
        |r| r.get(0),
    )?;
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
    tx.query_opt(
        "SELECT id FROM professions WHERE list_id = ?1 AND key = ?2",
        args![list_id, key],
        |r| r.get(0),
    )
}
