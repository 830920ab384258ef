//! Recovery and guards around pest: what pest would handle badly is refused before it runs
//! (nesting that would exhaust the stack, strings left open), and a declaration holding a
//! syntax error is blanked out so that the rest of the file can be parsed again.

use crate::diagnostics::closest;
use crate::lang::{DocumentKind, Keyword, ProvisionKind};
use crate::span::{SourceFile, Span};

use super::{MAX_NESTING, ParseError, err};

/// Words that start a top-level declaration: a header's document kind, a provision's kind,
/// or one of the other declarations.
fn declaration_keywords() -> impl Iterator<Item = &'static str> {
    // Their first word: `weapon` of `weapon types`.
    let others = Keyword::DECLARATIONS
        .iter()
        .filter_map(|k| k.as_str().split(' ').next());
    DocumentKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .chain(ProvisionKind::ALL.iter().map(|kind| kind.as_str()))
        .chain(others)
}

/// Where each top-level declaration starts: a line at brace depth zero that starts with a
/// declaration's keyword.
pub(super) fn declaration_starts(text: &str) -> Vec<usize> {
    // `lines`, byte by byte and keeping only the lines at depth zero: the characters that
    // matter are ASCII, and no byte of a longer UTF-8 character is one.
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut depth = 0i64;
    let mut line_start = true;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let mut next = index.saturating_add(1);
        if line_start {
            // A line's first character: whitespace as `char::is_whitespace` has it.
            let ch = text.get(index..).and_then(|rest| rest.chars().next());
            let width = ch.map_or(1, char::len_utf8);
            if ch.is_some_and(char::is_whitespace) {
                if byte == b'\n' {
                    line_start = true;
                }
                index = index.saturating_add(width);
                continue;
            }
            line_start = false;
            let comment = byte == b'/' && bytes.get(next) == Some(&b'/');
            let line = Line {
                start: index,
                depth,
                text,
            };
            if !comment && depth == 0 && line.starts_with_any(declaration_keywords()) {
                starts.push(index);
            }
        }
        match byte {
            b'\n' => line_start = true,
            b'"' => {
                // To the closing quote; an escape skips the character after it.
                while let Some(&c) = bytes.get(next) {
                    next = next.saturating_add(1);
                    match c {
                        b'\\' => next = next.saturating_add(1),
                        b'"' => break,
                        _ => {}
                    }
                }
            }
            b'/' if bytes.get(next) == Some(&b'/') => {
                while let Some(&c) = bytes.get(next) {
                    next = next.saturating_add(1);
                    if c == b'\n' {
                        line_start = true;
                        break;
                    }
                }
            }
            b'{' | b'(' | b'[' => depth = depth.saturating_add(1),
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        index = next;
    }
    starts
}

/// [`declaration_starts`] by way of [`lines`], which it must agree with.
#[cfg(test)]
pub(super) fn declaration_starts_by_lines(text: &str) -> Vec<usize> {
    lines(text)
        .filter(|line| line.depth == 0 && line.starts_with_any(declaration_keywords()))
        .map(|line| line.start)
        .collect()
}

/// The top-level declaration around `offset`, as a byte range; `None` when there is nothing
/// left to set aside.
pub(super) fn declaration_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    // Declarations start on a line of their own, at brace depth zero.
    let mut starts = Vec::new();
    let mut top_level_words = Vec::new();
    for line in lines(text) {
        if line.depth > 0 {
            continue;
        }
        if line.starts_with_any(declaration_keywords()) {
            starts.push(line.start);
        }
        top_level_words.push(line.start);
    }
    // An unknown word starting a top-level line is a declaration of its own: blank it alone,
    // not the declaration before it.
    if top_level_words.contains(&offset) && !starts.contains(&offset) {
        starts.push(offset);
        starts.sort_unstable();
    }
    let start = starts
        .iter()
        .rev()
        .find(|&&s| s <= offset)
        .copied()
        .unwrap_or(0);
    let end = starts
        .iter()
        .find(|&&s| s > offset)
        .copied()
        .unwrap_or(text.len());
    let region = text.get(start..end)?;
    (!region.trim().is_empty()).then_some((start, end))
}

/// The field of a block holding `offset`, as a byte range: a line inside a top-level block
/// (depth one) that starts with a field keyword (`date`, `parties`, `quote`, `expect`, …)
/// or a misspelling of one, up to the next line of the block. A syntax error there is set
/// aside with the field alone, the rest of the block kept: a bad header date costs the date,
/// not the header.
pub(super) fn field_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let fields: Vec<&str> = Keyword::FIELDS
        .iter()
        .filter_map(|k| k.as_str().split(' ').next())
        .collect();
    let block_lines: Vec<Line> = lines(text).filter(|line| line.depth == 1).collect();
    let index = block_lines.iter().rposition(|line| line.start <= offset)?;
    let line = block_lines.get(index)?;
    let word = first_word(text.get(line.start..)?);
    if !fields.contains(&word) && closest(word, fields.iter().copied()).is_none() {
        return None;
    }
    // The field runs to the next line of its block, or to the `}` that closes the block.
    let next = block_lines.get(index.saturating_add(1)).map(|l| l.start);
    let close = closing_brace(text, line.start);
    let end = match (next, close) {
        (Some(next), Some(close)) => next.min(close),
        (next, close) => next.or(close)?,
    };
    (offset < end).then_some((line.start, end))
}

