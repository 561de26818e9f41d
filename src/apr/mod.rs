//! Disclosure rates: China IRR, US Regulation Z Appendix J and EU APRC (domain-math §2).
//!
//! Owns the shared error ([`AprError`]), the display of rates ([`percent`], [`RATE_DP`], and
//! `ser_rate6`, the one serde rate helper, which `caps` uses too) and the `apr` JSON
//! operation's entry point: [`apr`] reads the request through `wire.rs` (which alone knows its
//! JSON shape, decimal strings and paths) into typed [`AprTerms`], then hands them to the
//! regime: `cn.rs` (China IRR, regular and dated, and the daily-rate mapping), `regz.rs`
//! (US Regulation Z Appendix J) or `eu.rs` (EU APRC, Directive 2008/48/EC Annex I); `json.rs`
//! writes the response text by hand ([`AprResponse::to_json`]).
//! The regimes place dated flows on their time axis (`flows.rs`) and solve one rate equation
//! (`equation.rs`, with the fixed-point fast path in `fixed.rs`); root bracketing and Newton
//! live in [`crate::solver`]. This module does no rounding of money and never uses binary
//! floating point.
//!
//! Precision method: every equation is brought to integer powers of one discount factor by
//! choosing the time unit (a period, a day, an Appendix J unit period, or 1/4380 of a year
//! for the EU equal-months basis, 4380 = 12 × 365), so no fractional power, exponential or
//! logarithm is ever taken. The usual loan (money in at time 0, more money out later, amounts
//! in fen) is solved on an exact binary fixed-point grid (see `fixed.rs`: amounts in
//! 2^−40 fen, the discount factor in 2^−62, `i128` arithmetic, no floats); anything else
//! falls back to checked 28-digit `Decimal` arithmetic with iterates of 18–24 decimals.
//! Both are far below the 10^−6 reporting precision; a property test pins the two paths to
//! each other and the tests compare against independent 50-digit references.

mod cn;
mod equation;
mod eu;
mod fixed;
mod flows;
mod json;
mod regz;
mod ties;
mod wire;

pub use cn::{
    annualize, annualized, cn_irr, cn_irr_fen, cn_xirr, cn_xirr_fen, daily_rate,
    stated_annual_from_daily, CnRate, CnTerms, DailyRate, DailyTerms, YearDays, COMPOUND_LABEL,
    SIMPLE_LABEL,
};
pub use equation::{periodic_irr, solve_unit_rate, Figures, TimedFlow};
pub use eu::{eu_aprc, eu_aprc_timed, eu_time, EuRate, EuTerms, TimeBasis};
pub use flows::{months_back, DatedAmount};
pub(crate) use json::push_rate;
pub use regz::{
    reg_z, regz_time, regz_tolerance, regz_within_tolerance, RegZRate, RegZTerms, UnitPeriod,
};
pub use wire::{read_flow_date, read_year_days, AprRequest, DatedFlowRequest, PaymentEntry};

use crate::error::ErrorCode;
use crate::money::{fmt_dp, CheckedOps, DecimalIssue, Rounding};
use crate::solver::SolveIssue;
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
    /// A request option is unknown or inconsistent with the method.
    #[error("{reason}")]
    InvalidOption {
        /// JSON path of the offending input.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The `method` of an `apr` request is not one of `cn-irr`, `cn-daily`, `us-regz`,
    /// `eu-aprc`.
    #[error("unknown apr method {}", crate::error::quoted(.name))]
    UnknownMethod {
        /// The name given.
        name: String,
    },
    /// An intermediate value left the decimal range, or a rate is too large to state to the
    /// reported precision.
    #[error("arithmetic overflow while solving")]
    Overflow,
    /// A decimal field is malformed, over-precise or out of range: the same codes as every
    /// other door (`malformed-decimal`, `over-precise-amount`, `out-of-range`).
    #[error("{path}: {issue}")]
    Decimal {
        /// JSON path of the field.
        path: String,
        /// What is wrong with it.
        issue: DecimalIssue,
    },
    /// The root lies closer to −100 % than a decimal can resolve: the payments repay next to
    /// nothing of the advance.
    #[error("the rate lies below −99.999999999999999999 % per period: the payments repay next to nothing of the advance")]
    BelowRange,
}

