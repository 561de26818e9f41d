//! The China rate on regular periods at its half-up ties (domain-math §2.1: `rate` with 6
//! decimals and its percent with 2, half-up), against closed forms: a loan whose root is a known
//! fraction (a one-period bullet repays A + A·r; interest-only repays A·r a period and A at the
//! end, so the periodic rate is exactly I / A). Constructed exactly on ties of both roundings, a
//! fen either side of them, and at random; the `apr` operation and the fen door
//! (`cn_irr_fen`) must both give the half-up rounding of the exact rational rate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::yuan;

use puhui::money::{fmt_dp, Rounding};
use serde_json::{json, Value};

/// `numerator / denominator` rounded half-up to `dp` decimals, as text (both positive).
fn half_up(numerator: u128, denominator: u128, dp: u32) -> String {
    let units = (2 * numerator * 10_u128.pow(dp) + denominator) / (2 * denominator);
    let text = format!("{units:0>width$}", width = dp as usize + 1);
    let (int, frac) = text.split_at(text.len() - dp as usize);
    format!("{int}.{frac}")
}

/// Checks one interest-only loan: `advance` fen, `periods - 1` payments of `interest` fen, then
/// `advance + interest`; the rate is `ppy · interest / advance` exactly.
fn check(advance: u64, interest: u64, periods: usize, ppy: u32) -> bool {
    let mut payments = vec![interest; periods - 1];
    payments.push(advance + interest);
    let request = json!({
        "method": "cn-irr",
        "advance": yuan(advance),
        "payments": payments.iter().map(|p| yuan(*p)).collect::<Vec<_>>(),
        "periodsPerYear": ppy,
    });
    let response: Value = common::call("apr", &request).unwrap();
    let numerator = u128::from(ppy) * u128::from(interest);
    let rate = half_up(numerator, u128::from(advance), 6);
    let percent = half_up(numerator * 100, u128::from(advance), 2);
    let context = format!("{request}");
    assert_eq!(response["rate"], json!(rate), "{context}");
    assert_eq!(response["percent"], json!(percent), "{context}");
    if ppy == 1 {
        assert_eq!(response["effectiveRate"], json!(rate), "{context}");
        assert_eq!(response["effectivePercent"], json!(percent), "{context}");
    }
    let advance_fen = i64::try_from(advance).unwrap();
    let fens: Vec<i64> = payments
        .iter()
        .map(|p| i64::try_from(*p).unwrap())
        .collect();
    if let Some(fen_rate) = puhui::apr::cn_irr_fen(advance_fen, &fens, ppy) {
        assert_eq!(
            fmt_dp(fen_rate, 6, Rounding::HalfUp),
            rate,
            "fen door {context}"
        );
    }
    // Whether the exact rate is a tie of either rounding.
    (2 * numerator * 1_000_000) % u128::from(advance) == 0
        && (2 * numerator * 1_000_000 / u128::from(advance)) % 2 == 1
        || (2 * numerator * 10_000) % u128::from(advance) == 0
            && (2 * numerator * 10_000 / u128::from(advance)) % 2 == 1
}

#[test]
fn exact_ties_round_half_up() {
    let mut next = common::stream(0x51ed_2701_f00d_cafe);
    let mut ties = 0;
    for ppy in [1_u32, 2, 4, 12, 24, 52, 365] {
        for case in 0..60 {
            // A tie of the 6-decimal rate (even cases) or of the percent (odd).
            let scale: u64 = if case % 2 == 0 { 1_000_000 } else { 10_000 };
            let j = 1 + next(5);
            let k = next(if case % 4 < 2 { 30 } else { 400_000 });
            let advance = 2 * scale * u64::from(ppy) * j;
            let interest = (2 * k + 1) * j;
            let periods = 1 + next(if case % 3 == 0 { 1 } else { 48 }) as usize;
            if check(advance, interest, periods, ppy) {
                ties += 1;
            }
            // A fen either side: not a tie, rounded by the exact rate all the same.
            check(advance, interest + 1, periods, ppy);
            if interest > 1 {
                check(advance, interest - 1, periods, ppy);
            }
        }
    }
    assert!(ties > 300, "{ties} ties constructed");
}

#[test]
fn random_interest_only_loans_round_as_their_exact_rate() {
    let mut next = common::stream(0x0dd_ba11);
    for _ in 0..400 {
        let ppy = [1_u32, 4, 12, 52][next(4) as usize];
        let advance = 100 + next(100_000_000);
        let interest = next(advance / 20 + 1) + 1;
        let periods = 1 + next(36) as usize;
        check(advance, interest, periods, ppy);
    }
}

