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

use super::equation::Figures;
use crate::money::{pow_by_squaring, to_fen, CheckedOps, Fen};
use rust_decimal::Decimal;

/// Whether this build solves on the grid at all: the full engine only. The calculator module
/// (feature `full` off) answers every rate on the decimal path, which defines them (size: the
/// grid is ~4 KB brotli there). Each entry the `apr` door reaches ([`grid_fen`],
/// [`regular_root`], [`solve_sparse`]) returns `None` at once without it: the compiler does not
/// see through `grid_fen` alone (checked: with only that one, the calculator module kept the
/// grid, +2.9 KB brotli, which the size budget refused).
pub(super) const GRID: bool = cfg!(feature = "full");

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
fn pow_v(v: i128, exponent: u64) -> i128 {
    pow_by_squaring(v, exponent, ONE, mul_grid)
}

/// `f(v) = first + Σ rest[k−1]·v^k` and `f'(v)` by Horner's rule, the coefficients whole
/// fen shifted onto the grid as they are read (no grid copy of the flows).
fn horner(first: i64, rest: &[i64], v: i128) -> (i128, i128) {
    let mut value: i128 = 0;
    let mut slope: i128 = 0;
    for c in rest.iter().rev().chain([&first]) {
        slope = mul_v(slope, v) + value;
        value = mul_v(value, v) + (i128::from(*c) << AMOUNT_BITS);
    }
    (value, slope)
}

/// The root in (0, 1) of [`horner`]'s polynomial (negative at 0, positive at 1) by [`newton`].
fn solve_polynomial(first: i64, rest: &[i64], start: i128, curvature: Option<u64>) -> Option<i128> {
    let eval = |v: i128| {
        let (value, slope) = horner(first, rest, v);
        (value, newton_step(value, slope))
    };
    newton(&eval, false, start, curvature)
}

/// One dated flow on the grid: amount and whole periods. Flows with an Appendix J fraction
/// are the decimal path's: the grid's division by `1 + f·i` lost up to 2·10^−12 of a Reg Z
/// unit-period rate on fen amounts, far beyond [`error_units`]' bound.
#[derive(Clone, Copy)]
pub(crate) struct GridFlow {
    amount: i128,
    periods: u64,
}

impl GridFlow {
    /// `fen` (signed, |fen| ≤ [`MAX_GRID_FEN`]) at `periods`; `None` outside the grid's bounds
    /// (|amount × time| < 2^110).
    pub(crate) fn new(fen: Fen, periods: u64) -> Option<GridFlow> {
        if fen.unsigned_abs() > MAX_GRID_FEN.unsigned_abs() {
            return None;
        }
        let amount = fen << AMOUNT_BITS;
        let span = periods.checked_add(1)?;
        if amount.unsigned_abs().checked_mul(u128::from(span))? >= TERM_LIMIT {
            return None;
        }
        Some(GridFlow { amount, periods })
    }
}

/// `f(v) = Σ c_k v^t_k` and `v·f'(v)` over flows sorted by time.
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
        let term = mul_v(flow.amount, power);
        value += term;
        weighted += term * periods;
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

