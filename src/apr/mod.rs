//! Disclosure rates: China IRR, US Regulation Z Appendix J and EU APRC (domain-math §2).
//!
//! Owns the rate equations, their time counting (regular periods, days, Appendix J unit
//! periods with odd fractions, EU years), annualization and the display percent of each
//! regime, plus the `apr` JSON operation's request and response types.
//! Solving is delegated to [`crate::solver`]; this module does no rounding of money and never
//! uses binary floating point.
//!
//! Precision method: every equation is brought to integer powers of one discount factor by
//! choosing the time unit (a period, a day, an Appendix J unit period, or 1/4380 of a year
//! for the EU equal-months basis, 4380 = 12 × 365), so no fractional power, exponential or
//! logarithm is ever taken. The usual loan (money in at time 0, more money out later, amounts
//! in fen) is solved on an exact binary fixed-point grid (see `mod fixed`: amounts in
//! 2^−40 fen, the discount factor in 2^−62, `i128` arithmetic, no floats); anything else
//! falls back to checked 28-digit `Decimal` arithmetic with iterates of 18–24 decimals.
//! Both are far below the 10^−6 reporting precision; a property test pins the two paths to
//! each other and the tests compare against independent 50-digit references.

use crate::date::Date;
use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::money::{fmt_dp, parse_amount, parse_rate, DecimalIssue, Rounding};
use crate::solver::{self, Bracket, Newton, SolveIssue};
use rust_decimal::{Decimal, MathematicalOps};
use serde::{Deserialize, Serialize};

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
    #[error("unknown apr method {name:?}")]
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

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, AprError> {
    a.times(b).ok_or(AprError::Overflow)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, AprError> {
    a.plus(b).ok_or(AprError::Overflow)
}

fn sub(a: Decimal, b: Decimal) -> Result<Decimal, AprError> {
    a.minus(b).ok_or(AprError::Overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, AprError> {
    a.over(b).ok_or(AprError::Overflow)
}

fn pow(base: Decimal, exponent: u64) -> Result<Decimal, AprError> {
    base.checked_powu(exponent).ok_or(AprError::Overflow)
}

/// Most flows one equation may have (50 years of weekly payments).
pub const MAX_FLOWS: usize = crate::limits::MAX_PAYMENTS;

// ---------------------------------------------------------------------------------------------
// Regular periods (China IRR, §2.1)
// ---------------------------------------------------------------------------------------------

/// Decimals of the discount-factor iterate on regular periods: v = 1/(1+r) to 10^−18 puts the
/// annual rate within about 10^−15 even at 365 periods a year.
const REGULAR_ITERATE_DP: u32 = 18;

/// `Σ c_k v^k` and its derivative by Horner's rule, `c_0` the time-0 flow.
fn polynomial(coefficients: &[Decimal], v: Decimal) -> Option<(Decimal, Decimal)> {
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    for c in coefficients.iter().rev() {
        slope = slope.times(v)?.plus(value)?;
        value = value.times(v)?.plus(*c)?;
    }
    Some((value, slope))
}

/// Solves the periodic rate `r` of `advance` at time 0 repaid by `payments[k-1]` at the end of
/// period k: `advance = Σ payments_k (1+r)^−k`. Zero-cost flows give exactly zero.
///
/// With one sign change (the usual loan: money in, then money out) the root in
/// v = 1/(1+r) is unique and `f(v) = −advance + Σ p_k v^k` is convex for v > 0, so Newton
/// started from v = 1 descends monotonically onto it; the first step is taken in closed form
/// (`f(1) = Σp − advance`, `f'(1) = Σ k·p_k`), which saves an evaluation.
pub fn periodic_irr(advance: Decimal, payments: &[Decimal]) -> Result<Decimal, AprError> {
    if payments.is_empty() || payments.len() > MAX_FLOWS {
        return Err(bad_flows(
            "payments",
            format!("between 1 and {MAX_FLOWS} payments are required"),
        ));
    }
    let mut coefficients = Vec::with_capacity(payments.len() + 1);
    coefficients.push(-advance);
    coefficients.extend_from_slice(payments);
    let changes = solver::sign_changes(coefficients.iter().copied());
    if changes == 0 {
        return Err(AprError::NoSolution);
    }
    let mut total = Decimal::ZERO;
    let mut weighted = Decimal::ZERO;
    for (idx, payment) in payments.iter().enumerate() {
        total = add(total, *payment)?;
        weighted = add(weighted, mul(*payment, Decimal::from(idx + 1))?)?;
    }
    let at_one = sub(total, advance)?;
    let eval = |v: Decimal| polynomial(&coefficients, v);
    let settings = Newton {
        iterate_dp: REGULAR_ITERATE_DP,
        x_tolerance: Decimal::new(1, REGULAR_ITERATE_DP - 1),
        max_evaluations: 200,
    };
    let v = if changes == 1 && advance > Decimal::ZERO {
        if at_one.is_zero() {
            // f(1) = 0 and the root is unique: a zero-cost loan is exactly 0 %.
            return Ok(Decimal::ZERO);
        }
        let first_step = if weighted.is_zero() {
            Decimal::ONE
        } else {
            sub(Decimal::ONE, div(at_one, weighted)?)?
        };
        if at_one > Decimal::ZERO {
            // f(0) = −advance < 0 < f(1): the rate is positive.
            if let Some(v) = fixed::solve(&coefficients, first_step) {
                return Ok(sub(div(Decimal::ONE, v)?, Decimal::ONE)?.round_dp(20));
            }
            let bracket = Bracket {
                lo: Decimal::ZERO,
                hi: Decimal::ONE,
                lo_negative: true,
            };
            solver::newton_in_bracket(eval, bracket, first_step, settings)?
        } else {
            // f(1) < 0: the payments do not cover the advance; the rate is negative (v > 1).
            // v^k overflows a decimal from about 80 periods up when v is near 2, so the
            // negative side is solved in u = 1 + r = 1/v ∈ (0, 1) instead (see
            // `solve_negative_regular`): every power is at most 1 and the root always lies
            // inside (0, 1).
            return solve_negative_regular(&coefficients, at_one, weighted, settings);
        }
    } else {
        // Several sign changes: accept only if a scan of periodic rates from −99 % to
        // +1000 % finds exactly one crossing. Points with v > 1 are evaluated in u = 1/v
        // (same sign, no overflow).
        let points = scan_points();
        let reversed: Vec<Decimal> = coefficients.iter().rev().copied().collect();
        let scan = |v: Decimal| {
            if v <= Decimal::ONE {
                polynomial(&coefficients, v)
            } else {
                polynomial(&reversed, Decimal::ONE.over(v)?)
            }
        };
        let (mut lo, mut hi) = solver::scan_bracket(scan, &points)?;
        if lo < Decimal::ONE && hi > Decimal::ONE {
            let (at_one, _) = polynomial(&coefficients, Decimal::ONE).ok_or(AprError::Overflow)?;
            if at_one.is_zero() {
                return Ok(Decimal::ZERO);
            }
            let (at_lo, _) = scan(lo).ok_or(AprError::Overflow)?;
            if at_lo.is_sign_negative() == at_one.is_sign_negative() {
                lo = Decimal::ONE;
            } else {
                hi = Decimal::ONE;
            }
        }
        if lo >= Decimal::ONE {
            // The bracket is on the negative side: solve in u ∈ [1/hi, 1/lo].
            let eval_u = |u: Decimal| polynomial(&reversed, u);
            let u =
                solver::solve_bracketed(eval_u, div(Decimal::ONE, hi)?, div(Decimal::ONE, lo)?)?;
            return Ok(sub(u, Decimal::ONE)?.round_dp(20));
        }
        solver::solve_bracketed(eval, lo, hi)?
    };
    if v <= Decimal::ZERO {
        return Err(AprError::NoSolution);
    }
    let rate = sub(div(Decimal::ONE, v)?, Decimal::ONE)?;
    let rate = if v < Decimal::new(5, 1) {
        polish_large_rate(&regular_flows(&coefficients), rate)?
    } else {
        rate
    };
    Ok(rate.round_dp(20))
}

/// The negative-rate side of [`periodic_irr`]: with one sign change and `Σ p < advance`, the
/// root is the unique zero in (0, 1) of the future-value polynomial
/// `h(u) = Σ_k c_k u^(n−k)` (u = 1 + r; `h(u) = u^n · f(1/u)`), where `h(0) = p_n > 0` and
/// `h(1) = Σ p − advance < 0`. No power exceeds 1, so no period count overflows, and a root
/// arbitrarily close to −100 % is still found (the answer is then r = u − 1 ≈ −1).
fn solve_negative_regular(
    coefficients: &[Decimal],
    at_one: Decimal,
    weighted: Decimal,
    settings: Newton,
) -> Result<Decimal, AprError> {
    let reversed: Vec<Decimal> = coefficients.iter().rev().copied().collect();
    // First Newton step of f from v = 1 is v₁ = 1 − f(1)/f'(1); u ≈ 2 − v₁ to first order.
    let start = if weighted.is_zero() {
        Decimal::new(5, 1)
    } else {
        add(Decimal::ONE, div(at_one, weighted)?)?
    };
    // The fixed-point solver finds the root of a polynomial negative at 0 and positive at 1.
    let negated: Vec<Decimal> = reversed.iter().map(|c| -*c).collect();
    if let Some(u) = fixed::solve(&negated, start) {
        if u > Decimal::ZERO {
            return Ok(sub(u, Decimal::ONE)?.round_dp(20));
        }
    }
    let eval_u = |u: Decimal| polynomial(&reversed, u);
    let bracket = Bracket {
        lo: Decimal::ZERO,
        hi: Decimal::ONE,
        lo_negative: false,
    };
    let u = solver::newton_in_bracket(eval_u, bracket, start, settings)?;
    if u <= Decimal::ZERO {
        return Err(AprError::BelowRange);
    }
    Ok(sub(u, Decimal::ONE)?.round_dp(20))
}

/// Regular periods as timed flows (coefficient k at the end of period k).
fn regular_flows(coefficients: &[Decimal]) -> Vec<TimedFlow> {
    coefficients
        .iter()
        .enumerate()
        .map(|(k, c)| TimedFlow {
            amount: -*c,
            periods: u64::try_from(k).unwrap_or(u64::MAX),
            fraction: Decimal::ZERO,
        })
        .collect()
}

/// Above 100 % a unit period the root was found as a discount factor v = 1/(1+r) < ½ on a
/// grid of absolute precision, and r = 1/v − 1 inherits a relative error of δv/v, which
/// grows without bound as v → 0 (a rate of 10^7 per period lost five integer-digit-relevant
/// decimals). This re-solves in the rate itself, in a bracket of ±10^−9 relative around
/// the first answer, and certifies it: the equation must change sign across the final
/// bracket, else the rate is refused with `overflow` rather than returned with wrong digits.
fn polish_large_rate(flows: &[TimedFlow], rate: Decimal) -> Result<Decimal, AprError> {
    let mut sorted = flows.to_vec();
    sorted.sort_by(|a, b| a.periods.cmp(&b.periods).then(a.fraction.cmp(&b.fraction)));
    let eval = |i: Decimal| timed_npv(&sorted, i);
    let spread = mul(rate.abs(), Decimal::new(1, 9))?;
    let lo = sub(rate, spread)?;
    let hi = add(rate, spread)?;
    let (f_lo, _) = eval(lo).ok_or(AprError::Overflow)?;
    let (f_hi, _) = eval(hi).ok_or(AprError::Overflow)?;
    if f_lo.is_zero() {
        return Ok(lo);
    }
    if f_hi.is_zero() {
        return Ok(hi);
    }
    if f_lo.is_sign_negative() == f_hi.is_sign_negative() {
        return Err(AprError::Overflow);
    }
    let bracket = Bracket {
        lo,
        hi,
        lo_negative: f_lo.is_sign_negative(),
    };
    // Relative tolerance: 10^−20 of the rate keeps 6 decimals right up to 10^14.
    let settings = Newton {
        iterate_dp: 24,
        x_tolerance: mul(rate.abs(), Decimal::new(1, 20))?.max(Decimal::new(1, 24)),
        max_evaluations: 200,
    };
    let polished = solver::newton_in_bracket(eval, bracket, rate, settings)?;
    // Certify: the equation changes sign within a relative 10^−17 of the answer.
    let margin = mul(polished.abs(), Decimal::new(1, 17))?;
    let below = eval(sub(polished, margin)?).ok_or(AprError::Overflow)?.0;
    let above = eval(add(polished, margin)?).ok_or(AprError::Overflow)?.0;
    let crosses =
        below.is_zero() || above.is_zero() || below.is_sign_negative() != above.is_sign_negative();
    if !crosses {
        return Err(AprError::Overflow);
    }
    Ok(polished)
}

/// Binary fixed-point evaluation of the rate polynomial: the fast path of [`periodic_irr`]
/// and of [`solve_unit_rate`] (dated flows without Appendix J fractions) for the usual loan:
/// one sign change and a positive rate, so the root v = 1/(1+r) lies in (0, 1).
///
/// Why: 28-digit `Decimal` products cost about 60 ns each once the iterate carries many
/// digits, which made a 360-period solve take over half a millisecond. Here every amount is
/// an exact integer count of fen scaled by 2^40 (an `i128`), v and its powers are integer
/// counts of 2^−62, and a product is computed exactly in 128/192 bits and truncated back to
/// its grid. Bounds: |amount| ≤ 10^12 yuan, |amount × time| < 2^110 per flow and at most
/// 2,701 flows keep every sum below 2^122, so nothing overflows an `i128`; inputs outside
/// them (or with more than 2 decimals) fall back to the `Decimal` path. Accuracy: each
/// product truncates by one unit of its grid, so f is exact to about 10^−11 yuan and v to
/// about 10^−15 relative even over 2,700 flows and 100,000 days — the annual rate to better
/// than 10^−11, five orders below the reported 10^−6. No binary floating point is
/// involved; the root converts back to `Decimal` once.
mod fixed {
    use crate::money::CheckedOps;
    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;

    /// Binary digits of the v grid.
    const V_BITS: u32 = 62;
    /// Binary digits below the fen of the amount grid.
    const AMOUNT_BITS: u32 = 40;
    const ONE: i128 = 1 << V_BITS;
    /// Largest |amount × time| a flow may contribute.
    const TERM_LIMIT: u128 = 1 << 110;

    /// `a × v / 2^62`, exact to the truncation, for |a| < 2^111 and 0 ≤ v ≤ 2^62.
    fn mul_v(a: i128, v: i128) -> i128 {
        let magnitude = a.unsigned_abs();
        let v = v.unsigned_abs();
        let high = magnitude >> 64;
        let low = magnitude & u128::from(u64::MAX);
        // (high·2^64 + low)·v / 2^62 = high·v·4 + low·v / 2^62.
        let product = ((high * v) << 2) + ((low * v) >> V_BITS);
        let product = i128::try_from(product).unwrap_or(i128::MAX);
        if a < 0 {
            -product
        } else {
            product
        }
    }

    /// `v^exponent` on the 2^−62 grid, 0 ≤ v ≤ 2^62 (so every product fits in 124 bits).
    fn pow_v(v: i128, mut exponent: u64) -> i128 {
        let mut result = ONE;
        let mut square = v;
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = (result * square) >> V_BITS;
            }
            exponent >>= 1;
            if exponent > 0 {
                square = (square * square) >> V_BITS;
            }
        }
        result
    }

    fn horner(coefficients: &[i128], v: i128) -> (i128, i128) {
        let mut value: i128 = 0;
        let mut slope: i128 = 0;
        for c in coefficients.iter().rev() {
            slope = mul_v(slope, v) + value;
            value = mul_v(value, v) + c;
        }
        (value, slope)
    }

    /// One dated flow on the grid: amount, whole periods, Appendix J fraction (2^−62 units).
    #[derive(Clone, Copy)]
    pub(super) struct GridFlow {
        amount: i128,
        periods: u64,
        fraction: i128,
    }

    /// `f(v) = Σ c_k D_k` and `v·f'(v)` over flows sorted by time, where
    /// `D_k = v^t_k / (1 + f_k·i)` with `i = (1 − v)/v`, i.e. `v^(t+1) / (v + f·(1 − v))`.
    fn sparse(flows: &[GridFlow], v: i128) -> (i128, i128) {
        let mut value: i128 = 0;
        let mut weighted: i128 = 0;
        let mut power = ONE;
        let mut at = 0_u64;
        // Gaps repeat (28–31 days, one period): compute each gap's power once.
        let mut gap_powers: [(u64, i128); 8] = [(0, ONE); 8];
        let mut cached = 0;
        for flow in flows {
            if flow.periods > at {
                let gap = flow.periods - at;
                let gap_power = match gap_powers[..cached].iter().find(|(g, _)| *g == gap) {
                    Some((_, p)) => *p,
                    None => {
                        let p = pow_v(v, gap);
                        if cached < gap_powers.len() {
                            gap_powers[cached] = (gap, p);
                            cached += 1;
                        }
                        p
                    }
                };
                power = (power * gap_power) >> V_BITS;
                at = flow.periods;
            }
            let periods = i128::from(flow.periods);
            if flow.fraction == 0 {
                let term = mul_v(flow.amount, power);
                value += term;
                weighted += term * periods;
            } else {
                // D = v^(t+1) / den, den = v + f·(1 − v) ≥ v > 0; both on the 2^−62 grid.
                let denominator = v + ((flow.fraction * (ONE - v)) >> V_BITS);
                if denominator <= 0 {
                    continue;
                }
                let next_power = (power * v) >> V_BITS;
                let discount = (next_power << V_BITS) / denominator;
                let term = mul_v(flow.amount, discount);
                // v·D'/D = (t + 1) − v(1 − f)/den.
                let share =
                    ((((v * (ONE - flow.fraction)) >> V_BITS) << V_BITS) / denominator).min(ONE);
                value += term;
                weighted += term * (periods + 1) - mul_v(term, share);
            }
        }
        (value, weighted)
    }

    /// `floor(f · 2^62 / slope)` (signed) by long division in 16-bit chunks; `None` when the
    /// slope is zero or the step is at least 2^20 (far outside any bracket).
    fn newton_step(f: i128, slope: i128) -> Option<i128> {
        if slope == 0 {
            return None;
        }
        let negative = (f < 0) != (slope < 0);
        // Keep the divisor below 2^110 so that `remainder << 16` stays inside 128 bits;
        // dropping low bits of both only rounds the step, which the next iteration corrects.
        let excess = (128 - slope.unsigned_abs().leading_zeros()).saturating_sub(110);
        let f = f.unsigned_abs() >> excess;
        let slope = slope.unsigned_abs() >> excess;
        if slope == 0 {
            return None;
        }
        let mut quotient = f / slope;
        if quotient >= 1 << 20 {
            return None;
        }
        let mut remainder = f % slope;
        for bits in [16_u32, 16, 16, 14] {
            remainder <<= bits;
            quotient = (quotient << bits) + remainder / slope;
            remainder %= slope;
        }
        let step = i128::try_from(quotient).ok()?;
        Some(if negative { -step } else { step })
    }

    fn to_grid(amount: Decimal) -> Option<i128> {
        let fen = amount.times(Decimal::ONE_HUNDRED)?;
        if !fen.fract().is_zero() || fen.abs() > Decimal::from(100_000_000_000_000_i64) {
            return None;
        }
        Some(fen.to_i128()? << AMOUNT_BITS)
    }

    fn start_on_grid(start: Decimal) -> Option<i128> {
        let v = start.times(Decimal::from(ONE))?.trunc().to_i128()?;
        Some(if v <= 0 || v >= ONE { ONE / 2 } else { v })
    }

    /// Safeguarded Newton on the grid inside (0, 1): `eval(v)` gives f(v) and the Newton
    /// step f/f' in grid units; `lo_positive` is the sign of f just above 0.
    fn newton(
        mut eval: impl FnMut(i128) -> (i128, Option<i128>),
        lo_positive: bool,
        start: i128,
    ) -> Option<Decimal> {
        let (mut lo, mut hi) = (0_i128, ONE);
        let mut v = start;
        for _ in 0..200 {
            let (value, step) = eval(v);
            if value == 0 {
                break;
            }
            if (value > 0) == lo_positive {
                lo = v;
            } else {
                hi = v;
            }
            if hi - lo <= 2 {
                break;
            }
            v = match step {
                Some(step) if step.abs() <= 2 => {
                    v -= step;
                    break;
                }
                Some(step) if v - step > lo && v - step < hi => v - step,
                _ => lo + (hi - lo) / 2,
            };
        }
        Decimal::try_from_i128_with_scale(v, 0)
            .ok()?
            .over(Decimal::from(ONE))
    }

    /// The root v of `Σ c_k v^k` (regular periods) in (0, 1), given f(0) < 0 < f(1).
    pub(super) fn solve(coefficients: &[Decimal], start: Decimal) -> Option<Decimal> {
        if coefficients.len() > super::MAX_FLOWS + 1 {
            return None;
        }
        let grid: Vec<i128> = coefficients
            .iter()
            .map(|c| to_grid(*c))
            .collect::<Option<_>>()?;
        let eval = |v: i128| {
            let (value, slope) = horner(&grid, v);
            (value, newton_step(value, slope))
        };
        newton(eval, false, start_on_grid(start)?)
    }

    /// The root v of `Σ a_k v^t_k / (1 + f_k·i)` (dated flows sorted by time, the earliest
    /// an advance at time 0) in (0, 1), given one sign change and Σ a_k < 0.
    pub(super) fn solve_sparse(flows: &[super::TimedFlow], start: Decimal) -> Option<Decimal> {
        if flows.len() > super::MAX_FLOWS + 1 {
            return None;
        }
        let mut grid = Vec::with_capacity(flows.len());
        for flow in flows {
            let amount = to_grid(flow.amount)?;
            let span = flow.periods.checked_add(1)?;
            if amount.unsigned_abs().checked_mul(u128::from(span))? >= TERM_LIMIT {
                return None;
            }
            if flow.fraction < Decimal::ZERO || flow.fraction >= Decimal::ONE {
                return None;
            }
            let fraction = flow.fraction.times(Decimal::from(ONE))?.trunc().to_i128()?;
            grid.push(GridFlow {
                amount,
                periods: flow.periods,
                fraction,
            });
        }
        let eval = |v: i128| {
            let (value, weighted) = sparse(&grid, v);
            // f'(v) = weighted / v, so the step f/f' = v · value / weighted.
            (value, newton_step(value, weighted).map(|q| mul_v(q, v)))
        };
        newton(eval, true, start_on_grid(start)?)
    }
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
    /// Rate per period (per day for dated flows), 12 decimals.
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
    /// Periods per year used for annualization (days per year for dated flows).
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
    fmt_dp(
        rate.saturating_mul(Decimal::ONE_HUNDRED),
        dp,
        Rounding::HalfUp,
    )
}

/// The label of a rate annualized by multiplication (PBoC 2021 No. 3).
pub const SIMPLE_LABEL: &str = "年化利率(单利)";
/// The label of a compound annualized rate.
pub const COMPOUND_LABEL: &str = "年化利率(复利)";

/// The China IRR method on regular periods (§2.1).
pub fn cn_irr(
    advance: Decimal,
    payments: &[Decimal],
    periods_per_year: u32,
) -> Result<CnRate, AprError> {
    if !(1..=365).contains(&periods_per_year) {
        return Err(invalid_option(
            "periodsPerYear",
            "periodsPerYear must be between 1 and 365",
        ));
    }
    if advance <= Decimal::ZERO {
        return Err(bad_flows(
            "advance",
            "the advance must be greater than zero",
        ));
    }
    let periodic_rate = periodic_irr(advance, payments)?;
    annualize(periodic_rate, periods_per_year)
}

/// Turns a periodic rate into the CN disclosure pair.
pub fn annualize(periodic_rate: Decimal, periods_per_year: u32) -> Result<CnRate, AprError> {
    let m = Decimal::from(periods_per_year);
    let rate = mul(periodic_rate, m)?;
    let growth = add(Decimal::ONE, periodic_rate)?;
    let effective_rate = sub(pow(growth, u64::from(periods_per_year))?, Decimal::ONE)?;
    Ok(CnRate {
        method: "cn-irr",
        periodic_rate,
        rate,
        effective_rate,
        percent: percent(rate, 2),
        effective_percent: percent(effective_rate, 2),
        periods_per_year,
        label: SIMPLE_LABEL,
        effective_label: COMPOUND_LABEL,
    })
}

// ---------------------------------------------------------------------------------------------
// Dated flows: one equation in whole unit periods plus a simple-interest fraction
// ---------------------------------------------------------------------------------------------

/// One flow of a dated rate equation, already placed on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedFlow {
    /// Signed amount: advances (money to the borrower) positive, payments negative.
    pub amount: Decimal,
    /// Whole unit periods from the start of the term.
    pub periods: u64,
    /// Remaining fraction of a unit period, earning simple interest (Appendix J); 0 otherwise.
    pub fraction: Decimal,
}

