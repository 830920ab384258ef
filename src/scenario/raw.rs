//! A span-carrying value tree for scenario files.
//!
//! Scenarios may be written in TOML or JSON. Both are turned into the same
//! [`Value`] tree so that a single validator serves both formats and can point
//! its diagnostics at exact byte ranges of the original text. Parsing never
//! stops at the first problem: [`parse`] returns a best-effort tree together
//! with every syntax error it found.

use std::collections::HashSet;

/// Byte range in the scenario text.
pub type ByteSpan = std::ops::Range<usize>;

/// A value together with the bytes of the scenario text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: ByteSpan,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// TOML local date (YYYY-MM-DD) — keep year, month, day. JSON has no dates (they arrive as strings).
    Date {
        year: u16,
        month: u8,
        day: u8,
    },
    /// Any other TOML datetime (with time or offset), kept as its text so the validator can reject it clearly.
    OtherDatetime(String),
    Array(Vec<Value>),
    /// Keys keep their own spans; order is the file's order.
    Table(Vec<Entry>),
}

/// One key/value pair of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: ByteSpan,
    pub value: Value,
}

/// A problem with the file's syntax (as opposed to its meaning).
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: ByteSpan,
}

/// The notation a scenario file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

/// Parse the whole text. Return the tree (best effort) and ALL syntax errors found.
///
/// When errors are returned the tree may be incomplete (values that could not
/// be read are left out), so callers should report the syntax errors first.
/// For TOML a tree is always returned; for JSON it is `None` only when the
/// text does not even start with an object.
pub fn parse(text: &str, format: Format) -> (Option<Value>, Vec<SyntaxError>) {
    match format {
        Format::Toml => toml_tree::parse(text),
        Format::Json => json::parse(text),
    }
}

/// Make a span safe to slice `text` with, whatever the producer handed us.
fn clamp_span(text: &str, span: ByteSpan) -> ByteSpan {
    let len = text.len();
    let mut start = span.start.min(len);
    let mut end = span.end.min(len).max(start);
    // Offset 0 and `len` are always boundaries, so both loops terminate.
    while !text.is_char_boundary(start) {
        start = start.saturating_sub(1);
    }
    while !text.is_char_boundary(end) {
        end = end.saturating_add(1);
    }
    start..end
}

/// Empty span at the end of the text, for errors about a missing ending.
fn end_span(text: &str) -> ByteSpan {
    text.len()..text.len()
}

mod toml_tree {
    use super::{ByteSpan, Entry, SyntaxError, Value, ValueKind, clamp_span, end_span};
    use toml::Spanned;
    use toml::de::{DeTable, DeValue};

    pub(super) fn parse(text: &str) -> (Option<Value>, Vec<SyntaxError>) {
        let (root, toml_errors) = DeTable::parse_recoverable(text);
        let mut errors: Vec<SyntaxError> = toml_errors
            .iter()
            .map(|err| convert_error(text, err))
            .collect();
        let entries = convert_table(text, root.get_ref(), &mut errors);
        // toml reports some errors out of order (it finishes a table before
        // noticing problems inside it); readers expect them top to bottom.
        errors.sort_by_key(|err| err.span.start);
        let root = Value {
            kind: ValueKind::Table(entries),
            // The root table has no span of its own in toml; the whole file is
            // the honest answer.
            span: 0..text.len(),
        };
        (Some(root), errors)
    }

    fn convert_error(text: &str, err: &toml::de::Error) -> SyntaxError {
        let span = err
            .span()
            .map_or_else(|| end_span(text), |span| clamp_span(text, span));
        let mut message = tidy_message(err.message());
        if message == "duplicate key" {
            let key = text.get(span.clone()).map(unquote).unwrap_or_default();
            if !key.is_empty() {
                message = format!("duplicate key `{key}`");
            }
        }
        SyntaxError { message, span }
    }

