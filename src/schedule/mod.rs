//! Repayment schedules: 等额本息, 等额本金, 先息后本, bullet and flat-fee card installments.
//!
//! Owns the typed loan terms ([`Loan`]) and the cent-exact schedule ([`Schedule`]) per
//! domain-math §4; [`build`] runs the stages: the period timeline and accruals (`accrual.rs`),
//! the per-period fees (`fees.rs`), principal and interest by method (`amortize.rs`, with the
//! level payment in `level.rs`), then the rows, their sums and the upfront fees.
//! The wire request ([`ScheduleRequest`]), its decimal strings, wire names and JSON paths live
//! in [`wire`] alone; everything here takes typed values.
//! Every figure is rounded to the fen with the loan's named [`Rounding`]; the last period absorbs
//! every residual so the closing balance is exactly zero.
//! This module does no IO and knows nothing of rates disclosure or subsidies.

mod accrual;
mod amortize;
mod fees;
mod json;
mod level;
mod plain;
pub mod wire;

pub use fees::{fee_totals, FeeTotals};
pub use level::level_payment;
pub use plain::{plain_rows, PlainLoan};
pub use wire::{decimal_error, FeeRequest, ScheduleRequest};

use crate::date::Date;
use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::money::{self, Fen, Rounding};
use rust_decimal::Decimal;
use serde::Serialize;

/// Longest term accepted, in months (50 years).
pub const MAX_TERM_MONTHS: u32 = 600;

/// How principal and interest are spread over the periods (wire names read in [`wire`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// 等额本息: a level payment M, interest on the opening balance.
    EqualInstallment,
    /// 等额本金: level principal, interest on the opening balance.
    EqualPrincipal,
    /// 先息后本: interest every period, all principal at the end.
    InterestOnly,
    /// 一次性还本付息: one payment of principal and interest at maturity.
    Bullet,
    /// 分期手续费: level principal and a flat fee on the original principal, no interest.
    FlatFee,
}

impl Method {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::EqualInstallment => "equal-installment",
            Method::EqualPrincipal => "equal-principal",
            Method::InterestOnly => "interest-only",
            Method::Bullet => "bullet",
            Method::FlatFee => "flat-fee",
        }
    }
}

/// How interest accrues between two dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DayCount {
    /// Every regular month is 1/12 of a year (the default); odd periods use actual days ÷ 360.
    #[default]
    Thirty360,
    /// Actual days ÷ 360.
    Act360,
    /// Actual days ÷ 365.
    Act365,
}

impl DayCount {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DayCount::Thirty360 => "30/360",
            DayCount::Act360 => "act/360",
            DayCount::Act365 => "act/365",
        }
    }

    /// Days in the year used to turn actual days into a year fraction.
    pub fn basis_days(self) -> i64 {
        match self {
            DayCount::Thirty360 | DayCount::Act360 => 360,
            DayCount::Act365 => 365,
        }
    }
}

/// What a fee pays for; caps name the kinds they include (wire names and `Deserialize` in
/// [`wire`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeeKind {
    /// Service / handling fee (服务费, 手续费).
    Service,
    /// Guarantee fee (担保费).
    Guarantee,
    /// Credit insurance premium (保险费).
    Insurance,
    /// Membership fee bundled with the loan (会员费).
    Membership,
    /// The flat installment fee of a card installment (分期手续费).
    Installment,
    /// Any other cost directly tied to the loan.
    Other,
}

/// When a fee is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeTiming {
    /// Deducted from the amount disbursed (砍头息): the borrower receives less.
    UpfrontDeducted,
    /// Paid by the borrower at signing: also reduces what the borrower has in hand.
    UpfrontPaid,
    /// Paid with every installment.
    PerPeriod,
}

/// How much a fee is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeAmount {
    /// A fixed amount (per period for per-period fees).
    Fixed(Decimal),
    /// A fraction of the original principal (per period for per-period fees).
    Rate(Decimal),
}