/// `F(i) = Σ a_k (1+i)^−t_k / (1 + f_k·i)` and `F'(i)`, flows sorted by time.
fn timed_npv(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    let growth = Decimal::ONE.plus(rate)?;
    let discount = Decimal::ONE.over(growth)?;
    let mut power = Decimal::ONE;
    let mut at_periods = 0_u64;
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    // Gaps between flows repeat (28–31 days, one unit period): compute each power once.
    let mut gap_powers: Vec<(u64, Decimal)> = Vec::new();
    for flow in flows {
        if flow.periods > at_periods {
            let gap = flow.periods - at_periods;
            let gap_power = match gap_powers.iter().find(|(g, _)| *g == gap) {
                Some((_, p)) => *p,
                None => {
                    let p = discount.checked_powu(gap)?;
                    if gap_powers.len() < 16 {
                        gap_powers.push((gap, p));
                    }
                    p
                }
            };
            power = power.times(gap_power)?;
            at_periods = flow.periods;
        }
        let (factor, fraction_term) = if flow.fraction.is_zero() {
            (power, Decimal::ZERO)
        } else {
            let simple = Decimal::ONE.plus(flow.fraction.times(rate)?)?;
            (power.over(simple)?, flow.fraction.over(simple)?)
        };
        let discounted = flow.amount.times(factor)?;
        value = value.plus(discounted)?;
        // d/di of (1+i)^−t (1+f·i)^−1 = −factor · (t/(1+i) + f/(1+f·i)).
        let log_slope = Decimal::from(flow.periods)
            .times(discount)?
            .plus(fraction_term)?;
        slope = slope.minus(discounted.times(log_slope)?)?;
    }
    Some((value, slope))
}

