//! The quote engine: a verified bundle, compiled once, answering `products()` and `quote(...)`.
//!
//! Owns the quote contract ([`QuoteRequest`] → [`Quote`]): picking the product and its first-hit
//! price row, refusing amounts, terms and methods the product does not offer, and assembling
//! the schedule ([`crate::schedule`]), the disclosure and cap checks ([`crate::disclosure`]),
//! promotions and subsidies ([`crate::subsidy`]) and the texts the page must show.
//! An [`Engine`] can only be made from a [`VerifiedBundle`], so no number reaches a page from
//! bytes that did not pass verification; a preview bundle marks every output `preview: true`.
//! It must not do any money math of its own, nor read clocks or storage.

pub use super::wire::{PromotionChoice, QuoteRequest};
use crate::apr::DailyRate;
use crate::bundle::{verify_bytes, BundleState, VerifiedBundle};
use crate::caps::CapCheck;
use crate::date::Date;
use crate::disclosure::{self, DisclosureError, DisclosureFigures, DisclosureOptions};
use crate::error::{ApiError, ErrorCode};
use crate::json::key_map::KeyMap;
use crate::money;
use crate::money::CheckedOps;
use crate::product::{
    Catalog, PartyRequest, PartyRole, Price, PriceRow, Product, ProductError, LANGUAGES,
};
use crate::promo::{PromoError, Promotion};
use crate::schedule::{self, Method, Schedule, ScheduleError};
use crate::subsidy::{self, LocalizedText, SubsidyError, SubsidyOutcome, SubsidyUsed};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

