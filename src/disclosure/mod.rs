//! Every disclosure figure of one loan at once: the China IRR rate and compound rate with the
//! labels the page must print, the US Regulation Z APR, the EU APRC, total cost, cost per
//! 10,000 yuan, and the cost-cap check (domain-math §2–§3).
//!
//! Owns the mapping from a schedule to each regime's flows (what the borrower receives at the
//! start, what is paid at each due date), the one CN annualized rate of a loan
//! ([`cn_annualized`]) and the per-cap re-computation with only the cost kinds a cap counts.
//! It takes a typed [`Loan`] and [`DisclosureOptions`]; the `disclose` request's JSON shape
//! and its reading are `wire.rs`'s. It builds schedules through [`crate::schedule`] and
//! solves through [`crate::apr`]; it does no rate math and no money rounding of its own
//! beyond display. `json.rs` writes the response text by hand ([`DiscloseResponse::to_json`]).

mod json;
mod wire;

pub use wire::DiscloseRequest;

use crate::apr::YearDays;
use crate::apr::{self, AprError, CnRate, DatedAmount, EuRate, RegZRate, TimeBasis, UnitPeriod};
use crate::caps::{self, Cap, CapBasis, CapCheck, CapError, CapSet};
use crate::date::Date;
use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::money::{self, fmt_dp, Rounding};
use crate::schedule::{self, FeeKind, Loan, Method, Schedule, ScheduleError};
use rust_decimal::Decimal;
use serde::Serialize;

/// Why a disclosure could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DisclosureError {
    /// The schedule request is invalid or cannot be built.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// A rate could not be solved.
    #[error("{regime}: {source}")]
    Rate {
        /// `cn`, `us`, `eu` or `cap <id>`.
        regime: String,
        /// The solver's reason.
        source: AprError,
    },
    /// The cap data is invalid or a cap cannot be evaluated.
    #[error(transparent)]
    Cap(#[from] CapError),
    /// A disclosure option is invalid.
    #[error("{reason}")]
    InvalidOption {
        /// JSON path.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl ErrorCode for DisclosureError {
    fn code(&self) -> &'static str {
        match self {
            DisclosureError::Schedule(e) => e.code(),
            DisclosureError::Rate { source, .. } => source.code(),
            DisclosureError::Cap(e) => e.code(),
            DisclosureError::InvalidOption { .. } => "invalid-option",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            DisclosureError::Schedule(e) => Some(match e.path() {
                Some(path) => crate::error::concat(&["schedule.", &path]),
                None => "schedule".into(),
            }),
            DisclosureError::Rate { source, .. } => source.path(),
            DisclosureError::Cap(e) => e.path(),
            DisclosureError::InvalidOption { path, .. } => Some(path.clone()),
        }
    }

    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    fn message(&self) -> String {
        match self {
            DisclosureError::Schedule(e) => e.message(),
            DisclosureError::Rate { regime, source } => {
                crate::error::concat(&[regime, ": ", &source.message()])
            }
            DisclosureError::Cap(e) => e.message(),
            DisclosureError::InvalidOption { reason, .. } => reason.clone(),
        }
    }
}

fn rate_error(regime: &str) -> impl Fn(AprError) -> DisclosureError + '_ {
    move |source| DisclosureError::Rate {
        regime: regime.to_owned(),
        source,
    }
}

fn invalid_option(path: &str, reason: impl Into<String>) -> DisclosureError {
    DisclosureError::InvalidOption {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

/// Settings of a disclosure beyond the loan itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureOptions {
    /// Caps and the LPR table (the sample defaults of `data/caps.json` unless replaced).
    pub caps: CapSet,
    /// The lender's institution type (`bank`, `micro-lender`, …); `None` checks every cap.
    pub institution_type: Option<String>,
    /// The date caps and the LPR are looked up on; `None` uses the loan's start date, and
    /// without one the caps still in force and the latest LPR.
    pub as_of: Option<Date>,
    /// EU time basis; `None`: `actual` when the schedule has dates, `equal-months` otherwise.
    pub eu_time_basis: Option<TimeBasis>,
    /// Compute only the China figures: `us` and `eu` are left out (`None`). For callers that
    /// show the CN annualized rate and the caps only, such as the studio's price grid, where
    /// the two extra rate solves were a third of each quote's time.
    pub cn_only: bool,
}

impl DisclosureOptions {
    /// The default options: sample caps, every institution type, no date.
    pub fn with_default_caps() -> Result<DisclosureOptions, DisclosureError> {
        Ok(DisclosureOptions {
            caps: CapSet::defaults()?,
            institution_type: None,
            as_of: None,
            eu_time_basis: None,
            cn_only: false,
        })
    }
}

/// How the China rate was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CnBasis {
    /// Regular monthly periods (r × 12).
    Periods,
    /// Dated flows on days (odd first period): daily rate × 365.
    Days,
}

