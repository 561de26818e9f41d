//! The eligibility model: a card, knock-out rules and score bands, and [`assess`].
//!
//! Owns [`EligibilityModel`] (wire form), its compiled form, the decision procedure and the
//! indicative limit rule, and [`lint_model`].
//! It must not price products: [`Assessment::offer_inputs`] is the boundary where the bundle
//! engine takes over (price band + limit → indicative quotes per eligible product).
//!
//! Precedence, in this order:
//! 0. the card checks the applicant's values (types, NaN-like strings, unknown fields of a
//!    strict card): bad input is a typed error naming the field, never a decision;
//! 1. every knock-out rule runs, in model order, on the applicant as given; a rule whose `when`
//!    is truthy (JSONLogic truthiness) knocks the applicant out. All knock-outs are reported in
//!    `knockedOut`, and the first one decides (`decidedBy`); the decision is then `unlikely`,
//!    with no score, band or limit;
//! 2. otherwise the card scores the applicant and the band whose `[minScore, maxScore)` holds
//!    the rounded score gives the decision, price band and limit rule;
//! 3. the limit is computed only for `likely` and `refer`; a limit of zero (nothing can be
//!    lent: no income, or repayments already at the rule's multiple of it) makes the decision
//!    `unlikely`, with the score, band and `"limit": "0.00"` kept to say why.

use super::card::{lint_card, CompiledCard, Diagnostic, Reason, Severity, Texts};
use super::json::Value;
use super::jsonlogic::{self, truthy};
use super::ScoreError;
use crate::money::CheckedOps;
use crate::money::{fmt_money, Rounding};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

pub use super::wire::model::*;

impl Band {
    /// Whether `score` falls in `[minScore, maxScore)` (an absent end is unbounded).
    pub fn holds(&self, score: Decimal) -> bool {
        self.min_score.is_none_or(|min| score >= min.0)
            && self.max_score.is_none_or(|max| score < max.0)
    }
}

/// A model ready to assess applicants.
#[derive(Debug, Clone)]
pub struct CompiledModel {
    model: EligibilityModel,
    card: CompiledCard,
}

impl CompiledModel {
    /// Compiles the card and checks what would make assessment ambiguous (duplicate rule or
    /// band ids, overlapping bands).
    pub fn compile(model: &EligibilityModel) -> Result<CompiledModel, ScoreError> {
        let card_compiled = CompiledCard::compile(&model.card).map_err(|e| match e {
            ScoreError::InvalidCard { path, reason } => ScoreError::InvalidCard {
                path: format!("card.{path}"),
                reason,
            },
            other => other,
        })?;
        if let Some(first) = lint_rules_and_bands(model, "")
            .into_iter()
            .find(|d| d.severity == Severity::Error)
        {
            return Err(ScoreError::InvalidModel {
                path: first.path,
                reason: first.message,
            });
        }
        Ok(CompiledModel {
            model: model.clone(),
            card: card_compiled,
        })
    }

    /// The model.
    pub fn model(&self) -> &EligibilityModel {
        &self.model
    }

    /// The compiled card.
    pub fn card(&self) -> &CompiledCard {
        &self.card
    }
}

/// A knock-out that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Knockout {
    /// Rule id.
    pub id: String,
    /// Reason code.
    pub reason_code: String,
    /// Reason text.
    pub text: Texts,
}

/// The band an applicant fell in.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BandRef {
    /// Band id.
    pub id: String,
    /// Price tier id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_band: Option<String>,
}

/// The result of [`assess`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The decision.
    pub decision: Decision,
    /// The rounded score (absent when knocked out).
    #[serde(serialize_with = "ser_opt_display")]
    pub score: Option<Decimal>,
    /// The band (absent when knocked out).
    pub band: Option<BandRef>,
    /// Top reason codes, worst first.
    pub reasons: Vec<Reason>,
    /// Every knock-out that fired, in rule order.
    pub knocked_out: Vec<Knockout>,
    /// The knock-out that decided (the first), if any.
    pub decided_by: Option<String>,
    /// Indicative limit (money string) for `likely` and `refer` when the band has a limit rule
    /// and the income is known.
    #[serde(serialize_with = "ser_opt_money")]
    pub limit: Option<Decimal>,
}

fn ser_opt_display<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(&v.to_string()),
        None => s.serialize_none(),
    }
}

fn ser_opt_money<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.serialize_str(&fmt_money(*v)),
        None => s.serialize_none(),
    }
}

/// What the bundle engine needs to quote products for an eligible applicant.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferInputs<'a> {
    /// Band id.
    pub band_id: &'a str,
    /// Price tier for the decision tables.
    pub price_band: Option<&'a str>,
    /// The band's limit rule; apply it per product with [`indicative_limit`] and the product's
    /// maximum.
    pub limit_rule: Option<&'a LimitRule>,
    /// The band-level limit (no product maximum applied).
    pub limit: Option<Decimal>,
}

