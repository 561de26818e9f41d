//! One IO code and one exit code in every command (issue 14): a file that cannot be read is
//! `{"error": {"code": "io", ...}}` with exit 2 whichever command reads it; a refused input
//! is exit 1 (README, "CLI exit codes").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
        .display()
        .to_string()
}

/// Runs `puhui args...`; returns (exit code, the last stdout line as JSON).
fn puhui(args: &[&str]) -> (i32, Value) {
    let output = Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let value = serde_json::from_str(text.trim())
        .or_else(|_| serde_json::from_str(text.lines().last().unwrap_or("")))
        .unwrap_or_else(|_| panic!("{args:?}: {text}"));
    (output.status.code().unwrap_or(-1), value)
}

#[test]
fn an_unreadable_file_is_io_with_exit_2_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    let bundle = repo("tests/fixtures/bundle/bundle.signed.json");
    let root = repo("tests/fixtures/bundle/root.json");
    let commands: Vec<Vec<&str>> = vec![
        vec!["schedule", missing],
        vec!["apr", missing],
        vec!["disclose", missing],
        vec!["subsidy", missing],
        vec!["verify", "--root", &root, missing],
        vec!["verify", "--root", missing, &bundle],
        vec!["quote", "--bundle", missing, "--root", &root, "-"],
        vec!["score", "--scorecard", missing, "-"],
        vec!["scorecard", "lint", missing],
        vec!["scorecard", "import", "--from", "toad", missing],
        vec!["lint", missing],
    ];
    for args in commands {
        let (code, json) = puhui(&args);
        assert_eq!(json["error"]["code"], "io", "{args:?}: {json}");
        assert_eq!(code, 2, "{args:?}: {json}");
    }
}

#[test]
fn a_refused_input_is_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("request.json");
    std::fs::write(
        &path,
        br#"{"principal":"100.001","annualRate":"0.06","termMonths":12,"method":"equal-installment"}"#,
    )
    .unwrap();
    let (code, json) = puhui(&["schedule", path.to_str().unwrap()]);
    assert_eq!(json["error"]["code"], "over-precise-amount");
    assert_eq!(code, 1);
}
