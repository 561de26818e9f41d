//! Test-only reference: `equation.rs` and `fixed.rs` exactly as they were before the dated
//! solve was made faster (commit f0d270f), kept verbatim so the equivalence test in
//! `apr::tests_equivalence` can prove the faster solve gives the same answer, digit for digit
//! and error for error, on thousands of generated flow sets. Never used outside tests.

#![allow(dead_code, unused_imports)]

mod equation;
mod fixed;

use super::{bad_flows, AprError, MAX_FLOWS};
pub(super) use equation::{solve_unit_rate, TimedFlow};

#[cfg(test)]
mod tests {
    //! Old against new: the dated solve must give the same bytes and the same errors.

    use super::super::flows::{dated_flows, term_start};
    use super::super::{annualize, cn_xirr, AprError, CnRate, DatedAmount, YearDays};
    use crate::date::Date;
    use rust_decimal::Decimal;

    /// A deterministic 64-bit LCG (Knuth's MMIX constants): reproducible cases, no dependency.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }

        fn below(&mut self, bound: u64) -> u64 {
            self.next() % bound.max(1)
        }

        fn chance(&mut self, percent: u64) -> bool {
            self.below(100) < percent
        }
    }

    /// `cn_xirr` as it was: the same checks and clock, today's solve from `reference`.
    fn reference_cn_xirr(
        advances: &[DatedAmount],
        payments: &[DatedAmount],
        year_days: YearDays,
    ) -> Result<CnRate, AprError> {
        let start = term_start(advances, payments)?;
        let flows = dated_flows(advances, payments, |date| {
            let days = u64::try_from(start.days_until(date)).map_err(|_| AprError::Overflow)?;
            Ok((days, Decimal::ZERO))
        })?;
        let flows: Vec<super::TimedFlow> = flows
            .iter()
            .map(|f| super::TimedFlow {
                amount: f.amount,
                periods: f.periods,
                fraction: f.fraction,
            })
            .collect();
        let daily = super::solve_unit_rate(&flows)?;
        annualize(daily, year_days.days())
    }

    /// An amount of about `typical` with a scale that is usually 2 and sometimes odd.
    fn amount(rng: &mut Lcg, typical: i64) -> Decimal {
        let wobble = i64::try_from(rng.below(2001)).unwrap_or(0) - 1000;
        let fen = (typical.max(1) * 100) * (100_000 + wobble) / 100_000;
        let roll = rng.below(100);
        match roll {
            0..=79 => Decimal::new(fen, 2),
            80..=84 => Decimal::new(fen / 100, 0),
            85..=87 => Decimal::new(fen * 10 + i64::try_from(rng.below(10)).unwrap_or(0), 3),
            88..=89 => Decimal::new(
                fen * 10_000 + i64::try_from(rng.below(10_000)).unwrap_or(0),
                6,
            ),
            90..=91 => Decimal::new(fen * 1000, 5), // whole fen spelled with 5 decimals
            92 => Decimal::ZERO,
            93 => -Decimal::new(0, 2),
            94 => Decimal::new(1, 2),
            95 => Decimal::new(99_999_999_999_999, 2), // the grid's largest fen
            96 => Decimal::new(100_000_000_000_001, 2), // just off the grid
            97 => Decimal::new(fen, 1),
            98 => Decimal::from_i128_with_scale(
                i128::from(fen) * 10_i128.pow(20) + i128::from(rng.below(1000)),
                22,
            ),
            _ => Decimal::new(fen, 2),
        }
    }

    /// One generated dated loan: advances, payments, the day-count year.
    fn case(rng: &mut Lcg) -> (Vec<DatedAmount>, Vec<DatedAmount>, YearDays) {
        let n_payments = if rng.chance(4) {
            1 + rng.below(400)
        } else {
            1 + rng.below(40)
        };
        let year = 1995 + i32::try_from(rng.below(95)).unwrap_or(0);
        let month = 1 + u32::try_from(rng.below(12)).unwrap_or(0);
        let day = 1 + u32::try_from(rng.below(28)).unwrap_or(0);
        let Some(start) = Date::new(year, month, day) else {
            return (Vec::new(), Vec::new(), YearDays::D365);
        };
        let principal = i64::try_from(100 + rng.below(2_000_000)).unwrap_or(100);
        let fee_share = i64::try_from(rng.below(6)).unwrap_or(0);
        let cost = i64::try_from(rng.below(80)).unwrap_or(0); // percent over the term
        let mut advances = vec![DatedAmount {
            date: start,
            amount: Decimal::new(principal * (100 - fee_share), 0),
        }];
        if rng.chance(8) {
            let later = start.add_days(i64::try_from(rng.below(900)).unwrap_or(0));
            advances.push(DatedAmount {
                date: later.unwrap_or(start),
                amount: amount(rng, principal / 3),
            });
        }
        let per_payment = principal * (100 + cost - if rng.chance(15) { 60 } else { 0 })
            / 100
            / i64::try_from(n_payments).unwrap_or(1);
        let irregular = rng.chance(25);
        let anchor = 1 + u32::try_from(rng.below(31)).unwrap_or(0);
        let mut date = start;
        let mut payments = Vec::new();
        for k in 1..=n_payments {
            date = if irregular {
                date.add_days(i64::try_from(rng.below(120)).unwrap_or(0))
                    .unwrap_or(date)
            } else {
                start
                    .add_months_anchored(i64::try_from(k).unwrap_or(0), anchor)
                    .unwrap_or(date)
            };
            let pay = DatedAmount {
                date,
                amount: amount(rng, per_payment),
            };
            payments.push(pay);
        }
        let last = payments.len() - 1;
        if rng.chance(2) {
            payments[last].date = start.add_days(-1).unwrap_or(start); // refused: too early
        }
        if rng.chance(2) {
            payments[last].amount = -payments[last].amount; // refused: negative
        }
        if rng.chance(10) {
            // Out of time order.
            let len = payments.len();
            payments.swap(0, len - 1);
        }
        let year_days = if rng.chance(50) {
            YearDays::D365
        } else {
            YearDays::D360
        };
        (advances, payments, year_days)
    }

    fn outcome(result: Result<CnRate, AprError>) -> String {
        match result {
            Ok(rate) => serde_json::to_string(&rate).unwrap_or_default(),
            Err(err) => format!("error {err:?}"),
        }
    }

    /// Cases the generator makes (each compared old against new).
    const CASES: u64 = 3000;

    #[test]
    fn dated_cn_irr_matches_the_reference_solve() {
        let mut rng = Lcg(0x05ee_d0fd_47ed);
        let mut solved = 0;
        for idx in 0..CASES {
            let (advances, payments, year_days) = case(&mut rng);
            let new = outcome(cn_xirr(&advances, &payments, year_days));
            let old = outcome(reference_cn_xirr(&advances, &payments, year_days));
            assert_eq!(new, old, "case {idx}: {advances:?} {payments:?}");
            solved += usize::from(!new.starts_with("error"));
        }
        // The generator must mostly make solvable loans, or the comparison proves little.
        assert!(solved > 2000, "only {solved} of {CASES} cases solved");
    }

    /// Flows placed on a unit-period clock with Appendix J fractions of varied scales (as
    /// `us-regz` and `eu-aprc` place them), sometimes all whole periods.
    fn timed_case(rng: &mut Lcg) -> Vec<crate::apr::TimedFlow> {
        let longest = if rng.chance(4) { 120 } else { 30 };
        let n = 2 + rng.below(longest);
        let whole = rng.chance(30);
        let mut periods = 0_u64;
        let mut flows = Vec::new();
        for k in 0..n {
            let fraction = if whole || rng.chance(40) {
                match rng.below(3) {
                    0 => Decimal::ZERO,
                    1 => Decimal::new(0, 2),
                    _ => Decimal::ZERO,
                }
            } else {
                let days = i64::try_from(rng.below(30)).unwrap_or(0);
                match rng.below(3) {
                    0 => Decimal::new(days, 0) / Decimal::from(30),
                    1 => Decimal::new(days * 100 / 30, 2),
                    _ => Decimal::new(days, 0) / Decimal::from(31),
                }
            };
            let size = if k == 0 {
                100_000
            } else {
                100_000 / i64::try_from(n).unwrap_or(1)
            };
            let mut amount = amount(rng, size).abs();
            if k > 0 && !rng.chance(5) {
                amount = -amount;
            }
            flows.push(crate::apr::TimedFlow {
                amount,
                periods,
                fraction,
            });
            periods += rng.below(3);
        }
        flows
    }

    /// Timed flow sets compared (slower: most take the `Decimal` path).
    const TIMED_CASES: u64 = 1000;

    #[test]
    fn timed_flows_match_the_reference_solve() {
        let mut rng = Lcg(0x7153_d0e5);
        for idx in 0..TIMED_CASES {
            let flows = timed_case(&mut rng);
            let old_flows: Vec<super::TimedFlow> = flows
                .iter()
                .map(|f| super::TimedFlow {
                    amount: f.amount,
                    periods: f.periods,
                    fraction: f.fraction,
                })
                .collect();
            let new = crate::apr::solve_unit_rate(&flows).map(|r| r.to_string());
            let old = super::solve_unit_rate(&old_flows).map(|r| r.to_string());
            assert_eq!(new, old, "case {idx}: {flows:?}");
        }
    }
}
