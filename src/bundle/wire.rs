//! The wire shapes of signed bundles: DSSE envelopes, trust root payloads, the verifier's
//! options and persisted state, and the header every bundle payload starts with.
//!
//! These are the only serde-derived types of `bundle`; all are read from JSON objects only
//! (`objects_only!`) through the strict JSON gate first. Checking signatures, roots and state
//! lives in `dsse`, `root` and `verify`, which re-export these types. Nothing here verifies.

use super::strict_json;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The default client channel.
pub const DEFAULT_CHANNEL: &str = "production";

// ---- DSSE envelopes (`dsse`) ----

/// A DSSE envelope as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Envelope {
    /// What the payload is; bound into every signature.
    pub payload_type: String,
    /// The payload bytes, standard base64 with padding.
    pub payload: String,
    /// One entry per signing key.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct EnvelopeSignature {
    /// The signing key's id in the trust root.
    pub keyid: String,
    /// The 64-byte Ed25519 signature, standard base64.
    pub sig: String,
}

crate::json_object::objects_only!(Envelope, EnvelopeSignature);

crate::json_object::serialize_derived!(Envelope, EnvelopeSignature);

// ---- trust roots (`root`) ----

/// The signed content of a trust root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct RootPayload {
    /// Root version, 1 for the first root, +1 per rotation.
    pub version: u64,
    /// RFC 3339 instant after which this root is no longer trusted.
    pub expires_at: String,
    /// Distinct keys that must sign a bundle (and the next root).
    pub threshold: u32,
    /// The trusted keys by key id.
    pub keys: BTreeMap<String, RootKey>,
}

/// One key of a trust root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct RootKey {
    /// Always `ed25519`.
    pub alg: String,
    /// The 32-byte public key in standard base64.
    pub public: String,
}

crate::json_object::objects_only!(RootPayload, RootKey);

crate::json_object::serialize_derived!(RootPayload, RootKey);

// ---- verification options, persisted state, the payload header (`verify`) ----

/// How a client verifies: its channel, limits, and the explicit preview opt-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyOptions {
    /// The client's channel; the signed payload must name the same one.
    #[serde(default = "default_channel")]
    pub channel: String,
    /// Size cap of the envelope, checked before parsing.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: usize,
    /// Nesting limit of the envelope and the payload.
    #[serde(default = "default_max_depth")]
    pub max_depth: usize,
    /// Accept unsigned drafts, marked `preview: true`. Never set this in production.
    #[serde(default)]
    pub preview_allowed: bool,
    /// Lowest trust root version this engine release accepts.
    #[serde(default)]
    pub min_root_version: u64,
}

fn default_channel() -> String {
    DEFAULT_CHANNEL.to_owned()
}

fn default_max_bytes() -> usize {
    strict_json::DEFAULT_MAX_BYTES
}

fn default_max_depth() -> usize {
    strict_json::DEFAULT_MAX_DEPTH
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            channel: default_channel(),
            max_bytes: default_max_bytes(),
            max_depth: default_max_depth(),
            preview_allowed: false,
            min_root_version: 0,
        }
    }
}

/// What the host persists between verifications.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleState {
    /// The latest `issuedAt` ever accepted (RFC 3339): a clock wound back before it cannot
    /// revive an expired bundle.
    #[serde(default)]
    pub latest_known_time: Option<String>,
    /// Highest accepted version per bundle id + channel.
    #[serde(default)]
    pub bundles: Vec<BundleRecord>,
    /// The root in use after the last verification or rotation.
    #[serde(default)]
    pub root: Option<RootRecord>,
    /// Roots accepted after the pinned one, oldest first; re-walked from the pin on every
    /// verification, so tampered storage cannot smuggle in a root.
    #[serde(default)]
    pub root_chain: Vec<Envelope>,
}

/// The highest accepted version of one bundle id on one channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleRecord {
    /// Bundle id.
    pub bundle_id: String,
    /// Channel.
    pub channel: String,
    /// Highest accepted version.
    pub version: u64,
    /// Hex SHA-256 of that version's payload bytes.
    pub sha256: String,
    /// Its `issuedAt`.
    pub issued_at: String,
    /// Its `rootVersion` (1 in states written before this field existed): rollback is
    /// judged on (rootVersion, version).
    #[serde(default = "first_root_version")]
    pub root_version: u64,
}

fn first_root_version() -> u64 {
    1
}

/// The root version in use, as persisted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct RootRecord {
    /// Root version.
    pub version: u64,
    /// Hex SHA-256 of its payload bytes.
    pub sha256: String,
}

/// The header every bundle payload starts with; the rest of the payload is content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase")]
pub struct BundleHeader {
    /// Always [`BUNDLE_SCHEMA`](super::BUNDLE_SCHEMA).
    pub schema: String,
    /// Stable id of the bundle line (one lender's rule set).
    pub bundle_id: String,
    /// Channel it is published on (`production`, `preview`, …).
    pub channel: String,
    /// Monotonic version within bundle id + channel.
    pub version: u64,
    /// RFC 3339 issue instant.
    pub issued_at: String,
    /// RFC 3339 expiry instant.
    pub expires_at: String,
    /// Lowest engine version (`MAJOR.MINOR.PATCH`) that may use it.
    pub min_engine_version: String,
    /// Root version its signers belong to.
    pub root_version: u64,
}

crate::json_object::objects_only!(
    VerifyOptions,
    BundleState,
    BundleRecord,
    RootRecord,
    BundleHeader
);

crate::json_object::serialize_derived!(
    VerifyOptions,
    BundleState,
    BundleRecord,
    RootRecord,
    BundleHeader
);
