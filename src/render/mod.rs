//! Output formats. Each takes a finished value and returns text.

pub mod csv;
pub mod diagnostics;
pub mod diff;
pub mod excerpt;
#[cfg(feature = "html")]
pub mod html;
pub mod json;
pub mod markdown;
pub mod sections;
#[cfg(feature = "cli")]
pub mod text;
pub mod words;
