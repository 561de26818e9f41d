//! `puhui serve` over real HTTP/1.1 on loopback, and the bundle publisher.
//!
//! Each test starts its own server in-process on 127.0.0.1:0 over a fresh temporary tree
//! (`www/`, `pkg/`, `bundles/` and a secret file *outside* them) and talks to it with a
//! deliberately dumb client over `std::net::TcpStream`: it sends request targets byte for byte,
//! so traversal attempts reach the server unnormalized. Expected ETags are computed here from
//! the fixture bytes, independently of the server's code.

// clippy's allow-unwrap-in-tests covers `#[test]` functions, not the helpers they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{exchange, no_rate_limit, runtime, send, sha256_hex, write, Reply, Server};
use puhui::ErrorCode;
use puhui_cli::serve::config::{RateLimitConfig, ServeConfig};
use puhui_cli::serve::publish::{publish, publish_with_limit};
use puhui_cli::serve::{bind, ServeOptions};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-ROOT";
const PARTNER: &str = "https://partner.example";
const WASM_BYTES: &[u8] = b"\0asm\x01\0\0\0";

/// A signed-looking envelope ([`common::envelope`]) with its marker.
fn envelope(bundle_id: &str, channel: &str, version: u64, marker: &str) -> Vec<u8> {
    common::envelope(bundle_id, channel, version, Some(marker))
}

fn start(config: ServeConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "secret.txt", SECRET.as_bytes());
    write(
        root,
        "www/index.html",
        b"<!doctype html><title>puhui</title>",
    );
    write(root, "www/app.js", b"export const answer = 42;\n");
    write(root, "www/style.css", b"body { margin: 0 }\n");
    write(
        root,
        "www/logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    write(
        root,
        "www/sub/index.html",
        b"<!doctype html><title>sub</title>",
    );
    write(root, "www/.env", SECRET.as_bytes());
    write(root, "pkg/puhui_wasm_bg.wasm", WASM_BYTES);
    write(
        root,
        "pkg/puhui_wasm.js",
        b"export default function init() {}\n",
    );
    write(root, "pkg/package.json", b"{\"name\":\"puhui\"}");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("www/escape.txt")).unwrap();
        std::os::unix::fs::symlink(root, root.join("www/up")).unwrap();
        std::os::unix::fs::symlink(root.join("www/app.js"), root.join("www/alias.js")).unwrap();
    }
    let bundles = root.join("bundles");
    publish(
        &bundles,
        &envelope("demo", "production", 3, "three"),
        "demo",
        "production",
        3,
    )
    .unwrap();
    Server::start(dir, config)
}

fn open_config() -> ServeConfig {
    ServeConfig {
        cors_origins: vec![PARTNER.to_owned()],
        rate_limit: no_rate_limit(),
        ..ServeConfig::default()
    }
}

fn has_cors(reply: &Reply) -> bool {
    reply
        .headers
        .iter()
        .any(|(n, _)| n.to_ascii_lowercase().starts_with("access-control-"))
}

fn send_raw(addr: SocketAddr, raw: &[u8], head_request: bool) -> Reply {
    exchange(addr, raw, &[], head_request)
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    send(addr, "GET", target, &[])
}

