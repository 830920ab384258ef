//! `treaty fmt`: on every rule file and valid fixture of the project, formatting keeps every
//! comment, is idempotent, and leaves the checked model, the in-language tests and every
//! evaluation as they were; generated files (proptest) and the fuzz corpus format
//! idempotently; and the command line rewrites atomically, checks, and reads stdin.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)] // test arithmetic on small lengths

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use proptest::prelude::*;
use serde_json::Value;
use treaty::eval::{self, Options};
use treaty::model::Model;
use treaty::span::SourceFile;

use common::{relative, root};

fn treaty() -> Command {
    let mut cmd = Command::cargo_bin("treaty").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

/// `*.treaty` under `dir`, recursively, sorted.
fn treaty_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "treaty") {
                files.push(relative(&path));
            }
        }
    }
    files.sort();
    files
}

/// The project's rule files and the fixtures that check clean.
fn project_files() -> Vec<PathBuf> {
    let mut files = treaty_files(&root().join("rules"));
    files.extend(treaty_files(&root().join("tests/fixtures/check/ok")));
    assert!(files.len() >= 16, "{files:?}");
    files
}

/// The comments of a rule file, found the way a reader would: `//` outside strings.
fn comments(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_string = false;
    let mut chars = text.char_indices().peekable();
    while let Some((index, ch)) = chars.next() {
        match ch {
            '\\' if in_string => {
                chars.next();
            }
            '"' => in_string = !in_string,
            '/' if !in_string && chars.peek().is_some_and(|&(_, c)| c == '/') => {
                let line = text[index..].lines().next().unwrap_or("");
                found.push(line.trim_end().to_string());
                while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            }
            _ => {}
        }
    }
    found
}

/// The model as data, without the places things were written at.
fn model_json(model: &Model) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("span");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut value = serde_json::to_value(model).unwrap();
    strip(&mut value);
    value
}

/// What `treaty test` and `treaty eval` (on every scenario of the project, under every
/// combination of readings) say about a model.
fn outputs(model: &Model) -> String {
    let mut out = String::new();
    for test in &model.tests {
        match treaty::test_blocks::run_test(model, test) {
            Ok(results) => results.iter().for_each(|r| out.push_str(&format!("{r}\n"))),
            Err(errors) => out.push_str(&format!("{errors:?}\n")),
        }
    }
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| relative(&e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml" || e == "json"))
        .collect();
    scenarios.sort();
    for scenario in scenarios {
        let Ok(facts) = treaty::scenario::load_path(&scenario, model) else {
            continue;
        };
        match eval::evaluate_all_readings(model, &facts, &Options::defaults(model)) {
            Ok(report) => out.push_str(&treaty::report::render_json(&report)),
            Err(error) => out.push_str(&format!("{error:?}\n")),
        }
    }
    out
}

#[test]
fn formatting_the_project_keeps_comments_meaning_and_verdicts() {
    for path in project_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let formatted = treaty::fmt::format_str(&path.display().to_string(), &text)
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        let again = treaty::fmt::format_str("again.treaty", &formatted).unwrap();
        assert_eq!(
            again,
            formatted,
            "{}: formatting twice changed it",
            path.display()
        );
        assert_eq!(comments(&text), comments(&formatted), "{}", path.display());

        let before = treaty::check::check_file(&path, &root()).unwrap().model;
        let dir = path.parent().unwrap();
        let file = SourceFile::new(path.display().to_string(), formatted);
        let after = treaty::check::check_source(file, dir, &root())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            .model;
        assert_eq!(
            model_json(&before),
            model_json(&after),
            "{}",
            path.display()
        );
        assert_eq!(before.coverage, after.coverage, "{}", path.display());
        assert_eq!(outputs(&before), outputs(&after), "{}", path.display());
    }
}

