//! Checking: a rule file and its imports → the checked [`Model`].
//!
//! Resolves imports (confined to the rules root, cycles refused), collects declarations,
//! reports duplicates and unknown names with "did you mean", types every expression (units
//! included), refuses recursive categories, and verifies every quote against the source text.
//! All problems are returned together.

mod err;
mod expr;
mod quotes;

use crate::lang::{DocumentKind, ProvisionKind, Verdict};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use crate::diagnostics::Problem;
use crate::diagnostics::did_you_mean;
pub use err::{CheckError, Code};
pub use quotes::{SourceText, normalize};

use crate::ast::{self, Item, Node};
use crate::model::{
    self, AttributeDef, AttributeType, Bound, Branch, Category, Date, Model, Period, Provision,
    Quote, Reading, Rule, Scope, Test, Variant, Vocabulary,
};
use crate::span::{SourceFile, Span};
use crate::syntax;

use expr::{Context, Typer};

/// Imports may chain this deep.
pub const MAX_IMPORT_DEPTH: usize = 16;

/// A checked position and the warnings found on the way.
#[derive(Debug)]
pub struct Checked {
    pub model: Model,
    pub warnings: Vec<CheckError>,
}

/// Check the rule file at `path`. Imports, the source text and test scenarios must lie under
/// `root`.
pub fn check_file(path: &Path, root: &Path) -> Result<Checked, Vec<CheckError>> {
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
    check_loaded(file, &dir, root, canonical)
}

/// Check rule-file text whose imports resolve against `dir`.
pub fn check_source(file: SourceFile, dir: &Path, root: &Path) -> Result<Checked, Vec<CheckError>> {
    check_loaded(file, dir, root, None)
}

/// `canonical`: where the checked file lies, so that an import of itself is a cycle.
fn check_loaded(
    file: SourceFile,
    dir: &Path,
    root: &Path,
    canonical: Option<PathBuf>,
) -> Result<Checked, Vec<CheckError>> {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut loader = Loader {
        root,
        files: Vec::new(),
        errors: Vec::new(),
        stack: Vec::new(),
        loaded: HashSet::new(),
    };
    if let Some(path) = canonical {
        loader.loaded.insert(path.clone());
        loader.stack.push(path);
    }
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
    };
    let model = checker.model();
    errors.extend(checker.problems);
    let (warnings, errors): (Vec<CheckError>, Vec<CheckError>) =
        errors.into_iter().partition(Problem::is_warning);
    match model {
        Some(model) if errors.is_empty() => Ok(Checked { model, warnings }),
        _ => Err(errors.into_iter().chain(warnings).collect()),
    }
}

/// Read a file as UTF-8, in words a user understands.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder".to_string(),
        _ => e.to_string().to_lowercase(),
    })?;
    if bytes.len() > syntax::MAX_FILE_SIZE {
        return Err(format!(
            "the file is larger than {} bytes",
            syntax::MAX_FILE_SIZE
        ));
    }
    String::from_utf8(bytes).map(Arc::from).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// A parsed file and where it came from.
struct Loaded {
    file: SourceFile,
    dir: PathBuf,
    tree: ast::File,
    /// 0 for the file being checked.
    is_import: bool,
}

struct Loader {
    root: PathBuf,
    files: Vec<Loaded>,
    errors: Vec<CheckError>,
    /// Canonical paths of the imports being followed, for cycle detection.
    stack: Vec<PathBuf>,
    loaded: HashSet<PathBuf>,
}

impl Loader {
    fn load(&mut self, file: SourceFile, dir: PathBuf, canonical: Option<PathBuf>, depth: usize) {
        let (tree, errors) = syntax::parse_recovering(&file);
        self.errors.extend(errors);
        let Some(tree) = tree else {
            return;
        };
        let imports: Vec<Node<String>> = tree
            .items
            .iter()
            .filter_map(|item| match item {
                Item::Import(path) => Some(path.clone()),
                _ => None,
            })
            .collect();
        let importer = file.clone();
        self.files.push(Loaded {
            file,
            dir: dir.clone(),
            tree,
            is_import: canonical.is_some(),
        });
        if let Some(path) = &canonical {
            self.stack.push(path.clone());
        }
        for import in imports {
            self.import(&importer, &dir, &import, depth);
        }
        if canonical.is_some() {
            self.stack.pop();
        }
    }

