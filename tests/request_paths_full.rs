#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The full build's hand-written request readers (`subsidy`, `quote`, the bundle payload)
//! against the serde route they replaced (`from_json_request`: the request gate, the serde
//! derive, the path and message recovered in `src/error.rs`), on thousands of mutations of
//! real requests: wrong types at every node, missing, unknown and duplicate keys, truncations,
//! pretty-printed and reordered variants. Same outcome, code, JSON path and message for every
//! input (except where serde prints a float token's f64 value, `1e2` as `100.0`: the readers
//! echo it as written, `json::tree`'s documented difference; no mutation here makes one), and
//! the same value when both accept it.
mod common;

use common::vectors;
use puhui::error::{from_json_request, ApiError};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Every variant of `value` (`common::mutations`) with this test's replacement nodes.
fn mutations(value: &Value) -> Vec<Value> {
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(12),
        json!(1.5),
        json!(-0.0),
        json!(18_446_744_073_709_551_615_u64),
        json!("x"),
        json!("2025-01-31"),
        json!("consumer-loan"),
        json!([]),
        json!({}),
        json!([1, "a"]),
        json!(["rate-discount", "0.5"]),
        json!({"zz": 1}),
        json!({"consumer-loan": null}),
        json!({"per-year": 1}),
        json!({"original": null, "zz": 1}),
        json!({"zh-CN": "名", "en": "name"}),
        json!([{"kind": "interest-coupon"}]),
        json!({"kind": "rate-discount", "fraction": "0.2"}),
        json!({"zz": 1, "kind": "rate-discount", "fraction": 5, "aa": 2}),
        json!({"kind": "lottery"}),
    ];
    common::mutations(value, &replacements)
}

/// A hand-written reader of request bytes (`SubsidyRequest::from_json`, …).
type Hand<T> = fn(&[u8]) -> Result<T, ApiError>;

/// The path serde_path_to_error names for the failed serde parse of `bytes` (`None` at the
/// root, or when serde accepts it).
fn tracked<T: DeserializeOwned>(bytes: &[u8]) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let err = serde_path_to_error::deserialize::<_, T>(&mut deserializer).err()?;
    let path = err.path().to_string();
    (path != "." && !path.is_empty()).then_some(path)
}

std::thread_local! {
    /// The documents where the serde route's recovered path is not serde_path_to_error's.
    static RECOVERY_MISSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The hand-written reader against the serde route on one document: the same error (code,
/// message, path) or the same value. Returns whether it was refused.
///
/// One exception, counted in [`RECOVERY_MISSES`]: a value serde reads from a buffered copy
/// (an internally tagged promotion) as a member of an object, not an element of an array:
/// serde_json reports the failure where the buffered value ended, and `src/error.rs` recovers
/// the path from that position one level off (`promotions[0].promotion[1]` when a sibling
/// follows, `promotions[0]` for a missing field when none does). The hand reader names the
/// path serde_path_to_error names (`promotions[0].promotion`), with serde's code and message.
fn compare<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    what: &str,
    bytes: &[u8],
    hand: Hand<T>,
) -> bool {
    compare_with(what, bytes, hand, from_json_request::<T>)
}

/// [`compare`] against the serde route `serde` (a request door's `from_json_request`, or the
/// payload's gate then `from_json_slice`).
fn compare_with<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    what: &str,
    bytes: &[u8],
    hand: Hand<T>,
    serde: Hand<T>,
) -> bool {
    let serde = serde(bytes);
    let read = hand(bytes);
    let text = String::from_utf8_lossy(bytes);
    match (&read, &serde) {
        (Err(read), Err(serde)) if read.path != serde.path => {
            let tracked = tracked::<T>(bytes);
            assert_eq!(read.path, tracked, "{what}: path of {text}");
            assert_eq!(
                (&read.code, &read.message),
                (&serde.code, &serde.message),
                "{what}: {text}"
            );
            RECOVERY_MISSES.with(|misses| misses.set(misses.get() + 1));
        }
        _ => assert_eq!(read, serde, "{what}: {text}"),
    }
    read.is_err()
}

/// [`compare`] on every truncation, mutation and text variant of every seed; both outcomes
/// must occur. Returns how many documents were compared.
fn run<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    what: &str,
    seeds: &[Value],
    hand: Hand<T>,
) -> usize {
    run_with(what, seeds, hand, from_json_request::<T>)
}

