//! Disclosure of a schedule: every figure at once, the labels, cost caps with their fee
//! filters, options and errors.
// Helpers outside `#[test]` functions are test code too: clippy's in-test allowances do not
// reach them, so the test crate states it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::{call, vectors};
use puhui::disclosure::{self, DisclosureOptions};
use puhui::schedule::{self, ScheduleRequest};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::path::PathBuf;

fn dec(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("not a string: {value}"))
        .parse()
        .expect("decimal")
}

/// A fraction string as a 2-decimal percent, half-up (the display rule of §2.1).
fn percent_of(rate: &Value) -> String {
    let mut p = (dec(rate) * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    p.rescale(2);
    p.to_string()
}

fn schedule_vector(name_part: &str) -> Value {
    vectors("schedules.json")
        .into_iter()
        .find(|c| c["name"].as_str().is_some_and(|n| n.contains(name_part)))
        .unwrap_or_else(|| panic!("no schedule vector {name_part:?}"))["request"]
        .clone()
}

fn apr_vector(name_part: &str) -> Value {
    vectors("apr.json")
        .into_iter()
        .find(|c| c["name"].as_str().is_some_and(|n| n.contains(name_part)))
        .unwrap_or_else(|| panic!("no apr vector {name_part:?}"))["expected"]
        .clone()
}

fn reference(name_part: &str) -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/independent/apr_reference.json");
    let cases: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("json");
    cases
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["name"].as_str().is_some_and(|n| n.contains(name_part)))
        .unwrap_or_else(|| panic!("no reference {name_part:?}"))
        .clone()
}

fn disclose(request: &Value) -> Value {
    call("disclose", request).unwrap_or_else(|e| panic!("{request}: {e}"))
}

fn cap<'a>(response: &'a Value, id: &str) -> &'a Value {
    response["caps"]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no cap {id} in {}", response["caps"]))
}

#[test]
fn card_installment_discloses_both_rates_and_flags_no_cap() {
    // The 12,000 card installment at 0.6 % per period (schedules.json) must disclose the
    // figures of the matching apr.json vector: 13.03 % 单利 and 13.84 % 复利.
    let expected = apr_vector("card installment 12000");
    for institution in ["bank", "card-issuer"] {
        let got = disclose(&json!({
            "schedule": schedule_vector("flat-fee card installment 12000"),
            "institutionType": institution,
        }));
        let cn = &got["cn"];
        assert_eq!(cn["rate"], expected["rate"]);
        assert_eq!(cn["effectiveRate"], expected["effectiveRate"]);
        assert_eq!(cn["percent"], percent_of(&expected["rate"]));
        assert_eq!(
            cn["effectivePercent"],
            percent_of(&expected["effectiveRate"])
        );
        assert_eq!(cn["percent"], "13.03");
        assert_eq!(cn["effectivePercent"], "13.84");
        assert!(cn["label"].as_str().expect("label").contains("单利"));
        assert!(cn["effectiveLabel"]
            .as_str()
            .expect("label")
            .contains("复利"));
        assert_eq!(got["caps"]["flagged"], json!([]));
        assert_eq!(got["caps"]["compliant"], true);
        assert!(!got["caps"]["results"]
            .as_array()
            .expect("results")
            .is_empty());
        // Regular months without dates: Reg Z = r × 12, the EU APRC = the compound rate.
        assert_eq!(got["us"]["rate"], expected["rate"]);
        assert_eq!(got["eu"]["rate"], expected["effectiveRate"]);
        // 72 per period × 12 on 12,000: cost per 10,000 = 864 × 10,000 / 12,000.
        assert_eq!(got["totalCost"], "864.00");
        assert_eq!(got["costPer10000"], "720.00");
        assert_eq!(got["totalInterest"], "0.00");
    }
}

