//! Citizenship (Appendix 1, SPEC §2): a country of ISO 3166-1 named in Russian and Kazakh, or
//! «лицо без гражданства». The stored value is the Russian short name; what was stored as free
//! text before the list existed (or comes from an import) is kept as it is.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    pub alpha2: String,
    pub alpha3: String,
    pub numeric: String,
    /// The short name used in Kazakhstan's documents, in Russian: the stored value.
    pub ru: String,
    pub kk: String,
    /// Other names of the same country (official long forms, older names), found by the search.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stateless {
    pub ru: String,
    pub kk: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Countries {
    pub stateless: Stateless,
    pub countries: Vec<Country>,
}

/// What a citizenship text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Citizenship<'a> {
    Country(&'a Country),
    Stateless,
}

fn same(a: &str, b: &str) -> bool {
    normalise(a) == normalise(b)
}

/// Lower case, `ё` as `е`, one space between words: how names are compared.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

impl Country {
    /// The name in the interface's language.
    pub fn name(&self, kazakh: bool) -> &str {
        if kazakh { &self.kk } else { &self.ru }
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        [self.ru.as_str(), self.kk.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
    }
}

impl Countries {
    /// The entry a text names exactly (any of its names or ISO codes, in either language,
    /// ignoring case), if any.
    pub fn find(&self, text: &str) -> Option<Citizenship<'_>> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if same(text, &self.stateless.ru) || same(text, &self.stateless.kk) {
            return Some(Citizenship::Stateless);
        }
        self.countries
            .iter()
            .find(|c| {
                c.names().any(|n| same(n, text))
                    || c.alpha2.eq_ignore_ascii_case(text)
                    || c.alpha3.eq_ignore_ascii_case(text)
            })
            .map(Citizenship::Country)
    }

    /// The entries whose names contain what is typed, those that start with it first; at most
    /// `limit`. «лицо без гражданства» comes first when it matches.
    pub fn search(&self, typed: &str, limit: usize) -> Vec<Citizenship<'_>> {
        let typed = normalise(typed.trim());
        let mut found = Vec::new();
        if typed.is_empty() {
            return found;
        }
        if [&self.stateless.ru, &self.stateless.kk]
            .iter()
            .any(|n| normalise(n).contains(&typed))
        {
            found.push(Citizenship::Stateless);
        }
        let starts = |c: &&Country| c.names().any(|n| normalise(n).starts_with(&typed));
        let contains = |c: &&Country| c.names().any(|n| normalise(n).contains(&typed));
        found.extend(
            self.countries
                .iter()
                .filter(starts)
                .map(Citizenship::Country),
        );
        found.extend(
            self.countries
                .iter()
                .filter(|c| !starts(c) && contains(c))
                .map(Citizenship::Country),
        );
        found.truncate(limit);
        found
    }

    /// How a stored citizenship reads in the interface's language: a known country by its name
    /// in that language, anything else as stored.
    pub fn display<'a>(&'a self, stored: &'a str, stateless: bool, kazakh: bool) -> &'a str {
        if stateless {
            return if kazakh {
                &self.stateless.kk
            } else {
                &self.stateless.ru
            };
        }
        match self.find(stored) {
            Some(Citizenship::Country(c)) => c.name(kazakh),
            Some(Citizenship::Stateless) => {
                if kazakh {
                    &self.stateless.kk
                } else {
                    &self.stateless.ru
                }
            }
            None => stored,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Countries {
        let country = |a2: &str, a3: &str, ru: &str, kk: &str, aliases: &[&str]| Country {
            alpha2: a2.into(),
            alpha3: a3.into(),
            numeric: String::new(),
            ru: ru.into(),
            kk: kk.into(),
            aliases: aliases.iter().map(|s| (*s).to_string()).collect(),
        };
        Countries {
            stateless: Stateless {
                ru: "лицо без гражданства".into(),
                kk: "азаматтығы жоқ адам".into(),
            },
            countries: vec![
                country("KG", "KGZ", "Кыргызстан", "Қырғызстан", &["Киргизия"]),
                country("UZ", "UZB", "Узбекистан", "Өзбекстан", &[]),
                country("RU", "RUS", "Россия", "Ресей", &["Российская Федерация"]),
            ],
        }
    }

    #[test]
    fn a_name_in_either_language_or_an_alias_finds_the_country() {
        let list = sample();
        for text in ["Кыргызстан", "қырғызстан", " Киргизия ", "KGZ", "kg"]
        {
            let Some(Citizenship::Country(c)) = list.find(text) else {
                panic!("{text}")
            };
            assert_eq!(c.ru, "Кыргызстан");
        }
        assert_eq!(list.find("Киргизская ССР"), None);
        assert_eq!(list.find(""), None);
        assert_eq!(
            list.find("Лицо без гражданства"),
            Some(Citizenship::Stateless)
        );
        assert_eq!(
            list.find("азаматтығы жоқ адам"),
            Some(Citizenship::Stateless)
        );
    }

    #[test]
    fn search_puts_names_that_start_with_the_text_first() {
        let list = sample();
        let names: Vec<&str> = list
            .search("ст", 10)
            .into_iter()
            .filter_map(|c| match c {
                Citizenship::Country(c) => Some(c.ru.as_str()),
                Citizenship::Stateless => None,
            })
            .collect();
        assert_eq!(names, ["Кыргызстан", "Узбекистан"]);
        assert_eq!(list.search("без", 10), [Citizenship::Stateless]);
        assert!(list.search("", 10).is_empty());
        assert_eq!(list.search("а", 1).len(), 1);
    }

    #[test]
    fn a_stored_free_text_is_shown_as_stored() {
        let list = sample();
        assert_eq!(
            list.display("Киргизская ССР", false, true),
            "Киргизская ССР"
        );
        assert_eq!(list.display("Россия", false, true), "Ресей");
        assert_eq!(list.display("", true, false), "лицо без гражданства");
    }
}
