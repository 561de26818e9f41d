//! The wire form of cap data: serde shapes, decimal strings, dates and wire names, with JSON paths.
//!
//! Owns [`CapRequest`], [`LprRequest`] and [`CapData`] (the shape of `data/caps.json` and of a
//! bundle's caps; camelCase, decimals and dates as strings, objects only), their conversion into
//! typed [`Cap`]s and a [`CapSet`] with the JSON path of the first problem, the parsing of
//! [`CapBasis`] names, and the embedded sample data ([`DEFAULT_CAPS_JSON`], [`CapSet::defaults`]).
//! It is the only part of the caps that parses a string; it must not check a rate.

use super::{invalid, Cap, CapBasis, CapError, CapLimit, CapSet, LprEntry};
use crate::date::Date;
use crate::error::ApiError;
use crate::json::tree::{self, Node, Path};
use crate::money::parse_rate;
use crate::schedule::FeeKind;
use rust_decimal::Decimal;
#[cfg(feature = "full")]
use serde::Deserialize;
use serde::Serialize;

/// The sample caps and LPR history shipped with the engine.
pub const DEFAULT_CAPS_JSON: &str = include_str!("../../data/caps.json");

/// The wire form of one cap.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "full", derive(Deserialize))]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct CapRequest {
    /// Stable identifier.
    pub id: String,
    /// Human-readable name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fixed ceiling (exclusive with `lprMultiple`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// Multiple of the one-year LPR (exclusive with `limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lpr_multiple: Option<String>,
    /// `cn-irr`, `effective` or `simple`.
    pub basis: String,
    /// `interest` and fee kinds counted.
    pub includes: Vec<String>,
    /// Institution types bound.
    pub applies_to: Vec<String>,
    /// `YYYY-MM-DD`.
    pub effective_from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_to: Option<String>,
    /// Historical line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy: Option<bool>,
}

/// The wire form of one LPR entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "full", derive(Deserialize))]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct LprRequest {
    /// `YYYY-MM-DD`.
    pub from: String,
    /// Fraction, e.g. `"0.03"`.
    pub rate: String,
}

/// The wire form of a cap data file (`data/caps.json`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "full", derive(Deserialize))]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct CapData {
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The caps.
    pub caps: Vec<CapRequest>,
    /// One-year LPR history.
    #[serde(rename = "lpr1y")]
    pub lpr_1y: Vec<LprRequest>,
}

/// The wire names of [`CapRequest`]'s fields, in declaration order.
const CAP_FIELDS: &[&str] = &[
    "id",
    "name",
    "limit",
    "lprMultiple",
    "basis",
    "includes",
    "appliesTo",
    "effectiveFrom",
    "effectiveTo",
    "legacy",
];

fn strings(node: &Node<'_>, path: &Path<'_>) -> Result<Vec<String>, ApiError> {
    tree::array(node, path, tree::string)
}

impl CapRequest {
    /// Reads one cap from its JSON tree (`id`, `basis`, `includes`, `appliesTo`,
    /// `effectiveFrom` required; serde's codes and wording, see [`tree`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<CapRequest, ApiError> {
        let mut out = CapRequest::default();
        let mut required: [Option<String>; 3] = Default::default();
        let (mut includes, mut applies_to) = (None, None);
        tree::object(node, path, CAP_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => required[0] = Some(tree::string(value, at)?),
                1 => out.name = text(value)?,
                2 => out.limit = text(value)?,
                3 => out.lpr_multiple = text(value)?,
                4 => required[1] = Some(tree::string(value, at)?),
                5 => includes = Some(strings(value, at)?),
                6 => applies_to = Some(strings(value, at)?),
                7 => required[2] = Some(tree::string(value, at)?),
                8 => out.effective_to = text(value)?,
                _ => out.legacy = tree::optional(value, at, tree::boolean)?,
            }
            Ok(())
        })?;
        let [id, basis, effective_from] = required;
        out.id = tree::required(id, "id", path)?;
        out.basis = tree::required(basis, "basis", path)?;
        out.includes = tree::required(includes, "includes", path)?;
        out.applies_to = tree::required(applies_to, "appliesTo", path)?;
        out.effective_from = tree::required(effective_from, "effectiveFrom", path)?;
        Ok(out)
    }
}

impl LprRequest {
    /// Reads one LPR entry (`from`, `rate`, both required strings) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<LprRequest, ApiError> {
        let (from, rate) = tree::string_pair(node, path, ["from", "rate"])?;
        Ok(LprRequest { from, rate })
    }
}

impl CapData {
    /// The sample data of `data/caps.json` ([`DEFAULT_CAPS_JSON`]), read.
    pub fn defaults() -> Result<CapData, CapError> {
        CapData::from_json(DEFAULT_CAPS_JSON.as_bytes())
            .map_err(|e| invalid("data/caps.json".into(), e.message))
    }

