//! Scenarios: the forces of each party at a date, read from TOML or JSON and validated
//! against a position's vocabulary.

mod err;
pub mod raw;

pub use err::ScenarioError;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use miette::SourceSpan;
use serde::Serialize;

use crate::interval::Interval;
use crate::lang::PackageStatus;
use crate::model::{
    AttributeDef, AttributeType, Date, Dimension, Model, PackageState, UNITS, Unit,
};
use crate::span::{SourceFile, Span};

use err::{did_you_mean, help_with, list};
use raw::{Entry, Format, Value, ValueKind};

/// A validated scenario: every name resolved against the model it was loaded for.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    pub title: String,
    pub date: Date,
    pub source: Option<String>,
    /// Indices into `Model::parties`, in the order the scenario lists them.
    pub parties: Vec<usize>,
    /// By package index of the model.
    pub packages: Vec<PackageState>,
    pub types: Vec<WeaponType>,
    pub holdings: Vec<Holding>,
    #[serde(skip)]
    pub file: SourceFile,
}

#[derive(Debug, Clone, Serialize)]
pub struct WeaponType {
    pub name: String,
    /// By type attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Serialize)]
pub struct Holding {
    /// Index into `Model::parties`.
    pub party: usize,
    pub name: String,
    pub count: Interval,
    /// By holding attribute slot of the vocabulary.
    pub attributes: Vec<Fact>,
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
    Bool(bool),
    /// Integers and quantities (in the base unit of the dimension); `min == max` when exact.
    Number {
        min: f64,
        max: f64,
    },
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
    let io_error = |err: &std::io::Error| {
        vec![ScenarioError::Io {
            path: shown.clone(),
            reason: io_reason(err),
        }]
    };
    let too_large = |size: u64| {
        vec![ScenarioError::TooLarge {
            path: shown.clone(),
            size,
            limit: MAX_FILE_SIZE,
        }]
    };
    let file = std::fs::File::open(path).map_err(|err| io_error(&err))?;
    let known_size = match file.metadata() {
        Ok(meta) if meta.is_dir() => {
            return Err(vec![ScenarioError::Io {
                path: shown.clone(),
                reason: "it is a folder, not a file".to_owned(),
            }]);
        }
        Ok(meta) if meta.is_file() => Some(meta.len()),
        _ => None,
    };
    if let Some(size) = known_size.filter(|&size| size > MAX_FILE_SIZE) {
        return Err(too_large(size));
    }
    // The size may change, or not be known at all (a pipe): never read past the limit.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_SIZE.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| io_error(&err))?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > MAX_FILE_SIZE {
        return Err(too_large(known_size.unwrap_or(read).max(read)));
    }
    let text = String::from_utf8(bytes).map_err(|err| {
        vec![ScenarioError::Io {
            path: shown.clone(),
            reason: format!(
                "it is not UTF-8 text (byte {} is not valid)",
                err.utf8_error().valid_up_to()
            ),
        }]
    })?;
    load(&SourceFile::new(shown.clone(), text), model)
}

/// Validate a scenario held in memory against `model`. The notation is chosen by the file's
/// name (see [`format_of`]).
pub fn load(file: &SourceFile, model: &Model) -> Result<Facts, Vec<ScenarioError>> {
    let size = u64::try_from(file.text.len()).unwrap_or(u64::MAX);
    if size > MAX_FILE_SIZE {
        return Err(vec![ScenarioError::TooLarge {
            path: file.name.clone(),
            size,
            limit: MAX_FILE_SIZE,
        }]);
    }
    let format = format_of(&file.name);
    let (tree, syntax) = raw::parse(&file.text, format);
    let mut loader = Loader {
        file,
        model,
        format,
        partial: !syntax.is_empty(),
        errors: Vec::new(),
        types: HashMap::new(),
    };
    let syntax_spans: Vec<Span> = syntax.iter().map(|err| err.span).collect();
    let mut errors: Vec<ScenarioError> = syntax
        .into_iter()
        .map(|err| ScenarioError::Syntax {
            message: err.message,
            src: file.named(),
            span: source_span(&file.visible(err.span)),
            help: None,
        })
        .collect();
    let facts = tree.as_ref().and_then(|root| loader.document(root));
    let mut semantic = loader.errors;
    // A value that contains a syntax error was read by guesswork: what is wrong with it is
    // the syntax error, not what the guess made of it.
    semantic.retain(|(span, _)| !syntax_spans.iter().any(|bad| span.overlaps(*bad)));
    semantic.sort_by_key(|(span, _)| span.start);
    errors.extend(semantic.into_iter().map(|(_, err)| err));
    match facts {
        Some(facts) if errors.is_empty() => Ok(facts),
        _ if errors.is_empty() => Err(vec![ScenarioError::Syntax {
            message: "the scenario could not be read".to_owned(),
            src: file.named(),
            span: SourceSpan::from((0, 0)),
            help: None,
        }]),
        _ => Err(errors),
    }
}

/// An I/O error in words, without the operating system's error numbers.
fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "it is a folder, not a file".to_owned(),
        ErrorKind::InvalidData => "it is not UTF-8 text".to_owned(),
        _ => {
            let text = err.to_string();
            let text = match text.find(" (os error") {
                Some(at) => text.get(..at).unwrap_or_default().to_owned(),
                None => text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => "the file could not be read".to_owned(),
            }
        }
    }
}

fn source_span(span: &Span) -> SourceSpan {
    SourceSpan::from(*span)
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The units of one dimension.
fn units_of(dimension: Dimension) -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .filter(move |u| u.dimension == dimension)
        .map(|u| u.symbol)
}

/// What went wrong reading a whole number or an interval of whole numbers.
enum NumberError {
    Invalid,
    Negative,
    Fraction,
    TooLarge,
    /// `a..b` with `a > b`.
    Inverted,
    /// `a..unknown` where an upper bound is needed.
    OpenEnded,
}

/// What went wrong reading a quantity.
enum QuantityError {
    Invalid,
    Negative,
    MissingUnit,
    UnknownUnit(String),
    WrongUnit(Unit),
    Inverted,
}

/// A whole number written as text.
fn parse_whole(text: &str) -> Result<u64, NumberError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NumberError::Invalid);
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse::<u64>().map_err(|_| NumberError::TooLarge);
    }
    if !text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.') {
        return Err(NumberError::Invalid);
    }
    match text.parse::<f64>() {
        Ok(number) if number.is_finite() => whole_from_float(number),
        _ => Err(NumberError::Invalid),
    }
}

/// The largest whole number a float holds exactly.
const MAX_EXACT_FLOAT: f64 = 9_007_199_254_740_992.0;

fn whole_from_float(number: f64) -> Result<u64, NumberError> {
    if !number.is_finite() {
        Err(NumberError::Invalid)
    } else if number < 0.0 && number != 0.0 {
        Err(NumberError::Negative)
    } else if number.fract() != 0.0 {
        Err(NumberError::Fraction)
    } else if number > MAX_EXACT_FLOAT {
        Err(NumberError::TooLarge)
    } else {
        // Whole, non-negative and at most 2^53: the conversion is exact.
        Ok(number as u64)
    }
}

/// `"550"`, `"140..160"`, `"140..unknown"` (when `open_ended`) or `"unknown"`.
fn parse_count_text(text: &str, open_ended: bool) -> Result<Interval, NumberError> {
    let trimmed = text.trim();
    if trimmed == UNKNOWN {
        return Ok(Interval::UNKNOWN);
    }
    let Some((low, high)) = trimmed.split_once("..") else {
        return parse_whole(trimmed).map(Interval::exact);
    };
    if high.starts_with('.') || high.contains("..") {
        return Err(NumberError::Invalid);
    }
    let low = parse_whole(low)?;
    if high.trim() == UNKNOWN {
        return if open_ended {
            Ok(Interval {
                min: low,
                max: None,
            })
        } else {
            Err(NumberError::OpenEnded)
        };
    }
    let high = parse_whole(high)?;
    Interval::new(low, high).ok_or(NumberError::Inverted)
}

/// A number and an optional unit: `"13000 km"`, `"13000km"`, `"13000"`.
fn parse_amount(text: &str) -> Result<(f64, Option<&str>), QuantityError> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(text.len());
    let (Some(number), Some(rest)) = (text.get(..split), text.get(split..)) else {
        return Err(QuantityError::Invalid);
    };
    let number: f64 = match number.parse::<f64>() {
        Ok(number) if number.is_finite() => number,
        _ => return Err(QuantityError::Invalid),
    };
    let rest = rest.trim();
    if rest.is_empty() {
        Ok((number, None))
    } else if rest.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok((number, Some(rest)))
    } else {
        Err(QuantityError::Invalid)
    }
}

/// The factor to the base unit of `expected`'s dimension.
fn unit_factor(symbol: &str, expected: Unit) -> Result<f64, QuantityError> {
    let found =
        crate::model::unit(symbol).ok_or_else(|| QuantityError::UnknownUnit(symbol.to_owned()))?;
    if found.dimension == expected.dimension {
        Ok(found.factor)
    } else {
        Err(QuantityError::WrongUnit(found))
    }
}

/// `"13000 km"`, `"2200..5500 km"` or `"2200 km..5500 km"`, in the base unit.
fn parse_quantity(text: &str, expected: Unit) -> Result<(f64, f64), QuantityError> {
    let (low, high) = match text.split_once("..") {
        Some((low, high)) if !high.starts_with('.') && !high.contains("..") => (low, Some(high)),
        Some(_) => return Err(QuantityError::Invalid),
        None => (text, None),
    };
    let (low_number, low_unit) = parse_amount(low)?;
    let Some(high) = high else {
        let symbol = low_unit.ok_or(QuantityError::MissingUnit)?;
        let factor = unit_factor(symbol, expected)?;
        if low_number < 0.0 {
            return Err(QuantityError::Negative);
        }
        let value = low_number * factor;
        return Ok((value, value));
    };
    let (high_number, high_unit) = parse_amount(high)?;
    let high_symbol = high_unit.ok_or(QuantityError::MissingUnit)?;
    let low_factor = unit_factor(low_unit.unwrap_or(high_symbol), expected)?;
    let high_factor = unit_factor(high_symbol, expected)?;
    if low_number < 0.0 || high_number < 0.0 {
        return Err(QuantityError::Negative);
    }
    let (min, max) = (low_number * low_factor, high_number * high_factor);
    if min > max {
        return Err(QuantityError::Inverted);
    }
    Ok((min, max))
}

