//! The HTML report: one self-contained page (issue 4; being written).

use crate::report::Report;

pub fn render(report: &Report) -> String {
    let _ = report;
    String::new()
}
