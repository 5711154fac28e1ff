//! The JSON report: the contract of LANGUAGE.md § The report.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{Report, Stream};

/// The whole report as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    nested(&mut out, 0, report);
    out.push(b'\n');
    // serde_json writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// Only the "Needs attention" section (`report --exceptions`): the red,
/// then the amber entries, each with the whole of its report entry, and
/// the measures with no figure.
pub fn render_exceptions(report: &Report) -> String {
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Entry<'a> {
        Measure(&'a crate::report::MeasureReport),
        Action(&'a crate::report::ActionReport),
    }
    #[derive(Serialize)]
    struct Item<'a> {
        kind: crate::report::exceptions::Kind,
        newly_red: bool,
        commentary: bool,
        #[serde(flatten)]
        entry: Entry<'a>,
    }
    #[derive(Serialize)]
    struct Missing<'a> {
        #[serde(flatten)]
        measure: &'a crate::report::MeasureReport,
    }
    #[derive(Serialize)]
    struct Section<'a> {
        period: crate::period::Period,
        title: &'a Option<String>,
        organisation: &'a Option<String>,
        months: &'a str,
        summary: &'a crate::report::Summary,
        previous: Option<crate::period::Period>,
        items: Vec<Item<'a>>,
        missing: Vec<Missing<'a>>,
    }
    use crate::report::exceptions::Kind;
    let x = &report.exceptions;
    let section = Section {
        period: report.period,
        title: &report.title,
        organisation: &report.organisation,
        months: &report.months,
        summary: &report.summary,
        previous: x.previous,
        items: x
            .items
            .iter()
            .filter_map(|e| {
                let entry = match e.kind {
                    Kind::Measure => Entry::Measure(report.measures.get(e.index)?),
                    Kind::Action => Entry::Action(report.actions.get(e.index)?),
                };
                Some(Item {
                    kind: e.kind,
                    newly_red: e.newly_red,
                    commentary: e.commentary,
                    entry,
                })
            })
            .collect(),
        missing: x
            .missing
            .iter()
            .filter_map(|m| {
                Some(Missing {
                    measure: report.measures.get(m.index)?,
                })
            })
            .collect(),
    };
    // Serialising plain data with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(&section).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes exactly the JSON of [`render`] of the finished report, without
/// ever holding the whole report: the entries come from the report layer
/// in chunks (see [`Stream`]), each serialised on the worker that built it,
/// already indented to its depth (see [`Nested`]). The frame around them is
/// the report itself serialised with its entries empty, so the fields keep
/// the order of [`Report`]. A test holds the two outputs equal.
pub fn write(stream: &Stream, out: &mut dyn Write) -> io::Result<()> {
    let mut frame = Vec::new();
    nested(&mut frame, 0, stream.frame());
    let (before, rest) = split_once(&frame, b"\"measures\": []");
    let (between, after) = split_once(rest, b"\"actions\": []");
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    w.write_all(before)?;
    w.write_all(b"\"measures\": ")?;
    array(&mut w, |w| {
        stream.measures(
            separator,
            |m, buf| nested(buf, 2, m),
            |bytes| w.write_all(bytes),
        )
    })?;
    w.write_all(between)?;
    w.write_all(b"\"actions\": ")?;
    array(&mut w, |w| {
        stream.actions(
            separator,
            |a, buf| nested(buf, 2, a),
            |bytes| w.write_all(bytes),
        )
    })?;
    w.write_all(after)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// What comes before each entry of an array one level deep.
fn separator(i: usize) -> &'static [u8] {
    if i == 0 {
        b"\n    "
    } else {
        b",\n    "
    }
}

/// The text before and after the first `marker` (which the frame always
/// holds: serde writes an empty list as `[]`).
fn split_once<'a>(text: &'a [u8], marker: &[u8]) -> (&'a [u8], &'a [u8]) {
    match memchr::memmem::find(text, marker) {
        Some(at) => (&text[..at], &text[at + marker.len()..]),
        None => (text, &[]),
    }
}

/// An array one level deep: `[]` when `fill` writes nothing, else its
/// entries and the closing bracket on a line of its own.
fn array<W: Write>(
    w: &mut W,
    fill: impl FnOnce(&mut Counting<&mut W>) -> io::Result<()>,
) -> io::Result<()> {
    w.write_all(b"[")?;
    let mut counting = Counting {
        inner: &mut *w,
        written: 0,
    };
    fill(&mut counting)?;
    let written = counting.written;
    if written == 0 {
        w.write_all(b"]")
    } else {
        w.write_all(b"\n  ]")
    }
}

/// A writer that counts what passes through it.
struct Counting<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Serialises `value` pretty-printed as if it stood `depth` levels deep.
fn nested<T: Serialize + ?Sized>(buf: &mut Vec<u8>, depth: usize, value: &T) {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *buf, Nested::new(depth));
    // Serialising plain data with string keys into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// serde_json's pretty layout (two spaces a level), starting `base` levels
/// deep: the lines an entry would have inside the whole report, so that no
/// pass over the text is needed to indent it.
struct Nested {
    base: usize,
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn new(base: usize) -> Self {
        Nested {
            base,
            depth: 0,
            has_value: false,
        }
    }

    /// A line break and this line's indent, after a comma if `comma`, in
    /// one write (the writer is called for every key and value, so each
    /// write saved counts).
    fn new_line<W: ?Sized + Write>(&self, w: &mut W, comma: bool) -> io::Result<()> {
        const LEAD: &[u8] = b",\n                                                                                                                                ";
        let n = 2 * (self.base + self.depth);
        let from = usize::from(!comma);
        match LEAD.get(from..2 + n) {
            Some(lead) => w.write_all(lead),
            None => {
                w.write_all(&LEAD[from..2])?;
                for _ in 0..n {
                    w.write_all(b" ")?;
                }
                Ok(())
            }
        }
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w, false)?;
        }
        w.write_all(bracket)
    }

    fn begin_entry<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.new_line(w, !first)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.begin_entry(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.begin_entry(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
