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
//! request, and `call` refuses the other operations with `operation-unavailable`. The fen fast
//! doors (`fast.rs`: `scheduleFen`, `scheduleFenParts`, `cnIrrFen`, `cnXirrFen`) are in the full
//! engine only.

use js_sys::{Error as JsError, Reflect, JSON};
use puhui::ApiError;
use wasm_bindgen::prelude::*;

#[cfg(feature = "full")]
mod batch;
#[cfg(feature = "full")]
mod engine;
// The fen fast doors are for bulk callers (risk teams re-pricing at scale, benches), which load
// the full engine; the calculator-first module carries only the JSON contract a first figure
// needs (size, issue 9 item 5: −4.8 KB brotli, docs/size.md session 10).
#[cfg(feature = "full")]
mod fast;

/// The heap allocator: talc instead of the standard library's dlmalloc (size, issue 9 item 5:
/// smaller code in both modules; docs/size.md, session 8). Single-threaded wasm only, which is
/// what both modules are (no `atomics`); talc refuses at compile time anywhere else.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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
/// The refusal of an argument of the wrong JS type (code `invalid-argument`, path = the
/// parameter's name): every export checks its arguments instead of letting the glue code
/// copy a non-string into wasm memory.
pub(crate) fn wrong_type(what: &str, expected: &str) -> JsValue {
    js_error(&ApiError::new(
        "invalid-argument",
        puhui::error::concat(&[what, " must be ", expected]),
        Some(what.to_owned()),
    ))
}

/// The refusal of an input over its byte cap, before it is copied into wasm memory.
pub(crate) fn too_large(what: &str, at_least: u32, max: usize) -> JsValue {
    js_error(&puhui::limits::too_large(what, u64::from(at_least), max))
}

/// A JS string argument, or `invalid-argument`.
pub(crate) fn string_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| wrong_type(what, "a string"))
}

/// The UTF-8 bytes of a JS string after checking its length against `max`: a string of
/// more UTF-16 units than `max` has more UTF-8 bytes than `max`, so it is refused without
/// being copied.
fn capped_string(text: &js_sys::JsString, what: &str, max: usize) -> Result<Vec<u8>, JsValue> {
    let units = text.length();
    if !usize::try_from(units).is_ok_and(|units| units <= max) {
        return Err(too_large(what, units, max));
    }
    let bytes = String::from(text).into_bytes();
    if bytes.len() > max {
        return Err(too_large(
            what,
            u32::try_from(bytes.len()).unwrap_or(u32::MAX),
            max,
        ));
    }
    Ok(bytes)
}

/// A request as JSON bytes: a string as is, anything else through the host's
/// `JSON.stringify`; the cap is checked before the text enters wasm memory.
pub(crate) fn request_bytes_capped(
    request: &JsValue,
    what: &str,
    max: usize,
) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = request.dyn_ref::<js_sys::JsString>() {
        return capped_string(text, what, max);
    }
    let text = JSON::stringify(request).map_err(|_| {
        js_error(&ApiError::new(
            "invalid-request",
            puhui::error::concat(&[what, " cannot be serialized to JSON"]),
            Some(what.to_owned()),
        ))
    })?;
    if text.is_undefined() {
        return Err(js_error(&ApiError::new(
            "invalid-request",
            puhui::error::concat(&[what, " is undefined"]),
            Some(what.to_owned()),
        )));
    }
    capped_string(&text, what, max)
}

pub(crate) fn request_bytes(request: &JsValue) -> Result<Vec<u8>, JsValue> {
    request_bytes_capped(request, "request", puhui::limits::MAX_REQUEST_BYTES)
}

/// Runs any operation of the JSON contract by name: `call("schedule", {...})`.
#[wasm_bindgen(unchecked_return_type = "unknown")]
pub fn call(
    #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
    #[wasm_bindgen(unchecked_param_type = "object | string")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let operation = string_arg(&operation, "operation")?;
    call_op(&operation, &request)
}

fn call_op(operation: &str, request: &JsValue) -> Result<JsValue, JsValue> {
    let bytes = request_bytes(request)?;
    let response = puhui::api::call_text(operation, &bytes).map_err(|e| js_error(&e))?;
    // The host's JSON.parse builds the plain object far faster than one boundary crossing per
    // field would; the text is the core's own serialization, so it always parses.
    JSON::parse(&response)
        .map_err(|_| js_error(&ApiError::new("internal", "response is not JSON", None)))
}

#[wasm_bindgen(js_name = callJson)]
pub fn call_json(
    #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] request: JsValue,
) -> Result<String, JsValue> {
    let operation = string_arg(&operation, "operation")?;
    let text = request
        .dyn_ref::<js_sys::JsString>()
        .ok_or_else(|| wrong_type("request", "a JSON string"))?;
    let bytes = capped_string(text, "request", puhui::limits::MAX_REQUEST_BYTES)?;
    puhui::api::call_text(&operation, &bytes).map_err(|e| js_error(&e))
}

#[wasm_bindgen(unchecked_return_type = "ScheduleResponse")]
pub fn schedule(
    #[wasm_bindgen(unchecked_param_type = "ScheduleRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call_op("schedule", &request)
}

/// Annualized rate of a flow stream (`AprRequest` → `AprResponse`).
#[wasm_bindgen(unchecked_return_type = "AprResponse")]
pub fn apr(
    #[wasm_bindgen(unchecked_param_type = "AprRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call_op("apr", &request)
}

