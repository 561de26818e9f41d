//! Exact half-up ties of the China rate on regular periods (domain-math §2.1: `rate` = r × m
//! with 6 decimals, its percent with 2 decimals, half-up).
//!
//! The solver returns the periodic rate r to about 10^−13, so a root that lies exactly on a
//! rounding tie (a one-year bullet of 10,000.00 repaid 11,302.50 is 13.025 % exactly) comes out a
//! hair below or above it, and half-up rounding of the hair goes the wrong way ("13.02" for
//! 13.025 %). When the solved rate lies within `TIE_EPSILON` (10^−9) of a tie T of either rounding,
//! the side of the root is decided exactly: the flows' present value at r = T / m is a rational
//! number whose sign an integer computation gives (below), and the rate is moved to T (the root
//! is at or above T: half-up rounds up) or just below it (the root is below T).
//!
//! Dated flows (days ÷ 365 as exponents) have irrational present values at a rational rate, so
//! an exact tie cannot be decided by integers; they are left as solved.

use rust_decimal::Decimal;
use std::cmp::Ordering;

// `TIE_EPSILON` = 10^−9: how far a solved rate (r × m) may lie from a tie and still be settled,
// per unit of the rate (at least 1): far above the solver's error (about 10^−13 × m for periodic
// rates up to 100 %, relative above) and, for rates up to `MAX_SETTLED`, below half the 10^−6
// between two ties of the 6-decimal rate. `settle` compares with it on integers.

/// The largest rate (r × m) settled: 10,000 %.
const MAX_SETTLED: u32 = 100;

/// `rate` (r × m of regular flows: `advance` at time 0, `payments[k-1]` at the end of period k,
/// all in the same integer units, `m` periods per year), settled at the half-up ties of its
/// 6-decimal rounding and of its percent's 2 decimals (`rate`'s 4th); half-up is
/// [`Rounding::HalfUp`](crate::money::Rounding::HalfUp)'s midpoint away from zero, so a negative
/// rate on a tie rounds to the larger magnitude. Unchanged when it is not within
/// `TIE_EPSILON` (10^−9, × the magnitude above 1) of a tie, when its magnitude is above
/// [`MAX_SETTLED`], when the tie is at or below −100 % a period, or when `m` is not in 1..=365.
///
/// A magnitude settled up becomes the tie T itself; one settled down becomes T − 10^−16, which
/// rounds down at 6 and at 4 decimals (a 4-decimal tie is never within 10^−6 of a 6-decimal one).
pub fn settle(rate: Decimal, periods_per_year: u32, advance: i64, payments: &[i64]) -> Decimal {
    // Integers only (size and speed: no decimal arithmetic, one 128-bit division):
    // |rate| = magnitude / 10^scale.
    let negative = rate.is_sign_negative();
    let (Ok(magnitude), Some(&unit)) = (
        i128::try_from(rate.mantissa().unsigned_abs()),
        crate::money::POW10.get(rate.scale() as usize),
    ) else {
        return rate;
    };
    let m = u64::from(periods_per_year);
    if magnitude > unit * i128::from(MAX_SETTLED) || !(1..=365).contains(&m) {
        return rate;
    }
    // rate · 10^6 = k6 + rest6 / unit (k6 ≤ 10^8: the magnitude is at most 100).
    let scaled = magnitude * 1_000_000;
    let Ok(k6) = u64::try_from(scaled / unit) else {
        return rate;
    };
    let rest6 = scaled - i128::from(k6) * unit;
    // The magnitude rounded up to a whole number, at least 1: the tolerance's scale.
    let whole = i128::from(k6 / 1_000_000 + 1);
    // Each rounding as (decimals, k, rest, unit, 10^9 / 10^dp): rate · 10^dp = k + rest / unit.
    // The 4-decimal one is read off the 6-decimal one (rest and unit × 100).
    let roundings = [
        (6_u32, k6, rest6, unit, 1_000_i128),
        (
            4,
            k6 / 100,
            i128::from(k6 % 100) * unit + rest6,
            100 * unit,
            100_000,
        ),
    ];
    for (dp, k, rest, unit, epsilon_inverse) in roundings {
        // |rest / unit − ½| ≤ ε · 10^dp · whole, times 2 · unit · 10^9 / 10^dp (below 2^127).
        if (2 * rest - unit).abs() * epsilon_inverse > 2 * unit * whole {
            continue;
        }
        // The tie's magnitude T = (2k + 1) / (2 · 10^dp); the periodic rate at it is ±T / m.
        let Some(numerator) = k.checked_mul(2).and_then(|k| k.checked_add(1)) else {
            return rate;
        };
        let denominator = 2 * 10_u64.pow(dp) * m;
        // 1 + t = (D ± N) / D; a tie at or below −100 % a period has no present value.
        let growth = if negative {
            denominator.checked_sub(numerator).filter(|e| *e > 0)
        } else {
            denominator.checked_add(numerator)
        };
        let Some(growth) = growth else {
            return rate;
        };
        // The present value is decreasing in r: at or above zero at the tie, the root is at or
        // above it. The magnitude rounds up when the root is at the tie or beyond it from 0.
        let sign = present_value_sign(advance, payments, growth, denominator);
        let up = if negative {
            sign != Ordering::Greater
        } else {
            sign != Ordering::Less
        };
        let below = 2 * rest < unit;
        let tie = 5 * (2 * i128::from(k) + 1);
        let settled = match (up, below) {
            (true, true) => Decimal::from_i128_with_scale(tie, dp + 1),
            (false, false) => Decimal::from_i128_with_scale(tie * 10_i128.pow(15) - 1, dp + 16),
            _ => return rate,
        };
        return if negative { -settled } else { settled };
    }
    rate
}

