//! Principal and interest per period, by repayment method, before fees (domain-math §4).
//!
//! Owns one step per [`Method`]: given validated loan terms and their [`Timeline`], each returns
//! the `(principal, interest)` of every period, the last period taking what is left of the
//! balance. It must not add fees or build rows: [`super::build`] does that.

use super::accrual::{accrue, Accrual, Timeline};
use super::level::{level_parts, level_payment};
use super::{Loan, Method, ScheduleError};
use crate::money::CheckedOps;
use rust_decimal::Decimal;

/// One period's principal and interest.
pub(super) type Split = (Decimal, Decimal);

/// The principal and interest of every period of `loan`: the step of its method pushes one
/// pair per period.
pub(super) fn split(loan: &Loan, timeline: &Timeline) -> Result<Vec<Split>, ScheduleError> {
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
    split: &mut Vec<Split>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let (rate, rounding) = (loan.annual_rate, loan.rounding);
    let level = level_payment(loan.principal, rate, loan.term_months, rounding)?;
    let mut balance = loan.principal;
    for (period_idx, accrual) in timeline.accruals.iter().enumerate() {
        let interest = accrue(balance, rate, *accrual, rounding)?;
        let principal = if period_idx + 1 == n_periods {
            balance
        } else {
            if interest > level {
                return Err(ScheduleError::NegativeAmortization {
                    period: period_idx as u32 + 1,
                });
            }
            level.minus(interest)?.min(balance)
        };
        balance = balance.minus(principal)?;
        split.push((principal, interest));
    }
    Ok(())
}

/// 等额本金 and flat-fee installments: level principal, interest on the opening balance.
fn equal_principal(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<Split>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let (rate, rounding) = (loan.annual_rate, loan.rounding);
    let per_period = rounding.money(loan.principal.over(Decimal::from(loan.term_months))?);
    let parts = level_parts(per_period, loan.principal, n_periods)?;
    let mut balance = loan.principal;
    for (principal, accrual) in parts.into_iter().zip(&timeline.accruals) {
        let interest = accrue(balance, rate, *accrual, rounding)?;
        balance = balance.minus(principal)?;
        split.push((principal, interest));
    }
    Ok(())
}

/// 先息后本: interest every period, all principal in the last.
fn interest_only(
    loan: &Loan,
    timeline: &Timeline,
    split: &mut Vec<Split>,
) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    let mut balance = loan.principal;
    for (period_idx, accrual) in timeline.accruals.iter().enumerate() {
        let interest = accrue(balance, loan.annual_rate, *accrual, loan.rounding)?;
        let principal = if period_idx + 1 == n_periods {
            balance
        } else {
            Decimal::ZERO
        };
        balance = balance.minus(principal)?;
        split.push((principal, interest));
    }
    Ok(())
}

/// 一次性还本付息: principal and all interest in the last period, nothing before.
fn bullet(loan: &Loan, timeline: &Timeline, split: &mut Vec<Split>) -> Result<(), ScheduleError> {
    let n_periods = loan.term_months as usize;
    // One accrual over the whole term, rounded once: every period shares the
    // loan's basis, so the days add up before the single division.
    let mut days = Decimal::ZERO;
    for accrual in &timeline.accruals {
        days = days.plus(accrual.numerator)?;
    }
    let whole_term = Accrual {
        numerator: days,
        denominator: Decimal::from(loan.day_count.basis_days()),
    };
    let interest = accrue(loan.principal, loan.annual_rate, whole_term, loan.rounding)?;
    for period_idx in 0..n_periods {
        if period_idx + 1 == n_periods {
            split.push((loan.principal, interest));
        } else {
            split.push((Decimal::ZERO, Decimal::ZERO));
        }
    }
    Ok(())
}
