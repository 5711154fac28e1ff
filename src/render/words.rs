//! The words and symbols every human-facing format shares.

use crate::eval::rating::Direction;
use crate::model::Rag;
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

/// The actual with its markers: provisional, lagged, not available.
pub fn actual(m: &MeasureReport) -> String {
    let mut text = match (&m.actual_display, &m.not_available) {
        (Some(a), _) => a.clone(),
        (None, Some(_)) => "n/a".to_string(),
        (None, None) => "–".to_string(),
    };
    if m.provisional {
        text.push_str(" (provisional)");
    }
    if m.lagged.is_some() {
        text.push_str(&format!(" [{}]", m.period));
    }
    text
}

pub fn target(m: &MeasureReport) -> String {
    m.target_display.clone().unwrap_or_else(|| "–".to_string())
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

/// Actual less target: `-12 (-12.6%)`.
pub fn variance(m: &MeasureReport) -> String {
    match &m.variance {
        Some(v) => match &v.relative {
            Some(r) => format!("{} ({r}%)", v.absolute),
            None => v.absolute.clone(),
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
    let overdue = a.milestones.iter().filter(|m| m.state == "overdue").count();
    let concerns = a
        .milestones
        .iter()
        .filter(|m| m.state == "concern" && m.due)
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
