//! The rating rules of LANGUAGE.md § Rating, in one place.
//!
//! For `polarity higher` with target t:
//!   green_threshold = t − T          (relative: t − |t|·T/100)
//!   red_threshold   = green − A      (relative: green − |green|·A/100)
//!   actual ≥ green → green; actual ≥ red → amber; else red.
//! `lower` mirrors it; `target` applies the bands on both sides of t.
//! Boundaries are inclusive on the better side. Nothing here divides: bands
//! are exact decimals and values are compared as exact rationals.

use std::cmp::Ordering;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::exact::{self, Ratio};
use crate::model::{BandDef, BandKind};
use crate::syntax::ast::{Polarity, Rag};

/// Where the bands fall around a target.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Bounds {
    /// Bigger is better: green from `green`, amber from `red` (below it red).
    Higher { green: Decimal, red: Decimal },
    /// Smaller is better: green up to `green`, amber up to `red`.
    Lower { green: Decimal, red: Decimal },
    /// Closer is better: green within `green_low..=green_high`, amber within
    /// `red_low..=red_high`.
    Target {
        green_low: Decimal,
        green_high: Decimal,
        red_low: Decimal,
        red_high: Decimal,
    },
}

impl Bounds {
    /// The green threshold nearest the danger side (for messages).
    pub fn green_edge(&self) -> Decimal {
        match *self {
            Bounds::Higher { green, .. } | Bounds::Lower { green, .. } => green,
            Bounds::Target { green_low, .. } => green_low,
        }
    }
}

/// Band arithmetic needed more digits than a decimal holds.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub struct Inexact;

/// The width of a band measured from `from` (relative bands scale with it).
pub fn width(band: &BandDef, from: Decimal) -> Result<Decimal, Inexact> {
    match band.kind {
        BandKind::Relative => exact::percent_of(from.abs(), band.amount).ok_or(Inexact),
        BandKind::Points | BandKind::Absolute => Ok(band.amount),
    }
}

/// The thresholds for a target, or `Inexact`.
pub fn thresholds(
    polarity: Polarity,
    target: Decimal,
    tolerance: &BandDef,
    amber: &BandDef,
) -> Result<Bounds, Inexact> {
    let down = |from: Decimal, band: &BandDef| exact::sub(from, width(band, from)?).ok_or(Inexact);
    let up = |from: Decimal, band: &BandDef| exact::add(from, width(band, from)?).ok_or(Inexact);
    Ok(match polarity {
        Polarity::Lower => {
            let green = up(target, tolerance)?;
            Bounds::Lower {
                green,
                red: up(green, amber)?,
            }
        }
        Polarity::Target => {
            let green_low = down(target, tolerance)?;
            let green_high = up(target, tolerance)?;
            Bounds::Target {
                green_low,
                green_high,
                red_low: down(green_low, amber)?,
                red_high: up(green_high, amber)?,
            }
        }
        // `none` and `tbc` are never rated; callers do not ask.
        Polarity::Higher | Polarity::None | Polarity::Tbc => {
            let green = down(target, tolerance)?;
            Bounds::Higher {
                green,
                red: down(green, amber)?,
            }
        }
    })
}

/// The rating of an actual against the bounds.
pub fn classify(actual: Ratio, bounds: &Bounds) -> Rag {
    let r = Ratio::from_decimal;
    match *bounds {
        Bounds::Higher { green, red } => {
            if actual >= r(green) {
                Rag::Green
            } else if actual >= r(red) {
                Rag::Amber
            } else {
                Rag::Red
            }
        }
        Bounds::Lower { green, red } => {
            if actual <= r(green) {
                Rag::Green
            } else if actual <= r(red) {
                Rag::Amber
            } else {
                Rag::Red
            }
        }
        Bounds::Target {
            green_low,
            green_high,
            red_low,
            red_high,
        } => {
            if actual >= r(green_low) && actual <= r(green_high) {
                Rag::Green
            } else if actual >= r(red_low) && actual <= r(red_high) {
                Rag::Amber
            } else {
                Rag::Red
            }
        }
    }
}

/// Whether the tolerance takes the green threshold across zero from a
/// target on the other side (so that every value of the target's sign
/// would be green).
pub fn crosses_zero(target: Decimal, bounds: &Bounds) -> bool {
    match *bounds {
        Bounds::Higher { green, .. } => target > Decimal::ZERO && green < Decimal::ZERO,
        Bounds::Lower { green, .. } => target < Decimal::ZERO && green > Decimal::ZERO,
        Bounds::Target {
            green_low,
            green_high,
            ..
        } => {
            (target > Decimal::ZERO && green_low < Decimal::ZERO)
                || (target < Decimal::ZERO && green_high > Decimal::ZERO)
        }
    }
}

/// A direction of travel.
#[derive(Clone, Copy, Debug, Eq, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Improving,
    Worsening,
    Same,
    /// Nothing to compare: no earlier value, or none this period.
    New,
    /// For measures with no good direction (`polarity none`, `tbc`).
    Up,
    Down,
}

impl Direction {
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Worsening => "worsening",
            Direction::Same => "same",
            Direction::New => "new",
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// The direction from `earlier` to `now`, given the polarity (and, for
/// `polarity target`, the target that closeness is measured to).
pub fn direction(
    polarity: Option<Polarity>,
    now: Ratio,
    earlier: Ratio,
    target: Option<Decimal>,
) -> Direction {
    let moved = now.cmp(&earlier);
    match (polarity, moved) {
        (_, Ordering::Equal) => Direction::Same,
        (Some(Polarity::Higher), Ordering::Greater) | (Some(Polarity::Lower), Ordering::Less) => {
            Direction::Improving
        }
        (Some(Polarity::Higher), Ordering::Less) | (Some(Polarity::Lower), Ordering::Greater) => {
            Direction::Worsening
        }
        (Some(Polarity::Target), _) if target.is_some() => {
            let t = Ratio::from_decimal(target.unwrap_or_default());
            match (now.distance(t), earlier.distance(t)) {
                (Some(a), Some(b)) => match a.cmp(&b) {
                    Ordering::Less => Direction::Improving,
                    Ordering::Greater => Direction::Worsening,
                    Ordering::Equal => Direction::Same,
                },
                _ => up_or_down(moved),
            }
        }
        _ => up_or_down(moved),
    }
}

fn up_or_down(moved: Ordering) -> Direction {
    if moved == Ordering::Greater {
        Direction::Up
    } else {
        Direction::Down
    }
}

/// The composite rule `worst`: the worst rated component (unrated ignored).
pub fn worst(ratings: &[Rag]) -> Rag {
    ratings
        .iter()
        .copied()
        .filter(|r| *r != Rag::None)
        .min()
        .unwrap_or(Rag::None)
}

/// The composite rule `majority`: the most common rated component rating,
/// ties going to the worse.
pub fn majority(ratings: &[Rag]) -> Rag {
    let count = |rag: Rag| ratings.iter().filter(|r| **r == rag).count();
    // Worst first, so that a tie keeps the worse rating.
    [Rag::Red, Rag::Amber, Rag::Green]
        .into_iter()
        .filter(|rag| count(*rag) > 0)
        .fold(None::<(Rag, usize)>, |best, rag| match best {
            Some((_, n)) if n >= count(rag) => best,
            _ => Some((rag, count(rag))),
        })
        .map_or(Rag::None, |(rag, _)| rag)
}
