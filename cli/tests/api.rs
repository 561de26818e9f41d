//! The re-check API of `puhui serve` over real HTTP/1.1 on loopback.
//!
//! Servers run in-process on 127.0.0.1:0 over a temporary bundle directory holding the committed
//! signed exemplar (`tests/fixtures/bundle`); one test runs the real binary to read its logs.
//! Expected answers come from the shared vectors and from the exemplar's own bytes (the sha256 is
//! computed here from the decoded payload), not from the server's code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use base64::Engine as _;
use common::{exchange, head, no_rate_limit, sha256_hex, Reply, Server};
use puhui_cli::serve::config::{ApiConfig, ServeConfig};
use puhui_cli::serve::publish::publish;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn exemplar() -> Vec<u8> {
    std::fs::read(repo("tests/fixtures/bundle/bundle.signed.json")).unwrap()
}

fn payload_sha256(envelope: &[u8]) -> String {
    let doc: Value = serde_json::from_slice(envelope).unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(doc["payload"].as_str().unwrap())
        .unwrap();
    sha256_hex(&payload)
}

fn vectors(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(repo(&format!("tests/vectors/{name}"))).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn start(api: ApiConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let bundles = dir.path().join("bundles");
    publish(&bundles, &exemplar(), "puhui-sample", "production", 1).unwrap();
    // A version 2 whose signature was tampered with: present on disk, never verified.
    let mut tampered: Value = serde_json::from_slice(&exemplar()).unwrap();
    let sig = tampered["signatures"][0]["sig"]
        .as_str()
        .unwrap()
        .to_owned();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    tampered["signatures"][0]["sig"] = Value::String(format!("{flipped}{}", &sig[1..]));
    std::fs::write(
        bundles.join("puhui-sample/production/2.json"),
        tampered.to_string(),
    )
    .unwrap();
    // A page beside the API: its wrong methods are the files' 405, not the API's.
    common::write(
        dir.path(),
        "www/index.html",
        b"<!doctype html><title>puhui</title>",
    );
    let config = ServeConfig {
        rate_limit: no_rate_limit(),
        api,
        ..ServeConfig::default()
    };
    Server::start(dir, config)
}

fn enabled() -> ApiConfig {
    ApiConfig {
        enabled: true,
        root: Some(repo("tests/fixtures/bundle/root.json")),
        max_body_bytes: 64 * 1024,
    }
}

/// The refusal's `error.code`, or "" for an answer.
fn error_code(reply: &Reply) -> String {
    reply.json()["error"]["code"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let length = body.len().to_string();
    let mut all = headers.to_vec();
    all.push(("Content-Length", &length));
    exchange(
        addr,
        head(addr, method, target, &all).as_bytes(),
        body,
        method == "HEAD",
    )
}

fn post(addr: SocketAddr, target: &str, body: &[u8]) -> Reply {
    request(
        addr,
        "POST",
        target,
        &[("Content-Type", "application/json")],
        body,
    )
}

#[test]
fn every_schedule_vector_over_http_matches_the_vector_and_the_contract() {
    let server = start(enabled());
    for case in vectors("schedules.json") {
        let body = case["request"].to_string();
        let reply = post(server.addr, "/api/v1/schedule", body.as_bytes());
        assert_eq!(reply.status, 200, "{}", case["name"]);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        // The same bytes as the CLI / wasm contract …
        let contract = puhui::api::call_text("schedule", body.as_bytes()).unwrap();
        assert_eq!(reply.body, contract.as_bytes(), "{}", case["name"]);
        // … and the vector's independent figures.
        let got = reply.json();
        for (idx, row) in case["expected"]["installments"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            for (field, value) in row.as_object().unwrap() {
                assert_eq!(&got["installments"][idx][field], value, "{}", case["name"]);
            }
        }
    }
}

#[test]
fn apr_disclose_and_subsidy_vectors_over_http() {
    let server = start(enabled());
    for case in vectors("apr.json") {
        let reply = post(
            server.addr,
            "/api/v1/apr",
            case["request"].to_string().as_bytes(),
        );
        assert_eq!(reply.status, 200);
        for (field, value) in case["expected"].as_object().unwrap() {
            assert_eq!(&reply.json()[field], value, "{}", case["name"]);
        }
    }
    for case in vectors("subsidy.json") {
        let body = json!({"schedule": case["schedule"], "program": case["program"], "subsidyUsed": case["subsidyUsed"]});
        let reply = post(server.addr, "/api/v1/subsidy", body.to_string().as_bytes());
        assert_eq!(reply.status, 200, "{}", case["name"]);
        assert_eq!(reply.json()["total"], case["expected"]["total"]);
    }
    let schedule = &vectors("schedules.json")[0]["request"];
    let body = json!({ "schedule": schedule }).to_string();
    let reply = post(server.addr, "/api/v1/disclose", body.as_bytes());
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body,
        puhui::api::call_text("disclose", body.as_bytes())
            .unwrap()
            .as_bytes()
    );
}

#[test]
fn quote_names_the_bundle_version_and_sha256() {
    let server = start(enabled());
    let request = json!({"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36,
                         "band": "B", "startDate": "2026-12-01"})
    .to_string();
    let reply = post(
        server.addr,
        "/api/v1/quote?bundleId=puhui-sample&channel=production&version=1",
        request.as_bytes(),
    );
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let sha = payload_sha256(&exemplar());
    assert_eq!(reply.header("puhui-bundle-version"), Some("1"));
    assert_eq!(reply.header("puhui-bundle-sha256"), Some(sha.as_str()));
    let quote = reply.json();
    assert_eq!(quote["bundle"]["version"], 1);
    assert_eq!(quote["bundle"]["sha256"], sha.as_str());
    // The same bytes as `puhui quote` on the same bundle (computed by the engine, loaded here).
    let now = puhui::date::fmt_rfc3339(
        i64::try_from(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
        )
        .unwrap(),
    );
    let root = std::fs::read(repo("tests/fixtures/bundle/root.json")).unwrap();
    let (engine, _) = puhui::engine::Engine::load(&exemplar(), &root, None, &now, None).unwrap();
    assert_eq!(
        reply.body,
        puhui::api::quote_text(&engine, request.as_bytes())
            .unwrap()
            .as_bytes()
    );
    // A second request is served from the verified engine cache, same bytes.
    let again = post(
        server.addr,
        "/api/v1/quote?bundleId=puhui-sample&version=1",
        request.as_bytes(),
    );
    assert_eq!(again.body, reply.body);
    // A refused request keeps its code and JSON path.
    let bad = post(
        server.addr,
        "/api/v1/quote?bundleId=puhui-sample&version=1",
        br#"{"productId":"consumer-loan","amount":"50000.001","termMonths":36}"#,
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["error"]["path"], "amount");
}

const ID_100: &str = "bundleId=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&version=1";
const ID_129: &str = "bundleId=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa&version=1";

#[test]
fn unknown_and_unverified_versions_are_refused_with_stable_codes() {
    let server = start(enabled());
    let body = br#"{"productId":"consumer-loan","amount":"50000.00","termMonths":12}"#;
    let cases: &[(&str, u16, &str)] = &[
        (
            "bundleId=puhui-sample&version=9",
            404,
            "unknown-bundle-version",
        ),
        ("bundleId=nope&version=1", 404, "unknown-bundle-version"),
        (
            "bundleId=puhui-sample&channel=preview&version=1",
            404,
            "unknown-bundle-version",
        ),
        ("bundleId=puhui-sample", 400, "invalid-version"),
        ("bundleId=puhui-sample&version=0", 400, "invalid-version"),
        ("bundleId=../etc&version=1", 400, "invalid-bundle-id"),
        ("version=1", 400, "invalid-bundle-id"),
        // The one id rule (`puhui::bundle::valid_id`, 128 bytes, docs/limits.md) at this door
        // too: a 100-byte id is a well-formed name that is simply not published; 129 bytes is not
        // an id. (This door once allowed 64.)
        (ID_100, 404, "unknown-bundle-version"),
        (ID_129, 400, "invalid-bundle-id"),
        (
            "bundleId=puhui-sample&version=1&version=2",
            400,
            "invalid-query",
        ),
    ];
    for (query, status, code) in cases {
        let reply = post(server.addr, &format!("/api/v1/quote?{query}"), body);
        assert_eq!(
            (reply.status, error_code(&reply).as_str()),
            (*status, *code),
            "{query}"
        );
    }
    let tampered = post(
        server.addr,
        "/api/v1/quote?bundleId=puhui-sample&version=2",
        body,
    );
    assert_eq!(tampered.status, 422);
    // The verifier's own code, as `puhui verify` prints it for the same file.
    assert!(
        error_code(&tampered).contains("signature"),
        "{}",
        String::from_utf8_lossy(&tampered.body)
    );
    let no_root = start(ApiConfig {
        root: None,
        ..enabled()
    });
    let reply = post(
        no_root.addr,
        "/api/v1/quote?bundleId=puhui-sample&version=1",
        body,
    );
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (503, "no-trust-root")
    );
}

