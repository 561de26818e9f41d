//! The one JSON lexer (RFC 8259 §2–§7): a byte cursor that reads whitespace, literals, strings
//! and number tokens, and says precisely why a token is not JSON.
//!
//! Owns [`Cursor`] and [`LexIssue`]. Each reader maps an issue to its own error type and
//! wording; the grammar itself lives only here. It never panics and never allocates except to
//! decode a string that has escapes.

use std::borrow::Cow;

/// Why a token is not JSON. The cursor stops at the offending byte (see each variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexIssue {
    /// The input ended inside a string (cursor at the end).
    UnterminatedString,
    /// A raw control character (below U+0020) inside a string (cursor on it).
    ControlCharacter,
    /// A backslash followed by anything but `" \ / b f n r t u` (cursor after it).
    InvalidEscape,
    /// `\u` not followed by four hex digits (cursor at the first bad digit).
    InvalidHexEscape,
    /// A high surrogate without a low one after it, or a lone low surrogate (RFC 8259 §7).
    LoneSurrogate,
    /// The string's bytes are not UTF-8.
    InvalidUtf8,
    /// Not `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` (cursor where the grammar broke).
    InvalidNumber,
    /// An integer part with a leading zero, such as `012` (cursor after the digits).
    LeadingZero,
}

/// A number token's shape, for readers that bound or convert it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberToken<'a> {
    /// The whole token, sign and exponent included.
    pub text: &'a [u8],
    /// Digits before the point.
    pub int_digits: usize,
    /// Whether it has a fraction or an exponent.
    pub is_integer: bool,
    /// The exponent's value, saturated: more than 4 digits reads as `±i64::MAX`.
    pub exponent: i64,
}

