//! Pre-eligibility on the device: scorecards, knock-out rules, score bands, indicative limits
//! and reason codes (domain-math §6).
//!
//! Owns the scorecard model and its scoring ([`card`]), the exact JSON reader applicants and
//! rules go through ([`json`]), the JSONLogic evaluator for knock-out rules ([`jsonlogic`]),
//! the eligibility model that ties a card, rules and bands together ([`mod@assess`]), the
//! importers from Python modelling tools ([`import`]), and the JSON operations `score` and
//! `assess` that [`crate::api`] dispatches to.
//! It must not price loans: indicative quotes are built by the bundle engine from what
//! [`assess::Assessment::offer_inputs`] hands over (price band and limit).
//! No `f64` anywhere: applicant numbers and rule literals are parsed digit for digit into
//! `Decimal` by [`json`], never through `serde_json::Number`.
//!
//! ## Wire formats
//! A card (`Scorecard`; decimals as strings; bins match in the order given, see [`card`]):
//! ```text
//! {"id": "demo", "basePoints": "500",
//!  "scaling": {"pdo": "50", "baseOdds": "0.05", "baseScore": "600"},   (optional metadata)
//!  "rounding": {"mode": "half-up", "dp": 0}, "reasonCount": 4, "strict": false,
//!  "variables": [
//!   {"name": "age", "type": "numeric", "reasonCode": "AGE", "text": {"zh-CN": "年龄", "en": "Age"},
//!    "bins": [{"missing": true, "points": "-5"},
//!             {"special": ["-999"], "points": "-10"},
//!             {"range": {"upper": "25"}, "points": "0"},                       (-inf, 25)
//!             {"range": {"lower": "25", "upper": "40"}, "points": "10"},        [25, 40), the default
//!             {"range": {"lower": "40", "closure": "[]", "upper": "60"}, "points": "20"},
//!             {"range": {"lower": "60", "closure": "()"}, "points": "40"},
//!             {"else": true, "points": "-20"}]},
//!   {"name": "housing", "type": "categorical", "reasonCode": "HOU",
//!    "bins": [{"categories": ["own"], "points": "15"}, {"missing": true, "points": "0"},
//!             {"else": true, "points": "-3"}]}]}
//! ```
//! An applicant is a JSON object: numbers as JSON numbers or plain decimal strings, categories as
//! strings, `null` or absent = missing.
//! An eligibility model (`EligibilityModel`): `{"card": {...}, "fields": ["residency", ...],
//! "knockouts": [{"id", "reasonCode", "text": {"zh-CN", "en"}, "when": <JSONLogic>}],
//! "bands": [{"id", "minScore"?, "maxScore"?, "decision": "likely|refer|unlikely",
//! "priceBand"?, "limit"?: {"incomeMultiple", "incomeField"?, "repaymentsField"?, "cap"?,
//! "step"?}}]}`; `fields` declares applicant fields that rules and limits read besides the card
//! variables.
//!
//! Operations ([`crate::api::call`]):
//! - `score`: `{"card", "applicant"}` → `{"score": "538", "rawScore": "537.5", "reasons":
//!   [{"code", "variable", "shortfall", "text"?}], "points": [{"variable", "bin", "label"?,
//!   "points"}]}`;
//! - `assess`: `{"model", "applicant"}` → `{"decision", "score": "548" | null, "band": {"id",
//!   "priceBand"?} | null, "reasons": [...], "knockedOut": [{"id", "reasonCode", "text"}],
//!   "decidedBy": "KO_AGE" | null, "limit": "50000.00" | null}`.
//!
//! Batch (`CompiledCard::score_json_line`, used by `puhui score`): one line in,
//! `{"score":"538","reasons":["AGE"]}` out.

pub mod assess;
pub mod card;
pub mod import;
/// The exact JSON reader, kept at its old path (it lives in [`crate::json::exact`]).
pub use crate::json::exact as json;
pub mod jsonlogic;
pub mod wire;
mod write;

pub use assess::{assess, Assessment, CompiledModel, Decision, EligibilityModel};
pub use card::{lint_card, CompiledCard, Diagnostic, ScoreOutcome, Scorecard, Severity};