#[test]
fn daily_rate_product_passes_24_and_fails_four_lpr() {
    let case = reference("0.065%/day");
    let got = disclose(&case["request"]);
    assert_eq!(got["daily"]["rate"], "0.234000");
    assert_eq!(got["daily"]["percent"], "23.40");
    for field in ["rate", "effectiveRate", "percent"] {
        assert_eq!(got["cn"][field], case["expected"]["cn"][field], "{field}");
    }
    let ceiling = cap(&got, "comprehensive-24");
    assert_eq!(ceiling["pass"], true);
    assert_eq!(ceiling["limit"], "0.240000");
    let four_lpr = cap(&got, "private-lending-4lpr");
    assert_eq!(four_lpr["pass"], false);
    // LPR 3.00 % from 2025-05-20 → 12 %.
    assert_eq!(four_lpr["lpr"], "0.030000");
    assert_eq!(four_lpr["lprFrom"], "2025-05-20");
    assert_eq!(four_lpr["limit"], "0.120000");
    assert_eq!(
        dec(&four_lpr["margin"]),
        dec(&four_lpr["limit"]) - dec(&four_lpr["rate"])
    );
    assert_eq!(got["caps"]["compliant"], false);
    assert!(got["caps"]["flagged"]
        .as_array()
        .expect("flagged")
        .contains(&json!("private-lending-4lpr")));
    // Dated: before 2025-05-20 the LPR was 3.10 % → 12.40 %.
    let mut earlier = case["request"].clone();
    earlier["asOf"] = json!("2025-01-01");
    let got = disclose(&earlier);
    assert_eq!(cap(&got, "private-lending-4lpr")["limit"], "0.124000");
}

#[test]
fn caps_follow_institution_type_and_dates() {
    let request = |institution: &str, as_of: &str| {
        json!({
            "schedule": {"principal": "10000.00", "annualRate": "0.30", "termMonths": 12, "method": "equal-installment"},
            "institutionType": institution,
            "asOf": as_of,
        })
    };
    // A private lender in 2019: only the legacy 36 % line applies; 30 % passes it.
    let got = disclose(&request("private-lender", "2019-06-01"));
    let ids: Vec<&str> = got["caps"]["results"]
        .as_array()
        .expect("r")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["legacy-36"]);
    assert_eq!(cap(&got, "legacy-36")["legacy"], true);
    assert_eq!(cap(&got, "legacy-36")["pass"], true);
    // A micro-lender: 24 % now, and the 4 × LPR target only from 2027.
    let got = disclose(&request("micro-lender", "2026-06-01"));
    assert_eq!(got["caps"]["flagged"], json!(["comprehensive-24"]));
    let got = disclose(&request("micro-lender", "2027-01-01"));
    assert_eq!(
        got["caps"]["flagged"],
        json!(["comprehensive-24", "micro-lender-4lpr-target"])
    );
    // A type no cap names: nothing applies.
    let got = disclose(&request("pawnshop", "2026-06-01"));
    assert_eq!(got["caps"]["results"], json!([]));
    assert_eq!(got["caps"]["compliant"], true);
}

#[test]
fn every_fee_kind_and_timing_counts() {
    let fees = json!([
        {"kind": "service", "timing": "upfront-deducted", "rate": "0.01"},
        {"kind": "insurance", "timing": "upfront-paid", "amount": "50.00"},
        {"kind": "guarantee", "timing": "per-period", "amount": "20.00"},
        {"kind": "membership", "timing": "per-period", "rate": "0.001"},
        {"kind": "other", "timing": "per-period", "amount": "1.00"},
    ]);
    let base = json!({"principal": "10000.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-installment"});
    let mut with_fees = base.clone();
    with_fees["fees"] = fees;
    let plain = disclose(&json!({"schedule": base}));
    let got = disclose(&json!({"schedule": with_fees}));
    // 100 deducted + 50 at signing + (20 + 10 + 1) × 12 per period.
    assert_eq!(got["totalFees"], "522.00");
    assert_eq!(got["amountReceived"], "9850.00");
    assert_eq!(
        dec(&got["totalCost"]),
        dec(&got["totalInterest"]) + dec(&got["totalFees"])
    );
    let per_10000 = dec(&got["totalCost"]) * Decimal::from(10_000) / dec(&got["principal"]);
    assert_eq!(dec(&got["costPer10000"]), per_10000.round_dp(2));
    for regime in ["cn", "us", "eu"] {
        assert!(
            dec(&got[regime]["rate"]) > dec(&plain[regime]["rate"]),
            "{regime}: {} vs {}",
            got[regime]["rate"],
            plain[regime]["rate"]
        );
    }
    // The plain loan's CN rate is the apr.json figure for the same flows.
    assert_eq!(
        plain["cn"]["rate"],
        apr_vector("equal-installment 10000")["rate"]
    );
}

