//! Faults found reviewing 048d8a3..fae2668 (branch `review`): each test fails on fae2668.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::json;

fn rate_and_percent(request: serde_json::Value) -> (String, String) {
    let response = common::call("apr", &request).unwrap();
    (
        response["rate"].as_str().unwrap().to_owned(),
        response["percent"].as_str().unwrap().to_owned(),
    )
}

/// 10,000.00 repaid 11,302.50 after one year is exactly 13.025 %: `tests/apr_ties.rs` pins
/// "0.130250" / "13.03". The same amounts written with trailing zeros (accepted: they are
/// still whole fen) are not settled, because `cn::integer_units` scales every amount to the
/// finest scale among them (10^-16 here) and 10,000 × 10^16 exceeds u64, so `ties::settle` is
/// skipped and the solver's hair below the tie shows 13.02 (a million-yuan loan needs only 14
/// decimals). Fix: scale by the amounts' normalized scales, or settle on `regular_fen`'s fens.
#[test]
fn review_tie_is_settled_when_amounts_carry_trailing_zeros() {
    let plain = rate_and_percent(json!({
        "method": "cn-irr", "advance": "10000.00", "payments": ["11302.50"], "periodsPerYear": 1,
    }));
    assert_eq!(plain, ("0.130250".to_owned(), "13.03".to_owned()));
    let zeros = rate_and_percent(json!({
        "method": "cn-irr",
        "advance": "10000.0000000000000000",
        "payments": ["11302.5000000000000000"],
        "periodsPerYear": 1,
    }));
    let yearly = zeros;
    // Interest-only, monthly: 240,000.00 at 832.19 a month is 0.0416095 a year exactly (a tie
    // of the 6-decimal rate).
    let mut payments = vec!["832.1900000000000000000".to_owned(); 8];
    payments.push("240832.1900000000000000000".to_owned());
    let zeros = rate_and_percent(json!({
        "method": "cn-irr", "advance": "240000.0000000000000000000", "payments": payments,
        "periodsPerYear": 12,
    }));
    // Answered ("0.130250", "13.02") and ("0.041609", "4.16"); with 2 decimals the same loans
    // answer ("0.130250", "13.03") and ("0.041610", "4.16").
    assert_eq!(
        (yearly, zeros),
        (plain, ("0.041610".to_owned(), "4.16".to_owned()))
    );
}

/// A negative root on a tie is never settled (`ties::settle` returns early for a negative
/// rate), so its rounding follows the solver's error instead of the exact root: 200.00 repaid
/// 199.99 after a year is exactly −0.005 %, and the engine's own half-up
/// (`Rounding::HalfUp`, midpoint away from zero, what `percent()` applies to the exact value)
/// gives "-0.01"; the answer is "0.00". Likewise 20,000.00 → 19,999.99 is −0.0000005 exactly:
/// "-0.000001", answered "0.000000" while the same response's `periodicRate` (m = 1: the same
/// number) reads "-0.000000500000". Not a regression (never settled before either), but the
/// claim "rate and percent are always the half-up rounding of the exact root" does not hold
/// for negative roots.
#[test]
fn review_negative_tie_rounds_as_the_exact_root() {
    let exact = |value: &str, dp: u32| {
        puhui::money::fmt_dp(value.parse().unwrap(), dp, puhui::money::Rounding::HalfUp)
    };
    assert_eq!(exact("-0.005", 2), "-0.01");
    assert_eq!(exact("-0.0000005", 6), "-0.000001");
    let (_, percent) = rate_and_percent(json!({
        "method": "cn-irr", "advance": "200.00", "payments": ["199.99"], "periodsPerYear": 1,
    }));
    let (rate, _) = rate_and_percent(json!({
        "method": "cn-irr", "advance": "20000.00", "payments": ["19999.99"], "periodsPerYear": 1,
    }));
    assert_eq!(
        (rate, percent),
        ("-0.000001".to_owned(), "-0.01".to_owned())
    );
}
