//! Unit tests of the language server: completion contexts, names and hovers, diagnostics and
//! their fixes, and the protocol over an in-memory connection.

#![allow(clippy::arithmetic_side_effects)] // test arithmetic on small offsets
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

use super::completion::{Known, complete};
use super::symbols::{Index, Key, Owner};
use super::workspace::{Document, Workspace};

const VOCABULARY: &str = r#"vocabulary "V" {
}

weapon types {
    class: one of icbm, cruise_missile "the kind"
    range: quantity in km
}

holdings {
    class: one of icbm_launcher, heavy_bomber
    type: weapon type
    armament: list of weapon types
}
"#;

const SOURCE: &str = "Dear Mr. President,\n\nThe sides would limit the level of delivery vehicles.\nBombers count once.\n";

const POSITION: &str = r#"position "P" {
    parties USA, USSR
    source "source.txt"
}

use "vocabulary.treaty"

package cruise "the cruise missile package"

reading band "does the band include 600 km?" {
    variant inclusive (default)
    variant exclusive "above 600 km"
}

category bombers "heavy bombers" {
    holdings where class = heavy_bomber and any armament has (range > 600 km)
}

limit ceiling "a ceiling" for USSR {
    quote "would limit the level of delivery vehicles"
    when package cruise is agreed
    count of bombers at most 10, then 5 from 1981-01-01
}

test "T" {
    scenario "scenario.toml"
    reading band is exclusive
    expect ceiling for USSR complies
}
"#;

/// A workspace in a fresh folder holding the vocabulary, the source text and the position
/// (open, not saved).
fn workspace(position: &str) -> (tempfile::TempDir, Workspace, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path().canonicalize().unwrap_or_default();
    std::fs::write(root.join("vocabulary.treaty"), VOCABULARY).unwrap_or_default();
    std::fs::write(root.join("source.txt"), SOURCE).unwrap_or_default();
    std::fs::write(root.join("scenario.toml"), "").unwrap_or_default();
    let path = root.join("position.treaty");
    let mut workspace = Workspace {
        folders: vec![root],
        ..Workspace::default()
    };
    workspace.documents.insert(
        path.clone(),
        Document {
            text: Arc::from(position),
            version: 1,
        },
    );
    (dir, workspace, path)
}

fn offset(text: &str, needle: &str, after: usize) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("no `{needle}`")) + after
}

/// The labels completion offers at `needle` + `after` in `text` (the position, edited).
fn labels(text: &str, needle: &str, after: usize) -> Vec<String> {
    let (_dir, workspace, path) = workspace(text);
    let files = workspace.closure(&path);
    let index = Index::build(&files);
    let sentences = || super::source::quotable_sentences(SOURCE);
    let known = Known {
        index: &index,
        sentences: &sentences,
    };
    complete(text, offset(text, needle, after), &known)
        .into_iter()
        .map(|item| item.label)
        .collect()
}

