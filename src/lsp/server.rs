//! The main loop: one thread, messages handled in order, like
//! rust-analyzer's scaffold on `lsp-server`.
//!
//! Messages are taken in batches (all that have arrived): a request that a
//! `$/cancelRequest` of the same batch cancels is answered with
//! `RequestCanceled` without being run, and the diagnostics of several
//! quick edits are computed once, after the batch. A panic while handling a
//! message is caught, logged to stderr, answered with an internal error,
//! and the server goes on.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CancelParams, CodeActionProviderCapability, CompletionOptions, HoverProviderCapability,
    InitializeParams, NumberOrString, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde_json::Value;

use super::convert::{self, LineIndex};
use super::workspace::{self, OpenDocument, Workspace};
use super::{actions, completion, formatting, hover, navigation, symbols};

/// The environment variable that enables the `perfcard/crash` request, which
/// panics on purpose (for the test that the server survives a panic).
pub const CRASH_TEST_VARIABLE: &str = "PERFCARD_LSP_CRASH_TEST";

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), "\"".into(), ",".into(), "/".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

pub struct Server {
    connection: Connection,
    workspace: Workspace,
    shutdown: bool,
}

/// How the loop ended: by `exit` after `shutdown` (0), or otherwise (1).
pub enum End {
    Clean,
    Abrupt,
}