    /// toml's messages are long-winded in places ("…, expected nothing");
    /// keep them to one short lowercase-first clause like ours.
    fn tidy_message(message: &str) -> String {
        let first_line = message.lines().next().unwrap_or_default().trim();
        let trimmed = first_line
            .strip_suffix(", expected nothing")
            .unwrap_or(first_line)
            .trim_end_matches('.');
        let mut chars = trimmed.chars();
        let Some(first) = chars.next() else {
            return "invalid TOML".to_owned();
        };
        // Leave acronyms such as "TOML" alone.
        let second_is_upper = chars.clone().next().is_some_and(char::is_uppercase);
        if first.is_uppercase() && !second_is_upper {
            first.to_lowercase().chain(chars).collect()
        } else {
            trimmed.to_owned()
        }
    }

    fn unquote(key: &str) -> &str {
        ['"', '\'']
            .iter()
            .find_map(|&quote| key.strip_prefix(quote)?.strip_suffix(quote))
            .unwrap_or(key)
    }

    fn convert_table(text: &str, table: &DeTable<'_>, errors: &mut Vec<SyntaxError>) -> Vec<Entry> {
        let mut entries: Vec<Entry> = table
            .iter()
            .filter_map(|(key, value)| {
                let value = convert_value(text, value, errors)?;
                Some(Entry {
                    key: key.get_ref().to_string(),
                    key_span: clamp_span(text, key.span()),
                    value,
                })
            })
            .collect();
        // Without toml's `preserve_order` feature the map is sorted by key;
        // the key spans recover the file's order either way.
        entries.sort_by_key(|entry| entry.key_span.start);
        entries
    }

    /// `None` when the value cannot be represented; an error is recorded.
    fn convert_value(
        text: &str,
        value: &Spanned<DeValue<'_>>,
        errors: &mut Vec<SyntaxError>,
    ) -> Option<Value> {
        let span = clamp_span(text, value.span());
        let kind = match value.get_ref() {
            DeValue::String(s) => ValueKind::String(s.to_string()),
            DeValue::Integer(int) => match i64::from_str_radix(int.as_str(), int.radix()) {
                Ok(n) => ValueKind::Integer(n),
                Err(_) => {
                    errors.push(error(
                        format!(
                            "integer `{}` does not fit in 64 bits",
                            source(text, &span, int)
                        ),
                        span,
                    ));
                    return None;
                }
            },
            DeValue::Float(float) => match float.as_str().parse::<f64>() {
                // Rust reads huge literals as infinity; only `inf` itself may be infinite.
                Ok(f) if f.is_finite() || float.as_str().contains("inf") => ValueKind::Float(f),
                _ => {
                    errors.push(error(
                        format!("float `{}` is out of range", source(text, &span, float)),
                        span,
                    ));
                    return None;
                }
            },
            DeValue::Boolean(b) => ValueKind::Bool(*b),
            DeValue::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => ValueKind::Date {
                    year: date.year,
                    month: date.month,
                    day: date.day,
                },
                _ => ValueKind::OtherDatetime(source(text, &span, datetime)),
            },
            DeValue::Array(array) => ValueKind::Array(
                array
                    .iter()
                    .filter_map(|item| convert_value(text, item, errors))
                    .collect(),
            ),
            DeValue::Table(table) => ValueKind::Table(convert_table(text, table, errors)),
        };
        Some(Value { kind, span })
    }

    /// The value as written, falling back to toml's rendering of it.
    fn source(text: &str, span: &ByteSpan, parsed: &impl std::fmt::Display) -> String {
        match text.get(span.clone()) {
            Some(written) if !written.is_empty() => written.to_owned(),
            _ => parsed.to_string(),
        }
    }

    fn error(message: String, span: ByteSpan) -> SyntaxError {
        SyntaxError { message, span }
    }
}

mod json {
    use super::{ByteSpan, Entry, HashSet, SyntaxError, Value, ValueKind, end_span};

    /// Deep enough for any real scenario, shallow enough that recursion is safe.
    const MAX_DEPTH: usize = 128;