impl Assessment {
    /// The boundary to indicative quotes: `None` when the decision is `unlikely`.
    pub fn offer_inputs<'a>(&'a self, model: &'a CompiledModel) -> Option<OfferInputs<'a>> {
        if self.decision == Decision::Unlikely {
            return None;
        }
        let band_ref = self.band.as_ref()?;
        let band = model.model.bands.iter().find(|b| b.id == band_ref.id)?;
        Some(OfferInputs {
            band_id: &band.id,
            price_band: band.price_band.as_deref(),
            limit_rule: band.limit.as_ref(),
            limit: self.limit,
        })
    }
}

/// The indicative limit: `min(rule.cap, product_max, k × income − repayments)` floored to the
/// step, at least 0; `None` when the applicant gave no income.
pub fn indicative_limit(
    rule: &LimitRule,
    applicant: &Value,
    product_max: Option<Decimal>,
) -> Result<Option<Decimal>, ScoreError> {
    let Some(income) = super::wire::applicant_number(applicant, &rule.income_field)? else {
        return Ok(None);
    };
    let repayments =
        super::wire::applicant_number(applicant, &rule.repayments_field)?.unwrap_or_default();
    let mut limit = rule
        .income_multiple
        .0
        .times(income)
        .and_then(|v| v.minus(repayments))
        .map_err(|_| ScoreError::Overflow)?;
    for cap in [rule.cap.map(|c| c.0), product_max].into_iter().flatten() {
        limit = limit.min(cap);
    }
    let step = rule.step.0;
    if step > Decimal::ZERO {
        let steps = limit
            .over(step)?
            .round_dp_with_strategy(0, Rounding::Down.strategy());
        limit = steps.times(step)?;
    }
    Ok(Some(limit.max(Decimal::ZERO)))
}

/// Assesses one applicant (see the module docs for the precedence).
pub fn assess(model: &CompiledModel, applicant: &Value) -> Result<Assessment, ScoreError> {
    if !matches!(applicant, Value::Object(_)) {
        return Err(ScoreError::WrongType {
            path: String::new(),
            expected: "object",
            found: applicant.type_name(),
        });
    }
    // Bad input is an error before any decision, so it is never hidden by a knock-out.
    let outcome = score_with_fields(model, applicant)?;
    let mut knocked_out = Vec::new();
    for (idx, rule) in model.model.knockouts.iter().enumerate() {
        let result =
            jsonlogic::apply(&rule.when.0, applicant).map_err(|source| ScoreError::Rule {
                path: format!("knockouts[{idx}].when"),
                id: rule.id.clone(),
                source,
            })?;
        if truthy(&result) {
            knocked_out.push(Knockout {
                id: rule.id.clone(),
                reason_code: rule.reason_code.clone(),
                text: rule.text.clone(),
            });
        }
    }
    if let Some(first) = knocked_out.first() {
        return Ok(Assessment {
            decision: Decision::Unlikely,
            score: None,
            band: None,
            reasons: Vec::new(),
            decided_by: Some(first.id.clone()),
            knocked_out,
            limit: None,
        });
    }
    let band = model
        .model
        .bands
        .iter()
        .find(|band| band.holds(outcome.score))
        .ok_or_else(|| ScoreError::NoBand {
            score: outcome.score.to_string(),
        })?;
    let limit = match (&band.limit, band.decision) {
        (Some(rule), Decision::Likely | Decision::Refer) => {
            indicative_limit(rule, applicant, None)?
        }
        _ => None,
    };
    // A limit rule that leaves nothing to lend (no income, an income below one step, or
    // repayments already at k × income) cannot be "likely to qualify" for ¥0: unlikely.
    let decision = if limit.is_some_and(|limit| limit.is_zero()) {
        Decision::Unlikely
    } else {
        band.decision
    };
    Ok(Assessment {
        decision,
        score: Some(outcome.score),
        band: Some(BandRef {
            id: band.id.clone(),
            price_band: band.price_band.clone(),
        }),
        reasons: outcome.reasons,
        knocked_out,
        decided_by: None,
        limit,
    })
}

/// Scores with a strict card without refusing the model's declared extra fields.
fn score_with_fields(
    model: &CompiledModel,
    applicant: &Value,
) -> Result<super::ScoreOutcome, ScoreError> {
    if !model.model.card.strict || model.model.fields.is_empty() {
        return model.card.score(applicant);
    }
    let Value::Object(members) = applicant else {
        return model.card.score(applicant);
    };
    let known = members
        .iter()
        .filter(|(k, _)| !model.model.fields.contains(k))
        .cloned()
        .collect();
    model.card.score(&Value::Object(known))
}

