//! perfcard must never crash, hang or end without saying why, whatever it
//! is given.
//!
//! 1. Every minimised crash input in tests/fixtures/crashes/ (found by the
//!    fuzz targets or by reading the code, see docs/fuzzing.md) goes through
//!    the pipeline of its fuzz target, in-process and through the real
//!    binary, without panicking or breaking the target's assertions. A file
//!    is named `<target>-<short-name>.perf` (or `.bin`).
//! 2. A bounded fuzz that runs on every `cargo test`: the examples and the
//!    fixtures, mutated at random (byte edits, lines deleted, duplicated and
//!    swapped, keywords, braces, quotes, huge numbers and deep nesting
//!    inserted), go through the library without a panic, and through the
//!    binary, which must exit 0 or 1 within a few seconds, and say why on
//!    stderr when it exits 1.

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;

/// The fuzz targets' own pipelines, shared so that a crash input replays
/// exactly what found it.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod pipelines;

/// How long one run of the binary may take before it counts as a hang.
const TIMEOUT: Duration = Duration::from_secs(5);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.perf` file under `dir`, recursively, sorted.
fn perf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "perf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Runs `f`, turning a panic into its message.
fn no_panic(f: impl FnOnce()) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

/// What one run of the binary did.
struct Run {
    code: Option<i32>,
    stderr: String,
    timed_out: bool,
    elapsed: Duration,
}

/// Runs the real binary with `args`, killing it after [`TIMEOUT`].
fn perfcard(args: &[&str]) -> Run {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Drain stderr on a thread so that a chatty child cannot block on a full pipe.
    let mut pipe = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        text
    });
    let (code, timed_out) = loop {
        if let Some(status) = child.try_wait().expect("waiting for the binary") {
            break (status.code(), false);
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            break (None, true);
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code,
        stderr: reader.join().unwrap_or_default(),
        timed_out,
        elapsed: started.elapsed(),
    }
}

/// The binary's promise: it ends in time, with 0, or with 1 and a message.
fn check_run(what: &str, run: &Run) -> Result<(), String> {
    if run.timed_out {
        return Err(format!("{what}: no answer after {:?}", run.elapsed));
    }
    match run.code {
        Some(0) => Ok(()),
        Some(1) if !run.stderr.trim().is_empty() => Ok(()),
        Some(1) => Err(format!("{what}: exit 1 with nothing on stderr")),
        code => Err(format!(
            "{what}: exit {code:?} (0 or 1 expected)\n--- stderr:\n{}",
            run.stderr
        )),
    }
}

// ---------------------------------------------------------------------------
// 1. The minimised crash inputs
// ---------------------------------------------------------------------------

const TARGETS: [&str; 8] = [
    "parse_check",
    "parse_parallel",
    "report",
    "fmt_roundtrip",
    "diff",
    "escape",
    "import_csv",
    "import_xlsx",
];

fn crashes_dir() -> PathBuf {
    root().join("tests/fixtures/crashes")
}

/// The crash inputs of one target: files named `<target>-*.perf` or `.bin`.
fn crash_inputs(target: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(crashes_dir()) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.split_once('-').is_some_and(|(t, _)| t == target)
                && (name.ends_with(".perf") || name.ends_with(".bin"))
        })
        .collect();
    files.sort();
    files
}

/// The library pipeline of `target` on `data`.
fn run_pipeline(target: &str, data: &[u8]) {
    match target {
        "parse_check" => pipelines::parse_check(data),
        "parse_parallel" => pipelines::parse_parallel(data),
        "report" => pipelines::report(data),
        "fmt_roundtrip" => pipelines::fmt_roundtrip(data),
        "diff" => pipelines::diff(data),
        "escape" => pipelines::escape(data),
        #[cfg(feature = "sheets")]
        "import_csv" => pipelines::import_csv(data),
        #[cfg(feature = "sheets")]
        "import_xlsx" => pipelines::import_xlsx(data),
        #[cfg(not(feature = "sheets"))]
        "import_csv" | "import_xlsx" => {}
        _ => unreachable!("{target}"),
    }
}

/// The commands of the binary that correspond to a target, on `data`
/// (written to files in `dir`).
fn cli_runs(target: &str, data: &[u8], dir: &Path) -> Vec<(String, Run)> {
    let card = dir.join("card.perf");
    let write = |path: &Path, bytes: &[u8]| std::fs::write(path, bytes).unwrap();
    let s = |p: &Path| p.to_string_lossy().into_owned();
    let mut commands: Vec<Vec<String>> = Vec::new();
    match target {
        "parse_check" => {
            write(&card, data);
            commands.push(vec!["check".into(), s(&card)]);
            commands.push(vec![
                "check".into(),
                "--format".into(),
                "json".into(),
                s(&card),
            ]);
        }
        "report" => {
            write(&card, data);
            for format in ["text", "markdown", "json", "csv", "html"] {
                commands.push(vec![
                    "report".into(),
                    s(&card),
                    "--format".into(),
                    format.into(),
                ]);
            }
        }
        "fmt_roundtrip" => {
            write(&card, data);
            commands.push(vec!["fmt".into(), "--check".into(), s(&card)]);
            commands.push(vec!["fmt".into(), s(&card)]);
            commands.push(vec!["fmt".into(), "--check".into(), s(&card)]);
        }
        "diff" => {
            let (a, b) = data.split_at(data.len() / 2);
            let (old, new) = (dir.join("old.perf"), dir.join("new.perf"));
            write(&old, a);
            write(&new, b);
            for format in ["text", "markdown", "json"] {
                commands.push(vec![
                    "diff".into(),
                    s(&old),
                    s(&new),
                    "--format".into(),
                    format.into(),
                ]);
                commands.push(vec![
                    "diff".into(),
                    s(&new),
                    s(&old),
                    "--format".into(),
                    format.into(),
                ]);
            }
            commands.push(vec![
                "diff".into(),
                s(&old),
                s(&new),
                "--all-periods".into(),
            ]);
        }
        "import_csv" | "import_xlsx" => {
            let name = if target == "import_csv" {
                "figures.csv"
            } else {
                "figures.xlsx"
            };
            let card = sheet_card(dir);
            write(&dir.join(name), data);
            commands.push(vec![
                "import".into(),
                s(&card),
                s(&dir.join(name)),
                "--dry-run".into(),
            ]);
        }
        _ => {}
    }
    commands
        .into_iter()
        .map(|args| {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let run = perfcard(&refs);
            (format!("perfcard {}", args.join(" ")), run)
        })
        .collect()
}

/// Replays every crash input of `target`, collecting every failure.
fn replay(target: &str) {
    let mut failures = Vec::new();
    for path in crash_inputs(target) {
        let data = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Err(message) = no_panic(|| run_pipeline(target, &data)) {
            failures.push(format!("{name}: the {target} pipeline panicked: {message}"));
        }
        let dir = tempfile::tempdir().unwrap();
        for (what, run) in cli_runs(target, &data, dir.path()) {
            if let Err(message) = check_run(&what, &run) {
                failures.push(format!("{name}: {message}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failure(s) replaying tests/fixtures/crashes/{target}-*:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn crash_inputs_are_named_after_a_target() {
    let Ok(entries) = std::fs::read_dir(crashes_dir()) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        let target = name.split_once('-').map(|(t, _)| t);
        assert!(
            target.is_some_and(|t| TARGETS.contains(&t))
                && (name.ends_with(".perf") || name.ends_with(".bin")),
            "{name}: crash inputs are named <target>-<short-name>.perf or .bin, the target one of {TARGETS:?}"
        );
    }
}

#[test]
fn crashes_parse_check() {
    replay("parse_check");
}

#[test]
fn crashes_parse_parallel() {
    replay("parse_parallel");
}

#[test]
fn crashes_report() {
    replay("report");
}

#[test]
fn crashes_fmt_roundtrip() {
    replay("fmt_roundtrip");
}

#[test]
fn crashes_diff() {
    replay("diff");
}

#[test]
fn crashes_escape() {
    replay("escape");
}

#[test]
fn crashes_import_csv() {
    replay("import_csv");
}

#[test]
fn crashes_import_xlsx() {
    replay("import_xlsx");
}

/// A copy of the spreadsheet tests' scorecard in `dir`; its root file.
fn sheet_card(dir: &Path) -> PathBuf {
    let from = root().join("tests/fixtures/sheets/card");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir.join("card.perf")
}

// ---------------------------------------------------------------------------
// 2. The bounded fuzz
// ---------------------------------------------------------------------------

/// The files mutated: the examples and every fixture (clean and broken).
fn seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut files = perf_files(&root().join("examples"));
        for dir in ["ok", "language", "fmt", "errors"] {
            files.extend(perf_files(&root().join("tests/fixtures").join(dir)));
        }
        assert!(files.len() > 50, "the seeds were found");
        files
            .into_iter()
            .map(|p| {
                let name = p.strip_prefix(root()).unwrap().display().to_string();
                (name, std::fs::read(&p).unwrap())
            })
            .collect()
    })
}

/// Text worth inserting: keywords, punctuation, odd numbers and periods.
const TOKENS: &[&str] = &[
    "report",
    "organisation",
    "period",
    "year-start",
    "defaults",
    "include",
    "group",
    "measure",
    "action",
    "unit",
    "percent",
    "count",
    "number",
    "days",
    "money",
    "polarity",
    "higher",
    "lower",
    "target",
    "none",
    "tbc",
    "cadence",
    "quarterly",
    "annual",
    "owner",
    "lead",
    "lag",
    "tolerance",
    "amber",
    "baseline",
    "actual",
    "benchmark",
    "note",
    "status",
    "green",
    "red",
    "composite",
    "worst",
    "majority",
    "of",
    "milestone",
    "done",
    "concern",
    "provisional",
    "n/a",
    "{",
    "}",
    "{ }",
    "\"",
    "\"\"",
    "\"x\"",
    "\\",
    "\\n",
    "\\\"",
    ",",
    "//",
    "\n",
    "\r\n",
    "\t",
    " ",
    "%",
    "pp",
    "/",
    "_",
    "-",
    "+",
    ".",
    "0",
    "1",
    "-1",
    "0.5",
    "50/66",
    "1/0",
    "0/0",
    "5pp",
    "83%",
    "-0",
    "24_500",
    "99999999999999999999999999999",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "0.0000000000000000000000000001",
    "1.00000000000000000000000000001",
    "3.3333333333333333333333333333%",
    "123456789012345678901234567890",
    "18446744073709551616",
    "1e10",
    "NaN",
    "inf",
    "2017/18",
    "2017/18 Q1",
    "2017/18 Q4",
    "2016/17",
    "0000/01",
    "9999/00",
    "9999/00 Q4",
    "0000/01 Q1",
    "2017/19",
    "17/18",
    "2017/18 Q0",
    "2017/18 Q5",
    "2017/18 q1",
    "2017/18 Q99999999999",
    "april",
    "january",
    "M1",
    "CT01",
    "\u{FEFF}",
    "\u{0}",
    "é",
    "£",
    "\u{2028}",
    "🟢",
    "<script>",
    "&amp;",
    "|",
    "*",
    "`",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Overwrite one byte.
    Byte(usize, u8),
    /// Insert a token.
    Token(usize, usize),
    /// Insert `{`-opening groups (or bare braces), many deep.
    Nest(usize, usize, bool),
    /// Insert a long run of one character (a huge number or string).
    Run(usize, char, usize),
    /// Delete a stretch of bytes.
    Delete(usize, usize),
    /// Delete, duplicate or move a line.
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// Cut the file short.
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = any::<usize>();
    prop_oneof![
        4 => (at, any::<u8>()).prop_map(|(a, b)| Mutation::Byte(a, b)),
        2 => (at, prop::sample::select(b"{}\"\\/%\n0123456789.-_Q ".to_vec())).prop_map(|(a, b)| Mutation::Byte(a, b)),
        5 => (at, 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Token(a, t)),
        1 => (at, 1usize..60, any::<bool>()).prop_map(|(a, n, g)| Mutation::Nest(a, n, g)),
        1 => (at, prop::sample::select(vec!['9', '0', 'a', '"', '{', '}', ' ', '\n', '/']), 1usize..4000)
            .prop_map(|(a, c, n)| Mutation::Run(a, c, n)),
        2 => (at, 1usize..64).prop_map(|(a, n)| Mutation::Delete(a, n)),
        2 => at.prop_map(Mutation::DeleteLine),
        2 => at.prop_map(Mutation::DuplicateLine),
        2 => (at, any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => at.prop_map(Mutation::Truncate),
    ]
}

