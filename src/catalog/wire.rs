//! The wire forms of the catalog: every serde shape of a `puhui.bundle/v1` payload
//! (strict: every struct denies unknown fields; `docs/bundle-schema.json` documents the same
//! shape) and of the engine's requests, and their conversion into typed values — decimal
//! strings become `Decimal`, names become enums, each problem is reported with its JSON path.
//! Nothing past this file sees a decimal string.
//! The payload and the quote request are read by hand-written `from_node` readers on
//! `json::tree` (`Catalog::from_slice`, the `quote` door, lint), with serde's codes, wording and
//! paths; the serde derives stay as the oracle `tests/request_paths_full.rs` compares them with.

use super::engine::{EngineError, PromotionTerm, QuoteTerms};
use super::product::{invalid, Price, PriceRow, ProductError};
use crate::apr::{self, YearDays};
use crate::caps::{CapRequest, LprRequest};
use crate::date::Date;
use crate::error::{ApiError, ErrorCode};
use crate::json::key_map::KeyMap;
use crate::json::tree::{self, Node, Path};
use crate::money::Rounding;
use crate::money::{parse_amount, parse_rate};
use crate::promo::PromotionRequest;
use crate::schedule::{self, DayCount, Fee, Method, ScheduleError};
use crate::score::{wire, EligibilityModel, ScoreError};
use crate::subsidy::{Context, ContextRequest, LoanKind, LocalizedText, ProgramRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The whole v1 payload: header fields (checked by the verifier) and content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct BundlePayload {
    /// `puhui.bundle/v1`.
    pub schema: String,
    /// Bundle line id.
    pub bundle_id: String,
    /// Channel.
    pub channel: String,
    /// Monotonic version.
    pub version: u64,
    /// RFC 3339.
    pub issued_at: String,
    /// RFC 3339.
    pub expires_at: String,
    /// `MAJOR.MINOR.PATCH`.
    pub min_engine_version: String,
    /// Root version of the signers.
    pub root_version: u64,
    /// Free text for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What can be offered.
    pub products: Vec<ProductRequest>,
    /// Cost caps (the `caps` module's wire form).
    pub caps: Vec<CapRequest>,
    /// One-year LPR history for LPR-multiple caps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lpr: Vec<LprRequest>,
    /// Fiscal subsidy programs (the `subsidy` module's wire form; `id` required here).
    pub subsidy_programs: Vec<ProgramRequest>,
    /// Named promotions products may offer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<NamedPromotion>,
    /// Display texts: language (`zh-CN`, `en`) → key → text.
    pub texts: KeyMap<KeyMap<String>>,
    /// Pre-eligibility rules (scorecard, knock-outs, bands, limit rule): whether the payload
    /// has them. The model itself is read from the payload's bytes by the score module's exact
    /// reader ([`pre_eligibility_wire`]), so it is not carried here (nor serialized).
    #[serde(default, skip_serializing)]
    pub pre_eligibility: Option<PreEligibilityGiven>,
}

/// That a payload carries a `preEligibility` member other than `null` (any JSON value, as the
/// `Option<serde_json::Value>` it replaces took it): compile and lint read the model itself from
/// the payload bytes ([`pre_eligibility_wire`]), so the payload reader builds no JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreEligibilityGiven;

impl<'de> Deserialize<'de> for PreEligibilityGiven {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| PreEligibilityGiven)
    }
}

/// A promotion with an id products can list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedPromotion {
    /// Stable id.
    pub id: String,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
    /// The promotion (the `promo` module's wire form, tagged by `kind`).
    pub promotion: PromotionRequest,
}

/// Amount limits of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct AmountRequest {
    /// Smallest principal.
    pub min: String,
    /// Largest principal.
    pub max: String,
    /// Principal must be `min + k × step`.
    pub step: String,
}

