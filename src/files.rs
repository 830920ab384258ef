//! Finding and reading the files a command is given. One walk finds rule files in folders;
//! one reader reads rule files, source texts and scenarios. Neither opens what is not a
//! regular file (a FIFO blocks on opening, a device never ends), the walk enters each folder
//! once however links lead back to it, and the reader never reads past its limit.
//! Everything skipped is said: a folder that cannot be read, or lies too deep, is a
//! diagnostic, not a silent gap.

use std::collections::HashSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::check::Code;
use crate::diagnostics::Problem;

/// How many folders deep below a folder named on the command line rule files are looked for.
pub const MAX_FOLDER_DEPTH: usize = 32;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The operating system refused (no such file, permission denied, …).
    Io(std::io::Error),
    /// It is a folder.
    Folder,
    /// It is not a regular file: what it is, e.g. "a FIFO (named pipe)".
    NotRegular(&'static str),
    /// It holds more than the limit: at least this many bytes.
    TooLarge(u64),
}

/// Read the file at `path`, refusing anything but a regular file before opening it, and
/// anything over `limit` bytes (without reading more than one byte past it: the size on
/// disk may change while it is read, or lie).
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    regular(&meta)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = File::open(path).map_err(ReadError::Io)?;
    // What was opened may not be what was looked at: look again.
    let opened = file.metadata().map_err(ReadError::Io)?;
    regular(&opened)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if read > limit {
        return Err(ReadError::TooLarge(read.max(opened.len())));
    }
    Ok(bytes)
}

/// `Ok` for a regular file; otherwise what it is.
fn regular(meta: &Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        Ok(())
    } else if meta.is_dir() {
        Err(ReadError::Folder)
    } else {
        Err(ReadError::NotRegular(kind(meta)))
    }
}

/// What a file that is neither a regular file nor a folder is, in words.
fn kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let file_type = meta.file_type();
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    let _ = meta;
    "not a regular file"
}

/// "no such file", "permission denied", …: an I/O error in words, without the operating
/// system's error number.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::NotFound => "no such file".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::IsADirectory => "it is a folder".to_owned(),
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

/// What [`rule_files`] found: the rule files, and what it could not look into.
#[derive(Debug, Default)]
pub struct Found {
    /// Files named on the command line as given, then those found in each folder named, in a
    /// stable order (sorted by path within each folder).
    pub files: Vec<PathBuf>,
    /// A path that does not exist, a folder that cannot be read or lies deeper than
    /// [`MAX_FOLDER_DEPTH`], a `*.treaty` that is not a regular file: each `treaty::check::io`
    /// or `treaty::check::folder_too_deep`.
    pub problems: Vec<Problem>,
}

/// The rule files among `paths`: files as given, folders searched for `*.treaty`, each
/// folder entered once (a link back to a folder already walked is not followed again).
pub fn rule_files(paths: &[PathBuf]) -> Found {
    walk(paths, &RULE_FILES)
}

/// The scenarios among `paths`, as [`rule_files`] finds rule files: files as given, folders
/// searched for `*.toml` and `*.json` (a project's own `treaty.toml` left out), sorted by
/// path within each folder. Problems are `treaty::scenario::io`.
pub fn scenario_files(paths: &[PathBuf]) -> Found {
    walk(paths, &SCENARIOS)
}

/// What a walk looks for, and how it words what it skips.
struct Wanted {
    /// File name endings, without the dot.
    extensions: &'static [&'static str],
    /// File names never taken from a folder.
    skip: &'static [&'static str],
    /// What the files are, in messages: "rule files".
    what: &'static str,
    /// What is not done to them when skipped: "checked".
    done: &'static str,
    /// The command that takes a folder: "treaty check".
    command: &'static str,
    /// A problem with the code the files' stage uses for `message`.
    io: fn(String) -> Problem,
    /// A folder too deep, with the code the files' stage uses for it.
    too_deep: fn(String) -> Problem,
}

