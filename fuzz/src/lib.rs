//! The pipelines the fuzz targets drive, one public function per target.
//!
//! Each takes the fuzzer's bytes, runs one part of perfcard on them and
//! panics (through `assert!`) when a promise is broken. The same file is
//! compiled into the test suite (`tests/robustness.rs` includes it with
//! `#[path]`), so that every minimised crash in `tests/fixtures/crashes/`
//! is replayed through exactly the code that found it. It may therefore use
//! only `perfcard` and `serde_json`, which both crates have.
//!
//! See docs/fuzzing.md for how to run the targets.

use perfcard::check_files;
use perfcard::Checked;

use perfcard::format::format;
use perfcard::period::Period;
use perfcard::render;
use perfcard::render::diagnostics;
use perfcard::report::{self, Report};
use perfcard::FileId;
use perfcard::Loaded;
use perfcard::{parse, parse_sequential};

/// The name the fuzzed file is checked under.
pub const FILE: &str = "card.perf";

/// The period reported when the file's header names none.
pub const DEFAULT_PERIOD: &str = "2017/18 Q1";

/// The fuzzer's bytes as the CLI would read a file's text: invalid UTF-8
/// becomes U+FFFD (the CLI's `check` reports it; the library takes `&str`).
pub fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// A width the CLI could lay text out in (`COLUMNS` is at least 40).
fn width(text: &str) -> usize {
    40 + text.len() % 160
}

fn default_period() -> Period {
    DEFAULT_PERIOD.parse().expect("the default period parses")
}

/// Checks one file, as `perfcard check` does, and renders its diagnostics.
pub fn check(text: &str) -> (Loaded, Checked) {
    let (loaded, checked) = check_files(&[(FILE, text)]).expect("the root is in memory");
    let shown = diagnostics::to_text(&checked.diagnostics, &loaded.sources, false, width(text));
    assert!(
        checked.diagnostics.is_empty() || !shown.is_empty(),
        "diagnostics rendered as nothing"
    );
    let json = diagnostics::to_json(&checked.diagnostics, &loaded.sources);
    let value: serde_json::Value = serde_json::from_str(&json).expect("diagnostics JSON parses");
    assert_eq!(
        value.as_array().map(Vec::len),
        Some(checked.diagnostics.len()),
        "one JSON diagnostic per diagnostic"
    );
    let _ = diagnostics::summary(&checked.diagnostics, loaded.sources.len());
    (loaded, checked)
}

/// `parse_check`: any bytes are parsed and checked without panicking, and
/// the diagnostics render as text and as JSON that parses.
pub fn parse_check(data: &[u8]) {
    let text = text(data);
    let parsed = parse(FileId(0), &text);
    assert!(
        !parsed.syntax_errors || parsed.diagnostics.iter().any(|d| d.is_error()),
        "a syntax error without an error diagnostic"
    );
    let (_, checked) = check(&text);
    if parsed.syntax_errors {
        assert!(checked.has_errors(), "the checker lost a syntax error");
    }
}

/// The size from which the parser cuts a file into parts parsed on their
/// own threads (`PARALLEL_FROM` in src/parser.rs).
pub const PARALLEL_FROM: usize = 256 * 1024;

/// A comment line: comments are never places the parser cuts a file.
const FILLER: &str = "// filler that makes the file large enough to be parsed in parallel\n";

