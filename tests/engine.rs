//! The quote engine on the committed signed exemplar (built from `data/sample-bundle.json`):
//! verification then quoting, the card-installment disclosure against the APR vectors, the
//! daily-rate product against both caps, preview marking, refusals with codes and paths.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use puhui::bundle::{
    sign_envelope, verify, BundleState, TrustedRoot, VerifyOptions, BUNDLE_PAYLOAD_TYPE,
};
use puhui::date::parse_rfc3339;
use puhui::engine::{Engine, QuoteRequest};
use puhui::ErrorCode;
use serde_json::{json, Value};
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bundle")
        .join(name);
    std::fs::read(path).unwrap()
}

fn sample_payload() -> Value {
    serde_json::from_slice(&fixture("bundle.json")).unwrap()
}

/// "Now" for the exemplar: its issue instant, so the result never depends on a clock.
fn now() -> String {
    sample_payload()["issuedAt"].as_str().unwrap().to_owned()
}

fn engine() -> Engine {
    let (engine, state) = Engine::load(
        &fixture("bundle.signed.json"),
        &fixture("root.json"),
        None,
        &now(),
        None,
    )
    .unwrap();
    assert_eq!(state.bundles.len(), 1, "a signed load moves the state");
    engine
}

fn request(value: Value) -> QuoteRequest {
    serde_json::from_value(value).unwrap()
}

fn quote(engine: &Engine, value: Value) -> Value {
    let text = puhui::api::quote_text(engine, value.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{value}: {e}"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn exemplar_verifies_and_quotes_natively() {
    let engine = engine();
    assert!(!engine.preview());
    assert_eq!(engine.summary()["bundleId"], sample_payload()["bundleId"]);
    let listed = serde_json::to_value(engine.products()).unwrap();
    let ids: Vec<&str> = listed["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = sample_payload()["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(listed["preview"], json!(false));

    let q = quote(
        &engine,
        json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12, "band": "B"}),
    );
    assert_eq!(q["preview"], json!(false));
    assert_eq!(q["bundle"]["sha256"], engine.summary()["sha256"]);
    assert_eq!(q["schedule"]["installments"].as_array().unwrap().len(), 12);
    // The texts the product names are present in both languages.
    for language in ["zh-CN", "en"] {
        for key in sample_payload()["products"][0]["texts"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            assert_eq!(
                q["texts"][language][key],
                sample_payload()["texts"][language][key],
                "{language} {key}"
            );
        }
    }
    // The program the product lists is evaluated; the loan is within the 24 % cap.
    assert!(q["subsidy"]["programs"].as_array().is_some());
    assert_eq!(q["caps"]["compliant"], json!(true));
    // The same engine answers the same request the same way (parse once, reuse).
    let again = quote(
        &engine,
        json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12, "band": "B"}),
    );
    assert_eq!(q, again);
}

