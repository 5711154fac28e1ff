//! The words and symbols every human-facing format shares.

use crate::model::Rag;
use crate::rating::Direction;
use crate::report::{MeasureReport, Summary};

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
    if let Some(reason) = &m.reason_text {
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