#[test]
fn body_cap_media_type_and_no_assess() {
    let server = start(ApiConfig {
        max_body_bytes: 1024,
        ..enabled()
    });
    let big = vec![b' '; 4096];
    let reply = post(server.addr, "/api/v1/schedule", &big);
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (413, "body-too-large")
    );
    let reply = request(server.addr, "POST", "/api/v1/schedule", &[], b"{}");
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (415, "unsupported-media-type")
    );
    // Pre-eligibility answers never leave the device: there is no assess (nor score) endpoint.
    for op in ["assess", "score"] {
        let reply = post(server.addr, &format!("/api/v1/{op}"), b"{}");
        assert_eq!(
            (reply.status, error_code(&reply).as_str()),
            (404, "unknown-operation")
        );
    }
    let reply = request(server.addr, "GET", "/api/v1/schedule", &[], b"");
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (405, "method-not-allowed")
    );
    let reply = post(server.addr, "/api/v1/schedule", b"{");
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (400, "malformed-json")
    );
    // Security headers apply to the API too.
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn the_api_is_off_unless_enabled() {
    let server = start(ApiConfig::default());
    let body = vectors("schedules.json")[0]["request"].to_string();
    // Off, the API's paths are no route at all: not found, as any unknown path.
    let reply = post(server.addr, "/api/v1/schedule", body.as_bytes());
    assert_eq!(
        (reply.status, error_code(&reply).as_str()),
        (404, "not-found")
    );
}

