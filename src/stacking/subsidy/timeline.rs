//! The loan as the subsidy sees it: the contract rate the share cap compares with, and one row
//! per period with its charge, opening balance, accrual fraction and accrual span in day numbers.
//!
//! Owns the calendar rules of the module docs (real due dates, `asOf` as the start, or no
//! calendar at all: regular 30-day periods), the bullet's whole-term accrual at maturity, and the
//! day-interval helpers the eligibility stage uses. It must not decide eligibility or pay
//! anything.

use super::SubsidyError;
use crate::apr::RATE_DP;
use crate::date::Date;
use crate::disclosure;
use crate::money::CheckedOps;
use crate::money::Rounding;
use crate::schedule::{self, DayCount, Loan, Method, Schedule};
use rust_decimal::Decimal;

/// Days in a period of a loan without any calendar (a 30/360 month).
pub(super) const GRID_DAYS: i64 = 30;

/// The contract side of the loan: what the installment fee is, and the contract rate.
pub(super) struct ContractTerms {
    /// The installment fee of each period (zero unless a flat-fee card installment).
    pub(super) installment_fees: Vec<Decimal>,
    /// The rate the share-of-contract-rate cap compares with.
    pub(super) rate: Decimal,
}

/// The contract rate: the loan's own rate, or for a flat-fee card installment the disclosed
/// annualized rate of its installment fee alone (module docs).
pub(super) fn contract_terms(
    loan: &Loan,
    schedule: &Schedule,
) -> Result<ContractTerms, SubsidyError> {
    // The installment fee of a card installment is its interest; build the fee-only schedule
    // to separate it from any other per-period fee.
    let (installment_fees, rate) = if loan.method == Method::FlatFee {
        let bare = schedule::build(&Loan {
            fees: Vec::new(),
            ..loan.clone()
        })?;
        let fees: Vec<Decimal> = bare.installments.iter().map(|row| row.fee).collect();
        let (advance, payments) = bare.borrower_flows();
        let (rate, _) = disclosure::cn_annualized(loan, &bare, advance, &payments)?;
        let rate = rate.rate;
        (
            fees,
            rate.round_dp_with_strategy(RATE_DP, Rounding::HalfUp.strategy()),
        )
    } else {
        (
            vec![Decimal::ZERO; schedule.installments.len()],
            loan.annual_rate,
        )
    };
    Ok(ContractTerms {
        installment_fees,
        rate,
    })
}

/// One period as the subsidy sees it.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// Due date when the loan has a calendar.
    pub(super) due_date: Option<Date>,
    /// The schedule's payment.
    pub(super) payment: Decimal,
    /// Interest plus installment fee.
    pub(super) charge: Decimal,
    /// Balance at the start of the period (a bullet's last row: the principal).
    pub(super) opening_balance: Decimal,
    /// The period's accrual fraction is `accrual_numerator / accrual_denominator`.
    pub(super) accrual_numerator: Decimal,
    /// See `accrual_numerator`.
    pub(super) accrual_denominator: Decimal,
    /// Day number where this period's charge starts accruing (a bullet: the loan's start).
    pub(super) accrual_start_day: i64,
    /// Due date as a day number (exclusive end of the accrual).
    pub(super) end_day: i64,
    /// Calendar year of the due date, when the loan has a calendar.
    pub(super) year: Option<i32>,
}

/// The periods of the loan and where its calendar starts.
pub(super) struct Timeline {
    /// One row per period.
    pub(super) rows: Vec<Row>,
    /// Day number of the loan's start (0 without a calendar).
    pub(super) start_day: i64,
    /// Start date when the loan has a calendar (its own or `asOf`).
    pub(super) anchor: Option<Date>,
}

