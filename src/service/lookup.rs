//! Finding a record by what a person types: an application by its register number.

use super::{Result, Session};
use crate::domain::roles::Action;
use crate::store::{Store, lookup};

/// The id of the application with the register number `number` (surrounding spaces ignored),
/// if there is one.
pub fn find_application_by_number(
    store: &Store,
    session: &Session,
    number: &str,
) -> Result<Option<i64>> {
    session.require(Action::ViewRegistry)?;
    store.read(|tx| Ok(lookup::application_id_by_number(tx, number.trim())?))
}
