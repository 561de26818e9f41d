//! Binary fixed-point evaluation of the rate polynomial: the fast path of
//! [`periodic_irr`](super::periodic_irr) and of [`solve_unit_rate`](super::solve_unit_rate)
//! (dated flows without Appendix J fractions) for the usual loan: one sign change and a
//! positive rate, so the root v = 1/(1+r) lies in (0, 1).
//!
//! Why: 28-digit `Decimal` products cost about 60 ns each once the iterate carries many
//! digits, which made a 360-period solve take over half a millisecond. Here every amount is
//! an exact integer count of fen scaled by 2^40 (an `i128`), v and its powers are integer
//! counts of 2^−62, and a product is computed exactly in 128/192 bits and truncated back to
//! its grid. Bounds: |amount| ≤ 10^12 yuan, |amount × time| < 2^110 per flow and at most
//! 2,701 flows keep every sum below 2^122, so nothing overflows an `i128`; inputs outside
//! them (or with more than 2 decimals) fall back to the `Decimal` path. Accuracy: each
//! product truncates by one unit of its grid, so f is exact to about 10^−11 yuan and v to
//! about 10^−15 relative even over 2,700 flows and 100,000 days — the annual rate to better
//! than 10^−11, five orders below the reported 10^−6. No binary floating point is
//! involved; the root converts back to `Decimal` once.

use crate::money::{to_fen, CheckedOps, Fen};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Binary digits of the v grid.
const V_BITS: u32 = 62;
/// Binary digits below the fen of the amount grid.
const AMOUNT_BITS: u32 = 40;
const ONE: i128 = 1 << V_BITS;
/// Largest |amount × time| a flow may contribute.
const TERM_LIMIT: u128 = 1 << 110;

/// `a × b` in full, for 64-bit factors: four 32-bit products inline (a `u128` multiply is a
/// library call in wasm, `__multi3`, and this is the solver's innermost step).
#[inline(always)]
fn wide_mul(a: u64, b: u64) -> u128 {
    const LOW: u64 = u32::MAX as u64;
    let (a_low, a_high, b_low, b_high) = (a & LOW, a >> 32, b & LOW, b >> 32);
    let low_low = a_low * b_low;
    let (low_high, high_low) = (a_low * b_high, a_high * b_low);
    let middle = (low_low >> 32) + (low_high & LOW) + (high_low & LOW);
    let low = (low_low & LOW) | (middle << 32);
    let high = a_high * b_high + (low_high >> 32) + (high_low >> 32) + (middle >> 32);
    (u128::from(high) << 64) | u128::from(low)
}

/// `a × v / 2^62`, exact to the truncation, for |a| < 2^111 and 0 ≤ v ≤ 2^62.
fn mul_v(a: i128, v: i128) -> i128 {
    let magnitude = a.unsigned_abs();
    // 0 ≤ v ≤ 2^62 (a grid value in [0, 1]).
    let v = v.unsigned_abs() as u64;
    let high = (magnitude >> 64) as u64;
    // (high·2^64 + low)·v / 2^62 = high·v·4 + low·v / 2^62.
    let mut product = wide_mul(magnitude as u64, v) >> V_BITS;
    if high != 0 {
        product += wide_mul(high, v) << 2;
    }
    let product = i128::try_from(product).unwrap_or(i128::MAX);
    if a < 0 {
        -product
    } else {
        product
    }
}

/// `a × b / 2^62` for grid values `0 ≤ a, b ≤ 2^62`.
fn mul_grid(a: i128, b: i128) -> i128 {
    (wide_mul(a as u64, b as u64) >> V_BITS) as i128
}

/// `v^exponent` on the 2^−62 grid, 0 ≤ v ≤ 2^62 (so every product fits in 124 bits).
fn pow_v(v: i128, mut exponent: u64) -> i128 {
    let mut result = ONE;
    let mut square = v;
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = mul_grid(result, square);
        }
        exponent >>= 1;
        if exponent > 0 {
            square = mul_grid(square, square);
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
            power = mul_grid(power, gap_power);
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
    // One division when `f · 2^62` fits 128 bits (always near the root, where f is small),
    // else long division in 16-bit chunks; both give the same floor.
    let quotient = if f < 1 << 66 {
        let quotient = (f << V_BITS) / slope;
        if quotient >> V_BITS >= 1 << 20 {
            return None;
        }
        quotient
    } else {
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
        quotient
    };
    let step = i128::try_from(quotient).ok()?;
    Some(if negative { -step } else { step })
}

