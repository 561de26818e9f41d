//! Static files: mapping a URL path to a file under one root, safely, and answering with
//! strong ETags, the right `Content-Type` and a `Cache-Control` chosen by area.
//!
//! It owns path decoding and confinement, content types, cache policy and the in-memory file
//! cache. It must not decide CORS, rate limits or security headers (see `guard`).
//!
//! Confinement is layered: the raw URL path is split on `/` *before* percent-decoding, each
//! segment is decoded and refused if it is `.`, `..`, holds `/`, `\`, `:`, NUL or a control
//! character, or is not UTF-8; dotfiles are not served; the joined path is canonicalized
//! (resolving symlinks) and must still lie under the canonical root; only regular files are
//! read (never FIFOs or devices), with a size cap checked before and while reading.

use axum::body::Bytes;
use axum::http::HeaderValue;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::SystemTime;

/// Largest `www/` or `pkg/` file served (bundles use `maxBundleBytes`).
pub const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;
/// Total bytes the in-memory file cache may hold; beyond it files are read per request.
const MAX_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// The three trees the server exposes; each has its own cache policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// `www/` at `/`: pages and their assets.
    Www,
    /// The wasm-pack output at `/pkg/`.
    Pkg,
    /// The bundle directory at `/bundles/`.
    Bundles,
}

/// Why a URL path was refused before touching the file system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRefusal {
    /// Traversal or encoding tricks: answered 400.
    Malformed,
    /// A dotfile or otherwise hidden name: answered 404.
    Hidden,
}

/// A URL path below a mount point, split into decoded, safe segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafePath {
    /// Decoded segments, none empty, none `.`/`..`, none containing a separator.
    pub segments: Vec<String>,
    /// The URL ended in `/` (a directory was asked for).
    pub trailing_slash: bool,
}

/// Splits `rest` (the raw, still percent-encoded path below the mount, without its leading
/// `/`) into safe segments.
pub fn safe_path(rest: &str) -> Result<SafePath, PathRefusal> {
    if rest.contains('\\') {
        return Err(PathRefusal::Malformed);
    }
    let mut segments = Vec::new();
    let raw_segments: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    };
    let n_raw = raw_segments.len();
    let mut trailing_slash = rest.is_empty();
    for (idx, raw) in raw_segments.into_iter().enumerate() {
        if raw.is_empty() {
            if idx + 1 == n_raw {
                trailing_slash = true;
                continue;
            }
            // `//` would make the joined path absolute or ambiguous.
            return Err(PathRefusal::Malformed);
        }
        let decoded = percent_decode(raw).ok_or(PathRefusal::Malformed)?;
        if decoded == "." || decoded == ".." {
            return Err(PathRefusal::Malformed);
        }
        if decoded
            .chars()
            .any(|c| matches!(c, '/' | '\\' | ':' | '\0') || c.is_control())
        {
            return Err(PathRefusal::Malformed);
        }
        if decoded.starts_with('.') {
            return Err(PathRefusal::Hidden);
        }
        segments.push(decoded);
    }
    Ok(SafePath {
        segments,
        trailing_slash,
    })
}

/// Strict percent-decoding to UTF-8: `None` on a bad escape or invalid UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut idx = 0;
    while idx < bytes.len() {
        let byte = *bytes.get(idx)?;
        if byte == b'%' {
            let high = hex_value(*bytes.get(idx + 1)?)?;
            let low = hex_value(*bytes.get(idx + 2)?)?;
            out.push(high * 16 + low);
            idx += 3;
        } else {
            out.push(byte);
            idx += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Lowercase hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `Content-Type` by file extension; `application/wasm` matters for `instantiateStreaming`.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("webp") => "image/webp",
        Some("woff2") => "font/woff2",
        Some("txt" | "md" | "ts") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `Cache-Control` for a served file.
///
/// Versioned bundle files (`<integer>.json` under the bundle directory) never change, so they
/// are cacheable for a year and `immutable`. Everything else is `no-cache`: cached but
/// revalidated every time, which costs one 304. For `pkg/` this is deliberate: wasm-pack's file
/// names carry no content hash and the JS glue must match its `.wasm` exactly, so a max-age
/// could pair a fresh glue file with a stale module after a deploy.
pub fn cache_control(area: Area, path: &Path) -> &'static str {
    match area {
        Area::Bundles if is_versioned_bundle_name(path) => "public, max-age=31536000, immutable",
        Area::Bundles | Area::Pkg => "public, no-cache",
        Area::Www => "no-cache",
    }
}

/// `<digits>.json`: the immutable, versioned files the publisher writes.
fn is_versioned_bundle_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_suffix(".json"))
        .is_some_and(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit()))
}

