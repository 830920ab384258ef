//! Checking: a rule file and its imports → the checked [`Model`].
//!
//! Resolves imports (confined to the rules root, cycles refused), collects declarations,
//! reports duplicates and unknown names with "did you mean", types every expression (units
//! included), refuses recursive categories, and verifies every quote against the source text.
//! All problems are returned together.
//!
//! One module a section of `Checker::model`: `imports` (loading files, the rules root),
//! `declare` (collecting declarations, with `defaults` for attribute defaults), `categories`,
//! `provision` (with `dates` for periods and date expressions), `test_blocks`, `sources`
//! (with `quotes` for finding words in a text);
//! `expr` and `value` type expressions.

mod categories;
mod dates;
mod declare;
mod defaults;
mod err;
mod expr;
mod imports;
mod provision;
mod quotes;
mod sources;
mod test_blocks;
mod value;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::diagnostics::Problem;
use crate::diagnostics::{Code as _, closest, did_you_mean, the_names};
pub use err::{CheckError, Code};
pub use imports::{Overlay, read_text, resolve};
pub use quotes::{SourceText, normalize, normalize_mapped, sentences};

use crate::ast::{self, Node};
use crate::lang::{DocumentKind, Keyword};
use crate::model::{Citations, Date, Model, Period, PeriodWritten};
use crate::span::{SourceFile, Span};

use dates::Anchors;
use declare::Names;
use imports::{Loaded, Loader};
use sources::LoadedSource;

/// Imports may chain this deep.
pub const MAX_IMPORT_DEPTH: usize = 16;

/// A checked position and the warnings found on the way.
#[derive(Debug)]
pub struct Checked {
    /// The checked, compiled position.
    pub model: Model,
    /// Problems that do not stop the position from being used.
    pub warnings: Vec<CheckError>,
}

/// What of a rule file is checked beyond the position itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckOptions {
    /// Check the `test` blocks and resolve their scenarios. `check` and `test` do; `eval`
    /// and `compare` never run the tests, so they leave them alone (only what a command uses
    /// is resolved) and the model has no tests.
    pub tests: bool,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions { tests: true }
    }
}

/// Check the rule file at `path`. Imports, the source text and test scenarios must lie under
/// `root`.
pub fn check_file(path: &Path, root: &Path) -> Result<Checked, Vec<CheckError>> {
    check_file_with(path, root, CheckOptions::default())
}

/// [`check_file`], checking only what `options` asks for.
pub fn check_file_with(
    path: &Path,
    root: &Path,
    options: CheckOptions,
) -> Result<Checked, Vec<CheckError>> {
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => {
            return Err(vec![Problem::new(
                Code::Io,
                format!("cannot read `{}`: {message}", path.display()),
            )]);
        }
    };
    let file = SourceFile::new(path.display().to_string(), text);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let canonical = path.canonicalize().ok();
    check_loaded(file, &dir, root, canonical, options, Overlay::new())
}

/// Check rule-file text whose imports resolve against `dir`.
pub fn check_source(file: SourceFile, dir: &Path, root: &Path) -> Result<Checked, Vec<CheckError>> {
    check_loaded(
        file,
        dir,
        root,
        None,
        CheckOptions::default(),
        Overlay::new(),
    )
}

/// Check `text` as the rule file at `path` (an editor's buffer, saved or not); imports are
/// read from `overlay` where it holds them, else from disk.
pub fn check_overlaid(
    path: &Path,
    text: Arc<str>,
    root: &Path,
    overlay: &Overlay,
) -> Result<Checked, Vec<CheckError>> {
    let file = SourceFile::new(path.display().to_string(), text);
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let canonical = path.canonicalize().ok();
    check_loaded(
        file,
        &dir,
        root,
        canonical,
        CheckOptions::default(),
        overlay.clone(),
    )
}

