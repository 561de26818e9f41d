//! Every bound on the work one request or one bundle may ask for, in one place.
//!
//! Owns the numbers (request size, items per collection, field-name length, echo length,
//! id length, the largest version, the clock skew) and the cheap structural gate
//! [`check_request`] that every JSON operation runs before its typed parse. The limits are
//! set far above any real loan (a real quote has a handful of fees and promotions, one or two
//! subsidy programs, at most one payment per period) and low enough that the worst accepted
//! request stays within the time budget measured by `benches/limits.rs` and documented in
//! `docs/limits.md`. Refusals carry the code `limit-exceeded` (or `too-large` for the byte
//! cap) and the JSON path of the offending collection or key.
//! This module must not parse numbers, money or dates: it only counts.

use crate::error::ApiError;
use crate::json::lex::Cursor;

/// Largest request body any JSON operation reads, in bytes (1 MiB; a 600-period dated APR
/// request is about 40 KiB).
pub const MAX_REQUEST_BYTES: usize = 1 << 20;
/// Most fees in one schedule request (`fees`).
pub const MAX_FEES: usize = 32;
/// Most promotions in one quote or subsidy request (`promotions`).
pub const MAX_PROMOTIONS: usize = 16;
/// Most subsidy programs in one subsidy request (`programs`).
pub const MAX_PROGRAMS: usize = 64;
/// Most payments or advances in one APR request (`payments`, `advances`): weekly payments over
/// the longest term (600 months is about 2,600 weeks). `apr::MAX_FLOWS` is this number.
pub const MAX_PAYMENTS: usize = 2_700;
/// Most cap or LPR rows in one disclosure request (`caps`, `lpr`).
pub const MAX_TABLE_ROWS: usize = 256;
/// Most items of any other array in a request (scorecard bins, rule arguments, lists).
pub const MAX_ITEMS: usize = 1_200;
/// Longest object key a request may use, in bytes; no field name of the contract is longer
/// than 40.
pub const MAX_FIELD_NAME_BYTES: usize = 128;
/// Longest piece of caller input (a field name, a value) an error message or path echoes,
/// in characters; longer ones are cut and end with `…`.
pub const MAX_ECHO_CHARS: usize = 64;
/// Longest bundle id or channel (bytes of `[A-Za-z0-9._-]`): the one rule shared by the
/// verifier, the JS loader and `puhui publish`.
pub const MAX_ID_BYTES: usize = 128;
/// Largest bundle or root `version`: 2^53 − 1, the largest integer a JS number holds
/// exactly, so a version survives every JSON parser and every JS client unchanged. Larger
/// versions are refused when signing and when verifying.
pub const MAX_VERSION: u64 = (1 << 53) - 1;
/// How far a bundle's `issuedAt` may lie beyond the verifier's time (max of `now` and the
/// latest known time), in seconds: one day. A validly signed bundle issued further ahead
/// would otherwise push the latest known time forward and freeze every later bundle.
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 86_400;

/// The item limit of an array held by the object key `name`.
///
/// Source: this module's constants; arrays under any other key get [`MAX_ITEMS`].
pub fn collection_limit(name: &str) -> usize {
    match name {
        "fees" => MAX_FEES,
        "promotions" => MAX_PROMOTIONS,
        "programs" | "subsidyPrograms" => MAX_PROGRAMS,
        "payments" | "advances" => MAX_PAYMENTS,
        "caps" | "lpr" => MAX_TABLE_ROWS,
        _ => MAX_ITEMS,
    }
}

/// `text` cut to [`MAX_ECHO_CHARS`] characters (plus `…`) when longer.
pub fn truncate_echo(text: &str) -> String {
    // A plain loop: `char_indices().nth` instantiates the specialized `Chars` counting.
    for (seen, (cut, _)) in text.char_indices().enumerate() {
        if seen == MAX_ECHO_CHARS {
            let mut out = String::with_capacity(cut + 3);
            out.push_str(&text[..cut]);
            out.push('…');
            return out;
        }
    }
    text.to_owned()
}

