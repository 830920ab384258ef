//! The writer under the formatter: words, spaces, line breaks and indentation, and the
//! comments of the original text, each put back in the gap between the same two tokens.
//!
//! Line breaks are lazy: [`Printer::line`] only asks that the next word start a new line, so
//! a comment written after the last word of a line in the original can still join that line.

use super::trivia::{self, Comment};

/// How wide a line may grow before an expression is broken over several.
pub const WIDTH: usize = 110;
/// One level of indentation.
pub(super) const INDENT: usize = 4;

pub(super) struct Printer<'s> {
    /// The original text.
    pub(super) src: &'s str,
    comments: Vec<Comment>,
    /// The first comment not yet written.
    next_comment: usize,
    out: String,
    /// The line break the file uses (`\n` or `\r\n`).
    newline: &'static str,
    /// The current line holds something.
    open: bool,
    /// The current line ends with a comment: nothing more can join it.
    commented: bool,
    /// The next word starts a new line with this indentation.
    break_to: Option<usize>,
    /// The next word, on the same line, is preceded by a space.
    space: bool,
    /// The next new line is preceded by a blank one.
    blank: bool,
    /// Nothing has been written since a `{` ended its line: no blank line here.
    after_open: bool,
    /// The indentation of lines a comment forces to break inside a statement.
    pub(super) hang: usize,
}

impl<'s> Printer<'s> {
    pub(super) fn new(src: &'s str) -> Self {
        Printer {
            src,
            comments: trivia::comments(src),
            next_comment: 0,
            out: String::with_capacity(src.len()),
            newline: if src.contains("\r\n") { "\r\n" } else { "\n" },
            open: false,
            commented: false,
            break_to: None,
            space: false,
            blank: false,
            after_open: true,
            hang: 0,
        }
    }

    /// The formatted text, every comment written, ending with one line break.
    pub(super) fn finish(mut self) -> String {
        self.line(0);
        self.hang = 0;
        self.flush(usize::MAX);
        if self.open {
            self.out.push_str(self.newline);
        }
        self.out
    }

    /// The text of the original under `span`.
    pub(super) fn slice(&self, span: crate::span::Span) -> &'s str {
        self.src.get(span.range()).unwrap_or("")
    }

    /// Start the next word on a new line, indented by `indent`.
    pub(super) fn line(&mut self, indent: usize) {
        self.break_to = Some(indent);
    }

    /// Separate the next line from this one by a blank line (never right after a `{`).
    pub(super) fn blank_line(&mut self) {
        if !self.after_open {
            self.blank = true;
        }
    }

    /// Keep the blank line the original has before `offset`.
    pub(super) fn blank_line_if_written(&mut self, offset: usize) {
        if trivia::blank_before(self.src, offset) {
            self.blank_line();
        }
    }

    /// A space before the next word, unless it starts a line.
    pub(super) fn space(&mut self) {
        self.space = true;
    }

    /// Write `text` (a token, or several on one line).
    pub(super) fn word(&mut self, text: &str) {
        if let Some(indent) = self.break_to.take() {
            self.start_line(indent);
        } else if self.space && self.open {
            self.out.push(' ');
        }
        self.space = false;
        self.open = true;
        self.after_open = text.ends_with('{');
        self.out.push_str(text);
    }

    /// Write the comments before `offset` in the original, then `text`.
    pub(super) fn word_at(&mut self, offset: usize, text: &str) {
        self.flush(offset);
        self.word(text);
    }

    /// Write every comment the original has before `offset`: a comment that followed code
    /// on its line stays at the end of the current line; the others get lines of their own.
    pub(super) fn flush(&mut self, offset: usize) {
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.start >= offset {
                return;
            }
            self.next_comment = self.next_comment.saturating_add(1);
            let comment = comment.clone();
            if !comment.own_line && self.open && !self.commented {
                self.out.push(' ');
                self.out.push_str(&comment.text);
                // Nothing may follow a comment on its line.
                if self.break_to.is_none() {
                    self.break_to = Some(self.hang);
                }
            } else {
                let indent = self.break_to.unwrap_or(self.hang);
                if comment.blank_before {
                    self.blank_line();
                }
                self.start_line(indent);
                self.out.push_str(&comment.text);
                self.break_to = Some(indent);
            }
            self.commented = true;
            self.after_open = false;
            self.space = false;
        }
    }

    /// Whether any comment of the original lies inside `span`.
    pub(super) fn has_comment_in(&self, span: crate::span::Span) -> bool {
        self.comments
            .iter()
            .skip(self.next_comment)
            .take_while(|c| c.span.start < span.end)
            .any(|c| c.span.start >= span.start)
    }

    /// Where the first comment not yet written starting in `start..end` starts, if any does.
    pub(super) fn first_comment_between(&self, start: usize, end: usize) -> Option<usize> {
        self.comments
            .iter()
            .skip(self.next_comment)
            .map(|c| c.span.start)
            .take_while(|&offset| offset < end)
            .find(|&offset| offset >= start)
    }

    /// The column the next word would start at.
    pub(super) fn column(&self) -> usize {
        if let Some(indent) = self.break_to {
            return indent;
        }
        let line = self.out.rsplit('\n').next().unwrap_or("");
        let width = line.chars().count();
        if self.space && self.open {
            width.saturating_add(1)
        } else {
            width
        }
    }

    /// Whether `width` more characters fit on the current line (after a pending space).
    pub(super) fn fits(&self, width: usize) -> bool {
        self.column().saturating_add(width) <= WIDTH
    }

    /// The offset where the next token after `from` starts in the original.
    pub(super) fn next_token(&self, from: usize) -> usize {
        trivia::next_token(self.src, from)
    }

    fn start_line(&mut self, indent: usize) {
        if self.open {
            self.out.push_str(self.newline);
        }
        if self.blank && !self.out.is_empty() {
            self.out.push_str(self.newline);
        }
        self.blank = false;
        self.break_to = None;
        self.space = false;
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.open = true;
        self.commented = false;
    }
}
