//! `perfcard diff`: each kind of change, in each polarity, with its effect.

use std::process::Command;

use perfcard::check_files;
use perfcard::diff::{diff, Diff, Effect};
use perfcard::render;

const BASE: &str = r#"
report "Scorecard" { period 2017/18 Q2 }
group "Housing" {
  measure UP "Repairs on time" {
    unit percent
    polarity higher
    tolerance 2pp
    amber 5%
    target 2017/18 95%
    target 2018/19 96%
    actual { 2017/18 Q1 93%  2017/18 Q2 94% }
  }
  measure DOWN "Days to re-let" {
    unit days
    polarity lower
    target 2017/18 21
    actual { 2017/18 Q1 24  2017/18 Q2 22 }
  }
  measure MID "Budget variance" {
    unit money "£m"
    polarity target
    tolerance 0.25
    target 2017/18 0
    actual 2017/18 Q2 0.4
  }
}
action K1 "Launch online reporting" {
  owner "Head of Housing"
  milestone 2017/18 Q1 "Procure" done
  milestone 2017/18 Q2 "Go live"
}
"#;

fn run(old: &str, new: &str) -> Diff {
    let (_, a) = check_files(&[("card.perf", old)]).expect("the root is in memory");
    let (_, b) = check_files(&[("card.perf", new)]).expect("the root is in memory");
    assert!(
        !a.has_errors() && !b.has_errors(),
        "{:?} {:?}",
        a.diagnostics,
        b.diagnostics
    );
    diff(&a.model, &b.model, &["2017/18 Q2".parse().unwrap()])
}

fn effects(d: &Diff) -> Vec<(String, &'static str, Effect, bool)> {
    d.changes
        .iter()
        .map(|c| (c.id.clone(), c.kind, c.effect, c.retrospective))
        .collect()
}

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "{from}");
    BASE.replacen(from, to, 1)
}

/// The change expected: (id, kind, effect, retrospective).
type Expected = (&'static str, &'static str, Effect, bool);

/// (what changes, from, to, expected)
const SCENARIOS: &[(&str, &str, &str, Expected)] = &[
    (
        "higher: target lowered",
        "target 2017/18 95%",
        "target 2017/18 90%",
        ("UP", "target", Effect::Eased, true),
    ),
    (
        "higher: target raised",
        "target 2017/18 95%",
        "target 2017/18 97%",
        ("UP", "target", Effect::Stretched, true),
    ),
    (
        "higher: future target lowered",
        "target 2018/19 96%",
        "target 2018/19 94%",
        ("UP", "target", Effect::Eased, false),
    ),
    (
        "lower: target raised",
        "target 2017/18 21",
        "target 2017/18 25",
        ("DOWN", "target", Effect::Eased, true),
    ),
    (
        "lower: target lowered",
        "target 2017/18 21",
        "target 2017/18 20",
        ("DOWN", "target", Effect::Stretched, true),
    ),
    (
        "target: target moved",
        "target 2017/18 0\n",
        "target 2017/18 0.1\n",
        ("MID", "target", Effect::Changed, true),
    ),
    (
        "tolerance widened",
        "tolerance 2pp",
        "tolerance 3pp",
        ("UP", "tolerance", Effect::Eased, true),
    ),
    (
        "tolerance narrowed",
        "tolerance 2pp",
        "tolerance 1pp",
        ("UP", "tolerance", Effect::Stretched, true),
    ),
    (
        "target polarity: band widened",
        "tolerance 0.25",
        "tolerance 0.5",
        ("MID", "tolerance", Effect::Eased, true),
    ),
    (
        "amber widened",
        "amber 5%",
        "amber 10%",
        ("UP", "amber", Effect::Eased, true),
    ),
    (
        "amber removed",
        "amber 5%",
        "amber 0%",
        ("UP", "amber", Effect::Stretched, true),
    ),
    (
        "figure restated",
        "2017/18 Q2 94%",
        "2017/18 Q2 96%",
        ("UP", "actual", Effect::Restated, false),
    ),
    (
        "new quarter's figure",
        "actual 2017/18 Q2 0.4",
        "actual { 2017/18 Q2 0.4  2017/18 Q3 0.1 }",
        ("MID", "actual", Effect::Added, false),
    ),
    (
        "figure removed",
        "actual { 2017/18 Q1 24  2017/18 Q2 22 }",
        "actual 2017/18 Q2 22",
        ("DOWN", "actual", Effect::Removed, false),
    ),
    (
        "target added",
        "target 2018/19 96%",
        "target 2018/19 96%\n    target 2019/20 97%",
        ("UP", "target", Effect::Added, false),
    ),
    (
        "tbc replaced by a number",
        "target 2018/19 96%",
        "target 2018/19 tbc",
        ("UP", "target", Effect::Removed, false),
    ),
    (
        "polarity changed",
        "polarity lower",
        "polarity higher",
        ("DOWN", "polarity", Effect::Changed, false),
    ),
    (
        "unit changed",
        "unit days",
        "unit number",
        ("DOWN", "unit", Effect::Changed, false),
    ),
    (
        "milestone undone",
        "\"Procure\" done",
        "\"Procure\"",
        ("K1", "milestone", Effect::Changed, false),
    ),
    (
        "owner changed",
        "owner \"Head of Housing\"",
        "owner \"Director of Housing\"",
        ("K1", "owner", Effect::Changed, false),
    ),
    (
        "title changed",
        "\"Days to re-let\"",
        "\"Average days to re-let council homes\"",
        ("DOWN", "title", Effect::Changed, false),
    ),
];

