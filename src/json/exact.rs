//! An exact, bounded JSON reader for applicants and JSONLogic rules.
//!
//! Owns the value type the scoring and rule code work on ([`Value`], numbers as [`Num`] over
//! `Decimal`), a byte parser with depth and size limits that never panics, and a zero-copy
//! field scanner ([`scan_object`]) that the batch scorer uses to read one applicant line without
//! allocating.
//! It exists because `serde_json` without `arbitrary_precision` turns JSON numbers into `f64`;
//! here every number token becomes a `Decimal` digit for digit, or an error.
//! It must not know about scorecards or rules.

use super::lex::{Cursor, LexIssue};
use super::strict::LINEAR_KEYS;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Deepest nesting accepted (arrays and objects).
pub const MAX_DEPTH: usize = 64;
/// Most values accepted in one document (every scalar, array and object counts once).
pub const MAX_NODES: usize = 100_000;

/// A JavaScript-like number: a finite decimal, or one of the three values JSONLogic can
/// produce from finite inputs (division by zero, `max` of nothing, non-numeric strings).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// A finite, exact decimal.
    Finite(Decimal),
    /// Not a number.
    NaN,
    /// +∞.
    PosInf,
    /// −∞.
    NegInf,
}

impl Num {
    /// Zero.
    pub const ZERO: Num = Num::Finite(Decimal::ZERO);

    /// The finite decimal, if any.
    pub fn finite(self) -> Option<Decimal> {
        match self {
            Num::Finite(value) => Some(value),
            _ => None,
        }
    }

    /// JavaScript's numeric comparison (`None` when either side is NaN).
    pub fn partial_cmp_js(self, other: Num) -> Option<Ordering> {
        let rank = |n: Num| match n {
            Num::NegInf => 0,
            Num::Finite(_) => 1,
            Num::PosInf => 2,
            Num::NaN => 3,
        };
        match (self, other) {
            (Num::NaN, _) | (_, Num::NaN) => None,
            (Num::Finite(a), Num::Finite(b)) => Some(a.cmp(&b)),
            (a, b) => Some(rank(a).cmp(&rank(b))),
        }
    }

    /// JavaScript's `Number.prototype.toString` for the values that occur in rules
    /// (plain decimal notation; exponent notation of |x| ≥ 1e21 or < 1e-6 is not reproduced).
    pub fn to_js_string(self) -> String {
        match self {
            Num::Finite(value) => {
                let normalized = value.normalize();
                if normalized.is_zero() {
                    "0".to_owned()
                } else {
                    normalized.to_string()
                }
            }
            Num::NaN => "NaN".to_owned(),
            Num::PosInf => "Infinity".to_owned(),
            Num::NegInf => "-Infinity".to_owned(),
        }
    }
}

/// A JSON value whose numbers are exact.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (always finite when parsed from JSON).
    Number(Num),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, keys in document order (duplicates are refused by the parser).
    Object(Vec<(String, Value)>),
}

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The JSON type name used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// Converts to `serde_json` (non-finite numbers become strings `"NaN"`, `"Infinity"`).
    pub fn to_serde(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(Num::Finite(d)) => {
                // Through the text form, so no binary floating point is involved when the
                // value is an integer; other decimals stay strings to remain exact.
                let text = Num::Finite(*d).to_js_string();
                match text.parse::<i64>() {
                    Ok(int) => serde_json::Value::from(int),
                    Err(_) => serde_json::Value::String(text),
                }
            }
            Value::Number(other) => serde_json::Value::String(other.to_js_string()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_serde).collect())
            }
            Value::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_serde()))
                    .collect(),
            ),
        }
    }
}

/// Why a JSON text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonIssue {
    /// Not JSON (with what was expected).
    Syntax(&'static str),
    /// Nested deeper than [`MAX_DEPTH`] or more than [`MAX_NODES`] values.
    TooLarge,
    /// A number that does not fit a 28-digit decimal.
    NumberOutOfRange,
    /// The same key twice in one object.
    DuplicateKey(String),
}

/// A refusal with the byte offset where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset in the input.
    pub offset: usize,
    /// What went wrong.
    pub issue: JsonIssue,
    /// JSON path of the value at fault (`card.variables[0]`), filled in while unwinding.
    pub path: String,
}

