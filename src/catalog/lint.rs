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
use crate::error::{ApiError, ErrorCode};
use crate::json::tree::{self, Node, Path};
use crate::product::{BundlePayload, PriceRow, Product, ProductRequest, LANGUAGES};
use crate::schedule::{self, Method};
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;

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

/// Upper bound on unknown fields reported; a draft with more gets no further checks.
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

/// An object's members on the tree.
type Members<'a> = [(Cow<'a, str>, Node<'a>)];

/// Parses the payload: one walk finds and removes every unknown field (see [`Kind`]), then
/// one typed parse judges the rest. As the typed reader reads members in order and stops at
/// its first other error, only the unknown fields before that error are reported, then the
/// error.
///
/// The members of every object are taken in key order: lint has always judged the draft as a
/// `serde_json::Value` (whose maps are sorted), and its findings keep that order.
fn parse_reporting_unknown_fields(
    payload_bytes: &[u8],
    found: &mut Vec<Diagnostic>,
) -> Option<BundlePayload> {
    let mut document = tree::parse(payload_bytes).ok()?;
    sort_members(&mut document);
    let mut walk = Walk::default();
    walk.object(&mut document, Kind::Payload, "");
    let err = match BundlePayload::from_node(&document, &Path::Root) {
        Ok(payload) => {
            let complete = walk.found.len() < MAX_SCHEMA_FINDINGS;
            found.extend(walk.found.into_iter().take(MAX_SCHEMA_FINDINGS));
            return complete.then_some(payload);
        }
        Err(err) => err,
    };
    let container = err.path.clone().unwrap_or_default();
    let field = (err.code == "unknown-field")
        .then(|| backticked(&err.message))
        .flatten();
    let before: Vec<Diagnostic> = match field {
        // The field the walk halted at: every finding comes before it.
        Some(_) => walk.found,
        None => {
            let at = split_path(&container);
            (walk.found.into_iter())
                .filter(|d| comes_before(&split_path(&d.path), &at))
                .collect()
        }
    };
    if before.len() >= MAX_SCHEMA_FINDINGS {
        found.extend(before.into_iter().take(MAX_SCHEMA_FINDINGS));
        return None;
    }
    found.extend(before);
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
        _ => found.push(error(&err.code, container, without_position(&err.message))),
    }
    None
}

/// Whether serde meets the unknown member at `member` before its error at `at` (both split
/// paths; members in key order, items in index order). An error on an enclosing object (a
/// missing field) comes after the members it encloses.
fn comes_before(member: &[String], at: &[String]) -> bool {
    for (m, a) in member.iter().zip(at) {
        if m != a {
            return match (m.parse::<usize>(), a.parse::<usize>()) {
                (Ok(m), Ok(a)) => m < a,
                _ => m < a,
            };
        }
    }
    member.len() > at.len()
}

/// The kinds of object in a `puhui.bundle/v1` payload whose wire struct denies unknown fields
/// (`src/catalog/wire.rs`, `src/caps/wire.rs`, `src/stacking/wire.rs`). Which keys a kind
/// accepts is asked of its serde type itself ([`Kind::unknown`]), so the messages are serde's
/// own; the one table here is where each kind nests the next ([`Kind::children`]), pinned to
/// the structs by the tests below. `texts` (free maps) and `preEligibility` (carried as JSON,
/// linted by the score module) hold no kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Payload,
    Product,
    Amount,
    Fee,
    Party,
    PriceRow,
    PriceWhen,
    Range,
    Text,
    Cap,
    Lpr,
    Program,
    DateWindow,
    NamedPromotion,
    Promotion,
}

