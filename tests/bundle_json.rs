#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The bundle front doors' JSON text, written by hand (`verify_text`, `rotate_root_text`,
//! `VerifiedBundle::summary_text`, `root_summary_text`, `BundleState::to_json`), against the
//! `serde_json` values the old code built (`json!` summaries, `to_value` of the state, the
//! payload as a `Value`), byte for byte, on generated payloads (escapes, control characters,
//! non-ASCII, nesting, integers at their edges, keys in any order), states and rotations.

mod common;

use common::{key, root};
use puhui::bundle::{
    root_summary_text, rotate_root_text, sign_bundle, sign_root, verify_bytes, verify_json,
    verify_text, BundleState, KeyPair, RootKey, RootPayload, TrustedRoot, VerifiedBundle,
};
use serde_json::{json, Map, Value};

const NOW: &str = "2026-06-01T00:00:00Z";

/// The summary as the old code built it.
fn old_summary(verified: &VerifiedBundle) -> Value {
    let header = verified.header();
    json!({
        "bundleId": header.bundle_id,
        "channel": header.channel,
        "version": header.version,
        "issuedAt": header.issued_at,
        "expiresAt": header.expires_at,
        "minEngineVersion": header.min_engine_version,
        "rootVersion": verified.root_version(),
        "signedBy": verified.signed_by(),
        "sha256": verified.sha256(),
        "preview": verified.is_preview(),
    })
}

