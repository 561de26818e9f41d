//! The attack table of `shared/spec/bundles.md`, one test per row, plus root rotation, the
//! JSON front door and the committed exemplar.
//!
//! Every attack goes through `Fixture::refuse`, which asserts the exact code, that the
//! caller's state is unchanged, and that the last good bundle still verifies against that
//! state (the client keeps using it). Keys come from fixed seeds, so runs are reproducible.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use proptest::prelude::*;
use puhui::bundle::{
    rotate_state, sign_bundle, sign_envelope, sign_root, verify, verify_json, BundleState, KeyPair,
    RootKey, RootPayload, TrustedRoot, VerifyOptions, BUNDLE_PAYLOAD_TYPE, ROOT_PAYLOAD_TYPE,
};
use puhui::date::parse_rfc3339;
use puhui::ErrorCode;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn key(keyid: &str, seed: u8) -> KeyPair {
    KeyPair::from_seed(keyid, &[seed; 32])
}

fn t(text: &str) -> i64 {
    parse_rfc3339(text).expect("test timestamp")
}

/// Trusted: a, b, c (2 of 3). Rotation adds d, e. Never trusted: x, y.
struct Keys {
    a: KeyPair,
    b: KeyPair,
    c: KeyPair,
    d: KeyPair,
    e: KeyPair,
    x: KeyPair,
    y: KeyPair,
}

fn keys() -> Keys {
    Keys {
        a: key("a", 1),
        b: key("b", 2),
        c: key("c", 3),
        d: key("d", 4),
        e: key("e", 5),
        x: key("x", 90),
        y: key("y", 91),
    }
}

fn root_payload(version: u64, threshold: u32, members: &[&KeyPair], expires: &str) -> RootPayload {
    RootPayload {
        version,
        expires_at: expires.into(),
        threshold,
        keys: members
            .iter()
            .map(|k| {
                let key = RootKey {
                    alg: "ed25519".into(),
                    public: k.public_base64(),
                };
                (k.keyid.clone(), key)
            })
            .collect(),
    }
}

fn root(version: u64, threshold: u32, members: &[&KeyPair], signers: &[&KeyPair]) -> Vec<u8> {
    sign_root(
        &root_payload(version, threshold, members, "2030-01-01T00:00:00Z"),
        signers,
    )
    .expect("root")
}

/// A header + content payload; `edit` tweaks the JSON before it is serialized.
fn payload_with(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value = json!({
        "schema": "puhui.bundle/v1",
        "bundleId": "acme-consumer",
        "channel": "production",
        "version": 2,
        "issuedAt": "2026-05-01T00:00:00Z",
        "expiresAt": "2027-05-01T00:00:00Z",
        "minEngineVersion": "0.1.0",
        "rootVersion": 1,
        "products": [{"id": "cash-12", "annualRate": "0.0720"}],
        "caps": [],
        "subsidyPrograms": [],
        "texts": {}
    });
    edit(&mut value);
    serde_json::to_vec_pretty(&value).expect("payload")
}

fn signed(payload: &[u8], signers: &[&KeyPair]) -> Vec<u8> {
    serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, payload, signers)).expect("envelope")
}

fn envelope_json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("envelope json")
}

const NOW: &str = "2026-06-01T00:00:00Z";

/// A client that has accepted bundle `acme-consumer` v2 under root v1.
struct Fixture {
    keys: Keys,
    pinned: TrustedRoot,
    good: Vec<u8>,
    state: BundleState,
    options: VerifyOptions,
}

impl Fixture {
    fn new() -> Fixture {
        let keys = keys();
        let pinned_bytes = root(1, 2, &[&keys.a, &keys.b, &keys.c], &[&keys.a, &keys.b]);
        let pinned = TrustedRoot::from_pinned(&pinned_bytes).expect("pinned root");
        let good = signed(&payload_with(|_| {}), &[&keys.a, &keys.b]);
        let options = VerifyOptions::default();
        let (bundle, state) =
            verify(&good, &pinned, &BundleState::default(), t(NOW), &options).expect("good");
        assert_eq!(bundle.header().version, 2);
        assert!(!bundle.is_preview());
        Fixture {
            keys,
            pinned,
            good,
            state,
            options,
        }
    }

    fn accept(&self, envelope: &[u8], state: &BundleState, now: &str) -> BundleState {
        match verify(envelope, &self.pinned, state, t(now), &self.options) {
            Ok((_, next)) => next,
            Err(err) => panic!("expected acceptance, got {}: {err}", err.code()),
        }
    }

    /// Feeds an attack with the fixture's state, options and time.
    fn refuse(&self, attack: &[u8], code: &str) {
        self.refuse_with(attack, &self.options, NOW, code);
    }

    fn refuse_with(&self, attack: &[u8], options: &VerifyOptions, now: &str, code: &str) {
        refuse_against(
            &self.pinned,
            &self.state,
            &self.good,
            attack,
            options,
            now,
            code,
        );
    }
}

