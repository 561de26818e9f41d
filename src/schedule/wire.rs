//! The wire form of schedule requests: serde shapes, decimal strings, wire names, JSON paths.
//!
//! Owns [`ScheduleRequest`] and [`FeeRequest`] (camelCase, decimals as strings, objects only),
//! their conversion into typed [`Loan`] terms with the JSON path of the first problem, the one
//! mapping of decimal issues to schedule errors ([`decimal_error`]), the parsing of the wire names
//! of [`Method`], [`DayCount`], [`FeeKind`] and [`FeeTiming`], and `FeeKind`'s `Deserialize`.
//! It is the only part of the schedule that parses a string; it must not compute a schedule.

use super::{DayCount, Fee, FeeAmount, FeeKind, FeeTiming, Loan, Method, ScheduleError};
use crate::date::Date;
use crate::error::ApiError;
use crate::json::tree::{self, Node, Path};
use crate::money::{parse_amount, parse_rate, DecimalIssue, Rounding};
use rust_decimal::Decimal;
#[cfg(feature = "full")]
use serde::Deserialize;
use serde::Serialize;

/// The wire form of a schedule request (camelCase, decimal strings).
///
/// Read by [`ScheduleRequest::from_json`] (every door's `schedule` and `disclose`); the full
/// build also derives `Deserialize` for the requests that nest it (subsidy, studio).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "full", derive(Deserialize))]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleRequest {
    /// Principal, e.g. `"10000.00"`.
    pub principal: String,
    /// Annual rate fraction, e.g. `"0.072"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_rate: Option<String>,
    /// Term in months.
    pub term_months: i64,
    /// Method name.
    pub method: String,
    /// Flat-fee rate per period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_rate: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`; its day anchors every due date (else the start date's day), clamped to
    /// each month's end like spreadsheet EDATE.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_due_date: Option<String>,
    /// `30/360`, `act/360` or `act/365`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_count: Option<String>,
    /// `half-up`, `half-even` or `down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<String>,
    /// Fees beyond interest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<FeeRequest>,
}

/// The wire form of one fee.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "full", derive(Deserialize))]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeRequest {
    /// `service`, `guarantee`, `insurance`, `membership`, `installment` or `other`.
    pub kind: String,
    /// `upfront-deducted`, `upfront-paid` or `per-period`.
    pub timing: String,
    /// Fixed amount (exclusive with `rate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
    /// Fraction of the original principal (exclusive with `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
}

/// The schedule error of a malformed, over-precise or out-of-range decimal at `path`: the one
/// mapping every door uses for request amounts (`malformed-decimal`, `over-precise-amount`,
/// `out-of-range`).
pub fn decimal_error(issue: DecimalIssue, path: &str) -> ScheduleError {
    let path = path.to_owned();
    match issue {
        DecimalIssue::Malformed => ScheduleError::MalformedDecimal { path },
        DecimalIssue::OverPrecise { max_dp } => ScheduleError::OverPrecise { path, max_dp },
        DecimalIssue::OutOfRange => ScheduleError::OutOfRange { path },
    }
}

fn amount_field(text: &str, path: &str) -> Result<Decimal, ScheduleError> {
    parse_amount(text).map_err(|issue| decimal_error(issue, path))
}

fn rate_field(text: &str, path: &str) -> Result<Decimal, ScheduleError> {
    let rate = parse_rate(text).map_err(|issue| decimal_error(issue, path))?;
    if rate.is_sign_negative() && !rate.is_zero() {
        return Err(ScheduleError::NegativeRate {
            path: path.to_owned(),
        });
    }
    Ok(rate)
}

fn date_field(text: &str, path: &str) -> Result<Date, ScheduleError> {
    Date::parse(text).ok_or_else(|| ScheduleError::InvalidDate {
        path: path.to_owned(),
    })
}

/// The wire names of [`ScheduleRequest`]'s fields, in declaration order.
const SCHEDULE_FIELDS: &[&str] = &[
    "principal",
    "annualRate",
    "termMonths",
    "method",
    "feeRate",
    "startDate",
    "firstDueDate",
    "dayCount",
    "rounding",
    "fees",
];

/// The wire names of [`FeeRequest`]'s fields, in declaration order.
const FEE_FIELDS: &[&str] = &["kind", "timing", "amount", "rate"];

impl ScheduleRequest {
    /// Reads a request from JSON bytes through the request gate ([`tree::read_request`]).
    ///
    /// Errors (codes): `malformed-json`, `duplicate-key`, `out-of-range` (from the gate);
    /// `invalid-request` (a wrong type, with serde's wording), `missing-field` (`principal`,
    /// `termMonths`, `method`, at the object's path), `unknown-field`; each with its JSON path.
    pub fn from_json(bytes: &[u8]) -> Result<ScheduleRequest, ApiError> {
        tree::read_request(bytes, ScheduleRequest::from_node)
    }

