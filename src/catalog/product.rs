//! The typed catalog: products with their price tables, caps, subsidy programs and named
//! promotions, as the quote engine reads them without re-parsing, and first-hit price selection.
//!
//! [`super::wire`] reads the payload and [`super::compile`] builds this model from it:
//! cap/program/promotion references are resolved, each product gets a template [`Loan`].
//! It must not verify signatures (that is [`crate::bundle`]) nor compute any figure (schedules,
//! rates and caps belong to their own modules). The old `puhui::product` path re-exports the
//! wire forms and the compile from here.

pub use super::compile::{party_conflicts, party_problems};
pub use super::wire::{
    pre_eligibility_wire, AmountRequest, BundlePayload, NamedPromotion, PartyRequest, PartyRole,
    PriceRowRequest, PriceWhenRequest, ProductFeeRequest, ProductRequest, RangeRequest,
    PRE_ELIGIBILITY,
};
use crate::apr::YearDays;
use crate::caps::CapSet;
use crate::error::{ApiError, ErrorCode};
use crate::promo::Promotion;
use crate::schedule::{Loan, Method};
use crate::score::CompiledModel;
use crate::subsidy::{LocalizedText, Program};
use rust_decimal::Decimal;

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
    /// A cap, LPR table, subsidy program or named promotion refused by its own module, or a
    /// program without an id: `invalid-bundle` to the engine, lint names it by `code`.
    #[error("{path}: {reason}")]
    Checked {
        /// The code lint reports (`invalid-cap`, `missing-id`, …).
        code: &'static str,
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
        /// `cap`, `subsidy program` or `promotion`.
        what: &'static str,
        /// The id referred to.
        id: String,
    },
    /// A fee names a party its product does not list.
    #[error("{path}: unknown party {id:?}")]
    UnknownParty {
        /// JSON path of the fee's `party`.
        path: String,
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
    /// Two parties of one product share an id.
    #[error("{path}: duplicate id {id:?}")]
    DuplicateId {
        /// JSON path of the second party's id.
        path: String,
        /// The id.
        id: String,
    },
    /// Two caps, programs, promotions or products share an id.
    #[error("{path}: duplicate id {id:?}")]
    DuplicateEntry {
        /// JSON path of the second entry's id.
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
            ProductError::Invalid { .. } | ProductError::Checked { .. } => "invalid-bundle",
            ProductError::UnknownReference { .. } | ProductError::UnknownParty { .. } => {
                "unknown-reference"
            }
            ProductError::DuplicateId { .. } | ProductError::DuplicateEntry { .. } => {
                "duplicate-id"
            }
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
            | ProductError::Checked { path, .. }
            | ProductError::UnknownReference { path, .. }
            | ProductError::UnknownParty { path, .. }
            | ProductError::DuplicateId { path, .. }
            | ProductError::DuplicateEntry { path, .. }
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
            | ProductError::Checked { path, .. }
            | ProductError::UnknownReference { path, .. }
            | ProductError::UnknownParty { path, .. }
            | ProductError::DuplicateId { path, .. }
            | ProductError::DuplicateEntry { path, .. }
            | ProductError::Party { path, .. }
            | ProductError::PreEligibility { path, .. } => path.clone(),
        }
    }
}

pub(crate) fn invalid(path: impl Into<String>, reason: impl Into<String>) -> ProductError {
    ProductError::Invalid {
        path: path.into(),
        reason: reason.into(),
    }
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
    /// The product with `id`.
    pub fn product(&self, id: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.wire.id == id)
    }
}
