//! The scorecard: its wire model, its compiled form, scoring one applicant, and card lint.
//!
//! Owns [`Scorecard`] (camelCase JSON, decimal strings), [`CompiledCard`] (bins precomputed as
//! scaled integers so that scoring an applicant is integer comparisons and no allocation),
//! [`CompiledCard::score`] / [`CompiledCard::score_json_line`], and [`lint_card`].
//! It must not know about knock-out rules, bands or products (see `assess`).
//!
//! Binning, per variable: an absent or `null` value takes the `missing` bin; a number first meets
//! the `special` values (exact equality), then the `range` bins in card order (first match wins,
//! closure `[)` unless stated), then `else`; a string meets the `categories` bins in card order,
//! then `else`. A value no bin takes is [`ScoreError::NoBin`]: cards should have `missing` and
//! `else` bins, and lint says so.

use super::json::{scan_object, Scalar, ScanError, Value};
use super::ScoreError;
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

pub use super::wire::card::*;
use std::borrow::Cow;

/// Most decimals in a bin boundary or special value.
const MAX_BOUND_SCALE: u32 = 20;
/// Most decimals of the final score.
const MAX_SCORE_DP: u32 = 8;
/// No bin: the sentinel in per-applicant scratch.
const UNSET: u32 = u32::MAX;

/// A number as an integer at the card's boundary scale: `floor(value × 10^scale)` and whether
/// anything was left over. Comparing it with scaled boundaries is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scaled {
    floor: i128,
    has_fraction: bool,
}

#[derive(Debug, Clone)]
struct CompiledRange {
    lower: Option<(i128, bool)>,
    upper: Option<(i128, bool)>,
    bin: u32,
}

#[derive(Debug, Clone)]
struct CompiledVariable {
    numeric: bool,
    missing_bin: Option<u32>,
    else_bin: Option<u32>,
    specials: Vec<(i128, u32)>,
    ranges: Vec<CompiledRange>,
    categories: Vec<(String, u32)>,
    /// Categorical variables with `values: numbers`: the categories as numbers.
    number_categories: Option<Vec<(Decimal, u32)>>,
    /// Points of each bin at the card's points scale.
    points: Vec<i128>,
    best_points: i128,
    /// The reason code already escaped as a JSON string literal (with quotes).
    code_json: String,
}

/// A scorecard ready to score: bins precomputed, nothing allocated per applicant.
#[derive(Debug, Clone)]
pub struct CompiledCard {
    card: Scorecard,
    variables: Vec<CompiledVariable>,
    bound_scale: u32,
    points_scale: u32,
    base_points: i128,
}

/// Per-applicant working memory, reused across applicants by the batch scorer.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    bins: Vec<u32>,
    /// Top reasons so far: (shortfall, variable index), worst first.
    reasons: Vec<(i128, u32)>,
}

/// Byte equality without a libc call: names and categories are short, and this is the
/// per-field hot path.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The score of one applicant.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreOutcome {
    /// The final score, rounded by the card's rule, as a decimal string.
    #[serde(serialize_with = "ser_display")]
    pub score: Decimal,
    /// Base points plus every variable's points, before rounding.
    #[serde(serialize_with = "ser_display")]
    pub raw_score: Decimal,
    /// The top reasons, worst first.
    pub reasons: Vec<Reason>,
    /// Each variable's bin and points, in card order.
    pub points: Vec<VariablePoints>,
}

fn ser_display<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

/// A reason code: a variable whose points fall below its best bin's.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The reason code.
    pub code: String,
    /// The variable.
    pub variable: String,
    /// Best points of the variable minus the applicant's points (> 0).
    #[serde(serialize_with = "ser_display")]
    pub shortfall: Decimal,
    /// Display text, when the card has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
}

/// Which bin a variable took and its points.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariablePoints {
    /// The variable.
    pub variable: String,
    /// Index of the bin in the card.
    pub bin: usize,
    /// Its label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Points.
    #[serde(serialize_with = "ser_display")]
    pub points: Decimal,
}