/// Why an engine could not be built or a quote refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The verified payload does not match the v1 schema.
    #[error(transparent)]
    Bundle(#[from] ProductError),
    /// No product has this id.
    #[error("unknown product {id:?}")]
    UnknownProduct {
        /// The id asked for.
        id: String,
    },
    /// The amount is outside the product's limits.
    #[error("amount {amount} is outside {min}..={max}")]
    AmountOutOfRange {
        /// Requested.
        amount: Decimal,
        /// Product minimum.
        min: Decimal,
        /// Product maximum.
        max: Decimal,
    },
    /// The amount is not `min + k × step`.
    #[error("amount {amount} is not on the step of {step} from {min}")]
    AmountOffStep {
        /// Requested.
        amount: Decimal,
        /// Product minimum.
        min: Decimal,
        /// Product step.
        step: Decimal,
    },
    /// The product does not offer this term.
    #[error("term of {term} months is not offered (offered: {offered:?})")]
    TermNotOffered {
        /// Requested.
        term: i64,
        /// Offered terms.
        offered: Vec<u32>,
    },
    /// The product does not offer this repayment method.
    #[error("method {method:?} is not offered")]
    MethodNotOffered {
        /// Requested.
        method: String,
    },
    /// No price row matches the request.
    #[error("no price row matches {}", band_text(band.as_deref()))]
    NoPrice {
        /// The band given, if any.
        band: Option<String>,
    },
    /// A promotion id the product does not offer.
    #[error("promotion {id:?} is not offered by this product")]
    UnknownPromotion {
        /// JSON path.
        path: String,
        /// The id.
        id: String,
    },
    /// An inline promotion object offered to a signed (production) bundle: only promotions
    /// named by id from the product's signed list may apply there.
    #[error("inline promotions apply only to preview bundles; name a promotion the product offers by id")]
    InlinePromotionRefused {
        /// JSON path.
        path: String,
    },
    /// A request field is malformed.
    #[error("{path}: {reason}")]
    InvalidRequest {
        /// JSON path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The schedule cannot be built.
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    /// A disclosure figure cannot be computed.
    #[error(transparent)]
    Disclosure(#[from] DisclosureError),
    /// Promotions or subsidy cannot be applied.
    #[error(transparent)]
    Subsidy(#[from] SubsidyError),
    /// An inline promotion is invalid.
    #[error(transparent)]
    Promotion(#[from] PromoError),
    /// The bundle carries no pre-eligibility model.
    #[error("this bundle has no preEligibility model")]
    NoPreEligibility,
    /// The applicant cannot be assessed.
    #[error("{reason}")]
    Assess {
        /// The score module's code.
        code: &'static str,
        /// JSON path inside the applicant.
        path: Option<String>,
        /// What is wrong.
        reason: String,
    },
}

impl ErrorCode for EngineError {
    fn code(&self) -> &'static str {
        match self {
            EngineError::Bundle(e) => e.code(),
            EngineError::UnknownProduct { .. } => "unknown-product",
            EngineError::AmountOutOfRange { .. } => "amount-out-of-range",
            EngineError::AmountOffStep { .. } => "amount-off-step",
            EngineError::TermNotOffered { .. } => "term-not-offered",
            EngineError::MethodNotOffered { .. } => "method-not-offered",
            EngineError::NoPrice { .. } => "no-price",
            EngineError::UnknownPromotion { .. } => "unknown-promotion",
            EngineError::InlinePromotionRefused { .. } => "unsigned-promotion",
            EngineError::InvalidRequest { .. } => "invalid-request",
            EngineError::Schedule(e) => e.code(),
            EngineError::Disclosure(e) => e.code(),
            EngineError::Subsidy(e) => e.code(),
            EngineError::Promotion(e) => e.code(),
            EngineError::NoPreEligibility => "no-pre-eligibility",
            EngineError::Assess { code, .. } => code,
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            EngineError::Bundle(e) => e.path(),
            EngineError::UnknownProduct { .. } => Some("productId".into()),
            EngineError::AmountOutOfRange { .. } | EngineError::AmountOffStep { .. } => {
                Some("amount".into())
            }
            EngineError::TermNotOffered { .. } => Some("termMonths".into()),
            EngineError::MethodNotOffered { .. } => Some("method".into()),
            EngineError::NoPrice { .. } => Some("band".into()),
            EngineError::UnknownPromotion { path, .. }
            | EngineError::InlinePromotionRefused { path }
            | EngineError::InvalidRequest { path, .. } => Some(path.clone()),
            EngineError::Schedule(e) => e.path(),
            EngineError::Disclosure(e) => e.path(),
            EngineError::Subsidy(e) => e.path(),
            EngineError::Promotion(e) => e.path(),
            EngineError::NoPreEligibility => Some("payload.preEligibility".into()),
            EngineError::Assess { path, .. } => path.clone(),
        }
    }
}

fn band_text(band: Option<&str>) -> String {
    match band {
        Some(band) => format!("band {band:?}"),
        None => "a request without a band".into(),
    }
}

/// A quote request, typed: what [`Engine::quote`] takes ([`QuoteRequest::to_terms`] builds
/// it from the JSON request).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuoteTerms {
    /// The product's id.
    pub product_id: String,
    /// Principal.
    pub amount: Decimal,
    /// Term in months.
    pub term_months: u32,
    /// Repayment method (default: the product's first).
    pub method: Option<Method>,
    /// Gives the schedule dates.
    pub start_date: Option<Date>,
    /// Risk band from pre-eligibility (`A`, `B`, …).
    pub band: Option<String>,
    /// Subsidy already received under the cap in effect.
    pub subsidy_used: Decimal,
    /// Promotions to apply.
    pub promotions: Vec<PromotionTerm>,
    /// Borrower and transaction facts for subsidy eligibility; `as_of` is the day caps are
    /// judged on.
    pub context: subsidy::Context,
}

/// A promotion in typed quote terms: the id of one the product offers, or an inline one
/// (refused by a signed bundle).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromotionTerm {
    /// Id of a promotion the product lists.
    Id(String),
    /// An inline promotion.
    Inline(Promotion),
}

/// Which bundle answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleRef {
    /// Bundle line id.
    pub bundle_id: String,
    /// Version.
    pub version: u64,
    /// Hex SHA-256 of the payload bytes.
    pub sha256: String,
}

