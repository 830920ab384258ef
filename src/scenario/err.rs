//! The problems scenario loading reports: each a [`Problem`] with one of these codes,
//! pointing into the scenario file.

use crate::diagnostics::{Problem, codes};

/// A scenario file could not be read, or says something the position's vocabulary does not
/// allow. Loading reports every problem of a file at once.
pub type ScenarioError = Problem;

codes! {
    "scenario",
    Syntax => "syntax", Error;
    Io => "io", Error;
    TooLarge => "too_large", Error;
    TomlTooLarge => "toml_too_large", Error;
    TooManyHoldings => "too_many_holdings", Error;
    TooManyProblems => "too_many_problems", Error;
    UnknownKey => "unknown_key", Error;
    MissingField => "missing_field", Error;
    WrongType => "wrong_type", Error;
    InvalidDate => "invalid_date", Error;
    UnknownParty => "unknown_party", Error;
    DuplicateParty => "duplicate_party", Error;
    NoParties => "no_parties", Error;
    PartyNotListed => "party_not_listed", Error;
    UnknownPackage => "unknown_package", Error;
    InvalidPackageState => "invalid_package_state", Error;
    UnknownValue => "unknown_value", Error;
    UnknownType => "unknown_type", Error;
    ReservedName => "reserved_name", Error;
    MissingUnit => "missing_unit", Error;
    UnknownUnit => "unknown_unit", Error;
    WrongUnit => "wrong_unit", Error;
    InvalidNumber => "invalid_number", Error;
    NegativeNumber => "negative_number", Error;
    NotAnInteger => "not_an_integer", Error;
    InvertedInterval => "inverted_interval", Error;
    DuplicateHolding => "duplicate_holding", Error;
}