#[test]
fn a_cap_leaves_out_the_fee_kinds_it_does_not_count() {
    let schedule_with = |fees: Value| {
        json!({"principal": "10000.00", "annualRate": "0.10", "termMonths": 12,
               "method": "equal-installment", "fees": fees})
    };
    let guarantee = json!({"kind": "guarantee", "timing": "per-period", "amount": "30.00"});
    let service = json!({"kind": "service", "timing": "upfront-deducted", "amount": "100.00"});
    let caps = json!([
        {"id": "without-guarantee", "limit": "0.14", "basis": "cn-irr",
         "includes": ["interest", "service"], "appliesTo": ["bank"], "effectiveFrom": "2020-01-01"},
        {"id": "with-guarantee", "limit": "0.14", "basis": "cn-irr",
         "includes": ["interest", "service", "guarantee"], "appliesTo": ["bank"], "effectiveFrom": "2020-01-01"},
        {"id": "effective-basis", "limit": "0.14", "basis": "effective",
         "includes": ["interest", "service"], "appliesTo": ["bank"], "effectiveFrom": "2020-01-01"},
    ]);
    let got = disclose(&json!({
        "schedule": schedule_with(json!([guarantee, service])),
        "caps": caps,
        "asOf": "2026-01-01",
    }));
    // Independent path: disclose the same loan without the guarantee fee.
    let without = disclose(&json!({"schedule": schedule_with(json!([service]))}));
    assert_eq!(
        cap(&got, "without-guarantee")["rate"],
        without["cn"]["rate"]
    );
    assert_eq!(cap(&got, "with-guarantee")["rate"], got["cn"]["rate"]);
    assert_eq!(
        cap(&got, "effective-basis")["rate"],
        without["cn"]["effectiveRate"]
    );
    assert!(dec(&got["cn"]["rate"]) > dec(&without["cn"]["rate"]));
    assert_eq!(cap(&got, "without-guarantee")["pass"], true);
    assert_eq!(cap(&got, "with-guarantee")["pass"], false);
    assert_eq!(
        cap(&got, "with-guarantee")["includes"],
        json!(["interest", "service", "guarantee"])
    );
}

#[test]
fn installment_fee_can_be_left_out_of_a_cap() {
    let got = disclose(&json!({
        "schedule": schedule_vector("flat-fee card installment 12000"),
        "caps": [{"id": "interest-only", "limit": "0.05", "basis": "cn-irr",
                  "includes": ["interest"], "appliesTo": ["bank"], "effectiveFrom": "2020-01-01"}],
    }));
    // Without the installment fee the card installment costs nothing.
    assert_eq!(cap(&got, "interest-only")["rate"], "0.000000");
    assert_eq!(cap(&got, "interest-only")["pass"], true);
}

