//! The China rate's figures against exact rational arithmetic (domain-math §2.1: `rate` = r × m
//! with 6 decimals and `periodicRate` with 12, half-up), on regular periods and dated flows, and
//! the US Regulation Z rate (Appendix J: `rate` = i × 12 and `unitPeriodRate`) on whole months.
//!
//! For the usual loan (an advance at time 0 repaid by payments ≥ 0 that together exceed it)
//! `F(r) = −advance + Σ p_k (1+r)^−t_k` falls from `F(0) > 0` through its one root r*. A figure
//! R with `dp` decimals over m periods a year is the half-up rounding of r*·m exactly when
//! `F((R − ½·10^−dp)/m) ≥ 0 > F((R + ½·10^−dp)/m)` (`periodicRate` is checked below 10^4 a
//! period, where its 12 decimals are within the large-rate polish's relative 10^−17). A
//! refusal with `overflow` is right only for a root with r·m above 40 (`beyond`). With 1 + r = n/d both signs are the sign of
//! the integer `Σ c_k n^(T−t_k) d^t_k` (`F` times `n^T`), computed here on big integers
//! (`num-bigint`): an oracle that shares no code or precision bound with the engine's solvers.
//! Loans are generated across the accepted range, from the everyday to the absurd (a fen
//! advance repaid by a trillion yuan years later), where a fixed-point grid runs out of digits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::yuan;

use num_bigint::BigInt;
use puhui::date::Date;
use serde_json::{json, Value};

/// The sign of `F(r)` for `1 + r = n / d` (n, d > 0): flows `(fen, time)` in time order, the
/// advance negative.
fn npv_sign(flows: &[(i64, u64)], n: &BigInt, d: &BigInt) -> std::cmp::Ordering {
    let mut sum = BigInt::from(0);
    let mut d_power = BigInt::from(1);
    let mut at = 0_u64;
    for (fen, time) in flows {
        let gap = u32::try_from(*time - at).unwrap();
        if gap > 0 {
            sum *= n.pow(gap);
            d_power *= d.pow(gap);
            at = *time;
        }
        sum += BigInt::from(*fen) * &d_power;
    }
    sum.sign().cmp(&num_bigint::Sign::NoSign)
}

/// Whether `text` (a decimal with `dp` decimals, positive) is the half-up rounding of the root
/// times `m`: `F` at the lower bound ≥ 0 and at the upper bound < 0.
fn rounds_root(flows: &[(i64, u64)], m: u32, text: &str, dp: u32) -> bool {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    assert_eq!(frac.len(), dp as usize, "{text} has {dp} decimals");
    let units: BigInt = format!("{int}{frac}").parse().unwrap();
    // r = x / (m · 10^(dp+1)) with x = 10·units ∓ 5.
    let d = BigInt::from(m) * BigInt::from(10).pow(dp + 1);
    let at = |x: BigInt| npv_sign(flows, &(&d + x), &d);
    let ten_units = units * 10;
    let lower = at(&ten_units - 5);
    let upper = at(&ten_units + 5);
    lower != std::cmp::Ordering::Less && upper == std::cmp::Ordering::Less
}

/// Whether the root's r·m exceeds `rate` (F at r = rate/m is still positive).
fn beyond(flows: &[(i64, u64)], m: u32, rate: u32) -> bool {
    let d = BigInt::from(m);
    npv_sign(flows, &(&d + rate), &d) == std::cmp::Ordering::Greater
}

/// What went wrong with one loan, or `None` when both figures round the exact root.
fn check(flows: &[(i64, u64)], m: u32, request: &Value) -> Option<String> {
    check_fields(flows, m, request, "periodicRate")
}

