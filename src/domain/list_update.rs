//! A new version of a reference list (SPEC §7): read from a file, approved by an order (its
//! number and date), compared with the version in force before it takes effect. An application
//! keeps the entry of the version it was filed under (R§8): a new version adds rows, it never
//! changes the old ones.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Deserialize;

use super::reference::{
    Activity, Area, ListError, Order49List, Order49Profession, PriorityList, Profession, Sector,
};

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// The priority sectors and professions of Order 236, Appendix 2 (R§8).
    Priority,
    /// The in-demand professions of Order 49 (NKZ 01-2017 codes).
    Order49,
}

impl ListKind {
    pub const ALL: [Self; 2] = [Self::Priority, Self::Order49];

    /// The `list` field of the files and of the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Priority => "order-236-appendix-2",
            Self::Order49 => "order-49",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A version of either list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceList {
    Priority(PriorityList),
    Order49(Order49List),
}

/// The order that approves a version: its number and date, and its title as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovingOrder {
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
}

/// Why a new version cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListProblem {
    #[error("the file cannot be read: {0}")]
    FileFormat(String),
    #[error("the file holds the list '{found}', not '{expected}'")]
    WrongList { expected: String, found: String },
    #[error("the file has no entries")]
    Empty,
    #[error(transparent)]
    Invalid(#[from] ListError),
    #[error("the order's number is required")]
    OrderNumberMissing,
    #[error("the order is dated after today")]
    OrderDateInFuture,
    #[error("the order must be dated after the version in force ({current})")]
    OrderDateNotAfter { current: NaiveDate },
}

impl ReferenceList {
    pub fn kind(&self) -> ListKind {
        match self {
            Self::Priority(_) => ListKind::Priority,
            Self::Order49(_) => ListKind::Order49,
        }
    }

    pub fn approved_by(&self) -> &str {
        match self {
            Self::Priority(l) => &l.approved_by,
            Self::Order49(l) => &l.approved_by,
        }
    }

    pub fn version(&self) -> NaiveDate {
        match self {
            Self::Priority(l) => l.version,
            Self::Order49(l) => l.version,
        }
    }

    /// The version becomes the one approved by `order`: its date is the version, its title
    /// the approving text.
    pub fn approve(&mut self, order: &ApprovingOrder) {
        let (approved_by, version) = match self {
            Self::Priority(l) => (&mut l.approved_by, &mut l.version),
            Self::Order49(l) => (&mut l.approved_by, &mut l.version),
        };
        approved_by.clone_from(&order.title);
        *version = order.date;
    }

    pub fn validate(&self) -> Result<(), ListProblem> {
        match self {
            Self::Priority(l) => l.validate()?,
            Self::Order49(l) => l.validate()?,
        }
        if self.entries().is_empty() {
            return Err(ListProblem::Empty);
        }
        Ok(())
    }

    /// Every entry, in list order, in the form the comparison uses.
    pub fn entries(&self) -> Vec<ListEntry> {
        match self {
            Self::Priority(l) => l
                .professions()
                .map(|p| ListEntry {
                    key: p.key(),
                    name: p.profession.name.clone(),
                    group: format!(
                        "{}. {} / {}",
                        p.sector.number, p.sector.name, p.activity.name
                    ),
                    detail: detail(
                        &p.profession.qualification_levels,
                        &p.profession.recommended_positions,
                    ),
                })
                .collect(),
            Self::Order49(l) => l
                .professions()
                .map(|(area, p)| ListEntry {
                    key: p.code.clone(),
                    name: p.name.clone(),
                    group: area.name.clone(),
                    detail: String::new(),
                })
                .collect(),
        }
    }
}

fn detail(levels: &[u8], positions: &[String]) -> String {
    let levels: Vec<String> = levels.iter().map(ToString::to_string).collect();
    match (levels.is_empty(), positions.is_empty()) {
        (true, true) => String::new(),
        (false, true) => format!("НРК {}", levels.join("–")),
        (true, false) => positions.join("; "),
        (false, false) => format!("НРК {}; {}", levels.join("–"), positions.join("; ")),
    }
}

