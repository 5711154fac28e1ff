//! Acceptance cases for version 1 of the `.perf` language, written from the
//! language reference alone (its "Version 1 additions" and the version 0 rules
//! they build on), as an independent check of the implementation.
//!
//! Each case is a small scorecard, the periods it is reported at, and the
//! expected result for some of its measures: the rating, and where the
//! reference defines them the data period, target, thresholds and directions
//! of travel. Every expectation is worked out by hand in the comment above it.
//! The cases drive the real binary (`perfcard report --format json` and
//! `perfcard check --format json`) with a fixed `PERFCARD_TODAY`, and each test
//! lists every case that failed, not only the first.
//!
//! Every valid case is also tidied with `perfcard fmt`, which changes only the
//! layout, so the tidied copy must report exactly the same.
//!
//! JSON fields used: the stable contract of the reference (`period` — the
//! data period rated —, `target`, `rating`, `direction.short`/`long`) and the
//! documented extras of docs/reading-a-report.md (`thresholds`,
//! `comparisons`, `reason_text`, `actual_display`); `check --format json`'s
//! `code`, `line` and `message`; `diff --format json`'s `changes`.

use std::path::Path;
use std::process::{Command, Output};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// The day the cases are checked on, unless a case says otherwise: after
/// every period written below except where a case is about the future.
const TODAY: &str = "2025-06-30";

// ---------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------

/// What one measure should show in a report.
#[derive(Clone, Default)]
struct Want {
    id: &'static str,
    rating: &'static str,
    /// The data period (`period` of the measure's entry).
    period: Option<&'static str>,
    target: Option<&'static str>,
    short: Option<&'static str>,
    long: Option<&'static str>,
    /// The earlier periods the directions compared with
    /// (`comparisons.short.period`, `comparisons.long.period`).
    short_vs: Option<&'static str>,
    long_vs: Option<&'static str>,
    /// `thresholds` of kind `at-least` (polarity higher): (green, amber), the
    /// lowest green and the lowest amber value (amber = green: no amber band).
    at_least: Option<(&'static str, &'static str)>,
    /// `thresholds` of kind `at-most` (polarity lower): the highest values.
    at_most: Option<(&'static str, &'static str)>,
    /// `thresholds` of kind `between`: green_low, green_high, amber_low, amber_high.
    between: Option<[&'static str; 4]>,
    /// A piece of `reason_text` (for a rating of `none`).
    reason_text: Option<&'static str>,
    /// `actual_display`.
    display: Option<&'static str>,
}

fn m(id: &'static str, rating: &'static str) -> Want {
    Want {
        id,
        rating,
        ..Want::default()
    }
}

impl Want {
    fn at(mut self, data_period: &'static str) -> Self {
        self.period = Some(data_period);
        self
    }
    fn target(mut self, t: &'static str) -> Self {
        self.target = Some(t);
        self
    }
    fn dirs(mut self, short: &'static str, long: &'static str) -> Self {
        self.short = Some(short);
        self.long = Some(long);
        self
    }
    fn short(mut self, short: &'static str) -> Self {
        self.short = Some(short);
        self
    }
    fn vs(mut self, short: &'static str, long: &'static str) -> Self {
        self.short_vs = Some(short);
        self.long_vs = Some(long);
        self
    }
    fn at_least(mut self, green: &'static str, amber: &'static str) -> Self {
        self.at_least = Some((green, amber));
        self
    }
    fn at_most(mut self, green: &'static str, amber: &'static str) -> Self {
        self.at_most = Some((green, amber));
        self
    }
    fn between(mut self, bands: [&'static str; 4]) -> Self {
        self.between = Some(bands);
        self
    }
    fn reason(mut self, text: &'static str) -> Self {
        self.reason_text = Some(text);
        self
    }
    fn display(mut self, text: &'static str) -> Self {
        self.display = Some(text);
        self
    }
}

/// A valid scorecard, the diagnostics `check` must (and must not) give, and
/// the reports to make from it.
struct Case {
    name: &'static str,
    card: &'static str,
    today: &'static str,
    /// Warning codes `check` must print (without the `perfcard::` prefix).
    warns: &'static [&'static str],
    /// Codes `check` must not print.
    quiet: &'static [&'static str],
    reports: Vec<(&'static str, Vec<Want>)>,
}

fn case(name: &'static str, card: &'static str) -> Case {
    Case {
        name,
        card,
        today: TODAY,
        warns: &[],
        quiet: &[],
        reports: Vec::new(),
    }
}

impl Case {
    fn today(mut self, today: &'static str) -> Self {
        self.today = today;
        self
    }
    fn warns(mut self, codes: &'static [&'static str]) -> Self {
        self.warns = codes;
        self
    }
    fn quiet(mut self, codes: &'static [&'static str]) -> Self {
        self.quiet = codes;
        self
    }
    fn report(mut self, period: &'static str, wants: Vec<Want>) -> Self {
        self.reports.push((period, wants));
        self
    }
}

/// An invalid scorecard: `check` exits 1 and names `code`, (where given) at
/// `line`, with a message naming each of `mentions`.
#[derive(Default)]
struct Bad {
    name: &'static str,
    card: &'static str,
    code: &'static str,
    line: Option<u64>,
    mentions: &'static [&'static str],
}

fn perfcard(dir: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .current_dir(dir)
        .env("PERFCARD_TODAY", today)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_card(card: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("card.perf"), card).expect("the card is written");
    dir
}

/// The codes `check --format json` printed (without `perfcard::`), its exit
/// status, and its error output.
fn check(dir: &Path, today: &str) -> (Vec<String>, Option<i32>, String) {
    let o = perfcard(dir, today, &["check", "--format", "json", "card.perf"]);
    let out = text(&o.stdout);
    let codes = match serde_json::from_str::<Value>(&out) {
        Ok(Value::Array(items)) => items
            .iter()
            .filter_map(|d| d["code"].as_str())
            .map(|c| c.trim_start_matches("perfcard::").to_string())
            .collect(),
        _ => Vec::new(),
    };
    (codes, o.status.code(), format!("{out}{}", text(&o.stderr)))
}

fn same_number(got: &Value, want: &str) -> bool {
    let Some(got) = got.as_str() else {
        return false;
    };
    match (Decimal::from_str(got), Decimal::from_str(want)) {
        (Ok(a), Ok(b)) => a == b,
        _ => got == want,
    }
}

fn compare(entry: &Value, want: &Want, failures: &mut Vec<String>, at: &str) {
    let mut fail = |what: &str, expected: String, got: &Value| {
        failures.push(format!(
            "{at} {}: {what}: expected {expected}, got {got}",
            want.id
        ));
    };
    if entry["rating"] != want.rating {
        fail("rating", want.rating.into(), &entry["rating"]);
    }
    if let Some(p) = want.period {
        if entry["period"] != p {
            fail("data period", p.into(), &entry["period"]);
        }
    }
    if let Some(t) = want.target {
        if !same_number(&entry["target"], t) {
            fail("target", t.into(), &entry["target"]);
        }
    }
    if let Some(s) = want.short {
        if entry["direction"]["short"] != s {
            fail("direction.short", s.into(), &entry["direction"]["short"]);
        }
    }
    if let Some(l) = want.long {
        if entry["direction"]["long"] != l {
            fail("direction.long", l.into(), &entry["direction"]["long"]);
        }
    }
    if let Some(p) = want.short_vs {
        let got = &entry["comparisons"]["short"]["period"];
        if got != p {
            fail("comparisons.short.period", p.into(), got);
        }
    }
    if let Some(p) = want.long_vs {
        let got = &entry["comparisons"]["long"]["period"];
        if got != p {
            fail("comparisons.long.period", p.into(), got);
        }
    }
    let th = &entry["thresholds"];
    let kind_and_values: Option<(&str, Vec<(&str, &str)>)> =
        match (want.at_least, want.at_most, want.between) {
            (Some((g, a)), _, _) => Some(("at-least", vec![("green", g), ("amber", a)])),
            (_, Some((g, a)), _) => Some(("at-most", vec![("green", g), ("amber", a)])),
            (_, _, Some([gl, gh, al, ah])) => Some((
                "between",
                vec![
                    ("green_low", gl),
                    ("green_high", gh),
                    ("amber_low", al),
                    ("amber_high", ah),
                ],
            )),
            _ => None,
        };
    if let Some((kind, values)) = kind_and_values {
        if th["kind"] != kind {
            fail("thresholds.kind", kind.into(), &th["kind"]);
        }
        for (field, value) in values {
            if !same_number(&th[field], value) {
                fail(&format!("thresholds.{field}"), value.into(), &th[field]);
            }
        }
    }
    if let Some(r) = want.reason_text {
        let got = entry["reason_text"].as_str().unwrap_or("");
        if !got.contains(r) {
            fail(
                "reason_text",
                format!("containing {r:?}"),
                &entry["reason_text"],
            );
        }
    }
    if let Some(d) = want.display {
        if entry["actual_display"] != d {
            fail("actual_display", d.into(), &entry["actual_display"]);
        }
    }
}

