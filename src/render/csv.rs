//! One row per measure, for spreadsheets (written with the `csv` crate).

use crate::report::Report;

const HEADER: [&str; 27] = [
    "type",
    "id",
    "title",
    "group",
    "period",
    "actual",
    "actual_display",
    "target",
    "target_display",
    "unit",
    "polarity",
    "rating",
    "reason",
    "computed_rating",
    "assessed_rating",
    "short_term",
    "long_term",
    "variance",
    "variance_percent",
    "green_threshold",
    "amber_threshold",
    "green_threshold_high",
    "amber_threshold_high",
    "provisional",
    "lagged",
    "owner",
    "notes",
];

/// A cell that a spreadsheet would run as a formula (it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, unless it
/// is a plain number (`-0.4`, `-12%`, `-3pp`). Every cell goes through here
/// as it is written, composed ones (`actual_display`, made of a number and
/// the unit's own text) included.
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !plain_number(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// `-` or `+`, digits with at most one `.` among them, then `%`, `pp` or
/// nothing.
fn plain_number(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let body = body
        .strip_suffix('%')
        .or_else(|| body.strip_suffix("pp"))
        .unwrap_or(body);
    let mut parts = body.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && parts.next().is_none_or(digits)
}

/// The CSV, starting with a byte-order mark so that Excel reads it as UTF-8.
pub fn render(report: &Report) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(HEADER)?;
    for m in &report.measures {
        let thresholds = m.thresholds.as_ref();
        let notes: Vec<&str> = m.notes.iter().map(|n| n.text.as_str()).collect();
        let record = [
            "measure".to_string(),
            cell(&m.id),
            cell(&m.title),
            cell(&m.group.join(" > ")),
            m.period.to_string(),
            m.actual.clone().unwrap_or_default(),
            m.actual_display.clone().unwrap_or_default(),
            m.target.clone().unwrap_or_default(),
            m.target_display.clone().unwrap_or_default(),
            cell(&m.unit),
            m.polarity.unwrap_or("").to_string(),
            m.rating.as_str().to_string(),
            m.reason
                .as_ref()
                .map(|r| r.code().to_string())
                .unwrap_or_default(),
            m.computed.rating.as_str().to_string(),
            m.assessed
                .as_ref()
                .map(|a| a.rating.as_str().to_string())
                .unwrap_or_default(),
            m.direction.short.as_str().to_string(),
            m.direction.long.as_str().to_string(),
            m.variance
                .as_ref()
                .map(|v| v.absolute.clone())
                .unwrap_or_default(),
            m.variance
                .as_ref()
                .and_then(|v| v.relative.clone())
                .unwrap_or_default(),
            thresholds
                .and_then(|t| t.green.clone().or(t.green_low.clone()))
                .unwrap_or_default(),
            thresholds
                .and_then(|t| t.amber.clone().or(t.amber_low.clone()))
                .unwrap_or_default(),
            thresholds
                .and_then(|t| t.green_high.clone())
                .unwrap_or_default(),
            thresholds
                .and_then(|t| t.amber_high.clone())
                .unwrap_or_default(),
            m.provisional.to_string(),
            m.lagged.clone().unwrap_or_default(),
            cell(m.owner.as_deref().unwrap_or("")),
            cell(&notes.join(" / ")),
        ];
        writer.write_record(record.iter().map(|c| cell(c)))?;
    }
    for a in &report.actions {
        let notes: Vec<&str> = a.notes.iter().map(|n| n.text.as_str()).collect();
        let mut row = vec![String::new(); HEADER.len()];
        let mut set = |column: &str, value: String| {
            if let Some(i) = HEADER.iter().position(|h| *h == column) {
                row[i] = value;
            }
        };
        set("type", "action".into());
        set("id", cell(&a.id));
        set("title", cell(&a.title));
        set("group", cell(&a.group.join(" > ")));
        set("period", report.period.to_string());
        set(
            "actual_display",
            format!(
                "{} of {} due milestones done",
                a.milestones_done, a.milestones_due
            ),
        );
        set("rating", a.rating.as_str().to_string());
        set(
            "reason",
            a.reason
                .as_ref()
                .map(|r| r.code().to_string())
                .unwrap_or_default(),
        );
        set("computed_rating", a.computed.rating.as_str().to_string());
        set(
            "assessed_rating",
            a.assessed
                .as_ref()
                .map(|s| s.rating.as_str().to_string())
                .unwrap_or_default(),
        );
        set("owner", cell(a.owner.as_deref().unwrap_or("")));
        set("notes", cell(&notes.join(" / ")));
        writer.write_record(row.iter().map(|c| cell(c)))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("\u{FEFF}{}", String::from_utf8_lossy(&bytes)))
}
