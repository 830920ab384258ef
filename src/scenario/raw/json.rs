//! JSON into the value tree, by hand: every key and value keeps its span, and problems are
//! told in plain words. Small problems (`null`, a bad escape, a duplicate key) are reported
//! and read past; the first structural one ends the parse, keeping what was read.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::ControlFlow;

use super::{Entry, SyntaxError, Value, ValueKind};
use crate::span::Span;

/// Deep enough for any real scenario, shallow enough that recursion is safe.
const MAX_DEPTH: usize = 128;

/// The most values kept in the tree at once: outside the holdings (read one at a time), and in
/// any one holding. A value costs the tree about a hundred bytes, and a JSON scenario may be a
/// gigabyte: without it, a file of a billion `1`s outside `holdings` would take a hundred.
pub(super) const MAX_KEPT_VALUES: usize = 2_000_000;

/// The tree of `text`, which must be one JSON object, and every syntax error found.
pub(super) fn parse(text: &str) -> (Option<Value>, Vec<SyntaxError>) {
    let (root, errors, _) = parse_with(text, false);
    (root, errors)
}

/// As [`parse`], but the items of the top level's `holdings` list are read for their syntax
/// and not kept: the list is left empty in the tree, and its span is returned, for
/// [`each_item`] to read the holdings one at a time. A scenario of two million holdings never
/// has all their trees in memory at once.
pub(super) fn parse_deferring_holdings(
    text: &str,
) -> (Option<Value>, Vec<SyntaxError>, Option<Span>) {
    parse_with(text, true)
}

/// Each item of the list written at `list` (a span [`parse_deferring_holdings`] returned),
/// in order, until `each` says to stop; `false` if the list cannot be read again (it always
/// can, when the first reading found no syntax error).
pub(super) fn each_item(
    text: &str,
    list: Span,
    mut each: impl FnMut(Value) -> ControlFlow<()>,
) -> bool {
    let mut parser = Parser::new(text);
    parser.pos = list.start;
    // As deep as the list lies in the file: in the top-level object.
    parser.depth = 1;
    if parser.peek() != Some(b'[') || !parser.enter() {
        return false;
    }
    parser.advance(1);
    parser.skip_whitespace();
    if parser.eat(b']') {
        return true;
    }
    loop {
        parser.skip_whitespace();
        // Each holding is dropped once loaded: the values kept are counted holding by holding.
        parser.kept = 0;
        let Some(item) = parser.parse_value("expected a value") else {
            return false;
        };
        if parser.failed || each(item).is_break() {
            return !parser.failed;
        }
        parser.skip_whitespace();
        if parser.eat(b']') {
            return true;
        }
        if !parser.eat(b',') {
            return false;
        }
    }
}

fn parse_with(text: &str, defer: bool) -> (Option<Value>, Vec<SyntaxError>, Option<Span>) {
    let mut parser = Parser::new(text);
    parser.defer_holdings = defer;
    // RFC 8259 lets parsers ignore a byte order mark; editors add them.
    if text.starts_with('\u{feff}') {
        parser.advance('\u{feff}'.len_utf8());
    }
    parser.skip_whitespace();
    let root = if parser.peek() == Some(b'{') {
        parser.parse_object()
    } else {
        parser.fail_expected("expected a JSON object");
        None
    };
    if !parser.failed {
        parser.skip_whitespace();
        if parser.peek().is_some() {
            parser.fail_expected("expected end of file after the JSON object");
        }
    }
    (root, parser.errors, parser.deferred)
}