fn pow10(exp: u32) -> Option<i128> {
    crate::money::POW10.get(exp as usize).copied()
}

/// `value × 10^scale` as an integer, when exact and in range.
fn scale_exact(value: Decimal, scale: u32) -> Option<i128> {
    let shift = scale.checked_sub(value.scale())?;
    value.mantissa().checked_mul(pow10(shift)?)
}

fn to_scaled(value: Decimal, scale: u32) -> Scaled {
    let mantissa = value.mantissa();
    let value_scale = value.scale();
    if value_scale <= scale {
        let shifted = pow10(scale - value_scale).and_then(|p| mantissa.checked_mul(p));
        match shifted {
            Some(floor) => Scaled {
                floor,
                has_fraction: false,
            },
            // Beyond every boundary (boundaries are far smaller); saturate on the right side.
            None => Scaled {
                floor: if mantissa < 0 { i128::MIN } else { i128::MAX },
                has_fraction: false,
            },
        }
    } else {
        // value_scale - scale ≤ 28, so the divisor fits.
        let divisor = pow10(value_scale - scale).unwrap_or(i128::MAX);
        Scaled {
            floor: mantissa.div_euclid(divisor),
            has_fraction: mantissa.rem_euclid(divisor) != 0,
        }
    }
}

impl CompiledRange {
    fn contains(&self, value: Scaled) -> bool {
        let above = match self.lower {
            None => true,
            Some((bound, true)) => value.floor >= bound,
            Some((bound, false)) => {
                value.floor > bound || (value.floor == bound && value.has_fraction)
            }
        };
        let below = match self.upper {
            None => true,
            Some((bound, false)) => value.floor < bound,
            Some((bound, true)) => {
                value.floor < bound || (value.floor == bound && !value.has_fraction)
            }
        };
        above && below
    }
}

fn is_nan_like(text: &str) -> bool {
    let trimmed = text.trim().trim_start_matches(['+', '-']);
    trimmed.is_empty()
        || trimmed.eq_ignore_ascii_case("nan")
        || trimmed.eq_ignore_ascii_case("infinity")
        || trimmed.eq_ignore_ascii_case("inf")
}

impl CompiledVariable {
    fn bin_for_number(&self, value: Decimal, bound_scale: u32) -> Option<u32> {
        let scaled = to_scaled(value, bound_scale);
        if !scaled.has_fraction {
            if let Some((_, bin)) = self.specials.iter().find(|(s, _)| *s == scaled.floor) {
                return Some(*bin);
            }
        }
        self.ranges
            .iter()
            .find(|range| range.contains(scaled))
            .map(|range| range.bin)
            .or(self.else_bin)
    }

    /// The bin of one applicant value; `name` is only used to build errors.
    fn bin_for(&self, name: &str, value: &Scalar<'_>, bound_scale: u32) -> Result<u32, ScoreError> {
        let no_bin = || ScoreError::NoBin {
            path: name.to_owned(),
        };
        let takes_numbers = self.numeric || self.number_categories.is_some();
        let wrong = |found: &'static str| ScoreError::WrongType {
            path: name.to_owned(),
            expected: if takes_numbers { "number" } else { "string" },
            found,
        };
        if let Some(categories) = &self.number_categories {
            return match value {
                Scalar::Null => self.missing_bin.or(self.else_bin).ok_or_else(no_bin),
                Scalar::Number(number) => categories
                    .iter()
                    .find(|(category, _)| category == number)
                    .map(|(_, bin)| *bin)
                    .or(self.else_bin)
                    .ok_or_else(no_bin),
                Scalar::Bool(_) => Err(wrong("boolean")),
                Scalar::Array => Err(wrong("array")),
                Scalar::Object => Err(wrong("object")),
                Scalar::String(_) => Err(wrong("string")),
            };
        }
        match value {
            Scalar::Null => self.missing_bin.or(self.else_bin).ok_or_else(no_bin),
            Scalar::Bool(_) => Err(wrong("boolean")),
            Scalar::Array => Err(wrong("array")),
            Scalar::Object => Err(wrong("object")),
            Scalar::Number(number) if self.numeric => {
                self.bin_for_number(*number, bound_scale).ok_or_else(no_bin)
            }
            Scalar::Number(_) => Err(wrong("number")),
            Scalar::String(text) if self.numeric => {
                if is_nan_like(text) {
                    return Err(ScoreError::NotANumber {
                        path: name.to_owned(),
                        text: text.to_string(),
                    });
                }
                super::wire::applicant_card_number(name, text)
                    .and_then(|number| self.bin_for_number(number, bound_scale).ok_or_else(no_bin))
            }
            Scalar::String(text) => self
                .categories
                .iter()
                .find(|(category, _)| same(category, text))
                .map(|(_, bin)| *bin)
                .or(self.else_bin)
                .ok_or_else(no_bin),
        }
    }
}

