//! Scoring throughput: one applicant, and a batch of 1M applicants, on a 20-variable card
//! (10 numeric variables with 6 ranges + special + missing + else, 10 categorical variables with
//! 4 category bins + missing + else). Applicants are JSON lines as the batch CLI reads them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers fail loudly

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use puhui::score::card::Scratch;
use puhui::score::{parse_applicant, CompiledCard, Scorecard};

const VARIABLES: usize = 20;

fn card() -> CompiledCard {
    let mut variables = Vec::new();
    for idx in 0..VARIABLES {
        let name = format!("var{idx:02}");
        let bins = if idx % 2 == 0 {
            let mut bins = vec![
                r#"{"missing": true, "points": "-3"}"#.to_owned(),
                r#"{"special": ["-999"], "points": "-7"}"#.to_owned(),
            ];
            let edges = ["0", "1000.5", "2500", "5000", "12000.25", "30000"];
            bins.push(format!(
                r#"{{"range": {{"upper": "{}"}}, "points": "-12.5"}}"#,
                edges[0]
            ));
            for (pos, pair) in edges.windows(2).enumerate() {
                bins.push(format!(
                    r#"{{"range": {{"lower": "{}", "upper": "{}"}}, "points": "{}.25"}}"#,
                    pair[0],
                    pair[1],
                    pos * 4
                ));
            }
            bins.push(format!(
                r#"{{"range": {{"lower": "{}"}}, "points": "31"}}"#,
                edges[5]
            ));
            bins.push(r#"{"else": true, "points": "0"}"#.to_owned());
            bins
        } else {
            vec![
                r#"{"categories": ["A", "B"], "points": "12"}"#.to_owned(),
                r#"{"categories": ["C"], "points": "4"}"#.to_owned(),
                r#"{"categories": ["D", "E", "F"], "points": "-6"}"#.to_owned(),
                r#"{"categories": ["G"], "points": "20"}"#.to_owned(),
                r#"{"missing": true, "points": "0"}"#.to_owned(),
                r#"{"else": true, "points": "-1"}"#.to_owned(),
            ]
        };
        let kind = if idx % 2 == 0 {
            "numeric"
        } else {
            "categorical"
        };
        variables.push(format!(
            r#"{{"name": "{name}", "type": "{kind}", "reasonCode": "R{idx:02}", "bins": [{}]}}"#,
            bins.join(",")
        ));
    }
    let text = format!(
        r#"{{"basePoints": "600", "variables": [{}]}}"#,
        variables.join(",")
    );
    let card: Scorecard = serde_json::from_str(&text).expect("bench card");
    CompiledCard::compile(&card).expect("bench card compiles")
}

/// Deterministic applicants (a linear congruential generator; no randomness crate needed).
fn applicants(count: usize) -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    (0..count)
        .map(|_| {
            let fields: Vec<String> = (0..VARIABLES)
                .map(|idx| {
                    let value = if idx % 2 == 0 {
                        match next() % 20 {
                            0 => "null".to_owned(),
                            1 => "-999".to_owned(),
                            _ => format!("{}.{:02}", next() % 40_000, next() % 100),
                        }
                    } else {
                        let categories = ["A", "B", "C", "D", "E", "F", "G", "H"];
                        format!("\"{}\"", categories[(next() % 8) as usize])
                    };
                    format!("\"var{idx:02}\":{value}")
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let card = card();
    let lines = applicants(1000);
    let mut scratch = Scratch::default();
    let mut out = Vec::with_capacity(256);
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(1));
    group.bench_function("one_applicant_json_line", |b| {
        b.iter(|| {
            out.clear();
            card.score_json_line(black_box(lines[0].as_bytes()), &mut scratch, &mut out)
                .expect("scores");
            black_box(&out);
        })
    });
    let parsed = parse_applicant(lines[0].as_bytes()).expect("applicant");
    group.bench_function("one_applicant_parsed_full_outcome", |b| {
        b.iter(|| black_box(card.score(black_box(&parsed)).expect("scores")))
    });
    group.sample_size(10);
    group.throughput(Throughput::Elements(1_000_000));
    group.bench_function("batch_1m_json_lines", |b| {
        b.iter(|| {
            let mut written = 0usize;
            for round in 0..1000 {
                for line in &lines {
                    out.clear();
                    card.score_json_line(line.as_bytes(), &mut scratch, &mut out)
                        .expect("scores");
                    written += out.len() + round % 2;
                }
            }
            black_box(written)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
