//! The real binary: exit codes, what goes to stdout and stderr, colour.

use std::path::Path;
use std::process::{Command, Output};

fn perfcard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        // The clock is fixed: no test depends on the real date.
        .env("PERFCARD_TODAY", "2025-06-30")
        .output()
        .expect("the binary runs")
}

/// [`perfcard`] with `PERFCARD_TODAY` set to `today`.
fn perfcard_on(today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100")
        .env("PERFCARD_TODAY", today)
        .output()
        .expect("the binary runs")
}

#[test]
fn perfcard_today_sets_the_date_for_future_period() {
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "future.perf",
        "measure M \"m\" { unit count polarity higher target 2019/20 5 actual 2018/19 Q4 4 }\n",
    );
    // 2018/19 Q4 starts on 1 January 2019.
    let before = perfcard_on("2018-12-31", &["check", &card]);
    assert_eq!(before.status.code(), Some(0));
    assert!(
        stderr(&before).contains("perfcard::future-period"),
        "{}",
        stderr(&before)
    );
    let on = perfcard_on("2019-01-01", &["check", &card]);
    assert!(!stderr(&on).contains("future-period"), "{}", stderr(&on));
    for bad in ["2019-13-01", "01/01/2019", "tomorrow", "2019-02-29"] {
        let o = perfcard_on(bad, &["check", &card]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains("PERFCARD_TODAY"), "{}", stderr(&o));
    }
}

#[test]
fn month_periods_on_the_command_line() {
    let o = perfcard(&[
        "report",
        "examples/adult-social-care-2017-18.perf",
        "--period",
        "2017/18 Jan",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["period"], "2017/18 Jan");
    assert_eq!(json["measures"][0]["period"], "2017/18 Jan");
    assert_eq!(json["measures"][0]["target"], "500");
    let quarter = perfcard(&[
        "report",
        "examples/adult-social-care-2017-18.perf",
        "--period",
        "2017/18 Q2",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&quarter)).unwrap();
    assert_eq!(json["measures"][0]["period"], "2017/18 Sep");
    let calendar = perfcard(&[
        "report",
        "examples/adult-social-care-2017-18.perf",
        "--period",
        "2017",
    ]);
    assert_eq!(
        calendar.status.code(),
        Some(2),
        "a calendar year is not a report period"
    );
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_card(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn check_clean_examples_exits_0() {
    let o = perfcard(&[
        "check",
        "examples/havering-2017-q1.perf",
        "examples/tutorial/scorecard.perf",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).trim_end(), "no problems in 3 files");
}

#[test]
fn check_errors_exit_1_with_location_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "bad.perf",
        "measure A \"a\" { unit count polarity higher target 2017/18 5 }\nmeasure A \"b\" { unit count actual 2017/18 Q1 5% }\n",
    );
    let o = perfcard(&["check", &card]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("perfcard::duplicate-id"), "{err}");
    assert!(
        err.contains("bad.perf:2:9"),
        "file:line:col of the second A: {err}"
    );
    assert!(err.contains("perfcard::unit-mismatch"), "{err}");
    assert!(
        err.trim_end().ends_with("2 errors, 0 warnings in 1 file"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}'), "plain when piped: {err}");
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "warn.perf",
        "measure A \"a\" { unit percent actual 2017/18 Q1 120% }\n",
    );
    let o = perfcard(&["check", &card]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("0 errors, 1 warning in 1 file"),
        "{}",
        stderr(&o)
    );
    let denied = perfcard(&["check", "--deny", "warnings", &card]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn check_json_has_one_object_per_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "j.perf",
        "measure A \"a\" {\n  unit count\n  actual 2017/18 Q5 1\n}\n",
    );
    let o = perfcard(&["check", "--format", "json", &card]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    let first = &json[0];
    assert_eq!(first["code"], "perfcard::bad-period");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(18))
    );
    assert_eq!(first["end"]["column"].as_u64(), Some(20));
    assert!(first["help"].as_str().unwrap().contains("Q1"));
}

