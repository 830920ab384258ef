//! Completion. While a line is being typed the file rarely parses, so what fits at the cursor
//! is read from the tokens before it (words, strings, punctuation, and the blocks they open);
//! the names offered come from the declarations of the file and its imports.

use lsp_types::{
    CompletionItem, CompletionItemKind, Documentation, MarkupContent, MarkupKind, Range, TextEdit,
};

use crate::ast::AttributeType;
use crate::lang::{DocumentKind, PackageStatus, Verdict};

use super::symbols::{Index, Key, Owner, type_words};
use super::text::LineIndex;

/// What the text before the cursor is, lexically.
enum Lexical {
    Code,
    /// Inside a string that starts at this offset.
    String(usize),
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Punct(char),
    String,
}

/// The tokens before the cursor, and the blocks open at it.
struct Before {
    lexical: Lexical,
    tokens: Vec<Token>,
    /// For each open `{`: the first word of the statement it opens (`set` for `in {`).
    blocks: Vec<String>,
}

fn scan(text: &str) -> Before {
    let mut tokens = Vec::new();
    let mut blocks: Vec<String> = Vec::new();
    let mut head: Option<String> = None;
    let mut chars = text.char_indices().peekable();
    let mut lexical = Lexical::Code;
    while let Some((index, ch)) = chars.next() {
        if ch == '"' {
            lexical = Lexical::String(index);
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        lexical = Lexical::Code;
                        break;
                    }
                    _ => {}
                }
            }
            tokens.push(Token::String);
        } else if ch == '/' && chars.peek().is_some_and(|&(_, c)| c == '/') {
            lexical = Lexical::Comment;
            while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            if chars.peek().is_some() {
                lexical = Lexical::Code;
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let mut word = String::from(ch);
            while let Some((_, c)) = chars.next_if(|&(_, c)| c.is_alphanumeric() || c == '_') {
                word.push(c);
            }
            // At the top level, each declaration starts with its keyword (`use` and a
            // package without a block have no braces to end them).
            if head.is_none() || (blocks.is_empty() && DECLARATIONS.contains(&word.as_str())) {
                head = Some(word.clone());
            }
            tokens.push(Token::Word(word));
        } else if !ch.is_whitespace() {
            if ch == '{' {
                let set = matches!(tokens.last(), Some(Token::Word(w)) if w == "in");
                blocks.push(if set {
                    "set".to_string()
                } else {
                    head.take().unwrap_or_default()
                });
                head = None;
            } else if ch == '}' {
                blocks.pop();
                head = None;
            }
            tokens.push(Token::Punct(ch));
        }
    }
    Before {
        lexical,
        tokens,
        blocks,
    }
}

/// What the server knows that completion offers.
pub(super) struct Known<'a> {
    pub(super) index: &'a Index,
    /// The sentences of the file's source text, ready to stand in a string.
    pub(super) sentences: &'a dyn Fn() -> Vec<String>,
}

