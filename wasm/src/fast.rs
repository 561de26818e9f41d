//! The calculators' fast path: amounts in and out as integer fen in typed arrays, no JSON.
//!
//! `scheduleFen`, `cnIrrFen` and `cnXirrFen` (dated flows as day offsets) run the same core code
//! as `schedule` and `apr` (the same validation, errors with the same codes), but skip the request text, the
//! JSON parser, the response text and the host's `JSON.parse`, which dominate small calls.
//! Amounts cross as whole fen (1 fen = 0.01 yuan) held in `Float64Array`s: every value is an
//! integer fen (a double holds every one the engine accepts exactly); a fraction, `NaN` or an
//! infinity is refused with `invalid-amount`, an amount above one trillion yuan with
//! `out-of-range` (as on the JSON path). No fraction of a fen ever crosses, so nothing is rounded
//! in JS.
//! A plain loan (the schedule doors' usual call) first goes through `schedule::plain_rows`,
//! which writes its rows in one integer pass with no decimal terms; whatever it declines takes
//! the general path above, which answers the same rows or refuses.

use crate::{js_error, string_arg, wrong_type};
use puhui::apr::{read_flow_date, read_year_days, AprError, DatedAmount};
use puhui::money::{fmt_dp, parse_rate, Rounding};
use puhui::schedule::{self, Loan, Method, ScheduleRequest};
use puhui::{ApiError, ErrorCode};
use rust_decimal::Decimal;
use wasm_bindgen::prelude::*;

/// Fields per schedule row in the `scheduleFen` answer.
const ROW_FIELDS: usize = 5;

fn fen_error(path: &str) -> JsValue {
    js_error(&ApiError::new(
        "invalid-amount",
        "amounts on the fen fast path must be whole fen (integers up to 2^53 - 1)",
        Some(path.to_owned()),
    ))
}

/// [`puhui::money::MAX_AMOUNT`] (one trillion yuan) in fen: the JSON path's `out-of-range`.
const MAX_AMOUNT_FEN: f64 = 100_000_000_000_000.0;

/// Why a fen input is refused.
#[derive(Debug, Clone, Copy)]
enum FenIssue {
    /// Not a finite whole number (`invalid-amount`).
    NotWhole,
    /// Above [`MAX_AMOUNT_FEN`] in magnitude (`out-of-range`, as on the JSON path).
    OutOfRange,
}

/// The refusal of a fen input at `path`.
fn fen_refusal(issue: FenIssue, path: &str) -> JsValue {
    match issue {
        FenIssue::NotWhole => fen_error(path),
        FenIssue::OutOfRange => js_error(&ApiError::new(
            "out-of-range",
            format!("{path} is out of the accepted range"),
            Some(path.to_owned()),
        )),
    }
}

/// A whole number of fen, within [`MAX_AMOUNT_FEN`] in magnitude.
fn fen_amount(fen: f64) -> Result<i64, FenIssue> {
    if !fen.is_finite() || fen.fract() != 0.0 {
        return Err(FenIssue::NotWhole);
    }
    if fen.abs() > MAX_AMOUNT_FEN {
        return Err(FenIssue::OutOfRange);
    }
    // Exact: an integer of magnitude at most 10^14 < 2^53.
    #[allow(clippy::cast_possible_truncation)]
    Ok(fen as i64)
}

/// [`fen_amount`] refused at `path`.
fn whole_fen(fen: f64, path: &str) -> Result<i64, JsValue> {
    fen_amount(fen).map_err(|issue| fen_refusal(issue, path))
}

/// [`whole_fen`] as a decimal amount in yuan (`12345` → `123.45`).
fn from_fen(fen: f64, path: &str) -> Result<Decimal, JsValue> {
    Ok(Decimal::new(whole_fen(fen, path)?, 2))
}

/// The payments of a fen call in whole fen: at most `limits::MAX_PAYMENTS` (the JSON path's
/// `limit-exceeded`), each refused at `paymentsFen[i]`.
fn fen_payments(payments_fen: &[f64]) -> Result<Vec<i64>, JsValue> {
    let max = puhui::limits::MAX_PAYMENTS;
    if payments_fen.len() > max {
        return Err(js_error(&ApiError::new(
            "limit-exceeded",
            format!("more than {max} items in this list"),
            Some(format!("paymentsFen[{max}]")),
        )));
    }
    let mut payments = Vec::with_capacity(payments_fen.len());
    for (idx, fen) in payments_fen.iter().enumerate() {
        let amount =
            fen_amount(*fen).map_err(|issue| fen_refusal(issue, &format!("paymentsFen[{idx}]")))?;
        payments.push(amount);
    }
    Ok(payments)
}

