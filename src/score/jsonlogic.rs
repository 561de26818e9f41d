//! A lean JSONLogic evaluator on exact decimals, for knock-out rules.
//!
//! Owns [`apply`]: the operators knock-out rules need, with the semantics of the reference
//! implementation (`json-logic-js` 2.x, JavaScript coercions included): `var` (defaults, dotted
//! paths, array indices), `==` `===` `!=` `!==` (loose and strict equality), `<` `<=` (also the
//! three-argument "between" forms), `>` `>=`, `!` `!!`, `and` `or` (short-circuit, returning the
//! deciding value), `if` / `?:`, `in` (array membership and substring), `+` `-` `*` `/` `%`,
//! `min` `max`, `missing` `missing_some`, `cat`, `substr`, `merge`, and the array operators
//! `map` `filter` `reduce` `all` `some` `none` (a rule such as "any past delinquency over 90
//! days" is `{"some": [{"var": "delinquencies"}, {">": [{"var": "days"}, 90]}]}`).
//! Every evaluation runs within an operation budget ([`MAX_OPERATIONS`] steps, see
//! [`apply_with_budget`]); a rule that exceeds it is refused with a typed error.
//! Numbers are [`Num`]: a `Decimal` or NaN/±∞, never `f64`.
//! It must not read anything but the rule and the data it is given, and it never panics:
//! depth is bounded, arithmetic is checked, and every failure is a [`LogicError`].
//!
//! Why not a crate: `env-notes.md` measured the wasm cost of the engines on crates.io with
//! wasm-opt -Oz and gzip: `jsonlogic-rs` 0.5 adds 43 KB gzip and computes in `f64`;
//! `datalogic-rs` 5.4 adds 214 KB gzip, more than the whole size budget. This evaluator covers
//! the operators rules use in a few hundred lines, on decimals, and is checked against
//! `json-logic-js` by `tests/jsonlogic/compare.mjs` and the Rust test `tests/jsonlogic.rs`,
//! which read the same `tests/jsonlogic/cases.json` (official JSONLogic tests for these operators
//! plus our own cases, with the outputs `json-logic-js` produced).
//!
//! Known differences from `json-logic-js`, all deliberate:
//! - arithmetic is exact decimal (`0.1 + 0.2` is `0.3`, `1 / 3` has 28 digits), where JavaScript
//!   rounds to binary doubles; a result beyond `Decimal`'s range is [`LogicError::Overflow`]
//!   instead of a huge double;
//! - there is no `undefined`: an absent argument is `null` (only `{"===": [null]}`-style rules
//!   with missing operands can tell);
//! - two arrays or objects are never equal (JavaScript compares references);
//! - numbers print in plain notation (no `1e+21` exponent form);
//! - unsupported operators (`log`, method calls) are [`LogicError::UnknownOperator`];
//! - a rule over its operation budget is [`LogicError::BudgetExceeded`] (JavaScript would run on).

use super::json::{Num, Value};
use crate::money::CheckedOps;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Deepest rule nesting evaluated.
pub const MAX_EVAL_DEPTH: usize = 128;
/// Most evaluation steps one rule may take ([`apply_with_budget`]): far above any knock-out
/// rule (a rule over a 1,000-entry repayment history takes a few thousand) and far below what
/// would stall a page.
pub const MAX_OPERATIONS: u32 = 100_000;
/// Longest string a rule may build with `cat`.
pub const MAX_STRING_LEN: usize = 1 << 20;

