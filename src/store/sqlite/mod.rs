//! What only SQLite has: the statements of this engine's own features, kept apart so that
//! another engine implements the same repository functions without them.

pub mod fts;