/// One fee tied to the loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// What it pays for.
    pub kind: FeeKind,
    /// When it is paid.
    pub timing: FeeTiming,
    /// How much.
    pub amount: FeeAmount,
}

/// Validated loan terms: the Rust API's input to [`build`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loan {
    /// Contract principal in yuan (2 decimals).
    pub principal: Decimal,
    /// Contract annual rate as a fraction (`0.072`); zero for flat-fee installments.
    pub annual_rate: Decimal,
    /// Number of monthly periods, 1–600.
    pub term_months: u32,
    /// Amortization method.
    pub method: Method,
    /// Per-period installment fee rate on the original principal (flat-fee only).
    pub fee_rate: Decimal,
    /// Disbursement date; needed for due dates and actual day counts.
    pub start_date: Option<Date>,
    /// First due date; when it is not one month after `start_date` the first period is odd.
    /// Its day of the month (else the start's day) anchors every due date, clamped to each
    /// month's end ([`crate::date::monthly_due_date`]); a lender with a fixed due day (the
    /// 28th) gives a first due date on that day.
    pub first_due_date: Option<Date>,
    /// Interest accrual convention.
    pub day_count: DayCount,
    /// Rounding of every money figure.
    pub rounding: Rounding,
    /// Fees beyond interest.
    pub fees: Vec<Fee>,
}

/// One row of the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Installment {
    /// 1-based period number.
    pub period: u32,
    /// Due date when the loan has a start date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// principal + interest + fee.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Principal repaid.
    #[serde(serialize_with = "money::ser_money")]
    pub principal: Decimal,
    /// Interest charged.
    #[serde(serialize_with = "money::ser_money")]
    pub interest: Decimal,
    /// Per-period fees (installment fee and every per-period fee).
    #[serde(serialize_with = "money::ser_money")]
    pub fee: Decimal,
    /// Closing balance.
    #[serde(serialize_with = "money::ser_money")]
    pub balance: Decimal,
}

/// Sums over all installments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Σ payment.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Σ principal (always the loan principal).
    #[serde(serialize_with = "money::ser_money")]
    pub principal: Decimal,
    /// Σ interest.
    #[serde(serialize_with = "money::ser_money")]
    pub interest: Decimal,
    /// Σ per-period fees.
    #[serde(serialize_with = "money::ser_money")]
    pub fee: Decimal,
}

/// Fees settled before the first installment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Upfront {
    /// Deducted from the disbursement.
    #[serde(serialize_with = "money::ser_money")]
    pub deducted: Decimal,
    /// Paid by the borrower at signing.
    #[serde(serialize_with = "money::ser_money")]
    pub paid_at_signing: Decimal,
}

/// A complete cent-exact schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    /// One row per period.
    pub installments: Vec<Installment>,
    /// Sums of the rows.
    pub totals: Totals,
    /// Fees settled at the start.
    pub upfront: Upfront,
    /// What the borrower actually has in hand: principal − deducted − paid at signing (CF0).
    #[serde(serialize_with = "money::ser_money")]
    pub amount_received: Decimal,
    /// Total cost of credit: interest + every fee, upfront or per period.
    #[serde(serialize_with = "money::ser_money")]
    pub total_cost: Decimal,
}

