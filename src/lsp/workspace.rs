//! The files the server knows: the open buffers, over the files on disk. Each is parsed by
//! [`crate::syntax`]; a document's imports are followed as the checker follows them, with the
//! same rules root.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::ast::{self, Item};
use crate::check::{self, Checked, Overlay, Problem};
use crate::span::SourceFile;
use crate::syntax;

/// At most this many rule files are read from the workspace folders for workspace symbols and
/// references.
const MAX_WORKSPACE_FILES: usize = 2000;
/// Folders nest at most this deep below a workspace folder.
const MAX_DEPTH: usize = 16;

/// An open buffer.
pub(super) struct Document {
    pub(super) text: Arc<str>,
    pub(super) version: i32,
}

/// A rule file, parsed.
pub(super) struct Parsed {
    /// Absolute, and canonical where the file exists.
    pub(super) path: PathBuf,
    pub(super) file: SourceFile,
    /// `None` when even recovery found nothing.
    pub(super) tree: Option<ast::File>,
    /// The rules root its paths are resolved under.
    pub(super) root: PathBuf,
}

impl Parsed {
    pub(super) fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// The file a path written in this file (`use`, `source`, `scenario`) names, when it is
    /// inside the rules root.
    pub(super) fn resolve(&self, relative: &str) -> Option<PathBuf> {
        check::resolve(&self.root, self.dir(), relative).ok()
    }
}

/// The open documents and the workspace folders.
#[derive(Default)]
pub(super) struct Workspace {
    pub(super) documents: BTreeMap<PathBuf, Document>,
    /// The workspace folders the client named.
    pub(super) folders: Vec<PathBuf>,
    /// `treaty --root DIR lsp`: the rules root of every file.
    pub(super) root: Option<PathBuf>,
}

impl Workspace {
    /// The text of `path`: its open buffer, else the file on disk.
    pub(super) fn text(&self, path: &Path) -> Option<Arc<str>> {
        match self.documents.get(path) {
            Some(document) => Some(Arc::clone(&document.text)),
            None => check::read_text(path).ok(),
        }
    }

    /// The rules root of `path`: `--root`, else the workspace folder it lies in, else its
    /// own folder.
    pub(super) fn root_for(&self, path: &Path) -> PathBuf {
        if let Some(root) = &self.root {
            return canonical(root);
        }
        self.folders
            .iter()
            .map(|folder| canonical(folder))
            .filter(|folder| path.starts_with(folder))
            .max_by_key(|folder| folder.components().count())
            .unwrap_or_else(|| path.parent().map(Path::to_path_buf).unwrap_or_default())
    }

    /// The open buffers, as the checker reads them instead of the disk.
    pub(super) fn overlay(&self) -> Overlay {
        self.documents
            .iter()
            .map(|(path, document)| (path.clone(), Arc::clone(&document.text)))
            .collect()
    }

    /// Check the file at `path` as `treaty check` would, reading open buffers first.
    pub(super) fn check(&self, path: &Path) -> Option<Result<Checked, Vec<Problem>>> {
        let text = self.text(path)?;
        let root = self.root_for(path);
        Some(check::check_overlaid(path, text, &root, &self.overlay()))
    }

    pub(super) fn parse(&self, path: &Path) -> Option<Parsed> {
        let text = self.text(path)?;
        let file = SourceFile::new(path.display().to_string(), text);
        let tree = syntax::parse_recovering(&file).tree;
        Some(Parsed {
            path: path.to_path_buf(),
            file,
            tree,
            root: self.root_for(path),
        })
    }

    /// The file at `path` and, transitively, the files it imports: each once, the file first.
    pub(super) fn closure(&self, path: &Path) -> Vec<Parsed> {
        let mut seen = HashSet::new();
        let mut files = Vec::new();
        let mut pending = vec![path.to_path_buf()];
        while let Some(next) = pending.pop() {
            if !seen.insert(next.clone()) || seen.len() > check::MAX_IMPORT_DEPTH * 8 {
                continue;
            }
            let Some(parsed) = self.parse(&next) else {
                continue;
            };
            for item in parsed.tree.iter().flat_map(|tree| &tree.items) {
                if let Item::Import(import) = item {
                    pending.extend(parsed.resolve(&import.node));
                }
            }
            files.push(parsed);
        }
        files
    }

    /// Every rule file under the workspace folders, and every open document.
    pub(super) fn all_files(&self) -> Vec<Parsed> {
        let mut paths: Vec<PathBuf> = self.documents.keys().cloned().collect();
        for folder in &self.folders {
            collect(&canonical(folder), &mut paths, 0);
        }
        paths.sort();
        paths.dedup();
        paths.truncate(MAX_WORKSPACE_FILES);
        paths.iter().filter_map(|path| self.parse(path)).collect()
    }
}

fn collect(dir: &Path, paths: &mut Vec<PathBuf>, depth: usize) {
    if depth > MAX_DEPTH || paths.len() >= MAX_WORKSPACE_FILES {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for entry in entries {
        let hidden = entry
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with('.') || name == "target");
        if hidden || entry.is_symlink() {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, paths, depth.saturating_add(1));
        } else if entry.extension().is_some_and(|e| e == "treaty") {
            paths.push(entry);
        }
    }
}

/// `path` with symbolic links and `..` resolved, so that it compares equal to the paths the
/// checker resolves; a file not yet on disk keeps its name in its folder's canonical path.
pub(super) fn canonical(path: &Path) -> PathBuf {
    if let Ok(path) = path.canonicalize() {
        return path;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map_or_else(|_| path.to_path_buf(), |parent| parent.join(name)),
        _ => path.to_path_buf(),
    }
}
