//! The language server (`treaty lsp`): the checker, the index of names and the formatter,
//! served to editors over the Language Server Protocol (JSON-RPC on stdin and stdout, framed
//! by `lsp-server`, the crate rust-analyzer is built on).
//!
//! The server keeps the open buffers (`workspace`) and answers from them over the files on
//! disk: diagnostics of every open document after each change (`diagnostics`, with quick
//! fixes for "did you mean"), hover, definition, references and outlines (`navigate`, over
//! the names of `symbols`), completion (`completion`, with the sentences of the source text
//! from `source`) and formatting (`crate::fmt`). Positions are counted as the protocol
//! counts them (`text`).

mod completion;
mod diagnostics;
mod navigate;
mod server;
mod source;
mod symbols;
mod text;
mod workspace;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use lsp_server::Connection;

/// What can stop the server: the connection failing, or a client that breaks the protocol.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serve the editor that started `treaty lsp` on stdin and stdout, until it says `exit`.
/// `root`: the rules root of every file (`--root`), else each file's workspace folder.
pub fn run_stdio(root: Option<PathBuf>) -> Result<(), Error> {
    let (connection, threads) = Connection::stdio();
    serve(&connection, root)?;
    drop(connection);
    threads.join()?;
    Ok(())
}

/// Serve a client on `connection`: the handshake, then every message until `shutdown`.
pub fn serve(connection: &Connection, root: Option<PathBuf>) -> Result<(), Error> {
    server::serve(connection, root)
}
