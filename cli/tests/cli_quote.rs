//! `puhui lint`, `puhui quote` and `puhui assess --bundle` end to end on the committed exemplar.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::{json, Value};
use std::path::PathBuf;

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

/// Runs `puhui args...` with `stdin` ([`common::run_puhui`]); returns (exit code, stdout JSON).
fn puhui(args: &[&str], stdin: &str) -> (i32, Value) {
    let (code, text) = common::run_puhui(args, stdin.as_bytes());
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{args:?}: {text}"));
    (code, value)
}

fn issued_at() -> String {
    let payload: Value =
        serde_json::from_slice(&std::fs::read(repo("tests/fixtures/bundle/bundle.json")).unwrap())
            .unwrap();
    payload["issuedAt"].as_str().unwrap().to_owned()
}

fn bundle_args(op: &str, now: &str) -> Vec<String> {
    vec![
        op.into(),
        "--bundle".into(),
        repo("tests/fixtures/bundle/bundle.signed.json"),
        "--root".into(),
        repo("tests/fixtures/bundle/root.json"),
        "--now".into(),
        now.into(),
        "-".into(),
    ]
}

#[test]
fn lint_exits_zero_on_the_sample_and_one_on_a_planted_error() {
    let (code, report) = puhui(&["lint", &repo("data/sample-bundle.json")], "");
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["ok"], json!(true));
    let mut payload: Value =
        serde_json::from_slice(&std::fs::read(repo("data/sample-bundle.json")).unwrap()).unwrap();
    payload["products"][0]["caps"] = json!(["nope"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.json");
    std::fs::write(&path, serde_json::to_vec(&payload).unwrap()).unwrap();
    let (code, report) = puhui(&["lint", path.to_str().unwrap()], "");
    assert_eq!(code, 1);
    let finding = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == json!("unknown-reference"))
        .unwrap();
    assert_eq!(finding["path"], json!("products[0].caps[0]"));
}

#[test]
fn quote_verifies_then_quotes_and_persists_state() {
    let now = issued_at();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let mut args = bundle_args("quote", &now);
    args.splice(1..1, ["--state".to_owned(), state.display().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let request = r#"{"productId":"card-installment","amount":"12000.00","termMonths":12}"#;
    let (code, quote) = puhui(&args, request);
    assert_eq!(code, 0, "{quote}");
    assert_eq!(quote["productId"], json!("card-installment"));
    assert_eq!(quote["preview"], json!(false));
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["bundles"][0]["sha256"], quote["bundle"]["sha256"]);
    // The library front door gives the same value.
    let (engine, _) = puhui::engine::Engine::load(
        &std::fs::read(repo("tests/fixtures/bundle/bundle.signed.json")).unwrap(),
        &std::fs::read(repo("tests/fixtures/bundle/root.json")).unwrap(),
        None,
        &now,
        None,
    )
    .unwrap();
    let native: Value =
        serde_json::from_str(&puhui::api::quote_text(&engine, request.as_bytes()).unwrap())
            .unwrap();
    assert_eq!(quote, native);
}

#[test]
fn quote_refusals_exit_one_with_code_and_path() {
    let now = issued_at();
    let args = bundle_args("quote", &now);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    for (request, code, path) in [
        (
            r#"{"productId":"micro-daily","amount":"60000.00","termMonths":12}"#,
            "amount-out-of-range",
            "amount",
        ),
        (
            r#"{"productId":"micro-daily","amount":"1000.00","termMonths":24}"#,
            "term-not-offered",
            "termMonths",
        ),
    ] {
        let (exit, out) = puhui(&args, request);
        assert_eq!(exit, 1);
        assert_eq!(out["error"]["code"], json!(code));
        assert_eq!(out["error"]["path"], json!(path));
    }
    // A clock past expiry refuses before any number is used.
    let late = bundle_args("quote", "2036-03-01T00:00:00Z");
    let late: Vec<&str> = late.iter().map(String::as_str).collect();
    let (exit, out) = puhui(
        &late,
        r#"{"productId":"micro-daily","amount":"1000.00","termMonths":12}"#,
    );
    assert_eq!(exit, 1);
    assert_eq!(out["error"]["code"], json!("expired"));
}

#[test]
fn assess_with_a_bundle_uses_its_model() {
    let now = issued_at();
    let args = bundle_args("assess", &now);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (exit, out) = puhui(&args, r#"{"age":17,"residency":"US","monthlyIncome":6000}"#);
    assert_eq!(exit, 0, "{out}");
    assert_eq!(out["decision"], json!("unlikely"));
    assert_eq!(out["offers"], json!([]));
}
