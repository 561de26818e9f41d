//! Exact decimal parsing, rounding and formatting for money and rates.
//!
//! Every amount that enters the engine passes through [`parse_amount`] or [`parse_rate`];
//! every amount that leaves it is a string with a fixed number of decimals.
//! This module owns the named rounding modes and must never use binary floating point.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serializer;
use std::fmt;

/// Decimal places of a money amount (fen).
pub const MONEY_DP: u32 = 2;

/// Largest principal or amount the engine accepts (one trillion yuan); keeps every product
/// of amounts, rates and day counts far inside `Decimal`'s 28 digits.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// A money amount in whole fen (1 fen = 0.01 yuan). The schedule's rows are computed on it:
/// sums and differences of fen are exact, and `i128` holds every product the engine accepts
/// (`MAX_AMOUNT` in fen × a rate's mantissa × a day count) with room to spare.
pub type Fen = i128;

/// 10^0 … 10^38, every power of ten an `i128` holds (a table: the tie settlement and the
/// per-applicant scoring path read it instead of computing `10_i128.pow`).
pub const POW10: [i128; 39] = {
    let mut table = [1_i128; 39];
    let mut at = 1;
    while at < 39 {
        table[at] = table[at - 1] * 10;
        at += 1;
    }
    table
};

/// `value` in whole fen when it has at most two significant decimals (`12.3` → `1230`,
/// `5.000` → `500`); `None` for a fraction of a fen.
pub fn to_fen(value: Decimal) -> Option<Fen> {
    let mantissa = value.mantissa();
    match value.scale() {
        // |mantissa| < 2^96: ×100 stays far inside an i128.
        0 => Some(mantissa * 100),
        1 => Some(mantissa * 10),
        MONEY_DP => Some(mantissa),
        scale => {
            let divisor = *POW10.get(usize::try_from(scale - MONEY_DP).ok()?)?;
            (mantissa % divisor == 0).then(|| mantissa / divisor)
        }
    }
}

/// Whole fen as an amount with two decimals; [`Overflow`] beyond `Decimal`'s 96-bit range.
pub fn from_fen(fen: Fen) -> Result<Decimal, Overflow> {
    Decimal::try_from_i128_with_scale(fen, MONEY_DP).map_err(|_| Overflow)
}

/// A rounding rule named in a request (`half-up` is the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    /// Ties away from zero (四舍五入), the default.
    #[default]
    HalfUp,
    /// Ties to the even neighbour (banker's rounding).
    HalfEven,
    /// Truncation toward zero.
    Down,
}

impl Rounding {
    /// Parses the wire name.
    pub fn parse(name: &str) -> Option<Rounding> {
        match name {
            "half-up" => Some(Rounding::HalfUp),
            "half-even" => Some(Rounding::HalfEven),
            "down" => Some(Rounding::Down),
            _ => None,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half-up",
            Rounding::HalfEven => "half-even",
            Rounding::Down => "down",
        }
    }

    /// The `rust_decimal` strategy this rule names.
    pub fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::Down => RoundingStrategy::ToZero,
        }
    }

    /// Rounds to the fen with this rule.
    pub fn money(self, value: Decimal) -> Decimal {
        let mut rounded = value.round_dp_with_strategy(MONEY_DP, self.strategy());
        rounded.rescale(MONEY_DP);
        rounded
    }
}

/// `base^exponent` by binary exponentiation (square and multiply, no square after the last
/// bit) under `mul`, starting from `one`: the one power loop of the fixed-point kernels (the
/// rate grid's `v^n`, the effective rate's `(1+r)^m`, the level payment's discount factor), each
/// with its own grid and multiply.
#[inline(always)]
pub(crate) fn pow_by_squaring<T: Copy>(
    base: T,
    exponent: u64,
    one: T,
    mul: impl Fn(T, T) -> T,
) -> T {
    let (mut result, mut square, mut exponent) = (one, base, exponent);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = mul(result, square);
        }
        exponent >>= 1;
        if exponent > 0 {
            square = mul(square, square);
        }
    }
    result
}