#[test]
fn band_prices_come_from_the_first_matching_row() {
    let engine = engine();
    let rows = sample_payload()["products"][0]["price"].clone();
    for (idx, row) in rows.as_array().unwrap().iter().enumerate() {
        let band = row["when"]["band"][0].as_str().unwrap();
        let q = quote(
            &engine,
            json!({"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36, "band": band}),
        );
        assert_eq!(q["price"]["row"], json!(idx), "{band}");
        let expected: rust_decimal::Decimal = row["annualRate"].as_str().unwrap().parse().unwrap();
        let got: rust_decimal::Decimal =
            q["price"]["annualRate"].as_str().unwrap().parse().unwrap();
        assert_eq!(got, expected, "{band}");
        // Equal installments at a nominal monthly rate: the IRR-method rate is that rate.
        let cn: rust_decimal::Decimal = q["disclosure"]["cn"]["rate"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (cn - expected).abs() < rust_decimal::Decimal::new(1, 4),
            "{band}: {cn}"
        );
    }
}

#[test]
fn card_installment_discloses_the_vector_rates_and_passes_its_caps() {
    let vector = common::vectors("apr.json")
        .into_iter()
        .find(|case| {
            case["name"]
                .as_str()
                .unwrap()
                .starts_with("card installment 12000")
        })
        .expect("card installment vector");
    let advance = vector["request"]["advance"].as_str().unwrap();
    let payments = vector["request"]["payments"].as_array().unwrap();
    let engine = engine();
    let q = quote(
        &engine,
        json!({"productId": "card-installment", "amount": advance, "termMonths": payments.len(), "method": "flat-fee"}),
    );
    // The schedule pays exactly the vector's stream, and discloses the vector's rates.
    let paid: Vec<&Value> = q["schedule"]["installments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["payment"])
        .collect();
    assert_eq!(paid, payments.iter().collect::<Vec<_>>());
    assert_eq!(q["disclosure"]["cn"]["rate"], vector["expected"]["rate"]);
    assert_eq!(
        q["disclosure"]["cn"]["effectiveRate"],
        vector["expected"]["effectiveRate"]
    );
    assert_eq!(q["disclosure"]["cn"]["percent"], json!("13.03"));
    assert_eq!(q["disclosure"]["cn"]["effectivePercent"], json!("13.84"));
    assert_eq!(q["caps"]["flagged"], json!([]));
    assert_eq!(q["caps"]["compliant"], json!(true));
    assert!(!q["caps"]["results"].as_array().unwrap().is_empty());
}

#[test]
fn daily_rate_product_passes_24_and_fails_four_lpr() {
    let engine = engine();
    // Undated (the caps in force whatever their start) and dated after the 4 × LPR start.
    for start in [None, Some("2027-03-01")] {
        let mut body = json!({"productId": "micro-daily", "amount": "10000.00", "termMonths": 12});
        if let Some(date) = start {
            body["startDate"] = json!(date);
        }
        let q = quote(&engine, body);
        let daily = sample_payload()["products"][1]["price"][0]["dailyRate"].clone();
        assert_eq!(q["price"]["daily"]["dailyRate"], daily);
        let results = q["caps"]["results"].as_array().unwrap();
        let by_id = |id: &str| {
            results
                .iter()
                .find(|r| r["id"] == json!(id))
                .unwrap()
                .clone()
        };
        assert_eq!(by_id("comprehensive-24")["pass"], json!(true), "{start:?}");
        let four_lpr = by_id("micro-lender-4lpr-target");
        assert_eq!(four_lpr["pass"], json!(false), "{start:?}");
        assert!(four_lpr["margin"].as_str().unwrap().starts_with('-'));
        assert_eq!(q["caps"]["flagged"], json!(["micro-lender-4lpr-target"]));
        assert_eq!(q["caps"]["compliant"], json!(false));
    }
}

#[test]
fn preview_bundles_mark_every_output() {
    let draft = fixture("bundle.json");
    let unsigned = serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, &draft, &[])).unwrap();
    let options = br#"{"previewAllowed": true}"#;
    let (engine, state) = Engine::load(
        &unsigned,
        &fixture("root.json"),
        None,
        &now(),
        Some(options),
    )
    .unwrap();
    assert_eq!(
        state,
        BundleState::default(),
        "a preview never moves the state"
    );
    assert!(engine.preview());
    assert_eq!(engine.summary()["preview"], json!(true));
    assert_eq!(
        serde_json::to_value(engine.products()).unwrap()["preview"],
        json!(true)
    );
    for body in [
        json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12, "band": "A"}),
        json!({"productId": "micro-daily", "amount": "500.00", "termMonths": 3}),
        json!({"productId": "card-installment", "amount": "12000.00", "termMonths": 12}),
    ] {
        assert_eq!(
            quote(&engine, body.clone())["preview"],
            json!(true),
            "{body}"
        );
    }
    // Without the opt-in the same draft is refused.
    let refused = Engine::load(&unsigned, &fixture("root.json"), None, &now(), None).unwrap_err();
    assert_eq!(refused.code, "unsigned");
}