#[test]
fn the_fuzz_corpus_formats_idempotently_or_not_at_all() {
    let mut formatted_files = 0;
    for corpus in ["parse", "check", "evaluate"] {
        let Ok(entries) = std::fs::read_dir(root().join("fuzz/corpus").join(corpus)) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            let parses = treaty::syntax::parse_str("fuzz.treaty", &text).is_ok();
            match treaty::fmt::format_str("fuzz.treaty", &text) {
                Ok(formatted) => {
                    formatted_files += 1;
                    let again = treaty::fmt::format_str("fuzz.treaty", &formatted).unwrap();
                    assert_eq!(again, formatted, "{}", entry.path().display());
                }
                Err(problems) => assert!(
                    !parses,
                    "{} parses but does not format: {problems:?}",
                    entry.path().display()
                ),
            }
        }
    }
    assert!(
        formatted_files > 50,
        "only {formatted_files} corpus files format"
    );
}

// ------------------------------------------------------------------------------ generated files

/// Where the grammar allows whitespace, any of these may stand: spaces, tabs, line breaks,
/// blank lines and comments of both kinds.
fn gap() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        6 => Just(" "),
        2 => Just("\n    "),
        1 => Just("  \t"),
        1 => Just("\n\n"),
        1 => Just(" // after\n"),
        1 => Just("\n// own line\n"),
        1 => Just("\n\n    // after a blank line\n\n"),
        1 => Just("\r\n\t"),
    ]
}

fn ident() -> BoxedStrategy<String> {
    prop_oneof![
        Just("a".to_string()),
        Just("class".to_string()),
        Just("heavy_bomber".to_string()),
        Just("x_1".to_string()),
        "[a-z][a-z_]{0,12}".prop_filter("not a keyword", |s| !KEYWORDS.contains(&s.as_str())),
    ]
    .boxed()
}

const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "any", "every", "has", "is", "count", "of", "sum", "over", "package",
    "reading", "category", "date", "yes", "no", "true", "false", "where", "holdings", "when",
    "then", "from", "until", "at", "most", "least",
];

fn string() -> BoxedStrategy<String> {
    prop_oneof![
        Just("\"s\"".to_string()),
        Just("\"a “quoted” \\\"word\\\" // not a comment\"".to_string()),
        Just("\"over\n   two lines\"".to_string()),
        "[a-zA-Z ,.]{0,30}".prop_map(|s| format!("\"{s}\"")),
    ]
    .boxed()
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

/// `head`, the label if any, and `{`.
fn open(mut head: Vec<String>, label: Option<String>) -> Vec<String> {
    head.extend(label);
    head.push("{".into());
    head
}

/// Tokens of an expression; `quantity`: arithmetic on counts only, as a limit takes.
fn expr(quantity: bool) -> BoxedStrategy<Vec<String>> {
    let leaf = if quantity {
        prop_oneof![
            ident().prop_map(move |c| vec!["count".into(), "of".into(), c]),
            ident().prop_map(|c| vec![
                "sum".into(),
                "of".into(),
                "type.w".into(),
                "over".into(),
                c
            ]),
            Just(vec!["2_400".to_string()]),
        ]
        .boxed()
    } else {
        prop_oneof![
            ident().prop_map(|n| vec![n]),
            Just(words(&["type.range"])),
            Just(words(&["600 km"])),
            Just(words(&["600km"])),
            Just(words(&["2.5 Mt"])),
            Just(words(&["1_000"])),
            Just(words(&["1977-03-15"])),
            Just(words(&["yes"])),
            Just(words(&["true"])),
            string().prop_map(|s| vec![s]),
            ident().prop_map(|c| vec!["in".into(), "category".into(), c]),
            ident().prop_map(|p| vec!["package".into(), p, "is".into(), "agreed".into()]),
            ident().prop_map(|r| vec!["reading".into(), r, "is".into(), "v".into()]),
            Just(words(&["date"])),
        ]
        .boxed()
    };
    leaf.prop_recursive(4, 24, 4, move |inner| {
        let ops: Vec<&'static str> = if quantity {
            vec!["+", "-", "*", "×"]
        } else {
            vec![
                "and",
                "or",
                "=",
                "!=",
                "<",
                ">=",
                "at most",
                "at  least",
                "+",
                "*",
            ]
        };
        let binary = (inner.clone(), proptest::sample::select(ops), inner.clone()).prop_map(
            |(mut left, op, right)| {
                left.push(op.to_string());
                left.extend(right);
                left
            },
        );
        let paren = inner.clone().prop_map(|mut e| {
            e.insert(0, "(".into());
            e.push(")".into());
            e
        });
        if quantity {
            prop_oneof![3 => binary, 1 => paren].boxed()
        } else {
            let not = inner.clone().prop_map(|mut e| {
                e.insert(0, "not".into());
                e
            });
            let set = inner.clone().prop_map(|mut e| {
                e.extend(words(&["in", "{", "x", ",", "\"y z\"", "}"]));
                e
            });
            let range = inner.clone().prop_map(|mut e| {
                e.extend(words(&["in", "(", "600 km", ",", "2500 km", "]"]));
                e
            });
            let any = inner.clone().prop_map(|e| {
                let mut tokens = words(&["any", "armament", "has", "("]);
                tokens.extend(e);
                tokens.push(")".into());
                tokens
            });
            prop_oneof![6 => binary, 2 => paren, 1 => not, 1 => set, 1 => range, 1 => any].boxed()
        }
    })
    .boxed()
}

