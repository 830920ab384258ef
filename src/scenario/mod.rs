//! Scenarios: the forces of each party at a date, read from TOML or JSON and validated
//! against a position's vocabulary.
//!
//! [`raw`] reads the notation into a value tree with spans; the loader (`load.rs`) walks
//! that tree, reading each value (`attribute.rs`, with `number.rs` for numbers, counts and
//! quantities) and reporting every problem at once as a [`ScenarioError`].

mod attribute;
mod declared;
mod err;
mod load;
mod number;
pub mod raw;
#[cfg(test)]
#[expect(
    clippy::arithmetic_side_effects,
    reason = "tests do arithmetic on small known numbers"
)]
mod tests;

pub use err::{Code, ScenarioError};

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostics::Problem;
use crate::files::{self, ReadError};
use crate::interval::Interval;
use crate::model::{Date, Model, PackageState};
use crate::span::{SourceFile, Span};

use load::Loader;
use raw::{Format, SyntaxKind};

/// A validated scenario: every name resolved against the model it was loaded for.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// `title` of `scenario`.
    pub title: String,
    /// The date the forces are counted at.
    pub date: Date,
    /// Where the numbers come from, when the scenario says.
    pub source: Option<String>,
    /// Indices into `Model::parties`, in the order the scenario lists them.
    pub parties: Vec<usize>,
    /// By package index of the model.
    pub packages: Vec<PackageState>,
    /// The weapon types, in file order.
    pub types: Vec<WeaponType>,
    /// The holdings, in file order.
    pub holdings: Vec<Holding>,
    /// The figures the parties declared (`[declared.PARTY]`), in file order.
    pub declared: Vec<Declared>,
    /// The scenario file, for diagnostics that point into it.
    #[serde(skip)]
    pub file: SourceFile,
}

/// A weapon type of `types`, with what the scenario says of each type attribute.
#[derive(Debug, Clone, Serialize)]
pub struct WeaponType {
    /// Its name, the key under `types`.
    pub name: String,
    /// By type attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    /// Where its name is written.
    #[serde(skip)]
    pub span: Span,
}

/// What one party holds of one kind: a count and what the scenario says of each holding
/// attribute.
#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    /// Index into `Model::parties`.
    pub party: usize,
    /// Its name, unique in the scenario. Shared with the report's contributors, which name
    /// the holding for every term that counts it.
    pub name: Arc<str>,
    /// How many, exactly or as an interval.
    pub count: Interval,
    /// By holding attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    /// Where the figures of this holding come from, when the scenario says (`source`).
    pub source: Option<String>,
    /// The count or the attributes are an estimate, not a verified figure (`estimated`).
    pub estimated: bool,
    /// The whole holding as written.
    #[serde(skip)]
    pub span: Span,
}

/// A figure a party declared for one provision (`[declared.USA] launchers = "798..800"`): it
/// is reported beside the quantity computed from the holdings, never instead of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declared {
    /// Index into `Model::parties`.
    pub party: usize,
    /// The id of the provision, as written; a position without it ignores it with a warning.
    pub provision: String,
    /// The figure: exact, or a closed interval.
    pub figure: Interval,
    /// Where the id is written.
    #[serde(skip)]
    pub span: Span,
}

/// What a scenario says of one attribute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The scenario does not mention it: as unknown as `"unknown"`, but reported differently.
    NotStated,
    /// Written as `"unknown"`.
    Unknown,
    /// `true` or `false`.
    Bool(bool),
    /// Integers and quantities (in the base unit of the dimension); `min == max` when exact.
    Number {
        /// The lower bound.
        min: f64,
        /// The upper bound.
        max: f64,
    },
    /// A calendar date.
    Date(Date),
    /// Index into the enumeration's values.
    Enum(usize),
    /// Index into `Facts::types`.
    Reference(usize),
    /// Indices into `Facts::types`.
    List(Vec<usize>),
}

