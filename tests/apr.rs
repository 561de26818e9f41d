//! APR: every public vector, independent reference values, the Reg Z tolerance helper,
//! adversarial flows and solver invariants.
// Helpers outside `#[test]` functions are test code too: clippy's in-test allowances do not
// reach them, so the test crate states it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::{call, vectors};
use proptest::prelude::*;
use puhui::apr::{self, DatedAmount, YearDays};
use puhui::date::Date;
use puhui::schedule::{self, ScheduleRequest};
use rust_decimal::{Decimal, MathematicalOps};
use serde_json::{json, Value};
use std::path::PathBuf;

/// Compares every field the expectation states, exactly, naming the case.
fn check(name: &str, actual: &Value, expected: &Value) {
    for (field, want) in expected.as_object().expect("expected is an object") {
        assert_eq!(&actual[field], want, "{name}: field {field}; got {actual}");
    }
}

/// Cases computed by `tests/independent/apr_reference.py` (stdlib decimal, 50 digits,
/// bisection on the rate; see its docstring).
fn independent_cases() -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/independent/apr_reference.json");
    let text = std::fs::read_to_string(path).expect("reference file");
    serde_json::from_str::<Value>(&text)
        .expect("reference JSON")
        .as_array()
        .expect("array")
        .clone()
}

fn error_code(op: &str, request: &Value) -> String {
    match call(op, request) {
        Ok(value) => panic!("expected an error, got {value}"),
        Err(error) => error.code,
    }
}

