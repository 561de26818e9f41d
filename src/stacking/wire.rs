//! The wire layer of stacking: every serde shape of promotions and subsidy programs, and their
//! reading into typed values.
//!
//! Owns the promotion requests ([`PromotionRequest`], tagged by `kind`), the program, context and
//! `subsidy` request shapes ([`ProgramRequest`], [`ContextRequest`], [`SubsidyRequest`]), the
//! vocabulary enums whose serde form is their wire name ([`LoanKind`], [`SubsidyBase`],
//! [`CapScope`], [`LocalizedText`]), the shipped program file ([`BUILTIN_PROGRAMS_JSON`]) and the
//! conversions from all of them to the typed model of [`super::promo`] and [`super::subsidy`]:
//! decimal strings and dates are parsed here, exactly, with the JSON path of the field in every
//! error. Nothing after this module sees a string.
//! Every shape is read by a hand-written `from_node` on `json::tree` (the `subsidy` door, the
//! shipped program file, and the bundle payload and quote request that nest them), with serde's
//! codes, wording and paths; the serde derives stay as the oracle `tests/request_paths_full.rs`
//! compares them with, and for Rust callers, so the wasm module carries no serde deserializer
//! for them.
//! It must not compute anything: no schedule, no promotion, no subsidy.

use super::promo::{PromoError, Promotion, MAX_FREE_DAYS};
use super::subsidy::{Context, DateWindow, Program, SubsidyError, SubsidyUsed};
use crate::date::Date;
use crate::error::{ApiError, ErrorCode};
use crate::json::tree::{self, Node, Path};
use crate::money::{parse_amount, parse_rate};
use crate::schedule::{self, ScheduleRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The sample rule sets shipped with the engine (2025 rules, 2026 revision, service sector).
pub const BUILTIN_PROGRAMS_JSON: &str = include_str!("../../data/subsidy-programs.json");

// ---------------------------------------------------------------------------------------------
// Promotions.

/// The wire form of one promotion, tagged by `kind`.
///
/// Each variant's fields are their own object-only struct (see [`crate::json_object`]), so a
/// promotion given as an array (`["rate-discount", "0.2"]`) is refused instead of being read
/// positionally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PromotionRequest {
    /// `{"kind": "merchant-funded", "share"?: "1"}`.
    MerchantFunded(MerchantFundedRequest),
    /// `{"kind": "interest-free-days", "days": 30}`.
    InterestFreeDays(InterestFreeDaysRequest),
    /// `{"kind": "rate-discount", "fraction": "0.2", "periods"?: 3}`.
    RateDiscount(RateDiscountRequest),
    /// `{"kind": "interest-coupon", "amount": "50.00"}`.
    InterestCoupon(InterestCouponRequest),
}

/// The fields of a `merchant-funded` promotion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct MerchantFundedRequest {
    /// Fraction of the charge the merchant pays (default `"1"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
}

/// The fields of an `interest-free-days` promotion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct InterestFreeDaysRequest {
    /// Free days from the start of the loan.
    pub days: i64,
}

/// The fields of a `rate-discount` promotion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct RateDiscountRequest {
    /// Fraction off the charge.
    pub fraction: String,
    /// Periods covered from the first (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<i64>,
}

/// The fields of an `interest-coupon` promotion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct InterestCouponRequest {
    /// Face value.
    pub amount: String,
}

/// The wire names of [`PromotionRequest`]'s variants, in declaration order.
const PROMOTION_KINDS: &[&str] = &[
    "merchant-funded",
    "interest-free-days",
    "rate-discount",
    "interest-coupon",
];