/// One product on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductRequest {
    /// Stable id, unique in the bundle.
    pub id: String,
    /// Display name in both languages.
    pub name: LocalizedText,
    /// `consumer-loan`, `card-installment` or `service-business-loan`.
    pub kind: LoanKind,
    /// Amount limits.
    pub amount: AmountRequest,
    /// Terms offered, in months.
    pub terms: Vec<i64>,
    /// Repayment methods offered (schedule method names).
    pub methods: Vec<String>,
    /// `30/360` (default), `act/360`, `act/365`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day_count: Option<String>,
    /// `half-up` (default), `half-even`, `down`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<String>,
    /// Fees, as in a schedule request, each naming the party that charges it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<ProductFeeRequest>,
    /// Who lends, serves, guarantees and insures the loan (助贷 disclosure): exactly one
    /// `funder`; an empty list is refused by the compiler (`no-funder`), not by the parser, so
    /// lint can name the product.
    #[serde(default)]
    pub parties: Vec<PartyRequest>,
    /// Days per year of `dailyRate` price rows: 360 (default) or 365.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_rate_year_days: Option<u32>,
    /// The price table, first hit wins.
    pub price: Vec<PriceRowRequest>,
    /// Ids of the caps the product must respect.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<String>,
    /// Ids of the subsidy programs that may apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subsidy_programs: Vec<String>,
    /// Ids of the promotions the product offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<String>,
    /// The lender's institution type for caps (`bank`, `micro-lender`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<String>,
    /// The lender's institution type in the subsidy programs' vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_institution_type: Option<String>,
    /// Keys of `texts` the page must show with this product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub texts: Vec<String>,
}

/// A party's role in a product (the 2025 internet lending-assistance disclosure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartyRole {
    /// 资金方: the licensed lender funding the loan; charges the interest and any flat
    /// installment fee (`feeRate`). Exactly one per product.
    Funder,
    /// 助贷机构: the platform that serves the loan.
    Platform,
    /// 增信方 (融资担保): a guarantor.
    Guarantor,
    /// 增信方 (信用保证保险): an insurer.
    Insurer,
}

impl PartyRole {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Funder => "funder",
            PartyRole::Platform => "platform",
            PartyRole::Guarantor => "guarantor",
            PartyRole::Insurer => "insurer",
        }
    }
}

/// One party of a product, as the bundle carries it and `products()` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct PartyRequest {
    /// Stable id, unique in the product; the same id in two products must describe the same
    /// party (`conflicting-party`).
    pub id: String,
    /// Funder, platform, guarantor or insurer.
    pub role: PartyRole,
    /// Registered legal name in both languages.
    pub legal_name: LocalizedText,
    /// Licence type (商业银行, 消费金融公司, 融资担保公司, …) in both languages.
    pub licence: LocalizedText,
    /// Customer service phone number, as printed.
    pub service_phone: String,
}

/// One fee of a product: the schedule's fee wire form plus the party that charges it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductFeeRequest {
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
    /// Id of the party (among the product's `parties`) that charges the fee. Optional on the
    /// wire only so that a missing one is reported as `fee-without-party` with its path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
}

impl ProductFeeRequest {
    /// The typed fee (without the party), with the schedule's errors and its paths
    /// (`fees[idx].amount`, …) relative to the product.
    pub(crate) fn to_fee(&self, idx: usize) -> Result<Fee, ScheduleError> {
        crate::schedule::wire::read_fee(
            &self.kind,
            &self.timing,
            self.amount.as_deref(),
            self.rate.as_deref(),
            idx,
        )
    }
}

impl AmountRequest {
    /// `(min, max, step)` when all three are readable amounts (lint's own range and step
    /// checks; the compile reports the unreadable ones).
    pub(crate) fn readable(&self) -> Option<(Decimal, Decimal, Decimal)> {
        let read = |text: &str| parse_amount(text).ok();
        Some((read(&self.min)?, read(&self.max)?, read(&self.step)?))
    }
}

/// A product's amount limits, terms, methods and daily-rate year, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OfferLimits {
    pub(crate) amount_min: Decimal,
    pub(crate) amount_max: Decimal,
    pub(crate) amount_step: Decimal,
    pub(crate) terms: Vec<u32>,
    pub(crate) methods: Vec<Method>,
    pub(crate) year_days: YearDays,
}

