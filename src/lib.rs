//! perfcard: performance indicators as text.
//!
//! The pipeline, one stage per module: [`parser::parse`] reads a file into an
//! [`ast::Document`]; [`loader`] follows includes; [`checker::check`] turns
//! the documents into a validated [`model::Model`] and every problem into a
//! [`diagnostic::Diagnostic`].

pub mod ast;
pub mod checker;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod exact;
pub mod exceptions;
pub mod explain;
pub mod interpreter;
pub mod lexical;
pub mod loader;
pub mod model;
pub mod numbers;
mod parallel;
pub mod parser;
pub mod period;
pub mod period_map;
pub mod rating;
pub mod render;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax_error;

/// Loads and checks a report held in memory: `files` are (path, text)
/// pairs, the first being the root. Handy for tests and tools.
pub fn check_files(files: &[(&str, &str)]) -> (loader::Loaded, checker::Checked) {
    let mut fs = loader::Memory::default();
    for (path, text) in files {
        fs = fs.with(*path, *text);
    }
    let root = files.first().map_or("report.perf", |(p, _)| *p);
    let loaded = loader::load(&fs, std::path::Path::new(root), root).unwrap_or_default();
    let checked = checker::check(&loaded);
    (loaded, checked)
}
pub mod format;
pub mod git;

#[cfg(test)]
mod sizes {
    use std::mem::size_of;

    /// A national dataset holds millions of spans and values: their sizes
    /// are what keeps peak memory within ten times the input (see
    /// docs/performance.md). This fails when one of them grows.
    #[test]
    fn the_types_that_are_counted_in_millions_stay_small() {
        assert_eq!(size_of::<crate::span::Span>(), 12);
        assert!(
            size_of::<crate::model::Value>() <= 72,
            "{}",
            size_of::<crate::model::Value>()
        );
        assert!(
            size_of::<crate::model::ActualDef>() <= 96,
            "{}",
            size_of::<crate::model::ActualDef>()
        );
        assert!(
            size_of::<crate::ast::ActualRow>() <= 128,
            "{}",
            size_of::<crate::ast::ActualRow>()
        );
    }
}