/// One row per period, with the calendar the loan has (module docs, **Dates**).
pub(super) fn timeline(
    loan: &Loan,
    schedule: &Schedule,
    installment_fees: &[Decimal],
    as_of: Option<Date>,
) -> Result<Timeline, SubsidyError> {
    let n_periods = schedule.installments.len();
    let anchor = loan.start_date.or(as_of);
    let basis = Decimal::from(loan.day_count.basis_days());
    let thirty = Decimal::from(30);
    let three_sixty = Decimal::from(360);
    let odd_first = match (loan.start_date, loan.first_due_date) {
        (Some(start), Some(first_due)) => start.add_months(1) != Some(first_due),
        _ => false,
    };
    let mut rows = Vec::with_capacity(n_periods);
    let mut previous_day = anchor.map_or(0, Date::day_number);
    let start_day = previous_day;
    let mut opening_balance = loan.principal;
    for (period_idx, installment) in schedule.installments.iter().enumerate() {
        let due_date = match (loan.start_date, anchor) {
            (Some(_), _) => installment.due_date,
            (None, Some(as_of)) => {
                let period = u32::try_from(period_idx + 1).unwrap_or(u32::MAX);
                crate::date::monthly_due_date(as_of, None, period)
            }
            (None, None) => None,
        };
        let end_day = match due_date {
            Some(date) => date.day_number(),
            None if anchor.is_some() => return Err(SubsidyError::ScheduleMismatch),
            None => start_day + GRID_DAYS * (period_idx as i64 + 1),
        };
        let days = Decimal::from(end_day - previous_day);
        // The loan's own accrual (schedule §4): only a start date gives actual days; a loan
        // anchored on `asOf` was scheduled on regular 30/360 months.
        let (numerator, denominator) = match (loan.start_date, loan.day_count) {
            (Some(_), DayCount::Thirty360) if period_idx == 0 && odd_first => (days, three_sixty),
            (Some(_), DayCount::Act360 | DayCount::Act365) => (days, basis),
            _ => (thirty, three_sixty),
        };
        let fee = installment_fees
            .get(period_idx)
            .copied()
            .unwrap_or(Decimal::ZERO);
        rows.push(Row {
            due_date,
            payment: installment.payment,
            charge: installment.interest.plus(fee)?,
            opening_balance,
            accrual_numerator: numerator,
            accrual_denominator: denominator,
            accrual_start_day: previous_day,
            end_day,
            year: due_date.map(Date::year),
        });
        opening_balance = opening_balance.minus(installment.principal)?;
        previous_day = end_day;
    }
    if loan.method == Method::Bullet {
        // A bullet accrues over the whole term and settles at maturity.
        let mut whole_numerator = Decimal::ZERO;
        for row in rows.iter_mut() {
            whole_numerator = whole_numerator.plus(row.accrual_numerator)?;
            row.accrual_numerator = Decimal::ZERO;
        }
        if let Some(last) = rows.last_mut() {
            last.accrual_numerator = whole_numerator;
            last.accrual_start_day = start_day;
            last.opening_balance = loan.principal;
        }
    }
    Ok(Timeline {
        rows,
        start_day,
        anchor,
    })
}

/// Days of `span` not inside any of `covered` (half-open day intervals).
pub(super) fn uncovered_days(span: (i64, i64), covered: &[(i64, i64)]) -> i64 {
    let (lo, hi) = span;
    if hi <= lo {
        return 0;
    }
    let mut clipped: Vec<(i64, i64)> = covered
        .iter()
        .map(|&(a, b)| (a.max(lo), b.min(hi)))
        .filter(|(a, b)| a < b)
        .collect();
    crate::sort::sort_by(&mut clipped, |a, b| a.cmp(b));
    let mut covered_days = 0;
    let mut reach = lo;
    for (a, b) in clipped {
        let start = a.max(reach);
        if b > start {
            covered_days += b - start;
            reach = b;
        }
    }
    (hi - lo) - covered_days
}

/// The common part of two half-open day intervals (empty when the start passes the end).
pub(super) fn intersect(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    (a.0.max(b.0), a.1.min(b.1))
}