/// Asserts the exact code, that `state` is unchanged, and that `good` still verifies with
/// it (same state back: the previous good bundle stays in use).
fn refuse_against(
    pinned: &TrustedRoot,
    state: &BundleState,
    good: &[u8],
    attack: &[u8],
    options: &VerifyOptions,
    now: &str,
    code: &str,
) {
    let before = state.clone();
    match verify(attack, pinned, state, t(now), options) {
        Ok((bundle, _)) => panic!("attack accepted as {:?}", bundle.summary()),
        Err(err) => assert_eq!(err.code(), code, "{err}"),
    }
    assert_eq!(state, &before, "state changed by a refused bundle");
    let (bundle, after) = verify(good, pinned, state, t(now), &VerifyOptions::default())
        .expect("the previous good bundle still verifies");
    assert!(!bundle.is_preview());
    assert_eq!(
        &after, state,
        "re-verifying the good bundle changes nothing"
    );
}

#[test]
fn good_bundle_sets_state() {
    let f = Fixture::new();
    let record = &f.state.bundles[0];
    assert_eq!(
        (
            record.bundle_id.as_str(),
            record.channel.as_str(),
            record.version
        ),
        ("acme-consumer", "production", 2)
    );
    assert_eq!(
        f.state.latest_known_time.as_deref(),
        Some("2026-05-01T00:00:00Z")
    );
    assert_eq!(f.state.root.as_ref().map(|r| r.version), Some(1));
    // The recorded hash is the SHA-256 of the exact payload bytes (sha256sum of the file).
    let payload = BASE64
        .decode(envelope_json(&f.good)["payload"].as_str().unwrap())
        .unwrap();
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&payload);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(record.sha256, hex);
}

#[test]
fn forgery_edited_price_or_added_product() {
    let f = Fixture::new();
    let mut envelope = envelope_json(&f.good);
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let text = String::from_utf8(payload).unwrap();
    assert!(text.contains("0.0720"));
    for forged in [
        text.replace("0.0720", "0.0360"),
        text.replace("\"products\": [", "\"products\": [{\"id\":\"fake\"},"),
        format!("{text} "),
    ] {
        envelope["payload"] = Value::String(BASE64.encode(forged.as_bytes()));
        f.refuse(envelope.to_string().as_bytes(), "bad-signature");
    }
}

#[test]
fn wrong_key() {
    let f = Fixture::new();
    let k = &f.keys;
    let payload = payload_with(|p| p["version"] = json!(3));
    // Two untrusted keys.
    f.refuse(&signed(&payload, &[&k.x, &k.y]), "unknown-key");
    // An untrusted key that claims a trusted key id.
    let impostor_a = key("a", 90);
    let impostor_b = key("b", 91);
    f.refuse(
        &signed(&payload, &[&impostor_a, &impostor_b]),
        "bad-signature",
    );
    // One trusted key plus untrusted ones still misses the threshold.
    f.refuse(&signed(&payload, &[&k.a, &k.x, &k.y]), "threshold-not-met");
}

#[test]
fn below_threshold() {
    let f = Fixture::new();
    let payload = payload_with(|p| p["version"] = json!(3));
    f.refuse(&signed(&payload, &[&f.keys.c]), "threshold-not-met");
}

#[test]
fn duplicate_signatures() {
    let f = Fixture::new();
    let payload = payload_with(|p| p["version"] = json!(3));
    let k = &f.keys;
    f.refuse(&signed(&payload, &[&k.a, &k.a]), "threshold-not-met");
    f.refuse(
        &signed(&payload, &[&k.b, &k.b, &k.b, &k.b]),
        "threshold-not-met",
    );
    // The same signature copied under a second trusted key id.
    let mut envelope = envelope_json(&signed(&payload, &[&k.a, &k.a]));
    envelope["signatures"][1]["keyid"] = json!("b");
    f.refuse(envelope.to_string().as_bytes(), "bad-signature");
    // Distinct trusted keys do pass, with the duplicate ignored.
    let (bundle, _) = verify(
        &signed(&payload, &[&k.a, &k.a, &k.c]),
        &f.pinned,
        &f.state,
        t(NOW),
        &f.options,
    )
    .unwrap();
    assert_eq!(bundle.signed_by(), vec!["a".to_owned(), "c".to_owned()]);
}

#[test]
fn rollback_lower_version() {
    let f = Fixture::new();
    let older = signed(
        &payload_with(|p| p["version"] = json!(1)),
        &[&f.keys.a, &f.keys.b],
    );
    f.refuse(&older, "rollback");
    // The same older bundle is fine for a client that never saw v2: the refusal comes
    // from the persisted state, not from the bundle.
    assert!(verify(
        &older,
        &f.pinned,
        &BundleState::default(),
        t(NOW),
        &f.options
    )
    .is_ok());
}

#[test]
fn rollback_equal_version_different_content() {
    let f = Fixture::new();
    let twin = payload_with(|p| p["products"][0]["annualRate"] = json!("0.0990"));
    f.refuse(&signed(&twin, &[&f.keys.a, &f.keys.c]), "rollback");
}

#[test]
fn rollback_is_tracked_per_bundle_id_and_channel() {
    let f = Fixture::new();
    let other = signed(
        &payload_with(|p| {
            p["bundleId"] = json!("acme-texts");
            p["version"] = json!(1);
        }),
        &[&f.keys.a, &f.keys.b],
    );
    let state = f.accept(&other, &f.state, NOW);
    assert_eq!(state.bundles.len(), 2);
    // v2 of the first id is still the floor there.
    let older = signed(
        &payload_with(|p| p["version"] = json!(1)),
        &[&f.keys.a, &f.keys.b],
    );
    refuse_against(
        &f.pinned, &state, &f.good, &older, &f.options, NOW, "rollback",
    );
}

