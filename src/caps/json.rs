//! The cap check's JSON text written by hand, for the `disclose` response.
//!
//! Owns [`CapCheck::push_json`]: the object `serde_json` writes for a [`CapCheck`], byte for
//! byte (same keys in the same order, absent options left out, cap ids, names and the
//! institution type escaped as serde escapes them), so the calculator module carries no serde
//! serializer. It must not judge any cap.

use super::{CapCheck, CapResult};
use crate::apr::{push_rate, RATE_DP};
use crate::json::write::{push_bool, push_date, push_field, push_strings};

impl CapCheck {
    /// Appends this check as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        // The first key present opens the object; the others follow a comma.
        out.push(b'{');
        if let Some(as_of) = self.as_of {
            push_date(out, b"\"asOf\":", as_of);
            out.push(b',');
        }
        if let Some(institution_type) = &self.institution_type {
            push_field(out, b"\"institutionType\":", institution_type);
            out.push(b',');
        }
        out.extend_from_slice(b"\"results\":[");
        for (idx, result) in self.results.iter().enumerate() {
            if idx > 0 {
                out.push(b',');
            }
            result.push_json(out);
        }
        push_bool(out, b"],\"compliant\":", self.compliant);
        out.extend_from_slice(b",\"flagged\":");
        push_strings(out, self.flagged.iter().map(String::as_str));
        out.push(b'}');
    }
}

impl CapResult {
    /// Appends this result as its serde JSON object.
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        if let Some(name) = &self.name {
            push_field(out, b",\"name\":", name);
        }
        push_field(out, b",\"basis\":", self.basis);
        push_rate(out, b",\"limit\":", self.limit, RATE_DP);
        if let Some(multiple) = self.lpr_multiple {
            push_rate(out, b",\"lprMultiple\":", multiple, RATE_DP);
        }
        if let Some(lpr) = self.lpr {
            push_rate(out, b",\"lpr\":", lpr, RATE_DP);
        }
        if let Some(from) = self.lpr_from {
            push_date(out, b",\"lprFrom\":", from);
        }
        push_rate(out, b",\"rate\":", self.rate, RATE_DP);
        push_field(out, b",\"limitPercent\":", &self.limit_percent);
        push_field(out, b",\"ratePercent\":", &self.rate_percent);
        push_bool(out, b",\"pass\":", self.pass);
        push_rate(out, b",\"margin\":", self.margin, RATE_DP);
        out.extend_from_slice(b",\"includes\":");
        push_strings(out, self.includes.iter().copied());
        push_bool(out, b",\"legacy\":", self.legacy);
        out.push(b'}');
    }
}
