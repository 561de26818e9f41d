#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Native benchmarks of the quote engine on the committed signed exemplar: loading (verify +
//! compile once) and quoting each sample product from an already loaded engine, typed and JSON.
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use puhui::engine::{Engine, QuoteRequest};
use serde_json::json;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bundle")
            .join(name),
    )
    .expect("fixture")
}

fn quotes(c: &mut Criterion) {
    let envelope = fixture("bundle.signed.json");
    let root = fixture("root.json");
    let payload: serde_json::Value = serde_json::from_slice(&fixture("bundle.json")).unwrap();
    let now = payload["issuedAt"].as_str().unwrap().to_owned();
    let mut group = c.benchmark_group("engine");
    group.bench_function("load (verify + compile)", |b| {
        b.iter(|| Engine::load(black_box(&envelope), &root, None, &now, None).unwrap())
    });
    let (engine, _) = Engine::load(&envelope, &root, None, &now, None).unwrap();
    let cases = [
        (
            "consumer-loan 36m band B",
            json!({"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36, "band": "B"}),
        ),
        (
            "consumer-loan 12m promos+subsidy",
            json!({"productId": "consumer-loan", "amount": "20000.00", "termMonths": 12, "band": "C", "startDate": "2026-12-01", "promotions": ["interest-free-30", "rate-discount-20-3"]}),
        ),
        (
            "micro-daily 12m",
            json!({"productId": "micro-daily", "amount": "10000.00", "termMonths": 12}),
        ),
        (
            "card-installment 12m",
            json!({"productId": "card-installment", "amount": "12000.00", "termMonths": 12}),
        ),
    ];
    for (name, body) in cases {
        let request: QuoteRequest = serde_json::from_value(body.clone()).unwrap();
        group.bench_function(format!("quote {name}"), |b| {
            b.iter(|| engine.quote_request(black_box(&request)).unwrap())
        });
        let bytes = body.to_string().into_bytes();
        group.bench_function(format!("quote_json {name}"), |b| {
            b.iter(|| puhui::api::quote_text(&engine, black_box(&bytes)).unwrap())
        });
    }
    let applicant = br#"{"age":45,"residency":"CN","monthlyIncome":8000,"housing":"own"}"#;
    group.bench_function("assess", |b| {
        b.iter(|| puhui::api::assess_text(&engine, black_box(applicant)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, quotes);
criterion_main!(benches);