#[test]
fn freeze_expired_bundle() {
    let f = Fixture::new();
    // The stale bundle is the client's own last good one: refused once it expires, with the
    // state untouched (the loader then applies its explicit offline-grace policy).
    let before = f.state.clone();
    let err = verify(
        &f.good,
        &f.pinned,
        &f.state,
        t("2027-05-01T00:00:00Z"),
        &f.options,
    )
    .unwrap_err();
    assert_eq!(err.code(), "expired");
    assert_eq!(f.state, before);
    let err = verify(
        &f.good,
        &f.pinned,
        &f.state,
        t("2031-01-01T00:00:00Z"),
        &f.options,
    )
    .unwrap_err();
    assert_eq!(
        err.code(),
        "root-expired",
        "the root expires in 2030 and is checked first"
    );
    // A stale older copy served after the newer one is refused as expired at any time.
    let stale = signed(
        &payload_with(|p| {
            p["version"] = json!(3);
            p["issuedAt"] = json!("2026-01-01T00:00:00Z");
            p["expiresAt"] = json!("2026-03-01T00:00:00Z");
        }),
        &[&f.keys.a, &f.keys.b],
    );
    f.refuse(&stale, "expired");
    let (bundle, _) = verify(
        &f.good,
        &f.pinned,
        &f.state,
        t("2027-04-30T23:59:59Z"),
        &f.options,
    )
    .expect("one second before expiry");
    assert_eq!(bundle.header().version, 2);
}

#[test]
fn freeze_wound_back_clock_cannot_revive() {
    let f = Fixture::new();
    // The client later accepted another bundle issued after acme v2 expired.
    let later = signed(
        &payload_with(|p| {
            p["bundleId"] = json!("acme-texts");
            p["version"] = json!(1);
            p["issuedAt"] = json!("2027-06-01T00:00:00Z");
            p["expiresAt"] = json!("2028-06-01T00:00:00Z");
        }),
        &[&f.keys.a, &f.keys.b],
    );
    let state = f.accept(&later, &f.state, "2027-06-02T00:00:00Z");
    assert_eq!(
        state.latest_known_time.as_deref(),
        Some("2027-06-01T00:00:00Z")
    );
    // The device clock is wound back to a time when acme v2 was still valid.
    refuse_against(
        &f.pinned, &state, &later, &f.good, &f.options, NOW, "expired",
    );
    // The same wound-back clock with the fresh state (no later knowledge) would accept it,
    // which is exactly the hole the latest known time closes.
    assert!(verify(&f.good, &f.pinned, &f.state, t(NOW), &f.options).is_ok());
}

#[test]
fn channel_swap() {
    let f = Fixture::new();
    let preview = signed(
        &payload_with(|p| {
            p["channel"] = json!("preview");
            p["version"] = json!(9);
        }),
        &[&f.keys.a, &f.keys.b],
    );
    f.refuse(&preview, "wrong-channel");
    // A preview client takes it, and a production bundle is wrong for it.
    let preview_client = VerifyOptions {
        channel: "preview".into(),
        ..VerifyOptions::default()
    };
    assert!(verify(&preview, &f.pinned, &f.state, t(NOW), &preview_client).is_ok());
    let err = verify(&f.good, &f.pinned, &f.state, t(NOW), &preview_client).unwrap_err();
    assert_eq!(err.code(), "wrong-channel");
}

#[test]
fn engine_downgrade() {
    let f = Fixture::new();
    for (required, code) in [
        ("99.0.0", "engine-too-old"),
        ("0.2.0", "engine-too-old"),
        ("0.1.1", "engine-too-old"),
        ("1.0", "malformed"),
        ("0.1.0-beta", "malformed"),
    ] {
        let payload = payload_with(|p| {
            p["version"] = json!(3);
            p["minEngineVersion"] = json!(required);
        });
        f.refuse(&signed(&payload, &[&f.keys.a, &f.keys.b]), code);
    }
    assert_eq!(
        puhui::ENGINE_VERSION,
        "0.1.0",
        "update the cases above with the engine"
    );
}

#[test]
fn endless_data() {
    let f = Fixture::new();
    // Not even JSON: the cap must trip before any parsing (else it would say malformed).
    let huge = vec![b'x'; (1 << 20) + 1];
    f.refuse(&huge, "too-large");
    // Deep nesting beyond the cap is also too-large, not too-deep: size comes first.
    let mut deep = vec![b'['; (1 << 20) + 1];
    deep.push(b']');
    f.refuse(&deep, "too-large");
    // A configured lower cap applies to a bundle that is otherwise fine.
    let small = VerifyOptions {
        max_bytes: 200,
        ..VerifyOptions::default()
    };
    let next = signed(
        &payload_with(|p| p["version"] = json!(3)),
        &[&f.keys.a, &f.keys.b],
    );
    f.refuse_with(&next, &small, NOW, "too-large");
    // The signer refuses to make an envelope a default client would refuse.
    let big = payload_with(|p| p["texts"] = json!({"filler": "x".repeat(900_000)}));
    assert_eq!(
        sign_bundle(&big, &[&f.keys.a]).unwrap_err().code(),
        "too-large"
    );
    // Exactly at the cap is accepted.
    let exact = VerifyOptions {
        max_bytes: next.len(),
        ..VerifyOptions::default()
    };
    assert!(verify(&next, &f.pinned, &f.state, t(NOW), &exact).is_ok());
}