#[test]
fn files_have_type_etag_and_cache_policy() {
    let fx = start(open_config());
    let immutable = "public, max-age=31536000, immutable";
    let (html, js) = ("text/html; charset=utf-8", "text/javascript; charset=utf-8");
    let (json, css, svg, wasm) = (
        "application/json",
        "text/css; charset=utf-8",
        "image/svg+xml",
        "application/wasm",
    );
    let revalidate = "public, no-cache";
    // (url, file, content type, cache-control)
    #[rustfmt::skip]
    let cases = [
        ("/", "www/index.html", html, "no-cache"),
        ("/index.html", "www/index.html", html, "no-cache"),
        ("/sub/", "www/sub/index.html", html, "no-cache"),
        ("/app.js", "www/app.js", js, "no-cache"),
        ("/app.js?v=1", "www/app.js", js, "no-cache"),
        ("/style.css", "www/style.css", css, "no-cache"),
        ("/logo.svg", "www/logo.svg", svg, "no-cache"),
        ("/pkg/puhui_wasm_bg.wasm", "pkg/puhui_wasm_bg.wasm", wasm, revalidate),
        ("/pkg/puhui_wasm.js", "pkg/puhui_wasm.js", js, revalidate),
        ("/pkg/package.json", "pkg/package.json", json, revalidate),
        ("/bundles/demo/production/3.json", "bundles/demo/production/3.json", json, immutable),
        ("/bundles/demo/production/latest.json", "bundles/demo/production/latest.json", json, revalidate),
    ];
    for (url, file, content_type, cache_control) in cases {
        let reply = get(fx.addr, url);
        let bytes = fx.bytes(file);
        assert_eq!(reply.status, 200, "{url}");
        assert_eq!(reply.body, bytes, "{url}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{url}");
        assert_eq!(reply.header("cache-control"), Some(cache_control), "{url}");
        let etag = format!("\"{}\"", sha256_hex(&bytes));
        assert_eq!(reply.header("etag"), Some(etag.as_str()), "{url}");
    }
    #[cfg(unix)]
    {
        // A symlink that stays inside the root is served.
        let reply = get(fx.addr, "/alias.js");
        assert_eq!((reply.status, reply.body), (200, fx.bytes("www/app.js")));
    }
}

#[test]
fn if_none_match_gives_304() {
    let fx = start(open_config());
    let url = "/bundles/demo/production/3.json";
    let etag = format!(
        "\"{}\"",
        sha256_hex(&fx.bytes("bundles/demo/production/3.json"))
    );
    let weak = format!("W/{etag}");
    let list = format!("\"nope\", {etag}");
    // (If-None-Match, expected status)
    let cases = [
        (etag.as_str(), 304),
        (weak.as_str(), 304),
        (list.as_str(), 304),
        ("*", 304),
        ("\"0000\"", 200),
        ("garbage", 200),
    ];
    for (method, expect_body) in [("GET", true), ("HEAD", false)] {
        for (value, status) in cases {
            let reply = send(fx.addr, method, url, &[("If-None-Match", value)]);
            assert_eq!(reply.status, status, "{method} {value}");
            assert_eq!(
                reply.header("etag"),
                Some(etag.as_str()),
                "{method} {value}"
            );
            assert_eq!(
                reply.header("cache-control"),
                Some("public, max-age=31536000, immutable"),
                "{method} {value}"
            );
            let want_body = status == 200 && expect_body;
            assert_eq!(!reply.body.is_empty(), want_body, "{method} {value}");
        }
    }
    // A missing file is not "matched" by `*`.
    let reply = send(
        fx.addr,
        "GET",
        "/bundles/demo/production/9.json",
        &[("If-None-Match", "*")],
    );
    assert_eq!(reply.status, 404);
}

#[test]
fn head_matches_get_without_body() {
    let fx = start(open_config());
    for url in [
        "/",
        "/pkg/puhui_wasm_bg.wasm",
        "/bundles/demo/production/latest.json",
    ] {
        let got = get(fx.addr, url);
        let head = send(fx.addr, "HEAD", url, &[]);
        assert_eq!(head.status, 200, "{url}");
        assert!(head.body.is_empty(), "{url}");
        for name in ["content-type", "etag", "cache-control", "content-length"] {
            assert_eq!(head.header(name), got.header(name), "{url} {name}");
        }
        assert_eq!(
            head.header("content-length"),
            Some(got.body.len().to_string().as_str()),
            "{url}"
        );
    }
}

