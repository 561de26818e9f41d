//! The `disclose` operation on the wire: [`DiscloseRequest`] and its reading into typed
//! [`DiscloseTerms`].
//!
//! Owns the request's JSON shape, the daily-rate option (`dailyRate`, `yearDays`), the cap and
//! LPR tables given inline, `asOf` and `euTimeBasis`, with their JSON paths and codes. The
//! figures in `mod.rs` take a typed [`Loan`](crate::schedule::Loan) and [`DisclosureOptions`].

use super::{invalid_option, rate_error, DiscloseTerms, DisclosureError, DisclosureOptions};
use crate::apr::{self, TimeBasis, YearDays};
use crate::caps::{self, CapRequest, CapSet, LprRequest};
use crate::date::Date;
use crate::error::ApiError;
use crate::json::tree::{self, Node, Path};
use crate::money::parse_rate;
use crate::schedule::ScheduleRequest;
use serde::Serialize;

/// The wire form of a `disclose` request.
///
/// Read by [`DiscloseRequest::from_json`] only (`tests/request_paths.rs` compares it with a
/// serde derive on a mirror of the type).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct DiscloseRequest {
    /// The loan, as for the `schedule` operation (fees of every kind and timing).
    pub schedule: ScheduleRequest,
    /// A daily-rate product: the schedule's `annualRate` becomes `dailyRate × yearDays`
    /// (then `schedule.annualRate` must be absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_rate: Option<String>,
    /// 360 (default) or 365, for `dailyRate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_days: Option<u32>,
    /// Caps replacing the defaults of `data/caps.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caps: Option<Vec<CapRequest>>,
    /// One-year LPR history replacing the default table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lpr: Option<Vec<LprRequest>>,
    /// `bank`, `card-issuer`, `consumer-finance`, `micro-lender`, `online-platform`,
    /// `private-lender`, …; absent: every cap is checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<String>,
    /// `YYYY-MM-DD` on which caps and the LPR are looked up (default: the start date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// `actual` or `equal-months` for the EU APRC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eu_time_basis: Option<String>,
}

/// The wire names of [`DiscloseRequest`]'s fields, in declaration order.
const DISCLOSE_FIELDS: &[&str] = &[
    "schedule",
    "dailyRate",
    "yearDays",
    "caps",
    "lpr",
    "institutionType",
    "asOf",
    "euTimeBasis",
];

impl DiscloseRequest {
    /// Reads a request from JSON bytes through the request gate ([`tree::read_request`]).
    ///
    /// Errors (codes): `malformed-json`, `duplicate-key`, `out-of-range` (from the gate);
    /// `invalid-request` (a wrong type, with serde's wording), `missing-field` (`schedule`, and
    /// the nested request's own), `unknown-field`; each with its JSON path.
    pub fn from_json(bytes: &[u8]) -> Result<DiscloseRequest, ApiError> {
        tree::read_request(bytes, DiscloseRequest::from_node)
    }

    /// Reads a request from its JSON tree at `path`.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<DiscloseRequest, ApiError> {
        let mut out = DiscloseRequest::default();
        let mut schedule = None;
        tree::object(node, path, DISCLOSE_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => schedule = Some(ScheduleRequest::from_node(value, at)?),
                1 => out.daily_rate = text(value)?,
                2 => out.year_days = tree::optional(value, at, tree::uint32)?,
                3 => {
                    out.caps = tree::optional(value, at, |list, at| {
                        tree::array(list, at, CapRequest::from_node)
                    })?;
                }
                4 => {
                    out.lpr = tree::optional(value, at, |list, at| {
                        tree::array(list, at, LprRequest::from_node)
                    })?;
                }
                5 => out.institution_type = text(value)?,
                6 => out.as_of = text(value)?,
                _ => out.eu_time_basis = text(value)?,
            }
            Ok(())
        })?;
        out.schedule = tree::required(schedule, "schedule", path)?;
        Ok(out)
    }

    /// Reads the request into typed terms, in this order: the daily-rate option, the loan,
    /// the caps, `asOf`, `euTimeBasis` (the first problem found is the one reported).
    pub fn terms(&self) -> Result<DiscloseTerms, DisclosureError> {
        let mut schedule_request = self.schedule.clone();
        let daily = self.daily_rate(&mut schedule_request)?;
        let loan = schedule_request.to_loan()?;
        let caps = self.cap_set()?;
        let as_of = self
            .as_of
            .as_deref()
            .map(|text| {
                Date::parse(text).ok_or_else(|| invalid_option("asOf", crate::date::NOT_A_DATE))
            })
            .transpose()?;
        let eu_time_basis = self
            .eu_time_basis
            .as_deref()
            .map(|name| {
                TimeBasis::parse(name).ok_or_else(|| {
                    invalid_option(
                        "euTimeBasis",
                        crate::error::concat(&["unknown time basis ", &crate::error::quoted(name)]),
                    )
                })
            })
            .transpose()?;
        let options = DisclosureOptions {
            caps,
            institution_type: self.institution_type.clone(),
            as_of,
            eu_time_basis,
            cn_only: false,
        };
        Ok(DiscloseTerms {
            loan,
            options,
            daily,
        })
    }

    /// The daily-rate mapping, when `dailyRate` is given: it becomes the schedule's
    /// `annualRate` (`dailyRate × yearDays`), which must then be absent.
    fn daily_rate(
        &self,
        schedule_request: &mut ScheduleRequest,
    ) -> Result<Option<apr::DailyRate>, DisclosureError> {
        let Some(text) = &self.daily_rate else {
            if self.year_days.is_some() {
                return Err(invalid_option("yearDays", "yearDays goes with dailyRate"));
            }
            return Ok(None);
        };
        if schedule_request.annual_rate.is_some() {
            return Err(invalid_option(
                "schedule.annualRate",
                "give either dailyRate or schedule.annualRate",
            ));
        }
        let daily = parse_rate(text).map_err(|issue| {
            invalid_option(
                "dailyRate",
                crate::error::concat(&[&crate::error::quoted(text), ": ", &issue.message()]),
            )
        })?;
        if daily.is_sign_negative() && !daily.is_zero() {
            return Err(invalid_option("dailyRate", "must not be negative"));
        }
        let year_days = match self.year_days {
            None => YearDays::D360,
            Some(days) => YearDays::parse(days)
                .ok_or_else(|| invalid_option("yearDays", "yearDays is 360 or 365"))?,
        };
        let mapping =
            apr::daily_rate(text.clone(), daily, year_days).map_err(rate_error("daily"))?;
        // The schedule request is still wire text: the stated annual rate joins it as the
        // decimal string `annualRate` would have been, and is read with the rest of the loan.
        schedule_request.annual_rate = Some(crate::money::decimal_text(mapping.rate.normalize()));
        Ok(Some(mapping))
    }

    /// The caps and LPR table: the defaults, or either one replaced by the request's.
    fn cap_set(&self) -> Result<CapSet, DisclosureError> {
        Ok(match (&self.caps, &self.lpr) {
            (None, None) => CapSet::defaults()?,
            (caps, lpr) => {
                let defaults = caps::CapData::defaults()?;
                CapSet::from_wire(
                    caps.as_deref().unwrap_or(&defaults.caps),
                    lpr.as_deref().unwrap_or(&defaults.lpr_1y),
                )?
            }
        })
    }
}

crate::json_object::serialize_derived!(DiscloseRequest);
