//! The PostgreSQL dialect of search: the table `search`, one row per application, whose text
//! columns hold the words already split by [`search::words`]' rule (at anything that is not a
//! letter or digit, lower case) and two generated `tsvector('simple', …)` columns with GIN
//! indexes: `exact_terms` over the text as written and `all_terms` over it and its folded form. The query
//! is built from the same [`search::words`] as the SQLite FTS5 query, so `00012/2026`, IIN
//! prefixes and Kazakh letters match alike on both engines (`tests/search_engines.rs`).

use super::db::args;
use super::{StoreError, Tx, search};

/// The text as the index keeps it: its words split where [`search::words`] splits them, lower
/// case, one space between (PostgreSQL's own parser would keep `00012/2026` as one token).
pub fn tokens(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rebuilds the index row of one application from the stored records.
pub fn index_application(tx: &Tx<'_>, application_id: i64) -> Result<(), StoreError> {
    let row: Option<(String, String, String, String)> = tx.query_opt(
        "SELECT p.surname || ' ' || p.given_name || ' ' || coalesce(p.patronymic, ''),
                coalesce(p.iin, '') || ' ' || coalesce(p.doc_series, '') || ' ' || p.doc_number || ' ' || a.number,
                coalesce((SELECT string_agg(c.number, ' ' ORDER BY c.id) FROM certificates c
                          WHERE c.application_id = a.id OR c.applicant_id = a.applicant_id), ''),
                coalesce(a.employer_name, '') || ' ' || coalesce(a.employer_id, '')
         FROM applications a JOIN applicants p ON p.id = a.applicant_id
         WHERE a.id = ?1",
        args![application_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    tx.execute(
        "DELETE FROM search WHERE application_id = ?1",
        args![application_id],
    )?;
    if let Some((names, ids, certificates, employer)) = row {
        let folded = tokens(&search::folded_text(&[&names, &employer]));
        tx.execute(
            "INSERT INTO search (application_id, names, ids, certificates, employer, folded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            args![
                application_id,
                tokens(&names),
                tokens(&ids),
                tokens(&certificates),
                tokens(&employer),
                folded
            ],
        )?;
    }
    Ok(())
}

/// Nothing to merge: a GIN index takes its pending list in at `VACUUM`/`ANALYZE`, which the
/// server's autovacuum runs; after a bulk load the statistics are refreshed here.
pub fn compact(tx: &Tx<'_>) -> Result<(), StoreError> {
    tx.execute_batch("ANALYZE search")
}

/// The `tsquery` for what the user typed: every word a prefix, all words required; a word with
/// punctuation inside is its parts in order (`00012 <-> 2026:*`); a word with Kazakh letters
/// also matches its folded form. The same rule as the FTS5 query
/// ([`super::sqlite::fts::fts_query`]). `None` when nothing searchable was typed.
pub fn ts_query(typed: &str, exact: bool) -> Option<String> {
    let words = search::words(typed);
    if words.is_empty() {
        return None;
    }
    // Each part is letters and digits only: nothing in it is tsquery syntax.
    let phrase = |parts: &[String]| format!("{}:*", parts.join(" <-> "));
    let terms: Vec<String> = words
        .iter()
        .map(|word| match (&word.folded, exact) {
            (Some(folded), false) => format!("({} | {})", phrase(&word.parts), phrase(folded)),
            _ => format!("({})", phrase(&word.parts)),
        })
        .collect();
    Some(terms.join(" & "))
}

/// Application ids matching `typed`, best first, one page; one or two letters: newest first.
pub fn ranked(
    tx: &Tx<'_>,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    let Some(query) = ts_query(typed, false) else {
        return Ok(Vec::new());
    };
    let short = typed
        .split(|c: char| !c.is_alphanumeric())
        .all(|t| t.chars().count() <= 2);
    let sql = if short {
        "SELECT application_id FROM search WHERE all_terms @@ to_tsquery('simple', ?1)
         ORDER BY application_id DESC LIMIT ?2 OFFSET ?3"
    } else {
        "SELECT application_id FROM search WHERE all_terms @@ to_tsquery('simple', ?1)
         ORDER BY ts_rank(all_terms, to_tsquery('simple', ?1)) DESC, application_id DESC LIMIT ?2 OFFSET ?3"
    };
    tx.query_map(sql, args![query, limit, offset], |r| r.get(0))
}

/// The ids of the newest `limit` applications matching `typed` — as written (`exact`) or
/// folded too — newest first, or `None` when nothing searchable was typed.
pub fn newest(
    tx: &Tx<'_>,
    typed: &str,
    exact: bool,
    limit: usize,
) -> Result<Option<Vec<i64>>, StoreError> {
    let Some(query) = ts_query(typed, exact) else {
        return Ok(None);
    };
    let sql = if exact {
        "SELECT application_id FROM search WHERE exact_terms @@ to_tsquery('simple', ?1)
         ORDER BY application_id DESC LIMIT ?2"
    } else {
        "SELECT application_id FROM search WHERE all_terms @@ to_tsquery('simple', ?1)
         ORDER BY application_id DESC LIMIT ?2"
    };
    tx.query_map(sql, args![query, limit], |r| r.get(0))
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_the_same_terms_as_fts5() {
        assert_eq!(
            ts_query("Қасым", false),
            Some("(қасым:* | касым:*)".to_string())
        );
        assert_eq!(
            ts_query("00012/2026", false),
            Some("(00012 <-> 2026:*)".to_string())
        );
        assert_eq!(ts_query("Әсем", true), Some("(әсем:*)".to_string()));
        assert_eq!(ts_query("  \" - ", false), None);
        assert_eq!(
            tokens("Иванов-Петров 00012/2026"),
            "иванов петров 00012 2026"
        );
    }
}
