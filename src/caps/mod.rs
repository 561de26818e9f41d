//! Comprehensive-cost caps (综合融资成本上限) as dated data, and the check of a rate against them
//! (domain-math §3).
//!
//! Owns the typed cap model (`{id, limit | lprMultiple, basis, includes, appliesTo,
//! effectiveFrom, effectiveTo?, legacy?}` as [`Cap`]), the dated one-year LPR table, which caps
//! apply to an institution on a date, and [`check`].
//! The wire forms, their decimal strings and dates, and the sample defaults embedded from
//! `data/caps.json` live in [`wire`] alone; everything here takes typed values.
//! It holds no limit as a constant in code and computes no rate itself: the caller passes a
//! function giving the rate a cap measures (with only that cap's cost kinds).
//! `json.rs` writes the check's response text by hand (`CapCheck::push_json`).

mod json;
pub mod wire;

pub use wire::{CapData, CapRequest, LprRequest, DEFAULT_CAPS_JSON};

use crate::apr::ser_rate6;
use crate::date::Date;
use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::schedule::FeeKind;
use rust_decimal::Decimal;
use serde::Serialize;

/// Why cap data is unusable or a cap cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CapError {
    /// A cap or LPR entry is malformed.
    #[error("{path}: {reason}")]
    Invalid {
        /// JSON path of the offending field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A cap is a multiple of the LPR but the table has no LPR on the date.
    #[error("no one-year lpr is known on {date} for cap {cap_id}")]
    NoLpr {
        /// The cap that needed it.
        cap_id: String,
        /// The date asked for (or `latest`).
        date: String,
    },
}

impl ErrorCode for CapError {
    fn code(&self) -> &'static str {
        match self {
            CapError::Invalid { .. } => "invalid-cap",
            CapError::NoLpr { .. } => "no-lpr",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            CapError::Invalid { path, .. } => Some(path.clone()),
            CapError::NoLpr { .. } => Some("caps".into()),
        }
    }

    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    fn message(&self) -> String {
        use crate::error::concat;
        match self {
            CapError::Invalid { path, reason } => concat(&[path, ": ", reason]),
            CapError::NoLpr { cap_id, date } => {
                concat(&["no one-year lpr is known on ", date, " for cap ", cap_id])
            }
        }
    }
}

fn invalid(path: String, reason: impl Into<String>) -> CapError {
    CapError::Invalid {
        path,
        reason: reason.into(),
    }
}

/// Which rate a cap is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapBasis {
    /// The China IRR-method rate r × m (单利), the disclosed figure.
    CnIrr,
    /// The compound rate (1 + r)^m − 1.
    Effective,
    /// Total cost ÷ principal ÷ term in years (a naive simple rate).
    Simple,
}

impl CapBasis {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CapBasis::CnIrr => "cn-irr",
            CapBasis::Effective => "effective",
            CapBasis::Simple => "simple",
        }
    }
}

/// How high a cap is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapLimit {
    /// A fixed annual rate.
    Rate(Decimal),
    /// A multiple of the one-year LPR in force on the date checked.
    LprMultiple(Decimal),
}

/// One cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cap {
    /// Stable identifier.
    pub id: String,
    /// Human-readable name.
    pub name: Option<String>,
    /// The ceiling.
    pub limit: CapLimit,
    /// The rate it is measured on.
    pub basis: CapBasis,
    /// Whether interest counts toward the cap.
    pub includes_interest: bool,
    /// Fee kinds that count toward the cap; the others are left out of the rate.
    pub fee_kinds: Vec<FeeKind>,
    /// Institution types bound by it.
    pub applies_to: Vec<String>,
    /// First day in force.
    pub effective_from: Date,
    /// Last day in force, if it has ended.
    pub effective_to: Option<Date>,
    /// A historical line kept for reference; it never makes a quote non-compliant.
    pub legacy: bool,
}

impl Cap {
    /// Whether a cost of kind `kind` counts toward this cap.
    pub fn includes_fee(&self, kind: FeeKind) -> bool {
        self.fee_kinds.contains(&kind)
    }

