//! The wire shapes of signed bundles: DSSE envelopes, trust root payloads, the verifier's
//! options and persisted state, and the header every bundle payload starts with.
//!
//! These are the only serde-derived types of `bundle`; all are read from JSON objects only
//! (`objects_only!`) through the strict JSON gate first. Checking signatures, roots and state
//! lives in `dsse`, `root` and `verify`, which re-export these types. Nothing here verifies.

use super::strict_json;
use crate::error::ApiError;
use crate::json::key_map::KeyMap;
use crate::json::tree::{self, Node, Path};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

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
    /// The trusted keys by key id (a JSON object on the wire; a `KeyMap`, sorted by key id:
    /// size, no `BTreeMap` in the wasm).
    pub keys: KeyMap<RootKey>,
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

// ---- the readers: the same shapes on `json::tree`, without serde ----
//
// Each `from_node` answers what the derive above answers for the same document that passed the
// strict gate: the value, or serde's message at the JSON path serde_path_to_error names (an
// `ApiError` whose `path` is `None` at the root; the verifier maps it to its `BundleError`).
// Differences, all in messages only: no ` at line L column C`, a float echoed as written
// (`1e2`, where serde prints `100.0`), and echoes over `limits::MAX_ECHO_CHARS` cut as every
// request error is. `tests/bundle_readers.rs` compares them with the derives on thousands of
// mutated envelopes, roots, headers, states and options.
// Options are the one document the strict gate did not judge before: they now pass the request
// gate first, so options that are not JSON are still `malformed-json`, with the gate's message
// and path, and a repeated key is still `duplicate-key` at the key's path, worded "duplicate key
// k" (serde: "duplicate field `k`") and refused for keys serde ignored too.
//
// The order members are judged in is the old route's: a bundle envelope and its payload header
// were read through a `serde_json::Value` (members in key order, `by_key`); roots, persisted
// state and options straight from their bytes (document order).

/// Visits the members of `node` in document order, or in key order when `by_key`.
fn members<'a>(
    node: &Node<'a>,
    path: &Path<'_>,
    fields: &[&str],
    by_key: bool,
    member: &mut dyn FnMut(usize, &Node<'a>, &Path<'_>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    if by_key {
        object_by_key(node, path, fields, false, member)
    } else {
        tree::object(node, path, fields, member)
    }
}

/// [`tree::object`], visiting the members in the byte order of their keys: the order of
/// serde_json's `Value` map, which the old route read the envelope and the header through.
/// With `others_allowed`, a key outside `fields` is skipped (a struct without
/// `deny_unknown_fields`); otherwise it is `unknown-field`, worded by [`tree::object`] itself.
fn object_by_key<'a>(
    node: &Node<'a>,
    path: &Path<'_>,
    fields: &[&str],
    others_allowed: bool,
    member: &mut dyn FnMut(usize, &Node<'a>, &Path<'_>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let Node::Object(entries) = node else {
        return Err(tree::invalid_type(node, "a JSON object", path));
    };
    let mut sorted: Vec<&(Cow<'a, str>, Node<'a>)> = entries.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
    for (key, value) in sorted {
        match fields.iter().position(|field| field == key) {
            Some(index) => member(index, value, &Path::Key(path, key))?,
            None if others_allowed => {}
            None => {
                // The one member alone: `tree::object` refuses it with serde's wording.
                let alone = Node::Object(vec![(key.clone(), Node::Null)]);
                return tree::object(&alone, path, fields, &mut |_, _, _| Ok(()));
            }
        }
    }
    Ok(())
}

/// The member `key` of the object `node` (`None` for a non-object or a missing key), as
/// serde_json's `Value::get`.
pub(crate) fn member<'n, 'a>(node: &'n Node<'a>, key: &str) -> Option<&'n Node<'a>> {
    match node {
        Node::Object(entries) => entries
            .iter()
            .find(|(known, _)| known == key)
            .map(|(_, value)| value),
        _ => None,
    }
}

/// A non-negative integer up to `max`, named `expected` in messages (`u64`, `usize`): serde's
/// "invalid type" for a non-integer, "invalid value: integer `n`, expected usize" for a
/// negative or larger one.
fn unsigned(node: &Node<'_>, path: &Path<'_>, expected: &str, max: u64) -> Result<u64, ApiError> {
    match node {
        Node::Number(text) if !text.contains(['.', 'e', 'E']) && *text != "-0" => {
            match text.parse::<u64>() {
                Ok(value) if value <= max => Ok(value),
                _ => Err(tree::error_at(
                    "invalid-request",
                    format!("invalid value: integer `{text}`, expected {expected}"),
                    path,
                )),
            }
        }
        other => Err(tree::invalid_type(other, expected, path)),
    }
}

