//! The HTML report: one self-contained page to read on screen, print on A4
//! or attach to an email.
//!
//! Inline CSS and inline SVG only: no script, font, image or link is
//! fetched. Every piece of text from a `.perf` file goes through maud, which
//! escapes it; no HTML is built from strings around such text. Charts are
//! drawn with exact decimals (see [`chart`]). The same report always gives
//! the same bytes.

pub mod chart;
mod exceptions;
mod measures;

use crate::report::MilestoneState;
use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::words;
use crate::eval::rating::Direction;
use crate::model::Rag;
use crate::report::{ActionReport, Comparison, MeasureReport, Report, Summary};

/// The style sheet, inlined in every report.
pub const STYLE: &str = include_str!("style.css");

/// Line breaks between blocks keep the file readable and its diffs small;
/// they are only ever placed where HTML ignores white space.
const NL: &str = "\n";

const RAGS: [Rag; 4] = [Rag::Green, Rag::Amber, Rag::Red, Rag::None];

pub fn render(report: &Report) -> String {
    let mut out = page(report, false).into_string();
    out.push('\n');
    out
}

/// Only the "Needs attention" section, on a page of its own.
pub fn render_exceptions(report: &Report) -> String {
    let mut out = page(report, true).into_string();
    out.push('\n');
    out
}

/// A group's section: its measures and actions under one heading.
struct Section<'a> {
    path: Vec<String>,
    anchor: String,
    heading: String,
    measures: Vec<&'a MeasureReport>,
    actions: Vec<&'a ActionReport>,
}

impl Section<'_> {
    /// Counts of this section's own measures and actions.
    fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        self.measures.iter().for_each(|m| summary.add(m.rating));
        self.actions.iter().for_each(|a| summary.add(a.rating));
        summary
    }
}

/// The sections in the order of the groups' declarations (a parent before
/// its sub-groups), then whatever is in no group.
fn sections(report: &Report) -> Vec<Section<'_>> {
    let mut sections = super::sections::sections(report);
    sections.sort_by_key(|(path, _, _)| {
        report
            .groups
            .iter()
            .position(|g| &g.path == path)
            .unwrap_or(usize::MAX)
    });
    sections
        .into_iter()
        .enumerate()
        .map(|(i, (path, measures, actions))| Section {
            heading: super::sections::heading(&path, !measures.is_empty(), !actions.is_empty()),
            anchor: format!("section-{}", i + 1),
            path,
            measures,
            actions,
        })
        .collect()
}

fn counts(s: &Summary) -> [usize; 4] {
    [s.green, s.amber, s.red, s.none]
}

fn title(report: &Report) -> &str {
    report.title.as_deref().unwrap_or("Performance report")
}

/// "34 measures and 2 key actions"
fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

fn page(report: &Report, exceptions_only: bool) -> Markup {
    let sections = sections(report);
    let head_title = match &report.organisation {
        Some(org) => format!("{} — {org} — {}", title(report), report.period),
        None => format!("{} — {}", title(report), report.period),
    };
    html! {
        (DOCTYPE) (NL)
        html lang="en-GB" {
            (NL)
            head {
                (NL)
                meta charset="utf-8"; (NL)
                // Nothing may be fetched or run: a browser enforces it.
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"; (NL)
                meta name="viewport" content="width=device-width, initial-scale=1"; (NL)
                meta name="generator" content="perfcard"; (NL)
                title { (head_title) } (NL)
                style { (NL) (PreEscaped(STYLE)) } (NL)
            }
            (NL)
            body {
                (NL)
                @if exceptions_only {
                    a.skip href="#exceptions" { "Skip to what needs attention" } (NL)
                } @else {
                    a.skip href="#contents" { "Skip to the contents" } (NL)
                }
                header.masthead {
                    (NL)
                    @if let Some(org) = &report.organisation {
                        p.org { (org) } (NL)
                    }
                    h1 { (title(report)) } (NL)
                    p.period {
                        "Performance for " strong { (report.period) } " (" (report.months) ")"
                    } (NL)
                }
                (NL)
                main {
                    (NL)
                    @if exceptions_only {
                        (exceptions::section(report)) (NL)
                    } @else {
                        div.overview {
                            (NL)
                            (summary(report)) (NL)
                            (contents(report, &sections)) (NL)
                        } (NL)
                        (exceptions::section(report)) (NL)
                        (key(report)) (NL)
                        @for (i, section) in sections.iter().enumerate() {
                            // The groups above a nested group, when they
                            // have no section of their own before it.
                            @for depth in 1..section.path.len() {
                                @if !sections[..i].iter().any(|s| s.path.starts_with(&section.path[..depth])) {
                                    (heading(depth, &section.path[depth - 1], None)) (NL)
                                }
                            }
                            (group_section(report, section)) (NL)
                        }
                    }
                }
                (NL)
                footer {
                    p {
                        (title(report))
                        @if let Some(org) = &report.organisation { ", " (org) }
                        ", " (report.period) " (" (report.months) "). "
                        "Ratings are computed by perfcard from the figures in the scorecard; "
                        "an assessed rating is shown where the scorecard records one."
                    }
                }
                (NL)
            }
            (NL)
        }
    }
}