#[test]
fn completion_fits_the_place() {
    let edit = |from: &str, to: &str| POSITION.replace(from, to);
    // Enumeration values after `class = `, and in a set.
    let text = edit("class = heavy_bomber and", "class = h and");
    assert_eq!(
        labels(&text, "class = h", 8),
        ["icbm_launcher", "heavy_bomber"]
    );
    let text = edit("class = heavy_bomber and", "class in {icbm_launcher, } and");
    assert_eq!(
        labels(&text, "icbm_launcher, }", 15),
        ["icbm_launcher", "heavy_bomber"]
    );
    // Inside `any … has (…)` names are the weapon types'.
    let text = edit("(range > 600 km)", "(class = )");
    assert_eq!(labels(&text, "(class = )", 9), ["icbm", "cruise_missile"]);
    assert_eq!(labels(&text, "(class = )", 1)[..2], ["class", "range"]);
    // Attributes of a weapon type after `type.`.
    let text = edit("class = heavy_bomber and", "type. and");
    assert_eq!(labels(&text, "type. and", 5)[..2], ["class", "range"]);
    // Variants, package states, categories, provisions, parties, verdicts.
    assert_eq!(
        labels(POSITION, "band is exclusive", 8),
        ["inclusive", "exclusive"]
    );
    assert_eq!(
        labels(POSITION, "cruise is agreed", 10),
        ["agreed", "open", "rejected"]
    );
    assert_eq!(labels(POSITION, "count of bombers", 9), ["bombers"]);
    assert_eq!(labels(POSITION, "expect ceiling", 7), ["ceiling"]);
    assert_eq!(labels(POSITION, "for USSR complies", 4), ["USA", "USSR"]);
    assert!(labels(POSITION, "USSR complies", 5).contains(&"not_applicable".to_string()));
    assert_eq!(
        labels(POSITION, "for USSR {", 4),
        ["USA", "USSR", "each party"]
    );
    // Keywords that may start a line, by block.
    assert!(labels(POSITION, "    when package", 4).contains(&"in force".to_string()));
    assert!(labels(POSITION, "    variant exclusive", 4).contains(&"variant".to_string()));
    assert!(labels(POSITION, "    expect", 4).contains(&"scenario".to_string()));
    assert!(labels(POSITION, "category bombers", 0).contains(&"category".to_string()));
    assert!(labels(POSITION, "    parties", 4).contains(&"source".to_string()));
    let text = edit("is exclusive\n", "is exclusive\n\n");
    let blank_line = "is exclusive\n".len();
    assert!(labels(&text, "is exclusive\n", blank_line).contains(&"expect".to_string()));
    assert!(
        labels(POSITION, "    expect", 6).contains(&"expect".to_string()),
        "a word begun"
    );
    // Nothing in a comment or a note.
    let text = edit(
        "use \"vocabulary.treaty\"",
        "use \"vocabulary.treaty\" // class = ",
    );
    assert!(labels(&text, "// class = ", 11).is_empty());
}

#[test]
fn completion_inside_a_quote_offers_the_sentences_of_the_source() {
    let text = POSITION.replace(
        "quote \"would limit",
        "quote \"lim\"\n    quote \"would limit",
    );
    let (_dir, workspace, path) = workspace(&text);
    let files = workspace.closure(&path);
    let index = Index::build(&files);
    let sentences = || super::source::quotable_sentences(SOURCE);
    let known = Known {
        index: &index,
        sentences: &sentences,
    };
    let at = offset(&text, "quote \"lim\"", 10);
    let items = complete(&text, at, &known);
    let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Dear Mr.",
            "President, The sides would limit the level of delivery vehicles.",
            "Bombers count once."
        ]
    );
    let Some(lsp_types::CompletionTextEdit::Edit(edit)) = &items[1].text_edit else {
        panic!("no edit");
    };
    // From after the opening quote to the cursor; the closing quote is there already.
    assert_eq!(edit.range.start.character, 11);
    assert_eq!(edit.range.end.character, 14);
    assert_eq!(
        edit.new_text,
        "President, The sides would limit the level of delivery vehicles."
    );
}

#[test]
fn names_resolve_to_their_declarations() {
    let (_dir, workspace, path) = workspace(POSITION);
    let files = workspace.closure(&path);
    assert_eq!(files.len(), 2, "the position and its vocabulary");
    let index = Index::build(&files);
    let key_at = |needle: &str, after: usize| {
        index
            .at(&path, offset(POSITION, needle, after))
            .map(|o| o.key.clone())
    };
    assert_eq!(
        key_at("class = heavy", 0),
        Some(Key::Attribute(Owner::Holdings, "class".into()))
    );
    assert_eq!(
        key_at("heavy_bomber and", 2),
        Some(Key::Value("heavy_bomber".into()))
    );
    assert_eq!(
        key_at("range > 600", 0),
        Some(Key::Attribute(Owner::WeaponTypes, "range".into()))
    );
    assert_eq!(
        key_at("armament has", 0),
        Some(Key::Attribute(Owner::Holdings, "armament".into()))
    );
    assert_eq!(
        key_at("band is exclusive", 0),
        Some(Key::Reading("band".into()))
    );
    assert_eq!(
        key_at("exclusive\n    expect", 0),
        Some(Key::Variant("band".into(), "exclusive".into()))
    );
    assert_eq!(
        key_at("ceiling for USSR complies", 0),
        Some(Key::Provision("ceiling".into()))
    );
    assert_eq!(key_at("USSR complies", 0), Some(Key::Party("USSR".into())));
    let vocabulary = files[1].path.clone();
    assert_eq!(
        key_at("\"vocabulary.treaty\"", 0),
        Some(Key::File(vocabulary.clone()))
    );
    let heavy_bomber = Key::Value("heavy_bomber".into());
    let declared: Vec<&Path> = index
        .declarations(&heavy_bomber)
        .map(|o| o.path.as_path())
        .collect();
    assert_eq!(declared, [vocabulary.as_path()]);
}