#[test]
fn parser_abuse_in_the_envelope() {
    let f = Fixture::new();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    f.refuse(deep.as_bytes(), "too-deep");
    let deep_object = format!("{}1{}", "{\"a\":".repeat(100), "}".repeat(100));
    f.refuse(deep_object.as_bytes(), "too-deep");
    // Two payloads: a lenient parser would take the last, a signer may have meant the first.
    let envelope = envelope_json(&f.good);
    let other = signed(&payload_with(|p| p["version"] = json!(7)), &[&f.keys.x]);
    let text = format!(
        r#"{{"payloadType":"{}","payload":{},"payload":{},"signatures":{}}}"#,
        BUNDLE_PAYLOAD_TYPE,
        envelope["payload"],
        envelope_json(&other)["payload"],
        envelope["signatures"]
    );
    f.refuse(text.as_bytes(), "duplicate-key");
    let escaped = text.replacen("\"payload\":", "\"p\\u0061yload\":", 1);
    f.refuse(escaped.as_bytes(), "duplicate-key");
    for (attack, code) in [
        (
            r#"{"payloadType":1e999,"payload":"","signatures":[]}"#,
            "number-out-of-range",
        ),
        (
            r#"{"payloadType":"x","payload":"","signatures":[],"n":123456789012345678901234567890}"#,
            "number-out-of-range",
        ),
        (r#"{"payloadType":NaN}"#, "malformed"),
        ("{\"payloadType\":\"a\"} trailing", "malformed"),
        ("\u{feff}{}", "malformed"),
        ("", "malformed"),
        ("[]", "malformed"),
        (
            r#"{"payloadType":"application/vnd.puhui.bundle+json","payload":"!!","signatures":[{"keyid":"a","sig":"AA=="}]}"#,
            "malformed",
        ),
    ] {
        f.refuse(attack.as_bytes(), code);
    }
    f.refuse(b"\xff\xfe{}", "malformed");
}

#[test]
fn parser_abuse_in_a_signed_payload() {
    // Even a payload carrying valid signatures is refused when it could be read two ways.
    let f = Fixture::new();
    let base = String::from_utf8(payload_with(|p| p["version"] = json!(3))).unwrap();
    let duplicate = base.replacen(
        "\"caps\": [],",
        "\"caps\": [], \"caps\": [{\"id\":\"x\"}],",
        1,
    );
    let huge = base.replacen("\"caps\": [],", "\"caps\": [1e400],", 1);
    let long_int = base.replacen("\"caps\": [],", "\"caps\": [18446744073709551616],", 1);
    let deep = base.replacen(
        "\"texts\": {}",
        &format!("\"texts\": {}0{}", "[".repeat(40), "]".repeat(40)),
        1,
    );
    for (payload, code) in [
        (duplicate, "duplicate-key"),
        (huge, "number-out-of-range"),
        (long_int, "number-out-of-range"),
        (deep, "too-deep"),
    ] {
        let envelope = sign_envelope(
            BUNDLE_PAYLOAD_TYPE,
            payload.as_bytes(),
            &[&f.keys.a, &f.keys.b],
        );
        f.refuse(&serde_json::to_vec(&envelope).unwrap(), code);
    }
}

#[test]
fn mix_and_match() {
    let f = Fixture::new();
    let k = &f.keys;
    let good = envelope_json(&f.good);
    let other = envelope_json(&signed(
        &payload_with(|p| p["version"] = json!(3)),
        &[&k.a, &k.b],
    ));
    // Payload of one bundle, signatures of another.
    let mut mixed = other.clone();
    mixed["signatures"] = good["signatures"].clone();
    f.refuse(mixed.to_string().as_bytes(), "bad-signature");
    // One good signature from each bundle: neither set reaches the threshold for either.
    let mut halves = other.clone();
    halves["signatures"] = json!([good["signatures"][0], other["signatures"][1]]);
    f.refuse(halves.to_string().as_bytes(), "bad-signature");
    // Unsigned side data riding along.
    let mut side = good.clone();
    side["products"] = json!([{"id": "fake"}]);
    f.refuse(side.to_string().as_bytes(), "malformed");
    let mut side_sig = good.clone();
    side_sig["signatures"][0]["note"] = json!("x");
    f.refuse(side_sig.to_string().as_bytes(), "malformed");
    // A root envelope offered as a bundle.
    let root_bytes = root(1, 2, &[&k.a, &k.b, &k.c], &[&k.a, &k.b]);
    f.refuse(&root_bytes, "wrong-payload-type");
    // ... and with its type relabelled: the type is inside the signed PAE.
    let mut relabelled = envelope_json(&root_bytes);
    relabelled["payloadType"] = json!(BUNDLE_PAYLOAD_TYPE);
    f.refuse(relabelled.to_string().as_bytes(), "bad-signature");
    // A bundle payload signed as a root (to confuse a root-accepting path) is not a bundle.
    let as_root = sign_envelope(ROOT_PAYLOAD_TYPE, &payload_with(|_| {}), &[&k.a, &k.b]);
    f.refuse(&serde_json::to_vec(&as_root).unwrap(), "wrong-payload-type");
    let err = TrustedRoot::from_pinned(&serde_json::to_vec(&as_root).unwrap()).unwrap_err();
    assert_eq!(err.code(), "invalid-root");
}

/// Root v2 drops the compromised key c and adds d; signed by a, b (v1) and a, d (v2).
fn root_v2(k: &Keys) -> Vec<u8> {
    root(2, 2, &[&k.a, &k.b, &k.d], &[&k.a, &k.b, &k.d])
}

#[test]
fn key_compromise_good_rotation_chain() {
    let f = Fixture::new();
    let k = &f.keys;
    // Before rotating, a bundle by the new key set names root v2: the client is told to
    // rotate first rather than handed a bare signature failure.
    let by_new_keys = signed(
        &payload_with(|p| {
            p["version"] = json!(3);
            p["rootVersion"] = json!(2);
        }),
        &[&k.a, &k.d],
    );
    f.refuse(&by_new_keys, "root-outdated");
    let (root2, state) = rotate_state(&f.pinned, &f.state, &root_v2(k)).expect("rotation");
    f.accept(&by_new_keys, &state, NOW);
    assert_eq!(root2.version(), 2);
    assert_eq!(state.root.as_ref().map(|r| r.version), Some(2));
    assert_eq!(state.root_chain.len(), 1);
    // Offering v2 again is a no-op.
    let (again, same) = rotate_state(&f.pinned, &state, &root_v2(k)).unwrap();
    assert_eq!((again.version(), same.root_chain.len()), (2, 1));
    // The leaked key c no longer counts: c + a misses the threshold of 2.
    let next = payload_with(|p| {
        p["version"] = json!(3);
        p["rootVersion"] = json!(2);
    });
    refuse_against(
        &f.pinned,
        &state,
        &f.good,
        &signed(&next, &[&k.a, &k.c]),
        &f.options,
        NOW,
        "threshold-not-met",
    );
    refuse_against(
        &f.pinned,
        &state,
        &f.good,
        &signed(&next, &[&k.c]),
        &f.options,
        NOW,
        "unknown-key",
    );
    let state3 = f.accept(&signed(&next, &[&k.a, &k.d]), &state, NOW);
    assert_eq!(state3.bundles[0].version, 3);
    // v3 removes b as well, signed by a threshold of v2 (a, d) and of v3 (d, e).
    let root3 = root(3, 2, &[&k.a, &k.d, &k.e], &[&k.a, &k.d, &k.e]);
    let (root3, state) = rotate_state(&f.pinned, &state3, &root3).expect("v3");
    assert_eq!((root3.version(), state.root_chain.len()), (3, 2));
    // A bundle naming a root newer than the client holds asks for a rotation first.
    let ahead = signed(
        &payload_with(|p| {
            p["version"] = json!(4);
            p["rootVersion"] = json!(4);
        }),
        &[&k.d, &k.e],
    );
    let err = verify(&ahead, &f.pinned, &state, t(NOW), &f.options).unwrap_err();
    assert_eq!(err.code(), "root-outdated");
}

#[test]
fn key_compromise_broken_chain() {
    let f = Fixture::new();
    let k = &f.keys;
    // The attacker holds only c (leaked) and mints a root of their own keys.
    let hostile = root(2, 2, &[&k.c, &k.x, &k.y], &[&k.c, &k.x, &k.y]);
    refuse_rotation(&f, &hostile, "root-chain-broken");
    // Signed by the old threshold but not by a threshold of its own keys.
    let half = root(2, 2, &[&k.a, &k.d, &k.e], &[&k.a, &k.b]);
    refuse_rotation(&f, &half, "root-not-self-signed");
    // A forged chain entry in storage is re-checked and refused on every verification.
    let mut state = f.state.clone();
    state
        .root_chain
        .push(serde_json::from_slice(&hostile).unwrap());
    let err = verify(&f.good, &f.pinned, &state, t(NOW), &f.options).unwrap_err();
    assert_eq!(err.code(), "root-chain-broken");
    // A chain cut short in storage (state says v2, chain gone) is refused too.
    let (_, rotated) = rotate_state(&f.pinned, &f.state, &root_v2(k)).unwrap();
    let mut cut = rotated.clone();
    cut.root_chain.clear();
    let err = verify(&f.good, &f.pinned, &cut, t(NOW), &f.options).unwrap_err();
    assert_eq!(err.code(), "invalid-state");
}

/// One public key under two key ids would let a single holder meet a threshold of two: the
/// root is refused (`invalid-root`) at the later id in key order, whichever ids; the signer
/// runs the same check.
#[test]
fn root_lists_one_public_key_twice() {
    let k = keys();
    for (twin, later) in [("a2", "a2"), ("0", "a"), ("b1", "b1")] {
        let again = key(twin, 1); // k.a's seed: the same public key
        let payload = root_payload(2, 2, &[&k.a, &k.b, &again], "2030-01-01T00:00:00Z");
        let err = sign_root(&payload, &[&k.a, &k.b]).unwrap_err();
        assert_eq!(err.code(), "invalid-root", "{err}");
        let api = err.to_api();
        assert_eq!(api.path.as_deref(), Some(format!("keys.{later}").as_str()));
        assert!(api.message.contains("listed twice"), "{}", api.message);
    }
    // Distinct keys are accepted.
    let distinct = root_payload(2, 2, &[&k.a, &k.b, &k.d], "2030-01-01T00:00:00Z");
    assert!(sign_root(&distinct, &[&k.a, &k.b]).is_ok());
}

#[test]
fn key_compromise_skipped_version() {
    let f = Fixture::new();
    let k = &f.keys;
    let v3 = root(3, 2, &[&k.a, &k.b, &k.d], &[&k.a, &k.b, &k.d]);
    refuse_rotation(&f, &v3, "root-version-skip");
    // A different v1 than the pinned one is a rollback, not a no-op.
    let other_v1 = root(1, 1, &[&k.a, &k.b], &[&k.a, &k.b]);
    refuse_rotation(&f, &other_v1, "root-rollback");
    // After v2, offering v1 back is refused as well.
    let (_, state) = rotate_state(&f.pinned, &f.state, &root_v2(k)).unwrap();
    let pinned_bytes = root(1, 2, &[&k.a, &k.b, &k.c], &[&k.a, &k.b]);
    let (same, unchanged) = rotate_state(&f.pinned, &f.state, &pinned_bytes).unwrap();
    assert_eq!(
        (same.version(), &unchanged.root_chain),
        (1, &f.state.root_chain)
    );
    let err = rotate_state(&f.pinned, &state, &pinned_bytes).unwrap_err();
    assert_eq!(err.code(), "root-rollback");
}

#[test]
fn key_compromise_minimum_root_version() {
    let f = Fixture::new();
    let pinned_min = VerifyOptions {
        min_root_version: 2,
        ..VerifyOptions::default()
    };
    let next = signed(
        &payload_with(|p| p["version"] = json!(3)),
        &[&f.keys.a, &f.keys.b],
    );
    f.refuse_with(&next, &pinned_min, NOW, "root-too-old");
    let (_, rotated) = rotate_state(&f.pinned, &f.state, &root_v2(&f.keys)).unwrap();
    let (bundle, _) = verify(&next, &f.pinned, &rotated, t(NOW), &pinned_min).unwrap();
    assert_eq!(bundle.root_version(), Some(2));
}

#[test]
fn root_expiry_and_invalid_roots() {
    let f = Fixture::new();
    let k = &f.keys;
    let short = sign_root(
        &root_payload(1, 2, &[&k.a, &k.b], "2026-07-01T00:00:00Z"),
        &[&k.a, &k.b],
    )
    .unwrap();
    let short = TrustedRoot::from_pinned(&short).unwrap();
    let bundle = signed(&payload_with(|_| {}), &[&k.a, &k.b]);
    let err = verify(
        &bundle,
        &short,
        &BundleState::default(),
        t("2026-07-01T00:00:00Z"),
        &f.options,
    )
    .unwrap_err();
    assert_eq!(err.code(), "root-expired");
    for (payload, signers) in [
        (
            root_payload(1, 0, &[&k.a], "2030-01-01T00:00:00Z"),
            vec![&k.a],
        ),
        (
            root_payload(1, 3, &[&k.a, &k.b], "2030-01-01T00:00:00Z"),
            vec![&k.a, &k.b],
        ),
        (
            root_payload(0, 1, &[&k.a], "2030-01-01T00:00:00Z"),
            vec![&k.a],
        ),
        (root_payload(1, 1, &[&k.a], "soon"), vec![&k.a]),
    ] {
        assert_eq!(
            sign_root(&payload, &signers).unwrap_err().code(),
            "invalid-root"
        );
    }
    // One key listed under two ids would let its holder meet a threshold of two alone.
    let twin = key("a2", 1);
    let mut doubled = root_payload(1, 2, &[&k.a, &twin], "2030-01-01T00:00:00Z");
    assert_eq!(
        sign_root(&doubled, &[&k.a, &twin]).unwrap_err().code(),
        "invalid-root"
    );
    doubled.keys.get_mut("a2").unwrap().alg = "rsa".into();
    assert_eq!(
        sign_root(&doubled, &[&k.a]).unwrap_err().code(),
        "invalid-root"
    );
    // A pinned root must reach its own threshold.
    let lone = root(1, 2, &[&k.a, &k.b], &[&k.a]);
    assert_eq!(
        TrustedRoot::from_pinned(&lone).unwrap_err().code(),
        "root-not-self-signed"
    );
}

fn refuse_rotation(f: &Fixture, next_root: &[u8], code: &str) {
    let before = f.state.clone();
    let err = rotate_state(&f.pinned, &f.state, next_root).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(f.state, before);
    let (bundle, after) = verify(&f.good, &f.pinned, &f.state, t(NOW), &f.options).unwrap();
    assert_eq!((bundle.header().version, &after), (2, &f.state));
}

#[test]
fn unsigned_bundle_in_production_vs_explicit_preview() {
    let f = Fixture::new();
    let draft = payload_with(|p| p["version"] = json!(50));
    let unsigned_envelope =
        serde_json::to_vec(&sign_envelope(BUNDLE_PAYLOAD_TYPE, &draft, &[])).unwrap();
    f.refuse(&unsigned_envelope, "unsigned");
    f.refuse(&draft, "unsigned");
    let preview = VerifyOptions {
        preview_allowed: true,
        ..VerifyOptions::default()
    };
    for input in [&unsigned_envelope, &draft] {
        let (bundle, state) = verify(input, &f.pinned, &f.state, t(NOW), &preview).unwrap();
        assert!(bundle.is_preview());
        assert_eq!(bundle.summary()["preview"], json!(true));
        assert!(bundle.signed_by().is_empty());
        assert_eq!(state, f.state, "a preview never moves the persisted state");
    }
    // Preview does not weaken signed verification or the other checks.
    let forged = signed(&draft, &[&f.keys.x]);
    f.refuse_with(&forged, &preview, NOW, "unknown-key");
    let wrong_channel = payload_with(|p| p["channel"] = json!("staging"));
    f.refuse_with(&wrong_channel, &preview, NOW, "wrong-channel");
    let stale_draft = payload_with(|p| p["expiresAt"] = json!("2026-05-15T00:00:00Z"));
    f.refuse_with(&stale_draft, &preview, NOW, "expired");
    // A signed bundle in preview mode is an ordinary verification, not a preview.
    let next = signed(
        &payload_with(|p| p["version"] = json!(3)),
        &[&f.keys.a, &f.keys.b],
    );
    let (bundle, _) = verify(&next, &f.pinned, &f.state, t(NOW), &preview).unwrap();
    assert!(!bundle.is_preview());
}

#[test]
fn header_fields_are_checked() {
    let f = Fixture::new();
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str)> = vec![
        (
            |p| p["schema"] = json!("puhui.bundle/v2"),
            "unsupported-schema",
        ),
        (|p| p["version"] = json!(-1), "malformed"),
        (|p| p["version"] = json!(3.0), "malformed"),
        (|p| p["version"] = json!("3"), "malformed"),
        (
            |p| {
                p.as_object_mut().unwrap().remove("expiresAt");
            },
            "malformed",
        ),
        (|p| p["issuedAt"] = json!("2026-05-01"), "malformed"),
        (
            |p| p["expiresAt"] = json!("2026-04-01T00:00:00Z"),
            "malformed",
        ),
        (|p| p["bundleId"] = json!("../etc"), "malformed"),
        (|p| p["bundleId"] = json!(""), "malformed"),
        (|p| p["rootVersion"] = json!(0), "malformed"),
    ];
    for (edit, code) in cases {
        let payload = payload_with(|p| {
            p["version"] = json!(3);
            edit(p);
        });
        let envelope = sign_envelope(BUNDLE_PAYLOAD_TYPE, &payload, &[&f.keys.a, &f.keys.b]);
        f.refuse(&serde_json::to_vec(&envelope).unwrap(), code);
    }
    let not_object = sign_envelope(BUNDLE_PAYLOAD_TYPE, b"[1]", &[&f.keys.a, &f.keys.b]);
    f.refuse(&serde_json::to_vec(&not_object).unwrap(), "malformed");
    // The signing helper refuses the same payloads up front.
    let bad = payload_with(|p| p["expiresAt"] = json!("never"));
    assert_eq!(
        sign_bundle(&bad, &[&f.keys.a]).unwrap_err().code(),
        "malformed"
    );
}

