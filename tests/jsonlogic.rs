//! puhui's JSONLogic evaluator against the reference implementation's outputs.
//!
//! `tests/jsonlogic/cases.json` holds the official JSONLogic tests for the supported operators
//! plus knock-out-shaped and coercion cases; each `expected` was produced by `json-logic-js`
//! (`node tests/jsonlogic/compare.mjs --write`, checked again by running it without `--write`).
//! Numbers compare within 1e-12 relative: puhui computes in exact decimals, JavaScript in doubles.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

use puhui::score::json::{parse, Num, Value};
use puhui::score::jsonlogic::apply;
use rust_decimal::Decimal;
use std::str::FromStr;

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/jsonlogic/cases.json");
    let text = std::fs::read(path).expect("cases.json");
    match parse(&text).expect("cases.json parses") {
        Value::Array(items) => items,
        other => panic!("cases.json is not an array: {other:?}"),
    }
}

/// The reference encoding of non-finite numbers, decoded.
fn decode(value: &Value) -> Value {
    match value {
        Value::Object(members) => match value.get("$number") {
            Some(Value::String(name)) => Value::Number(match name.as_str() {
                "NaN" => Num::NaN,
                "Infinity" => Num::PosInf,
                _ => Num::NegInf,
            }),
            _ => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), decode(v)))
                    .collect(),
            ),
        },
        Value::Array(items) => Value::Array(items.iter().map(decode).collect()),
        other => other.clone(),
    }
}

fn close(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(Num::Finite(a)), Value::Number(Num::Finite(b))) => {
            let tolerance =
                Decimal::from_str("0.000000000001").unwrap() * b.abs().max(Decimal::ONE);
            (a - b).abs() <= tolerance
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && close(va, vb))
        }
        (a, b) => a == b,
    }
}

#[test]
fn evaluator_matches_json_logic_js() {
    let cases = cases();
    assert!(cases.len() > 250, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    for (idx, case) in cases.iter().enumerate() {
        let rule = case.get("rule").expect("rule");
        let data = case.get("data").expect("data");
        let expected = case
            .get("expected")
            .expect("expected (run compare.mjs --write)");
        let got = apply(rule, data);
        let ok = match (expected.get("$throws"), &got) {
            (Some(_), result) => result.is_err(),
            (None, Ok(value)) => close(value, &decode(expected)),
            (None, Err(_)) => false,
        };
        if !ok {
            failures.push(format!(
                "case {idx}: rule {:?} data {:?}: puhui {got:?}, json-logic-js {expected:?}",
                rule.to_serde().to_string(),
                data.to_serde().to_string()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn official_cases_are_included() {
    let official = cases()
        .iter()
        .filter(|c| c.get("source") == Some(&Value::String("jsonlogic.com/tests.json".into())))
        .count();
    // All 278 cases of the official suite: the array operators, merge and substr included.
    assert!(official >= 278, "{official}");
    for op in [
        "all", "some", "none", "map", "filter", "reduce", "merge", "substr",
    ] {
        let count = cases()
            .iter()
            .filter(|c| c.get("source") == Some(&Value::String("jsonlogic.com/tests.json".into())))
            .filter(|c| {
                puhui::score::jsonlogic::operation(c.get("rule").unwrap())
                    .is_some_and(|(o, _)| o == op)
            })
            .count();
        assert!(count >= 2, "{op}: {count} official cases");
    }
}

#[test]
fn hostile_rules_fail_cleanly() {
    let deep = "{\"!\":".repeat(60) + "true" + &"}".repeat(60);
    assert!(apply(&parse(deep.as_bytes()).unwrap(), &Value::Null).is_ok());
    let huge = format!("{{\"*\":[{},10]}}", "9".repeat(28));
    let rule = parse(huge.as_bytes()).unwrap();
    assert_eq!(
        apply(&rule, &Value::Null).map_err(|e| e.code()),
        Err("overflow")
    );
    let rule = parse(br#"{"*":[{"var":"a"},{"var":"a"},{"var":"a"}]}"#).unwrap();
    let data = parse(format!("{{\"a\":{}}}", "9".repeat(20)).as_bytes()).unwrap();
    assert_eq!(apply(&rule, &data).map_err(|e| e.code()), Err("overflow"));
}

#[test]
fn array_operators_run_within_an_operation_budget() {
    use puhui::score::jsonlogic::apply_with_budget;
    // The knock-out rule the issue names: any past delinquency over 90 days.
    let rule = parse(br#"{"some":[{"var":"delinquencies"},{">":[{"var":"days"},90]}]}"#).unwrap();
    let late = parse(br#"{"delinquencies":[{"days":30},{"days":91}]}"#).unwrap();
    let fine = parse(br#"{"delinquencies":[{"days":30},{"days":90}]}"#).unwrap();
    assert_eq!(apply(&rule, &late).unwrap(), Value::Bool(true));
    assert_eq!(apply(&rule, &fine).unwrap(), Value::Bool(false));
    // Each element costs steps: a 2-element scan takes a handful, so a budget of 5 refuses it.
    assert_eq!(
        apply_with_budget(&rule, &late, 5).map_err(|e| e.code()),
        Err("operation-budget-exceeded")
    );
    // Work that grows with the data is bounded: a nested map over 1,000 × 1,000 elements
    // would take millions of steps and is refused with a typed error.
    let thousand = format!("[{}]", vec!["1"; 1000].join(","));
    let data = parse(format!("{{\"xs\":{thousand}}}").as_bytes()).unwrap();
    let nested = parse(br#"{"map":[{"var":"xs"},{"map":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110],{"var":""}]}]}"#).unwrap();
    assert_eq!(
        apply(&nested, &data).map_err(|e| e.code()),
        Err("operation-budget-exceeded")
    );
    // The same scan over 1,000 elements is well inside the budget.
    let scan = parse(br#"{"all":[{"var":"xs"},{"==":[{"var":""},1]}]}"#).unwrap();
    assert_eq!(apply(&scan, &data).unwrap(), Value::Bool(true));
}
