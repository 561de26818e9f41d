//! Parity at scale, native half: every case `tests/parity/gen.mjs` generated and ran through
//! the wasm package in Node is run through the native core (`puhui::api::call_text`, the same
//! entry point), and the response text (or error envelope) must be byte-identical.
//!
//! The case file comes from `PARITY_CASES` (set by `make test-parity-wasm`, 2,000 cases, and
//! `make parity-100k`). Without it this test checks nothing and says so on stderr: cargo
//! alone cannot run the wasm half.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

#[test]
fn wasm_and_native_answer_byte_for_byte() {
    let Ok(path) = std::env::var("PARITY_CASES") else {
        eprintln!("parity: PARITY_CASES not set; run `make test-parity-wasm` for the wasm half");
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut checked = 0usize;
    let mut errors = 0usize;
    let mut mismatches = Vec::new();
    let mut unregistered = std::collections::BTreeSet::new();
    for (line_no, line) in text.lines().enumerate() {
        let case: Value = serde_json::from_str(line).unwrap();
        let op = case["op"].as_str().unwrap();
        let request = case["request"].as_str().unwrap();
        let wasm = case["wasm"].as_str().unwrap();
        let native = match puhui::api::call_text(op, request.as_bytes()) {
            Ok(text) => text,
            Err(err) => {
                errors += 1;
                if !puhui::error_codes::is_registered(&err.code) {
                    unregistered.insert(err.code.clone());
                }
                err.to_envelope().to_string()
            }
        };
        if native != wasm && mismatches.len() < 5 {
            mismatches.push(format!(
                "line {}: {op} {request}\n native: {native}\n wasm:   {wasm}",
                line_no + 1
            ));
        }
        checked += 1;
    }
    assert!(checked > 0, "no cases in {path}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        unregistered.is_empty(),
        "codes not in src/error_codes.rs: {unregistered:?}"
    );
    eprintln!("parity: {checked} cases byte-identical ({errors} refusals)");
}
