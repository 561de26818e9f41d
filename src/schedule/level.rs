//! Level amounts: the 等额本息 payment and splitting a total into level per-period parts.
//!
//! Owns [`level_payment`] (domain-math §4.1, with an exact integer power) and the split of a
//! total into rounded level parts whose last takes the remainder. It must not accrue interest.

use super::ScheduleError;
use crate::money::CheckedOps;
use crate::money::{Fen, Rounding};
use rust_decimal::Decimal;

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

/// Splits `total` fen into `n` per-period parts of `round(total / n)`, the last taking the
/// remainder (never below zero: earlier parts are capped at what is left).
pub(super) fn level_parts(per_period: Fen, total: Fen, n_periods: usize) -> Vec<Fen> {
    let mut parts = Vec::with_capacity(n_periods);
    let mut left = total;
    for period_idx in 0..n_periods {
        let part = if period_idx + 1 == n_periods {
            left
        } else {
            per_period.min(left)
        };
        left -= part;
        parts.push(part);
    }
    parts
}