/// The completions at `offset` of `text`.
pub(super) fn complete(text: &str, offset: usize, known: &Known<'_>) -> Vec<CompletionItem> {
    let before = text.get(..offset).unwrap_or(text);
    let scanned = scan(before);
    match scanned.lexical {
        Lexical::Comment => return Vec::new(),
        Lexical::String(start) => return quote_sentences(text, start, offset, &scanned, known),
        Lexical::Code => {}
    }
    // The word being typed is not a token yet.
    let partial = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .count();
    let mut tokens = scanned.tokens;
    if partial > 0 {
        tokens.pop();
    }
    let typed_from = match partial.checked_sub(1) {
        Some(last) => before
            .char_indices()
            .rev()
            .nth(last)
            .map_or(offset, |(i, _)| i),
        None => before.len(),
    };
    let line_start = before
        .get(..typed_from)
        .map_or(0, |b| b.rfind('\n').map_or(0, |n| n.saturating_add(1)));
    let at_line_start = before
        .get(line_start..typed_from)
        .is_some_and(|s| s.trim().is_empty());
    let block = scanned.blocks.last().map(String::as_str).unwrap_or("");
    let words: Vec<&str> = tokens
        .iter()
        .rev()
        .take(4)
        .map(|t| match t {
            Token::Word(w) => w.as_str(),
            Token::Punct('.') => ".",
            Token::Punct('=') => "=",
            Token::Punct(':') => ":",
            Token::Punct('(') => "(",
            Token::Punct(',') => ",",
            Token::Punct('!') => "!",
            Token::Punct('{') => "{",
            Token::Punct(_) => "?",
            Token::String => "\"",
        })
        .collect();
    let last = |n: usize| words.get(n).copied().unwrap_or("");
    let index = known.index;
    let in_quantifier = in_quantifier(&tokens);
    if block == "set" {
        return values(index, &set_attribute(&tokens), in_quantifier);
    }
    match (last(2), last(1), last(0)) {
        (_, _, ".") => return attributes(index, Owner::WeaponTypes),
        ("reading", reading, "is") => return variants(index, reading),
        ("package", _, "is") => {
            let statuses = PackageStatus::ALL.iter().map(|s| s.as_str());
            return keywords(statuses, CompletionItemKind::CONSTANT);
        }
        (attribute, "!", "=") | (_, attribute, "=") => {
            return values(index, attribute, in_quantifier);
        }
        (_, "count" | "sum", "of") | (_, _, "over") | (_, "in", "category") => {
            return declared(index, |k| matches!(k, Key::Category(_)));
        }
        ("expect", _, "for") => return declared(index, |k| matches!(k, Key::Party(_))),
        (_, _, "expect") => return declared(index, |k| matches!(k, Key::Provision(_))),
        _ if last(3) == "expect" && last(1) == "for" => {
            return keywords(
                Verdict::ALL.iter().map(|v| v.as_str()),
                CompletionItemKind::CONSTANT,
            );
        }
        (_, "expect", _) | ("expect", _, _) => {
            let mut items = keywords(
                Verdict::ALL.iter().map(|v| v.as_str()),
                CompletionItemKind::CONSTANT,
            );
            if last(1) == "expect" {
                items.extend(keywords(["for"], CompletionItemKind::KEYWORD));
            }
            return items;
        }
        (_, _, "for" | "by") if scanned.blocks.is_empty() => {
            let mut items = declared(index, |k| matches!(k, Key::Party(_)));
            if last(0) == "for" {
                items.extend(keywords(["each party"], CompletionItemKind::KEYWORD));
            }
            return items;
        }
        (_, _, "package") if !scanned.blocks.is_empty() => {
            return declared(index, |k| matches!(k, Key::Package(_)));
        }
        (_, _, "reading") if !scanned.blocks.is_empty() => {
            return declared(index, |k| matches!(k, Key::Reading(_)));
        }
        (_, _, "no" | "every") if at_statement(last(1)) && matches!(block, "ban" | "assurance") => {
            return declared(index, |k| matches!(k, Key::Category(_)));
        }
        (_, _, ":") if matches!(block, "weapon" | "holdings") => {
            let types = [
                "boolean",
                "integer",
                "date",
                "quantity in",
                "one of",
                "weapon type",
                "list of weapon types",
            ];
            return keywords(types, CompletionItemKind::KEYWORD);
        }
        _ => {}
    }
    if at_line_start {
        return statement_keywords(block, scanned.blocks.is_empty(), before);
    }
    let expression = matches!(
        block,
        "category" | "limit" | "ban" | "assurance" | "statement"
    );
    // After `quote` or `source` a name may come (`quote protocol "…"`): no expression either.
    if !expression
        || matches!(
            last(0),
            "quote" | "cite" | "note" | "scenario" | "source" | "use"
        )
        || matches!(last(1), "quote" | "source")
    {
        return Vec::new();
    }
    let mut items = attributes(
        index,
        if in_quantifier {
            Owner::WeaponTypes
        } else {
            Owner::Holdings
        },
    );
    items.extend(keywords(["party", "name"], CompletionItemKind::FIELD));
    items.extend(keywords(
        EXPRESSION_WORDS.iter().copied(),
        CompletionItemKind::KEYWORD,
    ));
    items
}