    fn import(&mut self, importer: &SourceFile, dir: &Path, import: &Node<String>, depth: usize) {
        let resolved = match resolve(&self.root, dir, &import.node) {
            Ok(path) => path,
            Err(problem) => {
                self.errors
                    .push(problem.at(importer, import.span, "imported here"));
                return;
            }
        };
        if self.stack.contains(&resolved) {
            let chain: Vec<String> = self
                .stack
                .iter()
                .chain(std::iter::once(&resolved))
                .map(|p| display_path(p))
                .collect();
            self.errors.push(
                Problem::new(
                    Code::ImportCycle,
                    format!("imports form a cycle through `{}`", import.node),
                )
                .at(importer, import.span, "this import closes a cycle")
                .with_help(format!(
                    "the imports run {}; remove one of them",
                    chain.join(" → ")
                )),
            );
            return;
        }
        if depth >= MAX_IMPORT_DEPTH {
            self.errors.push(
                Problem::new(
                    Code::ImportTooDeep,
                    format!("imports nest deeper than {MAX_IMPORT_DEPTH} files"),
                )
                .at(importer, import.span, "one import too many")
                .with_help("import the shared vocabulary directly instead of through a chain"),
            );
            return;
        }
        if !self.loaded.insert(resolved.clone()) {
            return; // Already loaded through another import: one definition, not two.
        }
        let text = match read_text(&resolved) {
            Ok(text) => text,
            Err(message) => {
                self.errors.push(
                    Problem::new(
                        Code::Io,
                        format!("cannot read `{}`: {message}", import.node),
                    )
                    .at(importer, import.span, "imported here"),
                );
                return;
            }
        };
        let display = display_path(&resolved);
        let import_dir = resolved.parent().map(Path::to_path_buf).unwrap_or_default();
        self.load(
            SourceFile::new(display, text),
            import_dir,
            Some(resolved),
            depth.saturating_add(1),
        );
    }
}

/// Resolve `relative` against `dir`, refusing anything outside `root` (absolute paths, `..`
/// that climbs out, symbolic links that lead out).
pub fn resolve(root: &Path, dir: &Path, relative: &str) -> Result<PathBuf, Problem> {
    let path = Path::new(relative);
    if path.is_absolute() || path.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Err(Problem::new(
            Code::OutsideRoot,
            format!("`{relative}` is an absolute path"),
        )
        .with_help("write paths relative to the file, inside the rules root"));
    }
    let outside = || {
        Problem::new(
            Code::OutsideRoot,
            format!("`{relative}` is outside the rules root"),
        )
        .with_help(format!(
            "files may only be read under {}",
            describe_root(root)
        ))
    };
    // Refuse `..` that climbs out before touching the file system…
    let base = std::env::current_dir().unwrap_or_default().join(dir);
    let base = base.canonicalize().unwrap_or(base);
    if !lexical(&base.join(path)).starts_with(root) {
        return Err(outside());
    }
    let joined = dir.join(path);
    let canonical = joined.canonicalize().map_err(|_| {
        Problem::new(Code::FileNotFound, format!("`{relative}` does not exist")).with_help(format!(
            "the path is relative to the folder of the file: `{}`",
            joined.display()
        ))
    })?;
    // …and symbolic links that lead out after.
    if !canonical.starts_with(root) {
        return Err(outside());
    }
    Ok(canonical)
}

/// The root as a user sees it: relative to the current folder, which is usually the root.
fn describe_root(root: &Path) -> String {
    match display_path(root).as_str() {
        "" => "the current folder (the rules root)".to_string(),
        relative => format!("`{relative}` (the rules root)"),
    }
}

/// `path` with `.` and `..` resolved by name alone.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// How a file is named to the user: relative to the current folder where possible.
fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Where a declaration was written.
#[derive(Clone, Copy)]
struct Origin {
    file: usize,
    span: Span,
}

struct Checker<'f> {
    files: &'f [Loaded],
    problems: Vec<Problem>,
    /// The rules root: every file read lies under it.
    root: PathBuf,
    /// Declarations were lost to syntax errors: do not warn that nothing is declared.
    main_had_syntax_errors: bool,
}

