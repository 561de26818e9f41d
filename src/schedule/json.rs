//! The schedule's JSON response written straight from its fen rows.
//!
//! Owns [`FenRows::to_json`]: the compact text `serde_json::to_string` gives for a
//! [`super::Schedule`], byte for byte, without building the decimal schedule first. Every value
//! is a period number, a date or a fen amount, none needs escaping, so the generic serializer's
//! per-byte escaping and the decimal round trip are skipped on this hot path. It must not
//! compute any figure beyond the rows' sums.

use super::{FenRows, ScheduleError};
use crate::json::write::push_amount;
use crate::money::{self, CheckedOps, Fen};

/// `key` then the fen amount as a quoted two-decimal string.
fn push_fen(out: &mut Vec<u8>, key: &[u8], fen: Fen) -> Result<(), ScheduleError> {
    out.extend_from_slice(key);
    out.push(b'"');
    let mut digits = [0_u8; 24];
    match i64::try_from(fen) {
        Ok(fen) => out.extend_from_slice(money::fen_digits(fen, &mut digits)),
        Err(_) => out.extend_from_slice(money::fmt_money(money::from_fen(fen)?).as_bytes()),
    }
    out.push(b'"');
    Ok(())
}

impl FenRows {
    /// The compact JSON text of this schedule, byte for byte what `serde_json::to_string`
    /// gives for the [`super::Schedule`] that [`super::build`] makes of the same rows.
    ///
    /// # Errors
    /// `overflow` when a sum leaves the decimal range.
    pub fn to_json(&self) -> Result<String, ScheduleError> {
        let mut out: Vec<u8> = Vec::with_capacity(200 + self.rows.len() * 150);
        out.extend_from_slice(b"{\"installments\":[");
        let mut sums: [Fen; 4] = [0; 4];
        for (period_idx, row) in self.rows.iter().enumerate() {
            for (sum, value) in sums.iter_mut().zip(row) {
                *sum = sum.checked_add(*value).ok_or(ScheduleError::Overflow)?;
            }
            out.extend_from_slice(if period_idx == 0 {
                b"{\"period\":"
            } else {
                b",{\"period\":"
            });
            let mut digits = [0_u8; 24];
            out.extend_from_slice(money::int_digits(period_idx as u64 + 1, &mut digits));
            if let Some(Some(due)) = self.due_dates.get(period_idx) {
                out.extend_from_slice(b",\"dueDate\":\"");
                out.extend_from_slice(&due.iso_bytes());
                out.push(b'"');
            }
            let [payment, principal, interest, fee, balance] = *row;
            push_fen(&mut out, b",\"payment\":", payment)?;
            push_fen(&mut out, b",\"principal\":", principal)?;
            push_fen(&mut out, b",\"interest\":", interest)?;
            push_fen(&mut out, b",\"fee\":", fee)?;
            push_fen(&mut out, b",\"balance\":", balance)?;
            out.push(b'}');
        }
        push_fen(&mut out, b"],\"totals\":{\"payment\":", sums[0])?;
        push_fen(&mut out, b",\"principal\":", sums[1])?;
        push_fen(&mut out, b",\"interest\":", sums[2])?;
        push_fen(&mut out, b",\"fee\":", sums[3])?;
        let upfront = &self.upfront;
        push_amount(&mut out, b"},\"upfront\":{\"deducted\":", upfront.deducted);
        push_amount(&mut out, b",\"paidAtSigning\":", upfront.paid_at_signing);
        push_amount(&mut out, b"},\"amountReceived\":", self.amount_received);
        let cost = sums[2]
            .checked_add(sums[3])
            .ok_or(ScheduleError::Overflow)?;
        let total_cost = money::from_fen(cost)?
            .plus(upfront.deducted)?
            .plus(upfront.paid_at_signing)?;
        push_amount(&mut out, b",\"totalCost\":", total_cost);
        out.push(b'}');
        // Only ASCII was written (keys, digits, '.', '-', dates), so this never fails.
        Ok(String::from_utf8(out).unwrap_or_default())
    }
}