/// The largest scenario file read, in bytes: 1 GiB. A JSON scenario's holdings are read one at
/// a time, so memory grows with the facts loaded, not with the notation's tree.
pub const MAX_FILE_SIZE: u64 = 1 << 30;

/// The largest TOML scenario file read, in bytes: 16 MiB. A TOML file is parsed whole, and its
/// tree takes many times the file's size: real data of millions of holdings is JSON.
pub const MAX_TOML_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The most holdings a scenario may have.
pub const MAX_HOLDINGS: usize = 2_000_000;

/// The largest file read for a scenario in `format`.
pub fn max_file_size(format: Format) -> u64 {
    match format {
        Format::Toml => MAX_TOML_FILE_SIZE,
        Format::Json => MAX_FILE_SIZE,
    }
}

/// The most problems one scenario reports; those past it are counted, in one last diagnostic
/// (`treaty::scenario::too_many_problems`), so that a file of a million mistakes cannot take
/// the memory of a million diagnostics.
pub const MAX_PROBLEMS: usize = 10_000;

/// The most tokens (keys, values, punctuation, runs of blanks, line ends, comments) a TOML
/// scenario may have, each `[`, `{` or `.` counting [`TOML_TABLE_WEIGHT`]. The `toml` crate
/// holds every token and the whole tree at once: up to 77 bytes a token (`x = [1,1,1,…]`) and
/// 1.4 KB a table (`k.a.a.a.a = 1`), so a 16 MiB TOML file took up to 1.4 GB. Under this
/// limit a TOML scenario loads in under 200 MB; about 20 000 holdings written one key a line
/// fit in it. Large scenarios belong in JSON, whose reader keeps no tokens.
pub const MAX_TOML_TOKENS: usize = 2_000_000;

/// What a `[`, `{` or `.` counts towards [`MAX_TOML_TOKENS`]: each may open a table, which
/// takes `toml` about as much memory as twenty tokens.
pub const TOML_TABLE_WEIGHT: usize = 20;

/// The keys of a scenario file's top level.
const TOP_KEYS: &[&str] = &["scenario", "packages", "types", "holdings", "declared"];
/// The keys of `[scenario]`.
const SCENARIO_KEYS: &[&str] = &["title", "date", "source", "parties"];
/// The keys of every holding, whatever the vocabulary.
const HOLDING_KEYS: &[&str] = &["party", "name", "count", "source", "estimated"];
/// The word for a value nobody knows.
const UNKNOWN: &str = "unknown";

/// The notation of a scenario file, by its name: `.json` is JSON, anything else TOML.
pub fn format_of(name: &str) -> Format {
    if name.to_ascii_lowercase().ends_with(".json") {
        Format::Json
    } else {
        Format::Toml
    }
}

/// Read a scenario file and validate it against `model`'s vocabulary, parties and packages.
///
/// Every problem in the file is reported, each pointing at the offending value or key.
pub fn load_path(path: &Path, model: &Model) -> Result<Facts, Vec<ScenarioError>> {
    let shown = path.display().to_string();
    let limit = max_file_size(format_of(&shown));
    let bytes = files::read(path, limit).map_err(|err| {
        vec![match err {
            ReadError::Io(err) => unreadable(&shown, io_reason(&err)),
            ReadError::Folder => unreadable(&shown, "it is a folder, not a file"),
            ReadError::NotRegular(kind) => {
                unreadable(&shown, format!("it is {kind}, not a regular file"))
            }
            ReadError::TooLarge(size) => too_large(&shown, size, limit),
        }]
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let reason = format!(
            "it is not UTF-8 text (byte {} is not valid)",
            err.utf8_error().valid_up_to()
        );
        vec![unreadable(&shown, reason)]
    })?;
    load(&SourceFile::new(shown.clone(), text), model)
}

