//! The error shape shared by every front door.
//!
//! Each core module owns its own `thiserror` enum; this module owns only the wire form
//! (`{"error": {"code", "message", "path"}}`) and the mapping of request-parsing failures.
//! It must not know about any particular calculator.

use serde::{de::DeserializeOwned, Serialize};
use std::fmt;

/// A failure as every caller sees it: a stable kebab-case `code`, a lowercase message,
/// and where it applies the JSON path of the offending input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// Stable machine-readable code; JS and tests match on this, never on `message`.
    pub code: String,
    /// Human-readable explanation, lowercase, no trailing period.
    pub message: String,
    /// JSON path of the input that caused the error (`installments[3].amount`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl ApiError {
    /// Builds an error from its parts.
    pub fn new(code: &str, message: impl Into<String>, path: Option<String>) -> Self {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            path,
        }
    }

    /// Appends this error as its serde object, `{"code":…,"message":…,"path":…}` (`path` left
    /// out when absent), byte for byte `serde_json`'s text: for writers that hold no `Value`
    /// (the wasm batch scorer's per-line envelopes).
    pub fn push_json(&self, out: &mut Vec<u8>) {
        use crate::json::write::push_field;
        push_field(out, b"{\"code\":", &self.code);
        push_field(out, b",\"message\":", &self.message);
        if let Some(path) = &self.path {
            push_field(out, b",\"path\":", path);
        }
        out.push(b'}');
    }

    /// The `{"error": {...}}` envelope printed by the CLI and returned by the server.
    pub fn to_envelope(&self) -> serde_json::Value {
        serde_json::json!({ "error": self })
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {} (at {})", self.code, self.message, path),
            None => write!(f, "{}: {}", self.code, self.message),
        }
    }
}

impl std::error::Error for ApiError {}

/// Implemented by every module error so it can cross the API boundary with its code and path.
pub trait ErrorCode: fmt::Display {
    /// The stable kebab-case code of this error.
    fn code(&self) -> &'static str;
    /// The JSON path of the input at fault, when the error is about one input.
    fn path(&self) -> Option<String> {
        None
    }
    /// The message of the wire form: the `Display` text. The errors the calculator module
    /// reaches (schedule, apr, caps, disclosure) write the same text with [`concat()`] and
    /// [`uint`] instead, so that module links no `core::fmt` (size); the full engine's errors
    /// keep this default.
    fn message(&self) -> String {
        self.to_string()
    }
    /// Converts into the wire form. The full engine links `core::fmt` for its own errors
    /// anyway, so it takes the `Display` text (the same text, `messages_are_the_display_texts`)
    /// and leaves the builders out of its module.
    fn to_api(&self) -> ApiError {
        let message = if cfg!(feature = "full") {
            self.to_string()
        } else {
            self.message()
        };
        ApiError::new(self.code(), message, self.path())
    }
}

/// `parts` joined into one string: the message builder of the calculator's errors, in place of
/// `format!` (size: the calculator module links no `core::fmt`, whose `write`, padding and
/// integer formatting cost ~2 KB brotli). Integers are written by [`uint`] and [`int`],
/// decimals by [`crate::money::decimal_text`], quoted names by [`quoted`].
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `value` in decimal, as its `Display` writes it (`0`, `42`), without `core::fmt` (see
/// [`concat()`]).
pub fn uint(value: u64) -> String {
    integer_text(i128::from(value))
}

/// `value` in decimal with a leading `-` when negative, as its `Display` writes it, without
/// `core::fmt` (see [`concat()`]).
pub fn int(value: i64) -> String {
    integer_text(i128::from(value))
}

/// Appends `value` in decimal to `out` (see [`uint`]).
pub fn push_uint(out: &mut String, value: u64) {
    let mut buffer = [0_u8; 40];
    push_digits(
        out,
        crate::money::scaled_digits(i128::from(value), 0, &mut buffer),
    );
}

/// The digits `money::scaled_digits` writes at scale 0: the one integer writer of both.
fn integer_text(value: i128) -> String {
    let mut out = String::new();
    let mut buffer = [0_u8; 40];
    push_digits(&mut out, crate::money::scaled_digits(value, 0, &mut buffer));
    out
}

/// Appends ASCII digits (and a sign) to `out`.
fn push_digits(out: &mut String, digits: &[u8]) {
    for &byte in digits {
        out.push(char::from(byte));
    }
}

/// Parses a request from JSON bytes, mapping every failure to a typed error with a path.
///
/// Codes: `malformed-json` (not JSON), `unknown-field`, `missing-field`, `invalid-request`
/// (wrong type or shape).
///
/// The typed parse runs on serde_json alone; the JSON path of a failure is recovered afterwards
/// by `path_at` from the position serde_json reports, by one non-generic scanner. Tracking the
/// path during the parse (serde_path_to_error) instantiated a wrapper for every visitor of every
/// request type, the largest part of the wasm module.
pub fn from_json_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice::<T>(bytes).map_err(|err| {
        let reparse = |prefix: &[u8]| serde_json::from_slice::<T>(prefix).err();
        request_error(bytes, &err, &reparse)
    })
}

