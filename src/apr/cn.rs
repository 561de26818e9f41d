//! China: the IRR method (PBoC 2021 No. 3, domain-math §2.1) on regular periods and on dated
//! flows (days), and the daily-rate mapping (`cn-daily`, stated annual = daily × year days).
//!
//! Owns [`CnTerms`] and [`DailyTerms`] (the typed `cn-irr` and `cn-daily` requests), the
//! annualization into the disclosure pair 年化利率(单利) / (复利) with the labels the page must
//! print, and the response shapes. It takes typed values only: the wire form is `wire.rs`'s.
//! The one CN annualized rate of a loan (which of the two counts applies) is
//! `crate::disclosure::cn_annualized`, built on [`cn_irr`] and [`cn_xirr`].

use super::equation::{periodic_irr_for, solve_unit_rate_for, Figures};
use super::fixed::{self, GridFlow};
use super::flows::{dated_flows, term_start, DatedAmount};
use super::ties;
use super::AprError;
use super::{bad_flows, invalid_option, percent, pow, ser_rate12, ser_rate6};
use crate::money::{CheckedOps, Fen};
use rust_decimal::Decimal;
use serde::Serialize;

/// The typed terms of a `cn-irr` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CnTerms {
    /// `advance` at time 0 repaid by `payments[k-1]` at the end of period k.
    Regular {
        /// The amount received at time 0.
        advance: Decimal,
        /// One amount per regular period.
        payments: Vec<Decimal>,
        /// Periods per year (the annualization factor m).
        periods_per_year: u32,
    },
    /// Dated advances and payments, counted in days from the first advance.
    Dated {
        /// The amounts received.
        advances: Vec<DatedAmount>,
        /// The amounts repaid.
        payments: Vec<DatedAmount>,
        /// Days per year of the annualization.
        year_days: YearDays,
    },
}

impl CnTerms {
    /// The China IRR rate of these terms ([`cn_irr`] or [`cn_xirr`]).
    pub fn rate(&self) -> Result<CnRate, AprError> {
        match self {
            CnTerms::Regular {
                advance,
                payments,
                periods_per_year,
            } => cn_irr(*advance, payments, *periods_per_year),
            CnTerms::Dated {
                advances,
                payments,
                year_days,
            } => cn_xirr(advances, payments, *year_days),
        }
    }
}

/// The typed terms of a `cn-daily` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyTerms {
    /// The daily rate fraction (not negative).
    pub daily_rate: Decimal,
    /// Days per year the daily rate is multiplied by.
    pub year_days: YearDays,
    /// The daily rate as the request spelled it, echoed in the response's `dailyRate`.
    pub as_given: String,
}

impl DailyTerms {
    /// The stated annual rate of these terms.
    pub fn rate(&self) -> Result<DailyRate, AprError> {
        daily_rate(self.as_given.clone(), self.daily_rate, self.year_days)
    }
}

/// An annualized rate and how it reads on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CnRate {
    /// The regime: always `cn-irr`.
    pub method: &'static str,
    /// Rate per period (per day for dated flows), 12 decimals.
    #[serde(serialize_with = "ser_rate12")]
    pub periodic_rate: Decimal,
    /// r × m, the disclosed annualized rate (单利), 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// (1 + r)^m − 1, the compound annualized rate (复利), 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub effective_rate: Decimal,
    /// `rate` as a percent with 2 decimals, half-up (`"13.03"`).
    pub percent: String,
    /// `effectiveRate` as a percent with 2 decimals, half-up.
    pub effective_percent: String,
    /// Periods per year used for annualization (days per year for dated flows).
    pub periods_per_year: u32,
    /// The label the page must print beside `percent`.
    pub label: &'static str,
    /// The label the page must print beside `effectivePercent`.
    pub effective_label: &'static str,
}

/// The label of a rate annualized by multiplication (PBoC 2021 No. 3).
pub const SIMPLE_LABEL: &str = "年化利率(单利)";
/// The label of a compound annualized rate.
pub const COMPOUND_LABEL: &str = "年化利率(复利)";

