//! Regression tests for issue 13's findings on the CLI side: the publish race and pointer
//! repair, the verifier's envelope reader in `publish` (cap first, standard base64 only, one
//! id rule), safe temporary files, and the state lock of `verify --state`.
//! Each test failed on the code before its fix (see `docs/reliability.md`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use puhui::bundle::{sign_bundle, sign_root, KeyPair, RootKey, RootPayload};
use puhui::ErrorCode;
use puhui_cli::serve::publish::{publish, read_envelope_file, LatestPointer};
use serde_json::{json, Value};
use std::path::Path;

fn key() -> KeyPair {
    KeyPair::from_seed("rel-1", &[7; 32])
}

fn payload(id: &str, version: u64, marker: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schema": "puhui.bundle/v1", "bundleId": id, "channel": "production",
        "version": version, "issuedAt": "2026-06-01T00:00:00Z",
        "expiresAt": "2029-01-01T00:00:00Z", "minEngineVersion": "0.1.0", "rootVersion": 1,
        "products": [], "marker": marker
    }))
    .unwrap()
}

fn signed(id: &str, version: u64) -> Vec<u8> {
    sign_bundle(&payload(id, version, "m"), &[&key()]).unwrap()
}

fn pointer(dir: &Path) -> LatestPointer {
    serde_json::from_slice(&std::fs::read(dir.join("latest.json")).unwrap()).unwrap()
}

// Finding 2: two concurrent publishers (v5 and v4) once left latest.json on v4 in a third
// of the trials. Under the lock the pointer always ends on the highest version.
#[test]
fn concurrent_publishes_never_lower_the_pointer() {
    let v4 = signed("race", 4);
    let v5 = signed("race", 5);
    for trial in 0..40 {
        let tmp = tempfile::tempdir().unwrap();
        let bundles = tmp.path().to_path_buf();
        let (a, b) = (bundles.clone(), bundles.clone());
        let (e4, e5) = (v4.clone(), v5.clone());
        let t5 = std::thread::spawn(move || publish(&a, &e5, "race", "production", 5).is_ok());
        let t4 = std::thread::spawn(move || publish(&b, &e4, "race", "production", 4));
        assert!(t5.join().unwrap(), "v5 always publishes");
        if let Err(err) = t4.join().unwrap() {
            assert_eq!(err.code(), "version-not-newer", "trial {trial}");
        }
        let dir = bundles.join("race/production");
        assert_eq!(pointer(&dir).version, 5, "trial {trial}");
    }
}

// Finding 2: a garbage pointer was "repaired" to whatever came next, even below a higher
// version on disk; a version not above the highest on disk is now refused, typed.
#[test]
fn garbage_pointer_is_repaired_to_the_highest_valid_version() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("acme/production");
    publish(tmp.path(), &signed("acme", 7), "acme", "production", 7).unwrap();
    std::fs::write(dir.join("latest.json"), b"garbage").unwrap();
    // A stray invalid file with a higher number does not count as a version.
    std::fs::write(dir.join("9.json"), b"{}").unwrap();
    let err = publish(tmp.path(), &signed("acme", 3), "acme", "production", 3).unwrap_err();
    assert_eq!(err.code(), "version-not-newer");
    assert_eq!(err.path().as_deref(), Some("payload.version"));
    assert_eq!(pointer(&dir).version, 7, "repaired, never lowered");
    let next = publish(tmp.path(), &signed("acme", 8), "acme", "production", 8).unwrap();
    assert!(next.latest_updated);
    assert_eq!(pointer(&dir).version, 8);
}

// Finding 2 (temp files): temporaries have unpredictable names, are created exclusively,
// and those a killed publisher left behind are removed under the lock.
#[test]
fn stale_temporaries_are_cleaned_and_names_are_unpredictable() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("acme/production");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(".latest.json.0000.tmp"), b"half").unwrap();
    std::fs::write(dir.join(".1.json.1234.tmp"), b"half").unwrap();
    publish(tmp.path(), &signed("acme", 1), "acme", "production", 1).unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "stale temporaries removed: {names:?}"
    );
    // Two temporaries for the same name never collide (128 random bits each).
    let a = puhui_cli::fsafe::write_temp(&dir, "x", b"1").unwrap();
    let b = puhui_cli::fsafe::write_temp(&dir, "x", b"2").unwrap();
    assert_ne!(a, b);
    let hex = a.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(hex.len(), ".x.".len() + 32 + ".tmp".len());
    // A symlink planted where the state file goes is replaced, never written through.
    #[cfg(unix)]
    {
        let target = tmp.path().join("victim");
        std::fs::write(&target, b"keep").unwrap();
        let link = tmp.path().join("state.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        puhui_cli::fsafe::replace(&link, b"{}").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        assert_eq!(std::fs::read(&link).unwrap(), b"{}");
    }
}

