//! The language's words, read from the grammar itself (grammar/perf.pest),
//! so that completion and hover know every keyword the parser knows: a
//! keyword added to the grammar is offered where its rule may stand without
//! a change here. Only the one-line meanings ([`doc`]) are written by hand,
//! and a test fails when a keyword of the grammar has none.

use std::collections::HashMap;
use std::sync::OnceLock;

const GRAMMAR: &str = include_str!("../../grammar/perf.pest");

/// Where the cursor is, for the keywords that may be written there.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Context {
    /// A file's top level.
    TopLevel,
    /// Inside `report { }`.
    Report,
    /// Inside `defaults { }`.
    Defaults,
    /// Inside `group "…" { }`.
    Group,
    /// Inside `measure ID "…" { }`.
    Measure,
    /// Inside `action ID "…" { }`.
    Action,
}

impl Context {
    /// The grammar rule that lists what may stand in this context.
    fn rule(self) -> &'static str {
        match self {
            Context::TopLevel => "item",
            Context::Report => "header_field",
            Context::Defaults => "setting",
            Context::Group => "group_item",
            Context::Measure => "measure_field",
            Context::Action => "action_field",
        }
    }
}

/// The grammar's rules: name → body (comments removed).
struct Grammar {
    rules: HashMap<String, String>,
}

fn grammar() -> &'static Grammar {
    static GRAMMAR_RULES: OnceLock<Grammar> = OnceLock::new();
    GRAMMAR_RULES.get_or_init(|| Grammar {
        rules: read_rules(GRAMMAR),
    })
}