/// Every refusal of a method or route is the JSON error shape with a stable code (a wrong
/// method on a real route: 405 with that route's `Allow`; an unknown route: 404), never an
/// empty or plain-text body, on every route the server has: the API's, the files', `/healthz`
/// and `/embed-config.json`.
#[test]
fn wrong_methods_and_unknown_routes_are_typed_json_errors() {
    let server = start(enabled());
    const API: Option<&str> = Some("POST, OPTIONS");
    const FILES: Option<&str> = Some("GET, HEAD, OPTIONS");
    let quote = "/api/v1/quote?bundleId=puhui-sample&version=1";
    // (method, target, status, code, Allow)
    let cases = [
        ("GET", "/api/v1/schedule", 405, "method-not-allowed", API),
        ("HEAD", "/api/v1/apr", 405, "method-not-allowed", API),
        ("PUT", quote, 405, "method-not-allowed", API),
        ("DELETE", "/api/v1/disclose", 405, "method-not-allowed", API),
        ("PATCH", "/api/v1/subsidy", 405, "method-not-allowed", API),
        ("GET", "/api/v1/assess", 404, "unknown-operation", None),
        ("POST", "/api/v1/%FF", 404, "unknown-operation", None),
        ("POST", "/api/v2/schedule", 404, "not-found", None),
        ("POST", "/api/v1/", 404, "not-found", None),
        ("POST", "/api/v1/schedule/extra", 404, "not-found", None),
        ("POST", "/nope", 404, "not-found", None),
        ("DELETE", "/nope/", 404, "not-found", None),
        ("POST", "/index.html", 405, "method-not-allowed", FILES),
        ("PUT", "/", 405, "method-not-allowed", FILES),
        ("POST", "/healthz", 405, "method-not-allowed", FILES),
        (
            "DELETE",
            "/embed-config.json",
            405,
            "method-not-allowed",
            FILES,
        ),
    ];
    for (method, target, status, code, allow) in cases {
        let reply = request(
            server.addr,
            method,
            target,
            &[("Content-Type", "application/json")],
            b"{}",
        );
        let label = format!("{method} {target}");
        assert_eq!(reply.status, status, "{label}");
        assert_eq!(reply.header("allow"), allow, "{label}");
        assert_eq!(
            reply.header("content-type"),
            Some("application/json"),
            "{label}"
        );
        if method == "HEAD" {
            // The head of the JSON refusal: its length, without its bytes.
            assert!(
                reply.header("content-length").is_some_and(|n| n != "0"),
                "{label}"
            );
            continue;
        }
        let body: Value = serde_json::from_slice(&reply.body)
            .unwrap_or_else(|_| panic!("{label}: {}", String::from_utf8_lossy(&reply.body)));
        assert_eq!(body["error"]["code"], code, "{label}: {body}");
        assert!(body["error"]["message"].is_string(), "{label}: {body}");
    }
    // A plain OPTIONS names what each route takes.
    let reply = request(server.addr, "OPTIONS", "/api/v1/schedule", &[], b"");
    assert_eq!((reply.status, reply.header("allow")), (204, API));
    let reply = request(server.addr, "OPTIONS", "/index.html", &[], b"");
    assert_eq!((reply.status, reply.header("allow")), (204, FILES));
}