impl JsonError {
    fn new(offset: usize, issue: JsonIssue) -> Self {
        JsonError {
            offset,
            issue,
            path: String::new(),
        }
    }

    fn within(mut self, key: &str) -> Self {
        self.path = match self.path.as_str() {
            "" => key.to_owned(),
            rest if rest.starts_with('[') => format!("{key}{rest}"),
            rest => format!("{key}.{rest}"),
        };
        self
    }

    fn within_index(mut self, idx: usize) -> Self {
        self.path = match self.path.as_str() {
            "" => format!("[{idx}]"),
            rest if rest.starts_with('[') => format!("[{idx}]{rest}"),
            rest => format!("[{idx}].{rest}"),
        };
        self
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.issue {
            JsonIssue::Syntax(what) => write!(f, "malformed json at byte {}: {what}", self.offset),
            JsonIssue::TooLarge => write!(f, "json too deep or too large at byte {}", self.offset),
            JsonIssue::NumberOutOfRange => {
                write!(f, "number out of decimal range at byte {}", self.offset)
            }
            JsonIssue::DuplicateKey(key) => {
                write!(f, "duplicate key {key:?} at byte {}", self.offset)
            }
        }
    }
}

/// Parses one complete JSON document (surrounding whitespace allowed).
pub fn parse(bytes: &[u8]) -> Result<Value, JsonError> {
    let mut parser = Parser::new(utf8(bytes)?);
    let value = parser.value()?;
    parser.end()?;
    Ok(value)
}

fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes)
        .map_err(|e| JsonError::new(e.valid_up_to(), JsonIssue::Syntax("valid utf-8")))
}

/// A top-level member value as the scanner hands it out: scalars decoded, compounds skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An exact number.
    Number(Decimal),
    /// A string, borrowed when it holds no escapes.
    String(Cow<'a, str>),
    /// An array (skipped, contents not decoded).
    Array,
    /// An object (skipped, contents not decoded).
    Object,
}

/// Walks the members of a top-level JSON object without building it, calling `visit` with each
/// key and scalar value. `visit` may stop the walk by returning an error of its own type.
pub fn scan_object<'a, E>(
    bytes: &'a [u8],
    mut visit: impl FnMut(Cow<'a, str>, Scalar<'a>) -> Result<(), E>,
) -> Result<(), ScanError<E>> {
    let mut parser = Parser::new(utf8(bytes).map_err(ScanError::Json)?);
    parser.ws();
    parser.expect(b'{', "an object").map_err(ScanError::Json)?;
    parser.ws();
    if parser.peek() == Some(b'}') {
        parser.pos += 1;
        return parser.end().map_err(ScanError::Json);
    }
    loop {
        parser.ws();
        let key = parser.string().map_err(ScanError::Json)?;
        parser.ws();
        parser.expect(b':', "':'").map_err(ScanError::Json)?;
        parser.ws();
        let scalar = match parser.peek() {
            Some(b'{') => {
                parser.skip_value().map_err(ScanError::Json)?;
                Scalar::Object
            }
            Some(b'[') => {
                parser.skip_value().map_err(ScanError::Json)?;
                Scalar::Array
            }
            Some(b'"') => Scalar::String(parser.string().map_err(ScanError::Json)?),
            Some(b't') => {
                parser.literal(b"true").map_err(ScanError::Json)?;
                Scalar::Bool(true)
            }
            Some(b'f') => {
                parser.literal(b"false").map_err(ScanError::Json)?;
                Scalar::Bool(false)
            }
            Some(b'n') => {
                parser.literal(b"null").map_err(ScanError::Json)?;
                Scalar::Null
            }
            _ => Scalar::Number(parser.number().map_err(ScanError::Json)?),
        };
        visit(key, scalar).map_err(ScanError::Visit)?;
        parser.ws();
        match parser.peek() {
            Some(b',') => parser.pos += 1,
            Some(b'}') => {
                parser.pos += 1;
                return parser.end().map_err(ScanError::Json);
            }
            _ => return Err(ScanError::Json(parser.fail("',' or '}'"))),
        }
    }
}