    /// Reads a cap data file (`data/caps.json`'s shape) from JSON bytes through the request
    /// gate; codes as [`tree::read_request`].
    pub fn from_json(bytes: &[u8]) -> Result<CapData, ApiError> {
        tree::read_request(bytes, |node, path| {
            let mut out = CapData::default();
            let (mut caps, mut lpr) = (None, None);
            tree::object(
                node,
                path,
                &["note", "caps", "lpr1y"],
                &mut |field, value, at| {
                    match field {
                        0 => out.note = tree::optional(value, at, tree::string)?,
                        1 => caps = Some(tree::array(value, at, CapRequest::from_node)?),
                        _ => lpr = Some(tree::array(value, at, LprRequest::from_node)?),
                    }
                    Ok(())
                },
            )?;
            out.caps = tree::required(caps, "caps", path)?;
            out.lpr_1y = tree::required(lpr, "lpr1y", path)?;
            Ok(out)
        })
    }
}

fn rate_at(text: &str, path: String) -> Result<Decimal, CapError> {
    let rate = parse_rate(text).map_err(|issue| invalid(path.clone(), issue.message()))?;
    if rate <= Decimal::ZERO {
        return Err(invalid(path, "must be greater than zero"));
    }
    Ok(rate)
}

fn date_at(text: &str, path: String) -> Result<Date, CapError> {
    Date::parse(text).ok_or_else(|| invalid(path, crate::date::NOT_A_DATE))
}

impl CapRequest {
    /// Validates one cap; `path` is its JSON path (`caps[2]`).
    pub fn to_cap(&self, path: &str) -> Result<Cap, CapError> {
        let at = |field: &str| crate::error::concat(&[path, ".", field]);
        if self.id.is_empty() {
            return Err(invalid(at("id"), "must not be empty"));
        }
        let limit = match (&self.limit, &self.lpr_multiple) {
            (Some(text), None) => CapLimit::Rate(rate_at(text, at("limit"))?),
            (None, Some(text)) => CapLimit::LprMultiple(rate_at(text, at("lprMultiple"))?),
            _ => {
                return Err(invalid(
                    path.to_owned(),
                    "give exactly one of limit and lprMultiple",
                ))
            }
        };
        let basis = CapBasis::parse(&self.basis).ok_or_else(|| {
            invalid(
                at("basis"),
                crate::error::concat(&["unknown basis ", &crate::error::quoted(&self.basis)]),
            )
        })?;
        let mut includes_interest = false;
        let mut fee_kinds = Vec::new();
        for (idx, name) in self.includes.iter().enumerate() {
            if name == "interest" {
                includes_interest = true;
            } else {
                let kind = FeeKind::parse(name).ok_or_else(|| {
                    invalid(
                        crate::error::concat(&[
                            path,
                            ".includes[",
                            &crate::error::uint(idx as u64),
                            "]",
                        ]),
                        crate::error::concat(&["unknown cost kind ", &crate::error::quoted(name)]),
                    )
                })?;
                if !fee_kinds.contains(&kind) {
                    fee_kinds.push(kind);
                }
            }
        }
        let effective_from = date_at(&self.effective_from, at("effectiveFrom"))?;
        let effective_to = self
            .effective_to
            .as_deref()
            .map(|text| date_at(text, at("effectiveTo")))
            .transpose()?;
        if effective_to.is_some_and(|to| to < effective_from) {
            return Err(invalid(at("effectiveTo"), "ends before effectiveFrom"));
        }
        Ok(Cap {
            id: self.id.clone(),
            name: self.name.clone(),
            limit,
            basis,
            includes_interest,
            fee_kinds,
            applies_to: self.applies_to.clone(),
            effective_from,
            effective_to,
            legacy: self.legacy.unwrap_or(false),
        })
    }
}

impl CapSet {
    /// Validates caps and an LPR table from their wire forms.
    pub fn from_wire(caps: &[CapRequest], lpr: &[LprRequest]) -> Result<CapSet, CapError> {
        // Loops rather than `collect::<Result<Vec<_>, _>>()` (size: one adapter per item type).
        let mut set = Vec::with_capacity(caps.len());
        for (idx, cap) in caps.iter().enumerate() {
            set.push(cap.to_cap(&crate::error::concat(&[
                "caps[",
                &crate::error::uint(idx as u64),
                "]",
            ]))?);
        }
        let mut table = Vec::with_capacity(lpr.len());
        for (idx, entry) in lpr.iter().enumerate() {
            table.push(LprEntry {
                from: date_at(
                    &entry.from,
                    crate::error::concat(&["lpr[", &crate::error::uint(idx as u64), "].from"]),
                )?,
                rate: rate_at(
                    &entry.rate,
                    crate::error::concat(&["lpr[", &crate::error::uint(idx as u64), "].rate"]),
                )?,
            });
        }
        CapSet::new(set, table)
    }

    /// The sample caps and LPR history of `data/caps.json`.
    pub fn defaults() -> Result<CapSet, CapError> {
        let data = CapData::defaults()?;
        CapSet::from_wire(&data.caps, &data.lpr_1y)
    }
}

impl CapBasis {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<CapBasis> {
        Some(match name {
            "cn-irr" => CapBasis::CnIrr,
            "effective" => CapBasis::Effective,
            "simple" => CapBasis::Simple,
            _ => return None,
        })
    }
}

#[cfg(feature = "full")]
crate::json_object::objects_only!(CapRequest, LprRequest, CapData);
crate::json_object::serialize_derived!(CapRequest, LprRequest, CapData);
