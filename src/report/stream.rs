//! A report built piece by piece, for outputs that write it as it is built
//! (the JSON report): the counts first, from a pass over the ratings only,
//! then the entries in chunks, each chunk built on a worker thread and
//! handed to the renderer's encoder there, so that the whole report is
//! never held at once. What reaches the renderer is always a finished
//! entry: it never evaluates anything itself.

use std::io;

use crate::eval::interpreter::Interpreter;
use crate::model::Model;
use crate::period::Period;

use super::{
    action_report, counts_at, measure_report_for_json, ActionReport, MeasureReport, Report,
};

/// Entries built and encoded per worker at a time.
const CHUNK: usize = 1024;

/// A report of `model` at `period` to be written entry by entry.
pub struct Stream<'m> {
    model: &'m Model,
    period: Period,
    frame: Report,
}

/// Starts a streamed report: works out the counts, and holds what is
/// needed to build the entries later.
pub fn stream(model: &Model, period: Period) -> Stream<'_> {
    let period = period.with_year_start(model.header.year_start);
    let (summary, counts, groups, exceptions) = counts_at(model, period);
    Stream {
        model,
        period,
        frame: Report {
            period,
            title: model.header.title.clone(),
            organisation: model.header.organisation.clone(),
            months: period.months(model.header.year_start),
            measures: Vec::new(),
            actions: Vec::new(),
            summary,
            counts,
            groups,
            exceptions,
        },
    }
}

impl Stream<'_> {
    /// The report without its entries: every field but `measures` and
    /// `actions` is final.
    pub fn frame(&self) -> &Report {
        &self.frame
    }

    /// Builds every measure's entry (without the per-point thresholds of
    /// its history, which are for charts) and hands it to `encode` on a
    /// worker; `write` gets the chunks' bytes in order. A chunk's entries
    /// are encoded one after another into one buffer, `separator(i)`
    /// (`i` the entry's index) before each.
    pub fn measures(
        &self,
        separator: impl Fn(usize) -> &'static [u8] + Sync,
        encode: impl Fn(&MeasureReport, &mut Vec<u8>) + Sync,
        write: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let (model, period) = (self.model, self.period);
        chunked(
            model,
            model.measures.len(),
            |interpreter, i, buf| {
                buf.extend_from_slice(separator(i));
                encode(
                    &measure_report_for_json(model, &interpreter.measure(i, period)),
                    buf,
                );
            },
            write,
        )
    }

    /// As [`Stream::measures`], for the key actions.
    pub fn actions(
        &self,
        separator: impl Fn(usize) -> &'static [u8] + Sync,
        encode: impl Fn(&ActionReport, &mut Vec<u8>) + Sync,
        write: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let (model, period) = (self.model, self.period);
        chunked(
            model,
            model.actions.len(),
            |interpreter, i, buf| {
                buf.extend_from_slice(separator(i));
                encode(&action_report(model, &interpreter.action(i, period)), buf);
            },
            write,
        )
    }
}

/// `len` entries built by `entry` into chunk buffers.
///
/// One worker per core builds every `workers`-th chunk with its own
/// interpreter and hands each finished buffer over a channel that holds
/// one, so this thread writes the chunks in order as they come while the
/// workers go on, and at most two chunks per worker are held at once.
/// Emptied buffers go back to their worker to be filled again.
fn chunked(
    model: &Model,
    len: usize,
    entry: impl Fn(&Interpreter, usize, &mut Vec<u8>) + Sync,
    mut write: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    if len == 0 {
        return Ok(());
    }
    let chunks = len.div_ceil(CHUNK);
    let workers = crate::parallel::cores().min(chunks);
    let build = |chunk: usize, buf: &mut Vec<u8>, interpreter: &Interpreter| {
        buf.clear();
        for i in chunk * CHUNK..((chunk + 1) * CHUNK).min(len) {
            entry(interpreter, i, buf);
        }
    };
    std::thread::scope(|scope| -> io::Result<()> {
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
            write(&buf)?;
            let _ = empty.send(buf);
        }
        Ok(())
    })
}
