//! GitHub-flavoured Markdown, for a pull request or a committee paper.

use super::sections::sections;
use super::words;
use crate::report::Report;

/// Escapes text for a Markdown table cell: `|` and inline markup become
/// literal, line breaks become `<br>`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            // `&` is literal unless it starts an entity such as `&lt;`.
            '&' if starts_entity(&text[i + 1..]) => out.push_str("&amp;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("<br>"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

fn starts_entity(rest: &str) -> bool {
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

fn badge(rating: crate::model::Rag) -> String {
    let symbol = match rating {
        crate::model::Rag::Green => "🟢",
        crate::model::Rag::Amber => "🟠",
        crate::model::Rag::Red => "🔴",
        crate::model::Rag::None => "⚪",
    };
    format!("{symbol} {}", words::rating(rating))
}

fn masthead(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n\n",
        escape(report.title.as_deref().unwrap_or("Performance report"))
    ));
    if let Some(org) = &report.organisation {
        out.push_str(&format!("**{}** — ", escape(org)));
    }
    out.push_str(&format!("{} ({})\n", report.period, report.months));
    out
}

/// Only the "Needs attention" section, for an exceptions paper.
pub fn render_exceptions(report: &Report) -> String {
    let mut out = masthead(report);
    out.push_str(&exceptions(report));
    out
}

/// The "Needs attention" section: a table of every red, then every amber
/// entry, then a list of the measures with no figure.
fn exceptions(report: &Report) -> String {
    let mut out = format!(
        "\n## {}\n\n{}\n",
        words::NEEDS_ATTENTION,
        words::exceptions_summary(report)
    );
    let rows = words::exception_rows(report);
    if !rows.is_empty() {
        out.push_str("\n| Rating | ID | Measure or key action | Owner | Actual | Target | Variance | Short term | Long term | Commentary |\n");
        out.push_str("|---|---|---|---|---:|---:|---:|---|---|---|\n");
        for row in rows {
            let mut rating = badge(row.rating);
            if row.newly_red {
                rating.push_str(" (newly red)");
            }
            let (short, long) = match row.directions {
                Some((s, l)) => (words::direction(s), words::direction(l)),
                None => ("–", "–"),
            };
            let commentary = match row.commentary.is_empty() {
                true => format!("*{}*", words::NO_COMMENTARY),
                false => escape(&row.commentary.join("\n")),
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                escape(&rating),
                escape(row.id),
                escape(row.title),
                escape(&row.owner),
                escape(&row.actual),
                escape(&row.target),
                escape(&row.variance),
                short,
                long,
                commentary,
            ));
        }
    }
    let missing = words::missing_rows(report);
    if !missing.is_empty() {
        out.push_str("\n### Due this period with no figure\n\n");
        for (m, what) in missing {
            out.push_str(&format!(
                "- **{}** {} — {}\n",
                escape(&m.id),
                escape(&m.title),
                escape(&what)
            ));
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut out = masthead(report);
    out.push_str(&format!("\n**Summary:** {}\n", report.summary.sentence()));
    out.push_str(&exceptions(report));
    for (path, measures, actions) in sections(report) {
        let heading = super::sections::heading(&path, !measures.is_empty(), !actions.is_empty());
        out.push_str(&format!("\n## {}\n\n", escape(&heading)));
        if let Some(group) = report.groups.iter().find(|g| g.path == path) {
            out.push_str(&format!("{}\n\n", words::counts(&group.summary)));
        }
        if !measures.is_empty() {
            out.push_str("| ID | Measure | Actual | Target | Variance | Thresholds | Rating | Short term | Long term |\n");
            out.push_str("|---|---|---:|---:|---:|---|---|---|---|\n");
            for m in &measures {
                let mut rating = badge(m.rating);
                let detail = words::rating_detail(m);
                if let Some(rest) = detail.strip_prefix(words::rating(m.rating)) {
                    rating.push_str(rest);
                }
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                    escape(&m.id),
                    escape(&m.title),
                    escape(&words::actual(m)),
                    escape(&words::target(m)),
                    escape(&words::variance(m)),
                    escape(&words::thresholds(m)),
                    escape(&rating),
                    words::direction(m.direction.short),
                    words::direction(m.direction.long),
                ));
            }
        }
        if !actions.is_empty() {
            out.push_str("\n| ID | Key action | Milestones | Rating |\n|---|---|---|---|\n");
            for a in &actions {
                let detail = words::action_rating(a);
                let mut rating = badge(a.rating);
                if let Some(rest) = detail.strip_prefix(words::rating(a.rating)) {
                    rating.push_str(rest);
                }
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    escape(&a.id),
                    escape(&a.title),
                    escape(&words::milestones(a)),
                    escape(&rating)
                ));
            }
        }
        let commentary = words::commentary(&measures, &actions);
        if !commentary.is_empty() {
            out.push_str("\n**Notes**\n\n");
            for (id, line) in commentary {
                out.push_str(&format!("- **{}** {}\n", escape(&id), escape(&line)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_table_breakers_and_markup() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("*bold* <script>"), "\\*bold\\* \\<script\\>");
        assert_eq!(escape("line\nbreak"), "line<br>break");
        assert_eq!(escape("O&S Board"), "O&S Board");
        assert_eq!(escape("&lt;b&gt; &#60;"), "&amp;lt;b&amp;gt; &amp;\\#60;");
    }
}
