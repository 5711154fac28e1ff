//! The "Needs attention" section of the HTML report: every red, then every
//! amber measure and key action with its figures and commentary, then the
//! measures with no figure (the list is [`crate::report::exceptions`]).

use maud::{html, Markup};

use super::{badge, direction_word, figure, minus, NL};
use crate::eval::rating::Direction;
use crate::render::words;
use crate::report::Report;

pub fn section(report: &Report) -> Markup {
    let rows = words::exception_rows(report);
    let missing = words::missing_rows(report);
    html! {
        section #exceptions.exceptions aria-labelledby="exceptions-heading" {
            (NL)
            h2 #exceptions-heading { (words::NEEDS_ATTENTION) } (NL)
            p.lead { (words::exceptions_summary(report)) "." } (NL)
            @if !rows.is_empty() {
                div.table-wrap {
                    table.attention {
                        caption { "Red and amber measures and key actions, " (report.period) } (NL)
                        colgroup { col.c-measure; col.c-rating; col.c-value; col.c-value; col.c-variance; col.c-dir; col.c-comment; } (NL)
                        thead {
                            tr {
                                th scope="col" { "Measure or key action" }
                                th scope="col" { "Rating" }
                                th.num scope="col" { "Actual" }
                                th.num scope="col" { "Target" }
                                th.num scope="col" { "Variance" }
                                th scope="col" { "Direction" }
                                th scope="col" { "Commentary" }
                            }
                        } (NL)
                        tbody {
                            (NL)
                            @for row in &rows {
                                tr class=(format!("exception {}", super::rag_class(row.rating))) {
                                    th scope="row" {
                                        a.ref href=(format!("#{}-{}", if row.measure.is_some() { "m" } else { "a" }, row.id)) { (row.id) }
                                        " " span.name { (row.title) }
                                        @if !row.owner.is_empty() { span.owner { (row.owner) } }
                                    }
                                    td {
                                        (badge(row.rating))
                                        @if row.newly_red { " " span.tag.newly { "Newly red" } }
                                    }
                                    @match row.measure {
                                        Some(m) => {
                                            td.num data-label="Actual" {
                                                (figure(&minus(&words::actual_value(m))))
                                                @if m.provisional { " " span.tag { "Provisional" } }
                                                @if m.period != m.reported { " " span.tag { (m.period) " data" } }
                                            }
                                            td.num data-label="Target" {
                                                (figure(&minus(m.target_display.as_deref().unwrap_or("–"))))
                                                @if let Some(year) = &m.annual_target_display {
                                                    span.sub.year { "Year: " (minus(year)) }
                                                }
                                            }
                                            td.num data-label="Variance" {
                                                @match &m.variance {
                                                    Some(v) => {
                                                        (figure(&minus(&v.absolute_display)))
                                                        @if let Some(r) = &v.relative_display { span.sub { (minus(r)) } }
                                                    }
                                                    None => span.figure { "–" },
                                                }
                                            }
                                            // Nothing where a direction says nothing (`new`).
                                            td data-label="Direction" {
                                                @if m.direction.short != Direction::New {
                                                    span.dir-when { "Short term" }
                                                    (direction_word(m.direction.short))
                                                }
                                                @if m.direction.long != Direction::New {
                                                    span.dir-when { "Long term" }
                                                    (direction_word(m.direction.long))
                                                }
                                            }
                                        }
                                        None => {
                                            td.milestones-done colspan="4" data-label="Milestones" { (row.actual) }
                                        }
                                    }
                                    td.comment {
                                        @if row.commentary.is_empty() {
                                            p.none { (words::NO_COMMENTARY) }
                                        }
                                        @for line in &row.commentary { p { (line) } }
                                    }
                                } (NL)
                            }
                        }
                    }
                } (NL)
            }
            @if !missing.is_empty() {
                h3 { "Due this period with no figure" } (NL)
                ul.missing {
                    @for (m, what) in &missing {
                        li { a.ref href=(format!("#m-{}", m.id)) { (m.id) } " " (m.title) " — " (what) } (NL)
                    }
                }
            }
        }
    }
}
