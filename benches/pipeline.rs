//! Criterion benchmarks on fixed inputs (docs/performance.md says how to
//! compare against a saved baseline): each stage of the pipeline on a
//! 1,000-measure scorecard.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use perfcard::period::Period;
use perfcard::FileId;

#[path = "synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn pipeline(c: &mut Criterion) {
    let text = synthetic::perf(1_000);
    let next = synthetic::perf_next(1_000);
    let period: Period = "2018/19 Q4".parse().unwrap_or(Period::year(2018));
    let (_, checked) =
        perfcard::check_files(&[("card.perf", &text)]).expect("the root is in memory");
    let (_, checked_next) =
        perfcard::check_files(&[("card.perf", &next)]).expect("the root is in memory");
    let report = perfcard::report::build(&checked.model, period);

    let mut group = c.benchmark_group("1k measures");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse", |b| b.iter(|| perfcard::parse(FileId(0), &text)));
    group.bench_function("parse and check", |b| {
        b.iter(|| perfcard::check_files(&[("card.perf", &text)]))
    });
    group.bench_function("report json", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            perfcard::render::json::write(
                &perfcard::report::stream(&checked.model, period),
                &mut out,
            )
            .map(|_| out.len())
        })
    });
    group.bench_function("report html", |b| {
        b.iter(|| perfcard::render::html::render(&report))
    });
    group.bench_function("fmt", |b| {
        b.iter(|| {
            let parsed = perfcard::parse(FileId(0), &text);
            perfcard::format::format(&text, &parsed)
        })
    });
    group.bench_function("diff", |b| {
        b.iter(|| perfcard::diff::diff(&checked.model, &checked_next.model, &[period]))
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
