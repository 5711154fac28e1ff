//! `perfcard fmt`: one layout, nothing lost, meaning unchanged, stable.

use std::path::PathBuf;

use perfcard::format::format;
use perfcard::parse;
use perfcard::render;
use perfcard::report;
use perfcard::FileId;
use perfcard::{Disk, Memory};
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every .perf file of the examples and the clean fixtures.
fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        "examples",
        "examples/tutorial",
        "examples/portsmouth-2017-q1",
        "tests/fixtures/language",
        "tests/fixtures/ok",
        "tests/fixtures/fmt",
    ] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "perf") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 15, "the corpus was found");
    files
}

fn fmt(text: &str) -> String {
    let parsed = parse(FileId(0), text);
    assert!(!parsed.syntax_errors, "{text}");
    format(text, &parsed)
}

fn comments(text: &str) -> Vec<String> {
    let parsed = parse(FileId(0), text);
    parsed
        .comments
        .iter()
        .map(|s| text[s.start()..s.end()].trim_end().to_string())
        .collect()
}

#[test]
fn idempotent_over_the_corpus() {
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let once = fmt(&text);
        assert_eq!(
            fmt(&once),
            once,
            "formatting {} twice changes it",
            path.display()
        );
    }
}

#[test]
fn keeps_every_comment_in_order() {
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(comments(&fmt(&text)), comments(&text), "{}", path.display());
    }
}

#[test]
fn the_tree_is_unchanged() {
    for path in corpus() {
        let text = std::fs::read_to_string(&path).unwrap();
        let before = parse(FileId(0), &text).document;
        let after = parse(FileId(0), &fmt(&text)).document;
        assert_eq!(before, after, "{}", path.display());
    }
}

/// The report of the formatted files is byte-identical, in every format.
#[test]
fn the_report_is_unchanged() {
    for root_file in [
        "examples/havering-2017-q1.perf",
        "examples/portsmouth-2017-q1/portsmouth.perf",
        "examples/tutorial/scorecard.perf",
    ] {
        let path = root().join(root_file);
        let original = perfcard::load(&Disk, &path, root_file).unwrap();
        let mut formatted = Memory::default();
        for (_, file) in original.sources.files() {
            formatted = formatted.with(file.path.clone(), fmt(&file.text));
        }
        let resolved = std::fs::canonicalize(&path).unwrap();
        let reformatted = perfcard::load(&formatted, &resolved, root_file).unwrap();
        let render_all = |loaded: &perfcard::Loaded| {
            let checked = perfcard::check(loaded);
            let r = report::build(&checked.model, checked.model.header.period.unwrap());
            [
                render::json::render(&r),
                render::text::render(&r, false, 100),
                render::markdown::render(&r),
                render::csv::render(&r).unwrap(),
            ]
        };
        assert_eq!(
            render_all(&original),
            render_all(&reformatted),
            "{root_file}"
        );
    }
}

#[test]
fn before_and_after() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/fmt/messy.perf")).unwrap();
    insta::with_settings!({snapshot_path => "snapshots/fmt", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("messy", fmt(&text));
    });
}

#[test]
fn trailing_comments_stay_on_their_line() {
    let text = "measure A \"a\" {\n  unit count  // how many\n  actual { 2017/18 Q1 5 2017/18 Q2 6  // restated\n  }\n}  // end of A\n";
    let out = fmt(text);
    assert!(out.contains("  unit count  // how many\n"), "{out}");
    assert!(out.contains("    2017/18 Q2 6  // restated\n"), "{out}");
    assert!(out.ends_with("}  // end of A\n"), "{out}");
}

// --- a generator of documents ---

fn id() -> impl Strategy<Value = String> {
    "[A-Z]{1,3}[0-9]{1,2}"
}

fn comment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z ]{0,12}".prop_map(|c| format!("// {c}"))
    ]
}

fn space() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(" "),
        Just("  "),
        Just("\n"),
        Just("\n\n  "),
        Just("\t")
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("unit percent".to_string()),
        Just("polarity higher".to_string()),
        (1u32..100).prop_map(|n| format!("target 2017/18 {n}%")),
        (1u32..100, 1u8..=4).prop_map(|(n, q)| format!("actual 2017/18 Q{q} {n}%")),
        Just("actual { 2016/17 Q1 1_000.50 2016/17 Q2 n/a \"why\" }".to_string()),
        Just("target 2018/19 { Q1 25% Q2 tbc }".to_string()),
        "[a-z \"]{0,10}".prop_map(|t| format!("note 2017/18 Q1 \"{}\"", t.replace('"', "\\\""))),
        Just("composite worst of A1, B2".to_string()),
        Just("tolerance 5pp".to_string()),
    ]
}

