//! The rating rules as a table a reviewer can read against LANGUAGE.md.
//!
//! Each case is a measure's fields, the actual for 2017/18 Q1, and the
//! rating it must get. Every worked example of LANGUAGE.md § Rating is here,
//! with both sides of every boundary, each polarity, each band kind, zero
//! and negative targets, lag, fractions, composites and actions.

use perfcard::check_files;
use perfcard::period::Period;
use perfcard::report::{self, Report};

fn report_of(text: &str, period: &str) -> Report {
    let (_, checked) = check_files(&[("card.perf", text)]).expect("the root is in memory");
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| &d.message)
        .collect();
    assert!(errors.is_empty(), "errors in\n{text}\n{errors:?}");
    report::build(&checked.model, period.parse::<Period>().unwrap())
}

/// Rates measure M (with `fields`) holding `actual` in 2017/18 Q1.
fn rate(fields: &str, actual: &str) -> String {
    let text = format!("measure M \"m\" {{\n  {fields}\n  actual 2017/18 Q1 {actual}\n}}\n");
    let report = report_of(&text, "2017/18 Q1");
    report.measures[0].rating.as_str().to_string()
}

/// (fields, actual, expected rating)
const CASES: &[(&str, &str, &str)] = &[
    // LANGUAGE.md: target 100%, tolerance 5pp, amber 10%: green from 95%,
    // amber from 85.5%, red below 85.5%.
    (
        "unit percent polarity higher target 2017/18 100% tolerance 5pp amber 10%",
        "95%",
        "green",
    ),
    (
        "unit percent polarity higher target 2017/18 100% tolerance 5pp amber 10%",
        "94.99%",
        "amber",
    ),
    (
        "unit percent polarity higher target 2017/18 100% tolerance 5pp amber 10%",
        "90",
        "amber",
    ),
    (
        "unit percent polarity higher target 2017/18 100% tolerance 5pp amber 10%",
        "85.5",
        "amber",
    ),
    (
        "unit percent polarity higher target 2017/18 100% tolerance 5pp amber 10%",
        "85.4",
        "red",
    ),
    // LANGUAGE.md: target 30%, amber 15%: green from 30, amber from 25.5.
    (
        "unit percent polarity higher target 2017/18 30% amber 15%",
        "30",
        "green",
    ),
    (
        "unit percent polarity higher target 2017/18 30% amber 15%",
        "27",
        "amber",
    ),
    (
        "unit percent polarity higher target 2017/18 30% amber 15%",
        "25.5",
        "amber",
    ),
    (
        "unit percent polarity higher target 2017/18 30% amber 15%",
        "25.49",
        "red",
    ),
    (
        "unit percent polarity higher target 2017/18 30% amber 15%",
        "20",
        "red",
    ),
    // LANGUAGE.md: target 1 day, polarity lower, amber 0%.
    (
        "unit days polarity lower target 2017/18 1 amber 0%",
        "0.8",
        "green",
    ),
    (
        "unit days polarity lower target 2017/18 1 amber 0%",
        "1",
        "green",
    ),
    (
        "unit days polarity lower target 2017/18 1 amber 0%",
        "1.1",
        "red",
    ),
    // Defaults: tolerance 0 and amber 0, so off target is red.
    (
        "unit count polarity higher target 2017/18 90",
        "90",
        "green",
    ),
    (
        "unit count polarity higher target 2017/18 90",
        "89.999",
        "red",
    ),
    // Relative tolerance: 10% of 200 = 20 → green from 180.
    (
        "unit number polarity higher target 2017/18 200 tolerance 10%",
        "180",
        "green",
    ),
    (
        "unit number polarity higher target 2017/18 200 tolerance 10%",
        "179.99",
        "red",
    ),
    // Absolute bands, in the measure's unit.
    (
        "unit count polarity higher target 2017/18 50 tolerance 2 amber 3",
        "48",
        "green",
    ),
    (
        "unit count polarity higher target 2017/18 50 tolerance 2 amber 3",
        "45",
        "amber",
    ),
    (
        "unit count polarity higher target 2017/18 50 tolerance 2 amber 3",
        "44",
        "red",
    ),
    // Lower mirrors higher: target 10, tolerance 10% → green to 11; amber 10% of 11 → to 12.1.
    (
        "unit number polarity lower target 2017/18 10 tolerance 10% amber 10%",
        "11",
        "green",
    ),
    (
        "unit number polarity lower target 2017/18 10 tolerance 10% amber 10%",
        "11.01",
        "amber",
    ),
    (
        "unit number polarity lower target 2017/18 10 tolerance 10% amber 10%",
        "12.1",
        "amber",
    ),
    (
        "unit number polarity lower target 2017/18 10 tolerance 10% amber 10%",
        "12.11",
        "red",
    ),
    // Polarity target: bands on both sides of 0 (a budget to break even).
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "0",
        "green",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "0.5",
        "green",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "-0.5",
        "green",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "1.5",
        "amber",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "-1.5",
        "amber",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "1.51",
        "red",
    ),
    (
        "unit money \"£m\" polarity target target 2017/18 0 tolerance 0.5 amber 1",
        "-1.51",
        "red",
    ),
    // Negative targets: relative bands use |t|. Target −10, higher, tolerance 10% → green from −11.
    (
        "unit number polarity higher target 2017/18 -10 tolerance 10%",
        "-11",
        "green",
    ),
    (
        "unit number polarity higher target 2017/18 -10 tolerance 10%",
        "-11.01",
        "red",
    ),
    (
        "unit number polarity lower target 2017/18 -10 tolerance 10%",
        "-9",
        "green",
    ),
    (
        "unit number polarity lower target 2017/18 -10 tolerance 10%",
        "-8.99",
        "red",
    ),
    // Quarter target over annual target.
    (
        "unit count polarity higher target 2017/18 20 target 2017/18 Q1 5",
        "5",
        "green",
    ),
    (
        "unit count polarity higher target 2017/18 20 target 2017/18 Q1 5",
        "4",
        "red",
    ),
    // Graduated targets are quarter targets.
    (
        "unit percent polarity higher target 2017/18 { Q1 25% Q2 50% Q3 75% Q4 100% }",
        "25%",
        "green",
    ),
    (
        "unit percent polarity higher target 2017/18 { Q1 25% Q2 50% Q3 75% Q4 100% }",
        "24%",
        "red",
    ),
    // Fractions compare exactly: 2/3 of 100 = 66.666…% is below 66.67% and above 66.66%.
    (
        "unit percent polarity higher target 2017/18 66.67%",
        "2/3",
        "red",
    ),
    (
        "unit percent polarity higher target 2017/18 66.66%",
        "2/3",
        "green",
    ),
    (
        "unit percent polarity higher target 2017/18 75%",
        "3/4",
        "green",
    ),
    (
        "unit count polarity higher target 2017/18 0.75",
        "3/4",
        "green",
    ),
    // Exact decimals: 85.5 equals 95 × 0.9 (no binary floating point).
    (
        "unit percent polarity higher target 2017/18 95% amber 10%",
        "85.5",
        "amber",
    ),
    // Not rated, each with its reason (see REASONS below).
    ("unit count polarity none target 2017/18 5", "7", "none"),
    ("unit count polarity tbc", "7", "none"),
    ("unit count polarity higher", "7", "none"),
    ("unit count polarity higher target 2017/18 tbc", "7", "none"),
    (
        "unit count polarity higher target 2017/18 5",
        "n/a \"late\"",
        "none",
    ),
    // A provisional value is rated like any other.
    (
        "unit count polarity higher target 2017/18 5",
        "6 provisional",
        "green",
    ),
    // An assessed status is what the report publishes.
    (
        "unit count polarity higher target 2017/18 5 status 2017/18 Q1 amber \"judgement\"",
        "6",
        "amber",
    ),
    (
        "unit count polarity none status 2017/18 Q1 red \"assessed\"",
        "6",
        "red",
    ),
];