impl PromotionRequest {
    /// Reads one promotion from its JSON tree as serde reads the internally tagged enum
    /// ([`tree::tagged`]): the `kind` first (its errors at `….kind`), then the variant's fields
    /// from the rest, whose errors serde reports at the promotion's own path.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<PromotionRequest, ApiError> {
        let (variant, rest) = tree::tagged(
            node,
            path,
            "kind",
            PROMOTION_KINDS,
            "internally tagged enum PromotionRequest",
        )?;
        let read = match variant {
            0 => MerchantFundedRequest::from_node(&rest, path).map(Self::MerchantFunded),
            1 => InterestFreeDaysRequest::from_node(&rest, path).map(Self::InterestFreeDays),
            2 => RateDiscountRequest::from_node(&rest, path).map(Self::RateDiscount),
            _ => InterestCouponRequest::from_node(&rest, path).map(Self::InterestCoupon),
        };
        read.map_err(|err| tree::buffered(err, path))
    }
}

impl MerchantFundedRequest {
    /// Reads the fields of a `merchant-funded` promotion (`share`, optional).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<Self, ApiError> {
        let mut share = None;
        tree::object(node, path, &["share"], &mut |_, value, at| {
            share = tree::optional(value, at, tree::string)?;
            Ok(())
        })?;
        Ok(MerchantFundedRequest { share })
    }
}

impl InterestFreeDaysRequest {
    /// Reads the fields of an `interest-free-days` promotion (`days`, required).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<Self, ApiError> {
        let mut days = None;
        tree::object(node, path, &["days"], &mut |_, value, at| {
            days = Some(tree::int64(value, at)?);
            Ok(())
        })?;
        Ok(InterestFreeDaysRequest {
            days: tree::required(days, "days", path)?,
        })
    }
}

impl RateDiscountRequest {
    /// Reads the fields of a `rate-discount` promotion (`fraction` required, `periods`).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<Self, ApiError> {
        let (mut fraction, mut periods) = (None, None);
        tree::object(
            node,
            path,
            &["fraction", "periods"],
            &mut |field, value, at| {
                match field {
                    0 => fraction = Some(tree::string(value, at)?),
                    _ => periods = tree::optional(value, at, tree::int64)?,
                }
                Ok(())
            },
        )?;
        Ok(RateDiscountRequest {
            fraction: tree::required(fraction, "fraction", path)?,
            periods,
        })
    }
}

impl InterestCouponRequest {
    /// Reads the fields of an `interest-coupon` promotion (`amount`, required).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<Self, ApiError> {
        let mut amount = None;
        tree::object(node, path, &["amount"], &mut |_, value, at| {
            amount = Some(tree::string(value, at)?);
            Ok(())
        })?;
        Ok(InterestCouponRequest {
            amount: tree::required(amount, "amount", path)?,
        })
    }
}

fn invalid_promotion(path: String, reason: &str) -> PromoError {
    PromoError::Invalid {
        path,
        reason: reason.to_owned(),
    }
}

/// A fraction in (0, 1].
fn unit_fraction(text: &str, path: String) -> Result<Decimal, PromoError> {
    let value = parse_rate(text).map_err(|issue| PromoError::Decimal {
        path: path.clone(),
        issue,
    })?;
    if value <= Decimal::ZERO || value > Decimal::ONE {
        return Err(invalid_promotion(
            path,
            "must be greater than 0 and at most 1",
        ));
    }
    Ok(value)
}

