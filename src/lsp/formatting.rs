//! Whole-document formatting: exactly what `perfcard fmt` writes.

use lsp_types::TextEdit;

use super::convert::LineIndex;

use crate::FileId;

/// The edits that format `text`: none when it is formatted already, `None`
/// when it has syntax errors (`fmt` refuses those too: text would be lost).
pub fn format_document(text: &str) -> Option<Vec<TextEdit>> {
    let parsed = crate::parse(FileId(0), text);
    if parsed.diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let formatted = crate::format(text, &parsed);
    if formatted == text {
        return Some(Vec::new());
    }
    let index = LineIndex::new(text);
    Some(vec![TextEdit::new(index.range(0, text.len()), formatted)])
}
