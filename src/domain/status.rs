//! The states of an application and of a certificate, and the events that move them.
//!
//! An illegal transition is an error value ([`TransitionError`]), never a panic. The tables are
//! [`ApplicationStatus::apply`] and [`CertificateStatus::apply`]; nothing else decides them.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::kind::ApplicationKind;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Registered; documents being checked (A2.7, R§7).
    Registered,
    /// A document of the A2.8 checklist is missing.
    DocumentsIncomplete,
    /// Forwarded to the commission (R§7); the commission assesses it (R§9).
    WithCommission,
    /// The commission has given its recommendation (R§9).
    Recommended,
    /// The akimat issued, extended, reissued or duplicated the certificate (R§11, R§16, R§22, R§22-1).
    Issued,
    /// The akimat refused on a ground of A2.9 (R§11, R§12).
    Refused,
    /// The applicant withdrew the application.
    Withdrawn,
}

/// What happens to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationEvent {
    /// The checklist has a missing document (A2.8).
    ChecklistIncomplete,
    /// The missing documents arrived (A2.8).
    ChecklistComplete,
    /// The officer forwards the documents to the commission (R§7; kind issue only).
    ForwardToCommission,
    /// The commission recommends issue or refusal (R§9).
    Recommend,
    /// The akimat decides to issue (R§11) or to extend, reissue, duplicate (R§16, R§22, R§22-1).
    DecideIssue,
    /// The akimat refuses with a ground (R§11, R§12, A2.9).
    DecideRefuse,
    /// The applicant withdraws.
    Withdraw,
}

/// The event is not allowed in the current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{event} is not allowed for {subject} in status {from}")]
pub struct TransitionError {
    pub subject: String,
    pub from: String,
    pub event: String,
}

impl ApplicationStatus {
    pub const ALL: [Self; 7] = [
        Self::Registered,
        Self::DocumentsIncomplete,
        Self::WithCommission,
        Self::Recommended,
        Self::Issued,
        Self::Refused,
        Self::Withdrawn,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Registered => "registered",
            Self::DocumentsIncomplete => "documents_incomplete",
            Self::WithCommission => "with_commission",
            Self::Recommended => "recommended",
            Self::Issued => "issued",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The service is over: no deadline runs.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Issued | Self::Refused | Self::Withdrawn)
    }

    /// The officer may still correct the application's data (a typing error, a changed phone).
    ///
    /// Until the akimat decides (R§11, R§16, R§22, R§22-1) the application is a request that
    /// the body is still examining, so its data may be corrected, with the reason recorded.
    /// Once decided (issued or refused) the decision stands on the data it was taken on: a
    /// change of the holder's name, identity document or employer is then a reissue (R§22), an
    /// extension a new application (R§16–17); a withdrawn application is closed.
    pub fn is_correctable(self) -> bool {
        !self.is_final()
    }

    /// The state after `event`, for an application of `kind`.
    ///
    /// Only an application for issue goes through the commission (R§7, R§9, R§11); extension,
    /// reissue and duplicate are decided by the body itself (R§16, R§22, R§22-1).
    pub fn apply(
        self,
        kind: ApplicationKind,
        event: ApplicationEvent,
    ) -> Result<Self, TransitionError> {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        let commission = kind == ApplicationKind::Issue;
        let next = match (self, event) {
            (S::Registered, E::ChecklistIncomplete) => Some(S::DocumentsIncomplete),
            (S::DocumentsIncomplete, E::ChecklistComplete) => Some(S::Registered),
            (S::Registered, E::ForwardToCommission) if commission => Some(S::WithCommission), // R§7
            (S::WithCommission, E::Recommend) => Some(S::Recommended),                        // R§9
            (S::Recommended, E::DecideIssue | E::DecideRefuse) if commission => {
                Some(if event == E::DecideIssue {
                    S::Issued
                } else {
                    S::Refused
                }) // R§11
            }
            (S::Registered, E::DecideIssue) if !commission => Some(S::Issued), // R§16, R§22, R§22-1
            // A2.9.3 (unreliable documents) can end any kind before the commission.
            (S::Registered | S::DocumentsIncomplete, E::DecideRefuse) => Some(S::Refused),
            (
                S::Registered | S::DocumentsIncomplete | S::WithCommission | S::Recommended,
                E::Withdraw,
            ) => Some(S::Withdrawn),
            _ => None,
        };
        next.ok_or_else(|| TransitionError {
            subject: format!("an application ({kind})"),
            from: self.to_string(),
            event: event.to_string(),
        })
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for ApplicationEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::ChecklistIncomplete => "marking documents incomplete",
            Self::ChecklistComplete => "marking documents complete",
            Self::ForwardToCommission => "forwarding to the commission",
            Self::Recommend => "a recommendation",
            Self::DecideIssue => "a decision to issue",
            Self::DecideRefuse => "a decision to refuse",
            Self::Withdraw => "withdrawal",
        })
    }
}

/// Where a certificate stands (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    /// The validity ran out (R§23.1).
    Expired,
    /// Reissued with a new number (R§22); points to the new certificate.
    Superseded,
    /// Revoked on an act of a control body (R§21, R§23.2).
    Revoked,
}

/// What happens to a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateEvent {
    /// A new validity on the same holder and profession (R§16–17).
    Extend,
    /// A duplicate of a lost or damaged certificate (R§22-1).
    Duplicate,
    /// Reissued with a new number (R§22).
    Reissue,
    /// The validity ran out (R§23.1).
    Expire,
    /// An act of a state control body (R§21).
    Revoke,
    /// A notice of change of employer (R§18) or of the end of the contract (R§20).
    Notice,
}