/// `GREEN`, `AMBER`, `RED` or `NOT RATED` on the rating's colour.
fn badge(rag: Rag) -> Markup {
    html! { span class=(format!("rag {}", rag_class(rag))) { (words::rating(rag)) } }
}

fn rag_class(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "green",
        Rag::Amber => "amber",
        Rag::Red => "red",
        Rag::None => "none",
    }
}

/// What each rating means, for the summary table.
fn meaning(rag: Rag) -> &'static str {
    match rag {
        Rag::Green => "on target or within tolerance",
        Rag::Amber => "near target",
        Rag::Red => "off target",
        Rag::None => "not rated; each says why",
    }
}

fn summary(report: &Report) -> Markup {
    let s = &report.summary;
    let both = !report.measures.is_empty() && !report.actions.is_empty();
    let measures = counts(&report.counts.measures);
    let actions = counts(&report.counts.actions);
    let all = counts(s);
    let chart_title = format!(
        "Bar chart of the ratings of {} and {}: {}",
        plural(report.measures.len(), "measure", "measures"),
        plural(report.actions.len(), "key action", "key actions"),
        words::counts(s)
    );
    html! {
        section.summary aria-labelledby="summary-heading" {
            (NL)
            h2 #summary-heading { "Summary" } (NL)
            p.lead {
                (plural(report.measures.len(), "measure", "measures")) " and "
                (plural(report.actions.len(), "key action", "key actions")) ": "
                (s.sentence()) "."
            } (NL)
            div.summary-body {
                (NL)
                table.counts {
                    caption { "Ratings for " (report.period) } (NL)
                    thead {
                        tr {
                            th scope="col" { "Rating" }
                            @if !report.measures.is_empty() || report.actions.is_empty() {
                                th.num scope="col" { "Measures" }
                            }
                            @if !report.actions.is_empty() { th.num scope="col" { "Key actions" } }
                            @if both { th.num scope="col" { "All" } }
                        }
                    } (NL)
                    tbody {
                        @for (i, rag) in RAGS.iter().enumerate() {
                            tr {
                                th scope="row" { (badge(*rag)) span.vh { " (" (meaning(*rag)) ")" } }
                                @if !report.measures.is_empty() || report.actions.is_empty() {
                                    td.num { (measures[i]) }
                                }
                                @if !report.actions.is_empty() { td.num { (actions[i]) } }
                                @if both { td.num { (all[i]) } }
                            } (NL)
                        }
                    }
                    tfoot {
                        tr {
                            th scope="row" { "Total" }
                            @if !report.measures.is_empty() || report.actions.is_empty() {
                                td.num { (report.counts.measures.total()) }
                            }
                            @if !report.actions.is_empty() { td.num { (report.counts.actions.total()) } }
                            @if both { td.num { (s.total()) } }
                        }
                    } (NL)
                } (NL)
                figure.chart {
                    (chart::rating_bars(all, ["Green", "Amber", "Red", "Not rated"], &chart_title))
                    figcaption {
                        @if report.actions.is_empty() { "Measures by rating" }
                        @else if report.measures.is_empty() { "Key actions by rating" }
                        @else { "Measures and key actions by rating" }
                    }
                } (NL)
            } (NL)
        }
    }
}