impl Kind {
    /// `(key, kind, list)`: the member `key` holds an object of `kind` (a list of them when
    /// `list`).
    fn children(self) -> &'static [(&'static str, Kind, bool)] {
        use Kind::*;
        match self {
            Payload => &[
                ("products", Product, true),
                ("caps", Cap, true),
                ("lpr", Lpr, true),
                ("subsidyPrograms", Program, true),
                ("promotions", NamedPromotion, true),
            ],
            Product => &[
                ("name", Text, false),
                ("amount", Amount, false),
                ("fees", Fee, true),
                ("parties", Party, true),
                ("price", PriceRow, true),
            ],
            Party => &[("legalName", Text, false), ("licence", Text, false)],
            PriceRow => &[("when", PriceWhen, false)],
            PriceWhen => &[("amount", Range, false)],
            Program => &[
                ("name", Text, false),
                ("window", DateWindow, false),
                ("contractWindow", DateWindow, false),
            ],
            NamedPromotion => &[("name", Text, false), ("promotion", Promotion, false)],
            Amount | Fee | Range | Text | Cap | Lpr | DateWindow | Promotion => &[],
        }
    }

    /// The reader's message when `key` is not a field of this kind (in `object`, whose `kind`
    /// tag picks a promotion's variant), `None` when it is one.
    fn unknown(self, object: &Members<'_>, key: &str) -> Option<String> {
        let err = self.probe(object, key, Node::Null)?;
        (err.code == "unknown-field").then(|| without_position(&err.message))
    }

    /// Whether the reader stops at the known member `key` of a promotion. A promotion is read
    /// as serde read it, from a buffered copy, so the error names the promotion, not the
    /// member: the walk stops at the member itself, leaving later unknown ones unreported.
    fn stops_at(self, object: &Members<'_>, key: &str) -> bool {
        let value = member(object, key).cloned().unwrap_or(Node::Null);
        self == Kind::Promotion
            && self
                .probe(object, key, value)
                .is_some_and(|err| !err.message.starts_with("missing field"))
    }

    /// The error of reading `{key: value}` as this kind (with a promotion's tag).
    fn probe<'a>(self, object: &Members<'a>, key: &str, value: Node<'a>) -> Option<ApiError> {
        let mut probe = Vec::with_capacity(2);
        if self == Kind::Promotion {
            if key == "kind" {
                return None;
            }
            probe.push((Cow::Borrowed("kind"), member(object, "kind")?.clone()));
        }
        probe.push((Cow::Owned(key.to_owned()), value));
        self.read(&Node::Object(probe))
    }

    /// The error of reading `node` as this kind's wire struct.
    fn read(self, node: &Node<'_>) -> Option<ApiError> {
        use super::wire as w;
        use crate::stacking::wire as s;
        let root = &Path::Root;
        match self {
            Kind::Payload => BundlePayload::from_node(node, root).err(),
            Kind::Product => w::ProductRequest::from_node(node, root).err(),
            Kind::Amount => w::AmountRequest::from_node(node, root).err(),
            Kind::Fee => w::ProductFeeRequest::from_node(node, root).err(),
            Kind::Party => w::PartyRequest::from_node(node, root).err(),
            Kind::PriceRow => w::PriceRowRequest::from_node(node, root).err(),
            Kind::PriceWhen => w::PriceWhenRequest::from_node(node, root).err(),
            Kind::Range => w::RangeRequest::from_node(node, root).err(),
            Kind::Text => s::LocalizedText::from_node(node, root).err(),
            Kind::Cap => crate::caps::CapRequest::from_node(node, root).err(),
            Kind::Lpr => crate::caps::LprRequest::from_node(node, root).err(),
            Kind::Program => s::ProgramRequest::from_node(node, root).err(),
            Kind::DateWindow => s::DateWindowRequest::from_node(node, root).err(),
            Kind::NamedPromotion => w::NamedPromotion::from_node(node, root).err(),
            Kind::Promotion => s::PromotionRequest::from_node(node, root).err(),
        }
    }
}

