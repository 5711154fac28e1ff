//! The JSON report: the contract of LANGUAGE.md § The report.

use std::io::{self, Write};

use crate::model::Model;
use crate::period::Period;
use crate::report::{Report, Streamed};

pub fn render(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes the same JSON as [`render`] of the built report, building each
/// measure's entry only as it is written (for large scorecards).
pub fn write(model: &Model, period: Period, out: &mut dyn Write) -> io::Result<()> {
    let mut writer = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut writer, &Streamed::new(model, period))?;
    writer.write_all(b"\n")?;
    writer.flush()
}
