//! The words and symbols every human-facing format shares.

use crate::eval::rating::Direction;
use crate::model::Rag;
use crate::report::MilestoneState;
use crate::report::{ActionReport, MeasureReport, Summary};

/// `GREEN`, `AMBER`, `RED`, `NOT RATED`.
pub fn rating(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "GREEN",
        Rag::Amber => "AMBER",
        Rag::Red => "RED",
        Rag::None => "NOT RATED",
    }
}

/// The rating with what qualifies it: the reason when not rated, the
/// computed rating when an assessment overrides it.
pub fn rating_detail(m: &MeasureReport) -> String {
    let mut text = rating(m.rating).to_string();
    let assessed_unrated = m
        .reason
        .as_ref()
        .is_some_and(|r| r.code() == "assessed-unrated");
    if let Some(reason) = m.reason_text.as_ref().filter(|_| !assessed_unrated) {
        text.push_str(&format!(" ({reason})"));
    }
    if m.assessed.is_some() {
        if m.disagreement {
            text.push_str(&format!(
                " — assessed; figures say {}",
                rating(m.computed.rating)
            ));
        } else {
            text.push_str(" — assessed");
        }
    }
    text
}

/// An arrow and a word: `↑ improving`.
pub fn direction(direction: Direction) -> &'static str {
    match direction {
        Direction::Improving => "↑ improving",
        Direction::Worsening => "↓ worsening",
        Direction::Same => "→ same",
        Direction::New => "new",
        Direction::Up => "▲ up",
        Direction::Down => "▼ down",
    }
}

/// The actual alone: the value, `n/a`, or `–` when there is none.
pub fn actual_value(m: &MeasureReport) -> String {
    match (&m.actual_display, &m.not_available) {
        (Some(a), _) => a.clone(),
        (None, Some(_)) => "n/a".to_string(),
        (None, None) => "–".to_string(),
    }
}

/// The actual with its markers: provisional, the data period when it is
/// not the period reported, not available.
pub fn actual(m: &MeasureReport) -> String {
    let mut text = actual_value(m);
    if m.provisional {
        text.push_str(" (provisional)");
    }
    if m.period != m.reported && (m.actual_display.is_some() || m.not_available.is_some()) {
        text.push_str(&format!(" [{}]", m.period));
    }
    text
}

/// The target, with the year's beside a period's own: `25% (year 90%)`.
pub fn target(m: &MeasureReport) -> String {
    let target = m.target_display.clone().unwrap_or_else(|| "–".to_string());
    match &m.annual_target_display {
        Some(year) => format!("{target} (year {year})"),
        None => target,
    }
}

/// "3 green, 1 amber, 2 red, 1 not rated"
pub fn counts(s: &Summary) -> String {
    format!(
        "{} green, {} amber, {} red, {} not rated",
        s.green, s.amber, s.red, s.none
    )
}

/// The thresholds in words: `green ≥ 95%, amber ≥ 85.5%`.
pub fn thresholds(m: &MeasureReport) -> String {
    m.thresholds_display.clone().unwrap_or_else(|| "–".into())
}

/// Actual less target, as published: `-12pp (-12.6%)`.
pub fn variance(m: &MeasureReport) -> String {
    match &m.variance {
        Some(v) => match &v.relative_display {
            Some(r) => format!("{} ({r})", v.absolute_display),
            None => v.absolute_display.clone(),
        },
        None => "–".into(),
    }
}

/// An action's rating with its reason, or the milestones' rating when an
/// assessment overrides it.
pub fn action_rating(a: &ActionReport) -> String {
    let mut text = rating(a.rating).to_string();
    if let Some(reason) = &a.reason_text {
        text.push_str(&format!(" ({reason})"));
    }
    if a.assessed.is_some() {
        if a.disagreement {
            text.push_str(&format!(
                " — assessed; milestones say {}",
                rating(a.computed.rating)
            ));
        } else {
            text.push_str(" — assessed");
        }
    }
    text
}

/// "2 of 3 done, 1 overdue, 1 with a concern"
pub fn milestones(a: &ActionReport) -> String {
    let overdue = a
        .milestones
        .iter()
        .filter(|m| m.state == MilestoneState::Overdue)
        .count();
    let concerns = a
        .milestones
        .iter()
        .filter(|m| m.state == MilestoneState::Concern && m.due)
        .count();
    let mut text = format!("{} of {} due done", a.milestones_done, a.milestones_due);
    if overdue > 0 {
        text.push_str(&format!(", {overdue} overdue"));
    }
    match concerns {
        0 => {}
        1 => text.push_str(", 1 with a concern"),
        n => text.push_str(&format!(", {n} with concerns")),
    }
    text
}

/// Notes and benchmarks of measures and actions, one line each.
pub fn commentary(measures: &[&MeasureReport], actions: &[&ActionReport]) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    for m in measures {
        if let Some(why) = m.assessed.as_ref().and_then(|a| a.why.as_ref()) {
            lines.push((
                m.id.clone(),
                format!(
                    "assessed {} ({}): {why}",
                    m.rating.as_str(),
                    m.assessed.as_ref().map_or(m.period, |a| a.period)
                ),
            ));
        }
        for b in &m.benchmarks {
            lines.push((
                m.id.clone(),
                format!("benchmark {} ({}): {}", b.name, b.period, b.display),
            ));
        }
        for n in &m.notes {
            lines.push((m.id.clone(), format!("({}): {}", n.period, n.text)));
        }
    }
    for a in actions {
        if let Some(assessed) = &a.assessed {
            if let Some(why) = &assessed.why {
                lines.push((
                    a.id.clone(),
                    format!(
                        "assessed {} ({}): {why}",
                        assessed.rating.as_str(),
                        assessed.period
                    ),
                ));
            }
        }
        for n in &a.notes {
            lines.push((a.id.clone(), format!("({}): {}", n.period, n.text)));
        }
    }
    lines
}

