//! Scenarios: the forces of each party at a date, read from TOML or JSON and validated
//! against a position's vocabulary.
//!
//! [`raw`] reads the notation into a value tree with spans; the loader (`load.rs`) walks
//! that tree, reading each value (`attribute.rs`, with `number.rs` for numbers, counts and
//! quantities) and reporting every problem at once as a [`ScenarioError`].

mod attribute;
mod err;
mod load;
mod number;
pub mod raw;
#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests;

pub use err::{Code, ScenarioError};

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::Problem;
use crate::files::{self, ReadError};
use crate::interval::Interval;
use crate::model::{Date, Model, PackageState};
use crate::span::{SourceFile, Span};

use load::Loader;
use raw::Format;

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
    /// Its name, unique in the scenario.
    pub name: String,
    /// How many, exactly or as an interval.
    pub count: Interval,
    /// By holding attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    /// The whole holding as written.
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

/// The largest scenario file read, in bytes.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The most holdings a scenario may have.
pub const MAX_HOLDINGS: usize = 100_000;

/// The most problems one scenario reports; those past it are counted, in one last diagnostic
/// (`treaty::scenario::too_many_problems`), so that a file of a million mistakes cannot take
/// the memory of a million diagnostics.
pub const MAX_PROBLEMS: usize = 10_000;

/// The keys of a scenario file's top level.
const TOP_KEYS: &[&str] = &["scenario", "packages", "types", "holdings"];
/// The keys of `[scenario]`.
const SCENARIO_KEYS: &[&str] = &["title", "date", "source", "parties"];
/// The keys of every holding, whatever the vocabulary.
const HOLDING_KEYS: &[&str] = &["party", "name", "count"];
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
    let bytes = files::read(path, MAX_FILE_SIZE).map_err(|err| {
        vec![match err {
            ReadError::Io(err) => unreadable(&shown, io_reason(&err)),
            ReadError::Folder => unreadable(&shown, "it is a folder, not a file"),
            ReadError::NotRegular(kind) => {
                unreadable(&shown, format!("it is {kind}, not a regular file"))
            }
            ReadError::TooLarge(size) => too_large(&shown, size),
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
    if size > MAX_FILE_SIZE {
        return Err(vec![too_large(&file.name, size)]);
    }
    let format = format_of(&file.name);
    let (tree, syntax) = raw::parse(&file.text, format);
    let mut loader = Loader::new(file, model, format, !syntax.is_empty());
    let syntax_spans: Vec<Span> = syntax.iter().map(|err| err.span).collect();
    let mut errors: Vec<ScenarioError> = syntax
        .into_iter()
        .map(|err| syntax_error(file, err.message, file.visible(err.span)))
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

/// `treaty::scenario::syntax`: the TOML or JSON itself is wrong at `span`.
fn syntax_error(file: &SourceFile, message: String, span: Span) -> ScenarioError {
    Problem::new(Code::Syntax, message)
        .within(file.named())
        .also(span, "here")
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

/// `treaty::scenario::too_large`: the file at `path` is `size` bytes, over the limit.
fn too_large(path: &str, size: u64) -> ScenarioError {
    Problem::new(
        Code::TooLarge,
        format!("scenario `{path}` is {size} bytes, more than the limit of {MAX_FILE_SIZE} bytes"),
    )
    .with_help("split the scenario, or group holdings that are counted alike")
}

/// An I/O error in words, without the operating system's error numbers.
fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        _ => files::io_reason(err),
    }
}
