//! perfcard: performance indicators as text.
//!
//! The pipeline, one stage per module: [`parser::parse`] reads a file into an
//! [`ast::Document`]; [`loader`] follows includes; [`checker::check`] turns
//! the documents into a validated [`model::Model`] and every problem into a
//! [`diagnostic::Diagnostic`].

pub mod ast;
pub mod checker;
pub mod cli;
pub mod diagnostic;
pub mod exact;
pub mod explain;
pub mod interpreter;
pub mod lexical;
pub mod loader;
pub mod model;
pub mod parser;
pub mod period;
pub mod rating;
pub mod render;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax_error;