/// Why a rule could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogicError {
    /// The operator is not one this evaluator supports.
    #[error("unknown jsonlogic operator {0:?}")]
    UnknownOperator(String),
    /// The rule is nested deeper than [`MAX_EVAL_DEPTH`].
    #[error("rule nested too deeply")]
    TooDeep,
    /// A decimal result left `Decimal`'s range (JavaScript would give a huge double).
    #[error("arithmetic overflow")]
    Overflow,
    /// A string converted to a number needs more than 28 significant digits.
    #[error("number out of decimal range")]
    NumberOutOfRange,
    /// `cat` would build a string longer than [`MAX_STRING_LEN`].
    #[error("string too long")]
    TooLong,
    /// An operator got arguments it cannot work with (`{"*": []}` throws in JavaScript too).
    #[error("bad arguments for {0:?}")]
    BadArguments(&'static str),
    /// The rule needs more evaluation steps than its budget ([`MAX_OPERATIONS`]).
    #[error("the rule exceeds its operation budget")]
    BudgetExceeded,
}

impl From<crate::money::Overflow> for LogicError {
    fn from(_: crate::money::Overflow) -> Self {
        LogicError::Overflow
    }
}

impl LogicError {
    /// The stable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            LogicError::UnknownOperator(_) => "unknown-operator",
            LogicError::TooDeep => "rule-too-deep",
            LogicError::Overflow => "overflow",
            LogicError::NumberOutOfRange => "number-out-of-range",
            LogicError::TooLong => "string-too-long",
            LogicError::BadArguments(_) => "bad-arguments",
            LogicError::BudgetExceeded => "operation-budget-exceeded",
        }
    }
}

/// Evaluates `rule` against `data`, within [`MAX_OPERATIONS`] evaluation steps.
pub fn apply(rule: &Value, data: &Value) -> Result<Value, LogicError> {
    apply_with_budget(rule, data, MAX_OPERATIONS)
}

/// [`apply`] with an explicit operation budget: every rule node evaluated (an operation, an
/// array literal, a scalar, once per element inside `map`, `filter`, `reduce`, `all`, `some`,
/// `none`) costs one step; a rule that needs more than `budget` steps is refused with
/// [`LogicError::BudgetExceeded`] (code `operation-budget-exceeded`), so no rule and no data
/// can make one evaluation do unbounded work.
pub fn apply_with_budget(rule: &Value, data: &Value, budget: u32) -> Result<Value, LogicError> {
    let mut left = budget;
    eval(rule, data, 0, &mut left)
}

/// JSONLogic truthiness: JavaScript's, except that an empty array is false.
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(Num::Finite(d)) => !d.is_zero(),
        Value::Number(Num::NaN) => false,
        Value::Number(_) => true,
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(_) => true,
    }
}

/// The operator and its (unevaluated) arguments when `rule` is an operation.
pub fn operation(rule: &Value) -> Option<(&str, &Value)> {
    match rule {
        Value::Object(members) if members.len() == 1 => {
            members.first().map(|(op, args)| (op.as_str(), args))
        }
        _ => None,
    }
}

/// Every `var` path a rule reads (literal paths only), for lint.
pub fn var_paths(rule: &Value, out: &mut Vec<String>) {
    match rule {
        Value::Array(items) => items.iter().for_each(|item| var_paths(item, out)),
        Value::Object(_) => {
            if let Some((op, args)) = operation(rule) {
                let literal = |v: &Value| match v {
                    Value::String(s) if !s.is_empty() => Some(s.clone()),
                    Value::Number(n) => Some(n.to_js_string()),
                    _ => None,
                };
                match (op, args) {
                    ("var", Value::Array(items)) => {
                        out.extend(items.first().and_then(literal));
                    }
                    ("var", other) => out.extend(literal(other)),
                    ("missing", Value::Array(items)) => {
                        out.extend(items.iter().filter_map(literal))
                    }
                    ("missing_some", Value::Array(items)) => {
                        if let Some(Value::Array(options)) = items.get(1) {
                            out.extend(options.iter().filter_map(literal));
                        }
                    }
                    _ => {}
                }
                var_paths(args, out);
            }
        }
        _ => {}
    }
}

/// Evaluates each of `items` one level below `depth`, in order, stopping at the first error.
fn eval_all(
    items: &[Value],
    data: &Value,
    depth: usize,
    left: &mut u32,
) -> Result<Vec<Value>, LogicError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(eval(item, data, depth + 1, left)?);
    }
    Ok(out)
}

