//! `puhui._puhui`: the Python extension behind the `puhui` package.
//!
//! Owns the boundary between CPython and the engine: JSON operations on bytes (the same
//! `puhui::api::call_text` the CLI and wasm call), verified engines and compiled cards as Python
//! classes, and the columnar batch kernels behind `score_batch` / `quote_batch`.
//! The Python side (`pysrc/puhui/`) turns Arrow arrays into the plain buffers read here and the
//! buffers written here back into Arrow arrays; no value crosses as a Python object per row.
//! It must not compute any figure itself: every number comes from the `puhui` core, and every
//! money value leaves as the core's own decimal string.

use puhui::engine::Engine as CoreEngine;
use puhui::score::assess::Band;
use puhui::score::card::Scratch;
use puhui::score::{CompiledCard, CompiledModel};
use puhui::{ApiError, ErrorCode};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde_json::Value;

mod columns;

use columns::{BoolCol, Column, ListCol, RowJson, StrCol};

/// Raises `puhui.PuhuiError(code, message, path)`.
fn py_error(py: Python<'_>, error: &ApiError) -> PyErr {
    let made = py
        .import("puhui._errors")
        .and_then(|module| module.getattr("PuhuiError"))
        .and_then(|class| {
            class.call1((
                error.code.clone(),
                error.message.clone(),
                error.path.clone(),
            ))
        });
    match made {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// Runs `work` with the GIL released and raises its error as `PuhuiError`: the one shape of
/// every entry point that hands bytes to the core and a text or an engine back.
fn detached<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: Send + FnOnce() -> Result<T, ApiError>,
    T: Send,
{
    py.detach(work).map_err(|e| py_error(py, &e))
}

/// Reads the Arrow columns Python passes, runs `kernel` on them with the GIL released and hands
/// its buffers back (the one shape of every `*_columns` method).
fn detached_columns<'py, F>(
    py: Python<'py>,
    columns: &[ColumnArg<'py>],
    kernel: F,
) -> PyResult<Vec<Bound<'py, PyAny>>>
where
    F: Send + FnOnce(&[Column<'_>]) -> Result<Output, ApiError>,
{
    let parsed = parse_columns(py, columns)?;
    detached(py, || kernel(&parsed))?.into_py(py)
}

/// Runs one stateless JSON operation (`schedule`, `apr`, `disclose`, `subsidy`, `score`,
/// `assess`) on request bytes and returns the compact response text (UTF-8 JSON).
#[pyfunction]
fn call_text(py: Python<'_>, operation: &str, request: &[u8]) -> PyResult<String> {
    detached(py, || puhui::api::call_text(operation, request))
}

/// The verifier's JSON front door: `{bundle, state, summary}` as text.
#[pyfunction]
#[pyo3(signature = (envelope, root, now, state=None, options=None))]
fn verify_text(
    py: Python<'_>,
    envelope: &[u8],
    root: &[u8],
    now: &str,
    state: Option<&[u8]>,
    options: Option<&[u8]>,
) -> PyResult<String> {
    detached(py, || {
        puhui::bundle::verify::verify_json(envelope, root, state, now, options)
            .and_then(|value| to_text(&value))
    })
}

fn to_text<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|e| ApiError::new("internal", e.to_string(), None))
}

/// A verified bundle compiled for quoting. Built only through verification.
#[pyclass(module = "puhui._puhui", frozen, name = "Engine")]
struct Engine {
    inner: CoreEngine,
    state: String,
    summary: String,
}

#[pymethods]
impl Engine {
    /// Verifies `envelope` against the pinned `root` at `now` (RFC 3339) with the persisted
    /// `state` (JSON, absent on a first run) and `options` (VerifyOptions JSON).
    #[new]
    #[pyo3(signature = (envelope, root, now, state=None, options=None))]
    fn new(
        py: Python<'_>,
        envelope: &[u8],
        root: &[u8],
        now: &str,
        state: Option<&[u8]>,
        options: Option<&[u8]>,
    ) -> PyResult<Engine> {
        detached(py, || {
            let (inner, new_state) = CoreEngine::load(envelope, root, state, now, options)?;
            let state = to_text(&new_state)?;
            let summary = inner.summary_text().to_owned();
            Ok(Engine {
                inner,
                state,
                summary,
            })
        })
    }

    /// The state to persist after this verification (JSON text).
    #[getter]
    fn state_json(&self) -> String {
        self.state.clone()
    }

    /// The verification summary (JSON text: bundleId, version, sha256, preview, ...).
    #[getter]
    fn summary_json(&self) -> String {
        self.summary.clone()
    }

    /// True when the bundle is an unsigned preview draft.
    #[getter]
    fn preview(&self) -> bool {
        self.inner.preview()
    }

    /// Quotes one request (JSON bytes) and returns the quote as compact JSON text.
    fn quote_json(&self, py: Python<'_>, request: &[u8]) -> PyResult<String> {
        detached(py, || puhui::api::quote_text(&self.inner, request))
    }

    /// The products as compact JSON text.
    fn products_json(&self, py: Python<'_>) -> PyResult<String> {
        detached(py, || puhui::api::products_text(&self.inner))
    }

    /// Assesses one applicant (JSON bytes); compact JSON text.
    fn assess_json(&self, py: Python<'_>, applicant: &[u8]) -> PyResult<String> {
        detached(py, || puhui::api::assess_text(&self.inner, applicant))
    }

    /// The variable names of the bundle's pre-eligibility card (empty without a model).
    fn card_variables(&self) -> Vec<String> {
        self.inner
            .catalog()
            .pre_eligibility
            .as_ref()
            .map(|model| variable_names(model.card()))
            .unwrap_or_default()
    }

    /// Quotes every row of the columns; see `columns::quote_rows`.
    fn quote_columns<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        columns: Vec<ColumnArg<'py>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        detached_columns(py, &columns, |parsed| quote_rows(&self.inner, rows, parsed))
    }

    /// Scores every row with the bundle's pre-eligibility card and bands.
    fn score_columns<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        columns: Vec<ColumnArg<'py>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let Some(model) = self.inner.catalog().pre_eligibility.as_ref() else {
            return Err(py_error(
                py,
                &puhui::engine::EngineError::NoPreEligibility.to_api(),
            ));
        };
        detached_columns(py, &columns, |parsed| {
            score_rows(model.card(), Some(&model.model().bands), rows, parsed)
        })
    }
}

