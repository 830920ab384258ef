//! Places as the protocol counts them: lines, and columns in UTF-16 code units; byte spans as
//! the rest of `treaty` counts them; file URIs and paths.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Url};

use crate::span::Span;

/// Where each line of a text starts, to turn byte offsets into positions and back.
pub(super) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.match_indices('\n')
                .map(|(index, _)| index.saturating_add(1)),
        );
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, and to a character boundary).
    pub(super) fn position(&self, offset: usize) -> Position {
        let offset = Span::point(offset).clamp_to(self.text).start;
        let line = self
            .starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |before| before.encode_utf16().count());
        Position::new(to_u32(line), to_u32(column))
    }

    /// The byte offset of `position`; past the end of its line, the line's end.
    pub(super) fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let line = self.text.get(start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (index, ch) in line.char_indices() {
            if units >= position.character as usize {
                return start.saturating_add(index);
            }
            units = units.saturating_add(ch.len_utf16());
        }
        start.saturating_add(line.len())
    }

    pub(super) fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    pub(super) fn span(&self, range: Range) -> Span {
        Span::new(self.offset(range.start), self.offset(range.end))
    }

    /// The whole text.
    pub(super) fn all(&self) -> Range {
        self.range(Span::new(0, self.text.len()))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The file a `file:` URI names.
pub(super) fn path_of(uri: &Url) -> Option<PathBuf> {
    uri.to_file_path().ok()
}

/// The `file:` URI of a path, made absolute against the current folder.
pub(super) fn uri_of(path: &Path) -> Option<Url> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    Url::from_file_path(absolute).ok()
}

/// A file as diagnostics name it (relative to the current folder, or absolute), as a path
/// that names the same file from anywhere.
pub(super) fn absolute(name: &str) -> PathBuf {
    let path = Path::new(name);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    }
}
