//! The loader: walks the value tree of a scenario file top-down, resolving names against
//! the position and collecting every problem with the place it was found.

use std::collections::HashMap;

use crate::diagnostics::{Problem, closest, help_with, list};
use crate::lang::PackageStatus;
use crate::model::{Date, Model, PackageState};
use crate::span::{NamedText, SourceFile, Span};

use super::raw::{self, Entry, Format, Value, ValueKind};
mod holdings;

use super::{
    Code, Fact, Facts, HOLDING_KEYS, Holding, MAX_HOLDINGS, MAX_PROBLEMS, SCENARIO_KEYS, TOP_KEYS,
    UNKNOWN, WeaponType,
};

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
pub(super) struct Loader<'a> {
    pub(super) file: &'a SourceFile,
    model: &'a Model,
    pub(super) format: Format,
    /// The file had syntax errors, so parts of the tree may be missing: absent fields are
    /// not reported, they may have been lost to the syntax error.
    partial: bool,
    /// Problems, with the span they were found at: the first [`MAX_PROBLEMS`].
    pub(super) errors: Vec<(Span, Problem)>,
    /// Problems found past [`MAX_PROBLEMS`]: counted, not kept.
    pub(super) unrecorded: usize,
    /// Weapon type names to their index in `Facts::types`.
    pub(super) types: HashMap<String, usize>,
    /// Where the JSON list of holdings is written, when the tree holds it empty: its holdings
    /// are read from the text one at a time (see [`raw::parse_deferring_holdings`]).
    pub(super) deferred: Option<Span>,
}

impl<'a> Loader<'a> {
    /// A loader for `file`, read in `format`; `partial` when the file had syntax errors.
    pub(super) fn new(
        file: &'a SourceFile,
        model: &'a Model,
        format: Format,
        partial: bool,
    ) -> Loader<'a> {
        Loader {
            file,
            model,
            format,
            partial,
            errors: Vec::new(),
            unrecorded: 0,
            types: HashMap::new(),
            deferred: None,
        }
    }
}

