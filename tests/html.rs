//! The HTML report: snapshots of every example, escaping of the text of a
//! `.perf` file, the sparkline geometry, one table row per measure, and the
//! promises of a self-contained, accessible page.
//!
//! scripts/browser-test.sh checks the same pages in a real browser.

mod common;

use common::{example, from_source, EXAMPLES};

use perfcard::period::Period;
use perfcard::render::html::{self, chart};
use perfcard::report::{HistoryPoint, Thresholds};
use rust_decimal::Decimal;

fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/html");
    settings.set_prepend_module_to_snapshot(false);
    settings
}

/// The page with its style sheet left out: the style has a snapshot of its
/// own, so that each example's snapshot shows only what differs.
fn without_style(page: &str) -> String {
    let start = page.find("<style>").expect("a style element") + "<style>".len();
    let end = page.find("</style>").expect("the end of the style");
    assert_eq!(
        page[start..end].trim(),
        html::STYLE.trim(),
        "the page inlines the style sheet"
    );
    format!(
        "{}\n/* style.css: see style.css.snap */\n{}",
        &page[..start],
        &page[end..]
    )
}

#[test]
fn every_example_as_html() {
    settings().bind(|| {
        insta::assert_snapshot!("style.css", html::STYLE);
        for (name, path) in EXAMPLES {
            let page = html::render(&example(path));
            insta::assert_snapshot!(format!("{name}.html"), without_style(&page));
        }
    });
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    for (_, path) in EXAMPLES {
        let first = html::render(&example(path));
        let second = html::render(&example(path));
        assert_eq!(first, second, "{path}");
    }
}

// ---- escaping -------------------------------------------------------------

const HOSTILE: &str = r#"
report "<script>alert(1)</script>" {
  organisation "Tom & Jerry's <Council>"
  period 2018/19 Q2
}

group "</table><h1>Group</h1>" {
  measure M1 "<b>bold</b> measure" {
    unit "<i>units</i>"
    polarity higher
    owner "<i>owner</i>"
    target 2018/19 90
    actual 2017/18 Q3 70
    actual 2017/18 Q4 75
    actual 2018/19 Q1 80
    actual 2018/19 Q2 95
    benchmark "<svg onload=alert(1)>" 2017/18 91
    note 2018/19 Q2 "\"quoted\" & <img src=x onerror=alert(1)>"
  }
}

action A1 "<u>action</u>" {
  owner "O'Brien & <Co>"
  milestone 2018/19 Q1 "<em>first</em>" done concern "<blink>late</blink>"
  milestone 2018/19 Q2 "second"
}
"#;

#[test]
fn text_from_the_perf_file_is_escaped() {
    let page = html::render(&from_source(HOSTILE));
    // Nothing from the file became markup.
    for raw in [
        "<script",
        "<b>",
        "<i>",
        "<u>",
        "<em>first",
        "<blink>",
        "<img",
        "<h1>Group",
        "<svg onload",
        "<Council>",
        "<Co>",
    ] {
        assert!(!page.contains(raw), "{raw} is not escaped");
    }
    // It is there as text.
    for escaped in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "Tom &amp; Jerry's &lt;Council&gt;",
        "&lt;b&gt;bold&lt;/b&gt; measure",
        "&lt;/table&gt;&lt;h1&gt;Group&lt;/h1&gt;",
        "&lt;svg onload=alert(1)&gt;",
        "&quot;quoted&quot; &amp; &lt;img src=x onerror=alert(1)&gt;",
        "&lt;em&gt;first&lt;/em&gt;",
        "&lt;blink&gt;late&lt;/blink&gt;",
        "O'Brien &amp; &lt;Co&gt;",
        "95 &lt;i&gt;units&lt;/i&gt;",
    ] {
        assert!(page.contains(escaped), "{escaped} is missing");
    }
    // In the <title> of the document and of the SVG charts too.
    assert!(page.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; — Tom &amp; Jerry"));
    assert!(page.contains("<title>&lt;/table&gt;&lt;h1&gt;Group&lt;/h1&gt;: 1 green"));
    assert!(page.contains("<title>Trend for M1 over 8 quarters"));
    // The page is still one document with its tables intact.
    assert_eq!(page.matches("<html").count(), 1);
    assert_eq!(
        page.matches("<table").count(),
        page.matches("</table>").count()
    );
}

// ---- the page -------------------------------------------------------------