#[test]
fn hovers_say_what_a_declaration_means() {
    let (_dir, workspace, path) = workspace(POSITION);
    let hover = |needle: &str, after: usize| {
        let hover = super::navigate::hover(&workspace, &path, offset(POSITION, needle, after));
        match hover.map(|h| h.contents) {
            Some(lsp_types::HoverContents::Markup(markup)) => markup.value,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        hover("ceiling for USSR complies", 0),
        "**limit** `ceiling` — a ceiling\n\nFor USSR: `count of bombers` must be at most 10, then at most 5 from 1981-01-01.\n\nApplies only when `package cruise is agreed`.\n\n> would limit the level of delivery vehicles"
    );
    assert_eq!(
        hover("would limit", 2),
        "From `source.txt`:\n\n> The sides **would limit the level of delivery vehicles**. Bombers count once."
    );
    assert!(hover("band is", 0).contains("- `inclusive` (default)\n- `exclusive` — above 600 km"));
    assert!(
        hover("heavy_bomber and", 0)
            .starts_with("**value** `heavy_bomber` of the holdings attribute `class`")
    );
    assert!(hover("\"vocabulary.treaty\"", 1).contains("vocabulary “V”"));
    assert!(
        hover("bombers at most", 0)
            .contains("holdings where class = heavy_bomber and any armament has (range > 600 km)")
    );
}

#[test]
fn references_outlines_and_workspace_symbols() {
    let (_dir, workspace, path) = workspace(POSITION);
    let at = offset(POSITION, "heavy_bomber and", 0);
    let with = super::navigate::references(&workspace, &path, at, true);
    let without = super::navigate::references(&workspace, &path, at, false);
    assert_eq!((with.len(), without.len()), (2, 1));
    let outline = super::navigate::document_symbols(&workspace, &path);
    let names: Vec<&str> = outline.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "P",
            "use vocabulary.treaty",
            "cruise",
            "band",
            "bombers",
            "ceiling",
            "T"
        ]
    );
    let band = &outline[3];
    assert_eq!(band.children.as_ref().map(Vec::len), Some(2));
    assert!(
        band.selection_range.start >= band.range.start
            && band.selection_range.end <= band.range.end
    );
    let found = super::navigate::workspace_symbols(&workspace, "hvybmb");
    let names: Vec<&str> = found.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["heavy_bomber"]);
}

