//! The second pass: what each eligible program pays, period by period, in program order.
//!
//! Owns the program's terms (`s = min(rate, maxShareOfContractRate × contract rate)` and the
//! eligible amount after `perTransactionBaseCap`), the §5.1 formula for one period (one
//! division, one rounding with the loan's rounding rule), and the reason a program that pays
//! nothing gets. What a period may still be paid under the caps is the
//! [`CapLedger`]'s to say.
//! It must not decide eligibility: it pays the days [`super::eligibility`] allowed.

use super::eligibility::Plan;
use super::ledger::{used_program, CapLedger};
use super::messages::reason;
use super::timeline::Row;
use super::{CapBound, Facts, Program, ProgramResult, Reason};
use super::{Overflow, SubsidyBase, SubsidyUsed};
use crate::money::CheckedOps;
use crate::stacking::promo::PromoOutcome;
use rust_decimal::Decimal;

/// What the programs paid.
pub(super) struct Payout {
    /// Subsidy per period, all programs together.
    pub(super) per_period: Vec<Decimal>,
    /// Caps that bound, in period order per program.
    pub(super) caps_bound: Vec<CapBound>,
    /// Per program, in the order given.
    pub(super) programs: Vec<ProgramResult>,
    /// The steps that ran: the promotion kinds, then `subsidy:<program id>` for each program
    /// that paid.
    pub(super) applied: Vec<String>,
    /// s of the first program that paid.
    pub(super) first_rate: Option<Decimal>,
}

/// Pays every eligible program in order, each under its caps and within the charge the
/// promotions and earlier programs left.
pub(super) fn pay_programs(
    programs: &[Program],
    plans: &[Plan],
    facts: &Facts<'_>,
    used: &SubsidyUsed,
    promoted: &PromoOutcome,
    reasons: &mut Vec<Reason>,
    assumptions: &mut Vec<Reason>,
) -> Result<Payout, Overflow> {
    let rows = &facts.timeline.rows;
    let n_periods = rows.len();
    let mut charge_left: Vec<Decimal> = promoted
        .periods
        .iter()
        .map(|p| p.remaining_charge)
        .collect();
    let takes_used = used_program(plans, rows);
    let mut payout = Payout {
        per_period: vec![Decimal::ZERO; n_periods],
        caps_bound: Vec::new(),
        programs: Vec::with_capacity(programs.len()),
        applied: promoted
            .applied_order
            .iter()
            .map(|kind| (*kind).to_owned())
            .collect(),
        first_rate: None,
    };
    for (program_idx, (program, plan)) in programs.iter().zip(plans).enumerate() {
        let mut result = program_terms(program, facts, n_periods)?;
        if !plan.eligible {
            payout.programs.push(result);
            continue;
        }
        let mut ledger = CapLedger::open(
            program,
            &mut charge_left,
            used,
            takes_used == Some(program_idx),
            facts.transaction_amount,
            facts.timeline.anchor.is_some(),
            assumptions,
        )?;
        let mut any_formula = false;
        for (period_idx, row) in rows.iter().enumerate() {
            let inside = plan.inside_days[period_idx];
            let formula = period_formula(program, &result, row, inside, facts)?;
            any_formula |= !formula.is_zero();
            if formula.is_zero() {
                continue;
            }
            let allowance = ledger.allowance(period_idx, row.year, formula)?;
            ledger.record(&allowance)?;
            let amount = allowance.amount;
            if let Some(slot) = result.per_period.get_mut(period_idx) {
                *slot = amount;
            }
            if let Some(slot) = payout.per_period.get_mut(period_idx) {
                *slot = (*slot).plus(amount)?;
            }
            result.total = result.total.plus(amount)?;
        }
        let ledger_exhausted = ledger.exhausted_at_first();
        payout.caps_bound.append(&mut ledger.into_bound());
        if result.total.is_zero() {
            // Why the program paid nothing: a cap already used up, no charge left to reimburse
            // (or a zero rate), or a formula below one fen in every period.
            let code = if ledger_exhausted {
                "cap-exhausted"
            } else if any_formula || result.subsidy_rate.is_zero() {
                "no-interest-charged"
            } else {
                "below-one-fen"
            };
            reasons.push(reason(code, program, ""));
        } else {
            result.applied = true;
            payout.applied.push(format!("subsidy:{}", program.id));
            if payout.first_rate.is_none() {
                payout.first_rate = Some(result.subsidy_rate);
            }
        }
        payout.programs.push(result);
    }
    Ok(payout)
}

/// The program's subsidy rate s and eligible amount E, in a result that has paid nothing yet.
fn program_terms(
    program: &Program,
    facts: &Facts<'_>,
    n_periods: usize,
) -> Result<ProgramResult, Overflow> {
    let share_limit = match program.max_share_of_contract_rate {
        Some(share) => Some(share.times(facts.contract_rate)?),
        None => None,
    };
    let subsidy_rate = match share_limit {
        Some(limit) => program.rate.min(limit),
        None => program.rate,
    };
    let eligible_amount = match program.per_transaction_base_cap {
        Some(cap) => facts.transaction_amount.min(cap),
        None => facts.transaction_amount,
    };
    Ok(ProgramResult {
        id: program.id.clone(),
        name: program.name.clone(),
        applied: false,
        subsidy_rate,
        rate_capped_by_share: subsidy_rate < program.rate,
        eligible_amount,
        total: Decimal::ZERO,
        per_period: vec![Decimal::ZERO; n_periods],
    })
}

/// The §5.1 amount of one period before caps, rounded to the fen; 0 when the period accrues
/// nothing the program covers (`inside` uncovered days of its accrual span).
fn period_formula(
    program: &Program,
    terms: &ProgramResult,
    row: &Row,
    inside: i64,
    facts: &Facts<'_>,
) -> Result<Decimal, Overflow> {
    let span_days = row.end_day - row.accrual_start_day;
    if inside == 0 || row.accrual_numerator.is_zero() || span_days <= 0 {
        return Ok(Decimal::ZERO);
    }
    let loan = facts.loan;
    let base = match program.base {
        SubsidyBase::Outstanding => row.opening_balance,
        SubsidyBase::Original => loan.principal,
    };
    // E × share × base × s × accrual × inside ÷ (P × span): one division, one rounding,
    // so exact half-fen amounts round as the rule says. Factors that cancel (E = P, a
    // period wholly inside) are left out to keep the product far from the decimal range.
    let mut numerator_factors = vec![
        program.eligible_share,
        base,
        terms.subsidy_rate,
        row.accrual_numerator,
    ];
    let mut denominator_factors = vec![row.accrual_denominator];
    if terms.eligible_amount != loan.principal {
        numerator_factors.push(terms.eligible_amount);
        denominator_factors.push(loan.principal);
    }
    if inside != span_days {
        numerator_factors.push(Decimal::from(inside));
        denominator_factors.push(Decimal::from(span_days));
    }
    let product = |factors: &[Decimal]| {
        factors
            .iter()
            .try_fold(Decimal::ONE, |acc, factor| acc.times(*factor))
    };
    let numerator = product(&numerator_factors)?;
    let denominator = product(&denominator_factors)?;
    Ok(loan.rounding.money(numerator.over(denominator)?))
}