#[test]
fn odd_first_period_uses_days_and_dates() {
    let request = schedule_vector("odd first period");
    let got = disclose(&json!({"schedule": request}));
    assert_eq!(got["cnBasis"], "days");
    assert_eq!(got["cn"]["periodsPerYear"], 365);
    assert_eq!(got["eu"]["timeBasis"], "actual");
    // With the schedule's own dated flows, the dated apr operation gives the same figures.
    let built = schedule::schedule(
        &serde_json::from_value::<ScheduleRequest>(request.clone()).expect("req"),
    )
    .expect("schedule");
    let payments: Vec<Value> = built
        .installments
        .iter()
        .map(|row| json!({"date": row.due_date.expect("dated").to_string(), "amount": row.payment.to_string()}))
        .collect();
    let advances =
        json!([{"date": request["startDate"], "amount": built.amount_received.to_string()}]);
    let cn = call(
        "apr",
        &json!({"method": "cn-irr", "advances": advances, "payments": payments}),
    )
    .expect("cn");
    let us = call("apr", &json!({"method": "us-regz", "unitPeriod": "month", "advances": advances, "payments": payments})).expect("us");
    let eu = call(
        "apr",
        &json!({"method": "eu-aprc", "advances": advances, "payments": payments}),
    )
    .expect("eu");
    assert_eq!(got["cn"]["rate"], cn["rate"]);
    assert_eq!(got["us"]["rate"], us["rate"]);
    assert_eq!(got["eu"]["rate"], eu["rate"]);
    // 30 / 360 from 2025-01-20 to 2025-03-10 is a long first period: more than one month of
    // interest at the same payment, so the rate is not the contract rate.
    assert_ne!(got["cn"]["rate"], "0.072000");
}

#[test]
fn rust_api_matches_json() {
    let request: ScheduleRequest =
        serde_json::from_value(schedule_vector("flat-fee card installment 12000"))
            .expect("request");
    let loan = request.to_loan().expect("loan");
    let built = schedule::build(&loan).expect("schedule");
    let mut options = DisclosureOptions::with_default_caps().expect("defaults");
    options.institution_type = Some("bank".into());
    let disclosure = disclosure::disclose_schedule(&loan, &built, &options).expect("discloses");
    let json_response = disclose(&json!({"schedule": request, "institutionType": "bank"}));
    assert_eq!(
        serde_json::to_value(&disclosure).expect("json"),
        json_response
    );
}

#[test]
fn bad_requests_give_typed_errors_with_paths() {
    let schedule = json!({"principal": "10000.00", "annualRate": "0.072", "termMonths": 12, "method": "equal-installment"});
    let table = [
        (
            json!({"schedule": {"principal": "0", "annualRate": "0.1", "termMonths": 12, "method": "bullet"}}),
            "invalid-principal",
            Some("schedule.principal"),
        ),
        (
            json!({"schedule": schedule, "dailyRate": "0.0005"}),
            "invalid-option",
            Some("schedule.annualRate"),
        ),
        (
            json!({"schedule": schedule, "yearDays": 360}),
            "invalid-option",
            Some("yearDays"),
        ),
        (
            json!({"schedule": schedule, "asOf": "2025-13-01"}),
            "invalid-option",
            Some("asOf"),
        ),
        (
            json!({"schedule": schedule, "euTimeBasis": "weekly"}),
            "invalid-option",
            Some("euTimeBasis"),
        ),
        (
            json!({"schedule": schedule, "caps": [{"id": "x", "limit": "0.2", "basis": "apr", "includes": [], "appliesTo": [], "effectiveFrom": "2020-01-01"}]}),
            "invalid-cap",
            Some("caps[0].basis"),
        ),
        (
            json!({"schedule": schedule, "caps": [{"id": "x", "limit": "0.2", "lprMultiple": "4", "basis": "cn-irr", "includes": [], "appliesTo": [], "effectiveFrom": "2020-01-01"}]}),
            "invalid-cap",
            Some("caps[0]"),
        ),
        (
            json!({"schedule": schedule, "caps": [{"id": "x", "limit": "0.2", "basis": "cn-irr", "includes": ["tips"], "appliesTo": [], "effectiveFrom": "2020-01-01"}]}),
            "invalid-cap",
            Some("caps[0].includes[0]"),
        ),
        (
            json!({"schedule": schedule, "lpr": [{"from": "2020-01-01", "rate": "0.04"}], "asOf": "2019-01-01",
                "caps": [{"id": "x", "lprMultiple": "4", "basis": "cn-irr", "includes": [], "appliesTo": [], "effectiveFrom": "2010-01-01"}]}),
            "no-lpr",
            Some("caps"),
        ),
        (
            json!({"schedule": schedule, "extra": true}),
            "unknown-field",
            Some("extra"),
        ),
    ];
    for (request, code, path) in table {
        let error = call("disclose", &request).expect_err("must fail");
        assert_eq!(error.code, code, "{request}: {error}");
        assert_eq!(error.path.as_deref(), path, "{request}: {error}");
    }
}

