//! The floor and the everyday alternative: loading the same content as JSON
//! (serde_json) and as TOML (the toml crate) into typed structs.
//! `cargo run --release --example load-alternatives -- DIR [RUNS]` prints
//! `json SECONDS` and `toml SECONDS`, best of RUNS (three if not given).

use std::time::{Duration, Instant};

use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Scorecard {
    report: Report,
    defaults: Defaults,
    groups: Vec<Group>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Report {
    title: String,
    organisation: String,
    period: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Defaults {
    amber: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Group {
    name: String,
    measures: Vec<Measure>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Measure {
    id: String,
    title: String,
    unit: String,
    polarity: String,
    tolerance: String,
    targets: Vec<Dated>,
    actuals: Vec<Dated>,
    notes: Vec<Note>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Dated {
    period: String,
    value: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Note {
    period: String,
    text: String,
}

fn best_of(runs: usize, mut run: impl FnMut() -> usize) -> Duration {
    (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(run());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: load-alternatives DIR [RUNS]");
        std::process::exit(2);
    };
    let runs = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let read = |name: &str| {
        std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let (json, toml) = (read("card.json"), read("card.toml"));
    let json_time = best_of(runs, || {
        serde_json::from_str::<Scorecard>(&json)
            .map(|s| s.groups.len())
            .unwrap_or(0)
    });
    let toml_time = best_of(runs, || {
        toml::from_str::<Scorecard>(&toml)
            .map(|s| s.groups.len())
            .unwrap_or(0)
    });
    println!("json {:.3}", json_time.as_secs_f64());
    println!("toml {:.3}", toml_time.as_secs_f64());
}