impl From<crate::money::Overflow> for AprError {
    fn from(_: crate::money::Overflow) -> Self {
        AprError::Overflow
    }
}

impl ErrorCode for AprError {
    fn code(&self) -> &'static str {
        match self {
            AprError::NoSolution | AprError::BelowRange => "no-solution",
            AprError::MultipleRoots => "multiple-roots",
            AprError::BadFlows { .. } => "bad-flows",
            AprError::InvalidOption { .. } => "invalid-option",
            AprError::UnknownMethod { .. } => "unknown-method",
            AprError::Overflow => "overflow",
            AprError::Decimal { issue, .. } => issue.code(),
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            AprError::BadFlows { path, .. }
            | AprError::InvalidOption { path, .. }
            | AprError::Decimal { path, .. } => Some(path.clone()),
            AprError::UnknownMethod { .. } => Some("method".into()),
            _ => None,
        }
    }

    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    fn message(&self) -> String {
        use crate::error::{concat, quoted};
        match self {
            AprError::NoSolution => "no rate reproduces these flows".to_owned(),
            AprError::MultipleRoots => "more than one rate reproduces these flows".to_owned(),
            AprError::BadFlows { reason, .. } | AprError::InvalidOption { reason, .. } => {
                reason.clone()
            }
            AprError::UnknownMethod { name } => concat(&["unknown apr method ", &quoted(name)]),
            AprError::Overflow => "arithmetic overflow while solving".to_owned(),
            AprError::Decimal { path, issue } => concat(&[path, ": ", &issue.message()]),
            AprError::BelowRange => "the rate lies below −99.999999999999999999 % per period: the payments repay next to nothing of the advance".to_owned(),
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

fn bad_flows(path: &str, reason: impl Into<String>) -> AprError {
    AprError::BadFlows {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn invalid_option(path: &str, reason: impl Into<String>) -> AprError {
    AprError::InvalidOption {
        path: path.to_owned(),
        reason: reason.into(),
    }
}

fn pow(base: Decimal, exponent: u64) -> Result<Decimal, AprError> {
    powu(base, exponent).ok_or(AprError::Overflow)
}

/// `base^exponent` on the engine's one shared multiply ([`CheckedOps::times`]): exactly what
/// `rust_decimal`'s `checked_powu` computes for exponents below 2^10 (exponentiation by
/// squaring on 96-bit decimals, the result normalized; exponents 1 and 2 as they are), and the
/// same squaring above, where `checked_powu` switches to 192-bit intermediates (its own
/// multiply and conversion kernels, about 7 KB of wasm, for a difference far below the
/// iterates' 24 decimals). `None` on overflow.
pub(crate) fn powu(base: Decimal, exponent: u64) -> Option<Decimal> {
    if exponent == 0 || base == Decimal::ONE {
        return Some(Decimal::ONE);
    }
    if base.is_zero() {
        return Some(Decimal::ZERO);
    }
    match exponent {
        1 => Some(base),
        2 => base.times(base).ok(),
        _ => {
            let mut product = Decimal::ONE;
            let mut square = base;
            let mut mask = exponent;
            for n in 0..(64 - exponent.leading_zeros()) {
                if n > 0 {
                    square = square.times(square).ok()?;
                    mask >>= 1;
                }
                if mask & 1 == 1 {
                    product = product.times(square).ok()?;
                }
            }
            Some(product.normalize())
        }
    }
}

/// Most flows one equation may have (50 years of weekly payments).
pub const MAX_FLOWS: usize = crate::limits::MAX_PAYMENTS;

/// Serde helper: a rate fraction as a string with [`RATE_DP`] decimals, half-up (the serde
/// side of [`push_rate`]; the `apr` and `caps` response types both use it).
pub(crate) fn ser_rate6<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_dp(*value, RATE_DP, Rounding::HalfUp))
}

fn ser_rate12<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&fmt_dp(*value, 12, Rounding::HalfUp))
}