/// Splits into lines, each keeping its line break.
fn lines(data: &[u8]) -> Vec<Vec<u8>> {
    data.split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

fn apply(data: &mut Vec<u8>, m: &Mutation) {
    let pos = |at: usize, len: usize| if len == 0 { 0 } else { at % (len + 1) };
    match *m {
        Mutation::Byte(at, b) => {
            if !data.is_empty() {
                let i = at % data.len();
                data[i] = b;
            }
        }
        Mutation::Token(at, t) => {
            let i = pos(at, data.len());
            let token = format!(" {} ", TOKENS[t]);
            data.splice(i..i, token.bytes());
        }
        Mutation::Nest(at, n, groups) => {
            let i = pos(at, data.len());
            let open = if groups { "group \"g\" { " } else { "{ " };
            let text = format!("{}{}", open.repeat(n), "} ".repeat(n));
            data.splice(i..i, text.bytes());
        }
        Mutation::Run(at, c, n) => {
            let i = pos(at, data.len());
            let text: String = std::iter::repeat_n(c, n).collect();
            data.splice(i..i, text.bytes());
        }
        Mutation::Delete(at, n) => {
            let i = pos(at, data.len());
            let end = (i + n).min(data.len());
            data.drain(i..end);
        }
        Mutation::DeleteLine(at) | Mutation::DuplicateLine(at) => {
            let mut ls = lines(data);
            if !ls.is_empty() {
                let i = at % ls.len();
                if matches!(m, Mutation::DeleteLine(_)) {
                    ls.remove(i);
                } else {
                    let line = ls[i].clone();
                    ls.insert(i, line);
                }
                *data = ls.concat();
            }
        }
        Mutation::SwapLines(a, b) => {
            let mut ls = lines(data);
            if !ls.is_empty() {
                let n = ls.len();
                ls.swap(a % n, b % n);
                *data = ls.concat();
            }
        }
        Mutation::Truncate(at) => {
            let i = pos(at, data.len());
            data.truncate(i);
        }
    }
}

/// A seed and the mutations made to it.
fn mutated() -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (0..seeds().len(), prop::collection::vec(mutation(), 1..6))
}

