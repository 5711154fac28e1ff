//! From text to a typed [`Document`]: one `parse_*` function per grammar rule.
//!
//! The file is parsed one top-level item at a time (grammar rule `step`), so
//! only one item's pest tree is alive at once, and a syntax error in one item
//! does not hide the problems of the next: after an error the parser resumes
//! at the next line that starts with a top-level keyword.

use std::str::FromStr;

use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::lexical;
use crate::period::{self, PeriodError, MONTH_NAMES};
use crate::span::{FileId, Span};
use crate::syntax_error;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/perf.pest"]
pub struct PerfParser;

/// A parsed file: the document, its comments, and what went wrong.
#[derive(Debug, Default)]
pub struct Parsed {
    pub document: Document,
    pub comments: Vec<Span>,
    pub diagnostics: Vec<Diagnostic>,
    /// Whether any part of the file could not be read as the grammar says
    /// (the document then holds only the items that could).
    pub syntax_errors: bool,
}

/// Files larger than this are cut into parts parsed on separate threads.
const PARALLEL_FROM: usize = 256 * 1024;

/// Parses one file. Never fails: problems are in [`Parsed::diagnostics`].
///
/// A large file is cut at lines outside every block (found by the lexical
/// scan, so never inside a block) into one part per core; the parts are
/// parsed in parallel and their items joined in order.
pub fn parse(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, true)
}

/// Parses a large file cut into parts on every core (not used by the
/// commands yet: `fuzz/` and the tests compare it with [`parse`]).
#[doc(hidden)]
pub fn parse_parallel(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, true)
}

fn parse_with(file: FileId, text: &str, parallel: bool) -> Parsed {
    let scan = lexical::scan(file, text);
    let mut parsed = Parsed {
        comments: scan.comments,
        ..Parsed::default()
    };
    if !scan.problems.is_empty() {
        parsed.diagnostics = scan.problems;
        parsed.syntax_errors = true;
        return parsed;
    }
    // A byte-order mark (as some editors and Excel write) is not text.
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let cuts = if parallel {
        cut_points(text.len(), &scan.top_level_lines)
    } else {
        Vec::new()
    };
    let bounds: Vec<(usize, usize)> = std::iter::once(start)
        .chain(cuts.iter().copied())
        .zip(cuts.iter().copied().chain(std::iter::once(text.len())))
        .collect();
    let last = bounds.len() - 1;
    let numbered: Vec<(usize, usize, usize)> = bounds
        .iter()
        .enumerate()
        .map(|(i, &(from, to))| (i, from, to))
        .collect();
    let parts: Vec<Part> = crate::parallel::map(&numbered, |&(i, from, to)| {
        // Only the last part can end inside an unclosed block.
        let unclosed: &[usize] = if i == last { &scan.unclosed } else { &[] };
        parse_part(file, &text[..to], from, unclosed)
    });
    // Recovery after a syntax error carries state from one item to the next
    // (where it resumes, the `}`s still owed to skipped openings) that parts
    // parsed on their own cannot share: a file with a syntax error anywhere
    // is parsed again on one thread, so that its diagnostics and items are
    // exactly those of `parse_sequential`. Without one, every part begins
    // and ends between complete items and parses as one thread would.
    if parts.len() > 1 && parts.iter().any(|part| part.syntax_errors) {
        let part = parse_part(file, text, start, &scan.unclosed);
        parsed.document.items = part.items;
        parsed.diagnostics = part.diagnostics;
        parsed.syntax_errors = part.syntax_errors;
        return parsed;
    }
    for part in parts {
        parsed.document.items.extend(part.items);
        parsed.diagnostics.extend(part.diagnostics);
        parsed.syntax_errors |= part.syntax_errors;
    }
    parsed
}

/// Parses one file on this thread only (to compare with [`parse`]).
#[doc(hidden)]
pub fn parse_sequential(file: FileId, text: &str) -> Parsed {
    parse_with(file, text, false)
}

/// Where to cut a file of `len` bytes: at most one cut per extra core, each
/// at the first top-level line after an even share of the text.
fn cut_points(len: usize, lines: &[usize]) -> Vec<usize> {
    let cores = crate::parallel::cores();
    if len < PARALLEL_FROM || cores < 2 {
        return Vec::new();
    }
    let mut cuts: Vec<usize> = (1..cores)
        .filter_map(|k| {
            let aim = len / cores * k;
            let i = lines.partition_point(|&l| l < aim);
            lines.get(i).copied()
        })
        .collect();
    cuts.dedup();
    cuts
}