/// One line of the "Needs attention" section, in words every format lays
/// out its own way (the list itself is [`crate::report::exceptions`]).
pub struct ExceptionRow<'a> {
    pub rating: Rag,
    pub newly_red: bool,
    pub id: &'a str,
    pub title: &'a str,
    /// `Owner: …`, `Lead: …`, joined with ` · `; empty if neither.
    pub owner: String,
    pub actual: String,
    pub target: String,
    pub variance: String,
    /// The directions of a measure; `None` for a key action.
    pub directions: Option<(Direction, Direction)>,
    /// Notes, assessments and concerns; empty when there is none (shown
    /// as [`NO_COMMENTARY`]).
    pub commentary: Vec<String>,
    pub measure: Option<&'a MeasureReport>,
    pub action: Option<&'a ActionReport>,
}

/// What is said of a red or amber entry with no commentary.
pub const NO_COMMENTARY: &str = "No commentary given";

/// The heading of the section.
pub const NEEDS_ATTENTION: &str = "Needs attention";

fn owner_words(owner: &Option<String>, lead: &Option<String>) -> String {
    let mut parts = Vec::new();
    parts.extend(owner.as_ref().map(|o| format!("Owner: {o}")));
    parts.extend(lead.as_ref().map(|l| format!("Lead: {l}")));
    parts.join(" · ")
}

/// Every red, then every amber measure and key action, ready to lay out.
pub fn exception_rows(report: &crate::report::Report) -> Vec<ExceptionRow<'_>> {
    use crate::report::exceptions::Kind;
    let mut rows = Vec::new();
    for e in &report.exceptions.items {
        let row = match e.kind {
            Kind::Measure => {
                let Some(m) = report.measures.get(e.index) else {
                    continue;
                };
                let mut commentary: Vec<String> = m
                    .notes
                    .iter()
                    .map(|n| match n.period == report.period {
                        true => n.text.clone(),
                        false => format!("{}: {}", n.period, n.text),
                    })
                    .collect();
                if let Some(a) = &m.assessed {
                    if let Some(why) = &a.why {
                        commentary.push(format!(
                            "Assessed {} ({}): {why}",
                            rating(a.rating),
                            a.period
                        ));
                    }
                }
                ExceptionRow {
                    rating: e.rating,
                    newly_red: e.newly_red,
                    id: &m.id,
                    title: &m.title,
                    owner: owner_words(&m.owner, &m.lead),
                    actual: actual(m),
                    target: target(m),
                    variance: variance(m),
                    directions: Some((m.direction.short, m.direction.long)),
                    commentary,
                    measure: Some(m),
                    action: None,
                }
            }
            Kind::Action => {
                let Some(a) = report.actions.get(e.index) else {
                    continue;
                };
                let mut commentary: Vec<String> = a.notes.iter().map(|n| n.text.clone()).collect();
                if let Some(s) = &a.assessed {
                    if let Some(why) = &s.why {
                        commentary.push(format!(
                            "Assessed {} ({}): {why}",
                            rating(s.rating),
                            s.period
                        ));
                    }
                }
                for m in a.milestones.iter().filter(|m| m.due) {
                    if let (true, Some(concern)) = (m.done, &m.concern) {
                        commentary.push(format!("Concern, {} ({}): {concern}", m.title, m.period));
                    }
                }
                ExceptionRow {
                    rating: e.rating,
                    newly_red: e.newly_red,
                    id: &a.id,
                    title: &a.title,
                    owner: owner_words(&a.owner, &a.lead),
                    actual: milestones(a),
                    target: "–".into(),
                    variance: "–".into(),
                    directions: None,
                    commentary,
                    measure: None,
                    action: Some(a),
                }
            }
        };
        rows.push(row);
    }
    rows
}

/// A measure due this period with no figure: its id, title, owner, and
/// what is recorded (`not available: Termly data`, or `no figure for
/// 2017/18 Q1`).
pub fn missing_rows(report: &crate::report::Report) -> Vec<(&MeasureReport, String)> {
    report
        .exceptions
        .missing
        .iter()
        .filter_map(|x| {
            let m = report.measures.get(x.index)?;
            let what = match &x.not_available {
                Some(why) if !why.is_empty() => format!("{}: not available: {why}", x.period),
                Some(_) => format!("{}: not available", x.period),
                None => format!("{}: no figure recorded", x.period),
            };
            Some((m, what))
        })
        .collect()
}

/// "15 red (2 newly red), 0 amber; 4 measures due with no figure"
pub fn exceptions_summary(report: &crate::report::Report) -> String {
    let x = &report.exceptions;
    let newly = x.items.iter().filter(|e| e.newly_red).count();
    let mut text = format!("{} red", x.red());
    if newly > 0 {
        text.push_str(&format!(" ({newly} newly red)"));
    }
    text.push_str(&format!(", {} amber", x.amber()));
    match x.missing.len() {
        0 => {}
        1 => text.push_str("; 1 measure due with no figure"),
        n => text.push_str(&format!("; {n} measures due with no figure")),
    }
    text
}
