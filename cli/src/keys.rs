//! Key files and trust roots: `puhui keygen`, `puhui root new`, `puhui root rotate`.
//!
//! This is the only place private keys touch a disk. Key file formats (JSON, one object):
//! - `KEYID.key` (mode 0600): `{"keyid": "...", "alg": "ed25519", "secret": "<base64 of the
//!   32-byte Ed25519 seed>"}`
//! - `KEYID.pub`: `{"keyid": "...", "alg": "ed25519", "public": "<base64 of the 32-byte
//!   public key>"}`
//!
//! Secrets are drawn from the OS (getrandom), never printed, wiped from memory after use,
//! and a `.key` file readable by group or others is refused. Root building and checking is
//! the core's (`puhui::bundle::root`); this module only reads and writes files.

use crate::io::{self, io_error, write_new_private, write_public};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use clap::{Args, Subcommand};
use puhui::bundle::root::{rotate_root, sign_root, valid_keyid};
use puhui::bundle::verify::root_summary;
use puhui::bundle::{KeyPair, RootKey, RootPayload, TrustedRoot};
use puhui::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// `puhui keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Directory for KEYID.key and KEYID.pub (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Key id, 1-64 of [A-Za-z0-9._-].
    #[arg(long)]
    pub name: String,
}

/// `puhui root ...`.
#[derive(Debug, Subcommand)]
pub enum RootCommand {
    /// Create a self-signed trust root (version 1 unless --version says otherwise).
    New(RootNewArgs),
    /// Create root N+1, signed by a threshold of root N's keys and of its own keys.
    Rotate(RootRotateArgs),
}

/// `puhui root new`.
#[derive(Debug, Args)]
pub struct RootNewArgs {
    /// Distinct keys that must sign bundles and the next root.
    #[arg(long)]
    pub threshold: u32,
    /// Expiry of this root, RFC 3339.
    #[arg(long)]
    pub expires: String,
    /// Root version.
    #[arg(long, default_value_t = 1)]
    pub version: u64,
    /// Public key files (.pub) of the trusted keys.
    #[arg(long = "key", required = true)]
    pub keys: Vec<PathBuf>,
    /// Private key files (.key) that sign the root.
    #[arg(long = "sign", required = true)]
    pub signers: Vec<PathBuf>,
    /// Output file.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

/// `puhui root rotate`.
#[derive(Debug, Args)]
pub struct RootRotateArgs {
    /// The current root (version N).
    #[arg(long)]
    pub from: PathBuf,
    /// Threshold of the new root.
    #[arg(long)]
    pub threshold: u32,
    /// Expiry of the new root, RFC 3339 (default: the current root's expiry).
    #[arg(long)]
    pub expires: Option<String>,
    /// Public key files (.pub) of the new root's keys.
    #[arg(long = "key", required = true)]
    pub keys: Vec<PathBuf>,
    /// Private key files (.key): a threshold of the old root's and of the new root's keys.
    #[arg(long = "sign", required = true)]
    pub signers: Vec<PathBuf>,
    /// Output file.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SecretKeyFile {
    keyid: String,
    alg: String,
    secret: String,
}

/// The `.pub` file form.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicKeyFile {
    keyid: String,
    alg: String,
    public: String,
}

fn bad_key(path: &Path, reason: &str) -> ApiError {
    ApiError::new(
        "invalid-key-file",
        format!("{}: {reason}", path.display()),
        None,
    )
}

/// Generates a key pair into `DIR/KEYID.key` (0600) and `DIR/KEYID.pub`.
pub fn keygen(args: &KeygenArgs) -> Result<Value, ApiError> {
    if !valid_keyid(&args.name) {
        return Err(ApiError::new(
            "invalid-request",
            "key id must be 1-64 of [A-Za-z0-9._-] and not start with a dot",
            Some("name".into()),
        ));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| io_error(&args.out, &e))?;
    let secret_path = args.out.join(format!("{}.key", args.name));
    let public_path = args.out.join(format!("{}.pub", args.name));
    if public_path.exists() {
        return Err(ApiError::new(
            "file-exists",
            format!("{} already exists", public_path.display()),
            None,
        ));
    }
    let mut seed = Zeroizing::new([0u8; 32]);
    getrandom::getrandom(seed.as_mut())
        .map_err(|e| ApiError::new("no-randomness", format!("os randomness failed: {e}"), None))?;
    let pair = KeyPair::from_seed(&args.name, &seed);
    let secret_file = SecretKeyFile {
        keyid: args.name.clone(),
        alg: "ed25519".into(),
        secret: BASE64.encode(seed.as_ref()),
    };
    let mut secret_json =
        Zeroizing::new(serde_json::to_vec_pretty(&secret_file).map_err(io::internal)?);
    secret_json.push(b'\n');
    let mut secret_text = secret_file.secret;
    // The secret string is wiped as soon as it has been serialized.
    zeroize::Zeroize::zeroize(&mut secret_text);
    write_new_private(&secret_path, &secret_json)?;
    let public_file = PublicKeyFile {
        keyid: args.name.clone(),
        alg: "ed25519".into(),
        public: pair.public_base64(),
    };
    let mut public_json = serde_json::to_vec_pretty(&public_file).map_err(io::internal)?;
    public_json.push(b'\n');
    write_public(&public_path, &public_json, false)?;
    Ok(json!({
        "keyid": args.name,
        "alg": "ed25519",
        "public": public_file.public,
        "privateKeyFile": secret_path.display().to_string(),
        "publicKeyFile": public_path.display().to_string(),
    }))
}

