//! A strict JSON gate for untrusted bytes, run before serde sees them.
//!
//! serde_json accepts duplicate object keys (the last one wins), converts integers that do
//! not fit 64 bits into lossy floats, and only stops nesting at 128 levels. A bundle that
//! means one thing to this engine and another to a linter or a second parser is a classic
//! signature-confusion attack, so every untrusted document passes this scanner first:
//! size cap before any parsing, a nesting depth limit, duplicate keys (compared after
//! unescaping) refused, numbers that would lose precision or overflow refused, strict UTF-8
//! and RFC 8259 grammar. It allocates only for object keys and never panics.
//! It must not interpret the document: typing is the caller's job, after the gate.

use super::lex::{Cursor, LexIssue};
use crate::error::error_path;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// Default size cap for a bundle envelope: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
/// Default nesting limit (objects and arrays). serde_json's own hard stop is 128.
pub const DEFAULT_MAX_DEPTH: usize = 32;
/// The highest depth the scanner allows at all, kept below serde_json's recursion limit so
/// that a document accepted here is never refused there.
pub const HARD_MAX_DEPTH: usize = 100;
/// Longest number literal accepted (sign, digits, point and exponent included).
pub const MAX_NUMBER_LEN: usize = 40;
/// Largest decimal exponent magnitude of a non-integer number, far inside f64's range.
pub const MAX_EXPONENT: i64 = 300;

/// The limits applied to one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes; checked before anything is parsed.
    pub max_bytes: usize,
    /// Deepest accepted nesting of objects and arrays (clamped to [`HARD_MAX_DEPTH`]).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// Why a document was refused by the gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrictJsonError {
    /// The input is longer than the cap.
    TooLarge {
        /// Input length in bytes.
        size: usize,
        /// The cap.
        max: usize,
    },
    /// Objects or arrays nest deeper than the limit.
    TooDeep {
        /// JSON path of the container that crossed the limit.
        path: String,
        /// The limit.
        max: usize,
    },
    /// An object names the same key twice (after unescaping).
    DuplicateKey {
        /// JSON path of the second occurrence.
        path: String,
    },
    /// A number would overflow or silently lose precision.
    NumberOutOfRange {
        /// JSON path of the number.
        path: String,
    },
    /// Not JSON: bad UTF-8, bad grammar, bad escape, trailing data.
    Syntax {
        /// JSON path where the problem was found, empty at the top level.
        path: String,
        /// Byte offset of the problem.
        offset: usize,
        /// What was wrong.
        reason: &'static str,
    },
}

impl fmt::Display for StrictJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrictJsonError::TooLarge { size, max } => {
                write!(f, "document of {size} bytes exceeds the {max}-byte limit")
            }
            StrictJsonError::TooDeep { max, .. } => {
                write!(f, "nesting deeper than {max} levels")
            }
            StrictJsonError::DuplicateKey { path } => write!(f, "duplicate object key {path}"),
            StrictJsonError::NumberOutOfRange { path } => {
                write!(f, "number at {path} is out of range or too long")
            }
            StrictJsonError::Syntax { offset, reason, .. } => {
                write!(f, "invalid json at byte {offset}: {reason}")
            }
        }
    }
}

impl StrictJsonError {
    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    pub fn message(&self) -> String {
        use crate::error::{concat, uint};
        match self {
            StrictJsonError::TooLarge { size, max } => concat(&[
                "document of ",
                &uint(*size as u64),
                " bytes exceeds the ",
                &uint(*max as u64),
                "-byte limit",
            ]),
            StrictJsonError::TooDeep { max, .. } => {
                concat(&["nesting deeper than ", &uint(*max as u64), " levels"])
            }
            StrictJsonError::DuplicateKey { path } => concat(&["duplicate object key ", path]),
            StrictJsonError::NumberOutOfRange { path } => {
                concat(&["number at ", path, " is out of range or too long"])
            }
            StrictJsonError::Syntax { offset, reason, .. } => {
                concat(&["invalid json at byte ", &uint(*offset as u64), ": ", reason])
            }
        }
    }
}

