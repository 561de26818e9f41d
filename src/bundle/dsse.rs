//! DSSE envelopes with Ed25519: the wire form, the pre-authentication encoding, signing
//! and signature counting.
//!
//! Signatures always cover `PAE(payloadType, payload bytes)` (DSSE v1), never a
//! re-serialization, so what was signed is exactly what is parsed. Signing is pure (the
//! caller supplies the 32-byte secret; Ed25519 signing needs no randomness). This module
//! does not decide what a payload means or which keys are trusted: callers pass the keys.

pub use super::wire::{Envelope, EnvelopeSignature};
use super::{base64, BundleError};
use crate::json::key_map::KeyMap;
// The encoder only (signing); decoding is `super::base64`'s.
use ::base64::engine::general_purpose::STANDARD as BASE64;
use ::base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};

/// `payloadType` of a rule bundle.
pub const BUNDLE_PAYLOAD_TYPE: &str = "application/vnd.puhui.bundle+json";
/// `payloadType` of a trust root.
pub const ROOT_PAYLOAD_TYPE: &str = "application/vnd.puhui.root+json";
/// Most signatures an envelope may carry; each one costs a verification.
pub const MAX_SIGNATURES: usize = 32;

/// DSSE v1 pre-authentication encoding:
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths in ASCII decimal.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(payload.len() + payload_type.len() + 32);
    encoded.extend_from_slice(b"DSSEv1 ");
    encoded.extend_from_slice(payload_type.len().to_string().as_bytes());
    encoded.push(b' ');
    encoded.extend_from_slice(payload_type.as_bytes());
    encoded.push(b' ');
    encoded.extend_from_slice(payload.len().to_string().as_bytes());
    encoded.push(b' ');
    encoded.extend_from_slice(payload);
    encoded
}

/// A secret signing key with its key id. The secret is wiped when this is dropped.
pub struct KeyPair {
    /// The key id the signature will name.
    pub keyid: String,
    signing_key: SigningKey,
}

impl KeyPair {
    /// Builds a key pair from its 32-byte Ed25519 seed.
    pub fn from_seed(keyid: &str, seed: &[u8; 32]) -> KeyPair {
        KeyPair {
            keyid: keyid.to_owned(),
            signing_key: SigningKey::from_bytes(seed),
        }
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing_key.verifying_key().to_bytes()
    }

    /// The public key in standard base64, as a trust root lists it.
    pub fn public_base64(&self) -> String {
        BASE64.encode(self.public_key())
    }

    fn sign(&self, message: &[u8]) -> EnvelopeSignature {
        EnvelopeSignature {
            keyid: self.keyid.clone(),
            sig: BASE64.encode(self.signing_key.sign(message).to_bytes()),
        }
    }
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("KeyPair")
            .field("keyid", &self.keyid)
            .field("public", &self.public_base64())
            .finish()
    }
}

/// Signs `payload` (exact bytes) as `payload_type` with every key, in order.
pub fn sign_envelope(payload_type: &str, payload: &[u8], keys: &[&KeyPair]) -> Envelope {
    let message = pae(payload_type, payload);
    Envelope {
        payload_type: payload_type.to_owned(),
        payload: BASE64.encode(payload),
        signatures: keys.iter().map(|key| key.sign(&message)).collect(),
    }
}

/// Serializes an envelope the way the CLI writes it (pretty, trailing newline).
pub fn envelope_to_vec(envelope: &Envelope) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(envelope).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Decodes the payload bytes of an envelope.
pub fn decode_payload(envelope: &Envelope) -> Result<Vec<u8>, BundleError> {
    base64::decode(envelope.payload.as_bytes()).map_err(|err| BundleError::Malformed {
        path: Some("payload".into()),
        reason: format!("payload is not standard base64: {err}"),
    })
}

/// Decodes a standard-base64 public key into a strict Ed25519 verifying key.
pub fn decode_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes = base64::decode(text.as_bytes()).ok()?;
    let bytes: [u8; 32] = bytes.try_into().ok()?;
    let key = VerifyingKey::from_bytes(&bytes).ok()?;
    // Small-order keys verify forged signatures over many messages: never trust one.
    (!key.is_weak()).then_some(key)
}

/// How the signatures of one envelope fared against one key set. Each list is sorted and
/// holds a key id once (a set kept as a sorted `Vec`: size, no `BTreeSet<String>` in the wasm;
/// an envelope has at most `MAX_SIGNATURES` entries).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureTally {
    /// Trusted key ids with a valid signature (each counted once).
    pub valid: Vec<String>,
    /// Trusted key ids whose signature did not verify.
    pub invalid: Vec<String>,
    /// Key ids not in the key set (ignored).
    pub unknown: Vec<String>,
}

/// Adds `id` to the sorted list `ids` unless it is there.
fn add(ids: &mut Vec<String>, id: &str) {
    if let Err(at) = ids.binary_search_by(|known| known.as_str().cmp(id)) {
        ids.insert(at, id.to_owned());
    }
}