/// Tokens of one declaration.
fn declaration() -> impl Strategy<Value = Vec<String>> {
    let annotation = prop_oneof![
        string().prop_map(|s| vec!["quote".to_string(), s]),
        string().prop_map(|s| vec!["note".to_string(), s]),
    ];
    let annotations = proptest::collection::vec(annotation, 0..3).prop_map(|a| a.concat());
    let label = proptest::option::of(string());
    let attribute = (
        ident(),
        prop_oneof![
            Just(vec!["boolean".to_string()]),
            Just(vec!["quantity".into(), "in".into(), "km".into()]),
            Just(vec![
                "one".into(),
                "of".into(),
                "x".into(),
                ",".into(),
                "y".into()
            ]),
            Just(vec![
                "list".into(),
                "of".into(),
                "weapon".into(),
                "types".into()
            ]),
        ],
        proptest::option::of(string()),
    )
        .prop_map(|(name, ty, description)| {
            let mut tokens = vec![name, ":".into()];
            tokens.extend(ty);
            tokens.extend(description);
            tokens
        });
    prop_oneof![
        string().prop_map(|s| vec!["use".to_string(), s]),
        (proptest::collection::vec(attribute, 0..4), any::<bool>()).prop_map(
            |(attributes, types)| {
                let mut tokens = if types {
                    vec!["weapon".to_string(), "types".into(), "{".into()]
                } else {
                    vec!["holdings".to_string(), "{".into()]
                };
                tokens.extend(attributes.concat());
                tokens.push("}".into());
                tokens
            }
        ),
        (ident(), label.clone(), annotations.clone(), any::<bool>()).prop_map(
            move |(name, label, annotations, block)| {
                let mut tokens = vec!["package".to_string(), name];
                tokens.extend(label);
                if block || !annotations.is_empty() {
                    tokens.push("{".into());
                    tokens.extend(annotations);
                    tokens.push("}".into());
                }
                tokens
            }
        ),
        (ident(), label.clone(), annotations.clone(), any::<bool>()).prop_map(
            move |(name, label, annotations, default)| {
                let mut tokens = open(vec!["reading".to_string(), name], label);
                tokens.extend(annotations);
                tokens.extend(["variant".to_string(), "v".into()]);
                if default {
                    tokens.extend(["(".to_string(), "default".into(), ")".into()]);
                }
                tokens.extend([
                    "variant".to_string(),
                    "w".into(),
                    "\"w\"".into(),
                    "}".into(),
                ]);
                tokens
            }
        ),
        (
            ident(),
            label.clone(),
            annotations.clone(),
            expr(false),
            proptest::option::of((expr(false), expr(false)))
        )
            .prop_map(move |(name, label, annotations, selection, exception)| {
                let mut tokens = open(vec!["category".to_string(), name], label);
                tokens.extend(annotations);
                tokens.extend(["holdings".to_string(), "where".into()]);
                tokens.extend(selection);
                if let Some((condition, selection)) = exception {
                    tokens.push("when".into());
                    tokens.extend(condition);
                    tokens.extend([":".to_string(), "holdings".into(), "where".into()]);
                    tokens.extend(selection);
                }
                tokens.push("}".into());
                tokens
            }),
        (
            ident(),
            label.clone(),
            annotations,
            proptest::option::of(expr(false)),
            0..4usize,
            expr(true),
            expr(false),
            0..4usize,
        )
            .prop_map(
                move |(id, label, annotations, condition, rule, quantity, requirement, scope)| {
                    let kinds = ["limit", "ban", "assurance", "statement"];
                    let mut tokens = vec![kinds[rule].to_string(), id];
                    tokens.extend(label);
                    let scopes: [&[&str]; 4] = [
                        &["for", "each", "party"],
                        &["for", "USA"],
                        &["by", "USSR"],
                        &[],
                    ];
                    tokens.extend(words(scopes[scope]));
                    tokens.push("{".into());
                    tokens.extend(annotations);
                    if let Some(condition) = condition {
                        tokens.push("when".into());
                        tokens.extend(condition);
                    }
                    match rule {
                        0 => {
                            tokens.extend(quantity);
                            tokens.extend([
                                "at most".to_string(),
                                "2400".into(),
                                ",".into(),
                                "then".into(),
                            ]);
                            tokens.extend([
                                "2_250".to_string(),
                                "from".into(),
                                "1981-01-01".into(),
                            ]);
                        }
                        1 => tokens.extend(["no".to_string(), "c".into()]),
                        2 => {
                            tokens.extend(["every".to_string(), "c".into(), "has".into()]);
                            tokens.extend(requirement);
                        }
                        _ => {}
                    }
                    tokens.extend([
                        "in".to_string(),
                        "force".into(),
                        "until".into(),
                        "1985-12-31".into(),
                    ]);
                    tokens.push("}".into());
                    tokens
                }
            ),
        (string(), any::<bool>()).prop_map(|(title, party)| {
            let mut tokens = vec!["test".to_string(), title, "{".into(), "scenario".into()];
            tokens.extend([
                "\"s.toml\"".to_string(),
                "reading".into(),
                "r".into(),
                "is".into(),
            ]);
            tokens.extend(["v".to_string(), "expect".into(), "p".into()]);
            if party {
                tokens.extend(["for".to_string(), "USSR".into()]);
            }
            tokens.extend(["not_applicable".to_string(), "}".into()]);
            tokens
        }),
    ]
}