#[test]
fn json_front_door() {
    let k = keys();
    let root_bytes = root(1, 2, &[&k.a, &k.b, &k.c], &[&k.a, &k.b]);
    let bundle = sign_bundle(&payload_with(|_| {}), &[&k.a, &k.b]).unwrap();
    let first = verify_json(&bundle, &root_bytes, None, NOW, None).unwrap();
    assert_eq!(first["summary"]["bundleId"], json!("acme-consumer"));
    assert_eq!(first["summary"]["version"], json!(2));
    assert_eq!(first["summary"]["preview"], json!(false));
    assert_eq!(first["summary"]["rootVersion"], json!(1));
    assert_eq!(
        first["bundle"]["products"][0]["annualRate"],
        json!("0.0720")
    );
    assert_eq!(first["state"]["bundles"][0]["version"], json!(2));
    assert_eq!(
        first["state"]["latestKnownTime"],
        json!("2026-05-01T00:00:00Z")
    );
    let state = first["state"].to_string();
    // Rotation through JSON, then a rollback through JSON with the persisted state.
    let rotated =
        puhui::bundle::rotate_root_json(&root_bytes, Some(state.as_bytes()), &root_v2(&k)).unwrap();
    assert_eq!(rotated["root"]["version"], json!(2));
    let state2 = rotated["state"].to_string();
    let older = sign_bundle(&payload_with(|p| p["version"] = json!(1)), &[&k.a, &k.b]).unwrap();
    let err = verify_json(&older, &root_bytes, Some(state2.as_bytes()), NOW, None).unwrap_err();
    assert_eq!(err.code, "rollback");
    assert_eq!(err.path.as_deref(), Some("payload.version"));
    let options = br#"{"channel":"production","previewAllowed":false,"maxBytes":100}"#;
    let err = verify_json(&bundle, &root_bytes, None, NOW, Some(options)).unwrap_err();
    assert_eq!(err.code, "too-large");
    let err = verify_json(
        &bundle,
        &root_bytes,
        None,
        NOW,
        Some(br#"{"preview":true}"#),
    )
    .unwrap_err();
    assert_eq!(err.code, "unknown-field");
    let err = verify_json(&bundle, &root_bytes, Some(b"{\"bundles\":1}"), NOW, None).unwrap_err();
    assert_eq!(err.code, "invalid-state");
    let err = verify_json(&bundle, &root_bytes, None, "yesterday", None).unwrap_err();
    assert_eq!(err.code, "invalid-request");
    let err = verify_json(&bundle, b"{}", None, NOW, None).unwrap_err();
    assert_eq!(err.code, "invalid-root");
}

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bundle")
        .join(name)
}

