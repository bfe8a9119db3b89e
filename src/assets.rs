//! The data shipped in `assets/`, embedded in the binary and checked when loaded: the reference
//! lists, the scoring schemes and the per-year calendar data.

use crate::domain::calendar::YearData;
use crate::domain::country::Countries;
use crate::domain::reference::{ListError, Order49List, PriorityList};
use crate::domain::scoring::{Scheme, SchemeError};
use chrono::NaiveDate;
use serde::Deserialize;

pub const PRIORITY_PROFESSIONS: &str = include_str!("../assets/priority-professions.json");
pub const ORDER_49_PROFESSIONS: &str = include_str!("../assets/order-49-professions.json");
pub const SCORING_SCHEMES: &str = include_str!("../assets/scoring-schemes.json");
pub const CALENDAR: &str = include_str!("../assets/calendar.json");
pub const COUNTRIES: &str = include_str!("../assets/countries.json");

/// A shipped or imported data file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("{file}: {source}")]
    Parse {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Scheme(#[from] SchemeError),
    #[error("{file}: no scoring scheme")]
    NoScheme { file: &'static str },
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, AssetError> {
    serde_json::from_str(text).map_err(|source| AssetError::Parse { file, source })
}

/// The priority list of Order 236 (its Appendix 2), checked.
pub fn priority_list() -> Result<PriorityList, AssetError> {
    let list: PriorityList = parse("priority-professions.json", PRIORITY_PROFESSIONS)?;
    list.validate()?;
    Ok(list)
}

/// The Order 49 list, checked.
pub fn order49_list() -> Result<Order49List, AssetError> {
    let list: Order49List = parse("order-49-professions.json", ORDER_49_PROFESSIONS)?;
    list.validate()?;
    Ok(list)
}

#[derive(Deserialize)]
struct SchemesFile {
    schemes: Vec<Scheme>,
}

/// Every scoring scheme, checked, oldest first.
pub fn scoring_schemes() -> Result<Vec<Scheme>, AssetError> {
    let file: SchemesFile = parse("scoring-schemes.json", SCORING_SCHEMES)?;
    for scheme in &file.schemes {
        scheme.validate()?;
    }
    let mut schemes = file.schemes;
    schemes.sort_by_key(|s| s.valid_from);
    if schemes.is_empty() {
        return Err(AssetError::NoScheme {
            file: "scoring-schemes.json",
        });
    }
    Ok(schemes)
}

/// The scheme in force on `date`: the latest one that started on or before it, or the earliest.
pub fn scheme_on(schemes: &[Scheme], date: NaiveDate) -> Option<&Scheme> {
    schemes
        .iter()
        .rev()
        .find(|s| s.valid_from <= date)
        .or_else(|| schemes.first())
}

/// The countries of ISO 3166-1 in Russian and Kazakh, for citizenship (SPEC §2).
pub fn countries() -> Result<Countries, AssetError> {
    parse("countries.json", COUNTRIES)
}

#[derive(Deserialize)]
struct CalendarFile {
    years: Vec<YearData>,
}

/// The shipped per-year calendar data (SPEC §3).
pub fn calendar_years() -> Result<Vec<YearData>, AssetError> {
    let file: CalendarFile = parse("calendar.json", CALENDAR)?;
    Ok(file.years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Calendar;
    use crate::domain::reference::is_nkz_code;

    #[test]
    fn priority_list_has_six_sectors() {
        // SPEC §7, R§8: the order's Appendix 2 has 6 sectors.
        let list = priority_list().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.sectors.len(), 6);
        assert!(list.professions().count() > 60);
        let teacher = list.find("1.1.1").map(|p| p.profession.name.as_str());
        assert_eq!(teacher, Some("Учитель"));
        let programmer = list
            .professions()
            .find(|p| p.profession.name.starts_with("Программист"));
        assert_eq!(programmer.map(|p| p.sector.number), Some(3));
    }

    #[test]
    fn order49_list_has_51_professions_with_valid_unique_codes() {
        // SPEC §7: Order 49 lists 51 professions with NKZ 01-2017 codes.
        let list = order49_list().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.professions().count(), 51);
        for (_, p) in list.professions() {
            assert!(is_nkz_code(&p.code), "{}", p.code);
        }
        assert!(list.professions().any(|(_, p)| p.code == "2512-1-007"));
    }

    #[test]
    fn scoring_scheme_is_r10() {
        // R§10, A2.9.2: the shipped scheme has the order's points and threshold 6.
        let schemes = scoring_schemes().unwrap_or_else(|e| panic!("{e}"));
        let scheme = scheme_on(
            &schemes,
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        );
        let Some(scheme) = scheme else {
            panic!("no scheme")
        };
        let r10 = crate::domain::scoring::tests::r10();
        assert_eq!(scheme.version, r10.version);
        assert_eq!(scheme.education, r10.education);
        assert_eq!(scheme.experience, r10.experience);
        assert_eq!(scheme.threshold, 6);
    }

    #[test]
    fn every_iso_country_has_a_russian_and_a_kazakh_name() {
        // ISO 3166-1 has 249 entries; the demo's and the import example's names are among them.
        use crate::domain::country::Citizenship;
        let list = countries().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.countries.len(), 249);
        let mut codes = std::collections::HashSet::new();
        for c in &list.countries {
            assert!(codes.insert(c.alpha2.as_str()), "{}", c.alpha2);
            assert_eq!((c.alpha2.len(), c.alpha3.len()), (2, 3), "{}", c.alpha2);
            for name in [&c.ru, &c.kk].into_iter().chain(&c.aliases) {
                assert!(!name.trim().is_empty(), "{}", c.alpha2);
                assert_eq!(
                    crate::domain::reference::mixed_script_word(name),
                    None,
                    "{name}"
                );
            }
        }
        for name in [
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
            "Великобритания",
            "Туркменистан",
            "Азербайджан",
            "Армения",
            "Грузия",
            "Украина",
            "Молдова",
            "Монголия",
            "Афганистан",
            "Пакистан",
            "Иран",
            "Казахстан",
            "США",
        ] {
            let Some(Citizenship::Country(c)) = list.find(name) else {
                panic!("{name}")
            };
            assert_eq!(c.ru, name);
        }
    }

    #[test]
    fn shipped_calendar_matches_spec() {
        // SPEC §3: Kurban Ait 2023–2027 and the 2023–2025 decree transfers.
        let years = calendar_years().unwrap_or_else(|e| panic!("{e}"));
        let shipped = Calendar::new(years);
        let spec = crate::domain::calendar::tests::spec_calendar();
        let mut day = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap_or_default();
        let end = NaiveDate::from_ymd_opt(2028, 12, 31).unwrap_or_default();
        while day <= end {
            assert_eq!(shipped.is_working(day), spec.is_working(day), "{day}");
            day = day.succ_opt().unwrap_or(end);
            if day == end {
                break;
            }
        }
    }
}
