//! The calculators' fast path: amounts in and out as integer fen in typed arrays, no JSON.
//!
//! `scheduleFen` and `cnIrrFen` run the same core code as `schedule` and `apr` (the request is
//! validated by the same function, errors carry the same codes), but skip the request text, the
//! JSON parser, the response text and the host's `JSON.parse`, which dominate small calls.
//! Amounts cross as whole fen (1 fen = 0.01 yuan) held in `Float64Array`s: every value is an
//! integer of at most 2^53 − 1 fen, which a double holds exactly; anything else is refused with
//! `invalid-amount`. No fraction of a fen ever crosses, so nothing is rounded in JS.

use crate::js_error;
use puhui::money::{fmt_dp, Rounding};
use puhui::schedule::{self, ScheduleRequest};
use puhui::{ApiError, ErrorCode};
use rust_decimal::Decimal;
use wasm_bindgen::prelude::*;

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_FEN: f64 = 9_007_199_254_740_991.0;

/// Fields per schedule row in the `scheduleFen` answer.
const ROW_FIELDS: usize = 5;

fn fen_error(path: &str) -> JsValue {
    js_error(&ApiError::new(
        "invalid-amount",
        "amounts on the fen fast path must be whole fen (integers up to 2^53 - 1)",
        Some(path.to_owned()),
    ))
}

/// A whole number of fen as a decimal amount in yuan (`12345` → `123.45`).
fn from_fen(fen: f64, path: &str) -> Result<Decimal, JsValue> {
    if !fen.is_finite() || fen.fract() != 0.0 || fen.abs() > MAX_SAFE_FEN {
        return Err(fen_error(path));
    }
    // Exact: the value is an integer of magnitude below 2^53.
    #[allow(clippy::cast_possible_truncation)]
    let whole = fen as i64;
    Ok(Decimal::new(whole, 2))
}

/// [`MAX_SAFE_FEN`] as an integer.
const MAX_SAFE_FEN_INT: u64 = 9_007_199_254_740_991;

/// Cent-exact schedule on the fen fast path.
///
/// `principalFen`: whole fen; `annualRate`: a decimal string (`"0.072"`); `termMonths`;
/// `method`: as in `ScheduleRequest` (the loan uses the defaults: 30/360, half-up, no fees, no
/// dates). Answers a `Float64Array` of `5 × rows` whole-fen values, row by row:
/// `payment, principal, interest, fee, balance`. Errors: the codes `schedule` gives for the same
/// request, and `invalid-amount` for a principal that is not whole fen.
#[wasm_bindgen(js_name = scheduleFen)]
pub fn schedule_fen(
    principal_fen: f64,
    annual_rate: &str,
    term_months: u32,
    method: &str,
) -> Result<js_sys::Float64Array, JsValue> {
    let request = ScheduleRequest {
        principal: from_fen(principal_fen, "principalFen")?.to_string(),
        annual_rate: Some(annual_rate.to_owned()),
        term_months: i64::from(term_months),
        method: method.to_owned(),
        ..ScheduleRequest::default()
    };
    let loan = request.to_loan().map_err(|e| js_error(&e.to_api()))?;
    let plan = schedule::build_fen(&loan).map_err(|e| js_error(&e.to_api()))?;
    let mut out = Vec::with_capacity(plan.rows.len() * ROW_FIELDS);
    for row in &plan.rows {
        for fen in row {
            let fen = i64::try_from(*fen)
                .ok()
                .filter(|fen| fen.unsigned_abs() <= MAX_SAFE_FEN_INT)
                .ok_or_else(|| fen_error("result"))?;
            // Exact: an integer of magnitude at most 2^53 − 1.
            #[allow(clippy::cast_precision_loss)]
            out.push(fen as f64);
        }
    }
    Ok(js_sys::Float64Array::from(out.as_slice()))
}

/// The China annualized rate (IRR method, regular periods) on the fen fast path.
///
/// `advanceFen`: what the borrower receives, whole fen; `paymentsFen`: a `Float64Array` of whole
/// fen, one per period; `periodsPerYear` (12 for monthly). Answers the disclosed rate `r × m` as
/// a decimal string with 6 decimals, the `rate` field `apr` gives for the same flows. Errors: the
/// codes of `apr` (`bad-flows`, `no-solution`, …) and `invalid-amount` for non-integer fen.
#[wasm_bindgen(js_name = cnIrrFen)]
pub fn cn_irr_fen(
    advance_fen: f64,
    payments_fen: &[f64],
    periods_per_year: u32,
) -> Result<String, JsValue> {
    let advance = from_fen(advance_fen, "advanceFen")?;
    let mut payments = Vec::with_capacity(payments_fen.len());
    for (idx, fen) in payments_fen.iter().enumerate() {
        let amount =
            from_fen(*fen, "paymentsFen").map_err(|_| fen_error(&format!("paymentsFen[{idx}]")))?;
        payments.push(amount);
    }
    let rate = puhui::apr::cn_irr(advance, &payments, periods_per_year)
        .map_err(|e| js_error(&e.to_api()))?;
    Ok(fmt_dp(rate.rate, 6, Rounding::HalfUp))
}