use crate::error::{ApiError, ErrorCode};
use json::JsonError;
use jsonlogic::LogicError;

/// Why scoring or assessing an applicant failed, or why a card or model was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// The card cannot be scored (duplicate variable, bin kind that does not fit, …).
    #[error("invalid scorecard: {reason}")]
    InvalidCard {
        /// JSON path in the card.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The eligibility model is inconsistent (a band without decision, duplicate rule ids, …).
    #[error("invalid eligibility model: {reason}")]
    InvalidModel {
        /// JSON path in the model.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// The applicant is not JSON (or too deep, or has a number beyond 28 digits).
    #[error("malformed applicant: {0}")]
    MalformedApplicant(JsonError),
    /// A field holds the wrong JSON type for its variable.
    #[error("wrong type at {path}: expected {expected}, got {found}")]
    WrongType {
        /// JSON path of the field.
        path: String,
        /// The type the variable needs.
        expected: &'static str,
        /// The type found.
        found: &'static str,
    },
    /// A numeric field holds a string that is not a plain decimal (`"NaN"`, `"Infinity"`, `""`).
    #[error("not a number at {path}: {text:?}")]
    NotANumber {
        /// JSON path of the field.
        path: String,
        /// The text found.
        text: String,
    },
    /// A numeric field is beyond the accepted magnitude.
    #[error("number out of range at {path}")]
    NumberOutOfRange {
        /// JSON path of the field.
        path: String,
    },
    /// A field the strict card does not know.
    #[error("unknown field {path}")]
    UnknownField {
        /// JSON path of the field.
        path: String,
    },
    /// The same field twice.
    #[error("duplicate field {path}")]
    DuplicateField {
        /// JSON path of the field.
        path: String,
    },
    /// No bin takes the value (the card lacks a `missing` or `else` bin).
    #[error("no bin takes the value at {path}")]
    NoBin {
        /// JSON path of the field.
        path: String,
    },
    /// No band covers the score.
    #[error("no band covers score {score}")]
    NoBand {
        /// The score.
        score: String,
    },
    /// A knock-out rule could not be evaluated.
    #[error("knock-out rule {id:?}: {source}")]
    Rule {
        /// JSON path of the rule.
        path: String,
        /// The rule id.
        id: String,
        /// Why.
        source: LogicError,
    },
    /// Points or limits overflowed the decimal range.
    #[error("arithmetic overflow")]
    Overflow,
    /// The request (card, model) is not JSON.
    #[error("malformed request: {0}")]
    MalformedRequest(JsonError),
    /// A request field is unknown, missing or of the wrong shape (codes as
    /// `crate::error::from_json_slice` gives them).
    #[error("{message}")]
    Request {
        /// `unknown-field`, `missing-field` or `invalid-request`.
        code: &'static str,
        /// JSON path.
        path: String,
        /// Lowercase explanation.
        message: String,
    },
}

impl From<crate::money::Overflow> for ScoreError {
    fn from(_: crate::money::Overflow) -> Self {
        ScoreError::Overflow
    }
}

impl ScoreError {
    /// The same error with its applicant path placed under `prefix` (`applicant.income`).
    pub fn under(self, prefix: &str) -> ScoreError {
        let join = |path: String| {
            if path.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix}.{path}")
            }
        };
        match self {
            ScoreError::WrongType {
                path,
                expected,
                found,
            } => ScoreError::WrongType {
                path: join(path),
                expected,
                found,
            },
            ScoreError::NotANumber { path, text } => ScoreError::NotANumber {
                path: join(path),
                text,
            },
            ScoreError::NumberOutOfRange { path } => {
                ScoreError::NumberOutOfRange { path: join(path) }
            }
            ScoreError::UnknownField { path } => ScoreError::UnknownField { path: join(path) },
            ScoreError::DuplicateField { path } => ScoreError::DuplicateField { path: join(path) },
            ScoreError::NoBin { path } => ScoreError::NoBin { path: join(path) },
            other => other,
        }
    }
}