/// `G(i) = F(i)·(1+i)^T = Σ a_k (1+i)^(T−t_k) / (1 + f_k·i)` and `G'(i)`, flows sorted by
/// time, T the last flow's whole periods: the future-value form of [`timed_npv`], with the
/// same sign and the same roots for i > −1. Used for negative rates, where the present-value
/// form raises `1/(1+i) > 1` to the number of periods and overflows (2^365 for −50 % a day);
/// here every power is at most 1.
fn timed_fv(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    let growth = Decimal::ONE.plus(rate)?;
    let horizon = flows.last()?.periods;
    let mut power = Decimal::ONE;
    let mut at_periods = horizon;
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    for flow in flows.iter().rev() {
        if flow.periods < at_periods {
            power = power.times(growth.checked_powu(at_periods - flow.periods)?)?;
            at_periods = flow.periods;
        }
        let ahead = Decimal::from(horizon - flow.periods);
        let simple = Decimal::ONE.plus(flow.fraction.times(rate)?)?;
        let term = flow.amount.times(power)?.over(simple)?;
        value = value.plus(term)?;
        // d/di of (1+i)^n (1+f·i)^−1 = factor · (n/(1+i) − f/(1+f·i)).
        if !term.is_zero() {
            let log_slope = ahead.over(growth)?.minus(flow.fraction.over(simple)?)?;
            slope = slope.plus(term.times(log_slope)?)?;
        }
    }
    Some((value, slope))
}

