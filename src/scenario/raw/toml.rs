//! TOML into the value tree, by the `toml` crate's recovering parser.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};

use super::{Entry, SyntaxError, SyntaxKind, Value, ValueKind};
use crate::span::Span;

/// The tree of `text` (always a table, however broken the text) and every syntax error.
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
    let errors = one_per_mistake(text, errors);
    let root = Value {
        kind: ValueKind::Table(entries),
        // The root table has no span of its own in toml; the whole file is
        // the honest answer.
        span: Span::new(0, text.len()),
    };
    (Some(root), errors)
}

/// Where the tokens of `text` add up to more than `limit`, a token counting one and one that
/// may open a table or array counting `table_weight` (see [`super::toml_token`]).
pub(super) fn token(text: &str, limit: usize, table_weight: usize) -> Option<Span> {
    use ::toml_parser::lexer::TokenKind;
    let mut total = 0usize;
    let token = ::toml_parser::Source::new(text).lex().find(|token| {
        let weight = match token.kind() {
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket | TokenKind::Dot => {
                table_weight
            }
            _ => 1,
        };
        total = total.saturating_add(weight);
        total > limit
    })?;
    let span = token.span();
    Some(Span::new(span.start(), span.end()).clamp_to(text))
}

fn convert_error(text: &str, err: &::toml::de::Error) -> SyntaxError {
    let span = err.span().map_or_else(
        || Span::end_of(text),
        |span| Span::from(span).clamp_to(text),
    );
    let mut message = tidy_message(err.message());
    let written = text.get(span.range()).unwrap_or_default();
    if message == "duplicate key" {
        let key = unquote(written);
        if !key.is_empty() {
            message = format!("duplicate key `{key}`");
        }
    }
    if message.starts_with("invalid date") {
        return SyntaxError {
            message: format!("`{written}` is not a date"),
            span,
            kind: SyntaxKind::InvalidDate,
        };
    }
    if message.starts_with("invalid ") && !message.starts_with("invalid time") {
        if let Some(better) = bare_word(written) {
            message = better;
        }
    }
    SyntaxError::new(message, span)
}

/// What to say of a bare word where a value belongs (`class = icbm`, `mobile = True`): toml
/// calls it an invalid float or boolean, which sends the writer the wrong way.
fn bare_word(written: &str) -> Option<String> {
    let mut chars = written.chars();
    let first = chars.next()?;
    let wordlike = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    if !wordlike {
        return None;
    }
    let lower = written.to_ascii_lowercase();
    if lower == "true" || lower == "false" {
        return Some(format!(
            "`{written}` is not a boolean: write `{lower}`, in lowercase"
        ));
    }
    if matches!(lower.as_str(), "inf" | "nan") {
        return None;
    }
    Some(format!(
        "`{written}` is not a TOML value: write text in quotes, `\"{written}\"`"
    ))
}

/// One diagnostic per mistake: toml often reports a second error where its recovery resumes
/// on the same line (`count = = 550`), and each key of a table whose header is a duplicate as
/// a duplicate key too. Keep the first error of each line, and drop the duplicate keys that
/// follow a duplicate header up to the next header. `errors` are in file order.
fn one_per_mistake(text: &str, errors: Vec<SyntaxError>) -> Vec<SyntaxError> {
    if errors.len() < 2 {
        return errors;
    }
    // Where each line starts, and how many table headers there are up to each line.
    let mut starts = Vec::new();
    let mut headers = Vec::new();
    let mut offset = 0usize;
    let mut seen = 0usize;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            seen = seen.saturating_add(1);
        }
        starts.push(offset);
        headers.push(seen);
        offset = offset.saturating_add(line.len());
    }
    let line_of = |at: usize| {
        starts
            .partition_point(|&start| start <= at)
            .saturating_sub(1)
    };
    let headers_up_to = |line: usize| headers.get(line).copied().unwrap_or(seen);
    let is_header = |line: usize| {
        let before = line.checked_sub(1).map_or(0, headers_up_to);
        headers_up_to(line) > before
    };
    let mut kept: Vec<SyntaxError> = Vec::with_capacity(errors.len());
    let mut last_line = None;
    // The line of a duplicate table header, while inside that table.
    let mut duplicate_header: Option<usize> = None;
    for err in errors {
        let line = line_of(err.span.start);
        if last_line == Some(line) {
            continue;
        }
        let is_duplicate = err.message.starts_with("duplicate key");
        if let Some(header) = duplicate_header {
            if headers_up_to(line) > headers_up_to(header) {
                duplicate_header = None;
            } else if is_duplicate {
                continue;
            }
        }
        if is_duplicate && is_header(line) {
            duplicate_header = Some(line);
        }
        last_line = Some(line);
        kept.push(err);
    }
    kept
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
                key_span: Span::from(key.span()).clamp_to(text),
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
    let span = Span::from(value.span()).clamp_to(text);
    let kind = match value.get_ref() {
        DeValue::String(s) => ValueKind::String(s.to_string()),
        DeValue::Integer(int) => match i64::from_str_radix(int.as_str(), int.radix()) {
            Ok(n) => ValueKind::Integer(n),
            Err(_) => {
                let written = source(text, span, int);
                // TOML's integers stop at 2^63 - 1; a count goes on to 2^64 - 1 as a string.
                let hint = match u64::from_str_radix(int.as_str(), int.radix()) {
                    Ok(n) => format!(
                        " (TOML's integers end at {}): write a larger count as a string, `\"{n}\"`",
                        i64::MAX
                    ),
                    Err(_) => String::new(),
                };
                errors.push(error(
                    format!("integer `{written}` does not fit in 64 bits{hint}"),
                    span,
                ));
                return None;
            }
        },
        DeValue::Float(float) => match float.as_str().parse::<f64>() {
            // Rust reads huge literals as infinity; only `inf` itself may be infinite.
            Ok(f) if f.is_finite() || float.as_str().contains("inf") => ValueKind::Float(f),
            _ => {
                let written = source(text, span, float);
                let message = if written.contains("..") {
                    format!(
                        "`{written}` is not a number: write an interval as a string, `\"{written}\"`"
                    )
                } else {
                    format!("float `{written}` is out of range")
                };
                errors.push(error(message, span));
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
            _ => ValueKind::OtherDatetime(source(text, span, datetime)),
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
fn source(text: &str, span: Span, parsed: &impl std::fmt::Display) -> String {
    match text.get(span.range()) {
        Some(written) if !written.is_empty() => written.to_owned(),
        _ => parsed.to_string(),
    }
}

fn error(message: String, span: Span) -> SyntaxError {
    SyntaxError::new(message, span)
}
