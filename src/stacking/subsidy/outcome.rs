//! The outcome of [`super::apply`], also the `subsidy` response: per-period detail, totals, the
//! caps that bound, reasons and assumptions, and the annualized rate before and after.
//!
//! Owns the response types and the last stage: the borrower's flows per period (payment, less
//! the promotions' discount, less the subsidy) and their CN annualized rates, solved by the one
//! rule in [`crate::disclosure::cn_annualized`]. It must not change any amount.

use super::payout::Payout;
use super::{Facts, LocalizedText, Overflow, SubsidyError};
use crate::apr::{CnRate, RATE_DP};
use crate::date::Date;
use crate::disclosure;
use crate::money::CheckedOps;
use crate::money::{self, fmt_dp, Rounding};
use crate::schedule::Schedule;
use crate::stacking::promo::PromoOutcome;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Why a program pays nothing, or what was assumed about missing facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The program concerned (`None` for loan-wide notes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Stable kebab-case code.
    pub code: &'static str,
    /// What to show the borrower.
    pub message: LocalizedText,
}

/// A cap that limited the subsidy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapBound {
    /// The program whose cap it is.
    pub program: String,
    /// `per-transaction`, `per-borrower`, `small-consumption` or `interest-charged`.
    pub cap: &'static str,
    /// The period in which it bound (that period got the remainder).
    pub period: u32,
    /// What was left under the cap in that period.
    #[serde(serialize_with = "money::ser_money")]
    pub limit: Decimal,
    /// The calendar year of a `per-year` scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

/// One period of the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodDetail {
    /// 1-based period.
    pub period: u32,
    /// Due date when the loan has a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<Date>,
    /// The schedule's payment.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Interest plus installment fee charged by the schedule.
    #[serde(serialize_with = "money::ser_money")]
    pub charge: Decimal,
    /// Taken off by promotions (merchant-paid included).
    #[serde(serialize_with = "money::ser_money")]
    pub promotion_discount: Decimal,
    /// Of the discount, paid by the merchant.
    #[serde(serialize_with = "money::ser_money")]
    pub merchant_paid: Decimal,
    /// Fiscal subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub subsidy: Decimal,
    /// payment − promotionDiscount − subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub net_payment: Decimal,
}

/// Sums over the periods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeTotals {
    /// Σ payment.
    #[serde(serialize_with = "money::ser_money")]
    pub payment: Decimal,
    /// Σ charge.
    #[serde(serialize_with = "money::ser_money")]
    pub charge: Decimal,
    /// Σ promotion discount.
    #[serde(serialize_with = "money::ser_money")]
    pub promotion_discount: Decimal,
    /// Σ merchant-paid.
    #[serde(serialize_with = "money::ser_money")]
    pub merchant_paid: Decimal,
    /// Σ subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub subsidy: Decimal,
    /// Σ net payment.
    #[serde(serialize_with = "money::ser_money")]
    pub net_payment: Decimal,
}

/// What one program did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramResult {
    /// The program.
    pub id: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<LocalizedText>,
    /// Whether it paid anything.
    pub applied: bool,
    /// s = min(rate, maxShare × contract rate).
    #[serde(serialize_with = "ser_plain")]
    pub subsidy_rate: Decimal,
    /// Whether the share-of-contract-rate cap lowered s.
    pub rate_capped_by_share: bool,
    /// Eligible amount after the per-transaction base cap.
    #[serde(serialize_with = "money::ser_money")]
    pub eligible_amount: Decimal,
    /// Σ subsidy from this program.
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
    /// Per period.
    #[serde(serialize_with = "ser_money_vec")]
    pub per_period: Vec<Decimal>,
}

/// The full result of [`super::apply`], also the `subsidy` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubsidyOutcome {
    /// s of the first program that paid (0 when none did).
    #[serde(serialize_with = "ser_plain")]
    pub subsidy_rate: Decimal,
    /// Subsidy per period, all programs together.
    #[serde(serialize_with = "ser_money_vec")]
    pub per_period: Vec<Decimal>,
    /// Σ subsidy.
    #[serde(serialize_with = "money::ser_money")]
    pub total: Decimal,
    /// The contract rate the share cap compares with.
    #[serde(serialize_with = "ser_rate")]
    pub contract_rate: Decimal,
    /// Annualized rate (IRR method, §2.1) of the schedule's own flows.
    #[serde(serialize_with = "ser_rate")]
    pub gross_rate: Decimal,
    /// After promotions, before the subsidy.
    #[serde(serialize_with = "ser_rate")]
    pub rate_after_promotions: Decimal,
    /// After promotions and the subsidy.
    #[serde(serialize_with = "ser_rate")]
    pub net_rate: Decimal,
    /// The gross disclosure.
    pub gross_apr: CnRate,
    /// The net disclosure.
    pub net_apr: CnRate,
    /// Per period detail.
    pub per_period_detail: Vec<PeriodDetail>,
    /// Sums.
    pub totals: OutcomeTotals,
    /// Caps that limited the subsidy, in period order per program.
    pub caps_bound: Vec<CapBound>,
    /// Why programs pay nothing.
    pub reasons: Vec<Reason>,
    /// What was assumed about facts the request did not give.
    pub assumptions: Vec<Reason>,
    /// The steps that ran, in order (promotion kinds, then `subsidy:<program id>`).
    pub applied_order: Vec<String>,
    /// Per program.
    pub programs: Vec<ProgramResult>,
}

