//! The typed content of a `puhui.bundle/v1` payload: products with their price tables, caps,
//! the LPR table, subsidy programs, named promotions and display texts
//! (`docs/bundle-schema.json` documents the same shape).
//!
//! Owns the wire form ([`BundlePayload`], strict: every struct denies unknown fields) and its
//! compilation into a [`Catalog`] the quote engine reads without re-parsing: decimal strings
//! become `Decimal`, cap/program/promotion references are resolved, each product gets a template
//! [`Loan`] built through [`crate::schedule`]. First-hit price selection lives here too.
//! It must not verify signatures (that is [`crate::bundle`]) nor compute any figure (schedules,
//! rates and caps belong to their own modules).

use crate::apr::{self, YearDays};
use crate::caps::{CapRequest, CapSet, LprRequest};
use crate::error::{from_json_slice, ApiError, ErrorCode};
use crate::money::{parse_amount, parse_rate};
use crate::promo::{Promotion, PromotionRequest};
use crate::schedule::{FeeRequest, Loan, Method, ScheduleRequest};
use crate::score::{wire, CompiledModel, EligibilityModel, ScoreError};
use crate::subsidy::{LoanKind, LocalizedText, Program, ProgramRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The two display languages every bundle carries.
pub const LANGUAGES: [&str; 2] = ["zh-CN", "en"];

/// Why a payload cannot be compiled into a catalog.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProductError {
    /// The payload does not match the schema (unknown field, wrong type, missing field).
    #[error("{}", .0.message)]
    Schema(ApiError),
    /// A value is out of range or inconsistent.
    #[error("{path}: {reason}")]
    Invalid {
        /// JSON path inside the payload.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A product refers to a cap, program or promotion the bundle does not define.
    #[error("{path}: unknown {what} {id:?}")]
    UnknownReference {
        /// JSON path of the reference.
        path: String,
        /// `cap`, `subsidy program`, `promotion` or `party`.
        what: &'static str,
        /// The id referred to.
        id: String,
    },
    /// The pre-eligibility model is refused by the score module.
    #[error("{path}: {reason}")]
    PreEligibility {
        /// The score module's code.
        code: &'static str,
        /// JSON path inside the payload (under `preEligibility`).
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A product's parties or fee attributions are incomplete or contradictory
    /// (`no-funder`, `multiple-funders`, `fee-without-party`, `conflicting-party`).
    #[error("{path}: {reason}")]
    Party {
        /// The stable code.
        code: &'static str,
        /// JSON path inside the payload.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Two entries share one id.
    #[error("{path}: duplicate id {id:?}")]
    DuplicateId {
        /// JSON path of the second entry.
        path: String,
        /// The id.
        id: String,
    },
}

impl ErrorCode for ProductError {
    fn code(&self) -> &'static str {
        match self {
            ProductError::Schema(error) => match error.code.as_str() {
                "unknown-field" => "unknown-field",
                "missing-field" => "missing-field",
                _ => "invalid-bundle",
            },
            ProductError::Invalid { .. } => "invalid-bundle",
            ProductError::UnknownReference { .. } => "unknown-reference",
            ProductError::DuplicateId { .. } => "duplicate-id",
            ProductError::PreEligibility { code, .. } | ProductError::Party { code, .. } => code,
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            ProductError::Schema(error) => Some(match &error.path {
                Some(path) => format!("payload.{path}"),
                None => "payload".into(),
            }),
            ProductError::Invalid { path, .. }
            | ProductError::UnknownReference { path, .. }
            | ProductError::DuplicateId { path, .. }
            | ProductError::Party { path, .. }
            | ProductError::PreEligibility { path, .. } => Some(format!("payload.{path}")),
        }
    }
}

impl ProductError {
    /// The JSON path inside the payload (without the `payload.` prefix of [`ErrorCode::path`]).
    pub fn payload_path(&self) -> String {
        match self {
            ProductError::Schema(error) => error.path.clone().unwrap_or_default(),
            ProductError::Invalid { path, .. }
            | ProductError::UnknownReference { path, .. }
            | ProductError::DuplicateId { path, .. }
            | ProductError::Party { path, .. }
            | ProductError::PreEligibility { path, .. } => path.clone(),
        }
    }
}

fn invalid(path: impl Into<String>, reason: impl Into<String>) -> ProductError {
    ProductError::Invalid {
        path: path.into(),
        reason: reason.into(),
    }
}

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
    pub texts: BTreeMap<String, BTreeMap<String, String>>,
    /// Pre-eligibility rules (scorecard, knock-outs, bands, limit rule); typed by the score
    /// module once it is merged, carried as JSON until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_eligibility: Option<serde_json::Value>,
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
    /// The schedule's wire form of the fee (without the party).
    pub fn to_fee_request(&self) -> FeeRequest {
        FeeRequest {
            kind: self.kind.clone(),
            timing: self.timing.clone(),
            amount: self.amount.clone(),
            rate: self.rate.clone(),
        }
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

/// What a price row sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    /// Nominal annual rate.
    Annual(Decimal),
    /// Daily rate and the annual rate it maps to.
    Daily {
        /// The daily rate.
        daily: Decimal,
        /// daily × year days.
        annual: Decimal,
    },
    /// Flat-fee rate per period.
    FeeRate(Decimal),
}

impl Price {
    /// The rate the loan carries (annual for interest, per period for flat fees).
    pub fn magnitude(self) -> Decimal {
        match self {
            Price::Annual(rate) | Price::Daily { annual: rate, .. } | Price::FeeRate(rate) => rate,
        }
    }
}

/// A compiled price row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceRow {
    /// Bands matched (`None`: any, including none given).
    pub bands: Option<Vec<String>>,
    /// Lowest amount matched.
    pub amount_min: Option<Decimal>,
    /// Highest amount matched.
    pub amount_max: Option<Decimal>,
    /// Terms matched (`None`: any).
    pub terms: Option<Vec<u32>>,
    /// The price.
    pub price: Price,
}

impl PriceRow {
    /// Whether the row matches a request.
    pub fn matches(&self, band: Option<&str>, amount: Decimal, term: u32) -> bool {
        let band_ok = match (&self.bands, band) {
            (None, _) => true,
            (Some(bands), Some(band)) => bands.iter().any(|b| b == band),
            (Some(_), None) => false,
        };
        band_ok
            && self.amount_min.is_none_or(|min| amount >= min)
            && self.amount_max.is_none_or(|max| amount <= max)
            && self
                .terms
                .as_ref()
                .is_none_or(|terms| terms.contains(&term))
    }
}

/// A named promotion, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedPromotion {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: Option<LocalizedText>,
    /// The validated promotion.
    pub promotion: Promotion,
}