#[test]
fn cors_preflight_and_simple_requests() {
    let fx = start(open_config());
    let url = "/bundles/demo/production/latest.json";
    // Allowed preflight.
    let reply = send(
        fx.addr,
        "OPTIONS",
        url,
        &[
            ("Origin", PARTNER),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match"),
        ],
    );
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some(PARTNER));
    let methods = reply.header("access-control-allow-methods").unwrap();
    assert!(
        methods.contains("GET") && !methods.contains("POST"),
        "{methods}"
    );
    let allowed_headers = reply.header("access-control-allow-headers").unwrap();
    assert!(
        allowed_headers.eq_ignore_ascii_case("if-none-match"),
        "{allowed_headers}"
    );
    assert_eq!(reply.header("access-control-max-age"), Some("7200"));
    assert!(reply
        .headers_all("vary")
        .iter()
        .any(|v| v.contains("Origin")));
    assert!(reply.body.is_empty());

    // Refused preflights: 403 and not a single Access-Control-* header.
    let refused: &[&[(&str, &str)]] = &[
        &[
            ("Origin", "https://evil.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        &[
            ("Origin", "https://partner.example.evil"),
            ("Access-Control-Request-Method", "GET"),
        ],
        &[
            ("Origin", "http://partner.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        &[("Origin", "null"), ("Access-Control-Request-Method", "GET")],
        &[
            ("Origin", PARTNER),
            ("Access-Control-Request-Method", "POST"),
        ],
        &[
            ("Origin", PARTNER),
            ("Access-Control-Request-Method", "GET"),
            ("Access-Control-Request-Headers", "if-none-match, x-evil"),
        ],
    ];
    for headers in refused {
        let reply = send(fx.addr, "OPTIONS", url, headers);
        assert_eq!(reply.status, 403, "{headers:?}");
        assert!(!has_cors(&reply), "{headers:?}: {:?}", reply.headers);
        assert_eq!(reply.json()["error"]["code"], "cors-refused");
    }

    // A plain OPTIONS (no preflight) lists the methods.
    let reply = send(fx.addr, "OPTIONS", url, &[]);
    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("allow"), Some("GET, HEAD, OPTIONS"));

    // Simple GET: the allowed origin is echoed, ETag exposed; others get no CORS header.
    let reply = send(fx.addr, "GET", url, &[("Origin", PARTNER)]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some(PARTNER));
    assert!(reply
        .header("access-control-expose-headers")
        .unwrap()
        .contains("ETag"));
    assert!(reply
        .headers_all("vary")
        .iter()
        .any(|v| v.contains("Origin")));
    for origin in ["https://evil.example", "HTTPS://PARTNER.EXAMPLE.", "null"] {
        let reply = send(fx.addr, "GET", url, &[("Origin", origin)]);
        assert_eq!(reply.status, 200, "{origin}");
        assert!(!has_cors(&reply), "{origin}");
        assert!(reply
            .headers_all("vary")
            .iter()
            .any(|v| v.contains("Origin")));
    }
}

#[test]
fn traversal_is_refused() {
    let fx = start(open_config());
    // (raw request target, expected status)
    let cases = [
        ("/../secret.txt", 400),
        ("/%2e%2e/secret.txt", 400),
        ("/%2E%2E/secret.txt", 400),
        ("/.%2e/secret.txt", 400),
        ("/%2e%2e%2fsecret.txt", 400),
        ("/..%2fsecret.txt", 400),
        ("/..%5csecret.txt", 400),
        ("/%5c..%5csecret.txt", 400),
        ("/..\\secret.txt", 400),
        ("//secret.txt", 400),
        ("//etc/passwd", 400),
        ("/sub/../../secret.txt", 400),
        ("/pkg/../../secret.txt", 400),
        ("/pkg/%2e%2e/%2e%2e/secret.txt", 400),
        ("/bundles/..%2f..%2fsecret.txt", 400),
        ("/bundles/demo/../../secret.txt", 400),
        ("/%00secret.txt", 400),
        ("/secret.txt%00.html", 400),
        ("/%c0%ae%c0%ae/secret.txt", 400),
        ("/C:%5csecret.txt", 400),
        ("http://localhost/../secret.txt", 400),
        ("/%252e%252e/secret.txt", 404),
        ("/secret.txt", 404),
        ("/.env", 404),
        ("/%2eenv", 404),
        ("/bundles/demo/production/.3.json.tmp", 404),
    ];
    for (target, status) in cases {
        let reply = get(fx.addr, target);
        assert_eq!(reply.status, status, "{target}");
        assert!(
            !String::from_utf8_lossy(&reply.body).contains(SECRET),
            "{target} leaked the secret"
        );
    }
    #[cfg(unix)]
    for target in ["/escape.txt", "/up/secret.txt", "/up/pkg/puhui_wasm.js"] {
        let reply = get(fx.addr, target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(!String::from_utf8_lossy(&reply.body).contains(SECRET));
    }
}

#[test]
fn only_get_head_options_and_no_bodies() {
    let fx = start(open_config());
    for method in ["POST", "PUT", "DELETE", "PATCH", "TRACE", "CONNECT-ISH"] {
        let reply = send(fx.addr, method, "/index.html", &[]);
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(
            reply.header("allow"),
            Some("GET, HEAD, OPTIONS"),
            "{method}"
        );
        assert_eq!(reply.json()["error"]["code"], "method-not-allowed");
    }
    let raw = b"POST /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello";
    assert_eq!(send_raw(fx.addr, raw, false).status, 405);
    // A path that names nothing is not found, whatever the method; a directory is a resource.
    for (method, target, status, code) in [
        ("POST", "/nope", 404, "not-found"),
        ("PUT", "/pkg/nope.wasm", 404, "not-found"),
        (
            "DELETE",
            "/bundles/demo/production/9.json",
            404,
            "not-found",
        ),
        ("POST", "/api/v1/schedule", 404, "not-found"),
        ("POST", "/sub", 405, "method-not-allowed"),
        (
            "POST",
            "/bundles/demo/production/3.json",
            405,
            "method-not-allowed",
        ),
    ] {
        let reply = send(fx.addr, method, target, &[]);
        assert_eq!(reply.status, status, "{method} {target}");
        assert_eq!(reply.json()["error"]["code"], code, "{method} {target}");
    }
    let raw = b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello";
    let reply = send_raw(fx.addr, raw, false);
    assert_eq!(reply.status, 413);
    assert_eq!(reply.json()["error"]["code"], "body-not-allowed");
    let raw = b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(send_raw(fx.addr, raw, false).status, 413);
    let raw =
        b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(send_raw(fx.addr, raw, false).status, 200);
}

#[test]
fn oversized_requests_are_refused() {
    let fx = start(open_config());
    let long_target = format!("/{}", "a".repeat(5000));
    assert_eq!(get(fx.addr, &long_target).status, 414);
    let big_value = "b".repeat(20 * 1024);
    let reply = send(fx.addr, "GET", "/", &[("X-Filler", big_value.as_str())]);
    assert_eq!(reply.status, 431);
}

// Issue 13 finding 7: refusals hyper itself sends before any handler (malformed head 400,
// URI over 64 KiB 414, header section over hyper's bound 431) once left bare, without the
// JSON error shape or the security headers.
#[test]
fn http_layer_refusals_carry_json_and_security_headers() {
    let fx = start(open_config());
    let long_uri = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "u".repeat(70 * 1024));
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Filler: {}\r\n\r\n",
        "h".repeat(80 * 1024)
    );
    let cases: [(&[u8], u16, &str); 4] = [
        (b"GARBAGE\r\n\r\n", 400, "bad-request"),
        (b"GET / HTTP/1.1\r\nHost x\r\n\r\n", 400, "bad-request"),
        (long_uri.as_bytes(), 414, "uri-too-long"),
        (big_header.as_bytes(), 431, "headers-too-large"),
    ];
    for (raw, status, code) in cases {
        let reply = send_raw(fx.addr, raw, false);
        assert_eq!(
            reply.status,
            status,
            "{code}: {:?} {}",
            reply.headers,
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(reply.json()["error"]["code"], code);
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert!(reply.header("content-security-policy").is_some());
        assert_eq!(reply.header("content-type"), Some("application/json"));
    }
    // The server keeps answering normally afterwards.
    assert_eq!(get(fx.addr, "/healthz").status, 200);
}

#[test]
fn rate_limit_answers_429_after_the_burst() {
    let fx = start(ServeConfig {
        rate_limit: RateLimitConfig {
            per_second: 1,
            burst: 3,
        },
        ..ServeConfig::default()
    });
    for n in 0..3 {
        assert_eq!(get(fx.addr, "/healthz").status, 200, "request {n}");
    }
    let reply = get(fx.addr, "/index.html");
    assert_eq!(reply.status, 429);
    let retry: u64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(
        retry, 1,
        "a token is at most one second away at 1 per second"
    );
    assert_eq!(reply.json()["error"]["code"], "rate-limited");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(get(fx.addr, "/index.html").status, 200);
}

#[test]
fn security_headers_on_every_response() {
    let fx = start(ServeConfig {
        frame_ancestors: vec!["'self'".to_owned(), "https://bank.example".to_owned()],
        ..open_config()
    });
    let cases = [
        ("GET", "/", 200),
        ("GET", "/pkg/puhui_wasm_bg.wasm", 200),
        ("GET", "/missing", 404),
        ("GET", "/../x", 400),
        ("POST", "/", 405),
        ("OPTIONS", "/", 204),
        ("GET", "/healthz", 200),
    ];
    for (method, url, status) in cases {
        let reply = send(fx.addr, method, url, &[]);
        assert_eq!(reply.status, status, "{method} {url}");
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{csp}"
        );
        assert!(
            csp.contains("frame-ancestors 'self' https://bank.example"),
            "{csp}"
        );
        assert!(csp.contains("object-src 'none'"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(
            reply.header("cross-origin-resource-policy"),
            Some("same-origin")
        );
        assert!(reply
            .header("permissions-policy")
            .unwrap()
            .contains("camera=()"));
        // Two frame ancestors cannot be said with X-Frame-Options; it is left out.
        assert_eq!(reply.header("x-frame-options"), None);
    }
    let fx = start(ServeConfig {
        frame_ancestors: vec![],
        ..open_config()
    });
    let reply = get(fx.addr, "/");
    assert!(reply
        .header("content-security-policy")
        .unwrap()
        .ends_with("frame-ancestors 'none'"));
    assert_eq!(reply.header("x-frame-options"), Some("DENY"));
}

#[test]
fn only_the_embed_page_may_be_framed_by_partners() {
    use puhui_cli::serve::config::EmbedConfig;
    let fx = start(ServeConfig {
        frame_ancestors: vec!["'none'".to_owned()],
        embed: EmbedConfig {
            allowed_origins: vec![PARTNER.to_owned()],
        },
        ..open_config()
    });
    write(
        &fx.path("www"),
        "embed.html",
        b"<!doctype html><title>embed</title>",
    );
    let embed = get(fx.addr, "/embed.html?amount=10000");
    assert_eq!(embed.status, 200);
    let csp = embed.header("content-security-policy").unwrap();
    assert!(
        csp.ends_with(&format!("frame-ancestors 'self' {PARTNER}")),
        "{csp}"
    );
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    // X-Frame-Options cannot name a partner; it is left out so the CSP decides.
    assert_eq!(embed.header("x-frame-options"), None);
    for url in ["/", "/index.html", "/embed-config.json", "/embed.htm"] {
        let reply = get(fx.addr, url);
        let csp = reply.header("content-security-policy").unwrap();
        assert!(csp.ends_with("frame-ancestors 'none'"), "{url}: {csp}");
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{url}");
    }
    let config = get(fx.addr, "/embed-config.json");
    assert_eq!(config.status, 200);
    assert_eq!(config.json()["allowedOrigins"][0], PARTNER);
    assert_eq!(config.header("cache-control"), Some("no-cache"));
}

#[test]
fn directories_healthz_and_missing() {
    let fx = start(open_config());
    let reply = get(fx.addr, "/sub");
    assert_eq!(reply.status, 308);
    assert_eq!(reply.header("location"), Some("/sub/"));
    assert_eq!(get(fx.addr, "/pkg/").status, 404);
    assert_eq!(get(fx.addr, "/bundles/demo/").status, 404);
    assert_eq!(get(fx.addr, "/index.html/").status, 404);
    let reply = get(fx.addr, "/nothing.js");
    assert_eq!(
        (reply.status, reply.json()["error"]["code"].clone()),
        (404, json!("not-found"))
    );
    let reply = get(fx.addr, "/healthz");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"status": "ok"}));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[test]
