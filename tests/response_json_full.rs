//! The full engine's responses written by hand (`SubsidyOutcome::to_json`, the quote, product
//! list and assessment writers) against `serde_json::to_string` of the same values, byte for
//! byte: every subsidy vector, then generated requests over every schedule method, dated and
//! undated loans, the shipped programs chosen by date and context, inline programs with every
//! cap and window, the four promotions, and texts that need escaping; quotes over every product,
//! term, method, band and promotion of the sample bundle.
// Helpers outside `#[test]` functions are test code too: clippy's in-test allowances do not
// reach them, so the test crate states it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod common;

use serde_json::{json, Value};

/// The subsidy outcome of `request` written by hand and by serde, compared, and the `subsidy`
/// operation's text compared with both; `None` when the request is refused.
fn subsidy_text(request: &Value) -> Option<String> {
    let text = request.to_string();
    let parsed: puhui::subsidy::SubsidyRequest = serde_json::from_str(&text).unwrap();
    let Ok(outcome) = puhui::subsidy::run(&parsed) else {
        assert!(puhui::api::call_text("subsidy", text.as_bytes()).is_err());
        return None;
    };
    let expected = serde_json::to_string(&outcome).unwrap();
    assert_eq!(outcome.to_json(), expected, "{request}");
    assert_eq!(
        puhui::api::call_text("subsidy", text.as_bytes()).unwrap(),
        expected,
        "{request}"
    );
    Some(expected)
}

#[test]
fn every_subsidy_vector_is_written_as_serde_writes_it() {
    let cases = common::vectors("subsidy.json");
    assert!(cases.len() >= 5);
    let mut compared = 0;
    for case in &cases {
        let mut request = json!({"schedule": case["schedule"], "program": case["program"]});
        for key in ["subsidyUsed", "promotions", "context"] {
            if let Some(value) = case.get(key) {
                request[key] = value.clone();
            }
        }
        if subsidy_text(&request).is_some() {
            compared += 1;
        }
    }
    assert!(compared >= 5, "{compared}");
}