fn invalid(path: String, reason: impl Into<String>) -> ScoreError {
    ScoreError::InvalidCard {
        path,
        reason: reason.into(),
    }
}

/// The scales a card compiles at: the most decimals of any bin boundary or special value
/// (at most [`MAX_BOUND_SCALE`]) and of any points value; refuses duplicate variable names.
fn card_scales(card: &Scorecard) -> Result<(u32, u32), ScoreError> {
    let mut bound_scale = 0;
    let mut points_scale = card.base_points.0.scale();
    for (var_idx, variable) in card.variables.iter().enumerate() {
        if card.variables[..var_idx]
            .iter()
            .any(|v| v.name == variable.name)
        {
            return Err(invalid(
                format!("variables[{var_idx}].name"),
                format!("duplicate variable {:?}", variable.name),
            ));
        }
        for bin in &variable.bins {
            points_scale = points_scale.max(bin.points.scale());
            let mut widen = |d: Decimal| bound_scale = bound_scale.max(d.scale());
            match &bin.matcher {
                BinMatch::Range(interval) => {
                    interval.lower.into_iter().for_each(&mut widen);
                    interval.upper.into_iter().for_each(&mut widen);
                }
                BinMatch::Special(values) => values.iter().copied().for_each(widen),
                _ => {}
            }
        }
    }
    if bound_scale > MAX_BOUND_SCALE {
        return Err(invalid(
            "variables".into(),
            "bin boundaries have more than 20 decimals",
        ));
    }
    Ok((bound_scale, points_scale))
}