fn latest_pointer_leads_to_the_immutable_file() {
    let fx = start(open_config());
    let bundles = fx.path("bundles");
    let v4 = envelope("demo", "production", 4, "four");
    publish(&bundles, &v4, "demo", "production", 4).unwrap();
    let latest = get(fx.addr, "/bundles/demo/production/latest.json");
    assert_eq!(latest.status, 200);
    assert_eq!(latest.header("cache-control"), Some("public, no-cache"));
    let pointer = latest.json();
    assert_eq!(
        pointer,
        json!({"version": 4, "path": "4.json", "sha256": sha256_hex(&v4)})
    );
    let file = get(
        fx.addr,
        &format!(
            "/bundles/demo/production/{}",
            pointer["path"].as_str().unwrap()
        ),
    );
    assert_eq!(file.status, 200);
    assert_eq!(file.body, v4);
    assert_eq!(
        file.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // The pointer changed, so the old ETag no longer matches (the cache must not serve stale).
    let old_etag = format!("\"{}\"", sha256_hex(latest.body.as_slice()));
    let v5 = envelope("demo", "production", 5, "five");
    publish(&bundles, &v5, "demo", "production", 5).unwrap();
    let again = send(
        fx.addr,
        "GET",
        "/bundles/demo/production/latest.json",
        &[("If-None-Match", old_etag.as_str())],
    );
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["version"], 5);
}