/// Re-runs the typed parse on a prefix of the request (see [`render`]).
pub(crate) type Reparse<'a> = &'a dyn Fn(&[u8]) -> Option<serde_json::Error>;

/// The wire error of a failed typed parse of `bytes`.
#[inline(never)]
fn request_error(bytes: &[u8], err: &serde_json::Error, reparse: Reparse<'_>) -> ApiError {
    let syntax = matches!(
        err.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    // The message without serde_json's ` at line L column C`: the path says where (the same
    // wording as the hand-written readers of `json::tree`).
    let message = lower(&crate::json::strict::message_without_position(err));
    // A number beyond the range of every numeric type (`1e400`) is well-formed JSON: it is the
    // number's own failure, at the number's path, with the code of every out-of-range value.
    let out_of_range = message.starts_with("number out of range");
    let code = if out_of_range {
        "out-of-range"
    } else if syntax {
        "malformed-json"
    } else {
        classify(&message)
    };
    let path = error_path_with(bytes, err, &message, syntax && !out_of_range, reparse);
    // A duplicate key is the key's own failure: its path names it (`fees[0].kind`).
    let path = match duplicate_key(&message) {
        Some(key) => Some(match path {
            Some(parent) => concat(&[&parent, ".", key]),
            None => key.to_owned(),
        }),
        None => path,
    };
    // Never echo a huge field name or value back (src/limits.rs).
    let path = path.map(|p| crate::limits::truncate_echoes(&p));
    ApiError::new(code, crate::limits::truncate_echoes(&message), path)
}

/// The key of serde's "duplicate field `key`" message.
fn duplicate_key(message: &str) -> Option<&str> {
    message
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(key, _)| key)
}

/// Parses a request object: [`from_json_slice`], after the request gate.
///
/// The gate first ([`crate::json::tree::gate`], the one the hand-written readers run): a
/// document that is not JSON is `malformed-json` before any field is judged, a duplicate key
/// anywhere is `duplicate-key` at its path (`payments[0].amount`), including inside values serde
/// would read without noticing (untagged entries, free-form objects), and a number beyond 64-bit
/// integers or near f64's edges is `out-of-range` at its path. Then a request is a JSON object:
/// serde reads a struct from a JSON array positionally
/// (`["10000.00","0.072",12,"equal-installment"]` would be a schedule), so an array at the top is
/// refused with `invalid-request` before any field is read.
///
/// Nested objects given as arrays are refused by the objects-only rule of `crate::json_object`.
pub fn from_json_request<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    crate::json::tree::gate(bytes)?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::new(
            "invalid-request",
            "a request is a JSON object, not an array",
            None,
        ));
    }
    from_json_slice(bytes)
}

/// The JSON path (`a.b[2].c`, `None` at the root) of the value a failed typed parse of `bytes`
/// was reading, as serde_path_to_error would have reported it; `reparse` re-runs the same
/// typed parse on a prefix (see [`from_json_slice`]).
pub(crate) fn error_path(
    bytes: &[u8],
    err: &serde_json::Error,
    reparse: Reparse<'_>,
) -> Option<String> {
    let syntax = matches!(
        err.classify(),
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof
    );
    error_path_with(bytes, err, &lower(&err.to_string()), syntax, reparse)
}

