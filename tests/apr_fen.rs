//! The fen doors of the China IRR (`cn_irr_fen`, `cn_xirr_fen`, behind the wasm `cnIrrFen` and
//! `cnXirrFen`) against the decimal doors (`cn_irr`, `cn_xirr`, behind `apr`): over many
//! generated loans every answer the fen door gives is the decimal door's, digit for digit, and
//! it answers every usual loan (declining only what it must leave to the decimal door).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use puhui::apr::{self, DatedAmount, YearDays};
use puhui::date::Date;
use puhui::money::{fmt_dp, Rounding};
use rust_decimal::Decimal;

/// A small deterministic generator: `next(n)` in `0..n`.
fn cases(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |bound| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % bound.max(1)
    }
}

fn fen(amount: i64) -> Decimal {
    Decimal::new(amount, 2)
}

/// A level-ish repayment of `advance` fen over `n` periods at a periodic rate near `rate_ppm`
/// parts per million, jittered; sometimes with zero payments or a balloon.
fn payments(next: &mut impl FnMut(u64) -> u64, advance: i64, n: usize) -> Vec<i64> {
    let rate_ppm = [0, 100, 2_000, 6_000, 15_000, 80_000, 400_000][next(7) as usize] + next(500);
    let level = advance / n as i64 + advance / 1_000_000 * rate_ppm as i64 + 1;
    (0..n)
        .map(|k| match next(40) {
            0 => 0,
            1 if k + 1 == n => level * 3,
            _ => level + next(1 + level as u64 / 50) as i64,
        })
        .collect()
}

/// Whether the payments repay the advance more than 2^20 times over per flow (the advance
/// and each payment are one flow): the grid leaves such flows to the decimal path.
fn unresolved(advance: i64, payments: &[i64]) -> bool {
    let repaid: i128 = payments.iter().map(|p| i128::from(*p)).sum();
    repaid * (payments.len() as i128 + 1) > i128::from(advance) << 20
}

#[test]
fn cn_irr_fen_is_cn_irr_on_every_usual_loan() {
    let mut next = cases(0x1dea_5eed);
    let mut answered = 0;
    for case in 0..6_000 {
        let advance =
            1 + next([10_000, 10_000_000, 1_000_000_000, 100_000_000_000_000][case % 4]) as i64;
        let n = 1 + next([12, 60, 400][case % 3]) as usize;
        let payments = payments(&mut next, advance, n);
        let m = [12, 4, 52, 365, 1][case % 5];
        let decimal = apr::cn_irr(
            fen(advance),
            &payments.iter().map(|p| fen(*p)).collect::<Vec<_>>(),
            m,
        );
        let fast = apr::cn_irr_fen(advance, &payments, m);
        let usual = payments.iter().sum::<i64>() > advance;
        match (fast, decimal) {
            (Some(rate), Ok(expected)) => {
                // What the door writes: the rate to 6 decimals, half-up (the `apr` door may
                // have taken its decimal path for a figure the fen door does not write, so the
                // unrounded values can differ past the 12th decimal).
                assert_eq!(
                    fmt_dp(rate, 6, Rounding::HalfUp),
                    fmt_dp(expected.rate, 6, Rounding::HalfUp),
                    "case {case}"
                );
                answered += 1;
            }
            (Some(rate), Err(e)) => {
                panic!("case {case}: fen door answered {rate}, decimal door refused {e}")
            }
            // Declined: not the usual loan, a rate so high that (1 + r)^m may overflow, over
            // 100 % a period (polished in decimals), or repaid more than 2^20 times over per
            // flow (beyond the grid's resolution, `fixed::resolved`).
            (None, Ok(expected)) => assert!(
                !usual
                    || expected.rate > Decimal::from(60)
                    || expected.periodic_rate > Decimal::ONE
                    || unresolved(advance, &payments),
                "case {case}: declined {expected:?}"
            ),
            (None, Err(_)) => {}
        }
    }
    assert!(answered > 4_000, "{answered} answered");
}

#[test]
fn cn_irr_fen_declines_what_it_does_not_compute() {
    assert_eq!(apr::cn_irr_fen(0, &[100], 12), None);
    assert_eq!(apr::cn_irr_fen(100, &[], 12), None);
    assert_eq!(apr::cn_irr_fen(100, &[50, 40], 12), None, "a negative rate");
    assert_eq!(apr::cn_irr_fen(100, &[50, 50], 12), None, "zero cost");
    assert_eq!(
        apr::cn_irr_fen(100, &[-1, 200], 12),
        None,
        "a second sign change"
    );
    assert_eq!(apr::cn_irr_fen(100, &[200], 0), None);
    assert_eq!(apr::cn_irr_fen(100, &[200], 366), None);
    assert_eq!(apr::cn_irr_fen(100, &vec![1; apr::MAX_FLOWS + 1], 12), None);
    assert!(apr::cn_irr_fen(100, &vec![1; apr::MAX_FLOWS], 12).is_some());
}

