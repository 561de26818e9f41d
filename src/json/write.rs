//! JSON text written by hand: the string escaper and the few value writers the response
//! writers are made of.
//!
//! Owns [`push_string`], which quotes and escapes a string exactly as `serde_json`'s compact
//! serializer does (`\"`, `\\`, the short escapes `\b \t \n \f \r`, other control characters
//! as `\u00xx` in lower-case hex, everything else — DEL and non-ASCII included — as is), so a
//! hand-written response is byte for byte the text `serde_json::to_string` gives. The writers
//! append to one byte buffer; they know no document's keys or meaning (the `to_json` methods of
//! `apr`, `caps` and `disclosure` do).

use super::key_map::KeyMap;
use crate::date::Date;
use rust_decimal::Decimal;

/// Appends `text` as a quoted JSON string, escaped as `serde_json` escapes it.
pub fn push_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = text.as_bytes();
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let short = match byte {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            0x0C => b'f',
            b'\r' => b'r',
            0x00..=0x1F => b'u',
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..at]);
        out.push(b'\\');
        out.push(short);
        if short == b'u' {
            out.extend_from_slice(b"00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xF)]);
        }
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends `key` (the raw bytes of a separator and a quoted key, e.g. `,"rate":`) and then
/// `text` as an escaped JSON string.
pub fn push_field(out: &mut Vec<u8>, key: &[u8], text: &str) {
    out.extend_from_slice(key);
    push_string(out, text);
}

/// Appends `key` and then `value` as a JSON integer.
pub fn push_uint(out: &mut Vec<u8>, key: &[u8], value: u32) {
    push_u64(out, key, u64::from(value));
}

/// Appends `key` and then `value` as a JSON integer.
pub fn push_u64(out: &mut Vec<u8>, key: &[u8], value: u64) {
    out.extend_from_slice(key);
    let mut digits = [0_u8; 24];
    out.extend_from_slice(crate::money::int_digits(value, &mut digits));
}

/// Appends `key` and then `value` as a JSON integer (a sign when negative).
pub fn push_i64(out: &mut Vec<u8>, key: &[u8], value: i64) {
    if value < 0 {
        out.extend_from_slice(key);
        out.push(b'-');
        push_u64(out, b"", value.unsigned_abs());
    } else {
        push_u64(out, key, value.unsigned_abs());
    }
}

/// Appends `key` and then `value` as a quoted money string: the text of
/// [`crate::money::ser_money`] (two decimals, half-up).
pub fn push_amount(out: &mut Vec<u8>, key: &[u8], value: Decimal) {
    out.extend_from_slice(key);
    out.push(b'"');
    crate::money::push_money(out, value);
    out.push(b'"');
}

/// Appends `key` and then `value` with its trailing zeros stripped, quoted: the text of
/// `value.normalize().to_string()` (the `ser_plain` serializers of rates and shares).
pub fn push_plain(out: &mut Vec<u8>, key: &[u8], value: Decimal) {
    // `normalize` also turns `-0` into `0`, as serde's text shows it.
    push_display(out, key, value.normalize());
}

/// Appends `key` and then `value` quoted as `Decimal`'s `Display` writes it (every digit of
/// its scale, `-0` kept: `value.to_string()`).
pub fn push_display(out: &mut Vec<u8>, key: &[u8], value: Decimal) {
    out.extend_from_slice(key);
    out.push(b'"');
    if value.is_sign_negative() && value.is_zero() {
        out.push(b'-');
    }
    let mut digits = [0_u8; 64];
    out.extend_from_slice(crate::money::scaled_digits(
        value.mantissa(),
        value.scale(),
        &mut digits,
    ));
    out.push(b'"');
}

/// Appends `key` and then `date` as a quoted `YYYY-MM-DD` string (`Date`'s serde form).
pub fn push_date(out: &mut Vec<u8>, key: &[u8], date: Date) {
    out.extend_from_slice(key);
    out.push(b'"');
    out.extend_from_slice(&date.iso_bytes());
    out.push(b'"');
}

/// Appends the JSON array of `items`, each written by `each`.
pub fn push_array<T>(out: &mut Vec<u8>, items: &[T], each: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (idx, item) in items.iter().enumerate() {
        if idx > 0 {
            out.push(b',');
        }
        each(out, item);
    }
    out.push(b']');
}

/// Appends a JSON object of string members, keys in the map's (sorted) order: serde's form of
/// a `BTreeMap<String, String>`.
pub fn push_string_map(out: &mut Vec<u8>, map: &KeyMap<String>) {
    out.push(b'{');
    for (idx, (key, value)) in map.iter().enumerate() {
        if idx > 0 {
            out.push(b',');
        }
        push_string(out, key);
        out.push(b':');
        push_string(out, value);
    }
    out.push(b'}');
}

/// Appends a JSON object of string maps (`texts`: language → key → text), serde's form of a
/// `BTreeMap<String, BTreeMap<String, String>>`.
pub fn push_text_maps(out: &mut Vec<u8>, maps: &KeyMap<KeyMap<String>>) {
    out.push(b'{');
    for (idx, (key, map)) in maps.iter().enumerate() {
        if idx > 0 {
            out.push(b',');
        }
        push_string(out, key);
        out.push(b':');
        push_string_map(out, map);
    }
    out.push(b'}');
}

/// Appends `key` and then `true` or `false`.
pub fn push_bool(out: &mut Vec<u8>, key: &[u8], value: bool) {
    out.extend_from_slice(key);
    out.extend_from_slice(if value { b"true" } else { b"false" });
}

/// Appends a JSON array of escaped strings.
pub fn push_strings<'a>(out: &mut Vec<u8>, items: impl IntoIterator<Item = &'a str>) {
    out.push(b'[');
    for (idx, item) in items.into_iter().enumerate() {
        if idx > 0 {
            out.push(b',');
        }
        push_string(out, item);
    }
    out.push(b']');
}

/// The text of a buffer the writers above filled: they append only whole UTF-8 strings and
/// ASCII, so the conversion cannot fail (an empty string if it ever did).
pub fn into_text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// Every character class serde_json treats apart: quotes, backslash, each control
    /// character, DEL, two-, three- and four-byte UTF-8.
    #[test]
    fn strings_escape_as_serde_json_does() {
        let mut samples: Vec<String> = (0_u8..0x80).map(|b| char::from(b).to_string()).collect();
        samples.extend(
            [
                "",
                "plain",
                "a\"b\\c",
                "年化利率(单利)",
                "é\u{1F600}\u{7F}\u{2028}",
                "\u{0}x\u{1F}",
            ]
            .map(String::from),
        );
        samples.push((0_u8..0x80).map(char::from).collect());
        for sample in &samples {
            let mut out = Vec::new();
            super::push_string(&mut out, sample);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(sample).unwrap()
            );
        }
    }
}