/// The price a quote used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuotePrice {
    /// Index of the price row that matched (first hit).
    pub row: usize,
    /// The band given, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// Nominal annual rate of the loan (0 for flat-fee installments).
    #[serde(serialize_with = "ser_plain")]
    pub annual_rate: Decimal,
    /// The flat-fee rate per period, for installments.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ser_plain_opt"
    )]
    pub fee_rate: Option<Decimal>,
    /// The daily-rate mapping, for daily-priced products.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily: Option<DailyRate>,
}

fn ser_plain<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&value.normalize().to_string())
}

fn ser_plain_opt<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(&v.normalize().to_string()),
        None => s.serialize_none(),
    }
}

/// A quote: everything the page shows for one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    /// The product.
    pub product_id: String,
    /// Its display name.
    pub product_name: LocalizedText,
    /// True when the bundle is an unsigned preview draft.
    pub preview: bool,
    /// The price applied.
    pub price: QuotePrice,
    /// The cent-exact schedule.
    pub schedule: Schedule,
    /// CN/US/EU rates and costs.
    pub disclosure: DisclosureFigures,
    /// Every applicable cap with pass/fail and margin.
    pub caps: CapCheck,
    /// Promotions and subsidies, when the product has programs or promotions were asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subsidy: Option<SubsidyOutcome>,
    /// Who lends, serves, guarantees and insures the loan, each with what the borrower pays
    /// it over the whole loan after promotions (助贷 disclosure), in the product's order.
    pub parties: Vec<QuoteParty>,
    /// The texts the page must show, per language.
    pub texts: KeyMap<KeyMap<String>>,
    /// The bundle that answered.
    pub bundle: BundleRef,
}

/// One party of a quote: the bundle's description and what the borrower pays it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuoteParty {
    /// Id.
    pub id: String,
    /// `funder`, `platform`, `guarantor` or `insurer`.
    pub role: PartyRole,
    /// Registered legal name.
    pub legal_name: LocalizedText,
    /// Licence type.
    pub licence: LocalizedText,
    /// Customer service phone.
    pub service_phone: String,
    /// What the party charges, one entry per item (the funder always lists `interest` and
    /// `installment-fee`; a fee's item is its kind, fees of one kind summed).
    pub charges: Vec<PartyCharge>,
    /// Σ `charges` (yuan, 2 decimals).
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
}

/// One item a party charges over the whole loan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyCharge {
    /// `interest`, `installment-fee` or a fee kind (`guarantee`, `insurance`, `service`, …).
    pub item: String,
    /// Yuan, 2 decimals, after promotions (the fiscal subsidy, paid to the funder from public
    /// funds, is shown in `subsidy` and not deducted here).
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
}

/// One product as `products()` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductInfo {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: LocalizedText,
    /// Loan kind.
    pub kind: &'static str,
    /// `{min, max, step}`.
    pub amount: AmountInfo,
    /// Terms offered.
    pub terms: Vec<u32>,
    /// Methods offered.
    pub methods: Vec<&'static str>,
    /// Bands the price table distinguishes.
    pub bands: Vec<String>,
    /// Promotions offered.
    pub promotions: Vec<PromotionInfo>,
    /// Subsidy program ids that may apply.
    pub subsidy_programs: Vec<String>,
    /// Cap ids checked.
    pub caps: Vec<String>,
    /// Funder, platform, guarantor and insurer, as the bundle describes them.
    pub parties: Vec<PartyRequest>,
}

/// Amount limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmountInfo {
    /// Minimum.
    #[serde(serialize_with = "money::ser_money")]
    pub min: Decimal,
    /// Maximum.
    #[serde(serialize_with = "money::ser_money")]
    pub max: Decimal,
    /// Step.
    #[serde(serialize_with = "money::ser_money")]
    pub step: Decimal,
}

/// A promotion a product offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromotionInfo {
    /// Id.
    pub id: String,
    /// `interest-free-days`, `rate-discount`, …
    pub kind: &'static str,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
}

/// The `products()` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductList {
    /// True for a preview bundle.
    pub preview: bool,
    /// What can be offered.
    pub products: Vec<ProductInfo>,
}

