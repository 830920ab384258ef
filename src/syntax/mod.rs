//! Parsing: rule file text → syntax tree ([`crate::ast`]).
//!
//! The grammar is `grammar/treaty.pest`. This is the only module that sees pest: its pairs are
//! lowered into AST nodes with byte spans (`lower`, and `expr` for the Pratt parser of
//! operators), and its errors into diagnostics in words a user knows (`err`). `recover` guards
//! pest against hostile input and lets one run report the errors of several declarations.

mod dates;
mod err;
mod expr;
mod lower;
mod recover;

use std::sync::Arc;

use pest::Parser as _;
use pest::iterators::Pair;

pub use err::{Code, ParseError};

use crate::ast::{File, Name, Node};
use crate::span::{SourceFile, Span};
use grammar::{Rule, TreatyParser};
use lower::Lower;

/// Brackets may nest this deep; deeper input is refused before pest sees it, so that no
/// input can exhaust the stack.
pub const MAX_NESTING: usize = 64;
/// Operators and operands one expression may chain without brackets (`a and b and …`).
/// With the bracket limit this bounds every expression tree's depth, so that the checker
/// and the evaluator, which recurse over it, cannot exhaust the stack.
pub const MAX_EXPRESSION_TERMS: usize = 256;
/// How deep one expression tree may be, brackets included.
pub const MAX_EXPRESSION_DEPTH: usize = 128;
/// Rule files larger than this are refused (a position is a few kilobytes).
pub const MAX_FILE_SIZE: usize = 16 * 1024 * 1024;

