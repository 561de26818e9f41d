//! The re-check API: `POST /api/v1/{schedule,apr,disclose,subsidy,quote}`, off unless enabled
//! (`puhui serve --api`, or `"api": {"enabled": true}` in `serve.json`).
//!
//! A lender's back end re-computes what a device showed before booking the loan. The body of
//! each request is exactly the JSON request of the CLI and the wasm package, and the answer is
//! the compact JSON text of `puhui::api::call_text` / `api::quote_text`, byte for byte what
//! wasm returns. `quote` runs against the bundle version named in the query
//! (`?bundleId=…&channel=…&version=N`): the server reads that immutable file from its bundle
//! directory, verifies it against the pinned root given by `--api-root` / `api.root` at the
//! server's clock, and caches the compiled engine; the answer carries the bundle id, version and
//! sha256 (in the quote's `bundle` member and in the `Puhui-Bundle-Version` /
//! `Puhui-Bundle-Sha256` headers).
//!
//! There is no `assess` endpoint, by design: pre-eligibility answers (income, age, debts) never
//! leave the device. Nothing from a request body is ever logged; refusals are typed JSON errors
//! `{"error": {code, message, path?}}` with these statuses: 400 request refused by the engine,
//! 404 `unknown-bundle-version` or `unknown-operation` (whatever the method), 405
//! `method-not-allowed` (any method but `POST`, with `Allow: POST, OPTIONS`), 413 `too-large`
//! (over the engine's request cap, in the very words of the CLI and wasm:
//! [`crate::calc::request_too_large`]) or `body-too-large` (within it, over `api.maxBodyBytes`),
//! 415 `unsupported-media-type`,
//! 422 bundle refused by the verifier (its own code: `signature-invalid`, `expired`, …),
//! 503 `no-trust-root` (quote without a pinned root).
//! It must not compute anything itself, nor verify anything differently from `puhui verify`.

use crate::serve::{guard, App};
use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use puhui::bundle::root::ROOT_MAX_BYTES;
use puhui::bundle::VerifyOptions;
use puhui::engine::Engine;
use puhui::limits::MAX_REQUEST_BYTES;
use puhui::ApiError;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The stateless operations served, besides `quote`.
pub const STATELESS: &[&str] = &["schedule", "apr", "disclose", "subsidy"];
/// Default cap of a request body, in bytes (a 360-period dated-flow request is about 30 KB).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 256 * 1024;
/// Verified engines kept in memory; beyond this the cache is cleared and refilled on demand.
const MAX_CACHED_ENGINES: usize = 64;

const BUNDLE_VERSION: HeaderName = HeaderName::from_static("puhui-bundle-version");
const BUNDLE_SHA256: HeaderName = HeaderName::from_static("puhui-bundle-sha256");

type EngineKey = (String, String, u64);

/// The API's state: the pinned root and the verified engines.
#[derive(Debug)]
pub struct Api {
    root: Option<Vec<u8>>,
    max_body_bytes: usize,
    engines: Mutex<HashMap<EngineKey, Arc<Engine>>>,
}

impl Api {
    /// Reads the pinned root (if configured) once, at start-up.
    pub fn new(root: Option<&std::path::Path>, max_body_bytes: u64) -> Result<Api, ApiError> {
        let root = match root {
            Some(path) => Some(read_capped(path, ROOT_MAX_BYTES)?),
            None => None,
        };
        Ok(Api {
            root,
            max_body_bytes: usize::try_from(max_body_bytes).unwrap_or(usize::MAX),
            engines: Mutex::new(HashMap::new()),
        })
    }
}

fn read_capped(path: &std::path::Path, max: usize) -> Result<Vec<u8>, ApiError> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)
        .map_err(|e| ApiError::new("io", format!("{}: {e}", path.display()), None))?;
    let mut bytes = Vec::new();
    file.take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ApiError::new("io", format!("{}: {e}", path.display()), None))?;
    Ok(bytes)
}

/// Whether `path` is an API path (the guard lets `POST` with a body through for these only).
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/v1/")
}

/// The query of `POST /api/v1/quote`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleQuery {
    bundle_id: Option<String>,
    channel: Option<String>,
    version: Option<String>,
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn refusal(status: StatusCode, error: &ApiError) -> Response {
    json_response(status, error.to_envelope().to_string())
}

