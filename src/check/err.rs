//! Errors and warnings of the checking stage.

use miette::{Diagnostic, Severity};
use thiserror::Error;

use crate::diagnostics::{Problem, codes};
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

codes! {
    "check",
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
