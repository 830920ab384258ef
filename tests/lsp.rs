//! `treaty lsp` as an editor runs it: the binary over pipes, spoken to in framed JSON-RPC
//! (`lsp-server`'s own framing): initialize → didOpen of a position with a misspelt category
//! → its diagnostic → hover on a quote (the paragraph of the letter) → completion after
//! `class = ` (the enumeration) → definition of a category → quick fix → didChange (clean)
//! → formatting → shutdown and exit.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)] // test arithmetic on small offsets

use std::io::{BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};

struct Client {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_treaty"))
            .arg("lsp")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Client {
            child,
            stdin,
            stdout,
            next_id: 0,
        }
    }

    fn send(&mut self, message: Message) {
        message.write(&mut self.stdin).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    /// Send a request and wait for its response, keeping the notifications met on the way.
    fn request(&mut self, method: &str, params: Value, seen: &mut Vec<Notification>) -> Value {
        self.next_id += 1;
        let id = RequestId::from(self.next_id);
        self.send(Message::Request(Request::new(
            id.clone(),
            method.to_string(),
            params,
        )));
        loop {
            match Message::read(&mut self.stdout).unwrap().unwrap() {
                Message::Response(response) if response.id == id => {
                    assert!(response.error.is_none(), "{method}: {:?}", response.error);
                    return response.result.unwrap_or(Value::Null);
                }
                Message::Notification(notification) => seen.push(notification),
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str, seen: &mut Vec<Notification>) -> Vec<Value> {
        loop {
            if let Some(position) = seen.iter().position(|n| {
                n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
            }) {
                let notification = seen.remove(position);
                return notification.params["diagnostics"]
                    .as_array()
                    .unwrap()
                    .clone();
            }
            match Message::read(&mut self.stdout).unwrap().unwrap() {
                Message::Notification(notification) => seen.push(notification),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}

/// The position (line, UTF-16 column) of the `nth` character after the start of `needle`.
fn position(text: &str, needle: &str, after: usize) -> Value {
    let offset = text.find(needle).unwrap() + after;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap().encode_utf16().count();
    json!({ "line": line, "character": column })
}

#[test]
fn an_editor_session() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let letter = std::fs::read_to_string(root.join("rules/ussr-1977-03-15.treaty")).unwrap();
    // A buffer of the letter, not saved, with a misspelt category.
    let text = letter.replace(
        "count of delivery_vehicles at most 2400",
        "count of delivery_vehicle at most 2400",
    );
    let file_uri =
        |path: &std::path::Path| lsp_types::Url::from_file_path(path).unwrap().to_string();
    let uri = file_uri(&root.join("rules/unsaved-letter.treaty"));
    let mut client = Client::start();
    let mut seen = Vec::new();

    let init = client.request(
        "initialize",
        json!({ "processId": null, "rootUri": file_uri(root), "capabilities": {} }),
        &mut seen,
    );
    let capabilities = &init["capabilities"];
    for provider in [
        "hoverProvider",
        "completionProvider",
        "definitionProvider",
        "referencesProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
        "documentFormattingProvider",
        "codeActionProvider",
    ] {
        assert!(!capabilities[provider].is_null(), "{provider}: {init}");
    }
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "treaty", "version": 1, "text": text } }),
    );

    let diagnostics = client.diagnostics(&uri, &mut seen);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let misspelt = &diagnostics[0];
    assert_eq!(misspelt["code"], "treaty::check::unknown_name");
    assert_eq!(
        misspelt["range"]["start"],
        position(&text, "delivery_vehicle at most", 0)
    );
    assert!(
        misspelt["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `delivery_vehicles`?")
    );

    let document = json!({ "uri": uri });
    let hover = client.request(
        "textDocument/hover",
        json!({ "textDocument": document, "position": position(&text, "quote \"to limit the level", 12) }),
        &mut seen,
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with("From `sources/brezhnev-carter-1977-03-15.txt`:"),
        "{shown}"
    );
    assert!(
        shown.contains("it could be possible for the sides not only **to limit the level of strategic nuclear means delivery vehicles (2400 and 1320)**, but also to discuss"),
        "{shown}"
    );

    let completion = client.request(
        "textDocument/completion",
        json!({ "textDocument": document, "position": position(&text, "class = medium_bomber\n        and type.name", 8) }),
        &mut seen,
    );
    let labels: Vec<&str> = completion
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "icbm_launcher",
            "slbm_launcher",
            "heavy_bomber",
            "medium_bomber",
            "other_aircraft",
            "asbm",
            "cruise_missile"
        ]
    );

    let definition = client.request(
        "textDocument/definition",
        json!({ "textDocument": document, "position": position(&text, "no long_range_alcms", 5) }),
        &mut seen,
    );
    assert_eq!(definition[0]["uri"], uri);
    assert_eq!(
        definition[0]["range"]["start"],
        position(&text, "long_range_alcms \"air-launched", 0)
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": document,
            "range": misspelt["range"],
            "context": { "diagnostics": [misspelt] },
        }),
        &mut seen,
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "delivery_vehicles");
    assert_eq!(edit["range"], misspelt["range"]);

    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": misspelt["range"], "text": "delivery_vehicles" }],
        }),
    );
    assert_eq!(client.diagnostics(&uri, &mut seen), Vec::<Value>::new());

    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": document, "options": { "tabSize": 4, "insertSpaces": true } }),
        &mut seen,
    );
    assert_eq!(formatting, json!([]), "the letter is formatted already");

    assert_eq!(
        client.request("shutdown", Value::Null, &mut seen),
        Value::Null
    );
    client.notify("exit", Value::Null);
    assert!(client.child.wait().unwrap().success());
}