/// A product an assessed applicant can be quoted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// The product.
    pub product_id: String,
    /// The price band to quote with (`band` of a [`QuoteRequest`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<String>,
    /// The product's smallest amount.
    #[serde(serialize_with = "money::ser_money")]
    pub min_amount: Decimal,
    /// The indicative limit capped by the product maximum (`null`: no income given).
    #[serde(serialize_with = "ser_money_opt")]
    pub max_amount: Option<Decimal>,
    /// A full quote at the limit, summarized for the offer card.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicative: Option<IndicativeQuote>,
}

/// The indicative quote of an offer: what the page shows before the applicant picks terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicativeQuote {
    /// The amount quoted (the indicative limit on the product's step).
    #[serde(serialize_with = "money::ser_money")]
    pub amount: Decimal,
    /// The term quoted.
    pub term_months: u32,
    /// The method quoted.
    pub method: &'static str,
    /// The annualized rate (单利, IRR method) as a display percent.
    pub percent: String,
    /// The label the page must print beside `percent`.
    pub label: &'static str,
    /// The compound annualized rate as a display percent.
    pub effective_percent: String,
    /// The first installment.
    #[serde(serialize_with = "money::ser_money")]
    pub first_payment: Decimal,
    /// Interest plus every fee.
    #[serde(serialize_with = "money::ser_money")]
    pub total_cost: Decimal,
    /// Every non-legacy cap passes.
    pub compliant: bool,
}

fn ser_money_opt<S: serde::Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => money::ser_money(v, s),
        None => s.serialize_none(),
    }
}

/// The `assess` response of a bundle engine.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssessResult {
    /// True for a preview bundle.
    pub preview: bool,
    /// Decision, score, band, reasons, knock-outs, limit.
    #[serde(flatten)]
    pub assessment: crate::score::Assessment,
    /// Products to quote, with the band and the amount range.
    pub offers: Vec<Offer>,
    /// The bundle that answered.
    pub bundle: BundleRef,
}

/// A verified bundle compiled for quoting; reusable across any number of quotes.
#[derive(Debug, Clone)]
pub struct Engine {
    catalog: Catalog,
    preview: bool,
    /// The verification summary as JSON text ([`VerifiedBundle::summary_text`]).
    summary: String,
    bundle: BundleRef,
}

impl Engine {
    /// Compiles a verified bundle (the only way to build an engine).
    pub fn from_verified(verified: VerifiedBundle) -> Result<Engine, EngineError> {
        let catalog = Catalog::from_slice(verified.payload_bytes())?;
        Ok(Engine {
            preview: verified.is_preview(),
            summary: verified.summary_text(),
            bundle: BundleRef {
                bundle_id: verified.header().bundle_id.clone(),
                version: verified.header().version,
                sha256: verified.sha256().to_owned(),
            },
            catalog,
        })
    }

    /// Verifies then compiles, from the wire forms the hosts hold; returns the engine and the
    /// state the host must persist.
    pub fn load(
        envelope: &[u8],
        root_json: &[u8],
        state_json: Option<&[u8]>,
        now_rfc3339: &str,
        options_json: Option<&[u8]>,
    ) -> Result<(Engine, BundleState), ApiError> {
        let (verified, state) =
            verify_bytes(envelope, root_json, state_json, now_rfc3339, options_json)?;
        let engine = Engine::from_verified(verified).map_err(|e| e.to_api())?;
        Ok((engine, state))
    }

    /// Whether the bundle is an unsigned preview.
    pub fn preview(&self) -> bool {
        self.preview
    }

    /// The verification summary (`bundleId`, `version`, `sha256`, `preview`, …) as a JSON
    /// value, read from [`Self::summary_text`] (for native callers; the wasm glue passes the
    /// text on, so no JSON value is built in the wasm module).
    pub fn summary(&self) -> Value {
        serde_json::from_str(&self.summary).unwrap_or(Value::Null)
    }

    /// The verification summary as compact JSON text, byte for byte
    /// [`VerifiedBundle::summary_text`] of the bundle this engine was compiled from.
    pub fn summary_text(&self) -> &str {
        &self.summary
    }