impl<'f> Checker<'f> {
    fn file(&self, index: usize) -> &'f SourceFile {
        // `index` always comes from enumerating `files`; the fallback is never taken.
        self.files.get(index).map_or(&*EMPTY_FILE, |l| &l.file)
    }

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

    fn model(&mut self) -> Option<Model> {
        let main = self.files.first()?;
        let header = main.tree.header.as_ref();
        let main_file = &main.file;

        // ── header ──
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
        let kind = header.map_or(DocumentKind::Position, |h| h.kind.node);
        let title = header.map(|h| h.title.node.clone()).unwrap_or_default();
        let date = header
            .and_then(|h| h.date.as_ref())
            .and_then(|d| self.date(0, d));
        let mut parties: Vec<String> = Vec::new();
        let mut seen_parties = HashMap::new();
        for party in header.map(|h| h.parties.as_slice()).unwrap_or_default() {
            if self.declare(&mut seen_parties, "party", 0, party) {
                parties.push(party.node.clone());
            }
        }
        let period = header
            .and_then(|h| h.period.as_ref())
            .map(|p| self.period(0, p))
            .unwrap_or_default();
        let source_text = header
            .and_then(|h| h.source.as_ref())
            .and_then(|source| self.source_text(0, source));
        let notes = header
            .map(|h| h.notes.iter().map(|n| n.node.clone()).collect())
            .unwrap_or_default();

        // ── declarations from every file ──
        let mut vocabulary = Vocabulary::default();
        let mut seen_type_attributes = HashMap::new();
        let mut seen_holding_attributes = HashMap::new();
        let mut seen_packages = HashMap::new();
        let mut seen_readings = HashMap::new();
        let mut seen_categories = HashMap::new();
        let mut seen_provisions = HashMap::new();
        let mut packages = Vec::new();
        let mut readings = Vec::new();
        let mut categories: Vec<(usize, &ast::Category)> = Vec::new();
        let mut provisions: Vec<(usize, &ast::Provision)> = Vec::new();
        let mut tests: Vec<(usize, &ast::Test)> = Vec::new();
        let mut quoted: Vec<(usize, Node<String>)> = Vec::new();

        let order = (1..self.files.len()).chain(std::iter::once(0));
        for (index, loaded) in order.filter_map(|i| self.files.get(i).map(|l| (i, l))) {
            for item in &loaded.tree.items {
                match item {
                    Item::Import(_) => {}
                    Item::WeaponTypes(attributes) => {
                        for attribute in attributes {
                            if self.declare(
                                &mut seen_type_attributes,
                                "weapon type attribute",
                                index,
                                &attribute.name,
                            ) {
                                if attribute.name.node == "name" {
                                    self.reserved(index, &attribute.name, "weapon type");
                                    continue;
                                }
                                if let Some(def) = self.attribute(index, attribute) {
                                    vocabulary.type_attributes.push(def);
                                }
                            }
                        }
                    }
                    Item::HoldingAttributes(attributes) => {
                        for attribute in attributes {
                            if self.declare(
                                &mut seen_holding_attributes,
                                "holding attribute",
                                index,
                                &attribute.name,
                            ) {
                                if matches!(
                                    attribute.name.node.as_str(),
                                    "party" | "name" | "count"
                                ) {
                                    self.reserved(index, &attribute.name, "holding");
                                    continue;
                                }
                                if let Some(def) = self.attribute(index, attribute) {
                                    vocabulary.holding_attributes.push(def);
                                }
                            }
                        }
                    }
                    Item::Package(package) => {
                        if self.declare(&mut seen_packages, "package", index, &package.name) {
                            quoted.extend(
                                package
                                    .annotations
                                    .quotes
                                    .iter()
                                    .map(|q| (index, q.clone())),
                            );
                            packages.push(model::Package {
                                name: package.name.node.clone(),
                                label: package.label.as_ref().map(|l| l.node.clone()),
                                quotes: quotes_of(&package.annotations),
                                notes: notes_of(&package.annotations),
                            });
                        }
                    }
                    Item::Reading(reading) => {
                        if self.declare(&mut seen_readings, "reading", index, &reading.name) {
                            quoted.extend(
                                reading
                                    .annotations
                                    .quotes
                                    .iter()
                                    .map(|q| (index, q.clone())),
                            );
                            readings.push(self.reading(index, reading));
                        }
                    }
                    Item::Category(category) => {
                        if self.declare(&mut seen_categories, "category", index, &category.name) {
                            quoted.extend(
                                category
                                    .annotations
                                    .quotes
                                    .iter()
                                    .map(|q| (index, q.clone())),
                            );
                            categories.push((index, category));
                        }
                    }
                    Item::Provision(provision) => {
                        if loaded.is_import {
                            self.misplaced(index, provision.id.span, "provisions");
                        } else if self.declare(
                            &mut seen_provisions,
                            "provision",
                            index,
                            &provision.id,
                        ) {
                            quoted.extend(
                                provision
                                    .annotations
                                    .quotes
                                    .iter()
                                    .map(|q| (index, q.clone())),
                            );
                            provisions.push((index, provision));
                        }
                    }
                    Item::Test(test) => {
                        if loaded.is_import {
                            self.misplaced(index, test.title.span, "tests");
                        } else {
                            tests.push((index, test));
                        }
                    }
                }
            }
        }

        // A reference attribute of a holding needs weapon types to point to.
        let category_names: Vec<String> = categories
            .iter()
            .map(|(_, c)| c.name.node.clone())
            .collect();
        let package_names: Vec<String> = packages
            .iter()
            .map(|p: &model::Package| p.name.clone())
            .collect();
        let reading_names: Vec<(String, Vec<String>)> = readings
            .iter()
            .map(|r: &Reading| {
                (
                    r.name.clone(),
                    r.variants.iter().map(|v| v.name.clone()).collect(),
                )
            })
            .collect();

        let typer_for = |file: &'f SourceFile| {
            Typer::new(expr::Scope {
                file,
                vocabulary: &vocabulary,
                categories: &category_names,
                packages: &package_names,
                readings: &reading_names,
            })
        };

        // ── categories ──
        let mut compiled_categories = Vec::new();
        let mut references: Vec<Vec<usize>> = Vec::new();
        for &(index, category) in &categories {
            let file = self.file(index);
            let mut typer = typer_for(file);
            let mut branches = Vec::new();
            if let Some(selection) = typer.predicate(&category.selection, Context::Holding) {
                branches.push(Branch {
                    condition: None,
                    selection,
                    text: written(file, category.selection.span),
                    condition_text: None,
                });
            }
            for exception in &category.exceptions {
                let condition = typer.predicate(&exception.condition, Context::Global);
                let selection = typer.predicate(&exception.selection, Context::Holding);
                if let (Some(condition), Some(selection)) = (condition, selection) {
                    branches.push(Branch {
                        condition: Some(condition),
                        selection,
                        text: written(file, exception.selection.span),
                        condition_text: Some(written(file, exception.condition.span)),
                    });
                }
            }
            references.push(std::mem::take(&mut typer.referenced_categories));
            self.problems.append(&mut typer.problems);
            compiled_categories.push(Category {
                name: category.name.node.clone(),
                label: category.label.as_ref().map(|l| l.node.clone()),
                quotes: quotes_of(&category.annotations),
                notes: notes_of(&category.annotations),
                branches,
            });
        }
        self.recursion(&categories, &references);

        // ── provisions ──
        let mut compiled_provisions = Vec::new();
        for &(index, provision) in &provisions {
            let file = self.file(index);
            let mut typer = typer_for(file);
            let compiled = self.provision(index, provision, &parties, period, &mut typer);
            self.problems.append(&mut typer.problems);
            compiled_provisions.extend(compiled);
        }

        // ── tests ──
        let mut compiled_tests = Vec::new();
        for &(index, test) in &tests {
            let compiled = self.test(index, test, &parties, &provisions, &readings);
            compiled_tests.extend(compiled);
        }

        // ── quotes ──
        let coverage = self.verify_quotes(&quoted, source_text.as_ref(), header);

        if kind != DocumentKind::Vocabulary && provisions.is_empty() && !self.main_had_syntax_errors
        {
            let span = header.map_or(Span::point(0), |h| h.kind.span);
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

        Some(Model {
            kind,
            title,
            date,
            parties,
            source: header
                .and_then(|h| h.source.as_ref())
                .map(|s| s.node.clone()),
            period,
            notes,
            vocabulary,
            packages,
            readings,
            categories: compiled_categories,
            provisions: compiled_provisions,
            tests: compiled_tests,
            file: main_file.clone(),
            coverage,
        })
    }

    fn reserved(&mut self, file: usize, name: &Node<String>, of: &str) {
        self.problem(
            file,
            Code::ReservedName,
            format!(
                "`{}` is built into every {of} and cannot be declared",
                name.node
            ),
            name.span,
            "built in",
        )
        .help = Some("choose another name for this attribute".to_string());
    }

    fn misplaced(&mut self, file: usize, span: Span, what: &str) {
        self.problem(
            file,
            Code::MisplacedDeclaration,
            format!("an imported file may not contain {what}"),
            span,
            "in an imported file",
        )
        .help = Some("imported files share vocabulary, packages, readings and categories; keep provisions and tests in the position".to_string());
    }

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

    fn period(&mut self, file: usize, period: &Node<ast::Period>) -> Period {
        let from = period.node.from.as_ref().and_then(|d| self.date(file, d));
        let until = period.node.until.as_ref().and_then(|d| self.date(file, d));
        if let (Some(f), Some(u)) = (from, until) {
            if f > u {
                self.problem(
                    file,
                    Code::InvalidPeriod,
                    format!("the period ends ({u}) before it starts ({f})"),
                    period.span,
                    "an empty period",
                );
            }
        }
        Period { from, until }
    }

    fn source_text(&mut self, file: usize, source: &Node<String>) -> Option<SourceText> {
        let loaded = self.files.get(file)?;
        match resolve(&self.root, &loaded.dir, &source.node) {
            Ok(path) => match read_text(&path) {
                Ok(text) => Some(SourceText::new(&text)),
                Err(message) => {
                    let problem = Problem::new(
                        Code::Io,
                        format!("cannot read the source text `{}`: {message}", source.node),
                    )
                    .at(&loaded.file, source.span, "named here");
                    self.problems.push(problem);
                    None
                }
            },
            Err(problem) => {
                self.problems
                    .push(problem.at(&loaded.file, source.span, "the source text"));
                None
            }
        }
    }

    fn attribute(&mut self, file: usize, attribute: &ast::Attribute) -> Option<AttributeDef> {
        let ty = match &attribute.ty.node {
            ast::AttributeType::Boolean => AttributeType::Boolean,
            ast::AttributeType::Integer => AttributeType::Integer,
            ast::AttributeType::Date => AttributeType::Date,
            ast::AttributeType::Quantity(unit_name) => match model::unit(&unit_name.node) {
                Some(unit) => AttributeType::Quantity { unit },
                None => {
                    let units: Vec<&str> = model::UNITS.iter().map(|u| u.symbol).collect();
                    let help = did_you_mean(&unit_name.node, units.iter().copied())
                        .unwrap_or_else(|| format!("known units: {}", units.join(", ")));
                    self.problem(
                        file,
                        Code::UnknownName,
                        format!("unknown unit `{}`", unit_name.node),
                        unit_name.span,
                        "no unit of this name",
                    )
                    .help = Some(help);
                    return None;
                }
            },
            ast::AttributeType::Enum(values) => {
                let mut seen = HashMap::new();
                let mut names = Vec::new();
                for value in values {
                    if self.declare(&mut seen, "value", file, value) {
                        names.push(value.node.clone());
                    }
                }
                AttributeType::Enum { values: names }
            }
            ast::AttributeType::Reference => AttributeType::Reference,
            ast::AttributeType::List => AttributeType::List,
        };
        Some(AttributeDef {
            name: attribute.name.node.clone(),
            ty,
            description: attribute.description.as_ref().map(|d| d.node.clone()),
        })
    }

    fn reading(&mut self, file: usize, reading: &ast::Reading) -> Reading {
        let mut seen = HashMap::new();
        let mut variants = Vec::new();
        let mut defaults = Vec::new();
        for variant in &reading.variants {
            if self.declare(&mut seen, "variant", file, &variant.name) {
                if let Some(span) = variant.default {
                    defaults.push((variants.len(), span));
                }
                variants.push(Variant {
                    name: variant.name.node.clone(),
                    label: variant.label.as_ref().map(|l| l.node.clone()),
                });
            }
        }
        let default = match defaults.as_slice() {
            [(index, _)] => *index,
            [] => {
                let message = format!("reading `{}` has no default variant", reading.name.node);
                let help = if variants.len() < 2 {
                    "a reading needs at least two variants, one marked `(default)`"
                } else {
                    "mark the variant evaluation uses unless told otherwise with `(default)`"
                };
                self.problem(
                    file,
                    Code::ReadingDefault,
                    message,
                    reading.name.span,
                    "which variant applies by default?",
                )
                .help = Some(help.to_string());
                0
            }
            [(first, first_span), rest @ ..] => {
                let message = format!(
                    "reading `{}` has {} default variants",
                    reading.name.node,
                    rest.len().saturating_add(1)
                );
                let problem = self.problem(
                    file,
                    Code::ReadingDefault,
                    message,
                    *first_span,
                    "first default",
                );
                for (_, span) in rest {
                    problem
                        .secondary
                        .push((*span, "another default".to_string()));
                }
                problem.help = Some("keep `(default)` on one variant only".to_string());
                *first
            }
        };
        Reading {
            name: reading.name.node.clone(),
            label: reading.label.as_ref().map(|l| l.node.clone()),
            quotes: quotes_of(&reading.annotations),
            notes: notes_of(&reading.annotations),
            variants,
            default,
        }
    }

    /// Refuse categories that count themselves, directly or through others.
    fn recursion(&mut self, categories: &[(usize, &ast::Category)], references: &[Vec<usize>]) {
        // Colour: 0 unvisited, 1 on the current path, 2 done.
        let mut colour = vec![0u8; categories.len()];
        let mut reported = HashSet::new();
        for start in 0..categories.len() {
            let mut path = vec![start];
            let mut stack = vec![(start, 0usize)];
            if let Some(c) = colour.get_mut(start) {
                if *c != 0 {
                    continue;
                }
                *c = 1;
            }
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                let edge = references.get(node).and_then(|r| r.get(*next)).copied();
                *next = next.saturating_add(1);
                match edge {
                    None => {
                        if let Some(c) = colour.get_mut(node) {
                            *c = 2;
                        }
                        stack.pop();
                        path.pop();
                    }
                    Some(target) => match colour.get(target).copied() {
                        Some(0) => {
                            if let Some(c) = colour.get_mut(target) {
                                *c = 1;
                            }
                            stack.push((target, 0));
                            path.push(target);
                        }
                        Some(1) if reported.insert(target) => {
                            let cycle_start = path.iter().position(|&p| p == target).unwrap_or(0);
                            let names: Vec<String> = path
                                .get(cycle_start..)
                                .unwrap_or(&[])
                                .iter()
                                .chain(std::iter::once(&target))
                                .filter_map(|&i| {
                                    categories.get(i).map(|(_, c)| format!("`{}`", c.name.node))
                                })
                                .collect();
                            if let Some((file, category)) = categories.get(target) {
                                self.problem(
                                    *file,
                                    Code::RecursiveCategory,
                                    format!(
                                        "category `{}` is defined in terms of itself",
                                        category.name.node
                                    ),
                                    category.name.span,
                                    "counts itself",
                                )
                                .help = Some(format!(
                                    "the definitions run {}; define one without the others",
                                    names.join(" → ")
                                ));
                            }
                        }
                        _ => {}
                    },
                }
            }
        }
    }

    fn provision(
        &mut self,
        file: usize,
        provision: &ast::Provision,
        parties: &[String],
        position_period: Period,
        typer: &mut Typer<'_>,
    ) -> Option<Provision> {
        let kind = provision.kind.node;
        let source = self.file(file);
        let scope = match provision.scope.as_ref().map(|s| &s.node) {
            None | Some(ast::Scope::EachParty) => {
                if kind == ProvisionKind::Assurance {
                    self.problem(
                        file,
                        Code::WrongRule,
                        "an assurance is given by one party".to_string(),
                        provision.id.span,
                        "by whom?",
                    )
                    .help = Some(format!(
                        "write `assurance {} by PARTY {{ … }}`",
                        provision.id.node
                    ));
                }
                Scope::EachParty
            }
            Some(ast::Scope::For(party)) => Scope::For(self.party(file, party, parties)?),
            Some(ast::Scope::By(party)) => Scope::By(self.party(file, party, parties)?),
        };
        let mut conditions = Vec::new();
        let mut condition_texts = Vec::new();
        for condition in &provision.conditions {
            if let Some(predicate) = typer.predicate(condition, Context::Global) {
                conditions.push(predicate);
                condition_texts.push(written(source, condition.span));
            }
        }
        let own = provision
            .period
            .as_ref()
            .map(|p| self.period(file, p))
            .unwrap_or_default();
        let period = Period {
            from: max_option(own.from, position_period.from),
            until: min_option(own.until, position_period.until),
        };
        let expected = match kind {
            ProvisionKind::Limit => "`count of CATEGORY at most N`",
            ProvisionKind::Ban => "`no CATEGORY`",
            ProvisionKind::Assurance => "`every CATEGORY has CONDITION`",
            ProvisionKind::Statement => "no rule",
        };
        let rule = match (kind, provision.rule.as_ref().map(|r| &r.node)) {
            (ProvisionKind::Statement, None) => Rule::None,
            (
                ProvisionKind::Limit,
                Some(ast::Rule::Limit {
                    quantity,
                    comparison,
                    bounds,
                }),
            ) => {
                let compiled = typer.quantity(quantity);
                let bounds = self.bounds(file, bounds, typer);
                Rule::Limit {
                    quantity: compiled?,
                    comparison: comparison.node,
                    bounds: bounds?,
                    text: written(source, quantity.span),
                }
            }
            (ProvisionKind::Ban, Some(ast::Rule::Ban { category })) => Rule::Ban {
                category: typer.category(category)?,
            },
            (
                ProvisionKind::Assurance,
                Some(ast::Rule::Assurance {
                    category,
                    requirement,
                }),
            ) => {
                let category = typer.category(category);
                let compiled = typer.predicate(requirement, Context::Holding);
                Rule::Assurance {
                    category: category?,
                    requirement: compiled?,
                    text: written(source, requirement.span),
                }
            }
            (_, rule) => {
                let span = provision
                    .rule
                    .as_ref()
                    .map_or(provision.id.span, |r| r.span);
                let message = match rule {
                    None => format!("this {} has no rule", kind.as_str()),
                    Some(_) => format!("this rule does not fit a {}", kind.as_str()),
                };
                let problem = self.problem(file, Code::WrongRule, message, span, "here");
                problem
                    .secondary
                    .push((provision.kind.span, "the kind of provision".to_string()));
                problem.help = Some(format!("a {} reads {expected}", kind.as_str()));
                return None;
            }
        };
        if provision.annotations.quotes.is_empty() {
            self.problem(
                file,
                Code::MissingQuote,
                format!("provision `{}` quotes nothing", provision.id.node),
                provision.id.span,
                "no `quote`",
            )
            .help = Some("anchor the provision to the words it encodes: `quote \"…\"`".to_string());
        }
        Some(Provision {
            id: provision.id.node.clone(),
            label: provision.label.as_ref().map(|l| l.node.clone()),
            kind,
            scope,
            quotes: quotes_of(&provision.annotations),
            notes: notes_of(&provision.annotations),
            conditions,
            condition_texts,
            period,
            rule,
            span: provision.id.span,
        })
    }

    fn bounds(
        &mut self,
        file: usize,
        bounds: &[ast::Bound],
        typer: &mut Typer<'_>,
    ) -> Option<Vec<Bound>> {
        let mut compiled = Vec::new();
        let mut ok = true;
        let mut previous: Option<Date> = None;
        for bound in bounds {
            let value = typer.whole(&bound.value.node, bound.value.span);
            let from = match &bound.from {
                None => None,
                Some(date) => {
                    let parsed = self.date(file, date);
                    if let (Some(p), Some(d)) = (previous, parsed) {
                        if d <= p {
                            self.problem(
                                file,
                                Code::InvalidBound,
                                format!(
                                    "bounds must change in date order, and {d} is not after {p}"
                                ),
                                date.span,
                                "out of order",
                            );
                            ok = false;
                        }
                    }
                    previous = parsed.or(previous);
                    if parsed.is_none() {
                        ok = false;
                    }
                    parsed
                }
            };
            match value {
                Some(value) => compiled.push(Bound { from, value }),
                None => ok = false,
            }
        }
        ok.then_some(compiled)
    }

    fn party(&mut self, file: usize, party: &Node<String>, parties: &[String]) -> Option<usize> {
        let index = parties.iter().position(|p| *p == party.node);
        if index.is_none() {
            let help = did_you_mean(&party.node, parties.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    format!(
                        "the parties are {}",
                        if parties.is_empty() {
                            "not declared: add `parties A, B` to the header".to_string()
                        } else {
                            parties.join(", ")
                        }
                    )
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

    fn test(
        &mut self,
        file: usize,
        test: &ast::Test,
        parties: &[String],
        provisions: &[(usize, &ast::Provision)],
        readings: &[Reading],
    ) -> Option<Test> {
        let loaded = self.files.get(file)?;
        let scenario = match &test.scenario {
            None => {
                self.problem(
                    file,
                    Code::WrongRule,
                    format!("test \"{}\" names no scenario", test.title.node),
                    test.title.span,
                    "which scenario?",
                )
                .help = Some("add `scenario \"PATH\"`, relative to this file".to_string());
                None
            }
            Some(path) => match resolve(&self.root, &loaded.dir, &path.node) {
                Ok(resolved) => Some(resolved),
                Err(problem) => {
                    self.problems
                        .push(problem.at(&loaded.file, path.span, "the scenario"));
                    None
                }
            },
        };
        let mut chosen = Vec::new();
        for (reading, variant) in &test.readings {
            let Some(r) = readings.iter().position(|x| x.name == reading.node) else {
                let help = did_you_mean(&reading.node, readings.iter().map(|r| r.name.as_str()));
                self.problem(
                    file,
                    Code::UnknownName,
                    format!("unknown reading `{}`", reading.node),
                    reading.span,
                    "no reading of this name",
                )
                .help = help;
                continue;
            };
            let variants = readings
                .get(r)
                .map(|x| x.variants.as_slice())
                .unwrap_or_default();
            match variants.iter().position(|v| v.name == variant.node) {
                Some(v) => chosen.push((r, v)),
                None => {
                    let help =
                        did_you_mean(&variant.node, variants.iter().map(|v| v.name.as_str()));
                    self.problem(
                        file,
                        Code::UnknownName,
                        format!("unknown variant `{}`", variant.node),
                        variant.span,
                        "no variant of this name",
                    )
                    .help = help;
                }
            }
        }
        let mut expectations = Vec::new();
        for expectation in &test.expectations {
            let provision = provisions
                .iter()
                .position(|(_, p)| p.id.node == expectation.provision.node);
            if provision.is_none() {
                let help = did_you_mean(
                    &expectation.provision.node,
                    provisions.iter().map(|(_, p)| p.id.node.as_str()),
                );
                self.problem(
                    file,
                    Code::UnknownName,
                    format!("unknown provision `{}`", expectation.provision.node),
                    expectation.provision.span,
                    "no provision of this id",
                )
                .help = help;
            }
            let party = match &expectation.party {
                None => Some(None),
                Some(p) => self.party(file, p, parties).map(Some),
            };
            let verdict = Verdict::parse(&expectation.verdict.node);
            if let (Some(provision), Some(party), Some(verdict)) = (provision, party, verdict) {
                expectations.push(model::Expectation {
                    provision,
                    party,
                    verdict,
                    span: expectation.provision.span.to(expectation.verdict.span),
                });
            }
        }
        Some(Test {
            title: test.title.node.clone(),
            scenario: scenario?,
            readings: chosen,
            expectations,
            span: test.span,
        })
    }

    fn verify_quotes(
        &mut self,
        quoted: &[(usize, Node<String>)],
        source: Option<&SourceText>,
        header: Option<&ast::Header>,
    ) -> Option<model::SourceCoverage> {
        let Some(source) = source else {
            // Quotes can only be verified against a source; say so once.
            if header.is_some_and(|h| h.source.is_none()) {
                if let Some((file, quote)) = quoted.iter().find(|(file, _)| *file == 0) {
                    self.problem(
                        *file,
                        Code::NoSource,
                        "quotes need a source text to be checked against".to_string(),
                        quote.span,
                        "this quote cannot be verified",
                    )
                    .help = Some(
                        "name the source in the header: `source \"sources/TEXT.txt\"`".to_string(),
                    );
                }
            }
            return None;
        };
        for (file, quote) in quoted.iter().filter(|(file, _)| *file == 0) {
            if !source.contains(&quote.node) {
                let help = match source.nearest(&quote.node) {
                    Some(passage) => format!(
                        "the nearest passage of the source reads: “{}”",
                        shorten(&passage, 240)
                    ),
                    None => "nothing in the source resembles this quote".to_string(),
                };
                self.problem(
                    *file,
                    Code::QuoteNotFound,
                    "quote is not in the source text".to_string(),
                    quote.span,
                    "not found in the source",
                )
                .help = Some(help);
            }
        }
        Some(
            source.coverage(
                quoted
                    .iter()
                    .filter(|(file, _)| *file == 0)
                    .map(|(_, q)| q.node.as_str()),
            ),
        )
    }
}

static EMPTY_FILE: std::sync::LazyLock<SourceFile> =
    std::sync::LazyLock::new(|| SourceFile::new("", ""));

fn quotes_of(annotations: &ast::Annotations) -> Vec<Quote> {
    annotations
        .quotes
        .iter()
        .map(|q| Quote {
            text: q.node.clone(),
            span: q.span,
        })
        .collect()
}

fn notes_of(annotations: &ast::Annotations) -> Vec<String> {
    annotations.notes.iter().map(|n| n.node.clone()).collect()
}

/// The text of a span with its whitespace folded, as it is shown in explanations.
fn written(file: &SourceFile, span: Span) -> String {
    file.slice(span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

fn max_option(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_option(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}