impl ProductRequest {
    /// The typed limits of product `index`, checked in order: `amount.min`, `.max`, `.step`,
    /// min ≤ max, `terms`, `methods`, `dailyRateYearDays`; the first problem is returned.
    pub(crate) fn offer_limits(&self, index: usize) -> Result<OfferLimits, ProductError> {
        let at = |field: &str| format!("products[{index}].{field}");
        let amount_min = amount_at(&self.amount.min, at("amount.min"))?;
        let amount_max = amount_at(&self.amount.max, at("amount.max"))?;
        let amount_step = amount_at(&self.amount.step, at("amount.step"))?;
        if amount_min > amount_max {
            return Err(invalid(at("amount"), "min is greater than max"));
        }
        if self.terms.is_empty() {
            return Err(invalid(at("terms"), "at least one term is required"));
        }
        let mut terms = Vec::with_capacity(self.terms.len());
        for (idx, term) in self.terms.iter().enumerate() {
            terms.push(term_at(*term, at(&format!("terms[{idx}]")))?);
        }
        if self.methods.is_empty() {
            return Err(invalid(at("methods"), "at least one method is required"));
        }
        let mut methods = Vec::with_capacity(self.methods.len());
        for (idx, name) in self.methods.iter().enumerate() {
            methods.push(Method::parse(name).ok_or_else(|| {
                invalid(
                    at(&format!("methods[{idx}]")),
                    format!("unknown method {name:?}"),
                )
            })?);
        }
        let year_days = match self.daily_rate_year_days {
            None => YearDays::D360,
            Some(days) => YearDays::parse(days)
                .ok_or_else(|| invalid(at("dailyRateYearDays"), "360 or 365"))?,
        };
        Ok(OfferLimits {
            amount_min,
            amount_max,
            amount_step,
            terms,
            methods,
            year_days,
        })
    }

    /// The product's loan conventions, typed: day count, rounding and fees, in that order,
    /// with the schedule's errors (paths relative to the product).
    pub(crate) fn loan_conventions(&self) -> Result<(DayCount, Rounding, Vec<Fee>), ScheduleError> {
        let (day_count, rounding) = crate::schedule::wire::read_conventions(
            self.day_count.as_deref(),
            self.rounding.as_deref(),
        )?;
        let mut fees = Vec::with_capacity(self.fees.len());
        for (idx, fee) in self.fees.iter().enumerate() {
            fees.push(fee.to_fee(idx)?);
        }
        Ok((day_count, rounding, fees))
    }
}

/// One row of a price table.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceRowRequest {
    /// Conditions; absent: the row matches everything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<PriceWhenRequest>,
    /// Nominal annual rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_rate: Option<String>,
    /// Daily rate, mapped to an annual rate × `dailyRateYearDays`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_rate: Option<String>,
    /// Per-period fee rate of a flat-fee installment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_rate: Option<String>,
}

/// Conditions of a price row; every given condition must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct PriceWhenRequest {
    /// Risk bands matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Vec<String>>,
    /// Inclusive amount range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<RangeRequest>,
    /// Terms matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_months: Option<Vec<i64>>,
}

/// An inclusive range with optional ends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct RangeRequest {
    /// Lowest value matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// Highest value matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The hand-written readers of the payload and the quote request (serde's codes, wording and
// paths, see `json::tree`; `tests/request_paths_full.rs` compares them with the derives).

/// The wire names of [`BundlePayload`]'s fields, in declaration order.
const PAYLOAD_FIELDS: &[&str] = &[
    "schema",
    "bundleId",
    "channel",
    "version",
    "issuedAt",
    "expiresAt",
    "minEngineVersion",
    "rootVersion",
    "description",
    "products",
    "caps",
    "lpr",
    "subsidyPrograms",
    "promotions",
    "texts",
    "preEligibility",
];

/// A list of strings.
fn strings(node: &Node<'_>, path: &Path<'_>) -> Result<Vec<String>, ApiError> {
    tree::array(node, path, tree::string)
}

/// A list of integers.
fn integers(node: &Node<'_>, path: &Path<'_>) -> Result<Vec<i64>, ApiError> {
    tree::array(node, path, tree::int64)
}

/// The display texts: language → key → text.
fn text_maps(node: &Node<'_>, path: &Path<'_>) -> Result<KeyMap<KeyMap<String>>, ApiError> {
    tree::map(node, path, |texts, at| tree::map(texts, at, tree::string))
}

impl BundlePayload {
    /// Reads a payload from JSON bytes: the strict gate's refusals ([`tree::parse`]), then
    /// serde's. A payload is a document, not a request: an array is "invalid type: sequence,
    /// expected a JSON object", as the derive said.
    pub fn from_json(bytes: &[u8]) -> Result<BundlePayload, ApiError> {
        BundlePayload::from_node(&tree::parse(bytes)?, &Path::Root)
    }

