//! One row per measure, for spreadsheets (written with the `csv` crate).

use crate::report::Report;

const HEADER: [&str; 29] = [
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
    "variance_display",
    "green_threshold",
    "amber_threshold",
    "green_threshold_high",
    "amber_threshold_high",
    "thresholds_display",
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
    let measures: Vec<(usize, Option<String>)> =
        (0..report.measures.len()).map(|i| (i, None)).collect();
    let actions: Vec<(usize, Option<String>)> =
        (0..report.actions.len()).map(|i| (i, None)).collect();
    write(report, &measures, &actions, false)
}

/// Only the "Needs attention" rows (`report --exceptions`): the red, then
/// the amber measures and actions, then the measures with no figure, each
/// row led by an `attention` column (`red`, `newly red`, `amber`,
/// `no figure`).
pub fn render_exceptions(report: &Report) -> Result<String, csv::Error> {
    use crate::report::exceptions::Kind;
    let mut rows: Vec<(Kind, usize, String)> = Vec::new();
    for e in &report.exceptions.items {
        let word = match (e.rating, e.newly_red) {
            (_, true) => "newly red",
            (r, false) => r.as_str(),
        };
        rows.push((e.kind, e.index, word.to_string()));
    }
    for m in &report.exceptions.missing {
        rows.push((Kind::Measure, m.index, "no figure".to_string()));
    }
    // Measures and actions are written in two runs; the order within each
    // is the section's.
    let measures: Vec<(usize, Option<String>)> = rows
        .iter()
        .filter(|(k, _, _)| *k == Kind::Measure)
        .map(|(_, i, w)| (*i, Some(w.clone())))
        .collect();
    let actions: Vec<(usize, Option<String>)> = rows
        .iter()
        .filter(|(k, _, _)| *k == Kind::Action)
        .map(|(_, i, w)| (*i, Some(w.clone())))
        .collect();
    write(report, &measures, &actions, true)
}

fn write(
    report: &Report,
    measures: &[(usize, Option<String>)],
    actions: &[(usize, Option<String>)],
    attention: bool,
) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let lead = |word: &Option<String>| -> Vec<String> {
        match attention {
            true => vec![word.clone().unwrap_or_default()],
            false => Vec::new(),
        }
    };
    let mut header = lead(&Some("attention".to_string()));
    header.extend(HEADER.iter().map(|h| h.to_string()));
    writer.write_record(&header)?;
    for (index, word) in measures {
        let Some(m) = report.measures.get(*index) else {
            continue;
        };
        let mut record = lead(word);
        let thresholds = m.thresholds.as_ref();
        let notes: Vec<&str> = m.notes.iter().map(|n| n.text.as_str()).collect();
        record.extend([
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
            m.variance
                .as_ref()
                .map(|v| match &v.relative_display {
                    Some(r) => format!("{} ({r})", v.absolute_display),
                    None => v.absolute_display.clone(),
                })
                .map(|v| cell(&v))
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
            m.thresholds_display.clone().unwrap_or_default(),
            m.provisional.to_string(),
            m.lagged.clone().unwrap_or_default(),
            cell(m.owner.as_deref().unwrap_or("")),
            cell(&notes.join(" / ")),
        ]);
        writer.write_record(record.iter().map(|c| cell(c)))?;
    }
    for (index, word) in actions {
        let Some(a) = report.actions.get(*index) else {
            continue;
        };
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
        let mut record = lead(word);
        record.extend(row);
        writer.write_record(record.iter().map(|c| cell(c)))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(format!("\u{FEFF}{}", String::from_utf8_lossy(&bytes)))
}