/// A file ready to send.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file's bytes.
    pub bytes: Bytes,
    /// Strong ETag: quoted lowercase SHA-256 hex of the bytes.
    pub etag: HeaderValue,
    /// The canonical path (its extension picks the content type).
    pub path: PathBuf,
}

/// What looking a path up produced.
#[derive(Debug)]
pub enum Lookup {
    /// A regular file under the root.
    Found(Loaded),
    /// A directory asked for without a trailing slash: redirect to this suffix added.
    AddSlash,
    /// Nothing servable (missing, outside the root after symlinks, not a regular file).
    NotFound,
    /// The file exceeds the area's size cap.
    TooLarge,
    /// Reading failed for another reason.
    Io(std::io::Error),
}

#[derive(Debug, Clone)]
struct CacheEntry {
    len: u64,
    modified: Option<SystemTime>,
    loaded: Loaded,
}

/// In-memory cache of file bytes and ETags, validated against length and mtime on each hit.
///
/// Versioned bundles never change, and the publisher replaces `latest.json` by rename (a new
/// mtime), so the validation catches every change the project makes.
#[derive(Debug, Default)]
pub struct FileCache {
    entries: RwLock<(HashMap<PathBuf, CacheEntry>, u64)>,
}

impl FileCache {
    /// Finds `safe` under `root` (a canonical directory) and loads it (blocking IO).
    pub fn lookup(&self, root: &Path, safe: &SafePath, index: bool, max_bytes: u64) -> Lookup {
        let mut joined = root.to_path_buf();
        for segment in &safe.segments {
            joined.push(segment);
        }
        let Some((canonical, metadata)) = confined(root, &joined) else {
            return Lookup::NotFound;
        };
        let (canonical, metadata) = if metadata.is_dir() {
            if !index {
                return Lookup::NotFound;
            }
            if !safe.trailing_slash {
                return Lookup::AddSlash;
            }
            match confined(root, &canonical.join("index.html")) {
                Some(found) => found,
                None => return Lookup::NotFound,
            }
        } else {
            if safe.trailing_slash {
                return Lookup::NotFound;
            }
            (canonical, metadata)
        };
        if !metadata.is_file() {
            return Lookup::NotFound;
        }
        if metadata.len() > max_bytes {
            return Lookup::TooLarge;
        }
        let modified = metadata.modified().ok();
        if let Some(hit) = self.get(&canonical, metadata.len(), modified) {
            return Lookup::Found(hit);
        }
        let bytes = match read_capped(&canonical, max_bytes) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Lookup::TooLarge,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Lookup::NotFound,
            Err(err) => return Lookup::Io(err),
        };
        let etag = match HeaderValue::from_str(&format!("\"{}\"", sha256_hex(&bytes))) {
            Ok(etag) => etag,
            Err(_) => return Lookup::NotFound,
        };
        let loaded = Loaded {
            bytes: Bytes::from(bytes),
            etag,
            path: canonical.clone(),
        };
        self.put(canonical, metadata.len(), modified, &loaded);
        Lookup::Found(loaded)
    }

    fn get(&self, path: &Path, len: u64, modified: Option<SystemTime>) -> Option<Loaded> {
        let guard = self.entries.read().ok()?;
        let entry = guard.0.get(path)?;
        (entry.len == len && entry.modified == modified && modified.is_some())
            .then(|| entry.loaded.clone())
    }

    fn put(&self, path: PathBuf, len: u64, modified: Option<SystemTime>, loaded: &Loaded) {
        let Ok(mut guard) = self.entries.write() else {
            return;
        };
        let (map, total) = &mut *guard;
        if let Some(old) = map.remove(&path) {
            *total = total.saturating_sub(old.len);
        }
        if modified.is_none() || total.saturating_add(len) > MAX_CACHE_BYTES {
            return;
        }
        *total = total.saturating_add(len);
        map.insert(
            path,
            CacheEntry {
                len,
                modified,
                loaded: loaded.clone(),
            },
        );
    }
}

