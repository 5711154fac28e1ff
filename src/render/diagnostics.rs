//! Diagnostics for people (miette's graphical report) and for tools (JSON).

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use serde::Serialize;

use super::excerpt::{visible, Excerpt};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::source::SourceMap;

/// One diagnostic ready for miette: its source file and, for related places
/// in other files, child diagnostics with their own sources.
///
/// Everything from the file is shown through [`Excerpt`] and [`visible`]:
/// long lines cut, control characters escaped.
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    help: Option<String>,
    source: Excerpt,
    /// The primary label, in the excerpt's coordinates.
    primary: (usize, usize, String),
    labels: Vec<(usize, usize, String)>,
    children: Vec<Child>,
}

/// A related place in another file ("first defined here").
struct Child {
    source: Excerpt,
    span: (usize, usize),
    label: String,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "perfcard::{}",
            self.diagnostic.code.name()
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = {
            let (start, len, label) = &self.primary;
            let label = if label.is_empty() {
                None
            } else {
                Some(label.clone())
            };
            LabeledSpan::new_primary_with_span(label, (*start, *len))
        };
        let others = self.labels.iter().map(|(start, len, label)| {
            LabeledSpan::new_with_span(Some(label.clone()), (*start, *len))
        });
        Some(Box::new(std::iter::once(primary).chain(others)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.children.is_empty() {
            return None;
        }
        Some(Box::new(
            self.children.iter().map(|c| c as &dyn miette::Diagnostic),
        ))
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl fmt::Display for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl std::error::Error for Child {}

impl miette::Diagnostic for Child {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.label.clone()), self.span),
        )))
    }
}

/// Renders diagnostics as a compiler would, each followed by a blank line.
pub fn to_text(
    diagnostics: &[Diagnostic],
    sources: &SourceMap,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let file = sources.get(diagnostic.span.file);
        let primary = (diagnostic.span.start(), diagnostic.span.len());
        let mut same_file = vec![primary];
        let mut children = Vec::new();
        for (span, label) in &diagnostic.related {
            let at = (span.start(), span.len());
            if span.file == diagnostic.span.file {
                same_file.push(at);
            } else {
                let source = Excerpt::new(sources.get(span.file), &[at]);
                children.push(Child {
                    span: source.span(at),
                    source,
                    label: visible(label).into_owned(),
                });
            }
        }
        let source = Excerpt::new(file, &same_file);
        let labels = diagnostic
            .related
            .iter()
            .filter(|(span, _)| span.file == diagnostic.span.file)
            .map(|(span, label)| {
                let (start, len) = source.span((span.start(), span.len()));
                (start, len, visible(label).into_owned())
            })
            .collect();
        let (start, len) = source.span(primary);
        let rendered = Rendered {
            diagnostic,
            message: visible(&diagnostic.message).into_owned(),
            help: diagnostic.help.as_deref().map(|h| visible(h).into_owned()),
            primary: (start, len, visible(&diagnostic.label).into_owned()),
            source,
            labels,
            children,
        };
        if handler.render_report(&mut out, &rendered).is_err() {
            out.push_str(&visible(&diagnostic.message));
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// "2 errors, 1 warning in 3 files"
pub fn summary(diagnostics: &[Diagnostic], files: usize) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if diagnostics.is_empty() {
        format!("no problems in {}", plural(files, "file"))
    } else {
        format!(
            "{}, {} in {}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(files, "file")
        )
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end: JsonPosition,
    severity: Severity,
    code: String,
    message: &'a str,
    label: &'a str,
    help: Option<&'a str>,
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
}

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: usize,
    column: usize,
    label: String,
}

/// The diagnostics as a JSON array (lines and columns count from 1;
/// columns in characters).
pub fn to_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let file = sources.get(d.span.file);
            let (line, column) = file.line_col(d.span.start());
            let (end_line, end_column) = file.line_col(d.span.end());
            JsonDiagnostic {
                file: &file.name,
                line,
                column,
                end: JsonPosition {
                    line: end_line,
                    column: end_column,
                },
                severity: d.severity,
                code: format!("perfcard::{}", d.code.name()),
                message: &d.message,
                label: &d.label,
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|(span, label)| {
                        let other = sources.get(span.file);
                        let (line, column) = other.line_col(span.start());
                        JsonRelated {
                            file: other.name.clone(),
                            line,
                            column,
                            label: label.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}