/// Why a decimal string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalIssue {
    /// Not of the form `-?digits(.digits)?`.
    Malformed,
    /// More decimals than allowed.
    OverPrecise {
        /// The most decimals this field accepts.
        max_dp: u32,
    },
    /// Outside the accepted magnitude.
    OutOfRange,
}

/// Parses a plain decimal string exactly: `-?[0-9]+(\.[0-9]+)?`, no exponent, no spaces,
/// at most 40 characters, so no input can make the parser or later arithmetic misbehave.
pub fn parse_decimal(text: &str) -> Result<Decimal, DecimalIssue> {
    parse_decimal_within(text, 15, 20)
}

/// [`parse_decimal`] with its own magnitude rule: at most `max_int_digits` digits before the
/// point and `max_frac_digits` after it (scorecards use 18 and 20, see
/// `score::card::parse_card_number`); longer numbers are `OutOfRange`.
pub fn parse_decimal_within(
    text: &str,
    max_int_digits: usize,
    max_frac_digits: usize,
) -> Result<Decimal, DecimalIssue> {
    if text.is_empty() || text.len() > 40 {
        return Err(DecimalIssue::Malformed);
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    // A byte scan rather than `split_once('.')` (no `memchr` in the calculator module).
    let point = digits.bytes().position(|b| b == b'.');
    let (int_part, frac_part) =
        match point.and_then(|at| Some((digits.get(..at)?, digits.get(at + 1..)?))) {
            Some((int_part, frac_part)) => (int_part, Some(frac_part)),
            None => (digits, None),
        };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        return Err(DecimalIssue::Malformed);
    }
    if int_part.len() > max_int_digits || frac_part.map_or(0, str::len) > max_frac_digits {
        return Err(DecimalIssue::OutOfRange);
    }
    decimal_from_digits(
        text.starts_with('-'),
        int_part.as_bytes(),
        frac_part.map_or(&[][..], str::as_bytes),
    )
    .ok_or(DecimalIssue::Malformed)
}

/// `[-]int[.frac]` (ASCII digits, already checked) as `str::parse::<Decimal>` reads it, without
/// linking rust_decimal's general string parser (~5 KB of wasm: exponents, underscores, radixes):
/// digit by digit into the 96-bit mantissa; a digit before the point that would overflow it is
/// an error; at the first digit after the point that would overflow it (or past 28 decimals),
/// that digit rounds the kept ones half-up and the rest are dropped (rust_decimal 1.x
/// `str::maybe_round`, including its `(m + 4) / 10` step when the rounding itself overflows).
/// `None` where the library's parser errs. Pinned digit for digit, sign of zero included,
/// against `str::parse` (tests below).
fn decimal_from_digits(negative: bool, int_part: &[u8], frac_part: &[u8]) -> Option<Decimal> {
    const MAX_MANTISSA: u128 = (1 << 96) - 1;
    const MAX_SCALE: u32 = 28;
    let mut mantissa: u128 = 0;
    let mut scale: u32 = 0;
    for &byte in int_part {
        mantissa = mantissa * 10 + u128::from(byte - b'0');
        if mantissa > MAX_MANTISSA {
            return None;
        }
    }
    for &byte in frac_part {
        let digit = u128::from(byte - b'0');
        let next = mantissa * 10 + digit;
        if next > MAX_MANTISSA || scale >= MAX_SCALE {
            if digit >= 5 {
                mantissa += 1;
                if mantissa > MAX_MANTISSA {
                    scale = scale.checked_sub(1)?;
                    mantissa = (mantissa + 4) / 10;
                }
            }
            break;
        }
        mantissa = next;
        scale += 1;
    }
    // At most 2^96 − 1 (< i128::MAX) at a scale of at most 28: `try_from_i128_with_scale`
    // cannot refuse it.
    let mut value =
        Decimal::try_from_i128_with_scale(i128::try_from(mantissa).ok()?, scale).ok()?;
    // The library reads `-0` (any zero) as +0.
    value.set_sign_negative(negative && mantissa != 0);
    Some(value)
}

