//! Composite measures: their components resolved once every id is known,
//! then a search for circles among them.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;

use super::Checker;

/// Where the search for composite cycles is with a measure.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Visit {
    /// Not reached yet.
    New,
    /// On the path being followed.
    OnPath,
    /// Reached, and no cycle goes through it that has not been reported.
    Done,
}

impl Checker<'_> {
    /// Resolves composite components, then looks for cycles among them.
    pub(super) fn resolve_composites(&mut self) {
        let syntax_errors = self.loaded.has_syntax_errors();
        let composites = std::mem::take(&mut self.composites);
        for (index, composite) in &composites {
            let mut components = Vec::new();
            for ident in &composite.components {
                match self.ids.get(&ident.name) {
                    Some((component, _)) => {
                        if *component == Component::Measure(*index) {
                            self.error(
                                Diagnostic::new(
                                    Code::CompositeCycle,
                                    ident.span,
                                    format!("`{}` is a component of itself", ident.name),
                                )
                                .label("refers to its own measure")
                                .help("a composite is rated from other measures and actions"),
                            );
                        } else {
                            components.push(*component);
                        }
                    }
                    // A missing id may be one the syntax errors swallowed.
                    None => {
                        let help = match self.similar_id(&ident.name) {
                            Some(similar) => format!("did you mean `{similar}`?"),
                            None if syntax_errors => {
                                "the report has syntax errors, which may hide the measure with this id: fix those first".into()
                            }
                            None => "a component is the id of a measure or action in this report (any file)".into(),
                        };
                        self.error(
                            Diagnostic::new(
                                Code::UnknownComponent,
                                ident.span,
                                format!("no measure or action has the id `{}`", ident.name),
                            )
                            .label("unknown id")
                            .help(help),
                        );
                    }
                }
            }
            let measure = &mut self.model.measures[*index];
            let data_span = measure
                .targets
                .values()
                .map(|t| t.span)
                .chain(measure.actuals.values().map(|a| a.span))
                .min_by_key(|span| span.start());
            measure.composite = Some(CompositeDef {
                rule: composite.rule,
                components,
            });
            // A composite is rated from its components at the reported
            // period: a lag (say, from `defaults`) means nothing for it.
            measure.lag = 0;
            if let Some(data_span) = data_span {
                let id = self.model.measures[*index].id.clone();
                self.error(
                    Diagnostic::new(Code::CompositeWithData, data_span, format!("`{id}` is a composite, so it cannot have its own targets or actuals"))
                        .label("a composite's own figure")
                        .related(composite.span, "rated from these components")
                        .help("a composite's rating comes from its components; remove its targets and actuals, or remove `composite`"),
                );
            }
        }
        // Cycles: depth-first over composite → composite edges, each
        // measure visited once (linear in measures and components).
        let mut state = vec![Visit::New; self.model.measures.len()];
        for start in 0..self.model.measures.len() {
            let found = self.find_cycle(start, &mut state);
            if let Some(cycle) = found.filter(|c| !c.is_empty()) {
                let names: Vec<&str> = cycle
                    .iter()
                    .map(|&i| self.model.measures[i].id.as_str())
                    .collect();
                let span = self.model.measures[cycle[0]].span;
                let message = format!(
                    "composites depend on each other in a circle: {} → {}",
                    names.join(" → "),
                    names[0]
                );
                self.diagnostics.push(
                    Diagnostic::new(Code::CompositeCycle, span, message)
                        .label("part of the circle")
                        .help("a composite cannot, directly or through others, be a component of itself"),
                );
                for &i in &cycle {
                    self.model.measures[i].composite = Some(CompositeDef {
                        rule: CompositeRule::Worst,
                        components: Vec::new(),
                    });
                }
            }
        }
    }

    /// The first cycle reachable from `start`, searched with an explicit
    /// stack (a chain of composites may be as long as the file). Every
    /// measure the search reaches is `Done` when it returns.
    pub(super) fn find_cycle(&self, start: usize, state: &mut [Visit]) -> Option<Vec<usize>> {
        if state[start] != Visit::New {
            return None;
        }
        let children = |at: usize| -> &[Component] {
            self.model.measures[at]
                .composite
                .as_ref()
                .map_or(&[], |c| c.components.as_slice())
        };
        // The path from `start`, each with the next component to look at.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = Visit::OnPath;
        let mut found = None;
        while let Some(&mut (at, ref mut next)) = path.last_mut() {
            let Some(component) = children(at).get(*next) else {
                state[at] = Visit::Done;
                path.pop();
                continue;
            };
            *next += 1;
            let Component::Measure(child) = *component else {
                continue;
            };
            match state[child] {
                Visit::Done => {}
                Visit::OnPath => {
                    let from = path.iter().position(|&(i, _)| i == child).unwrap_or(0);
                    found = Some(path[from..].iter().map(|&(i, _)| i).collect());
                    break;
                }
                Visit::New => {
                    state[child] = Visit::OnPath;
                    path.push((child, 0));
                }
            }
        }
        // Whatever the search left on its path is finished with.
        for (i, _) in path {
            state[i] = Visit::Done;
        }
        found
    }

    pub(super) fn similar_id(&self, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        let mut ids: Vec<&String> = self.ids.keys().collect();
        ids.sort();
        ids.into_iter()
            .find(|id| {
                id.to_lowercase() == lower
                    || id.replace(['-', '_', '.'], "") == name.replace(['-', '_', '.'], "")
            })
            .cloned()
    }
}