/// The measure tables' rows: one per measure and nothing else.
fn measure_table_rows(page: &str) -> usize {
    page.split("<table class=\"measures\">")
        .skip(1)
        .map(|rest| {
            let table = &rest[..rest.find("</table>").unwrap()];
            let body = &table[table.find("<tbody>").unwrap()..];
            let rows = body.matches("<tr").count();
            assert_eq!(rows, body.matches("<tr class=\"measure\"").count());
            // The columns' header row, and the group's name above it,
            // shown on paper at the top of every page the table runs to.
            assert_eq!(table.matches("<tr").count(), rows + 2, "two header rows");
            assert_eq!(table.matches("<tr class=\"repeat\">").count(), 1);
            rows
        })
        .sum()
}

#[test]
fn one_table_row_per_measure_and_per_action() {
    for (_, path) in EXAMPLES.iter().copied().chain([("hostile", "")]) {
        let report = if path.is_empty() {
            from_source(HOSTILE)
        } else {
            example(path)
        };
        let page = html::render(&report);
        assert_eq!(measure_table_rows(&page), report.measures.len(), "{path}");
        assert_eq!(
            page.matches("<tr class=\"action\"").count(),
            report.actions.len(),
            "{path}"
        );
        for m in &report.measures {
            assert_eq!(
                page.matches(&format!("<tr class=\"measure\" id=\"m-{}\">", m.id))
                    .count(),
                1,
                "{}",
                m.id
            );
        }
    }
}

#[test]
fn self_contained_no_script_and_nothing_fetched() {
    for (_, path) in EXAMPLES {
        let page = html::render(&example(path));
        for banned in [
            "<script", "<link", "<img", "<iframe", "@import", "url(", " src=", "https:",
        ] {
            assert!(!page.contains(banned), "{path} contains {banned}");
        }
        // The only address is the SVG namespace, which is never fetched.
        assert_eq!(
            page.matches("http:").count(),
            page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
            "{path}"
        );
        assert!(page.contains("Content-Security-Policy"));
        assert!(page.starts_with("<!DOCTYPE html>"));
    }
}

#[test]
fn print_css_and_accessible_tables() {
    for needle in [
        "size: A4 landscape",
        "@bottom-right { content: \"Page \" counter(page)",
        "thead { display: table-header-group; }",
        "tr.repeat { display: table-row; }",
        "tr { break-inside: avoid;",
    ] {
        assert!(html::STYLE.contains(needle), "{needle}");
    }
    for (_, path) in EXAMPLES {
        let page = html::render(&example(path));
        assert_eq!(
            page.matches("<table").count(),
            page.matches("<caption>").count(),
            "every table has a caption: {path}"
        );
        // Every header cell says what it heads: a column or a row.
        let headers: Vec<&str> = page
            .split("<th")
            .skip(1)
            .filter(|rest| rest.starts_with([' ', '>']))
            .map(|rest| &rest[..rest.find('>').unwrap()])
            .collect();
        assert!(!headers.is_empty());
        for tag in headers {
            assert!(
                tag.contains("scope=\"col\"")
                    || tag.contains("scope=\"row\"")
                    || tag.contains("scope=\"colgroup\""),
                "{path}: <th{tag}>"
            );
        }
        assert!(page.contains("<html lang=\"en-GB\">"));
    }
}

/// Every SVG is either decoration hidden from assistive technology or an
/// image with a title that says what it shows.
#[test]
fn every_chart_has_a_title() {
    for (_, path) in EXAMPLES {
        let page = html::render(&example(path));
        let mut charts = 0;
        for svg in page.split("<svg").skip(1) {
            let (tag, rest) = svg.split_once('>').unwrap();
            if tag.contains("aria-hidden=\"true\"") {
                continue;
            }
            charts += 1;
            assert!(tag.contains("role=\"img\""), "{path}: <svg{tag}>");
            assert!(rest.starts_with("<title>"), "{path}: <svg{tag}>");
            let title = &rest["<title>".len()..rest.find("</title>").unwrap()];
            assert!(title.len() > 10, "{path}: a title in words: {title}");
        }
        assert!(charts > 0);
    }
    let tutorial = html::render(&example("examples/tutorial/scorecard.perf"));
    assert!(tutorial.contains(
        "<title>Trend for HS01 over 8 quarters (2016/17 Q3 to 2018/19 Q2): 89% in 2017/18 Q1 to 93.5% in 2018/19 Q2 (6 of 8 quarters have figures), target 95%</title>"
    ));
    // Three figures in eight quarters show no trend: no chart, and the
    // earlier figures as numbers.
    let havering = html::render(&example("examples/havering-2017-q1.perf"));
    assert!(!havering.contains("<title>Trend for TC05"));
    let tc05 = &havering[havering.find("id=\"m-TC05\"").unwrap()..];
    let tc05 = &tc05[..tc05.find("</tr>").unwrap()];
    assert!(tc05.contains(
        "<dl class=\"earlier\"><div><dt>2016/17 Q1</dt><dd>89.42%</dd></div><div><dt>2016/17 Q2</dt><dd>–</dd></div>"
    ), "{tc05}");
}

