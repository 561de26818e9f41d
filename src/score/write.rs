//! The scoring responses' JSON text written by hand.
//!
//! Owns the writers of [`ScoreOutcome`] and [`Assessment`] in the two forms the doors answer:
//! the `score` and `assess` operations answer `serde_json::to_value(..).to_string()` of them,
//! whose objects are `serde_json::Map`s (keys sorted) — [`ScoreOutcome::to_sorted_json`],
//! [`Assessment::to_sorted_json`]; a bundle engine's `assess` flattens the assessment into its
//! own struct, keys in declaration order — [`Assessment::push_members`]. Byte for byte serde's
//! text either way (`tests/response_json_full.rs`), so the wasm module needs no serde serializer
//! for them. It must not score anything.

use super::assess::{Assessment, BandRef, Knockout};
use super::card::{Reason, ScoreOutcome, Texts, VariablePoints};
use crate::json::write::{
    into_text, push_amount, push_array, push_display, push_field, push_u64,
};

impl Texts {
    /// `{"zh-CN": …, "en": …}`: the struct's order.
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"zh-CN\":", &self.zh_cn);
        push_field(out, b",\"en\":", &self.en);
        out.push(b'}');
    }

    /// `{"en": …, "zh-CN": …}`: a `Map`'s order.
    fn push_sorted(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"en\":", &self.en);
        push_field(out, b",\"zh-CN\":", &self.zh_cn);
        out.push(b'}');
    }
}

impl Reason {
    fn push_json(&self, out: &mut Vec<u8>, sorted: bool) {
        push_field(out, b"{\"code\":", &self.code);
        if !sorted {
            push_field(out, b",\"variable\":", &self.variable);
        }
        push_display(out, b",\"shortfall\":", self.shortfall);
        if let Some(text) = &self.text {
            out.extend_from_slice(b",\"text\":");
            if sorted {
                text.push_sorted(out);
            } else {
                text.push_json(out);
            }
        }
        if sorted {
            push_field(out, b",\"variable\":", &self.variable);
        }
        out.push(b'}');
    }
}

impl VariablePoints {
    /// A `Map`'s order: `bin`, `label`, `points`, `variable`.
    fn push_sorted(&self, out: &mut Vec<u8>) {
        push_u64(out, b"{\"bin\":", self.bin as u64);
        if let Some(label) = &self.label {
            push_field(out, b",\"label\":", label);
        }
        push_display(out, b",\"points\":", self.points);
        push_field(out, b",\"variable\":", &self.variable);
        out.push(b'}');
    }
}

impl ScoreOutcome {
    /// The `score` operation's text: `serde_json::to_value(self)?.to_string()` (keys sorted).
    pub fn to_sorted_json(&self) -> String {
        let mut out = Vec::with_capacity(120 + 80 * self.points.len());
        out.extend_from_slice(b"{\"points\":");
        push_array(&mut out, &self.points, |out, points| points.push_sorted(out));
        push_display(&mut out, b",\"rawScore\":", self.raw_score);
        out.extend_from_slice(b",\"reasons\":");
        push_array(&mut out, &self.reasons, |out, reason| {
            reason.push_json(out, true);
        });
        push_display(&mut out, b",\"score\":", self.score);
        out.push(b'}');
        into_text(out)
    }
}

impl Knockout {
    fn push_json(&self, out: &mut Vec<u8>, sorted: bool) {
        push_field(out, b"{\"id\":", &self.id);
        push_field(out, b",\"reasonCode\":", &self.reason_code);
        out.extend_from_slice(b",\"text\":");
        if sorted {
            self.text.push_sorted(out);
        } else {
            self.text.push_json(out);
        }
        out.push(b'}');
    }
}

impl BandRef {
    /// `{"id": …, "priceBand"?: …}` (the same order sorted or not).
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        if let Some(price_band) = &self.price_band {
            push_field(out, b",\"priceBand\":", price_band);
        }
        out.push(b'}');
    }
}

/// Appends `key` and then the band, or `null`.
fn push_band(out: &mut Vec<u8>, key: &[u8], band: Option<&BandRef>) {
    out.extend_from_slice(key);
    match band {
        Some(band) => band.push_json(out),
        None => out.extend_from_slice(b"null"),
    }
}

impl Assessment {
    /// The `assess` operation's text: `serde_json::to_value(self)?.to_string()` (keys sorted).
    pub fn to_sorted_json(&self) -> String {
        let mut out = Vec::with_capacity(400);
        push_band(&mut out, b"{\"band\":", self.band.as_ref());
        self.push_decided_by(&mut out);
        push_field(&mut out, b",\"decision\":", self.decision.as_str());
        out.extend_from_slice(b",\"knockedOut\":");
        push_array(&mut out, &self.knocked_out, |out, knockout| {
            knockout.push_json(out, true);
        });
        self.push_limit(&mut out);
        out.extend_from_slice(b",\"reasons\":");
        push_array(&mut out, &self.reasons, |out, reason| {
            reason.push_json(out, true);
        });
        self.push_score(&mut out);
        out.push(b'}');
        into_text(out)
    }

    /// Appends the members in declaration order, without braces, each after a comma (the
    /// assessment flattened into a bundle engine's `assess` answer).
    pub(crate) fn push_members(&self, out: &mut Vec<u8>) {
        push_field(out, b",\"decision\":", self.decision.as_str());
        self.push_score(out);
        push_band(out, b",\"band\":", self.band.as_ref());
        out.extend_from_slice(b",\"reasons\":");
        push_array(out, &self.reasons, |out, reason| reason.push_json(out, false));
        out.extend_from_slice(b",\"knockedOut\":");
        push_array(out, &self.knocked_out, |out, knockout| {
            knockout.push_json(out, false);
        });
        self.push_decided_by(out);
        self.push_limit(out);
    }

    fn push_score(&self, out: &mut Vec<u8>) {
        match self.score {
            Some(score) => push_display(out, b",\"score\":", score),
            None => out.extend_from_slice(b",\"score\":null"),
        }
    }

    fn push_decided_by(&self, out: &mut Vec<u8>) {
        match &self.decided_by {
            Some(id) => push_field(out, b",\"decidedBy\":", id),
            None => out.extend_from_slice(b",\"decidedBy\":null"),
        }
    }

    fn push_limit(&self, out: &mut Vec<u8>) {
        match self.limit {
            Some(limit) => push_amount(out, b",\"limit\":", limit),
            None => out.extend_from_slice(b",\"limit\":null"),
        }
    }
}
