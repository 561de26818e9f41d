//! The rate equations every regime solves: regular periods (`advance = Σ p_k (1+r)^−k`) and
//! dated flows in whole unit periods plus an Appendix J simple-interest fraction
//! (`Σ a_k (1+i)^−t_k / (1 + f_k·i) = 0`).
//!
//! Owns one decimal solver for both (regular periods are dated flows on whole periods): present
//! and future value, the walks that bracket a positive or a negative root, the scan for several
//! sign changes and the re-solve that keeps rates above 100 % a period exact. That path defines
//! every rate and is the calculator module's only one; the full engine first tries the
//! fixed-point grid (`fixed.rs`) and takes its answer only where every written figure rounds
//! with certainty ([`Figures`]). Root bracketing and Newton are [`crate::solver`]'s; the regimes
//! (`cn.rs`, `regz.rs`, `eu.rs`) choose the time unit and annualize.

use super::{bad_flows, fixed, AprError, MAX_FLOWS};
use crate::money::{from_fen, CheckedOps, Fen, Rounding};
use crate::solver::{self, Bracket, Expansion, Newton, Step};
use rust_decimal::Decimal;

// ---------------------------------------------------------------------------------------------
// Regular periods (China IRR, §2.1)
// ---------------------------------------------------------------------------------------------

/// Solves the periodic rate `r` of `advance` at time 0 repaid by `payments[k-1]` at the end of
/// period k: `advance = Σ payments_k (1+r)^−k`, 20 decimals. Zero-cost flows give exactly zero.
///
/// The flows are dated flows on whole periods, solved by [`solve_unit_rate`]'s decimal path
/// (one sign change: a unique root, bracketed from 0; several: a scan must find exactly one).
/// Errors: `bad-flows` for no or more than `MAX_FLOWS` payments, `no-solution`,
/// `below-range`, `overflow` (a rate past 10^10 % a period).
pub fn periodic_irr(advance: Decimal, payments: &[Decimal]) -> Result<Decimal, AprError> {
    periodic_irr_for(advance, payments, Figures::RATE)
}

/// [`periodic_irr`] for a caller that writes `figures` from the rate: the fixed-point grid's
/// answer is taken only where each figure's rounding is certain ([`Figures::certain`]).
pub(crate) fn periodic_irr_for(
    advance: Decimal,
    payments: &[Decimal],
    figures: Figures,
) -> Result<Decimal, AprError> {
    if payments.is_empty() || payments.len() > MAX_FLOWS {
        return Err(bad_flows(
            "payments",
            crate::error::concat(&[
                "between 1 and ",
                &crate::error::uint(MAX_FLOWS as u64),
                " payments are required",
            ]),
        ));
    }
    let mut coefficients = Vec::with_capacity(payments.len() + 1);
    coefficients.push(-advance);
    coefficients.extend_from_slice(payments);
    // The usual loan in whole fen: the grid's root (full engine), or the decimal polish seeded
    // from it, when every figure rounds with certainty.
    {
        if let Some((v, error)) = regular_fen(advance, payments)
            .and_then(|(advance, payments)| fixed::regular_root(advance, &payments))
        {
            if let Some(rate) = fixed::small_rate(v).filter(|rate| {
                error.is_some_and(|units| figures.certain(*rate, fixed::relative_error(units)))
            }) {
                return Ok(rate);
            }
            if let Some(seed) = fixed::rate_from_grid(v) {
                let flows = regular_flows(&coefficients);
                if let Some(rate) = polish_rate(&flows, seed, seed_spread(error.is_some()))
                    .ok()
                    .filter(|rate| figures.certain(*rate, POLISHED_ERROR))
                {
                    return Ok(rate.round_dp(20));
                }
            }
        }
    }
    // The decimal path, the definition (and the calculator module's only path): regular periods
    // are dated flows on whole periods, solved as every regime's are.
    solve_timed(&regular_flows(&coefficients), figures, false)
}