/// `canonical`: where the checked file lies, so that an import of itself is a cycle;
/// `overlay`: texts read instead of the files on disk.
fn check_loaded(
    file: SourceFile,
    dir: &Path,
    root: &Path,
    canonical: Option<PathBuf>,
    options: CheckOptions,
    overlay: Overlay,
) -> Result<Checked, Vec<CheckError>> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut loader = Loader::new(root, canonical, overlay);
    loader.load(file, dir.to_path_buf(), None, 0);
    let main_had_syntax_errors = !loader.errors.is_empty();
    let Loader {
        files,
        mut errors,
        root,
        ..
    } = loader;
    if files.is_empty() {
        return Err(errors);
    }
    let mut checker = Checker {
        files: &files,
        problems: Vec::new(),
        root,
        main_had_syntax_errors,
        options,
        anchors: Anchors::default(),
        sources: Vec::new(),
    };
    let model = checker.model();
    errors.extend(
        checker
            .problems
            .into_iter()
            .filter(|problem| !follows_from_lost_text(problem, &files)),
    );
    let (warnings, errors): (Vec<CheckError>, Vec<CheckError>) =
        errors.into_iter().partition(Problem::is_warning);
    match model {
        Some(model) if errors.is_empty() => Ok(Checked { model, warnings }),
        _ => Err(errors.into_iter().chain(warnings).collect()),
    }
}

/// Whether `problem` follows only from text set aside after a syntax error, which the user
/// will see again once that error is fixed: a missing header when the header was set
/// aside, an unknown name that the lost text mentions (it may well have declared it), any
/// unknown name when an import was lost, a missing quote when a `quote` or `cite` line was
/// lost. One mistake, one message.
fn follows_from_lost_text<'f>(problem: &Problem, files: &'f [Loaded]) -> bool {
    let lost: Vec<&'f str> = files
        .iter()
        .flat_map(|loaded| loaded.lost.iter().map(|span| loaded.file.slice(*span)))
        .collect();
    if lost.is_empty() {
        return false;
    }
    let code = miette::Diagnostic::code(problem).map(|c| c.to_string());
    // The first word of a lost declaration, as written or misspelt (`positon`).
    let first_word = |text: &'f str| -> &'f str {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .find(|w| !w.is_empty())
            .unwrap_or("")
    };
    if code.as_deref() == Some(Code::MissingHeader.as_str()) {
        let kinds = || DocumentKind::ALL.iter().map(|k| k.as_str());
        return lost.iter().any(|text| {
            let word = first_word(text);
            kinds().any(|k| k == word) || closest(word, kinds()).is_some()
        });
    }
    if code.as_deref() == Some(Code::MissingQuote.as_str()) {
        // A `quote` or `cite` line set aside leaves its provision seemingly unanchored.
        let anchors = [Keyword::Quote.as_str(), Keyword::Cite.as_str()];
        return lost.iter().any(|text| {
            let word = first_word(text);
            anchors.contains(&word) || closest(word, anchors).is_some()
        });
    }
    if code.as_deref() != Some(Code::UnknownName.as_str()) {
        return false;
    }
    // A lost import (`use "…treaty"`, however misspelt) leaves any name unknown.
    if lost.iter().any(|text| text.contains(".treaty\"")) {
        return true;
    }
    // The name is the first thing in backticks: "unknown provision `aggregate_ceiling`".
    let Some(name) = problem.message.split('`').nth(1) else {
        return false;
    };
    lost.iter().any(|text| {
        text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| word == name)
    })
}

/// Where a declaration was written.
#[derive(Clone, Copy)]
struct Origin {
    file: usize,
    span: Span,
}

/// The checking of one rule file and its imports: problems are collected, never thrown.
struct Checker<'f> {
    files: &'f [Loaded],
    problems: Vec<Problem>,
    /// The rules root: every file read lies under it.
    root: PathBuf,
    /// Declarations were lost to syntax errors: do not warn that nothing is declared.
    main_had_syntax_errors: bool,
    options: CheckOptions,
    /// The header's dates that date expressions count from, once the header is read.
    anchors: Anchors,
    /// The header's source texts, once the header is read.
    sources: Vec<LoadedSource>,
}

