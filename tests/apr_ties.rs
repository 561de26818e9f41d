//! The China rate on regular periods at its half-up ties (domain-math §2.1: `rate` with 6
//! decimals and its percent with 2, half-up), against closed forms: a loan whose root is a known
//! fraction (a one-period bullet repays A + A·r; interest-only repays A·r a period and A at the
//! end, so the periodic rate is exactly I / A). Constructed exactly on ties of both roundings, a
//! fen either side of them, and at random; the `apr` operation and the fen door
//! (`cn_irr_fen`) must both give the half-up rounding of the exact rational rate.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use puhui::money::{fmt_dp, Rounding};
use serde_json::{json, Value};

/// `numerator / denominator` rounded half-up to `dp` decimals, as text (both positive).
fn half_up(numerator: u128, denominator: u128, dp: u32) -> String {
    let units = (2 * numerator * 10_u128.pow(dp) + denominator) / (2 * denominator);
    let text = format!("{units:0>width$}", width = dp as usize + 1);
    let (int, frac) = text.split_at(text.len() - dp as usize);
    format!("{int}.{frac}")
}

fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
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
    assert_eq!(
        puhui::apr::cn_irr_fen(2_000_000, &[2_000_001], 1).map(|r| fmt_dp(r, 6, Rounding::HalfUp)),
        Some("0.000001".to_owned())
    );
}
