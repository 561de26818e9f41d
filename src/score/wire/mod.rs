//! Reading cards, models and the `score` / `assess` requests from the exact JSON reader.
//!
//! Owns [`scorecard_from_value`], [`model_from_value`] and the request readers used by the JSON
//! operations. The serde derives on the same types stay for Rust callers, but the front doors go
//! through here: one exact parse of the whole request (numbers digit for digit), and no
//! `serde` / `serde_path_to_error` monomorphizations for these types in the wasm build, which
//! measured at about half of the pre-eligibility code size.
//! The rules match the serde form exactly (camelCase, unknown fields refused, decimals as
//! strings) and errors carry the same codes and JSON paths as `crate::error::from_json_slice`:
//! `unknown-field`, `missing-field`, `invalid-request`, `malformed-json`.
//! It must not score anything.

pub mod card;
pub mod model;

use super::assess::{Band, Decision, EligibilityModel, KnockoutRule, LimitRule, Rule};
use super::card::{
    parse_card_number, Bin, BinMatch, CategoryValues, Dec, Interval, RoundingName, Scaling,
    ScoreRounding, Scorecard, Texts, Variable, VariableKind,
};
use super::json::{self, JsonIssue, Num, Value};
use super::ScoreError;
use crate::money::{parse_decimal, Rounding};
use rust_decimal::Decimal;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn request_error(code: &'static str, path: String, message: String) -> ScoreError {
    ScoreError::Request {
        code,
        path,
        message,
    }
}

fn invalid(path: String, message: impl Into<String>) -> ScoreError {
    request_error("invalid-request", path, message.into())
}

/// An object being read, with its JSON path.
struct Obj<'a> {
    members: &'a [(String, Value)],
    path: String,
}

impl<'a> Obj<'a> {
    fn new(value: &'a Value, path: &str, known: &[&str]) -> Result<Obj<'a>, ScoreError> {
        let Value::Object(members) = value else {
            return Err(invalid(
                path.to_owned(),
                format!("invalid type: {}, expected an object", value.type_name()),
            ));
        };
        if let Some((key, _)) = members.iter().find(|(k, _)| !known.contains(&k.as_str())) {
            return Err(request_error(
                "unknown-field",
                join(path, key),
                format!("unknown field `{key}`, expected one of {known:?}"),
            ));
        }
        Ok(Obj {
            members,
            path: path.to_owned(),
        })
    }

    fn at(&self, key: &str) -> String {
        join(&self.path, key)
    }

    /// The member, `None` when absent or `null` (as serde treats optional fields).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.members
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Value::Null))
    }

    fn required(&self, key: &str) -> Result<&'a Value, ScoreError> {
        self.get(key).ok_or_else(|| {
            request_error(
                "missing-field",
                self.path.clone(),
                format!("missing field `{key}`"),
            )
        })
    }

    fn string(&self, key: &str) -> Result<Option<String>, ScoreError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(invalid(
                self.at(key),
                format!("invalid type: {}, expected a string", other.type_name()),
            )),
        }
    }

    fn req_string(&self, key: &str) -> Result<String, ScoreError> {
        self.required(key)?;
        self.string(key).map(Option::unwrap_or_default)
    }

    fn dec(&self, key: &str) -> Result<Option<Dec>, ScoreError> {
        match self.string(key)? {
            None => Ok(None),
            Some(text) => parse_decimal(&text)
                .map(|d| Some(Dec(d)))
                .map_err(|issue| invalid(self.at(key), format!("decimal {text:?}: {issue}"))),
        }
    }

    /// A bin boundary: the scorecard range rule (`card::parse_card_number`).
    fn card_number(&self, key: &str) -> Result<Option<Decimal>, ScoreError> {
        match self.string(key)? {
            None => Ok(None),
            Some(text) => parse_card_number(&text)
                .map(Some)
                .map_err(|issue| invalid(self.at(key), format!("decimal {text:?}: {issue}"))),
        }
    }

    fn req_dec(&self, key: &str) -> Result<Dec, ScoreError> {
        self.required(key)?;
        self.dec(key)?
            .ok_or_else(|| invalid(self.at(key), "expected a decimal string"))
    }

    fn bool(&self, key: &str) -> Result<Option<bool>, ScoreError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(invalid(
                self.at(key),
                format!("invalid type: {}, expected a boolean", other.type_name()),
            )),
        }
    }

    fn count(&self, key: &str) -> Result<Option<u32>, ScoreError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(Num::Finite(d))) => d
                .normalize()
                .to_string()
                .parse::<u32>()
                .map(Some)
                .map_err(|_| invalid(self.at(key), "expected a small non-negative integer")),
            Some(other) => Err(invalid(
                self.at(key),
                format!("invalid type: {}, expected an integer", other.type_name()),
            )),
        }
    }

    fn array(&self, key: &str) -> Result<Option<&'a [Value]>, ScoreError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(invalid(
                self.at(key),
                format!("invalid type: {}, expected an array", other.type_name()),
            )),
        }
    }

    fn req_array(&self, key: &str) -> Result<&'a [Value], ScoreError> {
        self.required(key)?;
        self.array(key).map(Option::unwrap_or_default)
    }

    fn strings(&self, key: &str) -> Result<Option<Vec<String>>, ScoreError> {
        let Some(items) = self.array(key)? else {
            return Ok(None);
        };
        let mut strings = Vec::with_capacity(items.len());
        for (idx, item) in items.iter().enumerate() {
            match item {
                Value::String(s) => strings.push(s.clone()),
                other => {
                    return Err(invalid(
                        format!("{}[{idx}]", self.at(key)),
                        format!("invalid type: {}, expected a string", other.type_name()),
                    ))
                }
            }
        }
        Ok(Some(strings))
    }
}

