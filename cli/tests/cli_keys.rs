//! The built `puhui` binary end to end: keygen, root new/rotate, sign, verify, refusals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    json: Value,
}

fn puhui(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_puhui"))
        .args(args)
        .output()
        .expect("run puhui");
    let stdout = String::from_utf8(output.stdout).expect("utf-8 stdout");
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout,
        json,
    }
}

fn ok(args: &[&str]) -> Value {
    let run = puhui(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stdout);
    run.json
}

fn refused(args: &[&str], code: &str) {
    let run = puhui(args);
    assert_ne!(run.code, 0, "{args:?} should fail: {}", run.stdout);
    assert_eq!(run.json["error"]["code"], json!(code), "{}", run.stdout);
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

fn payload(version: u64, root_version: u64) -> String {
    serde_json::to_string_pretty(&json!({
        "schema": "puhui.bundle/v1",
        "bundleId": "cli-test",
        "channel": "production",
        "version": version,
        "issuedAt": "2026-11-01T00:00:00Z",
        "expiresAt": "2030-01-01T00:00:00Z",
        "minEngineVersion": "0.1.0",
        "rootVersion": root_version,
        "products": [{"id": "p", "annualRate": "0.0720"}],
        "caps": [],
        "subsidyPrograms": [],
        "texts": {}
    }))
    .unwrap()
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        Setup {
            _dir: dir,
            dir: path,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

const NOW: &str = "2026-11-22T00:00:00Z";

#[test]
fn keygen_writes_a_private_file_and_prints_no_secret() {
    let t = Setup::new();
    let keys = t.path("keys");
    let run = puhui(&["keygen", "--out", s(&keys), "--name", "alpha"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let secret_path = keys.join("alpha.key");
    let secret: Value = serde_json::from_slice(&std::fs::read(&secret_path).unwrap()).unwrap();
    let secret_b64 = secret["secret"].as_str().unwrap();
    assert_eq!(BASE64.decode(secret_b64).unwrap().len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&secret_path)
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let public_text = std::fs::read_to_string(keys.join("alpha.pub")).unwrap();
    let public: Value = serde_json::from_str(&public_text).unwrap();
    assert!(public.get("secret").is_none());
    assert!(!public_text.contains(secret_b64));
    assert!(!run.stdout.contains(secret_b64), "secret printed");
    assert!(!run.stdout.contains("secret\""));
    assert_eq!(run.json["public"], public["public"]);
    // Two runs give different keys, and an existing key is never overwritten.
    ok(&["keygen", "--out", s(&keys), "--name", "beta"]);
    let beta: Value =
        serde_json::from_slice(&std::fs::read(keys.join("beta.key")).unwrap()).unwrap();
    assert_ne!(beta["secret"], secret["secret"]);
    refused(
        &["keygen", "--out", s(&keys), "--name", "alpha"],
        "file-exists",
    );
    refused(
        &["keygen", "--out", s(&keys), "--name", "../evil"],
        "invalid-request",
    );
    let after: Value = serde_json::from_slice(&std::fs::read(&secret_path).unwrap()).unwrap();
    assert_eq!(after, secret);
}

/// keys a, b; root v1 2-of-2; a signed v1 bundle.
fn signed_setup() -> (Setup, PathBuf, PathBuf) {
    let t = Setup::new();
    let keys = t.path("keys");
    for name in ["a", "b"] {
        ok(&["keygen", "--out", s(&keys), "--name", name]);
    }
    let root = t.path("root.json");
    let summary = ok(&[
        "root",
        "new",
        "--threshold",
        "2",
        "--expires",
        "2031-01-01T00:00:00Z",
        "--key",
        s(&keys.join("a.pub")),
        "--key",
        s(&keys.join("b.pub")),
        "--sign",
        s(&keys.join("a.key")),
        "--sign",
        s(&keys.join("b.key")),
        "-o",
        s(&root),
    ]);
    assert_eq!(summary["version"], json!(1));
    assert_eq!(summary["threshold"], json!(2));
    let draft = t.write("bundle.json", &payload(1, 1));
    let signed = t.path("bundle.signed.json");
    ok(&[
        "sign",
        "--key",
        s(&keys.join("a.key")),
        "--key",
        s(&keys.join("b.key")),
        s(&draft),
        "-o",
        s(&signed),
    ]);
    (t, root, signed)
}

#[test]
fn root_sign_verify_and_tamper() {
    let (t, root, signed) = signed_setup();
    let state = t.path("state.json");
    let summary = ok(&[
        "verify",
        "--root",
        s(&root),
        "--state",
        s(&state),
        "--now",
        NOW,
        s(&signed),
    ]);
    assert_eq!(summary["bundleId"], json!("cli-test"));
    assert_eq!(summary["version"], json!(1));
    assert_eq!(summary["preview"], json!(false));
    assert_eq!(summary["signedBy"], json!(["a", "b"]));
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["bundles"][0]["version"], json!(1));
    // The signed payload is the draft file byte for byte.
    let envelope: Value = serde_json::from_slice(&std::fs::read(&signed).unwrap()).unwrap();
    let payload_bytes = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    assert_eq!(payload_bytes, std::fs::read(t.path("bundle.json")).unwrap());

    // Tamper with the price inside the signed payload.
    let edited = String::from_utf8(payload_bytes)
        .unwrap()
        .replace("0.0720", "0.0010");
    let mut tampered = envelope.clone();
    tampered["payload"] = json!(BASE64.encode(edited.as_bytes()));
    let tampered_path = t.write("tampered.json", &tampered.to_string());
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--state",
            s(&state),
            "--now",
            NOW,
            s(&tampered_path),
        ],
        "bad-signature",
    );
    let unchanged: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(
        unchanged, saved,
        "a refused bundle leaves the state file alone"
    );

    // A lone signature misses the 2-of-2 threshold.
    let keys = t.path("keys");
    let draft2 = t.write("bundle2.json", &payload(2, 1));
    let lone = t.path("lone.json");
    ok(&[
        "sign",
        "--key",
        s(&keys.join("a.key")),
        s(&draft2),
        "-o",
        s(&lone),
    ]);
    refused(
        &["verify", "--root", s(&root), "--now", NOW, s(&lone)],
        "threshold-not-met",
    );
    // Unsigned drafts: refused, unless preview is asked for explicitly.
    refused(
        &["verify", "--root", s(&root), "--now", NOW, s(&draft2)],
        "unsigned",
    );
    let preview = ok(&[
        "verify",
        "--root",
        s(&root),
        "--now",
        NOW,
        "--preview",
        s(&draft2),
    ]);
    assert_eq!(preview["preview"], json!(true));
    // The default clock is the system's; this bundle expires in 2030.
    ok(&["verify", "--root", s(&root), s(&signed)]);
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--now",
            "2030-01-01T00:00:00Z",
            s(&signed),
        ],
        "expired",
    );
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--now",
            NOW,
            "--channel",
            "preview",
            s(&signed),
        ],
        "wrong-channel",
    );
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--now",
            NOW,
            "--max-bytes",
            "100",
            s(&signed),
        ],
        "too-large",
    );
    // A world-readable private key is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key = keys.join("a.key");
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        refused(
            &[
                "sign",
                "--key",
                s(&key),
                s(&draft2),
                "-o",
                s(&t.path("x.json")),
            ],
            "insecure-key-file",
        );
    }
}