/// `parse_parallel`: a large file parses exactly as it does on one thread
/// (items, spans, diagnostics, syntax errors, comments). The first two
/// bytes choose where in the rest of the input the cut should fall; the
/// rest is framed by comment lines (never cut points) so that the file is
/// over [`PARALLEL_FROM`] and its middle, where a two-core machine cuts,
/// is that far into the input.
pub fn parse_parallel(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let input = text(rest);
    let k = usize::from(u16::from_le_bytes(*head)) % (input.len() + 1);
    let before = FILLER.repeat((PARALLEL_FROM / 2 + input.len()) / FILLER.len() + 1);
    // The file is `total` bytes long, so its middle is `k` bytes into the
    // input (`before` is longer than the input, so `after` is not negative).
    let total = 2 * (before.len() + k);
    let after_len = total - (before.len() + input.len() + 1);
    let after = FILLER.repeat(after_len / FILLER.len()) + &" ".repeat(after_len % FILLER.len());
    let text = format!("{before}{input}\n{after}");
    debug_assert_eq!(text.len(), total);
    let parallel = parse(FileId(0), &text);
    let sequential = parse_sequential(FileId(0), &text);
    assert_eq!(
        format!("{:?}", parallel.document),
        format!("{:?}", sequential.document),
        "the document differs when parsed in parallel"
    );
    assert_eq!(
        format!("{:?}", parallel.diagnostics),
        format!("{:?}", sequential.diagnostics),
        "the diagnostics differ when parsed in parallel"
    );
    assert_eq!(parallel.syntax_errors, sequential.syntax_errors);
    assert_eq!(
        format!("{:?}", parallel.comments),
        format!("{:?}", sequential.comments)
    );
}

/// Every report format of a checked model, at `period`. The JSON must parse
/// and be byte-identical when rendered again, and the streamed JSON (what
/// `perfcard report --format json` writes) must be the same bytes.
pub fn render_all(checked: &Checked, period: Period, width: usize) -> Vec<String> {
    let build = || report::build(&checked.model, period);
    let report: Report = build();
    let json = render::json::render(&report);
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON report parses");
    assert_eq!(
        json,
        render::json::render(&build()),
        "JSON differs on a second render"
    );
    let mut streamed = Vec::new();
    render::json::write(
        &perfcard::report::stream(&checked.model, period),
        &mut streamed,
    )
    .expect("writing to a Vec");
    assert_eq!(
        String::from_utf8_lossy(&streamed),
        json,
        "streamed JSON differs from the rendered JSON"
    );
    let csv = render::csv::render(&report).expect("CSV into memory cannot fail");
    vec![
        json,
        render::text::render(&report, false, width),
        render::text::render(&report, true, width),
        render::markdown::render(&report),
        csv,
        render::html::render(&report),
    ]
}

/// `report`: if the file checks without errors, its report at the header's
/// period (else 2017/18 Q1) renders in every format, and every id explains.
pub fn report(data: &[u8]) {
    let text = text(data);
    let (_, checked) = check_files(&[(FILE, &text)]).expect("the root is in memory");
    if checked.has_errors() {
        return;
    }
    let period = checked.model.header.period.unwrap_or_else(default_period);
    render_all(&checked, period, width(&text));
    let ids = checked
        .model
        .measures
        .iter()
        .map(|m| m.id.as_str())
        .chain(checked.model.actions.iter().map(|a| a.id.as_str()));
    for id in ids.take(8) {
        let _ = perfcard::explain(&checked.model, id, period);
    }
}

/// The comments of a file, as in tests/fmt.rs.
pub fn comments(text: &str) -> Vec<String> {
    parse(FileId(0), text)
        .comments
        .iter()
        .map(|s| text[s.start()..s.end()].trim_end().to_string())
        .collect()
}

/// `fmt_roundtrip`: a file that parses without errors formats to a file
/// without syntax errors, with an equal document (spans are ignored by
/// equality), the same comments in the same order, and formatting it again
/// changes nothing.
///
/// The gate is "no error diagnostic from the parser", not only "no syntax
/// error": `format` requires it (see its doc comment) and `perfcard fmt`
/// refuses such files (src/cli/fmt.rs). A parse error that is not a syntax
/// error (a quarter `Q5`, say) drops the offending row from the document,
/// and formatting would then drop it from the text.
pub fn fmt_roundtrip(data: &[u8]) {
    let text = text(data);
    let parsed = parse(FileId(0), &text);
    if parsed.syntax_errors || parsed.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    let once = format(&text, &parsed);
    let reparsed = parse(FileId(0), &once);
    assert!(
        !reparsed.syntax_errors,
        "the formatted file has syntax errors: {:?}\n--- formatted:\n{once}",
        reparsed.diagnostics
    );
    assert!(
        reparsed.document == parsed.document,
        "formatting changed the document\n--- before: {:?}\n--- after: {:?}\n--- formatted:\n{once}",
        parsed.document,
        reparsed.document
    );
    assert_eq!(
        comments(&once),
        comments(&text),
        "formatting lost or moved comments"
    );
    let twice = format(&once, &reparsed);
    assert_eq!(twice, once, "formatting is not idempotent");
}

