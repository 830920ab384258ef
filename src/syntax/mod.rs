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
    let (tree, errors) = parse_recovering(file);
    match tree {
        Some(tree) if errors.is_empty() => Ok(tree),
        _ => Err(errors),
    }
}

/// At most this many syntax errors are reported from one file.
const MAX_SYNTAX_ERRORS: usize = 20;

/// Parse one rule file, recovering from syntax errors: the top-level declaration holding an
/// error is blanked out (offsets kept) and the rest parsed again, so that one run reports
/// the syntax errors of several declarations and the checker still sees the others.
pub fn parse_recovering(file: &SourceFile) -> (Option<File>, Vec<ParseError>) {
    let text: &str = &file.text;
    if text.len() > MAX_FILE_SIZE {
        let error = err::too_large(file, text.len(), MAX_FILE_SIZE, Span::point(MAX_FILE_SIZE));
        return (None, vec![error]);
    }
    let mut errors = match recover::prescan(file) {
        Ok(brace_errors) => brace_errors,
        Err(fatal) => return (None, vec![fatal]),
    };
    let mut working = text.to_string();
    loop {
        match TreatyParser::parse(Rule::file, &working) {
            Ok(pairs) => {
                let mut lower = Lower::new(file);
                let tree = lower.file(pairs);
                errors.append(&mut lower.errors);
                return (Some(tree), errors);
            }
            Err(error) => {
                errors.push(err::syntax_error(file, &error));
                let offset = match error.location {
                    pest::error::InputLocation::Pos(pos) => pos,
                    pest::error::InputLocation::Span((start, _)) => start,
                };
                if errors.len() >= MAX_SYNTAX_ERRORS
                    || !recover::blank_declaration(&mut working, offset)
                {
                    return (None, errors);
                }
            }
        }
    }
}

/// Parse text that is not in a file yet (tests, fuzzing).
pub fn parse_str(name: &str, text: &str) -> std::result::Result<File, Vec<ParseError>> {
    parse(&SourceFile::new(name, Arc::<str>::from(text)))
}

/// The span of a pair.
fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let span = pair.as_span();
    Span::new(span.start(), span.end())
}

/// A name as written, where it was written.
fn name(pair: &Pair<'_, Rule>) -> Name {
    Node::new(pair.as_str().to_string(), span_of(pair))
}

/// A dotted path of names (`type.range`).
fn path(pair: &Pair<'_, Rule>) -> Vec<Name> {
    pair.clone().into_inner().map(|p| name(&p)).collect()
}
