//! The protocol: the handshake and what the server offers, then each request answered and
//! each change of a buffer followed by fresh diagnostics.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    References, Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions,
    CompletionResponse, DocumentSymbolResponse, GotoDefinitionResponse, HoverProviderCapability,
    InitializeParams, InitializeResult, OneOf, Position, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit,
    Url, WorkspaceSymbolResponse,
};

use super::completion::{Known, complete};
use super::source::{quotable_sentences, source_texts};
use super::symbols::Index;
use super::text::{LineIndex, path_of, uri_of};
use super::workspace::{Document, Workspace, canonical};
use super::{Error, diagnostics, navigate};

pub(super) fn serve(connection: &Connection, root: Option<PathBuf>) -> Result<(), Error> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let mut server = Server {
        workspace: Workspace {
            folders: folders(&params),
            root,
            ..Workspace::default()
        },
        published: BTreeSet::new(),
    };
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "treaty".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                connection
                    .sender
                    .send(Message::Response(server.request(request)))?;
            }
            Message::Notification(notification) => {
                for out in server.notification(notification) {
                    connection.sender.send(Message::Notification(out))?;
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// What the server can do.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([".", "\"", " ", "{"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

/// The workspace folders of the client, or its root.
#[expect(
    deprecated,
    reason = "older clients send only `rootUri` (or `rootPath`)"
)]
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .workspace_folders
        .iter()
        .flatten()
        .filter_map(|folder| path_of(&folder.uri))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    params
        .root_uri
        .as_ref()
        .and_then(path_of)
        .or_else(|| params.root_path.as_ref().map(PathBuf::from))
        .into_iter()
        .collect()
}

struct Server {
    workspace: Workspace,
    /// The files that were last sent diagnostics, so that those now clean are cleared.
    published: BTreeSet<PathBuf>,
}

