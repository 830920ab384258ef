//! Errors of scenario loading: one variant per problem, each pointing into the scenario file.

use miette::{Diagnostic, SourceSpan};

use crate::span::NamedText;
use thiserror::Error;

/// A scenario file could not be read, or says something the position's vocabulary does not
/// allow. Loading reports every problem of a file at once.
#[derive(Debug, Error, Diagnostic)]
pub enum ScenarioError {
    #[error("{message}")]
    #[diagnostic(code(treaty::scenario::syntax))]
    Syntax {
        message: String,
        #[source_code]
        src: NamedText,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("cannot read scenario `{path}`: {reason}")]
    #[diagnostic(code(treaty::scenario::io))]
    Io { path: String, reason: String },

    #[error("scenario `{path}` is {size} bytes, more than the limit of {limit} bytes")]
    #[diagnostic(
        code(treaty::scenario::too_large),
        help("split the scenario, or group holdings that are counted alike")
    )]
    TooLarge { path: String, size: u64, limit: u64 },

    #[error("scenario has more than {limit} holdings")]
    #[diagnostic(
        code(treaty::scenario::too_many_holdings),
        help("group holdings that are counted alike into one holding with a larger `count`")
    )]
    TooManyHoldings {
        limit: usize,
        /// The first holding past the limit (one-based).
        first_unchecked: usize,
        #[source_code]
        src: NamedText,
        #[label("holding {first_unchecked} starts here; it and the ones after it are not checked")]
        span: SourceSpan,
    },

    #[error("unknown key `{key}` in {place}")]
    #[diagnostic(code(treaty::scenario::unknown_key))]
    UnknownKey {
        key: String,
        place: String,
        #[source_code]
        src: NamedText,
        #[label("not a key of {place}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("missing `{field}` in {place}")]
    #[diagnostic(code(treaty::scenario::missing_field))]
    MissingField {
        field: String,
        place: String,
        #[source_code]
        src: NamedText,
        #[label("`{field}` is required here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` must be {expected}, found {found}")]
    #[diagnostic(code(treaty::scenario::wrong_type))]
    WrongType {
        key: String,
        expected: String,
        found: String,
        #[source_code]
        src: NamedText,
        #[label("expected {expected}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is not a date")]
    #[diagnostic(code(treaty::scenario::invalid_date))]
    InvalidDate {
        text: String,
        #[source_code]
        src: NamedText,
        #[label("{reason}")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: Option<String>,
    },

    #[error("`{party}` is not a party of the position")]
    #[diagnostic(code(treaty::scenario::unknown_party))]
    UnknownParty {
        party: String,
        #[source_code]
        src: NamedText,
        #[label("unknown party")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("party `{party}` is listed twice")]
    #[diagnostic(code(treaty::scenario::duplicate_party), help("list each party once"))]
    DuplicateParty {
        party: String,
        #[source_code]
        src: NamedText,
        #[label(primary, "listed again here")]
        span: SourceSpan,
        #[label("first listed here")]
        first: SourceSpan,
    },

    #[error("the scenario lists no parties")]
    #[diagnostic(code(treaty::scenario::no_parties))]
    NoParties {
        #[source_code]
        src: NamedText,
        #[label("no parties here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("party `{party}` is not among the scenario's parties")]
    #[diagnostic(code(treaty::scenario::party_not_listed))]
    PartyNotListed {
        party: String,
        #[source_code]
        src: NamedText,
        #[label("not listed in `parties` of `scenario`")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{package}` is not a package of the position")]
    #[diagnostic(code(treaty::scenario::unknown_package))]
    UnknownPackage {
        package: String,
        #[source_code]
        src: NamedText,
        #[label("unknown package")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is not a package state")]
    #[diagnostic(code(treaty::scenario::invalid_package_state))]
    InvalidPackageState {
        text: String,
        #[source_code]
        src: NamedText,
        #[label("expected `agreed`, `open` or `rejected`")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{value}` is not a value of `{attribute}`")]
    #[diagnostic(code(treaty::scenario::unknown_value))]
    UnknownValue {
        value: String,
        attribute: String,
        #[source_code]
        src: NamedText,
        #[label("not one of the values of `{attribute}`")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("no weapon type `{name}` in `types`")]
    #[diagnostic(code(treaty::scenario::unknown_type))]
    UnknownType {
        name: String,
        #[source_code]
        src: NamedText,
        #[label("unknown weapon type")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` cannot name a weapon type")]
    #[diagnostic(
        code(treaty::scenario::reserved_name),
        help(
            "`unknown` marks an unknown value, so a reference to this type could not be told apart from it; rename the type"
        )
    )]
    ReservedName {
        name: String,
        #[source_code]
        src: NamedText,
        #[label("reserved word")]
        span: SourceSpan,
    },

    #[error("`{attribute}` needs a unit")]
    #[diagnostic(code(treaty::scenario::missing_unit))]
    MissingUnit {
        attribute: String,
        #[source_code]
        src: NamedText,
        #[label("a number without a unit")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("unknown unit `{unit}`")]
    #[diagnostic(code(treaty::scenario::unknown_unit))]
    UnknownUnit {
        unit: String,
        #[source_code]
        src: NamedText,
        #[label("not a unit")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is {found}, but `{attribute}` is {expected}")]
    #[diagnostic(code(treaty::scenario::wrong_unit))]
    WrongUnit {
        text: String,
        found: String,
        attribute: String,
        expected: String,
        #[source_code]
        src: NamedText,
        #[label("unit of {found}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{text}` is not {expected}")]
    #[diagnostic(code(treaty::scenario::invalid_number))]
    InvalidNumber {
        text: String,
        expected: String,
        #[source_code]
        src: NamedText,
        #[label("not {expected}")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` cannot be negative")]
    #[diagnostic(code(treaty::scenario::negative_number))]
    NegativeNumber {
        key: String,
        text: String,
        #[source_code]
        src: NamedText,
        #[label("`{text}` is negative")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("`{key}` must be a whole number")]
    #[diagnostic(code(treaty::scenario::not_an_integer))]
    NotAnInteger {
        key: String,
        text: String,
        #[source_code]
        src: NamedText,
        #[label("`{text}` has a fraction")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("interval `{text}` runs backwards")]
    #[diagnostic(code(treaty::scenario::inverted_interval))]
    InvertedInterval {
        text: String,
        #[source_code]
        src: NamedText,
        #[label("the lower bound is larger than the upper bound")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("two holdings are named `{name}`")]
    #[diagnostic(
        code(treaty::scenario::duplicate_holding),
        help(
            "holding names must be unique; rename one of them, or merge the two into one holding"
        )
    )]
    DuplicateHolding {
        name: String,
        #[source_code]
        src: NamedText,
        #[label(primary, "named again here")]
        span: SourceSpan,
        #[label("first named here")]
        first: SourceSpan,
    },
}

pub(crate) use crate::diagnostics::{closest as did_you_mean, help_with, list};
