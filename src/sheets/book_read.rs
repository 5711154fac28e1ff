//! Reading a workbook (XLSX, XLS, ODS) with calamine.
//!
//! calamine hands over every number cell as a binary float; each goes
//! straight to [`float`](super::float) to become the decimal Excel shows.
//! calamine does not say whether a number cell is formatted as a
//! percentage, which decides whether 0.834 means 83.4%: for XLSX files
//! perfcard reads that from the workbook's styles itself (here); XLS and
//! ODS number cells are marked as not knowing it.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Sheets};

use super::float;
use super::grid::{Cell, Grid, Problem, Source};

/// The largest part of an XLSX file (a sheet's XML, the styles) perfcard
/// reads to find percent formats, in bytes once uncompressed.
const MAX_PART: u64 = 256 * 1024 * 1024;

/// The most rows and columns of a sheet perfcard reads.
pub const MAX_ROWS: usize = 1_048_576;
pub const MAX_COLUMNS: usize = 16_384;

/// Reads the sheet `wanted` (else the first) of the workbook in `bytes`.
/// `file` names the file in messages.
///
/// calamine panics on some damaged files (an XLS whose directory is cut
/// short: tests/fixtures/crashes/import_xlsx-calamine-cfb-short-directory.bin);
/// such a panic is caught here and reported as a damaged workbook, so the
/// import refuses the file instead of crashing. (The panic hook still runs:
/// the command line silences it while a workbook is read.)
pub fn read(bytes: &[u8], wanted: Option<&str>, file: &str) -> Result<Grid, Problem> {
    std::panic::catch_unwind(|| read_unguarded(bytes, wanted, file)).unwrap_or_else(|_| {
        Err(Problem::whole(format!(
            "{file} is damaged: the workbook reader (calamine) failed on it"
        ))
        .help("open it in the spreadsheet and save it again"))
    })
}

fn read_unguarded(bytes: &[u8], wanted: Option<&str>, file: &str) -> Result<Grid, Problem> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Problem::whole(format!("{file} is not a workbook perfcard can read ({e})"))
            .help("perfcard reads .xlsx, .xls and .ods workbooks and .csv files")
    })?;
    let names = book.sheet_names();
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| n.as_str() == w)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
            })
            .cloned()
            .ok_or_else(|| {
                Problem::whole(format!("{file} has no sheet named `{w}`"))
                    .help(format!("its sheets are: {}", list(&names)))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Problem::whole(format!("{file} has no sheets")))?,
    };
    let (source, is_1904) = match &book {
        Sheets::Xlsx(x) => (Source::Xlsx, x.has_1904_epoch()),
        _ => (Source::OtherWorkbook, false),
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| Problem::whole(format!("cannot read the sheet `{name}` of {file}: {e}")))?;
    let percent = if source == Source::Xlsx {
        percent_cells(bytes, &name).unwrap_or_default()
    } else {
        HashSet::new()
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    if let Some((top, left)) = range.start() {
        let (top, left) = (top as usize, left as usize);
        if top + range.height() > MAX_ROWS || left + range.width() > MAX_COLUMNS {
            return Err(Problem::whole(format!(
                "the sheet `{name}` is larger than a spreadsheet can be"
            )));
        }
        rows.resize(top, Vec::new());
        for (r, row) in range.rows().enumerate() {
            let mut cells = vec![Cell::Empty; left];
            for (c, data) in row.iter().enumerate() {
                let at = ((top + r) as u32, (left + c) as u32);
                cells.push(cell(data, percent.contains(&at), is_1904));
            }
            while cells.last().is_some_and(|c| *c == Cell::Empty) {
                cells.pop();
            }
            rows.push(cells);
        }
    }
    Ok(Grid {
        sheet: name,
        rows,
        source,
    })
}

fn list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell(data: &Data, percent: bool, is_1904: bool) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number {
            value: (*i).into(),
            percent,
        },
        Data::Float(f) => match float::to_decimal(*f) {
            Some(value) => Cell::Number { value, percent },
            None => Cell::Unrepresentable,
        },
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            match float::serial_to_date(dt.as_f64(), is_1904) {
                Some((year, month, day)) => Cell::Date { year, month, day },
                None => Cell::Error("a date out of range".into()),
            }
        }
        Data::DateTime(_) | Data::DurationIso(_) => Cell::Error("a time or duration".into()),
        Data::DateTimeIso(text) => iso_date(text).unwrap_or_else(|| Cell::Text(text.clone())),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// `2017-06-01` or `2017-06-01T00:00:00` (ODS date cells).