fn make(seed: usize, mutations: &[Mutation]) -> (String, Vec<u8>, Vec<u8>) {
    let (name, original) = &seeds()[seed];
    let mut data = original.clone();
    for m in mutations {
        apply(&mut data, m);
    }
    (name.clone(), original.clone(), data)
}

/// `cases` per run, unless `PROPTEST_CASES` asks for more (for a longer
/// run by hand: `PROPTEST_CASES=5000 cargo test --test robustness`).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // A failing case is reported as found; shrinking through the
        // binary would take minutes.
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    }
}

/// A named step of the pipeline, run under `catch_unwind`.
type Step<'a> = (&'a str, Box<dyn Fn() + 'a>);

proptest! {
    #![proptest_config(config(96))]

    /// The library: parse and check, report in every format, fmt round
    /// trip, diff against the original, and the escapers, never panic (and
    /// keep the fuzz targets' promises).
    #[test]
    fn mutated_files_never_panic_the_library((seed, mutations) in mutated()) {
        let (name, original, data) = make(seed, &mutations);
        let text = String::from_utf8_lossy(&data).into_owned();
        let original = String::from_utf8_lossy(&original).into_owned();
        let line = text.lines().next().unwrap_or_default().to_string();
        let steps: [Step; 6] = [
            ("parse_check", Box::new(|| pipelines::parse_check(&data))),
            ("report", Box::new(|| pipelines::report(&data))),
            ("fmt_roundtrip", Box::new(|| pipelines::fmt_roundtrip(&data))),
            ("diff old→new", Box::new(|| pipelines::diff_texts(&original, &text))),
            ("diff new→old", Box::new(|| pipelines::diff_texts(&text, &original))),
            ("escape", Box::new(|| pipelines::escape(line.as_bytes()))),
        ];
        for (what, step) in steps {
            let result = no_panic(step);
            prop_assert!(result.is_ok(), "{what} panicked on {name} mutated by {mutations:?}: {}\n--- input:\n{text}", result.unwrap_err());
        }
    }
}

