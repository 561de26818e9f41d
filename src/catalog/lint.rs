//! `lint`: every problem of a bundle draft, each with a JSON path, before anyone signs it.
//!
//! Owns the checks a product team runs on a draft payload: the strict JSON gate, schema
//! conformance (every unknown field, not just the first), duplicate ids, unknown references,
//! amount and term limits, first-hit price tables (rows shadowed by earlier rows, overlapping
//! rows), missing texts per language, and whether a product's most expensive offer breaks one
//! of its own caps — computed through the real schedule and disclosure code, never estimated.
//! Unlike [`crate::product::Catalog::compile`], which stops at the first problem, lint reports
//! them all. It must not sign, verify or read anything but the bytes it is given.

use super::compile::{self, Problems, Shared, Stop};
use crate::bundle::strict_json::{self, Limits};
use crate::bundle::BUNDLE_SCHEMA;
use crate::caps::{CapLimit, CapSet};
use crate::date::{parse_rfc3339, Date};
use crate::disclosure::{self, DisclosureOptions};
use crate::error::{from_json_slice, ErrorCode};
use crate::product::{BundlePayload, PriceRow, Product, ProductRequest, LANGUAGES};
use crate::schedule::{self, Method};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::Value;

pub use super::diagnostic::{Diagnostic, Severity};

/// The `lint` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// No errors (warnings allowed).
    pub ok: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every finding, in payload order per check.
    pub diagnostics: Vec<Diagnostic>,
}

impl LintReport {
    /// Builds the report from findings.
    pub fn new(diagnostics: Vec<Diagnostic>) -> LintReport {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        LintReport {
            ok: errors == 0,
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics,
        }
    }
}

/// Upper bound on unknown fields reported, so a hostile draft cannot make lint loop long.
const MAX_SCHEMA_FINDINGS: usize = 200;

fn error(code: &str, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Severity::Error, code, path, message)
}

fn warning(code: &str, path: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Severity::Warning, code, path, message)
}

/// Lints a draft payload.
pub fn lint(payload_bytes: &[u8]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if let Err(err) = strict_json::check(payload_bytes, Limits::default()) {
        let bundle_error = crate::bundle::BundleError::from_strict(err, "payload");
        let path = bundle_error
            .path()
            .map(|p| {
                p.trim_start_matches("payload")
                    .trim_start_matches('.')
                    .to_owned()
            })
            .unwrap_or_default();
        found.push(error(bundle_error.code(), path, bundle_error.to_string()));
        return found;
    }
    let Some(payload) = parse_reporting_unknown_fields(payload_bytes, &mut found) else {
        return found;
    };
    lint_payload(&payload, &mut found);
    if payload.pre_eligibility.is_some() {
        lint_pre_eligibility(payload_bytes, &mut found);
    }
    found
}

/// The score module's own lint of the eligibility model, under `preEligibility`.
fn lint_pre_eligibility(payload_bytes: &[u8], found: &mut Vec<Diagnostic>) {
    match crate::product::pre_eligibility_wire(payload_bytes) {
        Ok(Some(model)) => {
            for finding in crate::score::assess::lint_model(&model, crate::product::PRE_ELIGIBILITY)
            {
                found.push(Diagnostic {
                    severity: match finding.severity {
                        crate::score::Severity::Error => Severity::Error,
                        _ => Severity::Warning,
                    },
                    code: finding.code.to_owned(),
                    message: finding.message,
                    path: finding.path,
                });
            }
        }
        Ok(None) => {}
        Err(e) => found.push(error(e.code(), e.payload_path(), e.to_string())),
    }
}

/// Parses the payload; each unknown field is reported and removed, then parsing is retried,
/// so every unknown field is found. Other schema errors end the parse.
fn parse_reporting_unknown_fields(
    payload_bytes: &[u8],
    found: &mut Vec<Diagnostic>,
) -> Option<BundlePayload> {
    let mut document: Value = serde_json::from_slice(payload_bytes).ok()?;
    for _ in 0..MAX_SCHEMA_FINDINGS {
        let bytes = serde_json::to_vec(&document).ok()?;
        match from_json_slice::<BundlePayload>(&bytes) {
            Ok(payload) => return Some(payload),
            Err(err) => {
                let container = err.path.clone().unwrap_or_default();
                let field = (err.code == "unknown-field")
                    .then(|| backticked(&err.message))
                    .flatten();
                match field {
                    Some(field) if remove_field(&mut document, &container, &field) => {
                        let path = if container.is_empty() {
                            field.clone()
                        } else if container == field || container.ends_with(&format!(".{field}")) {
                            container
                        } else {
                            format!("{container}.{field}")
                        };
                        found.push(error("unknown-field", path, without_position(&err.message)));
                    }
                    _ => {
                        found.push(error(&err.code, container, without_position(&err.message)));
                        return None;
                    }
                }
            }
        }
    }
    None
}

