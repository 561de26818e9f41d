//! Fiscal interest subsidies (财政贴息) per domain-math §5: programs as data, the per-period
//! subsidy, caps, eligibility reasons, and the annualized rate before and after.
//!
//! Owns the program model ([`Program`], wire form [`ProgramRequest`]), the shipped sample rule
//! sets (`data/subsidy-programs.json`, embedded), the `subsidy` JSON operation and the Rust entry
//! point [`apply`] that a quote engine calls with an already built [`Schedule`].
//! Promotions are delegated to [`crate::promo`] and run first; the subsidy is computed last and
//! never exceeds the charge the promotions left (see the stacking order there).
//! Choosing among programs uses only their dates and eligibility data: there is no code path
//! named after a year. This module does no IO and reads no clock: "today" is `context.asOf`.
//!
//! # Rules this module fixes (documented choices)
//! - **Per period**: `subsidy_k = round(E/P × eligibleShare × base_k × s × accrual_k × inside_k)`
//!   with `s = min(rate, maxShareOfContractRate × contract rate)`, `E` the eligible amount after
//!   `perTransactionBaseCap`, `base_k` the opening balance (`outstanding`) or the principal
//!   (`original`), `accrual_k` the loan's own accrual (30/360 regular months, actual days ÷ basis,
//!   the odd first period by actual days ÷ 360, a bullet's whole term at maturity) and
//!   `inside_k` the fraction of the period's accrual days inside the program. One division, one
//!   rounding with the loan's rounding rule.
//! - **Dates**: a loan with `startDate` uses its real due dates. A loan without one but with
//!   `context.asOf` is taken to start on `asOf` (due dates one month apart). A loan with neither
//!   has no calendar: it is treated as entirely inside every program window (and inside any
//!   contract window), and an assumption saying so is returned.
//! - **Several programs**: they are taken in the given order; the days a program covers (its
//!   window, limited by `maxTermMonths`) are not available to later programs, so overlapping
//!   programs never pay twice for one day.
//! - **Amount already used** (`subsidyUsed`) counts against the cap scope in effect on the
//!   loan's first subsidised day (that program; that calendar year for `per-year` caps). Later
//!   years and later programs start from zero. Without a calendar a `per-year` cap is one scope.
//! - **Contract rate** of a flat-fee card installment is its disclosed IRR-method annualized rate
//!   (§2.1, 6 decimals) on the installment fee alone, since the 2022 card rules make that the
//!   installment's interest rate.
//! - **Caps** bind cumulatively in period order; the period where a cap binds gets the remainder
//!   and later periods 0. `interest-charged` (the charge left after promotions) binds per period.

use crate::apr::{self, CnRate, RATE_DP};
use crate::date::Date;
use crate::disclosure;
use crate::error::{from_json_slice, ApiError, ErrorCode};
use crate::money::CheckedOps;
use crate::money::{self, fmt_dp, parse_amount, parse_rate, DecimalIssue, Rounding};
use crate::promo::{self, ChargeRow, PromoError, Promotion, PromotionRequest};
use crate::schedule::{self, DayCount, Loan, Method, Schedule, ScheduleError, ScheduleRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// The sample rule sets shipped with the engine (2025 rules, 2026 revision, service sector).
pub const BUILTIN_PROGRAMS_JSON: &str = include_str!("../../../data/subsidy-programs.json");

/// Days in a period of a loan without any calendar (a 30/360 month).
const GRID_DAYS: i64 = 30;

/// What kind of credit a program covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoanKind {
    /// Personal consumption loan (个人消费贷款).
    ConsumerLoan,
    /// Credit-card bill installment (信用卡账单分期).
    CardInstallment,
    /// Service-sector business loan (服务业经营主体贷款).
    ServiceBusinessLoan,
}

impl LoanKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LoanKind::ConsumerLoan => "consumer-loan",
            LoanKind::CardInstallment => "card-installment",
            LoanKind::ServiceBusinessLoan => "service-business-loan",
        }
    }
}

/// The principal the subsidy rate is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubsidyBase {
    /// The opening balance of each period (the default).
    #[default]
    Outstanding,
    /// The original principal every period (card installments, when selected).
    Original,
}

/// Over what the per-borrower cap is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapScope {
    /// Once for the whole program (the default).
    #[default]
    PolicyPeriod,
    /// Afresh every calendar year (by the due date the subsidy is settled on).
    PerYear,
}

/// A text in both display languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct LocalizedText {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

/// An inclusive range of calendar dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateWindow {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
}

impl DateWindow {
    fn contains(self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }

    /// As half-open day numbers.
    fn days(self) -> (i64, i64) {
        (
            self.from.day_number(),
            self.to.day_number().saturating_add(1),
        )
    }
}

/// A validated subsidy program (§5.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Stable identifier, used in reasons and caps.
    pub id: String,
    /// Display name.
    pub name: Option<LocalizedText>,
    /// Subsidy rate per year (`0.01`).
    pub rate: Decimal,
    /// At most this share of the contract rate (`0.5`); `None` = no such cap.
    pub max_share_of_contract_rate: Option<Decimal>,
    /// Days that earn subsidy; `None` = unbounded.
    pub window: Option<DateWindow>,
    /// Contract (start) dates the program accepts; `None` = any.
    pub contract_window: Option<DateWindow>,
    /// Institution types that take part; `None` = all.
    pub eligible_institutions: Option<Vec<String>>,
    /// Loan kinds covered; `None` = all.
    pub loan_kinds: Option<Vec<LoanKind>>,
    /// Share of the eligible amount that earns subsidy, in (0, 1].
    pub eligible_share: Decimal,
    /// Largest eligible amount per transaction.
    pub per_transaction_base_cap: Option<Decimal>,
    /// Largest subsidy per transaction (this loan).
    pub per_transaction_cap: Option<Decimal>,
    /// Largest subsidy per borrower per institution within `per_borrower_cap_scope`.
    pub per_borrower_cap: Option<Decimal>,
    /// Scope of `per_borrower_cap`.
    pub per_borrower_cap_scope: CapScope,
    /// Consumption categories accepted (at or above `small_consumption_threshold` when set).
    pub categories: Option<Vec<String>>,
    /// Transactions below this amount are "small": any category, `small_consumption_cap` applies.
    pub small_consumption_threshold: Option<Decimal>,
    /// Cumulative cap on subsidy from small transactions.
    pub small_consumption_cap: Option<Decimal>,
    /// Principal the rate applies to.
    pub base: SubsidyBase,
    /// Subsidy accrues only in the loan's first this many months.
    pub max_term_months: Option<u32>,
    /// Loans above this principal are not eligible.
    pub max_loan_amount: Option<Decimal>,
}

/// The wire form of a date window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct DateWindowRequest {
    /// `YYYY-MM-DD`, first day.
    pub from: String,
    /// `YYYY-MM-DD`, last day (inclusive).
    pub to: String,
}

