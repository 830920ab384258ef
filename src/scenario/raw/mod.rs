//! A span-carrying value tree for scenario files.
//!
//! Scenarios may be written in TOML or JSON. Both are turned into the same
//! [`Value`] tree so that a single validator serves both formats and can point
//! its diagnostics at exact byte ranges of the original text. Parsing never
//! stops at the first problem: [`parse`] returns a best-effort tree together
//! with every syntax error it found.

mod json;
mod toml;

use crate::span::Span;

/// A value together with the bytes of the scenario text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// What the value is.
    pub kind: ValueKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of value TOML and JSON have in common, and TOML's dates.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    /// A string, its escapes resolved.
    String(String),
    /// A number without fraction or exponent that fits in 64 bits.
    Integer(i64),
    /// Any other number: finite, or TOML's `inf`.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// TOML local date (YYYY-MM-DD) — keep year, month, day. JSON has no dates (they arrive as strings).
    Date {
        /// The year as written.
        year: u16,
        /// 1 to 12.
        month: u8,
        /// 1 to 31.
        day: u8,
    },
    /// Any other TOML datetime (with time or offset), kept as its text so the validator can reject it clearly.
    OtherDatetime(String),
    /// A list (TOML and JSON call it an array).
    Array(Vec<Value>),
    /// Keys keep their own spans; order is the file's order.
    Table(Vec<Entry>),
}

/// One key/value pair of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key, unquoted.
    pub key: String,
    /// Where the key is written (with its quotes, if any).
    pub key_span: Span,
    /// The value under the key.
    pub value: Value,
}

/// A problem with the file's syntax (as opposed to its meaning).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What is wrong, in one short lowercase clause.
    pub message: String,
    /// Where, always sliceable out of the text.
    pub span: Span,
    /// What kind of mistake it is.
    pub kind: SyntaxKind,
}

/// What kind of mistake a [`SyntaxError`] is: most are of the notation; a TOML date literal
/// naming a day that does not exist is a mistake of the date, reported as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyntaxKind {
    /// The notation is broken.
    #[default]
    Notation,
    /// A TOML date literal (`1978-11-31`) that is not a day of the calendar.
    InvalidDate,
}

impl SyntaxError {
    /// A mistake of the notation: `message` at `span`.
    pub fn new(message: String, span: Span) -> SyntaxError {
        SyntaxError {
            message,
            span,
            kind: SyntaxKind::Notation,
        }
    }
}

/// The notation a scenario file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML 1.0.
    Toml,
    /// JSON (RFC 8259), with a top-level object.
    Json,
}

/// Parse the whole text. Return the tree (best effort) and ALL syntax errors found.
///
/// When errors are returned the tree may be incomplete (values that could not
/// be read are left out), so callers should report the syntax errors first.
/// For TOML a tree is always returned; for JSON it is `None` only when the
/// text does not even start with an object.
pub fn parse(text: &str, format: Format) -> (Option<Value>, Vec<SyntaxError>) {
    match format {
        Format::Toml => toml::parse(text),
        Format::Json => json::parse(text),
    }
}

/// As [`parse`], but a JSON scenario's holdings are not kept in the tree: their list is left
/// empty, and where it is written is returned, for [`each_holding`] to read them one at a time.
/// TOML is parsed whole (`None`).
pub fn parse_deferring_holdings(
    text: &str,
    format: Format,
) -> (Option<Value>, Vec<SyntaxError>, Option<Span>) {
    match format {
        Format::Toml => {
            let (root, errors) = toml::parse(text);
            (root, errors, None)
        }
        Format::Json => json::parse_deferring_holdings(text),
    }
}

/// Each holding of the JSON list written at `list` (a span [`parse_deferring_holdings`]
/// returned), in order, until `each` says to stop; `false` if the list cannot be read.
pub fn each_holding(
    text: &str,
    list: Span,
    each: impl FnMut(Value) -> std::ops::ControlFlow<()>,
) -> bool {
    json::each_item(text, list, each)
}

/// Where the tokens of the TOML `text` add up to more than `limit`, if they do: each token
/// counts one, but `[`, `{` and `.`, which may open a table or an array, count `table_weight`.
/// The `toml` crate holds every token and the whole tree at once, and a table costs it about
/// twenty tokens' worth of memory; the count is made first, by its own lexer, which holds
/// nothing.
pub fn toml_token(text: &str, limit: usize, table_weight: usize) -> Option<Span> {
    toml::token(text, limit, table_weight)
}

#[cfg(test)]
mod tests;
