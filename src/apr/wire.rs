//! The `apr` operation on the wire: [`AprRequest`] and its serde shapes, and their reading
//! into typed [`AprTerms`].
//!
//! Owns every JSON shape of the request, the decimal strings and dates with their JSON paths,
//! the method names, the defaults (`periodsPerYear` 12, `yearDays` 365 dated / 360 daily,
//! `unitMultiple` 1, `timeBasis` actual) and which fields each method requires or forbids
//! (`invalid-option` "… does not take …"). The regimes never see a string.

use super::{
    bad_flows, invalid_option, AprError, AprTerms, CnTerms, DailyTerms, DatedAmount, EuTerms,
    RegZTerms, TimeBasis, UnitPeriod, YearDays,
};
use crate::date::Date;
use crate::error::ApiError;
use crate::json::tree::{self, Node, Path};
use crate::money::{parse_amount, parse_rate};
use rust_decimal::Decimal;
use serde::Serialize;

/// A dated amount on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct DatedFlowRequest {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Decimal string, at most 2 decimals.
    pub amount: String,
}

/// One entry of `payments`: a bare amount (regular periods) or a dated amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PaymentEntry {
    /// An amount paid at the end of the next regular period.
    Amount(String),
    /// A dated amount.
    Dated(DatedFlowRequest),
}

/// The wire form of an `apr` request; `method` selects the regime:
///
/// - `cn-irr`, regular: `{periodsPerYear?: 12, advance, payments: [amount...]}`
/// - `cn-irr`, dated: `{advances: [{date, amount}], payments: [{date, amount}], yearDays?: 365 | 360}`
/// - `cn-daily`: `{dailyRate, yearDays?: 360 | 365}` (stated annual = daily × yearDays)
/// - `us-regz`: `{unitPeriod: month | semimonth | week | day, unitMultiple?: 1, advances, payments}`
/// - `eu-aprc`: `{timeBasis?: actual | equal-months, advances, payments}`
///
/// Read by [`AprRequest::from_json`] only (`tests/request_paths.rs` compares it with a serde
/// derive on a mirror of the type).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct AprRequest {
    /// `cn-irr`, `cn-daily`, `us-regz` or `eu-aprc`.
    pub method: String,
    /// Regular cn-irr: periods per year (12 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods_per_year: Option<u32>,
    /// Regular cn-irr: the amount received at time 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advance: Option<String>,
    /// Dated methods: the amounts received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advances: Option<Vec<DatedFlowRequest>>,
    /// Amounts repaid (bare for regular cn-irr, dated otherwise).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payments: Vec<PaymentEntry>,
    /// Dated cn-irr and cn-daily: 365 or 360.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_days: Option<u32>,
    /// cn-daily: the daily rate fraction (`"0.0005"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_rate: Option<String>,
    /// us-regz: the unit period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_period: Option<String>,
    /// us-regz: k of a k-month or k-week unit period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_multiple: Option<u32>,
    /// eu-aprc: `actual` (default) or `equal-months`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_basis: Option<String>,
}

/// The wire names of [`AprRequest`]'s fields, in declaration order.
const APR_FIELDS: &[&str] = &[
    "method",
    "periodsPerYear",
    "advance",
    "advances",
    "payments",
    "yearDays",
    "dailyRate",
    "unitPeriod",
    "unitMultiple",
    "timeBasis",
];

impl DatedFlowRequest {
    /// Reads `{date, amount}` (both strings, both required) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<DatedFlowRequest, ApiError> {
        let (date, amount) = tree::string_pair(node, path, ["date", "amount"])?;
        Ok(DatedFlowRequest { date, amount })
    }
}

impl PaymentEntry {
    /// Reads a bare amount (a string) or a dated amount (an object); anything else, or an
    /// object that is not a dated amount, is serde's untagged refusal at the entry's path.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PaymentEntry, ApiError> {
        match node {
            Node::String(text) => Ok(PaymentEntry::Amount(text.clone().into_owned())),
            other => DatedFlowRequest::from_node(other, path)
                .map(PaymentEntry::Dated)
                .map_err(|_| {
                    tree::error_at(
                        "invalid-request",
                        "data did not match any variant of untagged enum PaymentEntry".into(),
                        path,
                    )
                }),
        }
    }
}