/// What the header says, checked.
struct HeaderFacts {
    kind: DocumentKind,
    title: String,
    date: Option<Date>,
    entry_into_force: Option<Date>,
    parties: Vec<String>,
    period: Period,
    period_written: PeriodWritten,
    /// The unnamed source text's path, as written.
    source: Option<String>,
    notes: Vec<String>,
}

impl<'f> Checker<'f> {
    /// The model, section by section; every section records its problems in order, so
    /// that they are reported in the order the sections run.
    fn model(&mut self) -> Option<Model> {
        let main = self.files.first()?;
        let header = self.header(main);
        let declared = self.declarations();
        let names = Names::of(&declared);
        let categories = self.categories(&declared, &names);
        let provisions = self.provisions(
            &declared,
            &names,
            &header.parties,
            (header.period, &header.period_written),
        );
        let tests = if self.options.tests {
            self.tests(&declared, &header.parties)
        } else {
            Vec::new()
        };
        let coverage = self.verify_quotes(&declared.quoted, main.tree.header.as_ref());
        if declared.provisions.is_empty() {
            self.warn_empty(main, header.kind);
        }
        Some(Model {
            kind: header.kind,
            title: header.title,
            date: header.date,
            entry_into_force: header.entry_into_force,
            parties: header.parties,
            source: header.source,
            sources: self.source_refs(),
            period: header.period,
            period_written: header.period_written,
            notes: header.notes,
            vocabulary: declared.vocabulary,
            packages: declared.packages,
            readings: declared.readings,
            categories,
            provisions,
            tests,
            file: main.file.clone(),
            coverage,
            citations: Citations {
                quoted: declared
                    .quoted
                    .iter()
                    .filter(|(file, _)| *file == 0)
                    .count(),
                cited: declared.cited,
            },
        })
    }

    /// The header of the checked file: its kind, title, date, parties, period and source.
    fn header(&mut self, main: &Loaded) -> HeaderFacts {
        let header = main.tree.header.as_ref();
        if header.is_none() && !main.tree.items.is_empty() {
            self.problem(
                0,
                Code::MissingHeader,
                "rule file has no header".to_string(),
                Span::point(0),
                "expected `position \"TITLE\" { … }` here",
            )
            .help = Some(
                "start the file with `position`, `treaty`, `proposal`, `protocol` or `vocabulary`"
                    .to_string(),
            );
        }
        self.anchors = header.map(|h| self.anchors(h)).unwrap_or_default();
        let mut parties: Vec<String> = Vec::new();
        let mut seen_parties = HashMap::new();
        for party in header.map(|h| h.parties.as_slice()).unwrap_or_default() {
            if self.declare(&mut seen_parties, "party", 0, party) {
                parties.push(party.node.clone());
            }
        }
        let (period, period_written) = header
            .and_then(|h| h.period.as_ref())
            .map(|p| self.period(0, p))
            .unwrap_or_default();
        self.sources = self.read_sources(header);
        HeaderFacts {
            kind: header.map_or(DocumentKind::Position, |h| h.kind.node),
            title: header.map(|h| h.title.node.clone()).unwrap_or_default(),
            date: self.anchors.signature,
            entry_into_force: self.anchors.entry_into_force,
            parties,
            period,
            period_written,
            source: header
                .and_then(|h| h.sources.iter().find(|s| s.name.is_none()))
                .map(|s| s.path.node.clone()),
            notes: header
                .map(|h| h.notes.iter().map(|n| n.node.clone()).collect())
                .unwrap_or_default(),
        }
    }

