#![expect(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a panic in a test's helper is a failing test"
)]

//! Fixtures as data: `tests/fixtures/check/ok` must check clean (the checked model is
//! snapshotted), `err` must fail (the rendered diagnostics are snapshotted), `warn` must pass
//! with warnings. A new fixture needs no new code.

mod common;

use std::path::Path;

use serde_json::{Value, json};
use treaty::check::{self, CheckError};
use treaty::diagnostics::Code as _;
use treaty::model::Model;

use common::{relative, root};

fn render(errors: &[CheckError]) -> String {
    errors
        .iter()
        .map(|e| treaty::diagnostics::render(e, false, 80))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A readable summary of a checked model: what a reviewer needs to see that the file was
/// understood, without the compiled expression trees. Keys for the language's later
/// constructs are there only when the file uses them, so older snapshots stay as they were.
fn summary(model: &Model) -> Value {
    let mut summary = base_summary(model);
    let cites: Vec<String> = model
        .packages
        .iter()
        .flat_map(|p| {
            p.cites
                .iter()
                .map(move |c| format!("package {}: {c}", p.name))
        })
        .chain(model.readings.iter().flat_map(|r| {
            r.cites
                .iter()
                .map(move |c| format!("reading {}: {c}", r.name))
        }))
        .chain(model.categories.iter().flat_map(|k| {
            k.cites
                .iter()
                .map(move |c| format!("category {}: {c}", k.name))
        }))
        .chain(model.provisions.iter().flat_map(|p| {
            p.cites
                .iter()
                .map(move |c| format!("provision {}: {c}", p.id))
        }))
        .collect();
    let defaults: Vec<String> = model
        .vocabulary
        .type_attributes
        .iter()
        .map(|a| ("weapon type", a))
        .chain(
            model
                .vocabulary
                .holding_attributes
                .iter()
                .map(|a| ("holding", a)),
        )
        .filter_map(|(of, a)| {
            a.default
                .as_ref()
                .map(|d| format!("{of} {}: {} ({:?})", a.name, d.written, d.value))
        })
        .collect();
    let mut written = Vec::new();
    let mut write = |what: String, date: Option<treaty::model::Date>, text: &Option<String>| {
        if let (Some(date), Some(text)) = (date, text) {
            written.push(format!("{what}: {text} = {date}"));
        }
    };
    write(
        "position from".into(),
        model.period.from,
        &model.period_written.from,
    );
    write(
        "position until".into(),
        model.period.until,
        &model.period_written.until,
    );
    for p in &model.provisions {
        write(
            format!("{} from", p.id),
            p.period.from,
            &p.period_written.from,
        );
        write(
            format!("{} until", p.id),
            p.period.until,
            &p.period_written.until,
        );
        if let treaty::model::Rule::Limit { bounds, .. } = &p.rule {
            for b in bounds {
                write(
                    format!("{} bound {} from", p.id, b.value),
                    b.from,
                    &b.from_written,
                );
            }
        }
    }
    if let Some(date) = model.entry_into_force {
        summary["entry_into_force"] = json!(date.to_string());
    }
    if !written.is_empty() {
        summary["dates_written"] = json!(written);
    }
    if model.sources.iter().any(|s| s.name.is_some()) {
        summary["sources"] = json!(
            model
                .sources
                .iter()
                .map(|s| format!("{}: {}", s.name.as_deref().unwrap_or("(unnamed)"), s.path))
                .collect::<Vec<_>>()
        );
        let quotes: Vec<String> = model
            .categories
            .iter()
            .flat_map(|c| c.quotes.iter().map(move |q| (&c.name, q)))
            .chain(
                model
                    .provisions
                    .iter()
                    .flat_map(|p| p.quotes.iter().map(move |q| (&p.id, q))),
            )
            .map(|(of, q)| {
                format!(
                    "{of}: “{}” in {}",
                    q.text,
                    q.source.as_deref().unwrap_or("?")
                )
            })
            .collect();
        summary["quotes_in"] = json!(quotes);
    }
    if !defaults.is_empty() {
        summary["defaults"] = json!(defaults);
    }
    if !cites.is_empty() {
        summary["cites"] = json!(cites);
        summary["citations"] = json!(format!(
            "{} quoted, {} cited",
            model.citations.quoted, model.citations.cited
        ));
    }
    summary
}

fn base_summary(model: &Model) -> Value {
    json!({
        "kind": model.kind.as_str(),
        "title": model.title,
        "date": model.date.map(|d| d.to_string()),
        "parties": model.parties,
        "period": { "from": model.period.from.map(|d| d.to_string()), "until": model.period.until.map(|d| d.to_string()) },
        "type_attributes": model.vocabulary.type_attributes.iter().map(|a| format!("{}: {}", a.name, a.ty.describe())).collect::<Vec<_>>(),
        "holding_attributes": model.vocabulary.holding_attributes.iter().map(|a| format!("{}: {}", a.name, a.ty.describe())).collect::<Vec<_>>(),
        "packages": model.packages.iter().map(|p| &p.name).collect::<Vec<_>>(),
        "readings": model.readings.iter().map(|r| json!({
            "name": r.name,
            "variants": r.variants.iter().map(|v| &v.name).collect::<Vec<_>>(),
            "default": r.variants.get(r.default).map(|v| &v.name),
        })).collect::<Vec<_>>(),
        "categories": model.categories.iter().map(|c| json!({
            "name": c.name,
            "branches": c.branches.iter().map(|b| match &b.condition_text {
                None => b.text.clone(),
                Some(condition) => format!("when {condition}: {}", b.text),
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "provisions": model.provisions.iter().map(|p| json!({
            "id": p.id,
            "kind": p.kind.as_str(),
            "scope": format!("{:?}", p.scope),
            "quotes": p.quotes.len(),
            "conditions": p.condition_texts,
            "period": { "from": p.period.from.map(|d| d.to_string()), "until": p.period.until.map(|d| d.to_string()) },
            "rule": match &p.rule {
                treaty::model::Rule::Limit { text, comparison, bounds, .. } => json!({
                    "limit": text,
                    "comparison": comparison.symbol(),
                    "bounds": bounds.iter().map(|b| match b.from { None => b.value.to_string(), Some(d) => format!("{} from {d}", b.value) }).collect::<Vec<_>>(),
                }),
                treaty::model::Rule::Ban { category } => json!({ "ban": model.categories.get(*category).map(|c| &c.name) }),
                treaty::model::Rule::Assurance { category, text, .. } => json!({ "every": model.categories.get(*category).map(|c| &c.name), "has": text }),
                treaty::model::Rule::None => Value::Null,
            },
        })).collect::<Vec<_>>(),
        "tests": model.tests.iter().map(|t| json!({ "title": t.title, "expectations": t.expectations.len() })).collect::<Vec<_>>(),
        "coverage": model.coverage.as_ref().map(|c| format!("{} of {} sentences quoted", c.quoted, c.sentences)),
    })
}

#[test]
fn valid_fixtures_check_clean() {
    insta::glob!("fixtures/check/ok/*.treaty", |path| {
        let path = relative(path);
        match check::check_file(&path, &root()) {
            Ok(checked) => {
                assert!(
                    checked.warnings.is_empty(),
                    "{}: unexpected warnings:\n{}",
                    path.display(),
                    render(&checked.warnings)
                );
                insta::assert_yaml_snapshot!(summary(&checked.model));
            }
            Err(errors) => panic!(
                "{} should check clean:\n{}",
                path.display(),
                render(&errors)
            ),
        }
    });
}

#[test]
fn invalid_fixtures_fail_with_diagnostics() {
    insta::glob!("fixtures/check/err/*.treaty", |path| {
        let path = relative(path);
        match check::check_file(&path, &root()) {
            Ok(_) => panic!("{} should fail to check", path.display()),
            Err(errors) => {
                assert!(
                    errors.iter().any(|e| !e.is_warning()),
                    "{}: only warnings",
                    path.display()
                );
                insta::assert_snapshot!(render(&errors));
            }
        }
    });
}

#[test]
fn warning_fixtures_pass_with_warnings() {
    insta::glob!("fixtures/check/warn/*.treaty", |path| {
        let path = relative(path);
        match check::check_file(&path, &root()) {
            Ok(checked) => {
                assert!(
                    !checked.warnings.is_empty(),
                    "{}: expected a warning",
                    path.display()
                );
                insta::assert_snapshot!(render(&checked.warnings));
            }
            Err(errors) => panic!(
                "{} should pass with warnings:\n{}",
                path.display(),
                render(&errors)
            ),
        }
    });
}

/// Every code the checker can report has a fixture that shows it (`folder_too_deep` is about
/// folders, not a file: `tests/cli.rs` shows it).
#[test]
fn every_check_code_has_a_fixture() {
    let mut text = String::new();
    for dir in ["err", "warn"] {
        let Ok(entries) = std::fs::read_dir(root().join("tests/fixtures/check").join(dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = relative(&entry.path());
            if let Err(errors) = check::check_file(&path, &root()) {
                text.push_str(&render(&errors));
            } else if let Ok(checked) = check::check_file(&path, &root()) {
                text.push_str(&render(&checked.warnings));
            }
        }
    }
    let missing: Vec<&str> = check::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|code| {
            !["treaty::check::io", "treaty::check::folder_too_deep"].contains(code)
                && !text.contains(code)
        })
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

#[test]
fn project_rule_files_check_clean() {
    for path in [
        "rules/ussr-1977-03-15.treaty",
        "rules/vocabulary/strategic.treaty",
    ] {
        match check::check_file(Path::new(path), &root()) {
            Ok(checked) => assert!(
                checked.warnings.is_empty(),
                "{path}: {}",
                render(&checked.warnings)
            ),
            Err(errors) => panic!("{path}:\n{}", render(&errors)),
        }
    }
}

#[test]
fn letter_quotes_are_all_in_the_letter() {
    let checked = check::check_file(Path::new("rules/ussr-1977-03-15.treaty"), &root()).unwrap();
    let letter = std::fs::read_to_string("rules/sources/brezhnev-carter-1977-03-15.txt").unwrap();
    let letter = check::normalize(&letter);
    let model = checked.model;
    let quotes = model
        .provisions
        .iter()
        .flat_map(|p| &p.quotes)
        .chain(model.categories.iter().flat_map(|c| &c.quotes))
        .chain(model.packages.iter().flat_map(|p| &p.quotes))
        .chain(model.readings.iter().flat_map(|r| &r.quotes));
    let mut count = 0;
    for quote in quotes {
        assert!(
            letter.contains(&check::normalize(&quote.text)),
            "not in the letter: {}",
            quote.text
        );
        count += 1;
    }
    assert!(count >= 15, "only {count} quotes");
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_a_diagnostic() {
    let text = format!(
        "position \"deep\" {{}}\ncategory c {{ holdings where {}yes{} }}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    let file = treaty::span::SourceFile::new("deep.treaty", text);
    let errors = check::check_source(file, Path::new("."), &root()).unwrap_err();
    let rendered = render(&errors);
    assert!(rendered.contains("treaty::parse::too_deep"), "{rendered}");
    assert_eq!(errors.len(), 1);
}

#[test]
fn a_ten_megabyte_rule_file_is_checked() {
    let mut text = String::from(
        "position \"large\" {\n    parties USA, USSR\n    source \"rules/sources/brezhnev-carter-1977-03-15.txt\"\n}\nuse \"rules/vocabulary/strategic.treaty\"\n",
    );
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "statement s{n} \"statement number {n}\" {{\n    quote \"Dear Mr. President,\"\n    note \"padding padding padding padding padding padding padding padding padding\"\n}}\n"
        ));
        n += 1;
    }
    let file = treaty::span::SourceFile::new("large.treaty", text);
    let checked = check::check_source(file, Path::new("."), &root()).unwrap();
    assert_eq!(checked.model.provisions.len(), n);
}

/// One mistake, one message: a bad header field, a misspelt keyword, a lost import each give
/// one error (at most two for `limt`), and a misspelt keyword's error suggests the keyword.
#[test]
fn one_mistake_gives_one_message() {
    let cases = [
        ("syntax_header_field", 1, None),
        (
            "syntax_misspelt_keyword_cascade",
            2,
            Some("did you mean `limit`?"),
        ),
        ("syntax_misspelt_quote", 1, Some("did you mean `quote`?")),
        ("syntax_misspelt_status", 1, Some("did you mean `agreed`?")),
        (
            "syntax_misspelt_verdict",
            1,
            Some("did you mean `complies`?"),
        ),
        (
            "syntax_misspelt_comparison",
            1,
            Some("did you mean `at most`?"),
        ),
        ("syntax_lost_import", 1, Some("did you mean `use`?")),
        ("unterminated_string_runaway", 1, None),
    ];
    for (name, most, help) in cases {
        let path = format!("tests/fixtures/check/err/{name}.treaty");
        let errors = check::check_file(Path::new(&path), &root()).unwrap_err();
        assert!(
            !errors.is_empty() && errors.len() <= most,
            "{name}: {} diagnostics\n{}",
            errors.len(),
            render(&errors)
        );
        if let Some(help) = help {
            assert!(
                errors.iter().any(|e| e.help.as_deref() == Some(help)),
                "{name}: no `{help}`\n{}",
                render(&errors)
            );
        }
    }
}