impl Server {
    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        let params = notification.params;
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<
                    <DidOpenTextDocument as lsp_types::notification::Notification>::Params,
                >(params) else {
                    return Vec::new();
                };
                let document = params.text_document;
                let Some(path) = document_path(&document.uri) else {
                    return Vec::new();
                };
                self.workspace.documents.insert(
                    path,
                    Document {
                        text: Arc::from(document.text),
                        version: document.version,
                    },
                );
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<
                    <DidChangeTextDocument as lsp_types::notification::Notification>::Params,
                >(params) else {
                    return Vec::new();
                };
                let Some(path) = document_path(&params.text_document.uri) else {
                    return Vec::new();
                };
                let Some(document) = self.workspace.documents.get_mut(&path) else {
                    return Vec::new();
                };
                for change in params.content_changes {
                    let text = match change.range {
                        None => change.text,
                        Some(range) => {
                            let span = LineIndex::new(&document.text).span(range);
                            let mut text = document.text.to_string();
                            text.replace_range(span.range(), &change.text);
                            text
                        }
                    };
                    document.text = Arc::from(text);
                }
                document.version = params.text_document.version;
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = serde_json::from_value::<
                    <DidCloseTextDocument as lsp_types::notification::Notification>::Params,
                >(params) else {
                    return Vec::new();
                };
                if let Some(path) = document_path(&params.text_document.uri) {
                    self.workspace.documents.remove(&path);
                }
            }
            // A file on disk changed: an open document may import it.
            DidChangeWatchedFiles::METHOD => {}
            _ => return Vec::new(),
        }
        self.publish()
    }

    /// Diagnostics for every open document, and empty ones for files now clean.
    fn publish(&mut self) -> Vec<Notification> {
        let by_file = diagnostics::collect(&self.workspace);
        let mut out = Vec::new();
        let stale: Vec<PathBuf> = self
            .published
            .iter()
            .filter(|path| !by_file.contains_key(*path))
            .cloned()
            .collect();
        for path in stale {
            out.extend(publish(&path, Vec::new(), None));
        }
        self.published = by_file.keys().cloned().collect();
        for (path, diagnostics) in by_file {
            let version = self.workspace.documents.get(&path).map(|d| d.version);
            out.extend(publish(&path, diagnostics, version));
        }
        out
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            HoverRequest::METHOD => self.handle::<HoverRequest>(request, |server, params| {
                let at = params.text_document_position_params;
                let (path, offset) = server.place(&at.text_document.uri, at.position)?;
                navigate::hover(&server.workspace, &path, offset)
            }),
            GotoDefinition::METHOD => self.handle::<GotoDefinition>(request, |server, params| {
                let at = params.text_document_position_params;
                let (path, offset) = server.place(&at.text_document.uri, at.position)?;
                let found = navigate::definition(&server.workspace, &path, offset);
                Some(GotoDefinitionResponse::Array(found))
            }),
            References::METHOD => self.handle::<References>(request, |server, params| {
                let at = params.text_document_position;
                let (path, offset) = server.place(&at.text_document.uri, at.position)?;
                let declarations = params.context.include_declaration;
                Some(navigate::references(
                    &server.workspace,
                    &path,
                    offset,
                    declarations,
                ))
            }),
            Completion::METHOD => self.handle::<Completion>(request, |server, params| {
                let at = params.text_document_position;
                let (path, offset) = server.place(&at.text_document.uri, at.position)?;
                let files = server.workspace.closure(&path);
                let text = files.first()?.file.text.clone();
                let index = Index::build(&files);
                let sentences = || {
                    files
                        .first()
                        .map(source_texts)
                        .unwrap_or_default()
                        .iter()
                        .flat_map(|source| quotable_sentences(&source.text))
                        .collect()
                };
                let known = Known {
                    index: &index,
                    sentences: &sentences,
                };
                Some(CompletionResponse::Array(complete(&text, offset, &known)))
            }),
            DocumentSymbolRequest::METHOD => {
                self.handle::<DocumentSymbolRequest>(request, |server, params| {
                    let path = document_path(&params.text_document.uri)?;
                    let symbols = navigate::document_symbols(&server.workspace, &path);
                    Some(DocumentSymbolResponse::Nested(symbols))
                })
            }
            WorkspaceSymbolRequest::METHOD => {
                self.handle::<WorkspaceSymbolRequest>(request, |server, params| {
                    let symbols = navigate::workspace_symbols(&server.workspace, &params.query);
                    Some(WorkspaceSymbolResponse::Nested(symbols))
                })
            }
            Formatting::METHOD => self.handle::<Formatting>(request, |server, params| {
                let path = document_path(&params.text_document.uri)?;
                let text = server.workspace.text(&path)?;
                let formatted = crate::fmt::format_str(&path.display().to_string(), &text).ok()?;
                if formatted == *text {
                    return Some(Vec::new());
                }
                let range = LineIndex::new(&text).all();
                Some(vec![TextEdit::new(range, formatted)])
            }),
            CodeActionRequest::METHOD => self.handle::<CodeActionRequest>(request, |_, params| {
                let uri = params.text_document.uri;
                Some(diagnostics::actions(&uri, &params.context.diagnostics))
            }),
            method => {
                let message = format!("`treaty lsp` does not answer `{method}`");
                return Response::new_err(id, ErrorCode::MethodNotFound as i32, message);
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    /// Answer a request of type `R` with `answer`.
    fn handle<R: lsp_types::request::Request>(
        &self,
        request: Request,
        answer: impl FnOnce(&Self, R::Params) -> R::Result,
    ) -> Result<serde_json::Value, String> {
        let params: R::Params = serde_json::from_value(request.params)
            .map_err(|e| format!("invalid parameters of `{}`: {e}", R::METHOD))?;
        serde_json::to_value(answer(self, params)).map_err(|e| e.to_string())
    }

    /// The file of `uri` and the byte offset of `position` in it.
    fn place(&self, uri: &Url, position: Position) -> Option<(PathBuf, usize)> {
        let path = document_path(uri)?;
        let text = self.workspace.text(&path)?;
        let offset = LineIndex::new(&text).offset(position);
        Some((path, offset))
    }
}

/// The file of a document's URI, as the workspace keys it.
fn document_path(uri: &Url) -> Option<PathBuf> {
    path_of(uri).map(|path| canonical(&path))
}

fn publish(
    path: &std::path::Path,
    diagnostics: Vec<lsp_types::Diagnostic>,
    version: Option<i32>,
) -> Option<Notification> {
    let params = PublishDiagnosticsParams {
        uri: uri_of(path)?,
        diagnostics,
        version,
    };
    Some(Notification::new(
        PublishDiagnostics::METHOD.to_string(),
        params,
    ))
}