/// A compiled scorecard, or an eligibility model's card with its bands.
#[pyclass(module = "puhui._puhui", frozen, name = "Scorecard")]
struct Scorecard {
    card: CompiledCard,
    bands: Option<Vec<Band>>,
}

#[pymethods]
impl Scorecard {
    /// Compiles a card (puhui card JSON) or, with `model=True`, an eligibility model
    /// `{card, knockouts, bands, fields}` whose bands name each score's band.
    #[new]
    #[pyo3(signature = (json, model=false))]
    fn new(py: Python<'_>, json: &[u8], model: bool) -> PyResult<Scorecard> {
        detached(py, || {
            let made = if model {
                puhui::score::model_from_json(json)
                    .and_then(|m| CompiledModel::compile(&m))
                    .map(|m| Scorecard {
                        card: m.card().clone(),
                        bands: Some(m.model().bands.clone()),
                    })
            } else {
                puhui::score::scorecard_from_json(json)
                    .and_then(|c| CompiledCard::compile(&c))
                    .map(|card| Scorecard { card, bands: None })
            };
            made.map_err(|e| e.to_api())
        })
    }

    /// The card's variable names, in card order.
    fn variables(&self) -> Vec<String> {
        variable_names(&self.card)
    }

    /// Scores one JSON-lines applicant: `{"score":"…","reasons":[…]}` exactly as `puhui score`.
    fn score_line(&self, py: Python<'_>, line: &[u8]) -> PyResult<String> {
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        self.card
            .score_json_line(line, &mut scratch, &mut out)
            .map_err(|e| py_error(py, &e.to_api()))?;
        String::from_utf8(out)
            .map_err(|e| py_error(py, &ApiError::new("internal", e.to_string(), None)))
    }

    /// Scores every row of the columns; see `score_rows`.
    fn score_columns<'py>(
        &self,
        py: Python<'py>,
        rows: usize,
        columns: Vec<ColumnArg<'py>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        detached_columns(py, &columns, |parsed| {
            score_rows(&self.card, self.bands.as_deref(), rows, parsed)
        })
    }
}

fn variable_names(card: &CompiledCard) -> Vec<String> {
    card.card()
        .variables
        .iter()
        .map(|variable| variable.name.clone())
        .collect()
}

/// One input column as Python passes it: `(name, kind, validity, offsets, data, offset)` where
/// `kind` is 0 (number or boolean text, written as is), 1 (text, written as a JSON string) or
/// 2 (JSON text, written as is after a syntax check); `offsets` are little-endian int64
/// (Arrow `large_string`), `validity` an Arrow bitmap or `None`, `offset` the array offset.
type ColumnArg<'py> = (
    String,
    u8,
    Option<Bound<'py, PyBytes>>,
    Bound<'py, PyBytes>,
    Bound<'py, PyBytes>,
    usize,
);