struct Parser<'t> {
    text: &'t str,
    /// Always on a char boundary: we step over ASCII bytes or whole chars.
    pos: usize,
    depth: usize,
    errors: Vec<SyntaxError>,
    /// Set by the first structural error. Resynchronising JSON is
    /// guesswork, so every level unwinds keeping what it has read.
    failed: bool,
    /// Read the top level's `holdings` list for its syntax only (see
    /// [`parse_deferring_holdings`]); where it is, once read.
    defer_holdings: bool,
    deferred: Option<Span>,
    /// Values kept in the tree so far (see [`MAX_KEPT_VALUES`]); not counted while `counting`
    /// is off (the holdings' first reading keeps nothing).
    kept: usize,
    counting: bool,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Parser<'t> {
        Parser {
            text,
            pos: 0,
            depth: 0,
            errors: Vec::new(),
            failed: false,
            defer_holdings: false,
            deferred: None,
            kept: 0,
            counting: true,
        }
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn advance(&mut self, bytes: usize) {
        self.pos = self.pos.saturating_add(bytes).min(self.text.len());
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.advance(1);
        }
        found
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.advance(1);
        }
    }

    /// Span of `len` bytes starting at `start`, kept inside the text.
    fn span_from(&self, start: usize, len: usize) -> Span {
        Span::new(start, start.saturating_add(len).min(self.text.len()))
    }

    /// Span of the char at `pos` (empty at end of file).
    fn char_span(&self, pos: usize) -> Span {
        let len = self
            .text
            .get(pos..)
            .and_then(|rest| rest.chars().next())
            .map_or(0, char::len_utf8);
        self.span_from(pos, len)
    }

    fn report(&mut self, message: String, span: Span) {
        self.errors.push(SyntaxError::new(message, span));
    }

    /// Count one more value kept; past [`MAX_KEPT_VALUES`], a structural error.
    fn keep_one(&mut self) -> bool {
        if !self.counting {
            return true;
        }
        // Past the limit once (and said once): nothing more is kept.
        if self.kept > MAX_KEPT_VALUES {
            return false;
        }
        self.kept = self.kept.saturating_add(1);
        if self.kept > MAX_KEPT_VALUES {
            self.fail(
                format!(
                    "more than {MAX_KEPT_VALUES} values outside `holdings` (or in one holding): \
                     a scenario's holdings are the items of its `holdings` list"
                ),
                self.char_span(self.pos),
            );
            return false;
        }
        true
    }

    fn fail(&mut self, message: String, span: Span) {
        self.report(message, span);
        self.failed = true;
    }

    /// Structural error: "<expected>, found <what is here>".
    fn fail_expected(&mut self, expected: &str) {
        let (found, span) = self.describe_here();
        self.fail(format!("{expected}, found {found}"), span);
    }

    /// Name the token at the current position in plain words.
    fn describe_here(&self) -> (String, Span) {
        let rest = self.rest();
        let Some(first) = rest.chars().next() else {
            return ("end of file".to_owned(), Span::end_of(self.text));
        };
        if first == '"' {
            return ("a string".to_owned(), self.char_span(self.pos));
        }
        let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '+' | '.');
        if !is_word(first) {
            let shown = first.escape_debug();
            return (format!("`{shown}`"), self.char_span(self.pos));
        }
        let word_len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        let word = rest.get(..word_len).unwrap_or_default();
        // Don't echo a whole minified file back at the reader.
        let shown: String = if word.chars().count() > 24 {
            word.chars().take(24).chain(std::iter::once('…')).collect()
        } else {
            word.to_owned()
        };
        (format!("`{shown}`"), self.span_from(self.pos, word_len))
    }

    /// `None` if nothing could be read: `null` (reported and skipped) or
    /// a structural error (`self.failed` is then set).
    fn parse_value(&mut self, expected: &str) -> Option<Value> {
        match self.peek() {
            Some(b'{') => self.parse_object(),
            Some(b'[') => self.parse_array(),
            Some(b'"') => {
                let (string, span) = self.parse_string()?;
                Some(Value {
                    kind: ValueKind::String(string),
                    span,
                })
            }
            Some(b'-' | b'0'..=b'9') => self.parse_number(),
            _ => self.parse_literal(expected),
        }
    }

    fn parse_literal(&mut self, expected: &str) -> Option<Value> {
        let start = self.pos;
        let rest = self.rest();
        let word_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let kind = match rest.get(..word_len) {
            Some("true") => ValueKind::Bool(true),
            Some("false") => ValueKind::Bool(false),
            Some("null") => {
                self.report(
                    "`null` is not a scenario value; write \"unknown\" for a value not known, or leave out a field that is optional"
                        .to_owned(),
                    self.span_from(start, word_len),
                );
                self.advance(word_len);
                return None;
            }
            _ => {
                self.fail_expected(expected);
                return None;
            }
        };
        self.advance(word_len);
        Some(Value {
            kind,
            span: Span::new(start, self.pos),
        })
    }

    /// Count one more level of nesting; fails (without recursing) past the limit.
    fn enter(&mut self) -> bool {
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_DEPTH {
            self.fail(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                self.char_span(self.pos),
            );
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn parse_object(&mut self) -> Option<Value> {
        let start = self.pos;
        if !self.enter() {
            return None;
        }
        self.advance(1); // `{`
        let mut entries: Vec<Entry> = Vec::new();
        // The keys seen, by hash, each to an entry with that key: a million keys are not
        // copied a second time to find duplicates.
        let hashes = RandomState::new();
        let mut seen: HashMap<u64, usize> = HashMap::new();
        self.skip_whitespace();
        let mut key_expected = "expected a string key or `}`";
        if !self.eat(b'}') {
            loop {
                self.skip_whitespace();
                if self.peek() != Some(b'"') {
                    self.fail_expected(key_expected);
                    break;
                }
                let Some((key, key_span)) = self.parse_string() else {
                    break;
                };
                // Checked before the value so errors come out in file order.
                let hash = hashes.hash_one(&key);
                let duplicate = seen.get(&hash).is_some_and(|&at| {
                    entries.get(at).is_some_and(|entry| entry.key == key)
                        // Two keys with one hash: look at them all (practically never).
                        || entries.iter().any(|entry| entry.key == key)
                });
                if duplicate {
                    self.report(format!("duplicate key `{key}`"), key_span);
                }
                self.skip_whitespace();
                if !self.eat(b':') {
                    self.fail_expected("expected `:` after an object key");
                    break;
                }
                self.skip_whitespace();
                let deferred = self.defer_holdings
                    && self.depth == 1
                    && key == "holdings"
                    && self.peek() == Some(b'[');
                let value = if deferred {
                    let counting = std::mem::replace(&mut self.counting, false);
                    let list = self.parse_array_with(false);
                    self.counting = counting;
                    if let Some(list) = &list {
                        self.deferred = Some(list.span);
                    }
                    list
                } else {
                    self.parse_value("expected a value after `:`")
                };
                match value {
                    Some(value) if !duplicate && self.keep_one() => {
                        seen.entry(hash).or_insert(entries.len());
                        entries.push(Entry {
                            key,
                            key_span,
                            value,
                        });
                    }
                    _ => {}
                }
                if self.failed {
                    break;
                }
                self.skip_whitespace();
                if self.eat(b'}') {
                    break;
                }
                if !self.eat(b',') {
                    self.fail_expected("expected `,` or `}` after an object member");
                    break;
                }
                self.skip_whitespace();
                key_expected = if self.peek() == Some(b'}') {
                    "expected a string key after `,` (JSON allows no trailing comma)"
                } else {
                    "expected a string key after `,`"
                };
            }
        }
        self.leave();
        Some(Value {
            kind: ValueKind::Table(entries),
            span: Span::new(start, self.pos),
        })
    }

    fn parse_array(&mut self) -> Option<Value> {
        self.parse_array_with(true)
    }

    /// A list; its items are kept only if `keep` (else only their syntax is checked).
    fn parse_array_with(&mut self, keep: bool) -> Option<Value> {
        let start = self.pos;
        if !self.enter() {
            return None;
        }
        self.advance(1); // `[`
        let mut items = Vec::new();
        self.skip_whitespace();
        let mut value_expected = "expected a value or `]`";
        if !self.eat(b']') {
            loop {
                self.skip_whitespace();
                if let Some(item) = self.parse_value(value_expected) {
                    if keep && self.keep_one() {
                        items.push(item);
                    }
                }
                if self.failed {
                    break;
                }
                self.skip_whitespace();
                if self.eat(b']') {
                    break;
                }
                if !self.eat(b',') {
                    self.fail_expected("expected `,` or `]` after an array element");
                    break;
                }
                self.skip_whitespace();
                value_expected = if self.peek() == Some(b']') {
                    "expected a value after `,` (JSON allows no trailing comma)"
                } else {
                    "expected a value after `,`"
                };
            }
        }
        self.leave();
        Some(Value {
            kind: ValueKind::Array(items),
            span: Span::new(start, self.pos),
        })
    }

    /// Reads a string starting at its opening quote. `None` only on a
    /// structural error; bad escapes are reported and read as U+FFFD.
    fn parse_string(&mut self) -> Option<(String, Span)> {
        let start = self.pos;
        self.advance(1); // opening `"`
        let mut out = String::new();
        loop {
            match self.peek() {
                None | Some(b'\n' | b'\r') => {
                    // A raw line break almost always means a forgotten
                    // closing quote; say so rather than cascade.
                    self.fail(
                        "unterminated string: expected a closing `\"` before the end of the line"
                            .to_owned(),
                        self.char_span(start),
                    );
                    return None;
                }
                Some(b'"') => {
                    self.advance(1);
                    return Some((out, Span::new(start, self.pos)));
                }
                Some(b'\\') => self.parse_escape(&mut out),
                Some(byte) if byte < 0x20 => {
                    self.report(
                        "control character in a string; write it as an escape such as `\\t`"
                            .to_owned(),
                        self.char_span(self.pos),
                    );
                    out.push(char::from(byte));
                    self.advance(1);
                }
                Some(_) => {
                    let rest = self.rest();
                    let run = rest
                        .find(|c: char| c == '"' || c == '\\' || c < ' ')
                        .unwrap_or(rest.len());
                    if run == 0 {
                        // Unreachable while `pos` stays on a char boundary;
                        // guards against looping forever if it ever doesn't.
                        self.fail(
                            "invalid text in string".to_owned(),
                            self.char_span(self.pos),
                        );
                        return None;
                    }
                    out.push_str(rest.get(..run).unwrap_or_default());
                    self.advance(run);
                }
            }
        }
    }

    /// Reads one escape starting at its backslash, appending the result.
    fn parse_escape(&mut self, out: &mut String) {
        let start = self.pos;
        self.advance(1); // `\`
        let Some(letter) = self.rest().chars().next() else {
            return; // the caller reports the unterminated string
        };
        let simple = match letter {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            self.advance(1);
            return;
        }
        if letter != 'u' {
            self.advance(letter.len_utf8());
            self.report(
                format!(
                    "invalid escape `\\{}`; valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                    letter.escape_debug()
                ),
                Span::new(start, self.pos),
            );
            out.push(char::REPLACEMENT_CHARACTER);
            return;
        }
        self.advance(1); // `u`
        let Some(first) = self.hex4() else {
            self.report(
                "invalid unicode escape: expected four hex digits after `\\u`".to_owned(),
                Span::new(start, self.pos),
            );
            out.push(char::REPLACEMENT_CHARACTER);
            return;
        };
        // Characters outside the BMP arrive as a UTF-16 surrogate pair,
        // `\uD83D\uDE00`; take the low half if it follows.
        let mut units = vec![first];
        if (0xD800..0xDC00).contains(&first) && self.rest().starts_with("\\u") {
            let after_high = self.pos;
            self.advance(2);
            match self.hex4() {
                Some(second) if (0xDC00..0xE000).contains(&second) => units.push(second),
                // Not a low surrogate: leave it to be read as its own escape.
                _ => self.pos = after_high,
            }
        }
        match char::decode_utf16(units).collect::<Result<String, _>>() {
            Ok(decoded) => out.push_str(&decoded),
            Err(_) => {
                self.report(
                    "invalid unicode escape: unpaired UTF-16 surrogate".to_owned(),
                    Span::new(start, self.pos),
                );
                out.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }

    /// Four hex digits at the current position, consumed only if valid.
    fn hex4(&mut self) -> Option<u16> {
        let digits = self.rest().get(..4)?;
        // `from_str_radix` alone would also accept a leading `+`.
        if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let unit = u16::from_str_radix(digits, 16).ok()?;
        self.advance(4);
        Some(unit)
    }

    fn skip_digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.advance(1);
        }
        self.pos.saturating_sub(start)
    }

    fn parse_number(&mut self) -> Option<Value> {
        let start = self.pos;
        self.eat(b'-');
        match self.peek() {
            Some(b'0') => {
                self.advance(1);
                if self.skip_digits() > 0 {
                    self.fail(
                        "numbers must not have leading zeros".to_owned(),
                        Span::new(start, self.pos),
                    );
                    return None;
                }
            }
            Some(b'1'..=b'9') => {
                self.skip_digits();
            }
            _ => {
                self.fail_expected("expected a digit after `-`");
                return None;
            }
        }
        let mut is_integer = true;
        if self.eat(b'.') {
            is_integer = false;
            if self.skip_digits() == 0 {
                self.fail_expected("expected a digit after the decimal point");
                return None;
            }
        }
        if self.eat(b'e') || self.eat(b'E') {
            is_integer = false;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.skip_digits() == 0 {
                self.fail_expected("expected a digit in the exponent");
                return None;
            }
        }
        let span = Span::new(start, self.pos);
        let literal = self.text.get(span.range()).unwrap_or_default();
        let integer = if is_integer {
            literal.parse::<i64>().ok()
        } else {
            None
        };
        let kind = match (integer, literal.parse::<f64>()) {
            (Some(n), _) => ValueKind::Integer(n),
            (None, Ok(f)) if f.is_finite() => ValueKind::Float(f),
            _ => {
                self.report(format!("number `{literal}` is too large"), span);
                return None;
            }
        };
        Some(Value { kind, span })
    }
}