impl CompiledCard {
    /// Checks and precomputes a card. Refuses what cannot be scored unambiguously
    /// (wrong bin kind for the variable, a boundary with more than 20 decimals, duplicate
    /// variable names); softer findings are left to [`lint_card`].
    pub fn compile(card: &Scorecard) -> Result<CompiledCard, ScoreError> {
        if card.rounding.dp > MAX_SCORE_DP {
            return Err(invalid("rounding.dp".into(), "at most 8 decimals"));
        }
        let (bound_scale, points_scale) = card_scales(card)?;
        let scale_points = |d: Decimal, path: String| {
            scale_exact(d, points_scale).ok_or_else(|| invalid(path, "points out of range"))
        };
        let mut variables = Vec::with_capacity(card.variables.len());
        for (var_idx, variable) in card.variables.iter().enumerate() {
            let numeric = variable.kind == VariableKind::Numeric;
            let mut compiled = CompiledVariable {
                numeric,
                missing_bin: None,
                else_bin: None,
                specials: Vec::new(),
                ranges: Vec::new(),
                categories: Vec::new(),
                number_categories: (!numeric && variable.values == Some(CategoryValues::Numbers))
                    .then(Vec::new),
                points: Vec::with_capacity(variable.bins.len()),
                best_points: 0,
                code_json: {
                    // Quoted and escaped as serde_json writes it (a string cannot fail to).
                    let mut quoted = Vec::with_capacity(variable.code().len() + 2);
                    crate::json::write::push_string(&mut quoted, variable.code());
                    crate::json::write::into_text(quoted)
                },
            };
            if variable.bins.is_empty() {
                return Err(invalid(format!("variables[{var_idx}].bins"), "no bins"));
            }
            for (bin_idx, bin) in variable.bins.iter().enumerate() {
                let path = format!("variables[{var_idx}].bins[{bin_idx}]");
                let bin_id =
                    u32::try_from(bin_idx).map_err(|_| invalid(path.clone(), "too many bins"))?;
                compiled
                    .points
                    .push(scale_points(bin.points, format!("{path}.points"))?);
                let bound = |d: Decimal| {
                    scale_exact(d, bound_scale)
                        .ok_or_else(|| invalid(path.clone(), "boundary out of range"))
                };
                match &bin.matcher {
                    BinMatch::Range(interval) if numeric => {
                        let lower = match interval.lower {
                            Some(d) => Some((bound(d)?, interval.lower_closed)),
                            None => None,
                        };
                        let upper = match interval.upper {
                            Some(d) => Some((bound(d)?, interval.upper_closed)),
                            None => None,
                        };
                        compiled.ranges.push(CompiledRange {
                            lower,
                            upper,
                            bin: bin_id,
                        });
                    }
                    BinMatch::Special(values) if numeric => {
                        for value in values {
                            compiled.specials.push((bound(*value)?, bin_id));
                        }
                    }
                    BinMatch::Categories(categories) if !numeric => {
                        for (idx, category) in categories.iter().enumerate() {
                            if let Some(numbers) = compiled.number_categories.as_mut() {
                                let number =
                                    super::wire::card::numeric_category(category, &path, idx)?;
                                numbers.push((number, bin_id));
                            } else {
                                compiled.categories.push((category.clone(), bin_id));
                            }
                        }
                    }
                    BinMatch::Missing => {
                        compiled.missing_bin.get_or_insert(bin_id);
                    }
                    BinMatch::Else => {
                        compiled.else_bin.get_or_insert(bin_id);
                    }
                    _ => {
                        return Err(invalid(
                            path,
                            format!(
                                "this bin kind does not fit a {} variable",
                                if numeric { "numeric" } else { "categorical" }
                            ),
                        ))
                    }
                }
            }
            compiled.best_points = compiled.points.iter().copied().max().unwrap_or(0);
            variables.push(compiled);
        }
        Ok(CompiledCard {
            card: card.clone(),
            variables,
            bound_scale,
            points_scale,
            base_points: scale_points(card.base_points.0, "basePoints".into())?,
        })
    }

    /// The card this was compiled from.
    pub fn card(&self) -> &Scorecard {
        &self.card
    }

    fn variable_index(&self, key: &str, hint: usize) -> Option<usize> {
        // Applicants usually list fields in card order: try the next one first.
        if self
            .card
            .variables
            .get(hint)
            .is_some_and(|v| same(&v.name, key))
        {
            return Some(hint);
        }
        self.card.variables.iter().position(|v| same(&v.name, key))
    }

    fn prepare(&self, scratch: &mut Scratch) {
        scratch.bins.clear();
        scratch.bins.resize(self.variables.len(), UNSET);
    }

    fn finish_missing(&self, scratch: &mut Scratch) -> Result<(), ScoreError> {
        for (idx, bin) in scratch.bins.iter_mut().enumerate() {
            if *bin == UNSET {
                let name = &self.card.variables[idx].name;
                *bin = self.variables[idx].bin_for(name, &Scalar::Null, self.bound_scale)?;
            }
        }
        Ok(())
    }

