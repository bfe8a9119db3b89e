//! An application's way through its statuses (SPEC §3), shared by the use cases that move it.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Session};
use crate::domain::deadline;
use crate::domain::status::ApplicationEvent;
use crate::store::Tx;
use crate::store::applications::{self, ApplicationRecord};

/// The deadline of the step the application is at (SPEC §3), or none once it is closed.
pub(crate) fn next_deadline(app: &ApplicationRecord) -> Option<NaiveDate> {
    deadline::current_deadline(
        app.kind,
        app.status,
        app.forward_by,
        app.commission_by,
        app.decision_by,
    )
}

/// Moves an application to its next status and writes status, next deadline and version.
pub(crate) fn transition(
    tx: &Tx<'_>,
    session: &Session,
    now: NaiveDateTime,
    app: &mut ApplicationRecord,
    event: ApplicationEvent,
) -> Result<()> {
    app.status = app.status.apply(app.kind, event)?;
    app.next_deadline = next_deadline(app);
    let closed = app.status.is_final().then(|| now.date());
    applications::write_status(tx, app, closed, session.user_id, now)?;
    app.row_version += 1;
    Ok(())
}
