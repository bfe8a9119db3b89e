//! `spravka rules`: the rules of the order from the command line, JSON on stdout.

use chrono::{NaiveDate, NaiveDateTime};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use crate::assets;
use crate::domain::calendar::Calendar;
use crate::domain::deadline::{WorkingHours, application_deadlines};
use crate::domain::ident::{self, IdError};
use crate::domain::kind::ApplicationKind;
use crate::domain::scoring::{self, ScoreInput, WorkPeriod};
use crate::domain::validity;

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Points of R§10 and the verdict against the threshold of A2.9.2.
    Score(ScoreArgs),
    /// Registration day and deadlines of an application (A2.7, R§7, R§11, R§16, R§22, R§22-1).
    Deadlines(DeadlinesArgs),
    /// The latest valid-to date of a certificate (R§15, R§16).
    Validity(ValidityArgs),
    /// Checks and decodes an IIN (individual identification number).
    Iin {
        #[arg(value_parser = parse_twelve_digits)]
        number: String,
    },
    /// Checks and decodes a BIN (business identification number).
    Bin {
        #[arg(value_parser = parse_twelve_digits)]
        number: String,
    },
    /// Whether a date is a working day, and why (SPEC §3).
    WorkingDay {
        #[arg(value_parser = parse_date)]
        date: NaiveDate,
    },
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Higher education in a specialty matching a priority-list profession (R§10.1).
    #[arg(long)]
    higher_education: bool,
    /// Academic degree in such a specialty (R§10.1).
    #[arg(long)]
    academic_degree: bool,
    /// Certificate for teaching English (R§10.1).
    #[arg(long)]
    english_certificate: bool,
    /// A work period in the specialty, both dates inclusive: YYYY-MM-DD..YYYY-MM-DD (R§10.2).
    #[arg(long = "experience", value_name = "FROM..TO", value_parser = parse_period)]
    experience: Vec<WorkPeriod>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Issue,
    Extend,
    Reissue,
    Duplicate,
}

impl From<KindArg> for ApplicationKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Issue => Self::Issue,
            KindArg::Extend => Self::Extend,
            KindArg::Reissue => Self::Reissue,
            KindArg::Duplicate => Self::Duplicate,
        }
    }
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    #[arg(long, value_enum)]
    kind: KindArg,
    /// Filing time, YYYY-MM-DDTHH:MM (local time of the body).
    #[arg(long, value_parser = parse_date_time)]
    filed: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ValidityKind {
    Issue,
    Extend,
}

#[derive(Debug, Args)]
pub struct ValidityArgs {
    #[arg(long, value_enum)]
    kind: ValidityKind,
    /// First day of validity, YYYY-MM-DD.
    #[arg(long, value_parser = parse_date)]
    from: NaiveDate,
    /// Last day of the employment contract, YYYY-MM-DD (required for --kind extend).
    #[arg(long, value_parser = parse_date)]
    contract_end: Option<NaiveDate>,
}

