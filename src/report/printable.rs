//! Reports as text for people: every string in them (names from rule files and scenarios,
//! titles, file names) with the characters that would act on a terminal escaped
//! ([`crate::terminal::printable`]). JSON needs none of this: it escapes them itself.

use std::borrow::Cow;

use serde_json::Value;

use super::Report;
use crate::terminal::{is_unsafe, printable};

/// `report` with every string made printable; borrowed when none needed it.
///
/// The report is walked through its JSON form, so that no string field (today's or a later
/// one) is missed; the JSON report round-trips exactly (tests and the `structured` fuzz target
/// check it).
pub(super) fn printable_report(report: &Report) -> Cow<'_, Report> {
    let Ok(mut value) = serde_json::to_value(report) else {
        return Cow::Borrowed(report);
    };
    if !escape(&mut value) {
        return Cow::Borrowed(report);
    }
    match serde_json::from_value(value) {
        Ok(escaped) => Cow::Owned(escaped),
        Err(_) => Cow::Borrowed(report),
    }
}

/// The reports of a comparison, each made printable.
pub(super) fn printable_reports(reports: &[Report]) -> Cow<'_, [Report]> {
    if reports
        .iter()
        .all(|report| matches!(printable_report(report), Cow::Borrowed(_)))
    {
        return Cow::Borrowed(reports);
    }
    Cow::Owned(
        reports
            .iter()
            .map(|report| printable_report(report).into_owned())
            .collect(),
    )
}

/// Escape every string (keys too) in `value`; whether any changed.
fn escape(value: &mut Value) -> bool {
    match value {
        Value::String(text) => match printable(text) {
            Cow::Borrowed(_) => false,
            Cow::Owned(escaped) => {
                *text = escaped;
                true
            }
        },
        Value::Array(items) => escape_all(items.iter_mut()),
        Value::Object(map) => {
            let mut changed = false;
            if map.keys().any(|key| key.chars().any(is_unsafe)) {
                let entries = std::mem::take(map);
                for (key, value) in entries {
                    map.insert(printable(&key).into_owned(), value);
                }
                changed = true;
            }
            escape_all(map.values_mut()) || changed
        }
        _ => false,
    }
}

/// Escape every value (each one: no stopping at the first that changed); whether any changed.
fn escape_all<'v>(values: impl Iterator<Item = &'v mut Value>) -> bool {
    let mut changed = false;
    for value in values {
        changed |= escape(value);
    }
    changed
}
