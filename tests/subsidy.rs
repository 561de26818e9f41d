//! Subsidies and promotions: every public vector, the policy examples, program choice by date,
//! window edges, caps, promotions with hand-checked arithmetic, bad input, and invariants.
// Helpers outside `#[test]` functions are test code too: clippy's in-test allowances do not
// reach them, so the test crate states it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::{call, vectors};
use proptest::prelude::*;
use puhui::subsidy::{self, Context, SubsidyUsed};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::str::FromStr;

fn run(request: &Value) -> Value {
    call("subsidy", request).unwrap_or_else(|e| panic!("{request}: {e}"))
}

fn dec(value: &Value) -> Decimal {
    Decimal::from_str(
        value
            .as_str()
            .unwrap_or_else(|| panic!("{value} is not a string")),
    )
    .unwrap()
}

fn strings(values: &[&str]) -> Value {
    json!(values)
}

/// Compares the fields a vector or a hand-checked case states.
fn check(name: &str, actual: &Value, expected: &Value) {
    for (field, want) in expected.as_object().unwrap() {
        assert_eq!(&actual[field], want, "{name}: {field}");
    }
}

/// One program from the shipped data file, by id (read from the file, not pasted).
fn shipped_program(id: &str) -> Value {
    let text = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/subsidy-programs.json"),
    )
    .unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    file["programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no shipped program {id}"))
        .clone()
}