/// A rule file: a header and declarations, their tokens joined by generated gaps.
fn rule_file() -> impl Strategy<Value = String> {
    let header = (string(), any::<bool>()).prop_map(|(title, period)| {
        let mut tokens = vec!["position".to_string(), title, "{".into()];
        tokens.extend([
            "parties".to_string(),
            "USA".into(),
            ",".into(),
            "USSR".into(),
        ]);
        if period {
            tokens.extend([
                "in".to_string(),
                "force".into(),
                "from".into(),
                "1977-10-03".into(),
            ]);
        }
        tokens.extend(["note".to_string(), "\"n\"".into(), "}".into()]);
        tokens
    });
    (header, proptest::collection::vec(declaration(), 0..6))
        .prop_flat_map(|(header, declarations)| {
            let mut tokens = header;
            tokens.extend(declarations.concat());
            let gaps = proptest::collection::vec(gap(), tokens.len() + 1);
            (Just(tokens), gaps)
        })
        .prop_map(|(tokens, gaps)| {
            let mut text = String::new();
            for (token, gap) in tokens.iter().zip(&gaps) {
                text.push_str(gap);
                text.push_str(token);
            }
            text.push_str(gaps.last().copied().unwrap_or(""));
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn formatting_generated_files_is_idempotent_and_keeps_comments(text in rule_file()) {
        if let Err(errors) = treaty::syntax::parse_str("generated.treaty", &text) {
            panic!("the generator wrote a file that does not parse: {errors:?}\n{text}");
        }
        let formatted = treaty::fmt::format_str("generated.treaty", &text)
            .unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        let again = treaty::fmt::format_str("generated.treaty", &formatted).unwrap();
        prop_assert_eq!(&again, &formatted);
        prop_assert_eq!(comments(&text), comments(&formatted));
    }
}

// ------------------------------------------------------------------------------ the command line

#[test]
fn the_project_is_formatted() {
    treaty()
        .args(["fmt", "--check", "rules/", "tests/fixtures/check/ok"])
        .assert()
        .success()
        .stdout("");
}

const UNFORMATTED: &str = "position \"P\" {  parties A,B }\n// kept\nstatement s {quote \"q\"}\n";
const FORMATTED: &str =
    "position \"P\" {\n    parties A, B\n}\n\n// kept\nstatement s {\n    quote \"q\"\n}\n";

#[test]
fn check_lists_the_files_that_would_change_and_changes_none() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.treaty"), UNFORMATTED).unwrap();
    std::fs::write(dir.path().join("b.treaty"), FORMATTED).unwrap();
    treaty()
        .current_dir(dir.path())
        .args(["fmt", "--check", "."])
        .assert()
        .code(1)
        .stdout("a.treaty\n")
        .stderr(predicate::str::contains(
            "1 file would be reformatted, 1 already formatted",
        ));
    let a = std::fs::read_to_string(dir.path().join("a.treaty")).unwrap();
    assert_eq!(a, UNFORMATTED);
}

#[test]
fn fmt_rewrites_in_place_keeping_permissions_and_leaving_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.treaty");
    std::fs::write(&path, UNFORMATTED).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    }
    treaty()
        .current_dir(dir.path())
        .args(["fmt", "a.treaty"])
        .assert()
        .success()
        .stdout("")
        .stderr("1 file reformatted, 0 already formatted\n");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FORMATTED);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["a.treaty"]);
    treaty()
        .current_dir(dir.path())
        .args(["fmt", "--check", "a.treaty"])
        .assert()
        .success();
}

