//! The server's JSON configuration file (`--config serve.json`): its shape, defaults and checks.
//!
//! It owns only parsing and validation; it must not touch sockets or serve anything.
//! Every value that ends up inside a response header (origins, frame ancestors) is validated
//! here, so a bad config cannot inject header or CSP syntax.

use puhui::error::{from_json_slice, ApiError, ErrorCode};
use serde::Deserialize;

/// Default largest bundle file the server publishes or serves: 1 MiB, the clients' own cap.
pub const DEFAULT_MAX_BUNDLE_BYTES: u64 = 1024 * 1024;
/// Upper bound accepted for `maxBundleBytes`.
const MAX_MAX_BUNDLE_BYTES: u64 = 64 * 1024 * 1024;

/// `serve.json`. Every field is optional; unknown fields are refused.
///
/// ```json
/// {"corsOrigins": ["https://partner.example"], "frameAncestors": ["'self'"],
///  "rateLimit": {"perSecond": 50, "burst": 100}, "maxBundleBytes": 1048576,
///  "embed": {"allowedOrigins": ["https://partner.example"]}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServeConfig {
    /// Origins allowed to read responses cross-origin, matched exactly (`https://host[:port]`).
    #[serde(default)]
    pub cors_origins: Vec<String>,
    /// CSP `frame-ancestors` sources: `'self'`, `'none'` or origins (`https://*.host` allowed).
    #[serde(default = "default_frame_ancestors")]
    pub frame_ancestors: Vec<String>,
    /// Per-client token bucket.
    #[serde(default)]
    pub rate_limit: RateLimitConfig,
    /// Largest bundle file published or served, in bytes.
    #[serde(default = "default_max_bundle_bytes")]
    pub max_bundle_bytes: u64,
    /// The partner embed page `/embed.html`.
    #[serde(default)]
    pub embed: EmbedConfig,
    /// The re-check API (`serve/api.rs`), off by default.
    #[serde(default)]
    pub api: ApiConfig,
}

/// `"api": {"enabled": true, "root": "root.json", "maxBodyBytes": 262144}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiConfig {
    /// Serve `POST /api/v1/…` (also `puhui serve --api`).
    #[serde(default)]
    pub enabled: bool,
    /// Pinned trust root `quote` verifies bundles against (also `--api-root`).
    #[serde(default)]
    pub root: Option<std::path::PathBuf>,
    /// Largest request body, in bytes (1 to 16 MiB).
    #[serde(default = "default_api_body")]
    pub max_body_bytes: u64,
}

fn default_api_body() -> u64 {
    crate::serve::api::DEFAULT_MAX_BODY_BYTES
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            enabled: false,
            root: None,
            max_body_bytes: default_api_body(),
        }
    }
}

/// `embed`: who may frame `/embed.html` and talk to it with `postMessage`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmbedConfig {
    /// Partner origins, matched exactly (`https://host[:port]`, no wildcard): they become the
    /// `frame-ancestors` of `/embed.html` (after `'self'`) and the frame's message allow-list,
    /// served as `/embed-config.json`.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// A token bucket per client address: `burst` requests at once, refilled at `perSecond`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Tokens added per second (at least 1).
    pub per_second: u32,
    /// Bucket capacity: requests allowed in a burst (at least 1).
    pub burst: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        // A page load is about ten requests (html, css, js, wasm, bundle pointer, bundle);
        // this leaves room for several tabs while stopping a tight loop.
        RateLimitConfig {
            per_second: 50,
            burst: 100,
        }
    }
}

fn default_frame_ancestors() -> Vec<String> {
    vec!["'self'".to_owned()]
}

