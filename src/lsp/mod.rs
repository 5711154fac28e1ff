//! `perfcard lsp`: a language server over stdin and stdout, a thin adapter
//! over the library (the same parser, checker, interpreter and formatter as
//! the commands).
//!
//! - [`server`]: the main loop, cancellation, shutdown, panics caught.
//! - [`workspace`]: open documents, the include graph, one analysis per root.
//! - [`convert`]: offsets ↔ positions, paths ↔ URIs, diagnostics.
//! - [`hover`], [`completion`], [`navigation`] (definition, references),
//!   [`symbols`], [`formatting`], [`actions`] (quick fixes): one feature each.
//! - [`keywords`]: the language's words, read from the grammar.

pub mod actions;
pub mod completion;
pub mod convert;
pub mod formatting;
pub mod hover;
pub mod keywords;
pub mod locate;
pub mod navigation;
pub mod server;
pub mod symbols;
pub mod workspace;

use lsp_server::Connection;

/// Runs the server on stdin/stdout until the client says `exit`. Returns
/// whether the session ended as the protocol says (`shutdown`, then `exit`).
pub fn run() -> Result<bool, String> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = serde_json::to_value(server::capabilities()).map_err(|e| e.to_string())?;
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let params: lsp_types::InitializeParams =
        serde_json::from_value(params).map_err(|e| format!("bad initialize parameters: {e}"))?;
    connection
        .initialize_finish(
            id,
            serde_json::json!({
                "capabilities": capabilities,
                "serverInfo": { "name": "perfcard", "version": env!("CARGO_PKG_VERSION") },
            }),
        )
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let end = server::Server::new(connection, &params).run();
    io_threads
        .join()
        .map_err(|e| format!("the connection failed: {e}"))?;
    Ok(matches!(end, server::End::Clean))
}
