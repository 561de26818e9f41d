//! Delivery by the real `puhui serve` on loopback: precompressed `.br` / `.gz` siblings made by
//! `scripts/compress-assets.mjs` (the build step itself, run here with Node) chosen by
//! `Accept-Encoding`, `Vary`, per-coding ETags, immutable caching of content-hashed assets, and
//! files replaced in place never served stale.
//!
//! Expected bodies and ETags come from the files on disk (SHA-256 computed here), and every
//! compressed body is decompressed here and compared with the original.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{no_rate_limit, send, sha256_hex, write, Reply, Server};
use puhui_cli::serve::config::ServeConfig;
use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime};

fn etag(bytes: &[u8]) -> String {
    format!("\"{}\"", sha256_hex(bytes))
}

/// Sets a file's mtime (and so bumps its ctime, which no one can set back).
fn set_mtime(path: &Path, when: SystemTime) {
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(when)
        .unwrap();
}

/// A page script big enough to be worth compressing, with CJK text.
fn script(marker: &str) -> Vec<u8> {
    let mut text = String::new();
    for line in 0..200 {
        text.push_str(&format!(
            "export const line{line} = \"{marker} 年化利率 {line}\";\n"
        ));
    }
    text.into_bytes()
}

/// Runs the build's compression step (`scripts/compress-assets.mjs`) over the served tree.
fn compress(server: &Server) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/compress-assets.mjs");
    let status = Command::new("node")
        .arg(script)
        .arg("--root")
        .arg(server.dir.path())
        .arg("--quiet")
        .status()
        .expect("node runs the build step");
    assert!(status.success());
}

fn start() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "www/index.html",
        format!(
            "<!doctype html><title>puhui</title>{}",
            "<p>助贷</p>".repeat(60)
        )
        .as_bytes(),
    );
    write(root, "www/dist/app-ABCDEFGH.js", &script("hashed"));
    write(root, "www/dist/app.js", &script("plain"));
    write(root, "www/style.css", &b"body { margin: 0 }\n".repeat(40));
    write(root, "pkg/web/puhui.js", &script("glue"));
    std::fs::create_dir_all(root.join("bundles")).unwrap();
    let config = ServeConfig {
        rate_limit: no_rate_limit(),
        ..ServeConfig::default()
    };
    Server::start(dir, config)
}

fn varies_on_encoding(reply: &Reply) -> bool {
    reply.headers_all("vary").iter().any(|v| {
        v.split(',')
            .any(|t| t.trim().eq_ignore_ascii_case("accept-encoding"))
    })
}

fn get(addr: SocketAddr, target: &str, accept_encoding: Option<&str>) -> Reply {
    match accept_encoding {
        Some(value) => send(addr, "GET", target, &[("Accept-Encoding", value)]),
        None => send(addr, "GET", target, &[]),
    }
}

