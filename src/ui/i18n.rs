//! The translation tables (Russian and Kazakh), switchable at run time.
//!
//! Every string the user sees is looked up here by key. A missing key shows the key itself and
//! is reported once on stderr, never a panic. The tables are Project Fluent files,
//! `assets/i18n/ru.ftl` and `assets/i18n/kk.ftl`, so that a number can choose its noun's form by
//! the CLDR plural rules of its language: Russian one/few/many («1 балл», «2 балла», «5 баллов»),
//! Kazakh one/other, where the noun after a numeral stays singular anyway («5 балл»).
//!
//! The code names a message by a dotted key (`registry.count`); in the .ftl file it is
//! `registry-count` (Fluent ids cannot hold dots, and no key holds a hyphen). `f` passes its
//! arguments as `$a0`, `$a1`…; an argument written in decimal digits («21», not «00021») is given
//! to Fluent as a number, so a selector `{ $a0 -> [one] … [few] … *[many] … }` picks the plural
//! form, and it prints exactly as written. Fluent's Unicode isolation marks around arguments are
//! off: egui and the PDF fonts would draw them as boxes.
//!
//! `scripts/i18n-json-to-ftl.py` appends to an .ftl file the keys of an old JSON table it does
//! not have yet (for branches that still add keys to ru.json/kk.json).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use unic_langid::LanguageIdentifier;

pub const RU: &str = include_str!("../../assets/i18n/ru.ftl");
pub const KK: &str = include_str!("../../assets/i18n/kk.ftl");

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

    fn source(self) -> &'static str {
        match self {
            Self::Ru => RU,
            Self::Kk => KK,
        }
    }
}

/// The Fluent message id of a key of the code: `registry.count` → `registry-count`.
pub fn message_id(key: &str) -> String {
    key.replace('.', "-")
}

/// The key of the code of a Fluent message id: `registry-count` → `registry.count`.
fn key_of(id: &str) -> String {
    id.replace('-', ".")
}

/// One language: the Fluent bundle, and every message formatted once without arguments (what
/// `t` returns by reference, with no work per frame).
struct Table {
    bundle: FluentBundle<FluentResource>,
    plain: BTreeMap<String, String>,
}

impl Table {
    fn new(lang: Lang) -> Self {
        let resource = match FluentResource::try_new(lang.source().to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                eprintln!(
                    "spravka: the {} translation table has errors: {errors:?}",
                    lang.code()
                );
                resource
            }
        };
        let ids: Vec<String> = resource
            .entries()
            .filter_map(|entry| match entry {
                ast::Entry::Message(message) => Some(message.id.name.to_string()),
                _ => None,
            })
            .collect();
        let locale: LanguageIdentifier = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        bundle.set_use_isolating(false);
        if let Err(errors) = bundle.add_resource(resource) {
            eprintln!(
                "spravka: the {} translation table repeats messages: {errors:?}",
                lang.code()
            );
        }
        let mut table = Self {
            bundle,
            plain: BTreeMap::new(),
        };
        for id in ids {
            if let Some((text, _)) = table.format(&id, None) {
                table.plain.insert(key_of(&id), text);
            }
        }
        table
    }

    /// The message `id` with `args`, and whether Fluent met an error (a missing argument).
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> Option<(String, bool)> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        Some((text.into_owned(), !errors.is_empty()))
    }
}

/// An argument as Fluent sees it: a whole number written in digits is a number (for plural
/// selectors), anything else text. «00012» stays text, so it prints with its zeros.
fn argument(text: &str) -> FluentValue<'_> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let whole = !digits.is_empty()
        && digits.len() <= 15
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (!digits.starts_with('0') || (digits == "0" && digits.len() == text.len()));
    match text.parse::<i64>() {
        Ok(n) if whole => FluentValue::from(n),
        _ => FluentValue::from(text),
    }
}