/// [`timed_npv`] for i ≥ 0, [`timed_fv`] below: the same sign everywhere, no overflow on
/// either side.
fn timed_value(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    if rate.is_sign_negative() {
        timed_fv(flows, rate)
    } else {
        timed_npv(flows, rate)
    }
}

/// Decimals of the unit-period rate iterate on dated flows.
const DATED_ITERATE_DP: u32 = 24;

/// Solves the unit-period rate `i` of dated flows (`Σ a_k (1+i)^−t_k / (1+f_k·i) = 0`).
///
/// Flows are sorted by time; with one sign change in time order the root is unique
/// (Descartes) and bracketed from 0 outward, with the closed-form Newton step from 0 as the
/// first iterate. With several sign changes a scan must find exactly one crossing.
pub fn solve_unit_rate(flows: &[TimedFlow]) -> Result<Decimal, AprError> {
    if flows.len() < 2 || flows.len() > MAX_FLOWS + 1 {
        return Err(bad_flows(
            "payments",
            format!("between 2 and {} flows are required", MAX_FLOWS + 1),
        ));
    }
    let mut sorted = flows.to_vec();
    sorted.sort_by(|a, b| a.periods.cmp(&b.periods).then(a.fraction.cmp(&b.fraction)));
    let changes = solver::sign_changes(sorted.iter().map(|f| f.amount));
    if changes == 0 {
        return Err(AprError::NoSolution);
    }
    let eval = |rate: Decimal| timed_value(&sorted, rate);
    let settings = Newton {
        iterate_dp: DATED_ITERATE_DP,
        x_tolerance: Decimal::new(1, DATED_ITERATE_DP - 1),
        max_evaluations: 300,
    };
    let mut sum = Decimal::ZERO;
    let mut slope_at_zero = Decimal::ZERO;
    for flow in &sorted {
        sum = add(sum, flow.amount)?;
        let time = add(Decimal::from(flow.periods), flow.fraction)?;
        slope_at_zero = sub(slope_at_zero, mul(flow.amount, time)?)?;
    }
    if changes > 1 {
        let (lo, hi) = solver::scan_bracket(eval, &dated_scan_points())?;
        return polish_if_large(&sorted, solver::solve_bracketed(eval, lo, hi)?);
    }
    if sum.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let first_negative = sorted
        .iter()
        .find(|f| !f.amount.is_zero())
        .is_some_and(|f| f.amount.is_sign_negative());
    // F(0) = Σ a; F(i) takes the sign of the earliest flow as i → ∞ and of the latest as
    // i → −1, so the root lies above 0 exactly when the sum's sign differs from the first's.
    let positive_root = sum.is_sign_negative() != first_negative;
    let first_step = if slope_at_zero.is_zero() {
        Decimal::ZERO
    } else {
        div(-sum, slope_at_zero)?
    };
    let sum_negative = sum.is_sign_negative();
    let starts_with_advance = sorted
        .first()
        .is_some_and(|f| f.periods == 0 && f.fraction.is_zero() && f.amount > Decimal::ZERO);
    if positive_root && starts_with_advance {
        // The usual loan: money in at time 0, more money out later. First Newton step from
        // v = 1: v₁ = 1 − F(1)/F'(1) with F'(1) = Σ a·(t + f) = −slope_at_zero.
        let flows = &sorted;
        let start = if slope_at_zero.is_zero() {
            Decimal::ONE
        } else {
            add(Decimal::ONE, div(sum, slope_at_zero)?)?
        };
        if let Some(v) = fixed::solve_sparse(flows, start) {
            if v >= Decimal::new(5, 1) {
                return Ok(sub(div(Decimal::ONE, v)?, Decimal::ONE)?.round_dp(20));
            }
            if v > Decimal::ZERO {
                let rate = sub(div(Decimal::ONE, v)?, Decimal::ONE)?;
                return Ok(polish_large_rate(flows, rate)?.round_dp(20));
            }
        }
    }
    let rate = if positive_root {
        let mut hi = if first_step > Decimal::ZERO {
            mul(first_step, Decimal::TWO)?
        } else {
            Decimal::ONE
        };
        let mut found = false;
        for _ in 0..80 {
            match eval(hi) {
                Some((value, _)) if value.is_zero() => return Ok(hi.round_dp(20)),
                Some((value, _)) if value.is_sign_negative() != sum_negative => {
                    found = true;
                    break;
                }
                Some(_) => {}
                None => return Err(AprError::Overflow),
            }
            if hi > Decimal::from(1_000_000) {
                break;
            }
            hi = mul(hi, Decimal::TWO)?;
        }
        if !found {
            // One sign change guarantees a root above 0; it lies beyond 10^8 % a period.
            return Err(AprError::Overflow);
        }
        let bracket = Bracket {
            lo: Decimal::ZERO,
            hi,
            lo_negative: sum_negative,
        };
        solver::newton_in_bracket(eval, bracket, first_step, settings)?
    } else {
        // Negative rate: walk from the first Newton step toward −1.
        let mut lo = if first_step < Decimal::ZERO && first_step > Decimal::NEGATIVE_ONE {
            first_step
        } else {
            Decimal::new(-5, 1)
        };
        let mut found = false;
        for _ in 0..120 {
            match eval(lo) {
                Some((value, _)) if value.is_zero() => return Ok(lo.round_dp(20)),
                Some((value, _)) if value.is_sign_negative() != sum_negative => {
                    found = true;
                    break;
                }
                Some(_) => {}
                None => return Err(AprError::BelowRange),
            }
            let doubled = mul(lo, Decimal::TWO)?;
            lo = if doubled > Decimal::new(-5, 1) {
                doubled
            } else {
                // Halve the distance to −1 instead of crossing it.
                div(sub(lo, Decimal::ONE)?, Decimal::TWO)?
            };
        }
        if !found {
            // One sign change guarantees a root in (−1, 0); the walk came within 2^−120 of −1.
            return Err(AprError::BelowRange);
        }
        let bracket = Bracket {
            lo,
            hi: Decimal::ZERO,
            lo_negative: !sum_negative,
        };
        solver::newton_in_bracket(eval, bracket, first_step, settings)?
    };
    polish_if_large(&sorted, rate)
}