/// Cuts every run of more than [`MAX_ECHO_CHARS`] characters between backticks, quotes or
/// path separators of an error message or path, so an error never echoes a huge input.
pub fn truncate_echoes(text: &str) -> String {
    if text.len() <= MAX_ECHO_CHARS {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len().min(1024));
    let mut run = 0usize;
    let mut cut = false;
    for ch in text.chars() {
        let separator = matches!(ch, '`' | '"' | '\'' | '.' | '[' | ']' | ' ' | ',');
        if separator {
            run = 0;
            cut = false;
            out.push(ch);
            continue;
        }
        run += 1;
        if run <= MAX_ECHO_CHARS {
            out.push(ch);
        } else if !cut {
            out.push('…');
            cut = true;
        }
    }
    out
}

/// The structural gate every JSON operation runs on the raw request before parsing it.
///
/// Refuses (code `too-large`) a request over [`MAX_REQUEST_BYTES`], and (code
/// `limit-exceeded`, with the JSON path) an array with more items than
/// [`collection_limit`] allows for its key, or an object key longer than
/// [`MAX_FIELD_NAME_BYTES`]. Syntax is not judged here: anything it cannot follow is left to
/// the typed parser, which reports it with its own code. Linear in the request size.
pub fn check_request(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.len() > MAX_REQUEST_BYTES {
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        return Err(too_large("request", size, MAX_REQUEST_BYTES));
    }
    Scanner::default().run(bytes)
}

/// The one refusal of an input `what` (`request`, or a wasm argument's name) over its byte
/// cap `max`, at every door (the core's gate, the CLI and server, the wasm exports): code
/// `too-large`, path `what`, "… of at least N bytes …". "At least": a door that stops reading,
/// or that counts a JS string's UTF-16 units before its UTF-8 bytes, knows only a lower bound.
pub fn too_large(what: &str, at_least: u64, max: usize) -> ApiError {
    ApiError::new(
        "too-large",
        crate::error::concat(&[
            what,
            " of at least ",
            &crate::error::uint(at_least),
            " bytes exceeds the ",
            &crate::error::uint(max as u64),
            "-byte limit",
        ]),
        Some(what.to_owned()),
    )
}

/// The key whose text lies at `bytes[start..end]` (just inside its quotes), with its escapes
/// decoded (`"f\u0065es"` is `fees`: the limit and the path follow what the key means, as every
/// reader after the gate sees it); lossy for bytes that are not UTF-8.
fn key_text(bytes: &[u8], start: usize, end: usize) -> std::borrow::Cow<'_, str> {
    let raw = bytes.get(start..end).unwrap_or(&[]);
    // `iter().any` rather than `contains`, whose byte specialization links core's `memchr`
    // (390 B) into the calculator module for this one call (size).
    #[allow(clippy::manual_contains)]
    let escaped = raw.iter().any(|byte| *byte == b'\\');
    if escaped {
        if let Ok(Some(text)) = Cursor::at(bytes, start.saturating_sub(1)).string(true) {
            return text;
        }
    }
    match std::str::from_utf8(raw) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => crate::error::utf8_lossy(raw),
    }
}

#[derive(Debug)]
enum Frame {
    /// An object; `key` is the last key read (its byte range in the request) and `limit` the
    /// item limit of an array under it ([`collection_limit`] of the decoded key).
    Object {
        key: Option<(usize, usize)>,
        limit: usize,
    },
    /// An array held by `limit`, with the items seen so far.
    Array { items: usize, limit: usize },
}

#[derive(Default)]
struct Scanner {
    stack: Vec<Frame>,
}