#[inline(never)]
fn error_path_with(
    bytes: &[u8],
    err: &serde_json::Error,
    message: &str,
    syntax: bool,
    reparse: Reparse<'_>,
) -> Option<String> {
    if err.line() == 0 {
        // No position: raised outside the reader (an untagged top-level value), so at the root.
        None
    } else {
        // A type error is placed at the next unread byte; a syntax error one byte past the
        // offending one; at the end of input all of it was read.
        let next = byte_offset(bytes, err.line(), err.column());
        let end = match err.classify() {
            serde_json::error::Category::Eof => bytes.len(),
            _ if syntax => next.saturating_sub(1),
            _ => next,
        };
        // A buffered element's failure, read past the `,` after it, looks like an object or
        // array rejected at the next slot; the prefix up to that slot tells them apart: it
        // repeats the failure only when the earlier element caused it.
        let earlier =
            || reparse(&bytes[..end]).is_some_and(|again| again.to_string() == err.to_string());
        path_at(bytes, end, message, syntax, &earlier)
    }
}

/// The byte index of serde_json's 1-based `line` and its `column`.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut line_start = 0;
    let mut lines_left = line.saturating_sub(1);
    for (idx, byte) in bytes.iter().enumerate() {
        if lines_left == 0 {
            break;
        }
        if *byte == b'\n' {
            lines_left -= 1;
            line_start = idx + 1;
        }
    }
    (line_start + column).min(bytes.len())
}

/// One open container while scanning for [`path_at`].
enum Frame {
    /// An object: the member key being read (once its string is complete), whether its `:` has
    /// been read, and whether its value is complete.
    Object {
        key: Option<String>,
        colon: bool,
        done: bool,
    },
    /// An array: the index of the current slot, whether a value has started in it, and whether
    /// that value is complete.
    Array {
        index: usize,
        started: bool,
        done: bool,
    },
}

/// The JSON path, as serde_path_to_error prints it (`a.b[2].c`, `None` at the root), of the
/// value serde_json was deserializing when it failed with `message` at byte `end`.
///
/// serde_json reports a type error at the first byte of the value (or just past a scalar), an
/// unknown field just past its key, a duplicate field just past its key (the object is at
/// fault), and an error surfacing from a whole object or array (a missing field; any error of a
/// buffered untagged or internally tagged value) just past the `}`/`]` that its parent's closing
/// consumed. `bytes[..end]` is therefore a well-formed prefix, scanned token by token.
fn path_at(
    bytes: &[u8],
    end: usize,
    message: &str,
    syntax: bool,
    earlier: &dyn Fn() -> bool,
) -> Option<String> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut idx = 0;
    while idx < end {
        let byte = bytes[idx];
        idx += 1;
        match byte {
            b'{' => {
                start_value(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    colon: false,
                    done: false,
                });
            }
            b'[' => {
                start_value(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    started: false,
                    done: false,
                });
            }
            b'}' | b']' => {
                let closed = stack.pop();
                if idx == end && !syntax {
                    if let Some(closed) = closed {
                        // A failure surfacing as the container closes: a missing field (or
                        // a wrong length) is the container's own, anything else is that of its
                        // last, buffered member.
                        let own = matches!(closed, Frame::Object { .. })
                            && message.starts_with("missing field")
                            || message.starts_with("invalid length");
                        if !own {
                            stack.push(closed);
                        }
                        return render(&stack, None, message, syntax, earlier);
                    }
                }
                finish_value(&mut stack);
            }
            b':' => {
                if let Some(Frame::Object { colon, .. }) = stack.last_mut() {
                    *colon = true;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, colon, done }) => {
                    (*key, *colon, *done) = (None, false, false);
                }
                Some(Frame::Array {
                    index,
                    started,
                    done,
                }) => {
                    (*index, *started, *done) = (*index + 1, false, false);
                }
                None => {}
            },
            b'"' => {
                let (text, next, complete) = json_string(bytes, idx, end);
                idx = next;
                match stack.last_mut() {
                    Some(Frame::Object {
                        key: key @ None,
                        colon: false,
                        ..
                    }) => {
                        if complete {
                            *key = Some(text);
                        }
                    }
                    _ => {
                        start_value(&mut stack);
                        if complete {
                            finish_value(&mut stack);
                        }
                    }
                }
            }
            byte if byte.is_ascii_whitespace() => {}
            _ => {
                start_value(&mut stack);
                while idx < end
                    && matches!(bytes[idx], b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'+' | b'-' | b'.')
                {
                    idx += 1;
                }
                finish_value(&mut stack);
            }
        }
    }
    let next_byte = bytes[end.min(bytes.len())..]
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace());
    render(&stack, next_byte, message, syntax, earlier)
}

