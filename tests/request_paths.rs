#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Request parse failures: the code, message and JSON path of `from_json_slice` are compared
//! with the path-tracking parse it replaced (serde_path_to_error over serde_json), on thousands
//! of mutations of real requests for every operation: wrong types at every node, missing and
//! unknown and duplicate keys, truncations, and pretty-printed variants.
mod common;

use common::vectors;
use puhui::error::from_json_slice;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// The former implementation, kept here as the oracle.
fn tracked<T: DeserializeOwned>(bytes: &[u8]) -> Result<(), (String, String, Option<String>)> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let lower = |m: &str| {
        // Requests' messages carry no ` at line L column C` (the path says where).
        let m = m.rsplit_once(" at line ").map_or(m, |(bare, _)| bare);
        let m = m.trim_end_matches('.');
        let mut c = m.chars();
        c.next()
            .map(|f| f.to_lowercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    match parsed {
        Ok(_) => deserializer
            .end()
            .map_err(|e| ("malformed-json".into(), lower(&e.to_string()), None)),
        Err(err) => {
            let path = err.path().to_string();
            let path = (path != "." && !path.is_empty()).then_some(path);
            let message = lower(&err.inner().to_string());
            // Issue 12: a duplicate key is reported at the key's own path (the former parser
            // named the object holding it).
            let path = match message
                .strip_prefix("duplicate field `")
                .and_then(|rest| rest.split_once('`'))
            {
                Some((key, _)) => {
                    Some(path.map_or_else(|| key.to_owned(), |p| format!("{p}.{key}")))
                }
                None => path,
            };
            Err((String::new(), message, path))
        }
    }
}

fn compare<T: DeserializeOwned>(op: &str, bytes: &[u8]) -> bool {
    let old = tracked::<T>(bytes);
    let new = from_json_slice::<T>(bytes).map(|_| ());
    match (old, new) {
        (Ok(()), Ok(())) => false,
        (Err((code, message, path)), Err(err)) => {
            let text = format!("{:?}", String::from_utf8_lossy(bytes));
            assert_eq!(err.message, message, "{op}: message of {text}");
            assert_eq!(err.path, path, "{op}: path of {text}");
            if !code.is_empty() {
                assert_eq!(err.code, code, "{op}: code of {text}");
            }
            true
        }
        (old, new) => panic!(
            "{op}: {} → old {old:?}, new {new:?}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

/// Every variant of `value` (`common::mutations`) with this test's replacement nodes.
fn mutations(value: &Value) -> Vec<Value> {
    let replacements = [
        json!(null),
        json!(true),
        json!(-1),
        json!(12),
        json!(1.5),
        json!("x"),
        json!("2025-01-31"),
        json!([]),
        json!({}),
        json!([1, "a"]),
        json!({"zz": 1}),
        json!([{"kind": "interest-coupon"}]),
        json!({"kind": "rate-discount", "fraction": "0.2"}),
    ];
    common::mutations(value, &replacements)
}

/// A hand-written request reader (`ScheduleRequest::from_json`, …).
type Hand<T> = fn(&[u8]) -> Result<T, puhui::error::ApiError>;

/// The hand-written reader against the path-tracking serde parse (the oracle): on a document
/// the strict gate accepts, the same outcome, code, JSON path and message (serde's message
/// without its ` at line L column C`; the path says where); on one it refuses (truncated,
/// a duplicate key, a number out of range), the gate's code. Returns whether it was refused.
fn compare_hand<O: DeserializeOwned + Into<T>, T: PartialEq + std::fmt::Debug>(
    op: &str,
    bytes: &[u8],
    hand: Hand<T>,
) -> bool {
    use puhui::json::strict::{check, Limits, StrictJsonError};
    let text = format!("{:?}", String::from_utf8_lossy(bytes));
    let new = hand(bytes);
    let limits = Limits {
        max_bytes: usize::MAX,
        max_depth: puhui::json::strict::HARD_MAX_DEPTH,
    };
    if let Err(refusal) = check(bytes, limits) {
        let code = match refusal {
            StrictJsonError::DuplicateKey { .. } => "duplicate-key",
            StrictJsonError::NumberOutOfRange { .. } => "out-of-range",
            StrictJsonError::Syntax { .. } => "malformed-json",
            StrictJsonError::TooDeep { .. } => "too-deep",
            StrictJsonError::TooLarge { .. } => "too-large",
        };
        assert_eq!(new.expect_err(&text).code, code, "{op}: code of {text}");
        return true;
    }
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        let err = new.expect_err(&text);
        assert_eq!(
            (err.code.as_str(), err.path),
            ("invalid-request", None),
            "{text}"
        );
        return true;
    }
    match (tracked::<O>(bytes), new) {
        (Ok(()), Ok(read)) => {
            // Both readers give the same value.
            let serde: T = serde_json::from_slice::<O>(bytes).unwrap().into();
            assert_eq!(serde, read, "{op}: {text}");
            false
        }
        (Err((_, message, path)), Err(err)) => {
            let code = if message.starts_with("unknown field") {
                "unknown-field"
            } else if message.starts_with("missing field") {
                "missing-field"
            } else {
                "invalid-request"
            };
            assert_eq!(err.message, message, "{op}: message of {text}");
            assert_eq!(err.path, path, "{op}: path of {text}");
            assert_eq!(err.code, code, "{op}: code of {text}");
            true
        }
        (old, new) => panic!("{op}: {text} → serde {old:?}, hand-written {new:?}"),
    }
}

fn run<T: DeserializeOwned>(op: &str, seeds: &[Value]) {
    run_with(op, seeds, &|bytes| compare::<T>(op, bytes));
}

/// [`run`] for an operation read by a hand-written reader, compared with serde's derive on `O`
/// (the engine's type, or its mirror in [`oracle`]).
fn run_hand<O: DeserializeOwned + Into<T>, T: PartialEq + std::fmt::Debug>(
    op: &str,
    seeds: &[Value],
    hand: Hand<T>,
) {
    run_with(op, seeds, &|bytes| compare_hand::<O, T>(op, bytes, hand));
}

fn run_with(op: &str, seeds: &[Value], compare: &dyn Fn(&[u8]) -> bool) {
    let (mut failures, mut total) = (0, 0);
    for seed in seeds {
        let bytes = serde_json::to_vec(seed).unwrap();
        for cut in (1..bytes.len()).step_by(7) {
            compare(&bytes[..cut]);
        }
        for variant in mutations(seed) {
            for text in common::texts(&variant) {
                total += 1;
                failures += usize::from(compare(&text));
            }
        }
    }
    // The mutations must exercise both outcomes.
    assert!(
        failures > 100 && failures < total,
        "{op}: {failures} of {total}"
    );
}

fn requests(file: &str) -> Vec<Value> {
    vectors(file)
        .into_iter()
        .map(|case| case["request"].clone())
        .collect()
}

#[test]
fn schedule_paths_match_the_tracking_parser() {
    let mut seeds = requests("schedules.json");
    seeds.push(
        json!({"principal": "10000.00", "annualRate": "0.12", "termMonths": 12,
        "method": "equal-installment", "fees": [
            {"kind": "service", "timing": "per-period", "rate": "0.0013"},
            {"kind": "guarantee", "timing": "upfront-deducted", "amount": "12.34"}]}),
    );
    use puhui::schedule::ScheduleRequest;
    run::<ScheduleRequest>("schedule", &seeds);
    run_hand::<ScheduleRequest, _>("schedule", &seeds, ScheduleRequest::from_json);
    // serde_json reads the token `-0` as the float -0.0, never as the integer 0 (serde_json
    // writes no such token, so the mutations above never hold it).
    for text in [
        r#"{"principal":"1.00","termMonths":-0,"method":"bullet"}"#,
        r#"{"principal":-0,"termMonths":12,"method":"bullet"}"#,
        r#"{"principal":"1.00","termMonths":12,"method":"bullet","fees":[{"kind":-0}]}"#,
    ] {
        let refused = compare_hand::<ScheduleRequest, _>(
            "schedule",
            text.as_bytes(),
            ScheduleRequest::from_json,
        );
        assert!(refused, "{text}");
    }
}

#[test]
fn apr_paths_match_the_tracking_parser() {
    let mut seeds = requests("apr.json");
    seeds.push(json!({"method": "us-regz", "unitPeriod": "month",
        "advances": [{"date": "2025-01-01", "amount": "1000.00"}],
        "payments": [{"date": "2025-02-01", "amount": "510.00"}, "500.00"]}));
    run::<oracle::AprRequest>("apr", &seeds);
    run_hand::<oracle::AprRequest, _>("apr", &seeds, puhui::apr::AprRequest::from_json);
    for field in ["yearDays", "periodsPerYear", "unitMultiple"] {
        let text = format!(r#"{{"method":"cn-irr","{field}":-0}}"#);
        let refused = compare_hand::<oracle::AprRequest, _>(
            "apr",
            text.as_bytes(),
            puhui::apr::AprRequest::from_json,
        );
        assert!(refused, "{text}");
    }
}

#[test]
fn disclose_and_subsidy_paths_match_the_tracking_parser() {
    let schedule = requests("schedules.json").remove(0);
    let disclose = vec![json!({"schedule": schedule, "institutionType": "bank"})];
    run::<oracle::DiscloseRequest>("disclose", &disclose);
    run_hand::<oracle::DiscloseRequest, _>(
        "disclose",
        &disclose,
        puhui::disclosure::DiscloseRequest::from_json,
    );
    let mut subsidy: Vec<Value> = vectors("subsidy.json")
        .into_iter()
        .map(|case| json!({"schedule": case["schedule"], "program": case["program"]}))
        .take(2)
        .collect();
    subsidy.push(json!({"schedule": schedule, "promotions": [
        {"kind": "interest-coupon", "amount": "100.00"},
        {"kind": "rate-discount", "fraction": "0.2", "periods": 2},
        {"kind": "interest-free-days", "days": 30}]}));
    run::<puhui::subsidy::SubsidyRequest>("subsidy", &subsidy);
}

/// Bundle documents: `strict_json::from_slice` (bytes) and `strict_json::from_value` (a parsed
/// payload) against the path-tracking parse they replaced, on mutations of real documents.
fn compare_bundle<T: DeserializeOwned>(what: &str, value: &Value) -> bool {
    use puhui::bundle::strict_json::{self, Limits, ParseError};
    let old: Result<T, _> = serde_path_to_error::deserialize(value);
    let new = strict_json::from_value::<T>(value);
    let failed = match (old, new) {
        (Ok(_), Ok(_)) => false,
        (Err(old), Err((path, reason))) => {
            assert_eq!(path, old.path().to_string(), "{what}: path of {value}");
            assert_eq!(reason, old.inner().to_string(), "{what}: reason of {value}");
            true
        }
        (old, new) => panic!("{what}: {value} → old {:?}, new {:?}", old.err(), new.err()),
    };
    for text in common::texts(value) {
        let mut deserializer = serde_json::Deserializer::from_slice(&text);
        let old: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
        let new = strict_json::from_slice::<T>(&text, Limits::default());
        match (old, new) {
            (Ok(_), Ok(_)) | (_, Err(ParseError::Strict(_))) => {}
            (Err(old), Err(ParseError::Shape { path, reason })) => {
                let old_path = old.path().to_string();
                let old_path = if old_path == "." {
                    String::new()
                } else {
                    old_path
                };
                let shown = String::from_utf8_lossy(&text);
                assert_eq!(path, old_path, "{what}: path of {shown}");
                assert_eq!(reason, old.inner().to_string(), "{what}: reason of {shown}");
            }
            (old, new) => panic!("{what}: old {:?}, new {:?}", old.err(), new.err()),
        }
    }
    failed
}

fn run_bundle<T: DeserializeOwned>(what: &str, seed: &Value) {
    let variants = mutations(seed);
    let failures = variants
        .iter()
        .filter(|variant| compare_bundle::<T>(what, variant))
        .count();
    assert!(
        failures > 20 && failures < variants.len(),
        "{what}: {failures} of {}",
        variants.len()
    );
}

#[test]
fn bundle_paths_match_the_tracking_parser() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bundle/bundle.signed.json"
    ))
    .unwrap();
    let envelope: Value = serde_json::from_str(&text).unwrap();
    run_bundle::<puhui::bundle::dsse::Envelope>("envelope", &envelope);
    let sample = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/sample-bundle.json"
    ))
    .unwrap();
    let sample: Value = serde_json::from_str(&sample).unwrap();
    let mut header = serde_json::Map::new();
    for key in [
        "schema",
        "bundleId",
        "channel",
        "version",
        "issuedAt",
        "expiresAt",
        "minEngineVersion",
        "rootVersion",
        "description",
    ] {
        header.insert(key.into(), sample[key].clone());
    }
    run_bundle::<puhui::bundle::BundleHeader>("header", &Value::Object(header));
    let root = json!({"version": 1, "expiresAt": "2030-01-01T00:00:00Z", "threshold": 2,
        "keys": {"k1": {"alg": "ed25519", "public": "AAAA"},
                 "k2": {"alg": "ed25519", "public": "BBBB"}}});
    run_bundle::<puhui::bundle::RootPayload>("root payload", &root);
}