    /// Reads a request from its JSON tree at `path` (a nested `schedule` reads at its own path).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<ScheduleRequest, ApiError> {
        let mut out = ScheduleRequest::default();
        let (mut principal, mut term_months, mut method) = (None, None, None);
        tree::object(node, path, SCHEDULE_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => principal = Some(tree::string(value, at)?),
                1 => out.annual_rate = text(value)?,
                2 => term_months = Some(tree::int64(value, at)?),
                3 => method = Some(tree::string(value, at)?),
                4 => out.fee_rate = text(value)?,
                5 => out.start_date = text(value)?,
                6 => out.first_due_date = text(value)?,
                7 => out.day_count = text(value)?,
                8 => out.rounding = text(value)?,
                _ => out.fees = tree::array(value, at, FeeRequest::from_node)?,
            }
            Ok(())
        })?;
        out.principal = tree::required(principal, "principal", path)?;
        out.term_months = tree::required(term_months, "termMonths", path)?;
        out.method = tree::required(method, "method", path)?;
        Ok(out)
    }

    /// Validates the wire request into loan terms; the first problem found is returned with
    /// its JSON path (fields are checked in declaration order).
    pub fn to_loan(&self) -> Result<Loan, ScheduleError> {
        let principal = amount_field(&self.principal, "principal")?;
        let method = Method::parse(&self.method).ok_or_else(|| ScheduleError::UnknownMethod {
            name: self.method.clone(),
        })?;
        let annual_rate = match &self.annual_rate {
            Some(text) => rate_field(text, "annualRate")?,
            None if method == Method::FlatFee => Decimal::ZERO,
            None => {
                return Err(ScheduleError::Inconsistent {
                    path: "annualRate".into(),
                    reason: crate::error::concat(&["required for ", method.as_str()]),
                })
            }
        };
        let fee_rate = match (&self.fee_rate, method) {
            (Some(text), Method::FlatFee) => rate_field(text, "feeRate")?,
            (None, Method::FlatFee) => {
                return Err(ScheduleError::Inconsistent {
                    path: "feeRate".into(),
                    reason: "required for flat-fee".into(),
                })
            }
            (Some(_), _) => {
                return Err(ScheduleError::Inconsistent {
                    path: "feeRate".into(),
                    reason: "only flat-fee installments take feeRate; use fees".into(),
                })
            }
            (None, _) => Decimal::ZERO,
        };
        let (day_count, rounding) =
            read_conventions(self.day_count.as_deref(), self.rounding.as_deref())?;
        let start_date = self
            .start_date
            .as_deref()
            .map(|t| date_field(t, "startDate"))
            .transpose()?;
        let first_due_date = self
            .first_due_date
            .as_deref()
            .map(|t| date_field(t, "firstDueDate"))
            .transpose()?;
        let mut fees = Vec::with_capacity(self.fees.len());
        for (idx, fee) in self.fees.iter().enumerate() {
            fees.push(fee.to_fee(idx)?);
        }
        let term_months =
            u32::try_from(self.term_months).map_err(|_| ScheduleError::InvalidTerm {
                term: self.term_months,
            })?;
        let loan = Loan {
            principal,
            annual_rate,
            term_months,
            method,
            fee_rate,
            start_date,
            first_due_date,
            day_count,
            rounding,
            fees,
        };
        loan.validate()?;
        Ok(loan)
    }
}

impl FeeRequest {
    /// Reads one fee from its JSON tree (`kind` and `timing` required).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<FeeRequest, ApiError> {
        let mut out = FeeRequest::default();
        let (mut kind, mut timing) = (None, None);
        tree::object(node, path, FEE_FIELDS, &mut |field, value, at| {
            match field {
                0 => kind = Some(tree::string(value, at)?),
                1 => timing = Some(tree::string(value, at)?),
                2 => out.amount = tree::optional(value, at, tree::string)?,
                _ => out.rate = tree::optional(value, at, tree::string)?,
            }
            Ok(())
        })?;
        out.kind = tree::required(kind, "kind", path)?;
        out.timing = tree::required(timing, "timing", path)?;
        Ok(out)
    }

    fn to_fee(&self, idx: usize) -> Result<Fee, ScheduleError> {
        read_fee(
            &self.kind,
            &self.timing,
            self.amount.as_deref(),
            self.rate.as_deref(),
            idx,
        )
    }
}

/// The one reader of a loan's day count and rounding names (defaults when absent), shared by
/// schedule requests and bundle products.
pub(crate) fn read_conventions(
    day_count: Option<&str>,
    rounding: Option<&str>,
) -> Result<(DayCount, Rounding), ScheduleError> {
    let day_count = match day_count {
        Some(name) => DayCount::parse(name).ok_or_else(|| ScheduleError::UnknownDayCount {
            name: name.to_owned(),
        })?,
        None => DayCount::default(),
    };
    let rounding = match rounding {
        Some(name) => Rounding::parse(name).ok_or_else(|| ScheduleError::UnknownRounding {
            name: name.to_owned(),
        })?,
        None => Rounding::default(),
    };
    Ok((day_count, rounding))
}

