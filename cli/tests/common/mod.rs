//! What the HTTP tests of `puhui serve` share (`serve.rs`, `serve_delivery.rs`, `api.rs`): the
//! tokio runtime the in-process servers run on, the server itself started on 127.0.0.1:0 over a
//! temporary tree ([`Server::start`]), writing that tree's files, and one plain HTTP/1.1
//! exchange over a raw TCP socket with its parsed reply. Raw sockets rather than an HTTP client
//! library, so the tests see exactly the bytes the server wrote (header case, duplicates,
//! `Content-Length`). Also the signed-looking bundle envelope the server and `publish` tests
//! file ([`envelope`]) and the CLI run with a piped stdin ([`run_puhui`]).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use puhui_cli::serve::config::{RateLimitConfig, ServeConfig};
use puhui_cli::serve::{bind, ServeOptions};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// The runtime every in-process server of a test binary runs on.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    })
}

/// A rate limit no test reaches (the tests of the limit set their own).
pub fn no_rate_limit() -> RateLimitConfig {
    RateLimitConfig {
        per_second: 100_000,
        burst: 100_000,
    }
}

/// A `puhui serve` running in-process on the shared [`runtime`] until the test binary ends,
/// over the temporary tree `dir`: `www/`, `pkg/` and `bundles/` (what is in them is the test's).
pub struct Server {
    /// The tree served; removed when the server value is dropped.
    pub dir: tempfile::TempDir,
    /// Where it listens (127.0.0.1, a port the system chose).
    pub addr: SocketAddr,
}

impl Server {
    /// Binds a server with `config` over `dir/www`, `dir/pkg` and `dir/bundles` on 127.0.0.1:0.
    pub fn start(dir: tempfile::TempDir, config: ServeConfig) -> Server {
        let options = ServeOptions {
            www_dir: dir.path().join("www"),
            pkg_dir: dir.path().join("pkg"),
            bundles_dir: dir.path().join("bundles"),
            addr: "127.0.0.1:0".parse().unwrap(),
            config,
        };
        let bound = runtime()
            .block_on(bind(options, std::future::pending()))
            .unwrap();
        Server {
            dir,
            addr: bound.addr,
        }
    }

    /// A path in the served tree.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A file of the served tree.
    pub fn bytes(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap()
    }
}

/// Writes `bytes` to `root/rel`, creating its folders.
pub fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// SHA-256 in lower-case hex (the form of the server's ETags and of `latest.json`).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sends `method target` with `headers` (and `Connection: close`), no body, and reads the whole
/// reply.
pub fn send(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    exchange(
        addr,
        head(addr, method, target, headers).as_bytes(),
        &[],
        method == "HEAD",
    )
}

/// A whole HTTP reply.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers_all(name).into_iter().next()
    }

    /// Every header named `name` (any case), in order.
    pub fn headers_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// The request head `method target` with `Host`, `Connection: close` and `headers`, ending in
/// the blank line.
pub fn head(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> String {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// Writes `raw` then `body` and reads the reply to the end. The server may refuse before it
/// reads a large body, so a reset while sending the body (or reading after it) is not an error.
/// Unless the request was `HEAD` or the status has no body, a `Content-Length` must match.
pub fn exchange(addr: SocketAddr, raw: &[u8], body: &[u8], head_request: bool) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(raw).unwrap();
    let _ = stream.write_all(body);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    assert!(status_line.starts_with("HTTP/1.1 "), "{status_line}");
    let reply = Reply {
        status: status_line[9..12].parse().unwrap(),
        headers: lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                (name.trim().to_owned(), value.trim().to_owned())
            })
            .collect(),
        body: bytes[split + 4..].to_vec(),
    };
    if !head_request && reply.status != 304 && reply.status != 204 {
        if let Some(length) = reply.header("content-length") {
            assert_eq!(length.parse::<usize>().unwrap(), reply.body.len(), "length");
        }
    }
    reply
}

/// A signed-looking envelope (the server and `publish` never verify signatures, clients do):
/// a bundle header of `bundle_id`, `channel` and `version`, no products, and `marker` (when
/// given) to tell two payloads of one version apart.
pub fn envelope(bundle_id: &str, channel: &str, version: u64, marker: Option<&str>) -> Vec<u8> {
    use base64::Engine as _;
    let mut payload = serde_json::json!({
        "schema": "puhui.bundle/v1", "bundleId": bundle_id, "channel": channel, "version": version,
        "issuedAt": "2026-11-01T00:00:00Z", "expiresAt": "2027-11-01T00:00:00Z",
        "minEngineVersion": "0.1.0", "rootVersion": 1, "products": []
    });
    if let Some(marker) = marker {
        payload["marker"] = marker.into();
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(payload.to_string());
    serde_json::json!({
        "payloadType": "application/vnd.puhui.bundle+json",
        "payload": encoded,
        "signatures": [{"keyid": "dev-1", "sig": "c2lnbmF0dXJl"}]
    })
    .to_string()
    .into_bytes()
}

/// Runs `puhui args…` with `stdin` piped in; the exit code and stdout without its trailing
/// newline. The CLI may stop reading before the end of a long input: a broken pipe while
/// writing is not a failure.
pub fn run_puhui(args: &[&str], stdin: &[u8]) -> (i32, String) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let _ = input.write_all(stdin);
    drop(input);
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    (
        output.status.code().unwrap_or(-1),
        text.trim_end().to_owned(),
    )
}