impl Scanner {
    fn run(mut self, bytes: &[u8]) -> Result<(), ApiError> {
        let mut i = 0usize;
        // Whether the next value in the current array starts a new item.
        let mut expect_item = false;
        while let Some(&byte) = bytes.get(i) {
            match byte {
                b'"' => {
                    let start = i + 1;
                    let end = Cursor::at(bytes, i).skip_string_lenient();
                    let mut after = Cursor::at(bytes, end + 1);
                    after.skip_whitespace();
                    let is_key = matches!(self.stack.last(), Some(Frame::Object { .. }))
                        && after.peek() == Some(b':');
                    if is_key {
                        if end - start > MAX_FIELD_NAME_BYTES {
                            let name =
                                crate::error::utf8_lossy(bytes.get(start..end).unwrap_or(&[]));
                            return Err(ApiError::new(
                                "limit-exceeded",
                                crate::error::concat(&[
                                    "field name ",
                                    &crate::error::quoted(&truncate_echo(&name)),
                                    " is longer than ",
                                    &crate::error::uint(MAX_FIELD_NAME_BYTES as u64),
                                    " bytes",
                                ]),
                                Some(self.path(bytes, Some(truncate_echo(&name)))),
                            ));
                        }
                        if let Some(Frame::Object { key, limit }) = self.stack.last_mut() {
                            // Decoded once per key, not at every `[` under it.
                            *limit = collection_limit(&key_text(bytes, start, end));
                            *key = Some((start, end));
                        }
                    } else {
                        self.item(bytes, &mut expect_item)?;
                    }
                    i = end + 1;
                    continue;
                }
                b'{' | b'[' => {
                    self.item(bytes, &mut expect_item)?;
                    if byte == b'{' {
                        self.stack.push(Frame::Object {
                            key: None,
                            limit: MAX_ITEMS,
                        });
                    } else {
                        let limit = match self.stack.last() {
                            Some(Frame::Object { limit, .. }) => *limit,
                            _ => MAX_ITEMS,
                        };
                        self.stack.push(Frame::Array { items: 0, limit });
                        expect_item = true;
                    }
                }
                b'}' | b']' => {
                    self.stack.pop();
                    expect_item = false;
                }
                b',' => {
                    expect_item = matches!(self.stack.last(), Some(Frame::Array { .. }));
                }
                b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
                _ => {
                    // A scalar (number, true, false, null): one item of an enclosing array.
                    self.item(bytes, &mut expect_item)?;
                    while bytes.get(i + 1).is_some_and(|b| {
                        !matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                    }) {
                        i += 1;
                    }
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// Counts one item of the innermost array, if a new item starts here.
    fn item(&mut self, bytes: &[u8], expect_item: &mut bool) -> Result<(), ApiError> {
        if !std::mem::take(expect_item) {
            return Ok(());
        }
        let over = match self.stack.last_mut() {
            Some(Frame::Array { items, limit }) => {
                *items += 1;
                (*items > *limit).then_some((*items - 1, *limit))
            }
            _ => None,
        };
        match over {
            Some((index, limit)) => Err(ApiError::new(
                "limit-exceeded",
                crate::error::concat(&[
                    "more than ",
                    &crate::error::uint(limit as u64),
                    " items in this list",
                ]),
                Some(crate::error::concat(&[
                    &self.path(bytes, None),
                    "[",
                    &crate::error::uint(index as u64),
                    "]",
                ])),
            )),
            None => Ok(()),
        }
    }

    /// The JSON path of the current position (`a.b[2]`), keys cut to the echo length;
    /// `extra` is appended as a last key.
    fn path(&self, bytes: &[u8], extra: Option<String>) -> String {
        let mut path = String::new();
        let depth = self.stack.len();
        for (level, frame) in self.stack.iter().enumerate() {
            match frame {
                Frame::Object {
                    key: Some((s, e)), ..
                } if level + 1 < depth => {
                    let name = key_text(bytes, *s, *e);
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&truncate_echo(&name));
                }
                Frame::Array { items, .. } if level + 1 < depth => {
                    path.push('[');
                    crate::error::push_uint(&mut path, items.saturating_sub(1) as u64);
                    path.push(']');
                }
                _ => {}
            }
        }
        if let Some(extra) = extra {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&extra);
        }
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The core's gate refuses an over-size request with the bytes every door prints (the CLI,
    /// the server and wasm: `cli/tests/oversize.rs`, `tests/js/cli-parity.test.mjs`); it said
    /// "request of N bytes" with no path while wasm said "at least" at path `request`.
    #[test]
    fn an_over_size_request_is_refused_as_every_door_refuses_it() {
        let request = vec![b' '; MAX_REQUEST_BYTES + 5];
        let error = check_request(&request).expect_err("over the cap");
        assert_eq!(error.code.as_str(), "too-large");
        assert_eq!(error.path.as_deref(), Some("request"));
        assert_eq!(
            error.message,
            format!(
                "request of at least {} bytes exceeds the {MAX_REQUEST_BYTES}-byte limit",
                MAX_REQUEST_BYTES + 5
            )
        );
    }

    #[test]
    fn counts_items_per_named_collection() {
        let fees = |n: usize| {
            let list = vec![r#"{"kind":"upfront","amount":"1.00"}"#; n].join(",");
            format!(r#"{{"principal":"1000","fees":[{list}]}}"#)
        };
        assert!(check_request(fees(MAX_FEES).as_bytes()).is_ok());
        let err = check_request(fees(MAX_FEES + 1).as_bytes()).unwrap_err();
        assert_eq!(err.code, "limit-exceeded");
        assert_eq!(
            err.path.as_deref(),
            Some(format!("fees[{MAX_FEES}]").as_str())
        );
        // Nested arrays are counted on their own and scalars count as items.
        let nums = |n: usize| format!(r#"{{"a":{{"payments":[{}]}}}}"#, vec!["1"; n].join(","));
        assert!(check_request(nums(MAX_PAYMENTS).as_bytes()).is_ok());
        let err = check_request(nums(MAX_PAYMENTS + 1).as_bytes()).unwrap_err();
        assert_eq!(
            err.path.as_deref(),
            Some(format!("a.payments[{MAX_PAYMENTS}]").as_str())
        );
        // Strings holding brackets and commas are not structure.
        let tricky = format!(r#"{{"fees":["{}"]}}"#, "[,],\\\"".repeat(100));
        assert!(check_request(tricky.as_bytes()).is_ok());
        // A key spelled with escapes is the key it means: its limit and its path.
        let escaped = fees(MAX_FEES + 1).replace(r#""fees""#, r#""f\u0065es""#);
        let err = check_request(escaped.as_bytes()).unwrap_err();
        assert_eq!(err.code, "limit-exceeded");
        assert_eq!(
            err.path.as_deref(),
            Some(format!("fees[{MAX_FEES}]").as_str())
        );
        let nested = nums(MAX_PAYMENTS + 1).replace(r#""a""#, r#""\u0061""#);
        let err = check_request(nested.as_bytes()).unwrap_err();
        assert_eq!(
            err.path.as_deref(),
            Some(format!("a.payments[{MAX_PAYMENTS}]").as_str())
        );
    }

    #[test]
    fn long_keys_are_refused_and_echo_is_cut() {
        let key = "k".repeat(10_000);
        let err = check_request(format!(r#"{{"x":{{"{key}":1}}}}"#).as_bytes()).unwrap_err();
        assert_eq!(err.code, "limit-exceeded");
        assert!(err.message.len() < 200, "{}", err.message);
        assert!(err
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("x.") && p.len() < 80));
        let cut = truncate_echoes(&format!("unknown field `{key}`, expected `a`"));
        assert!(cut.len() < 120 && cut.ends_with("expected `a`"), "{cut}");
    }

    #[test]
    fn byte_cap_first() {
        let big = vec![b' '; MAX_REQUEST_BYTES + 1];
        assert_eq!(check_request(&big).unwrap_err().code, "too-large");
    }
}