/// The contents: every group with its counts and a link to its section.
fn contents(report: &Report, sections: &[Section]) -> Markup {
    let anchor = |path: &[String]| {
        sections
            .iter()
            .find(|s| s.path == path)
            .map(|s| format!("#{}", s.anchor))
    };
    // Groups hold their sub-groups' counts; what is in no group comes last.
    let mut rows: Vec<(usize, String, Option<String>, Summary, String)> = report
        .groups
        .iter()
        .map(|g| {
            let name = g.path.last().cloned().unwrap_or_default();
            (
                g.path.len().saturating_sub(1),
                name,
                anchor(&g.path),
                g.summary.clone(),
                g.path.join(" › "),
            )
        })
        .collect();
    for s in sections.iter().filter(|s| s.path.is_empty()) {
        rows.push((
            0,
            s.heading.clone(),
            Some(format!("#{}", s.anchor)),
            s.summary(),
            s.heading.clone(),
        ));
    }
    html! {
        nav #contents.contents aria-labelledby="contents-heading" {
            (NL)
            h2 #contents-heading { "Contents" } (NL)
            table.groups {
                caption { "Ratings by group. A group's counts include its sub-groups." } (NL)
                thead {
                    tr {
                        th scope="col" { "Group" }
                        th.num scope="col" { "Green" }
                        th.num scope="col" { "Amber" }
                        th.num scope="col" { "Red" }
                        th.num scope="col" { "Not rated" }
                        th.num scope="col" { "Total" }
                        th scope="col" { "Share of ratings" }
                    }
                } (NL)
                tbody {
                    (NL)
                    @for (depth, name, link, summary, full) in &rows {
                        tr {
                            th scope="row" class=(format!("depth-{}", depth.min(&4))) {
                                @match link {
                                    Some(href) => a href=(href) { (name) },
                                    None => (name),
                                }
                            }
                            td.num { (summary.green) }
                            td.num { (summary.amber) }
                            td.num { (summary.red) }
                            td.num { (summary.none) }
                            td.num { (summary.total()) }
                            td { (chart::stacked_bar(counts(summary), &format!("{full}: {}", words::counts(summary)))) }
                        } (NL)
                    }
                }
            } (NL)
        }
    }
}

/// How to read the report: badges, arrows, the trend chart, the markers.
fn key(report: &Report) -> Markup {
    html! {
        aside.key aria-labelledby="key-heading" {
            (NL)
            h2 #key-heading { "How to read this report" } (NL)
            dl {
                (NL)
                div { dt { "Rating" } dd { "Each measure is rated " (badge(Rag::Green)) " on target, " (badge(Rag::Amber)) " near target or " (badge(Rag::Red)) " off target against the thresholds set in the scorecard; " (badge(Rag::None)) " says why it is not rated." } } (NL)
                div { dt { "Direction of travel" } dd {
                    span.dir.improving { span aria-hidden="true" { "↑" } " improving" } ", "
                    span.dir.worsening { span aria-hidden="true" { "↓" } " worsening" } " or "
                    span.dir.same { span aria-hidden="true" { "→" } " same" }
                    ": short term against the previous period, long term against the same period a year earlier. "
                    span.dir { span aria-hidden="true" { "▲" } " up" } " and "
                    span.dir { span aria-hidden="true" { "▼" } " down" }
                    " where neither way is better; " em { "new" } " where there is nothing to compare with."
                } } (NL)
                div { dt { "Variance" } dd { "Actual minus target in the measure's unit (pp: percentage points), and as a percentage of the target." } } (NL)
                div { dt { "Earlier" } dd {
                    "The figures of the last four periods and of the same period a year earlier. "
                    "Where there are at least four figures, a trend chart of the last eight periods (quarters, months or years), oldest on the left: "
                    (swatch("g")) " green band, " (swatch("a")) " amber band, "
                    svg.swatch aria-hidden="true" width="20" height="10" viewBox="0 0 20 10" { path.t d="M0 5H20" {} }
                    " target, "
                    svg.swatch aria-hidden="true" width="20" height="10" viewBox="0 0 20 10" { path.l d="M0 8L10 2L20 5" {} }
                    " actual, "
                    svg.swatch aria-hidden="true" width="20" height="10" viewBox="0 0 20 10" { path.gap d="M0 5H20" {} }
                    " across periods with no figure, "
                    svg.swatch aria-hidden="true" width="10" height="10" viewBox="0 0 10 10" { circle cx="5" cy="5" r="2.5" {} }
                    " latest figure, "
                    svg.swatch aria-hidden="true" width="10" height="10" viewBox="0 0 10 10" { circle.pv cx="5" cy="5" r="2.5" {} }
                    " provisional figure."
                } } (NL)
                div { dt { "Markers" } dd {
                    span.tag { "Provisional" } " figures may change. "
                    span.tag { (report.period.previous().unwrap_or(report.period)) " data" } " marks a figure for another period than the one reported: a measure reported behind, or an annual measure's last year."
                } } (NL)
            } (NL)
        }
    }
}

