//! An over-size request gets one refusal at every door: the CLI (file and stdin, the
//! calculators and `quote`) and the server's re-check API print the wasm package's bytes,
//! `{"error":{"code":"too-large","message":"request of at least N bytes exceeds the
//! 1048576-byte limit","path":"request"}}`, whenever they know the size N
//! (`tests/js/cli-parity.test.mjs` compares the CLI with the wasm package itself).
//! A chunked HTTP body the server stops reading at its cap has only a lower bound for N: the
//! code and path are the same, the number is the bytes it read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{exchange, head, no_rate_limit, Reply, Server};
use puhui::limits::MAX_REQUEST_BYTES;
use puhui_cli::serve::config::{ApiConfig, ServeConfig};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

/// The wasm package's refusal of a request of `at_least` bytes (`wasm/src/lib.rs`, `too_large`
/// with what = "request"), written out here rather than taken from the CLI's code.
fn wasm_refusal(at_least: usize) -> String {
    format!(
        r#"{{"error":{{"code":"too-large","message":"request of at least {at_least} bytes exceeds the {MAX_REQUEST_BYTES}-byte limit","path":"request"}}}}"#
    )
}

/// A JSON object of exactly `len` bytes (ASCII, so as many bytes as UTF-16 units in JS).
fn request_of(len: usize) -> Vec<u8> {
    let mut bytes = br#"{"principal":"10000.00","pad":""#.to_vec();
    bytes.resize(len - 2, b'x');
    bytes.extend_from_slice(b"\"}");
    assert_eq!(bytes.len(), len);
    bytes
}

/// Runs `puhui args…` with `stdin` ([`common::run_puhui`]).
fn puhui(args: &[&str], stdin: &[u8]) -> (i32, String) {
    common::run_puhui(args, stdin)
}

#[test]
fn the_cli_refuses_an_over_size_request_in_the_wasm_package_s_words() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = repo("tests/fixtures/bundle/bundle.signed.json");
    let root = repo("tests/fixtures/bundle/root.json");
    let (bundle, root) = (bundle.to_str().unwrap(), root.to_str().unwrap());
    for len in [MAX_REQUEST_BYTES + 1, 2_000_000, 5 * MAX_REQUEST_BYTES + 7] {
        let request = request_of(len);
        let file = dir.path().join(format!("request-{len}.json"));
        std::fs::write(&file, &request).unwrap();
        let file = file.to_str().unwrap();
        let doors: [(Vec<&str>, &[u8]); 7] = [
            (vec!["schedule", file], b""),
            (vec!["schedule", "-"], &request),
            (vec!["apr", "-"], &request),
            (vec!["disclose", file], b""),
            (vec!["subsidy", "-"], &request),
            (
                vec!["quote", "--bundle", bundle, "--root", root, "-"],
                &request,
            ),
            (vec!["assess", "--bundle", bundle, "--root", root], &request),
        ];
        for (args, stdin) in doors {
            let (code, out) = puhui(&args, stdin);
            assert_eq!(out, wasm_refusal(len), "{args:?} {len}");
            assert_eq!(code, 1, "{args:?} {len}");
        }
    }
    // At the cap the request is the engine's to judge (here: a field the schedule lacks).
    let (code, out) = puhui(&["schedule", "-"], &request_of(MAX_REQUEST_BYTES));
    let refused: Value = serde_json::from_str(&out).unwrap();
    assert_ne!(refused["error"]["code"], "too-large", "{out}");
    assert_eq!(code, 1);
}

fn start(max_body_bytes: u64) -> Server {
    let config = ServeConfig {
        rate_limit: no_rate_limit(),
        api: ApiConfig {
            enabled: true,
            root: None,
            max_body_bytes,
        },
        ..ServeConfig::default()
    };
    Server::start(tempfile::tempdir().unwrap(), config)
}

fn post(server: &Server, extra: &[(&str, &str)], body: &[u8]) -> Reply {
    let mut headers = vec![("Content-Type", "application/json")];
    headers.extend_from_slice(extra);
    exchange(
        server.addr,
        head(server.addr, "POST", "/api/v1/schedule", &headers).as_bytes(),
        body,
        false,
    )
}

fn chunked(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for chunk in body.chunks(64 * 1024) {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

#[test]
fn the_api_refuses_an_over_size_request_with_the_same_bytes_as_the_cli() {
    // The default body cap (256 KiB) and one above the engine's cap: a request over the engine's
    // cap gets the engine's refusal either way, the one every door gives.
    for max_body_bytes in [256 * 1024, 4 * 1024 * 1024] {
        let server = start(max_body_bytes);
        for len in [MAX_REQUEST_BYTES + 1, 2_000_000] {
            let request = request_of(len);
            let length = len.to_string();
            let reply = post(&server, &[("Content-Length", &length)], &request);
            assert_eq!(reply.status, 413, "cap {max_body_bytes}, {len}");
            assert_eq!(
                String::from_utf8(reply.body.clone()).unwrap(),
                wasm_refusal(len),
                "cap {max_body_bytes}, {len}"
            );
            let (_, cli) = puhui(&["schedule", "-"], &request);
            assert_eq!(reply.body, cli.as_bytes(), "cap {max_body_bytes}, {len}");
            // Chunked, the size is known only up to where the server stopped reading.
            let reply = post(
                &server,
                &[("Transfer-Encoding", "chunked")],
                &chunked(&request),
            );
            assert_eq!(reply.status, 413, "chunked, cap {max_body_bytes}, {len}");
            let refused = reply.json();
            let code = if max_body_bytes > MAX_REQUEST_BYTES as u64 {
                assert_eq!(refused["error"]["path"], "request", "{refused}");
                "too-large"
            } else {
                "body-too-large"
            };
            assert_eq!(refused["error"]["code"], code, "{refused}");
        }
        // Within the engine's cap but over the server's own: the server's refusal.
        if max_body_bytes < MAX_REQUEST_BYTES as u64 {
            let request = request_of(300 * 1024);
            let length = request.len().to_string();
            let reply = post(&server, &[("Content-Length", &length)], &request);
            assert_eq!(reply.status, 413);
            assert_eq!(reply.json()["error"]["code"], "body-too-large");
        }
    }
}
