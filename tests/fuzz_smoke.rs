//! The fuzz smoke pass `make test` runs: every committed input under `fuzz/corpus/<target>/`
//! (seeded from the vectors and fixtures by `scripts/seed-fuzz-corpus.py`, plus whatever a
//! `make fuzz` run added and was committed) replayed through the same target bodies the
//! libFuzzer binaries run (`fuzz/targets.rs`). Seconds, not minutes; no sanitizer needed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::PathBuf;

fn replay(target: &str, body: fn(&[u8])) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| body(&data));
        assert!(outcome.is_ok(), "{target}: {} panicked", path.display());
        count += 1;
    }
    assert!(count > 0, "{target}: empty corpus");
}

#[test]
fn exemplar_instant_is_the_targets_now() {
    let payload: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle/bundle.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(payload["issuedAt"], targets::NOW);
}

#[test]
fn corpus_bundle_verify() {
    replay("bundle_verify", targets::bundle_verify);
}

#[test]
fn corpus_json_ops() {
    replay("json_ops", targets::json_ops);
}

#[test]
fn corpus_engine_quote() {
    replay("engine_quote", targets::engine_quote);
}

#[test]
fn corpus_score_logic() {
    replay("score_logic", targets::score_logic);
}

#[test]
fn corpus_strict_json() {
    replay("strict_json", targets::strict_json);
}

/// The inputs libFuzzer reported as timeouts (`fuzz/timeouts/<target>-timeout-<sha1>`), each
/// replayed through its target. All three were one fault: the error-path scanner in
/// `src/error.rs` looped forever on a string whose prefix ended in a lone backslash. A hang
/// guard (not a speed measurement): each input must finish within a minute, where the fixed
/// code takes milliseconds and the faulty one never returned.
#[test]
fn fuzz_timeouts_finish() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/timeouts");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let target = name.split("-timeout-").next().unwrap().to_owned();
        let body: fn(&[u8]) = match target.as_str() {
            "bundle_verify" => targets::bundle_verify,
            "json_ops" => targets::json_ops,
            "engine_quote" => targets::engine_quote,
            "score_logic" => targets::score_logic,
            "strict_json" => targets::strict_json,
            other => panic!("{name}: unknown target {other}"),
        };
        let data = std::fs::read(&path).unwrap();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            body(&data);
            done.send(()).unwrap();
        });
        assert!(
            finished
                .recv_timeout(std::time::Duration::from_secs(60))
                .is_ok(),
            "{name} did not finish (or panicked)"
        );
        count += 1;
    }
    assert!(count >= 3, "the three reported timeouts are kept");
}
