//! Errors of the parsing stage.

use miette::{Diagnostic, SourceSpan};

use crate::span::NamedText;
use thiserror::Error;

/// A rule file could not be read as the language's syntax.
#[derive(Debug, Error, Diagnostic)]
pub enum ParseError {
    #[error("{message}")]
    #[diagnostic(code(treaty::parse::syntax))]
    Syntax {
        message: String,
        #[source_code]
        src: NamedText,
        #[label(primary, "{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("string is never closed")]
    #[diagnostic(
        code(treaty::parse::unterminated_string),
        help("add a closing `\"`; write `\\\"` for a quotation mark inside a string")
    )]
    UnterminatedString {
        #[source_code]
        src: NamedText,
        #[label(primary, "this string starts here and runs to the end of the file")]
        span: SourceSpan,
    },

    #[error("`{field}` is given twice")]
    #[diagnostic(
        code(treaty::parse::repeated_field),
        help("keep one `{field}`: a second one would silently replace the first")
    )]
    Repeated {
        field: &'static str,
        #[source_code]
        src: NamedText,
        #[label(primary, "given again here")]
        span: SourceSpan,
        #[label("first given here")]
        first: SourceSpan,
    },

    #[error("`{{` is never closed")]
    #[diagnostic(
        code(treaty::parse::unclosed_brace),
        help("add the `}}` that ends this block; every block opened with `{{` ends with `}}`")
    )]
    UnclosedBrace {
        #[source_code]
        src: NamedText,
        #[label(primary, "this block is never closed")]
        span: SourceSpan,
    },

    #[error("`}}` closes nothing")]
    #[diagnostic(
        code(treaty::parse::unmatched_brace),
        help("remove it, or add the `{{` it was meant to close")
    )]
    UnmatchedBrace {
        #[source_code]
        src: NamedText,
        #[label(primary, "no block is open here")]
        span: SourceSpan,
    },

    #[error("brackets nest deeper than {limit} levels")]
    #[diagnostic(
        code(treaty::parse::too_deep),
        help("split the expression into named categories; no provision needs this depth")
    )]
    TooDeep {
        limit: usize,
        #[source_code]
        src: NamedText,
        #[label(primary, "level {limit} is exceeded here")]
        span: SourceSpan,
    },

    #[error("expression is {size} {unit}, more than the limit of {limit}")]
    #[diagnostic(
        code(treaty::parse::too_long),
        help("split the expression into named categories joined with `in category`")
    )]
    TooLong {
        size: usize,
        unit: &'static str,
        limit: usize,
        #[source_code]
        src: NamedText,
        #[label(primary, "this expression")]
        span: SourceSpan,
    },

    #[error("rule file is {size} bytes, more than the limit of {limit} bytes")]
    #[diagnostic(
        code(treaty::parse::too_large),
        help("split the position into several files joined by `use`")
    )]
    TooLarge {
        size: usize,
        limit: usize,
        #[source_code]
        src: NamedText,
        #[label(primary, "the file is cut off here")]
        span: SourceSpan,
    },

    #[error("unknown escape `\\{escape}` in a string")]
    #[diagnostic(
        code(treaty::parse::invalid_escape),
        help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`")
    )]
    InvalidEscape {
        escape: String,
        #[source_code]
        src: NamedText,
        #[label(primary, "not an escape")]
        span: SourceSpan,
    },
}