/// `diff`: the input's two halves (by bytes) are the old and new files; see
/// [`diff_texts`].
pub fn diff(data: &[u8]) {
    let (a, b) = data.split_at(data.len() / 2);
    diff_texts(&text(a), &text(b));
}

/// If both files check without errors, both directions diff (at the new
/// header's period, else the old's, else 2017/18 Q1, and at every period
/// with data, as `--all-periods` does) and render in every format (the
/// JSON must parse), and a model diffed with itself shows no change.
pub fn diff_texts(a: &str, b: &str) {
    let (_, old) = check_files(&[(FILE, a)]).expect("the root is in memory");
    if old.has_errors() {
        return;
    }
    let (_, new) = check_files(&[(FILE, b)]).expect("the root is in memory");
    if new.has_errors() {
        return;
    }
    let period = new
        .model
        .header
        .period
        .or(old.model.header.period)
        .unwrap_or_else(default_period);
    for (x, y) in [(&old, &new), (&new, &old)] {
        let all = perfcard::diff::all_periods(&x.model, &y.model);
        for periods in [&[period][..], &all[..]] {
            let d = perfcard::diff(&x.model, &y.model, periods);
            let _ = d.summary();
            let _ = render::diff::text(&d, false);
            let _ = render::diff::text(&d, true);
            let _ = render::diff::markdown(&d);
            let json = render::diff::json(&d);
            serde_json::from_str::<serde_json::Value>(&json).expect("the diff JSON parses");
        }
    }
    let same = perfcard::diff(&new.model, &new.model, &[period]);
    assert!(
        same.is_empty(),
        "a model differs from itself: {:?}",
        same.changes
    );
}

/// Brackets the fuzzed text wherever the template uses it.
const OPEN: &str = "QZXOPEN";
const CLOSE: &str = "QZXCLOSE";

/// Every stretch of `output` between an [`OPEN`] and the next [`CLOSE`]
/// (with no other [`OPEN`] between: the renderer may have cut a title).
fn bracketed(output: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = output;
    while let Some(start) = rest.find(OPEN) {
        rest = &rest[start + OPEN.len()..];
        let close = rest.find(CLOSE);
        let next_open = rest.find(OPEN);
        match close {
            Some(c) if next_open.is_none_or(|o| c < o) => {
                found.push(&rest[..c]);
                rest = &rest[c + CLOSE.len()..];
            }
            _ => {}
        }
    }
    found
}

/// The positions of `|` in Markdown `text` that no backslash escapes.
fn unescaped_pipes(text: &str) -> Vec<usize> {
    let mut pipes = Vec::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => pipes.push(i),
            _ => {}
        }
    }
    pipes
}

/// The scorecard the `escape` target reports on: `{s}` is a string literal.
fn template(s: &str) -> String {
    format!(
        r#"report {s} {{ organisation {s} period 2017/18 Q1 }}
group {s} {{
  measure M1 {s} {{
    unit {s}
    polarity higher
    owner {s}
    lead {s}
    target 2017/18 10
    baseline 2016/17 3
    actual {{ 2016/17 Q4 4  2017/18 Q1 5 }}
    benchmark {s} 2016/17 4
    note 2017/18 Q1 {s}
  }}
  action A1 {s} {{
    owner {s}
    milestone 2017/18 Q1 {s} concern {s}
    note 2017/18 Q1 {s}
    status 2017/18 Q1 amber {s}
  }}
}}
"#
    )
}

