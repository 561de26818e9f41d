//! Regression tests for the reliability and security findings of issue 13 (core side):
//! signed-only promotions, versions at the 2^53 boundary, the clock-skew and fast-forward
//! policy, bounded work per request with short error echoes, and the one bundle-id rule.
//! Each test failed on the code before its fix; what it defends against is said above it
//! and in `docs/reliability.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{key, root};
use puhui::bundle::{
    read_signed_header, rotate_state, sign_bundle, sign_envelope, sign_root, verify, BundleState,
    KeyPair, RootKey, RootPayload, TrustedRoot, VerifyOptions, BUNDLE_PAYLOAD_TYPE,
};
use puhui::date::parse_rfc3339;
use puhui::engine::Engine;
use puhui::limits;
use puhui::ErrorCode;
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bundle")
            .join(name),
    )
    .unwrap()
}

fn exemplar_now() -> String {
    let payload: Value = serde_json::from_slice(&fixture("bundle.json")).unwrap();
    payload["issuedAt"].as_str().unwrap().to_owned()
}

fn payload(version: u64, root_version: u64, issued_at: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schema": "puhui.bundle/v1", "bundleId": "acme", "channel": "production",
        "version": version, "issuedAt": issued_at, "expiresAt": "2029-01-01T00:00:00Z",
        "minEngineVersion": "0.1.0", "rootVersion": root_version, "products": []
    }))
    .unwrap()
}

fn raw_signed(payload: &[u8], signers: &[&KeyPair]) -> Vec<u8> {
    serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, payload, signers)).unwrap()
}

const NOW: &str = "2026-06-01T00:00:00Z";

fn t(text: &str) -> i64 {
    parse_rfc3339(text).unwrap()
}

