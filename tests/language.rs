//! Every example of LANGUAGE.md parses and means what the page says.
//! The examples are copied verbatim into tests/fixtures/language/.

use perfcard::check_files;
use perfcard::model::{Rag, TargetSource};
use perfcard::report::{self, Report};
use perfcard::Code;
use perfcard::Disk;

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/language/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn codes(checked: &perfcard::Checked) -> Vec<Code> {
    checked.diagnostics.iter().map(|d| d.code).collect()
}

fn at(checked: &perfcard::Checked, period: &str) -> Report {
    report::build(&checked.model, period.parse().unwrap())
}

#[test]
fn file_structure_example() {
    let path = format!(
        "{}/tests/fixtures/language/file-structure.perf",
        env!("CARGO_MANIFEST_DIR")
    );
    let loaded = perfcard::load(&Disk, std::path::Path::new(&path), "file-structure.perf").unwrap();
    let checked = perfcard::check(&loaded);
    assert_eq!(codes(&checked), vec![], "checks clean");
    let h = &checked.model.header;
    assert_eq!(h.title.as_deref(), Some("O&S Board Performance Report"));
    assert_eq!(
        h.organisation.as_deref(),
        Some("London Borough of Havering")
    );
    assert_eq!(
        h.period.map(|p| p.to_string()).as_deref(),
        Some("2017/18 Q1")
    );
    let report = at(&checked, "2017/18 Q1");
    // The included file's measure comes where the include stands.
    let ids: Vec<&str> = report.measures.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["CL01", "CS02"]);
    let cs02 = &report.measures[1];
    assert_eq!(cs02.group, ["Towns and Communities"]);
    assert_eq!(
        (cs02.actual.as_deref(), cs02.target.as_deref(), cs02.rating),
        (Some("83"), Some("95"), Rag::Red)
    );
    assert_eq!(cs02.amber, "0%", "the defaults apply");
    assert_eq!(
        (cs02.direction.short.as_str(), cs02.direction.long.as_str()),
        ("new", "new")
    );
}

#[test]
fn measure_example() {
    let text = fixture("measure.perf");
    let (_, checked) = check_files(&[("measure.perf", &text)]).expect("the root is in memory");
    // It checks clean of errors; its figures earn two warnings: 118.4% is
    // outside 0–100, and the assessed amber disagrees with the computed green.
    assert_eq!(
        codes(&checked),
        vec![Code::PercentOutOfRange, Code::StatusDisagrees]
    );
    let m = &checked.model.measures[0];
    assert_eq!(m.lag, 1);
    assert_eq!(m.owner.as_deref(), Some("Housing Services"));
    assert_eq!(m.lead.as_deref(), Some("Cllr. Damian White"));
    assert_eq!(
        m.targets.len(),
        1 + 1 + 4 + 1,
        "annual, quarter, four graduated, tbc"
    );
    let q2 = m
        .targets
        .get(&"2018/19 Q2".parse().unwrap())
        .unwrap()
        .clone();
    assert_eq!(q2.source, TargetSource::Graduated);

    // lag 1: the 2017/18 Q2 report rates 2017/18 Q1, against its quarter target of 24%.
    let q2_report = at(&checked, "2017/18 Q2");
    let r = &q2_report.measures[0];
    assert_eq!(r.period.to_string(), "2017/18 Q1");
    assert_eq!(
        (r.actual.as_deref(), r.target.as_deref(), r.target_source),
        (Some("99"), Some("24"), Some("quarter"))
    );
    assert_eq!(r.computed.rating, Rag::Green);
    assert_eq!(
        r.rating,
        Rag::Amber,
        "officers' judgement overrides the computed rating"
    );
    assert!(r.disagreement);
    assert_eq!(
        r.direction.long.as_str(),
        "improving",
        "99% against 89.42% a year before"
    );
    assert_eq!(
        r.direction.short.as_str(),
        "improving",
        "99% against 90.6% in 2016/17 Q4"
    );
    assert_eq!(r.notes[0].text, "Above target and better than last year.");
    assert_eq!(r.benchmarks[0].name, "England");

    // 2017/18 Q3 rates Q2: 118.4 provisional against the annual 96%.
    let r = &at(&checked, "2017/18 Q3").measures[0];
    assert_eq!(
        (r.actual.as_deref(), r.target.as_deref(), r.target_source),
        (Some("118.4"), Some("96"), Some("annual"))
    );
    assert!(r.provisional);
    assert_eq!(r.rating, Rag::Green);

    // 2017/18 Q4 rates Q3: not available, with the recorded reason.
    let r = &at(&checked, "2017/18 Q4").measures[0];
    assert_eq!(r.rating, Rag::None);
    assert_eq!(
        r.reason_text.as_deref(),
        Some("not available: Data not available until January")
    );

    // 2019/20: the target is to be confirmed.
    let r = &at(&checked, "2019/20 Q2").measures[0];
    assert_eq!(r.reason.as_ref().map(|r| r.code()), Some("target-tbc"));
}