const RULE_FILES: Wanted = Wanted {
    extensions: &["treaty"],
    skip: &[],
    what: "rule files",
    done: "checked",
    command: "treaty check",
    io: |message| Problem::new(Code::Io, message),
    too_deep: |message| Problem::new(Code::FolderTooDeep, message),
};

const SCENARIOS: Wanted = Wanted {
    extensions: &["toml", "json"],
    skip: &["treaty.toml"],
    what: "scenarios",
    done: "evaluated",
    command: "treaty eval RULES",
    io: |message| Problem::new(crate::scenario::Code::Io, message),
    too_deep: |message| Problem::new(crate::scenario::Code::Io, message),
};

fn walk(paths: &[PathBuf], wanted: &'static Wanted) -> Found {
    let mut walk = Walk {
        found: Found::default(),
        visited: HashSet::new(),
        wanted,
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk.folder(path, path, 0),
            Ok(_) => walk.found.files.push(path.clone()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                walk.found.problems.push((wanted.io)(format!(
                    "cannot read `{}`: no such file or folder",
                    path.display()
                )));
            }
            // Reading it will say what is wrong.
            Err(_) => walk.found.files.push(path.clone()),
        }
    }
    walk.found
}

struct Walk {
    found: Found,
    /// Canonical paths of the folders entered.
    visited: HashSet<PathBuf>,
    wanted: &'static Wanted,
}

impl Walk {
    /// `dir`, `depth` folders below `top` (named on the command line).
    fn folder(&mut self, top: &Path, dir: &Path, depth: usize) {
        let canonical = match dir.canonicalize() {
            Ok(canonical) => canonical,
            Err(err) => return self.unreadable(dir, &err),
        };
        if !self.visited.insert(canonical) {
            return;
        }
        if depth > MAX_FOLDER_DEPTH {
            let wanted = self.wanted;
            self.found.problems.push(
                (wanted.too_deep)(format!(
                    "folder `{}` lies more than {MAX_FOLDER_DEPTH} folders below `{}`: \
                     its {} are not {}",
                    dir.display(),
                    top.display(),
                    wanted.what,
                    wanted.done,
                ))
                .with_help(format!(
                    "name the folder itself: `{} {}`",
                    wanted.command,
                    dir.display()
                )),
            );
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(err) => return self.unreadable(dir, &err),
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(err) => self.unreadable(dir, &err),
            }
        }
        paths.sort();
        for path in paths {
            let wanted = self.wanted;
            let skipped = path
                .file_name()
                .is_some_and(|name| wanted.skip.iter().any(|skip| name == *skip));
            let is_wanted = !skipped
                && path
                    .extension()
                    .is_some_and(|e| wanted.extensions.iter().any(|w| e == *w));
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => self.folder(top, &path, depth.saturating_add(1)),
                Ok(meta) if is_wanted && !meta.is_file() => {
                    self.found.problems.push((wanted.io)(format!(
                        "cannot read `{}`: it is {}, not a regular file",
                        path.display(),
                        kind(&meta)
                    )));
                }
                Ok(_) if is_wanted => self.found.files.push(path),
                // A link to nowhere named `*.treaty`: reading it will say so.
                Err(_) if is_wanted => self.found.files.push(path),
                _ => {}
            }
        }
    }

    fn unreadable(&mut self, dir: &Path, err: &std::io::Error) {
        self.found
            .problems
            .push(unreadable_folder_of(dir, err, self.wanted));
    }
}

/// `treaty::check::io`: the folder `dir` of rule files could not be read, for `err`.
#[cfg(test)]
fn unreadable_folder(dir: &Path, err: &std::io::Error) -> Problem {
    unreadable_folder_of(dir, err, &RULE_FILES)
}

/// `treaty::check::io` (`treaty::scenario::io` for scenarios): the folder `dir` could not be
/// read, for `err`.
fn unreadable_folder_of(dir: &Path, err: &std::io::Error, wanted: &Wanted) -> Problem {
    (wanted.io)(format!(
        "cannot read folder `{}`: {}; the {} in it are not {}",
        dir.display(),
        io_reason(err),
        wanted.what,
        wanted.done,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests;