    /// Reads a payload from its JSON tree (`preEligibility` only as present or not).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<BundlePayload, ApiError> {
        let mut text: [Option<String>; 6] = Default::default();
        let mut numbers: [Option<u64>; 2] = [None, None];
        let (mut description, mut pre_eligibility) = (None, None);
        let (mut products, mut caps, mut programs, mut texts) = (None, None, None, None);
        let (mut lpr, mut promotions) = (Vec::new(), Vec::new());
        tree::object(node, path, PAYLOAD_FIELDS, &mut |field, value, at| {
            match field {
                0..=2 => text[field] = Some(tree::string(value, at)?),
                3 => numbers[0] = Some(tree::uint64(value, at)?),
                4..=6 => text[field - 1] = Some(tree::string(value, at)?),
                7 => numbers[1] = Some(tree::uint64(value, at)?),
                8 => description = tree::optional(value, at, tree::string)?,
                9 => products = Some(tree::array(value, at, ProductRequest::from_node)?),
                10 => caps = Some(tree::array(value, at, CapRequest::from_node)?),
                11 => lpr = tree::array(value, at, LprRequest::from_node)?,
                12 => programs = Some(tree::array(value, at, ProgramRequest::from_node)?),
                13 => promotions = tree::array(value, at, NamedPromotion::from_node)?,
                14 => texts = Some(text_maps(value, at)?),
                _ => pre_eligibility = (*value != Node::Null).then_some(PreEligibilityGiven),
            }
            Ok(())
        })?;
        let [schema, bundle_id, channel, issued_at, expires_at, min_engine_version] = text;
        let [version, root_version] = numbers;
        Ok(BundlePayload {
            schema: tree::required(schema, "schema", path)?,
            bundle_id: tree::required(bundle_id, "bundleId", path)?,
            channel: tree::required(channel, "channel", path)?,
            version: tree::required(version, "version", path)?,
            issued_at: tree::required(issued_at, "issuedAt", path)?,
            expires_at: tree::required(expires_at, "expiresAt", path)?,
            min_engine_version: tree::required(min_engine_version, "minEngineVersion", path)?,
            root_version: tree::required(root_version, "rootVersion", path)?,
            description,
            products: tree::required(products, "products", path)?,
            caps: tree::required(caps, "caps", path)?,
            lpr,
            subsidy_programs: tree::required(programs, "subsidyPrograms", path)?,
            promotions,
            texts: tree::required(texts, "texts", path)?,
            pre_eligibility,
        })
    }
}

impl NamedPromotion {
    /// Reads a named promotion (`id` and `promotion` required) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<NamedPromotion, ApiError> {
        let (mut id, mut name, mut promotion) = (None, None, None);
        tree::object(
            node,
            path,
            &["id", "name", "promotion"],
            &mut |field, value, at| {
                match field {
                    0 => id = Some(tree::string(value, at)?),
                    1 => name = tree::optional(value, at, LocalizedText::from_node)?,
                    _ => promotion = Some(PromotionRequest::from_node(value, at)?),
                }
                Ok(())
            },
        )?;
        Ok(NamedPromotion {
            id: tree::required(id, "id", path)?,
            name,
            promotion: tree::required(promotion, "promotion", path)?,
        })
    }
}

impl AmountRequest {
    /// Reads `{min, max, step}` (all required strings) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<AmountRequest, ApiError> {
        let mut read: [Option<String>; 3] = Default::default();
        tree::object(
            node,
            path,
            &["min", "max", "step"],
            &mut |field, value, at| {
                if let Some(slot) = read.get_mut(field) {
                    *slot = Some(tree::string(value, at)?);
                }
                Ok(())
            },
        )?;
        let [min, max, step] = read;
        Ok(AmountRequest {
            min: tree::required(min, "min", path)?,
            max: tree::required(max, "max", path)?,
            step: tree::required(step, "step", path)?,
        })
    }
}

/// The wire names of [`ProductRequest`]'s fields, in declaration order.
const PRODUCT_FIELDS: &[&str] = &[
    "id",
    "name",
    "kind",
    "amount",
    "terms",
    "methods",
    "dayCount",
    "rounding",
    "fees",
    "parties",
    "dailyRateYearDays",
    "price",
    "caps",
    "subsidyPrograms",
    "promotions",
    "institutionType",
    "subsidyInstitutionType",
    "texts",
];