/// Why a schedule cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// A decimal field is not a plain decimal string.
    #[error("{path} is not a plain decimal string")]
    MalformedDecimal {
        /// JSON path of the field.
        path: String,
    },
    /// A money field has more than two decimals.
    #[error("{path} has more than {max_dp} decimals")]
    OverPrecise {
        /// JSON path of the field.
        path: String,
        /// Decimals allowed.
        max_dp: u32,
    },
    /// A number is outside the accepted range.
    #[error("{path} is out of the accepted range")]
    OutOfRange {
        /// JSON path of the field.
        path: String,
    },
    /// Principal is zero or negative.
    #[error("principal must be greater than zero")]
    InvalidPrincipal,
    /// Term outside 1–600 months.
    #[error("term must be between 1 and {MAX_TERM_MONTHS} months, got {term}")]
    InvalidTerm {
        /// The term given.
        term: i64,
    },
    /// A rate is negative.
    #[error("{path} must not be negative")]
    NegativeRate {
        /// JSON path of the field.
        path: String,
    },
    /// The method is not one of the five known.
    #[error("unknown method {}", crate::error::quoted(.name))]
    UnknownMethod {
        /// The name given.
        name: String,
    },
    /// The day count is not one of the three known.
    #[error("unknown day count {}", crate::error::quoted(.name))]
    UnknownDayCount {
        /// The name given.
        name: String,
    },
    /// The rounding rule is not one of the three known.
    #[error("unknown rounding {}", crate::error::quoted(.name))]
    UnknownRounding {
        /// The name given.
        name: String,
    },
    /// A fee is malformed (unknown kind or timing, both or neither of amount and rate).
    #[error("{path}: {reason}")]
    InvalidFee {
        /// JSON path of the fee field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A field is present that this method does not use, or one it needs is absent.
    #[error("{path}: {reason}")]
    Inconsistent {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A date is not a valid `YYYY-MM-DD` (or the schedule runs past 2200).
    #[error("{path} is not a valid YYYY-MM-DD date from 1900 to 2200")]
    InvalidDate {
        /// JSON path of the field.
        path: String,
    },
    /// A day count or a first due date needs a start date.
    #[error("startDate is required with {reason}")]
    MissingStartDate {
        /// What needed it.
        reason: String,
    },
    /// The first due date is not after the start date.
    #[error("firstDueDate must be after startDate")]
    FirstDueNotAfterStart,
    /// Upfront fees leave the borrower nothing.
    #[error("upfront fees of {} leave nothing of the principal", crate::money::decimal_text(*.fees))]
    FeesExceedPrincipal {
        /// Sum of upfront fees.
        fees: Decimal,
    },
    /// Interest in a period exceeds the level payment.
    #[error("interest in period {period} exceeds the level payment")]
    NegativeAmortization {
        /// The period where it happens.
        period: u32,
    },
    /// An intermediate figure left the decimal range.
    #[error("arithmetic overflow")]
    Overflow,
}

impl From<crate::money::Overflow> for ScheduleError {
    fn from(_: crate::money::Overflow) -> Self {
        ScheduleError::Overflow
    }
}

impl ErrorCode for ScheduleError {
    fn code(&self) -> &'static str {
        match self {
            ScheduleError::MalformedDecimal { .. } => "malformed-decimal",
            ScheduleError::OverPrecise { .. } => "over-precise-amount",
            ScheduleError::OutOfRange { .. } => "out-of-range",
            ScheduleError::InvalidPrincipal => "invalid-principal",
            ScheduleError::InvalidTerm { .. } => "invalid-term",
            ScheduleError::NegativeRate { .. } => "invalid-rate",
            ScheduleError::UnknownMethod { .. } => "unknown-method",
            ScheduleError::UnknownDayCount { .. } => "unknown-day-count",
            ScheduleError::UnknownRounding { .. } => "unknown-rounding",
            ScheduleError::InvalidFee { .. } => "invalid-fee",
            ScheduleError::Inconsistent { .. } => "invalid-request",
            ScheduleError::InvalidDate { .. } => "invalid-date",
            ScheduleError::MissingStartDate { .. } => "missing-start-date",
            ScheduleError::FirstDueNotAfterStart => "invalid-date",
            ScheduleError::FeesExceedPrincipal { .. } => "fees-exceed-principal",
            ScheduleError::NegativeAmortization { .. } => "negative-amortization",
            ScheduleError::Overflow => "overflow",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            ScheduleError::MalformedDecimal { path }
            | ScheduleError::OverPrecise { path, .. }
            | ScheduleError::OutOfRange { path }
            | ScheduleError::NegativeRate { path }
            | ScheduleError::InvalidFee { path, .. }
            | ScheduleError::Inconsistent { path, .. }
            | ScheduleError::InvalidDate { path } => Some(path.clone()),
            ScheduleError::InvalidPrincipal => Some("principal".into()),
            ScheduleError::InvalidTerm { .. } => Some("termMonths".into()),
            ScheduleError::UnknownMethod { .. } => Some("method".into()),
            ScheduleError::UnknownDayCount { .. } => Some("dayCount".into()),
            ScheduleError::UnknownRounding { .. } => Some("rounding".into()),
            ScheduleError::MissingStartDate { .. } => Some("startDate".into()),
            ScheduleError::FirstDueNotAfterStart => Some("firstDueDate".into()),
            ScheduleError::FeesExceedPrincipal { .. } => Some("fees".into()),
            ScheduleError::NegativeAmortization { .. } | ScheduleError::Overflow => None,
        }
    }

    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    fn message(&self) -> String {
        use crate::error::{concat, int, quoted, uint};
        match self {
            ScheduleError::MalformedDecimal { path } => {
                concat(&[path, " is not a plain decimal string"])
            }
            ScheduleError::OverPrecise { path, max_dp } => concat(&[
                path,
                " has more than ",
                &uint(u64::from(*max_dp)),
                " decimals",
            ]),
            ScheduleError::OutOfRange { path } => concat(&[path, " is out of the accepted range"]),
            ScheduleError::InvalidPrincipal => "principal must be greater than zero".to_owned(),
            ScheduleError::InvalidTerm { term } => concat(&[
                "term must be between 1 and ",
                &uint(u64::from(MAX_TERM_MONTHS)),
                " months, got ",
                &int(*term),
            ]),
            ScheduleError::NegativeRate { path } => concat(&[path, " must not be negative"]),
            ScheduleError::UnknownMethod { name } => concat(&["unknown method ", &quoted(name)]),
            ScheduleError::UnknownDayCount { name } => {
                concat(&["unknown day count ", &quoted(name)])
            }
            ScheduleError::UnknownRounding { name } => {
                concat(&["unknown rounding ", &quoted(name)])
            }
            ScheduleError::InvalidFee { path, reason }
            | ScheduleError::Inconsistent { path, reason } => concat(&[path, ": ", reason]),
            ScheduleError::InvalidDate { path } => {
                concat(&[path, " is not a valid YYYY-MM-DD date from 1900 to 2200"])
            }
            ScheduleError::MissingStartDate { reason } => {
                concat(&["startDate is required with ", reason])
            }
            ScheduleError::FirstDueNotAfterStart => {
                "firstDueDate must be after startDate".to_owned()
            }
            ScheduleError::FeesExceedPrincipal { fees } => concat(&[
                "upfront fees of ",
                &money::decimal_text(*fees),
                " leave nothing of the principal",
            ]),
            ScheduleError::NegativeAmortization { period } => concat(&[
                "interest in period ",
                &uint(u64::from(*period)),
                " exceeds the level payment",
            ]),
            ScheduleError::Overflow => "arithmetic overflow".to_owned(),
        }
    }
}

