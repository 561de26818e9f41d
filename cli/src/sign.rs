//! Bundle signing and verification: `puhui sign`, `puhui verify`.
//!
//! `sign` signs the exact bytes of a payload file (never a re-serialization). `verify` runs
//! the core's JSON front door (`puhui::bundle::verify_json`, the same code path as wasm)
//! with the system clock unless `--now` is given, walks any `--next-root` files first, and
//! persists the new state atomically. It must not re-implement any check of the core.

use crate::io::{read_capped, read_state, write_public, write_state};
use crate::keys::read_secret_key;
use clap::Args;
use puhui::bundle::root::ROOT_MAX_BYTES;
use puhui::bundle::strict_json::DEFAULT_MAX_BYTES;
use puhui::bundle::{rotate_root_json, sign_bundle, verify_json, KeyPair, VerifyOptions};
use puhui::{ApiError, ErrorCode};
use serde_json::{json, Value};
use std::path::PathBuf;

/// `puhui sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// Private key files (.key); give one per signer.
    #[arg(long = "key", required = true)]
    pub keys: Vec<PathBuf>,
    /// The bundle payload (JSON with the header fields).
    pub bundle: PathBuf,
    /// Output envelope.
    #[arg(short = 'o', long = "out")]
    pub out: PathBuf,
}

/// `puhui verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The pinned trust root.
    #[arg(long)]
    pub root: PathBuf,
    /// How the bundle is verified.
    #[command(flatten)]
    pub trust: crate::quote::TrustArgs,
    /// Size cap of the envelope in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
    /// Lowest trust root version to accept.
    #[arg(long, default_value_t = 0)]
    pub min_root_version: u64,
    /// Newer roots to rotate to first, in version order (root2.json root3.json ...).
    #[arg(long = "next-root")]
    pub next_roots: Vec<PathBuf>,
    /// The signed bundle envelope.
    pub bundle: PathBuf,
}

/// Signs a payload file's exact bytes with every key.
pub fn sign(args: &SignArgs) -> Result<Value, ApiError> {
    let payload = read_capped(&args.bundle, DEFAULT_MAX_BYTES)?;
    let keys = args
        .keys
        .iter()
        .map(|path| read_secret_key(path))
        .collect::<Result<Vec<KeyPair>, _>>()?;
    let key_refs: Vec<&KeyPair> = keys.iter().collect();
    let envelope = sign_bundle(&payload, &key_refs).map_err(|e| e.to_api())?;
    write_public(&args.out, &envelope, true)?;
    let header: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
    Ok(json!({
        "bundleId": header.get("bundleId"),
        "channel": header.get("channel"),
        "version": header.get("version"),
        "signedBy": keys.iter().map(|k| k.keyid.as_str()).collect::<Vec<_>>(),
        "sha256": puhui::bundle::hex_sha256(&payload),
        "out": args.out.display().to_string(),
    }))
}

/// The system clock as RFC 3339 (the CLI is the only place that reads it).
pub fn now_rfc3339() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        });
    puhui::date::fmt_rfc3339(seconds)
}

/// Verifies a bundle; prints its summary and persists the new state.
pub fn verify(args: &VerifyArgs) -> Result<Value, ApiError> {
    let root = read_capped(&args.root, ROOT_MAX_BYTES)?;
    // Held until the new state is written: read, compare and write as one step.
    let _lock = crate::io::lock_state(args.trust.state.as_deref())?;
    let mut state = read_state(args.trust.state.as_deref())?;
    for next_root in &args.next_roots {
        let next = read_capped(next_root, ROOT_MAX_BYTES)?;
        let rotated = rotate_root_json(&root, state.as_deref(), &next)?;
        state = Some(serde_json::to_vec(&rotated["state"]).map_err(crate::io::internal)?);
    }
    let envelope = read_capped(&args.bundle, args.max_bytes)?;
    let options = VerifyOptions {
        channel: args.trust.channel.clone(),
        max_bytes: args.max_bytes,
        preview_allowed: args.trust.preview,
        min_root_version: args.min_root_version,
        ..VerifyOptions::default()
    };
    let options_json = serde_json::to_vec(&options).map_err(crate::io::internal)?;
    let now = args.trust.now.clone().unwrap_or_else(now_rfc3339);
    let result = verify_json(
        &envelope,
        &root,
        state.as_deref(),
        &now,
        Some(&options_json),
    )?;
    write_state(args.trust.state.as_deref(), &result["state"])?;
    let mut summary = result["summary"].clone();
    if let Some(fields) = summary.as_object_mut() {
        fields.insert("verifiedAt".into(), Value::String(now));
    }
    Ok(summary)
}
