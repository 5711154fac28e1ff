//! How long rendering diagnostics takes, apart from finding them:
//! `cargo run --release --example render-diagnostics -- FILE` prints
//! `COUNT SECONDS` (best of three renderings of every diagnostic).

use std::time::{Duration, Instant};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render-diagnostics FILE");
        std::process::exit(2);
    };
    let Ok(loaded) = perfcard::load(&perfcard::Disk, std::path::Path::new(&path), &path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let checked = perfcard::check(&loaded);
    let best = (0..3)
        .map(|_| {
            let start = Instant::now();
            let text = perfcard::render::diagnostics::to_text(
                &checked.diagnostics,
                &loaded.sources,
                false,
                100,
            );
            std::hint::black_box(text.len());
            start.elapsed()
        })
        .min()
        .unwrap_or(Duration::ZERO);
    println!("{} {:.3}", checked.diagnostics.len(), best.as_secs_f64());
}
