//! From text to a typed syntax tree: the lexical scan, the pest grammar,
//! the parser that builds the [`ast`], syntax errors in words, and the
//! formatter that prints an [`ast::Document`] back in the standard layout.

pub mod ast;
pub(crate) mod error;
pub mod format;
pub(crate) mod grammar;
pub mod parser;
pub(crate) mod scan;
pub mod source;
pub mod span;
