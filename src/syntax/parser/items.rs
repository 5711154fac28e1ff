//! Items and their fields: one `parse_*` function per grammar rule.

use pest::iterators::Pair;

use crate::diagnostic::{Code, Diagnostic};
use crate::period::{self, MONTH_NAMES};
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;
use crate::syntax::span::{FileId, Span};

use super::literals::token_end;
use super::MAX_LAG;

pub(super) struct ItemParser {
    pub(super) file: FileId,
    /// Where the text handed to pest starts in the file.
    pub(super) offset: usize,
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl ItemParser {
    /// The span of a pair, ending at its last token: pest lets a rule that
    /// ends in an optional part (`provisional?`) take in the whitespace and
    /// comments before the part it did not find.
    pub(super) fn span(&self, pair: &Pair<Rule>) -> Span {
        Span::new(
            self.file,
            self.offset + pair.as_span().start(),
            self.offset + token_end(pair),
        )
    }

    pub(super) fn error(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// `item = { report | defaults | include | group | measure | action }`
    pub(super) fn parse_item(&mut self, pair: Pair<Rule>) -> Option<Item> {
        let inner = pair.into_inner().next()?;
        self.parse_inner_item(inner)
    }

    pub(super) fn parse_inner_item(&mut self, pair: Pair<Rule>) -> Option<Item> {
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
    pub(super) fn parse_report(&mut self, pair: Pair<Rule>) -> ReportHeader {
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
    pub(super) fn parse_defaults(&mut self, pair: Pair<Rule>) -> Defaults {
        let span = self.span(&pair);
        let settings = pair
            .into_inner()
            .filter_map(|p| self.parse_setting(p))
            .collect();
        Defaults { settings, span }
    }

    /// `include = { kw_include ~ string }`
    pub(super) fn parse_include(&mut self, pair: Pair<Rule>) -> Option<Include> {
        let span = self.span(&pair);
        let path = self.last_string(pair)?;
        Some(Include { path, span })
    }

    /// `group = { kw_group ~ string ~ open ~ group_item* ~ close }`
    pub(super) fn parse_group(&mut self, pair: Pair<Rule>) -> Option<Group> {
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
    pub(super) fn parse_measure(&mut self, pair: Pair<Rule>) -> Option<Measure> {
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
    pub(super) fn parse_setting(&mut self, pair: Pair<Rule>) -> Option<Setting> {
        let span = self.span(&pair);
        Some(match pair.as_rule() {
            Rule::unit => Setting::Unit(self.parse_unit(pair)?, span),
            Rule::polarity => {
                let word = pair.into_inner().nth(1)?;
                // The grammar admits only the polarity words.
                let polarity = word.as_str().parse().unwrap_or(Polarity::Tbc);
                Setting::Polarity(polarity, span)
            }
            Rule::cadence => {
                let word = pair.into_inner().nth(1)?;
                // The grammar admits only the cadence words.
                let cadence = word.as_str().parse().unwrap_or(Cadence::Quarterly);
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
    pub(super) fn parse_unit(&mut self, pair: Pair<Rule>) -> Option<Unit> {
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
    pub(super) fn parse_target(&mut self, pair: Pair<Rule>) -> Option<Target> {
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
    pub(super) fn parse_graduated_step(&mut self, pair: Pair<Rule>) -> Option<GraduatedStep> {
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

    pub(super) fn parse_target_value(&mut self, pair: Pair<Rule>) -> Option<TargetValue> {
        match pair.as_rule() {
            Rule::tbc => Some(TargetValue::Tbc(self.span(&pair))),
            _ => self.parse_value(pair).map(TargetValue::Value),
        }
    }

    /// `baseline = { kw_baseline ~ period ~ value }`
    pub(super) fn parse_baseline(&mut self, pair: Pair<Rule>) -> Option<Baseline> {
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
    pub(super) fn parse_actual(&mut self, pair: Pair<Rule>) -> Option<Actual> {
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
    pub(super) fn parse_actual_row(&mut self, pair: Pair<Rule>) -> Option<ActualRow> {
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
    pub(super) fn parse_benchmark(&mut self, pair: Pair<Rule>) -> Option<Benchmark> {
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
    pub(super) fn parse_note(&mut self, pair: Pair<Rule>) -> Option<Note> {
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
    pub(super) fn parse_status(&mut self, pair: Pair<Rule>) -> Option<Status> {
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
    pub(super) fn parse_composite(&mut self, pair: Pair<Rule>) -> Option<Composite> {
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
    pub(super) fn parse_action(&mut self, pair: Pair<Rule>) -> Option<Action> {
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
    pub(super) fn parse_milestone(&mut self, pair: Pair<Rule>) -> Option<Milestone> {
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
}