/// `advance` and `payments` in whole fen when every one is grid money ([`fixed::grid_fen`]).
fn regular_fen(advance: Decimal, payments: &[Decimal]) -> Option<(i64, Vec<i64>)> {
    let fen = |amount: Decimal| i64::try_from(fixed::grid_fen(amount)?).ok();
    let mut fens = Vec::with_capacity(payments.len());
    for payment in payments {
        fens.push(fen(*payment)?);
    }
    Some((fen(advance)?, fens))
}

/// Regular periods as timed flows (coefficient k at the end of period k).
fn regular_flows(coefficients: &[Decimal]) -> Vec<TimedFlow> {
    coefficients
        .iter()
        .enumerate()
        .map(|(k, c)| TimedFlow {
            amount: -*c,
            periods: u64::try_from(k).unwrap_or(u64::MAX),
            fraction: Decimal::ZERO,
        })
        .collect()
}

/// A bound of the relative error of the growth factor `1 + r` of a rate [`polish_rate`]
/// certifies (within 10^−17 of the rate, relative): 10^−17.
const POLISHED_ERROR: Decimal = Decimal::from_parts(1, 0, 0, false, 17);

/// The figures a caller writes from a solved unit rate `r`: `r` itself to 12 decimals (the
/// `periodicRate` / `unitPeriodRate`), `r × simple` to 6 and 4 decimals (an annual rate and its
/// 2-decimal percent) and `(1 + r)^compound − 1` to 6, 4 and 3 decimals (an effective rate and
/// its percent).
///
/// A fast answer (the fixed-point grid's root, or the decimal polish seeded from it) is taken
/// only when every figure's rounding is certain ([`Figures::certain`]); elsewhere the decimal
/// path decides — the calculator module's only path — so both modules write the same text and
/// that text is the rounding of the exact root. Before this check the grid's root answered every
/// resolved loan, and a compound rate magnified its last bits: an EU APRC over 365 daily units
/// of 393363197440.910703 was written 393363197440.291122.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    /// The multiplier of the simple annual rate (periods or units a year), if one is written.
    pub simple: Option<Decimal>,
    /// The exponent of the compound rate (periods or units a year), if one is written.
    pub compound: Option<u32>,
}

impl Figures {
    /// The rate alone (12 decimals): [`periodic_irr`] and [`solve_unit_rate`].
    pub const RATE: Figures = Figures {
        simple: None,
        compound: None,
    };

    /// Whether every figure written from `rate`, known to within a relative error `error` of
    /// its growth factor (|δ(1 + r)| ≤ error · (1 + r), a grid root's δv/v), rounds half-up as
    /// the same figure of the exact root does: no rounding boundary lies within the figure's
    /// error. The compound figure's error is `compound · (1 + X) · error`, doubled for the
    /// decimal power's own rounding; `false` when any step overflows.
    pub fn certain(&self, rate: Decimal, error: Decimal) -> bool {
        self.check(rate, error).unwrap_or(false)
    }

    /// The fen doors' one figure: whether `rate × per_year` (the annual rate, 6 decimals, all
    /// that `cnIrrFen` and `cnXirrFen` write of it) rounds with certainty. The simple figure of
    /// [`Figures::certain`] alone: no 12-decimal rate, percent or power (speed: about 0.7 µs a
    /// call less).
    pub(crate) fn annual_rate_certain(rate: Decimal, error: Decimal, per_year: u32) -> bool {
        let per_year = Decimal::from(per_year);
        rate_error(rate, error)
            .and_then(|delta| rounds_alike(rate.times(per_year)?, delta.times(per_year)?, &[6]))
            .unwrap_or(false)
    }