fn iso_date(text: &str) -> Option<Cell> {
    let date = text.get(..10)?;
    let mut parts = date.split('-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    Some(Cell::Date { year, month, day })
}

/// The cells (row, column, 0-based) of sheet `name` in the XLSX file
/// `bytes` whose number format is a percentage. `None` when the parts
/// cannot be read (calamine has read the cells already, so the file is
/// sound; the import then sees no percent formats and says so where it
/// matters).
fn percent_cells(bytes: &[u8], name: &str) -> Option<HashSet<(u32, u32)>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut part = |path: &str| -> Option<String> {
        let file = zip.by_name(path).ok()?;
        let mut text = String::new();
        file.take(MAX_PART).read_to_string(&mut text).ok()?;
        Some(text)
    };
    let workbook = part("xl/workbook.xml")?;
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let styles = part("xl/styles.xml").unwrap_or_default();
    let id = elements(&workbook, "sheet")
        .into_iter()
        .find(|attrs| attr(attrs, "name") == Some(name))
        .and_then(|attrs| attr(&attrs, "id").map(str::to_string))?;
    let target = elements(&rels, "Relationship")
        .into_iter()
        .find(|attrs| attr(attrs, "Id") == Some(id.as_str()))
        .and_then(|attrs| attr(&attrs, "Target").map(str::to_string))?;
    let path = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    };
    let sheet = part(&path)?;
    let percent_styles = percent_styles(&styles);
    let mut cells = HashSet::new();
    for attrs in elements(&sheet, "c") {
        let style: Option<usize> = attr(&attrs, "s").and_then(|s| s.parse().ok());
        if style.is_some_and(|s| percent_styles.contains(&s)) {
            if let Some(at) = attr(&attrs, "r").and_then(parse_reference) {
                cells.insert(at);
            }
        }
    }
    Some(cells)
}

/// The indexes of the cell styles (`cellXfs`) whose number format shows a
/// percentage: built-in formats 9 and 10, or a format code with `%`
/// outside quotes.
fn percent_styles(styles: &str) -> HashSet<usize> {
    let custom: Vec<(String, bool)> = elements(styles, "numFmt")
        .into_iter()
        .filter_map(|attrs| {
            let id = attr(&attrs, "numFmtId")?.to_string();
            let code = attr(&attrs, "formatCode")?;
            Some((id, code_is_percent(code)))
        })
        .collect();
    let is_percent = |id: &str| {
        matches!(id, "9" | "10")
            || custom
                .iter()
                .any(|(custom_id, percent)| custom_id == id && *percent)
    };
    // `xf` elements inside `cellXfs`, in order (those in `cellStyleXfs`
    // come first in the file and are skipped).
    let section = styles
        .find("cellXfs")
        .map(|start| &styles[start..])
        .unwrap_or("");
    elements(section, "xf")
        .into_iter()
        .enumerate()
        .filter(|(_, attrs)| attr(attrs, "numFmtId").is_some_and(is_percent))
        .map(|(i, _)| i)
        .collect()
}

fn code_is_percent(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

type Attributes = Vec<(String, String)>;

fn attr<'a>(attrs: &'a Attributes, name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The attributes (by local name) of every element whose local name is
/// `name`, in document order; reading stops at the first malformed bit.
fn elements(xml: &str, name: &str) -> Vec<Attributes> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    let decoder = reader.decoder();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == name.as_bytes() => {
                let attrs = e
                    .attributes()
                    .filter_map(Result::ok)
                    .filter_map(|a| {
                        let key = String::from_utf8(a.key.local_name().as_ref().to_vec()).ok()?;
                        let value = a.decode_and_unescape_value(decoder).ok()?.into_owned();
                        Some((key, value))
                    })
                    .collect();
                found.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    found
}

/// `D14` → (13, 3).
fn parse_reference(reference: &str) -> Option<(u32, u32)> {
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut column: u32 = 0;
    for c in letters.chars() {
        if !c.is_ascii_uppercase() {
            return None;
        }
        column = column * 26 + (c as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_format_codes() {
        assert!(code_is_percent("0.0%"));
        assert!(code_is_percent("0%;[Red]-0%"));
        assert!(!code_is_percent("0.0\"%\""));
        assert!(!code_is_percent("0.0\\%"));
        assert!(!code_is_percent("#,##0"));
    }

    #[test]
    fn references() {
        assert_eq!(parse_reference("D14"), Some((13, 3)));
        assert_eq!(parse_reference("AA1"), Some((0, 26)));
        assert_eq!(parse_reference("A0"), None);
        assert_eq!(parse_reference("14"), None);
    }

    #[test]
    fn styles_in_cell_xfs_only() {
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/></numFmts>
            <cellStyleXfs><xf numFmtId="9"/></cellStyleXfs>
            <cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="10"/><xf numFmtId="2"/></cellXfs></styleSheet>"#;
        let mut found: Vec<usize> = percent_styles(styles).into_iter().collect();
        found.sort();
        assert_eq!(found, [1, 2]);
    }
}