fn run_case(c: &Case, failures: &mut Vec<String>) {
    let dir = write_card(c.card);
    let (codes, status, out) = check(dir.path(), c.today);
    if status != Some(0) {
        failures.push(format!(
            "[{}] check: expected exit 0, got {status:?}:\n{out}",
            c.name
        ));
    }
    for w in c.warns {
        if !codes.iter().any(|c| c == w) {
            failures.push(format!(
                "[{}] check: expected warning `{w}`, got {codes:?}",
                c.name
            ));
        }
    }
    for q in c.quiet {
        if codes.iter().any(|c| c == q) {
            failures.push(format!(
                "[{}] check: `{q}` must not be reported, got {codes:?}",
                c.name
            ));
        }
    }
    // `fmt` changes only the layout, never the meaning: the tidied copy
    // must report the same.
    std::fs::write(dir.path().join("tidy.perf"), c.card).expect("the copy is written");
    let tidied = perfcard(dir.path(), c.today, &["fmt", "tidy.perf"]);
    if tidied.status.code() != Some(0) {
        failures.push(format!(
            "[{}] fmt: exited {:?}:\n{}",
            c.name,
            tidied.status.code(),
            text(&tidied.stderr)
        ));
    }
    for (period, wants) in &c.reports {
        // An empty period: no `--period`, the report's own choice.
        let at = format!("[{}] --period {period:?}", c.name);
        let report = |file: &str| {
            let mut args = vec!["report", file, "--format", "json"];
            if !period.is_empty() {
                args.extend(["--period", period]);
            }
            perfcard(dir.path(), c.today, &args)
        };
        let o = report("card.perf");
        let tidy = report("tidy.perf");
        let measures = |o: &Output| {
            serde_json::from_slice::<Value>(&o.stdout)
                .map_or(Value::Null, |j| j["measures"].clone())
        };
        if measures(&o) != measures(&tidy) {
            failures.push(format!(
                "{at}: the report of the `fmt`-tidied card differs:\n{}",
                text(&tidy.stdout)
            ));
        }
        if o.status.code() != Some(0) {
            failures.push(format!(
                "{at}: report exited {:?}:\n{}",
                o.status.code(),
                text(&o.stderr)
            ));
            continue;
        }
        let json: Value = match serde_json::from_slice(&o.stdout) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{at}: report is not JSON: {e}"));
                continue;
            }
        };
        for want in wants {
            let entry = json["measures"]
                .as_array()
                .and_then(|ms| ms.iter().find(|e| e["id"] == want.id));
            match entry {
                Some(entry) => compare(entry, want, failures, &at),
                None => failures.push(format!("{at}: no measure {}", want.id)),
            }
        }
    }
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        run_case(c, &mut failures);
    }
    assert!(
        failures.is_empty(),
        "{} discrepancies:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn run_bad(cases: Vec<Bad>) {
    let mut failures = Vec::new();
    for b in &cases {
        let dir = write_card(b.card);
        let o = perfcard(
            dir.path(),
            TODAY,
            &["check", "--format", "json", "card.perf"],
        );
        let json: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        let wanted = format!("perfcard::{}", b.code);
        let found = json
            .as_array()
            .and_then(|ds| ds.iter().find(|d| d["code"] == wanted.as_str()));
        let Some(found) = found else {
            failures.push(format!(
                "[{}] check: expected exit 1 with `{}`, got {:?}:\n{}{}",
                b.name,
                b.code,
                o.status.code(),
                text(&o.stdout),
                text(&o.stderr)
            ));
            continue;
        };
        if o.status.code() != Some(1) {
            failures.push(format!(
                "[{}] check: expected exit 1, got {:?}",
                b.name,
                o.status.code()
            ));
        }
        if let Some(line) = b.line {
            if found["line"].as_u64() != Some(line) {
                failures.push(format!(
                    "[{}] `{}` expected at line {line}, got {}",
                    b.name, b.code, found["line"]
                ));
            }
        }
        let message = found["message"].as_str().unwrap_or("");
        for m in b.mentions {
            if !message.contains(m) {
                failures.push(format!(
                    "[{}] `{}` message should name {m:?}: {message:?}",
                    b.name, b.code
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} discrepancies:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Ids that start with a digit
// ---------------------------------------------------------------------------

#[test]
fn ids_starting_with_a_digit() {
    run(vec![
        // Q1: 96 ≥ 95 green; 80 < 90 with no amber band (default amber 0)
        // red; 75 ≥ 70 green. worst(green, red) = red;
        // majority(green, red, green) = green.
        case(
            "numbered measures and composites",
            r#"
group "Housing" {
  measure 1.1.2.PI "Rent collected (%)" {
    unit percent
    polarity higher
    target 2017/18 95%
    actual 2017/18 Q1 96%
  }
  measure 1.1.3.PI "Repairs on time (%)" {
    unit percent
    polarity higher
    target 2017/18 90%
    actual 2017/18 Q1 80%
  }
  measure 2.3a "Homes let within 28 days (%)" {
    unit percent
    polarity higher
    target 2017/18 70%
    actual 2017/18 Q1 75%
  }
  measure 1.1.9.C "Housing, worst" {
    composite worst of 1.1.2.PI, 1.1.3.PI
  }
  measure 1.1.10.C "Housing, majority" {
    composite majority of 1.1.2.PI, 1.1.3.PI, 2.3a
  }
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("1.1.2.PI", "green").target("95"),
                m("1.1.3.PI", "red"),
                m("2.3a", "green"),
                m("1.1.9.C", "red"),
                m("1.1.10.C", "green"),
            ],
        ),
        // Ids of digits only, or digits and dots, are ids by the lexical
        // rule ("a letter or a digit, then letters, digits, _, - or .").
        // 12 ≥ 10 green; 8 < 10 red; worst = red.
        case(
            "ids of digits and dots only",
            r#"
measure 42 "Answered calls" {
  unit count
  polarity higher
  target 2017/18 10
  actual 2017/18 Q1 12
}
measure 1.1 "Callbacks" {
  unit count
  polarity higher
  target 2017/18 10
  actual 2017/18 Q1 8
}
measure 7 "Contact centre" {
  composite worst of 42, 1.1
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("42", "green"), m("1.1", "red"), m("7", "red")],
        ),
        // Ids are compared case-sensitively: `2.3a` and `2.3A` are two
        // measures. 6 ≥ 5 green; 4 < 5 red.
        case(
            "digit ids differing in case",
            r#"
measure 2.3a "a" { unit number polarity higher target 2017/18 5 actual 2017/18 Q1 6 }
measure 2.3A "b" { unit number polarity higher target 2017/18 5 actual 2017/18 Q1 4 }
"#,
        )
        .quiet(&["duplicate-id"])
        .report("2017/18 Q1", vec![m("2.3a", "green"), m("2.3A", "red")]),
    ]);
}

// ---------------------------------------------------------------------------
// red beyond
// ---------------------------------------------------------------------------

#[test]
fn red_beyond_from_the_target() {
    run(vec![
        // The reference's worked example: target 50, tolerance 5%
        // (relative: 50 − 50·5/100 = 47.5), red beyond 10% (relative, from
        // the target: 50 − 50·10/100 = 45). Green ≥ 47.5, amber ≥ 45,
        // red below: 47.5 green, 47.4 amber, 45 amber, 44.9 red, 43 red.
        case(
            "worked example: tolerance 5%, red beyond 10% in defaults",
            r#"
defaults {
  tolerance 5%
  red beyond 10%
}

measure 1.1.4.KR "% of residents satisfied with the local area" {
  unit percent
  polarity higher
  target 2024/25 50%
  actual 2024/25 Q3 43%
}
measure G475 "at the green threshold" {
  unit percent
  polarity higher
  target 2024/25 50%
  actual 2024/25 Q3 47.5%
}
measure A474 "just below green" {
  unit percent
  polarity higher
  target 2024/25 50%
  actual 2024/25 Q3 47.4%
}
measure A45 "at the red threshold" {
  unit percent
  polarity higher
  target 2024/25 50%
  actual 2024/25 Q3 45%
}
measure R449 "just below the red threshold" {
  unit percent
  polarity higher
  target 2024/25 50%
  actual 2024/25 Q3 44.9%
}
"#,
        )
        .report(
            "2024/25 Q3",
            vec![
                m("1.1.4.KR", "red").at_least("47.5", "45").target("50"),
                m("G475", "green").at_least("47.5", "45"),
                m("A474", "amber"),
                m("A45", "amber"),
                m("R449", "red"),
            ],
        ),
        // Percentage points: target 80%, tolerance 2pp → green ≥ 78;
        // red beyond 10pp → red below 80 − 10 = 70.
        // 78 green, 77.9 amber, 70 amber, 69.9 red.
        case(
            "percentage points",
            r#"
defaults {
  unit percent
  polarity higher
  tolerance 2pp
  red beyond 10pp
}
measure P78 "a" { target 2017/18 80% actual 2017/18 Q1 78% }
measure P779 "b" { target 2017/18 80% actual 2017/18 Q1 77.9% }
measure P70 "c" { target 2017/18 80% actual 2017/18 Q1 70% }
measure P699 "d" { target 2017/18 80% actual 2017/18 Q1 69.9% }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("P78", "green").at_least("78", "70"),
                m("P779", "amber"),
                m("P70", "amber"),
                m("P699", "red"),
            ],
        ),
        // Absolute, polarity lower: target 20 days, tolerance 1 → green
        // ≤ 21; red beyond 3 → red above 20 + 3 = 23.
        // 21 green, 21.5 amber, 23 amber, 23.1 red.
        case(
            "absolute, polarity lower",
            r#"
defaults {
  unit days
  polarity lower
  tolerance 1
  red beyond 3
}
measure L21 "a" { target 2017/18 20 actual 2017/18 Q1 21 }
measure L215 "b" { target 2017/18 20 actual 2017/18 Q1 21.5 }
measure L23 "c" { target 2017/18 20 actual 2017/18 Q1 23 }
measure L231 "d" { target 2017/18 20 actual 2017/18 Q1 23.1 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("L21", "green").at_most("21", "23"),
                m("L215", "amber"),
                m("L23", "amber"),
                m("L231", "red"),
            ],
        ),
        // Relative, polarity lower, no tolerance: target 200, green ≤ 200;
        // red beyond 10% → red above 200 + 200·10/100 = 220.
        // 200 green, 220 amber, 220.5 red.
        case(
            "relative, polarity lower",
            r#"
defaults {
  unit number
  polarity lower
  red beyond 10%
}
measure R200 "a" { target 2017/18 200 actual 2017/18 Q1 200 }
measure R220 "b" { target 2017/18 200 actual 2017/18 Q1 220 }
measure R2205 "c" { target 2017/18 200 actual 2017/18 Q1 220.5 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("R200", "green").at_most("200", "220"),
                m("R220", "amber"),
                m("R2205", "red"),
            ],
        ),
        // Polarity target, absolute: target 100, tolerance 2 → green 98–102;
        // red beyond 5 on both sides → amber 95–105.
        // 102 green, 97 amber, 105 amber, 94.9 red, 105.1 red.
        case(
            "absolute, polarity target",
            r#"
defaults {
  unit number
  polarity target
  tolerance 2
  red beyond 5
}
measure T102 "a" { target 2017/18 100 actual 2017/18 Q1 102 }
measure T97 "b" { target 2017/18 100 actual 2017/18 Q1 97 }
measure T105 "c" { target 2017/18 100 actual 2017/18 Q1 105 }
measure T949 "d" { target 2017/18 100 actual 2017/18 Q1 94.9 }
measure T1051 "e" { target 2017/18 100 actual 2017/18 Q1 105.1 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("T102", "green").between(["98", "102", "95", "105"]),
                m("T97", "amber"),
                m("T105", "amber"),
                m("T949", "red"),
                m("T1051", "red"),
            ],
        ),
        // Polarity target, relative: target 50, tolerance 10% → 45–55;
        // red beyond 20% → 50 ∓ 10 → amber 40–60.
        // 55 green, 40 amber, 60.5 red.
        case(
            "relative, polarity target",
            r#"
defaults {
  unit number
  polarity target
  tolerance 10%
  red beyond 20%
}
measure U55 "a" { target 2017/18 50 actual 2017/18 Q1 55 }
measure U40 "b" { target 2017/18 50 actual 2017/18 Q1 40 }
measure U605 "c" { target 2017/18 50 actual 2017/18 Q1 60.5 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("U55", "green").between(["45", "55", "40", "60"]),
                m("U40", "amber"),
                m("U605", "red"),
            ],
        ),
        // Relative on a negative target uses |t|: polarity higher, target
        // −10, red beyond 10% → −10 − |−10|·10/100 = −11; green ≥ −10.
        // −10 green, −11 amber, −11.1 red.
        case(
            "relative on a negative target",
            r#"
defaults {
  unit number
  polarity higher
  red beyond 10%
}
measure N10 "a" { target 2017/18 -10 actual 2017/18 Q1 -10 }
measure N11 "b" { target 2017/18 -10 actual 2017/18 Q1 -11 }
measure N111 "c" { target 2017/18 -10 actual 2017/18 Q1 -11.1 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("N10", "green").at_least("-10", "-11"),
                m("N11", "amber"),
                m("N111", "red"),
            ],
        ),
    ]);
}

#[test]
fn red_beyond_and_amber_replace_each_other() {
    run(vec![
        // The measure's own `amber 5%` replaces the inherited `red beyond
        // 10%`: target 100, green ≥ 100, amber ≥ 100 − 5 = 95.
        // 95 amber; 92 red (it would be amber with red beyond 10%: ≥ 90).
        case(
            "own amber replaces inherited red beyond",
            r#"
defaults {
  unit number
  polarity higher
  red beyond 10%
}
measure A95 "a" { amber 5% target 2017/18 100 actual 2017/18 Q1 95 }
measure A92 "b" { amber 5% target 2017/18 100 actual 2017/18 Q1 92 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("A95", "amber").at_least("100", "95"), m("A92", "red")],
        ),
        // The measure's own `red beyond 5%` replaces the inherited `amber
        // 20%`: red below 95. 95 amber; 90 red (amber 20% would give ≥ 80).
        case(
            "own red beyond replaces inherited amber",
            r#"
defaults {
  unit number
  polarity higher
  amber 20%
}
measure B95 "a" { red beyond 5% target 2017/18 100 actual 2017/18 Q1 95 }
measure B90 "b" { red beyond 5% target 2017/18 100 actual 2017/18 Q1 90 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("B95", "amber").at_least("100", "95"), m("B90", "red")],
        ),
        // A nearer defaults block replaces the outer one the same way.
        // Inner `amber 2%` over outer `red beyond 10%`: amber ≥ 98; 97 red.
        // A measure after the group is outside the inner block: outer
        // `red beyond 10%` → red below 90; 91 amber.
        case(
            "nearer defaults replace outer ones",
            r#"
defaults {
  unit number
  polarity higher
  red beyond 10%
}
group "Inner amber" {
  defaults { amber 2% }
  measure C97 "a" { target 2017/18 100 actual 2017/18 Q1 97 }
}
measure C91 "outer red beyond still applies here" {
  target 2017/18 100
  actual 2017/18 Q1 91
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("C97", "red").at_least("100", "98"),
                m("C91", "amber").at_least("100", "90"),
            ],
        ),
        // Inner `red beyond 5%` over outer `amber 20%`: amber ≥ 95; 95 amber,
        // 94 red. After the group: outer `amber 20%` → amber ≥ 80; 85 amber.
        case(
            "nearer red beyond replaces outer amber",
            r#"
defaults {
  unit number
  polarity higher
  amber 20%
}
group "Inner red beyond" {
  defaults { red beyond 5% }
  measure D95 "a" { target 2017/18 100 actual 2017/18 Q1 95 }
  measure D94 "b" { target 2017/18 100 actual 2017/18 Q1 94 }
}
measure D85 "after the group" {
  target 2017/18 100
  actual 2017/18 Q1 85
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("D95", "amber").at_least("100", "95"),
                m("D94", "red"),
                m("D85", "amber").at_least("100", "80"),
            ],
        ),
        // Two defaults blocks at the same level: the later one is the
        // nearer to the measures after it, and its `red beyond 5%` replaces
        // the earlier `amber 20%` (the reference: "a measure has either an
        // amber band or a red-beyond distance"). Red below 95: 94 red.
        case(
            "a later defaults block at the same level",
            r#"
defaults {
  unit number
  polarity higher
  amber 20%
}
defaults {
  red beyond 5%
}
measure LD "a" { target 2017/18 100 actual 2017/18 Q1 94 }
"#,
        )
        .report("2017/18 Q1", vec![m("LD", "red").at_least("100", "95")]),
        // Tolerance is separate from the amber/red-beyond choice: inherited
        // `tolerance 5%` still applies with the measure's own red beyond.
        // Target 50: green ≥ 47.5, red below 45 (not 47.5 − 50% = 23.75).
        // 44 red.
        case(
            "inherited tolerance with own red beyond",
            r#"
defaults {
  unit number
  polarity higher
  tolerance 5%
  amber 50%
}
measure E44 "a" { red beyond 10% target 2017/18 50 actual 2017/18 Q1 44 }
"#,
        )
        .report("2017/18 Q1", vec![m("E44", "red").at_least("47.5", "45")]),
        // Own tolerance with inherited red beyond: target 100, tolerance 2%
        // → green ≥ 98, red beyond 10% → red below 90. 97 amber, 89 red.
        case(
            "own tolerance with inherited red beyond",
            r#"
defaults {
  unit number
  polarity higher
  red beyond 10%
}
measure F97 "a" { tolerance 2% target 2017/18 100 actual 2017/18 Q1 97 }
measure F89 "b" { tolerance 2% target 2017/18 100 actual 2017/18 Q1 89 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("F97", "amber").at_least("98", "90"), m("F89", "red")],
        ),
    ]);
}

#[test]
fn red_beyond_equal_to_the_tolerance_leaves_no_amber() {
    run(vec![
        // tolerance 5%, red beyond 5%, target 100: both thresholds 95.
        // 95 green, 94.9 red.
        case(
            "equal relative distances",
            r#"
defaults {
  unit number
  polarity higher
  tolerance 5%
  red beyond 5%
}
measure G95 "a" { target 2017/18 100 actual 2017/18 Q1 95 }
measure G949 "b" { target 2017/18 100 actual 2017/18 Q1 94.9 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("G95", "green").at_least("95", "95"), m("G949", "red")],
        ),
        // Different kinds, equal at the target: tolerance 5pp (95) and red
        // beyond 5% (100 − 5 = 95) at target 100%: allowed, no amber.
        // 94 red.
        case(
            "equal distances of different kinds",
            r#"
measure H94 "a" {
  unit percent
  polarity higher
  tolerance 5pp
  red beyond 5%
  target 2017/18 100%
  actual 2017/18 Q1 94%
}
"#,
        )
        .report("2017/18 Q1", vec![m("H94", "red").at_least("95", "95")]),
        // Polarity lower: target 10, tolerance 2, red beyond 2: green ≤ 12,
        // nothing amber. 12 green, 12.1 red.
        case(
            "equal absolute distances, polarity lower",
            r#"
defaults {
  unit number
  polarity lower
  tolerance 2
  red beyond 2
}
measure J12 "a" { target 2017/18 10 actual 2017/18 Q1 12 }
measure J121 "b" { target 2017/18 10 actual 2017/18 Q1 12.1 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("J12", "green").at_most("12", "12"), m("J121", "red")],
        ),
        // Different kinds that are fine at this target: tolerance 2pp, red
        // beyond 10% of 50 = 5 ≥ 2 → green ≥ 48, red below 45. 46 amber.
        case(
            "tolerance 2pp with red beyond 10% at a target where it is wider",
            r#"
measure K46 "a" {
  unit percent
  polarity higher
  tolerance 2pp
  red beyond 10%
  target 2017/18 50%
  actual 2017/18 Q1 46%
}
"#,
        )
        .report("2017/18 Q1", vec![m("K46", "amber").at_least("48", "45")]),
    ]);
}

// ---------------------------------------------------------------------------
// Monthly measures
// ---------------------------------------------------------------------------

#[test]
fn monthly_measures() {
    run(vec![
        // The reference's ASC07, with a December and a January added.
        // Polarity lower, no bands: green ≤ target, else red.
        // Apr: 470 > 450 red; previous month 2016/17 Mar and 2016/17 Apr
        //   have no value → new, new.
        // May: 430 ≤ 450 green; vs Apr 470 lower is better → improving.
        // Jun: 441 green; vs May 430 → worsening.
        // Q1 → its last month, Jun: the same as Jun.
        // Q3 → Dec: 480 > 450 red; Nov has no value → new.
        // Jan: the month target 500 wins over the annual 450: 480 ≤ 500
        //   green; vs Dec 480 → same.
        // Q4 → Mar: no actual → none.
        case(
            "ASC07",
            r#"
measure ASC07 "Delayed transfers of care (days)" {
  unit days
  polarity lower
  cadence monthly
  target 2017/18 450                       // every month of the year
  target 2017/18 Jan 500                   // one month (wins over the annual)
  actual {
    2017/18 Apr 470
    2017/18 May 430
    2017/18 Jun 441
    2017/18 Dec 480
    2017/18 Jan 480
  }
}
"#,
        )
        .report(
            "2017/18 Apr",
            vec![m("ASC07", "red")
                .at("2017/18 Apr")
                .target("450")
                .dirs("new", "new")
                .vs("2016/17 Mar", "2016/17 Apr")],
        )
        .report(
            "2017/18 May",
            vec![m("ASC07", "green")
                .at("2017/18 May")
                .dirs("improving", "new")
                .vs("2017/18 Apr", "2016/17 May")],
        )
        .report(
            "2017/18 Jun",
            vec![m("ASC07", "green").at("2017/18 Jun").short("worsening")],
        )
        .report(
            "2017/18 Q1",
            vec![m("ASC07", "green")
                .at("2017/18 Jun")
                .short("worsening")
                .vs("2017/18 May", "2016/17 Jun")],
        )
        .report(
            "2017/18 Q3",
            vec![m("ASC07", "red").at("2017/18 Dec").short("new")],
        )
        .report(
            "2017/18 Jan",
            vec![m("ASC07", "green")
                .at("2017/18 Jan")
                .target("500")
                .at_most("500", "500")
                .short("same")
                .vs("2017/18 Dec", "2016/17 Jan")],
        )
        .report("2017/18 Q4", vec![m("ASC07", "none").at("2017/18 Mar")]),
        // Quarter targets apply to each month of the quarter (and win over
        // the annual, as in version 0); a month target is the most specific
        // and wins over both (the reference says a month target wins over
        // the annual; over a quarter target it follows "most specific").
        // Jul: target 60, 65 green. Aug: 55 < 60 red. Sep: target 70, 65
        // red. Oct: annual 50, 55 green. Q2 → Sep.
        case(
            "quarter, month and annual targets",
            r#"
measure M2 "Visits" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 50
  target 2017/18 Q2 60
  target 2017/18 Sep 70
  actual {
    2017/18 Jul 65
    2017/18 Aug 55
    2017/18 Sep 65
    2017/18 Oct 55
  }
}
"#,
        )
        .report("2017/18 Jul", vec![m("M2", "green").target("60")])
        .report("2017/18 Aug", vec![m("M2", "red").target("60")])
        .report("2017/18 Sep", vec![m("M2", "red").target("70")])
        .report("2017/18 Oct", vec![m("M2", "green").target("50")])
        .report(
            "2017/18 Q2",
            vec![m("M2", "red").at("2017/18 Sep").target("70")],
        ),
        // A graduated block of months gives each month its target.
        // Apr 45 ≥ 40 green; May 75 < 80 red; Jun 120 ≥ 120 green;
        // Jul has no target → none. Q1 → Jun.
        case(
            "graduated block of months",
            r#"
measure M3 "Cases closed" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 { Apr 40 May 80 Jun 120 }
  actual {
    2017/18 Apr 45
    2017/18 May 75
    2017/18 Jun 120
    2017/18 Jul 10
  }
}
"#,
        )
        .report("2017/18 Apr", vec![m("M3", "green").target("40")])
        .report("2017/18 May", vec![m("M3", "red").target("80")])
        .report(
            "2017/18 Q1",
            vec![m("M3", "green").at("2017/18 Jun").target("120")],
        )
        .report("2017/18 Jul", vec![m("M3", "none").at("2017/18 Jul")]),
        // Directions of a monthly measure: short against the previous month
        // (for Apr: the previous year's Mar), long against the same month
        // last year. Apr 11: vs 2016/17 Mar 10 improving, vs 2016/17 Apr 12
        // worsening. May 11: vs Apr 11 same, vs 2016/17 May 11 same.
        // Polarity none: up/down: May 7 vs Apr 5 → up; no last year → new.
        case(
            "monthly directions",
            r#"
measure D1 "Monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2016/17 Mar 10
    2016/17 Apr 12
    2016/17 May 11
    2017/18 Apr 11
    2017/18 May 11
  }
}
measure D2 "Context only" {
  unit count
  polarity none
  cadence monthly
  actual {
    2017/18 Apr 5
    2017/18 May 7
  }
}
"#,
        )
        .report(
            "2017/18 Apr",
            vec![m("D1", "green")
                .dirs("improving", "worsening")
                .vs("2016/17 Mar", "2016/17 Apr")],
        )
        .report(
            "2017/18 May",
            vec![
                m("D1", "green").dirs("same", "same"),
                m("D2", "none").dirs("up", "new"),
            ],
        ),
        // A month value on a quarterly measure, or a quarter value on a
        // monthly one, is a cadence-mismatch (a warning, as in version 0).
        case(
            "month value on a quarterly measure",
            r#"
measure X1 "a" {
  unit count
  polarity higher
  target 2017/18 10
  actual 2017/18 Q1 12
  actual 2017/18 Jun 12
}
"#,
        )
        .warns(&["cadence-mismatch"]),
        case(
            "quarter value on a monthly measure",
            r#"
measure X2 "a" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual 2017/18 Jun 12
  actual 2017/18 Q2 12
}
"#,
        )
        .warns(&["cadence-mismatch"]),
        // Month targets (one, or a graduated block of months) on a
        // quarterly measure likewise.
        case(
            "month targets on a quarterly measure",
            r#"
measure X4 "a" {
  unit count
  polarity higher
  target 2017/18 Jan 10
  target 2018/19 { Apr 10 May 20 Jun 30 }
  actual 2017/18 Q1 12
}
"#,
        )
        .warns(&["cadence-mismatch"]),
        // A month value on an annual measure likewise.
        case(
            "month value on an annual measure",
            r#"
measure X3 "a" {
  unit count
  polarity higher
  cadence annual
  target 2017/18 10
  actual 2017/18 11
  actual 2017/18 Jun 12
}
"#,
        )
        .warns(&["cadence-mismatch"]),
    ]);
}

