//! Rating: the rules of LANGUAGE.md's "Rating" section ([`rating`]) and
//! the interpreter that applies them to a checked [`Model`](crate::model::Model)
//! for a report period ([`interpreter`]).

pub mod interpreter;
pub mod rating;
