//! Publishing a signed bundle into the bundle directory the server exposes at `/bundles/`.
//!
//! It owns the on-disk layout (see the `serve` module docs) and its two rules: a versioned file,
//! once written, never changes; `latest.json` only moves forward. It reads just enough of the
//! DSSE envelope (payload type, base64 payload, three header fields, non-empty signature list)
//! to file it in the right place and catch mistakes. It must not verify signatures or trust the
//! payload: clients verify every bundle against their pinned root, and the unsigned pointer
//! is only a hint that a client's rollback check makes harmless.

use crate::serve::config::DEFAULT_MAX_BUNDLE_BYTES;
use crate::serve::files::sha256_hex;
use base64::Engine as _;
use puhui::error::ErrorCode;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The DSSE payload type of a puhui bundle.
pub const BUNDLE_PAYLOAD_TYPE: &str = "application/vnd.puhui.bundle+json";
/// File name of the pointer to the newest version in a `<bundleId>/<channel>/` directory.
pub const LATEST_FILE: &str = "latest.json";

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
        /// Envelope size.
        len: u64,
        /// The cap.
        max: u64,
    },
    /// The envelope is not a DSSE JSON object.
    #[error("not a dsse envelope: {0}")]
    NotEnvelope(String),
    /// `payloadType` is not the bundle type.
    #[error("payload type {0:?} is not {BUNDLE_PAYLOAD_TYPE}")]
    WrongPayloadType(String),
    /// The envelope carries no signature: an unsigned draft must never reach the server.
    #[error("envelope has no signatures")]
    Unsigned,
    /// `payload` is not base64.
    #[error("payload is not base64")]
    BadBase64,
    /// The payload lacks a usable `bundleId`, `channel` or `version`.
    #[error("payload header: {0}")]
    BadHeader(String),
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
    #[error("{field} {value:?} must be 1-64 of A-Z a-z 0-9 . _ - and not start with a dot")]
    BadName {
        /// `bundleId` or `channel`.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// That version is already published with different bytes.
    #[error("{} already exists with different bytes; versions are immutable", path.display())]
    Immutable {
        /// The existing file.
        path: PathBuf,
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
            PublishError::NotEnvelope(_) => "malformed",
            PublishError::WrongPayloadType(_) => "wrong-payload-type",
            PublishError::Unsigned => "unsigned",
            PublishError::BadBase64 => "malformed",
            PublishError::BadHeader(_) => "malformed",
            PublishError::HeaderMismatch { .. } => "header-mismatch",
            PublishError::BadName { .. } => "bad-name",
            PublishError::Immutable { .. } => "version-exists",
            PublishError::Io { .. } => "io",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            PublishError::WrongPayloadType(_) => Some("payloadType".to_owned()),
            PublishError::Unsigned => Some("signatures".to_owned()),
            PublishError::BadBase64 => Some("payload".to_owned()),
            PublishError::HeaderMismatch { field, .. } | PublishError::BadName { field, .. } => {
                Some(format!("payload.{field}"))
            }
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EnvelopeView {
    payload_type: String,
    payload: String,
    signatures: Vec<serde_json::Value>,
}

/// Reads `bundleId`, `channel` and `version` from a signed envelope without verifying it.
pub fn read_header(envelope: &[u8]) -> Result<BundleHeader, PublishError> {
    let view: EnvelopeView = serde_json::from_slice(envelope)
        .map_err(|e| PublishError::NotEnvelope(e.to_string().to_lowercase()))?;
    if view.payload_type != BUNDLE_PAYLOAD_TYPE {
        return Err(PublishError::WrongPayloadType(view.payload_type));
    }
    if view.signatures.is_empty() {
        return Err(PublishError::Unsigned);
    }
    // DSSE parsers must accept standard and URL-safe base64, padded or not.
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let payload = [STANDARD, URL_SAFE, STANDARD_NO_PAD, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(view.payload.as_bytes()).ok())
        .ok_or(PublishError::BadBase64)?;
    serde_json::from_slice(&payload)
        .map_err(|e| PublishError::BadHeader(e.to_string().to_lowercase()))
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
/// and moves `latest.json` to it when `version` is newer than the current pointer.
///
/// The arguments must agree with the signed payload's header. Re-publishing identical bytes is
/// a no-op; different bytes for an existing version fail with `version-exists`. The versioned
/// file appears atomically (hard link of a synced temporary file, which cannot replace an
/// existing file); the pointer is replaced atomically by rename. A single publisher per
/// bundle directory is assumed.
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
    let header = read_header(signed_envelope)?;
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
    let file_name = format!("{version}.json");
    let path = dir.join(&file_name);
    let sha256 = sha256_hex(signed_envelope);
    let written = write_immutable(&dir, &path, signed_envelope)?;

    let latest_path = dir.join(LATEST_FILE);
    let current = fs::read(&latest_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<LatestPointer>(&bytes).ok());
    // A pointer we cannot read is our own file gone bad: replacing it repairs it.
    let latest_updated = current.is_none_or(|pointer| pointer.version < version);
    if latest_updated {
        let pointer = LatestPointer {
            version,
            path: file_name,
            sha256: sha256.clone(),
        };
        let mut bytes = serde_json::to_vec(&pointer)
            .map_err(|e| io_error(&latest_path, std::io::Error::other(e)))?;
        bytes.push(b'\n');
        let tmp = write_temp(&dir, LATEST_FILE, &bytes)?;
        fs::rename(&tmp, &latest_path).map_err(|source| {
            let _ = fs::remove_file(&tmp);
            io_error(&latest_path, source)
        })?;
    }
    Ok(Published {
        path,
        sha256,
        written,
        latest_updated,
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
    let tmp = write_temp(dir, file_name, bytes)?;
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

/// Writes and syncs a hidden temporary file next to its destination (dotfiles are never
/// served, so a half-written file is never visible).
fn write_temp(dir: &Path, for_name: &str, bytes: &[u8]) -> Result<PathBuf, PublishError> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let tmp = dir.join(format!(".{for_name}.{}.{nanos}.tmp", std::process::id()));
    let result = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        });
    match result {
        Ok(()) => Ok(tmp),
        Err(source) => {
            let _ = fs::remove_file(&tmp);
            Err(io_error(&tmp, source))
        }
    }
}

fn io_error(path: &Path, source: std::io::Error) -> PublishError {
    PublishError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn check_name(field: &'static str, value: &str) -> Result<(), PublishError> {
    let valid = (1..=64).contains(&value.len())
        && !value.starts_with('.')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(PublishError::BadName {
            field,
            value: value.to_owned(),
        })
    }
}
