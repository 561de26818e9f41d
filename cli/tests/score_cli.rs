//! The batch and import commands end to end: `puhui score`, `puhui scorecard import|lint`,
//! `puhui assess --model`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn fixture(name: &str) -> String {
    format!("{}/../tests/scorecard/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn puhui(args: &[&str], stdin: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_vec();
    // Write from a thread: the child may answer before it has read everything.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn batch_keeps_order_reports_errors_per_line_and_goes_on() {
    let long = format!("{{\"pad\":\"{}\"}}", "x".repeat(1 << 21));
    let input = format!(
        "{{\"age\":30,\"monthlyIncome\":6000,\"housing\":\"own\"}}\n\n{{\"age\":\"NaN\"}}\nnot json\n{long}\n{{\"age\":70,\"monthlyIncome\":6000,\"housing\":\"own\"}}"
    );
    let (code, stdout) = puhui(
        &["score", "--scorecard", &fixture("card.json"), "-"],
        input.as_bytes(),
    );
    assert_eq!(code, 1, "some lines failed");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[0]["score"], "538");
    assert_eq!(lines[0]["reasons"], serde_json::json!(["AGE"]));
    assert_eq!(lines[1]["error"]["code"], "not-a-number");
    assert_eq!(lines[1]["error"]["path"], "age");
    assert_eq!(lines[1]["line"], 3);
    assert_eq!(lines[2]["error"]["code"], "malformed-applicant");
    assert_eq!(lines[2]["line"], 4);
    assert_eq!(lines[3]["error"]["code"], "line-too-long");
    assert_eq!(lines[3]["line"], 5);
    assert_eq!(lines[4]["score"], "568");
}

#[test]
fn import_then_score_and_lint() {
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.json");
    let card = card.to_str().unwrap();
    let csv = fixture("scorecardpy_card.csv");
    let (code, _) = puhui(
        &[
            "scorecard",
            "import",
            "--from",
            "scorecardpy",
            &csv,
            "-o",
            card,
        ],
        b"",
    );
    assert_eq!(code, 0);
    let applicants = std::fs::read(fixture("scorecardpy_applicants.jsonl")).unwrap();
    let (code, stdout) = puhui(&["score", "--scorecard", card], &applicants);
    assert_eq!(code, 0);
    let expected = std::fs::read_to_string(fixture("scorecardpy_expected.txt")).unwrap();
    for (got, want) in stdout.lines().zip(expected.lines()) {
        let got: Value = serde_json::from_str(got).unwrap();
        // scorecardpy prints integral floats ("512.0").
        assert_eq!(
            got["score"].as_str().unwrap(),
            want.trim_end_matches(".0"),
            "{got}"
        );
    }
    assert_eq!(stdout.lines().count(), expected.lines().count());
    let (code, stdout) = puhui(
        &["scorecard", "lint", "--model", &fixture("lint_model.json")],
        b"",
    );
    assert_eq!(code, 1);
    assert!(stdout.contains("range-overlap"), "{stdout}");
    let (code, stdout) = puhui(&["scorecard", "import", "--from", "toad", "-"], b"[1]");
    assert_eq!(code, 1);
    assert!(stdout.contains("malformed-input"), "{stdout}");
}

#[test]
fn assess_with_a_bare_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = std::fs::read_to_string(fixture("model.json"))
        .unwrap()
        .replace(
            "\"see card.json (the test inserts it)\"",
            &std::fs::read_to_string(fixture("card.json")).unwrap(),
        );
    let path = dir.path().join("model.json");
    std::fs::write(&path, model).unwrap();
    let applicant = br#"{"age":45,"residency":"CN","monthlyIncome":8000,"existingRepayments":1500,"housing":"own"}"#;
    let (code, stdout) = puhui(&["assess", "--model", path.to_str().unwrap()], applicant);
    assert_eq!(code, 0, "{stdout}");
    let got: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(got["decision"], "likely");
    assert_eq!(got["limit"], "50000.00");
}
