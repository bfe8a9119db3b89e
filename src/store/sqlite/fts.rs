//! The SQLite dialect of search: the FTS5 table `search`, one row per application (rowid = the
//! application's id) over applicant names in any script, IIN, identity-document numbers,
//! application and certificate numbers and the employer.

use rusqlite::{OptionalExtension, params};

use crate::store::{StoreError, Tx};

/// Rebuilds the index row of one application from the stored records.
///
/// The text is read first and inserted with `VALUES`: an `INSERT ... SELECT` into a virtual
/// table runs with a statement journal, and FTS5 writes its pending terms out as a segment at
/// every statement journal opened in the transaction, so a batch would get one tiny segment
/// per application (and merge them over and over).
pub fn index_application(tx: &Tx<'_>, application_id: i64) -> Result<(), StoreError> {
    let conn = tx.sqlite();
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
        conn.prepare_cached(
            "INSERT INTO search (rowid, names, ids, certificates, employer) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![application_id, names, ids, certificates, employer])?;
    }
    Ok(())
}

/// Merges the index's segments into one (FTS5 `optimize`), as automerge would over a long
/// life: after a bulk load, searches read fewer segments.
pub fn compact(tx: &Tx<'_>) -> Result<(), StoreError> {
    tx.sqlite()
        .execute("INSERT INTO search (search) VALUES ('optimize')", [])?;
    Ok(())
}

/// The FTS5 query for what the user typed: every word a prefix, all words required. A word
/// with punctuation inside (a certificate number `00012/2026`, an application number
/// `2026-000123`) is a phrase of its parts in that order, the last one a prefix: `00012/2026`
/// finds that certificate and not application `2026-000123` nor certificate `00012/2025`.
/// Returns `None` when nothing searchable was typed.
pub fn fts_query(typed: &str) -> Option<String> {
    let terms: Vec<String> = typed
        .split_whitespace()
        .filter_map(|word| {
            let parts: Vec<String> = word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| !t.is_empty())
                .map(str::to_lowercase)
                .collect();
            (!parts.is_empty()).then(|| format!("\"{}\"*", parts.join(" ")))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// Application ids matching `typed`, best first, one page. Queries of one or two letters match
/// too many rows to rank usefully: they come newest first.
pub fn ranked(
    tx: &Tx<'_>,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    let Some(query) = fts_query(typed) else {
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
    let mut stmt = tx.sqlite().prepare_cached(sql)?;
    let rows = stmt.query_map(params![query, limit as i64, offset as i64], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// The ids of the newest `limit` applications matching `typed`, newest first, or `None` when
/// nothing searchable was typed. The index hands them out newest first without reading the
/// rest, even when one letter matches most of the table.
pub fn newest(tx: &Tx<'_>, typed: &str, limit: usize) -> Result<Option<Vec<i64>>, StoreError> {
    let Some(query) = fts_query(typed) else {
        return Ok(None);
    };
    let mut stmt = tx.sqlite().prepare_cached(
        "SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![query, limit as i64], |r| r.get(0))?;
    Ok(Some(rows.collect::<rusqlite::Result<Vec<i64>>>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_prefix_terms() {
        assert_eq!(fts_query("Қасым"), Some("\"қасым\"*".to_string()));
        // A certificate number is one phrase: its parts in order, the last a prefix.
        assert_eq!(fts_query("00012/2026"), Some("\"00012 2026\"*".to_string()));
        assert_eq!(
            fts_query("Қасым 00012/"),
            Some("\"қасым\"* AND \"00012\"*".to_string())
        );
        assert_eq!(fts_query("  \" - "), None);
        assert_eq!(fts_query("o'neil"), Some("\"o neil\"*".to_string()));
    }
}
