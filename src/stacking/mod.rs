//! Stacking: promotions and the fiscal subsidy applied to one built schedule, in order.

pub mod promo;
pub mod subsidy;