#[test]
fn publish_writes_files_and_keeps_versions_immutable() {
    let dir = tempfile::tempdir().unwrap();
    let bundles = dir.path().join("bundles");
    let v2 = envelope("demo", "preview", 2, "two");
    let published = publish(&bundles, &v2, "demo", "preview", 2).unwrap();
    let versioned = bundles.join("demo/preview/2.json");
    assert_eq!(published.path, versioned);
    assert!(published.written && published.latest_updated);
    assert_eq!(published.sha256, sha256_hex(&v2));
    assert_eq!(std::fs::read(&versioned).unwrap(), v2);
    let pointer: Value =
        serde_json::from_slice(&std::fs::read(bundles.join("demo/preview/latest.json")).unwrap())
            .unwrap();
    assert_eq!(
        pointer,
        json!({"version": 2, "path": "2.json", "sha256": sha256_hex(&v2)})
    );

    // Same bytes again: a no-op.
    let again = publish(&bundles, &v2, "demo", "preview", 2).unwrap();
    assert!(!again.written && !again.latest_updated);
    // Different bytes under the same version: refused, file untouched.
    let forged = envelope("demo", "preview", 2, "forged");
    let err = publish(&bundles, &forged, "demo", "preview", 2).unwrap_err();
    assert_eq!(err.code(), "version-exists");
    assert_eq!(std::fs::read(&versioned).unwrap(), v2);
    // An older version is refused (typed) and the pointer does not move back.
    let v1 = envelope("demo", "preview", 1, "one");
    let older = publish(&bundles, &v1, "demo", "preview", 1).unwrap_err();
    assert_eq!(older.code(), "version-not-newer");
    let pointer: Value =
        serde_json::from_slice(&std::fs::read(bundles.join("demo/preview/latest.json")).unwrap())
            .unwrap();
    assert_eq!(pointer["version"], 2);

    // Refusals, each with its code.
    let unsigned = {
        let mut value: Value = serde_json::from_slice(&v2).unwrap();
        value["signatures"] = json!([]);
        value.to_string().into_bytes()
    };
    let wrong_type = {
        let mut value: Value = serde_json::from_slice(&v2).unwrap();
        value["payloadType"] = json!("application/json");
        value.to_string().into_bytes()
    };
    let v3 = envelope("demo", "preview", 3, "three");
    // (case, envelope, bundle id, channel, version, expected code)
    type Case<'a> = (&'a str, &'a [u8], &'a str, &'a str, u64, &'a str);
    #[rustfmt::skip]
    let cases: Vec<Case<'_>> = vec![
        ("version mismatch", &v3, "demo", "preview", 4, "header-mismatch"),
        ("channel mismatch", &v3, "demo", "production", 3, "header-mismatch"),
        ("id mismatch", &v3, "other", "preview", 3, "header-mismatch"),
        ("unsigned", &unsigned, "demo", "preview", 2, "unsigned"),
        ("payload type", &wrong_type, "demo", "preview", 2, "wrong-payload-type"),
        ("not json", b"{", "demo", "preview", 3, "malformed"),
        ("traversal id", &v3, "..", "preview", 3, "bad-name"),
        ("slash channel", &v3, "demo", "a/b", 3, "bad-name"),
        ("empty id", &v3, "", "preview", 3, "bad-name"),
    ];
    for (name, bytes, id, channel, version, code) in cases {
        let err = publish(&bundles, bytes, id, channel, version).unwrap_err();
        assert_eq!(err.code(), code, "{name}");
    }
    let err = publish_with_limit(&bundles, &v3, "demo", "preview", 3, 10).unwrap_err();
    assert_eq!(err.code(), "too-large");
    // Nothing but the published files: no temporaries left behind.
    let mut names: Vec<String> = std::fs::read_dir(bundles.join("demo/preview"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".publish.lock", "2.json", "latest.json"]);
}