#[test]
fn other_cadences_in_month_reports() {
    run(vec![
        // A month report rates a quarterly measure on the latest quarter
        // ended by the end of the month, an annual one on the latest year
        // ended by then.
        // 2017/18 May (ends 31 May 2017): quarter 2016/17 Q4 (Jan–Mar 2017;
        //   2017/18 Q1 ends 30 Jun) → 8 < 10 red; year 2016/17 → 9 red.
        // 2017/18 Jun: quarter 2017/18 Q1 → 12 green, vs 2016/17 Q4 8
        //   improving; year still 2016/17.
        // 2017/18 Feb (Feb 2018): quarter 2017/18 Q3 → no actual, none;
        //   year 2016/17 (2017/18 ends Mar 2018).
        // 2017/18 Mar: year 2017/18 → 11 green, vs 2016/17 9 improving
        //   (both directions compare with the previous year).
        // 2018/19 Apr: quarter 2017/18 Q4 (no actual) none; year 2017/18.
        // And a quarter report: 2017/18 Q4 → year 2017/18 (version 0 rule).
        case(
            "quarterly and annual measures in a month report",
            r#"
measure Q "Quarterly" {
  unit count
  polarity higher
  target 2016/17 10
  target 2017/18 10
  actual {
    2016/17 Q4 8
    2017/18 Q1 12
  }
}
measure Y "Annual" {
  unit count
  polarity higher
  cadence annual
  target 2016/17 10
  target 2017/18 10
  actual {
    2016/17 9
    2017/18 11
  }
}
"#,
        )
        .report(
            "2017/18 May",
            vec![m("Q", "red").at("2016/17 Q4"), m("Y", "red").at("2016/17")],
        )
        .report(
            "2017/18 Jun",
            vec![
                m("Q", "green").at("2017/18 Q1").short("improving"),
                m("Y", "red").at("2016/17"),
            ],
        )
        .report(
            "2017/18 Feb",
            vec![m("Q", "none").at("2017/18 Q3"), m("Y", "red").at("2016/17")],
        )
        .report(
            "2017/18 Mar",
            vec![
                m("Q", "none").at("2017/18 Q4"),
                m("Y", "green").at("2017/18").dirs("improving", "improving"),
            ],
        )
        .report(
            "2018/19 Apr",
            vec![
                m("Q", "none").at("2017/18 Q4"),
                m("Y", "green").at("2017/18"),
            ],
        )
        .report("2017/18 Q4", vec![m("Y", "green").at("2017/18")]),
    ]);
}

