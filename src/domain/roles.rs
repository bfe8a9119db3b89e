//! Who may do what (SPEC §1, SPEC §10: only roles that need personal data see it).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Сотрудник МИО: intake, checklist, forwarding, decision, printing, the certificate's life.
    Officer,
    /// Secretary of the commission: meetings, attendance, scores, recommendations, protocol.
    Secretary,
    /// Member of the commission: the shared screen only.
    Member,
    /// Head or deputy of the body, whose name stands on the certificate.
    Signatory,
    /// Users, requisites, reference lists, calendar, backups. Sees no applicant's file.
    Admin,
}

/// An action that a role may or may not take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Open an applicant's file with identity numbers and contacts (SPEC §10).
    ViewPersonalData,
    /// The registry list and search (names and numbers).
    ViewRegistry,
    RegisterApplication,
    EditApplication,
    ManageDocuments,
    ForwardToCommission,
    ManageCommission,
    Score,
    Recommend,
    /// The shared screen of the commission, with identity numbers masked.
    ViewSharedScreen,
    Decide,
    IssueCertificate,
    CertificateLifecycle,
    Print,
    Complaints,
    ManageUsers,
    ManageBody,
    ManageCalendar,
    ManageReferenceLists,
    Backup,
    ViewAudit,
    /// The report for a period: aggregates only, no personal data.
    ViewReports,
    /// Sign the certificate or the refusal with EDS (R§13): the signatory only.
    SignElectronically,
}

impl Role {
    pub const ALL: [Self; 5] = [
        Self::Officer,
        Self::Secretary,
        Self::Member,
        Self::Signatory,
        Self::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Officer => "officer",
            Self::Secretary => "secretary",
            Self::Member => "member",
            Self::Signatory => "signatory",
            Self::Admin => "admin",
        }
    }

    /// The table of SPEC §1.
    pub fn may(self, action: Action) -> bool {
        use Action as A;
        match self {
            Self::Officer => matches!(
                action,
                A::ViewPersonalData
                    | A::ViewRegistry
                    | A::RegisterApplication
                    | A::EditApplication
                    | A::ManageDocuments
                    | A::ForwardToCommission
                    | A::Decide
                    | A::IssueCertificate
                    | A::CertificateLifecycle
                    | A::Print
                    | A::Complaints
                    | A::ViewReports
            ),
            Self::Secretary => matches!(
                action,
                A::ViewPersonalData
                    | A::ViewRegistry
                    | A::ManageCommission
                    | A::Score
                    | A::Recommend
                    | A::ViewSharedScreen
                    | A::Print
            ),
            Self::Member => matches!(action, A::ViewSharedScreen),
            Self::Signatory => {
                matches!(
                    action,
                    A::ViewPersonalData
                        | A::ViewRegistry
                        | A::Decide
                        | A::Print
                        | A::ViewAudit
                        | A::ViewReports
                        | A::SignElectronically
                )
            }
            Self::Admin => matches!(
                action,
                A::ManageUsers
                    | A::ManageBody
                    | A::ManageCalendar
                    | A::ManageReferenceLists
                    | A::Backup
                    | A::ViewAudit
                    | A::ViewReports
            ),
        }
    }
}

/// Whether a change of one user's roles or status leaves the body an active administrator:
/// the last one cannot take the role from themself or be switched off, or nobody could manage
/// users, backups and the calendar any more (SPEC §1).
pub fn keeps_an_administrator(stays_admin: bool, other_active_admins: i64) -> bool {
    stays_admin || other_active_admins > 0
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}': expected officer, secretary, member, signatory or admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_only_for_roles_that_need_it() {
        // SPEC §10: only users with a role see personal data; members see the masked screen.
        assert!(Role::Officer.may(Action::ViewPersonalData));
        assert!(!Role::Member.may(Action::ViewPersonalData));
        assert!(!Role::Admin.may(Action::ViewPersonalData));
        assert!(Role::Member.may(Action::ViewSharedScreen));
    }

    #[test]
    fn duties_of_spec_1() {
        // SPEC §1: the officer registers and decides; the secretary scores; the admin manages users.
        assert!(Role::Officer.may(Action::RegisterApplication));
        assert!(!Role::Secretary.may(Action::RegisterApplication));
        assert!(Role::Secretary.may(Action::Score));
        assert!(!Role::Officer.may(Action::Score));
        assert!(Role::Admin.may(Action::ManageUsers));
        assert!(!Role::Officer.may(Action::ManageUsers));
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn audit_log_for_the_administrator_and_the_signatory() {
        // Issue 15: the administrator, and the signatory for their body's records.
        assert!(Role::Admin.may(Action::ViewAudit));
        assert!(Role::Signatory.may(Action::ViewAudit));
        for role in [Role::Officer, Role::Secretary, Role::Member] {
            assert!(!role.may(Action::ViewAudit));
        }
    }

    #[test]
    fn the_last_administrator_stays() {
        // SPEC §1: the administrator manages users; the last one cannot leave.
        assert!(keeps_an_administrator(true, 0));
        assert!(keeps_an_administrator(false, 1));
        assert!(!keeps_an_administrator(false, 0));
    }
}