/// Lints a model: the card ([`lint_card`]) plus duplicate rule and band ids, rules reading
/// fields that are neither card variables nor declared `fields`, band gaps and overlaps, and
/// limit fields that are not declared.
///
/// Codes beyond the card's: `duplicate-rule-id`, `unknown-variable`, `duplicate-band-id`,
/// `band-overlap`, `band-gap`, `no-bands`.
pub fn lint_model(model: &EligibilityModel, prefix: &str) -> Vec<Diagnostic> {
    let card_prefix = if prefix.is_empty() {
        "card".to_owned()
    } else {
        format!("{prefix}.card")
    };
    let mut out = lint_card(&model.card, &card_prefix);
    out.extend(lint_rules_and_bands(model, prefix));
    out
}

/// The model findings outside the card (the compiler uses these without the card lint, which
/// keeps the wasm build smaller).
fn lint_rules_and_bands(model: &EligibilityModel, prefix: &str) -> Vec<Diagnostic> {
    let join = |rest: &str| {
        if prefix.is_empty() {
            rest.to_owned()
        } else {
            format!("{prefix}.{rest}")
        }
    };
    let mut out = Vec::new();
    let known = |name: &str| {
        let head = name.split('.').next().unwrap_or(name);
        model.card.variables.iter().any(|v| v.name == head)
            || model.fields.iter().any(|f| f == head)
    };
    let diag = |severity, code, path: String, message: String| Diagnostic {
        severity,
        code,
        message,
        path,
    };
    for (idx, rule) in model.knockouts.iter().enumerate() {
        if model.knockouts[..idx].iter().any(|r| r.id == rule.id) {
            out.push(diag(
                Severity::Error,
                "duplicate-rule-id",
                join(&format!("knockouts[{idx}].id")),
                format!("rule id {:?} appears twice", rule.id),
            ));
        }
        let mut paths = Vec::new();
        jsonlogic::var_paths(&rule.when.0, &mut paths);
        for path in paths {
            if !known(&path) {
                out.push(diag(
                    Severity::Error,
                    "unknown-variable",
                    join(&format!("knockouts[{idx}].when")),
                    format!(
                        "reads {path:?}, which is neither a card variable nor a declared field"
                    ),
                ));
            }
        }
    }
    if model.bands.is_empty() {
        out.push(diag(
            Severity::Error,
            "no-bands",
            join("bands"),
            "no score bands".into(),
        ));
    }
    for (idx, band) in model.bands.iter().enumerate() {
        if model.bands[..idx].iter().any(|b| b.id == band.id) {
            out.push(diag(
                Severity::Error,
                "duplicate-band-id",
                join(&format!("bands[{idx}].id")),
                format!("band id {:?} appears twice", band.id),
            ));
        }
        if let Some(rule) = &band.limit {
            for field in [&rule.income_field, &rule.repayments_field] {
                if !known(field) {
                    out.push(diag(
                        Severity::Warning,
                        "unknown-variable",
                        join(&format!("bands[{idx}].limit")),
                        format!("reads {field:?}, which is not a declared field"),
                    ));
                }
            }
        }
    }
    lint_band_coverage(model, &join, &mut out);
    out
}

/// Whether the bands cover every score exactly once: `band-gap` below, between and above the
/// bands, `band-overlap` where two bands hold the same score.
fn lint_band_coverage(
    model: &EligibilityModel,
    join: &dyn Fn(&str) -> String,
    out: &mut Vec<Diagnostic>,
) {
    let diag = |severity, code, path: String, message: String| Diagnostic {
        severity,
        code,
        message,
        path,
    };
    let mut order: Vec<usize> = (0..model.bands.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| {
        model
            .bands
            .get(i)
            .and_then(|band| band.min_score.map(|d| d.0))
    });
    if let Some(&first) = order.first() {
        if model.bands[first].min_score.is_some() {
            out.push(diag(
                Severity::Warning,
                "band-gap",
                join(&format!("bands[{first}].minScore")),
                "scores below the lowest band have no decision".into(),
            ));
        }
    }
    for pair in order.windows(2) {
        let (prev, next) = (&model.bands[pair[0]], &model.bands[pair[1]]);
        let path = join(&format!("bands[{}].minScore", pair[1]));
        match (prev.max_score, next.min_score) {
            (None, _) | (_, None) => out.push(diag(
                Severity::Error,
                "band-overlap",
                path,
                "bands overlap".into(),
            )),
            (Some(end), Some(start)) if end.0 > start.0 => out.push(diag(
                Severity::Error,
                "band-overlap",
                path,
                format!("bands overlap between {} and {}", start.0, end.0),
            )),
            (Some(end), Some(start)) if end.0 < start.0 => out.push(diag(
                Severity::Error,
                "band-gap",
                path,
                format!("no band covers [{}, {})", end.0, start.0),
            )),
            _ => {}
        }
    }
    if let Some(&last) = order.last() {
        if model.bands[last].max_score.is_some() {
            out.push(diag(
                Severity::Warning,
                "band-gap",
                join(&format!("bands[{last}].maxScore")),
                "scores above the highest band have no decision".into(),
            ));
        }
    }
}
