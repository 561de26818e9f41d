#![allow(clippy::expect_used)]
//! Helpers shared by the integration tests: reading the vector files in `tests/vectors`, a
//! seeded generator, and the coverage check of generated cases.
#![allow(dead_code)]

use serde_json::{json, Value};
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

/// Every variant of `value` with one node replaced by one of `replacements`, one key removed or
/// one key (`zz`) added, at every depth: the mutations the reader tests compare the hand-written
/// readers with serde on.
pub fn mutations(value: &Value, replacements: &[Value]) -> Vec<Value> {
    mutations_within(value, replacements, &["zz"], usize::MAX)
}

/// [`mutations`] down to `depth` levels below `value`, adding each of `extra_keys` (value 1) to
/// every object instead of `zz` alone.
pub fn mutations_within(
    value: &Value,
    replacements: &[Value],
    extra_keys: &[&str],
    depth: usize,
) -> Vec<Value> {
    let mut out = replacements.to_vec();
    if depth == 0 {
        return out;
    }
    let below = |child: &Value| mutations_within(child, replacements, extra_keys, depth - 1);
    match value {
        Value::Object(map) => {
            for key in map.keys() {
                let mut removed = map.clone();
                removed.remove(key);
                out.push(Value::Object(removed));
                for child in below(&map[key]) {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), child);
                    out.push(Value::Object(changed));
                }
            }
            for extra_key in extra_keys {
                let mut extra = map.clone();
                extra.insert((*extra_key).into(), json!(1));
                out.push(Value::Object(extra));
            }
        }
        Value::Array(items) => {
            for (idx, item) in items.iter().enumerate() {
                for child in below(item) {
                    let mut changed = items.clone();
                    changed[idx] = child;
                    out.push(Value::Array(changed));
                }
            }
            out.push(Value::Array(Vec::new()));
        }
        _ => {}
    }
    out
}

/// Text variants of `value`: compact, pretty, the first key duplicated, the first key moved
/// last, and every object's keys in reverse order (serde_json's `Value` writes them sorted).
pub fn texts(value: &Value) -> Vec<Vec<u8>> {
    let compact = serde_json::to_string(value).expect("JSON text");
    let pretty = serde_json::to_string_pretty(value).expect("JSON text");
    let mut out = vec![compact.clone().into_bytes(), pretty.into_bytes()];
    if let Value::Object(map) = value {
        if let Some((key, first)) = map.iter().next() {
            let dup = format!("{{{}:{},{}", json!(key), first, &compact[1..]);
            out.push(dup.into_bytes());
            if map.len() > 1 {
                let mut reordered = compact[1..compact.len() - 1].to_string();
                reordered.push_str(&format!(",{}:{}", json!(key), first));
                out.push(format!("{{{reordered}}}").into_bytes());
            }
        }
    }
    out.push(reversed(value).into_bytes());
    out
}

/// `value` as compact JSON text with every object's members in reverse key order.
pub fn reversed(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let members: Vec<String> = map
                .iter()
                .rev()
                .map(|(key, member)| format!("{}:{}", json!(key), reversed(member)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(reversed).collect();
            format!("[{}]", items.join(","))
        }
        other => other.to_string(),
    }
}

/// A test signing key with a fixed seed.
pub fn key(keyid: &str, seed: u8) -> puhui::bundle::KeyPair {
    puhui::bundle::KeyPair::from_seed(keyid, &[seed; 32])
}

/// A signed trust root of version `version` (threshold 1, expiring 2030) listing `members`,
/// signed by `signers`.
pub fn root(
    version: u64,
    members: &[&puhui::bundle::KeyPair],
    signers: &[&puhui::bundle::KeyPair],
) -> Vec<u8> {
    let payload = puhui::bundle::RootPayload {
        version,
        expires_at: "2030-01-01T00:00:00Z".into(),
        threshold: 1,
        keys: members
            .iter()
            .map(|k| {
                let key = puhui::bundle::RootKey {
                    alg: "ed25519".into(),
                    public: k.public_base64(),
                };
                (k.keyid.clone(), key)
            })
            .collect(),
    };
    puhui::bundle::sign_root(&payload, signers).expect("signed root")
}

/// Whole fen as the yuan text requests carry (`12345` → `"123.45"`), for fen ≥ 0.
pub fn yuan(fen: impl Into<i128>) -> String {
    let fen = fen.into();
    format!("{}.{:02}", fen / 100, fen % 100)
}