/// The items of one part of a file, and what went wrong in it.
struct Part {
    items: Vec<Item>,
    diagnostics: Vec<Diagnostic>,
    syntax_errors: bool,
}

/// Parses `text[start..]` one top-level item at a time (`text` ends where
/// the part does; offsets are the file's).
fn parse_part(file: FileId, text: &str, start: usize, unclosed: &[usize]) -> Part {
    let mut parser = ItemParser {
        file,
        offset: 0,
        diagnostics: Vec::new(),
    };
    let mut items = Vec::new();
    let mut syntax_errors = false;
    let mut pos = start;
    // `}`s still to come for blocks whose opening the recovery skipped.
    let mut orphans = 0usize;
    while pos <= text.len() {
        parser.offset = pos;
        match PerfParser::parse(Rule::step, &text[pos..]) {
            Ok(mut pairs) => {
                let Some(step) = pairs.next() else { break };
                let Some(inner) = step.into_inner().next() else {
                    break;
                };
                if inner.as_rule() == Rule::EOI {
                    break;
                }
                let end = pos + inner.as_span().end();
                if let Some(item) = parser.parse_item(inner) {
                    items.push(item);
                }
                pos = end;
            }
            Err(error) => {
                let at = pos + syntax_error::location(&error);
                // After an error, the `}` of a block whose opening line was
                // skipped is no news: step over it.
                if orphans > 0 && text[at..].starts_with('}') && text[pos..at].trim().is_empty() {
                    orphans -= 1;
                    pos = at + 1;
                    continue;
                }
                syntax_errors = true;
                let diagnostic = match unclosed_at_end(file, text, at, unclosed) {
                    Some(diagnostic) => diagnostic,
                    None => syntax_error::describe(file, text, at, &error),
                };
                parser.diagnostics.push(diagnostic);
                match resume_point(text, pos, at) {
                    Some(next) => {
                        orphans += open_braces(&text[pos..next]);
                        pos = next;
                    }
                    None => break,
                }
            }
        }
    }
    syntax_errors |= parser.diagnostics.iter().any(|d| d.code == Code::Syntax);
    Part {
        items,
        diagnostics: parser.diagnostics,
        syntax_errors,
    }
}

/// How many more `{` than `}` a stretch of text holds (outside strings
/// and comments).
fn open_braces(text: &str) -> usize {
    let scan = lexical::scan(FileId(0), text);
    scan.unclosed.len()
}

/// When the parser ran out of text inside a block: the block left open.
fn unclosed_at_end(file: FileId, text: &str, at: usize, unclosed: &[usize]) -> Option<Diagnostic> {
    let rest = text.get(at..)?;
    let only_comments = rest
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with("//"));
    let &brace = unclosed.last()?;
    if !only_comments {
        return None;
    }
    let line_start = text[..brace].rfind('\n').map_or(0, |i| i + 1);
    let opener = text[line_start..brace].trim();
    Some(
        Diagnostic::new(Code::Syntax, Span::new(file, brace, brace + 1), format!("`{opener} {{` is never closed"))
            .label("this `{` has no matching `}`")
            .help("add the missing `}`: at the end of this block, or at the end of a measure or group inside it that lacks one"),
    )
}

/// After a syntax error at `at` (in an item that started at `pos`): where
/// parsing can sensibly go on. That is the error's own position when it
/// stands at the start of a line on a keyword that begins an item (a
/// measure after one whose `}` is missing), else the next such line.
fn resume_point(text: &str, pos: usize, at: usize) -> Option<usize> {
    let starts_item = |line: &str| lexical::starts_item(line.trim_start().as_bytes());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    if at > pos && text[line_start..at].trim().is_empty() && starts_item(&text[at..]) {
        return Some(at);
    }
    let mut next = text[at..].find('\n').map(|i| at + i + 1)?;
    while next < text.len() {
        if starts_item(&text[next..]) {
            return Some(next);
        }
        next = text[next..].find('\n').map(|i| next + i + 1)?;
    }
    None
}

