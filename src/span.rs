//! Byte spans and the source files they point into.
#![warn(missing_docs)]

use std::ops::Range;
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

    /// An empty span at the end of `text`, for problems about a missing ending.
    pub fn end_of(text: &str) -> Span {
        Span::point(text.len())
    }

    /// Whether the two spans share a byte or touch (an empty span is a point).
    pub fn overlaps(self, other: Span) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The span made safe to slice `text` with: inside the text, and widened outwards to
    /// character boundaries where it cuts a character.
    pub fn clamp_to(self, text: &str) -> Span {
        let len = text.len();
        let mut start = self.start.min(len);
        let mut end = self.end.min(len).max(start);
        // Offset 0 and `len` are always boundaries, so both loops end.
        while !text.is_char_boundary(start) {
            start = start.saturating_sub(1);
        }
        while !text.is_char_boundary(end) {
            end = end.saturating_add(1);
        }
        Span::new(start, end)
    }

    /// The span as a range, to slice a text with.
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

impl From<Range<usize>> for Span {
    /// A range whose end is before its start becomes an empty span at its start.
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
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

#[cfg(test)]
mod tests {
    use super::Span;

    #[test]
    fn end_of_is_empty_at_the_end() {
        assert_eq!(Span::end_of("abc"), Span::new(3, 3));
        assert_eq!(Span::end_of(""), Span::new(0, 0));
    }

    #[test]
    fn overlapping_spans_share_a_byte_or_touch() {
        assert!(Span::new(0, 3).overlaps(Span::new(2, 5)));
        assert!(Span::new(0, 3).overlaps(Span::new(3, 5)));
        assert!(Span::point(4).overlaps(Span::new(2, 5)));
        assert!(!Span::new(0, 2).overlaps(Span::new(3, 5)));
        assert!(!Span::new(3, 5).overlaps(Span::point(1)));
    }

    #[test]
    fn clamp_to_keeps_spans_inside_the_text_on_char_boundaries() {
        let text = "aé"; // `é` is bytes 1..3
        assert_eq!(Span::new(2, 2).clamp_to(text), Span::new(1, 3));
        assert_eq!(Span::new(0, 2).clamp_to(text), Span::new(0, 3));
        assert_eq!(Span::new(5, 9).clamp_to(text), Span::new(3, 3));
        let (start, end) = (3, 1);
        assert_eq!(Span::from(start..end).clamp_to(text), Span::new(3, 3));
    }

    #[test]
    fn range_slices_the_text_under_the_span() {
        assert_eq!(&"treaty"[Span::new(1, 4).range()], "rea");
        let (start, end) = (2, 1);
        assert_eq!(Span::from(start..end), Span::point(2));
    }
}