impl Loader<'_> {
    /// The scenario file as diagnostics show it.
    fn src(&self) -> NamedText {
        self.file.named()
    }

    /// Record `problem`, found at `span`: problems come out in file order, and those that
    /// overlap a syntax error are dropped.
    fn record(&mut self, span: Span, problem: Problem) {
        if self.errors.len() < MAX_PROBLEMS {
            self.errors.push((span, problem));
        } else {
            self.unrecorded = self.unrecorded.saturating_add(1);
        }
    }

    /// Record a problem whose one place is `span`, labelled `label`.
    pub(super) fn report(
        &mut self,
        code: Code,
        message: String,
        span: Span,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        // The one label is not primary, as scenario diagnostics have always been in
        // `--message-format json`.
        let problem = Problem::new(code, message)
            .within(self.src())
            .also(span, label)
            .with_help_opt(help);
        self.record(span, problem);
    }

    /// The first line of a span: where to point for "missing here" on a whole table.
    fn head(&self, span: Span) -> Span {
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

    /// `value` of `key` is not of the `expected` kind.
    pub(super) fn wrong_type(
        &mut self,
        key: &str,
        expected: &str,
        value: &Value,
        help: Option<String>,
    ) {
        let found = self.describe(value);
        self.report(
            Code::WrongType,
            format!("`{key}` must be {expected}, found {found}"),
            value.span,
            format!("expected {expected}"),
            help,
        );
    }

    pub(super) fn unknown_key(&mut self, entry: &Entry, place: &str, candidates: &[&str]) {
        self.misplaced_key(entry, place, candidates, None);
    }

    /// An unknown key that belongs elsewhere: `elsewhere` says where, instead of the
    /// suggestions.
    fn misplaced_key(
        &mut self,
        entry: &Entry,
        place: &str,
        candidates: &[&str],
        elsewhere: Option<String>,
    ) {
        let suggestion = closest(&entry.key, candidates.iter().copied());
        let help = if let Some(elsewhere) = elsewhere {
            elsewhere
        } else if suggestion.is_some() {
            help_with(suggestion, "")
        } else if candidates.is_empty() {
            format!("{place} takes no keys")
        } else {
            format!(
                "the keys of {place} are {}",
                list(candidates.iter().copied(), 20)
            )
        };
        self.report(
            Code::UnknownKey,
            format!("unknown key `{}` in {place}", entry.key),
            entry.key_span,
            format!("not a key of {place}"),
            Some(help),
        );
    }

    /// `field` is missing in `place`, which starts at `at`.
    fn missing(&mut self, field: &str, place: &str, at: Span, help: String) {
        if self.partial {
            return;
        }
        self.report(
            Code::MissingField,
            format!("missing `{field}` in {place}"),
            self.head(at),
            format!("`{field}` is required here"),
            Some(help),
        );
    }

    /// The entries of a table value, or a `wrong_type` error.
    pub(super) fn table<'v>(
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

    /// The facts of the whole file, when it has no problems that leave a field unknown.
    pub(super) fn document(&mut self, root: &Value) -> Option<Facts> {
        let entries = self.table("the scenario file", root, None)?;
        let mut scenario = None;
        let mut packages = None;
        let mut types = None;
        let mut holdings = None;
        let mut declared = None;
        for entry in entries {
            match entry.key.as_str() {
                "scenario" => scenario = Some(entry),
                "packages" => packages = Some(entry),
                "types" => types = Some(entry),
                "holdings" => holdings = Some(entry),
                "declared" => declared = Some(entry),
                // The schema an editor checks the file against (`treaty schema`).
                "$schema" => {
                    self.string("$schema", &entry.value);
                }
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
                    Span::point(0),
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
        let declared = match declared {
            Some(entry) => self.declared(entry, header.parties.as_deref()),
            None => Some(Vec::new()),
        };
        Some(Facts {
            title: header.title?,
            date: header.date?,
            source: header.source,
            parties: header.parties?,
            packages,
            types,
            holdings: holdings.into_iter().collect::<Option<Vec<Holding>>>()?,
            declared: declared?,
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
                key => {
                    // In TOML a key belongs to the table whose header came last.
                    let elsewhere = (self.format == Format::Toml && TOP_KEYS.contains(&key))
                        .then(|| {
                            let header = match key {
                                "holdings" => "`[[holdings]]` tables".to_owned(),
                                "types" => "`[types.\"NAME\"]` tables".to_owned(),
                                "declared" => "`[declared.PARTY]` tables".to_owned(),
                                other => format!("a `[{other}]` table"),
                            };
                            format!(
                                "a key after the `[scenario]` header belongs to `scenario`: move `{key}` above it, or write it as {header}"
                            )
                        });
                    self.misplaced_key(field, "`scenario`", SCENARIO_KEYS, elsewhere);
                }
            }
        }
        let format = self.format;
        let example = move |toml: &str, json: &str| match format {
            Format::Toml => format!("add `{toml}`"),
            Format::Json => format!("add `{json}`"),
        };
        if !has_title {
            let help = example("title = \"…\"", "\"title\": \"…\"");
            self.missing("title", "`scenario`", entry.key_span, help);
        }
        if !has_date {
            let help = example("date = 1979-06-18", "\"date\": \"1979-06-18\"");
            self.missing("date", "`scenario`", entry.key_span, help);
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
            self.missing("parties", "`scenario`", entry.key_span, help);
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
            let help = self.model_parties_help();
            self.report(
                Code::NoParties,
                "the scenario lists no parties".to_owned(),
                value.span,
                "no parties here",
                Some(help),
            );
            return None;
        }
        let mut parties: Vec<(usize, Span)> = Vec::new();
        let mut valid = true;
        for item in items {
            let ValueKind::String(name) = &item.kind else {
                self.wrong_type("parties", "a party name", item, None);
                valid = false;
                continue;
            };
            let Some(party) = self.model.party(name) else {
                let suggestion = closest(name, self.model.parties.iter().map(String::as_str));
                let help = help_with(suggestion, &self.model_parties_help());
                self.report(
                    Code::UnknownParty,
                    format!("`{name}` is not a party of the position"),
                    item.span,
                    "unknown party",
                    Some(help),
                );
                valid = false;
                continue;
            };
            if let Some(&(_, first)) = parties.iter().find(|(p, _)| *p == party) {
                let problem = Problem::new(
                    Code::DuplicateParty,
                    format!("party `{name}` is listed twice"),
                )
                .at_named(self.src(), item.span, "listed again here")
                .also(first, "first listed here")
                .with_help("list each party once");
                self.record(item.span, problem);
                continue;
            }
            parties.push((party, item.span));
        }
        valid.then(|| parties.into_iter().map(|(party, _)| party).collect())
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
                let suggestion = closest(&package.key, names.clone());
                let rest = if self.model.packages.is_empty() {
                    "the position defines no packages".to_owned()
                } else {
                    format!("the packages of the position are {}", list(names, 20))
                };
                let help = help_with(suggestion, &rest);
                self.report(
                    Code::UnknownPackage,
                    format!("`{}` is not a package of the position", package.key),
                    package.key_span,
                    "unknown package",
                    Some(help),
                );
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
                    let suggestion = closest(text, ["agreed", "open", "rejected"]);
                    let rest = "a package is `agreed`, `open` or `rejected`; leave it out (or write `unknown`) when its state is not known";
                    self.report(
                        Code::InvalidPackageState,
                        format!("`{text}` is not a package state"),
                        value.span,
                        "expected `agreed`, `open` or `rejected`",
                        Some(help_with(suggestion, rest)),
                    );
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
                self.report(
                    Code::ReservedName,
                    format!("`{}` cannot name a weapon type", weapon_type.key),
                    weapon_type.key_span,
                    "reserved word",
                    Some("`unknown` marks an unknown value, so a reference to this type could not be told apart from it; rename the type".to_owned()),
                );
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

    /// The party `name`, written at `span`: a party of the position, and listed in
    /// `parties` of `scenario` when that list could be read.
    pub(super) fn listed_party(
        &mut self,
        name: &str,
        span: Span,
        parties: Option<&[usize]>,
    ) -> Option<usize> {
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
            let help = help_with(closest(name, listed.iter().copied()), &rest);
            self.report(
                Code::UnknownParty,
                format!("`{name}` is not a party of the position"),
                span,
                "unknown party",
                Some(help),
            );
            return None;
        };
        if parties.is_some_and(|parties| !parties.contains(&party)) {
            let help = format!(
                "add `{name}` to `parties` in `scenario`, or use one of {}",
                list(listed.iter().copied(), 20)
            );
            self.report(
                Code::PartyNotListed,
                format!("party `{name}` is not among the scenario's parties"),
                span,
                "not listed in `parties` of `scenario`",
                Some(help),
            );
            return None;
        }
        Some(party)
    }
}