#[test]
fn ratings_are_words_as_well_as_colours() {
    let page = html::render(&example("examples/tutorial/scorecard.perf"));
    for (class, word) in [
        ("green", "GREEN"),
        ("amber", "AMBER"),
        ("red", "RED"),
        ("none", "NOT RATED"),
    ] {
        assert!(page.contains(&format!("<span class=\"rag {class}\">{word}</span>")));
    }
    // Arrows are hidden from screen readers; the word beside them is read.
    assert!(page.contains("<span aria-hidden=\"true\">↑</span> improving"));
    assert!(page.contains("<span aria-hidden=\"true\">↓</span> worsening"));
    assert!(page.contains("<span class=\"tag\">Provisional</span>"));
    assert!(page.contains("<span class=\"tag\">2018/19 Q1 data</span>"));
    // Milestones say their state in words.
    for state in ["Done", "Done, with a concern", "Overdue", "Not yet due"] {
        assert!(page.contains(&format!("</span> {state}</span>")), "{state}");
    }
}

/// The project's rule: no floating point. Charts use exact decimals.
#[test]
fn no_floating_point_in_the_html_renderer() {
    for (file, text) in [
        ("mod.rs", include_str!("../src/render/html/mod.rs")),
        ("chart.rs", include_str!("../src/render/html/chart.rs")),
    ] {
        for float in ["f32", "f64"] {
            assert!(!text.contains(float), "{file} uses {float}");
        }
    }
}

// ---- sparkline geometry ----------------------------------------------------

fn point(quarter: i64, actual: Option<&str>) -> HistoryPoint {
    HistoryPoint {
        period: Period::from_quarter_index(2017 * 4 + quarter).unwrap(),
        actual: actual.map(str::to_string),
        target: None,
        thresholds: None,
        provisional: false,
    }
}

fn series(values: &[Option<&str>]) -> Vec<HistoryPoint> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| point(i as i64, *v))
        .collect()
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

const TOP: &str = "6"; // SPARK_PAD
const BOTTOM: &str = "30"; // SPARK_HEIGHT - SPARK_PAD
const MIDDLE: &str = "18";

fn ys(spark: &chart::Spark) -> Vec<Option<Decimal>> {
    spark.points.iter().map(|(_, y)| *y).collect()
}

#[test]
fn a_rising_series_goes_up_the_chart() {
    // Higher is better and rising: each y is smaller (SVG's y runs down).
    let spark = chart::spark(&series(&[Some("80"), Some("84"), Some("88"), Some("92")])).unwrap();
    let ys: Vec<Decimal> = ys(&spark).into_iter().map(Option::unwrap).collect();
    assert!(ys.windows(2).all(|w| w[0] > w[1]), "{ys:?}");
    assert_eq!(ys[0], d(BOTTOM));
    assert_eq!(ys[3], d(TOP));
    let xs: Vec<Decimal> = spark.points.iter().map(|(x, _)| *x).collect();
    assert_eq!(xs, [d("16"), d("48"), d("80"), d("112")]);
    assert_eq!(spark.line_path(), "M16 30L48 22L80 14L112 6");
    assert_eq!(spark.gap_path(), "");
    assert_eq!(spark.dots(), [3], "only the latest is a dot");
}

#[test]
fn a_falling_series_goes_down_the_chart() {
    let spark = chart::spark(&series(&[Some("12"), Some("9.5"), Some("3")])).unwrap();
    let ys: Vec<Decimal> = ys(&spark).into_iter().map(Option::unwrap).collect();
    assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
}