#[test]
fn cn_xirr_fen_is_cn_xirr_on_every_usual_loan() {
    let mut next = cases(0xda7e_d5ee);
    let start = Date::parse("2024-01-31").unwrap();
    let mut answered = 0;
    for case in 0..4_000 {
        let advance =
            1 + next([10_000, 10_000_000, 1_000_000_000, 100_000_000_000_000][case % 4]) as i64;
        let n = 1 + next([12, 60, 400][case % 3]) as usize;
        let amounts = payments(&mut next, advance, n);
        // Monthly-ish days, sometimes a day-0 payment, sometimes out of order or repeated.
        let mut day = 0_i64;
        let early = next(3) as usize;
        let mut days: Vec<i64> = (0..n)
            .map(|k| {
                day += [28, 29, 30, 31, 0, 1, 365][next(7) as usize];
                // Now and then the first payments fall on the advance's day.
                if k < early && case % 7 == 0 {
                    0
                } else {
                    day
                }
            })
            .collect();
        if next(10) == 0 {
            days.reverse();
        }
        let year_days = if case % 2 == 0 {
            YearDays::D365
        } else {
            YearDays::D360
        };
        let dated: Vec<DatedAmount> = amounts
            .iter()
            .zip(&days)
            .map(|(amount, days)| DatedAmount {
                date: start.add_days(*days).unwrap(),
                amount: fen(*amount),
            })
            .collect();
        let decimal = apr::cn_xirr(
            &[DatedAmount {
                date: start,
                amount: fen(advance),
            }],
            &dated,
            year_days,
        );
        let days32: Vec<i32> = days.iter().map(|d| i32::try_from(*d).unwrap()).collect();
        let fast = apr::cn_xirr_fen(advance, &amounts, &days32, year_days);
        match (fast, decimal) {
            (Some((rate, effective)), Ok(expected)) => {
                // The rate and the effective rate as `apr` writes them (6 decimals, half-up).
                assert_eq!(
                    fmt_dp(rate, 6, Rounding::HalfUp),
                    fmt_dp(expected.rate, 6, Rounding::HalfUp),
                    "case {case}"
                );
                assert_eq!(
                    fmt_dp(effective, 6, Rounding::HalfUp),
                    fmt_dp(expected.effective_rate, 6, Rounding::HalfUp),
                    "case {case}"
                );
                answered += 1;
            }
            (Some(rate), Err(e)) => {
                panic!("case {case}: fen door answered {rate:?}, decimal door refused {e}")
            }
            (None, Ok(expected)) => {
                // Declined: only a rate above 100 % a day (polished in decimals), days out of
                // time order, a loan that is not the usual one (zero or negative rate), or an
                // effective rate past 10,000 %, whose compounding over the year's days can
                // magnify the grid's last bits into its 6th decimal (left to the decimal path).
                let usual = amounts.iter().sum::<i64>() > advance;
                let ordered = days.windows(2).all(|pair| pair[0] <= pair[1]);
                assert!(
                    !usual
                        || !ordered
                        || expected.periodic_rate > Decimal::ONE
                        || expected.effective_rate > Decimal::from(100)
                        || unresolved(advance, &amounts),
                    "case {case}: declined {expected:?}"
                );
            }
            (None, Err(_)) => {}
        }
    }
    assert!(answered > 2_500, "{answered} answered");
}

#[test]
fn cn_xirr_fen_declines_what_it_does_not_compute() {
    let d365 = YearDays::D365;
    assert_eq!(apr::cn_xirr_fen(0, &[100], &[30], d365), None);
    assert_eq!(
        apr::cn_xirr_fen(100, &[100], &[-1], d365),
        None,
        "a payment before the advance"
    );
    assert_eq!(apr::cn_xirr_fen(100, &[-200], &[30], d365), None);
    assert_eq!(
        apr::cn_xirr_fen(100, &[100], &[30], d365),
        None,
        "zero cost"
    );
    assert_eq!(apr::cn_xirr_fen(100, &[], &[], d365), None);
    assert_eq!(
        apr::cn_xirr_fen(100, &[101], &[30, 31], d365),
        None,
        "lengths differ"
    );
    assert!(apr::cn_xirr_fen(100, &[101], &[30], d365).is_some());
    assert!(apr::cn_xirr_fen(100, &[50, 51], &[30, 30], d365).is_some());
    assert_eq!(
        apr::cn_xirr_fen(100, &[50, 51], &[31, 30], d365),
        None,
        "days out of order"
    );
    // 100 % a day and more is polished in decimals: declined.
    assert_eq!(apr::cn_xirr_fen(100, &[300], &[1], d365), None);
}