/// Every disclosure figure of one loan except the cap check (a quote shows the caps beside them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DisclosureFigures {
    /// China IRR method: `rate` (单利), `effectiveRate` (复利), percents and labels.
    pub cn: CnRate,
    /// Whether the China rate used regular periods or days.
    pub cn_basis: CnBasis,
    /// US Regulation Z APR, unit period month (absent only with [`DisclosureOptions::cn_only`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub us: Option<RegZRate>,
    /// EU APRC (absent only with [`DisclosureOptions::cn_only`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eu: Option<EuRate>,
    /// Contract principal.
    #[serde(serialize_with = "money::ser_money")]
    pub principal: Decimal,
    /// What the borrower has in hand at the start (principal − upfront fees).
    #[serde(serialize_with = "money::ser_money")]
    pub amount_received: Decimal,
    /// Σ interest.
    #[serde(serialize_with = "money::ser_money")]
    pub total_interest: Decimal,
    /// Σ fees of every kind and timing.
    #[serde(serialize_with = "money::ser_money")]
    pub total_fees: Decimal,
    /// Interest + every fee.
    #[serde(serialize_with = "money::ser_money")]
    pub total_cost: Decimal,
    /// Total cost per 10,000 yuan of principal (每万元成本), 2 decimals half-up.
    #[serde(serialize_with = "money::ser_money")]
    pub cost_per_10000: Decimal,
    /// Σ of every payment and upfront fee.
    #[serde(serialize_with = "money::ser_money")]
    pub total_repaid: Decimal,
}

/// Every disclosure figure of one loan and its cap check; serializes as one flat object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Disclosure {
    /// Rates, costs and totals.
    #[serde(flatten)]
    pub figures: DisclosureFigures,
    /// The cost-cap check.
    pub caps: CapCheck,
}

/// The synthetic calendar of a schedule without dates: day 1 of a month, so that every
/// regular month is exactly one Appendix J unit period and 1/12 of an EU year.
fn synthetic_start() -> Option<Date> {
    Date::new(2001, 1, 1)
}

struct Flows {
    start: Date,
    dated: bool,
    advance: Decimal,
    payments: Vec<DatedAmount>,
}

fn flows_of(loan: &Loan, schedule: &Schedule) -> Result<Flows, DisclosureError> {
    let (start, dated) = match loan.start_date {
        Some(start) => (start, true),
        None => (
            synthetic_start().ok_or(DisclosureError::Schedule(ScheduleError::Overflow))?,
            false,
        ),
    };
    let mut payments = Vec::with_capacity(schedule.installments.len());
    for (idx, row) in schedule.installments.iter().enumerate() {
        let date = match row.due_date {
            Some(date) if dated => date,
            _ => u32::try_from(idx + 1)
                .ok()
                .and_then(|period| crate::date::monthly_due_date(start, None, period))
                .ok_or(DisclosureError::Schedule(ScheduleError::Overflow))?,
        };
        if !row.payment.is_zero() {
            payments.push(DatedAmount {
                date,
                amount: row.payment,
            });
        }
    }
    Ok(Flows {
        start,
        dated,
        advance: schedule.amount_received,
        payments,
    })
}

fn odd_first_period(loan: &Loan) -> bool {
    match (loan.start_date, loan.first_due_date) {
        (Some(start), Some(first_due)) => start.add_months(1) != Some(first_due),
        _ => false,
    }
}

