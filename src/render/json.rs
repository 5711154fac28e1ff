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

/// Entries built and serialised per thread at a time.
const CHUNK: usize = 1024;

/// Writes exactly the JSON of [`render`] of the built report, without ever
/// holding the whole report: measures are built and serialised in chunks, on
/// every core, and written in order, a few chunks at a time.
///
/// The frame (the top-level object and the arrays) is written here, in the
/// layout of serde_json's pretty printer; each entry is serialised by
/// serde_json and indented to its depth. A test holds the two outputs equal.
pub fn write(model: &Model, period: Period, out: &mut dyn Write) -> io::Result<()> {
    let (summary, counts, groups) = report::counts_at(model, period);
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
        |interpreter, i| {
            pretty(&report::measure_report(
                model,
                &interpreter.measure(i, period),
            ))
        },
        model,
    )?;
    w.write_all(b",\n  \"actions\": ")?;
    array(
        &mut w,
        model.actions.len(),
        |interpreter, i| {
            pretty(&report::action_report(
                model,
                &interpreter.action(i, period),
            ))
        },
        model,
    )?;
    w.write_all(b",\n")?;
    field(&mut w, "summary", &summary)?;
    field(&mut w, "counts", &counts)?;
    w.write_all(b"  \"groups\": ")?;
    indented(&mut w, &pretty(&groups), 2)?;
    w.write_all(b"\n}\n")?;
    w.flush()
}

fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// `  "name": value,` with the value's lines indented one level.
fn field<T: Serialize + ?Sized>(w: &mut dyn Write, name: &str, value: &T) -> io::Result<()> {
    write!(w, "  \"{name}\": ")?;
    indented(w, &pretty(value), 2)?;
    w.write_all(b",\n")
}

/// Writes `text`, every line after the first indented by `spaces`.
fn indented(w: &mut dyn Write, text: &str, spaces: usize) -> io::Result<()> {
    let pad = " ".repeat(spaces);
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        w.write_all(first.as_bytes())?;
    }
    for line in lines {
        w.write_all(b"\n")?;
        w.write_all(pad.as_bytes())?;
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// An array of `len` entries at depth one (entries indented four spaces),
/// each made by `entry` on a worker thread with its own interpreter.
fn array(
    w: &mut dyn Write,
    len: usize,
    entry: impl Fn(&Interpreter, usize) -> String + Sync,
    model: &Model,
) -> io::Result<()> {
    if len == 0 {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunks: Vec<(usize, usize)> = (0..len)
        .step_by(CHUNK)
        .map(|start| (start, (start + CHUNK).min(len)))
        .collect();
    let build = |&(start, end): &(usize, usize)| {
        let interpreter = Interpreter::new(model);
        (start..end)
            .map(|i| entry(&interpreter, i))
            .collect::<Vec<String>>()
    };
    for round in chunks.chunks(workers) {
        let built: Vec<Vec<String>> = if round.len() == 1 {
            vec![build(&round[0])]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = round
                    .iter()
                    .map(|chunk| scope.spawn(|| build(chunk)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            })
        };
        for (chunk, entries) in round.iter().zip(built) {
            for (offset, text) in entries.iter().enumerate() {
                w.write_all(if chunk.0 + offset == 0 {
                    b"\n    "
                } else {
                    b",\n    "
                })?;
                indented(w, text, 4)?;
            }
        }
    }
    w.write_all(b"\n  ]")
}
