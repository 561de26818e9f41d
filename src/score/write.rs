//! The scoring responses' JSON text written by hand.
//!
//! Owns [`ScoreOutcome::to_json`] (the `score` operation) and [`Assessment::to_json`] (the
//! `assess` operation; [`Assessment::push_members`] is the same members flattened into a bundle
//! engine's `assess` answer): the compact text `serde_json::to_string` gives for them, byte for
//! byte, keys in declaration order like every other answer (`tests/response_json_full.rs`), so
//! the wasm module needs no serde serializer for them. It must not score anything.

use super::assess::{Assessment, BandRef, Knockout};
use super::card::{Reason, ScoreOutcome, Texts, VariablePoints};
use crate::json::write::{into_text, push_amount, push_array, push_display, push_field, push_u64};

impl Texts {
    /// `{"zh-CN": …, "en": …}`.
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"zh-CN\":", &self.zh_cn);
        push_field(out, b",\"en\":", &self.en);
        out.push(b'}');
    }
}

impl Reason {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"code\":", &self.code);
        push_field(out, b",\"variable\":", &self.variable);
        push_display(out, b",\"shortfall\":", self.shortfall);
        if let Some(text) = &self.text {
            out.extend_from_slice(b",\"text\":");
            text.push_json(out);
        }
        out.push(b'}');
    }
}

impl VariablePoints {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"variable\":", &self.variable);
        push_u64(out, b",\"bin\":", self.bin as u64);
        if let Some(label) = &self.label {
            push_field(out, b",\"label\":", label);
        }
        push_display(out, b",\"points\":", self.points);
        out.push(b'}');
    }
}

impl ScoreOutcome {
    /// The `score` operation's answer: the compact JSON text of this outcome, byte for byte
    /// `serde_json::to_string` of it. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(120 + 80 * self.points.len());
        push_display(&mut out, b"{\"score\":", self.score);
        push_display(&mut out, b",\"rawScore\":", self.raw_score);
        out.extend_from_slice(b",\"reasons\":");
        push_array(&mut out, &self.reasons, |out, reason| reason.push_json(out));
        out.extend_from_slice(b",\"points\":");
        push_array(&mut out, &self.points, |out, points| points.push_json(out));
        out.push(b'}');
        into_text(out)
    }
}

impl Knockout {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        push_field(out, b",\"reasonCode\":", &self.reason_code);
        out.extend_from_slice(b",\"text\":");
        self.text.push_json(out);
        out.push(b'}');
    }
}

impl BandRef {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        if let Some(price_band) = &self.price_band {
            push_field(out, b",\"priceBand\":", price_band);
        }
        out.push(b'}');
    }
}

impl Assessment {
    /// The `assess` operation's answer: the compact JSON text of this assessment, byte for
    /// byte `serde_json::to_string` of it. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(400);
        out.push(b'{');
        self.push_members(&mut out);
        out.push(b'}');
        into_text(out)
    }

    /// Appends the members without braces, in declaration order, each but the first after a
    /// comma (also the assessment flattened into a bundle engine's `assess` answer).
    pub(crate) fn push_members(&self, out: &mut Vec<u8>) {
        push_field(out, b"\"decision\":", self.decision.as_str());
        match self.score {
            Some(score) => push_display(out, b",\"score\":", score),
            None => out.extend_from_slice(b",\"score\":null"),
        }
        out.extend_from_slice(b",\"band\":");
        match &self.band {
            Some(band) => band.push_json(out),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"reasons\":");
        push_array(out, &self.reasons, |out, reason| reason.push_json(out));
        out.extend_from_slice(b",\"knockedOut\":");
        push_array(out, &self.knocked_out, |out, knockout| {
            knockout.push_json(out)
        });
        match &self.decided_by {
            Some(id) => push_field(out, b",\"decidedBy\":", id),
            None => out.extend_from_slice(b",\"decidedBy\":null"),
        }
        match self.limit {
            Some(limit) => push_amount(out, b",\"limit\":", limit),
            None => out.extend_from_slice(b",\"limit\":null"),
        }
    }
}
