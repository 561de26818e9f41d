#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Native benchmarks of the schedule engine: 12-, 36- and 360-period schedules, built from
//! validated terms (the engine's own cost) and from JSON (what every front door pays); and the
//! dated China IRR (XIRR on days) of the same plans, as `benches/node/bench.mjs` builds them.
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use puhui::apr::{cn_xirr, DatedAmount, YearDays};
use puhui::schedule::{build, schedule, ScheduleRequest};

fn request(term_months: i64) -> ScheduleRequest {
    ScheduleRequest {
        principal: "300000.00".into(),
        annual_rate: Some("0.0425".into()),
        term_months,
        method: "equal-installment".into(),
        start_date: Some("2025-01-31".into()),
        day_count: Some("act/365".into()),
        ..ScheduleRequest::default()
    }
}

fn schedules(c: &mut Criterion) {
    let mut group = c.benchmark_group("schedule");
    for term in [12, 36, 360] {
        let loan = request(term).to_loan().expect("valid terms");
        group.bench_with_input(BenchmarkId::new("build", term), &loan, |b, loan| {
            b.iter(|| build(black_box(loan)).expect("schedule"))
        });
        let json = serde_json::to_vec(&request(term)).expect("json");
        group.bench_with_input(BenchmarkId::new("json", term), &json, |b, json| {
            b.iter(|| puhui::api::call_text("schedule", black_box(json)).expect("schedule"))
        });
    }
    group.finish();
}

/// 100000.00 at 7.25 %, equal installments from 2025-01-15, 1000.00 service fee deducted
/// upfront: the advance and the dated payments (benches/node/bench.mjs, dated flows).
fn dated_plan(term_months: i64) -> (Vec<DatedAmount>, Vec<DatedAmount>) {
    let request: ScheduleRequest = serde_json::from_value(serde_json::json!({
        "principal": "100000.00", "annualRate": "0.0725", "termMonths": term_months,
        "method": "equal-installment", "startDate": "2025-01-15",
        "fees": [{"kind": "service", "timing": "upfront-deducted", "amount": "1000.00"}],
    }))
    .expect("request");
    let plan = schedule(&request).expect("schedule");
    let advances = vec![DatedAmount {
        date: puhui::date::Date::parse("2025-01-15").expect("date"),
        amount: plan.amount_received,
    }];
    let payments = plan
        .installments
        .iter()
        .map(|row| DatedAmount {
            date: row.due_date.expect("dated"),
            amount: row.payment,
        })
        .collect();
    (advances, payments)
}

fn dated_cn_irr(c: &mut Criterion) {
    let mut group = c.benchmark_group("apr");
    for term in [12, 60, 360] {
        let (advances, payments) = dated_plan(term);
        group.bench_with_input(
            BenchmarkId::new("cn-irr dated", term),
            &(advances.clone(), payments.clone()),
            |b, (advances, payments)| {
                b.iter(|| cn_xirr(black_box(advances), black_box(payments), YearDays::D365))
            },
        );
        let json = serde_json::json!({
            "method": "cn-irr",
            "advances": advances.iter().map(|a| serde_json::json!({
                "date": a.date.to_string(), "amount": a.amount.to_string()})).collect::<Vec<_>>(),
            "payments": payments.iter().map(|p| serde_json::json!({
                "date": p.date.to_string(), "amount": p.amount.to_string()})).collect::<Vec<_>>(),
        })
        .to_string();
        group.bench_with_input(
            BenchmarkId::new("cn-irr dated json", term),
            &json,
            |b, json| {
                b.iter(|| puhui::api::call_text("apr", black_box(json.as_bytes())).expect("apr"))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, schedules, dated_cn_irr);
criterion_main!(benches);
