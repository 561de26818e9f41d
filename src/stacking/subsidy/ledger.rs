//! The cap ledger: what one program may still pay in a period, and the record of what it paid.
//!
//! Owns the four limits on a period's subsidy, in the order they are reported: the charge the
//! period has left after promotions and earlier programs (`interest-charged`), the
//! per-transaction cap, the per-borrower cap (one balance per scope: the policy period, or each
//! calendar year of a `per-year` cap) and the small-consumption cap; which program's cap takes
//! the amount already used (`subsidyUsed`); and the [`CapBound`] entries for the caps that bound.
//! Caps bind cumulatively in period order: the period where a cap binds gets the remainder and
//! later periods 0. It must not compute the §5.1 formula; [`super::payout`] hands it in.

use super::eligibility::Plan;
use super::messages::reason;
use super::timeline::Row;
use super::{CapBound, CapScope, Overflow, Program, Reason, SubsidyUsed};
use crate::money::CheckedOps;
use rust_decimal::Decimal;

/// The program whose cap `subsidyUsed` counts against: the eligible one with the earliest
/// subsidised day (module docs, **Amount already used**).
pub(super) fn used_program(plans: &[Plan], rows: &[Row]) -> Option<usize> {
    plans
        .iter()
        .enumerate()
        .filter(|(_, plan)| plan.eligible)
        .filter_map(|(idx, plan)| {
            rows.iter()
                .zip(&plan.inside_days)
                .filter(|(_, days)| **days > 0)
                .map(|(row, _)| row.accrual_start_day.max(plan.interval.0))
                .min()
                .map(|day| (day, idx))
        })
        .min()
        .map(|(_, idx)| idx)
}

/// What one program may still pay: the caps left, per scope, and which have bound already.
pub(super) struct CapLedger<'a> {
    program: &'a Program,
    /// The charge left per period, shared by every program (the `interest-charged` limit).
    charge_left: &'a mut [Decimal],
    /// Left under `perTransactionCap`.
    transaction_left: Option<Decimal>,
    /// Left under `smallConsumptionCap` (a small transaction only).
    small_left: Option<Decimal>,
    /// Left under `perBorrowerCap`, per scope key (a calendar year, or `None` for one scope).
    borrower_left: Vec<(Option<i32>, Decimal)>,
    /// Already used, not yet counted: the first scope met takes it, later scopes start from 0.
    used_left: Decimal,
    /// The caps reported (with the year of a per-borrower scope).
    reported: Vec<(&'static str, Option<i32>)>,
    /// The caps that bound, in period order.
    bound: Vec<CapBound>,
    /// Whether the first period the formula paid found a cap already at 0 (`None` before it).
    exhausted_at_first: Option<bool>,
}

/// What a period may be paid under every cap, and where its per-borrower balance is.
pub(super) struct Allowance {
    /// The period's subsidy: the formula, lowered to the tightest cap.
    pub(super) amount: Decimal,
    period_idx: usize,
    borrower_slot: Option<usize>,
}

impl<'a> CapLedger<'a> {
    /// Opens the ledger of an eligible `program`; `takes_used` says whether its cap takes the
    /// amount already used (see [`used_program`]).
    pub(super) fn open(
        program: &'a Program,
        charge_left: &'a mut [Decimal],
        used: &SubsidyUsed,
        takes_used: bool,
        transaction_amount: Decimal,
        has_calendar: bool,
        assumptions: &mut Vec<Reason>,
    ) -> Result<Self, Overflow> {
        let used_total = if takes_used {
            used.total
        } else {
            Decimal::ZERO
        };
        let is_small = program
            .small_consumption_threshold
            .is_some_and(|threshold| transaction_amount < threshold);
        let small_left = match (is_small, program.small_consumption_cap) {
            (true, Some(cap)) => {
                let used_small = match (takes_used, used.small_consumption) {
                    (false, _) => Decimal::ZERO,
                    (true, Some(amount)) => amount,
                    (true, None) => {
                        if !used.total.is_zero() {
                            assumptions.push(reason("small-used-assumed", program, ""));
                        }
                        used.total.min(cap)
                    }
                };
                Some(cap.minus(used_small)?.max(Decimal::ZERO))
            }
            _ => None,
        };
        if program.per_borrower_cap_scope == CapScope::PerYear
            && program.per_borrower_cap.is_some()
            && !has_calendar
        {
            assumptions.push(reason("per-year-undated", program, ""));
        }
        Ok(CapLedger {
            program,
            charge_left,
            transaction_left: program.per_transaction_cap,
            small_left,
            borrower_left: Vec::new(),
            used_left: used_total,
            reported: Vec::new(),
            bound: Vec::new(),
            exhausted_at_first: None,
        })
    }