#[test]
fn lags_in_months_and_quarters() {
    run(vec![
        // `lag 2 months` on a monthly measure: Jun → Apr (12 green),
        // Jul → May (8 red); a quarter report 2017/18 Q1 → its last month
        // Jun → Apr.
        case(
            "lag 2 months, monthly",
            r#"
measure L1 "Lagged two months" {
  unit count
  polarity higher
  cadence monthly
  lag 2 months
  target 2017/18 10
  actual {
    2017/18 Apr 12
    2017/18 May 8
  }
}
"#,
        )
        .quiet(&["lag-in-quarters"])
        .report("2017/18 Jun", vec![m("L1", "green").at("2017/18 Apr")])
        .report("2017/18 Jul", vec![m("L1", "red").at("2017/18 May")])
        .report("2017/18 Q1", vec![m("L1", "green").at("2017/18 Apr")]),
        // `lag 1 quarters` on a monthly measure is three months: Jun →
        // 2016/17 Mar. A bare `lag 1` says the same, with the warning
        // lag-in-quarters.
        case(
            "lag 1 quarters, monthly",
            r#"
measure L2 "Lagged a quarter" {
  unit count
  polarity higher
  cadence monthly
  lag 1 quarters
  target 2016/17 10
  actual 2016/17 Mar 11
}
"#,
        )
        .quiet(&["lag-in-quarters"])
        .report("2017/18 Jun", vec![m("L2", "green").at("2016/17 Mar")]),
        case(
            "bare lag on a monthly measure",
            r#"
measure L3 "Lagged, unit not said" {
  unit count
  polarity higher
  cadence monthly
  lag 1
  target 2016/17 10
  actual 2016/17 Mar 9
}
"#,
        )
        .warns(&["lag-in-quarters"])
        .report("2017/18 Jun", vec![m("L3", "red").at("2016/17 Mar")]),
        // `lag N months` on a quarterly measure ("any cadence"). The data
        // period is the latest quarter ended by the end of P moved back by
        // the lag. Q2 (ends 30 Sep) moved back 3 months → ends 30 Jun → Q1.
        // Month report 2017/18 Aug: end of Aug − 3 months = end of May →
        // 2016/17 Q4 (or: latest quarter ended by end of Aug is Q1, moved
        // back a quarter's three months → 2016/17 Q4; the same).
        case(
            "lag 3 months, quarterly",
            r#"
measure L4 "Quarterly, lagged three months" {
  unit count
  polarity higher
  lag 3 months
  target 2016/17 10
  target 2017/18 10
  actual {
    2016/17 Q4 9
    2017/18 Q1 11
  }
}
"#,
        )
        .report("2017/18 Q2", vec![m("L4", "green").at("2017/18 Q1")])
        .report("2017/18 Aug", vec![m("L4", "red").at("2016/17 Q4")]),
        // `lag 1 quarters` is `lag 1` on a quarterly measure: Q2 → Q1. In a
        // month report 2017/18 Aug: latest quarter ended is Q1 → back one
        // → 2016/17 Q4.
        case(
            "lag 1 quarters, quarterly",
            r#"
measure L5 "Quarterly, lagged a quarter" {
  unit count
  polarity higher
  lag 1 quarters
  target 2016/17 10
  target 2017/18 10
  actual {
    2016/17 Q4 9
    2017/18 Q1 11
  }
}
"#,
        )
        .quiet(&["lag-in-quarters"])
        .report("2017/18 Q2", vec![m("L5", "green").at("2017/18 Q1")])
        .report("2017/18 Aug", vec![m("L5", "red").at("2016/17 Q4")]),
    ]);
}

// ---------------------------------------------------------------------------
// year-start
// ---------------------------------------------------------------------------

#[test]
fn year_start_january_moves_quarters_and_months() {
    // With `year-start january`, 2017/18 starts on 1 January 2017:
    // Q1 = Jan–Mar 2017, Q2 = Apr–Jun 2017, Q3 = Jul–Sep 2017, Q4 = Oct–Dec
    // 2017; `2017/18 Apr` = April 2017; `2016/17` = the calendar year 2016.
    run(vec![case(
        "year-start january",
        r#"
report "Calendar-year council" {
  year-start january
}

measure Q "Quarterly" {
  unit count
  polarity higher
  target 2017/18 10
  actual {
    2016/17 Q4 9
    2017/18 Q1 12
  }
}
measure Mo "Monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2016/17 Dec 10
    2017/18 Jan 20
    2017/18 Jun 12
    2017/18 Sep 5
    2017/18 Dec 30
  }
}
measure Y "Annual" {
  unit count
  polarity higher
  cadence annual
  target 2015/16 10
  target 2016/17 10
  actual {
    2015/16 5
    2016/17 12
  }
}
measure Ac "Academic" {
  unit count
  polarity higher
  cadence annual
  year academic
  target 2015/16 10
  target 2016/17 10
  actual {
    2015/16 5
    2016/17 12
  }
}
"#,
    )
    // 2017/18 Mar = March 2017 (not 2018): the quarter ended by its end is
    // 2017/18 Q1 (12 green, vs 2016/17 Q4 9 improving); the fiscal year
    // ended by then is 2016/17 (Jan–Dec 2016): 12 green. With the April
    // default these would be 2017/18 Q4 and 2017/18.
    .report(
        "2017/18 Mar",
        vec![
            m("Q", "green").at("2017/18 Q1").short("improving"),
            m("Y", "green").at("2016/17"),
        ],
    )
    // 2017/18 Jan = January 2017, the first month of the year: its previous
    // month is 2016/17 Dec (December 2016, 10): 20 improving.
    .report(
        "2017/18 Jan",
        vec![m("Mo", "green")
            .at("2017/18 Jan")
            .short("improving")
            .vs("2016/17 Dec", "2016/17 Jan")],
    )
    // 2017/18 Q2 = Apr–Jun 2017: the monthly measure on Jun (12 green); the
    // academic year 2016/17 ends in August 2017, not yet → 2015/16 (5 red).
    .report(
        "2017/18 Q2",
        vec![
            m("Mo", "green").at("2017/18 Jun"),
            m("Ac", "red").at("2015/16"),
        ],
    )
    // 2017/18 Q3 = Jul–Sep 2017: Sep (5 red); academic 2016/17 has ended:
    // 12 green, vs 2015/16 improving.
    .report(
        "2017/18 Q3",
        vec![
            m("Mo", "red").at("2017/18 Sep"),
            m("Ac", "green")
                .at("2016/17")
                .dirs("improving", "improving"),
        ],
    )
    // 2017/18 Q4 = Oct–Dec 2017: the last month is Dec (30 green).
    .report("2017/18 Q4", vec![m("Mo", "green").at("2017/18 Dec")])]);
}

// ---------------------------------------------------------------------------
// Calendar and academic years
// ---------------------------------------------------------------------------

