//! `perfcard lsp` spoken to as an editor would: the real binary, JSON-RPC
//! over its stdin and stdout. Answers are snapshotted with the workspace's
//! URI replaced by `file:///WORKSPACE`.
#![cfg(feature = "lsp")]

mod lsp_client;

use lsp_client::{copy_example, file_uri, normalise, Client};
use serde_json::{json, Value};

fn position(text: &str, needle: &str, delta: usize) -> Value {
    let at = text.find(needle).expect("needle in text") + delta;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": column})
}

#[test]
fn a_session_from_initialize_to_exit() {
    let (_dir, root) = copy_example("tutorial");
    let path = root.join("scorecard.perf");
    let uri = file_uri(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut client = Client::spawn(&[]);

    let init = client.initialize(&root);
    insta::assert_snapshot!("initialize", normalise(&init, &root));

    // Open: the tutorial is clean, so its diagnostics are empty.
    client.open(&uri, &text);
    let first = client.diagnostics_for(&uri);
    assert_eq!(first["diagnostics"], json!([]), "{first}");

    // Break it: a misspelt polarity word and an unknown composite component.
    let broken = text
        .replacen("polarity higher  // bigger is better", "polarity highr", 1)
        .replacen(
            "composite worst of HS01, HS02, HS03",
            "composite worst of HS01, HS02, HS3",
            1,
        );
    client.change_all(&uri, 2, &broken);
    let errors = client.diagnostics_for(&uri);
    insta::assert_snapshot!("diagnostics_broken", normalise(&errors, &root));
    assert!(errors["diagnostics"].as_array().unwrap().len() >= 2);

    // A quick fix for the misspelt word.
    let syntax = errors["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "perfcard::syntax")
        .cloned()
        .expect("a syntax error");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": syntax["range"], "context": {"diagnostics": [syntax]}}),
    );
    insta::assert_snapshot!("code_action", normalise(&actions, &root));

    // Mend it: the diagnostics are cleared.
    client.change_all(&uri, 3, &text);
    let mended = client.diagnostics_for(&uri);
    assert_eq!(mended["diagnostics"], json!([]), "{mended}");
    assert_eq!(mended["version"], 3);

    // Hover on a measure id: the rating at the report period, with why.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "measure HS02", 9)}),
    );
    insta::assert_snapshot!("hover_measure", normalise(&hover, &root));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("AMBER"));

    // Hover on a period and on a keyword.
    let period = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "period 2018/19 Q2  //", 9)}),
    );
    assert_eq!(
        period["contents"]["value"], "**2018/19 Q2**: Jul–Sep 2018",
        "{period}"
    );
    let keyword = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "tolerance", 2)}),
    );
    insta::assert_snapshot!("hover_keyword", normalise(&keyword, &root));

    // Completion of a field on a new line inside a measure.
    let inside = text.find("measure HS02").unwrap();
    let line_end = inside + text[inside..].find('\n').unwrap() + 1;
    let mut edited = text.clone();
    edited.insert_str(line_end, "    \n");
    client.change_all(&uri, 4, &edited);
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&edited, "measure HS02", 0).as_object().map(|p| json!({"line": p["line"].as_u64().unwrap() + 1, "character": 4})).unwrap()}),
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    insta::assert_snapshot!("completion_fields", labels.join("\n"));
    assert!(labels.contains(&"polarity") && !labels.contains(&"milestone"));
    client.change_all(&uri, 5, &text);

    // Definition: from a composite's component to the measure.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "majority of HS01, FIN-02", 19)}),
    );
    insta::assert_snapshot!("definition_component", normalise(&definition, &root));
    assert!(definition["uri"]
        .as_str()
        .unwrap()
        .ends_with("finance.perf"));

    // Definition: from an include to the file.
    let included = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "include \"finance.perf\"", 12)}),
    );
    assert_eq!(
        normalise(&included["uri"], &root),
        "\"file:///WORKSPACE/finance.perf\""
    );

    // References of a measure used by two composites.
    let references = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "measure HS01", 9), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(references.as_array().unwrap().len(), 3, "{references}");

    // Formatting: a squeezed line is laid out as `perfcard fmt` does.
    let messy = text.replacen(
        "    polarity higher  // bigger is better",
        "polarity    higher // bigger is better",
        1,
    );
    client.change_all(&uri, 6, &messy);
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let new_text = edits[0]["newText"].as_str().expect("one edit");
    let parsed = perfcard::parse(perfcard::FileId(0), &messy);
    assert_eq!(new_text, perfcard::format(&messy, &parsed));
    assert_ne!(new_text, messy);

    // Symbols: the outline's top level.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} ({})",
                s["name"].as_str().unwrap(),
                s["children"].as_array().map_or(0, Vec::len)
            )
        })
        .collect();
    insta::assert_snapshot!("symbols", names.join("\n"));

    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn an_included_file_is_checked_through_its_root() {
    let (_dir, root) = copy_example("tutorial");
    let finance = root.join("finance.perf");
    let uri = file_uri(&finance);
    let text = std::fs::read_to_string(&finance).unwrap();
    let mut client = Client::spawn(&[]);
    client.initialize(&root);
    let root_uri = file_uri(&root.join("scorecard.perf"));
    client.open(&uri, &text);
    // The root is checked (from disk) with it: both files are clean.
    assert_eq!(client.diagnostics_for(&uri)["diagnostics"], json!([]));
    assert_eq!(client.diagnostics_for(&root_uri)["diagnostics"], json!([]));

    // A duplicate id across the two files, and a negative tolerance in the
    // included file. The duplicate is reported where the root declares the
    // id again (the include comes first), with the included file's
    // declaration as related information.
    let broken = text.replacen("measure FIN-01", "measure HS01", 1).replacen(
        "tolerance 0.25",
        "tolerance -0.25",
        1,
    );
    client.change_all(&uri, 2, &broken);
    let included = client.diagnostics_for(&uri);
    insta::assert_snapshot!("included_band", normalise(&included, &root));
    let in_root = client.diagnostics_for(&root_uri);
    insta::assert_snapshot!("included_duplicate", normalise(&in_root, &root));
    assert!(in_root["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "perfcard::duplicate-id"));

    // Hover on an id of the included file rates it with the whole report.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&broken, "measure FIN-02", 9)}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("GREEN"),
        "{hover}"
    );

    client.change_all(&uri, 3, &text);
    assert_eq!(client.diagnostics_for(&uri)["diagnostics"], json!([]));
    assert_eq!(client.diagnostics_for(&root_uri)["diagnostics"], json!([]));
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn a_panic_is_answered_and_the_server_goes_on() {
    let (_dir, root) = copy_example("tutorial");
    let uri = file_uri(&root.join("scorecard.perf"));
    let text = std::fs::read_to_string(root.join("scorecard.perf")).unwrap();
    let mut client = Client::spawn(&[("PERFCARD_LSP_CRASH_TEST", "1")]);
    client.initialize(&root);
    client.open(&uri, &text);
    let id = client.start("perfcard/crash", json!({}));
    let response = client.response(id);
    assert_eq!(response["error"]["code"], -32603, "{response}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "measure HS02", 9)}),
    );
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("HS02"));
    // An unknown method is an error, not a crash.
    let id = client.start("perfcard/unknown", json!({}));
    assert_eq!(client.response(id)["error"]["code"], -32601);
    assert_eq!(client.shutdown(), Some(0));
}

#[test]
fn requests_after_shutdown_are_refused_and_exit_without_shutdown_fails() {
    let (_dir, root) = copy_example("tutorial");
    let mut client = Client::spawn(&[]);
    client.initialize(&root);
    let id = client.start("shutdown", Value::Null);
    assert_eq!(client.response(id)["result"], Value::Null);
    let id = client.start(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///x.perf"}}),
    );
    assert_eq!(client.response(id)["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), Some(0), "exit after shutdown is a clean end");
    let mut other = Client::spawn(&[]);
    other.initialize(&root);
    other.notify("exit", Value::Null);
    let code = other.wait();
    assert_eq!(code, Some(1), "exit without shutdown is an error");
}

#[test]
fn a_cancelled_request_is_answered() {
    let (_dir, root) = copy_example("tutorial");
    let uri = file_uri(&root.join("scorecard.perf"));
    let text = std::fs::read_to_string(root.join("scorecard.perf")).unwrap();
    let mut client = Client::spawn(&[]);
    client.initialize(&root);
    client.open(&uri, &text);
    let id = client.start(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&text, "measure HS02", 9)}),
    );
    client.notify("$/cancelRequest", json!({"id": id}));
    let response = client.response(id);
    // Either cancelled before it ran, or answered: never left unanswered.
    assert!(
        response["error"]["code"] == -32800 || response["result"]["contents"].is_object(),
        "{response}"
    );
    assert_eq!(client.shutdown(), Some(0));
}