fn texts(value: &Value, path: &str) -> Result<Texts, ScoreError> {
    let obj = Obj::new(value, path, &["zh-CN", "en"])?;
    Ok(Texts {
        zh_cn: obj.req_string("zh-CN")?,
        en: obj.req_string("en")?,
    })
}

fn bin(value: &Value, path: &str) -> Result<Bin, ScoreError> {
    let obj = Obj::new(
        value,
        path,
        &[
            "label",
            "points",
            "range",
            "special",
            "categories",
            "missing",
            "else",
        ],
    )?;
    let mut matchers = Vec::new();
    if let Some(range) = obj.get("range") {
        let range_path = obj.at("range");
        let range = Obj::new(range, &range_path, &["lower", "upper", "closure"])?;
        let closure = range.string("closure")?.unwrap_or_else(|| "[)".to_owned());
        let (lower_closed, upper_closed) = match closure.as_str() {
            "[)" => (true, false),
            "(]" => (false, true),
            "[]" => (true, true),
            "()" => (false, false),
            other => {
                return Err(invalid(
                    path.to_owned(),
                    format!("unknown closure {other:?} (use [) (] [] or ())"),
                ))
            }
        };
        matchers.push(BinMatch::Range(Interval {
            lower: range.card_number("lower")?,
            lower_closed,
            upper: range.card_number("upper")?,
            upper_closed,
        }));
    }
    if let Some(items) = obj.array("special")? {
        let mut values = Vec::with_capacity(items.len());
        for (idx, item) in items.iter().enumerate() {
            let item_path = format!("{}[{idx}]", obj.at("special"));
            let Value::String(text) = item else {
                return Err(invalid(item_path, "expected a decimal string"));
            };
            values.push(
                parse_card_number(text)
                    .map_err(|issue| invalid(item_path, format!("decimal {text:?}: {issue}")))?,
            );
        }
        matchers.push(BinMatch::Special(values));
    }
    if let Some(categories) = obj.strings("categories")? {
        matchers.push(BinMatch::Categories(categories));
    }
    for (key, matcher) in [("missing", BinMatch::Missing), ("else", BinMatch::Else)] {
        match obj.bool(key)? {
            Some(true) => matchers.push(matcher),
            Some(false) => {
                return Err(invalid(
                    path.to_owned(),
                    format!("\"{key}\" must be true when present"),
                ))
            }
            None => {}
        }
    }
    let points = obj.req_dec("points")?.0;
    if matchers.len() != 1 {
        return Err(invalid(
            path.to_owned(),
            "a bin needs exactly one of range, special, categories, missing, else",
        ));
    }
    let matcher = matchers
        .pop()
        .ok_or_else(|| invalid(path.to_owned(), "a bin needs a matcher"))?;
    Ok(Bin {
        label: obj.string("label")?,
        points,
        matcher,
    })
}