/// `(1 + r)^m − 1` rounded half-up to 6 decimals, in millionths, for `r = rate_e20 / 10^20`
/// with `r·m ≤ 4`: computed in binary fixed point (2^−64) and answered only when certain to be
/// what the decimal power rounds to (`fmt_dp(pow(1 + r, m) − 1, 6, HalfUp)`); `None` near a
/// rounding boundary or outside the range (the caller then takes the decimal power).
///
/// Bounds: `1 + r` is truncated onto the grid and every product truncated by less than one
/// unit; with every value in [1, e^4 < 2^6], m ≤ 366 and about 2·log2(m) products, the result is
/// within `3m·2^6` units (< 2^−47) of the exact power; the decimal power (28-digit products) is
/// within 10^−22 of it. An answer is given only when the scaled result lies more than 2^−40
/// (in units of 10^−6: `10^6·2^24` grid units) from a half-millionth, so both round alike.
///
/// `root_units` bounds the relative error of `1 + r` itself (a grid root's [`error_units`]; 0 for
/// an exact rate): it moves the power by up to `m · (1 + X) · root_units · 2^−62`, which widens
/// the margin (twice over).
pub(crate) fn effective_6dp(rate_e20: u128, m: u32, root_units: u64) -> Option<i64> {
    const Q: u32 = 64;
    const SCALE: u128 = 100_000_000_000_000_000_000;
    if rate_e20 == 0 || rate_e20.checked_mul(u128::from(m))? > 4 * SCALE || m > 366 {
        return None;
    }
    // Values below 2^6 on a 2^−64 grid: the high limbs are below 2^6, so every partial product
    // of `(a·b) >> 64` fits a u128.
    let mul = |a: u128, b: u128| -> u128 {
        let (a_high, a_low) = ((a >> Q) as u64, a as u64);
        let (b_high, b_low) = ((b >> Q) as u64, b as u64);
        (u128::from(a_high * b_high) << Q)
            + wide_mul(a_high, b_low)
            + wide_mul(a_low, b_high)
            + (wide_mul(a_low, b_low) >> Q)
    };
    let one = 1_u128 << Q;
    // floor(r·2^64) = floor(rate_e20·2^44 / 5^20) (10^20 = 2^20·5^20): below 2^113 for r ≤ 4.
    let growth = one + ((rate_e20 << 44) / 95_367_431_640_625);
    let power = pow_by_squaring(growth, u64::from(m), one, mul);
    let scaled = (power - one).checked_mul(1_000_000)?;
    let (whole, fraction) = (scaled >> Q, scaled & (one - 1));
    // power < 2^70, so (power >> 30)·10^6·m·units < 2^40·2^20·2^9·2^25 fits a u128.
    let root = ((power >> 30) * 1_000_000 * u128::from(m) * u128::from(root_units)) >> 32;
    let margin = (1_000_000_u128 << 24) + 2 * root;
    if fraction.abs_diff(1 << (Q - 1)) <= margin {
        return None;
    }
    i64::try_from(whole + u128::from(fraction > 1 << (Q - 1))).ok()
}

/// Largest |amount| on the grid, in fen (10^12 yuan).
pub(super) const MAX_GRID_FEN: Fen = 100_000_000_000_000;

/// `amount` in whole fen within the grid's bound ([`MAX_GRID_FEN`]); `None` for a fraction of a
/// fen or a larger amount (those take the `Decimal` path).
pub(super) fn grid_fen(amount: Decimal) -> Option<Fen> {
    if !GRID {
        return None;
    }
    to_fen(amount).filter(|fen| fen.unsigned_abs() <= MAX_GRID_FEN.unsigned_abs())
}

/// The first Newton step from v = 1, `1 − excess/moment`, on the grid (truncated toward 1);
/// one half when it falls outside (0, 1). `excess` = f(1) and `moment` = f'(1) in fen or grid
/// units alike (`excess > 0`, `moment > 0` for the usual loan).
fn start_from_sums(excess: i128, moment: i128) -> i128 {
    match newton_step(excess, moment) {
        Some(step) if step > 0 && step < ONE => ONE - step,
        _ => ONE / 2,
    }
}

/// Safeguarded Newton on the grid inside (0, 1): `eval(v)` gives f(v) and the Newton
/// step f/f' in grid units; `lo_positive` is the sign of f just above 0.
///
/// `curvature`, when given, is a bound `q` with `|f''/f'| ≤ q/v` on (0, 1) for a convex
/// (or, negated, concave) f whose f'' grows with v: a polynomial whose every coefficient but
/// the constant has one sign, of degree `q` (the last period). From above the root (the side
/// Newton approaches it from) the error after a step `s` is at most `½·(q/v)·e²` with
/// `e ≤ 2s`, so once `4·q·s² ≤ 2^−62` (v ≥ ½) the step lands within one grid unit of the
/// exact Newton limit and the loop stops there instead of spending one more evaluation to
/// confirm it.
fn newton(
    eval: &dyn Fn(i128) -> (i128, Option<i128>),
    lo_positive: bool,
    start: i128,
    curvature: Option<u64>,
) -> Option<i128> {
    let (mut lo, mut hi) = (0_i128, ONE);
    let mut v = start;
    for _ in 0..200 {
        let (value, step) = eval(v);
        if value == 0 {
            break;
        }
        let above = (value > 0) != lo_positive;
        if above {
            hi = v;
        } else {
            lo = v;
        }
        if hi - lo <= 2 {
            break;
        }
        v = match step {
            Some(step) if step.abs() <= 2 => {
                v -= step;
                break;
            }
            Some(step) if v - step > lo && v - step < hi => {
                let last = above
                    && v >= ONE / 2
                    && curvature.is_some_and(|q| {
                        // 0 < step < 2^31 here, so the square and its product fit a u128.
                        step < 1 << 31 && (step * step) as u128 * 4 * u128::from(q) <= 1 << V_BITS
                    });
                if last {
                    v -= step;
                    break;
                }
                v - step
            }
            _ => lo + (hi - lo) / 2,
        };
    }
    Some(v)
}

