//! Errors of the parsing stage: their codes, and one constructor for each, so that every
//! message, label and help of the stage is written once.

use crate::diagnostics::{Problem, codes};
use crate::span::{SourceFile, Span};

/// A rule file could not be read as the language's syntax. One builder serves every stage:
/// this is [`Problem`] with a [`Code`] of this stage.
pub type ParseError = Problem;

codes! {
    "parse",
    Syntax => "syntax", Error;
    UnterminatedString => "unterminated_string", Error;
    InvalidEscape => "invalid_escape", Error;
    TooDeep => "too_deep", Error;
    TooLarge => "too_large", Error;
    UnclosedBrace => "unclosed_brace", Error;
    UnmatchedBrace => "unmatched_brace", Error;
    RepeatedField => "repeated_field", Error;
    TooLong => "too_long", Error;
}

/// The text does not follow the grammar at `span`.
pub(super) fn syntax(
    file: &SourceFile,
    span: Span,
    message: String,
    label: String,
    help: Option<String>,
) -> ParseError {
    Problem::new(Code::Syntax, message)
        .at(file, span, label)
        .with_help_opt(help)
}

/// A string opened at `span` runs to the end of the file.
pub(super) fn unterminated_string(file: &SourceFile, span: Span) -> ParseError {
    Problem::new(Code::UnterminatedString, "string is never closed")
        .at(
            file,
            span,
            "this string starts here and runs to the end of the file",
        )
        .with_help("add a closing `\"`; write `\\\"` for a quotation mark inside a string")
}

/// A header or provision field given a second time.
pub(super) fn repeated_field(
    file: &SourceFile,
    field: &str,
    span: Span,
    first: Span,
) -> ParseError {
    Problem::new(Code::RepeatedField, format!("`{field}` is given twice"))
        .at(file, span, "given again here")
        .also(first, "first given here")
        .with_help(format!(
            "keep one `{field}`: a second one would silently replace the first"
        ))
}

/// A `{` that no `}` closes.
pub(super) fn unclosed_brace(file: &SourceFile, span: Span) -> ParseError {
    Problem::new(Code::UnclosedBrace, "`{` is never closed")
        .at(file, span, "this block is never closed")
        .with_help("add the `}` that ends this block; every block opened with `{` ends with `}`")
}

/// A `}` with no block open.
pub(super) fn unmatched_brace(file: &SourceFile, span: Span) -> ParseError {
    Problem::new(Code::UnmatchedBrace, "`}` closes nothing")
        .at(file, span, "no block is open here")
        .with_help("remove it, or add the `{` it was meant to close")
}

/// Brackets nested deeper than `limit`.
pub(super) fn too_deep(file: &SourceFile, limit: usize, span: Span) -> ParseError {
    Problem::new(
        Code::TooDeep,
        format!("brackets nest deeper than {limit} levels"),
    )
    .at(file, span, format!("level {limit} is exceeded here"))
    .with_help("split the expression into named categories; no provision needs this depth")
}

/// An expression longer (in `unit`) than `limit`.
pub(super) fn too_long(
    file: &SourceFile,
    size: usize,
    unit: &str,
    limit: usize,
    span: Span,
) -> ParseError {
    Problem::new(
        Code::TooLong,
        format!("expression is {size} {unit}, more than the limit of {limit}"),
    )
    .at(file, span, "this expression")
    .with_help("split the expression into named categories joined with `in category`")
}

/// A rule file larger than `limit` bytes.
pub(super) fn too_large(file: &SourceFile, size: usize, limit: usize, span: Span) -> ParseError {
    Problem::new(
        Code::TooLarge,
        format!("rule file is {size} bytes, more than the limit of {limit} bytes"),
    )
    .at(file, span, "the file is cut off here")
    .with_help("split the position into several files joined by `use`")
}

/// `\escape` is not one of the string escapes.
pub(super) fn invalid_escape(file: &SourceFile, escape: char, span: Span) -> ParseError {
    Problem::new(
        Code::InvalidEscape,
        format!("unknown escape `\\{escape}` in a string"),
    )
    .at(file, span, "not an escape")
    .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`")
}