impl PromotionRequest {
    /// Validates one promotion; `path` is its JSON path (`promotions[0]`).
    pub fn to_promotion(&self, path: &str) -> Result<Promotion, PromoError> {
        let field = |name: &str| format!("{path}.{name}");
        Ok(match self {
            PromotionRequest::MerchantFunded(MerchantFundedRequest { share }) => {
                Promotion::MerchantFunded {
                    share: match share {
                        Some(text) => unit_fraction(text, field("share"))?,
                        None => Decimal::ONE,
                    },
                }
            }
            PromotionRequest::InterestFreeDays(InterestFreeDaysRequest { days }) => {
                let days = u32::try_from(*days)
                    .ok()
                    .filter(|d| (1..=MAX_FREE_DAYS).contains(d))
                    .ok_or_else(|| {
                        invalid_promotion(
                            field("days"),
                            &format!("must be between 1 and {MAX_FREE_DAYS}"),
                        )
                    })?;
                Promotion::InterestFreeDays { days }
            }
            PromotionRequest::RateDiscount(RateDiscountRequest { fraction, periods }) => {
                Promotion::RateDiscount {
                    fraction: unit_fraction(fraction, field("fraction"))?,
                    periods: match periods {
                        Some(count) => {
                            Some(u32::try_from(*count).ok().filter(|c| *c >= 1).ok_or_else(
                                || invalid_promotion(field("periods"), "must be at least 1"),
                            )?)
                        }
                        None => None,
                    },
                }
            }
            PromotionRequest::InterestCoupon(InterestCouponRequest { amount }) => {
                let value = parse_amount(amount).map_err(|issue| PromoError::Decimal {
                    path: field("amount"),
                    issue,
                })?;
                if value <= Decimal::ZERO {
                    return Err(invalid_promotion(field("amount"), "must be greater than 0"));
                }
                Promotion::InterestCoupon { amount: value }
            }
        })
    }
}

/// Validates a list of wire promotions; merchant-funded and interest-free-days may appear once.
pub fn parse_promotions(
    requests: &[PromotionRequest],
    base_path: &str,
) -> Result<Vec<Promotion>, PromoError> {
    let mut promotions: Vec<Promotion> = Vec::with_capacity(requests.len());
    for (idx, request) in requests.iter().enumerate() {
        let path = format!("{base_path}[{idx}]");
        let promotion = request.to_promotion(&path)?;
        let unique = matches!(
            promotion,
            Promotion::MerchantFunded { .. } | Promotion::InterestFreeDays { .. }
        );
        if unique && promotions.iter().any(|p| p.kind() == promotion.kind()) {
            return Err(PromoError::Duplicate {
                path,
                kind: promotion.kind(),
            });
        }
        promotions.push(promotion);
    }
    Ok(promotions)
}

// ---------------------------------------------------------------------------------------------
// Subsidy programs, context and the `subsidy` request.

/// What kind of credit a program covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoanKind {
    /// Personal consumption loan (个人消费贷款).
    ConsumerLoan,
    /// Credit-card bill installment (信用卡账单分期).
    CardInstallment,
    /// Service-sector business loan (服务业经营主体贷款).
    ServiceBusinessLoan,
}

impl LoanKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            LoanKind::ConsumerLoan => "consumer-loan",
            LoanKind::CardInstallment => "card-installment",
            LoanKind::ServiceBusinessLoan => "service-business-loan",
        }
    }
}

/// The principal the subsidy rate is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubsidyBase {
    /// The opening balance of each period (the default).
    #[default]
    Outstanding,
    /// The original principal every period (card installments, when selected).
    Original,
}

/// Over what the per-borrower cap is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapScope {
    /// Once for the whole program (the default).
    #[default]
    PolicyPeriod,
    /// Afresh every calendar year (by the due date the subsidy is settled on).
    PerYear,
}

/// A text in both display languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct LocalizedText {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

/// The wire form of a date window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct DateWindowRequest {
    /// `YYYY-MM-DD`, first day.
    pub from: String,
    /// `YYYY-MM-DD`, last day (inclusive).
    pub to: String,
}