/// Largest |amount| on the grid, in fen (10^12 yuan).
pub(super) const MAX_GRID_FEN: Fen = 100_000_000_000_000;

/// `amount` in whole fen within the grid's bound ([`MAX_GRID_FEN`]); `None` for a fraction of a
/// fen or a larger amount (those take the `Decimal` path).
pub(super) fn grid_fen(amount: Decimal) -> Option<Fen> {
    to_fen(amount).filter(|fen| fen.unsigned_abs() <= MAX_GRID_FEN.unsigned_abs())
}

fn to_grid(amount: Decimal) -> Option<i128> {
    Some(grid_fen(amount)? << AMOUNT_BITS)
}

fn start_on_grid(start: Decimal) -> Option<i128> {
    let v = start.times(Decimal::from(ONE)).ok()?.trunc().to_i128()?;
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
        .ok()
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
        let fraction = if flow.fraction.is_zero() {
            0
        } else {
            flow.fraction
                .times(Decimal::from(ONE))
                .ok()?
                .trunc()
                .to_i128()?
        };
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The `u128` kernels these replace, as they were: one product of `i128`s each.
    fn mul_v_reference(a: i128, v: i128) -> i128 {
        let magnitude = a.unsigned_abs();
        let v = v.unsigned_abs();
        let (high, low) = (magnitude >> 64, magnitude & u128::from(u64::MAX));
        let product = ((high * v) << 2) + ((low * v) >> V_BITS);
        let product = i128::try_from(product).unwrap_or(i128::MAX);
        if a < 0 {
            -product
        } else {
            product
        }
    }

    /// The long division [`newton_step`] used for every quotient.
    fn newton_step_reference(f: i128, slope: i128) -> Option<i128> {
        if slope == 0 {
            return None;
        }
        let negative = (f < 0) != (slope < 0);
        let excess = (128 - slope.unsigned_abs().leading_zeros()).saturating_sub(110);
        let (f, slope) = (f.unsigned_abs() >> excess, slope.unsigned_abs() >> excess);
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

    /// A value of about `bits` binary digits (often exactly 2^k − 1 or 2^k, the edges).
    fn sized(next: &mut impl FnMut(u64) -> u64, bits: u32) -> u128 {
        let full = (u128::from(next(u64::MAX)) << 64) | u128::from(next(u64::MAX));
        match next(4) {
            0 => (1_u128 << bits) - 1,
            1 => 1_u128 << bits.min(127),
            _ => full >> (128 - bits.max(1)),
        }
    }

    /// `wide_mul`, `mul_v`, `mul_grid` and `newton_step` give exactly what the `u128`
    /// products and the long division gave, on the whole domain of each (edges included).
    #[test]
    fn integer_kernels_agree_with_u128_arithmetic() {
        let mut next = crate::schedule::test_cases(0xA076_1D64_78BD_642F);
        for case in 0..50_000_u64 {
            let (a, b) = (next(u64::MAX), next(u64::MAX) >> next(64));
            assert_eq!(wide_mul(a, b), u128::from(a) * u128::from(b), "{a} {b}");
            let v = sized(&mut next, 1 + (case % 62) as u32).min(ONE as u128) as i128;
            let magnitude = sized(&mut next, 1 + (case % 111) as u32) as i128;
            let a = if case % 2 == 0 { magnitude } else { -magnitude };
            assert_eq!(mul_v(a, v), mul_v_reference(a, v), "{a} {v}");
            let w = sized(&mut next, 1 + (case % 62) as u32).min(ONE as u128) as i128;
            assert_eq!(mul_grid(v, w), (v * w) >> V_BITS, "{v} {w}");
            let f = sized(&mut next, 1 + (case % 122) as u32) as i128;
            let slope = sized(&mut next, 1 + (case / 3 % 122) as u32) as i128;
            let (f, slope) = match case % 4 {
                0 => (f, slope),
                1 => (-f, slope),
                2 => (f, -slope),
                _ => (-f, -slope),
            };
            assert_eq!(
                newton_step(f, slope),
                newton_step_reference(f, slope),
                "{f} {slope}"
            );
        }
    }
}