/// Rates above 100 % a unit period go through [`polish_large_rate`].
fn polish_if_large(sorted: &[TimedFlow], rate: Decimal) -> Result<Decimal, AprError> {
    let rate = if rate > Decimal::ONE {
        polish_large_rate(sorted, rate)?
    } else {
        rate
    };
    Ok(rate.round_dp(20))
}

/// Unit-period rates from about −99.9 % to +100,000 % for the multiple-sign-change scan,
/// increasing: a geometric grid of positive rates and its mirror image `−x/(1+x)`.
fn dated_scan_points() -> Vec<Decimal> {
    let mut positive = Vec::with_capacity(140);
    let mut x = Decimal::new(1, 9);
    let step = Decimal::new(13, 1);
    while x < Decimal::from(1000) {
        positive.push(x);
        x *= step;
    }
    let mut points: Vec<Decimal> = positive
        .iter()
        .rev()
        .filter_map(|x| x.over(Decimal::ONE + x).map(|m| -m))
        .collect();
    points.push(Decimal::ZERO);
    points.extend(positive);
    points
}

/// One dated amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedAmount {
    /// When it is paid.
    pub date: Date,
    /// How much (positive).
    pub amount: Decimal,
}

/// Checks the dated flows and returns the start of the term (the earliest advance).
fn term_start(advances: &[DatedAmount], payments: &[DatedAmount]) -> Result<Date, AprError> {
    if advances.is_empty() {
        return Err(bad_flows("advances", "at least one advance is required"));
    }
    if payments.is_empty() {
        return Err(bad_flows("payments", "at least one payment is required"));
    }
    if advances.len() + payments.len() > MAX_FLOWS + 1 {
        return Err(bad_flows(
            "payments",
            format!("at most {} flows are accepted", MAX_FLOWS + 1),
        ));
    }
    for (list, name) in [(advances, "advances"), (payments, "payments")] {
        for (idx, flow) in list.iter().enumerate() {
            if flow.amount.is_sign_negative() && !flow.amount.is_zero() {
                return Err(bad_flows(
                    &format!("{name}[{idx}].amount"),
                    "amounts must not be negative",
                ));
            }
        }
    }
    let start = advances
        .iter()
        .map(|a| a.date)
        .min()
        .ok_or_else(|| bad_flows("advances", "at least one advance is required"))?;
    for (idx, payment) in payments.iter().enumerate() {
        if payment.date < start {
            return Err(bad_flows(
                &format!("payments[{idx}].date"),
                "a payment precedes the first advance",
            ));
        }
    }
    Ok(start)
}

/// Days in the year used by China XIRR and the daily-rate mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearDays {
    /// 360 days (日利率 = 年利率 ÷ 360, the contract convention).
    D360,
    /// 365 days (act/365).
    D365,
}

impl YearDays {
    /// Parses the wire value (360 or 365).
    pub fn parse(days: u32) -> Option<YearDays> {
        match days {
            360 => Some(YearDays::D360),
            365 => Some(YearDays::D365),
            _ => None,
        }
    }

    /// The number of days.
    pub fn days(self) -> u32 {
        match self {
            YearDays::D360 => 360,
            YearDays::D365 => 365,
        }
    }
}

/// China IRR on dated flows (XIRR on days, §2.1): solves the daily rate `r_d` of
/// `Σ advances (1+r_d)^−days = Σ payments (1+r_d)^−days`, days from the first advance, and
/// annualizes it as the regular method does with m = days per year:
/// `rate = r_d × 365` (单利), `effectiveRate = (1+r_d)^365 − 1` (the classic XIRR figure).
/// `year_days` 360 gives `r_d × 360` and `(1+r_d)^360 − 1`.
pub fn cn_xirr(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    year_days: YearDays,
) -> Result<CnRate, AprError> {
    let start = term_start(advances, payments)?;
    let flows = dated_flows(advances, payments, |date| {
        let days = u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow)?;
        Ok((days, Decimal::ZERO))
    })?;
    let daily = solve_unit_rate(&flows)?;
    annualize(daily, year_days.days())
}

fn dated_flows(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    mut place: impl FnMut(Date) -> Result<(u64, Decimal), AprError>,
) -> Result<Vec<TimedFlow>, AprError> {
    let mut flows = Vec::with_capacity(advances.len() + payments.len());
    for advance in advances {
        let (periods, fraction) = place(advance.date)?;
        flows.push(TimedFlow {
            amount: advance.amount,
            periods,
            fraction,
        });
    }
    for payment in payments {
        let (periods, fraction) = place(payment.date)?;
        flows.push(TimedFlow {
            amount: -payment.amount,
            periods,
            fraction,
        });
    }
    Ok(flows)
}

/// Stated annual rate of a daily-rate product (§2.1): `daily × 360` by default, `× 365`
/// as a parameter (0.0005 → 0.18 or 0.1825).
pub fn stated_annual_from_daily(daily: Decimal, year_days: YearDays) -> Result<Decimal, AprError> {
    mul(daily, Decimal::from(year_days.days()))
}

/// The daily-rate mapping as a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyRate {
    /// Always `cn-daily`.
    pub method: &'static str,
    /// The daily rate given.
    pub daily_rate: String,
    /// 360 or 365.
    pub year_days: u32,
    /// daily × yearDays, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 2 decimals, half-up.
    pub percent: String,
    /// The label the page prints (the mapping is by multiplication).
    pub label: &'static str,
}