/// The wire form of a program (camelCase, decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgramRequest {
    /// Identifier (defaults to the JSON path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
    /// Where the rule comes from (free text, not used in computation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Subsidy rate per year.
    pub rate: String,
    /// Share of the contract rate the subsidy may not exceed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_share_of_contract_rate: Option<String>,
    /// Days that earn subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<DateWindowRequest>,
    /// Contract dates accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_window: Option<DateWindowRequest>,
    /// Institution types accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_institutions: Option<Vec<String>>,
    /// Loan kinds accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan_kinds: Option<Vec<LoanKind>>,
    /// Share of the eligible amount, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_share: Option<String>,
    /// Largest eligible amount per transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_transaction_base_cap: Option<String>,
    /// Largest subsidy per transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_transaction_cap: Option<String>,
    /// Largest subsidy per borrower per institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_borrower_cap: Option<String>,
    /// `policy-period` (default) or `per-year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_borrower_cap_scope: Option<CapScope>,
    /// Categories accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// Threshold below which a transaction is small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_consumption_threshold: Option<String>,
    /// Cumulative cap for small transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_consumption_cap: Option<String>,
    /// `outstanding` (default) or `original`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<SubsidyBase>,
    /// Months from the start that earn subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_term_months: Option<i64>,
    /// Largest eligible principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_loan_amount: Option<String>,
}

/// The wire form of [`Context`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ContextRequest {
    /// Institution type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_type: Option<String>,
    /// Loan kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loan_kind: Option<LoanKind>,
    /// Category or sector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// Eligible amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligible_amount: Option<String>,
}

/// The `subsidy` request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct SubsidyRequest {
    /// The loan, as for the `schedule` operation.
    pub schedule: ScheduleRequest,
    /// One program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<ProgramRequest>,
    /// Several programs, picked by date and eligibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programs: Option<Vec<ProgramRequest>>,
    /// Use the shipped sample programs (after any given ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builtin_programs: Option<bool>,
    /// Subsidy already received under the cap in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_used: Option<String>,
    /// Of which from small transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_used_small: Option<String>,
    /// Promotions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<PromotionRequest>,
    /// Borrower and transaction facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextRequest>,
}

impl LoanKind {
    /// Reads a loan kind as serde_json reads a unit-only enum ([`tree::unit_variant`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<LoanKind, ApiError> {
        const NAMES: &[&str] = &["consumer-loan", "card-installment", "service-business-loan"];
        Ok(match tree::unit_variant(node, path, NAMES)? {
            0 => LoanKind::ConsumerLoan,
            1 => LoanKind::CardInstallment,
            _ => LoanKind::ServiceBusinessLoan,
        })
    }
}

impl SubsidyBase {
    /// Reads a subsidy base as serde_json reads a unit-only enum ([`tree::unit_variant`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<SubsidyBase, ApiError> {
        Ok(
            match tree::unit_variant(node, path, &["outstanding", "original"])? {
                0 => SubsidyBase::Outstanding,
                _ => SubsidyBase::Original,
            },
        )
    }
}

impl CapScope {
    /// Reads a cap scope as serde_json reads a unit-only enum ([`tree::unit_variant`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<CapScope, ApiError> {
        Ok(
            match tree::unit_variant(node, path, &["policy-period", "per-year"])? {
                0 => CapScope::PolicyPeriod,
                _ => CapScope::PerYear,
            },
        )
    }
}

impl LocalizedText {
    /// Reads `{"zh-CN", "en"}` (both required strings) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<LocalizedText, ApiError> {
        let (zh_cn, en) = tree::string_pair(node, path, ["zh-CN", "en"])?;
        Ok(LocalizedText { zh_cn, en })
    }
}

impl DateWindowRequest {
    /// Reads `{from, to}` (both required strings) from its JSON tree.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<DateWindowRequest, ApiError> {
        let (from, to) = tree::string_pair(node, path, ["from", "to"])?;
        Ok(DateWindowRequest { from, to })
    }
}

/// The wire names of [`ProgramRequest`]'s fields, in declaration order.
const PROGRAM_FIELDS: &[&str] = &[
    "id",
    "name",
    "source",
    "rate",
    "maxShareOfContractRate",
    "window",
    "contractWindow",
    "eligibleInstitutions",
    "loanKinds",
    "eligibleShare",
    "perTransactionBaseCap",
    "perTransactionCap",
    "perBorrowerCap",
    "perBorrowerCapScope",
    "categories",
    "smallConsumptionThreshold",
    "smallConsumptionCap",
    "base",
    "maxTermMonths",
    "maxLoanAmount",
];

