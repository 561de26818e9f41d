//! The `Engine` class: a bundle verified and compiled once in wasm, then quoted many times.
//!
//! The only constructor is `Engine.load(...)`, which runs the core verifier
//! (`puhui::engine::Engine::load`, the same path as `puhui quote`), so a page cannot quote
//! from bytes that did not verify. Results are the core's own JSON text parsed by the host's
//! `JSON.parse`, so they are byte-for-byte the CLI's values. This file owns no money math.

use crate::{js_error, parse_text, request_bytes, verify_args};
use wasm_bindgen::prelude::*;

/// A verified, compiled rule bundle.
#[wasm_bindgen]
pub struct Engine {
    inner: puhui::engine::Engine,
    /// The state to persist, as JSON text.
    state: String,
}

#[wasm_bindgen]
impl Engine {
    /// Verifies `envelope` against the pinned `root` and the persisted `state` at host time
    /// `now` (RFC 3339), then compiles it. Persist `engine.state` only after this succeeds.
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] envelope: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] root: JsValue,
        #[wasm_bindgen(unchecked_param_type = "BundleState | string | null")] state: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] now: JsValue,
        #[wasm_bindgen(unchecked_param_type = "VerifyOptions | null")] options: JsValue,
    ) -> Result<Engine, JsValue> {
        let args = verify_args(&envelope, &root, &state, &now, &options)?;
        let (inner, new_state) = puhui::engine::Engine::load(
            &args.envelope,
            &args.root,
            args.state.as_deref(),
            &args.now,
            args.options.as_deref(),
        )
        .map_err(|e| js_error(&e))?;
        Ok(Engine {
            state: new_state.to_json(),
            inner,
        })
    }

    /// The state the host must persist (unchanged for a preview).
    #[wasm_bindgen(getter, unchecked_return_type = "BundleState")]
    pub fn state(&self) -> Result<JsValue, JsValue> {
        parse_text(&self.state)
    }

    /// The verification summary.
    #[wasm_bindgen(getter, unchecked_return_type = "BundleSummary")]
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        parse_text(self.inner.summary_text())
    }

    /// True for an unsigned draft loaded in preview mode.
    #[wasm_bindgen(getter)]
    pub fn preview(&self) -> bool {
        self.inner.preview()
    }

    /// What can be offered.
    #[wasm_bindgen(unchecked_return_type = "ProductList")]
    pub fn products(&self) -> Result<JsValue, JsValue> {
        parse_text(&puhui::api::products_text(&self.inner).map_err(|e| js_error(&e))?)
    }

    /// Quotes one request (`QuoteRequest` → `Quote`).
    #[wasm_bindgen(unchecked_return_type = "Quote")]
    pub fn quote(
        &self,
        #[wasm_bindgen(unchecked_param_type = "QuoteRequest | string")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = request_bytes(&request)?;
        parse_text(&puhui::api::quote_text(&self.inner, &bytes).map_err(|e| js_error(&e))?)
    }

    /// Pre-eligibility for one applicant with the bundle's `preEligibility` model
    /// (`Applicant` → `BundleAssessment`); numbers are read exactly, never as `f64`.
    #[wasm_bindgen(unchecked_return_type = "BundleAssessment")]
    pub fn assess(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Applicant | string")] applicant: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = request_bytes(&applicant)?;
        parse_text(&puhui::api::assess_text(&self.inner, &bytes).map_err(|e| js_error(&e))?)
    }
}