/// A position in a JSON text.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    /// Byte offset of the next byte to read.
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Cursor { bytes, pos: 0 }
    }

    /// A cursor at byte `pos` of `bytes`.
    pub fn at(bytes: &'a [u8], pos: usize) -> Self {
        Cursor { bytes, pos }
    }

    /// The whole input.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The next byte, not consumed.
    #[inline(always)]
    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The next byte, consumed.
    #[inline(always)]
    pub fn next_byte(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    /// Skips JSON whitespace (space, tab, LF, CR).
    #[inline(always)]
    pub fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `word` (`true`, `false`, `null`) if it is next; `false` leaves the cursor.
    pub fn literal(&mut self, word: &[u8]) -> bool {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// Reads the string whose opening quote is next and leaves the cursor after its closing
    /// quote. With `decode`, returns the text (borrowed when it has no escapes); without, only
    /// validates and returns `None`.
    ///
    /// Errors: every [`LexIssue`] of strings.
    pub fn string(&mut self, decode: bool) -> Result<Option<Cow<'a, str>>, LexIssue> {
        self.pos += 1; // the opening quote
        let start = self.pos;
        let stop = self.bytes.get(start..).and_then(|rest| {
            rest.iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .map(|offset| start + offset)
        });
        // Fast path: no escape before the closing quote.
        if let Some(at) = stop.filter(|&at| self.bytes.get(at) == Some(&b'"')) {
            let text = std::str::from_utf8(self.bytes.get(start..at).unwrap_or_default())
                .map_err(|_| LexIssue::InvalidUtf8)?;
            self.pos = at + 1;
            return Ok(decode.then_some(Cow::Borrowed(text)));
        }
        let mut out: Option<Vec<u8>> = decode.then(Vec::new);
        loop {
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            if let Some(out) = out.as_mut() {
                out.extend_from_slice(self.bytes.get(run_start..self.pos).unwrap_or_default());
            }
            match self.peek() {
                None => return Err(LexIssue::UnterminatedString),
                Some(b'"') => {
                    self.pos += 1;
                    return match out {
                        Some(out) => String::from_utf8(out)
                            .map(|text| Some(Cow::Owned(text)))
                            .map_err(|_| LexIssue::InvalidUtf8),
                        None => std::str::from_utf8(
                            self.bytes.get(start..self.pos - 1).unwrap_or_default(),
                        )
                        .map(|_| None)
                        .map_err(|_| LexIssue::InvalidUtf8),
                    };
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let ch = self.escape()?;
                    if let Some(out) = out.as_mut() {
                        let mut buf = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                    }
                }
                Some(_) => return Err(LexIssue::ControlCharacter),
            }
        }
    }

    /// The character of an escape whose backslash was just consumed.
    fn escape(&mut self) -> Result<char, LexIssue> {
        let decoded = match self.next_byte() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(LexIssue::InvalidEscape),
        };
        Ok(decoded)
    }

    /// `XXXX` (after `\u`), with a following `\uXXXX` low surrogate when the first is high.
    fn unicode_escape(&mut self) -> Result<char, LexIssue> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.literal(b"\\u") {
                    return Err(LexIssue::LoneSurrogate);
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(LexIssue::LoneSurrogate);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(LexIssue::LoneSurrogate),
            other => other,
        };
        char::from_u32(code).ok_or(LexIssue::InvalidHexEscape)
    }

    fn hex4(&mut self) -> Result<u32, LexIssue> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or(LexIssue::InvalidHexEscape)?;
            self.pos += 1;
            code = code * 16 + digit;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Reads the number token that starts here (`-` or a digit) and leaves the cursor after it.
    ///
    /// Errors: [`LexIssue::InvalidNumber`], [`LexIssue::LeadingZero`].
    pub fn number(&mut self) -> Result<NumberToken<'a>, LexIssue> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = self.digits();
        if int_digits == 0 {
            return Err(LexIssue::InvalidNumber);
        }
        if int_digits > 1 && self.bytes.get(int_start) == Some(&b'0') {
            return Err(LexIssue::LeadingZero);
        }
        let mut is_integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            is_integer = false;
            if self.digits() == 0 {
                return Err(LexIssue::InvalidNumber);
            }
        }
        let mut exponent: i64 = 0;
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            is_integer = false;
            let negative = match self.peek() {
                Some(b'-') => {
                    self.pos += 1;
                    true
                }
                Some(b'+') => {
                    self.pos += 1;
                    false
                }
                _ => false,
            };
            let exp_start = self.pos;
            if self.digits() == 0 {
                return Err(LexIssue::InvalidNumber);
            }
            // More than 4 exponent digits is out of every reader's range; parse no further.
            let magnitude = self
                .bytes
                .get(exp_start..self.pos)
                .filter(|digits| digits.len() <= 4)
                .and_then(|digits| std::str::from_utf8(digits).ok())
                .and_then(parse_i64)
                .unwrap_or(i64::MAX);
            exponent = if negative { -magnitude } else { magnitude };
        }
        Ok(NumberToken {
            text: self.bytes.get(start..self.pos).unwrap_or_default(),
            int_digits,
            is_integer,
            exponent,
        })
    }

    /// Skips a string without judging it (the request gate counts structure only; the typed
    /// parser after it reports bad strings): from its opening quote to after the closing one,
    /// or to the end. Returns the index of the closing quote (the input's length if none).
    pub fn skip_string_lenient(&mut self) -> usize {
        self.pos += 1;
        while let Some(byte) = self.peek() {
            match byte {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return self.pos - 1;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.bytes.len();
        self.pos
    }
}

/// The sign and magnitude of an integer as `str::parse` reads one: an optional `+` or `-`, then
/// one or more ASCII digits, the magnitude within `u64`; `None` otherwise. The one integer reader
/// of the calculator module's paths (`str::parse` instantiates its own per integer type).
fn integer_parts(text: &str) -> Option<(bool, u64)> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    if digits.is_empty() {
        return None;
    }
    let mut magnitude: u64 = 0;
    for digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(u64::from(digit - b'0'))?;
    }
    Some((negative, magnitude))
}

/// `text.parse::<i64>().ok()`, on `integer_parts`.
pub fn parse_i64(text: &str) -> Option<i64> {
    match integer_parts(text)? {
        (false, magnitude) => i64::try_from(magnitude).ok(),
        // −2^63 is the one magnitude past `i64::MAX` a negative value may have.
        (true, magnitude) if magnitude <= 1 << 63 => Some((magnitude as i64).wrapping_neg()),
        (true, _) => None,
    }
}