    /// Sums the points of the bins in `scratch` and picks the reasons; returns the raw score.
    fn total(&self, scratch: &mut Scratch) -> Result<Decimal, ScoreError> {
        let mut sum = self.base_points;
        for (variable, &bin) in self.variables.iter().zip(&scratch.bins) {
            let points = variable.points.get(bin as usize).copied().unwrap_or(0);
            sum = sum.checked_add(points).ok_or(ScoreError::Overflow)?;
        }
        // Top-k shortfalls, worst first, ties in card order: a small insertion sort, no allocation
        // once the scratch has grown.
        let limit = self.card.reason_count;
        scratch.reasons.clear();
        for (var_idx, (variable, &bin)) in self.variables.iter().zip(&scratch.bins).enumerate() {
            let shortfall =
                variable.best_points - variable.points.get(bin as usize).copied().unwrap_or(0);
            if shortfall <= 0 || limit == 0 {
                continue;
            }
            if scratch.reasons.len() == limit
                && scratch
                    .reasons
                    .last()
                    .is_some_and(|&(worst, _)| worst >= shortfall)
            {
                continue;
            }
            let position = scratch
                .reasons
                .iter()
                .position(|&(other, _)| other < shortfall)
                .unwrap_or(scratch.reasons.len());
            scratch
                .reasons
                .insert(position, (shortfall, var_idx as u32));
            scratch.reasons.truncate(limit);
        }
        Decimal::try_from_i128_with_scale(sum, self.points_scale).map_err(|_| ScoreError::Overflow)
    }

    fn rounded(&self, raw: Decimal) -> Decimal {
        let mut score =
            raw.round_dp_with_strategy(self.card.rounding.dp, self.card.rounding.mode.0.strategy());
        score.rescale(self.card.rounding.dp);
        if score.is_zero() {
            score.set_sign_positive(true);
        }
        score
    }

    /// Scores an applicant object (already parsed). Errors name the field (`income`).
    pub fn score(&self, applicant: &Value) -> Result<ScoreOutcome, ScoreError> {
        let mut scratch = Scratch::default();
        self.prepare(&mut scratch);
        let Value::Object(members) = applicant else {
            return Err(ScoreError::WrongType {
                path: String::new(),
                expected: "object",
                found: applicant.type_name(),
            });
        };
        for (key, value) in members {
            let Some(idx) = self.variable_index(key, 0) else {
                if self.card.strict {
                    return Err(ScoreError::UnknownField { path: key.clone() });
                }
                continue;
            };
            let scalar = match value {
                Value::Null => Scalar::Null,
                Value::Bool(b) => Scalar::Bool(*b),
                Value::Number(n) => match n.finite() {
                    Some(d) => Scalar::Number(d),
                    None => {
                        return Err(ScoreError::NotANumber {
                            path: key.clone(),
                            text: n.to_js_string(),
                        })
                    }
                },
                Value::String(s) => Scalar::String(Cow::Borrowed(s)),
                Value::Array(_) => Scalar::Array,
                Value::Object(_) => Scalar::Object,
            };
            scratch.bins[idx] = self.variables[idx].bin_for(key, &scalar, self.bound_scale)?;
        }
        self.finish_missing(&mut scratch)?;
        let raw_score = self.total(&mut scratch)?;
        let unscale =
            |v: i128| Decimal::try_from_i128_with_scale(v, self.points_scale).unwrap_or_default();
        let reasons = scratch
            .reasons
            .iter()
            .map(|&(_, idx)| {
                let variable = &self.card.variables[idx as usize];
                let compiled = &self.variables[idx as usize];
                let bin = scratch.bins[idx as usize] as usize;
                Reason {
                    code: variable.code().to_owned(),
                    variable: variable.name.clone(),
                    shortfall: unscale(compiled.best_points - compiled.points[bin]).normalize(),
                    text: variable.text.clone(),
                }
            })
            .collect();
        let points = self
            .card
            .variables
            .iter()
            .zip(&scratch.bins)
            .map(|(variable, &bin)| VariablePoints {
                variable: variable.name.clone(),
                bin: bin as usize,
                label: variable
                    .bins
                    .get(bin as usize)
                    .and_then(|b| b.label.clone()),
                points: variable
                    .bins
                    .get(bin as usize)
                    .map(|b| b.points)
                    .unwrap_or_default(),
            })
            .collect();
        Ok(ScoreOutcome {
            score: self.rounded(raw_score),
            raw_score,
            reasons,
            points,
        })
    }