impl ProductRequest {
    /// Reads one product from its JSON tree (`id`, `name`, `kind`, `amount`, `terms`,
    /// `methods` and `price` required).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<ProductRequest, ApiError> {
        let (mut id, mut name, mut kind, mut amount) = (None, None, None, None);
        let (mut terms, mut methods, mut price) = (None, None, None);
        let (mut day_count, mut rounding, mut daily_rate_year_days) = (None, None, None);
        let (mut institution_type, mut subsidy_institution_type) = (None, None);
        let (mut fees, mut parties) = (Vec::new(), Vec::new());
        let mut lists: [Vec<String>; 4] = Default::default();
        tree::object(node, path, PRODUCT_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => id = Some(tree::string(value, at)?),
                1 => name = Some(LocalizedText::from_node(value, at)?),
                2 => kind = Some(LoanKind::from_node(value, at)?),
                3 => amount = Some(AmountRequest::from_node(value, at)?),
                4 => terms = Some(integers(value, at)?),
                5 => methods = Some(strings(value, at)?),
                6 => day_count = text(value)?,
                7 => rounding = text(value)?,
                8 => fees = tree::array(value, at, ProductFeeRequest::from_node)?,
                9 => parties = tree::array(value, at, PartyRequest::from_node)?,
                10 => daily_rate_year_days = tree::optional(value, at, tree::uint32)?,
                11 => price = Some(tree::array(value, at, PriceRowRequest::from_node)?),
                12..=14 => lists[field - 12] = strings(value, at)?,
                15 => institution_type = text(value)?,
                16 => subsidy_institution_type = text(value)?,
                _ => lists[3] = strings(value, at)?,
            }
            Ok(())
        })?;
        let [caps, subsidy_programs, promotions, texts] = lists;
        Ok(ProductRequest {
            id: tree::required(id, "id", path)?,
            name: tree::required(name, "name", path)?,
            kind: tree::required(kind, "kind", path)?,
            amount: tree::required(amount, "amount", path)?,
            terms: tree::required(terms, "terms", path)?,
            methods: tree::required(methods, "methods", path)?,
            day_count,
            rounding,
            fees,
            parties,
            daily_rate_year_days,
            price: tree::required(price, "price", path)?,
            caps,
            subsidy_programs,
            promotions,
            institution_type,
            subsidy_institution_type,
            texts,
        })
    }
}

impl PartyRole {
    /// Reads a role as serde_json reads a unit-only enum ([`tree::unit_variant`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PartyRole, ApiError> {
        const NAMES: &[&str] = &["funder", "platform", "guarantor", "insurer"];
        Ok(match tree::unit_variant(node, path, NAMES)? {
            0 => PartyRole::Funder,
            1 => PartyRole::Platform,
            2 => PartyRole::Guarantor,
            _ => PartyRole::Insurer,
        })
    }
}

impl PartyRequest {
    /// Reads one party (every field required) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PartyRequest, ApiError> {
        const FIELDS: &[&str] = &["id", "role", "legalName", "licence", "servicePhone"];
        let (mut id, mut role, mut legal_name, mut licence, mut phone) =
            (None, None, None, None, None);
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            match field {
                0 => id = Some(tree::string(value, at)?),
                1 => role = Some(PartyRole::from_node(value, at)?),
                2 => legal_name = Some(LocalizedText::from_node(value, at)?),
                3 => licence = Some(LocalizedText::from_node(value, at)?),
                _ => phone = Some(tree::string(value, at)?),
            }
            Ok(())
        })?;
        Ok(PartyRequest {
            id: tree::required(id, "id", path)?,
            role: tree::required(role, "role", path)?,
            legal_name: tree::required(legal_name, "legalName", path)?,
            licence: tree::required(licence, "licence", path)?,
            service_phone: tree::required(phone, "servicePhone", path)?,
        })
    }
}

impl ProductFeeRequest {
    /// Reads one product fee (`kind` and `timing` required) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<ProductFeeRequest, ApiError> {
        const FIELDS: &[&str] = &["kind", "timing", "amount", "rate", "party"];
        let mut out = ProductFeeRequest::default();
        let (mut kind, mut timing) = (None, None);
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => kind = Some(tree::string(value, at)?),
                1 => timing = Some(tree::string(value, at)?),
                2 => out.amount = text(value)?,
                3 => out.rate = text(value)?,
                _ => out.party = text(value)?,
            }
            Ok(())
        })?;
        out.kind = tree::required(kind, "kind", path)?;
        out.timing = tree::required(timing, "timing", path)?;
        Ok(out)
    }
}