// ---------------------------------------------------------------------------------------------
// US Regulation Z, Appendix J (§2.2)
// ---------------------------------------------------------------------------------------------

/// The Appendix J unit period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPeriod {
    /// k months (k = `unitMultiple`); 12/k per year.
    Month,
    /// Half a month; 24 per year.
    Semimonth,
    /// k weeks; 52/k per year.
    Week,
    /// One day; 365 per year.
    Day,
}

impl UnitPeriod {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<UnitPeriod> {
        Some(match name {
            "month" => UnitPeriod::Month,
            "semimonth" => UnitPeriod::Semimonth,
            "week" => UnitPeriod::Week,
            "day" => UnitPeriod::Day,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitPeriod::Month => "month",
            UnitPeriod::Semimonth => "semimonth",
            UnitPeriod::Week => "week",
            UnitPeriod::Day => "day",
        }
    }
}

/// Whole months counted back from `later` (keeping its day, clamped to month end) while
/// staying on or after `earlier`, and the leftover days from `earlier` forward to that date.
pub fn months_back(earlier: Date, later: Date) -> Result<(u64, u64), AprError> {
    if later < earlier {
        return Err(AprError::Overflow);
    }
    let month_index = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month());
    let mut months = (month_index(later) - month_index(earlier)).max(0);
    loop {
        let boundary = later
            .add_months_anchored(-months, later.day())
            .ok_or(AprError::Overflow)?;
        if boundary >= earlier {
            let days =
                u64::try_from(earlier.days_until(boundary)).map_err(|_| AprError::Overflow)?;
            let whole = u64::try_from(months).map_err(|_| AprError::Overflow)?;
            return Ok((whole, days));
        }
        if months == 0 {
            return Err(AprError::Overflow);
        }
        months -= 1;
    }
}

/// Appendix J time from `start` to `date` in unit periods: `(t, f)`, per §1026 Appendix J
/// (b)(5):
///
/// - (ii) month: whole months counted back from `date`, leftover days ÷ 30;
/// - (iii) semimonth or k months (k ≤ 11): (30 × whole months + leftover days) ÷ 15 or ÷ 30k;
/// - (iv) day, week or k weeks: actual days ÷ 1, 7 or 7k;
/// - (v) year (a 12-month unit period): whole years (12 months each) counted back from
///   `date`; the rest is whole months ÷ 12 when it is a whole number of months, otherwise its
///   actual days ÷ 365 (the day is 1/365 of a year, (b)(5)(vi)).
///
/// `t` is the whole part, `f` the remainder as a fraction.
pub fn regz_time(
    start: Date,
    date: Date,
    unit: UnitPeriod,
    multiple: u32,
) -> Result<(u64, Decimal), AprError> {
    if unit == UnitPeriod::Month && multiple == 12 {
        return regz_years(start, date);
    }
    let (count, per_unit) = match unit {
        UnitPeriod::Month | UnitPeriod::Semimonth => {
            let (months, days) = months_back(start, date)?;
            let count = months
                .checked_mul(30)
                .and_then(|m| m.checked_add(days))
                .ok_or(AprError::Overflow)?;
            let per_unit = if unit == UnitPeriod::Month {
                30 * u64::from(multiple)
            } else {
                15
            };
            (count, per_unit)
        }
        UnitPeriod::Week | UnitPeriod::Day => {
            let days = u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow)?;
            let per_unit = if unit == UnitPeriod::Week {
                7 * u64::from(multiple)
            } else {
                1
            };
            (days, per_unit)
        }
    };
    if per_unit == 0 {
        return Err(invalid_option(
            "unitMultiple",
            "unitMultiple must be at least 1",
        ));
    }
    let whole = count / per_unit;
    let remainder = count % per_unit;
    let fraction = div(Decimal::from(remainder), Decimal::from(per_unit))?;
    Ok((whole, fraction))
}

/// Appendix J (b)(5)(v): whole years back from `date`, then whole months ÷ 12 or days ÷ 365.
fn regz_years(start: Date, date: Date) -> Result<(u64, Decimal), AprError> {
    let (months, _) = months_back(start, date)?;
    let years = months / 12;
    let back = i64::try_from(years.checked_mul(12).ok_or(AprError::Overflow)?)
        .map_err(|_| AprError::Overflow)?;
    let boundary = date
        .add_months_anchored(-back, date.day())
        .ok_or(AprError::Overflow)?;
    let (rest_months, rest_days) = months_back(start, boundary)?;
    let fraction = if rest_days == 0 {
        div(Decimal::from(rest_months), Decimal::from(12))?
    } else {
        let days = u64::try_from(start.days_until(boundary)).map_err(|_| AprError::Overflow)?;
        div(Decimal::from(days), Decimal::from(365))?
    };
    Ok((years, fraction))
}

/// A Regulation Z APR and how it was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegZRate {
    /// Always `us-regz`.
    pub method: &'static str,
    /// Unit-period rate × unit periods per year, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 2 decimals, half-up.
    pub percent: String,
    /// The unit-period rate, 12 decimals.
    #[serde(serialize_with = "ser_rate12")]
    pub unit_period_rate: Decimal,
    /// `month`, `semimonth`, `week`, `day`, or `term` (single advance, single payment under
    /// a year: the term is the unit period).
    pub unit_period: &'static str,
    /// k of a k-month or k-week unit period.
    pub unit_multiple: u32,
    /// Unit periods per year, 6 decimals (`12`, `24`, `52`, `365`, `12/k`, `365/days`).
    #[serde(serialize_with = "ser_rate6")]
    pub unit_periods_per_year: Decimal,
    /// Whether the transaction is regular (§1026.22(a)(2)): one advance, payments one unit
    /// period apart (the first period may be odd), equal amounts except the first and last.
    pub regular: bool,
    /// The disclosure tolerance that applies: 0.00125 regular, 0.0025 irregular.
    #[serde(serialize_with = "ser_rate6")]
    pub tolerance: Decimal,
}

/// Regulation Z tolerance (§1026.22(a)(2)–(3)): ±1/8 point regular, ±1/4 point irregular.
pub fn regz_tolerance(regular: bool) -> Decimal {
    if regular {
        Decimal::new(125, 5)
    } else {
        Decimal::new(25, 4)
    }
}

/// Whether a disclosed APR is accurate: within the tolerance of the computed APR.
pub fn regz_within_tolerance(disclosed: Decimal, computed: Decimal, regular: bool) -> bool {
    disclosed
        .minus(computed)
        .is_some_and(|gap| gap.abs() <= regz_tolerance(regular))
}