/// Why [`scan_object`] stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanError<E> {
    /// The text is not a JSON object.
    Json(JsonError),
    /// The visitor refused a member.
    Visit(E),
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    nodes: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
            nodes: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn fail(&self, what: &'static str) -> JsonError {
        JsonError::new(self.pos, JsonIssue::Syntax(what))
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn end(&mut self) -> Result<(), JsonError> {
        self.ws();
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.fail("end of input"))
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), JsonError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.fail(what))
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.fail("a literal"))
        }
    }

    fn count(&mut self) -> Result<(), JsonError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || self.depth > MAX_DEPTH {
            return Err(JsonError::new(self.pos, JsonIssue::TooLarge));
        }
        Ok(())
    }

    /// The members of the object being read (after its `{`), each key's offset in `offsets`.
    fn members(
        &mut self,
        members: &mut Vec<(String, Value)>,
        offsets: &mut Vec<usize>,
    ) -> Result<(), JsonError> {
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.ws();
            let key_offset = self.pos;
            let key = self.string()?.into_owned();
            self.ws();
            self.expect(b':', "':'")?;
            let item = self.value().map_err(|e| e.within(&key))?;
            if members.len() <= LINEAR_KEYS && members.iter().any(|(k, _)| *k == key) {
                return Err(
                    JsonError::new(key_offset, JsonIssue::DuplicateKey(key.clone())).within(&key),
                );
            }
            members.push((key, item));
            offsets.push(key_offset);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.fail("',' or '}'")),
            }
        }
    }

    fn value(&mut self) -> Result<Value, JsonError> {
        self.ws();
        self.count()?;
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                self.depth += 1;
                let mut members: Vec<(String, Value)> = Vec::new();
                // Each key's offset, for the error of a repeat found after the fact.
                let mut offsets: Vec<usize> = Vec::new();
                let read = self.members(&mut members, &mut offsets);
                // Duplicate keys: a scan of the members while the object is small; past
                // `strict::LINEAR_KEYS` one sort of the keys when the object ends or fails (as
                // the strict gate does), so an object of n keys costs n log n, not n² (a 1 MiB
                // applicant holds ~100,000 keys). Every listed key precedes the point of a
                // failure, so a repeat among them is the error a scan would meet first.
                if members.len() > LINEAR_KEYS {
                    let repeat = super::strict::first_repeat(members.len(), |i| {
                        members.get(i).map_or("", |(k, _)| k)
                    });
                    if let Some((key, offset)) =
                        repeat.and_then(|i| Some((members.get(i)?.0.clone(), *offsets.get(i)?)))
                    {
                        return Err(JsonError::new(offset, JsonIssue::DuplicateKey(key.clone()))
                            .within(&key));
                    }
                }
                read?;
                self.depth -= 1;
                Ok(Value::Object(members))
            }
            Some(b'[') => {
                self.pos += 1;
                self.depth += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        let item = self.value().map_err(|e| e.within_index(items.len()))?;
                        items.push(item);
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.fail("',' or ']'")),
                        }
                    }
                }
                self.depth -= 1;
                Ok(Value::Array(items))
            }
            Some(b'"') => Ok(Value::String(self.string()?.into_owned())),
            Some(b't') => self.literal(b"true").map(|()| Value::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| Value::Bool(false)),
            Some(b'n') => self.literal(b"null").map(|()| Value::Null),
            _ => Ok(Value::Number(Num::Finite(self.number()?))),
        }
    }

    fn skip_value(&mut self) -> Result<(), JsonError> {
        // Skipping validates fully; building the value is simplest and compounds are rare.
        self.value().map(drop)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.fail("a string"));
        }
        let mut cursor = Cursor::at(self.bytes, self.pos);
        let read = cursor.string(true);
        self.pos = cursor.pos;
        match read {
            Ok(text) => Ok(text.unwrap_or_default()),
            Err(issue) => Err(self.fail(match issue {
                LexIssue::UnterminatedString => "closing '\"'",
                LexIssue::ControlCharacter => "no control characters in strings",
                LexIssue::InvalidEscape => "a valid escape",
                LexIssue::InvalidHexEscape => "four hex digits",
                LexIssue::LoneSurrogate => "a low surrogate",
                LexIssue::InvalidUtf8 => "valid utf-8",
                LexIssue::InvalidNumber | LexIssue::LeadingZero => "a value",
            })),
        }
    }

    fn number(&mut self) -> Result<Decimal, JsonError> {
        let start = self.pos;
        // Fast path: -?digits(.digits)? with at most 18 digits, accumulated in a u64.
        let mut pos = start;
        let negative = self.bytes.get(pos) == Some(&b'-');
        if negative {
            pos += 1;
        }
        let mut mantissa: u64 = 0;
        let mut digits = 0u32;
        let mut frac_digits = 0u32;
        let mut seen_dot = false;
        let int_start = pos;
        while let Some(&byte) = self.bytes.get(pos) {
            match byte {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u64::from(byte - b'0');
                    digits += 1;
                    frac_digits += u32::from(seen_dot);
                    if digits > 18 {
                        break;
                    }
                }
                b'.' if !seen_dot && pos > int_start => seen_dot = true,
                _ => break,
            }
            pos += 1;
        }
        let int_len = pos - int_start - usize::from(seen_dot) - frac_digits as usize;
        let leading_zero_ok = !(int_len > 1 && self.bytes.get(int_start) == Some(&b'0'));
        let simple_end = !matches!(self.bytes.get(pos), Some(b'0'..=b'9' | b'e' | b'E' | b'.'));
        if digits <= 18
            && int_len > 0
            && leading_zero_ok
            && simple_end
            && (!seen_dot || frac_digits > 0)
        {
            self.pos = pos;
            let signed = if negative {
                -i128::from(mantissa)
            } else {
                i128::from(mantissa)
            };
            return Decimal::try_from_i128_with_scale(signed, frac_digits)
                .map_err(|_| JsonError::new(start, JsonIssue::NumberOutOfRange));
        }
        let mut cursor = Cursor::at(self.bytes, start);
        let token = cursor.number().map_err(|_| self.fail("a value"))?;
        self.pos = cursor.pos;
        decimal_from_json_number(token.text)
            .ok_or_else(|| JsonError::new(start, JsonIssue::NumberOutOfRange))
    }
}

