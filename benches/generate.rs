//! Writes a synthetic scorecard in every form:
//! `cargo run --release --example generate -- MEASURES DIR`
//! → DIR/card.perf, DIR/card-next.perf, DIR/card.json, DIR/card.toml.

#[path = "synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(n), Some(dir)) = (
        args.next().and_then(|n| n.parse::<usize>().ok()),
        args.next(),
    ) else {
        eprintln!("usage: generate MEASURES DIR");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(&dir);
    let write = |name: &str, text: String| {
        if let Err(e) = std::fs::write(dir.join(name), text) {
            eprintln!("cannot write {name}: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        std::process::exit(1);
    }
    write("card.perf", synthetic::perf(n));
    write("card-next.perf", synthetic::perf_next(n));
    write("card.json", synthetic::json(n));
    write("card.toml", synthetic::toml(n));
}