/// The wire form of a program (camelCase, decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgramRequest {
    /// Identifier (defaults to the JSON path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
    /// Where the rule comes from (free text, not used in computation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Subsidy rate per year.
    pub rate: String,
    /// Share of the contract rate the subsidy may not exceed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_share_of_contract_rate: Option<String>,
    /// Days that earn subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<DateWindowRequest>,
    /// Contract dates accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_window: Option<DateWindowRequest>,
    /// Institution types accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_institutions: Option<Vec<String>>,
    /// Loan kinds accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan_kinds: Option<Vec<LoanKind>>,
    /// Share of the eligible amount, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_share: Option<String>,
    /// Largest eligible amount per transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_transaction_base_cap: Option<String>,
    /// Largest subsidy per transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_transaction_cap: Option<String>,
    /// Largest subsidy per borrower per institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_borrower_cap: Option<String>,
    /// `policy-period` (default) or `per-year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_borrower_cap_scope: Option<CapScope>,
    /// Categories accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Threshold below which a transaction is small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_consumption_threshold: Option<String>,
    /// Cumulative cap for small transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_consumption_cap: Option<String>,
    /// `outstanding` (default) or `original`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<SubsidyBase>,
    /// Months from the start that earn subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_term_months: Option<i64>,
    /// Largest eligible principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_loan_amount: Option<String>,
}

/// Facts about the borrower and the transaction that programs test.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Context {
    /// Institution type of the lender (`state-owned-bank`, …).
    pub institution_type: Option<String>,
    /// Kind of credit; inferred from the method when absent (flat-fee = card installment).
    pub loan_kind: Option<LoanKind>,
    /// Consumption category or service sector.
    pub category: Option<String>,
    /// The evaluation date; stands in for a missing start date.
    pub as_of: Option<Date>,
    /// The part of the principal spent on eligible consumption (default: all of it).
    pub eligible_amount: Option<Decimal>,
}

/// The wire form of [`Context`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ContextRequest {
    /// Institution type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<String>,
    /// Loan kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan_kind: Option<LoanKind>,
    /// Category or sector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Eligible amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_amount: Option<String>,
}

/// Subsidy the borrower has already received under the cap in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubsidyUsed {
    /// Against the per-borrower cap.
    pub total: Decimal,
    /// Of which from small transactions; `None` = unknown (then assumed to be all of `total`,
    /// up to the small cap, so the engine never promises more than the borrower may get).
    pub small_consumption: Option<Decimal>,
}

/// The `subsidy` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct SubsidyRequest {
    /// The loan, as for the `schedule` operation.
    pub schedule: ScheduleRequest,
    /// One program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramRequest>,
    /// Several programs, picked by date and eligibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<ProgramRequest>>,
    /// Use the shipped sample programs (after any given ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builtin_programs: Option<bool>,
    /// Subsidy already received under the cap in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_used: Option<String>,
    /// Of which from small transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_used_small: Option<String>,
    /// Promotions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<PromotionRequest>,
    /// Borrower and transaction facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextRequest>,
}

/// Why a subsidy request cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SubsidyError {
    /// The loan terms are invalid (path prefixed with `schedule.`).
    #[error("schedule: {0}")]
    Schedule(ScheduleError),
    /// A promotion is invalid.
    #[error(transparent)]
    Promotion(PromoError),
    /// A rate could not be solved.
    #[error("annualized rate: {0}")]
    Rate(apr::AprError),
    /// A decimal field is malformed, over-precise or out of range.
    #[error("{path}: {issue}")]
    Decimal {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        issue: DecimalIssue,
    },
    /// A share is not in (0, 1] (or [0, 1] for `maxShareOfContractRate`).
    #[error("{path} must be a fraction between 0 and 1")]
    InvalidShare {
        /// JSON path of the field.
        path: String,
    },
    /// A cap or an amount is negative.
    #[error("{path} must not be negative")]
    NegativeCap {
        /// JSON path of the field.
        path: String,
    },
    /// A rate is negative or above 1.
    #[error("{path} must be a rate between 0 and 1")]
    InvalidRate {
        /// JSON path of the field.
        path: String,
    },
    /// A date is not a valid `YYYY-MM-DD`.
    #[error("{path} is not a valid date")]
    InvalidDate {
        /// JSON path of the field.
        path: String,
    },
    /// A window ends before it starts.
    #[error("{path}: the window ends before it starts")]
    InvalidWindow {
        /// JSON path of the window.
        path: String,
    },
    /// A program field is inconsistent or out of range.
    #[error("{path}: {reason}")]
    InvalidProgram {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A context field is inconsistent with the loan.
    #[error("{path}: {reason}")]
    InvalidContext {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// No program was given.
    #[error("give program, programs or builtinPrograms")]
    MissingProgram,
    /// The schedule passed to [`apply`] does not belong to the loan.
    #[error("the schedule does not belong to the loan")]
    ScheduleMismatch,
    /// The shipped program data could not be read (a build defect).
    #[error("shipped program data: {reason}")]
    BuiltinData {
        /// What is wrong.
        reason: String,
    },
    /// An intermediate figure left the decimal range.
    #[error("arithmetic overflow in the subsidy")]
    Overflow,
}

impl ErrorCode for SubsidyError {
    fn code(&self) -> &'static str {
        match self {
            SubsidyError::Schedule(inner) => inner.code(),
            SubsidyError::Promotion(inner) => inner.code(),
            SubsidyError::Rate(inner) => inner.code(),
            SubsidyError::Decimal { issue, .. } => issue.code(),
            SubsidyError::InvalidShare { .. } => "invalid-share",
            SubsidyError::NegativeCap { .. } => "negative-cap",
            SubsidyError::InvalidRate { .. } => "invalid-rate",
            SubsidyError::InvalidDate { .. } => "invalid-date",
            SubsidyError::InvalidWindow { .. } => "invalid-window",
            SubsidyError::InvalidProgram { .. } => "invalid-program",
            SubsidyError::InvalidContext { .. } => "invalid-context",
            SubsidyError::MissingProgram => "missing-program",
            SubsidyError::ScheduleMismatch => "schedule-mismatch",
            SubsidyError::BuiltinData { .. } => "invalid-program-data",
            SubsidyError::Overflow => "overflow",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            SubsidyError::Schedule(inner) => Some(match inner.path() {
                Some(path) => format!("schedule.{path}"),
                None => "schedule".into(),
            }),
            SubsidyError::Promotion(inner) => inner.path(),
            SubsidyError::Rate(_)
            | SubsidyError::MissingProgram
            | SubsidyError::ScheduleMismatch
            | SubsidyError::BuiltinData { .. }
            | SubsidyError::Overflow => None,
            SubsidyError::Decimal { path, .. }
            | SubsidyError::InvalidShare { path }
            | SubsidyError::NegativeCap { path }
            | SubsidyError::InvalidRate { path }
            | SubsidyError::InvalidDate { path }
            | SubsidyError::InvalidWindow { path }
            | SubsidyError::InvalidProgram { path, .. }
            | SubsidyError::InvalidContext { path, .. } => Some(path.clone()),
        }
    }
}

impl From<ScheduleError> for SubsidyError {
    fn from(inner: ScheduleError) -> Self {
        SubsidyError::Schedule(inner)
    }
}

impl From<PromoError> for SubsidyError {
    fn from(inner: PromoError) -> Self {
        SubsidyError::Promotion(inner)
    }
}

impl From<apr::AprError> for SubsidyError {
    fn from(inner: apr::AprError) -> Self {
        SubsidyError::Rate(inner)
    }
}

