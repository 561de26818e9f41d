//! Publishing a signed bundle into the bundle directory the server exposes at `/bundles/`.
//!
//! It owns the on-disk layout (see the `serve` module docs) and its two rules: a versioned file,
//! once written, never changes; `latest.json` only moves forward, under a lock. It reads the
//! envelope with the verifier's own reader (`puhui::bundle::read_signed_header`: size cap
//! first, standard base64 only, every header rule) so it files only what clients can read.
//! It must not verify signatures or trust the payload: clients verify every bundle against
//! their pinned root, and the unsigned pointer is only a hint that a client's rollback check
//! makes harmless.

use crate::fsafe;
use crate::serve::config::DEFAULT_MAX_BUNDLE_BYTES;
use crate::serve::files::sha256_hex;
use puhui::bundle::{read_signed_header, valid_id, BundleError};
use puhui::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

/// The DSSE payload type of a puhui bundle.
pub const BUNDLE_PAYLOAD_TYPE: &str = "application/vnd.puhui.bundle+json";
/// File name of the pointer to the newest version in a `<bundleId>/<channel>/` directory.
pub const LATEST_FILE: &str = "latest.json";
/// The lock every publisher of a `<bundleId>/<channel>/` directory holds (a dotfile: never
/// served).
pub const LOCK_FILE: &str = ".publish.lock";

/// The three payload header fields that decide where a bundle is filed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleHeader {
    /// `bundleId` from the payload.
    pub bundle_id: String,
    /// `channel` from the payload.
    pub channel: String,
    /// `version` from the payload.
    pub version: u64,
}

/// `latest.json`: `{"version": N, "path": "N.json", "sha256": "<hex>"}`.
///
/// `path` is relative to the pointer's own URL (`new URL(path, latestUrl)`), so the tree can be
/// mounted under any prefix or CDN.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LatestPointer {
    /// Newest published version.
    pub version: u64,
    /// That version's file, relative to the pointer.
    pub path: String,
    /// Lowercase hex SHA-256 of that file's bytes.
    pub sha256: String,
}

/// What [`publish`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Published {
    /// The versioned file.
    pub path: PathBuf,
    /// Lowercase hex SHA-256 of the envelope bytes.
    pub sha256: String,
    /// `false` when the identical bytes were already published (publishing is idempotent).
    pub written: bool,
    /// `true` when `latest.json` now points at this version.
    pub latest_updated: bool,
}

/// Why a bundle was not published.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PublishError {
    /// The envelope is larger than the cap clients enforce.
    #[error("envelope is {len} bytes, above the {max} byte cap")]
    TooLarge {
        /// Envelope size (a lower bound when reading stopped at the cap).
        len: u64,
        /// The cap.
        max: u64,
    },
    /// The verifier's envelope reader refused it (the same code a client would give:
    /// `malformed`, `unsigned`, `wrong-payload-type`, `version-out-of-range`, …).
    #[error("{0}")]
    Envelope(BundleError),
    /// The caller's bundle id, channel or version differs from the signed payload's.
    #[error("{field} is {given:?} but the signed payload says {signed:?}")]
    HeaderMismatch {
        /// `bundleId`, `channel` or `version`.
        field: &'static str,
        /// What the caller passed.
        given: String,
        /// What the payload holds.
        signed: String,
    },
    /// A bundle id or channel cannot be a directory name.
    #[error(
        "{field} {value:?} must be 1-{max} of A-Z a-z 0-9 . _ - and not start with a dot",
        max = puhui::limits::MAX_ID_BYTES
    )]
    BadName {
        /// `bundleId` or `channel`.
        field: &'static str,
        /// The value (cut to the echo length).
        value: String,
    },
    /// That version is already published with different bytes.
    #[error("{} already exists with different bytes; versions are immutable", path.display())]
    Immutable {
        /// The existing file.
        path: PathBuf,
    },
    /// A version not above the highest valid version already on disk: `latest.json` only
    /// moves forward, and so does publishing.
    #[error("version {version} is not above the highest published version {highest}")]
    NotNewer {
        /// The version offered.
        version: u64,
        /// The highest valid version on disk.
        highest: u64,
    },
    /// The file system refused.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl ErrorCode for PublishError {
    fn code(&self) -> &'static str {
        match self {
            PublishError::TooLarge { .. } => "too-large",
            PublishError::Envelope(err) => err.code(),
            PublishError::HeaderMismatch { .. } => "header-mismatch",
            PublishError::BadName { .. } => "bad-name",
            PublishError::Immutable { .. } => "version-exists",
            PublishError::NotNewer { .. } => "version-not-newer",
            PublishError::Io { .. } => "io",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            PublishError::Envelope(err) => err.path(),
            PublishError::HeaderMismatch { field, .. } | PublishError::BadName { field, .. } => {
                Some(format!("payload.{field}"))
            }
            PublishError::NotNewer { .. } => Some("payload.version".to_owned()),
            _ => None,
        }
    }
}