/// Byte equality that reports lengths and hashes, not megabytes of numbers.
#[track_caller]
fn same(got: &[u8], want: &[u8], context: &str) {
    assert!(
        got == want,
        "{context}: got {} bytes {}, want {} bytes {}",
        got.len(),
        etag(got),
        want.len(),
        etag(want)
    );
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli_decompressor::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn precompressed_siblings_are_chosen_by_accept_encoding() {
    let server = start();
    compress(&server);
    for (url, rel, content_type) in [
        (
            "/dist/app.js",
            "www/dist/app.js",
            "text/javascript; charset=utf-8",
        ),
        ("/", "www/index.html", "text/html; charset=utf-8"),
        ("/style.css", "www/style.css", "text/css; charset=utf-8"),
        (
            "/pkg/web/puhui.js",
            "pkg/web/puhui.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        let original = server.bytes(rel);
        let br = server.bytes(&format!("{rel}.br"));
        let gz = server.bytes(&format!("{rel}.gz"));
        assert!(
            br.len() < original.len() && gz.len() < original.len(),
            "{rel}"
        );
        same(&unbrotli(&br), &original, rel);
        same(&gunzip(&gz), &original, rel);
        // (Accept-Encoding, expected coding)
        let cases: &[(Option<&str>, Option<&str>)] = &[
            (None, None),
            (Some("gzip, deflate, br, zstd"), Some("br")),
            (Some("gzip, deflate"), Some("gzip")),
            (Some("br;q=0, gzip"), Some("gzip")),
            (Some("gzip;q=1, br;q=0.5"), Some("gzip")),
            (Some("*"), Some("br")),
            (Some("br;q=0, gzip;q=0"), None),
            (Some("identity"), None),
            (Some("deflate"), None),
        ];
        for (accept, coding) in cases {
            let reply = get(server.addr, url, *accept);
            assert_eq!(reply.status, 200, "{url} {accept:?}");
            assert_eq!(
                reply.header("content-encoding"),
                *coding,
                "{url} {accept:?}"
            );
            assert_eq!(reply.header("content-type"), Some(content_type), "{url}");
            assert!(varies_on_encoding(&reply), "{url} {accept:?}");
            let sent = match coding {
                None => &original,
                Some("br") => &br,
                _ => &gz,
            };
            same(&reply.body, sent, &format!("{url} {accept:?}"));
            assert_eq!(
                reply.header("content-length"),
                Some(sent.len().to_string().as_str())
            );
            // One ETag per coding, each the hash of the bytes sent.
            assert_eq!(
                reply.header("etag"),
                Some(etag(sent).as_str()),
                "{url} {accept:?}"
            );
        }
        // Revalidation is per coding: the brotli ETag matches only the brotli representation.
        let br_tag = etag(&br);
        let reply = send(
            server.addr,
            "GET",
            url,
            &[("Accept-Encoding", "br"), ("If-None-Match", &br_tag)],
        );
        assert_eq!(reply.status, 304, "{url}");
        assert_eq!(reply.header("etag"), Some(br_tag.as_str()));
        assert!(varies_on_encoding(&reply));
        let reply = send(
            server.addr,
            "GET",
            url,
            &[("Accept-Encoding", "gzip"), ("If-None-Match", &br_tag)],
        );
        assert_eq!(reply.status, 200, "{url}");
        same(&reply.body, &gz, url);
        // HEAD: the same headers, no body.
        let reply = send(server.addr, "HEAD", url, &[("Accept-Encoding", "br")]);
        assert_eq!(reply.header("content-encoding"), Some("br"));
        assert_eq!(
            reply.header("content-length"),
            Some(br.len().to_string().as_str())
        );
        assert!(reply.body.is_empty());
    }
}

#[test]
fn stale_broken_or_escaping_siblings_are_never_served() {
    let server = start();
    compress(&server);
    let rel = "www/dist/app.js";
    let old_br = server.bytes(&format!("{rel}.br"));
    // The original is replaced after compression: both siblings are now stale.
    let fresh = script("replaced");
    write(server.dir.path(), rel, &fresh);
    for accept in ["br", "gzip", "br, gzip"] {
        let reply = get(server.addr, "/dist/app.js", Some(accept));
        assert_eq!(reply.header("content-encoding"), None, "{accept}");
        same(&reply.body, &fresh, accept);
        assert_eq!(reply.header("etag"), Some(etag(&fresh).as_str()));
    }
    same(
        &server.bytes(&format!("{rel}.br")),
        &old_br,
        "untouched sibling",
    );
    // Re-running the build step repairs them (and leaves matching siblings alone).
    compress(&server);
    let reply = get(server.addr, "/dist/app.js", Some("br"));
    assert_eq!(reply.header("content-encoding"), Some("br"));
    same(&unbrotli(&reply.body), &fresh, "recompressed");

    // A corrupt or truncated sibling: the plain file instead.
    let gz = server.bytes(&format!("{rel}.gz"));
    write(server.dir.path(), &format!("{rel}.gz"), &gz[..gz.len() / 2]);
    let reply = get(server.addr, "/dist/app.js", Some("gzip"));
    assert_eq!(reply.header("content-encoding"), None);
    same(&reply.body, &fresh, "truncated gzip");
    write(
        server.dir.path(),
        &format!("{rel}.br"),
        b"not brotli at all",
    );
    let reply = get(server.addr, "/dist/app.js", Some("br, gzip"));
    assert_eq!(reply.header("content-encoding"), None);
    same(&reply.body, &fresh, "garbage brotli");

    // A sibling that is a symlink out of the served root is not followed.
    #[cfg(unix)]
    {
        let outside = server.path("outside.js.br");
        std::fs::write(&outside, server.bytes("www/style.css.br")).unwrap();
        write(
            server.dir.path(),
            "www/other.css",
            &server.bytes("www/style.css"),
        );
        std::os::unix::fs::symlink(&outside, server.path("www/other.css.br")).unwrap();
        let reply = get(server.addr, "/other.css", Some("br"));
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-encoding"), None);
    }
}

#[test]
fn a_file_replaced_in_place_is_never_served_stale() {
    let server = start();
    let path = server.path("www/dist/app.js");
    let first = script("first-version");
    let second = script("other-version");
    assert_eq!(first.len(), second.len(), "same size: only content differs");
    // Settled: last changed a minute ago, so the server caches it.
    let old = SystemTime::now() - Duration::from_secs(60);
    std::fs::write(&path, &first).unwrap();
    set_mtime(&path, old);
    for _ in 0..2 {
        let reply = get(server.addr, "/dist/app.js", None);
        same(&reply.body, &first, "first");
        assert_eq!(reply.header("etag"), Some(etag(&first).as_str()));
    }
    // Rewritten in place, same length, mtime set back to the cached one (cp -p, rsync -t,
    // tar): the next request gets the new bytes and a new ETag.
    std::fs::write(&path, &second).unwrap();
    set_mtime(&path, old);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);
    let reply = get(server.addr, "/dist/app.js", None);
    same(&reply.body, &second, "mtime set back");
    assert_eq!(reply.header("etag"), Some(etag(&second).as_str()));
    // A client revalidating with the old ETag gets the new file, not a 304.
    let reply = send(
        server.addr,
        "GET",
        "/dist/app.js",
        &[("If-None-Match", &etag(&first))],
    );
    assert_eq!(reply.status, 200);
    same(&reply.body, &second, "old etag");

    // Rewritten twice within one timestamp tick, right after being served: never stale.
    for round in 0..20 {
        let a = script(&format!("quick-a-{round:03}"));
        let b = script(&format!("quick-b-{round:03}"));
        std::fs::write(&path, &a).unwrap();
        same(
            &get(server.addr, "/dist/app.js", None).body,
            &a,
            &format!("a {round}"),
        );
        std::fs::write(&path, &b).unwrap();
        same(
            &get(server.addr, "/dist/app.js", None).body,
            &b,
            &format!("b {round}"),
        );
    }
}

#[test]
fn content_hashed_assets_are_immutable_and_pages_revalidate() {
    let server = start();
    compress(&server);
    let immutable = "public, max-age=31536000, immutable";
    for (url, accept, cache_control) in [
        ("/dist/app-ABCDEFGH.js", None, immutable),
        ("/dist/app-ABCDEFGH.js", Some("br"), immutable),
        ("/dist/app-ABCDEFGH.js", Some("gzip"), immutable),
        ("/dist/app.js", Some("br"), "no-cache"),
        ("/", Some("br"), "no-cache"),
        ("/index.html", None, "no-cache"),
        ("/style.css", Some("gzip"), "no-cache"),
        ("/pkg/web/puhui.js", Some("br"), "public, no-cache"),
    ] {
        let reply = get(server.addr, url, accept);
        assert_eq!(reply.status, 200, "{url}");
        assert_eq!(
            reply.header("cache-control"),
            Some(cache_control),
            "{url} {accept:?}"
        );
    }
}