impl AprRequest {
    /// Reads a request from JSON bytes through the request gate ([`tree::read_request`]).
    ///
    /// Errors (codes): `malformed-json`, `duplicate-key`, `out-of-range` (from the gate);
    /// `invalid-request` (a wrong type, with serde's wording), `missing-field` (`method`),
    /// `unknown-field`; each with its JSON path.
    pub fn from_json(bytes: &[u8]) -> Result<AprRequest, ApiError> {
        tree::read_request(bytes, AprRequest::from_node)
    }

    /// Reads a request from its JSON tree at `path`.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<AprRequest, ApiError> {
        let mut out = AprRequest::default();
        let mut method = None;
        tree::object(node, path, APR_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            let number = |value| tree::optional(value, at, tree::uint32);
            match field {
                0 => method = Some(tree::string(value, at)?),
                1 => out.periods_per_year = number(value)?,
                2 => out.advance = text(value)?,
                3 => {
                    out.advances = tree::optional(value, at, |list, at| {
                        tree::array(list, at, DatedFlowRequest::from_node)
                    })?;
                }
                4 => out.payments = tree::array(value, at, PaymentEntry::from_node)?,
                5 => out.year_days = number(value)?,
                6 => out.daily_rate = text(value)?,
                7 => out.unit_period = text(value)?,
                8 => out.unit_multiple = number(value)?,
                _ => out.time_basis = text(value)?,
            }
            Ok(())
        })?;
        out.method = tree::required(method, "method", path)?;
        Ok(out)
    }

    /// Reads the request into the typed terms of its method: the forbidden fields first (in
    /// the order below, so the first offending field is reported), then the flows, then the
    /// method's own options.
    pub fn terms(&self) -> Result<AprTerms, AprError> {
        let method = self.method.as_str();
        match method {
            "cn-irr" if self.advances.is_some() => self.dated_cn_terms().map(AprTerms::Cn),
            "cn-irr" => self.regular_cn_terms().map(AprTerms::Cn),
            "cn-daily" => self.daily_terms().map(AprTerms::Daily),
            "us-regz" => self.regz_terms().map(AprTerms::RegZ),
            "eu-aprc" => self.eu_terms().map(AprTerms::Eu),
            other => Err(AprError::UnknownMethod {
                name: other.to_owned(),
            }),
        }
    }

    /// Refuses the first of `fields` the request carries: "`who` does not take `path`".
    fn forbid(&self, who: &str, fields: &[Field]) -> Result<(), AprError> {
        match fields.iter().find(|field| field.present(self)) {
            Some(field) => {
                let path = field.path();
                Err(invalid_option(
                    path,
                    crate::error::concat(&[who, " does not take ", path]),
                ))
            }
            None => Ok(()),
        }
    }

    fn dated_cn_terms(&self) -> Result<CnTerms, AprError> {
        self.forbid("dated cn-irr", &[Field::Advance, Field::PeriodsPerYear])?;
        self.forbid(
            "cn-irr",
            &[
                Field::UnitPeriod,
                Field::UnitMultiple,
                Field::TimeBasis,
                Field::DailyRate,
            ],
        )?;
        let year_days = year_days_option(self.year_days, YearDays::D365)?;
        let advances = dated_list(self.advances.as_deref().unwrap_or(&[]), "advances")?;
        let payments = dated_payments(&self.payments)?;
        Ok(CnTerms::Dated {
            advances,
            payments,
            year_days,
        })
    }

    fn regular_cn_terms(&self) -> Result<CnTerms, AprError> {
        self.forbid("regular cn-irr", &[Field::YearDays])?;
        self.forbid(
            "cn-irr",
            &[
                Field::UnitPeriod,
                Field::UnitMultiple,
                Field::TimeBasis,
                Field::DailyRate,
            ],
        )?;
        let advance = self
            .advance
            .as_deref()
            .ok_or_else(|| bad_flows("advance", "cn-irr needs advance or advances"))?;
        let advance = amount_at(advance, "advance")?;
        // A loop rather than `collect::<Result<Vec<_>, _>>()` (size: one adapter per item type).
        let mut payments = Vec::with_capacity(self.payments.len());
        for (idx, entry) in self.payments.iter().enumerate() {
            payments.push(match entry {
                PaymentEntry::Amount(text) => {
                    parse_amount(text).map_err(|issue| AprError::Decimal {
                        path: crate::error::concat(&[
                            "payments[",
                            &crate::error::uint(idx as u64),
                            "]",
                        ]),
                        issue,
                    })?
                }
                PaymentEntry::Dated(_) => {
                    return Err(bad_flows(
                        &crate::error::concat(&["payments[", &crate::error::uint(idx as u64), "]"]),
                        "dated payments need dated advances",
                    ))
                }
            });
        }
        Ok(CnTerms::Regular {
            advance,
            payments,
            periods_per_year: self.periods_per_year.unwrap_or(12),
        })
    }

    fn daily_terms(&self) -> Result<DailyTerms, AprError> {
        self.forbid(
            "cn-daily",
            &[
                Field::Advance,
                Field::Advances,
                Field::Payments,
                Field::PeriodsPerYear,
                Field::UnitPeriod,
                Field::UnitMultiple,
                Field::TimeBasis,
            ],
        )?;
        let text = self
            .daily_rate
            .as_deref()
            .ok_or_else(|| invalid_option("dailyRate", "cn-daily needs dailyRate"))?;
        let daily_rate = parse_rate(text).map_err(|issue| AprError::Decimal {
            path: "dailyRate".into(),
            issue,
        })?;
        if daily_rate.is_sign_negative() && !daily_rate.is_zero() {
            return Err(invalid_option(
                "dailyRate",
                "the daily rate must not be negative",
            ));
        }
        Ok(DailyTerms {
            daily_rate,
            year_days: year_days_option(self.year_days, YearDays::D360)?,
            as_given: text.to_owned(),
        })
    }

    /// The dated flows of `us-regz` and `eu-aprc`, after refusing the fields neither takes.
    fn dated_terms(&self, method: &str) -> Result<(Vec<DatedAmount>, Vec<DatedAmount>), AprError> {
        self.forbid(
            method,
            &[
                Field::Advance,
                Field::PeriodsPerYear,
                Field::YearDays,
                Field::DailyRate,
            ],
        )?;
        let advances = self.advances.as_deref().ok_or_else(|| {
            bad_flows(
                "advances",
                crate::error::concat(&[method, " needs dated advances"]),
            )
        })?;
        let advances = dated_list(advances, "advances")?;
        let payments = dated_payments(&self.payments)?;
        Ok((advances, payments))
    }

    fn regz_terms(&self) -> Result<RegZTerms, AprError> {
        let (advances, payments) = self.dated_terms("us-regz")?;
        self.forbid("us-regz", &[Field::TimeBasis])?;
        let unit_name = self
            .unit_period
            .as_deref()
            .ok_or_else(|| invalid_option("unitPeriod", "us-regz needs unitPeriod"))?;
        let unit = UnitPeriod::parse(unit_name).ok_or_else(|| {
            invalid_option(
                "unitPeriod",
                crate::error::concat(&["unknown unit period ", &crate::error::quoted(unit_name)]),
            )
        })?;
        Ok(RegZTerms {
            advances,
            payments,
            unit,
            unit_multiple: self.unit_multiple.unwrap_or(1),
        })
    }

    fn eu_terms(&self) -> Result<EuTerms, AprError> {
        let (advances, payments) = self.dated_terms("eu-aprc")?;
        self.forbid("eu-aprc", &[Field::UnitPeriod, Field::UnitMultiple])?;
        let basis = match self.time_basis.as_deref() {
            None => TimeBasis::default(),
            Some(name) => TimeBasis::parse(name).ok_or_else(|| {
                invalid_option(
                    "timeBasis",
                    crate::error::concat(&["unknown time basis ", &crate::error::quoted(name)]),
                )
            })?,
        };
        Ok(EuTerms {
            advances,
            payments,
            basis,
        })
    }
}

