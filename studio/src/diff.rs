//! The structural diff of two bundle payloads: what a draft adds, removes and changes
//! against the live bundle, each with its JSON path.
//!
//! Lives in Rust rather than TypeScript for two reasons: decimal strings are compared as
//! decimals (`"0.12"` and `"0.120"` are the same rate), which JS could only do by parsing money
//! itself, and the paths use exactly the form lint and the engine print (`products[1].price[0]`).
//! Arrays whose elements carry an `id` (products, caps, programs, promotions, parties) or a
//! `name` (scorecard variables) are matched by it, so reordering is not a change; other arrays
//! of objects (price rows, fees, bins) are matched by position, because their order is
//! meaning (first hit wins); arrays of plain values (terms, methods) compare as a whole.
//! It must not judge whether a change is allowed: lint does that.

use puhui::bundle::strict_json::{self, Limits};
use puhui::error::ApiError;
use puhui::money::parse_decimal;
use serde::Serialize;
use serde_json::{Map, Value};

/// Top-level keys that are the header (version, dates, ids), listed apart from content.
const HEADER_KEYS: [&str; 9] = [
    "schema",
    "bundleId",
    "channel",
    "version",
    "issuedAt",
    "expiresAt",
    "minEngineVersion",
    "rootVersion",
    "description",
];

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The top-level section: `products`, `caps`, `lpr`, `subsidyPrograms`, `promotions`,
    /// `preEligibility` (the scorecard), `texts`, or `header`.
    pub section: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// JSON path in the draft (in the live payload for `removed`).
    pub path: String,
    /// The live value as compact JSON (absent for `added`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The draft value as compact JSON (absent for `removed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// The diff response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Content changes (products, price tables, fees, caps, LPR, promotions, programs,
    /// scorecard, texts), in payload order.
    pub changes: Vec<Change>,
    /// Header changes (version, dates, description).
    pub header: Vec<Change>,
}

fn parse(bytes: &[u8], which: &str) -> Result<Value, ApiError> {
    if strict_json::check(bytes, Limits::default()).is_err() {
        // Lint owns the wording of a strict-gate refusal; its first finding is that refusal,
        // so the diff reports the same code and path as lint and `puhui lint`.
        let first = puhui::lint::lint(bytes).into_iter().next();
        return Err(match first {
            Some(d) => ApiError::new(&d.code, format!("{which}: {}", d.message), Some(d.path)),
            None => ApiError::new("malformed-json", format!("{which}: not strict JSON"), None),
        });
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::new("malformed-json", e.to_string(), Some(which.to_owned())))
}

/// Diffs two payloads (`live` then `draft`, both JSON bytes through the strict gate).
///
/// Errors: the strict gate's codes (`malformed-json`, `duplicate-key`, `too-large`, …) with
/// the path prefixed by `live` or `draft`; `invalid-request` when either is not an object.
pub fn diff(live: &[u8], draft: &[u8]) -> Result<DiffReport, ApiError> {
    let live = parse(live, "live")?;
    let draft = parse(draft, "draft")?;
    let (Some(live), Some(draft)) = (live.as_object(), draft.as_object()) else {
        return Err(ApiError::new(
            "invalid-request",
            "both payloads must be JSON objects",
            None,
        ));
    };
    let mut content = Vec::new();
    let mut header = Vec::new();
    for (key, before, after) in union(live, draft) {
        let section = if HEADER_KEYS.contains(&key.as_str()) {
            "header"
        } else {
            key.as_str()
        };
        let out = if section == "header" {
            &mut header
        } else {
            &mut content
        };
        walk(section, &key, before, after, out);
    }
    Ok(DiffReport {
        changes: content,
        header,
    })
}