/// Issue 12, item 8: requests are objects, out-of-range numbers and duplicate keys get their
/// real paths, at every JSON door.
#[test]
fn requests_are_objects_and_every_refusal_has_its_path() {
    let refusal = |op: &str, text: &str| {
        let error = puhui::api::call(op, text.as_bytes()).expect_err(text);
        (error.code, error.path)
    };
    let at = |code: &str, path: Option<&str>| (code.to_owned(), path.map(str::to_owned));
    let schedule = r#"{"principal":"10000.00","annualRate":"0.072","termMonths":12,"method":"equal-installment"}"#;
    // An array where a request object is expected is refused, not read positionally.
    let positional = r#"["10000.00","0.072",12,"equal-installment"]"#;
    for op in ["schedule", "apr", "disclose", "subsidy"] {
        assert_eq!(refusal(op, positional), at("invalid-request", None), "{op}");
    }
    // A number outside every numeric range gets its own path and the out-of-range code.
    assert_eq!(
        refusal("schedule", &schedule.replace("12,", "1e400,")),
        at("out-of-range", Some("termMonths"))
    );
    assert_eq!(
        refusal(
            "apr",
            r#"{"method":"cn-irr","advance":"100.00","payments":[1e400]}"#
        ),
        at("out-of-range", Some("payments[0]"))
    );
    assert_eq!(
        refusal(
            "disclose",
            &format!(r#"{{"schedule":{}}}"#, schedule.replace("12,", "-1e400,"))
        ),
        at("out-of-range", Some("schedule.termMonths"))
    );
    // A duplicate key is `duplicate-key` (the code of the same problem in bundles and
    // applicants) at the key's path, wherever it is.
    assert_eq!(
        refusal(
            "schedule",
            &schedule.replace("\"termMonths\":12,", "\"termMonths\":12,\"termMonths\":12,")
        ),
        at("duplicate-key", Some("termMonths"))
    );
    let fee = schedule.replace(
        '}',
        r#","fees":[{"kind":"service","kind":"service","timing":"per-period","rate":"0.001"}]}"#,
    );
    assert_eq!(
        refusal("schedule", &fee),
        at("duplicate-key", Some("fees[0].kind"))
    );
    let untagged = r#"{"method":"cn-irr","advances":[{"date":"2025-01-01","amount":"1.00"}],"payments":[{"date":"2025-02-01","amount":"2.00","amount":"2.00"}]}"#;
    assert_eq!(
        refusal("apr", untagged),
        at("duplicate-key", Some("payments[0].amount"))
    );
    let program = format!(r#"{{"schedule":{schedule},"program":{{"rate":"0.01","rate":"0.02"}}}}"#);
    assert_eq!(
        refusal("subsidy", &program),
        at("duplicate-key", Some("program.rate"))
    );
}

/// A document that is not JSON is `malformed-json` at every JSON door, whatever it holds
/// before the break (a wrong type there once gave `invalid-request` from serde, which reads in
/// order), and the gate's other refusals have the same codes and paths at every door.
#[test]
fn every_door_judges_the_document_before_its_fields() {
    let refusal = |op: &str, text: &str| {
        let error = puhui::api::call(op, text.as_bytes()).expect_err(text);
        (error.code, error.path)
    };
    let at = |code: &str, path: Option<&str>| (code.to_owned(), path.map(str::to_owned));
    for op in ["schedule", "apr", "disclose", "subsidy"] {
        assert_eq!(
            refusal(op, r#"{"schedule": 5, "method": 7, "#),
            at("malformed-json", None),
            "{op}"
        );
        assert_eq!(
            refusal(op, r#"{"schedule": 5, "zz": [1, }"#),
            at("malformed-json", Some("zz[1]")),
            "{op}"
        );
        assert_eq!(
            refusal(op, r#"{"schedule": 5, "zz": 123456789012345678901234}"#),
            at("out-of-range", Some("zz")),
            "{op}"
        );
        let deep = format!(r#"{{"zz": {}{}}}"#, "[".repeat(120), "]".repeat(120));
        assert_eq!(refusal(op, &deep).0, "too-deep", "{op}");
    }
}

/// Issue 12, item 8, the whole kind: an array where any object is expected — a nested
/// request, a list element, a card's variable or bin — is refused with `invalid-request` at
/// the array's own path, never read positionally (serde's derived structs accept both).
#[test]
fn nested_objects_given_as_arrays_are_refused_at_their_path() {
    let refusal = |op: &str, text: &str| {
        let error = puhui::api::call(op, text.as_bytes()).expect_err(text);
        (error.code, error.path)
    };
    let at = |path: &str| ("invalid-request".to_owned(), Some(path.to_owned()));
    let schedule = r#"{"principal":"10000.00","annualRate":"0.072","termMonths":12,"method":"equal-installment"}"#;
    let positional = r#"["10000.00","0.072",12,"equal-installment"]"#;
    // A fee given as a list of its fields.
    let fees = schedule.replace('}', r#","fees":[["service","per-period","0.001"]]}"#);
    assert_eq!(refusal("schedule", &fees), at("fees[0]"));
    // A nested request given positionally.
    assert_eq!(
        refusal("disclose", &format!(r#"{{"schedule":{positional}}}"#)),
        at("schedule")
    );
    assert_eq!(
        refusal(
            "subsidy",
            &format!(r#"{{"schedule":{positional},"programs":[]}}"#)
        ),
        at("schedule")
    );
    // Dated flows given as [date, amount] pairs.
    assert_eq!(
        refusal(
            "apr",
            r#"{"method":"cn-irr","advances":[["2026-01-01","100.00"]],"payments":[{"date":"2027-01-01","amount":"110.00"}]}"#
        ),
        at("advances[0]")
    );
    assert_eq!(
        refusal(
            "apr",
            r#"{"method":"eu-aprc","advances":[{"date":"2026-01-01","amount":"100.00"}],"payments":[["2027-01-01","110.00"]]}"#
        ),
        at("payments[0]")
    );
    // An inline promotion (internally tagged) given as [kind, …].
    let promoted = format!(
        r#"{{"schedule":{schedule},"programs":[],"promotions":[["rate-discount","0.5"]]}}"#
    );
    let (code, path) = refusal("subsidy", &promoted);
    assert_eq!(code, "invalid-request");
    assert_eq!(path.as_deref(), Some("promotions[0]"));
    // A scorecard variable given as a list.
    let card: Value = serde_json::from_str(include_str!("scorecard/card.json")).unwrap();
    let mut broken = card.clone();
    let first = broken["variables"][0].clone();
    broken["variables"][0] = Value::Array(first.as_object().unwrap().values().cloned().collect());
    let request = json!({"card": broken, "applicant": {}}).to_string();
    let (code, path) = refusal("score", &request);
    assert_eq!(code, "invalid-request", "{path:?}");
    assert_eq!(
        path.as_deref().map(|p| p.starts_with("card.variables[0]")),
        Some(true),
        "{path:?}"
    );
}

/// serde mirrors of the request types that only the hand-written readers read now (the engine
/// no longer derives `Deserialize` for them): the same fields, attributes and objects-only rule
/// the derives had (`json_object.rs`), so the path-tracking parse of a mirror is the oracle the
/// hand-written reader is compared with.
mod oracle {
    use puhui::caps::{CapRequest, LprRequest};
    use puhui::schedule::ScheduleRequest;
    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde::Deserialize;
    use std::fmt;

    /// The map-only `Deserialize` of a struct derived with `remote = "Self"`.
    macro_rules! objects_only {
        ($($ty:ident),+) => {$(
            impl<'de> Deserialize<'de> for $ty {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    struct Only;
                    impl<'de> Visitor<'de> for Only {
                        type Value = $ty;
                        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                            f.write_str("a JSON object")
                        }
                        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                            $ty::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                        }
                    }
                    deserializer.deserialize_map(Only)
                }
            }
        )+};
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
    pub struct DatedFlowRequest {
        pub date: String,
        pub amount: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    pub enum PaymentEntry {
        Amount(String),
        Dated(DatedFlowRequest),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
    pub struct AprRequest {
        pub method: String,
        #[serde(default)]
        pub periods_per_year: Option<u32>,
        #[serde(default)]
        pub advance: Option<String>,
        #[serde(default)]
        pub advances: Option<Vec<DatedFlowRequest>>,
        #[serde(default)]
        pub payments: Vec<PaymentEntry>,
        #[serde(default)]
        pub year_days: Option<u32>,
        #[serde(default)]
        pub daily_rate: Option<String>,
        #[serde(default)]
        pub unit_period: Option<String>,
        #[serde(default)]
        pub unit_multiple: Option<u32>,
        #[serde(default)]
        pub time_basis: Option<String>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
    pub struct DiscloseRequest {
        pub schedule: ScheduleRequest,
        #[serde(default)]
        pub daily_rate: Option<String>,
        #[serde(default)]
        pub year_days: Option<u32>,
        #[serde(default)]
        pub caps: Option<Vec<CapRequest>>,
        #[serde(default)]
        pub lpr: Option<Vec<LprRequest>>,
        #[serde(default)]
        pub institution_type: Option<String>,
        #[serde(default)]
        pub as_of: Option<String>,
        #[serde(default)]
        pub eu_time_basis: Option<String>,
    }

    objects_only!(DatedFlowRequest, AprRequest, DiscloseRequest);

    /// The mirror's value as the engine's type, field by field, to compare what both read.
    pub fn dated(flow: DatedFlowRequest) -> puhui::apr::DatedFlowRequest {
        puhui::apr::DatedFlowRequest {
            date: flow.date,
            amount: flow.amount,
        }
    }

    impl From<AprRequest> for puhui::apr::AprRequest {
        fn from(r: AprRequest) -> Self {
            puhui::apr::AprRequest {
                method: r.method,
                periods_per_year: r.periods_per_year,
                advance: r.advance,
                advances: r.advances.map(|list| list.into_iter().map(dated).collect()),
                payments: r
                    .payments
                    .into_iter()
                    .map(|entry| match entry {
                        PaymentEntry::Amount(text) => puhui::apr::PaymentEntry::Amount(text),
                        PaymentEntry::Dated(flow) => puhui::apr::PaymentEntry::Dated(dated(flow)),
                    })
                    .collect(),
                year_days: r.year_days,
                daily_rate: r.daily_rate,
                unit_period: r.unit_period,
                unit_multiple: r.unit_multiple,
                time_basis: r.time_basis,
            }
        }
    }

    impl From<DiscloseRequest> for puhui::disclosure::DiscloseRequest {
        fn from(r: DiscloseRequest) -> Self {
            puhui::disclosure::DiscloseRequest {
                schedule: r.schedule,
                daily_rate: r.daily_rate,
                year_days: r.year_days,
                caps: r.caps,
                lpr: r.lpr,
                institution_type: r.institution_type,
                as_of: r.as_of,
                eu_time_basis: r.eu_time_basis,
            }
        }
    }
}