/// A list of strings.
fn strings(node: &Node<'_>, path: &Path<'_>) -> Result<Vec<String>, ApiError> {
    tree::array(node, path, tree::string)
}

impl ProgramRequest {
    /// Reads a program from its JSON tree (`rate` required; serde's codes and wording, see
    /// [`tree`]).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<ProgramRequest, ApiError> {
        let mut out = ProgramRequest::default();
        let mut rate = None;
        tree::object(node, path, PROGRAM_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            let window = |value| tree::optional(value, at, DateWindowRequest::from_node);
            let names = |value| tree::optional(value, at, strings);
            match field {
                0 => out.id = text(value)?,
                1 => out.name = tree::optional(value, at, LocalizedText::from_node)?,
                2 => out.source = text(value)?,
                3 => rate = Some(tree::string(value, at)?),
                4 => out.max_share_of_contract_rate = text(value)?,
                5 => out.window = window(value)?,
                6 => out.contract_window = window(value)?,
                7 => out.eligible_institutions = names(value)?,
                8 => {
                    out.loan_kinds = tree::optional(value, at, |list, at| {
                        tree::array(list, at, LoanKind::from_node)
                    })?;
                }
                9 => out.eligible_share = text(value)?,
                10 => out.per_transaction_base_cap = text(value)?,
                11 => out.per_transaction_cap = text(value)?,
                12 => out.per_borrower_cap = text(value)?,
                13 => out.per_borrower_cap_scope = tree::optional(value, at, CapScope::from_node)?,
                14 => out.categories = names(value)?,
                15 => out.small_consumption_threshold = text(value)?,
                16 => out.small_consumption_cap = text(value)?,
                17 => out.base = tree::optional(value, at, SubsidyBase::from_node)?,
                18 => out.max_term_months = tree::optional(value, at, tree::int64)?,
                _ => out.max_loan_amount = text(value)?,
            }
            Ok(())
        })?;
        out.rate = tree::required(rate, "rate", path)?;
        Ok(out)
    }
}

impl ContextRequest {
    /// Reads the borrower context from its JSON tree (every field optional).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<ContextRequest, ApiError> {
        let mut out = ContextRequest::default();
        const FIELDS: &[&str] = &[
            "institutionType",
            "loanKind",
            "category",
            "asOf",
            "eligibleAmount",
        ];
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => out.institution_type = text(value)?,
                1 => out.loan_kind = tree::optional(value, at, LoanKind::from_node)?,
                2 => out.category = text(value)?,
                3 => out.as_of = text(value)?,
                _ => out.eligible_amount = text(value)?,
            }
            Ok(())
        })?;
        Ok(out)
    }
}

/// The wire names of [`SubsidyRequest`]'s fields, in declaration order.
const SUBSIDY_FIELDS: &[&str] = &[
    "schedule",
    "program",
    "programs",
    "builtinPrograms",
    "subsidyUsed",
    "subsidyUsedSmall",
    "promotions",
    "context",
];

impl SubsidyRequest {
    /// Reads a `subsidy` request from JSON bytes through the request gate
    /// ([`tree::read_request`]): the gate's codes, then serde's (`invalid-request`,
    /// `missing-field` for `schedule`, `unknown-field`), each with its JSON path.
    pub fn from_json(bytes: &[u8]) -> Result<SubsidyRequest, ApiError> {
        tree::read_request(bytes, SubsidyRequest::from_node)
    }