#[test]
fn action_example() {
    let text = fixture("action.perf");
    let (_, checked) = check_files(&[("action.perf", &text)]).expect("the root is in memory");
    assert_eq!(codes(&checked), vec![]);
    let report = at(&checked, "2013/14 Q3");
    let k24 = &report.actions[0];
    assert_eq!(k24.rating, Rag::Red, "a milestone due by Q2 is not done");
    assert_eq!((k24.milestones_due, k24.milestones_done), (3, 2));
    assert_eq!(k24.owner.as_deref(), Some("Stuart Palmer"));
    assert_eq!(k24.milestones[2].concern.as_deref(), Some("Published late"));
    assert_eq!(at(&checked, "2013/14 Q1").actions[0].rating, Rag::None);
}

#[test]
fn composite_example() {
    let text = fixture("composite.perf");
    let components = "
measure CT01 \"Council tax collected\" { unit percent polarity higher target 2017/18 97% actual 2017/18 Q1 97.2% }
measure NNDR01 \"Business rates collected\" { unit percent polarity higher target 2017/18 98% actual 2017/18 Q1 96% }";
    let (_, checked) = check_files(&[("composite.perf", &format!("{text}{components}"))])
        .expect("the root is in memory");
    assert_eq!(codes(&checked), vec![]);
    let p6 = &at(&checked, "2017/18 Q1").measures[0];
    assert_eq!(p6.id, "P6");
    assert_eq!(p6.rating, Rag::Red, "the worst of green and red");
    // Alone, its components are unknown: an error, not a silent skip.
    let (_, alone) = check_files(&[("composite.perf", &text)]).expect("the root is in memory");
    assert_eq!(
        codes(&alone),
        vec![Code::UnknownComponent, Code::UnknownComponent]
    );
}

#[test]
fn lexical_examples() {
    // Ids, numbers with separators and signs, strings with escapes.
    let text = r#"
measure adult.care.7 "Escapes: \"quoted\", back\\slash, line\nbreak" {
  unit number
  polarity higher
  target 2017/18 24_500
  actual { 2017/18 Q1 -1.5  2017/18 Q2 +0.02 }
}
measure CS-02 "x" { unit count }
measure NI192 "y" { unit count }
measure measure "a keyword as an id" { unit count }
"#;
    let (_, checked) = check_files(&[("lex.perf", text)]).expect("the root is in memory");
    assert_eq!(codes(&checked), vec![]);
    let m = &checked.model.measures[0];
    assert_eq!(m.id, "adult.care.7");
    assert_eq!(m.title, "Escapes: \"quoted\", back\\slash, line\nbreak");
    let target = &at(&checked, "2017/18 Q1").measures[0];
    assert_eq!(target.target.as_deref(), Some("24500"));
    assert_eq!(target.actual.as_deref(), Some("-1.5"));
    assert_eq!(checked.model.measures[3].id, "measure");
}

#[test]
fn ninety_five_times_point_nine_is_exactly_85_5() {
    // LANGUAGE.md: `85.5` compares equal to `95 × 0.9`.
    let text = "measure M \"m\" { unit percent polarity higher target 2017/18 95% amber 10% actual 2017/18 Q1 85.5% }";
    let (_, checked) = check_files(&[("x.perf", text)]).expect("the root is in memory");
    let m = &at(&checked, "2017/18 Q1").measures[0];
    assert_eq!(
        m.thresholds.as_ref().unwrap().amber.as_deref(),
        Some("85.5")
    );
    assert_eq!(m.rating, Rag::Amber);
}

#[test]
fn fraction_shows_both_forms() {
    let text = "measure M \"m\" { unit percent polarity higher target 2017/18 75% actual 2017/18 Q1 50/66 }";
    let (_, checked) = check_files(&[("x.perf", text)]).expect("the root is in memory");
    let m = &at(&checked, "2017/18 Q1").measures[0];
    assert_eq!(m.actual_display.as_deref(), Some("75.8% (50/66)"));
    assert_eq!(m.actual.as_deref(), Some("50/66"));
    assert_eq!(m.rating, Rag::Green, "75.7575…% ≥ 75%");
}

#[test]
/// Version 1: the year start moves quarters (and months), not only their
/// labels (tests/ratings_v1.rs rates across it).
fn year_start_is_a_real_date() {
    let text =
        "report \"R\" { period 2017/18 Q1 year-start january }\nmeasure M \"m\" { unit count }";
    let (_, checked) = check_files(&[("x.perf", text)]).expect("the root is in memory");
    assert_eq!(at(&checked, "2017/18 Q1").months, "Jan–Mar 2017");
    let (_, april) = check_files(&[("y.perf", "measure M \"m\" { unit count }")])
        .expect("the root is in memory");
    assert_eq!(at(&april, "2017/18 Q1").months, "Apr–Jun 2017");
}

// --- version 1 additions ---