#[test]
fn dash_formats_standard_input_to_standard_output() {
    treaty()
        .args(["fmt", "-"])
        .write_stdin(UNFORMATTED)
        .assert()
        .success()
        .stdout(FORMATTED)
        .stderr("");
    treaty()
        .args(["fmt", "--check", "-"])
        .write_stdin(UNFORMATTED)
        .assert()
        .code(1)
        .stdout("<stdin>\n");
    treaty()
        .args(["fmt", "--check", "-"])
        .write_stdin(FORMATTED)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn a_file_with_syntax_errors_is_left_untouched_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "position \"P\" {  parties A, }\nstatement s {quote \"q\"}\n";
    std::fs::write(dir.path().join("broken.treaty"), broken).unwrap();
    std::fs::write(dir.path().join("fine.treaty"), UNFORMATTED).unwrap();
    treaty()
        .current_dir(dir.path())
        .args(["fmt", "broken.treaty", "fine.treaty"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("treaty::parse::syntax"))
        .stderr(predicate::str::contains("broken.treaty:1:"));
    let after = std::fs::read_to_string(dir.path().join("broken.treaty")).unwrap();
    assert_eq!(after, broken);
    let fine = std::fs::read_to_string(dir.path().join("fine.treaty")).unwrap();
    assert_eq!(fine, FORMATTED, "the other files are formatted");
    treaty()
        .args(["fmt", "-"])
        .write_stdin(broken)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("treaty::parse::syntax"));
}
