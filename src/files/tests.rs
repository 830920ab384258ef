use std::path::{Path, PathBuf};
use std::process::Command;

use super::{MAX_FOLDER_DEPTH, ReadError, read, rule_files, scenario_files, unreadable_folder};
use crate::diagnostics::Code as _;

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

fn touch(path: &Path) {
    std::fs::write(path, "vocabulary \"v\" {}\n").unwrap();
}

fn codes(found: &super::Found) -> Vec<&'static str> {
    found
        .problems
        .iter()
        .map(|p| miette::Diagnostic::code(p).unwrap().to_string())
        .map(|code| {
            crate::check::Code::ALL
                .iter()
                .map(|c| c.as_str())
                .find(|c| *c == code)
                .unwrap()
        })
        .collect()
}

/// A FIFO with no writer blocks `open()`: it is refused before it is opened.
#[test]
fn a_fifo_is_refused_before_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.treaty");
    mkfifo(&fifo);
    match read(&fifo, 1024) {
        Err(ReadError::NotRegular(kind)) => assert_eq!(kind, "a FIFO (named pipe)"),
        other => panic!("{other:?}"),
    }
    touch(&dir.path().join("real.treaty"));
    let found = rule_files(&[dir.path().to_path_buf()]);
    assert_eq!(found.files, [dir.path().join("real.treaty")]);
    assert_eq!(codes(&found), ["treaty::check::io"]);
    assert!(
        found.problems[0]
            .message
            .ends_with("pipe.treaty`: it is a FIFO (named pipe), not a regular file"),
        "{}",
        found.problems[0].message
    );
}

/// `/dev/zero` would be read until memory runs out.
#[test]
fn a_device_is_refused_and_reads_are_capped() {
    match read(Path::new("/dev/zero"), 1024) {
        Err(ReadError::NotRegular(kind)) => assert_eq!(kind, "a character device"),
        other => panic!("{other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.treaty");
    std::fs::write(&big, vec![b'x'; 2048]).unwrap();
    assert!(matches!(read(&big, 1024), Err(ReadError::TooLarge(2048))));
    assert_eq!(read(&big, 2048).unwrap().len(), 2048);
    assert!(matches!(read(dir.path(), 1024), Err(ReadError::Folder)));
    assert!(matches!(
        read(&dir.path().join("none"), 1024),
        Err(ReadError::Io(_))
    ));
}

/// `ln -s . r/a; ln -s . r/b` once made the walk enter 2^33 folders.
#[test]
fn links_back_to_a_folder_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("r");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    touch(&root.join("one.treaty"));
    touch(&root.join("sub/two.treaty"));
    std::os::unix::fs::symlink(".", root.join("a")).unwrap();
    std::os::unix::fs::symlink(".", root.join("b")).unwrap();
    std::os::unix::fs::symlink("..", root.join("sub/up")).unwrap();
    let found = rule_files(std::slice::from_ref(&root));
    assert_eq!(
        found.files,
        [root.join("one.treaty"), root.join("sub/two.treaty")]
    );
    assert!(found.problems.is_empty(), "{:?}", found.problems);
}

/// A rule file 40 folders down was once skipped without a word.
#[test]
fn a_folder_past_the_depth_limit_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = dir.path().to_path_buf();
    for level in 0..40 {
        deep.push(format!("d{level}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    touch(&deep.join("broken.treaty"));
    touch(&dir.path().join("top.treaty"));
    let found = rule_files(&[dir.path().to_path_buf()]);
    assert_eq!(found.files, [dir.path().join("top.treaty")]);
    assert_eq!(codes(&found), ["treaty::check::folder_too_deep"]);
    let message = &found.problems[0].message;
    assert!(
        message.contains(&format!("more than {MAX_FOLDER_DEPTH} folders below")),
        "{message}"
    );
    assert!(message.contains("/d32`"), "{message}");
}

#[test]
fn an_unreadable_folder_is_a_diagnostic() {
    let err = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
    let problem = unreadable_folder(Path::new("r/locked"), &err);
    assert_eq!(
        problem.message,
        "cannot read folder `r/locked`: permission denied; the rule files in it are not checked"
    );
    // With the permission actually taken away (root reads every folder: nothing to see).
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    touch(&locked.join("hidden.treaty"));
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let blocked = std::fs::read_dir(&locked).is_err();
    let found = rule_files(&[dir.path().to_path_buf()]);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    if blocked {
        assert!(found.files.is_empty());
        assert_eq!(codes(&found), ["treaty::check::io"]);
    }
}

#[test]
fn files_are_kept_as_given_and_missing_paths_reported() {
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("named.txt");
    touch(&named);
    let missing = PathBuf::from("no/such/place");
    let found = rule_files(&[named.clone(), missing]);
    assert_eq!(found.files, [named]);
    assert_eq!(
        found.problems[0].message,
        "cannot read `no/such/place`: no such file or folder"
    );
}

#[test]
fn a_folder_of_scenarios_gives_its_toml_and_json_files_sorted_without_the_project_file() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["b.toml", "a.json", "treaty.toml", "notes.md", "c.treaty"] {
        touch(&dir.path().join(name));
    }
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    touch(&dir.path().join("sub/d.toml"));
    let found = scenario_files(&[dir.path().to_path_buf()]);
    let names: Vec<String> = found
        .files
        .iter()
        .map(|f| f.strip_prefix(dir.path()).unwrap().display().to_string())
        .collect();
    assert_eq!(names, ["a.json", "b.toml", "sub/d.toml"]);
    assert!(found.problems.is_empty());
    // A path that does not exist is a scenario diagnostic.
    let found = scenario_files(&[dir.path().join("missing.toml")]);
    let codes: Vec<String> = found
        .problems
        .iter()
        .map(|p| miette::Diagnostic::code(p).unwrap().to_string())
        .collect();
    assert_eq!(codes, ["treaty::scenario::io"]);
}
