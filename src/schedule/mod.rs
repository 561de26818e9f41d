//! Repayment schedules: 等额本息, 等额本金, 先息后本, bullet and flat-fee card installments.
//!
//! Owns the loan terms ([`Loan`]), their validation from the wire request ([`ScheduleRequest`]),
//! and the cent-exact schedule ([`Schedule`]) per domain-math §4.
//! Every figure is rounded to the fen with the loan's named [`Rounding`]; the last period absorbs
//! every residual so the closing balance is exactly zero.
//! This module does no IO and knows nothing of rates disclosure or subsidies.

use crate::date::{monthly_due_date, Date};
use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::money::{self, parse_amount, parse_rate, DecimalIssue, Rounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Longest term accepted, in months (50 years).
pub const MAX_TERM_MONTHS: u32 = 600;

/// How principal and interest are spread over the periods.
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
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "equal-installment" => Method::EqualInstallment,
            "equal-principal" => Method::EqualPrincipal,
            "interest-only" => Method::InterestOnly,
            "bullet" => Method::Bullet,
            "flat-fee" => Method::FlatFee,
            _ => return None,
        })
    }

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
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<DayCount> {
        Some(match name {
            "30/360" => DayCount::Thirty360,
            "act/360" => DayCount::Act360,
            "act/365" => DayCount::Act365,
            _ => return None,
        })
    }

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

/// What a fee pays for; caps name the kinds they include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

impl FeeKind {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<FeeKind> {
        Some(match name {
            "service" => FeeKind::Service,
            "guarantee" => FeeKind::Guarantee,
            "insurance" => FeeKind::Insurance,
            "membership" => FeeKind::Membership,
            "installment" => FeeKind::Installment,
            "other" => FeeKind::Other,
            _ => return None,
        })
    }
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

impl FeeTiming {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<FeeTiming> {
        Some(match name {
            "upfront-deducted" => FeeTiming::UpfrontDeducted,
            "upfront-paid" => FeeTiming::UpfrontPaid,
            "per-period" => FeeTiming::PerPeriod,
            _ => return None,
        })
    }
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

/// The wire form of a schedule request (camelCase, decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleRequest {
    /// Principal, e.g. `"10000.00"`.
    pub principal: String,
    /// Annual rate fraction, e.g. `"0.072"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_rate: Option<String>,
    /// Term in months.
    pub term_months: i64,
    /// Method name.
    pub method: String,
    /// Flat-fee rate per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_rate: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`; its day anchors every due date (else the start date's day), clamped to
    /// each month's end like spreadsheet EDATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_due_date: Option<String>,
    /// `30/360`, `act/360` or `act/365`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_count: Option<String>,
    /// `half-up`, `half-even` or `down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<String>,
    /// Fees beyond interest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<FeeRequest>,
}

/// The wire form of one fee.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeRequest {
    /// `service`, `guarantee`, `insurance`, `membership`, `installment` or `other`.
    pub kind: String,
    /// `upfront-deducted`, `upfront-paid` or `per-period`.
    pub timing: String,
    /// Fixed amount (exclusive with `rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Fraction of the original principal (exclusive with `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
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
    #[error("unknown method {name:?}")]
    UnknownMethod {
        /// The name given.
        name: String,
    },
    /// The day count is not one of the three known.
    #[error("unknown day count {name:?}")]
    UnknownDayCount {
        /// The name given.
        name: String,
    },
    /// The rounding rule is not one of the three known.
    #[error("unknown rounding {name:?}")]
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
    #[error("{path} is not a valid date")]
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
    #[error("upfront fees of {fees} leave nothing of the principal")]
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
}

/// The schedule error of a malformed, over-precise or out-of-range decimal at `path`: the one
/// mapping every door uses for request amounts (`malformed-decimal`, `over-precise-amount`,
/// `out-of-range`).
pub fn decimal_error(issue: DecimalIssue, path: &str) -> ScheduleError {
    let path = path.to_owned();
    match issue {
        DecimalIssue::Malformed => ScheduleError::MalformedDecimal { path },
        DecimalIssue::OverPrecise { max_dp } => ScheduleError::OverPrecise { path, max_dp },
        DecimalIssue::OutOfRange => ScheduleError::OutOfRange { path },
    }
}

fn amount_field(text: &str, path: &str) -> Result<Decimal, ScheduleError> {
    parse_amount(text).map_err(|issue| decimal_error(issue, path))
}