    /// Reads a `subsidy` request from its JSON tree at `path`.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<SubsidyRequest, ApiError> {
        let mut out = SubsidyRequest::default();
        let mut schedule = None;
        tree::object(node, path, SUBSIDY_FIELDS, &mut |field, value, at| {
            let text = |value| tree::optional(value, at, tree::string);
            match field {
                0 => schedule = Some(ScheduleRequest::from_node(value, at)?),
                1 => out.program = tree::optional(value, at, ProgramRequest::from_node)?,
                2 => {
                    out.programs = tree::optional(value, at, |list, at| {
                        tree::array(list, at, ProgramRequest::from_node)
                    })?;
                }
                3 => out.builtin_programs = tree::optional(value, at, tree::boolean)?,
                4 => out.subsidy_used = text(value)?,
                5 => out.subsidy_used_small = text(value)?,
                6 => out.promotions = tree::array(value, at, PromotionRequest::from_node)?,
                _ => out.context = tree::optional(value, at, ContextRequest::from_node)?,
            }
            Ok(())
        })?;
        out.schedule = tree::required(schedule, "schedule", path)?;
        Ok(out)
    }
}

fn amount_field(text: &str, path: &str) -> Result<Decimal, SubsidyError> {
    parse_amount(text).map_err(|issue| SubsidyError::Decimal {
        path: path.to_owned(),
        issue,
    })
}