/// Reads `bundleId`, `channel` and `version` from a signed envelope without verifying it,
/// through the verifier's own reader with the default 1 MiB cap (see [`read_header_capped`]).
pub fn read_header(envelope: &[u8]) -> Result<BundleHeader, PublishError> {
    read_header_capped(envelope, DEFAULT_MAX_BUNDLE_BYTES)
}

/// [`read_header`] with a cap: the size is checked first, then
/// `puhui::bundle::read_signed_header` (strict JSON, standard padded base64 only, at least
/// one signature, every header rule) reads it, so nothing a client refuses is published.
pub fn read_header_capped(envelope: &[u8], max_bytes: u64) -> Result<BundleHeader, PublishError> {
    let len = u64::try_from(envelope.len()).unwrap_or(u64::MAX);
    if len > max_bytes {
        return Err(PublishError::TooLarge {
            len,
            max: max_bytes,
        });
    }
    let cap = usize::try_from(max_bytes).unwrap_or(usize::MAX);
    let header = read_signed_header(envelope, cap).map_err(PublishError::Envelope)?;
    Ok(BundleHeader {
        bundle_id: header.bundle_id,
        channel: header.channel,
        version: header.version,
    })
}

/// Reads an envelope file, at most `max_bytes + 1` bytes of it, so an oversized file is
/// refused without ever being held in memory whole.
pub fn read_envelope_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, PublishError> {
    use std::io::Read as _;
    let file = fs::File::open(path).map_err(|source| io_error(path, source))?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| io_error(path, source))?;
    Ok(bytes)
}

/// Publishes with the default 1 MiB cap; see [`publish_with_limit`].
pub fn publish(
    bundle_dir: &Path,
    signed_envelope: &[u8],
    bundle_id: &str,
    channel: &str,
    version: u64,
) -> Result<Published, PublishError> {
    publish_with_limit(
        bundle_dir,
        signed_envelope,
        bundle_id,
        channel,
        version,
        DEFAULT_MAX_BUNDLE_BYTES,
    )
}

/// Writes `signed_envelope` byte for byte to `bundle_dir/<bundle_id>/<channel>/<version>.json`
/// and moves `latest.json` to it.
///
/// The arguments must agree with the signed payload's header, read by the verifier's reader
/// after the size cap. Every publisher of a directory takes its lock (`.publish.lock`), then
/// finds the highest valid version on disk (a `<N>.json` whose envelope reads and names
/// version N): a version not above it is refused with `version-not-newer` (re-publishing
/// the identical bytes of an existing version is a no-op), and `latest.json` is rewritten to
/// the highest valid version, never lower (a garbage pointer is repaired to it, not to
/// whatever is published next). The versioned file appears atomically (hard link of a synced,
/// randomly named, exclusively created temporary, which cannot replace an existing file);
/// the pointer is replaced atomically by rename; temporaries of a killed publisher are
/// removed under the lock.
pub fn publish_with_limit(
    bundle_dir: &Path,
    signed_envelope: &[u8],
    bundle_id: &str,
    channel: &str,
    version: u64,
    max_bundle_bytes: u64,
) -> Result<Published, PublishError> {
    let len = u64::try_from(signed_envelope.len()).unwrap_or(u64::MAX);
    if len > max_bundle_bytes {
        return Err(PublishError::TooLarge {
            len,
            max: max_bundle_bytes,
        });
    }
    check_name("bundleId", bundle_id)?;
    check_name("channel", channel)?;
    let header = read_header_capped(signed_envelope, max_bundle_bytes)?;
    let mismatch = |field, given: String, signed: String| PublishError::HeaderMismatch {
        field,
        given,
        signed,
    };
    if header.bundle_id != bundle_id {
        return Err(mismatch("bundleId", bundle_id.to_owned(), header.bundle_id));
    }
    if header.channel != channel {
        return Err(mismatch("channel", channel.to_owned(), header.channel));
    }
    if header.version != version {
        return Err(mismatch(
            "version",
            version.to_string(),
            header.version.to_string(),
        ));
    }

    let dir = bundle_dir.join(bundle_id).join(channel);
    fs::create_dir_all(&dir).map_err(|source| io_error(&dir, source))?;
    let lock_path = dir.join(LOCK_FILE);
    let _lock = fsafe::lock(&lock_path).map_err(|source| io_error(&lock_path, source))?;
    let file_name = format!("{version}.json");
    fsafe::remove_stale_temps(&dir, &file_name);
    fsafe::remove_stale_temps(&dir, LATEST_FILE);
    let path = dir.join(&file_name);
    let sha256 = sha256_hex(signed_envelope);

    let on_disk = highest_valid(&dir, bundle_id, channel, max_bundle_bytes);
    let outcome = match &on_disk {
        Some((highest, _)) if version <= *highest => {
            // Only the identical bytes of an existing version may come again (a no-op).
            match fs::read(&path) {
                Ok(existing) if existing == signed_envelope => Ok(false),
                Ok(_) => Err(PublishError::Immutable { path: path.clone() }),
                Err(_) => Err(PublishError::NotNewer {
                    version,
                    highest: *highest,
                }),
            }
        }
        _ => write_immutable(&dir, &path, signed_envelope),
    };
    // The pointer names the highest valid version on disk, whatever this call's outcome
    // (a garbage or lowered pointer is repaired even by a refused publish).
    let target = match (&on_disk, &outcome) {
        (Some((highest, sha)), _) if *highest > version => Some((*highest, sha.clone())),
        (_, Ok(_)) => Some((version, sha256.clone())),
        (Some((highest, sha)), Err(_)) => Some((*highest, sha.clone())),
        (None, Err(_)) => None,
    };
    let mut latest_updated = false;
    if let Some((highest, highest_sha)) = target {
        let changed = write_pointer(&dir, highest, highest_sha)?;
        latest_updated = changed && highest == version;
    }
    let written = outcome?;
    Ok(Published {
        path,
        sha256,
        written,
        latest_updated,
    })
}