/// Marks the innermost array slot as holding a value.
fn start_value(stack: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// Marks the innermost container's current value as complete.
fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Object { done, .. } | Frame::Array { done, .. }) => *done = true,
        None => {}
    }
}

/// Reads a JSON string body from `start` (just past the quote): its text, the index past the
/// closing quote, and whether that quote lies before or at `end`.
fn json_string(bytes: &[u8], start: usize, end: usize) -> (String, usize, bool) {
    let mut text: Vec<u16> = Vec::new();
    let mut idx = start;
    while idx < end {
        match bytes[idx] {
            b'"' => {
                return (String::from_utf16_lossy(&text), idx + 1, true);
            }
            b'\\' if idx + 1 < end => {
                let escaped = bytes[idx + 1];
                idx += 2;
                let unit = match escaped {
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => u16::from(b'\n'),
                    b'r' => u16::from(b'\r'),
                    b't' => u16::from(b'\t'),
                    b'u' => {
                        let hex = bytes
                            .get(idx..idx + 4)
                            .and_then(|h| std::str::from_utf8(h).ok());
                        idx += 4;
                        hex.and_then(|h| u16::from_str_radix(h, 16).ok())
                            .unwrap_or(0xfffd)
                    }
                    other => u16::from(other),
                };
                text.push(unit);
            }
            // A backslash as the last byte before `end` begins an escape the prefix cuts:
            // the string ends there unfinished (this arm once looped forever on it).
            b'\\' => return (String::from_utf16_lossy(&text), end, false),
            _ => {
                // Copy a run of plain bytes as UTF-8 text.
                let run_end = bytes[idx..end]
                    .iter()
                    .position(|b| matches!(b, b'"' | b'\\'))
                    .map_or(end, |len| idx + len);
                text.extend(utf8_lossy(&bytes[idx..run_end]).encode_utf16());
                idx = run_end;
            }
        }
    }
    // Key errors point at the closing quote itself: the string is complete there too.
    let complete = idx == end && bytes.get(idx) == Some(&b'"');
    (
        String::from_utf16_lossy(&text),
        idx + usize::from(complete),
        complete,
    )
}

/// Prints the path of the open containers the way serde_path_to_error does.
///
/// `next_byte` is the first unread byte after the failure. An open array slot with no value yet
/// is in the path when a value starts there: serde_json rejects an object or an array where it
/// wants another type before reading it. Any other failure placed there (and one of those when
/// `earlier` says so) surfaced from the previous, buffered element after serde_json had read
/// the `,` that follows it.
fn render(
    stack: &[Frame],
    next_byte: Option<u8>,
    message: &str,
    syntax: bool,
    earlier: &dyn Fn() -> bool,
) -> Option<String> {
    let mut path = String::new();
    let last = stack.len().saturating_sub(1);
    for (depth, frame) in stack.iter().enumerate() {
        let top = depth == last;
        match frame {
            Frame::Object { key, colon, done } => {
                let segment = match key {
                    // Inner objects always hold the key of the open member.
                    Some(key) if !top => key.as_str(),
                    // The key is read and its value pending or being read.
                    Some(key) if *colon && !(*done && syntax) => key.as_str(),
                    // Just past a key: an unknown field is the key's own failure, a
                    // duplicate field or a missing `:` the object's.
                    Some(key) if !(*colon || syntax || message.starts_with("duplicate field")) => {
                        key.as_str()
                    }
                    Some(_) if !*colon => break,
                    // Between members: a syntax error while looking for the next key.
                    _ => "?",
                };
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(segment);
            }
            Frame::Array {
                index,
                started,
                done,
            } => {
                let slot = if !top {
                    Some(*index)
                } else if *started {
                    (!(*done && syntax)).then_some(*index)
                } else {
                    match next_byte {
                        None | Some(b']' | b',') if syntax || *index == 0 => None,
                        _ if syntax || *index == 0 => Some(*index),
                        Some(b'{') if message.starts_with("invalid type: map") && !earlier() => {
                            Some(*index)
                        }
                        Some(b'[')
                            if message.starts_with("invalid type: sequence") && !earlier() =>
                        {
                            Some(*index)
                        }
                        _ => Some(*index - 1),
                    }
                };
                if let Some(slot) = slot {
                    path.push('[');
                    push_uint(&mut path, slot as u64);
                    path.push(']');
                }
            }
        }
    }
    (!path.is_empty()).then_some(path)
}

