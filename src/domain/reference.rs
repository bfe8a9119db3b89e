//! The reference lists (SPEC §7): the priority sectors and professions of Order 236 (its
//! Appendix 2, R§8) and the in-demand professions of Order 49 with NKZ 01-2017 codes.
//!
//! The lists are data (`assets/`); this module holds their types and the checks a list must
//! pass before the program uses it.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityList {
    pub list: String,
    pub approved_by: String,
    pub version: NaiveDate,
    pub sectors: Vec<Sector>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sector {
    pub number: u32,
    pub name: String,
    /// Why the entry differs from the published text, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub name: String,
    pub professions: Vec<Profession>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profession {
    pub number: u32,
    pub name: String,
    /// Levels of the national qualification framework, e.g. [6, 7].
    #[serde(default)]
    pub qualification_levels: Vec<u8>,
    #[serde(default)]
    pub recommended_positions: Vec<String>,
}

/// A profession with where it stands in the list: sector, activity and their positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProfessionRef<'a> {
    pub sector: &'a Sector,
    pub activity_index: usize,
    pub activity: &'a Activity,
    pub profession: &'a Profession,
}

impl ProfessionRef<'_> {
    /// A stable key of the entry within its list version: "sector.activity.number".
    pub fn key(&self) -> String {
        format!(
            "{}.{}.{}",
            self.sector.number,
            self.activity_index + 1,
            self.profession.number
        )
    }
}

impl PriorityList {
    pub fn professions(&self) -> impl Iterator<Item = ProfessionRef<'_>> {
        self.sectors.iter().flat_map(|sector| {
            sector
                .activities
                .iter()
                .enumerate()
                .flat_map(move |(activity_index, activity)| {
                    activity
                        .professions
                        .iter()
                        .map(move |profession| ProfessionRef {
                            sector,
                            activity_index,
                            activity,
                            profession,
                        })
                })
        })
    }

    pub fn find(&self, key: &str) -> Option<ProfessionRef<'_>> {
        self.professions().find(|p| p.key() == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order49List {
    pub list: String,
    pub approved_by: String,
    pub version: NaiveDate,
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub name: String,
    pub professions: Vec<Order49Profession>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order49Profession {
    /// NKZ 01-2017 code, e.g. `2512-1-007`.
    pub code: String,
    pub name: String,
}

/// A problem found in a reference list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListError {
    #[error("{list}: empty name at {place}")]
    EmptyName { list: String, place: String },
    #[error("{list}: Latin letters inside the Cyrillic word '{word}' at {place}")]
    MixedScript {
        list: String,
        word: String,
        place: String,
    },
    #[error("{list}: NKZ code '{code}' does not match NNNN, NNNN-N or NNNN-N-NNN")]
    BadCode { list: String, code: String },
    #[error("{list}: duplicate {what} '{key}'")]
    Duplicate {
        list: String,
        what: &'static str,
        key: String,
    },
}

/// `^\d{4}(-\d(-\d{3})?)?$` — written out, as the only pattern the program needs.
pub fn is_nkz_code(code: &str) -> bool {
    let groups: Vec<&str> = code.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match groups.as_slice() {
        [a] => digits(a, 4),
        [a, b] => digits(a, 4) && digits(b, 1),
        [a, b, c] => digits(a, 4) && digits(b, 1) && digits(c, 3),
        _ => false,
    }
}

/// Latin letters, including the Latin schwa (U+0259) that is mistaken for the Kazakh ә.
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{02AF}')
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

/// The first word (letters only, split at anything else) that mixes Latin and Cyrillic letters:
/// a Latin look-alike typed into a Russian or Kazakh word.
pub fn mixed_script_word(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_alphabetic())
        .find(|word| word.chars().any(is_cyrillic) && word.chars().any(is_latin))
}

fn check_text(list: &str, text: &str, place: &str) -> Result<(), ListError> {
    if text.trim().is_empty() {
        return Err(ListError::EmptyName {
            list: list.into(),
            place: place.into(),
        });
    }
    if let Some(word) = mixed_script_word(text) {
        return Err(ListError::MixedScript {
            list: list.into(),
            word: word.into(),
            place: place.into(),
        });
    }
    Ok(())
}

impl PriorityList {
    /// Names present, one script per word, no duplicate sector numbers or entry keys.
    pub fn validate(&self) -> Result<(), ListError> {
        let list = &self.list;
        let mut sector_numbers = HashSet::new();
        for sector in &self.sectors {
            let place = format!("sector {}", sector.number);
            check_text(list, &sector.name, &place)?;
            if !sector_numbers.insert(sector.number) {
                return Err(ListError::Duplicate {
                    list: list.clone(),
                    what: "sector",
                    key: place,
                });
            }
            for activity in &sector.activities {
                check_text(list, &activity.name, &place)?;
            }
        }
        let mut keys = HashSet::new();
        for entry in self.professions() {
            let key = entry.key();
            check_text(list, &entry.profession.name, &key)?;
            for position in &entry.profession.recommended_positions {
                check_text(list, position, &key)?;
            }
            if !keys.insert(key.clone()) {
                return Err(ListError::Duplicate {
                    list: list.clone(),
                    what: "profession",
                    key,
                });
            }
        }
        Ok(())
    }
}

impl Order49List {
    pub fn professions(&self) -> impl Iterator<Item = (&Area, &Order49Profession)> {
        self.areas
            .iter()
            .flat_map(|area| area.professions.iter().map(move |p| (area, p)))
    }

    /// Names present, codes well-formed and unique, one script per word.
    pub fn validate(&self) -> Result<(), ListError> {
        let list = &self.list;
        let mut codes = HashSet::new();
        for area in &self.areas {
            check_text(list, &area.name, &area.name)?;
        }
        for (_, profession) in self.professions() {
            if !is_nkz_code(&profession.code) {
                return Err(ListError::BadCode {
                    list: list.clone(),
                    code: profession.code.clone(),
                });
            }
            check_text(list, &profession.name, &profession.code)?;
            if !codes.insert(profession.code.as_str()) {
                return Err(ListError::Duplicate {
                    list: list.clone(),
                    what: "code",
                    key: profession.code.clone(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nkz_code_pattern() {
        // SPEC §7: NKZ 01-2017 codes like 2512-1-007.
        for ok in ["2512-1-007", "2166-1", "2166"] {
            assert!(is_nkz_code(ok), "{ok}");
        }
        for bad in [
            "2512-1-07",
            "251-1-007",
            "2512–1–007",
            "2512-12-007",
            "2512-1-007-1",
            "",
        ] {
            assert!(!is_nkz_code(bad), "{bad}");
        }
    }

    #[test]
    fn latin_look_alikes_are_found() {
        // "Врач" with a Latin "a" (U+0061).
        assert_eq!(mixed_script_word("Bpач-хирург"), Some("Bpач"));
        assert_eq!(mixed_script_word("Врaч"), Some("Врaч"));
        assert_eq!(mixed_script_word("World Wide Web-разработчик"), None);
        assert_eq!(
            mixed_script_word("Инженер по звукозаписи (звуковой системы Dolby)"),
            None
        );
        // Kazakh letters are Cyrillic (U+04D9 ә), a Latin schwa (U+0259) is not.
        assert_eq!(mixed_script_word("мәдениет"), None);
        assert_eq!(
            mixed_script_word("м\u{0259}дениет"),
            Some("м\u{0259}дениет")
        );
    }
}