/// The message without serde's ` at line L column C` (positions in a re-serialized document
/// mean nothing to the author of the draft; the path says where).
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// The first `name` in backticks of a serde message (`unknown field `bandz`, expected ...`).
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len).map(str::to_owned)
}

/// Removes `field` from the object at `path` (`products[0].price[1].when`).
fn remove_field(document: &mut Value, path: &str, field: &str) -> bool {
    let mut node = document;
    // serde_path_to_error paths for an unknown field end at the unknown key itself.
    let mut segments = split_path(path);
    if segments.last().is_some_and(|s| s == field) {
        segments.pop();
    }
    for segment in segments {
        node = match segment.parse::<usize>() {
            Ok(idx) if node.is_array() => match node.get_mut(idx) {
                Some(next) => next,
                None => return false,
            },
            _ => match node.get_mut(&segment) {
                Some(next) => next,
                None => return false,
            },
        };
    }
    node.as_object_mut()
        .is_some_and(|object| object.remove(field).is_some())
}

fn split_path(path: &str) -> Vec<String> {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            let (name, indices) = rest.split_at(open);
            if !name.is_empty() {
                segments.push(name.to_owned());
            }
            rest = indices;
            for idx in rest.split('[').filter(|s| !s.is_empty()) {
                segments.push(idx.trim_end_matches(']').to_owned());
            }
        } else if !rest.is_empty() {
            segments.push(rest.to_owned());
        }
    }
    segments
}

/// Runs one compile stage collecting every problem, each an error finding.
fn stage<T>(
    found: &mut Vec<Diagnostic>,
    run: impl FnOnce(&mut Problems) -> Result<T, Stop>,
) -> Option<T> {
    let mut problems = Problems::every();
    let result = run(&mut problems).ok();
    found.extend(problems.take().iter().map(Diagnostic::from));
    result
}

/// The compile's stages, every problem reported, between lint's own checks: the schema name,
/// the LPR table an lpr-multiple cap needs, the texts, and per product its limits, its price
/// table, its worst offers against its caps and the caps' institution types.
fn lint_payload(payload: &BundlePayload, found: &mut Vec<Diagnostic>) {
    if payload.schema != BUNDLE_SCHEMA {
        found.push(error(
            "unsupported-schema",
            "schema",
            format!("schema must be {BUNDLE_SCHEMA:?}"),
        ));
    }
    stage(found, |p| compile::unique_ids(payload, p));
    let caps = stage(found, |p| compile::compile_caps(payload, p)).unwrap_or(CapSet {
        caps: Vec::new(),
        lpr: Vec::new(),
    });
    for (idx, cap) in caps.caps.iter().enumerate() {
        if matches!(cap.limit, CapLimit::LprMultiple(_)) && caps.lpr.is_empty() {
            found.push(error(
                "no-lpr",
                format!("caps[{idx}].lprMultiple"),
                "an lpr-multiple cap needs the lpr table",
            ));
        }
    }
    let shared = Shared {
        caps,
        programs: stage(found, |p| compile::compile_programs(payload, p)).unwrap_or_default(),
        promotions: stage(found, |p| compile::compile_promotions(payload, p)).unwrap_or_default(),
    };
    lint_texts(payload, found);
    let as_of = parse_rfc3339(&payload.issued_at)
        .and_then(|seconds| Date::from_day_number(seconds.div_euclid(86_400)));
    for (idx, wire) in payload.products.iter().enumerate() {
        lint_product_wire(wire, idx, found);
        let compiled = stage(found, |p| {
            compile::compile_product(payload, idx, wire, &shared, p)
        });
        if let Some(product) = compiled.flatten() {
            lint_price_table(&product, found);
            lint_caps(&product, as_of, found);
        }
        lint_applicable_caps(wire, idx, &shared.caps, found);
    }
    stage(found, |p| compile::shared_parties(payload, p));
}

/// A cap a product lists that does not apply to the product's institution type.
fn lint_applicable_caps(
    wire: &ProductRequest,
    idx: usize,
    caps: &CapSet,
    found: &mut Vec<Diagnostic>,
) {
    let Some(kind) = &wire.institution_type else {
        return;
    };
    for (cap_idx, id) in wire.caps.iter().enumerate() {
        if let Some(cap) = caps.caps.iter().find(|c| &c.id == id) {
            if !cap.applies_to.iter().any(|t| t == kind) {
                found.push(warning(
                    "cap-not-applicable",
                    format!("products[{idx}].caps[{cap_idx}]"),
                    format!("cap {id:?} does not apply to institution type {kind:?}"),
                ));
            }
        }
    }
}