// ---------------------------------------------------------------------------------------------
// Validation of the wire forms.

fn amount_field(text: &str, path: &str) -> Result<Decimal, SubsidyError> {
    parse_amount(text).map_err(|issue| SubsidyError::Decimal {
        path: path.to_owned(),
        issue,
    })
}

fn cap_field(text: &str, path: &str) -> Result<Decimal, SubsidyError> {
    let value = amount_field(text, path)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(SubsidyError::NegativeCap {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

fn fraction_field(text: &str, path: &str, zero_allowed: bool) -> Result<Decimal, SubsidyError> {
    let value = parse_rate(text).map_err(|issue| SubsidyError::Decimal {
        path: path.to_owned(),
        issue,
    })?;
    let low_ok = if zero_allowed {
        value >= Decimal::ZERO
    } else {
        value > Decimal::ZERO
    };
    if !low_ok || value > Decimal::ONE {
        return Err(SubsidyError::InvalidShare {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

fn date_field(text: &str, path: &str) -> Result<Date, SubsidyError> {
    Date::parse(text).ok_or_else(|| SubsidyError::InvalidDate {
        path: path.to_owned(),
    })
}

fn window_field(window: &DateWindowRequest, path: &str) -> Result<DateWindow, SubsidyError> {
    let from = date_field(&window.from, &format!("{path}.from"))?;
    let to = date_field(&window.to, &format!("{path}.to"))?;
    if to < from {
        return Err(SubsidyError::InvalidWindow {
            path: path.to_owned(),
        });
    }
    Ok(DateWindow { from, to })
}

fn names_field(names: &[String], path: &str) -> Result<Vec<String>, SubsidyError> {
    if names.is_empty() {
        return Err(SubsidyError::InvalidProgram {
            path: path.to_owned(),
            reason: "an empty list would exclude everything; omit the field instead".into(),
        });
    }
    for (idx, name) in names.iter().enumerate() {
        if name.is_empty() || name.len() > 100 {
            return Err(SubsidyError::InvalidProgram {
                path: format!("{path}[{idx}]"),
                reason: "names must have 1 to 100 characters".into(),
            });
        }
    }
    Ok(names.to_vec())
}

impl ProgramRequest {
    /// Validates a program; `path` is its JSON path (`program`, `programs[1]`), also its
    /// default id.
    pub fn to_program(&self, path: &str) -> Result<Program, SubsidyError> {
        let field = |name: &str| format!("{path}.{name}");
        let rate = parse_rate(&self.rate).map_err(|issue| SubsidyError::Decimal {
            path: field("rate"),
            issue,
        })?;
        if rate.is_sign_negative() || rate > Decimal::ONE {
            return Err(SubsidyError::InvalidRate {
                path: field("rate"),
            });
        }
        let optional_cap = |value: &Option<String>, name: &str| {
            value
                .as_deref()
                .map(|t| cap_field(t, &field(name)))
                .transpose()
        };
        let small_consumption_threshold = optional_cap(
            &self.small_consumption_threshold,
            "smallConsumptionThreshold",
        )?;
        let small_consumption_cap =
            optional_cap(&self.small_consumption_cap, "smallConsumptionCap")?;
        if small_consumption_cap.is_some() && small_consumption_threshold.is_none() {
            return Err(SubsidyError::InvalidProgram {
                path: field("smallConsumptionCap"),
                reason: "needs smallConsumptionThreshold".into(),
            });
        }
        let max_term_months = match self.max_term_months {
            Some(months) => Some(
                u32::try_from(months)
                    .ok()
                    .filter(|m| (1..=schedule::MAX_TERM_MONTHS).contains(m))
                    .ok_or_else(|| SubsidyError::InvalidProgram {
                        path: field("maxTermMonths"),
                        reason: format!("must be between 1 and {}", schedule::MAX_TERM_MONTHS),
                    })?,
            ),
            None => None,
        };
        let id = match &self.id {
            Some(id) if id.is_empty() || id.len() > 100 => {
                return Err(SubsidyError::InvalidProgram {
                    path: field("id"),
                    reason: "ids must have 1 to 100 characters".into(),
                })
            }
            Some(id) => id.clone(),
            None => path.to_owned(),
        };
        Ok(Program {
            id,
            name: self.name.clone(),
            rate,
            max_share_of_contract_rate: self
                .max_share_of_contract_rate
                .as_deref()
                .map(|t| fraction_field(t, &field("maxShareOfContractRate"), true))
                .transpose()?,
            window: self
                .window
                .as_ref()
                .map(|w| window_field(w, &field("window")))
                .transpose()?,
            contract_window: self
                .contract_window
                .as_ref()
                .map(|w| window_field(w, &field("contractWindow")))
                .transpose()?,
            eligible_institutions: self
                .eligible_institutions
                .as_deref()
                .map(|names| names_field(names, &field("eligibleInstitutions")))
                .transpose()?,
            loan_kinds: match &self.loan_kinds {
                Some(kinds) if kinds.is_empty() => {
                    return Err(SubsidyError::InvalidProgram {
                        path: field("loanKinds"),
                        reason: "an empty list would exclude everything; omit the field instead"
                            .into(),
                    })
                }
                other => other.clone(),
            },
            eligible_share: match &self.eligible_share {
                Some(t) => fraction_field(t, &field("eligibleShare"), false)?,
                None => Decimal::ONE,
            },
            per_transaction_base_cap: optional_cap(
                &self.per_transaction_base_cap,
                "perTransactionBaseCap",
            )?,
            per_transaction_cap: optional_cap(&self.per_transaction_cap, "perTransactionCap")?,
            per_borrower_cap: optional_cap(&self.per_borrower_cap, "perBorrowerCap")?,
            per_borrower_cap_scope: self.per_borrower_cap_scope.unwrap_or_default(),
            categories: self
                .categories
                .as_deref()
                .map(|names| names_field(names, &field("categories")))
                .transpose()?,
            small_consumption_threshold,
            small_consumption_cap,
            base: self.base.unwrap_or_default(),
            max_term_months,
            max_loan_amount: optional_cap(&self.max_loan_amount, "maxLoanAmount")?,
        })
    }
}

impl ContextRequest {
    /// Validates the context; paths start with `context.`.
    pub fn to_context(&self) -> Result<Context, SubsidyError> {
        Ok(Context {
            institution_type: self.institution_type.clone(),
            loan_kind: self.loan_kind,
            category: self.category.clone(),
            as_of: self
                .as_of
                .as_deref()
                .map(|t| date_field(t, "context.asOf"))
                .transpose()?,
            eligible_amount: self
                .eligible_amount
                .as_deref()
                .map(|t| cap_field(t, "context.eligibleAmount"))
                .transpose()?,
        })
    }
}

/// The wire form of the shipped data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
struct ProgramFile {
    /// Free text for people reading the file; accepted so unknown fields can still be refused.
    #[allow(dead_code)]
    #[serde(default)]
    description: Option<String>,
    programs: Vec<ProgramRequest>,
}

/// The shipped sample programs, validated.
pub fn builtin_programs() -> Result<Vec<Program>, SubsidyError> {
    let file: ProgramFile = from_json_slice(BUILTIN_PROGRAMS_JSON.as_bytes())
        .map_err(|e| SubsidyError::BuiltinData { reason: e.message })?;
    file.programs
        .iter()
        .enumerate()
        .map(|(idx, program)| program.to_program(&format!("builtinPrograms[{idx}]")))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SubsidyError::BuiltinData {
            reason: format!("{} at {}", e, e.path().unwrap_or_default()),
        })
}

// ---------------------------------------------------------------------------------------------
// The outcome.

/// Why a program pays nothing, or what was assumed about missing facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The program concerned (`None` for loan-wide notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Stable kebab-case code.
    pub code: &'static str,
    /// What to show the borrower.
    pub message: LocalizedText,
}

/// A cap that limited the subsidy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapBound {
    /// The program whose cap it is.
    pub program: String,
    /// `per-transaction`, `per-borrower`, `small-consumption` or `interest-charged`.
    pub cap: &'static str,
    /// The period in which it bound (that period got the remainder).
    pub period: u32,
    /// What was left under the cap in that period.
    #[serde(serialize_with = "money::ser_money")]
    pub limit: Decimal,
    /// The calendar year of a `per-year` scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// One period of the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodDetail {
    /// 1-based period.
    pub period: u32,
    /// Due date when the loan has a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// The schedule's payment.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Interest plus installment fee charged by the schedule.
    #[serde(serialize_with = "money::ser_money")]
    pub charge: Decimal,
    /// Taken off by promotions (merchant-paid included).
    #[serde(serialize_with = "money::ser_money")]
    pub promotion_discount: Decimal,
    /// Of the discount, paid by the merchant.
    #[serde(serialize_with = "money::ser_money")]
    pub merchant_paid: Decimal,
    /// Fiscal subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub subsidy: Decimal,
    /// payment − promotionDiscount − subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub net_payment: Decimal,
}

/// Sums over the periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeTotals {
    /// Σ payment.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Σ charge.
    #[serde(serialize_with = "money::ser_money")]
    pub charge: Decimal,
    /// Σ promotion discount.
    #[serde(serialize_with = "money::ser_money")]
    pub promotion_discount: Decimal,
    /// Σ merchant-paid.
    #[serde(serialize_with = "money::ser_money")]
    pub merchant_paid: Decimal,
    /// Σ subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub subsidy: Decimal,
    /// Σ net payment.
    #[serde(serialize_with = "money::ser_money")]
    pub net_payment: Decimal,
}

/// What one program did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramResult {
    /// The program.
    pub id: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
    /// Whether it paid anything.
    pub applied: bool,
    /// s = min(rate, maxShare × contract rate).
    #[serde(serialize_with = "ser_plain")]
    pub subsidy_rate: Decimal,
    /// Whether the share-of-contract-rate cap lowered s.
    pub rate_capped_by_share: bool,
    /// Eligible amount after the per-transaction base cap.
    #[serde(serialize_with = "money::ser_money")]
    pub eligible_amount: Decimal,
    /// Σ subsidy from this program.
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
    /// Per period.
    #[serde(serialize_with = "ser_money_vec")]
    pub per_period: Vec<Decimal>,
}

/// The full result of [`apply`], also the `subsidy` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubsidyOutcome {
    /// s of the first program that paid (0 when none did).
    #[serde(serialize_with = "ser_plain")]
    pub subsidy_rate: Decimal,
    /// Subsidy per period, all programs together.
    #[serde(serialize_with = "ser_money_vec")]
    pub per_period: Vec<Decimal>,
    /// Σ subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
    /// The contract rate the share cap compares with.
    #[serde(serialize_with = "ser_rate")]
    pub contract_rate: Decimal,
    /// Annualized rate (IRR method, §2.1) of the schedule's own flows.
    #[serde(serialize_with = "ser_rate")]
    pub gross_rate: Decimal,
    /// After promotions, before the subsidy.
    #[serde(serialize_with = "ser_rate")]
    pub rate_after_promotions: Decimal,
    /// After promotions and the subsidy.
    #[serde(serialize_with = "ser_rate")]
    pub net_rate: Decimal,
    /// The gross disclosure.
    pub gross_apr: CnRate,
    /// The net disclosure.
    pub net_apr: CnRate,
    /// Per period detail.
    pub per_period_detail: Vec<PeriodDetail>,
    /// Sums.
    pub totals: OutcomeTotals,
    /// Caps that limited the subsidy, in period order per program.
    pub caps_bound: Vec<CapBound>,
    /// Why programs pay nothing.
    pub reasons: Vec<Reason>,
    /// What was assumed about facts the request did not give.
    pub assumptions: Vec<Reason>,
    /// The steps that ran, in order (promotion kinds, then `subsidy:<program id>`).
    pub applied_order: Vec<String>,
    /// Per program.
    pub programs: Vec<ProgramResult>,
}

fn ser_plain<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&value.normalize())
}