#[test]
fn could_not_run_exits_2() {
    let missing = perfcard(&["check", "no/such/file.perf"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read no/such/file.perf"),
        "{}",
        stderr(&missing)
    );
    let bad_flag = perfcard(&["check", "--frobnicate", "examples/havering-2017-q1.perf"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    let bad_period = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--period",
        "2017/19 Q1",
    ]);
    assert_eq!(bad_period.status.code(), Some(2));
    assert!(
        stderr(&bad_period).contains("not a period"),
        "{}",
        stderr(&bad_period)
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = perfcard(&["report", "examples/havering-2017-q1.perf"]);
    assert!(!stdout(&plain).contains('\u{1b}'));
    let coloured = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--color",
        "always",
    ]);
    assert!(stdout(&coloured).contains('\u{1b}'));
    // Colour never alone: the words are there either way.
    assert!(stdout(&plain).contains("RED") && stdout(&coloured).contains("RED"));
}

#[test]
fn report_refuses_a_file_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "e.perf",
        "measure A \"a\" { unit count target 2017/18 5 }\n",
    );
    let out = dir.path().join("out.json");
    std::fs::write(&out, "previous report").unwrap();
    let o = perfcard(&[
        "report",
        &card,
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("target-without-polarity"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous report",
        "never overwritten after an error"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_folder_that_does_not_exist_is_named_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let out = missing.join("r.md");
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let message = stderr(&o);
    assert_eq!(
        message.trim_end(),
        format!(
            "perfcard: cannot write {}: the folder {} does not exist",
            out.display(),
            missing.display()
        )
    );
    assert!(!message.contains(".perfcard-"), "{message}");
}

#[test]
fn report_output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(&out).unwrap();
    let direct = stdout(&perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "json",
    ]));
    assert_eq!(written, direct);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn default_period_is_the_header_else_the_latest_actual() {
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["period"], "2017/18 Q1");
    let dir = tempfile::tempdir().unwrap();
    let card = temp_card(
        dir.path(),
        "nohead.perf",
        "measure A \"a\" { unit count polarity higher target 2017/18 5 actual { 2017/18 Q1 5  2017/18 Q2 4 } }\n",
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&perfcard(&["report", &card, "--format", "json"]))).unwrap();
    assert_eq!(json["period"], "2017/18 Q2");
    assert_eq!(json["measures"][0]["rating"], "red");
    let asked: serde_json::Value = serde_json::from_str(&stdout(&perfcard(&[
        "report",
        &card,
        "--format",
        "json",
        "--period",
        "2017/18 Q1",
    ])))
    .unwrap();
    assert_eq!(asked["measures"][0]["rating"], "green");
}

#[test]
fn explain_traces_the_rating() {
    let o = perfcard(&["explain", "examples/havering-2017-q1.perf", "TC02"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for step in [
        "Target: 95%",
        "green threshold = 95 − 0 = 95",
        "83% < 95%",
        "Rating: RED",
    ] {
        assert!(text.contains(step), "missing `{step}` in\n{text}");
    }
    let unknown = perfcard(&["explain", "examples/havering-2017-q1.perf", "tc02"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("did you mean `TC02`"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn csv_opens_in_excel() {
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "csv",
    ]);
    let text = stdout(&o);
    assert!(text.starts_with('\u{feff}'), "a BOM so Excel reads UTF-8");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 34, "one row per measure");
    assert_eq!((&rows[1][0], &rows[1][1]), ("measure", "TC02"));
    assert_eq!(&rows[1][11], "red");
    let tutorial = stdout(&perfcard(&[
        "report",
        "examples/tutorial/scorecard.perf",
        "--format",
        "csv",
    ]));
    let mut reader = csv::Reader::from_reader(tutorial.trim_start_matches('\u{feff}').as_bytes());
    let actions: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[0] == "action")
        .collect();
    assert_eq!(actions.len(), 2, "key actions follow the measures");
    assert_eq!((&actions[1][1], &actions[1][11]), ("ACT-2", "red"));
}

#[cfg(unix)]
#[test]
fn an_include_cannot_leave_the_folder_through_a_link() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.perf"),
        "measure S \"s\" { unit count }\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.perf"),
        dir.path().join("inside.perf"),
    )
    .unwrap();
    let root = temp_card(dir.path(), "card.perf", "include \"inside.perf\"\n");
    let o = perfcard(&["check", &root]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("perfcard::include-escape"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("through a link"), "{}", stderr(&o));
}