fn lint_texts(payload: &BundlePayload, found: &mut Vec<Diagnostic>) {
    for language in LANGUAGES {
        if !payload.texts.contains_key(language) {
            found.push(error(
                "missing-language",
                format!("texts.{language}"),
                format!("texts for {language} are missing"),
            ));
        }
    }
    for (language, map) in &payload.texts {
        if !LANGUAGES.contains(&language.as_str()) {
            found.push(warning(
                "unknown-language",
                format!("texts.{language}"),
                format!("language {language:?} is not shown by the engine"),
            ));
            continue;
        }
        for other in LANGUAGES.iter().filter(|l| **l != language.as_str()) {
            let Some(other_map) = payload.texts.get(*other) else {
                continue;
            };
            for key in map.keys().filter(|k| !other_map.contains_key(*k)) {
                found.push(error(
                    "missing-text",
                    format!("texts.{other}.{key}"),
                    format!("text {key:?} exists in {language} but not in {other}"),
                ));
            }
        }
    }
    for (idx, product) in payload.products.iter().enumerate() {
        for (key_idx, key) in product.texts.iter().enumerate() {
            let missing: Vec<&str> = LANGUAGES
                .iter()
                .copied()
                .filter(|l| payload.texts.get(*l).is_none_or(|m| !m.contains_key(key)))
                .collect();
            if !missing.is_empty() {
                found.push(error(
                    "missing-text",
                    format!("products[{idx}].texts[{key_idx}]"),
                    format!("text {key:?} is missing in {}", missing.join(", ")),
                ));
            }
        }
    }
}

/// The amount step and the terms, named by lint's own codes (the compile reports its first
/// problem of the same values too).
fn lint_product_wire(wire: &ProductRequest, idx: usize, found: &mut Vec<Diagnostic>) {
    let at = |field: &str| format!("products[{idx}].{field}");
    if let Some((min, max, step)) = wire.amount.readable() {
        if min > max {
            found.push(error(
                "amount-range",
                at("amount"),
                "amount.min is greater than amount.max",
            ));
        } else if step > Decimal::ZERO
            && !max
                .checked_sub(min)
                .and_then(|span| span.checked_rem(step))
                .is_some_and(|rest| rest.is_zero())
        {
            found.push(error(
                "amount-step",
                at("amount.step"),
                format!("step {step} does not divide max - min ({max} - {min})"),
            ));
        }
    }
    if wire.terms.is_empty() {
        found.push(error(
            "terms-empty",
            at("terms"),
            "at least one term is required",
        ));
    }
    for (term_idx, term) in wire.terms.iter().enumerate() {
        if !(1..=i64::from(schedule::MAX_TERM_MONTHS)).contains(term) {
            found.push(error(
                "invalid-term",
                at(&format!("terms[{term_idx}]")),
                format!("term {term} is outside 1..={}", schedule::MAX_TERM_MONTHS),
            ));
        }
        if wire.terms[..term_idx].contains(term) {
            found.push(warning(
                "duplicate-term",
                at(&format!("terms[{term_idx}]")),
                format!("term {term} is listed twice"),
            ));
        }
    }
}

/// Whether `outer` matches every request `inner` matches, within the product's own limits.
fn covers(outer: &PriceRow, inner: &PriceRow, product: &Product) -> bool {
    let bands = match (&outer.bands, &inner.bands) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(o), Some(i)) => i.iter().all(|b| o.contains(b)),
    };
    let (inner_lo, inner_hi) = amount_span(inner, product);
    let (outer_lo, outer_hi) = amount_span(outer, product);
    let amounts = inner_lo > inner_hi || (outer_lo <= inner_lo && inner_hi <= outer_hi);
    let inner_terms = row_terms(inner, product);
    let outer_terms = row_terms(outer, product);
    let terms = inner_terms.iter().all(|t| outer_terms.contains(t));
    bands && amounts && terms
}

/// Whether some request matches both rows.
fn overlaps(a: &PriceRow, b: &PriceRow, product: &Product) -> bool {
    let bands = match (&a.bands, &b.bands) {
        (None, _) | (_, None) => true,
        (Some(x), Some(y)) => x.iter().any(|band| y.contains(band)),
    };
    let (a_lo, a_hi) = amount_span(a, product);
    let (b_lo, b_hi) = amount_span(b, product);
    let amounts = a_lo.max(b_lo) <= a_hi.min(b_hi);
    let a_terms = row_terms(a, product);
    let terms = row_terms(b, product).iter().any(|t| a_terms.contains(t));
    bands && amounts && terms
}

