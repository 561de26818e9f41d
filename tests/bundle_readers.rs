#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The bundle readers on `json::tree` (`Envelope`, `RootPayload`, `BundleHeader`, `BundleState`,
//! `VerifyOptions`, … `::from_node`) against the serde derives they replaced in the verifier,
//! kept on the types as the oracle: on thousands of mutations of real envelopes, roots, payload
//! headers, states and options (wrong types at every node, members removed and added,
//! reordered and pretty-printed texts), the same value or the same refusal at the same path
//! with the same message.
//!
//! The old routes, as `bundle/verify.rs` and `bundle/root.rs` ran them: a bundle envelope and its
//! payload header through a `serde_json::Value` (`strict::from_value`: members in key order, `.`
//! at the root), roots and state from their bytes (`strict::from_slice`: document order, serde's
//! message with its ` at line L column C`, which the readers leave out), options through
//! `error::from_json_slice`. Messages and paths are compared after `limits::truncate_echoes`,
//! which the readers apply as every request error does.

mod common;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use puhui::bundle::strict_json::{self, Limits, ParseError};
use puhui::bundle::{BundleHeader, BundleState, Envelope, RootPayload, VerifyOptions};
use puhui::error::ApiError;
use puhui::json::tree::{self, Node, Path};
use puhui::limits::truncate_echoes;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::fmt::Debug;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/bundle/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).unwrap()
}

fn decoded(envelope: &[u8]) -> Vec<u8> {
    let value: Value = serde_json::from_slice(envelope).unwrap();
    BASE64.decode(value["payload"].as_str().unwrap()).unwrap()
}

/// A refusal as (path, message), both cut as the readers cut them.
type Refusal = (Option<String>, String);

fn cut(path: Option<String>, message: &str) -> Refusal {
    let path = path.filter(|p| !p.is_empty() && p != ".");
    (
        path.map(|p| truncate_echoes(&p)),
        truncate_echoes(
            message
                .rsplit_once(" at line ")
                .map_or(message, |(bare, _)| bare),
        ),
    )
}

fn from_api(err: ApiError) -> Refusal {
    (err.path, err.message)
}

/// The old route through a `Value` (bundle envelope, header).
fn old_by_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Refusal> {
    let value: Value = serde_json::from_slice(bytes).unwrap();
    strict_json::from_value::<T>(&value).map_err(|(path, reason)| cut(Some(path), &reason))
}

/// The old route from the bytes (roots, state).
fn old_from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Refusal> {
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: 64,
    };
    strict_json::from_slice::<T>(bytes, limits).map_err(|err| match err {
        ParseError::Strict(err) => panic!("gated document refused: {err}"),
        ParseError::Shape { path, reason } => cut(Some(path), &reason),
    })
}

fn new_read<T>(
    bytes: &[u8],
    read: impl Fn(&Node<'_>, &Path<'_>) -> Result<T, ApiError>,
) -> Result<T, Refusal> {
    let node = tree::parse(bytes).unwrap();
    read(&node, &Path::Root).map_err(from_api)
}

/// Compares one document; returns whether it was refused.
fn same<T: PartialEq + Debug>(
    what: &str,
    bytes: &[u8],
    old: Result<T, Refusal>,
    new: Result<T, Refusal>,
) -> bool {
    let text = String::from_utf8_lossy(bytes);
    assert_eq!(old, new, "{what}: {text}");
    old.is_err()
}

/// Every variant of `value` with one node replaced, one key removed or one key added (`zz` and
/// near misses of the envelope's own keys), down to `depth` levels.
fn mutations(value: &Value, depth: usize) -> Vec<Value> {
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(12),
        json!(18446744073709551615u64),
        json!(4294967296u64),
        json!(1.5),
        json!(-0.5),
        json!("x"),
        json!("2026-01-01T00:00:00Z"),
        json!([]),
        json!({}),
        json!([1, "a"]),
        json!({"zz": 1}),
        json!([{"keyid": "k", "sig": "AA=="}]),
        json!({"alg": "ed25519", "public": "x"}),
        json!({"version": 1, "sha256": "ab"}),
    ];
    common::mutations_within(
        value,
        &replacements,
        &["zz", "A", "payloadTypf", "keyid"],
        depth,
    )
}

