//! Static files: mapping a URL path to a file under one root, safely, and answering with
//! strong ETags, the right `Content-Type` and a `Cache-Control` chosen by area.
//!
//! It owns path decoding and confinement, content types, cache policy, content-coding
//! negotiation with precompressed siblings, and the in-memory file cache. It must not decide
//! CORS, rate limits or security headers (see `guard`).
//!
//! Precompressed siblings (`app.js.br`, `app.js.gz`, made at build time by
//! `scripts/compress-assets.mjs`) are chosen by `Accept-Encoding` (br > gzip > identity, q=0
//! honoured). A sibling is served only after it has been decompressed (output capped at the
//! original's length) and found byte-identical to the current original, so a stale or
//! truncated sibling is never sent; each coding has its own strong ETag (SHA-256 of the bytes
//! sent).
//!
//! Cache entries are revalidated on every hit against length, mtime and (on Unix) inode and
//! ctime, and an entry is trusted only when its file was last changed at least
//! [`RACY_WINDOW`] before it was read: a file rewritten in place within the same timestamp
//! tick, or with its mtime set back, is re-read and re-hashed rather than served stale.
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
use std::time::{Duration, SystemTime};

/// Largest `www/` or `pkg/` file served (bundles use `maxBundleBytes`).
pub const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;
/// Total bytes the in-memory file cache may hold; beyond it files are read per request.
const MAX_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// A cached file is trusted only if it last changed at least this long before it was read:
/// file-system timestamps are coarse (a jiffy on Linux, 2 s on FAT), so a rewrite inside the
/// same tick keeps the old mtime; inside the window the file is re-read on every request.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);

/// A content coding the server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// The file as it is.
    Identity,
    /// A `.gz` sibling.
    Gzip,
    /// A `.br` sibling.
    Brotli,
}

impl Encoding {
    /// The `Content-Encoding` token (`identity` is never sent as a header).
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Identity => "identity",
            Encoding::Gzip => "gzip",
            Encoding::Brotli => "br",
        }
    }

    /// The sibling's file-name suffix.
    fn suffix(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(".gz"),
            Encoding::Brotli => Some(".br"),
        }
    }

    /// Preference among equal weights: br, then gzip, then identity.
    fn rank(self) -> u8 {
        match self {
            Encoding::Brotli => 0,
            Encoding::Gzip => 1,
            Encoding::Identity => 2,
        }
    }
}

/// The codings a client accepts, best first, from its `Accept-Encoding` header values
/// (RFC 9110 §12.5.3): weights order them, ties go br > gzip > identity, `q=0` refuses, `*`
/// stands for any coding not listed, `x-gzip` is gzip. No header means identity only.
/// `identity` is acceptable unless refused (`identity;q=0`, or `*;q=0` without it), and then
/// comes last; when every coding is refused the list is empty and the caller sends identity
/// anyway (the RFC lets a server disregard the header rather than answer 406).
pub fn negotiate<'a>(values: impl Iterator<Item = &'a [u8]>) -> Vec<Encoding> {
    let mut any_header = false;
    let (mut br, mut gzip, mut identity, mut star): (
        Option<u16>,
        Option<u16>,
        Option<u16>,
        Option<u16>,
    ) = (None, None, None, None);
    for value in values {
        any_header = true;
        let Ok(text) = std::str::from_utf8(value) else {
            continue;
        };
        for item in text.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            if coding.is_empty() {
                continue;
            }
            let mut weight = Some(1000_u16);
            for param in parts {
                let param = param.trim();
                if let Some(q) = param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                {
                    weight = parse_weight(q.trim());
                }
            }
            let Some(weight) = weight else {
                continue;
            };
            let slot = match coding.as_str() {
                "br" => &mut br,
                "gzip" | "x-gzip" => &mut gzip,
                "identity" => &mut identity,
                "*" => &mut star,
                _ => continue,
            };
            // A coding listed twice keeps its highest weight.
            *slot = Some(slot.map_or(weight, |w| w.max(weight)));
        }
    }
    if !any_header {
        return vec![Encoding::Identity];
    }
    let mut ranked: Vec<(u16, Encoding)> = Vec::new();
    for (listed, encoding) in [(br, Encoding::Brotli), (gzip, Encoding::Gzip)] {
        if let Some(weight) = listed.or(star).filter(|w| *w > 0) {
            ranked.push((weight, encoding));
        }
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.rank().cmp(&b.1.rank())));
    let mut out: Vec<Encoding> = ranked.into_iter().map(|(_, e)| e).collect();
    let identity_ok = match (identity, star) {
        (Some(weight), _) => weight > 0,
        (None, Some(weight)) => weight > 0,
        (None, None) => true,
    };
    if identity_ok {
        out.push(Encoding::Identity);
    }
    out
}

