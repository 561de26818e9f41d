//! Trust roots: the keys and threshold a client trusts, and their chained rotation.
//!
//! A root is itself a DSSE envelope (`application/vnd.puhui.root+json`) whose payload is
//! `{version, expiresAt, threshold, keys: {keyid: {alg: "ed25519", public}}}`. The first root
//! is pinned by the host and must be signed by a threshold of its own keys; root N+1 is
//! accepted only when signed by a threshold of root N's keys and a threshold of its own
//! (TUF's rule), one version at a time. This module checks roots; it keeps no state and
//! never looks at a clock (expiry is judged by the verifier, on the root finally in use).

use super::dsse::{self, Envelope, KeyPair, ROOT_PAYLOAD_TYPE};
use super::strict_json::{self, Limits};
pub use super::wire::{RootKey, RootPayload};
use super::{hex_sha256, BundleError};
use crate::date::parse_rfc3339;
use crate::error::ApiError;
use crate::json::key_map::KeyMap;
use crate::json::tree::{self, Node, Path};
use ed25519_dalek::VerifyingKey;

/// Size cap of a root envelope; a root is a handful of keys.
pub const ROOT_MAX_BYTES: usize = 64 * 1024;
/// Most keys a root may list.
pub const MAX_ROOT_KEYS: usize = 32;
const ROOT_LIMITS: Limits = Limits {
    max_bytes: ROOT_MAX_BYTES,
    max_depth: 8,
};

/// A root whose signatures have been checked, ready to verify bundles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedRoot {
    payload: RootPayload,
    expires_at_unix: i64,
    keys: KeyMap<VerifyingKey>,
    sha256: String,
    envelope: Envelope,
}

impl TrustedRoot {
    /// Loads the host-pinned root: it must be well formed and signed by a threshold of its
    /// own keys. The pin itself (which bytes are trusted) is the host's decision.
    pub fn from_pinned(envelope_bytes: &[u8]) -> Result<TrustedRoot, BundleError> {
        let root = parse(envelope_bytes)?;
        root.check_self_signed()?;
        Ok(root)
    }

    /// The root version.
    pub fn version(&self) -> u64 {
        self.payload.version
    }

    /// The signature threshold.
    pub fn threshold(&self) -> u32 {
        self.payload.threshold
    }

    /// Expiry as Unix seconds.
    pub fn expires_at_unix(&self) -> i64 {
        self.expires_at_unix
    }

    /// The signed payload.
    pub fn payload(&self) -> &RootPayload {
        &self.payload
    }

    /// The trusted key ids.
    pub fn keyids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }

    /// The verifying keys by id.
    pub fn keys(&self) -> &KeyMap<VerifyingKey> {
        &self.keys
    }

    /// Lowercase hex SHA-256 of the root payload bytes.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The envelope this root was read from (to persist a rotated root).
    pub fn envelope(&self) -> &Envelope {
        &self.envelope
    }

    fn check_self_signed(&self) -> Result<(), BundleError> {
        let payload = dsse::decode_payload(&self.envelope)?;
        let tally = dsse::tally(&self.envelope, &payload, &self.keys)?;
        if tally.meets(self.payload.threshold) {
            Ok(())
        } else {
            Err(BundleError::RootNotSelfSigned {
                version: self.payload.version,
                reason: tally.shortfall(self.payload.threshold).to_string(),
            })
        }
    }
}

/// Accepts `next_envelope_bytes` as the successor of `current`.
///
/// Order of checks: well formed (`invalid-root`), exactly `current.version + 1`
/// (`root-rollback` / `root-version-skip`), a threshold of `current`'s keys signed it
/// (`root-chain-broken`), a threshold of its own keys signed it (`root-not-self-signed`).
/// Expiry is not checked here: as in TUF, an intermediate root may have expired by the
/// time a client walks past it; the verifier checks the expiry of the root it ends on.
pub fn rotate_root(
    current: &TrustedRoot,
    next_envelope_bytes: &[u8],
) -> Result<TrustedRoot, BundleError> {
    let next = parse(next_envelope_bytes)?;
    let expected = current.version().saturating_add(1);
    if next.version() < expected {
        return Err(BundleError::RootRollback {
            current: current.version(),
            next: next.version(),
        });
    }
    if next.version() > expected {
        return Err(BundleError::RootVersionSkip {
            current: current.version(),
            next: next.version(),
        });
    }
    let payload = dsse::decode_payload(&next.envelope)?;
    let by_current = dsse::tally(&next.envelope, &payload, &current.keys)?;
    if !by_current.meets(current.threshold()) {
        return Err(BundleError::RootChainBroken {
            version: next.version(),
            reason: by_current.shortfall(current.threshold()).to_string(),
        });
    }
    next.check_self_signed()?;
    Ok(next)
}