/// The China IRR method on regular periods (§2.1).
pub fn cn_irr(
    advance: Decimal,
    payments: &[Decimal],
    periods_per_year: u32,
) -> Result<CnRate, AprError> {
    if !(1..=365).contains(&periods_per_year) {
        return Err(invalid_option(
            "periodsPerYear",
            "periodsPerYear must be between 1 and 365",
        ));
    }
    if advance <= Decimal::ZERO {
        return Err(bad_flows(
            "advance",
            "the advance must be greater than zero",
        ));
    }
    let periodic_rate = periodic_irr_for(advance, payments, annual_figures(periods_per_year))?;
    let mut out = annualize(periodic_rate, periods_per_year)?;
    // A root on a half-up tie of `rate` or its percent is settled exactly (`ties`).
    if let Some((advance, payments)) = whole_fen(advance, payments) {
        let settled = ties::settle(out.rate, periods_per_year, advance, &payments);
        if settled != out.rate {
            out.rate = settled;
            out.percent = percent(settled, 2);
            // With one period a year (1 + r)^1 − 1 is r × 1: the same figure.
            if periods_per_year == 1 {
                out.effective_rate = settled;
                out.effective_percent = out.percent.clone();
            }
        }
    }
    Ok(out)
}

/// The flows in whole fen (`money::to_fen`: `"100.0000"` is 10,000 fen), or `None` when one
/// is negative, not whole fen (a Rust caller's sub-fen amount: the tie is then left as solved)
/// or past `i64`.
fn whole_fen(advance: Decimal, payments: &[Decimal]) -> Option<(i64, Vec<i64>)> {
    let fen = |amount: Decimal| {
        crate::money::to_fen(amount)
            .and_then(|fen| i64::try_from(fen).ok())
            .filter(|fen| *fen >= 0)
    };
    let mut out = Vec::with_capacity(payments.len());
    for payment in payments {
        out.push(fen(*payment)?);
    }
    Some((fen(advance)?, out))
}

/// The CN disclosure pair's values of a periodic rate: `r × m` (单利) and `(1 + r)^m − 1`
/// (复利), without their texts.
pub fn annualized(
    periodic_rate: Decimal,
    periods_per_year: u32,
) -> Result<(Decimal, Decimal), AprError> {
    let rate = periodic_rate.times(Decimal::from(periods_per_year))?;
    let growth = Decimal::ONE.plus(periodic_rate)?;
    let effective_rate = pow(growth, u64::from(periods_per_year))?.minus(Decimal::ONE)?;
    Ok((rate, effective_rate))
}

/// What the CN disclosure pair writes from a periodic rate with `m` periods a year: `r × m` and
/// `(1 + r)^m − 1` (the solver's fast answers must round each with certainty).
fn annual_figures(m: u32) -> Figures {
    Figures {
        simple: Some(Decimal::from(m)),
        compound: Some(m),
    }
}

/// Turns a periodic rate into the CN disclosure pair.
pub fn annualize(periodic_rate: Decimal, periods_per_year: u32) -> Result<CnRate, AprError> {
    let (rate, effective_rate) = annualized(periodic_rate, periods_per_year)?;
    Ok(CnRate {
        method: "cn-irr",
        periodic_rate,
        rate,
        effective_rate,
        percent: percent(rate, 2),
        effective_percent: percent(effective_rate, 2),
        periods_per_year,
        label: SIMPLE_LABEL,
        effective_label: COMPOUND_LABEL,
    })
}

/// Days in the year used by China XIRR and the daily-rate mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearDays {
    /// 360 days (日利率 = 年利率 ÷ 360, the contract convention).
    D360,
    /// 365 days (act/365).
    D365,
}

impl YearDays {
    /// Parses the wire value (360 or 365).
    pub fn parse(days: u32) -> Option<YearDays> {
        match days {
            360 => Some(YearDays::D360),
            365 => Some(YearDays::D365),
            _ => None,
        }
    }

    /// The number of days.
    pub fn days(self) -> u32 {
        match self {
            YearDays::D360 => 360,
            YearDays::D365 => 365,
        }
    }
}

/// China IRR on dated flows (XIRR on days, §2.1): solves the daily rate `r_d` of
/// `Σ advances (1+r_d)^−days = Σ payments (1+r_d)^−days`, days from the first advance, and
/// annualizes it as the regular method does with m = days per year:
/// `rate = r_d × 365` (单利), `effectiveRate = (1+r_d)^365 − 1` (the classic XIRR figure).
/// `year_days` 360 gives `r_d × 360` and `(1+r_d)^360 − 1`.
pub fn cn_xirr(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    year_days: YearDays,
) -> Result<CnRate, AprError> {
    let start = term_start(advances, payments)?;
    let flows = dated_flows(advances, payments, |date| {
        let days = u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow)?;
        Ok((days, Decimal::ZERO))
    })?;
    let daily = solve_unit_rate_for(&flows, annual_figures(year_days.days()))?;
    annualize(daily, year_days.days())
}