/// The parser pest derives from the grammar. Its module is private, so that pest's `Rule`
/// never leaves `syntax`.
mod grammar {
    #[derive(pest_derive::Parser)]
    #[grammar = "../grammar/treaty.pest"]
    pub(super) struct TreatyParser;
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parse one rule file. Returns the tree, or every problem found.
pub fn parse(file: &SourceFile) -> std::result::Result<File, Vec<ParseError>> {
    let parsed = parse_recovering(file);
    match parsed.tree {
        Some(tree) if parsed.errors.is_empty() => Ok(tree),
        _ => Err(parsed.errors),
    }
}

/// At most this many syntax errors are reported from one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// What [`parse_recovering`] made of a file.
#[derive(Debug)]
pub struct Parsed {
    /// The tree of what parsed; `None` when nothing could be.
    pub tree: Option<File>,
    /// Every syntax error, in the order found.
    pub errors: Vec<ParseError>,
    /// The text set aside to recover from the errors (a field, or a whole declaration).
    /// What it declared is missing from the tree, so problems that follow only from its
    /// absence (an unknown name it defined) are not worth reporting.
    pub lost: Vec<Span>,
}

/// Parse one rule file, recovering from syntax errors: the field of a block holding an error
/// (a header's `date`, a `quote`, an `expect`), else the top-level declaration holding it,
/// is blanked out (offsets kept) and the rest parsed again, so that one run reports the
/// syntax errors of several declarations and the checker still sees the others.
pub fn parse_recovering(file: &SourceFile) -> Parsed {
    let text: &str = &file.text;
    let failed = |errors| Parsed {
        tree: None,
        errors,
        lost: Vec::new(),
    };
    if text.len() > MAX_FILE_SIZE {
        let error = err::too_large(file, text.len(), MAX_FILE_SIZE, Span::point(MAX_FILE_SIZE));
        return failed(vec![error]);
    }
    let mut errors = match recover::prescan(file) {
        Ok(brace_errors) => brace_errors,
        Err(fatal) => return failed(vec![fatal]),
    };
    if errors.is_empty() {
        if let Some(parsed) = parse_by_declaration(file) {
            return parsed;
        }
    }
    // The text as parsed; copied only to blank out what an error sets aside.
    let mut working = std::borrow::Cow::Borrowed(text);
    let mut lost = Vec::new();
    // The declaration whose field was last set aside: an error there again means the
    // field was not all that was wrong, and the whole declaration goes, with no second error.
    let mut field_of: Option<(usize, usize)> = None;
    loop {
        match TreatyParser::parse(Rule::file, &working) {
            Ok(pairs) => {
                let mut lower = Lower::new(file, 0);
                let tree = lower.file(pairs);
                errors.append(&mut lower.errors);
                let lost = lost.into_iter().map(|(s, e)| Span::new(s, e)).collect();
                return Parsed {
                    tree: Some(tree),
                    errors,
                    lost,
                };
            }
            Err(error) => {
                let offset = match error.location {
                    pest::error::InputLocation::Pos(pos) => pos,
                    pest::error::InputLocation::Span((start, _)) => start,
                };
                let declaration = recover::declaration_at(&working, offset);
                if field_of.is_some() && field_of == declaration {
                    field_of = None;
                    if let Some(region) = declaration {
                        recover::blank(working.to_mut(), region);
                        lost.push(region);
                        continue;
                    }
                }
                errors.push(err::syntax_error(file, &error));
                if errors.len() >= MAX_SYNTAX_ERRORS {
                    return failed(errors);
                }
                field_of = None;
                let region = match recover::field_at(&working, offset) {
                    Some(field) => {
                        field_of = declaration;
                        field
                    }
                    None => match declaration {
                        Some(region) => region,
                        None => return failed(errors),
                    },
                };
                recover::blank(working.to_mut(), region);
                lost.push(region);
            }
        }
    }
}

/// Parse a file declaration by declaration: each top-level declaration (a line at brace depth
/// zero that starts with a declaration's keyword, to the next) is parsed as a file of its own
/// and lowered, and its pairs dropped before the next is parsed, so that pest's tokens are
/// never held for the whole file (they take about eight times its size). `None` when any
/// part fails to parse, or a header stands anywhere but first: the whole file is then parsed
/// at once, which reports the errors as they have always been reported.
///
/// The tree is the whole file's: a declaration ends with a `}`, a string or a name, none of
/// which can go on with the keyword that starts the next one, so pest ends each where it
/// would have ended it in the whole text.
fn parse_by_declaration(file: &SourceFile) -> Option<Parsed> {
    let text: &str = &file.text;
    // The first part runs from the file's start (comments, the header) to the second
    // declaration.
    let mut ends: Vec<usize> = recover::declaration_starts(text)
        .into_iter()
        .skip(1)
        .collect();
    ends.push(text.len());
    let mut tree = File {
        header: None,
        items: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut from = 0;
    for (index, to) in ends.into_iter().enumerate() {
        let part = text.get(from..to)?;
        let pairs = TreatyParser::parse(Rule::file, part).ok()?;
        let mut lower = Lower::new(file, from);
        let File { header, items } = lower.file(pairs);
        if header.is_some() {
            if index > 0 {
                return None;
            }
            tree.header = header;
        }
        tree.items.extend(items);
        errors.append(&mut lower.errors);
        from = to;
    }
    Some(Parsed {
        tree: Some(tree),
        errors,
        lost: Vec::new(),
    })
}

/// Parse text that is not in a file yet (tests, fuzzing).
pub fn parse_str(name: &str, text: &str) -> std::result::Result<File, Vec<ParseError>> {
    parse(&SourceFile::new(name, Arc::<str>::from(text)))
}

/// The span of a pair in the file, pest's input starting at byte `base` of it (a clean file is
/// parsed declaration by declaration).
fn span_of(base: usize, pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(
        base.saturating_add(span.start()),
        base.saturating_add(span.end()),
    )
}

/// The text between a string's quotes, as written, and where it starts.
fn string_body<'i>(base: usize, pair: &Pair<'i, Rule>) -> (&'i str, usize) {
    let text = pair.as_str();
    let start = span_of(base, pair).start;
    // The grammar's `string` always has both quotes; the fallback is never taken.
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(body) => (body, start.saturating_add(1)),
        None => (text, start),
    }
}

/// A name as written, where it was written.
fn name(base: usize, pair: &Pair<'_, Rule>) -> Name {
    Node::new(pair.as_str().to_string(), span_of(base, pair))
}

/// A dotted path of names (`type.range`).
fn path(base: usize, pair: &Pair<'_, Rule>) -> Vec<Name> {
    pair.clone().into_inner().map(|p| name(base, &p)).collect()
}

#[cfg(test)]
mod tests;
