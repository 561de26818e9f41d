//! The bodies of the fuzz targets, shared by the libFuzzer binaries (`fuzz/fuzz_targets/`)
//! and the corpus smoke test (`tests/fuzz_smoke.rs`), so `make test` replays every committed
//! corpus input through exactly the code the fuzzer ran.
//!
//! Each body must never panic on any input; beyond that it checks invariants a crash would
//! not show: a refusal always has a kebab-case code, accepted bundles re-verify, and the
//! strict gate never accepts what serde_json cannot parse.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use puhui::bundle::{self, BundleState, TrustedRoot, VerifyOptions};
use puhui::engine::Engine;
use puhui::ErrorCode;
use std::sync::OnceLock;

const ROOT: &[u8] = include_bytes!("../tests/fixtures/bundle/root.json");
const SIGNED: &[u8] = include_bytes!("../tests/fixtures/bundle/bundle.signed.json");
const CARD: &str = include_str!("../tests/scorecard/card.json");
const MODEL_TEMPLATE: &str = include_str!("../tests/scorecard/model.json");
/// The exemplar's issue instant (kept in step by `tests/fuzz_smoke.rs`).
pub const NOW: &str = "2026-11-20T00:00:00Z";

fn check_code(code: &str) {
    assert!(
        !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
        "code {code:?} is not kebab-case"
    );
    assert!(
        puhui::error_codes::is_registered(code),
        "code {code:?} is not in src/error_codes.rs"
    );
}

fn pinned() -> &'static TrustedRoot {
    static ROOT_ONCE: OnceLock<TrustedRoot> = OnceLock::new();
    ROOT_ONCE.get_or_init(|| TrustedRoot::from_pinned(ROOT).unwrap())
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::load(SIGNED, ROOT, None, NOW, None).unwrap().0)
}

/// Envelope + payload parsing and verification, roots, rotation and the publish reader.
pub fn bundle_verify(data: &[u8]) {
    let now = puhui::date::parse_rfc3339(NOW).unwrap();
    for options in [
        VerifyOptions::default(),
        VerifyOptions {
            preview_allowed: true,
            ..VerifyOptions::default()
        },
    ] {
        match bundle::verify(data, pinned(), &BundleState::default(), now, &options) {
            Ok((verified, state)) => {
                // Accepted once, accepted again with the new state, state unchanged.
                let (_, again) = bundle::verify(data, pinned(), &state, now, &options).unwrap();
                assert_eq!(again, state);
                assert!(verified.header().version <= puhui::limits::MAX_VERSION);
            }
            Err(err) => check_code(err.code()),
        }
    }
    if let Err(err) = bundle::read_signed_header(data, 1 << 20) {
        check_code(err.code());
    }
    if let Err(err) = TrustedRoot::from_pinned(data) {
        check_code(err.code());
    }
    if let Err(err) = bundle::rotate_state(pinned(), &BundleState::default(), data) {
        check_code(err.code());
    }
    let text = std::str::from_utf8(data).unwrap_or("");
    if let Err(err) = bundle::verify_json(SIGNED, ROOT, Some(data), NOW, None) {
        check_code(&err.code);
    }
    if let Err(err) = bundle::verify_json(SIGNED, ROOT, None, text, Some(data)) {
        check_code(&err.code);
    }
}

/// Every stateless JSON operation: the first byte picks the operation, the rest is the
/// request body.
pub fn json_ops(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let ops = puhui::api::OPERATIONS;
    let op = ops[usize::from(selector) % ops.len()];
    match puhui::api::call_text(op, body) {
        Ok(text) => {
            serde_json::from_str::<serde_json::Value>(&text).unwrap();
        }
        Err(err) => {
            check_code(&err.code);
            assert!(
                err.message.len() <= 4096,
                "{op}: {} byte message",
                err.message.len()
            );
        }
    }
}

/// The quote engine on the signed exemplar: quotes and assessments from arbitrary requests.
pub fn engine_quote(data: &[u8]) {
    let engine = engine();
    for result in [
        puhui::api::quote_text(engine, data),
        puhui::api::assess_text(engine, data),
    ] {
        match result {
            Ok(text) => {
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value["preview"], serde_json::json!(false));
            }
            Err(err) => check_code(&err.code),
        }
    }
}

/// Scorecard and JSONLogic evaluation: the input is `rule \n data`; also scored as an
/// applicant against the fixture card and model.
pub fn score_logic(data: &[u8]) {
    let (rule, applicant) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &b"{}"[..]),
    };
    if let (Ok(rule), Ok(values)) = (
        puhui::score::json::parse(rule),
        puhui::score::json::parse(applicant),
    ) {
        let _ = puhui::score::jsonlogic::apply(&rule, &values);
    }
    let Ok(text) = std::str::from_utf8(applicant) else {
        return;
    };
    // model.json names its card by a placeholder the tests replace with card.json.
    let model = MODEL_TEMPLATE.replace("\"see card.json (the test inserts it)\"", CARD);
    for request in [
        format!(r#"{{"card":{CARD},"applicant":{text}}}"#),
        format!(r#"{{"model":{model},"applicant":{text}}}"#),
    ] {
        let op = if request.starts_with(r#"{"card""#) {
            "score"
        } else {
            "assess"
        };
        if let Err(err) = puhui::api::call_text(op, request.as_bytes()) {
            check_code(&err.code);
        }
    }
}

/// The strict JSON gate on untrusted bytes: never accepts what serde_json refuses.
pub fn strict_json(data: &[u8]) {
    use puhui::bundle::strict_json::{check, Limits};
    let limits = Limits::default();
    if check(data, limits).is_ok() {
        assert!(
            serde_json::from_slice::<serde_json::Value>(data).is_ok(),
            "the strict gate accepted what serde_json refuses"
        );
    }
    let _ = puhui::limits::check_request(data);
}