/// The words a top-level declaration starts with.
const DECLARATIONS: &[&str] = &[
    "position",
    "treaty",
    "proposal",
    "protocol",
    "vocabulary",
    "use",
    "weapon",
    "holdings",
    "package",
    "reading",
    "category",
    "limit",
    "ban",
    "assurance",
    "statement",
    "test",
];

const EXPRESSION_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "in",
    "any",
    "every",
    "has",
    "count of",
    "sum of",
    "in category",
    "package",
    "reading",
    "date",
    "at most",
    "at least",
    "yes",
    "no",
];

/// The keywords that may start a line in `block`.
fn statement_keywords(block: &str, top: bool, before: &str) -> Vec<CompletionItem> {
    let words: Vec<&str> = match block {
        _ if top && !before.contains('{') => DocumentKind::ALL.iter().map(|k| k.as_str()).collect(),
        _ if top => vec![
            "use",
            "weapon types",
            "holdings",
            "package",
            "reading",
            "category",
            "limit",
            "ban",
            "assurance",
            "statement",
            "test",
        ],
        "package" => vec!["quote", "cite", "note"],
        "reading" => vec!["quote", "cite", "note", "variant"],
        "category" => vec!["quote", "cite", "note", "holdings where", "when"],
        "limit" => vec![
            "quote", "cite", "note", "when", "in force", "count of", "sum of",
        ],
        "ban" => vec!["quote", "cite", "note", "when", "in force", "no"],
        "assurance" => vec!["quote", "cite", "note", "when", "in force", "every"],
        "statement" => vec!["quote", "cite", "note", "when", "in force"],
        "test" => vec!["scenario", "reading", "expect"],
        "weapon" | "holdings" => Vec::new(),
        _ => vec![
            "date",
            "entry into force",
            "parties",
            "source",
            "in force",
            "note",
        ],
    };
    keywords(words, CompletionItemKind::KEYWORD)
}

/// Whether a word after `previous` starts a statement, rather than continue an expression.
fn at_statement(previous: &str) -> bool {
    !matches!(
        previous,
        "=" | "!"
            | "("
            | ","
            | "?"
            | ":"
            | "."
            | "and"
            | "or"
            | "not"
            | "has"
            | "is"
            | "where"
            | "when"
            | "in"
    )
}

/// Whether the cursor is inside the brackets of `any … has (` (a weapon type's attributes).
fn in_quantifier(tokens: &[Token]) -> bool {
    let mut depth = 0i32;
    for (position, token) in tokens.iter().enumerate().rev() {
        match token {
            Token::Punct(')') => depth = depth.saturating_add(1),
            Token::Punct('(') if depth > 0 => depth = depth.saturating_sub(1),
            Token::Punct('(') => {
                let has = position
                    .checked_sub(1)
                    .and_then(|p| tokens.get(p))
                    .is_some_and(|t| *t == Token::Word("has".into()));
                if has {
                    return true;
                }
            }
            Token::Punct('{' | '}') => return false,
            _ => {}
        }
    }
    false
}

/// The attribute before the `in {` the cursor is in.
fn set_attribute(tokens: &[Token]) -> String {
    let open = tokens
        .iter()
        .rposition(|t| *t == Token::Punct('{'))
        .unwrap_or(0);
    match open.checked_sub(2).and_then(|p| tokens.get(p)) {
        Some(Token::Word(word)) => word.clone(),
        _ => String::new(),
    }
}