fn measure() -> impl Strategy<Value = String> {
    (
        id(),
        prop::collection::vec((field(), space(), comment()), 0..6),
        comment(),
    )
        .prop_map(|(id, fields, c)| {
            let mut text = format!("measure {id} \"t\" {{ {c}\n");
            for (f, s, c) in fields {
                text.push_str(&format!("{f}{s}{c}\n"));
            }
            text.push_str("}\n");
            text
        })
}

fn document() -> impl Strategy<Value = String> {
    let item = prop_oneof![
        measure(),
        measure().prop_map(|m| format!("group \"G\" {{\n{m}}}\n")),
        Just("defaults { amber 0% }\n".to_string()),
        Just("action K \"k\" { milestone 2013/14 Q2 \"m\" done }\n".to_string()),
    ];
    prop::collection::vec((comment(), item), 0..5).prop_map(|items| {
        items
            .into_iter()
            .map(|(c, i)| if c.is_empty() { i } else { format!("{c}\n{i}") })
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_documents_format_stably(doc in document()) {
        let parsed = parse(FileId(0), &doc);
        prop_assume!(!parsed.syntax_errors);
        let once = format(&doc, &parsed);
        let reparsed = parse(FileId(0), &once);
        prop_assert!(!reparsed.syntax_errors, "the output parses:\n{}", once);
        prop_assert_eq!(&reparsed.document, &parsed.document, "same meaning:\n{}", once);
        prop_assert_eq!(format(&once, &reparsed), once.clone(), "idempotent");
        prop_assert_eq!(comments(&once), comments(&doc));
    }
}

#[test]
fn cli_check_prints_a_unified_diff() {
    // Two changes far apart (two hunks, two lines of context), one of them
    // on a last line without a line break.
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("card.perf");
    std::fs::write(
        &card,
        "measure A \"a\" { unit count }\n\nmeasure B \"b\" {\n  unit count\n}\n\nmeasure C \"c\" {\n  unit count\n}\n\nmeasure D \"d\" {\n  unit count\n}\n\nmeasure E \"e\" {\n  unit count  }",
    )
    .unwrap();
    let name = card.to_str().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(["fmt", "--check", "--color", "never", name])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "--- {name}\n+++ {name} (formatted)\n\
             @@ -1,3 +1,5 @@\n\
             -measure A \"a\" {{ unit count }}\n\
             +measure A \"a\" {{\n\
             +  unit count\n\
             +}}\n\
             \x20\n\
             \x20measure B \"b\" {{\n\
             @@ -14,3 +16,4 @@\n\
             \x20\n\
             \x20measure E \"e\" {{\n\
             -  unit count  }}\n\
             \\ No newline at end of file\n\
             +  unit count\n\
             +}}\n"
        )
    );
}

#[test]
fn cli_check_rewrite_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let messy = dir.path().join("card.perf");
    std::fs::write(
        &messy,
        "measure A \"a\" { unit count actual 2017/18 Q1 5 }\n",
    )
    .unwrap();
    let tidy = dir.path().join("tidy.perf");
    std::fs::write(&tidy, "measure A \"a\" {\n  unit count\n}\n").unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_perfcard"))
            .args(args)
            .output()
            .unwrap()
    };
    let before_mtime = std::fs::metadata(&tidy).unwrap().modified().unwrap();

    let check = run(&[
        "fmt",
        "--check",
        messy.to_str().unwrap(),
        tidy.to_str().unwrap(),
    ]);
    assert_eq!(check.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&check.stdout);
    assert!(
        diff.contains("+  unit count") && !diff.contains("tidy.perf"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "measure A \"a\" { unit count actual 2017/18 Q1 5 }\n",
        "--check changes nothing"
    );

    let write = run(&["fmt", messy.to_str().unwrap(), tidy.to_str().unwrap()]);
    assert_eq!(write.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "measure A \"a\" {\n  unit count\n  actual 2017/18 Q1 5\n}\n"
    );
    assert_eq!(
        std::fs::metadata(&tidy).unwrap().modified().unwrap(),
        before_mtime,
        "an unchanged file is not touched"
    );
    assert_eq!(
        run(&["fmt", "--check", messy.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );

    let broken = dir.path().join("broken.perf");
    std::fs::write(&broken, "measure A \"a\" { unit count\n").unwrap();
    let refused = run(&["fmt", broken.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&broken).unwrap(),
        "measure A \"a\" { unit count\n",
        "never rewritten"
    );

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"include   \"a.perf\"")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "include \"a.perf\"\n");
}
