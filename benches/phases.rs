//! Where the time of `report --format json` goes, phase by phase:
//! `cargo run --release --example phases -- FILE` prints the seconds spent
//! reading, lexing, parsing, checking and writing the JSON report (to a
//! sink), one run each, for docs/performance.md's "Where the time goes".
//! `--pest-only` stops after running the grammar alone, `--parse-only`
//! after parsing on one thread: for instruction counts under callgrind.

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        std::process::exit(2);
    };
    let mut clock = Instant::now();
    let mut lap = |phase: &str| {
        eprintln!("{phase:<14} {:.3} s", clock.elapsed().as_secs_f64());
        clock = Instant::now();
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    lap("read");
    let scan = perfcard::profiling::scan(perfcard::FileId(0), &text);
    std::hint::black_box(scan.top_level_lines.len());
    lap("lexical scan");
    pest_only(&text);
    lap("pest (1 thread)");
    if std::env::args().nth(2).as_deref() == Some("--pest-only") {
        return;
    }
    let parsed = perfcard::parse_sequential(perfcard::FileId(0), &text);
    std::hint::black_box(parsed.document.items.len());
    lap("parse (1 thread)");
    if std::env::args().nth(2).as_deref() == Some("--parse-only") {
        return;
    }
    drop(parsed);
    let parsed = perfcard::parse(perfcard::FileId(0), &text);
    std::hint::black_box(parsed.document.items.len());
    lap("parse (all)");
    drop(parsed);
    drop(text);
    lap("drop");
    let Ok(mut loaded) = perfcard::load(&perfcard::Disk, std::path::Path::new(&path), &path) else {
        std::process::exit(2);
    };
    lap("load (+parse)");
    let checked = perfcard::check_consuming(&mut loaded);
    lap("check");
    let period = checked
        .model
        .header
        .period
        .or_else(|| checked.model.periods_with_actuals().last().copied());
    let Some(period) = period else {
        std::process::exit(2);
    };
    let mut sink = std::io::sink();
    if let Err(e) =
        perfcard::render::json::write(&perfcard::report::stream(&checked.model, period), &mut sink)
    {
        eprintln!("{e}");
    }
    lap("json");
}

/// pest's own share of parsing: the grammar run item by item, no tree built.
#[inline(never)]
fn pest_only(text: &str) {
    std::hint::black_box(perfcard::profiling::pest_tokens(text));
}
