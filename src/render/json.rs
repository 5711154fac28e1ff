//! The JSON report: the contract of LANGUAGE.md § The report.

use std::io::{self, Write};

use serde::Serialize;

use crate::interpreter::Interpreter;
use crate::model::Model;
use crate::period::Period;
use crate::report::{self, Report};

pub fn render(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail.
    let mut out = serde_json::to_string_pretty(report).unwrap_or_default();
    out.push('\n');
    out
}

/// Only the "Needs attention" section (`report --exceptions`): the red,
/// then the amber entries, each with the whole of its report entry, and
/// the measures with no figure.
pub fn render_exceptions(report: &Report) -> String {
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Entry<'a> {
        Measure(&'a report::MeasureReport),
        Action(&'a report::ActionReport),
    }
    #[derive(Serialize)]
    struct Item<'a> {
        kind: crate::exceptions::Kind,
        newly_red: bool,
        commentary: bool,
        #[serde(flatten)]
        entry: Entry<'a>,
    }
    #[derive(Serialize)]
    struct Missing<'a> {
        #[serde(flatten)]
        measure: &'a report::MeasureReport,
    }
    #[derive(Serialize)]
    struct Section<'a> {
        period: Period,
        title: &'a Option<String>,
        organisation: &'a Option<String>,
        months: &'a str,
        summary: &'a report::Summary,
        previous: Option<Period>,
        items: Vec<Item<'a>>,
        missing: Vec<Missing<'a>>,
    }
    use crate::exceptions::Kind;
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

/// Entries built and serialised per thread at a time.
const CHUNK: usize = 1024;

/// Writes exactly the JSON of [`render`] of the built report, without ever
/// holding the whole report: measures are built and serialised in chunks, on
/// every core, and written in order, a few chunks at a time.
///
/// The frame (the top-level object and the arrays) is written here, in the
/// layout of serde_json's pretty printer; each entry is serialised by
/// serde_json, already indented to its depth (see [`Nested`]), on the thread
/// that built it. A test holds the two outputs equal.
pub fn write(model: &Model, period: Period, out: &mut dyn Write) -> io::Result<()> {
    let (summary, counts, groups, exceptions) = report::counts_at(model, period);
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    w.write_all(b"{\n")?;
    field(&mut w, "period", &period)?;
    field(&mut w, "title", &model.header.title)?;
    field(&mut w, "organisation", &model.header.organisation)?;
    field(&mut w, "months", &period.months(model.header.year_start))?;
    w.write_all(b"  \"measures\": ")?;
    array(
        &mut w,
        model.measures.len(),
        model,
        |interpreter, i, buf| {
            nested(
                buf,
                2,
                &report::measure_report_for_json(model, &interpreter.measure(i, period)),
            )
        },
    )?;
    w.write_all(b",\n  \"actions\": ")?;
    array(&mut w, model.actions.len(), model, |interpreter, i, buf| {
        nested(
            buf,
            2,
            &report::action_report(model, &interpreter.action(i, period)),
        )
    })?;
    w.write_all(b",\n")?;
    field(&mut w, "summary", &summary)?;
    field(&mut w, "counts", &counts)?;
    field(&mut w, "groups", &groups)?;
    w.write_all(b"  \"exceptions\": ")?;
    let mut buf = Vec::new();
    nested(&mut buf, 1, &exceptions);
    w.write_all(&buf)?;
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// Serialises `value` pretty-printed as if it stood `depth` levels deep.
fn nested<T: Serialize + ?Sized>(buf: &mut Vec<u8>, depth: usize, value: &T) {
    let mut serializer = serde_json::Serializer::with_formatter(&mut *buf, Nested::new(depth));
    // Serialising plain data with string keys into memory cannot fail.
    let _ = value.serialize(&mut serializer);
}

/// `  "name": value,` with the value's lines indented one level.
fn field<T: Serialize + ?Sized>(w: &mut dyn Write, name: &str, value: &T) -> io::Result<()> {
    let mut buf = format!("  \"{name}\": ").into_bytes();
    nested(&mut buf, 1, value);
    buf.extend_from_slice(b",\n");
    w.write_all(&buf)
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

/// An array of `len` entries at depth one (entries indented four spaces),
/// each serialised by `entry` into a chunk's buffer.
///
/// One worker per core builds every `workers`-th chunk with its own
/// interpreter and hands each finished buffer over a channel that holds
/// one, so this thread writes the chunks in order as they come while the
/// workers go on, and at most two chunks per worker are held at once.
/// Emptied buffers go back to their worker to be filled again.
fn array(
    w: &mut dyn Write,
    len: usize,
    model: &Model,
    entry: impl Fn(&Interpreter, usize, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    if len == 0 {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    let chunks = len.div_ceil(CHUNK);
    let workers = crate::parallel::cores().min(chunks);
    let build = |chunk: usize, buf: &mut Vec<u8>, interpreter: &Interpreter| {
        buf.clear();
        for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(len) {
            buf.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
            entry(interpreter, i, buf);
        }
    };
    let written = std::thread::scope(|scope| -> io::Result<()> {
        let build = &build;
        let mut lanes = Vec::with_capacity(workers);
        for first in 0..workers {
            let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
            let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
            scope.spawn(move || {
                let interpreter = Interpreter::new(model);
                // A new buffer starts at the size of the largest chunk so
                // far, not to grow (and be copied) again.
                let mut largest = 0;
                for chunk in (first..chunks).step_by(workers) {
                    let mut buf = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(largest));
                    build(chunk, &mut buf, &interpreter);
                    largest = largest.max(buf.len());
                    // The receiver is gone only if writing failed: stop.
                    if full_tx.send(buf).is_err() {
                        return;
                    }
                }
            });
            lanes.push((full_rx, empty_tx));
        }
        for chunk in 0..chunks {
            let (full, empty) = &lanes[chunk % workers];
            // A worker only stops early if this thread stopped listening.
            let Ok(buf) = full.recv() else { break };
            w.write_all(&buf)?;
            let _ = empty.send(buf);
        }
        Ok(())
    });
    written?;
    w.write_all(b"\n  ]")
}