#[test]
fn calendar_and_academic_years() {
    run(vec![
        // The reference's P16. Calendar 2011 ends in December 2011: reported
        // from 2011/12 Q3 (Oct–Dec 2011), not from Q2 (which gets 2010).
        // 2011: 78.2 ≥ 78.2 green; vs 2010 77.9 improving (both).
        // 2010: no target → none. 2012/13 Q2 (ends Sep 2012) → still 2011;
        // 2012/13 Q3 → 2012 (no actual, no target) → none.
        // Month reports: 2011/12 Dec → 2011; 2011/12 Nov → 2010.
        case(
            "calendar years: P16",
            r#"
measure P16 "Life expectancy in the most deprived fifth of neighbourhoods" {
  unit "years"
  polarity higher
  cadence annual
  year calendar
  target 2011 78.2
  actual { 2010 77.9  2011 78.2 }
}
"#,
        )
        .report(
            "2011/12 Q3",
            vec![m("P16", "green")
                .at("2011")
                .target("78.2")
                .at_least("78.2", "78.2")
                .dirs("improving", "improving")
                .vs("2010", "2010")],
        )
        .report("2011/12 Q2", vec![m("P16", "none").at("2010")])
        .report("2012/13 Q2", vec![m("P16", "green").at("2011")])
        .report("2012/13 Q3", vec![m("P16", "none").at("2012")])
        .report("2011/12 Dec", vec![m("P16", "green").at("2011")])
        .report("2011/12 Nov", vec![m("P16", "none").at("2010")]),
        // Academic 2016/17 (Sep 2016–Aug 2017) is reported from 2017/18 Q2
        // (Jul–Sep 2017), not Q1 (which gets 2015/16, no target → none).
        // 47 ≥ 46 green; vs 2015/16 45 improving (both).
        // Month reports: 2017/18 Aug → 2016/17; 2017/18 Jul → 2015/16.
        case(
            "academic years",
            r#"
measure KS4 "Average Attainment 8 score" {
  unit number
  polarity higher
  cadence annual
  year academic
  target 2016/17 46
  actual {
    2015/16 45
    2016/17 47
  }
}
"#,
        )
        .report(
            "2017/18 Q2",
            vec![m("KS4", "green")
                .at("2016/17")
                .dirs("improving", "improving")
                .vs("2015/16", "2015/16")],
        )
        .report("2017/18 Q1", vec![m("KS4", "none").at("2015/16")])
        .report("2017/18 Aug", vec![m("KS4", "green").at("2016/17")])
        .report("2017/18 Jul", vec![m("KS4", "none").at("2015/16")]),
        // After lag: `lag 1` (a quarter) moves the end of P back three
        // months. 2011/12 Q4 (ends Mar 2012) → end of Dec 2011 → 2011.
        // 2011/12 Q3 (ends Dec 2011) → end of Sep 2011 → 2010.
        case(
            "calendar year with a lag",
            r#"
measure P17 "Healthy life expectancy" {
  unit "years"
  polarity higher
  cadence annual
  year calendar
  lag 1
  target 2010 60
  target 2011 60
  actual { 2010 59  2011 61 }
}
"#,
        )
        .report("2011/12 Q4", vec![m("P17", "green").at("2011")])
        .report("2011/12 Q3", vec![m("P17", "red").at("2010")]),
        // A value written in another kind of year is a cadence-mismatch
        // (a warning, as in version 0).
        case(
            "financial year value on a calendar measure",
            r#"
measure P18 "a" {
  unit number
  polarity higher
  cadence annual
  year calendar
  target 2011 5
  actual 2011 6
  actual 2011/12 5
}
"#,
        )
        .warns(&["cadence-mismatch"]),
        case(
            "calendar year value on a financial annual measure",
            r#"
measure P19 "a" {
  unit number
  polarity higher
  cadence annual
  target 2011/12 5
  actual 2011/12 6
  actual 2011 5
}
"#,
        )
        .warns(&["cadence-mismatch"]),
    ]);
}

// ---------------------------------------------------------------------------
// unit percent-change
// ---------------------------------------------------------------------------

#[test]
fn percent_change() {
    run(vec![
        // Polarity lower, target −5%, tolerance 1pp → green ≤ −4; red beyond
        // 3pp → red above −5 + 3 = −2. −4 green, −3.5 amber, −2 amber,
        // −1.9 red. Displayed with %.
        case(
            "negative values with pp bands",
            r#"
defaults {
  unit percent-change
  polarity lower
  tolerance 1pp
  red beyond 3pp
}
measure W4 "% change in residual waste" { target 2017/18 -5% actual 2017/18 Q1 -4% }
measure W35 "b" { target 2017/18 -5% actual 2017/18 Q1 -3.5% }
measure W2 "c" { target 2017/18 -5% actual 2017/18 Q1 -2% }
measure W19 "d" { target 2017/18 -5% actual 2017/18 Q1 -1.9% }
"#,
        )
        .quiet(&["percent-out-of-range"])
        .report(
            "2017/18 Q1",
            vec![
                m("W4", "green").at_most("-4", "-2"),
                m("W35", "amber").display("-3.5%"),
                m("W2", "amber"),
                m("W19", "red"),
            ],
        ),
        // Above 100, no range warning: target 150%, amber 10% → green ≥ 150,
        // amber ≥ 150 − 15 = 135. 200 green, 140 amber, 134.9 red.
        // A relative red beyond on a negative target: −10 − 1 = −11: −10.5
        // amber.
        case(
            "above 100 and relative bands",
            r#"
defaults {
  unit percent-change
  polarity higher
}
measure G200 "Growth in business rates base" { amber 10% target 2017/18 150% actual 2017/18 Q1 200% }
measure G140 "b" { amber 10% target 2017/18 150% actual 2017/18 Q1 140% }
measure G1349 "c" { amber 10% target 2017/18 150% actual 2017/18 Q1 134.9% }
measure N105 "d" { red beyond 10% target 2017/18 -10% actual 2017/18 Q1 -10.5% }
"#,
        )
        .quiet(&["percent-out-of-range"])
        .report(
            "2017/18 Q1",
            vec![
                m("G200", "green").at_least("150", "135").display("200%"),
                m("G140", "amber"),
                m("G1349", "red"),
                m("N105", "amber").at_least("-10", "-11"),
            ],
        ),
        // Control: the same value on `unit percent` does get the range
        // warning, so the `quiet` checks above can fail.
        case(
            "control: percent keeps its range warning",
            r#"
measure G201 "a" { unit percent polarity higher target 2017/18 150% actual 2017/18 Q1 200% }
"#,
        )
        .warns(&["percent-out-of-range"]),
    ]);
}

// ---------------------------------------------------------------------------
// year-to-date
// ---------------------------------------------------------------------------

#[test]
fn year_to_date() {
    run(vec![
        // Running totals against graduated running-total targets.
        // Q1: 20 < 25 red. Short: Q1's own amount is its total 20, against
        //   last year's Q4 − Q3 = 85 − 60 = 25 → worsening. Long: 20 against
        //   2016/17 Q1 30 → worsening.
        // Q2: 48 < 50 red. Short: 48 − 20 = 28 against 20 → improving.
        //   Long: 2016/17 Q2 missing → new.
        // Q3: 80 ≥ 75 green. Short: 80 − 48 = 32 against 28 → improving.
        //   Long: 80 against 60 → improving.
        case(
            "quarterly, graduated, polarity higher",
            r#"
measure HD "Homes delivered (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual {
    2016/17 Q1 30
    2016/17 Q3 60
    2016/17 Q4 85
    2017/18 Q1 20
    2017/18 Q2 48
    2017/18 Q3 80
  }
}
"#,
        )
        .quiet(&["ytd-target-falls", "ytd-annual-target", "graduated-easier"])
        .report(
            "2017/18 Q1",
            vec![m("HD", "red").target("25").dirs("worsening", "worsening")],
        )
        .report(
            "2017/18 Q2",
            vec![m("HD", "red").target("50").dirs("improving", "new")],
        )
        .report(
            "2017/18 Q3",
            vec![m("HD", "green").target("75").dirs("improving", "improving")],
        ),
        // Polarity lower (days lost per employee), amber 10%: growing
        // targets are normal, no graduated-easier warning.
        // Q1: 2.1 vs green ≤ 2, amber ≤ 2.2 → amber. Short: own 2.1 against
        //   last year's 8.5 − 6.5 = 2.0; lower is better → worsening.
        //   Long: no 2016/17 Q1 → new.
        // Q2: 4.5 vs green ≤ 4, amber ≤ 4.4 → red. Short: own 4.5 − 2.1 =
        //   2.4 against 2.1 → worsening.
        case(
            "quarterly, graduated, polarity lower",
            r#"
measure SD "Working days lost to sickness per FTE (year to date)" {
  unit days
  polarity lower
  year-to-date
  amber 10%
  target 2017/18 { Q1 2 Q2 4 Q3 6 Q4 8 }
  actual {
    2016/17 Q3 6.5
    2016/17 Q4 8.5
    2017/18 Q1 2.1
    2017/18 Q2 4.5
  }
}
"#,
        )
        .quiet(&["graduated-easier", "ytd-target-falls"])
        .report(
            "2017/18 Q1",
            vec![m("SD", "amber")
                .at_most("2", "2.2")
                .dirs("worsening", "new")],
        )
        .report(
            "2017/18 Q2",
            vec![m("SD", "red").at_most("4", "4.4").short("worsening")],
        ),
        // Control: the same targets without `year-to-date` do get
        // graduated-easier (version 0), so the `quiet` check above can fail.
        case(
            "control: graduated-easier without year-to-date",
            r#"
measure SD0 "a" {
  unit days
  polarity lower
  target 2017/18 { Q1 2 Q2 4 Q3 6 Q4 8 }
  actual 2017/18 Q1 2
}
"#,
        )
        .warns(&["graduated-easier"]),
        // Short term needs every figure: Q1 with last year's Q3 missing →
        // new; Q2 and Q3 with this year's Q1 missing → new (Q2's own amount
        // needs Q1; Q3's comparison needs Q2's own amount).
        case(
            "missing figures make the short term new",
            r#"
measure HE "Homes (year to date), gaps" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual {
    2016/17 Q4 85
    2017/18 Q2 48
    2017/18 Q3 80
  }
}
measure HF "Homes (year to date), no Q3" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual {
    2016/17 Q4 85
    2017/18 Q1 30
  }
}
"#,
        )
        .report("2017/18 Q2", vec![m("HE", "red").short("new")])
        .report("2017/18 Q3", vec![m("HE", "green").short("new")])
        .report("2017/18 Q1", vec![m("HF", "green").short("new")]),
        // Quarter targets are running-total targets too: rated each quarter,
        // no ytd-annual-target warning. Q1 26 ≥ 25 green; Q2 49 < 50 red.
        case(
            "quarter targets",
            r#"
measure HQ "Cases closed (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 Q1 25
  target 2017/18 Q2 50
  actual {
    2017/18 Q1 26
    2017/18 Q2 49
  }
}
"#,
        )
        .quiet(&["ytd-annual-target"])
        .report("2017/18 Q1", vec![m("HQ", "green").target("25")])
        .report("2017/18 Q2", vec![m("HQ", "red").target("50")]),
        // Only an annual target: rated at the year's last period alone.
        // Q1: none, with the stated reason. Q4: 105 ≥ 100 green; 95 red.
        case(
            "annual target only",
            r#"
measure AN "Cases closed (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 100
  actual {
    2017/18 Q1 30
    2017/18 Q4 105
  }
}
measure AN2 "Cases referred (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 100
  actual 2017/18 Q4 95
}
"#,
        )
        .warns(&["ytd-annual-target"])
        .report(
            "2017/18 Q1",
            vec![m("AN", "none")
                .reason("an annual target only applies at year end for a year-to-date measure")],
        )
        .report(
            "2017/18 Q4",
            vec![m("AN", "green").target("100"), m("AN2", "red")],
        ),
        // Monthly year-to-date: month by month.
        // Apr: 9 < 10 red. Short: own 9 against last year's Mar − Feb =
        //   80 − 70 = 10 → worsening. Long: no 2016/17 Apr → new.
        // May: 21 ≥ 20 green. Short: 21 − 9 = 12 against 9 → improving.
        //   Long: 21 against 2016/17 May 25 → worsening.
        case(
            "monthly, graduated",
            r#"
measure MY "Homes delivered (year to date, monthly)" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 { Apr 10 May 20 Jun 30 }
  actual {
    2016/17 Feb 70
    2016/17 Mar 80
    2016/17 May 25
    2017/18 Apr 9
    2017/18 May 21
  }
}
"#,
        )
        .report(
            "2017/18 Apr",
            vec![m("MY", "red").target("10").dirs("worsening", "new")],
        )
        .report(
            "2017/18 May",
            vec![m("MY", "green").target("20").dirs("improving", "worsening")],
        ),
        // Monthly with only an annual target: rated at Mar alone (and a
        // quarter report for Q4 rates Mar).
        case(
            "monthly, annual target only",
            r#"
measure MA "Complaints closed (year to date, monthly)" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 120
  actual {
    2017/18 Jun 30
    2017/18 Mar 125
  }
}
"#,
        )
        .warns(&["ytd-annual-target"])
        .report(
            "2017/18 Jun",
            vec![m("MA", "none")
                .reason("an annual target only applies at year end for a year-to-date measure")],
        )
        .report("2017/18 Mar", vec![m("MA", "green").at("2017/18 Mar")])
        .report("2017/18 Q4", vec![m("MA", "green").at("2017/18 Mar")]),
        // With `year-start january` the year's first month is January and
        // its last December. Jan: 9 < 10 red; short: own 9 against last
        // year's Dec − Nov = 100 − 90 = 10 → worsening. Feb: 21 ≥ 20 green;
        // own 12 against 9 → improving. In year order (Jan, Feb, Nov, Dec)
        // the targets 10, 20, 100, 110 never fall (in April order they
        // would: Nov 100, Dec 110, Jan 10).
        // With only an annual target: rated at Dec (and Q4 = Oct–Dec), not
        // at Mar.
        case(
            "year-to-date with year-start january",
            r#"
report "x" { year-start january }
measure YJ "Homes (year to date, monthly)" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 { Jan 10 Feb 20 Nov 100 Dec 110 }
  actual {
    2016/17 Nov 90
    2016/17 Dec 100
    2017/18 Jan 9
    2017/18 Feb 21
  }
}
measure YA "Cases (year to date, monthly)" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 120
  actual {
    2017/18 Mar 50
    2017/18 Dec 125
  }
}
"#,
        )
        .quiet(&["ytd-target-falls"])
        .warns(&["ytd-annual-target"])
        .report(
            "2017/18 Jan",
            vec![m("YJ", "red")
                .short("worsening")
                .vs("2016/17 Dec", "2016/17 Jan")],
        )
        .report("2017/18 Feb", vec![m("YJ", "green").short("improving")])
        .report(
            "2017/18 Mar",
            vec![m("YA", "none")
                .reason("an annual target only applies at year end for a year-to-date measure")],
        )
        .report("2017/18 Dec", vec![m("YA", "green").at("2017/18 Dec")])
        .report("2017/18 Q4", vec![m("YA", "green").at("2017/18 Dec")]),
        // A graduated running total that falls is a warning.
        case(
            "a falling running-total target",
            r#"
measure FL "a" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 30 Q2 20 Q3 40 Q4 50 }
  actual 2017/18 Q1 31
}
"#,
        )
        .warns(&["ytd-target-falls"])
        .quiet(&["graduated-easier"])
        .report("2017/18 Q1", vec![m("FL", "green")]),
    ]);
}