fn check_refusal(engine: &Engine, body: Value, code: &str, path: &str) {
    let err = engine.quote_request(&request(body.clone())).unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_deref()),
        (code, Some(path)),
        "{body}: {err}"
    );
    // The JSON front door reports the same.
    let api = puhui::api::quote_text(engine, body.to_string().as_bytes()).unwrap_err();
    assert_eq!((api.code.as_str(), api.path.as_deref()), (code, Some(path)));
}

#[test]
fn quote_refuses_what_the_product_does_not_offer() {
    let engine = engine();
    let base = |product: &str, amount: &str, term: i64| json!({"productId": product, "amount": amount, "termMonths": term, "band": "A"});
    check_refusal(
        &engine,
        base("consumer-loan", "999.00", 12),
        "amount-out-of-range",
        "amount",
    );
    check_refusal(
        &engine,
        base("consumer-loan", "200100.00", 12),
        "amount-out-of-range",
        "amount",
    );
    check_refusal(
        &engine,
        base("consumer-loan", "10050.00", 12),
        "amount-off-step",
        "amount",
    );
    check_refusal(
        &engine,
        base("consumer-loan", "10000.00", 18),
        "term-not-offered",
        "termMonths",
    );
    check_refusal(
        &engine,
        base("consumer-loan", "10000.00", 0),
        "term-not-offered",
        "termMonths",
    );
    check_refusal(
        &engine,
        base("nope", "10000.00", 12),
        "unknown-product",
        "productId",
    );
    check_refusal(
        &engine,
        base("consumer-loan", "12.345", 12),
        "over-precise-amount",
        "amount",
    );
    let mut flat = base("consumer-loan", "10000.00", 12);
    flat["method"] = json!("flat-fee");
    check_refusal(&engine, flat, "method-not-offered", "method");
    let mut no_band = base("consumer-loan", "10000.00", 12);
    no_band["band"] = json!("Z");
    check_refusal(&engine, no_band, "no-price", "band");
    let mut promo = base("consumer-loan", "10000.00", 12);
    promo["promotions"] = json!(["interest-free-30", "free-money"]);
    check_refusal(&engine, promo, "unknown-promotion", "promotions[1]");
    let mut bad_date = base("consumer-loan", "10000.00", 12);
    bad_date["startDate"] = json!("2026-02-30");
    check_refusal(&engine, bad_date, "invalid-date", "startDate");
    // Unknown request fields are refused by the JSON door with their path.
    let api = puhui::api::quote_text(
        &engine,
        br#"{"productId":"consumer-loan","amount":"1000.00","termMonths":12,"rate":"0"}"#,
    )
    .unwrap_err();
    assert_eq!(api.code, "unknown-field");
}

#[test]
fn promotions_by_id_and_subsidy_lower_the_net_rate() {
    let engine = engine();
    let plain = quote(
        &engine,
        json!({"productId": "consumer-loan", "amount": "20000.00", "termMonths": 12, "band": "C", "startDate": "2026-12-01"}),
    );
    let promoted = quote(
        &engine,
        json!({"productId": "consumer-loan", "amount": "20000.00", "termMonths": 12, "band": "C", "startDate": "2026-12-01",
               "promotions": ["interest-free-30", "rate-discount-20-3"]}),
    );
    let rate = |q: &Value, field: &str| -> rust_decimal::Decimal {
        q["subsidy"][field].as_str().unwrap().parse().unwrap()
    };
    assert!(rate(&promoted, "rateAfterPromotions") < rate(&plain, "rateAfterPromotions"));
    assert!(
        rate(&plain, "netRate") < rate(&plain, "grossRate"),
        "the 2026 subsidy applies"
    );
    let order = promoted["subsidy"]["appliedOrder"].as_array().unwrap();
    assert!(order.iter().any(|s| s == "interest-free-days"), "{order:?}");
    // The disclosed (contract) figures do not change with promotions.
    assert_eq!(plain["disclosure"], promoted["disclosure"]);
}