#[test]
fn graceful_shutdown_stops_listening() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "www/index.html", b"hi");
    let mut options = ServeOptions::from_dir(dir.path());
    options.addr = "127.0.0.1:0".parse().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let bound = runtime()
        .block_on(bind(options, async {
            let _ = stopped.await;
        }))
        .unwrap();
    assert_eq!(get(bound.addr, "/").status, 200);
    stop.send(()).unwrap();
    runtime()
        .block_on(async { tokio::time::timeout(Duration::from_secs(5), bound.task).await })
        .unwrap()
        .unwrap();
    assert!(TcpStream::connect(bound.addr).is_err());
}

#[test]
fn bundles_above_the_cap_are_not_served() {
    let fx = start(ServeConfig {
        max_bundle_bytes: 64,
        ..open_config()
    });
    let reply = get(fx.addr, "/bundles/demo/production/3.json");
    assert_eq!(reply.status, 500);
    assert_eq!(reply.json()["error"]["code"], "file-too-large");
    // The cap is the bundle cap: pages and the package are not bound by it.
    assert_eq!(get(fx.addr, "/pkg/puhui_wasm.js").status, 200);
    assert_eq!(
        get(fx.addr, "/bundles/demo/production/latest.json").status,
        500
    );
}

/// Runs the real binary; returns (exit code, stdout as JSON).
fn run_cli(args: &[&str]) -> (i32, Value) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(args)
        .output()
        .unwrap();
    let stdout: Value = serde_json::from_slice(&output.stdout).unwrap();
    (output.status.code().unwrap(), stdout)
}