#[test]
fn gaps_break_the_line() {
    let spark = chart::spark(&series(&[
        None,
        Some("10"),
        None,
        None,
        Some("20"),
        Some("30"),
        None,
        Some("25"),
    ]))
    .unwrap();
    assert_eq!(spark.runs(), vec![vec![1], vec![4, 5], vec![7]]);
    assert_eq!(ys(&spark)[0], None);
    // One line, through the one run of neighbours.
    assert_eq!(spark.line_path().matches('M').count(), 1);
    assert_eq!(spark.line_path(), "M72 18L88 6");
    // Dotted links across the missing periods.
    assert_eq!(spark.gap_path(), "M24 30L72 18M88 6L120 12");
    // The lone figure and the latest are dots.
    assert_eq!(spark.dots(), [1, 7]);

    // The latest figure is marked even when the last period has none.
    let spark = chart::spark(&series(&[Some("1"), Some("2"), None])).unwrap();
    assert_eq!(spark.latest(), Some(1));
    assert_eq!(spark.dots(), [1]);
    assert_eq!(spark.gap_path(), "", "nothing after the latest figure");
}

#[test]
fn a_single_point_sits_in_the_middle() {
    let spark = chart::spark(&series(&[Some("42")])).unwrap();
    assert_eq!(spark.points, vec![(d("64"), Some(d(MIDDLE)))]);
    assert_eq!(spark.line_path(), "");
    assert_eq!(spark.dots(), [0]);
    let svg = spark.svg("Trend for X: one figure").into_string();
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title>Trend for X: one figure</title>"));
    assert!(svg.contains("<circle cx=\"64\" cy=\"18\" r=\"2.5\"></circle>"));
}

#[test]
fn a_constant_series_is_level_without_dividing_by_zero() {
    let spark = chart::spark(&series(&[Some("5"), Some("5.0"), Some("5.00")])).unwrap();
    assert_eq!(ys(&spark), vec![Some(d(MIDDLE)); 3]);
    let zeros = chart::spark(&series(&[Some("0"), Some("0")])).unwrap();
    assert_eq!(ys(&zeros), vec![Some(d(MIDDLE)); 2]);
}

#[test]
fn no_figures_at_all() {
    let spark = chart::spark(&series(&[None, None, None])).unwrap();
    assert_eq!(ys(&spark), vec![None; 3]);
    assert!(spark.runs().is_empty());
    assert!(spark.dots().is_empty());
    assert_eq!(spark.line_path(), "");
    assert!(chart::spark(&[]).is_none());
}

#[test]
fn negative_values() {
    let spark = chart::spark(&series(&[Some("-10"), Some("0"), Some("10")])).unwrap();
    assert_eq!(
        ys(&spark),
        vec![Some(d(BOTTOM)), Some(d(MIDDLE)), Some(d(TOP))]
    );
}

#[test]
fn huge_values_do_not_overflow() {
    let max = Decimal::MAX.to_string();
    let min = Decimal::MIN.to_string();
    let spark = chart::spark(&series(&[Some(&min), Some("0"), Some(&max), Some(&max)])).unwrap();
    let rounded: Vec<String> = ys(&spark)
        .into_iter()
        .map(|y| chart::coordinate(y.unwrap()))
        .collect();
    assert_eq!(rounded, [BOTTOM, MIDDLE, TOP, TOP]);
    // Neighbours whose quarters round to the same value are level, not a
    // division by zero.
    let almost = (Decimal::MAX - Decimal::ONE).to_string();
    let spark = chart::spark(&series(&[Some(&max), Some(&almost)])).unwrap();
    assert!(ys(&spark)
        .iter()
        .all(|y| y.unwrap() >= d(TOP) && y.unwrap() <= d(BOTTOM)));
    // Tiny differences too.
    let spark = chart::spark(&series(&[Some("0.0000000001"), Some("0.0000000002")])).unwrap();
    assert_eq!(ys(&spark), vec![Some(d(BOTTOM)), Some(d(TOP))]);
}

fn at_least(green: &str, amber: &str) -> Thresholds {
    Thresholds {
        kind: perfcard::report::ThresholdKind::AtLeast,
        rule: perfcard::report::BandRule::Amber,
        green: Some(green.into()),
        amber: Some(amber.into()),
        green_low: None,
        green_high: None,
        amber_low: None,
        amber_high: None,
    }
}