    /// A position without provisions binds no one: most likely a mistake, so a warning.
    fn warn_empty(&mut self, main: &Loaded, kind: DocumentKind) {
        if kind == DocumentKind::Vocabulary || self.main_had_syntax_errors {
            return;
        }
        let span = main
            .tree
            .header
            .as_ref()
            .map_or(Span::point(0), |h| h.kind.span);
        self.problem(
            0,
            Code::EmptyPosition,
            format!("this {} has no provisions", kind.as_str()),
            span,
            "nothing here binds anyone",
        )
        .help = Some(
            "add a `limit`, `ban`, `assurance` or `statement`, or make the file a `vocabulary`"
                .to_string(),
        );
    }

    /// The file at `index` of the loaded files.
    fn file(&self, index: usize) -> &'f SourceFile {
        // `index` always comes from enumerating `files`; the fallback is never taken.
        self.files.get(index).map_or(&*EMPTY_FILE, |l| &l.file)
    }

    /// Record a problem in file `file` and hand it back, so a help or a label can be added.
    fn problem(
        &mut self,
        file: usize,
        code: Code,
        message: String,
        span: Span,
        label: &str,
    ) -> &mut Problem {
        let problem = Problem::new(code, message).at(self.file(file), span, label);
        crate::diagnostics::push(&mut self.problems, problem)
    }

    /// Record `name` in `seen`, reporting a duplicate with both places.
    fn declare(
        &mut self,
        seen: &mut HashMap<String, Origin>,
        what: &str,
        file: usize,
        name: &Node<String>,
    ) -> bool {
        if let Some(first) = seen.get(&name.node).copied() {
            let message = format!("{what} `{}` is defined twice", name.node);
            let first_file = self.file(first.file).name.clone();
            let problem = self.problem(
                file,
                Code::Duplicate,
                message,
                name.span,
                "defined again here",
            );
            if first.file == file {
                problem
                    .secondary
                    .push((first.span, "first defined here".to_string()));
            } else {
                problem.help = Some(format!("it is first defined in `{first_file}`"));
            }
            return false;
        }
        seen.insert(
            name.node.clone(),
            Origin {
                file,
                span: name.span,
            },
        );
        true
    }

    /// A date of a header or a bound, reporting one that is no day.
    fn date(&mut self, file: usize, date: &Node<String>) -> Option<Date> {
        let parsed = Date::parse(&date.node);
        if parsed.is_none() {
            self.problem(
                file,
                Code::InvalidDate,
                format!("`{}` is not a date", date.node),
                date.span,
                "no such day",
            )
            .help = Some("dates are written `YYYY-MM-DD`, as in `1977-03-15`".to_string());
        }
        parsed
    }

    /// The index of a party of the header, reporting an unknown one.
    fn party(&mut self, file: usize, party: &Node<String>, parties: &[String]) -> Option<usize> {
        let index = parties.iter().position(|p| *p == party.node);
        if index.is_none() {
            let help = did_you_mean(&party.node, parties.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    if parties.is_empty() {
                        "the parties are not declared: add `parties A, B` to the header".to_string()
                    } else {
                        the_names("parties", parties.iter().map(String::as_str))
                    }
                });
            self.problem(
                file,
                Code::UnknownName,
                format!("unknown party `{}`", party.node),
                party.span,
                "not a party",
            )
            .help = Some(help);
        }
        index
    }
}

static EMPTY_FILE: std::sync::LazyLock<SourceFile> =
    std::sync::LazyLock::new(|| SourceFile::new("", ""));

fn cites_of(annotations: &ast::Annotations) -> Vec<String> {
    annotations.cites.iter().map(|c| c.node.clone()).collect()
}

fn notes_of(annotations: &ast::Annotations) -> Vec<String> {
    annotations.notes.iter().map(|n| n.node.clone()).collect()
}

/// The text of a span with its whitespace folded, as it is shown in explanations.
fn written(file: &SourceFile, span: Span) -> String {
    let text = file.slice(span);
    let mut folded = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.push_str(word);
    }
    folded
}