/// Splits pest source into `name = modifier{ body }` rules. String literals
/// may hold braces (`open = @{ "{" }`), so they are skipped whole.
fn read_rules(source: &str) -> HashMap<String, String> {
    let text: String = source
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut rules = HashMap::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A rule starts with an identifier at the start of a line.
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        if !(line_start && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')) {
            i += 1;
            continue;
        }
        let name_end = i + text[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(text.len() - i);
        let name = &text[i..name_end];
        let Some(open) = text[name_end..].find('{').map(|o| o + name_end) else {
            break;
        };
        let mut depth = 0;
        let mut j = open;
        let mut in_string = false;
        while j < bytes.len() {
            match bytes[j] {
                b'\\' if in_string => j += 1,
                b'"' => in_string = !in_string,
                b'{' if !in_string => depth += 1,
                b'}' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let body = text.get(open + 1..j).unwrap_or("").trim().to_string();
        rules.insert(name.to_string(), body);
        i = j + 1;
    }
    rules
}

/// The string literals of a rule's body, in order.
fn literals(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

impl Grammar {
    /// The spelling of a keyword rule (`kw_year_start` → `year-start`).
    fn spelling(&self, kw_rule: &str) -> Option<String> {
        literals(self.rules.get(kw_rule)?).into_iter().next()
    }

    /// The keyword a rule starts with, if its first element is one.
    fn leading_keyword(&self, rule: &str) -> Option<String> {
        let body = self.rules.get(rule)?;
        let first = body.split_whitespace().next()?;
        first
            .starts_with("kw_")
            .then(|| self.spelling(first))
            .flatten()
    }

    /// The keywords that may start what `rule` matches: its own leading
    /// keyword, or those of each alternative of a choice rule.
    fn keywords_of(&self, rule: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 8 {
            return;
        }
        if let Some(k) = self.leading_keyword(rule) {
            if !out.contains(&k) {
                out.push(k);
            }
            return;
        }
        let Some(body) = self.rules.get(rule) else {
            return;
        };
        if body.contains('|') {
            for alternative in body.split('|') {
                let name = alternative.trim();
                if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.keywords_of(name, out, depth + 1);
                }
            }
        }
    }
}

/// The keywords that may start a line in `context`, in grammar order.
pub fn keywords(context: Context) -> Vec<String> {
    let mut out = Vec::new();
    grammar().keywords_of(context.rule(), &mut out, 0);
    out
}

/// The flags that may follow a milestone (`done`, `concern`).
pub fn milestone_flags() -> Vec<String> {
    let mut out = Vec::new();
    grammar().keywords_of("milestone_flag", &mut out, 0);
    out
}

/// Every keyword of the grammar (the rules named `kw_…`).
pub fn all_keywords() -> Vec<String> {
    let g = grammar();
    let mut out: Vec<String> = g
        .rules
        .keys()
        .filter(|name| name.starts_with("kw_"))
        .filter_map(|name| g.spelling(name))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The words a value rule accepts (`unit_word` → percent, count, …).
pub fn words(rule: &str) -> Vec<String> {
    grammar()
        .rules
        .get(rule)
        .map(|body| literals(body))
        .unwrap_or_default()
}

/// The values that may follow a keyword: `unit`, `polarity`, `cadence`,
/// `year-start`, a status's rating and a composite's rule.
pub fn values_after(keyword: &str) -> Vec<String> {
    match keyword {
        "unit" => {
            let mut v = words("unit_word");
            v.extend(grammar().spelling("kw_money"));
            v
        }
        "polarity" => words("polarity_word"),
        "cadence" => words("cadence_word"),
        "year-start" => crate::period::MONTH_NAMES
            .iter()
            .map(|m| m.to_string())
            .collect(),
        "composite" => words("composite_rule"),
        _ => Vec::new(),
    }
}

/// What a keyword means, with a one-line example.
pub fn doc(keyword: &str) -> Option<(&'static str, &'static str)> {
    Some(match keyword {
        "report" => ("The report header: its title, organisation, the period reported and when the fiscal year starts. At most one per report.", "report \"Corporate Scorecard\" { period 2018/19 Q2 }"),
        "organisation" | "organization" => ("The organisation the report is about.", "organisation \"Riverside District Council\""),
        "period" => ("The period the report is for (the command line's --period overrides it).", "period 2018/19 Q2"),
        "year-start" => ("The month the fiscal year starts in (April unless set).", "year-start april"),
        "defaults" => ("Settings for every measure declared after it in this file or group, unless a measure sets its own.", "defaults { tolerance 5% amber 10% }"),
        "include" => ("Reads another file of the same report in place, by a path relative to this file.", "include \"finance.perf\""),
        "group" => ("A named section of the report; groups nest.", "group \"Housing\" { measure HS01 \"…\" { } }"),
        "measure" => ("A performance indicator: an id, a title, and its settings, targets and actuals.", "measure HS01 \"Homes built\" { unit count polarity higher }"),
        "action" => ("A key action: milestones due by a period, done or not.", "action ACT-1 \"Open the new depot\" { milestone 2018/19 Q2 \"Planning\" done }"),
        "unit" => ("What the values count: percent, count, number, days, money \"£m\" or your own words.", "unit percent"),
        "money" => ("A unit of money, with its label (£ when left out).", "unit money \"£m\""),
        "polarity" => ("Which way is better: higher, lower, target (closer is better), none (never rated) or tbc.", "polarity higher"),
        "cadence" => ("How often the measure is reported: quarterly (the default), monthly or annual.", "cadence monthly"),
        "year" => ("Which kind of year an annual measure's figures are for: financial (the default), calendar (January–December, written `2011`) or academic (September–August).", "year calendar"),
        "year-to-date" => ("The actuals are running totals since the start of the year, and so are its graduated targets.", "year-to-date"),
        "red" | "beyond" => ("`red beyond B`: red when further than B from the target (relative %, pp or in the unit); replaces an amber band.", "red beyond 10%"),
        "owner" => ("Who is accountable for the measure or action.", "owner \"Director of Housing\""),
        "lead" => ("Who delivers it, day to day.", "lead \"Head of Repairs\""),
        "lag" => ("How late the values arrive: `lag N` or `lag N quarters`, or `lag N months`; the report rates the data of that long before.", "lag 1"),
        "tolerance" => ("How far short of the target is still green: relative (%), percentage points (pp) or in the measure's unit.", "tolerance 2pp"),
        "amber" => ("How far beyond the tolerance is amber rather than red.", "amber 5%"),
        "target" => ("The target for a year or a quarter; `tbc` when not set yet; a block for a graduated (year-to-date) target.", "target 2018/19 95%"),
        "baseline" => ("The value the measure started from, for context.", "baseline 2016/17 89.4%"),
        "actual" => ("The value achieved in a period (a block holds one row per period); `n/a` when there is none, `provisional` when it may change.", "actual 2018/19 Q1 93.1%"),
        "benchmark" => ("A comparison value from elsewhere, for context.", "benchmark \"England\" 2017/18 85%"),
        "note" => ("Commentary for a period.", "note 2018/19 Q2 \"Two posts vacant\""),
        "status" => ("An assessed rating for a period, which stands in place of the computed one.", "status 2018/19 Q2 amber \"Recovering\""),
        "composite" => ("A measure rated from others: the worst of their ratings, or the majority.", "composite worst of HS01, HS02"),
        "of" => ("Part of `composite worst of …`: the components follow.", "composite majority of A1, A2, A3"),
        "milestone" => ("A step of a key action, due by a period; `done` when achieved, `concern` with why.", "milestone 2018/19 Q2 \"Appoint contractor\" done"),
        "done" => ("The milestone has been achieved.", "milestone 2018/19 Q1 \"Consult\" done"),
        "concern" => ("Done, but with a concern, which rates the action amber.", "milestone 2018/19 Q1 \"Consult\" done concern \"Late\""),
        "tbc" => ("To be confirmed: a target not set yet, or a polarity not decided (never rated).", "target 2019/20 tbc"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_read_from_the_grammar() {
        let measure = keywords(Context::Measure);
        for k in ["unit", "polarity", "target", "actual", "composite", "amber"] {
            assert!(measure.contains(&k.to_string()), "{k} in {measure:?}");
        }
        assert!(!measure.contains(&"milestone".to_string()));
        let action = keywords(Context::Action);
        assert!(action.contains(&"milestone".to_string()), "{action:?}");
        assert!(!action.contains(&"target".to_string()));
        let top = keywords(Context::TopLevel);
        assert!(top.contains(&"report".to_string()) && top.contains(&"include".to_string()));
        assert!(keywords(Context::Report).contains(&"year-start".to_string()));
        assert_eq!(milestone_flags(), ["done", "concern"]);
        assert!(values_after("polarity").contains(&"higher".to_string()));
        assert!(values_after("unit").contains(&"money".to_string()));
    }

    #[test]
    fn every_keyword_of_the_grammar_has_a_meaning() {
        let keywords = all_keywords();
        assert!(keywords.len() > 20, "{keywords:?}");
        let missing: Vec<&String> = keywords.iter().filter(|k| doc(k).is_none()).collect();
        assert!(missing.is_empty(), "keywords without a doc: {missing:?}");
    }
}