fn rate_field(text: &str, path: &str) -> Result<Decimal, ScheduleError> {
    let rate = parse_rate(text).map_err(|issue| decimal_error(issue, path))?;
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(ScheduleError::NegativeRate {
            path: path.to_owned(),
        });
    }
    Ok(rate)
}

fn date_field(text: &str, path: &str) -> Result<Date, ScheduleError> {
    Date::parse(text).ok_or_else(|| ScheduleError::InvalidDate {
        path: path.to_owned(),
    })
}

impl ScheduleRequest {
    /// Validates the wire request into loan terms; the first problem found is returned with
    /// its JSON path (fields are checked in declaration order).
    pub fn to_loan(&self) -> Result<Loan, ScheduleError> {
        let principal = amount_field(&self.principal, "principal")?;
        let method = Method::parse(&self.method).ok_or_else(|| ScheduleError::UnknownMethod {
            name: self.method.clone(),
        })?;
        let annual_rate = match &self.annual_rate {
            Some(text) => rate_field(text, "annualRate")?,
            None if method == Method::FlatFee => Decimal::ZERO,
            None => {
                return Err(ScheduleError::Inconsistent {
                    path: "annualRate".into(),
                    reason: format!("required for {}", method.as_str()),
                })
            }
        };
        let fee_rate = match (&self.fee_rate, method) {
            (Some(text), Method::FlatFee) => rate_field(text, "feeRate")?,
            (None, Method::FlatFee) => {
                return Err(ScheduleError::Inconsistent {
                    path: "feeRate".into(),
                    reason: "required for flat-fee".into(),
                })
            }
            (Some(_), _) => {
                return Err(ScheduleError::Inconsistent {
                    path: "feeRate".into(),
                    reason: "only flat-fee installments take feeRate; use fees".into(),
                })
            }
            (None, _) => Decimal::ZERO,
        };
        let day_count = match &self.day_count {
            Some(name) => DayCount::parse(name)
                .ok_or_else(|| ScheduleError::UnknownDayCount { name: name.clone() })?,
            None => DayCount::default(),
        };
        let rounding = match &self.rounding {
            Some(name) => Rounding::parse(name)
                .ok_or_else(|| ScheduleError::UnknownRounding { name: name.clone() })?,
            None => Rounding::default(),
        };
        let start_date = self
            .start_date
            .as_deref()
            .map(|t| date_field(t, "startDate"))
            .transpose()?;
        let first_due_date = self
            .first_due_date
            .as_deref()
            .map(|t| date_field(t, "firstDueDate"))
            .transpose()?;
        let fees = self
            .fees
            .iter()
            .enumerate()
            .map(|(idx, fee)| fee.to_fee(idx))
            .collect::<Result<Vec<_>, _>>()?;
        let term_months =
            u32::try_from(self.term_months).map_err(|_| ScheduleError::InvalidTerm {
                term: self.term_months,
            })?;
        let loan = Loan {
            principal,
            annual_rate,
            term_months,
            method,
            fee_rate,
            start_date,
            first_due_date,
            day_count,
            rounding,
            fees,
        };
        loan.validate()?;
        Ok(loan)
    }
}

impl FeeRequest {
    fn to_fee(&self, idx: usize) -> Result<Fee, ScheduleError> {
        let path = |field: &str| format!("fees[{idx}].{field}");
        let kind = FeeKind::parse(&self.kind).ok_or_else(|| ScheduleError::InvalidFee {
            path: path("kind"),
            reason: format!("unknown fee kind {:?}", self.kind),
        })?;
        let timing = FeeTiming::parse(&self.timing).ok_or_else(|| ScheduleError::InvalidFee {
            path: path("timing"),
            reason: format!("unknown fee timing {:?}", self.timing),
        })?;
        let amount = match (&self.amount, &self.rate) {
            (Some(text), None) => {
                let value = amount_field(text, &path("amount"))?;
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(ScheduleError::InvalidFee {
                        path: path("amount"),
                        reason: "must not be negative".into(),
                    });
                }
                FeeAmount::Fixed(value)
            }
            (None, Some(text)) => FeeAmount::Rate(rate_field(text, &path("rate"))?),
            _ => {
                return Err(ScheduleError::InvalidFee {
                    path: format!("fees[{idx}]"),
                    reason: "give exactly one of amount and rate".into(),
                })
            }
        };
        Ok(Fee {
            kind,
            timing,
            amount,
        })
    }
}