#[test]
fn every_public_apr_vector() {
    let cases = vectors("apr.json");
    assert!(cases.len() >= 11);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let got = call("apr", &case["request"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(name, &got, &case["expected"]);
    }
}

#[test]
fn every_independent_apr_reference() {
    // Every case is tried and every failure named (issue 12 added negative rates for every
    // method, one Appendix J (b)(5) case per rule and a rate in the billions).
    let mut failures = Vec::new();
    for case in independent_cases()
        .into_iter()
        .filter(|case| case["op"] == "apr")
    {
        let name = case["name"].as_str().expect("name");
        match call("apr", &case["request"]) {
            Err(e) => failures.push(format!("{name}: {} {}", e.code, e.message)),
            Ok(got) => {
                for (field, want) in case["expected"].as_object().expect("object") {
                    if &got[field] != want {
                        failures.push(format!("{name}: {field} {} != {want}", got[field]));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn daily_rate_mapping() {
    // domain-math §2.1: 0.05 %/day → 18.00 % on 360 days, 18.25 % on 365.
    for (year_days, percent) in [(None, "18.00"), (Some(360), "18.00"), (Some(365), "18.25")] {
        let mut request = json!({"method": "cn-daily", "dailyRate": "0.0005"});
        if let Some(days) = year_days {
            request["yearDays"] = json!(days);
        }
        let got = call("apr", &request).expect("cn-daily");
        assert_eq!(got["percent"], percent, "{request}");
        assert!(got["label"].as_str().expect("label").contains("单利"));
    }
    assert_eq!(
        error_code(
            "apr",
            &json!({"method": "cn-daily", "dailyRate": "0.0005", "yearDays": 366})
        ),
        "invalid-option"
    );
}

#[test]
fn regz_tolerance_helper() {
    let d = |text: &str| text.parse::<Decimal>().expect("decimal");
    assert_eq!(apr::regz_tolerance(true), d("0.00125"));
    assert_eq!(apr::regz_tolerance(false), d("0.0025"));
    let table = [
        ("0.0975", "0.096857", true, true), // 9.75 vs 9.6857: 0.064 point
        ("0.09811", "0.096857", true, false), // 0.1253 point off, regular
        ("0.09810", "0.096857", true, true), // 0.1243 point
        ("0.09811", "0.096857", false, true), // same gap, irregular: 1/4 point
        ("0.0943", "0.096857", false, false), // 0.2557 point below
        ("0.09559", "0.09685", true, false), // 0.126 point below
        ("0.09560", "0.09685", false, true),
        ("0.096857", "0.096857", true, true),
    ];
    for (disclosed, computed, regular, ok) in table {
        assert_eq!(
            apr::regz_within_tolerance(d(disclosed), d(computed), regular),
            ok,
            "{disclosed} vs {computed} regular={regular}"
        );
    }
    // Exactly on the boundary is accurate.
    assert!(apr::regz_within_tolerance(d("0.10125"), d("0.1"), true));
    assert!(!apr::regz_within_tolerance(d("0.1012501"), d("0.1"), true));
}

#[test]
fn regz_reports_regularity_and_tolerance() {
    let cases = vectors("apr.json");
    let first = cases
        .iter()
        .find(|c| c["request"]["method"] == "us-regz")
        .expect("a us-regz vector");
    let got = call("apr", &first["request"]).expect("solves");
    assert_eq!(got["regular"], true);
    assert_eq!(got["tolerance"], "0.001250");
    // Two advances make the transaction irregular.
    let mut request = first["request"].clone();
    let advances = request["advances"].as_array_mut().expect("advances");
    advances.push(json!({"date": "1978-03-10", "amount": "100.00"}));
    let got = call("apr", &request).expect("solves");
    assert_eq!(got["regular"], false);
    assert_eq!(got["tolerance"], "0.002500");
}

#[test]
fn zero_cost_flows_give_exactly_zero() {
    let got = call(
        "apr",
        &json!({"method": "cn-irr", "advance": "1200.00", "payments": vec!["100.00"; 12]}),
    )
    .expect("solves");
    assert_eq!(got["rate"], "0.000000");
    assert_eq!(got["periodicRate"], "0.000000000000");
    let rate = apr::periodic_irr(Decimal::from(1200), &[Decimal::from(100); 12]).expect("solves");
    assert!(rate.is_zero());
    let dated = json!({"method": "eu-aprc",
        "advances": [{"date": "2025-01-01", "amount": "500.00"}],
        "payments": [{"date": "2025-02-01", "amount": "250.00"}, {"date": "2025-03-01", "amount": "250.00"}]});
    assert_eq!(call("apr", &dated).expect("solves")["rate"], "0.000000");
}

#[test]
fn adversarial_flows_give_typed_errors() {
    let dated = |advances: Value, payments: Value| json!({"method": "us-regz", "unitPeriod": "month", "advances": advances, "payments": payments});
    let table = [
        (
            json!({"method": "cn-irr", "advance": "1000.00", "payments": ["0.00", "0.00"]}),
            "no-solution",
        ),
        (
            json!({"method": "cn-irr", "advance": "0.00", "payments": ["0.00"]}),
            "bad-flows",
        ),
        (
            json!({"method": "cn-irr", "advance": "1000.00", "payments": []}),
            "bad-flows",
        ),
        (
            json!({"method": "cn-irr", "advance": "1000.00", "payments": ["-10.00", "-20.00"]}),
            "no-solution",
        ),
        (
            json!({"method": "cn-irr", "advance": "-1000.00", "payments": ["10.00"]}),
            "bad-flows",
        ),
        // −100 + 230v − 132v²: roots at 10 % and 20 % per period.
        (
            json!({"method": "cn-irr", "advance": "100.00", "payments": ["230.00", "-132.00"]}),
            "multiple-roots",
        ),
        (
            // One owner for the flow count: the request gate (src/limits.rs) refuses it first.
            json!({"method": "cn-irr", "advance": "1000.00", "payments": vec!["1.00"; 2701]}),
            "limit-exceeded",
        ),
        (
            json!({"method": "cn-irr", "advance": "1e5", "payments": ["1.00"]}),
            "malformed-decimal",
        ),
        (
            json!({"method": "cn-irr", "advance": "100.001", "payments": ["1.00"]}),
            "over-precise-amount",
        ),
        (
            json!({"method": "cn-irr", "advance": "100.00", "payments": ["101.00"], "periodsPerYear": 0}),
            "invalid-option",
        ),
        (
            json!({"method": "xx", "advance": "100.00", "payments": ["101.00"]}),
            "unknown-method",
        ),
        (
            json!({"method": "cn-irr", "advance": "100.00", "payments": ["101.00"], "bogus": 1}),
            "unknown-field",
        ),
        (
            dated(
                json!([]),
                json!([{"date": "2025-02-01", "amount": "10.00"}]),
            ),
            "bad-flows",
        ),
        (
            dated(
                json!([{"date": "2025-01-01", "amount": "10.00"}]),
                json!([]),
            ),
            "bad-flows",
        ),
        (
            dated(
                json!([{"date": "2025-01-01", "amount": "10.00"}]),
                json!([{"date": "2024-12-01", "amount": "11.00"}]),
            ),
            "bad-flows",
        ),
        (
            dated(
                json!([{"date": "2025-02-30", "amount": "10.00"}]),
                json!([{"date": "2025-03-01", "amount": "11.00"}]),
            ),
            "bad-flows",
        ),
        (
            dated(
                json!([{"date": "2025-01-01", "amount": "0.00"}]),
                json!([{"date": "2025-03-01", "amount": "0.00"}]),
            ),
            "no-solution",
        ),
        (
            dated(
                json!([{"date": "2025-01-01", "amount": "10.00"}]),
                json!(["11.00"]),
            ),
            "bad-flows",
        ),
        (
            json!({"method": "us-regz", "unitPeriod": "semimonth", "unitMultiple": 2,
            "advances": [{"date": "2025-01-01", "amount": "10.00"}],
            "payments": [{"date": "2025-03-01", "amount": "11.00"}, {"date": "2025-04-01", "amount": "11.00"}]}),
            "invalid-option",
        ),
        (
            json!({"method": "us-regz", "advances": [{"date": "2025-01-01", "amount": "10.00"}],
            "payments": [{"date": "2025-03-01", "amount": "11.00"}]}),
            "invalid-option",
        ),
        (
            json!({"method": "eu-aprc", "timeBasis": "30/360", "advances": [{"date": "2025-01-01", "amount": "10.00"}],
            "payments": [{"date": "2025-03-01", "amount": "11.00"}]}),
            "invalid-option",
        ),
    ];
    for (request, code) in table {
        assert_eq!(error_code("apr", &request), code, "{request}");
    }
}

#[test]
fn dated_edge_cases() {
    // An advance after a payment: +100, −230, +132 one and two years out has roots at 10 %
    // and 20 % a year.
    let two_roots = json!({"method": "eu-aprc",
        "advances": [{"date": "2025-01-01", "amount": "100.00"}, {"date": "2027-01-01", "amount": "132.00"}],
        "payments": [{"date": "2026-01-01", "amount": "230.00"}]});
    assert_eq!(error_code("apr", &two_roots), "multiple-roots");
    // Repaying less than was lent, on dates: a negative rate, exactly −10 % a year.
    let negative = json!({"method": "eu-aprc",
        "advances": [{"date": "2025-01-01", "amount": "1000.00"}],
        "payments": [{"date": "2026-01-01", "amount": "900.00"}]});
    assert_eq!(call("apr", &negative).expect("solves")["rate"], "-0.100000");
    // A payment on the day of the advance only lowers what was borrowed.
    let same_day = json!({"method": "cn-irr",
        "advances": [{"date": "2025-01-01", "amount": "1000.00"}],
        "payments": [{"date": "2025-01-01", "amount": "100.00"}, {"date": "2026-01-01", "amount": "990.00"}]});
    let got = call("apr", &same_day).expect("solves");
    // 900 grows to 990 in 365 days: 10 % compound.
    assert_eq!(got["effectiveRate"], "0.100000");
}

#[test]
fn extreme_flows_do_not_overflow() {
    // The largest accepted amounts, the most flows, the longest horizons: an answer or a
    // typed error, never a panic (tests run with overflow checks on).
    let huge = "1000000000000.00";
    let outcomes = [
        call(
            "apr",
            &json!({"method": "cn-irr", "advance": huge, "payments": vec![huge; 2700]}),
        ),
        call(
            "apr",
            &json!({"method": "cn-irr", "advance": huge, "payments": vec!["1.00"; 2700]}),
        ),
        call(
            "apr",
            &json!({"method": "cn-irr", "advance": "0.01", "payments": vec![huge; 2700]}),
        ),
    ];
    for outcome in &outcomes {
        if let Err(error) = outcome {
            assert!(
                ["no-solution", "overflow"].contains(&error.code.as_str()),
                "{error}"
            );
        }
    }
    assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
    let weekly = |amount: &str| -> Vec<Value> {
        let start = Date::parse("1950-01-01").expect("date");
        (1..=2700)
            .map(|k| json!({"date": start.add_days(7 * k).expect("date").to_string(), "amount": amount}))
            .collect()
    };
    for (advance, payment) in [(huge, huge), (huge, "400000000.00"), ("0.01", huge)] {
        for method in ["cn-irr", "eu-aprc"] {
            let request = json!({"method": method,
                "advances": [{"date": "1950-01-01", "amount": advance}], "payments": weekly(payment)});
            if let Err(error) = call("apr", &request) {
                assert!(
                    ["no-solution", "overflow"].contains(&error.code.as_str()),
                    "{error}"
                );
            }
        }
    }
    // A sound long loan on the same calendar solves and reproduces its flows.
    let request = json!({"method": "cn-irr",
        "advances": [{"date": "1950-01-01", "amount": "500000000.00"}], "payments": weekly("400000.00")});
    let got = call("apr", &request).expect("solves");
    let daily: Decimal = got["periodicRate"].as_str().expect("p").parse().expect("d");
    assert!(daily > Decimal::ZERO);
}

#[test]
fn negative_rates_solve() {
    // Repaying less than was lent is a negative rate, not garbage.
    let got = call(
        "apr",
        &json!({"method": "cn-irr", "advance": "1000.00", "payments": ["450.00", "450.00"]}),
    )
    .expect("solves");
    let rate: Decimal = got["rate"]
        .as_str()
        .expect("rate")
        .parse()
        .expect("decimal");
    assert!(rate < Decimal::ZERO, "{got}");
    let periodic: Decimal = got["periodicRate"]
        .as_str()
        .expect("p")
        .parse()
        .expect("decimal");
    let v = Decimal::ONE / (Decimal::ONE + periodic);
    let npv = Decimal::from(450) * (v + v * v) - Decimal::from(1000);
    assert!(npv.abs() < Decimal::new(1, 6), "{npv}");
}

/// NPV of regular flows at periodic rate `rate`, exact decimal arithmetic.
fn regular_npv(advance: Decimal, payments: &[Decimal], rate: Decimal) -> Decimal {
    let v = Decimal::ONE / (Decimal::ONE + rate);
    let mut factor = Decimal::ONE;
    let mut npv = -advance;
    for payment in payments {
        factor *= v;
        npv += payment * factor;
    }
    npv
}

fn money() -> impl Strategy<Value = Decimal> {
    (1_i64..=50_000_000).prop_map(|fen| Decimal::new(fen, 2))
}

#[test]
fn absurd_daily_rates_overflow_with_a_typed_error() {
    // Found by the dated-flows property: a cent lent and two cents repaid the next day is
    // 100 % a day, whose compound annual rate (2^365) no decimal can hold.
    let start = Date::parse("2024-02-29").expect("date");
    let advances = [DatedAmount {
        date: start,
        amount: Decimal::new(1, 2),
    }];
    let payments = [DatedAmount {
        date: start.add_days(1).expect("date"),
        amount: Decimal::new(2, 2),
    }];
    let err = apr::cn_xirr(&advances, &payments, YearDays::D365).expect_err("overflows");
    assert_eq!(puhui::ErrorCode::code(&err), "overflow");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn solved_rate_reproduces_regular_flows(
        payments in prop::collection::vec(money(), 1..120),
        share in 50_u32..=100,
    ) {
        let total: Decimal = payments.iter().sum();
        let advance = (total * Decimal::from(share) / Decimal::ONE_HUNDRED).round_dp(2);
        prop_assume!(advance > Decimal::ZERO);
        let rate = apr::periodic_irr(advance, &payments).expect("one sign change solves");
        let npv = regular_npv(advance, &payments, rate);
        prop_assert!(npv.abs() <= advance * Decimal::new(1, 9), "npv {} at {}", npv, rate);
    }

    #[test]
    fn solved_rate_reproduces_dated_flows(
        gaps in prop::collection::vec(1_i64..120, 1..40),
        amounts in prop::collection::vec(money(), 40),
        share in 60_u32..=100,
    ) {
        let start = Date::parse("2024-02-29").expect("date");
        let mut day = 0;
        let mut payments = Vec::new();
        for (gap, amount) in gaps.iter().zip(&amounts) {
            day += gap;
            payments.push(DatedAmount { date: start.add_days(day).expect("date"), amount: *amount });
        }
        let total: Decimal = payments.iter().map(|p| p.amount).sum();
        let advance = (total * Decimal::from(share) / Decimal::ONE_HUNDRED).round_dp(2);
        prop_assume!(advance > Decimal::ZERO);
        let advances = [DatedAmount { date: start, amount: advance }];
        let npv_at = |daily: Decimal| {
            let v = Decimal::ONE / (Decimal::ONE + daily);
            payments.iter().fold(-advance, |npv, payment| {
                let days = u64::try_from(start.days_until(payment.date)).expect("days");
                npv + payment.amount * v.powu(days)
            })
        };
        let rate = match apr::cn_xirr(&advances, &payments, YearDays::D365) {
            Ok(rate) => rate,
            Err(apr::AprError::Overflow) => {
                // Only legitimate when the compound annual rate leaves Decimal's range:
                // (1 + r)^365 > 7.9e28 needs a daily rate above 19 %, i.e. the flows still
                // have a positive NPV at 19 % a day (a cent repaid as two cents next day).
                prop_assert!(npv_at(Decimal::new(19, 2)) > Decimal::ZERO, "overflow on an ordinary loan");
                return Ok(());
            }
            Err(other) => panic!("dated flows with one sign change must solve: {other}"),
        };
        let v = Decimal::ONE / (Decimal::ONE + rate.periodic_rate);
        let mut npv = -advance;
        for payment in &payments {
            let days = u64::try_from(start.days_until(payment.date)).expect("days");
            npv += payment.amount * v.powu(days);
        }
        prop_assert!(npv.abs() <= advance * Decimal::new(1, 9), "npv {}", npv);
    }

    #[test]
    fn fixed_point_and_decimal_paths_agree(
        periods in prop::collection::vec(0_u64..40, 1..60),
        fraction_numerator in 0_i64..30,
        amounts in prop::collection::vec(money(), 60),
        share in 50_u32..=99,
    ) {
        // Amounts in fen take the binary fixed-point path; the same flows divided by 1,000
        // (more than 2 decimals) take the 28-digit Decimal path. The rate is scale-free.
        let fraction = Decimal::from(fraction_numerator) / Decimal::from(30);
        let mut flows = Vec::new();
        let mut at = 0;
        for (gap, amount) in periods.iter().zip(&amounts) {
            at += gap + 1;
            flows.push(apr::TimedFlow { amount: -*amount, periods: at, fraction });
        }
        let total: Decimal = flows.iter().map(|f| -f.amount).sum();
        let advance = (total * Decimal::from(share) / Decimal::ONE_HUNDRED).round_dp(2);
        prop_assume!(advance > Decimal::ZERO);
        flows.insert(0, apr::TimedFlow { amount: advance, periods: 0, fraction: Decimal::ZERO });
        let scaled: Vec<apr::TimedFlow> = flows
            .iter()
            .map(|f| apr::TimedFlow { amount: f.amount / Decimal::from(1000), ..*f })
            .collect();
        let fast = apr::solve_unit_rate(&flows).expect("fast path solves");
        let exact = apr::solve_unit_rate(&scaled).expect("decimal path solves");
        prop_assert!((fast - exact).abs() <= Decimal::new(1, 14), "{} vs {}", fast, exact);
    }

    #[test]
    fn adding_a_fee_never_lowers_the_rate(
        principal in 1_000_i64..500_000,
        rate_bp in 0_i64..2_400,
        term in 1_i64..60,
        method_idx in 0_usize..4,
        kind_idx in 0_usize..6,
        timing_idx in 0_usize..3,
        fee_fen in 1_i64..50_000,
    ) {
        let methods = ["equal-installment", "equal-principal", "interest-only", "bullet"];
        let kinds = ["service", "guarantee", "insurance", "membership", "installment", "other"];
        let timings = ["upfront-deducted", "upfront-paid", "per-period"];
        let base = ScheduleRequest {
            principal: Decimal::from(principal).to_string(),
            annual_rate: Some(Decimal::new(rate_bp, 4).to_string()),
            term_months: term,
            method: methods[method_idx].into(),
            ..ScheduleRequest::default()
        };
        let mut with_fee = base.clone();
        with_fee.fees.push(schedule::FeeRequest {
            kind: kinds[kind_idx].into(),
            timing: timings[timing_idx].into(),
            amount: Some(Decimal::new(fee_fen, 2).to_string()),
            rate: None,
        });
        let rate_of = |request: &ScheduleRequest| -> Option<Decimal> {
            let built = schedule::schedule(request).ok()?;
            let (advance, payments) = built.borrower_flows();
            Some(apr::cn_irr(advance, &payments, 12).expect("solves").rate)
        };
        let (Some(without), Some(with)) = (rate_of(&base), rate_of(&with_fee)) else {
            // Fees larger than the principal are refused by the schedule itself.
            return Ok(());
        };
        prop_assert!(with >= without, "{} then {}", without, with);
    }
}

#[test]
fn thousand_periods_match_the_reference() {
    // Also through the Rust API, to pin the fast path against the reference directly.
    let case = independent_cases()
        .into_iter()
        .find(|c| {
            c["name"]
                .as_str()
                .is_some_and(|n| n.contains("1000 periods"))
        })
        .expect("reference case");
    let request = &case["request"];
    let advance: Decimal = request["advance"].as_str().expect("a").parse().expect("d");
    let payments: Vec<Decimal> = request["payments"]
        .as_array()
        .expect("payments")
        .iter()
        .map(|p| p.as_str().expect("s").parse().expect("d"))
        .collect();
    assert_eq!(payments.len(), 1000);
    let rate = apr::cn_irr(advance, &payments, 12).expect("solves");
    assert_eq!(
        puhui::money::fmt_dp(rate.rate, 6, puhui::money::Rounding::HalfUp),
        case["expected"]["rate"].as_str().expect("rate")
    );
    let npv = regular_npv(advance, &payments, rate.periodic_rate);
    assert!(npv.abs() <= advance * Decimal::new(1, 9), "{npv}");
}

/// Flows at one instant are one coefficient of the rate equation: an advance repaid the same
/// day is no flow, so `100 in and 100 out on day 0, 0.01 out ten years later` has no rate (it
/// answered 2.811154 before flows were netted), at every door; netted flows with a root keep it.
#[test]
fn flows_at_one_instant_are_netted() {
    let dated = |method: &str, same_day: &str, later: &str, later_date: &str| {
        let mut request = json!({
            "method": method,
            "advances": [{"date": "2026-01-01", "amount": "100.00"}],
            "payments": [
                {"date": "2026-01-01", "amount": same_day},
                {"date": later_date, "amount": later},
            ],
        });
        if method == "us-regz" {
            request["unitPeriod"] = json!("month");
        }
        request
    };
    for method in ["cn-irr", "us-regz", "eu-aprc"] {
        for same_day in ["100.00", "100.01"] {
            let err = call("apr", &dated(method, same_day, "0.01", "2035-12-30")).unwrap_err();
            assert_eq!(err.code, "no-solution", "{method} {same_day}: {err:?}");
        }
    }
    assert_eq!(
        apr::cn_xirr_fen(10_000, &[10_000, 1], &[0, 3_650], YearDays::D365),
        None
    );
    assert_eq!(
        apr::cn_xirr_fen(10_000, &[10_001, 1], &[0, 3_650], YearDays::D365),
        None
    );
    // 50 net on day 0 grows to 55 in 365 days: 10 % a year, compounded daily.
    let rate = call("apr", &dated("cn-irr", "50.00", "55.00", "2027-01-01")).unwrap();
    assert_eq!(rate["effectiveRate"], json!("0.100000"));
    let fen = apr::cn_xirr_fen(10_000, &[5_000, 5_500], &[0, 365], YearDays::D365).unwrap();
    assert_eq!(fen.1.round_dp(6).to_string(), "0.100000");
    assert_eq!(
        fen.0.round_dp(6).to_string(),
        rate["rate"].as_str().unwrap()
    );
}

/// A well-formed date outside the engine's calendar (1900–2200) is named as such, at every
/// door that reads dates (a newcomer read "9999-12-31: not a valid YYYY-MM-DD date" as a format
/// error).
#[test]
fn a_date_outside_the_calendar_says_so() {
    let apr = call(
        "apr",
        &json!({"method": "cn-irr", "advances": [{"date": "9999-12-31", "amount": "100.00"}], "payments": [{"date": "2026-01-01", "amount": "110.00"}]}),
    )
    .expect_err("refused");
    let schedule = call(
        "schedule",
        &json!({"principal": "100.00", "annualRate": "0.1", "termMonths": 12, "method": "bullet", "startDate": "9999-12-31"}),
    )
    .expect_err("refused");
    for (error, code, path) in [
        (apr, "bad-flows", "advances[0].date"),
        (schedule, "invalid-date", "startDate"),
    ] {
        assert_eq!(error.code.as_str(), code);
        assert_eq!(error.path.as_deref(), Some(path));
        assert!(
            error.message.contains("YYYY-MM-DD date from 1900 to 2200"),
            "{}",
            error.message
        );
    }
}
