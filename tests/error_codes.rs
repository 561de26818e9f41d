//! One code per problem at every door (issue 14, "error codes by door"): the same malformed
//! input gets the same `code` and `path` from `schedule`, `disclose`, `subsidy`, `apr` and the
//! bundle engine's `quote`; arithmetic overflow is `overflow` in every module, JSONLogic
//! included. (The CLI's `io` code and exit codes are tested in `cli/tests/cli_errors.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use common::call;
use puhui::engine::Engine;
use serde_json::{json, Value};
use std::path::PathBuf;

fn refusal(op: &str, request: &Value) -> (String, Option<String>) {
    let error = call(op, request).expect_err("refused");
    (error.code, error.path)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bundle")
            .join(name),
    )
    .unwrap()
}

fn engine() -> Engine {
    let payload: Value = serde_json::from_slice(&fixture("bundle.json")).unwrap();
    let now = payload["issuedAt"].as_str().unwrap().to_owned();
    Engine::load(
        &fixture("bundle.signed.json"),
        &fixture("root.json"),
        None,
        &now,
        None,
    )
    .unwrap()
    .0
}

fn quote_refusal(request: &Value) -> (String, Option<String>) {
    let error =
        puhui::api::quote_text(&engine(), request.to_string().as_bytes()).expect_err("refused");
    (error.code, error.path)
}

#[test]
fn an_over_precise_amount_is_the_same_code_at_every_door() {
    let schedule = json!({"principal": "10000.001", "annualRate": "0.06", "termMonths": 12,
        "method": "equal-installment"});
    let want = |path: &str| ("over-precise-amount".to_owned(), Some(path.to_owned()));
    assert_eq!(refusal("schedule", &schedule), want("principal"));
    assert_eq!(
        refusal("disclose", &json!({"schedule": schedule})),
        want("schedule.principal")
    );
    assert_eq!(
        refusal(
            "subsidy",
            &json!({"schedule": schedule, "program": {"rate": "0.01"}, "subsidyUsed": "0.00"})
        ),
        want("schedule.principal")
    );
    assert_eq!(
        refusal(
            "apr",
            &json!({"method": "cn-irr", "advance": "100.001", "payments": ["101.00"]})
        ),
        want("advance")
    );
    assert_eq!(
        refusal(
            "apr",
            &json!({"method": "cn-irr", "advances": [{"date": "2025-01-01", "amount": "1.001"}],
                "payments": [{"date": "2025-02-01", "amount": "2.00"}]})
        ),
        want("advances[0].amount")
    );
    let quote =
        json!({"productId": "consumer-loan", "amount": "12.345", "termMonths": 12, "band": "A"});
    assert_eq!(quote_refusal(&quote), want("amount"));
    // A malformed amount too: `malformed-decimal` in schedule and in quote.
    let mut malformed = schedule.clone();
    malformed["principal"] = json!("1e4");
    assert_eq!(refusal("schedule", &malformed).0, "malformed-decimal");
    let quote =
        json!({"productId": "consumer-loan", "amount": "1e4", "termMonths": 12, "band": "A"});
    assert_eq!(quote_refusal(&quote).0, "malformed-decimal");
}

#[test]
fn an_invalid_start_date_is_the_same_code_at_every_door() {
    let schedule = json!({"principal": "10000.00", "annualRate": "0.06", "termMonths": 12,
        "method": "equal-installment", "startDate": "2026-02-30"});
    assert_eq!(
        refusal("schedule", &schedule),
        ("invalid-date".to_owned(), Some("startDate".to_owned()))
    );
    let quote = json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12, "band": "A",
        "startDate": "2026-02-30"});
    assert_eq!(
        quote_refusal(&quote),
        ("invalid-date".to_owned(), Some("startDate".to_owned()))
    );
}

#[test]
fn arithmetic_overflow_is_overflow_in_jsonlogic_too() {
    let rule =
        puhui::score::json::parse(format!("{{\"*\":[{},10]}}", "9".repeat(28)).as_bytes()).unwrap();
    let error = puhui::score::jsonlogic::apply(&rule, &puhui::score::json::Value::Null)
        .expect_err("overflows");
    assert_eq!(error.code(), "overflow");
}
