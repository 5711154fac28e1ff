//! The language server's latency on a 1,000-measure scorecard: the re-check
//! after a one-character edit (from `didChange` to the diagnostics
//! published), and a hover and a completion. The server runs its real loop
//! on a thread, connected in memory; the goal (issue 17) is under 20 ms for
//! the re-check in a release build.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use perfcard::lsp::convert::LineIndex;
use serde_json::{json, Value};

#[path = "synthetic.rs"]
#[allow(dead_code)]
mod synthetic;

struct Client {
    connection: Connection,
    next_id: i32,
}

impl Client {
    fn notify(&self, method: &str, params: Value) {
        let _ = self
            .connection
            .sender
            .send(Message::Notification(Notification::new(
                method.into(),
                params,
            )));
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        let _ = self.connection.sender.send(Message::Request(Request::new(
            id.clone(),
            method.into(),
            params,
        )));
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
            {
                Ok(Message::Response(r)) if r.id == id => {
                    return r.response_result.unwrap_or(Value::Null);
                }
                Ok(_) => {}
                Err(e) => panic!("no answer: {e}"),
            }
        }
    }

    /// Waits for the diagnostics of a document's `version`.
    fn diagnostics(&self, version: i32) -> usize {
        loop {
            match self
                .connection
                .receiver
                .recv_timeout(Duration::from_secs(60))
            {
                Ok(Message::Notification(n))
                    if n.method == "textDocument/publishDiagnostics"
                        && n.params["version"] == version =>
                {
                    return n.params["diagnostics"].as_array().map_or(0, Vec::len);
                }
                Ok(_) => {}
                Err(e) => panic!("no diagnostics: {e}"),
            }
        }
    }
}

fn lsp(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = std::fs::canonicalize(dir.path()).expect("canonical");
    let path = root.join("card.perf");
    let text = synthetic::perf(1_000);
    std::fs::write(&path, &text).expect("write");
    let uri = url::Url::from_file_path(&path).expect("file URI");

    let (server_side, client_side) = Connection::memory();
    let params: lsp_types::InitializeParams = serde_json::from_value(json!({
        "capabilities": {},
        "rootUri": url::Url::from_file_path(&root).expect("URI"),
    }))
    .expect("params");
    let server = std::thread::spawn(move || {
        perfcard::lsp::server::Server::new(server_side, &params).run();
    });
    let mut client = Client {
        connection: client_side,
        next_id: 0,
    };
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "perf", "version": 1, "text": text}}),
    );
    client.diagnostics(1);

    // A one-character edit inside the first title, typed and taken back.
    let title = text.find('"').expect("a string") + 1;
    let index = LineIndex::new(&text);
    let at = index.position(title);
    let mut version = 1;
    let mut group = c.benchmark_group("lsp 1k measures");
    // The library's own load and check of the same text, for scale: what
    // the re-check adds to it is the server's cost.
    group.bench_function("parse and check alone", |b| {
        b.iter(|| perfcard::check_files(&[("card.perf", &text)]).map(|(_, c)| c.diagnostics.len()))
    });
    group.bench_function("re-check after a keystroke", |b| {
        b.iter(|| {
            version += 1;
            let (range, insert) = if version % 2 == 0 {
                (json!({"start": at, "end": at}), "x")
            } else {
                let after = lsp_types::Position::new(at.line, at.character + 1);
                (json!({"start": at, "end": after}), "")
            };
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": range, "text": insert}]}),
            );
            client.diagnostics(version)
        })
    });
    // Back to the original text for the requests.
    if version % 2 == 0 {
        version += 1;
        let after = lsp_types::Position::new(at.line, at.character + 1);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": at, "end": after}, "text": ""}]}),
        );
        client.diagnostics(version);
    }
    let id_at = index.position(text.find("measure ").expect("a measure") + 9);
    group.bench_function("hover on an id", |b| {
        b.iter(|| {
            client.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": id_at}),
            )
        })
    });
    let field_at = index.position(text.find("    polarity").expect("a field") + 4);
    group.bench_function("completion of a field", |b| {
        b.iter(|| {
            client.request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": field_at}),
            )
        })
    });
    group.finish();
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = server.join();
}

criterion_group!(benches, lsp);
criterion_main!(benches);
