//! The parser builds the typed AST for every construct of the language.

use std::str::FromStr;

use perfcard::ast::*;
use perfcard::parse;
use perfcard::Code;
use perfcard::FileId;
use rust_decimal::Decimal;

fn doc(text: &str) -> Document {
    Document::from_str(text).unwrap_or_else(|d| panic!("{text}\n{d:#?}"))
}

fn measure(body: &str) -> Measure {
    match doc(&format!("measure M \"m\" {{ {body} }}"))
        .items
        .remove(0)
    {
        Item::Measure(m) => m,
        other => panic!("{other:?}"),
    }
}

fn field(body: &str) -> MeasureField {
    measure(body).fields.remove(0)
}

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

#[test]
fn header() {
    let Item::Report(h) =
        doc("report \"T\" { organisation \"Org\" period 2017/18 Q1 year-start January }")
            .items
            .remove(0)
    else {
        panic!()
    };
    assert_eq!(h.title.unwrap().value, "T");
    assert!(matches!(&h.fields[0], HeaderField::Organisation(t) if t.value == "Org"));
    assert!(matches!(&h.fields[1], HeaderField::Period(p) if p.period.to_string() == "2017/18 Q1"));
    assert!(matches!(h.fields[2], HeaderField::YearStart(1, _)));
    // All fields optional, even the title.
    assert!(matches!(doc("report { }").items[0], Item::Report(_)));
}

#[test]
fn defaults_include_group_action() {
    let d = doc(
        "defaults { tolerance 5% amber 2pp unit percent polarity higher cadence annual owner \"o\" lead \"l\" lag 2 }
         include \"children.perf\"
         group \"A\" { group \"B\" { measure X \"x\" { } } include \"more.perf\" }
         action K \"k\" { owner \"o\" milestone 2013/14 Q2 \"m\" done concern \"late\" note 2013/14 Q2 \"n\" status 2013/14 Q2 red }",
    );
    let Item::Defaults(defaults) = &d.items[0] else {
        panic!()
    };
    assert_eq!(defaults.settings.len(), 8);
    assert!(matches!(&d.items[1], Item::Include(i) if i.path.value == "children.perf"));
    let Item::Group(a) = &d.items[2] else {
        panic!()
    };
    assert!(
        matches!(&a.items[0], Item::Group(b) if b.name.value == "B" && matches!(b.items[0], Item::Measure(_)))
    );
    assert!(matches!(&a.items[1], Item::Include(_)));
    let Item::Action(k) = &d.items[3] else {
        panic!()
    };
    let ActionField::Milestone(m) = &k.fields[1] else {
        panic!()
    };
    assert!(m.done.is_some());
    assert_eq!(m.concern.as_ref().unwrap().value, "late");
}

#[test]
fn units() {
    let unit = |text: &str| match field(text) {
        MeasureField::Setting(Setting::Unit(u, _)) => u,
        other => panic!("{other:?}"),
    };
    assert_eq!(unit("unit percent"), Unit::Percent);
    assert_eq!(unit("unit count"), Unit::Count);
    assert_eq!(unit("unit number"), Unit::Number);
    assert_eq!(unit("unit days"), Unit::Days);
    assert_eq!(unit("unit money \"£m\""), Unit::Money(Some("£m".into())));
    assert_eq!(unit("unit money"), Unit::Money(None));
    assert_eq!(
        unit("unit \"kg per head\""),
        Unit::Other("kg per head".into())
    );
}

#[test]
fn polarities_and_cadences() {
    for (word, polarity) in [
        ("higher", Polarity::Higher),
        ("lower", Polarity::Lower),
        ("target", Polarity::Target),
        ("none", Polarity::None),
        ("tbc", Polarity::Tbc),
    ] {
        assert!(
            matches!(field(&format!("polarity {word}")), MeasureField::Setting(Setting::Polarity(p, _)) if p == polarity)
        );
    }
    assert!(matches!(
        field("cadence annual"),
        MeasureField::Setting(Setting::Cadence(Cadence::Annual, _))
    ));
    assert!(matches!(
        field("cadence quarterly"),
        MeasureField::Setting(Setting::Cadence(Cadence::Quarterly, _))
    ));
    assert!(matches!(
        field("lag 1"),
        MeasureField::Setting(Setting::Lag(1, _))
    ));
}

