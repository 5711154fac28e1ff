//! The Word document (`--format docx`), read back from its XML: what a
//! committee paper's appendix must hold, on A4 landscape with its header
//! rows repeated and every rating cell shaded and worded.
#![cfg(feature = "docx")]

mod common;

use std::io::Read;

use perfcard::model::Rag;
use perfcard::render;
use perfcard::report::{self, Report};

fn example(path: &str) -> Report {
    common::build(&common::load(path))
}

/// Every part of the document, by name.
fn parts(docx: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut file = zip.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().to_string(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts.iter().find(|(n, _)| n == name).unwrap().1
}

/// The text of a piece of WordprocessingML: its `w:t` runs, joined.
fn text_of(xml: &str) -> String {
    xml.split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .map(|rest| &rest[..rest.find("</w:t>").unwrap()])
        .collect::<Vec<_>>()
        .join(" ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

#[test]
fn the_appendix_holds_the_report() {
    for (_, path) in common::EXAMPLES {
        let report = example(path);
        let docx = render::docx::render(&report).unwrap();
        let parts = parts(&docx);
        let document = part(&parts, "word/document.xml");
        let text = text_of(document);
        // Title, period, summary counts.
        assert!(text.contains(report.title.as_deref().unwrap()), "{path}");
        assert!(text.contains(&report.period.to_string()), "{path}");
        assert!(text.contains(&report.summary.sentence()), "{path}");
        // Landscape A4, page numbers in the footer.
        assert!(document.contains("<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"));
        let footer = part(&parts, "word/footer1.xml");
        assert!(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "));
        // Built-in styles, used by name.
        let styles = part(&parts, "word/styles.xml");
        for style in [
            "Title",
            "Heading1",
            "Heading2",
            "TableGrid",
            "Strong",
            "Emphasis",
        ] {
            assert!(
                styles.contains(&format!("w:styleId=\"{style}\"")),
                "{style}"
            );
        }
        assert!(document.contains("<w:pStyle w:val=\"Heading1\"/>"));
        // Every table repeats its header row on each page, and as many
        // tables as there are: the summary, the exceptions, and one per
        // group's measures and actions.
        let tables = document.matches("<w:tbl>").count();
        assert_eq!(document.matches("<w:tblHeader/>").count(), tables, "{path}");
        // Exceptions first: every red entry is in the "Needs attention"
        // table, which comes before the first group's table.
        let attention = &document[document.find("Needs attention").unwrap()..];
        let attention = &attention[..attention.find("</w:tbl>").unwrap_or(attention.len())];
        let attention_text = text_of(attention);
        for m in report.measures.iter().filter(|m| m.rating == Rag::Red) {
            assert!(
                attention_text.contains(&m.id),
                "{path}: {} needs attention",
                m.id
            );
        }
        // Every measure has its row in a group's table.
        for m in &report.measures {
            assert!(text.matches(&m.id).count() >= 1, "{path}: {}", m.id);
        }
        // A rating cell is shaded and worded: the red fill holds RED.
        for cell in document
            .split("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"FFC7CE\"/>")
            .skip(1)
        {
            let cell = &cell[..cell.find("</w:tc>").unwrap()];
            assert!(text_of(cell).starts_with("RED"), "{path}: {cell}");
        }
        let reds = report.summary.red;
        let red_cells = document.matches("w:fill=\"FFC7CE\"").count();
        // Once in the summary, once per red entry in the exceptions and
        // once in its group's table.
        assert_eq!(red_cells, 1 + 2 * reds, "{path}");
    }
}

#[test]
fn no_commentary_is_said_and_numbers_are_as_published() {
    let report = example("examples/tutorial/scorecard.perf");
    let document = {
        let docx = render::docx::render(&report).unwrap();
        part(&parts(&docx), "word/document.xml").to_string()
    };
    let text = text_of(&document);
    assert!(text.contains("No commentary given"));
    assert!(text.contains("Newly red"));
    // Thousands separators, pp for percentage points, a true minus.
    assert!(text.contains("21,600"));
    assert!(text.contains("−3.5pp (−7%)"));
    assert!(!text.contains("-3.5pp"));
}

#[test]
fn the_same_report_gives_the_same_bytes_and_hostile_text_stays_text() {
    let report = example("examples/tutorial/scorecard.perf");
    assert_eq!(
        render::docx::render(&report).unwrap(),
        render::docx::render(&report).unwrap()
    );
    let (_, checked) = perfcard::check_files(&[(
        "x.perf",
        "report \"<w:t>x</w:t> & co\" { period 2018/19 Q1 }\nmeasure M \"a < b\" { unit percent polarity higher target 2018/19 50% actual 2018/19 Q1 40% note 2018/19 Q1 \"</w:p>\" }\n",
    )])
    .unwrap();
    assert!(!checked.has_errors());
    let report = report::build(&checked.model, "2018/19 Q1".parse().unwrap());
    let docx = render::docx::render_exceptions(&report).unwrap();
    let parts = parts(&docx);
    let document = part(&parts, "word/document.xml");
    assert!(document.contains("&lt;w:t&gt;x&lt;/w:t&gt; &amp; co"));
    assert!(document.contains("&lt;/w:p&gt;"));
    // Every paragraph the text could have closed is still whole.
    assert_eq!(
        document.matches("<w:p>").count(),
        document.matches("</w:p>").count()
    );
    // The exceptions paper has the exceptions table and no group tables.
    assert_eq!(document.matches("<w:tbl>").count(), 1);
}
