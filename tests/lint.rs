//! `lint` on the sample bundle and on drafts with one planted problem each: every problem is
//! found with its code and JSON path, and the clean sample has no errors. The sample is also
//! checked against the required/enum structure of `docs/bundle-schema.json`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use puhui::lint::{lint, Diagnostic, LintReport, Severity};
use serde_json::{json, Value};
use std::path::PathBuf;

fn repo_file(path: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn sample() -> Value {
    serde_json::from_slice(&repo_file("data/sample-bundle.json")).unwrap()
}

fn lint_value(payload: &Value) -> Vec<Diagnostic> {
    lint(&serde_json::to_vec(payload).unwrap())
}

/// Plants one problem with `edit` and expects a finding with `code` at `path`.
fn check(edit: impl Fn(&mut Value), severity: Severity, code: &str, path: &str) {
    let mut payload = sample();
    edit(&mut payload);
    let found = lint_value(&payload);
    assert!(
        found
            .iter()
            .any(|d| d.code == code && d.path == path && d.severity == severity),
        "expected {severity:?} {code} at {path}, got {found:#?}"
    );
}

#[test]
fn the_sample_bundle_has_no_errors_and_flags_the_future_cap() {
    let found = lint_value(&sample());
    let report = LintReport::new(found.clone());
    assert!(report.ok, "{found:#?}");
    // The daily-rate product is honest about the 4 × LPR line that starts after issue.
    assert!(found.iter().any(|d| d.code == "breaks-future-cap"
        && d.path == "products[1].price[0]"
        && d.severity == Severity::Warning));
    // The committed exemplar is exactly the sample.
    assert_eq!(
        repo_file("tests/fixtures/bundle/bundle.json"),
        repo_file("data/sample-bundle.json")
    );
}

#[test]
fn every_unknown_field_is_reported_with_its_path() {
    let mut payload = sample();
    payload["products"][0]["colour"] = json!("red");
    payload["products"][2]["price"][1]["when"]["bandz"] = json!(["A"]);
    payload["extra"] = json!(1);
    let found = lint_value(&payload);
    for path in [
        "products[0].colour",
        "products[2].price[1].when.bandz",
        "extra",
    ] {
        assert!(
            found
                .iter()
                .any(|d| d.code == "unknown-field" && d.path == path),
            "{path}: {found:#?}"
        );
    }
}

#[test]
fn planted_problems_are_found_with_paths() {
    use Severity::{Error, Warning};
    // First-hit price tables.
    check(
        |p| {
            p["products"][0]["price"]
                .as_array_mut()
                .unwrap()
                .push(json!({"when": {"band": ["A"]}, "annualRate": "0.2"}))
        },
        Error,
        "shadowed-price-row",
        "products[0].price[3]",
    );
    check(
        |p| {
            p["products"][0]["price"]
                .as_array_mut()
                .unwrap()
                .push(json!({"when": {"band": ["A", "D"]}, "annualRate": "0.2"}))
        },
        Warning,
        "overlapping-price-rows",
        "products[0].price[3]",
    );
    check(
        |p| p["products"][2]["price"][0]["when"]["termMonths"] = json!([9]),
        Error,
        "unreachable-price-row",
        "products[2].price[0]",
    );
    // A product whose most expensive offer breaks its own cap.
    check(
        |p| p["products"][1]["price"][0]["dailyRate"] = json!("0.0008"),
        Error,
        "breaks-cap",
        "products[1].price[0]",
    );
    check(
        |p| p["products"][0]["price"][2]["annualRate"] = json!("0.25"),
        Error,
        "breaks-cap",
        "products[0].price[2]",
    );
    // Unknown references.
    check(
        |p| {
            p["products"][0]["caps"]
                .as_array_mut()
                .unwrap()
                .push(json!("nope"))
        },
        Error,
        "unknown-reference",
        "products[0].caps[1]",
    );
    check(
        |p| p["products"][0]["subsidyPrograms"][0] = json!("cn-consumer-loan-2099"),
        Error,
        "unknown-reference",
        "products[0].subsidyPrograms[0]",
    );
    check(
        |p| p["products"][0]["promotions"][1] = json!("free-money"),
        Error,
        "unknown-reference",
        "products[0].promotions[1]",
    );
    // Amounts and terms.
    check(
        |p| p["products"][2]["amount"]["min"] = json!("60000.00"),
        Error,
        "amount-range",
        "products[2].amount",
    );
    check(
        |p| p["products"][0]["amount"]["step"] = json!("300.00"),
        Error,
        "amount-step",
        "products[0].amount.step",
    );
    check(
        |p| p["products"][0]["terms"] = json!([]),
        Error,
        "terms-empty",
        "products[0].terms",
    );
    check(
        |p| p["products"][0]["terms"][0] = json!(601),
        Error,
        "invalid-term",
        "products[0].terms[0]",
    );
    // Duplicate ids.
    check(
        |p| p["products"][1]["id"] = json!("consumer-loan"),
        Error,
        "duplicate-id",
        "products[1].id",
    );
    check(
        |p| p["promotions"][1]["id"] = json!("interest-free-30"),
        Error,
        "duplicate-id",
        "promotions[1].id",
    );
    // Texts.
    check(
        |p| {
            p["texts"]["en"]
                .as_object_mut()
                .unwrap()
                .remove("disclaimer");
        },
        Error,
        "missing-text",
        "texts.en.disclaimer",
    );
    check(
        |p| {
            p["texts"]["en"]
                .as_object_mut()
                .unwrap()
                .remove("disclaimer");
        },
        Error,
        "missing-text",
        "products[0].texts[1]",
    );
    check(
        |p| {
            p["texts"].as_object_mut().unwrap().remove("en");
        },
        Error,
        "missing-language",
        "texts.en",
    );
    // Values the engine would refuse.
    check(
        |p| p["caps"][0]["basis"] = json!("apr"),
        Error,
        "invalid-cap",
        "caps[0].basis",
    );
    check(
        |p| p["promotions"][0]["promotion"]["days"] = json!(0),
        Error,
        "invalid-promotion",
        "promotions[0].promotion.days",
    );
    check(
        |p| p["schema"] = json!("puhui.bundle/v2"),
        Error,
        "unsupported-schema",
        "schema",
    );
    // A listed cap that does not bind the product's institution type.
    check(
        |p| {
            p["products"][2]["caps"]
                .as_array_mut()
                .unwrap()
                .push(json!("private-lending-4lpr"))
        },
        Warning,
        "cap-not-applicable",
        "products[2].caps[1]",
    );
}

#[test]
fn the_strict_gate_runs_first() {
    let text = String::from_utf8(repo_file("data/sample-bundle.json")).unwrap();
    let twice = text.replacen("\"version\": 1,", "\"version\": 1, \"version\": 2,", 1);
    let found = lint(twice.as_bytes());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "duplicate-key");
    assert_eq!(found[0].path, "version");
    let found = lint(b"{not json");
    assert_eq!(found[0].severity, Severity::Error);
}

