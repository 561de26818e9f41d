#![allow(clippy::expect_used, clippy::unwrap_used)]
//! The studio's grid, diff and applicant table on the committed fixtures (tests/fixtures/studio,
//! generated from data/sample-bundle.json). Expected figures come from the shared vectors
//! (tests/vectors) and the fixture author's list of edits (expected.json), never from the
//! studio's own output.

use puhui::engine::Engine;
use puhui_studio_wasm::{diff, grid, table};
use serde_json::Value;
use std::path::PathBuf;

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path)
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(repo(path)).expect(path)
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&read(path)).expect(path)
}

fn vector(file: &str, name_part: &str) -> Value {
    json(&format!("tests/vectors/{file}"))
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"].as_str().unwrap().contains(name_part))
        .expect(name_part)
        .clone()
}

const NOW: &str = "2026-11-28T00:00:00Z";

/// A payload loaded in preview mode (as the page loads both sides in these tests).
fn preview(path: &str) -> Engine {
    let root = read("tests/fixtures/bundle/root.json");
    Engine::load(
        &read(path),
        &root,
        None,
        NOW,
        Some(br#"{"previewAllowed":true}"#),
    )
    .expect("preview load")
    .0
}

/// `0.072001` → `7.20` (percent, 2 decimals half-up, on the digits).
fn percent(rate: &str) -> String {
    let value: rust_decimal::Decimal = rate.parse().unwrap();
    puhui::money::fmt_dp(
        value * rust_decimal::Decimal::ONE_HUNDRED,
        2,
        puhui::money::Rounding::HalfUp,
    )
}

fn spec(text: &str) -> grid::GridSpec {
    serde_json::from_str(text).unwrap()
}

/// On 2026-01-01 every period of a 12-month loan falls inside the 2026 subsidy window, the
/// "fully eligible" case of the subsidy vector.
#[test]
fn grid_cells_match_the_vectors() {
    let engine = preview("data/sample-bundle.json");
    let out = grid::grid(
        &engine,
        None,
        &spec(r#"{"products":["consumer-loan"],"amounts":["10000.00"],"terms":[12],"bands":["A"],"asOf":"2026-01-01"}"#),
    )
    .unwrap();
    assert!(out.preview);
    let cells = &out.products[0].cells;
    assert_eq!(cells.len(), 2, "two methods");
    let installment = cells
        .iter()
        .find(|c| c.method == "equal-installment")
        .unwrap();
    let f = installment.figures.as_ref().unwrap();
    let schedule = vector("schedules.json", "equal-installment 10000 @7.2% 12m");
    let rows = schedule["expected"]["installments"].as_array().unwrap();
    assert_eq!(f.first_payment, rows[0]["payment"].as_str().unwrap());
    let interest: rust_decimal::Decimal = rows
        .iter()
        .map(|r| {
            r["interest"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap()
        })
        .sum();
    assert_eq!(f.total_cost, interest.to_string());
    let apr = vector("apr.json", "equal-installment 10000 @7.2%");
    assert_eq!(
        f.percent,
        percent(apr["expected"]["rate"].as_str().unwrap())
    );
    assert_eq!(
        f.effective_percent,
        percent(apr["expected"]["effectiveRate"].as_str().unwrap())
    );
    let subsidy = vector("subsidy.json", "10000 equal-installment 7.2% 12m");
    assert_eq!(f.subsidy, subsidy["expected"]["total"].as_str().unwrap());
    assert_eq!(
        f.net_percent,
        percent(subsidy["expected"]["netRate"].as_str().unwrap())
    );
    assert!(!f.breaks_cap);
    let principal = cells
        .iter()
        .find(|c| c.method == "equal-principal")
        .unwrap();
    let schedule = vector("schedules.json", "equal-principal 10000 @7.2% 12m");
    assert_eq!(
        principal.figures.as_ref().unwrap().first_payment,
        schedule["expected"]["installments"][0]["payment"]
            .as_str()
            .unwrap()
    );
}

#[test]
fn the_subsidy_ends_with_its_window_and_a_later_cap_starts_on_its_day() {
    let engine = preview("data/sample-bundle.json");
    let at = |as_of: &str, product: &str| {
        let text = format!(
            r#"{{"products":["{product}"],"amounts":["10000.00"],"terms":[12],"bands":["A"],"methods":["equal-installment"],"asOf":"{as_of}"}}"#
        );
        grid::grid(&engine, None, &spec(&text)).unwrap().products[0].cells[0]
            .figures
            .clone()
            .unwrap()
    };
    assert_ne!(at("2026-12-01", "consumer-loan").subsidy, "0.00");
    assert_eq!(at("2027-01-01", "consumer-loan").subsidy, "0.00");
    // micro-daily: 0.065 %/day is 23.40 %, under 24 % but over 4 × LPR (3.00 %) once the
    // micro-lender cap starts on 2027-01-01.
    assert!(!at("2026-12-31", "micro-daily").breaks_cap);
    assert!(at("2027-01-01", "micro-daily").breaks_cap);
}

#[test]
fn grid_against_live_marks_exactly_the_changed_cells() {
    let live = preview("data/sample-bundle.json");
    let draft = preview("tests/fixtures/studio/draft.json");
    let out = grid::grid(&draft, Some(&live), &spec(r#"{"asOf":"2026-12-01"}"#)).unwrap();
    let by_id = |id: &str| out.products.iter().find(|p| p.product_id == id).unwrap();
    for cell in &by_id("consumer-loan").cells {
        assert_eq!(cell.changed, cell.band.as_deref() == Some("B"), "{cell:?}");
        if cell.band.as_deref() == Some("B") {
            let delta = cell.delta.as_ref().unwrap();
            assert!(delta.rate_points.starts_with('+'), "{delta:?}");
            assert!(delta.total_cost.starts_with('+'), "{delta:?}");
        }
    }
    assert!(by_id("micro-daily").cells.iter().all(|c| !c.changed));
    assert!(by_id("card-installment").cells.iter().all(|c| c.changed));
    let quick = by_id("quick-cash");
    assert!(quick.cells.iter().all(|c| c.changed
        && c.baseline_error.as_ref().unwrap().code == "unknown-product"
        && c.figures.as_ref().unwrap().breaks_cap));
    assert_eq!(
        out.breaking_cap,
        quick.cells.len(),
        "only the new product breaks a cap on 2026-12-01"
    );
}

#[test]
fn diff_lists_exactly_the_seeded_changes() {
    let report = diff::diff(
        &read("data/sample-bundle.json"),
        &read("tests/fixtures/studio/draft.json"),
    )
    .unwrap();
    let expected = json("tests/fixtures/studio/expected.json");
    let expected = expected["changes"].as_array().unwrap();
    assert_eq!(
        report.changes.len(),
        expected.len(),
        "{:#?}",
        report.changes
    );
    for (change, want) in report.changes.iter().zip(expected) {
        assert_eq!(change.section, want["section"].as_str().unwrap());
        assert_eq!(change.kind, want["kind"].as_str().unwrap());
        assert_eq!(change.path, want["path"].as_str().unwrap());
        for (side, got) in [("before", &change.before), ("after", &change.after)] {
            if let Some(text) = want.get(side).and_then(Value::as_str) {
                let want_value: Value = serde_json::from_str(text).unwrap();
                let got_value: Value = serde_json::from_str(got.as_deref().unwrap()).unwrap();
                assert_eq!(got_value, want_value, "{side} of {}", change.path);
            }
        }
    }
    let mut header: Vec<&str> = report.header.iter().map(|c| c.path.as_str()).collect();
    header.sort_unstable();
    assert_eq!(header, ["issuedAt", "version"]);
}

#[test]
fn diff_compares_decimals_by_value_and_matches_by_id() {
    let live = br#"{"caps":[{"id":"a","limit":"0.24"},{"id":"b","limit":"0.36"}],"lpr":[{"from":"2025-05-20","rate":"0.03"}]}"#;
    let draft = br#"{"caps":[{"id":"b","limit":"0.360"},{"id":"a","limit":"0.240"}],"lpr":[{"from":"2025-05-20","rate":"0.0300"}]}"#;
    assert!(diff::diff(live, draft).unwrap().changes.is_empty());
    let draft = br#"{"caps":[{"id":"b","limit":"0.36"}],"lpr":[{"from":"2025-05-20","rate":"0.0300"},{"from":"2026-01-20","rate":"0.029"}]}"#;
    let report = diff::diff(live, draft).unwrap();
    let got: Vec<(&str, &str)> = report
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    assert_eq!(got, [("removed", "caps[0]"), ("added", "lpr[1]")]);
}

#[test]
fn diff_refuses_malformed_drafts_with_lints_codes() {
    let live = read("data/sample-bundle.json");
    for (file, code) in [
        ("bad.json", "malformed"),
        ("duplicate-key.json", "duplicate-key"),
    ] {
        let draft = read(&format!("tests/fixtures/studio/{file}"));
        let err = diff::diff(&live, &draft).unwrap_err();
        let lint = puhui::lint::lint(&draft);
        assert_eq!(err.code, code, "{file}");
        assert_eq!(err.code, lint[0].code, "{file}: same code as lint");
        assert_eq!(
            err.path.as_deref(),
            Some(lint[0].path.as_str()),
            "{file}: same path as lint"
        );
    }
}

#[test]
fn grid_refuses_oversized_and_malformed_specs() {
    let engine = preview("data/sample-bundle.json");
    let err = grid::grid_json(&engine, None, br#"{"asOf":"2026-13-01"}"#).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.path.as_deref()),
        ("invalid-request", Some("asOf"))
    );
    let err = grid::grid_json(&engine, None, br#"{"asOf":"2026-12-01","bandz":[]}"#).unwrap_err();
    assert_eq!(err.code, "unknown-field");
    let err = grid::grid_json(
        &engine,
        None,
        br#"{"asOf":"2026-12-01","amounts":["1.001"]}"#,
    )
    .unwrap_err();
    assert_eq!(err.path.as_deref(), Some("amounts[0]"));
    let many = format!(
        r#"{{"asOf":"2026-12-01","amountCount":100,"terms":[{}]}}"#,
        (1..=120)
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    let err = grid::grid_json(&engine, None, many.as_bytes()).unwrap_err();
    assert_eq!(err.code, "invalid-request");
    // Cells the product does not offer carry the engine's own code.
    let out = grid::grid(&engine, None, &spec(r#"{"products":["micro-daily"],"amounts":["999999.00"],"terms":[7],"asOf":"2026-12-01"}"#)).unwrap();
    assert_eq!(
        out.products[0].cells[0].error.as_ref().unwrap().code,
        "amount-out-of-range"
    );
}

#[test]
fn applicant_table_counts_changed_decisions() {
    let live = preview("data/sample-bundle.json");
    let draft = preview("tests/fixtures/studio/draft.json");
    let lines = "{\"age\":45,\"monthlyIncome\":8000,\"existingRepayments\":[500],\"housing\":\"own\",\"residency\":\"CN\"}\n\n{\"age\":16,\"residency\":\"CN\"}\n{\"age\":\"x\"}\n";
    let out = table::table(&draft, Some(&live), lines).unwrap();
    assert!(out.preview);
    assert_eq!(out.count, 3);
    assert_eq!(out.rows[1].line, 3, "blank lines keep their numbers");
    // The draft does not touch the model: no decision changes.
    assert_eq!(out.changed, 0);
    let knocked = out.rows[1].draft.result.as_ref().unwrap();
    assert_eq!(knocked["decision"], "unlikely");
    assert_eq!(knocked["preview"], true);
}
