//! Fees beyond interest: what each period charges, what is settled upfront, and each fee's total.
//!
//! Owns the per-period fee sums (the flat installment fee and every per-period fee), the
//! upfront fees ([`super::Upfront`]) and [`fee_totals`], by the same rounding rules the schedule
//! charges them. It must not split principal or accrue interest.

use super::amortize::fen;
use super::{FeeAmount, FeeTiming, Loan, Method, ScheduleError, Upfront};
use crate::money::{CheckedOps, Fen};
use rust_decimal::Decimal;

/// Per-period fees of every kind (flat installment fee included), summed per period, in fen;
/// empty (nothing allocated) when the loan charges none: every period's fee is then zero.
pub(super) fn period_fees(loan: &Loan) -> Result<Vec<Fen>, ScheduleError> {
    let n_periods = loan.term_months as usize;
    if loan.method != Method::FlatFee && loan.fees.is_empty() {
        return Ok(Vec::new());
    }
    let n = Decimal::from(loan.term_months);
    let mut sums: Vec<Fen> = vec![0; n_periods];
    let add_rate_fee = |rate: Decimal, sums: &mut Vec<Fen>| -> Result<(), ScheduleError> {
        // Like a card installment fee: round(P·rate) each period on the original principal,
        // the total round(P·rate·n), the residual in the last period.
        let per_period = fen(loan.rounding.money(loan.principal.times(rate)?), "fees")?;
        let total = fen(
            loan.rounding.money(loan.principal.times(rate)?.times(n)?),
            "fees",
        )?;
        let last = total - per_period * (n_periods as Fen - 1);
        for (period_idx, sum) in sums.iter_mut().enumerate() {
            *sum += if period_idx + 1 == n_periods {
                last
            } else {
                per_period
            };
        }
        Ok(())
    };
    if loan.method == Method::FlatFee {
        add_rate_fee(loan.fee_rate, &mut sums)?;
    }
    for fee in &loan.fees {
        match (fee.timing, fee.amount) {
            (FeeTiming::PerPeriod, FeeAmount::Rate(rate)) => add_rate_fee(rate, &mut sums)?,
            (FeeTiming::PerPeriod, FeeAmount::Fixed(amount)) => {
                // Only hand-built terms can hold a fraction of a fen (the wire refuses it).
                let amount = fen(amount, "fees")?;
                for sum in sums.iter_mut() {
                    *sum += amount;
                }
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::{build, DayCount, Fee, FeeKind, Loan, ScheduleError};
    use super::*;
    use crate::money::Rounding;

    fn loan(fees: Vec<Fee>) -> Loan {
        Loan {
            principal: Decimal::new(1_000_000, 2),
            annual_rate: Decimal::new(72, 3),
            term_months: 12,
            method: Method::EqualInstallment,
            fee_rate: Decimal::ZERO,
            start_date: None,
            first_due_date: None,
            day_count: DayCount::Thirty360,
            rounding: Rounding::HalfUp,
            fees,
        }
    }

    fn fee(timing: FeeTiming, amount: FeeAmount) -> Fee {
        Fee {
            kind: FeeKind::Service,
            timing,
            amount,
        }
    }

    /// Hand-built terms meet the wire's fee rules: a fraction of a fen (upfront or per period),
    /// an amount or rate out of range, more fees than requests may carry.
    #[test]
    fn hand_built_fees_are_validated_like_wire_fees() {
        for timing in [
            FeeTiming::UpfrontDeducted,
            FeeTiming::UpfrontPaid,
            FeeTiming::PerPeriod,
        ] {
            let over_precise = loan(vec![
                fee(timing, FeeAmount::Fixed(Decimal::ONE)),
                fee(timing, FeeAmount::Fixed(Decimal::new(1, 3))),
            ]);
            assert_eq!(
                build(&over_precise).unwrap_err(),
                ScheduleError::OverPrecise {
                    path: "fees[1].amount".into(),
                    max_dp: 2
                }
            );
            let huge = loan(vec![fee(timing, FeeAmount::Fixed(Decimal::MAX))]);
            assert_eq!(
                build(&huge).unwrap_err(),
                ScheduleError::OutOfRange {
                    path: "fees[0].amount".into()
                }
            );
            let rate = loan(vec![fee(timing, FeeAmount::Rate(Decimal::from(1001)))]);
            assert_eq!(
                build(&rate).unwrap_err(),
                ScheduleError::OutOfRange {
                    path: "fees[0].rate".into()
                }
            );
        }
        // Trailing zeros beyond the fen are a whole fen.
        let whole = loan(vec![fee(
            FeeTiming::PerPeriod,
            FeeAmount::Fixed(Decimal::new(1_000, 3)),
        )]);
        assert_eq!(build(&whole).unwrap().totals.fee, Decimal::from(12));
        let many = loan(vec![
            fee(
                FeeTiming::PerPeriod,
                FeeAmount::Fixed(Decimal::ONE)
            );
            crate::limits::MAX_FEES + 1
        ]);
        assert_eq!(
            build(&many).unwrap_err(),
            ScheduleError::OutOfRange {
                path: "fees".into()
            }
        );
    }
}