/// Parses a money amount: at most 2 decimals, within ±[`MAX_AMOUNT`].
pub fn parse_amount(text: &str) -> Result<Decimal, DecimalIssue> {
    let value = parse_decimal(text)?;
    if value.scale() > MONEY_DP {
        // "10000.10" is fine, "10000.001" is not; trailing zeros beyond fen are tolerated.
        let normalized = value.normalize();
        if normalized.scale() > MONEY_DP {
            return Err(DecimalIssue::OverPrecise { max_dp: MONEY_DP });
        }
    }
    if value.abs() > MAX_AMOUNT {
        return Err(DecimalIssue::OutOfRange);
    }
    Ok(value)
}

/// Parses a rate (a decimal fraction such as `0.072`): at most 12 decimals, |rate| ≤ 1000.
pub fn parse_rate(text: &str) -> Result<Decimal, DecimalIssue> {
    let value = parse_decimal(text)?;
    if value.normalize().scale() > 12 {
        return Err(DecimalIssue::OverPrecise { max_dp: 12 });
    }
    if value.abs() > Decimal::from(1000) {
        return Err(DecimalIssue::OutOfRange);
    }
    Ok(value)
}

/// Formats an amount with exactly two decimals (`"866.19"`, `"0.00"`).
pub fn fmt_money(value: Decimal) -> String {
    fmt_dp(value, MONEY_DP, Rounding::HalfUp)
}

