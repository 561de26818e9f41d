//! Promotions that change what the borrower pays: interest-free days (免息), rate-discount
//! coupons (利率折扣券), fixed interest coupons (利息抵扣券) and merchant-funded 0 % installments
//! (商户贴息分期).
//!
//! Owns the typed promotions ([`Promotion`]) and their application: the per-period reductions of
//! the loan's *charge* (interest, plus the installment fee of a flat-fee card installment, which
//! the 2022 card rules require to be presented as interest), in the stacking order documented in
//! [`crate::stacking`].
//! Their wire form ([`PromotionRequest`], [`parse_promotions`]) lives in [`super::wire`] and is
//! re-exported here.
//! It works on plain per-period rows handed in by [`crate::stacking::subsidy`]; it builds no
//! schedule, reads no program data, parses no strings and never touches principal or
//! non-installment fees.

use crate::error::ErrorCode;
use crate::money::CheckedOps;
use crate::money::{self, DecimalIssue, Rounding};
use rust_decimal::Decimal;
use serde::Serialize;

pub use super::wire::{
    parse_promotions, InterestCouponRequest, InterestFreeDaysRequest, MerchantFundedRequest,
    PromotionRequest, RateDiscountRequest,
};

/// Longest interest-free span accepted, in days (ten years).
pub const MAX_FREE_DAYS: u32 = 3_660;

/// A validated promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Promotion {
    /// The merchant pays `share` of every period's charge (1 = a 0 % installment for the borrower).
    MerchantFunded {
        /// Fraction of the charge the merchant pays, in (0, 1].
        share: Decimal,
    },
    /// The interest accrued in the loan's first `days` days is waived.
    InterestFreeDays {
        /// Number of free days from the loan's start.
        days: u32,
    },
    /// `fraction` off the charge of the first `periods` periods (all periods when `None`).
    RateDiscount {
        /// Fraction off, in (0, 1] (`0.2` = 20 % off, i.e. 8折).
        fraction: Decimal,
        /// How many periods from the first the coupon covers.
        periods: Option<u32>,
    },
    /// A fixed amount off the charge, used from period 1 forward until spent.
    InterestCoupon {
        /// Face value of the coupon in yuan.
        amount: Decimal,
    },
}

impl Promotion {
    /// The wire name of the kind, also the step name in `appliedOrder`.
    pub fn kind(&self) -> &'static str {
        match self {
            Promotion::MerchantFunded { .. } => "merchant-funded",
            Promotion::InterestFreeDays { .. } => "interest-free-days",
            Promotion::RateDiscount { .. } => "rate-discount",
            Promotion::InterestCoupon { .. } => "interest-coupon",
        }
    }

    /// Position in the stacking order (lower runs first).
    fn rank(&self) -> u8 {
        match self {
            Promotion::MerchantFunded { .. } => 0,
            Promotion::InterestFreeDays { .. } => 1,
            Promotion::RateDiscount { .. } => 2,
            Promotion::InterestCoupon { .. } => 3,
        }
    }
}

/// Why a promotion was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PromoError {
    /// A decimal field is malformed, over-precise or out of range.
    #[error("{path}: {issue}")]
    Decimal {
        /// JSON path of the field.
        path: String,
        /// What is wrong with it.
        issue: DecimalIssue,
    },
    /// A field is outside its allowed range.
    #[error("{path}: {reason}")]
    Invalid {
        /// JSON path of the field.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The same kind appears twice where stacking it has no meaning.
    #[error("{path}: only one {kind} promotion may apply")]
    Duplicate {
        /// JSON path of the second occurrence.
        path: String,
        /// The kind repeated.
        kind: &'static str,
    },
    /// An intermediate figure left the decimal range.
    #[error("arithmetic overflow in promotions")]
    Overflow,
}

impl From<crate::money::Overflow> for PromoError {
    fn from(_: crate::money::Overflow) -> Self {
        PromoError::Overflow
    }
}

impl ErrorCode for PromoError {
    fn code(&self) -> &'static str {
        match self {
            PromoError::Decimal { issue, .. } => issue.code(),
            PromoError::Invalid { .. } => "invalid-promotion",
            PromoError::Duplicate { .. } => "duplicate-promotion",
            PromoError::Overflow => "overflow",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            PromoError::Decimal { path, .. }
            | PromoError::Invalid { path, .. }
            | PromoError::Duplicate { path, .. } => Some(path.clone()),
            PromoError::Overflow => None,
        }
    }
}

/// What promotions see of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChargeRow {
    /// Interest plus installment fee charged by the schedule this period.
    pub charge: Decimal,
    /// First day (day number) of the span over which this period's charge accrued.
    pub accrual_start_day: i64,
    /// Day (day number, exclusive) at which the span ends: the due date.
    pub end_day: i64,
}

