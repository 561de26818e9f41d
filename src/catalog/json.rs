//! The bundle engine's answers written by hand: [`Quote::to_json`], [`ProductList::to_json`],
//! [`AssessResult::to_json`].
//!
//! Each is the compact text `serde_json::to_string` gives for the same value, byte for byte
//! (keys in declaration order, absent options left out or `null` as their serde attributes say,
//! money as [`crate::money::ser_money`], plain rates with their trailing zeros stripped, texts
//! in key order), so the wasm module needs no serde serializer for them
//! (`tests/response_json_full.rs` compares them with serde's derives on every product, term,
//! method, band and promotion of the sample bundle). It must not compute anything.

use super::engine::{
    AssessResult, BundleRef, IndicativeQuote, Offer, PartyCharge, ProductInfo, ProductList,
    PromotionInfo, Quote, QuoteParty, QuotePrice,
};
use super::wire::{PartyRequest, PartyRole};
use crate::json::write::{
    into_text, push_amount, push_array, push_bool, push_field, push_plain, push_strings,
    push_text_maps, push_u64, push_uint,
};
use crate::stacking::wire::LocalizedText;

impl BundleRef {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"bundleId\":", &self.bundle_id);
        push_u64(out, b",\"version\":", self.version);
        push_field(out, b",\"sha256\":", &self.sha256);
        out.push(b'}');
    }
}

impl QuotePrice {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_u64(out, b"{\"row\":", self.row as u64);
        if let Some(band) = &self.band {
            push_field(out, b",\"band\":", band);
        }
        push_plain(out, b",\"annualRate\":", self.annual_rate);
        if let Some(fee_rate) = self.fee_rate {
            push_plain(out, b",\"feeRate\":", fee_rate);
        }
        if let Some(daily) = &self.daily {
            out.extend_from_slice(b",\"daily\":");
            daily.push_json(out);
        }
        out.push(b'}');
    }
}

/// Opens a party object with the members a bundle's party and a quote's share, in their order:
/// `{"id", "role", "legalName", "licence", "servicePhone"` (the caller adds the rest and `}`).
fn push_party(
    out: &mut Vec<u8>,
    id: &str,
    role: PartyRole,
    [legal_name, licence]: [&LocalizedText; 2],
    service_phone: &str,
) {
    push_field(out, b"{\"id\":", id);
    push_field(out, b",\"role\":", role.as_str());
    out.extend_from_slice(b",\"legalName\":");
    legal_name.push_json(out);
    out.extend_from_slice(b",\"licence\":");
    licence.push_json(out);
    push_field(out, b",\"servicePhone\":", service_phone);
}

impl PartyCharge {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"item\":", &self.item);
        push_amount(out, b",\"total\":", self.total);
        out.push(b'}');
    }
}

impl QuoteParty {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_party(
            out,
            &self.id,
            self.role,
            [&self.legal_name, &self.licence],
            &self.service_phone,
        );
        out.extend_from_slice(b",\"charges\":");
        push_array(out, &self.charges, |out, charge| charge.push_json(out));
        push_amount(out, b",\"total\":", self.total);
        out.push(b'}');
    }
}

impl Quote {
    /// The compact JSON text of this quote, byte for byte what `serde_json::to_string` gives
    /// for it. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(6_000 + 300 * self.schedule.installments.len());
        push_field(&mut out, b"{\"productId\":", &self.product_id);
        out.extend_from_slice(b",\"productName\":");
        self.product_name.push_json(&mut out);
        push_bool(&mut out, b",\"preview\":", self.preview);
        out.extend_from_slice(b",\"price\":");
        self.price.push_json(&mut out);
        out.extend_from_slice(b",\"schedule\":");
        self.schedule.push_json(&mut out);
        out.extend_from_slice(b",\"disclosure\":{");
        self.disclosure.push_members(&mut out);
        out.extend_from_slice(b"},\"caps\":");
        self.caps.push_json(&mut out);
        if let Some(subsidy) = &self.subsidy {
            out.extend_from_slice(b",\"subsidy\":");
            subsidy.push_json(&mut out);
        }
        out.extend_from_slice(b",\"parties\":");
        push_array(&mut out, &self.parties, |out, party| party.push_json(out));
        out.extend_from_slice(b",\"texts\":");
        push_text_maps(&mut out, &self.texts);
        out.extend_from_slice(b",\"bundle\":");
        self.bundle.push_json(&mut out);
        out.push(b'}');
        into_text(out)
    }
}

