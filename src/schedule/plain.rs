//! The plain loan's rows in one pass on `u64` fen: no fees, no dates, 30/360, half-up.
//!
//! Owns [`plain_rows`], the rows [`super::build_fen`] gives a loan with only a principal, a
//! rate, a term and a method (what the wasm fen doors are asked for), without that path's
//! stages: no decimal validation, timeline, fee stage or row buffer. Every regular 30/360 month
//! accrues `balance × rate / 12`, rounded half-up once, as [`super::accrual`] rounds
//! `balance × rate × 30 / 360`; the level payment is [`super::level`]'s integer one. It declines
//! (`None`) whatever would need more (a level payment that integer computation cannot prove,
//! a product beyond 64 bits, negative amortization, terms `build_fen` refuses), and the caller
//! then runs `build_fen`, which defines the figures; tests/schedule_plain.rs pins the two
//! together.

use super::level::level_payment_fast;
use super::{Method, MAX_TERM_MONTHS};
use crate::money::Rounding;

/// [`crate::money::MAX_AMOUNT`] (one trillion yuan) in fen.
const MAX_AMOUNT_FEN: u64 = 100_000_000_000_000;

/// The terms of a plain loan (the defaults of every other term), as integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlainLoan {
    /// Principal in whole fen.
    pub principal_fen: u64,
    /// The annual rate is `rate_units / 10^rate_scale` (`0.0425` is `425, 4`).
    pub rate_units: u64,
    /// See `rate_units`.
    pub rate_scale: u32,
    /// Number of monthly periods.
    pub term_months: u32,
    /// Amortization method.
    pub method: Method,
}

/// `round(numerator / divisor)`, ties up (`divisor` > 0, below 2^63).
#[inline(always)]
fn half_up(numerator: u64, divisor: u64) -> u64 {
    let quotient = numerator / divisor;
    quotient + u64::from(2 * (numerator - quotient * divisor) >= divisor)
}

/// Bits of `value` (0 for zero).
fn bits(value: u64) -> u32 {
    u64::BITS - value.leading_zeros()
}

/// The rows of a plain loan in whole fen, `[payment, principal, interest, fee, closing
/// balance]` each, handed to `emit` in period order: [`super::build_fen`]'s rows for
/// `Loan { principal: principal_fen / 100, annual_rate: rate_units / 10^rate_scale, .. }` with
/// no fees, dates or fee rate, 30/360 and half-up.
///
/// `None` (possibly after emitting some rows, which the caller drops) when the terms are not
/// plain and accepted (a zero principal or one above [`crate::money::MAX_AMOUNT`], a term
/// outside 1–600, a rate above 1000 or written with more than 12 decimals, `flat-fee`) or the
/// figures need `build_fen` (a level payment its integer computation does not prove, products
/// beyond 64 bits, negative amortization): `build_fen` then answers, or refuses.
pub fn plain_rows(loan: PlainLoan, mut emit: impl FnMut([u64; 5])) -> Option<()> {
    let PlainLoan {
        principal_fen: principal,
        rate_units,
        rate_scale,
        term_months,
        method,
    } = loan;
    if rate_scale > 12 || !(1..=MAX_TERM_MONTHS).contains(&term_months) {
        return None;
    }
    let scale_factor = 10_u64.pow(rate_scale);
    // One regular month's rate is rate_units / (12 × 10^scale); every balance is at most the
    // principal, so `balance × rate_units` fits when `principal × rate_units` does.
    let divisor = 12 * scale_factor;
    if principal == 0
        || principal > MAX_AMOUNT_FEN
        || rate_units > 1000 * scale_factor
        || bits(principal) + bits(rate_units) > 64
    {
        return None;
    }
    let n_periods = u64::from(term_months);
    // What each period but the last repays at most (等额本息: the level payment, less the
    // interest), and the bullet's interest over the whole term.
    let (level, term_interest) = match method {
        Method::EqualInstallment if rate_units > 0 => {
            let rate = (i128::from(rate_units), rate_scale);
            let level =
                level_payment_fast(i128::from(principal), rate, term_months, Rounding::HalfUp)?;
            (u64::try_from(level).ok()?, 0)
        }
        // `round(P / n)` on fen is the decimal `round(P ÷ n)` the level amounts take: the
        // quotient has at most 13 integer digits, so `Decimal` holds 15 more, and a remainder
        // `r / n` is a tie or at least `1 / 2n` fen away from one.
        Method::EqualInstallment | Method::EqualPrincipal => (half_up(principal, n_periods), 0),
        Method::InterestOnly => (0, 0),
        // One accrual over the whole term: 30n days on 360.
        Method::Bullet if bits(principal) + bits(rate_units) + bits(n_periods) <= 64 => {
            (0, half_up(principal * rate_units * n_periods, divisor))
        }
        Method::Bullet | Method::FlatFee => return None,
    };
    let mut balance = principal;
    for period_idx in 0..n_periods {
        let last = period_idx + 1 == n_periods;
        let interest = match method {
            Method::Bullet if last => term_interest,
            Method::Bullet => 0,
            _ => half_up(balance * rate_units, divisor),
        };
        let principal = if last {
            balance
        } else if method == Method::EqualInstallment && rate_units > 0 {
            level.checked_sub(interest)?.min(balance)
        } else {
            level.min(balance)
        };
        balance -= principal;
        emit([principal + interest, principal, interest, 0, balance]);
    }
    Some(())
}