/// Checks `bytes` against `limits` and the strict grammar; `Ok` means serde_json will parse
/// it to exactly one meaning.
pub fn check(bytes: &[u8], limits: Limits) -> Result<(), StrictJsonError> {
    if bytes.len() > limits.max_bytes {
        return Err(StrictJsonError::TooLarge {
            size: bytes.len(),
            max: limits.max_bytes,
        });
    }
    if let Err(err) = std::str::from_utf8(bytes) {
        return Err(StrictJsonError::Syntax {
            path: String::new(),
            offset: err.valid_up_to(),
            reason: "invalid utf-8",
        });
    }
    let mut scanner = Scanner {
        cur: Cursor::new(bytes),
        depth: 0,
        max_depth: limits.max_depth.min(HARD_MAX_DEPTH),
        path: Vec::new(),
    };
    scanner.skip_whitespace();
    scanner.value()?;
    scanner.skip_whitespace();
    if scanner.cur.pos != bytes.len() {
        return Err(scanner.syntax("trailing characters after the document"));
    }
    Ok(())
}

/// Runs [`check`], then parses into `T`; serde failures come back with their JSON path.
///
/// The bundle verifier no longer calls it (its readers are on [`crate::json::tree`]); it stays
/// as the oracle `tests/bundle_readers.rs` compares them with, and for native callers.
///
/// The path is recovered from serde_json's error position by the request parser's scanner
/// ([`crate::error`]) instead of tracking it during the parse, which would compile a path
/// wrapper into every visitor of `T` (see the size notes there).
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8], limits: Limits) -> Result<T, ParseError> {
    check(bytes, limits).map_err(ParseError::Strict)?;
    serde_json::from_slice(bytes).map_err(|err| ParseError::Shape {
        path: error_path(bytes, &err, &|prefix| {
            serde_json::from_slice::<T>(prefix).err()
        })
        .unwrap_or_default(),
        reason: err.to_string(),
    })
}

/// Deserializes an already parsed document into `T` (kept, as [`from_slice`], as the bundle
/// readers' oracle). A failure comes back as its JSON path,
/// printed as serde_path_to_error prints it (`.` at the root), and serde's message (without a
/// position, as from a `Value`).
///
/// The value is written out and read back so the path can be found from the error position;
/// a `Value` is written in its own iteration order, so the first failure is the one reading the
/// value itself would meet.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, (String, String)> {
    let bytes = serde_json::to_vec(value).map_err(|err| (".".to_owned(), err.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|err| {
        let path = error_path(&bytes, &err, &|prefix| {
            serde_json::from_slice::<T>(prefix).err()
        })
        .unwrap_or_else(|| ".".to_owned());
        (path, message_without_position(&err))
    })
}

/// serde_json's message without the ` at line L column C` a reader adds.
#[inline(never)]
pub(crate) fn message_without_position(err: &serde_json::Error) -> String {
    let message = err.to_string();
    if err.line() == 0 {
        return message;
    }
    let position = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&position) {
        Some(bare) => bare.to_owned(),
        None => message,
    }
}

/// A failure of [`from_slice`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Refused by the strict gate.
    Strict(StrictJsonError),
    /// Valid JSON of the wrong shape for the target type.
    Shape {
        /// JSON path of the offending value, empty at the top level.
        path: String,
        /// serde's explanation.
        reason: String,
    },
}

/// One step of the path to the current value; a key borrows the request unless it had escapes.
enum Segment<'a> {
    Key(Cow<'a, str>),
    Index(usize),
}

/// Keys up to this many per object are compared by a linear scan as they are read (one
/// allocation per object, its key list, and none per key for the small objects requests are
/// made of); in a larger object the keys past this many are only listed, and [`first_repeat`]
/// sorts the list once the object ends or fails, so a huge object stays `O(n log n)` (size: no
/// `BTreeSet<String>` in either wasm module; docs/size.md, session 9).
pub(crate) const LINEAR_KEYS: usize = 16;

