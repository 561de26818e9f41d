//! Signed rule bundles: the verification core.
//!
//! Owns everything between untrusted bytes and a payload the engine may use: the strict
//! JSON gate ([`strict_json`]), DSSE envelopes with Ed25519 ([`dsse`]), trust roots and their
//! chained rotation ([`root`]), and the pure verifier with its persisted state ([`mod@verify`]).
//! Every defence of `docs/bundles.md` (the threat model) lives here and each refusal has a stable code.
//! It must not read clocks, files or randomness (the host passes `now` and the state and
//! stores the new state), and it does not type the bundle content: the verified payload is
//! handed on as JSON for the product schema to interpret.

pub mod base64;
pub mod dsse;
mod json;
pub mod root;
/// The strict JSON gate, kept at its old path (it lives in [`crate::json::strict`]).
pub use crate::json::strict as strict_json;
pub mod verify;
pub mod wire;

pub use dsse::{
    pae, sign_envelope, Envelope, EnvelopeSignature, KeyPair, BUNDLE_PAYLOAD_TYPE,
    ROOT_PAYLOAD_TYPE,
};
pub use root::{rotate_root, sign_root, RootKey, RootPayload, TrustedRoot};
pub use verify::{
    current_root, read_signed_header, root_summary, root_summary_text, rotate_root_json,
    rotate_root_text, rotate_state, sign_bundle, valid_id, verify, verify_bytes, verify_json,
    verify_text, BundleHeader, BundleRecord, BundleState, RootRecord, VerifiedBundle,
    VerifyOptions, BUNDLE_SCHEMA,
};

use crate::error::ErrorCode;
use sha2::{Digest, Sha256};
use strict_json::StrictJsonError;

