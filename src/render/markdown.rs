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

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# {}\n\n",
        escape(report.title.as_deref().unwrap_or("Performance report"))
    ));
    if let Some(org) = &report.organisation {
        out.push_str(&format!("**{}** — ", escape(org)));
    }
    out.push_str(&format!("{} ({})\n\n", report.period, report.months));
    out.push_str(&format!("**Summary:** {}\n", report.summary.sentence()));
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