/// The header of a scenario, as far as it could be read.
#[derive(Default)]
struct Header {
    title: Option<String>,
    date: Option<Date>,
    source: Option<String>,
    /// `None` when the list is missing or names anything that is not a party.
    parties: Option<Vec<usize>>,
}

/// Walks the value tree, resolving names against the model and collecting every problem.
struct Loader<'a> {
    file: &'a SourceFile,
    model: &'a Model,
    format: Format,
    /// The file had syntax errors, so parts of the tree may be missing: absent fields are
    /// not reported, they may have been lost to the syntax error.
    partial: bool,
    /// Problems, with the span they point at.
    errors: Vec<(Span, ScenarioError)>,
    /// Weapon type names to their index in `Facts::types`.
    types: HashMap<String, usize>,
}

impl Loader<'_> {
    fn src(&self) -> crate::span::NamedText {
        self.file.named()
    }

    fn report(&mut self, span: &Span, err: ScenarioError) {
        self.errors.push((*span, err));
    }

    /// The first line of a span: where to point for "missing here" on a whole table.
    fn head(&self, span: &Span) -> Span {
        let text = self.file.text.get(span.range()).unwrap_or_default();
        let end = text.find(['\n', '\r']).unwrap_or(text.len());
        let end = text.get(..end).unwrap_or_default().trim_end().len();
        Span::new(span.start, span.start.saturating_add(end))
    }

    /// How a value is named in "expected …, found …".
    fn describe(&self, value: &Value) -> String {
        match &value.kind {
            ValueKind::String(text) if text.chars().count() <= 40 => format!("the string `{text}`"),
            ValueKind::String(_) => "a string".to_owned(),
            ValueKind::Integer(number) => format!("the number `{number}`"),
            ValueKind::Float(number) => format!("the number `{number}`"),
            ValueKind::Bool(value) => format!("`{value}`"),
            ValueKind::Date { .. } => "a date".to_owned(),
            ValueKind::OtherDatetime(_) => "a date and time".to_owned(),
            ValueKind::Array(_) => "a list".to_owned(),
            ValueKind::Table(_) => match self.format {
                Format::Toml => "a table".to_owned(),
                Format::Json => "an object".to_owned(),
            },
        }
    }

    fn table_word(&self) -> &'static str {
        match self.format {
            Format::Toml => "a table",
            Format::Json => "an object",
        }
    }

    fn wrong_type(&mut self, key: &str, expected: &str, value: &Value, help: Option<String>) {
        let err = ScenarioError::WrongType {
            key: key.to_owned(),
            expected: expected.to_owned(),
            found: self.describe(value),
            src: self.src(),
            span: source_span(&value.span),
            help,
        };
        self.report(&value.span, err);
    }

    fn unknown_key(&mut self, entry: &Entry, place: &str, candidates: &[&str]) {
        let suggestion = did_you_mean(&entry.key, candidates.iter().copied());
        let help = if suggestion.is_some() {
            help_with(suggestion, "")
        } else if candidates.is_empty() {
            format!("{place} takes no keys")
        } else {
            format!(
                "the keys of {place} are {}",
                list(candidates.iter().copied(), 20)
            )
        };
        let err = ScenarioError::UnknownKey {
            key: entry.key.clone(),
            place: place.to_owned(),
            src: self.src(),
            span: source_span(&entry.key_span),
            help: Some(help),
        };
        self.report(&entry.key_span, err);
    }

    fn missing(&mut self, field: &str, place: &str, at: &Span, help: String) {
        if self.partial {
            return;
        }
        let span = self.head(at);
        let err = ScenarioError::MissingField {
            field: field.to_owned(),
            place: place.to_owned(),
            src: self.src(),
            span: source_span(&span),
            help: Some(help),
        };
        self.report(&span, err);
    }

    /// The entries of a table value, or a `wrong_type` error.
    fn table<'v>(
        &mut self,
        key: &str,
        value: &'v Value,
        help: Option<String>,
    ) -> Option<&'v [Entry]> {
        match &value.kind {
            ValueKind::Table(entries) => Some(entries),
            _ => {
                let expected = self.table_word();
                self.wrong_type(key, expected, value, help);
                None
            }
        }
    }

    fn string<'v>(&mut self, key: &str, value: &'v Value) -> Option<&'v str> {
        match &value.kind {
            ValueKind::String(text) => Some(text),
            _ => {
                self.wrong_type(key, "a string", value, None);
                None
            }
        }
    }

    fn document(&mut self, root: &Value) -> Option<Facts> {
        let entries = self.table("the scenario file", root, None)?;
        let mut scenario = None;
        let mut packages = None;
        let mut types = None;
        let mut holdings = None;
        for entry in entries {
            match entry.key.as_str() {
                "scenario" => scenario = Some(entry),
                "packages" => packages = Some(entry),
                "types" => types = Some(entry),
                "holdings" => holdings = Some(entry),
                // After a syntax error the parser may leave keys of a broken table at the
                // top level: not the writer's mistake, and already reported.
                _ if self.partial => {}
                _ => self.unknown_key(entry, "the scenario file", TOP_KEYS),
            }
        }
        // Types first: holdings and types refer to them wherever they are in the file.
        let type_entries = types
            .map(|entry| self.type_names(entry))
            .unwrap_or_default();
        let header = match scenario {
            Some(entry) => self.header(entry),
            None => {
                let help = match self.format {
                    Format::Toml => {
                        "start the file with a `[scenario]` table giving `title`, `date` and `parties`"
                    }
                    Format::Json => {
                        "add a `\"scenario\"` object giving `title`, `date` and `parties`"
                    }
                };
                self.missing(
                    "scenario",
                    "the scenario file",
                    &Span::point(0),
                    help.to_owned(),
                );
                Header::default()
            }
        };
        let packages = self.packages(packages);
        let types: Vec<WeaponType> = type_entries
            .iter()
            .map(|entry| self.weapon_type(entry))
            .collect();
        // No `holdings`: a scenario in which no party holds anything.
        let holdings = match holdings {
            Some(entry) => self.holdings(entry, header.parties.as_deref()),
            None => Vec::new(),
        };
        Some(Facts {
            title: header.title?,
            date: header.date?,
            source: header.source,
            parties: header.parties?,
            packages,
            types,
            holdings: holdings.into_iter().collect::<Option<Vec<Holding>>>()?,
            file: self.file.clone(),
        })
    }

    fn header(&mut self, entry: &Entry) -> Header {
        let mut header = Header::default();
        let Some(entries) = self.table("scenario", &entry.value, None) else {
            return header;
        };
        let (mut has_title, mut has_date, mut has_parties) = (false, false, false);
        for field in entries {
            let value = &field.value;
            match field.key.as_str() {
                "title" => {
                    has_title = true;
                    header.title = self.string("title", value).map(str::to_owned);
                }
                "date" => {
                    has_date = true;
                    header.date = self.date("date", value);
                }
                "source" => header.source = self.string("source", value).map(str::to_owned),
                "parties" => {
                    has_parties = true;
                    header.parties = self.parties(value);
                }
                _ => self.unknown_key(field, "`scenario`", SCENARIO_KEYS),
            }
        }
        let format = self.format;
        let example = move |toml: &str, json: &str| match format {
            Format::Toml => format!("add `{toml}`"),
            Format::Json => format!("add `{json}`"),
        };
        if !has_title {
            let help = example("title = \"…\"", "\"title\": \"…\"");
            self.missing("title", "`scenario`", &entry.key_span, help);
        }
        if !has_date {
            let help = example("date = 1979-06-18", "\"date\": \"1979-06-18\"");
            self.missing("date", "`scenario`", &entry.key_span, help);
        }
        if !has_parties {
            let names: Vec<String> = self
                .model
                .parties
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect();
            let names = names.join(", ");
            let help = example(
                &format!("parties = [{names}]"),
                &format!("\"parties\": [{names}]"),
            );
            self.missing("parties", "`scenario`", &entry.key_span, help);
        }
        header
    }

    fn model_parties_help(&self) -> String {
        if self.model.parties.is_empty() {
            "the position names no parties".to_owned()
        } else {
            format!(
                "the parties of the position are {}",
                list(self.model.parties.iter().map(String::as_str), 20)
            )
        }
    }

    fn parties(&mut self, value: &Value) -> Option<Vec<usize>> {
        let ValueKind::Array(items) = &value.kind else {
            let help = match &value.kind {
                ValueKind::String(text) => Some(format!("write a list: `[\"{text}\"]`")),
                _ => None,
            };
            self.wrong_type("parties", "a list of party names", value, help);
            return None;
        };
        if items.is_empty() && !self.partial {
            let err = ScenarioError::NoParties {
                src: self.src(),
                span: source_span(&value.span),
                help: Some(self.model_parties_help()),
            };
            self.report(&value.span, err);
            return None;
        }
        let mut parties: Vec<(usize, &Span)> = Vec::new();
        let mut valid = true;
        for item in items {
            let ValueKind::String(name) = &item.kind else {
                self.wrong_type("parties", "a party name", item, None);
                valid = false;
                continue;
            };
            let Some(party) = self.model.party(name) else {
                let suggestion = did_you_mean(name, self.model.parties.iter().map(String::as_str));
                let err = ScenarioError::UnknownParty {
                    party: name.clone(),
                    src: self.src(),
                    span: source_span(&item.span),
                    help: Some(help_with(suggestion, &self.model_parties_help())),
                };
                self.report(&item.span, err);
                valid = false;
                continue;
            };
            if let Some((_, first)) = parties.iter().find(|(p, _)| *p == party) {
                let err = ScenarioError::DuplicateParty {
                    party: name.clone(),
                    src: self.src(),
                    span: source_span(&item.span),
                    first: source_span(first),
                };
                self.report(&item.span, err);
                continue;
            }
            parties.push((party, &item.span));
        }
        valid.then(|| parties.into_iter().map(|(party, _)| party).collect())
    }

    fn date(&mut self, key: &str, value: &Value) -> Option<Date> {
        let help = match self.format {
            Format::Toml => "write the date as YYYY-MM-DD, e.g. `1979-06-18`",
            Format::Json => "write the date as a string YYYY-MM-DD, e.g. `\"1979-06-18\"`",
        };
        let (text, reason) = match &value.kind {
            ValueKind::Date { year, month, day } => match Date::new(i32::from(*year), *month, *day)
            {
                Some(date) => return Some(date),
                None => (format!("{year:04}-{month:02}-{day:02}"), "no such day"),
            },
            ValueKind::String(text) => match Date::parse(text.trim()) {
                Some(date) => return Some(date),
                None if looks_like_date(text) => (text.clone(), "no such day"),
                None => (text.clone(), "expected YYYY-MM-DD"),
            },
            ValueKind::OtherDatetime(text) => {
                let err = ScenarioError::InvalidDate {
                    text: text.clone(),
                    src: self.src(),
                    span: source_span(&value.span),
                    reason: "a date and time".to_owned(),
                    help: Some("write the date only, as YYYY-MM-DD".to_owned()),
                };
                self.report(&value.span, err);
                return None;
            }
            _ => {
                self.wrong_type(key, "a date", value, Some(help.to_owned()));
                return None;
            }
        };
        let err = ScenarioError::InvalidDate {
            text,
            src: self.src(),
            span: source_span(&value.span),
            reason: reason.to_owned(),
            help: Some(help.to_owned()),
        };
        self.report(&value.span, err);
        None
    }

    fn packages(&mut self, entry: Option<&Entry>) -> Vec<PackageState> {
        let mut states = vec![PackageState::Unknown; self.model.packages.len()];
        let Some(entry) = entry else {
            return states;
        };
        let Some(entries) = self.table("packages", &entry.value, None) else {
            return states;
        };
        for package in entries {
            let index = self.model.package(&package.key);
            if index.is_none() {
                let names = self.model.packages.iter().map(|p| p.name.as_str());
                let suggestion = did_you_mean(&package.key, names.clone());
                let rest = if self.model.packages.is_empty() {
                    "the position defines no packages".to_owned()
                } else {
                    format!("the packages of the position are {}", list(names, 20))
                };
                let err = ScenarioError::UnknownPackage {
                    package: package.key.clone(),
                    src: self.src(),
                    span: source_span(&package.key_span),
                    help: Some(help_with(suggestion, &rest)),
                };
                self.report(&package.key_span, err);
            }
            let value = &package.value;
            let ValueKind::String(text) = &value.kind else {
                let help = Some("write `\"agreed\"`, `\"open\"` or `\"rejected\"`; leave the package out when its state is unknown".to_owned());
                self.wrong_type(&package.key, "a package state", value, help);
                continue;
            };
            let state = match text.as_str() {
                "agreed" => PackageState::Stated(PackageStatus::Agreed),
                "open" => PackageState::Stated(PackageStatus::Open),
                "rejected" => PackageState::Stated(PackageStatus::Rejected),
                UNKNOWN => PackageState::Unknown,
                _ => {
                    let suggestion = did_you_mean(text, ["agreed", "open", "rejected"]);
                    let rest = "a package is `agreed`, `open` or `rejected`; leave it out (or write `unknown`) when its state is not known";
                    let err = ScenarioError::InvalidPackageState {
                        text: text.clone(),
                        src: self.src(),
                        span: source_span(&value.span),
                        help: Some(help_with(suggestion, rest)),
                    };
                    self.report(&value.span, err);
                    continue;
                }
            };
            if let Some(slot) = index.and_then(|index| states.get_mut(index)) {
                *slot = state;
            }
        }
        states
    }

    /// Register the weapon type names, in file order; the entries to read attributes from.
    fn type_names<'v>(&mut self, entry: &'v Entry) -> Vec<&'v Entry> {
        let help = match self.format {
            Format::Toml => {
                Some("write each weapon type as a table: `[types.\"Minuteman III\"]`".to_owned())
            }
            Format::Json => Some(
                "write the weapon types as an object: `\"types\": { \"Minuteman III\": { … } }`"
                    .to_owned(),
            ),
        };
        let Some(entries) = self.table("types", &entry.value, help) else {
            return Vec::new();
        };
        for (index, weapon_type) in entries.iter().enumerate() {
            if weapon_type.key == UNKNOWN {
                let err = ScenarioError::ReservedName {
                    name: weapon_type.key.clone(),
                    src: self.src(),
                    span: source_span(&weapon_type.key_span),
                };
                self.report(&weapon_type.key_span, err);
            }
            // Duplicate keys are syntax errors, so names are unique here.
            self.types.entry(weapon_type.key.clone()).or_insert(index);
        }
        entries.iter().collect()
    }

    fn weapon_type(&mut self, entry: &Entry) -> WeaponType {
        let vocabulary = &self.model.vocabulary;
        let mut attributes = vec![Fact::NotStated; vocabulary.type_attributes.len()];
        let place = format!("weapon type `{}`", entry.key);
        let key = format!("types.{}", entry.key);
        if let Some(entries) = self.table(&key, &entry.value, None) {
            for field in entries {
                let vocabulary = &self.model.vocabulary;
                let Some(slot) = vocabulary.type_attribute(&field.key) else {
                    let names: Vec<&str> = vocabulary
                        .type_attributes
                        .iter()
                        .map(|a| a.name.as_str())
                        .collect();
                    self.unknown_key(field, &place, &names);
                    continue;
                };
                let Some(def) = vocabulary.type_attributes.get(slot) else {
                    continue;
                };
                if let Some(fact) = self.fact(def, &field.value) {
                    if let Some(attribute) = attributes.get_mut(slot) {
                        *attribute = fact;
                    }
                }
            }
        }
        WeaponType {
            name: entry.key.clone(),
            attributes,
            span: entry.key_span,
        }
    }

    /// One `Option` a holding: `None` where the holding has errors.
    fn holdings(&mut self, entry: &Entry, parties: Option<&[usize]>) -> Vec<Option<Holding>> {
        let ValueKind::Array(items) = &entry.value.kind else {
            let help = match self.format {
                Format::Toml => "write each holding as a `[[holdings]]` table",
                Format::Json => {
                    "write the holdings as a list of objects: `\"holdings\": [ { … } ]`"
                }
            };
            self.wrong_type(
                "holdings",
                "a list of holdings",
                &entry.value,
                Some(help.to_owned()),
            );
            return vec![None];
        };
        let mut names: HashMap<String, Span> = HashMap::new();
        let mut holdings = Vec::new();
        for (index, item) in items.iter().enumerate() {
            if index >= MAX_HOLDINGS {
                let span = self.head(&item.span);
                let err = ScenarioError::TooManyHoldings {
                    limit: MAX_HOLDINGS,
                    first_unchecked: index.saturating_add(1),
                    src: self.src(),
                    span: source_span(&span),
                };
                self.report(&span, err);
                holdings.push(None);
                break;
            }
            holdings.push(self.holding(item, parties, &mut names));
        }
        holdings
    }

    fn holding(
        &mut self,
        item: &Value,
        parties: Option<&[usize]>,
        names: &mut HashMap<String, Span>,
    ) -> Option<Holding> {
        let table_help = match self.format {
            Format::Toml => None,
            Format::Json => Some(
                "each holding is an object: `{ \"party\": …, \"name\": …, \"count\": … }`"
                    .to_owned(),
            ),
        };
        let entries = self.table("holdings", item, table_help)?;
        let written_name = entries
            .iter()
            .find_map(|e| match (&e.key[..], &e.value.kind) {
                ("name", ValueKind::String(name)) => Some(name.as_str()),
                _ => None,
            });
        let place = match written_name {
            Some(name) => format!("holding `{name}`"),
            None => "a holding".to_owned(),
        };
        let vocabulary = &self.model.vocabulary;
        let mut attributes = vec![Fact::NotStated; vocabulary.holding_attributes.len()];
        let (mut party, mut name, mut count) = (None, None, None);
        let (mut has_party, mut has_name, mut has_count) = (false, false, false);
        let mut ok = true;
        for field in entries {
            let value = &field.value;
            match field.key.as_str() {
                "party" => {
                    has_party = true;
                    party = self.holding_party(value, parties);
                }
                "name" => {
                    has_name = true;
                    name = self.string("name", value).map(str::to_owned);
                    if let Some(text) = &name {
                        if let Some(first) = names.get(text) {
                            let err = ScenarioError::DuplicateHolding {
                                name: text.clone(),
                                src: self.src(),
                                span: source_span(&value.span),
                                first: source_span(first),
                            };
                            self.report(&value.span, err);
                            ok = false;
                        } else {
                            names.insert(text.clone(), value.span);
                        }
                    }
                }
                "count" => {
                    has_count = true;
                    count = self.count(value);
                }
                key => {
                    let vocabulary = &self.model.vocabulary;
                    let Some(slot) = vocabulary.holding_attribute(key) else {
                        let mut keys: Vec<&str> = HOLDING_KEYS.to_vec();
                        keys.extend(
                            vocabulary
                                .holding_attributes
                                .iter()
                                .map(|a| a.name.as_str()),
                        );
                        self.unknown_key(field, &place, &keys);
                        ok = false;
                        continue;
                    };
                    let Some(def) = vocabulary.holding_attributes.get(slot) else {
                        continue;
                    };
                    match self.fact(def, value) {
                        Some(fact) => {
                            if let Some(attribute) = attributes.get_mut(slot) {
                                *attribute = fact;
                            }
                        }
                        None => ok = false,
                    }
                }
            }
        }
        let format = self.format;
        let example = move |toml: &str, json: &str| match format {
            Format::Toml => format!("add `{toml}`"),
            Format::Json => format!("add `{json}`"),
        };
        if !has_party {
            let first = self.model.parties.first().map_or("…", String::as_str);
            let help = example(
                &format!("party = \"{first}\""),
                &format!("\"party\": \"{first}\""),
            );
            self.missing("party", &place, &item.span, help);
        }
        if !has_name {
            let help = example("name = \"…\"", "\"name\": \"…\"");
            let help = format!("{help}; every holding needs a name of its own");
            self.missing("name", &place, &item.span, help);
        }
        if !has_count {
            let help = example("count = 550", "\"count\": 550");
            let help = format!(
                "{help}; write an interval such as `\"140..160\"` for an estimate, or `\"unknown\"`"
            );
            self.missing("count", &place, &item.span, help);
        }
        if !ok {
            return None;
        }
        Some(Holding {
            party: party?,
            name: name?,
            count: count?,
            attributes,
            span: item.span,
        })
    }

    fn holding_party(&mut self, value: &Value, parties: Option<&[usize]>) -> Option<usize> {
        let name = self.string("party", value)?;
        let listed: Vec<&str> = match parties {
            Some(parties) => parties
                .iter()
                .filter_map(|&p| self.model.parties.get(p))
                .map(String::as_str)
                .collect(),
            None => self.model.parties.iter().map(String::as_str).collect(),
        };
        let rest = if parties.is_some() {
            format!(
                "the parties of the scenario are {}",
                list(listed.iter().copied(), 20)
            )
        } else {
            self.model_parties_help()
        };
        let Some(party) = self.model.party(name) else {
            let suggestion = did_you_mean(name, listed.iter().copied());
            let err = ScenarioError::UnknownParty {
                party: name.to_owned(),
                src: self.src(),
                span: source_span(&value.span),
                help: Some(help_with(suggestion, &rest)),
            };
            self.report(&value.span, err);
            return None;
        };
        if parties.is_some_and(|parties| !parties.contains(&party)) {
            let err = ScenarioError::PartyNotListed {
                party: name.to_owned(),
                src: self.src(),
                span: source_span(&value.span),
                help: Some(format!(
                    "add `{name}` to `parties` in `scenario`, or use one of {}",
                    list(listed.iter().copied(), 20)
                )),
            };
            self.report(&value.span, err);
            return None;
        }
        Some(party)
    }

    /// A value as the writer would quote it: a string's text, or the source of anything else.
    fn written(&self, value: &Value) -> String {
        match &value.kind {
            ValueKind::String(text) => text.clone(),
            _ => self
                .file
                .text
                .get(value.span.range())
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn count(&mut self, value: &Value) -> Option<Interval> {
        let text = self.written(value);
        let result = match &value.kind {
            ValueKind::Integer(number) => u64::try_from(*number)
                .map(Interval::exact)
                .map_err(|_| NumberError::Negative),
            ValueKind::Float(number) => whole_from_float(*number).map(Interval::exact),
            ValueKind::String(written) => parse_count_text(written, true),
            _ => {
                let help = "write a whole number such as `550`, an interval such as `\"140..160\"`, or `\"unknown\"`";
                self.wrong_type("count", "a count", value, Some(help.to_owned()));
                return None;
            }
        };
        match result {
            Ok(count) => Some(count),
            Err(err) => {
                self.number_error(err, "count", "a count", &text, value);
                None
            }
        }
    }

    fn number_error(
        &mut self,
        err: NumberError,
        key: &str,
        expected: &str,
        text: &str,
        value: &Value,
    ) {
        let span = source_span(&value.span);
        let src = self.src();
        let (text, key) = (text.to_owned(), key.to_owned());
        let err = match err {
            NumberError::Invalid => ScenarioError::InvalidNumber {
                text,
                expected: expected.to_owned(),
                src,
                span,
                help: Some(format!(
                    "write a whole number such as `550`, an interval such as `\"140..160\"`, or `\"{UNKNOWN}\"`"
                )),
            },
            NumberError::TooLarge => ScenarioError::InvalidNumber {
                text,
                expected: format!("{expected} this program can hold"),
                src,
                span,
                help: Some(format!("the largest whole number is {}", MAX_EXACT_FLOAT)),
            },
            NumberError::OpenEnded => ScenarioError::InvalidNumber {
                text,
                expected: format!("{expected} with an upper bound"),
                src,
                span,
                help: Some(format!(
                    "give an upper bound, or write `\"{UNKNOWN}\"` if nothing is known"
                )),
            },
            NumberError::Negative => ScenarioError::NegativeNumber {
                key,
                text,
                src,
                span,
                help: Some("counts and sizes are never negative".to_owned()),
            },
            NumberError::Fraction => ScenarioError::NotAnInteger {
                key,
                text,
                src,
                span,
                help: Some(
                    "write a whole number, or an interval such as `\"140..160\"` for an estimate"
                        .to_owned(),
                ),
            },
            NumberError::Inverted => ScenarioError::InvertedInterval {
                help: Some(inverted_help(&text)),
                text,
                src,
                span,
            },
        };
        self.report(&value.span, err);
    }

    /// What a scenario says of one attribute; `None` after reporting a problem.
    fn fact(&mut self, def: &AttributeDef, value: &Value) -> Option<Fact> {
        if let ValueKind::String(text) = &value.kind {
            if text == UNKNOWN {
                return Some(Fact::Unknown);
            }
        }
        let key = def.name.as_str();
        let written = self.written(value);
        match &def.ty {
            AttributeType::Boolean => match &value.kind {
                ValueKind::Bool(b) => Some(Fact::Bool(*b)),
                _ => {
                    let help = match &value.kind {
                        ValueKind::String(text)
                            if matches!(
                                text.to_lowercase().as_str(),
                                "true" | "false" | "yes" | "no"
                            ) =>
                        {
                            let word = if matches!(text.to_lowercase().as_str(), "true" | "yes") {
                                "true"
                            } else {
                                "false"
                            };
                            format!("write `{word}` without quotes")
                        }
                        _ => format!("write `true`, `false` or `\"{UNKNOWN}\"`"),
                    };
                    self.wrong_type(key, "`true` or `false`", value, Some(help));
                    None
                }
            },
            AttributeType::Integer => {
                let result = match &value.kind {
                    ValueKind::Integer(number) => u64::try_from(*number)
                        .map(Interval::exact)
                        .map_err(|_| NumberError::Negative),
                    ValueKind::Float(number) => whole_from_float(*number).map(Interval::exact),
                    ValueKind::String(text) => parse_count_text(text, false),
                    _ => {
                        let help = Some(format!(
                            "write a whole number such as `3`, an interval such as `\"3..10\"`, or `\"{UNKNOWN}\"`"
                        ));
                        self.wrong_type(key, "a whole number", value, help);
                        return None;
                    }
                };
                match result {
                    Ok(Interval {
                        min,
                        max: Some(max),
                    }) => Some(Fact::Number {
                        min: min as f64,
                        max: max as f64,
                    }),
                    Ok(Interval { max: None, .. }) => Some(Fact::Unknown),
                    Err(err) => {
                        self.number_error(err, key, "a whole number", &written, value);
                        None
                    }
                }
            }
            AttributeType::Quantity { unit } => self.quantity(def, *unit, value, &written),
            AttributeType::Date => self.date(key, value).map(Fact::Date),
            AttributeType::Enum { values } => {
                let ValueKind::String(text) = &value.kind else {
                    let help = Some(format!(
                        "write one of {}, or `{UNKNOWN}`, as a string",
                        list(values.iter().map(String::as_str), 30)
                    ));
                    self.wrong_type(key, &def.ty.describe(), value, help);
                    return None;
                };
                if let Some(index) = values.iter().position(|v| v == text) {
                    return Some(Fact::Enum(index));
                }
                let suggestion = did_you_mean(text, values.iter().map(String::as_str));
                let rest = format!(
                    "the values of `{key}` are {}, or `{UNKNOWN}`",
                    list(values.iter().map(String::as_str), 30)
                );
                let err = ScenarioError::UnknownValue {
                    value: text.clone(),
                    attribute: key.to_owned(),
                    src: self.src(),
                    span: source_span(&value.span),
                    help: Some(help_with(suggestion, &rest)),
                };
                self.report(&value.span, err);
                None
            }
            AttributeType::Reference => {
                let ValueKind::String(text) = &value.kind else {
                    self.wrong_type(key, "the name of a weapon type", value, None);
                    return None;
                };
                self.type_reference(text, value).map(Fact::Reference)
            }
            AttributeType::List => {
                let ValueKind::Array(items) = &value.kind else {
                    let help = match &value.kind {
                        ValueKind::String(text) => Some(format!("write a list: `[\"{text}\"]`")),
                        _ => Some(format!(
                            "write a list of weapon type names, `[]` for none, or `\"{UNKNOWN}\"`"
                        )),
                    };
                    self.wrong_type(key, "a list of weapon types", value, help);
                    return None;
                };
                let mut types = Vec::new();
                let mut ok = true;
                for item in items {
                    let ValueKind::String(text) = &item.kind else {
                        self.wrong_type(key, "the name of a weapon type", item, None);
                        ok = false;
                        continue;
                    };
                    match self.type_reference(text, item) {
                        Some(index) => types.push(index),
                        None => ok = false,
                    }
                }
                ok.then_some(Fact::List(types))
            }
        }
    }

    fn type_reference(&mut self, name: &str, value: &Value) -> Option<usize> {
        if let Some(&index) = self.types.get(name) {
            return Some(index);
        }
        let suggestion = did_you_mean(name, self.types.keys().map(String::as_str));
        // Several names may be equally close; the map's order must not decide.
        let suggestion = suggestion.map(str::to_owned);
        let rest = match self.format {
            Format::Toml => format!("define it as `[types.\"{name}\"]`, or write `\"{UNKNOWN}\"`"),
            Format::Json => format!("define it under `\"types\"`, or write `\"{UNKNOWN}\"`"),
        };
        let err = ScenarioError::UnknownType {
            name: name.to_owned(),
            src: self.src(),
            span: source_span(&value.span),
            help: Some(help_with(suggestion.as_deref(), &rest)),
        };
        self.report(&value.span, err);
        None
    }

    fn quantity(
        &mut self,
        def: &AttributeDef,
        unit: Unit,
        value: &Value,
        written: &str,
    ) -> Option<Fact> {
        let key = def.name.as_str();
        let text = match &value.kind {
            ValueKind::String(text) => text.as_str(),
            ValueKind::Integer(_) | ValueKind::Float(_) => {
                let err = ScenarioError::MissingUnit {
                    attribute: key.to_owned(),
                    src: self.src(),
                    span: source_span(&value.span),
                    help: Some(format!(
                        "write the unit, e.g. `{written} {}`, as a string: `\"{written} {}\"`",
                        unit.symbol, unit.symbol
                    )),
                };
                self.report(&value.span, err);
                return None;
            }
            _ => {
                let help = Some(format!(
                    "write a number and a unit, e.g. `\"13000 {}\"`, or `\"{UNKNOWN}\"`",
                    unit.symbol
                ));
                self.wrong_type(key, &def.ty.describe(), value, help);
                return None;
            }
        };
        let err = match parse_quantity(text, unit) {
            Ok((min, max)) => return Some(Fact::Number { min, max }),
            Err(err) => err,
        };
        let span = source_span(&value.span);
        let src = self.src();
        let dimension = unit.dimension.as_str();
        let units = list(units_of(unit.dimension), 20);
        let err = match err {
            QuantityError::Invalid => ScenarioError::InvalidNumber {
                text: text.to_owned(),
                expected: def.ty.describe(),
                src,
                span,
                help: Some(format!(
                    "write a number and a unit, e.g. `13000 {0}`, an interval, e.g. `2200..5500 {0}`, or `{UNKNOWN}`",
                    unit.symbol
                )),
            },
            QuantityError::Negative => ScenarioError::NegativeNumber {
                key: key.to_owned(),
                text: text.to_owned(),
                src,
                span,
                help: Some(format!(
                    "{} {dimension} is never negative",
                    capitalise(article(dimension))
                )),
            },
            QuantityError::MissingUnit => {
                let shown = text.trim();
                ScenarioError::MissingUnit {
                    attribute: key.to_owned(),
                    src,
                    span,
                    help: Some(format!("write the unit, e.g. `{shown} {}`", unit.symbol)),
                }
            }
            QuantityError::UnknownUnit(symbol) => {
                let suggestion = did_you_mean(&symbol, units_of(unit.dimension))
                    .or_else(|| did_you_mean(&symbol, UNITS.iter().map(|u| u.symbol)));
                ScenarioError::UnknownUnit {
                    help: Some(help_with(
                        suggestion,
                        &format!("the units of {dimension} are {units}"),
                    )),
                    unit: symbol,
                    src,
                    span,
                }
            }
            QuantityError::WrongUnit(found) => {
                let found_dimension = found.dimension.as_str();
                ScenarioError::WrongUnit {
                    text: text.to_owned(),
                    found: format!("{} {found_dimension}", article(found_dimension)),
                    attribute: key.to_owned(),
                    expected: format!("{} {dimension}", article(dimension)),
                    src,
                    span,
                    help: Some(format!("use a unit of {dimension}: {units}")),
                }
            }
            QuantityError::Inverted => ScenarioError::InvertedInterval {
                text: text.to_owned(),
                src,
                span,
                help: Some(inverted_help(text)),
            },
        };
        self.report(&value.span, err);
        None
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "write the smaller bound first: `2200..5500 km`".
fn inverted_help(text: &str) -> String {
    let text = text.trim().trim_matches('"');
    let Some((low, high)) = text.split_once("..") else {
        return "write the smaller bound first".to_owned();
    };
    let (low, high) = (low.trim(), high.trim());
    // "5500..2200 km": the unit after the interval stays after it.
    let split = high
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
        .unwrap_or(high.len());
    let (high_number, unit) = (
        high.get(..split).unwrap_or(high),
        high.get(split..).unwrap_or("").trim(),
    );
    let low_has_unit = low.ends_with(|c: char| c.is_ascii_alphabetic());
    let swapped = if unit.is_empty() || low_has_unit {
        format!("{high}..{low}")
    } else {
        format!("{high_number}..{low} {unit}")
    };
    format!("write the smaller bound first: `{swapped}`")
}

/// `YYYY-MM-DD` in shape, whatever the numbers.
fn looks_like_date(text: &str) -> bool {
    let parts: Vec<&str> = text.trim().split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
mod tests {
    use super::*;
    use crate::lang::DocumentKind;
    use crate::model::{Package, Period};
    use miette::Diagnostic;

    fn attribute(name: &str, ty: AttributeType) -> AttributeDef {
        AttributeDef {
            name: name.to_owned(),
            ty,
            description: None,
        }
    }

    /// A model with the vocabulary of `rules/vocabulary/strategic.treaty`, the parties and
    /// packages of the Brezhnev letter.
    fn strategic_model() -> Model {
        let mut vocabulary = crate::model::strategic_vocabulary();
        // Not in the strategic vocabulary: dates are checked too.
        vocabulary
            .type_attributes
            .push(attribute("deployed", AttributeType::Date));
        let package = |name: &str| Package {
            name: name.to_owned(),
            label: None,
            quotes: Vec::new(),
            notes: Vec::new(),
        };
        Model {
            kind: DocumentKind::Position,
            title: "test position".to_owned(),
            date: None,
            parties: vec!["USA".to_owned(), "USSR".to_owned()],
            source: None,
            period: Period::default(),
            notes: Vec::new(),
            vocabulary,
            packages: vec![package("cruise_missiles"), package("backfire_withdrawn")],
            readings: Vec::new(),
            categories: Vec::new(),
            provisions: Vec::new(),
            tests: Vec::new(),
            file: SourceFile::new("test", ""),
            coverage: None,
        }
    }

    fn load_text(name: &str, text: &str) -> Result<Facts, Vec<ScenarioError>> {
        load(&SourceFile::new(name, text), &strategic_model())
    }

    fn ok(name: &str, text: &str) -> Facts {
        match load_text(name, text) {
            Ok(facts) => facts,
            Err(errors) => panic!("{name}: {:#?}", rendered(&errors)),
        }
    }

    /// (code, line, text under the primary label) of each diagnostic.
    fn diagnostics(text: &str, errors: &[ScenarioError]) -> Vec<(String, usize, String)> {
        let file = SourceFile::new("x", text);
        errors
            .iter()
            .map(|err| {
                let code = err.code().map(|c| c.to_string()).unwrap_or_default();
                let labels: Vec<_> = err.labels().map(Iterator::collect).unwrap_or_default();
                let primary = labels
                    .iter()
                    .find(|l: &&miette::LabeledSpan| l.primary())
                    .or(labels.first());
                let (line, under) = match primary {
                    Some(label) => {
                        let span = Span::new(label.offset(), label.offset() + label.len());
                        (file.line_column(span.start).0, file.slice(span).to_owned())
                    }
                    None => (0, String::new()),
                };
                (code, line, under)
            })
            .collect()
    }

    fn errors_of(name: &str, text: &str) -> Vec<(String, usize, String)> {
        match load_text(name, text) {
            Ok(_) => panic!("{name} loaded without errors:\n{text}"),
            Err(errors) => diagnostics(text, &errors),
        }
    }

    fn rendered(errors: &[ScenarioError]) -> Vec<String> {
        errors
            .iter()
            .map(|err| {
                format!(
                    "{err} [{:?}] help: {:?}",
                    err.code().map(|c| c.to_string()),
                    err.help().map(|h| h.to_string())
                )
            })
            .collect()
    }

    const HEADER: &str =
        "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USSR\"]\n";

    /// A valid scenario with `body` after the header.
    fn with(body: &str) -> String {
        format!("{HEADER}{body}\n")
    }

    const EXAMPLE_TOML: &str = r#"[scenario]
title = "example"
date = 1979-06-18
source = "made up"
parties = ["USSR", "USA"]

[packages]
cruise_missiles = "agreed"

[types."Minuteman III"]
class = "icbm"
mirv_tested = true
warheads = 3
range = "8078 mi"

[types."AGM-86B ALCM"]
class = "cruise_missile"
basing = "air"
range = "2200 km..2500 km"

[types."Backfire"]
class = "aircraft"
range = "unknown"
intercontinental = "unknown"
deployed = 1974-01-01

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
class = "icbm_launcher"
type = "Minuteman III"
count = 550
mirv_equipped = true
mobile = false

[[holdings]]
party = "USA"
name = "B-52 heavy bombers"
class = "heavy_bomber"
count = "316..574"
armament = ["AGM-86B ALCM"]

[[holdings]]
party = "USSR"
name = "Backfire medium bombers"
class = "medium_bomber"
type = "Backfire"
count = "unknown"
armament = "unknown"
"#;

    const EXAMPLE_JSON: &str = r#"{
  "scenario": {
    "title": "example",
    "date": "1979-06-18",
    "source": "made up",
    "parties": ["USSR", "USA"]
  },
  "packages": { "cruise_missiles": "agreed" },
  "types": {
    "Minuteman III": { "class": "icbm", "mirv_tested": true, "warheads": 3, "range": "8078 mi" },
    "AGM-86B ALCM": { "class": "cruise_missile", "basing": "air", "range": "2200 km..2500 km" },
    "Backfire": {
      "class": "aircraft",
      "range": "unknown",
      "intercontinental": "unknown",
      "deployed": "1974-01-01"
    }
  },
  "holdings": [
    {
      "party": "USA",
      "name": "Minuteman III silo launchers",
      "class": "icbm_launcher",
      "type": "Minuteman III",
      "count": 550,
      "mirv_equipped": true,
      "mobile": false
    },
    {
      "party": "USA",
      "name": "B-52 heavy bombers",
      "class": "heavy_bomber",
      "count": "316..574",
      "armament": ["AGM-86B ALCM"]
    },
    {
      "party": "USSR",
      "name": "Backfire medium bombers",
      "class": "medium_bomber",
      "type": "Backfire",
      "count": "unknown",
      "armament": "unknown"
    }
  ]
}
"#;

    #[test]
    fn example_loads_with_every_kind_of_value() {
        let facts = ok("example.toml", EXAMPLE_TOML);
        assert_eq!(facts.title, "example");
        assert_eq!(facts.date, Date::new(1979, 6, 18).unwrap());
        assert_eq!(facts.source.as_deref(), Some("made up"));
        // Scenario order, indices into the model's parties.
        assert_eq!(facts.parties, [1, 0]);
        assert_eq!(
            facts.packages,
            [
                PackageState::Stated(PackageStatus::Agreed),
                PackageState::Unknown
            ]
        );
        let names: Vec<&str> = facts.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["Minuteman III", "AGM-86B ALCM", "Backfire"]);

        let minuteman = &facts.types[0].attributes;
        assert_eq!(minuteman[0], Fact::Enum(0));
        assert_eq!(minuteman[1], Fact::NotStated);
        // 8078 mi in km.
        let Fact::Number { min, max } = minuteman[2] else {
            panic!("{:?}", minuteman[2])
        };
        assert!((min - 13_000.0).abs() < 1.0 && min == max, "{min}");
        assert_eq!(minuteman[3], Fact::Bool(true));
        assert_eq!(minuteman[4], Fact::Number { min: 3.0, max: 3.0 });
        assert_eq!(
            facts.types[1].attributes[2],
            Fact::Number {
                min: 2200.0,
                max: 2500.0
            }
        );
        let backfire = &facts.types[2].attributes;
        assert_eq!(backfire[2], Fact::Unknown);
        assert_eq!(backfire[5], Fact::Unknown);
        assert_eq!(backfire[6], Fact::Date(Date::new(1974, 1, 1).unwrap()));

        let holdings = &facts.holdings;
        assert_eq!(holdings.len(), 3);
        assert_eq!(holdings[0].party, 0);
        assert_eq!(holdings[0].name, "Minuteman III silo launchers");
        assert_eq!(holdings[0].count, Interval::exact(550));
        assert_eq!(holdings[0].attributes[0], Fact::Enum(0));
        assert_eq!(holdings[0].attributes[1], Fact::Reference(0));
        assert_eq!(holdings[0].attributes[2], Fact::Bool(true));
        assert_eq!(holdings[0].attributes[3], Fact::Bool(false));
        assert_eq!(holdings[0].attributes[4], Fact::NotStated);
        assert_eq!(holdings[1].count, Interval::new(316, 574).unwrap());
        assert_eq!(holdings[1].attributes[1], Fact::NotStated);
        assert_eq!(holdings[1].attributes[4], Fact::List(vec![1]));
        assert_eq!(holdings[2].party, 1);
        assert_eq!(holdings[2].count, Interval::UNKNOWN);
        assert_eq!(holdings[2].attributes[1], Fact::Reference(2));
        assert_eq!(holdings[2].attributes[4], Fact::Unknown);
        assert_eq!(facts.file.name, "example.toml");
    }

    #[test]
    fn toml_and_json_give_equal_facts() {
        let toml = ok("example.toml", EXAMPLE_TOML);
        let json = ok("example.json", EXAMPLE_JSON);
        assert_eq!(
            serde_json::to_string(&toml).unwrap(),
            serde_json::to_string(&json).unwrap()
        );
        // The JSON spans point into the JSON text.
        assert_eq!(json.file.slice(json.types[0].span), "\"Minuteman III\"");
    }

    #[test]
    fn format_follows_the_file_name() {
        assert_eq!(format_of("a.json"), Format::Json);
        assert_eq!(format_of("A.JSON"), Format::Json);
        assert_eq!(format_of("a.toml"), Format::Toml);
        assert_eq!(format_of("scenario"), Format::Toml);
        // JSON text in a file named .toml is read as TOML, and fails as such.
        let errors = errors_of("x.toml", EXAMPLE_JSON);
        assert!(
            errors.iter().all(|e| e.0 == "treaty::scenario::syntax"),
            "{errors:?}"
        );
    }

    #[test]
    fn real_scenarios_load_cleanly() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut seen = 0;
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                if let Err(errors) = load_path(&path, &strategic_model()) {
                    panic!("{}: {:#?}", path.display(), rendered(&errors));
                }
                seen += 1;
            }
        }
        assert!(seen >= 4);
    }

    #[test]
    fn five_mistakes_give_five_diagnostics_at_the_right_lines() {
        let text = r#"[scenario]
title = "five mistakes"
date = 1979-06-18
parties = ["USA", "USSR"]

[types."Minuteman III"]
class = "icbm"
range = "13000 kt"

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
clas = "icbm_launcher"
type = "Minuteman 3"
count = -5

[[holdings]]
party = "USA"
name = "Minuteman III silo launchers"
count = "160..140"
"#;
        assert_eq!(
            errors_of("five.toml", text),
            [
                (
                    "treaty::scenario::wrong_unit".to_owned(),
                    8,
                    "\"13000 kt\"".to_owned()
                ),
                (
                    "treaty::scenario::unknown_key".to_owned(),
                    13,
                    "clas".to_owned()
                ),
                (
                    "treaty::scenario::unknown_type".to_owned(),
                    14,
                    "\"Minuteman 3\"".to_owned()
                ),
                (
                    "treaty::scenario::negative_number".to_owned(),
                    15,
                    "-5".to_owned()
                ),
                (
                    "treaty::scenario::duplicate_holding".to_owned(),
                    19,
                    "\"Minuteman III silo launchers\"".to_owned()
                ),
                (
                    "treaty::scenario::inverted_interval".to_owned(),
                    20,
                    "\"160..140\"".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn five_mistakes_in_json() {
        let text = r#"{
  "scenario": { "title": "t", "date": "1979-06-31", "parties": ["USA", "UK"] },
  "packages": { "cruise_missile": "agreed" },
  "types": { "X": { "class": "icbm", "range": 13000 } },
  "holdings": [
    { "party": "USA", "name": "a", "count": 1.5, "mobile": "yes" }
  ]
}
"#;
        let errors = errors_of("five.json", text);
        let codes: Vec<(&str, usize, &str)> = errors
            .iter()
            .map(|(c, l, u)| (c.as_str(), *l, u.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("treaty::scenario::invalid_date", 2, "\"1979-06-31\""),
                ("treaty::scenario::unknown_party", 2, "\"UK\""),
                ("treaty::scenario::unknown_package", 3, "\"cruise_missile\""),
                ("treaty::scenario::missing_unit", 4, "13000"),
                ("treaty::scenario::not_an_integer", 6, "1.5"),
                ("treaty::scenario::wrong_type", 6, "\"yes\""),
            ]
        );
    }

    /// One scenario a code: (code, body after a valid header, text under the label).
    #[test]
    fn every_code() {
        let cases: &[(&str, String, &str)] = &[
            ("unknown_key", format!("{HEADER}colour = \"red\""), "colour"),
            ("unknown_key", format!("colour = \"red\"\n{HEADER}"), "colour"),
            ("unknown_key", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\nsauce = \"x\"\n".to_owned(), "sauce"),
            ("unknown_key", with("[types.\"X\"]\nrang = \"1 km\""), "rang"),
            (
                "missing_field",
                "[scenario]\ndate = 1979-06-18\nparties = [\"USA\"]\n".to_owned(),
                "scenario",
            ),
            ("missing_field", "".to_owned(), ""),
            ("missing_field", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\n".to_owned(), "scenario"),
            ("missing_field", with("[[holdings]]\nparty = \"USA\"\nname = \"a\""), "[[holdings]]"),
            ("wrong_type", "[scenario]\ntitle = 5\ndate = 1979-06-18\nparties = [\"USA\"]\n".to_owned(), "5"),
            ("wrong_type", with("[types.\"X\"]\nmirv_tested = \"maybe\""), "\"maybe\""),
            ("invalid_date", "[scenario]\ntitle = \"t\"\ndate = \"18 June 1979\"\nparties = [\"USA\"]\n".to_owned(), "\"18 June 1979\""),
            ("invalid_date", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18T10:00:00\nparties = [\"USA\"]\n".to_owned(), "1979-06-18T10:00:00"),
            ("unknown_party", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USRR\"]\n".to_owned(), "\"USRR\""),
            ("unknown_party", with("[[holdings]]\nparty = \"US\"\nname = \"a\"\ncount = 1"), "\"US\""),
            ("duplicate_party", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USA\"]\n".to_owned(), "\"USA\""),
            ("no_parties", "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = []\n".to_owned(), "[]"),
            (
                "party_not_listed",
                "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\"]\n[[holdings]]\nparty = \"USSR\"\nname = \"a\"\ncount = 1\n".to_owned(),
                "\"USSR\"",
            ),
            ("unknown_package", with("[packages]\ncruise = \"open\""), "cruise"),
            ("invalid_package_state", with("[packages]\ncruise_missiles = \"agred\""), "\"agred\""),
            ("unknown_value", with("[types.\"X\"]\nclass = \"icmb\""), "\"icmb\""),
            ("unknown_type", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\narmament = [\"Y\"]"), "\"Y\""),
            ("reserved_name", with("[types.unknown]\nclass = \"icbm\""), "unknown"),
            ("missing_unit", with("[types.\"X\"]\nrange = \"13000\""), "\"13000\""),
            ("missing_unit", with("[types.\"X\"]\nrange = 13000"), "13000"),
            ("unknown_unit", with("[types.\"X\"]\nrange = \"13000 kms\""), "\"13000 kms\""),
            ("wrong_unit", with("[types.\"X\"]\nrange = \"3 kt\""), "\"3 kt\""),
            ("invalid_number", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"many\""), "\"many\""),
            ("invalid_number", with("[types.\"X\"]\nrange = \"far\""), "\"far\""),
            ("negative_number", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"-3..5\""), "\"-3..5\""),
            ("negative_number", with("[types.\"X\"]\nwarheads = -1"), "-1"),
            ("negative_number", with("[types.\"X\"]\nrange = \"-1 km\""), "\"-1 km\""),
            ("not_an_integer", with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 2.5"), "2.5"),
            ("not_an_integer", with("[types.\"X\"]\nwarheads = \"1.5..3\""), "\"1.5..3\""),
            ("inverted_interval", with("[types.\"X\"]\nrange = \"5500..2200 km\""), "\"5500..2200 km\""),
            ("inverted_interval", with("[types.\"X\"]\nrange = \"1 mi..1.5 km\""), "\"1 mi..1.5 km\""),
            (
                "duplicate_holding",
                with("[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 2"),
                "\"a\"",
            ),
            ("syntax", with("[types.\"X\"\nclass = \"icbm\""), ""),
        ];
        for (code, text, under) in cases {
            let errors = errors_of("case.toml", text);
            assert_eq!(errors.len(), 1, "{code}: {text}\n{errors:?}");
            let (found, _, found_under) = &errors[0];
            assert_eq!(found, &format!("treaty::scenario::{code}"), "{text}");
            if !under.is_empty() {
                assert_eq!(found_under, under, "{code}: {text}");
            }
        }
    }

    #[test]
    fn messages_and_help() {
        let text = with(
            "[types.\"X\"]\nclass = \"icmb\"\nrange = \"3 kt\"\nbasing = \"lnd\"\n[types.\"Y\"]\nrange = \"1000\"\nmirv_tested = \"true\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\nclass = \"icbm_launcher\"\ntype = \"x\"\nmirv_equiped = true\n[packages]\ncruise_missiles = \"unknown\"\nbackfire_withdrawn = \"agred\"",
        );
        let errors = load_text("m.toml", &text).unwrap_err();
        let shown = rendered(&errors);
        let expected = [
            "`icmb` is not a value of `class` [Some(\"treaty::scenario::unknown_value\")] help: Some(\"did you mean `icbm`? the values of `class` are `icbm`, `slbm`, `asbm`, `cruise_missile`, `aircraft`, or `unknown`\")",
            "`3 kt` is a yield, but `range` is a length [Some(\"treaty::scenario::wrong_unit\")] help: Some(\"use a unit of length: `km`, `m`, `mi`, `nmi`\")",
            "`lnd` is not a value of `basing` [Some(\"treaty::scenario::unknown_value\")] help: Some(\"did you mean `land`? the values of `basing` are `air`, `sea`, `land`, or `unknown`\")",
            "`range` needs a unit [Some(\"treaty::scenario::missing_unit\")] help: Some(\"write the unit, e.g. `1000 km`\")",
            "`mirv_tested` must be `true` or `false`, found the string `true` [Some(\"treaty::scenario::wrong_type\")] help: Some(\"write `true` without quotes\")",
            "no weapon type `x` in `types` [Some(\"treaty::scenario::unknown_type\")] help: Some(\"did you mean `X`? define it as `[types.\\\"x\\\"]`, or write `\\\"unknown\\\"`\")",
            "unknown key `mirv_equiped` in holding `a` [Some(\"treaty::scenario::unknown_key\")] help: Some(\"did you mean `mirv_equipped`?\")",
            "`agred` is not a package state [Some(\"treaty::scenario::invalid_package_state\")] help: Some(\"did you mean `agreed`? a package is `agreed`, `open` or `rejected`; leave it out (or write `unknown`) when its state is not known\")",
        ];
        assert_eq!(shown, expected);
    }

    #[test]
    fn counts_and_intervals() {
        let count = |written: &str| -> Result<Interval, String> {
            let text = with(&format!(
                "[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = {written}"
            ));
            match load_text("c.toml", &text) {
                Ok(facts) => Ok(facts.holdings[0].count),
                Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
            }
        };
        assert_eq!(count("0"), Ok(Interval::ZERO));
        assert_eq!(count("550"), Ok(Interval::exact(550)));
        assert_eq!(count("550.0"), Ok(Interval::exact(550)));
        assert_eq!(count("\"550\""), Ok(Interval::exact(550)));
        assert_eq!(count("\"140..160\""), Ok(Interval::new(140, 160).unwrap()));
        assert_eq!(
            count("\" 140 .. 160 \""),
            Ok(Interval::new(140, 160).unwrap())
        );
        assert_eq!(count("\"7..7\""), Ok(Interval::exact(7)));
        assert_eq!(count("\"unknown\""), Ok(Interval::UNKNOWN));
        assert_eq!(
            count("\"140..unknown\""),
            Ok(Interval {
                min: 140,
                max: None
            })
        );
        fn code<T>(c: &str) -> Result<T, String> {
            Err(format!("treaty::scenario::{c}"))
        }
        assert_eq!(count("-1"), code("negative_number"));
        assert_eq!(count("\"-1\""), code("negative_number"));
        assert_eq!(count("1.5"), code("not_an_integer"));
        assert_eq!(count("\"160..140\""), code("inverted_interval"));
        assert_eq!(count("\"140..\""), code("invalid_number"));
        assert_eq!(count("\"..160\""), code("invalid_number"));
        assert_eq!(count("\"1...5\""), code("invalid_number"));
        assert_eq!(count("\"1..2..3\""), code("invalid_number"));
        assert_eq!(count("\"Unknown\""), code("invalid_number"));
        assert_eq!(count("\"99999999999999999999\""), code("invalid_number"));
        assert_eq!(count("1e300"), code("invalid_number"));
        assert_eq!(count("inf"), code("invalid_number"));
        assert_eq!(count("true"), code("wrong_type"));
        assert_eq!(count("[1]"), code("wrong_type"));

        let warheads = |written: &str| -> Result<Fact, String> {
            let text = with(&format!("[types.\"X\"]\nwarheads = {written}"));
            match load_text("w.toml", &text) {
                Ok(facts) => Ok(facts.types[0].attributes[4].clone()),
                Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
            }
        };
        assert_eq!(
            warheads("10"),
            Ok(Fact::Number {
                min: 10.0,
                max: 10.0
            })
        );
        assert_eq!(
            warheads("\"3..10\""),
            Ok(Fact::Number {
                min: 3.0,
                max: 10.0
            })
        );
        assert_eq!(warheads("\"unknown\""), Ok(Fact::Unknown));
        assert_eq!(warheads("\"3..unknown\""), code("invalid_number"));
        assert_eq!(warheads("\"10..3\""), code("inverted_interval"));
    }

    #[test]
    fn quantities_and_units() {
        let range = |written: &str| -> Result<(f64, f64), String> {
            let text = with(&format!("[types.\"X\"]\nrange = {written}"));
            match load_text("r.toml", &text) {
                Ok(facts) => match facts.types[0].attributes[2] {
                    Fact::Number { min, max } => Ok((min, max)),
                    ref other => Err(format!("{other:?}")),
                },
                Err(errors) => Err(diagnostics(&text, &errors)[0].0.clone()),
            }
        };
        assert_eq!(range("\"13000 km\""), Ok((13_000.0, 13_000.0)));
        assert_eq!(range("\"13000km\""), Ok((13_000.0, 13_000.0)));
        assert_eq!(range("\"2200..5500 km\""), Ok((2200.0, 5500.0)));
        assert_eq!(range("\"2200 km..5500 km\""), Ok((2200.0, 5500.0)));
        assert_eq!(range("\"2200 km .. 5500 km\""), Ok((2200.0, 5500.0)));
        assert_eq!(range("\"600000 m\""), Ok((600.0, 600.0)));
        assert_eq!(range("\"100 mi\""), Ok((160.9344, 160.9344)));
        assert_eq!(range("\"1000 nmi\""), Ok((1852.0, 1852.0)));
        assert_eq!(range("\"1 mi..2 km\""), Ok((1.609_344, 2.0)));
        assert_eq!(range("\"1.5 km\""), Ok((1.5, 1.5)));
        let code = |c: &str| Err(format!("treaty::scenario::{c}"));
        assert_eq!(range("\"3 kt\""), code("wrong_unit"));
        assert_eq!(range("\"1..3 Mt\""), code("wrong_unit"));
        assert_eq!(range("\"3 parsecs\""), code("unknown_unit"));
        assert_eq!(range("\"3 KM\""), code("unknown_unit"));
        assert_eq!(range("\"13000\""), code("missing_unit"));
        assert_eq!(range("13000"), code("missing_unit"));
        assert_eq!(range("13000.5"), code("missing_unit"));
        assert_eq!(range("\"2200..5500\""), code("missing_unit"));
        assert_eq!(range("\"2200 km..5500\""), code("missing_unit"));
        assert_eq!(range("\"5500..2200 km\""), code("inverted_interval"));
        assert_eq!(range("\"13,000 km\""), code("invalid_number"));
        assert_eq!(range("\"km\""), code("invalid_number"));
        assert_eq!(range("\"\""), code("invalid_number"));
        assert_eq!(range("\"1..2..3 km\""), code("invalid_number"));
        assert_eq!(range("true"), code("wrong_type"));
        assert_eq!(range("\"-5 km\""), code("negative_number"));

        let errors =
            load_text("r.toml", &with("[types.\"X\"]\nrange = \"5500..2200 km\"")).unwrap_err();
        assert_eq!(
            errors[0].help().unwrap().to_string(),
            "write the smaller bound first: `2200..5500 km`"
        );
        let errors =
            load_text("r.toml", &with("[types.\"X\"]\nrange = \"13000 kms\"")).unwrap_err();
        assert_eq!(
            errors[0].help().unwrap().to_string(),
            "did you mean `km`? the units of length are `km`, `m`, `mi`, `nmi`"
        );
        let errors = load_text("r.toml", &with("[types.\"X\"]\nrange = \"13000\"")).unwrap_err();
        assert_eq!(
            errors[0].help().unwrap().to_string(),
            "write the unit, e.g. `13000 km`"
        );
    }

    #[test]
    fn unknown_and_not_stated() {
        let text = with(
            "[types.\"X\"]\nclass = \"unknown\"\nmirv_tested = \"unknown\"\nwarheads = \"unknown\"\nrange = \"unknown\"\ndeployed = \"unknown\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = \"unknown\"\ntype = \"unknown\"\narmament = \"unknown\"",
        );
        let facts = ok("u.toml", &text);
        let attributes = &facts.types[0].attributes;
        assert_eq!(attributes[0], Fact::Unknown);
        assert_eq!(attributes[1], Fact::NotStated);
        assert_eq!(attributes[2], Fact::Unknown);
        assert_eq!(attributes[3], Fact::Unknown);
        assert_eq!(attributes[4], Fact::Unknown);
        assert_eq!(attributes[5], Fact::NotStated);
        assert_eq!(attributes[6], Fact::Unknown);
        let holding = &facts.holdings[0];
        assert_eq!(holding.count, Interval::UNKNOWN);
        assert_eq!(holding.attributes[0], Fact::NotStated);
        assert_eq!(holding.attributes[1], Fact::Unknown);
        assert_eq!(holding.attributes[4], Fact::Unknown);
        assert_eq!(
            facts.packages,
            [PackageState::Unknown, PackageState::Unknown]
        );
    }

    #[test]
    fn references_may_come_before_the_types() {
        let text = with(
            "[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\ntype = \"Z\"\narmament = [\"Z\", \"Y\"]\n\n[types.\"Y\"]\n[types.\"Z\"]\nclass = \"icbm\"",
        );
        let facts = ok("r.toml", &text);
        assert_eq!(facts.holdings[0].attributes[1], Fact::Reference(1));
        assert_eq!(facts.holdings[0].attributes[4], Fact::List(vec![1, 0]));
        assert_eq!(facts.types[0].name, "Y");
        assert!(
            facts.types[0]
                .attributes
                .iter()
                .all(|f| *f == Fact::NotStated)
        );
    }

    #[test]
    fn dates() {
        let date = |written: &str, name: &str| {
            let text =
                format!("[scenario]\ntitle = \"t\"\ndate = {written}\nparties = [\"USA\"]\n");
            load_text(name, &text)
                .map(|f| f.date)
                .map_err(|e| diagnostics(&text, &e)[0].0.clone())
        };
        let d = Date::new(1979, 6, 18).unwrap();
        assert_eq!(date("1979-06-18", "d.toml"), Ok(d));
        assert_eq!(date("\"1979-06-18\"", "d.toml"), Ok(d));
        let invalid = Err("treaty::scenario::invalid_date".to_owned());
        assert_eq!(date("\"1979-02-29\"", "d.toml"), invalid);
        assert_eq!(date("\"1979-6-18\"", "d.toml"), invalid);
        assert_eq!(date("1979-06-18 10:00:00", "d.toml"), invalid);
        assert_eq!(
            date("1979", "d.toml"),
            Err("treaty::scenario::wrong_type".to_owned())
        );
        // TOML itself rejects impossible dates; that error is not repeated.
        assert_eq!(
            date("1979-02-29", "d.toml"),
            Err("treaty::scenario::syntax".to_owned())
        );
        let text = "[scenario]\ntitle = \"t\"\ndate = 1979-02-29\nparties = [\"USA\"]\n";
        assert_eq!(load_text("d.toml", text).unwrap_err().len(), 1);
        let json = r#"{"scenario": {"title": "t", "date": "1980-02-29", "parties": ["USA"]}, "holdings": []}"#;
        assert_eq!(ok("d.json", json).date, Date::new(1980, 2, 29).unwrap());
    }

    #[test]
    fn syntax_errors_do_not_cascade() {
        // The broken line hides the title; no "missing `title`" on top of the syntax error.
        let text = "[scenario]\ntitle = \"unterminated\ndate = 1979-06-18\nparties = [\"USA\"]\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = -1\n";
        let errors = errors_of("s.toml", text);
        assert!(
            errors
                .iter()
                .all(|e| e.0 != "treaty::scenario::missing_field"),
            "{errors:?}"
        );
        assert_eq!(errors[0].0, "treaty::scenario::syntax");
        // Whatever could be read is still checked.
        assert!(
            errors
                .iter()
                .any(|e| e.0 == "treaty::scenario::negative_number"),
            "{errors:?}"
        );

        let errors = errors_of("s.json", "{\"scenario\": {\"title\": \"t\",, }");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].0, "treaty::scenario::syntax");
        let errors = errors_of("s.json", "");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].0, "treaty::scenario::syntax");
    }

    #[test]
    fn structure_errors() {
        let codes = |name: &str, text: &str| -> Vec<String> {
            errors_of(name, text).into_iter().map(|e| e.0).collect()
        };
        let wrong = "treaty::scenario::wrong_type";
        assert_eq!(codes("a.toml", "scenario = 5\n"), [wrong]);
        assert_eq!(codes("a.toml", &format!("types = 5\n{HEADER}")), [wrong]);
        assert_eq!(
            codes("a.toml", &format!("types = {{ X = 5 }}\n{HEADER}")),
            [wrong]
        );
        assert_eq!(
            codes("a.toml", &format!("packages = [1]\n{HEADER}")),
            [wrong]
        );
        assert_eq!(
            codes(
                "a.toml",
                &format!("packages = {{ cruise_missiles = true }}\n{HEADER}")
            ),
            [wrong]
        );
        assert_eq!(codes("a.toml", &format!("holdings = 5\n{HEADER}")), [wrong]);
        assert_eq!(
            codes("a.toml", &format!("holdings = [5]\n{HEADER}")),
            [wrong]
        );
        assert_eq!(
            codes(
                "a.toml",
                "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = \"USA\"\n"
            ),
            [wrong]
        );
        assert_eq!(
            codes(
                "a.toml",
                "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [1]\n"
            ),
            [wrong]
        );
        assert_eq!(
            codes("a.json", r#"{"scenario": [], "holdings": []}"#),
            [wrong]
        );
        // A misspelt party is reported once, not again on every holding of that party.
        assert_eq!(
            codes(
                "a.toml",
                "[scenario]\ntitle = \"t\"\ndate = 1979-06-18\nparties = [\"USA\", \"USRR\"]\n[[holdings]]\nparty = \"USSR\"\nname = \"a\"\ncount = 1\n"
            ),
            ["treaty::scenario::unknown_party"]
        );
        // A misspelt type key is reported once, not again at every reference to it.
        assert_eq!(
            codes(
                "a.toml",
                &with(
                    "[types.\"X\"]\nclas = \"icbm\"\n[[holdings]]\nparty = \"USA\"\nname = \"a\"\ncount = 1\ntype = \"X\""
                )
            ),
            ["treaty::scenario::unknown_key"]
        );
        // Missing fields of a holding point at its header.
        let errors = errors_of("a.toml", &with("[[holdings]]\nclass = \"icbm_launcher\""));
        let lines: Vec<(&str, usize)> = errors.iter().map(|e| (e.0.as_str(), e.1)).collect();
        assert_eq!(
            lines,
            [
                ("treaty::scenario::missing_field", 5),
                ("treaty::scenario::missing_field", 5),
                ("treaty::scenario::missing_field", 5)
            ]
        );
        // In JSON, at the first line of the object.
        let errors = errors_of(
            "a.json",
            "{\"scenario\": {\"title\": \"t\", \"date\": \"1979-06-18\", \"parties\": [\"USA\"]},\n \"holdings\": [\n  {\"party\": \"USA\",\n   \"name\": \"a\"}]}",
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(
            (errors[0].1, errors[0].2.as_str()),
            (3, "{\"party\": \"USA\",")
        );
    }

    #[test]
    fn messages_are_plain_words() {
        let text = "[scenario]\ntitel = 1\n[[holdings]]\ncount = \"x\"\n";
        let errors = load_text("p.toml", text).unwrap_err();
        assert!(errors.len() >= 4);
        for err in &errors {
            let message = err.to_string();
            assert!(
                message.starts_with(|c: char| !c.is_uppercase()),
                "{message}"
            );
            for word in ["Option", "String", "Vec", "usize", "u64", "f64", "Value"] {
                assert!(!message.contains(word), "{message}");
            }
            assert!(
                err.code()
                    .unwrap()
                    .to_string()
                    .starts_with("treaty::scenario::")
            );
        }
    }

    #[test]
    fn load_path_errors() {
        let model = strategic_model();
        let dir = std::env::temp_dir().join(format!("treaty-scenario-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();

        let missing = dir.join("missing.toml");
        let errors = load_path(&missing, &model).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].code().unwrap().to_string(),
            "treaty::scenario::io"
        );
        assert!(
            errors[0].to_string().ends_with(": no such file"),
            "{}",
            errors[0]
        );

        let errors = load_path(&dir, &model).unwrap_err();
        assert_eq!(
            errors[0].code().unwrap().to_string(),
            "treaty::scenario::io"
        );
        assert!(
            errors[0]
                .to_string()
                .ends_with("it is a folder, not a file")
        );

        let binary = dir.join("binary.toml");
        std::fs::write(&binary, b"title = \"\xff\"").unwrap();
        let errors = load_path(&binary, &model).unwrap_err();
        assert_eq!(
            errors[0].code().unwrap().to_string(),
            "treaty::scenario::io"
        );
        assert!(errors[0].to_string().contains("not UTF-8"));

        let large = dir.join("large.toml");
        let file = std::fs::File::create(&large).unwrap();
        file.set_len(MAX_FILE_SIZE + 1).unwrap();
        let errors = load_path(&large, &model).unwrap_err();
        assert_eq!(
            errors[0].code().unwrap().to_string(),
            "treaty::scenario::too_large"
        );

        let good = dir.join("good.json");
        std::fs::write(&good, EXAMPLE_JSON).unwrap();
        let facts = load_path(&good, &model).unwrap();
        assert_eq!(facts.file.name, good.display().to_string());

        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn too_many_holdings() {
        let mut text = String::from(
            r#"{"scenario": {"title": "t", "date": "1979-06-18", "parties": ["USA"]}, "holdings": ["#,
        );
        for index in 0..=MAX_HOLDINGS {
            if index > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                "{{\"party\":\"USA\",\"name\":\"h{index}\",\"count\":1}}"
            ));
        }
        text.push_str("]}");
        let errors = load_text("many.json", &text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].code().unwrap().to_string(),
            "treaty::scenario::too_many_holdings"
        );
        let label = errors[0].labels().unwrap().next().unwrap();
        assert!(
            text[label.offset()..]
                .starts_with(&format!("{{\"party\":\"USA\",\"name\":\"h{MAX_HOLDINGS}\""))
        );
    }

    #[test]
    fn suggestions() {
        assert_eq!(did_you_mean("icmb", ["icbm", "slbm"]), Some("icbm"));
        assert_eq!(did_you_mean("USRR", ["USA", "USSR"]), Some("USSR"));
        assert_eq!(did_you_mean("KM", ["km", "m"]), Some("km"));
        assert_eq!(did_you_mean("x", ["km", "m"]), None);
        assert_eq!(did_you_mean("colour", TOP_KEYS.iter().copied()), None);
        assert_eq!(
            did_you_mean("holding", TOP_KEYS.iter().copied()),
            Some("holdings")
        );
        assert_eq!(list(["a", "b", "c"], 2), "`a`, `b`, and 1 more");
    }
}