/// Whole fen as decimal amounts in yuan.
fn decimals(fens: &[i64]) -> Vec<Decimal> {
    fens.iter().map(|fen| Decimal::new(*fen, 2)).collect()
}

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`): no answer above it.
const MAX_SAFE_FEN_INT: u64 = 9_007_199_254_740_991;

/// A whole-number argument (`termMonths`, `periodsPerYear`, `yearDays`), read as the JSON path
/// reads an integer field: a fraction, `NaN` or an infinity is `invalid-request` at `what`.
/// Taken as a JS number, not a `u32`: wasm-bindgen's glue would truncate it silently
/// (1.5 → 1, 2^32 + 12 → 12, −1 → 4294967295).
fn whole_arg(value: f64, what: &str) -> Result<i64, JsValue> {
    whole(value).ok_or_else(|| not_whole(what))
}

/// `value` as an integer when it is a whole number of magnitude at most 2^53 − 1 (a JS number
/// that holds it exactly); `None` for a fraction, `NaN`, an infinity or a larger number.
fn whole(value: f64) -> Option<i64> {
    // Exact: a whole number below 2^53 in magnitude.
    #[allow(clippy::cast_possible_truncation)]
    (value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_FEN_INT as f64)
        .then_some(value as i64)
}

/// The refusal of an argument that must be a whole number (`invalid-request` at `what`).
fn not_whole(what: &str) -> JsValue {
    js_error(&ApiError::new(
        "invalid-request",
        format!("{what} must be a whole number"),
        Some(what.to_owned()),
    ))
}

/// [`whole_arg`] as a `u32` count the core checks itself: a whole number outside `u32` becomes
/// 0, which every such count refuses as out of range (`periodsPerYear`, `yearDays`).
fn count_arg(value: f64, what: &str) -> Result<u32, JsValue> {
    Ok(u32::try_from(whole_arg(value, what)?).unwrap_or(0))
}

/// The numbers of an array argument (a `Float64Array`, an `Int32Array` or a plain array of
/// numbers, copied by the glue into wasm memory in one call: a non-number becomes `NaN`, which
/// the fen reader refuses); `undefined` or `null` is `invalid-argument` at `what` rather than a
/// host `TypeError` from the glue.
fn number_array(values: Option<Vec<f64>>, what: &str, expected: &str) -> Result<Vec<f64>, JsValue> {
    values.ok_or_else(|| wrong_type(what, expected))
}

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
    #[wasm_bindgen(unchecked_param_type = "string")] annual_rate: JsValue,
    term_months: f64,
    #[wasm_bindgen(unchecked_param_type = "string")] method: JsValue,
) -> Result<Vec<f64>, JsValue> {
    let annual_rate = string_arg(&annual_rate, "annualRate")?;
    let method = string_arg(&method, "method")?;
    let term_months = whole_arg(term_months, "termMonths")?;
    let (rate, method_read) = (parse_rate(&annual_rate).ok(), Method::parse(&method));
    if let Some(rows) = plain_fen_rows(principal_fen, rate, term_months, method_read) {
        return Ok(rows);
    }
    // Anything else is read by `ScheduleRequest::to_loan` itself, so every refusal is its own,
    // in its order.
    let principal = from_fen(principal_fen, "principalFen")?;
    fen_rows(&text_loan(principal, annual_rate, term_months, method)?)
}

/// The methods of `scheduleFenParts` by code, in this order.
const METHOD_CODES: [Method; 5] = [
    Method::EqualInstallment,
    Method::EqualPrincipal,
    Method::InterestOnly,
    Method::Bullet,
    Method::FlatFee,
];

/// [`schedule_fen`] with no text crossing: the annual rate as `rateUnits / 10^rateScale`
/// (`0.0425` is `425, 4`) and the method as a code (0 `equal-installment`, 1 `equal-principal`,
/// 2 `interest-only`, 3 `bullet`, 4 `flat-fee`). The same rows and the same refusals as
/// `scheduleFen` given the rate's decimal text and the method's name; a `rateUnits` that is not
/// a whole number below 2^53 in magnitude, or a `rateScale` above 28, is `malformed-decimal`
/// at `annualRate`, and an unknown code `unknown-method`.
#[wasm_bindgen(js_name = scheduleFenParts)]
pub fn schedule_fen_parts(
    principal_fen: f64,
    rate_units: f64,
    rate_scale: f64,
    term_months: f64,
    method: f64,
) -> Result<Vec<f64>, JsValue> {
    let term_months = whole_arg(term_months, "termMonths")?;
    // A scale or code that is not a whole number (1.5) reads as no rate or no method, refused
    // below as `scheduleFen` refuses the same text.
    let rate = whole(rate_units)
        .zip(whole(rate_scale).and_then(|scale| u32::try_from(scale).ok()))
        .and_then(|(units, scale)| Decimal::try_new(units, scale).ok());
    let method = whole(method)
        .and_then(|code| usize::try_from(code).ok())
        .and_then(|code| METHOD_CODES.get(code).copied());
    if let Some(rows) = plain_fen_rows(principal_fen, rate, term_months, method) {
        return Ok(rows);
    }
    // Anything else goes to `to_loan` as the rate's exact text (`rateScale` decimals, trailing
    // zeros kept), which reads or refuses it as `scheduleFen` does.
    let principal = from_fen(principal_fen, "principalFen")?;
    fen_rows(&text_loan(
        principal,
        rate.map_or_else(
            || "NaN".to_owned(),
            |rate| fmt_dp(rate, rate.scale(), Rounding::HalfUp),
        ),
        term_months,
        method.map_or_else(String::new, |method| method.as_str().to_owned()),
    )?)
}

/// The rows of a plain loan straight from integers ([`schedule::plain_rows`]: no decimal
/// terms, no `Loan`, no row buffer), when the principal is whole fen, the rate not negative and
/// every figure within `Number.MAX_SAFE_INTEGER`; `None` otherwise, and the general path
/// answers (the same rows) or refuses.
fn plain_fen_rows(
    principal_fen: f64,
    rate: Option<Decimal>,
    term_months: i64,
    method: Option<Method>,
) -> Option<Vec<f64>> {
    let (rate, method) = (rate?, method?);
    let term_months = u32::try_from(term_months).ok()?;
    if rate.is_sign_negative() || !(1.0..=MAX_AMOUNT_FEN).contains(&principal_fen) {
        return None;
    }
    // `as` drops a fraction, so the round trip is exact only for whole fen (1 to 10^14).
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let principal = Some(principal_fen as u64).filter(|fen| *fen as f64 == principal_fen)?;
    let loan = schedule::PlainLoan {
        principal_fen: principal,
        rate_units: u64::try_from(rate.mantissa()).ok()?,
        rate_scale: rate.scale(),
        term_months,
        method,
    };
    // Zeroed once, then five stores a row: a push or a slice copy per row is a call (and a
    // `memory.copy`) at opt-level "z".
    let mut out = vec![0.0; term_months.min(schedule::MAX_TERM_MONTHS) as usize * ROW_FIELDS];
    let (mut at, mut safe) = (0, true);
    schedule::plain_rows(loan, |row| {
        // The payment is the row's largest figure (the balance is at most the principal).
        let [payment, principal, interest, fee, balance] = row;
        safe &= payment <= MAX_SAFE_FEN_INT;
        // Exact when at most 2^53 − 1 (`safe`).
        #[allow(clippy::cast_precision_loss)]
        let figures = (
            payment as f64,
            principal as f64,
            interest as f64,
            fee as f64,
            balance as f64,
        );
        if let Some([a, b, c, d, e]) = out.get_mut(at..at + ROW_FIELDS) {
            (*a, *b, *c, *d, *e) = figures;
        }
        at += ROW_FIELDS;
    })?;
    safe.then_some(out)
}

/// The loan of a request of these terms read by `to_loan` itself, with its refusals.
fn text_loan(
    principal: Decimal,
    annual_rate: String,
    term_months: i64,
    method: String,
) -> Result<Loan, JsValue> {
    ScheduleRequest {
        // Whole fen, so `fmt_money` is the exact text (and skips `core::fmt`).
        principal: puhui::money::fmt_money(principal),
        annual_rate: Some(annual_rate),
        term_months,
        method,
        ..ScheduleRequest::default()
    }
    .to_loan()
    .map_err(|e| js_error(&e.to_api()))
}

/// The rows of a loan as `scheduleFen` answers them.
fn fen_rows(loan: &Loan) -> Result<Vec<f64>, JsValue> {
    let plan = schedule::build_fen(loan).map_err(|e| js_error(&e.to_api()))?;
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
    // Returned as `Vec<f64>`: the glue copies it into a new `Float64Array` in one slice, with no
    // typed-array view or constructor call through the externref table.
    Ok(out)
}

/// The day offsets of `cnXirrFen`, taken as numbers (an `Int32Array` or a plain array, read
/// exactly as doubles): each must be a whole number (a fraction is not a day: `invalid-request`
/// at `paymentDays[i]`, where an `Int32Array` parameter's glue would truncate 1.5 to 1); one
/// outside `i32` is no date the engine covers and is refused as such below.
fn day_offsets(values: Option<Vec<f64>>) -> Result<Vec<i32>, JsValue> {
    let numbers = number_array(
        values,
        "paymentDays",
        "an Int32Array or an array of whole numbers",
    )?;
    let mut days = Vec::with_capacity(numbers.len());
    for (idx, day) in numbers.iter().enumerate() {
        let Some(day) = whole(*day) else {
            return Err(not_whole(&format!("paymentDays[{idx}]")));
        };
        // Outside i32: no date the engine covers, refused as such below.
        days.push(i32::try_from(day).unwrap_or(i32::MAX));
    }
    Ok(days)
}

/// The China annualized rate (IRR method, regular periods) on the fen fast path.
///
/// `advanceFen`: what the borrower receives, whole fen; `paymentsFen`: a `Float64Array` of whole
/// fen, one per period; `periodsPerYear` (12 for monthly). Answers the disclosed rate `r × m` as
/// a decimal string with 6 decimals, the `rate` field `apr` gives for the same flows. Errors: the
/// codes of `apr` (`bad-flows`, `no-solution`, …), `invalid-amount` for fen that are not whole,
/// `out-of-range` above one trillion yuan and `limit-exceeded` above 2,700 payments, at the
/// argument's name (`paymentsFen[3]`).
#[wasm_bindgen(js_name = cnIrrFen)]
pub fn cn_irr_fen(
    advance_fen: f64,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] payments_fen: Option<
        Vec<f64>,
    >,
    periods_per_year: f64,
) -> Result<String, JsValue> {
    let payments_fen = number_array(
        payments_fen,
        "paymentsFen",
        "a Float64Array or an array of numbers",
    )?;
    let periods_per_year = count_arg(periods_per_year, "periodsPerYear")?;
    let payments_fen = payments_fen.as_slice();
    // The usual loan in whole fen: the grid computation `apr` runs for these flows, with no
    // decimal amounts and no effective rate or percents (`cn_irr_fen`); anything it declines
    // (including every refusal) takes the decimal route below.
    // Read once, refused in apr's order: the advance, then the payments.
    let (advance, payments) = (
        whole_fen(advance_fen, "advanceFen"),
        fen_payments(payments_fen),
    );
    let fast = match (&advance, &payments) {
        (Ok(advance), Ok(payments)) => puhui::apr::cn_irr_fen(*advance, payments, periods_per_year),
        _ => None,
    };
    let rate = match fast {
        Some(rate) => rate,
        None => {
            let advance = Decimal::new(advance?, 2);
            puhui::apr::cn_irr(advance, &decimals(&payments?), periods_per_year)
                .map_err(|e| js_error(&e.to_api()))?
                .rate
        }
    };
    Ok(fmt_dp(rate, 6, Rounding::HalfUp))
}

/// The China annualized rate of dated flows (IRR on actual days, domain-math §2; the `apr`
/// request `{method: "cn-irr", advances: [{date, amount}], payments: [{date, amount}], yearDays}`)
/// on the fen fast path.
///
/// `startDate`: the advance's date (`YYYY-MM-DD`); `advanceFen`: what the borrower receives that
/// day, whole fen; `paymentsFen`: each payment, whole fen; `paymentDays`: each payment's day
/// offset from `startDate` (an `Int32Array` of the same length); `yearDays`: 365 (the default of
/// `apr`) or 360. Answers `[rate, effectiveRate]`: the decimal strings (6 decimals) `apr` gives
/// for the same flows. Errors, in apr's order: `invalid-option` for `yearDays`; `bad-flows` for a
/// bad `startDate` or a day offset outside the engine's dates (`paymentDays[i]`); the fen
/// refusals of `cnIrrFen` (`advanceFen`, `paymentsFen[i]`); then what `apr`'s own flow checks and
/// solver refuse, named as `apr` names them (`bad-flows` at `payments[i].date` for a payment
/// before the advance, `no-solution`, …); `invalid-argument` when the arrays differ in length.
#[wasm_bindgen(js_name = cnXirrFen, unchecked_return_type = "[string, string]")]
pub fn cn_xirr_fen(
    #[wasm_bindgen(unchecked_param_type = "string")] start_date: JsValue,
    advance_fen: f64,
    #[wasm_bindgen(unchecked_param_type = "Float64Array | number[]")] payments_fen: Option<
        Vec<f64>,
    >,
    #[wasm_bindgen(unchecked_param_type = "Int32Array | number[]")] payment_days: Option<Vec<f64>>,
    year_days: f64,
) -> Result<js_sys::Array, JsValue> {
    // The arguments' JS types first (`invalid-argument`), as every export checks them.
    let start_date = string_arg(&start_date, "startDate")?;
    let payments_fen = number_array(
        payments_fen,
        "paymentsFen",
        "a Float64Array or an array of numbers",
    )?;
    let payment_days = day_offsets(payment_days)?;
    let (start_date, payments_fen, payment_days) = (
        start_date.as_str(),
        payments_fen.as_slice(),
        payment_days.as_slice(),
    );
    // apr's order: the year basis, then the advance (date, amount), then each payment.
    let apr_error = |e: AprError| js_error(&e.to_api());
    let year_days = read_year_days(count_arg(year_days, "yearDays")?).map_err(apr_error)?;
    if payment_days.len() != payments_fen.len() {
        return Err(crate::wrong_type(
            "paymentDays",
            "an Int32Array as long as paymentsFen",
        ));
    }
    let start = read_flow_date(start_date, || "startDate".into()).map_err(apr_error)?;
    // The usual loan in whole fen on days the engine covers (`cn_xirr_fen` takes only days
    // ascending from 0, so the last day's date bounds them all): the grid computation `apr` runs for these flows, with no
    // dates, decimal amounts or percents (`cn_xirr_fen`); anything it declines (including
    // every refusal) takes the decimal route below.
    let covered = payment_days
        .last()
        .is_some_and(|last| start.add_days(i64::from(*last)).is_some());
    // Read once, refused in apr's order (the advance, each day, then each payment) by the
    // decimal route below.
    let (advance, payments) = (
        whole_fen(advance_fen, "advanceFen"),
        fen_payments(payments_fen),
    );
    let fast = match (covered, &advance, &payments) {
        (true, Ok(advance), Ok(payments)) => {
            puhui::apr::cn_xirr_fen(*advance, payments, payment_days, year_days)
        }
        _ => None,
    };
    let (rate, effective) = match fast {
        Some(pair) => pair,
        None => {
            let advance = [DatedAmount {
                date: start,
                amount: Decimal::new(advance?, 2),
            }];
            let mut dated = Vec::with_capacity(payment_days.len());
            for (idx, days) in payment_days.iter().enumerate() {
                let date = start.add_days(i64::from(*days)).ok_or_else(|| {
                    apr_error(AprError::BadFlows {
                        path: format!("paymentDays[{idx}]"),
                        reason: "not a date the engine covers".into(),
                    })
                })?;
                dated.push(date);
            }
            let payments: Vec<DatedAmount> = payments?
                .iter()
                .zip(dated)
                .map(|(fen, date)| DatedAmount {
                    date,
                    amount: Decimal::new(*fen, 2),
                })
                .collect();
            let rate = puhui::apr::cn_xirr(&advance, &payments, year_days).map_err(apr_error)?;
            (rate.rate, rate.effective_rate)
        }
    };
    Ok(js_sys::Array::of2(
        &fmt_dp(rate, 6, Rounding::HalfUp).into(),
        &fmt_dp(effective, 6, Rounding::HalfUp).into(),
    ))
}
