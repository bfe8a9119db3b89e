//! Search over applications, whichever engine is below: the index row of an application kept
//! current in the transaction of each change, ranked matches, and the newest matches. The
//! statements are the engine's own (SQLite: FTS5, in [`super::sqlite::fts`]; PostgreSQL: a
//! `tsvector` column, in [`super::pg_search`]). Both are fed the text split by [`words`].

use super::sqlite::fts;
use super::{StoreError, Tx, pg_search};

/// Rebuilds the index row of one application from the stored records.
pub fn index_application(tx: &Tx<'_>, application_id: i64) -> Result<(), StoreError> {
    match tx.sqlite() {
        Some(conn) => fts::index_row(conn, application_id),
        None => pg_search::index_application(tx, application_id),
    }
}

/// Application ids matching `typed`, best first, one page. Queries of one or two letters match
/// too many rows to rank usefully: they come newest first.
pub fn ranked(
    tx: &Tx<'_>,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    match tx.sqlite() {
        Some(conn) => fts::ranked(conn, typed, offset, limit),
        None => pg_search::ranked(tx, typed, offset, limit),
    }
}

/// The ids of the newest `limit` applications matching `typed`, newest first; `None` when
/// nothing searchable was typed (no words, only punctuation).
pub fn newest(tx: &Tx<'_>, typed: &str, limit: usize) -> Result<Option<Vec<i64>>, StoreError> {
    let matching = |exact: bool| match tx.sqlite() {
        Some(conn) => fts::newest(conn, typed, exact, limit),
        None => pg_search::newest(tx, typed, exact, limit),
    };
    // Exact matches first: the folded ones fill what is left of `limit`, newest first too.
    let Some(mut ids) = matching(true)? else {
        return Ok(None);
    };
    if ids.len() < limit {
        let seen: std::collections::HashSet<i64> = ids.iter().copied().collect();
        let more = matching(false)?.unwrap_or_default();
        ids.extend(
            more.into_iter()
                .filter(|id| !seen.contains(id))
                .take(limit - seen.len()),
        );
    }
    Ok(Some(ids))
}

/// Reorganises the index for reading after a bulk load (SQLite: merges FTS5 segments).
pub fn compact(tx: &Tx<'_>) -> Result<(), StoreError> {
    match tx.sqlite() {
        Some(conn) => fts::compact(conn),
        None => pg_search::compact(tx),
    }
}

/// One typed word, as the index sees it: its parts (split where the index's tokenizer splits,
/// at anything that is not a letter or digit), lower case, and the same folded when folding
/// changes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub parts: Vec<String>,
    pub folded: Option<Vec<String>>,
}

/// The words of what the user typed, split the way the index splits text (so that
/// `00012/2026` is the parts `00012` and `2026`). Every engine's query is built from these.
pub fn words(typed: &str) -> Vec<Word> {
    typed
        .split_whitespace()
        .filter_map(|word| {
            let parts: Vec<String> = word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            if parts.is_empty() {
                return None;
            }
            let folded: Vec<String> = parts.iter().map(|p| fold(p)).collect();
            let folded = (folded != parts).then_some(folded);
            Some(Word { parts, folded })
        })
        .collect()
}

/// Kazakh letters folded to their Russian look-alikes, lower case: `Әсем` → `асем`. For
/// matching only (a search for «Асем» finds «Әсем»); nothing stored is changed.
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ә' => 'а',
            'ө' => 'о',
            'ү' | 'ұ' => 'у',
            'қ' => 'к',
            'ғ' => 'г',
            'ң' => 'н',
            'һ' => 'х',
            'і' => 'и',
            other => other,
        })
        .collect()
}

/// The index's `folded` column for these texts: their folded forms, or empty when folding
/// changes nothing (most rows), so the index does not hold every name twice.
pub fn folded_text(texts: &[&str]) -> String {
    let joined = texts.join(" ");
    let folded = fold(&joined);
    if folded == joined.to_lowercase() {
        String::new()
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kazakh_letters_fold_to_their_look_alikes() {
        assert_eq!(
            fold("ӘСЕМ Өтеген Үмбетұлы Қасым Ғалым Ңң Һ Ілияс"),
            "асем отеген умбетулы касым галым нн х илияс"
        );
        assert_eq!(folded_text(&["Иванов Иван", "ТОО Ромашка"]), "");
        assert_eq!(folded_text(&["Әсем", ""]), "асем ");
    }

    #[test]
    fn words_split_where_the_index_splits() {
        let w = words("00012/2026 Әсем");
        assert_eq!(w[0].parts, vec!["00012", "2026"]);
        assert_eq!(w[0].folded, None);
        assert_eq!(w[1].parts, vec!["әсем"]);
        assert_eq!(w[1].folded, Some(vec!["асем".to_string()]));
        assert!(words(" - \" ").is_empty());
    }
}