#[test]
fn each_change_has_its_effect() {
    let mut failures = Vec::new();
    for (name, from, to, (id, kind, effect, retrospective)) in SCENARIOS {
        let d = run(BASE, &edit(from, to));
        let got = effects(&d);
        let want = (id.to_string(), *kind, *effect, *retrospective);
        if got != [want.clone()] {
            failures.push(format!("{name}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tbc_to_number_is_an_addition() {
    let tbc = edit("target 2018/19 96%", "target 2018/19 tbc");
    let d = run(&tbc, BASE);
    assert_eq!(
        effects(&d),
        [("UP".to_string(), "target", Effect::Added, false)]
    );
    assert_eq!(
        (d.changes[0].old.as_deref(), d.changes[0].new.as_deref()),
        (Some("tbc"), Some("96"))
    );
}

#[test]
fn layout_and_comments_are_not_changes() {
    let reformatted = BASE
        .replace("\n    ", "\n\t\t")
        .replace("95%", "95.0%   // the corporate target");
    assert!(run(BASE, &reformatted).is_empty());
}

#[test]
fn ratings_that_change_are_listed() {
    let eased = edit("target 2017/18 95%", "target 2017/18 90%");
    let d = run(BASE, &eased);
    // 94% against 95% less 2pp was green already; against 90% still green:
    // no rating change. Lowering DOWN's target makes 22 days green.
    assert!(d.ratings.is_empty(), "{:?}", d.ratings);
    let d = run(BASE, &edit("target 2017/18 21", "target 2017/18 22"));
    assert_eq!(d.ratings.len(), 1);
    assert_eq!(
        (
            d.ratings[0].old.map(|r| r.as_str()),
            d.ratings[0].new.map(|r| r.as_str())
        ),
        (Some("red"), Some("green"))
    );
}

#[test]
fn measures_and_groups_added_and_removed() {
    let more = format!("{BASE}\ngroup \"Finance\" {{\n  measure FIN \"Invoices paid\" {{ unit percent polarity higher target 2017/18 95% actual 2017/18 Q2 96% }}\n}}\n");
    let d = run(BASE, &more);
    assert_eq!(
        effects(&d),
        [("FIN".to_string(), "measure", Effect::Added, false)]
    );
    assert_eq!(d.changes[0].group, ["Finance"]);
    assert_eq!(d.ratings.len(), 1, "the new measure's rating is news");
    let back = run(&more, BASE);
    assert_eq!(
        effects(&back),
        [("FIN".to_string(), "measure", Effect::Removed, false)]
    );
}

#[test]
fn renamed_file_and_moved_include_are_not_changes() {
    let root = "report \"R\" { period 2017/18 Q2 }\ninclude \"housing.perf\"\n";
    let housing = "group \"Housing\" {\n  measure A \"a\" { unit count polarity higher target 2017/18 5 actual 2017/18 Q2 6 }\n}\n";
    let (_, before) = check_files(&[("card.perf", root), ("housing.perf", housing)])
        .expect("the root is in memory");
    // The same content, the included file renamed and moved into a folder.
    let moved_root = root.replace("housing.perf", "parts/homes.perf");
    let (_, after) = check_files(&[
        ("scorecard.perf", &moved_root),
        ("parts/homes.perf", housing),
    ])
    .expect("the root is in memory");
    assert!(!before.has_errors() && !after.has_errors());
    assert!(diff(
        &before.model,
        &after.model,
        &["2017/18 Q2".parse().unwrap()]
    )
    .is_empty());
}

fn snapshot_all(name: &str, d: &Diff) {
    let all = format!(
        "--- text ---\n{}\n--- markdown ---\n{}\n--- json ---\n{}",
        render::diff::text(d, false),
        render::diff::markdown(d),
        render::diff::json(d)
    );
    insta::with_settings!({snapshot_path => "snapshots/diff", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, all);
    });
}

#[test]
fn a_quarterly_update_with_a_quiet_easing() {
    // The everyday pull request: Q3 figures added — and, slipped in, a target
    // lowered, a Q2 figure rewritten and an action's milestone undone.
    let new = BASE
        .replacen(
            "actual { 2017/18 Q1 93%  2017/18 Q2 94% }",
            "actual { 2017/18 Q1 93%  2017/18 Q2 95%  2017/18 Q3 92% }",
            1,
        )
        .replacen(
            "actual { 2017/18 Q1 24  2017/18 Q2 22 }",
            "actual { 2017/18 Q1 24  2017/18 Q2 22  2017/18 Q3 21 }",
            1,
        )
        .replacen("target 2017/18 21", "target 2017/18 23", 1)
        .replacen("\"Procure\" done", "\"Procure\"", 1);
    let d = run(BASE, &new);
    snapshot_all("quarterly-update", &d);
}

#[test]
fn many_changes_fold_in_markdown() {
    let mut old = String::from("report \"R\" { period 2017/18 Q1 }\n");
    let mut new = old.clone();
    for i in 0..20 {
        old.push_str(&format!(
            "measure M{i} \"m{i}\" {{ unit count polarity higher target 2017/18 10 }}\n"
        ));
        new.push_str(&format!("measure M{i} \"m{i}\" {{ unit count polarity higher target 2017/18 10 actual 2017/18 Q2 {i} }}\n"));
    }
    let md = render::diff::markdown(&run(&old, &new));
    assert!(
        md.contains("<details><summary>20 changes</summary>"),
        "{md}"
    );
    assert!(
        md.contains("<details><summary>20 ratings</summary>"),
        "{md}"
    );
}

// --- the real binary, with git ---

fn git(dir: &std::path::Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn against_a_git_revision_with_includes() {
    let dir = tempfile::tempdir().unwrap();
    let root = "report \"R\" { period 2017/18 Q1 }\ninclude \"parts/housing.perf\"\n";
    let housing = "measure A \"Repairs\" { unit percent polarity higher target 2017/18 95% actual 2017/18 Q1 93% }\n";
    std::fs::create_dir(dir.path().join("parts")).unwrap();
    std::fs::write(dir.path().join("card.perf"), root).unwrap();
    std::fs::write(dir.path().join("parts/housing.perf"), housing).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "v1"]);
    // Ease the target in the included file, in the working tree.
    std::fs::write(
        dir.path().join("parts/housing.perf"),
        housing.replace("95%", "90%"),
    )
    .unwrap();

    let perfcard = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_perfcard"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = perfcard(&["diff", "HEAD:card.perf", "card.perf", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["changes"][0]["kind"], "target");
    assert_eq!(json["changes"][0]["effect"], "eased");
    assert_eq!(json["changes"][0]["retrospective"], true);
    assert_eq!(
        (
            json["changes"][0]["old"].as_str(),
            json["changes"][0]["new"].as_str()
        ),
        (Some("95"), Some("90"))
    );
    assert_eq!(json["ratings"][0]["old"], "red");
    assert_eq!(json["ratings"][0]["new"], "green");

    let gate = perfcard(&[
        "diff",
        "HEAD:card.perf",
        "card.perf",
        "--fail-on",
        "eased,restated",
    ]);
    assert_eq!(
        gate.status.code(),
        Some(1),
        "the gate fails on an eased target"
    );
    let pass = perfcard(&[
        "diff",
        "HEAD:card.perf",
        "HEAD:card.perf",
        "--fail-on",
        "eased,restated",
    ]);
    assert_eq!(pass.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&pass.stdout).trim(),
        "no changes in meaning"
    );
    let bad_rev = perfcard(&["diff", "NOSUCHREV:card.perf", "card.perf"]);
    assert_eq!(
        bad_rev.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&bad_rev.stderr)
    );
    let bad_flag = perfcard(&["diff", "HEAD:card.perf", "card.perf", "--fail-on", "easy"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    std::fs::write(dir.path().join("broken.perf"), "measure A {").unwrap();
    let broken = perfcard(&["diff", "HEAD:card.perf", "broken.perf"]);
    assert_eq!(broken.status.code(), Some(1), "a side that does not parse");
}
