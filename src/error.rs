//! The error shape shared by every front door.
//!
//! Each core module owns its own `thiserror` enum; this module owns only the wire form
//! (`{"error": {"code", "message", "path"}}`) and the mapping of request-parsing failures.
//! It must not know about any particular calculator.

use serde::{de::DeserializeOwned, Serialize};
use std::fmt;

/// A failure as every caller sees it: a stable kebab-case `code`, a lowercase message,
/// and where it applies the JSON path of the offending input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// Stable machine-readable code; JS and tests match on this, never on `message`.
    pub code: String,
    /// Human-readable explanation, lowercase, no trailing period.
    pub message: String,
    /// JSON path of the input that caused the error (`installments[3].amount`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl ApiError {
    /// Builds an error from its parts.
    pub fn new(code: &str, message: impl Into<String>, path: Option<String>) -> Self {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            path,
        }
    }

    /// The `{"error": {...}}` envelope printed by the CLI and returned by the server.
    pub fn to_envelope(&self) -> serde_json::Value {
        serde_json::json!({ "error": self })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {} (at {})", self.code, self.message, path),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// Implemented by every module error so it can cross the API boundary with its code and path.
pub trait ErrorCode: fmt::Display {
    /// The stable kebab-case code of this error.
    fn code(&self) -> &'static str;
    /// The JSON path of the input at fault, when the error is about one input.
    fn path(&self) -> Option<String> {
        None
    }
    /// Converts into the wire form.
    fn to_api(&self) -> ApiError {
        ApiError::new(self.code(), self.to_string(), self.path())
    }
}

/// Parses a request from JSON bytes, mapping every failure to a typed error with a path.
///
/// Codes: `malformed-json` (not JSON), `unknown-field`, `missing-field`, `invalid-request`
/// (wrong type or shape).
pub fn from_json_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let syntax = matches!(
            err.inner().classify(),
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof
        );
        let path = err.path().to_string();
        let path = if path == "." || path.is_empty() {
            None
        } else {
            Some(path)
        };
        let message = lower(&err.inner().to_string());
        let code = if syntax {
            "malformed-json"
        } else {
            classify(&message)
        };
        ApiError::new(code, message, path)
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::new("malformed-json", lower(&e.to_string()), None))?;
    Ok(value)
}

/// Parses a request from any serde deserializer (the wasm front door passes JS objects).
pub fn from_deserializer<'de, D, T>(deserializer: D) -> Result<T, ApiError>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let path = if path == "." || path.is_empty() {
            None
        } else {
            Some(path)
        };
        let message = lower(&err.inner().to_string());
        let code = classify(&message);
        ApiError::new(code, message, path)
    })
}

fn classify(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "unknown-field"
    } else if message.starts_with("missing field") {
        "missing-field"
    } else if message.contains("expected value")
        || message.contains("eof while parsing")
        || message.contains("trailing characters")
        || message.contains("key must be a string")
    {
        "malformed-json"
    } else {
        "invalid-request"
    }
}

fn lower(message: &str) -> String {
    let trimmed = message.trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