// ---------------------------------------------------------------------------
// Values from the future
// ---------------------------------------------------------------------------

#[test]
fn values_from_the_future() {
    run(vec![
        // 2017/18 Q4 starts on 1 January 2018: not after today 2018-01-01.
        // Targets, baselines and milestones may lie in the future.
        case(
            "starting today is not the future",
            r#"
measure F1 "a" {
  unit count
  polarity higher
  target 2017/18 10
  target 2029/30 10
  baseline 2030/31 3
  actual 2017/18 Q4 5
}
measure F2 "monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual 2017/18 Jan 5
}
measure F3 "calendar" {
  unit count
  polarity higher
  cadence annual
  year calendar
  target 2018 10
  actual 2018 5
}
action K1 "a" {
  milestone 2030/31 Q1 "later"
}
"#,
        )
        .today("2018-01-01")
        .quiet(&["future-period"])
        .report("2017/18 Q4", vec![m("F1", "red")]),
        // The day before, the same quarter's actual is in the future.
        case(
            "a quarter starting tomorrow",
            r#"
measure F4 "a" { unit count polarity higher target 2017/18 10 actual 2017/18 Q4 5 }
"#,
        )
        .today("2017-12-31")
        .warns(&["future-period"]),
        case(
            "a future month",
            r#"
measure F5 "a" { unit count polarity higher cadence monthly target 2017/18 10 actual 2017/18 Feb 5 }
"#,
        )
        .today("2018-01-01")
        .warns(&["future-period"]),
        case(
            "a future calendar year",
            r#"
measure F6 "a" { unit count polarity higher cadence annual year calendar target 2019 10 actual 2019 5 }
"#,
        )
        .today("2018-01-01")
        .warns(&["future-period"]),
        case(
            "a future assessed status",
            r#"
measure F7 "Deliver the leisure centre" {
  polarity tbc
  status 2018/19 Q1 green "on track"
}
"#,
        )
        .today("2018-01-01")
        .warns(&["future-period"]),
        // Academic 2018/19 starts on 1 September 2018; financial 2018/19 on
        // 1 April 2018. On 2018-08-31 only the academic value is future.
        case(
            "academic year starting after today",
            r#"
measure F8 "a" { unit count polarity higher cadence annual year academic target 2018/19 10 actual 2018/19 5 }
"#,
        )
        .today("2018-08-31")
        .warns(&["future-period"]),
        case(
            "academic year starting today",
            r#"
measure F9 "a" { unit count polarity higher cadence annual year academic target 2018/19 10 actual 2018/19 5 }
measure F10 "b" { unit count polarity higher cadence annual target 2018/19 10 actual 2018/19 5 }
"#,
        )
        .today("2018-09-01")
        .quiet(&["future-period"]),
        case(
            "financial year started before today",
            r#"
measure F11 "b" { unit count polarity higher cadence annual target 2018/19 10 actual 2018/19 5 }
"#,
        )
        .today("2018-08-31")
        .quiet(&["future-period"]),
        // With year-start january, 2018/19 Q1 starts on 1 January 2018.
        case(
            "year-start january moves the start date",
            r#"
report "x" { year-start january }
measure F12 "a" { unit count polarity higher target 2018/19 10 actual 2018/19 Q1 5 }
"#,
        )
        .today("2018-01-01")
        .quiet(&["future-period"]),
        case(
            "year-start january: the next quarter is future",
            r#"
report "x" { year-start january }
measure F13 "a" { unit count polarity higher target 2018/19 10 actual 2018/19 Q2 5 }
"#,
        )
        .today("2018-01-01")
        .warns(&["future-period"]),
    ]);
}