fn ser_rate<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&fmt_dp(*value, RATE_DP, Rounding::HalfUp))
}

fn ser_money_vec<S: Serializer>(values: &[Decimal], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(|v| money::fmt_money(*v)))
}

// ---------------------------------------------------------------------------------------------
// The computation.

/// One period as the subsidy sees it.
#[derive(Debug, Clone)]
struct Row {
    due_date: Option<Date>,
    payment: Decimal,
    charge: Decimal,
    opening_balance: Decimal,
    accrual_numerator: Decimal,
    accrual_denominator: Decimal,
    /// Day number where this period's charge starts accruing (a bullet: the loan's start).
    accrual_start_day: i64,
    /// Due date as a day number (exclusive end of the accrual).
    end_day: i64,
    /// Calendar year of the due date, when the loan has a calendar.
    year: Option<i32>,
}

struct Timeline {
    rows: Vec<Row>,
    start_day: i64,
    /// Start date when the loan has a calendar (its own or `asOf`).
    anchor: Option<Date>,
}

#[inline(never)]
fn checked(value: Option<Decimal>) -> Result<Decimal, SubsidyError> {
    value.ok_or(SubsidyError::Overflow)
}

/// `a + b`, or [`SubsidyError::Overflow`]; one compiled copy instead of one per call site.
#[inline(never)]
fn add(a: Decimal, b: Decimal) -> Result<Decimal, SubsidyError> {
    checked(a.plus(b))
}

/// `a − b`, or [`SubsidyError::Overflow`]; one compiled copy instead of one per call site.
#[inline(never)]
fn sub(a: Decimal, b: Decimal) -> Result<Decimal, SubsidyError> {
    checked(a.minus(b))
}

/// `a × b`, or [`SubsidyError::Overflow`]; one compiled copy instead of one per call site.
#[inline(never)]
fn mul(a: Decimal, b: Decimal) -> Result<Decimal, SubsidyError> {
    checked(a.times(b))
}

/// `a ÷ b`, or [`SubsidyError::Overflow`]; one compiled copy instead of one per call site.
#[inline(never)]
fn div(a: Decimal, b: Decimal) -> Result<Decimal, SubsidyError> {
    checked(a.over(b))
}