fn ser_plain<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&value.normalize())
}

fn ser_rate<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&fmt_dp(*value, RATE_DP, Rounding::HalfUp))
}

fn ser_money_vec<S: Serializer>(values: &[Decimal], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(|v| money::fmt_money(*v)))
}

/// The borrower's flows: the detail rows, their sums, and the payments before promotions,
/// after promotions, and after promotions and subsidy.
struct Flows {
    details: Vec<PeriodDetail>,
    totals: OutcomeTotals,
    gross_payments: Vec<Decimal>,
    promoted_payments: Vec<Decimal>,
    net_payments: Vec<Decimal>,
}

/// Each period's payment less the promotions' discount and the subsidy, and the sums.
fn flows(
    facts: &Facts<'_>,
    promoted: &PromoOutcome,
    per_period: &[Decimal],
) -> Result<Flows, Overflow> {
    let rows = &facts.timeline.rows;
    let n_periods = rows.len();
    let mut details = Vec::with_capacity(n_periods);
    let mut totals = OutcomeTotals {
        payment: Decimal::ZERO,
        charge: Decimal::ZERO,
        promotion_discount: Decimal::ZERO,
        merchant_paid: Decimal::ZERO,
        subsidy: Decimal::ZERO,
        net_payment: Decimal::ZERO,
    };
    let mut gross_payments = Vec::with_capacity(n_periods);
    let mut promoted_payments = Vec::with_capacity(n_periods);
    let mut net_payments = Vec::with_capacity(n_periods);
    for (period_idx, row) in rows.iter().enumerate() {
        let promotion = promoted
            .periods
            .get(period_idx)
            .copied()
            .unwrap_or_default();
        let discount = promotion.discount();
        let subsidy = per_period.get(period_idx).copied().unwrap_or_default();
        let promoted = row.payment.minus(discount)?;
        let net_payment = promoted.minus(subsidy)?;
        totals.payment = totals.payment.plus(row.payment)?;
        totals.charge = totals.charge.plus(row.charge)?;
        totals.promotion_discount = totals.promotion_discount.plus(discount)?;
        totals.merchant_paid = totals.merchant_paid.plus(promotion.merchant_paid)?;
        totals.subsidy = totals.subsidy.plus(subsidy)?;
        totals.net_payment = totals.net_payment.plus(net_payment)?;
        gross_payments.push(row.payment);
        promoted_payments.push(promoted);
        net_payments.push(net_payment);
        details.push(PeriodDetail {
            period: period_idx as u32 + 1,
            due_date: row.due_date,
            payment: row.payment,
            charge: row.charge,
            promotion_discount: discount,
            merchant_paid: promotion.merchant_paid,
            subsidy,
            net_payment,
        });
    }
    Ok(Flows {
        details,
        totals,
        gross_payments,
        promoted_payments,
        net_payments,
    })
}

/// The CN annualized rate of the gross, promoted and net flows.
fn rates(
    facts: &Facts<'_>,
    schedule: &Schedule,
    flows: &Flows,
) -> Result<(CnRate, CnRate, CnRate), SubsidyError> {
    let loan = facts.loan;
    let advance = schedule.amount_received;
    // The one CN annualized-rate rule (days when the first period is odd), as disclosure.
    // Equal flows have equal rates: a loan without promotions (or without subsidy) solves once.
    let (gross_apr, _) = disclosure::cn_annualized(loan, schedule, advance, &flows.gross_payments)?;
    let promoted_apr = if flows.promoted_payments == flows.gross_payments {
        gross_apr.clone()
    } else {
        disclosure::cn_annualized(loan, schedule, advance, &flows.promoted_payments)?.0
    };
    let net_apr = if flows.net_payments == flows.promoted_payments {
        promoted_apr.clone()
    } else {
        disclosure::cn_annualized(loan, schedule, advance, &flows.net_payments)?.0
    };
    Ok((gross_apr, promoted_apr, net_apr))
}

/// The last stage: the borrower's flows, the rates before and after, and the outcome.
pub(super) fn assemble(
    facts: &Facts<'_>,
    schedule: &Schedule,
    promoted: &PromoOutcome,
    payout: Payout,
    reasons: Vec<Reason>,
    assumptions: Vec<Reason>,
) -> Result<SubsidyOutcome, SubsidyError> {
    let flows = flows(facts, promoted, &payout.per_period)?;
    let (gross_apr, promoted_apr, net_apr) = rates(facts, schedule, &flows)?;
    Ok(SubsidyOutcome {
        subsidy_rate: payout.first_rate.unwrap_or(Decimal::ZERO),
        total: flows.totals.subsidy,
        per_period: payout.per_period,
        contract_rate: facts.contract_rate,
        gross_rate: gross_apr.rate,
        rate_after_promotions: promoted_apr.rate,
        net_rate: net_apr.rate,
        gross_apr,
        net_apr,
        per_period_detail: flows.details,
        totals: flows.totals,
        caps_bound: payout.caps_bound,
        reasons,
        assumptions,
        applied_order: payout.applied,
        programs: payout.programs,
    })
}