#[test]
fn verified_payloads_that_break_the_schema_are_refused_with_paths() {
    let pinned = TrustedRoot::from_pinned(&fixture("root.json")).unwrap();
    let now = parse_rfc3339(&now()).unwrap();
    let options = VerifyOptions {
        preview_allowed: true,
        ..VerifyOptions::default()
    };
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            |p| p["products"][0]["colour"] = json!("red"),
            "unknown-field",
            "payload.products[0]",
        ),
        (
            |p| p["products"][0]["caps"][0] = json!("nope"),
            "unknown-reference",
            "payload.products[0].caps[0]",
        ),
        (
            |p| p["products"][1]["id"] = json!("consumer-loan"),
            "duplicate-id",
            "payload.products[1].id",
        ),
        (
            |p| p["products"][2]["amount"]["min"] = json!("0.00"),
            "invalid-bundle",
            "payload.products[2].amount.min",
        ),
    ];
    for (edit, code, path) in cases {
        let mut payload = sample_payload();
        edit(&mut payload);
        let bytes = serde_json::to_vec(&payload).unwrap();
        let (verified, _) =
            verify(&bytes, &pinned, &BundleState::default(), now, &options).unwrap();
        let err = Engine::from_verified(verified).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert!(
            err.path().unwrap().starts_with(path),
            "{code}: {:?}",
            err.path()
        );
    }
}

#[test]
fn assess_uses_the_bundle_model_and_offers_products_by_price_band() {
    let engine = engine();
    // The same model through the stateless `assess` operation is the independent reference.
    let model = sample_payload()["preEligibility"].clone();
    for applicant in [
        json!({"age": 45, "residency": "CN", "monthlyIncome": 8000, "housing": "own"}),
        json!({"age": 30, "residency": "CN", "monthlyIncome": 4000, "housing": "rent"}),
        json!({"age": 17, "residency": "US", "monthlyIncome": 6000, "housing": "own"}),
        json!({"age": 35, "residency": "CN", "housing": "own"}),
    ] {
        let text = puhui::api::assess_text(&engine, applicant.to_string().as_bytes()).unwrap();
        let result: Value = serde_json::from_str(&text).unwrap();
        let reference =
            common::call("assess", &json!({"model": model, "applicant": applicant})).unwrap();
        for field in [
            "decision",
            "score",
            "band",
            "reasons",
            "knockedOut",
            "decidedBy",
            "limit",
        ] {
            assert_eq!(result[field], reference[field], "{applicant} {field}");
        }
        assert_eq!(result["preview"], json!(false));
        let offers = result["offers"].as_array().unwrap();
        if reference["decision"] == json!("unlikely") {
            assert!(offers.is_empty(), "{applicant}");
            continue;
        }
        // Every offer quotes at its minimum amount with the band it names.
        for offer in offers {
            let mut request =
                json!({"productId": offer["productId"], "amount": offer["minAmount"]});
            let product = sample_payload()["products"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["id"] == offer["productId"])
                .unwrap()
                .clone();
            request["termMonths"] = product["terms"][0].clone();
            if let Some(band) = offer.get("band") {
                request["band"] = band.clone();
            }
            quote(&engine, request);
            // The indicative quote is the full quote at the limit: the same figures as quoting
            // those terms directly.
            let indicative = &offer["indicative"];
            assert!(
                indicative.is_object(),
                "{applicant}: offer without an indicative quote"
            );
            let mut direct = json!({
                "productId": offer["productId"], "amount": indicative["amount"],
                "termMonths": indicative["termMonths"], "method": indicative["method"],
            });
            if let Some(band) = offer.get("band") {
                direct["band"] = band.clone();
            }
            let direct = quote(&engine, direct);
            assert_eq!(indicative["percent"], direct["disclosure"]["cn"]["percent"]);
            assert_eq!(
                indicative["firstPayment"],
                direct["schedule"]["installments"][0]["payment"]
            );
            assert_eq!(indicative["totalCost"], direct["disclosure"]["totalCost"]);
            if let Some(max) = offer["maxAmount"].as_str() {
                let amount: rust_decimal::Decimal =
                    indicative["amount"].as_str().unwrap().parse().unwrap();
                assert!(
                    amount <= max.parse().unwrap(),
                    "{applicant}: indicative above the limit"
                );
            }
        }
    }
    let err = engine.assess(b"{\"age\": 30, \"age\": 31}").unwrap_err();
    assert_eq!(err.code(), "duplicate-key");
}

