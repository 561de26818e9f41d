//! Pre-eligibility preview: a table of sample applicants through the draft's model and the
//! live one, side by side, with the count of decisions that change.
//!
//! Applicants arrive as JSON lines (the page turns CSV into JSON lines, keeping every number's
//! digits as written); each line is read exactly by the core's applicant reader, never as `f64`.
//! It must not keep applicants anywhere: they exist only for the duration of the call.

use puhui::engine::Engine;
use puhui::error::{ApiError, ErrorCode};
use serde::Serialize;
use serde_json::Value;

/// Most applicant lines one call assesses.
pub const MAX_APPLICANTS: usize = 10_000;

/// One side of a row: the engine's assessment, or its error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// The bundle assessment (`decision`, `score`, `band`, `reasons`, `offers`, `preview`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// `{code, message, path}` when the applicant cannot be assessed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// One applicant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// 1-based line number in the input (blank lines counted).
    pub line: usize,
    /// The draft's answer.
    pub draft: Side,
    /// The live bundle's answer (absent without a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<Side>,
    /// The decision (or error code) differs between draft and live.
    pub decision_changed: bool,
}

/// The table response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// Always true for a draft.
    pub preview: bool,
    /// Applicants assessed.
    pub count: usize,
    /// Rows whose decision changed.
    pub changed: usize,
    /// One row per non-blank line.
    pub rows: Vec<Row>,
}

fn side(engine: &Engine, line: &[u8]) -> Side {
    match engine.assess(line) {
        Ok(result) => match serde_json::to_value(&result) {
            Ok(value) => Side {
                result: Some(value),
                error: None,
            },
            Err(e) => Side {
                result: None,
                error: Some(ApiError::new("internal", e.to_string(), None)),
            },
        },
        Err(e) => Side {
            result: None,
            error: Some(e.to_api()),
        },
    }
}

fn outcome(side: &Side) -> Option<&Value> {
    match &side.result {
        Some(result) => result.get("decision"),
        None => None,
    }
}

/// Assesses every non-blank line of `lines` with `draft` and, when given, `baseline`.
///
/// Errors: `too-many-applicants` past [`MAX_APPLICANTS`]. A line the engine refuses becomes
/// a row with the engine's error (code and JSON path inside the applicant).
pub fn table(draft: &Engine, baseline: Option<&Engine>, lines: &str) -> Result<Table, ApiError> {
    let mut rows = Vec::new();
    for (idx, line) in lines.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if rows.len() == MAX_APPLICANTS {
            return Err(ApiError::new(
                "too-many-applicants",
                format!("at most {MAX_APPLICANTS} applicants per table"),
                None,
            ));
        }
        let drafted = side(draft, line.as_bytes());
        let live = baseline.map(|engine| side(engine, line.as_bytes()));
        let decision_changed = live.as_ref().is_some_and(|live| {
            outcome(&drafted) != outcome(live)
                || drafted.error.as_ref().map(|e| &e.code) != live.error.as_ref().map(|e| &e.code)
        });
        rows.push(Row {
            line: idx + 1,
            draft: drafted,
            live,
            decision_changed,
        });
    }
    Ok(Table {
        preview: draft.preview(),
        count: rows.len(),
        changed: rows.iter().filter(|r| r.decision_changed).count(),
        rows,
    })
}

/// [`table`] as compact JSON text.
pub fn table_json(
    draft: &Engine,
    baseline: Option<&Engine>,
    lines: &str,
) -> Result<String, ApiError> {
    let table = table(draft, baseline, lines)?;
    serde_json::to_string(&table)
        .map_err(|e| ApiError::new("internal", format!("table serialization: {e}"), None))
}
