//! What the graphical renderer is shown of a file when the file itself would not do: the
//! lines around each label, where a line longer than [`MAX_LINE`] bytes becomes windows around
//! the labels joined by `…`, a label over more than [`MAX_LABEL_LINES`] lines is cut to its
//! first line, and characters that would act on the terminal are written as escapes. Line
//! numbers and the header's `file:line:column` stay those of the file.
//!
//! Why: miette panics on a column past 65 535 ("Formatting argument out of range"), and a
//! 16 MiB line, or a label over a million lines, is no use on a terminal anyway.

use std::ops::Range;

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::terminal::{is_unsafe, printable};

/// Lines of context around a label; the renderer is given the same number.
pub(super) const CONTEXT_LINES: usize = 1;
/// Lines longer than this, in bytes, are shown as windows around their labels.
pub(super) const MAX_LINE: usize = 300;
/// Bytes shown before a label, and after the part of it shown, in a long line.
const AROUND: usize = 40;
/// Bytes of a label's own text shown in a long line.
const MAX_LABEL: usize = 120;
/// A label over more lines than this is cut to its first line.
pub(super) const MAX_LABEL_LINES: usize = 40;
/// Stands for the bytes left out.
const ELLIPSIS: &str = "…";

/// The lines the renderer shows, cut and escaped; read like the file they come from.
#[derive(Debug)]
pub(super) struct Excerpt {
    name: Option<String>,
    text: String,
    blocks: Vec<Block>,
    /// For each label: where it starts in `text`, and its column in the file (characters,
    /// from 0), for the header's `file:line:column`.
    columns: Vec<(usize, usize)>,
}

/// Lines that follow one another both in the file and in the excerpt.
#[derive(Debug)]
struct Block {
    /// Its bytes in [`Excerpt::text`].
    shown: Range<usize>,
    /// The file's line (from 0) it starts with.
    first_line: usize,
}

/// Bytes of the file and what stands for them in the excerpt: the same text (`verbatim`),
/// an escape, or an ellipsis.
#[derive(Debug)]
struct Piece {
    file: Range<usize>,
    shown: Range<usize>,
    verbatim: bool,
}

/// A label's lines (with context) in the file.
struct Region {
    bytes: Range<usize>,
    first_line: usize,
}

impl Excerpt {
    /// An excerpt of `source` for `labels`, and the labels moved into it. `None` when the file
    /// can be shown as it is (unless `always`: tests compare the two renderings), or a label
    /// cannot be read (the renderer then says so itself).
    pub(super) fn cut(
        source: &dyn SourceCode,
        labels: &[LabeledSpan],
        always: bool,
    ) -> Option<(Excerpt, Vec<LabeledSpan>)> {
        let mut needed = always;
        let mut name = None;
        let mut labels = labels.to_vec();
        let mut columns = Vec::new();
        for label in &mut labels {
            let own = source.read_span(label.inner(), 0, 0).ok()?;
            if name.is_none() {
                name = own.name().map(str::to_owned);
            }
            columns.push(own.column());
            let data = own.data();
            let lines = data.iter().filter(|&&b| b == b'\n').count();
            if lines > MAX_LABEL_LINES {
                needed = true;
                let first = data
                    .iter()
                    .position(|&b| b == b'\n' || b == b'\r')
                    .unwrap_or(data.len());
                *label = relabel(label, label.offset(), first);
            }
        }
        let regions = snippets(source, &labels)?;
        needed = needed
            || regions.iter().any(|region| {
                let span = SourceSpan::new(region.bytes.start.into(), region.bytes.len());
                source
                    .read_span(&span, 0, 0)
                    .is_ok_and(|read| needs_cutting(read.data()))
            });
        let name_is_unsafe = name.as_deref().is_some_and(|n| n.chars().any(is_unsafe));
        if !needed && !name_is_unsafe {
            return None;
        }
        let mut builder = Builder {
            labels: &labels,
            text: String::new(),
            pieces: Vec::new(),
            blocks: Vec::new(),
        };
        for region in regions {
            let span = SourceSpan::new(region.bytes.start.into(), region.bytes.len());
            let read = source.read_span(&span, 0, 0).ok()?;
            let data = read.data().get(..region.bytes.len())?;
            builder.block(data, region.bytes.start, region.first_line);
        }
        let Builder {
            text,
            pieces,
            blocks,
            ..
        } = builder;
        let moved: Vec<LabeledSpan> = labels
            .iter()
            .map(|label| {
                let end = label.offset().saturating_add(label.len());
                let start = position(&pieces, label.offset(), false);
                let end = position(&pieces, end, true).max(start);
                relabel(label, start, end.saturating_sub(start))
            })
            .collect();
        let columns = moved
            .iter()
            .zip(columns)
            .map(|(label, column)| (label.offset(), column))
            .collect();
        let excerpt = Excerpt {
            name: name.map(|n| printable(&n).into_owned()),
            text,
            blocks,
            columns,
        };
        Some((excerpt, moved))
    }
}