/// Whether the sorted list `ids` holds `id`.
fn holds(ids: &[String], id: &str) -> bool {
    ids.binary_search_by(|known| known.as_str().cmp(id)).is_ok()
}

impl SignatureTally {
    /// Whether the valid signatures reach `threshold`.
    pub fn meets(&self, threshold: u32) -> bool {
        usize::try_from(threshold).is_ok_and(|needed| self.valid.len() >= needed)
    }

    /// The error for a tally that does not meet `threshold`: a bad signature by a trusted
    /// key beats unknown keys, which beat a plain shortfall.
    pub fn shortfall(&self, threshold: u32) -> BundleError {
        if let Some(keyid) = self.invalid.first() {
            BundleError::BadSignature {
                keyid: keyid.clone(),
            }
        } else if self.valid.is_empty() && !self.unknown.is_empty() {
            BundleError::UnknownKey {
                keyids: self.unknown.clone(),
            }
        } else {
            BundleError::ThresholdNotMet {
                valid: self.valid.len(),
                threshold,
            }
        }
    }
}

/// Checks every signature of `envelope` over `payload` against `keys` (by key id).
///
/// A key id that appears more than once counts once: once one of its entries verifies the
/// rest are skipped. Key ids outside `keys` are ignored. Verification is
/// `verify_strict` (no small-order keys, canonical `S`).
pub fn tally(
    envelope: &Envelope,
    payload: &[u8],
    keys: &KeyMap<VerifyingKey>,
) -> Result<SignatureTally, BundleError> {
    if envelope.signatures.len() > MAX_SIGNATURES {
        return Err(BundleError::Malformed {
            path: Some("signatures".into()),
            reason: format!("more than {MAX_SIGNATURES} signatures"),
        });
    }
    let message = pae(&envelope.payload_type, payload);
    let mut result = SignatureTally::default();
    // Key ids with an entry that did not verify; those that also have a good entry are not
    // invalid (a junk entry listed before a good one must not hide it). Collected here and
    // filtered once at the end rather than removed from the set (size: no `BTreeSet::remove`).
    let mut bad: Vec<&String> = Vec::new();
    for entry in &envelope.signatures {
        let Some(key) = keys.get(&entry.keyid) else {
            add(&mut result.unknown, &entry.keyid);
            continue;
        };
        if holds(&result.valid, &entry.keyid) {
            continue;
        }
        let good = base64::decode(entry.sig.as_bytes())
            .ok()
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .map(|bytes| Signature::from_bytes(&bytes))
            .is_some_and(|signature| key.verify_strict(&message, &signature).is_ok());
        if good {
            add(&mut result.valid, &entry.keyid);
        } else {
            bad.push(&entry.keyid);
        }
    }
    for keyid in bad {
        if !holds(&result.valid, keyid) {
            add(&mut result.invalid, keyid);
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

    #[test]
    fn sign_then_tally() {
        let key = KeyPair::from_seed("a", &[7; 32]);
        let other = KeyPair::from_seed("b", &[8; 32]);
        let envelope = sign_envelope(BUNDLE_PAYLOAD_TYPE, b"{}", &[&key, &other, &key]);
        let keys = KeyMap::from_iter([(
            "a".to_owned(),
            VerifyingKey::from_bytes(&key.public_key()).unwrap(),
        )]);
        let result = tally(&envelope, b"{}", &keys).unwrap();
        assert_eq!(result.valid.len(), 1);
        assert_eq!(result.unknown.len(), 1);
        assert!(result.meets(1));
        assert!(!result.meets(2));
        let wrong = tally(&envelope, b"{ }", &keys).unwrap();
        assert!(wrong.valid.is_empty() && wrong.invalid == ["a"]);
        assert!(!format!("{key:?}").contains("secret"));
    }

    #[test]
    fn a_junk_entry_before_or_after_a_good_one_does_not_make_its_key_invalid() {
        let a = KeyPair::from_seed("a", &[7; 32]);
        let b = KeyPair::from_seed("b", &[8; 32]);
        let mut envelope = sign_envelope(BUNDLE_PAYLOAD_TYPE, b"{}", &[&a, &b]);
        let junk = |keyid: &str| EnvelopeSignature {
            keyid: keyid.to_owned(),
            sig: "AAAA".to_owned(),
        };
        let good_a = envelope.signatures[0].clone();
        envelope.signatures = vec![junk("a"), good_a, junk("a"), junk("b")];
        let keys = KeyMap::from_iter([
            (
                "a".to_owned(),
                VerifyingKey::from_bytes(&a.public_key()).unwrap(),
            ),
            (
                "b".to_owned(),
                VerifyingKey::from_bytes(&b.public_key()).unwrap(),
            ),
        ]);
        let result = tally(&envelope, b"{}", &keys).unwrap();
        assert_eq!(result.valid, vec!["a".to_owned()]);
        assert_eq!(result.invalid, vec!["b".to_owned()]);
        assert!(result.unknown.is_empty());
    }
}
