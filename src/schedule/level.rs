//! The level payment of 等额本息.
//!
//! Owns [`level_payment`] (domain-math §4.1, with an exact integer power) and its integer fast
//! path [`level_payment_fast`] (answers only when it provably equals the decimal figure). It
//! must not accrue interest.

use super::ScheduleError;
use crate::money::CheckedOps;
use crate::money::{pow_by_squaring, Fen, Rounding};
use rust_decimal::Decimal;

/// `Q63` fixed point: `x` is held as `x × 2^63` in a `u64` (values in `[0, 1]`).
const Q63_ONE: u64 = 1 << 63;

/// `a × b` in `Q63`, truncated (both at most one).
fn q63_mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) >> 63) as u64
}

/// [`level_payment`] on integers, in fen, for the annual rate `mantissa / 10^scale`, or `None` when this computation cannot prove it equals
/// the decimal one (then the caller runs the decimal computation, which defines the figure).
///
/// With `p = m / (12·10^s)` the periodic rate (`annual = m / 10^s`), `D = 1/(1+p)` is taken in
/// `Q63` rounded down and `D^n` by squaring with truncating products, so the computed `Dn` is at
/// most `2n + 16` units of `2^−63` below the true `D^n` (each squaring at most doubles the error
/// of its input and adds one unit; the final products add one unit each). The annuity
/// `A = 1 − Dn` is then at most that much above the true `a`, and `M̂ = P·p / A` (an exact
/// rational `N / G`) is at most `M̂ (2n + 16) / (A − 2n − 16)` below the true payment. The
/// decimal computation's own error (28-digit operations: its annuity within 10^−23 absolute, its
/// other steps within 10^−28 absolute or relative, and a periodic rate `M` barely depends on) is
/// far below a further 48 units of `2^−63` relative to `A`, so with `E = 2n + 64` the decimal
/// figure lies within `M̂ · E / (A − E)` ≤ `2 (q + 1) E / A` fen of `M̂` (when `A ≥ 2E`). When
/// no rounding boundary (a half fen for the half rules, a whole fen for `down`) lies within that
/// margin, both round to the same fen.
/// Only ordinary terms take this path: `0 < p ≤ 1`, a rate with at most 17 decimals and
/// `P·m < 2^64`; every other case answers `None`.
pub(super) fn level_payment_fast(
    principal: Fen,
    (mantissa, scale): (i128, u32),
    n_periods: u32,
    rounding: Rounding,
) -> Option<Fen> {
    if !cfg!(feature = "full") {
        return None;
    }
    let mantissa = u64::try_from(mantissa).ok()?;
    if scale > 17 {
        return None;
    }
    let denominator = 12 * 10_u64.pow(scale);
    if mantissa == 0 || mantissa > denominator || n_periods > super::MAX_TERM_MONTHS {
        return None;
    }
    let principal = u64::try_from(principal).ok().filter(|p| *p > 0)?;
    let den = u128::from(denominator);
    // D = den / (den + m) < 1, rounded down.
    let discount = ((den << 63) / (den + u128::from(mantissa))) as u64;
    let discount_n = pow_by_squaring(discount, u64::from(n_periods), Q63_ONE, q63_mul);
    let annuity = Q63_ONE - discount_n;
    let slack_units = u64::from(2 * n_periods + 64);
    if annuity < 2 * slack_units {
        return None;
    }
    // M̂ = P·m·2^63 / (A·den), in fen.
    let numerator = u128::from(principal.checked_mul(mantissa)?) << 63;
    let divisor = u128::from(annuity) * den;
    // One division (a u128 division is a library call in wasm): the remainder by multiplying.
    let quotient = numerator / divisor;
    let remainder = numerator - quotient * divisor;
    // Twice the margin, in units of 1/divisor fen: 4 (q + 1) E den.
    let slack = u128::from(
        u64::try_from(quotient + 1)
            .ok()?
            .checked_mul(4 * slack_units)?,
    ) * den;
    // The distance to the nearest rounding boundary (a whole fen for `down`, else a half fen),
    // doubled, in units of 1/divisor fen.
    let (distance, bump) = match rounding {
        Rounding::Down => (2 * remainder.min(divisor - remainder), false),
        Rounding::HalfUp | Rounding::HalfEven => {
            ((2 * remainder).abs_diff(divisor), 2 * remainder > divisor)
        }
    };
    if distance <= slack {
        return None;
    }
    Fen::try_from(quotient + u128::from(bump)).ok()
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
        return Ok(rounding.money(principal.over(Decimal::from(n_periods))?));
    }
    let periodic = annual_rate.over(Decimal::from(12))?;
    let discount = Decimal::ONE.over(Decimal::ONE.plus(periodic)?)?;
    let discount_n = pow(discount, n_periods)?;
    let annuity = Decimal::ONE.minus(discount_n)?;
    if annuity.is_zero() {
        return Err(ScheduleError::Overflow);
    }
    Ok(rounding.money(principal.times(periodic)?.over(annuity)?))
}

fn pow(base: Decimal, exponent: u32) -> Result<Decimal, ScheduleError> {
    let mut result = Decimal::ONE;
    let mut square = base;
    let mut remaining = exponent;
    while remaining > 0 {
        if remaining & 1 == 1 {
            result = result.times(square)?;
        }
        remaining >>= 1;
        if remaining > 0 {
            square = square.times(square)?;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The integer level payment equals the decimal computation on every case it answers, for
    /// every rounding rule, and answers nearly every ordinary one.
    #[test]
    fn integer_level_payment_agrees_with_decimal() {
        let mut next = super::super::test_cases(0xD1B5_4A32_D192_ED03);
        let (mut answered, mut ordinary) = (0, 0);
        for case in 0..30_000_u64 {
            let principal = 1 + Fen::from(next(
                [100, 100_000, 10_u64.pow(9), 10_u64.pow(14)][(case % 4) as usize],
            ));
            let scale = (case % 9) as u32;
            let rate = Decimal::new(
                next(
                    [10, 1_000, 100_000][(case % 3) as usize] * 10_u64.pow(scale.saturating_sub(2)),
                ) as i64,
                scale,
            );
            let n_periods = 1 + next(if case % 5 == 0 { 600 } else { 60 }) as u32;
            for rounding in [Rounding::Down, Rounding::HalfUp, Rounding::HalfEven] {
                let fast = level_payment_fast(
                    principal,
                    (rate.mantissa(), rate.scale()),
                    n_periods,
                    rounding,
                );
                let decimal = level_payment(
                    crate::money::from_fen(principal).unwrap(),
                    rate,
                    n_periods,
                    rounding,
                )
                .ok()
                .and_then(crate::money::to_fen);
                if let Some(fen) = fast {
                    assert_eq!(
                        Some(fen),
                        decimal,
                        "{principal} {rate} {n_periods} {rounding:?}"
                    );
                    answered += 1;
                }
                if rate > Decimal::new(1, 3) && rate < Decimal::ONE && principal < 10_i128.pow(10) {
                    ordinary += 1;
                }
            }
        }
        // At most one ordinary case in a thousand is left to the decimal computation (the
        // calculator build, feature `full` off, compiles the integer path out: no case).
        assert!(
            !cfg!(feature = "full") || answered * 1000 >= ordinary * 999,
            "{answered} of {ordinary} ordinary cases answered"
        );
    }
}