/// An RFC 9110 weight (`0`, `0.5`, `1.000`) in thousandths; `None` when malformed.
fn parse_weight(text: &str) -> Option<u16> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for idx in 0..3 {
        let digit = frac.as_bytes().get(idx).map_or(0, |b| u16::from(b - b'0'));
        thousandths = thousandths * 10 + digit;
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

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
/// Versioned bundle files (`<integer>.json` under the bundle directory) and content-hashed
/// assets (esbuild's `name-XXXXXXXX.js|css|wasm`, eight base-32 characters `A-Z2-7`) never
/// change under their name, so they are cacheable for a year and `immutable`. Everything else
/// — HTML, `latest.json`, unhashed assets — is `no-cache`: cached but revalidated every time
/// by ETag, which costs one 304. For `pkg/` this is deliberate: wasm-pack's file names carry no
/// content hash and the JS glue must match its `.wasm` exactly, so a max-age could pair a
/// fresh glue file with a stale module after a deploy.
pub fn cache_control(area: Area, path: &Path) -> &'static str {
    const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    match area {
        Area::Bundles if is_versioned_bundle_name(path) => IMMUTABLE,
        Area::Www | Area::Pkg if is_content_hashed_name(path) => IMMUTABLE,
        Area::Bundles | Area::Pkg => "public, no-cache",
        Area::Www => "no-cache",
    }
}

/// `…-[A-Z2-7]{8}.(js|css|wasm)`: the names esbuild gives content-hashed outputs.
fn is_content_hashed_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    let Some(stem) = [".js", ".css", ".wasm"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
    else {
        return false;
    };
    let bytes = stem.as_bytes();
    bytes.len() > 9
        && bytes[bytes.len() - 9] == b'-'
        && bytes[bytes.len() - 8..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b))
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
    /// The bytes to send (the sibling's under a content coding).
    pub bytes: Bytes,
    /// Strong ETag: quoted lowercase SHA-256 hex of `bytes`.
    pub etag: HeaderValue,
    /// The original's canonical path (its extension picks the content type and cache policy).
    pub path: PathBuf,
    /// The content coding of `bytes`.
    pub encoding: Encoding,
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

/// What identifies one version of a file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Device, inode and ctime (seconds, nanoseconds) on Unix: a rename over the file changes
    /// the inode, any write or `touch -d` changes the ctime, which no user can set back.
    #[cfg(unix)]
    unix: (u64, u64, i64, i64),
}

impl Stamp {
    fn of(metadata: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            unix: (
                metadata.dev(),
                metadata.ino(),
                metadata.ctime(),
                metadata.ctime_nsec(),
            ),
        }
    }

    /// The latest change time the stamp knows (mtime, and ctime on Unix).
    fn changed(&self) -> Option<SystemTime> {
        #[cfg(unix)]
        {
            let (_, _, secs, nanos) = self.unix;
            let ctime = u64::try_from(secs).ok().and_then(|secs| {
                SystemTime::UNIX_EPOCH
                    .checked_add(Duration::new(secs, u32::try_from(nanos).unwrap_or(0)))
            })?;
            Some(self.modified?.max(ctime))
        }
        #[cfg(not(unix))]
        {
            self.modified
        }
    }

    /// Whether a read made at `read_at` of a file with this stamp can be trusted while the
    /// stamp stays the same (the file had stopped changing a whole racy window before).
    fn settled(&self, read_at: SystemTime) -> bool {
        self.changed()
            .and_then(|changed| read_at.duration_since(changed).ok())
            .is_some_and(|age| age >= RACY_WINDOW)
    }
}

