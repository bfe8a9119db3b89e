//! Search over applications, whichever engine is below: the index row of an application kept
//! current in the transaction of each change, ranked matches, and the newest matches. The
//! statements are the engine's own (SQLite: FTS5, in [`super::sqlite::fts`]).

use super::sqlite::fts;
use super::{StoreError, Tx};

/// Rebuilds the index row of one application from the stored records.
pub fn index_application(tx: &Tx<'_>, application_id: i64) -> Result<(), StoreError> {
    fts::index_application(tx, application_id)
}

/// Application ids matching `typed`, best first, one page. Queries of one or two letters match
/// too many rows to rank usefully: they come newest first.
pub fn ranked(
    tx: &Tx<'_>,
    typed: &str,
    offset: usize,
    limit: usize,
) -> Result<Vec<i64>, StoreError> {
    fts::ranked(tx, typed, offset, limit)
}

/// The ids of the newest `limit` applications matching `typed`, newest first; `None` when
/// nothing searchable was typed (no words, only punctuation).
pub fn newest(tx: &Tx<'_>, typed: &str, limit: usize) -> Result<Option<Vec<i64>>, StoreError> {
    fts::newest(tx, typed, limit)
}

/// Reorganises the index for reading after a bulk load (SQLite: merges FTS5 segments).
pub fn compact(tx: &Tx<'_>) -> Result<(), StoreError> {
    fts::compact(tx)
}
