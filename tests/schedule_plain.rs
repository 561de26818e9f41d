#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The plain loan's one-pass rows (`schedule::plain_rows`, what the wasm fen doors answer from)
//! against `schedule::build_fen` (the general path, which defines the figures): on generated
//! loans of every method, terms 0–601, rates from zero to above 1000 at scales 0–14 (exact
//! half-fen ties included) and principals from 1 fen to above one trillion yuan, every row
//! `plain_rows` gives is `build_fen`'s, it declines whatever `build_fen` refuses, and it
//! answers nearly every ordinary loan.

mod common;

use puhui::money::Rounding;
use puhui::schedule::{build_fen, plain_rows, DayCount, Loan, Method, PlainLoan};
use rust_decimal::Decimal;

const METHODS: [Method; 5] = [
    Method::EqualInstallment,
    Method::EqualPrincipal,
    Method::InterestOnly,
    Method::Bullet,
    Method::FlatFee,
];

/// `build_fen`'s rows for the plain loan of these terms (as the wasm doors build it), or its
/// error code.
fn general(loan: PlainLoan) -> Result<Vec<[i128; 5]>, String> {
    let terms = Loan {
        principal: Decimal::new(i64::try_from(loan.principal_fen).unwrap(), 2),
        annual_rate: Decimal::try_new(i64::try_from(loan.rate_units).unwrap(), loan.rate_scale)
            .unwrap(),
        term_months: loan.term_months,
        method: loan.method,
        fee_rate: Decimal::ZERO,
        start_date: None,
        first_due_date: None,
        day_count: DayCount::Thirty360,
        rounding: Rounding::HalfUp,
        fees: Vec::new(),
    };
    build_fen(&terms)
        .map(|plan| plan.rows)
        .map_err(|e| format!("{e:?}"))
}

/// `plain_rows`' rows, or `None` when it declines.
fn plain(loan: PlainLoan) -> Option<Vec<[i128; 5]>> {
    let mut rows = Vec::new();
    plain_rows(loan, |row| rows.push(row.map(i128::from)))?;
    Some(rows)
}

/// One loan: `plain_rows` answers only `build_fen`'s rows; `Some(true)` when it answered,
/// `Some(false)` when it declined a loan `build_fen` schedules, `None` when both refuse.
fn compare(loan: PlainLoan) -> Option<bool> {
    let (fast, slow) = (plain(loan), general(loan));
    match (fast, slow) {
        (Some(fast), Ok(slow)) => {
            assert_eq!(fast, slow, "{loan:?}");
            Some(true)
        }
        (Some(fast), Err(code)) => panic!("{loan:?}: plain rows {fast:?}, build_fen {code}"),
        (None, Ok(_)) => Some(false),
        (None, Err(_)) => None,
    }
}

#[test]
fn plain_rows_are_build_fens_rows() {
    let mut next = common::stream(0x5DEE_CE66_D1CE_4E5B);
    let (mut answered, mut ordinary, mut ordinary_answered) = (0, 0, 0);
    for case in 0..6_000_u64 {
        let principal_fen = match case % 6 {
            0 => 1 + next(100),
            1 => 1 + next(100_000),
            2 => 1 + next(10_u64.pow(9)),
            3 => 1 + next(10_u64.pow(14)),
            4 => 10_u64.pow(14) - next(3),
            _ => [0, 1, 10_u64.pow(14) + 1, 30_000_000][(next(4)) as usize],
        };
        let rate_scale = (next(15)) as u32;
        let rate_units = match case % 7 {
            0 => 0,
            // Whole percents: a monthly 0.5 % (6 % a year) makes exact half-fen ties.
            1 => (1 + next(24)) * 10_u64.pow(rate_scale.saturating_sub(2)),
            2 => next(1_000),
            3 => next(10_u64.pow(rate_scale.min(12)) + 1),
            4 => 1000 * 10_u64.pow(rate_scale) + next(2),
            5 => next(1 << 40),
            _ => 425 * 10_u64.pow(rate_scale.saturating_sub(4)),
        };
        let term_months = match case % 5 {
            0 => 1 + next(600) as u32,
            1 => 1 + next(12) as u32,
            2 => [0, 1, 600, 601][next(4) as usize],
            _ => 1 + next(360) as u32,
        };
        for method in METHODS {
            let loan = PlainLoan {
                principal_fen,
                rate_units,
                rate_scale,
                term_months,
                method,
            };
            let outcome = compare(loan);
            answered += usize::from(outcome == Some(true));
            // Ordinary: a principal up to ten million yuan, a rate up to 100 % with at most
            // 8 decimals, not flat-fee (which plain_rows never takes).
            if outcome.is_some()
                && method != Method::FlatFee
                && principal_fen <= 1_000_000_000
                && rate_scale <= 8
                && rate_units <= 10_u64.pow(rate_scale)
            {
                ordinary += 1;
                ordinary_answered += usize::from(outcome == Some(true));
            }
        }
    }
    assert!(answered > 10_000, "{answered} loans answered");
    // At most one ordinary loan in a thousand is left to build_fen (an unproven level payment).
    assert!(
        ordinary_answered * 1000 >= ordinary * 999,
        "{ordinary_answered} of {ordinary} ordinary loans answered"
    );
}

/// The bench's loan and its neighbours at every term, every method: rows and their count.
#[test]
fn plain_rows_agree_at_every_term() {
    for term_months in 1..=600 {
        for method in METHODS.into_iter().take(4) {
            for (principal_fen, rate_units, rate_scale) in
                [(30_000_000, 425, 4), (1, 72, 3), (99_999_999_999_999, 0, 0)]
            {
                let loan = PlainLoan {
                    principal_fen,
                    rate_units,
                    rate_scale,
                    term_months,
                    method,
                };
                assert_eq!(compare(loan), Some(true), "{loan:?}");
                assert_eq!(plain(loan).unwrap().len(), term_months as usize);
            }
        }
    }
}

/// Any terms at all (a Rust caller may pass them): no panic, and only `build_fen`'s rows.
#[test]
fn plain_rows_never_panics() {
    let edges_u64 = [
        0,
        1,
        2,
        99,
        10_u64.pow(12),
        10_u64.pow(14),
        10_u64.pow(15),
        u64::MAX,
    ];
    for principal_fen in edges_u64 {
        for rate_units in edges_u64 {
            for rate_scale in [0, 1, 12, 13, 28, 29, u32::MAX] {
                for term_months in [0, 1, 2, 600, 601, u32::MAX] {
                    for method in METHODS {
                        let loan = PlainLoan {
                            principal_fen,
                            rate_units,
                            rate_scale,
                            term_months,
                            method,
                        };
                        let Some(rows) = plain(loan) else { continue };
                        let general = general(loan).unwrap();
                        assert_eq!(rows, general, "{loan:?}");
                    }
                }
            }
        }
    }
}