/// Formats with exactly `dp` decimals after rounding with `rounding`.
pub fn fmt_dp(value: Decimal, dp: u32, rounding: Rounding) -> String {
    let mut out = Vec::with_capacity(24);
    push_dp(&mut out, value, dp, rounding);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `value` exactly as [`fmt_dp`] formats it (the response writers' form, no `String`).
pub(crate) fn push_dp(out: &mut Vec<u8>, value: Decimal, dp: u32, rounding: Rounding) {
    let mut rounded = value.round_dp_with_strategy(dp, rounding.strategy());
    rounded.rescale(dp);
    let mut buffer = [0_u8; 64];
    // A rounded zero has mantissa 0, so no "-0.00" (the sign lives only in the flags).
    out.extend_from_slice(scaled_digits(
        rounded.mantissa(),
        rounded.scale(),
        &mut buffer,
    ));
}

/// Serde helper: money as a two-decimal string, formatted on the stack without `core::fmt`
/// when the value is already at fen scale (every schedule figure is): this is the hot path of
/// every schedule response, in wasm above all.
pub fn ser_money<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    if let Some(fen) = exact_fen(*value) {
        let mut buffer = [0_u8; 24];
        return serializer.serialize_str(fen_str(fen, &mut buffer));
    }
    serializer.serialize_str(&fmt_money(*value))
}

/// Appends `value` exactly as [`ser_money`] serializes it (without the JSON quotes).
pub(crate) fn push_money(out: &mut Vec<u8>, value: Decimal) {
    if let Some(fen) = exact_fen(value) {
        let mut buffer = [0_u8; 24];
        out.extend_from_slice(fen_digits(fen, &mut buffer));
        return;
    }
    out.extend_from_slice(fmt_money(value).as_bytes());
}

/// `value` in whole fen ([`to_fen`]) when that fits in `i64`: then [`fmt_money`] rounds nothing
/// and the digits can be written on the stack.
fn exact_fen(value: Decimal) -> Option<i64> {
    to_fen(value).and_then(|fen| i64::try_from(fen).ok())
}

/// Writes `fen` as yuan with two decimals into `buffer` and returns the text.
fn fen_str(fen: i64, buffer: &mut [u8; 24]) -> &str {
    // Only ASCII digits, '.' and '-' are written.
    std::str::from_utf8(fen_digits(fen, buffer)).unwrap_or("0.00")
}

/// Writes `value` in decimal digits (ASCII) into the end of `buffer`; returns those bytes.
pub(crate) fn int_digits(value: u64, buffer: &mut [u8; 24]) -> &[u8] {
    let mut magnitude = value;
    let mut pos = buffer.len();
    loop {
        pos -= 1;
        buffer[pos] = b'0' + (magnitude % 10) as u8;
        magnitude /= 10;
        if magnitude == 0 {
            break;
        }
    }
    &buffer[pos..]
}

/// Writes `fen` as yuan with two decimals (ASCII) into the end of `buffer`; returns those bytes.
pub(crate) fn fen_digits(fen: i64, buffer: &mut [u8; 24]) -> &[u8] {
    scaled_digits(i128::from(fen), MONEY_DP, buffer)
}

/// The decimal text of `mantissa × 10^−scale` with exactly `scale` decimals (`72000`, 6 →
/// `0.072000`; `-5`, 2 → `-0.05`; scale 0: no point), written from the right into `buffer`,
/// which must hold the digits, the point and the sign (64 bytes hold any `Decimal`). The same
/// text as `Decimal`'s `Display` of that mantissa and scale, without `core::fmt`.
pub(crate) fn scaled_digits(mantissa: i128, scale: u32, buffer: &mut [u8]) -> &[u8] {
    let mut pos = buffer.len();
    let mut digits = 0_u32;
    let mut push = |byte: u8, pos: &mut usize| {
        *pos -= 1;
        buffer[*pos] = byte;
    };
    let mut wide = mantissa.unsigned_abs();
    // 128-bit division is a library call in wasm: only the digits above 64 bits take it.
    while u64::try_from(wide).is_err() {
        if scale > 0 && digits == scale {
            push(b'.', &mut pos);
        }
        push(b'0' + (wide % 10) as u8, &mut pos);
        wide /= 10;
        digits += 1;
    }
    let mut narrow = u64::try_from(wide).unwrap_or_default();
    while narrow > 0 || digits <= scale {
        if scale > 0 && digits == scale {
            push(b'.', &mut pos);
        }
        push(b'0' + (narrow % 10) as u8, &mut pos);
        narrow /= 10;
        digits += 1;
    }
    if mantissa < 0 {
        push(b'-', &mut pos);
    }
    &buffer[pos..]
}

/// `value`'s `Display` text (`0.18`, `-5`, `0.000500`: its own scale), without `core::fmt`.
pub fn decimal_text(value: Decimal) -> String {
    let mut buffer = [0_u8; 64];
    String::from_utf8(scaled_digits(value.mantissa(), value.scale(), &mut buffer).to_vec())
        .unwrap_or_default()
}

/// Serde helper: optional money as a two-decimal string.
pub fn ser_money_opt<S: Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => serializer.serialize_str(&fmt_money(*v)),
        None => serializer.serialize_none(),
    }
}

impl DecimalIssue {
    /// The stable error code every module reports for this issue.
    pub fn code(&self) -> &'static str {
        match self {
            DecimalIssue::Malformed => "malformed-decimal",
            DecimalIssue::OverPrecise { .. } => "over-precise-amount",
            DecimalIssue::OutOfRange => "out-of-range",
        }
    }
}

impl DecimalIssue {
    /// The `Display` text, written without `core::fmt` (see [`crate::error::concat()`]).
    pub fn message(&self) -> String {
        match self {
            DecimalIssue::Malformed => "not a plain decimal string".to_owned(),
            DecimalIssue::OverPrecise { max_dp } => crate::error::concat(&[
                "more than ",
                &crate::error::uint(u64::from(*max_dp)),
                " decimals",
            ]),
            DecimalIssue::OutOfRange => "out of the accepted range".to_owned(),
        }
    }
}