#[test]
fn a_malformed_today_is_exit_2() {
    let dir = write_card(
        "measure A \"a\" { unit count polarity higher target 2017/18 10 actual 2017/18 Q1 5 }\n",
    );
    let mut failures = Vec::new();
    for today in ["2018-13-01", "2018-02-30", "yesterday", "01/01/2018"] {
        for args in [
            &["check", "card.perf"][..],
            &[
                "report",
                "card.perf",
                "--format",
                "json",
                "--period",
                "2017/18 Q1",
            ][..],
        ] {
            let o = perfcard(dir.path(), today, args);
            if o.status.code() != Some(2) {
                failures.push(format!(
                    "PERFCARD_TODAY={today} {}: expected exit 2, got {:?}",
                    args[0],
                    o.status.code()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn version_1_errors() {
    run_bad(vec![
        Bad {
            name: "amber and red beyond in one measure",
            card: r#"
measure A "a" {
  unit percent
  polarity higher
  amber 5%
  red beyond 10%
  target 2017/18 98%
}
"#,
            code: "amber-and-red-beyond",
            ..Bad::default()
        },
        // "both set in the same block is an error": a defaults block too.
        Bad {
            name: "amber and red beyond in one defaults block",
            card: r#"
defaults {
  amber 5%
  red beyond 10%
}
measure A "a" { unit number polarity higher target 2017/18 98 }
"#,
            code: "amber-and-red-beyond",
            ..Bad::default()
        },
        // tolerance 10% → green ≥ 90; red beyond 5% → red below 95: red
        // threshold better than green.
        Bad {
            name: "red beyond inside the tolerance",
            card: r#"
measure B "b" {
  unit number
  polarity higher
  tolerance 10%
  red beyond 5%
  target 2017/18 100
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        // Polarity lower: green ≤ 13, red above 12.
        Bad {
            name: "red beyond inside the tolerance, polarity lower",
            card: r#"
measure C "c" {
  unit days
  polarity lower
  tolerance 3
  red beyond 2
  target 2017/18 10
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        // Different kinds compared at each target: at 50%, 10% is 5 ≥ 2pp
        // (fine); at 10%, 10% is 1 < 2pp → error at the 2018/19 target.
        Bad {
            name: "red beyond inside the tolerance at one of two targets",
            card: r#"
defaults {
  tolerance 2pp
  red beyond 10%
}
measure D "d" {
  unit percent
  polarity higher
  target 2017/18 50%
  target 2018/19 10%
}
"#,
            code: "red-inside-tolerance",
            // "an error at the target, naming both distances"
            line: Some(10),
            mentions: &["2pp", "10%"],
        },
        // At a graduated quarter target: 10% of 10 = 1 < 2pp at Q1.
        Bad {
            name: "red beyond inside the tolerance at a graduated target",
            card: r#"
measure G "g" {
  unit percent
  polarity higher
  tolerance 2pp
  red beyond 10%
  target 2017/18 { Q1 10% Q2 50% Q3 60% Q4 70% }
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        // At a month target: 10% of 10 = 1 < 2pp at 2017/18 Jan.
        Bad {
            name: "red beyond inside the tolerance at a month target",
            card: r#"
measure H "h" {
  unit percent
  polarity higher
  cadence monthly
  tolerance 2pp
  red beyond 10%
  target 2017/18 50%
  target 2017/18 Jan 10%
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        // At a target of 0: a relative red-beyond distance is 0, inside an
        // absolute tolerance of 1 (green ≥ −1, red below 0).
        Bad {
            name: "red beyond inside the tolerance at a zero target",
            card: r#"
measure Z "z" {
  unit number
  polarity higher
  tolerance 1
  red beyond 10%
  target 2017/18 0
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        // Polarity target: the bands on both sides; red beyond 2 inside
        // tolerance 3.
        Bad {
            name: "red beyond inside the tolerance, polarity target",
            card: r#"
measure T "t" {
  unit number
  polarity target
  tolerance 3
  red beyond 2
  target 2017/18 0
}
"#,
            code: "red-inside-tolerance",
            ..Bad::default()
        },
        Bad {
            name: "red beyond in pp on a count",
            card: r#"
measure E "e" { unit count polarity higher red beyond 10pp target 2017/18 50 }
"#,
            code: "unit-mismatch",
            ..Bad::default()
        },
        Bad {
            name: "year calendar on a quarterly measure",
            card: r#"
measure P "p" {
  unit number
  polarity higher
  year calendar
  target 2017/18 5
}
"#,
            code: "year-on-periodic",
            ..Bad::default()
        },
        Bad {
            name: "year academic on a monthly measure",
            card: r#"
measure P "p" {
  unit number
  polarity higher
  cadence monthly
  year academic
  target 2017/18 5
}
"#,
            code: "year-on-periodic",
            ..Bad::default()
        },
        // Digit ids are ids like any other: unique, and composites must
        // name existing ones.
        Bad {
            name: "a duplicate digit id",
            card: r#"
measure 1.1 "a" { unit number polarity higher target 2017/18 5 }
measure 1.1 "b" { unit number polarity higher target 2017/18 5 }
"#,
            code: "duplicate-id",
            ..Bad::default()
        },
        Bad {
            name: "a composite naming an unknown digit id",
            card: r#"
measure 1.1 "a" { unit number polarity higher target 2017/18 5 }
measure 1 "b" { composite worst of 1.1, 1.2 }
"#,
            code: "unknown-component",
            ..Bad::default()
        },
        // The lexical rule: an id does "not end in `.` or `-`".
        Bad {
            name: "an id ending in a dot",
            card: r#"
measure 1.1. "p" { unit number polarity higher target 2017/18 5 }
"#,
            code: "syntax",
            ..Bad::default()
        },
        Bad {
            name: "an id ending in a hyphen",
            card: r#"
measure 2.3- "p" { unit number polarity higher target 2017/18 5 }
"#,
            code: "syntax",
            ..Bad::default()
        },
    ]);
}

// ---------------------------------------------------------------------------
// Further edges: other year starts, lags on years, fractions, composites
// ---------------------------------------------------------------------------

#[test]
fn year_start_july() {
    // With `year-start july`, 2017/18 runs July 2017–June 2018: Q1 = Jul–Sep
    // 2017, Q2 = Oct–Dec 2017, Q3 = Jan–Mar 2018, Q4 = Apr–Jun 2018;
    // `2017/18 Jan` is January 2018 and `2017/18 Jun` June 2018.
    run(vec![case(
        "year-start july",
        r#"
report "Academic-year trust" {
  year-start july
}
measure Ac "Academic" {
  unit number
  polarity higher
  cadence annual
  year academic
  target 2016/17 10
  actual 2016/17 12
}
measure Ca "Calendar" {
  unit number
  polarity higher
  cadence annual
  year calendar
  target 2017 10
  actual 2017 12
}
measure Mo "Monthly" {
  unit number
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2017/18 Sep 12
    2017/18 Jan 8
    2017/18 Jun 11
  }
}
measure Q "Quarterly" {
  unit number
  polarity higher
  target 2017/18 10
  actual 2017/18 Q1 12
}
"#,
    )
    // Q1 (Jul–Sep 2017): academic 2016/17 ended in August 2017 → 12 green;
    // calendar 2017 not ended → 2016 (no target) → none; the monthly
    // measure on Sep → 12 green.
    .report(
        "2017/18 Q1",
        vec![
            m("Ac", "green").at("2016/17"),
            m("Ca", "none").at("2016"),
            m("Mo", "green").at("2017/18 Sep"),
        ],
    )
    // Q2 (Oct–Dec 2017): calendar 2017 has ended → 12 green.
    .report("2017/18 Q2", vec![m("Ca", "green").at("2017")])
    // 2017/18 Jan = January 2018: 8 red; the previous month, 2017/18 Dec,
    // has no value → new. The quarter ended by then: 2017/18 Q2 (none:
    // no actual).
    .report(
        "2017/18 Jan",
        vec![
            m("Mo", "red")
                .at("2017/18 Jan")
                .short("new")
                .vs("2017/18 Dec", "2016/17 Jan"),
            m("Q", "none").at("2017/18 Q2"),
        ],
    )
    // Q4 (Apr–Jun 2018) → its last month Jun → 11 green.
    .report("2017/18 Q4", vec![m("Mo", "green").at("2017/18 Jun")])
    // 2017/18 Jul = July 2017: academic 2016/17 (to August 2017) has not
    // ended → 2015/16 → none. 2017/18 Aug: → 2016/17 green.
    // A month report for 2017/18 Sep: the quarter 2017/18 Q1 has ended.
    .report("2017/18 Jul", vec![m("Ac", "none").at("2015/16")])
    .report("2017/18 Aug", vec![m("Ac", "green").at("2016/17")])
    .report("2017/18 Sep", vec![m("Q", "green").at("2017/18 Q1")])]);
}

#[test]
fn lags_on_years_and_months() {
    run(vec![
        // `lag 6 months` on a calendar measure: the end of P moved back six
        // months. 2012/13 Q1 (ends 30 June 2012) → end of December 2011 →
        // 2011: 11 green. 2011/12 Q4 (ends March 2012) → end of September
        // 2011 → 2010: 9 red.
        case(
            "calendar year, lag 6 months",
            r#"
measure C6 "Under-18 conceptions (rate)" {
  unit number
  polarity higher
  cadence annual
  year calendar
  lag 6 months
  target 2010 10
  target 2011 10
  actual { 2010 9  2011 11 }
}
"#,
        )
        .report("2012/13 Q1", vec![m("C6", "green").at("2011")])
        .report("2011/12 Q4", vec![m("C6", "red").at("2010")]),
        // `lag 1 quarters` on an academic measure: 2017/18 Q3 (ends
        // December 2017) → end of September 2017 → academic 2016/17 (ended
        // August 2017): 12 green. 2017/18 Q2 (ends September 2017) → end of
        // June 2017 → 2015/16: 9 red.
        case(
            "academic year, lag 1 quarters",
            r#"
measure A1 "GCSE results" {
  unit number
  polarity higher
  cadence annual
  year academic
  lag 1 quarters
  target 2015/16 10
  target 2016/17 10
  actual { 2015/16 9  2016/17 12 }
}
"#,
        )
        .report("2017/18 Q3", vec![m("A1", "green").at("2016/17")])
        .report("2017/18 Q2", vec![m("A1", "red").at("2015/16")]),
        // `lag 1 months` on a quarterly measure: 2017/18 Q2 (ends 30
        // September) → end of August → the latest quarter ended is Q1.
        case(
            "quarterly, lag 1 months",
            r#"
measure Q1M "a" {
  unit count
  polarity higher
  lag 1 months
  target 2017/18 10
  actual {
    2017/18 Q1 11
    2017/18 Q2 9
  }
}
"#,
        )
        .report("2017/18 Q2", vec![m("Q1M", "green").at("2017/18 Q1")]),
        // `lag 1 quarters` on a monthly measure in a quarter report: Q2's
        // last month Sep, three months back → Jun: 11 green, against May
        // (9): improving.
        case(
            "monthly, lag 1 quarters, quarter report",
            r#"
measure M1Q "a" {
  unit count
  polarity higher
  cadence monthly
  lag 1 quarters
  target 2017/18 10
  actual {
    2017/18 May 9
    2017/18 Jun 11
    2017/18 Sep 5
  }
}
"#,
        )
        .report(
            "2017/18 Q2",
            vec![m("M1Q", "green").at("2017/18 Jun").short("improving")],
        ),
    ]);
}

#[test]
fn more_red_beyond() {
    run(vec![
        // A fraction is compared exactly: target 50%, tolerance 5% → 47.5,
        // red beyond 10% → 45. 19/40 = 47.5% green; 9/20 = 45% amber;
        // 449/1000 = 44.9% red.
        case(
            "fractions on the thresholds",
            r#"
defaults {
  unit percent
  polarity higher
  tolerance 5%
  red beyond 10%
}
measure FR1 "a" { target 2017/18 50% actual 2017/18 Q1 19/40 }
measure FR2 "b" { target 2017/18 50% actual 2017/18 Q1 9/20 }
measure FR3 "c" { target 2017/18 50% actual 2017/18 Q1 449/1000 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("FR1", "green").at_least("47.5", "45"),
                m("FR2", "amber"),
                m("FR3", "red"),
            ],
        ),
        // Exact arithmetic: target 33.3, red beyond 7.5% → 33.3 − 2.4975 =
        // 30.8025. 30.8025 amber; 30.8024 red.
        case(
            "exact relative distance",
            r#"
defaults {
  unit number
  polarity higher
  red beyond 7.5%
}
measure EX1 "a" { target 2017/18 33.3 actual 2017/18 Q1 30.8025 }
measure EX2 "b" { target 2017/18 33.3 actual 2017/18 Q1 30.8024 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("EX1", "amber").at_least("33.3", "30.8025"),
                m("EX2", "red"),
            ],
        ),
        // On a percent measure a plain number is absolute in the unit
        // (per cent), `%` is relative: target 80%, `red beyond 10` → red
        // below 70 (relative 10% would be 72). 71 amber, 69 red.
        case(
            "absolute red beyond on a percent measure",
            r#"
defaults {
  unit percent
  polarity higher
  red beyond 10
}
measure AB1 "a" { target 2017/18 80% actual 2017/18 Q1 71% }
measure AB2 "b" { target 2017/18 80% actual 2017/18 Q1 69% }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("AB1", "amber").at_least("80", "70"), m("AB2", "red")],
        ),
        // Polarity target on a negative target, relative: target −20,
        // tolerance 10% → −22 to −18; red beyond 20% → −24 to −16.
        // −23 amber; −15 red; −18 green.
        case(
            "polarity target, negative target, relative",
            r#"
defaults {
  unit number
  polarity target
  tolerance 10%
  red beyond 20%
}
measure NT1 "a" { target 2017/18 -20 actual 2017/18 Q1 -23 }
measure NT2 "b" { target 2017/18 -20 actual 2017/18 Q1 -15 }
measure NT3 "c" { target 2017/18 -20 actual 2017/18 Q1 -18 }
"#,
        )
        .report(
            "2017/18 Q1",
            vec![
                m("NT1", "amber").between(["-22", "-18", "-24", "-16"]),
                m("NT2", "red"),
                m("NT3", "green"),
            ],
        ),
        // red beyond with quarter targets: each target gets its own red
        // threshold. Target Q1 40%, Q2 60% (percent, higher), red beyond
        // 10%: Q1 red below 36 → 37 amber; Q2 red below 54 → 55 amber,
        // 53 red.
        case(
            "red beyond at quarter targets",
            r#"
measure QT "a" {
  unit percent
  polarity higher
  red beyond 10%
  target 2017/18 Q1 40%
  target 2017/18 Q2 60%
  actual {
    2017/18 Q1 37%
    2017/18 Q2 53%
  }
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("QT", "amber").target("40").at_least("40", "36")],
        )
        .report(
            "2017/18 Q2",
            vec![m("QT", "red").target("60").at_least("60", "54")],
        ),
        // A measure that is never rated has no thresholds: red beyond with
        // polarity none or tbc is not an error.
        case(
            "red beyond on unrated measures",
            r#"
defaults {
  tolerance 10%
  red beyond 5%
}
measure UN1 "a" { unit number polarity none actual 2017/18 Q1 5 }
measure UN2 "b" { unit number polarity tbc actual 2017/18 Q1 5 }
"#,
        )
        .report("2017/18 Q1", vec![m("UN1", "none"), m("UN2", "none")]),
        // A digit-id composite over a monthly and a quarterly measure in a
        // month report: at 2017/18 May the monthly one is rated on May
        // (12 ≥ 10 green) and the quarterly one on 2016/17 Q4 (8 < 10 red):
        // worst → red; at 2017/18 Jun the quarterly one is on 2017/18 Q1
        // (11 green) and the monthly one on Jun (10 green) → green.
        case(
            "composite of monthly and quarterly measures",
            r#"
measure 3.1 "Monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2017/18 May 12
    2017/18 Jun 10
  }
}
measure 3.2 "Quarterly" {
  unit count
  polarity higher
  target 2016/17 10
  target 2017/18 10
  actual {
    2016/17 Q4 8
    2017/18 Q1 11
  }
}
measure 3 "Both" { composite worst of 3.1, 3.2 }
"#,
        )
        .report(
            "2017/18 May",
            vec![
                m("3.1", "green").at("2017/18 May"),
                m("3.2", "red").at("2016/17 Q4"),
                m("3", "red"),
            ],
        )
        .report("2017/18 Jun", vec![m("3", "green")]),
    ]);
}

#[test]
fn more_year_to_date_and_percent_change() {
    run(vec![
        // Polarity none: up/down on the period's own amount, not the running
        // total. Q2: total 15 (up from 10) but own 5 against 10 → down; long:
        // 15 against last year's Q2 total 20 → down.
        case(
            "year-to-date, polarity none",
            r#"
measure YN "Contacts (year to date)" {
  unit count
  polarity none
  year-to-date
  actual {
    2016/17 Q2 20
    2017/18 Q1 10
    2017/18 Q2 15
  }
}
"#,
        )
        .report("2017/18 Q2", vec![m("YN", "none").dirs("down", "down")]),
        // A quarterly year-to-date measure in a month report is rated on
        // the latest quarter ended (2017/18 Aug → Q1), with Q1's rules:
        // 20 < 25 red; short: 20 against last year's Q4 − Q3 = 15 →
        // improving.
        case(
            "year-to-date in a month report",
            r#"
measure YM "Homes (year to date)" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual {
    2016/17 Q3 70
    2016/17 Q4 85
    2017/18 Q1 20
  }
}
"#,
        )
        .report(
            "2017/18 Aug",
            vec![m("YM", "red")
                .at("2017/18 Q1")
                .target("25")
                .short("improving")],
        ),
        // A monthly year-to-date measure in a quarter report: Q1 → Jun.
        // 31 ≥ 30 green; own Jun 31 − 18 = 13 against own May 18 − 9 = 9 →
        // improving.
        case(
            "monthly year-to-date in a quarter report",
            r#"
measure MQ "Homes (year to date, monthly)" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 { Apr 10 May 20 Jun 30 }
  actual {
    2017/18 Apr 9
    2017/18 May 18
    2017/18 Jun 31
  }
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("MQ", "green").at("2017/18 Jun").short("improving")],
        ),
        // red beyond on a running total: target Q2 50, red beyond 10% → red
        // below 45: 46 amber.
        case(
            "year-to-date with red beyond",
            r#"
measure YR "Cases closed (year to date)" {
  unit count
  polarity higher
  year-to-date
  red beyond 10%
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual 2017/18 Q2 46
}
"#,
        )
        .report("2017/18 Q2", vec![m("YR", "amber").at_least("50", "45")]),
        // percent-change values written without `%` mean per cent, as for
        // `percent`: −3.5 is −3.5%, shown with %.
        case(
            "percent-change without the % sign",
            r#"
measure PB "Change in footfall" {
  unit percent-change
  polarity higher
  target 2017/18 -5%
  actual 2017/18 Q1 -3.5
}
"#,
        )
        .report(
            "2017/18 Q1",
            vec![m("PB", "green").display("-3.5%").at_least("-5", "-5")],
        ),
    ]);
}

#[test]
fn the_period_reported_can_be_a_month() {
    // The header's `period` may be a month; with no `--period` the report is
    // for it: the monthly measure on May, the quarterly one on the latest
    // quarter ended by the end of May 2017, 2016/17 Q4.
    run(vec![case(
        "a month in the header",
        r#"
report "Monthly performance report" {
  period 2017/18 May
}
measure M "Monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2017/18 May 12
    2017/18 Jun 8
  }
}
measure Q "Quarterly" {
  unit count
  polarity higher
  target 2016/17 10
  actual 2016/17 Q4 9
}
"#,
    )
    .report(
        "",
        vec![
            m("M", "green").at("2017/18 May"),
            m("Q", "red").at("2016/17 Q4"),
        ],
    )]);
}

#[test]
fn the_default_period_can_be_a_month() {
    // No header period and no `--period`: "the latest period with any
    // actual", here the month 2017/18 May.
    let dir = write_card(
        r#"
measure M "Monthly" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 10
  actual {
    2017/18 Apr 5
    2017/18 May 12
  }
}
"#,
    );
    let o = perfcard(
        dir.path(),
        TODAY,
        &["report", "card.perf", "--format", "json"],
    );
    let json: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
    assert_eq!(
        (
            &json["period"],
            &json["measures"][0]["period"],
            &json["measures"][0]["rating"]
        ),
        (
            &Value::from("2017/18 May"),
            &Value::from("2017/18 May"),
            &Value::from("green")
        ),
        "{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}

/// "A change of `year-start` is a change in meaning (`diff` reports it)."
#[test]
fn a_change_of_year_start_is_a_change_in_meaning() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let body = "measure Q \"Quarterly\" { unit count polarity higher target 2017/18 10 actual 2017/18 Q1 12 }\n";
    std::fs::write(
        dir.path().join("old.perf"),
        format!("report \"x\" {{ year-start april }}\n{body}"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("new.perf"),
        format!("report \"x\" {{ year-start january }}\n{body}"),
    )
    .unwrap();
    std::fs::write(dir.path().join("default.perf"), body).unwrap();
    let mut failures = Vec::new();
    for old in ["old.perf", "default.perf"] {
        let o = perfcard(
            dir.path(),
            TODAY,
            &["diff", old, "new.perf", "--format", "json"],
        );
        let json: Value = serde_json::from_slice(&o.stdout).unwrap_or(Value::Null);
        let changes = json["changes"].as_array().map_or(0, Vec::len);
        if changes == 0 {
            failures.push(format!(
                "diff {old} new.perf (year-start april → january): expected a change, got {}",
                text(&o.stdout)
            ));
        }
    }
    // The same file against itself: no change (so the check above can fail
    // for the right reason only).
    let same = perfcard(
        dir.path(),
        TODAY,
        &["diff", "new.perf", "new.perf", "--format", "json"],
    );
    let json: Value = serde_json::from_slice(&same.stdout).unwrap_or(Value::Null);
    if json["changes"].as_array().map(Vec::len) != Some(0) {
        failures.push(format!(
            "diff of a file with itself: {}",
            text(&same.stdout)
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_follows_the_data_period() {
    // `missing-actual`: "a period reported with no actual where the cadence
    // expects one". The period reported is the header's; the actual
    // expected is that of the data period the report would rate.
    run(vec![
        // Header 2011/12 Q3: a calendar measure is rated on 2011, which has
        // an actual.
        case(
            "calendar year reported from its quarter",
            r#"
report "x" { period 2011/12 Q3 }
measure C "a" {
  unit number
  polarity higher
  cadence annual
  year calendar
  target 2011 5
  actual 2011 6
}
"#,
        )
        .quiet(&["missing-actual"])
        .report("", vec![m("C", "green").at("2011")]),
        // Header 2011/12 Q2: the same measure is rated on 2010, which has
        // none.
        case(
            "calendar year not yet ended",
            r#"
report "x" { period 2011/12 Q2 }
measure C "a" {
  unit number
  polarity higher
  cadence annual
  year calendar
  target 2010 5
  target 2011 5
  actual 2011 6
}
"#,
        )
        .warns(&["missing-actual"])
        .report("", vec![m("C", "none").at("2010")]),
        // Header 2017/18 Q2: academic 2016/17 (ended August 2017) has its
        // actual.
        case(
            "academic year reported from its quarter",
            r#"
report "x" { period 2017/18 Q2 }
measure A "a" {
  unit number
  polarity higher
  cadence annual
  year academic
  target 2016/17 5
  actual 2016/17 6
}
"#,
        )
        .quiet(&["missing-actual"])
        .report("", vec![m("A", "green").at("2016/17")]),
        // Header 2017/18 Q1: a monthly measure is rated on Jun.
        case(
            "monthly measure in a quarter report, with Jun",
            r#"
report "x" { period 2017/18 Q1 }
measure M "a" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 5
  actual 2017/18 Jun 6
}
"#,
        )
        .quiet(&["missing-actual"])
        .report("", vec![m("M", "green").at("2017/18 Jun")]),
        case(
            "monthly measure in a quarter report, without Jun",
            r#"
report "x" { period 2017/18 Q1 }
measure M "a" {
  unit count
  polarity higher
  cadence monthly
  target 2017/18 5
  actual {
    2017/18 Apr 6
    2017/18 May 6
  }
}
"#,
        )
        .warns(&["missing-actual"])
        .report("", vec![m("M", "none").at("2017/18 Jun")]),
        // Header 2017/18 Q1 with `lag 2 months`: rated on Apr, which has an
        // actual.
        case(
            "monthly measure lagged two months",
            r#"
report "x" { period 2017/18 Q1 }
measure M "a" {
  unit count
  polarity higher
  cadence monthly
  lag 2 months
  target 2017/18 5
  actual 2017/18 Apr 6
}
"#,
        )
        .quiet(&["missing-actual"])
        .report("", vec![m("M", "green").at("2017/18 Apr")]),
        // Header 2017/18 May: a quarterly measure is rated on 2016/17 Q4.
        case(
            "quarterly measure in a month report",
            r#"
report "x" { period 2017/18 May }
measure Q "a" {
  unit count
  polarity higher
  target 2016/17 5
  actual 2016/17 Q4 6
}
"#,
        )
        .quiet(&["missing-actual"])
        .report("", vec![m("Q", "green").at("2016/17 Q4")]),
    ]);
}

#[test]
fn more_checks() {
    run(vec![
        // `year financial` is the default: allowed on any cadence.
        // `year calendar` may come before `cadence annual`.
        case(
            "year financial on a quarterly measure; year before cadence",
            r#"
measure F "a" {
  unit number
  polarity higher
  year financial
  target 2017/18 5
  actual 2017/18 Q1 6
}
measure C "b" {
  unit number
  polarity higher
  year calendar
  cadence annual
  target 2017 5
  actual 2017 6
}
"#,
        )
        .quiet(&["year-on-periodic"])
        .report("2017/18 Q3", vec![m("C", "green").at("2017")]),
        // A target written in another kind of year is a cadence-mismatch.
        case(
            "financial year target on a calendar measure",
            r#"
measure C "a" {
  unit number
  polarity higher
  cadence annual
  year calendar
  target 2017/18 5
  actual 2017 6
}
"#,
        )
        .warns(&["cadence-mismatch"]),
        // A monthly graduated running total that falls is a warning too.
        case(
            "a falling monthly running-total target",
            r#"
measure FM "a" {
  unit count
  polarity higher
  cadence monthly
  year-to-date
  target 2017/18 { Apr 10 May 5 Jun 20 }
  actual 2017/18 Apr 11
}
"#,
        )
        .warns(&["ytd-target-falls"]),
        // A graduated block and an annual target: the graduated block gives
        // the running-total targets, so no ytd-annual-target; Q2 is rated
        // against 50 (46 < 50 red).
        case(
            "year-to-date with graduated and annual targets",
            r#"
measure GA "a" {
  unit count
  polarity higher
  year-to-date
  target 2017/18 100
  target 2017/18 { Q1 25 Q2 50 Q3 75 Q4 100 }
  actual 2017/18 Q2 46
}
"#,
        )
        .quiet(&["ytd-annual-target", "ytd-target-falls"])
        .report("2017/18 Q2", vec![m("GA", "red").target("50")]),
        // The year's last period is that of the data period: with `lag 1`,
        // the report for 2018/19 Q1 rates 2017/18 Q4 against the annual
        // target: 105 ≥ 100 green.
        case(
            "year-to-date, annual target, lagged",
            r#"
measure YL "a" {
  unit count
  polarity higher
  year-to-date
  lag 1
  target 2017/18 100
  actual {
    2017/18 Q3 70
    2017/18 Q4 105
  }
}
"#,
        )
        .warns(&["ytd-annual-target"])
        .report(
            "2018/19 Q1",
            vec![m("YL", "green").at("2017/18 Q4").target("100")],
        )
        .report(
            "2017/18 Q4",
            vec![m("YL", "none")
                .at("2017/18 Q3")
                .reason("an annual target only applies at year end for a year-to-date measure")],
        ),
        // A future month's status is a future-period warning; a future
        // note, target or milestone is not.
        case(
            "future month status",
            r#"
measure S "a" {
  polarity tbc
  cadence monthly
  status 2018/19 Apr green "on track"
}
"#,
        )
        .today("2018-01-01")
        .warns(&["future-period"]),
        case(
            "future note, target and milestone",
            r#"
measure S "a" {
  unit count
  polarity higher
  target 2030/31 10
  note 2030/31 Q1 "planned"
  actual 2017/18 Q1 4
}
action K "b" {
  milestone 2030/31 Q2 "later"
}
"#,
        )
        .today("2018-01-01")
        .quiet(&["future-period"]),
    ]);
}