#[test]
fn rating_table() {
    let mut failures = Vec::new();
    for (fields, actual, expected) in CASES {
        let got = rate(fields, actual);
        if got != *expected {
            failures.push(format!(
                "{fields} | actual {actual}: expected {expected}, got {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

/// (fields, actual, reason code when not rated)
const REASONS: &[(&str, &str, &str)] = &[
    (
        "unit count polarity none target 2017/18 5",
        "7",
        "tracked-only",
    ),
    ("unit count polarity tbc", "7", "polarity-tbc"),
    ("unit count polarity higher", "7", "no-target"),
    (
        "unit count polarity higher target 2017/18 tbc",
        "7",
        "target-tbc",
    ),
    (
        "unit count polarity higher target 2017/18 5",
        "n/a \"late\"",
        "not-available",
    ),
    (
        "unit count polarity higher target 2016/17 5",
        "7",
        "no-target",
    ),
    (
        "unit count polarity none status 2017/18 Q1 none \"not assessed\"",
        "7",
        "assessed-unrated",
    ),
];

#[test]
fn every_unrated_measure_has_a_reason() {
    for (fields, actual, code) in REASONS {
        let text = format!("measure M \"m\" {{\n  {fields}\n  actual 2017/18 Q1 {actual}\n}}\n");
        let report = report_of(&text, "2017/18 Q1");
        let m = &report.measures[0];
        assert_eq!(m.rating.as_str(), "none", "{fields}");
        assert_eq!(m.reason.as_ref().map(|r| r.code()), Some(*code), "{fields}");
    }
}

#[test]
fn no_actual_is_a_reason() {
    let report = report_of(
        "measure M \"m\" { unit count polarity higher target 2017/18 5 }",
        "2017/18 Q1",
    );
    assert_eq!(
        report.measures[0].reason.as_ref().map(|r| r.code()),
        Some("no-actual")
    );
    let n_a = report_of("measure M \"m\" { unit count polarity higher target 2017/18 5 actual 2017/18 Q1 n/a \"DTOC site down\" }", "2017/18 Q1");
    assert_eq!(
        n_a.measures[0].reason_text.as_deref(),
        Some("not available: DTOC site down")
    );
}

#[test]
fn lag_rates_the_data_period() {
    let text = "measure M \"m\" {
  unit count polarity higher lag 1
  target 2017/18 Q1 10
  target 2017/18 Q2 20
  actual { 2016/17 Q4 8  2017/18 Q1 12  2017/18 Q2 5 }
}";
    let report = report_of(text, "2017/18 Q2");
    let m = &report.measures[0];
    assert_eq!(
        m.period.to_string(),
        "2017/18 Q1",
        "reported one quarter behind"
    );
    assert_eq!(m.actual.as_deref(), Some("12"));
    assert_eq!(m.target.as_deref(), Some("10"));
    assert_eq!(m.rating.as_str(), "green");
    assert_eq!(
        m.direction.short.as_str(),
        "improving",
        "12 in Q1 against 8 in the quarter before"
    );
    assert_eq!(m.lagged.as_deref(), Some("reported one quarter behind"));
}

#[test]
fn annual_cadence_rates_the_last_ended_year() {
    let text = "measure M \"m\" {
  unit percent polarity higher cadence annual
  target 2016/17 95%
  target 2017/18 99%
  actual { 2015/16 97%  2016/17 96% }
}";
    let q1 = report_of(text, "2017/18 Q1");
    let m = &q1.measures[0];
    assert_eq!(m.period.to_string(), "2016/17");
    assert_eq!(
        (m.rating.as_str(), m.target.as_deref()),
        ("green", Some("95"))
    );
    assert_eq!(
        (m.direction.short.as_str(), m.direction.long.as_str()),
        ("worsening", "worsening")
    );
    // At Q4 the year 2017/18 has ended: no actual for it yet.
    let q4 = report_of(text, "2017/18 Q4");
    assert_eq!(q4.measures[0].period.to_string(), "2017/18");
    assert_eq!(
        q4.measures[0].reason.as_ref().map(|r| r.code()),
        Some("no-actual")
    );
}

#[test]
fn directions_by_polarity() {
    let case = |polarity: &str, earlier: &str, now: &str| {
        let text = format!(
            "measure M \"m\" {{ unit number polarity {polarity} target 2017/18 10
               actual {{ 2016/17 Q1 {earlier}  2016/17 Q4 {earlier}  2017/18 Q1 {now} }} }}"
        );
        let r = report_of(&text, "2017/18 Q1");
        let d = &r.measures[0].direction;
        assert_eq!(d.short, d.long);
        d.short.as_str().to_string()
    };
    assert_eq!(case("higher", "5", "6"), "improving");
    assert_eq!(case("higher", "6", "5"), "worsening");
    assert_eq!(case("higher", "6", "6.00"), "same");
    assert_eq!(case("lower", "5", "6"), "worsening");
    assert_eq!(case("lower", "6", "5"), "improving");
    assert_eq!(
        case("target", "6", "11"),
        "improving",
        "1 away from 10 is closer than 4"
    );
    assert_eq!(case("target", "9", "12"), "worsening");
    assert_eq!(case("target", "8", "12"), "same", "both 2 away");
    assert_eq!(case("none", "5", "6"), "up");
    assert_eq!(case("none", "6", "5"), "down");
}

#[test]
fn directions_are_new_without_both_values() {
    let text = "measure M \"m\" { unit number polarity higher target 2017/18 10
        actual { 2016/17 Q4 n/a \"lost\"  2017/18 Q1 12 } }";
    let r = report_of(text, "2017/18 Q1");
    assert_eq!(r.measures[0].direction.short.as_str(), "new");
    assert_eq!(r.measures[0].direction.long.as_str(), "new");
}

fn composite_rating(rule: &str, ratings: &[&str]) -> String {
    let mut text = String::new();
    let mut ids = Vec::new();
    for (i, rating) in ratings.iter().enumerate() {
        // Target 10, higher: 10 green, 9 red (no amber band), n/a not rated.
        let actual = match *rating {
            "green" => "10",
            "red" => "9",
            _ => "n/a \"none\"",
        };
        text.push_str(&format!("measure C{i} \"c\" {{ unit count polarity higher target 2017/18 10 actual 2017/18 Q1 {actual} }}\n"));
        ids.push(format!("C{i}"));
    }
    text.push_str(&format!(
        "measure P \"p\" {{ composite {rule} of {} }}\n",
        ids.join(", ")
    ));
    let r = report_of(&text, "2017/18 Q1");
    r.measures.last().unwrap().rating.as_str().to_string()
}

#[test]
fn composites() {
    assert_eq!(composite_rating("worst", &["green", "red", "green"]), "red");
    assert_eq!(
        composite_rating("worst", &["green", "none"]),
        "green",
        "unrated components are ignored"
    );
    assert_eq!(composite_rating("worst", &["none", "none"]), "none");
    assert_eq!(
        composite_rating("majority", &["green", "green", "red"]),
        "green"
    );
    assert_eq!(
        composite_rating("majority", &["green", "red"]),
        "red",
        "ties go to the worse"
    );
    assert_eq!(
        composite_rating("majority", &["green", "red", "none", "none"]),
        "red"
    );
}

#[test]
fn composite_with_amber_tie() {
    let text = "
measure A \"a\" { unit count polarity higher target 2017/18 10 amber 50% actual 2017/18 Q1 6 }
measure G \"g\" { unit count polarity higher target 2017/18 10 actual 2017/18 Q1 10 }
measure P \"p\" { composite majority of A, G }
measure W \"w\" { composite worst of P, G }";
    let r = report_of(text, "2017/18 Q1");
    assert_eq!(r.measures[0].rating.as_str(), "amber");
    assert_eq!(
        r.measures[2].rating.as_str(),
        "amber",
        "amber and green tie: the worse"
    );
    assert_eq!(
        r.measures[3].rating.as_str(),
        "amber",
        "composites of composites"
    );
}

fn action_rating(milestones: &str, period: &str) -> String {
    let text = format!("action K \"k\" {{ {milestones} }}");
    report_of(&text, period).actions[0]
        .rating
        .as_str()
        .to_string()
}

#[test]
fn actions_from_milestones() {
    // The LANGUAGE.md example: one milestone due and not done → red.
    let k24 = r#"milestone 2013/14 Q2 "Implement Rate Relief Policy" done
                 milestone 2013/14 Q2 "Agree content of Civil Society Policy"
                 milestone 2013/14 Q3 "Publish the policy" done concern "Published late""#;
    assert_eq!(action_rating(k24, "2013/14 Q1"), "none", "nothing due yet");
    assert_eq!(
        action_rating(k24, "2013/14 Q2"),
        "red",
        "one due and not done"
    );
    assert_eq!(action_rating(k24, "2013/14 Q4"), "red");
    let late = r#"milestone 2013/14 Q2 "a" done  milestone 2013/14 Q3 "b" done concern "late""#;
    assert_eq!(
        action_rating(late, "2013/14 Q2"),
        "green",
        "the concern is not due yet"
    );
    assert_eq!(
        action_rating(late, "2013/14 Q3"),
        "amber",
        "all done, one with a concern"
    );
    let done = r#"milestone 2013/14 Q2 "a" done  milestone 2014/15 Q1 "b""#;
    assert_eq!(
        action_rating(done, "2013/14 Q4"),
        "green",
        "the undone one is not due"
    );
    assert_eq!(action_rating(done, "2014/15 Q1"), "red");
}

#[test]
fn summary_counts_measures_and_actions() {
    let text = r#"
group "Towns" {
  measure CS02 "% of Stage 1 complaints closed within 15 days" {
    unit percent
    polarity higher
    target 2017/18 95%
    actual 2017/18 Q1 83%
  }
}
action K24 "Deliver the Civil Society Policy." {
  milestone 2013/14 Q2 "Agree content" 
}"#;
    let r = report_of(text, "2017/18 Q1");
    assert_eq!((r.summary.red, r.summary.green, r.summary.none), (2, 0, 0));
    assert_eq!(r.counts.measures.red, 1);
    assert_eq!(r.counts.actions.red, 1);
    assert_eq!(r.groups[0].summary.red, 1);
}

#[test]
fn nested_group_counts_include_children() {
    let text = r#"
group "Children" {
  measure A "a" { unit count polarity higher target 2017/18 1 actual 2017/18 Q1 1 }
  group "Looked after" {
    measure B "b" { unit count polarity higher target 2017/18 1 actual 2017/18 Q1 0 }
  }
}"#;
    let r = report_of(text, "2017/18 Q1");
    assert_eq!(r.groups[0].path, vec!["Children"]);
    assert_eq!((r.groups[0].summary.green, r.groups[0].summary.red), (1, 1));
    assert_eq!(r.groups[1].path, vec!["Children", "Looked after"]);
    assert_eq!((r.groups[1].summary.green, r.groups[1].summary.red), (0, 1));
    assert_eq!(r.measures[1].group, vec!["Children", "Looked after"]);
}