/// The translations of both languages and the current one.
pub struct Tr {
    pub lang: Lang,
    ru: Table,
    kk: Table,
    missing: RefCell<HashSet<String>>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr")
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
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
            ru: Table::new(Lang::Ru),
            kk: Table::new(Lang::Kk),
            missing: RefCell::new(HashSet::new()),
        }
    }

    fn table(&self) -> &Table {
        match self.lang {
            Lang::Ru => &self.ru,
            Lang::Kk => &self.kk,
        }
    }

    /// Says once on stderr that `what` went wrong with `key`.
    fn report(&self, key: &str, what: &str) {
        if self.missing.borrow_mut().insert(key.to_string()) {
            eprintln!("spravka: {} translation '{key}': {what}", self.lang.code());
        }
    }

    /// The text of `key` in the current language.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        if let Some(text) = self.table().plain.get(key) {
            return text;
        }
        self.report(key, "missing");
        key
    }

    /// The text of `key` with its arguments `$a0`, `$a1`… set to `args`; a number written in
    /// digits chooses the plural forms of the message.
    pub fn f(&self, key: &str, args: &[&str]) -> String {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            fluent.set(format!("a{i}"), argument(arg));
        }
        let Some((text, errors)) = self.table().format(&message_id(key), Some(&fluent)) else {
            self.report(key, "missing");
            return key.to_string();
        };
        if errors {
            self.report(key, "an argument is missing");
        }
        text
    }

    /// Keys present in one table and not the other.
    pub fn missing_keys(&self) -> (Vec<&str>, Vec<&str>) {
        let not_in_kk = self
            .ru
            .plain
            .keys()
            .filter(|k| !self.kk.plain.contains_key(*k))
            .map(String::as_str)
            .collect();
        let not_in_ru = self
            .kk
            .plain
            .keys()
            .filter(|k| !self.ru.plain.contains_key(*k))
            .map(String::as_str)
            .collect();
        (not_in_kk, not_in_ru)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.ru.plain.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::reference::mixed_script_word;

    /// Every message of a table: its id, the texts of all its variants and the arguments it
    /// uses, read from the parsed file.
    struct Parsed {
        id: String,
        texts: Vec<String>,
        variables: BTreeSet<String>,
        selectors: Vec<(String, Vec<String>)>,
    }

    fn walk_pattern(pattern: &ast::Pattern<&str>, into: &mut Parsed) {
        for element in &pattern.elements {
            match element {
                ast::PatternElement::TextElement { value } => into.texts.push((*value).to_string()),
                ast::PatternElement::Placeable { expression } => walk_expression(expression, into),
            }
        }
    }

    fn walk_expression(expression: &ast::Expression<&str>, into: &mut Parsed) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, into);
                let name = match selector {
                    ast::InlineExpression::VariableReference { id } => id.name.to_string(),
                    _ => String::new(),
                };
                let keys = variants
                    .iter()
                    .map(|v| match &v.key {
                        ast::VariantKey::Identifier { name } => (*name).to_string(),
                        ast::VariantKey::NumberLiteral { value } => (*value).to_string(),
                    })
                    .collect();
                into.selectors.push((name, keys));
                for variant in variants {
                    walk_pattern(&variant.value, into);
                }
            }
            ast::Expression::Inline(inline) => walk_inline(inline, into),
        }
    }

    fn walk_inline(inline: &ast::InlineExpression<&str>, into: &mut Parsed) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                into.variables.insert(id.name.to_string());
            }
            ast::InlineExpression::StringLiteral { value } => into.texts.push((*value).to_string()),
            ast::InlineExpression::Placeable { expression } => walk_expression(expression, into),
            _ => {}
        }
    }

    fn parsed(source: &str) -> Vec<Parsed> {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("the table does not parse: {errors:?}"),
        };
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(message) => {
                    let mut into = Parsed {
                        id: message.id.name.to_string(),
                        texts: Vec::new(),
                        variables: BTreeSet::new(),
                        selectors: Vec::new(),
                    };
                    if let Some(value) = &message.value {
                        walk_pattern(value, &mut into);
                    }
                    Some(into)
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_languages_have_every_key() {
        let tr = Tr::new(Lang::Ru);
        let (not_in_kk, not_in_ru) = tr.missing_keys();
        assert!(not_in_kk.is_empty(), "missing in kk.ftl: {not_in_kk:?}");
        assert!(not_in_ru.is_empty(), "missing in ru.ftl: {not_in_ru:?}");
        assert!(tr.keys().count() > 100);
    }

    #[test]
    fn both_tables_parse_without_error_or_repeats() {
        for source in [RU, KK] {
            let ids: Vec<String> = parsed(source).into_iter().map(|p| p.id).collect();
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "a message id is repeated");
        }
    }

    #[test]
    fn both_languages_use_the_same_arguments_and_plural_categories() {
        // A translation that drops an argument, or a selector with a category its language
        // does not have, would print a wrong text with no error.
        let kk: BTreeMap<String, Parsed> =
            parsed(KK).into_iter().map(|p| (p.id.clone(), p)).collect();
        for ru in parsed(RU) {
            let Some(kk) = kk.get(&ru.id) else {
                continue; // both_languages_have_every_key names it
            };
            assert_eq!(ru.variables, kk.variables, "{}", ru.id);
            for (lang, message, allowed) in [
                ("ru", &ru, &["one", "few", "many", "other"][..]),
                ("kk", kk, &["one", "other"][..]),
            ] {
                for (selector, keys) in &message.selectors {
                    assert!(
                        selector.starts_with('a'),
                        "{lang} {}: {selector}",
                        message.id
                    );
                    for key in keys {
                        assert!(
                            allowed.contains(&key.as_str()),
                            "{lang} {}: [{key}]",
                            message.id
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn kazakh_letters_are_cyrillic_code_points() {
        // SPEC §9: ә is U+04D9, never the Latin schwa U+0259; no Latin look-alikes in words.
        for (name, source) in [("ru", RU), ("kk", KK)] {
            for message in parsed(source) {
                for text in &message.texts {
                    assert!(
                        !text.contains('\u{0259}') && !text.contains('\u{018F}'),
                        "{name} {}: Latin schwa",
                        message.id
                    );
                    assert_eq!(
                        mixed_script_word(text),
                        None,
                        "{name} {}: {text}",
                        message.id
                    );
                }
            }
        }
    }

    #[test]
    fn the_look_alike_check_reads_plural_variants_too() {
        // The check above must see the words inside a selector's variants.
        let source = "x = { $a0 ->\n    [one] бaлл\n   *[other] балла\n}\n";
        let words: Vec<String> = parsed(source).remove(0).texts;
        assert!(
            words.iter().any(|t| mixed_script_word(t).is_some()),
            "{words:?}"
        );
    }

    #[test]
    fn every_key_used_in_the_code_exists() {
        // The keys written as tr.t("…") / tr.f("…") in src/ui are in both tables.
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
            include_str!("audit_log.rs"),
            include_str!("backups.rs"),
            include_str!("calendar.rs"),
            include_str!("eds.rs"),
            include_str!("help.rs"),
            include_str!("reference_lists.rs"),
            include_str!("reports.rs"),
            include_str!("app/mod.rs"),
            include_str!("app/admin.rs"),
            include_str!("app/application.rs"),
            include_str!("app/audit_log.rs"),
            include_str!("app/backups.rs"),
            include_str!("app/calendar.rs"),
            include_str!("app/commission.rs"),
            include_str!("app/eds.rs"),
            include_str!("app/files.rs"),
            include_str!("app/intake.rs"),
            include_str!("app/reference_lists.rs"),
            include_str!("app/registry.rs"),
            include_str!("app/reports.rs"),
            include_str!("app/start.rs"),
            include_str!("../launch.rs"),
        ];
        let mut missing = Vec::new();
        let mut seen = 0;
        for source in sources {
            for part in source
                .split(".t(\"")
                .skip(1)
                .chain(source.split(".f(\"").skip(1))
            {
                if let Some(end) = part.find('"') {
                    let key = &part[..end];
                    seen += 1;
                    if !tr.ru.plain.contains_key(key) || !tr.kk.plain.contains_key(key) {
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
        assert!(seen > 500, "only {seen} keys found in the code");
    }

    #[test]
    fn every_letter_has_a_glyph_in_the_interface_font() {
        // A missing glyph would be drawn as a box (or stop a test): check every character of
        // both tables against Noto Sans's own character map.
        let mut warnings = Vec::new();
        let font = printpdf::ParsedFont::from_bytes(crate::ui::theme::NOTO_SANS, 0, &mut warnings)
            .unwrap_or_else(|| panic!("Noto Sans cannot be read"));
        for (name, source) in [("ru", RU), ("kk", KK)] {
            for message in parsed(source) {
                for c in message
                    .texts
                    .concat()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                {
                    assert!(
                        font.lookup_glyph_index(c as u32).is_some(),
                        "{name} {}: no glyph for {c:?}",
                        message.id
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_key_shows_the_key() {
        let tr = Tr::new(Lang::Kk);
        assert_eq!(tr.t("no.such.key"), "no.such.key");
        assert_eq!(tr.f("no.such.key", &["1"]), "no.such.key");
    }

    #[test]
    fn arguments_print_as_written_without_isolation_marks() {
        let tr = Tr::new(Lang::Ru);
        for arg in ["00012/2026", "00012", "21", "0", "-3", "4.5", "Әсем Қасым"] {
            let text = tr.f("registry.count", &[arg]);
            assert_eq!(text, format!("Найдено: {arg}"));
            assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
        }
        // Literal braces and lines survive the conversion from the JSON tables.
        assert_eq!(
            tr.f("pattern.unknown", &["seqq"]),
            "неизвестная вставка «{seqq}»: допустимы {seq}, {seq:05} и {year}"
        );
        assert_eq!(
            tr.f("startup.move_failed", &["нет места", "/a/b.db"]),
            "Базу данных перенести не удалось: нет места\nРабота продолжается с прежним файлом /a/b.db."
        );
        assert!(
            tr.t("startup.move_question")
                .contains(":\n{$a0}\n\nПеренести")
        );
    }

    #[test]
    fn only_whole_numbers_in_digits_become_numbers() {
        assert!(matches!(argument("21"), FluentValue::Number(_)));
        assert!(matches!(argument("-21"), FluentValue::Number(_)));
        assert!(matches!(argument("0"), FluentValue::Number(_)));
        for text in [
            "021",
            "-0",
            "",
            "-",
            "4.5",
            "1e3",
            "12/2026",
            "1234567890123456",
        ] {
            assert!(matches!(argument(text), FluentValue::String(_)), "{text}");
        }
    }

    /// `key` in `lang` for 1, 2, 5, 11, 21 and 22, the number as every argument `$aN` that
    /// `args` marks with "n".
    fn for_numbers(lang: Lang, key: &str, args: &[&str]) -> Vec<String> {
        let tr = Tr::new(lang);
        ["1", "2", "5", "11", "21", "22"]
            .iter()
            .map(|n| {
                let args: Vec<&str> = args
                    .iter()
                    .map(|a| if *a == "n" { *n } else { a })
                    .collect();
                tr.f(key, &args)
            })
            .collect()
    }

    /// The six texts expected: `before`, the number, its form, `after`.
    fn expected(before: &str, forms: [&str; 6], after: &str) -> Vec<String> {
        ["1", "2", "5", "11", "21", "22"]
            .iter()
            .zip(forms)
            .map(|(n, form)| format!("{before}{n} {form}{after}"))
            .collect()
    }

    const POINTS_RU: [&str; 6] = ["балл", "балла", "баллов", "баллов", "балл", "балла"];
    const DAYS_RU: [&str; 6] = [
        "рабочий день",
        "рабочих дня",
        "рабочих дней",
        "рабочих дней",
        "рабочий день",
        "рабочих дня",
    ];

    #[test]
    fn russian_nouns_after_numbers_take_one_few_or_many() {
        // CLDR ru: one (1, 21, …), few (2–4, 22–24, …), many (0, 5–20, 25–30, …).
        let ru = Lang::Ru;
        assert_eq!(
            for_numbers(ru, "commission.saved", &["n"]),
            expected("Оценка и рекомендация сохранены: ", POINTS_RU, "")
        );
        assert_eq!(
            for_numbers(ru, "deadline.overdue", &["01.12.2026", "n"]),
            expected("01.12.2026 · просрочено на ", DAYS_RU, "")
        );
        assert_eq!(
            for_numbers(ru, "deadline.left", &["01.12.2026", "n"]),
            [
                "01.12.2026 · остался 1 рабочий день",
                "01.12.2026 · осталось 2 рабочих дня",
                "01.12.2026 · осталось 5 рабочих дней",
                "01.12.2026 · осталось 11 рабочих дней",
                "01.12.2026 · остался 21 рабочий день",
                "01.12.2026 · осталось 22 рабочих дня",
            ]
        );
        assert_eq!(
            for_numbers(ru, "deadline.hover_one", &["Решение", "n", "R§11"]),
            expected(
                "Решение: ",
                DAYS_RU,
                " (R§11); день, от которого считают, не входит"
            )
        );
        assert_eq!(
            for_numbers(ru, "reports.late_line", &["09.11.2026", "11.11.2026", "n"]),
            expected(
                "срок 09.11.2026, решение 11.11.2026: просрочено на ",
                DAYS_RU,
                ""
            )
        );
        assert_eq!(
            for_numbers(
                ru,
                "explain.deadline",
                &["Решение", "n", "02.11.2026", "R§11", "30.11.2026"]
            )[4],
            "Решение: 21 рабочий день со дня 02.11.2026 (R§11), день 02.11.2026 не считается — до 30.11.2026 включительно"
        );
        let years = ["год", "года", "лет", "лет", "год", "года"];
        assert_eq!(
            for_numbers(ru, "help.bracket_open", &["n", "6"]),
            expected("", years, " и более — 6")
        );
        assert_eq!(
            for_numbers(ru, "help.bracket", &["0", "n", "4"]),
            expected("0–", years, " — 4")
        );
        assert_eq!(
            for_numbers(ru, "score.experience", &["n", "n", "n", "n"])[..3],
            [
                "Стаж: 1 год 1 месяц 1 день — 1 балл",
                "Стаж: 2 года 2 месяца 2 дня — 2 балла",
                "Стаж: 5 лет 5 месяцев 5 дней — 5 баллов",
            ]
        );
        assert_eq!(
            for_numbers(ru, "score.experience", &["n", "4", "0", "4"])[3..],
            [
                "Стаж: 11 лет 4 месяца 0 дней — 4 балла",
                "Стаж: 21 год 4 месяца 0 дней — 4 балла",
                "Стаж: 22 года 4 месяца 0 дней — 4 балла",
            ]
        );
        assert_eq!(
            for_numbers(ru, "sign_in.wait", &["n"]),
            expected(
                "Подождите ",
                [
                    "секунду",
                    "секунды",
                    "секунд",
                    "секунд",
                    "секунду",
                    "секунды"
                ],
                " перед следующей попыткой"
            )
        );
        assert_eq!(
            for_numbers(ru, "history.s.attached", &["Паспорт", "n"]),
            expected(
                "Паспорт: приложен файл (",
                ["байт", "байта", "байт", "байт", "байт", "байта"],
                ")"
            )
        );
        assert_eq!(
            for_numbers(ru, "problem.too_long", &["n"]),
            expected(
                "слишком длинно: не более ",
                [
                    "символа",
                    "символов",
                    "символов",
                    "символов",
                    "символа",
                    "символов"
                ],
                ""
            )
        );
        let capped = for_numbers(ru, "registry.count_capped", &["n"]);
        assert_eq!(
            capped[0],
            "Показано 1 самое новое совпадение — уточните запрос"
        );
        assert_eq!(
            capped[1],
            "Показаны 2 самых новых совпадения — уточните запрос"
        );
        assert_eq!(
            capped[3],
            "Показаны 11 самых новых совпадений — уточните запрос"
        );
        assert_eq!(
            capped[4],
            "Показано 21 самое новое совпадение — уточните запрос"
        );
        let confirm = for_numbers(ru, "registry.print_confirm", &["n"]);
        assert!(
            confirm[0].starts_with("Напечатать действующие справки 1 выбранного заявления одним")
        );
        assert!(
            confirm[1].starts_with("Напечатать действующие справки 2 выбранных заявлений одним")
        );
        assert!(
            confirm[4].starts_with("Напечатать действующие справки 21 выбранного заявления одним")
        );
        assert!(
            confirm[5].starts_with("Напечатать действующие справки 22 выбранных заявлений одним")
        );
    }

    #[test]
    fn kazakh_nouns_after_numbers_stay_singular() {
        // CLDR kk: one and other, and the noun after a numeral is singular either way.
        let kk = Lang::Kk;
        let same = |before: &str, noun: &str, after: &str| expected(before, [noun; 6], after);
        assert_eq!(
            for_numbers(kk, "commission.saved", &["n"]),
            same("Баға мен ұсыным сақталды: ", "балл", "")
        );
        assert_eq!(
            for_numbers(kk, "deadline.left", &["01.12.2026", "n"]),
            same("01.12.2026 · ", "жұмыс күні", " қалды")
        );
        assert_eq!(
            for_numbers(kk, "deadline.overdue", &["01.12.2026", "n"]),
            same("01.12.2026 · ", "жұмыс күнге", " кешікті")
        );
        assert_eq!(
            for_numbers(kk, "help.bracket_open", &["n", "6"]),
            same("", "жыл", " және одан көп — 6")
        );
        assert_eq!(
            for_numbers(kk, "score.experience", &["n", "n", "n", "n"])[4],
            "Еңбек өтілі: 21 жыл 21 ай 21 күн — 21 балл"
        );
        assert_eq!(
            for_numbers(kk, "sign_in.wait", &["n"]),
            same("Келесі әрекетке дейін ", "секунд", " күтіңіз")
        );
        assert_eq!(
            for_numbers(kk, "reports.late_line", &["09.11.2026", "11.11.2026", "n"]),
            same(
                "мерзімі 09.11.2026, шешім 11.11.2026: ",
                "жұмыс күніне",
                " кешіктірілді"
            )
        );
    }

    #[test]
    fn no_russian_text_shortens_a_counted_noun() {
        // Issue 14: «балл(ов)», «раб. дн.», «симв.» stood for the forms a number chooses.
        for message in parsed(RU) {
            let text = message.texts.concat();
            for short in ["(ов)", "раб. дн", "раб. дней", " дн.", " симв.", " лет {"]
            {
                assert!(!text.contains(short), "{}: {text}", message.id);
            }
        }
    }
}