struct ItemParser {
    file: FileId,
    /// Where the text handed to pest starts in the file.
    offset: usize,
    diagnostics: Vec<Diagnostic>,
}

impl ItemParser {
    /// The span of a pair, ending at its last token: pest lets a rule that
    /// ends in an optional part (`provisional?`) take in the whitespace and
    /// comments before the part it did not find.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        Span::new(
            self.file,
            self.offset + pair.as_span().start(),
            self.offset + token_end(pair),
        )
    }

    fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// `item = { report | defaults | include | group | measure | action }`
    fn parse_item(&mut self, pair: Pair<Rule>) -> Option<Item> {
        let inner = pair.into_inner().next()?;
        self.parse_inner_item(inner)
    }

    fn parse_inner_item(&mut self, pair: Pair<Rule>) -> Option<Item> {
        Some(match pair.as_rule() {
            Rule::report => Item::Report(self.parse_report(pair)),
            Rule::defaults => Item::Defaults(self.parse_defaults(pair)),
            Rule::include => Item::Include(self.parse_include(pair)?),
            Rule::group => Item::Group(self.parse_group(pair)?),
            Rule::measure => Item::Measure(self.parse_measure(pair)?),
            Rule::action => Item::Action(self.parse_action(pair)?),
            _ => return None,
        })
    }

    /// `report = { kw_report ~ string? ~ open ~ header_field* ~ close }`
    fn parse_report(&mut self, pair: Pair<Rule>) -> ReportHeader {
        let span = self.span(&pair);
        let mut title = None;
        let mut fields = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => title = self.parse_string(p),
                Rule::organisation => {
                    if let Some(text) = self.last_string(p) {
                        fields.push(HeaderField::Organisation(text));
                    }
                }
                Rule::header_period => {
                    if let Some(period) = p.into_inner().nth(1).and_then(|p| self.parse_period(p)) {
                        fields.push(HeaderField::Period(period));
                    }
                }
                Rule::year_start => {
                    if let Some(month) = p.into_inner().nth(1) {
                        let name = month.as_str().to_lowercase();
                        let number = MONTH_NAMES.iter().position(|m| *m == name).unwrap_or(3) + 1;
                        fields.push(HeaderField::YearStart(number as u8, self.span(&month)));
                    }
                }
                _ => {}
            }
        }
        ReportHeader {
            title,
            fields,
            span,
        }
    }

    /// `defaults = { kw_defaults ~ open ~ setting* ~ close }`
    fn parse_defaults(&mut self, pair: Pair<Rule>) -> Defaults {
        let span = self.span(&pair);
        let settings = pair
            .into_inner()
            .filter_map(|p| self.parse_setting(p))
            .collect();
        Defaults { settings, span }
    }

    /// `include = { kw_include ~ string }`
    fn parse_include(&mut self, pair: Pair<Rule>) -> Option<Include> {
        let span = self.span(&pair);
        let path = self.last_string(pair)?;
        Some(Include { path, span })
    }

    /// `group = { kw_group ~ string ~ open ~ group_item* ~ close }`
    fn parse_group(&mut self, pair: Pair<Rule>) -> Option<Group> {
        let span = self.span(&pair);
        let mut name = None;
        let mut items = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => name = self.parse_string(p),
                _ => items.extend(self.parse_inner_item(p)),
            }
        }
        Some(Group {
            name: name?,
            items,
            span,
        })
    }

    /// `measure = { kw_measure ~ ident ~ string ~ open ~ measure_field* ~ close }`
    fn parse_measure(&mut self, pair: Pair<Rule>) -> Option<Measure> {
        let span = self.span(&pair);
        let mut id = None;
        let mut title = None;
        let inner = pair.into_inner();
        // Every child but the keyword, id, title and braces is a field.
        let mut fields = Vec::with_capacity(inner.len().saturating_sub(5));
        for p in inner {
            match p.as_rule() {
                Rule::ident => id = Some(self.parse_ident(p)),
                Rule::string => title = self.parse_string(p),
                Rule::target => fields.extend(self.parse_target(p).map(MeasureField::Target)),
                Rule::baseline => fields.extend(self.parse_baseline(p).map(MeasureField::Baseline)),
                Rule::actual => fields.extend(self.parse_actual(p).map(MeasureField::Actual)),
                Rule::benchmark => {
                    fields.extend(self.parse_benchmark(p).map(MeasureField::Benchmark))
                }
                Rule::note => fields.extend(self.parse_note(p).map(MeasureField::Note)),
                Rule::status => fields.extend(self.parse_status(p).map(MeasureField::Status)),
                Rule::composite => {
                    fields.extend(self.parse_composite(p).map(MeasureField::Composite))
                }
                _ => fields.extend(self.parse_setting(p).map(MeasureField::Setting)),
            }
        }
        Some(Measure {
            id: id?,
            title: title?,
            fields,
            span,
        })
    }

    /// `setting = _{ unit | polarity | cadence | owner | lead | lag | tolerance | amber }`
    fn parse_setting(&mut self, pair: Pair<Rule>) -> Option<Setting> {
        let span = self.span(&pair);
        Some(match pair.as_rule() {
            Rule::unit => Setting::Unit(self.parse_unit(pair)?, span),
            Rule::polarity => {
                let word = pair.into_inner().nth(1)?;
                let polarity = match word.as_str() {
                    "higher" => Polarity::Higher,
                    "lower" => Polarity::Lower,
                    "target" => Polarity::Target,
                    "none" => Polarity::None,
                    _ => Polarity::Tbc,
                };
                Setting::Polarity(polarity, span)
            }
            Rule::cadence => {
                let word = pair.into_inner().nth(1)?;
                let cadence = match word.as_str() {
                    "annual" => Cadence::Annual,
                    "monthly" => Cadence::Monthly,
                    _ => Cadence::Quarterly,
                };
                Setting::Cadence(cadence, span)
            }
            Rule::owner => Setting::Owner(self.last_string(pair)?),
            Rule::lead => Setting::Lead(self.last_string(pair)?),
            Rule::lag => {
                let mut inner = pair.into_inner().skip(1);
                let number = inner.next()?;
                let unit = inner.next().map(|u| {
                    if u.as_str() == "months" {
                        LagUnit::Months
                    } else {
                        LagUnit::Quarters
                    }
                });
                let digits: String = number.as_str().chars().filter(|c| *c != '_').collect();
                let limit = if unit == Some(LagUnit::Months) {
                    MAX_LAG * 3
                } else {
                    MAX_LAG
                };
                match digits.parse::<u32>() {
                    Ok(n) if n <= limit => Setting::Lag(n, unit, span),
                    _ => {
                        let at = self.span(&number);
                        self.error(
                            Diagnostic::new(Code::Limit, at, format!("a lag of more than {MAX_LAG} quarters"))
                                .label("too long")
                                .help("`lag N` counts quarters; data more than ten years late is not a lag"),
                        );
                        return None;
                    }
                }
            }
            Rule::tolerance => Setting::Tolerance(Band {
                literal: self.parse_value(pair.into_inner().nth(1)?)?,
            }),
            Rule::amber => Setting::Amber(Band {
                literal: self.parse_value(pair.into_inner().nth(1)?)?,
            }),
            Rule::red_beyond => Setting::RedBeyond(Band {
                literal: self.parse_value(pair.into_inner().nth(2)?)?,
            }),
            Rule::year_kind => {
                let word = pair.into_inner().nth(1)?;
                let kind = match word.as_str() {
                    "calendar" => YearKind::Calendar,
                    "academic" => YearKind::Academic,
                    _ => YearKind::Financial,
                };
                Setting::Year(kind, span)
            }
            Rule::year_to_date => Setting::YearToDate(span),
            _ => return None,
        })
    }

    /// `unit = { kw_unit ~ (unit_money | unit_word | string) }`
    fn parse_unit(&mut self, pair: Pair<Rule>) -> Option<Unit> {
        let spec = pair.into_inner().nth(1)?;
        Some(match spec.as_rule() {
            Rule::unit_money => Unit::Money(self.last_string(spec).map(|t| t.value)),
            Rule::string => Unit::Other(self.parse_string(spec)?.value),
            _ => match spec.as_str() {
                "percent" => Unit::Percent,
                "percent-change" => Unit::PercentChange,
                "count" => Unit::Count,
                "days" => Unit::Days,
                _ => Unit::Number,
            },
        })
    }

    /// `target = { kw_target ~ period ~ (graduated | tbc | value) }`
    fn parse_target(&mut self, pair: Pair<Rule>) -> Option<Target> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let period = self.parse_period(inner.next()?);
        let spec_pair = inner.next()?;
        let spec = match spec_pair.as_rule() {
            Rule::graduated => {
                let steps = spec_pair
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::graduated_step)
                    .filter_map(|p| self.parse_graduated_step(p))
                    .collect();
                TargetSpec::Graduated(steps)
            }
            _ => TargetSpec::Value(self.parse_target_value(spec_pair)?),
        };
        Some(Target {
            period: period?,
            spec,
            span,
        })
    }

    /// `graduated_step = { quarter ~ (tbc | value) }`
    fn parse_graduated_step(&mut self, pair: Pair<Rule>) -> Option<GraduatedStep> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let quarter_pair = inner.next()?;
        let quarter_span = self.span(&quarter_pair);
        let step = if quarter_pair.as_rule() == Rule::month_name {
            Step::Month(period::parse_month(quarter_pair.as_str())?)
        } else {
            Step::Quarter(self.check_quarter(quarter_pair.as_str(), quarter_span)?)
        };
        let value = self.parse_target_value(inner.next()?)?;
        Some(GraduatedStep {
            step,
            quarter_span,
            value,
            span,
        })
    }

    fn parse_target_value(&mut self, pair: Pair<Rule>) -> Option<TargetValue> {
        match pair.as_rule() {
            Rule::tbc => Some(TargetValue::Tbc(self.span(&pair))),
            _ => self.parse_value(pair).map(TargetValue::Value),
        }
    }

    /// `baseline = { kw_baseline ~ period ~ value }`
    fn parse_baseline(&mut self, pair: Pair<Rule>) -> Option<Baseline> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let period = self.parse_period(inner.next()?);
        let value = self.parse_value(inner.next()?);
        Some(Baseline {
            period: period?,
            value: value?,
            span,
        })
    }

    /// `actual = { kw_actual ~ (actual_block | actual_row) }`
    fn parse_actual(&mut self, pair: Pair<Rule>) -> Option<Actual> {
        let span = self.span(&pair);
        let body = pair.into_inner().nth(1)?;
        let (rows, block) = match body.as_rule() {
            Rule::actual_block => {
                let inner = body.into_inner();
                // The rows are the children but the two braces.
                let mut rows = Vec::with_capacity(inner.len().saturating_sub(2));
                for p in inner {
                    if p.as_rule() == Rule::actual_row {
                        rows.extend(self.parse_actual_row(p));
                    }
                }
                (rows, true)
            }
            _ => (self.parse_actual_row(body).into_iter().collect(), false),
        };
        Some(Actual { rows, block, span })
    }

    /// `actual_row = { period ~ (value ~ provisional? | not_available) }`
    fn parse_actual_row(&mut self, pair: Pair<Rule>) -> Option<ActualRow> {
        let start = self.offset + pair.as_span().start();
        let mut inner = pair.into_inner();
        let period = self.parse_period(inner.next()?);
        let body = inner.next()?;
        let reading = match body.as_rule() {
            Rule::not_available => {
                let na_span = self.span(&body);
                let reason = self.last_string(body);
                Reading::NotAvailable {
                    reason,
                    span: na_span,
                }
            }
            _ => {
                let value = self.parse_value(body)?;
                let provisional = inner.next().map(|p| self.span(&p));
                Reading::Value { value, provisional }
            }
        };
        // The row ends with its last token: `provisional`, the value, or
        // `n/a` and its reason (which the reading's span already ends at).
        let end = match &reading {
            Reading::Value {
                provisional: Some(p),
                ..
            } => p.end(),
            Reading::Value { value, .. } => value.span.end(),
            Reading::NotAvailable { span, .. } => span.end(),
        };
        Some(ActualRow {
            period: period?,
            reading,
            span: Span::new(self.file, start, end),
        })
    }

    /// `benchmark = { kw_benchmark ~ string ~ period ~ value }`
    fn parse_benchmark(&mut self, pair: Pair<Rule>) -> Option<Benchmark> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.parse_string(inner.next()?);
        let period = self.parse_period(inner.next()?);
        let value = self.parse_value(inner.next()?);
        Some(Benchmark {
            name: name?,
            period: period?,
            value: value?,
            span,
        })
    }

    /// `note = { kw_note ~ period ~ string }`
    fn parse_note(&mut self, pair: Pair<Rule>) -> Option<Note> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let period = self.parse_period(inner.next()?);
        let text = self.parse_string(inner.next()?);
        Some(Note {
            period: period?,
            text: text?,
            span,
        })
    }

    /// `status = { kw_status ~ period ~ rag ~ string? }`
    fn parse_status(&mut self, pair: Pair<Rule>) -> Option<Status> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let period = self.parse_period(inner.next()?);
        let rag_pair = inner.next()?;
        let rag_span = self.span(&rag_pair);
        let rag = match rag_pair.as_str() {
            "green" => Rag::Green,
            "amber" => Rag::Amber,
            "red" => Rag::Red,
            _ => Rag::None,
        };
        let why = inner.next().and_then(|p| self.parse_string(p));
        Some(Status {
            period: period?,
            rag,
            rag_span,
            why,
            span,
        })
    }

    /// `composite = { kw_composite ~ composite_rule ~ kw_of ~ ident ~ (comma ~ ident)* ~ comma? }`
    fn parse_composite(&mut self, pair: Pair<Rule>) -> Option<Composite> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let rule_pair = inner.next()?;
        let rule_span = self.span(&rule_pair);
        let rule = if rule_pair.as_str() == "worst" {
            CompositeRule::Worst
        } else {
            CompositeRule::Majority
        };
        let components = inner
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.parse_ident(p))
            .collect();
        Some(Composite {
            rule,
            rule_span,
            components,
            span,
        })
    }

    /// `action = { kw_action ~ ident ~ string ~ open ~ action_field* ~ close }`
    fn parse_action(&mut self, pair: Pair<Rule>) -> Option<Action> {
        let span = self.span(&pair);
        let mut id = None;
        let mut title = None;
        let inner = pair.into_inner();
        // Every child but the keyword, id, title and braces is a field.
        let mut fields = Vec::with_capacity(inner.len().saturating_sub(5));
        for p in inner {
            match p.as_rule() {
                Rule::ident => id = Some(self.parse_ident(p)),
                Rule::string => title = self.parse_string(p),
                Rule::owner => fields.extend(self.last_string(p).map(ActionField::Owner)),
                Rule::lead => fields.extend(self.last_string(p).map(ActionField::Lead)),
                Rule::milestone => {
                    fields.extend(self.parse_milestone(p).map(ActionField::Milestone))
                }
                Rule::note => fields.extend(self.parse_note(p).map(ActionField::Note)),
                Rule::status => fields.extend(self.parse_status(p).map(ActionField::Status)),
                _ => {}
            }
        }
        Some(Action {
            id: id?,
            title: title?,
            fields,
            span,
        })
    }

    /// `milestone = { kw_milestone ~ period ~ string ~ (done | concern)* }`
    fn parse_milestone(&mut self, pair: Pair<Rule>) -> Option<Milestone> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let period = self.parse_period(inner.next()?);
        let title = self.parse_string(inner.next()?);
        let mut done = None;
        let mut concern = None;
        for flag in inner {
            let flag_span = self.span(&flag);
            let repeated = match flag.as_rule() {
                Rule::done => done.replace(flag_span).is_some(),
                _ => concern.replace(self.last_string(flag)?).is_some(),
            };
            if repeated {
                self.error(
                    Diagnostic::new(
                        Code::DuplicateField,
                        flag_span,
                        "this milestone says it twice",
                    )
                    .label("repeated")
                    .help("write `done` and `concern \"...\"` at most once each"),
                );
            }
        }
        Some(Milestone {
            period: period?,
            title: title?,
            done,
            concern,
            span,
        })
    }

    // --- tokens ---

    fn parse_ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// The last string inside a pair (`owner "x"` → `x`).
    fn last_string(&mut self, pair: Pair<Rule>) -> Option<Text> {
        let string = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::string)
            .last()?;
        self.parse_string(string)
    }

    /// `string = ${ "\"" ~ string_inner ~ "\"" }`, unescaped.
    fn parse_string(&mut self, pair: Pair<Rule>) -> Option<Text> {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        if !raw.contains('\\') {
            return Some(Text {
                value: raw.to_owned(),
                span,
            });
        }
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                other => {
                    let start = span.start() + 1 + i;
                    let end = start + 1 + other.map_or(0, |(_, c)| c.len_utf8());
                    self.error(
                        Diagnostic::new(Code::BadEscape, Span::new(self.file, start, end), "unknown escape in a string")
                            .label("not an escape perfcard knows")
                            .help("the escapes are `\\\"` (a quote), `\\\\` (a backslash) and `\\n` (a line break)"),
                    );
                    return None;
                }
            }
        }
        Some(Text { value, span })
    }

    /// `period = { year ~ (quarter | month_name)? | calendar_year }`
    fn parse_period(&mut self, pair: Pair<Rule>) -> Option<PeriodLit> {
        let mut inner = pair.into_inner();
        let year = inner.next()?;
        let year_span = self.span(&year);
        if year.as_rule() == Rule::calendar_year {
            return match period::parse_calendar_year(year.as_str()) {
                Ok(y) => Some(PeriodLit {
                    period: period::Period::calendar(y),
                    span: year_span,
                }),
                Err(_) => {
                    self.error(
                        Diagnostic::new(
                            Code::BadPeriod,
                            year_span,
                            format!("`{}` is not a year", year.as_str()),
                        )
                        .label("not a year")
                        .help("write a calendar year with four digits (`2011`), or a fiscal year as `2017/18`"),
                    );
                    None
                }
            };
        }
        let start = match period::parse_year(year.as_str()) {
            Ok(start) => start,
            Err(error) => {
                let (message, help) = match error {
                    PeriodError::NotConsecutive { expected } => (
                        format!("`{}` is not a fiscal year: the second half must be the year after the first", year.as_str()),
                        format!("did you mean `{expected}`?"),
                    ),
                    _ => (format!("`{}` is not a fiscal year", year.as_str()), year_help(year.as_str())),
                };
                self.error(
                    Diagnostic::new(Code::BadPeriod, year_span, message)
                        .label("not a year")
                        .help(help),
                );
                return None;
            }
        };
        // The period ends where its last token does (pest's own span may
        // take in the spaces before a quarter it did not find).
        let (period, span) = match inner.next() {
            None => (period::Period::year(start), year_span),
            Some(m) if m.as_rule() == Rule::month_name => {
                let m_span = self.span(&m);
                // Months are placed for an April year start here; the
                // checker moves them when the header says otherwise.
                let month = period::parse_month(m.as_str())?;
                (
                    period::Period::month(start, month, 4),
                    Span::new(self.file, year_span.start(), m_span.end()),
                )
            }
            Some(q) => {
                let q_span = self.span(&q);
                let quarter = self.check_quarter(q.as_str(), q_span)?;
                (
                    period::Period::quarter(start, quarter),
                    Span::new(self.file, year_span.start(), q_span.end()),
                )
            }
        };
        Some(PeriodLit { period, span })
    }

    fn check_quarter(&mut self, text: &str, span: Span) -> Option<u8> {
        match period::parse_quarter(text) {
            Ok(q) if text.starts_with('Q') => Some(q),
            Ok(q) => {
                self.error(
                    Diagnostic::new(
                        Code::BadPeriod,
                        span,
                        format!("quarters are written with a capital Q: `Q{q}`"),
                    )
                    .label("lower-case q")
                    .help(format!("write `Q{q}`")),
                );
                None
            }
            Err(_) => {
                self.error(
                    Diagnostic::new(Code::BadPeriod, span, format!("`{text}` is not a quarter"))
                        .label("not a quarter")
                        .help("a fiscal year has four quarters, `Q1` to `Q4`"),
                );
                None
            }
        }
    }

    /// `value = ${ number ~ ("/" ~ denominator)? ~ suffix? }`
    fn parse_value(&mut self, pair: Pair<Rule>) -> Option<Literal> {
        let span = self.span(&pair);
        // A leading `+` means nothing; every other character of the
        // spelling does (`_`, decimal places, `%`).
        let text = pair
            .as_str()
            .strip_prefix('+')
            .unwrap_or(pair.as_str())
            .to_string();
        let mut numerator = None;
        let mut denominator = None;
        let mut suffix = Suffix::None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::number => numerator = Some(self.parse_decimal(&p)?),
                Rule::denominator => denominator = Some(self.parse_decimal(&p)?),
                Rule::suffix => {
                    suffix = if p.as_str() == "%" {
                        Suffix::Percent
                    } else {
                        Suffix::Points
                    }
                }
                _ => {}
            }
        }
        let numerator = numerator?;
        let amount = match denominator {
            None => Amount::Decimal(numerator),
            Some(d) if d.is_zero() => {
                self.error(
                    Diagnostic::new(
                        Code::BadNumber,
                        span,
                        "a fraction with a denominator of zero",
                    )
                    .label("divides by zero")
                    .help("a fraction is `part/whole`, e.g. `50/66`; the whole cannot be 0"),
                );
                return None;
            }
            // A fraction must have a value a decimal can hold, like every
            // other number (reports show it as a decimal too).
            Some(d) if numerator.checked_div(d).is_none() => {
                self.error(
                    Diagnostic::new(Code::BadNumber, span, "this fraction is too large to be held exactly")
                        .label("too large")
                        .help("perfcard keeps numbers exact, up to 28 significant digits; a fraction's value must stay within that too"),
                );
                return None;
            }
            Some(d) => Amount::Fraction {
                numerator,
                denominator: d,
            },
        };
        Some(Literal {
            amount,
            suffix,
            text,
            span,
        })
    }

    fn parse_decimal(&mut self, pair: &Pair<Rule>) -> Option<Decimal> {
        let written = pair.as_str();
        let written = written.strip_prefix('+').unwrap_or(written);
        let parsed = if written.contains('_') {
            Decimal::from_str_exact(&written.replace('_', ""))
        } else {
            Decimal::from_str_exact(written)
        };
        match parsed {
            Ok(d) => Some(d),
            Err(_) => {
                let span = self.span(pair);
                self.error(
                    Diagnostic::new(Code::BadNumber, span, "this number cannot be held exactly")
                        .label("too many digits")
                        .help("perfcard keeps numbers exact, up to 28 significant digits; round it in the source so the rounding is visible"),
                );
                None
            }
        }
    }
}

