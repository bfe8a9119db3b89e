//! How long a certificate is valid (R§15, R§16; SPEC §6 "Decision (validity)").
//!
//! Issue: at most 3 months (R§15), through the day before the same calendar date three months
//! later; where that date does not exist, through the last day of that month. Extension: until
//! the end of the employment contract, at most 3 years (R§16), the bound counted the same way with
//! 36 months.

use chrono::{Datelike, Days, Months, NaiveDate};

/// R§15: an issued certificate is valid for at most 3 months.
pub const ISSUE_MONTHS: u32 = 3;
/// R§16: an extension lasts at most 3 years.
pub const EXTEND_MONTHS: u32 = 36;

/// The last day of a validity of `months` months that starts on `from` (SPEC §6).
pub fn latest_valid_to(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    let first_of_month = from.with_day(1)?;
    let target_month_start = first_of_month.checked_add_months(Months::new(months))?;
    match target_month_start.with_day(from.day()) {
        // The same calendar date exists: valid through the day before it.
        Some(same_date) => same_date.checked_sub_days(Days::new(1)),
        // It does not (30 November + 3 months): through the last day of that month.
        None => target_month_start
            .checked_add_months(Months::new(1))?
            .checked_sub_days(Days::new(1)),
    }
}

/// The validity of a newly issued certificate: R§15.
pub fn issue_valid_to(from: NaiveDate) -> Option<NaiveDate> {
    latest_valid_to(from, ISSUE_MONTHS)
}

/// The contract ends before the extension would start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the employment contract ends ({contract_end}) before the extension starts ({from})")]
pub struct ContractEndsBeforeStart {
    pub from: NaiveDate,
    pub contract_end: NaiveDate,
}

/// The validity of an extension: the contract's end, at most 3 years (R§16).
pub fn extend_valid_to(
    from: NaiveDate,
    contract_end: NaiveDate,
) -> Result<NaiveDate, ContractEndsBeforeStart> {
    if contract_end < from {
        return Err(ContractEndsBeforeStart { from, contract_end });
    }
    Ok(latest_valid_to(from, EXTEND_MONTHS).map_or(contract_end, |bound| bound.min(contract_end)))
}

/// One extension of a certificate (R§16): the day it was decided and the end it set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extension {
    pub decided_on: NaiveDate,
    pub valid_to: NaiveDate,
}

/// What the paper of a certificate says of its basis and its period (Appendix 3: «Основание
/// для выдачи справки», «Срок действия справки: с … по …»).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedTerm {
    pub basis: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// The basis and the period printed on a certificate (R§15, R§16). **Decision:** R§16 has the