    /// Scores one JSON-lines applicant straight from its bytes and appends
    /// `{"score":"…","reasons":["code",…]}` to `out`. Allocates nothing once `scratch` and `out`
    /// have grown (strings with escapes aside).
    pub fn score_json_line(
        &self,
        line: &[u8],
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Result<(), ScoreError> {
        let score = self.score_line(line, scratch)?;
        use std::io::Write;
        // Writing into a Vec cannot fail.
        let _ = write!(out, "{{\"score\":\"{score}\",\"reasons\":[");
        for (position, &(_, idx)) in scratch.reasons.iter().enumerate() {
            if position > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.variables[idx as usize].code_json.as_bytes());
        }
        out.extend_from_slice(b"]}");
        Ok(())
    }

    /// The reason codes of the last [`CompiledCard::score_line`] on `scratch`, worst first.
    pub fn reason_codes<'s>(&'s self, scratch: &'s Scratch) -> impl Iterator<Item = &'s str> {
        scratch
            .reasons
            .iter()
            .map(|&(_, idx)| self.card.variables[idx as usize].code())
    }

    /// Scores one JSON-lines applicant straight from its bytes: the rounded score, with the
    /// reasons left in `scratch` ([`CompiledCard::reason_codes`]). The typed half of
    /// [`CompiledCard::score_json_line`], for batch callers that write columns, not JSON (the
    /// Python `score_batch`); `score.to_string()` is the line's `score` text.
    pub fn score_line(&self, line: &[u8], scratch: &mut Scratch) -> Result<Decimal, ScoreError> {
        self.prepare(scratch);
        let first = line.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if first != Some(b'{') {
            // Rare: tell valid JSON of the wrong type from text that is not JSON at all.
            return Err(match super::json::parse(line) {
                Ok(value) => ScoreError::WrongType {
                    path: String::new(),
                    expected: "object",
                    found: value.type_name(),
                },
                Err(error) => ScoreError::MalformedApplicant(error),
            });
        }
        let mut hint = 0;
        let scanned = scan_object(line, |key, scalar| {
            let Some(idx) = self.variable_index(&key, hint) else {
                if self.card.strict {
                    return Err(ScoreError::UnknownField {
                        path: key.into_owned(),
                    });
                }
                return Ok(());
            };
            hint = idx + 1;
            if scratch.bins[idx] != UNSET {
                return Err(ScoreError::DuplicateField {
                    path: key.into_owned(),
                });
            }
            scratch.bins[idx] = self.variables[idx].bin_for(&key, &scalar, self.bound_scale)?;
            Ok(())
        });
        match scanned {
            Ok(()) => {}
            Err(ScanError::Json(error)) => return Err(ScoreError::MalformedApplicant(error)),
            Err(ScanError::Visit(error)) => return Err(error),
        }
        self.finish_missing(scratch)?;
        let raw = self.total(scratch)?;
        Ok(self.rounded(raw))
    }
}

/// How serious a lint finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The card or model must not be published.
    Error,
    /// Probably a mistake.
    Warning,
}

/// One lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case code.
    pub code: &'static str,
    /// Lowercase explanation.
    pub message: String,
    /// JSON path of the offending element.
    pub path: String,
}

impl Diagnostic {
    fn new(severity: Severity, code: &'static str, path: String, message: String) -> Self {
        Diagnostic {
            severity,
            code,
            message,
            path,
        }
    }
}