/// Where a pair's last token ends (see [`ItemParser::span`]).
///
/// Only a rule whose last part is optional or repeated (`provisional?`,
/// `quarter?`, milestone flags) can run on past its last token; every other
/// rule ends with a token and its own end is exact. Looking into the
/// children only where needed keeps this cheap: pest counts a pair's
/// children each time it is opened.
fn token_end(pair: &Pair<Rule>) -> usize {
    let ends_optionally = matches!(
        pair.as_rule(),
        Rule::period
            | Rule::header_period
            | Rule::actual_row
            | Rule::actual
            | Rule::not_available
            | Rule::status
            | Rule::milestone
            | Rule::composite
            | Rule::unit
            | Rule::unit_money
            | Rule::lag
    );
    if !ends_optionally {
        return pair.as_span().end();
    }
    match pair.clone().into_inner().last() {
        Some(last) => token_end(&last),
        None => pair.as_span().end(),
    }
}

/// Help for a year written in another shape: `2017/2018` or `17/18`.
fn year_help(text: &str) -> String {
    let general =
        "write years as four digits, a slash and the next year's last two digits: `2017/18`";
    let Some((first, second)) = text.split_once('/') else {
        return general.into();
    };
    let (Ok(a), Ok(b)) = (first.parse::<i32>(), second.parse::<i32>()) else {
        return general.into();
    };
    let start = match (first.len(), second.len()) {
        (4, 4) if b == a + 1 => Some(a),
        (2, 2) if b == (a + 1) % 100 => Some(2000 + a),
        _ => None,
    };
    match start {
        Some(start) => format!("did you mean `{start}/{:02}`? {general}", (start + 1) % 100),
        None => general.into(),
    }
}

/// The longest `lag` accepted, in quarters.
pub const MAX_LAG: u32 = 40;

impl FromStr for Document {
    type Err = Vec<Diagnostic>;

    /// Parses a document on its own (file 0), failing on any error.
    fn from_str(text: &str) -> Result<Document, Vec<Diagnostic>> {
        let parsed = parse(FileId(0), text);
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            Err(parsed.diagnostics)
        } else {
            Ok(parsed.document)
        }
    }
}
