//! IIN and BIN: the 12-digit identifiers of individuals and organisations (SPEC §8).

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

/// Why a number is not a valid IIN or BIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must be exactly 12 digits")]
    NotTwelveDigits,
    #[error("check digit cannot be computed (10 under both weight sets)")]
    Uncomputable,
    #[error("check digit does not match")]
    CheckDigit,
    #[error("digit 7 (century and sex) must be 1 to 6")]
    CenturySex,
    #[error("digits 1-6 are not a real birth date")]
    BirthDate,
    #[error("digits 3-4 (month of registration) must be 01 to 12")]
    Month,
    #[error("digit 5 (type) must be 4, 5 or 6")]
    EntityType,
    #[error("digit 6 (unit) must be 0 to 3")]
    Unit,
}

/// The 12 digits, if `text` is exactly 12 ASCII digits.
pub fn digits(text: &str) -> Result<[u8; 12], IdError> {
    let bytes = text.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdError::NotTwelveDigits);
    }
    let mut out = [0u8; 12];
    for (slot, byte) in out.iter_mut().zip(bytes) {
        *slot = byte - b'0';
    }
    Ok(out)
}

/// The check digit of SPEC §8: weights 1…11 mod 11; if 10, weights 3…11,1,2 mod 11; if 10
/// again, no check digit exists.
pub fn check_digit(first11: &[u8]) -> Option<u8> {
    const FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let weighted = |weights: &[u32; 11]| -> u32 {
        first11
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    let first = weighted(&FIRST);
    if first != 10 {
        return Some(first as u8);
    }
    let second = weighted(&SECOND);
    (second != 10).then_some(second as u8)
}

fn checked(text: &str) -> Result<[u8; 12], IdError> {
    let d = digits(text)?;
    match check_digit(&d[..11]) {
        None => Err(IdError::Uncomputable),
        Some(c) if c != d[11] => Err(IdError::CheckDigit),
        Some(_) => Ok(d),
    }
}

fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |acc, x| acc * 10 + u32::from(*x))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A valid IIN, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Iin {
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

/// Checks and decodes an IIN (SPEC §8).
pub fn parse_iin(text: &str) -> Result<Iin, IdError> {
    let d = checked(text)?;
    let (century, sex) = match d[6] {
        1 => (1800, Sex::Male),
        2 => (1800, Sex::Female),
        3 => (1900, Sex::Male),
        4 => (1900, Sex::Female),
        5 => (2000, Sex::Male),
        6 => (2000, Sex::Female),
        _ => return Err(IdError::CenturySex),
    };
    let year = century + number(&d[0..2]) as i32;
    let birth_date = NaiveDate::from_ymd_opt(year, number(&d[2..4]), number(&d[4..6]))
        .ok_or(IdError::BirthDate)?;
    Ok(Iin { birth_date, sex })
}

/// Digit 5 of a BIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    ResidentLegalEntity,
    NonResidentLegalEntity,
    IndividualEntrepreneur,
}

/// Digit 6 of a BIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    HeadOffice,
    Branch,
    RepresentativeOffice,
    JointFarm,
}

/// A valid BIN, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bin {
    /// Year and month of registration, as the first day of that month.
    pub registered: NaiveDate,
    pub entity_type: EntityType,
    pub unit: Unit,
}

/// Checks and decodes a BIN (SPEC §8). The two-digit year is read as 19YY from 50 up and as
/// 20YY below (BINs were introduced in the 2000s; older registrations were re-numbered).
pub fn parse_bin(text: &str) -> Result<Bin, IdError> {
    let d = checked(text)?;
    let yy = number(&d[0..2]) as i32;
    let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
    let registered = NaiveDate::from_ymd_opt(year, number(&d[2..4]), 1).ok_or(IdError::Month)?;
    let entity_type = match d[4] {
        4 => EntityType::ResidentLegalEntity,
        5 => EntityType::NonResidentLegalEntity,
        6 => EntityType::IndividualEntrepreneur,
        _ => return Err(IdError::EntityType),
    };
    let unit = match d[5] {
        0 => Unit::HeadOffice,
        1 => Unit::Branch,
        2 => Unit::RepresentativeOffice,
        3 => Unit::JointFarm,
        _ => return Err(IdError::Unit),
    };
    Ok(Bin {
        registered,
        entity_type,
        unit,
    })
}

/// An employer's identifier: a BIN, or the IIN of an individual employer (Appendix 1).
pub fn check_bin_or_iin(text: &str) -> Result<(), IdError> {
    match parse_bin(text) {
        Ok(_) => Ok(()),
        Err(bin_error) => parse_iin(text).map(|_| ()).map_err(|_| bin_error),
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Male => "male",
            Self::Female => "female",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::d;
    use super::*;

    #[test]
    fn valid_iins_of_spec_8() {
        // SPEC §8: valid examples, decoded.
        let a = parse_iin("871008401427").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            a,
            Iin {
                birth_date: d("1987-10-08"),
                sex: Sex::Female
            }
        );
        let b = parse_iin("760212350620").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            b,
            Iin {
                birth_date: d("1976-02-12"),
                sex: Sex::Male
            }
        );
        let c = parse_iin("061211600012").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            c,
            Iin {
                birth_date: d("2006-12-11"),
                sex: Sex::Female
            }
        );
    }

    #[test]
    fn invalid_iins_of_spec_8() {
        // SPEC §8: 821214240092 gives 10 under both weight sets; 871008401428 a wrong check digit.
        assert_eq!(parse_iin("821214240092"), Err(IdError::Uncomputable));
        assert_eq!(parse_iin("871008401428"), Err(IdError::CheckDigit));
        assert_eq!(parse_iin("87100840142"), Err(IdError::NotTwelveDigits));
        assert_eq!(parse_iin("87100840142a"), Err(IdError::NotTwelveDigits));
        assert_eq!(
            parse_iin("８７１００８４０１４２７"),
            Err(IdError::NotTwelveDigits)
        );
    }

    #[test]
    fn second_weight_set_is_used_when_the_first_gives_ten() {
        // SPEC §8: if the first sum mod 11 is 10, weights 3,4,…,11,1,2.
        let first11 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]; // first: 10; second: 1
        assert_eq!(check_digit(&first11), Some(1));
    }

    #[test]
    fn valid_bins_of_spec_8() {
        // SPEC §8: BIN 940140000385 and 070941024691.
        let a = parse_bin("940140000385").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.registered, d("1994-01-01"));
        assert_eq!(a.entity_type, EntityType::ResidentLegalEntity);
        assert_eq!(a.unit, Unit::HeadOffice);
        let b = parse_bin("070941024691").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.registered, d("2007-09-01"));
        assert_eq!(b.unit, Unit::Branch);
        assert_eq!(parse_bin("940140000386"), Err(IdError::CheckDigit));
    }

    #[test]
    fn an_employer_may_be_a_bin_or_an_iin() {
        // Appendix 1: the employer's BIN or IIN.
        assert_eq!(check_bin_or_iin("940140000385"), Ok(()));
        assert_eq!(check_bin_or_iin("871008401427"), Ok(()));
        assert!(check_bin_or_iin("871008401428").is_err());
    }
}