/// A required string member.
fn put_string(slot: &mut Option<String>, node: &Node<'_>, at: &Path<'_>) -> Result<(), ApiError> {
    *slot = Some(tree::string(node, at)?);
    Ok(())
}

/// A required `u64` member.
fn put_u64(slot: &mut Option<u64>, node: &Node<'_>, at: &Path<'_>) -> Result<(), ApiError> {
    *slot = Some(tree::uint64(node, at)?);
    Ok(())
}

impl Envelope {
    /// Reads an envelope; `by_key` for a bundle envelope (see above), document order for a root
    /// envelope and the persisted root chain.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>, by_key: bool) -> Result<Envelope, ApiError> {
        const FIELDS: &[&str] = &["payloadType", "payload", "signatures"];
        let (mut payload_type, mut payload, mut signatures) = (None, None, None);
        members(
            node,
            path,
            FIELDS,
            by_key,
            &mut |field, value, at| match field {
                0 => put_string(&mut payload_type, value, at),
                1 => put_string(&mut payload, value, at),
                _ => {
                    let read = if by_key {
                        tree::array(value, at, |n, p| EnvelopeSignature::from_node(n, p, true))
                    } else {
                        tree::array(value, at, |n, p| EnvelopeSignature::from_node(n, p, false))
                    };
                    signatures = Some(read?);
                    Ok(())
                }
            },
        )?;
        Ok(Envelope {
            payload_type: tree::required(payload_type, FIELDS[0], path)?,
            payload: tree::required(payload, FIELDS[1], path)?,
            signatures: tree::required(signatures, FIELDS[2], path)?,
        })
    }
}

impl EnvelopeSignature {
    /// Reads one signature of an envelope (member order as [`Envelope::from_node`]).
    pub fn from_node(
        node: &Node<'_>,
        path: &Path<'_>,
        by_key: bool,
    ) -> Result<EnvelopeSignature, ApiError> {
        const FIELDS: &[&str] = &["keyid", "sig"];
        let (mut keyid, mut sig) = (None, None);
        members(
            node,
            path,
            FIELDS,
            by_key,
            &mut |field, value, at| match field {
                0 => put_string(&mut keyid, value, at),
                _ => put_string(&mut sig, value, at),
            },
        )?;
        Ok(EnvelopeSignature {
            keyid: tree::required(keyid, FIELDS[0], path)?,
            sig: tree::required(sig, FIELDS[1], path)?,
        })
    }
}

impl RootPayload {
    /// Reads a root payload (document order).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<RootPayload, ApiError> {
        const FIELDS: &[&str] = &["version", "expiresAt", "threshold", "keys"];
        let (mut version, mut expires_at, mut threshold, mut keys) = (None, None, None, None);
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            match field {
                0 => put_u64(&mut version, value, at)?,
                1 => put_string(&mut expires_at, value, at)?,
                2 => threshold = Some(tree::uint32(value, at)?),
                _ => keys = Some(tree::map(value, at, RootKey::from_node)?),
            }
            Ok(())
        })?;
        Ok(RootPayload {
            version: tree::required(version, FIELDS[0], path)?,
            expires_at: tree::required(expires_at, FIELDS[1], path)?,
            threshold: tree::required(threshold, FIELDS[2], path)?,
            keys: tree::required(keys, FIELDS[3], path)?,
        })
    }
}

impl RootKey {
    /// Reads one key of a root (document order).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<RootKey, ApiError> {
        let (alg, public) = tree::string_pair(node, path, ["alg", "public"])?;
        Ok(RootKey { alg, public })
    }
}

impl VerifyOptions {
    /// Reads verification options (document order); absent members take their defaults.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<VerifyOptions, ApiError> {
        const FIELDS: &[&str] = &[
            "channel",
            "maxBytes",
            "maxDepth",
            "previewAllowed",
            "minRootVersion",
        ];
        let usize_max = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
        let size = |value: &Node<'_>, at: &Path<'_>| {
            unsigned(value, at, "usize", usize_max)
                .map(|size| usize::try_from(size).unwrap_or(usize::MAX))
        };
        let mut options = VerifyOptions::default();
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            match field {
                0 => options.channel = tree::string(value, at)?,
                1 => options.max_bytes = size(value, at)?,
                2 => options.max_depth = size(value, at)?,
                3 => options.preview_allowed = tree::boolean(value, at)?,
                _ => options.min_root_version = tree::uint64(value, at)?,
            }
            Ok(())
        })?;
        Ok(options)
    }

    /// Reads verification options from JSON bytes (the request gate first, then
    /// [`Self::from_node`]), with the request codes.
    pub fn from_json(bytes: &[u8]) -> Result<VerifyOptions, ApiError> {
        VerifyOptions::from_node(&tree::parse(bytes)?, &Path::Root)
    }
}