/// `escape`: Markdown's escaper leaves no unescaped `|` and no line break;
/// a report whose every title, note and name is the fuzzed text shows it
/// in HTML with no raw `<`, `>` or `"`, and in Markdown (the report's, and
/// that of a diff that changes a target) on one line with no unescaped `|`.
pub fn escape(data: &[u8]) {
    let input = text(data);
    let escaped = render::markdown::escape(&input);
    assert!(
        !escaped.contains('\n') && !escaped.contains('\r'),
        "a line break survives escaping: {escaped:?}"
    );
    assert!(
        unescaped_pipes(&escaped).is_empty(),
        "an unescaped `|` in {escaped:?}"
    );

    let user = input.replace(OPEN, "").replace(CLOSE, "");
    let literal = perfcard::format::string(&format!("{OPEN}{user}{CLOSE}"));
    let card = template(&literal);
    let (_, checked) = check_files(&[(FILE, &card)]).expect("the root is in memory");
    if checked.has_errors() {
        return;
    }
    let report = report::build(&checked.model, default_period());
    let html = render::html::render(&report);
    let shown = bracketed(&html);
    assert!(!shown.is_empty(), "the HTML report shows none of the text");
    for s in shown {
        assert!(!s.contains('<'), "a raw `<` in the HTML report: {s:?}");
        assert!(!s.contains('>'), "a raw `>` in the HTML report: {s:?}");
        assert!(!s.contains('"'), "a raw `\"` in the HTML report: {s:?}");
    }
    // The diff's Markdown too: the measure's target changes, its titles stay.
    let (_, changed) = check_files(&[(
        FILE,
        &card.replace("target 2017/18 10", "target 2017/18 12"),
    )])
    .expect("the root is in memory");
    let changes = perfcard::diff(&checked.model, &changed.model, &[default_period()]);
    assert!(!changes.is_empty(), "the changed target is not in the diff");
    let markdown = render::markdown::render(&report) + &render::diff::markdown(&changes);
    for s in bracketed(&markdown) {
        assert!(
            !s.contains('\n') && !s.contains('\r'),
            "a line break in the Markdown report: {s:?}"
        );
        assert!(
            unescaped_pipes(s).is_empty(),
            "an unescaped `|` in the Markdown report: {s:?}"
        );
    }
}

/// The scorecard the sheet fuzz targets import into: the fixture of
/// tests/sheets.rs (two files, an include, every way a row is placed).
#[cfg(feature = "sheets")]
pub const SHEET_CARD: [(&str, &str); 2] = [
    (
        "card.perf",
        include_str!("../../tests/fixtures/sheets/card/card.perf"),
    ),
    (
        "services.perf",
        include_str!("../../tests/fixtures/sheets/card/services.perf"),
    ),
];

/// `import_csv` and `import_xlsx`: any bytes read as a sheet and imported
/// (in memory) into [`SHEET_CARD`] never panic; a sheet is either refused
/// with at least one problem, or gives files that check without errors
/// and differ from the old ones only by insertions (no existing byte is
/// rewritten without `--restate`), and what it refuses is refused whole.
#[cfg(feature = "sheets")]
pub fn import_sheet(name: &str, data: &[u8]) {
    use perfcard::sheets::import::{self, Options, Refused};
    let Ok(sheet) = import::read_sheet(name, data, None) else {
        return;
    };
    let (loaded, before) = check_files(&SHEET_CARD).expect("the root is in memory");
    assert!(!before.has_errors(), "the fuzz scorecard has errors");
    match import::prepare(&loaded, &before, &sheet.grid, &Options::default()) {
        Err(Refused::Sheet(problems)) => {
            assert!(!problems.is_empty(), "refused without a problem");
            for p in &problems {
                assert!(!p.to_string().is_empty(), "a problem with no message");
            }
        }
        Err(Refused::Result(_)) => {}
        Ok(prepared) => {
            assert!(
                !prepared.after.checked.has_errors(),
                "an import accepted with errors in the result"
            );
            for edit in &prepared.edits {
                let mut new = edit.new.chars();
                assert!(
                    edit.old.chars().all(|c| new.any(|n| n == c)),
                    "{}: an existing byte was rewritten",
                    edit.name
                );
            }
            let _ = render::diff::text(&prepared.diff, false);
        }
    }
}

/// `import_csv`: the bytes as a CSV file.
#[cfg(feature = "sheets")]
pub fn import_csv(data: &[u8]) {
    import_sheet("figures.csv", data);
}

/// `import_xlsx`: the bytes as a workbook (XLSX, or whatever calamine
/// recognises them as).
#[cfg(feature = "sheets")]
pub fn import_xlsx(data: &[u8]) {
    import_sheet("figures.xlsx", data);
}
