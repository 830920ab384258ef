//! What the syntax tree leaves out: comments and blank lines. The parser drops them, so the
//! formatter finds them again by scanning the text it has just parsed, skipping strings the
//! way the grammar does (`"` … `"`, with `\` escaping the next character).

use crate::span::Span;

/// One `//` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comment {
    /// From `//` to the end of the line, line break excluded.
    pub(crate) span: Span,
    /// The comment as written, trailing whitespace removed.
    pub(crate) text: String,
    /// Nothing but whitespace before it on its line.
    pub(crate) own_line: bool,
    /// A blank line separates it from what comes before.
    pub(crate) blank_before: bool,
}

/// Every comment of `text`, in order.
pub(crate) fn comments(text: &str) -> Vec<Comment> {
    let mut found = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '"' => skip_string(&mut chars),
            '/' if chars.peek().is_some_and(|&(_, next)| next == '/') => {
                let end = text
                    .get(index..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(text.len(), |n| index.saturating_add(n));
                let raw = text.get(index..end).unwrap_or("");
                let span = Span::new(index, index.saturating_add(raw.trim_end().len()));
                found.push(Comment {
                    span,
                    text: raw.trim_end().to_string(),
                    own_line: line_before(text, index).trim().is_empty(),
                    blank_before: blank_before(text, index),
                });
                while chars.next_if(|&(i, _)| i < end).is_some() {}
            }
            _ => {}
        }
    }
    found
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while let Some((_, ch)) = chars.next() {
        match ch {
            '\\' => {
                chars.next();
            }
            '"' => return,
            _ => {}
        }
    }
}

/// The text of the line before `offset`.
fn line_before(text: &str, offset: usize) -> &str {
    let before = text.get(..offset).unwrap_or("");
    before.rsplit('\n').next().unwrap_or("")
}

/// Whether the whitespace just before `offset` holds a blank line.
pub(crate) fn blank_before(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or("");
    let gap = before.get(trim_space_end(before).len()..).unwrap_or("");
    gap.matches('\n').count() >= 2
}

/// Whitespace as the grammar knows it (a byte-order mark included).
fn is_space(ch: char) -> bool {
    ch.is_whitespace() || ch == '\u{FEFF}'
}

fn trim_space_end(text: &str) -> &str {
    text.trim_end_matches(is_space)
}

/// The offset of the next character at or after `from` that is neither whitespace nor in a
/// comment: where the next token starts.
pub(crate) fn next_token(text: &str, from: usize) -> usize {
    let mut offset = from.min(text.len());
    loop {
        let rest = text.get(offset..).unwrap_or("");
        let trimmed = rest.trim_start_matches(is_space);
        offset = offset.saturating_add(rest.len().saturating_sub(trimmed.len()));
        if trimmed.starts_with("//") {
            offset = offset.saturating_add(trimmed.find('\n').unwrap_or(trimmed.len()));
        } else {
            return offset;
        }
    }
}