/// A compiled product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// The wire form (what `products()` lists).
    pub wire: ProductRequest,
    /// Index in `products` (for paths).
    pub index: usize,
    /// Smallest amount.
    pub amount_min: Decimal,
    /// Largest amount.
    pub amount_max: Decimal,
    /// Amount step.
    pub amount_step: Decimal,
    /// Terms offered.
    pub terms: Vec<u32>,
    /// Methods offered.
    pub methods: Vec<Method>,
    /// Days per year of daily rates.
    pub year_days: YearDays,
    /// Price rows in order.
    pub price: Vec<PriceRow>,
    /// The product's caps and the bundle's LPR table.
    pub caps: CapSet,
    /// Its subsidy programs.
    pub programs: Vec<Program>,
    /// Its promotions.
    pub promotions: Vec<OfferedPromotion>,
    /// Day count, rounding and fees; principal, term, method and rates are set per quote.
    pub template: Loan,
    /// Index in `wire.parties` of the funder.
    pub funder: usize,
    /// For each fee of `template.fees` (same order), the index in `wire.parties` of the party
    /// that charges it.
    pub fee_parties: Vec<usize>,
}

impl Product {
    /// The first price row matching a request (first-hit semantics).
    pub fn price_for(&self, band: Option<&str>, amount: Decimal, term: u32) -> Option<&PriceRow> {
        self.price
            .iter()
            .find(|row| row.matches(band, amount, term))
    }

    /// The loan of a request priced by `price` (not yet validated).
    pub fn loan(&self, amount: Decimal, term: u32, method: Method, price: Price) -> Loan {
        let mut loan = self.template.clone();
        loan.principal = amount;
        loan.term_months = term;
        loan.method = method;
        match price {
            Price::FeeRate(rate) => {
                loan.fee_rate = rate;
                loan.annual_rate = Decimal::ZERO;
            }
            Price::Annual(rate) | Price::Daily { annual: rate, .. } => {
                loan.annual_rate = rate;
                loan.fee_rate = Decimal::ZERO;
            }
        }
        loan
    }
}

/// Everything of a payload the engine reads, compiled once.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The wire payload.
    pub payload: BundlePayload,
    /// Products in bundle order.
    pub products: Vec<Product>,
    /// The compiled pre-eligibility model, when the bundle carries one.
    pub pre_eligibility: Option<CompiledModel>,
}