/// The value of member `key` of an object.
fn member<'n, 'a>(object: &'n Members<'a>, key: &str) -> Option<&'n Node<'a>> {
    object
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

/// Puts the members of every object of `node` in key order (as `serde_json::Value` keeps them).
fn sort_members(node: &mut Node<'_>) {
    match node {
        Node::Object(members) => {
            crate::sort::sort_by(members, |(a, _), (b, _)| a.cmp(b));
            for (_, value) in members {
                sort_members(value);
            }
        }
        Node::Array(items) => items.iter_mut().for_each(sort_members),
        _ => {}
    }
}

/// One walk over the draft: members in document order, depth first (the order serde reads
/// them), each unknown one removed and its finding kept.
#[derive(Default)]
struct Walk {
    found: Vec<Diagnostic>,
    /// Set at an unknown field that neither serde's message nor a JSON path names whole (a
    /// huge name, or one with `.` or `[`): the walk stops there and the typed parse reports
    /// that field as the field serde meets first, ending the parse (as the reparse loop did).
    halted: bool,
}

impl Walk {
    fn object(&mut self, value: &mut Node<'_>, kind: Kind, path: &str) {
        let Node::Object(object) = value else {
            return;
        };
        let keys: Vec<String> = object.iter().map(|(key, _)| key.to_string()).collect();
        for key in keys {
            if self.halted || self.found.len() >= MAX_SCHEMA_FINDINGS {
                return;
            }
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if let Some(message) = kind.unknown(object, &key) {
                if key.contains(['.', '[']) || backticked(&message).as_deref() != Some(key.as_str())
                {
                    self.halted = true;
                    return;
                }
                object.retain(|(name, _)| *name != key);
                self.found.push(error("unknown-field", at, message));
                continue;
            }
            if kind.stops_at(object, &key) {
                return;
            }
            let Some(&(_, child, list)) = kind.children().iter().find(|(name, ..)| *name == key)
            else {
                continue;
            };
            let Some((_, member)) = object.iter_mut().find(|(name, _)| *name == key) else {
                continue;
            };
            match member {
                Node::Array(items) if list => {
                    for (idx, item) in items.iter_mut().enumerate() {
                        self.object(item, child, &format!("{at}[{idx}]"));
                    }
                }
                _ if !list => self.object(member, child, &at),
                _ => {}
            }
        }
    }
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
fn remove_field(document: &mut Node<'_>, path: &str, field: &str) -> bool {
    let mut node = document;
    // The path of an unknown field ends at the unknown key itself.
    let mut segments = split_path(path);
    if segments.last().is_some_and(|s| s == field) {
        segments.pop();
    }
    for segment in segments {
        let next = match node {
            Node::Array(items) => segment
                .parse::<usize>()
                .ok()
                .and_then(|idx| items.get_mut(idx)),
            Node::Object(members) => members
                .iter_mut()
                .find(|(name, _)| *name == segment)
                .map(|(_, value)| value),
            _ => None,
        };
        match next {
            Some(next) => node = next,
            None => return false,
        }
    }
    let Node::Object(members) = node else {
        return false;
    };
    let before = members.len();
    members.retain(|(name, _)| name != field);
    members.len() < before
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
            let Some(other_map) = payload.texts.get(other) else {
                continue;
            };
            for key in map.keys().filter(|k| !other_map.contains_key(k)) {
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
                .filter(|l| payload.texts.get(l).is_none_or(|m| !m.contains_key(key)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::from_json_slice;
    use serde_json::{json, Value};

    /// The loop the walk replaced (remove one unknown field, re-serialize, re-parse), kept as
    /// the oracle the walk must agree with finding for finding.
    fn reparse_loop(payload_bytes: &[u8], found: &mut Vec<Diagnostic>) -> Option<BundlePayload> {
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
                        Some(field) if remove_value_field(&mut document, &container, &field) => {
                            let path = if container.is_empty() {
                                field.clone()
                            } else if container == field
                                || container.ends_with(&format!(".{field}"))
                            {
                                container
                            } else {
                                format!("{container}.{field}")
                            };
                            found.push(error(
                                "unknown-field",
                                path,
                                without_position(&err.message),
                            ));
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

    /// [`remove_field`] on a `serde_json::Value`, for the loop.
    fn remove_value_field(document: &mut Value, path: &str, field: &str) -> bool {
        let mut node = document;
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

    fn both(payload: &Value) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
        let bytes = serde_json::to_vec(payload).unwrap();
        let (mut walked, mut looped) = (Vec::new(), Vec::new());
        let a = parse_reporting_unknown_fields(&bytes, &mut walked);
        let b = reparse_loop(&bytes, &mut looped);
        assert_eq!(a, b);
        (walked, looped)
    }

    /// The sample bundle plus one object of every kind it lacks.
    fn every_kind() -> Value {
        let mut payload: Value =
            serde_json::from_str(include_str!("../../data/sample-bundle.json")).unwrap();
        payload["promotions"].as_array_mut().unwrap().extend([
            json!({"id": "mf", "promotion": {"kind": "merchant-funded", "share": "0.5"}}),
            json!({"id": "ic", "promotion": {"kind": "interest-coupon", "amount": "10.00"}}),
        ]);
        payload["subsidyPrograms"][0]["contractWindow"] =
            json!({"from": "2025-01-01", "to": "2026-12-31"});
        payload["products"][0]["price"][0]["when"]["amount"] = json!({"min": "1000.00"});
        payload["products"][0]["fees"] =
            json!([{"kind": "service", "timing": "upfront-paid", "amount": "10.00"}]);
        payload
    }

    /// One path of each kind in [`every_kind`] (an exhaustive match: a new kind needs one).
    fn path_of(kind: Kind) -> &'static str {
        match kind {
            Kind::Payload => "",
            Kind::Product => "products[0]",
            Kind::Amount => "products[0].amount",
            Kind::Fee => "products[0].fees[0]",
            Kind::Party => "products[0].parties[0]",
            Kind::PriceRow => "products[0].price[0]",
            Kind::PriceWhen => "products[0].price[0].when",
            Kind::Range => "products[0].price[0].when.amount",
            Kind::Text => "products[0].name",
            Kind::Cap => "caps[0]",
            Kind::Lpr => "lpr[0]",
            Kind::Program => "subsidyPrograms[0]",
            Kind::DateWindow => "subsidyPrograms[0].contractWindow",
            Kind::NamedPromotion => "promotions[0]",
            Kind::Promotion => "promotions[3].promotion",
        }
    }

    const KINDS: [Kind; 15] = [
        Kind::Payload,
        Kind::Product,
        Kind::Amount,
        Kind::Fee,
        Kind::Party,
        Kind::PriceRow,
        Kind::PriceWhen,
        Kind::Range,
        Kind::Text,
        Kind::Cap,
        Kind::Lpr,
        Kind::Program,
        Kind::DateWindow,
        Kind::NamedPromotion,
        Kind::Promotion,
    ];

    /// Adds `keys` to every object of the payload outside `texts` and `preEligibility`.
    fn plant(value: &mut Value, keys: &[&str], root: bool) -> usize {
        let mut planted = 0;
        match value {
            Value::Object(object) => {
                for (key, member) in object.iter_mut() {
                    if !(root && (key == "texts" || key == PRE_ELIGIBILITY)) {
                        planted += plant(member, keys, false);
                    }
                }
                for key in keys {
                    object.insert((*key).to_owned(), json!(1));
                }
                planted += keys.len();
            }
            Value::Array(items) => {
                for item in items {
                    planted += plant(item, keys, false);
                }
            }
            _ => {}
        }
        planted
    }

    use crate::product::PRE_ELIGIBILITY;

    #[test]
    fn the_fixture_parses_and_has_an_object_of_every_kind() {
        let payload = every_kind();
        let (walked, looped) = both(&payload);
        assert!(walked.is_empty() && looped.is_empty(), "{walked:#?}");
        for kind in KINDS {
            let mut bad = payload.clone();
            let path = path_of(kind);
            let mut node = &mut bad;
            for segment in split_path(path) {
                node = match segment.parse::<usize>() {
                    Ok(idx) => &mut node[idx],
                    Err(_) => &mut node[segment.as_str()],
                };
            }
            node.as_object_mut()
                .unwrap()
                .insert("zzExtra".into(), json!(1));
            let (walked, looped) = both(&bad);
            let at = if path.is_empty() {
                "zzExtra".to_owned()
            } else {
                format!("{path}.zzExtra")
            };
            assert_eq!(walked, looped, "{kind:?}");
            assert_eq!(walked.len(), 1, "{kind:?}: {walked:#?}");
            assert_eq!(
                (walked[0].code.as_str(), walked[0].path.as_str()),
                ("unknown-field", at.as_str())
            );
        }
    }

    #[test]
    fn every_child_of_the_table_is_a_field_serde_knows() {
        for kind in KINDS {
            for (key, child, _) in kind.children() {
                if kind != Kind::Promotion {
                    assert_eq!(kind.unknown(&[], key), None, "{kind:?}.{key}");
                }
                assert!(KINDS.contains(child));
            }
            // Every kind denies an unknown key, with serde's message.
            let object = [(Cow::Borrowed("kind"), Node::String("rate-discount".into()))];
            let message = kind.unknown(&object, "zzExtra").unwrap_or_default();
            assert!(
                message.starts_with("unknown field `zzExtra`"),
                "{kind:?}: {message}"
            );
        }
    }

    #[test]
    fn the_walk_finds_what_the_reparse_loop_found_in_every_object() {
        let mut payload = every_kind();
        let planted = plant(&mut payload, &["0early", "mid_dle", "~late"], true);
        assert!(planted > MAX_SCHEMA_FINDINGS);
        let (walked, looped) = both(&payload);
        assert_eq!(walked, looped);
        assert_eq!(walked.len(), planted.min(MAX_SCHEMA_FINDINGS));
        // Under the cap too.
        let mut payload = every_kind();
        let planted = plant(&mut payload, &["~late"], true);
        assert!(planted < MAX_SCHEMA_FINDINGS);
        let (walked, looped) = both(&payload);
        assert_eq!(walked, looped);
        assert_eq!(walked.len(), planted);
    }

    #[test]
    fn odd_fields_and_other_errors_end_as_the_loop_ended() {
        let long = "y".repeat(200);
        let cases = [
            json!({"products": [{"price": [{"when": {}}]}]}),
            json!([1, 2]),
        ];
        let mut payloads: Vec<Value> = cases.to_vec();
        let mut payload = every_kind();
        payload["products"][1]["colour"] = json!("red");
        payload["products"][2][long.as_str()] = json!(1);
        payload["products"][3]["colour"] = json!("red");
        payloads.push(payload);
        for odd in ["mid.dle", "x[0]", "", "0", "a]", "é`b"] {
            let mut payload = every_kind();
            payload["caps"][1]["colour"] = json!("red");
            payload["caps"][2][odd] = json!(1);
            payload["caps"][3]["colour"] = json!("red");
            payload[odd] = json!(1);
            payloads.push(payload);
        }
        let mut payload = every_kind();
        payload["products"][1]["colour"] = json!("red");
        payload["products"][2]["price"][0]["when"]["bandz"] = json!(1);
        payload["products"][3]["kind"] = json!("mortgage");
        payload["promotions"][0]["promotion"]["kind"] = json!("lottery");
        payloads.push(payload);
        let mut payload = every_kind();
        payload["products"][3]["id"] = json!(5);
        payload["zzz"] = json!(1);
        payload["products"][0]["a"] = json!(1);
        payloads.push(payload);
        let mixed: [fn(&mut Value); 6] = [
            |p| {
                p["products"][1]["amount"]
                    .as_object_mut()
                    .unwrap()
                    .remove("step");
                p["products"][1]["amount"]["zz"] = json!(1);
                p["products"][1]["zz"] = json!(1);
                p["products"][0]["zz"] = json!(1);
            },
            |p| {
                p["texts"]["en"]["rateLabel"] = json!(1);
                p["products"][0]["zz"] = json!(1);
                p["zz"] = json!(1);
            },
            |p| {
                p["promotions"][1]["promotion"]["periods"] = json!("x");
                p["promotions"][1]["promotion"]["aa"] = json!(1);
                p["promotions"][1]["promotion"]["zz"] = json!(1);
                p["promotions"][0]["zz"] = json!(1);
            },
            |p| {
                p["promotions"][1]["promotion"]["kind"] = json!("lottery");
                p["promotions"][1]["promotion"]["zz"] = json!(1);
                p["promotions"][1]["zz"] = json!(1);
                p["caps"][0]["zz"] = json!(1);
            },
            |p| {
                p["products"][2]["price"] = json!({"zz": 1});
                p["products"][2]["zz"] = json!(1);
                p["products"][2]["name"]["zz"] = json!(1);
            },
            |p| {
                p["lpr"][10]["rate"] = json!(null);
                p["lpr"][2]["zz"] = json!(1);
                p["lpr"][11]["zz"] = json!(1);
                p["products"][0]["zz"] = json!(1);
            },
        ];
        for edit in mixed {
            let mut payload = every_kind();
            edit(&mut payload);
            payloads.push(payload);
        }
        for payload in payloads {
            let (walked, looped) = both(&payload);
            assert_eq!(walked, looped, "{payload}");
        }
    }
}