#[test]
fn a_bundle_without_a_model_refuses_assess() {
    let mut payload = sample_payload();
    payload.as_object_mut().unwrap().remove("preEligibility");
    let bytes = serde_json::to_vec(&payload).unwrap();
    let (engine, _) = Engine::load(
        &bytes,
        &fixture("root.json"),
        None,
        &now(),
        Some(br#"{"previewAllowed": true}"#),
    )
    .unwrap();
    let err = engine.assess(b"{}").unwrap_err();
    assert_eq!(err.code(), "no-pre-eligibility");
}

// ---------------------------------------------------------------------------------------------
// Parties (助贷 disclosure): who lends, serves, guarantees and insures, and what each charges.

fn dec(value: &Value) -> rust_decimal::Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn cents(value: rust_decimal::Decimal) -> rust_decimal::Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn party<'a>(q: &'a Value, id: &str) -> &'a Value {
    q["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == json!(id))
        .unwrap_or_else(|| panic!("party {id} in {}", q["parties"]))
}

fn charge(party: &Value, item: &str) -> rust_decimal::Decimal {
    dec(&party["charges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == json!(item))
        .unwrap_or_else(|| panic!("{item} in {party}"))["total"])
}

fn product_payload(id: &str) -> Value {
    sample_payload()["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == json!(id))
        .unwrap()
        .clone()
}

/// A preview engine over the sample payload with `edit` applied (verification with the
/// preview opt-in, so a test can change the signed data).
fn edited_engine(edit: impl Fn(&mut Value)) -> Result<Engine, puhui::ApiError> {
    let mut payload = sample_payload();
    edit(&mut payload);
    let draft = serde_json::to_vec(&payload).unwrap();
    let unsigned = serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, &draft, &[])).unwrap();
    Engine::load(
        &unsigned,
        &fixture("root.json"),
        None,
        &now(),
        Some(br#"{"previewAllowed": true}"#),
    )
    .map(|(engine, _)| engine)
}

#[test]
fn products_list_every_party_as_the_bundle_describes_it() {
    let engine = engine();
    let listed = serde_json::to_value(engine.products()).unwrap();
    for (product, wire) in listed["products"]
        .as_array()
        .unwrap()
        .iter()
        .zip(sample_payload()["products"].as_array().unwrap())
    {
        assert_eq!(product["parties"], wire["parties"], "{}", wire["id"]);
        let funders = wire["parties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["role"] == json!("funder"))
            .count();
        assert_eq!(funders, 1, "{}", wire["id"]);
    }
    // The partner page shows the signed issue date as "updated on".
    assert_eq!(engine.summary()["issuedAt"], sample_payload()["issuedAt"]);
}

#[test]
fn the_funder_charges_the_vector_interest_and_installment_fee() {
    let engine = engine();
    // Band A prices the consumer loan at the schedule vector's 7.2 %.
    let vector = common::vectors("schedules.json")
        .into_iter()
        .find(|c| c["name"] == json!("equal-installment 10000 @7.2% 12m"))
        .unwrap();
    let q = quote(
        &engine,
        json!({"productId": "consumer-loan", "amount": vector["request"]["principal"], "termMonths": 12, "band": "A"}),
    );
    let funder = party(&q, "funder-hengchuan-cf");
    assert_eq!(funder["role"], json!("funder"));
    assert_eq!(
        charge(funder, "interest"),
        dec(&vector["expected"]["totals"]["interest"])
    );
    assert_eq!(
        charge(funder, "installment-fee"),
        rust_decimal::Decimal::ZERO
    );
    assert_eq!(funder["total"], vector["expected"]["totals"]["interest"]);
    // The platform of this product charges nothing separately.
    let platform = party(&q, "platform-yunfan");
    assert_eq!(platform["charges"], json!([]));
    assert_eq!(platform["total"], json!("0.00"));

    // The card installment's flat fee (分期手续费) is the funder's.
    let vector = common::vectors("schedules.json")
        .into_iter()
        .find(|c| c["name"] == json!("flat-fee card installment 12000, 0.6%/period"))
        .unwrap();
    let q = quote(
        &engine,
        json!({"productId": "card-installment", "amount": vector["request"]["principal"], "termMonths": 12}),
    );
    let funder = party(&q, "funder-canglan-bank");
    assert_eq!(
        charge(funder, "installment-fee"),
        dec(&vector["expected"]["totals"]["fee"])
    );
    assert_eq!(charge(funder, "interest"), rust_decimal::Decimal::ZERO);
}

#[test]
fn each_fee_goes_to_its_party_and_promotions_reduce_the_funder_only() {
    let engine = engine();
    let wire = product_payload("partner-loan");
    let principal: rust_decimal::Decimal = "20000.00".parse().unwrap();
    let n = rust_decimal::Decimal::from(12);
    let q = quote(
        &engine,
        json!({"productId": "partner-loan", "amount": "20000.00", "termMonths": 12,
               "startDate": "2026-11-20", "promotions": ["interest-free-30"]}),
    );
    // Every fee, from the bundle's rule: a per-period rate r on the principal P over n periods
    // is n · round(P · r), charged by the party the fee names.
    let mut fees_total = rust_decimal::Decimal::ZERO;
    for fee in wire["fees"].as_array().unwrap() {
        assert_eq!(fee["timing"], json!("per-period"));
        let expected = n * cents(principal * dec(&fee["rate"]));
        let owner = party(&q, fee["party"].as_str().unwrap());
        assert_eq!(
            charge(owner, fee["kind"].as_str().unwrap()),
            expected,
            "{fee}"
        );
        fees_total += expected;
    }
    assert_eq!(party(&q, "guarantor-wenxin")["role"], json!("guarantor"));
    assert_eq!(party(&q, "insurer-dingheng")["role"], json!("insurer"));
    // 30 interest-free days on a 30/360 loan whose first period has 30 days (Nov 20 to Dec 20)
    // waive the first period's interest, P · rate / 12; the funder's interest is the
    // schedule's less that.
    let rate = dec(&wire["price"][0]["annualRate"]);
    let waived = cents(principal * rate / n);
    assert_eq!(dec(&q["subsidy"]["totals"]["promotionDiscount"]), waived);
    let funder = party(&q, "funder-canglan-bank");
    assert_eq!(
        charge(funder, "interest"),
        dec(&q["schedule"]["totals"]["interest"]) - waived
    );
    // The parties together are paid the whole cost of credit less the promotion.
    let paid: rust_decimal::Decimal = q["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let sum: rust_decimal::Decimal = p["charges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| dec(&c["total"]))
                .sum();
            assert_eq!(sum, dec(&p["total"]), "{p}");
            sum
        })
        .sum();
    assert_eq!(paid, dec(&q["schedule"]["totalCost"]) - waived);
    assert_eq!(
        dec(&q["schedule"]["totalCost"]) - dec(&q["schedule"]["totals"]["interest"]),
        fees_total
    );
    // Fees sit inside the comprehensive cost: the annualized rate is well above the 9.6 %
    // contract rate, and the product stays within the 24 % cap.
    assert!(dec(&q["disclosure"]["cn"]["rate"]) > rate + rust_decimal::Decimal::new(3, 2));
    assert_eq!(q["caps"]["compliant"], json!(true));
}

