//! The JSON Schemas of docs/schema/: the committed files are what
//! `perfcard schema` generates, and every JSON output of the examples and
//! fixtures validates against its schema.

use std::path::{Path, PathBuf};
use std::process::Command;

use perfcard::schema::{self, Output};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn perfcard(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("perfcard runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn perf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            perf_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "perf") {
            out.push(path);
        }
    }
}

/// Fails with every validation error of `json` against `output`'s schema.
fn assert_valid(output: Output, json: &str, what: &str) {
    let schema = schema::schema(output);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let value: Value =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{what}: not JSON ({e}):\n{json}"));
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match docs/schema/{}:\n{}",
        output.file_name(),
        errors.join("\n")
    );
}

#[test]
fn the_committed_schemas_are_the_generated_ones() {
    for output in Output::ALL {
        let path = root().join("docs/schema").join(output.file_name());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == schema::text(output),
            "docs/schema/{} is out of date: run `perfcard schema {}` > it",
            output.file_name(),
            output.file_name().trim_end_matches(".json")
        );
        // And `perfcard schema` prints the same.
        let name = output.file_name().trim_end_matches(".json");
        let (code, stdout, _) = perfcard(&["schema", name]);
        assert_eq!(code, Some(0));
        assert_eq!(stdout, committed);
    }
}

#[test]
fn the_schemas_reject_what_the_outputs_never_print() {
    // A report without its measures, a diagnostic with an unknown field:
    // the schemas are not so loose that anything passes.
    let schema = schema::schema(Output::Report);
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&serde_json::json!({"period": "2017/18 Q1"})));
    let schema = schema::schema(Output::Check);
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(!validator.is_valid(&serde_json::json!([{"file": "a.perf", "surprise": 1}])));
    assert!(validator.is_valid(&serde_json::json!([])));
}

#[test]
fn every_report_of_the_examples_matches_its_schema() {
    let mut files = Vec::new();
    perf_files(&root().join("examples"), &mut files);
    let mut validated = 0;
    for file in &files {
        let name = file.to_string_lossy();
        let (code, stdout, stderr) = perfcard(&["report", &name, "--format", "json"]);
        // A file that is only included by another has no period of its own.
        if code == Some(2) {
            assert!(stdout.is_empty(), "{name}: {stderr}");
            continue;
        }
        assert_valid(Output::Report, &stdout, &format!("the report of {name}"));
        validated += 1;
    }
    assert!(validated >= 3, "only {validated} reports validated");
}

#[test]
fn every_check_of_the_fixtures_matches_its_schema() {
    let mut files = Vec::new();
    perf_files(&root().join("tests/fixtures"), &mut files);
    perf_files(&root().join("examples"), &mut files);
    let mut with_diagnostics = 0;
    for file in &files {
        let name = file.to_string_lossy();
        let (_, stdout, _) = perfcard(&["check", &name, "--format", "json"]);
        assert_valid(Output::Check, &stdout, &format!("the check of {name}"));
        if stdout.trim() != "[]" {
            with_diagnostics += 1;
        }
    }
    assert!(
        with_diagnostics >= 50,
        "only {with_diagnostics} files had diagnostics"
    );
}

#[test]
fn diffs_match_their_schema() {
    let dir = tempfile::tempdir().unwrap();
    let tutorial =
        std::fs::read_to_string(root().join("examples/tutorial/scorecard.perf")).unwrap();
    let finance = std::fs::read_to_string(root().join("examples/tutorial/finance.perf")).unwrap();
    let havering = std::fs::read_to_string(root().join("examples/havering-2017-q1.perf")).unwrap();
    let pairs = [
        (
            "tutorial",
            tutorial.clone(),
            tutorial
                .replacen("target 2018/19 95%", "target 2018/19 90%", 1)
                .replacen("measure HS03", "measure HS33", 1)
                .replacen("HS02, HS03", "HS02, HS33", 1),
        ),
        (
            "havering",
            havering.clone(),
            havering
                .replacen("target 2017/18 95%", "target 2017/18 97%", 1)
                .replacen("actual 2017/18 Q1 210", "actual 2017/18 Q1 190", 1),
        ),
    ];
    let mut changes = 0;
    for (name, old, new) in pairs {
        let old_dir = dir.path().join(format!("{name}-old"));
        let new_dir = dir.path().join(format!("{name}-new"));
        for (d, text) in [(&old_dir, &old), (&new_dir, &new)] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("card.perf"), text).unwrap();
            std::fs::write(d.join("finance.perf"), &finance).unwrap();
        }
        let (code, stdout, stderr) = perfcard(&[
            "diff",
            &old_dir.join("card.perf").to_string_lossy(),
            &new_dir.join("card.perf").to_string_lossy(),
            "--all-periods",
            "--format",
            "json",
        ]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_valid(Output::Diff, &stdout, &format!("the diff of {name}"));
        let value: Value = serde_json::from_str(&stdout).unwrap();
        changes += value["changes"].as_array().map_or(0, Vec::len);
    }
    assert!(changes >= 4, "the pairs changed too little: {changes}");
}
