#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Schedules: every public vector row by row, the bad-input table, and invariants.
mod common;

use common::{call, vectors};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Compares every field the vector states, naming the case and the row on failure.
fn check(name: &str, actual: &Value, expected: &Value) {
    let rows = expected["installments"].as_array().unwrap();
    let got = actual["installments"].as_array().unwrap();
    assert_eq!(got.len(), rows.len(), "{name}: number of rows");
    for (row, (want, have)) in rows.iter().zip(got).enumerate() {
        for (field, value) in want.as_object().unwrap() {
            assert_eq!(&have[field], value, "{name}: row {} field {field}", row + 1);
        }
        assert_eq!(
            have.get("dueDate").is_some(),
            want.get("dueDate").is_some(),
            "{name}: dueDate presence"
        );
    }
    for (field, value) in expected["totals"].as_object().unwrap() {
        assert_eq!(&actual["totals"][field], value, "{name}: totals.{field}");
    }
}

#[test]
fn every_public_vector_matches_row_by_row() {
    let cases = vectors("schedules.json");
    assert!(
        cases.len() >= 11,
        "expected the 11 public vectors, found {}",
        cases.len()
    );
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let actual = call("schedule", &case["request"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(name, &actual, &case["expected"]);
    }
}

#[test]
fn direct_json_writer_matches_the_serde_derive() {
    let mut fee_requests = vectors("schedules.json")
        .into_iter()
        .map(|case| case["request"].clone())
        .collect::<Vec<_>>();
    fee_requests.push(json!({
        "principal": "10000.00", "annualRate": "0.12", "termMonths": 12,
        "method": "equal-installment",
        "fees": [
            {"kind": "service", "timing": "per-period", "rate": "0.0013"},
            {"kind": "guarantee", "timing": "upfront-deducted", "amount": "12.34"},
            {"kind": "insurance", "timing": "upfront-paid", "rate": "0.01"},
        ],
    }));
    for request in fee_requests {
        let typed: puhui::schedule::ScheduleRequest = serde_json::from_value(request).unwrap();
        let schedule = puhui::schedule::schedule(&typed).unwrap();
        assert_eq!(
            puhui::schedule::schedule_rows(&typed)
                .unwrap()
                .to_json()
                .unwrap(),
            serde_json::to_string(&schedule).unwrap()
        );
    }
}

fn error_code(request: Value) -> (String, Option<String>) {
    let err = call("schedule", &request).expect_err("request must be refused");
    (err.code, err.path)
}

#[test]
fn bad_input_gets_a_stable_code_and_path() {
    let base = json!({"principal": "10000.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-installment"});
    let with = |patch: Value| {
        let mut request = base.clone();
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                request.as_object_mut().unwrap().remove(k);
            } else {
                request[k] = v.clone();
            }
        }
        request
    };
    let table: &[(Value, &str, Option<&str>)] = &[
        (
            json!({"principal": "-1.00"}),
            "invalid-principal",
            Some("principal"),
        ),
        (
            json!({"principal": "0"}),
            "invalid-principal",
            Some("principal"),
        ),
        (
            json!({"principal": "100.001"}),
            "over-precise-amount",
            Some("principal"),
        ),
        (
            json!({"principal": "1e4"}),
            "malformed-decimal",
            Some("principal"),
        ),
        (
            json!({"principal": "NaN"}),
            "malformed-decimal",
            Some("principal"),
        ),
        (
            json!({"principal": 10000}),
            "invalid-request",
            Some("principal"),
        ),
        (json!({"termMonths": 0}), "invalid-term", Some("termMonths")),
        (
            json!({"termMonths": 601}),
            "invalid-term",
            Some("termMonths"),
        ),
        (
            json!({"termMonths": -3}),
            "invalid-term",
            Some("termMonths"),
        ),
        (
            json!({"annualRate": "-0.01"}),
            "invalid-rate",
            Some("annualRate"),
        ),
        (
            json!({"annualRate": null}),
            "invalid-request",
            Some("annualRate"),
        ),
        (
            json!({"method": "balloon"}),
            "unknown-method",
            Some("method"),
        ),
        (
            json!({"dayCount": "act/360"}),
            "missing-start-date",
            Some("startDate"),
        ),
        (
            json!({"firstDueDate": "2025-03-10"}),
            "missing-start-date",
            Some("startDate"),
        ),
        (
            json!({"startDate": "2025-02-30"}),
            "invalid-date",
            Some("startDate"),
        ),
        (
            json!({"dayCount": "30/365"}),
            "unknown-day-count",
            Some("dayCount"),
        ),
        (
            json!({"rounding": "up"}),
            "unknown-rounding",
            Some("rounding"),
        ),
        (json!({"colour": "red"}), "unknown-field", None),
        (
            json!({"feeRate": "0.006"}),
            "invalid-request",
            Some("feeRate"),
        ),
        (
            json!({"fees": [{"kind": "service", "timing": "upfront-deducted"}]}),
            "invalid-fee",
            Some("fees[0]"),
        ),
        (
            json!({"fees": [{"kind": "tip", "timing": "per-period", "amount": "1.00"}]}),
            "invalid-fee",
            Some("fees[0].kind"),
        ),
        (
            json!({"fees": [{"kind": "service", "timing": "upfront-deducted", "amount": "10000.00"}]}),
            "fees-exceed-principal",
            Some("fees"),
        ),
        (
            json!({"startDate": "2025-01-20", "firstDueDate": "2026-03-10"}),
            "invalid-request",
            Some("firstDueDate"),
        ),
        (
            json!({"startDate": "2025-01-20", "firstDueDate": "2025-01-20"}),
            "invalid-date",
            Some("firstDueDate"),
        ),
    ];
    for (patch, code, path) in table {
        let (got_code, got_path) = error_code(with(patch.clone()));
        assert_eq!(got_code, *code, "{patch}");
        if let Some(path) = path {
            assert_eq!(got_path.as_deref(), Some(*path), "{patch}");
        }
    }
    assert_eq!(
        call("schedule", &json!("nope")).unwrap_err().code,
        "invalid-request"
    );
    assert_eq!(
        puhui::api::call("schedule", b"{").unwrap_err().code,
        "malformed-json"
    );
}