/// Keys of both objects: the draft's in its order, then those only live has.
fn union<'a>(
    live: &'a Map<String, Value>,
    draft: &'a Map<String, Value>,
) -> Vec<(String, Option<&'a Value>, Option<&'a Value>)> {
    let mut keys: Vec<(String, Option<&Value>, Option<&Value>)> = draft
        .iter()
        .map(|(k, v)| (k.clone(), live.get(k), Some(v)))
        .collect();
    for (k, v) in live {
        if !draft.contains_key(k) {
            keys.push((k.clone(), Some(v), None));
        }
    }
    keys
}

fn compact(value: &Value) -> String {
    value.to_string()
}

fn push(
    out: &mut Vec<Change>,
    section: &str,
    kind: &'static str,
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) {
    out.push(Change {
        section: section.to_owned(),
        kind,
        path: path.to_owned(),
        before: before.map(compact),
        after: after.map(compact),
    });
}

/// Equal as bundle values: decimal strings by value, everything else structurally.
fn same_scalar(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            x == y || matches!((parse_decimal(x), parse_decimal(y)), (Ok(p), Ok(q)) if p == q)
        }
        _ => a == b,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        _ => same_scalar(a, b),
    }
}

fn walk(
    section: &str,
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    out: &mut Vec<Change>,
) {
    match (before, after) {
        (None, None) => {}
        (None, Some(a)) => push(out, section, "added", path, None, Some(a)),
        (Some(b), None) => push(out, section, "removed", path, Some(b), None),
        (Some(b), Some(a)) => match (b, a) {
            (Value::Object(bo), Value::Object(ao)) => {
                for (key, bv, av) in union(bo, ao) {
                    walk(section, &format!("{path}.{key}"), bv, av, out);
                }
            }
            (Value::Array(ba), Value::Array(aa))
                if ba.iter().chain(aa).any(|v| v.is_object() || v.is_array()) =>
            {
                walk_array(section, path, ba, aa, out);
            }
            _ => {
                if !same(b, a) {
                    push(out, section, "changed", path, Some(b), Some(a));
                }
            }
        },
    }
}

/// The key elements of an array are matched by: `id`, else `name`, when every element has
/// a distinct string one.
fn key_field(items: &[&Value]) -> Option<&'static str> {
    ["id", "name"].into_iter().find(|field| {
        let keys: Vec<&str> = items
            .iter()
            .filter_map(|v| v.get(*field).and_then(Value::as_str))
            .collect();
        keys.len() == items.len()
            && !keys.is_empty()
            && keys.iter().enumerate().all(|(i, k)| !keys[..i].contains(k))
    })
}

fn walk_array(section: &str, path: &str, before: &[Value], after: &[Value], out: &mut Vec<Change>) {
    let both: Vec<&Value> = before.iter().chain(after).collect();
    let keyed = key_field(&before.iter().collect::<Vec<_>>())
        .filter(|f| key_field(&after.iter().collect::<Vec<_>>()) == Some(*f))
        .filter(|_| !both.is_empty());
    match keyed {
        Some(field) => {
            let key_of = |v: &Value| v.get(field).and_then(Value::as_str).map(str::to_owned);
            for (idx, item) in after.iter().enumerate() {
                let old = before.iter().find(|b| key_of(b) == key_of(item));
                walk(section, &format!("{path}[{idx}]"), old, Some(item), out);
            }
            for (idx, item) in before.iter().enumerate() {
                if !after.iter().any(|a| key_of(a) == key_of(item)) {
                    walk(section, &format!("{path}[{idx}]"), Some(item), None, out);
                }
            }
        }
        None => {
            for idx in 0..before.len().max(after.len()) {
                walk(
                    section,
                    &format!("{path}[{idx}]"),
                    before.get(idx),
                    after.get(idx),
                    out,
                );
            }
        }
    }
}

/// [`diff`] as compact JSON text.
pub fn diff_json(live: &[u8], draft: &[u8]) -> Result<String, ApiError> {
    let report = diff(live, draft)?;
    serde_json::to_string(&report)
        .map_err(|e| ApiError::new("internal", format!("diff serialization: {e}"), None))
}