impl Loan {
    /// The fees' own invariants, which the wire reader guarantees and hand-built terms must
    /// meet too: at most [`crate::limits::MAX_FEES`] fees (`out-of-range` at `fees`), fixed
    /// amounts in whole fen within [`money::MAX_AMOUNT`] and rates within 0–1000 (the wire's
    /// codes, at `fees[i].amount` / `fees[i].rate`), so every schedule sum stays far inside the
    /// fen arithmetic's range.
    fn validate_fees(&self) -> Result<(), ScheduleError> {
        if self.fees.len() > crate::limits::MAX_FEES {
            return Err(ScheduleError::OutOfRange {
                path: "fees".into(),
            });
        }
        for (idx, fee) in self.fees.iter().enumerate() {
            match fee.amount {
                FeeAmount::Fixed(amount) => {
                    if amount.normalize().scale() > money::MONEY_DP {
                        return Err(ScheduleError::OverPrecise {
                            path: crate::error::concat(&[
                                "fees[",
                                &crate::error::uint(idx as u64),
                                "].amount",
                            ]),
                            max_dp: money::MONEY_DP,
                        });
                    }
                    if amount.abs() > money::MAX_AMOUNT {
                        return Err(ScheduleError::OutOfRange {
                            path: crate::error::concat(&[
                                "fees[",
                                &crate::error::uint(idx as u64),
                                "].amount",
                            ]),
                        });
                    }
                }
                FeeAmount::Rate(rate) => {
                    if rate.abs() > Decimal::from(1000) {
                        return Err(ScheduleError::OutOfRange {
                            path: crate::error::concat(&[
                                "fees[",
                                &crate::error::uint(idx as u64),
                                "].rate",
                            ]),
                        });
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks the invariants a hand-built `Loan` must also satisfy.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        if self.principal <= Decimal::ZERO {
            return Err(ScheduleError::InvalidPrincipal);
        }
        if self.principal.normalize().scale() > money::MONEY_DP {
            return Err(ScheduleError::OverPrecise {
                path: "principal".into(),
                max_dp: 2,
            });
        }
        if self.principal > money::MAX_AMOUNT {
            return Err(ScheduleError::OutOfRange {
                path: "principal".into(),
            });
        }
        if self.term_months == 0 || self.term_months > MAX_TERM_MONTHS {
            return Err(ScheduleError::InvalidTerm {
                term: i64::from(self.term_months),
            });
        }
        for (value, path) in [(self.annual_rate, "annualRate"), (self.fee_rate, "feeRate")] {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(ScheduleError::NegativeRate { path: path.into() });
            }
            if value > Decimal::from(1000) {
                return Err(ScheduleError::OutOfRange { path: path.into() });
            }
        }
        self.validate_fees()?;
        if self.method == Method::FlatFee && !self.annual_rate.is_zero() {
            return Err(ScheduleError::Inconsistent {
                path: "annualRate".into(),
                reason: "flat-fee installments charge a fee, not interest".into(),
            });
        }
        if self.start_date.is_none() {
            if self.day_count != DayCount::Thirty360 {
                return Err(ScheduleError::MissingStartDate {
                    reason: crate::error::concat(&["dayCount ", self.day_count.as_str()]),
                });
            }
            if self.first_due_date.is_some() {
                return Err(ScheduleError::MissingStartDate {
                    reason: "firstDueDate".into(),
                });
            }
        }
        if let (Some(start), Some(first_due)) = (self.start_date, self.first_due_date) {
            if first_due <= start {
                return Err(ScheduleError::FirstDueNotAfterStart);
            }
            // An odd first period longer than a year is almost certainly a typo.
            if start.days_until(first_due) > 366 {
                return Err(ScheduleError::Inconsistent {
                    path: "firstDueDate".into(),
                    reason: "the first period may not exceed one year".into(),
                });
            }
        }
        Ok(())
    }
}

// `ok_or_else`: building and dropping an unused error on every checked op is measurable.

/// The rows of a schedule in whole fen, before any figure becomes a decimal: what
/// [`build`] turns into a [`Schedule`] and what the wasm fast path hands to JS as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenRows {
    /// `[payment, principal, interest, fee, closing balance]` of each period, in fen.
    pub rows: Vec<[Fen; 5]>,
    /// Due date of each period (empty without a start date).
    pub due_dates: Vec<Option<Date>>,
    /// Fees settled at the start.
    pub upfront: Upfront,
    /// What the borrower has in hand: principal − upfront fees (always above zero).
    pub amount_received: Decimal,
}

/// The schedule of validated loan terms as rows of whole fen (domain-math §4).
///
/// The stages: the timeline of due dates and accruals, the fees of each period, principal and
/// interest by method, then the rows on exact integer fen, and the upfront fees.
///
/// # Errors
/// Every [`ScheduleError`] of [`Loan::validate`], `negative-amortization`,
/// `fees-exceed-principal` and `overflow`.
pub fn build_fen(loan: &Loan) -> Result<FenRows, ScheduleError> {
    loan.validate()?;
    let timeline = accrual::timeline(loan)?;
    let period_fees = fees::period_fees(loan)?;
    let mut rows = amortize::split(loan, &timeline)?;
    let mut balance = amortize::fen(loan.principal, "principal")?;
    for (period_idx, row) in rows.iter_mut().enumerate() {
        let fee = period_fees.get(period_idx).copied().unwrap_or(0);
        let [_, principal, interest, _, _] = *row;
        balance -= principal;
        *row = [
            principal + interest + fee,
            principal,
            interest,
            fee,
            balance,
        ];
    }
    let upfront = fees::upfront(loan)?;
    let upfront_total = upfront.deducted.plus(upfront.paid_at_signing)?;
    let amount_received = loan.principal.minus(upfront_total)?;
    if amount_received <= Decimal::ZERO {
        return Err(ScheduleError::FeesExceedPrincipal {
            fees: upfront_total,
        });
    }
    Ok(FenRows {
        rows,
        due_dates: timeline.due_dates,
        upfront,
        amount_received,
    })
}

/// Builds the schedule for validated loan terms: [`build_fen`]'s rows, their sums, and each
/// figure as a two-decimal amount.
pub fn build(loan: &Loan) -> Result<Schedule, ScheduleError> {
    let fen_rows = build_fen(loan)?;
    let mut installments = Vec::with_capacity(fen_rows.rows.len());
    let mut sums: [Fen; 4] = [0; 4];
    for (period_idx, row) in fen_rows.rows.iter().enumerate() {
        for (sum, value) in sums.iter_mut().zip(row) {
            *sum += value;
        }
        let [payment, principal, interest, fee, balance] = row.map(money::from_fen);
        installments.push(Installment {
            period: period_idx as u32 + 1,
            due_date: fen_rows.due_dates.get(period_idx).copied().flatten(),
            payment: payment?,
            principal: principal?,
            interest: interest?,
            fee: fee?,
            balance: balance?,
        });
    }
    let [payment, principal, interest, fee] = sums.map(money::from_fen);
    let totals = Totals {
        payment: payment?,
        principal: principal?,
        interest: interest?,
        fee: fee?,
    };
    let upfront_total = fen_rows
        .upfront
        .deducted
        .plus(fen_rows.upfront.paid_at_signing)?;
    let total_cost = totals.interest.plus(totals.fee)?.plus(upfront_total)?;
    Ok(Schedule {
        installments,
        totals,
        upfront: fen_rows.upfront,
        amount_received: fen_rows.amount_received,
        total_cost,
    })
}

/// Validates a wire request and builds its rows in fen (what the JSON door writes out with
/// [`FenRows::to_json`]).
pub fn schedule_rows(request: &ScheduleRequest) -> Result<FenRows, ScheduleError> {
    build_fen(&request.to_loan()?)
}

/// Validates a wire request and builds its schedule.
pub fn schedule(request: &ScheduleRequest) -> Result<Schedule, ScheduleError> {
    build(&request.to_loan()?)
}

impl Schedule {
    /// The borrower's cash flows for the IRR method: amount received, then each payment.
    pub fn borrower_flows(&self) -> (Decimal, Vec<Decimal>) {
        (
            self.amount_received,
            self.installments.iter().map(|row| row.payment).collect(),
        )
    }
}

/// A deterministic xorshift64 stream for the schedule's generated-case tests: `next(bound)`
/// answers a value below `bound` (no dependency, the same cases on every run).
#[cfg(test)]
pub(crate) fn test_cases(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |bound| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    }
}
