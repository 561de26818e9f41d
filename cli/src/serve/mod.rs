//! `puhui serve`: the web pages, the wasm package and the signed bundles over HTTP/1.1.
//!
//! This module owns the HTTP server: binding, the connection loop, routing and graceful
//! shutdown. Submodules own the configuration file (`config`), request admission and response
//! headers (`guard`), static files and caching (`files`), per-client rate limits (`rate`) and
//! the bundle directory writer (`publish`). It must not verify bundles: clients do, against
//! their pinned trust root; the server is untrusted plumbing, like any CDN.
//!
//! # URL space
//! | URL | source | `Cache-Control` |
//! |---|---|---|
//! | `/healthz` | `{"status":"ok"}` | `no-store` |
//! | `/embed-config.json` | `{"allowedOrigins": [...]}` from `serve.json` `embed` | `no-cache` |
//! | `/pkg/...` | `--pkg` (default `DIR/pkg`, wasm-pack output) | `public, no-cache` |
//! | `/bundles/<id>/<channel>/<N>.json` | `--bundles` (default `DIR/www/bundles`) | `public, max-age=31536000, immutable` |
//! | `/bundles/.../latest.json` and other bundle files | same | `public, no-cache` |
//! | everything else | `DIR/www` (`index.html` for directories) | `no-cache` |
//!
//! Every file answer has a strong `ETag` (the quoted SHA-256 hex of the bytes) and honours
//! `If-None-Match` (lists, weak tags, `*`) with 304.
//!
//! # Bundle directory layout
//! ```text
//! bundles/
//!   <bundleId>/              1-128 of A-Z a-z 0-9 . _ -, not starting with a dot (puhui::limits)
//!     <channel>/             same alphabet (production, preview, ...)
//!       1.json               signed DSSE envelope, exact bytes, never rewritten
//!       2.json
//!       latest.json          {"version": 2, "path": "2.json", "sha256": "<hex of 2.json>"}
//! ```
//! `latest.json`'s `path` is relative to the pointer's URL. The pointer is unsigned: it only
//! tells a client which versioned file to fetch, and the client's persisted highest version
//! makes a lying pointer harmless (rollback refused). Any `<integer>.json` under the bundle
//! directory is served as immutable, so trust-root envelopes may be published the same way
//! (for example `bundles/roots/<version>.json`). Files are written by [`publish::publish`].

pub mod api;
pub mod command;
pub mod config;
pub mod files;
pub mod guard;
pub mod publish;
pub mod rate;

use crate::serve::config::ServeConfig;
use crate::serve::files::{Area, FileCache, Lookup, PathRefusal, MAX_ASSET_BYTES};
use crate::serve::guard::error_response;
use crate::serve::rate::RateLimiter;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG,
    IF_NONE_MATCH, LOCATION, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;
use tower::ServiceExt as _;

/// Time a client has to send a complete request head, also the idle keep-alive limit.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Open connections accepted at once; further connections are closed on accept.
pub const MAX_CONNECTIONS: usize = 1024;
/// Longest life of one connection (bounds a client that stops reading).
pub const MAX_CONNECTION_LIFETIME: Duration = Duration::from_secs(300);
/// How long shutdown waits for in-flight requests.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Where the server reads from and listens.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Served at `/`.
    pub www_dir: PathBuf,
    /// Served at `/pkg/`.
    pub pkg_dir: PathBuf,
    /// Served at `/bundles/`.
    pub bundles_dir: PathBuf,
    /// Listening address; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The validated `serve.json` (or defaults).
    pub config: ServeConfig,
}