#[test]
fn one_loan_has_one_cn_rate_in_disclosure_and_subsidy() {
    // Issue 14: with an odd first period `disclose` counted days (7.16 %) while the subsidy
    // outcome counted months (7.94 %), both under 年化利率(单利). One function now owns the rule.
    for (start, first_due) in [("2025-01-15", "2025-03-01"), ("2025-01-31", "2025-02-10")] {
        let schedule = json!({"principal": "10000.00", "annualRate": "0.072", "termMonths": 12,
            "method": "equal-installment", "startDate": start, "firstDueDate": first_due});
        let disclosed = disclose(&json!({"schedule": schedule}));
        let subsidy = call(
            "subsidy",
            &json!({"schedule": schedule, "program": {"rate": "0.00"}, "subsidyUsed": "0.00"}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(disclosed["cnBasis"], "days", "{disclosed}");
        for field in ["rate", "effectiveRate", "percent", "label", "periodicRate"] {
            assert_eq!(
                subsidy["grossApr"][field], disclosed["cn"][field],
                "{start} → {first_due}: {field}"
            );
        }
        assert_eq!(subsidy["grossRate"], disclosed["cn"]["rate"]);
    }
}

/// A cap is judged on the rate it shows: `pass` is `rate ≤ limit` on the written 6-decimal
/// figures, for loans whose rate lands exactly on a cap (24 % and 36 % interest-only and bullet
/// loans, every principal's rounding) and around it. The solver's 20th decimal used to decide:
/// a loan at exactly 24.000000 % was shown failing the 24 % cap.
#[test]
fn caps_pass_on_the_written_rate() {
    let mut checked = 0;
    for method in [
        "interest-only",
        "bullet",
        "equal-principal",
        "equal-installment",
    ] {
        for rate in ["0.24", "0.36", "0.2399999", "0.2400001", "0.12"] {
            for (principal, term) in [
                ("10000", 12),
                ("1234.56", 7),
                ("0.47", 24),
                ("99999.99", 36),
            ] {
                let response = disclose(&json!({"schedule": {
                    "principal": principal, "annualRate": rate, "termMonths": term, "method": method
                }}));
                for result in response["caps"]["results"].as_array().unwrap() {
                    let (shown, limit) = (dec(&result["rate"]), dec(&result["limit"]));
                    assert_eq!(
                        result["pass"].as_bool().unwrap(),
                        shown <= limit,
                        "{method} {rate} {principal} {term}: {result}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
}

/// An EU APRC compounded over 365 daily units magnifies its unit rate's error 365 · (1 + X)
/// times: for 0.47 lent and 3.78 a month repaid (X ≈ 3.9 · 10^11) the rate the grid answered
/// was written 393363197440.291122. The figure here is the root solved on 80-digit decimals
/// (bisection of Σ a (1 + i)^−t over the schedule's dated flows, then (1 + i)^365 − 1).
#[test]
fn a_large_eu_aprc_is_the_rounding_of_its_exact_root() {
    let response = disclose(&json!({"schedule": {
        "principal": "0.47", "termMonths": 120, "method": "interest-only", "annualRate": "0.036",
        "startDate": "2028-11-13", "dayCount": "act/360",
        "fees": [{"kind": "membership", "timing": "per-period", "amount": "3.78"}]
    }}));
    assert_eq!(response["eu"]["rate"], json!("393363197440.910703"));
}