#[test]
fn completions_for_each_shell_know_the_commands() {
    for (shell, marker) in [
        ("bash", "complete -F _perfcard"),
        ("zsh", "#compdef perfcard"),
        ("fish", "complete -c perfcard"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = perfcard(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        assert!(script.contains(marker), "{shell}: no `{marker}`");
        for command in ["check", "report", "explain", "fmt", "diff"] {
            assert!(script.contains(command), "{shell}: `{command}` missing");
        }
    }
    let o = perfcard(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `--width` beats `COLUMNS`; `COLUMNS` beats the default of 100 when the
/// output is not a terminal.
#[test]
fn report_width_from_the_flag_then_columns() {
    let widest = |o: &Output| {
        stdout(o)
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
    };
    let o = perfcard(&[
        "report",
        "examples/tutorial/scorecard.perf",
        "--width",
        "80",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(widest(&o) <= 80 && widest(&o) > 70, "{}", widest(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(["report", "examples/tutorial/scorecard.perf"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("COLUMNS", "150")
        .output()
        .unwrap();
    assert!(widest(&o) > 100 && widest(&o) <= 150, "{}", widest(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(["report", "examples/tutorial/scorecard.perf"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("COLUMNS")
        .output()
        .unwrap();
    assert!(widest(&o) <= 100 && widest(&o) > 90, "{}", widest(&o));
    let o = perfcard(&[
        "report",
        "examples/tutorial/scorecard.perf",
        "--width",
        "20",
    ]);
    assert_eq!(o.status.code(), Some(2), "fewer than 40 columns is refused");
}

/// `--exceptions` prints the "Needs attention" section alone, in every
/// format.
#[test]
fn report_exceptions_only() {
    let file = "examples/tutorial/scorecard.perf";
    let o = perfcard(&["report", file, "--exceptions"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Needs attention: 4 red (3 newly red), 6 amber"),
        "{text}"
    );
    assert!(text.contains("RED    HS03 Average days to re-let council homes (newly red)"));
    assert!(!text.contains("Summary:") && !text.contains("┌"), "{text}");
    let o = perfcard(&["report", file, "--exceptions", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "FIN-03",
            "HS03",
            "OUT1",
            "ACT-2",
            "FIN-01",
            "HS02",
            "env.residual",
            "WF01",
            "ED01",
            "ACT-1"
        ]
    );
    assert_eq!(json["items"][1]["newly_red"], true);
    assert_eq!(json["items"][1]["target_display"], "21 days");
    assert_eq!(json["missing"][0]["id"], "CM01");
    let o = perfcard(&["report", file, "--exceptions", "--format", "csv"]);
    let csv = stdout(&o);
    assert!(csv.starts_with("\u{FEFF}attention,type,id,"), "{csv}");
    assert!(csv.contains("\r\nnewly red,measure,HS03,"), "{csv}");
    assert!(csv.contains("\r\nno figure,measure,CM01,"), "{csv}");
    for format in ["markdown", "html"] {
        let o = perfcard(&["report", file, "--exceptions", "--format", format]);
        let out = stdout(&o);
        assert!(out.contains("Needs attention") && out.contains("No commentary given"));
        assert!(!out.contains("Key actions"), "{format}: no group tables");
    }
}

/// A Word document goes to a file, or to a pipe, never to a terminal.
#[test]
fn report_docx_is_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("appendix.docx");
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "docx",
        "--output",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&path).unwrap().starts_with(b"PK\x03\x04"));
    // Standard output here is a pipe: the document is written to it.
    let o = perfcard(&[
        "report",
        "examples/havering-2017-q1.perf",
        "--format",
        "docx",
    ]);
    assert!(o.stdout.starts_with(b"PK\x03\x04"));
}
