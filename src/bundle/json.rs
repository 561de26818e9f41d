//! The bundle layer's JSON text, written by hand: the verifier's answers (`verify_text`,
//! `rotate_root_text`, the summaries), persisted state and envelopes.
//!
//! Each writer gives byte for byte the text serde_json gave for the same value, in one of the
//! two member orders the old code produced: declaration order (`serde_json::to_string` of the
//! derived `Serialize`: the state a wasm `Engine` hands out, an envelope re-read from the state's
//! root chain) or key order (a `serde_json::Value`, whose map sorts its keys: everything the JSON
//! front doors built with `json!`/`to_value`). `tests/bundle_json.rs` compares them with
//! serde_json on generated values. The verified payload is written from its tree with its members
//! in key order and its strings escaped as serde_json escapes them; a number is written as its
//! token (serde_json wrote the f64 or integer it read, so only a float token can differ in text,
//! never as a JSON value a JS host parses, and the native `verify_json` still parses this text
//! with serde_json).
//! Signing (`sign_bundle`, `sign_root`, `envelope_to_vec`) is native-only and keeps
//! `serde_json::to_vec_pretty`: signed bytes never change. This module must not read JSON.

use super::root::TrustedRoot;
use super::wire::{BundleRecord, BundleState, Envelope, RootRecord};
use crate::json::tree::Node;
use crate::json::write::{push_bool, push_field, push_string, push_strings, push_u64};
use std::borrow::Cow;

/// An envelope; `sorted`: members in key order (`payload`, `payloadType`, `signatures`).
pub(crate) fn push_envelope(out: &mut Vec<u8>, envelope: &Envelope, sorted: bool) {
    if sorted {
        push_field(out, b"{\"payload\":", &envelope.payload);
        push_field(out, b",\"payloadType\":", &envelope.payload_type);
    } else {
        push_field(out, b"{\"payloadType\":", &envelope.payload_type);
        push_field(out, b",\"payload\":", &envelope.payload);
    }
    out.extend_from_slice(b",\"signatures\":[");
    for (index, signature) in envelope.signatures.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        // `keyid` sorts before `sig`: one order for both.
        push_field(out, b"{\"keyid\":", &signature.keyid);
        push_field(out, b",\"sig\":", &signature.sig);
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// An envelope as `serde_json::to_vec` wrote it (compact, declaration order).
pub(crate) fn envelope_bytes(envelope: &Envelope) -> Vec<u8> {
    let mut out = Vec::with_capacity(envelope.payload.len() + 256);
    push_envelope(&mut out, envelope, false);
    out
}

fn push_record(out: &mut Vec<u8>, record: &BundleRecord, sorted: bool) {
    push_field(out, b"{\"bundleId\":", &record.bundle_id);
    push_field(out, b",\"channel\":", &record.channel);
    if sorted {
        push_field(out, b",\"issuedAt\":", &record.issued_at);
        push_u64(out, b",\"rootVersion\":", record.root_version);
        push_field(out, b",\"sha256\":", &record.sha256);
        push_u64(out, b",\"version\":", record.version);
    } else {
        push_u64(out, b",\"version\":", record.version);
        push_field(out, b",\"sha256\":", &record.sha256);
        push_field(out, b",\"issuedAt\":", &record.issued_at);
        push_u64(out, b",\"rootVersion\":", record.root_version);
    }
    out.push(b'}');
}

fn push_root_record(out: &mut Vec<u8>, key: &[u8], record: Option<&RootRecord>, sorted: bool) {
    out.extend_from_slice(key);
    let Some(record) = record else {
        out.extend_from_slice(b"null");
        return;
    };
    if sorted {
        push_field(out, b"{\"sha256\":", &record.sha256);
        push_u64(out, b",\"version\":", record.version);
    } else {
        push_u64(out, b"{\"version\":", record.version);
        push_field(out, b",\"sha256\":", &record.sha256);
    }
    out.push(b'}');
}

fn push_optional_string(out: &mut Vec<u8>, key: &[u8], text: Option<&str>) {
    match text {
        Some(text) => push_field(out, key, text),
        None => {
            out.extend_from_slice(key);
            out.extend_from_slice(b"null");
        }
    }
}

fn push_records(out: &mut Vec<u8>, key: &[u8], records: &[BundleRecord], sorted: bool) {
    out.extend_from_slice(key);
    out.push(b'[');
    for (index, record) in records.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        push_record(out, record, sorted);
    }
    out.push(b']');
}