impl ApprovingOrder {
    /// SPEC §7: a version is approved by an order with a number and a date; a new version
    /// follows the one in force, so its order is dated after it, and not after today.
    pub fn check(&self, current: Option<NaiveDate>, today: NaiveDate) -> Result<(), ListProblem> {
        if self.number.trim().is_empty() {
            return Err(ListProblem::OrderNumberMissing);
        }
        if self.date > today {
            return Err(ListProblem::OrderDateInFuture);
        }
        if let Some(current) = current
            && self.date <= current
        {
            return Err(ListProblem::OrderDateNotAfter { current });
        }
        Ok(())
    }

    /// The approving text as stored: the title, followed by the date and number unless the
    /// title already ends with the number.
    pub fn approved_by(&self) -> String {
        let title = self.title.trim();
        let tail = format!("№ {}", self.number.trim());
        if title.ends_with(&tail) {
            title.to_string()
        } else if title.is_empty() {
            format!("Приказ от {} {tail}", self.date.format("%d.%m.%Y"))
        } else {
            format!("{title} от {} {tail}", self.date.format("%d.%m.%Y"))
        }
    }
}

/// The number of the order in an approving text: what follows its last «№».
pub fn order_number(approved_by: &str) -> Option<&str> {
    let (_, tail) = approved_by.rsplit_once('№')?;
    let number = tail
        .trim()
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .next()?;
    (!number.is_empty()).then_some(number)
}

/// One entry as compared: its key in the version (`sector.activity.number` or the NKZ code),
/// name, place in the list and details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub key: String,
    pub name: String,
    pub group: String,
    pub detail: String,
}

/// What a new version changes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListDiff {
    pub added: Vec<ListEntry>,
    pub removed: Vec<ListEntry>,
    /// (before, after): the same entry with another name, place or details.
    pub changed: Vec<(ListEntry, ListEntry)>,
    pub unchanged: usize,
}

impl ListDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn ident(e: &ListEntry, kind: ListKind) -> String {
    match kind {
        // The priority list's keys are positions, which an inserted entry shifts: an entry is
        // the same profession in the same activity, wherever it stands.
        ListKind::Priority => {
            let activity = e.group.rsplit(" / ").next().unwrap_or_default();
            format!(
                "{}\u{1f}{}",
                activity.to_lowercase(),
                e.name.trim().to_lowercase()
            )
        }
        ListKind::Order49 => e.key.clone(),
    }
}

/// Compares two versions of the same list. Entries are matched by identity (the NKZ code; for
/// the priority list the activity and name), then the rest by key, which is a renaming.
pub fn diff(old: &ReferenceList, new: &ReferenceList) -> ListDiff {
    let kind = new.kind();
    let old_entries = old.entries();
    let new_entries = new.entries();
    let old_by_ident: HashMap<String, usize> = old_entries
        .iter()
        .enumerate()
        .map(|(i, e)| (ident(e, kind), i))
        .collect();
    let mut result = ListDiff::default();
    let mut matched_old = HashSet::new();
    let mut unmatched_new = Vec::new();
    for entry in &new_entries {
        match old_by_ident.get(&ident(entry, kind)) {
            Some(&i) if matched_old.insert(i) => {
                let before = &old_entries[i];
                if before == entry {
                    result.unchanged += 1;
                } else {
                    result.changed.push((before.clone(), entry.clone()));
                }
            }
            _ => unmatched_new.push(entry),
        }
    }
    let old_by_key: HashMap<&str, usize> = old_entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched_old.contains(i))
        .map(|(i, e)| (e.key.as_str(), i))
        .collect();
    for entry in unmatched_new {
        match old_by_key.get(entry.key.as_str()) {
            Some(&i) if matched_old.insert(i) => {
                result.changed.push((old_entries[i].clone(), entry.clone()));
            }
            _ => result.added.push(entry.clone()),
        }
    }
    result.removed = old_entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched_old.contains(i))
        .map(|(_, e)| e.clone())
        .collect();
    result
}