    pub(super) fn parse(text: &str) -> (Option<Value>, Vec<SyntaxError>) {
        let mut parser = Parser {
            text,
            pos: 0,
            depth: 0,
            errors: Vec::new(),
            failed: false,
        };
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
        (root, parser.errors)
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
        fn span_from(&self, start: usize, len: usize) -> ByteSpan {
            start..start.saturating_add(len).min(self.text.len())
        }

        /// Span of the char at `pos` (empty at end of file).
        fn char_span(&self, pos: usize) -> ByteSpan {
            let len = self
                .text
                .get(pos..)
                .and_then(|rest| rest.chars().next())
                .map_or(0, char::len_utf8);
            self.span_from(pos, len)
        }

        fn report(&mut self, message: String, span: ByteSpan) {
            self.errors.push(SyntaxError { message, span });
        }

        fn fail(&mut self, message: String, span: ByteSpan) {
            self.report(message, span);
            self.failed = true;
        }

        /// Structural error: "<expected>, found <what is here>".
        fn fail_expected(&mut self, expected: &str) {
            let (found, span) = self.describe_here();
            self.fail(format!("{expected}, found {found}"), span);
        }

        /// Name the token at the current position in plain words.
        fn describe_here(&self) -> (String, ByteSpan) {
            let rest = self.rest();
            let Some(first) = rest.chars().next() else {
                return ("end of file".to_owned(), end_span(self.text));
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
                        "`null` is not a scenario value; write \"unknown\" or leave the field out"
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
                span: start..self.pos,
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
            let mut entries = Vec::new();
            let mut seen: HashSet<String> = HashSet::new();
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
                    let duplicate = seen.contains(&key);
                    if duplicate {
                        self.report(format!("duplicate key `{key}`"), key_span.clone());
                    }
                    self.skip_whitespace();
                    if !self.eat(b':') {
                        self.fail_expected("expected `:` after an object key");
                        break;
                    }
                    self.skip_whitespace();
                    let value = self.parse_value("expected a value after `:`");
                    match value {
                        Some(value) if !duplicate => {
                            seen.insert(key.clone());
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
                span: start..self.pos,
            })
        }

        fn parse_array(&mut self) -> Option<Value> {
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
                        items.push(item);
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
                span: start..self.pos,
            })
        }