/// Lints a card; `prefix` is the card's JSON path in its document (`""` for a bare card,
/// `"scorecard"` in a bundle).
///
/// Codes: `duplicate-variable`, `duplicate-bin-label`, `no-bins`, `bin-kind-mismatch`,
/// `empty-range`, `range-overlap`, `range-gap` (error without an `else` bin, warning with one),
/// `category-overlap`, `duplicate-missing-bin`, `duplicate-else-bin`, `missing-missing-bin`,
/// `missing-else-bin`, `missing-reason-text`, `bad-rounding`.
pub fn lint_card(card: &Scorecard, prefix: &str) -> Vec<Diagnostic> {
    let join = |rest: &str| {
        if prefix.is_empty() {
            rest.to_owned()
        } else {
            format!("{prefix}.{rest}")
        }
    };
    let mut out = Vec::new();
    if card.rounding.dp > MAX_SCORE_DP {
        out.push(Diagnostic::new(
            Severity::Error,
            "bad-rounding",
            join("rounding.dp"),
            "at most 8 decimals".into(),
        ));
    }
    for (var_idx, variable) in card.variables.iter().enumerate() {
        let var_path = join(&format!("variables[{var_idx}]"));
        if card.variables[..var_idx]
            .iter()
            .any(|v| v.name == variable.name)
        {
            out.push(Diagnostic::new(
                Severity::Error,
                "duplicate-variable",
                format!("{var_path}.name"),
                format!("variable {:?} appears twice", variable.name),
            ));
        }
        if variable.text.is_none() {
            out.push(Diagnostic::new(
                Severity::Warning,
                "missing-reason-text",
                format!("{var_path}.text"),
                "no reason text for consumers".into(),
            ));
        }
        if variable.bins.is_empty() {
            out.push(Diagnostic::new(
                Severity::Error,
                "no-bins",
                format!("{var_path}.bins"),
                "variable has no bins".into(),
            ));
            continue;
        }
        lint_bins(variable, &var_path, &mut out);
    }
    out
}

/// Lints the bins of one variable (`var_path` is its JSON path): bin kinds, empty ranges,
/// duplicate labels, categories and missing/else bins, then the ranges' gaps and overlaps.
fn lint_bins(variable: &Variable, var_path: &str, out: &mut Vec<Diagnostic>) {
    let numeric = variable.kind == VariableKind::Numeric;
    let mut missing_seen = false;
    let mut else_seen = false;
    let mut ranges: Vec<(usize, Interval)> = Vec::new();
    let mut categories_seen: Vec<(&str, usize)> = Vec::new();
    for (bin_idx, bin) in variable.bins.iter().enumerate() {
        let bin_path = format!("{var_path}.bins[{bin_idx}]");
        if let Some(label) = &bin.label {
            if variable.bins[..bin_idx].iter().any(|b| {
                b.label.as_ref() == Some(label)
                    && b.matcher != BinMatch::Missing
                    && bin.matcher != BinMatch::Missing
            }) {
                out.push(Diagnostic::new(
                    Severity::Warning,
                    "duplicate-bin-label",
                    format!("{bin_path}.label"),
                    format!("label {label:?} appears twice"),
                ));
            }
        }
        match &bin.matcher {
            BinMatch::Range(interval) if numeric => {
                let empty = match (interval.lower, interval.upper) {
                    (Some(lower), Some(upper)) => {
                        lower > upper
                            || (lower == upper && !(interval.lower_closed && interval.upper_closed))
                    }
                    _ => false,
                };
                if empty {
                    out.push(Diagnostic::new(
                        Severity::Error,
                        "empty-range",
                        format!("{bin_path}.range"),
                        "the range holds no number".into(),
                    ));
                } else {
                    ranges.push((bin_idx, *interval));
                }
            }
            BinMatch::Special(_) if numeric => {}
            BinMatch::Categories(categories) if !numeric => {
                for category in categories {
                    if let Some((_, first)) = categories_seen
                        .iter()
                        .find(|(c, _)| *c == category.as_str())
                    {
                        out.push(Diagnostic::new(
                            Severity::Error,
                            "category-overlap",
                            format!("{bin_path}.categories"),
                            format!("category {category:?} is also in bins[{first}]"),
                        ));
                    } else {
                        categories_seen.push((category, bin_idx));
                    }
                }
            }
            BinMatch::Missing => {
                if missing_seen {
                    out.push(Diagnostic::new(
                        Severity::Error,
                        "duplicate-missing-bin",
                        bin_path.clone(),
                        "a second missing bin is never used".into(),
                    ));
                }
                missing_seen = true;
            }
            BinMatch::Else => {
                if else_seen {
                    out.push(Diagnostic::new(
                        Severity::Error,
                        "duplicate-else-bin",
                        bin_path.clone(),
                        "a second else bin is never used".into(),
                    ));
                }
                else_seen = true;
            }
            _ => out.push(Diagnostic::new(
                Severity::Error,
                "bin-kind-mismatch",
                bin_path.clone(),
                format!(
                    "this bin kind does not fit a {} variable",
                    if numeric { "numeric" } else { "categorical" }
                ),
            )),
        }
    }
    if !missing_seen {
        out.push(Diagnostic::new(
            Severity::Warning,
            "missing-missing-bin",
            format!("{var_path}.bins"),
            "no bin for a missing value".into(),
        ));
    }
    if numeric {
        lint_ranges(var_path, &mut ranges, else_seen, out);
    } else if !else_seen {
        out.push(Diagnostic::new(
            Severity::Warning,
            "missing-else-bin",
            format!("{var_path}.bins"),
            "no else bin for unseen categories".into(),
        ));
    }
}

