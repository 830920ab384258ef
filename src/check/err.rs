//! Errors and warnings of the checking stage.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};
use thiserror::Error;

use crate::span::{NamedText, SourceFile, Span};
use crate::syntax::ParseError;

/// Everything `check` can report about a rule file.
#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Problem(Box<Problem>),
}

impl CheckError {
    pub fn is_warning(&self) -> bool {
        matches!(self.severity(), Some(Severity::Warning))
    }
}

impl From<Problem> for CheckError {
    fn from(problem: Problem) -> Self {
        CheckError::Problem(Box::new(problem))
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $severity:ident;)*) => {
        /// The stable code of each problem the checker reports (`treaty::check::…`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => concat!("treaty::check::", $code),)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    Io => "io", Error;
    MissingHeader => "missing_header", Error;
    FileNotFound => "file_not_found", Error;
    OutsideRoot => "outside_root", Error;
    ImportCycle => "import_cycle", Error;
    ImportTooDeep => "import_too_deep", Error;
    MisplacedDeclaration => "misplaced_declaration", Error;
    NoSource => "no_source", Error;
    QuoteNotFound => "quote_not_found", Error;
    Duplicate => "duplicate", Error;
    UnknownName => "unknown_name", Error;
    TypeMismatch => "type_mismatch", Error;
    UnitMismatch => "unit_mismatch", Error;
    RecursiveCategory => "recursive_category", Error;
    InvalidDate => "invalid_date", Error;
    InvalidPeriod => "invalid_period", Error;
    InvalidBound => "invalid_bound", Error;
    EmptyRange => "empty_range", Error;
    WrongRule => "wrong_rule", Error;
    ReadingDefault => "reading_default", Error;
    ReservedName => "reserved_name", Error;
    Misplaced => "misplaced", Error;
    EmptyPosition => "empty_position", Warning;
    MissingQuote => "missing_quote", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem: a code, a message, where it is, and how to fix it when that is known.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct Problem {
    pub code: Code,
    pub message: String,
    pub src: Option<NamedText>,
    pub primary: Option<(Span, String)>,
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            src: None,
            primary: None,
            secondary: Vec::new(),
            help: None,
        }
    }

    /// The place the problem is, in `file`.
    pub fn at(mut self, file: &SourceFile, span: Span, label: impl Into<String>) -> Problem {
        self.src = Some(file.named());
        self.primary = Some((span, label.into()));
        self
    }

    /// Another place that matters (in the same file as the primary label).
    pub fn also(mut self, span: Span, label: impl Into<String>) -> Problem {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Problem {
        self.help = help;
        self
    }
}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.code.severity())
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
pub(crate) fn record(problems: &mut Vec<Problem>, problem: Problem) -> &mut Problem {
    problems.push(problem);
    let last = problems.len().saturating_sub(1);
    #[allow(clippy::indexing_slicing)] // just pushed, so `last` is in bounds
    &mut problems[last]
}

/// "did you mean `x`?" when a candidate is close enough to be the intended name (the same
/// judgement as for scenarios: [`crate::diagnostics::closest`]).
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    crate::diagnostics::closest(name, candidates).map(|best| format!("did you mean `{best}`?"))
}
