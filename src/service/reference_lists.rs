//! The reference lists in the administrator's hands (SPEC §7): the stored versions of the
//! priority list (Order 236, Appendix 2) and of the Order 49 list, and a new version loaded from
//! a file, shown as a comparison with the version in force before it takes effect. Applications
//! keep the entry of the version they were filed under (R§8); new ones get the new version.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, RuleError, Session, audit};
use crate::domain::list_update::{self, ApprovingOrder, ListDiff, ListKind, ReferenceList};
use crate::domain::roles::Action;
use crate::store::{Store, reference};

pub use crate::store::reference::ListVersionRow as ListVersion;

/// Every stored version of both lists, the version in force of each first.
pub fn versions(store: &Store, session: &Session) -> Result<Vec<ListVersion>> {
    session.require(Action::ManageReferenceLists)?;
    Ok(store.read(reference::list_versions)?)
}

/// A file read as a new version, not yet in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub list: ReferenceList,
    /// The version in force, which the new one is compared with.
    pub current: NaiveDate,
    pub diff: ListDiff,
}

/// Reads a list file and compares it with the version in force. Nothing is written.
pub fn preview(
    store: &Store,
    session: &Session,
    today: NaiveDate,
    kind: ListKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<Proposal> {
    session.require(Action::ManageReferenceLists)?;
    let list = list_update::read_file(kind, file_name, bytes, today).map_err(RuleError::from)?;
    let (_, current) = store.read(|tx| reference::current_list(tx, kind))?;
    Ok(Proposal {
        diff: list_update::diff(&current, &list),
        current: current.version(),
        list,
    })
}

/// Puts a new version in force, approved by `order`; returns its id. The versions already
/// stored stay as they are, with the applications filed under them.
pub fn put_in_force(
    store: &mut Store,
    session: &Session,
    now: NaiveDateTime,
    list: &ReferenceList,
    order: &ApprovingOrder,
) -> Result<i64> {
    session.require(Action::ManageReferenceLists)?;
    let mut list = list.clone();
    list.approve(&ApprovingOrder {
        title: order.approved_by(),
        ..order.clone()
    });
    list.validate().map_err(RuleError::from)?;
    store.write(|tx| {
        let (_, current) = reference::current_list(tx, list.kind())?;
        order
            .check(Some(current.version()), now.date())
            .map_err(RuleError::from)?;
        let diff = list_update::diff(&current, &list);
        let id = reference::add_version(tx, &list, now)?;
        audit(
            tx,
            session,
            now,
            "load_reference_list",
            &format!("reference_list:{id}"),
            &format!(
                "{} {} (№ {}): {} entries; {} added, {} removed, {} changed",
                list.kind().code(),
                list.version(),
                order.number.trim(),
                list.entries().len(),
                diff.added.len(),
                diff.removed.len(),
                diff.changed.len()
            ),
        )?;
        Ok(id)
    })
}
