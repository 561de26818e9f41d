//! The middleware every request passes before any file is touched, and the headers every
//! response leaves with.
//!
//! Order: rate limit (429) → request-target and header size (414/431) → no body on `GET`,
//! `HEAD` and `OPTIONS` outside the API (413) → `OPTIONS` answered here (CORS preflight 204/403
//! or a plain `Allow`) → the route. A method a route does not take is the route's to refuse
//! (405 with its `Allow`, [`method_not_allowed`]; 404 when there is no such route), so an
//! unknown path is never a 405; no route reads the body of a method it refuses.
//! Then on every response, including refusals: security headers, `Vary: Origin`, and the CORS
//! headers when the `Origin` is on the allow-list. It must not map paths to files.

use crate::serve::rate::retry_after_seconds;
use crate::serve::App;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, ORIGIN, REFERRER_POLICY, RETRY_AFTER, TRANSFER_ENCODING, VARY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

/// Longest request-target accepted (path and query), in bytes.
pub const MAX_URI_BYTES: usize = 4096;
/// Largest header section accepted, in bytes (hyper enforces the same bound while parsing).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Methods the files, `/healthz` and `/embed-config.json` take.
pub const FILE_METHODS: &str = "GET, HEAD, OPTIONS";
/// Methods the re-check API's operations take.
pub const API_METHODS: &str = "POST, OPTIONS";
/// Methods a CORS preflight may ask for.
const CORS_METHODS: &str = "GET, HEAD";
/// Request headers a cross-origin caller may send: the loader revalidates with `If-None-Match`.
const CORS_REQUEST_HEADERS: &[&str] = &["if-none-match"];
/// How long browsers may cache a preflight (Chromium caps at 7200 s).
const CORS_MAX_AGE_SECONDS: &str = "7200";
/// Response headers a cross-origin caller may read beyond the safelisted ones.
const CORS_EXPOSE_HEADERS: &str = "ETag, Retry-After";

const CROSS_ORIGIN_RESOURCE_POLICY: HeaderName =
    HeaderName::from_static("cross-origin-resource-policy");
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// The CSP for every response; `frame-ancestors` comes from the config.
///
/// Scripts only from this origin plus `'wasm-unsafe-eval'`, which `WebAssembly.instantiate`
/// needs and which does not allow `eval`. No inline script or style.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    )
}

/// `X-Frame-Options` for browsers without `frame-ancestors`, when it can say the same thing.
pub fn frame_options(frame_ancestors: &[String]) -> Option<HeaderValue> {
    match frame_ancestors {
        [] => Some(HeaderValue::from_static("DENY")),
        [only] if only == "'none'" => Some(HeaderValue::from_static("DENY")),
        [only] if only == "'self'" => Some(HeaderValue::from_static("SAMEORIGIN")),
        _ => None,
    }
}

/// A JSON error response `{"error": {"code", "message"}}` that is never cached.
pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = puhui::ApiError::new(code, message, None)
        .to_envelope()
        .to_string();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The refusal of a method a route does not take: 405, the JSON error shape and the route's
/// `Allow` ([`FILE_METHODS`] or [`API_METHODS`]).
pub fn method_not_allowed(allow: &'static str) -> Response {
    let mut response = error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        &format!("method not allowed here; this resource takes {allow}"),
    );
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

/// The middleware (see the module docs for the order of checks).
pub async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let origin = request.headers().get(ORIGIN).cloned();
    // `/embed.html` is the one page partners may frame (its CSP lists `embed.allowedOrigins`).
    let embed_page = request.uri().path() == EMBED_PAGE;
    let allowed_origin = origin.filter(|origin| app.cors_allows(origin));
    let mut response = match refusal(&app, &request) {
        Some(refusal) => refusal,
        None if request.method() == Method::OPTIONS => {
            let allow = if is_api_request(&app, &request) {
                API_METHODS
            } else {
                FILE_METHODS
            };
            options(request.headers(), allowed_origin.is_some(), allow)
        }
        None => next.run(request).await,
    };
    // A refused preflight carries no CORS headers at all.
    let cors_origin =
        allowed_origin.filter(|_| response.extensions().get::<PreflightRefused>().is_none());
    decorate(&app, &mut response, cors_origin, embed_page);
    response
}

/// The partner embed page, framed by the origins of `embed.allowedOrigins`.
pub const EMBED_PAGE: &str = "/embed.html";