#[test]
fn a_guarantee_fee_can_push_a_product_over_the_24_percent_cap() {
    let idx = sample_payload()["products"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p["id"] == json!("partner-loan"))
        .unwrap();
    let guarantee = product_payload("partner-loan")["fees"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["kind"] == json!("guarantee"))
        .unwrap();
    let body = json!({"productId": "partner-loan", "amount": "10000.00", "termMonths": 12, "startDate": "2026-12-01"});
    let comprehensive = |q: &Value| {
        q["caps"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == json!("comprehensive-24"))
            .unwrap()["pass"]
            .clone()
    };
    // 0.6 % of the principal a month for the guarantee: the same loan breaks the cap.
    let heavy = edited_engine(|p| {
        p["products"][idx]["fees"][guarantee]["rate"] = json!("0.006");
    })
    .unwrap();
    let q = quote(&heavy, body.clone());
    assert_eq!(comprehensive(&q), json!(false));
    assert_eq!(q["caps"]["compliant"], json!(false));
    assert!(dec(&q["disclosure"]["cn"]["rate"]) > "0.24".parse().unwrap());
    assert_eq!(
        charge(party(&q, "guarantor-wenxin"), "guarantee"),
        "720.00".parse().unwrap()
    );
    // Without any guarantee fee it passes: the guarantee fee alone made the difference.
    let none = edited_engine(|p| {
        p["products"][idx]["fees"][guarantee]["rate"] = json!("0");
    })
    .unwrap();
    assert_eq!(comprehensive(&quote(&none, body)), json!(true));
}