/// The China rate of a built schedule: regular periods, or days when the first period is odd.
pub fn cn_rate(loan: &Loan, schedule: &Schedule) -> Result<(CnRate, CnBasis), DisclosureError> {
    let (advance, payments) = schedule.borrower_flows();
    cn_annualized(loan, schedule, advance, &payments).map_err(rate_error("cn"))
}

/// The one CN annualized rate (年化利率(单利) and 复利, PBoC 2021 No. 3, domain-math §2.1) of
/// a loan's borrower flows: `advance` at the start and `payments[k]` on the due date of
/// `schedule.installments[k]` (the schedule's own payments, or what is left of them after
/// promotions and subsidy). Disclosure, caps, the subsidy outcome and the quote engine all
/// call this, so the same loan never shows two rates under one label.
///
/// Rule: with an odd first period (a first due date other than one month after the start)
/// the flows are dated and the rate is counted in days (`cn_xirr`, 365 a year); otherwise
/// they are regular monthly periods (`cn_irr`, 12 a year). `payments` must have one entry
/// per installment. Errors: the solver's (`no-solution`, `multiple-roots`, `overflow`).
pub fn cn_annualized(
    loan: &Loan,
    schedule: &Schedule,
    advance: Decimal,
    payments: &[Decimal],
) -> Result<(CnRate, CnBasis), AprError> {
    if odd_first_period(loan) {
        if let Some(start) = loan.start_date {
            let advances = [DatedAmount {
                date: start,
                amount: advance,
            }];
            let mut dated = Vec::with_capacity(payments.len());
            for (row, amount) in schedule.installments.iter().zip(payments) {
                if amount.is_zero() {
                    continue;
                }
                let date = row.due_date.ok_or(AprError::Overflow)?;
                dated.push(DatedAmount {
                    date,
                    amount: *amount,
                });
            }
            let rate = apr::cn_xirr(&advances, &dated, YearDays::D365)?;
            return Ok((rate, CnBasis::Days));
        }
    }
    Ok((apr::cn_irr(advance, payments, 12)?, CnBasis::Periods))
}

/// The loan with only the cost kinds a cap counts: other fees removed, the installment fee
/// rate zeroed when `installment` is not counted, the interest rate zeroed when `interest`
/// is not counted.
pub fn loan_for_cap(loan: &Loan, cap: &Cap) -> Loan {
    let mut filtered = loan.clone();
    filtered.fees.retain(|fee| cap.includes_fee(fee.kind));
    if loan.method == Method::FlatFee && !cap.includes_fee(FeeKind::Installment) {
        filtered.fee_rate = Decimal::ZERO;
    }
    if !cap.includes_interest {
        filtered.annual_rate = Decimal::ZERO;
    }
    filtered
}

fn simple_rate(loan: &Loan, schedule: &Schedule) -> Result<Decimal, DisclosureError> {
    // Total cost ÷ principal ÷ (term ÷ 12).
    let overflow = || DisclosureError::Schedule(ScheduleError::Overflow);
    schedule
        .total_cost
        .times(Decimal::from(12))
        .and_then(|x| x.over(loan.principal))
        .and_then(|x| x.over(Decimal::from(loan.term_months)))
        .map_err(|_| overflow())
}

/// The rate `cap` judges. `known` is the loan's own CN rate: a cap that includes every charge
/// judges exactly those flows, so its IRR is not solved a second time.
fn cap_rate(
    loan: &Loan,
    schedule: &Schedule,
    cap: &Cap,
    known: &CnRate,
) -> Result<Decimal, DisclosureError> {
    let filtered;
    let built;
    let (loan, schedule) = if cap.includes_everything() {
        if cap.basis != CapBasis::Simple {
            return Ok(match cap.basis {
                CapBasis::Effective => known.effective_rate,
                _ => known.rate,
            });
        }
        (loan, schedule)
    } else {
        filtered = loan_for_cap(loan, cap);
        built = schedule::build(&filtered)?;
        (&filtered, &built)
    };
    if cap.basis == CapBasis::Simple {
        return simple_rate(loan, schedule);
    }
    let (rate, _) = cn_rate(loan, schedule).map_err(|e| match e {
        DisclosureError::Rate { source, .. } => DisclosureError::Rate {
            regime: crate::error::concat(&["cap ", &cap.id]),
            source,
        },
        other => other,
    })?;
    Ok(match cap.basis {
        CapBasis::Effective => rate.effective_rate,
        _ => rate.rate,
    })
}