#[test]
fn target_line_and_bands() {
    // Higher is better: target 90, green from 90, amber from 80.
    let mut history = series(&[Some("70"), Some("85"), Some("100")]);
    for p in &mut history[1..] {
        p.target = Some("90".into());
        p.thresholds = Some(at_least("90", "80"));
    }
    let spark = chart::spark(&history).unwrap();
    // 100 at the top, 70 at the bottom: 90 at 14, 80 at 22.
    assert_eq!(spark.targets, vec![None, Some(d("14")), Some(d("14"))]);
    assert_eq!(spark.target_path(), "M42.67 14H128");
    // Green runs from the green threshold to the top edge; amber below it.
    // The two periods' bands line up, so each is one rectangle.
    assert_eq!(spark.green_path(), "M42.67 0H128V14H42.67Z");
    assert_eq!(spark.amber_path(), "M42.67 14H128V22H42.67Z");

    // Lower is better: green from the threshold down to the bottom edge.
    let mut history = series(&[Some("10"), Some("30")]);
    for p in &mut history {
        p.target = Some("20".into());
        p.thresholds = Some(Thresholds {
            kind: perfcard::report::ThresholdKind::AtMost,
            ..at_least("20", "25")
        });
    }
    let spark = chart::spark(&history).unwrap();
    assert_eq!(spark.green_path(), "M0 18H128V36H0Z");
    assert_eq!(spark.amber_path(), "M0 12H128V18H0Z");

    // A target band: green between, amber either side.
    let mut history = series(&[Some("40"), Some("60")]);
    history[1].target = Some("50".into());
    history[1].thresholds = Some(Thresholds {
        kind: perfcard::report::ThresholdKind::Between,
        rule: perfcard::report::BandRule::Amber,
        green: None,
        amber: None,
        green_low: Some("45".into()),
        green_high: Some("55".into()),
        amber_low: Some("40".into()),
        amber_high: Some("60".into()),
    });
    let spark = chart::spark(&history).unwrap();
    assert_eq!(spark.green_path(), "M64 12H128V24H64Z");
    assert_eq!(spark.amber_path(), "M64 6H128V12H64ZM64 24H128V30H64Z");
}

#[test]
fn coordinates_have_at_most_two_places() {
    assert_eq!(chart::coordinate(d("1.005")), "1.01");
    assert_eq!(chart::coordinate(d("2.50")), "2.5");
    assert_eq!(chart::coordinate(d("-0.001")), "0");
    assert_eq!(chart::coordinate(d("128")), "128");
    for (_, path) in EXAMPLES {
        let page = html::render(&example(path));
        for svg in page.split("<svg").skip(1) {
            let svg = &svg[..svg.find("</svg>").unwrap()];
            // The title is words and may quote a figure to more places.
            let drawing = match svg.find("</title>") {
                Some(end) => &svg[end..],
                None => svg,
            };
            for n in drawing
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|n| n.contains('.'))
            {
                let places = n.len() - n.find('.').unwrap() - 1;
                assert!(places <= 2, "{n} in {path}");
            }
        }
    }
}

#[test]
fn bars_share_the_width_exactly() {
    let segments = chart::segments([1, 1, 1, 0], 160);
    assert_eq!(
        segments,
        vec![
            ("f-green", d("0"), d("53.33")),
            ("f-amber", d("53.33"), d("53.34")),
            ("f-red", d("106.67"), d("53.33")),
        ]
    );
    let total: Decimal = segments.iter().map(|(_, _, w)| *w).sum();
    assert_eq!(total, d("160"));
    assert!(chart::segments([0, 0, 0, 0], 160).is_empty());
}

/// A reason that starts "Not available" is not given a second
/// "Not available:", and a group written with a full stop does not read
/// "Housing., 2018/19 Q1" in its tables' captions.
#[test]
fn no_doubled_words_in_commentary_or_captions() {
    let source = "report \"R\" { period 2018/19 Q1 }\ngroup \"Housing.\" {\n  measure M \"m\" { unit percent polarity higher target 2018/19 50% actual 2018/19 Q1 n/a \"Not available until the survey closes\" }\n}\n";
    let page = html::render(&from_source(source));
    assert!(
        page.contains("Not available until the survey closes"),
        "{page}"
    );
    assert!(!page.contains("Not available: Not available"));
    assert!(!page.contains("Not available: </strong>Not available"));
    assert!(
        page.contains("<caption>Measures: Housing, 2018/19 Q1"),
        "{page}"
    );
    assert!(!page.contains(". ,") && !page.contains("., "));
}