    /// The compiled catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// What can be offered.
    pub fn products(&self) -> ProductList {
        let products = self
            .catalog
            .products
            .iter()
            .map(|product| {
                let mut bands: Vec<String> = Vec::new();
                for row in &product.price {
                    for band in row.bands.iter().flatten() {
                        if !bands.contains(band) {
                            bands.push(band.clone());
                        }
                    }
                }
                ProductInfo {
                    id: product.wire.id.clone(),
                    name: product.wire.name.clone(),
                    kind: product.wire.kind.as_str(),
                    amount: AmountInfo {
                        min: product.amount_min,
                        max: product.amount_max,
                        step: product.amount_step,
                    },
                    terms: product.terms.clone(),
                    methods: product.methods.iter().map(|m| m.as_str()).collect(),
                    bands,
                    promotions: product
                        .promotions
                        .iter()
                        .map(|p| PromotionInfo {
                            id: p.id.clone(),
                            kind: p.promotion.kind(),
                            name: p.name.clone(),
                        })
                        .collect(),
                    subsidy_programs: product.wire.subsidy_programs.clone(),
                    caps: product.wire.caps.clone(),
                    parties: product.wire.parties.clone(),
                }
            })
            .collect();
        ProductList {
            preview: self.preview,
            products,
        }
    }

    /// Quotes typed terms.
    pub fn quote(&self, terms: &QuoteTerms) -> Result<Quote, EngineError> {
        self.quote_with(terms, false)
    }

    /// Quotes typed terms with the China disclosure only: the same quote as [`Engine::quote`]
    /// except that `disclosure.us` and `disclosure.eu` are absent. The studio's price grid uses
    /// it (it shows the CN annualized rate, costs, subsidy and caps of thousands of cells).
    pub fn quote_cn_only(&self, terms: &QuoteTerms) -> Result<Quote, EngineError> {
        self.quote_with(terms, true)
    }

    /// Quotes a wire request: [`QuoteRequest::to_terms`], then [`Engine::quote`].
    pub fn quote_request(&self, request: &QuoteRequest) -> Result<Quote, EngineError> {
        self.quote_with(&self.terms_of(request)?, false)
    }

    /// Quotes a wire request with the China disclosure only ([`Engine::quote_cn_only`]).
    pub fn quote_request_cn_only(&self, request: &QuoteRequest) -> Result<Quote, EngineError> {
        self.quote_with(&self.terms_of(request)?, true)
    }

    /// The typed terms of a wire request. The product is looked up first, so an unknown product
    /// is reported before any malformed value, and a term no product offers lists its terms.
    fn terms_of(&self, request: &QuoteRequest) -> Result<QuoteTerms, EngineError> {
        let product = self.product(&request.product_id)?;
        request.to_terms().map_err(|e| match e {
            EngineError::TermNotOffered { term, .. } => EngineError::TermNotOffered {
                term,
                offered: product.terms.clone(),
            },
            other => other,
        })
    }

    fn product(&self, id: &str) -> Result<&Product, EngineError> {
        self.catalog
            .product(id)
            .ok_or_else(|| EngineError::UnknownProduct { id: id.to_owned() })
    }

    fn quote_with(&self, terms: &QuoteTerms, cn_only: bool) -> Result<Quote, EngineError> {
        let product = self.product(&terms.product_id)?;
        let (row_idx, row, loan) = priced_loan(product, terms)?;
        let built = schedule::build(&loan)?;
        let options = DisclosureOptions {
            caps: product.caps.clone(),
            institution_type: product.wire.institution_type.clone(),
            as_of: terms.context.as_of,
            eu_time_basis: None,
            cn_only,
        };
        let disclosure = disclosure::disclose_schedule(&loan, &built, &options)?;
        let subsidy = self.subsidy_for(product, terms, &loan, &built)?;
        let parties = party_charges(product, &loan, &built, subsidy.as_ref())?;
        Ok(Quote {
            product_id: product.wire.id.clone(),
            product_name: product.wire.name.clone(),
            preview: self.preview,
            price: QuotePrice {
                row: row_idx,
                band: terms.band.clone(),
                annual_rate: loan.annual_rate,
                fee_rate: (loan.method == Method::FlatFee).then_some(loan.fee_rate),
                daily: daily_rate(product, row.price),
            },
            schedule: built,
            disclosure: disclosure.figures,
            caps: disclosure.caps,
            subsidy,
            parties,
            texts: self.texts_for(product),
            bundle: self.bundle.clone(),
        })
    }

