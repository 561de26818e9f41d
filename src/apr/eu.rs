//! The EU APRC: Consumer Credit Directive 2008/48/EC, Annex I (domain-math §2.3).
//!
//! Owns [`EuTerms`] (the typed `eu-aprc` request), the EU clock ([`TimeBasis`]: actual days or
//! equal months, both as whole units of a year) and the compounding of the unit rate into the
//! effective annual rate X. It takes typed values only: the wire form is `wire.rs`'s.

use super::equation::{solve_unit_rate_for, Figures, TimedFlow};
use super::flows::{dated_flows, months_back, term_start, DatedAmount};
use super::{percent, pow, ser_rate6, AprError};
use crate::date::Date;
use crate::money::CheckedOps;
use rust_decimal::Decimal;
use serde::Serialize;

/// The typed terms of an `eu-aprc` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EuTerms {
    /// The drawdowns.
    pub advances: Vec<DatedAmount>,
    /// The repayments.
    pub payments: Vec<DatedAmount>,
    /// How time is counted.
    pub basis: TimeBasis,
}

impl EuTerms {
    /// The APRC of these terms ([`eu_aprc`]).
    pub fn rate(&self) -> Result<EuRate, AprError> {
        eu_aprc(&self.advances, &self.payments, self.basis)
    }
}

/// How EU time is measured from the first drawdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeBasis {
    /// Days ÷ 365 (the default).
    #[default]
    Actual,
    /// Whole months counted back ÷ 12, leftover days ÷ 365.
    EqualMonths,
}

impl TimeBasis {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<TimeBasis> {
        match name {
            "actual" => Some(TimeBasis::Actual),
            "equal-months" => Some(TimeBasis::EqualMonths),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeBasis::Actual => "actual",
            TimeBasis::EqualMonths => "equal-months",
        }
    }
}

/// An EU APRC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EuRate {
    /// Always `eu-aprc`.
    pub method: &'static str,
    /// The effective annual rate X, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// Percent, 1 decimal, half-up.
    pub percent: String,
    /// `actual` or `equal-months`.
    pub time_basis: &'static str,
}

/// Time units per year of the EU equation: days for `actual`, 1/4380 year for equal months
/// (t = m/12 + d/365 = (365·m + 12·d)/4380 is then a whole number of units).
fn eu_units_per_year(basis: TimeBasis) -> u64 {
    match basis {
        TimeBasis::Actual => 365,
        TimeBasis::EqualMonths => 4380,
    }
}

/// EU APRC of dated drawdowns and repayments (§2.3), solved as a rate per time unit and
/// compounded: `X = (1+i)^units_per_year − 1`.
pub fn eu_aprc_timed(flows: &[TimedFlow], basis: TimeBasis) -> Result<EuRate, AprError> {
    let units = eu_units_per_year(basis);
    let figures = Figures {
        simple: None,
        compound: u32::try_from(units).ok(),
    };
    let unit_rate = solve_unit_rate_for(flows, figures)?;
    let growth = Decimal::ONE.plus(unit_rate)?;
    let rate = pow(growth, units)?.minus(Decimal::ONE)?;
    Ok(EuRate {
        method: "eu-aprc",
        rate,
        percent: percent(rate, 1),
        time_basis: basis.as_str(),
    })
}

/// EU time of `date` from `start` in EU time units (days for `actual`, 1/4380 year for `equal-months`).
pub fn eu_time(start: Date, date: Date, basis: TimeBasis) -> Result<u64, AprError> {
    match basis {
        TimeBasis::Actual => u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow),
        TimeBasis::EqualMonths => {
            let (months, days) = months_back(start, date)?;
            months
                .checked_mul(365)
                .and_then(|m| days.checked_mul(12).and_then(|d| m.checked_add(d)))
                .ok_or(AprError::Overflow)
        }
    }
}

/// EU APRC of dated drawdowns and repayments (§2.3).
pub fn eu_aprc(
    advances: &[DatedAmount],
    payments: &[DatedAmount],
    basis: TimeBasis,
) -> Result<EuRate, AprError> {
    let start = term_start(advances, payments)?;
    let flows = dated_flows(advances, payments, |date| {
        Ok((eu_time(start, date, basis)?, Decimal::ZERO))
    })?;
    eu_aprc_timed(&flows, basis)
}
