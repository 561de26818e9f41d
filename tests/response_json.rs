//! The `apr` and `disclose` responses written by hand (`AprResponse::to_json`,
//! `DiscloseResponse::to_json`) against `serde_json::to_string` of the same value, byte for
//! byte: every vector request, then generated requests over every method, unit period, time
//! basis, daily-rate disclosures, caps given inline (LPR caps, names, legacy lines), odd first
//! periods, and echoed strings that need escaping (institution types, cap ids and names).
// Helpers outside `#[test]` functions are test code too: clippy's in-test allowances do not
// reach them, so the test crate states it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use puhui::apr::{self, AprRequest, AprResponse};
use puhui::date::Date;
use puhui::disclosure::{self, DiscloseRequest, DiscloseResponse};
use puhui::ApiError;
use serde::Serialize;
use serde_json::{json, Value};

/// One operation's response compared three ways on `request`: its hand writer (`write`) with
/// `serde_json::to_string` of the same value, and both with the operation's text through
/// `puhui::api::call_text(operation, …)`. Answers the text; `None` when the request is read but
/// refused (nothing to compare: the operation must refuse it too).
fn compared_text<Request, Response: Serialize, Refusal>(
    operation: &str,
    request: &Value,
    read: fn(&[u8]) -> Result<Request, ApiError>,
    answer: fn(&Request) -> Result<Response, Refusal>,
    write: fn(&Response) -> String,
) -> Option<String> {
    let text = request.to_string();
    let parsed = read(text.as_bytes()).unwrap_or_else(|e| panic!("{request}: {}", e.message));
    let Ok(response) = answer(&parsed) else {
        assert!(puhui::api::call_text(operation, text.as_bytes()).is_err());
        return None;
    };
    let expected = serde_json::to_string(&response).unwrap();
    assert_eq!(write(&response), expected, "{request}");
    assert_eq!(
        puhui::api::call_text(operation, text.as_bytes()).unwrap(),
        expected,
        "{request}"
    );
    Some(expected)
}

/// [`compared_text`] for the `apr` operation.
fn apr_text(request: &Value) -> Option<String> {
    compared_text(
        "apr",
        request,
        AprRequest::from_json,
        apr::apr,
        AprResponse::to_json,
    )
}

/// [`compared_text`] for the `disclose` operation.
fn disclose_text(request: &Value) -> Option<String> {
    compared_text(
        "disclose",
        request,
        DiscloseRequest::from_json,
        disclosure::disclose,
        DiscloseResponse::to_json,
    )
}

#[test]
fn every_apr_vector_is_written_as_serde_writes_it() {
    let cases = common::vectors("apr.json");
    assert!(cases.len() >= 10);
    for case in &cases {
        assert!(apr_text(&case["request"]).is_some(), "{}", case["name"]);
    }
}

#[test]
fn every_schedule_vector_discloses_as_serde_writes_it() {
    let cases = common::vectors("schedules.json");
    assert!(cases.len() >= 10);
    let mut texts = Vec::new();
    for case in &cases {
        let schedule = &case["request"];
        assert!(
            disclose_text(&json!({"schedule": schedule})).is_some(),
            "{}",
            case["name"]
        );
        // Every institution type of the sample caps (LPR caps, legacy lines, none at all),
        // on dates either side of the LPR caps' start.
        for institution in ["bank", "private-lender", "micro-lender", "pawn \"shop\"\n"] {
            for as_of in ["2019-06-30", "2020-08-20", "2027-02-01"] {
                let text = disclose_text(&json!({
                    "schedule": schedule,
                    "institutionType": institution,
                    "asOf": as_of,
                }));
                texts.push(text.expect("disclosed"));
            }
        }
    }
    common::assert_seen(
        &texts,
        &[
            "\"lprFrom\":",
            "\"legacy\":true",
            "\"results\":[]",
            "\"flagged\":[\"",
            "\"institutionType\":\"pawn \\\"shop\\\"\\n\"",
            "\"cnBasis\":\"days\"",
        ],
    );
}

/// A dated amount `{date, amount}` on the wire.
fn dated(date: Date, cents: u64) -> Value {
    json!({"date": date.to_string(), "amount": format!("{}.{:02}", cents / 100, cents % 100)})
}