#[test]
fn bundles_with_party_problems_are_refused_with_codes_and_paths() {
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str, &str)> = vec![
        (
            |p| p["products"][0]["parties"] = json!([]),
            "no-funder",
            "payload.products[0].parties",
        ),
        (
            |p| {
                p["products"][0]["parties"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|party| party["role"] != json!("funder"))
            },
            "no-funder",
            "payload.products[0].parties",
        ),
        (
            |p| p["products"][3]["fees"][1]["party"] = json!("insurer-nobody"),
            "unknown-reference",
            "payload.products[3].fees[1].party",
        ),
        (
            |p| {
                p["products"][3]["fees"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("party");
            },
            "fee-without-party",
            "payload.products[3].fees[0].party",
        ),
        (
            |p| p["products"][3]["parties"][2]["id"] = json!("platform-yunfan"),
            "duplicate-id",
            "payload.products[3].parties[2].id",
        ),
        (
            |p| p["products"][3]["parties"][1]["role"] = json!("funder"),
            "multiple-funders",
            "payload.products[3].parties[1].role",
        ),
        (
            |p| p["products"][1]["parties"][1]["servicePhone"] = json!("400-999-9999"),
            "conflicting-party",
            "payload.products[1].parties[1]",
        ),
        (
            |p| p["products"][0]["parties"][0]["role"] = json!("lender"),
            "invalid-bundle",
            "payload.products[0].parties[0].role",
        ),
    ];
    for (edit, code, path) in cases {
        let err = match edited_engine(edit) {
            Ok(_) => panic!("{code} accepted"),
            Err(err) => err,
        };
        assert_eq!(
            (err.code.as_str(), err.path.as_deref()),
            (code, Some(path)),
            "{}",
            err.message
        );
    }
}

/// The studio grid's CN-only quote is the full quote minus `disclosure.us` and `.eu`: every
/// other figure (schedule, CN rates, caps, subsidy, parties) byte-identical.
#[test]
fn cn_only_quote_is_the_quote_without_us_and_eu() {
    let engine = engine();
    for request in [
        json!({"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36, "band": "B", "startDate": "2026-12-01"}),
        json!({"productId": "consumer-loan", "amount": "20000.00", "termMonths": 12, "band": "C", "startDate": "2026-12-01", "promotions": ["interest-free-30", "rate-discount-20-3"]}),
    ] {
        let request: QuoteRequest = serde_json::from_value(request).unwrap();
        let mut full = serde_json::to_value(engine.quote_request(&request).unwrap()).unwrap();
        let cn_only =
            serde_json::to_value(engine.quote_request_cn_only(&request).unwrap()).unwrap();
        let disclosure = full["disclosure"].as_object_mut().unwrap();
        assert!(disclosure.remove("us").is_some() && disclosure.remove("eu").is_some());
        assert_eq!(full, cn_only);
    }
}
