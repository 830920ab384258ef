//! Formatting: a rule file → the same file in the one canonical layout (`treaty fmt`).
//!
//! The layout is that of `rules/ussr-1977-03-15.treaty`: four spaces a block, one field a
//! line, a blank line between declarations, expressions broken before `and`/`or` when a line
//! would be longer than [`WIDTH`]. The text is parsed by [`crate::syntax`], the one parser, and
//! written again from the syntax tree (`items`, `expr`); the comments the tree leaves out are
//! found again in the text (`trivia`) and put back where they were (`printer`). Strings,
//! numbers and operators are kept as written.
//!
//! Formatting never changes what a file says: the result is parsed again and must give the
//! same syntax tree and the same comments, or the file is refused as it is.

mod expr;
mod files;
mod items;
mod printer;
pub(crate) mod trivia;

#[cfg(test)]
mod tests;

use std::sync::Arc;

pub use files::{Outcome, format_path, write_atomically};
pub use printer::WIDTH;

use crate::ast::{File, Item};
use crate::diagnostics::{Problem, codes};
use crate::span::{SourceFile, Span};
use crate::syntax;

codes! {
    "fmt",
    ChangedMeaning => "changed_meaning", Error;
}

/// The comment that keeps a file as written: `// treaty fmt: off`, before its first
/// declaration, alone or followed by the reason (`// treaty fmt: off (tabs on purpose)`).
pub const OFF: &str = "// treaty fmt: off";

/// `file` in the canonical layout, or its syntax errors (then nothing is formatted).
pub fn format(file: &SourceFile) -> Result<String, Vec<Problem>> {
    let text: &str = &file.text;
    if is_off(text) {
        return Ok(text.to_string());
    }
    let tree = syntax::parse(file)?;
    let mut formatted = String::new();
    if text.starts_with('\u{FEFF}') {
        formatted.push('\u{FEFF}');
    }
    formatted.push_str(&print(text, &tree));
    verify(file, &tree, &formatted)?;
    Ok(formatted)
}

/// [`format()`] for text that is not in a file.
pub fn format_str(name: &str, text: &str) -> Result<String, Vec<Problem>> {
    format(&SourceFile::new(name, Arc::<str>::from(text)))
}

/// Whether `text` asks to be kept as written: [`OFF`] among the comments before its first
/// declaration.
pub fn is_off(text: &str) -> bool {
    let first = trivia::next_token(text, 0);
    trivia::comments(text)
        .iter()
        .take_while(|c| c.span.start < first)
        .any(|c| {
            c.text
                .strip_prefix(OFF)
                .is_some_and(|rest| !rest.starts_with(|ch: char| ch.is_alphanumeric() || ch == '_'))
        })
}

fn print(text: &str, tree: &File) -> String {
    let mut printer = printer::Printer::new(text);
    printer.file(tree);
    printer.finish()
}

/// The formatted text says what the original says: the same syntax tree, the same comments.
/// A difference is a bug of the formatter; the file is then left alone.
fn verify(file: &SourceFile, tree: &File, formatted: &str) -> Result<(), Vec<Problem>> {
    let refused = |what: &str| {
        vec![
            Problem::new(
                Code::ChangedMeaning,
                format!("formatting `{}` would change {what}", file.name),
            )
            .at(file, Span::point(0), "this file is left as written")
            .with_help("this is a bug of `treaty fmt`: please report it with the file"),
        ]
    };
    let Ok(again) = syntax::parse_str(&file.name, formatted) else {
        return Err(refused("it into a file that does not parse"));
    };
    if fingerprint(tree) != fingerprint(&again) {
        return Err(refused("what it says"));
    }
    let before: Vec<String> = trivia::comments(&file.text)
        .into_iter()
        .map(|c| c.text)
        .collect();
    let after: Vec<String> = trivia::comments(formatted)
        .into_iter()
        .map(|c| c.text)
        .collect();
    if before != after {
        return Err(refused("its comments"));
    }
    Ok(())
}

/// The syntax tree without the places it was written at. Nodes compare without their
/// spans already; the two plain spans of the tree are cleared.
fn fingerprint(tree: &File) -> File {
    let mut tree = tree.clone();
    for item in &mut tree.items {
        match item {
            Item::Reading(reading) => {
                for variant in &mut reading.variants {
                    variant.default = variant.default.map(|_| Span::default());
                }
            }
            Item::Test(test) => test.span = Span::default(),
            Item::Import(_)
            | Item::WeaponTypes(_)
            | Item::HoldingAttributes(_)
            | Item::Package(_)
            | Item::Category(_)
            | Item::Provision(_) => {}
        }
    }
    tree
}