impl Catalog {
    /// Parses and compiles payload bytes (already verified, or a draft being linted).
    pub fn from_slice(payload_bytes: &[u8]) -> Result<Catalog, ProductError> {
        let payload: BundlePayload =
            from_json_slice(payload_bytes).map_err(ProductError::Schema)?;
        let has_model = payload.pre_eligibility.is_some();
        let mut catalog = Catalog::compile(payload)?;
        if has_model {
            catalog.pre_eligibility = Some(pre_eligibility_model(payload_bytes)?);
        }
        Ok(catalog)
    }

    /// Compiles a parsed payload: the first problem is returned with its JSON path.
    pub fn compile(payload: BundlePayload) -> Result<Catalog, ProductError> {
        let all_caps = CapSet::from_wire(&payload.caps, &payload.lpr).map_err(|e| {
            let path = e.path().unwrap_or_else(|| "caps".into());
            invalid(path, e.to_string())
        })?;
        check_unique(payload.caps.iter().map(|c| c.id.as_str()), "caps", ".id")?;
        check_unique(
            payload
                .subsidy_programs
                .iter()
                .map(|p| p.id.as_deref().unwrap_or("")),
            "subsidyPrograms",
            ".id",
        )?;
        check_unique(
            payload.promotions.iter().map(|p| p.id.as_str()),
            "promotions",
            ".id",
        )?;
        check_unique(
            payload.products.iter().map(|p| p.id.as_str()),
            "products",
            ".id",
        )?;
        let mut programs = Vec::with_capacity(payload.subsidy_programs.len());
        for (idx, program) in payload.subsidy_programs.iter().enumerate() {
            let path = format!("subsidyPrograms[{idx}]");
            if program.id.as_deref().is_none_or(str::is_empty) {
                return Err(invalid(
                    format!("{path}.id"),
                    "a bundle program needs an id",
                ));
            }
            programs.push(
                program.to_program(&path).map_err(|e| {
                    invalid(e.path().unwrap_or_else(|| path.clone()), e.to_string())
                })?,
            );
        }
        let mut promotions = Vec::with_capacity(payload.promotions.len());
        for (idx, named) in payload.promotions.iter().enumerate() {
            let path = format!("promotions[{idx}].promotion");
            let promotion = named
                .promotion
                .to_promotion(&path)
                .map_err(|e| invalid(e.path().unwrap_or_else(|| path.clone()), e.to_string()))?;
            promotions.push(OfferedPromotion {
                id: named.id.clone(),
                name: named.name.clone(),
                promotion,
            });
        }
        let mut products = Vec::with_capacity(payload.products.len());
        for (idx, wire) in payload.products.iter().enumerate() {
            products.push(compile_product(
                wire,
                idx,
                &all_caps,
                &programs,
                &promotions,
            )?);
        }
        if let Some(conflict) = party_conflicts(&payload.products).into_iter().next() {
            return Err(conflict);
        }
        Ok(Catalog {
            payload,
            products,
            pre_eligibility: None,
        })
    }

    /// The product with `id`.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.wire.id == id)
    }
}