/// akimat «продлевает справку на срок действия трудового договора, но не более 3 лет»: an
/// extended certificate keeps its number and prints the term in force, from the day of the
/// latest extension to its end (so the paper never shows more than the 3 years R§16 allows),
/// and the basis names that extension, how many there were, and the original issue with its
/// own basis. A certificate never extended prints its own basis and validity.
pub fn printed_term(
    issued_on: NaiveDate,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
    basis: &str,
    extensions: &[Extension],
) -> PrintedTerm {
    let Some(last) = extensions.iter().max_by_key(|e| e.decided_on) else {
        return PrintedTerm {
            basis: basis.to_string(),
            from: valid_from,
            to: valid_to,
        };
    };
    let count = if extensions.len() > 1 {
        format!(" (продлений: {})", extensions.len())
    } else {
        String::new()
    };
    PrintedTerm {
        basis: format!(
            "продление справки на срок действия трудового договора (пункт 16 Правил), решение от {}{count}; справка выдана {} на основании: {}",
            last.decided_on.format("%d.%m.%Y"),
            issued_on.format("%d.%m.%Y"),
            basis.trim()
        ),
        from: last.decided_on,
        to: valid_to,
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::tests::d;
    use super::*;

    #[test]
    fn three_months_through_the_day_before() {
        // R§15, SPEC §6: from 1 April through 30 June; from 15 January through 14 April.
        assert_eq!(issue_valid_to(d("2026-04-01")), Some(d("2026-06-30")));
        assert_eq!(issue_valid_to(d("2026-01-15")), Some(d("2026-04-14")));
        assert_eq!(issue_valid_to(d("2026-10-01")), Some(d("2026-12-31")));
        assert_eq!(issue_valid_to(d("2026-11-22")), Some(d("2027-02-21")));
    }

    #[test]
    fn month_end_when_the_date_does_not_exist() {
        // SPEC §6: from 30 November through 28/29 February.
        assert_eq!(issue_valid_to(d("2026-11-30")), Some(d("2027-02-28")));
        assert_eq!(issue_valid_to(d("2027-11-30")), Some(d("2028-02-29")));
        assert_eq!(issue_valid_to(d("2026-11-29")), Some(d("2027-02-28")));
        assert_eq!(issue_valid_to(d("2026-11-28")), Some(d("2027-02-27")));
        // 31 March + 3 months: 31 June does not exist, through 30 June.
        assert_eq!(issue_valid_to(d("2026-03-31")), Some(d("2026-06-30")));
        // 31 December: 31 March exists, through 30 March.
        assert_eq!(issue_valid_to(d("2026-12-31")), Some(d("2027-03-30")));
    }

    #[test]
    fn extension_until_the_contract_end_at_most_three_years() {
        // R§16, SPEC §6: the contract's end, bounded by 36 months counted the same way.
        assert_eq!(
            extend_valid_to(d("2026-03-01"), d("2027-02-15")),
            Ok(d("2027-02-15"))
        );
        assert_eq!(
            extend_valid_to(d("2026-03-01"), d("2031-01-01")),
            Ok(d("2029-02-28"))
        );
        // 29 February 2028 + 36 months: 29 February 2031 does not exist.
        assert_eq!(
            extend_valid_to(d("2028-02-29"), d("2035-01-01")),
            Ok(d("2031-02-28"))
        );
        assert!(extend_valid_to(d("2026-03-01"), d("2026-02-28")).is_err());
    }

    #[test]
    fn an_extended_certificate_prints_its_extension_and_the_term_in_force() {
        // R§16; issue 14: extended four times, it printed its original basis and «с 14 июля
        // 2023 по 30 июня 2028» with nothing showing the extensions.
        let issued = d("2023-07-14");
        let basis = "Рекомендация комиссии, протокол № 1 от 12.07.2023";
        let plain = printed_term(issued, issued, d("2023-10-13"), basis, &[]);
        assert_eq!(plain.basis, basis);
        assert_eq!((plain.from, plain.to), (issued, d("2023-10-13")));
        let extensions = [
            Extension {
                decided_on: d("2023-10-10"),
                valid_to: d("2024-10-09"),
            },
            Extension {
                decided_on: d("2024-10-01"),
                valid_to: d("2025-09-30"),
            },
            Extension {
                decided_on: d("2025-09-25"),
                valid_to: d("2026-09-24"),
            },
            Extension {
                decided_on: d("2026-09-20"),
                valid_to: d("2028-06-30"),
            },
        ];
        let term = printed_term(issued, issued, d("2028-06-30"), basis, &extensions);
        assert_eq!((term.from, term.to), (d("2026-09-20"), d("2028-06-30")));
        assert_eq!(
            term.basis,
            "продление справки на срок действия трудового договора (пункт 16 Правил), решение от 20.09.2026 (продлений: 4); справка выдана 14.07.2023 на основании: Рекомендация комиссии, протокол № 1 от 12.07.2023"
        );
        // R§16: the printed period is within the 3 years an extension may last.
        assert!(latest_valid_to(term.from, EXTEND_MONTHS).is_some_and(|bound| term.to <= bound));
    }
}