#[derive(Debug, Clone)]
struct CacheEntry {
    stamp: Stamp,
    /// For a precompressed sibling: the ETag of the original it decompresses to (`None`: it
    /// decompresses to something else, or not at all).
    source: Option<HeaderValue>,
    loaded: Loaded,
}

/// In-memory cache of file bytes and ETags, revalidated on every hit (see the module docs):
/// length, mtime, inode and ctime must be unchanged and the file must have been settled when
/// it was read; otherwise it is read and hashed again.
#[derive(Debug, Default)]
pub struct FileCache {
    entries: RwLock<(HashMap<PathBuf, CacheEntry>, u64)>,
}

/// The regular file `safe` names under `root` (a canonical directory), with its metadata, or
/// what a lookup answers instead ([`Lookup::NotFound`], [`Lookup::AddSlash`]): the one mapping
/// of a path to a file, without reading it (blocking IO).
fn resolve(root: &Path, safe: &SafePath, index: bool) -> Result<(PathBuf, fs::Metadata), Lookup> {
    let mut joined = root.to_path_buf();
    for segment in &safe.segments {
        joined.push(segment);
    }
    let Some((canonical, metadata)) = confined(root, &joined) else {
        return Err(Lookup::NotFound);
    };
    let (canonical, metadata) = if metadata.is_dir() {
        if !index {
            return Err(Lookup::NotFound);
        }
        if !safe.trailing_slash {
            return Err(Lookup::AddSlash);
        }
        confined(root, &canonical.join("index.html")).ok_or(Lookup::NotFound)?
    } else {
        if safe.trailing_slash {
            return Err(Lookup::NotFound);
        }
        (canonical, metadata)
    };
    if !metadata.is_file() {
        return Err(Lookup::NotFound);
    }
    Ok((canonical, metadata))
}

/// Whether `safe` names something a `GET` would answer (a file, or a directory it redirects
/// to), without reading it: a method no file takes is 405 there and 404 elsewhere.
pub fn exists(root: &Path, safe: &SafePath, index: bool) -> bool {
    matches!(resolve(root, safe, index), Ok(_) | Err(Lookup::AddSlash))
}