#[test]
fn config_file_enables_the_api_and_checks_the_body_cap() {
    let config =
        ServeConfig::from_json(br#"{"api":{"enabled":true,"maxBodyBytes":2048}}"#).unwrap();
    assert!(config.api.enabled);
    assert_eq!(config.api.max_body_bytes, 2048);
    let refused = ServeConfig::from_json(br#"{"api":{"maxBodyBytes":0}}"#);
    assert!(matches!(refused, Err(ref e) if puhui::ErrorCode::code(e) == "bad-api-body-bytes"));
    let refused = ServeConfig::from_json(br#"{"api":{"enable":true}}"#);
    assert!(matches!(refused, Err(ref e) if puhui::ErrorCode::code(e) == "unknown-field"));
}

/// The real binary: no applicant or request data in its logs, whatever the answer.
#[test]
fn no_request_data_in_the_logs() {
    let dir = tempfile::tempdir().unwrap();
    let bundles = dir.path().join("bundles");
    publish(&bundles, &exemplar(), "puhui-sample", "production", 1).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(["serve", "--addr", "127.0.0.1:0", "--dir"])
        .arg(dir.path())
        .arg("--bundles")
        .arg(&bundles)
        .arg("--api-root")
        .arg(repo("tests/fixtures/bundle/root.json"))
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut reader = BufReader::new(stderr);
    let mut first = String::new();
    while !first.contains("listening on") {
        let mut line = String::new();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "server exited: {first}"
        );
        first.push_str(&line);
    }
    let addr: SocketAddr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("listening line")
        .parse()
        .unwrap();
    let marker = "APPLICANT-7f3a-MARKER";
    let bodies = [
        ("schedule", format!(r#"{{"principal":"{marker}"}}"#)),
        (
            "quote?bundleId=puhui-sample&version=1",
            format!(r#"{{"productId":"{marker}","amount":"1000.00","termMonths":12}}"#),
        ),
        (
            "quote?bundleId=puhui-sample&version=1",
            format!(
                r#"{{"productId":"consumer-loan","amount":"50000.00","termMonths":12,"context":{{"name":"{marker}"}}}}"#
            ),
        ),
        ("assess", format!(r#"{{"income":"{marker}"}}"#)),
    ];
    for (op, body) in &bodies {
        let reply = post(addr, &format!("/api/v1/{op}"), body.as_bytes());
        assert!(reply.status >= 200);
    }
    child.kill().unwrap();
    let _ = child.wait();
    let mut rest = String::new();
    let _ = reader.read_to_string(&mut rest);
    let logs = format!("{first}{rest}");
    assert!(!logs.contains(marker), "{logs}");
}