impl PriceRowRequest {
    /// Reads one price row (every field optional) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PriceRowRequest, ApiError> {
        const FIELDS: &[&str] = &["when", "annualRate", "dailyRate", "feeRate"];
        let mut out = PriceRowRequest::default();
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => out.when = tree::optional(value, at, PriceWhenRequest::from_node)?,
                1 => out.annual_rate = text(value)?,
                2 => out.daily_rate = text(value)?,
                _ => out.fee_rate = text(value)?,
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl PriceWhenRequest {
    /// Reads a price row's conditions (every field optional) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PriceWhenRequest, ApiError> {
        let mut out = PriceWhenRequest::default();
        tree::object(
            node,
            path,
            &["band", "amount", "termMonths"],
            &mut |field, value, at| {
                match field {
                    0 => out.band = tree::optional(value, at, strings)?,
                    1 => out.amount = tree::optional(value, at, RangeRequest::from_node)?,
                    _ => out.term_months = tree::optional(value, at, integers)?,
                }
                Ok(())
            },
        )?;
        Ok(out)
    }
}

impl RangeRequest {
    /// Reads `{min, max}` (both optional strings) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<RangeRequest, ApiError> {
        let mut out = RangeRequest::default();
        tree::object(node, path, &["min", "max"], &mut |field, value, at| {
            match field {
                0 => out.min = tree::optional(value, at, tree::string)?,
                _ => out.max = tree::optional(value, at, tree::string)?,
            }
            Ok(())
        })?;
        Ok(out)
    }
}

pub(crate) fn score_error(error: &ScoreError) -> ProductError {
    let inner = error.path().unwrap_or_default();
    ProductError::PreEligibility {
        code: error.code(),
        path: if inner.is_empty() || inner.starts_with(PRE_ELIGIBILITY) {
            if inner.is_empty() {
                PRE_ELIGIBILITY.to_owned()
            } else {
                inner
            }
        } else {
            format!("{PRE_ELIGIBILITY}.{inner}")
        },
        reason: error.to_string(),
    }
}

/// The payload field holding the eligibility model.
pub const PRE_ELIGIBILITY: &str = "preEligibility";

/// The bundle's eligibility model, read by the score module's exact reader (no `f64` between
/// the signed bytes and the scorecard's decimals).
pub fn pre_eligibility_wire(
    payload_bytes: &[u8],
) -> Result<Option<EligibilityModel>, ProductError> {
    let document = wire::parse_request(payload_bytes).map_err(|e| score_error(&e))?;
    match document.get(PRE_ELIGIBILITY) {
        None => Ok(None),
        Some(value) => wire::model_from_value(value, PRE_ELIGIBILITY)
            .map(Some)
            .map_err(|e| score_error(&e)),
    }
}

fn amount_at(text: &str, path: String) -> Result<Decimal, ProductError> {
    let value = parse_amount(text).map_err(|issue| invalid(path.clone(), issue.to_string()))?;
    if value <= Decimal::ZERO {
        return Err(invalid(path, "must be greater than zero"));
    }
    Ok(value)
}

fn rate_at(text: &str, path: String) -> Result<Decimal, ProductError> {
    let value = parse_rate(text).map_err(|issue| invalid(path.clone(), issue.to_string()))?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(invalid(path, "must not be negative"));
    }
    Ok(value)
}

fn term_at(term: i64, path: String) -> Result<u32, ProductError> {
    u32::try_from(term)
        .ok()
        .filter(|t| (1..=crate::schedule::MAX_TERM_MONTHS).contains(t))
        .ok_or_else(|| {
            invalid(
                path,
                format!(
                    "term must be between 1 and {} months",
                    crate::schedule::MAX_TERM_MONTHS
                ),
            )
        })
}