    fn check(&self, rate: Decimal, error: Decimal) -> Result<bool, AprError> {
        let delta = rate_error(rate, error)?;
        if !rounds_alike(rate, delta, &[12])? {
            return Ok(false);
        }
        if let Some(simple) = self.simple {
            if !rounds_alike(rate.times(simple)?, delta.times(simple.abs())?, &[6, 4])? {
                return Ok(false);
            }
        }
        if let Some(exponent) = self.compound {
            let power = super::pow(Decimal::ONE.plus(rate)?, u64::from(exponent))?;
            let spread = power
                .times(Decimal::from(exponent))?
                .times(error.plus(WRITTEN_LAST)?)?
                .times(Decimal::TWO)?;
            if !rounds_alike(power.minus(Decimal::ONE)?, spread, &[6, 4, 3])? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The last decimal a solved rate carries (it is written rounded to 20 decimals).
const WRITTEN_LAST: Decimal = Decimal::from_parts(1, 0, 0, false, 20);

/// The absolute error of `rate` whose growth factor is known to a relative `error`:
/// `(1 + r) · error`, plus the last of its 20 written decimals.
fn rate_error(rate: Decimal, error: Decimal) -> Result<Decimal, AprError> {
    Ok(Decimal::ONE.plus(rate)?.times(error)?.plus(WRITTEN_LAST)?)
}

/// Whether `[value − error, value + error]` holds no half-up boundary (an odd multiple of half
/// a unit of the last decimal) of any of `decimals`, so every value in it rounds alike.
fn rounds_alike(value: Decimal, error: Decimal, decimals: &[u32]) -> Result<bool, AprError> {
    for dp in decimals {
        // No division (the fen doors run this per call): boundaries (k + ½)·unit become
        // multiples of the unit, and the offset past one is what truncation drops.
        let unit = Decimal::new(1, *dp);
        let shifted = value.abs().plus(Decimal::new(5, dp + 1))?;
        let truncated = shifted.round_dp_with_strategy(*dp, Rounding::Down.strategy());
        let offset = shifted.minus(truncated)?;
        let distance = offset.min(unit.minus(offset)?);
        if distance <= error {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The largest unit-period rate [`polish_rate`] answers: 10^8 (10^10 %).
const MAX_POLISHED_RATE: Decimal = Decimal::from_parts(100_000_000, 0, 0, false, 0);

/// [`polish_rate`] of a rate above 100 % a unit period found in decimals (`polish_if_large`).
fn polish_large_rate(flows: &[TimedFlow], rate: Decimal) -> Result<Decimal, AprError> {
    polish_rate(flows, rate, 9)
}

/// The relative half-width (10^−`spread` of the rate) of [`polish_rate`]'s bracket around a
/// grid root: a resolved root is within 10^−9 of the truth; an unresolved one
/// (`fixed::resolved`: a payment worth over a million times its discounted value) was found
/// within about 10^−7 (0.09 repaid by 10^12 a year later: 1.3·10^−8).
fn seed_spread(resolved: bool) -> u32 {
    if resolved {
        9
    } else {
        5
    }
}

/// Above 100 % a unit period the root was found as a discount factor v = 1/(1+r) < ½ on a
/// grid of absolute precision, and r = 1/v − 1 inherits a relative error of δv/v, which
/// grows without bound as v → 0 (a rate of 10^7 per period lost five integer-digit-relevant
/// decimals); and flows the grid does not resolve lose digits at any rate. This re-solves in
/// the rate itself, in a bracket of ±10^−`spread` relative around the first answer, and
/// certifies it: the equation must change sign across the final bracket, else the rate is
/// refused with `overflow` rather than returned with wrong digits.
fn polish_rate(flows: &[TimedFlow], rate: Decimal, spread: u32) -> Result<Decimal, AprError> {
    // The equation's terms carry a relative error of about 10^−28 · r (the discount factor's
    // 28 decimals), so r itself is known to about 10^−28 · r²: above 10^8 a unit period (10^10 %)
    // that is no longer below what `rate`'s 6 decimals need, and the sign test below could pass
    // on noise. Such rates are refused (0.01 repaid by 10^12 a month later answered
    // 1199999999999986.108740 for 1199999999999988).
    if rate.abs() > MAX_POLISHED_RATE {
        return Err(AprError::Overflow);
    }
    let mut sorted = flows.to_vec();
    crate::sort::sort_by(&mut sorted, |a, b| {
        a.periods.cmp(&b.periods).then(a.fraction.cmp(&b.fraction))
    });
    let eval = |i: Decimal| timed_npv(&sorted, i);
    let spread = rate.abs().times(Decimal::new(1, spread))?;
    let lo = rate.minus(spread)?;
    let hi = rate.plus(spread)?;
    let (f_lo, _) = eval(lo).ok_or(AprError::Overflow)?;
    let (f_hi, _) = eval(hi).ok_or(AprError::Overflow)?;
    if f_lo.is_zero() {
        return Ok(lo);
    }
    if f_hi.is_zero() {
        return Ok(hi);
    }
    if f_lo.is_sign_negative() == f_hi.is_sign_negative() {
        return Err(AprError::Overflow);
    }
    let bracket = Bracket {
        lo,
        hi,
        lo_negative: f_lo.is_sign_negative(),
    };
    // Relative tolerance 10^−20 of the rate, and never coarser than 10^−12.
    let settings = Newton {
        iterate_dp: 24,
        x_tolerance: rate
            .abs()
            .times(Decimal::new(1, 20))?
            .clamp(Decimal::new(1, 24), Decimal::new(1, 12)),
        max_evaluations: 200,
    };
    let polished = solver::newton_in_bracket(eval, bracket, rate, settings)?;
    // Certify: the equation changes sign within a relative 10^−17 of the answer and within
    // 10^−10 absolute, finer than the reported `rate` needs (r·m to 6 decimals, m ≤ 365: r to
    // 1.4·10^−9). A rate whose equation decimals cannot resolve that (far above 10^10 a
    // period) is refused with `overflow`: wrong digits are never written.
    let margin = polished
        .abs()
        .times(Decimal::new(1, 17))?
        .min(Decimal::new(1, 10));
    let below = eval(polished.minus(margin)?).ok_or(AprError::Overflow)?.0;
    let above = eval(polished.plus(margin)?).ok_or(AprError::Overflow)?.0;
    let crosses =
        below.is_zero() || above.is_zero() || below.is_sign_negative() != above.is_sign_negative();
    if !crosses {
        return Err(AprError::Overflow);
    }
    Ok(polished)
}

/// One flow of a dated rate equation, already placed on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedFlow {
    /// Signed amount: advances (money to the borrower) positive, payments negative.
    pub amount: Decimal,
    /// Whole unit periods from the start of the term.
    pub periods: u64,
    /// Remaining fraction of a unit period, earning simple interest (Appendix J); 0 otherwise.
    pub fraction: Decimal,
}

/// `F(i) = Σ a_k (1+i)^−t_k / (1 + f_k·i)` and `F'(i)`, flows sorted by time.
fn timed_npv(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    let growth = Decimal::ONE.plus(rate).ok()?;
    let discount = Decimal::ONE.over(growth).ok()?;
    let mut power = Decimal::ONE;
    let mut at_periods = 0_u64;
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    // Gaps between flows repeat (28–31 days, one unit period): compute each power once.
    let mut gap_powers: Vec<(u64, Decimal)> = Vec::new();
    for flow in flows {
        if flow.periods > at_periods {
            let gap = flow.periods - at_periods;
            let gap_power = match gap_powers.iter().find(|(g, _)| *g == gap) {
                Some((_, p)) => *p,
                None => {
                    let p = super::powu(discount, gap)?;
                    if gap_powers.len() < 16 {
                        gap_powers.push((gap, p));
                    }
                    p
                }
            };
            power = power.times(gap_power).ok()?;
            at_periods = flow.periods;
        }
        let (factor, fraction_term) = if flow.fraction.is_zero() {
            (power, Decimal::ZERO)
        } else {
            let simple = Decimal::ONE.plus(flow.fraction.times(rate).ok()?).ok()?;
            (power.over(simple).ok()?, flow.fraction.over(simple).ok()?)
        };
        let discounted = flow.amount.times(factor).ok()?;
        value = value.plus(discounted).ok()?;
        // d/di of (1+i)^−t (1+f·i)^−1 = −factor · (t/(1+i) + f/(1+f·i)).
        let log_slope = Decimal::from(flow.periods)
            .times(discount)
            .ok()?
            .plus(fraction_term)
            .ok()?;
        slope = slope.minus(discounted.times(log_slope).ok()?).ok()?;
    }
    Some((value, slope))
}

/// `G(i) = F(i)·(1+i)^T = Σ a_k (1+i)^(T−t_k) / (1 + f_k·i)` and `G'(i)`, flows sorted by
/// time, T the last flow's whole periods: the future-value form of [`timed_npv`], with the
/// same sign and the same roots for i > −1. Used for negative rates, where the present-value
/// form raises `1/(1+i) > 1` to the number of periods and overflows (2^365 for −50 % a day);
/// here every power is at most 1.
fn timed_fv(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    let growth = Decimal::ONE.plus(rate).ok()?;
    let horizon = flows.last()?.periods;
    let mut power = Decimal::ONE;
    let mut at_periods = horizon;
    let mut value = Decimal::ZERO;
    let mut slope = Decimal::ZERO;
    for flow in flows.iter().rev() {
        if flow.periods < at_periods {
            power = power
                .times(super::powu(growth, at_periods - flow.periods)?)
                .ok()?;
            at_periods = flow.periods;
        }
        let ahead = Decimal::from(horizon - flow.periods);
        let simple = Decimal::ONE.plus(flow.fraction.times(rate).ok()?).ok()?;
        let term = flow.amount.times(power).ok()?.over(simple).ok()?;
        value = value.plus(term).ok()?;
        // d/di of (1+i)^n (1+f·i)^−1 = factor · (n/(1+i) − f/(1+f·i)).
        if !term.is_zero() {
            let log_slope = ahead
                .over(growth)
                .ok()?
                .minus(flow.fraction.over(simple).ok()?)
                .ok()?;
            slope = slope.plus(term.times(log_slope).ok()?).ok()?;
        }
    }
    Some((value, slope))
}

/// [`timed_npv`] for i ≥ 0, [`timed_fv`] below: the same sign everywhere, no overflow on
/// either side.
fn timed_value(flows: &[TimedFlow], rate: Decimal) -> Option<(Decimal, Decimal)> {
    if rate.is_sign_negative() {
        timed_fv(flows, rate)
    } else {
        timed_npv(flows, rate)
    }
}

/// Decimals of the unit-period rate iterate on dated flows.
const DATED_ITERATE_DP: u32 = 24;

/// `F(0) = Σ a_k` and `F'(0) = −Σ a_k (t_k + f_k)` of dated flows: on whole fen when every
/// flow is grid money at a whole number of periods (China XIRR on days: no Appendix J
/// fraction), exact `i128` sums with no decimal operation per flow; else in checked decimals.
/// Both give the same values.
fn timed_sums(flows: &[TimedFlow]) -> Result<(Decimal, Decimal), AprError> {
    let fen_sums = || {
        // Every product and partial sum stays within what a `Decimal` holds (2^96 fen), so a
        // flow set the decimal path refuses with `overflow` takes that path and is refused the
        // same way, never answered here.
        let within = |value: Fen| (value.unsigned_abs() < 1 << 96).then_some(value);
        let (mut sum, mut slope): (Fen, Fen) = (0, 0);
        for flow in flows {
            if !flow.fraction.is_zero() {
                return None;
            }
            let fen = fixed::grid_fen(flow.amount)?;
            sum = within(sum.checked_add(fen)?)?;
            let moment = within(fen.checked_mul(Fen::from(flow.periods))?)?;
            slope = within(slope.checked_sub(moment)?)?;
        }
        Some((from_fen(sum).ok()?, from_fen(slope).ok()?))
    };
    if let Some(sums) = fen_sums() {
        return Ok(sums);
    }
    let mut sum = Decimal::ZERO;
    let mut slope_at_zero = Decimal::ZERO;
    for flow in flows {
        sum = sum.plus(flow.amount)?;
        let time = Decimal::from(flow.periods).plus(flow.fraction)?;
        slope_at_zero = slope_at_zero.minus(flow.amount.times(time)?)?;
    }
    Ok((sum, slope_at_zero))
}

/// Solves the unit-period rate `i` of dated flows (`Σ a_k (1+i)^−t_k / (1+f_k·i) = 0`).
///
/// Flows are sorted by time; with one sign change in time order the root is unique
/// (Descartes) and bracketed from 0 outward, with the closed-form Newton step from 0 as the
/// first iterate. With several sign changes a scan must find exactly one crossing.
pub fn solve_unit_rate(flows: &[TimedFlow]) -> Result<Decimal, AprError> {
    solve_unit_rate_for(flows, Figures::RATE)
}

/// [`solve_unit_rate`] for a caller that writes `figures` from the rate: the fixed-point grid's
/// answer is taken only where each figure's rounding is certain ([`Figures::certain`]).
pub(crate) fn solve_unit_rate_for(
    flows: &[TimedFlow],
    figures: Figures,
) -> Result<Decimal, AprError> {
    solve_timed(flows, figures, true)
}

/// [`solve_unit_rate_for`], trying the fixed-point grid first when `grid`.
fn solve_timed(flows: &[TimedFlow], figures: Figures, grid: bool) -> Result<Decimal, AprError> {
    if flows.len() < 2 || flows.len() > MAX_FLOWS + 1 {
        return Err(bad_flows(
            "payments",
            crate::error::concat(&[
                "between 2 and ",
                &crate::error::uint(MAX_FLOWS as u64 + 1),
                " flows are required",
            ]),
        ));
    }
    let mut sorted = flows.to_vec();
    crate::sort::sort_by(&mut sorted, |a, b| {
        a.periods.cmp(&b.periods).then(a.fraction.cmp(&b.fraction))
    });
    // Descartes' rule counts the signs of the equation's coefficients, and flows at one instant
    // are one coefficient: their sum (an advance repaid the same day is no flow at all, so
    // `100 in, 100 out on day 0, 0.01 out ten years later` has no root).
    let mut net: Vec<Decimal> = Vec::with_capacity(sorted.len());
    let mut instant = None;
    for flow in &sorted {
        let at = Some((flow.periods, flow.fraction));
        match net.last_mut() {
            Some(last) if instant == at => *last = last.plus(flow.amount)?,
            _ => net.push(flow.amount),
        }
        instant = at;
    }
    let changes = solver::sign_changes(net.iter().copied());
    if changes == 0 {
        return Err(AprError::NoSolution);
    }
    let eval = |rate: Decimal| timed_value(&sorted, rate);
    let settings = Newton {
        iterate_dp: DATED_ITERATE_DP,
        x_tolerance: Decimal::new(1, DATED_ITERATE_DP - 1),
        max_evaluations: 300,
    };
    let (sum, slope_at_zero) = timed_sums(&sorted)?;
    if changes > 1 {
        let (lo, hi) = solver::scan_bracket(eval, &dated_scan_points())?;
        return polish_if_large(&sorted, solver::solve_bracketed(eval, lo, hi)?);
    }
    if sum.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let first_negative = net
        .iter()
        .find(|amount| !amount.is_zero())
        .is_some_and(|amount| amount.is_sign_negative());
    // F(0) = Σ a; F(i) takes the sign of the earliest flow as i → ∞ and of the latest as
    // i → −1, so the root lies above 0 exactly when the sum's sign differs from the first's.
    let positive_root = sum.is_sign_negative() != first_negative;
    let first_step = if slope_at_zero.is_zero() {
        Decimal::ZERO
    } else {
        (-sum).over(slope_at_zero)?
    };
    let sum_negative = sum.is_sign_negative();
    let starts_with_advance = sorted
        .first()
        .is_some_and(|f| f.periods == 0 && f.fraction.is_zero())
        && net.first().is_some_and(|amount| *amount > Decimal::ZERO);
    if grid && positive_root && starts_with_advance {
        // The usual loan: money in at time 0, more money out later. First Newton step from
        // v = 1: v₁ = 1 − F(1)/F'(1) with F'(1) = Σ a·(t + f) = −slope_at_zero.
        let flows = &sorted;
        if let Some((v, error)) = fixed::solve_sparse(flows) {
            if let Some(rate) = fixed::small_rate(v).filter(|rate| {
                error.is_some_and(|units| figures.certain(*rate, fixed::relative_error(units)))
            }) {
                return Ok(rate);
            }
            // A root the grid does not answer for (over 100 % a unit period, or flows it does
            // not resolve) seeds the decimal polish; when that cannot certify it, the walk
            // below solves the flows in decimals instead of refusing.
            if let Some(v) = fixed::grid_to_decimal(v).filter(|v| *v > Decimal::ZERO) {
                let rate = Decimal::ONE.over(v)?.minus(Decimal::ONE)?;
                if let Some(rate) = polish_rate(flows, rate, seed_spread(error.is_some()))
                    .ok()
                    .filter(|rate| figures.certain(*rate, POLISHED_ERROR))
                {
                    return Ok(rate.round_dp(20));
                }
            }
        }
    }
    let walk = if positive_root {
        walk_to_positive_root(eval, sum_negative, first_step)?
    } else {
        walk_to_negative_root(eval, sum_negative, first_step)?
    };
    let bracket = match walk {
        Expansion::Root(rate) => return Ok(rate.round_dp(20)),
        Expansion::Bracket(bracket) => bracket,
        // One sign change guarantees a root above 0: it lies beyond 10^8 % a period.
        Expansion::Unevaluable | Expansion::Exhausted if positive_root => {
            return Err(AprError::Overflow)
        }
        // One sign change guarantees a root in (−1, 0): the walk came within 2^−120 of −1.
        Expansion::Unevaluable | Expansion::Exhausted => return Err(AprError::BelowRange),
    };
    let rate = solver::newton_in_bracket(eval, bracket, first_step, settings)?;
    polish_if_large(&sorted, rate)
}

/// The far end of a positive root's bracket: from twice the first Newton step (or 100 %)
/// doubling outward, up to 10^10 % a unit period (`MAX_POLISHED_RATE`); `F(0) = Σ a` has the sign
/// `sum_negative`.
fn walk_to_positive_root(
    eval: impl FnMut(Decimal) -> solver::Evaluation,
    sum_negative: bool,
    first_step: Decimal,
) -> Result<Expansion, AprError> {
    let start = if first_step > Decimal::ZERO {
        first_step.times(Decimal::TWO)?
    } else {
        Decimal::ONE
    };
    // Up to the largest rate the polish answers (`MAX_POLISHED_RATE`), so the decimal path
    // answers every rate the grid-seeded polish does (one day at 999,999,900 % a day).
    let step = Step::Double {
        limit: MAX_POLISHED_RATE,
    };
    Ok(solver::expand_bracket(
        eval,
        Decimal::ZERO,
        sum_negative,
        start,
        80,
        step,
    )?)
}

/// The far end of a negative root's bracket: from the first Newton step (or −50 %)
/// doubling toward −1, then halving the distance to −1 instead of crossing it.
fn walk_to_negative_root(
    eval: impl FnMut(Decimal) -> solver::Evaluation,
    sum_negative: bool,
    first_step: Decimal,
) -> Result<Expansion, AprError> {
    let half_down = Decimal::new(-5, 1);
    let start = if first_step < Decimal::ZERO && first_step > Decimal::NEGATIVE_ONE {
        first_step
    } else {
        half_down
    };
    let step = Step::TowardPole {
        switch: half_down,
        pole: Decimal::NEGATIVE_ONE,
    };
    Ok(solver::expand_bracket(
        eval,
        Decimal::ZERO,
        sum_negative,
        start,
        120,
        step,
    )?)
}

/// Rates above 100 % a unit period go through [`polish_large_rate`].
fn polish_if_large(sorted: &[TimedFlow], rate: Decimal) -> Result<Decimal, AprError> {
    let rate = if rate > Decimal::ONE {
        polish_large_rate(sorted, rate)?
    } else {
        rate
    };
    Ok(rate.round_dp(20))
}

/// Unit-period rates from about −99.9 % to +100,000 % for the multiple-sign-change scan,
/// increasing: a geometric grid of positive rates and its mirror image `−x/(1+x)`.
fn dated_scan_points() -> Vec<Decimal> {
    let mut positive = Vec::with_capacity(140);
    let mut x = Decimal::new(1, 9);
    let step = Decimal::new(13, 1);
    while x < Decimal::from(1000) {
        positive.push(x);
        // Never overflows (x < 1000); the shared multiply.
        let Ok(next) = x.times(step) else { break };
        x = next;
    }
    // A loop rather than a `filter_map` adapter and `collect` (size).
    let mut points: Vec<Decimal> = Vec::with_capacity(2 * positive.len() + 1);
    for x in positive.iter().rev() {
        if let Some(mirror) = Decimal::ONE
            .plus(*x)
            .ok()
            .and_then(|growth| x.over(growth).ok())
        {
            points.push(-mirror);
        }
    }
    points.push(Decimal::ZERO);
    points.extend(positive);
    points
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A figure is certain only when no half-up boundary lies within its error: an exact tie
    /// never is, a value one unit of the next decimal away is until the error reaches it.
    #[test]
    fn rounds_alike_sees_the_boundaries() {
        let d = |text: &str| text.parse::<Decimal>().unwrap();
        assert!(!rounds_alike(d("0.1234565"), Decimal::ZERO, &[6]).unwrap());
        assert!(rounds_alike(d("0.1234564"), d("0.00000001"), &[6]).unwrap());
        assert!(!rounds_alike(d("0.1234564"), d("0.0000002"), &[6]).unwrap());
        assert!(rounds_alike(d("-0.1234564"), d("0.00000001"), &[6]).unwrap());
        // 0.12345 is a boundary of 4 decimals, not of 6.
        assert!(rounds_alike(d("0.1234500001"), d("0.000000001"), &[6]).unwrap());
        assert!(!rounds_alike(d("0.1234500001"), d("0.000000001"), &[6, 4]).unwrap());
    }

    /// A flow set whose decimal moments overflow is refused as before (`overflow`), even when
    /// the exact integer sums would cancel: the fen path never answers what the decimal path
    /// refuses.
    #[test]
    fn timed_sums_refuse_what_the_decimal_sums_refuse() {
        let flow = |amount: i64, periods: u64| TimedFlow {
            amount: Decimal::new(amount, 2),
            periods,
            fraction: Decimal::ZERO,
        };
        let period = 800_000_000_000_000_000;
        let flows = [
            flow(100_000, 0),
            flow(10_000_000_000_000, period - 1),
            flow(-10_000_000_110_000, period),
        ];
        assert!(matches!(timed_sums(&flows), Err(AprError::Overflow)));
        assert!(matches!(solve_unit_rate(&flows), Err(AprError::Overflow)));
    }

    /// The fen sums of [`timed_sums`] equal the decimal sums (value and text) for dated flows
    /// on whole periods; a flow with an Appendix J fraction or off the fen grid takes the
    /// decimal path.
    #[test]
    fn timed_fen_sums_are_the_decimal_sums() {
        let mut next = crate::schedule::test_cases(0x0dd_da7e);
        for _ in 0..20_000 {
            let count = usize::try_from(next(60) + 2).unwrap();
            let flows: Vec<TimedFlow> = (0..count)
                .map(|k| {
                    let fen = i128::from(next(100_000_000)) - 50_000_000;
                    let amount = match next(4) {
                        0 if fen % 100 == 0 => Decimal::from_i128_with_scale(fen / 100, 0),
                        1 => Decimal::from_i128_with_scale(fen * 10, 3),
                        2 if next(20) == 0 => Decimal::from_i128_with_scale(fen * 10 + 3, 3),
                        _ => Decimal::from_i128_with_scale(fen, 2),
                    };
                    let fraction = if next(30) == 0 {
                        Decimal::new(i64::try_from(next(1000)).unwrap(), 3)
                    } else {
                        Decimal::ZERO
                    };
                    TimedFlow {
                        amount,
                        periods: next(20_000) + u64::try_from(k).unwrap(),
                        fraction,
                    }
                })
                .collect();
            let (mut sum, mut slope) = (Decimal::ZERO, Decimal::ZERO);
            for flow in &flows {
                sum += flow.amount;
                slope -= flow.amount * (Decimal::from(flow.periods) + flow.fraction);
            }
            let (fen_sum, fen_slope) = timed_sums(&flows).unwrap();
            assert_eq!((fen_sum, fen_slope), (sum, slope));
            if !slope.is_zero() {
                let start = |s: Decimal, d: Decimal| (Decimal::ONE + s / d).to_string();
                assert_eq!(start(fen_sum, fen_slope), start(sum, slope));
            }
        }
    }
}
