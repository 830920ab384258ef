//! Parsing declaration by declaration gives the whole file's tree.

use std::path::{Path, PathBuf};

use super::*;

/// The whole file parsed and lowered at once, as `parse_recovering` does when a part fails.
fn whole(file: &SourceFile) -> Option<(File, String)> {
    let pairs = TreatyParser::parse(Rule::file, &file.text).ok()?;
    let mut lower = Lower::new(file, 0);
    let tree = lower.file(pairs);
    Some((tree, format!("{:?}", lower.errors)))
}

fn treaty_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            treaty_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "treaty") {
            found.push(path);
        }
    }
}

/// Both ways give the same tree and lowering errors, or both fail.
fn same(file: &SourceFile) -> bool {
    match (whole(file), parse_by_declaration(file)) {
        (Some((tree, errors)), Some(parsed)) => {
            assert_eq!(parsed.tree.as_ref(), Some(&tree), "{}", file.name);
            assert_eq!(format!("{:?}", parsed.errors), errors, "{}", file.name);
            true
        }
        // A part that fails is parsed again with the whole file: slower, never wrong.
        (Some(_), None) | (None, None) => false,
        (None, Some(_)) => panic!(
            "{}: the whole file fails but its declarations parse",
            file.name
        ),
    }
}

#[test]
fn declaration_by_declaration_is_the_whole_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["rules", "tests/fixtures", "tests/highlighting"] {
        treaty_files(&root.join(dir), &mut paths);
    }
    let mut parsed = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(
            recover::declaration_starts(&text),
            recover::declaration_starts_by_lines(&text),
            "{}",
            path.display()
        );
        if same(&SourceFile::new(path.display().to_string(), text)) {
            parsed += 1;
        }
    }
    assert!(parsed > 50, "only {parsed} of {} files parsed", paths.len());
    // Every rule file of the repository takes the quick way.
    for path in paths.iter().filter(|p| p.starts_with(root.join("rules"))) {
        let text = std::fs::read_to_string(path).unwrap();
        let file = SourceFile::new(path.display().to_string(), text);
        assert!(parse_by_declaration(&file).is_some(), "{}", file.name);
    }
}

#[test]
fn a_declaration_keyword_inside_a_declaration_falls_back_to_the_whole_file() {
    let header = "position \"P\" {\n    date 1977-03-15\n}\n";
    for rest in [
        // `ban` is the party of the scope here, on a line of its own.
        "limit l for\nban {\n    count of c at most 1\n}\n",
        // A package without a body, then one whose body opens on the next line.
        "package p \"label\"\npackage q\n{\n    note \"n\"\n}\n",
        "use \"a.treaty\"\n// comment\ncategory c { holdings where x }\n",
        // A second header.
        "position \"Q\" {\n}\n",
        "category c {\n    holdings where (x\n)\n}\nlimit l { count of c at most 1 }\n",
    ] {
        same(&SourceFile::new("t.treaty", format!("{header}{rest}")));
    }
}

#[test]
fn declarations_start_outside_strings_comments_and_brackets() {
    for text in [
        "position \"P\" {\n}\ncategory c \"x\ncategory y\" {\n  holdings where a\n}\n",
        "\u{a0}limit l {\n}\n  // ban x\n ban b { no c }\n(\nuse \"x\"\n)\nuse \"y\"",
        "test \"a\\\"\ntest\" {}\n\u{2003}test \"b\" {}\r\nreading r {}\nreadings",
        "package p \"unterminated\ncategory c {",
    ] {
        assert_eq!(
            recover::declaration_starts(text),
            recover::declaration_starts_by_lines(text),
            "{text:?}"
        );
    }
}