fn push_chain(out: &mut Vec<u8>, key: &[u8], chain: &[Envelope], sorted: bool) {
    out.extend_from_slice(key);
    out.push(b'[');
    for (index, envelope) in chain.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        push_envelope(out, envelope, sorted);
    }
    out.push(b']');
}

/// A persisted state; `sorted`: as its `serde_json::Value` (key order at every level),
/// otherwise as `serde_json::to_string` of the state (declaration order).
pub(crate) fn push_state(out: &mut Vec<u8>, state: &BundleState, sorted: bool) {
    let latest = state.latest_known_time.as_deref();
    if sorted {
        push_records(out, b"{\"bundles\":", &state.bundles, true);
        push_optional_string(out, b",\"latestKnownTime\":", latest);
        push_root_record(out, b",\"root\":", state.root.as_ref(), true);
        push_chain(out, b",\"rootChain\":", &state.root_chain, true);
    } else {
        push_optional_string(out, b"{\"latestKnownTime\":", latest);
        push_records(out, b",\"bundles\":", &state.bundles, false);
        push_root_record(out, b",\"root\":", state.root.as_ref(), false);
        push_chain(out, b",\"rootChain\":", &state.root_chain, false);
    }
    out.push(b'}');
}

impl BundleState {
    /// The state as `serde_json::to_string` wrote it (declaration order), the text a host
    /// persists (the wasm `Engine.state`).
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(256);
        push_state(&mut out, self, false);
        crate::json::write::into_text(out)
    }
}

/// The public facts of a root, in key order (`expiresAt`, `keyids`, `sha256`, `threshold`,
/// `version`).
pub(crate) fn push_root_summary(out: &mut Vec<u8>, root: &TrustedRoot) {
    push_field(out, b"{\"expiresAt\":", &root.payload().expires_at);
    out.extend_from_slice(b",\"keyids\":");
    push_strings(out, root.keyids());
    push_field(out, b",\"sha256\":", root.sha256());
    push_u64(out, b",\"threshold\":", u64::from(root.threshold()));
    push_u64(out, b",\"version\":", root.version());
    out.push(b'}');
}

/// The verification summary, in key order.
pub(crate) fn push_summary(out: &mut Vec<u8>, summary: &Summary<'_>) {
    let header = summary.header;
    push_field(out, b"{\"bundleId\":", &header.bundle_id);
    push_field(out, b",\"channel\":", &header.channel);
    push_field(out, b",\"expiresAt\":", &header.expires_at);
    push_field(out, b",\"issuedAt\":", &header.issued_at);
    push_field(out, b",\"minEngineVersion\":", &header.min_engine_version);
    push_bool(out, b",\"preview\":", summary.preview);
    match summary.root_version {
        Some(version) => push_u64(out, b",\"rootVersion\":", version),
        None => out.extend_from_slice(b",\"rootVersion\":null"),
    }
    push_field(out, b",\"sha256\":", summary.sha256);
    out.extend_from_slice(b",\"signedBy\":");
    push_strings(out, summary.signed_by.iter().map(String::as_str));
    push_u64(out, b",\"version\":", header.version);
    out.push(b'}');
}

/// What a summary is written from (the fields of a `VerifiedBundle`).
pub(crate) struct Summary<'a> {
    pub(crate) header: &'a super::wire::BundleHeader,
    pub(crate) preview: bool,
    pub(crate) root_version: Option<u64>,
    pub(crate) sha256: &'a str,
    pub(crate) signed_by: &'a [String],
}