    /// What period `period_idx` (due in `year`) may still be paid of `formula`: the least of
    /// the formula and every limit left, never below 0. The caps that bind are reported.
    pub(super) fn allowance(
        &mut self,
        period_idx: usize,
        year: Option<i32>,
        formula: Decimal,
    ) -> Result<Allowance, Overflow> {
        let scope_key = match self.program.per_borrower_cap_scope {
            CapScope::PerYear => year,
            CapScope::PolicyPeriod => None,
        };
        let borrower_slot = self.borrower_slot(scope_key)?;
        let borrower_limit = borrower_slot.and_then(|i| self.borrower_left.get(i).map(|x| x.1));
        let limits: [(&'static str, Option<Decimal>); 4] = [
            (
                "interest-charged",
                self.charge_left.get(period_idx).copied(),
            ),
            ("per-transaction", self.transaction_left),
            ("per-borrower", borrower_limit),
            ("small-consumption", self.small_left),
        ];
        let allowed = limits
            .iter()
            .filter_map(|(_, limit)| *limit)
            .fold(formula, Decimal::min)
            .max(Decimal::ZERO);
        if self.exhausted_at_first.is_none() {
            self.exhausted_at_first = Some(
                allowed.is_zero()
                    && limits[1..]
                        .iter()
                        .any(|(_, limit)| limit.is_some_and(|l| l.is_zero())),
            );
        }
        if allowed < formula {
            self.report_binding(&limits, allowed, period_idx, scope_key);
        }
        Ok(Allowance {
            amount: allowed,
            period_idx,
            borrower_slot,
        })
    }

    /// Records `allowance` as paid: every limit it counted against shrinks by its amount.
    pub(super) fn record(&mut self, allowance: &Allowance) -> Result<(), Overflow> {
        let amount = allowance.amount;
        if let Some(left) = self.transaction_left.as_mut() {
            *left = (*left).minus(amount)?;
        }
        if let Some(left) = self.small_left.as_mut() {
            *left = (*left).minus(amount)?;
        }
        if let Some(slot) = allowance
            .borrower_slot
            .and_then(|i| self.borrower_left.get_mut(i))
        {
            slot.1 = slot.1.minus(amount)?;
        }
        if let Some(charge) = self.charge_left.get_mut(allowance.period_idx) {
            *charge = (*charge).minus(amount)?;
        }
        Ok(())
    }

    /// Whether a cap was already used up when the program first had something to pay.
    pub(super) fn exhausted_at_first(&self) -> bool {
        self.exhausted_at_first.unwrap_or(false)
    }

    /// The caps that bound, in period order.
    pub(super) fn into_bound(self) -> Vec<CapBound> {
        self.bound
    }

    /// The per-borrower balance of `scope_key`, opened on first use (the first scope met takes
    /// the amount already used); `None` without a per-borrower cap.
    fn borrower_slot(&mut self, scope_key: Option<i32>) -> Result<Option<usize>, Overflow> {
        let Some(cap) = self.program.per_borrower_cap else {
            return Ok(None);
        };
        if let Some(position) = self.borrower_left.iter().position(|(k, _)| *k == scope_key) {
            return Ok(Some(position));
        }
        let used_here = std::mem::replace(&mut self.used_left, Decimal::ZERO);
        self.borrower_left
            .push((scope_key, cap.minus(used_here)?.max(Decimal::ZERO)));
        Ok(Some(self.borrower_left.len() - 1))
    }

    /// Reports each limit equal to `allowed` as bound in this period: `interest-charged` every
    /// time, the other caps once (per year for a per-borrower scope), and a cap already at 0
    /// in an earlier period not again.
    fn report_binding(
        &mut self,
        limits: &[(&'static str, Option<Decimal>)],
        allowed: Decimal,
        period_idx: usize,
        scope_key: Option<i32>,
    ) {
        for &(cap, limit) in limits {
            let Some(limit) = limit else { continue };
            if limit != allowed {
                continue;
            }
            let year = if cap == "per-borrower" {
                scope_key
            } else {
                None
            };
            let once = cap != "interest-charged";
            if once && self.reported.contains(&(cap, year)) {
                continue;
            }
            // A cap already at zero in an earlier period bound there, not here.
            if once && limit.is_zero() && self.reported.iter().any(|(c, _)| *c == cap) {
                continue;
            }
            self.reported.push((cap, year));
            self.bound.push(CapBound {
                program: self.program.id.clone(),
                cap,
                period: period_idx as u32 + 1,
                limit,
                year,
            });
        }
    }
}
