//! The translation tables (Russian and Kazakh), switchable at run time.
//!
//! Every string the user sees is looked up here by key. A missing key shows the key itself and
//! is reported once on stderr, never a panic. The tables are `assets/i18n/ru.json` and
//! `assets/i18n/kk.json`; a test fails if a key is missing from either.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

pub const RU: &str = include_str!("../../assets/i18n/ru.json");
pub const KK: &str = include_str!("../../assets/i18n/kk.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ru,
    Kk,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::Kk => "kk",
        }
    }
}

/// The translations of both languages and the current one.
pub struct Tr {
    pub lang: Lang,
    ru: BTreeMap<String, String>,
    kk: BTreeMap<String, String>,
    missing: RefCell<HashSet<String>>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

fn parse(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap_or_else(|e| {
        eprintln!("spravka: a translation table cannot be read: {e}");
        BTreeMap::new()
    })
}

impl Default for Tr {
    fn default() -> Self {
        Self::new(Lang::Ru)
    }
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            ru: parse(RU),
            kk: parse(KK),
            missing: RefCell::new(HashSet::new()),
        }
    }

    /// The text of `key` in the current language.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        let table = match self.lang {
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
        };
        if let Some(text) = table.get(key) {
            return text;
        }
        if self.missing.borrow_mut().insert(key.to_string()) {
            eprintln!("spravka: no {} translation for '{key}'", self.lang.code());
        }
        key
    }

    /// The text of `key` with `{0}`, `{1}`… replaced by `args`.
    pub fn f(&self, key: &str, args: &[&str]) -> String {
        let mut text = self.t(key).to_string();
        for (i, arg) in args.iter().enumerate() {
            text = text.replace(&format!("{{{i}}}"), arg);
        }
        text
    }

    /// Keys present in one table and not the other.
    pub fn missing_keys(&self) -> (Vec<&str>, Vec<&str>) {
        let not_in_kk = self
            .ru
            .keys()
            .filter(|k| !self.kk.contains_key(*k))
            .map(String::as_str)
            .collect();
        let not_in_ru = self
            .kk
            .keys()
            .filter(|k| !self.ru.contains_key(*k))
            .map(String::as_str)
            .collect();
        (not_in_kk, not_in_ru)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.ru.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::reference::mixed_script_word;

    #[test]
    fn both_languages_have_every_key() {
        let tr = Tr::new(Lang::Ru);
        let (not_in_kk, not_in_ru) = tr.missing_keys();
        assert!(not_in_kk.is_empty(), "missing in kk.json: {not_in_kk:?}");
        assert!(not_in_ru.is_empty(), "missing in ru.json: {not_in_ru:?}");
        assert!(tr.keys().count() > 100);
    }

    #[test]
    fn kazakh_letters_are_cyrillic_code_points() {
        // SPEC §9: ә is U+04D9, never the Latin schwa U+0259; no Latin look-alikes in words.
        for (name, table) in [("ru", parse(RU)), ("kk", parse(KK))] {
            for (key, text) in &table {
                assert!(
                    !text.contains('\u{0259}') && !text.contains('\u{018F}'),
                    "{name} {key}: Latin schwa"
                );
                assert_eq!(mixed_script_word(text), None, "{name} {key}: {text}");
            }
        }
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        // The keys written as tr.t("…") / tr.f("…") in src/ui are in the tables.
        let tr = Tr::new(Lang::Ru);
        let sources = [
            include_str!("mod.rs"),
            include_str!("registry.rs"),
            include_str!("intake.rs"),
            include_str!("application.rs"),
            include_str!("admin.rs"),
            include_str!("widgets.rs"),
            include_str!("commission.rs"),
            include_str!("verify.rs"),
            include_str!("preview.rs"),
            include_str!("start.rs"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for part in source
                .split(".t(\"")
                .skip(1)
                .chain(source.split(".f(\"").skip(1))
            {
                if let Some(end) = part.find('"') {
                    let key = &part[..end];
                    if !tr.ru.contains_key(key) {
                        missing.push(key.to_string());
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:?}"
        );
    }

    #[test]
    fn every_letter_has_a_glyph_in_the_interface_font() {
        // A missing glyph would be drawn as a box (or stop a test): check every character of
        // both tables against Noto Sans's own character map.
        let mut warnings = Vec::new();
        let font = printpdf::ParsedFont::from_bytes(crate::ui::theme::NOTO_SANS, 0, &mut warnings)
            .unwrap_or_else(|| panic!("Noto Sans cannot be read"));
        for (name, table) in [("ru", parse(RU)), ("kk", parse(KK))] {
            for (key, text) in &table {
                for c in text.chars().filter(|c| !c.is_whitespace()) {
                    assert!(
                        font.lookup_glyph_index(c as u32).is_some(),
                        "{name} {key}: no glyph for {c:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_key_shows_the_key() {
        let tr = Tr::new(Lang::Kk);
        assert_eq!(tr.t("no.such.key"), "no.such.key");
    }
}