#[test]
fn negative_amortization_is_refused() {
    // A 300-day first period at 36 % accrues more interest than the level payment.
    let (code, _) = error_code(json!({
        "principal": "10000.00", "annualRate": "0.36", "termMonths": 60, "method": "equal-installment",
        "startDate": "2025-01-01", "firstDueDate": "2025-10-28"
    }));
    assert_eq!(code, "negative-amortization");
}

#[test]
fn upfront_and_per_period_fees_are_carried() {
    let schedule = call("schedule", &json!({
        "principal": "100000.00", "annualRate": "0.06", "termMonths": 12, "method": "equal-installment",
        "fees": [
            {"kind": "service", "timing": "upfront-deducted", "amount": "1000.00"},
            {"kind": "guarantee", "timing": "per-period", "rate": "0.001"},
            {"kind": "insurance", "timing": "upfront-paid", "rate": "0.005"}
        ]
    })).unwrap();
    assert_eq!(schedule["upfront"]["deducted"], "1000.00");
    assert_eq!(schedule["upfront"]["paidAtSigning"], "500.00");
    assert_eq!(schedule["amountReceived"], "98500.00");
    assert_eq!(schedule["totals"]["fee"], "1200.00");
    assert_eq!(schedule["installments"][0]["fee"], "100.00");
}

