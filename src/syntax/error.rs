//! Syntax errors in the words of the language, never pest's rule names.

use pest::error::{Error, ErrorVariant, InputLocation};

use crate::diagnostic::{Code, Diagnostic};
use crate::syntax::grammar::Rule;
use crate::syntax::span::{FileId, Span};

/// The byte offset (in the text given to pest) where parsing failed.
pub fn location(error: &Error<Rule>) -> usize {
    match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    }
}

/// A syntax error at byte `at` of `text`, saying what was expected there.
pub fn describe(file: FileId, text: &str, at: usize, error: &Error<Rule>) -> Diagnostic {
    let found = found(text, at);
    let span = Span::new(
        file,
        at,
        at + found
            .len()
            .max(usize::from(at < text.len()))
            .min(text.len() - at),
    );
    let expected = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => expected(positives),
        ErrorVariant::CustomError { message } => message.clone(),
    };
    let found_words = if found.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{found}`")
    };
    let mut diagnostic = Diagnostic::new(
        Code::Syntax,
        span,
        format!("expected {expected}, found {found_words}"),
    )
    .label("not expected here");
    let suggestion = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => suggest(&found, positives),
        ErrorVariant::CustomError { .. } => None,
    };
    let after_id = text[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric());
    let slip = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => slip(text, at, &found, positives),
        ErrorVariant::CustomError { .. } => None,
    };
    if let Some(help) = slip
        .or(suggestion)
        .or_else(|| hint(&found, error, after_id, recent(text, at)))
    {
        diagnostic = diagnostic.help(help);
    }
    diagnostic
}

/// "did you mean `polarity`?" when the word found is close to a keyword
/// that could stand there.
fn suggest(found: &str, positives: &[Rule]) -> Option<String> {
    let word: String = found
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '/')
        .collect();
    if word.is_empty() || word.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let lower = word.to_lowercase();
    let candidates: Vec<&str> = positives
        .iter()
        .flat_map(|r| keywords(*r))
        .copied()
        .collect();
    if candidates.iter().any(|k| *k == word) {
        return None;
    }
    if let Some(k) = candidates.iter().find(|k| **k == lower) {
        return Some(format!("keywords are lower case: write `{k}`"));
    }
    // A longer or shorter form of a keyword: `percentage`, `perc`.
    if let Some(k) = candidates.iter().find(|k| {
        (lower.starts_with(**k) && k.len() >= 4) || (k.starts_with(&lower) && lower.len() >= 3)
    }) {
        return Some(format!("did you mean `{k}`?"));
    }
    let best = candidates
        .iter()
        .map(|k| (strsim::levenshtein(&lower, k), *k))
        .filter(|(distance, k)| *distance <= 2 && *distance < k.len() / 2 + 1)
        .min()?;
    Some(format!("did you mean `{}`?", best.1))
}

/// The words a rule accepts, for suggestions.
fn keywords(rule: Rule) -> &'static [&'static str] {
    match rule {
        Rule::item | Rule::step | Rule::group_item => &ITEM_WORDS,
        Rule::kw_report | Rule::report => &["report"],
        Rule::kw_organisation => &["organisation"],
        Rule::kw_period => &["period"],
        Rule::kw_year_start => &["year-start"],
        Rule::kw_defaults | Rule::defaults => &["defaults"],
        Rule::kw_include | Rule::include => &["include"],
        Rule::kw_group | Rule::group => &["group"],
        Rule::kw_measure | Rule::measure => &["measure"],
        Rule::kw_action | Rule::action => &["action"],
        Rule::kw_unit => &["unit"],
        Rule::kw_polarity => &["polarity"],
        Rule::kw_cadence => &["cadence"],
        Rule::kw_owner => &["owner"],
        Rule::kw_lead => &["lead"],
        Rule::kw_lag => &["lag"],
        Rule::kw_tolerance => &["tolerance"],
        Rule::kw_amber => &["amber"],
        Rule::kw_target => &["target"],
        Rule::kw_baseline => &["baseline"],
        Rule::kw_actual => &["actual"],
        Rule::kw_benchmark => &["benchmark"],
        Rule::kw_note => &["note"],
        Rule::kw_status => &["status"],
        Rule::kw_composite => &["composite"],
        Rule::kw_of => &["of"],
        Rule::kw_milestone => &["milestone"],
        Rule::kw_done | Rule::done => &["done"],
        Rule::kw_concern | Rule::concern => &["concern"],
        Rule::provisional => &["provisional"],
        Rule::kw_tbc | Rule::tbc => &["tbc"],
        Rule::unit_word | Rule::unit_money | Rule::kw_money => {
            &["percent", "count", "number", "days", "money"]
        }
        Rule::polarity_word => &["higher", "lower", "target", "none", "tbc"],
        Rule::cadence_word => &["quarterly", "annual"],
        Rule::rag => &["green", "amber", "red", "none"],
        Rule::composite_rule => &["worst", "majority"],
        _ => &[],
    }
}

/// The words that start a top-level item.
const ITEM_WORDS: [&str; 6] = [
    "measure", "group", "action", "defaults", "include", "report",
];

/// Advice for the slips people make most, which need the text around the
/// error to recognise: a decimal comma (`83,4%`), a target or actual
/// without its period (`target 85%`), a quarter before its year
/// (`Q1 2019/20`).
fn slip(text: &str, at: usize, found: &str, positives: &[Rule]) -> Option<String> {
    let expects = |r: Rule| positives.contains(&r);
    let before = &text[..at];
    // The number the error is in: the digits just before `at`, then `found`.
    let digits_before = before
        .bytes()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits_before > 0 {
        let number = format!("{}{found}", &before[before.len() - digits_before..]);
        if let Some(fixed) = decimal_comma(&number) {
            return Some(format!(
                "a comma is not a decimal point here: write `{fixed}`"
            ));
        }
    }
    let previous = before.trim_end();
    let previous = &previous[previous.rfind(char::is_whitespace).map_or(0, |i| i + 1)..];
    let period_expected = expects(Rule::year) || expects(Rule::period) || expects(Rule::actual_row);
    let value_like = found.starts_with(|c: char| c.is_ascii_digit() || c == '-') || found == "tbc";
    if period_expected && value_like && !found.contains('/') {
        let year = year_in(text).unwrap_or("2019/20");
        let (article, field, period) = match previous {
            "target" => ("a", "target", year.to_string()),
            "baseline" => ("a", "baseline", year.to_string()),
            "actual" => ("an", "actual", format!("{year} Q1")),
            _ => ("", "", String::new()),
        };
        if !field.is_empty() {
            return Some(format!(
                "{article} {field} needs its period: `{field} {period} {found}`"
            ));
        }
    }
    if period_expected && is_quarter(found) {
        let after = text[at + found.len()..].trim_start();
        let next: &str = after.split_whitespace().next().unwrap_or("");
        if is_year(next) {
            return Some(format!(
                "write the year first: `{next} {}`",
                found.to_ascii_uppercase()
            ));
        }
    }
    None
}

/// `83.4%` for `83,4%`: a number with one comma followed by other than
/// three digits (three digits, as in `24,500`, are taken to be thousands).
fn decimal_comma(number: &str) -> Option<String> {
    let (whole, rest) = number.split_once(',')?;
    let fraction_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &rest[fraction_len..];
    let plain = whole.bytes().all(|b| b.is_ascii_digit())
        && !whole.is_empty()
        && fraction_len > 0
        && fraction_len != 3
        && matches!(suffix, "" | "%" | "pp");
    plain.then(|| format!("{whole}.{rest}"))
}

/// `Q1` to `Q4`, in either case.
fn is_quarter(word: &str) -> bool {
    matches!(word.as_bytes(), [b'Q' | b'q', b'1'..=b'4'])
}

/// A fiscal year as written in the language: `2019/20`.
fn is_year(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'/'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[5..].iter().all(u8::is_ascii_digit)
}

/// The first fiscal year written in `text`, to make an example of.
fn year_in(text: &str) -> Option<&str> {
    text.split(|c: char| c.is_whitespace() || c == '{' || c == '}')
        .find(|word| is_year(word))
}

/// The word at `at`: up to the next whitespace, at most 24 characters.
fn found(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("");
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    if word.is_empty() {
        rest.chars()
            .next()
            .filter(|c| !c.is_whitespace() || *c == '\n')
            .map(|_| String::new())
            .unwrap_or_default()
    } else {
        word
    }
}

/// The text just before `at`, less the last word (to see what preceded it):
/// for `of A, note 2017/18`, failing at `2017/18`, that is `of A,`.
fn recent(text: &str, at: usize) -> &str {
    let before = text[..at].trim_end();
    let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &before[start..];
    if word
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !word.is_empty()
    {
        &before[..start]
    } else {
        before
    }
}

/// Advice for mistakes people make often.
fn hint(found: &str, error: &Error<Rule>, after_id: bool, before: &str) -> Option<String> {
    let ErrorVariant::ParsingError { positives, .. } = &error.variant else {
        return None;
    };
    let expects = |r: Rule| positives.contains(&r);
    if before.trim_end().ends_with(',')
        && (expects(Rule::ident) || found.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some(
            "a composite's list of components ends without a comma: `composite worst of A, B`"
                .into(),
        );
    }
    if expects(Rule::string) && found.starts_with('{') {
        return Some("a measure or action needs a title in double quotes after its id: `measure CS08 \"Title\" {`".into());
    }
    if expects(Rule::string)
        && after_id
        && found.starts_with(|c: char| !c.is_alphanumeric() && c != '"' && c != '\'')
    {
        let c = found.chars().next().unwrap_or(' ');
        if c == '.' || c == '-' {
            return Some(format!(
                "an id cannot end in `{c}`: end it with a letter or a digit (`1.1.2`, not `1.1.2{c}`)"
            ));
        }
        return Some(format!(
            "ids hold letters, digits, `_`, `-` and `.`; `{c}` cannot be part of an id"
        ));
    }
    if found.starts_with('\'') {
        return Some("strings are written in double quotes: \"like this\"".into());
    }
    if found.starts_with('%') || found.starts_with("pp") {
        return Some("write the suffix right after the number, with no space: `83%`, `5pp`".into());
    }
    if (expects(Rule::value) || expects(Rule::number) || expects(Rule::suffix))
        && found.contains(',')
    {
        return Some(
            "write thousands with `_` (`24_500`) or not at all; a comma is not part of a number"
                .into(),
        );
    }
    if (expects(Rule::value) || expects(Rule::number)) && found.starts_with('.') {
        return Some("write a leading zero: `0.5`".into());
    }
    if found.starts_with(['£', '$', '€']) {
        return Some(
            "write the currency in the unit (`unit money \"£m\"`) and plain numbers in values"
                .into(),
        );
    }
    if expects(Rule::close) && (expects(Rule::kw_target) || expects(Rule::kw_milestone)) {
        return Some("is a `}` missing above, or a field name misspelt?".into());
    }
    if (expects(Rule::year) || expects(Rule::period)) && found.chars().all(|c| c.is_ascii_digit()) {
        return Some(
            "periods are fiscal years, `2017/18`, optionally followed by a quarter: `2017/18 Q1`"
                .into(),
        );
    }
    None
}