impl Server {
    pub fn new(connection: Connection, params: &InitializeParams) -> Server {
        let mut workspace = Workspace::default();
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().ok())
            .collect();
        #[allow(deprecated)] // root_uri: older clients send only this.
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
        }
        workspace.folders = folders.iter().map(|f| workspace::key(f)).collect();
        workspace.scan();
        Server {
            connection,
            workspace,
            shutdown: false,
        }
    }

    pub fn run(mut self) -> End {
        loop {
            let Ok(first) = self.connection.receiver.recv() else {
                return End::Abrupt;
            };
            let mut batch = vec![first];
            while let Ok(more) = self.connection.receiver.try_recv() {
                batch.push(more);
            }
            let cancelled: HashSet<RequestId> = batch
                .iter()
                .filter_map(|m| match m {
                    Message::Notification(n) if n.method == notif::Cancel::METHOD => {
                        serde_json::from_value::<CancelParams>(n.params.clone()).ok()
                    }
                    _ => None,
                })
                .map(|p| match p.id {
                    NumberOrString::Number(n) => RequestId::from(n),
                    NumberOrString::String(s) => RequestId::from(s),
                })
                .collect();
            for message in batch {
                match message {
                    Message::Request(request) => {
                        let response = if cancelled.contains(&request.id) {
                            Response::new_err(
                                request.id,
                                ErrorCode::RequestCanceled as i32,
                                "cancelled".into(),
                            )
                        } else if self.shutdown {
                            Response::new_err(
                                request.id,
                                ErrorCode::InvalidRequest as i32,
                                "the server is shutting down".into(),
                            )
                        } else if request.method == req::Shutdown::METHOD {
                            self.shutdown = true;
                            Response::new_ok(request.id, ())
                        } else {
                            self.guarded_request(request)
                        };
                        self.send(response.into());
                    }
                    Message::Notification(n) if n.method == notif::Exit::METHOD => {
                        return if self.shutdown {
                            End::Clean
                        } else {
                            End::Abrupt
                        };
                    }
                    Message::Notification(n) => self.guarded_notification(n),
                    Message::Response(_) => {}
                }
            }
            self.publish();
        }
    }

    fn send(&self, message: Message) {
        // The client has gone when this fails; the loop ends on the next
        // receive.
        let _ = self.connection.sender.send(message);
    }

    /// Runs a request, answering with an error when it panics.
    fn guarded_request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        match panic::catch_unwind(AssertUnwindSafe(|| self.request(request))) {
            Ok(response) => response,
            Err(payload) => {
                let what = panic_message(&payload);
                eprintln!("perfcard lsp: the {method} request panicked: {what}");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!(
                        "perfcard failed on this request ({what}); the server is still running"
                    ),
                )
            }
        }
    }

    fn guarded_notification(&mut self, notification: Notification) {
        let method = notification.method.clone();
        if let Err(payload) =
            panic::catch_unwind(AssertUnwindSafe(|| self.notification(notification)))
        {
            eprintln!(
                "perfcard lsp: the {method} notification panicked: {}",
                panic_message(&payload)
            );
        }
    }

    fn request(&mut self, request: Request) -> Response {
        self.workspace.refresh();
        let id = request.id.clone();
        let result = match request.method.as_str() {
            req::HoverRequest::METHOD => self.answer::<req::HoverRequest>(request, Self::hover),
            req::Completion::METHOD => self.answer::<req::Completion>(request, Self::completion),
            req::GotoDefinition::METHOD => {
                self.answer::<req::GotoDefinition>(request, Self::definition)
            }
            req::References::METHOD => self.answer::<req::References>(request, Self::references),
            req::DocumentSymbolRequest::METHOD => {
                self.answer::<req::DocumentSymbolRequest>(request, Self::symbols)
            }
            req::Formatting::METHOD => self.answer::<req::Formatting>(request, Self::formatting),
            req::CodeActionRequest::METHOD => {
                self.answer::<req::CodeActionRequest>(request, Self::code_actions)
            }
            "perfcard/crash" if std::env::var_os(CRASH_TEST_VARIABLE).is_some() => {
                panic!("perfcard/crash was asked to panic")
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("perfcard does not handle {}", request.method),
            )),
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err((code, message)) => Response::new_err(id, code as i32, message),
        }
    }

    /// Decodes a request's parameters, runs `handler` and encodes its result.
    fn answer<R: req::Request>(
        &mut self,
        request: Request,
        handler: fn(&mut Self, R::Params) -> R::Result,
    ) -> Result<Value, (ErrorCode, String)> {
        let params: R::Params = serde_json::from_value(request.params)
            .map_err(|e| (ErrorCode::InvalidParams, e.to_string()))?;
        let result = handler(self, params);
        serde_json::to_value(result).map_err(|e| (ErrorCode::InternalError, e.to_string()))
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(
                    notification.params,
                ) {
                    let path = workspace::key(&convert::path_of(&p.text_document.uri));
                    self.workspace.learn_includes(&path, &p.text_document.text);
                    self.workspace.documents.insert(
                        path.clone(),
                        OpenDocument {
                            uri: p.text_document.uri,
                            text: p.text_document.text,
                            version: p.text_document.version,
                        },
                    );
                    self.workspace.touch(&path);
                }
            }
            notif::DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                    notification.params,
                ) {
                    let path = workspace::key(&convert::path_of(&p.text_document.uri));
                    if let Some(document) = self.workspace.documents.get_mut(&path) {
                        for change in p.content_changes {
                            apply_change(&mut document.text, change);
                        }
                        document.version = p.text_document.version;
                    }
                    self.workspace.touch(&path);
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(
                    notification.params,
                ) {
                    let path = workspace::key(&convert::path_of(&p.text_document.uri));
                    // The roots it belonged to are read from disk again.
                    self.workspace.touch(&path);
                    self.workspace.documents.remove(&path);
                    // A file that is not on disk is forgotten with its
                    // diagnostics.
                    if !path.exists() {
                        self.workspace.forget(&path);
                    }
                }
            }
            notif::DidSaveTextDocument::METHOD | notif::DidChangeWatchedFiles::METHOD => {
                // A file changed on disk may be included by an open one.
                let roots: Vec<PathBuf> = self.workspace.analyses.keys().cloned().collect();
                for root in roots {
                    self.workspace.touch(&root);
                }
            }
            _ => {}
        }
    }

    /// Sends the diagnostics of every file whose diagnostics may have
    /// changed: those of every analysis that holds it, merged (a file
    /// included by two roots is checked with each); none clears them.
    fn publish(&mut self) {
        self.workspace.refresh();
        let changed = std::mem::take(&mut self.workspace.changed);
        for path in changed {
            let mut diagnostics: Vec<lsp_types::Diagnostic> = Vec::new();
            for analysis in self.workspace.analyses.values() {
                let Some(file) = analysis.file_id(&path) else {
                    continue;
                };
                let sources = &analysis.loaded.sources;
                let index = LineIndex::new(&sources.get(file).text);
                for d in analysis
                    .checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.span.file == file)
                {
                    let converted = convert::diagnostic(d, sources, &index, &|p| self.uri_of(p));
                    if !diagnostics.contains(&converted) {
                        diagnostics.push(converted);
                    }
                }
            }
            let Some(uri) = self.uri_of(&path) else {
                continue;
            };
            let version = self.workspace.documents.get(&path).map(|d| d.version);
            self.send(
                Notification::new(
                    notif::PublishDiagnostics::METHOD.into(),
                    PublishDiagnosticsParams::new(uri, diagnostics, version),
                )
                .into(),
            );
        }
    }

    /// The URI to show a file under: an open document's own, else its path's.
    fn uri_of(&self, path: &Path) -> Option<url::Url> {
        match self.workspace.documents.get(path) {
            Some(document) => Some(document.uri.clone()),
            None => convert::uri_of(path),
        }
    }

    /// The analysis holding a document, and the byte offset of a position.
    fn locate(
        &self,
        uri: &url::Url,
        position: lsp_types::Position,
    ) -> Option<(&workspace::Analysis, crate::FileId, usize)> {
        let path = workspace::key(&convert::path_of(uri));
        let (analysis, file) = self.workspace.analysis_of(&path)?;
        let offset = LineIndex::new(&analysis.loaded.sources.get(file).text).offset(position);
        Some((analysis, file, offset))
    }

    fn hover(&mut self, p: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let at = p.text_document_position_params;
        let (analysis, file, offset) = self.locate(&at.text_document.uri, at.position)?;
        hover::hover(analysis, file, offset)
    }

    fn completion(
        &mut self,
        p: lsp_types::CompletionParams,
    ) -> Option<lsp_types::CompletionResponse> {
        let at = p.text_document_position;
        let path = workspace::key(&convert::path_of(&at.text_document.uri));
        let items = match self.locate(&at.text_document.uri, at.position) {
            Some((analysis, file, offset)) => completion::complete(&completion::Input {
                text: &analysis.loaded.sources.get(file).text,
                offset,
                path: &path,
                document: &analysis.loaded.file(file)?.parsed.document,
                model: Some(&analysis.checked.model),
                period: analysis.period,
            }),
            None => {
                let text = self.workspace.text_of(&path)?;
                let parsed = crate::parse(crate::FileId(0), &text);
                completion::complete(&completion::Input {
                    text: &text,
                    offset: LineIndex::new(&text).offset(at.position),
                    path: &path,
                    document: &parsed.document,
                    model: None,
                    period: None,
                })
            }
        };
        Some(lsp_types::CompletionResponse::Array(items))
    }

    fn definition(
        &mut self,
        p: lsp_types::GotoDefinitionParams,
    ) -> Option<lsp_types::GotoDefinitionResponse> {
        let at = p.text_document_position_params;
        let (analysis, file, offset) = self.locate(&at.text_document.uri, at.position)?;
        navigation::definition(analysis, file, offset, &|path| self.uri_of(path))
            .map(lsp_types::GotoDefinitionResponse::Scalar)
    }

    fn references(&mut self, p: lsp_types::ReferenceParams) -> Option<Vec<lsp_types::Location>> {
        let at = p.text_document_position;
        let (analysis, file, offset) = self.locate(&at.text_document.uri, at.position)?;
        Some(navigation::references(
            analysis,
            file,
            offset,
            p.context.include_declaration,
            &|path| self.uri_of(path),
        ))
    }

    fn symbols(
        &mut self,
        p: lsp_types::DocumentSymbolParams,
    ) -> Option<lsp_types::DocumentSymbolResponse> {
        let path = workspace::key(&convert::path_of(&p.text_document.uri));
        let text = self.workspace.text_of(&path)?;
        let parsed = crate::parse(crate::FileId(0), &text);
        let index = LineIndex::new(&text);
        Some(lsp_types::DocumentSymbolResponse::Nested(symbols::symbols(
            &parsed.document,
            &index,
        )))
    }

    fn formatting(
        &mut self,
        p: lsp_types::DocumentFormattingParams,
    ) -> Option<Vec<lsp_types::TextEdit>> {
        let path = workspace::key(&convert::path_of(&p.text_document.uri));
        formatting::format_document(&self.workspace.text_of(&path)?)
    }

    fn code_actions(
        &mut self,
        p: lsp_types::CodeActionParams,
    ) -> Option<lsp_types::CodeActionResponse> {
        let path = workspace::key(&convert::path_of(&p.text_document.uri));
        let text = self.workspace.text_of(&path)?;
        Some(actions::code_actions(
            &p.text_document.uri,
            &text,
            &p.context.diagnostics,
        ))
    }
}

/// Applies one change of `didChange` (a range replaced, or the whole text).
fn apply_change(text: &mut String, change: lsp_types::TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let index = LineIndex::new(text);
            let start = index.offset(range.start);
            let end = index.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
        None => *text = change.text,
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incremental_changes_apply_in_utf16_units() {
        let mut text = "unit \"£m\"\npolarity higher\n".to_string();
        apply_change(
            &mut text,
            lsp_types::TextDocumentContentChangeEvent {
                range: Some(lsp_types::Range::new(
                    lsp_types::Position::new(0, 7),
                    lsp_types::Position::new(0, 8),
                )),
                range_length: None,
                text: "bn".into(),
            },
        );
        assert_eq!(text, "unit \"£bn\"\npolarity higher\n");
    }
}