/// The sentences of the source text, inside a `quote "…"` being typed.
fn quote_sentences(
    text: &str,
    start: usize,
    offset: usize,
    scanned: &Before,
    known: &Known<'_>,
) -> Vec<CompletionItem> {
    // `quote "…` or `quote NAME "…`.
    let quote = |token: Option<&Token>| matches!(token, Some(Token::Word(word)) if word == "quote");
    let mut before = scanned.tokens.iter().rev().skip(1);
    let is_quote = match before.next() {
        first if quote(first) => true,
        Some(Token::Word(_)) => quote(before.next()),
        _ => false,
    };
    if !is_quote {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    let closed = text.get(offset..).is_some_and(|rest| rest.starts_with('"'));
    let range = Range::new(
        lines.position(start.saturating_add(1)),
        lines.position(offset),
    );
    (known.sentences)()
        .into_iter()
        .enumerate()
        .map(|(number, sentence)| {
            let label = if sentence.chars().count() > 72 {
                format!("{}…", sentence.chars().take(71).collect::<String>())
            } else {
                sentence.clone()
            };
            let new_text = if closed {
                sentence.clone()
            } else {
                format!("{sentence}\"")
            };
            CompletionItem {
                label,
                kind: Some(CompletionItemKind::TEXT),
                detail: Some(format!(
                    "sentence {} of the source text",
                    number.saturating_add(1)
                )),
                documentation: Some(Documentation::String(sentence.clone())),
                filter_text: Some(sentence.clone()),
                sort_text: Some(format!("{number:06}")),
                text_edit: Some(lsp_types::CompletionTextEdit::Edit(TextEdit::new(
                    range, new_text,
                ))),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn keywords<'w>(
    words: impl IntoIterator<Item = &'w str>,
    kind: CompletionItemKind,
) -> Vec<CompletionItem> {
    words
        .into_iter()
        .map(|word| CompletionItem {
            label: word.to_string(),
            kind: Some(kind),
            ..CompletionItem::default()
        })
        .collect()
}

/// The declared names whose key `wanted` accepts, each once.
fn declared(index: &Index, wanted: impl Fn(&Key) -> bool) -> Vec<CompletionItem> {
    let mut items: Vec<CompletionItem> = Vec::new();
    for occurrence in &index.occurrences {
        let Some(declaration) = &occurrence.declaration else {
            continue;
        };
        if !wanted(&occurrence.key) {
            continue;
        }
        let label = match &occurrence.key {
            Key::Category(name)
            | Key::Package(name)
            | Key::Reading(name)
            | Key::Provision(name)
            | Key::Party(name)
            | Key::Value(name)
            | Key::Attribute(_, name)
            | Key::Variant(_, name) => name.clone(),
            Key::File(_) => continue,
        };
        if items.iter().any(|item| item.label == label) {
            continue;
        }
        items.push(CompletionItem {
            label,
            kind: Some(item_kind(&occurrence.key)),
            detail: Some(declaration.detail.clone()).filter(|d| !d.is_empty()),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: declaration.doc.clone(),
            })),
            ..CompletionItem::default()
        });
    }
    items
}

fn item_kind(key: &Key) -> CompletionItemKind {
    match key {
        Key::Category(_) => CompletionItemKind::CLASS,
        Key::Package(_) => CompletionItemKind::MODULE,
        Key::Reading(_) => CompletionItemKind::ENUM,
        Key::Variant(..) | Key::Value(_) => CompletionItemKind::ENUM_MEMBER,
        Key::Attribute(..) => CompletionItemKind::FIELD,
        Key::Provision(_) => CompletionItemKind::FUNCTION,
        Key::Party(_) => CompletionItemKind::CONSTANT,
        Key::File(_) => CompletionItemKind::FILE,
    }
}

fn attributes(index: &Index, owner: Owner) -> Vec<CompletionItem> {
    declared(
        index,
        |key| matches!(key, Key::Attribute(o, _) if *o == owner),
    )
}

fn variants(index: &Index, reading: &str) -> Vec<CompletionItem> {
    declared(
        index,
        |key| matches!(key, Key::Variant(r, _) if r == reading),
    )
}

/// The values of the enumeration attribute `attribute` (of the weapon types inside a
/// quantifier, of the holdings elsewhere, else of either).
fn values(index: &Index, attribute: &str, in_quantifier: bool) -> Vec<CompletionItem> {
    let (first, second) = if in_quantifier {
        (Owner::WeaponTypes, Owner::Holdings)
    } else {
        (Owner::Holdings, Owner::WeaponTypes)
    };
    let Some(info) = index
        .attribute(first, attribute)
        .or_else(|| index.attribute(second, attribute))
    else {
        return Vec::new();
    };
    let AttributeType::Enum(values) = &info.ty else {
        return Vec::new();
    };
    let detail = format!("{attribute}: {}", type_words(&info.ty));
    values
        .iter()
        .map(|value| CompletionItem {
            label: value.node.clone(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            detail: Some(detail.clone()),
            ..CompletionItem::default()
        })
        .collect()
}
