//! The period timeline and interest accrual: due dates, year fractions and exact rounding.
//!
//! Owns [`Timeline`] (each period's due date and [`Accrual`] by the loan's day count, the odd
//! first period included) and [`accrue`], which rounds `balance × rate × days / basis` once, on
//! integer fen when it fits. It must not split principal or add fees.

use super::{DayCount, Loan, ScheduleError};
use crate::date::{monthly_due_date, Date};
use crate::money::CheckedOps;
use crate::money::{self, Rounding};
use rust_decimal::Decimal;

/// Year fraction of one period as `days / basis`, kept apart so that `balance × rate × days`
/// is exact and a single division precedes the rounding. A regular 30/360 month is 30/360.
#[derive(Debug, Clone, Copy)]
pub(super) struct Accrual {
    /// Days in the period (30 for a regular 30/360 month).
    pub(super) numerator: Decimal,
    /// Days in the year of the loan's day count.
    pub(super) denominator: Decimal,
}

/// Each period's due date (none without a start date) and accrual, in order.
pub(super) struct Timeline {
    /// Due date of each period.
    pub(super) due_dates: Vec<Option<Date>>,
    /// Year fraction of each period.
    pub(super) accruals: Vec<Accrual>,
}

/// The due dates and accruals of every period of `loan`.
pub(super) fn timeline(loan: &Loan) -> Result<Timeline, ScheduleError> {
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

/// Interest on `balance` for one accrual, rounded with the loan's rule.
///
/// The exact rational `balance × rate × days / basis` is rounded once, in integer fen, when it
/// fits in `i128` (always, for accepted inputs); the decimal path remains as a fallback.
pub(super) fn accrue(
    balance: Decimal,
    rate: Decimal,
    accrual: Accrual,
    rounding: Rounding,
) -> Result<Decimal, ScheduleError> {
    if let Some(fen) = accrue_exact_fen(balance, rate, accrual, rounding) {
        return Ok(Decimal::new(fen, money::MONEY_DP));
    }
    let product = balance.times(rate)?.times(accrual.numerator)?;
    Ok(rounding.money(product.over(accrual.denominator)?))
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
fn round_div(numerator: i128, denominator: i128, rounding: Rounding) -> i128 {
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
