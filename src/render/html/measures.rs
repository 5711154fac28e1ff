//! The measures' table of a group section: one row per measure, which
//! becomes a card on a phone.

use crate::report::ThresholdKind;
use maud::{html, Markup};

use super::{badge, caption, chart, direction, figure, minus, plural, with_unit, Section, NL};
use crate::eval::interpreter::Reason;
use crate::eval::rating::Direction;
use crate::period::Period;
use crate::render::words;
use crate::report::{MeasureReport, Report, Summary, Thresholds};

/// How many earlier periods are shown as numbers.
const EARLIER: usize = 4;

/// A sparkline needs at least this many figures to show a trend.
const SPARK_FIGURES: usize = 4;

/// What the polarity means, in the words of a council report.
fn polarity_words(polarity: Option<&str>) -> Option<&'static str> {
    match polarity? {
        "higher" => Some("Bigger is better"),
        "lower" => Some("Smaller is better"),
        "target" => Some("Closer to target is better"),
        "none" => Some("Tracked for context"),
        "tbc" => Some("Which way is better: to be confirmed"),
        _ => None,
    }
}

pub fn table(report: &Report, section: &Section) -> Markup {
    let mut summary = Summary::default();
    section.measures.iter().for_each(|m| summary.add(m.rating));
    // A column of directions that all say `new` says nothing: left out.
    let directions = section
        .measures
        .iter()
        .any(|m| m.direction.short != Direction::New || m.direction.long != Direction::New);
    let columns = if directions { 8 } else { 7 };
    html! {
        div.table-wrap {
            table.measures {
                caption {
                    (caption("Measures", section)) ", " (report.period)
                    span.caption-counts { " — " (plural(section.measures.len(), "measure", "measures")) ": " (words::counts(&summary)) }
                } (NL)
                colgroup {
                    col.c-measure; col.c-rating; col.c-value; col.c-target; col.c-variance;
                    @if directions { col.c-dir; }
                    col.c-earlier; col.c-comment;
                } (NL)
                thead {
                    // On paper, the group's name at the top of every page.
                    tr.repeat { th colspan=(columns) scope="colgroup" { (section.heading) " — measures" } }
                    tr {
                        th scope="col" { "Measure" }
                        th scope="col" { "Rating" }
                        th.num scope="col" { "Actual" }
                        th.num scope="col" { "Target" }
                        th.num scope="col" { "Variance" }
                        @if directions { th scope="col" { "Direction" } }
                        th scope="col" { "Earlier" }
                        th scope="col" { "Commentary" }
                    }
                } (NL)
                tbody {
                    (NL)
                    @for m in &section.measures {
                        (row(report, m, directions)) (NL)
                    }
                }
            }
        }
    }
}

/// The earlier figures shown as numbers: the last four periods before the
/// data period, and the same period a year earlier when it is not one of
/// them; each `(period, shown)`.
fn earlier(m: &MeasureReport) -> Vec<(Period, String)> {
    let before: Vec<_> = m.history.iter().filter(|p| p.period < m.period).collect();
    let mut shown: Vec<(Period, String)> = before[before.len().saturating_sub(EARLIER)..]
        .iter()
        .map(|p| {
            let value = p
                .actual
                .as_deref()
                .map_or("–".to_string(), |a| minus(&with_unit(&m.unit, a)));
            (p.period, value)
        })
        .collect();
    let long = &m.comparisons.long;
    if let Some(period) = long.period {
        if !shown.iter().any(|(p, _)| *p == period) {
            let value = long.display.as_deref().map_or("–".to_string(), minus);
            shown.insert(0, (period, value));
        }
    }
    shown
}

/// The earlier figures as a list of numbers, and a sparkline where there
/// are enough figures to show a trend, its target line labelled.
fn history(m: &MeasureReport) -> Markup {
    let figures = m.history.iter().filter(|p| p.actual.is_some()).count();
    let earlier = earlier(m);
    let target = m.history.last().and_then(|p| p.target.as_deref());
    html! {
        @if !m.components.is_empty() {
            span.sub { "Composite: no figures of its own" }
        } @else if earlier.iter().all(|(_, v)| v == "–") {
            span.sub { "No earlier figures" }
        } @else {
            dl.earlier {
                @for (period, value) in &earlier {
                    div { dt { (period) } dd { (value) } }
                }
            }
        }
        @if figures >= SPARK_FIGURES {
            @if let Some(spark) = chart::spark(&m.history) {
                (spark.svg(&trend_title(m)))
                @if let Some(t) = target {
                    span.sub.spark-key { span aria-hidden="true" { "- - " } "target " (minus(&with_unit(&m.unit, t))) }
                }
            }
        }
    }
}

