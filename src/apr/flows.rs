//! Dated flows: the advances and payments of a dated rate equation, their checks, and their
//! placement on a regime's time axis.
//!
//! Owns [`DatedAmount`], the checks every dated regime shares (`term_start`: at least one
//! advance and one payment, no negative amount, no payment before the first advance),
//! `dated_flows` (placing each flow with a regime's clock) and [`months_back`], the month
//! count that Appendix J and the EU equal-months basis both use. It solves nothing.

use super::equation::TimedFlow;
use super::{bad_flows, AprError, MAX_FLOWS};
use crate::date::Date;
use rust_decimal::Decimal;

/// One dated amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatedAmount {
    /// When it is paid.
    pub date: Date,
    /// How much (positive).
    pub amount: Decimal,
}

/// Checks the dated flows and returns the start of the term (the earliest advance).
pub(super) fn term_start(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
) -> Result<Date, AprError> {
    if advances.is_empty() {
        return Err(bad_flows("advances", "at least one advance is required"));
    }
    if payments.is_empty() {
        return Err(bad_flows("payments", "at least one payment is required"));
    }
    if advances.len() + payments.len() > MAX_FLOWS + 1 {
        return Err(bad_flows(
            "payments",
            crate::error::concat(&[
                "at most ",
                &crate::error::uint(MAX_FLOWS as u64 + 1),
                " flows are accepted",
            ]),
        ));
    }
    for (list, name) in [(advances, "advances"), (payments, "payments")] {
        for (idx, flow) in list.iter().enumerate() {
            if flow.amount.is_sign_negative() && !flow.amount.is_zero() {
                return Err(bad_flows(
                    &crate::error::concat(&[
                        name,
                        "[",
                        &crate::error::uint(idx as u64),
                        "].amount",
                    ]),
                    "amounts must not be negative",
                ));
            }
        }
    }
    let start = advances
        .iter()
        .map(|a| a.date)
        .min()
        .ok_or_else(|| bad_flows("advances", "at least one advance is required"))?;
    for (idx, payment) in payments.iter().enumerate() {
        if payment.date < start {
            return Err(bad_flows(
                &crate::error::concat(&["payments[", &crate::error::uint(idx as u64), "].date"]),
                "a payment precedes the first advance",
            ));
        }
    }
    Ok(start)
}

/// Places every advance (positive) and payment (negative) on the time axis with `place`.
pub(super) fn dated_flows(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    mut place: impl FnMut(Date) -> Result<(u64, Decimal), AprError>,
) -> Result<Vec<TimedFlow>, AprError> {
    let mut flows = Vec::with_capacity(advances.len() + payments.len());
    for advance in advances {
        let (periods, fraction) = place(advance.date)?;
        flows.push(TimedFlow {
            amount: advance.amount,
            periods,
            fraction,
        });
    }
    for payment in payments {
        let (periods, fraction) = place(payment.date)?;
        flows.push(TimedFlow {
            amount: -payment.amount,
            periods,
            fraction,
        });
    }
    Ok(flows)
}

/// Whole months counted back from `later` (keeping its day, clamped to month end) while
/// staying on or after `earlier`, and the leftover days from `earlier` forward to that date.
pub fn months_back(earlier: Date, later: Date) -> Result<(u64, u64), AprError> {
    if later < earlier {
        return Err(AprError::Overflow);
    }
    let month_index = |d: Date| i64::from(d.year()) * 12 + i64::from(d.month());
    let mut months = (month_index(later) - month_index(earlier)).max(0);
    loop {
        let boundary = later
            .add_months_anchored(-months, later.day())
            .ok_or(AprError::Overflow)?;
        if boundary >= earlier {
            let days =
                u64::try_from(earlier.days_until(boundary)).map_err(|_| AprError::Overflow)?;
            let whole = u64::try_from(months).map_err(|_| AprError::Overflow)?;
            return Ok((whole, days));
        }
        if months == 0 {
            return Err(AprError::Overflow);
        }
        months -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn months_back_counts_from_the_later_date() {
        assert_eq!(
            months_back(d("1978-02-10"), d("1978-04-01")).unwrap(),
            (1, 19)
        );
        assert_eq!(
            months_back(d("1978-05-23"), d("1978-10-01")).unwrap(),
            (4, 9)
        );
        assert_eq!(
            months_back(d("2025-01-31"), d("2025-02-28")).unwrap(),
            (0, 28)
        );
        assert_eq!(
            months_back(d("2025-01-28"), d("2025-03-31")).unwrap(),
            (2, 3)
        );
    }
}