/// The refusal of an operation the API does not serve (404: there is no such route);
/// `operation` is `None` for a name that is not UTF-8 once percent-decoded.
fn unknown_operation(operation: Option<&str>) -> Response {
    // `assess` lands here on purpose: pre-eligibility answers never leave the device.
    let named = operation.map_or_else(
        || "the operation name is not utf-8".to_owned(),
        |operation| format!("no operation {operation:?}"),
    );
    refusal(
        StatusCode::NOT_FOUND,
        &ApiError::new(
            "unknown-operation",
            format!("{named}; the api serves schedule, apr, disclose, subsidy and quote"),
            None,
        ),
    )
}

/// Whether the API serves `operation`.
fn is_operation(operation: &str) -> bool {
    operation == "quote" || STATELESS.contains(&operation)
}

/// Every method on `/api/v1/{operation}`: `POST` to an operation the API serves is answered;
/// any other method there is 405 with `Allow: POST, OPTIONS`, and an operation it does not
/// serve is 404 whatever the method (the body is never read for either).
pub async fn handle(
    State(app): State<Arc<App>>,
    operation: Result<Path<String>, PathRejection>,
    query: Result<Query<BundleQuery>, QueryRejection>,
    request: Request,
) -> Response {
    // axum's own rejections are plain text; every refusal here is a typed JSON error. A
    // segment that is not UTF-8 once percent-decoded names no operation.
    let Ok(Path(operation)) = operation else {
        return unknown_operation(None);
    };
    if !is_operation(&operation) {
        return unknown_operation(Some(&operation));
    }
    if request.method() != Method::POST {
        return guard::method_not_allowed(guard::API_METHODS);
    }
    let Ok(Query(query)) = query else {
        return refusal(
            StatusCode::BAD_REQUEST,
            &ApiError::new(
                "invalid-query",
                "the query string is malformed (each of bundleId, channel, version at most once)",
                None,
            ),
        );
    };
    let Some(api) = app.api.as_ref() else {
        return refusal(
            StatusCode::NOT_FOUND,
            &ApiError::new("not-found", "not found", None),
        );
    };
    let is_json = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !is_json {
        return refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &ApiError::new(
                "unsupported-media-type",
                "send the request as content-type: application/json",
                None,
            ),
        );
    }
    // Two caps: the engine's (`MAX_REQUEST_BYTES`, the same at every door: a request over it
    // gets the refusal the CLI and wasm give, `too-large` at `request`) and this server's own
    // (`api.maxBodyBytes`: `body-too-large`, for a request the engine would take).
    let over_server_cap = || {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &ApiError::new(
                "body-too-large",
                format!("request body over {} bytes", api.max_body_bytes),
                None,
            ),
        )
    };
    let over_engine_cap = |at_least: u64| {
        refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &crate::calc::request_too_large(at_least),
        )
    };
    let engine_cap = u64::try_from(MAX_REQUEST_BYTES).unwrap_or(u64::MAX);
    let server_cap = u64::try_from(api.max_body_bytes).unwrap_or(u64::MAX);
    let announced = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match announced {
        Some(length) if length > engine_cap => return over_engine_cap(length),
        Some(length) if length > server_cap => return over_server_cap(),
        _ => {}
    }
    // Read no further than either cap; a body longer than that (chunked) is known to be at
    // least one byte longer.
    let read_cap = api.max_body_bytes.min(MAX_REQUEST_BYTES);
    let body = match axum::body::to_bytes(request.into_body(), read_cap).await {
        Ok(body) => body,
        Err(_) if read_cap == MAX_REQUEST_BYTES => return over_engine_cap(engine_cap + 1),
        Err(_) => return over_server_cap(),
    };
    if operation == "quote" {
        return quote(&app, api, &query, &body);
    }
    match puhui::api::call_text(&operation, &body) {
        Ok(text) => json_response(StatusCode::OK, text),
        Err(error) => refusal(StatusCode::BAD_REQUEST, &error),
    }
}

/// Names as `publish` files them: 1-64 of `A-Z a-z 0-9 . _ -`, not starting with a dot.
fn quote(app: &App, api: &Api, query: &BundleQuery, body: &[u8]) -> Response {
    let engine = match engine_for(app, api, query) {
        Ok(engine) => engine,
        Err(response) => return *response,
    };
    match puhui::api::quote_text(&engine, body) {
        Ok(text) => {
            let mut response = json_response(StatusCode::OK, text);
            let headers = response.headers_mut();
            let bundle = &engine_ref(&engine);
            headers.insert(BUNDLE_VERSION, HeaderValue::from(bundle.0));
            if let Ok(sha) = HeaderValue::from_str(&bundle.1) {
                headers.insert(BUNDLE_SHA256, sha);
            }
            response
        }
        Err(error) => refusal(StatusCode::BAD_REQUEST, &error),
    }
}