/// [`check`] with the periodic rate's field named (`unitPeriodRate` for Reg Z).
fn check_fields(
    flows: &[(i64, u64)],
    m: u32,
    request: &Value,
    periodic_field: &str,
) -> Option<String> {
    let response = match common::call("apr", request) {
        Ok(response) => response,
        // (1 + r)^m past 28 digits: `effectiveRate` cannot be written, and `overflow` is the
        // documented answer. Right only when r·m is that large (above 40: e^40 ≈ 2.4·10^17).
        Err(error) if error.code.as_str() == "overflow" && beyond(flows, m, 40) => return None,
        Err(error) => {
            return Some(format!(
                "refused {}: {}",
                error.code.as_str(),
                error.message
            ))
        }
    };
    let rate = response["rate"].as_str().unwrap();
    let periodic = response[periodic_field].as_str().unwrap();
    let mut wrong = Vec::new();
    if !rounds_root(flows, m, rate, 6) {
        wrong.push(format!("rate {rate}"));
    }
    // Above 100 % a period the rate is certified to a relative 10^−17 (`polish_rate`), and
    // refused above 10^8 a period: `periodicRate`'s 12 decimals are within that below 10^4 a
    // period, `rate`'s 6 decimals everywhere it answers (docs/limits.md).
    let huge = periodic
        .split_once('.')
        .map_or(periodic, |(int, _)| int)
        .len()
        > 4;
    if !huge && !rounds_root(flows, 1, periodic, 12) {
        wrong.push(format!("{periodic_field} {periodic}"));
    }
    (!wrong.is_empty()).then(|| wrong.join(", "))
}

/// A regular-period loan: `advance` fen, `payments[k−1]` fen at the end of period k.
fn regular(advance: i64, payments: &[i64], m: u32) -> Option<String> {
    let mut flows = vec![(-advance, 0)];
    flows.extend((1..).zip(payments).map(|(k, p)| (*p, k)));
    let request = json!({
        "method": "cn-irr",
        "advance": yuan(advance),
        "payments": payments.iter().map(|p| yuan(*p)).collect::<Vec<_>>(),
        "periodsPerYear": m,
    });
    check(&flows, m, &request).map(|wrong| format!("{wrong} for {request}"))
}

/// A dated loan: `advance` fen on 2025-01-01 and `payments` as `(fen, day offset)`.
fn dated(advance: i64, payments: &[(i64, u64)], year_days: u32) -> Option<String> {
    let start = Date::new(2025, 1, 1).unwrap();
    let date = |days: u64| {
        start
            .add_days(i64::try_from(days).unwrap())
            .unwrap()
            .to_string()
    };
    let mut flows = vec![(-advance, 0)];
    flows.extend_from_slice(payments);
    let request = json!({
        "method": "cn-irr",
        "advances": [{"date": date(0), "amount": yuan(advance)}],
        "payments": payments.iter().map(|(p, t)| json!({"date": date(*t), "amount": yuan(*p)})).collect::<Vec<_>>(),
        "yearDays": year_days,
    });
    check(&flows, year_days, &request).map(|wrong| format!("{wrong} for {request}"))
}

/// A US Regulation Z loan with every flow on the advance's day of a month (no Appendix J
/// fraction): `payments` as `(fen, months after the advance)`. Appendix J takes the unit period
/// from the payments' common interval (`unitMultiple` months, or the whole term for a single
/// payment), so the flows are counted in those units and `rate` is `unitPeriodRate` ×
/// `unitPeriodsPerYear` (cases where that is not a whole number are skipped).
fn regz_monthly(advance: i64, payments: &[(i64, u64)]) -> Option<String> {
    let start = Date::new(2025, 1, 1).unwrap();
    let date = |months: u64| {
        start
            .add_months(i64::try_from(months).unwrap())
            .unwrap()
            .to_string()
    };
    let request = json!({
        "method": "us-regz",
        "unitPeriod": "month",
        "advances": [{"date": date(0), "amount": yuan(advance)}],
        "payments": payments.iter().map(|(p, t)| json!({"date": date(*t), "amount": yuan(*p)})).collect::<Vec<_>>(),
    });
    let Ok(response) = common::call("apr", &request) else {
        // A refusal, judged (as in `check`) on the flows in months.
        let mut flows = vec![(-advance, 0)];
        flows.extend_from_slice(payments);
        return check_fields(&flows, 12, &request, "unitPeriodRate")
            .map(|wrong| format!("{wrong} for {request}"));
    };
    // A single payment makes the whole term the unit period (Appendix J (b)(3)).
    let term = response["unitPeriod"] == "term";
    let multiple = if term {
        payments.last()?.1
    } else {
        response["unitMultiple"].as_u64()?
    };
    let per_year = response["unitPeriodsPerYear"]
        .as_str()?
        .strip_suffix(".000000")?;
    let m: u32 = per_year.parse().ok()?;
    if payments.iter().any(|(_, t)| t % multiple != 0) {
        // Whole unit periods only (a remainder is an Appendix J fraction, not this oracle's).
        return None;
    }
    let mut flows = vec![(-advance, 0)];
    flows.extend(payments.iter().map(|(p, t)| (*p, t / multiple)));
    check_fields(&flows, m, &request, "unitPeriodRate")
        .map(|wrong| format!("{wrong} for {request}"))
}

