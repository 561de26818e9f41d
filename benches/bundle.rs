//! Verification cost of the committed exemplar bundle, and of a larger synthetic bundle.
//!
//! `verify` is the pure core with the pinned root already loaded (what a long-lived engine
//! does per bundle); `verify_json` is the whole JSON front door the CLI and wasm use,
//! including loading the root and parsing the state.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use puhui::bundle::{
    sign_bundle, sign_root, verify, verify_json, BundleState, KeyPair, RootKey, RootPayload,
    TrustedRoot, VerifyOptions,
};
use puhui::date::parse_rfc3339;
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bundle")
        .join(name);
    std::fs::read(path).expect("exemplar fixture")
}

fn exemplar(c: &mut Criterion) {
    let root = fixture("root.json");
    let bundle = fixture("bundle.signed.json");
    let payload: Value = serde_json::from_slice(&fixture("bundle.json")).unwrap();
    let now_text = payload["issuedAt"].as_str().unwrap().to_owned();
    let now = parse_rfc3339(&now_text).unwrap();
    let pinned = TrustedRoot::from_pinned(&root).unwrap();
    let state = BundleState::default();
    let options = VerifyOptions::default();
    c.bench_function("verify/exemplar", |b| {
        b.iter(|| verify(black_box(&bundle), &pinned, &state, now, &options).unwrap())
    });
    c.bench_function("verify_json/exemplar", |b| {
        b.iter(|| verify_json(black_box(&bundle), &root, None, &now_text, None).unwrap())
    });
    c.bench_function("root/from_pinned", |b| {
        b.iter(|| TrustedRoot::from_pinned(black_box(&root)).unwrap())
    });
}

/// A bundle of 400 products (~100 KB payload), closer to a real lender's rule set.
fn large(c: &mut Criterion) {
    let keys = [
        KeyPair::from_seed("k1", &[1; 32]),
        KeyPair::from_seed("k2", &[2; 32]),
    ];
    let root_payload = RootPayload {
        version: 1,
        expires_at: "2036-06-01T00:00:00Z".into(),
        threshold: 2,
        keys: keys
            .iter()
            .map(|k| {
                let key = RootKey {
                    alg: "ed25519".into(),
                    public: k.public_base64(),
                };
                (k.keyid.clone(), key)
            })
            .collect(),
    };
    let root = sign_root(&root_payload, &[&keys[0], &keys[1]]).unwrap();
    let products: Vec<Value> = (0..400)
        .map(|i| {
            json!({
                "id": format!("product-{i}"),
                "names": {"zh-CN": "消费贷", "en": "Consumer loan"},
                "amount": {"min": "1000.00", "max": "200000.00", "step": "100.00"},
                "terms": [3, 6, 12, 24, 36],
                "prices": [
                    {"band": "A", "annualRate": "0.0720"},
                    {"band": "B", "annualRate": "0.0960"},
                    {"band": "C", "annualRate": "0.1200"}
                ]
            })
        })
        .collect();
    let payload = serde_json::to_vec_pretty(&json!({
        "schema": "puhui.bundle/v1",
        "bundleId": "large",
        "channel": "production",
        "version": 1,
        "issuedAt": "2026-11-01T00:00:00Z",
        "expiresAt": "2036-01-01T00:00:00Z",
        "minEngineVersion": "0.1.0",
        "rootVersion": 1,
        "products": products,
        "caps": [],
        "subsidyPrograms": [],
        "texts": {}
    }))
    .unwrap();
    let bundle = sign_bundle(&payload, &[&keys[0], &keys[1]]).unwrap();
    let pinned = TrustedRoot::from_pinned(&root).unwrap();
    let state = BundleState::default();
    let options = VerifyOptions::default();
    let now = parse_rfc3339("2026-11-22T00:00:00Z").unwrap();
    println!(
        "large bundle: payload {} bytes, envelope {} bytes",
        payload.len(),
        bundle.len()
    );
    c.bench_function("verify/400-products", |b| {
        b.iter(|| verify(black_box(&bundle), &pinned, &state, now, &options).unwrap())
    });
}

criterion_group!(benches, exemplar, large);
criterion_main!(benches);
