//! TOML into the value tree, by the `toml` crate's recovering parser.

use ::toml::Spanned;
use ::toml::de::{DeTable, DeValue};

use super::{Entry, SyntaxError, Value, ValueKind};
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
    let root = Value {
        kind: ValueKind::Table(entries),
        // The root table has no span of its own in toml; the whole file is
        // the honest answer.
        span: Span::new(0, text.len()),
    };
    (Some(root), errors)
}

fn convert_error(text: &str, err: &::toml::de::Error) -> SyntaxError {
    let span = err.span().map_or_else(
        || Span::end_of(text),
        |span| Span::from(span).clamp_to(text),
    );
    let mut message = tidy_message(err.message());
    if message == "duplicate key" {
        let key = text.get(span.range()).map(unquote).unwrap_or_default();
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
                errors.push(error(
                    format!("float `{}` is out of range", source(text, span, float)),
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
    SyntaxError { message, span }
}