fn parse_columns<'a>(py: Python<'_>, args: &'a [ColumnArg<'_>]) -> PyResult<Vec<Column<'a>>> {
    args.iter()
        .map(|(name, kind, validity, offsets, data, offset)| {
            Column::new(
                name,
                *kind,
                validity.as_ref().map(|v| v.as_bytes()),
                offsets.as_bytes(),
                data.as_bytes(),
                *offset,
            )
            .map_err(|e| py_error(py, &e))
        })
        .collect()
}

/// Output columns, in the order the Python side names them.
enum OutCol {
    Str(StrCol),
    List(ListCol),
    Bool(BoolCol),
}

struct Output(Vec<OutCol>);

impl Output {
    /// Each column as `("str"|"list"|"bool", buffers…, null_count)` for `pa.Array.from_buffers`.
    fn into_py(self, py: Python<'_>) -> PyResult<Vec<Bound<'_, PyAny>>> {
        self.0
            .into_iter()
            .map(|col| {
                let bytes = |v: &[u8]| PyBytes::new(py, v);
                let tuple = match col {
                    OutCol::Str(c) => (
                        "str",
                        bytes(&c.validity),
                        bytes(&c.offsets),
                        bytes(&c.data),
                        c.nulls,
                        None::<(Bound<'_, PyBytes>, Bound<'_, PyBytes>)>,
                    )
                        .into_pyobject(py)?,
                    OutCol::List(c) => (
                        "list",
                        bytes(&c.validity),
                        bytes(&c.offsets),
                        bytes(&c.child.data),
                        c.nulls,
                        Some((bytes(&c.child.offsets), bytes(&c.child.validity))),
                    )
                        .into_pyobject(py)?,
                    OutCol::Bool(c) => (
                        "bool",
                        bytes(&c.validity),
                        bytes(&c.values),
                        bytes(&[]),
                        c.nulls,
                        None::<(Bound<'_, PyBytes>, Bound<'_, PyBytes>)>,
                    )
                        .into_pyobject(py)?,
                };
                Ok(tuple.into_any())
            })
            .collect()
    }
}

/// Scores `rows` rows: columns `score`, `band`, `reasons`, `error_code`, `error_message`,
/// `error_path`. A row that cannot be scored gets nulls and its error; the batch goes on.
fn score_rows(
    card: &CompiledCard,
    bands: Option<&[Band]>,
    rows: usize,
    columns: &[Column<'_>],
) -> Result<Output, ApiError> {
    let mut score = StrCol::with_rows(rows);
    let mut band = StrCol::with_rows(rows);
    let mut reasons = ListCol::with_rows(rows);
    let mut errors = ErrorCols::with_rows(rows);
    let mut json = RowJson::default();
    let mut scratch = Scratch::default();
    let mut text = String::with_capacity(32);
    for row in 0..rows {
        // The typed half of `puhui score`'s line (CompiledCard::score_line): the same scan and
        // bins, the score's own Display as the line prints it, no JSON written and re-read.
        let scored = json.build(columns, row).and_then(|()| {
            card.score_line(json.bytes(), &mut scratch)
                .map_err(|e| e.to_api())
        });
        match scored {
            Ok(value) => {
                use std::fmt::Write as _;
                text.clear();
                let _ = write!(text, "{value}");
                let band_id = bands.and_then(|bands| {
                    bands
                        .iter()
                        .find(|b| b.holds(value))
                        .map(|b| b.id.as_bytes())
                });
                score.push(Some(text.as_bytes()))?;
                band.push(band_id)?;
                reasons.push_strs(card.reason_codes(&scratch))?;
                errors.ok()?;
            }
            Err(error) => {
                score.push(None)?;
                band.push(None)?;
                reasons.push(None)?;
                errors.push(&error)?;
            }
        }
    }
    let [code, message, path] = errors.into_cols();
    Ok(Output(vec![
        OutCol::Str(score),
        OutCol::Str(band),
        OutCol::List(reasons),
        OutCol::Str(code),
        OutCol::Str(message),
        OutCol::Str(path),
    ]))
}

struct ErrorCols {
    code: StrCol,
    message: StrCol,
    path: StrCol,
}

impl ErrorCols {
    fn with_rows(rows: usize) -> ErrorCols {
        ErrorCols {
            code: StrCol::with_rows(rows),
            message: StrCol::with_rows(rows),
            path: StrCol::with_rows(rows),
        }
    }

    fn ok(&mut self) -> Result<(), ApiError> {
        self.code.push(None)?;
        self.message.push(None)?;
        self.path.push(None)
    }

    fn push(&mut self, error: &ApiError) -> Result<(), ApiError> {
        self.code.push(Some(error.code.as_bytes()))?;
        self.message.push(Some(error.message.as_bytes()))?;
        self.path.push(error.path.as_deref().map(str::as_bytes))
    }

    fn into_cols(self) -> [StrCol; 3] {
        [self.code, self.message, self.path]
    }
}

/// The string figures of a quote, by JSON pointer into the quote's own JSON (so each value is
/// the very string `puhui quote` prints): output column order of `quote_batch`.
pub const QUOTE_FIGURES: &[(&str, &str)] = &[
    ("apr", "/disclosure/cn/rate"),
    ("apr_percent", "/disclosure/cn/percent"),
    ("payment", "/schedule/installments/0/payment"),
    ("total_repaid", "/disclosure/totalRepaid"),
    ("total_cost", "/disclosure/totalCost"),
    ("subsidy", "/subsidy/total"),
    ("net_apr", "/subsidy/netRate"),
];

/// Quotes `rows` rows: the [`QUOTE_FIGURES`] columns, then `compliant`, `caps_flagged`,
/// `error_code`, `error_message`, `error_path`.
fn quote_rows(
    engine: &CoreEngine,
    rows: usize,
    columns: &[Column<'_>],
) -> Result<Output, ApiError> {
    let mut figures: Vec<StrCol> = QUOTE_FIGURES
        .iter()
        .map(|_| StrCol::with_rows(rows))
        .collect();
    let mut compliant = BoolCol::with_rows(rows);
    let mut flagged = ListCol::with_rows(rows);
    let mut errors = ErrorCols::with_rows(rows);
    let mut json = RowJson::default();
    for row in 0..rows {
        let quoted = json
            .build(columns, row)
            .and_then(|()| puhui::engine::QuoteRequest::from_json(json.bytes()))
            .and_then(|request| engine.quote_request(&request).map_err(|e| e.to_api()))
            .and_then(|mut quote| {
                // Only the figures read below are serialized (by the quote's own serializers):
                // the per-period lists and texts are dropped first, they are most of the bytes.
                quote.schedule.installments.truncate(1);
                quote.texts.clear();
                if let Some(subsidy) = quote.subsidy.as_mut() {
                    subsidy.per_period.clear();
                    subsidy.per_period_detail.clear();
                    subsidy.programs.clear();
                }
                serde_json::to_value(&quote)
                    .map_err(|e| ApiError::new("internal", e.to_string(), None))
            });
        match quoted {
            Ok(value) => {
                for (col, (_, pointer)) in figures.iter_mut().zip(QUOTE_FIGURES) {
                    col.push(
                        value
                            .pointer(pointer)
                            .and_then(Value::as_str)
                            .map(str::as_bytes),
                    )?;
                }
                compliant.push(value.pointer("/caps/compliant").and_then(Value::as_bool));
                let ids: Vec<String> = value
                    .pointer("/caps/flagged")
                    .and_then(Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|item| item.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                flagged.push(Some(&ids))?;
                errors.ok()?;
            }
            Err(error) => {
                for col in &mut figures {
                    col.push(None)?;
                }
                compliant.push(None);
                flagged.push(None)?;
                errors.push(&error)?;
            }
        }
    }
    let [code, message, path] = errors.into_cols();
    let mut out: Vec<OutCol> = figures.into_iter().map(OutCol::Str).collect();
    out.push(OutCol::Bool(compliant));
    out.push(OutCol::List(flagged));
    out.push(OutCol::Str(code));
    out.push(OutCol::Str(message));
    out.push(OutCol::Str(path));
    Ok(Output(out))
}

/// The names of `quote_batch`'s string figure columns, in order.
#[pyfunction]
fn quote_figure_names() -> Vec<&'static str> {
    QUOTE_FIGURES.iter().map(|(name, _)| *name).collect()
}

/// The Python module.
#[pymodule]
fn _puhui(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(call_text, module)?)?;
    module.add_function(wrap_pyfunction!(verify_text, module)?)?;
    module.add_function(wrap_pyfunction!(quote_figure_names, module)?)?;
    module.add_class::<Engine>()?;
    module.add_class::<Scorecard>()?;
    module.add("ENGINE_VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
