// The VS Code client for `treaty lsp`: starts the language server for .treaty files.
// Highlighting comes from the grammar (syntaxes/) and needs none of this.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  const config = vscode.workspace.getConfiguration('treaty');
  if (!config.get('server.enabled', true)) {
    return;
  }
  const command = config.get('server.path', 'treaty');
  const serverOptions = {
    command,
    args: ['lsp'],
    transport: TransportKind.stdio,
  };
  const clientOptions = {
    documentSelector: [{ scheme: 'file', language: 'treaty' }],
    // Rule files saved elsewhere may be imported by an open one: re-check when they change.
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.treaty'),
    },
  };
  client = new LanguageClient('treaty', 'treaty language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    vscode.window.showWarningMessage(
      `Could not start \`${command} lsp\` (${error}). Highlighting still works; ` +
        'set "treaty.server.path", or "treaty.server.enabled": false to stop trying.'
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
