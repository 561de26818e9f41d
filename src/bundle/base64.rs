//! Strict standard base64 decoding (RFC 4648 §4: the `A–Z a–z 0–9 + /` alphabet, `=` padding
//! required, canonical encodings only) for envelope payloads, signatures and public keys.
//!
//! It accepts exactly what the `base64` crate's `STANDARD` engine accepts (padding required and
//! canonical, no trailing bits) and decodes to the same bytes; `tests/base64.rs` compares the
//! two on generated inputs. The crate stays the encoder (signing, native only); decoding is
//! written here because the crate's decoder cost 3.4 KB of the full wasm module, which runs
//! it on three short fields per bundle (size, issue 9; docs/size.md, session 9).

use std::fmt;

/// Why a text is not canonical standard base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base64Error {
    /// The length is not a multiple of 4.
    Length,
    /// The byte at this offset is outside the alphabet, or `=` where no padding may be.
    Symbol(usize),
    /// The last symbol before the padding carries bits the decoded bytes do not use
    /// (RFC 4648 §3.5: a canonical encoding sets them to zero).
    TrailingBits(usize),
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64Error::Length => f.write_str("its length is not a multiple of 4"),
            Base64Error::Symbol(at) => write!(f, "invalid symbol at offset {at}"),
            Base64Error::TrailingBits(at) => write!(f, "non-zero trailing bits at offset {at}"),
        }
    }
}

/// The 6-bit value of an alphabet symbol.
fn sextet(byte: u8) -> Option<u32> {
    let value = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes canonical padded standard base64; the empty text is the empty byte string.
///
/// Errors: [`Base64Error::Length`] for a length that is not a multiple of 4,
/// [`Base64Error::Symbol`] at the first byte outside the alphabet (an `=` anywhere but the last
/// one or two places of the text, or a lone `=` before a symbol), [`Base64Error::TrailingBits`]
/// when the symbol before the padding has unused bits set.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    if !text.len().is_multiple_of(4) {
        return Err(Base64Error::Length);
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for (quad_index, quad) in text.chunks_exact(4).enumerate() {
        let start = quad_index * 4;
        let last = start + 4 == text.len();
        // Padding: `xx==` or `xxx=`, in the last quad only.
        let pads = match quad {
            [_, _, b'=', b'='] if last => 2,
            [_, _, _, b'='] if last => 1,
            _ => 0,
        };
        let mut bits = 0u32;
        for (offset, &byte) in quad.iter().enumerate().take(4 - pads) {
            bits = bits << 6 | sextet(byte).ok_or(Base64Error::Symbol(start + offset))?;
        }
        bits <<= 6 * pads;
        // The unused low bits of the last symbol must be zero: 4 of them before `==`, 2
        // before `=`.
        let unused = [0u32, 0xff, 0xffff][pads];
        if bits & unused != 0 {
            return Err(Base64Error::TrailingBits(start + 3 - pads));
        }
        let bytes = bits.to_be_bytes();
        out.extend_from_slice(bytes.get(1..4 - pads).unwrap_or_default());
    }
    Ok(out)
}