proptest! {
    #![proptest_config(config(20))]

    /// The binary: `check`, `report` (in a format chosen by the case), `fmt
    /// --check` and `diff` against the original each end within the time
    /// limit with 0, or with 1 and a message on stderr.
    #[test]
    fn mutated_files_never_crash_the_binary((seed, mutations) in mutated(), format in 0usize..5) {
        let (name, original, data) = make(seed, &mutations);
        let dir = tempfile::tempdir().unwrap();
        let (card, old) = (dir.path().join("card.perf"), dir.path().join("old.perf"));
        std::fs::write(&card, &data).unwrap();
        std::fs::write(&old, &original).unwrap();
        let (card, old) = (card.to_string_lossy().into_owned(), old.to_string_lossy().into_owned());
        let format = ["text", "markdown", "json", "csv", "html"][format];
        let commands: [Vec<&str>; 4] = [
            vec!["check", &card],
            // A period, so that a file without one is not a usage error (exit 2).
            vec!["report", &card, "--period", "2017/18 Q1", "--format", format],
            vec!["fmt", "--check", &card],
            vec!["diff", &old, &card],
        ];
        for args in commands {
            let run = perfcard(&args);
            let what = format!("perfcard {} ({name} mutated by {mutations:?})", args.join(" "));
            let verdict = check_run(&what, &run);
            prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
        }
    }
}