/// Validate a scenario held in memory against `model`. The notation is chosen by the file's
/// name (see [`format_of`]).
pub fn load(file: &SourceFile, model: &Model) -> Result<Facts, Vec<ScenarioError>> {
    let size = u64::try_from(file.text.len()).unwrap_or(u64::MAX);
    let format = format_of(&file.name);
    let limit = max_file_size(format);
    if size > limit {
        return Err(vec![too_large(&file.name, size, limit)]);
    }
    if format == Format::Toml {
        if let Some(beyond) = raw::toml_token(&file.text, MAX_TOML_TOKENS, TOML_TABLE_WEIGHT) {
            return Err(vec![toml_too_large(file, beyond)]);
        }
    }
    // The holdings of a JSON scenario are read one at a time, after the weapon types they
    // name. A file with a syntax error is read whole, so that its holdings' mistakes are
    // reported beside it; unless it is large (a whole tree takes about ten times the file):
    // then its syntax errors and the mistakes outside its holdings are what is reported.
    let (tree, syntax, deferred) = match raw::parse_deferring_holdings(&file.text, format) {
        (_, syntax, Some(_)) if !syntax.is_empty() && size <= MAX_TOML_FILE_SIZE => {
            let (tree, syntax) = raw::parse(&file.text, format);
            (tree, syntax, None)
        }
        (tree, syntax, Some(_)) if !syntax.is_empty() => (tree, syntax, None),
        parsed => parsed,
    };
    let mut loader = Loader::new(file, model, format, !syntax.is_empty());
    loader.deferred = deferred;
    let syntax_spans: Vec<Span> = syntax.iter().map(|err| err.span).collect();
    // A file that is plainly something else (JSON read as TOML, a rule file) gets one
    // error that says so, not one for every line that is not what the notation expects.
    if let (Some(hint), Some(first)) = (misnamed(&file.text, format), syntax.first()) {
        let error = syntax_error(file, first.message.clone(), file.visible(first.span));
        return Err(vec![error.with_help(hint)]);
    }
    let mut errors: Vec<ScenarioError> = syntax
        .into_iter()
        .map(|err| match err.kind {
            SyntaxKind::Notation => syntax_error(file, err.message, file.visible(err.span)),
            SyntaxKind::InvalidDate => no_such_day(file, err.message, file.visible(err.span)),
        })
        .collect();
    let facts = tree.as_ref().and_then(|root| loader.document(root));
    let unrecorded = loader.unrecorded;
    let mut semantic = loader.errors;
    // A value that contains a syntax error was read by guesswork: what is wrong with it is
    // the syntax error, not what the guess made of it.
    semantic.retain(|(span, _)| !syntax_spans.iter().any(|bad| span.overlaps(*bad)));
    semantic.sort_by_key(|(span, _)| span.start);
    if unrecorded > 0 {
        // First, so that it is seen even when only the first diagnostics are shown.
        errors.insert(0, too_many_problems(unrecorded));
    }
    errors.extend(semantic.into_iter().map(|(_, err)| err));
    match facts {
        Some(facts) if errors.is_empty() => Ok(facts),
        _ if errors.is_empty() => Err(vec![syntax_error(
            file,
            "the scenario could not be read".to_owned(),
            Span::point(0),
        )]),
        _ => Err(errors),
    }
}

/// What a scenario that does not parse seems to be instead, when it is plain: JSON in a file
/// read as TOML (not named `.json`), or a rule file given where the scenario belongs.
fn misnamed(text: &str, format: Format) -> Option<String> {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    // A rule file's comments come first.
    let code = start
        .lines()
        .map(str::trim_start)
        .find(|line| !line.is_empty() && !line.starts_with("//"))
        .unwrap_or("");
    let first_word = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if crate::lang::DocumentKind::parse(first_word).is_some() && start.contains('{') {
        return Some(
            "this looks like a rule file, not a scenario (TOML or JSON): `treaty eval RULES \
             SCENARIO` takes the rule file first, then the scenario"
                .to_owned(),
        );
    }
    if format == Format::Toml && (start.starts_with('{') || start.starts_with("[{")) {
        return Some(
            "this looks like JSON: a scenario is read as JSON only from a file named `*.json`; \
             rename the file"
                .to_owned(),
        );
    }
    None
}

