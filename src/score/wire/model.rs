//! The eligibility model document: the JSON shape of knock-out rules, score bands, limit rules
//! and the model that holds them with its card (camelCase, decimal strings, object-only).
//!
//! Owns [`EligibilityModel`], [`KnockoutRule`], [`Band`], [`LimitRule`], [`Decision`] and the
//! exact JSONLogic [`Rule`] wrapper as read and written. Compiling and assessing live in
//! `score::assess`, which re-exports these types.

use super::card::{Dec, Scorecard, Texts};
use crate::score::json::Value;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSONLogic expression, parsed exactly (numbers as decimals) from the model's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule(pub Value);

impl<'de> Deserialize<'de> for Rule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        super::json::parse(raw.get().as_bytes())
            .map(Rule)
            .map_err(|e| serde::de::Error::custom(format!("rule: {e}")))
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.to_serde().serialize(serializer)
    }
}

/// A knock-out rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct KnockoutRule {
    /// Unique id.
    pub id: String,
    /// Reason code shown when it fires.
    pub reason_code: String,
    /// Reason text.
    pub text: Texts,
    /// JSONLogic condition on the applicant; truthy = knocked out.
    pub when: Rule,
}

/// The outcome class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Likely to qualify.
    Likely,
    /// A human or a full application decides.
    Refer,
    /// Unlikely to qualify.
    Unlikely,
}

impl Decision {
    /// The wire name (`likely`, `refer`, `unlikely`), as serde writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Likely => "likely",
            Decision::Refer => "refer",
            Decision::Unlikely => "unlikely",
        }
    }
}

/// How the indicative limit follows from income:
/// `min(cap, product max, incomeMultiple × income − repayments)`, floored to `step`, never < 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct LimitRule {
    /// k in k × monthly income.
    pub income_multiple: Dec,
    /// Applicant field with the monthly income (default `monthlyIncome`).
    #[serde(default = "default_income_field")]
    pub income_field: String,
    /// Applicant field with existing monthly repayments, subtracted (default
    /// `existingRepayments`; absent or null counts as 0).
    #[serde(default = "default_repayments_field")]
    pub repayments_field: String,
    /// Upper bound of the band's limit, if any (the product maximum applies on top).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Dec>,
    /// Rounding step (floored to a multiple; default 100).
    #[serde(default = "default_step")]
    pub step: Dec,
}

fn default_income_field() -> String {
    "monthlyIncome".to_owned()
}
fn default_repayments_field() -> String {
    "existingRepayments".to_owned()
}
fn default_step() -> Dec {
    Dec(Decimal::ONE_HUNDRED)
}

/// A score band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct Band {
    /// Unique id (the bundle's decision tables refer to it).
    pub id: String,
    /// Lowest score in the band (inclusive; absent = −∞).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<Dec>,
    /// Score where the band ends (exclusive; absent = +∞).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<Dec>,
    /// The decision for scores in the band.
    pub decision: Decision,
    /// Price tier id for the product decision tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_band: Option<String>,
    /// Indicative limit rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<LimitRule>,
}

/// Card + knock-out rules + bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "camelCase", deny_unknown_fields)]
pub struct EligibilityModel {
    /// The scorecard.
    pub card: Scorecard,
    /// Knock-out rules, in precedence order.
    #[serde(default)]
    pub knockouts: Vec<KnockoutRule>,
    /// Score bands.
    pub bands: Vec<Band>,
    /// Applicant fields rules and limits read that are not card variables (for lint and for
    /// strict cards).
    #[serde(default)]
    pub fields: Vec<String>,
}

crate::json_object::objects_only!(KnockoutRule, LimitRule, Band, EligibilityModel);
crate::json_object::serialize_derived!(KnockoutRule, LimitRule, Band, EligibilityModel);