/// Every disclosure figure of a loan whose schedule is already built (the quote engine's
/// entry point). `schedule` must be `schedule::build(loan)`.
pub fn disclose_schedule(
    loan: &Loan,
    schedule: &Schedule,
    options: &DisclosureOptions,
) -> Result<Disclosure, DisclosureError> {
    let (cn, cn_basis) = cn_rate(loan, schedule)?;
    let flows = flows_of(loan, schedule)?;
    let advances = [DatedAmount {
        date: flows.start,
        amount: flows.advance,
    }];
    let (us, eu) = if options.cn_only {
        (None, None)
    } else {
        let us = apr::reg_z(&advances, &flows.payments, UnitPeriod::Month, 1)
            .map_err(rate_error("us"))?;
        let basis = options.eu_time_basis.unwrap_or(if flows.dated {
            TimeBasis::Actual
        } else {
            TimeBasis::EqualMonths
        });
        let eu = apr::eu_aprc(&advances, &flows.payments, basis).map_err(rate_error("eu"))?;
        (Some(us), Some(eu))
    };
    let overflow = || DisclosureError::Schedule(ScheduleError::Overflow);
    let total_cost = schedule.total_cost;
    let total_interest = schedule.totals.interest;
    let total_fees = total_cost.minus(total_interest).map_err(|_| overflow())?;
    let cost_per_10000 = Rounding::HalfUp.money(
        total_cost
            .times(Decimal::from(10_000))
            .and_then(|x| x.over(loan.principal))
            .map_err(|_| overflow())?,
    );
    let upfront = schedule
        .upfront
        .deducted
        .plus(schedule.upfront.paid_at_signing)
        .map_err(|_| overflow())?;
    let total_repaid = schedule
        .totals
        .payment
        .plus(upfront)
        .map_err(|_| overflow())?;
    let as_of = options.as_of.or(loan.start_date);
    let caps = caps::check(
        &options.caps,
        options.institution_type.as_deref(),
        as_of,
        |cap| cap_rate(loan, schedule, cap, &cn),
    )?;
    Ok(Disclosure {
        figures: DisclosureFigures {
            cn,
            cn_basis,
            us,
            eu,
            principal: loan.principal,
            amount_received: schedule.amount_received,
            total_interest,
            total_fees,
            total_cost,
            cost_per_10000,
            total_repaid,
        },
        caps,
    })
}

/// Builds the schedule of `loan` and discloses it.
pub fn disclose_loan(
    loan: &Loan,
    options: &DisclosureOptions,
) -> Result<Disclosure, DisclosureError> {
    let schedule = schedule::build(loan)?;
    disclose_schedule(loan, &schedule, options)
}

/// The `disclose` response: the [`Disclosure`] and, for daily-rate products, the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscloseResponse {
    /// Every figure.
    #[serde(flatten)]
    pub disclosure: Disclosure,
    /// The daily-rate mapping when `dailyRate` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily: Option<apr::DailyRate>,
}

/// The typed terms of a `disclose` request (read by [`DiscloseRequest::terms`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscloseTerms {
    /// The loan.
    pub loan: Loan,
    /// Caps, institution, dates and EU time basis.
    pub options: DisclosureOptions,
    /// The daily-rate mapping when the request priced the loan by a daily rate.
    pub daily: Option<apr::DailyRate>,
}

/// Runs a `disclose` request.
pub fn disclose(request: &DiscloseRequest) -> Result<DiscloseResponse, DisclosureError> {
    let DiscloseTerms {
        loan,
        options,
        daily,
    } = request.terms()?;
    let disclosure = disclose_loan(&loan, &options)?;
    Ok(DiscloseResponse { disclosure, daily })
}

/// Formats a rate fraction with 6 decimals (the wire form of every rate).
pub fn fmt_rate(rate: Decimal) -> String {
    fmt_dp(rate, apr::RATE_DP, Rounding::HalfUp)
}