/// `text.parse::<u64>().ok()`, on `integer_parts` (a `-` sign is refused, even on zero).
pub fn parse_u64(text: &str) -> Option<u64> {
    match integer_parts(text)? {
        (false, magnitude) => Some(magnitude),
        (true, _) => None,
    }
}

#[cfg(test)]
mod tests {
    /// The hand integer reader agrees with `str::parse` on edge and generated texts.
    #[test]
    fn integers_read_as_str_parse_reads_them() {
        use super::{parse_i64, parse_u64};
        let mut texts: Vec<String> = [
            "",
            "-",
            "+",
            "0",
            "-0",
            "+0",
            "7",
            "-7",
            "+7",
            "007",
            "12a",
            "1.0",
            " 1",
            "--1",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ]
        .iter()
        .map(|t| (*t).to_owned())
        .collect();
        let mut state: u64 = 0x1234_5678;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let sign = ["", "-", "+"][(state % 3) as usize];
            texts.push(format!("{sign}{}", state >> (state % 64)));
        }
        for text in &texts {
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "{text:?}");
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "{text:?}");
        }
    }

    use super::*;

    fn string(text: &str) -> Result<Option<String>, (LexIssue, usize)> {
        let mut cursor = Cursor::new(text.as_bytes());
        cursor
            .string(true)
            .map(|s| s.map(Cow::into_owned))
            .map_err(|issue| (issue, cursor.pos))
    }

    #[test]
    fn strings() {
        assert_eq!(string(r#""plain""#), Ok(Some("plain".into())));
        assert_eq!(string(r#""a\"b\\c\/d\n""#), Ok(Some("a\"b\\c/d\n".into())));
        assert_eq!(string(r#""\u00e9\ud83d\ude00""#), Ok(Some("é😀".into())));
        assert_eq!(string(r#""open"#), Err((LexIssue::UnterminatedString, 5)));
        assert_eq!(string("\"a\u{1}\""), Err((LexIssue::ControlCharacter, 2)));
        assert_eq!(string(r#""\x""#), Err((LexIssue::InvalidEscape, 3)));
        assert_eq!(string(r#""\u12g4""#), Err((LexIssue::InvalidHexEscape, 5)));
        assert_eq!(
            string(r#""\ud83d""#).map_err(|e| e.0),
            Err(LexIssue::LoneSurrogate)
        );
        assert_eq!(
            string(r#""\ude00""#).map_err(|e| e.0),
            Err(LexIssue::LoneSurrogate)
        );
        assert_eq!(
            string(r#""\"#).map_err(|e| e.0),
            Err(LexIssue::InvalidEscape)
        );
        let mut invalid = b"\"\xff\"".to_vec();
        assert_eq!(
            Cursor::new(&invalid).string(false),
            Err(LexIssue::InvalidUtf8)
        );
        invalid.insert(1, b'\\');
        invalid.insert(2, b'n');
        assert_eq!(
            Cursor::new(&invalid).string(true),
            Err(LexIssue::InvalidUtf8)
        );
    }

    #[test]
    fn numbers() {
        let token = |text: &str| {
            let mut cursor = Cursor::new(text.as_bytes());
            cursor
                .number()
                .map(|t| (t.text.len(), t.int_digits, t.is_integer, t.exponent))
        };
        assert_eq!(token("0"), Ok((1, 1, true, 0)));
        assert_eq!(token("-12.50e+3,"), Ok((9, 2, false, 3)));
        assert_eq!(token("1E-99999"), Ok((8, 1, false, -i64::MAX)));
        for bad in ["-", "1.", ".5", "1e", "1e+", "-x"] {
            assert_eq!(token(bad), Err(LexIssue::InvalidNumber), "{bad}");
        }
        assert_eq!(token("012"), Err(LexIssue::LeadingZero));
    }
}
