//! One finding of the catalog's compile or lint: severity, stable code, message and the JSON
//! path inside the payload. Every [`ProductError`] the compile stages report becomes one, worded
//! as lint has always worded it.

use super::product::ProductError;
use crate::error::ErrorCode;
use serde::Serialize;

/// How bad a finding is: errors make `puhui lint` exit non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The bundle must not be signed.
    Error,
    /// Probably a mistake; the bundle still works.
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Stable kebab-case code.
    pub code: String,
    /// Lowercase explanation.
    pub message: String,
    /// JSON path inside the payload (empty for the whole payload).
    pub path: String,
}

impl Diagnostic {
    /// A finding.
    pub fn new(
        severity: Severity,
        code: &str,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.to_owned(),
            message: message.into(),
            path: path.into(),
        }
    }
}

impl From<&ProductError> for Diagnostic {
    /// A compile problem as an error finding. Problems another module found carry that
    /// module's code; references and duplicate entries are worded without their path (the
    /// finding has it); the rest is the error's own text.
    fn from(problem: &ProductError) -> Diagnostic {
        let (code, message) = match problem {
            ProductError::Checked { code, reason, .. } => (*code, reason.clone()),
            ProductError::UnknownReference { what, id, .. } => {
                (problem.code(), format!("unknown {what} {id:?}"))
            }
            ProductError::DuplicateEntry { id, .. } => {
                (problem.code(), format!("duplicate id {id:?}"))
            }
            _ => (problem.code(), problem.to_string()),
        };
        Diagnostic::new(Severity::Error, code, problem.payload_path(), message)
    }
}
