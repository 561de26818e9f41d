//! The CLI prints the library's own bytes: for the same request, the stdout of `puhui schedule`,
//! `apr`, `disclose`, `subsidy`, `quote`, `assess` and `lint` is the text of the JSON door every
//! other adapter answers with (`puhui::api::call_text`, `quote_text`, `assess_text`, the studio's
//! lint report) and one newline: members in the library's order, not re-sorted through a
//! `serde_json::Value`; a refusal is the one error envelope.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod run;

use puhui::engine::Engine;
use serde_json::{json, Value};
use std::path::PathBuf;

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

fn vectors(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(repo(&format!("tests/vectors/{name}"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The CLI's stdout for `args` on `stdin`.
fn stdout(args: &[&str], stdin: &[u8]) -> String {
    run::puhui(args, stdin).1
}

/// The CLI's stdout for `args` on `request` is `library`'s answer (or its error envelope) and
/// a newline, byte for byte.
fn check(label: &str, args: &[&str], request: &[u8], library: Result<String, puhui::ApiError>) {
    let expected = match library {
        Ok(text) => text,
        Err(error) => error.to_envelope().to_string(),
    };
    assert_eq!(stdout(args, request), format!("{expected}\n"), "{label}");
}

/// `puhui op -` against `puhui::api::call_text(op, …)`.
fn check_call(op: &str, label: &str, request: &[u8]) {
    let library = puhui::api::call_text(op, request);
    check(&format!("{op} {label}"), &[op, "-"], request, library);
}

#[test]
fn the_calculators_print_call_text() {
    for case in vectors("schedules.json") {
        let name = case["name"].as_str().unwrap();
        let request = case["request"].to_string();
        check_call("schedule", name, request.as_bytes());
        let disclose = json!({ "schedule": case["request"] }).to_string();
        check_call("disclose", name, disclose.as_bytes());
    }
    for case in vectors("apr.json") {
        let request = case["request"].to_string();
        check_call("apr", case["name"].as_str().unwrap(), request.as_bytes());
    }
    for case in vectors("subsidy.json") {
        let mut request = serde_json::Map::new();
        for key in ["schedule", "program", "subsidyUsed"] {
            if let Some(value) = case.get(key) {
                request.insert(key.to_owned(), value.clone());
            }
        }
        let request = Value::Object(request).to_string();
        check_call(
            "subsidy",
            case["name"].as_str().unwrap(),
            request.as_bytes(),
        );
    }
    // Refusals: the one envelope, whatever the operation.
    check_call("schedule", "malformed", br#"{"principal":"1e4"}"#);
    check_call("apr", "truncated", b"{");
    check_call("subsidy", "array", b"[]");
}

fn bundle_now() -> String {
    let payload: Value =
        serde_json::from_slice(&std::fs::read(repo("tests/fixtures/bundle/bundle.json")).unwrap())
            .unwrap();
    payload["issuedAt"].as_str().unwrap().to_owned()
}

#[test]
fn quote_and_assess_print_the_engines_text() {
    let now = bundle_now();
    let bundle = repo("tests/fixtures/bundle/bundle.signed.json");
    let root = repo("tests/fixtures/bundle/root.json");
    let (engine, _) = Engine::load(
        &std::fs::read(&bundle).unwrap(),
        &std::fs::read(&root).unwrap(),
        None,
        &now,
        None,
    )
    .unwrap();
    let args = |op: &'static str| [op, "--bundle", &bundle, "--root", &root, "--now", &now, "-"];
    for request in [
        r#"{"productId":"card-installment","amount":"12000.00","termMonths":12}"#,
        r#"{"productId":"consumer-loan","amount":"50000.00","termMonths":36,"band":"B"}"#,
        r#"{"productId":"micro-daily","amount":"60000.00","termMonths":12}"#,
    ] {
        let library = puhui::api::quote_text(&engine, request.as_bytes());
        check(request, &args("quote"), request.as_bytes(), library);
    }
    for applicant in [
        r#"{"age":17,"residency":"US","monthlyIncome":6000}"#,
        r#"{"age":45,"residency":"CN","monthlyIncome":8000,"existingRepayments":1500,"housing":"own"}"#,
    ] {
        let library = puhui::api::assess_text(&engine, applicant.as_bytes());
        check(applicant, &args("assess"), applicant.as_bytes(), library);
    }
}

#[test]
fn lint_prints_the_studios_report() {
    for path in [
        "data/sample-bundle.json",
        "tests/fixtures/bundle/bundle.json",
    ] {
        let payload = std::fs::read(repo(path)).unwrap();
        let report = puhui::lint::LintReport::new(puhui::lint::lint(&payload));
        let library = serde_json::to_string(&report).unwrap();
        check(path, &["lint", &repo(path)], b"", Ok(library));
    }
}

#[test]
fn assess_with_a_model_prints_the_assess_operation() {
    let card = std::fs::read_to_string(repo("tests/scorecard/card.json")).unwrap();
    let model = std::fs::read_to_string(repo("tests/scorecard/model.json"))
        .unwrap()
        .replace("\"see card.json (the test inserts it)\"", &card);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.json");
    std::fs::write(&path, &model).unwrap();
    let model: Value = serde_json::from_str(&model).unwrap();
    // The last two are refusals: a key past the request gate's length limit, a wrong type.
    for applicant in [
        json!({"age": 45, "residency": "CN", "monthlyIncome": 8000, "existingRepayments": 1500, "housing": "own"}),
        json!({"age": 17, "residency": "US", "monthlyIncome": 6000}),
        json!({"age": 30, "k".repeat(300): 1}),
        json!(["not", "an", "object"]),
    ] {
        let request = json!({ "model": model, "applicant": applicant }).to_string();
        let library = puhui::api::call_text("assess", request.as_bytes());
        let args = ["assess", "--model", path.to_str().unwrap()];
        check(
            &applicant.to_string(),
            &args,
            applicant.to_string().as_bytes(),
            library,
        );
    }
}