// Only a quote (full build) writes a decimal schedule; the `schedule` operation writes fen rows.
#[cfg(feature = "full")]
impl super::Schedule {
    /// Appends this schedule as the object `serde_json` writes for it (the `schedule` member of
    /// a quote; the `schedule` operation writes from fen rows, [`FenRows::to_json`]).
    pub(crate) fn push_json(&self, out: &mut Vec<u8>) {
        use crate::json::write::{push_array, push_date, push_uint};
        out.extend_from_slice(b"{\"installments\":");
        push_array(out, &self.installments, |out, row| {
            push_uint(out, b"{\"period\":", row.period);
            if let Some(due) = row.due_date {
                push_date(out, b",\"dueDate\":", due);
            }
            push_amount(out, b",\"payment\":", row.payment);
            push_amount(out, b",\"principal\":", row.principal);
            push_amount(out, b",\"interest\":", row.interest);
            push_amount(out, b",\"fee\":", row.fee);
            push_amount(out, b",\"balance\":", row.balance);
            out.push(b'}');
        });
        push_amount(out, b",\"totals\":{\"payment\":", self.totals.payment);
        push_amount(out, b",\"principal\":", self.totals.principal);
        push_amount(out, b",\"interest\":", self.totals.interest);
        push_amount(out, b",\"fee\":", self.totals.fee);
        push_amount(out, b"},\"upfront\":{\"deducted\":", self.upfront.deducted);
        push_amount(out, b",\"paidAtSigning\":", self.upfront.paid_at_signing);
        push_amount(out, b"},\"amountReceived\":", self.amount_received);
        push_amount(out, b",\"totalCost\":", self.total_cost);
        out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::Method;
    use super::super::{build, build_fen, DayCount, Fee, FeeAmount, FeeKind, FeeTiming, Loan};
    use crate::date::Date;
    use crate::money::Rounding;
    use rust_decimal::Decimal;

    /// The direct writer gives the bytes serde's derive gives for the decimal schedule, over
    /// every method, day count, rounding, dated and undated loans, fees of every timing.
    #[test]
    fn fen_rows_json_is_the_serialized_schedule() {
        let mut next = super::super::test_cases(0x1234_5678_9ABC_DEF1);
        let methods = [
            Method::EqualInstallment,
            Method::EqualPrincipal,
            Method::InterestOnly,
            Method::Bullet,
            Method::FlatFee,
        ];
        let mut compared = 0;
        for case in 0..3_000_u64 {
            let method = methods[(case % 5) as usize];
            let dated = case % 3 != 0;
            let mut fees = Vec::new();
            for fee_idx in 0..next(3) {
                fees.push(Fee {
                    kind: FeeKind::Service,
                    timing: [
                        FeeTiming::UpfrontDeducted,
                        FeeTiming::UpfrontPaid,
                        FeeTiming::PerPeriod,
                    ][((case + fee_idx) % 3) as usize],
                    amount: if next(2) == 0 {
                        FeeAmount::Fixed(Decimal::new(
                            next(50_000) as i64,
                            [0, 1, 2][(case % 3) as usize],
                        ))
                    } else {
                        FeeAmount::Rate(Decimal::new(next(300) as i64, 4))
                    },
                });
            }
            let digits = next(12) as u32 + 3;
            let loan = Loan {
                principal: Decimal::new(100 + next(10_u64.pow(digits)) as i64, 2),
                annual_rate: if method == Method::FlatFee {
                    Decimal::ZERO
                } else {
                    Decimal::new(next(400_000) as i64, 6)
                },
                term_months: 1 + next(if case % 7 == 0 { 600 } else { 48 }) as u32,
                method,
                fee_rate: if method == Method::FlatFee {
                    Decimal::new(next(100) as i64, 4)
                } else {
                    Decimal::ZERO
                },
                start_date: dated.then(|| Date::parse("2025-01-31").unwrap()),
                first_due_date: (dated && case % 2 == 0)
                    .then(|| Date::parse("2025-03-15").unwrap()),
                day_count: if dated {
                    [DayCount::Thirty360, DayCount::Act360, DayCount::Act365][(case % 3) as usize]
                } else {
                    DayCount::Thirty360
                },
                rounding: [Rounding::HalfUp, Rounding::HalfEven, Rounding::Down]
                    [(case % 3) as usize],
                fees,
            };
            // A refused loan (negative amortization at high rates) has no response to compare.
            let (Ok(schedule), Ok(rows)) = (build(&loan), build_fen(&loan)) else {
                continue;
            };
            assert_eq!(
                rows.to_json().unwrap(),
                serde_json::to_string(&schedule).unwrap(),
                "{loan:?}"
            );
            compared += 1;
        }
        assert!(compared > 2_000, "only {compared} schedules compared");
    }
}