/// An optional field of [`AprRequest`] that some methods refuse.
#[derive(Debug, Clone, Copy)]
enum Field {
    Advance,
    Advances,
    Payments,
    PeriodsPerYear,
    YearDays,
    DailyRate,
    UnitPeriod,
    UnitMultiple,
    TimeBasis,
}

impl Field {
    /// The JSON path (and name) of the field.
    fn path(self) -> &'static str {
        match self {
            Field::Advance => "advance",
            Field::Advances => "advances",
            Field::Payments => "payments",
            Field::PeriodsPerYear => "periodsPerYear",
            Field::YearDays => "yearDays",
            Field::DailyRate => "dailyRate",
            Field::UnitPeriod => "unitPeriod",
            Field::UnitMultiple => "unitMultiple",
            Field::TimeBasis => "timeBasis",
        }
    }

    /// Whether `request` carries the field.
    fn present(self, request: &AprRequest) -> bool {
        match self {
            Field::Advance => request.advance.is_some(),
            Field::Advances => request.advances.is_some(),
            Field::Payments => !request.payments.is_empty(),
            Field::PeriodsPerYear => request.periods_per_year.is_some(),
            Field::YearDays => request.year_days.is_some(),
            Field::DailyRate => request.daily_rate.is_some(),
            Field::UnitPeriod => request.unit_period.is_some(),
            Field::UnitMultiple => request.unit_multiple.is_some(),
            Field::TimeBasis => request.time_basis.is_some(),
        }
    }
}