/// [`cn_irr`]'s `rate` (r × m) for flows in whole fen, computed without decimal flows: the
/// usual loan only (`advance` > 0, every payment ≥ 0 and together more than the advance, at
/// most `MAX_FLOWS` payments, amounts within the fixed-point grid, `periods_per_year` in
/// 1..=365). It runs the very computation `cn_irr` runs for those flows
/// (`fixed::regular_rate`), so it answers `Some` only with `cn_irr`'s rate; `None` means
/// "ask `cn_irr`" (an error, another branch, or a root off the grid).
pub fn cn_irr_fen(advance: i64, payments: &[i64], periods_per_year: u32) -> Option<Decimal> {
    if !(1..=365).contains(&periods_per_year) {
        return None;
    }
    let rate = fixed::regular_rate(advance, payments, periods_per_year)?
        .times(Decimal::from(periods_per_year))
        .ok()?;
    // `regular_rate` answers only a rate whose 6 decimals round with certainty, so never a
    // root on a half-up tie: those are `cn_irr`'s, which settles them exactly (`ties`).
    // `cn_irr` also computes (1 + r)^m, which overflows far above r·m = 60 (e^60 < 10^27):
    // such a rate is left to it, so its refusal stays the answer.
    (rate <= Decimal::from(60)).then_some(rate)
}

/// [`cn_xirr`]'s `rate` and its `effectiveRate` as `apr` writes it (6 decimals, half-up: either
/// the decimal power or `fixed::effective_6dp`, which answers only with its rounding) for one
/// advance of `advance` fen on the start day and
/// `payments[i]` fen `days[i]` days after it, computed on the fixed-point grid without
/// decimal flows: the usual loan only (`advance` > 0, every payment ≥ 0, on days ≥ 0 in time
/// order, together more than the advance, at most `MAX_FLOWS` payments, a rate of at most 100 % a
/// day); `None` means "ask `cn_xirr`". The caller guarantees every day is a date the engine
/// covers. It runs the computation `cn_xirr` runs for those flows (the same grid flows in
/// the same stable time order, `fixed::solve_grid` and [`annualized`]).
pub fn cn_xirr_fen(
    advance: i64,
    payments: &[i64],
    days: &[i32],
    year_days: YearDays,
) -> Option<(Decimal, Decimal)> {
    if advance <= 0
        || payments.is_empty()
        || payments.len() > super::MAX_FLOWS
        || payments.len() != days.len()
    {
        return None;
    }
    let mut grid = Vec::with_capacity(payments.len() + 1);
    grid.push(GridFlow::new(Fen::from(advance), 0)?);
    let mut excess = -Fen::from(advance);
    let mut last = 0;
    for (fen, days) in payments.iter().zip(days) {
        // Days in time order only (as `solve_unit_rate` sorts the flows, stably: the advance
        // first among day-0 flows); flows out of order are left to `cn_xirr`.
        let days = u64::try_from(*days).ok().filter(|days| *days >= last)?;
        if *fen < 0 {
            return None;
        }
        excess += Fen::from(*fen);
        last = days;
        grid.push(GridFlow::new(-Fen::from(*fen), days)?);
    }
    // Payments on the start day net against the advance (as `solve_unit_rate` nets flows at one
    // instant): when they cover it no later payment makes a sign change, and `cn_xirr` refuses.
    let same_day: Fen = payments
        .iter()
        .zip(days)
        .filter(|(_, days)| **days == 0)
        .map(|(fen, _)| Fen::from(*fen))
        .sum();
    if excess <= 0 || same_day >= Fen::from(advance) {
        return None;
    }
    // Only a root the grid resolves, and whose figures round with certainty, is `cn_xirr`'s
    // answer; `cn_xirr` decides the others in decimals.
    let m = year_days.days();
    let (v, units) = fixed::solve_grid(&grid)?;
    let units = units?;
    let error = fixed::relative_error(units);
    let daily =
        fixed::small_rate(v).filter(|rate| Figures::annual_rate_certain(*rate, error, m))?;
    // The effective rate on integers when they decide its 6 decimals (the root's error
    // included), else the decimal power when its rounding is certain.
    let effective = u128::try_from(daily.mantissa())
        .ok()
        .zip(20_u32.checked_sub(daily.scale()))
        .and_then(|(mantissa, widen)| {
            fixed::effective_6dp(mantissa.checked_mul(10_u128.pow(widen))?, m, units)
        });
    match effective {
        Some(millionths) => Some((
            daily.times(Decimal::from(m)).ok()?,
            Decimal::new(millionths, 6),
        )),
        None if annual_figures(m).certain(daily, error) => annualized(daily, m).ok(),
        None => None,
    }
}