/// Reads a `.key` file; refuses one that group or others may read.
pub fn read_secret_key(path: &Path) -> Result<KeyPair, ApiError> {
    check_private_mode(path)?;
    let bytes = Zeroizing::new(std::fs::read(path).map_err(|e| io_error(path, &e))?);
    let file: SecretKeyFile = serde_json::from_slice(&bytes)
        .map_err(|_| bad_key(path, "not a puhui private key file"))?;
    let secret = Zeroizing::new(file.secret);
    if file.alg != "ed25519" || !valid_keyid(&file.keyid) {
        return Err(bad_key(path, "unsupported alg or invalid key id"));
    }
    let decoded = Zeroizing::new(
        BASE64
            .decode(secret.as_bytes())
            .map_err(|_| bad_key(path, "secret is not base64"))?,
    );
    let seed: Zeroizing<[u8; 32]> = Zeroizing::new(
        decoded
            .as_slice()
            .try_into()
            .map_err(|_| bad_key(path, "secret is not 32 bytes"))?,
    );
    Ok(KeyPair::from_seed(&file.keyid, &seed))
}

#[cfg(unix)]
fn check_private_mode(path: &Path) -> Result<(), ApiError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = std::fs::metadata(path)
        .map_err(|e| io_error(path, &e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(ApiError::new(
            "insecure-key-file",
            format!(
                "{} is readable by others (mode {:o}); chmod 600 it",
                path.display(),
                mode & 0o777
            ),
            None,
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private_mode(_path: &Path) -> Result<(), ApiError> {
    Ok(())
}

/// Reads a `.pub` file into its key id and root entry.
pub fn read_public_key(path: &Path) -> Result<(String, RootKey), ApiError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(path, &e))?;
    let file: PublicKeyFile =
        serde_json::from_slice(&bytes).map_err(|_| bad_key(path, "not a puhui public key file"))?;
    Ok((
        file.keyid,
        RootKey {
            alg: file.alg,
            public: file.public,
        },
    ))
}

fn root_payload(
    version: u64,
    threshold: u32,
    expires_at: String,
    key_files: &[PathBuf],
) -> Result<RootPayload, ApiError> {
    let mut keys = BTreeMap::new();
    for path in key_files {
        let (keyid, key) = read_public_key(path)?;
        if keys.insert(keyid.clone(), key).is_some() {
            return Err(bad_key(path, &format!("key id {keyid:?} given twice")));
        }
    }
    Ok(RootPayload {
        version,
        expires_at,
        threshold,
        keys: keys.into_iter().collect(),
    })
}

fn read_signers(paths: &[PathBuf]) -> Result<Vec<KeyPair>, ApiError> {
    paths.iter().map(|path| read_secret_key(path)).collect()
}

/// `puhui root new`: builds, signs and self-checks a root.
pub fn root_new(args: &RootNewArgs) -> Result<Value, ApiError> {
    let payload = root_payload(
        args.version,
        args.threshold,
        args.expires.clone(),
        &args.keys,
    )?;
    let signers = read_signers(&args.signers)?;
    let signer_refs: Vec<&KeyPair> = signers.iter().collect();
    let bytes = sign_root(&payload, &signer_refs).map_err(|e| e.to_api())?;
    let root = TrustedRoot::from_pinned(&bytes).map_err(|e| e.to_api())?;
    write_public(&args.out, &bytes, true)?;
    Ok(root_summary(&root))
}

/// `puhui root rotate`: builds root N+1 and checks it chains from root N.
pub fn root_rotate(args: &RootRotateArgs) -> Result<Value, ApiError> {
    let from_bytes = std::fs::read(&args.from).map_err(|e| io_error(&args.from, &e))?;
    let current = TrustedRoot::from_pinned(&from_bytes).map_err(|e| e.to_api())?;
    let expires = args
        .expires
        .clone()
        .unwrap_or_else(|| current.payload().expires_at.clone());
    let version = current.version().checked_add(1).ok_or_else(|| {
        ApiError::new(
            "invalid-root",
            "root version overflow",
            Some("version".into()),
        )
    })?;
    let payload = root_payload(version, args.threshold, expires, &args.keys)?;
    let signers = read_signers(&args.signers)?;
    let signer_refs: Vec<&KeyPair> = signers.iter().collect();
    let bytes = sign_root(&payload, &signer_refs).map_err(|e| e.to_api())?;
    let next = rotate_root(&current, &bytes).map_err(|e| e.to_api())?;
    write_public(&args.out, &bytes, true)?;
    Ok(root_summary(&next))
}