// Finding 6 and the issue 14 drift: publish reads with the verifier's reader. URL-safe or
// unpadded base64 (which every client refuses) is refused; ids of up to 128 bytes (which
// every client accepts) are published; the size cap comes before any parsing.
#[test]
fn publish_uses_the_verifiers_envelope_reader() {
    let tmp = tempfile::tempdir().unwrap();
    let long_id = "l".repeat(puhui::limits::MAX_ID_BYTES);
    publish(tmp.path(), &signed(&long_id, 1), &long_id, "production", 1).unwrap();

    let mut noted = payload("acme", 1, "?????????");
    while noted.len() % 3 != 1 {
        noted.push(b' ');
    }
    let env = sign_bundle(&noted, &[&key()]).unwrap();
    let mut value: Value = serde_json::from_slice(&env).unwrap();
    let standard = value["payload"].as_str().unwrap().to_owned();
    for variant in [
        standard.replace('/', "_").replace('+', "-"),
        standard.trim_end_matches('=').to_owned(),
    ] {
        assert_ne!(variant, standard);
        value["payload"] = json!(variant);
        let bytes = serde_json::to_vec(&value).unwrap();
        let err = publish(tmp.path(), &bytes, "acme", "production", 1).unwrap_err();
        assert_eq!(err.code(), "malformed");
    }
    // A 20 MB file is read only up to the cap + 1 byte, then refused as too large.
    let big = tmp.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(20 << 20).unwrap();
    let bytes = read_envelope_file(&big, 1 << 20).unwrap();
    assert_eq!(bytes.len(), (1 << 20) + 1);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(["publish", "--bundles"])
        .arg(tmp.path())
        .arg(&big)
        .output()
        .unwrap();
    let out: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(out["error"]["code"], "too-large");
}

fn write_root(dir: &Path) -> std::path::PathBuf {
    let k = key();
    let payload = RootPayload {
        version: 1,
        expires_at: "2030-01-01T00:00:00Z".into(),
        threshold: 1,
        keys: [(
            k.keyid.clone(),
            RootKey {
                alg: "ed25519".into(),
                public: k.public_base64(),
            },
        )]
        .into(),
    };
    let path = dir.join("root.json");
    std::fs::write(&path, sign_root(&payload, &[&k]).unwrap()).unwrap();
    path
}

// Finding 2 (state): two concurrent `verify --state` runs (v5 and v4) once lost the newer
// version in 37 of 60 trials. Under the state lock the file always ends on v5.
#[test]
fn concurrent_verify_state_keeps_the_newer_version() {
    let tmp = tempfile::tempdir().unwrap();
    let root = write_root(tmp.path());
    let v4 = tmp.path().join("v4.json");
    let v5 = tmp.path().join("v5.json");
    std::fs::write(&v4, signed("acme", 4)).unwrap();
    std::fs::write(&v5, signed("acme", 5)).unwrap();
    let run = |bundle: &Path, state: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_puhui"))
            .args(["verify", "--now", "2026-06-02T00:00:00Z", "--root"])
            .arg(&root)
            .arg("--state")
            .arg(state)
            .arg(bundle)
            .output()
            .unwrap()
    };
    for trial in 0..12 {
        let state = tmp.path().join(format!("state-{trial}.json"));
        let (s1, s2) = (state.clone(), state.clone());
        std::thread::scope(|scope| {
            let a = scope.spawn(|| run(&v5, &s1));
            let b = scope.spawn(|| run(&v4, &s2));
            assert!(a.join().unwrap().status.success(), "v5 always verifies");
            let second = b.join().unwrap();
            if !second.status.success() {
                let out: Value = serde_json::from_slice(&second.stdout).unwrap();
                assert_eq!(out["error"]["code"], "rollback");
            }
        });
        let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(saved["bundles"][0]["version"], 5, "trial {trial}");
    }
}