impl FileCache {
    /// Finds `safe` under `root` (a canonical directory) and loads it (blocking IO).
    pub fn lookup(&self, root: &Path, safe: &SafePath, index: bool, max_bytes: u64) -> Lookup {
        let (canonical, metadata) = match resolve(root, safe, index) {
            Ok(found) => found,
            Err(refused) => return refused,
        };
        if metadata.len() > max_bytes {
            return Lookup::TooLarge;
        }
        let stamp = Stamp::of(&metadata);
        if let Some(hit) = self.get(&canonical, stamp) {
            return Lookup::Found(hit.loaded);
        }
        // Taken before the read: a change during the read makes the entry racy, never trusted.
        let read_at = SystemTime::now();
        let bytes = match read_capped(&canonical, max_bytes) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Lookup::TooLarge,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Lookup::NotFound,
            Err(err) => return Lookup::Io(err),
        };
        let Some(etag) = etag_of(&bytes) else {
            return Lookup::NotFound;
        };
        let loaded = Loaded {
            bytes: Bytes::from(bytes),
            etag,
            path: canonical.clone(),
            encoding: Encoding::Identity,
        };
        self.put(canonical, stamp, read_at, None, &loaded);
        Lookup::Found(loaded)
    }

    /// [`FileCache::lookup`], then the first coding of `accepted` (from [`negotiate`]) that
    /// has a valid precompressed sibling; identity when none has.
    pub fn lookup_negotiated(
        &self,
        root: &Path,
        safe: &SafePath,
        index: bool,
        max_bytes: u64,
        accepted: &[Encoding],
    ) -> Lookup {
        let original = match self.lookup(root, safe, index, max_bytes) {
            Lookup::Found(original) => original,
            other => return other,
        };
        for encoding in accepted {
            if *encoding == Encoding::Identity {
                break;
            }
            if let Some(encoded) = self.sibling(root, &original, *encoding, max_bytes) {
                return Lookup::Found(encoded);
            }
        }
        Lookup::Found(original)
    }

    /// The `encoding` sibling of `original`, if it exists under `root` and decompresses to
    /// exactly the original's bytes.
    fn sibling(
        &self,
        root: &Path,
        original: &Loaded,
        encoding: Encoding,
        max_bytes: u64,
    ) -> Option<Loaded> {
        let mut name = original.path.file_name()?.to_os_string();
        name.push(encoding.suffix()?);
        let (path, metadata) = confined(root, &original.path.with_file_name(name))?;
        if !metadata.is_file() || metadata.len() > max_bytes {
            return None;
        }
        let stamp = Stamp::of(&metadata);
        if let Some(hit) = self.get(&path, stamp) {
            // The sibling is unchanged; it is good only for the original it was checked against.
            return (hit.source.as_ref() == Some(&original.etag)).then_some(hit.loaded);
        }
        let read_at = SystemTime::now();
        let bytes = read_capped(&path, max_bytes).ok()??;
        let matches = decompress_capped(encoding, &bytes, original.bytes.len())
            .is_some_and(|plain| plain == original.bytes);
        let loaded = Loaded {
            etag: etag_of(&bytes)?,
            bytes: Bytes::from(bytes),
            path: original.path.clone(),
            encoding,
        };
        let source = matches.then(|| original.etag.clone());
        self.put(path, stamp, read_at, source, &loaded);
        matches.then_some(loaded)
    }

    fn get(&self, path: &Path, stamp: Stamp) -> Option<CacheEntry> {
        let guard = self.entries.read().ok()?;
        let entry = guard.0.get(path)?;
        (entry.stamp == stamp).then(|| entry.clone())
    }

    fn put(
        &self,
        path: PathBuf,
        stamp: Stamp,
        read_at: SystemTime,
        source: Option<HeaderValue>,
        loaded: &Loaded,
    ) {
        let Ok(mut guard) = self.entries.write() else {
            return;
        };
        let (map, total) = &mut *guard;
        if let Some(old) = map.remove(&path) {
            *total = total.saturating_sub(old.stamp.len);
        }
        // A file that may still change inside its timestamp tick is not cached at all.
        if !stamp.settled(read_at) || total.saturating_add(stamp.len) > MAX_CACHE_BYTES {
            return;
        }
        *total = total.saturating_add(stamp.len);
        map.insert(
            path,
            CacheEntry {
                stamp,
                source,
                loaded: loaded.clone(),
            },
        );
    }
}

/// The strong ETag of bytes: the quoted lowercase SHA-256 hex.
fn etag_of(bytes: &[u8]) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!("\"{}\"", sha256_hex(bytes))).ok()
}

