//! Stacking: what the borrower is offered on top of a priced loan — promotions, then the fiscal
//! subsidy — applied to one built schedule in a fixed, documented order.
//!
//! Owns the wire layer of both ([`wire`]: every serde shape, decimal string, date and JSON path),
//! the typed promotions and their per-period reductions ([`promo`]), and the subsidy programs,
//! their eligibility, caps and outcome ([`subsidy`]). The model and the math take typed values
//! only; strings stop at [`wire`].
//! It must not price the loan: the schedule comes built from [`crate::schedule`], and the rate
//! before and after is the one CN annualized-rate rule of [`crate::disclosure`].
//! The old paths `puhui::promo` and `puhui::subsidy` are re-exports of [`promo`] and [`subsidy`].
//!
//! # Stacking order
//!
//! Every step acts on the charge the earlier steps left (interest, plus the installment fee of a
//! flat-fee card installment), so no period can ever be reduced below zero and the order is
//! visible in the result (`appliedOrder`):
//!
//! 1. **merchant-funded** — the merchant buys the installment down at signing; it is a price term
//!    settled between merchant and lender, so it comes before anything the borrower is offered.
//! 2. **interest-free-days** — a contract waiver of the interest accrued in the first N days; it
//!    defines how much interest exists at all, so coupons apply to what remains.
//! 3. **rate-discount** — x % off the remaining charge of the first k periods.
//! 4. **interest-coupon** — a fixed amount off, consumed from period 1 forward, capped at the
//!    charge that remains (applied after percentage discounts, as lenders apply 满减 after 折扣,
//!    so the borrower gets the coupon's full face value whenever the charge allows).
//! 5. the fiscal subsidy ([`subsidy`]) last: 财政贴息 reimburses interest the borrower actually
//!    owes at settlement, so it is computed by the §5.1 formula and then capped at the charge
//!    left after every promotion — a waived yuan is never subsidised. Several programs are paid
//!    in the order given, each within what the earlier ones left.

pub mod promo;
pub mod subsidy;
pub mod wire;

pub use promo::{PromoError, PromoOutcome, Promotion};
pub use subsidy::{apply, run, Program, SubsidyError, SubsidyOutcome};
pub use wire::{ProgramRequest, PromotionRequest, SubsidyRequest};
