//! Completion, from the text before the cursor (so it works while the file
//! is half-written): the keywords valid in the enclosing block, the values
//! of `unit`/`polarity`/`cadence`/`year-start`, periods, composite
//! components and include paths.

use std::path::Path;

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::convert::LineIndex;
use super::keywords::{self, Context};
use super::locate;
use crate::ast::{Document, MeasureField};
use crate::model::Model;
use crate::period::Period;

/// What the editor knows about the file being completed.
pub struct Input<'a> {
    pub text: &'a str,
    pub offset: usize,
    /// The file's path (for include paths).
    pub path: &'a Path,
    /// The document parsed from `text`.
    pub document: &'a Document,
    /// The checked report the file belongs to (for ids and the period).
    pub model: Option<&'a Model>,
    pub period: Option<Period>,
}

/// The blocks open at `offset`, outermost first, each named by the first
/// word of the line that opened it (`measure`, `actual`, `target`, …).
fn open_blocks(text: &str, offset: usize) -> Vec<&str> {
    let mut stack = Vec::new();
    let mut in_string = false;
    let mut line_start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    let end = offset.min(text.len());
    while i < end {
        match bytes[i] {
            b'\n' => {
                line_start = i + 1;
                in_string = false;
            }
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => {
                // Skip the comment to the end of the line.
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'{' if !in_string => {
                let head = text[line_start..i].split_whitespace().next().unwrap_or("");
                stack.push(head);
            }
            b'}' if !in_string => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

fn context_of(blocks: &[&str]) -> Option<Context> {
    Some(match blocks.last() {
        None => Context::TopLevel,
        Some(&"measure") => Context::Measure,
        Some(&"action") => Context::Action,
        Some(&"group") => Context::Group,
        Some(&"report") => Context::Report,
        Some(&"defaults") => Context::Defaults,
        _ => return None,
    })
}

fn item(label: String, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    }
}

fn keyword_items(words: Vec<String>) -> Vec<CompletionItem> {
    words
        .into_iter()
        .map(|k| {
            let detail = keywords::doc(&k).map(|(meaning, _)| meaning.to_string());
            item(k, CompletionItemKind::KEYWORD, detail)
        })
        .collect()
}

fn value_items(words: Vec<String>) -> Vec<CompletionItem> {
    words
        .into_iter()
        .map(|w| item(w, CompletionItemKind::ENUM_MEMBER, None))
        .collect()
}

/// The completions at the cursor.
pub fn complete(input: &Input) -> Vec<CompletionItem> {
    let text = input.text;
    let offset = input.offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if let Some(items) = include_paths(input, prefix, line_start) {
        return items;
    }
    if locate::in_string_or_comment(text, offset) {
        return Vec::new();
    }
    let blocks = open_blocks(text, offset);
    let mut tokens: Vec<&str> = prefix.split_whitespace().collect();
    // The word being typed is not a token before the cursor.
    if !prefix.ends_with(char::is_whitespace) {
        tokens.pop();
    }
    // After `{` on the same line, only what follows counts.
    if let Some(at) = tokens.iter().rposition(|t| t.ends_with('{')) {
        tokens.drain(..=at);
    }
    let block = blocks.last().copied();
    if matches!(block, Some("actual")) && tokens.is_empty() {
        return next_period(input).into_iter().collect();
    }
    match tokens.first().copied() {
        None => context_of(&blocks)
            .map(keywords::keywords)
            .map(keyword_items)
            .unwrap_or_default(),
        Some(first @ ("unit" | "polarity" | "cadence" | "year-start")) if tokens.len() == 1 => {
            value_items(keywords::values_after(first))
        }
        Some("composite") => match tokens.len() {
            1 => value_items(keywords::values_after("composite")),
            2 => keyword_items(vec!["of".into()]),
            _ => component_items(input, &tokens[3..]),
        },
        Some("actual") if tokens.len() == 1 => next_period(input).into_iter().collect(),
        Some("target" | "baseline" | "note" | "status" | "milestone" | "period")
            if tokens.len() == 1 =>
        {
            report_periods(input)
        }
        Some("status") if tokens.len() >= 2 && !prefix.contains('"') => {
            value_items(keywords::words("rag"))
        }
        Some("milestone") if prefix.matches('"').count() >= 2 => {
            keyword_items(keywords::milestone_flags())
        }
        _ => Vec::new(),
    }
}

/// The ids a composite may list: every measure and action but the one being
/// written and those already listed.
fn component_items(input: &Input, listed: &[&str]) -> Vec<CompletionItem> {
    let Some(model) = input.model else {
        return Vec::new();
    };
    let own = locate::measure_at(input.document, input.offset).map(|m| m.id.name.as_str());
    let listed: Vec<&str> = listed
        .iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .collect();
    let measures = model
        .measures
        .iter()
        .map(|m| (&m.id, &m.title, CompletionItemKind::VARIABLE));
    let actions = model
        .actions
        .iter()
        .map(|a| (&a.id, &a.title, CompletionItemKind::EVENT));
    measures
        .chain(actions)
        .filter(|(id, _, _)| Some(id.as_str()) != own && !listed.contains(&id.as_str()))
        .map(|(id, title, kind)| item(id.clone(), kind, Some(title.clone())))
        .collect()
}

/// The period after the last actual of the measure being written (or the
/// report's period when it has none).
fn next_period(input: &Input) -> Option<CompletionItem> {
    let measure = locate::measure_at(input.document, input.offset);
    let last = measure.and_then(|m| {
        m.fields
            .iter()
            .filter_map(|f| match f {
                MeasureField::Actual(a) => Some(a.rows.iter().map(|r| r.period.period)),
                _ => None,
            })
            .flatten()
            .max_by_key(|p| (p.quarter_index(), p.is_year()))
    });
    let next = match last {
        Some(p) if p.is_year() => Some(Period::year(p.start + 1)),
        Some(p) => Period::from_quarter_index(p.quarter_index() + 1),
        None => input.period,
    }?;
    let mut completion = item(
        next.to_string(),
        CompletionItemKind::VALUE,
        Some(match last {
            Some(p) => format!("the period after the last actual ({p})"),
            None => "the report's period".into(),
        }),
    );
    completion.preselect = Some(true);
    Some(completion)
}

/// The report's period and its fiscal year.
fn report_periods(input: &Input) -> Vec<CompletionItem> {
    let Some(period) = input.period else {
        return Vec::new();
    };
    vec![
        item(
            period.fiscal_year().to_string(),
            CompletionItemKind::VALUE,
            Some("the report's year".into()),
        ),
        item(
            period.to_string(),
            CompletionItemKind::VALUE,
            Some("the report's period".into()),
        ),
    ]
}

/// Inside `include "…`: the `.perf` files below the file's folder.
fn include_paths(input: &Input, prefix: &str, line_start: usize) -> Option<Vec<CompletionItem>> {
    let rest = prefix.trim_start().strip_prefix("include")?;
    let typed = rest.trim_start().strip_prefix('"')?;
    if typed.contains('"') {
        return None;
    }
    let dir = input.path.parent()?;
    let mut files = Vec::new();
    super::workspace::collect_perf_files(dir, &mut files, 0);
    let own = super::workspace::key(input.path);
    let index = LineIndex::new(input.text);
    let start = line_start + (prefix.len() - typed.len());
    let range = index.range(start, input.offset);
    Some(
        files
            .iter()
            .filter(|f| super::workspace::key(f) != own)
            .filter_map(|f| f.strip_prefix(dir).ok())
            .take(200)
            .map(|relative| {
                let written = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let mut completion = item(written.clone(), CompletionItemKind::FILE, None);
                completion.text_edit =
                    Some(CompletionTextEdit::Edit(TextEdit::new(range, written)));
                completion
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labels offered at the end of `before` (with `after` following).
    fn labels(before: &str, after: &str) -> Vec<String> {
        let text = format!("{before}{after}");
        let (_, checked) = crate::check_files(&[("card.perf", &text)]).unwrap();
        let parsed = crate::parse(crate::FileId(0), &text);
        complete(&Input {
            text: &text,
            offset: before.len(),
            path: Path::new("card.perf"),
            document: &parsed.document,
            model: Some(&checked.model),
            period: checked.model.header.period,
        })
        .into_iter()
        .map(|c| c.label)
        .collect()
    }

    const CARD: &str = "report { period 2018/19 Q2 }\nmeasure A \"a\" { unit count }\naction K \"k\" { owner \"x\" }\n";

    #[test]
    fn composite_lists_offer_the_other_ids() {
        let before = format!(
            "{CARD}measure B \"b\" {{ unit count }}\nmeasure C \"c\" {{\n  composite worst of B, "
        );
        let got = labels(&before, "\n}\n");
        assert_eq!(got, ["A", "K"], "B is listed, C is the measure itself");
    }

    #[test]
    fn values_of_a_setting() {
        let got = labels(&format!("{CARD}measure C \"c\" {{\n  unit "), "\n}\n");
        assert!(
            got.contains(&"percent".into()) && got.contains(&"money".into()),
            "{got:?}"
        );
        let got = labels(&format!("{CARD}measure C \"c\" {{\n  polarity "), "\n}\n");
        assert_eq!(got, ["higher", "lower", "target", "none", "tbc"]);
    }

    #[test]
    fn the_next_period_after_the_last_actual() {
        let before = format!(
            "{CARD}measure C \"c\" {{\n  actual {{\n    2018/19 Q3 5\n    2018/19 Q4 6\n    "
        );
        assert_eq!(labels(&before, "\n  }\n}\n"), ["2019/20 Q1"]);
        // With no actual yet: the report's period.
        let before = format!("{CARD}measure C \"c\" {{\n  actual ");
        assert_eq!(labels(&before, "\n}\n"), ["2018/19 Q2"]);
    }

    #[test]
    fn include_paths_are_the_perf_files_below() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["card.perf", "a.perf", "sub/b.perf", "notes.txt"] {
            std::fs::write(dir.path().join(name), "").unwrap();
        }
        let text = "include \"su";
        let path = dir.path().join("card.perf");
        let parsed = crate::parse(crate::FileId(0), text);
        let items = complete(&Input {
            text,
            offset: text.len(),
            path: &path,
            document: &parsed.document,
            model: None,
            period: None,
        });
        let got: Vec<&str> = items.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(got, ["a.perf", "sub/b.perf"]);
        // The edit replaces what was typed after the quote.
        let Some(CompletionTextEdit::Edit(edit)) = &items[1].text_edit else {
            panic!("a text edit");
        };
        assert_eq!(
            (edit.range.start.character, edit.range.end.character),
            (9, 11)
        );
    }

    #[test]
    fn keywords_depend_on_the_block() {
        let in_action = labels(&format!("{CARD}action L \"l\" {{\n  "), "\n}\n");
        assert!(in_action.contains(&"milestone".into()) && !in_action.contains(&"unit".into()));
        let top = labels(CARD, "");
        assert!(top.contains(&"measure".into()) && !top.contains(&"milestone".into()));
        let flags = labels(
            &format!("{CARD}action L \"l\" {{\n  milestone 2018/19 Q1 \"m\" "),
            "\n}\n",
        );
        assert_eq!(flags, ["done", "concern"]);
        // Nothing inside a string or a comment.
        assert!(labels(&format!("{CARD}// unit "), "").is_empty());
    }

    #[test]
    fn blocks_are_named_by_their_opening_line() {
        let text = "group \"A\" {\n  measure M \"{x}\" {\n    actual {\n      ";
        assert_eq!(
            open_blocks(text, text.len()),
            ["group", "measure", "actual"]
        );
        let closed = "measure M \"t\" {\n} // {\n";
        assert!(open_blocks(closed, closed.len()).is_empty());
    }
}
