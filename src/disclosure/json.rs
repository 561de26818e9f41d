//! The `disclose` response's JSON text written by hand.
//!
//! Owns [`DiscloseResponse::to_json`]: the compact text `serde_json::to_string` gives for a
//! [`DiscloseResponse`], byte for byte (the figures and the cap check flattened into one
//! object, the same keys in the same order, `us`, `eu` and `daily` left out when absent, money
//! as [`crate::money::ser_money`] writes it), so the calculator module carries no serde
//! serializer. It must not compute any figure.

use super::{CnBasis, DiscloseResponse, DisclosureFigures};
use crate::json::write::{into_text, push_amount};

impl DisclosureFigures {
    /// Appends the figures' members (no braces: they are flattened into the response).
    pub(crate) fn push_members(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"\"cn\":");
        self.cn.push_json(out);
        out.extend_from_slice(match self.cn_basis {
            CnBasis::Periods => b",\"cnBasis\":\"periods\"",
            CnBasis::Days => b",\"cnBasis\":\"days\"",
        });
        if let Some(us) = &self.us {
            out.extend_from_slice(b",\"us\":");
            us.push_json(out);
        }
        if let Some(eu) = &self.eu {
            out.extend_from_slice(b",\"eu\":");
            eu.push_json(out);
        }
        push_amount(out, b",\"principal\":", self.principal);
        push_amount(out, b",\"amountReceived\":", self.amount_received);
        push_amount(out, b",\"totalInterest\":", self.total_interest);
        push_amount(out, b",\"totalFees\":", self.total_fees);
        push_amount(out, b",\"totalCost\":", self.total_cost);
        push_amount(out, b",\"costPer10000\":", self.cost_per_10000);
        push_amount(out, b",\"totalRepaid\":", self.total_repaid);
    }
}

impl DiscloseResponse {
    /// The compact JSON text of this response, byte for byte what `serde_json::to_string`
    /// gives for it. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(1_500);
        out.push(b'{');
        self.disclosure.figures.push_members(&mut out);
        out.extend_from_slice(b",\"caps\":");
        self.disclosure.caps.push_json(&mut out);
        if let Some(daily) = &self.daily {
            out.extend_from_slice(b",\"daily\":");
            daily.push_json(&mut out);
        }
        out.push(b'}');
        into_text(out)
    }
}
