//! The period timeline and interest accrual: due dates, year fractions and exact rounding.
//!
//! Owns [`Timeline`] (each period's due date and [`Accrual`] by the loan's day count, the odd
//! first period included) and [`accrue`], which rounds `balance × rate × days / basis` once, on
//! integer fen (the balance is whole [`Fen`]). It must not split principal or add fees.

use super::{DayCount, Loan, ScheduleError};
use crate::date::{monthly_due_date, Date};
use crate::money::CheckedOps;
use crate::money::{self, Fen, Rounding};
use rust_decimal::Decimal;

/// Year fraction of one period as `days / basis`, kept apart so that `balance × rate × days`
/// is exact and a single division precedes the rounding. A regular 30/360 month is 30/360.
#[derive(Debug, Clone, Copy)]
pub(super) struct Accrual {
    /// Days in the period (30 for a regular 30/360 month).
    pub(super) days: i64,
    /// Days in the year of the loan's day count (360 or 365).
    pub(super) basis: i64,
}

/// Each period's due date and accrual, in order; without a start date both lists are empty:
/// no due dates, and every period is a regular 30/360 month (nothing allocated on that path).
pub(super) struct Timeline {
    /// Due date of each period (empty without a start date).
    pub(super) due_dates: Vec<Option<Date>>,
    /// Year fraction of each period (empty when every period is `regular`).
    accruals: Vec<Accrual>,
    /// The accrual of a regular month.
    regular: Accrual,
}

impl Timeline {
    /// The accrual of period `period_idx` (0-based).
    pub(super) fn accrual(&self, period_idx: usize) -> Accrual {
        self.accruals
            .get(period_idx)
            .copied()
            .unwrap_or(self.regular)
    }
}