#[test]
fn red_beyond_example() {
    // "Green from 47.5, amber from 45, red below 45: 47.5 → green, 45 →
    // amber, 44.9 → red; so 43% is red."
    let text = fixture("red-beyond.perf");
    let (_, checked) = check_files(&[("red-beyond.perf", &text)]).expect("in memory");
    assert_eq!(codes(&checked), vec![], "checks clean");
    let m = &at(&checked, "2024/25 Q3").measures[0];
    assert_eq!(m.id, "1.1.4.KR", "an id that starts with a digit");
    let t = m.thresholds.as_ref().unwrap();
    assert_eq!(
        (t.green.as_deref(), t.amber.as_deref()),
        (Some("47.5"), Some("45"))
    );
    assert_eq!(t.rule, perfcard::report::BandRule::RedBeyond);
    assert_eq!(m.rating, Rag::Red);
    for (actual, rating) in [
        ("47.5%", Rag::Green),
        ("45%", Rag::Amber),
        ("44.9%", Rag::Red),
    ] {
        let text = text.replace("43%", actual);
        let (_, checked) = check_files(&[("r.perf", &text)]).expect("in memory");
        assert_eq!(
            at(&checked, "2024/25 Q3").measures[0].rating,
            rating,
            "{actual}"
        );
    }
}

#[test]
fn monthly_example() {
    let text = fixture("monthly.perf");
    let (_, checked) = check_files(&[("monthly.perf", &text)]).expect("in memory");
    assert_eq!(codes(&checked), vec![], "checks clean");
    let m = &checked.model.measures[0];
    // `target 2017/18 450` applies to every month; January has its own.
    let target = |p: &str| {
        let r = at(&checked, p);
        (r.measures[0].target.clone(), r.measures[0].target_source)
    };
    assert_eq!(target("2017/18 Apr"), (Some("450".into()), Some("annual")));
    assert_eq!(target("2017/18 Jan"), (Some("500".into()), Some("month")));
    assert_eq!(
        m.targets
            .get(&"2017/18 Jan".parse().unwrap())
            .map(|t| t.source),
        Some(TargetSource::Month)
    );
    // A quarter report rates the monthly measure on its last month.
    let q1 = at(&checked, "2017/18 Q1");
    assert_eq!(q1.measures[0].period.to_string(), "2017/18 Jun");
    assert_eq!(q1.measures[0].actual.as_deref(), Some("441"));
    // 441 ≤ 450, no bands: green; 470 in April: red.
    assert_eq!(q1.measures[0].rating, Rag::Green);
    assert_eq!(at(&checked, "2017/18 Apr").measures[0].rating, Rag::Red);
    // May against April (lower is better): 430 after 470 is improving.
    assert_eq!(
        at(&checked, "2017/18 May").measures[0]
            .direction
            .short
            .as_str(),
        "improving"
    );
}

#[test]
fn calendar_year_example() {
    let text = fixture("calendar-year.perf");
    let (_, checked) = check_files(&[("calendar-year.perf", &text)]).expect("in memory");
    assert_eq!(codes(&checked), vec![], "checks clean");
    // Calendar 2011 ends in December 2011: reported from 2011/12 Q3.
    let q3 = at(&checked, "2011/12 Q3");
    let m = &q3.measures[0];
    assert_eq!(m.period.to_string(), "2011");
    assert_eq!((m.actual.as_deref(), m.rating), (Some("78.2"), Rag::Green));
    assert_eq!(
        m.direction.short.as_str(),
        "improving",
        "78.2 after 77.9 in 2010"
    );
    assert_eq!(
        at(&checked, "2011/12 Q2").measures[0].period.to_string(),
        "2010"
    );
}

/// Every ```perf block of the language reference and of this repository's
/// docs parses without a syntax error. The reference lives beside the
/// repository (../shared/LANGUAGE.md) in the project's workspace only: where
/// it is absent, that source is skipped, and docs/language.md (which holds
/// a copy of each of its examples) is still tested. The blocks of the
/// reference are also copied verbatim into tests/fixtures/language/, where
/// the tests above check what they mean.
#[test]
fn every_perf_example_parses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let blocks = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("```perf\n") {
            let body = &rest[start + "```perf\n".len()..];
            let end = body.find("```").expect("a closed block");
            out.push(body[..end].to_string());
            rest = &body[end..];
        }
        out
    };
    let parse_clean = |source: &str, block: &str| {
        let parsed = perfcard::parse(perfcard::FileId(0), block);
        assert!(
            !parsed.syntax_errors,
            "{source}: a syntax error in\n{block}"
        );
    };
    let docs = std::fs::read_to_string(root.join("docs/language.md")).unwrap();
    let doc_blocks = blocks(&docs);
    assert!(doc_blocks.len() >= 10, "docs/language.md has its examples");
    for block in &doc_blocks {
        parse_clean("docs/language.md", block);
    }
    let reference = root.join("../shared/LANGUAGE.md");
    if let Ok(text) = std::fs::read_to_string(&reference) {
        let fixtures: Vec<String> = std::fs::read_dir(root.join("tests/fixtures/language"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        for block in blocks(&text) {
            parse_clean("LANGUAGE.md", &block);
            assert!(
                fixtures.iter().any(|f| f.trim() == block.trim()),
                "a LANGUAGE.md example is not copied into tests/fixtures/language/:\n{block}"
            );
            assert!(
                doc_blocks.iter().any(|d| d.trim() == block.trim()),
                "a LANGUAGE.md example is not in docs/language.md:\n{block}"
            );
        }
    }
}