/// Whether some line of `data` is too long to show, or holds a character to escape (a `\r`
/// alone among them: the renderer would print it as it is).
fn needs_cutting(data: &[u8]) -> bool {
    let lone_return = data
        .iter()
        .enumerate()
        .any(|(at, &b)| b == b'\r' && data.get(at.saturating_add(1)) != Some(&b'\n'));
    lone_return
        || data
            .split(|&b| b == b'\n')
            .any(|line| line.len() > MAX_LINE)
        || String::from_utf8_lossy(data)
            .chars()
            .any(|c| c != '\r' && is_unsafe(c))
}

/// `label` with its text made printable, at `offset` for `len` bytes.
fn relabel(label: &LabeledSpan, offset: usize, len: usize) -> LabeledSpan {
    let text = label.label().map(|text| printable(text).into_owned());
    let span = SourceSpan::new(offset.into(), len);
    if label.primary() {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

/// The lines the renderer will show, as it finds them: each label's lines with context, in
/// file order, a label's joined to the one before when miette would join them (when the
/// line before its first, plus the line ends miette counted up to the end of the one before,
/// reaches its first line: miette counts from the file's start, so it joins snippets far
/// apart, and the excerpt must hold the lines between).
fn snippets(source: &dyn SourceCode, labels: &[LabeledSpan]) -> Option<Vec<Region>> {
    let mut sorted: Vec<&LabeledSpan> = labels.iter().collect();
    sorted.sort_by_key(|label| label.offset());
    let mut joined: Vec<(Range<usize>, Region, usize)> = Vec::new();
    for label in sorted {
        let span = label.offset()..label.offset().saturating_add(label.len());
        let (region, count) = snippet(source, &span)?;
        if let Some((last_span, last, last_count)) = joined.last() {
            if last.first_line.saturating_add(*last_count) >= region.first_line {
                let both = last_span.start..last_span.end.max(span.end);
                if let Some((region, count)) = snippet(source, &both) {
                    joined.pop();
                    joined.push((both, region, count));
                    continue;
                }
            }
        }
        joined.push((span, region, count));
    }
    let mut regions: Vec<Region> = Vec::new();
    for (_, region, _) in joined {
        match regions.last_mut() {
            Some(last) if region.bytes.start <= last.bytes.end => {
                last.bytes.end = last.bytes.end.max(region.bytes.end);
            }
            _ => regions.push(region),
        }
    }
    Some(regions)
}

/// The lines the renderer shows around `span`, and miette's count of line ends.
fn snippet(source: &dyn SourceCode, span: &Range<usize>) -> Option<(Region, usize)> {
    let span = SourceSpan::new(span.start.into(), span.len());
    let read = source.read_span(&span, CONTEXT_LINES, CONTEXT_LINES).ok()?;
    let start = read.span().offset();
    let region = Region {
        bytes: start..start.saturating_add(read.data().len()),
        first_line: read.line(),
    };
    Some((region, read.line_count()))
}

/// Where the file's byte `offset` is in the excerpt: inside an escape or an ellipsis, its
/// start, or its end for the `end` of a label (so the label covers what stands for it).
fn position(pieces: &[Piece], offset: usize, end: bool) -> usize {
    let after = pieces.partition_point(|piece| piece.file.start <= offset);
    let Some(piece) = after.checked_sub(1).and_then(|at| pieces.get(at)) else {
        return 0;
    };
    if offset >= piece.file.end {
        piece.shown.end
    } else if piece.verbatim {
        piece
            .shown
            .start
            .saturating_add(offset.saturating_sub(piece.file.start))
    } else if end && offset > piece.file.start {
        piece.shown.end
    } else {
        piece.shown.start
    }
}

/// Builds the excerpt's text, block by block.
struct Builder<'l> {
    labels: &'l [LabeledSpan],
    text: String,
    pieces: Vec<Piece>,
    blocks: Vec<Block>,
}

impl Builder<'_> {
    /// The lines `data`, which start at byte `start` and line `first_line` of the file.
    fn block(&mut self, data: &[u8], start: usize, first_line: usize) {
        let shown_start = self.text.len();
        let mut at = 0;
        while at < data.len() {
            let rest = data.get(at..).unwrap_or_default();
            let content = rest
                .iter()
                .position(|&b| b == b'\n' || b == b'\r')
                .unwrap_or(rest.len());
            let after = rest.get(content..).unwrap_or_default();
            let ending = if after.starts_with(b"\r\n") {
                2
            } else {
                usize::from(!after.is_empty())
            };
            let line_start = start.saturating_add(at);
            let line = rest.get(..content).unwrap_or_default();
            self.line(line, line_start);
            let ending_start = line_start.saturating_add(content);
            let ending_bytes = rest
                .get(content..content.saturating_add(ending))
                .unwrap_or_default();
            if ending_bytes == b"\r" {
                // miette counts a lone `\r` as a line end but would print it: show a line end.
                self.piece(ending_start..ending_start.saturating_add(1), "\n", false);
            } else {
                self.verbatim(ending_bytes, ending_start);
            }
            at = at.saturating_add(content).saturating_add(ending);
        }
        self.blocks.push(Block {
            shown: shown_start..self.text.len(),
            first_line,
        });
    }

    /// One line's content (without its line end), at byte `start` of the file.
    fn line(&mut self, line: &[u8], start: usize) {
        let end = start.saturating_add(line.len());
        let windows = if line.len() > MAX_LINE {
            self.windows(line, start)
        } else {
            let whole: Range<usize> = start..end;
            vec![whole]
        };
        let mut at = start;
        for window in windows {
            if window.start > at {
                self.ellipsis(at..window.start);
            }
            let bytes = line
                .get(window.start.saturating_sub(start)..window.end.saturating_sub(start))
                .unwrap_or_default();
            self.escaped(bytes, window.start);
            at = window.end;
        }
        if end > at {
            self.ellipsis(at..end);
        }
    }

    /// The parts of a long line to show: around each label on it, or its start when none is.
    fn windows(&self, line: &[u8], start: usize) -> Vec<Range<usize>> {
        let end = start.saturating_add(line.len());
        let mut windows: Vec<Range<usize>> = self
            .labels
            .iter()
            .filter_map(|label| {
                let label_end = label.offset().saturating_add(label.len());
                let (from, to) = (label.offset().max(start), label_end.min(end));
                (label.offset() <= end && label_end >= start).then(|| {
                    let to = to.min(from.saturating_add(MAX_LABEL));
                    from.saturating_sub(AROUND).max(start)..to.saturating_add(AROUND).min(end)
                })
            })
            .collect();
        if windows.is_empty() {
            windows.push(start..start.saturating_add(2 * AROUND).min(end));
        }
        windows.sort_by_key(|window| window.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for window in windows {
            let window = on_char_boundaries(line, start, window);
            match merged.last_mut() {
                Some(last) if window.start <= last.end.saturating_add(ELLIPSIS.len()) => {
                    last.end = last.end.max(window.end);
                }
                _ => merged.push(window),
            }
        }
        merged
    }

    /// `bytes` of the file at `start`, each unsafe character written as an escape.
    fn escaped(&mut self, bytes: &[u8], start: usize) {
        let text = String::from_utf8_lossy(bytes);
        let mut run = 0;
        for (at, c) in text.char_indices() {
            if is_unsafe(c) {
                let verbatim = text.get(run..at).unwrap_or_default();
                self.verbatim(verbatim.as_bytes(), start.saturating_add(run));
                let file = start.saturating_add(at);
                let escape = printable(c.encode_utf8(&mut [0; 4])).into_owned();
                self.piece(file..file.saturating_add(c.len_utf8()), &escape, false);
                run = at.saturating_add(c.len_utf8());
            }
        }
        let verbatim = text.get(run..).unwrap_or_default();
        self.verbatim(verbatim.as_bytes(), start.saturating_add(run));
    }

    fn verbatim(&mut self, bytes: &[u8], start: usize) {
        if !bytes.is_empty() {
            let text = String::from_utf8_lossy(bytes).into_owned();
            self.piece(start..start.saturating_add(bytes.len()), &text, true);
        }
    }

    fn ellipsis(&mut self, file: Range<usize>) {
        self.piece(file, ELLIPSIS, false);
    }

    fn piece(&mut self, file: Range<usize>, shown: &str, verbatim: bool) {
        let start = self.text.len();
        self.text.push_str(shown);
        // Lossy decoding may have changed the length: then the piece is not verbatim.
        let verbatim = verbatim && shown.len() == file.len();
        self.pieces.push(Piece {
            file,
            shown: start..self.text.len(),
            verbatim,
        });
    }
}

/// `window` (file offsets within `line`, which starts at `start`) widened to whole characters.
fn on_char_boundaries(line: &[u8], start: usize, window: Range<usize>) -> Range<usize> {
    let is_inside = |offset: usize| {
        line.get(offset.saturating_sub(start))
            .is_some_and(|&b| (b & 0xC0) == 0x80)
    };
    let mut from = window.start;
    while from > start && is_inside(from) {
        from = from.saturating_sub(1);
    }
    let end = start.saturating_add(line.len());
    let mut to = window.end;
    while to < end && is_inside(to) {
        to = to.saturating_add(1);
    }
    from..to
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let block = self
            .blocks
            .iter()
            .find(|block| block.shown.start <= start && start < block.shown.end)
            .or_else(|| self.blocks.iter().find(|block| block.shown.end == start))
            .ok_or(MietteError::OutOfBounds)?;
        let text = self
            .text
            .get(block.shown.clone())
            .ok_or(MietteError::OutOfBounds)?;
        let local = start.saturating_sub(block.shown.start);
        if local.saturating_add(span.len()) > text.len() {
            // A span across two blocks: the lines between them are not in the excerpt.
            return Err(MietteError::OutOfBounds);
        }
        let local_span = SourceSpan::new(local.into(), span.len());
        let contents =
            text.as_bytes()
                .read_span(&local_span, context_lines_before, context_lines_after)?;
        let data = contents.data();
        let offset = contents.span().offset();
        let column = match self.columns.iter().find(|(at, _)| *at == start) {
            _ if context_lines_before > 0 => 0,
            Some(&(_, column)) => column,
            None => text
                .get(local.saturating_sub(contents.column())..local)
                .map_or(contents.column(), |before| before.chars().count()),
        };
        // Counted from the file's start, as miette counts, so that the renderer joins the
        // same snippets as on the file (and those lie in one block: see `snippets`).
        let lines = contents.line_count().saturating_add(block.first_line);
        let first_line = contents.line().saturating_add(block.first_line);
        let shown = SourceSpan::new(offset.saturating_add(block.shown.start).into(), data.len());
        Ok(Box::new(match &self.name {
            Some(name) => {
                MietteSpanContents::new_named(name.clone(), data, shown, first_line, column, lines)
            }
            None => MietteSpanContents::new(data, shown, first_line, column, lines),
        }))
    }
}