fn amount_span(row: &PriceRow, product: &Product) -> (Decimal, Decimal) {
    (
        row.amount_min
            .map_or(product.amount_min, |m| m.max(product.amount_min)),
        row.amount_max
            .map_or(product.amount_max, |m| m.min(product.amount_max)),
    )
}

fn row_terms(row: &PriceRow, product: &Product) -> Vec<u32> {
    match &row.terms {
        None => product.terms.clone(),
        Some(terms) => product
            .terms
            .iter()
            .copied()
            .filter(|t| terms.contains(t))
            .collect(),
    }
}

fn lint_price_table(product: &Product, found: &mut Vec<Diagnostic>) {
    let at = |row: usize| format!("products[{}].price[{row}]", product.index);
    for (idx, row) in product.price.iter().enumerate() {
        let (lo, hi) = amount_span(row, product);
        if lo > hi || row_terms(row, product).is_empty() {
            found.push(error(
                "unreachable-price-row",
                at(idx),
                "no amount or term the product offers matches this row",
            ));
            continue;
        }
        if let Some(earlier) = product.price[..idx]
            .iter()
            .position(|e| covers(e, row, product))
        {
            found.push(error(
                "shadowed-price-row",
                at(idx),
                format!("row {earlier} matches every request this row matches (first hit wins)"),
            ));
            continue;
        }
        for (earlier, other) in product.price[..idx].iter().enumerate() {
            if overlaps(other, row, product) {
                found.push(warning(
                    "overlapping-price-rows",
                    at(idx),
                    format!("row {earlier} overlaps this row and wins where both match"),
                ));
            }
        }
    }
}

/// The worst offers of a product: every price row at its smallest and largest amount and its
/// shortest and longest term, for every method.
fn worst_cases(product: &Product) -> Vec<(usize, crate::schedule::Loan)> {
    let mut loans = Vec::new();
    for (idx, row) in product.price.iter().enumerate() {
        let (lo, hi) = amount_span(row, product);
        let terms = row_terms(row, product);
        let (Some(short), Some(long)) = (terms.iter().min(), terms.iter().max()) else {
            continue;
        };
        for method in &product.methods {
            let priced_by_fee = *method == Method::FlatFee;
            if priced_by_fee != matches!(row.price, crate::product::Price::FeeRate(_)) {
                continue;
            }
            for amount in [lo, hi] {
                for term in [*short, *long] {
                    loans.push((idx, product.loan(amount, term, *method, row.price)));
                }
            }
        }
    }
    loans
}

fn lint_caps(product: &Product, as_of: Option<Date>, found: &mut Vec<Diagnostic>) {
    if product.caps.caps.is_empty() {
        return;
    }
    // Judge on the issue date, and again on the first day of every cap that starts later
    // (a bundle that will break a cap announced for next year is flagged as a warning).
    let mut dates: Vec<(Option<Date>, bool)> = vec![(as_of, false)];
    for cap in &product.caps.caps {
        if as_of.is_some_and(|d| cap.effective_from > d) && cap.effective_to.is_none() {
            dates.push((Some(cap.effective_from), true));
        }
    }
    let mut reported: Vec<(usize, String)> = Vec::new();
    for (idx, loan) in worst_cases(product) {
        if loan.validate().is_err() {
            continue;
        }
        let Ok(built) = schedule::build(&loan) else {
            continue;
        };
        for (date, future) in &dates {
            let options = DisclosureOptions {
                caps: product.caps.clone(),
                institution_type: product.wire.institution_type.clone(),
                as_of: *date,
                eu_time_basis: None,
                cn_only: false,
            };
            let disclosure = match disclosure::disclose_schedule(&loan, &built, &options) {
                Ok(d) => d,
                Err(e) => {
                    found.push(error(
                        e.code(),
                        format!("products[{}].price[{idx}]", product.index),
                        format!("cannot disclose the worst case: {e}"),
                    ));
                    return;
                }
            };
            for result in disclosure
                .caps
                .results
                .iter()
                .filter(|r| !r.pass && !r.legacy)
            {
                if reported.contains(&(idx, result.id.clone())) {
                    continue;
                }
                reported.push((idx, result.id.clone()));
                let message = format!(
                    "{} {} months at {}: rate {} exceeds cap {:?} ({}){}",
                    loan.principal,
                    loan.term_months,
                    crate::product::Price::magnitude(product.price[idx].price).normalize(),
                    disclosure::fmt_rate(result.rate),
                    result.id,
                    disclosure::fmt_rate(result.limit),
                    match date {
                        Some(d) if *future => format!(" from {d}"),
                        _ => String::new(),
                    }
                );
                let path = format!("products[{}].price[{idx}]", product.index);
                found.push(if *future {
                    warning("breaks-future-cap", path, message)
                } else {
                    error("breaks-cap", path, message)
                });
            }
        }
    }
}