fn amount_at(text: &str, path: &str) -> Result<Decimal, AprError> {
    parse_amount(text).map_err(|issue| AprError::Decimal {
        path: path.to_owned(),
        issue,
    })
}

fn dated_list(list: &[DatedFlowRequest], name: &str) -> Result<Vec<DatedAmount>, AprError> {
    let mut out = Vec::with_capacity(list.len());
    for (idx, flow) in list.iter().enumerate() {
        out.push(dated_at(flow, name, idx)?);
    }
    Ok(out)
}

/// Reads the dated flow `name[idx]`; its JSON path is spelled only when the flow is wrong
/// (formatting it for every flow cost more than the rate solve).
fn dated_at(flow: &DatedFlowRequest, name: &str, idx: usize) -> Result<DatedAmount, AprError> {
    let date = read_flow_date(&flow.date, || {
        crate::error::concat(&[name, "[", &crate::error::uint(idx as u64), "].date"])
    })?;
    let amount = parse_amount(&flow.amount).map_err(|issue| AprError::Decimal {
        path: crate::error::concat(&[name, "[", &crate::error::uint(idx as u64), "].amount"]),
        issue,
    })?;
    Ok(DatedAmount { date, amount })
}

/// The dated payments: the first bare amount is refused before any date is read.
fn dated_payments(payments: &[PaymentEntry]) -> Result<Vec<DatedAmount>, AprError> {
    if let Some(idx) = payments
        .iter()
        .position(|entry| matches!(entry, PaymentEntry::Amount(_)))
    {
        return Err(bad_flows(
            &crate::error::concat(&["payments[", &crate::error::uint(idx as u64), "]"]),
            "dated flows need {date, amount} payments",
        ));
    }
    let mut out = Vec::with_capacity(payments.len());
    for (idx, entry) in payments.iter().enumerate() {
        if let PaymentEntry::Dated(flow) = entry {
            out.push(dated_at(flow, "payments", idx)?);
        }
    }
    Ok(out)
}

fn year_days_option(value: Option<u32>, default: YearDays) -> Result<YearDays, AprError> {
    value.map_or(Ok(default), read_year_days)
}

/// Reads a `yearDays` value (360 or 365): `invalid-option` at `yearDays` otherwise. The wire
/// requests and the wasm fen fast path (`cnXirrFen`) read it here.
pub fn read_year_days(days: u32) -> Result<YearDays, AprError> {
    YearDays::parse(days).ok_or_else(|| invalid_option("yearDays", "yearDays is 360 or 365"))
}

/// Reads a flow's `YYYY-MM-DD` date: `bad-flows` at `path()` otherwise (the path is spelled only
/// when the date is refused). The wire requests and the wasm fen fast path read dates here.
pub fn read_flow_date(text: &str, path: impl FnOnce() -> String) -> Result<Date, AprError> {
    Date::parse(text).ok_or_else(|| bad_flows(&path(), crate::date::NOT_A_DATE))
}