const MEASURE_FIELDS: &str =
    "a measure field (`unit`, `polarity`, `target`, `actual`, `note`, `status`, …)";
const SETTINGS: &str =
    "a setting (`unit`, `polarity`, `cadence`, `owner`, `lead`, `lag`, `tolerance` or `amber`)";
const ACTION_FIELDS: &str = "an action field (`owner`, `lead`, `milestone`, `note` or `status`)";
const HEADER_FIELDS: &str = "a header field (`organisation`, `period` or `year-start`)";
const ITEMS: &str = "`measure`, `group`, `action`, `defaults`, `include` or `report`";

/// "a period like `2017/18 Q1` or `}`" for a list of expected rules.
fn expected(positives: &[Rule]) -> String {
    let has = |r: Rule| positives.contains(&r);
    let mut names: Vec<&str> = Vec::new();
    let mut push = |name: &'static str| {
        if !names.contains(&name) {
            names.push(name);
        }
    };
    let measure_body = has(Rule::kw_target) || has(Rule::kw_actual);
    let settings = has(Rule::kw_tolerance) && !measure_body;
    let action_body = has(Rule::kw_milestone);
    let header = has(Rule::kw_organisation);
    let items = has(Rule::kw_measure) || has(Rule::item) || has(Rule::measure);
    for &rule in positives {
        let name = match rule {
            r if is_measure_field(r) && measure_body => MEASURE_FIELDS,
            r if is_setting(r) && settings => SETTINGS,
            r if is_action_field(r) && action_body => ACTION_FIELDS,
            r if is_header_field(r) && header => HEADER_FIELDS,
            r if is_item(r) && items => ITEMS,
            r => human(r),
        };
        push(name);
    }
    match names.as_slice() {
        [] => "something else".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn is_setting(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_unit
            | Rule::kw_polarity
            | Rule::kw_cadence
            | Rule::kw_owner
            | Rule::kw_lead
            | Rule::kw_lag
            | Rule::kw_tolerance
            | Rule::kw_amber
            | Rule::kw_red
            | Rule::kw_year
            | Rule::kw_year_to_date
    )
}