/// A grid value as a decimal fraction of one (`v / 2^62`).
pub(super) fn grid_to_decimal(v: i128) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(v, 0)
        .ok()?
        .over(Decimal::from(ONE))
        .ok()
}

/// [`rate_from_grid`] for a root `v ≥ ½` (a rate of at most 100 % a unit period, which
/// needs no polish); `None` below.
pub(crate) fn small_rate(v: i128) -> Option<Decimal> {
    if v >= ONE / 2 {
        rate_from_grid(v)
    } else {
        None
    }
}

/// The rate `r = 1/v − 1 = (2^62 − v)/v` of a grid root `v` (0 < v ≤ 2^62) by one decimal
/// division of the two integers, rounded to 20 decimals.
pub(super) fn rate_from_grid(v: i128) -> Option<Decimal> {
    if v <= 0 {
        return None;
    }
    let excess = Decimal::try_from_i128_with_scale(ONE - v, 0).ok()?;
    let root = Decimal::try_from_i128_with_scale(v, 0).ok()?;
    Some(excess.over(root).ok()?.round_dp(20))
}

/// The periodic rate of the usual loan on regular periods, on the grid: `advance` fen
/// (> 0) at time 0 repaid by `payments[k-1]` fen (each ≥ 0, together more than the advance)
/// at the end of period k, every amount within [`MAX_GRID_FEN`], at most `MAX_FLOWS`
/// payments; `None` otherwise (the caller's decimal path decides). The one computation of
/// both the `apr` door ([`super::periodic_irr`]) and the wasm fen door, so the two agree by
/// construction: Newton from the closed-form first step `1 − f(1)/f'(1)` (exact integer
/// sums), the curvature stop of [`newton`], and [`rate_from_grid`].
///
/// The rate is answered only when the annual rate `r × per_year` (6 decimals) rounds with
/// certainty ([`Figures::annual_rate_certain`]), the one figure the fen door writes.
pub fn regular_rate(advance: i64, payments: &[i64], per_year: u32) -> Option<Decimal> {
    let (v, units) = regular_root(advance, payments)?;
    let error = relative_error(units?);
    small_rate(v).filter(|rate| Figures::annual_rate_certain(*rate, error, per_year))
}

/// The grid root v of [`regular_rate`]'s loan and, when the grid resolves it, the bound of its
/// relative error ([`error_units`]: then a root v ≥ ½ whose figures round with certainty is the
/// answer); an unresolved root or one below ½ (over 100 % a period, where r = 1/v − 1 magnifies
/// the grid's absolute precision without bound) is only a start for the decimal polish
/// (`polish_rate`).
pub(super) fn regular_root(advance: i64, payments: &[i64]) -> Option<(i128, Option<u64>)> {
    if !GRID {
        return None;
    }
    let within = |fen: i64| u128::from(fen.unsigned_abs()) <= MAX_GRID_FEN.unsigned_abs();
    if payments.is_empty() || payments.len() > super::MAX_FLOWS || advance <= 0 || !within(advance)
    {
        return None;
    }
    let (mut total, mut weighted): (i128, i128) = (0, 0);
    for (period, payment) in (1_i128..).zip(payments) {
        if *payment < 0 || !within(*payment) {
            return None;
        }
        total += i128::from(*payment);
        weighted += i128::from(*payment) * period;
    }
    let excess = total - i128::from(advance);
    if excess <= 0 {
        return None;
    }
    let curvature = u64::try_from(payments.len()).ok();
    let start = start_from_sums(excess, weighted);
    let v = solve_polynomial(-advance, payments, start, curvature)?;
    Some((
        v,
        error_units(i128::from(advance), total, payments.len() + 1),
    ))
}

