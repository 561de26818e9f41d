//! WebAssembly bindings: plain JS objects in, plain JS objects out, errors as `Error` with `.code`.
//!
//! Every export is a thin adapter over `puhui::api::call`, the same JSON entry point the CLI uses,
//! so the wasm package and the native binary give byte-identical answers.
//! Requests are turned into JSON text with the host's own `JSON.stringify` (one parser, the core's,
//! decides what is valid); responses become plain objects whose money fields are decimal strings.
//! This crate owns no money math and no state beyond what a JS caller holds.

use js_sys::{Error as JsError, Reflect, JSON};
use puhui::ApiError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Converts a core error into a JS `Error` carrying `code` and, when known, `path`.
fn js_error(error: &ApiError) -> JsValue {
    let js = JsError::new(&error.message);
    js.set_name("PuhuiError");
    // Reflect::set only fails on frozen or proxy targets; a fresh Error is neither.
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    if let Some(path) = &error.path {
        let _ = Reflect::set(&js, &"path".into(), &path.as_str().into());
    }
    js.into()
}

/// Turns a request (a plain object or a JSON string) into the JSON bytes the core parses.
fn request_bytes(request: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = request.as_string() {
        return Ok(text.into_bytes());
    }
    let text = JSON::stringify(request)
        .map_err(|_| {
            js_error(&ApiError::new(
                "invalid-request",
                "request cannot be serialized to JSON",
                None,
            ))
        })?
        .as_string()
        .ok_or_else(|| {
            js_error(&ApiError::new(
                "invalid-request",
                "request is undefined",
                None,
            ))
        })?;
    Ok(text.into_bytes())
}

/// Converts a response into a plain JS object (maps as objects, no BigInt).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error(&ApiError::new("internal", e.to_string(), None)))
}

/// Runs any operation of the JSON contract by name: `call("schedule", {...})`.
#[wasm_bindgen(unchecked_return_type = "unknown")]
pub fn call(
    operation: &str,
    #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = request_bytes(&request)?;
    let response = puhui::api::call_text(operation, &bytes).map_err(|e| js_error(&e))?;
    // The host's JSON.parse builds the plain object far faster than one boundary crossing per
    // field would; the text is the core's own serialization, so it always parses.
    JSON::parse(&response)
        .map_err(|_| js_error(&ApiError::new("internal", "response is not JSON", None)))
}

/// Runs an operation on JSON text and returns JSON text (for Worker `postMessage` hosts).
#[wasm_bindgen(js_name = callJson)]
pub fn call_json(operation: &str, request: &str) -> Result<String, JsValue> {
    puhui::api::call_text(operation, request.as_bytes()).map_err(|e| js_error(&e))
}

/// Cent-exact repayment schedule (`ScheduleRequest` → `ScheduleResponse`).
#[wasm_bindgen(unchecked_return_type = "ScheduleResponse")]
pub fn schedule(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call("schedule", request)
}

/// Annualized rate of a flow stream (`AprRequest` → `AprResponse`).
#[wasm_bindgen(unchecked_return_type = "AprResponse")]
pub fn apr(
    #[wasm_bindgen(unchecked_param_type = "AprRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call("apr", request)
}

/// Fiscal interest subsidy and promotions on a schedule (`SubsidyRequest` → `SubsidyResponse`).
#[wasm_bindgen(unchecked_return_type = "SubsidyResponse")]
pub fn subsidy(
    #[wasm_bindgen(unchecked_param_type = "SubsidyRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call("subsidy", request)
}

/// The engine version, compared with a bundle's `minEngineVersion`.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    puhui::ENGINE_VERSION.to_owned()
}

/// The operation names `call` accepts.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn operations() -> Result<JsValue, JsValue> {
    to_js(&puhui::api::OPERATIONS)
}
