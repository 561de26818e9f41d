//! The product preview studio's WebAssembly module, loaded only by `/studio.html`.
//!
//! Exports lint (the core's [`puhui::lint`], the same rules and codes as `puhui lint`), a
//! [`StudioEngine`] made from a signed bundle (verified like the consumer `Engine.load`) or from
//! an unsigned draft (preview mode: every output says `preview: true`), the batched price grid
//! ([`mod@grid`]: one boundary crossing per grid, not per cell), the pre-eligibility table
//! ([`mod@table`]) and the structural diff of two payloads ([`mod@diff`]).
//! It is a separate module so the consumer wasm carries none of this: lint's schema walker,
//! the grid and the diff cost the consumer page nothing.
//! Responses are the core's JSON text parsed by the host's `JSON.parse`; money stays in
//! decimal strings. This crate owns no money math beyond the grid's draft-minus-live deltas.

pub mod diff;
pub mod grid;
pub mod table;

use js_sys::{Error as JsError, Reflect, JSON};
use puhui::bundle::verify_bytes;
use puhui::engine::Engine;
use puhui::error::ErrorCode;
use puhui::ApiError;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// A core error as a JS `Error` with `code` and, when known, `path`.
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

/// Bytes of a string (UTF-8), `Uint8Array` or `ArrayBuffer`.
fn bytes_of(value: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
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

/// JSON text of an object or string argument (`null`/`undefined` → `None`).
fn json_of(value: &JsValue, what: &str) -> Result<Option<Vec<u8>>, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    if value.is_string() || value.is_instance_of::<js_sys::Uint8Array>() {
        return bytes_of(value, what).map(Some);
    }
    let text = JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| {
            js_error(&ApiError::new(
                "invalid-request",
                format!("{what} cannot be serialized to JSON"),
                Some(what.to_owned()),
            ))
        })?;
    Ok(Some(text.into_bytes()))
}

fn parse_text(text: &str) -> Result<JsValue, JsValue> {
    JSON::parse(text)
        .map_err(|_| js_error(&ApiError::new("internal", "response is not JSON", None)))
}

fn to_text<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value)
        .map_err(|e| js_error(&ApiError::new("internal", e.to_string(), None)))
}

/// Every diagnostic of a draft payload: `{ok, errors, warnings, diagnostics: [{severity, code,
/// message, path}]}`, byte for byte the report `puhui lint` prints.
#[wasm_bindgen(unchecked_return_type = "LintReport")]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] draft: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = bytes_of(&draft, "draft")?;
    let report = puhui::lint::LintReport::new(puhui::lint::lint(&bytes));
    parse_text(&to_text(&report)?)
}

/// Structural diff of two payloads (live first): `{changes, header}`, each change
/// `{section, kind, path, before?, after?}` with values as compact JSON text.
#[wasm_bindgen(unchecked_return_type = "DiffReport")]
pub fn diff(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] live: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] draft: JsValue,
) -> Result<JsValue, JsValue> {
    let live = bytes_of(&live, "live")?;
    let draft = bytes_of(&draft, "draft")?;
    parse_text(&diff::diff_json(&live, &draft).map_err(|e| js_error(&e))?)
}

/// The channel a draft names (so a preview of a `beta` draft is judged as `beta`).
fn draft_channel(draft: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(draft)
        .ok()
        .and_then(|v| v.get("channel").and_then(|c| c.as_str()).map(str::to_owned))
        .unwrap_or_else(|| puhui::bundle::verify::DEFAULT_CHANNEL.to_owned())
}

/// A bundle compiled for the studio: the live one (verified) or a draft (preview).
#[wasm_bindgen]
pub struct StudioEngine {
    inner: Engine,
    payload: String,
    summary: String,
}

