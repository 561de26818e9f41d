//! The JSON contract (worked cases in `tests/vectors/`, error codes in `docs/errors.md`), one function per operation.
//!
//! Owns the mapping from operation names (`schedule`, `apr`, …) to core calls, request
//! parsing with typed errors, and the response JSON; and the bundle engine's JSON doors
//! ([`quote_text`], [`assess_text`], [`products_text`]). Every adapter (CLI, HTTP, wasm,
//! studio, Python) enters through here, so their outputs are byte-for-byte the same.
//! It must not contain any money math of its own.

use crate::apr;
use crate::disclosure;
use crate::error::{ApiError, ErrorCode};
use crate::schedule::{self, ScheduleRequest};
use serde_json::Value;

/// Operations reachable through [`call`].
#[cfg(feature = "full")]
pub const OPERATIONS: &[&str] = &["schedule", "apr", "disclose", "subsidy", "score", "assess"];
/// Operations reachable through [`call`] in the calculator build (feature `full` off).
#[cfg(not(feature = "full"))]
pub const OPERATIONS: &[&str] = &["schedule", "apr", "disclose"];

/// Operations of the full engine that a calculator build (feature `full` off) refuses with
/// `operation-unavailable` rather than `unknown-operation`, so a host can tell "load the full
/// module" from a typo.
pub const FULL_ONLY_OPERATIONS: &[&str] = &["subsidy", "score", "assess"];

/// Runs one stateless operation on a JSON request and returns the compact JSON response text.
///
/// Responses are serialized straight from their typed structs (no intermediate `Value`):
/// this is the hot path of every front door.
pub fn call_text(operation: &str, request: &[u8]) -> Result<String, ApiError> {
    if OPERATIONS.contains(&operation) {
        crate::limits::check_request(request)?;
    }
    match operation {
        "schedule" => {
            let request = ScheduleRequest::from_json(request)?;
            // Same bytes as `to_text` of the schedule, written from its fen rows
            // (see `FenRows::to_json`).
            schedule::schedule_rows(&request)
                .and_then(|rows| rows.to_json())
                .map_err(|e| e.to_api())
        }
        "apr" => {
            let request = apr::AprRequest::from_json(request)?;
            // Same bytes as `to_text` of the response (see `AprResponse::to_json`).
            apr::apr(&request)
                .map(|response| response.to_json())
                .map_err(|e| e.to_api())
        }
        "disclose" => {
            let request = disclosure::DiscloseRequest::from_json(request)?;
            // Same bytes as `to_text` of the response (see `DiscloseResponse::to_json`).
            disclosure::disclose(&request)
                .map(|response| response.to_json())
                .map_err(|e| e.to_api())
        }
        #[cfg(feature = "full")]
        "subsidy" => {
            let request = crate::subsidy::SubsidyRequest::from_json(request)?;
            crate::subsidy::run(&request)
                .map(|outcome| outcome.to_json())
                .map_err(|e| e.to_api())
        }
        #[cfg(feature = "full")]
        "score" => crate::score::score_json(request),
        #[cfg(feature = "full")]
        "assess" => crate::score::assess_json(request),
        other if FULL_ONLY_OPERATIONS.contains(&other) => Err(ApiError::new(
            "operation-unavailable",
            crate::error::concat(&[
                "operation ",
                &crate::error::quoted(other),
                " is not in this build (the calculator module); load the full engine",
            ]),
            None,
        )),
        other => Err(ApiError::new(
            "unknown-operation",
            crate::error::concat(&[
                "unknown operation ",
                &crate::error::quoted(&crate::limits::truncate_echo(other)),
            ]),
            None,
        )),
    }
}

/// Runs one stateless operation and returns the response as a JSON value.
pub fn call(operation: &str, request: &[u8]) -> Result<Value, ApiError> {
    let text = call_text(operation, request)?;
    serde_json::from_str(&text)
        .map_err(|e| ApiError::new("internal", format!("response is not JSON: {e}"), None))
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::new("internal", format!("response serialization: {e}"), None))
}

/// `schedule`: a [`ScheduleRequest`] to its schedule.
pub fn schedule_json(request: &ScheduleRequest) -> Result<Value, ApiError> {
    let schedule = schedule::schedule(request).map_err(|e| e.to_api())?;
    to_value(&schedule)
}

/// The bundle engine's JSON doors: `quote` on request bytes (the request gate, then
/// `catalog::wire::QuoteRequest` with JSON paths, then `Engine::quote_request`), answering the
/// compact JSON text every adapter returns (CLI, HTTP, wasm, Python).
#[cfg(feature = "full")]
pub fn quote_text(engine: &crate::engine::Engine, request: &[u8]) -> Result<String, ApiError> {
    crate::limits::check_request(request)?;
    let request = crate::engine::QuoteRequest::from_json(request)?;
    let quote = engine.quote_request(&request).map_err(|e| e.to_api())?;
    Ok(quote.to_json())
}

/// `assess` on applicant bytes (the request gate first), as compact JSON text.
#[cfg(feature = "full")]
pub fn assess_text(engine: &crate::engine::Engine, applicant: &[u8]) -> Result<String, ApiError> {
    crate::limits::check_request(applicant)?;
    engine
        .assess(applicant)
        .map(|result| result.to_json())
        .map_err(|e| e.to_api())
}

/// The engine's product list as compact JSON text.
#[cfg(feature = "full")]
pub fn products_text(engine: &crate::engine::Engine) -> Result<String, ApiError> {
    Ok(engine.products().to_json())
}