/// Stated annual rate of a daily-rate product (§2.1): `daily × 360` by default, `× 365`
/// as a parameter (0.0005 → 0.18 or 0.1825).
pub fn stated_annual_from_daily(daily: Decimal, year_days: YearDays) -> Result<Decimal, AprError> {
    Ok(daily.times(Decimal::from(year_days.days()))?)
}

/// The daily-rate mapping as a response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyRate {
    /// Always `cn-daily`.
    pub method: &'static str,
    /// The daily rate given.
    pub daily_rate: String,
    /// 360 or 365.
    pub year_days: u32,
    /// daily × yearDays, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 2 decimals, half-up.
    pub percent: String,
    /// The label the page prints (the mapping is by multiplication).
    pub label: &'static str,
}

impl DailyRate {
    /// The one constructor of [`DailyRate`]: `as_given` is the daily rate as the response
    /// spells it, `annual` its stated annual rate over `year_days` (from
    /// [`stated_annual_from_daily`]); used by the `apr` and `disclose` operations and by the
    /// engine for daily-priced rows (whose annual rate the catalog computed at compile).
    pub fn new(as_given: String, year_days: YearDays, annual: Decimal) -> DailyRate {
        DailyRate {
            method: "cn-daily",
            daily_rate: as_given,
            year_days: year_days.days(),
            rate: annual,
            percent: percent(annual, 2),
            label: SIMPLE_LABEL,
        }
    }
}

/// The daily-rate mapping of `daily` (spelled `as_given` in the response) over `year_days`.
pub fn daily_rate(
    as_given: String,
    daily: Decimal,
    year_days: YearDays,
) -> Result<DailyRate, AprError> {
    let rate = stated_annual_from_daily(daily, year_days)?;
    Ok(DailyRate::new(as_given, year_days, rate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{fmt_dp, Rounding};

    /// The integer effective rate answers nearly always and then with exactly the 6 decimals
    /// of the decimal power (`annualized`), over daily, monthly and weekly rates of every size
    /// it takes.
    #[test]
    fn integer_effective_rate_rounds_as_the_decimal_power() {
        let mut next = crate::schedule::test_cases(0xeff_ec71);
        let (mut answered, mut cases, mut long_answered) = (0, 0, 0);
        for case in 0..40_000_u64 {
            let m = [360, 365, 12, 52, 1][(case % 5) as usize];
            // Up to r·m ≈ 4.4, past the integer path's bound; 1 to 20 decimals.
            let limit = 44 * 10_u64.pow(17) / u64::from(m);
            let rate = Decimal::new(i64::try_from(next(limit) + 1).unwrap_or(1), 18)
                .round_dp(1 + (case % 18) as u32);
            let widen = 10_u128.pow(20 - rate.scale());
            let fast = fixed::effective_6dp(rate.mantissa() as u128 * widen, m, 0);
            let (_, effective) = annualized(rate, m).unwrap();
            if let Some(millionths) = fast {
                assert_eq!(
                    fmt_dp(Decimal::new(millionths, 6), 6, Rounding::HalfUp),
                    fmt_dp(effective, 6, Rounding::HalfUp),
                    "{rate} over {m}"
                );
                answered += 1;
            }
            // Short rates can make exact half-millionths (0.1234565 over one period): declined
            // rightly. A solved rate has 20 decimals; count those of 12 and more.
            if rate * Decimal::from(m) <= Decimal::from(4) && rate.scale() >= 12 {
                cases += 1;
                long_answered += usize::from(fast.is_some());
            }
        }
        assert!(
            long_answered * 1000 >= cases * 999,
            "{long_answered} of {cases}"
        );
        assert!(answered > 30_000, "{answered}");
    }
}