/// Why a bundle, root or state was refused. Every variant maps to one stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The input exceeds the size cap (checked before parsing).
    #[error("{location} of {size} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// `envelope` or `payload`.
        location: &'static str,
        /// Input length in bytes.
        size: usize,
        /// The cap.
        max: usize,
    },
    /// JSON nests deeper than the limit.
    #[error("{location} nests deeper than {max} levels")]
    TooDeep {
        /// `envelope` or `payload`.
        location: &'static str,
        /// Path of the container that crossed the limit.
        path: String,
        /// The limit.
        max: usize,
    },
    /// A JSON object repeats a key.
    #[error("{location} repeats an object key")]
    DuplicateKey {
        /// `envelope` or `payload`.
        location: &'static str,
        /// Path of the repeated key.
        path: String,
    },
    /// A JSON number would overflow or lose precision.
    #[error("{location} holds a number that is out of range or too long")]
    NumberOutOfRange {
        /// `envelope` or `payload`.
        location: &'static str,
        /// Path of the number.
        path: String,
    },
    /// Not a well-formed envelope or payload.
    #[error("malformed bundle: {reason}")]
    Malformed {
        /// Path of the offending value, if known.
        path: Option<String>,
        /// What was wrong.
        reason: String,
    },
    /// The envelope carries another kind of payload (e.g. a root offered as a bundle).
    #[error("payload type {found:?} where {expected:?} was expected")]
    WrongPayloadType {
        /// The payload type required here.
        expected: &'static str,
        /// The payload type found.
        found: String,
    },
    /// The payload's `schema` is not one this engine reads.
    #[error("unsupported bundle schema {found:?}")]
    UnsupportedSchema {
        /// The schema found.
        found: String,
    },
    /// No signatures, and preview mode was not requested.
    #[error("bundle is unsigned and preview mode is off")]
    Unsigned,
    /// A signature by a trusted key does not verify (and the threshold is not met).
    #[error("signature by key {keyid:?} does not verify")]
    BadSignature {
        /// The key whose signature failed.
        keyid: String,
    },
    /// Only keys the trust root does not list signed.
    #[error("signed only by keys the trust root does not list: {}", keyids.join(", "))]
    UnknownKey {
        /// The unknown key ids.
        keyids: Vec<String>,
    },
    /// Valid signatures from too few distinct trusted keys.
    #[error("{valid} valid signature(s) from distinct trusted keys, {threshold} required")]
    ThresholdNotMet {
        /// Distinct trusted keys with a valid signature.
        valid: usize,
        /// Required.
        threshold: u32,
    },
    /// An older bundle, or the same version with different content.
    #[error(
        "bundle {bundle_id:?} on channel {channel:?} version {version} is not newer than accepted version {accepted_version}{}",
        if *same_version { " (same version, different content)" } else { "" }
    )]
    Rollback {
        /// Bundle id.
        bundle_id: String,
        /// Channel.
        channel: String,
        /// Offered version.
        version: u64,
        /// Highest version accepted before.
        accepted_version: u64,
        /// Whether the versions are equal (and the hashes differ).
        same_version: bool,
    },
    /// The bundle expired, judged at max(now, latest known time).
    #[error("bundle expired at {expires_at} (judged at {judged_at})")]
    Expired {
        /// The bundle's `expiresAt`.
        expires_at: String,
        /// max(now, latest known time), RFC 3339.
        judged_at: String,
    },
    /// The signed channel is not the client's channel.
    #[error("bundle is for channel {found:?}, this client is on {expected:?}")]
    WrongChannel {
        /// The client's channel.
        expected: String,
        /// The bundle's channel.
        found: String,
    },
    /// The bundle needs a newer engine.
    #[error("bundle needs engine {required}, this engine is {engine}")]
    EngineTooOld {
        /// The bundle's `minEngineVersion`.
        required: String,
        /// This engine's version.
        engine: &'static str,
    },
    /// The bundle was signed under a root newer than the client holds; rotate first.
    #[error(
        "bundle names root version {bundle_root_version}, the client holds version {root_version}"
    )]
    RootOutdated {
        /// The payload's `rootVersion`.
        bundle_root_version: u64,
        /// The client's current root version.
        root_version: u64,
    },
    /// A root document is not well formed.
    #[error("invalid trust root: {reason}")]
    InvalidRoot {
        /// Path inside the root payload, if known.
        path: Option<String>,
        /// What was wrong.
        reason: String,
    },
    /// The root in use has expired.
    #[error("trust root version {version} expired at {expires_at}")]
    RootExpired {
        /// Root version.
        version: u64,
        /// Its `expiresAt`.
        expires_at: String,
    },
    /// A new root is not signed by a threshold of the previous root's keys.
    #[error("root version {version} is not signed by a threshold of the previous root: {reason}")]
    RootChainBroken {
        /// The refused root's version.
        version: u64,
        /// The signature shortfall.
        reason: String,
    },
    /// A root is not signed by a threshold of its own keys.
    #[error("root version {version} is not signed by a threshold of its own keys: {reason}")]
    RootNotSelfSigned {
        /// The refused root's version.
        version: u64,
        /// The signature shortfall.
        reason: String,
    },
    /// A rotation skips versions.
    #[error("root version {next} does not follow version {current}: rotate one version at a time")]
    RootVersionSkip {
        /// Current root version.
        current: u64,
        /// Offered version.
        next: u64,
    },
    /// A rotation offers an older or conflicting root.
    #[error("root version {next} is not newer than the current version {current}")]
    RootRollback {
        /// Current root version.
        current: u64,
        /// Offered version.
        next: u64,
    },
    /// The root in use is older than the minimum this engine pins.
    #[error("trust root version {version} is below the required minimum {minimum}")]
    RootTooOld {
        /// Root version in use.
        version: u64,
        /// Required minimum.
        minimum: u64,
    },
    /// A bundle or root version above 2^53 − 1 ([`crate::limits::MAX_VERSION`]), which JS
    /// clients cannot hold exactly.
    #[error("version {version} is above the largest allowed version 2^53 - 1")]
    VersionOutOfRange {
        /// Path of the version field.
        path: String,
        /// The version offered.
        version: u64,
    },
    /// `issuedAt` lies further beyond the verifier's time than the allowed clock skew
    /// ([`crate::limits::MAX_CLOCK_SKEW_SECONDS`]).
    #[error("bundle issued at {issued_at}, more than {skew_seconds} s after {judged_at}")]
    IssuedInFuture {
        /// The bundle's `issuedAt`.
        issued_at: String,
        /// max(now, latest known time), RFC 3339.
        judged_at: String,
        /// The allowed skew.
        skew_seconds: i64,
    },
    /// The persisted state cannot be read or contradicts itself.
    #[error("invalid persisted state: {reason}")]
    InvalidState {
        /// Path inside the state, if known.
        path: Option<String>,
        /// What was wrong.
        reason: String,
    },
}