// Reading a file: the JSON of `assets/` or a CSV table.

/// Reads a list file: JSON in the form of `assets/priority-professions.json` and
/// `assets/order-49-professions.json`, or CSV (`;` or `,` separated, a header row) with the
/// columns `sector_number, sector, activity, number, name, qualification_levels,
/// recommended_positions` (the priority list; levels like `6-7`, positions separated by `|`)
/// or `code, area, name` (Order 49). A CSV file carries no order: its title is empty and its
/// date is `today` until the order is entered.
pub fn read_file(
    kind: ListKind,
    file_name: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<ReferenceList, ListProblem> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| ListProblem::FileFormat("not UTF-8 text".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    let json = file_name.to_lowercase().ends_with(".json") || text.trim_start().starts_with('{');
    let list = if json {
        read_json(kind, text)?
    } else {
        read_csv(kind, text, today)?
    };
    list.validate()?;
    Ok(list)
}

#[derive(Deserialize)]
struct Header {
    list: String,
}

fn read_json(kind: ListKind, text: &str) -> Result<ReferenceList, ListProblem> {
    let bad = |e: serde_json::Error| ListProblem::FileFormat(e.to_string());
    let header: Header = serde_json::from_str(text).map_err(bad)?;
    if header.list != kind.code() {
        return Err(ListProblem::WrongList {
            expected: kind.code().into(),
            found: header.list,
        });
    }
    Ok(match kind {
        ListKind::Priority => ReferenceList::Priority(serde_json::from_str(text).map_err(bad)?),
        ListKind::Order49 => ReferenceList::Order49(serde_json::from_str(text).map_err(bad)?),
    })
}

fn read_csv(kind: ListKind, text: &str, today: NaiveDate) -> Result<ReferenceList, ListProblem> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ListProblem::FileFormat(e.to_string()))?
        .clone();
    let column = |name: &str| -> Result<usize, ListProblem> {
        headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .ok_or_else(|| ListProblem::FileFormat(format!("no column '{name}'")))
    };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ListProblem::FileFormat(e.to_string()))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows.push(record);
    }
    let line = |i: usize| i + 2;
    match kind {
        ListKind::Priority => {
            let cols = [
                column("sector_number")?,
                column("sector")?,
                column("activity")?,
                column("number")?,
                column("name")?,
            ];
            let levels_col = column("qualification_levels").ok();
            let positions_col = column("recommended_positions").ok();
            let mut sectors: Vec<Sector> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let get = |c: usize| row.get(c).unwrap_or_default().to_string();
                let number = |c: usize| {
                    get(c).parse::<u32>().map_err(|_| {
                        ListProblem::FileFormat(format!(
                            "line {}: '{}' is not a number",
                            line(i),
                            get(c)
                        ))
                    })
                };
                let sector_number = number(cols[0])?;
                let profession = Profession {
                    number: number(cols[3])?,
                    name: get(cols[4]),
                    qualification_levels: levels_col
                        .map(|c| {
                            get(c)
                                .split(|ch: char| !ch.is_ascii_digit())
                                .filter_map(|d| d.parse().ok())
                                .collect()
                        })
                        .unwrap_or_default(),
                    recommended_positions: positions_col
                        .map(|c| {
                            get(c)
                                .split('|')
                                .map(str::trim)
                                .filter(|p| !p.is_empty())
                                .map(String::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                let at = if let Some(at) = sectors.iter().position(|s| s.number == sector_number) {
                    at
                } else {
                    sectors.push(Sector {
                        number: sector_number,
                        name: get(cols[1]),
                        note: None,
                        activities: Vec::new(),
                    });
                    sectors.len() - 1
                };
                let sector = &mut sectors[at];
                let activity_name = get(cols[2]);
                match sector
                    .activities
                    .iter_mut()
                    .find(|a| a.name == activity_name)
                {
                    Some(activity) => activity.professions.push(profession),
                    None => sector.activities.push(Activity {
                        name: activity_name,
                        professions: vec![profession],
                    }),
                }
            }
            Ok(ReferenceList::Priority(PriorityList {
                list: kind.code().into(),
                approved_by: String::new(),
                version: today,
                sectors,
            }))
        }
        ListKind::Order49 => {
            let cols = [column("code")?, column("area")?, column("name")?];
            let mut areas: Vec<Area> = Vec::new();
            for row in &rows {
                let get = |c: usize| row.get(c).unwrap_or_default().to_string();
                let profession = Order49Profession {
                    code: get(cols[0]),
                    name: get(cols[2]),
                };
                let area_name = get(cols[1]);
                match areas.iter_mut().find(|a| a.name == area_name) {
                    Some(area) => area.professions.push(profession),
                    None => areas.push(Area {
                        name: area_name,
                        professions: vec![profession],
                    }),
                }
            }
            Ok(ReferenceList::Order49(Order49List {
                list: kind.code().into(),
                approved_by: String::new(),
                version: today,
                areas,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn shipped() -> PriorityList {
        crate::assets::priority_list().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_same_list_has_no_changes() {
        let list = ReferenceList::Priority(shipped());
        let d = diff(&list, &list);
        assert!(d.is_empty());
        assert_eq!(d.unchanged, list.entries().len());
    }

    #[test]
    fn an_inserted_profession_is_one_addition_not_a_cascade_of_renamings() {
        // R§8: entries are the professions of an activity; inserting one shifts the numbers of
        // those after it, which is not a change of those professions.
        let old = shipped();
        let mut new = old.clone();
        let activity = &mut new.sectors[2].activities[0];
        activity.professions.insert(
            0,
            Profession {
                number: 1,
                name: "Инженер по данным".into(),
                qualification_levels: vec![6],
                recommended_positions: vec![],
            },
        );
        for (i, p) in activity.professions.iter_mut().enumerate() {
            p.number = i as u32 + 1;
        }
        let d = diff(
            &ReferenceList::Priority(old.clone()),
            &ReferenceList::Priority(new),
        );
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.added[0].name, "Инженер по данным");
        assert!(d.removed.is_empty());
        // The renumbered ones are shown as moved (their key changed), nothing else.
        assert!(
            d.changed
                .iter()
                .all(|(a, b)| a.name == b.name && a.key != b.key)
        );
    }

    #[test]
    fn a_renamed_and_a_removed_profession() {
        let old = shipped();
        let mut new = old.clone();
        new.sectors[0].activities[0].professions[0].name = "Учитель (педагог)".into();
        let removed = new.sectors[5].activities[0].professions.remove(0);
        let d = diff(
            &ReferenceList::Priority(old.clone()),
            &ReferenceList::Priority(new),
        );
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].0.name, "Учитель");
        assert_eq!(d.changed[0].1.name, "Учитель (педагог)");
        assert!(d.removed.iter().any(|e| e.name == removed.name));
    }

    #[test]
    fn order49_entries_are_matched_by_code() {
        let old = crate::assets::order49_list().unwrap_or_else(|e| panic!("{e}"));
        let mut new = old.clone();
        new.areas[0].professions[0].name = "Врач-нейрохирург детский".into();
        new.areas[0].professions.push(Order49Profession {
            code: "2211-1-001".into(),
            name: "Врач общей практики".into(),
        });
        let d = diff(
            &ReferenceList::Order49(old.clone()),
            &ReferenceList::Order49(new),
        );
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].0.key, "2217-4-001");
        assert_eq!(d.added.len(), 1);
        assert_eq!(d.unchanged, old.professions().count() - 1);
    }

    #[test]
    fn a_new_version_needs_an_order_dated_after_the_one_in_force() {
        // SPEC §7: versions are approved by orders; a new one follows the one in force.
        let order = |number: &str, date| ApprovingOrder {
            number: number.into(),
            date,
            title: String::new(),
        };
        let current = Some(day(2023, 6, 22));
        let today = day(2026, 11, 23);
        assert_eq!(
            order("426", day(2025, 12, 30)).check(current, today),
            Ok(())
        );
        assert_eq!(
            order(" ", day(2025, 12, 30)).check(current, today),
            Err(ListProblem::OrderNumberMissing)
        );
        assert_eq!(
            order("1", day(2023, 6, 22)).check(current, today),
            Err(ListProblem::OrderDateNotAfter {
                current: day(2023, 6, 22)
            })
        );
        assert_eq!(
            order("1", day(2026, 11, 24)).check(current, today),
            Err(ListProblem::OrderDateInFuture)
        );
    }

    #[test]
    fn the_order_number_is_read_from_the_approving_text() {
        let priority = shipped();
        assert_eq!(order_number(&priority.approved_by), Some("236"));
        let order49 = crate::assets::order49_list().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(order_number(&order49.approved_by), Some("134"));
        assert_eq!(order_number("без номера"), None);
        let order = ApprovingOrder {
            number: "426".into(),
            date: day(2025, 12, 30),
            title: "Приказ Министра труда".into(),
        };
        assert_eq!(
            order.approved_by(),
            "Приказ Министра труда от 30.12.2025 № 426"
        );
        assert_eq!(order_number(&order.approved_by()), Some("426"));
    }

    #[test]
    fn csv_files_of_both_lists_are_read() {
        let today = day(2026, 11, 23);
        let csv = "sector_number;sector;activity;number;name;qualification_levels;recommended_positions\n\
                   1;Образование;Высшее образование;1;Профессор;7-8;профессор кафедры|доцент\n\
                   1;Образование;Высшее образование;2;Доцент;7;\n\
                   2;Здравоохранение;Врачебная практика;1;Врач;7;\n";
        let Ok(ReferenceList::Priority(list)) =
            read_file(ListKind::Priority, "list.csv", csv.as_bytes(), today)
        else {
            panic!("not read")
        };
        assert_eq!(list.sectors.len(), 2);
        assert_eq!(list.professions().count(), 3);
        let professor = list.find("1.1.1").map(|p| p.profession.clone());
        assert_eq!(
            professor.map(|p| (p.qualification_levels, p.recommended_positions.len())),
            Some((vec![7, 8], 2))
        );
        let csv49 = "code,area,name\n2512-1-007,Информационные технологии,Программист\n";
        let Ok(ReferenceList::Order49(list)) =
            read_file(ListKind::Order49, "o49.csv", csv49.as_bytes(), today)
        else {
            panic!("not read")
        };
        assert_eq!(list.professions().count(), 1);
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        let today = day(2026, 11, 23);
        let read = |kind, name: &str, text: &str| read_file(kind, name, text.as_bytes(), today);
        assert!(matches!(
            read(
                ListKind::Priority,
                "a.json",
                crate::assets::ORDER_49_PROFESSIONS
            ),
            Err(ListProblem::WrongList { .. })
        ));
        assert!(matches!(
            read(ListKind::Priority, "a.json", "{\"list\": "),
            Err(ListProblem::FileFormat(_))
        ));
        assert!(matches!(
            read(ListKind::Order49, "a.csv", "code;name\n2512-1-007;X\n"),
            Err(ListProblem::FileFormat(_))
        ));
        assert!(matches!(
            read(
                ListKind::Order49,
                "a.csv",
                "code;area;name\n2512-1-07;Area;Программист\n"
            ),
            Err(ListProblem::Invalid(ListError::BadCode { .. }))
        ));
        assert_eq!(
            read(ListKind::Order49, "a.csv", "code;area;name\n"),
            Err(ListProblem::Empty)
        );
        assert!(matches!(
            read(
                ListKind::Priority,
                "a.csv",
                "sector_number;sector;activity;number;name\nодин;Образование;Школа;1;Учитель\n"
            ),
            Err(ListProblem::FileFormat(_))
        ));
    }
}