impl PriceRowRequest {
    /// The typed row; `path` is the row's JSON path, `year_days` maps a daily rate to annual.
    pub(crate) fn to_row(&self, path: &str, year_days: YearDays) -> Result<PriceRow, ProductError> {
        let price = match (&self.annual_rate, &self.daily_rate, &self.fee_rate) {
            (Some(text), None, None) => Price::Annual(rate_at(text, format!("{path}.annualRate"))?),
            (None, Some(text), None) => {
                let daily = rate_at(text, format!("{path}.dailyRate"))?;
                let annual = apr::stated_annual_from_daily(daily, year_days)
                    .map_err(|e| invalid(format!("{path}.dailyRate"), e.to_string()))?;
                Price::Daily { daily, annual }
            }
            (None, None, Some(text)) => Price::FeeRate(rate_at(text, format!("{path}.feeRate"))?),
            _ => {
                return Err(invalid(
                    path,
                    "give exactly one of annualRate, dailyRate and feeRate",
                ))
            }
        };
        let when = self.when.clone().unwrap_or_default();
        let (amount_min, amount_max) = match &when.amount {
            None => (None, None),
            Some(range) => {
                let min = range
                    .min
                    .as_deref()
                    .map(|t| amount_at(t, format!("{path}.when.amount.min")))
                    .transpose()?;
                let max = range
                    .max
                    .as_deref()
                    .map(|t| amount_at(t, format!("{path}.when.amount.max")))
                    .transpose()?;
                if let (Some(lo), Some(hi)) = (min, max) {
                    if lo > hi {
                        return Err(invalid(
                            format!("{path}.when.amount"),
                            "min is greater than max",
                        ));
                    }
                }
                (min, max)
            }
        };
        let terms = match &when.term_months {
            Some(months) => {
                let mut terms = Vec::with_capacity(months.len());
                for (idx, t) in months.iter().enumerate() {
                    terms.push(term_at(*t, format!("{path}.when.termMonths[{idx}]"))?);
                }
                Some(terms)
            }
            None => None,
        };
        Ok(PriceRow {
            bands: when.band,
            amount_min,
            amount_max,
            terms,
            price,
        })
    }
}

/// A promotion in a quote request: the id of one the product offers, or an inline definition
/// (a coupon the host holds). On the wire: a string or a promotion object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Value", into = "Value")]
pub enum PromotionChoice {
    /// Id of a promotion the product lists.
    Id(String),
    /// An inline promotion.
    Inline(PromotionRequest),
}

// Read through `Value` rather than `#[serde(untagged)]`: untagged enums instantiate serde's
// buffering machinery, which costs more wasm than this whole conversion.
impl TryFrom<Value> for PromotionChoice {
    type Error = String;

    fn try_from(value: Value) -> Result<Self, Self::Error> {
        match value {
            Value::String(id) => Ok(PromotionChoice::Id(id)),
            other => serde_json::from_value(other)
                .map(PromotionChoice::Inline)
                .map_err(|e| format!("a promotion is an id or a promotion object: {e}")),
        }
    }
}

impl From<PromotionChoice> for Value {
    fn from(choice: PromotionChoice) -> Value {
        match choice {
            PromotionChoice::Id(id) => Value::String(id),
            PromotionChoice::Inline(wire) => serde_json::to_value(wire).unwrap_or(Value::Null),
        }
    }
}

impl PromotionChoice {
    /// Reads a string as a promotion id, anything else as an inline promotion, as serde read
    /// it through `serde_json::Value`: an object's members in key order (`Value`'s map is
    /// sorted), and every refusal "a promotion is an id or a promotion object: …" at the
    /// choice's own path (the `Value` was read whole before the promotion was).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PromotionChoice, ApiError> {
        let sorted;
        let node = match node {
            Node::String(id) => return Ok(PromotionChoice::Id(id.clone().into_owned())),
            Node::Object(members) => {
                let mut members = members.clone();
                crate::sort::sort_by(&mut members, |(a, _), (b, _)| a.cmp(b));
                sorted = Node::Object(members);
                &sorted
            }
            other => other,
        };
        PromotionRequest::from_node(node, path)
            .map(PromotionChoice::Inline)
            .map_err(|err| {
                let message = format!(
                    "a promotion is an id or a promotion object: {}",
                    err.message
                );
                tree::error_at("invalid-request", message, path)
            })
    }
}

/// A quote request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct QuoteRequest {
    /// The product's id.
    pub product_id: String,
    /// Principal, decimal string.
    pub amount: String,
    /// Term in months.
    pub term_months: i64,
    /// Repayment method (default: the product's first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `YYYY-MM-DD`; gives the schedule dates and the day caps are judged on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// Risk band from pre-eligibility (`A`, `B`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// Subsidy already received under the cap in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_used: Option<String>,
    /// Promotions to apply.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<PromotionChoice>,
    /// Borrower and transaction facts for subsidy eligibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextRequest>,
}

/// The wire names of [`QuoteRequest`]'s fields, in declaration order.
const QUOTE_FIELDS: &[&str] = &[
    "productId",
    "amount",
    "termMonths",
    "method",
    "startDate",
    "band",
    "subsidyUsed",
    "promotions",
    "context",
];

