//! Principal and interest per period, by repayment method, before fees (domain-math §4).
//!
//! Owns one step per [`Method`]: given validated loan terms and their [`Timeline`], each returns
//! the `(principal, interest)` of every period, the last period taking what is left of the
//! balance. It must not add fees or build rows: [`super::build`] does that.

use super::accrual::{accrue, Accrual, AccrualRate, Timeline};
use super::level::{level_parts, level_payment, level_payment_fast};
use super::{Loan, Method, ScheduleError};
use crate::money::{self, CheckedOps, Fen};
use rust_decimal::Decimal;

/// A schedule row (`[payment, principal, interest, fee, balance]`, in fen) with its principal
/// and interest set, the rest zero ([`super::build_fen`] completes it).
fn row(principal: Fen, interest: Fen) -> [Fen; 5] {
    [0, principal, interest, 0, 0]
}

/// A money figure of validated terms in whole fen (the principal and the rounded level amounts
/// always are; a hand-built fraction of a fen is refused as over-precise).
pub(super) fn fen(value: Decimal, path: &str) -> Result<Fen, ScheduleError> {
    money::to_fen(value).ok_or_else(|| ScheduleError::OverPrecise {
        path: path.to_owned(),
        max_dp: money::MONEY_DP,
    })
}

/// The principal and interest of every period of `loan`: the step of its method pushes one
/// row per period, with only those two figures set.
pub(super) fn split(loan: &Loan, timeline: &Timeline) -> Result<Vec<[Fen; 5]>, ScheduleError> {
    let mut split = Vec::with_capacity(loan.term_months as usize);
    match loan.method {
        Method::EqualInstallment => equal_installment(loan, timeline, &mut split)?,
        Method::EqualPrincipal | Method::FlatFee => equal_principal(loan, timeline, &mut split)?,
        Method::InterestOnly => interest_only(loan, timeline, &mut split)?,
        Method::Bullet => bullet(loan, timeline, &mut split)?,
    }
    Ok(split)
}

/// 等额本息: the level payment less the period's interest repays principal.
fn equal_installment(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<[Fen; 5]>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let (rate, rounding) = (AccrualRate::new(loan.annual_rate), loan.rounding);
    let mut balance = fen(loan.principal, "principal")?;
    // The integer computation when it proves the decimal figure, else the decimal one.
    let level = match level_payment_fast(balance, loan.annual_rate, loan.term_months, rounding) {
        Some(level) => level,
        None => {
            let level =
                level_payment(loan.principal, loan.annual_rate, loan.term_months, rounding)?;
            fen(level, "principal")?
        }
    };
    for period_idx in 0..n_periods {
        let interest = accrue(balance, rate, timeline.accrual(period_idx), rounding)?;
        let principal = if period_idx + 1 == n_periods {
            balance
        } else {
            if interest > level {
                return Err(ScheduleError::NegativeAmortization {
                    period: period_idx as u32 + 1,
                });
            }
            (level - interest).min(balance)
        };
        balance -= principal;
        split.push(row(principal, interest));
    }
    Ok(())
}

/// 等额本金 and flat-fee installments: level principal, interest on the opening balance.
fn equal_principal(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<[Fen; 5]>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let (rate, rounding) = (AccrualRate::new(loan.annual_rate), loan.rounding);
    let per_period = rounding.money(loan.principal.over(Decimal::from(loan.term_months))?);
    let mut balance = fen(loan.principal, "principal")?;
    let parts = level_parts(fen(per_period, "principal")?, balance, n_periods);
    for (period_idx, principal) in parts.into_iter().enumerate() {
        let interest = accrue(balance, rate, timeline.accrual(period_idx), rounding)?;
        balance -= principal;
        split.push(row(principal, interest));
    }
    Ok(())
}

/// 先息后本: interest every period, all principal in the last.
fn interest_only(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<[Fen; 5]>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let rate = AccrualRate::new(loan.annual_rate);
    let mut balance = fen(loan.principal, "principal")?;
    for period_idx in 0..n_periods {
        let interest = accrue(balance, rate, timeline.accrual(period_idx), loan.rounding)?;
        let principal = if period_idx + 1 == n_periods {
            balance
        } else {
            0
        };
        balance -= principal;
        split.push(row(principal, interest));
    }
    Ok(())
}

/// 一次性还本付息: principal and all interest in the last period, nothing before.
fn bullet(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<[Fen; 5]>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    // One accrual over the whole term, rounded once: every period shares the
    // loan's basis, so the days add up before the single division.
    let days = (0..n_periods)
        .map(|period_idx| timeline.accrual(period_idx).days)
        .sum();
    let whole_term = Accrual {
        days,
        basis: loan.day_count.basis_days(),
    };
    let principal = fen(loan.principal, "principal")?;
    let rate = AccrualRate::new(loan.annual_rate);
    let interest = accrue(principal, rate, whole_term, loan.rounding)?;
    for period_idx in 0..n_periods {
        if period_idx + 1 == n_periods {
            split.push(row(principal, interest));
        } else {
            split.push(row(0, 0));
        }
    }
    Ok(())
}