fn default_max_bundle_bytes() -> u64 {
    DEFAULT_MAX_BUNDLE_BYTES
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            cors_origins: Vec::new(),
            frame_ancestors: default_frame_ancestors(),
            rate_limit: RateLimitConfig::default(),
            max_bundle_bytes: DEFAULT_MAX_BUNDLE_BYTES,
            embed: EmbedConfig::default(),
            api: ApiConfig::default(),
        }
    }
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file is not valid JSON of the expected shape (unknown field, wrong type...).
    #[error("{}", .0.message)]
    Parse(ApiError),
    /// A CORS origin is not a serialized origin `scheme://host[:port]`.
    #[error("invalid origin {value:?}: {reason}")]
    BadOrigin {
        /// JSON path of the entry.
        path: String,
        /// The entry as written.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A frame-ancestors source is neither a keyword nor an origin.
    #[error("invalid frame ancestor {value:?}: {reason}")]
    BadFrameAncestor {
        /// JSON path of the entry.
        path: String,
        /// The entry as written.
        value: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A rate-limit field is zero.
    #[error("rate limit {field} must be at least 1")]
    BadRateLimit {
        /// `perSecond` or `burst`.
        field: &'static str,
    },
    /// `api.maxBodyBytes` is zero or above 16 MiB.
    #[error("api.maxBodyBytes must be between 1 and 16777216, got {0}")]
    BadApiBodyBytes(u64),
    /// `maxBundleBytes` is zero or above 64 MiB.
    #[error("maxBundleBytes must be between 1 and {MAX_MAX_BUNDLE_BYTES}, got {0}")]
    BadMaxBundleBytes(u64),
}

impl ErrorCode for ConfigError {
    fn code(&self) -> &'static str {
        match self {
            ConfigError::Parse(err) => match err.code.as_str() {
                "unknown-field" => "unknown-field",
                "missing-field" => "missing-field",
                "malformed-json" => "malformed-json",
                _ => "invalid-config",
            },
            ConfigError::BadOrigin { .. } => "bad-origin",
            ConfigError::BadFrameAncestor { .. } => "bad-frame-ancestor",
            ConfigError::BadRateLimit { .. } => "bad-rate-limit",
            ConfigError::BadMaxBundleBytes(_) => "bad-max-bundle-bytes",
            ConfigError::BadApiBodyBytes(_) => "bad-api-body-bytes",
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            ConfigError::Parse(err) => err.path.clone(),
            ConfigError::BadOrigin { path, .. } | ConfigError::BadFrameAncestor { path, .. } => {
                Some(path.clone())
            }
            ConfigError::BadRateLimit { field } => Some(format!("rateLimit.{field}")),
            ConfigError::BadMaxBundleBytes(_) => Some("maxBundleBytes".to_owned()),
            ConfigError::BadApiBodyBytes(_) => Some("api.maxBodyBytes".to_owned()),
        }
    }
}

impl ServeConfig {
    /// Parses and validates `serve.json` bytes; origins are normalized to lowercase.
    pub fn from_json(bytes: &[u8]) -> Result<ServeConfig, ConfigError> {
        let config: ServeConfig = from_json_slice(bytes).map_err(ConfigError::Parse)?;
        config.validated()
    }

    /// Checks every field, returning the config with origins lowercased as browsers send them.
    pub fn validated(mut self) -> Result<ServeConfig, ConfigError> {
        for (idx, origin) in self.cors_origins.iter_mut().enumerate() {
            let lowered = origin.to_ascii_lowercase();
            check_origin(&lowered, false).map_err(|reason| ConfigError::BadOrigin {
                path: format!("corsOrigins[{idx}]"),
                value: origin.clone(),
                reason,
            })?;
            *origin = lowered;
        }
        for (idx, origin) in self.embed.allowed_origins.iter_mut().enumerate() {
            let lowered = origin.to_ascii_lowercase();
            check_origin(&lowered, false).map_err(|reason| ConfigError::BadOrigin {
                path: format!("embed.allowedOrigins[{idx}]"),
                value: origin.clone(),
                reason,
            })?;
            *origin = lowered;
        }
        let n_sources = self.frame_ancestors.len();
        for (idx, source) in self.frame_ancestors.iter_mut().enumerate() {
            let bad = |reason| ConfigError::BadFrameAncestor {
                path: format!("frameAncestors[{idx}]"),
                value: source.clone(),
                reason,
            };
            match source.as_str() {
                "'self'" => {}
                "'none'" if n_sources == 1 => {}
                "'none'" => return Err(bad("'none' must be the only source")),
                other => {
                    let lowered = other.to_ascii_lowercase();
                    check_origin(&lowered, true).map_err(bad)?;
                    *source = lowered;
                }
            }
        }
        if self.rate_limit.per_second == 0 {
            return Err(ConfigError::BadRateLimit { field: "perSecond" });
        }
        if self.rate_limit.burst == 0 {
            return Err(ConfigError::BadRateLimit { field: "burst" });
        }
        if self.max_bundle_bytes == 0 || self.max_bundle_bytes > MAX_MAX_BUNDLE_BYTES {
            return Err(ConfigError::BadMaxBundleBytes(self.max_bundle_bytes));
        }
        if self.api.max_body_bytes == 0 || self.api.max_body_bytes > 16 * 1024 * 1024 {
            return Err(ConfigError::BadApiBodyBytes(self.api.max_body_bytes));
        }
        Ok(self)
    }

    /// The CSP `frame-ancestors` value: the configured sources, or `'none'` when empty.
    pub fn frame_ancestors_source_list(&self) -> String {
        if self.frame_ancestors.is_empty() {
            "'none'".to_owned()
        } else {
            self.frame_ancestors.join(" ")
        }
    }
}

