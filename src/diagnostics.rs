//! Rendering diagnostics of every stage: for people (miette's graphical report) and for
//! tools (JSON, one object per diagnostic).

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, Severity};
use serde::Serialize;

/// Render one diagnostic for a terminal or a snapshot.
pub fn render(diagnostic: &dyn Diagnostic, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        // Rendering into a String cannot fail in practice; keep the message at least.
        out = format!("{diagnostic}\n");
    }
    out
}

/// A diagnostic as data: what `--message-format json` prints, one per line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DiagnosticRecord {
    pub severity: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub file: Option<String>,
    pub labels: Vec<LabelRecord>,
    pub help: Option<String>,
}

/// A labelled place, with one-based line and column (in characters).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelRecord {
    pub label: Option<String>,
    pub primary: bool,
    pub offset: usize,
    pub length: usize,
    pub line: usize,
    pub column: usize,
}

pub fn record(diagnostic: &dyn Diagnostic) -> DiagnosticRecord {
    let severity = match diagnostic.severity() {
        Some(Severity::Warning) => "warning",
        Some(Severity::Advice) => "advice",
        _ => "error",
    };
    let source = diagnostic.source_code();
    let mut file = None;
    let labels = diagnostic
        .labels()
        .map(|labels| {
            labels
                .map(|label| {
                    let before = miette::SourceSpan::new(0.into(), label.offset());
                    let (line, column) = source
                        .and_then(|s| s.read_span(&before, 0, 0).ok())
                        .map(|contents| {
                            if file.is_none() {
                                file = contents.name().map(str::to_string);
                            }
                            // Lines and columns count characters, as editors do, not bytes.
                            let start = contents.span().offset();
                            let upto = label.offset().saturating_sub(start);
                            let text = String::from_utf8_lossy(
                                contents.data().get(..upto).unwrap_or_default(),
                            );
                            let line = text.matches('\n').count().saturating_add(1);
                            let column = text
                                .rsplit('\n')
                                .next()
                                .unwrap_or("")
                                .trim_end_matches('\r')
                                .chars()
                                .count();
                            (line, column.saturating_add(1))
                        })
                        .unwrap_or((0, 0));
                    LabelRecord {
                        label: label.label().map(str::to_string),
                        primary: label.primary(),
                        offset: label.offset(),
                        length: label.len(),
                        line,
                        column,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    DiagnosticRecord {
        severity,
        code: diagnostic.code().map(|c| c.to_string()),
        message: diagnostic.to_string(),
        file,
        labels,
        help: diagnostic.help().map(|h| h.to_string()),
    }
}

pub fn is_warning(diagnostic: &dyn Diagnostic) -> bool {
    matches!(
        diagnostic.severity(),
        Some(Severity::Warning | Severity::Advice)
    )
}

/// The candidate closest to `input`, if any is close enough to be what was meant:
/// Jaro-Winkler similarity of at least 0.8, or at most two edits (and fewer edits than
/// either word has characters, so one-letter words do not suggest anything at all).
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let folded = input.to_lowercase();
    let input_len = input.chars().count();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == input {
            continue;
        }
        if candidate.to_lowercase() == folded {
            return Some(candidate);
        }
        let similarity = strsim::jaro_winkler(input, candidate);
        let edits = strsim::levenshtein(input, candidate);
        let shortest = input_len.min(candidate.chars().count());
        let close = similarity >= 0.8 || (edits <= 2 && edits < shortest);
        if close && best.is_none_or(|(score, _)| similarity > score) {
            best = Some((similarity, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}
