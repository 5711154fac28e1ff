//! The pest grammar (`grammar/perf.pest`), compiled into a parser by
//! `pest_derive`. Only the syntax layer names its [`Rule`]s.

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/perf.pest"]
pub(crate) struct PerfParser;

/// pest's own share of parsing, for profiling (`benches/phases.rs`): the
/// grammar run item by item with no tree built. Returns the token count.
#[doc(hidden)]
pub fn pest_tokens(text: &str) -> usize {
    use pest::Parser as _;
    let mut pos = 0;
    let mut tokens = 0usize;
    while let Ok(mut pairs) = PerfParser::parse(Rule::step, &text[pos..]) {
        let Some(inner) = pairs.next().and_then(|step| step.into_inner().next()) else {
            break;
        };
        if inner.as_rule() == Rule::EOI {
            break;
        }
        tokens += inner.clone().into_inner().flatten().count();
        pos += inner.as_span().end();
    }
    tokens
}