/// A generated `subsidy` request (`case` picks the branches, `next` the values).
fn subsidy_request(case: u64, next: &mut impl FnMut(u64) -> u64) -> Value {
    let methods = [
        "equal-installment",
        "equal-principal",
        "interest-only",
        "bullet",
        "flat-fee",
    ];
    let method = methods[(case % 5) as usize];
    let mut schedule = json!({
        "principal": format!("{}.{:02}", 1_000 + next(200_000), next(100)),
        "termMonths": 1 + next(36),
        "method": method,
    });
    if method == "flat-fee" {
        schedule["feeRate"] = json!(format!("0.00{}", 1 + next(9)));
    } else {
        schedule["annualRate"] = json!(format!("0.{:04}", 50 + next(2_400)));
    }
    if !case.is_multiple_of(3) {
        schedule["startDate"] = json!(format!(
            "{}-{:02}-{:02}",
            2025 + next(2),
            1 + next(12),
            1 + next(28)
        ));
    }
    let mut request = json!({ "schedule": schedule });
    if case.is_multiple_of(2) {
        request["builtinPrograms"] = json!(true);
        let institutions = [
            "state-owned-bank",
            "joint-stock-bank",
            "card-issuer",
            "consumer-finance-company",
            "micro-lender",
        ];
        let kinds = ["consumer-loan", "card-installment", "service-business-loan"];
        let categories = [
            "household-cars",
            "electronics",
            "tourism",
            "digital",
            "none",
        ];
        let mut context = json!({
            "institutionType": institutions[next(5) as usize],
            "loanKind": kinds[next(3) as usize],
        });
        if next(3) > 0 {
            context["category"] = json!(categories[next(5) as usize]);
        }
        if next(2) == 0 {
            context["asOf"] = json!(format!("{}-{:02}-15", 2025 + next(2), 1 + next(12)));
        }
        if next(3) == 0 {
            context["eligibleAmount"] = json!(format!("{}.00", 500 + next(100_000)));
        }
        request["context"] = context;
    } else {
        let mut program = json!({
            "id": format!("p\"{}\\é", next(9)),
            "name": {"zh-CN": "贴息\n", "en": "Subsidy \u{1}"},
            "rate": format!("0.0{}", 1 + next(9)),
        });
        let optional = [
            ("maxShareOfContractRate", json!("0.5")),
            ("perTransactionCap", json!(format!("{}.00", 10 + next(500)))),
            ("perBorrowerCap", json!(format!("{}.00", 50 + next(3_000)))),
            (
                "perBorrowerCapScope",
                json!(["policy-period", "per-year"][next(2) as usize]),
            ),
            (
                "perTransactionBaseCap",
                json!(format!("{}.00", 1_000 + next(50_000))),
            ),
            ("base", json!(["outstanding", "original"][next(2) as usize])),
            (
                "window",
                json!({"from": "2025-03-01", "to": format!("2026-{:02}-28", 1 + next(12))}),
            ),
            ("eligibleShare", json!("0.8")),
        ];
        for (key, value) in optional {
            if next(2) == 0 {
                program[key] = value;
            }
        }
        request["program"] = program;
        if next(3) == 0 {
            request["subsidyUsed"] = json!(format!("{}.00", next(3_000)));
        }
    }
    let promotions = [
        json!({"kind": "merchant-funded", "share": "0.5"}),
        json!({"kind": "interest-free-days", "days": 1 + next(60)}),
        json!({"kind": "rate-discount", "fraction": "0.2", "periods": 1 + next(6)}),
        json!({"kind": "interest-coupon", "amount": format!("{}.00", 1 + next(80))}),
    ];
    let mut chosen = Vec::new();
    for promotion in promotions {
        if next(3) == 0 {
            chosen.push(promotion);
        }
    }
    if !chosen.is_empty() {
        request["promotions"] = Value::Array(chosen);
    }
    request
}

#[test]
fn generated_subsidy_outcomes_are_written_as_serde_writes_them() {
    let mut next = common::stream(0x5EED_0F5A_B51D_1E00);
    let mut texts = Vec::new();
    for case in 0..1_500_u64 {
        let request = subsidy_request(case, &mut next);
        if let Some(text) = subsidy_text(&request) {
            texts.push(text);
        }
    }
    assert!(texts.len() >= 600, "only {} accepted", texts.len());
    common::assert_seen(
        &texts,
        &[
            "\"dueDate\":",
            "\"capsBound\":[{",
            "\"year\":",
            "\"reasons\":[{\"program\":",
            "\"assumptions\":[{",
            "\"name\":{\"zh-CN\":",
            "\\n",
            "\\u0001",
            "\"applied\":true",
            "\"applied\":false",
            "\"appliedOrder\":[\"",
            "\"rateCappedByShare\":true",
        ],
    );
}

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bundle")
        .join(name);
    std::fs::read(path).unwrap()
}

fn sample_payload() -> Value {
    serde_json::from_slice(&fixture("bundle.json")).unwrap()
}