/// Regulation Z Appendix J actuarial APR of dated advances and payments (§2.2).
pub fn reg_z(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    unit: UnitPeriod,
    unit_multiple: u32,
) -> Result<RegZRate, AprError> {
    if unit_multiple == 0 || unit_multiple > 12 {
        return Err(invalid_option(
            "unitMultiple",
            "unitMultiple must be between 1 and 12",
        ));
    }
    if unit_multiple != 1 && matches!(unit, UnitPeriod::Semimonth | UnitPeriod::Day) {
        return Err(invalid_option(
            "unitMultiple",
            "only month and week unit periods take a multiple",
        ));
    }
    let start = term_start(advances, payments)?;
    let multiple = Decimal::from(unit_multiple);
    // Single advance, single payment, term under a year: the term is the one unit period.
    // "Under a year" includes a term of exactly 12 months (the unit period may not exceed
    // a year, and a one-year term is one unit period of one year).
    if let ([advance], [payment]) = (advances, payments) {
        let days = advance.date.days_until(payment.date);
        let (months, leftover) = months_back(advance.date, payment.date)?;
        let whole_months = leftover == 0 && (1..=12).contains(&months);
        if days > 0 && (whole_months || (months < 12 && days <= 365)) {
            let per_year = if whole_months {
                div(Decimal::from(12), Decimal::from(months))?
            } else {
                div(Decimal::from(365), Decimal::from(days))?
            };
            let flows = [
                TimedFlow {
                    amount: advance.amount,
                    periods: 0,
                    fraction: Decimal::ZERO,
                },
                TimedFlow {
                    amount: -payment.amount,
                    periods: 1,
                    fraction: Decimal::ZERO,
                },
            ];
            let unit_rate = solve_unit_rate(&flows)?;
            // i × 12 / months (or × 365 / days) with a single division.
            let rate = if whole_months {
                div(mul(unit_rate, Decimal::from(12))?, Decimal::from(months))?
            } else {
                div(mul(unit_rate, Decimal::from(365))?, Decimal::from(days))?
            };
            return Ok(RegZRate {
                method: "us-regz",
                rate,
                percent: percent(rate, 2),
                unit_period_rate: unit_rate,
                unit_period: "term",
                unit_multiple: 1,
                unit_periods_per_year: per_year,
                regular: true,
                tolerance: regz_tolerance(true),
            });
        }
    }
    let flows = dated_flows(advances, payments, |date| {
        regz_time(start, date, unit, unit_multiple)
    })?;
    let unit_rate = solve_unit_rate(&flows)?;
    let per_year = match unit {
        UnitPeriod::Month => div(Decimal::from(12), multiple)?,
        UnitPeriod::Semimonth => Decimal::from(24),
        UnitPeriod::Week => div(Decimal::from(52), multiple)?,
        UnitPeriod::Day => Decimal::from(365),
    };
    let rate = match unit {
        UnitPeriod::Month => div(mul(unit_rate, Decimal::from(12))?, multiple)?,
        UnitPeriod::Week => div(mul(unit_rate, Decimal::from(52))?, multiple)?,
        UnitPeriod::Semimonth | UnitPeriod::Day => mul(unit_rate, per_year)?,
    };
    let regular = regz_is_regular(advances, payments, unit, unit_multiple)?;
    Ok(RegZRate {
        method: "us-regz",
        rate,
        percent: percent(rate, 2),
        unit_period_rate: unit_rate,
        unit_period: unit.as_str(),
        unit_multiple,
        unit_periods_per_year: per_year,
        regular,
        tolerance: regz_tolerance(regular),
    })
}

/// One advance; every payment after the first exactly one unit period after the previous;
/// every payment amount equal except possibly the first and the last.
fn regz_is_regular(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    unit: UnitPeriod,
    unit_multiple: u32,
) -> Result<bool, AprError> {
    if advances.len() != 1 {
        return Ok(false);
    }
    let mut sorted = payments.to_vec();
    sorted.sort_by_key(|p| p.date);
    for pair in sorted.windows(2) {
        if let [previous, next] = pair {
            if regz_time(previous.date, next.date, unit, unit_multiple)? != (1, Decimal::ZERO) {
                return Ok(false);
            }
        }
    }
    if sorted.len() > 3 {
        let middle = &sorted[1..sorted.len() - 1];
        if middle.iter().any(|p| p.amount != middle[0].amount) {
            return Ok(false);
        }
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// EU Consumer Credit Directive APRC (§2.3)
// ---------------------------------------------------------------------------------------------

/// How EU time is measured from the first drawdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeBasis {
    /// Days ÷ 365 (the default).
    #[default]
    Actual,
    /// Whole months counted back ÷ 12, leftover days ÷ 365.
    EqualMonths,
}

impl TimeBasis {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<TimeBasis> {
        match name {
            "actual" => Some(TimeBasis::Actual),
            "equal-months" => Some(TimeBasis::EqualMonths),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeBasis::Actual => "actual",
            TimeBasis::EqualMonths => "equal-months",
        }
    }
}

/// An EU APRC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EuRate {
    /// Always `eu-aprc`.
    pub method: &'static str,
    /// The effective annual rate X, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 1 decimal, half-up.
    pub percent: String,
    /// `actual` or `equal-months`.
    pub time_basis: &'static str,
}

/// Time units per year of the EU equation: days for `actual`, 1/4380 year for equal months
/// (t = m/12 + d/365 = (365·m + 12·d)/4380 is then a whole number of units).
fn eu_units_per_year(basis: TimeBasis) -> u64 {
    match basis {
        TimeBasis::Actual => 365,
        TimeBasis::EqualMonths => 4380,
    }
}

/// EU APRC of dated drawdowns and repayments (§2.3), solved as a rate per time unit and
/// compounded: `X = (1+i)^units_per_year − 1`.
pub fn eu_aprc_timed(flows: &[TimedFlow], basis: TimeBasis) -> Result<EuRate, AprError> {
    let unit_rate = solve_unit_rate(flows)?;
    let growth = add(Decimal::ONE, unit_rate)?;
    let rate = sub(pow(growth, eu_units_per_year(basis))?, Decimal::ONE)?;
    Ok(EuRate {
        method: "eu-aprc",
        rate,
        percent: percent(rate, 1),
        time_basis: basis.as_str(),
    })
}

/// EU time of `date` from `start` in EU time units (days for `actual`, 1/4380 year for `equal-months`).
pub fn eu_time(start: Date, date: Date, basis: TimeBasis) -> Result<u64, AprError> {
    match basis {
        TimeBasis::Actual => u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow),
        TimeBasis::EqualMonths => {
            let (months, days) = months_back(start, date)?;
            months
                .checked_mul(365)
                .and_then(|m| days.checked_mul(12).and_then(|d| m.checked_add(d)))
                .ok_or(AprError::Overflow)
        }
    }
}

/// EU APRC of dated drawdowns and repayments (§2.3).
pub fn eu_aprc(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    basis: TimeBasis,
) -> Result<EuRate, AprError> {
    let start = term_start(advances, payments)?;
    let flows = dated_flows(advances, payments, |date| {
        Ok((eu_time(start, date, basis)?, Decimal::ZERO))
    })?;
    eu_aprc_timed(&flows, basis)
}

// ---------------------------------------------------------------------------------------------
// The `apr` JSON operation
// ---------------------------------------------------------------------------------------------

/// A dated amount on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct DatedFlowRequest {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Decimal string, at most 2 decimals.
    pub amount: String,
}

/// One entry of `payments`: a bare amount (regular periods) or a dated amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PaymentEntry {
    /// An amount paid at the end of the next regular period.
    Amount(String),
    /// A dated amount.
    Dated(DatedFlowRequest),
}