impl PartyRequest {
    /// Appends this party as its serde object (the wire form `products()` lists).
    fn push_json(&self, out: &mut Vec<u8>) {
        push_party(
            out,
            &self.id,
            self.role,
            [&self.legal_name, &self.licence],
            &self.service_phone,
        );
        out.push(b'}');
    }
}

impl PromotionInfo {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        push_field(out, b",\"kind\":", self.kind);
        if let Some(name) = &self.name {
            out.extend_from_slice(b",\"name\":");
            name.push_json(out);
        }
        out.push(b'}');
    }
}

impl ProductInfo {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"id\":", &self.id);
        out.extend_from_slice(b",\"name\":");
        self.name.push_json(out);
        push_field(out, b",\"kind\":", self.kind);
        push_amount(out, b",\"amount\":{\"min\":", self.amount.min);
        push_amount(out, b",\"max\":", self.amount.max);
        push_amount(out, b",\"step\":", self.amount.step);
        out.extend_from_slice(b"},\"terms\":");
        push_array(out, &self.terms, |out, term| push_uint(out, b"", *term));
        out.extend_from_slice(b",\"methods\":");
        push_strings(out, self.methods.iter().copied());
        out.extend_from_slice(b",\"bands\":");
        push_strings(out, self.bands.iter().map(String::as_str));
        out.extend_from_slice(b",\"promotions\":");
        push_array(out, &self.promotions, |out, promotion| {
            promotion.push_json(out)
        });
        out.extend_from_slice(b",\"subsidyPrograms\":");
        push_strings(out, self.subsidy_programs.iter().map(String::as_str));
        out.extend_from_slice(b",\"caps\":");
        push_strings(out, self.caps.iter().map(String::as_str));
        out.extend_from_slice(b",\"parties\":");
        push_array(out, &self.parties, |out, party| party.push_json(out));
        out.push(b'}');
    }
}

impl ProductList {
    /// The compact JSON text of the `products()` answer, byte for byte serde's. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(200 + 1_200 * self.products.len());
        push_bool(&mut out, b"{\"preview\":", self.preview);
        out.extend_from_slice(b",\"products\":");
        push_array(&mut out, &self.products, |out, product| {
            product.push_json(out)
        });
        out.push(b'}');
        into_text(out)
    }
}

impl IndicativeQuote {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_amount(out, b"{\"amount\":", self.amount);
        push_uint(out, b",\"termMonths\":", self.term_months);
        push_field(out, b",\"method\":", self.method);
        push_field(out, b",\"percent\":", &self.percent);
        push_field(out, b",\"label\":", self.label);
        push_field(out, b",\"effectivePercent\":", &self.effective_percent);
        push_amount(out, b",\"firstPayment\":", self.first_payment);
        push_amount(out, b",\"totalCost\":", self.total_cost);
        push_bool(out, b",\"compliant\":", self.compliant);
        out.push(b'}');
    }
}

impl Offer {
    fn push_json(&self, out: &mut Vec<u8>) {
        push_field(out, b"{\"productId\":", &self.product_id);
        if let Some(band) = &self.band {
            push_field(out, b",\"band\":", band);
        }
        push_amount(out, b",\"minAmount\":", self.min_amount);
        match self.max_amount {
            Some(max) => push_amount(out, b",\"maxAmount\":", max),
            None => out.extend_from_slice(b",\"maxAmount\":null"),
        }
        if let Some(indicative) = &self.indicative {
            out.extend_from_slice(b",\"indicative\":");
            indicative.push_json(out);
        }
        out.push(b'}');
    }
}

impl AssessResult {
    /// The compact JSON text of a bundle engine's `assess` answer (the assessment flattened in),
    /// byte for byte serde's. Cannot fail.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(600 + 400 * self.offers.len());
        push_bool(&mut out, b"{\"preview\":", self.preview);
        out.push(b',');
        self.assessment.push_members(&mut out);
        out.extend_from_slice(b",\"offers\":");
        push_array(&mut out, &self.offers, |out, offer| offer.push_json(out));
        out.extend_from_slice(b",\"bundle\":");
        self.bundle.push_json(&mut out);
        out.push(b'}');
        into_text(out)
    }
}
