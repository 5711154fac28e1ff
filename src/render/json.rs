//! The JSON report: the contract of LANGUAGE.md § The report.

use crate::report::Report;

pub fn render(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}