impl CertificateStatus {
    pub const ALL: [Self; 4] = [Self::Valid, Self::Expired, Self::Superseded, Self::Revoked];

    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expired => "expired",
            Self::Superseded => "superseded",
            Self::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state after `event`. Only a valid certificate can be extended, duplicated, reissued,
    /// revoked or receive a notice; expiry, supersession and revocation end it (R§23).
    pub fn apply(self, event: CertificateEvent) -> Result<Self, TransitionError> {
        use CertificateEvent as E;
        use CertificateStatus as S;
        let next = match (self, event) {
            (S::Valid, E::Extend | E::Duplicate | E::Notice) => Some(S::Valid), // R§16, R§22-1, R§18, R§20
            (S::Valid, E::Reissue) => Some(S::Superseded),                      // R§22
            (S::Valid, E::Expire) => Some(S::Expired),                          // R§23.1
            (S::Valid, E::Revoke) => Some(S::Revoked),                          // R§21, R§23.2
            _ => None,
        };
        next.ok_or_else(|| TransitionError {
            subject: "a certificate".into(),
            from: self.code().into(),
            event: format!("{event:?}").to_lowercase(),
        })
    }
}

impl fmt::Display for CertificateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationEvent as E;
    use ApplicationKind as K;
    use ApplicationStatus as S;

    #[test]
    fn issue_goes_through_the_commission() {
        // R§7, R§9, R§11: registered → with commission → recommended → issued or refused.
        let s = S::Registered.apply(K::Issue, E::ForwardToCommission);
        assert_eq!(s, Ok(S::WithCommission));
        assert_eq!(
            S::WithCommission.apply(K::Issue, E::Recommend),
            Ok(S::Recommended)
        );
        assert_eq!(
            S::Recommended.apply(K::Issue, E::DecideIssue),
            Ok(S::Issued)
        );
        assert_eq!(
            S::Recommended.apply(K::Issue, E::DecideRefuse),
            Ok(S::Refused)
        );
        // R§11: the akimat decides on the commission's recommendation, not before.
        assert!(S::Registered.apply(K::Issue, E::DecideIssue).is_err());
        assert!(S::WithCommission.apply(K::Issue, E::DecideIssue).is_err());
    }

    #[test]
    fn other_kinds_are_decided_by_the_body() {
        // R§16, R§22, R§22-1: no commission.
        for kind in [K::Extend, K::Reissue, K::Duplicate] {
            assert!(S::Registered.apply(kind, E::ForwardToCommission).is_err());
            assert_eq!(S::Registered.apply(kind, E::DecideIssue), Ok(S::Issued));
            assert_eq!(S::Registered.apply(kind, E::DecideRefuse), Ok(S::Refused));
        }
    }

    #[test]
    fn checklist_and_withdrawal() {
        // A2.8: a missing document holds the application until it arrives.
        assert_eq!(
            S::Registered.apply(K::Issue, E::ChecklistIncomplete),
            Ok(S::DocumentsIncomplete)
        );
        assert!(
            S::DocumentsIncomplete
                .apply(K::Issue, E::ForwardToCommission)
                .is_err()
        );
        assert_eq!(
            S::DocumentsIncomplete.apply(K::Issue, E::ChecklistComplete),
            Ok(S::Registered)
        );
        assert_eq!(
            S::WithCommission.apply(K::Issue, E::Withdraw),
            Ok(S::Withdrawn)
        );
    }

    #[test]
    fn final_states_accept_nothing() {
        for status in [S::Issued, S::Refused, S::Withdrawn] {
            assert!(status.is_final());
            for event in [
                E::ChecklistIncomplete,
                E::ForwardToCommission,
                E::DecideIssue,
                E::Withdraw,
            ] {
                let err = status.apply(K::Issue, event);
                assert!(err.is_err(), "{status} {event}");
            }
        }
        let err = S::Issued
            .apply(K::Issue, E::Withdraw)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("withdrawal is not allowed for an application (issue) in status issued")
        );
    }

    #[test]
    fn data_is_corrected_only_before_the_decision() {
        // R§11, R§16, R§22, R§22-1: corrections until the decision; after it only a reissue (R§22).
        for status in [
            S::Registered,
            S::DocumentsIncomplete,
            S::WithCommission,
            S::Recommended,
        ] {
            assert!(status.is_correctable(), "{status}");
        }
        for status in [S::Issued, S::Refused, S::Withdrawn] {
            assert!(!status.is_correctable(), "{status}");
        }
    }

    #[test]
    fn certificate_lifecycle() {
        use CertificateEvent as C;
        use CertificateStatus as V;
        // R§16, R§22-1, R§18, R§20: a valid certificate stays valid.
        assert_eq!(V::Valid.apply(C::Extend), Ok(V::Valid));
        assert_eq!(V::Valid.apply(C::Duplicate), Ok(V::Valid));
        // R§22: reissue supersedes; R§21: revocation; R§23.1: expiry.
        assert_eq!(V::Valid.apply(C::Reissue), Ok(V::Superseded));
        assert_eq!(V::Valid.apply(C::Revoke), Ok(V::Revoked));
        assert_eq!(V::Valid.apply(C::Expire), Ok(V::Expired));
        // R§23: an ended certificate cannot be extended or revoked again.
        for ended in [V::Expired, V::Superseded, V::Revoked] {
            assert!(ended.apply(C::Extend).is_err());
            assert!(ended.apply(C::Revoke).is_err());
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        for s in CertificateStatus::ALL {
            assert_eq!(CertificateStatus::from_code(s.code()), Some(s));
        }
    }
}