fn is_measure_field(rule: Rule) -> bool {
    is_setting(rule)
        || matches!(
            rule,
            Rule::kw_target
                | Rule::kw_baseline
                | Rule::kw_actual
                | Rule::kw_benchmark
                | Rule::kw_note
                | Rule::kw_status
                | Rule::kw_composite
        )
}

fn is_action_field(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_owner | Rule::kw_lead | Rule::kw_milestone | Rule::kw_note | Rule::kw_status
    )
}

fn is_header_field(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_organisation | Rule::kw_period | Rule::kw_year_start
    )
}

fn is_item(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_report
            | Rule::kw_defaults
            | Rule::kw_include
            | Rule::kw_group
            | Rule::kw_measure
            | Rule::kw_action
            | Rule::item
            | Rule::report
            | Rule::defaults
            | Rule::include
            | Rule::group
            | Rule::measure
            | Rule::action
    )
}

/// The human name of one grammar rule.
fn human(rule: Rule) -> &'static str {
    match rule {
        Rule::ident => "an id like `CS02`",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::number | Rule::value => "a number like `95`, `83%` or `50/66`",
        Rule::denominator => "the whole of a fraction (the `66` in `50/66`)",
        Rule::suffix => "`%` or `pp`",
        Rule::integer => "a whole number",
        Rule::year | Rule::period | Rule::header_period => "a period like `2017/18 Q1`",
        Rule::quarter | Rule::graduated_step => "a quarter `Q1` to `Q4`",
        Rule::month | Rule::year_start => "a month like `april`",
        Rule::open => "`{`",
        Rule::close => "`}`",
        Rule::comma => "`,`",
        Rule::na | Rule::not_available => "`n/a`",
        Rule::tbc | Rule::kw_tbc => "`tbc`",
        Rule::actual_row => "a period like `2017/18 Q1`",
        Rule::unit_word | Rule::unit_money | Rule::kw_money => {
            "a unit (`percent`, `count`, `number`, `days`, `money \"£m\"` or a unit in quotes)"
        }
        Rule::polarity_word => "a polarity (`higher`, `lower`, `target`, `none` or `tbc`)",
        Rule::cadence_word => "`quarterly`, `annual` or `monthly`",
        Rule::rag => "a rating (`green`, `amber`, `red` or `none`)",
        Rule::composite_rule => "`worst` or `majority`",
        Rule::graduated => "`{`",
        Rule::provisional => "`provisional`",
        Rule::done | Rule::kw_done => "`done`",
        Rule::concern | Rule::kw_concern => "`concern`",
        Rule::EOI | Rule::end => "the end of the file",
        Rule::kw_report | Rule::report => "`report`",
        Rule::kw_organisation | Rule::organisation => "`organisation`",
        Rule::kw_period => "`period`",
        Rule::kw_year_start => "`year-start`",
        Rule::kw_defaults | Rule::defaults => "`defaults`",
        Rule::kw_include | Rule::include => "`include`",
        Rule::kw_group | Rule::group => "`group`",
        Rule::kw_measure | Rule::measure => "`measure`",
        Rule::kw_action | Rule::action => "`action`",
        Rule::kw_unit | Rule::unit => "`unit`",
        Rule::kw_polarity | Rule::polarity => "`polarity`",
        Rule::kw_cadence | Rule::cadence => "`cadence`",
        Rule::kw_owner | Rule::owner => "`owner`",
        Rule::kw_lead | Rule::lead => "`lead`",
        Rule::kw_lag | Rule::lag => "`lag`",
        Rule::kw_tolerance | Rule::tolerance => "`tolerance`",
        Rule::kw_amber | Rule::amber => "`amber`",
        Rule::kw_target | Rule::target => "`target`",
        Rule::kw_baseline | Rule::baseline => "`baseline`",
        Rule::kw_actual | Rule::actual | Rule::actual_block => "`actual`",
        Rule::kw_benchmark | Rule::benchmark => "`benchmark`",
        Rule::kw_note | Rule::note => "`note`",
        Rule::kw_status | Rule::status => "`status`",
        Rule::kw_composite | Rule::composite => "`composite`",
        Rule::kw_of => "`of`",
        Rule::kw_milestone | Rule::milestone => "`milestone`",
        Rule::item | Rule::step | Rule::group_item | Rule::group_step => ITEMS,
        Rule::group_head_step | Rule::group_head => "a group",
        Rule::setting => SETTINGS,
        Rule::measure_field => MEASURE_FIELDS,
        Rule::action_field => ACTION_FIELDS,
        Rule::header_field => HEADER_FIELDS,
        Rule::unit_spec => {
            "a unit (`percent`, `count`, `number`, `days`, `money \"£m\"` or a unit in quotes)"
        }
        Rule::target_value => "a target value like `95%`, or `tbc`",
        Rule::milestone_flag => "`done` or `concern`",
        Rule::digits => "a digit",
        Rule::WHITESPACE | Rule::COMMENT | Rule::id_char => "a space",
        Rule::calendar_year => "a calendar year like `2011`",
        Rule::month_name => "a month like `Apr`",
        Rule::kw_red | Rule::red_beyond => "`red beyond`",
        Rule::kw_beyond => "`beyond`",
        Rule::kw_year | Rule::year_kind => "`year`",
        Rule::year_kind_word => "`financial`, `calendar` or `academic`",
        Rule::kw_year_to_date | Rule::year_to_date => "`year-to-date`",
        Rule::lag_unit => "`months` or `quarters`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comma_before_other_than_three_digits_is_a_decimal_comma() {
        assert_eq!(decimal_comma("83,4%").as_deref(), Some("83.4%"));
        assert_eq!(decimal_comma("4,55").as_deref(), Some("4.55"));
        assert_eq!(decimal_comma("2,5pp").as_deref(), Some("2.5pp"));
        // Three digits are thousands: `61,250` gets the thousands advice.
        assert_eq!(decimal_comma("61,250"), None);
        assert_eq!(decimal_comma("83,4x"), None);
        assert_eq!(decimal_comma(",4"), None);
    }

    #[test]
    fn quarters_and_years() {
        assert!(is_quarter("Q1") && is_quarter("q4") && !is_quarter("Q5"));
        assert!(is_year("2019/20") && !is_year("2019/2020") && !is_year("19/20"));
        assert_eq!(year_in("report { period 2018/19 Q2 }"), Some("2018/19"));
    }
}