/// A direction cell: nothing when it says nothing (`new`).
fn directions(m: &MeasureReport) -> Markup {
    html! {
        @if m.direction.short != Direction::New {
            span.dir-when { "Short term" }
            (direction(m.direction.short, &m.comparisons.short))
        }
        @if m.direction.long != Direction::New {
            span.dir-when { "Long term" }
            (direction(m.direction.long, &m.comparisons.long))
        }
    }
}

/// `Not available: …` unless the reason already says it.
fn not_available_words(why: &str) -> Option<&'static str> {
    let said = why
        .get(..13)
        .is_some_and(|start| start.eq_ignore_ascii_case("not available"));
    (!said).then_some("Not available: ")
}

fn row(report: &Report, m: &MeasureReport, with_directions: bool) -> Markup {
    let actual = minus(&words::actual_value(m));
    let mut meta: Vec<String> = Vec::new();
    meta.extend(polarity_words(m.polarity).map(str::to_string));
    if m.cadence == "annual" {
        meta.push("Annual".to_string());
    }
    let mut people: Vec<String> = Vec::new();
    people.extend(m.owner.as_ref().map(|o| format!("Owner: {o}")));
    people.extend(m.lead.as_ref().map(|l| format!("Lead: {l}")));
    let not_available = m
        .not_available
        .as_deref()
        .filter(|why| !why.is_empty() && !m.notes.iter().any(|n| n.text == *why));
    let other_period =
        m.period != m.reported && (m.actual_display.is_some() || m.not_available.is_some());
    html! {
        tr.measure id=(format!("m-{}", m.id)) {
            (NL)
            th scope="row" {
                span.ref { (m.id) } " " span.name { (m.title) }
                @if !meta.is_empty() { span.sub { (meta.join(" · ")) } }
                @if !people.is_empty() { span.owner { (people.join(" · ")) } }
            }
            (NL)
            td data-label="Rating" {
                (badge(m.rating))
                @if let Some(reason) = short_reason(m) { span.sub { (reason) } }
                @if m.disagreement {
                    span.sub { "Assessed; the figures say " (words::rating(m.computed.rating)) }
                } @else if m.assessed.is_some() {
                    span.sub { "Assessed" }
                }
            }
            (NL)
            td.num data-label="Actual" {
                (figure(&actual))
                @if m.provisional { " " span.tag { "Provisional" } }
                @if other_period { " " span.tag { (m.period) " data" } }
                @if let Some(lagged) = &m.lagged { span.sub { (lagged) } }
            }
            (NL)
            td.num data-label="Target" {
                (figure(&minus(m.target_display.as_deref().unwrap_or("–"))))
                @if let Some(year) = &m.annual_target_display {
                    span.sub.year { "Year: " (minus(year)) }
                }
                @if let (Some(t), Some(shown)) = (&m.thresholds, &m.thresholds_shown) {
                    @for line in thresholds_text(m, t, shown) { span.sub { (line) } }
                }
            }
            (NL)
            td.num data-label="Variance" {
                @match &m.variance {
                    Some(v) => {
                        (figure(&minus(&v.absolute_display)))
                        @if let Some(relative) = &v.relative_display {
                            span.sub { (minus(relative)) }
                        }
                    }
                    None => span.figure { "–" },
                }
            }
            (NL)
            @if with_directions {
                td.direction data-label="Direction" { (directions(m)) }
                (NL)
            }
            td.history data-label="Earlier" { (history(m)) }
            (NL)
            td.comment data-label="Commentary" {
                @for note in &m.notes {
                    p {
                        @if note.period != report.period { strong { (note.period) ": " } }
                        (note.text)
                    }
                }
                @if let Some(why) = not_available {
                    p { @if let Some(lead) = not_available_words(why) { strong { (lead) } } (why) }
                }
                @if let Some(assessed) = &m.assessed {
                    p {
                        strong { "Assessed " (words::rating(assessed.rating)) " (" (assessed.period) ")" }
                        @if let Some(why) = &assessed.why { ": " (why) }
                    }
                }
                @if !m.components.is_empty() {
                    p {
                        strong { "Rated from: " }
                        @for (i, c) in m.components.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(format!("#m-{}", c.id)) { (c.id) } " " (words::rating(c.rating))
                        }
                    }
                }
                @for b in &m.benchmarks {
                    p.sub { "Benchmark, " (b.name) " (" (b.period) "): " (minus(&b.display)) }
                }
                @for b in &m.baselines {
                    p.sub { "Baseline (" (b.period) "): " (minus(&b.display)) }
                }
            }
        }
    }
}

