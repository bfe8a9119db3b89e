//! The rules of Order No. 236: pure code, no egui, no SQL, no clock. "Today" and the calendar
//! are arguments. Every rule cites its paragraph (`R§n` of the Rules, `A2.n` of Appendix 2).

pub mod calendar;
pub mod country;
pub mod deadline;
pub mod documents;
pub mod eds;
pub mod forms;
pub mod ident;
pub mod kind;
pub mod list_update;
pub mod numbering;
pub mod password;
pub mod reference;
pub mod refusal;
pub mod report;
pub mod revocation;
pub mod roles;
pub mod scoring;
pub mod sequence;
pub mod status;
pub mod validity;
pub mod verifier;

pub use calendar::{Calendar, DayInfo, DayReason, YearData};
pub use deadline::{Deadlines, Explain, Step, WorkingHours};
pub use kind::ApplicationKind;
pub use refusal::RefusalGround;
pub use scoring::{Scheme, Score, ScoreInput, WorkPeriod};
