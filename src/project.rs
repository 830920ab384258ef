//! The project: the folder a `treaty.toml` file marks. It is the rules root (imports, source
//! texts and test scenarios must lie under it) and names the rules and scenarios folders.
//!
//! The project of a file is found as cargo finds `Cargo.toml`: the nearest folder upwards
//! holding a `treaty.toml`. A rule file in no project has its own folder as its rules root,
//! never anything wider.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Problem, codes};
use crate::span::{SourceFile, Span};

/// The name of the project file.
pub const PROJECT_FILE: &str = "treaty.toml";

codes! {
    "project",
    Io => "io", Error;
    Invalid => "invalid", Error;
}

/// A project: its root folder and the folders `treaty.toml` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// The folder holding `treaty.toml`: the rules root of every file under it.
    pub root: PathBuf,
    /// The rule files: `treaty check` and `treaty test` read it when given no path.
    pub rules: PathBuf,
    /// The scenarios.
    pub scenarios: PathBuf,
}

/// `treaty.toml` as written; every key optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    rules: Option<String>,
    scenarios: Option<String>,
}

/// The project `start` (a file or a folder) lies in: the nearest folder upwards, `start`
/// itself included, holding a `treaty.toml`. `Ok(None)` when there is none.
pub fn find(start: &Path) -> Result<Option<Project>, Problem> {
    let absolute = absolute(start);
    let mut dir = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    while let Some(folder) = dir {
        let marker = folder.join(PROJECT_FILE);
        if marker.is_file() {
            return load(&marker).map(Some);
        }
        dir = folder.parent();
    }
    Ok(None)
}

/// The rules root of the rule file at `path`: its project's root, else its own folder.
pub fn root_for(path: &Path) -> Result<PathBuf, Problem> {
    if let Some(project) = find(path)? {
        return Ok(project.root);
    }
    let absolute = absolute(path);
    if absolute.is_dir() {
        return Ok(absolute);
    }
    Ok(absolute
        .parent()
        .map_or_else(|| absolute.clone(), Path::to_path_buf))
}

/// Read the project file at `marker`.
pub fn load(marker: &Path) -> Result<Project, Problem> {
    let text = crate::check::read_text(marker).map_err(|reason| {
        Problem::new(
            Code::Io,
            format!("cannot read `{}`: {reason}", marker.display()),
        )
    })?;
    let file = SourceFile::new(marker.display().to_string(), text);
    let root = marker.parent().map(Path::to_path_buf).unwrap_or_default();
    let written: ProjectFile = toml::from_str(&file.text).map_err(|error| {
        let span = error
            .span()
            .map_or(Span::point(0), |s| Span::new(s.start, s.end));
        Problem::new(
            Code::Invalid,
            format!("`{PROJECT_FILE}` is not valid: {}", error.message()),
        )
        .at(&file, file.visible(span), "here")
        .with_help(format!(
            "`{PROJECT_FILE}` may say `rules = \"FOLDER\"` and `scenarios = \"FOLDER\"`, relative to it"
        ))
    })?;
    let folder = |value: Option<String>, default: &str, key: &str| {
        let value = value.unwrap_or_else(|| default.to_string());
        let path = Path::new(&value);
        let inside = !path.is_absolute()
            && path
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if inside {
            Ok(root.join(path))
        } else {
            let span = find_value(&file.text, &value);
            Err(Problem::new(
                Code::Invalid,
                format!("`{key}` must name a folder inside the project, not `{value}`"),
            )
            .at(&file, span, "outside the project")
            .with_help(format!(
                "write a path relative to `{PROJECT_FILE}`, without `..`"
            )))
        }
    };
    Ok(Project {
        rules: folder(written.rules, "rules", "rules")?,
        scenarios: folder(written.scenarios, "scenarios", "scenarios")?,
        root,
    })
}

/// Where `value` is written in `text`, quotes included, for a label.
fn find_value(text: &str, value: &str) -> Span {
    let quoted = format!("\"{value}\"");
    text.find(&quoted).map_or(Span::point(0), |start| {
        Span::new(start, start.saturating_add(quoted.len()))
    })
}

/// `path` made absolute against the current folder and, where it exists, canonical.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(path))
}

/// `path` as seen from `base` (both absolute): `rules` from the project root, `.` from
/// `rules` itself, `../rules` from `scenarios`.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<Component<'_>> = path.components().collect();
    let base: Vec<Component<'_>> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in base.iter().skip(common) {
        out.push("..");
    }
    for component in path.iter().skip(common) {
        out.push(component);
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("treaty-project-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("rules/deeper")).unwrap();
        dir.canonicalize().unwrap()
    }

    #[test]
    fn the_nearest_project_file_upwards_is_the_root() {
        let dir = temp("nearest");
        std::fs::write(dir.join(PROJECT_FILE), "rules = \"rules\"\n").unwrap();
        std::fs::write(dir.join("rules/deeper/a.treaty"), "").unwrap();
        let project = find(&dir.join("rules/deeper/a.treaty")).unwrap().unwrap();
        assert_eq!(project.root, dir);
        assert_eq!(project.rules, dir.join("rules"));
        assert_eq!(project.scenarios, dir.join("scenarios"));
        assert_eq!(root_for(&dir.join("rules/deeper/a.treaty")).unwrap(), dir);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn without_a_project_file_the_root_is_the_files_own_folder() {
        let dir = temp("none");
        std::fs::write(dir.join("rules/deeper/a.treaty"), "").unwrap();
        let root = root_for(&dir.join("rules/deeper/a.treaty")).unwrap();
        // A project file further up (none is expected in the temporary folder) would win.
        if find(&dir).unwrap().is_none() {
            assert_eq!(root, dir.join("rules/deeper"));
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_project_file_is_validated() {
        let dir = temp("invalid");
        std::fs::write(dir.join(PROJECT_FILE), "rulez = \"rules\"\n").unwrap();
        let error = find(&dir).unwrap_err();
        assert!(
            error.message.contains("unknown field `rulez`"),
            "{}",
            error.message
        );
        std::fs::write(dir.join(PROJECT_FILE), "rules = \"../elsewhere\"\n").unwrap();
        let error = find(&dir).unwrap_err();
        assert_eq!(
            error.message,
            "`rules` must name a folder inside the project, not `../elsewhere`"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn paths_relative_to_a_base() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(relative_to(&p("/a/rules"), &p("/a")), p("rules"));
        assert_eq!(relative_to(&p("/a/rules"), &p("/a/rules")), p("."));
        assert_eq!(
            relative_to(&p("/a/rules"), &p("/a/scenarios")),
            p("../rules")
        );
    }
}