fn timeline(
    loan: &Loan,
    schedule: &Schedule,
    installment_fees: &[Decimal],
    as_of: Option<Date>,
) -> Result<Timeline, SubsidyError> {
    let n_periods = schedule.installments.len();
    let anchor = loan.start_date.or(as_of);
    let basis = Decimal::from(loan.day_count.basis_days());
    let thirty = Decimal::from(30);
    let three_sixty = Decimal::from(360);
    let odd_first = match (loan.start_date, loan.first_due_date) {
        (Some(start), Some(first_due)) => start.add_months(1) != Some(first_due),
        _ => false,
    };
    let mut rows = Vec::with_capacity(n_periods);
    let mut previous_day = anchor.map_or(0, Date::day_number);
    let start_day = previous_day;
    let mut opening_balance = loan.principal;
    for (period_idx, installment) in schedule.installments.iter().enumerate() {
        let due_date = match (loan.start_date, anchor) {
            (Some(_), _) => installment.due_date,
            (None, Some(as_of)) => {
                let period = u32::try_from(period_idx + 1).unwrap_or(u32::MAX);
                crate::date::monthly_due_date(as_of, None, period)
            }
            (None, None) => None,
        };
        let end_day = match due_date {
            Some(date) => date.day_number(),
            None if anchor.is_some() => return Err(SubsidyError::ScheduleMismatch),
            None => start_day + GRID_DAYS * (period_idx as i64 + 1),
        };
        let days = Decimal::from(end_day - previous_day);
        // The loan's own accrual (schedule §4): only a start date gives actual days; a loan
        // anchored on `asOf` was scheduled on regular 30/360 months.
        let (numerator, denominator) = match (loan.start_date, loan.day_count) {
            (Some(_), DayCount::Thirty360) if period_idx == 0 && odd_first => (days, three_sixty),
            (Some(_), DayCount::Act360 | DayCount::Act365) => (days, basis),
            _ => (thirty, three_sixty),
        };
        let fee = installment_fees
            .get(period_idx)
            .copied()
            .unwrap_or(Decimal::ZERO);
        rows.push(Row {
            due_date,
            payment: installment.payment,
            charge: add(installment.interest, fee)?,
            opening_balance,
            accrual_numerator: numerator,
            accrual_denominator: denominator,
            accrual_start_day: previous_day,
            end_day,
            year: due_date.map(Date::year),
        });
        opening_balance = sub(opening_balance, installment.principal)?;
        previous_day = end_day;
    }
    if loan.method == Method::Bullet {
        // A bullet accrues over the whole term and settles at maturity.
        let mut whole_numerator = Decimal::ZERO;
        for row in rows.iter_mut() {
            whole_numerator = add(whole_numerator, row.accrual_numerator)?;
            row.accrual_numerator = Decimal::ZERO;
        }
        if let Some(last) = rows.last_mut() {
            last.accrual_numerator = whole_numerator;
            last.accrual_start_day = start_day;
            last.opening_balance = loan.principal;
        }
    }
    Ok(Timeline {
        rows,
        start_day,
        anchor,
    })
}

/// Days of `span` not inside any of `covered` (half-open day intervals).
fn uncovered_days(span: (i64, i64), covered: &[(i64, i64)]) -> i64 {
    let (lo, hi) = span;
    if hi <= lo {
        return 0;
    }
    let mut clipped: Vec<(i64, i64)> = covered
        .iter()
        .map(|&(a, b)| (a.max(lo), b.min(hi)))
        .filter(|(a, b)| a < b)
        .collect();
    clipped.sort_unstable();
    let mut covered_days = 0;
    let mut reach = lo;
    for (a, b) in clipped {
        let start = a.max(reach);
        if b > start {
            covered_days += b - start;
            reach = b;
        }
    }
    (hi - lo) - covered_days
}

fn intersect(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    (a.0.max(b.0), a.1.min(b.1))
}

/// Message templates per reason and assumption code: (code, zh-CN, en). `{n}` stands for the
/// program's display name, `{d}` for the detail. Static text plus one filler instead of a
/// `format!` per message keeps the wasm small.
const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "outside-window",
        "贷款计息期不在{n}的贴息期内（{d}）",
        "the loan accrues no interest inside the window of {n} ({d})",
    ),
    (
        "contract-date-outside-window",
        "合同日期不在{n}的适用期内（{d}）",
        "the contract date is outside the contract window of {n} ({d})",
    ),
    (
        "institution-not-eligible",
        "贷款机构类型（{d}）不在{n}的经办机构范围内",
        "institution type {d} does not take part in {n}",
    ),
    (
        "loan-kind-not-eligible",
        "贷款类型（{d}）不适用{n}",
        "loan kind {d} is not covered by {n}",
    ),
    (
        "category-not-eligible",
        "消费类别（{d}）不在{n}的重点领域内",
        "category {d} is not among the areas covered by {n}",
    ),
    (
        "amount-above-max",
        "贷款金额超过{n}的上限（{d}）",
        "the loan amount exceeds the limit of {n} ({d})",
    ),
    (
        "cap-exhausted",
        "{n}的贴息额度已用完",
        "the subsidy cap of {n} is already used up",
    ),
    (
        "no-interest-charged",
        "本贷款在{n}的贴息期内没有需支付的利息",
        "no interest is payable inside the window of {n}",
    ),
    (
        "below-one-fen",
        "按{n}计算的贴息每期不足一分钱",
        "the subsidy under {n} is below one fen in every period",
    ),
    (
        "covered-by-other-program",
        "{n}的贴息期已由列在前面的政策覆盖",
        "the days of {n} are already covered by an earlier program",
    ),
    (
        "undated-loan",
        "贷款没有起始日期且未提供评估日期：视为全部计息期均在贴息期和合同适用期内",
        "the loan has no start date and no asOf: every period is treated as inside the program and contract windows",
    ),
    (
        "as-of-as-start",
        "贷款没有起始日期：以评估日期 {d} 作为起息日",
        "the loan has no start date: it is taken to start on asOf {d}",
    ),
    (
        "institution-unknown",
        "未提供机构类型：假定符合{n}的机构范围",
        "no institution type given: assumed to take part in {n}",
    ),
    (
        "category-unknown",
        "未提供消费类别：假定符合{n}的领域要求",
        "no category given: assumed to be covered by {n}",
    ),
    (
        "loan-kind-inferred",
        "未提供贷款类型：按还款方式视为 {d}",
        "no loan kind given: taken as {d} from the repayment method",
    ),
    (
        "small-used-assumed",
        "未提供小额消费已用贴息：按已用贴息全部计入{n}的小额上限",
        "small-consumption use not given: all subsidy used is counted against the small-consumption cap of {n}",
    ),
    (
        "per-year-undated",
        "贷款没有日期：{n}的年度上限按一个年度计算",
        "the loan has no dates: the per-year cap of {n} is applied once",
    ),
];