// long: one arm per JSONLogic operator, in the order of the reference table; the arms share the
// budget and depth bookkeeping above them, and the larger ones already call named helpers.
fn eval(rule: &Value, data: &Value, depth: usize, left: &mut u32) -> Result<Value, LogicError> {
    if depth > MAX_EVAL_DEPTH {
        return Err(LogicError::TooDeep);
    }
    *left = left.checked_sub(1).ok_or(LogicError::BudgetExceeded)?;
    if let Value::Array(items) = rule {
        return eval_all(items, data, depth, left).map(Value::Array);
    }
    let Some((op, raw_args)) = operation(rule) else {
        return Ok(rule.clone());
    };
    let raw_args: &[Value] = match raw_args {
        Value::Array(items) => items,
        single => std::slice::from_ref(single),
    };
    // The lazy operators see their arguments unevaluated.
    match op {
        "if" | "?:" => {
            let mut idx = 0;
            while idx + 1 < raw_args.len() {
                if truthy(&eval(&raw_args[idx], data, depth + 1, left)?) {
                    return eval(&raw_args[idx + 1], data, depth + 1, left);
                }
                idx += 2;
            }
            return match raw_args.get(idx) {
                Some(last) => eval(last, data, depth + 1, left),
                None => Ok(Value::Null),
            };
        }
        "and" | "or" => {
            let want = op == "or";
            let mut current = Value::Null;
            for arg in raw_args {
                current = eval(arg, data, depth + 1, left)?;
                if truthy(&current) == want {
                    return Ok(current);
                }
            }
            return Ok(current);
        }
        "map" | "filter" | "reduce" | "all" | "some" | "none" => {
            return array_operation(op, raw_args, data, depth, left);
        }
        _ => {}
    }
    let args = eval_all(raw_args, data, depth, left)?;
    let arg = |idx: usize| args.get(idx).unwrap_or(&Value::Null);
    let bool_value = |b: bool| Ok(Value::Bool(b));
    match op {
        "var" => Ok(var(data, arg(0), args.get(1))),
        "==" => bool_value(loose_eq(arg(0), arg(1))?),
        "!=" => bool_value(!loose_eq(arg(0), arg(1))?),
        "===" => bool_value(strict_eq(arg(0), arg(1))),
        "!==" => bool_value(!strict_eq(arg(0), arg(1))),
        "<" | "<=" => {
            let cmp = |a: &Value, b: &Value| {
                if op == "<" {
                    less_than(a, b)
                } else {
                    less_or_equal(a, b)
                }
            };
            if args.len() >= 3 {
                bool_value(cmp(arg(0), arg(1))? && cmp(arg(1), arg(2))?)
            } else {
                bool_value(cmp(arg(0), arg(1))?)
            }
        }
        ">" => bool_value(less_than(arg(1), arg(0))?),
        ">=" => bool_value(less_or_equal(arg(1), arg(0))?),
        "!" => bool_value(!truthy(arg(0))),
        "!!" => bool_value(truthy(arg(0))),
        "in" => bool_value(contains(arg(1), arg(0))?),
        "cat" => {
            let mut out = String::new();
            for item in &args {
                if !matches!(item, Value::Null) {
                    out.push_str(&to_js_string(item)?);
                }
                if out.len() > MAX_STRING_LEN {
                    return Err(LogicError::TooLong);
                }
            }
            Ok(Value::String(out))
        }
        "+" => {
            let mut sum = Num::ZERO;
            for item in &args {
                sum = add(sum, parse_float(item)?)?;
            }
            Ok(Value::Number(sum))
        }
        "*" => {
            let (first, rest) = args.split_first().ok_or(LogicError::BadArguments("*"))?;
            if rest.is_empty() {
                // `reduce` without an initial value returns a lone element untouched.
                return Ok(first.clone());
            }
            let mut product = parse_float(first)?;
            for item in rest {
                product = mul(product, parse_float(item)?)?;
            }
            Ok(Value::Number(product))
        }
        "-" => {
            let a = to_number(arg(0))?;
            if args.len() < 2 {
                Ok(Value::Number(neg(a)))
            } else {
                Ok(Value::Number(add(a, neg(to_number(arg(1))?))?))
            }
        }
        "/" => Ok(Value::Number(div(to_number(arg(0))?, to_number(arg(1))?)?)),
        "%" => Ok(Value::Number(rem(to_number(arg(0))?, to_number(arg(1))?)?)),
        "min" | "max" => {
            let mut best = if op == "min" {
                Num::PosInf
            } else {
                Num::NegInf
            };
            let wanted = if op == "min" {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            for item in &args {
                let n = to_number(item)?;
                match n.partial_cmp_js(best) {
                    None => return Ok(Value::Number(Num::NaN)),
                    Some(order) if order == wanted => best = n,
                    Some(_) => {}
                }
            }
            Ok(Value::Number(best))
        }
        "missing" => {
            let keys: &[Value] = match args.first() {
                Some(Value::Array(items)) => items,
                _ => &args,
            };
            Ok(Value::Array(missing(data, keys)))
        }
        "missing_some" => {
            let need = to_number(arg(0))?;
            let options: &[Value] = match arg(1) {
                Value::Array(items) => items,
                single => std::slice::from_ref(single),
            };
            let absent = missing(data, options);
            let present = Decimal::from(options.len().saturating_sub(absent.len()));
            match Num::Finite(present).partial_cmp_js(need) {
                Some(Ordering::Greater | Ordering::Equal) => Ok(Value::Array(Vec::new())),
                _ => Ok(Value::Array(absent)),
            }
        }
        "merge" => {
            let mut out = Vec::new();
            for item in args {
                match item {
                    Value::Array(items) => out.extend(items),
                    other => out.push(other),
                }
            }
            Ok(Value::Array(out))
        }
        "substr" => substr(arg(0), arg(1), args.get(2)),
        other => Err(LogicError::UnknownOperator(other.to_owned())),
    }
}

/// `map`, `filter`, `reduce`, `all`, `some`, `none` (json-logic-js 2.x): the first argument is
/// evaluated against `data`, the second is a rule applied to each element (as the data);
/// `reduce` applies it to `{"current", "accumulator"}` from an initial value (third argument,
/// evaluated against `data`, `null` when absent). A first argument that is not an array gives
/// `[]` (`map`, `filter`; so `some` is false and `none` true), the initial value (`reduce`)
/// or false (`all`, which is also false for an empty array).
fn array_operation(
    op: &str,
    raw_args: &[Value],
    data: &Value,
    depth: usize,
    left: &mut u32,
) -> Result<Value, LogicError> {
    let scoped = match raw_args.first() {
        Some(first) => eval(first, data, depth + 1, left)?,
        None => Value::Null,
    };
    let logic = raw_args.get(1).unwrap_or(&Value::Null);
    let each = |item: &Value, left: &mut u32| eval(logic, item, depth + 1, left);
    match op {
        "reduce" => {
            let mut accumulator = match raw_args.get(2) {
                Some(initial) => eval(initial, data, depth + 1, left)?,
                None => Value::Null,
            };
            let Value::Array(items) = scoped else {
                return Ok(accumulator);
            };
            for current in items {
                let scope = Value::Object(vec![
                    ("current".to_owned(), current),
                    ("accumulator".to_owned(), accumulator),
                ]);
                accumulator = each(&scope, left)?;
            }
            Ok(accumulator)
        }
        "all" => {
            let Value::Array(items) = scoped else {
                return Ok(Value::Bool(false));
            };
            if items.is_empty() {
                return Ok(Value::Bool(false));
            }
            for item in &items {
                if !truthy(&each(item, left)?) {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        _ => {
            let Value::Array(items) = scoped else {
                return Ok(match op {
                    "some" => Value::Bool(false),
                    "none" => Value::Bool(true),
                    _ => Value::Array(Vec::new()),
                });
            };
            let mut out = Vec::new();
            for item in items {
                let result = each(&item, left)?;
                match op {
                    "map" => out.push(result),
                    _ if truthy(&result) => {
                        if op == "some" {
                            return Ok(Value::Bool(true));
                        }
                        if op == "none" {
                            return Ok(Value::Bool(false));
                        }
                        out.push(item);
                    }
                    _ => {}
                }
            }
            Ok(match op {
                "some" => Value::Bool(false),
                "none" => Value::Bool(true),
                _ => Value::Array(out),
            })
        }
    }
}

/// `substr` (json-logic-js): `String(source).substr(start, length)` on UTF-16 code units, as
/// JavaScript counts them; a negative length drops that many units from the end of what
/// follows `start`.
fn substr(source: &Value, start: &Value, length: Option<&Value>) -> Result<Value, LogicError> {
    let units: Vec<u16> = to_js_string(source)?.encode_utf16().collect();
    let size = i128::try_from(units.len()).map_err(|_| LogicError::TooLong)?;
    let from = js_integer(to_number(start)?);
    let begin = if from < 0 {
        (size + from).max(0)
    } else {
        from.min(size)
    };
    let rest = size - begin;
    let take = match length {
        None => rest,
        Some(length) => {
            let n = to_number(length)?;
            let negative = match n {
                Num::Finite(d) => d.is_sign_negative() && !d.is_zero(),
                Num::NegInf => true,
                _ => false,
            };
            let n = match length {
                // `length + end` in JavaScript: a number adds; anything else (a string, an
                // array) concatenates as text first ("7" + "-1" is "7-1", NaN).
                _ if !negative => n,
                Value::Number(_) => add(Num::Finite(Decimal::from(rest)), n)?,
                other => string_to_number(&format!("{rest}{}", to_js_string(other)?))?,
            };
            js_integer(n).clamp(0, rest)
        }
    };
    let from = usize::try_from(begin).map_err(|_| LogicError::TooLong)?;
    let count = usize::try_from(take).map_err(|_| LogicError::TooLong)?;
    let slice = units.get(from..from + count).unwrap_or(&[]);
    Ok(Value::String(String::from_utf16_lossy(slice)))
}

/// JavaScript `ToIntegerOrInfinity`, with ±∞ (and integers beyond any string length) as
/// large sentinels; NaN is 0.
fn js_integer(value: Num) -> i128 {
    const FAR: i128 = 1 << 100;
    match value {
        Num::NaN => 0,
        Num::PosInf => FAR,
        Num::NegInf => -FAR,
        Num::Finite(d) => match i128::try_from(d.trunc()) {
            Ok(whole) => whole.clamp(-FAR, FAR),
            Err(_) if d.is_sign_negative() => -FAR,
            Err(_) => FAR,
        },
    }
}

fn var(data: &Value, path: &Value, default: Option<&Value>) -> Value {
    let not_found = || default.cloned().unwrap_or(Value::Null);
    let path = match path {
        Value::Null => return data.clone(),
        Value::String(s) if s.is_empty() => return data.clone(),
        Value::String(s) => s.clone(),
        other => match to_js_string(other) {
            Ok(text) => text,
            Err(_) => return not_found(),
        },
    };
    let mut current = data;
    for segment in path.split('.') {
        let next = match current {
            Value::Null => return not_found(),
            Value::Object(members) => members.iter().find(|(k, _)| k == segment).map(|(_, v)| v),
            Value::Array(items) => array_index(segment).and_then(|idx| items.get(idx)),
            _ => None,
        };
        match next {
            Some(value) => current = value,
            None => return not_found(),
        }
    }
    current.clone()
}

/// A canonical array index (`"0"`, `"12"`, not `"01"`).
fn array_index(segment: &str) -> Option<usize> {
    if segment.len() > 1 && segment.starts_with('0') {
        return None;
    }
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok()
}

fn missing(data: &Value, keys: &[Value]) -> Vec<Value> {
    keys.iter()
        .filter(|key| {
            let found = var(data, key, None);
            matches!(found, Value::Null) || matches!(&found, Value::String(s) if s.is_empty())
        })
        .cloned()
        .collect()
}

/// JavaScript `ToString`.
pub fn to_js_string(value: &Value) -> Result<String, LogicError> {
    Ok(match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_js_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let mut out = String::new();
            for (idx, item) in items.iter().enumerate() {
                if idx > 0 {
                    out.push(',');
                }
                if !matches!(item, Value::Null) {
                    out.push_str(&to_js_string(item)?);
                }
                if out.len() > MAX_STRING_LEN {
                    return Err(LogicError::TooLong);
                }
            }
            out
        }
        Value::Object(_) => "[object Object]".to_owned(),
    })
}

/// JavaScript `ToNumber`.
pub fn to_number(value: &Value) -> Result<Num, LogicError> {
    match value {
        Value::Null => Ok(Num::ZERO),
        Value::Bool(b) => Ok(Num::Finite(Decimal::from(u8::from(*b)))),
        Value::Number(n) => Ok(*n),
        Value::String(s) => string_to_number(s),
        Value::Array(_) => string_to_number(&to_js_string(value)?),
        Value::Object(_) => Ok(Num::NaN),
    }
}

fn js_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
}

fn string_to_number(text: &str) -> Result<Num, LogicError> {
    let text = js_trim(text);
    if text.is_empty() {
        return Ok(Num::ZERO);
    }
    match text {
        "Infinity" | "+Infinity" => return Ok(Num::PosInf),
        "-Infinity" => return Ok(Num::NegInf),
        _ => {}
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = text.strip_prefix(prefix) {
            return match u128::from_str_radix(digits, radix) {
                Ok(n) if !digits.starts_with('+') => Decimal::try_from_i128_with_scale(
                    i128::try_from(n).map_err(|_| LogicError::NumberOutOfRange)?,
                    0,
                )
                .map(Num::Finite)
                .map_err(|_| LogicError::NumberOutOfRange),
                _ => Ok(Num::NaN),
            };
        }
    }
    match decimal_literal_prefix(text) {
        Some((len, value)) if len == text.len() => value,
        _ => Ok(Num::NaN),
    }
}

/// JavaScript `parseFloat(String(value))`: the longest numeric prefix, NaN when there is none.
pub fn parse_float(value: &Value) -> Result<Num, LogicError> {
    if let Value::Number(n) = value {
        return Ok(*n);
    }
    let text = to_js_string(value)?;
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    for (word, num) in [
        ("Infinity", Num::PosInf),
        ("+Infinity", Num::PosInf),
        ("-Infinity", Num::NegInf),
    ] {
        if text.starts_with(word) {
            return Ok(num);
        }
    }
    match decimal_literal_prefix(text) {
        Some((_, value)) => value,
        None => Ok(Num::NaN),
    }
}

/// The longest prefix of `text` that is a JavaScript StrDecimalLiteral (without `Infinity`):
/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, with its exact value.
fn decimal_literal_prefix(text: &str) -> Option<(usize, Result<Num, LogicError>)> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut negative = false;
    if let Some(sign @ (b'+' | b'-')) = bytes.first() {
        negative = *sign == b'-';
        pos = 1;
    }
    let digits = |pos: &mut usize| {
        let start = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        &text[start..*pos]
    };
    let int_part = digits(&mut pos);
    let mut frac_part = "";
    if bytes.get(pos) == Some(&b'.') {
        let mut after = pos + 1;
        frac_part = digits(&mut after);
        if !int_part.is_empty() || !frac_part.is_empty() {
            pos = after;
        }
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut exponent = "";
    if let Some(b'e' | b'E') = bytes.get(pos) {
        let mut after = pos + 1;
        let exp_start = after;
        if let Some(b'+' | b'-') = bytes.get(after) {
            after += 1;
        }
        if !digits(&mut after).is_empty() {
            exponent = &text[exp_start..after];
            pos = after;
        }
    }
    // Rebuild a JSON number token and parse it exactly.
    let mut token = String::with_capacity(pos + 3);
    if negative {
        token.push('-');
    }
    let int_trimmed = int_part.trim_start_matches('0');
    token.push_str(if int_trimmed.is_empty() {
        "0"
    } else {
        int_trimmed
    });
    if !frac_part.is_empty() {
        token.push('.');
        token.push_str(frac_part);
    }
    if !exponent.is_empty() {
        token.push('e');
        token.push_str(exponent);
    }
    let value = super::json::decimal_from_json_number(token.as_bytes())
        .map(Num::Finite)
        .ok_or(LogicError::NumberOutOfRange);
    Some((pos, value))
}

fn neg(n: Num) -> Num {
    match n {
        Num::Finite(d) => Num::Finite(-d),
        Num::NaN => Num::NaN,
        Num::PosInf => Num::NegInf,
        Num::NegInf => Num::PosInf,
    }
}

fn add(a: Num, b: Num) -> Result<Num, LogicError> {
    Ok(match (a, b) {
        (Num::NaN, _) | (_, Num::NaN) => Num::NaN,
        (Num::PosInf, Num::NegInf) | (Num::NegInf, Num::PosInf) => Num::NaN,
        (Num::PosInf, _) | (_, Num::PosInf) => Num::PosInf,
        (Num::NegInf, _) | (_, Num::NegInf) => Num::NegInf,
        (Num::Finite(x), Num::Finite(y)) => Num::Finite(x.plus(y)?),
    })
}

fn sign_of(n: Num) -> i32 {
    match n {
        Num::Finite(d) if d.is_zero() => 0,
        Num::Finite(d) if d.is_sign_negative() => -1,
        Num::NegInf => -1,
        _ => 1,
    }
}

fn infinity_with_sign(sign: i32) -> Num {
    if sign < 0 {
        Num::NegInf
    } else {
        Num::PosInf
    }
}

fn mul(a: Num, b: Num) -> Result<Num, LogicError> {
    Ok(match (a, b) {
        (Num::NaN, _) | (_, Num::NaN) => Num::NaN,
        (Num::Finite(x), Num::Finite(y)) => Num::Finite(x.times(y)?),
        _ => match sign_of(a) * sign_of(b) {
            0 => Num::NaN,
            sign => infinity_with_sign(sign),
        },
    })
}

fn div(a: Num, b: Num) -> Result<Num, LogicError> {
    Ok(match (a, b) {
        (Num::NaN, _) | (_, Num::NaN) => Num::NaN,
        (Num::Finite(x), Num::Finite(y)) if y.is_zero() => {
            if x.is_zero() {
                Num::NaN
            } else {
                infinity_with_sign(sign_of(a))
            }
        }
        (Num::Finite(x), Num::Finite(y)) => Num::Finite(x.over(y)?),
        (Num::Finite(_), _) => Num::ZERO,
        (_, Num::Finite(y)) => {
            // ±∞ divided by a finite number keeps its infinity; the divisor's sign flips it.
            let divisor_sign = if y.is_zero() { 1 } else { sign_of(b) };
            infinity_with_sign(sign_of(a) * divisor_sign)
        }
        _ => Num::NaN,
    })
}

fn rem(a: Num, b: Num) -> Result<Num, LogicError> {
    Ok(match (a, b) {
        (Num::Finite(x), Num::Finite(y)) => {
            if y.is_zero() {
                Num::NaN
            } else {
                Num::Finite(x.checked_rem(y).ok_or(LogicError::Overflow)?)
            }
        }
        (Num::Finite(x), Num::PosInf | Num::NegInf) => Num::Finite(x),
        _ => Num::NaN,
    })
}

/// JavaScript's primitive form of a value for relational comparison.
enum Primitive {
    Number(Num),
    String(String),
}

fn to_primitive(value: &Value) -> Result<Primitive, LogicError> {
    Ok(match value {
        Value::String(s) => Primitive::String(s.clone()),
        Value::Array(_) | Value::Object(_) => Primitive::String(to_js_string(value)?),
        other => Primitive::Number(to_number(other)?),
    })
}

/// JavaScript's abstract relational comparison; `None` means "undefined" (a NaN was involved).
fn js_compare(a: &Value, b: &Value) -> Result<Option<Ordering>, LogicError> {
    match (to_primitive(a)?, to_primitive(b)?) {
        (Primitive::String(x), Primitive::String(y)) => {
            Ok(Some(x.encode_utf16().cmp(y.encode_utf16())))
        }
        (Primitive::Number(x), Primitive::Number(y)) => Ok(x.partial_cmp_js(y)),
        (Primitive::Number(x), Primitive::String(y)) => Ok(x.partial_cmp_js(string_to_number(&y)?)),
        (Primitive::String(x), Primitive::Number(y)) => Ok(string_to_number(&x)?.partial_cmp_js(y)),
    }
}

fn less_than(a: &Value, b: &Value) -> Result<bool, LogicError> {
    Ok(js_compare(a, b)? == Some(Ordering::Less))
}

fn less_or_equal(a: &Value, b: &Value) -> Result<bool, LogicError> {
    Ok(matches!(
        js_compare(a, b)?,
        Some(Ordering::Less | Ordering::Equal)
    ))
}

/// JavaScript `===` (arrays and objects are distinct references, hence never equal).
pub fn strict_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x.partial_cmp_js(*y) == Some(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x == y,
        _ => false,
    }
}