impl Loan {
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
        if self.method == Method::FlatFee && !self.annual_rate.is_zero() {
            return Err(ScheduleError::Inconsistent {
                path: "annualRate".into(),
                reason: "flat-fee installments charge a fee, not interest".into(),
            });
        }
        if self.start_date.is_none() {
            if self.day_count != DayCount::Thirty360 {
                return Err(ScheduleError::MissingStartDate {
                    reason: format!("dayCount {}", self.day_count.as_str()),
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

/// Year fraction of one period as `days / basis`, kept apart so that `balance × rate × days`
/// is exact and a single division precedes the rounding. A regular 30/360 month is 30/360.
#[derive(Debug, Clone, Copy)]
struct Accrual {
    numerator: Decimal,
    denominator: Decimal,
}

struct Timeline {
    due_dates: Vec<Option<Date>>,
    accruals: Vec<Accrual>,
}

fn timeline(loan: &Loan) -> Result<Timeline, ScheduleError> {
    let n_periods = loan.term_months as usize;
    let basis = Decimal::from(loan.day_count.basis_days());
    let regular = Accrual {
        numerator: Decimal::from(30),
        denominator: basis,
    };
    let Some(start) = loan.start_date else {
        return Ok(Timeline {
            due_dates: vec![None; n_periods],
            accruals: vec![regular; n_periods],
        });
    };
    let invalid = || ScheduleError::InvalidDate {
        path: "startDate".into(),
    };
    let first_due = monthly_due_date(start, loan.first_due_date, 1).ok_or_else(invalid)?;
    let odd_first = start.add_months(1) != Some(first_due);
    let mut due_dates = Vec::with_capacity(n_periods);
    let mut accruals = Vec::with_capacity(n_periods);
    let mut previous = start;
    for period_idx in 0..n_periods {
        let period = u32::try_from(period_idx + 1).map_err(|_| invalid())?;
        let due = monthly_due_date(start, loan.first_due_date, period).ok_or_else(invalid)?;
        let days = Decimal::from(previous.days_until(due));
        let accrual = match loan.day_count {
            DayCount::Thirty360 if period_idx == 0 && odd_first => Accrual {
                numerator: days,
                denominator: basis,
            },
            DayCount::Thirty360 => regular,
            DayCount::Act360 | DayCount::Act365 => Accrual {
                numerator: days,
                denominator: basis,
            },
        };
        due_dates.push(Some(due));
        accruals.push(accrual);
        previous = due;
    }
    Ok(Timeline {
        due_dates,
        accruals,
    })
}

// `ok_or_else`: building and dropping an unused error on every checked op is measurable.
fn overflow() -> ScheduleError {
    ScheduleError::Overflow
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ScheduleError> {
    a.times(b).ok_or_else(overflow)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, ScheduleError> {
    a.plus(b).ok_or_else(overflow)
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ScheduleError> {
    a.minus(b).ok_or_else(overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, ScheduleError> {
    a.over(b).ok_or_else(overflow)
}

/// Interest on `balance` for one accrual, rounded with the loan's rule.
///
/// The exact rational `balance × rate × days / basis` is rounded once, in integer fen, when it
/// fits in `i128` (always, for accepted inputs); the decimal path remains as a fallback.
fn accrue(
    balance: Decimal,
    rate: Decimal,
    accrual: Accrual,
    rounding: Rounding,
) -> Result<Decimal, ScheduleError> {
    if let Some(fen) = accrue_exact_fen(balance, rate, accrual, rounding) {
        return Ok(Decimal::new(fen, money::MONEY_DP));
    }
    let product = mul(mul(balance, rate)?, accrual.numerator)?;
    Ok(rounding.money(div(product, accrual.denominator)?))
}

/// `round(balance × rate × numerator / denominator)` in fen, computed on integers.
fn accrue_exact_fen(
    balance: Decimal,
    rate: Decimal,
    accrual: Accrual,
    rounding: Rounding,
) -> Option<i64> {
    // balance has at most 2 decimals: bring it to fen exactly.
    let mut balance = balance;
    balance.rescale(money::MONEY_DP);
    if balance.scale() != money::MONEY_DP || accrual.numerator.scale() != 0 {
        return None;
    }
    if accrual.denominator.scale() != 0 {
        return None;
    }
    // wasm has no 128-bit multiply or divide (each is a libcall): take the i64 path whenever
    // every factor fits, which is every ordinary loan; the i128 path gives the same result.
    if let Some(fen) = accrue_exact_fen_i64(balance, rate, accrual, rounding) {
        return Some(fen);
    }
    let denominator_scale = 10_i128.checked_pow(rate.scale())?;
    let numerator = balance
        .mantissa()
        .checked_mul(rate.mantissa())?
        .checked_mul(accrual.numerator.mantissa())?;
    let denominator = accrual
        .denominator
        .mantissa()
        .checked_mul(denominator_scale)?;
    if accrual.denominator.scale() != 0 || denominator <= 0 {
        return None;
    }
    i64::try_from(round_div(numerator, denominator, rounding)).ok()
}

/// [`accrue_exact_fen`] on `i64`, `None` when any factor or product does not fit.
fn accrue_exact_fen_i64(
    balance: Decimal,
    rate: Decimal,
    accrual: Accrual,
    rounding: Rounding,
) -> Option<i64> {
    let numerator = i64::try_from(balance.mantissa())
        .ok()?
        .checked_mul(i64::try_from(rate.mantissa()).ok()?)?
        .checked_mul(i64::try_from(accrual.numerator.mantissa()).ok()?)?;
    let denominator = i64::try_from(accrual.denominator.mantissa())
        .ok()?
        .checked_mul(10_i64.checked_pow(rate.scale())?)?;
    if denominator <= 0 {
        return None;
    }
    let magnitude = numerator.unsigned_abs();
    let divisor = denominator.unsigned_abs();
    let (quotient, remainder) = (magnitude / divisor, magnitude % divisor);
    let twice = remainder.saturating_mul(2);
    let bump = match rounding {
        Rounding::Down => false,
        Rounding::HalfUp => twice >= divisor,
        Rounding::HalfEven => twice > divisor || (twice == divisor && quotient % 2 == 1),
    };
    let rounded = i64::try_from(quotient + u64::from(bump)).ok()?;
    Some(if numerator < 0 { -rounded } else { rounded })
}

/// Integer division rounded with a named rule (denominator > 0).
pub(crate) fn round_div(numerator: i128, denominator: i128, rounding: Rounding) -> i128 {
    let negative = numerator < 0;
    let magnitude = numerator.unsigned_abs();
    let denominator = denominator.unsigned_abs();
    let (quotient, remainder) = (magnitude / denominator, magnitude % denominator);
    let twice = remainder.saturating_mul(2);
    let bump = match rounding {
        Rounding::Down => false,
        Rounding::HalfUp => twice >= denominator,
        Rounding::HalfEven => twice > denominator || (twice == denominator && quotient % 2 == 1),
    };
    let rounded = (quotient + u128::from(bump)) as i128;
    if negative {
        -rounded
    } else {
        rounded
    }
}

/// The level payment of §4.1: `P·i / (1 − (1+i)^−n)` with `i = annual / 12`,
/// `P / n` at zero rate; the discount-factor form cannot overflow for any accepted rate.
pub fn level_payment(
    principal: Decimal,
    annual_rate: Decimal,
    n_periods: u32,
    rounding: Rounding,
) -> Result<Decimal, ScheduleError> {
    if n_periods == 0 {
        return Err(ScheduleError::InvalidTerm { term: 0 });
    }
    if annual_rate.is_zero() {
        return Ok(rounding.money(div(principal, Decimal::from(n_periods))?));
    }
    let periodic = div(annual_rate, Decimal::from(12))?;
    let discount = div(Decimal::ONE, add(Decimal::ONE, periodic)?)?;
    let discount_n = pow(discount, n_periods)?;
    let annuity = sub(Decimal::ONE, discount_n)?;
    if annuity.is_zero() {
        return Err(ScheduleError::Overflow);
    }
    Ok(rounding.money(div(mul(principal, periodic)?, annuity)?))
}

fn pow(base: Decimal, exponent: u32) -> Result<Decimal, ScheduleError> {
    let mut result = Decimal::ONE;
    let mut square = base;
    let mut remaining = exponent;
    while remaining > 0 {
        if remaining & 1 == 1 {
            result = mul(result, square)?;
        }
        remaining >>= 1;
        if remaining > 0 {
            square = mul(square, square)?;
        }
    }
    Ok(result)
}

/// Splits `total` into `n` per-period parts of `round(total / n)`, the last taking the
/// remainder (never below zero: earlier parts are capped at what is left).
fn level_parts(
    per_period: Decimal,
    total: Decimal,
    n_periods: usize,
) -> Result<Vec<Decimal>, ScheduleError> {
    let mut parts = Vec::with_capacity(n_periods);
    let mut left = total;
    for period_idx in 0..n_periods {
        let part = if period_idx + 1 == n_periods {
            left
        } else {
            per_period.min(left)
        };
        left = sub(left, part)?;
        parts.push(part);
    }
    Ok(parts)
}

/// Per-period fees of every kind (flat installment fee included), summed per period.
fn period_fees(loan: &Loan) -> Result<Vec<Decimal>, ScheduleError> {
    let n_periods = loan.term_months as usize;
    let n = Decimal::from(loan.term_months);
    let mut sums = vec![Decimal::ZERO; n_periods];
    let add_rate_fee = |rate: Decimal, sums: &mut Vec<Decimal>| -> Result<(), ScheduleError> {
        // Like a card installment fee: round(P·rate) each period on the original principal,
        // the total round(P·rate·n), the residual in the last period.
        let per_period = loan.rounding.money(mul(loan.principal, rate)?);
        let total = loan.rounding.money(mul(mul(loan.principal, rate)?, n)?);
        let mut charged = Decimal::ZERO;
        for (period_idx, sum) in sums.iter_mut().enumerate() {
            let part = if period_idx + 1 == n_periods {
                sub(total, charged)?
            } else {
                per_period
            };
            charged = add(charged, part)?;
            *sum = add(*sum, part)?;
        }
        Ok(())
    };
    if loan.method == Method::FlatFee {
        add_rate_fee(loan.fee_rate, &mut sums)?;
    }
    for fee in loan
        .fees
        .iter()
        .filter(|fee| fee.timing == FeeTiming::PerPeriod)
    {
        match fee.amount {
            FeeAmount::Rate(rate) => add_rate_fee(rate, &mut sums)?,
            FeeAmount::Fixed(amount) => {
                for sum in sums.iter_mut() {
                    *sum = add(*sum, amount)?;
                }
            }
        }
    }
    Ok(sums)
}

/// What each fee of a loan costs over the whole loan, by the rules [`build`] charges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeTotals {
    /// The flat installment fee (`feeRate`) over all periods, `round(P·feeRate·n)`; zero
    /// unless the loan is a flat-fee installment.
    pub installment: Decimal,
    /// Each entry of `loan.fees` in order: a per-period rate fee `round(P·rate·n)`, a per-period
    /// fixed fee `amount·n`, an upfront fee once (`round(P·rate)` or its amount).
    pub fees: Vec<Decimal>,
}

/// Per-fee totals of a loan (yuan, rounded as the schedule rounds): what a disclosure
/// attributes to each party. Σ `installment` + Σ `fees` equals the schedule's
/// `totals.fee + upfront.deducted + upfront.paidAtSigning`.
///
/// # Errors
/// `overflow` when a product leaves the decimal range.
pub fn fee_totals(loan: &Loan) -> Result<FeeTotals, ScheduleError> {
    let n = Decimal::from(loan.term_months);
    let over_term = |rate: Decimal| -> Result<Decimal, ScheduleError> {
        Ok(loan.rounding.money(mul(mul(loan.principal, rate)?, n)?))
    };
    let installment = if loan.method == Method::FlatFee {
        over_term(loan.fee_rate)?
    } else {
        Decimal::ZERO
    };
    let mut fees = Vec::with_capacity(loan.fees.len());
    for fee in &loan.fees {
        fees.push(match (fee.timing, fee.amount) {
            (FeeTiming::PerPeriod, FeeAmount::Rate(rate)) => over_term(rate)?,
            (FeeTiming::PerPeriod, FeeAmount::Fixed(amount)) => mul(amount, n)?,
            (_, FeeAmount::Fixed(amount)) => amount,
            (_, FeeAmount::Rate(rate)) => loan.rounding.money(mul(loan.principal, rate)?),
        });
    }
    Ok(FeeTotals { installment, fees })
}

fn upfront(loan: &Loan) -> Result<Upfront, ScheduleError> {
    let mut result = Upfront {
        deducted: Decimal::ZERO,
        paid_at_signing: Decimal::ZERO,
    };
    for fee in &loan.fees {
        let amount = match fee.amount {
            FeeAmount::Fixed(amount) => amount,
            FeeAmount::Rate(rate) => loan.rounding.money(mul(loan.principal, rate)?),
        };
        match fee.timing {
            FeeTiming::UpfrontDeducted => result.deducted = add(result.deducted, amount)?,
            FeeTiming::UpfrontPaid => result.paid_at_signing = add(result.paid_at_signing, amount)?,
            FeeTiming::PerPeriod => {}
        }
    }
    Ok(result)
}

/// Builds the schedule for validated loan terms.
pub fn build(loan: &Loan) -> Result<Schedule, ScheduleError> {
    loan.validate()?;
    let n_periods = loan.term_months as usize;
    let timeline = timeline(loan)?;
    let fees = period_fees(loan)?;
    let rounding = loan.rounding;
    let rate = loan.annual_rate;

    // Principal and interest per period, before fees.
    let mut split: Vec<(Decimal, Decimal)> = Vec::with_capacity(n_periods);
    let mut balance = loan.principal;
    match loan.method {
        Method::EqualInstallment => {
            let level = level_payment(loan.principal, rate, loan.term_months, rounding)?;
            for (period_idx, accrual) in timeline.accruals.iter().enumerate() {
                let interest = accrue(balance, rate, *accrual, rounding)?;
                let principal = if period_idx + 1 == n_periods {
                    balance
                } else {
                    if interest > level {
                        return Err(ScheduleError::NegativeAmortization {
                            period: period_idx as u32 + 1,
                        });
                    }
                    sub(level, interest)?.min(balance)
                };
                balance = sub(balance, principal)?;
                split.push((principal, interest));
            }
        }
        Method::EqualPrincipal | Method::FlatFee => {
            let per_period = rounding.money(div(loan.principal, Decimal::from(loan.term_months))?);
            let parts = level_parts(per_period, loan.principal, n_periods)?;
            for (principal, accrual) in parts.into_iter().zip(&timeline.accruals) {
                let interest = accrue(balance, rate, *accrual, rounding)?;
                balance = sub(balance, principal)?;
                split.push((principal, interest));
            }
        }
        Method::InterestOnly => {
            for (period_idx, accrual) in timeline.accruals.iter().enumerate() {
                let interest = accrue(balance, rate, *accrual, rounding)?;
                let principal = if period_idx + 1 == n_periods {
                    balance
                } else {
                    Decimal::ZERO
                };
                balance = sub(balance, principal)?;
                split.push((principal, interest));
            }
        }
        Method::Bullet => {
            // One accrual over the whole term, rounded once: every period shares the
            // loan's basis, so the days add up before the single division.
            let mut days = Decimal::ZERO;
            for accrual in &timeline.accruals {
                days = add(days, accrual.numerator)?;
            }
            let whole_term = Accrual {
                numerator: days,
                denominator: Decimal::from(loan.day_count.basis_days()),
            };
            let interest = accrue(loan.principal, rate, whole_term, rounding)?;
            for period_idx in 0..n_periods {
                if period_idx + 1 == n_periods {
                    split.push((loan.principal, interest));
                } else {
                    split.push((Decimal::ZERO, Decimal::ZERO));
                }
            }
        }
    }

    let mut installments = Vec::with_capacity(n_periods);
    let mut totals = Totals {
        payment: Decimal::ZERO,
        principal: Decimal::ZERO,
        interest: Decimal::ZERO,
        fee: Decimal::ZERO,
    };
    let mut balance = loan.principal;
    for (period_idx, ((principal, interest), fee)) in split.into_iter().zip(fees).enumerate() {
        balance = sub(balance, principal)?;
        let payment = add(add(principal, interest)?, fee)?;
        totals.payment = add(totals.payment, payment)?;
        totals.principal = add(totals.principal, principal)?;
        totals.interest = add(totals.interest, interest)?;
        totals.fee = add(totals.fee, fee)?;
        installments.push(Installment {
            period: period_idx as u32 + 1,
            due_date: timeline.due_dates.get(period_idx).copied().flatten(),
            payment,
            principal,
            interest,
            fee,
            balance,
        });
    }
    let upfront = upfront(loan)?;
    let upfront_total = add(upfront.deducted, upfront.paid_at_signing)?;
    let amount_received = sub(loan.principal, upfront_total)?;
    if amount_received <= Decimal::ZERO {
        return Err(ScheduleError::FeesExceedPrincipal {
            fees: upfront_total,
        });
    }
    let total_cost = add(add(totals.interest, totals.fee)?, upfront_total)?;
    Ok(Schedule {
        installments,
        totals,
        upfront,
        amount_received,
        total_cost,
    })
}

/// Validates a wire request and builds its schedule.
pub fn schedule(request: &ScheduleRequest) -> Result<Schedule, ScheduleError> {
    build(&request.to_loan()?)
}

impl Schedule {
    /// The compact JSON text of this schedule, byte-for-byte what `serde_json::to_string` gives
    /// for its `Serialize` derive, written directly: every value is a fen amount, a date or a
    /// period number, none needs escaping, so the generic serializer's per-byte escaping and
    /// per-field calls (slow in size-optimized wasm) are skipped on this hot path.
    pub fn to_json(&self) -> String {
        fn money(out: &mut String, key: &str, value: Decimal) {
            out.push_str(key);
            out.push('"');
            money::push_money(out, value);
            out.push('"');
        }
        let mut out = String::with_capacity(64 + self.installments.len() * 144);
        out.push_str("{\"installments\":[");
        for (row_idx, row) in self.installments.iter().enumerate() {
            if row_idx > 0 {
                out.push(',');
            }
            out.push_str("{\"period\":");
            let mut digits = [0_u8; 10];
            let mut pos = digits.len();
            let mut period = row.period;
            loop {
                pos -= 1;
                digits[pos] = b'0' + (period % 10) as u8;
                period /= 10;
                if period == 0 {
                    break;
                }
            }
            // Only ASCII digits were written.
            out.push_str(std::str::from_utf8(&digits[pos..]).unwrap_or("0"));
            if let Some(due) = row.due_date {
                out.push_str(",\"dueDate\":\"");
                out.push_str(std::str::from_utf8(&due.iso_bytes()).unwrap_or("0000-00-00"));
                out.push('"');
            }
            money(&mut out, ",\"payment\":", row.payment);
            money(&mut out, ",\"principal\":", row.principal);
            money(&mut out, ",\"interest\":", row.interest);
            money(&mut out, ",\"fee\":", row.fee);
            money(&mut out, ",\"balance\":", row.balance);
            out.push('}');
        }
        money(&mut out, "],\"totals\":{\"payment\":", self.totals.payment);
        money(&mut out, ",\"principal\":", self.totals.principal);
        money(&mut out, ",\"interest\":", self.totals.interest);
        money(&mut out, ",\"fee\":", self.totals.fee);
        money(
            &mut out,
            "},\"upfront\":{\"deducted\":",
            self.upfront.deducted,
        );
        money(
            &mut out,
            ",\"paidAtSigning\":",
            self.upfront.paid_at_signing,
        );
        money(&mut out, "},\"amountReceived\":", self.amount_received);
        money(&mut out, ",\"totalCost\":", self.total_cost);
        out.push('}');
        out
    }

    /// The borrower's cash flows for the IRR method: amount received, then each payment.
    pub fn borrower_flows(&self) -> (Decimal, Vec<Decimal>) {
        (
            self.amount_received,
            self.installments.iter().map(|row| row.payment).collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The i64 fast path and the i128 path round every product the same way, ties included.
    #[test]
    fn i64_accrual_agrees_with_i128_rounding() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        for case in 0..20_000 {
            // Small magnitudes make exact ties (x.5 fen) frequent; large ones test overflow.
            let balance = Decimal::new(
                next(if case % 2 == 0 { 2_000 } else { 10_u64.pow(14) }) as i64,
                2,
            );
            let rate = Decimal::new(next(40_000) as i64, 2 + (case % 5) as u32);
            let accrual = Accrual {
                numerator: Decimal::from(next(if case % 3 == 0 { 20_000 } else { 32 })),
                denominator: Decimal::from([360, 365][case % 2]),
            };
            for rounding in [Rounding::Down, Rounding::HalfUp, Rounding::HalfEven] {
                let fast = accrue_exact_fen_i64(balance, rate, accrual, rounding);
                let wide = i64::try_from(round_div(
                    balance.mantissa() * rate.mantissa() * accrual.numerator.mantissa(),
                    accrual.denominator.mantissa() * 10_i128.pow(rate.scale()),
                    rounding,
                ))
                .ok();
                if fast.is_some() {
                    assert_eq!(fast, wide, "{balance} {rate} {accrual:?} {rounding:?}");
                }
            }
        }
    }
}

crate::json_object::objects_only!(ScheduleRequest, FeeRequest);
crate::json_object::serialize_derived!(ScheduleRequest, FeeRequest);
