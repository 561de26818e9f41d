//! Principal and interest per period, by repayment method, before fees (domain-math §4).
//!
//! Owns [`split`]: given validated loan terms and their [`Timeline`], the `(principal,
//! interest)` of every period by the loan's [`Method`], the last period taking what is left of
//! the balance. It must not add fees or build rows: [`super::build`] does that.

use super::accrual::{accrue, Accrual, AccrualRate, Timeline};
use super::level::{level_payment, level_payment_fast};
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

/// The principal and interest of every period of `loan`, one row per period with only those
/// two figures set: each period accrues on its opening balance and repays what its method
/// says (at most the balance), the last period repays the rest. 等额本息 repays the level
/// payment less the interest, 等额本金 and flat-fee installments a level part `round(P / n)`,
/// 先息后本 nothing; 一次性还本付息 is [`bullet`].
pub(super) fn split(loan: &Loan, timeline: &Timeline) -> Result<Vec<[Fen; 5]>, ScheduleError> {
    let n_periods = loan.term_months as usize;
    let (rate, rounding) = (AccrualRate::new(loan.annual_rate), loan.rounding);
    let mut balance = fen(loan.principal, "principal")?;
    let mut split = Vec::with_capacity(n_periods);
    let level = match loan.method {
        // The integer computation when it proves the decimal figure, else the decimal one.
        Method::EqualInstallment => {
            match level_payment_fast(
                balance,
                (loan.annual_rate.mantissa(), loan.annual_rate.scale()),
                loan.term_months,
                rounding,
            ) {
                Some(level) => level,
                None => fen(
                    level_payment(loan.principal, loan.annual_rate, loan.term_months, rounding)?,
                    "principal",
                )?,
            }
        }
        Method::EqualPrincipal | Method::FlatFee => fen(
            rounding.money(loan.principal.over(Decimal::from(loan.term_months))?),
            "principal",
        )?,
        Method::InterestOnly => 0,
        Method::Bullet => return bullet(loan, timeline, balance),
    };
    for period_idx in 0..n_periods {
        let interest = accrue(balance, rate, timeline.accrual(period_idx), rounding)?;
        let principal = if period_idx + 1 == n_periods {
            balance
        } else if loan.method == Method::EqualInstallment {
            if interest > level {
                return Err(ScheduleError::NegativeAmortization {
                    period: period_idx as u32 + 1,
                });
            }
            (level - interest).min(balance)
        } else {
            level.min(balance)
        };
        balance -= principal;
        split.push(row(principal, interest));
    }
    Ok(split)
}

/// 一次性还本付息: principal and all interest in the last period, nothing before.
fn bullet(
    loan: &Loan,
    timeline: &Timeline,
    principal: Fen,
) -> Result<Vec<[Fen; 5]>, ScheduleError> {
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
    let rate = AccrualRate::new(loan.annual_rate);
    let interest = accrue(principal, rate, whole_term, loan.rounding)?;
    let mut split = Vec::with_capacity(n_periods);
    for period_idx in 0..n_periods {
        if period_idx + 1 == n_periods {
            split.push(row(principal, interest));
        } else {
            split.push(row(0, 0));
        }
    }
    Ok(split)
}