/// The sign of `−advance + Σ payments[k-1] (1 + t)^−k` at 1 + t = `growth / denominator` (both
/// positive), exactly.
///
/// With E = growth and D = denominator, (1 + t) = E / D, and the sign is that of
/// `Σ payments[k-1] · D^k · E^(n−k) − advance · E^n` (the value multiplied by E^n > 0): two sums
/// of non-negative big integers compared (Horner: each step multiplies both by E). E and D are
/// below 2^32 for every tie [`settle`] asks about (`Equal` otherwise: nothing is moved).
#[inline(never)]
fn present_value_sign(advance: i64, payments: &[i64], growth: u64, denominator: u64) -> Ordering {
    let (Ok(e), Ok(d)) = (u32::try_from(growth), u32::try_from(denominator)) else {
        return Ordering::Equal;
    };
    let mut paid: Vec<u32> = Vec::new();
    // The callers' amounts are never negative (a negative one would read as 0).
    let unsigned = |amount: i64| u64::try_from(amount).unwrap_or(0);
    let mut owed = limbs(unsigned(advance));
    let mut d_power = vec![1_u32];
    for payment in payments {
        mul_small(&mut paid, e);
        mul_small(&mut owed, e);
        mul_small(&mut d_power, d);
        // payment · D^k, a 64-bit factor as its two 32-bit halves.
        let [low, high] = halves(unsigned(*payment));
        add_product(&mut paid, &d_power, low, 0);
        add_product(&mut paid, &d_power, high, 1);
    }
    compare(&paid, &owed)
}

/// The low and high 32 bits of `value`.
fn halves(value: u64) -> [u32; 2] {
    // Truncation intended: the two halves.
    #[allow(clippy::cast_possible_truncation)]
    [value as u32, (value >> 32) as u32]
}

/// A big integer (little-endian 32-bit limbs) of `value`.
fn limbs(value: u64) -> Vec<u32> {
    halves(value).to_vec()
}

/// `x *= factor`.
fn mul_small(x: &mut Vec<u32>, factor: u32) {
    let mut carry = 0_u64;
    for limb in x.iter_mut() {
        let [low, high] = halves(u64::from(*limb) * u64::from(factor) + carry);
        *limb = low;
        carry = u64::from(high);
    }
    push_carry(x, carry);
}

/// `acc += x · factor · 2^(32 · shift)`.
fn add_product(acc: &mut Vec<u32>, x: &[u32], factor: u32, shift: usize) {
    if acc.len() < x.len() + shift {
        acc.resize(x.len() + shift, 0);
    }
    let mut carry = 0_u64;
    let mut terms = x.iter();
    for limb in acc.iter_mut().skip(shift) {
        let term = u64::from(terms.next().copied().unwrap_or(0)) * u64::from(factor);
        // At most (2^32 − 1)^2 + 2 (2^32 − 1) < 2^64.
        let [low, high] = halves(u64::from(*limb) + term);
        let [low, high2] = halves(u64::from(low) + carry);
        *limb = low;
        carry = u64::from(high) + u64::from(high2);
    }
    push_carry(acc, carry);
}

/// Appends a final carry (below 2^32 in both callers; a wider one keeps both halves).
fn push_carry(x: &mut Vec<u32>, carry: u64) {
    if carry != 0 {
        let [low, high] = halves(carry);
        x.push(low);
        if high != 0 {
            x.push(high);
        }
    }
}

/// Compares two big integers (leading zero limbs allowed).
fn compare(a: &[u32], b: &[u32]) -> Ordering {
    let significant = |x: &[u32]| {
        x.iter()
            .rposition(|limb| *limb != 0)
            .map_or(0, |top| top + 1)
    };
    let (a, b) = (
        a.get(..significant(a)).unwrap_or_default(),
        b.get(..significant(b)).unwrap_or_default(),
    );
    a.len()
        .cmp(&b.len())
        .then_with(|| a.iter().rev().cmp(b.iter().rev()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn present_value_sign_on_known_roots() {
        // 100 repaid 105 after one period: the root is 5/100.
        assert_eq!(present_value_sign(100, &[105], 105, 100), Ordering::Equal);
        assert_eq!(present_value_sign(100, &[105], 104, 100), Ordering::Greater);
        assert_eq!(present_value_sign(100, &[105], 106, 100), Ordering::Less);
        // 200 repaid 199 after one period: the root is −1/200 (1 + t = 199/200).
        assert_eq!(present_value_sign(200, &[199], 199, 200), Ordering::Equal);
        assert_eq!(present_value_sign(200, &[199], 198, 200), Ordering::Greater);
        // Interest-only: 1,000 at 1 a period for 40 periods, then 1,000 back: root 1/1000.
        let mut payments = vec![1_i64; 40];
        payments.push(1_001);
        assert_eq!(
            present_value_sign(1_000, &payments, 1_001, 1_000),
            Ordering::Equal
        );
        assert_eq!(
            present_value_sign(1_000, &payments, 1_000_999, 1_000_000),
            Ordering::Greater
        );
        assert_eq!(
            present_value_sign(1_000, &payments, 1_001_001, 1_000_000),
            Ordering::Less
        );
    }
}