#[test]
fn cli_publish_and_config_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bundles = dir.path().join("bundles");
    let bundles_arg = bundles.to_str().unwrap();
    let envelope_path = dir.path().join("bundle.signed.json");
    let v6 = envelope("demo", "production", 6, "six");
    std::fs::write(&envelope_path, &v6).unwrap();
    let envelope_arg = envelope_path.to_str().unwrap();

    let (code, out) = run_cli(&["publish", "--bundles", bundles_arg, envelope_arg]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["version"], 6);
    assert_eq!(out["sha256"], sha256_hex(&v6));
    assert_eq!(out["written"], true);
    assert_eq!(
        std::fs::read(bundles.join("demo/production/6.json")).unwrap(),
        v6
    );

    std::fs::write(&envelope_path, envelope("demo", "production", 6, "other")).unwrap();
    let (code, out) = run_cli(&["publish", "--bundles", bundles_arg, envelope_arg]);
    assert_eq!((code, &out["error"]["code"]), (1, &json!("version-exists")));

    let config_path = dir.path().join("serve.json");
    std::fs::write(&config_path, br#"{"corsOrigins": [], "rateLimits": {}}"#).unwrap();
    let config_arg = config_path.to_str().unwrap();
    let (code, out) = run_cli(&["serve", "--addr", "127.0.0.1:0", "--config", config_arg]);
    assert_eq!((code, &out["error"]["code"]), (2, &json!("unknown-field")));
    assert_eq!(out["error"]["path"], "rateLimits");
}