    /// Promotions and subsidy, when the product has programs or promotions were asked for.
    fn subsidy_for(
        &self,
        product: &Product,
        terms: &QuoteTerms,
        loan: &schedule::Loan,
        built: &Schedule,
    ) -> Result<Option<SubsidyOutcome>, EngineError> {
        let promotions = self.promotions_for(product, &terms.promotions)?;
        if product.programs.is_empty() && promotions.is_empty() {
            return Ok(None);
        }
        let used = SubsidyUsed {
            total: terms.subsidy_used,
            small_consumption: None,
        };
        let mut context = terms.context.clone();
        if let Some(kind) = &product.wire.subsidy_institution_type {
            context.institution_type = Some(kind.clone());
        }
        context.loan_kind = Some(product.wire.kind);
        Ok(Some(subsidy::apply(
            loan,
            built,
            &product.programs,
            &promotions,
            &used,
            &context,
        )?))
    }

    fn promotions_for(
        &self,
        product: &Product,
        choices: &[PromotionTerm],
    ) -> Result<Vec<Promotion>, EngineError> {
        let mut promotions = Vec::with_capacity(choices.len());
        for (idx, choice) in choices.iter().enumerate() {
            let path = format!("promotions[{idx}]");
            match choice {
                PromotionTerm::Id(id) => {
                    let offered =
                        product
                            .promotions
                            .iter()
                            .find(|p| &p.id == id)
                            .ok_or_else(|| EngineError::UnknownPromotion {
                                path,
                                id: id.clone(),
                            })?;
                    promotions.push(offered.promotion.clone());
                }
                // Only signed data may move a production price: an inline promotion is a
                // preview-mode tool (and the stateless `subsidy` operation's input).
                PromotionTerm::Inline(_) if !self.preview => {
                    return Err(EngineError::InlinePromotionRefused { path })
                }
                PromotionTerm::Inline(promotion) => promotions.push(promotion.clone()),
            }
        }
        Ok(promotions)
    }

    fn texts_for(&self, product: &Product) -> KeyMap<KeyMap<String>> {
        let mut texts = KeyMap::new();
        for language in LANGUAGES {
            let source = self.catalog.payload.texts.get(language);
            let mut chosen = KeyMap::new();
            for key in &product.wire.texts {
                if let Some(text) = source.and_then(|map| map.get(key)) {
                    chosen.insert(key.clone(), text.clone());
                }
            }
            texts.insert(language.to_owned(), chosen);
        }
        texts
    }

    /// Pre-eligibility for one applicant (a JSON object read exactly, no `f64`): the score
    /// module's [`crate::score::Assessment`] plus the products the price band can be quoted
    /// on, each with the indicative limit capped by the product's maximum.
    pub fn assess(&self, applicant: &[u8]) -> Result<AssessResult, EngineError> {
        let model = self
            .catalog
            .pre_eligibility
            .as_ref()
            .ok_or(EngineError::NoPreEligibility)?;
        let assess_error = |e: crate::score::ScoreError| EngineError::Assess {
            code: e.code(),
            path: e.path(),
            reason: e.to_string(),
        };
        let applicant = crate::score::parse_applicant(applicant).map_err(assess_error)?;
        let assessment = crate::score::assess(model, &applicant).map_err(assess_error)?;
        let mut offers = Vec::new();
        if let Some(inputs) = assessment.offer_inputs(model) {
            for product in &self.catalog.products {
                let priced =
                    product
                        .price
                        .iter()
                        .any(|row| match (&row.bands, inputs.price_band) {
                            (None, _) => true,
                            (Some(bands), Some(band)) => bands.iter().any(|b| b == band),
                            (Some(_), None) => false,
                        });
                if !priced {
                    continue;
                }
                let max_amount = match inputs.limit_rule {
                    Some(rule) => crate::score::assess::indicative_limit(
                        rule,
                        &applicant,
                        Some(product.amount_max),
                    )
                    .map_err(assess_error)?,
                    None => Some(product.amount_max),
                };
                if max_amount.is_some_and(|max| max < product.amount_min) {
                    continue;
                }
                let band = inputs.price_band.map(str::to_owned);
                let indicative = self.indicative_quote(product, band.as_deref(), max_amount)?;
                offers.push(Offer {
                    product_id: product.wire.id.clone(),
                    band,
                    min_amount: product.amount_min,
                    max_amount,
                    indicative,
                });
            }
        }
        Ok(AssessResult {
            preview: self.preview,
            assessment,
            offers,
            bundle: self.bundle.clone(),
        })
    }

