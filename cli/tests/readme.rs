//! What the README says about the CLI and the server is true of this repository and the real
//! binary: its re-check snippet runs as written where `make demo` has been (a newer sample
//! version already published, the demo's server on the Makefile's address), every document it
//! points to is in the repository, and what it says `puhui serve` sends is what it sends.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{no_rate_limit, send, write, Server};
use puhui_cli::serve::config::ServeConfig;
use puhui_cli::serve::publish::publish;
use serde_json::Value;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn readme() -> String {
    std::fs::read_to_string(repo("README.md")).unwrap()
}

/// The lines of the README's fenced block between `<!-- readme-NAME:start -->` and its end.
fn block(name: &str) -> Vec<String> {
    let text = readme();
    let start = format!("<!-- readme-{name}:start -->");
    let end = format!("<!-- readme-{name}:end -->");
    let from = text.find(&start).expect("the marked block") + start.len();
    let to = from + text[from..].find(&end).expect("the block's end");
    text[from..to]
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with("```"))
        .map(str::to_owned)
        .collect()
}

/// The `127.0.0.1:PORT` addresses in `text`.
fn loopback_addresses(text: &str) -> Vec<String> {
    text.match_indices("127.0.0.1:")
        .map(|(at, _)| {
            let digits: String = text[at + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            format!("127.0.0.1:{digits}")
        })
        .collect()
}

/// The address `make demo` serves on (the Makefile's `ADDR`).
fn demo_addr() -> String {
    let makefile = std::fs::read_to_string(repo("Makefile")).unwrap();
    let line = makefile
        .lines()
        .find(|line| line.starts_with("ADDR ?="))
        .expect("the Makefile's ADDR");
    line["ADDR ?=".len()..].trim().to_owned()
}

/// `bash -c` with `puhui` standing for the binary under test, in `dir`.
fn bash(dir: &Path, script: &str) -> Command {
    let mut command = Command::new("bash");
    command.current_dir(dir).arg("-c").arg(format!(
        "puhui() {{ exec \"{}\" \"$@\"; }}\n{script}",
        env!("CARGO_BIN_EXE_puhui")
    ));
    command
}

fn free_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// A signed-looking envelope of the sample bundle id, as `make demo` publishes (the server and
/// `publish` never verify signatures).
fn demo_envelope(version: u64) -> Vec<u8> {
    common::envelope("puhui-sample", "production", version, None)
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_recheck_snippet_runs_as_written_after_make_demo() {
    let lines = block("recheck");
    let (publish_line, serve_line) = (&lines[0], &lines[1]);
    assert!(publish_line.starts_with("puhui publish"), "{publish_line}");
    assert!(
        serve_line.starts_with("puhui serve") && serve_line.ends_with('&'),
        "{serve_line}"
    );
    let curl = lines[2..].join("\n");
    // `make demo` leaves its server running on its address: the snippet's is another.
    let snippet = lines.join("\n");
    let addresses = loopback_addresses(&snippet);
    assert!(!addresses.is_empty(), "{snippet}");
    assert!(!addresses.contains(&demo_addr()), "{snippet}");

    // The checkout after `make demo`: the sample id published at a version above the test
    // bundle's (the demo signs Unix seconds), in www/bundles.
    let dir = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(repo("tests"), dir.path().join("tests")).unwrap();
    let demo_version = 1_795_969_452;
    publish(
        &dir.path().join("www/bundles"),
        &demo_envelope(demo_version),
        "puhui-sample",
        "production",
        demo_version,
    )
    .unwrap();

    // Twice: a second run (the same bytes again) works too.
    for run in 0..2 {
        let published = bash(dir.path(), publish_line).output().unwrap();
        assert!(
            published.status.success(),
            "run {run}: {}",
            String::from_utf8_lossy(&published.stdout)
        );
        let addr = free_addr().to_string();
        let on_free_port = |text: &str| {
            addresses
                .iter()
                .fold(text.to_owned(), |text, old| text.replace(old, &addr))
        };
        let serve = on_free_port(serve_line.trim_end_matches('&').trim());
        let _server = Killed(
            bash(dir.path(), &serve)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        let socket: SocketAddr = addr.parse().unwrap();
        let mut ready = false;
        for _ in 0..100 {
            if std::net::TcpStream::connect(socket).is_ok() {
                ready = send(socket, "GET", "/healthz", &[]).status == 200;
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(ready, "run {run}: the snippet's server did not start");
        let out = bash(dir.path(), &on_free_port(&curl)).output().unwrap();
        assert!(
            out.status.success(),
            "run {run}: curl is needed by the snippet"
        );
        let quote: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("run {run}: {}", String::from_utf8_lossy(&out.stdout)));
        assert_eq!(quote["bundle"]["bundleId"], "puhui-sample", "{quote}");
        assert_eq!(quote["bundle"]["version"], 1, "{quote}");
        assert_eq!(
            quote["schedule"]["installments"].as_array().map(Vec::len),
            Some(36),
            "{quote}"
        );
    }
    // The demo's own tree is left as it was.
    let latest: Value = serde_json::from_slice(
        &std::fs::read(
            dir.path()
                .join("www/bundles/puhui-sample/production/latest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(latest["version"], demo_version);
}

/// Every document the README sends a reader to (a Markdown link, or a `.md` or `.json` path in
/// backquotes) is a file of this repository, not of the workspace around it.
#[test]
fn every_document_the_readme_names_is_in_the_repository() {
    let text = readme();
    let mut named = Vec::new();
    for (at, _) in text.match_indices("](") {
        let target: String = text[at + 2..].chars().take_while(|c| *c != ')').collect();
        if !target.contains("://") && !target.starts_with('#') {
            named.push(target);
        }
    }
    for (index, part) in text.split('`').enumerate() {
        let is_code = index % 2 == 1;
        let is_document = part.ends_with(".md") || part.ends_with(".json");
        // A repository path, not a URL path of the server (`/embed-config.json`).
        let is_path = part.contains('/') && !part.contains(' ') && !part.starts_with('/');
        let generated = ["pkg/", "www/bundles/", "target/", ".dev-keys/"];
        let placeholder = part.contains('*') || part.contains('<') || part.contains('…');
        if is_code
            && is_document
            && is_path
            && !placeholder
            && !generated.iter().any(|g| part.starts_with(g))
        {
            named.push(part.to_owned());
        }
    }
    assert!(named.iter().any(|n| n.starts_with("docs/")), "{named:?}");
    let missing: Vec<&String> = named.iter().filter(|n| !repo(n).is_file()).collect();
    assert!(
        missing.is_empty(),
        "README names files not in the repository: {missing:?}"
    );
}

/// The README says `puhui serve` sends precompressed siblings, and nowhere that it does not;
/// the server does.
#[test]
fn what_the_readme_says_serve_sends_is_what_it_sends() {
    let text = readme().replace('\n', " ");
    assert!(
        text.contains("`puhui serve` sends precompressed `.br` / `.gz` siblings"),
        "the README describes the precompressed siblings"
    );
    for denial in [
        "sends no compressed",
        "no compressed siblings",
        "not compressed yet",
    ] {
        assert!(!text.contains(denial), "the README says {denial:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let script = b"export const answer = 42;\n".repeat(64);
    write(dir.path(), "www/app.js", &script);
    let mut compressed = Vec::new();
    {
        use std::io::Write as _;
        let mut encoder =
            flate2::write::GzEncoder::new(&mut compressed, flate2::Compression::best());
        encoder.write_all(&script).unwrap();
        encoder.finish().unwrap();
    }
    write(dir.path(), "www/app.js.gz", &compressed);
    let server = Server::start(
        dir,
        ServeConfig {
            rate_limit: no_rate_limit(),
            ..ServeConfig::default()
        },
    );
    let reply = send(
        server.addr,
        "GET",
        "/app.js",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(reply.body, compressed);
}