impl BundleState {
    /// Reads a persisted state (document order); absent members take their defaults.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<BundleState, ApiError> {
        const FIELDS: &[&str] = &["latestKnownTime", "bundles", "root", "rootChain"];
        let mut state = BundleState::default();
        tree::object(node, path, FIELDS, &mut |field, value, at| {
            match field {
                0 => state.latest_known_time = tree::optional(value, at, tree::string)?,
                1 => state.bundles = tree::array(value, at, BundleRecord::from_node)?,
                2 => state.root = tree::optional(value, at, RootRecord::from_node)?,
                _ => {
                    state.root_chain =
                        tree::array(value, at, |n, p| Envelope::from_node(n, p, false))?;
                }
            }
            Ok(())
        })?;
        Ok(state)
    }
}

impl BundleRecord {
    /// Reads one record of a persisted state (document order).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<BundleRecord, ApiError> {
        const FIELDS: &[&str] = &[
            "bundleId",
            "channel",
            "version",
            "sha256",
            "issuedAt",
            "rootVersion",
        ];
        let (mut bundle_id, mut channel, mut version, mut sha256, mut issued_at) =
            (None, None, None, None, None);
        let mut root_version = first_root_version();
        tree::object(node, path, FIELDS, &mut |field, value, at| match field {
            0 => put_string(&mut bundle_id, value, at),
            1 => put_string(&mut channel, value, at),
            2 => put_u64(&mut version, value, at),
            3 => put_string(&mut sha256, value, at),
            4 => put_string(&mut issued_at, value, at),
            _ => {
                root_version = tree::uint64(value, at)?;
                Ok(())
            }
        })?;
        Ok(BundleRecord {
            bundle_id: tree::required(bundle_id, FIELDS[0], path)?,
            channel: tree::required(channel, FIELDS[1], path)?,
            version: tree::required(version, FIELDS[2], path)?,
            sha256: tree::required(sha256, FIELDS[3], path)?,
            issued_at: tree::required(issued_at, FIELDS[4], path)?,
            root_version,
        })
    }
}

impl RootRecord {
    /// Reads the root record of a persisted state (document order).
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<RootRecord, ApiError> {
        const FIELDS: &[&str] = &["version", "sha256"];
        let (mut version, mut sha256) = (None, None);
        tree::object(node, path, FIELDS, &mut |field, value, at| match field {
            0 => put_u64(&mut version, value, at),
            _ => put_string(&mut sha256, value, at),
        })?;
        Ok(RootRecord {
            version: tree::required(version, FIELDS[0], path)?,
            sha256: tree::required(sha256, FIELDS[1], path)?,
        })
    }
}

impl BundleHeader {
    /// Reads the header members of a payload in key order (see above); content members are
    /// skipped.
    pub fn from_node(node: &Node<'_>, path: &Path<'_>) -> Result<BundleHeader, ApiError> {
        const FIELDS: &[&str] = &[
            "schema",
            "bundleId",
            "channel",
            "version",
            "issuedAt",
            "expiresAt",
            "minEngineVersion",
            "rootVersion",
        ];
        let mut text: [Option<String>; 6] = Default::default();
        let (mut version, mut root_version) = (None, None);
        object_by_key(
            node,
            path,
            FIELDS,
            true,
            &mut |field, value, at| match field {
                3 => put_u64(&mut version, value, at),
                7 => put_u64(&mut root_version, value, at),
                _ => {
                    let slot = match field {
                        0..=2 => field,
                        _ => field - 1,
                    };
                    match text.get_mut(slot) {
                        Some(slot) => put_string(slot, value, at),
                        None => Ok(()),
                    }
                }
            },
        )?;
        let [schema, bundle_id, channel, issued_at, expires_at, min_engine_version] = text;
        Ok(BundleHeader {
            schema: tree::required(schema, FIELDS[0], path)?,
            bundle_id: tree::required(bundle_id, FIELDS[1], path)?,
            channel: tree::required(channel, FIELDS[2], path)?,
            version: tree::required(version, FIELDS[3], path)?,
            issued_at: tree::required(issued_at, FIELDS[4], path)?,
            expires_at: tree::required(expires_at, FIELDS[5], path)?,
            min_engine_version: tree::required(min_engine_version, FIELDS[6], path)?,
            root_version: tree::required(root_version, FIELDS[7], path)?,
        })
    }
}
