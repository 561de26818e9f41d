//! Solve time of the disclosure-rate solvers natively: China IRR on 12/60/360 regular
//! periods and XIRR on 12/60/360 dated flows, typed and through the JSON door.
// Benchmark set-up builds fixed, known-good inputs; a failure there is a bug in the bench.
#![allow(clippy::expect_used)]
use criterion::{criterion_group, criterion_main, Criterion};
use puhui::apr::{self, DatedAmount, YearDays};
use puhui::date::Date;
use puhui::schedule::{self, ScheduleRequest};
use rust_decimal::Decimal;
use std::hint::black_box;

fn level_flows(n_periods: u32) -> (Decimal, Vec<Decimal>, Vec<DatedAmount>) {
    let request = ScheduleRequest {
        principal: "100000.00".into(),
        annual_rate: Some("0.072".into()),
        term_months: i64::from(n_periods),
        method: "equal-installment".into(),
        start_date: Some("2025-01-15".into()),
        ..ScheduleRequest::default()
    };
    let built = schedule::schedule(&request).expect("schedule");
    // 1 % deducted upfront so the rate is not the contract rate.
    let advance = built.amount_received - Decimal::from(1000);
    let payments: Vec<Decimal> = built.installments.iter().map(|row| row.payment).collect();
    let dated = built
        .installments
        .iter()
        .map(|row| DatedAmount {
            date: row.due_date.expect("dated"),
            amount: row.payment,
        })
        .collect();
    (advance, payments, dated)
}

fn bench_apr(c: &mut Criterion) {
    for n_periods in [12_u32, 60, 360] {
        let (advance, payments, _) = level_flows(n_periods);
        c.bench_function(&format!("cn_irr regular {n_periods}"), |b| {
            b.iter(|| apr::cn_irr(black_box(advance), black_box(&payments), 12))
        });
    }
    for n_periods in [12_u32, 60, 360] {
        let (advance, _, dated) = level_flows(n_periods);
        let start = Date::parse("2025-01-15").expect("date");
        let advances = [DatedAmount {
            date: start,
            amount: advance,
        }];
        c.bench_function(&format!("cn_xirr dated {n_periods}"), |b| {
            b.iter(|| apr::cn_xirr(black_box(&advances), black_box(&dated), YearDays::D365))
        });
        // The same flows through the JSON door every adapter uses (parse, solve, respond).
        let flow = |date: Date, amount: Decimal| serde_json::json!({"date": date.to_string(), "amount": amount.to_string()});
        let request = serde_json::json!({
            "method": "cn-irr",
            "advances": [flow(start, advance)],
            "payments": dated.iter().map(|p| flow(p.date, p.amount)).collect::<Vec<_>>(),
        })
        .to_string();
        c.bench_function(&format!("cn_xirr dated {n_periods} json"), |b| {
            b.iter(|| puhui::api::call_text("apr", black_box(request.as_bytes())).expect("apr"))
        });
    }
}

fn bench_disclose(c: &mut Criterion) {
    for (n_periods, first_due, label) in [
        (12_i64, "2025-02-15", ""),
        (360, "2025-02-15", ""),
        (360, "2025-02-10", ", odd first period"),
    ] {
        let request = serde_json::json!({
            "schedule": {"principal": "100000.00", "annualRate": "0.072", "termMonths": n_periods,
                         "method": "equal-installment", "startDate": "2025-01-15",
                         "firstDueDate": first_due,
                         "fees": [{"kind": "service", "timing": "upfront-deducted", "amount": "1000.00"}]},
            "institutionType": "bank",
        })
        .to_string();
        c.bench_function(&format!("disclose {n_periods}{label}"), |b| {
            b.iter(|| puhui::api::call_text("disclose", black_box(request.as_bytes())))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = bench_apr, bench_disclose
}
criterion_main!(benches);