/// Canonicalizes `path` and returns it with its metadata only if it lies under `root`.
fn confined(root: &Path, path: &Path) -> Option<(PathBuf, fs::Metadata)> {
    let canonical = fs::canonicalize(path).ok()?;
    if !canonical.starts_with(root) {
        return None;
    }
    let metadata = fs::metadata(&canonical).ok()?;
    Some((canonical, metadata))
}

/// Reads at most `max_bytes`; `Ok(None)` if the file is longer (it may grow after `stat`).
fn read_capped(path: &Path, max_bytes: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_bytes {
        return Ok(None);
    }
    Ok(Some(bytes))
}

/// Does `If-None-Match` match `etag`? Handles `*`, lists and weak tags (weak comparison,
/// as RFC 9110 prescribes for `If-None-Match`).
pub fn if_none_match_matches(header: &[u8], etag: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(header) else {
        return false;
    };
    let ours = etag.strip_prefix(b"W/").unwrap_or(etag);
    text.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || {
            let theirs = candidate.strip_prefix("W/").unwrap_or(candidate);
            theirs.len() >= 2 && theirs.starts_with('"') && theirs.ends_with('"') && {
                theirs.as_bytes() == ours
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths() {
        let ok = |rest: &str, segments: &[&str], slash: bool| {
            assert_eq!(
                safe_path(rest),
                Ok(SafePath {
                    segments: segments.iter().map(|s| s.to_string()).collect(),
                    trailing_slash: slash
                }),
                "{rest}"
            );
        };
        ok("", &[], true);
        ok("index.html", &["index.html"], false);
        ok("a/b/", &["a", "b"], true);
        ok("a%20b.json", &["a b.json"], false);
        ok("%252e%252e", &["%2e%2e"], false);
        let refused = [
            ("..", PathRefusal::Malformed),
            ("a/../b", PathRefusal::Malformed),
            ("%2e%2e/x", PathRefusal::Malformed),
            ("%2E%2E/x", PathRefusal::Malformed),
            (".%2e/x", PathRefusal::Malformed),
            ("a%2f..%2fb", PathRefusal::Malformed),
            ("a%5c..%5cb", PathRefusal::Malformed),
            ("a\\b", PathRefusal::Malformed),
            ("a//b", PathRefusal::Malformed),
            ("/etc/passwd", PathRefusal::Malformed),
            ("c:%5cwindows", PathRefusal::Malformed),
            ("a%00b", PathRefusal::Malformed),
            ("a%zz", PathRefusal::Malformed),
            ("a%2", PathRefusal::Malformed),
            ("%ff", PathRefusal::Malformed),
            ("%c0%ae%c0%ae", PathRefusal::Malformed),
            (".", PathRefusal::Malformed),
            (".git/config", PathRefusal::Hidden),
            ("a/.env", PathRefusal::Hidden),
        ];
        for (rest, refusal) in refused {
            assert_eq!(safe_path(rest), Err(refusal), "{rest}");
        }
    }

    #[test]
    fn etag_matching() {
        let etag = b"\"abc\"";
        let cases: &[(&str, bool)] = &[
            ("\"abc\"", true),
            ("W/\"abc\"", true),
            ("\"x\", \"abc\"", true),
            ("\"x\",\"abc\" ", true),
            ("*", true),
            ("\"abcd\"", false),
            ("abc", false),
            ("", false),
            ("\"x\"", false),
        ];
        for &(header, expected) in cases {
            assert_eq!(
                if_none_match_matches(header.as_bytes(), etag),
                expected,
                "{header}"
            );
        }
    }

    #[test]
    fn policies() {
        let p = Path::new;
        assert_eq!(content_type(p("a/m_bg.wasm")), "application/wasm");
        assert_eq!(content_type(p("m.JS")), "text/javascript; charset=utf-8");
        assert_eq!(content_type(p("noext")), "application/octet-stream");
        assert_eq!(
            cache_control(Area::Bundles, p("b/prod/12.json")),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control(Area::Bundles, p("b/prod/latest.json")),
            "public, no-cache"
        );
        assert_eq!(
            cache_control(Area::Bundles, p("b/prod/.json")),
            "public, no-cache"
        );
        assert_eq!(cache_control(Area::Www, p("index.html")), "no-cache");
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