fn cap_field(text: &str, path: &str) -> Result<Decimal, SubsidyError> {
    let value = amount_field(text, path)?;
    if value.is_sign_negative() && !value.is_zero() {
        return Err(SubsidyError::NegativeCap {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

fn fraction_field(text: &str, path: &str, zero_allowed: bool) -> Result<Decimal, SubsidyError> {
    let value = parse_rate(text).map_err(|issue| SubsidyError::Decimal {
        path: path.to_owned(),
        issue,
    })?;
    let low_ok = if zero_allowed {
        value >= Decimal::ZERO
    } else {
        value > Decimal::ZERO
    };
    if !low_ok || value > Decimal::ONE {
        return Err(SubsidyError::InvalidShare {
            path: path.to_owned(),
        });
    }
    Ok(value)
}

fn date_field(text: &str, path: &str) -> Result<Date, SubsidyError> {
    Date::parse(text).ok_or_else(|| SubsidyError::InvalidDate {
        path: path.to_owned(),
    })
}

fn window_field(window: &DateWindowRequest, path: &str) -> Result<DateWindow, SubsidyError> {
    let from = date_field(&window.from, &format!("{path}.from"))?;
    let to = date_field(&window.to, &format!("{path}.to"))?;
    if to < from {
        return Err(SubsidyError::InvalidWindow {
            path: path.to_owned(),
        });
    }
    Ok(DateWindow { from, to })
}

fn names_field(names: &[String], path: &str) -> Result<Vec<String>, SubsidyError> {
    if names.is_empty() {
        return Err(SubsidyError::InvalidProgram {
            path: path.to_owned(),
            reason: "an empty list would exclude everything; omit the field instead".into(),
        });
    }
    for (idx, name) in names.iter().enumerate() {
        if name.is_empty() || name.len() > 100 {
            return Err(SubsidyError::InvalidProgram {
                path: format!("{path}[{idx}]"),
                reason: "names must have 1 to 100 characters".into(),
            });
        }
    }
    Ok(names.to_vec())
}

impl ProgramRequest {
    /// Validates a program; `path` is its JSON path (`program`, `programs[1]`), also its
    /// default id.
    pub fn to_program(&self, path: &str) -> Result<Program, SubsidyError> {
        let field = |name: &str| format!("{path}.{name}");
        let rate = parse_rate(&self.rate).map_err(|issue| SubsidyError::Decimal {
            path: field("rate"),
            issue,
        })?;
        if rate.is_sign_negative() || rate > Decimal::ONE {
            return Err(SubsidyError::InvalidRate {
                path: field("rate"),
            });
        }
        let optional_cap = |value: &Option<String>, name: &str| {
            value
                .as_deref()
                .map(|t| cap_field(t, &field(name)))
                .transpose()
        };
        let small_consumption_threshold = optional_cap(
            &self.small_consumption_threshold,
            "smallConsumptionThreshold",
        )?;
        let small_consumption_cap =
            optional_cap(&self.small_consumption_cap, "smallConsumptionCap")?;
        if small_consumption_cap.is_some() && small_consumption_threshold.is_none() {
            return Err(SubsidyError::InvalidProgram {
                path: field("smallConsumptionCap"),
                reason: "needs smallConsumptionThreshold".into(),
            });
        }
        let max_term_months = match self.max_term_months {
            Some(months) => Some(
                u32::try_from(months)
                    .ok()
                    .filter(|m| (1..=schedule::MAX_TERM_MONTHS).contains(m))
                    .ok_or_else(|| SubsidyError::InvalidProgram {
                        path: field("maxTermMonths"),
                        reason: format!("must be between 1 and {}", schedule::MAX_TERM_MONTHS),
                    })?,
            ),
            None => None,
        };
        let id = match &self.id {
            Some(id) if id.is_empty() || id.len() > 100 => {
                return Err(SubsidyError::InvalidProgram {
                    path: field("id"),
                    reason: "ids must have 1 to 100 characters".into(),
                })
            }
            Some(id) => id.clone(),
            None => path.to_owned(),
        };
        Ok(Program {
            id,
            name: self.name.clone(),
            rate,
            max_share_of_contract_rate: self
                .max_share_of_contract_rate
                .as_deref()
                .map(|t| fraction_field(t, &field("maxShareOfContractRate"), true))
                .transpose()?,
            window: self
                .window
                .as_ref()
                .map(|w| window_field(w, &field("window")))
                .transpose()?,
            contract_window: self
                .contract_window
                .as_ref()
                .map(|w| window_field(w, &field("contractWindow")))
                .transpose()?,
            eligible_institutions: self
                .eligible_institutions
                .as_deref()
                .map(|names| names_field(names, &field("eligibleInstitutions")))
                .transpose()?,
            loan_kinds: match &self.loan_kinds {
                Some(kinds) if kinds.is_empty() => {
                    return Err(SubsidyError::InvalidProgram {
                        path: field("loanKinds"),
                        reason: "an empty list would exclude everything; omit the field instead"
                            .into(),
                    })
                }
                other => other.clone(),
            },
            eligible_share: match &self.eligible_share {
                Some(t) => fraction_field(t, &field("eligibleShare"), false)?,
                None => Decimal::ONE,
            },
            per_transaction_base_cap: optional_cap(
                &self.per_transaction_base_cap,
                "perTransactionBaseCap",
            )?,
            per_transaction_cap: optional_cap(&self.per_transaction_cap, "perTransactionCap")?,
            per_borrower_cap: optional_cap(&self.per_borrower_cap, "perBorrowerCap")?,
            per_borrower_cap_scope: self.per_borrower_cap_scope.unwrap_or_default(),
            categories: self
                .categories
                .as_deref()
                .map(|names| names_field(names, &field("categories")))
                .transpose()?,
            small_consumption_threshold,
            small_consumption_cap,
            base: self.base.unwrap_or_default(),
            max_term_months,
            max_loan_amount: optional_cap(&self.max_loan_amount, "maxLoanAmount")?,
        })
    }
}

impl ContextRequest {
    /// Validates the context; paths start with `context.`.
    pub fn to_context(&self) -> Result<Context, SubsidyError> {
        Ok(Context {
            institution_type: self.institution_type.clone(),
            loan_kind: self.loan_kind,
            category: self.category.clone(),
            as_of: self
                .as_of
                .as_deref()
                .map(|t| date_field(t, "context.asOf"))
                .transpose()?,
            eligible_amount: self
                .eligible_amount
                .as_deref()
                .map(|t| cap_field(t, "context.eligibleAmount"))
                .transpose()?,
        })
    }
}

/// The wire form of the shipped data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
struct ProgramFile {
    /// Free text for people reading the file; accepted so unknown fields can still be refused.
    #[allow(dead_code)]
    #[serde(default)]
    description: Option<String>,
    programs: Vec<ProgramRequest>,
}

impl ProgramFile {
    /// Reads the program file from JSON bytes through the request gate (`programs` required).
    fn from_json(bytes: &[u8]) -> Result<ProgramFile, ApiError> {
        tree::read_request(bytes, |node, path| {
            let (mut description, mut programs) = (None, None);
            tree::object(
                node,
                path,
                &["description", "programs"],
                &mut |field, value, at| {
                    match field {
                        0 => description = tree::optional(value, at, tree::string)?,
                        _ => programs = Some(tree::array(value, at, ProgramRequest::from_node)?),
                    }
                    Ok(())
                },
            )?;
            Ok(ProgramFile {
                description,
                programs: tree::required(programs, "programs", path)?,
            })
        })
    }
}

/// The shipped sample programs, validated.
pub fn builtin_programs() -> Result<Vec<Program>, SubsidyError> {
    let file = ProgramFile::from_json(BUILTIN_PROGRAMS_JSON.as_bytes())
        .map_err(|e| SubsidyError::BuiltinData { reason: e.message })?;
    let mut programs = Vec::with_capacity(file.programs.len());
    for (idx, program) in file.programs.iter().enumerate() {
        programs.push(
            program
                .to_program(&format!("builtinPrograms[{idx}]"))
                .map_err(|e| SubsidyError::BuiltinData {
                    reason: format!("{} at {}", e, e.path().unwrap_or_default()),
                })?,
        );
    }
    Ok(programs)
}

/// The typed inputs of a `subsidy` request besides the loan: programs, what was already used,
/// promotions and the borrower context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackingInputs {
    /// The programs in the order given (`program`, then `programs`, then the shipped ones).
    pub programs: Vec<Program>,
    /// Subsidy already received under the cap in effect.
    pub used: SubsidyUsed,
    /// The promotions, validated.
    pub promotions: Vec<Promotion>,
    /// Borrower and transaction facts.
    pub context: Context,
}

impl SubsidyRequest {
    /// Reads everything but the loan (`schedule`, read by its own wire layer) into typed values,
    /// in the order the fields are checked: programs, `subsidyUsed`, promotions, context.
    pub fn to_inputs(&self) -> Result<StackingInputs, SubsidyError> {
        let mut programs = Vec::new();
        if let Some(program) = &self.program {
            programs.push(program.to_program("program")?);
        }
        if let Some(list) = &self.programs {
            for (idx, program) in list.iter().enumerate() {
                programs.push(program.to_program(&format!("programs[{idx}]"))?);
            }
        }
        if self.builtin_programs == Some(true) {
            programs.extend(builtin_programs()?);
        }
        if programs.is_empty() {
            return Err(SubsidyError::MissingProgram);
        }
        let used = SubsidyUsed {
            total: match &self.subsidy_used {
                Some(t) => cap_field(t, "subsidyUsed")?,
                None => Decimal::ZERO,
            },
            small_consumption: self
                .subsidy_used_small
                .as_deref()
                .map(|t| cap_field(t, "subsidyUsedSmall"))
                .transpose()?,
        };
        let promotions = parse_promotions(&self.promotions, "promotions")?;
        let context = match &self.context {
            Some(context) => context.to_context()?,
            None => Context::default(),
        };
        Ok(StackingInputs {
            programs,
            used,
            promotions,
            context,
        })
    }
}

crate::json_object::objects_only!(
    MerchantFundedRequest,
    InterestFreeDaysRequest,
    RateDiscountRequest,
    InterestCouponRequest,
    LocalizedText,
    DateWindowRequest,
    ProgramRequest,
    ContextRequest,
    SubsidyRequest,
    ProgramFile
);
crate::json_object::serialize_derived!(
    MerchantFundedRequest,
    InterestFreeDaysRequest,
    RateDiscountRequest,
    InterestCouponRequest,
    LocalizedText,
    DateWindowRequest,
    ProgramRequest,
    ContextRequest,
    SubsidyRequest
);