/// Points `latest.json` at `version` unless it already does; `Ok(true)` when rewritten.
fn write_pointer(dir: &Path, version: u64, sha256: String) -> Result<bool, PublishError> {
    let latest_path = dir.join(LATEST_FILE);
    let pointer = LatestPointer {
        version,
        path: format!("{version}.json"),
        sha256,
    };
    let current = fs::read(&latest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<LatestPointer>(&bytes).ok());
    if current.as_ref() == Some(&pointer) {
        return Ok(false);
    }
    let mut bytes = serde_json::to_vec(&pointer)
        .map_err(|e| io_error(&latest_path, std::io::Error::other(e)))?;
    bytes.push(b'\n');
    let tmp =
        fsafe::write_temp(dir, LATEST_FILE, &bytes).map_err(|source| io_error(dir, source))?;
    fs::rename(&tmp, &latest_path).map_err(|source| {
        let _ = fs::remove_file(&tmp);
        io_error(&latest_path, source)
    })?;
    Ok(true)
}

/// The highest version `N` with a valid `<N>.json` in `dir` (its envelope reads through the
/// verifier's reader and names this bundle id, channel and version N), with the file's hash.
fn highest_valid(dir: &Path, bundle_id: &str, channel: &str, max: u64) -> Option<(u64, String)> {
    let mut versions: Vec<u64> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let stem = name.to_str()?.strip_suffix(".json")?;
            let valid_number = !stem.is_empty()
                && stem.bytes().all(|b| b.is_ascii_digit())
                && (stem == "0" || !stem.starts_with('0'));
            if valid_number {
                stem.parse().ok()
            } else {
                None
            }
        })
        .collect();
    versions.sort_unstable_by(|a, b| b.cmp(a));
    versions.into_iter().find_map(|version| {
        let bytes = read_envelope_file(&dir.join(format!("{version}.json")), max).ok()?;
        let header = read_header_capped(&bytes, max).ok()?;
        (header.bundle_id == bundle_id && header.channel == channel && header.version == version)
            .then(|| (version, sha256_hex(&bytes)))
    })
}

/// Creates `path` with `bytes` unless it exists; `Ok(false)` if it already holds these bytes.
fn write_immutable(dir: &Path, path: &Path, bytes: &[u8]) -> Result<bool, PublishError> {
    let same_or_refuse = |existing: Vec<u8>| {
        if existing == bytes {
            Ok(false)
        } else {
            Err(PublishError::Immutable {
                path: path.to_path_buf(),
            })
        }
    };
    match fs::read(path) {
        Ok(existing) => return same_or_refuse(existing),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(io_error(path, source)),
    }
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("bundle");
    let tmp = fsafe::write_temp(dir, file_name, bytes).map_err(|source| io_error(dir, source))?;
    // `hard_link` fails if `path` exists, so a racing publisher cannot be overwritten.
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            same_or_refuse(fs::read(path).map_err(|source| io_error(path, source))?)
        }
        Err(source) => Err(io_error(path, source)),
    }
}

fn io_error(path: &Path, source: std::io::Error) -> PublishError {
    PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check_name(field: &'static str, value: &str) -> Result<(), PublishError> {
    if valid_id(value) {
        Ok(())
    } else {
        Err(PublishError::BadName {
            field,
            value: puhui::limits::truncate_echo(value),
        })
    }
}