/// The schema's own `required` and `enum` lists, walked over the sample (a deliberately small
/// check: no validator crate in the core).
fn conforms(schema: &Value, defs: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            &defs[name]
        }
        None => schema,
    };
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            problems.push(format!("{path}: {value} not in enum"));
        }
    }
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        let ok = match expected {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            problems.push(format!("{path}: not {expected}"));
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !object.contains_key(required.as_str().unwrap()) {
                problems.push(format!("{path}: missing {required}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, child) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(child_schema) => conforms(
                    child_schema,
                    defs,
                    child,
                    &format!("{path}.{key}"),
                    problems,
                ),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        problems.push(format!("{path}.{key}: not in schema"))
                    }
                    Some(extra) if extra.is_object() => {
                        conforms(extra, defs, child, &format!("{path}.{key}"), problems)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (idx, item) in array.iter().enumerate() {
            conforms(items, defs, item, &format!("{path}[{idx}]"), problems);
        }
    }
}

#[test]
fn the_sample_matches_the_documented_json_schema() {
    let schema: Value = serde_json::from_slice(&repo_file("docs/bundle-schema.json")).unwrap();
    assert_eq!(
        schema["$schema"],
        json!("https://json-schema.org/draft/2020-12/schema")
    );
    let defs = schema["$defs"].clone();
    let mut problems = Vec::new();
    conforms(&schema, &defs, &sample(), "$", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    // The check can fail: a planted unknown field and a bad enum value are caught.
    let mut bad = sample();
    bad["products"][0]["colour"] = json!("red");
    bad["products"][0]["kind"] = json!("mortgage");
    let mut problems = Vec::new();
    conforms(&schema, &defs, &bad, "$", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

#[test]
fn parties_missing_funder_unattributed_fees_and_unknown_or_duplicate_parties_are_errors() {
    check(
        |p| p["products"][0]["parties"] = json!([]),
        Severity::Error,
        "no-funder",
        "products[0].parties",
    );
    check(
        |p| {
            p["products"][0].as_object_mut().unwrap().remove("parties");
        },
        Severity::Error,
        "no-funder",
        "products[0].parties",
    );
    check(
        |p| {
            p["products"][3]["fees"][0]
                .as_object_mut()
                .unwrap()
                .remove("party");
        },
        Severity::Error,
        "fee-without-party",
        "products[3].fees[0].party",
    );
    check(
        |p| p["products"][3]["fees"][2]["party"] = json!("platform-elsewhere"),
        Severity::Error,
        "unknown-reference",
        "products[3].fees[2].party",
    );
    check(
        |p| p["products"][3]["parties"][3]["id"] = json!("guarantor-wenxin"),
        Severity::Error,
        "duplicate-id",
        "products[3].parties[3].id",
    );
    check(
        |p| p["products"][2]["parties"][1]["role"] = json!("funder"),
        Severity::Error,
        "multiple-funders",
        "products[2].parties[1].role",
    );
    check(
        |p| p["products"][3]["parties"][0]["legalName"]["en"] = json!("Another Bank"),
        Severity::Error,
        "conflicting-party",
        "products[3].parties[0]",
    );
    check(
        |p| p["products"][1]["parties"][0]["licence"]["zh-CN"] = json!(" "),
        Severity::Error,
        "invalid-bundle",
        "products[1].parties[0].licence.zh-CN",
    );
}

#[test]
fn every_party_problem_of_a_draft_is_reported_at_once() {
    let mut payload = sample();
    payload["products"][0]["parties"] = json!([]);
    payload["products"][3]["fees"][0]
        .as_object_mut()
        .unwrap()
        .remove("party");
    payload["products"][3]["fees"][1]["party"] = json!("nobody");
    payload["products"][3]["parties"][3]["id"] = json!("platform-yunfan");
    let found = lint_value(&payload);
    let errors: Vec<(&str, &str)> = found
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    for expected in [
        ("no-funder", "products[0].parties"),
        ("fee-without-party", "products[3].fees[0].party"),
        ("unknown-reference", "products[3].fees[1].party"),
        ("duplicate-id", "products[3].parties[3].id"),
    ] {
        assert!(errors.contains(&expected), "{expected:?} in {errors:#?}");
    }
    // Each problem once, not again from the compiler's own first-error check.
    let mut unique = errors.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), errors.len(), "{errors:#?}");
}
