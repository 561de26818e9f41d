//! Calendar dates and RFC 3339 timestamps, without a clock.
//!
//! Owns ISO `YYYY-MM-DD` parsing, day arithmetic (proleptic Gregorian, via day numbers),
//! month stepping with month-end clamping, and RFC 3339 parsing to Unix seconds.
//! It never reads the system time: callers pass `now` in.

use std::fmt;

/// A calendar date in the proleptic Gregorian calendar, years 1900–2200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u32,
    day: u32,
}

/// The refusal text of a date that is not one the engine covers: a `YYYY-MM-DD` text of a real
/// day in 1900–2200 ([`Date::new`]); `9999-12-31` is well-formed but outside the range.
pub const NOT_A_DATE: &str = "not a valid YYYY-MM-DD date from 1900 to 2200";

impl Date {
    /// Builds a date, or `None` when it does not exist or lies outside 1900–2200.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=2200).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses strict ISO `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            // At most four digits: no overflow (and no `str::parse` in the wasm).
            Some(
                part.bytes()
                    .fold(0_u32, |value, digit| value * 10 + u32::from(digit - b'0')),
            )
        };
        let year = i32::try_from(number(0..4)?).ok()?;
        Date::new(year, number(5..7)?, number(8..10)?)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn day_number(self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The date `day_number` days after 1970-01-01, if within range.
    pub fn from_day_number(day_number: i64) -> Option<Date> {
        let (year, month, day) = civil_from_days(day_number);
        Date::new(i32::try_from(year).ok()?, month, day)
    }

    /// Signed days from `self` to `later`.
    pub fn days_until(self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Adds days.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_day_number(self.day_number().checked_add(days)?)
    }

    /// Steps `months` months from this date, keeping `anchor_day` as the day of the month
    /// and clamping it to the month's end (Jan 31 + 1 month = Feb 28, + 2 months = Mar 31).
    pub fn add_months_anchored(self, months: i64, anchor_day: u32) -> Option<Date> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
        if !(1900..=2200).contains(&year) {
            return None;
        }
        let day = anchor_day.min(days_in_month(year, month));
        Date::new(year, month, day)
    }

    /// Steps `months` months keeping this date's day (clamped).
    pub fn add_months(self, months: i64) -> Option<Date> {
        self.add_months_anchored(months, self.day)
    }
}

/// The due date of period `period` (1-based) of a monthly loan, domain-math §4 "Due dates":
/// every due date anchors on one day of the month — the first due date's day when one is
/// given, else the start date's day — clamped to each month's end, as spreadsheet EDATE
/// does. A loan from 2026-01-31 is due 02-28, 03-31, 04-30, …; it never drifts to the 28th.
/// A lender who keeps a fixed due day (every 28th) states it as the first due date's day.
/// `None` past 2200 (or before 1900).
pub fn monthly_due_date(start: Date, first_due: Option<Date>, period: u32) -> Option<Date> {
    match first_due {
        Some(first) => first.add_months_anchored(i64::from(period) - 1, first.day),
        None => start.add_months_anchored(i64::from(period), start.day),
    }
}

impl Date {
    /// The ISO `YYYY-MM-DD` text as ASCII bytes, built without `core::fmt` (every schedule row
    /// serializes a due date: this is a hot path in wasm).
    pub fn iso_bytes(self) -> [u8; 10] {
        // Years are 1900–2200 by construction, so four digits always suffice.
        let digit = |value: u32| b'0' + (value % 10) as u8;
        let year = self.year.unsigned_abs();
        [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(self.month / 10),
            digit(self.month),
            b'-',
            digit(self.day / 10),
            digit(self.day),
        ]
    }
}

impl Date {
    /// The `YYYY-MM-DD` text, as `Display` writes it, without `core::fmt` (size: the
    /// calculator module links none; see [`crate::error::concat()`]).
    pub fn text(self) -> String {
        self.iso_bytes()
            .iter()
            .map(|&byte| char::from(byte))
            .collect()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.iso_bytes();
        // Only ASCII digits and '-' were written.
        f.write_str(std::str::from_utf8(&bytes).unwrap_or("0000-00-00"))
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let bytes = self.iso_bytes();
        serializer.serialize_str(std::str::from_utf8(&bytes).unwrap_or("0000-00-00"))
    }
}

/// Whether `year` is a Gregorian leap year.
pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Parses an RFC 3339 timestamp (`2026-01-01T00:00:00Z`, `…+08:00`, optional fraction)
/// into Unix seconds (fractions are truncated).
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    if text.len() < 20 || text.len() > 40 {
        return None;
    }
    let date = Date::parse(text.get(0..10)?)?;
    let sep = text.as_bytes().get(10)?;
    if !matches!(sep, b'T' | b't' | b' ') {
        return None;
    }
    let two = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (hour, minute, second) = (two(11..13)?, two(14..16)?, two(17..19)?);
    if text.get(13..14)? != ":" || text.get(16..17)? != ":" {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = fraction.get(digits..)?;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4)? != ":" {
                return None;
            }
            let (oh, om) = (
                rest.get(1..3)?.parse::<i64>().ok()?,
                rest.get(4..6)?.parse::<i64>().ok()?,
            );
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(date.day_number() * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn fmt_rfc3339(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(d("2025-01-15").to_string(), "2025-01-15");
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-15",
            "20250115",
            "2025-01-15T",
            "１２３４-01-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(d("1970-01-01").day_number(), 0);
        assert_eq!(d("2025-01-15").days_until(d("2026-01-15")), 365);
        assert_eq!(d("1994-01-01").days_until(d("1995-07-01")), 546);
        for n in [-25_000, -1, 0, 1, 19_000, 60_000] {
            assert_eq!(Date::from_day_number(n).unwrap().day_number(), n);
        }
    }

    #[test]
    fn months_clamp_to_month_end() {
        let jan31 = d("2025-01-31");
        assert_eq!(jan31.add_months(1).unwrap().to_string(), "2025-02-28");
        assert_eq!(jan31.add_months(2).unwrap().to_string(), "2025-03-31");
        assert_eq!(
            d("2024-01-31").add_months(1).unwrap().to_string(),
            "2024-02-29"
        );
        assert_eq!(
            d("2025-11-15").add_months(2).unwrap().to_string(),
            "2026-01-15"
        );
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("1970-01-01T08:00:00+08:00"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-22T07:51:37.123Z"),
            parse_rfc3339("2026-11-22T07:51:37Z")
        );
        assert_eq!(
            fmt_rfc3339(parse_rfc3339("2026-11-22T07:51:37Z").unwrap()),
            "2026-11-22T07:51:37Z"
        );
        for bad in [
            "2026-11-22",
            "2026-11-22T25:00:00Z",
            "2026-11-22T07:51:37",
            "2026-11-22T07:51:37+8",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