crate::json_object::serialize_derived!(DatedFlowRequest, AprRequest);

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(request: AprRequest) -> (String, String) {
        let error = request.terms().expect_err("refused");
        let path = match &error {
            AprError::InvalidOption { path, .. } | AprError::BadFlows { path, .. } => path.clone(),
            other => panic!("unexpected {other:?}"),
        };
        (path, error.to_string())
    }

    fn dated(date: &str, amount: &str) -> DatedFlowRequest {
        DatedFlowRequest {
            date: date.into(),
            amount: amount.into(),
        }
    }

    #[test]
    fn the_first_forbidden_field_is_reported_with_its_method() {
        let request = AprRequest {
            method: "cn-irr".into(),
            advances: Some(vec![]),
            advance: Some("1".into()),
            unit_period: Some("month".into()),
            ..AprRequest::default()
        };
        let expected = (
            "advance".into(),
            "dated cn-irr does not take advance".into(),
        );
        assert_eq!(refusal(request), expected);
        let request = AprRequest {
            method: "cn-irr".into(),
            year_days: Some(365),
            time_basis: Some("actual".into()),
            ..AprRequest::default()
        };
        let expected = (
            "yearDays".into(),
            "regular cn-irr does not take yearDays".into(),
        );
        assert_eq!(refusal(request), expected);
        let request = AprRequest {
            method: "cn-daily".into(),
            payments: vec![PaymentEntry::Amount("1".into())],
            unit_period: Some("month".into()),
            ..AprRequest::default()
        };
        let expected = ("payments".into(), "cn-daily does not take payments".into());
        assert_eq!(refusal(request), expected);
    }

    #[test]
    fn dated_regimes_read_the_flows_before_their_own_options() {
        // us-regz refuses timeBasis only after the flows are read, as before the split.
        let request = AprRequest {
            method: "us-regz".into(),
            advances: Some(vec![dated("2025-02-30", "100")]),
            time_basis: Some("actual".into()),
            ..AprRequest::default()
        };
        let expected = ("advances[0].date".into(), crate::date::NOT_A_DATE.into());
        assert_eq!(refusal(request), expected);
        let request = AprRequest {
            method: "eu-aprc".into(),
            advances: Some(vec![dated("2025-01-01", "100")]),
            payments: vec![PaymentEntry::Dated(dated("2025-02-01", "101"))],
            unit_multiple: Some(2),
            ..AprRequest::default()
        };
        let expected = (
            "unitMultiple".into(),
            "eu-aprc does not take unitMultiple".into(),
        );
        assert_eq!(refusal(request), expected);
    }

    /// The full refusal (`Debug` names the variant, its path and its reason or decimal issue).
    fn refused(request: &AprRequest) -> String {
        format!("{:?}", request.terms().expect_err("refused"))
    }

    #[test]
    fn a_wrong_flow_is_named_by_its_index() {
        let good = || PaymentEntry::Dated(dated("2025-02-15", "10.00"));
        let cn = |payments: Vec<PaymentEntry>| AprRequest {
            method: "cn-irr".into(),
            advances: Some(vec![dated("2025-01-15", "100.00")]),
            payments,
            ..AprRequest::default()
        };
        let cases = [
            (
                cn(vec![
                    good(),
                    good(),
                    PaymentEntry::Dated(dated("2025-02-30", "1")),
                ]),
                r#"BadFlows { path: "payments[2].date", reason: "not a valid YYYY-MM-DD date from 1900 to 2200" }"#,
            ),
            (
                cn(vec![
                    good(),
                    PaymentEntry::Dated(dated("2025-03-15", "1.001")),
                ]),
                r#"Decimal { path: "payments[1].amount", issue: OverPrecise { max_dp: 2 } }"#,
            ),
            (
                // A bare amount is refused before an earlier entry's bad date is read.
                cn(vec![
                    PaymentEntry::Dated(dated("2025-02-30", "1")),
                    good(),
                    PaymentEntry::Amount("1".into()),
                ]),
                r#"BadFlows { path: "payments[2]", reason: "dated flows need {date, amount} payments" }"#,
            ),
            (
                AprRequest {
                    advances: Some(vec![dated("2025-01-15", "1"), dated("2025-01-16", "x")]),
                    ..cn(vec![PaymentEntry::Dated(dated("2025-02-30", "1"))])
                },
                r#"Decimal { path: "advances[1].amount", issue: Malformed }"#,
            ),
            (
                AprRequest {
                    method: "cn-irr".into(),
                    advance: Some("100".into()),
                    payments: vec![
                        PaymentEntry::Amount("1".into()),
                        PaymentEntry::Amount("1.234".into()),
                    ],
                    ..AprRequest::default()
                },
                r#"Decimal { path: "payments[1]", issue: OverPrecise { max_dp: 2 } }"#,
            ),
        ];
        for (request, expected) in cases {
            assert_eq!(refused(&request), expected);
        }
    }
}
