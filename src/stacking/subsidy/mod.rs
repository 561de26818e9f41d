//! Fiscal interest subsidies (财政贴息) per domain-math §5: programs as data, the per-period
//! subsidy, caps, eligibility reasons, and the annualized rate before and after.
//!
//! Owns the program model ([`Program`], [`Context`], [`SubsidyUsed`]), the `subsidy` JSON
//! operation and the Rust entry point [`apply`] that a quote engine calls with an already built
//! [`Schedule`]. The wire forms ([`ProgramRequest`], [`ContextRequest`], [`SubsidyRequest`]) and
//! the shipped sample rule sets ([`BUILTIN_PROGRAMS_JSON`]) live in [`super::wire`] and are
//! re-exported here.
//! [`apply`] runs its stages in order, one step each: the inputs are checked, the contract rate
//! and the timeline are derived (`timeline`), promotions run ([`crate::stacking::promo`]),
//! each program's eligibility is decided (`eligibility`), programs pay period by period under
//! their caps (`payout`, the caps kept by `ledger::CapLedger`), and the outcome with the
//! rates before and after is assembled (`outcome`). Reason texts come from `messages`.
//! The subsidy is computed last and never exceeds the charge the promotions left (see the
//! stacking order in [`crate::stacking`]).
//! Choosing among programs uses only their dates and eligibility data: there is no code path
//! named after a year. This module does no IO, reads no clock and parses no strings: "today" is
//! `context.asOf`.
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

use crate::apr;
use crate::date::Date;
use crate::error::{ApiError, ErrorCode};
use crate::money::DecimalIssue;
use crate::schedule::{self, Loan, Schedule, ScheduleError};
use crate::stacking::promo::{self, ChargeRow, PromoError, PromoOutcome, Promotion};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

mod eligibility;
mod json;
mod ledger;
mod messages;
mod outcome;
mod payout;
mod timeline;

pub use super::wire::{
    builtin_programs, CapScope, ContextRequest, DateWindowRequest, LoanKind, LocalizedText,
    ProgramRequest, StackingInputs, SubsidyBase, SubsidyRequest, BUILTIN_PROGRAMS_JSON,
};
pub use outcome::{CapBound, OutcomeTotals, PeriodDetail, ProgramResult, Reason, SubsidyOutcome};

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

/// Subsidy the borrower has already received under the cap in effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubsidyUsed {
    /// Against the per-borrower cap.
    pub total: Decimal,
    /// Of which from small transactions; `None` = unknown (then assumed to be all of `total`,
    /// up to the small cap, so the engine never promises more than the borrower may get).
    pub small_consumption: Option<Decimal>,
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
    #[error("{path} is not a valid YYYY-MM-DD date from 1900 to 2200")]
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

// An intermediate figure left the decimal range: the one failure of the stages after the
// inputs are checked, small so it travels between them cheaply; it becomes
// `SubsidyError::Overflow` at the stage boundary.
use crate::money::Overflow;

impl From<Overflow> for SubsidyError {
    fn from(_: Overflow) -> Self {
        SubsidyError::Overflow
    }
}

/// What every stage after the timeline reads: the loan, the facts about it and its periods.
struct Facts<'a> {
    loan: &'a Loan,
    context: &'a Context,
    timeline: &'a timeline::Timeline,
    /// Given in the context, or inferred from the method.
    loan_kind: LoanKind,
    /// The part of the principal spent on eligible consumption (`E` before the base cap).
    transaction_amount: Decimal,
    /// The contract rate the share-of-contract-rate cap compares with.
    contract_rate: Decimal,
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
    check_inputs(loan, schedule, used, context)?;
    let contract = timeline::contract_terms(loan, schedule)?;
    let timeline = timeline::timeline(loan, schedule, &contract.installment_fees, context.as_of)?;
    let (loan_kind, mut assumptions) = eligibility::loan_assumptions(loan, programs, context);
    let facts = Facts {
        loan,
        context,
        timeline: &timeline,
        loan_kind,
        transaction_amount: context.eligible_amount.unwrap_or(loan.principal),
        contract_rate: contract.rate,
    };
    // Promotions first: they define the charge the subsidy may reimburse.
    let promoted = promotions_first(promotions, &timeline, loan.rounding)?;
    let mut reasons: Vec<Reason> = Vec::new();
    let plans = eligibility::plan_programs(programs, &facts, &mut reasons, &mut assumptions);
    let payout = payout::pay_programs(
        programs,
        &plans,
        &facts,
        used,
        &promoted,
        &mut reasons,
        &mut assumptions,
    )?;
    outcome::assemble(&facts, schedule, &promoted, payout, reasons, assumptions)
}

/// Refuses a schedule of another loan, an eligible amount above the principal and negative
/// amounts already used.
fn check_inputs(
    loan: &Loan,
    schedule: &Schedule,
    used: &SubsidyUsed,
    context: &Context,
) -> Result<(), SubsidyError> {
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
    Ok(())
}

/// Runs the promotions over the timeline's charges (stacking steps 1–4).
fn promotions_first(
    promotions: &[Promotion],
    timeline: &timeline::Timeline,
    rounding: crate::money::Rounding,
) -> Result<PromoOutcome, SubsidyError> {
    let charge_rows: Vec<ChargeRow> = timeline
        .rows
        .iter()
        .map(|row| ChargeRow {
            charge: row.charge,
            accrual_start_day: row.accrual_start_day,
            end_day: row.end_day,
        })
        .collect();
    Ok(promo::apply(
        promotions,
        &charge_rows,
        timeline.start_day,
        rounding,
    )?)
}

/// Validates a wire request and computes its outcome.
pub fn run(request: &SubsidyRequest) -> Result<SubsidyOutcome, SubsidyError> {
    let loan = request.schedule.to_loan()?;
    let schedule = schedule::build(&loan)?;
    let inputs = request.to_inputs()?;
    apply(
        &loan,
        &schedule,
        &inputs.programs,
        &inputs.promotions,
        &inputs.used,
        &inputs.context,
    )
}

/// The `subsidy` operation: a [`SubsidyRequest`] to its JSON response.
pub fn subsidy_json(request: &SubsidyRequest) -> Result<Value, ApiError> {
    let outcome = run(request).map_err(|e| e.to_api())?;
    serde_json::to_value(&outcome)
        .map_err(|e| ApiError::new("internal", format!("response serialization: {e}"), None))
}