/// Largest amount the engine accepts, in fen (one trillion yuan).
const MAX_FEN: i64 = 100_000_000_000_000;

#[test]
fn a_fen_advance_repaid_by_a_trillion_is_rounded_from_its_exact_root() {
    // Session 8's report: a 0.09 advance repaid by 10^12 a year later answered 31.309666 (the
    // exact root rounds to 31.309667): the discounted payment is below the grid's resolution.
    let mut wrong = Vec::new();
    for year_days in [365, 360] {
        wrong.extend(dated(9, &[(MAX_FEN, u64::from(year_days))], year_days));
        wrong.extend(dated(1, &[(MAX_FEN, 3650)], year_days));
        wrong.extend(dated(1, &[(1, 1), (MAX_FEN, 40)], year_days));
    }
    for months in [1, 24, 120, 360] {
        wrong.extend(regz_monthly(1, &[(MAX_FEN, months)]));
        wrong.extend(regz_monthly(9, &[(1, 1), (MAX_FEN, months + 1)]));
    }
    for (advance, periods) in [(9, 12), (1, 360), (1, 60), (100, 120)] {
        let mut payments = vec![0; periods - 1];
        payments.push(MAX_FEN);
        wrong.extend(regular(advance, &payments, 12));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn generated_loans_are_rounded_from_their_exact_roots() {
    let mut next = common::stream(0x05ee_da11);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for case in 0..240_u64 {
        // Advances from one fen to one trillion yuan, log-uniform; growth from a few percent to
        // the largest payments the engine takes.
        let advance =
            i64::try_from(10_u64.pow(u32::try_from(next(15)).unwrap()) + next(1000)).unwrap();
        let advance = advance.min(MAX_FEN);
        let growth_digits = u32::try_from(next(16)).unwrap();
        let count =
            usize::try_from(1 + [next(12), next(60), next(360), 119][(case % 4) as usize]).unwrap();
        // Total repaid ≈ advance × (1.01 … 10^15), spread over `count` payments, each ≤ MAX_FEN.
        let total = i128::from(advance) * (101 + i128::from(next(100))) / 100
            * i128::from(10_u64.pow(growth_digits) / 10_u64.pow(growth_digits.min(2)).max(1))
                .max(1);
        let each = i64::try_from((total / count as i128).clamp(1, i128::from(MAX_FEN))).unwrap();
        let payments: Vec<i64> = (0..count)
            .map(|k| {
                let shape = match case % 3 {
                    0 => each,
                    1 => {
                        if k + 1 == count {
                            each.saturating_mul(count as i64).min(MAX_FEN)
                        } else {
                            0
                        }
                    }
                    _ => i64::try_from(next(u64::try_from(each).unwrap().saturating_mul(2) + 1))
                        .unwrap(),
                };
                shape.min(MAX_FEN)
            })
            .collect();
        let repaid: i128 = payments.iter().map(|p| i128::from(*p)).sum();
        if repaid <= i128::from(advance) {
            continue;
        }
        if case % 5 == 0 {
            let mut month = 0;
            let monthly: Vec<(i64, u64)> = payments
                .iter()
                .map(|p| {
                    month += 1 + next(2);
                    (*p, month)
                })
                .collect();
            wrong.extend(regz_monthly(advance, &monthly));
        } else if case % 2 == 0 {
            let m = [12, 4, 52, 1, 365][(next(5)) as usize];
            wrong.extend(regular(advance, &payments, m));
        } else {
            let mut day = 0;
            let dated_payments: Vec<(i64, u64)> = payments
                .iter()
                .map(|p| {
                    day += 1 + next([31, 400, 3][(case % 3) as usize]);
                    (*p, day)
                })
                .collect();
            wrong.extend(dated(
                advance,
                &dated_payments,
                [365, 360][(next(2)) as usize],
            ));
        }
        checked += 1;
    }
    assert!(checked > 150, "{checked} loans checked");
    assert!(
        wrong.is_empty(),
        "{} of {checked}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