fn score_error(error: &ScoreError) -> ProductError {
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

fn pre_eligibility_model(payload_bytes: &[u8]) -> Result<CompiledModel, ProductError> {
    let model = pre_eligibility_wire(payload_bytes)?
        .ok_or_else(|| invalid(PRE_ELIGIBILITY, "preEligibility is missing"))?;
    CompiledModel::compile(&model).map_err(|e| score_error(&e))
}

fn check_unique<'a>(
    ids: impl Iterator<Item = &'a str>,
    list: &str,
    field: &str,
) -> Result<(), ProductError> {
    let mut seen: Vec<&str> = Vec::new();
    for (idx, id) in ids.enumerate() {
        if !id.is_empty() && seen.contains(&id) {
            return Err(ProductError::DuplicateId {
                path: format!("{list}[{idx}]{field}"),
                id: id.to_owned(),
            });
        }
        seen.push(id);
    }
    Ok(())
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

pub(crate) fn compile_product(
    wire: &ProductRequest,
    index: usize,
    all_caps: &CapSet,
    programs: &[Program],
    promotions: &[OfferedPromotion],
) -> Result<Product, ProductError> {
    let at = |field: &str| format!("products[{index}].{field}");
    if wire.id.is_empty() {
        return Err(invalid(at("id"), "must not be empty"));
    }
    let amount_min = amount_at(&wire.amount.min, at("amount.min"))?;
    let amount_max = amount_at(&wire.amount.max, at("amount.max"))?;
    let amount_step = amount_at(&wire.amount.step, at("amount.step"))?;
    if amount_min > amount_max {
        return Err(invalid(at("amount"), "min is greater than max"));
    }
    if wire.terms.is_empty() {
        return Err(invalid(at("terms"), "at least one term is required"));
    }
    let terms = wire
        .terms
        .iter()
        .enumerate()
        .map(|(idx, term)| term_at(*term, at(&format!("terms[{idx}]"))))
        .collect::<Result<Vec<_>, _>>()?;
    if wire.methods.is_empty() {
        return Err(invalid(at("methods"), "at least one method is required"));
    }
    let methods = wire
        .methods
        .iter()
        .enumerate()
        .map(|(idx, name)| {
            Method::parse(name).ok_or_else(|| {
                invalid(
                    at(&format!("methods[{idx}]")),
                    format!("unknown method {name:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let year_days = match wire.daily_rate_year_days {
        None => YearDays::D360,
        Some(days) => {
            YearDays::parse(days).ok_or_else(|| invalid(at("dailyRateYearDays"), "360 or 365"))?
        }
    };
    if wire.price.is_empty() {
        return Err(invalid(at("price"), "at least one price row is required"));
    }
    let mut price = Vec::with_capacity(wire.price.len());
    for (idx, row) in wire.price.iter().enumerate() {
        price.push(compile_row(row, &at(&format!("price[{idx}]")), year_days)?);
    }
    let flat = methods.contains(&Method::FlatFee);
    for (idx, row) in price.iter().enumerate() {
        let is_fee = matches!(row.price, Price::FeeRate(_));
        if is_fee && methods.iter().any(|m| *m != Method::FlatFee) {
            return Err(invalid(
                at(&format!("price[{idx}].feeRate")),
                "feeRate prices only flat-fee products",
            ));
        }
        if !is_fee && flat {
            return Err(invalid(
                at(&format!("price[{idx}]")),
                "a flat-fee product is priced by feeRate",
            ));
        }
    }
    // The template carries day count, rounding and fees; validation of those happens here once.
    let template_request = ScheduleRequest {
        principal: wire.amount.min.clone(),
        annual_rate: Some("0".into()),
        term_months: i64::from(terms[0]),
        method: "equal-installment".into(),
        day_count: wire.day_count.clone(),
        rounding: wire.rounding.clone(),
        fees: wire
            .fees
            .iter()
            .map(ProductFeeRequest::to_fee_request)
            .collect(),
        ..ScheduleRequest::default()
    };
    let template = template_request.to_loan().map_err(|e| {
        let path = e.path().map_or_else(|| at("fees"), |p| at(&p));
        invalid(path, e.to_string())
    })?;
    if let Some(problem) = party_problems(wire, index).into_iter().next() {
        return Err(problem);
    }
    let funder = wire
        .parties
        .iter()
        .position(|p| p.role == PartyRole::Funder)
        .ok_or_else(|| no_funder(index))?;
    let fee_parties = wire
        .fees
        .iter()
        .enumerate()
        .map(|(idx, fee)| {
            fee.party
                .as_deref()
                .and_then(|id| wire.parties.iter().position(|p| p.id == id))
                .ok_or_else(|| fee_without_party(index, idx))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut cap_list = Vec::with_capacity(wire.caps.len());
    for (idx, id) in wire.caps.iter().enumerate() {
        let cap = all_caps.caps.iter().find(|c| &c.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("caps[{idx}]")),
                what: "cap",
                id: id.clone(),
            }
        })?;
        cap_list.push(cap.clone());
    }
    let mut product_programs = Vec::with_capacity(wire.subsidy_programs.len());
    for (idx, id) in wire.subsidy_programs.iter().enumerate() {
        let program = programs.iter().find(|p| &p.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("subsidyPrograms[{idx}]")),
                what: "subsidy program",
                id: id.clone(),
            }
        })?;
        product_programs.push(program.clone());
    }
    let mut product_promotions = Vec::with_capacity(wire.promotions.len());
    for (idx, id) in wire.promotions.iter().enumerate() {
        let promotion = promotions.iter().find(|p| &p.id == id).ok_or_else(|| {
            ProductError::UnknownReference {
                path: at(&format!("promotions[{idx}]")),
                what: "promotion",
                id: id.clone(),
            }
        })?;
        product_promotions.push(promotion.clone());
    }
    Ok(Product {
        wire: wire.clone(),
        index,
        amount_min,
        amount_max,
        amount_step,
        terms,
        methods,
        year_days,
        price,
        caps: CapSet {
            caps: cap_list,
            lpr: all_caps.lpr.clone(),
        },
        programs: product_programs,
        promotions: product_promotions,
        template,
        funder,
        fee_parties,
    })
}

fn no_funder(index: usize) -> ProductError {
    ProductError::Party {
        code: "no-funder",
        path: format!("products[{index}].parties"),
        reason: "a product needs exactly one party with role \"funder\" (资金方)".into(),
    }
}

fn fee_without_party(index: usize, fee: usize) -> ProductError {
    ProductError::Party {
        code: "fee-without-party",
        path: format!("products[{index}].fees[{fee}].party"),
        reason: "every fee names the party that charges it".into(),
    }
}

/// Every problem of one product's parties and fee attributions, in payload order: empty ids,
/// duplicate ids, no funder or more than one, fees without a party or naming an unknown one.
/// `compile_product` stops at the first; lint reports them all.
pub fn party_problems(wire: &ProductRequest, index: usize) -> Vec<ProductError> {
    let at = |field: String| format!("products[{index}].{field}");
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut funders = 0_usize;
    for (idx, party) in wire.parties.iter().enumerate() {
        if party.id.is_empty() {
            problems.push(invalid(
                at(format!("parties[{idx}].id")),
                "must not be empty",
            ));
        } else if seen.contains(&party.id.as_str()) {
            problems.push(ProductError::DuplicateId {
                path: at(format!("parties[{idx}].id")),
                id: party.id.clone(),
            });
        }
        seen.push(&party.id);
        for (field, text) in [
            ("legalName", &party.legal_name),
            ("licence", &party.licence),
        ] {
            for (language, value) in [("zh-CN", &text.zh_cn), ("en", &text.en)] {
                if value.trim().is_empty() {
                    problems.push(invalid(
                        at(format!("parties[{idx}].{field}.{language}")),
                        "must not be empty",
                    ));
                }
            }
        }
        if party.service_phone.trim().is_empty() {
            problems.push(invalid(
                at(format!("parties[{idx}].servicePhone")),
                "must not be empty",
            ));
        }
        if party.role == PartyRole::Funder {
            funders += 1;
            if funders > 1 {
                problems.push(ProductError::Party {
                    code: "multiple-funders",
                    path: at(format!("parties[{idx}].role")),
                    reason: "a product has exactly one funder (资金方)".into(),
                });
            }
        }
    }
    if funders == 0 {
        problems.push(no_funder(index));
    }
    for (idx, fee) in wire.fees.iter().enumerate() {
        match fee.party.as_deref() {
            None | Some("") => problems.push(fee_without_party(index, idx)),
            Some(id) if !wire.parties.iter().any(|p| p.id == id) => {
                problems.push(ProductError::UnknownReference {
                    path: at(format!("fees[{idx}].party")),
                    what: "party",
                    id: id.to_owned(),
                });
            }
            Some(_) => {}
        }
    }
    problems
}

/// Parties that share an id across products but differ (role, names, licence or phone): the
/// partner list shows one entry per id, so one id must mean one party.
pub fn party_conflicts(products: &[ProductRequest]) -> Vec<ProductError> {
    let mut first: Vec<&PartyRequest> = Vec::new();
    let mut problems = Vec::new();
    for (index, product) in products.iter().enumerate() {
        for (idx, party) in product.parties.iter().enumerate() {
            match first.iter().find(|p| p.id == party.id) {
                Some(earlier) if *earlier != party => problems.push(ProductError::Party {
                    code: "conflicting-party",
                    path: format!("products[{index}].parties[{idx}]"),
                    reason: format!(
                        "party {:?} is described differently by an earlier product",
                        party.id
                    ),
                }),
                Some(_) => {}
                None => first.push(party),
            }
        }
    }
    problems
}

pub(crate) fn compile_row(
    row: &PriceRowRequest,
    path: &str,
    year_days: YearDays,
) -> Result<PriceRow, ProductError> {
    let price = match (&row.annual_rate, &row.daily_rate, &row.fee_rate) {
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
    let when = row.when.clone().unwrap_or_default();
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
    let terms = when
        .term_months
        .as_ref()
        .map(|terms| {
            terms
                .iter()
                .enumerate()
                .map(|(idx, t)| term_at(*t, format!("{path}.when.termMonths[{idx}]")))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(PriceRow {
        bands: when.band,
        amount_min,
        amount_max,
        terms,
        price,
    })
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
    RangeRequest
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
    RangeRequest
);
