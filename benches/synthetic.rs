//! Synthetic scorecards for benchmarks: the same content as `.perf`, JSON
//! and TOML, and a next-quarter version of the `.perf` for `diff`.
//!
//! Deterministic (a fixed linear congruential generator), so every run and
//! every machine measures the same input.

use std::fmt::Write as _;

/// Measures per group.
const GROUP: usize = 50;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// One measure's content, shared by the three forms.
struct Measure {
    id: String,
    title: String,
    polarity: &'static str,
    targets: [(String, u64); 2],
    actuals: Vec<(String, String)>,
    note: String,
}

fn measures(n: usize) -> Vec<Measure> {
    let mut rng = Lcg(2017);
    (0..n)
        .map(|k| {
            let polarity = if rng.next(2) == 0 { "higher" } else { "lower" };
            let targets = [
                ("2017/18".to_string(), 50 + rng.next(46)),
                ("2018/19".to_string(), 50 + rng.next(46)),
            ];
            let actuals = (2017..=2018)
                .flat_map(|y| (1..=4).map(move |q| format!("{y}/{:02} Q{q}", (y + 1) % 100)))
                .map(|p| {
                    let tenths = 300 + rng.next(700);
                    (p, format!("{}.{}", tenths / 10, tenths % 10))
                })
                .collect();
            Measure {
                id: format!("M{k}"),
                title: format!("Synthetic measure number {k} with a typical title"),
                polarity,
                targets,
                actuals,
                note: format!(
                    "Commentary for measure {k}: performance moved as expected this quarter."
                ),
            }
        })
        .collect()
}

/// The scorecard as a `.perf` file (with comments, as people write them).
pub fn perf(n: usize) -> String {
    let mut out = String::from("// A synthetic scorecard for benchmarks.\nreport \"Synthetic\" {\n  organisation \"Bench\"\n  period 2018/19 Q4\n}\n\ndefaults {\n  amber 10%  // one band for all\n}\n");
    for (g, group) in measures(n).chunks(GROUP).enumerate() {
        let _ = write!(out, "\n// Directorate {g}\ngroup \"Directorate {g}\" {{\n");
        for m in group {
            let _ = write!(
                out,
                "  measure {} \"{}\" {{\n    unit percent\n    polarity {}\n    tolerance 2pp\n",
                m.id, m.title, m.polarity
            );
            for (p, t) in &m.targets {
                let _ = writeln!(out, "    target {p} {t}%");
            }
            out.push_str("    actual {\n");
            for (p, v) in &m.actuals {
                let _ = writeln!(out, "      {p} {v}%");
            }
            let _ = write!(out, "    }}\n    note 2018/19 Q4 \"{}\"\n  }}\n\n", m.note);
        }
        out.push_str("}\n");
    }
    out
}

/// The next quarter's version: every measure gets its 2019/20 Q1 actual, and
/// every tenth its 2018/19 target lowered by one (what `diff` must find).
pub fn perf_next(n: usize) -> String {
    let mut out = String::new();
    let mut measure = 0usize;
    for line in perf(n).lines() {
        if line.starts_with("  measure ") {
            measure += 1;
        }
        if let Some(rest) = line
            .strip_prefix("    target 2018/19 ")
            .filter(|_| measure % 10 == 1)
        {
            let value: u64 = rest.trim_end_matches('%').parse().unwrap_or(60);
            let _ = writeln!(out, "    target 2018/19 {}%", value - 1);
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("      2018/19 Q4 ") {
            out.push_str("      2019/20 Q1 55.5%\n");
        }
    }
    out
}

fn json_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The same content as JSON.
pub fn json(n: usize) -> String {
    let mut out = String::from("{\n \"report\": {\"title\": \"Synthetic\", \"organisation\": \"Bench\", \"period\": \"2018/19 Q4\"},\n \"defaults\": {\"amber\": \"10%\"},\n \"groups\": [\n");
    for (g, group) in measures(n).chunks(GROUP).enumerate() {
        if g > 0 {
            out.push_str(",\n");
        }
        let _ = writeln!(out, "  {{\"name\": \"Directorate {g}\", \"measures\": [");
        for (i, m) in group.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            let targets: Vec<String> = m
                .targets
                .iter()
                .map(|(p, t)| format!("{{\"period\": \"{p}\", \"value\": \"{t}\"}}"))
                .collect();
            let actuals: Vec<String> = m
                .actuals
                .iter()
                .map(|(p, v)| format!("{{\"period\": \"{p}\", \"value\": \"{v}\"}}"))
                .collect();
            let _ = write!(
                out,
                "   {{\"id\": {}, \"title\": {}, \"unit\": \"percent\", \"polarity\": \"{}\", \"tolerance\": \"2pp\",\n    \"targets\": [{}],\n    \"actuals\": [{}],\n    \"notes\": [{{\"period\": \"2018/19 Q4\", \"text\": {}}}]}}",
                json_string(&m.id),
                json_string(&m.title),
                m.polarity,
                targets.join(", "),
                actuals.join(", "),
                json_string(&m.note)
            );
        }
        out.push_str("\n  ]}");
    }
    out.push_str("\n ]\n}\n");
    out
}

/// The same content as TOML.
pub fn toml(n: usize) -> String {
    let mut out = String::from("[report]\ntitle = \"Synthetic\"\norganisation = \"Bench\"\nperiod = \"2018/19 Q4\"\n\n[defaults]\namber = \"10%\"\n");
    for (g, group) in measures(n).chunks(GROUP).enumerate() {
        let _ = write!(out, "\n[[groups]]\nname = \"Directorate {g}\"\n");
        for m in group {
            let _ = write!(out, "\n[[groups.measures]]\nid = {}\ntitle = {}\nunit = \"percent\"\npolarity = \"{}\"\ntolerance = \"2pp\"\n", json_string(&m.id), json_string(&m.title), m.polarity);
            let targets: Vec<String> = m
                .targets
                .iter()
                .map(|(p, t)| format!("{{ period = \"{p}\", value = \"{t}\" }}"))
                .collect();
            let _ = writeln!(out, "targets = [{}]", targets.join(", "));
            out.push_str("actuals = [\n");
            for (p, v) in &m.actuals {
                let _ = writeln!(out, "  {{ period = \"{p}\", value = \"{v}\" }},");
            }
            let _ = write!(
                out,
                "]\nnotes = [{{ period = \"2018/19 Q4\", text = {} }}]\n",
                json_string(&m.note)
            );
        }
    }
    out
}
