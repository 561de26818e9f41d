//! WebAssembly bindings: plain JS objects in, plain JS objects out, errors as `Error` with `.code`.
//!
//! Every export is a thin adapter over `puhui::api::call`, the same JSON entry point the CLI uses,
//! so the wasm package and the native binary give byte-identical answers.
//! Requests are turned into JSON text with the host's own `JSON.stringify` (one parser, the core's,
//! decides what is valid); responses become plain objects whose money fields are decimal strings.
//! This crate owns no money math and no state beyond what a JS caller holds.
//!
//! Built with the default feature `full` it is the whole engine (`puhui.js`); built with
//! `--no-default-features` it is the calculator-first module (`puhui_calc.js`: `schedule`, `apr`,
//! `disclose`, `call`, `callJson`, `engineVersion`, `operations`), the same JSON for the same
//! request, and `call` refuses the other operations with `operation-unavailable`.

use js_sys::{Error as JsError, Reflect, JSON};
use puhui::ApiError;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
mod batch;
#[cfg(feature = "full")]
mod engine;
mod fast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Converts a core error into a JS `Error` carrying `code` and, when known, `path`.
pub(crate) fn js_error(error: &ApiError) -> JsValue {
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
pub(crate) fn request_bytes(request: &JsValue) -> Result<Vec<u8>, JsValue> {
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

/// Every disclosure figure of a schedule: CN IRR (单利/复利), US APR, EU APRC, costs, cap checks.
#[wasm_bindgen(unchecked_return_type = "DiscloseResponse")]
pub fn disclose(
    #[wasm_bindgen(unchecked_param_type = "DiscloseRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call("disclose", request)
}

#[cfg(feature = "full")]
/// Fiscal interest subsidy and promotions on a schedule (`SubsidyRequest` → `SubsidyResponse`).
#[wasm_bindgen(unchecked_return_type = "SubsidyResponse")]
pub fn subsidy(
    #[wasm_bindgen(unchecked_param_type = "SubsidyRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call("subsidy", request)
}

#[cfg(feature = "full")]
/// Bytes of a `Uint8Array`, an `ArrayBuffer` or a string (UTF-8).
pub(crate) fn bytes_of(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>()
    {
        return Ok(js_sys::Uint8Array::new(value).to_vec());
    }
    Err(js_error(&ApiError::new(
        "invalid-request",
        format!("{what} must be a Uint8Array, an ArrayBuffer or a string"),
        Some(what.to_owned()),
    )))
}

#[cfg(feature = "full")]
/// JSON text of an optional object or string argument (`null`/`undefined` → `None`).
pub(crate) fn optional_json(value: &JsValue, what: &str) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    if value.is_instance_of::<js_sys::Uint8Array>() {
        return bytes_of(value, what).map(Some);
    }
    request_bytes(value).map(Some)
}

#[cfg(feature = "full")]
pub(crate) fn parse_value(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    JSON::parse(&value.to_string())
        .map_err(|_| js_error(&ApiError::new("internal", "response is not JSON", None)))
}

#[cfg(feature = "full")]
/// Verifies a signed bundle against the pinned root and the persisted state, at host time `now`
/// (RFC 3339). Returns `{bundle, state, summary}`; persist `state` only after success.
#[wasm_bindgen(js_name = verifyBundle, unchecked_return_type = "VerifyResult")]
pub fn verify_bundle(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] envelope: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BundleState | string | null")] state: JsValue,
    now: &str,
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let envelope = bytes_of(&envelope, "envelope")?;
    let root = bytes_of(&root, "root")?;
    let state = optional_json(&state, "state")?;
    let options = optional_json(&options, "options")?;
    let result =
        puhui::bundle::verify_json(&envelope, &root, state.as_deref(), now, options.as_deref())
            .map_err(|e| js_error(&e))?;
    parse_value(&result)
}

#[cfg(feature = "full")]
/// Walks the trust root forward by one version (`next` signed by the current root's threshold
/// and its own). Returns `{state, root}`.
#[wasm_bindgen(js_name = rotateRoot, unchecked_return_type = "RotateResult")]
pub fn rotate_root(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BundleState | string | null")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] next: JsValue,
) -> Result<JsValue, JsValue> {
    let root = bytes_of(&root, "root")?;
    let state = optional_json(&state, "state")?;
    let next = bytes_of(&next, "next")?;
    let result = puhui::bundle::rotate_root_json(&root, state.as_deref(), &next)
        .map_err(|e| js_error(&e))?;
    parse_value(&result)
}

/// The engine version, compared with a bundle's `minEngineVersion`.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    puhui::ENGINE_VERSION.to_owned()
}

/// The operation names `call` accepts.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn operations() -> Result<JsValue, JsValue> {
    let names = js_sys::Array::new();
    for name in puhui::api::OPERATIONS {
        names.push(&JsValue::from_str(name));
    }
    Ok(names.into())
}