/// The wire form of an `apr` request; `method` selects the regime:
///
/// - `cn-irr`, regular: `{periodsPerYear?: 12, advance, payments: [amount...]}`
/// - `cn-irr`, dated: `{advances: [{date, amount}], payments: [{date, amount}], yearDays?: 365 | 360}`
/// - `cn-daily`: `{dailyRate, yearDays?: 360 | 365}` (stated annual = daily × yearDays)
/// - `us-regz`: `{unitPeriod: month | semimonth | week | day, unitMultiple?: 1, advances, payments}`
/// - `eu-aprc`: `{timeBasis?: actual | equal-months, advances, payments}`
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct AprRequest {
    /// `cn-irr`, `cn-daily`, `us-regz` or `eu-aprc`.
    pub method: String,
    /// Regular cn-irr: periods per year (12 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods_per_year: Option<u32>,
    /// Regular cn-irr: the amount received at time 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<String>,
    /// Dated methods: the amounts received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advances: Option<Vec<DatedFlowRequest>>,
    /// Amounts repaid (bare for regular cn-irr, dated otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentEntry>,
    /// Dated cn-irr and cn-daily: 365 or 360.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_days: Option<u32>,
    /// cn-daily: the daily rate fraction (`"0.0005"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_rate: Option<String>,
    /// us-regz: the unit period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_period: Option<String>,
    /// us-regz: k of a k-month or k-week unit period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_multiple: Option<u32>,
    /// eu-aprc: `actual` (default) or `equal-months`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_basis: Option<String>,
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

fn amount_at(text: &str, path: &str) -> Result<Decimal, AprError> {
    parse_amount(text).map_err(|issue| AprError::Decimal {
        path: path.to_owned(),
        issue,
    })
}

fn dated_list(list: &[DatedFlowRequest], name: &str) -> Result<Vec<DatedAmount>, AprError> {
    list.iter()
        .enumerate()
        .map(|(idx, flow)| {
            let date = Date::parse(&flow.date).ok_or_else(|| {
                bad_flows(
                    &format!("{name}[{idx}].date"),
                    "not a valid YYYY-MM-DD date",
                )
            })?;
            let amount = amount_at(&flow.amount, &format!("{name}[{idx}].amount"))?;
            Ok(DatedAmount { date, amount })
        })
        .collect()
}

fn dated_payments(payments: &[PaymentEntry]) -> Result<Vec<DatedAmount>, AprError> {
    let dated = payments
        .iter()
        .enumerate()
        .map(|(idx, entry)| match entry {
            PaymentEntry::Dated(flow) => Ok(flow.clone()),
            PaymentEntry::Amount(_) => Err(bad_flows(
                &format!("payments[{idx}]"),
                "dated flows need {date, amount} payments",
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    dated_list(&dated, "payments")
}

fn reject(present: bool, path: &str, method: &str) -> Result<(), AprError> {
    if present {
        return Err(invalid_option(
            path,
            format!("{method} does not take {path}"),
        ));
    }
    Ok(())
}

fn year_days_option(value: Option<u32>, default: YearDays) -> Result<YearDays, AprError> {
    match value {
        None => Ok(default),
        Some(days) => YearDays::parse(days)
            .ok_or_else(|| invalid_option("yearDays", "yearDays is 360 or 365")),
    }
}

/// Runs an `apr` request.
pub fn apr(request: &AprRequest) -> Result<AprResponse, AprError> {
    let method = request.method.as_str();
    let has_dated = request.advances.is_some();
    match method {
        "cn-irr" if has_dated => {
            reject(request.advance.is_some(), "advance", "dated cn-irr")?;
            reject(
                request.periods_per_year.is_some(),
                "periodsPerYear",
                "dated cn-irr",
            )?;
            reject(request.unit_period.is_some(), "unitPeriod", method)?;
            reject(request.unit_multiple.is_some(), "unitMultiple", method)?;
            reject(request.time_basis.is_some(), "timeBasis", method)?;
            reject(request.daily_rate.is_some(), "dailyRate", method)?;
            let year_days = year_days_option(request.year_days, YearDays::D365)?;
            let advances = dated_list(request.advances.as_deref().unwrap_or(&[]), "advances")?;
            let payments = dated_payments(&request.payments)?;
            Ok(AprResponse::Cn(cn_xirr(&advances, &payments, year_days)?))
        }
        "cn-irr" => {
            reject(request.year_days.is_some(), "yearDays", "regular cn-irr")?;
            reject(request.unit_period.is_some(), "unitPeriod", method)?;
            reject(request.unit_multiple.is_some(), "unitMultiple", method)?;
            reject(request.time_basis.is_some(), "timeBasis", method)?;
            reject(request.daily_rate.is_some(), "dailyRate", method)?;
            let advance = request
                .advance
                .as_deref()
                .ok_or_else(|| bad_flows("advance", "cn-irr needs advance or advances"))?;
            let advance = amount_at(advance, "advance")?;
            let payments = request
                .payments
                .iter()
                .enumerate()
                .map(|(idx, entry)| match entry {
                    PaymentEntry::Amount(text) => amount_at(text, &format!("payments[{idx}]")),
                    PaymentEntry::Dated(_) => Err(bad_flows(
                        &format!("payments[{idx}]"),
                        "dated payments need dated advances",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(AprResponse::Cn(cn_irr(
                advance,
                &payments,
                request.periods_per_year.unwrap_or(12),
            )?))
        }
        "cn-daily" => {
            reject(request.advance.is_some(), "advance", method)?;
            reject(has_dated, "advances", method)?;
            reject(!request.payments.is_empty(), "payments", method)?;
            reject(request.periods_per_year.is_some(), "periodsPerYear", method)?;
            reject(request.unit_period.is_some(), "unitPeriod", method)?;
            reject(request.unit_multiple.is_some(), "unitMultiple", method)?;
            reject(request.time_basis.is_some(), "timeBasis", method)?;
            let text = request
                .daily_rate
                .as_deref()
                .ok_or_else(|| invalid_option("dailyRate", "cn-daily needs dailyRate"))?;
            let daily = parse_rate(text).map_err(|issue| AprError::Decimal {
                path: "dailyRate".into(),
                issue,
            })?;
            if daily.is_sign_negative() && !daily.is_zero() {
                return Err(invalid_option(
                    "dailyRate",
                    "the daily rate must not be negative",
                ));
            }
            let year_days = year_days_option(request.year_days, YearDays::D360)?;
            let rate = stated_annual_from_daily(daily, year_days)?;
            Ok(AprResponse::Daily(DailyRate {
                method: "cn-daily",
                daily_rate: text.to_owned(),
                year_days: year_days.days(),
                rate,
                percent: percent(rate, 2),
                label: SIMPLE_LABEL,
            }))
        }
        "us-regz" | "eu-aprc" => {
            reject(request.advance.is_some(), "advance", method)?;
            reject(request.periods_per_year.is_some(), "periodsPerYear", method)?;
            reject(request.year_days.is_some(), "yearDays", method)?;
            reject(request.daily_rate.is_some(), "dailyRate", method)?;
            let advances = request
                .advances
                .as_deref()
                .ok_or_else(|| bad_flows("advances", format!("{method} needs dated advances")))?;
            let advances = dated_list(advances, "advances")?;
            let payments = dated_payments(&request.payments)?;
            if method == "us-regz" {
                reject(request.time_basis.is_some(), "timeBasis", method)?;
                let unit_name = request
                    .unit_period
                    .as_deref()
                    .ok_or_else(|| invalid_option("unitPeriod", "us-regz needs unitPeriod"))?;
                let unit = UnitPeriod::parse(unit_name).ok_or_else(|| {
                    invalid_option("unitPeriod", format!("unknown unit period {unit_name:?}"))
                })?;
                Ok(AprResponse::Us(reg_z(
                    &advances,
                    &payments,
                    unit,
                    request.unit_multiple.unwrap_or(1),
                )?))
            } else {
                reject(request.unit_period.is_some(), "unitPeriod", method)?;
                reject(request.unit_multiple.is_some(), "unitMultiple", method)?;
                let basis = match request.time_basis.as_deref() {
                    None => TimeBasis::default(),
                    Some(name) => TimeBasis::parse(name).ok_or_else(|| {
                        invalid_option("timeBasis", format!("unknown time basis {name:?}"))
                    })?,
                };
                Ok(AprResponse::Eu(eu_aprc(&advances, &payments, basis)?))
            }
        }
        other => Err(AprError::UnknownMethod {
            name: other.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn months_back_counts_from_the_later_date() {
        assert_eq!(
            months_back(d("1978-02-10"), d("1978-04-01")).unwrap(),
            (1, 19)
        );
        assert_eq!(
            months_back(d("1978-05-23"), d("1978-10-01")).unwrap(),
            (4, 9)
        );
        assert_eq!(
            months_back(d("2025-01-31"), d("2025-02-28")).unwrap(),
            (0, 28)
        );
        assert_eq!(
            months_back(d("2025-01-28"), d("2025-03-31")).unwrap(),
            (2, 3)
        );
    }

    #[test]
    fn regz_fractions() {
        let (t, f) = regz_time(d("1978-05-23"), d("1978-10-01"), UnitPeriod::Month, 3).unwrap();
        assert_eq!((t, f), (1, Decimal::from(39) / Decimal::from(90)));
        let (t, f) = regz_time(d("1978-02-23"), d("1978-03-16"), UnitPeriod::Semimonth, 1).unwrap();
        assert_eq!((t, f), (1, Decimal::from(6) / Decimal::from(15)));
    }
}

crate::json_object::objects_only!(DatedFlowRequest, AprRequest);
crate::json_object::serialize_derived!(DatedFlowRequest, AprRequest);
