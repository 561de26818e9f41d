#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The worst case each limit of `src/limits.rs` allows, per operation, through the JSON door
//! every front door uses (`api::call_text`, `api::quote_text`). `docs/limits.md` quotes
//! these times; the target is ≤ 50 ms natively for every accepted request.
//! Each input is first checked to be ACCEPTED (a refusal would measure the wrong thing).
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use puhui::limits::{MAX_FEES, MAX_PAYMENTS, MAX_PROGRAMS, MAX_PROMOTIONS, MAX_REQUEST_BYTES};
use serde_json::{json, Value};

/// The longest term with every fee slot used (per-period rates and fixed amounts mixed).
fn worst_schedule(method: &str) -> Value {
    let fees: Vec<Value> = (0..MAX_FEES)
        .map(|i| match i % 3 {
            0 => json!({"kind": "service", "timing": "per-period", "rate": "0.0001"}),
            1 => json!({"kind": "guarantee", "timing": "upfront-deducted", "amount": "1.23"}),
            _ => json!({"kind": "insurance", "timing": "upfront-paid", "rate": "0.0002"}),
        })
        .collect();
    // The default (30/360) day count: under act/365 a 31-day period's interest at 24 % exceeds
    // a 600-month level payment, which is refused (negative-amortization) rather than computed.
    json!({"principal": "99999999.99", "annualRate": "0.2399", "termMonths": 600,
        "method": method, "startDate": "2024-01-31", "fees": fees})
}

fn accepted(op: &str, request: &Value) -> Vec<u8> {
    let bytes = request.to_string().into_bytes();
    if let Err(err) = puhui::api::call_text(op, &bytes) {
        panic!("{op}: the worst case must be accepted, got {err}");
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("limits");
    group.sample_size(20);
    for method in [
        "equal-installment",
        "equal-principal",
        "interest-only",
        "bullet",
    ] {
        let json = accepted("schedule", &worst_schedule(method));
        group.bench_function(format!("schedule/600m+{MAX_FEES}fees/{method}"), |b| {
            b.iter(|| puhui::api::call_text("schedule", black_box(&json)))
        });
    }
    let disclose = accepted(
        "disclose",
        &json!({"schedule": worst_schedule("equal-installment")}),
    );
    group.bench_function("disclose/600m+32fees", |b| {
        b.iter(|| puhui::api::call_text("disclose", black_box(&disclose)))
    });

    let regular = accepted(
        "apr",
        &json!({"method": "cn-irr", "periodsPerYear": 12, "advance": "99000.00",
            "payments": vec!["170.00"; MAX_PAYMENTS]}),
    );
    group.bench_function(format!("apr/cn-irr/{MAX_PAYMENTS}payments"), |b| {
        b.iter(|| puhui::api::call_text("apr", black_box(&regular)))
    });
    // Weekly payments over 600 months (the case MAX_PAYMENTS is sized for), from 2024-12-17.
    let first = puhui::date::Date::new(2024, 12, 10).unwrap();
    let dated: Vec<Value> = (1..=MAX_PAYMENTS)
        .map(|i| {
            let due = first.add_days(7 * i as i64).unwrap();
            let date = format!("{:04}-{:02}-{:02}", due.year(), due.month(), due.day());
            json!({"date": date, "amount": "40.00"})
        })
        .collect();
    for method in ["us-regz", "eu-aprc"] {
        let mut request = json!({"method": method, "advances": [{"date": "2024-12-10", "amount": "90000.00"}],
            "payments": dated});
        if method == "us-regz" {
            request["unitPeriod"] = json!("week");
        } else {
            request["timeBasis"] = json!("actual");
        }
        let json = accepted("apr", &request);
        group.bench_function(format!("apr/{method}/{MAX_PAYMENTS}dated"), |b| {
            b.iter(|| puhui::api::call_text("apr", black_box(&json)))
        });
    }

    let program =
        json!({"rate": "0.01", "maxShareOfContractRate": "0.5", "perBorrowerCap": "3000.00"});
    // Merchant-funded and interest-free-days apply once each; the other slots alternate the
    // kinds that may repeat.
    let promotions: Vec<Value> = (0..MAX_PROMOTIONS)
        .map(|i| match i {
            0 => json!({"kind": "interest-free-days", "days": 30}),
            1 => json!({"kind": "merchant-funded", "share": "0.01"}),
            _ if i % 2 == 0 => json!({"kind": "rate-discount", "fraction": "0.05", "periods": 600}),
            _ => json!({"kind": "interest-coupon", "amount": "5.00"}),
        })
        .collect();
    let subsidy = accepted(
        "subsidy",
        &json!({"schedule": worst_schedule("equal-installment"),
            "programs": vec![program; MAX_PROGRAMS], "promotions": promotions}),
    );
    group.bench_function(
        format!("subsidy/600m+{MAX_PROGRAMS}programs+{MAX_PROMOTIONS}promotions"),
        |b| b.iter(|| puhui::api::call_text("subsidy", black_box(&subsidy))),
    );

    // The most object members a body under the cap holds: an applicant of ~1 MiB with 80,000
    // keys beside the model's own (the exact reader's duplicate check was quadratic here:
    // 9.5 s natively before session 7's key set, 39 ms after, through the CLI).
    let model: Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/bundle/bundle.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut applicant =
        json!({"age": 45, "residency": "CN", "monthlyIncome": 8000, "housing": "own"});
    for i in 0..80_000 {
        applicant[format!("x{i}")] = json!(1);
    }
    let assess = accepted(
        "assess",
        &json!({"model": model["preEligibility"], "applicant": applicant}),
    );
    assert!(assess.len() <= MAX_REQUEST_BYTES);
    group.bench_function("assess/80000keys", |b| {
        b.iter(|| puhui::api::call_text("assess", black_box(&assess)))
    });

    // The gate itself on the largest request it reads (accepted: one long string).
    let mut big = b"{\"x\":\"".to_vec();
    big.resize(MAX_REQUEST_BYTES - 2, b'x');
    big.extend_from_slice(b"\"}");
    assert!(puhui::limits::check_request(&big).is_ok());
    group.bench_function("check_request/1MiB", |b| {
        b.iter(|| puhui::limits::check_request(black_box(&big)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