impl ServeOptions {
    /// The repository layout under `dir`: `www/`, `pkg/`, `www/bundles/`, on 127.0.0.1:8080.
    pub fn from_dir(dir: &Path) -> ServeOptions {
        ServeOptions {
            www_dir: dir.join("www"),
            pkg_dir: dir.join("pkg"),
            bundles_dir: dir.join("www").join("bundles"),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            config: ServeConfig::default(),
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The re-check API could not start (its pinned root is unreadable).
    #[error("api: {}", .0.message)]
    Api(puhui::ApiError),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl puhui::ErrorCode for ServeError {
    fn code(&self) -> &'static str {
        match self {
            ServeError::Bind { .. } => "bind-failed",
            ServeError::Api(_) => "api-config",
        }
    }
}

/// A running server.
#[derive(Debug)]
pub struct Bound {
    /// The address actually bound (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// Finishes after the shutdown future resolves and connections drain.
    pub task: JoinHandle<()>,
    /// Each served tree: URL prefix, directory, and whether it exists.
    pub roots: Vec<(&'static str, PathBuf, bool)>,
}

/// State shared by every request.
#[derive(Debug)]
pub struct App {
    config: ServeConfig,
    www: Option<PathBuf>,
    pkg: Option<PathBuf>,
    bundles: Option<PathBuf>,
    limiter: RateLimiter,
    cache: FileCache,
    csp: HeaderValue,
    frame_options: Option<HeaderValue>,
    /// CSP of `/embed.html`: `frame-ancestors 'self'` plus `embed.allowedOrigins`.
    embed_csp: HeaderValue,
    embed_frame_options: Option<HeaderValue>,
    /// The re-check API, when enabled.
    api: Option<api::Api>,
}

impl App {
    fn new(options: &ServeOptions, api: Option<api::Api>) -> App {
        let config = options.config.clone();
        // The config was validated, so the CSP holds only keywords and origins; the fallback
        // is the strictest policy rather than a panic.
        let csp = HeaderValue::from_str(&guard::content_security_policy(
            &config.frame_ancestors_source_list(),
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
        let embed_csp = HeaderValue::from_str(&guard::content_security_policy(
            &config.embed_frame_ancestors_source_list(),
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"));
        let embed_sources: Vec<String> = std::iter::once("'self'".to_owned())
            .chain(config.embed.allowed_origins.iter().cloned())
            .collect();
        App {
            www: canonical_dir(&options.www_dir),
            pkg: canonical_dir(&options.pkg_dir),
            bundles: canonical_dir(&options.bundles_dir),
            limiter: RateLimiter::new(config.rate_limit),
            cache: FileCache::default(),
            csp,
            frame_options: guard::frame_options(&config.frame_ancestors),
            embed_csp,
            embed_frame_options: guard::frame_options(&embed_sources),
            api,
            config,
        }
    }

    /// Exact match against the allow-list (origins are stored lowercase, as browsers send).
    fn cors_allows(&self, origin: &HeaderValue) -> bool {
        self.config
            .cors_origins
            .iter()
            .any(|allowed| allowed.as_bytes() == origin.as_bytes())
    }
}

fn canonical_dir(dir: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(dir).ok().filter(|path| path.is_dir())
}

/// The axum router with the guard applied to every route.
pub fn router(app: Arc<App>) -> Router {
    // Each route answers the methods it does not take itself (405 with its `Allow`); a path
    // no route or file matches is 404 whatever the method (`static_files`).
    let routes = Router::new()
        .route("/healthz", get(healthz).fallback(file_methods_only))
        .route(
            "/embed-config.json",
            get(embed_config).fallback(file_methods_only),
        );
    let routes = if app.api.is_some() {
        routes.route("/api/v1/{operation}", axum::routing::any(api::handle))
    } else {
        routes
    };
    routes
        .fallback(static_files)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            guard::guard,
        ))
        .with_state(app)
}

/// Any method but `GET` and `HEAD` on `/healthz` and `/embed-config.json`.
async fn file_methods_only() -> Response {
    guard::method_not_allowed(guard::FILE_METHODS)
}

async fn healthz() -> Response {
    let mut response = Response::new(Body::from(r#"{"status":"ok"}"#));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What the embed frame needs from the server's config: the origins it may talk to.
async fn embed_config(State(app): State<Arc<App>>) -> Response {
    let mut response = Response::new(Body::from(app.config.embed_config_json()));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn static_files(State(app): State<Arc<App>>, request: Request) -> Response {
    let raw_path = request.uri().path();
    let (area, rest) = if let Some(rest) = raw_path.strip_prefix("/pkg/") {
        (Area::Pkg, rest)
    } else if let Some(rest) = raw_path.strip_prefix("/bundles/") {
        (Area::Bundles, rest)
    } else {
        (Area::Www, raw_path.strip_prefix('/').unwrap_or(raw_path))
    };
    let safe = match files::safe_path(rest) {
        Ok(safe) => safe,
        Err(PathRefusal::Malformed) => {
            return error_response(StatusCode::BAD_REQUEST, "bad-path", "path refused")
        }
        Err(PathRefusal::Hidden) => return not_found(),
    };
    let (root, max_bytes) = match area {
        Area::Www => (app.www.clone(), MAX_ASSET_BYTES),
        Area::Pkg => (app.pkg.clone(), MAX_ASSET_BYTES),
        Area::Bundles => (app.bundles.clone(), app.config.max_bundle_bytes),
    };
    let Some(root) = root else {
        return not_found();
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        // Another method on a file is 405; on nothing, 404 (never read: only looked up).
        let exists =
            tokio::task::spawn_blocking(move || files::exists(&root, &safe, area == Area::Www))
                .await
                .unwrap_or(false);
        return if exists {
            guard::method_not_allowed(guard::FILE_METHODS)
        } else {
            not_found()
        };
    }
    let lookup_app = Arc::clone(&app);
    let accepted = files::negotiate(
        request
            .headers()
            .get_all(ACCEPT_ENCODING)
            .iter()
            .map(HeaderValue::as_bytes),
    );
    // One hop to the blocking pool covers canonicalize, stat and (on a cache miss) the read.
    let lookup = tokio::task::spawn_blocking(move || {
        lookup_app
            .cache
            .lookup_negotiated(&root, &safe, area == Area::Www, max_bytes, &accepted)
    })
    .await;
    match lookup {
        Ok(Lookup::Found(loaded)) => file_response(&request, area, loaded),
        Ok(Lookup::AddSlash) => {
            let location = format!("{raw_path}/");
            match HeaderValue::from_str(&location) {
                Ok(location) => {
                    let mut response = Response::new(Body::empty());
                    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
                    response.headers_mut().insert(LOCATION, location);
                    response
                }
                Err(_) => not_found(),
            }
        }
        Ok(Lookup::NotFound) => not_found(),
        Ok(Lookup::TooLarge) => {
            eprintln!("puhui serve: {raw_path} exceeds the size cap ({max_bytes} bytes)");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "file-too-large",
                "file exceeds the server's size cap",
            )
        }
        Ok(Lookup::Io(err)) => {
            eprintln!("puhui serve: reading {raw_path}: {err}");
            internal_error()
        }
        Err(_) => internal_error(),
    }
}

fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "not-found", "not found")
}

fn internal_error() -> Response {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "internal error",
    )
}

fn file_response(request: &Request, area: Area, loaded: files::Loaded) -> Response {
    let cache_control = HeaderValue::from_static(files::cache_control(area, &loaded.path));
    let not_modified = request
        .headers()
        .get_all(IF_NONE_MATCH)
        .iter()
        .any(|value| files::if_none_match_matches(value.as_bytes(), loaded.etag.as_bytes()));
    // Any file may have precompressed siblings: caches must key on Accept-Encoding.
    let vary = HeaderValue::from_static("Accept-Encoding");
    if not_modified {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        let headers = response.headers_mut();
        headers.insert(ETAG, loaded.etag);
        headers.insert(CACHE_CONTROL, cache_control);
        headers.append(VARY, vary);
        return response;
    }
    let length = HeaderValue::from(loaded.bytes.len());
    let body = if request.method() == Method::HEAD {
        Body::empty()
    } else {
        Body::from(loaded.bytes)
    };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(files::content_type(&loaded.path)),
    );
    headers.insert(CONTENT_LENGTH, length);
    if loaded.encoding != files::Encoding::Identity {
        headers.insert(
            CONTENT_ENCODING,
            HeaderValue::from_static(loaded.encoding.token()),
        );
    }
    headers.insert(ETAG, loaded.etag);
    headers.insert(CACHE_CONTROL, cache_control);
    headers.append(VARY, vary);
    response
}

/// Binds `options.addr` and serves until `shutdown` resolves, then drains connections for at
/// most [`SHUTDOWN_GRACE`]. Tests bind `127.0.0.1:0` and pass `std::future::pending()`.
pub async fn bind<F>(options: ServeOptions, shutdown: F) -> Result<Bound, ServeError>
where
    F: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind(options.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: options.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServeError::Bind {
        addr: options.addr,
        source,
    })?;
    let api = if options.config.api.enabled {
        Some(
            api::Api::new(
                options.config.api.root.as_deref(),
                options.config.api.max_body_bytes,
            )
            .map_err(ServeError::Api)?,
        )
    } else {
        None
    };
    let app = Arc::new(App::new(&options, api));
    // Show canonical paths when they exist: the log line then says exactly what is served.
    let shown = |canonical: &Option<PathBuf>, given: &PathBuf| {
        (
            canonical.clone().unwrap_or_else(|| given.clone()),
            canonical.is_some(),
        )
    };
    let (www, www_exists) = shown(&app.www, &options.www_dir);
    let (pkg, pkg_exists) = shown(&app.pkg, &options.pkg_dir);
    let (bundles, bundles_exist) = shown(&app.bundles, &options.bundles_dir);
    let roots = vec![
        ("/", www, www_exists),
        ("/pkg/", pkg, pkg_exists),
        ("/bundles/", bundles, bundles_exist),
    ];
    let canned = Arc::new(guard::CannedRefusals::new(&app));
    let router = router(app);
    let task = tokio::spawn(accept_loop(listener, router, canned, shutdown));
    Ok(Bound { addr, task, roots })
}

async fn accept_loop<F>(
    listener: TcpListener,
    router: Router,
    canned: Arc<guard::CannedRefusals>,
    shutdown: F,
) where
    F: Future<Output = ()> + Send + 'static,
{
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        // hyper's bounds sit above the guard's, so the guard's JSON 414/431 answers first;
        // past them hyper refuses and `RefusalRewriter` gives its answer the same shape.
        .max_header_size(4 * guard::MAX_HEADER_BYTES)
        .max_buf_size(128 * 1024)
        .writev(false)
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Usually out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
            let mut request = request.map(Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        // hyper's own refusals (400/414/431) leave with the JSON shape and security headers.
        let stream = guard::RefusalRewriter::new(stream, Arc::clone(&canned));
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = tokio::time::timeout(MAX_CONNECTION_LIFETIME, connection).await;
            drop(permit);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