    /// The indicative quote shown with an offer: the largest amount the applicant may borrow
    /// (the indicative limit, on the product's step), over 12 months when offered (else the
    /// product's first term), with the product's first method. `None` when no price row
    /// matches those terms (for example a band the price table does not know); any other
    /// refusal is the engine's and is returned.
    fn indicative_quote(
        &self,
        product: &Product,
        band: Option<&str>,
        limit: Option<Decimal>,
    ) -> Result<Option<IndicativeQuote>, EngineError> {
        let overflow = || EngineError::Schedule(ScheduleError::Overflow);
        let ceiling = limit.unwrap_or(product.amount_max).min(product.amount_max);
        let steps = ceiling
            .minus(product.amount_min)
            .and_then(|span| span.over(product.amount_step))
            .map_err(|_| overflow())?
            .floor();
        let amount = steps
            .times(product.amount_step)
            .and_then(|offset| product.amount_min.plus(offset))
            .map_err(|_| overflow())?;
        // A compiled product offers at least one term and one method.
        let (Some(first_term), Some(method)) = (product.terms.first(), product.methods.first())
        else {
            return Ok(None);
        };
        let term_months = if product.terms.contains(&12) {
            12
        } else {
            *first_term
        };
        let terms = QuoteTerms {
            product_id: product.wire.id.clone(),
            amount,
            term_months,
            method: Some(*method),
            band: band.map(str::to_owned),
            ..QuoteTerms::default()
        };
        let quote = match self.quote(&terms) {
            Ok(quote) => quote,
            Err(EngineError::NoPrice { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(first_payment) = quote.schedule.installments.first().map(|i| i.payment) else {
            return Ok(None);
        };
        Ok(Some(IndicativeQuote {
            amount,
            term_months,
            method: method.as_str(),
            percent: quote.disclosure.cn.percent.clone(),
            label: quote.disclosure.cn.label,
            effective_percent: quote.disclosure.cn.effective_percent.clone(),
            first_payment,
            total_cost: quote.disclosure.total_cost,
            compliant: quote.caps.compliant,
        }))
    }
}

/// What the borrower pays each party over the whole loan: the funder the schedule's interest
/// and flat installment fee less the promotions' discount (which only ever reduces that
/// charge, see [`crate::promo`]); every other fee, totalled by [`schedule::fee_totals`], goes
/// to the party the bundle attributes it to.
fn party_charges(
    product: &Product,
    loan: &schedule::Loan,
    built: &Schedule,
    subsidy: Option<&SubsidyOutcome>,
) -> Result<Vec<QuoteParty>, EngineError> {
    let overflow = || EngineError::Schedule(ScheduleError::Overflow);
    let fees = schedule::fee_totals(loan)?;
    let discount = subsidy.map_or(Decimal::ZERO, |s| s.totals.promotion_discount);
    let interest = built.totals.interest;
    let off_interest = discount.min(interest);
    let off_installment = discount
        .minus(off_interest)
        .map_err(|_| overflow())?
        .min(fees.installment);
    let mut parties: Vec<QuoteParty> = product
        .wire
        .parties
        .iter()
        .map(|party| QuoteParty {
            id: party.id.clone(),
            role: party.role,
            legal_name: party.legal_name.clone(),
            licence: party.licence.clone(),
            service_phone: party.service_phone.clone(),
            charges: Vec::new(),
            total: Decimal::ZERO,
        })
        .collect();
    let mut charge = |idx: usize, item: &str, amount: Decimal| -> Result<(), EngineError> {
        let party = parties.get_mut(idx).ok_or_else(overflow)?;
        match party.charges.iter_mut().find(|c| c.item == item) {
            Some(existing) => {
                existing.total = existing.total.plus(amount).map_err(|_| overflow())?
            }
            None => party.charges.push(PartyCharge {
                item: item.to_owned(),
                total: amount,
            }),
        }
        party.total = party.total.plus(amount).map_err(|_| overflow())?;
        Ok(())
    };
    charge(
        product.funder,
        "interest",
        interest.minus(off_interest).map_err(|_| overflow())?,
    )?;
    charge(
        product.funder,
        "installment-fee",
        fees.installment
            .minus(off_installment)
            .map_err(|_| overflow())?,
    )?;
    for ((amount, party), wire) in fees
        .fees
        .iter()
        .zip(&product.fee_parties)
        .zip(&product.wire.fees)
    {
        charge(*party, &wire.kind, *amount)?;
    }
    Ok(parties)
}

/// The product's loan for typed terms: the amount within limits and on the step, a term and
/// a method the product offers, the first price row that matches, the start date.
fn priced_loan<'p>(
    product: &'p Product,
    terms: &QuoteTerms,
) -> Result<(usize, &'p PriceRow, schedule::Loan), EngineError> {
    check_amount(product, terms.amount)?;
    let term = terms.term_months;
    if !product.terms.contains(&term) {
        return Err(EngineError::TermNotOffered {
            term: i64::from(term),
            offered: product.terms.clone(),
        });
    }
    let method = match terms.method {
        None => product
            .methods
            .first()
            .copied()
            .ok_or_else(|| EngineError::MethodNotOffered {
                method: String::new(),
            })?,
        Some(method) if product.methods.contains(&method) => method,
        Some(method) => {
            return Err(EngineError::MethodNotOffered {
                method: method.as_str().to_owned(),
            })
        }
    };
    let (row_idx, row) = product
        .price
        .iter()
        .enumerate()
        .find(|(_, row)| row.matches(terms.band.as_deref(), terms.amount, term))
        .ok_or_else(|| EngineError::NoPrice {
            band: terms.band.clone(),
        })?;
    let mut loan = product.loan(terms.amount, term, method, row.price);
    loan.start_date = terms.start_date;
    loan.validate()?;
    Ok((row_idx, row, loan))
}

/// The daily-rate mapping of a daily-priced row.
fn daily_rate(product: &Product, price: Price) -> Option<DailyRate> {
    match price {
        Price::Daily { daily, annual } => Some(DailyRate::new(
            daily.normalize().to_string(),
            product.year_days,
            annual,
        )),
        _ => None,
    }
}

fn check_amount(product: &Product, amount: Decimal) -> Result<(), EngineError> {
    if amount < product.amount_min || amount > product.amount_max {
        return Err(EngineError::AmountOutOfRange {
            amount,
            min: product.amount_min,
            max: product.amount_max,
        });
    }
    let on_step = amount
        .minus(product.amount_min)
        .ok()
        .and_then(|offset| offset.checked_rem(product.amount_step))
        .is_some_and(|rest| rest.is_zero());
    if !on_step {
        return Err(EngineError::AmountOffStep {
            amount,
            min: product.amount_min,
            step: product.amount_step,
        });
    }
    Ok(())
}

/// Verifies a bundle and quotes one request: the `puhui quote` path. Returns the quote text
/// and the state to persist.
pub fn verify_and_quote_json(
    envelope: &[u8],
    root_json: &[u8],
    state_json: Option<&[u8]>,
    now_rfc3339: &str,
    options_json: Option<&[u8]>,
    request: &[u8],
) -> Result<(String, BundleState), ApiError> {
    let (engine, state) = Engine::load(envelope, root_json, state_json, now_rfc3339, options_json)?;
    Ok((crate::api::quote_text(&engine, request)?, state))
}
