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
    /// What miette's reader of bytes gives (its quirks included, so snippets are unchanged),
    /// found through the line index instead of by reading the text from its start.
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let index = self.index();
        let bytes = self.text.as_bytes();
        let read = index
            .read(
                bytes,
                span.offset(),
                span.len(),
                context_lines_before,
                context_lines_after,
            )
            .ok_or(MietteError::OutOfBounds)?;
        let data = bytes
            .get(read.bytes.clone())
            .ok_or(MietteError::OutOfBounds)?;
        // miette counts the bytes before the span on its line: count characters instead.
        let column = index
            .chars_before(&self.text, read.column.end)
            .saturating_sub(index.chars_before(&self.text, read.column.start));
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(read.bytes.start.into(), read.bytes.len()),
            read.line,
            column,
            read.line_count,
        )))
    }
}

/// What miette's reader finds for a span: the bytes shown, the line (from 0) they start on,
/// the bytes its column counts (only without lines before), and the line ends it passed.
struct Read {
    bytes: Range<usize>,
    line: usize,
    column: Range<usize>,
    line_count: usize,
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

    /// What miette 7's `context_info` finds for the span `start`, `len` with `before` and
    /// `after` lines of context, computed from the index. miette reads byte by byte from the
    /// file's start: it stops at the first byte at or past the span's last byte (a `\r\n`
    /// counts at its `\n`) when `after` is 0, else just after the `after + 1`-th line end
    /// that follows it; the line count is the line ends passed until it stops.
    fn read(
        &self,
        bytes: &[u8],
        start: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> Option<Read> {
        let size = bytes.len();
        if start > size {
            return None; // miette's reader would slice backwards and panic
        }
        let last = start.saturating_add(len).saturating_sub(1);
        // Where miette stops, and whether it passed a line end after the span's last byte
        // (which sets its column back to 0).
        let (end, passed_line_end) = if last >= size {
            if last > size {
                return None;
            }
            (size, false)
        } else {
            let crlf = bytes.get(last) == Some(&b'\r')
                && bytes.get(last.saturating_add(1)) == Some(&b'\n');
            let at = if crlf { last.saturating_add(1) } else { last };
            if after == 0 {
                (at.saturating_add(1), false)
            } else {
                // Line ends after `at` start lines at `at + 2` or later.
                let next = self
                    .starts
                    .partition_point(|&line_start| line_start < at.saturating_add(2));
                let end = self
                    .starts
                    .get(next.saturating_add(after))
                    .copied()
                    .unwrap_or(size);
                (end, next < self.starts.len())
            }
        };
        let line = self.line_of(start);
        let first = line.saturating_sub(before);
        let (from, column) = if before == 0 {
            // A `\r` just before the span's `\n` is neither a column nor a line end yet.
            let split_crlf = start > 0
                && bytes.get(start.saturating_sub(1)) == Some(&b'\r')
                && bytes.get(start) == Some(&b'\n');
            let end = start.saturating_sub(usize::from(split_crlf));
            let column = if passed_line_end {
                end..end
            } else {
                self.start_of(line).min(end)..end
            };
            (start, column)
        } else {
            (self.start_of(first), start..start)
        };
        let line_count = self
            .starts
            .partition_point(|&line_start| line_start <= end)
            .saturating_sub(1);
        Some(Read {
            bytes: from..end.max(from),
            line: first,
            column,
            line_count,
        })
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
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::{SourceFile, Span};
    use miette::{SourceCode, SourceSpan};

    /// Compare our reading of every span of `text` with miette's reader of the whole text.
    /// (Spans starting past the end, or inside a character, are left out: miette's reader
    /// panics on the first, ours refuses them, and spans never cut characters.)
    fn agree_on_every_span(text: &str, step: usize) {
        let named = SourceFile::new("t", text).named();
        let len = text.len();
        let starts = (0..=len)
            .step_by(step)
            .filter(|&at| text.is_char_boundary(at));
        for start in starts {
            for length in [0, 1, 2, 3, 5, 9001] {
                let span = SourceSpan::new(start.into(), length);
                for (before, after) in [(0, 0), (1, 1), (2, 0), (0, 3), (1, 2)] {
                    let at = format!("{text:?} {start}+{length} ({before}, {after})");
                    let theirs = text.as_bytes().read_span(&span, before, after);
                    let ours = named.read_span(&span, before, after);
                    let (theirs, ours) = match (theirs, ours) {
                        (Ok(theirs), Ok(ours)) => (theirs, ours),
                        (Err(_), Err(_)) => continue,
                        (theirs, ours) => {
                            panic!("{at}: miette {:?}, ours {:?}", theirs.is_ok(), ours.is_ok())
                        }
                    };
                    assert_eq!(theirs.data(), ours.data(), "data {at}");
                    assert_eq!(theirs.span(), ours.span(), "span {at}");
                    assert_eq!(theirs.line(), ours.line(), "line {at}");
                    assert_eq!(theirs.line_count(), ours.line_count(), "line count {at}");
                    // miette's column counts the bytes before the span on its line; a `\r`
                    // just before a span starting at `\n` is not one of them.
                    let bytes = text.as_bytes();
                    let split =
                        start > 0 && bytes[start - 1] == b'\r' && bytes.get(start) == Some(&b'\n');
                    let end = start - usize::from(split && theirs.column() > 0);
                    let chars = text[end - theirs.column()..end].chars().count();
                    assert_eq!(chars, ours.column(), "column {at}");
                }
            }
        }
    }

    /// Reading through the line index gives what miette's reader of the whole text gives,
    /// with columns in characters, on texts with every kind of line end.
    #[test]
    fn indexed_reads_agree_with_miettes_reader() {
        for text in [
            "",
            "one line",
            "a\nbb\nccc\n",
            "a\r\nb\r\n\r\nc",
            "lone\rcarriage\r\rreturns\n",
            "é\nüü\n\n\nend",
            "\n\n\r\n\r",
            "é\r\n",
        ] {
            agree_on_every_span(text, 1);
        }
        agree_on_every_span(
            &format!("{}é\n{}\n", "x".repeat(9000), "y".repeat(5000)),
            997,
        );
    }

    proptest::proptest! {
        #[test]
        fn indexed_reads_agree_on_random_texts(text in "[ab\\n\\ré]{0,24}") {
            agree_on_every_span(&text, 1);
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