/// Text variants: compact, pretty, and with the members in reverse order (the routes that read
/// in document order must meet the failures in that order).
fn texts(value: &Value) -> Vec<Vec<u8>> {
    let mut out = vec![
        serde_json::to_vec(value).unwrap(),
        serde_json::to_vec_pretty(value).unwrap(),
    ];
    if let Value::Object(map) = value {
        let members: Vec<String> = map
            .iter()
            .rev()
            .map(|(key, member)| format!("{}:{}", json!(key), member))
            .collect();
        out.push(format!("{{{}}}", members.join(",")).into_bytes());
    }
    out
}

fn all_texts(base: &Value, depth: usize) -> Vec<Vec<u8>> {
    let mut out = texts(base);
    for mutated in mutations(base, depth) {
        out.extend(texts(&mutated));
        // Two failures at once: which one is met first depends on the order members are read.
        if let Value::Object(map) = &mutated {
            for extra_key in ["A", "zz"] {
                let mut extra = map.clone();
                extra.insert(extra_key.into(), json!(1));
                out.extend(texts(&Value::Object(extra)));
            }
        }
    }
    out
}

fn count(what: &str, refused: usize, total: usize) {
    println!("{what}: {total} documents, {refused} refused");
    assert!(total > 100 && refused > 50 && refused < total, "{what}");
}

#[test]
fn bundle_envelopes_read_as_the_value_route_read_them() {
    let base: Value = serde_json::from_slice(&fixture("bundle.signed.json")).unwrap();
    let (mut refused, mut total) = (0, 0);
    for bytes in all_texts(&base, 3) {
        total += 1;
        let old = old_by_value::<Envelope>(&bytes);
        let new = new_read(&bytes, |n, p| Envelope::from_node(n, p, true));
        refused += usize::from(same("envelope", &bytes, old, new));
    }
    count("bundle envelopes", refused, total);
}

#[test]
fn root_envelopes_and_payloads_read_in_document_order() {
    let envelope_bytes = fixture("root.json");
    let base: Value = serde_json::from_slice(&envelope_bytes).unwrap();
    let (mut refused, mut total) = (0, 0);
    for bytes in all_texts(&base, 3) {
        total += 1;
        let old = old_from_slice::<Envelope>(&bytes);
        let new = new_read(&bytes, |n, p| Envelope::from_node(n, p, false));
        refused += usize::from(same("root envelope", &bytes, old, new));
    }
    let payload: Value = serde_json::from_slice(&decoded(&envelope_bytes)).unwrap();
    for bytes in all_texts(&payload, 4) {
        total += 1;
        let old = old_from_slice::<RootPayload>(&bytes);
        let new = new_read(&bytes, RootPayload::from_node);
        refused += usize::from(same("root payload", &bytes, old, new));
    }
    count("roots", refused, total);
}

#[test]
fn payload_headers_read_as_the_value_route_read_them() {
    let payload: Value = serde_json::from_slice(&decoded(&fixture("bundle.signed.json"))).unwrap();
    // The header members and a few content members (skipped by both).
    let mut base = serde_json::Map::new();
    for (key, value) in payload.as_object().unwrap() {
        if !matches!(value, Value::Array(_)) || key == "products" {
            base.insert(key.clone(), value.clone());
        }
    }
    let base = Value::Object(base);
    let (mut refused, mut total) = (0, 0);
    for bytes in all_texts(&base, 1) {
        total += 1;
        let old = old_by_value::<BundleHeader>(&bytes);
        let new = new_read(&bytes, BundleHeader::from_node);
        refused += usize::from(same("header", &bytes, old, new));
    }
    count("headers", refused, total);
}

