#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Native benchmarks of the schedule engine: 12-, 36- and 360-period schedules, built from
//! validated terms (the engine's own cost) and from JSON (what every front door pays).
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use puhui::schedule::{build, ScheduleRequest};

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

criterion_group!(benches, schedules);
criterion_main!(benches);