#[test]
fn values_and_bands() {
    let band = |text: &str| match field(text) {
        MeasureField::Setting(Setting::Tolerance(b) | Setting::Amber(b)) => b.literal,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (band("tolerance 5pp").suffix, band("tolerance 5pp").amount),
        (Suffix::Points, Amount::Decimal(d("5")))
    );
    assert_eq!(band("amber 10%").suffix, Suffix::Percent);
    assert_eq!(band("amber 3").suffix, Suffix::None);
    let value = |text: &str| match field(&format!("baseline 2016/17 {text}")) {
        MeasureField::Baseline(b) => b.value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value("24_500").amount, Amount::Decimal(d("24500")));
    assert_eq!(value("24_500").text, "24_500", "the spelling is kept");
    assert_eq!(value("-1.5").amount, Amount::Decimal(d("-1.5")));
    assert_eq!(value("+0.02").amount, Amount::Decimal(d("0.02")));
    assert_eq!(value("89.42%").suffix, Suffix::Percent);
    assert_eq!(
        value("50/66").amount,
        Amount::Fraction {
            numerator: d("50"),
            denominator: d("66")
        }
    );
}

#[test]
fn targets() {
    let target = |text: &str| match field(text) {
        MeasureField::Target(t) => t,
        other => panic!("{other:?}"),
    };
    let annual = target("target 2017/18 96%");
    assert!(annual.period.period.is_year());
    let quarter = target("target 2017/18 Q1 24%");
    assert_eq!(quarter.period.period.quarter, Some(1));
    assert!(matches!(
        target("target 2019/20 tbc").spec,
        TargetSpec::Value(TargetValue::Tbc(_))
    ));
    let TargetSpec::Graduated(steps) =
        target("target 2018/19 { Q1 25% Q2 50% Q3 75% Q4 100% }").spec
    else {
        panic!()
    };
    assert_eq!(
        steps.iter().map(|s| s.quarter).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
}

#[test]
fn actuals() {
    let MeasureField::Actual(single) = field("actual 2017/18 Q1 83%") else {
        panic!()
    };
    assert!(!single.block);
    let MeasureField::Actual(block) = field(
        "actual {
            2016/17 Q1 89.42%
            2017/18 Q2 118.4 provisional
            2017/18 Q3 n/a \"Data not available until January\"
            2016/17 97.5%
            2017/18 Q4 n/a
        }",
    ) else {
        panic!()
    };
    assert!(block.block);
    assert_eq!(block.rows.len(), 5);
    assert!(matches!(
        &block.rows[1].reading,
        Reading::Value {
            provisional: Some(_),
            ..
        }
    ));
    assert!(
        matches!(&block.rows[2].reading, Reading::NotAvailable { reason: Some(r), .. } if r.value.starts_with("Data"))
    );
    assert!(block.rows[3].period.period.is_year());
    assert!(matches!(
        &block.rows[4].reading,
        Reading::NotAvailable { reason: None, .. }
    ));
}

#[test]
fn commentary_fields() {
    assert!(
        matches!(field("benchmark \"England\" 2016/17 85%"), MeasureField::Benchmark(b) if b.name.value == "England")
    );
    assert!(
        matches!(field("note 2017/18 Q1 \"Above target\""), MeasureField::Note(n) if n.text.value == "Above target")
    );
    let MeasureField::Status(s) = field("status 2017/18 Q1 amber \"why\"") else {
        panic!()
    };
    assert_eq!((s.rag, s.why.unwrap().value.as_str()), (Rag::Amber, "why"));
    let MeasureField::Composite(c) = field("composite majority of CT01, NNDR01, adult.care.7")
    else {
        panic!()
    };
    assert_eq!(c.rule, CompositeRule::Majority);
    assert_eq!(
        c.components
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        ["CT01", "NNDR01", "adult.care.7"]
    );
}

#[test]
fn spans_point_at_the_source() {
    let text = "measure CS02 \"t\" { actual 2017/18 Q1 83% }";
    let Item::Measure(m) = doc(text).items.remove(0) else {
        panic!()
    };
    assert_eq!(&text[m.id.span.start()..m.id.span.end()], "CS02");
    let MeasureField::Actual(a) = &m.fields[0] else {
        panic!()
    };
    let Reading::Value { value, .. } = &a.rows[0].reading else {
        panic!()
    };
    assert_eq!(&text[value.span.start()..value.span.end()], "83%");
    assert_eq!(
        &text[a.rows[0].period.span.start()..a.rows[0].period.span.end()],
        "2017/18 Q1"
    );
}

#[test]
fn layout_and_comments_do_not_change_the_tree() {
    let tight =
        "measure A \"a\" { unit percent polarity higher target 2017/18 95% actual 2017/18 Q1 83% }";
    let loose = "// a comment\r\nmeasure A \"a\" {\r\n  unit percent   // percent\r\n\tpolarity higher\r\n\r\n  target 2017/18 95%\r\n  actual 2017/18   Q1 83%\r\n}\r\n";
    assert_eq!(doc(tight), doc(loose), "spans are left out of equality");
    assert_ne!(doc(tight), doc(&tight.replace("83%", "84%")));
    // A byte-order mark is accepted.
    assert_eq!(doc(tight), doc(&format!("\u{feff}{tight}")));
}