/// Replace `start..end` by spaces, line breaks kept, so every later position stays where it
/// was.
pub(super) fn blank(text: &mut String, (start, end): (usize, usize)) {
    let Some(region) = text.get(start..end) else {
        return;
    };
    // Same length in bytes, so every later span is unchanged.
    let mut blanked = String::with_capacity(region.len());
    for c in region.chars() {
        if c == '\n' || c == '\r' {
            blanked.push(c);
        } else {
            blanked.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
    text.replace_range(start..end, &blanked);
}

/// The first word of `text`: letters, digits and `_`.
fn first_word(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    text.get(..end).unwrap_or("")
}

/// A line's first character outside strings and comments, and the brace depth there.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    depth: i64,
    text: &'a str,
}

impl Line<'_> {
    /// Whether the line starts with one of `words`, as a whole word.
    fn starts_with_any<'k>(&self, mut words: impl Iterator<Item = &'k str>) -> bool {
        let rest = self.text.get(self.start..).unwrap_or("");
        words.any(|k| {
            rest.strip_prefix(k)
                .is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
    }
}

/// Every line's first character outside strings and comments, with the depth of brackets
/// open there.
fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut found = Vec::new();
    let mut depth = 0i64;
    let mut line_start = true;
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        if in_string {
            match ch {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if line_start && !ch.is_whitespace() {
            line_start = false;
            if !(ch == '/' && chars.peek().map(|&(_, c)| c) == Some('/')) {
                found.push(Line {
                    start: index,
                    depth,
                    text,
                });
            }
        }
        match ch {
            '\n' => line_start = true,
            '"' => in_string = true,
            '/' if chars.peek().map(|&(_, c)| c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        line_start = true;
                        break;
                    }
                }
            }
            '{' | '(' | '[' => depth = depth.saturating_add(1),
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    found.into_iter()
}

/// The `}` closing the block that is open at `from` (at depth one), outside strings and
/// comments.
fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1i64;
    let mut in_string = false;
    let mut chars = text.get(from..)?.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        if in_string {
            match ch {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match ch {
            '"' => in_string = true,
            '/' if chars.peek().map(|&(_, c)| c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '{' | '(' | '[' => depth = depth.saturating_add(1),
            '}' | ')' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(from.saturating_add(index));
                }
            }
            _ => {}
        }
    }
    None
}

/// A string that runs over several lines and holds a line starting with a keyword: most
/// likely one whose closing `"` is missing, so that it swallowed what follows. Its span
/// (the opening quote), the keyword, and the line it opens on.
fn runaway_string(text: &str, strings: &[(usize, usize)]) -> Option<(Span, &'static str, usize)> {
    let keywords: Vec<&'static str> = DocumentKind::ALL
        .iter()
        .map(|k| k.as_str())
        .chain(ProvisionKind::ALL.iter().map(|k| k.as_str()))
        .chain(
            Keyword::ALL
                .iter()
                .filter_map(|k| k.as_str().split(' ').next()),
        )
        .collect();
    strings.iter().find_map(|&(start, end)| {
        let body = text.get(start.saturating_add(1)..end)?;
        let keyword = body.lines().skip(1).find_map(|line| {
            let word = first_word(line.trim_start());
            keywords.iter().copied().find(|k| *k == word)
        })?;
        let line = text
            .get(..start)
            .map_or(0, |before| before.matches('\n').count())
            .saturating_add(1);
        Some((Span::new(start, start.saturating_add(1)), keyword, line))
    })
}

/// Checks what pest would handle badly: nesting that would exhaust the stack, and strings
/// left open (pest would only say "expected …" at the opening quote).
///
/// Unbalanced braces are reported but do not stop the parse, so the other errors of the file
/// are found in the same run; nesting and open strings do.
pub(super) fn prescan(file: &SourceFile) -> std::result::Result<Vec<ParseError>, ParseError> {
    let mut depth = 0usize;
    // Where each `{` still open was written; at most one brace problem is worth reporting.
    let mut braces: Vec<usize> = Vec::new();
    let mut brace_errors = Vec::new();
    // Every string closed so far, as (opening quote, closing quote).
    let mut strings: Vec<(usize, usize)> = Vec::new();
    let mut chars = file.text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '/' if chars.peek().map(|&(_, c)| c) == Some('/') => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut closed = None;
                while let Some((end, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = Some(end);
                            break;
                        }
                        _ => {}
                    }
                }
                match closed {
                    Some(end) => strings.push((index, end)),
                    None => {
                        return Err(err::unterminated_string(
                            file,
                            Span::new(index, index.saturating_add(1)),
                            runaway_string(&file.text, &strings),
                        ));
                    }
                }
            }
            '(' | '[' | '{' => {
                depth = depth.saturating_add(1);
                if depth > MAX_NESTING {
                    return Err(err::too_deep(
                        file,
                        MAX_NESTING,
                        Span::new(index, index.saturating_add(1)),
                    ));
                }
                if ch == '{' {
                    braces.push(index);
                }
            }
            ')' | ']' | '}' => {
                depth = depth.saturating_sub(1);
                // Ranges may pair `(` with `]`, so only braces must balance.
                if ch == '}' && braces.pop().is_none() && brace_errors.is_empty() {
                    brace_errors.push(err::unmatched_brace(
                        file,
                        Span::new(index, index.saturating_add(1)),
                    ));
                }
            }
            _ => {}
        }
    }
    if let (Some(&open), true) = (braces.last(), brace_errors.is_empty()) {
        brace_errors.push(err::unclosed_brace(
            file,
            Span::new(open, open.saturating_add(1)),
        ));
    }
    Ok(brace_errors)
}