        /// Reads a string starting at its opening quote. `None` only on a
        /// structural error; bad escapes are reported and read as U+FFFD.
        fn parse_string(&mut self) -> Option<(String, ByteSpan)> {
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
                        return Some((out, start..self.pos));
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
                    start..self.pos,
                );
                out.push(char::REPLACEMENT_CHARACTER);
                return;
            }
            self.advance(1); // `u`
            let Some(first) = self.hex4() else {
                self.report(
                    "invalid unicode escape: expected four hex digits after `\\u`".to_owned(),
                    start..self.pos,
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
                        start..self.pos,
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
                            start..self.pos,
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
            let span = start..self.pos;
            let literal = self.text.get(span.clone()).unwrap_or_default();
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
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;

    const TOML_DOC: &str = r#"
name = "New START"
entered_into_force = true

[limits]
deployed = 700
ratio = 0.5

[types."Minuteman III"]
range = "13000 km"
warheads = [1, 2, 3]

[[holdings]]
side = "US"
count = 400

[[holdings]]
side = "RU"
count = 350
"#;

    const JSON_DOC: &str = r#"{
  "name": "New START",
  "entered_into_force": true,
  "limits": { "deployed": 700, "ratio": 0.5 },
  "types": {
    "Minuteman III": { "range": "13000 km", "warheads": [1, 2, 3] }
  },
  "holdings": [
    { "side": "US", "count": 400 },
    { "side": "RU", "count": 350 }
  ]
}"#;

    fn parse_ok(text: &str, format: Format) -> Value {
        let (value, errors) = parse(text, format);
        assert!(errors.is_empty(), "unexpected errors: {errors:?}");
        value.expect("a tree")
    }

    fn without_spans(value: &Value) -> Value {
        let kind = match &value.kind {
            ValueKind::Array(items) => ValueKind::Array(items.iter().map(without_spans).collect()),
            ValueKind::Table(entries) => ValueKind::Table(
                entries
                    .iter()
                    .map(|e| Entry {
                        key: e.key.clone(),
                        key_span: 0..0,
                        value: without_spans(&e.value),
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Value { kind, span: 0..0 }
    }

    fn get<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
        path.iter().fold(value, |v, key| match &v.kind {
            ValueKind::Table(entries) => {
                &entries
                    .iter()
                    .find(|e| e.key == *key)
                    .unwrap_or_else(|| panic!("no key {key}"))
                    .value
            }
            ValueKind::Array(items) => &items[key.parse::<usize>().unwrap()],
            other => panic!("cannot index {other:?} with {key}"),
        })
    }

    fn entry<'v>(value: &'v Value, key: &str) -> &'v Entry {
        match &value.kind {
            ValueKind::Table(entries) => entries.iter().find(|e| e.key == key).unwrap(),
            other => panic!("not a table: {other:?}"),
        }
    }

    fn keys(value: &Value) -> Vec<&str> {
        match &value.kind {
            ValueKind::Table(entries) => entries.iter().map(|e| e.key.as_str()).collect(),
            other => panic!("not a table: {other:?}"),
        }
    }

    /// Every span in the tree must be sliceable out of `text`.
    fn assert_spans_valid(text: &str, value: &Value) {
        assert!(
            text.get(value.span.clone()).is_some(),
            "bad span {:?}",
            value.span
        );
        match &value.kind {
            ValueKind::Array(items) => items.iter().for_each(|v| assert_spans_valid(text, v)),
            ValueKind::Table(entries) => {
                for e in entries {
                    assert!(
                        text.get(e.key_span.clone()).is_some(),
                        "bad key span {:?}",
                        e.key_span
                    );
                    assert_spans_valid(text, &e.value);
                }
            }
            _ => {}
        }
    }

    fn assert_all_spans_valid(text: &str, format: Format) {
        let (value, errors) = parse(text, format);
        for err in &errors {
            assert!(
                text.get(err.span.clone()).is_some(),
                "bad error span {err:?} in {text:?}"
            );
        }
        if let Some(value) = value {
            assert_spans_valid(text, &value);
        }
    }

    #[test]
    fn toml_and_json_give_the_same_tree() {
        let from_toml = parse_ok(TOML_DOC, Format::Toml);
        let from_json = parse_ok(JSON_DOC, Format::Json);
        assert_eq!(without_spans(&from_toml), without_spans(&from_json));
        assert_eq!(
            keys(&from_toml),
            ["name", "entered_into_force", "limits", "types", "holdings"]
        );
        assert_eq!(
            get(&from_json, &["holdings", "1", "count"]).kind,
            ValueKind::Integer(350)
        );
        assert_eq!(
            get(&from_json, &["limits", "ratio"]).kind,
            ValueKind::Float(0.5)
        );
    }

    #[test]
    fn toml_keys_keep_file_order() {
        let tree = parse_ok(
            "zulu = 1\nalpha = 2\n[mike]\nx = 1\n[bravo]\ny = 2\n",
            Format::Toml,
        );
        assert_eq!(keys(&tree), ["zulu", "alpha", "mike", "bravo"]);
    }

    #[test]
    fn nested_spans_point_at_the_source_text() {
        for (text, format) in [(TOML_DOC, Format::Toml), (JSON_DOC, Format::Json)] {
            let tree = parse_ok(text, format);
            let range = get(&tree, &["types", "Minuteman III", "range"]);
            assert_eq!(&text[range.span.clone()], "\"13000 km\"");
            let types = get(&tree, &["types"]);
            let minuteman = entry(types, "Minuteman III");
            assert_eq!(&text[minuteman.key_span.clone()], "\"Minuteman III\"");
            let warhead = get(&tree, &["types", "Minuteman III", "warheads", "2"]);
            assert_eq!(&text[warhead.span.clone()], "3");
            let count = get(&tree, &["holdings", "1", "count"]);
            assert_eq!(&text[count.span.clone()], "350");
            assert_spans_valid(text, &tree);
        }
    }

    #[test]
    fn json_container_spans_cover_the_brackets() {
        let tree = parse_ok(JSON_DOC, Format::Json);
        assert_eq!(tree.span, 0..JSON_DOC.len());
        let limits = get(&tree, &["limits"]);
        assert_eq!(
            &JSON_DOC[limits.span.clone()],
            r#"{ "deployed": 700, "ratio": 0.5 }"#
        );
        assert_eq!(
            &JSON_DOC[get(&tree, &["types", "Minuteman III", "warheads"])
                .span
                .clone()],
            "[1, 2, 3]"
        );
    }

    #[test]
    fn toml_implicit_tables_have_sensible_spans() {
        let tree = parse_ok(TOML_DOC, Format::Toml);
        let types = entry(&tree, "types");
        assert_eq!(&TOML_DOC[types.key_span.clone()], "types");
        assert!(!TOML_DOC[types.value.span.clone()].is_empty());
        let holdings = entry(&tree, "holdings");
        assert_eq!(&TOML_DOC[holdings.key_span.clone()], "holdings");
        assert_eq!(
            &TOML_DOC[get(&tree, &["holdings", "0"]).span.clone()],
            "[[holdings]]"
        );
        assert_eq!(&TOML_DOC[get(&tree, &["limits"]).span.clone()], "[limits]");
    }

    #[test]
    fn unicode_before_a_value() {
        let toml = "nom = \"Égalité — 日本語 😀\"\nx = 5\n";
        let tree = parse_ok(toml, Format::Toml);
        assert_eq!(
            get(&tree, &["nom"]).kind,
            ValueKind::String("Égalité — 日本語 😀".to_owned())
        );
        assert_eq!(&toml[get(&tree, &["x"]).span.clone()], "5");

        let json = "{\"nöm\": \"Égalité — 日本語 😀\", \"x\": 5}";
        let tree = parse_ok(json, Format::Json);
        let nom = entry(&tree, "nöm");
        assert_eq!(&json[nom.key_span.clone()], "\"nöm\"");
        assert_eq!(&json[nom.value.span.clone()], "\"Égalité — 日本語 😀\"");
        assert_eq!(&json[get(&tree, &["x"]).span.clone()], "5");
    }

    #[test]
    fn unicode_before_an_error_keeps_char_boundaries() {
        let json = "{\"é\": \"😀\" ü}";
        let (_, errors) = parse(json, Format::Json);
        assert_eq!(errors.len(), 1);
        assert_eq!(&json[errors[0].span.clone()], "ü");
        assert!(
            errors[0].message.contains("found `ü`"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn json_error_has_the_right_offset() {
        let json = r#"{"a": 1 "b": 2}"#;
        let (tree, errors) = parse(json, Format::Json);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "expected `,` or `}` after an object member, found a string"
        );
        assert_eq!(errors[0].span, 8..9);
        // Best effort: what was read before the error is kept.
        assert_eq!(keys(&tree.unwrap()), ["a"]);
    }

    #[test]
    fn json_structural_errors() {
        let cases: &[(&str, &str, ByteSpan)] = &[
            ("", "expected a JSON object, found end of file", 0..0),
            ("  \n", "expected a JSON object, found end of file", 3..3),
            ("[1]", "expected a JSON object, found `[`", 0..1),
            ("null", "expected a JSON object, found `null`", 0..4),
            (
                "{} x",
                "expected end of file after the JSON object, found `x`",
                3..4,
            ),
            (
                "{\"a\" 1}",
                "expected `:` after an object key, found `1`",
                5..6,
            ),
            ("{\"a\": }", "expected a value after `:`, found `}`", 6..7),
            (
                "{\"a\": nul}",
                "expected a value after `:`, found `nul`",
                6..9,
            ),
            (
                "{\"a\": [1 2]}",
                "expected `,` or `]` after an array element, found `2`",
                9..10,
            ),
            (
                "{\"a\": [1,]}",
                "expected a value after `,` (JSON allows no trailing comma), found `]`",
                9..10,
            ),
            (
                "{\"a\": 1,}",
                "expected a string key after `,` (JSON allows no trailing comma), found `}`",
                8..9,
            ),
            ("{a: 1}", "expected a string key or `}`, found `a`", 1..2),
            (
                "{\"a\": 1",
                "expected `,` or `}` after an object member, found end of file",
                7..7,
            ),
            (
                "{\"a\": \"x}",
                "unterminated string: expected a closing `\"` before the end of the line",
                6..7,
            ),
            ("{\"a\": 01}", "numbers must not have leading zeros", 6..8),
            ("{\"a\": -}", "expected a digit after `-`, found `}`", 7..8),
            (
                "{\"a\": 1.}",
                "expected a digit after the decimal point, found `}`",
                8..9,
            ),
            (
                "{\"a\": 1e}",
                "expected a digit in the exponent, found `}`",
                8..9,
            ),
        ];
        for (text, message, span) in cases {
            let (_, errors) = parse(text, Format::Json);
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            assert_eq!(errors[0].message, *message, "{text:?}");
            assert_eq!(errors[0].span, *span, "{text:?}");
        }
    }

    #[test]
    fn json_numbers() {
        let json = r#"{"a": 0, "b": -0, "c": -12, "d": 1.5, "e": 1e3, "f": -2.5E-1,
            "g": 9223372036854775807, "h": 9223372036854775808, "i": -9223372036854775808}"#;
        let tree = parse_ok(json, Format::Json);
        let expect = [
            ("a", ValueKind::Integer(0)),
            ("b", ValueKind::Integer(0)),
            ("c", ValueKind::Integer(-12)),
            ("d", ValueKind::Float(1.5)),
            ("e", ValueKind::Float(1000.0)),
            ("f", ValueKind::Float(-0.25)),
            ("g", ValueKind::Integer(i64::MAX)),
            ("h", ValueKind::Float(9_223_372_036_854_775_808.0)),
            ("i", ValueKind::Integer(i64::MIN)),
        ];
        for (key, kind) in expect {
            assert_eq!(get(&tree, &[key]).kind, kind, "{key}");
        }

        let (tree, errors) = parse(r#"{"big": 1e999, "ok": 1}"#, Format::Json);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "number `1e999` is too large");
        assert_eq!(keys(&tree.unwrap()), ["ok"]);
    }

    #[test]
    fn json_string_escapes() {
        let json = r#"{"s": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 \u65E5"}"#;
        let tree = parse_ok(json, Format::Json);
        assert_eq!(
            get(&tree, &["s"]).kind,
            ValueKind::String("q\" b\\ s/ \u{8}\u{c}\n\r\t é 😀 日".to_owned())
        );
    }

    #[test]
    fn json_bad_escapes_are_reported_and_parsing_continues() {
        let json = r#"{"a": "x\qy", "b": "\ud83d!", "c": "\u12", "d": "\udc00", "e": 1}"#;
        let (tree, errors) = parse(json, Format::Json);
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("invalid escape `\\q`"));
        assert_eq!(&json[errors[0].span.clone()], "\\q");
        assert_eq!(
            messages[1],
            "invalid unicode escape: unpaired UTF-16 surrogate"
        );
        assert_eq!(&json[errors[1].span.clone()], "\\ud83d");
        assert_eq!(
            messages[2],
            "invalid unicode escape: expected four hex digits after `\\u`"
        );
        assert_eq!(&json[errors[3].span.clone()], "\\udc00");
        let tree = tree.unwrap();
        assert_eq!(
            get(&tree, &["a"]).kind,
            ValueKind::String("x\u{fffd}y".to_owned())
        );
        assert_eq!(
            get(&tree, &["b"]).kind,
            ValueKind::String("\u{fffd}!".to_owned())
        );
        assert_eq!(get(&tree, &["e"]).kind, ValueKind::Integer(1));
    }

    #[test]
    fn json_control_character_in_string() {
        let json = "{\"a\": \"x\ty\"}";
        let (tree, errors) = parse(json, Format::Json);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].span, 8..9);
        assert_eq!(
            get(&tree.unwrap(), &["a"]).kind,
            ValueKind::String("x\ty".to_owned())
        );
    }

    #[test]
    fn json_byte_order_mark_is_ignored() {
        let json = "\u{feff}{\"a\": 1}";
        let tree = parse_ok(json, Format::Json);
        assert_eq!(&json[get(&tree, &["a"]).span.clone()], "1");
    }

    #[test]
    fn json_null_is_reported_and_skipped() {
        let json = r#"{"a": null, "b": [1, null, 2], "c": 3}"#;
        let (tree, errors) = parse(json, Format::Json);
        let tree = tree.unwrap();
        assert_eq!(errors.len(), 2);
        for err in &errors {
            assert_eq!(
                err.message,
                "`null` is not a scenario value; write \"unknown\" or leave the field out"
            );
            assert_eq!(&json[err.span.clone()], "null");
        }
        assert_eq!(errors[0].span, 6..10);
        assert_eq!(keys(&tree), ["b", "c"]);
        let b: Vec<ValueKind> = match &get(&tree, &["b"]).kind {
            ValueKind::Array(items) => items.iter().map(|v| v.kind.clone()).collect(),
            other => panic!("not an array: {other:?}"),
        };
        assert_eq!(b, [ValueKind::Integer(1), ValueKind::Integer(2)]);
    }

    #[test]
    fn json_duplicate_keys() {
        let json = r#"{"a": 1, "b": 2, "a": 3}"#;
        let (tree, errors) = parse(json, Format::Json);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "duplicate key `a`");
        assert_eq!(errors[0].span, 17..20);
        let tree = tree.unwrap();
        assert_eq!(keys(&tree), ["a", "b"]);
        assert_eq!(get(&tree, &["a"]).kind, ValueKind::Integer(1));

        // The same key in different objects is fine.
        parse_ok(
            r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#,
            Format::Json,
        );
    }

    #[test]
    fn toml_duplicate_keys() {
        let toml = "a = 1\na = 2\n";
        let (tree, errors) = parse(toml, Format::Toml);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "duplicate key `a`");
        assert_eq!(errors[0].span, 6..7);
        assert_eq!(get(&tree.unwrap(), &["a"]).kind, ValueKind::Integer(1));

        let toml = "[types.\"Minuteman III\"]\nx = 1\n[types.\"Minuteman III\"]\ny = 2\n";
        let (_, errors) = parse(toml, Format::Toml);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "duplicate key `Minuteman III`");
        assert_eq!(&toml[errors[0].span.clone()], "\"Minuteman III\"");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        for open in ["[", "{\"a\":"] {
            let json = format!("{{\"a\":{}", open.repeat(100_000));
            let (_, errors) = parse(&json, Format::Json);
            assert_eq!(errors.len(), 1, "{errors:?}");
            assert_eq!(errors[0].message, "nesting deeper than 128 levels");
        }
        // Exactly 128 levels is allowed; 129 is not.
        let nested = |levels: usize| {
            format!(
                "{{\"a\":{}{}}}",
                "[".repeat(levels - 1),
                "]".repeat(levels - 1)
            )
        };
        parse_ok(&nested(128), Format::Json);
        let text = nested(129);
        let (_, errors) = parse(&text, Format::Json);
        assert_eq!(errors.len(), 1);
        // `{"a":` then the 128th `[` is level 129.
        assert_eq!(errors[0].span, 132..133);

        let toml = format!("a = {}", "[".repeat(100_000));
        let (tree, errors) = parse(&toml, Format::Toml);
        assert!(tree.is_some());
        assert!(!errors.is_empty());
    }

    #[test]
    fn empty_input() {
        let tree = parse_ok("", Format::Toml);
        assert_eq!(tree.kind, ValueKind::Table(Vec::new()));
        let tree = parse_ok("# only a comment\n", Format::Toml);
        assert_eq!(tree.kind, ValueKind::Table(Vec::new()));

        let (tree, errors) = parse("", Format::Json);
        assert!(tree.is_none());
        assert_eq!(
            errors,
            [SyntaxError {
                message: "expected a JSON object, found end of file".to_owned(),
                span: 0..0
            }]
        );
        parse_ok("{}", Format::Json);
    }

    #[test]
    fn toml_dates_and_datetimes() {
        let toml = "signed = 2010-04-08\nat = 1979-05-27T07:32:00Z\nlocal = 1979-05-27T07:32:00\ntime = 07:32:00\n";
        let tree = parse_ok(toml, Format::Toml);
        assert_eq!(
            get(&tree, &["signed"]).kind,
            ValueKind::Date {
                year: 2010,
                month: 4,
                day: 8
            }
        );
        assert_eq!(
            get(&tree, &["at"]).kind,
            ValueKind::OtherDatetime("1979-05-27T07:32:00Z".to_owned())
        );
        assert_eq!(
            get(&tree, &["local"]).kind,
            ValueKind::OtherDatetime("1979-05-27T07:32:00".to_owned())
        );
        assert_eq!(
            get(&tree, &["time"]).kind,
            ValueKind::OtherDatetime("07:32:00".to_owned())
        );
        assert_eq!(&toml[get(&tree, &["signed"]).span.clone()], "2010-04-08");
    }

    #[test]
    fn toml_scalars() {
        let toml =
            "i = -42\nh = 0xff\nf = 1_000.5\nb = false\ns = 'lit'\nbig = 99999999999999999999\n";
        let (tree, errors) = parse(toml, Format::Toml);
        let tree = tree.unwrap();
        assert_eq!(get(&tree, &["i"]).kind, ValueKind::Integer(-42));
        assert_eq!(get(&tree, &["h"]).kind, ValueKind::Integer(255));
        assert_eq!(get(&tree, &["f"]).kind, ValueKind::Float(1000.5));
        assert_eq!(get(&tree, &["b"]).kind, ValueKind::Bool(false));
        assert_eq!(get(&tree, &["s"]).kind, ValueKind::String("lit".to_owned()));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "integer `99999999999999999999` does not fit in 64 bits"
        );
        assert!(!keys(&tree).contains(&"big"));
    }

    #[test]
    fn toml_errors_are_tidy_and_ordered() {
        let toml = "a = 0x_ff\nb = \"open\nc = 1 d = 2\n";
        let (tree, errors) = parse(toml, Format::Toml);
        assert!(tree.is_some());
        assert!(errors.len() >= 3, "{errors:?}");
        assert!(
            errors
                .windows(2)
                .all(|w| w[0].span.start <= w[1].span.start)
        );
        for err in &errors {
            assert!(!err.message.ends_with("expected nothing"), "{err:?}");
            assert!(
                err.message.starts_with(|c: char| !c.is_uppercase()),
                "{err:?}"
            );
            assert!(toml.get(err.span.clone()).is_some());
        }
    }

    #[test]
    fn clamp_span_is_safe() {
        let text = "aé"; // `é` occupies bytes 1..3
        // An offset inside a char widens to the whole char.
        assert_eq!(clamp_span(text, 2..2), 1..3);
        assert_eq!(clamp_span(text, 0..2), 0..3);
        assert_eq!(clamp_span(text, 5..9), 3..3);
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = clamp_span(text, 3..1);
        assert_eq!(reversed, 3..3);
    }

    /// Truncated and corrupted documents must never panic and must only
    /// produce spans that can slice the text.
    #[test]
    fn damaged_documents_never_panic() {
        let samples = [
            (JSON_DOC, Format::Json),
            (TOML_DOC, Format::Toml),
            (
                "{\"é\": \"\\ud83d\\ude00 日本\", \"n\": [1.5e3, -0, true]}",
                Format::Json,
            ),
            (
                "é = \"日本\"\n[t.\"ü\"]\nx = [1979-05-27, 'ö']\n",
                Format::Toml,
            ),
        ];
        let mut seed: u32 = 0x2545_f491;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let noise = [
            '{', '}', '[', ']', '"', '\\', ',', ':', 'é', '\n', 'u', '0', '=',
        ];
        for (text, format) in samples {
            for (cut, _) in text.char_indices() {
                assert_all_spans_valid(&text[..cut], format);
                assert_all_spans_valid(&text[cut..], format);
            }
            for _ in 0..300 {
                let mut chars: Vec<char> = text.chars().collect();
                for _ in 0..3 {
                    let at = next() as usize % chars.len();
                    let c = noise[next() as usize % noise.len()];
                    match next() % 3 {
                        0 => chars[at] = c,
                        1 => chars.insert(at, c),
                        _ => {
                            chars.remove(at);
                        }
                    }
                }
                let damaged: String = chars.into_iter().collect();
                assert_all_spans_valid(&damaged, format);
            }
        }
    }
}