#[test]
fn committed_exemplar_verifies() {
    let root_bytes = std::fs::read(fixture_path("root.json")).unwrap();
    let bundle_bytes = std::fs::read(fixture_path("bundle.signed.json")).unwrap();
    let unsigned = std::fs::read(fixture_path("bundle.json")).unwrap();
    let pinned = TrustedRoot::from_pinned(&root_bytes).unwrap();
    // Issued-at is the earliest sensible "now"; the result must not depend on a clock.
    let payload: Value = serde_json::from_slice(&unsigned).unwrap();
    let now = t(payload["issuedAt"].as_str().unwrap());
    let (bundle, state) = verify(
        &bundle_bytes,
        &pinned,
        &BundleState::default(),
        now,
        &VerifyOptions::default(),
    )
    .unwrap();
    assert_eq!(
        bundle.payload_bytes(),
        unsigned,
        "the signed payload is the committed draft"
    );
    assert_eq!(
        bundle.header().bundle_id,
        payload["bundleId"].as_str().unwrap()
    );
    assert_eq!(state.bundles.len(), 1);
    for field in ["products", "caps", "subsidyPrograms", "texts"] {
        assert!(bundle.payload().get(field).is_some(), "{field}");
    }
    // The committed public keys are exactly the root's keys, and no secret is committed.
    let mut public = BTreeMap::new();
    for entry in std::fs::read_dir(fixture_path("keys")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(
            path.extension().and_then(|e| e.to_str()),
            Some("pub"),
            "{path:?}"
        );
        let file: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert!(file.get("secret").is_none());
        public.insert(
            file["keyid"].as_str().unwrap().to_owned(),
            file["public"].as_str().unwrap().to_owned(),
        );
    }
    let root_keys: BTreeMap<_, _> = pinned
        .payload()
        .keys
        .iter()
        .map(|(id, key)| (id.clone(), key.public.clone()))
        .collect();
    assert_eq!(public, root_keys);
    // And the sample still stands in the far future the script sets.
    assert!(verify(
        &bundle_bytes,
        &pinned,
        &BundleState::default(),
        t("2035-12-31T00:00:00Z"),
        &VerifyOptions::default()
    )
    .is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// No input panics, and none but the good bundle's own payload is ever accepted.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let f = fixture_once();
        let result = verify(&bytes, &f.pinned, &f.state, t(NOW), &f.options);
        prop_assert!(result.is_err());
    }

    /// Flipping any one byte of a good envelope is refused, or decodes to the very same
    /// signed payload (e.g. a change inside insignificant whitespace).
    #[test]
    fn one_byte_mutations_are_refused(index in 0usize..4096, byte in any::<u8>()) {
        let f = fixture_once();
        let next = f.next.clone();
        let mut mutated = next.clone();
        let index = index % mutated.len();
        mutated[index] = byte;
        if let Ok((bundle, _)) = verify(&mutated, &f.pinned, &f.state, t(NOW), &f.options) {
            let (original, _) = verify(&next, &f.pinned, &f.state, t(NOW), &f.options).unwrap();
            prop_assert_eq!(bundle.payload_bytes(), original.payload_bytes());
        }
    }
}