/// `treaty::scenario::syntax`: the TOML or JSON itself is wrong at `span`.
fn syntax_error(file: &SourceFile, message: String, span: Span) -> ScenarioError {
    Problem::new(Code::Syntax, message)
        .within(file.named())
        .also(span, "here")
}

/// `treaty::scenario::invalid_date`: a TOML date literal at `span` names no day of the
/// calendar (`1978-11-31`); toml refuses it as syntax, but the mistake is the date's.
fn no_such_day(file: &SourceFile, message: String, span: Span) -> ScenarioError {
    let written = file.text.get(span.range()).unwrap_or_default();
    let numbers: Vec<u32> = written
        .split('-')
        .map(|part| part.parse::<u32>().unwrap_or(0))
        .collect();
    let (label, help) = match numbers.as_slice() {
        [year, month @ 1..=12, _] => {
            let year = i32::try_from(*year).unwrap_or(0);
            let month = u8::try_from(*month).unwrap_or(1);
            let days = (28..=31u8)
                .rev()
                .find(|&day| Date::new(year, month, day).is_some())
                .unwrap_or(28);
            let help = format!(
                "{year:04}-{month:02} has {days} days; write a day of the calendar as YYYY-MM-DD"
            );
            ("no such day", help)
        }
        [_, _, _] => (
            "no such month",
            "months are 01 to 12; write the date as YYYY-MM-DD, e.g. `1979-06-18`".to_owned(),
        ),
        _ => (
            "not a date",
            "write the date as YYYY-MM-DD, e.g. `1979-06-18`".to_owned(),
        ),
    };
    Problem::new(Code::InvalidDate, message)
        .within(file.named())
        .also(span, label)
        .with_help(help)
}

/// `treaty::scenario::too_many_problems`: `more` problems past [`MAX_PROBLEMS`] were found.
fn too_many_problems(more: usize) -> ScenarioError {
    Problem::new(
        Code::TooManyProblems,
        format!(
            "the scenario has more than {MAX_PROBLEMS} problems: the first {MAX_PROBLEMS} are \
             reported, {more} more are not"
        ),
    )
    .with_help("fix what repeats them, and load the scenario again")
}

/// `treaty::scenario::io`: the file at `path` cannot be read, for `reason`.
fn unreadable(path: &str, reason: impl std::fmt::Display) -> ScenarioError {
    Problem::new(Code::Io, format!("cannot read scenario `{path}`: {reason}"))
}

/// `treaty::scenario::too_large`: the file at `path` is `size` bytes, over the `limit`.
fn too_large(path: &str, size: u64, limit: u64) -> ScenarioError {
    let help = if limit < MAX_FILE_SIZE {
        "write large scenarios in JSON (up to 1 GiB), split the scenario, or group holdings that are counted alike"
    } else {
        "split the scenario, or group holdings that are counted alike"
    };
    Problem::new(
        Code::TooLarge,
        format!("scenario `{path}` is {size} bytes, more than the limit of {limit} bytes"),
    )
    .with_help(help)
}

/// `treaty::scenario::toml_too_large`: the TOML scenario has more than [`MAX_TOML_TOKENS`]
/// tokens; `beyond` is the first one past the limit.
fn toml_too_large(file: &SourceFile, beyond: Span) -> ScenarioError {
    Problem::new(
        Code::TomlTooLarge,
        format!(
            "this TOML scenario is too large to read: it has more than {MAX_TOML_TOKENS} \
             tokens (keys, values, punctuation, line ends; each `[`, `{{` or `.` counting \
             {TOML_TABLE_WEIGHT}, for the table it may open)"
        ),
    )
    .within(file.named())
    .also(file.visible(beyond), "the limit is reached here")
    .with_help(
        "write a scenario this large as JSON (the same keys and values, in a file named \
         `*.json`): JSON scenarios have no such limit",
    )
}

/// An I/O error in words, without the operating system's error numbers.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        _ => files::io_reason(err),
    }
}
