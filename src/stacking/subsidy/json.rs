//! The `subsidy` response's JSON text written by hand.
//!
//! Owns [`SubsidyOutcome::to_json`] / [`SubsidyOutcome::push_json`] (also the `subsidy` member
//! of a quote) and [`LocalizedText::push_json`]: the compact text `serde_json::to_string` gives
//! for the same values, byte for byte (same keys in the same order, absent options left out,
//! money as [`crate::money::ser_money`], rates with [`RATE_DP`] decimals, shares with their
//! trailing zeros stripped), so the wasm module needs no serde serializer for them
//! (`tests/response_json.rs` compares them with serde's derives). It must not compute anything.

use super::outcome::{CapBound, PeriodDetail, ProgramResult, Reason, SubsidyOutcome};
use super::LocalizedText;
use crate::apr::{push_rate, RATE_DP};
use crate::json::write::{
    into_text, push_amount, push_array, push_bool, push_date, push_field, push_i64, push_plain,
    push_strings, push_uint,
};
use rust_decimal::Decimal;

impl LocalizedText {
    /// Appends this text as its serde object, `{"zh-CN": …, "en": …}`.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"zh-CN\":", &self.zh_cn);
        push_field(out, b",\"en\":", &self.en);
        out.push(b'}');
    }
}

/// Appends `key` and then a JSON array of money strings (`ser_money_vec`).
fn push_amounts(out: &mut Vec<u8>, key: &[u8], values: &[Decimal]) {
    out.extend_from_slice(key);
    push_array(out, values, |out, value| push_amount(out, b"", *value));
}

impl Reason {
    fn push_json(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        if let Some(program) = &self.program {
            push_field(out, b"\"program\":", program);
            out.push(b',');
        }
        push_field(out, b"\"code\":", self.code);
        out.extend_from_slice(b",\"message\":");
        self.message.push_json(out);
        out.push(b'}');
    }
}

impl CapBound {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"program\":", &self.program);
        push_field(out, b",\"cap\":", self.cap);
        push_uint(out, b",\"period\":", self.period);
        push_amount(out, b",\"limit\":", self.limit);
        if let Some(year) = self.year {
            push_i64(out, b",\"year\":", i64::from(year));
        }
        out.push(b'}');
    }
}

impl PeriodDetail {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_uint(out, b"{\"period\":", self.period);
        if let Some(due) = self.due_date {
            push_date(out, b",\"dueDate\":", due);
        }
        push_amount(out, b",\"payment\":", self.payment);
        push_amount(out, b",\"charge\":", self.charge);
        push_amount(out, b",\"promotionDiscount\":", self.promotion_discount);
        push_amount(out, b",\"merchantPaid\":", self.merchant_paid);
        push_amount(out, b",\"subsidy\":", self.subsidy);
        push_amount(out, b",\"netPayment\":", self.net_payment);
        out.push(b'}');
    }
}

impl ProgramResult {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        if let Some(name) = &self.name {
            out.extend_from_slice(b",\"name\":");
            name.push_json(out);
        }
        push_bool(out, b",\"applied\":", self.applied);
        push_plain(out, b",\"subsidyRate\":", self.subsidy_rate);
        push_bool(out, b",\"rateCappedByShare\":", self.rate_capped_by_share);
        push_amount(out, b",\"eligibleAmount\":", self.eligible_amount);
        push_amount(out, b",\"total\":", self.total);
        push_amounts(out, b",\"perPeriod\":", &self.per_period);
        out.push(b'}');
    }
}

impl SubsidyOutcome {
    /// The compact JSON text of this outcome (the `subsidy` response), byte for byte what
    /// `serde_json::to_string` gives for it. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(2_000 + 200 * self.per_period_detail.len());
        self.push_json(&mut out);
        into_text(out)
    }

    /// Appends this outcome as its serde JSON object.
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        push_plain(out, b"{\"subsidyRate\":", self.subsidy_rate);
        push_amounts(out, b",\"perPeriod\":", &self.per_period);
        push_amount(out, b",\"total\":", self.total);
        push_rate(out, b",\"contractRate\":", self.contract_rate, RATE_DP);
        push_rate(out, b",\"grossRate\":", self.gross_rate, RATE_DP);
        push_rate(
            out,
            b",\"rateAfterPromotions\":",
            self.rate_after_promotions,
            RATE_DP,
        );
        push_rate(out, b",\"netRate\":", self.net_rate, RATE_DP);
        out.extend_from_slice(b",\"grossApr\":");
        self.gross_apr.push_json(out);
        out.extend_from_slice(b",\"netApr\":");
        self.net_apr.push_json(out);
        out.extend_from_slice(b",\"perPeriodDetail\":");
        push_array(out, &self.per_period_detail, |out, row| row.push_json(out));
        let totals = &self.totals;
        push_amount(out, b",\"totals\":{\"payment\":", totals.payment);
        push_amount(out, b",\"charge\":", totals.charge);
        push_amount(out, b",\"promotionDiscount\":", totals.promotion_discount);
        push_amount(out, b",\"merchantPaid\":", totals.merchant_paid);
        push_amount(out, b",\"subsidy\":", totals.subsidy);
        push_amount(out, b",\"netPayment\":", totals.net_payment);
        out.extend_from_slice(b"},\"capsBound\":");
        push_array(out, &self.caps_bound, |out, cap| cap.push_json(out));
        out.extend_from_slice(b",\"reasons\":");
        push_array(out, &self.reasons, |out, reason| reason.push_json(out));
        out.extend_from_slice(b",\"assumptions\":");
        push_array(out, &self.assumptions, |out, reason| reason.push_json(out));
        out.extend_from_slice(b",\"appliedOrder\":");
        push_strings(out, self.applied_order.iter().map(String::as_str));
        out.extend_from_slice(b",\"programs\":");
        push_array(out, &self.programs, |out, program| program.push_json(out));
        out.push(b'}');
    }
}