/// The index of the earliest key that repeats an earlier one among `len` keys (`key(i)` is
/// key `i`), found by one stable sort: the first error a scan in document order would meet.
pub(crate) fn first_repeat<'k>(len: usize, key: impl Fn(usize) -> &'k str) -> Option<usize> {
    let order = crate::sort::order(len, &|a, b| key(a).cmp(key(b)));
    // Equal keys are adjacent and, the sort being stable, in document order: each pair's
    // second index is a repeat; the smallest of them is the first one met.
    order
        .windows(2)
        .filter_map(|pair| match *pair {
            [a, b] if key(a) == key(b) => Some(b),
            _ => None,
        })
        .min()
}

struct Scanner<'a> {
    cur: Cursor<'a>,
    depth: usize,
    max_depth: usize,
    path: Vec<Segment<'a>>,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.cur.peek()
    }

    fn next(&mut self) -> Option<u8> {
        self.cur.next_byte()
    }

    fn skip_whitespace(&mut self) {
        self.cur.skip_whitespace();
    }

    fn path_text(&self) -> String {
        let mut text = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Segment::Index(index) => {
                    text.push('[');
                    crate::error::push_uint(&mut text, *index as u64);
                    text.push(']');
                }
            }
        }
        text
    }

    fn syntax(&self, reason: &'static str) -> StrictJsonError {
        StrictJsonError::Syntax {
            path: self.path_text(),
            offset: self.cur.pos,
            reason,
        }
    }

    /// The gate's wording for a token the lexer refused.
    fn lex(&self, issue: LexIssue) -> StrictJsonError {
        self.syntax(match issue {
            LexIssue::UnterminatedString => "unterminated string",
            LexIssue::ControlCharacter => "control character in string",
            LexIssue::InvalidEscape => "invalid escape",
            LexIssue::InvalidHexEscape => "invalid \\u escape",
            LexIssue::LoneSurrogate => "lone surrogate in \\u escape",
            LexIssue::InvalidUtf8 => "invalid utf-8",
            LexIssue::InvalidNumber => "invalid number",
            LexIssue::LeadingZero => "leading zero in number",
        })
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), StrictJsonError> {
        if self.peek() == Some(byte) {
            self.cur.pos += 1;
            Ok(())
        } else {
            Err(self.syntax(reason))
        }
    }

    fn value(&mut self) -> Result<(), StrictJsonError> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.syntax("expected a value")),
            None => Err(self.syntax("unexpected end of input")),
        }
    }

    fn enter(&mut self) -> Result<(), StrictJsonError> {
        if self.depth >= self.max_depth {
            return Err(StrictJsonError::TooDeep {
                path: self.path_text(),
                max: self.max_depth,
            });
        }
        self.depth += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<(), StrictJsonError> {
        self.enter()?;
        self.cur.pos += 1; // '{'
        let base = self.path.len();
        let mut keys: Vec<Cow<'a, str>> = Vec::new();
        let members = self.members(&mut keys);
        // A large object's keys past the scanned ones are judged now, on success or failure:
        // every one of them comes before the point where the members stopped, so a repeat
        // among them is the error a scan in document order meets first.
        if keys.len() > LINEAR_KEYS {
            if let Some(repeat) = first_repeat(keys.len(), |i| keys.get(i).map_or("", |k| k)) {
                self.path.truncate(base);
                if let Some(key) = keys.get(repeat) {
                    self.path.push(Segment::Key(key.clone()));
                }
                return Err(StrictJsonError::DuplicateKey {
                    path: self.path_text(),
                });
            }
        }
        members?;
        self.depth -= 1;
        Ok(())
    }

    /// The members of the object being read, their keys listed in `keys`.
    fn members(&mut self, keys: &mut Vec<Cow<'a, str>>) -> Result<(), StrictJsonError> {
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.cur.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.syntax("expected a string key"));
            }
            let key = self.key()?;
            self.path.push(Segment::Key(key.clone()));
            if keys.len() <= LINEAR_KEYS && keys.contains(&key) {
                let path = self.path_text();
                return Err(StrictJsonError::DuplicateKey { path });
            }
            keys.push(key);
            self.skip_whitespace();
            self.expect(b':', "expected ':' after an object key")?;
            self.skip_whitespace();
            self.value()?;
            self.path.pop();
            self.skip_whitespace();
            match self.next() {
                Some(b',') => continue,
                Some(b'}') => return Ok(()),
                _ => {
                    self.cur.pos = self.cur.pos.saturating_sub(1);
                    return Err(self.syntax("expected ',' or '}'"));
                }
            }
        }
    }

    fn array(&mut self) -> Result<(), StrictJsonError> {
        self.enter()?;
        self.cur.pos += 1; // '['
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.cur.pos += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut index = 0usize;
        loop {
            self.skip_whitespace();
            self.path.push(Segment::Index(index));
            self.value()?;
            self.path.pop();
            index += 1;
            self.skip_whitespace();
            match self.next() {
                Some(b',') => continue,
                Some(b']') => break,
                _ => {
                    self.cur.pos = self.cur.pos.saturating_sub(1);
                    return Err(self.syntax("expected ',' or ']'"));
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), StrictJsonError> {
        if self.cur.literal(word) {
            Ok(())
        } else {
            Err(self.syntax("invalid literal"))
        }
    }

    /// Scans an object key starting at its opening quote: its decoded text, borrowed from the
    /// request when it has no escapes.
    fn key(&mut self) -> Result<Cow<'a, str>, StrictJsonError> {
        match self.cur.string(true) {
            Ok(text) => Ok(text.unwrap_or_default()),
            Err(issue) => Err(self.lex(issue)),
        }
    }

    /// Scans a string value starting at its opening quote (checked, not decoded).
    fn string(&mut self) -> Result<(), StrictJsonError> {
        match self.cur.string(false) {
            Ok(_) => Ok(()),
            Err(issue) => Err(self.lex(issue)),
        }
    }

    /// A number the lexer accepts, refused when serde_json would read it lossily: an integer
    /// beyond 64 bits, or a float whose magnitude nears f64's edges.
    fn number(&mut self) -> Result<(), StrictJsonError> {
        let token = match self.cur.number() {
            Ok(token) => token,
            Err(issue) => return Err(self.lex(issue)),
        };
        let out_of_range = || StrictJsonError::NumberOutOfRange {
            path: self.path_text(),
        };
        if token.text.len() > MAX_NUMBER_LEN {
            return Err(out_of_range());
        }
        let literal = std::str::from_utf8(token.text).map_err(|_| self.syntax("invalid number"))?;
        if token.is_integer {
            // serde_json turns integers beyond 64 bits into rounded floats: refuse them.
            if super::lex::parse_i64(literal).is_none() && super::lex::parse_u64(literal).is_none()
            {
                return Err(out_of_range());
            }
        } else {
            // Bound the magnitude so the float is finite and nowhere near the edges.
            let int_len = i64::try_from(token.int_digits).unwrap_or(i64::MAX);
            // The decimal exponent of the leading digit: `123e299` is 1.23e301.
            let magnitude = token.exponent.saturating_add(int_len - 1);
            if token.exponent.abs() > MAX_EXPONENT || magnitude > MAX_EXPONENT {
                return Err(out_of_range());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> &'static str {
        match check(text.as_bytes(), Limits::default()) {
            Ok(()) => "ok",
            Err(StrictJsonError::TooLarge { .. }) => "too-large",
            Err(StrictJsonError::TooDeep { .. }) => "too-deep",
            Err(StrictJsonError::DuplicateKey { .. }) => "duplicate-key",
            Err(StrictJsonError::NumberOutOfRange { .. }) => "number",
            Err(StrictJsonError::Syntax { .. }) => "syntax",
        }
    }

    #[test]
    fn grammar() {
        for (text, expected) in [
            (
                r#"{"a":1,"b":[true,false,null,"x\n\u00e9\ud83d\ude00"]}"#,
                "ok",
            ),
            (" [ ] ", "ok"),
            ("-0.5e-3", "ok"),
            ("18446744073709551615", "ok"),
            ("-9223372036854775808", "ok"),
            ("18446744073709551616", "number"),
            ("-9223372036854775809", "number"),
            ("1e400", "number"),
            ("1e300", "ok"),
            ("123e299", "number"),
            ("1e-301", "number"),
            ("1e99999999999999999999", "number"),
            ("0.0000000000000000000000000000000000000001", "number"),
            ("NaN", "syntax"),
            ("Infinity", "syntax"),
            ("-Infinity", "syntax"),
            ("01", "syntax"),
            ("1.", "syntax"),
            (".5", "syntax"),
            ("+1", "syntax"),
            ("{\"a\":1,}", "syntax"),
            ("[1,]", "syntax"),
            ("{\"a\" 1}", "syntax"),
            ("\"\\ud800\"", "syntax"),
            ("\"\\udc00\"", "syntax"),
            ("\"\\ud800\\u0041\"", "syntax"),
            ("\"\\x\"", "syntax"),
            ("\"a\tb\"", "syntax"),
            ("\"abc", "syntax"),
            ("{} {}", "syntax"),
            ("\u{feff}{}", "syntax"),
            ("", "syntax"),
            ("tru", "syntax"),
            (r#"{"a":1,"a":2}"#, "duplicate-key"),
            (r#"{"a":1,"\u0061":2}"#, "duplicate-key"),
            (r#"{"a":{"b":1},"c":{"b":1}}"#, "ok"),
        ] {
            assert_eq!(code(text), expected, "{text}");
        }
        assert!(check(b"\"\xff\"", Limits::default()).is_err());
    }

    /// Duplicates are found in small objects (linear scan), across the switch to the set and
    /// in large ones, escaped spellings included, and named by the second occurrence's path.
    #[test]
    fn duplicate_keys_in_objects_of_every_size() {
        let object = |keys: &[String]| {
            let members: Vec<String> = keys
                .iter()
                .map(|k| format!("\"{k}\":{{\"v\":1}}"))
                .collect();
            format!("{{\"outer\":{{{}}}}}", members.join(","))
        };
        let duplicate = |text: &str| match check(text.as_bytes(), Limits::default()) {
            Err(StrictJsonError::DuplicateKey { path }) => Some(path),
            Ok(()) => None,
            Err(other) => panic!("unexpected {other:?}"),
        };
        for size in [1, 2, LINEAR_KEYS - 1, LINEAR_KEYS, LINEAR_KEYS + 1, 40, 300] {
            let keys: Vec<String> = (0..size).map(|k| format!("k{k}")).collect();
            assert_eq!(duplicate(&object(&keys)), None, "{size} distinct keys");
            for (first, second) in [(0, size), (size / 2, size), (size - 1, size)] {
                let mut with = keys.clone();
                with.insert(second, keys[first].clone());
                with.push("tail".into());
                assert_eq!(
                    duplicate(&object(&with)),
                    Some(format!("outer.k{first}")),
                    "{size} keys, k{first} again at {second}"
                );
            }
        }
        // `\u006b0` spells `k0`: the same key.
        let escaped = r#"{"k0":1,"a":2,"\u006b0":3}"#;
        assert_eq!(duplicate(escaped), Some("k0".into()));
        let keys: Vec<String> = (0..30).map(|k| format!("k{k}")).collect();
        let mut escaped_late = keys.clone();
        escaped_late.push(r"\u006b7".into());
        assert_eq!(duplicate(&object(&escaped_late)), Some("outer.k7".into()));
    }

    /// In a large object the repeats past the scanned keys are judged after the members: the
    /// error is still the one met first in document order, a repeat before a later failure
    /// (malformed value, too deep, a nested object's own repeat) and a failure before a repeat.
    #[test]
    fn large_objects_report_the_first_error_in_document_order() {
        let keys: Vec<String> = (0..40).map(|k| format!("\"k{k}\":1")).collect();
        let with = |at: usize, member: &str| {
            let mut members = keys.clone();
            members.insert(at, member.to_owned());
            members
        };
        let text = |members: &[String]| format!("{{\"o\":{{{}}}}}", members.join(","));
        let repeat = "\"k3\":2";
        let nested_repeat = r#""n":{"a":1,"a":2}"#;
        for later in [
            "\"bad\":tru",
            "\"deep\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
            nested_repeat,
        ] {
            // The repeat at member 25 comes first.
            let mut members = with(25, repeat);
            members.insert(30, later.to_owned());
            assert_eq!(
                check(text(&members).as_bytes(), Limits::default()),
                Err(StrictJsonError::DuplicateKey {
                    path: "o.k3".into()
                }),
                "{later}"
            );
            // The other failure comes first.
            let mut members = with(30, repeat);
            members.insert(25, later.to_owned());
            let err = check(text(&members).as_bytes(), Limits::default());
            assert!(
                !matches!(&err, Err(StrictJsonError::DuplicateKey { path }) if path == "o.k3"),
                "{later}: {err:?}"
            );
            assert!(err.is_err());
        }
        // Two repeats: the earlier second occurrence wins, whatever the keys' order.
        let mut members = with(20, "\"k9\":0");
        members.insert(30, "\"k1\":0".to_owned());
        assert_eq!(
            check(text(&members).as_bytes(), Limits::default()),
            Err(StrictJsonError::DuplicateKey {
                path: "o.k9".into()
            })
        );
    }

    #[test]
    fn limits() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(code(&deep(32)), "ok");
        assert_eq!(code(&deep(33)), "too-deep");
        assert_eq!(code(&deep(500_000)), "too-deep");
        let limits = Limits {
            max_bytes: 4,
            max_depth: 2,
        };
        assert_eq!(
            check(b"[1,2]", limits),
            Err(StrictJsonError::TooLarge { size: 5, max: 4 })
        );
        let err = check(br#"{"a":[{"b":{}}]}"#, Limits::default());
        assert_eq!(err, Ok(()));
        let err = check(
            br#"{"a":[{"b":{}}]}"#,
            Limits {
                max_bytes: 100,
                max_depth: 3,
            },
        );
        assert_eq!(
            err,
            Err(StrictJsonError::TooDeep {
                path: "a[0].b".into(),
                max: 3
            })
        );
        let err = check(br#"{"x":[0,{"k":1,"k":2}]}"#, Limits::default());
        assert_eq!(
            err,
            Err(StrictJsonError::DuplicateKey {
                path: "x[1].k".into()
            })
        );
    }

    #[test]
    fn accepted_documents_parse_identically() {
        // Whatever passes the gate must parse in serde_json too.
        for text in [
            r#"{"a":[1,-2,3.5e10,"\u00e9"],"b":{"c":null}}"#,
            "1e300",
            "-1.25e-300",
            &format!(
                "{}{}",
                "[".repeat(HARD_MAX_DEPTH),
                "]".repeat(HARD_MAX_DEPTH)
            ),
        ] {
            let limits = Limits {
                max_bytes: DEFAULT_MAX_BYTES,
                max_depth: HARD_MAX_DEPTH,
            };
            assert_eq!(check(text.as_bytes(), limits), Ok(()), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(text).is_ok(),
                "{text}"
            );
        }
    }

    use proptest::prelude::*;
    use serde_json::Value;

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("\\PC{0,6}", inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Whatever serde_json writes (integers, any strings, bounded depth) passes the gate.
        #[test]
        fn serde_output_passes(value in arb_json()) {
            let compact = serde_json::to_vec(&value).unwrap();
            let pretty = serde_json::to_vec_pretty(&value).unwrap();
            prop_assert_eq!(check(&compact, Limits::default()), Ok(()));
            prop_assert_eq!(check(&pretty, Limits::default()), Ok(()));
        }

        /// Arbitrary bytes never panic, and what passes parses in serde_json too.
        #[test]
        fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if check(&bytes, Limits::default()).is_ok() {
                prop_assert!(serde_json::from_slice::<Value>(&bytes).is_ok());
            }
        }

        /// Arbitrary JSON-ish text (more likely to get deep into the grammar).
        #[test]
        fn arbitrary_text(text in "[\\[\\]{}\":,0-9eE.+\\-a-z\\\\ ]{0,40}") {
            if check(text.as_bytes(), Limits::default()).is_ok() {
                prop_assert!(serde_json::from_str::<Value>(&text).is_ok(), "{}", text);
            }
        }
    }
}
