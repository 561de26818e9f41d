//! The `serve` and `publish` subcommands: argument shapes and their bodies.
//!
//! It owns turning flags into [`ServeOptions`] and printing results and errors (JSON errors on
//! stdout, exit code 1 for refusals, 2 for usage and IO); it must not implement serving.

use crate::serve::config::ServeConfig;
use crate::serve::publish::{publish_with_limit, read_envelope_file, read_header_capped};
use crate::serve::{bind, ServeOptions};
use puhui::ErrorCode;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// `puhui serve`: the pages, the wasm package and the bundles.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Project directory: serves DIR/www at /, DIR/pkg at /pkg/, DIR/www/bundles at /bundles/.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// serve.json: {corsOrigins, frameAncestors, rateLimit: {perSecond, burst}, maxBundleBytes}.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Bundle directory served at /bundles/ (default DIR/www/bundles).
    #[arg(long)]
    pub bundles: Option<PathBuf>,
    /// wasm package directory served at /pkg/ (default DIR/pkg).
    #[arg(long)]
    pub pkg: Option<PathBuf>,
    /// Serve the re-check API: POST /api/v1/{schedule,apr,disclose,subsidy,quote}.
    #[arg(long)]
    pub api: bool,
    /// Pinned trust root the API's quote verifies bundles against (implies --api).
    #[arg(long, value_name = "ROOT.json")]
    pub api_root: Option<PathBuf>,
}

/// `puhui publish`: files a signed bundle under the bundle directory and moves `latest.json`.
#[derive(Debug, Clone, clap::Args)]
pub struct PublishArgs {
    /// Bundle directory (the one `serve` exposes at /bundles/).
    #[arg(long, default_value = "www/bundles")]
    pub bundles: PathBuf,
    /// serve.json, for maxBundleBytes.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// The signed envelope (bundle.signed.json).
    pub envelope: PathBuf,
}

fn fail(err: &dyn ErrorCode, exit: u8) -> ExitCode {
    println!("{}", err.to_api().to_envelope());
    ExitCode::from(exit)
}

fn io_fail(path: &std::path::Path, err: &std::io::Error) -> ExitCode {
    let api = puhui::ApiError::new("io", format!("{}: {err}", path.display()), None);
    println!("{}", api.to_envelope());
    ExitCode::from(2)
}

fn load_config(path: Option<&PathBuf>) -> Result<ServeConfig, ExitCode> {
    let Some(path) = path else {
        return Ok(ServeConfig::default());
    };
    let bytes = std::fs::read(path).map_err(|err| io_fail(path, &err))?;
    ServeConfig::from_json(&bytes).map_err(|err| fail(&err, 2))
}

/// Runs the server until Ctrl-C (or SIGTERM).
pub fn serve(args: &ServeArgs) -> ExitCode {
    let config = match load_config(args.config.as_ref()) {
        Ok(config) => config,
        Err(code) => return code,
    };
    let mut config = config;
    if args.api || args.api_root.is_some() {
        config.api.enabled = true;
    }
    if let Some(root) = &args.api_root {
        config.api.root = Some(root.clone());
    }
    let mut options = ServeOptions::from_dir(&args.dir);
    options.addr = args.addr;
    options.config = config;
    if let Some(bundles) = &args.bundles {
        options.bundles_dir = bundles.clone();
    }
    if let Some(pkg) = &args.pkg {
        options.pkg_dir = pkg.clone();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return io_fail(std::path::Path::new("tokio runtime"), &err),
    };
    runtime.block_on(async move {
        let bound = match bind(options, shutdown_signal()).await {
            Ok(bound) => bound,
            Err(err) => return fail(&err, 2),
        };
        for (prefix, dir, exists) in &bound.roots {
            if !exists {
                eprintln!(
                    "puhui serve: warning: {} does not exist; {prefix} answers 404",
                    dir.display()
                );
            }
        }
        eprintln!(
            "puhui serve: listening on http://{}/ (www {}, pkg {}, bundles {}); Ctrl-C stops",
            bound.addr,
            display_root(&bound.roots, 0),
            display_root(&bound.roots, 1),
            display_root(&bound.roots, 2),
        );
        let result = bound.task.await;
        eprintln!("puhui serve: stopped");
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(2),
        }
    })
}

fn display_root(roots: &[(&'static str, PathBuf, bool)], idx: usize) -> String {
    roots
        .get(idx)
        .map(|(_, dir, _)| dir.display().to_string())
        .unwrap_or_default()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("puhui serve: shutting down");
}

/// Publishes one envelope; prints `{"bundleId", "channel", "version", "path", "sha256",
/// "written", "latestUpdated"}`.
pub fn publish(args: &PublishArgs) -> ExitCode {
    let config = match load_config(args.config.as_ref()) {
        Ok(config) => config,
        Err(code) => return code,
    };
    // Capped read: a 300 MB file is refused after max + 1 bytes, never held whole.
    let bytes = match read_envelope_file(&args.envelope, config.max_bundle_bytes) {
        Ok(bytes) => bytes,
        Err(err) => return fail(&err, 1),
    };
    let header = match read_header_capped(&bytes, config.max_bundle_bytes) {
        Ok(header) => header,
        Err(err) => return fail(&err, 1),
    };
    match publish_with_limit(
        &args.bundles,
        &bytes,
        &header.bundle_id,
        &header.channel,
        header.version,
        config.max_bundle_bytes,
    ) {
        Ok(published) => {
            let summary = serde_json::json!({
                "bundleId": header.bundle_id,
                "channel": header.channel,
                "version": header.version,
                "path": published.path,
                "sha256": published.sha256,
                "written": published.written,
                "latestUpdated": published.latest_updated,
            });
            println!("{summary}");
            ExitCode::SUCCESS
        }
        Err(err) => fail(&err, 1),
    }
}