/// Exact value of a JSON number token; `None` when it needs more than 28 significant digits or
/// its magnitude leaves `Decimal`'s range.
pub fn decimal_from_json_number(token: &[u8]) -> Option<Decimal> {
    let (negative, body) = match token.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, token),
    };
    let mut mantissa: u128 = 0;
    let mut significant = 0u32;
    let mut frac_digits: i64 = 0;
    let mut in_frac = false;
    let mut exponent: i64 = 0;
    let mut idx = 0;
    while let Some(&byte) = body.get(idx) {
        match byte {
            b'0'..=b'9' => {
                if mantissa != 0 || byte != b'0' {
                    significant += 1;
                    if significant > 29 {
                        return None;
                    }
                }
                mantissa = mantissa * 10 + u128::from(byte - b'0');
                if in_frac {
                    frac_digits += 1;
                }
            }
            b'.' => in_frac = true,
            b'e' | b'E' => {
                let text = std::str::from_utf8(body.get(idx + 1..)?).ok()?;
                let text = text.strip_prefix('+').unwrap_or(text);
                exponent = if text.len() > 6 {
                    // Absurd exponents: only zero survives them.
                    if mantissa == 0 {
                        0
                    } else {
                        return None;
                    }
                } else {
                    text.parse::<i64>().ok()?
                };
                break;
            }
            _ => return None,
        }
        idx += 1;
    }
    if mantissa == 0 {
        return Some(Decimal::ZERO);
    }
    let mut scale = frac_digits - exponent;
    // Trailing zeros carry no value; dropping them keeps more numbers in range.
    while scale > 28 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        scale -= 1;
    }
    while scale < 0 {
        mantissa = mantissa.checked_mul(10)?;
        scale += 1;
    }
    if scale > 28 {
        return None;
    }
    let signed = i128::try_from(mantissa).ok()?;
    let signed = if negative { -signed } else { signed };
    Decimal::try_from_i128_with_scale(signed, u32::try_from(scale).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_exact() {
        let cases = [
            ("0", "0"),
            ("-0", "0"),
            ("12.50", "12.50"),
            ("1e3", "1000"),
            ("1.5E-3", "0.0015"),
            ("-2.5e+2", "-250"),
            ("0.30000000000000004", "0.30000000000000004"),
        ];
        for (token, expected) in cases {
            let value = decimal_from_json_number(token.as_bytes()).map(|d| d.to_string());
            assert_eq!(value.as_deref(), Some(expected), "{token}");
        }
        assert_eq!(decimal_from_json_number(b"1e40"), None);
        assert_eq!(decimal_from_json_number(b"1e-40"), None);
        assert_eq!(decimal_from_json_number(b"1e9999999999"), None);
    }

    /// Duplicate keys are found at every object size, before and after the key set takes over
    /// from the scan (`LINEAR_KEYS`), escaped or not, with the same error the scan gave: the
    /// first repeated key, at its offset.
    #[test]
    fn duplicate_keys_are_found_at_every_object_size() {
        for size in [
            1,
            2,
            LINEAR_KEYS - 1,
            LINEAR_KEYS,
            LINEAR_KEYS + 1,
            40,
            300,
            5_000,
        ] {
            let keys: Vec<String> = (0..size).map(|i| format!("k{i}")).collect();
            let body: Vec<String> = keys.iter().map(|k| format!("\"{k}\":{{}}")).collect();
            let distinct = format!("{{{}}}", body.join(","));
            let Ok(Value::Object(members)) = parse(distinct.as_bytes()) else {
                panic!("{size} distinct keys refused");
            };
            assert_eq!(members.len(), size);
            for repeated in [0, size / 2, size - 1] {
                // `k` written as `\u006b`: the duplicate is found after unescaping.
                let escaped = keys[repeated].replacen('k', "\\u006b", 1);
                for key in [keys[repeated].clone(), escaped] {
                    let text = format!("{{{},\"{key}\":1,\"z\":2}}", body.join(","));
                    let error = parse(text.as_bytes()).unwrap_err();
                    assert_eq!(
                        error.issue,
                        JsonIssue::DuplicateKey(keys[repeated].clone()),
                        "{size} {key}"
                    );
                    assert_eq!(error.offset, distinct.len(), "{size} {key}");
                }
            }
        }
    }

    /// Past the scanned keys a repeat is judged after the members, yet the error is the one met
    /// first in document order: a repeat before a later malformed value, and the malformed
    /// value when it comes first; two repeats: the earlier second occurrence.
    #[test]
    fn large_objects_report_the_first_error_in_document_order() {
        let body: Vec<String> = (0..40).map(|i| format!("\"k{i}\":{{}}")).collect();
        let object = |members: &[String]| format!("{{{}}}", members.join(","));
        let offset_of = |text: &str, member: &str| text.find(member).unwrap_or(usize::MAX);
        let mut members = body.clone();
        members.insert(25, "\"k3\":1".into());
        members.insert(30, "\"bad\":tru".into());
        let text = object(&members);
        let error = parse(text.as_bytes()).unwrap_err();
        assert_eq!(error.issue, JsonIssue::DuplicateKey("k3".into()));
        assert_eq!(error.offset, offset_of(&text, "\"k3\":1"));
        let mut members = body.clone();
        members.insert(25, "\"bad\":tru".into());
        members.insert(30, "\"k3\":1".into());
        let error = parse(object(&members).as_bytes()).unwrap_err();
        assert!(
            !matches!(error.issue, JsonIssue::DuplicateKey(_)),
            "{error:?}"
        );
        let mut members = body.clone();
        members.insert(20, "\"k9\":0".into());
        members.insert(30, "\"k1\":0".into());
        let text = object(&members);
        let error = parse(text.as_bytes()).unwrap_err();
        assert_eq!(error.issue, JsonIssue::DuplicateKey("k9".into()));
        assert_eq!(error.offset, offset_of(&text, "\"k9\":0"));
    }

    #[test]
    fn parser_refuses_bad_input_without_panicking() {
        for bad in [
            "",
            "{",
            "[1,]",
            "01",
            "1.",
            ".5",
            "NaN",
            "{\"a\":1,\"a\":2}",
            "\"\\u12\"",
            "tru",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(
            parse(deep.as_bytes()).map_err(|e| e.issue),
            Err(JsonIssue::TooLarge)
        );
        let value = parse(br#"{"s":"a\u00e9\ud83d\ude00","n":[1,2.5,null,true]}"#).unwrap();
        assert_eq!(value.get("s"), Some(&Value::String("aé😀".into())));
    }
}