/// `template` with `{n}` replaced by `name` and `{d}` by `detail` (one pass over the template,
/// so braces inside the values are left alone).
#[inline(never)]
fn fill(template: &str, name: &str, detail: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len() + detail.len());
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("{n}") {
            out.push_str(name);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{d}") {
            out.push_str(detail);
            rest = after;
        } else {
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Localized messages for every reason and assumption code; `name` is the program's
/// display name in each language (empty for loan-wide notes).
#[inline(never)]
fn message(code: &str, name: &str, name_en: &str, detail: &str) -> LocalizedText {
    match MESSAGES.iter().find(|(known, _, _)| *known == code) {
        Some((_, zh_cn, en)) => LocalizedText {
            zh_cn: fill(zh_cn, name, detail),
            en: fill(en, name_en, detail),
        },
        None => LocalizedText {
            zh_cn: detail.to_owned(),
            en: detail.to_owned(),
        },
    }
}

#[inline(never)]
fn reason(code: &'static str, program: &Program, detail: &str) -> Reason {
    let (name, name_en) = match &program.name {
        Some(name) => (name.zh_cn.as_str(), name.en.as_str()),
        None => (program.id.as_str(), program.id.as_str()),
    };
    Reason {
        program: Some(program.id.clone()),
        code,
        message: message(code, name, name_en, detail),
    }
}

/// The first-pass verdict on one program.
struct Plan {
    /// Uncovered accrual days per row inside the program.
    inside_days: Vec<i64>,
    /// The program's subsidisable interval (to mark as covered).
    interval: (i64, i64),
    eligible: bool,
}

/// Applies promotions and subsidy programs to a built schedule of `loan`.
///
/// `used` is what the borrower already received under the cap in effect (see the module docs
/// for the scope it counts against). Programs that pay nothing get a [`Reason`].
pub fn apply(
    loan: &Loan,
    schedule: &Schedule,
    programs: &[Program],
    promotions: &[Promotion],
    used: &SubsidyUsed,
    context: &Context,
) -> Result<SubsidyOutcome, SubsidyError> {
    if schedule.installments.len() != loan.term_months as usize {
        return Err(SubsidyError::ScheduleMismatch);
    }
    if let Some(amount) = context.eligible_amount {
        if amount > loan.principal {
            return Err(SubsidyError::InvalidContext {
                path: "context.eligibleAmount".into(),
                reason: "must not exceed the principal".into(),
            });
        }
    }
    for (value, path) in [
        (Some(used.total), "subsidyUsed"),
        (used.small_consumption, "subsidyUsedSmall"),
    ] {
        if value.is_some_and(|v| v.is_sign_negative() && !v.is_zero()) {
            return Err(SubsidyError::NegativeCap { path: path.into() });
        }
    }
    let rounding = loan.rounding;

    // The installment fee of a card installment is its interest; build the fee-only schedule
    // to separate it from any other per-period fee.
    let (installment_fees, contract_rate) = if loan.method == Method::FlatFee {
        let bare = schedule::build(&Loan {
            fees: Vec::new(),
            ..loan.clone()
        })?;
        let fees: Vec<Decimal> = bare.installments.iter().map(|row| row.fee).collect();
        let (advance, payments) = bare.borrower_flows();
        let (rate, _) = disclosure::cn_annualized(loan, &bare, advance, &payments)?;
        let rate = rate.rate;
        (
            fees,
            rate.round_dp_with_strategy(RATE_DP, Rounding::HalfUp.strategy()),
        )
    } else {
        (
            vec![Decimal::ZERO; schedule.installments.len()],
            loan.annual_rate,
        )
    };

    let timeline = timeline(loan, schedule, &installment_fees, context.as_of)?;
    let rows = &timeline.rows;
    let n_periods = rows.len();
    let mut assumptions: Vec<Reason> = Vec::new();
    let loan_note = |code: &'static str, detail: &str| Reason {
        program: None,
        code,
        message: message(code, "", "", detail),
    };
    match (loan.start_date, context.as_of) {
        (None, Some(as_of)) => assumptions.push(loan_note("as-of-as-start", &as_of.to_string())),
        (None, None) if !programs.is_empty() => assumptions.push(loan_note("undated-loan", "")),
        _ => {}
    }
    let loan_kind = match context.loan_kind {
        Some(kind) => kind,
        None => {
            let kind = if loan.method == Method::FlatFee {
                LoanKind::CardInstallment
            } else {
                LoanKind::ConsumerLoan
            };
            if programs.iter().any(|p| p.loan_kinds.is_some()) {
                assumptions.push(loan_note("loan-kind-inferred", kind.as_str()));
            }
            kind
        }
    };

    // Promotions first: they define the charge the subsidy may reimburse.
    let charge_rows: Vec<ChargeRow> = rows
        .iter()
        .map(|row| ChargeRow {
            charge: row.charge,
            accrual_start_day: row.accrual_start_day,
            end_day: row.end_day,
        })
        .collect();
    let promo_outcome = promo::apply(promotions, &charge_rows, timeline.start_day, rounding)?;
    let mut remaining_charge: Vec<Decimal> = promo_outcome
        .periods
        .iter()
        .map(|p| p.remaining_charge)
        .collect();

    // First pass: eligibility and the days each program covers.
    let mut reasons: Vec<Reason> = Vec::new();
    let mut covered: Vec<(i64, i64)> = Vec::new();
    let mut plans: Vec<Plan> = Vec::with_capacity(programs.len());
    let transaction_amount = context.eligible_amount.unwrap_or(loan.principal);
    for program in programs {
        let mut failures: Vec<Reason> = Vec::new();
        let fail = |code: &'static str, detail: &str, failures: &mut Vec<Reason>| {
            failures.push(reason(code, program, detail));
        };
        if let Some(kinds) = &program.loan_kinds {
            if !kinds.contains(&loan_kind) {
                fail("loan-kind-not-eligible", loan_kind.as_str(), &mut failures);
            }
        }
        if let Some(institutions) = &program.eligible_institutions {
            match &context.institution_type {
                Some(kind) if !institutions.contains(kind) => {
                    fail("institution-not-eligible", kind, &mut failures)
                }
                Some(_) => {}
                None => assumptions.push(reason("institution-unknown", program, "")),
            }
        }
        if let (Some(window), Some(contract_date)) = (program.contract_window, timeline.anchor) {
            if !window.contains(contract_date) {
                let detail = format!("{contract_date}; {} – {}", window.from, window.to);
                fail("contract-date-outside-window", &detail, &mut failures);
            }
        }
        if let Some(max) = program.max_loan_amount {
            if loan.principal > max {
                fail("amount-above-max", &money::fmt_money(max), &mut failures);
            }
        }
        if let Some(categories) = &program.categories {
            let required = program
                .small_consumption_threshold
                .is_none_or(|threshold| transaction_amount >= threshold);
            if required {
                match &context.category {
                    Some(category) if !categories.contains(category) => {
                        fail("category-not-eligible", category, &mut failures)
                    }
                    Some(_) => {}
                    None => assumptions.push(reason("category-unknown", program, "")),
                }
            }
        }
        // The subsidisable interval: the window (only for a loan with a calendar) and the
        // first `maxTermMonths` months.
        let mut interval = (i64::MIN, i64::MAX);
        if let (Some(window), Some(_)) = (program.window, timeline.anchor) {
            interval = intersect(interval, window.days());
        }
        if let Some(months) = program.max_term_months {
            let end = match timeline.anchor {
                Some(anchor) => anchor
                    .add_months(i64::from(months))
                    .map_or(i64::MAX, Date::day_number),
                None => timeline.start_day + GRID_DAYS * i64::from(months),
            };
            interval = intersect(interval, (timeline.start_day, end));
        }
        let mut inside_days = vec![0_i64; n_periods];
        let mut any_inside = false;
        for (row, days) in rows.iter().zip(inside_days.iter_mut()) {
            if row.accrual_numerator.is_zero() {
                continue;
            }
            let span = intersect((row.accrual_start_day, row.end_day), interval);
            if span.0 < span.1 {
                any_inside = true;
            }
            *days = uncovered_days(span, &covered);
        }
        if !any_inside {
            let detail = match program.window {
                Some(window) => format!("{} – {}", window.from, window.to),
                None => String::new(),
            };
            fail("outside-window", &detail, &mut failures);
        } else if failures.is_empty() && inside_days.iter().all(|d| *d == 0) {
            fail("covered-by-other-program", "", &mut failures);
        }
        let eligible = failures.is_empty();
        reasons.append(&mut failures);
        if eligible {
            covered.push(interval);
        }
        plans.push(Plan {
            inside_days,
            interval,
            eligible,
        });
    }

    // `subsidyUsed` belongs to the scope in effect on the earliest subsidised day.
    let used_program = plans
        .iter()
        .enumerate()
        .filter(|(_, plan)| plan.eligible)
        .filter_map(|(idx, plan)| {
            rows.iter()
                .zip(&plan.inside_days)
                .filter(|(_, days)| **days > 0)
                .map(|(row, _)| row.accrual_start_day.max(plan.interval.0))
                .min()
                .map(|day| (day, idx))
        })
        .min()
        .map(|(_, idx)| idx);

    // Second pass: amounts, in program order.
    let mut per_period = vec![Decimal::ZERO; n_periods];
    let mut caps_bound: Vec<CapBound> = Vec::new();
    let mut program_results: Vec<ProgramResult> = Vec::with_capacity(programs.len());
    let mut applied_order: Vec<String> = promo_outcome
        .applied_order
        .iter()
        .map(|kind| (*kind).to_owned())
        .collect();
    let mut first_rate: Option<Decimal> = None;
    for (program_idx, (program, plan)) in programs.iter().zip(&plans).enumerate() {
        let share_limit = match program.max_share_of_contract_rate {
            Some(share) => Some(mul(share, contract_rate)?),
            None => None,
        };
        let subsidy_rate = match share_limit {
            Some(limit) => program.rate.min(limit),
            None => program.rate,
        };
        let eligible_amount = match program.per_transaction_base_cap {
            Some(cap) => transaction_amount.min(cap),
            None => transaction_amount,
        };
        let mut result = ProgramResult {
            id: program.id.clone(),
            name: program.name.clone(),
            applied: false,
            subsidy_rate,
            rate_capped_by_share: subsidy_rate < program.rate,
            eligible_amount,
            total: Decimal::ZERO,
            per_period: vec![Decimal::ZERO; n_periods],
        };
        if !plan.eligible {
            program_results.push(result);
            continue;
        }
        let gets_used = used_program == Some(program_idx);
        let used_total = if gets_used { used.total } else { Decimal::ZERO };
        let is_small = program
            .small_consumption_threshold
            .is_some_and(|threshold| transaction_amount < threshold);
        let mut small_left = match (is_small, program.small_consumption_cap) {
            (true, Some(cap)) => {
                let used_small = match (gets_used, used.small_consumption) {
                    (false, _) => Decimal::ZERO,
                    (true, Some(amount)) => amount,
                    (true, None) => {
                        if !used.total.is_zero() {
                            assumptions.push(reason("small-used-assumed", program, ""));
                        }
                        used.total.min(cap)
                    }
                };
                Some(sub(cap, used_small)?.max(Decimal::ZERO))
            }
            _ => None,
        };
        let mut transaction_left = program.per_transaction_cap;
        if program.per_borrower_cap_scope == CapScope::PerYear
            && program.per_borrower_cap.is_some()
            && timeline.anchor.is_none()
        {
            assumptions.push(reason("per-year-undated", program, ""));
        }
        // Per-borrower cap left per scope key (a calendar year, or one key for the period).
        let mut borrower_left: Vec<(Option<i32>, Decimal)> = Vec::new();
        let mut used_scope: Option<Option<i32>> = None;
        let mut reported: Vec<(&'static str, Option<i32>)> = Vec::new();
        let mut exhausted_at_first = false;
        let mut first_seen = false;
        let mut any_formula = false;
        for (period_idx, row) in rows.iter().enumerate() {
            let inside = plan.inside_days[period_idx];
            if inside == 0 || row.accrual_numerator.is_zero() {
                continue;
            }
            let span_days = row.end_day - row.accrual_start_day;
            if span_days <= 0 {
                continue;
            }
            let base = match program.base {
                SubsidyBase::Outstanding => row.opening_balance,
                SubsidyBase::Original => loan.principal,
            };
            // E × share × base × s × accrual × inside ÷ (P × span): one division, one rounding,
            // so exact half-fen amounts round as the rule says. Factors that cancel (E = P, a
            // period wholly inside) are left out to keep the product far from the decimal range.
            let mut numerator_factors = vec![
                program.eligible_share,
                base,
                subsidy_rate,
                row.accrual_numerator,
            ];
            let mut denominator_factors = vec![row.accrual_denominator];
            if eligible_amount != loan.principal {
                numerator_factors.push(eligible_amount);
                denominator_factors.push(loan.principal);
            }
            if inside != span_days {
                numerator_factors.push(Decimal::from(inside));
                denominator_factors.push(Decimal::from(span_days));
            }
            let product = |factors: &[Decimal]| {
                factors
                    .iter()
                    .try_fold(Decimal::ONE, |acc, factor| acc.times(*factor))
            };
            let numerator = checked(product(&numerator_factors))?;
            let denominator = checked(product(&denominator_factors))?;
            let formula = rounding.money(div(numerator, denominator)?);
            any_formula |= !formula.is_zero();
            if formula.is_zero() {
                continue;
            }
            let scope_key = match program.per_borrower_cap_scope {
                CapScope::PerYear => row.year,
                CapScope::PolicyPeriod => None,
            };
            let borrower_slot = match program.per_borrower_cap {
                Some(cap) => {
                    let position = match borrower_left.iter().position(|(k, _)| *k == scope_key) {
                        Some(position) => position,
                        None => {
                            // The first scope met takes the amount already used.
                            let used_here = if used_scope.is_none() {
                                used_scope = Some(scope_key);
                                used_total
                            } else {
                                Decimal::ZERO
                            };
                            borrower_left
                                .push((scope_key, sub(cap, used_here)?.max(Decimal::ZERO)));
                            borrower_left.len() - 1
                        }
                    };
                    Some(position)
                }
                None => None,
            };
            let borrower_limit = borrower_slot.and_then(|i| borrower_left.get(i).map(|x| x.1));
            let limits: [(&'static str, Option<Decimal>); 4] = [
                (
                    "interest-charged",
                    remaining_charge.get(period_idx).copied(),
                ),
                ("per-transaction", transaction_left),
                ("per-borrower", borrower_limit),
                ("small-consumption", small_left),
            ];
            let allowed = limits
                .iter()
                .filter_map(|(_, limit)| *limit)
                .fold(formula, Decimal::min)
                .max(Decimal::ZERO);
            if !first_seen {
                first_seen = true;
                exhausted_at_first = allowed.is_zero()
                    && limits[1..]
                        .iter()
                        .any(|(_, limit)| limit.is_some_and(|l| l.is_zero()));
            }
            if allowed < formula {
                for (cap, limit) in limits {
                    let Some(limit) = limit else { continue };
                    if limit != allowed {
                        continue;
                    }
                    let year = if cap == "per-borrower" {
                        scope_key
                    } else {
                        None
                    };
                    let once = cap != "interest-charged";
                    if once && reported.contains(&(cap, year)) {
                        continue;
                    }
                    // A cap already at zero in an earlier period bound there, not here.
                    if once && limit.is_zero() && reported.iter().any(|(c, _)| *c == cap) {
                        continue;
                    }
                    reported.push((cap, year));
                    caps_bound.push(CapBound {
                        program: program.id.clone(),
                        cap,
                        period: period_idx as u32 + 1,
                        limit,
                        year,
                    });
                }
            }
            let amount = allowed;
            if let Some(left) = transaction_left.as_mut() {
                *left = sub(*left, amount)?;
            }
            if let Some(left) = small_left.as_mut() {
                *left = sub(*left, amount)?;
            }
            if let Some(slot) = borrower_slot.and_then(|i| borrower_left.get_mut(i)) {
                slot.1 = sub(slot.1, amount)?;
            }
            if let Some(charge) = remaining_charge.get_mut(period_idx) {
                *charge = sub(*charge, amount)?;
            }
            if let Some(slot) = result.per_period.get_mut(period_idx) {
                *slot = amount;
            }
            if let Some(slot) = per_period.get_mut(period_idx) {
                *slot = add(*slot, amount)?;
            }
            result.total = add(result.total, amount)?;
        }
        if result.total.is_zero() {
            let code = if exhausted_at_first {
                "cap-exhausted"
            } else if any_formula || subsidy_rate.is_zero() {
                "no-interest-charged"
            } else {
                "below-one-fen"
            };
            reasons.push(reason(code, program, ""));
        } else {
            result.applied = true;
            applied_order.push(format!("subsidy:{}", program.id));
            if first_rate.is_none() {
                first_rate = Some(subsidy_rate);
            }
        }
        program_results.push(result);
    }

    // The borrower's flows and the rates before and after.
    let mut details = Vec::with_capacity(n_periods);
    let mut totals = OutcomeTotals {
        payment: Decimal::ZERO,
        charge: Decimal::ZERO,
        promotion_discount: Decimal::ZERO,
        merchant_paid: Decimal::ZERO,
        subsidy: Decimal::ZERO,
        net_payment: Decimal::ZERO,
    };
    let mut gross_payments = Vec::with_capacity(n_periods);
    let mut promoted_payments = Vec::with_capacity(n_periods);
    let mut net_payments = Vec::with_capacity(n_periods);
    for (period_idx, row) in rows.iter().enumerate() {
        let promotion = promo_outcome
            .periods
            .get(period_idx)
            .copied()
            .unwrap_or_default();
        let discount = promotion.discount();
        let subsidy = per_period.get(period_idx).copied().unwrap_or_default();
        let promoted = sub(row.payment, discount)?;
        let net_payment = sub(promoted, subsidy)?;
        totals.payment = add(totals.payment, row.payment)?;
        totals.charge = add(totals.charge, row.charge)?;
        totals.promotion_discount = add(totals.promotion_discount, discount)?;
        totals.merchant_paid = add(totals.merchant_paid, promotion.merchant_paid)?;
        totals.subsidy = add(totals.subsidy, subsidy)?;
        totals.net_payment = add(totals.net_payment, net_payment)?;
        gross_payments.push(row.payment);
        promoted_payments.push(promoted);
        net_payments.push(net_payment);
        details.push(PeriodDetail {
            period: period_idx as u32 + 1,
            due_date: row.due_date,
            payment: row.payment,
            charge: row.charge,
            promotion_discount: discount,
            merchant_paid: promotion.merchant_paid,
            subsidy,
            net_payment,
        });
    }
    let advance = schedule.amount_received;
    // The one CN annualized-rate rule (days when the first period is odd), as disclosure.
    // Equal flows have equal rates: a loan without promotions (or without subsidy) solves once.
    let (gross_apr, _) = disclosure::cn_annualized(loan, schedule, advance, &gross_payments)?;
    let promoted_apr = if promoted_payments == gross_payments {
        gross_apr.clone()
    } else {
        disclosure::cn_annualized(loan, schedule, advance, &promoted_payments)?.0
    };
    let net_apr = if net_payments == promoted_payments {
        promoted_apr.clone()
    } else {
        disclosure::cn_annualized(loan, schedule, advance, &net_payments)?.0
    };
    Ok(SubsidyOutcome {
        subsidy_rate: first_rate.unwrap_or(Decimal::ZERO),
        total: totals.subsidy,
        per_period,
        contract_rate,
        gross_rate: gross_apr.rate,
        rate_after_promotions: promoted_apr.rate,
        net_rate: net_apr.rate,
        gross_apr,
        net_apr,
        per_period_detail: details,
        totals,
        caps_bound,
        reasons,
        assumptions,
        applied_order,
        programs: program_results,
    })
}

/// Validates a wire request and computes its outcome.
pub fn run(request: &SubsidyRequest) -> Result<SubsidyOutcome, SubsidyError> {
    let loan = request.schedule.to_loan()?;
    let schedule = schedule::build(&loan)?;
    let mut programs = Vec::new();
    if let Some(program) = &request.program {
        programs.push(program.to_program("program")?);
    }
    if let Some(list) = &request.programs {
        for (idx, program) in list.iter().enumerate() {
            programs.push(program.to_program(&format!("programs[{idx}]"))?);
        }
    }
    if request.builtin_programs == Some(true) {
        programs.extend(builtin_programs()?);
    }
    if programs.is_empty() {
        return Err(SubsidyError::MissingProgram);
    }
    let used = SubsidyUsed {
        total: match &request.subsidy_used {
            Some(t) => cap_field(t, "subsidyUsed")?,
            None => Decimal::ZERO,
        },
        small_consumption: request
            .subsidy_used_small
            .as_deref()
            .map(|t| cap_field(t, "subsidyUsedSmall"))
            .transpose()?,
    };
    let promotions = promo::parse_promotions(&request.promotions, "promotions")?;
    let context = match &request.context {
        Some(context) => context.to_context()?,
        None => Context::default(),
    };
    apply(&loan, &schedule, &programs, &promotions, &used, &context)
}

/// The `subsidy` operation: a [`SubsidyRequest`] to its JSON response.
pub fn subsidy_json(request: &SubsidyRequest) -> Result<Value, ApiError> {
    let outcome = run(request).map_err(|e| e.to_api())?;
    serde_json::to_value(&outcome)
        .map_err(|e| ApiError::new("internal", format!("response serialization: {e}"), None))
}

crate::json_object::objects_only!(
    LocalizedText,
    DateWindowRequest,
    ProgramRequest,
    ContextRequest,
    SubsidyRequest,
    ProgramFile
);
crate::json_object::serialize_derived!(
    LocalizedText,
    DateWindowRequest,
    ProgramRequest,
    ContextRequest,
    SubsidyRequest
);
