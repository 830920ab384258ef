//! Formatting files in place: read, format, and replace the file in one step (a temporary
//! file in the same folder, renamed over it), so that no reader ever sees half a file.

use std::io::Write as _;
use std::path::Path;

use crate::check::{Code, read_text};
use crate::diagnostics::Problem;
use crate::span::SourceFile;

/// What formatting a file did, or would do.
#[derive(Debug)]
pub enum Outcome {
    /// The file is already formatted.
    Unchanged,
    /// The file was rewritten (or, when only checking, would be).
    Reformatted,
    /// The file was left as it is: it could not be read, parsed or written.
    Failed(Vec<Problem>),
}

/// Format the rule file at `path` in place; with `check`, only say whether it would change.
pub fn format_path(path: &Path, check: bool) -> Outcome {
    let cannot = |message: String| {
        Outcome::Failed(vec![Problem::new(
            Code::Io,
            format!("cannot format `{}`: {message}", path.display()),
        )])
    };
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => return cannot(message),
    };
    let file = SourceFile::new(path.display().to_string(), text);
    let formatted = match super::format(&file) {
        Ok(formatted) => formatted,
        Err(problems) => return Outcome::Failed(problems),
    };
    if formatted == *file.text {
        return Outcome::Unchanged;
    }
    if !check {
        if let Err(error) = write_atomically(path, &formatted) {
            return cannot(error.to_string().to_lowercase());
        }
    }
    Outcome::Reformatted
}

/// Replace the file at `path` with `text`: written to a temporary file beside it, given the
/// file's permissions, then renamed over it.
/// A symbolic link stays a link: the file it points to is replaced.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = if path.is_symlink() {
        std::fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    let path = target.as_path();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".treaty-fmt-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temporary.write_all(text.as_bytes())?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = std::fs::metadata(path) {
        temporary
            .as_file()
            .set_permissions(metadata.permissions())?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}