#[test]
fn syntax_errors_recover_at_the_next_item() {
    let text = "measure A \"a\" { unit percent polarty higher }\nmeasure B \"b\" { unit count }\nmeasure C \"c\" { actual 2017/18 Q1 1,000 }\nmeasure D \"d\" { unit days }\n";
    let parsed = parse(FileId(0), text);
    let codes: Vec<Code> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [Code::Syntax, Code::Syntax],
        "both broken measures are reported"
    );
    let ids: Vec<String> = parsed
        .document
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Measure(m) => Some(m.id.name.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["B", "D"], "the good ones are kept");
    assert!(
        parsed.diagnostics[0].message.contains("a measure field"),
        "{}",
        parsed.diagnostics[0].message
    );
    assert!(!parsed
        .diagnostics
        .iter()
        .any(|d| d.message.contains("kw_") || d.message.contains("Rule")));
}

#[test]
fn recovery_resumes_at_an_item_whose_brace_follows_its_keyword() {
    // `defaults{` is as good an item start as `defaults {`: the recovery
    // after the broken measure must not skip it.
    let text = "measure A \"a\" { unit bogus }\ndefaults{ polarity lower }\nmeasure B \"b\" { unit count }\n";
    let parsed = parse(FileId(0), text);
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    let kinds: Vec<&str> = parsed
        .document
        .items
        .iter()
        .map(|i| match i {
            Item::Defaults(_) => "defaults",
            Item::Measure(_) => "measure",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["defaults", "measure"]);
}

/// A file big enough to be cut into parts; `broken` measures have a syntax
/// error (`9 %`).
fn large_file(broken: impl Fn(usize) -> bool) -> String {
    let mut text = String::from("report \"R\" { period 2017/18 Q1 }\n");
    for g in 0..400 {
        text.push_str(&format!("group \"G{g}\" {{\n"));
        for m in 0..5 {
            text.push_str(&format!(
                "  measure M{g}x{m} \"measure {g} {m}\" {{\n    unit percent\n    polarity higher\n    target 2017/18 9{m}%\n    actual {{ 2016/17 Q4 8{m}% 2017/18 Q1 {} }}\n    note 2017/18 Q1 \"// not a comment {{ }}\"\n  }}\n",
                if broken(g * 5 + m) { "9 %" } else { "93%" }
            ));
        }
        text.push_str("}\n// between groups\n");
        // An item whose brace follows its keyword, and a quarter error
        // (reported by the parser, not a syntax error) in every part.
        if g % 50 == 0 {
            text.push_str(&format!(
                "defaults{{ polarity higher }}\nmeasure Q{g} \"q\" {{ actual 2017/18 Q5 1 }}\n"
            ));
        }
    }
    assert!(
        text.len() > 256 * 1024,
        "large enough to be cut: {}",
        text.len()
    );
    text
}

fn positions(parsed: &perfcard::Parsed) -> Vec<(Code, usize, usize, String)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, d.span.start(), d.span.end(), d.message.clone()))
        .collect()
}

#[test]
fn a_large_file_parses_the_same_in_parallel() {
    let text = large_file(|_| false);
    let parallel = perfcard::parse(FileId(0), &text);
    let sequential = perfcard::parse_sequential(FileId(0), &text);
    assert!(!sequential.syntax_errors);
    assert_eq!(parallel.document, sequential.document);
    assert_eq!(positions(&parallel), positions(&sequential));
    assert_eq!(sequential.document.items.len(), 1 + 400 + 2 * 8);
    assert_eq!(sequential.diagnostics.len(), 8, "one per `Q5`");
    assert_eq!(parallel.comments.len(), 400);
}

#[test]
fn a_large_file_with_syntax_errors_parses_the_same_in_parallel() {
    // Errors here and there (one right before what may be a cut), so
    // recovery runs in every part.
    let text = large_file(|n| n % 97 == 0);
    let parallel = perfcard::parse(FileId(0), &text);
    let sequential = perfcard::parse_sequential(FileId(0), &text);
    assert_eq!(parallel.document, sequential.document);
    assert_eq!(positions(&parallel), positions(&sequential));
    assert!(
        parallel.diagnostics.len() >= 20,
        "the broken measures are all reported"
    );
    assert_eq!(parallel.comments.len(), 400);
}

#[test]
fn a_fraction_too_large_for_a_decimal_is_an_error() {
    // A number has at most 28 digits; the largest decimal is about
    // 7.9 × 10^28, so 10^28 − 1 divided by 0.1 is past it, which reports
    // could not show.
    let parsed = parse(
        FileId(0),
        "measure A \"a\" { actual 2017/18 Q1 9999999999999999999999999999/0.1 }\n",
    );
    let codes: Vec<Code> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::BadNumber], "{:?}", parsed.diagnostics);
    // The largest that fits is fine.
    let parsed = parse(
        FileId(0),
        "measure A \"a\" { actual 2017/18 Q1 9999999999999999999999999999/1.5 }\n",
    );
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}
