#![allow(clippy::expect_used)]
//! Helpers shared by the integration tests: reading the vector files in `tests/vectors`, a
//! seeded generator, and the coverage check of generated cases.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// Path of a file in `tests/vectors` (the project's copy of `shared/spec/vectors`).
pub fn vector_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name)
}

/// Every case of a vector file.
pub fn vectors(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(vector_path(name)).expect("vector file");
    let value: Value = serde_json::from_str(&text).expect("vector JSON");
    value
        .as_array()
        .expect("vector file holds an array")
        .clone()
}

/// Calls the JSON API the way every front door does.
pub fn call(operation: &str, request: &Value) -> Result<Value, puhui::ApiError> {
    puhui::api::call(operation, request.to_string().as_bytes())
}

/// A xorshift stream for generated cases: `next(n)` is in `0..n` (the crate's own generator,
/// `schedule::test_cases`, is `#[cfg(test)]` and out of an integration test's reach).
pub fn stream(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |bound| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound.max(1)
    }
}

/// Asserts that some compared text contains each of `markers`, so generated cases reached every
/// branch they are meant to test.
pub fn assert_seen(texts: &[String], markers: &[&str]) {
    for marker in markers {
        assert!(
            texts.iter().any(|text| text.contains(marker)),
            "no compared response contains {marker}"
        );
    }
}