/// [`run`] against the serde route `serde`.
fn run_with<T: DeserializeOwned + PartialEq + std::fmt::Debug>(
    what: &str,
    seeds: &[Value],
    hand: Hand<T>,
    serde: Hand<T>,
) -> usize {
    let (mut refused, mut total) = (0, 0);
    for seed in seeds {
        let bytes = serde_json::to_vec(seed).unwrap();
        for cut in (1..bytes.len()).step_by(11) {
            compare_with(what, &bytes[..cut], hand, serde);
        }
        for variant in mutations(seed) {
            for text in common::texts(&variant) {
                total += 1;
                refused += usize::from(compare_with(what, &text, hand, serde));
            }
        }
    }
    assert!(
        refused > 100 && refused < total,
        "{what}: {refused} of {total}"
    );
    let misses = RECOVERY_MISSES.with(std::cell::Cell::take);
    eprintln!("{what}: {total} documents, {refused} refused, {misses} recovered paths off serde_path_to_error's");
    total
}

fn schedule() -> Value {
    vectors("schedules.json").remove(0)["request"].clone()
}

#[test]
fn subsidy_requests_read_as_serde_read_them() {
    use puhui::subsidy::SubsidyRequest;
    let mut seeds: Vec<Value> = vectors("subsidy.json")
        .into_iter()
        .map(|case| {
            let mut request = case.clone();
            let object = request.as_object_mut().unwrap();
            for key in ["name", "source", "expected"] {
                object.remove(key);
            }
            request
        })
        .collect();
    seeds.push(json!({"schedule": schedule(), "builtinPrograms": true,
        "subsidyUsed": "10.00", "subsidyUsedSmall": "1.00",
        "context": {"institutionType": "bank", "loanKind": "consumer-loan",
                    "category": "cars", "asOf": "2025-10-01", "eligibleAmount": "1000.00"},
        "promotions": [
            {"kind": "merchant-funded", "share": "0.5"},
            {"kind": "interest-coupon", "amount": "100.00"},
            {"kind": "rate-discount", "fraction": "0.2", "periods": 2},
            {"kind": "interest-free-days", "days": 30}]}));
    let programs: Value = serde_json::from_str(puhui::subsidy::BUILTIN_PROGRAMS_JSON).unwrap();
    seeds.push(
        json!({"schedule": schedule(), "programs": programs["programs"],
        "program": programs["programs"][0]}),
    );
    let total = run::<SubsidyRequest>("subsidy", &seeds, SubsidyRequest::from_json);
    assert!(total > 5_000, "{total}");
}

/// What serde says at the edges of the promotion enum and the vocabulary enums, written out:
/// the cases the mutations reach only by chance.
#[test]
fn promotion_and_vocabulary_edges_read_as_serde_read_them() {
    use puhui::subsidy::SubsidyRequest;
    let schedule = schedule();
    let promotions = [
        r#"{"kind":"lottery"}"#,
        r#"{"share":"1"}"#,
        r#"{"kind":5}"#,
        r#"{"kind":null}"#,
        r#""x""#,
        r#"null"#,
        r#"[]"#,
        r#"["merchant-funded"]"#,
        r#"["rate-discount","0.5"]"#,
        r#"[1,"a"]"#,
        r#"["lottery"]"#,
        r#"{"zz":1,"kind":"rate-discount"}"#,
        r#"{"kind":"rate-discount","fraction":"0.1","periods":18446744073709551615}"#,
        r#"{"kind":"interest-free-days","days":-0}"#,
        r#"{"kind":"interest-free-days","days":1.0}"#,
        r#"{"kind":"merchant-funded","share":null}"#,
    ];
    for promotion in promotions {
        let text = format!(r#"{{"schedule":{schedule},"promotions":[{promotion}]}}"#);
        compare("subsidy", text.as_bytes(), SubsidyRequest::from_json);
    }
    let kinds = [
        "5",
        "null",
        "[]",
        "[1]",
        "{}",
        r#"{"zz":1}"#,
        r#"{"consumer-loan":null}"#,
        r#"{"consumer-loan":1}"#,
        r#"{"consumer-loan":null,"a":1}"#,
        "true",
        r#""x""#,
        "-0",
    ];
    for kind in kinds {
        for text in [
            format!(r#"{{"schedule":{schedule},"context":{{"loanKind":{kind},"category":"a"}}}}"#),
            format!(
                r#"{{"schedule":{schedule},"programs":[{{"rate":"0.01","loanKinds":["card-installment",{kind}],"zz":1}}]}}"#
            ),
            format!(
                r#"{{"schedule":{schedule},"program":{{"rate":"0.01","base":{kind},"perBorrowerCapScope":{kind}}}}}"#
            ),
        ] {
            compare("subsidy", text.as_bytes(), SubsidyRequest::from_json);
        }
    }
}

#[test]
fn quote_requests_read_as_serde_read_them() {
    use puhui::engine::QuoteRequest;
    let seeds = [
        json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12}),
        json!({"productId": "consumer-loan", "amount": "10000.00", "termMonths": 12,
            "method": "equal-installment", "startDate": "2026-01-15", "band": "B",
            "subsidyUsed": "10.00",
            "promotions": ["interest-free-30",
                {"kind": "interest-coupon", "amount": "50.00"},
                {"kind": "rate-discount", "fraction": "0.2", "periods": 3},
                {"kind": "merchant-funded", "share": "0.5"},
                {"kind": "interest-free-days", "days": 30}],
            "context": {"institutionType": "bank", "loanKind": "consumer-loan",
                "category": "cars", "asOf": "2026-01-15", "eligibleAmount": "1000.00"}}),
    ];
    let total = run::<QuoteRequest>("quote", &seeds, QuoteRequest::from_json);
    assert!(total > 3_000, "{total}");
    // An inline promotion read through `serde_json::Value`: members in key order, every
    // refusal at the choice's path.
    for promotion in [
        r#"{"zz":1,"kind":"rate-discount","fraction":5,"aa":2}"#,
        r#"{"kind":"rate-discount","zz":1,"aa":2}"#,
        r#"{"kind":"lottery"}"#,
        r#"[1,"a"]"#,
        r#"["rate-discount","0.5"]"#,
        r#"null"#,
        r#"{"kind":"interest-free-days","days":-0}"#,
    ] {
        let text = format!(
            r#"{{"productId":"a","amount":"1","termMonths":1,"promotions":["x",{promotion}]}}"#
        );
        assert!(compare("quote", text.as_bytes(), QuoteRequest::from_json));
    }
}