impl fmt::Display for DecimalIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalIssue::Malformed => f.write_str("not a plain decimal string"),
            DecimalIssue::OverPrecise { max_dp } => write!(f, "more than {max_dp} decimals"),
            DecimalIssue::OutOfRange => f.write_str("out of the accepted range"),
        }
    }
}

/// A checked operation left `Decimal`'s range (or divided by zero). Each module turns it into
/// its own `overflow` error through `From`, so `?` is the whole conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("arithmetic overflow")
    }
}

/// Checked decimal arithmetic compiled once.
///
/// rust_decimal marks its add and multiply kernels `#[inline(always)]`, so every
/// `checked_add`/`checked_mul` call site carried its own copy of the kernel: the largest part of
/// the wasm module's arithmetic code. These methods are the same operations behind one
/// non-inlined function each, and answer [`Overflow`] instead of `None`.
pub trait CheckedOps: Sized {
    /// `self + other`.
    fn plus(self, other: Self) -> Result<Self, Overflow>;
    /// `self − other`.
    fn minus(self, other: Self) -> Result<Self, Overflow>;
    /// `self × other`.
    fn times(self, other: Self) -> Result<Self, Overflow>;
    /// `self ÷ other`; division by zero is [`Overflow`] too.
    fn over(self, other: Self) -> Result<Self, Overflow>;
}

impl CheckedOps for Decimal {
    #[inline(never)]
    fn plus(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_add(other).ok_or(Overflow)
    }
    #[inline(never)]
    fn minus(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_sub(other).ok_or(Overflow)
    }
    #[inline(never)]
    fn times(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_mul(other).ok_or(Overflow)
    }
    #[inline(never)]
    fn over(self, other: Decimal) -> Result<Decimal, Overflow> {
        self.checked_div(other).ok_or(Overflow)
    }
}