/// A gated document's tree with every object's members in key order (serde_json's `Value`),
/// strings escaped as serde_json escapes them and numbers as their tokens.
pub(crate) fn push_sorted(out: &mut Vec<u8>, node: &Node<'_>) {
    match node {
        Node::Null => out.extend_from_slice(b"null"),
        Node::Bool(value) => out.extend_from_slice(if *value { b"true" } else { b"false" }),
        Node::Number(text) => out.extend_from_slice(text.as_bytes()),
        Node::String(text) => push_string(out, text),
        Node::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                push_sorted(out, item);
            }
            out.push(b']');
        }
        Node::Object(members) => {
            let mut sorted: Vec<&(Cow<'_, str>, Node<'_>)> = members.iter().collect();
            crate::sort::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            out.push(b'{');
            for (index, (key, value)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                push_string(out, key);
                out.push(b':');
                push_sorted(out, value);
            }
            out.push(b'}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::EnvelopeSignature;

    /// A small deterministic generator (xorshift64).
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> usize {
            usize::try_from(self.next() % n).unwrap()
        }

        /// Text with the characters serde_json escapes or keeps: quotes, backslashes, control
        /// characters, DEL, non-ASCII, astral.
        fn text(&mut self) -> String {
            const PARTS: &[&str] = &[
                "a", "Z", "0", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1f}", "\u{7f}", "é", "中",
                "😀", " ", "\u{2028}", "-", "\r", "\u{8}", "\u{c}",
            ];
            let len = self.below(8);
            (0..len)
                .map(|_| PARTS[self.below(PARTS.len() as u64)])
                .collect()
        }

        fn version(&mut self) -> u64 {
            match self.below(4) {
                0 => 0,
                1 => u64::MAX,
                2 => self.next() % 1000,
                _ => self.next(),
            }
        }

        fn envelope(&mut self) -> Envelope {
            Envelope {
                payload_type: self.text(),
                payload: self.text(),
                signatures: (0..self.below(3))
                    .map(|_| EnvelopeSignature {
                        keyid: self.text(),
                        sig: self.text(),
                    })
                    .collect(),
            }
        }

        fn state(&mut self) -> BundleState {
            BundleState {
                latest_known_time: (self.below(2) == 0).then(|| self.text()),
                bundles: (0..self.below(4))
                    .map(|_| BundleRecord {
                        bundle_id: self.text(),
                        channel: self.text(),
                        version: self.version(),
                        sha256: self.text(),
                        issued_at: self.text(),
                        root_version: self.version(),
                    })
                    .collect(),
                root: (self.below(2) == 0).then(|| RootRecord {
                    version: self.version(),
                    sha256: self.text(),
                }),
                root_chain: (0..self.below(3)).map(|_| self.envelope()).collect(),
            }
        }
    }

    #[test]
    fn states_and_envelopes_are_serde_jsons_text() {
        let mut gen = Gen(0x9e37_79b9_7f4a_7c15);
        for _ in 0..3000 {
            let state = gen.state();
            assert_eq!(state.to_json(), serde_json::to_string(&state).unwrap());
            let mut sorted = Vec::new();
            push_state(&mut sorted, &state, true);
            let value = serde_json::to_value(&state).unwrap();
            assert_eq!(String::from_utf8(sorted).unwrap(), value.to_string());
            let envelope = gen.envelope();
            assert_eq!(
                envelope_bytes(&envelope),
                serde_json::to_vec(&envelope).unwrap()
            );
        }
        assert_eq!(
            BundleState::default().to_json(),
            r#"{"latestKnownTime":null,"bundles":[],"root":null,"rootChain":[]}"#
        );
    }

    #[test]
    fn a_tree_is_written_as_its_value() {
        let text = br#"{"z": [1, -2, {"b": "\u00e9\/\"", "a": null, "A": true}], "": false,
            "\u0000k": "x\u001fy", "m": 18446744073709551615, "n": -9223372036854775808}"#;
        let node = crate::json::tree::parse(text).unwrap();
        let mut out = Vec::new();
        push_sorted(&mut out, &node);
        let value: serde_json::Value = serde_json::from_slice(text).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), value.to_string());
    }
}