/// Decompresses a gzip or brotli body, refusing output longer than `limit` bytes (so a
/// decompression bomb costs at most `limit + 1` bytes); `None` when it is not valid.
fn decompress_capped(encoding: Encoding, bytes: &[u8], limit: usize) -> Option<Vec<u8>> {
    let cap = u64::try_from(limit).ok()?.saturating_add(1);
    let mut out = Vec::with_capacity(limit);
    let read = match encoding {
        Encoding::Identity => return None,
        Encoding::Gzip => flate2::read::GzDecoder::new(bytes)
            .take(cap)
            .read_to_end(&mut out),
        Encoding::Brotli => brotli_decompressor::Decompressor::new(bytes, 4096)
            .take(cap)
            .read_to_end(&mut out),
    };
    (read.is_ok() && out.len() <= limit).then_some(out)
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
    fn accept_encoding_negotiation() {
        use Encoding::{Brotli as B, Gzip as G, Identity as I};
        let cases: &[(&[&str], &[Encoding])] = &[
            (&[], &[I]),
            (&[""], &[I]),
            (&["gzip, deflate, br, zstd"], &[B, G, I]),
            (&["gzip"], &[G, I]),
            (&["br"], &[B, I]),
            (&["x-gzip"], &[G, I]),
            (&["GZIP, BR"], &[B, G, I]),
            (&["br;q=0, gzip"], &[G, I]),
            (&["br; q=0.000, gzip;Q=0.5"], &[G, I]),
            (&["gzip;q=1, br;q=0.5"], &[G, B, I]),
            (&["gzip;q=0.8, br;q=0.8"], &[B, G, I]),
            (&["*"], &[B, G, I]),
            (&["*;q=0"], &[]),
            (&["*;q=0, identity"], &[I]),
            (&["gzip, *;q=0"], &[G]),
            (&["identity;q=0, gzip"], &[G]),
            (&["br;q=0, gzip;q=0"], &[I]),
            (&["deflate, compress"], &[I]),
            (&["br;q=2, gzip;q=0.5"], &[G, I]),
            (&["br;q=0.0001"], &[I]),
            (&["br;q=x"], &[I]),
            (&["br", "gzip"], &[B, G, I]),
            (&["gzip;q=0", "gzip"], &[G, I]),
        ];
        for &(values, expected) in cases {
            let got = negotiate(values.iter().map(|v| v.as_bytes()));
            assert_eq!(got, expected, "{values:?}");
        }
        assert_eq!(parse_weight("0.5"), Some(500));
        assert_eq!(parse_weight("1.000"), Some(1000));
        assert_eq!(parse_weight("1.001"), None);
        assert_eq!(parse_weight(".5"), None);
    }

    #[test]
    fn decompression_is_capped_and_exact() {
        use std::io::Write;
        let original = b"puhui ".repeat(100);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&original).unwrap();
        let gz = encoder.finish().unwrap();
        assert_eq!(
            decompress_capped(Encoding::Gzip, &gz, original.len()).as_deref(),
            Some(&original[..])
        );
        // One byte short of the output: refused, not truncated.
        assert_eq!(
            decompress_capped(Encoding::Gzip, &gz, original.len() - 1),
            None
        );
        assert_eq!(decompress_capped(Encoding::Gzip, b"not gzip", 100), None);
        assert_eq!(decompress_capped(Encoding::Brotli, b"\xff\xff", 100), None);
        assert_eq!(decompress_capped(Encoding::Identity, &gz, 1_000), None);
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
        let immutable = "public, max-age=31536000, immutable";
        for hashed in [
            "dist/app-ABCDEFGH.js",
            "dist/chunk-Z2345677.css",
            "dist/puhui_bg-QWERTY23.wasm",
            "a-b-AAAAAAAA.js",
        ] {
            assert_eq!(cache_control(Area::Www, p(hashed)), immutable, "{hashed}");
            assert_eq!(cache_control(Area::Pkg, p(hashed)), immutable, "{hashed}");
        }
        for plain in [
            "dist/app-abcdefgh.js",
            "dist/app-ABCDEFG1.js",
            "dist/app-ABCDEFG.js",
            "dist/app_ABCDEFGH.js",
            "dist/-ABCDEFGH.js",
            "dist/app-ABCDEFGHI.js",
            "dist/app-ABCDEFGH.html",
            "dist/app-ABCDEFGH.js.map",
            "app.js",
        ] {
            assert_eq!(cache_control(Area::Www, p(plain)), "no-cache", "{plain}");
        }
        assert_eq!(
            cache_control(Area::Pkg, p("web/puhui_bg.wasm")),
            "public, no-cache"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