fn variable(value: &Value, path: &str) -> Result<Variable, ScoreError> {
    let obj = Obj::new(
        value,
        path,
        &["name", "type", "values", "reasonCode", "text", "bins"],
    )?;
    let values = match obj.string("values")?.as_deref() {
        None => None,
        Some("strings") => Some(CategoryValues::Strings),
        Some("numbers") => Some(CategoryValues::Numbers),
        Some(other) => {
            return Err(invalid(
                obj.at("values"),
                format!("unknown variant `{other}`, expected `strings` or `numbers`"),
            ))
        }
    };
    let kind = match obj.req_string("type")?.as_str() {
        "numeric" => VariableKind::Numeric,
        "categorical" => VariableKind::Categorical,
        other => {
            return Err(invalid(
                obj.at("type"),
                format!("unknown variant `{other}`, expected `numeric` or `categorical`"),
            ))
        }
    };
    let text = match obj.get("text") {
        Some(value) => Some(texts(value, &obj.at("text"))?),
        None => None,
    };
    let bins = read_items(obj.req_array("bins")?, &obj.at("bins"), bin)?;
    Ok(Variable {
        name: obj.req_string("name")?,
        kind,
        values,
        reason_code: obj.string("reasonCode")?,
        text,
        bins,
    })
}

/// Reads every item of `items` with `read`, the item at `{base}[i]` (a loop rather than
/// `collect::<Result<Vec<_>, _>>()`, whose adapter is instantiated per item type: size).
fn read_items<T>(
    items: &[Value],
    base: &str,
    read: fn(&Value, &str) -> Result<T, ScoreError>,
) -> Result<Vec<T>, ScoreError> {
    let mut out = Vec::with_capacity(items.len());
    for (idx, item) in items.iter().enumerate() {
        out.push(read(item, &format!("{base}[{idx}]"))?);
    }
    Ok(out)
}

/// Reads a card from the exact JSON value at `path`.
pub fn scorecard_from_value(value: &Value, path: &str) -> Result<Scorecard, ScoreError> {
    let obj = Obj::new(
        value,
        path,
        &[
            "id",
            "basePoints",
            "scaling",
            "rounding",
            "reasonCount",
            "strict",
            "variables",
        ],
    )?;
    let scaling = match obj.get("scaling") {
        Some(value) => {
            let scaling = Obj::new(value, &obj.at("scaling"), &["pdo", "baseOdds", "baseScore"])?;
            Some(Scaling {
                pdo: scaling.req_dec("pdo")?,
                base_odds: scaling.req_dec("baseOdds")?,
                base_score: scaling.req_dec("baseScore")?,
            })
        }
        None => None,
    };
    let rounding = match obj.get("rounding") {
        Some(value) => {
            let rounding = Obj::new(value, &obj.at("rounding"), &["mode", "dp"])?;
            let mode = match rounding.string("mode")? {
                Some(name) => Rounding::parse(&name).ok_or_else(|| {
                    invalid(rounding.at("mode"), format!("unknown rounding {name:?}"))
                })?,
                None => Rounding::HalfUp,
            };
            ScoreRounding {
                mode: RoundingName(mode),
                dp: rounding.count("dp")?.unwrap_or(0),
            }
        }
        None => ScoreRounding::default(),
    };
    let variables = read_items(obj.req_array("variables")?, &obj.at("variables"), variable)?;
    Ok(Scorecard {
        id: obj.string("id")?,
        base_points: obj.req_dec("basePoints")?,
        scaling,
        rounding,
        reason_count: obj.count("reasonCount")?.map_or(4, |n| n as usize),
        strict: obj.bool("strict")?.unwrap_or(false),
        variables,
    })
}

fn knockout(value: &Value, path: &str) -> Result<KnockoutRule, ScoreError> {
    let obj = Obj::new(value, path, &["id", "reasonCode", "text", "when"])?;
    // `when` may legitimately be `null` or `false` (a rule that never fires).
    let when = obj
        .members
        .iter()
        .find(|(k, _)| k == "when")
        .map(|(_, v)| v.clone())
        .ok_or_else(|| {
            request_error(
                "missing-field",
                path.to_owned(),
                "missing field `when`".into(),
            )
        })?;
    Ok(KnockoutRule {
        id: obj.req_string("id")?,
        reason_code: obj.req_string("reasonCode")?,
        text: texts(obj.required("text")?, &obj.at("text"))?,
        when: Rule(when),
    })
}