fn amount(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Dated flows: one or two advances, then payments `step` units apart (the first one `odd`
/// days off), amounts around `level` with some irregular.
fn flows(next: &mut impl FnMut(u64) -> u64, unit: &str, multiple: u32) -> (Value, Value) {
    let start = Date::new(
        2020 + next(8) as i32,
        1 + next(12) as u32,
        1 + next(28) as u32,
    )
    .expect("date");
    let principal = 10_000 + next(5_000_000);
    let count = 1 + next(40);
    let rate_cents = principal * (next(40) + 90) / 100;
    let level = rate_cents / count + 1;
    let odd = next(3) as i64 * (next(15) as i64);
    let mut advances = vec![dated(start, principal)];
    if next(5) == 0 {
        advances.push(dated(start.add_days(10).expect("date"), 1 + next(100_000)));
    }
    let mut payments = Vec::new();
    for k in 1..=count {
        let k = k as i64 * i64::from(multiple);
        let date = match unit {
            "month" => start.add_months(k).and_then(|d| d.add_days(odd)),
            "semimonth" => start.add_days(k * 15 + odd),
            "week" => start.add_days(k * 7 + odd),
            _ => start.add_days(k + odd),
        }
        .expect("date");
        let cents = if next(6) == 0 {
            level + next(level)
        } else {
            level
        };
        payments.push(dated(date, cents));
    }
    (Value::from(advances), Value::from(payments))
}

#[test]
fn generated_apr_requests_are_written_as_serde_writes_them() {
    let mut next = common::stream(0x9E37_79B9_7F4A_7C15);
    let mut compared = [0_u32; 5];
    let mut texts = Vec::new();
    for case in 0..1_500_u64 {
        let request = match case % 5 {
            0 => {
                let count = 1 + next(60);
                let advance = 1_000 + next(10_000_000);
                let total = advance * (next(60) + 80) / 100;
                let payments: Vec<String> = (0..count)
                    .map(|k| amount(total / count + if k == 0 { next(500) } else { 0 }))
                    .collect();
                let mut request =
                    json!({"method": "cn-irr", "advance": amount(advance), "payments": payments});
                if next(2) == 0 {
                    request["periodsPerYear"] = json!([1, 2, 4, 12, 24, 52, 365][next(7) as usize]);
                }
                request
            }
            1 => {
                let step = 1 + next(30) as u32;
                let (advances, payments) = flows(&mut next, "day", step);
                let mut request =
                    json!({"method": "cn-irr", "advances": advances, "payments": payments});
                if next(2) == 0 {
                    request["yearDays"] = json!([360, 365][next(2) as usize]);
                }
                request
            }
            2 => {
                let daily = format!(
                    "0.{:0>width$}",
                    1 + next(999_999),
                    width = 4 + next(3) as usize
                );
                let mut request = json!({"method": "cn-daily", "dailyRate": daily});
                if next(2) == 0 {
                    request["yearDays"] = json!([360, 365][next(2) as usize]);
                }
                request
            }
            3 => {
                let unit = ["month", "semimonth", "week", "day"][next(4) as usize];
                let multiple = match unit {
                    "month" | "week" => 1 + next(3) as u32,
                    _ => 1,
                };
                let (advances, payments) = flows(&mut next, unit, multiple);
                let mut request = json!({"method": "us-regz", "unitPeriod": unit, "advances": advances, "payments": payments});
                if multiple > 1 || next(2) == 0 {
                    request["unitMultiple"] = json!(multiple);
                }
                request
            }
            _ => {
                let (advances, payments) = flows(&mut next, "month", 1);
                let mut request =
                    json!({"method": "eu-aprc", "advances": advances, "payments": payments});
                if next(3) != 0 {
                    request["timeBasis"] = json!(["actual", "equal-months"][next(2) as usize]);
                }
                request
            }
        };
        if let Some(text) = apr_text(&request) {
            compared[(case % 5) as usize] += 1;
            texts.push(text);
        }
    }
    assert!(
        compared.iter().all(|&n| n > 150),
        "compared per kind: {compared:?}"
    );
    common::assert_seen(
        &texts,
        &[
            "\"rate\":\"-0.",
            "\"periodsPerYear\":365",
            "\"yearDays\":360",
            "\"unitPeriod\":\"semimonth\"",
            "\"unitPeriod\":\"week\"",
            "\"unitPeriod\":\"day\"",
            "\"unitPeriod\":\"term\"",
            "\"unitMultiple\":3",
            "\"regular\":true",
            "\"regular\":false",
            "\"timeBasis\":\"equal-months\"",
        ],
    );
}

/// Caps given inline: fixed and LPR limits, every basis, subsets of the cost kinds, names and
/// ids that need escaping, legacy lines.
fn inline_caps(next: &mut impl FnMut(u64) -> u64) -> Value {
    let kinds = [
        "interest",
        "service",
        "guarantee",
        "insurance",
        "membership",
        "installment",
        "other",
    ];
    let names = [
        "cap \"A\"",
        "上限 24%",
        "tab\there\\",
        "\u{1}ctl\u{7F}",
        "emoji \u{1F4B0}",
    ];
    let mut caps = Vec::new();
    for idx in 0..1 + next(4) {
        let includes: Vec<&str> = kinds.iter().filter(|_| next(3) != 0).copied().collect();
        let mut cap = json!({
            "id": format!("cap-{idx}{}", ["", "\"q\"", "/é"][next(3) as usize]),
            "basis": (["cn-irr", "effective", "simple"][next(3) as usize]),
            "includes": if includes.is_empty() { vec!["interest"] } else { includes },
            "appliesTo": ["bank", "private-lender", "we \"say\" 银行"],
            "effectiveFrom": "2015-01-01",
        });
        if next(2) == 0 {
            cap["limit"] = json!(format!("0.{:02}", 5 + next(40)));
        } else {
            cap["lprMultiple"] = json!(["4", "2.5", "1"][next(3) as usize]);
        }
        if next(2) == 0 {
            cap["name"] = json!(names[next(names.len() as u64) as usize]);
        }
        if next(4) == 0 {
            cap["legacy"] = json!(true);
            cap["effectiveTo"] = json!("2030-12-31");
        }
        caps.push(cap);
    }
    Value::from(caps)
}

#[test]
fn generated_disclosures_are_written_as_serde_writes_them() {
    let mut next = common::stream(0x0123_4567_89AB_CDEF);
    let methods = [
        "equal-installment",
        "equal-principal",
        "interest-only",
        "bullet",
        "flat-fee",
    ];
    let fees = [
        json!({"kind": "service", "timing": "upfront-deducted", "rate": "0.01"}),
        json!({"kind": "insurance", "timing": "upfront-paid", "amount": "50.00"}),
        json!({"kind": "guarantee", "timing": "per-period", "amount": "20.00"}),
        json!({"kind": "membership", "timing": "per-period", "rate": "0.001"}),
    ];
    let mut compared = 0;
    let mut daily_compared = 0;
    let mut texts = Vec::new();
    for case in 0..400_u64 {
        let method = methods[(case % 5) as usize];
        let mut schedule = json!({
            "principal": amount(100_000 + next(100_000_000)),
            "termMonths": 1 + next(36),
            "method": method,
        });
        if method == "flat-fee" {
            schedule["feeRate"] = json!(format!("0.{:04}", next(100)));
        }
        let daily = method != "flat-fee" && case % 4 == 1;
        let mut request = json!({});
        if daily {
            request["dailyRate"] = json!(format!("0.{:05}", 1 + next(99)));
            if next(2) == 0 {
                request["yearDays"] = json!([360, 365][next(2) as usize]);
            }
        } else if method != "flat-fee" {
            schedule["annualRate"] = json!(format!("0.{:04}", next(3_000)));
        }
        if next(2) == 0 {
            schedule["startDate"] = json!(format!("2025-0{}-{:02}", 1 + next(9), 1 + next(28)));
            if next(2) == 0 {
                // An odd first period: 20 to 60 days after the start.
                let start = Date::parse(schedule["startDate"].as_str().unwrap()).unwrap();
                schedule["firstDueDate"] =
                    json!(start.add_days(20 + next(40) as i64).unwrap().to_string());
            }
            schedule["dayCount"] = json!(["30/360", "act/360", "act/365"][next(3) as usize]);
        }
        let chosen: Vec<Value> = fees.iter().filter(|_| next(3) == 0).cloned().collect();
        if !chosen.is_empty() {
            schedule["fees"] = Value::from(chosen);
        }
        request["schedule"] = schedule;
        if next(2) == 0 {
            request["caps"] = inline_caps(&mut next);
            if next(2) == 0 {
                request["lpr"] = json!([{"from": "2015-01-01", "rate": "0.0435"}, {"from": "2024-10-21", "rate": "0.031"}]);
            }
        }
        if next(2) == 0 {
            request["institutionType"] = json!(
                ["bank", "private-lender", "we \"say\" 银行", "micro-lender"][next(4) as usize]
            );
        }
        if next(3) == 0 {
            request["asOf"] = json!(["2016-01-01", "2024-12-01", "2031-01-01"][next(3) as usize]);
        }
        if next(4) == 0 {
            request["euTimeBasis"] = json!(["actual", "equal-months"][next(2) as usize]);
        }
        if let Some(text) = disclose_text(&request) {
            compared += 1;
            daily_compared += u32::from(daily);
            texts.push(text);
        }
    }
    assert!(compared > 300, "only {compared} disclosures compared");
    assert!(
        daily_compared > 50,
        "only {daily_compared} daily-rate disclosures compared"
    );
    common::assert_seen(
        &texts,
        &[
            "\"daily\":{\"method\":\"cn-daily\"",
            "\"cnBasis\":\"days\"",
            "\"asOf\":\"",
            "\"lprMultiple\":\"2.500000\"",
            "\"name\":\"cap \\\"A\\\"\"",
            "\"name\":\"\\u0001ctl\u{7F}\"",
            "\"name\":\"tab\\there\\\\\"",
            "\"name\":\"emoji \u{1F4B0}\"",
            "\"id\":\"cap-0\\\"q\\\"\"",
            "\"institutionType\":\"we \\\"say\\\" 银行\"",
            "\"flagged\":[\"cap-",
            "\"basis\":\"simple\"",
            "\"timeBasis\":\"equal-months\"",
        ],
    );
}