fn classify(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "unknown-field"
    } else if message.starts_with("duplicate field") {
        // The one code of a repeated key at every door (requests, applicants, bundles).
        "duplicate-key"
    } else if message.starts_with("missing field") {
        "missing-field"
    } else if message.contains("expected value")
        || message.contains("eof while parsing")
        || message.contains("trailing characters")
        || message.contains("key must be a string")
    {
        "malformed-json"
    } else {
        "invalid-request"
    }
}

fn lower(message: &str) -> String {
    let trimmed = message.trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_lowercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// `text` in double quotes with `"`, `\` and control characters escaped as Rust's `{:?}` writes
/// them (`\"`, `\\`, `\t`, `\r`, `\n`, `\0`, else `\u{1b}`): the quoting of names echoed in
/// error messages (`unknown method "nope"`), written without `core::fmt`'s `Debug` machinery
/// and its Unicode tables (the calculator module's size; other characters are written as they
/// are).
pub fn quoted(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c < ' ' || c == '\u{7f}' => {
                let byte = c as u8;
                out.push_str("\\u{");
                if byte >= 0x10 {
                    out.push(char::from(HEX[usize::from(byte >> 4)]));
                }
                out.push(char::from(HEX[usize::from(byte & 0xF)]));
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `raw` as text, each maximal invalid UTF-8 sequence replaced by U+FFFD: what
/// `String::from_utf8_lossy` gives, on `str::from_utf8` alone (the calculator module carries
/// no second UTF-8 decoder).
pub fn utf8_lossy(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    let mut rest = raw;
    let mut out = String::new();
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) if out.is_empty() && rest.len() == raw.len() => {
                return std::borrow::Cow::Borrowed(text)
            }
            Ok(text) => {
                out.push_str(text);
                return std::borrow::Cow::Owned(out);
            }
            Err(error) => {
                let (valid, after) = rest.split_at(error.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = after
                    .get(error.error_len().unwrap_or(after.len())..)
                    .unwrap_or(&[]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{concat, int, push_uint, uint};

    #[test]
    fn integers_are_written_as_display_writes_them() {
        assert_eq!(uint(0), "0");
        assert_eq!(uint(9), "9");
        assert_eq!(uint(10), "10");
        assert_eq!(uint(600), "600");
        assert_eq!(uint(u64::MAX), "18446744073709551615");
        assert_eq!(int(0), "0");
        assert_eq!(int(7), "7");
        assert_eq!(int(-1), "-1");
        assert_eq!(int(-10), "-10");
        assert_eq!(int(i64::MAX), "9223372036854775807");
        assert_eq!(int(i64::MIN), "-9223372036854775808");
        let mut text = String::from("fees[");
        push_uint(&mut text, 12);
        text.push(']');
        assert_eq!(text, "fees[12]");
    }

    /// `quoted` is Rust's `{:?}` of a string for ASCII (every control character included) and
    /// printable text such as Chinese; `utf8_lossy` is `String::from_utf8_lossy` on generated
    /// bytes, truncated and invalid sequences included.
    #[test]
    fn quoted_and_utf8_lossy_are_the_std_texts() {
        let mut texts: Vec<String> = (0_u8..0x80).map(|b| char::from(b).to_string()).collect();
        texts.push("unknown \"method\"\t\n\r\0 年化利率 equal-installment".to_owned());
        for text in &texts {
            assert_eq!(super::quoted(text), format!("{text:?}"));
        }
        let mut state: u64 = 0x5eed_1055;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|k| (state >> ((k * 5) % 56)) as u8).collect();
            if state.is_multiple_of(3) {
                bytes.extend_from_slice("利率".as_bytes());
            }
            assert_eq!(
                super::utf8_lossy(&bytes),
                String::from_utf8_lossy(&bytes),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn concat_joins_in_order() {
        assert_eq!(concat(&[]), "");
        assert_eq!(concat(&["a", "", "bc", &uint(3)]), "abc3");
    }

    /// Every message written without `core::fmt` is the `Display` text of the same error.
    #[test]
    fn messages_are_the_display_texts() {
        use crate::apr::AprError;
        use crate::caps::CapError;
        use crate::disclosure::DisclosureError;
        use crate::json::strict::StrictJsonError;
        use crate::money::DecimalIssue;
        use crate::schedule::ScheduleError;
        use crate::ErrorCode;
        use rust_decimal::Decimal;

        let path = || "fees[3].amount".to_owned();
        let name = || "a\"b\\c\u{1}".to_owned();
        let issues = [
            DecimalIssue::Malformed,
            DecimalIssue::OverPrecise { max_dp: 2 },
            DecimalIssue::OutOfRange,
        ];
        for issue in &issues {
            assert_eq!(issue.message(), issue.to_string());
        }
        let schedule = [
            ScheduleError::MalformedDecimal { path: path() },
            ScheduleError::OverPrecise {
                path: path(),
                max_dp: 20,
            },
            ScheduleError::OutOfRange { path: path() },
            ScheduleError::InvalidPrincipal,
            ScheduleError::InvalidTerm { term: 0 },
            ScheduleError::InvalidTerm { term: -601 },
            ScheduleError::InvalidTerm { term: i64::MIN },
            ScheduleError::NegativeRate { path: path() },
            ScheduleError::UnknownMethod { name: name() },
            ScheduleError::UnknownDayCount { name: name() },
            ScheduleError::UnknownRounding { name: name() },
            ScheduleError::InvalidFee {
                path: path(),
                reason: "why".into(),
            },
            ScheduleError::Inconsistent {
                path: path(),
                reason: "why".into(),
            },
            ScheduleError::InvalidDate { path: path() },
            ScheduleError::MissingStartDate {
                reason: "dayCount act/365".into(),
            },
            ScheduleError::FirstDueNotAfterStart,
            ScheduleError::FeesExceedPrincipal {
                fees: Decimal::new(-120_050, 3),
            },
            ScheduleError::NegativeAmortization {
                period: 4_000_000_000,
            },
            ScheduleError::Overflow,
        ];
        let apr = || {
            vec![
                AprError::NoSolution,
                AprError::MultipleRoots,
                AprError::BadFlows {
                    path: path(),
                    reason: "why".into(),
                },
                AprError::InvalidOption {
                    path: path(),
                    reason: "why".into(),
                },
                AprError::UnknownMethod { name: name() },
                AprError::Overflow,
                AprError::Decimal {
                    path: path(),
                    issue: DecimalIssue::OverPrecise { max_dp: 6 },
                },
                AprError::BelowRange,
            ]
        };
        let caps = || {
            vec![
                CapError::Invalid {
                    path: path(),
                    reason: "why".into(),
                },
                CapError::NoLpr {
                    cap_id: "cn-24".into(),
                    date: "2025-01-02".into(),
                },
            ]
        };
        let mut disclosure = Vec::new();
        for error in &schedule {
            assert_eq!(error.message(), error.to_string());
            disclosure.push(DisclosureError::Schedule(error.clone()));
        }
        for error in apr() {
            assert_eq!(error.message(), error.to_string());
            disclosure.push(DisclosureError::Rate {
                regime: "cap cn-24".into(),
                source: error,
            });
        }
        for error in caps() {
            assert_eq!(error.message(), error.to_string());
            disclosure.push(DisclosureError::Cap(error));
        }
        disclosure.push(DisclosureError::InvalidOption {
            path: path(),
            reason: "why".into(),
        });
        for error in &disclosure {
            assert_eq!(error.message(), error.to_string());
            assert_eq!(error.to_api().message, error.to_string());
        }
        let strict = [
            StrictJsonError::TooLarge {
                size: usize::MAX,
                max: 0,
            },
            StrictJsonError::TooDeep {
                path: path(),
                max: 128,
            },
            StrictJsonError::DuplicateKey { path: path() },
            StrictJsonError::NumberOutOfRange { path: path() },
            StrictJsonError::Syntax {
                path: path(),
                offset: 17,
                reason: "invalid escape",
            },
        ];
        for error in &strict {
            assert_eq!(error.message(), error.to_string());
        }
        for text in ["1900-01-01", "2025-02-28", "2200-12-31"] {
            let date = crate::date::Date::parse(text).unwrap();
            assert_eq!(date.text(), date.to_string());
            assert_eq!(date.text(), text);
        }
    }
}