#[test]
fn diagnostics_go_to_the_file_they_are_in_with_their_related_places() {
    let text = POSITION
        .replace("count of bombers", "count of bomber")
        .replace(
            "category bombers",
            "category bombers \"x\" { holdings where yes }\ncategory bombers",
        );
    let (dir, mut workspace, path) = workspace(&text);
    let vocabulary = dir
        .path()
        .canonicalize()
        .unwrap_or_default()
        .join("vocabulary.treaty");
    // The vocabulary, open and being edited, has a syntax error.
    workspace.documents.insert(
        vocabulary.clone(),
        Document {
            text: Arc::from(VOCABULARY.replace("range: quantity in km", "range: quantity km")),
            version: 3,
        },
    );
    let by_file = super::diagnostics::collect(&workspace);
    let codes = |file: &Path| -> Vec<String> {
        by_file[file]
            .iter()
            .map(|d| match &d.code {
                Some(lsp_types::NumberOrString::String(code)) => code.clone(),
                _ => String::new(),
            })
            .collect()
    };
    assert_eq!(codes(&vocabulary), ["treaty::parse::syntax"]);
    let position = codes(&path);
    assert!(
        position.contains(&"treaty::check::duplicate".to_string()),
        "{position:?}"
    );
    let duplicate = by_file[&path]
        .iter()
        .find(|d| d.message.contains("defined twice"))
        .unwrap_or_else(|| panic!("{by_file:?}"));
    let related = duplicate.related_information.as_ref().map(Vec::len);
    assert_eq!(related, Some(1), "first defined here");
}

/// The protocol over an in-memory connection: a change of a buffer, a closed buffer, an
/// unknown request.
#[test]
fn the_protocol_in_memory() {
    let (_dir, workspace, path) = workspace(POSITION);
    let root = workspace.folders[0].clone();
    let (server, client) = Connection::memory();
    let thread = std::thread::spawn(move || super::serve(&server, None).map_err(|e| e.to_string()));
    let uri = lsp_types::Url::from_file_path(&path).unwrap_or_else(|()| panic!("uri"));
    let send = |message: Message| client.sender.send(message).unwrap_or_default();
    let request = |id: i32, method: &str, params: Value| {
        send(Message::Request(Request::new(
            RequestId::from(id),
            method.to_string(),
            params,
        )));
        loop {
            match client.receiver.recv() {
                Ok(Message::Response(response)) => return response,
                Ok(_) => {}
                Err(e) => panic!("{e}"),
            }
        }
    };
    let notify = |method: &str, params: Value| {
        send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    };
    let diagnostics = || loop {
        match client.receiver.recv() {
            Ok(Message::Notification(n)) if n.params["uri"] == json!(uri) => {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    };
    let folder = lsp_types::Url::from_file_path(&root).unwrap_or_else(|()| panic!("uri"));
    let init = request(
        1,
        "initialize",
        json!({ "capabilities": {}, "workspaceFolders": [{ "uri": folder, "name": "w" }] }),
    );
    assert!(init.error.is_none());
    notify("initialized", json!({}));
    let broken = POSITION.replace("count of bombers", "count of bomber");
    notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "treaty", "version": 1, "text": broken } }),
    );
    assert_eq!(diagnostics(), 1);
    notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": POSITION }] }),
    );
    assert_eq!(diagnostics(), 0);
    notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": broken }] }),
    );
    assert_eq!(diagnostics(), 1);
    notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(
        diagnostics(),
        0,
        "a closed document's diagnostics are cleared"
    );
    let unknown = request(2, "textDocument/prepareCallHierarchy", json!({}));
    assert_eq!(
        unknown.error.map(|e| e.code),
        Some(lsp_server::ErrorCode::MethodNotFound as i32)
    );
    let shutdown = request(3, "shutdown", Value::Null);
    assert!(shutdown.error.is_none());
    notify("exit", Value::Null);
    assert_eq!(thread.join().ok(), Some(Ok(())));
}

#[test]
fn language_1_1_fields_complete_too() {
    // `cite` among a provision's fields, `entry into force` among the header's.
    assert!(labels(POSITION, "    when package", 4).contains(&"cite".to_string()));
    assert!(labels(POSITION, "    parties", 4).contains(&"entry into force".to_string()));
    // Inside `quote NAME "…`, the sentences of the sources; after `cite "`, nothing.
    let text = POSITION.replace(
        "quote \"would limit",
        "quote letter \"lim\"\n    cite \"lim\"\n    quote \"would limit",
    );
    assert_eq!(labels(&text, "quote letter \"lim\"", 17).len(), 3);
    assert!(labels(&text, "cite \"lim\"", 9).is_empty());
}