/// Rate limit, sizes, method and body: the refusal, if any.
fn refusal(app: &App, request: &Request) -> Option<Response> {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        if let Err(wait) = app.limiter.check(peer.ip(), Instant::now()) {
            let mut response = error_response(
                StatusCode::TOO_MANY_REQUESTS,
                "rate-limited",
                "too many requests from this address",
            );
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(retry_after_seconds(wait)));
            return Some(response);
        }
    }
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if uri_bytes > MAX_URI_BYTES {
        return Some(error_response(
            StatusCode::URI_TOO_LONG,
            "uri-too-long",
            "request target too long",
        ));
    }
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Some(error_response(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers-too-large",
            "request headers too large",
        ));
    }
    let method = request.method();
    // The re-check API (when enabled) takes POST with a JSON body, which serve/api.rs caps; its
    // routes refuse every other method themselves, reading no body.
    if is_api_request(app, request) && method != Method::OPTIONS {
        return None;
    }
    // A method no file takes goes to its route, which answers 405 or 404 without reading a body.
    if method != Method::GET && method != Method::HEAD && method != Method::OPTIONS {
        return None;
    }
    if has_body(request.headers()) {
        return Some(error_response(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-not-allowed",
            "requests must not carry a body",
        ));
    }
    None
}

/// Whether the request is for the re-check API (enabled, and a path under `/api/v1/`).
fn is_api_request(app: &App, request: &Request) -> bool {
    app.api.is_some() && super::api::is_api_path(request.uri().path())
}

/// A request body is announced by a non-zero `Content-Length` or any `Transfer-Encoding`.
fn has_body(headers: &HeaderMap) -> bool {
    headers.contains_key(TRANSFER_ENCODING)
        || headers
            .get_all(CONTENT_LENGTH)
            .iter()
            .any(|value| value.as_bytes() != b"0")
}

/// `OPTIONS`: a CORS preflight when `Origin` and `Access-Control-Request-Method` are present,
/// otherwise a plain answer listing the methods the path takes (`allow`). Cross-origin callers
/// may only read files: the API is for a lender's back end, not for a partner's page.
fn options(headers: &HeaderMap, origin_allowed: bool, allow: &'static str) -> Response {
    let Some(requested_method) = headers.get(ACCESS_CONTROL_REQUEST_METHOD) else {
        let mut response = empty(StatusCode::NO_CONTENT);
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static(allow));
        return response;
    };
    if !headers.contains_key(ORIGIN) || !origin_allowed {
        return refuse_preflight("origin not allowed");
    }
    if !matches!(requested_method.as_bytes(), b"GET" | b"HEAD") {
        return refuse_preflight("method not allowed cross-origin");
    }
    let requested_headers_ok =
        headers
            .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
            .iter()
            .all(|value| {
                value.to_str().is_ok_and(|list| {
                    list.split(',')
                        .map(str::trim)
                        .filter(|name| !name.is_empty())
                        .all(|name| {
                            CORS_REQUEST_HEADERS
                                .iter()
                                .any(|allowed| allowed.eq_ignore_ascii_case(name))
                        })
                })
            });
    if !requested_headers_ok {
        return refuse_preflight("request header not allowed cross-origin");
    }
    let mut response = empty(StatusCode::NO_CONTENT);
    let out = response.headers_mut();
    out.insert(
        ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(CORS_METHODS),
    );
    out.insert(
        ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("If-None-Match"),
    );
    out.insert(
        ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static(CORS_MAX_AGE_SECONDS),
    );
    out.append(
        VARY,
        HeaderValue::from_static("Access-Control-Request-Method, Access-Control-Request-Headers"),
    );
    response
}

/// Marks a refused preflight so no CORS header is added to it.
#[derive(Debug, Clone, Copy)]
struct PreflightRefused;

fn refuse_preflight(message: &str) -> Response {
    let mut response = error_response(StatusCode::FORBIDDEN, "cors-refused", message);
    response.extensions_mut().insert(PreflightRefused);
    response
}

/// Adds the headers every response carries.
fn decorate(
    app: &App,
    response: &mut Response,
    allowed_origin: Option<HeaderValue>,
    embed_page: bool,
) {
    let headers = response.headers_mut();
    let (csp, frame_options) = if embed_page {
        (&app.embed_csp, &app.embed_frame_options)
    } else {
        (&app.csp, &app.frame_options)
    };
    headers.insert(CONTENT_SECURITY_POLICY, csp.clone());
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        CROSS_ORIGIN_RESOURCE_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        PERMISSIONS_POLICY,
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    if let Some(frame_options) = frame_options {
        headers.insert(X_FRAME_OPTIONS, frame_options.clone());
    }
    // Responses differ by Origin whenever an allow-list exists; say so on all of them so a
    // shared cache never hands one origin's CORS answer to another.
    headers.append(VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = allowed_origin {
        headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(CORS_EXPOSE_HEADERS),
        );
    }
}

/// The bytes of a refusal hyper itself sends before any handler runs (a malformed request
/// head: 400; an over-long URI: 414; an over-large head: 431), rebuilt here with the JSON
/// error shape and every header the guard adds to its own answers, so no answer is bare.
#[derive(Debug, Clone)]
pub struct CannedRefusals {
    by_status: Vec<(u16, Vec<u8>)>,
}

