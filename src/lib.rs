//! perfcard: performance indicators as text.
//!
//! A scorecard is one or more `.perf` files. The pipeline, one stage per
//! folder of the source:
//!
//! 1. **syntax** — [`parse`] reads one file into an [`ast::Document`]
//!    (never failing: problems are [`Diagnostic`]s); [`format`] prints a
//!    document back in the standard layout.
//! 2. **load** — [`load`] reads a root file and every file it includes,
//!    from the disk ([`Disk`]), from memory ([`Memory`]) or from any
//!    [`FileSystem`].
//! 3. **check** — [`check`] turns the loaded files into a validated
//!    [`model::Model`] and every problem into a [`Diagnostic`].
//! 4. **rate** — [`report::build`] rates the model for a period into a
//!    finished [`report::Report`] ([`report::stream`] builds one entry at a
//!    time); [`explain()`] shows the working for one measure; [`diff()`]
//!    compares two models.
//! 5. **render** — [`render`] prints a report, a diff or diagnostics in
//!    each output format.
//!
//! ```
//! let text = r#"
//! report "Quarterly performance" { period 2017/18 Q1 }
//! measure TC05 "% of housing repairs completed within target" {
//!   unit percent
//!   polarity higher
//!   target 2017/18 96%
//!   actual 2017/18 Q1 99%
//! }
//! "#;
//! let (_loaded, checked) = perfcard::check_files(&[("card.perf", text)])?;
//! assert!(!checked.has_errors());
//! let period = "2017/18 Q1".parse().unwrap();
//! let report = perfcard::report::build(&checked.model, period);
//! assert_eq!(report.measures[0].rating, perfcard::model::Rag::Green);
//! # Ok::<(), perfcard::RootError>(())
//! ```

mod check;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
pub mod diagnostic;
pub mod diff;
mod eval;
pub mod exact;
mod explain;
mod load;
pub mod model;
mod parallel;
pub mod period;
pub mod period_map;
pub mod render;
pub mod report;
#[cfg(feature = "sheets")]
pub mod sheets;
mod syntax;

pub use check::{check, check_consuming, Checked};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use diff::{diff, Diff};
pub use eval::interpreter::{ActionEvaluation, Evaluation, Interpreter};
pub use explain::explain;
pub use load::git::{self, Git};
pub use load::{load, Disk, FileRead, FileSystem, Loaded, LoadedFile, Memory, Reading, RootError};
pub use syntax::format;
pub use syntax::parser::{parse, Parsed};
pub use syntax::source::{SourceFile, SourceMap};
pub use syntax::span::{FileId, Span};
pub use syntax::{ast, format::format};

/// What the profiling programs in `benches/` time on their own: the
/// lexical scan, and pest's grammar with no tree built.
#[doc(hidden)]
pub mod profiling {
    pub use crate::syntax::grammar::pest_tokens;
    pub use crate::syntax::scan::scan;
}

/// Parses one file on this thread only, for tests that compare it with
/// [`parse`] (which cuts a large file into parts parsed in parallel).
#[doc(hidden)]
pub use syntax::parser::parse_sequential;

/// Loads and checks a report held in memory: `files` are (path, text)
/// pairs, the first being the root. Handy for tests and tools. Fails only
/// when the root itself cannot be read (an empty list, say); every problem
/// in the files is a diagnostic in the [`Checked`] result.
pub fn check_files(files: &[(&str, &str)]) -> Result<(Loaded, Checked), RootError> {
    let mut fs = Memory::default();
    for (path, text) in files {
        fs = fs.with(*path, *text);
    }
    let root = files.first().map_or("report.perf", |(p, _)| *p);
    let loaded = load(&fs, std::path::Path::new(root), root)?;
    let checked = check(&loaded);
    Ok((loaded, checked))
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
