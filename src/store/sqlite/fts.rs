//! The SQLite dialect of search: the FTS5 table `search`, one row per application (rowid = the
//! application's id) over applicant names in any script, IIN, identity-document numbers,
//! application and certificate numbers and the employer.

use rusqlite::{Connection, OptionalExtension, params};

use crate::store::{StoreError, search};

/// Rebuilds the index row of one application on `conn` (a transaction's connection).
///
/// The text is read first and inserted with `VALUES`: an `INSERT ... SELECT` into a virtual
/// table runs with a statement journal, and FTS5 writes its pending terms out as a segment at
/// every statement journal opened in the transaction, so a batch would get one tiny segment
/// per application (and merge them over and over).
pub fn index_row(conn: &Connection, application_id: i64) -> Result<(), StoreError> {
    let row: Option<(String, String, String, String)> = conn
        .prepare_cached(
            "SELECT p.surname || ' ' || p.given_name || ' ' || coalesce(p.patronymic, ''),
                    coalesce(p.iin, '') || ' ' || coalesce(p.doc_series, '') || ' ' || p.doc_number || ' ' || a.number,
                    coalesce((SELECT group_concat(c.number, ' ') FROM certificates c
                              WHERE c.application_id = a.id OR c.applicant_id = a.applicant_id), ''),
                    coalesce(a.employer_name, '') || ' ' || coalesce(a.employer_id, '')
             FROM applications a JOIN applicants p ON p.id = a.applicant_id
             WHERE a.id = ?1",
        )?
        .query_row([application_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([application_id])?;
    if let Some((names, ids, certificates, employer)) = row {
        let folded = search::folded_text(&[&names, &employer]);
        conn.prepare_cached(
            "INSERT INTO search (rowid, names, ids, certificates, employer, folded) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![application_id, names, ids, certificates, employer, folded])?;
    }
    Ok(())
}

/// Fills the search index anew, every application (the hook of migration 010, which changed
/// the index's columns), and merges its segments.
pub fn rebuild(conn: &Connection) -> Result<(), StoreError> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM applications ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        index_row(conn, id)?;
    }
    conn.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    Ok(())
}

/// Merges the index's segments into one (FTS5 `optimize`), as automerge would over a long
/// life: after a bulk load, searches read fewer segments.
pub fn compact(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    Ok(())
}

/// The FTS5 query for what the user typed: every word a prefix, all words required. A word
/// with punctuation inside (a certificate number `00012/2026`, an application number
/// `2026-000123`) is a phrase of its parts in that order, the last one a prefix: `00012/2026`
/// finds that certificate and not application `2026-000123` nor certificate `00012/2025`.
/// A word with Kazakh letters also matches its folded form (`әсем` finds «Асем»), and every word
/// matches the folded column (`асем` finds «Әсем»). With `exact`, only the columns as written
/// are searched: no folding on either side. Returns `None` when nothing searchable was typed.
pub fn fts_query(typed: &str, exact: bool) -> Option<String> {
    let words = search::words(typed);
    if words.is_empty() {
        return None;
    }
    let phrase = |parts: &[String]| format!("\"{}\"*", parts.join(" "));
    let terms: Vec<String> = words
        .iter()
        .map(|word| {
            if exact {
                return format!(
                    "{{names ids certificates employer}} : {}",
                    phrase(&word.parts)
                );
            }
            match &word.folded {
                Some(folded) => format!("({} OR {})", phrase(&word.parts), phrase(folded)),
                None => phrase(&word.parts),
            }
        })
        .collect();
    Some(terms.join(" AND "))
}

/// Application ids matching `typed`, best first, one page. Queries of one or two letters match
/// too many rows to rank usefully: they come newest first.
pub fn ranked(
    conn: &Connection,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    let Some(query) = fts_query(typed, false) else {
        return Ok(Vec::new());
    };
    let short = typed
        .split(|c: char| !c.is_alphanumeric())
        .all(|t| t.chars().count() <= 2);
    let sql = if short {
        "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2 OFFSET ?3"
    } else {
        "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![query, limit as i64, offset as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// The ids of the newest `limit` applications matching `typed` — as written (`exact`) or
/// folded too — newest first, or `None` when nothing searchable was typed. The index hands them
/// out newest first without reading the rest, even when one letter matches most of the table.
pub fn newest(
    conn: &Connection,
    typed: &str,
    exact: bool,
    limit: usize,
) -> Result<Option<Vec<i64>>, StoreError> {
    let Some(query) = fts_query(typed, exact) else {
        return Ok(None);
    };
    let ids = conn
        .prepare_cached(
            "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
        )?
        .query_map(params![query, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_prefix_terms() {
        // A word with Kazakh letters matches itself or its folded form.
        assert_eq!(
            fts_query("Қасым", false),
            Some("(\"қасым\"* OR \"касым\"*)".to_string())
        );
        // A certificate number is one phrase: its parts in order, the last a prefix.
        assert_eq!(
            fts_query("00012/2026", false),
            Some("\"00012 2026\"*".to_string())
        );
        assert_eq!(
            fts_query("Қасым 00012/", false),
            Some("(\"қасым\"* OR \"касым\"*) AND \"00012\"*".to_string())
        );
        assert_eq!(fts_query("  \" - ", false), None);
        assert_eq!(fts_query("o'neil", false), Some("\"o neil\"*".to_string()));
        // Exact: the written columns only, nothing folded.
        assert_eq!(
            fts_query("Әсем", true),
            Some("{names ids certificates employer} : \"әсем\"*".to_string())
        );
    }
}
