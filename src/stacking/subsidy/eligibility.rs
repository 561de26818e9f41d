//! Which programs may pay, and for which days: the loan-wide assumptions, each program's
//! eligibility tests and the accrual days it covers.
//!
//! Owns the first pass over the programs, in the order given: a program that fails a test gets
//! a [`Reason`] per failed test; an eligible program claims its subsidisable interval, so later
//! programs never pay twice for one day (module docs, **Several programs**).
//! It must not compute amounts: [`super::payout`] pays what this pass allows.

use super::messages::{loan_note, reason};
use super::timeline::{intersect, uncovered_days, Row, Timeline, GRID_DAYS};
use super::{Context, Facts, LoanKind, Program, Reason};
use crate::date::Date;
use crate::money;
use crate::schedule::{Loan, Method};

/// The first-pass verdict on one program.
pub(super) struct Plan {
    /// Uncovered accrual days per row inside the program.
    pub(super) inside_days: Vec<i64>,
    /// The program's subsidisable interval (to mark as covered).
    pub(super) interval: (i64, i64),
    /// Whether every test passed and some day is left to pay for.
    pub(super) eligible: bool,
}

/// The loan kind programs test, and the loan-wide assumptions: the start taken from `asOf`, a
/// loan without any calendar, a loan kind inferred from the method.
pub(super) fn loan_assumptions(
    loan: &Loan,
    programs: &[Program],
    context: &Context,
) -> (LoanKind, Vec<Reason>) {
    let mut assumptions: Vec<Reason> = Vec::new();
    match (loan.start_date, context.as_of) {
        (None, Some(as_of)) => assumptions.push(loan_note("as-of-as-start", &as_of.to_string())),
        (None, None) if !programs.is_empty() => assumptions.push(loan_note("undated-loan", "")),
        _ => {}
    }
    let loan_kind = match context.loan_kind {
        Some(kind) => kind,
        None => {
            let kind = if loan.method == Method::FlatFee {
                LoanKind::CardInstallment
            } else {
                LoanKind::ConsumerLoan
            };
            if programs.iter().any(|p| p.loan_kinds.is_some()) {
                assumptions.push(loan_note("loan-kind-inferred", kind.as_str()));
            }
            kind
        }
    };
    (loan_kind, assumptions)
}

/// Decides every program in order; failures go to `reasons`, facts taken for granted to
/// `assumptions`.
pub(super) fn plan_programs(
    programs: &[Program],
    facts: &Facts<'_>,
    reasons: &mut Vec<Reason>,
    assumptions: &mut Vec<Reason>,
) -> Vec<Plan> {
    let timeline = facts.timeline;
    let mut covered: Vec<(i64, i64)> = Vec::new();
    let mut plans: Vec<Plan> = Vec::with_capacity(programs.len());
    for program in programs {
        let mut failures = failed_tests(program, facts, assumptions);
        let interval = subsidisable_interval(program, timeline);
        let (inside_days, any_inside) = inside_days(&timeline.rows, interval, &covered);
        if !any_inside {
            let detail = match program.window {
                Some(window) => format!("{} – {}", window.from, window.to),
                None => String::new(),
            };
            failures.push(reason("outside-window", program, &detail));
        } else if failures.is_empty() && inside_days.iter().all(|d| *d == 0) {
            failures.push(reason("covered-by-other-program", program, ""));
        }
        let eligible = failures.is_empty();
        reasons.append(&mut failures);
        if eligible {
            covered.push(interval);
        }
        plans.push(Plan {
            inside_days,
            interval,
            eligible,
        });
    }
    plans
}

/// The tests on the loan and the borrower, in a fixed order: loan kind, institution, contract
/// date, amount, category. A fact the context does not give passes, with an assumption.
fn failed_tests(
    program: &Program,
    facts: &Facts<'_>,
    assumptions: &mut Vec<Reason>,
) -> Vec<Reason> {
    let (loan, context) = (facts.loan, facts.context);
    let mut failures: Vec<Reason> = Vec::new();
    let mut fail = |code: &'static str, detail: &str| {
        failures.push(reason(code, program, detail));
    };
    if let Some(kinds) = &program.loan_kinds {
        if !kinds.contains(&facts.loan_kind) {
            fail("loan-kind-not-eligible", facts.loan_kind.as_str());
        }
    }
    if let Some(institutions) = &program.eligible_institutions {
        match &context.institution_type {
            Some(kind) if !institutions.contains(kind) => fail("institution-not-eligible", kind),
            Some(_) => {}
            None => assumptions.push(reason("institution-unknown", program, "")),
        }
    }
    if let (Some(window), Some(contract_date)) = (program.contract_window, facts.timeline.anchor) {
        if !window.contains(contract_date) {
            let detail = format!("{contract_date}; {} – {}", window.from, window.to);
            fail("contract-date-outside-window", &detail);
        }
    }
    if let Some(max) = program.max_loan_amount {
        if loan.principal > max {
            fail("amount-above-max", &money::fmt_money(max));
        }
    }
    if let Some(categories) = &program.categories {
        let required = program
            .small_consumption_threshold
            .is_none_or(|threshold| facts.transaction_amount >= threshold);
        if required {
            match &context.category {
                Some(category) if !categories.contains(category) => {
                    fail("category-not-eligible", category)
                }
                Some(_) => {}
                None => assumptions.push(reason("category-unknown", program, "")),
            }
        }
    }
    failures
}

/// The subsidisable interval: the window (only for a loan with a calendar) and the first
/// `maxTermMonths` months.
fn subsidisable_interval(program: &Program, timeline: &Timeline) -> (i64, i64) {
    let mut interval = (i64::MIN, i64::MAX);
    if let (Some(window), Some(_)) = (program.window, timeline.anchor) {
        interval = intersect(interval, window.days());
    }
    if let Some(months) = program.max_term_months {
        let end = match timeline.anchor {
            Some(anchor) => anchor
                .add_months(i64::from(months))
                .map_or(i64::MAX, Date::day_number),
            None => timeline.start_day + GRID_DAYS * i64::from(months),
        };
        interval = intersect(interval, (timeline.start_day, end));
    }
    interval
}

/// Per row, the accrual days inside `interval` that no earlier program covers; and whether any
/// accruing row meets the interval at all.
fn inside_days(rows: &[Row], interval: (i64, i64), covered: &[(i64, i64)]) -> (Vec<i64>, bool) {
    let mut inside_days = vec![0_i64; rows.len()];
    let mut any_inside = false;
    for (row, days) in rows.iter().zip(inside_days.iter_mut()) {
        if row.accrual_numerator.is_zero() {
            continue;
        }
        let span = intersect((row.accrual_start_day, row.end_day), interval);
        if span.0 < span.1 {
            any_inside = true;
        }
        *days = uncovered_days(span, covered);
    }
    (inside_days, any_inside)
}
