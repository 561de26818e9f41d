//! US Regulation Z: the Appendix J actuarial APR (12 CFR 1026, domain-math §2.2).
//!
//! Owns [`RegZTerms`] (the typed `us-regz` request), [`UnitPeriod`], the Appendix J clock
//! ([`regz_time`]: whole unit periods plus a simple-interest fraction), the single-advance
//! single-payment term rule, the regular-transaction test and the §1026.22 tolerances.
//! It takes typed values only: the wire form is `wire.rs`'s.

use super::equation::{solve_unit_rate_for, Figures, TimedFlow};
use super::flows::{dated_flows, months_back, term_start, DatedAmount};
use super::{invalid_option, percent, ser_rate12, ser_rate6, AprError};
use crate::date::Date;
use crate::money::CheckedOps;
use rust_decimal::Decimal;
use serde::Serialize;

/// The typed terms of a `us-regz` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegZTerms {
    /// The amounts received.
    pub advances: Vec<DatedAmount>,
    /// The amounts repaid.
    pub payments: Vec<DatedAmount>,
    /// The unit period.
    pub unit: UnitPeriod,
    /// k of a k-month or k-week unit period (1 otherwise).
    pub unit_multiple: u32,
}

impl RegZTerms {
    /// The Appendix J APR of these terms ([`reg_z`]).
    pub fn rate(&self) -> Result<RegZRate, AprError> {
        reg_z(
            &self.advances,
            &self.payments,
            self.unit,
            self.unit_multiple,
        )
    }
}

/// The Appendix J unit period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPeriod {
    /// k months (k = `unitMultiple`); 12/k per year.
    Month,
    /// Half a month; 24 per year.
    Semimonth,
    /// k weeks; 52/k per year.
    Week,
    /// One day; 365 per year.
    Day,
}

impl UnitPeriod {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<UnitPeriod> {
        Some(match name {
            "month" => UnitPeriod::Month,
            "semimonth" => UnitPeriod::Semimonth,
            "week" => UnitPeriod::Week,
            "day" => UnitPeriod::Day,
            _ => return None,
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitPeriod::Month => "month",
            UnitPeriod::Semimonth => "semimonth",
            UnitPeriod::Week => "week",
            UnitPeriod::Day => "day",
        }
    }
}

/// Appendix J time from `start` to `date` in unit periods: `(t, f)`, per §1026 Appendix J
/// (b)(5):
///
/// - (ii) month: whole months counted back from `date`, leftover days ÷ 30;
/// - (iii) semimonth or k months (k ≤ 11): (30 × whole months + leftover days) ÷ 15 or ÷ 30k;
/// - (iv) day, week or k weeks: actual days ÷ 1, 7 or 7k;
/// - (v) year (a 12-month unit period): whole years (12 months each) counted back from
///   `date`; the rest is whole months ÷ 12 when it is a whole number of months, otherwise its
///   actual days ÷ 365 (the day is 1/365 of a year, (b)(5)(vi)).
///
/// `t` is the whole part, `f` the remainder as a fraction.
pub fn regz_time(
    start: Date,
    date: Date,
    unit: UnitPeriod,
    multiple: u32,
) -> Result<(u64, Decimal), AprError> {
    if unit == UnitPeriod::Month && multiple == 12 {
        return regz_years(start, date);
    }
    let (count, per_unit) = match unit {
        UnitPeriod::Month | UnitPeriod::Semimonth => {
            let (months, days) = months_back(start, date)?;
            let count = months
                .checked_mul(30)
                .and_then(|m| m.checked_add(days))
                .ok_or(AprError::Overflow)?;
            let per_unit = if unit == UnitPeriod::Month {
                30 * u64::from(multiple)
            } else {
                15
            };
            (count, per_unit)
        }
        UnitPeriod::Week | UnitPeriod::Day => {
            let days = u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow)?;
            let per_unit = if unit == UnitPeriod::Week {
                7 * u64::from(multiple)
            } else {
                1
            };
            (days, per_unit)
        }
    };
    if per_unit == 0 {
        return Err(invalid_option(
            "unitMultiple",
            "unitMultiple must be at least 1",
        ));
    }
    let whole = count / per_unit;
    let remainder = count % per_unit;
    let fraction = Decimal::from(remainder).over(Decimal::from(per_unit))?;
    Ok((whole, fraction))
}