/// Input that parsed but makes no sense; the message is one line for stderr.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("--contract-end is required with --kind extend")]
    MissingContractEnd,
    #[error("--contract-end applies only to --kind extend")]
    UnexpectedContractEnd,
    #[error(transparent)]
    ContractEnd(#[from] validity::ContractEndsBeforeStart),
    #[error("no valid-to date exists for a certificate starting {0}")]
    OutOfRange(NaiveDate),
    #[error("the shipped data is damaged: {0}")]
    Assets(#[from] assets::AssetError),
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    if text.len() != 10 {
        return Err(format!("'{text}' is not a date in the form YYYY-MM-DD"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a real calendar date in the form YYYY-MM-DD"))
}

fn parse_date_time(text: &str) -> Result<NaiveDateTime, String> {
    if text.len() != 16 {
        return Err(format!(
            "'{text}' is not a time in the form YYYY-MM-DDTHH:MM"
        ));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|_| format!("'{text}' is not a real date and time in the form YYYY-MM-DDTHH:MM"))
}

fn parse_period(text: &str) -> Result<WorkPeriod, String> {
    let Some((from, to)) = text.split_once("..") else {
        return Err(format!(
            "'{text}' is not a period in the form YYYY-MM-DD..YYYY-MM-DD"
        ));
    };
    WorkPeriod::new(parse_date(from)?, parse_date(to)?).map_err(|e| e.to_string())
}

fn parse_twelve_digits(text: &str) -> Result<String, String> {
    match ident::digits(text) {
        Ok(_) => Ok(text.to_string()),
        Err(_) => Err(format!("'{text}' is not 12 digits")),
    }
}

fn calendar() -> Result<Calendar, RulesError> {
    Ok(Calendar::new(assets::calendar_years()?))
}

/// Runs one `rules` command and returns the JSON to print.
pub fn run(command: RulesCommand) -> Result<Value, RulesError> {
    match command {
        RulesCommand::Score(args) => score(args),
        RulesCommand::Deadlines(args) => {
            let calendar = calendar()?;
            let dl = application_deadlines(
                args.kind.into(),
                args.filed,
                WorkingHours::default(),
                &calendar,
            );
            let mut out = json!({
                "kind": dl.kind.code(),
                "filed": dl.filed.format("%Y-%m-%dT%H:%M").to_string(),
                "registered": dl.registered,
            });
            if let Some(forward_by) = dl.forward_by {
                out["forward_by"] = json!(forward_by);
            }
            out["decision_by"] = json!(dl.decision_by);
            out["explain"] = dl.explain.iter().map(ToString::to_string).collect();
            Ok(out)
        }
        RulesCommand::Validity(args) => {
            let valid_to = match (args.kind, args.contract_end) {
                (ValidityKind::Issue, None) => {
                    validity::issue_valid_to(args.from).ok_or(RulesError::OutOfRange(args.from))?
                }
                (ValidityKind::Issue, Some(_)) => return Err(RulesError::UnexpectedContractEnd),
                (ValidityKind::Extend, Some(end)) => validity::extend_valid_to(args.from, end)?,
                (ValidityKind::Extend, None) => return Err(RulesError::MissingContractEnd),
            };
            Ok(json!({ "valid_from": args.from, "valid_to": valid_to }))
        }
        RulesCommand::Iin { number } => Ok(match ident::parse_iin(&number) {
            Ok(iin) => json!({
                "valid": true,
                "reason": "check digit and birth date are correct",
                "birth_date": iin.birth_date,
                "sex": iin.sex,
            }),
            Err(e) => invalid(e),
        }),
        RulesCommand::Bin { number } => Ok(match ident::parse_bin(&number) {
            Ok(bin) => json!({
                "valid": true,
                "reason": "check digit and structure are correct",
                "registered": bin.registered.format("%Y-%m").to_string(),
                "type": bin.entity_type,
                "unit": bin.unit,
            }),
            Err(e) => invalid(e),
        }),
        RulesCommand::WorkingDay { date } => {
            let info = calendar()?.day(date);
            let mut out = json!({ "date": info.date, "working": info.working, "reason": info.reason.to_string() });
            if let Some(note) = info.reason.note() {
                out["note"] = json!(note);
            }
            Ok(out)
        }
    }
}

fn invalid(error: IdError) -> Value {
    json!({ "valid": false, "reason": error.to_string() })
}

fn score(args: ScoreArgs) -> Result<Value, RulesError> {
    let schemes = assets::scoring_schemes()?;
    // The newest scheme: `rules` answers for an application scored today.
    let Some(scheme) = schemes.last() else {
        return Err(RulesError::Assets(assets::AssetError::NoScheme {
            file: "scoring-schemes.json",
        }));
    };
    let input = ScoreInput {
        higher_education: args.higher_education,
        academic_degree: args.academic_degree,
        english_certificate: args.english_certificate,
        periods: args.experience,
    };
    let s = scoring::score(scheme, &input);
    Ok(json!({
        "education_points": s.education_points,
        "experience_years": s.experience_years,
        "experience_points": s.experience_points,
        "total": s.total,
        "threshold": s.threshold,
        "passed": s.passed,
        "scheme": s.scheme,
    }))
}
