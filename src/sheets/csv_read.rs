//! Reading a CSV file as Excel saves one in a UK office: UTF-8 with or
//! without a byte-order mark, Windows-1252 (`£` as byte A3), or UTF-16 with
//! a byte-order mark; fields separated by commas or semicolons. The
//! encoding and the separator are detected, and when they cannot be told
//! apart the file is refused rather than guessed at.

use super::grid::{Cell, Grid, Problem, Source};

/// The encoding a CSV file was read in (said in the import's output when
/// it is not plain UTF-8).
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 (with byte-order mark)",
            Encoding::Utf16Le => "UTF-16 little-endian",
            Encoding::Utf16Be => "UTF-16 big-endian",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// A CSV file read into a grid named `sheet`.
pub struct CsvSheet {
    pub grid: Grid,
    pub encoding: Encoding,
    pub separator: char,
}

/// Reads `bytes` as CSV. Problems are about the file as a whole.
pub fn read(bytes: &[u8], sheet: &str) -> Result<CsvSheet, Problem> {
    let (text, encoding) = decode(bytes)?;
    let (separator, skip_first) = separator(&text, sheet)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator as u8)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Problem::whole(format!(
                "{sheet}: this is not a CSV file perfcard can read: {e}"
            ))
        })?;
        if i == 0 && skip_first {
            // Keeps rows numbered as Excel shows them: the `sep=` line is
            // not shown.
            continue;
        }
        rows.push(
            record
                .iter()
                .map(|field| {
                    if field.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(CsvSheet {
        grid: Grid {
            sheet: sheet.to_string(),
            rows,
            source: Source::Csv,
        },
        encoding,
        separator,
    })
}

/// The text of the file, and the encoding it was in.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), Problem> {
    let utf16 = |encoding: &'static encoding_rs::Encoding, kind: Encoding| {
        encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[2..])
            .map(|t| (t.into_owned(), kind))
            .ok_or_else(|| {
                Problem::whole(format!(
                    "the file starts with a {} byte-order mark but is not valid {} text",
                    kind.name(),
                    kind.name()
                ))
            })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|t| (t.to_string(), Encoding::Utf8Bom))
            .map_err(|e| {
                Problem::whole(format!(
                    "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8",
                    e.valid_up_to() + 3
                ))
                .help("save it again as \"CSV UTF-8\" from the spreadsheet")
            });
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return utf16(encoding_rs::UTF_16LE, Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return utf16(encoding_rs::UTF_16BE, Encoding::Utf16Be);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains('\0') {
            return Err(Problem::whole(
                "the file holds NUL characters: it looks like UTF-16 text without a byte-order mark, or not text at all",
            )
            .help("save it from the spreadsheet as \"CSV UTF-8\" (or \"CSV\")"));
        }
        return Ok((text.to_string(), Encoding::Utf8));
    }
    if bytes.contains(&0) {
        return Err(Problem::whole(
            "the file is not text: it holds NUL bytes and is neither UTF-8 nor UTF-16 with a byte-order mark",
        ));
    }
    // Not UTF-8: Excel's "CSV (Comma delimited)" in a UK office writes
    // Windows-1252, in which every byte is a character.
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok((text.into_owned(), Encoding::Windows1252))
}

/// The separator, and whether the first line is Excel's `sep=;` line.
fn separator(text: &str, sheet: &str) -> Result<(char, bool), Problem> {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first.trim().strip_prefix("sep=") {
        let mut chars = rest.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_ascii() && c != '"' {
                return Ok((c, true));
            }
        }
    }
    let header = first_record(text);
    let count = |c: char| count_outside_quotes(header, c);
    let (commas, semicolons, tabs) = (count(','), count(';'), count('\t'));
    match (commas > 0, semicolons > 0) {
        (true, false) => Ok((',', false)),
        (false, true) => Ok((';', false)),
        (false, false) if tabs > 0 => Ok(('\t', false)),
        (false, false) => Ok((',', false)),
        (true, true) => {
            // Both appear in the header: the one that gives every row the
            // header's number of fields wins; if both or neither do, ask.
            let consistent = |sep: u8| {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(sep)
                    .from_reader(text.as_bytes());
                let mut widths = reader.records().map(|r| r.map(|r| r.len()).unwrap_or(0));
                match widths.next() {
                    Some(first) if first > 1 => widths.all(|w| w == first),
                    _ => false,
                }
            };
            match (consistent(b','), consistent(b';')) {
                (true, false) => Ok((',', false)),
                (false, true) => Ok((';', false)),
                _ => Err(Problem::whole(format!(
                    "{sheet}: cannot tell whether the columns are separated by commas or by semicolons: the first row has {commas} of one and {semicolons} of the other"
                ))
                .help("save the file again from the spreadsheet, or put `sep=,` (or `sep=;`) alone on its first line")),
            }
        }
    }
}

/// The first record's text (a quoted field may hold line breaks).
fn first_record(text: &str) -> &str {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

fn count_outside_quotes(text: &str, separator: char) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if c == separator && !quoted {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheet: &CsvSheet) -> Vec<Vec<String>> {
        sheet
            .grid
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::shown).collect())
            .collect()
    }

    #[test]
    fn encodings_are_detected() {
        let utf8 = read("id,value\nA,£3\n".as_bytes(), "s").unwrap();
        assert_eq!(utf8.encoding, Encoding::Utf8);
        assert_eq!(texts(&utf8)[1], ["A", "£3"]);
        let bom = read(b"\xEF\xBB\xBFid,value\nA,\xC2\xA33\n", "s").unwrap();
        assert_eq!(bom.encoding, Encoding::Utf8Bom);
        assert_eq!(texts(&bom)[0], ["id", "value"]);
        let cp1252 = read(b"id,value\nA,\xA33\n", "s").unwrap();
        assert_eq!(cp1252.encoding, Encoding::Windows1252);
        assert_eq!(texts(&cp1252)[1], ["A", "£3"]);
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "id;value\r\nA;£3\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let utf16 = read(&utf16, "s").unwrap();
        assert_eq!(utf16.encoding, Encoding::Utf16Le);
        assert_eq!(texts(&utf16)[1], ["A", "£3"]);
        assert!(read(b"i\0d\0", "s").is_err());
        assert!(read(b"\xEF\xBB\xBFid\xA3", "s").is_err());
    }

    #[test]
    fn separators_are_detected_or_refused() {
        let semi = read(b"id;value\nA;1,5\n", "s").unwrap();
        assert_eq!(semi.separator, ';');
        assert_eq!(texts(&semi)[1], ["A", "1,5"]);
        let comma = read(b"id,value\nA,\"1,234\"\n", "s").unwrap();
        assert_eq!(comma.separator, ',');
        assert_eq!(texts(&comma)[1], ["A", "1,234"]);
        let declared = read(b"sep=;\nid;value\nA;2\n", "s").unwrap();
        assert_eq!(texts(&declared)[0], ["id", "value"]);
        // Both in the header, and either splits every row the same way.
        let error = read(b"id,a;b\nx,1;2\n", "s").err().unwrap();
        assert!(error.message.contains("commas or by semicolons"), "{error}");
        // Both in the header, only one consistent.
        let mixed = read(b"id;note, with comma\nA;x\nB;y\n", "s").unwrap();
        assert_eq!(mixed.separator, ';');
    }
}