impl ErrorCode for BundleError {
    fn code(&self) -> &'static str {
        match self {
            BundleError::TooLarge { .. } => "too-large",
            BundleError::TooDeep { .. } => "too-deep",
            BundleError::DuplicateKey { .. } => "duplicate-key",
            BundleError::NumberOutOfRange { .. } => "number-out-of-range",
            BundleError::Malformed { .. } => "malformed",
            BundleError::WrongPayloadType { .. } => "wrong-payload-type",
            BundleError::UnsupportedSchema { .. } => "unsupported-schema",
            BundleError::Unsigned => "unsigned",
            BundleError::BadSignature { .. } => "bad-signature",
            BundleError::UnknownKey { .. } => "unknown-key",
            BundleError::ThresholdNotMet { .. } => "threshold-not-met",
            BundleError::Rollback { .. } => "rollback",
            BundleError::Expired { .. } => "expired",
            BundleError::WrongChannel { .. } => "wrong-channel",
            BundleError::EngineTooOld { .. } => "engine-too-old",
            BundleError::RootOutdated { .. } => "root-outdated",
            BundleError::InvalidRoot { .. } => "invalid-root",
            BundleError::RootExpired { .. } => "root-expired",
            BundleError::RootChainBroken { .. } => "root-chain-broken",
            BundleError::RootNotSelfSigned { .. } => "root-not-self-signed",
            BundleError::RootVersionSkip { .. } => "root-version-skip",
            BundleError::RootRollback { .. } => "root-rollback",
            BundleError::RootTooOld { .. } => "root-too-old",
            BundleError::InvalidState { .. } => "invalid-state",
            BundleError::VersionOutOfRange { .. } => "version-out-of-range",
            BundleError::IssuedInFuture { .. } => "issued-in-future",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            BundleError::TooDeep { location, path, .. }
            | BundleError::DuplicateKey { location, path }
            | BundleError::NumberOutOfRange { location, path } => Some(join_path(location, path)),
            BundleError::Malformed { path, .. }
            | BundleError::InvalidRoot { path, .. }
            | BundleError::InvalidState { path, .. } => path.clone(),
            BundleError::WrongPayloadType { .. } => Some("payloadType".into()),
            BundleError::UnsupportedSchema { .. } => Some("payload.schema".into()),
            BundleError::BadSignature { .. }
            | BundleError::UnknownKey { .. }
            | BundleError::ThresholdNotMet { .. } => Some("signatures".into()),
            BundleError::Expired { .. } => Some("payload.expiresAt".into()),
            BundleError::IssuedInFuture { .. } => Some("payload.issuedAt".into()),
            BundleError::VersionOutOfRange { path, .. } => Some(path.clone()),
            BundleError::WrongChannel { .. } => Some("payload.channel".into()),
            BundleError::EngineTooOld { .. } => Some("payload.minEngineVersion".into()),
            BundleError::RootOutdated { .. } => Some("payload.rootVersion".into()),
            BundleError::Rollback { .. } => Some("payload.version".into()),
            _ => None,
        }
    }
}

fn join_path(location: &str, path: &str) -> String {
    if path.is_empty() {
        location.to_owned()
    } else if path.starts_with('[') {
        format!("{location}{path}")
    } else {
        format!("{location}.{path}")
    }
}

impl BundleError {
    /// Maps a strict-gate refusal of the document at `location` (`envelope`, `payload`).
    pub(crate) fn from_strict(err: StrictJsonError, location: &'static str) -> BundleError {
        let text = err.to_string();
        match err {
            StrictJsonError::TooLarge { size, max } => BundleError::TooLarge {
                location,
                size,
                max,
            },
            StrictJsonError::TooDeep { path, max } => BundleError::TooDeep {
                location,
                path,
                max,
            },
            StrictJsonError::DuplicateKey { path } => BundleError::DuplicateKey { location, path },
            StrictJsonError::NumberOutOfRange { path } => {
                BundleError::NumberOutOfRange { location, path }
            }
            StrictJsonError::Syntax { path, .. } => BundleError::Malformed {
                path: Some(join_path(location, &path)),
                reason: format!("{location}: {text}"),
            },
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in digest {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

const HEX: &[u8; 16] = b"0123456789abcdef";