fn money(value: &Value) -> rust_decimal::Decimal {
    value.as_str().unwrap().parse().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn schedules_balance_to_the_fen(
        principal_fen in 100_i64..500_000_000,
        rate_bp in 0_i64..3_600,
        term in 1_i64..=360,
        method in prop::sample::select(vec!["equal-installment", "equal-principal", "interest-only", "bullet", "flat-fee"]),
        rounding in prop::sample::select(vec!["half-up", "half-even", "down"]),
        day_count in prop::sample::select(vec!["30/360", "act/360", "act/365"]),
        start_day in 0_i64..3_000,
    ) {
        let principal = rust_decimal::Decimal::new(principal_fen, 2);
        let start = puhui::date::Date::parse("2020-01-01").unwrap().add_days(start_day).unwrap();
        let mut request = json!({
            "principal": principal.to_string(), "termMonths": term, "method": method,
            "rounding": rounding, "dayCount": day_count, "startDate": start.to_string(),
        });
        if method == "flat-fee" {
            request["feeRate"] = json!(rust_decimal::Decimal::new(rate_bp, 6).to_string());
        } else {
            request["annualRate"] = json!(rust_decimal::Decimal::new(rate_bp, 4).to_string());
        }
        let typed: puhui::schedule::ScheduleRequest = serde_json::from_value(request.clone()).unwrap();
        if let Ok(schedule) = puhui::schedule::schedule(&typed) {
            // The hand-written response writer must match the serde derive byte for byte.
            let rows = puhui::schedule::schedule_rows(&typed).unwrap();
            prop_assert_eq!(rows.to_json().unwrap(), serde_json::to_string(&schedule).unwrap());
        }
        let schedule = match call("schedule", &request) {
            Ok(schedule) => schedule,
            Err(e) => { prop_assert_eq!(e.code, "negative-amortization"); return Ok(()); }
        };
        let rows = schedule["installments"].as_array().unwrap();
        prop_assert_eq!(rows.len() as i64, term);
        let mut sum = rust_decimal::Decimal::ZERO;
        for row in rows {
            let (payment, p, i, f) = (money(&row["payment"]), money(&row["principal"]), money(&row["interest"]), money(&row["fee"]));
            prop_assert_eq!(payment, p + i + f);
            prop_assert!(payment >= rust_decimal::Decimal::ZERO && p >= rust_decimal::Decimal::ZERO && i >= rust_decimal::Decimal::ZERO);
            sum += p;
        }
        prop_assert_eq!(sum, principal);
        prop_assert_eq!(rows.last().unwrap()["balance"].as_str().unwrap(), "0.00");
        prop_assert_eq!(money(&schedule["totals"]["principal"]), principal);
    }
}

#[test]
fn due_dates_anchor_on_the_loans_own_day() {
    // Issue 12, item 6 (domain-math §4 "Due dates"): every due date anchors on the first due
    // date's day, else the start's day, clamped to the month's end, as spreadsheet EDATE does
    // (EDATE("2026-01-31", k) for k = 1…12). Before, a loan from Jan 31 drifted to the 28th.
    let due = |request: Value| -> Vec<String> {
        call("schedule", &request).unwrap_or_else(|e| panic!("{request}: {e}"))["installments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["dueDate"].as_str().unwrap().to_owned())
            .collect()
    };
    let loan = |start: &str, first_due: Option<&str>| {
        let mut request = json!({"principal": "12000.00", "annualRate": "0.06", "termMonths": 12,
            "method": "equal-installment", "startDate": start, "dayCount": "act/365"});
        if let Some(first_due) = first_due {
            request["firstDueDate"] = json!(first_due);
        }
        request
    };
    assert_eq!(
        due(loan("2026-01-31", None)),
        [
            "2026-02-28",
            "2026-03-31",
            "2026-04-30",
            "2026-05-31",
            "2026-06-30",
            "2026-07-31",
            "2026-08-31",
            "2026-09-30",
            "2026-10-31",
            "2026-11-30",
            "2026-12-31",
            "2027-01-31"
        ]
    );
    assert_eq!(
        due(loan("2024-01-31", None))[..4],
        ["2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31"]
    );
    // A first due date anchors on its own day: the 31st …
    assert_eq!(
        due(loan("2026-01-10", Some("2026-03-31")))[..4],
        ["2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"]
    );
    // … and a lender who keeps every due day on the 28th says so with the first due date.
    assert_eq!(
        due(loan("2026-01-31", Some("2026-02-28")))[..3],
        ["2026-02-28", "2026-03-28", "2026-04-28"]
    );
    // The subsidy timeline steps the same dates.
    let subsidy = call(
        "subsidy",
        &json!({"schedule": loan("2026-01-31", None), "program": {"rate": "0.01"}, "subsidyUsed": "0.00"}),
    )
    .unwrap();
    let dates: Vec<&str> = subsidy["perPeriodDetail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["dueDate"].as_str().unwrap())
        .collect();
    assert_eq!(dates[..3], ["2026-02-28", "2026-03-31", "2026-04-30"]);
}
