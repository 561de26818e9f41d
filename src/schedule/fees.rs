//! Fees beyond interest: what each period charges, what is settled upfront, and each fee's total.
//!
//! Owns the per-period fee sums (the flat installment fee and every per-period fee), the
//! upfront fees ([`super::Upfront`]) and [`fee_totals`], by the same rounding rules the schedule
//! charges them. It must not split principal or accrue interest.

use super::{FeeAmount, FeeTiming, Loan, Method, ScheduleError, Upfront};
use crate::money::CheckedOps;
use rust_decimal::Decimal;

/// Per-period fees of every kind (flat installment fee included), summed per period.
pub(super) fn period_fees(loan: &Loan) -> Result<Vec<Decimal>, ScheduleError> {
    let n_periods = loan.term_months as usize;
    let n = Decimal::from(loan.term_months);
    let mut sums = vec![Decimal::ZERO; n_periods];
    let add_rate_fee = |rate: Decimal, sums: &mut Vec<Decimal>| -> Result<(), ScheduleError> {
        // Like a card installment fee: round(P·rate) each period on the original principal,
        // the total round(P·rate·n), the residual in the last period.
        let per_period = loan.rounding.money(loan.principal.times(rate)?);
        let total = loan.rounding.money(loan.principal.times(rate)?.times(n)?);
        let mut charged = Decimal::ZERO;
        for (period_idx, sum) in sums.iter_mut().enumerate() {
            let part = if period_idx + 1 == n_periods {
                total.minus(charged)?
            } else {
                per_period
            };
            charged = charged.plus(part)?;
            *sum = (*sum).plus(part)?;
        }
        Ok(())
    };
    if loan.method == Method::FlatFee {
        add_rate_fee(loan.fee_rate, &mut sums)?;
    }
    for fee in loan
        .fees
        .iter()
        .filter(|fee| fee.timing == FeeTiming::PerPeriod)
    {
        match fee.amount {
            FeeAmount::Rate(rate) => add_rate_fee(rate, &mut sums)?,
            FeeAmount::Fixed(amount) => {
                for sum in sums.iter_mut() {
                    *sum = (*sum).plus(amount)?;
                }
            }
        }
    }
    Ok(sums)
}

/// What each fee of a loan costs over the whole loan, by the rules [`super::build`] charges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeTotals {
    /// The flat installment fee (`feeRate`) over all periods, `round(P·feeRate·n)`; zero
    /// unless the loan is a flat-fee installment.
    pub installment: Decimal,
    /// Each entry of `loan.fees` in order: a per-period rate fee `round(P·rate·n)`, a per-period
    /// fixed fee `amount·n`, an upfront fee once (`round(P·rate)` or its amount).
    pub fees: Vec<Decimal>,
}

/// Per-fee totals of a loan (yuan, rounded as the schedule rounds): what a disclosure
/// attributes to each party. Σ `installment` + Σ `fees` equals the schedule's
/// `totals.fee + upfront.deducted + upfront.paidAtSigning`.
///
/// # Errors
/// `overflow` when a product leaves the decimal range.
pub fn fee_totals(loan: &Loan) -> Result<FeeTotals, ScheduleError> {
    let n = Decimal::from(loan.term_months);
    let over_term = |rate: Decimal| -> Result<Decimal, ScheduleError> {
        Ok(loan.rounding.money(loan.principal.times(rate)?.times(n)?))
    };
    let installment = if loan.method == Method::FlatFee {
        over_term(loan.fee_rate)?
    } else {
        Decimal::ZERO
    };
    let mut fees = Vec::with_capacity(loan.fees.len());
    for fee in &loan.fees {
        fees.push(match (fee.timing, fee.amount) {
            (FeeTiming::PerPeriod, FeeAmount::Rate(rate)) => over_term(rate)?,
            (FeeTiming::PerPeriod, FeeAmount::Fixed(amount)) => amount.times(n)?,
            (_, FeeAmount::Fixed(amount)) => amount,
            (_, FeeAmount::Rate(rate)) => loan.rounding.money(loan.principal.times(rate)?),
        });
    }
    Ok(FeeTotals { installment, fees })
}

/// The upfront fees of `loan`: deducted from the disbursement and paid at signing.
pub(super) fn upfront(loan: &Loan) -> Result<Upfront, ScheduleError> {
    let mut result = Upfront {
        deducted: Decimal::ZERO,
        paid_at_signing: Decimal::ZERO,
    };
    for fee in &loan.fees {
        let amount = match fee.amount {
            FeeAmount::Fixed(amount) => amount,
            FeeAmount::Rate(rate) => loan.rounding.money(loan.principal.times(rate)?),
        };
        match fee.timing {
            FeeTiming::UpfrontDeducted => result.deducted = result.deducted.plus(amount)?,
            FeeTiming::UpfrontPaid => {
                result.paid_at_signing = result.paid_at_signing.plus(amount)?
            }
            FeeTiming::PerPeriod => {}
        }
    }
    Ok(result)
}
