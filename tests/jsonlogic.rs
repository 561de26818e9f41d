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
    assert!(official >= 200, "{official}");
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