impl ServeConfig {
    /// The CSP `frame-ancestors` value of `/embed.html`: `'self'` and the embed allow-list.
    pub fn embed_frame_ancestors_source_list(&self) -> String {
        std::iter::once("'self'")
            .chain(self.embed.allowed_origins.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// `/embed-config.json`: `{"allowedOrigins": [...]}`, what the frame accepts messages from.
    pub fn embed_config_json(&self) -> String {
        serde_json::json!({ "allowedOrigins": self.embed.allowed_origins }).to_string()
    }
}

/// Checks a lowercase serialized origin `http(s)://host[:port]` (no path, no default port).
/// `allow_wildcard` admits a leading `*.` label, which CSP source lists accept and CORS does not.
fn check_origin(origin: &str, allow_wildcard: bool) -> Result<(), &'static str> {
    let (scheme, rest) = origin
        .split_once("://")
        .ok_or("expected scheme://host[:port]")?;
    let default_port = match scheme {
        "https" => "443",
        "http" => "80",
        _ => return Err("scheme must be http or https"),
    };
    if rest.contains('/') {
        return Err("an origin has no path, not even a trailing slash");
    }
    let (host, port) = if let Some(after_bracket) = rest.strip_prefix('[') {
        // IPv6 literal: [addr] or [addr]:port.
        let (addr, tail) = after_bracket
            .split_once(']')
            .ok_or("unclosed ipv6 bracket")?;
        if addr.is_empty()
            || !addr
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return Err("bad ipv6 literal");
        }
        match tail {
            "" => (None, None),
            _ => (
                None,
                Some(tail.strip_prefix(':').ok_or("junk after ipv6 literal")?),
            ),
        }
    } else {
        match rest.rsplit_once(':') {
            Some((host, port)) => (Some(host), Some(port)),
            None => (Some(rest), None),
        }
    };
    if let Some(host) = host {
        let bare = match host.strip_prefix("*.") {
            Some(bare) if allow_wildcard => bare,
            Some(_) => return Err("wildcards are not allowed here"),
            None => host,
        };
        let labels_ok = !bare.is_empty()
            && bare.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            });
        if !labels_ok {
            return Err("host must be dot-separated letters, digits and hyphens");
        }
    }
    if let Some(port) = port {
        if port == default_port {
            return Err("omit the default port: browsers leave it out of Origin");
        }
        let valid = !port.is_empty()
            && !port.starts_with('0')
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u16>().is_ok();
        if !valid {
            return Err("port must be 1-65535 without leading zeros");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let cases: &[(&str, bool, bool)] = &[
            ("https://partner.example", false, true),
            ("http://127.0.0.1:8080", false, true),
            ("http://[::1]:8080", false, true),
            ("https://partner.example/", false, false),
            ("https://partner.example:443", false, false),
            ("ftp://partner.example", false, false),
            ("null", false, false),
            ("*", false, false),
            ("https://*.partner.example", false, false),
            ("https://*.partner.example", true, true),
            ("https://a b", false, false),
            ("https://a;b", false, false),
            ("https://host:0", false, false),
            ("https://host:65536", false, false),
        ];
        for &(origin, wildcard, ok) in cases {
            assert_eq!(check_origin(origin, wildcard).is_ok(), ok, "{origin}");
        }
    }

    #[test]
    fn parse_and_refuse() {
        let config = ServeConfig::from_json(br#"{"corsOrigins":["HTTPS://Partner.Example"]}"#);
        assert!(matches!(&config, Ok(c) if c.cors_origins == ["https://partner.example"]));
        let embed =
            ServeConfig::from_json(br#"{"embed":{"allowedOrigins":["HTTP://LocalHost:9000"]}}"#);
        assert!(matches!(&embed, Ok(c)
            if c.embed_frame_ancestors_source_list() == "'self' http://localhost:9000"
            && c.embed_config_json() == r#"{"allowedOrigins":["http://localhost:9000"]}"#));
        let codes = [
            (r#"{"corsOrigin":[]}"#, "unknown-field"),
            (
                r#"{"rateLimit":{"perSecond":0,"burst":1}}"#,
                "bad-rate-limit",
            ),
            (r#"{"rateLimit":{"perSecond":1}}"#, "missing-field"),
            (r#"{"maxBundleBytes":0}"#, "bad-max-bundle-bytes"),
            (
                r#"{"frameAncestors":["'none'","'self'"]}"#,
                "bad-frame-ancestor",
            ),
            (
                r#"{"frameAncestors":["'unsafe-inline'"]}"#,
                "bad-frame-ancestor",
            ),
            (
                r#"{"corsOrigins":["https://x.example; script-src *"]}"#,
                "bad-origin",
            ),
            (r#"{"#, "malformed-json"),
            (
                r#"{"embed":{"allowedOrigins":["https://*.partner.example"]}}"#,
                "bad-origin",
            ),
            (
                r#"{"embed":{"allowedOrigins":["https://x.example 'unsafe-inline'"]}}"#,
                "bad-origin",
            ),
            (r#"{"embed":{"origins":[]}}"#, "unknown-field"),
        ];
        for (json, code) in codes {
            match ServeConfig::from_json(json.as_bytes()) {
                Ok(_) => panic!("{json} accepted"),
                Err(err) => assert_eq!(err.code(), code, "{json}"),
            }
        }
    }
}