/// Appendix J (b)(5)(v): whole years back from `date`, then whole months ÷ 12 or days ÷ 365.
fn regz_years(start: Date, date: Date) -> Result<(u64, Decimal), AprError> {
    let (months, _) = months_back(start, date)?;
    let years = months / 12;
    let back = i64::try_from(years.checked_mul(12).ok_or(AprError::Overflow)?)
        .map_err(|_| AprError::Overflow)?;
    let boundary = date
        .add_months_anchored(-back, date.day())
        .ok_or(AprError::Overflow)?;
    let (rest_months, rest_days) = months_back(start, boundary)?;
    let fraction = if rest_days == 0 {
        Decimal::from(rest_months).over(Decimal::from(12))?
    } else {
        let days = u64::try_from(start.days_until(boundary)).map_err(|_| AprError::Overflow)?;
        Decimal::from(days).over(Decimal::from(365))?
    };
    Ok((years, fraction))
}

/// A Regulation Z APR and how it was counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegZRate {
    /// Always `us-regz`.
    pub method: &'static str,
    /// Unit-period rate × unit periods per year, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 2 decimals, half-up.
    pub percent: String,
    /// The unit-period rate, 12 decimals.
    #[serde(serialize_with = "ser_rate12")]
    pub unit_period_rate: Decimal,
    /// `month`, `semimonth`, `week`, `day`, or `term` (single advance, single payment under
    /// a year: the term is the unit period).
    pub unit_period: &'static str,
    /// k of a k-month or k-week unit period.
    pub unit_multiple: u32,
    /// Unit periods per year, 6 decimals (`12`, `24`, `52`, `365`, `12/k`, `365/days`).
    #[serde(serialize_with = "ser_rate6")]
    pub unit_periods_per_year: Decimal,
    /// Whether the transaction is regular (§1026.22(a)(2)): one advance, payments one unit
    /// period apart (the first period may be odd), equal amounts except the first and last.
    pub regular: bool,
    /// The disclosure tolerance that applies: 0.00125 regular, 0.0025 irregular.
    #[serde(serialize_with = "ser_rate6")]
    pub tolerance: Decimal,
}

/// Regulation Z tolerance (§1026.22(a)(2)–(3)): ±1/8 point regular, ±1/4 point irregular.
pub fn regz_tolerance(regular: bool) -> Decimal {
    if regular {
        Decimal::new(125, 5)
    } else {
        Decimal::new(25, 4)
    }
}

/// Whether a disclosed APR is accurate: within the tolerance of the computed APR.
pub fn regz_within_tolerance(disclosed: Decimal, computed: Decimal, regular: bool) -> bool {
    disclosed
        .minus(computed)
        .is_ok_and(|gap| gap.abs() <= regz_tolerance(regular))
}