fn lint_ranges(
    var_path: &str,
    ranges: &mut [(usize, Interval)],
    else_seen: bool,
    out: &mut Vec<Diagnostic>,
) {
    let gap_severity = if else_seen {
        Severity::Warning
    } else {
        Severity::Error
    };
    if ranges.is_empty() {
        if !else_seen {
            out.push(Diagnostic::new(
                Severity::Warning,
                "missing-else-bin",
                format!("{var_path}.bins"),
                "no range and no else bin: numbers cannot be scored".into(),
            ));
        }
        return;
    }
    // −∞ sorts first; equal lower ends put the closed one first.
    crate::sort::sort_by(ranges, |(_, a), (_, b)| match (a.lower, b.lower) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y).then(b.lower_closed.cmp(&a.lower_closed)),
    });
    let gap = |out: &mut Vec<Diagnostic>, bin_idx: usize, what: String| {
        out.push(Diagnostic::new(
            gap_severity,
            "range-gap",
            format!("{var_path}.bins[{bin_idx}].range"),
            what,
        ));
    };
    if let Some((bin_idx, first)) = ranges.first() {
        if let Some(lower) = first.lower {
            gap(
                out,
                *bin_idx,
                format!("no range covers numbers below {lower}"),
            );
        }
    }
    for pair in ranges.windows(2) {
        let [(_, prev), (bin_idx, next)] = pair else {
            continue;
        };
        let overlap = |out: &mut Vec<Diagnostic>, what: String| {
            out.push(Diagnostic::new(
                Severity::Error,
                "range-overlap",
                format!("{var_path}.bins[{bin_idx}].range"),
                what,
            ));
        };
        match (prev.upper, next.lower) {
            (None, _) => overlap(out, "overlaps a range open to +infinity".into()),
            (Some(_), None) => overlap(out, "overlaps a range open to -infinity".into()),
            (Some(upper), Some(lower)) if upper > lower => overlap(
                out,
                format!("overlaps the previous range between {lower} and {upper}"),
            ),
            (Some(upper), Some(lower)) if upper < lower => {
                gap(out, *bin_idx, format!("no range covers ({upper}, {lower})"))
            }
            (Some(edge), Some(_)) => match (prev.upper_closed, next.lower_closed) {
                (true, true) => overlap(out, format!("{edge} is in two ranges")),
                (false, false) => gap(out, *bin_idx, format!("no range covers {edge}")),
                _ => {}
            },
        }
    }
    if let Some((bin_idx, last)) = ranges.last() {
        if let Some(upper) = last.upper {
            gap(
                out,
                *bin_idx,
                format!("no range covers numbers above {upper}"),
            );
        }
    }
}
