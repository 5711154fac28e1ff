//! The quarterly loop through spreadsheets (docs/import.md), end to end
//! through the binary: `template` → a sheet filled in as a person would →
//! `import` → `report --format xlsx`; and every bad sheet refused with the
//! cell that is wrong, and no file changed.
#![cfg(feature = "sheets")]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sheets")
        .join(name)
}

/// A copy of the fixture scorecard in a temporary directory.
fn card() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("card")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Every file of the directory and its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn perfcard(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_perfcard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The row (1-based, as a spreadsheet numbers them) of each id in the
/// first sheet's column A.
fn rows_by_id(xlsx: &Path) -> BTreeMap<String, usize> {
    let mut book = calamine::open_workbook_auto(xlsx).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .enumerate()
        .filter_map(|(i, row)| match row.first() {
            Some(Data::String(s)) => Some((s.clone(), i + 1)),
            _ => None,
        })
        .collect()
}

/// What a person types into a cell.
enum Typed<'a> {
    /// A number as the cell stores it (`0.834` in a percent cell shows
    /// 83.4%).
    Number(&'a str),
    /// A formula and the float it evaluates to, as Excel stores it.
    Formula(&'a str, &'a str),
    Text(&'a str),
}

/// Fills the cells of the first sheet of the workbook at `path`, keeping
/// each cell's style (its percent format, its shading), by editing the
/// sheet's XML as Excel would save it.
fn fill(path: &Path, cells: &[(String, Typed)]) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let name = file.name().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(content).unwrap();
            for (reference, typed) in cells {
                let start = xml
                    .find(&format!("<c r=\"{reference}\""))
                    .unwrap_or_else(|| panic!("no cell {reference} in the template"));
                let end = start + xml[start..].find("/>").unwrap() + 2;
                let style = xml[start..end]
                    .split("s=\"")
                    .nth(1)
                    .map(|s| s.split('"').next().unwrap().to_string());
                let s = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
                let cell = match typed {
                    Typed::Number(v) => format!("<c r=\"{reference}\"{s}><v>{v}</v></c>"),
                    Typed::Formula(f, v) => {
                        format!("<c r=\"{reference}\"{s}><f>{f}</f><v>{v}</v></c>")
                    }
                    Typed::Text(t) => {
                        format!("<c r=\"{reference}\"{s} t=\"inlineStr\"><is><t>{t}</t></is></c>")
                    }
                };
                xml.replace_range(start..end, &cell);
            }
            content = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    let bytes = out.finish().unwrap().into_inner();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn template_fill_import_report() {
    let dir = card();
    let d = dir.path();
    let run = perfcard(
        d,
        &[
            "template",
            "card.perf",
            "--period",
            "2018/19 Q1",
            "-o",
            "q1.xlsx",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = rows_by_id(&d.join("q1.xlsx"));
    assert_eq!(
        rows.keys().collect::<Vec<_>>(),
        ["C1", "ID", "M1", "N1", "P1"]
    );
    // Actual is column K, Provisional L, Note M.
    fill(
        &d.join("q1.xlsx"),
        &[
            // 83.4 typed into the percent-formatted cell.
            (format!("K{}", rows["P1"]), Typed::Number("0.834")),
            // =0.1+0.2, which a double holds as 0.30000000000000004.
            (
                format!("K{}", rows["C1"]),
                Typed::Formula("0.1+0.2", "0.30000000000000004"),
            ),
            (format!("L{}", rows["C1"]), Typed::Text("yes")),
            (format!("K{}", rows["N1"]), Typed::Text("1,234")),
            (
                format!("M{}", rows["N1"]),
                Typed::Text("Summer reading scheme"),
            ),
            (format!("K{}", rows["M1"]), Typed::Text("n/a")),
            (
                format!("M{}", rows["M1"]),
                Typed::Text("Ledger closed late"),
            ),
        ],
    );
    let before = files(d);
    let dry = perfcard(d, &["import", "card.perf", "q1.xlsx", "--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(files(d), before, "a dry run writes nothing");
    let run = perfcard(d, &["import", "card.perf", "q1.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // What the dry run printed is what the import did.
    assert_eq!(dry.stdout, run.stdout);
    insta::assert_snapshot!("import_output", run.stdout);
    let card = std::fs::read_to_string(d.join("card.perf")).unwrap();
    let services = std::fs::read_to_string(d.join("services.perf")).unwrap();
    insta::assert_snapshot!("imported_card", card);
    insta::assert_snapshot!("imported_services", services);
    // Only insertions: every character of the old files is there, in
    // order.
    for name in ["card.perf", "services.perf"] {
        let old = String::from_utf8(before[name].clone()).unwrap();
        let new = std::fs::read_to_string(d.join(name)).unwrap();
        let mut chars = new.chars();
        for (i, c) in old.char_indices() {
            assert!(
                chars.any(|n| n == c),
                "{name}: byte {i} of the old text was changed"
            );
        }
    }
    assert_eq!(perfcard(d, &["check", "card.perf"]).code, 0);
    // Importing the same sheet again changes nothing.
    let again = perfcard(d, &["import", "card.perf", "q1.xlsx"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("nothing to import"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(d.join("card.perf")).unwrap(), card);

    // The rated workbook.
    let run = perfcard(
        d,
        &[
            "report",
            "card.perf",
            "--format",
            "xlsx",
            "-o",
            "report.xlsx",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut book = calamine::open_workbook_auto(d.join("report.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Summary", "Measures", "Actions"]);
    let measures = book.worksheet_range("Measures").unwrap();
    let header: Vec<String> = measures
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |id: &str| {
        measures
            .rows()
            .find(|r| r[0] == Data::String(id.into()))
            .unwrap()
            .to_vec()
    };
    // A percentage is held as a fraction with a percent format.
    assert_eq!(row("P1")[column("Actual")], Data::Float(0.834));
    assert_eq!(row("P1")[column("Rating")], Data::String("RED".into()));
    assert_eq!(row("N1")[column("Actual")], Data::Float(1234.0));
    assert_eq!(row("N1")[column("Rating")], Data::String("GREEN".into()));
    assert_eq!(
        row("N1")[column("Commentary")],
        Data::String("(2018/19 Q1) Summer reading scheme".into())
    );
    assert_eq!(
        row("C1")[column("Short term")],
        Data::String("↑ improving".into())
    );
    assert_eq!(row("M1")[column("Actual")], Data::String("n/a".into()));
    // The same scorecard makes the same bytes.
    let first = std::fs::read(d.join("report.xlsx")).unwrap();
    perfcard(
        d,
        &[
            "report",
            "card.perf",
            "--format",
            "xlsx",
            "-o",
            "report.xlsx",
        ],
    );
    assert_eq!(std::fs::read(d.join("report.xlsx")).unwrap(), first);
}

#[test]
fn xlsx_is_never_written_to_the_terminal() {
    let dir = card();
    let run = perfcard(dir.path(), &["report", "card.perf", "--format", "xlsx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("-o FILE"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn the_csv_template_reads_back() {
    let dir = card();
    let d = dir.path();
    let run = perfcard(
        d,
        &[
            "template",
            "card.perf",
            "--period",
            "2018/19 Q1",
            "-o",
            "q1.csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(d.join("q1.csv")).unwrap();
    assert!(text.starts_with("\u{feff}ID,Title,Group,Owner,Unit,Polarity,Target,Last value,Last period,Period,Actual,Provisional,Note\n"), "{text}");
    let filled = text.replace("% of repairs done on time,Housing,Repairs team,percent,higher is better,90%,89.5%,2017/18 Q4,2018/19 Q1,,,", "% of repairs done on time,Housing,Repairs team,percent,higher is better,90%,89.5%,2017/18 Q4,2018/19 Q1,91.5%,,");
    assert_ne!(filled, text);
    std::fs::write(d.join("q1.csv"), filled).unwrap();
    let run = perfcard(d, &["import", "card.perf", "q1.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let card = std::fs::read_to_string(d.join("card.perf")).unwrap();
    assert!(
        card.contains("      2017/18 Q4 89.5%\n      2018/19 Q1 91.5%\n    }"),
        "{card}"
    );
}

/// Imports `data` (written to `name`) into a fresh copy of the card and
/// expects it refused: exit 1, every file as it was. Returns stderr.
fn refused(name: &str, data: &[u8], args: &[&str]) -> String {
    let dir = card();
    let d = dir.path();
    std::fs::write(d.join(name), data).unwrap();
    let before = files(d);
    let mut all = vec!["import", "card.perf", name];
    all.extend(args);
    let run = perfcard(d, &all);
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("nothing was imported"),
        "{}",
        run.stderr
    );
    assert_eq!(files(d), before, "a refused import changed a file");
    run.stderr
}

#[test]
fn an_unknown_id_is_refused_at_its_cell_with_a_suggestion() {
    let err = refused(
        "figures.csv",
        b"id,period,value\nP1,2018/19 Q1,90%\np1x,2018/19 Q1,3\n",
        &[],
    );
    assert!(
        err.contains("figures!A3: no measure has the id `p1x`"),
        "{err}"
    );
    let err = refused("figures.csv", b"id,period,value\nn1,2018/19 Q1,3\n", &[]);
    assert!(err.contains("did you mean `N1`?"), "{err}");
}

#[test]
fn a_period_the_cadence_lacks_is_refused() {
    let err = refused("figures.csv", b"id,period,value\nP1,2018/19,90%\n", &[]);
    assert!(
        err.contains("figures!B2: `P1` is quarterly, and 2018/19 is a whole year"),
        "{err}"
    );
    let err = refused("figures.csv", b"id,period,value\nP1,Spring 2018,90%\n", &[]);
    assert!(
        err.contains("figures!B2: `Spring 2018` is not a period"),
        "{err}"
    );
    let err = refused("figures.csv", b"id,period,value\nP1,Jun-18,90%\n", &[]);
    assert!(
        err.contains("figures!B2: `P1` is quarterly, and 2018/19 Jun is a month"),
        "{err}"
    );
}

/// A copy of one of the bundled examples in a temporary directory.
fn example(file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(file);
    std::fs::copy(from, dir.path().join("card.perf")).unwrap();
    dir
}

/// Language version 1: a month's figure goes into a monthly measure, in
/// month order inside its `actual` block; a quarter is refused for it.
#[test]
fn months_import_into_monthly_measures() {
    let dir = example("adult-social-care-2017-18.perf");
    let d = dir.path();
    std::fs::write(d.join("figures.csv"), "id,period,value\nASC07,Dec-17,400\n").unwrap();
    let run = perfcard(d, &["import", "card.perf", "figures.csv"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("actual 2017/18 Dec: – → 400 days  ADDED"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(d.join("card.perf")).unwrap();
    assert!(
        text.contains("      2017/18 Nov 473\n      2017/18 Dec 400\n    }"),
        "{text}"
    );
    std::fs::write(
        d.join("quarter.csv"),
        "id,period,value\nASC07,2017/18 Q4,400\n",
    )
    .unwrap();
    let run = perfcard(d, &["import", "card.perf", "quarter.csv"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("quarter!B2: `ASC07` is monthly, and 2017/18 Q4 is a quarter"),
        "{}",
        run.stderr
    );
}

/// A calendar-year measure takes a four-digit year, not a fiscal one.
#[test]
fn calendar_years_import_into_calendar_year_measures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("card.perf"),
        "measure PH01 \"Life expectancy\" {\n  unit \"years\"\n  polarity higher\n  cadence annual\n  year calendar\n  target 2017 80.5\n  actual 2016 80.1\n}\n",
    )
    .unwrap();
    std::fs::write(d.join("fiscal.csv"), "id,period,value\nPH01,2017/18,80.6\n").unwrap();
    let run = perfcard(d, &["import", "card.perf", "fiscal.csv"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("fiscal!B2: `PH01` is reported for calendar years"),
        "{}",
        run.stderr
    );
    std::fs::write(d.join("calendar.csv"), "id,period,value\nPH01,2017,80.6\n").unwrap();
    let run = perfcard(d, &["import", "card.perf", "calendar.csv"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = std::fs::read_to_string(d.join("card.perf")).unwrap();
    assert!(text.contains("actual 2017 80.6"), "{text}");
}

#[test]
fn a_value_in_the_wrong_unit_is_refused() {
    let err = refused("figures.csv", b"id,period,value\nN1,2018/19 Q1,83%\n", &[]);
    assert!(
        err.contains("figures!C2: `83%` is a percentage, but `N1` is measured in counts"),
        "{err}"
    );
}

#[test]
fn duplicate_rows_are_refused() {
    let err = refused(
        "figures.csv",
        b"id,period,value\nN1,2018/19 Q1,5\nN1,Q1 2018/19,5\n",
        &[],
    );
    assert!(
        err.contains(
            "figures!C3: a second figure for `N1` in 2018/19 Q1: figures!C2 has one already"
        ),
        "{err}"
    );
}

#[test]
fn text_in_a_number_cell_is_refused() {
    let err = refused(
        "figures.csv",
        b"id,period,value\nN1,2018/19 Q1,about 80\n",
        &[],
    );
    assert!(
        err.contains("figures!C2: `about 80` is text, not a figure"),
        "{err}"
    );
    let err = refused(
        "figures.csv",
        b"id,period,value\nN1,2018/19 Q1,\"1,5\"\n",
        &[],
    );
    assert!(
        err.contains("figures!C2: `1,5`: the comma is not a thousands separator"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let err = refused(
        "figures.csv",
        b"id,period,value\nP1,2018/19 Q1,200\nX9,2018/19 Q1,1\nN1,2018/19 Q1,83%\nC1,2018/19 Q1,lots\n",
        &[],
    );
    for place in ["figures!A3", "figures!C4", "figures!C5"] {
        assert!(err.contains(place), "{place} missing: {err}");
    }
    assert!(err.contains("3 problems in figures.csv"), "{err}");
}

#[test]
fn a_different_figure_needs_restate() {
    let err = refused("figures.csv", b"id,period,value\nC1,2017/18 Q4,0.6\n", &[]);
    assert!(
        err.contains("figures!C2: `C1` already has 0.4 for 2017/18 Q4; the sheet says 0.6"),
        "{err}"
    );
    assert!(err.contains("--restate"), "{err}");
    // The same figure again is nothing to do.
    let dir = card();
    let d = dir.path();
    std::fs::write(d.join("same.csv"), "id,period,value\nC1,2017/18 Q4,0.40\n").unwrap();
    let before = files(d);
    let run = perfcard(d, &["import", "card.perf", "same.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(files(d), before);
    // With --restate the row's value is replaced, and nothing else.
    std::fs::write(d.join("new.csv"), "id,period,value\nC1,2017/18 Q4,0.6\n").unwrap();
    let run = perfcard(d, &["import", "card.perf", "new.csv", "--restate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("RESTATED"), "{}", run.stdout);
    let old = String::from_utf8(before["card.perf"].clone()).unwrap();
    let new = std::fs::read_to_string(d.join("card.perf")).unwrap();
    assert_eq!(
        new,
        old.replace("actual 2017/18 Q4   0.4", "actual 2017/18 Q4   0.6")
    );
}

#[test]
fn an_id_the_spreadsheet_made_a_number_is_refused() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "id").unwrap();
    sheet.write_string(0, 1, "2018/19 Q1").unwrap();
    sheet.write_number(1, 0, 1.1).unwrap();
    sheet.write_number(1, 1, 5).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = refused("wide.xlsx", &bytes, &[]);
    assert!(
        err.contains("Sheet1!A2: the id is the number 1.1, not text"),
        "{err}"
    );
}

#[test]
fn a_percent_cell_on_a_count_is_refused() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0%");
    sheet.write_string(0, 0, "Ref").unwrap();
    sheet.write_string(0, 1, "Q1 2018/19").unwrap();
    sheet.write_string(1, 0, "N1").unwrap();
    sheet.write_number_with_format(1, 1, 0.5, &percent).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let err = refused("wide.xlsx", &bytes, &[]);
    assert!(
        err.contains(
            "Sheet1!B2: the cell is formatted as a percentage, but `N1` is measured in counts"
        ),
        "{err}"
    );
}

#[test]
fn a_wide_table_in_windows_1252_with_semicolons() {
    let dir = card();
    let d = dir.path();
    // As Excel saves "CSV" in a locale with decimal commas: `£` is byte A3.
    std::fs::write(
        d.join("wide.csv"),
        b"Ref;Measure;Apr-Jun 2018;Q2 2018/19\nN1;Library visits \xA3;1,200;\nP1;Repairs;91.5%;92%\n",
    )
    .unwrap();
    let run = perfcard(d, &["import", "card.perf", "wide.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("read as Windows-1252"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("semicolons"), "{}", run.stderr);
    let card = std::fs::read_to_string(d.join("card.perf")).unwrap();
    assert!(
        card.contains(
            "      2017/18 Q4 89.5%\n      2018/19 Q1 91.5%\n      2018/19 Q2 92%\n    }"
        ),
        "{card}"
    );
    let services = std::fs::read_to_string(d.join("services.perf")).unwrap();
    assert!(
        services.contains("    target 2018/19 1_000\n    actual 2018/19 Q1 1200\n"),
        "{services}"
    );
}

#[test]
fn a_separator_that_cannot_be_told_is_refused() {
    let err = refused("figures.csv", b"id,a;b\nN1,1;2\n", &[]);
    assert!(err.contains("commas or by semicolons"), "{err}");
}

/// XLS and ODS files made once by LibreOffice from tests/fixtures/sheets/
/// figures.csv (see the README there).
#[test]
fn xls_and_ods_fixtures_import() {
    for name in ["figures.xls", "figures.ods"] {
        let dir = card();
        let d = dir.path();
        std::fs::copy(fixture(name), d.join(name)).unwrap();
        let run = perfcard(d, &["import", "card.perf", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let card = std::fs::read_to_string(d.join("card.perf")).unwrap();
        assert!(card.contains("      2018/19 Q1 91.5%\n"), "{name}: {card}");
        assert!(
            card.contains("    actual 2018/19 Q1   0.3\n"),
            "{name}: {card}"
        );
        let services = std::fs::read_to_string(d.join("services.perf")).unwrap();
        assert!(
            services.contains("    actual 2018/19 Q1 1234\n"),
            "{name}: {services}"
        );
    }
}

#[test]
fn an_ods_percent_that_cannot_be_told_is_refused() {
    let bytes = std::fs::read(fixture("percent.ods")).unwrap();
    let err = refused("percent.ods", &bytes, &[]);
    assert!(err.contains("percent!B2: 0.915 for a percentage"), "{err}");
}