/// Builds and signs a root envelope (pure: the caller supplies the secrets). The payload
/// is validated first, so a root this returns parses; whether the signatures reach the
/// thresholds is checked by [`TrustedRoot::from_pinned`] / [`rotate_root`].
pub fn sign_root(payload: &RootPayload, signers: &[&KeyPair]) -> Result<Vec<u8>, BundleError> {
    validate(payload)?;
    let mut bytes = serde_json::to_vec_pretty(payload).map_err(|err| BundleError::InvalidRoot {
        path: None,
        reason: err.to_string(),
    })?;
    bytes.push(b'\n');
    let envelope = dsse::sign_envelope(ROOT_PAYLOAD_TYPE, &bytes, signers);
    Ok(dsse::envelope_to_vec(&envelope))
}

fn invalid(path: Option<String>, reason: impl Into<String>) -> BundleError {
    BundleError::InvalidRoot {
        path,
        reason: reason.into(),
    }
}

/// The strict gate with the root limits, then `read` on the tree; a refusal is `invalid-root`
/// naming `what` (`root envelope`, `root payload`).
fn read_document<T>(
    bytes: &[u8],
    what: &str,
    read: impl FnOnce(&Node<'_>) -> Result<T, ApiError>,
) -> Result<T, BundleError> {
    strict_json::check(bytes, ROOT_LIMITS)
        .map_err(|err| invalid(None, format!("{what}: {err}")))?;
    tree::parse(bytes)
        .and_then(|node| read(&node))
        .map_err(|err| invalid(err.path, format!("{what}: {}", err.message)))
}

/// Parses and validates a root envelope without judging its signatures.
fn parse(envelope_bytes: &[u8]) -> Result<TrustedRoot, BundleError> {
    let envelope = read_document(envelope_bytes, "root envelope", |node| {
        Envelope::from_node(node, &Path::Root, false)
    })?;
    if envelope.payload_type != ROOT_PAYLOAD_TYPE {
        return Err(BundleError::WrongPayloadType {
            expected: ROOT_PAYLOAD_TYPE,
            found: envelope.payload_type,
        });
    }
    let payload_bytes =
        dsse::decode_payload(&envelope).map_err(|e| invalid(None, e.to_string()))?;
    let payload = read_document(&payload_bytes, "root payload", |node| {
        RootPayload::from_node(node, &Path::Root)
    })?;
    let (expires_at_unix, keys) = validate(&payload)?;
    Ok(TrustedRoot {
        payload,
        expires_at_unix,
        keys,
        sha256: hex_sha256(&payload_bytes),
        envelope,
    })
}

/// Whether a key id is safe as an identifier and a file name.
pub fn valid_keyid(keyid: &str) -> bool {
    !keyid.is_empty()
        && keyid.len() <= 64
        && !keyid.starts_with('.')
        && keyid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

type ValidKeys = (i64, KeyMap<VerifyingKey>);

fn validate(payload: &RootPayload) -> Result<ValidKeys, BundleError> {
    if payload.version == 0 {
        return Err(invalid(Some("version".into()), "root versions start at 1"));
    }
    if payload.version > crate::limits::MAX_VERSION {
        return Err(BundleError::VersionOutOfRange {
            path: "version".into(),
            version: payload.version,
        });
    }
    let expires_at_unix = parse_rfc3339(&payload.expires_at).ok_or_else(|| {
        invalid(
            Some("expiresAt".into()),
            format!("{:?} is not an rfc 3339 timestamp", payload.expires_at),
        )
    })?;
    if payload.keys.is_empty() || payload.keys.len() > MAX_ROOT_KEYS {
        return Err(invalid(
            Some("keys".into()),
            format!("a root lists 1 to {MAX_ROOT_KEYS} keys"),
        ));
    }
    let enough_keys = usize::try_from(payload.threshold).is_ok_and(|t| t <= payload.keys.len());
    if payload.threshold == 0 || !enough_keys {
        return Err(invalid(
            Some("threshold".into()),
            format!(
                "threshold {} must be between 1 and the {} listed keys",
                payload.threshold,
                payload.keys.len()
            ),
        ));
    }
    let mut keys = KeyMap::new();
    // At most MAX_ROOT_KEYS (32) keys: a list scan, no `BTreeSet<[u8; 32]>` instantiation.
    let mut seen_public: Vec<[u8; 32]> = Vec::with_capacity(payload.keys.len());
    for (keyid, key) in &payload.keys {
        let path = Some(format!("keys.{keyid}"));
        if !valid_keyid(keyid) {
            return Err(invalid(path, "key ids use 1-64 of [A-Za-z0-9._-]"));
        }
        if key.alg != "ed25519" {
            return Err(invalid(path, format!("unsupported alg {:?}", key.alg)));
        }
        let verifying = dsse::decode_public_key(&key.public)
            .ok_or_else(|| invalid(path.clone(), "public is not a usable ed25519 key"))?;
        // Two ids for one key would let a single holder meet a threshold of two.
        let public = verifying.to_bytes();
        if seen_public.contains(&public) {
            return Err(invalid(path, "the same public key is listed twice"));
        }
        seen_public.push(public);
        keys.insert(keyid.clone(), verifying);
    }
    Ok((expires_at_unix, keys))
}