/// A preview engine over the sample payload with `edit` applied (texts and names that need
/// escaping, a product without promotions): verification with the preview opt-in.
fn engine_with(edit: impl Fn(&mut Value)) -> puhui::engine::Engine {
    let mut payload = sample_payload();
    edit(&mut payload);
    let now = payload["issuedAt"].as_str().unwrap().to_owned();
    let draft = serde_json::to_vec(&payload).unwrap();
    let unsigned = serde_json::to_vec(&puhui::bundle::sign_envelope(
        puhui::bundle::BUNDLE_PAYLOAD_TYPE,
        &draft,
        &[],
    ))
    .unwrap();
    puhui::engine::Engine::load(
        &unsigned,
        &fixture("root.json"),
        None,
        &now,
        Some(br#"{"previewAllowed": true}"#),
    )
    .unwrap()
    .0
}

/// The signed exemplar's engine and an edited preview one.
fn engines() -> Vec<puhui::engine::Engine> {
    let payload = sample_payload();
    let now = payload["issuedAt"].as_str().unwrap().to_owned();
    let (signed, _) = puhui::engine::Engine::load(
        &fixture("bundle.signed.json"),
        &fixture("root.json"),
        None,
        &now,
        None,
    )
    .unwrap();
    let edited = engine_with(|payload| {
        for language in ["zh-CN", "en"] {
            if let Some(texts) = payload["texts"][language].as_object_mut() {
                texts.insert("note\"\\".into(), json!("line\nbreak \u{1} \"quoted\""));
            }
        }
        if let Some(product) = payload["products"][0].as_object_mut() {
            product.insert(
                "name".into(),
                json!({"zh-CN": "贷\t款", "en": "Loan \"A\""}),
            );
            product.insert("texts".into(), json!(["note\"\\"]));
        }
    });
    vec![signed, edited]
}

#[test]
fn quotes_products_and_assessments_are_written_as_serde_writes_them() {
    let mut next = common::stream(0xC0FF_EE00_5EED_0001);
    let mut quotes = Vec::new();
    for engine in engines() {
        let products = engine.products();
        assert_eq!(
            products.to_json(),
            serde_json::to_string(&products).unwrap()
        );
        assert_eq!(
            puhui::api::products_text(&engine).unwrap(),
            products.to_json()
        );
        for product in &products.products {
            for case in 0..60_u64 {
                let mut request = json!({
                    "productId": product.id,
                    "amount": puhui::money::fmt_money(product.amount.min),
                    "termMonths": product.terms[(case % product.terms.len() as u64) as usize],
                    "method": product.methods[(next(product.methods.len() as u64)) as usize],
                });
                if case % 4 == 1 {
                    let steps = 1 + next(20);
                    let amount = product.amount.min
                        + product.amount.step * rust_decimal::Decimal::from(steps);
                    if amount <= product.amount.max {
                        request["amount"] = json!(puhui::money::fmt_money(amount));
                    }
                }
                if !product.bands.is_empty() && next(2) == 0 {
                    request["band"] =
                        json!(product.bands[next(product.bands.len() as u64) as usize]);
                }
                if case % 3 == 0 {
                    request["startDate"] =
                        json!(format!("2026-{:02}-{:02}", 1 + next(12), 1 + next(28)));
                }
                let ids: Vec<Value> = product
                    .promotions
                    .iter()
                    .filter(|_| next(2) == 0)
                    .map(|p| json!(p.id))
                    .collect();
                if !ids.is_empty() {
                    request["promotions"] = Value::Array(ids);
                }
                if case % 5 == 0 {
                    request["promotions"] = json!([{"kind": "interest-coupon", "amount": "20.00"}]);
                }
                if case % 7 == 0 {
                    request["context"] = json!({"institutionType": "state-owned-bank",
                        "loanKind": "consumer-loan", "category": "electronics"});
                }
                let text = request.to_string();
                let parsed: puhui::engine::QuoteRequest = serde_json::from_str(&text).unwrap();
                let Ok(quote) = engine.quote_request(&parsed) else {
                    continue;
                };
                let expected = serde_json::to_string(&quote).unwrap();
                assert_eq!(quote.to_json(), expected, "{request}");
                assert_eq!(
                    puhui::api::quote_text(&engine, text.as_bytes()).unwrap(),
                    expected
                );
                quotes.push(expected);
            }
        }
        for applicant in [
            json!({"age": 45, "residency": "CN", "monthlyIncome": 8000, "housing": "own"}),
            json!({"age": 30, "residency": "CN", "monthlyIncome": 4000, "housing": "rent"}),
            json!({"age": 17, "residency": "US", "monthlyIncome": 6000, "housing": "own"}),
            json!({"age": 35, "residency": "CN", "housing": "own"}),
            json!({"age": 62, "residency": "CN", "monthlyIncome": 25000, "housing": "other"}),
        ] {
            let bytes = applicant.to_string();
            let result = engine.assess(bytes.as_bytes()).unwrap();
            let expected = serde_json::to_string(&result).unwrap();
            assert_eq!(result.to_json(), expected, "{applicant}");
            assert_eq!(
                puhui::api::assess_text(&engine, bytes.as_bytes()).unwrap(),
                expected
            );
            quotes.push(expected);
        }
    }
    assert!(quotes.len() >= 200, "only {} compared", quotes.len());
    common::assert_seen(
        &quotes,
        &[
            "\"subsidy\":{",
            "\"daily\":{",
            "\"feeRate\":",
            "\"band\":",
            "\"dueDate\":",
            "\\n",
            "\"maxAmount\":null",
            "\"indicative\":{",
            "\"decidedBy\":\"",
            "\"score\":null",
            "\"preview\":true",
        ],
    );
}

/// The `score` and `assess` operations answer the compact serde text of their typed results
/// (keys in declaration order, as every other answer): the hand writers against serde on the
/// sample bundle's model and card (with bin labels) and generated applicants.
#[test]
fn score_and_assess_operations_are_written_as_their_values_were() {
    let mut model = sample_payload()["preEligibility"].clone();
    // Bin labels (kept for traceability) appear in `points`; the sample card has none.
    model["card"]["variables"][0]["bins"][2]["label"] = json!("< 25 \"岁\"\n");
    model["card"]["variables"][2]["bins"][0]["label"] = json!("own");
    let card = model["card"].clone();
    let mut next = common::stream(0xD1CE_5EED_0000_0042);
    let mut texts = Vec::new();
    for case in 0..400_u64 {
        let residency = ["CN", "US", "HK"][next(3) as usize];
        let housing = ["own", "rent", "other", "mortgage"][next(4) as usize];
        let mut applicant = json!({
            "age": 16 + next(60),
            "residency": residency,
            "housing": housing,
        });
        if case % 4 != 0 {
            applicant["monthlyIncome"] = json!(next(40_000));
        }
        if case % 9 == 0 {
            applicant["monthlyIncome"] = json!(format!("{}.5", next(9_000)));
        }
        for (operation, request) in [
            ("score", json!({"card": card, "applicant": applicant})),
            ("assess", json!({"model": model, "applicant": applicant})),
        ] {
            let bytes = request.to_string();
            let Ok(text) = puhui::api::call_text(operation, bytes.as_bytes()) else {
                continue;
            };
            let typed = match operation {
                "score" => {
                    let card =
                        puhui::score::scorecard_from_json(card.to_string().as_bytes()).unwrap();
                    let card = puhui::score::CompiledCard::compile(&card).unwrap();
                    let parsed =
                        puhui::score::parse_applicant(applicant.to_string().as_bytes()).unwrap();
                    serde_json::to_string(&card.score(&parsed).unwrap()).unwrap()
                }
                _ => {
                    let model =
                        puhui::score::model_from_json(model.to_string().as_bytes()).unwrap();
                    let model = puhui::score::CompiledModel::compile(&model).unwrap();
                    let parsed =
                        puhui::score::parse_applicant(applicant.to_string().as_bytes()).unwrap();
                    serde_json::to_string(&puhui::score::assess(&model, &parsed).unwrap()).unwrap()
                }
            };
            assert_eq!(text, typed, "{operation} {applicant}");
            texts.push(text);
        }
    }
    assert!(texts.len() >= 400, "only {}", texts.len());
    common::assert_seen(
        &texts,
        &[
            "\"label\":",
            "\"text\":{\"zh-CN\":",
            "\"limit\":\"",
            "\"limit\":null",
            "\"knockedOut\":[{",
        ],
    );
}