fn swatch(class: &str) -> Markup {
    html! {
        svg.swatch aria-hidden="true" width="20" height="10" viewBox="0 0 20 10" {
            path class=(class) d="M0 0H20V10H0Z" {}
        }
    }
}

/// A group's heading: `h2` for a group, `h3` for a group in it, `h4`
/// below that.
fn heading(depth: usize, text: &str, id: Option<&str>) -> Markup {
    html! {
        @match depth {
            0 | 1 => h2.group-heading id=[id] { (text) },
            2 => h3.group-heading id=[id] { (text) },
            _ => h4.group-heading id=[id] { (text) },
        }
    }
}

fn group_section(report: &Report, section: &Section) -> Markup {
    let heading_id = format!("{}-heading", section.anchor);
    let summary = section.summary();
    // A nested group's heading is its own name, under its group's.
    let name = section.path.last().unwrap_or(&section.heading);
    html! {
        section.group id=(section.anchor) aria-labelledby=(heading_id) {
            (NL)
            (heading(section.path.len(), name, Some(&heading_id))) (NL)
            p.group-counts {
                (words::counts(&summary))
                span.back { " · " a href="#contents" { "Back to the contents" } }
            } (NL)
            @if !section.measures.is_empty() {
                (measures::table(report, section)) (NL)
            }
            @if !section.actions.is_empty() {
                (action_table(report, section)) (NL)
            }
        }
    }
}

/// "Measures: Place › Housing"; what is in no group has its own heading.
fn caption(kind: &str, section: &Section) -> String {
    // A heading written with a full stop would read `Housing., 2017/18`.
    let heading = section.heading.trim_end_matches(['.', ' ']);
    if section.path.is_empty() {
        heading.to_string()
    } else {
        format!("{kind}: {heading}")
    }
}

/// A number in the measure's unit, from the report's unit label.
fn with_unit(unit: &str, number: &str) -> String {
    let grouped = crate::report::numbers::group_thousands(number);
    let number = grouped.as_str();
    match unit {
        "percent" | "percent-change" => format!("{number}%"),
        "count" | "number" => number.to_string(),
        "days" if number == "1" => "1 day".to_string(),
        "days" => format!("{number} days"),
        _ => match unit.strip_prefix("money ") {
            Some(label) => {
                let mut chars = label.chars();
                match chars.next() {
                    Some(symbol) if !symbol.is_alphanumeric() => {
                        let (sign, digits) =
                            number.strip_prefix('-').map_or(("", number), |d| ("-", d));
                        format!("{sign}{symbol}{digits}{}", chars.as_str())
                    }
                    _ => format!("{number} {label}"),
                }
            }
            None => format!("{number} {unit}"),
        },
    }
}

/// A display value with a true minus sign: `−£0.4m` for `-£0.4m`.
fn minus(text: &str) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => text.to_string(),
    }
}

/// A direction's arrow and word: `↑ improving`.
fn direction_word(d: Direction) -> Markup {
    let text = words::direction(d);
    let (arrow, word) = match text.split_once(' ') {
        Some((arrow, word)) => (Some(arrow), word),
        None => (None, text),
    };
    html! {
        span class=(format!("dir {}", d.as_str())) {
            @if let Some(arrow) = arrow { span aria-hidden="true" { (arrow) } " " }
            (word)
        }
    }
}

/// A direction with what it compared with: `↑ improving vs 45% (2017/18 Q1)`.
fn direction(d: Direction, compared: &Comparison) -> Markup {
    html! {
        (direction_word(d))
        @if let (Some(display), Some(period), false) =
            (&compared.display, &compared.period, d == Direction::New)
        {
            span.sub { "vs " (minus(display)) " (" (period) ")" }
        }
    }
}