fn band(value: &Value, path: &str) -> Result<Band, ScoreError> {
    let obj = Obj::new(
        value,
        path,
        &[
            "id",
            "minScore",
            "maxScore",
            "decision",
            "priceBand",
            "limit",
        ],
    )?;
    let decision = match obj.req_string("decision")?.as_str() {
        "likely" => Decision::Likely,
        "refer" => Decision::Refer,
        "unlikely" => Decision::Unlikely,
        other => {
            return Err(invalid(
                obj.at("decision"),
                format!("unknown variant `{other}`, expected likely, refer or unlikely"),
            ))
        }
    };
    let limit = match obj.get("limit") {
        Some(value) => {
            let limit = Obj::new(
                value,
                &obj.at("limit"),
                &[
                    "incomeMultiple",
                    "incomeField",
                    "repaymentsField",
                    "cap",
                    "step",
                ],
            )?;
            Some(LimitRule {
                income_multiple: limit.req_dec("incomeMultiple")?,
                income_field: limit
                    .string("incomeField")?
                    .unwrap_or_else(|| "monthlyIncome".to_owned()),
                repayments_field: limit
                    .string("repaymentsField")?
                    .unwrap_or_else(|| "existingRepayments".to_owned()),
                cap: limit.dec("cap")?,
                step: limit.dec("step")?.unwrap_or(Dec(Decimal::ONE_HUNDRED)),
            })
        }
        None => None,
    };
    Ok(Band {
        id: obj.req_string("id")?,
        min_score: obj.dec("minScore")?,
        max_score: obj.dec("maxScore")?,
        decision,
        price_band: obj.string("priceBand")?,
        limit,
    })
}

/// Reads an eligibility model from the exact JSON value at `path`.
pub fn model_from_value(value: &Value, path: &str) -> Result<EligibilityModel, ScoreError> {
    let obj = Obj::new(value, path, &["card", "knockouts", "bands", "fields"])?;
    let card = scorecard_from_value(obj.required("card")?, &obj.at("card"))?;
    let knockouts = read_items(
        obj.array("knockouts")?.unwrap_or_default(),
        &obj.at("knockouts"),
        knockout,
    )?;
    let bands = read_items(obj.req_array("bands")?, &obj.at("bands"), band)?;
    Ok(EligibilityModel {
        card,
        knockouts,
        bands,
        fields: obj.strings("fields")?.unwrap_or_default(),
    })
}

/// Parses a whole request exactly; JSON errors inside `applicant` keep the applicant codes.
pub fn parse_request(bytes: &[u8]) -> Result<Value, ScoreError> {
    json::parse(bytes).map_err(|error| match error.issue {
        JsonIssue::DuplicateKey(_) => ScoreError::DuplicateField { path: error.path },
        _ if error.path == "applicant" || error.path.starts_with("applicant.") => {
            ScoreError::MalformedApplicant(error)
        }
        _ => ScoreError::MalformedRequest(error),
    })
}

/// Splits a request object into its members after checking the field names.
pub fn request_members<'a>(
    request: &'a Value,
    model_key: &str,
) -> Result<(&'a Value, &'a Value), ScoreError> {
    let obj = Obj::new(request, "", &[model_key, "applicant"])?;
    let model = obj.required(model_key)?;
    let applicant = obj
        .members
        .iter()
        .find(|(k, _)| k == "applicant")
        .map(|(_, v)| v)
        .ok_or_else(|| {
            request_error(
                "missing-field",
                String::new(),
                "missing field `applicant`".into(),
            )
        })?;
    Ok((model, applicant))
}

/// Reads a money-like applicant field: a JSON number or a decimal string; `None` when absent or
/// null.
pub(crate) fn applicant_number(
    applicant: &Value,
    field: &str,
) -> Result<Option<Decimal>, ScoreError> {
    match applicant.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(Num::Finite(d))) => Ok(Some(*d)),
        Some(Value::String(text)) => {
            parse_decimal(text)
                .map(Some)
                .map_err(|_| ScoreError::NotANumber {
                    path: field.to_owned(),
                    text: text.clone(),
                })
        }
        Some(other) => Err(ScoreError::WrongType {
            path: field.to_owned(),
            expected: "number",
            found: other.type_name(),
        }),
    }
}

/// Reads an applicant value given as a string for a numeric card variable, by the card's own
/// number rule ([`card::parse_card_number`]): `number-out-of-range` beyond it, `not-a-number`
/// for anything that is not a plain decimal.
pub(crate) fn applicant_card_number(name: &str, text: &str) -> Result<Decimal, ScoreError> {
    match card::parse_card_number(text) {
        Ok(number) => Ok(number),
        Err(crate::money::DecimalIssue::OutOfRange) => Err(ScoreError::NumberOutOfRange {
            path: name.to_owned(),
        }),
        Err(_) => Err(ScoreError::NotANumber {
            path: name.to_owned(),
            text: text.to_owned(),
        }),
    }
}
