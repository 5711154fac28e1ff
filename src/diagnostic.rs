//! Problems found in `.perf` files: one type for errors and warnings.

use serde::Serialize;

use crate::syntax::span::Span;

#[derive(Clone, Copy, Debug, Eq, PartialEq, Ord, PartialOrd, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $severity:ident;)*) => {
        /// Every diagnostic perfcard can report. The names are stable: tools
        /// and CI scripts match on them (`perfcard::duplicate-id`).
        #[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, Ord, PartialOrd)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, without the `perfcard::` prefix.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code means, in one line (the first doc line).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => codes!(@first $($doc)*),)* }
            }
        }
    };
    (@first $first:literal $($rest:literal)*) => { $first.trim_ascii() };
}

codes! {
    // --- reading files ---
    /// The file could not be read, or is not UTF-8.
    Unreadable = "unreadable", Error;
    /// An `include` names a file that does not exist.
    IncludeMissing = "include-missing", Error;
    /// An `include` leaves the directory of the root file.
    IncludeEscape = "include-escape", Error;
    /// A file includes itself, directly or through others.
    IncludeCycle = "include-cycle", Error;
    /// The same file is included twice.
    DuplicateInclude = "duplicate-include", Error;
    /// A file, line or nesting goes past a documented limit.
    Limit = "limit", Error;

    // --- syntax ---
    /// The text does not follow the grammar.
    Syntax = "syntax", Error;
    /// A string is opened with `"` and never closed.
    UnterminatedString = "unterminated-string", Error;
    /// A string holds an escape other than `\"`, `\\` or `\n`.
    BadEscape = "bad-escape", Error;
    /// A year or quarter that does not exist (`2017/19`, `Q5`).
    BadPeriod = "bad-period", Error;
    /// A number that cannot be held exactly, or a fraction that is not one.
    BadNumber = "bad-number", Error;

    // --- structure ---
    /// Two measures or actions share an id.
    DuplicateId = "duplicate-id", Error;
    /// More than one `report` header.
    DuplicateHeader = "duplicate-header", Error;
    /// A field that may appear once appears twice.
    DuplicateField = "duplicate-field", Error;
    /// Two actual values for one period.
    DuplicateActual = "duplicate-actual", Error;
    /// Two targets for one period.
    DuplicateTarget = "duplicate-target", Error;
    /// A value with `%` on a measure whose unit is not percent, or `pp` where
    /// percentage points mean nothing.
    UnitMismatch = "unit-mismatch", Error;
    /// A measure has a target but no polarity.
    TargetWithoutPolarity = "target-without-polarity", Error;
    /// A tolerance or amber band that is negative or a fraction.
    BadBand = "bad-band", Error;
    /// A graduated target written for a quarter instead of a year.
    BadTarget = "bad-target", Error;
    /// A composite names an id that does not exist.
    UnknownComponent = "unknown-component", Error;
    /// Composites that depend on each other in a circle.
    CompositeCycle = "composite-cycle", Error;
    /// A composite measure that also has its own targets or actuals.
    CompositeWithData = "composite-with-data", Error;
    /// Band arithmetic that cannot be done exactly.
    Overflow = "overflow", Error;

    // --- warnings ---
    /// A percentage value below 0 or above 100.
    PercentOutOfRange = "percent-out-of-range", Warning;
    /// A relative band (`%`) on a target of zero has no width.
    RelativeBandOnZero = "relative-band-on-zero", Warning;
    /// Bands push the green threshold past zero, so any value is green.
    ThresholdPastZero = "threshold-past-zero", Warning;
    /// A graduated target that gets easier later in the year.
    GraduatedEasier = "graduated-easier", Warning;
    /// An assessed `status` that disagrees with the computed rating.
    StatusDisagrees = "status-disagrees", Warning;
    /// The reported period has no actual (nor `n/a`) for a measure that
    /// should have one.
    MissingActual = "missing-actual", Warning;
    /// A measure with `lag` but no actual values at all.
    LagWithoutData = "lag-without-data", Warning;
    /// A measure with no `unit` whose values carry `%`: taken as percent.
    UnitInferred = "unit-inferred", Warning;
    /// A quarterly value on an annual measure, or the other way round.
    CadenceMismatch = "cadence-mismatch", Warning;
    /// A target on a measure that is never rated (`polarity none` or `tbc`).
    TargetNeverUsed = "target-never-used", Warning;
}

/// One problem, at one place, with what to do about it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// What the underline says.
    pub label: String,
    /// Other places that explain this one ("first defined here").
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: String::new(),
            related: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Diagnostics in the order a reader wants them: by file, then position.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.file, d.span.start(), d.span.end(), d.code));
}