// ---------------------------------------------------------------------------
// 3. The bounded fuzz of the sheet readers (`import`)
// ---------------------------------------------------------------------------

/// Sheets to mutate: CSV files in each encoding and shape, and workbooks
/// (XLSX made here, XLS and ODS made by LibreOffice).
#[cfg(feature = "sheets")]
fn sheet_seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let fixtures = root().join("tests/fixtures/sheets");
        let mut seeds: Vec<(String, Vec<u8>)> = ["figures.csv", "percent.csv", "figures.xls", "figures.ods", "percent.ods"]
            .iter()
            .map(|n| (n.to_string(), std::fs::read(fixtures.join(n)).unwrap()))
            .collect();
        seeds.push((
            "long.csv".into(),
            b"\xEF\xBB\xBFid,period,actual,provisional,note\nP1,Q1 2018/19,83.4%,yes,\"Up, a little\"\nC1,2018/19 Q1,0.3,,\nM1,2018/19 Q1,n/a,,Ledger closed late\nN1,Apr-Jun 2018,\"1,234\",,Summer\n".to_vec(),
        ));
        seeds.push((
            "wide.csv".into(),
            b"Ref;Measure;Apr-Jun 2018;Q2 2018/19\nN1;Library \xA3;1,200;\nP1;Repairs;91.5%;92%\n".to_vec(),
        ));
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        for (c, h) in ["id", "period", "value", "note"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        sheet.write_string(1, 0, "P1").unwrap();
        sheet.write_string(1, 1, "2018/19 Q1").unwrap();
        sheet.write_number_with_format(1, 2, 0.834, &percent).unwrap();
        sheet.write_string(2, 0, "C1").unwrap();
        sheet.write_string(2, 1, "2018/19 Q1").unwrap();
        sheet
            .write_formula(2, 2, rust_xlsxwriter::Formula::new("=0.1+0.2").set_result("0.30000000000000004"))
            .unwrap();
        sheet.write_string(3, 0, "N1").unwrap();
        sheet.write_string(3, 1, "Apr-Jun 2018").unwrap();
        sheet.write_number(3, 2, 1234).unwrap();
        sheet.write_string(3, 3, "Summer").unwrap();
        seeds.push(("long.xlsx".into(), book.save_to_buffer().unwrap()));
        seeds
    })
}

