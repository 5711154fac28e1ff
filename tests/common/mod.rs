//! Helpers shared by the integration tests: the bundled examples, loaded
//! and checked, and reports built from them or from source in memory.

#![allow(dead_code)] // each test binary uses its own share of these

use std::path::Path;

use perfcard::report::{self, Report};
use perfcard::{Checked, Disk, Memory};

/// Every bundled example: a short name and its root file.
pub const EXAMPLES: [(&str, &str); 3] = [
    ("havering", "examples/havering-2017-q1.perf"),
    ("portsmouth", "examples/portsmouth-2017-q1/portsmouth.perf"),
    ("tutorial", "examples/tutorial/scorecard.perf"),
];

/// Loads and checks a bundled example, which must check clean.
pub fn load(path: &str) -> Checked {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let loaded = perfcard::load(&Disk, &full, path).unwrap();
    let checked = perfcard::check(&loaded);
    assert!(
        checked.diagnostics.is_empty(),
        "{path} must check clean: {:#?}",
        checked.diagnostics
    );
    checked
}

/// The report for the period in the file's header.
pub fn build(checked: &Checked) -> Report {
    let period = checked
        .model
        .header
        .period
        .expect("every example has a period");
    report::build(&checked.model, period)
}

/// The report of a bundled example.
pub fn example(path: &str) -> Report {
    build(&load(path))
}

/// A report from `.perf` source held in memory, which must have no errors.
pub fn from_source(source: &str) -> Report {
    let fs = Memory::default().with("test.perf", source);
    let loaded = perfcard::load(&fs, Path::new("test.perf"), "test.perf").unwrap();
    let checked = perfcard::check(&loaded);
    assert!(
        !checked.has_errors(),
        "the source must check: {:#?}",
        checked.diagnostics
    );
    build(&checked)
}