    /// Whether the cap counts every fee kind and interest (no re-computation needed).
    pub fn includes_everything(&self) -> bool {
        self.includes_interest && ALL_FEE_KINDS.iter().all(|k| self.includes_fee(*k))
    }

    /// The wire names of what it includes.
    pub fn includes_names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        if self.includes_interest {
            names.push("interest");
        }
        names.extend(self.fee_kinds.iter().map(|k| fee_kind_name(*k)));
        names
    }
}

/// Every fee kind, in wire order.
pub const ALL_FEE_KINDS: [FeeKind; 6] = [
    FeeKind::Service,
    FeeKind::Guarantee,
    FeeKind::Insurance,
    FeeKind::Membership,
    FeeKind::Installment,
    FeeKind::Other,
];

/// The wire name of a fee kind.
pub fn fee_kind_name(kind: FeeKind) -> &'static str {
    match kind {
        FeeKind::Service => "service",
        FeeKind::Guarantee => "guarantee",
        FeeKind::Insurance => "insurance",
        FeeKind::Membership => "membership",
        FeeKind::Installment => "installment",
        FeeKind::Other => "other",
    }
}

/// One entry of the one-year LPR history: the rate in force from `from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LprEntry {
    /// First day in force.
    pub from: Date,
    /// The one-year LPR as a fraction.
    pub rate: Decimal,
}

/// A validated set of caps and the LPR table they refer to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapSet {
    /// The caps, in data order.
    pub caps: Vec<Cap>,
    /// The LPR history, sorted by date.
    pub lpr: Vec<LprEntry>,
}

impl CapSet {
    /// A set of validated caps and an LPR table (sorted here by date); two LPR entries may not
    /// start on the same date.
    #[inline]
    pub fn new(caps: Vec<Cap>, mut lpr: Vec<LprEntry>) -> Result<CapSet, CapError> {
        crate::sort::sort_by_key(&mut lpr, |entry| entry.from);
        if lpr.windows(2).any(|w| w[0].from == w[1].from) {
            return Err(invalid("lpr".into(), "two entries start on the same date"));
        }
        Ok(CapSet { caps, lpr })
    }

    /// The LPR in force on `date` (the latest entry when `date` is `None`).
    pub fn lpr_on(&self, date: Option<Date>) -> Option<LprEntry> {
        match date {
            Some(date) => self
                .lpr
                .iter()
                .rev()
                .find(|entry| entry.from <= date)
                .copied(),
            None => self.lpr.last().copied(),
        }
    }

    /// The caps binding `institution_type` on `as_of`.
    ///
    /// No institution type: every cap (a what-if view across institution types).
    /// No date: the caps still in force (no `effectiveTo`), whatever their start.
    pub fn applicable(&self, institution_type: Option<&str>, as_of: Option<Date>) -> Vec<&Cap> {
        // A loop rather than two `filter` adapters and `collect` (size).
        let mut out = Vec::with_capacity(self.caps.len());
        for cap in &self.caps {
            let kind_applies =
                institution_type.is_none_or(|kind| cap.applies_to.iter().any(|t| t == kind));
            let in_force = match as_of {
                Some(date) => {
                    cap.effective_from <= date && cap.effective_to.is_none_or(|to| date <= to)
                }
                None => cap.effective_to.is_none(),
            };
            if kind_applies && in_force {
                out.push(cap);
            }
        }
        out
    }
}

/// The result of one cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapResult {
    /// The cap's id.
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `cn-irr`, `effective` or `simple`.
    pub basis: &'static str,
    /// The ceiling on the date, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub limit: Decimal,
    /// For LPR caps: the multiple.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_rate_opt"
    )]
    pub lpr_multiple: Option<Decimal>,
    /// For LPR caps: the LPR used.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_rate_opt"
    )]
    pub lpr: Option<Decimal>,
    /// For LPR caps: the date that LPR took effect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lpr_from: Option<Date>,
    /// The rate measured with the cap's cost kinds only, 6 decimals.
    #[serde(serialize_with = "ser_rate6")]
    pub rate: Decimal,
    /// `limit` as a display percent, 2 decimals half-up (`"24.00"`).
    pub limit_percent: String,
    /// `rate` as a display percent, 2 decimals half-up.
    pub rate_percent: String,
    /// `rate ≤ limit`, on `rate` as written (6 decimals, half-up).
    pub pass: bool,
    /// `limit − rate`, 6 decimals (negative when the cap is exceeded).
    #[serde(serialize_with = "ser_rate6")]
    pub margin: Decimal,
    /// What the cap counts.
    pub includes: Vec<&'static str>,
    /// Whether it is a historical line.
    pub legacy: bool,
}