/// JavaScript `==`.
pub fn loose_eq(a: &Value, b: &Value) -> Result<bool, LogicError> {
    let numeric = |x: Num, y: Num| x.partial_cmp_js(y) == Some(Ordering::Equal);
    Ok(match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::Bool(_), _) | (_, Value::Bool(_)) => {
            // A boolean is first turned into 0 or 1, then compared again.
            let to_num = |v: &Value| match v {
                Value::Bool(flag) => Value::Number(Num::Finite(Decimal::from(u8::from(*flag)))),
                other => other.clone(),
            };
            return loose_eq(&to_num(a), &to_num(b));
        }
        (Value::Number(x), Value::Number(y)) => numeric(*x, *y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Number(x), Value::String(y)) => numeric(*x, string_to_number(y)?),
        (Value::String(x), Value::Number(y)) => numeric(string_to_number(x)?, *y),
        (Value::Array(_) | Value::Object(_), Value::Array(_) | Value::Object(_)) => false,
        (compound @ (Value::Array(_) | Value::Object(_)), primitive)
        | (primitive, compound @ (Value::Array(_) | Value::Object(_))) => {
            return loose_eq(&Value::String(to_js_string(compound)?), primitive);
        }
    })
}

fn contains(haystack: &Value, needle: &Value) -> Result<bool, LogicError> {
    Ok(match haystack {
        Value::String(s) if !s.is_empty() => s.contains(to_js_string(needle)?.as_str()),
        Value::Array(items) => items.iter().any(|item| strict_eq(item, needle)),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::json::parse;

    fn run(rule: &str, data: &str) -> Value {
        apply(
            &parse(rule.as_bytes()).unwrap(),
            &parse(data.as_bytes()).unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(run(r#"{"+":[0.1,0.2]}"#, "null"), parse(b"0.3").unwrap());
        assert_eq!(
            run(r#"{"<":[{"var":"a.b"},"10"]}"#, r#"{"a":{"b":9.99}}"#),
            Value::Bool(true)
        );
        assert_eq!(run(r#"{"/":[1,0]}"#, "null"), Value::Number(Num::PosInf));
        assert_eq!(run(r#"{"/":[-1,0]}"#, "null"), Value::Number(Num::NegInf));
    }
}