// Finding 1: an inline promotion (a coupon object) must not move a production price.
#[test]
fn inline_promotions_only_in_preview() {
    let (engine, _) = Engine::load(
        &fixture("bundle.signed.json"),
        &fixture("root.json"),
        None,
        &exemplar_now(),
        None,
    )
    .unwrap();
    let request = json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12,
        "band": "A", "promotions": ["interest-free-30",
        {"kind": "rate-discount", "fraction": "1", "periods": 12}]});
    let err = puhui::api::quote_text(&engine, request.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code, "unsigned-promotion");
    assert_eq!(err.path.as_deref(), Some("promotions[1]"));
    // Named promotions from the signed list still apply.
    let named = json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12,
        "band": "A", "promotions": ["interest-free-30"]});
    assert!(puhui::api::quote_text(&engine, named.to_string().as_bytes()).is_ok());

    // In preview mode (an unsigned draft, every output marked) the coupon is a tool.
    let draft = fixture("bundle.json");
    let unsigned = serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, &draft, &[])).unwrap();
    let (preview, _) = Engine::load(
        &unsigned,
        &fixture("root.json"),
        None,
        &exemplar_now(),
        Some(br#"{"previewAllowed": true}"#),
    )
    .unwrap();
    let quoted: Value = serde_json::from_str(
        &puhui::api::quote_text(&preview, request.to_string().as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(quoted["preview"], json!(true));
    // And the stateless subsidy operation keeps taking inline promotions.
    let subsidy = json!({"schedule": {"principal": "10000.00", "annualRate": "0.072",
        "termMonths": 12, "method": "equal-installment"},
        "program": {"rate": "0.01", "maxShareOfContractRate": "0.5", "perBorrowerCap": "3000.00"},
        "promotions": [{"kind": "rate-discount", "fraction": "0.5", "periods": 3}]});
    puhui::api::call_text("subsidy", subsidy.to_string().as_bytes()).unwrap();
}

// Finding 4: versions above 2^53 - 1 are refused at signing and at verifying; the boundary
// value itself is accepted (JS round-trip of it is in tests/js/reliability.test.mjs).
#[test]
fn versions_above_two_to_the_53_are_refused_everywhere() {
    let a = key("a", 1);
    let pinned = TrustedRoot::from_pinned(&root(1, &[&a], &[&a])).unwrap();
    let max = limits::MAX_VERSION;
    assert_eq!(max, 9_007_199_254_740_991);
    let ok = sign_bundle(&payload(max, 1, NOW), &[&a]).unwrap();
    let (bundle, state) = verify(
        &ok,
        &pinned,
        &BundleState::default(),
        t(NOW),
        &VerifyOptions::default(),
    )
    .unwrap();
    assert_eq!(bundle.header().version, max);
    // The state survives a JSON round trip through an f64 reader unchanged.
    let text = serde_json::to_string(&state).unwrap();
    assert!(text.contains("9007199254740991"));
    for over in [max + 1, max + 4, u64::MAX] {
        let err = sign_bundle(&payload(over, 1, NOW), &[&a]).unwrap_err();
        assert_eq!(err.code(), "version-out-of-range");
        assert_eq!(err.path().as_deref(), Some("payload.version"));
        let forged = raw_signed(&payload(over, 1, NOW), &[&a]);
        let err = verify(
            &forged,
            &pinned,
            &BundleState::default(),
            t(NOW),
            &VerifyOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.code(), "version-out-of-range");
    }
    let err = sign_bundle(&payload(3, max + 1, NOW), &[&a]).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("payload.rootVersion"));
    let payload_big_root = RootPayload {
        version: max + 1,
        expires_at: "2030-01-01T00:00:00Z".into(),
        threshold: 1,
        keys: [(
            "a".to_owned(),
            RootKey {
                alg: "ed25519".into(),
                public: a.public_base64(),
            },
        )]
        .into(),
    };
    assert_eq!(
        sign_root(&payload_big_root, &[&a]).unwrap_err().code(),
        "version-out-of-range"
    );
    // A state that claims a larger version is refused as invalid, never rounded.
    let state = format!(
        r#"{{"bundles":[{{"bundleId":"acme","channel":"production","version":{},"sha256":"00","issuedAt":"{NOW}"}}]}}"#,
        max + 1
    );
    let root_bytes = root(1, &[&a], &[&a]);
    let err = puhui::bundle::verify_json(&ok, &root_bytes, Some(state.as_bytes()), NOW, None)
        .unwrap_err();
    assert_eq!(err.code, "invalid-state");
    assert_eq!(err.path.as_deref(), Some("bundles[0].version"));
}

// Finding 8a: a validly signed bundle issued far in the future would push the latest known
// time ahead and freeze every later bundle as expired.
#[test]
fn issued_at_beyond_the_clock_skew_is_refused() {
    let a = key("a", 1);
    let pinned = TrustedRoot::from_pinned(&root(1, &[&a], &[&a])).unwrap();
    let options = VerifyOptions::default();
    let state = BundleState::default();
    let skew = limits::MAX_CLOCK_SKEW_SECONDS;
    let at = |offset: i64| puhui::date::fmt_rfc3339(t(NOW) + offset);
    let within = sign_bundle(&payload(2, 1, &at(skew)), &[&a]).unwrap();
    assert!(verify(&within, &pinned, &state, t(NOW), &options).is_ok());
    let ahead = sign_bundle(&payload(2, 1, &at(skew + 1)), &[&a]).unwrap();
    let err = verify(&ahead, &pinned, &state, t(NOW), &options).unwrap_err();
    assert_eq!(err.code(), "issued-in-future");
    assert_eq!(err.path().as_deref(), Some("payload.issuedAt"));
    // Accepted bundles cannot ratchet the bound forward: each one is judged against `now`.
    let (_, moved) = verify(&within, &pinned, &state, t(NOW), &options).unwrap();
    let next = sign_bundle(&payload(3, 1, &at(2 * skew)), &[&a]).unwrap();
    assert_eq!(
        verify(&next, &pinned, &moved, t(NOW), &options)
            .unwrap_err()
            .code(),
        "issued-in-future"
    );
    // An instant already known moves nothing and re-verifies even on a wound-back clock.
    assert!(verify(&within, &pinned, &moved, t(NOW) - 30 * 86_400, &options).is_ok());
}

// Finding 8b: a leaked key fast-forwards a bundle id to the largest version; the lender
// rotates the root, and the first bundle signed under the new root is accepted again
// (TUF's recovery), while replays of bundles from the old root stay refused.
#[test]
fn root_rotation_recovers_from_a_fast_forward() {
    let a = key("a", 1);
    let leaked = key("leaked", 2);
    let fresh = key("fresh", 3);
    let pinned = TrustedRoot::from_pinned(&root(1, &[&a, &leaked], &[&a])).unwrap();
    let options = VerifyOptions::default();
    let (_, state) = verify(
        &sign_bundle(&payload(5, 1, NOW), &[&a]).unwrap(),
        &pinned,
        &BundleState::default(),
        t(NOW),
        &options,
    )
    .unwrap();
    let attack = sign_bundle(&payload(limits::MAX_VERSION, 1, NOW), &[&leaked]).unwrap();
    let (_, frozen) = verify(&attack, &pinned, &state, t(NOW), &options).unwrap();
    let next_v6 = sign_bundle(&payload(6, 1, NOW), &[&a]).unwrap();
    assert_eq!(
        verify(&next_v6, &pinned, &frozen, t(NOW), &options)
            .unwrap_err()
            .code(),
        "rollback",
        "frozen before the rotation"
    );
    let root2 = root(2, &[&a, &fresh], &[&a, &fresh]);
    let (_, rotated) = rotate_state(&pinned, &frozen, &root2).unwrap();
    let recovered = sign_bundle(&payload(6, 2, NOW), &[&fresh]).unwrap();
    let (bundle, after) = verify(&recovered, &pinned, &rotated, t(NOW), &options).unwrap();
    assert_eq!(bundle.header().version, 6);
    assert_eq!(after.bundles[0].version, 6);
    assert_eq!(after.bundles[0].root_version, 2);
    // Replays from the old root are rollbacks now, whatever their version.
    let replay = sign_bundle(&payload(limits::MAX_VERSION, 1, NOW), &[&a]).unwrap();
    assert_eq!(
        verify(&replay, &pinned, &after, t(NOW), &options)
            .unwrap_err()
            .code(),
        "rollback"
    );
    let older = sign_bundle(&payload(5, 2, NOW), &[&fresh]).unwrap();
    assert_eq!(
        verify(&older, &pinned, &after, t(NOW), &options)
            .unwrap_err()
            .code(),
        "rollback"
    );
}

// Finding 3: bounded work per request; every JSON door refuses past the documented limits
// with `limit-exceeded` and the path of the collection.
#[test]
fn limits_refuse_past_the_documented_bounds_with_a_path() {
    let fee = json!({"kind": "service", "timing": "per-period", "rate": "0.0001"});
    let schedule = |fees: usize| {
        json!({"principal": "10000.00", "annualRate": "0.12", "termMonths": 600,
            "method": "equal-installment", "fees": vec![fee.clone(); fees]})
    };
    assert!(puhui::api::call_text(
        "schedule",
        schedule(limits::MAX_FEES).to_string().as_bytes()
    )
    .is_ok());
    let err = puhui::api::call_text(
        "schedule",
        schedule(limits::MAX_FEES + 1).to_string().as_bytes(),
    )
    .unwrap_err();
    assert_eq!(err.code, "limit-exceeded");
    assert_eq!(err.path, Some(format!("fees[{}]", limits::MAX_FEES)));

    let promo = json!({"kind": "merchant-funded", "share": "0.01"});
    let subsidy = json!({"schedule": schedule(0), "builtinPrograms": false,
        "promotions": vec![promo; limits::MAX_PROMOTIONS + 1]});
    let err = puhui::api::call_text("subsidy", subsidy.to_string().as_bytes()).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.path),
        (
            "limit-exceeded",
            Some(format!("promotions[{}]", limits::MAX_PROMOTIONS))
        )
    );

    let payments = vec![json!("100.00"); limits::MAX_PAYMENTS + 1];
    let apr = json!({"method": "cn-irr", "principal": "1000.00", "payments": payments});
    let err = puhui::api::call_text("apr", apr.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code, "limit-exceeded");

    let big = vec![b' '; limits::MAX_REQUEST_BYTES + 1];
    for op in puhui::api::OPERATIONS {
        assert_eq!(
            puhui::api::call_text(op, &big).unwrap_err().code,
            "too-large",
            "{op}"
        );
    }
}

