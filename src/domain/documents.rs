//! The documents required for each kind of application (A2.8; SPEC §2).

use serde::{Deserialize, Serialize};

use super::kind::ApplicationKind;

/// An item of the A2.8 checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// The application (Appendix 1).
    Application,
    /// Electronic copy of the identity document.
    IdentityDocument,
    /// Notarised translation of education documents that passed recognition or nostrification,
    /// or of a certificate for teaching English.
    EducationOrEnglishCertificate,
    /// Notarised copy of a document confirming work activity, with its translation.
    WorkActivity,
    /// The certificate issued earlier.
    PreviousCertificate,
    /// Copy of the employment contract (for extension; for reissue on change of employer, the new one).
    EmploymentContract,
    /// Copy of the document with the changed name or identity-document number/series.
    ChangedIdentityDocument,
}

/// Why a reissue is requested (R§19, R§22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReissueReason {
    NameChanged,
    IdentityDocumentChanged,
    EmployerChanged,
}

impl DocumentType {
    pub fn code(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::IdentityDocument => "identity_document",
            Self::EducationOrEnglishCertificate => "education_or_english_certificate",
            Self::WorkActivity => "work_activity",
            Self::PreviousCertificate => "previous_certificate",
            Self::EmploymentContract => "employment_contract",
            Self::ChangedIdentityDocument => "changed_identity_document",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Self::Application,
            Self::IdentityDocument,
            Self::EducationOrEnglishCertificate,
            Self::WorkActivity,
            Self::PreviousCertificate,
            Self::EmploymentContract,
            Self::ChangedIdentityDocument,
        ]
        .into_iter()
        .find(|t| t.code() == code)
    }
}

/// The checklist of `kind` (A2.8). For a reissue the list depends on the reason: the order's
/// A2.8.3 names the document with the changed name or identity document; for a change of
/// employer (R§19, R§22) SPEC §2 asks for the new employment contract instead.
pub fn required_documents(
    kind: ApplicationKind,
    reissue: Option<ReissueReason>,
) -> Vec<DocumentType> {
    use DocumentType as D;
    match kind {
        // A2.8.1
        ApplicationKind::Issue => {
            vec![
                D::Application,
                D::IdentityDocument,
                D::EducationOrEnglishCertificate,
                D::WorkActivity,
            ]
        }
        // A2.8.2
        ApplicationKind::Extend => vec![
            D::Application,
            D::PreviousCertificate,
            D::EmploymentContract,
        ],
        // A2.8.3, R§22
        ApplicationKind::Reissue => match reissue {
            Some(ReissueReason::EmployerChanged) => vec![D::Application, D::EmploymentContract],
            _ => vec![D::Application, D::ChangedIdentityDocument],
        },
        // A2.8.4
        ApplicationKind::Duplicate => vec![D::Application, D::IdentityDocument, D::WorkActivity],
    }
}

/// The employer (name and BIN/IIN) is required for an extension and for a reissue on change of
/// employer (Appendix 1, SPEC §2).
pub fn employer_required(kind: ApplicationKind, reissue: Option<ReissueReason>) -> bool {
    kind == ApplicationKind::Extend
        || (kind == ApplicationKind::Reissue && reissue == Some(ReissueReason::EmployerChanged))
}

/// The ground of R§22 that a change of the holder's data is: a changed surname, given name or
/// patronymic, or a changed identity document (type, series, number). Anything else (address,
/// phone, a typing error in the IIN) is not a reissue ground.
pub fn reissue_ground(
    before: &super::forms::ApplicantInput,
    after: &super::forms::ApplicantInput,
) -> Option<ReissueReason> {
    let same = |a: &str, b: &str| a.trim() == b.trim();
    if !same(&before.surname, &after.surname)
        || !same(&before.given_name, &after.given_name)
        || !same(&before.patronymic, &after.patronymic)
    {
        Some(ReissueReason::NameChanged)
    } else if !same(&before.doc_type, &after.doc_type)
        || !same(&before.doc_series, &after.doc_series)
        || !same(&before.doc_number, &after.doc_number)
    {
        Some(ReissueReason::IdentityDocumentChanged)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DocumentType as D;

    #[test]
    fn a_changed_name_or_document_is_a_reissue_ground() {
        use crate::domain::forms::ApplicantInput;
        let before = ApplicantInput {
            surname: "Сидоров".into(),
            doc_number: "1234567".into(),
            phone: "+7 701 000 00 00".into(),
            ..ApplicantInput::default()
        };
        // R§22: a change of name, of the identity document's number or series.
        let renamed = ApplicantInput {
            surname: "Сидорова".into(),
            ..before.clone()
        };
        assert_eq!(
            reissue_ground(&before, &renamed),
            Some(ReissueReason::NameChanged)
        );
        let new_document = ApplicantInput {
            doc_number: "7654321".into(),
            ..before.clone()
        };
        assert_eq!(
            reissue_ground(&before, &new_document),
            Some(ReissueReason::IdentityDocumentChanged)
        );
        // A new phone is no ground; spaces around a name change nothing.
        let phoned = ApplicantInput {
            phone: "+7 702 111 11 11".into(),
            surname: " Сидоров ".into(),
            ..before.clone()
        };
        assert_eq!(reissue_ground(&before, &phoned), None);
    }

    #[test]
    fn checklists_of_a2_8() {
        // A2.8.1: four documents for issue.
        assert_eq!(required_documents(ApplicationKind::Issue, None).len(), 4);
        // A2.8.2: the certificate issued earlier and the employment contract for extension.
        assert_eq!(
            required_documents(ApplicationKind::Extend, None),
            vec![
                D::Application,
                D::PreviousCertificate,
                D::EmploymentContract
            ]
        );
        // A2.8.3: the changed document for reissue; SPEC §2: the new contract on change of employer.
        assert!(
            required_documents(ApplicationKind::Reissue, Some(ReissueReason::NameChanged))
                .contains(&D::ChangedIdentityDocument)
        );
        assert!(
            required_documents(
                ApplicationKind::Reissue,
                Some(ReissueReason::EmployerChanged)
            )
            .contains(&D::EmploymentContract)
        );
        // A2.8.4: identity document and work activity for a duplicate.
        assert_eq!(
            required_documents(ApplicationKind::Duplicate, None),
            vec![D::Application, D::IdentityDocument, D::WorkActivity]
        );
    }

    #[test]
    fn employer_needed_for_extension_and_change_of_employer() {
        // Appendix 1: "Сведения о работодателе (при продлении справки)"; R§19.
        assert!(employer_required(ApplicationKind::Extend, None));
        assert!(employer_required(
            ApplicationKind::Reissue,
            Some(ReissueReason::EmployerChanged)
        ));
        assert!(!employer_required(
            ApplicationKind::Reissue,
            Some(ReissueReason::NameChanged)
        ));
        assert!(!employer_required(ApplicationKind::Issue, None));
    }

    #[test]
    fn codes_round_trip() {
        for kind in ApplicationKind::ALL {
            for doc in required_documents(kind, Some(ReissueReason::EmployerChanged)) {
                assert_eq!(DocumentType::from_code(doc.code()), Some(doc));
            }
        }
    }
}