/// A value in a table cell; a long one (a value with a long unit, such as
/// `157 per 100,000 population`) in smaller type so that it fits.
fn figure(text: &str) -> Markup {
    let long = text.chars().count() > 12;
    html! { span.figure.long[long] { (text) } }
}

fn action_table(report: &Report, section: &Section) -> Markup {
    let mut summary = Summary::default();
    section.actions.iter().for_each(|a| summary.add(a.rating));
    html! {
        div.table-wrap {
            table.actions {
                caption {
                    (caption("Key actions", section)) ", " (report.period)
                    span.caption-counts { " — " (plural(section.actions.len(), "key action", "key actions")) ": " (words::counts(&summary)) }
                } (NL)
                colgroup { col.c-measure; col.c-rating; col.c-milestones; col.c-comment; } (NL)
                thead {
                    tr {
                        th scope="col" { "Key action" }
                        th scope="col" { "Rating" }
                        th scope="col" { "Milestones" }
                        th scope="col" { "Commentary" }
                    }
                } (NL)
                tbody {
                    (NL)
                    @for a in &section.actions {
                        (action_row(report, a)) (NL)
                    }
                }
            }
        }
    }
}

/// A milestone's state in words, with a symbol that repeats it.
fn milestone_state(state: MilestoneState) -> (&'static str, &'static str) {
    match state {
        MilestoneState::Done => ("✓", "Done"),
        MilestoneState::Overdue => ("!", "Overdue"),
        MilestoneState::Concern => ("✓", "Done, with a concern"),
        MilestoneState::Pending => ("○", "Not yet due"),
    }
}

/// "1 of 2 due done, 1 overdue, 1 not yet due"
fn progress(a: &ActionReport) -> String {
    let count = |state: MilestoneState| a.milestones.iter().filter(|m| m.state == state).count();
    let mut parts = vec![format!(
        "{} of {} due done",
        a.milestones_done, a.milestones_due
    )];
    for (state, words) in [
        (MilestoneState::Concern, "with a concern"),
        (MilestoneState::Overdue, "overdue"),
        (MilestoneState::Pending, "not yet due"),
    ] {
        let n = count(state);
        if n > 0 {
            parts.push(format!("{n} {words}"));
        }
    }
    parts.join(", ")
}

fn action_row(report: &Report, a: &ActionReport) -> Markup {
    let mut meta: Vec<String> = Vec::new();
    meta.extend(a.owner.as_ref().map(|o| format!("Owner: {o}")));
    meta.extend(a.lead.as_ref().map(|l| format!("Lead: {l}")));
    let states: Vec<&str> = a.milestones.iter().map(|m| m.state.as_str()).collect();
    let progress = progress(a);
    html! {
        tr.action id=(format!("a-{}", a.id)) {
            (NL)
            th scope="row" {
                span.ref { (a.id) } " " span.name { (a.title) }
                @if !meta.is_empty() { span.sub { (meta.join(" · ")) } }
            }
            (NL)
            td {
                (badge(a.rating))
                @if let Some(reason) = &a.reason_text { span.sub { (reason) } }
                @if a.disagreement {
                    span.sub { "Assessed; the milestones say " (words::rating(a.computed.rating)) }
                } @else if a.assessed.is_some() {
                    span.sub { "Assessed" }
                }
            }
            (NL)
            td {
                @if !states.is_empty() {
                    (chart::milestone_bar(&states, &format!("Milestones of {}: {progress}", a.id)))
                }
                span.sub { (progress) }
                ul.milestones {
                    @for ms in &a.milestones {
                        @let (symbol, state) = milestone_state(ms.state);
                        li class=(format!("ms ms-{}", ms.state)) {
                            span.state {
                                span aria-hidden="true" { (symbol) } " " (state)
                            }
                            " " span.when { (ms.period) } " " (ms.title)
                            @if let Some(concern) = &ms.concern {
                                span.sub { "Concern: " (concern) }
                            }
                        }
                    }
                }
            }
            (NL)
            td.comment {
                @for note in &a.notes {
                    p {
                        @if note.period != report.period { strong { (note.period) ": " } }
                        (note.text)
                    }
                }
                @if let Some(assessed) = &a.assessed {
                    p {
                        strong { "Assessed " (words::rating(assessed.rating)) " (" (assessed.period) ")" }
                        @if let Some(why) = &assessed.why { ": " (why) }
                    }
                }
            }
        }
    }
}