fn reason_codes(actual: &Value, program: &str) -> Vec<String> {
    actual["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["program"] == program)
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

const PLAIN: &str =
    r#"{"rate": "0.01", "maxShareOfContractRate": "0.5", "perBorrowerCap": "3000.00"}"#;

fn plain_program() -> Value {
    serde_json::from_str(PLAIN).unwrap()
}

fn loan_10000() -> Value {
    json!({"principal": "10000.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-installment"})
}

#[test]
fn every_public_vector_matches() {
    let cases = vectors("subsidy.json");
    assert!(cases.len() >= 5, "expected the 5 public vectors");
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut request = json!({"schedule": case["schedule"], "program": case["program"]});
        if let Some(used) = case.get("subsidyUsed") {
            request["subsidyUsed"] = used.clone();
        }
        let actual = run(&request);
        check(name, &actual, &case["expected"]);
        // Independent consistency: the total is the sum of the periods.
        let sum: Decimal = actual["perPeriod"]
            .as_array()
            .unwrap()
            .iter()
            .map(dec)
            .sum();
        assert_eq!(sum, dec(&actual["total"]), "{name}: Σ perPeriod");
    }
}

#[test]
fn mof_example_200000_at_3_percent_gives_2000_a_third_of_the_interest() {
    let actual = run(&json!({
        "schedule": {"principal": "200000.00", "annualRate": "0.03", "termMonths": 12, "method": "bullet"},
        "program": plain_program()
    }));
    // 200,000 × 3 % = 6,000 interest; 200,000 × 1 % = 2,000 subsidy, paid at maturity.
    assert_eq!(actual["totals"]["charge"], "6000.00");
    assert_eq!(actual["total"], "2000.00");
    assert_eq!(
        dec(&actual["totals"]["charge"]) / Decimal::from(3),
        Decimal::from(2000)
    );
    assert_eq!(actual["perPeriodDetail"][11]["netPayment"], "204000.00");
}

#[test]
fn contract_rate_share_cap_halves_a_low_rate() {
    let actual = run(&json!({
        "schedule": {"principal": "10000.00", "annualRate": "0.015", "termMonths": 12, "method": "equal-installment"},
        "program": plain_program()
    }));
    // min(1 %, 50 % × 1.5 %) = 0.75 %.
    assert_eq!(actual["subsidyRate"], "0.0075");
    assert_eq!(actual["programs"][0]["rateCappedByShare"], true);
}

#[test]
fn rules_2025_from_the_shipped_data_cap_an_80000_car_purchase_at_500() {
    let actual = run(&json!({
        "schedule": {"principal": "80000.00", "annualRate": "0.04", "termMonths": 12, "method": "interest-only"},
        "program": shipped_program("cn-consumer-loan-2025"),
        "context": {"category": "household-cars", "institutionType": "state-owned-bank", "loanKind": "consumer-loan"}
    }));
    // Base capped at 50,000: 50,000 × 1 % ÷ 12 = 41.666… → 41.67; 12 × 41.67 = 500.04 > 500,
    // so the 12th period gets the remainder 500 − 11 × 41.67 = 41.63.
    assert_eq!(actual["total"], "500.00");
    assert_eq!(actual["perPeriod"][0], "41.67");
    assert_eq!(actual["perPeriod"][11], "41.63");
    assert_eq!(actual["programs"][0]["eligibleAmount"], "50000.00");
    let bound = &actual["capsBound"][0];
    assert_eq!(bound["cap"], "per-transaction");
    assert_eq!(bound["period"], 12);
    assert_eq!(bound["limit"], "41.63");
    // A category outside the 7 key areas is refused with a reason in both languages.
    let refused = run(&json!({
        "schedule": {"principal": "80000.00", "annualRate": "0.04", "termMonths": 12, "method": "interest-only"},
        "program": shipped_program("cn-consumer-loan-2025"),
        "context": {"category": "jewelry"}
    }));
    assert_eq!(refused["total"], "0.00");
    assert_eq!(
        reason_codes(&refused, "cn-consumer-loan-2025"),
        ["category-not-eligible"]
    );
    let message = &refused["reasons"][0]["message"];
    assert!(message["zh-CN"].as_str().unwrap().contains("jewelry"));
    assert!(message["en"].as_str().unwrap().contains("not among"));
    // Below 50,000 any category qualifies, and the 1,000 small-consumption cap applies:
    // 900 already used leaves 100.
    let small = run(&json!({
        "schedule": {"principal": "40000.00", "annualRate": "0.04", "termMonths": 12, "method": "interest-only"},
        "program": shipped_program("cn-consumer-loan-2025"),
        "subsidyUsed": "900.00",
        "subsidyUsedSmall": "900.00",
        "context": {"category": "jewelry", "institutionType": "joint-stock-bank"}
    }));
    // 40,000 × 1 % ÷ 12 = 33.33 per period; 3 × 33.33 = 99.99, the 4th gets 0.01.
    assert_eq!(small["total"], "100.00");
    assert_eq!(small["perPeriod"][3], "0.01");
    assert_eq!(small["capsBound"][0]["cap"], "small-consumption");
}

#[test]
fn shipped_programs_are_chosen_by_date_across_the_2026_revision() {
    let actual = run(&json!({
        "schedule": {"principal": "80000.00", "annualRate": "0.04", "termMonths": 12, "method": "interest-only", "startDate": "2025-09-01"},
        "builtinPrograms": true,
        "context": {"category": "household-cars", "institutionType": "state-owned-bank"}
    }));
    // Sep–Dec 2025 (due 10-01 … 2026-01-01, accrual ends before 2026-01-01): 2025 rules,
    // base 50,000 → 41.67. From the period due 2026-02-01: 2026 rules, no base cap,
    // 80,000 × 1 % ÷ 12 = 66.666… → 66.67. Total 4 × 41.67 + 8 × 66.67 = 700.04.
    let expected: Vec<&str> = [["41.67"; 4].as_slice(), ["66.67"; 8].as_slice()].concat();
    assert_eq!(actual["perPeriod"], strings(&expected));
    assert_eq!(actual["total"], "700.04");
    assert_eq!(
        actual["appliedOrder"],
        json!([
            "subsidy:cn-consumer-loan-2025",
            "subsidy:cn-consumer-loan-2026"
        ])
    );
    assert!(reason_codes(&actual, "cn-service-business-2025")
        .contains(&"loan-kind-not-eligible".to_owned()));
}

#[test]
fn rules_2026_card_installment_gets_its_subsidy_to_the_window_end() {
    let request = |base: &str| {
        let mut program = shipped_program("cn-consumer-loan-2026");
        program["base"] = json!(base);
        json!({
            "schedule": {"principal": "12000.00", "termMonths": 12, "method": "flat-fee", "feeRate": "0.006", "startDate": "2026-01-15"},
            "program": program,
            "context": {"institutionType": "card-issuer"}
        })
    };
    let actual = run(&request("outstanding"));
    // Outstanding base: balance 12,000, 11,000, … 1,000 × 1 % ÷ 12 → 10.00, 9.17, 8.33, …;
    // the last period runs 2026-12-15 → 2027-01-15 and only 17 of its 31 days are inside
    // the window: 1,000 × 1 % ÷ 12 × 17/31 = 0.45699 → 0.46.
    let expected = [
        "10.00", "9.17", "8.33", "7.50", "6.67", "5.83", "5.00", "4.17", "3.33", "2.50", "1.67",
        "0.46",
    ];
    assert_eq!(actual["perPeriod"], strings(&expected));
    assert_eq!(actual["total"], "64.63");
    // The card's contract rate is its disclosed IRR rate (13.03 %), so s = 1 % is not halved.
    assert_eq!(actual["subsidyRate"], "0.01");
    assert!(dec(&actual["contractRate"]) > Decimal::new(13, 2));
    let loan_kind_note = actual["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "loan-kind-inferred");
    assert!(loan_kind_note, "the loan kind is inferred from flat-fee");
    // Original base: 12,000 × 1 % ÷ 12 = 10.00 every period, the last 10 × 17/31 = 5.48.
    let original = run(&request("original"));
    assert_eq!(original["perPeriod"][10], "10.00");
    assert_eq!(original["perPeriod"][11], "5.48");
    assert_eq!(original["total"], "115.48");
}

fn windowed_program() -> Value {
    json!({"id": "w", "rate": "0.01", "maxShareOfContractRate": "0.5",
           "window": {"from": "2026-03-01", "to": "2026-08-31"}})
}

#[test]
fn window_edges_are_pro_rata_by_days() {
    let actual = run(&json!({
        "schedule": {"principal": "12000.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-principal", "startDate": "2026-02-28"},
        "program": windowed_program()
    }));
    // Starts the day before the window opens: period 1 is Feb 28 → Mar 28 (28 days), 27 inside:
    // 12,000 × 1 % ÷ 12 × 27/28 = 9.6428… → 9.64. Periods 2–6 are inside (11,000 … 7,000).
    // Period 7 (Aug 28 → Sep 28, 31 days) has 4 days inside: 6,000 × 1 % ÷ 12 × 4/31 = 0.645 → 0.65.
    let expected = [
        "9.64", "9.17", "8.33", "7.50", "6.67", "5.83", "0.65", "0.00", "0.00", "0.00", "0.00",
        "0.00",
    ];
    assert_eq!(actual["perPeriod"], strings(&expected));
    assert!(actual["reasons"].as_array().unwrap().is_empty());

    // Entirely before the window: refused with a reason.
    let before = run(&json!({
        "schedule": {"principal": "12000.00", "annualRate": "0.072", "termMonths": 1, "method": "equal-principal", "startDate": "2026-01-15"},
        "program": windowed_program()
    }));
    assert_eq!(before["total"], "0.00");
    assert_eq!(reason_codes(&before, "w"), ["outside-window"]);
    // One day inside: Jan 31 → Feb 28 = 28 days, none inside; Feb 1 → Mar 1 at act/365 ends
    // exclusive of Mar 1, so also none: the first day counts only when accrued.
    let edge = run(&json!({
        "schedule": {"principal": "12000.00", "annualRate": "0.072", "termMonths": 1, "method": "equal-principal", "startDate": "2026-02-01", "dayCount": "act/365"},
        "program": windowed_program()
    }));
    assert_eq!(edge["total"], "0.00");
}

#[test]
fn undated_loan_with_as_of_is_anchored_there() {
    let actual = run(&json!({
        "schedule": loan_10000(),
        "program": {"id": "w", "rate": "0.01", "window": {"from": "2025-09-01", "to": "2026-12-31"}},
        "context": {"asOf": "2025-06-01"}
    }));
    // Due 07-01, 08-01, 09-01 accrue before the window; 10-01 (Sep) is the first inside.
    assert_eq!(actual["perPeriod"][2], "0.00");
    assert_ne!(actual["perPeriod"][3], "0.00");
    assert_eq!(actual["perPeriodDetail"][3]["dueDate"], "2025-10-01");
    assert!(actual["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["code"] == "as-of-as-start"));
    // Without asOf the same loan is entirely inside, with the assumption stated.
    let undated = run(&json!({
        "schedule": loan_10000(),
        "program": {"id": "w", "rate": "0.01", "window": {"from": "2025-09-01", "to": "2026-12-31"}}
    }));
    assert_eq!(undated["perPeriod"][0], "8.33");
    assert_eq!(undated["assumptions"][0]["code"], "undated-loan");
}

#[test]
fn caps_exhaust_mid_period_and_per_year_scopes_restart() {
    let request = json!({
        "schedule": {"principal": "300000.00", "annualRate": "0.035", "termMonths": 36, "method": "equal-installment", "startDate": "2026-01-01"},
        "program": {"id": "y", "rate": "0.01", "perBorrowerCap": "3000.00", "perBorrowerCapScope": "per-year",
                    "window": {"from": "2026-01-01", "to": "2027-06-30"}},
        "subsidyUsed": "2500.00"
    });
    let actual = run(&request);
    // 2026 has 500 left: 300,000 × 1 % ÷ 12 = 250.00, then 243.40, and period 3 gets the
    // remaining 6.60 although its formula amount is larger (the cap binds mid-period).
    assert_eq!(actual["perPeriod"][0], "250.00");
    assert_eq!(actual["perPeriod"][2], "6.60");
    for period in 3..11 {
        assert_eq!(actual["perPeriod"][period], "0.00", "period {}", period + 1);
    }
    // Period 12 is due 2027-01-01: a new year, a fresh 3,000.
    assert_ne!(actual["perPeriod"][11], "0.00");
    let bound = &actual["capsBound"][0];
    assert_eq!(
        (
            bound["cap"].as_str(),
            bound["period"].as_u64(),
            bound["year"].as_i64()
        ),
        (Some("per-borrower"), Some(3), Some(2026))
    );
    // Everything already used: refused as cap exhausted.
    let mut exhausted = request.clone();
    exhausted["program"]["window"]["to"] = json!("2026-12-31");
    exhausted["schedule"]["termMonths"] = json!(11);
    exhausted["subsidyUsed"] = json!("3000.00");
    let exhausted = run(&exhausted);
    assert_eq!(exhausted["total"], "0.00");
    assert_eq!(reason_codes(&exhausted, "y"), ["cap-exhausted"]);
}

#[test]
fn service_sector_rules_cap_the_base_and_the_term() {
    let actual = run(&json!({
        "schedule": {"principal": "1200000.00", "annualRate": "0.03", "termMonths": 24, "method": "interest-only", "startDate": "2025-10-01"},
        "builtinPrograms": true,
        "context": {"loanKind": "service-business-loan", "category": "tourism"}
    }));
    // Eligible 1,000,000 of 1,200,000: 1,000,000 × 1 % ÷ 12 = 833.33 for the first 12 months only.
    for period in 0..12 {
        assert_eq!(actual["perPeriod"][period], "833.33");
    }
    assert_eq!(actual["perPeriod"][12], "0.00");
    assert_eq!(actual["total"], "9999.96");
    assert_eq!(
        reason_codes(&actual, "cn-service-business-2026"),
        ["contract-date-outside-window"]
    );
    assert_eq!(
        reason_codes(&actual, "cn-consumer-loan-2026"),
        ["loan-kind-not-eligible"]
    );
    // Institution, amount and loan-kind reasons from a custom program.
    let refused = run(&json!({
        "schedule": loan_10000(),
        "program": {"id": "p", "rate": "0.01", "maxLoanAmount": "5000.00", "eligibleInstitutions": ["state-owned-bank"], "loanKinds": ["card-installment"]},
        "context": {"institutionType": "p2p-platform", "loanKind": "consumer-loan"}
    }));
    assert_eq!(
        reason_codes(&refused, "p"),
        [
            "loan-kind-not-eligible",
            "institution-not-eligible",
            "amount-above-max"
        ]
    );
    assert_eq!(refused["subsidyRate"], "0");
    assert_eq!(refused["netRate"], refused["grossRate"]);
}

fn promo_case(schedule: Value, promotions: Value) -> Value {
    run(&json!({"schedule": schedule, "program": plain_program(), "promotions": promotions}))
}

fn column(actual: &Value, field: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            actual["perPeriodDetail"][i][field]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn promotion_interest_free_days() {
    let mut schedule = loan_10000();
    schedule["startDate"] = json!("2026-03-01");
    let actual = promo_case(
        schedule,
        json!([{"kind": "interest-free-days", "days": 30}]),
    );
    // Period 1 runs Mar 1 → Apr 1 (31 days), interest 10,000 × 7.2 % ÷ 12 = 60.00.
    // The first 30 days are free: 60.00 × 30/31 = 58.0645 → 58.06 waived, 1.94 left.
    // The subsidy formula (10,000 × 1 % ÷ 12 = 8.33) is capped at the 1.94 still charged.
    assert_eq!(column(&actual, "promotionDiscount", 2), ["58.06", "0.00"]);
    assert_eq!(column(&actual, "subsidy", 1), ["1.94"]);
    // 866.19 − 58.06 − 1.94 = 806.19.
    assert_eq!(column(&actual, "netPayment", 1), ["806.19"]);
    assert_eq!(actual["capsBound"][0]["cap"], "interest-charged");
    assert_eq!(
        actual["appliedOrder"],
        json!(["interest-free-days", "subsidy:program"])
    );
    assert!(dec(&actual["rateAfterPromotions"]) < dec(&actual["grossRate"]));
}

#[test]
fn promotion_rate_discount_coupon() {
    let actual = promo_case(
        loan_10000(),
        json!([{"kind": "rate-discount", "fraction": "0.2", "periods": 3}]),
    );
    // Interest 60.00, 55.16 (9,193.81 × 0.6 %), 50.30 (8,382.78 × 0.6 %), then no discount:
    // 20 % off → 12.00, 11.032 → 11.03, 10.06.
    assert_eq!(
        column(&actual, "promotionDiscount", 4),
        ["12.00", "11.03", "10.06", "0.00"]
    );
    assert_eq!(actual["totals"]["promotionDiscount"], "33.09");
}

#[test]
fn promotion_fixed_interest_coupon() {
    let actual = promo_case(
        loan_10000(),
        json!([{"kind": "interest-coupon", "amount": "100.00"}]),
    );
    // 100.00 off: all 60.00 of period 1, then 40.00 of period 2's 55.16.
    assert_eq!(
        column(&actual, "promotionDiscount", 3),
        ["60.00", "40.00", "0.00"]
    );
    // No interest left in period 1, so no subsidy there; period 2 has 15.16 left ≥ 7.66.
    assert_eq!(column(&actual, "subsidy", 2), ["0.00", "7.66"]);
}

#[test]
fn promotion_merchant_funded_zero_percent_installment() {
    let actual = promo_case(
        json!({"principal": "12000.00", "termMonths": 12, "method": "flat-fee", "feeRate": "0.006"}),
        json!([{"kind": "merchant-funded"}]),
    );
    // Fee 12,000 × 0.6 % = 72.00 a period, 864.00 in all, all paid by the merchant;
    // the borrower repays 1,000.00 a period: a 0 % installment, and nothing left to subsidise.
    assert_eq!(actual["totals"]["merchantPaid"], "864.00");
    assert_eq!(column(&actual, "netPayment", 1), ["1000.00"]);
    assert_eq!(actual["netRate"], "0.000000");
    assert_eq!(actual["total"], "0.00");
    assert_eq!(reason_codes(&actual, "program"), ["no-interest-charged"]);
    // The gross rate is the card's IRR rate, the same as the `apr` operation gives.
    let apr = call(
        "apr",
        &json!({"method": "cn-irr", "advance": "12000.00", "payments": vec!["1072.00"; 12]}),
    )
    .unwrap();
    assert_eq!(actual["grossRate"], apr["rate"]);
}

#[test]
fn promotions_stack_in_the_documented_order() {
    // Given out of order on purpose.
    let actual = promo_case(
        loan_10000(),
        json!([
            {"kind": "interest-coupon", "amount": "100.00"},
            {"kind": "rate-discount", "fraction": "0.2", "periods": 2},
            {"kind": "interest-free-days", "days": 30}
        ]),
    );
    assert_eq!(
        actual["appliedOrder"],
        json!([
            "interest-free-days",
            "rate-discount",
            "interest-coupon",
            "subsidy:program"
        ])
    );
    // Free days take period 1's 60.00 (an undated loan's period is 30 days); 20 % off period 2's
    // 55.16 = 11.03, the coupon the remaining 44.13, then 50.30 of period 3, then the last
    // 100 − 44.13 − 50.30 = 5.57 of period 4 (interest 45.40). The subsidy starts in period 4:
    // 7,566.89 × 1 % ÷ 12 = 6.31 ≤ 39.83 left.
    assert_eq!(
        column(&actual, "promotionDiscount", 4),
        ["60.00", "55.16", "50.30", "5.57"]
    );
    assert_eq!(
        column(&actual, "subsidy", 4),
        ["0.00", "0.00", "0.00", "6.31"]
    );
}

#[test]
fn rust_api_applies_to_a_built_schedule() {
    let request: puhui::schedule::ScheduleRequest = serde_json::from_value(json!({
        "principal": "10000.00", "annualRate": "0.072", "termMonths": 12,
        "method": "equal-installment", "startDate": "2026-02-01"
    }))
    .unwrap();
    let loan = request.to_loan().unwrap();
    let schedule = puhui::schedule::build(&loan).unwrap();
    let programs = subsidy::builtin_programs().unwrap();
    assert_eq!(programs.len(), 4);
    let outcome = subsidy::apply(
        &loan,
        &schedule,
        &programs,
        &[],
        &SubsidyUsed::default(),
        &Context::default(),
    )
    .unwrap();
    // Entirely in 2026: the revision applies; its first period is the §5.4 8.33.
    assert_eq!(outcome.per_period[0], Decimal::new(833, 2));
    assert_eq!(outcome.programs[1].id, "cn-consumer-loan-2026");
    assert!(outcome.programs[1].applied);
    assert!(outcome.net_rate < outcome.gross_rate);
}

fn error_of(request: Value) -> (String, Option<String>) {
    let err = call("subsidy", &request).expect_err("request must be refused");
    (err.code, err.path)
}

#[test]
fn bad_input_gets_a_typed_error_with_a_path() {
    let with_program = |patch: Value| {
        let mut program = plain_program();
        for (k, v) in patch.as_object().unwrap() {
            program[k] = v.clone();
        }
        json!({"schedule": loan_10000(), "program": program})
    };
    let table: Vec<(Value, &str, Option<&str>)> = vec![
        (
            with_program(json!({"eligibleShare": "1.5"})),
            "invalid-share",
            Some("program.eligibleShare"),
        ),
        (
            with_program(json!({"eligibleShare": "0"})),
            "invalid-share",
            Some("program.eligibleShare"),
        ),
        (
            with_program(json!({"maxShareOfContractRate": "2"})),
            "invalid-share",
            Some("program.maxShareOfContractRate"),
        ),
        (
            with_program(json!({"perBorrowerCap": "-1.00"})),
            "negative-cap",
            Some("program.perBorrowerCap"),
        ),
        (
            with_program(json!({"perTransactionCap": "-0.01"})),
            "negative-cap",
            Some("program.perTransactionCap"),
        ),
        (
            with_program(json!({"rate": "-0.01"})),
            "invalid-rate",
            Some("program.rate"),
        ),
        (
            with_program(json!({"rate": "1e-2"})),
            "malformed-decimal",
            Some("program.rate"),
        ),
        (
            with_program(json!({"window": {"from": "2026-12-31", "to": "2026-01-01"}})),
            "invalid-window",
            Some("program.window"),
        ),
        (
            with_program(json!({"window": {"from": "2026-02-30", "to": "2026-03-01"}})),
            "invalid-date",
            Some("program.window.from"),
        ),
        (
            with_program(json!({"smallConsumptionCap": "1000.00"})),
            "invalid-program",
            Some("program.smallConsumptionCap"),
        ),
        (
            with_program(json!({"maxTermMonths": 0})),
            "invalid-program",
            Some("program.maxTermMonths"),
        ),
        (
            with_program(json!({"categories": []})),
            "invalid-program",
            Some("program.categories"),
        ),
        (
            with_program(json!({"surprise": true})),
            "unknown-field",
            Some("program.surprise"),
        ),
        (
            with_program(json!({"loanKinds": ["mortgage"]})),
            "invalid-request",
            Some("program.loanKinds[0]"),
        ),
        (json!({"schedule": loan_10000()}), "missing-program", None),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "extra": 1}),
            "unknown-field",
            Some("extra"),
        ),
        (
            json!({"schedule": loan_10000(), "programs": [plain_program(), {"rate": "0.01", "perBorrowerCap": "-5.00"}]}),
            "negative-cap",
            Some("programs[1].perBorrowerCap"),
        ),
        (
            json!({"schedule": {"principal": "-1.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-installment"}, "program": plain_program()}),
            "invalid-principal",
            Some("schedule.principal"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "subsidyUsed": "-1.00"}),
            "negative-cap",
            Some("subsidyUsed"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "context": {"eligibleAmount": "10000.01"}}),
            "invalid-context",
            Some("context.eligibleAmount"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "context": {"asOf": "2026-13-01"}}),
            "invalid-date",
            Some("context.asOf"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "promotions": [{"kind": "rate-discount", "fraction": "1.5"}]}),
            "invalid-promotion",
            Some("promotions[0].fraction"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "promotions": [{"kind": "interest-free-days", "days": 0}]}),
            "invalid-promotion",
            Some("promotions[0].days"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "promotions": [{"kind": "interest-coupon", "amount": "-5.00"}]}),
            "invalid-promotion",
            Some("promotions[0].amount"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(), "promotions": [{"kind": "merchant-funded"}, {"kind": "merchant-funded"}]}),
            "duplicate-promotion",
            Some("promotions[1]"),
        ),
        // Unknown promotion kinds and fields are refused by the parser.
        (
            json!({"schedule": loan_10000(), "program": plain_program(),
                   "promotions": [{"kind": "cashback", "amount": "5.00"}]}),
            "invalid-request",
            Some("promotions[0].kind"),
        ),
        (
            json!({"schedule": loan_10000(), "program": plain_program(),
                   "promotions": [{"kind": "interest-coupon", "amount": "5.00", "bonus": 1}]}),
            "unknown-field",
            Some("promotions[0]"),
        ),
    ];
    let mismatches: Vec<String> = table
        .into_iter()
        .filter_map(|(request, code, path)| {
            let (got_code, got_path) = error_of(request.clone());
            (got_code != code || got_path.as_deref() != path)
                .then(|| format!("{request}: got {got_code} {got_path:?}, want {code} {path:?}"))
        })
        .collect();
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