/// Reductions of one period's charge, by source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodPromotion {
    /// Paid by the merchant instead of the borrower.
    #[serde(serialize_with = "money::ser_money")]
    pub merchant_paid: Decimal,
    /// Waived by the lender (free days and coupons).
    #[serde(serialize_with = "money::ser_money")]
    pub waived: Decimal,
    /// Charge left for the borrower (and for the subsidy to reimburse).
    #[serde(serialize_with = "money::ser_money")]
    pub remaining_charge: Decimal,
}

impl PeriodPromotion {
    /// Everything the promotions took off this period's payment.
    pub fn discount(&self) -> Decimal {
        self.merchant_paid.saturating_add(self.waived)
    }
}

/// The per-period result of every promotion and the steps that ran, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromoOutcome {
    /// One entry per period.
    pub periods: Vec<PeriodPromotion>,
    /// Kinds applied, in stacking order.
    pub applied_order: Vec<&'static str>,
}

/// Moves `amount` of the period's remaining charge to the merchant or to the waived part.
#[inline(never)]
fn take(period: &mut PeriodPromotion, amount: Decimal, merchant: bool) -> Result<(), PromoError> {
    let slot = if merchant {
        &mut period.merchant_paid
    } else {
        &mut period.waived
    };
    *slot = (*slot).plus(amount)?;
    period.remaining_charge = period.remaining_charge.minus(amount)?;
    Ok(())
}

/// Takes `share` of the period's remaining charge, rounded to the fen and never more than
/// what is left.
#[inline(never)]
fn take_share(
    period: &mut PeriodPromotion,
    share: Decimal,
    rounding: Rounding,
    merchant: bool,
) -> Result<(), PromoError> {
    let amount = rounding
        .money(period.remaining_charge.times(share)?)
        .min(period.remaining_charge);
    take(period, amount, merchant)
}

/// Applies `promotions` in the documented stacking order to the rows' charges.
/// `loan_start_day` is the day number the loan starts (free days count from it).
pub fn apply(
    promotions: &[Promotion],
    rows: &[ChargeRow],
    loan_start_day: i64,
    rounding: Rounding,
) -> Result<PromoOutcome, PromoError> {
    let mut periods: Vec<PeriodPromotion> = rows
        .iter()
        .map(|row| PeriodPromotion {
            merchant_paid: Decimal::ZERO,
            waived: Decimal::ZERO,
            remaining_charge: row.charge,
        })
        .collect();
    let mut ordered: Vec<&Promotion> = promotions.iter().collect();
    // A stable sort keeps the caller's order among promotions of the same kind.
    crate::sort::sort_by_key(&mut ordered, |p| p.rank());
    let mut applied_order: Vec<&'static str> = Vec::new();
    for promotion in ordered {
        if !applied_order.contains(&promotion.kind()) {
            applied_order.push(promotion.kind());
        }
        match *promotion {
            Promotion::MerchantFunded { share } => {
                for period in periods.iter_mut() {
                    take_share(period, share, rounding, true)?;
                }
            }
            Promotion::InterestFreeDays { days } => {
                let free_end = Decimal::from(loan_start_day).plus(Decimal::from(days))?;
                for (period, row) in periods.iter_mut().zip(rows) {
                    let span = row.end_day - row.accrual_start_day;
                    if span <= 0 || period.remaining_charge.is_zero() {
                        continue;
                    }
                    let start = Decimal::from(row.accrual_start_day.max(loan_start_day));
                    let end = Decimal::from(row.end_day).min(free_end);
                    let free_days = end.minus(start)?.max(Decimal::ZERO);
                    // The accrued charge is spread evenly over the accrual span's actual days,
                    // so the waiver is the free days' pro-rata share of what is left.
                    let share = free_days.over(Decimal::from(span))?;
                    take_share(period, share, rounding, false)?;
                }
            }
            Promotion::RateDiscount {
                fraction,
                periods: covered,
            } => {
                let covered = covered.map_or(periods.len(), |c| c as usize);
                for period in periods.iter_mut().take(covered) {
                    take_share(period, fraction, rounding, false)?;
                }
            }
            Promotion::InterestCoupon { amount } => {
                let mut left = amount;
                for period in periods.iter_mut() {
                    if left.is_zero() {
                        break;
                    }
                    let off = left.min(period.remaining_charge);
                    left = left.minus(off)?;
                    take(period, off, false)?;
                }
            }
        }
    }
    Ok(PromoOutcome {
        periods,
        applied_order,
    })
}