/// The root summary as the old code built it.
fn old_root_summary(root: &TrustedRoot) -> Value {
    json!({
        "version": root.version(),
        "expiresAt": root.payload().expires_at,
        "threshold": root.threshold(),
        "keyids": root.keyids().collect::<Vec<_>>(),
        "sha256": root.sha256(),
    })
}

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    fn text(&mut self) -> String {
        const PARTS: &[&str] = &[
            "a", "Z", "0", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1f}", "\u{7f}", "é", "中",
            "😀", " ", "\u{2028}", "-", "_", "\r",
        ];
        let len = self.below(6);
        (0..len).map(|_| PARTS[self.below(PARTS.len())]).collect()
    }

    /// Content: any JSON but floats (a float token is written as given, see `bundle::json`).
    fn content(&mut self, depth: usize) -> Value {
        let pick = if depth == 0 {
            self.below(5)
        } else {
            self.below(7)
        };
        match pick {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => match self.below(4) {
                0 => json!(u64::MAX),
                1 => json!(i64::MIN),
                2 => json!(0),
                _ => json!(self.next() % 100_000),
            },
            3 | 4 => json!(self.text()),
            5 => Value::Array(
                (0..self.below(4))
                    .map(|_| self.content(depth - 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..self.below(5) {
                    map.insert(self.text(), self.content(depth - 1));
                }
                Value::Object(map)
            }
        }
    }

    /// A valid payload with generated content, its members written in a shuffled order.
    fn payload(&mut self, version: u64) -> Vec<u8> {
        let mut members: Vec<(String, Value)> = vec![
            ("schema".into(), json!("puhui.bundle/v1")),
            ("bundleId".into(), json!(format!("b-{}", self.below(3)))),
            ("channel".into(), json!("production")),
            ("version".into(), json!(version)),
            ("issuedAt".into(), json!("2026-05-01T00:00:00Z")),
            ("expiresAt".into(), json!("2027-05-01T00:00:00Z")),
            ("minEngineVersion".into(), json!("0.1.0")),
            ("rootVersion".into(), json!(1)),
        ];
        for _ in 0..self.below(6) {
            let key = format!("x{}", self.text());
            if members.iter().all(|(known, _)| *known != key) {
                let value = self.content(3);
                members.push((key, value));
            }
        }
        for index in (1..members.len()).rev() {
            members.swap(index, self.below(index + 1));
        }
        let body: Vec<String> = members
            .iter()
            .map(|(key, value)| format!("{}: {}", json!(key), value))
            .collect();
        format!("{{\n  {}\n}}\n", body.join(",\n  ")).into_bytes()
    }
}

#[test]
fn verify_text_is_the_old_values_text() {
    let signer = key("k", 7);
    let root_bytes = root(1, &[&signer], &[&signer]);
    let pinned = TrustedRoot::from_pinned(&root_bytes).unwrap();
    let mut gen = Gen(0x2545_f491_4f6c_dd1d);
    let mut state: Option<String> = None;
    for round in 0..150u64 {
        let payload = gen.payload(round + 1);
        let preview = round % 5 == 0;
        let (envelope, options) = if preview {
            (payload.clone(), Some(&br#"{"previewAllowed": true}"#[..]))
        } else {
            (sign_bundle(&payload, &[&signer]).unwrap(), None)
        };
        let state_bytes = state.as_deref().map(str::as_bytes);
        let text = verify_text(&envelope, &root_bytes, state_bytes, NOW, options).unwrap();
        let (verified, new_state) =
            verify_bytes(&envelope, &root_bytes, state_bytes, NOW, options).unwrap();
        let old = json!({
            "bundle": serde_json::from_slice::<Value>(&payload).unwrap(),
            "state": serde_json::to_value(&new_state).unwrap(),
            "summary": old_summary(&verified),
        });
        assert_eq!(
            text,
            old.to_string(),
            "{}",
            String::from_utf8_lossy(&payload)
        );
        assert_eq!(verified.summary_text(), old_summary(&verified).to_string());
        assert_eq!(verified.summary(), old_summary(&verified));
        assert_eq!(
            verify_json(&envelope, &root_bytes, state_bytes, NOW, options).unwrap(),
            old
        );
        assert_eq!(
            new_state.to_json(),
            serde_json::to_string(&new_state).unwrap()
        );
        state = Some(new_state.to_json());
    }
    assert_eq!(
        root_summary_text(&pinned),
        old_root_summary(&pinned).to_string()
    );
}

#[test]
fn rotate_root_text_is_the_old_values_text() {
    let keys: Vec<KeyPair> = (0..6u8).map(|n| key(&format!("k{n}"), n + 1)).collect();
    let first = root(1, &[&keys[0]], &[&keys[0]]);
    let mut current = TrustedRoot::from_pinned(&first).unwrap();
    let mut state = BundleState::default();
    for version in 2..6u64 {
        let index = usize::try_from(version).unwrap();
        let next_keys = [&keys[index - 2], &keys[index - 1]];
        let signers = [&keys[index - 2], &keys[index - 1]];
        let next_payload = RootPayload {
            version,
            expires_at: "2031-01-01T00:00:00Z".into(),
            threshold: 1,
            keys: next_keys
                .iter()
                .map(|k| {
                    let key = RootKey {
                        alg: "ed25519".into(),
                        public: k.public_base64(),
                    };
                    (k.keyid.clone(), key)
                })
                .collect(),
        };
        let next = sign_root(&next_payload, &signers).unwrap();
        let state_text = state.to_json();
        let text = rotate_root_text(&first, Some(state_text.as_bytes()), &next).unwrap();
        let (root, new_state) =
            puhui::bundle::rotate_state(&TrustedRoot::from_pinned(&first).unwrap(), &state, &next)
                .unwrap();
        let old = json!({
            "state": serde_json::to_value(&new_state).unwrap(),
            "root": old_root_summary(&root),
        });
        assert_eq!(text, old.to_string());
        // The same root again changes nothing, through the same writers.
        let again = rotate_root_text(&first, Some(new_state.to_json().as_bytes()), &next).unwrap();
        assert!(
            again.contains(&format!("\"version\":{version}}}")),
            "{again}"
        );
        assert_eq!(
            root_summary_text(&root),
            old_root_summary(&root).to_string()
        );
        current = root;
        state = new_state;
    }
    assert_eq!(current.version(), 5);
}
