//! perfcard: performance indicators as text.
//!
//! The pipeline, one stage per folder: [`syntax`] reads a file into an
//! [`ast::Document`]; [`load`] follows includes; [`check`] turns the
//! documents into a validated [`model::Model`] and every problem into a
//! [`diagnostic::Diagnostic`]; [`eval`] rates the model for a period;
//! [`report`] builds the finished [`report::Report`], which [`render`]
//! prints.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod exact;
pub mod explain;
pub mod load;
pub mod model;
mod parallel;
pub mod period;
pub mod period_map;
pub mod render;
pub mod report;
pub mod syntax;

pub use check as checker;
pub use eval::{interpreter, rating};
pub use load as loader;
pub use syntax::scan as lexical;
pub use syntax::{ast, format, parser, source, span};
/// Loads and checks a report held in memory: `files` are (path, text)
/// pairs, the first being the root. Handy for tests and tools.
pub fn check_files(files: &[(&str, &str)]) -> (load::Loaded, check::Checked) {
    let mut fs = load::Memory::default();
    for (path, text) in files {
        fs = fs.with(*path, *text);
    }
    let root = files.first().map_or("report.perf", |(p, _)| *p);
    let loaded = load::load(&fs, std::path::Path::new(root), root).unwrap_or_default();
    let checked = check::check(&loaded);
    (loaded, checked)
}

#[cfg(test)]
mod sizes {
    use std::mem::size_of;

    /// A national dataset holds millions of spans and values: their sizes
    /// are what keeps peak memory within ten times the input (see
    /// docs/performance.md). This fails when one of them grows.
    #[test]
    fn the_types_that_are_counted_in_millions_stay_small() {
        assert_eq!(size_of::<crate::syntax::span::Span>(), 12);
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
            size_of::<crate::syntax::ast::ActualRow>() <= 128,
            "{}",
            size_of::<crate::syntax::ast::ActualRow>()
        );
    }
}