#[cfg(test)]
mod tests {
    /// The hand digit reader against the library's parser it replaces: every outcome, and the
    /// value's 16 bytes (scale and the sign of zero included), on generated and edge inputs.
    #[test]
    fn digit_reader_is_the_library_parser() {
        use super::decimal_from_digits;
        let check = |text: &str| {
            let negative = text.starts_with('-');
            let digits = text.trim_start_matches('-');
            let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
            let ours = decimal_from_digits(negative, int_part.as_bytes(), frac_part.as_bytes());
            let library = text.parse::<Decimal>().ok();
            assert_eq!(
                ours.map(|d| d.serialize()),
                library.map(|d| d.serialize()),
                "{text}: {ours:?} vs {library:?}"
            );
        };
        let edges = [
            "0",
            "-0",
            "0.0",
            "-0.000",
            "1",
            "-1",
            "00012.3400",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "7922816251426433759354395033.5",
            "7922816251426433759354395033.4",
            "7922816251426433759354395033.56",
            "9999999999999999999999999999.5",
            "999999999999999999.99999999999999999999",
            "-999999999999999999.99999999999999999999",
            "0.0000000000000000000000000001",
            "0.00000000000000000000000000015",
            "0.00000000000000000000000000014",
            "1.00000000000000000000000000005",
            "-0.00000000000000000000000000005",
            "123456789012345678.12345678901234567890",
        ];
        for text in edges {
            check(text);
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        for _ in 0..200_000 {
            let mut text = String::new();
            if next(3) == 0 {
                text.push('-');
            }
            let digit = |next: &mut dyn FnMut(u64) -> u64| {
                // Runs of 9s and 0s reach the rounding and overflow edges.
                match next(4) {
                    0 => '9',
                    1 => '0',
                    _ => char::from(b'0' + next(10) as u8),
                }
            };
            for _ in 0..1 + next(30) {
                text.push(digit(&mut next));
            }
            if next(4) != 0 {
                text.push('.');
                for _ in 0..1 + next(34) {
                    text.push(digit(&mut next));
                }
            }
            check(&text);
        }
    }

    use super::*;

    #[test]
    fn parses_plain_decimals_only() {
        assert_eq!(parse_amount("10000.00"), Ok(Decimal::new(1_000_000, 2)));
        assert_eq!(parse_amount("10000.100"), Ok(Decimal::new(10_000_100, 3)));
        for bad in [
            "", "1e5", " 1", "1.", ".5", "+1", "NaN", "Infinity", "1,000", "--1",
        ] {
            assert_eq!(parse_amount(bad), Err(DecimalIssue::Malformed), "{bad:?}");
        }
        assert_eq!(
            parse_amount("1.001"),
            Err(DecimalIssue::OverPrecise { max_dp: 2 })
        );
        assert_eq!(
            parse_amount("9999999999999999"),
            Err(DecimalIssue::OutOfRange)
        );
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000_i64));
    }

    /// `scaled_digits` (through `fmt_dp`) is `Decimal`'s own `Display` after the same rounding,
    /// for mantissas of every width (the 128-bit and the 64-bit loops), every scale and sign.
    #[test]
    fn fmt_dp_is_decimal_display() {
        let reference = |value: Decimal, dp: u32, rounding: Rounding| {
            let mut rounded = value.round_dp_with_strategy(dp, rounding.strategy());
            rounded.rescale(dp);
            if rounded.is_zero() {
                rounded.set_sign_positive(true);
            }
            rounded.to_string()
        };
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut values = vec![
            Decimal::ZERO,
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(-5, 3),
        ];
        for _ in 0..20_000 {
            let wide = (i128::from(next()) << 32 | i128::from(next() >> 32)) >> (next() % 96);
            let scale = u32::try_from(next() % 29).unwrap_or(0);
            let sign = if next() % 2 == 0 { 1 } else { -1 };
            if let Ok(value) = Decimal::try_from_i128_with_scale(sign * wide, scale) {
                values.push(value);
            }
        }
        for value in values {
            for dp in [0, 1, 2, 6, 12, 20, 28] {
                for rounding in [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down] {
                    assert_eq!(
                        fmt_dp(value, dp, rounding),
                        reference(value, dp, rounding),
                        "{value} at {dp}"
                    );
                }
            }
        }
    }

    #[test]
    fn rounding_modes_are_named() {
        let half = Decimal::new(1_005, 3); // 1.005
        assert_eq!(Rounding::HalfUp.money(half).to_string(), "1.01");
        assert_eq!(Rounding::HalfEven.money(half).to_string(), "1.00");
        assert_eq!(
            Rounding::Down.money(Decimal::new(1_009, 3)).to_string(),
            "1.00"
        );
        assert_eq!(fmt_money(Decimal::new(-1, 3)), "0.00");
    }

    #[test]
    fn fast_money_text_matches_fmt_money_at_every_short_scale() {
        let mut negative_zero = Decimal::new(0, 1);
        negative_zero.set_sign_negative(true);
        let mut values = vec![Decimal::ZERO, negative_zero, Decimal::new(i64::MAX, 0)];
        for mantissa in [
            0_i64,
            1,
            -1,
            7,
            10,
            999,
            -1234,
            86_619,
            92_233_720_368_547_758,
        ] {
            for scale in 0..=3 {
                values.push(Decimal::new(mantissa, scale));
            }
        }
        for value in values {
            let mut text = Vec::new();
            push_money(&mut text, value);
            assert_eq!(text, fmt_money(value).as_bytes(), "{value:?}");
        }
    }

    #[test]
    fn fen_formatting_matches_decimal_display() {
        for fen in [
            0_i64,
            1,
            9,
            10,
            99,
            100,
            86_619,
            -5,
            -100,
            123_456_789_012,
            i64::MAX,
            i64::MIN + 1,
        ] {
            let mut buffer = [0_u8; 24];
            assert_eq!(
                fen_str(fen, &mut buffer),
                Decimal::new(fen, 2).to_string(),
                "{fen}"
            );
        }
    }
}