/// The thresholds, when they say more than the target does: one line for
/// green and one for amber.
fn thresholds_text(m: &MeasureReport, exact: &Thresholds, shown: &Thresholds) -> Vec<String> {
    let show = |v: &Option<String>| v.as_deref().map(minus);
    let mut lines = Vec::new();
    match exact.kind {
        ThresholdKind::AtLeast | ThresholdKind::AtMost => {
            let sign = if exact.kind == ThresholdKind::AtLeast {
                "≥"
            } else {
                "≤"
            };
            let Some(green) = show(&shown.green) else {
                return lines;
            };
            let amber = show(&shown.amber).filter(|_| exact.amber != exact.green);
            if amber.is_some() || exact.green != m.target {
                lines.push(format!("green {sign} {green}"));
            }
            lines.extend(amber.map(|a| format!("amber {sign} {a}")));
        }
        _ => {
            if let (Some(low), Some(high)) = (show(&shown.green_low), show(&shown.green_high)) {
                lines.push(format!("green {low} to {high}"));
            }
            if exact.amber_low != exact.green_low || exact.amber_high != exact.green_high {
                if let (Some(low), Some(high)) = (show(&shown.amber_low), show(&shown.amber_high)) {
                    lines.push(format!("amber {low} to {high}"));
                }
            }
        }
    }
    lines
}

/// "Trend for TC05 over 8 quarters (2015/16 Q2 to 2017/18 Q1): 89.42% in
/// 2016/17 Q1 to 99% in 2017/18 Q1, target 96%"
fn trend_title(m: &MeasureReport) -> String {
    let h = &m.history;
    let kind = match h.first() {
        Some(p) if p.period.is_whole_year() => "years",
        Some(p) if p.period.is_month() => "months",
        _ => "quarters",
    };
    let span = match (h.first(), h.last()) {
        (Some(first), Some(last)) if h.len() > 1 => {
            format!(
                "over {} {kind} ({} to {})",
                h.len(),
                first.period,
                last.period
            )
        }
        (Some(only), _) => format!("for {}", only.period),
        _ => String::new(),
    };
    let values: Vec<(Period, &str, bool)> = h
        .iter()
        .filter_map(|p| p.actual.as_deref().map(|a| (p.period, a, p.provisional)))
        .collect();
    let shown = |(period, value, provisional): (Period, &str, bool)| {
        let value = minus(&with_unit(&m.unit, value));
        match provisional {
            true => format!("{value} (provisional) in {period}"),
            false => format!("{value} in {period}"),
        }
    };
    let figures = match values.as_slice() {
        [] => "no figures".to_string(),
        [one] => format!("one figure, {}", shown(*one)),
        [first, .., last] => {
            let mut text = format!("{} to {}", shown(*first), shown(*last));
            if values.len() < h.len() {
                text.push_str(&format!(
                    " ({} of {} {kind} have figures)",
                    values.len(),
                    h.len()
                ));
            }
            text
        }
    };
    let target = match h.last().and_then(|p| p.target.as_deref()) {
        Some(t) => format!("target {}", minus(&with_unit(&m.unit, t))),
        None => "no target".to_string(),
    };
    format!("Trend for {} {span}: {figures}, {target}", m.id)
}

/// The reason a measure is not rated, short: the long `n/a` reason is in
/// the commentary.
fn short_reason(m: &MeasureReport) -> Option<String> {
    match &m.reason {
        Some(Reason::NotAvailable(_)) => Some("not available".to_string()),
        Some(reason) => Some(reason.describe()),
        None => None,
    }
}