// Finding 3 (echo): a huge unknown field name once produced an error twice its size.
#[test]
fn errors_never_echo_huge_inputs() {
    let name = "x".repeat(100_000);
    let body = format!(r#"{{"principal":"1.00","{name}":1}}"#);
    let err = puhui::api::call_text("schedule", body.as_bytes()).unwrap_err();
    assert_eq!(err.code, "limit-exceeded");
    assert!(
        err.message.len() < 300 && err.path.as_ref().is_none_or(|p| p.len() < 100),
        "{err}"
    );
    // Under the key limit, the typed parser's own message is cut too.
    let name = "y".repeat(limits::MAX_FIELD_NAME_BYTES);
    let body = format!(r#"{{"principal":"1.00","{name}":1}}"#);
    let err = puhui::api::call_text("schedule", body.as_bytes()).unwrap_err();
    assert_eq!(err.code, "unknown-field");
    assert!(!err.message.contains(&name), "{err}");
    let long_value = format!(r#"{{"principal":"{}"}}"#, "9".repeat(50_000));
    let err = puhui::api::call_text("schedule", long_value.as_bytes()).unwrap_err();
    assert!(err.message.len() < 600, "{} bytes", err.message.len());
    let err = puhui::api::call_text(&"op".repeat(10_000), b"{}").unwrap_err();
    assert!(err.message.len() < 200);
}

// Issue 14 drift: one bundle-id rule (1-128 bytes) for the verifier, the loader and publish;
// one envelope reader (standard padded base64 only) for the verifier and publish.
#[test]
fn one_id_rule_and_one_envelope_reader() {
    let a = key("a", 1);
    let with_id = |id: &str| {
        let mut value: Value = serde_json::from_slice(&payload(2, 1, NOW)).unwrap();
        value["bundleId"] = json!(id);
        serde_json::to_vec(&value).unwrap()
    };
    let long = "b".repeat(limits::MAX_ID_BYTES);
    let env = sign_bundle(&with_id(&long), &[&a]).unwrap();
    assert_eq!(
        read_signed_header(&env, 1 << 20).unwrap().bundle_id,
        long,
        "publish reads what the verifier accepts"
    );
    assert!(puhui::bundle::valid_id(&long));
    assert!(!puhui::bundle::valid_id(&format!("{long}b")));
    let err = sign_bundle(&with_id(&format!("{long}b")), &[&a]).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("payload.bundleId"));

    // URL-safe or unpadded base64 is refused by the one reader, with the verifier's code.
    // The note's `?`s encode to `/` and the length leaves padding, so both variants differ.
    let mut noted: Value = serde_json::from_slice(&payload(2, 1, NOW)).unwrap();
    noted["note"] = json!("?????????");
    let mut noted = serde_json::to_vec(&noted).unwrap();
    while noted.len() % 3 != 1 {
        noted.push(b' ');
    }
    let env = sign_bundle(&noted, &[&a]).unwrap();
    let mut value: Value = serde_json::from_slice(&env).unwrap();
    let standard = value["payload"].as_str().unwrap().to_owned();
    let unpadded = standard.trim_end_matches('=').to_owned();
    let url_safe = standard.replace('+', "-").replace('/', "_");
    for variant in [unpadded, url_safe] {
        assert_ne!(variant, standard);
        value["payload"] = json!(variant);
        let bytes = serde_json::to_vec(&value).unwrap();
        let err = read_signed_header(&bytes, 1 << 20).unwrap_err();
        assert_eq!(err.code(), "malformed");
        assert_eq!(err.path().as_deref(), Some("payload"));
    }
    // The cap comes first: an oversized input is refused before it is parsed.
    let mut huge = b"{\"payload\":\"".to_vec();
    huge.resize(2 << 20, b'A');
    assert_eq!(
        read_signed_header(&huge, 1 << 20).unwrap_err().code(),
        "too-large"
    );
}
