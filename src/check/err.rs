//! Errors and warnings of the checking stage.

use crate::diagnostics::{Problem, codes};

/// Everything `check` can report about a rule file, syntax errors included: every stage
/// builds its diagnostics as a [`Problem`], so this is one.
pub type CheckError = Problem;

codes! {
    "check",
    Io => "io", Error;
    MissingHeader => "missing_header", Error;
    FileNotFound => "file_not_found", Error;
    OutsideRoot => "outside_root", Error;
    ImportCycle => "import_cycle", Error;
    ImportTooDeep => "import_too_deep", Error;
    FolderTooDeep => "folder_too_deep", Error;
    MisplacedDeclaration => "misplaced_declaration", Error;
    NoSource => "no_source", Error;
    QuoteNotFound => "quote_not_found", Error;
    WrongSource => "wrong_source", Error;
    Duplicate => "duplicate", Error;
    UnknownName => "unknown_name", Error;
    TypeMismatch => "type_mismatch", Error;
    UnitMismatch => "unit_mismatch", Error;
    RecursiveCategory => "recursive_category", Error;
    InvalidDate => "invalid_date", Error;
    InvalidPeriod => "invalid_period", Error;
    MissingDate => "missing_date", Error;
    InvalidBound => "invalid_bound", Error;
    EmptyRange => "empty_range", Error;
    InvalidDefault => "invalid_default", Error;
    WrongRule => "wrong_rule", Error;
    ReadingDefault => "reading_default", Error;
    ReservedName => "reserved_name", Error;
    Misplaced => "misplaced", Error;
    EmptyPosition => "empty_position", Warning;
    MissingQuote => "missing_quote", Warning;
}
