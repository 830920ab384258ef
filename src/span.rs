//! Byte spans and the source files they point into.
#![warn(missing_docs)]

use std::fmt;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

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
#[derive(Clone)]
pub struct SourceFile {
    /// The name diagnostics print (usually a path relative to the project root).
    pub name: String,
    /// The whole text; spans index its bytes.
    pub text: Arc<str>,
    /// Built on first use, shared by every diagnostic in the file.
    index: Arc<OnceLock<LineIndex>>,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("text", &self.text)
            .finish()
    }
}

impl SourceFile {
    /// A file named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            index: Arc::default(),
        }
    }

    /// The form miette needs to show a snippet.
    pub fn named(&self) -> NamedText {
        NamedText {
            name: self.name.clone(),
            text: Arc::clone(&self.text),
            index: Arc::clone(&self.index),
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
/// characters, not bytes, so `file:line:column` is right after multi-byte UTF-8 text; and it
/// finds lines through an index, so that a file with a million diagnostics is not read from
/// its start a million times.
#[derive(Clone)]
pub struct NamedText {
    name: String,
    text: Arc<str>,
    index: Arc<OnceLock<LineIndex>>,
}

impl fmt::Debug for NamedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedText")
            .field("name", &self.name)
            .field("text", &self.text)
            .finish()
    }
}

impl NamedText {
    fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }
}

impl SourceCode for NamedText {
    /// What miette's reader of bytes gives, but read from a window of the lines around the
    /// span (found through the index), with its lines and offsets moved back into the file.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let index = self.index();
        let start = span.offset();
        if start > self.text.len() {
            // miette's reader panics on this (slicing backwards); nothing is there to show.
            return Err(MietteError::OutOfBounds);
        }
        let end = start.saturating_add(span.len());
        // One spare line before: miette looks at the byte before an empty span.
        let first = index
            .line_of(start)
            .saturating_sub(context_lines_before)
            .saturating_sub(1);
        // Miette reads up to `after` lines past the line holding the span's end, and one
        // more when the span ends on a line break: two spare lines cover both.
        let last = index
            .line_of(end)
            .saturating_add(context_lines_after)
            .saturating_add(2);
        let from = index.start_of(first).min(self.text.len());
        let to = index.start_of(last).min(self.text.len()).max(from);
        let window = self.text.as_bytes().get(from..to).unwrap_or_default();
        let local = SourceSpan::new(start.saturating_sub(from).into(), span.len());
        let contents = window.read_span(&local, context_lines_before, context_lines_after)?;
        let mut column = contents.column();
        if column > 0 {
            // miette counted bytes since the line's start: count characters instead.
            let line_start = start.saturating_sub(column);
            column = index
                .chars_before(&self.text, start)
                .saturating_sub(index.chars_before(&self.text, line_start));
        }
        let shown = SourceSpan::new(
            contents.span().offset().saturating_add(from).into(),
            contents.span().len(),
        );
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            contents.data(),
            shown,
            contents.line().saturating_add(first),
            column,
            contents.line_count().saturating_add(first),
        )))
    }
}

/// Where each line of a text starts, and how many characters come before regular points in
/// it, so that a line and a column are found without reading the text from its start.
#[derive(Debug)]
struct LineIndex {
    /// The first byte of each line: 0, then one past each `\n`, `\r\n` or lone `\r` (the
    /// line ends miette counts).
    starts: Vec<usize>,
    /// `(byte offset, characters before it)`, about every [`CHECKPOINT`] bytes.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two character-count checkpoints: the most a column costs to count.
const CHECKPOINT: usize = 4096;

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (at, &byte) in bytes.iter().enumerate() {
            let next = at.saturating_add(1);
            let ends_line = byte == b'\n' || (byte == b'\r' && bytes.get(next) != Some(&b'\n'));
            if ends_line {
                starts.push(next);
            }
        }
        let mut checkpoints = Vec::new();
        let mut next_checkpoint = CHECKPOINT;
        for (count, (at, _)) in text.char_indices().enumerate() {
            if at >= next_checkpoint {
                checkpoints.push((at, count));
                next_checkpoint = at.saturating_add(CHECKPOINT);
            }
        }
        LineIndex {
            starts,
            checkpoints,
        }
    }

    /// The line (from 0) holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The first byte of line `line`, or `usize::MAX` past the last line.
    fn start_of(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(usize::MAX)
    }

    /// How many characters start before byte `offset`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let at = self
            .checkpoints
            .partition_point(|&(checkpoint, _)| checkpoint <= offset);
        let (from, count) = at
            .checked_sub(1)
            .and_then(|at| self.checkpoints.get(at))
            .copied()
            .unwrap_or((0, 0));
        let bytes = text.as_bytes().get(from..offset.min(text.len()));
        let rest = bytes.map_or(0, |bytes| {
            bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
        });
        count.saturating_add(rest)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::{SourceFile, Span};
    use miette::{SourceCode, SourceSpan};

    /// Reading through the line index gives what miette's reader of the whole text gives,
    /// with columns in characters: for every span of texts with every kind of line end.
    /// (Spans starting past the end are left out: miette's reader panics on them, ours
    /// refuses them.)
    #[test]
    fn indexed_reads_agree_with_miettes_reader() {
        let long = format!("{}é\n", "x".repeat(9000));
        let texts = [
            "",
            "one line",
            "a\nbb\nccc\n",
            "a\r\nb\r\n\r\nc",
            "lone\rcarriage\r\rreturns\n",
            "é\nüü\n\n\nend",
            long.as_str(),
        ];
        for text in texts {
            let file = SourceFile::new("t", text);
            let named = file.named();
            let len = text.len();
            let step = if len > 100 { 997 } else { 1 };
            let starts = (0..=len)
                .step_by(step)
                .filter(|&at| text.is_char_boundary(at));
            for start in starts {
                for length in [0, 1, 2, 5, 9001] {
                    let span = SourceSpan::new(start.into(), length);
                    for (before, after) in [(0, 0), (1, 1), (2, 0), (0, 3)] {
                        let theirs = text.as_bytes().read_span(&span, before, after);
                        let ours = named.read_span(&span, before, after);
                        match (theirs, ours) {
                            (Ok(theirs), Ok(ours)) => {
                                let at = format!("{text:?} {start}+{length} ({before}, {after})");
                                assert_eq!(theirs.data(), ours.data(), "{at}");
                                assert_eq!(theirs.span(), ours.span(), "{at}");
                                assert_eq!(theirs.line(), ours.line(), "{at}");
                                assert_eq!(theirs.line_count(), ours.line_count(), "{at}");
                                let line_start = start - theirs.column();
                                let chars = text
                                    .get(line_start..start)
                                    .map_or(theirs.column(), |s| s.chars().count());
                                assert_eq!(chars, ours.column(), "{at}");
                            }
                            (Err(_), Err(_)) => {}
                            (theirs, ours) => panic!(
                                "{text:?} {start}+{length}: miette {:?}, ours {:?}",
                                theirs.is_ok(),
                                ours.is_ok()
                            ),
                        }
                    }
                }
            }
        }
    }

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

    #[test]
    fn spans_past_the_end_are_refused_not_a_panic() {
        let named = SourceFile::new("t", "ab").named();
        assert!(
            named
                .read_span(&SourceSpan::new(3.into(), 0), 0, 0)
                .is_err()
        );
        assert!(
            named
                .read_span(&SourceSpan::new(9.into(), 4), 1, 1)
                .is_err()
        );
    }
}
