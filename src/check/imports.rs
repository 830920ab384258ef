//! Loading the rule files: the checked file and its imports, confined to the rules root
//! (absolute paths, `..` that climbs out and symbolic links that lead out are refused),
//! cycles and chains deeper than [`MAX_IMPORT_DEPTH`] refused.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use crate::ast::{self, Item, Node};
use crate::diagnostics::Problem;
use crate::files::{self, ReadError};
use crate::span::{SourceFile, Span};
use crate::syntax;

use super::{Code, MAX_IMPORT_DEPTH};

/// Read a file as UTF-8 (at most [`syntax::MAX_FILE_SIZE`] bytes, and only a regular file:
/// see [`files::read`]); what went wrong in words a user understands.
pub fn read_text(path: &Path) -> Result<Arc<str>, String> {
    let limit = u64::try_from(syntax::MAX_FILE_SIZE).unwrap_or(u64::MAX);
    let bytes = files::read(path, limit).map_err(|e| match e {
        ReadError::Io(e) => files::io_reason(&e),
        ReadError::Folder => "it is a folder".to_string(),
        ReadError::NotRegular(kind) => format!("it is {kind}, not a regular file"),
        ReadError::TooLarge(_) => {
            format!("the file is larger than {} bytes", syntax::MAX_FILE_SIZE)
        }
    })?;
    String::from_utf8(bytes).map(Arc::from).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Texts that stand for rule files on disk — an editor's unsaved buffers — by canonical path.
/// Imports are read from here first.
pub type Overlay = HashMap<PathBuf, Arc<str>>;

/// A parsed file and where it came from.
pub(super) struct Loaded {
    pub(super) file: SourceFile,
    /// The folder its imports and paths are relative to.
    pub(super) dir: PathBuf,
    pub(super) tree: ast::File,
    /// `false` for the file being checked.
    pub(super) is_import: bool,
    /// Text set aside after syntax errors ([`syntax::Parsed::lost`]).
    pub(super) lost: Vec<Span>,
}

/// Reads the checked file and, transitively, everything it imports.
pub(super) struct Loader {
    pub(super) root: PathBuf,
    /// The checked file first, then its imports in the order they are met.
    pub(super) files: Vec<Loaded>,
    pub(super) errors: Vec<Problem>,
    /// Canonical paths of the imports being followed, for cycle detection.
    stack: Vec<PathBuf>,
    loaded: HashSet<PathBuf>,
    overlay: Overlay,
}

impl Loader {
    /// A loader confined to `root`; `canonical`: where the checked file lies, so that an
    /// import of itself is a cycle; `overlay`: texts read instead of the files on disk.
    pub(super) fn new(root: PathBuf, canonical: Option<PathBuf>, overlay: Overlay) -> Loader {
        let mut loader = Loader {
            root,
            files: Vec::new(),
            errors: Vec::new(),
            stack: Vec::new(),
            loaded: HashSet::new(),
            overlay,
        };
        if let Some(path) = canonical {
            loader.loaded.insert(path.clone());
            loader.stack.push(path);
        }
        loader
    }

    /// Parse `file` and load its imports; `canonical` is `None` for the checked file.
    pub(super) fn load(
        &mut self,
        file: SourceFile,
        dir: PathBuf,
        canonical: Option<PathBuf>,
        depth: usize,
    ) {
        let parsed = syntax::parse_recovering(&file);
        self.errors.extend(parsed.errors);
        let Some(tree) = parsed.tree else {
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
            lost: parsed.lost,
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
        let overlaid = self.overlay.get(&resolved).map(Arc::clone);
        let text = match overlaid.map_or_else(|| read_text(&resolved), Ok) {
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
