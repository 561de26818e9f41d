//! What the HTTP tests of `puhui serve` share (`serve.rs`, `serve_delivery.rs`, `api.rs`): the
//! tokio runtime the in-process servers run on, and one plain HTTP/1.1 exchange over a raw TCP
//! socket with its parsed reply. Raw sockets rather than an HTTP client library, so the tests see
//! exactly the bytes the server wrote (header case, duplicates, `Content-Length`).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
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