/// The one reader of a fee's wire fields (`kind`, `timing`, exactly one of `amount` and
/// `rate`), shared by schedule requests and bundle products; errors carry `fees[idx].…`.
pub(crate) fn read_fee(
    kind: &str,
    timing: &str,
    amount: Option<&str>,
    rate: Option<&str>,
    idx: usize,
) -> Result<Fee, ScheduleError> {
    let path = |field: &str| {
        crate::error::concat(&["fees[", &crate::error::uint(idx as u64), "].", field])
    };
    let kind = FeeKind::parse(kind).ok_or_else(|| ScheduleError::InvalidFee {
        path: path("kind"),
        reason: crate::error::concat(&["unknown fee kind ", &crate::error::quoted(kind)]),
    })?;
    let timing = FeeTiming::parse(timing).ok_or_else(|| ScheduleError::InvalidFee {
        path: path("timing"),
        reason: crate::error::concat(&["unknown fee timing ", &crate::error::quoted(timing)]),
    })?;
    let amount = match (amount, rate) {
        (Some(text), None) => {
            let value = amount_field(text, &path("amount"))?;
            if value.is_sign_negative() && !value.is_zero() {
                return Err(ScheduleError::InvalidFee {
                    path: path("amount"),
                    reason: "must not be negative".into(),
                });
            }
            FeeAmount::Fixed(value)
        }
        (None, Some(text)) => FeeAmount::Rate(rate_field(text, &path("rate"))?),
        _ => {
            return Err(ScheduleError::InvalidFee {
                path: crate::error::concat(&["fees[", &crate::error::uint(idx as u64), "]"]),
                reason: "give exactly one of amount and rate".into(),
            })
        }
    };
    Ok(Fee {
        kind,
        timing,
        amount,
    })
}

impl Method {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "equal-installment" => Method::EqualInstallment,
            "equal-principal" => Method::EqualPrincipal,
            "interest-only" => Method::InterestOnly,
            "bullet" => Method::Bullet,
            "flat-fee" => Method::FlatFee,
            _ => return None,
        })
    }
}

impl DayCount {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<DayCount> {
        Some(match name {
            "30/360" => DayCount::Thirty360,
            "act/360" => DayCount::Act360,
            "act/365" => DayCount::Act365,
            _ => return None,
        })
    }
}

impl FeeKind {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<FeeKind> {
        Some(match name {
            "service" => FeeKind::Service,
            "guarantee" => FeeKind::Guarantee,
            "insurance" => FeeKind::Insurance,
            "membership" => FeeKind::Membership,
            "installment" => FeeKind::Installment,
            "other" => FeeKind::Other,
            _ => return None,
        })
    }
}

impl FeeTiming {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<FeeTiming> {
        Some(match name {
            "upfront-deducted" => FeeTiming::UpfrontDeducted,
            "upfront-paid" => FeeTiming::UpfrontPaid,
            "per-period" => FeeTiming::PerPeriod,
            _ => return None,
        })
    }
}

#[cfg(feature = "full")]
crate::json_object::objects_only!(ScheduleRequest, FeeRequest);
crate::json_object::serialize_derived!(ScheduleRequest, FeeRequest);
#[cfg(feature = "full")]
/// The serde derive that reads a [`FeeKind`], on a mirror of the same name so that the accepted
/// input and serde's messages (`unknown variant ..., expected one of ...`, `expected enum
/// FeeKind`) are exactly those of a derive on `FeeKind` itself.
mod fee_kind {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub(super) enum FeeKind {
        Service,
        Guarantee,
        Insurance,
        Membership,
        Installment,
        Other,
    }
}

#[cfg(feature = "full")]
impl<'de> Deserialize<'de> for FeeKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match fee_kind::FeeKind::deserialize(deserializer)? {
            fee_kind::FeeKind::Service => FeeKind::Service,
            fee_kind::FeeKind::Guarantee => FeeKind::Guarantee,
            fee_kind::FeeKind::Insurance => FeeKind::Insurance,
            fee_kind::FeeKind::Membership => FeeKind::Membership,
            fee_kind::FeeKind::Installment => FeeKind::Installment,
            fee_kind::FeeKind::Other => FeeKind::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[cfg(feature = "full")]
    /// `FeeKind` reads the same strings, and refuses others with the same messages, as when it
    /// derived `Deserialize` itself.
    #[test]
    fn fee_kind_reads_as_the_derive_did() {
        for kind in [
            "service",
            "guarantee",
            "insurance",
            "membership",
            "installment",
            "other",
        ] {
            let read: FeeKind = serde_json::from_str(&format!("\"{kind}\"")).unwrap();
            assert_eq!(FeeKind::parse(kind), Some(read));
            assert_eq!(serde_json::to_string(&read).unwrap(), format!("\"{kind}\""));
        }
        let refused = |text: &str| {
            serde_json::from_str::<FeeKind>(text)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            refused("\"interest\""),
            "unknown variant `interest`, expected one of `service`, `guarantee`, `insurance`, \
             `membership`, `installment`, `other` at line 1 column 10"
        );
        assert_eq!(refused("1"), "expected value at line 1 column 1");
        let map_form: FeeKind = serde_json::from_str(r#"{"guarantee": null}"#).unwrap();
        assert_eq!(map_form, FeeKind::Guarantee);
    }
}
