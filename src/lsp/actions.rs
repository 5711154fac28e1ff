//! Quick fixes for the diagnostics whose fix is known: the help of a
//! diagnostic that says "did you mean `X`?" or "write `X`" (a keyword's
//! spelling, a year, a quarter, an id) becomes an edit that puts `X` in
//! place of the word the diagnostic points at.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, WorkspaceEdit};

use super::convert::LineIndex;
use super::locate;

/// The replacement a help text proposes, when it proposes one word.
pub fn suggestion(help: &str) -> Option<&str> {
    let markers = ["did you mean `", "write `"];
    let start = markers
        .iter()
        .find_map(|m| help.find(m).map(|at| at + m.len()))?;
    let rest = &help[start..];
    let end = rest.find('`')?;
    let word = &rest[..end];
    let one_word =
        !word.is_empty() && !word.contains('…') && !word.contains("...") && !word.contains(' ')
            || is_period(word);
    one_word.then_some(word)
}

/// `2017/18 Q1` is one period, though it has a space.
fn is_period(word: &str) -> bool {
    word.parse::<crate::period::Period>().is_ok()
}

/// The quick fixes for the diagnostics the client sent with the request.
pub fn code_actions(
    uri: &url::Url,
    text: &str,
    diagnostics: &[lsp_types::Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for d in diagnostics {
        if d.source.as_deref() != Some("perfcard") {
            continue;
        }
        let help = d
            .data
            .as_ref()
            .and_then(|data| data.get("help"))
            .and_then(|h| h.as_str())
            .map(str::to_string)
            .or_else(|| d.message.split_once("\nhelp: ").map(|(_, h)| h.to_string()));
        let Some(help) = help else { continue };
        let Some(replacement) = suggestion(&help) else {
            continue;
        };
        let start = index.offset(d.range.start);
        let end = index.offset(d.range.end);
        let written = text.get(start..end).unwrap_or("");
        // The word the diagnostic points at (a syntax error points at where
        // the parser stopped, which is the start of the word).
        let (from, to) = if !written.is_empty() && !written.contains(char::is_whitespace) {
            (start, end)
        } else {
            match locate::word_at(text, start) {
                Some((at, word)) if !is_period(replacement) => (at, at + word.len()),
                _ if !written.is_empty() => (start, end),
                _ => continue,
            }
        };
        if text.get(from..to) == Some(replacement) {
            continue;
        }
        let edit = TextEdit::new(index.range(from, to), replacement.to_string());
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Change to `{replacement}`"),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![d.clone()]),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_suggestions_only() {
        assert_eq!(suggestion("did you mean `polarity`?"), Some("polarity"));
        assert_eq!(
            suggestion("keywords are lower case: write `unit`"),
            Some("unit")
        );
        assert_eq!(suggestion("write `Q2`"), Some("Q2"));
        assert_eq!(suggestion("write `target 2018/19 …`"), None);
        assert_eq!(suggestion("add a closing quote"), None);
    }
}