impl ErrorCode for ScoreError {
    fn code(&self) -> &'static str {
        match self {
            ScoreError::InvalidCard { .. } => "invalid-scorecard",
            ScoreError::InvalidModel { .. } => "invalid-model",
            ScoreError::MalformedApplicant(_) => "malformed-applicant",
            ScoreError::WrongType { .. } => "wrong-type",
            ScoreError::NotANumber { .. } => "not-a-number",
            ScoreError::NumberOutOfRange { .. } => "number-out-of-range",
            ScoreError::UnknownField { .. } => "unknown-field",
            ScoreError::DuplicateField { .. } => "duplicate-key",
            ScoreError::NoBin { .. } => "no-matching-bin",
            ScoreError::NoBand { .. } => "no-matching-band",
            ScoreError::Rule { .. } => "rule-error",
            ScoreError::Overflow => "overflow",
            ScoreError::MalformedRequest(_) => "malformed-json",
            ScoreError::Request { code, .. } => code,
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            ScoreError::InvalidCard { path, .. }
            | ScoreError::InvalidModel { path, .. }
            | ScoreError::WrongType { path, .. }
            | ScoreError::NotANumber { path, .. }
            | ScoreError::NumberOutOfRange { path }
            | ScoreError::UnknownField { path }
            | ScoreError::DuplicateField { path }
            | ScoreError::NoBin { path }
            | ScoreError::Rule { path, .. }
            | ScoreError::Request { path, .. } => Some(path.clone()).filter(|p| !p.is_empty()),
            _ => None,
        }
    }
}

/// Parses an applicant object exactly (numbers to `Decimal`, no `f64`).
pub fn parse_applicant(bytes: &[u8]) -> Result<json::Value, ScoreError> {
    json::parse(bytes).map_err(|error| match error.issue {
        // Same code as the batch path, which finds duplicates while scanning.
        json::JsonIssue::DuplicateKey(key) => ScoreError::DuplicateField { path: key },
        _ => ScoreError::MalformedApplicant(error),
    })
}

/// `score`: `{card, applicant}` → the JSON text of `{score, rawScore, reasons, points}`. The
/// whole request is read by the exact reader ([`wire`]), so applicant numbers never pass through
/// `f64`.
pub fn score_json(request: &[u8]) -> Result<String, ApiError> {
    let request = wire::parse_request(request).map_err(|e| e.to_api())?;
    let (card, applicant) = wire::request_members(&request, "card").map_err(|e| e.to_api())?;
    let card = wire::scorecard_from_value(card, "card").map_err(|e| e.to_api())?;
    let card = CompiledCard::compile(&card).map_err(|e| under_card(e, "card").to_api())?;
    let outcome = card
        .score(applicant)
        .map_err(|e| e.under("applicant").to_api())?;
    Ok(outcome.to_json())
}

/// `assess`: `{model, applicant}` → the JSON text of an [`Assessment`].
pub fn assess_json(request: &[u8]) -> Result<String, ApiError> {
    let request = wire::parse_request(request).map_err(|e| e.to_api())?;
    let (model, applicant) = wire::request_members(&request, "model").map_err(|e| e.to_api())?;
    let model = wire::model_from_value(model, "model").map_err(|e| e.to_api())?;
    let model = CompiledModel::compile(&model).map_err(|e| under_card(e, "model").to_api())?;
    let assessment = assess(&model, applicant).map_err(|e| e.under("applicant").to_api())?;
    Ok(assessment.to_json())
}

/// Reads a card file's bytes (the puhui card format) exactly.
pub fn scorecard_from_json(bytes: &[u8]) -> Result<Scorecard, ScoreError> {
    wire::scorecard_from_value(&wire::parse_request(bytes)?, "")
}

/// Reads an eligibility model's bytes exactly.
pub fn model_from_json(bytes: &[u8]) -> Result<EligibilityModel, ScoreError> {
    wire::model_from_value(&wire::parse_request(bytes)?, "")
}

/// Places card/model paths under their request field.
fn under_card(error: ScoreError, prefix: &str) -> ScoreError {
    match error {
        ScoreError::InvalidCard { path, reason } => ScoreError::InvalidCard {
            path: format!("{prefix}.{path}"),
            reason,
        },
        ScoreError::InvalidModel { path, reason } => ScoreError::InvalidModel {
            path: format!("{prefix}.{path}"),
            reason,
        },
        other => other,
    }
}