#[test]
fn states_read_in_document_order() {
    let root: Value = serde_json::from_slice(&fixture("root.json")).unwrap();
    let base = json!({
        "latestKnownTime": "2026-05-01T00:00:00Z",
        "bundles": [
            {"bundleId": "acme", "channel": "production", "version": 3, "sha256": "ab",
             "issuedAt": "2026-05-01T00:00:00Z", "rootVersion": 2},
            {"bundleId": "acme", "channel": "preview", "version": 1, "sha256": "cd",
             "issuedAt": "2026-04-01T00:00:00Z"}
        ],
        "root": {"version": 2, "sha256": "ef"},
        "rootChain": [root]
    });
    let (mut refused, mut total) = (0, 0);
    for bytes in all_texts(&base, 4) {
        total += 1;
        let old = old_from_slice::<BundleState>(&bytes);
        let new = new_read(&bytes, BundleState::from_node);
        refused += usize::from(same("state", &bytes, old, new));
    }
    count("states", refused, total);
}

#[test]
fn options_read_as_the_request_route_read_them() {
    let base = json!({
        "channel": "production", "maxBytes": 1048576, "maxDepth": 32,
        "previewAllowed": false, "minRootVersion": 1
    });
    let (mut refused, mut total) = (0, 0);
    for bytes in all_texts(&base, 1) {
        total += 1;
        let old = puhui::error::from_json_slice::<VerifyOptions>(&bytes);
        let new = VerifyOptions::from_json(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        match (&old, &new) {
            (Ok(old), Ok(new)) => assert_eq!(old, new, "{text}"),
            (Err(old), Err(new)) => {
                assert_eq!(old, new, "{text}");
                refused += 1;
            }
            _ => panic!("options {text}: old {old:?}, new {new:?}"),
        }
    }
    count("options", refused, total);
    // usize is the target's: beyond it is serde's "invalid value".
    let err = VerifyOptions::from_json(br#"{"maxBytes": -1}"#).unwrap_err();
    assert_eq!(err.message, "invalid value: integer `-1`, expected usize");
}

#[test]
fn documented_differences() {
    // A float is echoed as written (serde printed its f64: `100.0`), and there is no position.
    let err = new_read(br#"{"version": 1e2}"#, RootPayload::from_node).unwrap_err();
    assert_eq!(
        err,
        (
            Some("version".to_owned()),
            "invalid type: floating point `1e2`, expected u64".to_owned()
        )
    );
    let old = old_from_slice::<RootPayload>(br#"{"version": 1e2}"#).unwrap_err();
    assert_eq!(old.1, "invalid type: floating point `100.0`, expected u64");
}

#[test]
fn a_header_refused_at_its_root_was_at_path_dot() {
    // The verifier writes `payload.{path}`; serde's root `.` made it `payload..`, kept as it was.
    let value = json!({"schema": "puhui.bundle/v1"});
    let (path, reason) = strict_json::from_value::<BundleHeader>(&value).unwrap_err();
    assert_eq!(
        (path.as_str(), reason.as_str()),
        (".", "missing field `bundleId`")
    );
}

#[test]
fn options_that_fail_the_gate_keep_their_codes() {
    for (text, code, path) in [
        (
            &br#"{"channel": "a", "channel": "b"}"#[..],
            "duplicate-key",
            Some("channel"),
        ),
        (br#"{"channel": "a""#, "malformed-json", None),
        (br#"{"maxBytes": 1e400}"#, "out-of-range", Some("maxBytes")),
    ] {
        let old = puhui::error::from_json_slice::<VerifyOptions>(text).unwrap_err();
        let new = VerifyOptions::from_json(text).unwrap_err();
        assert_eq!((old.code.as_str(), new.code.as_str()), (code, code));
        // Where a truncated document broke: serde's position recovery said `?`, the gate says
        // the root.
        if code != "malformed-json" {
            assert_eq!((old.path.as_deref(), new.path.as_deref()), (path, path));
        }
    }
}