/// The due dates and accruals of every period of `loan`.
pub(super) fn timeline(loan: &Loan) -> Result<Timeline, ScheduleError> {
    let n_periods = loan.term_months as usize;
    let basis = loan.day_count.basis_days();
    let regular = Accrual { days: 30, basis };
    let Some(start) = loan.start_date else {
        return Ok(Timeline {
            due_dates: Vec::new(),
            accruals: Vec::new(),
            regular,
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
        let days = previous.days_until(due);
        let accrual = match loan.day_count {
            DayCount::Thirty360 if period_idx == 0 && odd_first => Accrual { days, basis },
            DayCount::Thirty360 => regular,
            DayCount::Act360 | DayCount::Act365 => Accrual { days, basis },
        };
        due_dates.push(Some(due));
        accruals.push(accrual);
        previous = due;
    }
    Ok(Timeline {
        due_dates,
        accruals,
        regular,
    })
}

/// A loan's annual rate prepared once for [`accrue`]: `rate = mantissa / 10^scale`.
#[derive(Debug, Clone, Copy)]
pub(super) struct AccrualRate {
    /// The rate itself (the decimal fallback multiplies by it).
    rate: Decimal,
    /// Its mantissa.
    mantissa: i128,
    /// `10^scale`, when it fits.
    scale_factor: Option<i128>,
}

impl AccrualRate {
    /// Prepares `rate` (a fraction per year, `0.072`).
    pub(super) fn new(rate: Decimal) -> AccrualRate {
        AccrualRate {
            rate,
            mantissa: rate.mantissa(),
            scale_factor: crate::money::POW10.get(rate.scale() as usize).copied(),
        }
    }
}

/// Interest in fen on `balance` fen for one accrual, rounded with the loan's rule.
///
/// The exact rational `balance × rate × days / basis` is rounded once, on `i64` when every
/// factor fits (every ordinary loan: wasm has no 128-bit multiply or divide), else on `i128`
/// (always enough for accepted inputs); a decimal fallback serves hand-built terms beyond both.
pub(super) fn accrue(
    balance: Fen,
    rate: AccrualRate,
    accrual: Accrual,
    rounding: Rounding,
) -> Result<Fen, ScheduleError> {
    if let Some(fen) = accrue_exact_fen(balance, rate, accrual, rounding) {
        return Ok(fen);
    }
    let product = money::from_fen(balance)?
        .times(rate.rate)?
        .times(Decimal::from(accrual.days))?;
    let interest = rounding.money(product.over(Decimal::from(accrual.basis))?);
    money::to_fen(interest).ok_or(ScheduleError::Overflow)
}

/// `round(balance × rate × days / basis)` in fen, computed on integers.
fn accrue_exact_fen(
    balance: Fen,
    rate: AccrualRate,
    accrual: Accrual,
    rounding: Rounding,
) -> Option<Fen> {
    if accrual.basis <= 0 {
        return None;
    }
    // The 64-bit shortcut is the full engine's (speed); the calculator module takes the `i128`
    // computation below for every accrual (size), with the same result.
    if cfg!(feature = "full") {
        if let Some(fen) = accrue_exact_fen_i64(balance, rate, accrual, rounding) {
            return Some(Fen::from(fen));
        }
    }
    let numerator = balance
        .checked_mul(rate.mantissa)?
        .checked_mul(i128::from(accrual.days))?;
    let denominator = i128::from(accrual.basis).checked_mul(rate.scale_factor?)?;
    Some(round_div(numerator, denominator, rounding))
}

/// [`accrue_exact_fen`] on `i64`, `None` when any factor or product may not fit.
///
/// No checked multiply (wasm has none on `i64`: each would be a 128-bit library call): the
/// magnitudes' bit lengths bound the product, and the basis (at most 1000) times a scale
/// factor of at most `10^15` always fits.
fn accrue_exact_fen_i64(
    balance: Fen,
    rate: AccrualRate,
    accrual: Accrual,
    rounding: Rounding,
) -> Option<i64> {
    let (balance, mantissa) = (
        i64::try_from(balance).ok()?,
        i64::try_from(rate.mantissa).ok()?,
    );
    let scale_factor = i64::try_from(rate.scale_factor?).ok()?;
    let bits = |value: i64| 64 - value.unsigned_abs().leading_zeros();
    if scale_factor > 1_000_000_000_000_000
        || !(1..=1000).contains(&accrual.basis)
        || bits(balance) + bits(mantissa) + bits(accrual.days) > 63
    {
        return None;
    }
    let numerator = balance * mantissa * accrual.days;
    let denominator = accrual.basis * scale_factor;
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
        let mut next = super::super::test_cases(0x2545_F491_4F6C_DD1D);
        for case in 0..20_000 {
            // Small magnitudes make exact ties (x.5 fen) frequent; large ones test overflow.
            let balance = Fen::from(next(if case % 2 == 0 { 2_000 } else { 10_u64.pow(14) }));
            let rate = Decimal::new(next(40_000) as i64, 2 + (case % 5) as u32);
            let accrual = Accrual {
                days: next(if case % 3 == 0 { 20_000 } else { 32 }) as i64,
                basis: [360, 365][case % 2],
            };
            for rounding in [Rounding::Down, Rounding::HalfUp, Rounding::HalfEven] {
                let fast = accrue_exact_fen_i64(balance, AccrualRate::new(rate), accrual, rounding);
                let wide = i64::try_from(round_div(
                    balance * rate.mantissa() * i128::from(accrual.days),
                    i128::from(accrual.basis) * 10_i128.pow(rate.scale()),
                    rounding,
                ))
                .ok();
                if fast.is_some() {
                    assert_eq!(fast, wide, "{balance} {rate} {accrual:?} {rounding:?}");
                }
                // Every ordinary product (below 2^62) takes the i64 path.
                if balance < 1 << 40 && rate.mantissa() < 1 << 17 && accrual.days < 32 {
                    assert!(fast.is_some(), "{balance} {rate} {accrual:?}");
                }
            }
        }
    }

    /// The integer accrual equals rust_decimal's `round(balance × rate × days / basis)` (the
    /// decimal fallback, an independent computation) for every rounding rule, ties included.
    #[test]
    fn integer_accrual_agrees_with_decimal_arithmetic() {
        let mut next = super::super::test_cases(0x9E37_79B9_7F4A_7C15);
        for case in 0..20_000 {
            let balance = Fen::from(next([2_000, 10_u64.pow(8), 10_u64.pow(14)][case % 3]));
            let rate = Decimal::new(
                next(10_u64.pow(1 + (case % 12) as u32)) as i64,
                (case % 13) as u32,
            );
            let accrual = Accrual {
                days: next(if case % 4 == 0 { 20_000 } else { 32 }) as i64,
                basis: [360, 365][case % 2],
            };
            for rounding in [Rounding::Down, Rounding::HalfUp, Rounding::HalfEven] {
                let integer = accrue_exact_fen(balance, AccrualRate::new(rate), accrual, rounding);
                let decimal = rounding.money(
                    money::from_fen(balance).unwrap() * rate * Decimal::from(accrual.days)
                        / Decimal::from(accrual.basis),
                );
                assert_eq!(
                    integer.map(|fen| money::from_fen(fen).unwrap()),
                    Some(decimal),
                    "{balance} {rate} {accrual:?} {rounding:?}"
                );
            }
        }
    }
}