impl CannedRefusals {
    /// The three refusals for this server's headers.
    pub fn new(app: &App) -> CannedRefusals {
        let cases = [
            (StatusCode::BAD_REQUEST, "bad-request", "malformed request"),
            (
                StatusCode::URI_TOO_LONG,
                "uri-too-long",
                "request target too long",
            ),
            (
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers-too-large",
                "request header section too large",
            ),
        ];
        let by_status = cases
            .into_iter()
            .map(|(status, code, message)| {
                let mut response = error_response(status, code, message);
                decorate(app, &mut response, None, false);
                let body = puhui::ApiError::new(code, message, None)
                    .to_envelope()
                    .to_string();
                let mut head = format!(
                    "HTTP/1.1 {} {}\r\n",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("")
                )
                .into_bytes();
                for (name, value) in response.headers() {
                    head.extend_from_slice(name.as_str().as_bytes());
                    head.extend_from_slice(b": ");
                    head.extend_from_slice(value.as_bytes());
                    head.extend_from_slice(b"\r\n");
                }
                head.extend_from_slice(
                    format!(
                        "content-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    )
                    .as_bytes(),
                );
                head.extend_from_slice(body.as_bytes());
                (status.as_u16(), head)
            })
            .collect();
        CannedRefusals { by_status }
    }

    /// The replacement for `written` when it is one of hyper's own bare refusals: a
    /// response head for 400/414/431 without the `x-content-type-options` header every
    /// response of the guard carries.
    fn replacement(&self, written: &[u8], long_uri: bool) -> Option<&[u8]> {
        let status = written.strip_prefix(b"HTTP/1.1 ")?.get(..3)?;
        let mut status: u16 = std::str::from_utf8(status).ok()?.parse().ok()?;
        // hyper reports a request line longer than its head bound as 431; it is a 414.
        if status == 431 && long_uri {
            status = 414;
        }
        let (_, bytes) = self.by_status.iter().find(|(s, _)| *s == status)?;
        let head_end = written
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or(written.len());
        let head = written.get(..head_end)?.to_ascii_lowercase();
        let ours = head
            .windows(b"x-content-type-options".len())
            .any(|w| w == b"x-content-type-options");
        (!ours).then_some(bytes.as_slice())
    }
}

/// A connection whose writes pass through unchanged, except hyper's own bare refusals,
/// which are replaced by [`CannedRefusals`] (hyper closes the connection after them).
#[derive(Debug)]
pub struct RefusalRewriter<T> {
    inner: T,
    canned: Arc<CannedRefusals>,
    /// A replacement being written: its bytes, how many are out, and the length of the
    /// write it stands for.
    pending: Option<(Vec<u8>, usize, usize)>,
    /// Reading the request line of the current request head, and its length so far.
    in_request_line: bool,
    request_line_bytes: usize,
    /// The last bytes read, to find the end of a head (`\r\n\r\n`).
    tail: [u8; 4],
}

impl<T> RefusalRewriter<T> {
    /// Wraps one accepted connection.
    pub fn new(inner: T, canned: Arc<CannedRefusals>) -> RefusalRewriter<T> {
        RefusalRewriter {
            inner,
            canned,
            pending: None,
            in_request_line: true,
            request_line_bytes: 0,
            tail: [0; 4],
        }
    }

    /// Follows the request heads read so far, to tell an over-long request line.
    fn observe(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if &self.tail == b"\r\n\r\n" {
                // The previous head ended; this byte starts the next request.
                self.in_request_line = true;
                self.request_line_bytes = 0;
            }
            self.tail = [self.tail[1], self.tail[2], self.tail[3], byte];
            if self.in_request_line {
                if byte == b'\n' {
                    self.in_request_line = false;
                } else {
                    self.request_line_bytes = self.request_line_bytes.saturating_add(1);
                }
            }
        }
    }
}

impl<T: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for RefusalRewriter<T> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Some(fresh) = buf.filled().get(before..) {
            let fresh = fresh.to_vec();
            self.observe(&fresh);
        }
        polled
    }
}

impl<T: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for RefusalRewriter<T> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        use std::task::Poll;
        if self.pending.is_none() {
            let long_uri = self.request_line_bytes > MAX_URI_BYTES;
            match self.canned.replacement(buf, long_uri) {
                Some(bytes) => self.pending = Some((bytes.to_vec(), 0, buf.len())),
                None => return std::pin::Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        loop {
            let this = &mut *self;
            let Some((bytes, done, stands_for)) = this.pending.as_mut() else {
                return Poll::Ready(Ok(0));
            };
            if *done >= bytes.len() {
                let consumed = *stands_for;
                this.pending = None;
                return Poll::Ready(Ok(consumed));
            }
            let rest = bytes.get(*done..).unwrap_or(&[]);
            match std::pin::Pin::new(&mut this.inner).poll_write(cx, rest) {
                Poll::Ready(Ok(0)) => {
                    return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into()))
                }
                Poll::Ready(Ok(n)) => *done += n,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
