//! The `apr` response's JSON text written by hand.
//!
//! Owns [`AprResponse::to_json`] and the writers of each regime's rate (also used inside the
//! `disclose` response): the compact text `serde_json::to_string` gives for the same value,
//! byte for byte (same keys in the same order, rates as the quoted fixed-decimal strings of
//! `ser_rate6` / `ser_rate12`), so the calculator module carries no serde serializer. It must
//! not compute any figure.

use super::{AprResponse, CnRate, DailyRate, EuRate, RegZRate, RATE_DP};
use crate::json::write::{into_text, push_bool, push_field, push_uint};
use crate::money::{push_dp, Rounding};
use rust_decimal::Decimal;

/// Appends `key` and then `value` as a quoted string of `dp` decimals, half-up (the wire form
/// of every rate: `ser_rate6` with `dp` = 6, `ser_rate12` with 12).
pub(crate) fn push_rate(out: &mut Vec<u8>, key: &[u8], value: Decimal, dp: u32) {
    out.extend_from_slice(key);
    out.push(b'"');
    push_dp(out, value, dp, Rounding::HalfUp);
    out.push(b'"');
}

impl AprResponse {
    /// The compact JSON text of this response, byte for byte what `serde_json::to_string`
    /// gives for it (the regime's rate object, untagged). Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(320);
        match self {
            AprResponse::Cn(rate) => rate.push_json(&mut out),
            AprResponse::Daily(rate) => rate.push_json(&mut out),
            AprResponse::Us(rate) => rate.push_json(&mut out),
            AprResponse::Eu(rate) => rate.push_json(&mut out),
        }
        into_text(out)
    }
}

impl CnRate {
    /// Appends this rate as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"method\":", self.method);
        push_rate(out, b",\"periodicRate\":", self.periodic_rate, 12);
        push_rate(out, b",\"rate\":", self.rate, RATE_DP);
        push_rate(out, b",\"effectiveRate\":", self.effective_rate, RATE_DP);
        push_field(out, b",\"percent\":", &self.percent);
        push_field(out, b",\"effectivePercent\":", &self.effective_percent);
        push_uint(out, b",\"periodsPerYear\":", self.periods_per_year);
        push_field(out, b",\"label\":", self.label);
        push_field(out, b",\"effectiveLabel\":", self.effective_label);
        out.push(b'}');
    }
}

impl DailyRate {
    /// Appends this mapping as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"method\":", self.method);
        push_field(out, b",\"dailyRate\":", &self.daily_rate);
        push_uint(out, b",\"yearDays\":", self.year_days);
        push_rate(out, b",\"rate\":", self.rate, RATE_DP);
        push_field(out, b",\"percent\":", &self.percent);
        push_field(out, b",\"label\":", self.label);
        out.push(b'}');
    }
}

impl RegZRate {
    /// Appends this APR as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"method\":", self.method);
        push_rate(out, b",\"rate\":", self.rate, RATE_DP);
        push_field(out, b",\"percent\":", &self.percent);
        push_rate(out, b",\"unitPeriodRate\":", self.unit_period_rate, 12);
        push_field(out, b",\"unitPeriod\":", self.unit_period);
        push_uint(out, b",\"unitMultiple\":", self.unit_multiple);
        push_rate(
            out,
            b",\"unitPeriodsPerYear\":",
            self.unit_periods_per_year,
            RATE_DP,
        );
        push_bool(out, b",\"regular\":", self.regular);
        push_rate(out, b",\"tolerance\":", self.tolerance, RATE_DP);
        out.push(b'}');
    }
}

impl EuRate {
    /// Appends this APRC as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"method\":", self.method);
        push_rate(out, b",\"rate\":", self.rate, RATE_DP);
        push_field(out, b",\"percent\":", &self.percent);
        push_field(out, b",\"timeBasis\":", self.time_basis);
        out.push(b'}');
    }
}
