//! Byte spans and the source files they point into.
#![warn(missing_docs)]

use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::Serialize;

/// A byte range in one file. Cheap to copy; the file is known from context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// The first byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The bytes `start..end`; an `end` before `start` gives an empty span at `start`.
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// An empty span at `offset`, for "expected … here" diagnostics.
    pub fn point(offset: usize) -> Self {
        Span::new(offset, offset)
    }

    /// The number of bytes covered.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> Self {
        SourceSpan::new(span.start.into(), span.len())
    }
}

/// A file's name (as the user should see it) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name diagnostics print (usually a path relative to the project root).
    pub name: String,
    /// The whole text; spans index its bytes.
    pub text: Arc<str>,
}

impl SourceFile {
    /// A file named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The form miette needs to show a snippet.
    pub fn named(&self) -> NamedText {
        NamedText {
            name: self.name.clone(),
            text: Arc::clone(&self.text),
        }
    }

    /// The text under `span`, or "" when the span is not inside the file.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// A span that a snippet can show: an empty span at the end of the file (past any
    /// trailing whitespace) moves onto the last character, which miette can underline.
    pub fn visible(&self, span: Span) -> Span {
        if !span.is_empty() {
            return span;
        }
        let before = self.text.get(..span.start).unwrap_or("");
        let after = self.text.get(span.start..).unwrap_or("");
        if !after.trim().is_empty() {
            return span;
        }
        match before.trim_end().char_indices().next_back() {
            Some((index, c)) => Span::new(index, index.saturating_add(c.len_utf8())),
            None => span,
        }
    }

    /// One-based line and column (in characters) of a byte offset, as editors count them.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut line = 1usize;
        let mut column = 1usize;
        for (index, ch) in self.text.char_indices() {
            if index >= offset {
                break;
            }
            if ch == '\n' {
                line = line.saturating_add(1);
                column = 1;
            } else if ch != '\r' {
                column = column.saturating_add(1);
            }
        }
        (line, column)
    }
}

/// A file's text as diagnostics show it. Unlike miette's own sources it counts columns in
/// characters, not bytes, so `file:line:column` is right after multi-byte UTF-8 text.
#[derive(Debug, Clone)]
pub struct NamedText {
    name: String,
    text: Arc<str>,
}

impl SourceCode for NamedText {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let contents =
            self.text
                .as_bytes()
                .read_span(span, context_lines_before, context_lines_after)?;
        let mut column = contents.column();
        if column > 0 {
            // miette counted bytes since the line's start: count characters instead.
            let start = span.offset().saturating_sub(column);
            column = self
                .text
                .get(start..span.offset())
                .map_or(column, |before| before.chars().count());
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}