/// The sample payload cut to one product (and a few caps, LPR rows and texts) per seed, plus
/// a product with every optional field, so each mutation stays small.
fn payload_seeds() -> Vec<Value> {
    let sample: Value = serde_json::from_str(include_str!("../data/sample-bundle.json")).unwrap();
    let mut base = sample.clone();
    base["description"] = json!("sample");
    base["caps"] = json!(sample["caps"].as_array().unwrap()[..1]);
    base["lpr"] = json!(sample["lpr"].as_array().unwrap()[..1]);
    base["preEligibility"] = json!({"card": {"variables": []}});
    for language in ["zh-CN", "en"] {
        let texts = sample["texts"][language].as_object().unwrap();
        let few: serde_json::Map<String, Value> = texts
            .iter()
            .take(1)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        base["texts"][language] = Value::Object(few);
    }
    // The consumer loan, the card installment (flat fee), and one product with every field.
    let sample_products = sample["products"].as_array().unwrap();
    let mut products: Vec<Value> = vec![sample_products[0].clone(), sample_products[1].clone()];
    let mut full = products[0].clone();
    full["parties"] = json!([full["parties"][0]]);
    full["fees"] = json!([{"kind": "service", "timing": "per-period", "rate": "0.001",
        "party": "platform-yunfan"},
        {"kind": "guarantee", "timing": "upfront-paid", "amount": "10.00"}]);
    full["dailyRateYearDays"] = json!(365);
    full["price"] = json!([
        {"when": {"band": ["A"], "amount": {"min": "1000.00", "max": "5000.00"},
            "termMonths": [6, 12]}, "dailyRate": "0.0002"},
        {"feeRate": "0.006"}]);
    products.push(full);
    let mut seeds: Vec<Value> = products
        .into_iter()
        .map(|product| {
            let mut seed = base.clone();
            seed["products"] = json!([product]);
            seed
        })
        .collect();
    let mut extra = base.clone();
    extra["products"] = json!([]);
    extra["promotions"].as_array_mut().unwrap().extend([
        json!({"id": "mf", "promotion": {"kind": "merchant-funded", "share": "0.5"}}),
        json!({"id": "ic", "promotion": {"kind": "interest-coupon", "amount": "10.00"}}),
    ]);
    extra["subsidyPrograms"][0]["contractWindow"] =
        json!({"from": "2025-01-01", "to": "2026-12-31"});
    extra.as_object_mut().unwrap().remove("preEligibility");
    seeds.push(extra);
    seeds
}

/// The serde route `Catalog::from_slice` took: `from_json_slice` (serde_json, the derive, the
/// path recovered in `src/error.rs`), after the strict gate every payload passes first (the
/// verifier's, lint's, and now the reader's own).
fn payload_by_serde(bytes: &[u8]) -> Result<puhui::product::BundlePayload, ApiError> {
    puhui::json::tree::gate(bytes)?;
    puhui::error::from_json_slice(bytes)
}

#[test]
fn bundle_payloads_read_as_serde_read_them() {
    use puhui::product::BundlePayload;
    let seeds = payload_seeds();
    let read = BundlePayload::from_json;
    let total = run_with("payload", &seeds, read, payload_by_serde);
    assert!(total > 15_000, "{total}");
    // The whole sample and the test fixture, as they are.
    for text in [
        include_str!("../data/sample-bundle.json"),
        include_str!("fixtures/bundle/bundle.json"),
    ] {
        assert!(!compare_with(
            "payload",
            text.as_bytes(),
            read,
            payload_by_serde
        ));
    }
}