/// Every applicable cap checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapCheck {
    /// The date checked, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The institution type checked, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<String>,
    /// One result per applicable cap.
    pub results: Vec<CapResult>,
    /// Every non-legacy cap passes.
    pub compliant: bool,
    /// Ids of the caps that fail (legacy ones included).
    pub flagged: Vec<String>,
}

fn ser_rate_opt<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => ser_rate6(v, s),
        None => s.serialize_none(),
    }
}

/// Checks every cap of `set` that applies to `institution_type` on `as_of`.
/// `rate_for(cap)` returns the rate the cap measures, computed with its cost kinds only.
pub fn check<E, F>(
    set: &CapSet,
    institution_type: Option<&str>,
    as_of: Option<Date>,
    mut rate_for: F,
) -> Result<CapCheck, E>
where
    E: From<CapError>,
    F: FnMut(&Cap) -> Result<Decimal, E>,
{
    let mut results = Vec::new();
    for cap in set.applicable(institution_type, as_of) {
        let (limit, lpr_multiple, lpr, lpr_from) = match cap.limit {
            CapLimit::Rate(limit) => (limit, None, None, None),
            CapLimit::LprMultiple(multiple) => {
                let entry = set.lpr_on(as_of).ok_or_else(|| CapError::NoLpr {
                    cap_id: cap.id.clone(),
                    date: as_of.map_or_else(|| "latest".to_owned(), |d| d.text()),
                })?;
                let limit = entry.rate.times(multiple).map_err(|_| CapError::Invalid {
                    path: "caps".into(),
                    reason: crate::error::concat(&["cap ", &cap.id, " overflows"]),
                })?;
                (limit, Some(multiple), Some(entry.rate), Some(entry.from))
            }
        };
        // The cap is judged on the rate as disclosed (6 decimals, half-up, as `rate` is
        // written): a loan at exactly 24 % passes the 24 % cap whatever the solver's 20th
        // decimal, and the answer never shows `rate` equal to `limit` with `pass: false`.
        let measured = rate_for(cap)?;
        let rate = measured.round_dp_with_strategy(
            crate::apr::RATE_DP,
            crate::money::Rounding::HalfUp.strategy(),
        );
        let margin = limit.minus(rate).map_err(|_| CapError::Invalid {
            path: "caps".into(),
            reason: crate::error::concat(&["cap ", &cap.id, " overflows"]),
        })?;
        results.push(CapResult {
            id: cap.id.clone(),
            name: cap.name.clone(),
            basis: cap.basis.as_str(),
            limit,
            lpr_multiple,
            lpr,
            lpr_from,
            rate,
            limit_percent: crate::apr::percent(limit, 2),
            rate_percent: crate::apr::percent(measured, 2),
            pass: rate <= limit,
            margin,
            includes: cap.includes_names(),
            legacy: cap.legacy,
        });
    }
    let compliant = results.iter().all(|r| r.pass || r.legacy);
    let flagged = results
        .iter()
        .filter(|r| !r.pass)
        .map(|r| r.id.clone())
        .collect();
    Ok(CapCheck {
        as_of,
        institution_type: institution_type.map(str::to_owned),
        results,
        compliant,
        flagged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_lpr_is_dated() {
        let set = CapSet::defaults().unwrap();
        assert!(set.caps.len() >= 3);
        let on = |text: &str| set.lpr_on(Date::parse(text)).unwrap().rate.to_string();
        assert_eq!(on("2025-05-20"), "0.0300");
        assert_eq!(on("2025-05-19"), "0.0310");
        assert!(set.lpr_on(Date::parse("2019-01-01")).is_none());
    }
}