/// The cases the review found (session 8): each answered one millionth or one hundredth low.
#[test]
fn the_reported_ties() {
    let cases = [
        (
            json!({"method": "cn-irr", "advance": "20000.00", "payments": ["20000.01"], "periodsPerYear": 1}),
            "0.000001",
            "0.00",
        ),
        (
            json!({"method": "cn-irr", "advance": "10000.00", "payments": ["11302.50"], "periodsPerYear": 1}),
            "0.130250",
            "13.03",
        ),
        (
            json!({"method": "cn-irr", "advance": "240000.00", "payments": ["1.00", "1.00", "240001.00"], "periodsPerYear": 12}),
            "0.000050",
            "0.01",
        ),
    ];
    for (request, rate, percent) in cases {
        let response = common::call("apr", &request).unwrap();
        assert_eq!(response["rate"], json!(rate), "{request}");
        assert_eq!(response["percent"], json!(percent), "{request}");
    }
    // The fen fast path declines a root on a tie (the grid cannot round it with certainty):
    // the wasm door then asks `cn_irr`, which settles it exactly (above).
    assert_eq!(puhui::apr::cn_irr_fen(2_000_000, &[2_000_001], 1), None);
    assert_eq!(
        puhui::apr::cn_irr_fen(2_000_000, &[2_000_200], 1).map(|r| fmt_dp(r, 6, Rounding::HalfUp)),
        Some("0.000100".to_owned())
    );
}

fn rate_and_percent(request: serde_json::Value) -> (String, String) {
    let response = common::call("apr", &request).unwrap();
    (
        response["rate"].as_str().unwrap().to_owned(),
        response["percent"].as_str().unwrap().to_owned(),
    )
}

/// Found by the session-9 review: 10,000.00 repaid 11,302.50 after one year is exactly 13.025 %;
/// the same amounts written with trailing zeros (accepted: they are still whole fen) were not
/// settled, because `cn::integer_units` scales every amount to the
/// finest scale among them (10^-16 here) and 10,000 × 10^16 exceeds u64, so `ties::settle` is
/// skipped and the solver's hair below the tie shows 13.02 (a million-yuan loan needs only 14
/// decimals). Fix: scale by the amounts' normalized scales, or settle on `regular_fen`'s fens.
#[test]
fn amounts_with_trailing_zeros_are_settled_too() {
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

/// Found by the session-9 review: a negative root on a tie was never settled (`ties::settle`
/// returned early for a negative rate), so its rounding follows the solver's error instead of the exact root: 200.00 repaid
/// 199.99 after a year is exactly −0.005 %, and the engine's own half-up
/// (`Rounding::HalfUp`, midpoint away from zero, what `percent()` applies to the exact value)
/// gives "-0.01"; the answer is "0.00". Likewise 20,000.00 → 19,999.99 is −0.0000005 exactly:
/// "-0.000001", answered "0.000000" while the same response's `periodicRate` (m = 1: the same
/// number) reads "-0.000000500000".
#[test]
fn a_negative_root_on_a_tie_rounds_away_from_zero() {
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

/// One-period loans repaid less than the advance, on negative ties of both roundings, a fen
/// either side, and at random: half-up is midpoint away from zero (`Rounding::HalfUp`).
#[test]
fn negative_roots_round_as_their_exact_rate() {
    let mut next = common::stream(0x7e57_ab1e);
    for case in 0..300 {
        let scale: u64 = if case % 2 == 0 { 1_000_000 } else { 10_000 };
        let j = 1 + next(5);
        let k = next(if case % 4 < 2 { 30 } else { 4_000 });
        let advance = 2 * scale * j;
        let shortfall = (2 * k + 1) * j + [0, 1, 2][case % 3] - 1;
        if shortfall == 0 || shortfall >= advance {
            continue;
        }
        let request = json!({
            "method": "cn-irr",
            "advance": yuan(advance),
            "payments": [yuan(advance - shortfall)],
            "periodsPerYear": 1,
        });
        let response = common::call("apr", &request).unwrap();
        let rate = format!(
            "-{}",
            half_up(u128::from(shortfall), u128::from(advance), 6)
        );
        let percent = format!(
            "-{}",
            half_up(u128::from(shortfall) * 100, u128::from(advance), 2)
        );
        let zero = |text: &str| {
            text.trim_start_matches('-')
                .chars()
                .all(|c| c == '0' || c == '.')
        };
        let signed = |text: String| {
            if zero(&text) {
                text.trim_start_matches('-').to_owned()
            } else {
                text
            }
        };
        assert_eq!(response["rate"], json!(signed(rate)), "{request}");
        assert_eq!(response["percent"], json!(signed(percent)), "{request}");
    }
}