/// Formats a rate fraction as a display percent with `dp` decimals, half-up.
pub fn percent(rate: Decimal, dp: u32) -> String {
    // `saturating_mul` by the shared multiply (its own inlined copy cost ~0.6 KB of wasm).
    let hundredfold = rate
        .times(Decimal::ONE_HUNDRED)
        .unwrap_or(if rate.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        });
    fmt_dp(hundredfold, dp, Rounding::HalfUp)
}

/// The response of the `apr` operation (one shape per regime; all carry `method`, `rate`
/// and `percent`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum AprResponse {
    /// `cn-irr`.
    Cn(CnRate),
    /// `cn-daily`.
    Daily(DailyRate),
    /// `us-regz`.
    Us(RegZRate),
    /// `eu-aprc`.
    Eu(EuRate),
}

/// The typed terms of one `apr` request: the regime and exactly the inputs it takes.
/// Built from the wire by [`AprRequest::terms`]: every field is already parsed and the
/// required and forbidden fields are checked, so the regimes see no strings and no options
/// they do not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AprTerms {
    /// `cn-irr`: China IRR on regular periods or dated flows.
    Cn(CnTerms),
    /// `cn-daily`: the stated annual rate of a daily rate.
    Daily(DailyTerms),
    /// `us-regz`: Regulation Z Appendix J.
    RegZ(RegZTerms),
    /// `eu-aprc`: the EU APRC.
    Eu(EuTerms),
}

impl AprTerms {
    /// Computes the rate of these terms in their regime.
    pub fn rate(&self) -> Result<AprResponse, AprError> {
        Ok(match self {
            AprTerms::Cn(terms) => AprResponse::Cn(terms.rate()?),
            AprTerms::Daily(terms) => AprResponse::Daily(terms.rate()?),
            AprTerms::RegZ(terms) => AprResponse::Us(terms.rate()?),
            AprTerms::Eu(terms) => AprResponse::Eu(terms.rate()?),
        })
    }
}

/// Runs an `apr` request: reads its terms (see [`AprRequest::terms`]) and computes the rate.
pub fn apr(request: &AprRequest) -> Result<AprResponse, AprError> {
    request.terms()?.rate()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::MathematicalOps;

    /// [`powu`] is `rust_decimal`'s `checked_powu` below 2^10, digit for digit (overflow
    /// included), on the bases the rate equations raise: discount and growth factors near one,
    /// and the odd large or tiny one.
    #[test]
    fn powu_is_checked_powu_below_1024() {
        let mut next = crate::schedule::test_cases(0x90_5eed);
        for case in 0..20_000_u64 {
            let scale = (case % 29) as u32;
            let mantissa = i64::try_from(next(u64::MAX >> 1)).unwrap_or(1) >> next(63);
            let base = match case % 4 {
                0 => Decimal::ONE + Decimal::new(mantissa % 1_000_000_007, scale.max(9)),
                1 => Decimal::ONE - Decimal::new(mantissa % 1_000_000_007, scale.max(9)),
                2 => Decimal::new(mantissa, scale),
                _ => -Decimal::new(mantissa % 1000, scale.min(3)),
            };
            let exponent =
                [0, 1, 2, 3, 12, 30, 31, 360, 365, 1023][(case % 10) as usize] + next(3) % 2;
            let exponent = exponent.min(1023);
            let ours = powu(base, exponent);
            let theirs = base.checked_powu(exponent);
            assert_eq!(ours, theirs, "{base}^{exponent}");
            assert_eq!(
                ours.map(|p| p.to_string()),
                theirs.map(|p| p.to_string()),
                "{base}^{exponent}"
            );
        }
    }
}
