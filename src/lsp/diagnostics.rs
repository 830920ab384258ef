//! Diagnostics as the protocol carries them: each problem of `treaty check` on the file it
//! points into, its code, its other places as related information, its help in the message;
//! and the quick fixes their "did you mean" suggestions make.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Range, TextEdit, Url, WorkspaceEdit,
};
use serde_json::json;

use crate::diagnostics::{DiagnosticRecord, Problem, closest, record};

use super::text::{LineIndex, absolute, uri_of};
use super::workspace::{Workspace, canonical};

/// The diagnostics of every open document (and of the files they import, where problems
/// were found in those), by file.
pub(super) fn collect(workspace: &Workspace) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut by_file: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for path in workspace.documents.keys() {
        by_file.entry(path.clone()).or_default();
        let problems = match workspace.check(path) {
            Some(Ok(checked)) => checked.warnings,
            Some(Err(problems)) => problems,
            None => continue,
        };
        for problem in &problems {
            let (file, diagnostic) = convert(workspace, path, problem);
            let list = by_file.entry(file).or_default();
            if !list.contains(&diagnostic) {
                list.push(diagnostic);
            }
        }
    }
    by_file
}

/// A problem found checking `checked`, as a diagnostic of the file it points into.
fn convert(workspace: &Workspace, checked: &Path, problem: &Problem) -> (PathBuf, Diagnostic) {
    let record = record(problem);
    let file = record
        .file
        .as_deref()
        .map_or_else(|| checked.to_path_buf(), |name| canonical(&absolute(name)));
    let text = workspace.text(&file).unwrap_or_default();
    let lines = LineIndex::new(&text);
    let span = |offset: usize, length: usize| {
        lines.range(crate::span::Span::new(
            offset,
            offset.saturating_add(length),
        ))
    };
    let primary = record
        .labels
        .iter()
        .find(|l| l.primary)
        .or_else(|| record.labels.first());
    let range = primary.map_or_else(Range::default, |l| span(l.offset, l.length));
    let uri = uri_of(&file);
    let related: Vec<DiagnosticRelatedInformation> = record
        .labels
        .iter()
        .filter(|label| primary.is_none_or(|p| !std::ptr::eq(p, *label)))
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: Location::new(uri.clone()?, span(label.offset, label.length)),
                message: label.label.clone().unwrap_or_default(),
            })
        })
        .collect();
    let mut message = record.message.clone();
    if let Some(help) = &record.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let replacement = primary
        .and_then(|l| text.get(l.offset..l.offset.saturating_add(l.length)))
        .and_then(|written| suggestion(&record, written));
    let diagnostic = Diagnostic {
        range,
        severity: Some(match record.severity {
            "warning" => DiagnosticSeverity::WARNING,
            "advice" => DiagnosticSeverity::INFORMATION,
            _ => DiagnosticSeverity::ERROR,
        }),
        code: record.code.clone().map(NumberOrString::String),
        source: Some("treaty".to_string()),
        message,
        related_information: Some(related).filter(|r| !r.is_empty()),
        data: replacement.map(|r| json!({ "replacement": r })),
        ..Diagnostic::default()
    };
    (file, diagnostic)
}

/// The word to write instead of `written`: the "did you mean" of the help, or, for a
/// misspelt keyword, the expected word closest to it.
fn suggestion(record: &DiagnosticRecord, written: &str) -> Option<String> {
    let one_word = !written.is_empty()
        && written
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if !one_word {
        return None;
    }
    let meant = record
        .help
        .as_deref()
        .and_then(|help| help.strip_prefix("did you mean `"))
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string)
        .or_else(|| {
            let (expected, found) = record.message.split_once(", found `")?;
            if found.trim_end_matches('`') != written {
                return None;
            }
            let words = expected.split('`').skip(1).step_by(2);
            closest(written, words).map(str::to_string)
        })?;
    (meant != written).then_some(meant)
}

/// The quick fixes for the diagnostics of `uri` that carry a replacement.
pub(super) fn actions(uri: &Url, diagnostics: &[Diagnostic]) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter_map(|diagnostic| {
            let replacement = diagnostic.data.as_ref()?.get("replacement")?.as_str()?;
            let edit = TextEdit::new(diagnostic.range, replacement.to_string());
            let changes = HashMap::from([(uri.clone(), vec![edit])]);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Write `{replacement}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::LabelRecord;

    fn record(message: &str, help: Option<&str>) -> DiagnosticRecord {
        DiagnosticRecord {
            severity: "error",
            code: None,
            message: message.to_string(),
            file: None,
            labels: Vec::<LabelRecord>::new(),
            help: help.map(str::to_string),
        }
    }

    #[test]
    fn did_you_mean_becomes_a_replacement() {
        let unknown = record(
            "unknown category `delivery_vehicle`",
            Some("did you mean `delivery_vehicles`?"),
        );
        assert_eq!(
            suggestion(&unknown, "delivery_vehicle").as_deref(),
            Some("delivery_vehicles")
        );
        assert_eq!(suggestion(&unknown, "two words"), None);
        let values = record(
            "unknown value `submarine`",
            Some("known values: air, sea, land"),
        );
        assert_eq!(suggestion(&values, "submarine"), None);
    }

    #[test]
    fn a_misspelt_keyword_becomes_the_closest_expected_one() {
        let syntax = record(
            "expected `category`, `holdings`, `package`, a provision (`limit`, `ban`) or end of file, found `limt`",
            None,
        );
        assert_eq!(suggestion(&syntax, "limt").as_deref(), Some("limit"));
        assert_eq!(suggestion(&syntax, "xyzzy"), None);
    }
}
