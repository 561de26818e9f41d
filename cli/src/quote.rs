//! Bundle-driven commands: `puhui lint` (a draft's diagnostics) and `puhui quote` (verify a
//! signed bundle, then quote one request from it).
//!
//! `quote` verifies through the same core path as `puhui verify` and the wasm `Engine.load`
//! (`puhui::engine::Engine::load`), with the system clock unless `--now` is given, persists the
//! new state atomically when `--state` is given, and prints the engine's own JSON. It must not
//! re-implement any check or figure of the core.

use crate::io::{read_capped, read_state, write_state};
use clap::Args;
use puhui::bundle::root::ROOT_MAX_BYTES;
use puhui::bundle::strict_json::DEFAULT_MAX_BYTES;
use puhui::bundle::VerifyOptions;
use puhui::engine::Engine;
use puhui::lint::{lint, LintReport};
use puhui::ApiError;
use std::path::{Path, PathBuf};

/// `puhui lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The draft bundle payload (JSON with the header fields).
    pub bundle: PathBuf,
}

/// `puhui quote`.
#[derive(Debug, Args)]
pub struct QuoteArgs {
    /// The signed bundle envelope.
    #[arg(long)]
    pub bundle: PathBuf,
    /// The pinned trust root.
    #[arg(long)]
    pub root: PathBuf,
    /// How the bundle is verified.
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Quote request JSON file, or - for stdin; with `--batch`, JSON lines.
    pub request: String,
    /// Quote every line of REQUEST (JSON lines in, one compact quote or
    /// `{"error":…,"line":n}` line out, in order; progress on a terminal's stderr).
    #[arg(long)]
    pub batch: bool,
}

/// Verification settings shared by every command that reads a signed bundle
/// (`verify`, `quote`, `assess --bundle`, `score --bundle`).
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Persisted state: read if it exists, replaced on success.
    #[arg(long)]
    pub state: Option<PathBuf>,
    /// Verification time, RFC 3339 (default: the system clock).
    #[arg(long)]
    pub now: Option<String>,
    /// The client's channel.
    #[arg(long, default_value = "production")]
    pub channel: String,
    /// Accept an unsigned draft; every output says `preview: true` (never in production).
    #[arg(long)]
    pub preview: bool,
}

impl TrustArgs {
    /// The bundle source these settings describe for a bundle and a pinned root.
    pub fn source<'a>(&'a self, bundle: &'a Path, root: &'a Path) -> BundleSource<'a> {
        BundleSource {
            bundle,
            root,
            state: self.state.as_deref(),
            now: self.now.as_deref(),
            channel: &self.channel,
            preview: self.preview,
        }
    }
}

/// Lints a draft; `Ok` carries the report's compact JSON (the studio's `lint` text) and
/// whether it has no errors.
pub fn run_lint(args: &LintArgs) -> Result<(String, bool), ApiError> {
    let payload = read_capped(&args.bundle, DEFAULT_MAX_BYTES)?;
    let report = LintReport::new(lint(&payload));
    let text = serde_json::to_string(&report).map_err(crate::io::internal)?;
    Ok((text, report.ok))
}

/// Where the bundle comes from and how it is verified (shared by `quote` and `assess`).
pub struct BundleSource<'a> {
    /// Signed envelope path.
    pub bundle: &'a Path,
    /// Pinned root path.
    pub root: &'a Path,
    /// State file, read if present and replaced on success.
    pub state: Option<&'a Path>,
    /// RFC 3339 or the system clock.
    pub now: Option<&'a str>,
    /// Client channel.
    pub channel: &'a str,
    /// Preview opt-in.
    pub preview: bool,
}

/// Verifies and compiles a bundle; persists the new state when a state file is given.
pub fn load_engine(source: &BundleSource<'_>) -> Result<Engine, ApiError> {
    let root = read_capped(source.root, ROOT_MAX_BYTES)?;
    // Held until the new state is written: read, compare and write as one step.
    let _lock = crate::io::lock_state(source.state)?;
    let state = read_state(source.state)?;
    let envelope = read_capped(source.bundle, DEFAULT_MAX_BYTES)?;
    let options = VerifyOptions {
        channel: source.channel.to_owned(),
        preview_allowed: source.preview,
        ..VerifyOptions::default()
    };
    let options_json = serde_json::to_vec(&options).map_err(crate::io::internal)?;
    let now = source
        .now
        .map_or_else(crate::sign::now_rfc3339, str::to_owned);
    let (engine, new_state) = Engine::load(
        &envelope,
        &root,
        state.as_deref(),
        &now,
        Some(&options_json),
    )?;
    write_state(source.state, &new_state)?;
    Ok(engine)
}

/// Verifies the bundle and quotes the request: the text of `puhui::api::quote_text`.
pub fn run_quote(args: &QuoteArgs) -> Result<String, ApiError> {
    let request = puhui_cli::calc::read_request(Path::new(&args.request))?;
    let engine = load_engine(&args.trust.source(&args.bundle, &args.root))?;
    puhui::api::quote_text(&engine, &request)
}

/// Verifies the bundle and assesses one applicant with its `preEligibility` model: the text of
/// `puhui::api::assess_text`.
pub fn run_assess(source: &BundleSource<'_>, applicant: &[u8]) -> Result<String, ApiError> {
    let engine = load_engine(source)?;
    puhui::api::assess_text(&engine, applicant)
}

/// `puhui quote --batch`: verifies the bundle once, then quotes every JSON line.
pub fn run_quote_batch(args: &QuoteArgs) -> std::process::ExitCode {
    let engine = match load_engine(&args.trust.source(&args.bundle, &args.root)) {
        Ok(engine) => engine,
        Err(error) => {
            crate::calc_print_error(&error);
            return std::process::ExitCode::FAILURE;
        }
    };
    let input = Path::new(&args.request);
    crate::score::run_batch("quote", "quoted", Some(input), |line, out| {
        let text = puhui::api::quote_text(&engine, line)?;
        out.extend_from_slice(text.as_bytes());
        Ok(())
    })
}
