//! Diagnostics of every stage: the one way to build one ([`Problem`] with a stage's
//! [`Code`]), the one "did you mean" ([`did_you_mean`]), and rendering for people (miette's
//! graphical report) and for tools (JSON, one object per diagnostic).

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};
use serde::Serialize;
use thiserror::Error;

use crate::span::{NamedText, SourceFile, Span};

/// A stable diagnostic code (`treaty::STAGE::name`) and how serious it is. Each stage lists
/// its codes once, with the crate's `codes!` macro.
pub trait Code: Copy {
    /// The code as users and tools see it, e.g. `treaty::check::unknown_name`.
    fn as_str(self) -> &'static str;
    /// Error, warning or advice.
    fn severity(self) -> Severity;
}

/// Declare a stage's codes: `codes! { "check", Io => "io", Error; … }` defines `Code` with
/// `ALL`, [`Code`](crate::diagnostics::Code) and `Display`.
macro_rules! codes {
    ($stage:literal, $($variant:ident => $code:literal, $severity:ident;)*) => {
        /// The stable code of each problem this stage reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $(#[doc = concat!("`treaty::", $stage, "::", $code, "`")] $variant,)* }

        impl Code {
            /// Every code of the stage, in the order `docs/diagnostics.md` lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
        }

        impl $crate::diagnostics::Code for Code {
            fn as_str(self) -> &'static str {
                match self { $(Code::$variant => concat!("treaty::", $stage, "::", $code),)* }
            }

            fn severity(self) -> miette::Severity {
                match self { $(Code::$variant => miette::Severity::$severity,)* }
            }
        }

        impl std::fmt::Display for Code {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::diagnostics::Code::as_str(*self))
            }
        }
    };
}
pub(crate) use codes;

/// One diagnostic: a code, a message, where it is, and how to fix it when that is known.
/// Every stage builds its diagnostics with this, so they read and render alike.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct Problem {
    code: &'static str,
    severity: Severity,
    /// What went wrong, lowercase, with what the user wrote in backticks.
    pub message: String,
    src: Option<NamedText>,
    primary: Option<(Span, String)>,
    /// Other places that matter (in the same file as the primary label).
    pub secondary: Vec<(Span, String)>,
    /// How to fix it, when that is known.
    pub help: Option<String>,
}

impl Problem {
    /// A problem with `code` and `message`, not yet placed in a file.
    pub fn new(code: impl Code, message: impl Into<String>) -> Problem {
        Problem {
            code: code.as_str(),
            severity: code.severity(),
            message: message.into(),
            src: None,
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// The place the problem is, in `file`.
    pub fn at(self, file: &SourceFile, span: Span, label: impl Into<String>) -> Problem {
        self.at_named(file.named(), span, label)
    }

    /// The place the problem is, in a file already in the form diagnostics show.
    pub fn at_named(mut self, src: NamedText, span: Span, label: impl Into<String>) -> Problem {
        self.src = Some(src);
        self.primary = Some((span, label.into()));
        self
    }

    /// The file the problem is in, with no primary label: its places are all [`also`]
    /// labels. Scenario problems are made so, and tools reading `--message-format json`
    /// see them with `"primary": false`.
    ///
    /// [`also`]: Problem::also
    pub fn within(mut self, src: NamedText) -> Problem {
        self.src = Some(src);
        self
    }

    /// Another place that matters (in the same file as the primary label).
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Problem {
        self.secondary.push((span, label.into()));
        self
    }

    /// How to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// How to fix it, when that is known.
    pub fn with_help_opt(mut self, help: Option<String>) -> Problem {
        self.help = help;
        self
    }

    /// Whether this is only a warning.
    pub fn is_warning(&self) -> bool {
        matches!(self.severity, Severity::Warning | Severity::Advice)
    }
}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = self
            .primary
            .iter()
            .map(|(span, label)| LabeledSpan::new_primary_with_span(Some(label.clone()), *span));
        let secondary = self
            .secondary
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(primary.chain(secondary)))
    }
}

/// Record `problem` and hand it back, so a help or a second label can be added to it.
pub(crate) fn push(problems: &mut Vec<Problem>, problem: Problem) -> &mut Problem {
    problems.push(problem);
    let last = problems.len().saturating_sub(1);
    #[expect(
        clippy::indexing_slicing,
        reason = "just pushed, so `last` is in bounds"
    )]
    &mut problems[last]
}

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
    /// `error`, `warning` or `advice`.
    pub severity: &'static str,
    /// The stable code, e.g. `treaty::check::unknown_name`.
    pub code: Option<String>,
    /// What went wrong.
    pub message: String,
    /// The file the labels point into, as the user named it.
    pub file: Option<String>,
    /// The places, the primary one marked.
    pub labels: Vec<LabelRecord>,
    /// How to fix it, when that is known.
    pub help: Option<String>,
}

/// A labelled place, with one-based line and column (in characters).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelRecord {
    /// What the place has to do with the problem.
    pub label: Option<String>,
    /// The place the problem is (others only matter to it).
    pub primary: bool,
    /// Byte offset into the file.
    pub offset: usize,
    /// Length in bytes.
    pub length: usize,
    /// One-based line.
    pub line: usize,
    /// One-based column, in characters.
    pub column: usize,
}

/// A diagnostic as data, for `--message-format json`.
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

/// Whether a diagnostic is only a warning (or advice).
pub fn is_warning(diagnostic: &dyn Diagnostic) -> bool {
    matches!(
        diagnostic.severity(),
        Some(Severity::Warning | Severity::Advice)
    )
}

/// "did you mean `x`?" when a candidate is close enough to be the intended name.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(name, candidates).map(|best| format!("did you mean `{best}`?"))
}

/// "did you mean `x`? " followed by `rest`, or just `rest`.
pub fn help_with(suggestion: Option<&str>, rest: &str) -> String {
    match suggestion {
        Some(name) if rest.is_empty() => format!("did you mean `{name}`?"),
        Some(name) => format!("did you mean `{name}`? {rest}"),
        None => rest.to_owned(),
    }
}

/// `` `a`, `b`, `c` `` — at most `limit` names, then "and N more".
pub fn list<'a, I>(names: I, limit: usize) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let names: Vec<&str> = names.into_iter().collect();
    let mut out: Vec<String> = names
        .iter()
        .take(limit)
        .map(|name| format!("`{name}`"))
        .collect();
    if names.len() > limit {
        out.push(format!("and {} more", names.len().saturating_sub(limit)));
    }
    out.join(", ")
}

/// "the {what} are `a`, `b`, …": the one wording for listing what a name could have been.
pub fn the_names<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    format!("the {what} are {}", list(names, 20))
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