/// The bound, in units of 2^−62, of the relative error |ṽ − v|/v of a grid root of a loan that
/// advances `advanced` fen and repays `repaid` fen in `flows` flows, when the grid resolves
/// it; `None` when it does not. The grid's precision is absolute: each product truncates by one
/// unit of 2^−62, and the truncations of a power chain add up, so f(v) is exact to about
/// `repaid · flows · 2^−62` while the root needs it relative to `advanced` (v·f'(v) is at least
/// the advance: every payment is at least one unit of time out): the root's relative error is
/// within `4 · repaid · flows / advanced` units, plus 16 for Newton's last step. Up to
/// `repaid · flows ≤ 2^20 · advanced` that is within about 2^−40 (the rate to about 10^−12
/// relative); beyond — a payment worth over a million times its discounted value, such as a
/// fen advance repaid by a trillion yuan, which answered 31.309666 for 31.309667 — the decimal
/// path, whose precision is relative, solves it. No everyday loan comes near: 360 monthly
/// payments of twice the advance are 720.
fn error_units(advanced: i128, repaid: i128, flows: usize) -> Option<u64> {
    let flows = i128::try_from(flows).unwrap_or(i128::MAX);
    let spread = repaid.saturating_mul(flows);
    if advanced <= 0 || spread > advanced.saturating_mul(1 << 20) {
        return None;
    }
    // ⌈spread / advanced⌉ ≤ 2^20 here.
    let relative = u64::try_from((spread + advanced - 1) / advanced).ok()?;
    // Each flow's term also truncates by one unit of the amount grid (2^−40 fen), an absolute
    // error: relative to the advance in fen, `flows · 2^22` units of 2^−62 (4× that here). A
    // loan of a few fen loses about 10^−12 of its rate to it (a Reg Z unit-period rate of
    // 1.000000000000 was written 0.999999999999).
    let absolute = u64::try_from((flows.saturating_mul(1 << 24) + advanced - 1) / advanced).ok()?;
    4_u64
        .checked_mul(relative)?
        .checked_add(absolute)?
        .checked_add(16)
}

/// [`error_units`] as a decimal fraction (`units / 2^62`).
pub(super) fn relative_error(units: u64) -> Decimal {
    Decimal::from(units)
        .over(Decimal::from(ONE))
        .unwrap_or(Decimal::ONE)
}

/// The root v of `Σ a_k v^t_k` (dated flows on whole periods, sorted by time, the earliest an
/// advance at time 0) in (0, 1), given one sign change and Σ a_k < 0; `None` when a flow has an
/// Appendix J fraction or lies off the grid (see [`solve_grid`]).
pub(super) fn solve_sparse(flows: &[super::TimedFlow]) -> Option<(i128, Option<u64>)> {
    if !GRID {
        return None;
    }
    if flows.len() > super::MAX_FLOWS + 1 {
        return None;
    }
    let mut grid = Vec::with_capacity(flows.len());
    for flow in flows {
        if !flow.fraction.is_zero() {
            return None;
        }
        grid.push(GridFlow::new(grid_fen(flow.amount)?, flow.periods)?);
    }
    solve_grid(&grid)
}