#[test]
fn root_rotation_through_the_cli() {
    let (t, root, signed) = signed_setup();
    let keys = t.path("keys");
    ok(&["keygen", "--out", s(&keys), "--name", "c"]);
    let root2 = t.path("root2.json");
    // b is retired; c joins. Old threshold: a, b. New threshold: a, c.
    let summary = ok(&[
        "root",
        "rotate",
        "--from",
        s(&root),
        "--threshold",
        "2",
        "--key",
        s(&keys.join("a.pub")),
        "--key",
        s(&keys.join("c.pub")),
        "--sign",
        s(&keys.join("a.key")),
        "--sign",
        s(&keys.join("b.key")),
        "--sign",
        s(&keys.join("c.key")),
        "-o",
        s(&root2),
    ]);
    assert_eq!(summary["version"], json!(2));
    assert_eq!(summary["keyids"], json!(["a", "c"]));
    // Without the old keys the chain is broken and nothing is written.
    let broken = t.path("broken.json");
    refused(
        &[
            "root",
            "rotate",
            "--from",
            s(&root),
            "--threshold",
            "1",
            "--key",
            s(&keys.join("c.pub")),
            "--sign",
            s(&keys.join("c.key")),
            "-o",
            s(&broken),
        ],
        "root-chain-broken",
    );
    assert!(!broken.exists());

    let state = t.path("state.json");
    ok(&[
        "verify",
        "--root",
        s(&root),
        "--state",
        s(&state),
        "--now",
        NOW,
        s(&signed),
    ]);
    let draft = t.write("v2.json", &payload(2, 2));
    let v2 = t.path("v2.signed.json");
    ok(&[
        "sign",
        "--key",
        s(&keys.join("a.key")),
        "--key",
        s(&keys.join("c.key")),
        s(&draft),
        "-o",
        s(&v2),
    ]);
    // Under root v1 the bundle names a newer root: rotate first.
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--state",
            s(&state),
            "--now",
            NOW,
            s(&v2),
        ],
        "root-outdated",
    );
    let result = ok(&[
        "verify",
        "--root",
        s(&root),
        "--state",
        s(&state),
        "--now",
        NOW,
        "--next-root",
        s(&root2),
        s(&v2),
    ]);
    assert_eq!(result["rootVersion"], json!(2));
    let saved: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(saved["root"]["version"], json!(2));
    // The persisted chain now carries root v2, where the retired key b no longer counts:
    // the v1 bundle signed by a and b misses the threshold (signatures are judged first).
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--state",
            s(&state),
            "--now",
            NOW,
            s(&signed),
        ],
        "threshold-not-met",
    );
    refused(
        &[
            "verify",
            "--root",
            s(&root),
            "--state",
            s(&state),
            "--now",
            NOW,
            "--min-root-version",
            "3",
            s(&v2),
        ],
        "root-too-old",
    );
}