fn engine_ref(engine: &Engine) -> (u64, String) {
    let summary = engine.summary();
    (
        summary
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0),
        summary
            .get("sha256")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    )
}

fn engine_for(app: &App, api: &Api, query: &BundleQuery) -> Result<Arc<Engine>, Box<Response>> {
    let bad = |code: &str, message: &str, path: &str| {
        Box::new(refusal(
            StatusCode::BAD_REQUEST,
            &ApiError::new(code, message, Some(path.to_owned())),
        ))
    };
    let Some(root) = api.root.as_ref() else {
        return Err(Box::new(refusal(
            StatusCode::SERVICE_UNAVAILABLE,
            &ApiError::new(
                "no-trust-root",
                "quote needs a pinned trust root (--api-root or api.root in serve.json)",
                None,
            ),
        )));
    };
    let bundle_id = query.bundle_id.as_deref().unwrap_or_default();
    if !puhui::bundle::valid_id(bundle_id) {
        return Err(bad(
            "invalid-bundle-id",
            "give ?bundleId= (1-128 of A-Z a-z 0-9 . _ -, not starting with a dot)",
            "bundleId",
        ));
    }
    let channel = query.channel.as_deref().unwrap_or("production");
    if !puhui::bundle::valid_id(channel) {
        return Err(bad(
            "invalid-channel",
            "channel is 1-128 of A-Z a-z 0-9 . _ -, not starting with a dot",
            "channel",
        ));
    }
    let version = match query.version.as_deref().map(str::parse::<u64>) {
        Some(Ok(version)) if version > 0 => version,
        _ => {
            return Err(bad(
                "invalid-version",
                "give ?version= as a positive integer: a quote is re-checked against the exact bundle version the device used",
                "version",
            ))
        }
    };
    let key = (bundle_id.to_owned(), channel.to_owned(), version);
    if let Ok(cache) = api.engines.lock() {
        if let Some(engine) = cache.get(&key) {
            return Ok(Arc::clone(engine));
        }
    }
    let unknown = || {
        Box::new(refusal(
            StatusCode::NOT_FOUND,
            &ApiError::new(
                "unknown-bundle-version",
                format!("no bundle {bundle_id} version {version} on channel {channel}"),
                Some("version".to_owned()),
            ),
        ))
    };
    let Some(dir) = app.bundles.as_ref() else {
        return Err(unknown());
    };
    let path: PathBuf = dir
        .join(bundle_id)
        .join(channel)
        .join(format!("{version}.json"));
    let max = usize::try_from(app.config.max_bundle_bytes).unwrap_or(usize::MAX);
    let Ok(envelope) = read_capped(&path, max) else {
        return Err(unknown());
    };
    let options = VerifyOptions {
        channel: channel.to_owned(),
        max_bytes: max,
        ..VerifyOptions::default()
    };
    let unverified = |error: &ApiError| {
        Box::new(refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ApiError::new(
                &error.code,
                format!(
                    "bundle {bundle_id} version {version} refused: {}",
                    error.message
                ),
                error.path.clone(),
            ),
        ))
    };
    let options = serde_json::to_vec(&options)
        .map_err(|e| unverified(&ApiError::new("internal", e.to_string(), None)))?;
    let now = puhui::date::fmt_rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
    );
    // A fresh state: the re-check names an exact past version, so rollback does not apply;
    // signatures, thresholds, channel and expiry all do.
    let (engine, _state) = Engine::load(&envelope, root, None, &now, Some(&options))
        .map_err(|error| unverified(&error))?;
    let summary = engine.summary();
    let same = summary.get("bundleId").and_then(serde_json::Value::as_str) == Some(bundle_id)
        && summary.get("version").and_then(serde_json::Value::as_u64) == Some(version);
    if !same {
        return Err(unverified(&ApiError::new(
            "bundle-mismatch",
            "the file's signed header names another bundle or version",
            None,
        )));
    }
    let engine = Arc::new(engine);
    if let Ok(mut cache) = api.engines.lock() {
        if cache.len() >= MAX_CACHED_ENGINES {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&engine));
    }
    Ok(engine)
}
