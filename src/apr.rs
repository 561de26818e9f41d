//! Disclosure rates: the China IRR method (domain-math §2.1).
//!
//! Owns the equation `CF0 = Σ CF_k / (1+r)^k` for regular periods, its annualization
//! (`rate = r × m`, labelled 单利; `effectiveRate = (1+r)^m − 1`, 复利) and the display
//! percent. Solving is delegated to [`crate::solver`]; this module does no rounding of
//! money and never uses binary floating point.

use crate::error::ErrorCode;
use crate::money::{fmt_dp, Rounding};
use crate::solver::{self, SolveIssue};
use rust_decimal::Decimal;
use serde::Serialize;

/// Decimals of the reported rate fraction.
pub const RATE_DP: u32 = 6;

/// Why a rate could not be solved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AprError {
    /// The flows admit no rate (no sign change: nothing borrowed or nothing repaid).
    #[error("no rate reproduces these flows")]
    NoSolution,
    /// Several rates reproduce the flows.
    #[error("more than one rate reproduces these flows")]
    MultipleRoots,
    /// The flows are unusable (empty, too many, a malformed amount, an advance ≤ 0).
    #[error("{reason}")]
    BadFlows {
        /// JSON path of the offending input.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An intermediate value left the decimal range.
    #[error("arithmetic overflow while solving")]
    Overflow,
}

impl ErrorCode for AprError {
    fn code(&self) -> &'static str {
        match self {
            AprError::NoSolution => "no-solution",
            AprError::MultipleRoots => "multiple-roots",
            AprError::BadFlows { .. } => "bad-flows",
            AprError::Overflow => "overflow",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            AprError::BadFlows { path, .. } => Some(path.clone()),
            _ => None,
        }
    }
}

impl From<SolveIssue> for AprError {
    fn from(issue: SolveIssue) -> Self {
        match issue {
            SolveIssue::NoSolution => AprError::NoSolution,
            SolveIssue::MultipleRoots => AprError::MultipleRoots,
            SolveIssue::Overflow => AprError::Overflow,
        }
    }
}

/// Most flows one equation may have (50 years of weekly payments).
pub const MAX_FLOWS: usize = 2_700;

/// `Σ c_k v^k` and its derivative by Horner's rule, `c_0` the time-0 flow.
fn polynomial(coefficients: &[Decimal], v: Decimal) -> Option<(Decimal, Decimal)> {
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    for c in coefficients.iter().rev() {
        slope = slope.checked_mul(v)?.checked_add(value)?;
        value = value.checked_mul(v)?.checked_add(*c)?;
    }
    Some((value, slope))
}

/// Solves the periodic rate `r` of `advance` at time 0 repaid by `payments[k-1]` at the end of
/// period k: `advance = Σ payments_k (1+r)^−k`. Zero-cost flows give exactly zero.
pub fn periodic_irr(advance: Decimal, payments: &[Decimal]) -> Result<Decimal, AprError> {
    if payments.is_empty() || payments.len() > MAX_FLOWS {
        return Err(AprError::BadFlows {
            path: "payments".into(),
            reason: format!("between 1 and {MAX_FLOWS} payments are required"),
        });
    }
    let mut coefficients = Vec::with_capacity(payments.len() + 1);
    coefficients.push(-advance);
    coefficients.extend_from_slice(payments);
    let total: Decimal = payments
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p))
        .ok_or(AprError::Overflow)?;
    if total == advance {
        // f(v=1) = 0 exactly: a zero-cost loan (Descartes guarantees uniqueness below).
        if solver::sign_changes(coefficients.iter().copied()) == 1 {
            return Ok(Decimal::ZERO);
        }
    }
    let eval = |v: Decimal| polynomial(&coefficients, v);
    let v = match solver::sign_changes(coefficients.iter().copied()) {
        0 => return Err(AprError::NoSolution),
        1 => {
            // One positive root in v = 1/(1+r): bracket it from (0, 1] or [1, ∞).
            let (at_one, _) = eval(Decimal::ONE).ok_or(AprError::Overflow)?;
            let (at_zero, _) = eval(Decimal::ZERO).ok_or(AprError::Overflow)?;
            let (lo, hi) = if at_one.is_zero() {
                return Ok(Decimal::ZERO);
            } else if at_one.is_sign_negative() != at_zero.is_sign_negative() || at_zero.is_zero() {
                (Decimal::ZERO, Decimal::ONE)
            } else {
                let mut hi = Decimal::TWO;
                loop {
                    let (value, _) = eval(hi).ok_or(AprError::NoSolution)?;
                    if value.is_sign_negative() != at_one.is_sign_negative() || value.is_zero() {
                        break;
                    }
                    if hi > Decimal::from(1_000_000) {
                        return Err(AprError::NoSolution);
                    }
                    hi *= Decimal::TWO;
                }
                (Decimal::ONE, hi)
            };
            solver::solve_bracketed(eval, lo, hi)?
        }
        _ => {
            // Several sign changes: accept only if a scan of periodic rates from −99 % to
            // +1000 % finds exactly one crossing.
            let points = scan_points();
            let (lo, hi) = solver::scan_bracket(eval, &points)?;
            solver::solve_bracketed(eval, lo, hi)?
        }
    };
    if v <= Decimal::ZERO {
        return Err(AprError::NoSolution);
    }
    let rate = Decimal::ONE
        .checked_div(v)
        .and_then(|x| x.checked_sub(Decimal::ONE))
        .ok_or(AprError::Overflow)?;
    Ok(rate.round_dp(20))
}

