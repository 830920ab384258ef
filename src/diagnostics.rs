//! Diagnostics of every stage: the one way to build one ([`Problem`] with a stage's
//! [`Code`]), the one "did you mean" ([`did_you_mean`]), and rendering for people (miette's
//! graphical report) and for tools (JSON, one object per diagnostic).

mod excerpt;
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests;

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode,
};
use serde::Serialize;
use thiserror::Error;

use crate::span::{NamedText, SourceFile, Span};
use crate::terminal::printable;
use excerpt::Excerpt;

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

/// The narrowest and widest terminal diagnostics are laid out for.
const WIDTHS: (usize, usize) = (20, 1000);

/// Render one diagnostic for a terminal or a snapshot. What is shown of the file is cut to
/// what a terminal can show (long lines as windows around the labels, see `excerpt`), and
/// every character that would act on the terminal is escaped. Rendering never panics: should
/// the renderer fail all the same, the diagnostic is written plainly.
pub fn render(diagnostic: &dyn Diagnostic, color: bool, width: usize) -> String {
    // The excerpt is cut first, so that miette is never handed what would make it panic;
    // should anything panic all the same, the diagnostic is still shown, plainly.
    catch_unwind(AssertUnwindSafe(|| {
        render_view(&View::of(diagnostic), color, width)
    }))
    .unwrap_or_else(|_| plain(diagnostic))
}

fn render_view(view: &View<'_>, color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width.clamp(WIDTHS.0, WIDTHS.1))
        .with_links(false)
        .with_context_lines(excerpt::CONTEXT_LINES);
    let mut out = String::new();
    match handler.render_report(&mut out, view) {
        Ok(()) => out,
        Err(_) => plain(view.inner),
    }
}

/// The diagnostic without its snippet (reading the file is what failed): its code, message
/// and help, made printable.
fn plain(diagnostic: &dyn Diagnostic) -> String {
    let mut out = String::new();
    if let Some(code) = diagnostic.code() {
        out.push_str(&format!("{}\n", printable(&code.to_string())));
    }
    out.push_str(&format!(
        "\n  × {}\n  (the place in the file could not be shown)\n",
        printable(&diagnostic.to_string())
    ));
    if let Some(help) = diagnostic.help() {
        out.push_str(&format!("  help: {}\n", printable(&help.to_string())));
    }
    out
}

/// A diagnostic as the renderer is given it: its text made printable, and its snippet an
/// [`Excerpt`] of the file when the file cannot be shown as it is.
#[derive(Debug)]
struct View<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    labels: Option<Vec<LabeledSpan>>,
    excerpt: Option<Excerpt>,
}

impl<'a> View<'a> {
    fn of(inner: &'a dyn Diagnostic) -> View<'a> {
        View::cut(inner, false)
    }

    /// With `always`, the snippet is an excerpt even when the file would do.
    fn cut(inner: &'a dyn Diagnostic, always: bool) -> View<'a> {
        let mut labels: Option<Vec<LabeledSpan>> = inner.labels().map(Iterator::collect);
        let mut excerpt = None;
        if let (Some(source), Some(list)) = (inner.source_code(), &labels) {
            if let Some((cut, moved)) = Excerpt::cut(source, list, always) {
                excerpt = Some(cut);
                labels = Some(moved);
            }
        }
        View {
            inner,
            message: printable(&inner.to_string()).into_owned(),
            help: inner.help().map(|h| printable(&h.to_string()).into_owned()),
            labels,
            excerpt,
        }
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for View<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.excerpt {
            Some(excerpt) => Some(excerpt),
            None => self.inner.source_code(),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.labels.clone()?;
        Some(Box::new(labels.into_iter().map(|label| {
            let text = label.label().map(|t| printable(t).into_owned());
            let span = *label.inner();
            if label.primary() {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }

    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.inner.diagnostic_source()
    }
}

/// How many diagnostics a command renders for people; the rest are counted, and
/// `--message-format json` prints every one.
pub const MAX_RENDERED: usize = 100;

/// Counts the diagnostics rendered for people, so that a command shows the first
/// [`MAX_RENDERED`] and then only says how many more there were.
#[derive(Debug, Default)]
pub struct Limit {
    shown: usize,
    hidden: usize,
}

impl Limit {
    /// Whether the next diagnostic is to be shown; if not, it is counted as not shown.
    pub fn admit(&mut self) -> bool {
        if self.shown < MAX_RENDERED {
            self.shown = self.shown.saturating_add(1);
            true
        } else {
            self.hidden = self.hidden.saturating_add(1);
            false
        }
    }

    /// "… and N more diagnostics not shown", when some were not.
    pub fn note(&self) -> Option<String> {
        (self.hidden > 0).then(|| {
            let s = if self.hidden == 1 { "" } else { "s" };
            format!(
                "… and {} more diagnostic{s} not shown (only the first {MAX_RENDERED} are; \
                 `--message-format json` prints all of them)\n",
                self.hidden
            )
        })
    }
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

/// `diagnostic` as data, each label with its line and column (in characters, as editors
/// count them).
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
                    let (line, column) = source
                        .and_then(|s| s.read_span(label.inner(), 0, 0).ok())
                        .map(|contents| {
                            if file.is_none() {
                                file = contents.name().map(str::to_string);
                            }
                            (
                                contents.line().saturating_add(1),
                                contents.column().saturating_add(1),
                            )
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

/// Whether `diagnostic` is only a warning (or advice).
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

/// Names longer than this, in characters, get no suggestion: nobody misspells a name that
/// long, and comparing two of them costs the product of their lengths.
pub const MAX_SUGGESTED_NAME: usize = 64;

/// The candidate closest to `input`, if any is close enough to be what was meant:
/// Jaro-Winkler similarity of at least 0.8, or at most two edits (and fewer edits than
/// either word has characters, so one-letter words do not suggest anything at all). Names
/// over [`MAX_SUGGESTED_NAME`] characters are neither suggested nor given suggestions.
pub fn closest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let input_len = input.chars().count();
    if input_len > MAX_SUGGESTED_NAME {
        return None;
    }
    let folded = input.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == input || candidate.chars().nth(MAX_SUGGESTED_NAME).is_some() {
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