/// Every disclosure figure of a schedule: CN IRR (单利/复利), US APR, EU APRC, costs, cap checks.
#[wasm_bindgen(unchecked_return_type = "DiscloseResponse")]
pub fn disclose(
    #[wasm_bindgen(unchecked_param_type = "DiscloseRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call_op("disclose", &request)
}

#[cfg(feature = "full")]
/// Fiscal interest subsidy and promotions on a schedule (`SubsidyRequest` → `SubsidyResponse`).
#[wasm_bindgen(unchecked_return_type = "SubsidyResponse")]
pub fn subsidy(
    #[wasm_bindgen(unchecked_param_type = "SubsidyRequest")] request: JsValue,
) -> Result<JsValue, JsValue> {
    call_op("subsidy", &request)
}

#[cfg(feature = "full")]
/// Bytes of a `Uint8Array | ArrayBuffer | string` argument, refused over `max` bytes
/// before anything is copied into wasm memory.
pub(crate) fn bytes_of_capped(value: &JsValue, what: &str, max: usize) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = value.dyn_ref::<js_sys::JsString>() {
        return capped_string(text, what, max);
    }
    let array = if let Some(array) = value.dyn_ref::<js_sys::Uint8Array>() {
        array.clone()
    } else if value.is_instance_of::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(value)
    } else {
        return Err(wrong_type(what, "a Uint8Array, an ArrayBuffer or a string"));
    };
    let len = array.byte_length();
    if !usize::try_from(len).is_ok_and(|len| len <= max) {
        return Err(too_large(what, len, max));
    }
    Ok(array.to_vec())
}

#[cfg(feature = "full")]
pub(crate) fn bytes_of(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    bytes_of_capped(value, what, puhui::limits::MAX_REQUEST_BYTES)
}

#[cfg(feature = "full")]
/// An optional JSON argument (`null`/`undefined` → `None`), capped before copying.
pub(crate) fn optional_json_capped(
    value: &JsValue,
    what: &str,
    max: usize,
) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    if value.is_instance_of::<js_sys::Uint8Array>() {
        return bytes_of_capped(value, what, max).map(Some);
    }
    request_bytes_capped(value, what, max).map(Some)
}

#[cfg(feature = "full")]
pub(crate) fn optional_json(value: &JsValue, what: &str) -> Result<Option<Vec<u8>>, JsValue> {
    optional_json_capped(value, what, puhui::limits::MAX_REQUEST_BYTES)
}

#[cfg(feature = "full")]
/// The arguments every verifying export shares, type- and size-checked in JS terms before
/// any byte is copied into wasm memory: the envelope against the options' `maxBytes` (the
/// default cap when absent or unreadable; the core then reports the options' own error),
/// the root against the root cap, the state against the state cap.
pub(crate) struct VerifyArgs {
    pub envelope: Vec<u8>,
    pub root: Vec<u8>,
    pub state: Option<Vec<u8>>,
    pub now: String,
    pub options: Option<Vec<u8>>,
}

#[cfg(feature = "full")]
pub(crate) fn verify_args(
    envelope: &JsValue,
    root: &JsValue,
    state: &JsValue,
    now: &JsValue,
    options: &JsValue,
) -> Result<VerifyArgs, JsValue> {
    use puhui::bundle::{root::ROOT_MAX_BYTES, verify::STATE_MAX_BYTES};
    let now = string_arg(now, "now")?;
    let options = optional_json(options, "options")?;
    let max_bytes = options
        .as_deref()
        .and_then(|bytes| puhui::bundle::VerifyOptions::from_json(bytes).ok())
        .map_or(puhui::bundle::strict_json::DEFAULT_MAX_BYTES, |o| {
            o.max_bytes
        });
    Ok(VerifyArgs {
        envelope: bytes_of_capped(envelope, "envelope", max_bytes)?,
        root: bytes_of_capped(root, "root", ROOT_MAX_BYTES)?,
        state: optional_json_capped(state, "state", STATE_MAX_BYTES)?,
        now,
        options,
    })
}

/// `JSON.parse` of a response the core wrote as JSON text.
#[cfg(feature = "full")]
pub(crate) fn parse_text(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
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
    #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
    #[wasm_bindgen(unchecked_param_type = "VerifyOptions | null")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let args = verify_args(&envelope, &root, &state, &now, &options)?;
    let result = puhui::bundle::verify_text(
        &args.envelope,
        &args.root,
        args.state.as_deref(),
        &args.now,
        args.options.as_deref(),
    )
    .map_err(|e| js_error(&e))?;
    parse_text(&result)
}

#[cfg(feature = "full")]
#[wasm_bindgen(js_name = rotateRoot, unchecked_return_type = "RotateResult")]
pub fn rotate_root(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BundleState | string | null")] state: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] next: JsValue,
) -> Result<JsValue, JsValue> {
    use puhui::bundle::{root::ROOT_MAX_BYTES, verify::STATE_MAX_BYTES};
    let root = bytes_of_capped(&root, "root", ROOT_MAX_BYTES)?;
    let state = optional_json_capped(&state, "state", STATE_MAX_BYTES)?;
    let next = bytes_of_capped(&next, "next", ROOT_MAX_BYTES)?;
    let result = puhui::bundle::rotate_root_text(&root, state.as_deref(), &next)
        .map_err(|e| js_error(&e))?;
    parse_text(&result)
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
