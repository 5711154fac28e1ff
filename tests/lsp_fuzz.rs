//! Random edits to the examples, sent to `perfcard lsp` as incremental
//! changes, each followed by a random request at a random place: every
//! request is answered, none with an internal error, nothing panics, and
//! the server's copy of the text stays the client's (its outline is the one
//! the library computes from the client's text). The seed is fixed, so a
//! failure repeats.
#![cfg(feature = "lsp")]

mod lsp_client;

use lsp_client::{copy_example, file_uri, Client};
use perfcard::lsp::convert::LineIndex;
use serde_json::{json, Value};

/// xorshift64*: small, deterministic, good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SNIPPETS: &[&str] = &[
    "{",
    "}",
    "\"",
    "\n",
    " ",
    "measure ",
    "action ",
    "group \"G\" {",
    "include \"x.perf\"",
    "composite worst of ",
    ", ",
    "2017/18 Q1",
    "2018/19",
    "Q5",
    "%",
    "pp",
    "n/a",
    "£",
    "😀",
    "target 2018/19 { Q1 5% }",
    "actual {",
    "// c",
    "polarity ",
    "unit money \"£m\"",
    "-",
    "0.5",
    "1/0",
    "done concern \"x\"",
    "status 2018/19 Q2 red",
    "report \"R\" {",
    "\\",
];

fn char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One random edit as an incremental change; applies it to `text`.
fn random_edit(rng: &mut Rng, text: &mut String) -> Value {
    let start = char_boundary(text, rng.below(text.len() + 1));
    let (end, insert) = if rng.below(3) == 0 {
        (char_boundary(text, start + rng.below(24)), String::new())
    } else {
        (start, SNIPPETS[rng.below(SNIPPETS.len())].to_string())
    };
    let index = LineIndex::new(text);
    let range = index.range(start, end);
    let change = json!({"range": range, "text": insert});
    text.replace_range(start..end, &insert);
    change
}

fn random_request(rng: &mut Rng, uri: &str, text: &str) -> (&'static str, Value) {
    let offset = char_boundary(text, rng.below(text.len() + 1));
    let position = LineIndex::new(text).position(offset);
    let at = json!({"textDocument": {"uri": uri}, "position": position});
    match rng.below(7) {
        0 => ("textDocument/hover", at),
        1 => ("textDocument/completion", at),
        2 => ("textDocument/definition", at),
        3 => {
            let mut p = at;
            p["context"] = json!({"includeDeclaration": true});
            ("textDocument/references", p)
        }
        4 => (
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ),
        5 => (
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        ),
        _ => (
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": {"start": position, "end": position},
                   "context": {"diagnostics": [{"range": {"start": position, "end": position},
                     "message": "x\nhelp: did you mean `report`?", "source": "perfcard"}]}}),
        ),
    }
}

fn fuzz(folder: &str, file: &str, seed: u64, steps: usize) {
    let (_dir, root) = copy_example(folder);
    let path = root.join(file);
    let uri = file_uri(&path);
    let mut text = std::fs::read_to_string(&path).unwrap();
    let mut rng = Rng(seed);
    let mut client = Client::spawn(&[]);
    client.initialize(&root);
    client.open(&uri, &text);
    for version in 2..steps as i32 + 2 {
        let change = random_edit(&mut rng, &mut text);
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        // Now and then a request whose parameters are not what the method
        // takes: an error answer, and the server goes on.
        if rng.below(10) == 0 {
            let id = client.start("textDocument/hover", json!({"textDocument": 5}));
            assert_eq!(client.response(id)["error"]["code"], -32602);
        }
        let (method, params) = random_request(&mut rng, &uri, &text);
        let id = client.start(method, params.clone());
        let response = client.response(id);
        assert!(
            response.get("error").is_none(),
            "{method} {params} failed after {version} edits: {response}\ntext:\n{text}"
        );
    }
    // The server's text is the client's: the same outline.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let parsed = perfcard::parse(perfcard::FileId(0), &text);
    let expected = perfcard::lsp::symbols::symbols(&parsed.document, &LineIndex::new(&text));
    assert_eq!(symbols, serde_json::to_value(expected).unwrap());
    // Every edit was checked and published; the last diagnostics are for
    // the last version.
    let mut last = client.diagnostics_for(&uri);
    while let Some(at) = client
        .pending
        .iter()
        .position(|m| m["params"]["uri"] == uri.as_str())
    {
        last = client.pending.remove(at).unwrap()["params"].clone();
    }
    assert!(last["version"].as_i64().is_some());
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn random_edits_to_the_tutorial() {
    fuzz("tutorial", "scorecard.perf", 0x5eed_0001, 120);
}

#[test]
fn random_edits_to_an_included_file() {
    fuzz("tutorial", "finance.perf", 0x5eed_0002, 80);
}

#[test]
fn random_edits_to_a_published_report() {
    fuzz("portsmouth-2017-q1", "portsmouth.perf", 0x5eed_0003, 60);
    fuzz("portsmouth-2017-q1", "early-help.perf", 0x5eed_0004, 60);
}