#[cfg(feature = "sheets")]
fn mutated_sheet() -> impl Strategy<Value = (usize, Vec<Mutation>)> {
    (
        0..sheet_seeds().len(),
        prop::collection::vec(mutation(), 0..4),
    )
}

#[cfg(feature = "sheets")]
proptest! {
    #![proptest_config(config(96))]

    /// The readers and the import, in memory: no panic, and every accepted
    /// sheet gives files that check and only insert (see
    /// fuzz/src/lib.rs, `import_sheet`).
    #[test]
    fn mutated_sheets_never_panic_the_import((seed, mutations) in mutated_sheet()) {
        let (name, original) = &sheet_seeds()[seed];
        let mut data = original.clone();
        for m in &mutations {
            apply(&mut data, m);
        }
        let csv = name.ends_with(".csv");
        let result = no_panic(|| if csv { pipelines::import_csv(&data) } else { pipelines::import_xlsx(&data) });
        prop_assert!(result.is_ok(), "importing {name} mutated by {mutations:?} panicked: {}", result.unwrap_err());
    }
}

#[cfg(feature = "sheets")]
proptest! {
    #![proptest_config(config(12))]

    /// The binary: `import` ends within the time limit with 0 (and the
    /// scorecard still checks) or 1 (and no file changed).
    #[test]
    fn mutated_sheets_never_half_write((seed, mutations) in mutated_sheet()) {
        let (name, original) = &sheet_seeds()[seed];
        let mut data = original.clone();
        for m in &mutations {
            apply(&mut data, m);
        }
        let dir = tempfile::tempdir().unwrap();
        let card = sheet_card(dir.path());
        let sheet = dir.path().join(name);
        std::fs::write(&sheet, &data).unwrap();
        let snapshot = |dir: &Path| -> Vec<(PathBuf, Vec<u8>)> {
            let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| {
                let p = e.unwrap().path();
                let bytes = std::fs::read(&p).unwrap();
                (p, bytes)
            }).collect();
            files.sort();
            files
        };
        let before = snapshot(dir.path());
        let (card, sheet) = (card.to_string_lossy().into_owned(), sheet.to_string_lossy().into_owned());
        let run = perfcard(&["import", &card, &sheet]);
        let what = format!("perfcard import ({name} mutated by {mutations:?})");
        let verdict = check_run(&what, &run);
        prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
        if run.code == Some(1) {
            prop_assert_eq!(snapshot(dir.path()), before, "{}: refused, yet a file changed", what);
        } else {
            let check = perfcard(&["check", &card]);
            prop_assert_eq!(check.code, Some(0), "{}: the imported scorecard does not check: {}", what, check.stderr);
        }
    }
}