/// [`solve_sparse`] on flows already on the grid (sorted by time, stably, as the decimal path
/// sorts them), from the first Newton step `1 − F(1)/F'(1)` on exact integer sums. One advance
/// at time 0 followed only by payments (the China XIRR loan) gets the curvature stop of
/// [`newton`] with the last day as the degree. The one computation of the `apr` door and the
/// wasm fen door.
pub(crate) fn solve_grid(grid: &[GridFlow]) -> Option<(i128, Option<u64>)> {
    // F(1) = Σ a and F'(1) = Σ a·t, in fen (amounts are whole fen on the grid): below 2^70
    // per flow (the term bound), so no sum overflows.
    let (mut excess, mut moment) = (0_i128, 0_i128);
    for flow in grid {
        let fen = flow.amount >> AMOUNT_BITS;
        excess -= fen;
        moment -= fen * i128::from(flow.periods);
    }
    let start = start_from_sums(excess, moment);
    let single_advance = grid.split_first().is_some_and(|(first, rest)| {
        first.periods == 0 && first.amount > 0 && rest.iter().all(|flow| flow.amount <= 0)
    });
    let curvature = single_advance
        .then(|| grid.last().map(|flow| flow.periods.max(1)))
        .flatten();
    let eval = |v: i128| {
        let (value, weighted) = sparse(grid, v);
        // f'(v) = weighted / v, so the step f/f' = v · value / weighted.
        (value, newton_step(value, weighted).map(|q| mul_v(q, v)))
    };
    let v = newton(&eval, true, start, curvature)?;
    let (advanced, repaid) = grid.iter().fold((0_i128, 0_i128), |(a, r), flow| {
        let fen = flow.amount >> AMOUNT_BITS;
        if fen > 0 {
            (a + fen, r)
        } else {
            (a, r - fen)
        }
    });
    Some((v, error_units(advanced, repaid, grid.len())))
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

    /// The curvature stop of [`newton`] lands where running Newton on until the step is at
    /// most two grid units lands, within two units plus the rounding noise of f itself (about
    /// 2^24 units over the payments' total in fen; 2^27 on days), on regular and dated usual
    /// loans, and saves evaluations: it certifies what the longer run would have found.
    #[test]
    fn curvature_stop_lands_where_newton_would() {
        let mut next = crate::schedule::test_cases(0x5709_c0de);
        let (mut saved, mut cases) = (0, 0);
        for case in 0..3_000_u64 {
            let n = 1 + next([12, 60, 400][(case % 3) as usize]) as usize;
            let advance = 1 + next(10_u64.pow(1 + (case % 13) as u32)) as i64;
            let rate_ppm = [100, 2_000, 8_000, 40_000, 300_000][(case % 5) as usize];
            let level = advance / n as i64 + advance / 1_000_000 * rate_ppm + 1;
            let payments: Vec<i64> = (0..n)
                .map(|_| level + next(1 + level as u64 / 20) as i64)
                .collect();
            let total: i64 = payments.iter().sum();
            let weighted: i128 = (1..).zip(&payments).map(|(k, p)| k * i128::from(*p)).sum();
            let start = start_from_sums(i128::from(total - advance), weighted);
            let evaluations = std::cell::Cell::new(0_usize);
            let eval = |v: i128| {
                evaluations.set(evaluations.get() + 1);
                let (value, slope) = horner(-advance, &payments, v);
                (value, newton_step(value, slope))
            };
            let stopped = newton(&eval, false, start, u64::try_from(n).ok()).unwrap();
            let short = evaluations.get();
            let full = newton(&eval, false, start, None).unwrap();
            let evaluations = evaluations.get();
            let noise = 2 + (1 << 24) / i128::from(total);
            assert!(
                (stopped - full).abs() <= noise,
                "case {case}: {stopped} vs {full}"
            );
            saved += usize::from(evaluations > 2 * short);
            cases += 1;
            // Dated: the same payments on days 30, 61, 91, … (one advance at day 0).
            let mut grid = vec![GridFlow::new(Fen::from(advance), 0).unwrap()];
            let mut day = 0;
            for payment in &payments {
                day += 30 + next(2);
                grid.push(GridFlow::new(-Fen::from(*payment), day).unwrap());
            }
            let stopped = solve_grid(&grid).unwrap().0;
            let last = grid.last().unwrap().periods;
            let eval = |v: i128| {
                let (value, weighted) = sparse(&grid, v);
                (value, newton_step(value, weighted).map(|q| mul_v(q, v)))
            };
            let excess = Fen::from(total - advance);
            let moment: i128 = grid
                .iter()
                .map(|f| -(f.amount >> AMOUNT_BITS) * i128::from(f.periods))
                .sum();
            let full = newton(&eval, true, start_from_sums(excess, moment), None).unwrap();
            let noise = 2 + (1 << 27) / i128::from(total);
            assert!(
                (stopped - full).abs() <= noise,
                "case {case} dated ({last} days): {stopped} vs {full}"
            );
        }
        assert!(
            saved * 2 > cases,
            "saved an evaluation in {saved} of {cases}"
        );
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
