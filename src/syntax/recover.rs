//! Recovery and guards around pest: what pest would handle badly is refused before it runs
//! (nesting that would exhaust the stack, strings left open), and a declaration holding a
//! syntax error is blanked out so that the rest of the file can be parsed again.

use crate::lang::{DocumentKind, ProvisionKind};
use crate::span::{SourceFile, Span};

use super::{MAX_NESTING, ParseError, err};

/// Words that start a top-level declaration: a header's document kind, a provision's kind,
/// or one of the other declarations.
fn declaration_keywords() -> impl Iterator<Item = &'static str> {
    let others = [
        "use", "weapon", "holdings", "package", "reading", "category", "test",
    ];
    DocumentKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .chain(ProvisionKind::ALL.iter().map(|kind| kind.as_str()))
        .chain(others)
}

/// Replace the top-level declaration around `offset` by spaces (line breaks kept, so every
/// later position stays where it was). `false` when there is nothing left to blank.
pub(super) fn blank_declaration(text: &mut String, offset: usize) -> bool {
    // Declarations start on a line of their own, at brace depth zero.
    let mut starts = Vec::new();
    let mut top_level_words = Vec::new();
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
            let rest = text.get(index..).unwrap_or("");
            let starts_declaration = declaration_keywords().any(|k| {
                rest.strip_prefix(k).is_some_and(|after| {
                    !after.starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            });
            if depth <= 0 && starts_declaration {
                starts.push(index);
            }
            if depth <= 0 {
                top_level_words.push(index);
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
    let Some(region) = text.get(start..end) else {
        return false;
    };
    if region.trim().is_empty() {
        return false;
    }
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
    true
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
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if !closed {
                    return Err(err::unterminated_string(
                        file,
                        Span::new(index, index.saturating_add(1)),
                    ));
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
