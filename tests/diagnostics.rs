//! The malformed-file corpus: every file in tests/fixtures/errors/ is checked
//! and its rendered diagnostics are snapshotted, so a reviewer reads exactly
//! what a performance officer would see. Files that need company (include
//! cycles, escapes, ...) live in a subdirectory whose `root.perf` is checked;
//! the other files there are only reached through it.
//!
//! tests/fixtures/ok/ holds edge cases that must check clean.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use perfcard::render::diagnostics::{summary, to_text};
use perfcard::Checked;
use perfcard::{Code, Severity};
use perfcard::{Disk, Loaded};

/// The width diagnostics are rendered at in snapshots.
const WIDTH: usize = 100;

fn repo_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// The path as shown in diagnostics: relative to the repository, with `/`.
fn display_name(path: &Path) -> String {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let relative = path.strip_prefix(repo_root()).unwrap_or(&path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn check(path: &Path) -> (Loaded, Checked) {
    let name = display_name(path);
    let loaded = perfcard::load(&Disk, path, &name)
        .unwrap_or_else(|error| panic!("{name}: the root file cannot be read: {error}"));
    let checked = perfcard::check(&loaded);
    (loaded, checked)
}

/// [`check`], with a panic in perfcard turned into an error message, so
/// that one crashing fixture does not hide the results of all the others.
fn try_check(path: &Path) -> Result<(Loaded, Checked), String> {
    std::panic::catch_unwind(|| check(path)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(no message)".into());
        format!("{}: perfcard panicked: {message}", display_name(path))
    })
}

/// What `perfcard check` prints for one file, without colour. Absolute
/// paths of this checkout (which some messages print) become `[REPO]`, so
/// snapshots are the same on every machine.
fn rendered(loaded: &Loaded, checked: &Checked) -> String {
    let root = repo_root().to_string_lossy().into_owned();
    let portable = |text: &str| text.replace(&root, "[REPO]");
    let mut diagnostics = checked.diagnostics.clone();
    for d in &mut diagnostics {
        d.message = portable(&d.message);
        d.label = portable(&d.label);
        d.help = d.help.as_deref().map(portable);
        for (_, label) in &mut d.related {
            *label = portable(label);
        }
    }
    let mut out = to_text(&diagnostics, &loaded.sources, false, WIDTH);
    out.push_str(&summary(&diagnostics, loaded.sources.len()));
    out.push('\n');
    out
}

/// A fixture is checked on its own when it sits directly in `dir`, or is
/// the `root.perf` of a subdirectory.
fn is_root(dir: &Path, path: &Path) -> bool {
    let in_top = path.parent() == Some(dir);
    in_top || path.file_name().is_some_and(|n| n == "root.perf")
}

fn errors_dir() -> PathBuf {
    repo_root().join("tests/fixtures/errors")
}

/// Every root fixture under `dir` (recursively), sorted.
fn roots(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "perf") {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    walk(dir, &mut all);
    all.retain(|p| is_root(dir, p));
    all.sort();
    all
}

#[test]
fn errors() {
    let dir = errors_dir();
    let mut crashes = Vec::new();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("fixtures/errors", "**/*.perf", |path| {
            let path = path.canonicalize().unwrap();
            if !is_root(&dir, &path) {
                return;
            }
            let (loaded, checked) = match try_check(&path) {
                Ok(result) => result,
                Err(crash) => return crashes.push(crash),
            };
            assert!(
                !checked.diagnostics.is_empty(),
                "{} is in the error corpus but checks clean",
                display_name(&path)
            );
            insta::assert_snapshot!(rendered(&loaded, &checked));
        });
    });
    assert!(crashes.is_empty(), "{}", crashes.join("\n"));
}

#[test]
fn every_code_has_a_fixture() {
    let mut produced = BTreeSet::new();
    let mut crashes = Vec::new();
    for path in roots(&errors_dir()) {
        match try_check(&path) {
            Ok((_, checked)) => produced.extend(checked.diagnostics.iter().map(|d| d.code)),
            Err(crash) => crashes.push(crash),
        }
    }
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|code| !produced.contains(*code))
        .map(|code| code.name())
        .collect();
    assert!(
        missing.is_empty(),
        "no fixture in tests/fixtures/errors/ produces: {}\n\
         add `tests/fixtures/errors/<code>.perf` for each{}",
        missing.join(", "),
        if crashes.is_empty() {
            String::new()
        } else {
            format!("\n(these fixtures crashed: {})", crashes.join("; "))
        }
    );
}

#[test]
fn fixture_named_after_a_code_produces_it() {
    // `unit-mismatch-pp.perf` must produce `unit-mismatch`; `syntax-*.perf`
    // must produce `syntax`. The longest code name that prefixes the file
    // name decides (so `duplicate-id-action` is `duplicate-id`).
    let mut wrong = Vec::new();
    for path in roots(&errors_dir()) {
        let stem = if path.file_name().is_some_and(|n| n == "root.perf") {
            path.parent()
                .unwrap()
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        } else {
            path.file_stem().unwrap().to_string_lossy().into_owned()
        };
        let code = Code::ALL
            .iter()
            .filter(|c| stem == c.name() || stem.starts_with(&format!("{}-", c.name())))
            .max_by_key(|c| c.name().len());
        let Some(code) = code else { continue };
        let checked = match try_check(&path) {
            Ok((_, checked)) => checked,
            Err(crash) => {
                wrong.push(crash);
                continue;
            }
        };
        if !checked.diagnostics.iter().any(|d| d.code == *code) {
            let got: Vec<&str> = checked.diagnostics.iter().map(|d| d.code.name()).collect();
            wrong.push(format!(
                "{}: expected {}, got [{}]",
                display_name(&path),
                code.name(),
                got.join(", ")
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn ok_fixtures_check_clean() {
    let dir = repo_root().join("tests/fixtures/ok");
    let paths = roots(&dir);
    assert!(!paths.is_empty(), "no fixtures in {}", dir.display());
    let mut failures = Vec::new();
    for path in paths {
        let (loaded, checked) = match try_check(&path) {
            Ok(result) => result,
            Err(crash) => {
                failures.push(crash);
                continue;
            }
        };
        let warnings_allowed = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().contains("warn"));
        let unexpected = checked.diagnostics.iter().any(|d| {
            d.severity == Severity::Error || (d.severity == Severity::Warning && !warnings_allowed)
        });
        if unexpected {
            failures.push(rendered(&loaded, &checked));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
