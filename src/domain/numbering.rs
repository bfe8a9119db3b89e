//! Certificate numbers from the body's pattern (SPEC §6: unique per body, never reused), and
//! application numbers.

use std::fmt::Write;

use chrono::NaiveDate;

/// A pattern that cannot make a number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("the number pattern must contain {{seq}} or {{seq:0N}}")]
    NoSequence,
    #[error(
        "unknown placeholder '{{{0}}}' in the number pattern: use {{seq}}, {{seq:0N}} or {{year}}"
    )]
    Unknown(String),
    #[error("unclosed '{{' in the number pattern")]
    Unclosed,
}

/// An application's number: the year of registration and the application's id,
/// `2026-000123`.
pub fn application_number(registered_on: NaiveDate, id: i64) -> String {
    format!("{}-{id:06}", registered_on.format("%Y"))
}

/// The number for sequence value `seq` in `year`, from a pattern such as `{seq:05}/{year}`.
pub fn format_number(pattern: &str, seq: u64, year: i32) -> Result<String, PatternError> {
    let mut out = String::new();
    let mut rest = pattern;
    let mut has_seq = false;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            return Err(PatternError::Unclosed);
        };
        let placeholder = &rest[open + 1..open + close];
        match placeholder {
            "seq" => {
                out.push_str(&seq.to_string());
                has_seq = true;
            }
            "year" => out.push_str(&year.to_string()),
            _ => {
                let width = placeholder
                    .strip_prefix("seq:0")
                    .and_then(|w| w.parse::<usize>().ok())
                    .filter(|w| (1..=12).contains(w))
                    .ok_or_else(|| PatternError::Unknown(placeholder.to_string()))?;
                let _ = write!(out, "{seq:0width$}");
                has_seq = true;
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    if has_seq {
        Ok(out)
    } else {
        Err(PatternError::NoSequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        // SPEC §6: the number comes from the body's pattern.
        assert_eq!(
            format_number("{seq:05}/{year}", 12, 2026),
            Ok("00012/2026".into())
        );
        assert_eq!(
            format_number("АЛ-{year}-{seq}", 7, 2027),
            Ok("АЛ-2027-7".into())
        );
        assert_eq!(
            format_number("{year}", 7, 2027),
            Err(PatternError::NoSequence)
        );
        assert!(format_number("{seqq}", 7, 2027).is_err());
        assert!(format_number("{seq", 7, 2027).is_err());
    }
}