#[wasm_bindgen]
impl StudioEngine {
    /// Verifies a signed `envelope` against the pinned `root` at host time `now` (RFC 3339),
    /// exactly as the consumer `Engine.load` does (production options unless given).
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] envelope: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string | null")] state: JsValue,
        now: &str,
        #[wasm_bindgen(unchecked_param_type = "object | null")] options: JsValue,
    ) -> Result<StudioEngine, JsValue> {
        let envelope = bytes_of(&envelope, "envelope")?;
        let root = bytes_of(&root, "root")?;
        let state = json_of(&state, "state")?;
        let options = json_of(&options, "options")?;
        StudioEngine::build(&envelope, &root, state.as_deref(), now, options.as_deref())
    }

    /// Loads an unsigned draft payload in preview mode (judged on the draft's own channel):
    /// the same gate, header and compile checks as a signed bundle, no signature, and every
    /// output marked `preview: true`. The pinned `root` is still parsed, as by every load.
    #[wasm_bindgen(js_name = loadDraft)]
    pub fn load_draft(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] draft: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
        now: &str,
    ) -> Result<StudioEngine, JsValue> {
        let draft = bytes_of(&draft, "draft")?;
        let root = bytes_of(&root, "root")?;
        let options = serde_json::json!({
            "previewAllowed": true,
            "channel": draft_channel(&draft),
        })
        .to_string();
        StudioEngine::build(&draft, &root, None, now, Some(options.as_bytes()))
    }

    /// True for a draft.
    #[wasm_bindgen(getter)]
    pub fn preview(&self) -> bool {
        self.inner.preview()
    }

    /// The verification summary (`bundleId`, `version`, `sha256`, `preview`, `signedBy`, …).
    #[wasm_bindgen(getter, unchecked_return_type = "Record<string, unknown>")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        parse_text(&self.summary)
    }

    /// The exact payload text that was verified (or previewed).
    #[wasm_bindgen(getter)]
    pub fn payload(&self) -> String {
        self.payload.clone()
    }

    /// What can be offered (the engine's `products()`).
    #[wasm_bindgen(unchecked_return_type = "{ preview: boolean; products: StudioProduct[] }")]
    pub fn products(&self) -> Result<JsValue, JsValue> {
        parse_text(&puhui::api::products_text(&self.inner).map_err(|e| js_error(&e))?)
    }

    /// The whole price grid of `spec` in one call.
    #[wasm_bindgen(unchecked_return_type = "Grid")]
    pub fn grid(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GridSpec | string")] spec: JsValue,
    ) -> Result<JsValue, JsValue> {
        let spec = json_of(&spec, "spec")?.unwrap_or_default();
        parse_text(&grid::grid_json(&self.inner, None, &spec).map_err(|e| js_error(&e))?)
    }

    /// The grid of `spec`, each cell also quoted by `baseline` with the change.
    #[wasm_bindgen(js_name = gridAgainst, unchecked_return_type = "Grid")]
    pub fn grid_against(
        &self,
        #[wasm_bindgen(unchecked_param_type = "GridSpec | string")] spec: JsValue,
        baseline: &StudioEngine,
    ) -> Result<JsValue, JsValue> {
        let spec = json_of(&spec, "spec")?.unwrap_or_default();
        parse_text(
            &grid::grid_json(&self.inner, Some(&baseline.inner), &spec)
                .map_err(|e| js_error(&e))?,
        )
    }

    /// Pre-eligibility of every JSON line of `lines`.
    #[wasm_bindgen(js_name = assessTable, unchecked_return_type = "ApplicantTable")]
    pub fn assess_table(&self, lines: &str) -> Result<JsValue, JsValue> {
        parse_text(&table::table_json(&self.inner, None, lines).map_err(|e| js_error(&e))?)
    }

    /// Pre-eligibility of every JSON line, side by side with `baseline`.
    #[wasm_bindgen(js_name = assessTableAgainst, unchecked_return_type = "ApplicantTable")]
    pub fn assess_table_against(
        &self,
        lines: &str,
        baseline: &StudioEngine,
    ) -> Result<JsValue, JsValue> {
        parse_text(
            &table::table_json(&self.inner, Some(&baseline.inner), lines)
                .map_err(|e| js_error(&e))?,
        )
    }
}

impl StudioEngine {
    fn build(
        envelope: &[u8],
        root: &[u8],
        state: Option<&[u8]>,
        now: &str,
        options: Option<&[u8]>,
    ) -> Result<StudioEngine, JsValue> {
        let (verified, _state) =
            verify_bytes(envelope, root, state, now, options).map_err(|e| js_error(&e))?;
        let payload = String::from_utf8_lossy(verified.payload_bytes()).into_owned();
        let summary = verified.summary().to_string();
        let inner = Engine::from_verified(verified).map_err(|e| js_error(&e.to_api()))?;
        Ok(StudioEngine {
            inner,
            payload,
            summary,
        })
    }
}

/// The engine version, for the page footer.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    puhui::ENGINE_VERSION.to_owned()
}