/// Discount factors v = 1/(1+r) for r from 1000 % down to −99 %, increasing in v.
fn scan_points() -> Vec<Decimal> {
    let mut points = Vec::with_capacity(240);
    let mut v = Decimal::new(9, 2); // r ≈ 1011 %
    let step = Decimal::new(102, 2);
    while v < Decimal::from(100) {
        points.push(v);
        v *= step;
    }
    points
}

/// An annualized rate and how it reads on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CnRate {
    /// The regime: always `cn-irr`.
    pub method: &'static str,
    /// Rate per period, 12 decimals.
    #[serde(serialize_with = "ser_rate12")]
    pub periodic_rate: Decimal,
    /// r × m, the disclosed annualized rate (单利), 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// (1 + r)^m − 1, the compound annualized rate (复利), 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub effective_rate: Decimal,
    /// `rate` as a percent with 2 decimals, half-up (`"13.03"`).
    pub percent: String,
    /// `effectiveRate` as a percent with 2 decimals, half-up.
    pub effective_percent: String,
    /// Periods per year used for annualization.
    pub periods_per_year: u32,
    /// The label the page must print beside `percent`.
    pub label: &'static str,
    /// The label the page must print beside `effectivePercent`.
    pub effective_label: &'static str,
}

fn ser_rate6<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_dp(*value, RATE_DP, Rounding::HalfUp))
}

fn ser_rate12<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_dp(*value, 12, Rounding::HalfUp))
}

/// Formats a rate fraction as a display percent with `dp` decimals, half-up.
pub fn percent(rate: Decimal, dp: u32) -> String {
    fmt_dp(rate * Decimal::ONE_HUNDRED, dp, Rounding::HalfUp)
}

/// The China IRR method on regular periods (§2.1).
pub fn cn_irr(
    advance: Decimal,
    payments: &[Decimal],
    periods_per_year: u32,
) -> Result<CnRate, AprError> {
    if !(1..=365).contains(&periods_per_year) {
        return Err(AprError::BadFlows {
            path: "periodsPerYear".into(),
            reason: "periodsPerYear must be between 1 and 365".into(),
        });
    }
    if advance <= Decimal::ZERO {
        return Err(AprError::BadFlows {
            path: "advance".into(),
            reason: "the advance must be greater than zero".into(),
        });
    }
    let periodic_rate = periodic_irr(advance, payments)?;
    annualize(periodic_rate, periods_per_year)
}

/// Turns a periodic rate into the CN disclosure pair.
pub fn annualize(periodic_rate: Decimal, periods_per_year: u32) -> Result<CnRate, AprError> {
    let m = Decimal::from(periods_per_year);
    let rate = periodic_rate.checked_mul(m).ok_or(AprError::Overflow)?;
    let growth = Decimal::ONE
        .checked_add(periodic_rate)
        .ok_or(AprError::Overflow)?;
    let mut compound = Decimal::ONE;
    for _ in 0..periods_per_year {
        compound = compound.checked_mul(growth).ok_or(AprError::Overflow)?;
    }
    let effective_rate = compound - Decimal::ONE;
    Ok(CnRate {
        method: "cn-irr",
        periodic_rate,
        rate,
        effective_rate,
        percent: percent(rate, 2),
        effective_percent: percent(effective_rate, 2),
        periods_per_year,
        label: "年化利率(单利)",
        effective_label: "年化利率(复利)",
    })
}