/// Regulation Z Appendix J actuarial APR of dated advances and payments (§2.2).
pub fn reg_z(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    unit: UnitPeriod,
    unit_multiple: u32,
) -> Result<RegZRate, AprError> {
    if unit_multiple == 0 || unit_multiple > 12 {
        return Err(invalid_option(
            "unitMultiple",
            "unitMultiple must be between 1 and 12",
        ));
    }
    if unit_multiple != 1 && matches!(unit, UnitPeriod::Semimonth | UnitPeriod::Day) {
        return Err(invalid_option(
            "unitMultiple",
            "only month and week unit periods take a multiple",
        ));
    }
    let start = term_start(advances, payments)?;
    let multiple = Decimal::from(unit_multiple);
    // Single advance, single payment, term under a year: the term is the one unit period.
    // "Under a year" includes a term of exactly 12 months (the unit period may not exceed
    // a year, and a one-year term is one unit period of one year).
    if let ([advance], [payment]) = (advances, payments) {
        let days = advance.date.days_until(payment.date);
        let (months, leftover) = months_back(advance.date, payment.date)?;
        let whole_months = leftover == 0 && (1..=12).contains(&months);
        if days > 0 && (whole_months || (months < 12 && days <= 365)) {
            let per_year = if whole_months {
                Decimal::from(12).over(Decimal::from(months))?
            } else {
                Decimal::from(365).over(Decimal::from(days))?
            };
            let flows = [
                TimedFlow {
                    amount: advance.amount,
                    periods: 0,
                    fraction: Decimal::ZERO,
                },
                TimedFlow {
                    amount: -payment.amount,
                    periods: 1,
                    fraction: Decimal::ZERO,
                },
            ];
            let unit_rate = solve_unit_rate_for(&flows, simple_figures(per_year))?;
            // i × 12 / months (or × 365 / days) with a single division.
            let rate = if whole_months {
                unit_rate
                    .times(Decimal::from(12))?
                    .over(Decimal::from(months))?
            } else {
                unit_rate
                    .times(Decimal::from(365))?
                    .over(Decimal::from(days))?
            };
            return Ok(RegZRate {
                method: "us-regz",
                rate,
                percent: percent(rate, 2),
                unit_period_rate: unit_rate,
                unit_period: "term",
                unit_multiple: 1,
                unit_periods_per_year: per_year,
                regular: true,
                tolerance: regz_tolerance(true),
            });
        }
    }
    let flows = dated_flows(advances, payments, |date| {
        regz_time(start, date, unit, unit_multiple)
    })?;
    let per_year = match unit {
        UnitPeriod::Month => Decimal::from(12).over(multiple)?,
        UnitPeriod::Semimonth => Decimal::from(24),
        UnitPeriod::Week => Decimal::from(52).over(multiple)?,
        UnitPeriod::Day => Decimal::from(365),
    };
    let unit_rate = solve_unit_rate_for(&flows, simple_figures(per_year))?;
    let rate = match unit {
        UnitPeriod::Month => unit_rate.times(Decimal::from(12))?.over(multiple)?,
        UnitPeriod::Week => unit_rate.times(Decimal::from(52))?.over(multiple)?,
        UnitPeriod::Semimonth | UnitPeriod::Day => unit_rate.times(per_year)?,
    };
    let regular = regz_is_regular(advances, payments, unit, unit_multiple)?;
    Ok(RegZRate {
        method: "us-regz",
        rate,
        percent: percent(rate, 2),
        unit_period_rate: unit_rate,
        unit_period: unit.as_str(),
        unit_multiple,
        unit_periods_per_year: per_year,
        regular,
        tolerance: regz_tolerance(regular),
    })
}

/// One advance; every payment after the first exactly one unit period after the previous;
/// every payment amount equal except possibly the first and the last.
fn regz_is_regular(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    unit: UnitPeriod,
    unit_multiple: u32,
) -> Result<bool, AprError> {
    if advances.len() != 1 {
        return Ok(false);
    }
    let mut sorted = payments.to_vec();
    crate::sort::sort_by_key(&mut sorted, |p| p.date);
    for pair in sorted.windows(2) {
        if let [previous, next] = pair {
            if regz_time(previous.date, next.date, unit, unit_multiple)? != (1, Decimal::ZERO) {
                return Ok(false);
            }
        }
    }
    if sorted.len() > 3 {
        let middle = &sorted[1..sorted.len() - 1];
        if middle.iter().any(|p| p.amount != middle[0].amount) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What Reg Z writes from a unit-period rate: `unitPeriodRate` (12 decimals) and the APR
/// `r × per_year` (6 decimals, percent 2); the solver's fast answers must round both with certainty.
fn simple_figures(per_year: Decimal) -> Figures {
    Figures {
        simple: Some(per_year),
        compound: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn regz_fractions() {
        let (t, f) = regz_time(d("1978-05-23"), d("1978-10-01"), UnitPeriod::Month, 3).unwrap();
        assert_eq!((t, f), (1, Decimal::from(39) / Decimal::from(90)));
        let (t, f) = regz_time(d("1978-02-23"), d("1978-03-16"), UnitPeriod::Semimonth, 1).unwrap();
        assert_eq!((t, f), (1, Decimal::from(6) / Decimal::from(15)));
    }
}