fn method_strategy() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("equal-installment"),
        Just("equal-principal"),
        Just("interest-only"),
        Just("bullet"),
        Just("flat-fee"),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn subsidy_invariants(
        principal_yuan in 1_000_i64..2_000_000,
        rate_bp in 0_i64..2_400,
        term in 1_i64..48,
        method in method_strategy(),
        used_yuan in 0_i64..3_500,
        tx_cap_yuan in 0_i64..5_000,
        share_pct in 1_i64..=100,
        free_days in 0_i64..60,
        discount_pct in 0_i64..=100,
        coupon_yuan in 0_i64..300,
        dated in any::<bool>(),
    ) {
        let principal = format!("{principal_yuan}.00");
        let mut schedule = if method == "flat-fee" {
            json!({"principal": principal, "termMonths": term, "method": method,
                   "feeRate": format!("0.{:06}", rate_bp * 5)})
        } else {
            json!({"principal": principal, "annualRate": format!("0.{rate_bp:04}"),
                   "termMonths": term, "method": method})
        };
        if dated {
            schedule["startDate"] = json!("2026-01-20");
        }
        let mut promotions = Vec::new();
        if free_days > 0 { promotions.push(json!({"kind": "interest-free-days", "days": free_days})); }
        if discount_pct > 0 {
            promotions.push(json!({"kind": "rate-discount", "fraction": format!("{}", Decimal::new(discount_pct, 2)), "periods": 2}));
        }
        if coupon_yuan > 0 { promotions.push(json!({"kind": "interest-coupon", "amount": format!("{coupon_yuan}.00")})); }
        let request = json!({
            "schedule": schedule,
            "program": {"rate": "0.01", "maxShareOfContractRate": "0.5", "perBorrowerCap": "3000.00",
                        "perTransactionCap": format!("{tx_cap_yuan}.00"),
                        "eligibleShare": format!("{}", Decimal::new(share_pct, 2)),
                        "window": {"from": "2026-01-01", "to": "2026-12-31"}},
            "subsidyUsed": format!("{used_yuan}.00"),
            "promotions": promotions,
        });
        let actual = call("subsidy", &request).map_err(|e| TestCaseError::fail(format!("{request}: {e}")))?;
        let mut total = Decimal::ZERO;
        for row in actual["perPeriodDetail"].as_array().unwrap() {
            let subsidy = dec(&row["subsidy"]);
            let charge = dec(&row["charge"]);
            let discount = dec(&row["promotionDiscount"]);
            prop_assert!(subsidy >= Decimal::ZERO && discount >= Decimal::ZERO);
            prop_assert!(subsidy + discount <= charge, "{row}");
            prop_assert_eq!(dec(&row["netPayment"]), dec(&row["payment"]) - discount - subsidy);
            total += subsidy;
        }
        prop_assert_eq!(total, dec(&actual["total"]));
        prop_assert!(total <= Decimal::from(tx_cap_yuan));
        prop_assert!(total <= (Decimal::from(3000 - used_yuan)).max(Decimal::ZERO));
        prop_assert!(dec(&actual["netRate"]) <= dec(&actual["grossRate"]));
        prop_assert!(dec(&actual["rateAfterPromotions"]) <= dec(&actual["grossRate"]));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Dated loans against two overlapping windowed programs, per-year caps: no day is paid
    /// twice (the sum never exceeds the charge), each program stays within its caps per year.
    #[test]
    fn windows_and_yearly_caps_hold(
        start_offset in 0_i64..700,
        from_offset in 0_i64..700,
        window_days in 1_i64..500,
        term in 1_i64..36,
        rate_bp in 1_i64..2_400,
        day_count in prop_oneof![Just("30/360"), Just("act/360"), Just("act/365")],
        cap_yuan in 0_i64..400,
        used_yuan in 0_i64..400,
    ) {
        let origin = puhui::date::Date::parse("2025-01-01").unwrap();
        let day = |offset: i64| origin.add_days(offset).unwrap().to_string();
        let window = json!({"from": day(from_offset), "to": day(from_offset + window_days)});
        let request = json!({
            "schedule": {"principal": "100000.00", "annualRate": format!("0.{rate_bp:04}"),
                         "termMonths": term, "method": "equal-installment",
                         "startDate": day(start_offset), "dayCount": day_count},
            "programs": [
                {"id": "a", "rate": "0.01", "window": window,
                 "perBorrowerCap": format!("{cap_yuan}.00"), "perBorrowerCapScope": "per-year"},
                {"id": "b", "rate": "0.02", "maxShareOfContractRate": "0.5",
                 "window": {"from": day(from_offset + window_days / 2), "to": day(from_offset + 2 * window_days)},
                 "perBorrowerCap": format!("{cap_yuan}.00")}
            ],
            "subsidyUsed": format!("{used_yuan}.00"),
        });
        let actual = call("subsidy", &request).map_err(|e| TestCaseError::fail(format!("{request}: {e}")))?;
        let details = actual["perPeriodDetail"].as_array().unwrap();
        for row in details {
            let subsidy = dec(&row["subsidy"]);
            prop_assert!(subsidy >= Decimal::ZERO);
            prop_assert!(subsidy <= dec(&row["charge"]), "{row}");
        }
        for (idx, program) in actual["programs"].as_array().unwrap().iter().enumerate() {
            let cap = Decimal::from(cap_yuan);
            let mut by_year: std::collections::BTreeMap<String, Decimal> = Default::default();
            for (row, amount) in details.iter().zip(program["perPeriod"].as_array().unwrap()) {
                let year = if idx == 0 { row["dueDate"].as_str().unwrap()[..4].to_owned() } else { String::new() };
                *by_year.entry(year).or_default() += dec(amount);
            }
            for (year, total) in by_year {
                prop_assert!(total <= cap, "program {idx} year {year}: {total} > {cap}");
            }
        }
        prop_assert!(dec(&actual["netRate"]) <= dec(&actual["grossRate"]));
    }
}