struct Shared {
    pinned: TrustedRoot,
    state: BundleState,
    options: VerifyOptions,
    next: Vec<u8>,
}

fn fixture_once() -> &'static Shared {
    static SHARED: std::sync::OnceLock<Shared> = std::sync::OnceLock::new();
    SHARED.get_or_init(|| {
        let f = Fixture::new();
        let next = sign_bundle(
            &payload_with(|p| p["version"] = json!(3)),
            &[&f.keys.a, &f.keys.b],
        )
        .unwrap();
        Shared {
            pinned: f.pinned,
            state: f.state,
            options: f.options,
            next,
        }
    })
}

#[test]
fn newer_pinned_root_supersedes_older_chain_entries() {
    // An engine release pins root v2 while the client's state already walked to v3.
    let f = Fixture::new();
    let k = &f.keys;
    let v2_bytes = root_v2(k);
    let (_, state) = rotate_state(&f.pinned, &f.state, &v2_bytes).unwrap();
    let v3_bytes = root(3, 2, &[&k.a, &k.d, &k.e], &[&k.a, &k.d, &k.e]);
    let (_, state) = rotate_state(&f.pinned, &state, &v3_bytes).unwrap();
    let pinned_v2 = TrustedRoot::from_pinned(&v2_bytes).unwrap();
    let current = puhui::bundle::current_root(&pinned_v2, &state).unwrap();
    assert_eq!(current.version(), 3);
    // And a pin newer than the whole chain simply wins.
    let pinned_v3 = TrustedRoot::from_pinned(&v3_bytes).unwrap();
    let fresh = puhui::bundle::current_root(&pinned_v3, &f.state).unwrap();
    assert_eq!(fresh.version(), 3);
    let bundle = signed(
        &payload_with(|p| {
            p["version"] = json!(3);
            p["rootVersion"] = json!(3);
        }),
        &[&k.d, &k.e],
    );
    let (verified, next) = verify(&bundle, &pinned_v3, &f.state, t(NOW), &f.options).unwrap();
    assert_eq!(verified.root_version(), Some(3));
    assert_eq!(next.root.map(|r| r.version), Some(3));
}