impl QuoteRequest {
    /// Reads a quote request from JSON bytes through the request gate
    /// ([`tree::read_request`]): the gate's codes, then serde's (`invalid-request`,
    /// `missing-field` for `productId`, `amount`, `termMonths`, `unknown-field`), each with its
    /// JSON path.
    pub fn from_json(bytes: &[u8]) -> Result<QuoteRequest, ApiError> {
        tree::read_request(bytes, QuoteRequest::from_node)
    }

    /// Reads a quote request from its JSON tree at `path`.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<QuoteRequest, ApiError> {
        let mut out = QuoteRequest::default();
        let (mut product_id, mut amount, mut term_months) = (None, None, None);
        tree::object(node, path, QUOTE_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => product_id = Some(tree::string(value, at)?),
                1 => amount = Some(tree::string(value, at)?),
                2 => term_months = Some(tree::int64(value, at)?),
                3 => out.method = text(value)?,
                4 => out.start_date = text(value)?,
                5 => out.band = text(value)?,
                6 => out.subsidy_used = text(value)?,
                7 => out.promotions = tree::array(value, at, PromotionChoice::from_node)?,
                _ => out.context = tree::optional(value, at, ContextRequest::from_node)?,
            }
            Ok(())
        })?;
        out.product_id = tree::required(product_id, "productId", path)?;
        out.amount = tree::required(amount, "amount", path)?;
        out.term_months = tree::required(term_months, "termMonths", path)?;
        Ok(out)
    }
}

impl QuoteRequest {
    /// The typed terms, each value checked with its JSON path: `amount`, `method`,
    /// `startDate`, `context`, `promotions`, `subsidyUsed`, then `termMonths` (a term outside
    /// `u32` is `term-not-offered`; the engine adds the product's terms to the error).
    pub fn to_terms(&self) -> Result<QuoteTerms, EngineError> {
        let amount = parse_amount(&self.amount)
            .map_err(|issue| EngineError::Schedule(schedule::decimal_error(issue, "amount")))?;
        let method = self
            .method
            .as_deref()
            .map(|name| {
                Method::parse(name).ok_or_else(|| EngineError::MethodNotOffered {
                    method: name.to_owned(),
                })
            })
            .transpose()?;
        let start_date = self
            .start_date
            .as_deref()
            .map(|text| {
                Date::parse(text).ok_or_else(|| {
                    EngineError::Schedule(ScheduleError::InvalidDate {
                        path: "startDate".into(),
                    })
                })
            })
            .transpose()?;
        let context = match &self.context {
            Some(wire) => wire.to_context()?,
            None => Context::default(),
        };
        let mut promotions = Vec::with_capacity(self.promotions.len());
        for (idx, choice) in self.promotions.iter().enumerate() {
            promotions.push(match choice {
                PromotionChoice::Id(id) => PromotionTerm::Id(id.clone()),
                PromotionChoice::Inline(wire) => {
                    PromotionTerm::Inline(wire.to_promotion(&format!("promotions[{idx}]"))?)
                }
            });
        }
        let subsidy_used = match &self.subsidy_used {
            Some(text) => parse_amount(text).map_err(|issue| {
                EngineError::Schedule(schedule::decimal_error(issue, "subsidyUsed"))
            })?,
            None => Decimal::ZERO,
        };
        let term_months =
            u32::try_from(self.term_months).map_err(|_| EngineError::TermNotOffered {
                term: self.term_months,
                offered: Vec::new(),
            })?;
        Ok(QuoteTerms {
            product_id: self.product_id.clone(),
            amount,
            term_months,
            method,
            start_date,
            band: self.band.clone(),
            subsidy_used,
            promotions,
            context,
        })
    }
}

crate::json_object::objects_only!(
    BundlePayload,
    NamedPromotion,
    AmountRequest,
    ProductRequest,
    PartyRequest,
    ProductFeeRequest,
    PriceRowRequest,
    PriceWhenRequest,
    RangeRequest,
    QuoteRequest
);
crate::json_object::serialize_derived!(
    BundlePayload,
    NamedPromotion,
    AmountRequest,
    ProductRequest,
    PartyRequest,
    ProductFeeRequest,
    PriceRowRequest,
    PriceWhenRequest,
    RangeRequest,
    QuoteRequest
);
