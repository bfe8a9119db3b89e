//! The four kinds ("subtypes") of the service (A2, SPEC §2).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The kind of an application (A2, the subtypes of the service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// Выдача: the first certificate.
    Issue,
    /// Продление: the employment contract is signed (R§16–17).
    Extend,
    /// Переоформление: change of name, identity document or employer (R§19, R§22).
    Reissue,
    /// Дубликат: the certificate is lost or damaged (R§22-1).
    Duplicate,
}

impl ApplicationKind {
    pub const ALL: [Self; 4] = [Self::Issue, Self::Extend, Self::Reissue, Self::Duplicate];

    /// The code used on the command line, in files and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Self::Issue => "issue",
            Self::Extend => "extend",
            Self::Reissue => "reissue",
            Self::Duplicate => "duplicate",
        }
    }
}

impl fmt::Display for ApplicationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text is not one of the four kinds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown application kind '{0}': expected issue, extend, reissue or duplicate")]
pub struct UnknownKind(pub String);

impl FromStr for ApplicationKind {
    type Err = UnknownKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.code() == s)
            .ok_or_else(|| UnknownKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        // A2: the four subtypes of the service.
        for kind in ApplicationKind::ALL {
            assert_eq!(kind.code().parse::<ApplicationKind>(), Ok(kind));
        }
        assert!("renew".parse::<ApplicationKind>().is_err());
    }
}
